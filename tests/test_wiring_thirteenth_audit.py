"""Wiring, thirteenth audit (scripts/mutation_check.py, the mutations under "thirteenth audit":
the stand-down at an operation's opening, ceasefire talks, desertion and losses in a fight, a
custody case's release day, what the government learns in a fight, the US's strength in a fight,
troops returning; three of them slips in the fast path alone).

Pure mechanisms, checked against their documented formulas at points where a realistic slip
shows: the stand-down weighs the militia's hold_ground; a ceasefire holds ``talks_days`` after
the talks open; the patron brokers when its client loses (not wins); desertion falls with the
force's cohesion; a calm day for redeploying is one whose cost is under ``redeploy_calm_share``
× tolerance.

An operation's opening, on both engines and three seeds (step 0 of mechanisms/operation.py):
with the contest the militia believes it faces computed from the model's own state, a
hold_ground set so that its patron's push decides, the militia fights in every run when the
push keeps it in, and stands down in every run when the rule says it does (its belief that the
government presses on near 1, its belief in US backing low).

A fight, on both engines: the militia's dead leave its fighters; each day of fighting is one
full observation of resistance for the government; the US's strength is not in the fight before
it shows (the runs with backing 1 and 0 are the same until the US steps in). And the two engines
agree on a fight with heavy losses, desertion and brokering out of war risk, and on a custody
case's release (what catches a slip in the fast path alone)."""

from __future__ import annotations

import math

import pytest

from leverage_sim.simulation.fastpath import day as fastday
from leverage_sim.simulation.fastpath import layout as L
from leverage_sim.simulation.mechanisms import operation as op
from leverage_sim.simulation.mechanisms import redeploy
from leverage_sim.simulation.mechanisms import standoff as mech
from leverage_sim.simulation.model import LeverageModel

from .test_fast_path import differences
from .test_wiring_fifth_audit import (
    CERTAIN_TO_HOLD,
    FULL_RELENT,
    NO_ATTACKS,
    NO_THREATS,
    _events,
    _finals,
    _scenario,
)
from .test_wiring_fourth_audit import NO_BROKER


