"""The dashboard's levers: which scenario field each slider sets, how to read the scenario's
value and the running model's current value, and the scenario the sliders describe.

Every lever is a probability or index in [0, 1] that the scenario schema already validates;
a slider starts at the selected scenario's own value (``None`` = keep the scenario's value).
Embassy interception is the site's value from day 0: scripted ``deploy_defence`` events still
change it on their dates (the replay's rocket defence from 28 June 2020), which the page shows
as the lever's current value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from leverage_sim.scenario.limits import is_real
from leverage_sim.scenario.loader import load_scenario
from leverage_sim.scenario.overrides import normalise
from leverage_sim.scenario.schema import Scenario
from leverage_sim.simulation.model import LeverageModel

EMBASSY = "embassy"
SEED_SLIDER_MAX = 199


@dataclass(frozen=True)
class Lever:
    """One slider: keyword of :class:`~leverage_sim.dashboard.model.DashboardModel`, short
    name and what the value means (``{force}`` standing for the scenario's foreign force,
    :attr:`~leverage_sim.scenario.schema.ForeignForces.label`), dotted override path, how to
    read the scenario's value (``None`` if it has none) and the running model's current
    value."""

    name: str
    short: str
    meaning: str
    path: str
    read: Callable[[Scenario], float | None]
    live: Callable[[LeverageModel], float]

    def named(self, force: str) -> str:
        """The short name, the scenario's foreign force named ``force``: *US backing*."""
        return self.short.format(force=force)

    def label(self, force: str) -> str:
        """The slider's label, e.g. *US backing (P that US forces step in)*."""
        return f"{self.named(force)} ({self.meaning.format(force=force)})"


def _embassy_interception(sc: Scenario) -> float | None:
    return next((s.interception for s in sc.foreign_forces.sites if s.name == EMBASSY), None)


LEVERS: tuple[Lever, ...] = (
    Lever("backing", "{force} backing", "P that {force} forces step in", "foreign_forces.backing",
          lambda sc: sc.foreign_forces.backing, lambda m: m.foreign_force.backing),
    Lever("instigation", "Patron instigation", "0-1", "patron.instigation",
          lambda sc: sc.patron.instigation, lambda m: m.patron.instigation),
    Lever("resolve", "Government resolve", "0-1", "government.resolve",
          lambda sc: sc.government.resolve, lambda m: m.government.resolve),
    Lever("embassy_interception", "Embassy interception", "P, from day 0",
          f"foreign_forces.sites[{EMBASSY}].interception", _embassy_interception,
          lambda m: m.foreign_force.site(EMBASSY).interception),
)


def scenario_values(scenario: Scenario) -> dict[str, float]:
    """The scenario's value of each lever it has (a scenario without an embassy site has no
    embassy lever)."""
    values = {lv.name: lv.read(scenario) for lv in LEVERS}
    return {k: float(v) for k, v in values.items() if v is not None}


def live_values(model: LeverageModel) -> dict[str, float]:
    """Each lever's value in the running model now (after scripted changes and drift)."""
    return {lv.name: float(lv.live(model)) for lv in LEVERS if lv.read(model.spec) is not None}


def lever_overrides(values: Mapping[str, Any]) -> dict[str, float]:
    """Dotted overrides for the levers given a value (``None`` keeps the scenario's; other
    keys, such as ``seed``, are ignored); a value that is no number is left for the scenario
    schema to refuse, naming the lever's field."""
    return {lv.path: _number(values[lv.name]) for lv in LEVERS
            if values.get(lv.name) is not None}


def _number(value: Any) -> Any:
    """A lever's value as a float if it is a number; anything else unchanged, for the scenario
    schema to refuse by name (text, true/false)."""
    return float(value) if is_real(value) else value


def settings_scenario(name: str, overrides: Iterable[str], values: Mapping[str, Any]
                      ) -> Scenario:
    """Scenario ``name`` with the ``--set`` ``overrides`` and then the lever ``values``
    applied: what the page's sliders describe.

    Raises:
        InputError: unknown scenario, or an override the scenario rejects.
    """
    return load_scenario(name, {**normalise(overrides), **lever_overrides(values)})
