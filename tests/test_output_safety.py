"""Output folders (issue 12, items 1-4, 8, 9): nothing leverage-sim did not write is ever
deleted, a folder is locked while a verb writes it, results appear only once complete, and
file-system problems end in exit 2 naming the path."""

import contextlib
import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from leverage_sim.cli.main import main
from leverage_sim.errors import InputError
from leverage_sim.files.output_dir import RECORD, claim_output, foreign_files, read_record
from leverage_sim.simulation.runner import Results
from leverage_sim.sweep import load_sweep, run_sweep
from leverage_sim.sweep.storage import SweepStore

RUN = ["run", "june_2020_replay", "-n", "2", "-q", "--set", "horizon_days=55"]
SWEEP = ["sweep", "june_2020_replay", "--param", "foreign_forces.backing=0,1", "-n", "3", "-q",
         "--set", "horizon_days=55", "--executor", "serial"]
EXE = str(Path(sys.executable).parent / "leverage-sim")


def cli(*args, **kw):
    return main([str(a) for a in args], **kw)


def leftovers(parent: Path) -> list[str]:
    """Temporary folders or lock files left beside outputs."""
    return sorted(p.name for p in parent.glob(".*"))


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "run"
    assert cli(*RUN, "--out", out) == 0
    return out


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweeps") / "sweep"
    assert cli(*SWEEP, "--out", out) == 0
    return out


# ---- item 1: --force replaces only what leverage-sim wrote ------------------------------------
@pytest.mark.parametrize("verb", [RUN, SWEEP])
@pytest.mark.parametrize("where", [".", "..", "~", "/"])
def test_protected_folders_are_refused_even_with_force(verb, where, tmp_path, monkeypatch,
                                                      capsys):
    work = tmp_path / "project"
    (work / "src").mkdir(parents=True)
    (work / "notes.md").write_text("mine")
    monkeypatch.chdir(work)
    assert cli(*verb, "--out", where, "--force") == 2
    assert "leverage-sim never writes its results there" in capsys.readouterr().err
    assert (work / "notes.md").read_text() == "mine" and (work / "src").is_dir()


