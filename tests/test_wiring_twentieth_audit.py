"""Wiring, twentieth audit (scripts/mutation_check.py, the mutations under "twentieth audit": the
day's phases (scripted events before the patron, strikes before escalation's decay, a standoff's
opening day, a raid's threat window closing), beliefs' priors and evidence weights, the patron's
instigation, war risk, truce and campaign, retaliation's delay and threshold, an attack's
casualties, the US's memory of its losses, the government's count of attacks, a release
restoring its militia's cells, autonomy's recovery, the run summary's holds and largest muster,
and the episode statistics ``days_until``, ``largest`` and ``followed_by``).

Pure mechanisms, checked against their documented formulas (docs/model.md; each a shared
``@jitable`` function, so one check covers both engines): the patron's war risk weighs
remembered strikes by ``strike_risk``; it orders a truce once its restraint weight reaches ½; a
campaign's support moves toward the day's plan before the plan fades; an attack killing exactly
``retaliation_threshold`` may bring strikes; an attack's casualties are at most the troops in
country.

Links written twice (agent path and fast path), on both engines (the fifth audit's
:func:`_finals`, the fifteenth's :func:`_logs`): a scripted strike on day 0 is remembered by the
patron and fades that day over its ``strike_memory_days``; a deadly attack's strikes come
``retaliation_delay_days`` later and their escalation decays with the day's; the muster's
gathering day is not a silent day; a raid's threat window closes on its last day; a militia's
belief in the government's resolve starts from its own prior; a drawdown weighs a full
observation against backing; instigation moves ``adjustment_rate`` of the way to its target; the
US's remembered casualties fade over 180 days; the government counts a seen attack in its
attacks per month; a release restores the militia's cells by the freed over its attack cells;
autonomy recovers over ``recovery_days``; the summary's held_firm counts a won clash and its
max_muster_size leaves out an operation.

The episode statistics on hand-made events (:func:`event_tables` of
tests/test_calibration_statistics.py): ``days_until`` reads its target, ``largest`` its window,
``followed_by`` only responses on or after the trigger."""

from __future__ import annotations

import numpy as np
import pytest

from leverage_sim.calibration import statistics as st
from leverage_sim.simulation.fastpath import build
from leverage_sim.simulation.fastpath import layout as L
from leverage_sim.simulation.mechanisms import attacks, beliefs, patronage, retaliation, withdrawal
from leverage_sim.simulation.model import LeverageModel
from leverage_sim.simulation.runner import summarise_run

from .test_calibration_statistics import event_tables
from .test_wiring_eighteenth_audit import FIGHT
from .test_wiring_fifteenth_audit import _logs
from .test_wiring_fifth_audit import FULL_RELENT, NAMES, NO_ATTACKS, NO_THREATS, _finals, _scenario
from .test_wiring_fourteenth_audit import _operation
from .test_wiring_nineteenth_audit import COMPLY
from .test_wiring_seventh_audit import _raid


# ---- mechanisms: the patron ---------------------------------------------------------------------
def test_war_risk_weighs_remembered_strikes_by_strike_risk():
    """war_risk = min(1, escalation + strike_risk × recent strikes + us_threat): escalation 0.1,
    two strikes remembered at strike_risk 0.15 and a US threat of 0.05 give 0.45 (not 2.15,
    capped at 1)."""
    assert patronage.war_risk(0.1, 2.0, 0.15, 0.05) == pytest.approx(0.45)
    assert patronage.war_risk(0.0, 1.0, 0.15, 0.0) == pytest.approx(0.15)


def test_the_patron_orders_a_truce_once_its_restraint_weight_reaches_one_half():
    """A truce is ordered when the restraint weight "has reached" TRUCE_WEIGHT (½), that is
    when war risk reaches the patron's threshold (σ(0) = ½), and none is in force; just below
    ½, or while a truce runs (day ≤ its last day), none."""
    weight = patronage.restraint_weight(0.7, 0.7)
    assert weight == 0.5 == patronage.TRUCE_WEIGHT
    assert patronage.declares_truce(weight, -1, 0)
    assert not patronage.declares_truce(0.4999, -1, 0)
    assert not patronage.declares_truce(0.9, 10, 10)
    assert patronage.declares_truce(0.9, 10, 11)


