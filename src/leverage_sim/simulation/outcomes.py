"""A run's outcomes — the summary columns: counts of what happened so far and the current state.

Each outcome is a function of the model that reads only cheap state (the event log's running
tallies, the standoffs, the actors), so the same functions serve as Mesa model reporters, read
every day (``mesa.batch_run`` returns them), and as the summary row of a finished run
(:func:`leverage_sim.simulation.runner.summarise_run`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from leverage_sim.simulation.world import World

HELD_FIRM = ("held_firm", "clash_won")
"""Standoff outcomes in which the government's enforcement held."""
RELENTED = ("relented", "clash_lost")
"""Standoff outcomes in which the government gave way."""


def _standoffs_ending(model: World, outcomes: tuple[str, ...]) -> int:
    return sum(s.outcome in outcomes for s in model.standoffs)


def _withdrawal_day(model: World) -> int:
    day = model.foreign_force.withdrawal_day
    return -1 if day is None else day


OUTCOMES: dict[str, Callable[[World], Any]] = {
    "raids": lambda m: m.log.counts["raid"],
    "arrests": lambda m: int(m.log.totals["raid"]),
    "max_muster_size": lambda m: max((s.muster + s.allied_fighters for s in m.standoffs
                                      if not s.operation), default=0),
    "public_threats": lambda m: m.log.counts["public_threat"],
    "standoffs": lambda m: len(m.standoffs),
    "held_firm": lambda m: _standoffs_ending(m, HELD_FIRM),
    "relents": lambda m: _standoffs_ending(m, RELENTED),
    "clashes": lambda m: m.log.counts["clash"],
    "fight_days": lambda m: m.log.counts["fighting"],
    "fight_deaths": lambda m: int(m.log.totals["fighting"]),
    "deserters": lambda m: int(m.log.totals["defection"]),
    "ceasefires": lambda m: m.log.counts["ceasefire"],
    "detainees_released": lambda m: int(m.log.totals["release"]),
    "attacks": lambda m: m.log.counts["attack"],
    "attacks_intercepted": lambda m: m.log.counts["interception"],
    "us_casualties": lambda m: int(m.foreign_force.casualties),
    "us_strikes": lambda m: m.log.counts["strike"],
    "final_authority": lambda m: float(m.government.authority),
    "final_mean_autonomy": lambda m: float(m.mean_autonomy),
    "us_withdrawn": lambda m: m.foreign_force.withdrawal_day is not None,
    "withdrawal_day": _withdrawal_day,
}
"""Summary column → its value for a model (standoffs: opened so far; held_firm/relents: ended
so far with that outcome; clashes: standoffs whose muster turned into fighting; fight_days:
days of fighting, summed over clashes and operations; fight_deaths: combatants killed in them,
the government's troops and the militias' fighters (the model has no civilians); deserters:
the government's troops who deserted or refused in them; ceasefires: ceasefires the patron
brokered in them; max_muster_size: fighters of a
standoff's muster, own plus allied — an operation has no muster, though allies may join its
fight; withdrawal_day: -1 if US forces have not withdrawn)."""

TOTAL_PREFIX = "total_"


def model_reporters(daily: Iterable[str]) -> dict[str, Callable[[World], Any]]:
    """The outcomes as DataCollector model reporters, named as the summary columns except those
    already taken by a daily series in ``daily`` (``attacks`` is the day's count there), which
    get the prefix ``total_`` (``total_attacks``)."""
    taken = set(daily)
    return {(TOTAL_PREFIX + name if name in taken else name): fn for name, fn in OUTCOMES.items()}
