"""Wiring, twelfth audit (scripts/mutation_check.py, the mutations under "twelfth audit"; the
model tests before this file killed eleven of its nineteen bugs, this file kills all nineteen).

Pure mechanisms, checked against their documented formulas at points where a realistic slip
shows: a custody case's log-normal delay is shorter than the median for a negative draw; a
detained commander counts as ``commander_stake`` members in all (not one more); US strength in a
standoff counts only the committable share of its troops; a step-in's expulsion pressure stays
on its 0-1 scale; losses weigh ``LOSS_WEIGHT`` times their share in desertion and (at its
default ``loss_sensitivity``) in the militia's withdrawal; the patron's brokering out of war risk is scaled by its
stability_priority; a ceasefire in an even fight goes the militia's way (as the last day's
rule); troops returning round up; the patron's war risk is capped at 1; fading leaves a
negative value fading (not zeroed); a remembered value fades once per day since.

The calibration statistics, on hand-made event tables: ``largest`` filters by target,
``days_until`` is capped, ``followed_by`` is 1 with nothing to answer, a window's end day
counts, one excluded target written alone is excluded.

A fight, on both engines and three seeds (the fifth audit's helpers): its last day is decided
by the real contest, not the government's belief; a militia's hold_ground keeps it in the
streets against a stronger force."""

from __future__ import annotations

import math

import pytest

from leverage_sim.calibration import statistics as st
from leverage_sim.simulation import standoffs
from leverage_sim.simulation.mechanisms import (
    backing,
    beliefs,
    custody,
    intimidation,
    patronage,
    redeploy,
)
from leverage_sim.simulation.mechanisms import operation as op
from leverage_sim.simulation.mechanisms import standoff as mech
from leverage_sim.simulation.model import LeverageModel
from leverage_sim.simulation.runner import RunTables

from .test_calibration_statistics import event_tables
from .test_wiring_fifth_audit import CERTAIN_TO_HOLD, NO_ATTACKS, _events, _scenario
from .test_wiring_fourth_audit import NO_BROKER


# ---- custody and the stake ----------------------------------------------------------------------
def test_a_cases_delay_is_log_normal_around_its_median():
    """delay = median × exp(spread × z), rounded up: median 10, spread 0.5 gives 7 days for z =
    −1 (10 × 0.607 = 6.07) and 17 for z = +1 (16.49); 10 at z = 0; at least 1 day."""
    assert custody.delay_days(10.0, 0.5, -1.0) == 7
    assert custody.delay_days(10.0, 0.5, 0.0) == 10
    assert custody.delay_days(10.0, 0.5, 1.0) == 17
    assert custody.delay_days(2.0, 1.0, -3.0) == 1
    # a negative draw settles the case before the median, whatever the spread
    assert all(custody.delay_days(10.0, spread, z) < 10
               for spread in (0.3, 0.8, 1.5) for z in (-0.5, -1.0, -2.0))


def test_a_detained_commander_counts_as_commander_stake_members_in_all():
    """detained + (commander_stake − 1) × commanders: 10 detained of whom 2 commanders worth 5
    members each are 8 + 2 × 5 = 18 member-equivalents (not 20); without commanders, 10."""
    assert intimidation.member_equivalents(10, 2, 5.0) == 18.0
    assert intimidation.member_equivalents(10, 0, 5.0) == 10.0
    assert intimidation.member_equivalents(3, 3, 1.0) == 3.0


# ---- what stepping in brings and costs ----------------------------------------------------------
def test_us_strength_counts_the_committable_share_of_its_troops():
    """U = presence × standoff_share × ground_multiplier (+ air support scaled by presence):
    1,000 troops, a fifth committable, worth 3 each, no air support: 600 (not 3,000)."""
    assert backing.us_standoff_strength(1000, 0.2, 3.0, 0.0) == pytest.approx(600.0)
    assert backing.us_standoff_strength(1000, 0.2, 3.0, 1500.0) == pytest.approx(
        600.0 + 1500.0 * 1000 / 1500)


