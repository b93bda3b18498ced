"""Where a standoff gets resolved: one day of an open standoff, played with each actor's own
state and beliefs through the mechanisms of :mod:`leverage_sim.simulation.mechanisms.standoff` (whose
docstring gives the day's steps and equations)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from leverage_sim.simulation import event_text
from leverage_sim.simulation.mechanisms import operation as op
from leverage_sim.simulation.mechanisms import standoff as mech
from leverage_sim.simulation.mechanisms.standoff import Standoff

if TYPE_CHECKING:
    from leverage_sim.simulation.world import World


def play_day(model: World, s: Standoff) -> None:
    """One day of standoff ``s`` (steps 1–5 of :mod:`leverage_sim.simulation.mechanisms.standoff`)."""
    gov, militia = model.government, model.militia(s.militia)
    # 1. The foreign force's real choice shows, or another silent day lowers beliefs.
    if s.us_will_step_in and not s.us_stepped_in and model.day >= s.us_step_in_day:
        step_in(model, s, event_text.backs(model.foreign_force.label))
    if model.day == s.opened_day:
        return  # the muster is gathering; the government faces it from tomorrow
    if not s.us_stepped_in:
        model.observe_backing(False, silent_day=True)
    if s.fighting:
        return fight_day(model, s)
    # 2. The government's view of a confrontation, on its own belief about backing.
    s_mil = mech.militia_strength(militia.fighters, militia.cohesion, s.muster,
                                  militia.local_fighters, s.allied_fighters)
    backing_term = 1.0 if s.us_stepped_in else gov.backing_belief.mean
    believed = mech.contest_ratio(gov.strength(backing_term), s_mil)
    # 3. Hold firm, or relent through a (possibly partial) negotiated transfer.
    if not gov.holds_firm(believed, s.pressure):
        kept = gov.negotiate_kept(s.militia, believed)
        return close(model, s, "relented",
                     event_text.transferred(s.militia, kept, backing_term,
                                            model.foreign_force.label), kept)
    model.record("government", "standoff", s.militia,
                 event_text.holds_for_now(model.day - s.opened_day, backing_term, believed,
                                          model.foreign_force.label),
                 believed)
    # 4. The militia sees the real US stance and may back down.
    actual = mech.contest_ratio(gov.strength(1.0 if s.us_stepped_in else 0.0), s_mil)
    if model.rng.random() < mech.disperse_probability(actual, militia.push,
                                                      gov.decision_sharpness):
        return close(model, s, "held_firm", event_text.disperses(s.militia))
    # 5. Or the muster turns into an armed clash: a fight from tomorrow (fight_day).
    if model.rng.random() < mech.clash_probability(militia.clash_propensity, militia.push):
        model.raise_escalation("per_clash")
        model.record(s.militia, "clash", "government", event_text.clash_begins(), actual)
        start_fight(s, op.committed_forces(gov.enforcement_capacity, gov.committed_share),
                    militia.fighters, model.day + op.MAX_CLASH_DAYS)


def start_fight(s: Standoff, troops: int, militia_fighters: int, end_day: int) -> None:
    """Confrontation ``s`` turns into a fight of ``troops`` against the militia's
    ``militia_fighters``, lasting at most until ``end_day``."""
    s.fighting = True
    s.troops = s.troops_start = troops
    s.militia_start = militia_fighters
    s.end_day = end_day


def engaged(model: World, s: Standoff) -> int:
    """Troops of fight ``s`` that engage today (persons): :func:`.operation.engaged_troops` on
    the government's belief that the militia fights back."""
    return op.engaged_troops(s.troops, model.government.resistance_belief.mean)


def fight_strengths(model: World, s: Standoff, backing_term: float, troops: int
                    ) -> tuple[float, float]:
    """(S_g, S_m) of fight ``s``: ``troops`` of the government's (those engaged, or all still in
    the fight), with the US's strength weighted by ``backing_term``, against the militia (all
    of it in an operation, the share its muster committed in a clash)."""
    gov, militia = model.government, model.militia(s.militia)
    s_gov = mech.government_strength(troops, gov.authority, backing_term,
                                     model.foreign_force.standoff_strength)
    muster, pool = (1, 1) if s.operation else (s.muster, militia.local_fighters)
    s_mil = mech.militia_strength(militia.fighters, militia.cohesion, muster, pool,
                                  s.allied_fighters)
    return s_gov, s_mil


def real_contest(model: World, s: Standoff) -> float:
    """The government's real contest ratio ``p`` (0–1) in fight ``s`` as it stands: its
    strength on the troops engaged (the US's if it stepped in) against the militia's; ``1 − p``
    is the militia's chance, the position a broker's talks record (step 4)."""
    us = 1.0 if s.us_stepped_in else 0.0
    return mech.contest_ratio(*fight_strengths(model, s, us, engaged(model, s)))


