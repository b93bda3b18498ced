"""Reading the calibration's YAML files (episodes, calibration configs) into pydantic models,
with the same one-paragraph errors as scenario files."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from leverage_sim.errors import InputError
from leverage_sim.scenario.loader import (
    FILE_KINDS,
    is_scenario_path,
    read_yaml,
    readable_loc,
    refuse_other_kind,
)

M = TypeVar("M", bound=BaseModel)
EPISODE_KEYS = frozenset(FILE_KINDS["episode file"].keys)
"""Top-level keys of an episode file that no scenario has."""
OTHER_KEYS = frozenset(FILE_KINDS["scenario"].keys + FILE_KINDS["calibration file"].keys)
"""Top-level keys no episode file has: a scenario's, and a calibration file's (which may list
``facts:`` too)."""


def is_episode_file(name_or_path: str | Path) -> bool:
    """Whether ``name_or_path`` is an episode file, not a scenario: a .yaml/.yml file holding
    a mapping with ``facts:`` or ``scenario:`` and none of a scenario's ``militias:`` and
    ``extends:`` or a calibration file's ``base_scenario:`` and ``episodes:``, wherever it
    lies. False for a name or a file that cannot be read as a mapping (read as a scenario, it
    gets the scenario's errors)."""
    if not is_scenario_path(name_or_path):
        return False
    try:
        keys = read_yaml(Path(name_or_path)).keys()
    except InputError:
        return False
    return bool(keys & EPISODE_KEYS) and not keys & OTHER_KEYS


def load_model(path: Path, model: type[M], what: str) -> M:
    """Read ``path`` as YAML and validate it as ``model``; :class:`InputError` naming the file,
    each bad field and what it must be otherwise. ``what`` names the kind of file (a file of
    another kind of :data:`~leverage_sim.scenario.loader.FILE_KINDS` is named as such)."""
    raw = read_yaml(path)
    if isinstance(raw, dict) and what in FILE_KINDS:
        refuse_other_kind(raw, path, what, own=model.model_fields)
    try:
        return model.model_validate(raw)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            where = readable_loc(err["loc"], raw)  # facts[muster].observed, not facts.2
            # a message that is a sentence of its own ends without its full stop: the
            # problems are joined into one sentence ("...; ...; .... Fix these fields")
            msg = err["msg"].removeprefix("Value error, ").rstrip(".")
            if err["type"] == "extra_forbidden":
                msg = "unknown field"
            problems.append(f"'{where}': {msg}" if where else msg)
        raise InputError(f"{path}: {len(problems)} problem{'s' * (len(problems) > 1)} in this "
                         f"{what} — " + "; ".join(problems) + ". Fix these fields (the "
                         "format is described in docs/calibration.md).") from None
