"""Careless or hostile input found by the third audit: a verb's words after its options, a
sweep table without its seed column, file names that are not UTF-8."""

from __future__ import annotations

import json
import os
import shutil

import pyarrow.parquet as pq
import pytest

from leverage_sim.cli.main import build_parser
from leverage_sim.errors import InputError
from leverage_sim.files.safe_text import json_visible, visible
from leverage_sim.scenario.loader import ENV_SCENARIO_PATH, available_scenarios
from leverage_sim.sweep import SweepSpec, design_problem, load_sweep, run_sweep


def _parse(*argv: str):
    return build_parser(list(argv)).parse_args(list(argv))


def test_a_verbs_words_may_come_before_between_or_after_its_options():
    for argv in (["compare", "a", "--set", "x=1", "b"], ["compare", "--set", "x=1", "a", "b"],
                 ["compare", "a", "--variant", "x=1", "-n", "2", "b"]):
        assert _parse(*argv).scenarios == ["a", "b"]
    assert _parse("validate", "a", "--json", "b").files == ["a", "b"]


def test_a_scenario_after_an_option_is_read_not_called_unrecognized(cli):
    code, _, err = cli("compare", "june_2020_replay", "--set", "foreign_forces.backing=0.5",
                       "nope")
    assert code == 2 and "No scenario named 'nope'" in err


def test_an_unknown_option_is_named_with_the_verbs_usage(cli):
    code, _, err = cli("compare", "--variants", "x=1", "june_2020_replay")
    assert code == 2 and "unrecognized arguments: --variants" in err
    assert "See `leverage-sim compare --help`" in err


# ---- a sweep table without a column the sweep wrote ---------------------------------------------
@pytest.fixture
def sweep_dir(tmp_path):
    spec = SweepSpec.from_cli("june_2020_replay", ["foreign_forces.backing=0,1"],
                              posterior="none")
    return run_sweep(spec, tmp_path / "sweep", executor="serial")


def _drop(path, column):
    pq.write_table(pq.read_table(path).drop([column]), path)


def test_runs_without_their_seeds_are_named_not_dumped(sweep_dir, cli):
    _drop(sweep_dir / "runs.parquet", "seed")
    code, _, err = cli("sweep", "--resume", "--out", sweep_dir, "-q")
    assert code == 2
    assert f"{sweep_dir / 'runs.parquet'} has no column 'seed'" in err and "--force" in err
    assert "FieldRef" not in err and "\n" not in err.rstrip("\n")
    with pytest.raises(InputError, match="has no column 'seed'"):
        run_sweep(None, sweep_dir, executor="serial", resume=True)


@pytest.mark.parametrize("name", ["points", "design"])
def test_points_or_design_without_a_parameter_are_named(sweep_dir, name):
    _drop(sweep_dir / f"{name}.parquet", "foreign_forces.backing")
    with pytest.raises(InputError, match=rf"{name}.parquet has no column "
                                         "'foreign_forces.backing'.*--force"):
        design_problem(sweep_dir) if name == "design" else load_sweep(sweep_dir)


# ---- file names that are not UTF-8 ------------------------------------------------------------
BAD = os.fsdecode(b"\xff.yaml")  # how Python reads the name: a lone surrogate for the byte


def test_a_name_that_is_not_utf8_is_shown_by_its_bytes():
    assert visible(BAD) == "\\xff.yaml"
    assert json.loads(json_visible(json.dumps(BAD, ensure_ascii=False))) == BAD


def test_a_scenario_file_named_in_no_utf8_is_left_out_and_named(tmp_path, monkeypatch, cli):
    (tmp_path / BAD).write_text("name: x\n")
    shutil.copy(available_scenarios()["june_2020_replay"], tmp_path / "mine.yaml")
    monkeypatch.setenv(ENV_SCENARIO_PATH, str(tmp_path))
    found = available_scenarios()
    assert "mine" in found and os.fsdecode(b"\xff") not in found
    code, out, err = cli("list")
    assert code == 0 and out.startswith("mine ") and "\\xff" not in out
    assert f"{tmp_path}/\\xff.yaml is left out: its name is not UTF-8 text" in err
    code, out, _ = cli("list", "--json")
    assert code == 0 and json.loads(out)[0]["name"] == "mine"
    assert cli("completion", "bash")[0] == 0


def test_a_sweep_part_named_in_no_utf8_is_named(sweep_dir, cli):
    part = next((sweep_dir / "summary").glob("part-*.parquet"))
    shutil.copy(part, sweep_dir / "summary" / os.fsdecode(b"part-\xff.parquet"))
    with pytest.raises(InputError, match=r"part-\\xff.parquet was not written by the sweep"):
        load_sweep(sweep_dir)
    code, _, err = cli("rerun", sweep_dir, "--run-id", "0")
    assert code == 2 and "Remove it" in err



def test_resuming_the_wrong_kind_of_folder_names_it_in_english(tmp_path):
    from leverage_sim.files.output_dir import RECORD, OutputError, claim_output

    sweep = tmp_path / "s"
    sweep.mkdir()
    (sweep / RECORD).write_text(json.dumps({"written_by": "leverage-sim", "kind": "sweep",
                                            "files": []}), encoding="utf-8")
    with (pytest.raises(OutputError, match="is not an explore folder"),
          claim_output(sweep, "explore", resume=True)):
        pass
