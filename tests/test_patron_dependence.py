"""A patron brokers only what its client will take from it (``militias[].patron_dependence``,
docs/model.md mechanism 8, step 4): its daily chance of opening ceasefire talks in a client's
fight is what it wants times the client's dependence on it. Najaf, August 2004: Iran, whose
support for Sadr was alleged, denied and doubted, brokered nothing in three weeks; Sistani did.

Each link is checked on both engines, which must log the same events: no dependence, no talks
from the patron; less dependence, fewer and later talks; the default (1) is the rule as it was;
in ``najaf_2004``, Sistani's scripted mediation brings the ceasefire on 26 August when
the fight lasts."""

from __future__ import annotations

import pandas as pd
import pytest

import leverage_sim as ls
from leverage_sim.simulation import fastpath
from leverage_sim.simulation.mechanisms import operation as op
from leverage_sim.simulation.runner import simulate as agent_run

SEEDS = range(1, 31)
# JAM holds its ground whatever its losses, so its fights last long enough for the patron to
# decide, day after day, whether to broker
HOLDS = {"militias[JAM2004].hold_ground": 0.6, "militias[JAM2004].loss_sensitivity": 1.0}


def najaf(dependence: float, mediation: bool = False) -> ls.Scenario:
    """Najaf 2004 with the record's broker and sanctuary (``najaf_2004``), JAM2004 holding
    its ground and depending on its patron as given; without Sistani's mediation unless
    asked."""
    events = [e for e in ls.load_scenario("najaf_2004").model_dump(mode="json")["events"]
              if mediation or e["action"] != "mediation"]
    return ls.load_scenario("najaf_2004",
                            {**HOLDS, "militias[JAM2004].patron_dependence": dependence,
                             "events": events})


def logs(sc: ls.Scenario, seed: int) -> pd.DataFrame:
    """The run's event log, the same on both engines (checked)."""
    agent = agent_run(sc, seed, collect_data=False).log.frame()
    pd.testing.assert_frame_equal(agent, fastpath.simulate(sc, seed).log.event_log.frame())
    return agent


def patron_talks(log: pd.DataFrame) -> pd.DataFrame:
    return log[(log.action == "talks") & (log.actor == "patron")]


def test_the_chance_of_brokering_is_what_the_patron_wants_times_the_dependence():
    wants = op.broker_probability(0.1, 0.25, 0.3, 0.5, 1.0)
    assert 0.5 < wants < 1.0
    assert op.broker_probability(0.1, 0.25, 0.3, 0.5, 0.4) == pytest.approx(0.4 * wants)
    assert op.broker_probability(0.1, 0.25, 0.3, 0.5, 0.0) == 0.0


def test_a_client_that_does_not_depend_on_its_patron_gets_no_talks_from_it():
    fought = 0
    for seed in SEEDS:
        log = logs(najaf(0.0), seed)
        fought += (log.action == "fighting").sum() >= 3
        assert patron_talks(log).empty, seed
        assert log[log.action == "ceasefire"].empty, seed
    assert fought >= 10  # fights long enough that a dependent client's patron brokers


def test_the_less_the_client_depends_the_later_and_rarer_the_patrons_talks():
    first: dict[float, list[int]] = {}
    for dependence in (1.0, 0.2):
        days = []
        for seed in SEEDS:
            log = logs(najaf(dependence), seed)
            talks = patron_talks(log)
            fights = log[log.action == "fighting"]
            if fights.empty:
                continue
            start = int(fights.day.min())
            # the day talks opened, counted from the first day of fighting; a fight that
            # ended without talks counts as talks later than its last day
            days.append(int(talks.day.min()) - start if not talks.empty
                        else int(fights.day.max()) - start + 1)
        first[dependence] = days
    assert len(first[1.0]) >= 20 and len(first[0.2]) >= 20
    assert sum(first[0.2]) / len(first[0.2]) > sum(first[1.0]) / len(first[1.0]) + 1.0
    talked = {d: sum(x == 0 for x in days) for d, days in first.items()}
    assert talked[1.0] > talked[0.2]  # on the first day of fighting, mostly the dependent's


def test_the_default_is_a_client_that_takes_its_patrons_word():
    sc = ls.load_scenario("basra_2008")
    assert all(m.patron_dependence == 1.0 for m in sc.militias)
    brokered = 0
    for seed in range(1, 11):
        log = logs(sc, seed)
        brokered += not patron_talks(log).empty
    assert brokered >= 5  # Basra's patron still brokers, as in the record (Qom, 28-30 March)


def test_najafs_ceasefire_is_the_mediators_on_26_august_when_the_fight_lasts():
    lasted = 0
    for seed in SEEDS:
        log = logs(najaf(0.0, mediation=True), seed)
        dates = log.date.astype(str)
        talks, cease = log[log.action == "talks"], log[log.action == "ceasefire"]
        fighting = dates[log.action == "fighting"]
        if fighting.empty:  # JAM stood down at the operation's opening
            assert talks.empty and cease.empty
            continue
        # the end of the operation's fight (raids may come before or after it)
        resolved = dates[log.action.isin(["hold_firm", "relent"]) & (log.target == "JAM2004")]
        end = resolved[resolved >= fighting.min()].min()
        if talks.empty:  # the fight was over before Sistani came
            assert end <= "2004-08-25" and cease.empty
            continue
        assert talks.actor.tolist() == ["mediator"]
        assert dates[talks.index].tolist() == ["2004-08-25"]
        if end < "2004-08-26":  # ended on its own terms the day the talks opened
            assert cease.empty
            continue
        lasted += 1
        assert cease.actor.tolist() == ["mediator"]
        assert dates[cease.index].tolist() == ["2004-08-26"] and end == "2004-08-26"
    assert lasted >= 3