def fight_day(model: World, s: Standoff) -> None:
    """One day of fight ``s`` (steps 2–7 of :mod:`leverage_sim.simulation.mechanisms.operation`)."""
    gov, militia, rng = model.government, model.militia(s.militia), model.rng
    us = 1.0 if s.us_stepped_in else 0.0
    # 2. Attrition between the militia and the troops the government engages today (the
    #    share it believes the fight needs), each side in proportion to the other's strength.
    troops = engaged(model, s)
    s_gov, s_mil = fight_strengths(model, s, us, troops)
    militia_killed = op.draw_losses(rng, militia.fighters, gov.combat_lethality,
                                    op.exposed_strength(s_gov, s.sanctuary))
    government_killed = op.draw_losses(rng, troops, militia.combat_lethality, s_mil)
    militia.fighters -= militia_killed
    s.militia_killed += militia_killed
    s.troops -= government_killed
    s.government_killed += government_killed
    model.raise_escalation("per_clash")
    model.record("government", "fighting", s.militia,
                 event_text.fighting(government_killed, militia_killed),
                 government_killed + militia_killed)
    by_air = op.attributed_losses(militia_killed, us * model.foreign_force.air_strength, s_gov)
    if by_air > 0:
        model.record("foreign_forces", "killed_by_air", s.militia,
                     event_text.killed_by_air(by_air, model.foreign_force.label),
                     by_air)
    gov.resistance_belief.observe(True)  # the militia fought back today
    # 3. Desertion: rises with losses and a contest going badly, falls with cohesion.
    actual = real_contest(model, s)
    share = op.desertion_share(gov.desertion_rate, gov.force_cohesion, actual,
                               op.loss_share(s.government_killed, s.troops_start))
    deserters = op.draw_deserters(rng, s.troops, share)
    if deserters:
        s.troops -= deserters
        model.record("government", "defection", s.militia, event_text.deserted(deserters),
                     deserters)
    s_gov, s_mil = fight_strengths(model, s, us, engaged(model, s))
    if s.troops <= 0:
        return close(model, s, "clash_lost", event_text.fight_over(False))
    if s_mil <= 0:
        return close(model, s, "clash_won", event_text.fight_over(True))
    actual = mech.contest_ratio(s_gov, s_mil)
    # 4. The patron brokers a ceasefire: it opens talks when its client is losing or
    #    escalation threatens; the ceasefire holds once the talks have run their days (a
    #    scripted mediator's talks, open_talks, end the same way).
    patron = model.patron
    if not s.ceasefire_day and patron.brokers(s.militia, 1.0 - actual):
        open_talks(model, s, "patron", patron.talks_days,
                   event_text.talks(s.militia, 1.0 - actual, patron.talks_days), 1.0 - actual)
    if s.ceasefire_day and model.day >= s.ceasefire_day:
        model.record(s.broker, "ceasefire", s.militia,
                     event_text.ceasefire(s.militia, 1.0 - actual, s.broker), 1.0 - actual)
        if op.ceasefire_favours_government(actual):
            return close(model, s, "clash_won", event_text.leaves_streets(s.militia))
        return close(model, s, "clash_lost", event_text.concedes(s.militia))
    # 5. The government presses on or halts, on its own beliefs about backing and about the
    #    militia's will to fight (each day of fighting raised the latter), judging what all
    #    its troops there could do.
    backing_term = 1.0 if s.us_stepped_in else gov.backing_belief.mean
    believed = mech.contest_ratio(fight_strengths(model, s, backing_term, s.troops)[0],
                                  op.believed_militia_strength(s_mil, gov.resistance_belief.mean))
    if not gov.holds_firm(believed, s.pressure):
        return close(model, s, "clash_lost",
                     event_text.halts(backing_term, believed, model.foreign_force.label))
    # 6. The militia may leave the streets.
    if rng.random() < op.withdraw_probability(
            op.storming_chance(actual, s.sanctuary), militia.push,
            op.loss_share(s.militia_killed, s.militia_start),
            militia.hold_ground, militia.loss_sensitivity, gov.decision_sharpness):
        return close(model, s, "clash_won", event_text.withdraws(s.militia))
    # 7. The last day: the real contest decides.
    if model.day >= s.end_day:
        won = actual > 0.5
        close(model, s, "clash_won" if won else "clash_lost", event_text.fight_over(won))


def open_talks(model: World, s: Standoff, broker: str, days: int, note: str,
               value: float) -> None:
    """``broker`` (the patron, or a scripted mediator) opens ceasefire talks in fight ``s``:
    the ceasefire takes hold ``days`` days from today (step 4 of
    :mod:`leverage_sim.simulation.mechanisms.operation`); logged with ``note`` and ``value``."""
    s.ceasefire_day = op.ceasefire_day(model.day, days)
    s.broker = broker
    model.record(broker, "talks", s.militia, note, value)


def step_in(model: World, s: Standoff, note: str) -> None:
    """The foreign force visibly backs the government in standoff ``s``: everyone sees it, and
    it pays the costs of a visible intervention (``ForeignForce.step_in_costs``)."""
    s.us_stepped_in = True
    model.record("foreign_forces", "backing", s.militia, note, 1)
    model.observe_backing(True)
    model.foreign_force.step_in_costs()


def close(model: World, s: Standoff, outcome: str, note: str, kept: int = 0) -> None:
    """Resolve standoff ``s``: log, move detainees (all but ``kept`` when the government
    relents), update reputations and beliefs."""
    s.outcome = outcome
    gov, militia = model.government, model.militia(s.militia)
    won = outcome in ("held_firm", "clash_won")
    if won:
        model.record("government", "hold_firm", s.militia, event_text.standoff_won(note), 1)
        step = gov.win_authority_gain
    else:  # an operation has no detainees at stake: halting hands none over
        transferred = 0 if s.operation else gov.transfer(s.militia, keep=kept)
        model.record("government", "relent", s.militia, note, transferred)
        step = gov.relent_authority_cost * (1.5 if outcome == "clash_lost" else 1.0)
    model.end_standoff_shifts(militia, government_won=won, authority_step=step,
                              us_seen=s.us_stepped_in)
