"""The government: authority, resolve, custody of detainees, its beliefs and its choices."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from leverage_sim.scenario import schema
from leverage_sim.simulation.mechanisms import enforcement, operation, standoff
from leverage_sim.simulation.mechanisms.beliefs import (
    LIAISON_EVIDENCE,
    BetaBelief,
    clamp,
    fade,
    private_signal,
    relax,
    remembered,
)
from leverage_sim.simulation.mechanisms.custody import commanders_kept, draw_release_delay

if TYPE_CHECKING:
    from leverage_sim.simulation.agents.militia import Militia

ATTACK_MEMORY_DAYS = 30.0
"""Time constant (days) of the government's memory of attacks on foreign sites; with it the
memory reads as attacks per month (reasoning: a month's news cycle)."""


class Government(mesa.Agent):
    """The PM and the forces loyal to him. Field meanings and units: :class:`schema.Government`.

    State beyond the parameters: custody of detainees, its own beliefs (will the US step in? will
    a raided militia resist?), its memory of attacks on foreign sites (per militia, attacks per
    month) and the baselines its standing recovers toward.
    """

    def __init__(self, model: mesa.Model, params: schema.Government) -> None:
        super().__init__(model)
        for key, value in params.model_dump().items():
            setattr(self, key, value)
        self.baseline = {k: getattr(params, k)
                         for k in ("authority", "resolve", "coalition_support")}
        self.backing_belief = BetaBelief.from_mean(params.prior_backing, params.prior_strength)
        self.resistance_belief = BetaBelief.from_mean(params.prior_resistance,
                                                      params.prior_strength)
        self.attacks_per_month = 0.0  # attacks on foreign sites remembered (≈ last month's)
        self._seen: dict[str, tuple[float, int]] = {}  # militia -> (its attacks remembered, day)
        self.custody: dict[str, int] = {}      # detainees held by the government, per militia
        self.transferred: dict[str, int] = {}  # handed to a militia-controlled unit, not yet free
        self.release_day: dict[str, int] = {}  # the day each militia's open case ends (drawn)
        # senior commanders among the detainees in custody / transferred, per militia
        self.custody_commanders: dict[str, int] = {}
        self.transferred_commanders: dict[str, int] = {}

    @property
    def detainees_held(self) -> int:
        """Detainees not yet released, in any custody (persons)."""
        return sum(self.custody.values()) + sum(self.transferred.values())

    def step(self) -> None:
        """Recover standing, fade memories and beliefs, hear the US's private signals, then
        decide on an unscripted raid."""
        base, tau = self.baseline, self.recovery_days
        if self.authority != base["authority"]:
            self.authority = relax(self.authority, base["authority"], tau)
        if self.resolve != base["resolve"]:
            self.resolve = relax(self.resolve, base["resolve"], tau)
        if self.coalition_support != base["coalition_support"]:
            self.coalition_support = relax(self.coalition_support, base["coalition_support"],
                                           tau)
        if self.attacks_per_month:
            self.attacks_per_month = fade(self.attacks_per_month, ATTACK_MEMORY_DAYS)
        self.backing_belief.forget(self.belief_memory_days)
        self.resistance_belief.forget(self.belief_memory_days)
        self.hear_liaison()
        if self.raid_rate <= 0 or self.model.open_standoffs():
            return
        hazard = enforcement.raid_hazard(
            self.raid_rate, self.resolve, self.resistance_belief.mean, self.backing_belief.mean,
            self.attacks_per_month, self.attack_response, self.model.foreign_force.us_pressure,
            self.pressure_response)
        if hazard > 0 and self.model.rng.random() < hazard:
            target = self.choose_target(self.model.militias)
            if target is not None:
                self.model.raid(target, targets=self.raid_targets)

    def hear_liaison(self) -> None:
        """A private signal of the US's real commitment (today's chance that it steps in), with
        daily chance ``liaison_rate``: the government's own evidence, which militias lack."""
        if self.liaison_rate > 0:
            signal = private_signal(self.model.rng.random(), self.liaison_rate,
                                    self.model.foreign_force.step_in_probability())
            if signal >= 0:
                self.backing_belief.observe(signal == 1, LIAISON_EVIDENCE)

    def see_attack(self, militia: str) -> None:
        """An attack on a foreign site attributed to ``militia``."""
        self.attacks_per_month += 1.0
        self._seen[militia] = (self.attacks_seen(militia) + 1.0, self.model.day)

    def attacks_seen(self, militia: str) -> float:
        """Attacks attributed to ``militia`` that the government remembers today (faded like
        :attr:`attacks_per_month`, computed when asked)."""
        value, day = self._seen.get(militia, (0.0, 0))
        return remembered(value, self.model.day - day, ATTACK_MEMORY_DAYS)

    def choose_target(self, militias: list[Militia]) -> Militia | None:
        """The militia to raid, drawn by expected payoff (:func:`enforcement.target_payoffs`)."""
        payoffs = enforcement.target_payoffs(
            np.array([self.attacks_seen(m.name) for m in militias]),
            np.array([m.local_fighters for m in militias], dtype=float),
            np.array([m.cohesion for m in militias]), self.enforcement_capacity,
            self.strength(self.backing_belief.mean), self.resistance_belief.mean)
        i = enforcement.choose_target(self.model.rng, payoffs)
        return None if i < 0 else militias[i]

    def arrests_in_raid(self, targets: int, militia: Militia) -> int:
        """Members caught when ``targets`` members of ``militia`` are targeted."""
        defenders = enforcement.local_defenders(militia.local_fighters, militia.cohesion)
        return enforcement.draw_arrests(self.model.rng, targets, self.enforcement_capacity,
                                        defenders)

    def strength(self, backing_term: float) -> float:
        """S_g for a standoff, with ``backing_term`` = 1 if the US stepped in, else E[backing]:
        the share of its capacity that fights (``committed_share``)."""
        return standoff.government_strength(
            operation.committed_forces(self.enforcement_capacity, self.committed_share),
            self.authority,
                                            backing_term,
                                            self.model.foreign_force.standoff_strength)

    def holds_firm(self, win_chance: float, pressure: float) -> bool:
        """Today's choice in a standoff: True = hold firm, False = relent."""
        p = standoff.hold_probability(win_chance, self.resolve, pressure, self.coalition_support,
                                      self.decision_sharpness)
        return bool(self.model.rng.random() < p)

    def negotiate_kept(self, militia: str, win_chance: float) -> int:
        """Relenting: how many of ``militia``'s detainees the negotiated transfer keeps."""
        return standoff.kept_in_negotiation(self.model.rng, self.custody.get(militia, 0),
                                            win_chance, self.negotiation_leverage)

    def transfer(self, militia: str, keep: int = 0) -> int:
        """Relent: hand the detainees of ``militia`` but ``keep`` to a unit it controls (its
        commanders first: :func:`~leverage_sim.simulation.mechanisms.custody.commanders_kept`); returns how
        many were handed over."""
        n = self.custody.pop(militia, 0)
        kept = min(keep, n)
        commanders = self.custody_commanders.pop(militia, 0)
        stay = commanders_kept(kept, n, commanders)
        if kept:
            self.custody[militia] = kept
        if stay:
            self.custody_commanders[militia] = stay
        if n - kept:
            self.transferred[militia] = self.transferred.get(militia, 0) + n - kept
        if commanders - stay:
            self.transferred_commanders[militia] = (self.transferred_commanders.get(militia, 0)
                                                    + commanders - stay)
        return n - kept

    def release_transferred(self) -> None:
        """Each open case (the detainees transferred to a militia's unit) gets its release day
        drawn on the day it opens (:func:`~leverage_sim.simulation.mechanisms.custody.draw_release_delay`);
        on that day its detainees go free together."""
        for militia, n in list(self.transferred.items()):
            if militia not in self.release_day:
                self.release_day[militia] = self.model.day + draw_release_delay(
                    self.model.rng, self.release_delay_days, self.release_delay_spread)
            if self.model.day >= self.release_day[militia]:
                self.model.release(militia, n)

    def shift(self, authority: float = 0.0, resolve: float = 0.0,
              coalition_support: float = 0.0) -> None:
        """Add to authority, resolve and coalition support, kept within [0, 1]."""
        self.authority = clamp(self.authority + authority)
        self.resolve = clamp(self.resolve + resolve)
        self.coalition_support = clamp(self.coalition_support + coalition_support)
