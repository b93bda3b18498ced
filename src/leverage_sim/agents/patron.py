"""The external patron: sets how hard it pushes each militia."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from leverage_sim import schema
from leverage_sim.mechanisms.beliefs import clamp
from leverage_sim.mechanisms.intimidation import patron_push

if TYPE_CHECKING:
    from leverage_sim.agents.militia import Militia


class Patron(mesa.Agent):
    """IRGC-QF. ``instigation`` (0–1) drifts toward ``base + backlash − restraint`` each day."""

    def __init__(self, model: mesa.Model, params: schema.Patron) -> None:
        super().__init__(model)
        self.name = params.name
        self.base_instigation = params.instigation
        self.instigation = params.instigation
        self.resources = params.resources
        self.stability_priority = params.stability_priority
        self.escalation_threshold = params.escalation_threshold
        self.strike_backlash = params.strike_backlash
        self.adjustment_rate = params.adjustment_rate
        self.backlash = 0.0

    def restraint(self, escalation: float) -> float:
        """How much the patron holds back (index) once escalation passes its threshold."""
        excess = max(0.0, escalation - self.escalation_threshold)
        return self.stability_priority * excess / max(1e-9, 1.0 - self.escalation_threshold)

    def step(self) -> None:
        """Move instigation toward its target; backlash fades at the same rate."""
        target = clamp(self.base_instigation + self.backlash - self.restraint(self.model.escalation))
        self.instigation += self.adjustment_rate * (target - self.instigation)
        self.backlash *= 1.0 - self.adjustment_rate

    def react_to_strike(self) -> None:
        """A foreign strike on a client militia raises instigation (backlash)."""
        self.backlash += self.strike_backlash

    def push_on(self, militia: Militia) -> float:
        """Push on one militia (0–1): the best-supported militia feels the full instigation."""
        return patron_push(self.instigation, militia.patron_support_share,
                           self.model.max_support_share)
