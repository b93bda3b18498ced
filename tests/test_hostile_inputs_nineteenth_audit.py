"""Careless or hostile input found by the nineteenth audit (about 330 bad inputs across the
verbs, 7 December 2026):

- a user's file beside a sweep's parts (``summary/part-notes.parquet``) matched the record's
  ``part-*.parquet``, so ``--force`` deleted it and ``--resume`` read it as runs (or, in
  ``timeseries/``, removed it as an orphan). A recorded pattern's ``*`` now stands for a number
  only (a part is ``part-FIRST-LAST.parquet``), in new records and in older ones alike;
- a part (or a posterior) the user may not read was called "damaged", with the advice to
  delete it; it may be intact, and the message now says permission was refused and how to
  give it;
- a standard stream closed when the command started (``leverage-sim run ... >&-``) ended the
  verb with a traceback (exit 120) before ``run --out`` wrote its folder, so its results were
  lost;
- a sweep that stopped on a full disk hung at exit in about one try in six: a pool worker that
  outlived SIGTERM kept the pool's manager thread, which CPython's exit hook waits for, alive.
  An abandoned pool's workers still there after SIGTERM are now killed;
- messages that named the wrong thing: ``validate-model -n 1`` refused only after ``-n 0``
  had said "at least 1"; an interrupted calibration given as a posterior was "not a posterior
  folder" (it says now how to finish it, with --resume), and validate-model's refusal offered
  ``none``, which it does not take; an unclosed bracket in ``--set`` was "no '='"; an empty
  scenario file lacked "militias"; a sweep's unusable ``base:`` was not named as the sweep's
  base; a warning (duplicated rows dropped) came in Python's form, with a source line; a
  completed sweep's manifest still gave the reason it had once been interrupted.
"""

from __future__ import annotations

import json
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pyarrow as pa
import pytest

from leverage_sim.errors import InputError
from leverage_sim.files.output_dir import access_refused, foreign_files, numbered_match
from leverage_sim.simulation import executors
from leverage_sim.simulation import posterior as post
from leverage_sim.sweep import SweepSpec, load_sweep, run_sweep, storage

CLI = (sys.executable, "-c", "from leverage_sim.cli.main import main; main()")
TINY = ("--posterior", "none", "-n", "1", "--set", "horizon_days=5", "--set", "events=[]")


@pytest.fixture
def sweep_dir(tmp_path):
    spec = SweepSpec.from_cli("june_2020_replay", ["foreign_forces.backing=0,1"],
                              overrides=["horizon_days=5", "events=[]"], timeseries=True,
                              posterior="none")
    return run_sweep(spec, tmp_path / "sweep", executor="serial")


# ---- a user's file beside the parts ------------------------------------------------------------
def test_a_pattern_stands_for_numbered_parts_only():
    pattern = "summary/part-*.parquet"
    assert numbered_match("summary/part-000000000-000000099.parquet", pattern)
    assert numbered_match("summary/part-1000000000-1000000099.parquet", pattern)
    for name in ("summary/part-notes.parquet", "summary/part-000000000-000000099x.parquet",
                 "summary/part-2024-06-01.parquet", "summary/part-000000001.parquetx",
                 "summary/part-.parquet", "summary/sub/part-1-2.parquet",
                 "summary/part-1-2.parquetx"):
        assert not numbered_match(name, pattern), name


def test_a_users_file_beside_the_parts_is_never_read_nor_removed(sweep_dir, cli):
    runs = len(load_sweep(sweep_dir))
    mine = [sweep_dir / "summary" / "part-notes.parquet",
            sweep_dir / "timeseries" / "part-mydata.parquet",
            sweep_dir / "timeseries" / "part-2024-06-01.parquet",
            sweep_dir / "summary" / "part-mydata.parquet.tmp"]
    for path in mine:
        path.write_text("my own data")
    assert sorted(foreign_files(sweep_dir)) == sorted(
        p.relative_to(sweep_dir).as_posix() for p in mine)
    assert len(load_sweep(sweep_dir)) == runs  # not read as runs (nor as damaged parts)
    code, _, err = cli("sweep", "--resume", "--out", sweep_dir, "-q")
    assert code == 0, err
    code, _, err = cli("sweep", "june_2020_replay", "--param", "foreign_forces.backing=0,1",
                       "--posterior", "none", "--set", "horizon_days=5", "--set", "events=[]",
                       "--out", sweep_dir, "--force", "-q")
    assert code == 2 and "did not write" in err and "part-notes.parquet" in err
    assert all(path.read_text() == "my own data" for path in mine)


# ---- a file that may not be read is not called damaged ----------------------------------------
def test_a_refused_read_is_not_called_damaged(tmp_path):
    path = tmp_path / "part-000000000-000000000.parquet"
    message = access_refused(path, PermissionError(13, "Permission denied", str(path)))
    assert message is not None and "permission denied" in message and "delete" in message
    assert "do not delete" in message and "chmod u+r" in message
    # pyarrow's own form: the errno only in the text
    assert access_refused(path, OSError("Failed to open local file. Detail: [errno 13] "
                                        "Permission denied")) is not None
    assert access_refused(path, OSError("Parquet magic bytes not found")) is None
    assert access_refused(path, ValueError("[errno 13]")) is None