@pytest.mark.parametrize("verb", [RUN, SWEEP])
def test_force_refuses_a_folder_with_foreign_files_and_keeps_them(verb, tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notes.md").write_text("mine")
    assert cli(*verb, "--out", docs, "--force") == 2
    err = capsys.readouterr().err
    assert "--force will not replace" in err and "notes.md" in err
    assert (docs / "notes.md").read_text() == "mine" and len(list(docs.iterdir())) == 1


def test_force_replaces_a_leverage_sim_folder_but_not_once_a_file_is_added(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli(*RUN, "--out", out) == 0
    record = json.loads((out / RECORD).read_text())
    assert record["kind"] == "run" and "summary.parquet" in record["files"]
    assert cli(*RUN, "--out", out) == 2  # never silently
    assert "already exists and is not empty" in capsys.readouterr().err
    assert cli(*RUN, "--out", out, "--force") == 0
    (out / "figures").mkdir()
    (out / "figures" / "mine.png").write_bytes(b"x")
    assert cli(*RUN, "--out", out, "--force") == 2
    assert "figures/mine.png" in capsys.readouterr().err
    assert (out / "figures" / "mine.png").exists() and (out / "summary.parquet").exists()


def test_sweep_force_replaces_a_sweep_but_not_a_foreign_file_inside_it(sweep_dir, tmp_path,
                                                                       capsys):
    copy = tmp_path / "copy"
    shutil.copytree(sweep_dir, copy)
    assert cli(*SWEEP, "--out", copy) == 2
    assert "--resume to continue the sweep in it" in capsys.readouterr().err
    (copy / "summary" / "my_analysis.csv").write_text("mine")
    assert cli(*SWEEP, "--out", copy, "--force") == 2
    assert "summary/my_analysis.csv" in capsys.readouterr().err
    (copy / "summary" / "my_analysis.csv").unlink()
    assert cli(*SWEEP, "--out", copy, "--force") == 0


def test_a_sweeps_report_is_written_holding_the_folders_lock(tmp_path, monkeypatch):
    """`sweep` writes report.html after the runs, still holding the folder (as the runs were
    written): another command on it then waits its turn instead of racing the write."""
    from leverage_sim.cli import sweep_cmd
    from leverage_sim.files.output_dir import OutputError

    held = []

    def report(out):
        with pytest.raises(OutputError, match="in use by this process"), \
                claim_output(out, "sweep", resume=True, staged=False):
            pass
        held.append(out)
        return out / "report.html"

    monkeypatch.setattr(sweep_cmd, "sweep_report", report)
    assert cli(*SWEEP, "--out", tmp_path / "sw") == 0
    assert held == [tmp_path / "sw"]


def test_a_resumed_folder_records_the_files_this_version_writes(tmp_path):
    """A folder begun by an older leverage-sim lists fewer files (the committed calibration's
    record has no reference.parquet.adding); resuming it adds the names this version may
    write, so a file it writes there never counts as the user's and --force still takes the
    folder. The record keeps its other fields."""
    out = tmp_path / "cal"
    with claim_output(out, "calibrate", staged=False, files=["a.csv"]) as folder:
        folder.begin()
        (out / "a.csv").write_text("1")
        folder.keep()
    before = read_record(out)
    with claim_output(out, "calibrate", resume=True, staged=False,
                      files=["a.csv", "a.csv.side"]) as folder:
        folder.begin()
        (out / "a.csv.side").write_text("2")
    assert foreign_files(out) == []
    assert read_record(out) == {**before, "files": ["a.csv", "a.csv.side"]}


def test_force_on_a_folder_whose_old_record_lists_a_wide_pattern_says_why(tmp_path):
    """A record from an older leverage-sim (early December 2026) listed ``sweep/*`` below an
    exploration's sub-folder, where a ``*`` now stands for run numbers only: its files cannot
    be told from a user's, so --force refuses, and says that this is why."""
    out = tmp_path / "ex"
    (out / "sweep").mkdir(parents=True)
    (out / "sweep" / "manifest.json").write_text("{}")
    (out / "report.html").write_text("")
    (out / RECORD).write_text(json.dumps({"written_by": "leverage-sim", "kind": "explore",
                                          "files": ["sweep/*", "report.html"]}))
    with pytest.raises(InputError, match=r"lists patterns such as 'sweep/\*' rather than file "
                       "names"), claim_output(out, "explore", force=True):
        pass
    assert (out / "sweep" / "manifest.json").is_file()


# ---- items 2, 3: locks ------------------------------------------------------------------------------
HOLD = ("import sys; from leverage_sim.files.output_dir import claim_output\n"
        "with claim_output(sys.argv[1], sys.argv[2], resume=sys.argv[3] == '1', "
        "staged=sys.argv[2] != 'sweep') as f:\n"
        "    print('ready', flush=True); sys.stdin.read()\n")


@contextlib.contextmanager
def held_by_another_process(out, kind, resume=False):
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(out), kind, str(int(resume))],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        yield proc
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)


def test_a_locked_run_folder_is_refused_and_the_lock_dies_with_its_owner(tmp_path, capsys):
    out = tmp_path / "run"
    with held_by_another_process(out, "run") as holder:
        assert cli(*RUN, "--out", out) == 2
        assert f"in use by another leverage-sim process (pid {holder.pid}" in \
            capsys.readouterr().err
        holder.kill()  # a lock left by a dead process is taken over
        holder.wait()
        assert cli(*RUN, "--out", out) == 0
    assert "took over the lock" in capsys.readouterr().err
    assert len(pd.read_parquet(out / "summary.parquet")) == 2
    assert leftovers(tmp_path) == []


