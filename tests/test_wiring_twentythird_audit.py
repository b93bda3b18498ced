"""Wiring, twenty-third audit (scripts/mutation_check.py, the mutations under "twenty-third
audit"): the mechanisms the earlier audits touched least — custody (what the daily series
counts as held), redeploy (what keeps a day from being calm), retaliation (what a strike
logs), enforcement (a raid's arrests against the defenders' cohesion), intimidation (public
threats and allies adding up in a standoff; what a threat teaches the government), the run
summary's columns (standoffs, strikes, a withdrawal on day 0), scripted events (a raid's
targets figure) and the calibration statistics (``total``'s actor).

Each model-level test runs on both engines (the agent path first) unless it says otherwise,
on the June 2020 replay with everything quiet but what it sets (the fifth audit's
:func:`_scenario`), and states its margins. docs/model.md gives the rules."""

from __future__ import annotations

from collections import Counter

import pytest

from leverage_sim.calibration import statistics as st
from leverage_sim.simulation.fastpath import layout as L
from leverage_sim.simulation.mechanisms import enforcement
from leverage_sim.simulation.model import LeverageModel
from leverage_sim.simulation.outcomes import OUTCOMES

from .test_calibration_statistics import ROWS, event_tables
from .test_wiring_fifteenth_audit import _logs
from .test_wiring_fifth_audit import (
    CERTAIN_TO_HOLD,
    FULL_RELENT,
    NO_ATTACKS,
    NO_THREATS,
    _events,
    _finals,
    _scenario,
)
from .test_wiring_seventh_audit import _raid, _standoffs

STANDING_MUSTER = {**NO_ATTACKS, **NO_THREATS, **CERTAIN_TO_HOLD,
                   "militias[KH].stake_reference": 0.0001, "militias[KH].clash_propensity": 0.0,
                   "government.threat_sensitivity": 0.0, "events": [_raid()]}
"""KH musters against a raid of 14 on day 0 and the government holds it for days (no threat
weighs on it, KH never clashes)."""
ALLIES = ("AAH", "Nujaba", "KSS")


# ---- the calibration statistics ---------------------------------------------------------------
def test_total_sums_only_its_actors_values():
    """``total`` with an actor sums that actor's events only: of the musters of 140 (KH) and
    30 (AAH) on 11 Feb, AAH's total is 30 and KH's 140 (not 170 each)."""
    tables = event_tables(ROWS)
    assert st.total(tables, "muster") == 170.0
    assert st.total(tables, "muster", actor="AAH") == 30.0
    assert st.total(tables, "muster", actor="KH") == 140.0
    assert st.total(tables, "attack", actor="AAH") == 0.0


