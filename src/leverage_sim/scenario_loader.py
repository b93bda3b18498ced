"""Finding, reading and validating scenario files.

A scenario is a YAML file validated against :class:`leverage_sim.schema.Scenario`. A file may
say ``extends: <scenario name or path>`` to inherit another scenario and override parts of it
(deep merge; list entries with a ``name`` are matched by name, entries without one are
appended, and ``{name: X, remove: true}`` drops entry X). Dotted overrides are applied last.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from leverage_sim import overrides as ov
from leverage_sim.errors import InputError
from leverage_sim.schema import Scenario, Strict

ENV_SCENARIO_PATH = "LEVERAGE_SIM_SCENARIO_PATH"
BUILTIN_SCENARIO_DIR = Path(__file__).resolve().parents[2] / "scenarios"

Overrides = Mapping[str, Any] | Iterable[str] | None


def scenario_dirs(extra: Iterable[str | Path] = ()) -> list[Path]:
    """Folders searched for scenarios by name, in order: ``extra``, ``$LEVERAGE_SIM_SCENARIO_PATH``
    (``os.pathsep``-separated), ``./scenarios``, then the scenarios shipped with leverage-sim."""
    env = [p for p in os.environ.get(ENV_SCENARIO_PATH, "").split(os.pathsep) if p]
    dirs = [Path(p) for p in (*extra, *env)] + [Path.cwd() / "scenarios", BUILTIN_SCENARIO_DIR]
    unique: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [u.resolve() for u in unique]:
            unique.append(d)
    return unique


def available_scenarios(extra: Iterable[str | Path] = ()) -> dict[str, Path]:
    """Scenario name -> file, first folder wins (see :func:`scenario_dirs`)."""
    found: dict[str, Path] = {}
    for d in scenario_dirs(extra):
        for f in sorted([*d.glob("*.yaml"), *d.glob("*.yml")]):
            found.setdefault(f.stem, f)
    return found


def find_scenario(name_or_path: str | Path, extra_dirs: Iterable[str | Path] = ()) -> Path:
    """The file for a scenario name or path; an :class:`InputError` listing the choices if none."""
    return find_named_file(
        name_or_path, lambda: available_scenarios(extra_dirs), "scenario",
        "(see `leverage-sim list`)",
        f" (searched {', '.join(str(d) for d in scenario_dirs(extra_dirs))}; add folders with "
        f"--scenario-dir or ${ENV_SCENARIO_PATH})")


def find_named_file(name_or_path: str | Path, known: Callable[[], Mapping[str, Path]],
                    kind: str, name_hint: str, searched: str = "") -> Path:
    """``name_or_path`` itself if it is a path (a ``.yaml`` name or one with a folder) to an
    existing file, else the file ``known()`` maps the name to; an :class:`InputError` naming
    the ``kind`` of file, close matches and the known names otherwise."""
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or p.parent != Path("."):
        if p.is_file():
            return p
        raise InputError(f"{kind.capitalize()} file '{p}' does not exist. Check the path, or "
                         f"give a {kind} name {name_hint}.")
    names = known()
    if str(name_or_path) in names:
        return names[str(name_or_path)]
    close = difflib.get_close_matches(str(name_or_path), names, n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise InputError(f"No {kind} named '{name_or_path}'.{hint} Known {kind}s: "
                     f"{', '.join(names) or 'none'}{searched}.")


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""``yaml.safe_load``'s loader, in C when PyYAML was built with libyaml (10× faster)."""


def read_yaml(path: Path) -> dict[str, Any]:
    """Read one YAML mapping (safe loading, with libyaml where PyYAML has it); syntax errors
    name file, line and column."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError(f"{path}: malformed YAML{where}: {e.problem}. Fix the syntax there "
                         "(indentation, a missing ':' or an unclosed quote or bracket).") from None
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as e:
        raise InputError(f"{path}: cannot be read as YAML ({e}).") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(f"{path}: a scenario file must be a YAML mapping of fields "
                         f"(government:, militias:, ...), not a {type(data).__name__}.")
    return data


def resolve_raw(name_or_path: str | Path, extra_dirs: Iterable[str | Path] = (),
                _chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    """Raw scenario data with its ``extends`` chain merged in (no validation, no overrides)."""
    path = find_scenario(name_or_path, extra_dirs)
    if path.resolve() in _chain:
        cycle = " -> ".join(str(p) for p in (*_chain, path.resolve()))
        raise InputError(f"{path}: 'extends' forms a cycle ({cycle}). Remove one of the links.")
    data = read_yaml(path)
    data.setdefault("name", path.stem)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise InputError(f"{path}: 'extends' must be one scenario name or path, got {parent!r}.")
    if not Path(parent).is_absolute() and (path.parent / parent).is_file():
        parent = str(path.parent / parent)
    base = resolve_raw(parent, [path.parent, *extra_dirs], (*_chain, path.resolve()))
    base.pop("name", None)
    base.pop("question", None)
    return deep_merge(base, data)


def deep_merge(base: Any, override: Any) -> Any:
    """Merge ``override`` into ``base``: mappings recursively, named list entries by name."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = deep_merge(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(override, list):
        return _merge_named_lists(base, override)
    return override