def test_two_runs_into_one_folder_at_once_leave_one_readable_result(tmp_path):
    out = tmp_path / "run"
    procs = [subprocess.Popen([EXE, *RUN[:3], "20", *RUN[4:], "--out", str(out)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    assert sorted(code for code, _ in results) == [0, 2], results
    err = next(e for code, e in results if code == 2)
    assert "in use by another leverage-sim process" in err or "already exists" in err
    assert len(pd.read_parquet(out / "summary.parquet")) == 20
    assert pd.read_parquet(out / "militias.parquet")["replication"].nunique() == 20
    assert leftovers(tmp_path) == []


def test_resume_of_a_locked_sweep_is_refused(sweep_dir, capsys):
    with held_by_another_process(sweep_dir, "sweep", resume=True):
        assert cli("sweep", "--resume", "--out", sweep_dir, "-q") == 2
        assert "in use by another leverage-sim process" in capsys.readouterr().err


def test_two_resumes_at_once_store_every_run_once(sweep_dir, tmp_path):
    out = tmp_path / "half"
    assert cli(*SWEEP[:5], "200", *SWEEP[6:], "--out", out) == 0  # 400 runs
    parts = sorted((out / "summary").glob("part-*.parquet"))
    for p in parts[len(parts) // 4:]:
        p.unlink()  # as if interrupted: most runs are missing
    cmd = [EXE, "sweep", "--resume", "--out", str(out), "-q", "--executor", "serial"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    assert all(code == 0 or (code == 2 and "in use by another" in err)
               for code, err in results), results
    df = load_sweep(out)
    assert df["run_id"].tolist() == list(range(400))  # complete, no run twice
    rows = sum(pq.read_metadata(p).num_rows for p in (out / "summary").glob("part-*.parquet"))
    assert rows == 400


def test_two_claims_in_one_process_exclude_each_other(tmp_path):
    with claim_output(tmp_path / "a", "run"), pytest.raises(InputError, match="in use by this"), \
            claim_output(tmp_path / "a", "run"):
        pass


# ---- item 4: a full disk --------------------------------------------------------------------------
def no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def fill_disk_after_chunks(monkeypatch, saved: int) -> None:
    """A sweep's disk is full once ``saved`` chunks of its summary are written."""
    real = SweepStore.write_chunk
    calls = []

    def fill_up(self, summary, ts):
        calls.append(1)
        return real(self, summary, ts) if len(calls) <= saved else no_space()

    monkeypatch.setattr(SweepStore, "write_chunk", fill_up)


def test_run_on_a_full_disk_leaves_nothing_and_says_so(tmp_path, monkeypatch, capsys):
    calls = []
    real = pd.DataFrame.to_parquet

    def fill_up(self, path, *args, **kwargs):  # the second table no longer fits
        calls.append(path)
        return real(self, path, *args, **kwargs) if len(calls) == 1 else no_space()

    monkeypatch.setattr(pd.DataFrame, "to_parquet", fill_up)
    out = tmp_path / "deep" / "run"
    assert cli(*RUN, "--out", out) == 2
    err = capsys.readouterr().err
    assert f"Disk full at {out}" in err and "Traceback" not in err
    assert not (tmp_path / "deep").exists()  # no partial folder, no empty parents
    assert len(calls) == 2


def test_results_save_is_staged_too(tmp_path, monkeypatch, replay):
    from leverage_sim import run

    res = run(replay, 1, 3, overrides={"horizon_days": 55}, posterior=None)  # the four tables
    monkeypatch.setattr(Results, "write_tables", lambda self, folder, fmt: no_space())
    with pytest.raises(InputError, match="Disk full at"):
        res.save(tmp_path / "tables")
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    paths = res.save(tmp_path / "tables")
    assert [p.parent for p in paths] == [tmp_path / "tables"] * 4 and paths[0].exists()


@contextlib.contextmanager
def mounted_tmpfs(path: Path, options: str):
    path.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
                              capture_output=True, check=False)
    except OSError:
        done = None
    if done is None or done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=True)


def test_run_on_a_really_full_disk(tmp_path, capsys):
    with mounted_tmpfs(tmp_path / "tiny", "size=100k") as tiny:
        assert cli(*RUN[:3], "30", *RUN[4:], "--out", tiny / "run") == 2
        assert f"Disk full at {tiny / 'run'}" in capsys.readouterr().err
        assert list(tiny.iterdir()) == []  # nothing half-written


def test_sweep_on_a_full_disk_is_marked_interrupted_and_resumes(sweep_dir, tmp_path,
                                                               monkeypatch):
    fill_disk_after_chunks(monkeypatch, 2)
    out = tmp_path / "full"
    with pytest.raises(InputError) as e:
        run_sweep(load_spec(sweep_dir), out, executor="serial", chunk_size=1)
    assert "Disk full at" in str(e.value)
    assert f"Resume with `leverage-sim sweep --resume --out {out}`" in str(e.value)
    progress = json.loads((out / "manifest.json").read_text())["progress"]
    assert progress["status"] == "interrupted" and progress["done"] == 2 == len(load_sweep(out))
    assert not list(out.rglob("*.tmp"))
    monkeypatch.undo()
    assert cli("sweep", "--resume", "--out", out, "-q", "--executor", "serial") == 0
    pd.testing.assert_frame_equal(load_sweep(out), load_sweep(sweep_dir))


def load_spec(out):
    from leverage_sim.sweep import SweepSpec

    return SweepSpec.model_validate(json.loads((out / "manifest.json").read_text())["spec"])


# ---- item 8: output paths ---------------------------------------------------------------------
@pytest.mark.parametrize("verb", [RUN, SWEEP])
def test_unusable_output_paths_are_exit_2_with_the_reason(verb, tmp_path, capsys):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    cases = {a_file: "is a file, not a folder",
             a_file / "below": "a part of the path is a file",
             Path("/proc/leverage-sim-test"): "Cannot write",
             Path("/sys/leverage-sim/test"): "Cannot write"}
    for out, reason in cases.items():
        assert cli(*verb, "--out", out) == 2, out
        err = capsys.readouterr().err
        assert reason in err and str(out) in err and "internal error" not in err, err
    assert a_file.read_text() == "x"


def test_read_only_file_system_is_exit_2(tmp_path, capsys):
    with mounted_tmpfs(tmp_path / "ro", "ro,size=100k") as ro:
        for verb in (RUN, SWEEP):
            assert cli(*verb, "--out", ro / "out") == 2
            assert "read-only" in capsys.readouterr().err


def test_closed_pipe_ends_quietly_and_the_files_are_written(tmp_path):
    out = tmp_path / "run"
    proc = subprocess.Popen([EXE, *RUN, "--out", str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.close()  # like `| head -0`: the reader is gone before anything is printed
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert "Traceback" not in err and "BrokenPipe" not in err and "error" not in err
    assert len(pd.read_parquet(out / "summary.parquet")) == 2
    head = subprocess.run(f"'{EXE}' params | head -1", shell=True, capture_output=True,
                          text=True, timeout=120, check=True)
    assert len(head.stdout.splitlines()) == 1 and head.stderr == ""


# ---- item 9: rerun and resume on the wrong folder; damaged sweeps ----------------------------------
def test_rerun_and_resume_on_a_run_folder_say_what_it_is(run_dir, capsys):
    for args in (["rerun", run_dir, "--run-id", "0"], ["sweep", "--resume", "--out", run_dir]):
        assert cli(*args) == 2
        err = capsys.readouterr().err
        assert "`leverage-sim run`" in err and "KeyError" not in err, err


def test_damaged_or_missing_sweep_files_are_clear_errors(sweep_dir, tmp_path, capsys):
    copy = tmp_path / "copy"
    shutil.copytree(sweep_dir, copy)
    part = sorted((copy / "summary").glob("part-*.parquet"))[1]
    part.write_bytes(b"PAR1 not really")
    with pytest.raises(InputError, match=f"{part.name} is damaged.*--resume"):
        load_sweep(copy)
    assert cli("rerun", copy, "--run-id", "0") == 2
    assert cli("sweep", "--resume", "--out", copy, "-q") == 2
    assert f"{part} is damaged" in capsys.readouterr().err
    part.unlink()  # what the message says to do
    assert cli("sweep", "--resume", "--out", copy, "-q", "--executor", "serial") == 0
    (copy / "runs.parquet").unlink()
    assert cli("rerun", copy, "--run-id", "0") == 2
    assert "runs.parquet is missing" in capsys.readouterr().err


def test_load_sweep_drops_identical_duplicates_and_refuses_conflicting_ones(sweep_dir, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(sweep_dir, copy)
    part = min((copy / "summary").glob("part-*.parquet"))
    twin = part.with_name("part-999999990-999999999.parquet")
    shutil.copy(part, twin)  # as two unlocked writers would leave it
    with pytest.warns(UserWarning, match="duplicated rows"):
        df = load_sweep(copy)
    pd.testing.assert_frame_equal(df, load_sweep(sweep_dir))
    t = pq.read_table(twin).to_pandas()
    t["attacks"] += 1
    t.to_parquet(twin, index=False)
    with pytest.raises(InputError, match="different results for the same run"):
        load_sweep(copy)


def test_rerun_not_reproduced_is_exit_3_and_documented(capsys):
    with pytest.raises(SystemExit):
        cli("rerun", "--help")
    assert "3 not reproduced" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli("--help")
    assert "3 rerun: not reproduced" in capsys.readouterr().out
    text = (Path(__file__).parents[1] / "docs" / "cli.md").read_text()
    assert "| 3 |" in text and "Output folders, locks and exit codes" in text


def test_stale_temporary_folders_of_a_killed_run_are_cleared(tmp_path):
    stale = tmp_path / ".run.partial-abc"
    stale.mkdir()
    (stale / "militias.parquet").write_bytes(b"half")
    # a staged folder holds its record from the moment it is made (a user's folder so named
    # is refused instead: tests/test_hostile_inputs_seventh_audit.py)
    (stale / ".leverage-sim.json").write_text(
        '{"written_by": "leverage-sim", "kind": "run", "files": []}')
    assert cli(*RUN, "--out", tmp_path / "run") == 0
    assert leftovers(tmp_path) == []  # the claim removed it while holding the lock


# ---- issue 19, item 3: --force is an atomic, journaled swap -----------------------------------
@pytest.mark.parametrize("step", ["commit-aside", "commit-in"])
def test_force_killed_at_each_point_of_the_swap_leaves_a_whole_folder(step, run_dir, tmp_path):
    out = tmp_path / "run"
    shutil.copytree(run_dir, out)
    (out / "summary.parquet").write_bytes(b"old")  # tell the old folder from a new one
    env = {**os.environ, "LEVERAGE_SIM_TEST_KILL_AT": step}
    killed = subprocess.run([EXE, *RUN, "--out", out, "--force"], env=env, check=False, capture_output=True)
    assert killed.returncode == -9  # SIGKILL, in the middle of the swap
    after = subprocess.run([EXE, *RUN, "--out", out], check=False, capture_output=True, text=True)
    assert "was cut short" in after.stderr
    # the next command finished the swap (the new folder was complete) and then refused
    # to write into the non-empty folder: one whole folder, nothing beside it
    assert (out / "summary.parquet").read_bytes() != b"old"
    pd.read_parquet(out / "summary.parquet")
    assert leftovers(tmp_path) == []


def test_force_killed_after_setting_the_old_folder_aside_puts_it_back(tmp_path):
    out = tmp_path / "sweep"
    assert cli(*SWEEP, "--out", out) == 0
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    env = {**os.environ, "LEVERAGE_SIM_TEST_KILL_AT": "begin-aside"}
    killed = subprocess.run([EXE, *SWEEP, "--out", out, "--force"], env=env,
                            check=False, capture_output=True)
    assert killed.returncode == -9 and not out.exists()  # killed with the old folder aside
    after = subprocess.run([EXE, *SWEEP, "--out", out], check=False, capture_output=True, text=True)
    assert "the old folder was put back as it was" in after.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
    assert leftovers(tmp_path) == []


# ---- issue 19, item 4: exact names, one kind never replaces another ----------------------------
@pytest.mark.parametrize(("first", "second"), [(RUN, SWEEP), (SWEEP, RUN)])
def test_force_never_replaces_one_kind_of_folder_by_another(first, second, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli(*first, "--out", out) == 0
    before = sorted(p.name for p in out.iterdir())
    assert cli(*second, "--out", out, "--force") == 2
    err = capsys.readouterr().err
    assert "one kind of folder is never replaced by another" in err
    assert sorted(p.name for p in out.iterdir()) == before


def test_the_shipped_calibration_is_not_replaced_by_a_run(tmp_path, capsys):
    """On a copy of calibration/default (a failing test must not damage the shipped one)."""
    shipped = tmp_path / "default"
    shutil.copytree(Path(__file__).resolve().parents[1] / "calibration" / "default", shipped)
    before = sorted(p.name for p in shipped.iterdir())
    assert cli(*RUN, "--out", shipped, "--force") == 2
    assert "`leverage-sim calibrate`" in capsys.readouterr().err
    assert sorted(p.name for p in shipped.iterdir()) == before


def test_the_shipped_calibration_can_be_recalibrated_with_force():
    """`make calibrate` replaces calibration/default with --force: its record names every file
    in it exactly."""
    from leverage_sim.files.output_dir import foreign_files

    shipped = Path(__file__).resolve().parents[1] / "calibration" / "default"
    record = json.loads((shipped / RECORD).read_text())
    assert record["kind"] == "calibrate" and not any("*" in f for f in record["files"])
    assert foreign_files(shipped) == []


# ---- issue 19, item 5: --out inside the package; names too long -------------------------------
@pytest.mark.parametrize("inside", ["package", "src"])
def test_out_inside_the_installation_is_refused(inside, capsys):
    import leverage_sim

    package = Path(leverage_sim.__file__).resolve().parent
    target = package / "results" if inside == "package" else package.parent / "results"
    if inside == "src" and package.parent.name != "src":
        pytest.skip("not a source checkout")
    assert cli(*RUN, "--out", target) == 2
    assert "inside the leverage-sim installation" in capsys.readouterr().err
    assert not target.exists()


def test_an_over_long_out_name_is_refused_up_front_naming_the_users_path(tmp_path, capsys):
    name = "r" * 250  # allowed by the file system, but not with ".NAME.partial" beside it
    assert cli(*RUN, "--out", tmp_path / name) == 2
    err = capsys.readouterr().err
    assert str(tmp_path / name) in err and "bytes" in err and ".lock" in err
    assert list(tmp_path.iterdir()) == []
