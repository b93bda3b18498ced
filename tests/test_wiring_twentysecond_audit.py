"""Wiring, twenty-second audit (scripts/mutation_check.py, the mutations under "twenty-second
audit"): fights — an operation's opening (resist or stand down, the troops it sends), each day
of fighting (the strengths, attrition, desertion, escalation), the patron's talks and
ceasefire, the government pressing on or halting, the militia leaving the streets, and a
clash's start.

Each test runs on both engines (the agent path first) unless it says otherwise, on the June 2020
replay with everything quiet but what it sets (the fifth audit's :func:`_scenario`), and states
its margins. docs/model.md, mechanism 7 ("Operations and lasting clashes"), gives the rules."""

from __future__ import annotations

import numpy as np
import pytest

from leverage_sim.simulation import standoffs
from leverage_sim.simulation.fastpath import build
from leverage_sim.simulation.fastpath import day as fastday
from leverage_sim.simulation.fastpath import layout as L
from leverage_sim.simulation.mechanisms import operation as op
from leverage_sim.simulation.mechanisms import standoff as mech
from leverage_sim.simulation.model import LeverageModel

from .test_wiring_eighteenth_audit import FIGHT
from .test_wiring_fifteenth_audit import _logs
from .test_wiring_fifth_audit import NO_ATTACKS, NO_THREATS, _finals, _scenario, agent_run, fast_run
from .test_wiring_fourteenth_audit import _operation
from .test_wiring_fourth_audit import NO_BROKER
from .test_wiring_seventh_audit import _raid

NO_LOSSES = {"government.combat_lethality": 0.0, "militias[KH].combat_lethality": 0.0}
"""Nobody dies in a fight: the contest stays as it opened."""
BROKERED = {**NO_ATTACKS, "government.resolve": 1.0, "government.coalition_support": 1.0,
            "government.decision_sharpness": 100.0, "horizon_days": 14,
            "events": [_operation(20000, 10)], "foreign_forces.backing": 0.0,
            "militias[KH].prior_government_resolve": 0.0, "militias[KH].hold_ground": 1.0,
            "militias[KH].combat_lethality": 0.01, "government.desertion_rate": 0.5,
            "escalation.initial": 0.2, "patron.escalation_threshold": 0.0,
            "patron.stability_priority": 0.3, "patron.broker_threshold": 0.0,
            "patron.talks_days": 2}
"""The thirteenth audit's :func:`costly_brokered_fight` (an operation of 20,000 against KH for
10 days, heavy losses, a brittle force deserting, KH never standing down or leaving, the patron
brokering out of war risk), talks of two days."""
STRONG_US = {"foreign_forces.air_support": 20000.0}
"""What the US would add to the government (if it stepped in, or weighted by a belief in it)
dwarfs KH's ~4,900 (7,000 fighters at cohesion 0.7)."""


def _ends(sc, seeds=range(1, 3)) -> list[list[tuple[int, str]]]:
    """Each run's (day, action) of the government's hold_firm and relent events, seeds
    ``seeds`` on both engines."""
    return [[(r[0], r[2]) for r in rows if r[1] == "government"
             and r[2] in ("hold_firm", "relent")] for _, _, rows in _logs(sc, seeds)]


# ---- each day of fighting -----------------------------------------------------------------------
def test_a_fights_strengths_count_authority_cohesion_the_muster_share_and_allies(replay):
    """fight_strengths on both paths, the government's authority (0.3) unlike its resolve (0.9)
    and KH's cohesion 0.5: 2,000 troops give S_g = 2,000 × (0.5 + 0.5 × 0.3) + b × U; an
    operation meets all of KH (S_m = 7,000 × 0.5 + 50 allies = 3,550), a clash of a 100-strong
    muster (of KH's 400 local fighters) its share (7,000 × 0.5 × 100/400 + 50 = 925)."""
    sc = _scenario(replay, **{"government.authority": 0.3, "government.resolve": 0.9,
                              "militias[KH].cohesion": 0.5})
    model = LeverageModel(sc, 1, collect_data=False)
    us = model.foreign_force.standoff_strength
    assert us > 0 and model.militia("KH").fighters == 7000
    wd = build(sc)
    w, m, so = wd.w.copy(), wd.m.copy(), np.zeros((1, L.STANDOFF_SIZE))
    for operation, s_mil in ((True, 3550.0), (False, 925.0)):
        s = mech.Standoff("KH", 0, 0, 0 if operation else 100, False, 0, operation=operation)
        standoffs.start_fight(s, 2000, 7000, 10)
        s.allied_fighters = 50
        so[0, :] = 0.0
        so[0, L.S_MILITIA] = 0
        so[0, L.S_OPERATION] = 1.0 if operation else 0.0
        so[0, L.S_MUSTER] = 0 if operation else 100
        fastday.start_fight(so, 0, 2000, 7000, 10)
        so[0, L.S_ALLIED] = 50
        for b in (0.0, 1.0):
            expected = (2000 * 0.65 + b * us, s_mil)
            assert standoffs.fight_strengths(model, s, b, 2000) == pytest.approx(expected)
            assert fastday.fight_strengths(w, m, so, 0, b, 2000) == pytest.approx(expected)