# ---- custody: what the day's series counts as held ----------------------------------------------
def test_detainees_handed_to_a_militia_unit_are_still_held(replay):
    """The daily ``detainees_held`` counts detainees in any custody until they go free: 14
    arrested on day 0, all handed to KH's unit on day 1 (a full relent), released together on
    day 7 (a delay of 6 days, no spread): 14 held on days 0-6, none from day 7 (seeds 1-3; the
    agent path only: the fast path keeps no daily series)."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, **FULL_RELENT, "horizon_days": 10,
                              "government.release_delay_days": 6.0,
                              "government.release_delay_spread": 0.0, "events": [_raid()]})
    for seed in (1, 2, 3):
        model = LeverageModel(sc, seed, collect_data=True)
        while model.running:
            model.step()
        relents = [r for r in model.log.rows if r[2] == "relent"]
        assert [(r[0], r[5]) for r in relents] == [(1, 14.0)]
        held = model.datacollector.get_model_vars_dataframe()["detainees_held"].tolist()
        assert held == [14] * 7 + [0] * 3


# ---- intimidation: threats and allies add up ---------------------------------------------------
def test_public_threats_add_up_in_the_standoffs_pressure(replay):
    """Two blocs (AAH, 15 seats; Nujaba, given 20; each threatening with a daily chance of at
    least 0.75 at the patron's instigation 1) threaten within the window of a raid on KH whose
    muster the government holds for days: the standoff's pressure is the sum of both
    threats' pressures (0.0046 + 0.0061 at a threat_sensitivity of 0.1), not the last one alone,
    seeds 1-3 on both engines."""
    sc = _scenario(replay, **{**STANDING_MUSTER, "horizon_days": 5, "patron.instigation": 1.0,
                              "government.threat_sensitivity": 0.1,
                              "militias[AAH].threat_propensity": 1.0,
                              "militias[Nujaba].threat_propensity": 1.0,
                              "militias[Nujaba].seats": 20})
    for seed in (1, 2, 3):
        runs = [rows for _, _, rows in _logs(sc, range(seed, seed + 1))]
        for rows, standoffs in zip(runs, _standoffs(sc, seed), strict=True):
            threats = [r[5] for r in rows if r[2] == "public_threat"]
            assert sorted(r[1] for r in rows if r[2] == "public_threat") == ["AAH", "Nujaba"]
            assert not [r for r in rows if r[2] in ("relent", "hold_firm")]  # open throughout
            assert min(threats) > 0.004
            assert [m for m, _ in standoffs] == ["KH"]
            assert standoffs[0][1] == pytest.approx(sum(threats), rel=1e-9)


def test_allies_fighters_add_up_in_the_muster(replay):
    """With every other militia's solidarity 1 and the patron's instigation 1, allies join
    KH's standing muster one by one over eight days: the standoff's allied fighters are the
    sum of the allies' turnouts logged (at least two allies join in each of seeds 1-3, both
    engines), not the last ally's."""
    sc = _scenario(replay, **{**STANDING_MUSTER, "horizon_days": 8, "patron.instigation": 1.0,
                              **{f"militias[{n}].solidarity": 1.0 for n in ALLIES}})
    for _, run, rows in _logs(sc, range(1, 4)):
        joined = [r[5] for r in rows if r[2] == "muster" and r[1] in ALLIES]
        assert len(joined) >= 2 and min(joined) > 0
        (s,) = run.standoffs
        assert s.allied_fighters == sum(joined)


def test_a_public_threat_teaches_the_government_that_militias_resist(replay):
    """A public threat is (partial) evidence that militias resist: after a raid on KH that it
    answers with a muster, the government's belief that militias resist ends four days higher,
    by more than 0.01, when AAH threatens (propensity 1, the patron's instigation 1: a daily
    chance of 0.81 within the raid's four-day window) than when no one does, seeds 1-3 on both
    engines."""
    base = {**STANDING_MUSTER, "horizon_days": 4, "patron.instigation": 1.0}
    quiet = _scenario(replay, **base)
    threat = _scenario(replay, **{**base, "militias[AAH].threat_propensity": 1.0})
    for seed in (1, 2, 3):
        read = (lambda model: model.government.resistance_belief.mean,
                lambda w, m: float(w[L.GR_MEAN]))
        for calm, threatened in zip(_finals(quiet, *read, seed=seed),
                                    _finals(threat, *read, seed=seed), strict=True):
            assert threatened > calm + 0.01


# ---- enforcement: the defenders' cohesion --------------------------------------------------------
def test_a_raids_arrests_are_drawn_against_the_defenders_cohesion(replay):
    """A raid of 100 targets by a capacity of 5 on KH at cohesion 0.05 meets 400 × 0.05 × ¼ =
    5 defenders (p = 0.5): more than 30 arrests in each of seeds 1-3 on both engines (at full
    cohesion, 100 defenders, p ≈ 0.05, some 5)."""
    assert enforcement.arrest_probability(
        5, enforcement.local_defenders(400, 0.05)) == pytest.approx(0.5)
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 1,
                              "government.enforcement_capacity": 5,
                              "militias[KH].cohesion": 0.05, "events": [_raid(targets=100)]})
    for _, _, rows in _logs(sc, range(1, 4)):
        (arrests,) = [r[5] for r in rows if r[2] == "raid"]
        assert 30 < arrests <= 100