def test_a_step_ins_expulsion_pressure_stays_on_its_scale():
    """Expulsion pressure 0.9 + a step-in's 0.3 is capped at 1; the backlash is a stock (adds
    freely); coalition support 0.05 − 0.1 stops at 0."""
    assert backing.step_in_costs(0.9, 0.3, 2.0, 0.5, 0.05, 0.1) == pytest.approx((1.0, 2.5, 0.0))
    assert backing.step_in_costs(0.2, 0.3, 0.0, 0.5, 0.6, 0.1) == pytest.approx((0.5, 0.5, 0.5))


# ---- fights: losses' weight, brokering, ceasefire terms -----------------------------------------
def test_losses_weigh_loss_weight_times_their_share_in_desertion():
    """d = rate × (1 − cohesion) × (1 − p + LOSS_WEIGHT × losses/T₀): rate 0.1, cohesion 0.5,
    p = ½, 2% lost: 0.05 × (0.5 + 10 × 0.02) = 0.035 (0.026 with the bare share)."""
    assert op.LOSS_WEIGHT == 10.0
    assert op.desertion_share(0.1, 0.5, 0.5, 0.02) == pytest.approx(0.035)
    assert op.desertion_share(0.1, 0.5, 0.5, 0.0) == pytest.approx(0.025)


def test_losses_weigh_loss_sensitivity_times_their_share_in_the_militias_withdrawal():
    """σ(k × (p − ½ − (push − ½)/2 − hold_ground + loss_sensitivity × losses/F₀)): an even
    fight, push ½, no hold_ground, 5% lost, loss_sensitivity 10, k = 10: σ(10 × 0.5) = σ(5)
    (σ(0.5) with the bare share)."""
    assert op.withdraw_probability(0.5, 0.5, 0.05, 0.0, 10.0, 10.0) == pytest.approx(
        1 / (1 + math.exp(-5.0)))
    assert op.withdraw_probability(0.5, 0.5, 0.0, 0.0, 10.0, 10.0) == pytest.approx(0.5)


def test_brokering_out_of_war_risk_is_scaled_by_the_stability_priority():
    """1 − (1 − σ(15 (threshold − position))) × (1 − w × stability_priority): a client winning
    in full (position 1, threshold 0.3: σ(−10.5) ≈ 0) with restraint weight 0.8 brokers with
    ≈ 0.8 × stability_priority: 0.4 at priority ½, ≈ 0 at priority 0."""
    losing = 1 / (1 + math.exp(10.5))
    for priority in (0.0, 0.5, 1.0):
        assert op.broker_probability(1.0, 0.3, 0.8, priority, 1.0) == pytest.approx(
            1 - (1 - losing) * (1 - 0.8 * priority))
    assert op.broker_probability(1.0, 0.3, 0.8, 0.0, 1.0) < 1e-4


def test_a_ceasefire_in_an_even_fight_goes_the_militias_way():
    """The ceasefire's terms follow the fight as the last day's rule does: the government's only
    with p above ½ (an even fight is not a government win)."""
    assert not op.ceasefire_favours_government(0.5)
    assert op.ceasefire_favours_government(0.5 + 1e-9)
    assert not op.ceasefire_favours_government(0.4)


# ---- troops returning, the patron's war risk, memories ------------------------------------------
def test_troops_returning_round_up():
    """ceil(share × gap), at least 1, at most the gap: a gap of 10 at 25% returns 3 (not 2); a
    gap of 100 at 25% returns 25; a gap of 1 returns 1."""
    assert redeploy.redeploy_size(990, 1000, 0.25) == 3
    assert redeploy.redeploy_size(900, 1000, 0.25) == 25
    assert redeploy.redeploy_size(999, 1000, 0.25) == 1
    assert redeploy.redeploy_size(1000, 1000, 0.25) == 0