def test_the_governments_dead_are_drawn_on_the_militias_strength(replay):
    """100,000 troops against KH (S_m = 4,900), only KH's fire killing (lethality 0.001): the
    government loses ~4.9 a day (mean λ_m × S_m), never more than 20 in a day (not ~75, the mean
    on its own strength), seeds 1-2 on both engines."""
    sc = _scenario(replay, **{**FIGHT, "government.combat_lethality": 0.0,
                              "militias[KH].combat_lethality": 0.001,
                              "events": [_operation(100000, 5)]})
    for _, _, rows in _logs(sc, range(1, 3)):
        dead = [r[5] for r in rows if r[2] == "fighting"]
        assert len(dead) == 2 and max(dead) <= 20, dead


def test_a_cohesive_force_does_not_desert_and_the_fights_events_name_their_actors(replay):
    """:data:`BROKERED` (a brittle force deserting at rate 0.5) with
    force_cohesion 1: no one deserts and no defection event is logged; each day of fighting is
    logged by the government against KH; the patron's talks and ceasefires are the patron's,
    for KH (talks in at least one of seeds 1-3, both engines)."""
    sc = _scenario(replay, **{**BROKERED, "government.force_cohesion": 1.0})
    talks = 0
    for _, _, rows in _logs(sc, range(1, 4)):
        assert not [r for r in rows if r[2] == "defection"]
        fighting = [(r[1], r[3]) for r in rows if r[2] == "fighting"]
        assert fighting and set(fighting) == {("government", "KH")}
        brokered = [(r[1], r[3]) for r in rows if r[2] in ("talks", "ceasefire")]
        assert set(brokered) <= {("patron", "KH")}, brokered
        talks += sum(r[2] == "talks" for r in rows)
    assert talks >= 1


# ---- the militia leaves the streets -------------------------------------------------------------
def test_the_militia_leaves_the_streets_on_the_real_contest(replay):
    """1,000 troops (S_g 750) against KH (S_m 4,900), the US staying out: the real contest is
    ~0.13, so KH (hold_ground 0) does not leave the streets in two days of fighting, though the
    government, believing the US backs it (its prior 1, air support 20,000) and doubting KH
    resists, believes it is far ahead; seeds 1-2 on both engines: no end to the 5-day
    operation by day 2."""
    sc = _scenario(replay, **{**FIGHT, **NO_LOSSES, **STRONG_US,
                              "government.prior_backing": 1.0,
                              "government.prior_resistance": 0.0,
                              "militias[KH].hold_ground": 0.0,
                              "events": [_operation(1000, 5)]})
    for ends in _ends(sc):
        assert ends == []


def test_a_militia_leaves_the_streets_with_its_own_hold_ground(replay):
    """An operation of 50,000 troops against AAH (a contest of ~0.9 for the government), AAH
    holding its ground by 0 and KH by 1: AAH leaves the streets on the first day of fighting
    (the government holds on day 1), seeds 1-2 on both engines."""
    sc = _scenario(replay, **{**FIGHT, "government.combat_lethality": 0.0,
                              "militias[AAH].combat_lethality": 0.0,
                              "militias[AAH].prior_government_resolve": 0.0,
                              "militias[AAH].hold_ground": 0.0,
                              "events": [{**_operation(50000, 5), "target": "AAH"}]})
    for ends in _ends(sc):
        assert ends == [(1, "hold_firm")]


def test_the_militia_weighs_its_dead_against_the_force_it_started_with(replay, monkeypatch):
    """The agent path's withdrawal decision (step 6) is given KH's dead over its fighters at
    the fight's start (7,000), not over those it has left: a fight of 20,000 troops killing
    ~1% of KH a day; after four days of fighting the last share given is the tally over 7,000
    (seeds 1-2; the fast path mirrors it, tests/test_fast_path.py). The call is watched
    (``op.withdraw_probability`` wrapped): the decision it feeds is a sharp threshold that a
    few per cent of a share cannot be seen to move in a short run."""
    seen = []
    real = op.withdraw_probability

    def spy(win_chance, push, loss_share, hold_ground, loss_sensitivity, sharpness):
        seen.append(loss_share)
        return real(win_chance, push, loss_share, hold_ground, loss_sensitivity, sharpness)

    monkeypatch.setattr(op, "withdraw_probability", spy)
    sc = _scenario(replay, **{**FIGHT, "horizon_days": 5, "government.combat_lethality": 0.005,
                              "militias[KH].combat_lethality": 0.0,
                              "events": [_operation(20000, 10)]})
    for seed in (1, 2):
        seen.clear()
        model = agent_run(sc, seed)
        (s,) = model.standoffs
        assert s.militia_start == 7000 and s.militia_killed > 200
        days = seen[1:]  # the first call: the stand-down at the opening (expected losses)
        assert len(days) == 4
        assert days[-1] == pytest.approx(s.militia_killed / 7000)
        assert days == sorted(days) and days[0] > 0


