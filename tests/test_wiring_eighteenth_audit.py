"""Wiring, eighteenth audit (scripts/mutation_check.py, the mutations under "eighteenth audit":
the foreign force's staying power (a review at the floor, the weight of expulsion pressure, the
vote's floor, troops returning), fights at scale (the militia leaving the streets, a side whose
force is gone, the ceasefire's day, an army that stays out), custody (a pending case and a new
transfer), the government's forgetting and the episode statistics).

Pure mechanisms, checked against their documented formulas (each a shared ``@jitable``
function, so one check covers both engines): a review at the floor outlives the cooldown and
ends in a withdrawal only at the next decision; expulsion pressure weighs
``EXPULSION_COST_WEIGHT`` casualties; after the vote it relaxes toward its floor, never below;
troops returning are a share of the gap to the authorised level; the patron's push keeps a
militia in the streets.

Links written twice (agent path and fast path), on both engines (the fifteenth audit's
:func:`_logs`, the fifth's :func:`_finals`): a fight whose government troops are all gone is
the government's loss, one whose militia is gone its win; a ceasefire takes hold exactly
``talks_days`` after its talks open; a standoff weighs the share of enforcement capacity that
fights; a second transfer joins the pending case without restarting its clock; the
government's belief that the US steps in forgets toward its prior.

The episode statistics on hand-made events (:func:`event_tables` of
tests/test_calibration_statistics.py): windows and ``min_value`` are inclusive, an answer on
the trigger's own day counts, ``days_until`` stops at its end, exclusions hold in a share's
whole and in a total."""

from __future__ import annotations

import math

import pytest

from leverage_sim.calibration import statistics as st
from leverage_sim.simulation.fastpath import build
from leverage_sim.simulation.fastpath import day as fastday
from leverage_sim.simulation.fastpath import layout as L
from leverage_sim.simulation.mechanisms import operation as op
from leverage_sim.simulation.mechanisms import redeploy, withdrawal
from leverage_sim.simulation.mechanisms import standoff as mech
from leverage_sim.simulation.model import LeverageModel

from .test_calibration_statistics import event_tables
from .test_wiring_fifteenth_audit import _logs
from .test_wiring_fifth_audit import (
    CERTAIN_TO_HOLD,
    FULL_RELENT,
    NO_ATTACKS,
    NO_THREATS,
    _finals,
    _scenario,
)
from .test_wiring_fourteenth_audit import _operation
from .test_wiring_fourth_audit import NO_BROKER
from .test_wiring_seventh_audit import _raid
from .test_wiring_thirteenth_audit import costly_brokered_fight


# ---- mechanisms: staying power ------------------------------------------------------------------
def test_a_review_at_the_floor_outlives_the_cooldown():
    """A force at its floor, cost over tolerance: the first decision puts it under review (none
    leave); before the cooldown has run, no decision, and still under review; the next
    decision, still under review, withdraws it in full."""
    assert withdrawal.drawdown_decision(100, 0.2, 100, True, 2.0, 1.0, False) == (0, True, True)
    assert withdrawal.drawdown_decision(100, 0.2, 100, False, 2.0, 1.0, True) == (0, False, True)
    assert withdrawal.drawdown_decision(100, 0.2, 100, True, 2.0, 1.0, True) == (100, True, False)


def test_expulsion_pressure_weighs_ten_casualties():
    """cost = remembered casualties + EXPULSION_COST_WEIGHT (10) × expulsion pressure: 3
    remembered and pressure 0.5 cost 8."""
    assert withdrawal.EXPULSION_COST_WEIGHT == 10.0
    assert withdrawal.political_cost(3.0, 0.5) == pytest.approx(8.0)
    assert withdrawal.political_cost(0.0, 0.2) == pytest.approx(2.0)


def test_after_the_vote_pressure_relaxes_toward_its_floor_never_below():
    """After the vote: floor + max(0, pressure − floor) × (1 − decay); pressure at or below the
    floor (0.3) is held at it, 0.5 relaxes to 0.3 + 0.2 × 0.995."""
    decay = withdrawal.EXPULSION_PRESSURE_DECAY
    assert withdrawal.decay_expulsion(0.1, True, 0.3) == pytest.approx(0.3)
    assert withdrawal.decay_expulsion(0.3, True, 0.3) == pytest.approx(0.3)
    assert withdrawal.decay_expulsion(0.5, True, 0.3) == pytest.approx(0.3 + 0.2 * (1 - decay))


def test_troops_return_as_a_share_of_the_gap_to_the_authorised_level():
    """ceil(share × (authorised − presence)): 900 in country of 1,000 authorised, a quarter of
    the gap of 100 returns (25), not a quarter of the 900 (capped at the gap, 100)."""
    assert redeploy.redeploy_size(900, 1000, 0.25) == 25
    assert redeploy.redeploy_size(999, 1000, 0.25) == 1
    assert redeploy.redeploy_size(1000, 1000, 0.25) == 0