# ---- scripted events: a raid's targets -------------------------------------------------------------
def test_a_scripted_raid_targets_its_own_number_of_members(replay):
    """A scripted raid with ``targets`` 100 (no fixed arrests) by a capacity of 100,000 catches
    nearly all 100 (over 90: p ≈ 0.999), not at most the government's raid_targets (14), seeds
    1-3 on both engines."""
    assert replay.government.raid_targets == 14
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 1,
                              "government.enforcement_capacity": 100000,
                              "events": [_raid(targets=100)]})
    for _, _, rows in _logs(sc, range(1, 4)):
        (arrests,) = [r[5] for r in rows if r[2] == "raid"]
        assert 90 < arrests <= 100


# ---- retaliation: what a strike logs; the summary's strikes -----------------------------------------
STRIKE_ON_KSS = {"day": 0, "actor": "foreign_forces", "action": "strike", "target": "KSS"}


def _two_strikes_on_a_small_militia(replay):
    """Two scripted strikes of lethality 20 (days 0 and 1) on KSS, given 30 fighters."""
    return _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 3,
                                "militias[KSS].fighters": 30, "militias[KSS].local_fighters": 10,
                                "foreign_forces.strike_lethality": 20,
                                "events": [STRIKE_ON_KSS, {**STRIKE_ON_KSS, "day": 1}]})


def test_a_strike_logs_the_fighters_it_killed(replay):
    """:func:`_two_strikes_on_a_small_militia`: the first strike kills 20, the second the 10
    left; each strike's value is the fighters it killed, not its lethality (20), seed 1 on
    both engines."""
    for _, _, rows in _logs(_two_strikes_on_a_small_militia(replay), range(1, 2)):
        assert [(r[0], r[3], r[5]) for r in rows if r[2] == "strike"] == \
            [(0, "KSS", 20.0), (1, "KSS", 10.0)]


def test_the_summary_counts_strikes_not_the_fighters_they_killed(replay):
    """:func:`_two_strikes_on_a_small_militia`: the summary's us_strikes is 2 (the strikes),
    not the 30 fighters they killed, seed 1 on both engines."""
    for _, run, rows in _logs(_two_strikes_on_a_small_militia(replay), range(1, 2)):
        assert sum(r[5] for r in rows if r[2] == "strike") == 30.0
        assert OUTCOMES["us_strikes"](run) == 2


# ---- the run summary: standoffs, a withdrawal on day 0 ----------------------------------------------
def test_the_summary_counts_confrontations_not_standoff_days(replay):
    """A muster held for six days logs a standoff event on each day (the opening, then each
    day it holds): the summary's standoffs is 1, seeds 1-2 on both engines."""
    sc = _scenario(replay, **{**STANDING_MUSTER, "horizon_days": 6})
    for _, run, rows in _logs(sc, range(1, 3)):
        assert sum(r[2] == "standoff" for r in rows) == 6
        assert OUTCOMES["standoffs"](run) == 1


