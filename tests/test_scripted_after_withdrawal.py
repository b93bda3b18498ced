"""Issue 19 item 17: a scripted action that needs the foreign force, due after the model itself
withdrew it (or when it has no troops in the country), is logged as ``skipped`` with the reason,
in both paths and in the narrative, and changes nothing else."""

from __future__ import annotations

import pytest

import leverage_sim as ls
from leverage_sim.outputs.narrative import timeline_table
from leverage_sim.scenario import event_schema
from leverage_sim.simulation import fastpath
from leverage_sim.simulation.event_text import nothing_to_back
from leverage_sim.simulation.fastpath import day as fast_day
from leverage_sim.simulation.fastpath import layout
from leverage_sim.simulation.runner import simulate

NEEDING = [
    {"name": "late_strike", "day": 10, "actor": "foreign_forces", "action": "strike",
     "target": "KH"},
    {"name": "late_backing", "day": 10, "actor": "foreign_forces", "action": "backing"},
    {"name": "late_attack", "day": 10, "actor": "KH", "action": "attack", "target": "embassy"},
    {"name": "late_defence", "day": 10, "actor": "foreign_forces", "action": "deploy_defence",
     "target": "embassy", "figures": {"interception": 0.9}},
    {"name": "late_drawdown", "day": 10, "actor": "foreign_forces", "action": "drawdown",
     "figures": {"troops": 100}},
    {"name": "late_withdrawal", "day": 11, "actor": "foreign_forces", "action": "withdrawal"},
]
DECIDED_WITHDRAWAL = {  # the force leaves on day 1 by its own decision: it starts at its floor
    # with cost 3 > tolerance 0.5, so day 0's decision puts it under review and the next decision,
    # one cooldown (1 day) later with the cost still above tolerance, withdraws it
    "foreign_forces.presence": 1000, "foreign_forces.withdrawal_floor": 1000,
    "foreign_forces.casualty_tolerance": 0.5, "foreign_forces.drawdown_cooldown_days": 1,
    "events": NEEDING,
}


@pytest.fixture(scope="module")
def scenario() -> ls.Scenario:
    return ls.load_scenario("june_2020_replay", DECIDED_WITHDRAWAL)


@pytest.mark.parametrize("engine", ["agent", "fast"])
def test_actions_after_a_decided_withdrawal_are_logged_as_not_possible(scenario, engine):
    for seed in range(3):
        run = simulate(scenario, seed, collect_data=False) if engine == "agent" \
            else fastpath.simulate(scenario, seed)
        rows = run.log.rows
        left = [r for r in rows if r[2] == "withdrawal"]
        assert len(left) == 1 and left[0][0] == 1  # the model's own decision, once
        assert left[0][5] == 1000  # the whole force, by decision (not all killed: 0 troops)
        skipped = [r for r in rows if r[2] == "skipped"]
        assert [(r[0], r[1], r[3]) for r in skipped] == [
            (10, "foreign_forces", "KH"), (10, "foreign_forces", None), (10, "KH", "embassy"),
            (10, "foreign_forces", "embassy"), (10, "foreign_forces", None),
            (11, "foreign_forces", None)]
        assert [r[4] for r in skipped] == [
            f"scripted {a} not possible: the foreign forces left on day 1"
            for a in ("strike", "backing", "attack", "deploy_defence", "drawdown", "withdrawal")]
        assert all(r[5] == 0 for r in skipped)
        # nothing was carried out: no strike, backing, attack, defence or second drawdown
        # (attacks of days 0-1 came before the force decided to leave on day 1)
        assert not [r for r in rows if r[0] > 1 and r[2] in (
            "strike", "backing", "attack", "deploy_defence", "drawdown", "interception")]


def test_the_skipped_actions_change_nothing_else(scenario):
    without = ls.load_scenario("june_2020_replay", {**DECIDED_WITHDRAWAL, "events": []})
    for seed in range(3):
        a, b = simulate(scenario, seed, collect_data=False), simulate(without, seed,
                                                                     collect_data=False)
        assert [r for r in a.log.rows if r[2] != "skipped"] == b.log.rows
        assert a.foreign_force.site("embassy").interception == \
            b.foreign_force.site("embassy").interception


def test_both_paths_log_the_same_skipped_actions(scenario):
    for seed in range(4):
        assert simulate(scenario, seed, collect_data=False).log.rows == \
            fastpath.simulate(scenario, seed).log.rows


def test_a_force_never_in_the_country_is_said_so():
    sc = ls.load_scenario("june_2020_us_withdrawn")
    rows = fastpath.simulate(sc, 1).log.rows
    assert [r[4] for r in rows if r[2] == "skipped"] == [
        "scripted deploy_defence not possible: no foreign forces in the country"]
    assert rows == simulate(sc, 1, collect_data=False).log.rows


def test_actions_are_carried_out_again_once_troops_return():
    events = [{"day": 2, "actor": "foreign_forces", "action": "strike", "target": "KH"},
              {"day": 5, "actor": "foreign_forces", "action": "set",
               "figures": {"foreign_forces.presence": 3000}},
              {"day": 6, "actor": "foreign_forces", "action": "strike", "target": "AAH"}]
    sc = ls.load_scenario("june_2020_replay", {**DECIDED_WITHDRAWAL, "events": events})
    for run in (simulate(sc, 0, collect_data=False), fastpath.simulate(sc, 0)):
        acts = [(r[0], r[2], r[3]) for r in run.log.rows if r[2] in ("strike", "skipped")]
        assert acts[:2] == [(2, "skipped", "KH"), (6, "strike", "AAH")]


def test_the_narrative_says_the_action_was_not_carried_out(scenario):
    res = ls.run(scenario, replications=1, seed=0, posterior=None)
    table = timeline_table(res.events, scenario)
    assert "scripted action not carried out: scripted strike not possible: the foreign " \
        "forces left on day 1" in table


def test_the_fast_path_knows_the_same_actions_need_the_foreign_force():
    needs = {name for k, name in enumerate(layout.SCRIPTED)
             if fast_day.needs_foreign_force(k)}
    assert needs == set(event_schema.NEEDS_FOREIGN_FORCE)


@pytest.mark.parametrize("engine", ["agent", "fast"])
def test_a_backing_with_nothing_open_is_logged_as_skipped(engine):
    """A scripted backing on a day with no open standoff or operation with its target (a
    new analyst's case: the US 'steps in' the day before the operation opens) was dropped
    without a trace; it is logged as ``skipped`` in both paths. One on a day with a
    confrontation open steps in and logs nothing skipped."""
    events = [{"name": "early", "date": "2008-03-24", "actor": "foreign_forces",
               "action": "backing", "target": "JAM"},
              {"name": "on_time", "date": "2008-03-26", "actor": "foreign_forces",
               "action": "backing", "target": "JAM"}]
    base = ls.load_scenario("basra_2008")
    sc = ls.load_scenario("basra_2008", {"events": [*base.model_dump(mode="json")["events"],
                                                    *events],
                                         "foreign_forces.backing": 0.0})
    for seed in range(3):
        run = simulate(sc, seed, collect_data=False) if engine == "agent" \
            else fastpath.simulate(sc, seed)
        rows = run.log.rows
        skipped = [r for r in rows if r[2] == "skipped"]
        assert [(r[0], r[1], r[3], r[4]) for r in skipped] == [
            (0, "foreign_forces", "JAM", nothing_to_back())], engine
        backed = [r for r in rows if r[2] == "backing"]
        assert [r[0] for r in backed] == [2], engine  # the scripted one; backing 0 decides none
