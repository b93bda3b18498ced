"""The dashboard's levers: which scenario field each slider sets, and the sliders' specs.

Every lever is a probability or index in [0, 1] that the scenario schema already validates;
a slider starts at the selected scenario's own value (``None`` = keep the scenario's value).
Embassy interception is the site's value from day 0: scripted ``deploy_defence`` events still
change it on their dates (the replay's rocket defence from 28 June 2020).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from leverage_sim.schema import Scenario

EMBASSY = "embassy"
SEED_SLIDER_MAX = 199


@dataclass(frozen=True)
class Lever:
    """One slider: keyword of :class:`~leverage_sim.dashboard.model.DashboardModel`, short
    name, what the value means, dotted override path, and how to read the scenario's value
    (``None`` if it has none)."""

    name: str
    short: str
    meaning: str
    path: str
    read: Callable[[Scenario], float | None]

    @property
    def label(self) -> str:
        """The slider's label, e.g. *US backing (P that US forces step in)*."""
        return f"{self.short} ({self.meaning})"


def _embassy_interception(sc: Scenario) -> float | None:
    return next((s.interception for s in sc.foreign_forces.sites if s.name == EMBASSY), None)


LEVERS: tuple[Lever, ...] = (
    Lever("backing", "US backing", "P that US forces step in", "foreign_forces.backing",
          lambda sc: sc.foreign_forces.backing),
    Lever("instigation", "Patron instigation", "0-1", "patron.instigation",
          lambda sc: sc.patron.instigation),
    Lever("resolve", "Government resolve", "0-1", "government.resolve",
          lambda sc: sc.government.resolve),
    Lever("embassy_interception", "Embassy interception", "P, from day 0",
          f"foreign_forces.sites[{EMBASSY}].interception", _embassy_interception),
)


def scenario_values(scenario: Scenario) -> dict[str, float]:
    """The scenario's value of each lever it has (a scenario without an embassy site has no
    embassy lever)."""
    values = {lv.name: lv.read(scenario) for lv in LEVERS}
    return {k: float(v) for k, v in values.items() if v is not None}


def lever_overrides(values: Mapping[str, float | None]) -> dict[str, float]:
    """Dotted overrides for the levers given a value (``None`` keeps the scenario's)."""
    return {lv.path: float(values[lv.name]) for lv in LEVERS
            if values.get(lv.name) is not None}


def model_params(scenario_name: str, scenario: Scenario,
                 overrides: tuple[str, ...] = ()) -> dict[str, Any]:
    """SolaraViz ``model_params``: fixed scenario name and ``--set`` overrides, one slider per
    lever starting at the scenario's value, and the seed slider (replication number)."""
    params: dict[str, Any] = {"scenario_name": scenario_name, "overrides": overrides}
    values = scenario_values(scenario)
    for lv in LEVERS:
        if lv.name in values:
            params[lv.name] = {"type": "SliderFloat", "label": lv.label, "value": values[lv.name],
                               "min": 0.0, "max": 1.0, "step": 0.01}
    params["seed"] = {"type": "SliderInt", "label": "Seed (replication no. of `leverage-sim run`)",
                      "value": 0, "min": 0, "max": SEED_SLIDER_MAX, "step": 1}
    return params
