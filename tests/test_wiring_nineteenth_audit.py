"""Wiring, nineteenth audit (scripts/mutation_check.py, the mutations under "nineteenth audit":
recovery's rest test, autonomy and morale after a standoff, a militia's cohesion recovering,
the US's step-in calculus and what its liaison tells the government, a raid's defenders and
targets, the militia's stake and turnout, public threats within a raid's window, the
government's hold decision and strength, the patron's instigation target and top share, strikes
(their damage and expulsion pressure), drawdowns past the troops in country, a force whose last
troops are killed, the run summary's relents and the episode statistics).

Pure mechanisms, checked against their documented formulas (docs/model.md; each a shared
``@jitable`` function, so one check covers both engines): recovery closes the gap by 1/τ from
above as from below; a government win lowers the militias' autonomy and a relent raises it;
the US's step-in index rises with the PM's authority and with its own losses; a raid meets a
quarter of the local fighters; a militia no attack is attributed to keeps the floor payoff; a
larger stake makes a muster likelier; turnout is scaled by ``0.5 + 0.5 × push``; resolve helps
the government hold; loyal forces count ``0.5 + 0.5 × authority``; the instigation target is
clipped to [0, 1]; a strike kills at most the fighters the militia has.

Links written twice (agent path and fast path), on both engines (the fifth audit's
:func:`_finals`, the fifteenth's :func:`_logs`): morale stays within [−1, 1] after a run of
government wins; cohesion recovers over the militia's ``recovery_days``; the US's step-in
chance reads the government's authority; a private signal reports the US's real chance today
(none once it has left); each bloc threatens at most once per raid's window; the patron's
push divides by the largest share; expulsion pressure stays within 1 after many strikes; a
scripted drawdown takes at most the troops in country (all of them: a withdrawal); a force
whose last troops are killed has withdrawn that day; the summary's relents count the clashes
the government lost.

The episode statistics on hand-made events (:func:`event_tables` of
tests/test_calibration_statistics.py): ``count`` applies its ``min_value``; ``followed_by``
takes its triggers from its window only."""

from __future__ import annotations

import math

import numpy as np
import pytest

from leverage_sim.calibration import statistics as st
from leverage_sim.simulation.fastpath import build
from leverage_sim.simulation.fastpath import day as fastday
from leverage_sim.simulation.fastpath import layout as L
from leverage_sim.simulation.mechanisms import (
    backing,
    beliefs,
    enforcement,
    intimidation,
    patronage,
    retaliation,
)
from leverage_sim.simulation.mechanisms import standoff as mech
from leverage_sim.simulation.mechanisms.intimidation import logistic
from leverage_sim.simulation.model import LeverageModel
from leverage_sim.simulation.runner import summarise_run

from .test_calibration_statistics import event_tables
from .test_wiring_eighteenth_audit import FIGHT
from .test_wiring_fifteenth_audit import _logs
from .test_wiring_fifth_audit import NAMES, NO_ATTACKS, NO_THREATS, _finals, _scenario
from .test_wiring_fourteenth_audit import _operation
from .test_wiring_seventh_audit import _raid
from .test_wiring_sixteenth_audit import _threat_scenario


# ---- mechanisms: recovery and reputation --------------------------------------------------------
def test_recovery_closes_the_gap_from_above_as_from_below():
    """One day of recovery: x + (b − x)/τ, snapping to b only once the gap is below REST
    (1e-4) on either side: 0.8 toward 0.5 over 10 days gives 0.77, 0.2 gives 0.23; a gap of
    5e-5 above or below closes."""
    assert beliefs.relax(0.8, 0.5, 10.0) == pytest.approx(0.77)
    assert beliefs.relax(0.2, 0.5, 10.0) == pytest.approx(0.23)
    assert beliefs.relax(0.5 + 5e-5, 0.5, 10.0) == 0.5
    assert beliefs.relax(0.5 - 5e-5, 0.5, 10.0) == 0.5
    # a belief's counts above its prior's forget by 1/τ a day, not at once
    alpha, beta, _ = beliefs.beta_forget(3.0, 2.0, 1.0, 2.0, 4.0)
    assert (alpha, beta) == pytest.approx((2.5, 2.0))


def test_a_government_win_tightens_the_states_hold_and_a_relent_loosens_it():
    """Autonomy shifts (centre, others) after a standoff: a government win −0.08 and −0.02, a
    relent +0.08 and +0.02 (docs/model.md section 3, "Outcomes")."""
    won = beliefs.standoff_outcome_shifts(True, 0.1)
    lost = beliefs.standoff_outcome_shifts(False, 0.1)
    assert won[3:5] == pytest.approx((-beliefs.AUTONOMY_SHIFT_TARGET,
                                      -beliefs.AUTONOMY_SHIFT_OTHERS))
    assert lost[3:5] == pytest.approx((0.08, 0.02))


