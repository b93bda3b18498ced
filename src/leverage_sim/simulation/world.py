"""The world a day's actions act on: the actors, today's date and draws, the standoffs, and a
recorder. :class:`~leverage_sim.simulation.model.LeverageModel` is one; standoffs, scripted
events and outcomes are written against this interface, so they never import the model."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from leverage_sim.simulation.agents import ForeignForce, Government, Militia, Patron
from leverage_sim.simulation.mechanisms.standoff import Standoff


class World(Protocol):
    """What standoffs, scripted events and outcomes may read and do (the model provides it)."""

    day: int
    rng: np.random.Generator
    government: Government
    patron: Patron
    foreign_force: ForeignForce
    militias: list[Militia]
    standoffs: list[Standoff]

    def militia(self, name: str) -> Militia:
        """A militia by name."""

    def open_standoffs(self) -> list[Standoff]:
        """Standoffs not yet resolved."""

    def record(self, actor: str, action: str, target: str | None, detail: str = "",
               value: float = 0.0) -> None:
        """Append one action to the event log."""

    def raise_escalation(self, kind: str, times: float = 1.0) -> None:
        """Escalation rises by ``times`` × the scenario's weight for ``kind``."""

    def observe_backing(self, stepped_in: bool, silent_day: bool = False,
                        weight: float = 0.0) -> None:
        """Everyone sees whether the foreign force backs the government."""

    def end_standoff_shifts(self, militia: Militia, *, government_won: bool,
                            authority_step: float, us_seen: bool = False) -> None:
        """Reputation after a confrontation."""

    def raid(self, militia: Militia, *, arrests: int | None = None, targets: int | None = None,
             note: str = "") -> None:
        """An enforcement raid on ``militia``."""

    def operation(self, militia: Militia, *, troops: int, days: int, note: str = "") -> None:
        """An operation of ``troops`` against ``militia`` for up to ``days`` days."""
