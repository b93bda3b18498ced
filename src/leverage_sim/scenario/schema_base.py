"""Building blocks of the scenario schema: the strict base model, ``param()`` and field ranges.

Every schema node (scenario sections, scripted-event figures) derives from :class:`Strict`:
unknown keys are errors, assignments are validated, and numbers must be written as numbers
(``true``, ``'0.5'``, ``.nan`` and ``.inf`` are refused where a number is expected, also as an
entry of a list of numbers such as a range ``[low, high]``; an integer
field accepts a float only if it is whole, e.g. ``5000.0``; a number is not a date; a switch
is ``true`` or ``false``, not ``1`` or ``"yes"``).
"""

from __future__ import annotations

import datetime as dt
import types
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic.fields import FieldInfo

from leverage_sim.files.safe_text import has_control, name_problem
from leverage_sim.files.safe_yaml import is_switch
from leverage_sim.scenario.overrides import is_index


def param(
    default: Any,
    *,
    unit: str,
    description: str,
    source: str = "",
    ge: float | None = None,
    le: float | None = None,
    gt: float | None = None,
) -> Any:
    """A scenario parameter: a pydantic Field carrying unit, range and the source of its default
    (``default=...`` makes it required)."""
    return Field(
        default,
        ge=ge,
        le=le,
        gt=gt,
        description=description,
        json_schema_extra={"unit": unit, "source": source},
    )


