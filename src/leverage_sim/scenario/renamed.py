"""Fields renamed since older versions: a scenario file, an override, a scripted ``set``, a
sweep, calibration or posterior path may still use the old name, which reads as the new one.

Giving both names for one entry is refused (:func:`current_fields`): they are one field, and
either value could be meant.
"""

from __future__ import annotations

from typing import Any

RENAMED_FIELDS: dict[str, dict[str, str]] = {
    "militias": {"capital_fighters": "local_fighters"},
}
"""List section → {old field name: current name} of its entries' fields."""


def current_name(section: str, field: str) -> str:
    """The current name of ``field`` of an entry of ``section`` (``field`` itself if it was
    never renamed)."""
    return RENAMED_FIELDS.get(section, {}).get(field, field)


def old_names(section: str, field: str) -> list[str]:
    """The old names of ``field`` of an entry of ``section`` that are still read."""
    return [old for old, new in RENAMED_FIELDS.get(section, {}).items() if new == field]


def current_fields(section: str, entry: dict[str, Any], where: str) -> dict[str, Any]:
    """``entry`` (the raw mapping of one entry of ``section``, at ``where``) with its old field
    names written as the current ones, in place of each (the order kept).

    Raises:
        ValueError: ``entry`` gives both the old and the current name of a field (a clause:
            no final full stop).
    """
    old = {name: new for name, new in RENAMED_FIELDS.get(section, {}).items() if name in entry}
    both = next((name for name, new in old.items() if new in entry), None)
    if both is not None:
        new = old[both]
        raise ValueError(
            f"{where} gives both {new} and {both}, the old name of {new}: they are one field, "
            f"so only one value can hold; keep {new} and delete {both}")
    return {old.get(name, name): value for name, value in entry.items()} if old else entry