def test_the_patrons_war_risk_is_capped_at_one():
    """min(1, escalation + strike_risk × recent strikes + US threat): 0.8 + 0.3 × 2 + 0.2 is
    capped at 1, so restraint never weighs more than at a war risk of 1."""
    assert patronage.war_risk(0.8, 2.0, 0.3, 0.2) == 1.0
    assert patronage.war_risk(0.2, 1.0, 0.1, 0.1) == pytest.approx(0.4)
    assert patronage.restraint_weight(patronage.war_risk(5.0, 0.0, 0.0, 0.0), 0.5) == (
        pytest.approx(patronage.restraint_weight(1.0, 0.5)))


def test_a_negative_value_fades_like_a_positive_one():
    """fade(v, τ) = v × (1 − 1/τ), 0 once |v| < REST: −0.5 over τ = 10 is −0.45 a day later
    (a lost standoff's morale drop fades, it does not vanish); ±REST/2 snap to 0."""
    assert beliefs.fade(-0.5, 10.0) == pytest.approx(-0.45)
    assert beliefs.fade(0.5, 10.0) == pytest.approx(0.45)
    assert beliefs.fade(-beliefs.REST / 2, 10.0) == 0.0
    assert beliefs.fade(beliefs.REST / 2, 10.0) == 0.0


def test_a_memory_fades_once_for_each_day_since():
    """remembered(v, days, τ) = v × (1 − 1/τ)^days: 1 seen 10 days ago with τ = 10 is 0.9^10;
    seen today, all of it."""
    assert beliefs.remembered(1.0, 10, 10.0) == pytest.approx(0.9 ** 10)
    assert beliefs.remembered(2.0, 0, 10.0) == 2.0
    assert beliefs.remembered(2.0, 1, 10.0) == pytest.approx(1.8)


# ---- the calibration statistics -----------------------------------------------------------------
ROWS = [  # day, date, actor, action, target, value
    (0, "2020-01-01", "KH", "attack", "bases", 1.0),
    (2, "2020-01-03", "foreign_forces", "strike", "KH", 20.0),
    (10, "2020-01-11", "AAH", "attack", "convoys", 0.0),
    (40, "2020-02-10", "KH", "attack", "embassy", 3.0),
    (61, "2020-03-02", "government", "release", "government", 13.0),
]


@pytest.fixture
def tables() -> RunTables:
    return event_tables(ROWS)


def test_largest_filters_by_target(tables):
    assert st.largest(tables, "attack") == 3.0
    assert st.largest(tables, "attack", target="bases") == 1.0
    assert st.largest(tables, "attack", target="convoys") == 0.0
    assert st.largest(tables, "attack", actor="KH", target="bases") == 1.0


def test_days_until_is_capped_even_when_the_event_comes_later(tables):
    """The release is 20 days after 2020-02-11: with cap 10 the value is 10 (not 20)."""
    assert st.days_until(tables, "release", after="2020-02-11") == 20.0
    assert st.days_until(tables, "release", after="2020-02-11", cap=10) == 10.0
    assert st.days_until(tables, "release", after="2020-02-11", cap=20) == 20.0


def test_followed_by_is_one_when_there_is_nothing_to_answer(tables):
    assert st.followed_by(tables, "attack", "strike", 3, min_value=10) == 1.0
    assert st.followed_by(tables, "clash", "strike", 3) == 1.0
    assert st.followed_by(tables, "attack", "strike", 3, min_value=1) == 0.5


def test_a_windows_end_day_counts(tables):
    """Both window edges are inclusive: the attack of 2020-02-10 counts in a window ending that
    day, the one of 2020-01-01 in a window starting that day."""
    assert st.count(tables, "attack", end="2020-02-10") == 3
    assert st.count(tables, "attack", start="2020-02-10", end="2020-02-10") == 1
    assert st.total(tables, "release", start="2020-03-02", end="2020-03-02") == 13.0
    assert st.count(tables, "attack", start="2020-01-01", end="2020-01-01") == 1


def test_one_excluded_target_written_alone_is_excluded(tables):
    assert st.count(tables, "attack", exclude_targets="convoys") == 2
    assert st.count(tables, "attack", exclude_targets=["convoys"]) == 2
    assert st.share_in_window(tables, "attack", "2020-01-01", "2020-12-31", "2020-02-01",
                              "2020-12-31", exclude_targets="convoys") == 0.5


