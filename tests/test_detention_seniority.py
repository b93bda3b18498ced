"""Who is detained, not only how many: a raid's senior commanders weigh in what it puts at stake.

A scripted raid states the senior commanders among its arrests (``figures.commanders``, a
documented input); each counts as the militia's ``commander_stake`` members in the stake
(mechanisms/intimidation.py, ``member_equivalents``), which moves the muster decision and size.
In a negotiated transfer the commanders are handed over first (mechanisms/custody.py,
``commanders_kept``); they go free with their case. One test per link (seniority → stake →
muster, custody), in both paths; each fails when its link is cut or its sign flipped.
"""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

import leverage_sim as ls
from leverage_sim.errors import InputError
from leverage_sim.simulation.mechanisms import custody, intimidation
from leverage_sim.simulation.model import LeverageModel

SEEDS = (1, 2, 3)


def _one_arrest(commanders: int, **overrides: object) -> ls.Scenario:
    """The June 2020 replay to three days after its raid, the raid arresting one KH member (of
    them ``commanders`` senior commanders)."""
    return ls.load_scenario("june_2020_replay", {
        "events[ct_raid].figures": {"arrests": 1, "commanders": commanders},
        "horizon_days": 53, **overrides})


def _raid_day(scenario: ls.Scenario) -> int:
    return next(scenario.event_day(e) for e in scenario.events if e.name == "ct_raid")


def _musters(scenario: ls.Scenario, n: int, seed: int, engine: str) -> tuple[float, float]:
    """Share of ``n`` runs in which KH musters on the raid day, and the median muster (0: none)."""
    res = ls.run(scenario, replications=n, seed=seed, posterior=None, engine=engine)
    ev = res.events
    muster = ev[(ev["action"] == "muster") & (ev["actor"] == "KH")
                & (ev["day"] == _raid_day(scenario))]
    sizes = muster.set_index("replication")["value"].reindex(range(n)).fillna(0)
    return len(muster) / n, float(np.median(sizes[sizes > 0])) if len(muster) else 0.0


# ---- the mechanism --------------------------------------------------------------------------
def test_a_commander_counts_as_commander_stake_members():
    assert intimidation.member_equivalents(14, 0, 100.0) == 14  # none: the head count
    assert intimidation.member_equivalents(1, 1, 100.0) == 100  # one commander, alone
    assert intimidation.member_equivalents(5, 2, 10.0) == 3 + 2 * 10
    assert intimidation.member_equivalents(5, 2, 1.0) == 5  # commander_stake 1: a member
    ratio = intimidation.stake_ratio(intimidation.member_equivalents(1, 1, 100.0), 7000, 0.002)
    assert ratio == pytest.approx(100 / 14)
    assert intimidation.stake_term(ratio, 0.25) > 0 > intimidation.stake_term(
        intimidation.stake_ratio(intimidation.member_equivalents(1, 0, 100.0), 7000, 0.002),
        0.25)


def test_commanders_are_handed_over_first_and_kept_last():
    assert custody.commanders_kept(0, 14, 1) == 0  # a full relent: all handed over
    assert custody.commanders_kept(13, 14, 1) == 0  # keeping 13 of 14: the 13 members
    assert custody.commanders_kept(14, 14, 1) == 1  # keeping all: the commander too
    assert custody.commanders_kept(4, 6, 4) == 2  # 2 members, then 2 of the 4 commanders
    assert custody.commanders_kept(1, 1, 1) == 1 and custody.commanders_kept(3, 5, 0) == 0


def test_the_scenario_states_commanders_among_the_arrests():
    with pytest.raises((InputError, ValidationError), match="commanders"):
        ls.load_scenario("june_2020_replay",
                         {"events[ct_raid].figures": {"arrests": 1, "commanders": 2}})
    muslih = ls.load_scenario("muslih_2021")
    arrest = next(e for e in muslih.events if e.name == "muslih_arrest").typed_figures()
    assert (arrest.arrests, arrest.commanders) == (1, 1)  # the PMF's Anbar operations head
    june = next(e for e in ls.load_scenario("june_2020_replay").events if e.name == "ct_raid")
    assert june.typed_figures().commanders == 0  # 14 'militants', no commander documented


def test_a_drawn_raid_names_no_more_commanders_than_it_targets():
    """A raid whose arrests are drawn (no fixed count) cannot catch more commanders than the
    members it targets: refused, naming the field that bounds it (it was capped silently at
    the arrests drawn); as many as the targets is accepted."""
    drawn = {"arrests": None, "targets": 3, "commanders": 4}
    with pytest.raises(InputError, match=r"commanders \(4\) are among the arrests, which are "
                       r"drawn from 3 targets \(events\[\d+\] \(ct_raid\)\.figures\.targets\)"):
        ls.load_scenario("june_2020_replay", {"events[ct_raid].figures": drawn})
    default = {"arrests": None, "commanders": 15}
    with pytest.raises(InputError, match=r"drawn from 14 targets \(government\.raid_targets\)"):
        ls.load_scenario("june_2020_replay", {"events[ct_raid].figures": default})
    ok = ls.load_scenario("june_2020_replay", {"events[ct_raid].figures": default,
                                               "government.raid_targets": 15})
    raid = next(e for e in ok.events if e.name == "ct_raid").typed_figures()
    assert (raid.arrests, raid.commanders) == (None, 15)


