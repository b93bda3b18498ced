"""Two scripted confrontations with one militia that would be open at once — a raid and an
operation the same day, or a raid or operation during a scripted operation's days — are refused
when the scenario is read, with the events named and the fix. The model plays each
confrontation on its own: before this check, a raid and an operation on KH the same day ran
side by side, the militia stood down to the operation (the government "held firm") and the
government relented in the raid's standoff the next day."""

from __future__ import annotations

import pytest

import leverage_sim as ls
from leverage_sim.errors import InputError

RAID = {"name": "ct_raid", "day": 49, "actor": "government", "action": "raid", "target": "KH",
        "figures": {"arrests": 14}}


def operation(day: int, target: str = "KH", days: int = 5, name: str = "big_op") -> dict:
    return {"name": name, "day": day, "actor": "government", "action": "operation",
            "target": target, "figures": {"troops": 3000, "days": days}}


def raid(day: int, target: str = "KH", name: str = "second_raid") -> dict:
    return {**RAID, "name": name, "day": day, "target": target}


def load(*events: dict) -> ls.Scenario:
    return ls.load_scenario("june_2020_replay", {"events": list(events)})


@pytest.mark.parametrize("events, named, span", [
    ((RAID, operation(49)), "events[1] (big_op): a scripted operation on KH on day 49",
     "the day events[0] (ct_raid) raids KH"),
    ((RAID, raid(49)), "events[1] (second_raid): a scripted raid on KH on day 49",
     "the day events[0] (ct_raid) raids KH"),
    ((operation(45), RAID), "events[1] (ct_raid): a scripted raid on KH on day 49",
     "within events[0] (big_op)'s operation on KH (days 45-50"),
    ((operation(40, days=9), RAID), "events[1] (ct_raid): a scripted raid on KH on day 49",
     "(days 40-49, the most it lasts)"),
    ((RAID, operation(45, days=10, name="late_op")),  # listed out of day order
     "events[0] (ct_raid): a scripted raid on KH on day 49", "within events[1] (late_op)'s"),
])
def test_overlapping_confrontations_with_one_militia_are_refused(events, named, span):
    with pytest.raises(InputError) as info:
        load(*events)
    text = str(info.value)
    assert named in text and span in text
    assert "Move one of them to a later day" in text


@pytest.mark.parametrize("events", [
    (RAID, operation(49, target="AAH")),      # another militia the same day
    (RAID, raid(50)),                          # the next day: the standoff may be over
    (operation(40, days=8), RAID),             # the day after the operation's last day
    (RAID, operation(50)),
])
def test_confrontations_that_need_not_overlap_are_accepted(events):
    sc = load(*events)
    run = ls.run(sc, replications=2, seed=1, posterior=None)
    assert len(run.summary) == 2


def test_the_cli_says_which_events_and_how_to_fix_it(cli, tmp_path):
    path = tmp_path / "same_day.yaml"
    path.write_text("name: same_day\nextends: june_2020_replay\nevents:\n"
                    "  - {name: big_op, date: 2020-06-25, actor: government, action: operation,"
                    " target: KH, figures: {troops: 3000, days: 5}}\n")
    code, _out, err = cli("run", path, "--posterior", "none", "--out", tmp_path / "out")
    assert code == 2 and "Traceback" not in err
    assert str(path) in err and "big_op" in err and "ct_raid" in err
    assert "{name: X, remove: true}" in err
    assert not (tmp_path / "out").exists()


def test_an_extending_file_can_move_its_base_event_out_of_the_way():
    sc = ls.load_scenario("june_2020_replay", {"events": [
        *[e for e in ls.load_scenario("june_2020_replay").model_dump(mode="json")["events"]
          if e["name"] != "ct_raid"], operation(49)]})
    assert [e.action for e in sc.events if e.target == "KH"] == ["operation"]