def _sigma(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# ---- mechanisms ---------------------------------------------------------------------------------
def test_the_stand_down_weighs_the_militias_hold_ground():
    """resolve × σ(k (p_m − ½ − (push − ½)/2 − hold_ground)): p_m 0.8, push ½, k 10, resolve 1:
    σ(0) = ½ with hold_ground 0.3, σ(3) with none; half as likely at resolve ½."""
    assert op.stand_down_probability(0.8, 0.0, 1.0, 0.5, 0.3, 10.0, 10.0) == pytest.approx(0.5)
    assert op.stand_down_probability(0.8, 0.0, 1.0, 0.5, 0.0, 10.0, 10.0) == pytest.approx(_sigma(3.0))
    assert op.stand_down_probability(0.8, 0.0, 0.5, 0.5, 0.3, 10.0, 10.0) == pytest.approx(0.25)


def test_a_ceasefire_holds_talks_days_after_the_talks_open():
    """Talks opened on day 5 that take 2 days end on day 7; of one day, on day 6; of none, the
    same day."""
    assert op.ceasefire_day(5, 2) == 7
    assert op.ceasefire_day(5, 1) == 6
    assert op.ceasefire_day(5, 0) == 5


def test_the_patron_brokers_when_its_client_is_losing():
    """σ(15 (threshold − position)) without war risk: a client with no chance (position 0,
    threshold 0.25) brings talks with σ(3.75) ≈ 0.98; a client winning in full, σ(−11.25) ≈ 0."""
    assert op.broker_probability(0.0, 0.25, 0.0, 0.0, 1.0) == pytest.approx(_sigma(3.75))
    assert op.broker_probability(1.0, 0.25, 0.0, 0.0, 1.0) < 1e-4
    assert op.broker_probability(0.1, 0.25, 0.0, 0.0, 1.0) > op.broker_probability(0.5, 0.25, 0.0, 0.0, 1.0)


def test_desertion_falls_with_the_forces_cohesion():
    """d = rate × (1 − cohesion) × (1 − p + 10 × losses/T₀): rate 0.1, cohesion 0.8, an even
    fight, no losses: 0.1 × 0.2 × 0.5 = 0.01; a force of cohesion 1 never deserts."""
    assert op.desertion_share(0.1, 0.8, 0.5, 0.0) == pytest.approx(0.01)
    assert op.desertion_share(0.1, 1.0, 0.2, 0.05) == 0.0
    assert op.desertion_share(0.1, 0.3, 0.5, 0.0) > op.desertion_share(0.1, 0.8, 0.5, 0.0)


def test_a_calm_day_is_one_under_the_calm_share_of_tolerance():
    """A cost of 0.5 with tolerance 1 and calm share ¼ is not calm (the count restarts); 0.2
    is (one more calm day)."""
    assert redeploy.calm_days(3, 0.5, 1.0, 0.25) == 0
    assert redeploy.calm_days(3, 0.2, 1.0, 0.25) == 4
    assert redeploy.calm_days(3, 0.25, 1.0, 0.25) == 0


# ---- an operation's opening ---------------------------------------------------------------------
OPENING = {**NO_ATTACKS, **NO_THREATS, **NO_BROKER, **CERTAIN_TO_HOLD, "horizon_days": 3,
           "foreign_forces.backing": 0.0, "patron.instigation": 0.9,
           "militias[KH].prior_government_resolve": 1.0, "militias[KH].prior_backing": 0.05,
           "government.combat_lethality": 0.0, "militias[KH].combat_lethality": 0.0,
           "government.desertion_rate": 0.0,
           "events": [{"day": 0, "actor": "government", "action": "operation", "target": "KH",
                       "figures": {"troops": 60000, "days": 2}}]}
"""An operation of 60,000 troops against KH on day 0 (for two days; nobody is killed); KH
believes the government presses on (resolve belief ≈ 1) and that the US seldom steps in;
decision_sharpness 100 makes its choice near certain either side of the rule's threshold."""


def _opening(replay, times: float):
    """The opening scenario with KH's hold_ground = p_m − ½ − ``times`` × (push − ½)/2, so that
    the stand-down's argument p_m − ½ − (push − ½)/2 − hold_ground is (``times`` − 1) × the
    push term: −½ of it at ``times`` ½ (KH fights), +½ at 1.5 (KH stands down). p_m and push
    are read from a model on day 0, the state the operation (the day's first event) meets."""
    sc = _scenario(replay, **OPENING)
    model = LeverageModel(sc, 1, collect_data=False)
    kh, gov = model.militia("KH"), model.government
    troops = op.committed_forces(60000, gov.committed_share)
    p_m = mech.contest_ratio(
        mech.government_strength(troops, gov.authority, kh.backing_belief.mean,
                                 model.foreign_force.standoff_strength),
        mech.militia_strength(kh.fighters, kh.cohesion, 1, 1, 0))
    shift = (kh.push - 0.5) / 2
    assert shift > 0.15 and kh.resolve_belief.mean > 0.999 and kh.backing_belief.mean < 0.1
    hold_ground = p_m - 0.5 - times * shift
    assert 0.0 <= hold_ground <= 1.0
    return _scenario(replay, **OPENING, **{"militias[KH].hold_ground": hold_ground}), shift


def _answers(sc) -> list[list[tuple[int, int]]]:
    """Per engine, per run (seeds 1-3): (comply events, fighting days)."""
    out = []
    for ev in _events(sc, range(1, 4)):
        runs = [((e["action"] == "comply").sum(), (e["action"] == "fighting").sum())
                for _, e in ev.groupby("replication")]
        assert len(runs) == 3
        out.append(runs)
    return out


def test_the_patrons_push_keeps_a_militia_in_at_an_operations_opening(replay):
    """hold_ground = p_m − ½ − ½ × (push − ½)/2: with KH's push (0.9, its term 0.2) the
    argument is −0.1, σ(100 × −0.1) ≈ 5e-5: KH fights both days in every run; a push taken as
    ½ (argument +0.1) or a hold_ground left out (+0.2) would make it stand down."""
    sc, shift = _opening(replay, 0.5)
    assert shift * 0.5 * 100 >= 7.5
    for runs in _answers(sc):
        assert runs == [(0, 2)] * 3


def test_a_militia_stands_down_when_the_rule_says_so(replay):
    """The same opening with hold_ground lower by the push term: the argument is +0.1
    (σ(100 × 0.1) ≈ 1) and KH believes the government presses on (≈ 1): it stands down in
    every run (comply, no fighting), where a resolve factor read from its belief in US backing
    (0.05) or the wrong side's chance would have it fight."""
    sc, _ = _opening(replay, 1.5)
    for runs in _answers(sc):
        assert runs == [(1, 0)] * 3


# ---- a fight ------------------------------------------------------------------------------------
def _fight(replay, **overrides):
    """KH, which never stands down (it expects a halt), holds its ground (hold_ground 1) for a
    three-day operation of 20,000 troops on day 0; the government presses on; no ceasefire."""
    op_event = {"day": 0, "actor": "government", "action": "operation", "target": "KH",
                "figures": {"troops": 20000, "days": 3}}
    return _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, **NO_BROKER, **CERTAIN_TO_HOLD,
                                "horizon_days": 5, "foreign_forces.backing": 0.0,
                                "militias[KH].prior_government_resolve": 0.0,
                                "militias[KH].hold_ground": 1.0, "events": [op_event],
                                **overrides})