def _merge_named_lists(base: list[Any], override: list[Any]) -> list[Any]:
    merged = list(base)
    for entry in override:
        name = entry.get("name") if isinstance(entry, dict) else None
        idx = next((i for i, b in enumerate(merged)
                    if name is not None and isinstance(b, dict) and b.get("name") == name), None)
        if isinstance(entry, dict) and entry.get("remove") is True:
            if idx is not None:
                merged.pop(idx)
        elif idx is None:
            merged.append(entry)
        else:
            merged[idx] = deep_merge(merged[idx], entry)
    return merged


def load_scenario(name_or_path: str | Path | Scenario, overrides: Overrides = None,
                  scenario_dirs: Iterable[str | Path] = ()) -> Scenario:
    """Load, merge, override and validate a scenario.

    Args:
        name_or_path: a scenario name (searched in ``scenario_dirs``, then the defaults), a path
            to a YAML file, or an existing :class:`Scenario` (overrides are applied to a copy).
        overrides: ``{"foreign_forces.backing": 0.8}`` or ``["militias[KH].autonomy=0.5"]``.
        scenario_dirs: extra folders to search for names.

    Raises:
        InputError: a readable paragraph naming the file, the field path and the allowed range.
    """
    if isinstance(name_or_path, Scenario):
        raw, source = name_or_path.model_dump(mode="json"), f"scenario '{name_or_path.name}'"
    else:
        raw = resolve_raw(name_or_path, scenario_dirs)
        source = str(find_scenario(name_or_path, scenario_dirs))
    return validate(raw, source, overrides)


def validate(raw: dict[str, Any], source: str, overrides: Overrides = None) -> Scenario:
    """Apply overrides to raw data and validate it; errors are :class:`InputError` paragraphs."""
    overrides = ov.normalise(overrides)
    for path, value in overrides.items():
        ov.apply(raw, path, value)
    try:
        return Scenario.model_validate(raw)
    except ValidationError as e:
        problems = [_describe(err, raw) for err in e.errors()]
        via = (f" (after overrides {', '.join(f'{k}={v}' for k, v in overrides.items())})"
               if overrides else "")
        raise InputError(
            f"{source}{via}: {len(problems)} problem{'s' * (len(problems) > 1)} — "
            + "; ".join(problems)
            + ". Fix these fields in the file (or the --set override); `leverage-sim params` "
            "lists every field with its unit and range."
        ) from None


def _walk(loc: tuple[Any, ...]) -> tuple[type[Strict] | None, Any]:
    """For a location like ('militias', 0, 'autonomy'): the schema model that owns the last
    field (or None if the path leaves the schema) and that field's FieldInfo (or None)."""
    model: type[Strict] | None = Scenario
    info = None
    for part in loc:
        if isinstance(part, int):
            continue
        if model is None or part not in model.model_fields:
            return None, None
        info = model.model_fields[part]
        ann = info.annotation
        inner = ann.__args__[0] if getattr(ann, "__args__", None) else ann
        model = inner if isinstance(inner, type) and issubclass(inner, Strict) else None
    return model, info


def schema_field(path: str) -> Any:
    """The schema field (pydantic ``FieldInfo``) an override path such as
    ``militias[KH].autonomy`` sets, or None if the path leaves the schema."""
    loc = tuple(0 if isinstance(p, ov.Key) else p for p in ov.parse_path(path))
    return _walk(loc)[1]


def allowed_range(info: Any) -> tuple[float | None, float | None]:
    """(lower, upper) bounds of a schema field, from its ge/gt/le constraints."""
    lo = hi = None
    for m in info.metadata:
        for attr in ("ge", "gt"):
            if getattr(m, attr, None) is not None:
                lo = getattr(m, attr)
        if getattr(m, "le", None) is not None:
            hi = m.le
    return lo, hi


def _describe(err: dict[str, Any], raw: dict[str, Any]) -> str:
    loc = err["loc"]
    path = _readable_loc(loc, raw)
    if err["type"] == "extra_forbidden":
        owner = _walk(loc[:-1])[0] if len(loc) > 1 else Scenario
        names = list(owner.model_fields) if owner else []
        close = difflib.get_close_matches(str(loc[-1]), names, n=1)
        hint = f" — did you mean '{close[0]}'?" if close else ""
        return f"unknown field '{path}'{hint} (allowed here: {', '.join(names)})"
    msg = err["msg"].removeprefix("Value error, ")
    info = _walk(loc)[1]
    if info is not None:
        lo, hi = allowed_range(info)
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        unit = extra.get("unit", "")
        if lo is not None or hi is not None:
            rng = f"{'' if lo is None else lo} to {'' if hi is None else hi}".strip()
            msg += f" (allowed range {rng}{' ' + unit if unit else ''}; got {err.get('input')!r})"
    return f"'{path}': {msg}" if path else msg


def _readable_loc(loc: tuple[Any, ...], raw: Any) -> str:
    """('militias', 0, 'autonomy') -> 'militias[KH].autonomy' using names from the raw data."""
    out, node = "", raw
    for part in loc:
        if isinstance(part, int):
            entry = node[part] if isinstance(node, list) and part < len(node) else None
            name = entry.get("name") if isinstance(entry, dict) else None
            out += f"[{name if name is not None else part}]"
            node = entry
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out
