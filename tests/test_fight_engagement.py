"""A fight engages the share of its troops the government believes the fight needs
(mechanisms/operation.py, step 2): ``T_e = ⌈r × T⌉``, ``r`` the government's belief that the
militia resists, so the fight grows as the government learns from each day of fighting.

Each link on both engines (the agent path and the compiled fast path), seeds 1-3, in a quiet
replay with one operation against KH (:func:`tests.test_wiring_twelfth_audit._fight`): the
militia's dead each day follow the engaged troops (not all of them, nor the complement of the
belief), the engaged share grows day by day as the belief does, the government's dead are drawn
among the engaged troops only, and the militia weighs the whole force arrayed against it at the
opening (not what the government will engage, which it cannot know), and the day's real contest
(the last day's rule, as the ceasefire's terms and the militia's leaving) counts the engaged
troops."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import leverage_sim as ls
from leverage_sim.simulation.mechanisms import beliefs
from leverage_sim.simulation.mechanisms import operation as op
from leverage_sim.simulation.mechanisms import standoff as mech

from .test_wiring_fifth_audit import _events
from .test_wiring_twelfth_audit import _endings, _fight

TROOPS = 3000
OPENING_DAY = 2  # the operation of _fight opens on day 2; its first day of fighting is day 3
REMEMBERS = {"government.belief_memory_days": 36500}
"""The government's beliefs barely forget (a century's time constant), so its belief on each
day of fighting is its prior plus the days observed."""


def _resistance_on_fight_day(prior: float, strength: float, k: int) -> float:
    """The government's belief that the militia resists on the ``k``-th day of fighting (1 the
    first): its prior, plus the opening's resistance and the ``k − 1`` days fought since."""
    alpha, beta = beliefs.beta_prior(prior, strength)
    return (alpha + k) / (alpha + beta + k)


def _fighting(sc: ls.Scenario) -> list[pd.DataFrame]:
    """Per engine, the fighting events of seeds 1-3 (one run each must have fought)."""
    out = []
    for ev in _events(sc, range(1, 4)):
        fights = ev[ev["action"] == "fighting"]
        assert sorted(set(fights["replication"])) == [0, 1, 2]
        out.append(fights)
    return out


@pytest.mark.parametrize("prior", [0.2, 0.8])
def test_the_militias_dead_follow_the_troops_the_government_engages(replay, prior):
    """Only the government kills (λ_g 0.1, λ_m 0; no desertion) and KH never leaves the streets
    (hold_ground 1): each day's militia dead lie within 5 binomial sd of λ_g × ⌈r_k × 3,000⌉ ×
    (0.5 + 0.5 × authority), ``r_k`` the belief on that day (prior 0.2: 0.36 on the first day,
    0.64 on the fifth; prior 0.8: 0.84 to 0.89). Engaging all 3,000 troops, or the share
    1 − r, or a belief that does not learn from the fight, puts days outside the band."""
    sc = _fight(replay, TROOPS, 5, **{**REMEMBERS, "government.prior_resistance": prior,
                                      "government.combat_lethality": 0.1,
                                      "militias[KH].hold_ground": 1.0})
    authority = sc.government.authority
    troops = op.committed_forces(TROOPS, sc.government.committed_share)
    for fights in _fighting(sc):
        for _, run in fights.groupby("replication"):
            assert list(run["day"]) == [OPENING_DAY + k for k in range(1, 6)]
            for k, killed in enumerate(run["value"], start=1):
                r = _resistance_on_fight_day(prior, sc.government.prior_strength, k)
                mean = 0.1 * op.engaged_troops(troops, r) * (0.5 + 0.5 * authority)
                assert abs(killed - mean) < 5 * math.sqrt(mean), (prior, k, killed, mean)