# ---- mechanisms: the US's step-in ---------------------------------------------------------------
def test_the_us_steps_in_more_readily_behind_authority_and_after_its_own_losses():
    """logit(p) = logit(backing) + sensitivity × z, z = (authority − ½) + (trust − ½) −
    expulsion + us_pressure: at backing ½, trust ½, no expulsion pressure and sensitivity 2,
    authority 1 gives σ(1), authority 0 σ(−1); losses pressing it in full (us_pressure 1) at
    authority ½ give σ(2)."""
    assert backing.step_in_probability(0.5, 1.0, 0.5, 0.0, 0.0, 2.0) == pytest.approx(logistic(1))
    assert backing.step_in_probability(0.5, 0.0, 0.5, 0.0, 0.0, 2.0) == \
        pytest.approx(logistic(-1))
    assert backing.step_in_probability(0.5, 0.5, 0.5, 0.0, 1.0, 2.0) == pytest.approx(logistic(2))


# ---- mechanisms: enforcement and the militia's answer -------------------------------------------
def test_a_raid_meets_a_quarter_of_the_local_fighters():
    """D = local_fighters × cohesion × 0.25 (docs/model.md section 1): 400 local fighters at
    cohesion 0.5 put up 50 defenders; against a capacity of 150 each target is caught with
    chance 150 / 200."""
    assert enforcement.DEFENDER_SHARE == 0.25
    assert enforcement.local_defenders(400, 0.5) == pytest.approx(50.0)
    assert enforcement.arrest_probability(150.0, enforcement.local_defenders(400, 0.5)) == \
        pytest.approx(0.75)


def test_a_militia_with_no_attacks_attributed_keeps_the_floor_payoff():
    """payoff = (0.1 + attack share) × p_arrest × (1 − E[resistance] × risk): with no attack
    remembered against anyone each militia's payoff is 0.1 × its arrest chance × (1 − r ×
    risk), > 0, so an unprovoked government still has a target."""
    local, cohesion = np.array([400.0, 100.0]), np.array([0.5, 0.8])
    payoffs = enforcement.target_payoffs(np.zeros(2), local, cohesion, 150.0, 1000.0, 0.5)
    for i in range(2):
        arrest = enforcement.arrest_probability(
            150.0, enforcement.local_defenders(local[i], cohesion[i]))
        risk = mech.contest_ratio(local[i] * cohesion[i], 1000.0)
        assert payoffs[i] == pytest.approx(enforcement.ATTRIBUTION_FLOOR * arrest
                                           * (1 - 0.5 * risk))
        assert payoffs[i] > 0


def test_more_at_stake_makes_a_muster_likelier():
    """The stake's term is ``stake_sensitivity × ln r`` (docs/model.md section 2: "more arrests
    make a muster likelier and larger"): r = e at sensitivity 0.25 adds +0.25 to the index,
    r = 1/e subtracts it."""
    assert intimidation.stake_term(math.e, 0.25) == pytest.approx(0.25)
    assert intimidation.stake_term(1 / math.e, 0.25) == pytest.approx(-0.25)
    base = intimidation.muster_probability(0.5, 0.5, 0.5, 0.5)
    assert intimidation.muster_probability(0.5, 0.5, 0.5, 0.5,
                                           intimidation.stake_term(10.0, 0.25)) > base


def test_turnout_is_scaled_by_the_patrons_push():
    """Muster size ~ Binomial(local_fighters, min(1, mobilisation × (0.5 + 0.5 push) × stake
    factor)): the same draw as NumPy's binomial with that chance (0.8 × 0.5 = 0.4 at no push,
    0.8 × 0.75 = 0.6 at push ½), same seed."""
    for push, chance in ((0.0, 0.4), (0.5, 0.6), (1.0, 0.8)):
        drawn = intimidation.draw_muster(np.random.default_rng(5), 1000, 0.8, push, 1.0)
        assert drawn == np.random.default_rng(5).binomial(1000, chance)


# ---- mechanisms: the government's hold and strength ---------------------------------------------
def test_resolve_helps_the_government_hold():
    """σ(k × (p − (1 − resolve) − pressure + coalition/2 − ¼)): at p ½, coalition ½, no
    pressure, k 10, full resolve gives σ(5), none σ(−5)."""
    assert mech.hold_probability(0.5, 1.0, 0.0, 0.5, 10.0) == pytest.approx(logistic(5))
    assert mech.hold_probability(0.5, 0.0, 0.0, 0.5, 10.0) == pytest.approx(logistic(-5))


