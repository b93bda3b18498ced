"""The external patron: how hard it pushes each militia, when it holds them back, whom it backs."""

from __future__ import annotations

import mesa

from leverage_sim.scenario import schema
from leverage_sim.simulation import event_text
from leverage_sim.simulation.mechanisms import operation, patronage
from leverage_sim.simulation.mechanisms.beliefs import fade


class Patron(mesa.Agent):
    """IRGC-QF. Field meanings and units: :class:`schema.Patron`; decisions:
    :mod:`leverage_sim.simulation.mechanisms.patronage`.

    State: ``instigation`` (0–1) drifting toward its target (backlash or restraint); the backlash
    stock; its memory of recent US strikes; today's support share of each militia (re-allocated
    toward clients under pressure).
    """

    def __init__(self, model: mesa.Model, params: schema.Patron) -> None:
        super().__init__(model)
        for key, value in params.model_dump().items():
            setattr(self, key, value)
        self.base_instigation = params.instigation
        self.backlash = 0.0
        self.recent_strikes = 0.0
        self.shares: dict[str, float] = {}  # today's support share per militia (allocate())
        self.top_share = 0.0
        self._reallocated = False
        self.truce_until = -1  # last day of a truce it ordered (-1: none)
        self.campaign_plan = 0.0  # support planned after its clients' wins (fading)
        self.campaign = 0.0  # support delivered, following the plan

    @property
    def war_risk(self) -> float:
        """Its risk of open war with the US today (0–1)."""
        return patronage.war_risk(self.model.escalation, self.recent_strikes, self.strike_risk,
                                  self.us_threat)

    @property
    def restraint_weight(self) -> float:
        """How far its answer has turned from backlash to restraint today (0–1)."""
        return patronage.restraint_weight(self.war_risk, self.escalation_threshold)

    def step(self) -> None:
        """Weigh war risk (ordering a truce once it passes the threshold), move instigation
        toward its target, fade backlash, strikes and threats, re-allocate support."""
        day = self.model.day
        risk = self.war_risk
        weight = patronage.restraint_weight(risk, self.escalation_threshold)
        if patronage.declares_truce(weight, self.truce_until, day):
            self.truce_until = day + self.truce_days - 1
            self.model.record("patron", "truce", None, event_text.truce_ordered(risk),
                              self.truce_instigation)
        target = patronage.target_instigation(self.base_instigation, self.backlash, weight,
                                              self.stability_priority, self.model.escalation)
        target = patronage.truce_target(target, self.truce_until, day, self.truce_instigation)
        self.instigation += self.adjustment_rate * (target - self.instigation)
        self.backlash *= 1.0 - self.adjustment_rate
        if self.recent_strikes:
            self.recent_strikes = fade(self.recent_strikes, self.strike_memory_days)
        if self.us_threat:
            self.us_threat = fade(self.us_threat, self.strike_memory_days)
        if self.campaign_plan or self.campaign:
            self.campaign_plan, self.campaign = patronage.campaign_step(
                self.campaign_plan, self.campaign, self.campaign_days, self.campaign_build_days)
        self.allocate()

    def allocate(self, force: bool = False) -> None:
        """Support shares, re-allocated toward clients under pressure (disruption); at rest they
        are the militias' own shares, recomputed only when ``force``d (a share was changed)."""
        militias = self.model.militias
        pressures = [m.disruption for m in militias]
        pressed = any(pressures)
        if pressed or self._reallocated or force:
            shares = [0.0] * len(militias)
            patronage.allocate_support([m.patron_support_share for m in militias], pressures,
                                       self.support_responsiveness, shares)
            self.shares = {m.name: s for m, s in zip(militias, shares, strict=True)}
            self.top_share = max(shares)
            self._reallocated = pressed

    def react_to_strike(self) -> None:
        """A foreign strike on a client militia: backlash, and one more strike remembered."""
        self.backlash += self.strike_backlash
        self.recent_strikes += 1.0

    @property
    def supply(self) -> float:
        """Material support delivered today (multiple of 2020): resources × (1 + campaign)."""
        return patronage.supply(self.resources, self.campaign)

    def react_to_client_win(self) -> None:
        """A client won a standoff: the patron plans a campaign to press the advantage."""
        self.campaign_plan += self.win_campaign

    def react_to_raid(self) -> None:
        """A raid on a client militia raises instigation (backlash)."""
        self.backlash += self.raid_backlash

    def brokers(self, militia: str, position: float) -> bool:
        """Whether it brokers a ceasefire today in its client ``militia``'s fight, whose chance
        in the fight is ``position`` (:func:`operation.broker_probability`, as far as the
        client depends on it); never for a militia it does not support (and then no draw)."""
        if self.shares[militia] <= 0:
            return False
        p = operation.broker_probability(position, self.broker_threshold,
                                         self.restraint_weight, self.stability_priority,
                                         self.model.militia(militia).patron_dependence)
        return bool(self.model.rng.random() < p)
