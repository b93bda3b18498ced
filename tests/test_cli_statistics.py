"""``leverage-sim statistics``: what an episode's facts may measure, listed from the code.

An analyst writing an episode of their own (a held-out case, December 2026) had no way to list
the statistics a fact may name, their arguments, or the actions of the event log and what an
event's value holds (is `fighting`'s value the day's dead? what does `hold_firm` mark?): the
statistics were named in docs/calibration.md, the actions in docs/model.md's Outputs, and the
arguments only in the source.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leverage_sim.calibration import statistics as st
from leverage_sim.errors import InputError

EPISODES = Path(__file__).resolve().parents[1] / "episodes"


def test_statistics_lists_every_statistic_its_arguments_and_every_action(cli):
    code, out, err = cli("statistics")
    assert code == 0 and not err
    for name in st.STATISTICS:
        assert f"\n  {name}(" in out, name
    assert "days_until(action, after, actor=none, target=none, cap=365, end=none)" in out
    assert "-> yes/no (1 or 0)" in out  # occurred
    actions = out.split("Actions of the event log", 1)[1]
    for action in st.LOGGED_ACTIONS:
        assert f"\n  {action} " in actions, action
    assert "the dead on both sides" in " ".join(actions.split())  # fighting's value
    assert "Columns: raids, arrests" in out  # summary_value's columns


def test_statistics_json_matches_the_registry(cli):
    code, out, _ = cli("statistics", "--json")
    assert code == 0
    doc = json.loads(out)
    rows = {r["statistic"]: r for r in doc["statistics"]}
    assert set(rows) == set(st.STATISTICS)
    assert rows["days_until"]["required"] == ["action", "after"]
    assert rows["days_until"]["arguments"]["cap"] == 365
    assert list(doc["actions"]) == list(st.LOGGED_ACTIONS)
    assert all(doc["actions"].values())


def test_an_unknown_statistic_points_to_the_listing():
    with pytest.raises(InputError, match="`leverage-sim statistics` lists"):
        st.get("totl")


def test_a_fact_with_an_unknown_action_points_to_the_listing(cli, tmp_path):
    text = (EPISODES / "najaf_2004.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "najaf_2004.yaml"
    bad.write_text(text.replace("action: backing", "action: bakcing", 1), encoding="utf-8")
    code, _, err = cli("validate", bad)
    assert code == 2 and "action 'bakcing' is not one of" in err
    assert "`leverage-sim statistics` lists" in " ".join(err.split())