def test_a_campaigns_support_moves_toward_the_days_plan_before_it_fades():
    """campaign_step: the support delivered moves toward the plan (time constant build_days),
    then the plan fades (plan_days): from a plan of 1 and no support, at 90 and 45 days, one
    day gives a plan of 1 − 1/90 and support of 1/45 (toward the whole plan, not its faded
    1 − 1/90)."""
    plan, campaign = patronage.campaign_step(1.0, 0.0, 90.0, 45.0)
    assert plan == pytest.approx(1 - 1 / 90)
    assert campaign == pytest.approx(1 / 45)


# ---- mechanisms: retaliation and an attack's casualties -----------------------------------------
def test_an_attack_killing_exactly_the_threshold_may_bring_strikes():
    """p = min(1, probability × (1 + (casualties − threshold)/2) × (1 − restraint × (esc +
    expulsion)/2)), 0 *below* the threshold (docs/model.md section 5: "kills at least
    retaliation_threshold"): at the threshold, without escalation or expulsion pressure, p =
    the retaliation probability; one death short, 0."""
    assert retaliation.retaliation_chance(1, 1, 0.9, 0.0, 0.0, 0.5) == pytest.approx(0.9)
    assert retaliation.retaliation_chance(3, 3, 0.4, 0.0, 0.0, 0.5) == pytest.approx(0.4)
    assert retaliation.retaliation_chance(2, 3, 0.4, 0.0, 0.0, 0.5) == 0.0


def test_an_attacks_casualties_are_at_most_the_troops_in_country():
    """resolve_attack: Poisson(lethality × exposure) casualties, "at most the troops in
    country": three troops at a site that intercepts nothing and kills ~1,000 at full exposure
    lose three, seeds 1-5; with 5,000 troops the same attack kills the Poisson draw (about
    1,000)."""
    for seed in range(1, 6):
        assert attacks.resolve_attack(np.random.default_rng(seed), 0.0, 1000.0, 3, 0.001) == \
            (False, 3)
        intercepted, killed = attacks.resolve_attack(np.random.default_rng(seed), 0.0, 1000.0,
                                                     5000, 0.001)
        assert not intercepted and 850 < killed < 1150


# ---- links: the day's phases --------------------------------------------------------------------
STRIKE_ON_DAY_0 = {"day": 0, "actor": "foreign_forces", "action": "strike", "target": "KH"}


def test_a_scripted_strike_reaches_the_patron_the_same_day(replay):
    """Scripted events fire first in the day, then the patron steps (docs/model.md, step
    order): a scripted strike on day 0 adds one remembered strike, which the patron's step
    fades that day over its strike_memory_days (30; campaign_days 90): 1 − 1/30 at the end of
    day 0, on both engines."""
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 1, "patron.strike_memory_days": 30.0,
                              "patron.campaign_days": 90.0, "events": [STRIKE_ON_DAY_0]})
    for strikes in _finals(sc, lambda model: model.patron.recent_strikes,
                           lambda w, m: w[L.RECENT_STRIKES]):
        assert strikes == pytest.approx(1 - 1 / 30)


DEADLY = {**NO_ATTACKS, "foreign_forces.exposure_half": 0.001,
          "foreign_forces.sites[bases].interception": 0.0,
          "foreign_forces.sites[bases].lethality": 20.0,
          "foreign_forces.retaliation_probability": 1.0,
          "foreign_forces.retaliation_restraint": 0.0,
          "foreign_forces.retaliation_threshold": 1,
          "escalation.per_attack": 0.0, "escalation.per_casualty": 0.0}
"""A scripted attack on the bases kills about 20 (Poisson, ≥ 1 at these seeds) and brings
strikes for certain; attacks raise no escalation, and no militia attacks of its own."""
ATTACK_ON_DAY_0 = {"day": 0, "actor": "KH", "action": "attack", "target": "bases"}


def test_strikes_come_after_the_retaliation_delay_and_their_escalation_decays_that_day(replay):
    """A deadly attack on day 0 with retaliation_delay_days 3 (response_delay_days 0): the
    strikes come on day 3 (docs/model.md section 5), in the foreign force's step, before the
    day's escalation decays (step order 8, then 9): from 0.2 with decay 0.05 and per_strike
    0.2, escalation ends day 3 at (0.2 × 0.95³ + 0.2) × 0.95 — on both engines, seeds 1-2."""
    sc = _scenario(replay, **{**DEADLY, "horizon_days": 4, "escalation.initial": 0.2,
                              "foreign_forces.retaliation_delay_days": 3,
                              "foreign_forces.response_delay_days": 0,
                              "events": [ATTACK_ON_DAY_0]})
    expected = (0.2 * 0.95 ** 3 + 0.2) * 0.95
    for seed in (1, 2):
        for escalation in _finals(sc, lambda model: model.escalation, lambda w, m: w[L.ESC],
                                  seed):
            assert escalation == pytest.approx(expected)
    for _, _, rows in _logs(sc, range(1, 3)):
        assert [(r[0], r[3]) for r in rows if r[2] == "strike"] == [(3, "KH")]