def test_the_militias_dead_leave_its_fighters(replay):
    """government.combat_lethality 0.01: KH loses ~0.01 × S_g ≈ 150 a day for three days; two
    days after the fight it has at least 200 fewer fighters than its 7,000 on both engines
    (recovery over its recovery_days gives back a few)."""
    sc = _fight(replay, **{"government.combat_lethality": 0.01})
    for seed in (1, 2):
        agent, fast = _finals(sc, lambda model: model.militia("KH").fighters,
                              lambda w, m: fastday.fighters(m, 0), seed)
        assert agent < 6800 and fast < 6800, (agent, fast)


def test_each_day_of_fighting_is_one_observation_of_resistance(replay):
    """The government's belief that KH resists gains one observation when KH resists at the
    opening and one for each of the three days of fighting: its alpha rises by 4 (within 0.05:
    forgetting over 36,500 days is negligible), on both engines."""
    sc = _fight(replay, **{"government.belief_memory_days": 36500.0})
    model = LeverageModel(sc, 1, collect_data=False)
    alpha0 = model.government.resistance_belief.alpha
    for seed in (1, 2):
        for alpha in _finals(sc, lambda model: model.government.resistance_belief.alpha,
                             lambda w, m: w[L.GR_ALPHA], seed):
            assert alpha - alpha0 == pytest.approx(4.0, abs=0.05)


def test_the_us_strength_is_not_in_a_fight_before_it_steps_in(replay):
    """A ten-day fight with losses; the US, with backing 1, will step in on a day drawn within
    20 days (the same draws as with backing 0). Until the day it shows, the runs with backing
    1 and 0 are the same, event for event, on both engines and six seeds (the hidden choice
    adds nothing to the fight)."""
    op_event = {"day": 0, "actor": "government", "action": "operation", "target": "KH",
                "figures": {"troops": 20000, "days": 10}}
    base = {"horizon_days": 12, "events": [op_event], "foreign_forces.response_delay_days": 20,
            "government.combat_lethality": 0.002}
    backed = _events(_fight(replay, **base, **{"foreign_forces.backing": 1.0}), range(1, 7))
    alone = _events(_fight(replay, **base), range(1, 7))
    compared_fights = 0
    for with_us, without in zip(backed, alone, strict=True):
        for r in range(6):
            a = with_us[with_us["replication"] == r]
            b = without[without["replication"] == r]
            assert not (b["action"] == "backing").any()
            shown = a.loc[a["action"] == "backing", "day"]
            cut = shown.min() if len(shown) else 10**9
            a, b = a[a["day"] < cut], b[b["day"] < cut]
            cols = ["day", "actor", "action", "target", "value"]
            assert a[cols].reset_index(drop=True).equals(b[cols].reset_index(drop=True)), r
            compared_fights += (a["action"] == "fighting").sum()
    assert compared_fights >= 12  # fighting days before the step-in were compared


# ---- the engines agree (slips in the fast path alone) -------------------------------------------
def costly_brokered_fight(replay, talks_days: int):
    """The replay with an operation of 20,000 against KH for 10 days (of a 14-day run): heavy
    losses on both sides, a brittle force deserting, KH never standing down or leaving, and the
    patron brokering out of war risk (escalation 0.2 over a threshold of 0, stability_priority
    0.3) with talks of ``talks_days`` days."""
    op_event = {"day": 0, "actor": "government", "action": "operation", "target": "KH",
                "figures": {"troops": 20000, "days": 10}}
    return _scenario(replay, **{**NO_ATTACKS, **CERTAIN_TO_HOLD, "horizon_days": 14,
                                "events": [op_event], "foreign_forces.backing": 0.0,
                                "militias[KH].prior_government_resolve": 0.0,
                                "militias[KH].hold_ground": 1.0,
                                "militias[KH].combat_lethality": 0.01,
                                "government.desertion_rate": 0.5,
                                "government.force_cohesion": 0.3,
                                "escalation.initial": 0.2, "patron.escalation_threshold": 0.0,
                                "patron.stability_priority": 0.3,
                                "patron.broker_threshold": 0.0,
                                "patron.talks_days": talks_days})


def test_the_engines_agree_on_a_costly_brokered_fight(replay):
    """:func:`costly_brokered_fight` with talks of three days: the two engines log the same
    events, seeds 1-6."""
    sc = costly_brokered_fight(replay, 3)
    found, actions = differences(sc, range(1, 7))
    assert not found, found[:3]
    assert actions["defection"] > 0 and actions["talks"] > 0


def test_the_engines_agree_on_a_custody_cases_release(replay):
    """KH musters against a raid of 14 arrests and the government relents at once: the case's
    release day (median 5 days, spread 0.5) and the release are the same on both engines,
    seeds 1-4."""
    raid = {"day": 0, "actor": "government", "action": "raid", "target": "KH",
            "figures": {"arrests": 14}}
    sc = _scenario(replay, **{**NO_ATTACKS, **FULL_RELENT, "horizon_days": 30, "events": [raid],
                              "government.release_delay_days": 5.0,
                              "government.release_delay_spread": 0.5})
    found, actions = differences(sc, range(1, 5))
    assert not found, found[:3]
    assert actions["release"] > 0