# ---- mechanisms: a fight ------------------------------------------------------------------------
def test_the_patrons_push_keeps_a_militia_in_the_streets():
    """σ(k × (p − ½ − (push − ½)/2 − hold_ground + loss_sensitivity × ℓ)): at an even contest, no
    losses and no hold_ground, a full push (1) gives σ(−k/4), no push σ(+k/4)."""
    k = 10.0
    pushed = op.withdraw_probability(0.5, 1.0, 0.0, 0.0, 10.0, k)
    unpushed = op.withdraw_probability(0.5, 0.0, 0.0, 0.0, 10.0, k)
    assert pushed == pytest.approx(1.0 / (1.0 + math.exp(k / 4)))
    assert pushed < 0.1 and unpushed > 0.9


# ---- fights: a side whose force is gone ---------------------------------------------------------
FIGHT = {**NO_ATTACKS, **NO_THREATS, **NO_BROKER, **CERTAIN_TO_HOLD, "horizon_days": 3,
         "foreign_forces.backing": 0.0, "militias[KH].prior_government_resolve": 0.0,
         "militias[KH].hold_ground": 1.0, "government.desertion_rate": 0.0,
         "government.prior_resistance": 1.0}
"""A fight KH never avoids (it believes the government halts) nor leaves (hold_ground 1), the
government never halts and engages all its troops (it is sure KH resists), the US stays out
and no one deserts."""


def _fight_outcomes(replay, troops: int, **lethality) -> list[list[tuple[int, str]]]:
    """Each run's (day, action) of the government's hold_firm and relent events in a
    two-day operation of ``troops`` (all committed) against KH with the combat ``lethality``
    overrides, seeds 1-2 on both engines."""
    sc = _scenario(replay, **{**FIGHT, **lethality, "government.committed_share": 1.0,
                              "events": [_operation(troops, 2)]})
    return [[(r[0], r[2]) for r in rows if r[1] == "government"
             and r[2] in ("hold_firm", "relent")] for _, _, rows in _logs(sc, range(1, 3))]


def test_a_fight_whose_troops_are_all_gone_is_the_governments_loss(replay):
    """The militia's fire kills every one of 1,000 government soldiers on the first day of
    fighting (its lethality 1, the government's 0): the fight ends that day (day 1) in a
    relent."""
    for outcomes in _fight_outcomes(replay, 1000, **{"militias[KH].combat_lethality": 1.0,
                                                     "government.combat_lethality": 0.0}):
        assert outcomes == [(1, "relent")]


def test_a_fight_whose_militia_is_gone_is_the_governments_win(replay):
    """The government's 50,000 troops kill every KH fighter on the first day of fighting (its
    lethality 1, KH's 0): the fight ends that day (day 1), the government holding."""
    for outcomes in _fight_outcomes(replay, 50000, **{"militias[KH].combat_lethality": 0.0,
                                                      "government.combat_lethality": 1.0}):
        assert outcomes == [(1, "hold_firm")]


# ---- fights: the ceasefire's day ----------------------------------------------------------------
def test_a_ceasefire_takes_hold_talks_days_after_its_talks(replay):
    """:func:`costly_brokered_fight` with talks of three days: each ceasefire comes exactly
    three days after the fight's talks opened (not a day later), on both engines, seeds 1-6
    (several ceasefires in all)."""
    ceasefires = 0
    for _, _, rows in _logs(costly_brokered_fight(replay, 3), range(1, 7)):
        talks = [r[0] for r in rows if r[2] == "talks"]
        for r in rows:
            if r[2] == "ceasefire":
                assert talks and r[0] == talks[0] + 3, (talks, r)
                ceasefires += 1
    assert ceasefires >= 3


# ---- the army that stays out --------------------------------------------------------------------
def test_a_standoff_weighs_only_the_share_of_capacity_that_fights(replay):
    """S_g of a standoff counts ``committed_share`` (0.2) of the enforcement capacity, on both
    paths (``Government.strength``, the fast path's ``government_strength``), with or without
    the US."""
    sc = _scenario(replay, **{"government.committed_share": 0.2})
    gov = LeverageModel(sc, 1, collect_data=False).government
    wd = build(sc)
    for backing_term in (0.0, 1.0):
        expected = mech.government_strength(int(gov.enforcement_capacity * 0.2), gov.authority,
                                            backing_term, gov.model.foreign_force.standoff_strength)
        assert gov.strength(backing_term) == pytest.approx(expected)
        assert fastday.government_strength(wd.w.copy(), backing_term) == pytest.approx(expected)