def test_loyal_forces_count_by_the_governments_authority():
    """S_g = capacity × (0.5 + 0.5 × authority) + b × U: 1,000 troops count 500 at authority
    0, 1,000 at authority 1; with the US in (b 1, U 500) 1,500."""
    assert mech.government_strength(1000, 0.0, 0.0, 500.0) == pytest.approx(500.0)
    assert mech.government_strength(1000, 1.0, 0.0, 500.0) == pytest.approx(1000.0)
    assert mech.government_strength(1000, 1.0, 1.0, 500.0) == pytest.approx(1500.0)


# ---- mechanisms: the patron and strikes ---------------------------------------------------------
def test_the_instigation_target_is_clipped_to_zero_and_one():
    """target = clip(base + (1 − w) backlash − stability × (w + (1 − w) esc), 0, 1): full
    restraint (w 1) with stability priority 1 on a base of 0.1 gives 0, not −0.9; a backlash
    of 2 without restraint gives 1."""
    assert patronage.target_instigation(0.1, 0.0, 1.0, 1.0) == 0.0
    assert patronage.target_instigation(0.1, 0.0, 1.0, 1.0, 0.5) == 0.0
    assert patronage.target_instigation(0.5, 2.0, 0.0, 0.0) == 1.0


def test_a_strike_kills_at_most_the_fighters_the_militia_has():
    """strike_damage = (min(fighters, lethality), min(cohesion, damage)): a strike of lethality
    10 on a militia of 3 fighters kills 3; on 50, 10."""
    assert retaliation.strike_damage(3, 0.5, 10, 0.1) == (3, pytest.approx(0.1))
    assert retaliation.strike_damage(50, 0.5, 10, 0.1) == (10, pytest.approx(0.1))


# ---- links: morale and cohesion -----------------------------------------------------------------
COMPLY = {**NO_ATTACKS, **NO_THREATS, "horizon_days": 1, "patron.instigation": 0.0,
          "militias[KH].autonomy": 0.0, "militias[KH].prior_government_resolve": 0.95,
          "militias[KH].prior_backing": 0.95, "militias[KH].stake_reference": 1.0}
"""KH complies with any raid: no push, no autonomy, it believes the government wins and the US
backs it, and a raid puts next to nothing at stake (the muster index near −2.5)."""


def test_morale_stays_within_its_bounds_after_a_run_of_government_wins(replay):
    """Raids on KH on days 0, 1 and 2, each complied with (a government win: KH's morale −0.5
    each time, docs/model.md section 3; it fades by 1/τ a day, τ = ``morale_memory_days``, 60):
    the third win takes it from about −0.99 to −1, not −1.49, and the day's fading leaves
    −(1 − 1/60) — on both engines, seeds 1-2 (no militia's morale below −1)."""
    sc = _scenario(replay, **{**COMPLY, "horizon_days": 3,
                              "events": [_raid(day=0), _raid(day=1), _raid(day=2)]})
    tau = sc.militias[0].morale_memory_days
    for seed in (1, 2):
        for morale in _finals(sc, lambda model: [m.morale for m in model.militias],
                              lambda w, m: list(m[:, L.MORALE]), seed):
            assert morale[0] == pytest.approx(-(1 - 1 / tau))
            assert min(morale) >= -1.0


def test_cohesion_recovers_over_the_militias_recovery_days(replay):
    """A strike on KH on day 0 takes 0.2 of its cohesion (0.7 → 0.5); that day's recovery
    closes 1/τ of the gap with τ = KH's ``recovery_days`` (100 here; its morale memory 10):
    0.5 + 0.2/100 at the end of day 0, on both engines."""
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 1,
                              "foreign_forces.strike_cohesion_damage": 0.2,
                              "militias[KH].recovery_days": 100.0,
                              "militias[KH].morale_memory_days": 10.0,
                              "events": [{"day": 0, "actor": "foreign_forces",
                                          "action": "strike", "target": "KH"}]})
    for cohesion in _finals(sc, lambda model: model.militias[0].cohesion,
                            lambda w, m: m[0, L.M_COHESION]):
        assert cohesion == pytest.approx(0.5 + 0.2 / 100)


