"""A militia: its strength, autonomy, morale and beliefs; its attacks and its answer to raids."""

from __future__ import annotations

import mesa

from leverage_sim.scenario import schema
from leverage_sim.simulation.mechanisms import attacks, intimidation, operation
from leverage_sim.simulation.mechanisms.beliefs import BetaBelief, clamp, fade, relax


class Militia(mesa.Agent):
    """One PMF faction. Field meanings and units: :class:`schema.Militia`.

    State beyond the parameters: ``morale`` (−1..1, emboldened or deterred), ``disruption``
    (0–1, cells broken up by arrests and strikes), members ``detained`` (of them
    ``commanders_detained`` senior commanders); its own beliefs about US
    backing, the government's resolve and US retaliation; baselines it recovers toward.
    """

    def __init__(self, model: mesa.Model, params: schema.Militia) -> None:
        super().__init__(model)
        self.initial_fighters = params.fighters
        self.losses = 0.0  # fighters lost (strikes, clashes), recovering through recruitment
        for key, value in params.model_dump().items():
            setattr(self, key, value)
        self.baseline = {"cohesion": params.cohesion, "autonomy": params.autonomy}
        self.detained = 0
        self.commanders_detained = 0  # senior commanders among the detained
        self.morale = 0.0
        self.disruption = 0.0
        self.backing_belief = BetaBelief.from_mean(params.prior_backing, params.prior_strength)
        self.resolve_belief = BetaBelief.from_mean(params.prior_government_resolve,
                                                   params.prior_strength)
        self.retaliation_belief = BetaBelief.from_mean(params.prior_retaliation,
                                                       params.prior_strength)

    @property
    def fighters(self) -> int:
        """Fighters now: the starting strength less losses not yet replaced."""
        return self.initial_fighters - round(self.losses)

    @fighters.setter
    def fighters(self, value: int) -> None:
        self.losses = float(self.initial_fighters - value)

    @property
    def push(self) -> float:
        """The patron's push on this militia (0–1)."""
        patron = self.model.patron
        return intimidation.patron_push(patron.instigation, patron.shares[self.name],
                                        patron.top_share)

    def step(self) -> int:
        """Recover, then choose today's attacks: returns how many (Poisson of the intensity)."""
        self.recover()
        rate = self.attack_intensity(self.model.foreign_force.presence)
        return int(self.model.rng.poisson(rate)) if rate > 0 else 0

    def launch_attacks(self, n: int) -> None:
        """Carry out ``n`` attacks on foreign-force sites."""
        ff = self.model.foreign_force
        weights = [attacks.site_weight(s.target_weight, s.interception, self.defence_avoidance)
                   for s in ff.sites] if n else []
        for _ in range(n):
            i = attacks.choose_site(self.model.rng, weights)
            if i >= 0:
                ff.receive_attack(self, ff.sites[i])

    def attack_intensity(self, presence: int) -> float:
        """Expected attacks today (attacks/day): :func:`attacks.attack_rate` on its own state."""
        return attacks.attack_rate(
            self.attack_rate, attacks.attack_intent(self.push, self.autonomy, self.hostility),
            self.model.patron.supply,
            attacks.readiness(self.cohesion, self.fighters, self.initial_fighters),
            morale=self.morale, emboldening=self.emboldening,
            expected_retaliation=self.retaliation_belief.mean,
            retaliation_aversion=self.retaliation_aversion, disruption=self.disruption,
            presence=presence,
            restraint=attacks.state_restraint(self.model.government.authority, self.autonomy,
                                              self.model.government.command_reach))

    def recover(self) -> None:
        """One day: fighters, cohesion and autonomy recover toward their baselines; morale,
        disruption and beliefs fade."""
        if self.losses:
            self.losses = fade(self.losses, self.recovery_days)
        base = self.baseline
        if self.cohesion != base["cohesion"]:
            self.cohesion = relax(self.cohesion, base["cohesion"], self.recovery_days)
        if self.autonomy != base["autonomy"]:
            self.autonomy = relax(self.autonomy, base["autonomy"], self.recovery_days)
        if self.morale:
            self.morale = fade(self.morale, self.morale_memory_days)
        if self.disruption:
            self.disruption = fade(self.disruption, self.disruption_recovery_days)
        for belief in (self.backing_belief, self.resolve_belief, self.retaliation_belief):
            belief.forget(self.belief_memory_days)

    @property
    def stake(self) -> float:
        """What is at stake for it (:func:`intimidation.stake_ratio`: its members detained, a
        commander counting as ``commander_stake`` members (:func:`intimidation.member_equivalents`),
        as a share of its fighters now, relative to its reference stake)."""
        return intimidation.stake_ratio(
            intimidation.member_equivalents(self.detained, self.commanders_detained,
                                            self.commander_stake),
            self.fighters, self.stake_reference)

    def musters(self) -> bool:
        """Answer to a raid on itself (its members already detained): True = muster fighters,
        False = comply."""
        p = intimidation.muster_probability(
            self.push, self.autonomy, self.resolve_belief.mean, self.backing_belief.mean,
            intimidation.stake_term(self.stake, self.stake_sensitivity))
        return bool(self.model.rng.random() < p)

    def stands_down(self, believed_win_chance: float, expected_losses: float) -> bool:
        """Answer to an operation's opening (mechanisms/operation.py, step 0): True = no
        resistance, False = fight; ``believed_win_chance`` (0–1) the government's chance in the
        fight as the militia sees it (the US's strength weighted by its own belief in backing),
        ``expected_losses`` (0–1) the share of its fighters it expects to lose the first day."""
        p = operation.stand_down_probability(believed_win_chance, expected_losses,
                                             self.resolve_belief.mean, self.push,
                                             self.hold_ground, self.loss_sensitivity,
                                             self.model.government.decision_sharpness)
        return bool(self.model.rng.random() < p)

    def muster_size(self, own: bool = True) -> int:
        """Fighters turned out for its own muster (``own``: scaled by what is at stake) or for an
        ally's (solidarity: not scaled)."""
        factor = intimidation.stake_factor(self.stake, self.stake_sensitivity) if own else 1.0
        return intimidation.draw_muster(self.model.rng, self.local_fighters, self.mobilisation,
                                        self.push, factor)

    def threatens(self) -> bool:
        """Whether its political leadership publicly threatens the government today."""
        p = intimidation.threat_probability(self.threat_propensity, self.push)
        return self.seats > 0 and bool(self.model.rng.random() < p)

    def joins_muster(self) -> bool:
        """Whether it sends fighters to an ally's muster today."""
        return bool(self.model.rng.random() < intimidation.join_probability(self.solidarity,
                                                                            self.push))

    def disrupt(self, amount: float) -> None:
        """Cells disrupted (arrests, strikes: +) or restored (released members: −), in [0, 1]."""
        self.disruption = clamp(self.disruption + amount)

    def shift_autonomy(self, delta: float) -> None:
        """Add to autonomy, kept within [0, 1]."""
        self.autonomy = clamp(self.autonomy + delta)

    def shift_morale(self, delta: float) -> None:
        """Add to morale, kept within [−1, 1]."""
        self.morale = clamp(self.morale + delta, -1.0, 1.0)
