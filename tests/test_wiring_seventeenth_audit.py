"""Wiring, seventeenth audit (scripts/mutation_check.py, the mutations under "seventeenth
audit": the patron's war risk and a scripted truce, escalation from strikes and musters, a
militia's attack intent and the state's command, attacks after withdrawal, disruption's cap,
allies, threats and clashes answering the patron's push, the government's raids (one that
arrests no one), hold decision (allies who joined a muster weighing in it) and negotiated
transfers, coalition support after a standoff, the US's step-in, the pressure of its losses, a
scripted backing, retaliation, expulsion pressure and escalation's cap).

Pure mechanisms, checked against their documented formulas (each a shared ``@jitable``
function, so one check covers both engines): attack intent's agency slack is floored at 0; the
state's command restrains a militia by its subordination ``1 − autonomy``; no attacks without
troops in country; an ally's join chance is ``solidarity × push``, a threat's
``threat_propensity × (0.5 + 0.5 push)``, a clash's ``clash_propensity × push``; the raid
hazard scales with resolve; coalition support helps the government hold; a win raises
coalition support, a loss lowers it; a negotiated transfer keeps ``Binomial(n, leverage × p)``;
the US's trust in its partner moves its step-in chance; the pressure of its losses is capped
at 1; retaliation is restrained by escalation and expulsion pressure together; expulsion
pressure fades before the vote.

Links written twice (agent path and fast path), on both engines (the fifth audit's
:func:`_finals`, the fifteenth's :func:`_logs`): a strike is remembered among the patron's
recent strikes (its war risk) and raises escalation by ``per_strike``; a muster raises it by
``per_muster``; escalation is capped at 1; a scripted truce moves the base the patron's
instigation drifts toward; a militia's disruption stays within 1 when raids and strikes pile
up; a raid the militia
complies with teaches the government that militias do not resist, one that arrests no one
ends there (no answer, no standing gained, no backlash); allies who joined a muster count in
the standoff's contest (the government relents against them); a scripted backing does not
step again into a standoff the US has already stepped into; and no militia attacks a force that
has left."""

from __future__ import annotations

import math

import numpy as np
import pytest

from leverage_sim.simulation.fastpath import layout as L
from leverage_sim.simulation.mechanisms import (
    attacks,
    backing,
    beliefs,
    enforcement,
    intimidation,
    retaliation,
    standoff,
    withdrawal,
)

from .test_wiring_fifteenth_audit import _logs
from .test_wiring_fifth_audit import (
    CERTAIN_TO_HOLD,
    HARMLESS,
    NAMES,
    NO_ATTACKS,
    NO_THREATS,
    _finals,
    _scenario,
)
from .test_wiring_seventh_audit import _raid
from .test_wiring_sixteenth_audit import _threat_scenario

QUIET_ESCALATION = {"escalation.initial": 0.0, "escalation.decay": 0.0}
"""Escalation starts at 0 and does not decay: after a day it is the sum of the day's steps."""
STRIKE = {"day": 0, "actor": "foreign_forces", "action": "strike", "target": "KH"}


# ---- mechanisms: attacks ------------------------------------------------------------------------
def test_agency_slack_never_cuts_intent_below_the_patrons_push():
    """intent = push + autonomy × max(0, hostility − push): a fully autonomous militia less
    hostile (0.2) than it is pushed (0.8) attacks at the push, 0.8 (not 0.2); one more hostile
    (0.6) than pushed (0.2) with autonomy ½ at 0.2 + ½ × 0.4 = 0.4."""
    assert attacks.attack_intent(0.8, 1.0, 0.2) == pytest.approx(0.8)
    assert attacks.attack_intent(0.8, 0.5, 0.0) == pytest.approx(0.8)
    assert attacks.attack_intent(0.2, 0.5, 0.6) == pytest.approx(0.4)


def test_the_states_command_restrains_the_subordinate_not_the_autonomous():
    """restraint = 1 − command_reach × authority × (1 − autonomy): a fully autonomous militia
    is unrestrained (1) under a government of full authority and reach; a subordinate one
    (autonomy 0) makes none of its attacks; autonomy 0.2 under authority ½, reach ½: 0.8 — the
    more autonomous militia keeps more of its attacks."""
    assert attacks.state_restraint(1.0, 1.0, 1.0) == pytest.approx(1.0)
    assert attacks.state_restraint(1.0, 0.0, 1.0) == pytest.approx(0.0)
    assert attacks.state_restraint(0.5, 0.2, 0.5) == pytest.approx(0.8)
    assert attacks.state_restraint(0.5, 0.9, 0.5) > attacks.state_restraint(0.5, 0.2, 0.5)


