"""A militia: its strength, autonomy and patron alignment, its attacks and its answer to raids."""

from __future__ import annotations

import mesa

from leverage_sim import schema
from leverage_sim.mechanisms import attacks, intimidation
from leverage_sim.mechanisms.beliefs import BetaBelief, clamp


class Militia(mesa.Agent):
    """One PMF faction. Field meanings and units: :class:`schema.Militia`."""

    def __init__(self, model: mesa.Model, params: schema.Militia,
                 government: schema.Government) -> None:
        super().__init__(model)
        for key, value in params.model_dump().items():
            setattr(self, key, value)
        self.initial_fighters = params.fighters
        self.detained = 0
        # What the militia expects of the others; it starts from the government's own priors.
        self.backing_belief = BetaBelief.from_mean(government.prior_backing,
                                                   government.prior_strength)
        self.resolve_belief = BetaBelief.from_mean(government.resolve, government.prior_strength)

    @property
    def push(self) -> float:
        """The patron's push on this militia (0–1)."""
        return self.model.patron.push_on(self)

    def step(self) -> None:
        """Launch today's attacks on foreign-force sites."""
        ff = self.model.foreign_force
        rate = attacks.attack_rate(
            self.attack_rate, self.push, self.model.patron.resources,
            attacks.readiness(self.cohesion, self.fighters, self.initial_fighters), ff.presence)
        for _ in range(int(self.model.rng.poisson(rate)) if rate > 0 else 0):
            site = attacks.choose_site(self.model.rng, ff.sites)
            if site is not None:
                ff.receive_attack(self, site)

    def musters(self) -> bool:
        """Answer to a raid on itself: True = muster fighters, False = comply."""
        p = intimidation.muster_probability(self.push, self.autonomy, self.resolve_belief.mean,
                                            self.backing_belief.mean)
        return bool(self.model.rng.random() < p)

    def muster_size(self) -> int:
        """Fighters turned out for a muster."""
        return intimidation.draw_muster(self.model.rng, self.capital_fighters, self.mobilisation,
                                        self.push)

    def threatens(self) -> bool:
        """Whether its political leadership publicly threatens the government today."""
        p = intimidation.threat_probability(self.threat_propensity, self.push)
        return self.seats > 0 and bool(self.model.rng.random() < p)

    def joins_muster(self) -> bool:
        """Whether it sends fighters to an ally's muster today."""
        return bool(self.model.rng.random() < intimidation.join_probability(self.solidarity,
                                                                            self.push))

    def shift_autonomy(self, delta: float) -> None:
        """Add to autonomy, kept within [0, 1]."""
        self.autonomy = clamp(self.autonomy + delta)