def test_the_fight_grows_as_the_government_learns(replay):
    """The same fight with prior 0.2: the expected dead of the fifth day exceed the first's by
    the ratio of the engaged troops (0.64 / 0.36 ≈ 1.8), and the runs show it: over seeds 1-3
    the last two days' dead exceed the first two days' by more than a third on each engine.
    A constant engagement gives a ratio near 1."""
    sc = _fight(replay, TROOPS, 5, **{**REMEMBERS, "government.prior_resistance": 0.2,
                                      "government.combat_lethality": 0.1,
                                      "militias[KH].hold_ground": 1.0})
    for fights in _fighting(sc):
        day = fights["day"] - OPENING_DAY
        early = fights.loc[day <= 2, "value"].sum()
        late = fights.loc[day >= 4, "value"].sum()
        assert late > 4 / 3 * early, (early, late)


def test_the_governments_dead_are_drawn_among_the_engaged_troops(replay):
    """KH's fire is overwhelming (λ_m 1: its expected kills exceed any force here), the
    government kills no one and nobody deserts: on the first day of fighting exactly the
    engaged troops fall, ⌈0.36 × T⌉ of the operation's T (3,000 × committed_share; not all
    T, which would end the fight that day), and on the second the engaged share of those left
    (⌈0.467 × (T − the first day's dead)⌉)."""
    sc = _fight(replay, TROOPS, 3, **{**REMEMBERS, "government.prior_resistance": 0.2,
                                      "militias[KH].combat_lethality": 1.0})
    strength = sc.government.prior_strength
    troops = op.committed_forces(TROOPS, sc.government.committed_share)
    first = op.engaged_troops(troops, _resistance_on_fight_day(0.2, strength, 1))
    second = op.engaged_troops(troops - first, _resistance_on_fight_day(0.2, strength, 2))
    assert first == math.ceil(0.36 * troops) and troops > 2 * first
    for fights in _fighting(sc):
        for _, run in fights.groupby("replication"):
            assert list(run["value"][:2]) == [first, second], run


def test_the_militia_weighs_the_whole_force_arrayed_at_the_opening(replay):
    """An operation of 60,000 troops against KH: whether KH stands down at the opening does not
    depend on how many the government would engage (its belief that KH resists, 0.05 or 0.95),
    which KH cannot know; the contest it weighs, logged with its standing down, is that of all
    60,000 troops (with the US weighted by KH's belief in US backing). Weighing only the
    engaged troops makes KH resist at 0.05 and changes the logged contest."""
    troops = 60_000
    stood_down = {}
    for prior in (0.05, 0.95):
        sc = _fight(replay, troops, 3, **{"government.prior_resistance": prior})
        model = ls.LeverageModel(sc, 1, collect_data=False)
        kh, gov = model.militia("KH"), model.government
        s_gov = mech.government_strength(
            op.committed_forces(troops, gov.committed_share), gov.authority,
            kh.backing_belief.mean, model.foreign_force.standoff_strength)
        contest = mech.contest_ratio(s_gov, mech.militia_strength(kh.fighters, kh.cohesion,
                                                                  1, 1, 0))
        stood_down[prior] = []
        for ev in _events(sc, range(1, 7)):
            comply = ev[ev["action"] == "comply"]
            stood_down[prior].append(sorted(comply["replication"]))
            assert list(comply["value"]) == pytest.approx([contest] * len(comply))
    assert stood_down[0.05] == stood_down[0.95]
    assert 0 < len(stood_down[0.05][0]) < 6, stood_down


@pytest.mark.parametrize(("prior", "ending"), [(0.2, "relent"), (1.0, "hold_firm")])
def test_the_last_days_real_contest_counts_the_engaged_troops(replay, prior, ending):
    """A one-day operation of 10,000 troops against KH (S_m 4,900; nobody falls, KH never
    leaves): with all of them the real contest is 7,500 / 12,400 ≈ 0.6, with the 3,600 a
    government believing at 0.36 that KH resists engages it is ≈ 0.36. The last day's rule
    reads the contest of the troops that fight: the government holds when it engages all
    (prior 1) and halts when it engages 36% (prior 0.2), in every run of both engines.
    Counting all the troops in the day's real contest makes both hold."""
    sc = _fight(replay, 10_000, 1, **{**REMEMBERS, "government.prior_resistance": prior,
                                      "militias[KH].hold_ground": 1.0})
    for runs in _endings(sc):
        assert [(days, action) for days, action, _ in runs] == [(1, ending)] * 3, runs
