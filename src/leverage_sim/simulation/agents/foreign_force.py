"""The foreign force: presence, backing, site defences, retaliation and staying power."""

from __future__ import annotations

import mesa

from leverage_sim.scenario import schema
from leverage_sim.simulation import event_text
from leverage_sim.simulation.mechanisms import backing, redeploy, retaliation, withdrawal
from leverage_sim.simulation.mechanisms.attacks import SiteState, resolve_attack
from leverage_sim.simulation.mechanisms.beliefs import REDEPLOY_EVIDENCE, BetaBelief, clamp, fade


class ForeignForce(mesa.Agent):
    """The foreign force (US forces by default). Field meanings and units:
    :class:`schema.ForeignForces`; ``label`` names it in the event texts.

    State beyond the parameters: casualties (total, and remembered: fading), strikes due, its
    belief that the government holds firm (learnt from standoffs), the last drawdown.
    """

    name_id = "foreign_forces"  # actor id in the event log

    def __init__(self, model: mesa.Model, params: schema.ForeignForces) -> None:
        super().__init__(model)
        for key, value in params.model_dump(exclude={"sites"}).items():
            setattr(self, key, value)
        self.sites = [SiteState(**s.model_dump()) for s in params.sites]
        self.label = params.label
        self.casualties = 0
        self.remembered_casualties = 0.0
        self.partner_belief = BetaBelief.from_mean(params.prior_partner_resolve,
                                                   params.prior_strength)
        self.pending_strikes: list[tuple[int, str]] = []  # (day due, militia name)
        self.last_drawdown_day: int | None = None  # the last staying decision (drawdown/review)
        self.floor_review = False  # at the floor with cost above tolerance at the last decision
        self.expulsion_voted = False  # parliament has voted to expel it (once per run)
        self.authorised = params.presence  # the level it returns toward after a drawdown
        self.calm_days = 0  # days in a row of low political cost below the authorised level
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
    def air_strength(self) -> float:
        """The air part of :attr:`standoff_strength` (personnel-equivalent)."""
        return backing.us_air_strength(self.presence, self.air_support)

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
        m.record(militia.name, "attack", site.name,
                 event_text.attack(casualties, intercepted, self.label), casualties)
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

    def step_in_costs(self) -> None:
        """What a visible intervention costs (:func:`backing.step_in_costs`): expulsion pressure,
        the patron's backlash, the government's coalition support, escalation."""
        m = self.model
        gov, patron = m.government, m.patron
        self.expulsion_pressure, patron.backlash, gov.coalition_support = backing.step_in_costs(
            self.expulsion_pressure, self.step_in_expulsion_pressure, patron.backlash,
            patron.step_in_backlash, gov.coalition_support, gov.step_in_coalition_cost)
        m.raise_escalation("per_step_in")

    def consider_expulsion_vote(self) -> None:
        """Parliament votes to expel the force the first time expulsion pressure passes its
        threshold (:func:`withdrawal.vote_due`); the government records it."""
        if withdrawal.vote_due(self.expulsion_pressure, self.expulsion_vote_threshold,
                               self.expulsion_voted, self.presence):
            self.expulsion_voted = True
            self.model.record("government", "expulsion_vote", None,
                              event_text.expulsion_vote(self.expulsion_pressure),
                              self.expulsion_pressure)

    def lose_troops(self, killed: int) -> None:
        """``killed`` troops (at most those present) leave the presence; when none are left the
        force is gone (logged as a withdrawal of 0 troops: no one left to withdraw)."""
        self.presence -= min(killed, self.presence)
        if self.presence == 0 and self.withdrawal_day is None:
            self.withdrawal_day = self.model.day
            self.model.record(self.name_id, "withdrawal", None, event_text.all_troops_lost(), 0)

    def step(self) -> None:
        """Carry out strikes now due, hold parliament's vote if pressure has passed its
        threshold, let expulsion pressure and losses fade, weigh drawing down."""
        due = [s for s in self.pending_strikes if s[0] <= self.model.day]
        if due:
            self.pending_strikes = [s for s in self.pending_strikes if s[0] > self.model.day]
        for _, target in due:
            if not self.withdrawn:
                self.strike(target, event_text.retaliation(self.label))
        self.consider_expulsion_vote()
        self.expulsion_pressure = withdrawal.decay_expulsion(
            self.expulsion_pressure, self.expulsion_voted, self.expulsion_vote_floor)
        self.remembered_casualties = fade(self.remembered_casualties,
                                          withdrawal.CASUALTY_MEMORY_DAYS)
        self.partner_belief.forget(self.belief_memory_days)
        self.consider_drawdown()
        self.consider_redeploy()

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
        m.observe_strike(militia)
        self.expulsion_pressure = clamp(self.expulsion_pressure + self.strike_expulsion_pressure)
        m.government.shift(authority=-retaliation.SOVEREIGNTY_COST)
        m.raise_escalation("per_strike")
        m.record(self.name_id, "strike", target, event_text.strike(reason, killed), killed)

    def observe_standoff(self, government_won: bool) -> None:
        """Learn from a standoff's end whether the partner holds."""
        self.partner_belief.observe(government_won)

    def consider_drawdown(self) -> None:
        """Draw down when the political cost of staying exceeds tolerance (after a cooldown),
        stopping at the floor; leave only when the cost stays above tolerance at the floor
        (:func:`withdrawal.drawdown_decision`)."""
        if self.withdrawn:
            return
        cooled = (self.last_drawdown_day is None
                  or self.model.day - self.last_drawdown_day >= self.drawdown_cooldown_days)
        cost = withdrawal.political_cost(self.remembered_casualties, self.expulsion_pressure)
        leaving, decided, self.floor_review = withdrawal.drawdown_decision(
            self.presence, self.drawdown_share, self.withdrawal_floor, cooled, cost,
            self.casualty_tolerance, self.floor_review)
        if decided:
            self.last_drawdown_day = self.model.day
        if leaving:
            self.draw_down(leaving, event_text.political_cost(cost, self.casualty_tolerance))

    def consider_redeploy(self) -> None:
        """Below its authorised level (after a drawdown) and still in country: once the
        political cost has stayed under ``redeploy_calm_share`` × tolerance for
        ``redeploy_after_days`` days in a row, troops return toward the authorised level
        (everyone sees it: beliefs in US backing rise). A full withdrawal is final."""
        if self.withdrawn or self.presence >= self.authorised:
            self.calm_days = 0
            return
        cost = withdrawal.political_cost(self.remembered_casualties, self.expulsion_pressure)
        self.calm_days = redeploy.calm_days(self.calm_days, cost, self.casualty_tolerance,
                                            self.redeploy_calm_share)
        if self.calm_days >= self.redeploy_after_days:
            troops = redeploy.redeploy_size(self.presence, self.authorised, self.redeploy_share)
            self.presence += troops
            self.calm_days = 0
            self.model.observe_backing(True, weight=REDEPLOY_EVIDENCE)
            self.model.record(self.name_id, "redeploy", None,
                              event_text.redeploy(cost, self.casualty_tolerance, self.presence),
                              troops)

    def draw_down(self, troops: int, reason: str) -> None:
        """Withdraw ``troops`` (at most all); leaving everyone is withdrawal. Everyone sees it:
        beliefs in US backing fall."""
        troops = min(troops, self.presence)
        self.presence -= troops
        self.last_drawdown_day = self.model.day
        self.model.observe_backing(False, silent_day=False)
        if self.presence == 0:
            self.withdrawal_day = self.model.day
            self.model.record(self.name_id, "withdrawal", None, reason, troops)
        else:
            self.model.record(self.name_id, "drawdown", None,
                              event_text.drawdown(reason, self.presence), troops)
