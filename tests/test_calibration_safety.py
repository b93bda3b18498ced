"""Issue 19, items 5-9, run as a user would: `leverage-sim calibrate` interrupted by Ctrl-C or
SIGTERM and resumed equals the uninterrupted run bit for bit; a finished calibration resumed is
a no-op; a failed start leaves nothing; a full disk is exit 2 and resumable; misspelled fact
arguments are refused before anything runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import yaml

from leverage_sim.cli.main import main
from tests.calibration_fixture import EXE, ROOT, tiny_config

CAL = ["calibrate", "--quick", "--executor", "serial"]


def calibrate(config: Path, out: Path, *extra: str) -> int:
    return main([*CAL[:1], str(config), *CAL[1:], "--out", str(out), "--quiet", *extra])


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tiny")
    config = tiny_config(folder)
    out = folder / "full"
    assert calibrate(config, out) == 0
    return config, out


def interrupted(config: Path, out: Path, sig: int, after: str) -> subprocess.CompletedProcess:
    """Start calibrate in a subprocess, send ``sig`` once stderr shows ``after``, wait."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([EXE, *CAL[:1], str(config), *CAL[1:], "--out", str(out)],
                            stderr=subprocess.PIPE, text=True, env=env)
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if after in line:
            proc.send_signal(sig)
            break
    err = "".join(seen) + proc.stderr.read()
    return subprocess.CompletedProcess(proc.args, proc.wait(timeout=120), "", err)


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "after", "code"), [  # Ctrl-C / SIGTERM at several points
    (signal.SIGINT, "generation 0:", 130),   # Ctrl-C in generation 0
    (signal.SIGTERM, "generation 1:", 143),  # SIGTERM in the last generation
])
def test_interrupted_calibration_resumes_to_the_uninterrupted_posterior(
        sig, after, code, uninterrupted, tmp_path):
    config, full = uninterrupted
    out = tmp_path / "cut"
    cut = interrupted(config, out, sig, after)
    if cut.returncode == 0:  # the signal came after the last candidate: nothing to resume
        pytest.skip("the calibration finished before the signal")
    assert cut.returncode == code, cut.stderr
    assert "Traceback" not in cut.stderr and "--resume" in cut.stderr
    # worded as the table method's stop (test_calibration_table)
    assert ("Interrupted: " if code == 130 else "Stopped by SIGTERM: ") in cut.stderr
    assert calibrate(config, out, "--resume") == 0
    for name in ("posterior.parquet", "diagnostics.csv"):
        a = pd.read_parquet(out / name) if name.endswith("parquet") else pd.read_csv(out / name)
        b = pd.read_parquet(full / name) if name.endswith("parquet") else pd.read_csv(full / name)
        pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_resume_of_a_finished_calibration_changes_nothing(uninterrupted, capsys):
    config, full = uninterrupted
    before = {p.name: p.stat().st_mtime_ns for p in full.iterdir()}
    assert calibrate(config, full, "--resume") == 0
    assert "holds a complete calibration" in capsys.readouterr().err
    assert {p.name: p.stat().st_mtime_ns for p in full.iterdir()} == before


@pytest.mark.parametrize("change", [
    {"episodes": ["june_2020_raid", "muslih_2021"]},  # a held-out episode
    {"episodes": ["no_such_episode"]},
    {"facts": ["june_2020_raid.no_such_fact"]},
])
def test_a_failed_start_leaves_nothing_and_the_corrected_command_works(change, tmp_path, capsys):
    out = tmp_path / "cal"
    assert calibrate(tiny_config(tmp_path, **change), out) == 2
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["tiny.yaml"]
    capsys.readouterr()


