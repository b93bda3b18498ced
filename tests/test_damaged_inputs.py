"""Damaged or impossible inputs are refused with a clear InputError naming the file and the
field, never a traceback: A. a posterior folder's manifest.json and posterior.parquet; B. an
episode's impossible facts; C. a calibration listing a fact (or an episode) twice; D. a
damaged ABC-SMC checkpoint given to ``calibrate --resume`` or to ``calibrate(..., resume=True)``."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml

from leverage_sim.calibration.config import load_calibration
from leverage_sim.calibration.episodes import load_episode
from leverage_sim.calibration.resume import check_resumable
from leverage_sim.calibration.run import calibrate
from leverage_sim.cli.main import main
from leverage_sim.errors import InputError
from leverage_sim.simulation import model_fingerprint
from leverage_sim.simulation.posterior import load_posterior
from tests.calibration_fixture import ROOT, TINY, tiny_config
from tests.posterior_fixture import BASE_SCENARIO, FOLDER, particles, write_posterior


# ---- A: a posterior folder whose manifest or table was edited or damaged --------------------
@pytest.mark.parametrize(("change", "field"), [
    ({"model_fingerprint": "abc"}, "'model_fingerprint' must be a mapping"),
    ({"base_scenario": {"name": BASE_SCENARIO, "values": [1, 2]}},
     "'base_scenario.values' must be a mapping"),
    ({"base_values": {"government.decision_sharpness": "six"}}, "'base_values' must be"),
    ({"fitted_scenarios": 5}, "'fitted_scenarios' must be a mapping"),
    ({"parameters": 3}, "'parameters' must be"),
])
def test_a_damaged_posterior_manifest_names_the_field(change, field, tmp_path):
    folder = write_posterior(tmp_path / "p", **change)
    with pytest.raises(InputError) as e:
        load_posterior(folder)
    said = str(e.value)
    assert said.startswith(f"{folder / 'manifest.json'}: ") and field in said
    assert "edited or damaged" in said and "leverage-sim calibrate" in said


def test_a_fingerprint_that_is_no_mapping_does_not_match():
    assert not model_fingerprint.matches("abc") and not model_fingerprint.matches([1])


def test_a_posterior_column_of_text_is_refused(tmp_path):
    table = particles()
    table["militias[KH].mobilisation"] = table["militias[KH].mobilisation"].astype(str)
    folder = write_posterior(tmp_path / "p", table)
    with pytest.raises(InputError, match="must hold numbers, not text") as e:
        load_posterior(folder)
    assert str(e.value).startswith(f"{folder / 'posterior.parquet'}: column "
                                   "'militias[KH].mobilisation'")


# ---- B: impossible facts in an episode file ----------------------------------------------------
def edited_episode(tmp_path: Path, fact: str, **changes: object) -> Path:
    """episodes/muslih_2021.yaml with ``changes`` to fact ``fact`` (``arguments`` merged)."""
    raw = yaml.safe_load((ROOT / "episodes" / "muslih_2021.yaml").read_text())
    entry = next(f for f in raw["facts"] if f["name"] == fact)
    entry["arguments"] = {**entry["arguments"], **changes.pop("arguments", {})}
    entry.update(changes)
    path = tmp_path / "muslih_2021.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return path


@pytest.mark.parametrize(("fact", "changes", "said"), [
    ("relented", {"arguments": {"start": "2021-07-05", "end": "2021-05-26"}},
     "facts[relented].arguments.start 2021-07-05 is after end 2021-05-26"),
    ("no_clash", {"arguments": {"start": "2021-08-01", "end": "2021-09-05"}},
     ("facts[no_clash].arguments.start 2021-08-01 is after the scenario's last day: the "
      "scenario's days are 2021-01-01 to 2021-07-05")),
    # a window reaching past the run at either end: the record's events on days the run does
    # not simulate could never be matched (the fit would chase a count that is too low)
    ("no_clash", {"arguments": {"start": "2020-12-01"}},
     ("facts[no_clash].arguments.start 2020-12-01 is before the scenario's first day: the "
      "scenario's days are 2021-01-01 to 2021-07-05, and no event outside them can count "
      "(move start on or after 2021-01-01, or start the scenario earlier)")),
    ("no_clash", {"arguments": {"end": "2021-07-08"}},
     ("facts[no_clash].arguments.end 2021-07-08 is after the scenario's last day: the "
      "scenario's days are 2021-01-01 to 2021-07-05, and no event outside them can count "
      "(move end on or before 2021-07-05, or raise the episode's horizon_days by 3)")),
    ("no_clash", {"arguments": {"start": "2020-05-26", "end": "2020-07-05"}},
     "facts[no_clash].arguments.end 2020-07-05 is before the scenario's first day"),
    ("days_to_release", {"arguments": {"after": "2021-08-01"}},
     "facts[days_to_release].arguments.after 2021-08-01 is after the scenario's last day"),
    ("days_to_release", {"arguments": {"end": "2021-05-20"}},
     "facts[days_to_release].arguments.after 2021-05-26 is after end 2021-05-20"),
    ("days_to_release", {"arguments": {"cap": -3}},
     "facts[days_to_release].arguments.cap -3 must be a whole number of days, 0 or more"),
    ("days_to_release", {"arguments": {"cap": 40.5}},
     "facts[days_to_release].arguments.cap 40.5 must be a whole number of days, 0 or more"),
    ("muster_same_day", {"observed": 2},
     "fact 'muster_same_day': observed must be 0 or 1 for statistic occurred"),
    ("days_to_release", {"range": [14, 12]},
     "fact 'days_to_release': range [14, 12] is reversed: write [low, high]"),
])
def test_an_impossible_fact_is_refused(fact, changes, said, tmp_path):
    path = edited_episode(tmp_path, fact, **changes)
    with pytest.raises(InputError) as e:
        load_episode(path)
    assert str(e.value).startswith(f"{path}: ") and said in str(e.value)
    assert "outside its range" not in str(e.value)


def test_an_argument_the_statistic_does_not_take_ends_one_sentence(tmp_path):
    """The statistic's own sentence ("It takes: ... cap.") is not followed by a second full stop
    before the file's advice (it read "cap.. Fix these fields")."""
    path = edited_episode(tmp_path, "days_to_release", arguments={"start": "2021-06-30"})
    with pytest.raises(InputError) as e:
        load_episode(path)
    said = str(e.value)
    assert "unexpected keyword argument 'start'" in said and "It takes: action, after" in said
    assert ".." not in said and "end. Fix these fields" in said


