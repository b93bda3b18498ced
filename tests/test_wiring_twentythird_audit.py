"""Wiring, twenty-third audit (scripts/mutation_check.py, the mutations under "twenty-third
audit"): the mechanisms the earlier audits touched least. Of the audit's 36 hand-made bugs in
custody, redeploy, retaliation, enforcement, intimidation, the run summary, scripted events and
the calibration statistics, the model tests killed 26; these tests kill the ten that survived:
custody (detainees kept in a negotiated transfer, their commanders among them, stay in custody
and join the next case; a release is logged by the militia whose members go free), public
threats adding up in a standoff's pressure, what a strike logs, deadly attacks left unanswered
teaching militias that the US does not retaliate, the run summary's strikes, public threats and
mean autonomy, and the calibration statistics ``total`` (its actor) and ``share_in_window``
(its whole's end). One more checks the daily ``detainees_held`` directly (its bug was caught
only by the invariants' sweep).

Each model-level test runs on both engines (the agent path first) unless it says otherwise,
on the June 2020 replay with everything quiet but what it sets (the fifth audit's
:func:`_scenario`), and states its margins. docs/model.md gives the rules."""

from __future__ import annotations

import pytest

from leverage_sim.calibration import statistics as st
from leverage_sim.simulation.fastpath import layout as L
from leverage_sim.simulation.model import LeverageModel
from leverage_sim.simulation.outcomes import OUTCOMES

from .test_calibration_statistics import ROWS, event_tables
from .test_wiring_fifteenth_audit import _logs
from .test_wiring_fifth_audit import (
    CERTAIN_TO_HOLD,
    FULL_RELENT,
    NO_ATTACKS,
    NO_THREATS,
    _finals,
    _scenario,
)
from .test_wiring_seventh_audit import _raid, _standoffs

STANDING_MUSTER = {**NO_ATTACKS, **NO_THREATS, **CERTAIN_TO_HOLD,
                   "militias[KH].stake_reference": 0.0001, "militias[KH].clash_propensity": 0.0,
                   "government.threat_sensitivity": 0.0, "events": [_raid()]}
"""KH musters against a raid of 14 on day 0 and the government holds it for days (no threat
weighs on it, KH never clashes)."""
TWO_THREATS = {**STANDING_MUSTER, "horizon_days": 5, "patron.instigation": 1.0,
               "government.threat_sensitivity": 0.1, "militias[AAH].threat_propensity": 1.0,
               "militias[Nujaba].threat_propensity": 1.0, "militias[Nujaba].seats": 20}
""":data:`STANDING_MUSTER` for five days, two blocs threatening within the raid's window (AAH,
15 seats, and Nujaba, given 20, each with a daily chance of at least 0.75 at the patron's
instigation 1), each threat a small pressure (threat_sensitivity 0.1) that the government
bears."""


# ---- the calibration statistics -----------------------------------------------------------------
def test_total_sums_only_its_actors_values():
    """``total`` with an actor sums that actor's events only: of the musters of 140 (KH) and
    30 (AAH) on 11 Feb, AAH's total is 30 and KH's 140 (not 170 each)."""
    tables = event_tables(ROWS)
    assert st.total(tables, "muster") == 170.0
    assert st.total(tables, "muster", actor="AAH") == 30.0
    assert st.total(tables, "muster", actor="KH") == 140.0
    assert st.total(tables, "attack", actor="AAH") == 0.0


def test_a_shares_whole_ends_on_its_end_date():
    """``share_in_window`` of the attacks of 1 Jan-10 Feb (three: 1 Jan, 11 Jan, 10 Feb) in
    the window 1-10 Feb (one) is 1/3; the attack of 1 Mar, after the end, is not in the whole
    (which would make it 1/4)."""
    tables = event_tables(ROWS)
    assert st.share_in_window(tables, "attack", start="2020-01-01", end="2020-02-10",
                              window_start="2020-02-01", window_end="2020-02-10") == \
        pytest.approx(1 / 3)


# ---- custody: who is held, who is handed over, who logs a release -------------------------------
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