def test_no_attacks_on_a_force_that_has_left(replay):
    """attack_rate is 0 with no troops in country, whatever the militia's state; run: the US
    withdraws on day 0 (scripted) and every militia's attack rate is 5 a day: no attack in 15
    days — on both engines, seeds 1-2 (with the force in country the same militias attack
    dozens of times)."""
    assert attacks.attack_rate(5.0, 1.0, 1.0, 1.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0) == 0.0
    assert attacks.attack_rate(5.0, 1.0, 1.0, 1.0, 0.0, 0.5, 0.0, 0.0, 0.0, 100) == \
        pytest.approx(5.0)
    withdraw = {"day": 0, "actor": "foreign_forces", "action": "withdrawal"}
    rates = {f"militias[{n}].attack_rate": 5.0 for n in NAMES}
    sc = _scenario(replay, **{**NO_THREATS, **rates, "horizon_days": 15, "events": [withdraw]})
    for _, _, rows in _logs(sc, range(1, 3)):
        assert [r[2] for r in rows if r[1] == "foreign_forces"] == ["withdrawal"]
        assert not [r for r in rows if r[2] == "attack"], rows[:5]
    stays = _scenario(replay, **{**NO_THREATS, **HARMLESS, **rates, "horizon_days": 5})
    for _, _, rows in _logs(stays, range(1, 2)):
        assert sum(r[2] == "attack" for r in rows) > 10


# ---- mechanisms: public reactions ---------------------------------------------------------------
def test_allies_join_and_leaders_threaten_by_the_patrons_push():
    """join = solidarity × push: an ally the patron does not push (push 0) never joins, one
    pushed 0.4 with solidarity ½ joins with 0.2; threat = threat_propensity × (0.5 + 0.5 push):
    0.6 at push 1, 0.3 at push 0 — both rise with the push."""
    assert intimidation.join_probability(0.5, 0.0) == 0.0
    assert intimidation.join_probability(0.5, 0.4) == pytest.approx(0.2)
    assert intimidation.threat_probability(0.6, 1.0) == pytest.approx(0.6)
    assert intimidation.threat_probability(0.6, 0.0) == pytest.approx(0.3)
    assert intimidation.threat_probability(0.6, 0.8) > intimidation.threat_probability(0.6, 0.2)


def test_a_muster_turns_into_a_clash_by_the_patrons_push():
    """clash = clash_propensity × push: a muster the patron does not push (push 0) never turns
    into a clash; propensity 0.05 at push 0.4 gives 0.02."""
    assert standoff.clash_probability(0.05, 0.0) == 0.0
    assert standoff.clash_probability(0.05, 0.4) == pytest.approx(0.02)


# ---- mechanisms: the government -----------------------------------------------------------------
def test_the_raid_hazard_scales_with_resolve():
    """h = raid_rate × resolve × (1 − E[resistance] (1 − E[backing])) × (1 + ...): a government
    without resolve never raids; at resolve ½ the hazard is half that at resolve 1 (0.1 × 1 ×
    (1 − ½ × ½) = 0.075 without motives)."""
    def hazard(resolve: float) -> float:
        return enforcement.raid_hazard(0.1, resolve, 0.5, 0.5, 0.0, 0.2, 0.0, 1.0)

    assert hazard(0.0) == 0.0
    assert hazard(1.0) == pytest.approx(0.075)
    assert hazard(0.5) == pytest.approx(0.0375)


def test_coalition_support_helps_the_government_hold():
    """hold = σ(k (p − (1 − resolve) − pressure + coalition / 2 − ¼)): at p = resolve = ½, no
    pressure, k = 6, full coalition support gives σ(1.5), none σ(−1.5)."""
    assert standoff.hold_probability(0.5, 0.5, 0.0, 1.0, 6.0) == \
        pytest.approx(1 / (1 + math.exp(-1.5)))
    assert standoff.hold_probability(0.5, 0.5, 0.0, 0.0, 6.0) == \
        pytest.approx(1 / (1 + math.exp(1.5)))