def test_days_until_takes_an_end_and_counts_nothing_after_it(tmp_path):
    """``days_until`` takes ``end`` as the other statistics do (it refused it, so a step-in of
    a later, unrelated raid counted); without ``end`` the shipped facts are unchanged."""
    path = edited_episode(tmp_path, "days_to_release", arguments={"end": "2021-06-05"})
    episode = load_episode(path)
    fact = next(f for f in episode.spec.facts if f.name == "days_to_release")
    assert str(fact.arguments["end"]) == "2021-06-05"


def episode_on(tmp_path: Path, scenario: str) -> Path:
    """episodes/muslih_2021.yaml, in ``tmp_path/episodes``, naming ``scenario``."""
    raw = yaml.safe_load((ROOT / "episodes" / "muslih_2021.yaml").read_text())
    path = tmp_path / "episodes" / "muslih_2021.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump({**raw, "scenario": scenario}, sort_keys=False))
    return path


@pytest.mark.parametrize(("scenario", "said"), [
    ("muslih_2012", "No scenario named 'muslih_2012'. Did you mean muslih_2021"),
    ("setups/muslih.yaml", "Scenario file 'setups/muslih.yaml' does not exist"),
])
def test_an_episode_naming_no_scenario_names_its_file_and_field(scenario, said, tmp_path, cli):
    """The error says which episode file and field named the missing scenario, and the fix
    (it said only "No scenario named ...", leaving the analyst to guess where it came from)."""
    path = episode_on(tmp_path, scenario)
    code, _, err = cli("validate-model", path, "--posterior", FOLDER, "-n", 2, "-q")
    assert code == 2 and "Traceback" not in err
    assert f"{path}, field 'scenario': {said}" in err
    assert "Fix the 'scenario' field of this episode file" in err


def test_a_bare_scenario_name_with_its_file_beside_the_episode_says_to_write_the_file(
        tmp_path, cli):
    """An analyst's episode and scenario in one folder, the episode naming the scenario
    without `.yaml`: the error points at the file beside it and the field to write (it listed
    only the shipped scenarios, suggesting unrelated ones)."""
    path = episode_on(tmp_path, "my_case")
    (path.parent / "my_case.yaml").write_text("extends: muslih_2021\n")
    code, _, err = cli("validate", path)
    assert code == 2 and "Traceback" not in err
    assert "A file 'my_case.yaml' is beside the episode file: write `scenario: my_case.yaml`" \
        in err
    assert "Fix the 'scenario' field of this episode file" in err


def test_an_episode_whose_scenario_is_broken_names_the_episode(tmp_path):
    (tmp_path / "broken.yaml").write_text("extends: nope_nope\n")
    path = episode_on(tmp_path, "../broken.yaml")
    with pytest.raises(InputError) as e:
        load_episode(path)
    assert str(e.value).startswith(f"{path}, in 'scenario: ../broken.yaml': ")
    assert "in 'extends: nope_nope': No scenario named 'nope_nope'" in str(e.value)