def test_a_withdrawal_on_day_0_is_a_withdrawal(replay):
    """A scripted withdrawal on day 0: the summary says the US withdrew (us_withdrawn True,
    withdrawal_day 0), seed 1 on both engines."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 3,
                              "events": [{"day": 0, "actor": "foreign_forces",
                                          "action": "withdrawal"}]})
    for _, run, _ in _logs(sc, range(1, 2)):
        assert OUTCOMES["us_withdrawn"](run) is True
        assert OUTCOMES["withdrawal_day"](run) == 0


# ---- redeploy: what keeps a day from being calm -------------------------------------------------
def test_expulsion_pressure_keeps_a_drawn_down_force_from_redeploying(replay):
    """Political cost = remembered casualties + 10 × expulsion pressure: drawn down by 100 on
    day 0 with no casualties, an expulsion pressure of 0.2 (cost 2, against a calm threshold of
    0.25 × tolerance 6 = 1.5) brings no redeployment in 30 days; without pressure, half the gap
    returns on day 4 (``redeploy_after_days`` 5), seeds 1-2 on both engines."""
    drawdown = {"day": 0, "actor": "foreign_forces", "action": "drawdown",
                "figures": {"troops": 100}}
    base = {**NO_ATTACKS, "horizon_days": 30, "foreign_forces.redeploy_after_days": 5,
            "events": [drawdown]}
    assert replay.foreign_forces.casualty_tolerance == 6.0
    for pressure, expected in ((0.2, []), (0.0, [(4, 50.0)])):
        sc = _scenario(replay, **{**base, "foreign_forces.expulsion_pressure": pressure})
        for ev in _events(sc, range(1, 3)):
            assert (ev["action"] == "drawdown").sum() == 2
            for rep in (0, 1):
                back = ev[(ev["action"] == "redeploy") & (ev["replication"] == rep)]
                assert list(zip(back["day"], back["value"]))[:1] == expected


# ---- custody: commanders kept, a release's actor -----------------------------------------------
def test_commanders_kept_in_a_negotiated_transfer_stay_in_custody_until_handed_over(replay):
    """A raid of 2 arrests, one a commander; the government relents with full negotiating
    leverage and a force that dwarfs KH's muster, so it keeps both (a relent handing over 0);
    after a set of its leverage to 0, a second raid of 4 ends in a full relent handing over the
    6 (the commander among them), freed together on day 7: KH's commander is counted as
    detained, and in the government's custody, after the first relent (horizon 3), and no longer
    once the case is released (horizon 10), seeds 1-3 on both engines."""
    leverage_off = {"day": 2, "actor": "government", "action": "set",
                    "figures": {"government.negotiation_leverage": 0.0}}
    base = {**NO_ATTACKS, **NO_THREATS, **FULL_RELENT, "government.negotiation_leverage": 1.0,
            "government.enforcement_capacity": 100000, "government.release_delay_days": 3.0,
            "government.release_delay_spread": 0.0,
            "events": [_raid(arrests=2, commanders=1), leverage_off, _raid(day=3, arrests=4)]}
    kept = _scenario(replay, **{**base, "horizon_days": 3, "events": base["events"][:2]})
    freed = _scenario(replay, **{**base, "horizon_days": 10})
    read = (lambda model: (model.militia("KH").commanders_detained,
                           model.government.custody_commanders.get("KH", 0)),
            lambda w, m: (int(m[0, L.COMMANDERS_DETAINED]), int(m[0, L.CUSTODY_COMMANDERS])))
    for seed in (1, 2, 3):
        for _, _, rows in _logs(freed, range(seed, seed + 1)):
            assert [(r[0], r[2], r[5]) for r in rows if r[2] in ("relent", "release")] == \
                [(1, "relent", 0.0), (4, "relent", 6.0), (7, "release", 6.0)]
        assert _finals(kept, *read, seed=seed) == [(1, 1), (1, 1)]
        assert _finals(freed, *read, seed=seed) == [(0, 0), (0, 0)]


def test_a_release_is_logged_by_the_militia_whose_members_go_free(replay):
    """A full relent hands KH's 14 to its unit on day 1 and they go free on day 7 (a delay of
    6, no spread): one release event, KH its actor and the government its target, value 14,
    seeds 1-2 on both engines."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, **FULL_RELENT, "horizon_days": 10,
                              "government.release_delay_days": 6.0,
                              "government.release_delay_spread": 0.0, "events": [_raid()]})
    for _, _, rows in _logs(sc, range(1, 3)):
        assert [(r[0], r[1], r[3], r[5]) for r in rows if r[2] == "release"] == \
            [(7, "KH", "government", 14.0)]


# ---- retaliation: a deadly attack left unanswered ------------------------------------------------
def test_deadly_attacks_left_unanswered_lower_every_militias_belief_in_retaliation(replay):
    """KH attacks for twenty days (some twenty attacks), none intercepted, each killing about
    one (lethality 1), the US all but never retaliating (probability 0.0001): each militia's
    belief that deadly attacks bring strikes ends below 0.5 (from 0.6), while with harmless
    attacks it stays 0.6, seeds 1-2 on both engines."""
    sites = ("bases", "embassy", "airport", "convoys")
    base = {**NO_ATTACKS, "horizon_days": 20, "militias[KH].attack_rate": 5.0,
            **{f"foreign_forces.sites[{s}].interception": 0.0 for s in sites},
            "foreign_forces.retaliation_probability": 0.0001,
            "foreign_forces.retaliation_threshold": 1}
    read = (lambda model: [m.retaliation_belief.mean for m in model.militias],
            lambda w, m: list(m[:, L.MT_MEAN]))
    for lethality, low, high in ((0.0, 0.6, 0.6), (1.0, 0.0, 0.5)):
        sc = _scenario(replay, **{**base, **{f"foreign_forces.sites[{s}].lethality": lethality
                                             for s in sites}})
        for seed in (1, 2):
            for beliefs in _finals(sc, *read, seed=seed):
                assert len(beliefs) == 4
                assert all(low - 1e-9 <= b <= high + 1e-9 for b in beliefs), beliefs