# ---- links: the US's step-in chance and the liaison ---------------------------------------------
def test_the_us_step_in_chance_reads_the_governments_authority(replay):
    """``ForeignForce.step_in_probability`` and the fast path's ``step_in_probability`` give
    :func:`backing.step_in_probability` on the government's authority (0.9 here, its resolve
    0.1), at the replay's backing (0.1) and the US's starting state."""
    sc = _scenario(replay, **{"government.authority": 0.9, "government.resolve": 0.1})
    model = LeverageModel(sc, 1, collect_data=False)
    ff = model.foreign_force
    expected = backing.step_in_probability(ff.backing, 0.9, ff.partner_belief.mean,
                                           ff.expulsion_pressure, ff.us_pressure,
                                           ff.backing_sensitivity)
    assert expected != pytest.approx(backing.step_in_probability(
        ff.backing, 0.1, ff.partner_belief.mean, ff.expulsion_pressure, ff.us_pressure,
        ff.backing_sensitivity))
    assert ff.step_in_probability() == pytest.approx(expected)
    assert fastday.step_in_probability(build(sc).w.copy()) == pytest.approx(expected)


def test_a_private_signal_reports_the_uss_real_chance_today(replay):
    """The liaison's signal says "they will step in" with the US's chance today
    (``step_in_probability``), 0 once it has left: at backing 1, a scripted withdrawal on day 0
    and a signal every day (liaison_rate 1), 20 days of signals each say no, and the
    government's belief in backing (prior ½ worth 2) falls below 0.15 (half an observation
    against a day, and the withdrawal's one) — on both engines, seeds 1-2 (were the signal the
    lever's 1, it would rise above ½)."""
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 20, "foreign_forces.backing": 1.0,
                              "government.liaison_rate": 1.0, "government.prior_backing": 0.5,
                              "government.prior_strength": 2.0,
                              "events": [{"day": 0, "actor": "foreign_forces",
                                          "action": "withdrawal"}]})
    for seed in (1, 2):
        for mean in _finals(sc, lambda model: model.government.backing_belief.mean,
                            lambda w, m: w[L.GB_MEAN], seed):
            assert mean < 0.15


# ---- links: threats -----------------------------------------------------------------------------
def test_each_bloc_threatens_at_most_once_per_raids_window(replay):
    """A raid on KH on day 0 opens a threat window to day 4; AAH (seats, threat propensity 1,
    pushed in full) threatens on day 0 for certain and then no more within that window
    (docs/model.md section 2: "one public threat") — exactly one threat in five days, on both
    engines, seeds 1-3."""
    sc = _threat_scenario(replay, {"AAH": 1.0}, horizon=5)
    for _, _, rows in _logs(sc, range(1, 4)):
        threats = [(r[0], r[1]) for r in rows if r[2] == "public_threat"]
        assert threats == [(0, "AAH")], threats


# ---- links: the patron's top share --------------------------------------------------------------
def test_the_patrons_push_divides_by_the_largest_share(replay):
    """push_m = instigation × share_m / max share: with KH's share cut to 0.05 the largest is
    AAH's (0.25), which feels the full instigation; KH a fifth of it — on both engines (the
    top share, and each militia's push at the end of day 0)."""
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 1,
                              "militias[KH].patron_support_share": 0.05})
    shares = [m.patron_support_share for m in sc.militias]
    assert max(shares) == 0.25 and shares[0] == 0.05

    def fast(w, m):
        return w[L.TOP_SHARE], [fastday.push(w, m, i) for i in range(len(NAMES))], \
            w[L.INSTIGATION]

    agent_side, fast_side = _finals(
        sc, lambda model: (model.patron.top_share, [m.push for m in model.militias],
                           model.patron.instigation), fast)
    for top, pushes, instigation in (agent_side, fast_side):
        assert top == pytest.approx(0.25)
        assert pushes == pytest.approx([instigation * s / 0.25 for s in shares])
        assert max(pushes) == pytest.approx(instigation)


# ---- links: strikes, drawdowns, losses ----------------------------------------------------------
def test_expulsion_pressure_stays_within_one_after_many_strikes(replay):
    """Four scripted strikes on day 0, each adding 0.5 expulsion pressure (from 0.3): the index
    is capped at 1 at each strike, then the day's decay (after parliament's vote, toward its
    floor 0.3) leaves it at 0.3 + 0.7 × 0.995 — on both engines."""
    strike = {"day": 0, "actor": "foreign_forces", "action": "strike", "target": "KH"}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 1,
                              "foreign_forces.strike_expulsion_pressure": 0.5,
                              "events": [strike] * 4})
    for pressure in _finals(sc, lambda model: model.foreign_force.expulsion_pressure,
                            lambda w, m: w[L.EXPULSION]):
        assert pressure == pytest.approx(0.3 + 0.7 * 0.995)


