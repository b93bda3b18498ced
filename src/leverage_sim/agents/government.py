"""The government: authority, resolve, custody of detainees, and its choices under pressure."""

from __future__ import annotations

import mesa

from leverage_sim import schema
from leverage_sim.mechanisms import enforcement, standoff
from leverage_sim.mechanisms.beliefs import BetaBelief, clamp


class Government(mesa.Agent):
    """The PM and the forces loyal to him. Field meanings and units: :class:`schema.Government`."""

    def __init__(self, model: mesa.Model, params: schema.Government) -> None:
        super().__init__(model)
        for key, value in params.model_dump().items():
            setattr(self, key, value)
        self.backing_belief = BetaBelief.from_mean(params.prior_backing, params.prior_strength)
        self.custody: dict[str, int] = {}      # detainees held by the government, per militia
        self.transferred: dict[str, int] = {}  # handed to a militia-controlled unit, not yet free

    @property
    def detainees_held(self) -> int:
        """Detainees not yet released, in any custody (persons)."""
        return sum(self.custody.values()) + sum(self.transferred.values())

    def step(self) -> None:
        """Decide on an unscripted raid: hazard ``raid_rate × resolve × E[backing]`` per day."""
        if self.model.open_standoffs():
            return
        hazard = self.raid_rate * self.resolve * self.backing_belief.mean
        if hazard > 0 and self.model.rng.random() < hazard:
            target = self.model.most_active_militia()
            if target is not None:
                self.model.raid(target, targets=self.raid_targets)

    def arrests_in_raid(self, targets: int, militia: mesa.Agent) -> int:
        """Members caught when ``targets`` members of ``militia`` are targeted."""
        defenders = enforcement.local_defenders(militia.capital_fighters, militia.cohesion)
        return enforcement.draw_arrests(self.model.rng, targets, self.enforcement_capacity,
                                        defenders)

    def strength(self, backing_term: float) -> float:
        """S_g for a standoff, with ``backing_term`` = 1 if the US stepped in, else E[backing]."""
        return standoff.government_strength(self.enforcement_capacity, self.authority,
                                            backing_term, self.us_force_equivalent)

    def holds_firm(self, win_chance: float, pressure: float) -> bool:
        """Today's choice in a standoff: True = hold firm, False = relent."""
        p = standoff.hold_probability(win_chance, self.resolve, pressure, self.coalition_support,
                                      self.decision_sharpness)
        return bool(self.model.rng.random() < p)

    def transfer(self, militia: str) -> int:
        """Relent: hand the detainees of ``militia`` to a unit it controls; returns how many."""
        n = self.custody.pop(militia, 0)
        if n:
            self.transferred[militia] = self.transferred.get(militia, 0) + n
        return n

    def release_transferred(self) -> None:
        """Each transferred detainee goes free with ``transfer_release_rate`` per day."""
        for militia, n in list(self.transferred.items()):
            freed = int(self.model.rng.binomial(n, self.transfer_release_rate))
            if freed:
                self.model.release(militia, freed)

    def shift(self, authority: float = 0.0, resolve: float = 0.0,
              coalition_support: float = 0.0) -> None:
        """Add to authority, resolve and coalition support, kept within [0, 1]."""
        self.authority = clamp(self.authority + authority)
        self.resolve = clamp(self.resolve + resolve)
        self.coalition_support = clamp(self.coalition_support + coalition_support)