def test_a_sweep_part_that_may_not_be_read_is_named_as_such(sweep_dir, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(storage.ds, "dataset", refuse)
    monkeypatch.setattr(storage.pq, "ParquetFile", refuse)
    with pytest.raises(InputError) as caught:
        load_sweep(sweep_dir)
    message = str(caught.value)
    assert "permission denied" in message and "do not delete" in message
    assert "is damaged" not in message and "delete it, then" not in message


def test_an_arrow_failure_is_still_called_damaged(sweep_dir, monkeypatch):
    def garbage(*args, **kwargs):
        raise pa.ArrowInvalid("Parquet magic bytes not found in footer")

    monkeypatch.setattr(storage.ds, "dataset", garbage)
    monkeypatch.setattr(storage.pq, "ParquetFile", garbage)
    with pytest.raises(InputError, match="is damaged and cannot be read.*delete it, then"):
        load_sweep(sweep_dir)


# ---- a standard stream closed at the start -----------------------------------------------------
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell redirections")
def test_a_run_with_its_output_closed_still_writes_its_results(tmp_path):
    out = tmp_path / "closed"
    argv = shlex.join((*CLI, "run", "june_2020_replay", *TINY, "--out", str(out)))
    done = subprocess.run(["bash", "-c", f"{argv} >&-"], check=False, stderr=subprocess.PIPE,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert (out / "summary.parquet").is_file() and (out / "manifest.json").is_file()
    # standard error closed too: the exit code still says what happened
    done = subprocess.run(["bash", "-c", shlex.join((*CLI, "run", "nope")) + " >&- 2>&-"],
                          check=False, timeout=600)
    assert done.returncode == 2


# ---- an abandoned pool whose worker outlives SIGTERM -------------------------------------------
def _ignore_sigterm_and_wait(flag: str) -> None:
    """A task that cannot be stopped by SIGTERM (as a worker still starting, or stuck)."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    Path(flag).write_text("ready")
    time.sleep(3600)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
def test_an_abandoned_pool_leaves_no_thread_for_the_exit_hook_to_wait_on(tmp_path,
                                                                            monkeypatch):
    monkeypatch.setattr(executors, "ABANDON_JOIN_SECONDS", 2)
    flag = tmp_path / "ready"
    pool = ProcessPoolExecutor(1, mp_context=get_context("spawn"))  # no fork of a threaded test
    task = pool.submit(_ignore_sigterm_and_wait, str(flag))
    deadline = time.monotonic() + 300  # wait for the state: the worker runs, SIGTERM ignored
    while not flag.exists():
        assert not task.done() and time.monotonic() < deadline, "the worker never started"
        time.sleep(0.05)
    manager = pool._executor_manager_thread
    assert isinstance(manager, threading.Thread) and manager.is_alive()
    executors.abandon(pool)
    manager.join(300)  # on a loaded machine the manager takes its time to see the kill
    assert not manager.is_alive()


# ---- messages that named the wrong thing -------------------------------------------------------
def test_a_duplicated_part_is_a_warning_in_the_command_lines_words(sweep_dir):
    part = min((sweep_dir / "summary").glob("part-*.parquet"))
    shutil.copy(part, part.with_name("part-000000000-000000099.parquet"))
    done = subprocess.run([*CLI, "sweep", "--resume", "--out", str(sweep_dir), "-q"],
                          check=False, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "leverage-sim: warning: 1 duplicated rows" in done.stderr
    assert "UserWarning" not in done.stderr and ".py:" not in done.stderr


def test_a_completed_sweep_no_longer_says_why_it_once_stopped(sweep_dir):
    store = storage.SweepStore(sweep_dir)
    manifest = json.loads(store.manifest_path.read_text(encoding="utf-8"))
    store.update_progress(manifest, status="interrupted", reason="Ctrl-C")
    assert json.loads(store.manifest_path.read_text())["progress"]["reason"] == "Ctrl-C"
    store.update_progress(manifest, done=1)  # progress without a status keeps the reason
    assert json.loads(store.manifest_path.read_text())["progress"]["reason"] == "Ctrl-C"
    store.update_progress(manifest, status="complete")
    assert "reason" not in json.loads(store.manifest_path.read_text())["progress"]


def test_an_unclosed_bracket_is_named_not_a_missing_equals_sign(cli):
    code, _, err = cli("run", "june_2020_replay", "--set", "militias[KH.autonomy=0.5")
    assert code == 2 and "'[' is not closed" in err and "has no '='" not in err
    code, _, err = cli("run", "june_2020_replay", "--set", "militias[KH].autonomy")
    assert code == 2 and "has no '='" in err
    code, _, err = cli("run", "june_2020_replay", "--set", "militias[KH=1]")  # closed
    assert code == 2 and "not closed" not in err and "no '=' outside brackets" in err


def test_validate_model_asks_for_two_replications_from_the_start(cli):
    for n in ("0", "1"):
        code, _, err = cli("validate-model", "-n", n)
        assert code == 2 and "at least 2" in err, (n, err)


def test_an_empty_scenario_file_is_called_empty(tmp_path, cli):
    for text in ("", "# only a comment\n"):
        path = tmp_path / "mine.yaml"
        path.write_text(text)
        code, _, err = cli("run", path, "-n", "1")
        assert code == 2 and "holds no fields" in err and "Field required" not in err


def _sweep_file(cli, folder: Path, base: str, path: str = "foreign_forces.backing"
                ) -> tuple[int, str]:
    """``leverage-sim sweep s.yaml`` of a sweep file in ``folder`` with this ``base`` and one
    swept ``path`` (written as YAML double-quoted text); its exit code and stderr."""
    sweep = folder / "s.yaml"
    sweep.write_text(f'name: s\nbase: {base}\nparameters:\n  "{path}": {{values: [0, 1]}}\n')
    code, _, err = cli("sweep", sweep, "--out", folder / "o", "-q")
    return code, err


def test_a_sweeps_base_that_cannot_be_used_is_named_as_its_base(tmp_path, cli):
    code, err = _sweep_file(cli, tmp_path, "no_such_scenario")
    assert code == 2 and "its base scenario 'no_such_scenario'" in err and "not found" in err
    code, err = _sweep_file(cli, tmp_path, "s.yaml")
    assert code == 2 and "is a sweep file, not a scenario" in err and "fix that field" in err


def test_an_unfinished_calibration_says_how_to_finish_it(tmp_path, cli):
    folder = tmp_path / "cal"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps(
        {"kind": post.KIND, "status": "running"}))
    code, _, err = cli("run", "june_2020_replay", "-n", "1", "--posterior", folder)
    assert code == 2 and "did not finish" in err and "--resume" in err
    assert "posterior.parquet is missing" not in err
    code, _, err = cli("validate-model", "--posterior", tmp_path / "nope")
    assert code == 2 and "`none`" not in err.split("also take")[0]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell")
def test_a_current_folder_deleted_under_the_shell_is_named(tmp_path):
    script = (f"mkdir gone && cd gone && rmdir ../gone && exec "
              f"{shlex.join((*CLI, 'run', 'june_2020_replay', '-n', '1'))}")
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, check=False,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 2
    assert "the current folder no longer exists" in done.stderr and "None" not in done.stderr


def test_an_astronomical_replication_count_with_a_progress_bar_gets_advice():
    """Past a machine integer (10**23), the progress bar could not take the loop's length: an
    internal error. The bar now goes without a total, and the memory check advises."""
    from leverage_sim.cli.common import progress_wrapper

    bar = progress_wrapper(False, "runs")
    assert bar(range(10**23)).total is None and bar(range(5)).total == 5  # no overflow
    done = subprocess.run([*CLI, "run", "june_2020_replay", "-n", str(10**23)], check=False,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 2 and "internal error" not in done.stderr, done.stderr
    assert "replications" in done.stderr


def test_a_sweep_manifest_that_is_no_sweeps_is_called_damaged(sweep_dir, cli):
    (sweep_dir / "manifest.json").write_text("[1, 2]")
    code, _, err = cli("sweep", "--resume", "--out", sweep_dir, "-q")
    assert code == 2 and "manifest.json is damaged" in err and "holds an array" in err
    (sweep_dir / "manifest.json").write_text("null")
    code, _, err = cli("sweep", "--resume", "--out", sweep_dir, "-q")
    assert code == 2 and "holds null" in err


def test_an_out_link_that_loops_is_called_a_loop(tmp_path, cli):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    code, _, err = cli("run", "june_2020_replay", "-n", "1", "--out", tmp_path / "a")
    assert code == 2 and "a loop" in err and "does not exist" not in err
    (tmp_path / "c").symlink_to(tmp_path / "nowhere")
    code, _, err = cli("run", "june_2020_replay", "-n", "1", "--out", tmp_path / "c")
    assert code == 2 and "does not exist" in err


def test_a_sweep_files_bad_parameter_path_names_the_file_and_shows_its_tab(tmp_path, cli):
    code, err = _sweep_file(cli, tmp_path, "june_2020_replay", "foreign_forces.backing\\t")
    assert code == 2 and "s.yaml" in err and "foreign_forces.backing\\t'" in err
    assert "\t" not in err


def test_only_leverage_sims_own_warnings_take_the_command_lines_form():
    import warnings

    from leverage_sim.cli import main as cli_main
    from leverage_sim.sweep import results

    line = cli_main._warning_line(warnings.formatwarning)
    ours = line("2 duplicated rows", UserWarning, results.__file__, 104)
    assert ours == "leverage-sim: warning: 2 duplicated rows\n"
    theirs = line("deprecated", FutureWarning, pa.__file__, 7)
    assert theirs.startswith(pa.__file__) and "FutureWarning: deprecated" in theirs
