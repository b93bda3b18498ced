"""A scripted third-party mediation (``action: mediation``, ``actor: mediator``): a cleric, a
foreign state or an international body opens ceasefire talks in an open fight; the ceasefire
takes hold ``figures.days`` later on the terms of the fight, as the patron's does
(docs/model.md, mechanism 8, step 4; Najaf, August 2004: Sistani's deal the day after his
return; Lebanon, May 2008: the Arab League's delegation, then Doha).

Each link is checked on both engines, which must log the same events: the talks open on the
scripted day and by the mediator; the ceasefire comes exactly ``days`` later, by the mediator,
unless the fight ended first; its terms follow the contest (the government holds when the
militia's chance is below ½, else it suspends its measures); without the mediation the same
fights go on past that day; talks the patron already opened are kept; a mediation with no
fight to mediate is logged as skipped."""

from __future__ import annotations

import pandas as pd
import pytest

import leverage_sim as ls
from leverage_sim.errors import InputError
from leverage_sim.simulation import fastpath
from leverage_sim.simulation.runner import simulate as agent_run

SEEDS = range(1, 21)
MEDIATION_DAY = 4  # 8 August 2004, day 4 of the run (the operation opens on day 1)
# JAM holds its ground whatever its losses, and no US forces join, so fights last past the
# mediation day
HOLDS = {"militias[JAM2004].hold_ground": 0.8, "militias[JAM2004].loss_sensitivity": 0.0,
         "foreign_forces.backing": 0.0}


def mediation(day: int = MEDIATION_DAY, days: int = 2, target: str | None = "JAM2004",
              actor: str = "mediator", note: str = "") -> dict:
    event = {"name": "mediation", "day": day, "actor": actor, "action": "mediation",
             "figures": {"days": days}, "note": note}
    return event if target is None else {**event, "target": target}


def najaf(*events: dict, patron_brokers: bool = False) -> ls.Scenario:
    """Najaf 2004 with JAM holding its ground, without the scenario's own mediation (Sistani's,
    on day 20); the patron brokers only if asked, then as for a client that depends on it
    wholly (a client it does not support is not its to broker for)."""
    jam = ({**HOLDS, "militias[JAM2004].patron_dependence": 1.0} if patron_brokers
           else {**HOLDS, "militias[JAM2004].patron_support_share": 0.0})
    base = [e for e in ls.load_scenario("najaf_2004").model_dump(mode="json")["events"]
            if e["action"] != "mediation"]
    return ls.load_scenario("najaf_2004", {**jam, "events": [*base, *events]})


def logs(sc: ls.Scenario, seed: int) -> pd.DataFrame:
    """The run's event log, the same on both engines (checked)."""
    agent = agent_run(sc, seed, collect_data=False).log.frame()
    fast = fastpath.simulate(sc, seed).log.event_log.frame()
    pd.testing.assert_frame_equal(agent, fast)
    return agent


def rows(log: pd.DataFrame, action: str) -> pd.DataFrame:
    return log[log.action == action]


def fight_end(log: pd.DataFrame) -> int:
    """The day the operation's fight was resolved (a hold or a relent against JAM)."""
    ends = log[log.action.isin(["hold_firm", "relent"]) & (log.target == "JAM2004")]
    return int(ends.day.min())


def test_the_mediators_ceasefire_holds_its_days_later_on_the_terms_of_the_fight():
    mediated = 0
    for seed in SEEDS:
        log = logs(najaf(mediation(days=2)), seed)
        talks = rows(log, "talks")
        if fight_end(log) < MEDIATION_DAY:  # over before the mediator came: nothing to mediate
            assert talks.empty and rows(log, "skipped").actor.tolist() == ["mediator"]
            continue
        assert talks.actor.tolist() == ["mediator"] and talks.day.tolist() == [MEDIATION_DAY]
        ceasefire = rows(log, "ceasefire")
        if fight_end(log) < MEDIATION_DAY + 2:  # ended on the fight's own terms first
            assert ceasefire.empty
            continue
        mediated += 1
        assert ceasefire.actor.tolist() == ["mediator"]
        assert ceasefire.day.tolist() == [MEDIATION_DAY + 2] == [fight_end(log)]
        chance = float(ceasefire.value.iloc[0])
        outcome = "hold_firm" if chance < 0.5 else "relent"
        last = log[log.day == MEDIATION_DAY + 2]
        assert outcome in last.action.tolist(), (seed, chance)
        assert "the mediator brokers a ceasefire for JAM2004" in ceasefire.detail.iloc[0]
    assert mediated >= 3


def test_without_the_mediation_the_same_fights_go_on():
    longer = 0
    for seed in SEEDS:
        with_it = logs(najaf(mediation(days=2)), seed)
        if rows(with_it, "ceasefire").empty:
            continue
        without = logs(najaf(), seed)
        assert rows(without, "ceasefire").empty  # the patron does not broker here
        longer += fight_end(without) > MEDIATION_DAY + 2
    assert longer >= 3


def test_talks_take_the_scripted_days():
    for days in (1, 5):
        ended = [logs(najaf(mediation(days=days)), seed) for seed in SEEDS]
        cease = [rows(log, "ceasefire") for log in ended]
        assert {int(c.day.iloc[0]) for c in cease if not c.empty} == {MEDIATION_DAY + days}