def test_the_musters_gathering_day_is_not_a_silent_day(replay):
    """The muster gathers on the raid day; from the next day each day the US stays silent
    lowers beliefs in backing (docs/model.md section 3): a raid on KH on day 0 that it musters
    against, with the US never stepping in (backing 0) and no private signals, leaves every
    actor's belief in backing at its prior at the end of day 0 (0.35) — on both engines."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, **FULL_RELENT, "horizon_days": 1,
                              "foreign_forces.backing": 0.0, "events": [_raid()]})
    agent, fast = _finals(
        sc, lambda model: (len(model.standoffs), model.government.backing_belief.mean,
                           [m.backing_belief.mean for m in model.militias]),
        lambda w, m: (int(w[L.N_STANDOFFS]), w[L.GB_MEAN], list(m[:, L.MB_MEAN])))
    for standoffs, government, militias in (agent, fast):
        assert standoffs == 1
        assert government == pytest.approx(0.35)
        assert militias == pytest.approx([0.35] * len(NAMES))


def test_a_raids_threat_window_closes_on_its_last_day(replay):
    """Blocs may threaten within a raid's threat window (docs/model.md section 2): a raid on
    KH on day 0 opens one to day 4 (KH's threat_window_days); AAH (seats, pushed nearly in
    full) has threat_propensity 0 until a scripted set makes it 1 on day 6 — it does not
    threaten on days 6-7 over the old raid, only within the window of a second raid on day 8
    (it does, on days 8-9) — on both engines, seeds 1-2."""
    sc = _scenario(replay, **{**COMPLY, **NO_THREATS, "horizon_days": 10,
                              "patron.instigation": 1.0,
                              "militias[AAH].patron_support_share": 0.5,
                              "militias[KH].patron_support_share": 0.15,
                              "events": [_raid(day=0), _raid(day=8),
                                         {"day": 6, "actor": "AAH", "action": "set",
                                          "figures": {"militias[AAH].threat_propensity": 1.0}}]})
    assert sc.militias[0].threat_window_days == 4
    for _, _, rows in _logs(sc, range(1, 3)):
        assert [r[0] for r in rows if r[2] == "set"] == [6]
        threats = [(r[0], r[1]) for r in rows if r[2] == "public_threat"]
        assert threats and all(day >= 8 and actor == "AAH" for day, actor in threats), threats


# ---- links: beliefs -----------------------------------------------------------------------------
def test_a_militias_belief_in_resolve_starts_from_its_own_prior(replay):
    """Each belief starts at its own prior mean, worth prior_strength observations: KH with
    prior_government_resolve 0.2 and prior_backing 0.9 (strength 4) believes the government
    presses on with 0.2 (alpha 0.8) — on both engines (the model's start and the fast path's
    build)."""
    sc = _scenario(replay, **{"militias[KH].prior_government_resolve": 0.2,
                              "militias[KH].prior_backing": 0.9})
    model = LeverageModel(sc, 1, collect_data=False)
    belief = model.militias[0].resolve_belief
    assert (belief.mean, belief.alpha) == pytest.approx((0.2, 0.8))
    assert model.militias[0].backing_belief.mean == pytest.approx(0.9)
    m = build(sc).m
    assert (m[0, L.MR_MEAN], m[0, L.MR_ALPHA]) == pytest.approx((0.2, 0.8))
    assert m[0, L.MB_MEAN] == pytest.approx(0.9)


def test_a_drawdown_weighs_a_full_observation_against_backing(replay):
    """A scripted drawdown of 100 troops on day 0: everyone's belief in backing gains
    DRAWDOWN_EVIDENCE (1) observation against (a silent day's is ½): from the prior Beta(1.4,
    2.6), Beta(1.4, 3.6), then a day's forgetting toward the prior (365 days) — on both
    engines, for the government and each militia."""
    assert beliefs.DRAWDOWN_EVIDENCE == 1.0
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 1,
                              "events": [{"day": 0, "actor": "foreign_forces",
                                          "action": "drawdown", "figures": {"troops": 100}}]})
    expected = beliefs.beta_forget(1.4, 3.6, 1.4, 2.6, 365.0)[2]
    agent, fast = _finals(
        sc, lambda model: (model.government.backing_belief.mean,
                           [m.backing_belief.mean for m in model.militias]),
        lambda w, m: (w[L.GB_MEAN], list(m[:, L.MB_MEAN])))
    for government, militias in (agent, fast):
        assert government == pytest.approx(expected)
        assert militias == pytest.approx([expected] * len(NAMES))


# ---- links: the patron's instigation ------------------------------------------------------------
def test_instigation_moves_the_adjustment_rate_of_the_way_to_its_target(replay):
    """instigation += adjustment_rate × (target − instigation) (docs/model.md section 7): on a
    quiet day 0 from 0.6, with the target from the patron's state (no backlash, escalation
    0.2, stability priority 0.5), instigation ends at 0.6 + 0.1 × (target − 0.6) — on both
    engines."""
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 1})
    p = sc.patron
    weight = patronage.restraint_weight(
        patronage.war_risk(0.2, 0.0, p.strike_risk, 0.0), p.escalation_threshold)
    target = patronage.target_instigation(0.6, 0.0, weight, p.stability_priority, 0.2)
    assert abs(target - 0.6) > 0.05
    for instigation in _finals(sc, lambda model: model.patron.instigation,
                               lambda w, m: w[L.INSTIGATION]):
        assert instigation == pytest.approx(0.6 + p.adjustment_rate * (target - 0.6))


# ---- links: the US's losses and the government's count of attacks --------------------------------
def test_the_uss_losses_fade_over_casualty_memory_days_and_the_government_counts_the_attack(
        replay):
    """A deadly scripted attack on day 0: the US remembers its casualties, fading over
    CASUALTY_MEMORY_DAYS (180; its belief memory 365), c × (1 − 1/180) at the end of day 0;
    the government counts the attack in its attacks per month (+1, then the day's fading over
    30 days: 1 − 1/30) — on both engines, seeds 1-2."""
    sc = _scenario(replay, **{**DEADLY, "horizon_days": 1, "events": [ATTACK_ON_DAY_0]})
    assert sc.foreign_forces.belief_memory_days != withdrawal.CASUALTY_MEMORY_DAYS
    for seed in (1, 2):
        agent, fast = _finals(
            sc, lambda model: (model.foreign_force.casualties,
                               model.foreign_force.remembered_casualties,
                               model.government.attacks_per_month),
            lambda w, m: (w[L.CASUALTIES], w[L.REMEMBERED], w[L.ATTACKS_PER_MONTH]), seed)
        for casualties, remembered, per_month in (agent, fast):
            assert casualties >= 1
            assert remembered == pytest.approx(casualties * (1 - 1 / 180))
            assert per_month == pytest.approx(1 - 1 / 30)


# ---- links: custody and recovery ----------------------------------------------------------------
def test_a_release_restores_the_militias_cells(replay):
    """14 arrests disrupt KH's 60 attack cells by 14/60; the government relents on day 1 and
    the case (median 2 days, no spread) goes free on day 3, restoring 14/60 (docs/model.md:
    released members return to their cells): KH's disruption is back at 0 at the end of day 3
    (were the 14 counted against its 400 local fighters, ~0.19 would remain) — on both
    engines."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, **FULL_RELENT, "horizon_days": 4,
                              "government.release_delay_days": 2.0,
                              "government.release_delay_spread": 0.0, "events": [_raid()]})
    assert (sc.militias[0].attack_cells, sc.militias[0].local_fighters) == (60, 400)
    agent, fast = _finals(sc, lambda model: (model.militias[0].detained,
                                             model.militias[0].disruption),
                          lambda w, m: (m[0, L.DETAINED], m[0, L.DISRUPTION]))
    for detained, disruption in (agent, fast):
        assert detained == 0
        assert disruption == 0.0
    for _, _, rows in _logs(sc, range(1, 2)):
        assert [(r[0], r[5]) for r in rows if r[2] == "release"] == [(3, 14.0)]