def test_a_won_standoff_raises_coalition_support_and_a_lost_one_lowers_it():
    """The coalition shift after a standoff is +COALITION_SHIFT when the government wins (blocs
    follow success), −COALITION_SHIFT when it loses, whatever the authority step."""
    assert beliefs.COALITION_SHIFT > 0
    assert beliefs.standoff_outcome_shifts(True, 0.08)[2] == pytest.approx(beliefs.COALITION_SHIFT)
    assert beliefs.standoff_outcome_shifts(True, 0.04, True)[2] == \
        pytest.approx(beliefs.COALITION_SHIFT)
    assert beliefs.standoff_outcome_shifts(False, 0.12)[2] == \
        pytest.approx(-beliefs.COALITION_SHIFT)


def test_a_negotiated_transfer_keeps_detainees_by_the_governments_chance():
    """kept ~ Binomial(n, min(1, leverage × p)), p the government's win chance: with leverage 1
    a government certain to win (p = 1) keeps all 14, one certain to lose (p = 0) none; at p =
    0.9 it keeps about 12.6 on average (not 1.4)."""
    rng = np.random.default_rng(5)
    assert standoff.kept_in_negotiation(rng, 14, 1.0, 1.0) == 14
    assert standoff.kept_in_negotiation(rng, 14, 0.0, 1.0) == 0
    kept = [standoff.kept_in_negotiation(rng, 14, 0.9, 1.0) for _ in range(400)]
    assert np.mean(kept) == pytest.approx(12.6, abs=0.3)


# ---- mechanisms: the foreign force --------------------------------------------------------------
def test_the_uss_trust_in_its_partner_moves_its_step_in_chance():
    """logit(p) = logit(backing) + sensitivity × ((authority − ½) + (trust − ½) − expulsion +
    us_pressure): at backing ½, authority ½, sensitivity 1, trust 0.9 gives σ(0.4), trust 0.1
    σ(−0.4)."""
    assert backing.step_in_probability(0.5, 0.5, 0.9, 0.0, 0.0, 1.0) == \
        pytest.approx(1 / (1 + math.exp(-0.4)))
    assert backing.step_in_probability(0.5, 0.5, 0.1, 0.0, 0.0, 1.0) == \
        pytest.approx(1 / (1 + math.exp(0.4)))


def test_the_pressure_of_us_losses_is_capped_at_one():
    """us_pressure = min(1, remembered casualties / tolerance): 3 of a tolerance of 6 is ½; 30
    is 1 (not 5), so the raid hazard's and the step-in's pressure term stays on its scale."""
    assert backing.us_pressure(3.0, 6.0) == pytest.approx(0.5)
    assert backing.us_pressure(30.0, 6.0) == 1.0


def test_retaliation_is_restrained_by_expulsion_pressure_too():
    """p = min(1, probability × (1 + (c − threshold)/2) × (1 − restraint × (escalation +
    expulsion) / 2)): one death at threshold 1, probability 0.9, restraint 1: with no
    escalation and expulsion pressure 1 the chance is 0.45; with neither 0.9."""
    assert retaliation.retaliation_chance(1, 1, 0.9, 0.0, 1.0, 1.0) == pytest.approx(0.45)
    assert retaliation.retaliation_chance(1, 1, 0.9, 0.0, 0.0, 1.0) == pytest.approx(0.9)
    assert retaliation.retaliation_chance(1, 1, 0.9, 1.0, 0.0, 1.0) == pytest.approx(0.45)


def test_expulsion_pressure_fades_before_the_vote():
    """Before the vote expulsion pressure decays by EXPULSION_PRESSURE_DECAY a day toward 0:
    0.4 → 0.398; after it, its excess over the floor (0.3) decays."""
    assert withdrawal.EXPULSION_PRESSURE_DECAY > 0
    assert withdrawal.decay_expulsion(0.4, False, 0.3) == \
        pytest.approx(0.4 * (1 - withdrawal.EXPULSION_PRESSURE_DECAY))
    assert withdrawal.decay_expulsion(0.4, False, 0.3) < 0.4
    assert withdrawal.decay_expulsion(0.4, True, 0.3) == \
        pytest.approx(0.3 + 0.1 * (1 - withdrawal.EXPULSION_PRESSURE_DECAY))