# ---- the run summary: threats, clashes, the mean autonomy --------------------------------------
def test_the_summary_counts_public_threats_not_their_pressure(replay):
    """Two public threats (AAH's and Nujaba's, as in
    :func:`test_public_threats_add_up_in_the_standoffs_pressure`): the summary's public_threats
    is 2, not their summed pressure (~0.01), seeds 1-2 on both engines."""
    sc = _scenario(replay, **{**STANDING_MUSTER, "horizon_days": 5, "patron.instigation": 1.0,
                              "government.threat_sensitivity": 0.1,
                              "militias[AAH].threat_propensity": 1.0,
                              "militias[Nujaba].threat_propensity": 1.0,
                              "militias[Nujaba].seats": 20})
    for _, run, rows in _logs(sc, range(1, 3)):
        assert sum(r[2] == "public_threat" for r in rows) == 2
        assert OUTCOMES["public_threats"](run) == 2


def test_the_summary_counts_clashes_not_their_days_of_fighting(replay):
    """KH's standing muster turns into a clash on day 1 (clash_propensity 1) and fights on for
    days: the summary's clashes is 1 with at least four days of fighting, seeds 1-3 on both
    engines."""
    sc = _scenario(replay, **{**STANDING_MUSTER, "horizon_days": 8, "patron.instigation": 1.0,
                              "militias[KH].clash_propensity": 1.0})
    for _, run, rows in _logs(sc, range(1, 4)):
        assert [r[0] for r in rows if r[2] == "clash"] == [1]
        assert sum(r[2] == "fighting" for r in rows) >= 4
        assert OUTCOMES["clashes"](run) == 1


def test_the_summary_reads_the_mean_autonomy_of_all_militias(replay):
    """The summary's final_mean_autonomy is the mean of the four militias' autonomy (0.675 in
    a quiet run of the replay: 0.8, 0.6, 0.7, 0.6), not the first militia's, seed 1 on both
    engines."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 3})
    for _, run, _ in _logs(sc, range(1, 2)):
        autonomy = [m.autonomy for m in run.militias]
        assert len(set(autonomy)) > 1
        assert OUTCOMES["final_mean_autonomy"](run) == pytest.approx(sum(autonomy) / 4)
        assert OUTCOMES["final_mean_autonomy"](run) == pytest.approx(0.675)


# ---- scripted events: a set on a named site ------------------------------------------------------
def test_a_scripted_set_changes_the_named_site(replay):
    """A set of the embassy's interception to 1 on day 0 (the replay's first site is the
    bases, interception 0.1): over 30 days of KH's attacks (rate 10, heeding no defence), every
    attack on the embassy is intercepted (at least 5) and most on the bases are not, seeds 1-2
    on both engines."""
    defence = {"day": 0, "actor": "foreign_forces", "action": "set",
               "figures": {"foreign_forces.sites[embassy].interception": 1.0}}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 30, "militias[KH].attack_rate": 10.0,
                              "militias[KH].defence_avoidance": 0.0,
                              "foreign_forces.retaliation_probability": 0.0,
                              "events": [defence]})
    assert [s.name for s in sc.foreign_forces.sites][:2] == ["bases", "embassy"]
    for _, _, rows in _logs(sc, range(1, 3)):
        tally = Counter((r[2], r[3]) for r in rows)
        assert tally["attack", "embassy"] >= 5
        assert tally["interception", "embassy"] == tally["attack", "embassy"]
        assert tally["attack", "bases"] >= 5
        assert tally["interception", "bases"] < tally["attack", "bases"] / 2