def test_autonomy_recovers_over_the_militias_recovery_days(replay):
    """A raid on KH complied with on day 0 (a government win) lowers the other militias'
    autonomy by 0.02 (docs/model.md section 3); that day's recovery closes 1/τ of the gap with
    τ = recovery_days (365; disruption_recovery_days 45): AAH 0.6 → 0.58 + 0.02/365, Nujaba
    0.7 → 0.68 + 0.02/365, KSS 0.6 → 0.58 + 0.02/365 — on both engines."""
    sc = _scenario(replay, **{**COMPLY, "events": [_raid()]})
    assert {m.disruption_recovery_days for m in sc.militias} == {45.0}
    expected = [a - 0.02 + 0.02 / 365 for a in (0.6, 0.7, 0.6)]
    for autonomy in _finals(sc, lambda model: [m.autonomy for m in model.militias[1:]],
                            lambda w, m: list(m[1:, L.M_AUTONOMY])):
        assert autonomy == pytest.approx(expected, rel=1e-9)


# ---- links: the run summary ---------------------------------------------------------------------
def test_the_summarys_held_firm_counts_a_won_clash(replay):
    """An operation of 20,000 troops (S_g ≥ 10,000) at lethality 1 kills all of KH's 7,000
    fighters on its first day of fighting (the eighteenth audit's fight): a won clash, which
    the summary counts among the government's holds (1), not among the relents (0) — on both
    engines, seeds 1-2."""
    sc = _scenario(replay, **{**FIGHT, "militias[KH].combat_lethality": 0.0,
                              "government.combat_lethality": 1.0,
                              "government.committed_share": 1.0,
                              "events": [_operation(20000, 2)]})
    for _, run, rows in _logs(sc, range(1, 3)):
        assert [(r[0], r[2]) for r in rows if r[2] in ("hold_firm", "relent")] == \
            [(1, "hold_firm")]
        summary = summarise_run(run, 1, 0)
        assert (summary["standoffs"], summary["held_firm"], summary["relents"]) == (1, 1, 0)