# ---- links: the patron ------------------------------------------------------------------------
def test_a_strike_is_remembered_among_the_patrons_recent_strikes(replay):
    """A scripted strike on KH on day 0: the patron remembers it as one recent strike, faded
    once by its step that day (1 − 1/strike_memory_days), so its war risk counts it — on both
    engines."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 1,
                              "events": [STRIKE]})
    tau = sc.patron.strike_memory_days
    for found in _finals(sc, lambda model: model.patron.recent_strikes,
                         lambda w, m: w[L.RECENT_STRIKES]):
        assert found == pytest.approx(1 - 1 / tau)


def test_a_strike_raises_escalation_by_per_strike(replay):
    """A scripted strike on KH on day 0, escalation starting at 0 without decay, nothing else
    violent: escalation ends the day at per_strike (0.2) — on both engines."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, **QUIET_ESCALATION,
                              "horizon_days": 1, "events": [STRIKE]})
    assert sc.escalation.per_strike > 0.1
    for found in _finals(sc, lambda model: model.escalation, lambda w, m: w[L.ESC]):
        assert found == pytest.approx(sc.escalation.per_strike)


def test_a_muster_raises_escalation_by_per_muster(replay):
    """KH musters against a raid on day 0 (the US never stepping in; the muster gathers, the
    standoff is faced from day 1), escalation starting at 0 without decay: it ends the day at
    per_muster (0.05), not per_clash (0.15) — on both engines, seeds 1-2."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, **CERTAIN_TO_HOLD, **QUIET_ESCALATION,
                              "horizon_days": 1, "events": [_raid()],
                              "foreign_forces.backing": 0.0,
                              "militias[KH].stake_reference": 0.0001})
    assert sc.escalation.per_muster != sc.escalation.per_clash
    for seed in (1, 2):
        for found in _finals(sc, lambda model: (len(model.standoffs), model.escalation),
                             lambda w, m: (w[L.N_STANDOFFS], w[L.ESC]), seed):
            assert found[0] == 1
            assert found[1] == pytest.approx(sc.escalation.per_muster)


def test_a_scripted_truce_moves_the_base_instigation_drifts_toward(replay):
    """A scripted truce at 0.1 on day 0 (the patron's instigation 0.6): the base is 0.1 and
    instigation has drifted to it within a month (below 0.2 after 30 days; from 0.6 toward a
    base of 0.6 it would stay near 0.6) — on both engines."""
    truce = {"day": 0, "actor": "patron", "action": "truce", "figures": {"instigation": 0.1}}
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 30,
                              "events": [truce]})
    assert sc.patron.instigation == 0.6
    for base, now in _finals(sc, lambda model: (model.patron.base_instigation,
                                                model.patron.instigation),
                             lambda w, m: (w[L.BASE_INSTIGATION], w[L.INSTIGATION])):
        assert base == pytest.approx(0.1)
        assert now < 0.2


# ---- links: disruption, raids' lessons, a scripted backing ---------------------------------------
def test_disruption_stays_within_one_when_raids_and_strikes_pile_up(replay):
    """A raid arresting 60 of KH's 60 attack-cell members (disruption 1) and a strike (+0.3) on
    day 0: KH's disruption is capped at 1, then fades once over its disruption_recovery_days —
    1 × (1 − 1/45) at the end of the day, on both engines."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, **CERTAIN_TO_HOLD, "horizon_days": 1,
                              "events": [_raid(arrests=60), STRIKE],
                              "foreign_forces.backing": 0.0})
    kh = sc.militias[0]
    assert kh.attack_cells == 60 and sc.foreign_forces.strike_disruption > 0
    for found in _finals(sc, lambda model: model.militia("KH").disruption,
                         lambda w, m: m[0, L.DISRUPTION]):
        assert found == pytest.approx(1 - 1 / kh.disruption_recovery_days)