# ---- custody: a pending case --------------------------------------------------------------------
def _releases(replay, raids: list[dict]) -> list[list[tuple[int, float]]]:
    """Each run's (day, value) of KH's releases after ``raids``, the government relenting in
    full each time and every case's delay exactly 10 days (no spread), seeds 1-2 on both
    engines."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, **FULL_RELENT, "horizon_days": 20,
                              "government.release_delay_days": 10.0,
                              "government.release_delay_spread": 0.0, "events": raids})
    return [[(r[0], r[5]) for r in rows if r[2] == "release"]
            for _, _, rows in _logs(sc, range(1, 3))]


def test_a_second_transfer_joins_the_pending_case_without_restarting_it(replay):
    """A raid on day 0 (14 arrests) and another on day 3: both relents hand their detainees to
    KH's unit; the second joins the case the first opened, which frees all 28 on the day the
    first case alone would have ended (not ten days after the second transfer)."""
    one = _releases(replay, [_raid("KH", 0)])
    two = _releases(replay, [_raid("KH", 0), _raid("KH", 3)])
    for alone, joined in zip(one, two, strict=True):
        assert len(alone) == 1 and alone[0][1] == 14, alone
        assert joined == [(alone[0][0], 28.0)], (alone, joined)


# ---- beliefs: the government forgets the US's stance --------------------------------------------
def test_the_governments_belief_in_backing_forgets(replay):
    """A raid on day 0 (KH musters: each silent day of the standoff lowers the government's
    belief that the US steps in); with a 5-day memory the belief is back within 0.005 of its
    prior mean (0.6) after 200 days, on both paths (without forgetting the silent days leave it
    far below)."""
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 200, "events": [_raid("KH", 0)],
                              "government.prior_backing": 0.6,
                              "government.prior_strength": 4.0,
                              "government.belief_memory_days": 5.0})
    for seed in (1, 2):
        for mean in _finals(sc, lambda model: model.government.backing_belief.mean,
                            lambda w, m: w[L.GB_MEAN], seed):
            assert mean == pytest.approx(0.6, abs=0.005)


# ---- the episode statistics ---------------------------------------------------------------------
ROWS = [  # day, date, actor, action, target, value
    (0, "2020-01-01", "KH", "attack", "bases", 2.0),
    (0, "2020-01-01", "foreign_forces", "strike", "KH", 1.0),
    (5, "2020-01-06", "AAH", "attack", "convoys", 5.0),
    (20, "2020-01-21", "KH", "attack", "embassy", 1.0),
    (40, "2020-02-10", "KH", "attack", "bases", 0.0),
]


@pytest.fixture
def tables():
    return event_tables(ROWS)


def test_an_answer_on_the_triggers_own_day_counts(tables):
    """followed_by: the strike the day of the first attack (day 0) answers it within 0 days;
    of the three attacks of value ≥ 1 (days 0, 5 and 20) only that one is answered."""
    assert st.followed_by(tables, "attack", "strike", 0, min_value=2.0, end="2020-01-01") == 1.0
    assert st.followed_by(tables, "attack", "strike", 0, min_value=1.0) == pytest.approx(1 / 3)


def test_min_value_and_a_windows_first_day_are_inclusive(tables):
    """count with min_value 2 counts the attacks of value exactly 2 (and 5); a window that
    starts on an event's day counts it."""
    assert st.count(tables, "attack", min_value=2.0) == 2
    assert st.count(tables, "attack", min_value=5.0) == 1
    assert st.count(tables, "attack", start="2020-01-21") == 2
    assert st.count(tables, "attack", start="2020-01-06", end="2020-01-06") == 1


def test_days_until_stops_at_its_end(tables):
    """days_until counts no event after its end: none from 2020-01-02 to 2020-01-05 gives the
    cap, with the end 2020-01-06 the AAH attack gives 4."""
    assert st.days_until(tables, "attack", "2020-01-02", cap=100, end="2020-01-05") == 100
    assert st.days_until(tables, "attack", "2020-01-02", cap=100, end="2020-01-06") == 4


def test_exclusions_hold_in_a_shares_whole_and_in_a_total(tables):
    """Without the convoys, the attacks of January (2: days 0 and 20) and February (1) give
    January a share of 2/3 (not 3/4), and sum to 3 (not 8)."""
    share = st.share_in_window(tables, "attack", start="2020-01-01", end="2020-02-29",
                               window_start="2020-01-01", window_end="2020-01-31",
                               exclude_targets=["convoys"])
    assert share == pytest.approx(2 / 3)
    assert st.total(tables, "attack", exclude_targets=["convoys"]) == 3.0
    assert st.total(tables, "attack") == 8.0