def test_detainees_kept_in_a_negotiated_transfer_stay_in_custody_until_handed_over(replay):
    """A raid of 2 arrests, one a commander; the government relents with full negotiating
    leverage and a force that dwarfs KH's muster, so it keeps both (a relent handing over 0);
    after a set of its leverage to 0, a second raid of 4 joins them in custody and ends in a
    full relent handing over all 6 (the commander among them), freed together on day 7. After
    the first relent (horizon 3) KH has 2 members detained, its commander among them, in the
    government's custody; once the case is released (horizon 10) none, seeds 1-3 on both
    engines."""
    leverage_off = {"day": 2, "actor": "government", "action": "set",
                    "figures": {"government.negotiation_leverage": 0.0}}
    base = {**NO_ATTACKS, **NO_THREATS, **FULL_RELENT, "government.negotiation_leverage": 1.0,
            "government.enforcement_capacity": 100000, "government.release_delay_days": 3.0,
            "government.release_delay_spread": 0.0,
            "events": [_raid(arrests=2, commanders=1), leverage_off, _raid(day=3, arrests=4)]}
    kept = _scenario(replay, **{**base, "horizon_days": 3, "events": base["events"][:2]})
    freed = _scenario(replay, **{**base, "horizon_days": 10})
    read = (lambda model: (model.militia("KH").detained, model.militia("KH").commanders_detained,
                           model.government.custody_commanders.get("KH", 0)),
            lambda w, m: (int(m[0, L.DETAINED]), int(m[0, L.COMMANDERS_DETAINED]),
                          int(m[0, L.CUSTODY_COMMANDERS])))
    for seed in (1, 2, 3):
        for _, _, rows in _logs(freed, range(seed, seed + 1)):
            assert [(r[0], r[2], r[5]) for r in rows if r[2] in ("relent", "release")] == \
                [(1, "relent", 0.0), (4, "relent", 6.0), (7, "release", 6.0)]
        assert _finals(kept, *read, seed=seed) == [(2, 1, 1), (2, 1, 1)]
        assert _finals(freed, *read, seed=seed) == [(0, 0, 0), (0, 0, 0)]


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


# ---- intimidation: public threats add up --------------------------------------------------------
def test_public_threats_add_up_in_the_standoffs_pressure(replay):
    """:data:`TWO_THREATS`: two blocs threaten within the window of a raid on KH whose muster
    the government holds for days: the standoff's pressure is the sum of both threats'
    pressures (0.0046 + 0.0061), not the last one alone, seeds 1-3 on both engines."""
    sc = _scenario(replay, **TWO_THREATS)
    for seed in (1, 2, 3):
        runs = [rows for _, _, rows in _logs(sc, range(seed, seed + 1))]
        for rows, standoffs in zip(runs, _standoffs(sc, seed), strict=True):
            threats = [r[5] for r in rows if r[2] == "public_threat"]
            assert sorted(r[1] for r in rows if r[2] == "public_threat") == ["AAH", "Nujaba"]
            assert not [r for r in rows if r[2] in ("relent", "hold_firm")]  # open throughout
            assert min(threats) > 0.004
            assert [m for m, _ in standoffs] == ["KH"]
            assert standoffs[0][1] == pytest.approx(sum(threats), rel=1e-9)


# ---- retaliation: what a strike logs; a deadly attack left unanswered ---------------------------
STRIKE_ON_KSS = {"day": 0, "actor": "foreign_forces", "action": "strike", "target": "KSS"}
"""A scripted strike on KSS on day 0."""


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


# ---- the run summary: strikes, public threats, the mean autonomy --------------------------------
def test_the_summary_counts_strikes_not_the_fighters_they_killed(replay):
    """:func:`_two_strikes_on_a_small_militia`: the summary's us_strikes is 2 (the strikes),
    not the 30 fighters they killed, seed 1 on both engines."""
    for _, run, rows in _logs(_two_strikes_on_a_small_militia(replay), range(1, 2)):
        assert sum(r[5] for r in rows if r[2] == "strike") == 30.0
        assert OUTCOMES["us_strikes"](run) == 2


def test_the_summary_counts_public_threats_not_their_pressure(replay):
    """:data:`TWO_THREATS` (AAH's and Nujaba's): the summary's public_threats is 2, not their
    summed pressure (~0.01), seeds 1-2 on both engines."""
    sc = _scenario(replay, **TWO_THREATS)
    for _, run, rows in _logs(sc, range(1, 3)):
        assert sum(r[2] == "public_threat" for r in rows) == 2
        assert OUTCOMES["public_threats"](run) == 2


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
