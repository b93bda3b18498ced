"""Wiring, fourteenth audit (scripts/mutation_check.py, the mutations under "fourteenth audit":
what the militia weighs at an operation's opening, the government's view of a fight, desertion,
a run's summary columns of a fight, the US's step-in costs, a custody case's release delay,
belief forgetting, a drawdown at the floor; two of them slips in the fast path alone).

Pure mechanisms, checked against their documented formulas at points where a realistic slip
shows: the government counts the militia's strength by its belief that the militia resists; a
case's release delay is ``max(1, ⌈median × exp(spread × z)⌉)``; a belief that saw only one
kind of news still forgets (on both engines' forgetting); a force at its floor under review
leaves in full.

An operation's opening, on both engines and three seeds: with hold_ground set from the model's
own state so that the militia fights by a clear margin on what it believes (the US weighted by
its belief in backing, the first day's losses a share of all its fighters), it fights in every
run though the US has (hidden) chosen to step in.

A fight, on both engines: once the US has stepped in, the government counts it in full when it
decides to press on (with a resolve set from the model's state so that its belief in backing
alone would make it halt); desertion weighs the government's dead against the troops it opened
with. A run's summary columns of a fight: fight_deaths sums the combatants killed, deserters the
troops who deserted, ceasefires the ceasefires that took hold (not the talks). A visible
intervention costs the coalition ``step_in_coalition_cost``, on both engines. And the engines
agree on a fight with government losses and desertion by a force whose cohesion is not the
militia's (what catches a slip in the fast path alone)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import leverage_sim as ls
from leverage_sim.simulation import fastpath, standoffs
from leverage_sim.simulation.fastpath import build
from leverage_sim.simulation.fastpath import day as fastday
from leverage_sim.simulation.fastpath import layout as L
from leverage_sim.simulation.mechanisms import beliefs, custody, withdrawal
from leverage_sim.simulation.mechanisms import operation as op
from leverage_sim.simulation.mechanisms import standoff as mech
from leverage_sim.simulation.model import LeverageModel
from leverage_sim.simulation.runner import release, simulate, summarise_run

from .test_fast_path import differences
from .test_wiring_fifth_audit import CERTAIN_TO_HOLD, NO_ATTACKS, NO_THREATS, _scenario
from .test_wiring_fourth_audit import NO_BROKER
from .test_wiring_thirteenth_audit import costly_brokered_fight

ENGINES = ("agent", "fast")
"""The agent path first: a bug made in both paths fails there, before the fast path compiles."""


def _operation(troops: int, days: int, day: int = 0) -> dict:
    """A scripted operation of ``troops`` against KH for ``days`` days from ``day``."""
    return {"day": day, "actor": "government", "action": "operation", "target": "KH",
            "figures": {"troops": troops, "days": days}}


def _runs(sc, seeds: range):
    """Each run's events of ``sc`` over ``seeds``, the agent path's runs first (a generator:
    a failed check on the agent path ends the test before the fast path runs)."""
    for engine in ENGINES:
        ev = ls.run(sc, replications=len(seeds), seed=seeds.start, posterior=None,
                    engine=engine).events
        runs = [e for _, e in ev.groupby("replication")]
        assert len(runs) == len(seeds)
        yield from runs


# ---- mechanisms ---------------------------------------------------------------------------------
def test_the_government_weighs_the_militias_strength_by_its_belief_that_it_resists():
    """Believed S_m = resistance × S_m: 4,900 at a belief of 0.3 is 1,470; at 1, all of it."""
    assert op.believed_militia_strength(4900.0, 0.3) == pytest.approx(1470.0)
    assert op.believed_militia_strength(4900.0, 1.0) == pytest.approx(4900.0)
    assert op.believed_militia_strength(4900.0, 0.0) == 0.0


def test_a_release_delay_spreads_by_release_delay_spread():
    """max(1, ⌈median × exp(spread × z)⌉): spread 0 gives the median whatever z; median 4,
    spread ½, z 1: ⌈4 e^½⌉ = ⌈6.59⌉ = 7; z −1: ⌈4 e^−½⌉ = ⌈2.43⌉ = 3."""
    assert custody.delay_days(3.0, 0.0, 2.0) == 3
    assert custody.delay_days(3.0, 0.0, -2.0) == 3
    assert custody.delay_days(4.0, 0.5, 1.0) == 7
    assert custody.delay_days(4.0, 0.5, -1.0) == 3


def test_a_belief_that_saw_one_kind_of_news_still_forgets():
    """A belief that saw only "yes" (its beta still the prior's) relaxes its alpha toward the
    prior's: alpha 2 + 6 over a memory of 10 days → 2 + 6 e^(−1/10) (relax's form) or at
    least below 8 — on the agent path's BetaBelief and on the fast path's table and world
    forgetting alike."""
    b = beliefs.BetaBelief(alpha=2.0, beta=2.0)
    b.observe(True, 6.0)
    assert b.beta == b.beta0 == 2.0
    b.forget(10.0)
    assert b.alpha < 7.9 and b.mean < 0.8 - 1e-3
    alpha, _, _ = beliefs.beta_forget(8.0, 2.0, 2.0, 2.0, 10.0)
    assert b.alpha == pytest.approx(alpha)
    # the fast path: (alpha, beta, mean) at `column`, the prior's (alpha, beta) at `prior`
    table = np.array([[8.0, 2.0, 0.8, 2.0, 2.0]])
    fastday.forget(table, 0, 0, 3, 10.0)
    assert table[0, 0] == pytest.approx(alpha) and table[0, 1] == 2.0
    w = np.array([2.0, 8.0, 0.2, 2.0, 2.0])  # only "no" news
    fastday.forget_world(w, 0, 3, 10.0)
    assert w[1] < 7.9 and w[0] == 2.0 and w[2] > 0.2 + 1e-3


def test_a_force_at_its_floor_under_review_leaves_in_full():
    """A force of exactly its floor (100), cost over tolerance after the cooldown: the first
    decision puts it under review (none leave); the next, still under review, withdraws it in
    full."""
    assert withdrawal.drawdown_decision(100, 0.2, 100, True, 2.0, 1.0, False) == (0, True, True)
    assert withdrawal.drawdown_decision(100, 0.2, 100, True, 2.0, 1.0, True) == (100, True, False)


# ---- an operation's opening ---------------------------------------------------------------------
OPENING = {**NO_ATTACKS, **NO_THREATS, **NO_BROKER, **CERTAIN_TO_HOLD, "horizon_days": 3,
           "foreign_forces.backing": 1.0, "patron.instigation": 0.1,
           "militias[KH].prior_government_resolve": 1.0, "militias[KH].prior_backing": 0.05,
           "government.combat_lethality": 0.005, "militias[KH].combat_lethality": 0.0,
           "government.desertion_rate": 0.0, "events": [_operation(3000, 2)]}
"""An operation of 3,000 troops against KH on day 0 (for two days); the US will step in (backing
1: its hidden choice) but KH believes it seldom does (0.05) and that the government presses on
(≈ 1); the patron's push is low (0.1); the government's lethality 0.005 (the first day's losses
KH expects: a small share of its 7,000 fighters, a large one of its 400 local fighters)."""


def test_the_militia_weighs_its_beliefs_and_all_its_fighters_at_an_operations_opening(replay):
    """hold_ground = p_m − ½ − (push − ½)/2 + loss_sensitivity × losses + 0.1, with p_m the
    government's chance with the US weighted by KH's belief (0.05) and losses its first day's
    expected share of all its fighters: the stand-down's argument is −0.1, σ(100 × −0.1) ≈ 5e-5,
    so KH fights in every run on both engines. Counting the US's hidden choice (in full) or the
    losses as a share of its local fighters would each raise the argument past +0.1
    (checked here): KH would stand down."""
    sc = _scenario(replay, **OPENING)
    model = LeverageModel(sc, 1, collect_data=False)
    kh, gov, ff = model.militia("KH"), model.government, model.foreign_force
    assert kh.resolve_belief.mean > 0.999 and kh.backing_belief.mean < 0.1
    troops = op.committed_forces(3000, gov.committed_share)
    s_mil = mech.militia_strength(kh.fighters, kh.cohesion, 1, 1, 0)

    def argument(backing_term: float, force: int) -> float:  # before hold_ground
        s_gov = mech.government_strength(troops, gov.authority, backing_term,
                                         ff.standoff_strength)
        losses = op.expected_loss_share(gov.combat_lethality, s_gov, force)
        return (mech.contest_ratio(s_gov, s_mil) - 0.5 - (kh.push - 0.5) / 2
                + kh.loss_sensitivity * losses)

    believed = argument(kh.backing_belief.mean, kh.fighters)
    hold_ground = believed + 0.1
    assert 0.0 <= hold_ground <= 1.0
    assert argument(1.0, kh.fighters) - hold_ground > 0.1  # the hidden choice in full
    assert argument(kh.backing_belief.mean, kh.local_fighters) - hold_ground > 0.1
    sc = _scenario(replay, **OPENING, **{"militias[KH].hold_ground": hold_ground})
    for e in _runs(sc, range(1, 4)):
        assert (e["action"] == "comply").sum() == 0
        assert (e["action"] == "fighting").sum() >= 1


# ---- a fight ------------------------------------------------------------------------------------
FIGHT = {**NO_ATTACKS, **NO_THREATS, **NO_BROKER, **CERTAIN_TO_HOLD, "horizon_days": 5,
         "foreign_forces.backing": 1.0, "foreign_forces.response_delay_days": 0,
         "government.prior_backing": 0.01, "government.coalition_support": 1.0,
         "government.combat_lethality": 0.0, "militias[KH].combat_lethality": 0.0,
         "government.desertion_rate": 0.0,
         "militias[KH].prior_government_resolve": 0.0, "militias[KH].hold_ground": 1.0,
         "events": [_operation(2000, 3)]}
"""A three-day operation of 2,000 troops against KH on day 0, nobody killed; the US steps in on
day 0 (backing 1, no delay); the government believes it seldom does (0.01); KH never stands
down (it expects a halt) and holds its ground."""


def test_the_government_counts_the_us_in_full_once_it_has_stepped_into_a_fight(replay):
    """The government's resolve is set (coalition 1, no pressure) to the middle of its hold
    margin between the contest it believes with the US in full and with the US weighted by its
    own belief (≈ 0.2), both at its belief that KH resists on day 3 (the highest of the fight:
    each day of fighting raises it): σ(100 × ≥ 0.07) — it presses on through all three days
    and wins in every run, on both engines; weighing the US by its belief after the step-in
    would make it halt."""
    sc = _scenario(replay, **FIGHT)
    model = LeverageModel(sc, 1, collect_data=False)
    model.step()  # day 0: the operation opens, the US steps in
    (s,) = model.standoffs
    assert s.us_stepped_in and s.fighting
    gov, kh, ff = model.government, model.militia("KH"), model.foreign_force
    r = gov.resistance_belief
    resists = (r.alpha + 3) / (r.alpha + r.beta + 3)  # after days 1-3 of fighting
    s_mil = mech.militia_strength(kh.fighters, kh.cohesion, 1, 1, 0)
    troops = op.committed_forces(2000, gov.committed_share)

    def believed(backing_term: float, resists: float) -> float:
        return mech.contest_ratio(
            mech.government_strength(troops, gov.authority, backing_term, ff.standoff_strength),
            op.believed_militia_strength(s_mil, resists))

    full, weighed = believed(1.0, resists), believed(gov.backing_belief.mean, resists)
    assert (full - weighed) / 2 > 0.07
    # margin = believed − (1 − resolve) − pressure + coalition/2 − ¼ = believed + resolve − ¾
    resolve = 0.75 - (full + weighed) / 2
    assert 0.0 <= resolve <= 1.0
    sc = _scenario(replay, **{**FIGHT, "government.resolve": resolve})
    for e in _runs(sc, range(1, 4)):
        assert (e["action"] == "backing").sum() == 1
        assert (e["action"] == "fighting").sum() == 3, e[["day", "action"]]
        assert (e["action"] == "relent").sum() == 0
        assert (e["action"] == "hold_firm").sum() == 1


def test_desertion_weighs_the_dead_against_the_troops_the_fight_opened_with(replay,
                                                                            monkeypatch):
    """Desertion's loss term is the government's dead over the troops it opened the fight with
    (not those still in it): a fight where KH kills many (its lethality 0.2, ~1,000 a day) and none desert
    (rate 0); on each day the loss share desertion is given is the dead so far over the 20,000
    of the opening (agent path: the mutation's fast-path mirror changes with it)."""
    seen: list[float] = []
    share = op.desertion_share

    def record(rate, cohesion, win_chance, loss_share):
        seen.append(loss_share)
        return share(rate, cohesion, win_chance, loss_share)

    monkeypatch.setattr(standoffs.op, "desertion_share", record)
    sc = _scenario(replay, **{**FIGHT, "foreign_forces.backing": 0.0,
                              "militias[KH].combat_lethality": 0.2,
                              "events": [_operation(20000, 3)]})
    for seed in (1, 2):
        seen.clear()
        model = LeverageModel(sc, seed, collect_data=False)
        while model.running and model.day < sc.horizon_days:
            model.step()
        (s,) = model.standoffs
        assert s.troops_start == 20000 and s.government_killed > 1000, s.government_killed
        assert len(seen) == 3
        assert seen[-1] == pytest.approx(s.government_killed / 20000)
        assert seen[-1] < s.government_killed / s.troops - 0.005


# ---- a run's summary of its fights --------------------------------------------------------------
def test_the_summary_counts_the_dead_the_deserters_and_the_ceasefires(replay):
    """:func:`costly_brokered_fight` with talks of eight days (some outlast the fight): on both
    engines, each run's fight_deaths is the sum of the fighting days' dead (not the days),
    deserters the sum of the deserters (not the days with desertion), ceasefires the ceasefires
    that took hold (not the talks); over the seeds, there are more dead than fighting days,
    more deserters than days with desertion, and talks that ended in no ceasefire."""
    sc = costly_brokered_fight(replay, 8)
    totals = {"fighting_days": 0, "dead": 0, "desertion_days": 0, "deserters": 0, "talks": 0,
              "ceasefires": 0}
    for engine in ENGINES:  # the agent path's runs first
        for seed in range(1, 7):
            run = (simulate(sc, seed, collect_data=False) if engine == "agent"
                   else fastpath.simulate(sc, seed))
            summary = summarise_run(run, seed, 0)
            rows = run.log.rows
            fighting = [r[5] for r in rows if r[2] == "fighting"]
            defection = [r[5] for r in rows if r[2] == "defection"]
            ceasefires = sum(r[2] == "ceasefire" for r in rows)
            assert summary["fight_deaths"] == int(sum(fighting))
            assert summary["deserters"] == int(sum(defection))
            assert summary["ceasefires"] == ceasefires
            totals["fighting_days"] += len(fighting)
            totals["dead"] += int(sum(fighting))
            totals["desertion_days"] += len(defection)
            totals["deserters"] += int(sum(defection))
            totals["talks"] += sum(r[2] == "talks" for r in rows)
            totals["ceasefires"] += ceasefires
            release(run)
    assert totals["dead"] > totals["fighting_days"] > 0, totals
    assert totals["deserters"] > totals["desertion_days"] > 0, totals
    assert totals["talks"] > totals["ceasefires"], totals


# ---- the US's step-in costs ---------------------------------------------------------------------
def test_a_visible_intervention_costs_the_coalition_its_own_step(replay):
    """step_in_coalition_cost 0.1, step_in_expulsion_pressure 0.3, step_in_backlash 0.2 (all
    different): a step-in lowers coalition support by 0.1, raises expulsion pressure by 0.3 and
    the patron's backlash stock (0.4) by 0.2 — on the agent path's ForeignForce.step_in_costs and the fast
    path's step_in_costs alike."""
    sc = _scenario(replay, **{"government.step_in_coalition_cost": 0.1,
                              "foreign_forces.step_in_expulsion_pressure": 0.3,
                              "patron.step_in_backlash": 0.2,
                              "government.coalition_support": 0.8})
    model = LeverageModel(sc, 1, collect_data=False)
    gov, patron, ff = model.government, model.patron, model.foreign_force
    patron.backlash = 0.4  # a stock already there: the step adds to it
    before = (gov.coalition_support, ff.expulsion_pressure, patron.backlash)
    assert before[0] == pytest.approx(0.8) and before[1] < 0.5
    ff.step_in_costs()
    assert gov.coalition_support == pytest.approx(before[0] - 0.1)
    assert ff.expulsion_pressure == pytest.approx(before[1] + 0.3)
    assert patron.backlash == pytest.approx(before[2] + 0.2)
    w = build(sc).w.copy()
    w[L.BACKLASH] = 0.4
    before = (w[L.COALITION], w[L.EXPULSION], w[L.BACKLASH])
    assert before[0] == pytest.approx(0.8)
    fastday.step_in_costs(w)
    assert w[L.COALITION] == pytest.approx(before[0] - 0.1)
    assert w[L.EXPULSION] == pytest.approx(before[1] + 0.3)
    assert w[L.BACKLASH] == pytest.approx(before[2] + 0.2)


# ---- the engines agree (slips in the fast path alone) -------------------------------------------
def test_the_engines_agree_on_a_deadly_fight_with_a_brittle_force(replay):
    """KH kills many (lethality 0.02) and the government's force (cohesion 0.2, far from KH's
    0.7) deserts: the two engines log the same events, seeds 1-4, with desertion and
    government dead in them."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, **NO_BROKER, **CERTAIN_TO_HOLD,
                              "horizon_days": 8, "events": [_operation(20000, 5)],
                              "foreign_forces.backing": 0.0,
                              "militias[KH].prior_government_resolve": 0.0,
                              "militias[KH].hold_ground": 1.0,
                              "militias[KH].combat_lethality": 0.02,
                              "government.desertion_rate": 0.3,
                              "government.force_cohesion": 0.2})
    found, actions = differences(sc, range(1, 5))
    assert not found, found[:3]
    assert actions["defection"] > 0 and actions["fighting"] > 0
    assert math.isfinite(sc.militias[0].cohesion) and sc.militias[0].cohesion != 0.2
