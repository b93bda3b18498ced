"""Scenario files: extends, overrides, and a clear message for every kind of bad input."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import leverage_sim as ls
from leverage_sim.errors import InputError


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_extends_merges_deeply_and_by_name(tmp_path):
    path = write(tmp_path, "child.yaml", """
        extends: june_2020_replay
        question: what if KH were less autonomous?
        foreign_forces: {backing: 0.7}
        militias:
          - {name: KH, autonomy: 0.3}
          - {name: NEW, fighters: 100, local_fighters: 50, patron_support_share: 0.0}
          - {name: KSS, remove: true}
        events:
          - {name: ct_raid, figures: {arrests: 5}}
          - {date: 2020-06-26, actor: foreign_forces, action: backing}
        """)
    sc = ls.load_scenario(path)
    base = ls.load_scenario("june_2020_replay")
    assert sc.name == "child" and sc.question.startswith("what if")
    assert sc.foreign_forces.backing == 0.7
    assert sc.foreign_forces.presence == base.foreign_forces.presence
    kh = next(m for m in sc.militias if m.name == "KH")
    assert kh.autonomy == 0.3 and kh.fighters == base.militias[0].fighters
    assert [m.name for m in sc.militias] == ["KH", "AAH", "Nujaba", "NEW"]
    raid = next(e for e in sc.events if e.name == "ct_raid")
    assert raid.figures == {"arrests": 5} and raid.target == "KH"
    assert len(sc.events) == len(base.events) + 1


def test_dotted_overrides(replay):
    sc = ls.load_scenario(replay, ["foreign_forces.backing=0.8", "militias[KH].autonomy=0.5",
                                   "foreign_forces.sites[embassy].interception=0.3"])
    assert sc.foreign_forces.backing == 0.8
    assert sc.militias[0].autonomy == 0.5
    assert next(s for s in sc.foreign_forces.sites if s.name == "embassy").interception == 0.3


@pytest.mark.parametrize("text, expected", [
    ("government: {resolve: [0.5\n", ["malformed YAML", "line"]),
    ("extends: june_2020_replay\ngovernment: {resolv: 0.5}\n",
     ["unknown field 'government.resolv'", "did you mean 'resolve'"]),
    ("extends: june_2020_replay\nforeign_forces: {backing: 1.5}\n",
     ["'foreign_forces.backing'", "allowed range 0 to 1", "1.5"]),
    ("extends: june_2020_replay\nmilitias: [{name: KH, autonomy: -1}]\n",
     ["'militias[KH].autonomy'", "allowed range 0 to 1"]),
    ("extends: no_such_scenario\n", ["No scenario named 'no_such_scenario'"]),
    ("- just\n- a list\n", ["must be a YAML mapping"]),
    (("extends: june_2020_replay\nevents: [{date: 2020-06-25, actor: US, action: raid, "
      "target: KH}]\n"), ["events[2].actor 'US' is not one of"]),
])
def test_bad_files_name_file_field_and_fix(tmp_path, text, expected):
    path = write(tmp_path, "bad.yaml", text)
    with pytest.raises(InputError) as err:
        ls.load_scenario(path)
    message = str(err.value)
    assert str(path) in message or "no_such_scenario" in message
    for fragment in expected:
        assert fragment in message


@pytest.mark.parametrize("override, expected", [
    ("foreign_forces.backing", "has no '='"),
    ("militias[XX].autonomy=0.5", "no entry named 'XX'"),
    ("foreign_forces..backing=1", "not valid"),
    ("patron.instigaton=0.5", "did you mean 'instigation'"),
    ("horizon_days=0", "allowed range 1 to 3650"),
])
def test_bad_overrides(override, expected):
    with pytest.raises(InputError, match=None) as err:
        ls.load_scenario("june_2020_replay", [override])
    assert expected in str(err.value)


def test_missing_scenario_lists_known_ones():
    with pytest.raises(InputError) as err:
        ls.load_scenario("june_2020_replai")
    assert "Did you mean june_2020_replay" in str(err.value)


def test_extends_cycle(tmp_path):
    write(tmp_path, "a.yaml", "extends: b\n")
    write(tmp_path, "b.yaml", "extends: a\n")
    with pytest.raises(InputError, match="cycle"):
        ls.load_scenario(tmp_path / "a.yaml")


@pytest.mark.parametrize("args, expected", [
    (["run", "nope"], "No scenario named 'nope'"),
    (["run", "june_2020_replay", "--set", "foreign_forces.backing=2"], "allowed range 0 to 1"),
    (["run", "june_2020_replay", "--replications", "0"], "at least 1"),
])
def test_cli_bad_input_exit_2_without_traceback(args, expected):
    proc = subprocess.run([sys.executable, "-m", "leverage_sim.cli", *args],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert expected in proc.stderr
    assert "Traceback" not in proc.stderr
