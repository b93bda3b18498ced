"""A bug after the runs (an internal error while a staged ``run`` or ``compare`` writes its
charts or report) does not lose what was computed: the files already written are kept beside
``--out`` as ``NAME.incomplete`` (never over an older result, never over a user's folder), and
the error says where. Bad input, a file-system error or Ctrl-C still leave nothing behind."""

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from leverage_sim.cli.main import main
from leverage_sim.errors import InputError
from leverage_sim.files.output_dir import RECORD, claim_output
from leverage_sim.outputs import run_outputs

RUN = ["run", "june_2020_replay", "-n", "2", "-q", "--set", "horizon_days=55"]


def cli(*args: object) -> int:
    return main([str(a) for a in args])


def broken_charts(*_: object, **__: object) -> dict:
    raise RuntimeError("a seeded bug in the charts")


def test_a_bug_after_the_runs_keeps_the_tables_beside_out_and_says_where(tmp_path, monkeypatch,
                                                                          capsys):
    monkeypatch.setattr(run_outputs, "charts", broken_charts)
    out = tmp_path / "r"
    assert cli(*RUN, "--out", out) == 1
    err = capsys.readouterr().err
    kept = tmp_path / "r.incomplete"
    assert "internal error" in err and f"kept in '{kept}'" in err
    assert not out.exists()
    assert pd.read_parquet(kept / "summary.parquet").shape[0] == 2
    record = json.loads((kept / RECORD).read_text())
    assert record["kind"] == "run" and "summary.parquet" in record["files"]
    assert sorted(p.name for p in tmp_path.glob(".*")) == []  # no temporary folder or lock left


def test_under_force_the_older_result_stays_and_a_second_failure_takes_the_next_name(
        tmp_path, monkeypatch, capsys):
    out = tmp_path / "r"
    assert cli(*RUN, "--out", out) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    monkeypatch.setattr(run_outputs, "charts", broken_charts)
    assert cli(*RUN, "--seed", 5, "--out", out, "--force") == 1
    assert cli(*RUN, "--seed", 6, "--out", out, "--force") == 1
    capsys.readouterr()
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert (tmp_path / "r.incomplete" / "summary.parquet").is_file()
    assert (tmp_path / "r.incomplete-2" / "summary.parquet").is_file()


def test_a_users_folder_under_the_kept_name_is_never_touched(tmp_path, monkeypatch, capsys):
    mine = tmp_path / "r.incomplete"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    monkeypatch.setattr(run_outputs, "charts", broken_charts)
    assert cli(*RUN, "--out", tmp_path / "r") == 1
    assert "r.incomplete-2" in capsys.readouterr().err
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


def test_a_kept_folder_can_be_replaced_with_force(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(run_outputs, "charts", broken_charts)
    assert cli(*RUN, "--out", tmp_path / "r") == 1
    monkeypatch.undo()
    assert cli(*RUN, "--out", tmp_path / "r.incomplete", "--force") == 0
    assert (tmp_path / "r.incomplete" / "report.html").is_file()


def test_compare_keeps_what_it_wrote_too(tmp_path, monkeypatch, capsys):
    from leverage_sim.analysis.comparison import Comparison

    def broken(self: object) -> None:
        raise RuntimeError("a seeded bug in the comparison chart")

    monkeypatch.setattr(Comparison, "chart", broken)
    code = cli("compare", "june_2020_replay", "june_2020_us_withdrawn", "-n", "2", "-q",
               "--set", "horizon_days=55", "--out", tmp_path / "c")
    assert code == 1
    kept = tmp_path / "c.incomplete"
    assert f"kept in '{kept}'" in capsys.readouterr().err
    assert (kept / "comparison.csv").is_file() and (kept / "summary.parquet").is_file()


@pytest.mark.parametrize("error", [InputError("bad input"), OSError(28, "No space left"),
                                   KeyboardInterrupt()])
def test_bad_input_a_file_system_error_or_ctrl_c_leave_nothing(tmp_path, error):
    with pytest.raises((type(error), InputError)), claim_output(tmp_path / "r", "run") as folder:
        (folder.path / "summary.parquet").write_bytes(b"x")
        raise error
    assert sorted(os.listdir(tmp_path)) == []


def test_an_empty_staged_folder_is_not_kept(tmp_path):
    with pytest.raises(RuntimeError), claim_output(tmp_path / "r", "run"):
        raise RuntimeError("a bug before anything was written")
    assert sorted(os.listdir(tmp_path)) == []
    assert not Path(tmp_path / "r.incomplete").exists()


def test_write_tables_never_replaces_a_file_and_names_it(tmp_path):
    from leverage_sim.simulation.runner import run

    res = run("june_2020_replay", replications=1, seed=1)
    mine = tmp_path / "summary.parquet"
    mine.write_text("a user's own file")
    with pytest.raises(InputError, match=r"summary\.parquet.*never replaces"):
        res.write_tables(tmp_path)
    assert mine.read_text() == "a user's own file"
    assert sorted(os.listdir(tmp_path)) == ["summary.parquet"]  # nothing written before
    fresh = tmp_path / "new"
    fresh.mkdir()
    assert sorted(p.name for p in res.write_tables(fresh)) == sorted(
        f"{name}.parquet" for name in (*res.TABLES, "draws"))  # the posterior's draws too