def test_talks_the_patron_opened_are_kept():
    kept = 0
    for seed in range(1, 61):
        log = logs(najaf(mediation(days=1), patron_brokers=True), seed)
        patron_talks = rows(log, "talks")
        opened = patron_talks[patron_talks.actor == "patron"]
        if opened.empty or int(opened.day.iloc[0]) >= MEDIATION_DAY:
            continue
        if fight_end(log) < MEDIATION_DAY:
            continue
        kept += 1
        assert (patron_talks.actor == "mediator").sum() == 0
        skipped = rows(log, "skipped")
        assert skipped.actor.tolist() == ["mediator"] and skipped.day.tolist() == [MEDIATION_DAY]
        assert set(rows(log, "ceasefire").actor) <= {"patron"}
    assert kept >= 1


def test_a_mediation_with_no_fight_to_mediate_is_skipped():
    log = logs(najaf(mediation(day=0, target=None)), 1)  # the day before the operation
    skipped = rows(log, "skipped")
    assert skipped.day.tolist() == [0] and skipped.actor.tolist() == ["mediator"]
    assert skipped.value.tolist() == [0.0] and "no fight open" in skipped.detail.iloc[0]
    assert rows(log, "talks").empty


def test_the_scenarios_note_is_the_talks_detail():
    for seed in SEEDS:
        log = logs(najaf(mediation(note="Sistani meets Sadr")), seed)
        talks = rows(log, "talks")
        if not talks.empty:
            assert talks.detail.tolist() == ["Sistani meets Sadr"]
            return
    pytest.fail("no seed had a fight open on the mediation day")


@pytest.mark.parametrize("event, said", [
    (mediation(actor="government"), "'mediation' is done by mediator, not by 'government'"),
    (mediation(actor="patron"), "'mediation' is done by mediator, not by 'patron'"),
    ({**mediation(), "figures": {}}, "days"),
    ({**mediation(), "figures": {"days": 0}}, "days"),
    ({**mediation(), "target": "embassy"}, "target"),
    ({"name": "x", "day": 3, "actor": "mediator", "action": "raid", "target": "JAM2004",
      "figures": {"arrests": 1}}, "'raid' is done by"),
])
def test_a_mediation_is_checked_when_the_scenario_is_read(event, said):
    with pytest.raises(InputError) as info:
        najaf(event)
    assert said in str(info.value)


def test_an_unknown_actor_is_told_the_mediator_is_one():
    with pytest.raises(InputError) as info:
        najaf(mediation(actor="Sistani"))
    assert "'mediator'" in str(info.value)


def test_a_standoff_that_is_not_a_fight_is_not_mediated():
    """The June 2020 raid's standoff (a muster, no fighting) is open on 26 June: nothing to
    mediate, and the standoff resolves as it would without the mediator."""
    base = ls.load_scenario("june_2020_replay")
    day = (pd.Timestamp("2020-06-26").date() - base.start_date).days
    events = [*base.model_dump(mode="json")["events"], mediation(day=day, target="KH")]
    sc = ls.load_scenario("june_2020_replay", {"events": events})
    for seed in (1, 2, 3):
        log, plain = logs(sc, seed), logs(base, seed)
        assert rows(log, "talks").empty
        assert rows(log, "skipped").day.tolist() == [day]
        kept = log[log.action != "skipped"].reset_index(drop=True)
        pd.testing.assert_frame_equal(kept, plain)


def test_a_mediation_with_a_target_mediates_only_that_militias_fight():
    """Two operations at once (KH and AAH, June 2020's militias): a mediation aimed at KH
    opens talks in KH's fight only; one without a target, in both."""
    base = ls.load_scenario("june_2020_replay")
    ops = [{"name": f"op_{m}", "day": 10, "actor": "government", "action": "operation",
            "target": m, "figures": {"troops": 3000, "days": 20}} for m in ("KH", "AAH")]
    holds = {f"militias[{m}].{k}": v for m in ("KH", "AAH")
             for k, v in (("hold_ground", 0.8), ("loss_sensitivity", 0.0),
                          ("patron_support_share", 0.0))}
    events = base.model_dump(mode="json")["events"]
    both = 0
    for target, mediated in (("KH", {"KH"}), (None, {"KH", "AAH"})):
        sc = ls.load_scenario("june_2020_replay", {
            **holds, "events": [*events, *ops, mediation(day=12, target=target)]})
        for seed in range(1, 31):
            log = logs(sc, seed)
            fighting = set(log[(log.action == "fighting") & (log.day == 11)].target)
            talks = rows(log, "talks")
            assert set(talks.target) <= mediated and set(talks.actor) <= {"mediator"}
            if fighting == {"KH", "AAH"} and len(log[(log.action.isin(["hold_firm", "relent"]))
                                                      & (log.day <= 11)]) == 0:
                assert set(talks.target) == mediated, (target, seed)
                both += 1
    assert both >= 2


def test_a_militia_may_not_be_named_mediator():
    with pytest.raises(InputError) as info:
        ls.load_scenario("najaf_2004", {"militias[JAM2004].name": "Mediator"})
    assert "Mediator names another actor" in str(info.value)
