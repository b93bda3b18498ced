"""The parameter reference, generated from the scenario schema so that it never drifts.

One row per field of :class:`leverage_sim.scenario.schema.Scenario` (nested sections flattened to the
paths used by ``--set`` overrides: ``foreign_forces.backing``, ``militias[NAME].autonomy``,
``events[i].action``) with unit, default, allowed range, meaning and the source of the default,
then the figures of each scripted action (``events[i].figures.arrests``, labelled ``raid:``).
``leverage-sim params`` prints it; docs/parameters.md and docs/model.md carry it between the
markers ``<!-- params:start -->`` and ``<!-- params:end -->``, refreshed with
``python -m leverage_sim.scenario.param_reference docs/parameters.md docs/model.md``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from leverage_sim.scenario.event_schema import RULES
from leverage_sim.scenario.renamed import old_names
from leverage_sim.scenario.schema import Scenario
from leverage_sim.scenario.schema_base import Strict, allowed_range

START, END = "<!-- params:start -->", "<!-- params:end -->"
COLUMNS = ("parameter", "unit", "default", "range", "meaning", "source")


@dataclass(frozen=True)
class ParamRow:
    """One parameter: its override path and what the schema says about it."""

    path: str
    unit: str
    default: str
    range: str
    meaning: str
    source: str
    formerly: str = ""
    """Old names of the field that are still read (``capital_fighters``), comma-separated."""


def _nested(annotation: Any) -> tuple[type[Strict] | None, bool]:
    """(schema section type or None, whether it is a list of such sections)."""
    is_list = get_origin(annotation) is list
    inner = get_args(annotation)[0] if is_list else annotation
    if isinstance(inner, type) and issubclass(inner, Strict):
        return inner, is_list
    return None, False


def _number(x: float) -> str:
    return str(x) if isinstance(x, int) else f"{x:g}"


def _range(info: FieldInfo) -> str:
    choices = get_args(info.annotation) if get_origin(info.annotation) is Literal else ()
    if choices:
        return "one of " + ", ".join(choices)
    lo, hi = allowed_range(info)
    if lo is None and hi is None:
        return ""
    opens = any(getattr(m, "gt", None) is not None for m in info.metadata)
    return (f"{'(' if opens else '['}{'-inf' if lo is None else _number(lo)}, "
            f"{'inf' if hi is None else _number(hi)}]")


def _default(info: FieldInfo) -> str:
    if info.default_factory is not None:
        return repr(info.default_factory())
    if info.default is PydanticUndefined:
        return "required"
    value = info.default
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return repr(value) if isinstance(value, str) else str(value)


def reference_rows(model: type[Strict] = Scenario, prefix: str = "",
                   list_name: str = "") -> Iterator[ParamRow]:
    """Every parameter of ``model`` (default: the whole scenario), sections flattened;
    ``list_name`` is the list ``model``'s entries are in (``militias``), if any."""
    for name, info in model.model_fields.items():
        section, is_list = _nested(info.annotation)
        if section is not None:
            key = ("[NAME]" if section.model_fields["name"].is_required() else "[i]") \
                if is_list else ""
            yield from reference_rows(section, f"{prefix}{name}{key}.", name if is_list else "")
            continue
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        yield ParamRow(f"{prefix}{name}", str(extra.get("unit", "")), _default(info),
                       _range(info), info.description or "", str(extra.get("source", "")),
                       ", ".join(old_names(list_name, name)))
    if model is Scenario:
        yield from figure_rows()


def figure_rows() -> Iterator[ParamRow]:
    """The figures of each scripted action, as ``events[i].figures.NAME`` rows whose meaning
    starts with the action (``raid: Members arrested ...``)."""
    for action, rule in RULES.items():
        if rule.figures is not None:
            for row in reference_rows(rule.figures, "events[i].figures."):
                yield dataclasses.replace(row, meaning=f"{action}: {row.meaning}")


def markdown_table(rows: list[ParamRow]) -> str:
    """The rows as a Markdown table (``|`` escaped, empty cells as a dash)."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|") or "—"

    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for r in rows:
        lines.append("| " + " | ".join(cell(v) for v in (
            f"`{r.path}`{_formerly(r, '`')}", r.unit, f"`{r.default}`", r.range, r.meaning, r.source)) + " |")
    return "\n".join(lines)


def _formerly(row: ParamRow, quote: str = "") -> str:
    """`` (formerly capital_fighters, still read)`` for a renamed field, else ''."""
    return f" (formerly {quote}{row.formerly}{quote}, still read)" if row.formerly else ""


def text_listing(rows: list[ParamRow], width: int = 100) -> str:
    """The rows for a terminal: path, range, unit and default on one line, then the meaning
    and the source wrapped and indented."""
    out = []
    for r in rows:
        head = f"{r.path}  {r.range}".rstrip()
        tail = ", ".join(x for x in (r.unit, f"default {r.default}") if x)
        out.append(f"{head}  ({tail}){_formerly(r)}")
        for label, text in (("", r.meaning), ("Source: ", r.source)):
            if text:
                out.append(textwrap.fill(label + text, width, initial_indent="    ",
                                         subsequent_indent="    "))
    return "\n".join(out)


def docs_block() -> str:
    """The generated Markdown between the markers in docs/parameters.md and docs/model.md."""
    return (f"{START}\n_Generated from `src/leverage_sim/scenario/schema.py` (do not edit here; run "
            "`python -m leverage_sim.scenario.param_reference docs/parameters.md docs/model.md`). Paths are "
            "those of `--set` overrides; `[NAME]` picks a list entry by name, `[i]` by "
            "position._\n\n"
            f"{markdown_table(list(reference_rows()))}\n{END}")


def with_reference(text: str) -> str:
    """``text`` with the block between the markers replaced by :func:`docs_block` (markers
    absent: a "Parameter reference" section is appended)."""
    if START in text and END in text:
        before, rest = text.split(START, 1)
        return before + docs_block() + rest.split(END, 1)[1]
    return text.rstrip("\n") + "\n\n## Parameter reference\n\n" + docs_block() + "\n"


def update_docs(paths: list[Path]) -> list[Path]:
    """Refresh the reference in each file; returns the files that changed."""
    changed = []
    for path in paths:
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        new = with_reference(old)
        if new != old:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


if __name__ == "__main__":
    files = [Path(p) for p in sys.argv[1:]] or [Path("docs/parameters.md"), Path("docs/model.md")]
    for p in update_docs(files):
        print(f"updated {p}")