def test_a_raid_complied_with_teaches_that_militias_do_not_resist(replay):
    """KH, with no push (instigation 0), no autonomy and nothing at stake to speak of
    (stake_reference 1), complies with a raid of 14 on day 0 (muster chance below 1e-6): the
    government's belief that militias resist gains a full observation against (its beta; its
    alpha stays at the prior) — on both engines, seeds 1-2."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 1,
                              "events": [_raid()], "patron.instigation": 0.0,
                              "militias[KH].autonomy": 0.0, "militias[KH].stake_reference": 1.0})
    alpha0, beta0 = beliefs.beta_prior(sc.government.prior_resistance,
                                       sc.government.prior_strength)
    memory = sc.government.belief_memory_days
    for seed in (1, 2):
        for _, _, rows in _logs(sc, range(seed, seed + 1)):
            assert [r[2] for r in rows if r[1] == "KH"] == ["comply"]
        for alpha, beta in _finals(
                sc, lambda model: (model.government.resistance_belief.alpha,
                                   model.government.resistance_belief.beta),
                lambda w, m: (w[L.GR_ALPHA], w[L.GR_ALPHA + 1]), seed):
            assert alpha == pytest.approx(alpha0)
            assert beta == pytest.approx(beta0 + 1 - 1 / memory)


def test_a_scripted_backing_does_not_step_in_again(replay):
    """Backing 1 with no response delay: the US steps into KH's standoff the day KH musters
    (day 0); a scripted backing of KH on day 1 finds it stepped in already: one backing event in
    the run, and expulsion pressure raised by one step only — on both engines, seeds 1-2."""
    again = {"day": 1, "actor": "foreign_forces", "action": "backing", "target": "KH"}
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, **CERTAIN_TO_HOLD, "horizon_days": 2,
                              "events": [_raid(), again], "foreign_forces.backing": 1.0,
                              "militias[KH].stake_reference": 0.0001})
    ff = sc.foreign_forces
    assert ff.response_delay_days == 0 and ff.step_in_expulsion_pressure > 0
    for _, _, rows in _logs(sc, range(1, 3)):
        assert [(r[0], r[2]) for r in rows if r[1] == "foreign_forces"] == [(0, "backing")], rows
    decay = 1 - withdrawal.EXPULSION_PRESSURE_DECAY
    once = ((ff.expulsion_pressure + ff.step_in_expulsion_pressure) * decay) * decay
    for found in _finals(sc, lambda model: model.foreign_force.expulsion_pressure,
                         lambda w, m: w[L.EXPULSION]):
        assert found == pytest.approx(once)


def test_a_raid_that_arrests_no_one_ends_there(replay):
    """A scripted raid on KH of 14 targets by a government with no enforcement capacity (arrest
    chance 0: no arrests): the raid is logged with value 0 and nothing follows — KH neither
    complies nor musters, the government's authority stays at its baseline, the patron's
    backlash at 0 — on both engines, seeds 1-2."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 1,
                              "events": [_raid(targets=14)],
                              "government.enforcement_capacity": 0})
    for _, _, rows in _logs(sc, range(1, 3)):
        assert [(r[1], r[2], r[5]) for r in rows] == [("government", "raid", 0)], rows
    for seed in (1, 2):
        for authority, backlash in _finals(
                sc, lambda model: (model.government.authority, model.patron.backlash),
                lambda w, m: (w[L.AUTHORITY], w[L.BACKLASH]), seed):
            assert authority == sc.government.authority
            assert backlash == 0.0


def test_allies_who_joined_a_muster_weigh_in_the_governments_hold_decision(replay):
    """KH musters against a raid on day 0 and AAH (solidarity 1, push 1, 20,000 local fighters
    all turning out) joins it the same day. The government holds on day 1 only if its believed
    chance beats ½ (resolve 0.75, no coalition support, sharpness 100): with capacity 20,000
    (S_g ≈ 15,000 + E[b] × U ≈ 16,500) against KH alone (S_m ≈ 4,700: p ≈ 0.78) it would hold;
    with AAH's 20,000 in S_m (p ≈ 0.4) it relents on day 1 — on both engines, seeds 1-2 (KH
    never clashes: clash_propensity 0)."""
    sc = _threat_scenario(replay, {}, horizon=2, **{
        "militias[AAH].solidarity": 1.0, "militias[AAH].fighters": 30_000,
        "militias[AAH].local_fighters": 20_000, "militias[AAH].mobilisation": 1.0,
        "militias[KH].clash_propensity": 0.0, "government.resolve": 0.75,
        "government.coalition_support": 0.0, "government.enforcement_capacity": 20_000})
    for _, run, rows in _logs(sc, range(1, 3)):
        assert [(r[0], r[1], r[5]) for r in rows if r[2] == "muster"] == \
            [(0, "KH", run.standoffs[0].muster), (0, "AAH", 20_000)], rows
        assert [(r[0], r[2]) for r in rows if r[1] == "government"][-1] == (1, "relent"), rows


def test_escalation_is_capped_at_one(replay):
    """Escalation at 0.95 without decay and a scripted strike on day 0 (+ per_strike, 0.2):
    it ends the day at 1, not 1.15 — on both engines."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 1,
                              "escalation.initial": 0.95, "escalation.decay": 0.0,
                              "events": [STRIKE]})
    assert sc.escalation.per_strike > 0.05
    for found in _finals(sc, lambda model: model.escalation, lambda w, m: w[L.ESC]):
        assert found == 1.0