def test_a_start_that_fails_after_claiming_puts_an_old_folder_back(uninterrupted, tmp_path,
                                                                   monkeypatch, capsys):
    """--force over an old calibration, then the pool cannot start: the old folder is as it
    was, and nothing else is left beside it."""
    import shutil

    config, full = uninterrupted
    out = tmp_path / "cal"
    shutil.copytree(full, out)
    before = sorted(p.name for p in out.iterdir())

    def no_pool(*a, **k):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr("leverage_sim.calibration.run.make_executor", no_pool)
    assert calibrate(config, out, "--force") == 2
    assert sorted(p.name for p in out.iterdir()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cal"]
    capsys.readouterr()


@pytest.mark.parametrize("mine", ["my_figure.png", "notes.tmp", "history.db.bak"])
def test_force_never_deletes_a_users_file_beside_a_calibration(mine, uninterrupted, tmp_path,
                                                               capsys):
    """The record lists exact names (it said `*.png`, which claimed the user's figure)."""
    import shutil

    config, full = uninterrupted
    out = tmp_path / "cal"
    shutil.copytree(full, out)
    record = json.loads((out / ".leverage-sim.json").read_text())
    assert not [f for f in record["files"] if any(c in f for c in "*?[")]
    (out / mine).write_text("mine")
    assert calibrate(config, out, "--force") == 2
    assert mine in capsys.readouterr().err and (out / mine).read_text() == "mine"


def bad_episode(tmp_path: Path, **arguments) -> Path:
    raw = yaml.safe_load((ROOT / "episodes" / "june_2020_raid.yaml").read_text())
    fact = next(f for f in raw["facts"] if f["name"] == "kh_muster")
    fact["arguments"] = {**fact["arguments"], **arguments}
    path = tmp_path / "june_2020_raid.yaml"  # found before the shipped one, beside the config
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return path


@pytest.mark.parametrize(("arguments", "said"), [
    ({"action": "mustr"}, "action 'mustr' is not one of"),
    ({"actor": "KHH"}, "actor 'KHH'"),
    ({"target": "nowhere"}, "target 'nowhere'"),
    ({"start": "late June"}, "start 'late June' is not a date"),
])
@pytest.mark.parametrize("verb", ["calibrate", "validate-model"])
def test_fact_arguments_are_checked_before_anything_runs(arguments, said, verb, tmp_path,
                                                         capsys):
    episode = bad_episode(tmp_path, **arguments)
    if verb == "calibrate":
        code = calibrate(tiny_config(tmp_path), tmp_path / "out")
    else:
        code = main(["validate-model", str(episode), "-n", "2", "-q"])
    err = capsys.readouterr().err
    assert code == 2 and said in err and str(episode) in err and "kh_muster" in err
    assert not (tmp_path / "out").exists()


def test_summary_value_of_a_missing_column_is_refused_up_front(tmp_path, capsys):
    raw = yaml.safe_load((ROOT / "episodes" / "june_2020_raid.yaml").read_text())
    raw["facts"][0] = {**raw["facts"][0], "statistic": "summary_value",
                       "arguments": {"column": "us_withdrawnn"}}
    path = tmp_path / "episodes" / "june_2020_raid.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    assert main(["validate-model", str(path), "-n", "2", "-q"]) == 2
    err = capsys.readouterr().err
    assert "column 'us_withdrawnn'" in err and "us_withdrawn" in err and str(path) in err


def test_every_action_the_model_logs_is_known_to_the_statistics():
    import re

    from leverage_sim.calibration.statistics import LOGGED_ACTIONS

    source = "".join(p.read_text() for p in (ROOT / "src" / "leverage_sim").rglob("*.py"))
    logged = set(re.findall(r"\.record\(\s*[^,()]+,\s*\"([a-z_]+)\"", source))
    assert logged and logged <= set(LOGGED_ACTIONS)


# ---- item 7: a full disk ----------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path):
    """A real 2 MB tmpfs (root only); skipped where mounting is impossible."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs",
                                            str(mount)], check=False, capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.slow
def test_a_full_disk_during_calibrate_is_exit_2_and_the_folder_resumes(small_disk, tmp_path):
    config = tiny_config(tmp_path)
    out = small_disk / "cal"
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    (small_disk / "ballast").write_bytes(b"\0" * (free - 100_000))  # room for a generation
    run = subprocess.run([EXE, *CAL[:1], str(config), *CAL[1:], "--out", str(out), "--quiet"],
                         check=False, capture_output=True, text=True, timeout=300)
    assert run.returncode == 2, run.stderr
    assert "Disk full at" in run.stderr and "Traceback" not in run.stderr
    assert "sqlalchemy" not in run.stderr.lower()
    (small_disk / "ballast").unlink()
    if not out.exists():  # the disk filled before the first generation: nothing to keep
        return
    again = subprocess.run([EXE, *CAL[:1], str(config), *CAL[1:], "--out", str(out), "--quiet",
                            "--resume"], check=False, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert json.loads((out / "manifest.json").read_text())["status"] == "complete"
