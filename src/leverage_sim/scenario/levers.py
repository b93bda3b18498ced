"""The named levers: short keyword names for the parameters analysts pull, each a dotted
scenario path as ``--set`` takes it.

``LeverageModel("june_2020_replay", backing=0.5)`` is
``LeverageModel("june_2020_replay", overrides={"foreign_forces.backing": 0.5})``, so Mesa's
``batch_run`` and ``SolaraViz`` sliders, which pass model parameters as keywords, bind to them.
Any other parameter can be given by its dotted path (``**{"militias[KH].autonomy": 0.5}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leverage_sim.errors import InputError

LEVERS: dict[str, str] = {
    "backing": "foreign_forces.backing",
    "troops": "foreign_forces.presence",
    "resolve": "government.resolve",
    "enforcement_capacity": "government.enforcement_capacity",
    "instigation": "patron.instigation",
    "patron_resources": "patron.resources",
    "embassy_interception": "foreign_forces.sites[embassy].interception",
}
"""Lever keyword → scenario path: US backing (probability 0-1 that US forces step in), US
troops present, government resolve (0-1), enforcement capacity (personnel), patron instigation
(0-1), patron resources (multiple of the 2020 level), embassy rocket interception from day 0
(probability 0-1)."""


def lever_path(name: str) -> str:
    """The scenario path of lever ``name``: a :data:`LEVERS` keyword, or a dotted path as
    itself (a name with ``.`` or ``[``).

    Raises:
        InputError: neither a lever keyword nor a dotted path.
    """
    if name in LEVERS:
        return LEVERS[name]
    if "." in name or "[" in name:
        return name
    raise InputError(f"Unknown lever '{name}'. Levers are {', '.join(LEVERS)} "
                     "(leverage_sim.scenario.levers.LEVERS) or dotted parameter paths such as "
                     "foreign_forces.backing (`leverage-sim params` lists them).")


def lever_overrides(values: Mapping[str, Any]) -> dict[str, Any]:
    """Dotted overrides for lever ``values`` (keyword or path → value); ``None`` values keep
    the scenario's own."""
    return {lever_path(name): v for name, v in values.items() if v is not None}