# ---- agent wiring: the raid's commanders reach the militia's stake, and custody -----------
def test_a_raids_commanders_are_detained_and_weigh_in_the_militias_stake(replay):
    model = LeverageModel(_one_arrest(1), 3, collect_data=False)
    for _ in range(_raid_day(model.spec) + 1):
        model.step()
    kh = model.militia("KH")
    assert kh.detained >= 1 and kh.commanders_detained == 1
    assert (model.government.custody_commanders.get("KH", 0)
            + model.government.transferred_commanders.get("KH", 0)) == 1
    assert kh.stake == pytest.approx(intimidation.stake_ratio(
        kh.detained + kh.commander_stake - 1, kh.fighters, kh.stake_reference))
    kh.commanders_detained = 0
    assert kh.stake < intimidation.stake_ratio(kh.detained + 1, kh.fighters, kh.stake_reference)


def test_commanders_are_handed_over_with_a_relent_and_freed_with_their_case():
    model = LeverageModel(_one_arrest(0), 3, collect_data=False)
    gov, kh = model.government, model.militia("KH")
    model.raid(kh, arrests=6, commanders=4, note="test")
    assert gov.custody_commanders["KH"] == 4 and kh.commanders_detained == 4
    assert gov.transfer("KH", keep=4) == 2  # the 2 members and 2 commanders kept
    assert gov.custody_commanders["KH"] == 2 and gov.transferred_commanders["KH"] == 2
    model.release("KH", gov.transferred["KH"])
    assert kh.commanders_detained == 2 and "KH" not in gov.transferred_commanders
    assert kh.detained == 4


# ---- model level, both paths: a detained commander makes the muster likelier and larger --------
@pytest.mark.parametrize("seed", SEEDS)
def test_a_detained_commander_brings_a_muster_fast_path(seed):
    """One arrest on 25 June 2020: a rank-and-file member mostly brings compliance, a senior
    commander a muster in most runs, larger; 200 runs a seed, margins stated. With
    commander_stake 1 the commander weighs as a member (no gap)."""
    member, size_member = _musters(_one_arrest(0), 200, seed, "fast")
    commander, size_commander = _musters(_one_arrest(1), 200, seed, "fast")
    assert member < 0.5 and commander > 0.8 and commander > member + 0.4, (member, commander)
    assert size_commander > size_member + 40, (size_member, size_commander)
    neutral, _ = _musters(_one_arrest(1, **{"militias[KH].commander_stake": 1.0}), 200, seed,
                          "fast")
    assert abs(neutral - member) < 0.1, (neutral, member)


def test_a_detained_commander_brings_a_muster_agent_path():
    """The same link on the agent path (Mesa agents; 40 runs, margin 0.3)."""
    member, _ = _musters(_one_arrest(0), 40, 5, "agent")
    commander, _ = _musters(_one_arrest(1), 40, 5, "agent")
    assert commander > member + 0.3, (member, commander)


def test_the_stake_counts_commanders_in_both_paths_identically():
    """A scenario with commanders detained, kept, handed over, freed and raided again gives the
    same summaries and event logs in both paths (tests/test_fast_path.py runs more of these)."""
    from tests.test_fast_path import differences

    scenario = ls.load_scenario("june_2020_replay", {
        "events[ct_raid].figures": {"arrests": 6, "commanders": 4}, "horizon_days": 150,
        "government.raid_rate": 0.08, "government.negotiation_leverage": 1.0,
        "government.release_delay_days": 15, "militias[KH].commander_stake": 300.0})
    found, actions = differences(scenario, range(6))
    assert not found, found[:3]
    assert actions["muster"] and actions["release"]


def test_no_fit_episode_depends_on_commander_stake():
    """docs/calibration.md: commander_stake stays a documented prior because no fit episode
    documents a detained commander, so the fit episodes' runs do not change with it (if one
    did, the parameter would belong in calibration/default.yaml)."""
    import re
    from pathlib import Path

    import yaml

    from leverage_sim.simulation import fastpath
    from leverage_sim.simulation.runner import summarise_run

    root = Path(__file__).resolve().parent.parent
    config = yaml.safe_load((root / "calibration" / "default.yaml").read_text())
    assert not any("commander_stake" in p["path"] for p in config["parameters"])
    for name in config["episodes"]:
        text = (root / "episodes" / f"{name}.yaml").read_text()
        scenario = re.search(r"^scenario:\s*(\S+)", text, re.MULTILINE).group(1)
        runs = []
        for value in (1.0, 1000.0):
            sc = ls.load_scenario(scenario)
            sc = ls.load_scenario(sc, {f"militias[{m.name}].commander_stake": value
                                       for m in sc.militias})
            runs.append([(summarise_run(r, s, 0), r.log.rows)
                         for s in range(4) for r in [fastpath.simulate(sc, s)]])
        assert runs[0] == runs[1], name