# ---- a fight: the last day, holding ground ------------------------------------------------------
NO_LOSSES = {"government.combat_lethality": 0.0, "militias[KH].combat_lethality": 0.0,
             "government.desertion_rate": 0.0}
"""Nobody is killed and nobody deserts: the real contest stays what it was at the opening."""


def _fight(replay, troops: int, days: int, **overrides):
    """The replay made quiet, with an operation of ``troops`` against KH for ``days`` days on
    day 2; the US never steps in."""
    op_event = {"day": 2, "actor": "government", "action": "operation", "target": "KH",
                "figures": {"troops": troops, "days": days}}
    return _scenario(replay, **{**NO_ATTACKS, **NO_BROKER, **NO_LOSSES, **CERTAIN_TO_HOLD,
                                "horizon_days": 4 + days, "foreign_forces.backing": 0.0,
                                "events": [op_event], **overrides})


def _endings(sc) -> list[list[tuple]]:
    """Per engine, per run: (days of fighting, how the fight ended: hold_firm or relent, its
    text) for seeds 1-3."""
    out = []
    for ev in _events(sc, range(1, 4)):
        runs = []
        assert sorted(set(ev["replication"])) == [0, 1, 2]
        for _, e in ev.groupby("replication"):
            end = e[e["action"].isin(["hold_firm", "relent"])]
            assert len(end) == 1
            runs.append(((e["action"] == "fighting").sum(), end["action"].iloc[0],
                         end["detail"].iloc[0]))
        out.append(runs)
    return out


def test_a_fights_last_day_is_decided_by_the_real_contest(replay):
    """A one-day operation of 3,000 troops against KH (no losses, the US never steps in):
    the real contest is below 0.4, while the government, believing in US backing and in little
    resistance (prior 0.2), judges it above 0.55 on that day (so it presses on). The last day's
    rule reads the real contest: the government halts (relent), in every run of both engines."""
    sc = _fight(replay, 3000, 1, **{"government.prior_resistance": 0.2})
    model = LeverageModel(sc, 1, collect_data=False)
    gov, seen = model.government, []
    holds_firm = gov.holds_firm

    def spy(win_chance, pressure):
        (s,) = [x for x in model.standoffs if x.operation]
        s_gov, s_mil = standoffs.fight_strengths(model, s, 0.0, standoffs.engaged(model, s))
        seen.append((win_chance, mech.contest_ratio(s_gov, s_mil)))
        return holds_firm(win_chance, pressure)

    gov.holds_firm = spy
    while model.running and model.day < sc.horizon_days:
        model.step()
    ((believed, actual),) = seen
    assert believed > 0.55 and actual < 0.4
    for runs in _endings(sc):
        assert runs == [(1, "relent", "the fighting ends: the government halts")] * 3


def test_hold_ground_keeps_a_militia_in_the_streets_against_a_stronger_force(replay):
    """A three-day operation of 40,000 troops against KH (real contest ≈ 0.86, no losses,
    the government presses on). With hold_ground 1 KH never leaves the streets: each run
    fights all three days and ends by the last day's rule (the government controls the area);
    with hold_ground 0 it leaves on the first day (σ(100 × (0.86 − 0.5 − (push − ½)/2)) ≈ 1).
    KH believes the government never presses on (prior_government_resolve 0), so it never
    stands down at the opening (step 0): the fight's own withdrawal is what is tested."""
    never_stands_down = {"militias[KH].prior_government_resolve": 0.0}
    for runs in _endings(_fight(replay, 40000, 3, **{"militias[KH].hold_ground": 1.0},
                                **never_stands_down)):
        assert runs == [(3, "hold_firm", ("enforcement holds: the fighting ends: the "
                                          "government controls the area"))] * 3
    for runs in _endings(_fight(replay, 40000, 3, **{"militias[KH].hold_ground": 0.0},
                                **never_stands_down)):
        assert runs == [(1, "hold_firm", "enforcement holds: KH withdraws from the streets")] * 3