def test_a_scripted_drawdown_takes_at_most_the_troops_in_country(replay):
    """A scripted drawdown of 10,000 troops with 5,200 in country takes the 5,200 (the
    schema: "at most the troops present; withdrawing all of them is a withdrawal"): none left,
    withdrawn on day 0, logged as a withdrawal of 5,200 — on both engines."""
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 2,
                              "events": [{"day": 0, "actor": "foreign_forces",
                                          "action": "drawdown",
                                          "figures": {"troops": 10000}}]})
    for presence, day in _finals(sc, lambda model: (model.foreign_force.presence,
                                                    model.foreign_force.withdrawal_day),
                                 lambda w, m: (w[L.PRESENCE], w[L.WITHDRAWAL_DAY])):
        assert (presence, day) == (0, 0)
    for _, _, rows in _logs(sc, range(1, 2)):
        assert [(r[0], r[2], r[5]) for r in rows if r[1] == "foreign_forces"] == \
            [(0, "withdrawal", 5200.0)]


def test_a_force_whose_last_troops_are_killed_has_withdrawn_that_day(replay):
    """Three troops in country, a scripted attack on day 0 at a site that intercepts nothing
    and kills ~100 at full exposure: all three are killed, the force is gone (logged as a
    withdrawal of 0) and its withdrawal day is day 0 — the run summary says withdrawn, on day 0,
    on both engines, seeds 1-2."""
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 2, "foreign_forces.presence": 3,
                              "foreign_forces.exposure_half": 0.001,
                              "foreign_forces.sites[bases].interception": 0.0,
                              "foreign_forces.sites[bases].lethality": 100.0,
                              "events": [{"day": 0, "actor": "KH", "action": "attack",
                                          "target": "bases"}]})
    for _, run, rows in _logs(sc, range(1, 3)):
        assert [(r[0], r[2], r[5]) for r in rows if r[2] == "withdrawal"] == \
            [(0, "withdrawal", 0.0)]
        summary = summarise_run(run, 1, 0)
        assert summary["us_withdrawn"] and summary["withdrawal_day"] == 0


# ---- links: the run summary ---------------------------------------------------------------------
def test_the_summarys_relents_count_a_lost_clash(replay):
    """An operation whose 1,000 troops are all killed on its first day of fighting ends in a
    lost clash (the eighteenth audit's fight): the summary counts it among the relents (1) and
    not among the government's holds (0) — on both engines, seeds 1-2."""
    sc = _scenario(replay, **{**FIGHT, "militias[KH].combat_lethality": 1.0,
                              "government.combat_lethality": 0.0,
                              "government.committed_share": 1.0,
                              "events": [_operation(1000, 2)]})
    for _, run, rows in _logs(sc, range(1, 3)):
        assert [r[2] for r in rows if r[2] in ("hold_firm", "relent")] == ["relent"]
        summary = summarise_run(run, 1, 0)
        assert (summary["standoffs"], summary["relents"], summary["held_firm"]) == (1, 1, 0)


# ---- the episode statistics ---------------------------------------------------------------------
ROWS = [  # day, date, actor, action, target, value
    (0, "2020-01-01", "KH", "attack", "bases", 3.0),
    (2, "2020-01-03", "foreign_forces", "strike", "KH", 1.0),
    (10, "2020-01-11", "KH", "attack", "bases", 0.0),
    (30, "2020-01-31", "AAH", "attack", "convoys", 1.0),
    (50, "2020-02-20", "KH", "attack", "embassy", 2.0),
]


@pytest.fixture
def tables():
    return event_tables(ROWS)


def test_count_applies_its_min_value(tables):
    """count with min_value 1 counts the deadly attacks only (3 of 4); with min_value 3, one."""
    assert st.count(tables, "attack") == 4
    assert st.count(tables, "attack", min_value=1.0) == 3
    assert st.count(tables, "attack", min_value=3.0) == 1


def test_followed_by_takes_its_triggers_from_its_window(tables):
    """followed_by over February alone: its one deadly attack (day 50) goes unanswered (0),
    whatever January's answered one; over January, the attack of day 0 is answered within 2
    days, that of day 30 is not (½)."""
    assert st.followed_by(tables, "attack", "strike", 5, min_value=1.0,
                          start="2020-02-01", end="2020-02-29") == 0.0
    assert st.followed_by(tables, "attack", "strike", 5, min_value=1.0,
                          start="2020-01-01", end="2020-01-31") == pytest.approx(0.5)