def test_the_summarys_largest_muster_leaves_out_an_operation(replay):
    """max_muster_size counts a standoff's muster, own plus allied; "an operation has no
    muster, though allies may join its fight" (outcomes.OUTCOMES): AAH (solidarity 1, the
    patron's top share: 0.5, KH's cut to 0.15) joins the fight of an operation against KH,
    and the summary's max_muster_size stays 0 — on both engines, seeds 1-2."""
    sc = _scenario(replay, **{**FIGHT, "militias[AAH].solidarity": 1.0,
                              "militias[AAH].patron_support_share": 0.5,
                              "militias[KH].patron_support_share": 0.15,
                              "patron.instigation": 1.0, "events": [_operation(1000, 2)]})
    for _, run, rows in _logs(sc, range(1, 3)):
        joined = [r for r in rows if r[2] == "muster" and r[1] == "AAH"]
        assert joined and all(r[5] > 0 for r in joined)
        summary = summarise_run(run, 1, 0)
        assert summary["standoffs"] == 1 and summary["max_muster_size"] == 0


# ---- the episode statistics ---------------------------------------------------------------------
ROWS = [  # day, date, actor, action, target, value
    (0, "2020-01-01", "KH", "attack", "bases", 3.0),
    (2, "2020-01-03", "foreign_forces", "strike", "AAH", 1.0),
    (10, "2020-01-11", "foreign_forces", "strike", "KH", 1.0),
    (30, "2020-01-31", "AAH", "attack", "convoys", 1.0),
    (48, "2020-02-18", "foreign_forces", "strike", "KH", 1.0),
    (50, "2020-02-20", "KH", "attack", "embassy", 2.0),
]


@pytest.fixture
def tables():
    return event_tables(ROWS)


def test_days_until_reads_its_target(tables):
    """days_until the first strike on KH after 1 January is 10 (the strike on AAH on day 2 is
    not one); on AAH, 2."""
    assert st.days_until(tables, "strike", "2020-01-01", target="KH") == 10
    assert st.days_until(tables, "strike", "2020-01-01", target="AAH") == 2


def test_largest_reads_its_window(tables):
    """The largest attack of February kills 2 (January's 3 is outside the window); of the
    whole run, 3."""
    assert st.largest(tables, "attack", start="2020-02-01", end="2020-02-29") == 2.0
    assert st.largest(tables, "attack") == 3.0


def test_followed_by_counts_only_answers_on_or_after_the_trigger(tables):
    """The deadly attacks of days 0, 30 and 50: day 0's is answered by the strike of day 2;
    day 30's by none; day 50's neither — the strike of day 48 came before it: 1/3 within 5
    days (not 2/3)."""
    assert st.followed_by(tables, "attack", "strike", 5, min_value=1.0) == pytest.approx(1 / 3)