def plain_type(annotation: Any) -> Any:
    """The type of a field without ``| None`` (``int | None`` -> ``int``)."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def numeric_type(annotation: Any) -> type | None:
    """``int`` or ``float`` if a field holds a number (``int | None`` counts), else None."""
    kind = plain_type(annotation)
    return kind if kind in (int, float) else None


def allowed_range(info: FieldInfo) -> tuple[float | None, float | None]:
    """(lower, upper) bounds of a schema field, from its ge/gt/le constraints."""
    lo = hi = None
    for m in info.metadata:
        for attr in ("ge", "gt"):
            if getattr(m, attr, None) is not None:
                lo = getattr(m, attr)
        if getattr(m, "le", None) is not None:
            hi = m.le
    return lo, hi


def field_summary(info: FieldInfo) -> str:
    """``'allowed range 0 to 1 index 0-1'``-style text for an error message ('' if unbounded)."""
    lo, hi = allowed_range(info)
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    unit = extra.get("unit", "")
    if lo is None and hi is None:
        return f"unit {unit}" if unit else ""
    rng = f"at least {lo}" if hi is None else f"at most {hi}" if lo is None else f"{lo} to {hi}"
    return f"allowed range {rng}{' ' + unit if unit else ''}"


def _check_name(value: str) -> str:
    problem = name_problem(value)
    if problem:
        raise ValueError(f"a name {problem}")
    return value


def _check_label(value: str) -> str:
    if value and has_control(value):
        raise ValueError("must not contain control characters (tabs, newlines, escapes or "
                         "bidirectional overrides)")
    return value


Name = Annotated[str, AfterValidator(_check_name)]
"""A name (of a scenario, actor, site, event, sweep or calibration): not empty, no surrounding
spaces, no control characters (:func:`leverage_sim.files.safe_text.name_problem`)."""
def _check_entry_name(value: str) -> str:
    if is_index(value):
        raise ValueError(f"a name must not be a whole number: [{value.strip()}] in an override "
                         "path picks a list entry by position")
    if "[" in value or "]" in value:
        raise ValueError("a name must not contain '[' or ']': an override path writes it in "
                         "brackets (militias[NAME].autonomy), where it could not be read")
    return value


EntryName = Annotated[str, AfterValidator(_check_name), AfterValidator(_check_entry_name)]
"""The name of a list entry (militia, site, scripted event), picked in override paths by
``[NAME]``: a :data:`Name` that is not a whole number (``[0]`` picks by position)."""
Label = Annotated[str, AfterValidator(_check_label)]
"""An optional display label (e.g. a militia's ``full_name``): may be empty, no control
characters."""


def _check_optional_name(value: str) -> str:
    return value and _check_name(value)


OptionalName = Annotated[str, AfterValidator(_check_optional_name)]
"""An optional name that texts put in their sentences, tables and chart labels (the foreign
force's ``short_name``): empty, or a :data:`Name` (no more than 100 characters: a longer one
collapsed every chart of a run; no surrounding spaces: one of spaces only named the force
with nothing)."""


class Problems(ValueError):
    """Several independent problems found by one validator; the loader lists each one."""

    def __init__(self, items: list[str]) -> None:
        super().__init__("; ".join(items))
        self.items = items


def _not_a_number(kind: Any, value: Any) -> str | None:
    """Why ``value`` is refused for a field of type ``kind`` (``int``, ``float`` or
    ``bool``): a boolean or a text is not a number, even one pydantic could read as one, and
    a switch is true or false, not 1 or "yes"; None if not."""
    if kind is bool and not is_switch(value):
        return f"must be true or false, not {value!r}"
    if kind not in (int, float) or not (is_switch(value) or isinstance(value, str)):
        return None
    what = "a whole number" if kind is int else "a number"
    given = "true/false" if is_switch(value) else "text"
    return f"must be {what}, not {given}"


def _item_number_type(kind: Any) -> type | None:
    """``int`` or ``float`` for a list or tuple of numbers (``tuple[float, float]``,
    ``list[int]``), whose entries are held to the same rule as a number field; else None."""
    if get_origin(kind) not in (list, tuple):
        return None
    items = {a for a in get_args(kind) if a is not Ellipsis}
    return next(iter(items)) if len(items) == 1 and items <= {int, float} else None


@cache
def _field_kinds(node: type[BaseModel], name: str) -> tuple[Any, type | None]:
    """(the type of field ``name`` of schema node ``node`` without ``| None``, the number type
    of its entries if it is a list or tuple of numbers): read once per field, as every value
    validated (hundreds per scenario) asks for it."""
    kind = plain_type(node.model_fields[name].annotation)
    return kind, _item_number_type(kind)


class Strict(BaseModel):
    """Base for every schema node: unknown keys are errors, assignments are validated, numbers
    must be numbers (no booleans, strings, NaN or infinity) and dates must be dates (no
    numbers); no value may be binary data (YAML's ``!!binary``)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _no_coercion(cls, value: Any, info: ValidationInfo) -> Any:
        kind, items = _field_kinds(cls, info.field_name)
        if isinstance(value, bytes | bytearray):  # YAML's !!binary: read as text or a number
            raise ValueError(  # noqa: TRY004 (pydantic reports ValueError, not TypeError)
                "must not be binary data (a YAML !!binary value); write it as plain text or "
                "a number")
        problem = _not_a_number(kind, value)
        if problem is None and items is not None and isinstance(value, list | tuple):
            problem = next((f"entry {i} {p}" for i, v in enumerate(value)
                            if (p := _not_a_number(items, v)) is not None), None)
        if problem is not None:
            raise ValueError(problem)
        if kind is dt.date and (isinstance(value, bool | int | float) or _number_text(value)):
            raise ValueError("must be a date written YYYY-MM-DD, not a number")
        return value


def _number_text(value: Any) -> bool:
    """Whether ``value`` is a number written as text (``"1588809600"``), which pydantic would
    read as a date that many seconds (or milliseconds) after 1 January 1970."""
    if not isinstance(value, str):
        return False
    try:
        float(value)
    except ValueError:
        return False
    return True


class FrozenStrict(Strict):
    """A :class:`Strict` node that cannot change once made (sweep specs, parameter
    distributions)."""

    model_config = ConfigDict(frozen=True, validate_assignment=False)


RETIRED_FIELDS = {
    "government.transfer_release_rate": (
        "government.transfer_release_rate was removed: transferred detainees no longer go free "
        "each at a daily rate (one rate cannot give both the 3-day bail of June 2020 and the "
        "14-day judicial release of May 2021); each case's detainees go free together after a "
        "delay drawn once per case. Set government.release_delay_days (the median delay in "
        "days, > 0 to 365; default 2) and government.release_delay_spread (its log-normal "
        "sigma, 0-3; default 0.8) instead; the old default of 0.65 a day freed half the "
        "detainees within a day, about release_delay_days: 1 with a small spread"),
}
"""Fields a scenario, an override, a scripted set or a calibration, sweep or EMA parameter may
still name from older versions → the paragraph saying what replaced them (:func:`retired`)."""


def retired(path: str) -> str | None:
    """The message for a retired field ``path`` (e.g. ``government.transfer_release_rate``),
    else None (a clause: no final full stop)."""
    return RETIRED_FIELDS.get(path.strip())