def test_validate_model_refuses_an_impossible_fact_before_running(tmp_path, cli):
    path = edited_episode(tmp_path, "relented",
                          arguments={"start": "2021-07-05", "end": "2021-05-26"})
    code, _, err = cli("validate-model", path, "--posterior", FOLDER, "-n", 2, "-q")
    assert code == 2 and str(path) in err and "facts[relented].arguments.start" in err
    assert "Traceback" not in err


# ---- C: a calibration listing a fact or an episode twice ---------------------------------------
@pytest.mark.parametrize(("change", "said"), [
    ({"facts": [*TINY["facts"], "june_2020_raid.kh_muster"]},
     "facts listed twice: june_2020_raid.kh_muster"),
    ({"episodes": ["june_2020_raid", "june_2020_raid"]}, "episodes listed twice: june_2020_raid"),
    ({"parameters": [*TINY["parameters"], TINY["parameters"][0]]},
     "parameters listed twice: government.decision_sharpness"),
])
def test_a_calibration_listing_an_entry_twice_is_refused(change, said, tmp_path):
    config = tiny_config(tmp_path, **change)
    with pytest.raises(InputError, match="listed twice") as e:
        load_calibration(config)
    assert str(e.value).startswith(f"{config}: ") and said in str(e.value)


# ---- D: calibrate --resume on a damaged checkpoint ---------------------------------------------
@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory) -> tuple[Path, Path]:
    """(config, folder) of the tiny ABC-SMC calibration, run to its end once."""
    folder = tmp_path_factory.mktemp("tiny")
    config, out = tiny_config(folder), folder / "full"
    assert main(["calibrate", str(config), "--quick", "--executor", "serial", "--out",
                 str(out), "--quiet"]) == 0
    return config, out


def interrupted_copy(full: Path, tmp_path: Path) -> Path:
    """A copy of the calibration ``full`` in ``tmp_path``, marked unfinished (as an interrupted
    one is), so that --resume reads its history."""
    out = shutil.copytree(full, tmp_path / "cal")
    manifest = json.loads((out / "manifest.json").read_text())
    (out / "manifest.json").write_text(json.dumps({**manifest, "status": "running"}))
    return out


def halve(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:path.stat().st_size // 2])


@pytest.mark.parametrize(("name", "damage", "why"), [
    ("history.db", halve, "database disk image is malformed"),
    ("history.db", lambda p: p.write_bytes(b""), "it is empty"),
    ("history.db", lambda p: p.write_bytes(b"SQLite format 3\0" + b"\0" * 200), "DatabaseError"),
    ("history.adaptive.json", lambda p: p.write_text("{"), "JSONDecodeError"),
    ("history.adaptive.json", lambda p: p.write_text("[]"), "TypeError"),
    ("manifest.json", lambda p: p.write_text(""), "it is empty"),
    ("manifest.json", lambda p: p.write_text("[1]"), "it holds no JSON object"),
])
def test_resume_of_a_damaged_checkpoint_names_the_file(name, damage, why, checkpoint,
                                                       tmp_path):
    config, full = checkpoint
    out = interrupted_copy(full, tmp_path)
    damage(out / name)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(InputError) as e:
        check_resumable(out, load_calibration(config), TINY["seed"], quick=True)
    said = str(e.value)
    assert said.startswith(f"{out / name} is damaged (") and why in said
    assert "cannot be resumed: restore the file, or start again with --force" in said
    assert "holds no calibration" not in said
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing touched


def test_resume_cli_on_a_damaged_history_is_exit_2(checkpoint, tmp_path, capsys):
    config, full = checkpoint
    out = interrupted_copy(full, tmp_path)
    halve(out / "history.db")
    assert main(["calibrate", str(config), "--quick", "--executor", "serial", "--out", str(out),
                 "--quiet", "--resume"]) == 2
    err = capsys.readouterr().err
    assert f"{out / 'history.db'} is damaged" in err and "internal error" not in err


def test_resume_from_python_checks_the_checkpoint_as_the_cli_does(checkpoint, tmp_path):
    config, full = checkpoint
    out = interrupted_copy(full, tmp_path)
    halve(out / "history.db")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(InputError, match=r"history\.db is damaged \(DatabaseError.*--force"):
        calibrate(load_calibration(config), out, quick=True, seed=TINY["seed"],
                  executor="serial", resume=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing touched


def test_a_history_that_cannot_be_read_does_not_advise_force(checkpoint, tmp_path,
                                                            monkeypatch):
    """A read error (locked, no permission) may leave the file intact: no advice to replace
    the folder."""
    config, full = checkpoint
    out = interrupted_copy(full, tmp_path)

    def locked(db: Path) -> None:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr("leverage_sim.calibration.resume._last_generation", locked)
    with pytest.raises(InputError, match="database is locked") as e:
        check_resumable(out, load_calibration(config), TINY["seed"], quick=True)
    assert str(out / "history.db") in str(e.value) and "--force" not in str(e.value)
