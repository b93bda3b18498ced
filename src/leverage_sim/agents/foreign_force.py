"""The foreign force: presence, backing, site defences, retaliation and staying power."""

from __future__ import annotations

import mesa

from leverage_sim import event_text, schema
from leverage_sim.mechanisms import backing, retaliation, withdrawal
from leverage_sim.mechanisms.attacks import SiteState, resolve_attack
from leverage_sim.mechanisms.beliefs import BetaBelief, clamp, fade


class ForeignForce(mesa.Agent):
    """US forces. Field meanings and units: :class:`schema.ForeignForces`.

    State beyond the parameters: casualties (total, and remembered: fading), strikes due, its
    belief that the government holds firm (learnt from standoffs), the last drawdown.
    """

    name_id = "foreign_forces"  # actor id in the event log

    def __init__(self, model: mesa.Model, params: schema.ForeignForces) -> None:
        super().__init__(model)
        for key, value in params.model_dump(exclude={"sites"}).items():
            setattr(self, key, value)
        self.sites = [SiteState(**s.model_dump()) for s in params.sites]
        self.casualties = 0
        self.remembered_casualties = 0.0
        self.partner_belief = BetaBelief.from_mean(params.prior_partner_resolve,
                                                   params.prior_strength)
        self.pending_strikes: list[tuple[int, str]] = []  # (day due, militia name)
        self.last_drawdown_day: int | None = None
        self.withdrawal_day: int | None = None

    @property
    def withdrawn(self) -> bool:
        """True once no troops remain."""
        return self.presence == 0

    @property
    def standoff_strength(self) -> float:
        """What stepping in adds to the government in a standoff (personnel-equivalent)."""
        return backing.us_standoff_strength(self.presence, self.standoff_share,
                                            self.ground_multiplier, self.air_support)

    @property
    def us_pressure(self) -> float:
        """How hard recent losses press the US (and, through it, the government) to act, 0–1."""
        return backing.us_pressure(self.remembered_casualties, self.casualty_tolerance)

    def step_in_probability(self) -> float:
        """Chance it will step in to a standoff opening today (0 without troops)."""
        if self.withdrawn:
            return 0.0
        return backing.step_in_probability(
            self.backing, self.model.government.authority, self.partner_belief.mean,
            self.expulsion_pressure, self.us_pressure, self.backing_sensitivity)

    def site(self, name: str) -> SiteState:
        """A site by name."""
        return next(s for s in self.sites if s.name == name)

    def receive_attack(self, militia: mesa.Agent, site: SiteState) -> None:
        """Resolve one attack on ``site`` by ``militia``; decide on retaliation if it kills."""
        m = self.model
        intercepted, casualties = resolve_attack(m.rng, site.interception, site.lethality,
                                                 self.presence, self.exposure_half)
        m.count_attack(militia.name, intercepted, casualties)
        m.record(militia.name, "attack", site.name, event_text.attack(casualties, intercepted),
                 casualties)
        if intercepted:
            m.record(self.name_id, "interception", site.name, event_text.attack_by(militia.name),
                     1)
            return
        self.casualties += casualties
        self.remembered_casualties += casualties
        if casualties:
            self.lose_troops(casualties)
        chance = retaliation.retaliation_chance(
            casualties, self.retaliation_threshold, self.retaliation_probability,
            m.escalation, self.expulsion_pressure, self.retaliation_restraint)
        if chance > 0:
            strikes = retaliation.decide_retaliation(m.rng, chance)
            m.observe_retaliation(strikes)
            if strikes:
                self.pending_strikes.append((m.day + self.retaliation_delay_days, militia.name))

    def lose_troops(self, killed: int) -> None:
        """``killed`` troops (at most those present) leave the presence; when none are left the
        force is gone (logged as a withdrawal of 0 troops: no one left to withdraw)."""
        self.presence -= min(killed, self.presence)
        if self.presence == 0 and self.withdrawal_day is None:
            self.withdrawal_day = self.model.day
            self.model.record(self.name_id, "withdrawal", None, event_text.all_troops_lost(), 0)

    def step(self) -> None:
        """Carry out strikes now due, let expulsion pressure and losses fade, weigh drawing
        down."""
        due = [s for s in self.pending_strikes if s[0] <= self.model.day]
        if due:
            self.pending_strikes = [s for s in self.pending_strikes if s[0] > self.model.day]
        for _, target in due:
            if not self.withdrawn:
                self.strike(target, event_text.RETALIATION)
        self.expulsion_pressure *= 1.0 - withdrawal.EXPULSION_PRESSURE_DECAY
        self.remembered_casualties = fade(self.remembered_casualties,
                                          withdrawal.CASUALTY_MEMORY_DAYS)
        self.consider_drawdown()

    def strike(self, target: str, reason: str) -> None:
        """One round of strikes on militia ``target``, with its backlash."""
        m = self.model
        militia = m.militia(target)
        killed, cohesion_lost = retaliation.strike_damage(
            militia.fighters, militia.cohesion, self.strike_lethality, self.strike_cohesion_damage)
        militia.fighters -= killed
        militia.cohesion -= cohesion_lost
        militia.disrupt(self.strike_disruption)
        m.patron.react_to_strike()
        self.expulsion_pressure = clamp(self.expulsion_pressure + self.strike_expulsion_pressure)
        m.government.shift(authority=-retaliation.SOVEREIGNTY_COST)
        m.raise_escalation("per_strike")
        m.record(self.name_id, "strike", target, event_text.strike(reason, killed), killed)

    def observe_standoff(self, government_won: bool) -> None:
        """Learn from a standoff's end whether the partner holds."""
        self.partner_belief.observe(government_won)

    def consider_drawdown(self) -> None:
        """Draw down when the political cost of staying exceeds tolerance (after a cooldown)."""
        if self.withdrawn:
            return
        cooled = (self.last_drawdown_day is None
                  or self.model.day - self.last_drawdown_day >= self.drawdown_cooldown_days)
        cost = withdrawal.political_cost(self.remembered_casualties, self.expulsion_pressure)
        if cooled and cost > self.casualty_tolerance:
            leaving = withdrawal.drawdown_size(self.presence, self.drawdown_share,
                                               self.withdrawal_floor)
            self.draw_down(leaving, event_text.political_cost(cost, self.casualty_tolerance))

    def draw_down(self, troops: int, reason: str) -> None:
        """Withdraw ``troops``; leaving everyone (or going below the floor) is withdrawal.
        Everyone sees it: beliefs in US backing fall."""
        troops = min(troops, self.presence)
        if self.presence - troops < self.withdrawal_floor:
            troops = self.presence
        self.presence -= troops
        self.last_drawdown_day = self.model.day
        self.model.observe_backing(False, silent_day=False)
        if self.presence == 0:
            self.withdrawal_day = self.model.day
            self.model.record(self.name_id, "withdrawal", None, reason, troops)
        else:
            self.model.record(self.name_id, "drawdown", None,
                              event_text.drawdown(reason, self.presence), troops)
