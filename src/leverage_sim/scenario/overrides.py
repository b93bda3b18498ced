"""Dotted-path overrides of raw scenario data: ``foreign_forces.backing=0.8``, ``militias[KH].autonomy=0.5``.

Paths address the raw (YAML-shaped) mapping before validation: ``a.b`` walks mappings,
``[NAME]`` picks the list entry whose ``name`` is NAME, and a whole number ``[3]`` (or ``[-1]``,
counting from the end) always picks by position: names of list entries are never whole numbers
(the schema refuses them), so ``militias[0]`` is the first militia. A renamed field's old name
reads as its current one (:mod:`leverage_sim.scenario.renamed`). Used by
``load_scenario`` and by sweeps, so both read paths the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from leverage_sim.errors import InputError
from leverage_sim.files.safe_text import look_alike, visible
from leverage_sim.files.safe_yaml import YAMLSyntaxError, load_text
from leverage_sim.scenario.renamed import current_name

_TOKEN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[([^\]]+)\]|(\.)")


class Key(str):
    """A path step written in brackets (``[KH]``, ``[0]``): picks a list entry."""


def position(key: str) -> int | None:
    """The position a bracketed path step means if it is a whole number, possibly negative,
    in any digits (``0``, ``-1``, ``０``); None for a name."""
    text = unicodedata.normalize("NFKC", key).strip()
    digits = text.removeprefix("-")
    if not digits.isdecimal():
        return None
    if len(digits) > 18:  # past any list's end (and past what int() reads, from 4,300 digits)
        return -(10**18) if text.startswith("-") else 10**18
    return int(text)


def is_index(key: str) -> bool:
    """True if a bracketed path step (or a name) reads as a position (see :func:`position`)."""
    return position(key) is not None


def _shown(path: str) -> str:
    """``path`` for a message: every control character escaped, tabs and newlines too (no
    path holds one, so in a path they are what is wrong)."""
    return visible(path).replace("\t", "\\t").replace("\n", "\\n")


def parse_path(path: str) -> list[str]:
    """Split ``militias[KH].autonomy`` into ``["militias", Key("KH"), "autonomy"]``."""
    parts: list[str] = []
    pos = 0
    expect_name = True
    while pos < len(path):
        m = _TOKEN.match(path, pos)
        if not m or (m.group(3) and expect_name):
            raise InputError(
                f"Override path '{_shown(path)}' is not valid at character {pos + 1}. Write "
                "paths like "
                "foreign_forces.backing or militias[KH].autonomy (names in brackets pick a list "
                "entry by its name)."
            )
        if m.group(3):
            expect_name = True
        else:
            parts.append(m.group(1) or Key(m.group(2).strip()))
            expect_name = False
        pos = m.end()
    if not parts or expect_name:
        raise InputError(f"Override path '{path}' is empty or ends with a dot.")
    return _current_names(parts)


def _current_names(parts: list[str]) -> list[str]:
    """``parts`` with an old name of a list entry's field as its current one
    (``militias[KH].capital_fighters`` → ``militias[KH].local_fighters``; see
    :mod:`leverage_sim.scenario.renamed`)."""
    return [current_name(parts[i - 2], p)
            if i >= 2 and isinstance(parts[i - 1], Key) and not isinstance(p, Key) else p
            for i, p in enumerate(parts)]


def is_run_setting(path: str) -> bool:
    """True for a path to a setting of the whole run (``horizon_days``, ``seed``), not to a
    parameter of an actor or site: a calibration fits, and a posterior draws, only the latter
    (an episode fixes its own days and seeds)."""
    return len(parse_path(path)) < 2


def positional_step(path: str) -> str | None:
    """The first list entry ``path`` picks by its position (``0`` in ``militias[0].x``), or
    None if it names every entry it picks: a position means another militia or site in each
    scenario, so a calibration cannot fit it, nor a posterior draw it, as one parameter."""
    return next((k for k in parse_path(path) if isinstance(k, Key) and is_index(k)), None)


def render_path(parts: list[str]) -> str:
    """Inverse of ``parse_path``."""
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, Key) else (f".{p}" if out else p)
    return out


def split_assignment(text: str) -> tuple[str, str] | None:
    """``"path=value"`` split at its first ``=`` outside brackets (a name in brackets may hold
    one: ``militias[a=b].autonomy=0.5``); None if there is none."""
    depth = 0
    for i, char in enumerate(text):
        if char == "[":
            depth += 1
        elif char == "]":
            depth = max(depth - 1, 0)
        elif char == "=" and depth == 0:
            return text[:i], text[i + 1:]
    return None


def parse_assignment(text: str) -> tuple[str, Any]:
    """Parse ``path=value``; the value is read as YAML (numbers, booleans, lists, strings, dates;
    see :mod:`leverage_sim.files.safe_yaml`)."""
    parts = split_assignment(text)
    if parts is None:
        if "=" in text and text.count("[") > text.count("]"):
            raise InputError(
                f"Override '{text}': a '[' is not closed by ']', so its '=' reads as part of "
                "a name in brackets. Close the bracket, e.g. militias[KH].autonomy=0.5.")
        if "=" in text:
            raise InputError(
                f"Override '{text}' has no '=' outside brackets (a name in brackets may hold "
                "one). Write it as path=value, e.g. militias[KH].autonomy=0.5.")
        raise InputError(
            f"Override '{text}' has no '='. Write it as path=value, e.g. foreign_forces.backing=0.8."
        )
    path, raw = parts
    try:
        value = load_text(raw, f"Override '{path.strip()}'") if raw.strip() else None
    except YAMLSyntaxError:
        value = raw  # not YAML: kept as text, and the schema says what the field needs
    return path.strip(), value


def reusable(overrides: Mapping[str, Any] | Iterable[str] | None
             ) -> Mapping[str, Any] | Iterable[str] | None:
    """``overrides`` in a form that can be read more than once: a generator or other one-pass
    iterable of texts becomes a tuple (a function that applies the overrides and then records
    them would otherwise record none); mappings, texts and None are returned as they are."""
    if overrides is None or isinstance(overrides, Mapping | str | bytes | bytearray) \
            or not isinstance(overrides, Iterable):
        return overrides
    return tuple(overrides)


def normalise(overrides: Mapping[str, Any] | Iterable[str] | None) -> dict[str, Any]:
    """Accept a ``{path: value}`` mapping or an iterable of ``"path=value"`` strings."""
    if overrides is None:
        return {}
    if isinstance(overrides, Mapping):
        for path in overrides:
            if not isinstance(path, str):
                raise InputError(f"Override path {path!r} is not text: give overrides as "
                                 "{'path': value}, e.g. {'foreign_forces.backing': 0.8}.")
        return dict(overrides)
    if isinstance(overrides, str):
        overrides = [overrides]
    if isinstance(overrides, bytes | bytearray) or not isinstance(overrides, Iterable):
        raise InputError(f"Overrides {overrides!r}: give a {{path: value}} mapping or "
                         "'path=value' texts, e.g. ['foreign_forces.backing=0.8'].")
    out: dict[str, Any] = {}
    typed: dict[str, str] = {}  # each path's value as typed, for the message below
    for item in overrides:
        if not isinstance(item, str):
            raise InputError(f"Override {item!r} is not 'path=value' text, e.g. "
                             "'foreign_forces.backing=0.8' (or give a {path: value} mapping).")
        path, value = parse_assignment(item)
        raw = (split_assignment(item) or ("", ""))[1].strip()
        if path in out:
            raise InputError(f"Override '{path}' is given twice ({path}={typed[path]} and "
                             f"{raw}); only one value can hold: give it once.")
        out[path], typed[path] = value, raw
    return out


def one_field_twice(paths: Iterable[str]) -> tuple[str, str, str] | None:
    """The first two of ``paths`` that name one field, spelt differently or not
    (``militias[KH].autonomy`` and ``militias[ KH ].autonomy``, or a field by its old name), as
    ``(first, second, the field's path)``; None if every path names its own field."""
    seen: dict[str, str] = {}
    for path in paths:
        field = render_path(parse_path(path))
        if field in seen:
            return seen[field], path, field
        seen[field] = path
    return None


def first_overlap(first: Iterable[str], second: Iterable[str]) -> tuple[str, str] | None:
    """The first path of ``first`` and of ``second`` that name one field, or a section and a
    field in it (``government`` and ``government.resolve``), spelt differently or not; None if
    none do."""
    fields = [(p, render_path(parse_path(p))) for p in first]
    for path in second:
        field = render_path(parse_path(path))
        for other, known in fields:
            if _overlap(known, field):
                return other, path
    return None


def apply_all(data: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, str]:
    """Apply every override (in order) to raw scenario data; two that set the same field are
    an :class:`InputError`, since only the last would hold: two paths to it
    (``militias[KH].autonomy`` and ``militias[0].autonomy``), or a path and a section given as a
    mapping that names it (``government.resolve=0.5`` and ``government={resolve: 0.3}``), or a
    path into a section that another override replaces whole (``events=[]``). Returns which
    override set each field, by the field's position-only path (``militias[0].name`` →
    ``militias[KH].name``)."""
    seen: dict[str, str] = {}
    for path, value in overrides.items():
        for where in apply(data, path, value):
            clash = next((s for s in seen if _overlap(s, where)), None)
            if clash is not None:
                raise InputError(f"Overrides '{seen[clash]}' and '{path}' set the same field "
                                 f"({min(clash, where, key=len)}), so only the last would "
                                 "hold: give it once.")
            seen[where] = path
    return seen


def _overlap(a: str, b: str) -> bool:
    """Whether the fields at position-only paths ``a`` and ``b`` are one, or one holds the
    other (``events`` holds ``events[0].day``)."""
    short, long = sorted((a, b), key=len)
    return long == short or long.startswith((short + ".", short + "["))


def apply(data: dict[str, Any], path: str, value: Any) -> list[str]:
    """Set ``value`` at ``path`` in raw scenario data (in place), creating mappings as needed;
    returns the position-only paths of the fields it set (``militias[0].autonomy``, the same
    however the path names list entries; for a mapping merged into a section, each field the
    mapping names)."""
    parts = parse_path(path)
    if isinstance(parts[-1], Key):
        raise InputError(f"Override '{path}' must end with a field name, not a list entry.")
    node: Any = data
    canonical: list[str] = []
    for i, key in enumerate(parts[:-1]):
        where = render_path(parts[: i + 1])
        if isinstance(key, Key):
            at = _list_position(node, key, where, path)
            canonical.append(Key(str(at)))
            node = node[at]
            continue
        canonical.append(key)
        if not isinstance(node, dict):
            raise InputError(f"Override '{path}': '{render_path(parts[:i])}' is not a section "
                             f"with fields, so it has no field '{key}'.")
        if node.get(key) is None:
            if isinstance(parts[i + 1], Key):
                raise InputError(f"Override '{path}': the scenario has no list '{where}'.")
            node[key] = {}
        node = node[key]
    if not isinstance(node, dict):
        raise InputError(f"Override '{path}': '{render_path(parts[:-1])}' is not a section with "
                         "fields.")
    last = parts[-1]
    where = render_path([*canonical, last])
    if last in FREE_MAPPINGS:
        node[last] = value
        return [where]
    node[last], fields = _into_section(node.get(last), value, where)
    return fields


FREE_MAPPINGS = ("figures",)
"""Fields whose value is a mapping of their own (an event's ``figures``: the action's numbers),
replaced whole by an override; every other mapping in a scenario is a section."""


def _into_section(old: Any, new: Any, where: str) -> tuple[Any, list[str]]:
    """``new`` set over ``old`` (the field at ``where``), and the fields that sets: a mapping
    over a section changes only the fields it names (sections inside it likewise), as
    ``extends`` merges sections, rather than putting the schema's defaults in place of the
    section's other fields; any other value (a number, a list: ``events=[]`` drops every
    event) replaces ``old`` and sets ``where`` itself, as does a mapping given for one of
    :data:`FREE_MAPPINGS`."""
    if not (isinstance(old, dict) and isinstance(new, Mapping)):
        return new, [where]
    merged, fields = dict(old), []
    for key, value in new.items():
        merged[key], named = _into_section(old.get(key), value, f"{where}.{key}")
        fields += named
    return merged, fields


def _list_position(node: Any, key: Key, where: str, path: str) -> int:
    """The position (0 up) of the entry of list ``node`` that ``key`` picks, by position or
    by name."""
    if not isinstance(node, list):
        raise InputError(f"Override '{path}': '{where}' picks a list entry, but that field is "
                         "not a list.")
    at = position(key)
    if at is not None:
        if -len(node) <= at < len(node):
            return at % len(node)
        raise InputError(f"Override '{path}': '{where}' picks entry {key.strip()} by position, "
                         f"but that list has {len(node)} entries (0 to {len(node) - 1}).")
    for i, entry in enumerate(node):
        if isinstance(entry, dict) and str(entry.get("name")) == key:
            return i
    names = [str(e.get("name")) for e in node if isinstance(e, dict) and e.get("name")]
    raise InputError(f"Override '{path}': no entry named '{key}' in that list (it has "
                     f"{len(node)} entries; names: {', '.join(names) or 'none'})"
                     f"{look_alike(key, names)}.")
