"""Readable labels for charts and tables: what a summary column, an outcome (``held_firm>0``)
or a parameter path (``foreign_forces.backing``) means, with its unit.

Parameters are labelled from the scenario schema (each field's name, ``unit`` and
``description``), so a new parameter is labelled without touching this module; summary and
time-series columns from the small table :data:`COLUMNS`. Unknown names fall back to the name
with spaces for underscores, so a chart never fails for want of a label. Labels that name
the foreign force take ``force``, its label (a scenario's ``foreign_forces.label``; by default
*foreign*, for charts and tables of no one scenario).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from leverage_sim.scenario.loader import _walk
from leverage_sim.scenario.schema import GENERIC_FORCE


@dataclass(frozen=True)
class Column:
    """A summary or time-series column: what it counts, its unit, and (for counts whose
    ``>0`` share is an outcome) the event in words, as in "share of runs where ...". ``count``:
    whole numbers (integer axis ticks, printed without decimals)."""

    what: str
    unit: str
    event: str | None = None
    count: bool = True


COLUMNS = {
    "raids": Column("enforcement raids", "count", "the government raided a militia"),
    "arrests": Column("militia members arrested", "persons", "militia members were "
                      "arrested"),
    "max_muster_size": Column("largest militia muster", "fighters", "a militia mustered"),
    "public_threats": Column("public threats by militia leaders", "count",
                             "a militia leader threatened the government publicly"),
    "standoffs": Column("standoffs", "count", "a standoff took place"),
    "held_firm": Column("standoffs in which the government held firm", "count",
                        "the government held firm"),
    "relents": Column("standoffs in which the government relented", "count",
                      "the government relented"),
    "clashes": Column("armed clashes", "count", "a standoff turned into an armed clash"),
    "fight_days": Column("days of fighting", "days", "there was fighting (a clash or an "
                         "operation)"),
    "fight_deaths": Column("combatants killed in fighting", "killed", "combatants were "
                           "killed in fighting"),
    "deserters": Column("government troops who deserted in fighting", "troops",
                        "government troops deserted"),
    "ceasefires": Column("ceasefires brokered by the patron", "count", "the patron brokered "
                         "a ceasefire"),
    "detainees_released": Column("detainees released", "persons",
                                 "detainees were released"),
    "attacks": Column("attacks on {force}-linked sites", "count", "militias attacked "
                      "{force}-linked sites"),
    "attacks_intercepted": Column("attacks intercepted", "count", "an attack was "
                                  "intercepted"),
    "us_casualties": Column("{force} casualties", "killed", "{force} forces took casualties"),
    "us_strikes": Column("{force} strikes on militias", "count",
                         "{force} forces struck a militia"),
    "us_withdrawn": Column("{force} forces withdrew completely", "yes/no",
                           "{force} forces withdrew completely"),
    "withdrawal_day": Column("day of the {force} withdrawal", "day, -1 = none"),
    "final_authority": Column("government authority at the end", "index 0-1", count=False),
    "final_mean_autonomy": Column("mean militia autonomy at the end", "index 0-1",
                                  count=False),
    "authority": Column("government authority", "index 0-1", count=False),
    "resolve": Column("government resolve", "index 0-1", count=False),
    "coalition_support": Column("parliamentary support for the PM", "share 0-1", count=False),
    "patron_instigation": Column("patron instigation", "index 0-1", count=False),
    "mean_autonomy": Column("mean militia autonomy", "index 0-1", count=False),
    "detainees_held": Column("detainees held", "persons"),
    "us_presence": Column("{force} troops in country", "troops"),
    "escalation": Column("escalation", "index 0-1", count=False),
}
"""Summary and time-series column -> what it means (see :class:`Column`; ``{force}``: the
foreign force's label)."""

SECTIONS = {"government": "government", "patron": "patron", "foreign_forces": "{force}",
            "escalation": "escalation"}
"""Parameter section -> the actor named in its labels (militias and sites: their own name)."""

_COMPARISON = re.compile(r"^\s*([A-Za-z_][\w.\[\]]*)\s*(>=|<=|==|!=|>|<)\s*(.+?)\s*$")
_SYMBOLS = {">=": "≥", "<=": "≤", "==": "=", "!=": "≠", ">": ">", "<": "<"}
_PART = re.compile(r"([a-z_]+)(?:\[([^\]]+)\])?")


def _humanise(name: str) -> str:
    return name.replace("_", " ")


def _field(path: str) -> tuple[list[tuple[str, str | None]], object | None]:
    """The path's parts ``(field, [key])`` and the schema FieldInfo it ends at (or None)."""
    parts = [_PART.fullmatch(p) for p in path.split(".")]
    if not all(parts):
        return [], None
    pairs = [(m.group(1), m.group(2)) for m in parts]
    loc = tuple(x for name, key in pairs for x in ((name, 0) if key is not None else (name,)))
    return pairs, _walk(loc)[1]


def _unit(info: object) -> str:
    extra = getattr(info, "json_schema_extra", None)
    return extra.get("unit", "") if isinstance(extra, dict) else ""


def is_share(name: str) -> bool:
    """Whether ``name`` is a share of runs (0-1): a comparison such as ``held_firm>0`` or a
    yes/no column such as ``us_withdrawn``."""
    return bool(_COMPARISON.match(name)) or name == "us_withdrawn"


def is_count(name: str) -> bool:
    """Whether ``name`` takes whole numbers (a count per run or per day): integer ticks."""
    column = COLUMNS.get(name)
    return column is not None and column.count and not is_share(name)


def is_index(name: str) -> bool:
    """Whether ``name`` is an index or share bounded by 0 and 1 (axes run from 0 to 1)."""
    if is_share(name):
        return True
    column = COLUMNS.get(name)
    unit = column.unit if column else _unit(_field(name)[1])
    return unit.endswith("0-1")


def naming(text: str, force: str) -> str:
    """``text`` (a label of :data:`COLUMNS` or :data:`SECTIONS`) naming the foreign force
    ``force``."""
    return text.replace("{force}", force)


def label(name: str, unit: bool = True, force: str = GENERIC_FORCE) -> str:
    """A readable label for a summary/time-series column, an outcome comparison or a
    parameter path, with its unit in brackets (unless ``unit=False``); ``force`` names the
    foreign force.

    >>> label("held_firm>0")
    'share of runs where the government held firm'
    >>> label("foreign_forces.backing", force="US")
    'US backing (probability 0-1)'
    """
    m = _COMPARISON.match(name)
    if m:
        column, op, value = m.groups()
        known = COLUMNS.get(column)
        if known and known.event and op == ">" and value == "0":
            return f"share of runs where {naming(known.event, force)}"
        return (f"share of runs with {label(column, unit=False, force=force)} "
                f"{_SYMBOLS[op]} {value}")
    if name in COLUMNS:
        column = COLUMNS[name]
        if name == "us_withdrawn":
            return f"share of runs where {naming(str(column.event), force)}"
        what = naming(column.what, force)
        return f"{what} ({column.unit})" if unit else what
    pairs, info = _field(name)
    if info is None:
        return _humanise(name)
    (head, key), (field, _) = pairs[0], pairs[-1]
    if key is not None and key.isdigit():  # militias[0] -> "militia 0"
        key = f"{head.removesuffix('s')} {key}"
    actor = key if key is not None and len(pairs) == 2 else (
        f"{pairs[1][1]} site" if len(pairs) == 3 else naming(SECTIONS.get(head, ""), force))
    words = _humanise(field)
    u = _unit(info)
    if u and words.endswith(" " + u):  # "response delay days (days)" -> "... delay (days)"
        words = words[: -len(u) - 1]
    text = f"{actor} {words}".strip() if len(pairs) > 1 else words
    return f"{text} ({u})" if unit and u and u != "text" else text


def heading(name: str, force: str = GENERIC_FORCE) -> str:
    """:func:`label` without its unit, capitalised as a chart title (*Attacks on US-linked
    sites*)."""
    text = label(name, unit=False, force=force)
    return text[:1].upper() + text[1:]


def unit(name: str) -> str:
    """The unit of a column or parameter path (``""`` if it has none or is unknown)."""
    if name in COLUMNS:
        return COLUMNS[name].unit
    return _unit(_field(name)[1])


def description(name: str, force: str = GENERIC_FORCE) -> str:
    """The long explanation of a parameter path (the schema's description) or of a column;
    ``""`` if unknown; ``force`` names the foreign force."""
    if name in COLUMNS or _COMPARISON.match(name):
        return label(name, force=force)
    info = _field(name)[1]
    return getattr(info, "description", None) or ""