# ---- the government presses on or halts ---------------------------------------------------------
def test_the_government_halts_on_its_own_beliefs(replay):
    """1,000 troops (S_g 750) against KH (4,900); the government believes the US stays out
    (prior 0) and KH resists (prior 1), KH the opposite of both (backing 1, the government's
    resolve 0); a government that needs a believed contest above ¼ (resolve 1, no coalition,
    sharpness 100) halts on the first day of fighting — a relent on day 1 — seeds 1-2, both
    engines (not pressing on as the militia's beliefs would have it)."""
    sc = _scenario(replay, **{**FIGHT, **NO_LOSSES, **STRONG_US,
                              "government.coalition_support": 0.0,
                              "government.prior_backing": 0.0,
                              "government.prior_resistance": 1.0,
                              "government.prior_strength": 100.0,
                              "militias[KH].prior_backing": 1.0,
                              "militias[KH].prior_strength": 100.0,
                              "events": [_operation(1000, 5)]})
    for ends in _ends(sc):
        assert ends == [(1, "relent")]


# ---- an operation's opening ---------------------------------------------------------------------
def test_an_operations_opening_teaches_the_government_whether_militias_resist(replay):
    """After day 0 the government's belief that militias resist is above the quiet run's when KH
    fights an operation (one observation of resistance) and below it when KH stands down (one
    of none), by more than 0.03 each way, seeds 1-2 on both engines."""
    base = {**NO_ATTACKS, **NO_THREATS, "horizon_days": 1, "foreign_forces.backing": 0.0}
    quiet = _scenario(replay, **base)
    fights = _scenario(replay, **{**FIGHT, "horizon_days": 1, "events": [_operation(2000, 5)]})
    yields = _scenario(replay, **{**base, "government.decision_sharpness": 100.0,
                                  "militias[KH].prior_government_resolve": 1.0,
                                  "militias[KH].prior_backing": 1.0,
                                  "militias[KH].prior_strength": 100.0,
                                  "militias[KH].hold_ground": 0.0,
                                  "events": [_operation(50000, 5)]})
    def belief(sc, seed):
        return _finals(sc, lambda model: model.government.resistance_belief.mean,
                       lambda w, m: w[L.GR_MEAN], seed)

    for seed in (1, 2):
        for q, f, y in zip(belief(quiet, seed), belief(fights, seed), belief(yields, seed),
                           strict=True):
            assert f > q + 0.03 and y < q - 0.03, (q, f, y)


def test_an_operation_fights_with_the_troops_the_script_sends(replay):
    """An operation of 3,000 troops (the replay's capacity: 500) with committed_share 0.5:
    1,500 fight (the operation event's value and the fight's troops at its start), seeds 1-2
    on both engines."""
    sc = _scenario(replay, **{**FIGHT, "horizon_days": 1, "government.committed_share": 0.5,
                              "events": [_operation(3000, 5)]})
    assert sc.government.enforcement_capacity != 3000
    for _, _, rows in _logs(sc, range(1, 3)):
        assert [r[5] for r in rows if r[2] == "operation"] == [1500]
    for seed in (1, 2):
        assert agent_run(sc, seed).standoffs[0].troops_start == 1500
        assert fast_run(sc, seed)[2][0, L.S_TROOPS_START] == 1500


def test_the_militia_stands_down_on_the_us_it_believes_in(replay):
    """1,000 troops (S_g 750) against KH (4,900); KH believes the government presses on
    (resolve 1) but not that the US steps in (backing 0, prior weight 100), air support 20,000:
    the contest it believes it faces is ~0.13, so it fights (no comply) — it would stand down
    against the US in full. Seeds 1-3, both engines."""
    sc = _scenario(replay, **{**FIGHT, **STRONG_US, "horizon_days": 1,
                              "militias[KH].prior_government_resolve": 1.0,
                              "militias[KH].prior_backing": 0.0,
                              "militias[KH].prior_strength": 100.0,
                              "militias[KH].hold_ground": 0.0,
                              "events": [_operation(1000, 5)]})
    for _, _, rows in _logs(sc, range(1, 4)):
        assert not [r for r in rows if r[2] == "comply"]


# ---- a clash ------------------------------------------------------------------------------------
def test_a_clash_weighs_losses_against_the_whole_force_at_its_start(replay):
    """A raid on KH whose muster turns into a clash (clash_propensity 1): the fight's starting
    militia force is KH's fighters that day (7,000), not its muster, seeds 1-2 on both
    engines."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, **NO_BROKER,
                              "government.resolve": 1.0, "government.coalition_support": 1.0,
                              "government.decision_sharpness": 100.0,
                              "horizon_days": 3, "events": [_raid()],
                              "foreign_forces.backing": 0.0,
                              "patron.instigation": 1.0,
                              "militias[KH].stake_reference": 0.0001,
                              "militias[KH].clash_propensity": 1.0})
    for seed in (1, 2):
        (s,) = agent_run(sc, seed).standoffs
        assert s.fighting and s.militia_start == 7000
        so = fast_run(sc, seed)[2]
        assert so[0, L.S_FIGHTING] == 1 and so[0, L.S_MIL_START] == 7000
