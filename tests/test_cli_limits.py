"""One set of argument rules for every verb, size limits, Dask without workers, and a Ctrl-C
acted on between chunks (issue 12, items 11, 12, 13, 16)."""

import json
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import leverage_sim as ls
from leverage_sim.cli.main import main
from leverage_sim.errors import InputError
from leverage_sim.scenario import limits
from leverage_sim.simulation import runner
from leverage_sim.sweep import SweepSpec, load_sweep, run_sweep
from leverage_sim.sweep.storage import SweepStore
from tests.sweep_fixture import until_a_part_is_stored

RUN = ["run", "june_2020_replay", "-n", "2", "-q", "--set", "horizon_days=55"]
COMPARE = ["compare", "june_2020_replay", "kh_decapitated", "-n", "2", "-q", "--set",
           "horizon_days=55"]
SWEEP = ["sweep", "june_2020_replay", "--param", "foreign_forces.backing=0,1", "-n", "2", "-q",
         "--set", "horizon_days=55", "--executor", "serial"]


def cli(*args):
    try:
        return main([str(a) for a in args])
    except SystemExit as e:  # argparse: usage errors
        return e.code


# ---- item 13: the same rules for every verb -----------------------------------------------------
@pytest.mark.parametrize("verb", [RUN, COMPARE, SWEEP])
@pytest.mark.parametrize("bad", [["--seed", "-1"], ["--seed", str(2**63)], ["--seed", "x"],
                                 ["-n", "0"], ["-n", "-3"]])
def test_seeds_and_replications_follow_one_rule(verb, bad, tmp_path, capsys):
    assert cli(*verb, *bad, "--out", tmp_path / "out") == 2
    err = capsys.readouterr().err
    assert "internal error" not in err and ("0 to 2**63-1" in err or "at least 1" in err
                                            or "not a whole number" in err), err
    assert not (tmp_path / "out").exists()


def test_largest_seed_is_accepted_everywhere(capsys):
    top = str(limits.SEED_MAX)
    assert cli(*RUN, "--seed", top) == 0
    assert f"master seed {top}" in capsys.readouterr().out
    with pytest.raises(InputError, match="0 to 2"):
        ls.run("june_2020_replay", 1, seed=2**70)
    with pytest.raises(InputError, match="at least 1"):
        ls.run("june_2020_replay", 0)


@pytest.mark.parametrize("bad", [["--chunk-size", "-5"], ["--chunk-size", "0"], ["--every", "0"],
                                 ["--workers", "0"], ["--worker-timeout", "0"],
                                 ["--design", "sobol", "--param", "patron.instigation=0:1",
                                  "--samples", "3"],
                                 ["--timeseries", "--executor", "serial", "--workers", "2"],
                                 ["--every", "7"]])
def test_sweep_options_are_checked_before_any_folder_exists(bad, tmp_path, capsys):
    args = [*SWEEP, "--out", tmp_path / "out", *bad]
    assert cli(*args) == 2
    err = capsys.readouterr().err
    assert "internal error" not in err and "error" in err, err
    assert not (tmp_path / "out").exists()  # nothing blocks a retry


def test_sobol_samples_power_of_two_is_said():
    with pytest.raises(InputError, match="power of 2.*use 2 or 4"):
        SweepSpec.from_cli("june_2020_replay", ["patron.instigation=0:1"], design="sobol",
                           samples=3)


def test_resume_refuses_options_it_would_ignore(tmp_path, capsys):
    out = tmp_path / "s"
    assert cli(*SWEEP, "--out", out) == 0
    for extra in (["--timeseries"], ["-n", "5"], ["--param", "patron.instigation=0.1"],
                  ["--seed", "4"], ["--set", "horizon_days=60"], ["--posterior", "none"]):
        assert cli("sweep", "--resume", "--out", out, *extra) == 2
        assert "would be ignored" in capsys.readouterr().err
    assert cli("sweep", "--resume", "--out", out, "-q", "--executor", "serial") == 0


def test_a_failed_start_leaves_no_folder(tmp_path, capsys):
    out = tmp_path / "s"
    assert cli(*SWEEP[:-2], "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9",
               "--out", out) == 2
    assert "Cannot reach the Dask scheduler" in capsys.readouterr().err
    assert not out.exists() and list(tmp_path.iterdir()) == []
    assert cli(*SWEEP, "--out", out) == 0  # the retry just works


# ---- item 11: limits -----------------------------------------------------------------------------
def test_seeds_are_spawned_lazily_but_equal_to_spawn():
    expect = [int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
              for c in np.random.SeedSequence(7).spawn(5)]
    assert runner.replication_seeds(7, 5) == expect


def test_run_too_large_for_memory_is_refused_with_the_sweep_to_use(monkeypatch, capsys):
    ran = []
    real = runner.run_one
    monkeypatch.setattr(runner, "run_one", lambda *a: ran.append(1) or real(*a))
    monkeypatch.setattr(runner, "run_memory_limit", lambda: 100_000)  # bytes
    assert cli(*RUN[:3], "10000000", *RUN[4:]) == 2
    err = capsys.readouterr().err
    assert "10,000,000 replications of 'june_2020_replay' would hold about" in err
    assert len(ran) == 1  # measured on the first replication; nothing else ran
    assert "`leverage-sim sweep june_2020_replay --param horizon_days=" in err


def test_suggested_sweep_command_runs(tmp_path):
    with pytest.raises(InputError) as e:
        ls.run("june_2020_replay", 50, memory_limit=1)
    args = str(e.value).split("`leverage-sim ")[1].split("`")[0].split()
    args[args.index("--replications") + 1] = "2"
    args[args.index("DIR")] = str(tmp_path / "s")
    assert cli(*args, "-q", "--executor", "serial") == 0
    assert len(load_sweep(tmp_path / "s")) == 2


def test_absurd_sweep_is_refused_before_planning(tmp_path, capsys):
    assert cli(*SWEEP[:5], "5000000", *SWEEP[6:], "--param", "patron.instigation=0:1:3",
               "--out", tmp_path / "s") == 2
    assert "30,000,000 runs; one sweep plans at most 10,000,000" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()


# ---- item 12: Dask without workers -----------------------------------------------------------------
def test_dask_scheduler_without_workers_times_out_resumably(tmp_path):
    from dask.distributed import LocalCluster

    spec = SweepSpec.from_cli("june_2020_replay", ["foreign_forces.backing=0,1"],
                              replications=1000, seed=2, overrides={"horizon_days": 55})
    out = tmp_path / "dask"
    with LocalCluster(n_workers=0, dashboard_address=":0") as cluster, \
            pytest.raises(InputError) as e:
        run_sweep(spec, out, executor="dask", scheduler=cluster.scheduler_address,
                  worker_timeout=2)
    msg = str(e.value)
    assert "no worker for 2 s" in msg and f"--resume --out {out}" in msg
    progress = json.loads((out / "manifest.json").read_text())["progress"]
    assert progress["status"] == "interrupted" and progress["done"] == len(load_sweep(out))
    run_sweep(None, out, resume=True, executor="serial")
    assert load_sweep(out)["run_id"].tolist() == list(range(2000))


# ---- item 16: Ctrl-C is acted on between chunks ----------------------------------------------------
@pytest.fixture
def ctrl_c_raises():
    """SIGINT raising KeyboardInterrupt, as at a terminal, for the test's duration: a process
    started in the background by a non-interactive shell (a CI job, ``make test &``) inherits
    SIGINT ignored, and so do pytest's workers; the sweep then, rightly, leaves Ctrl-C alone."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.usefixtures("ctrl_c_raises")
def test_ctrl_c_while_a_chunk_is_being_saved_keeps_the_count_exact(tmp_path, monkeypatch):
    real = SweepStore.write_chunk
    saved = []

    def save_then_ctrl_c(self, summary, ts):
        real(self, summary, ts)
        saved.append(summary.num_rows)
        if len(saved) == 3:  # Ctrl-C right after the part is stored, before it is counted
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(SweepStore, "write_chunk", save_then_ctrl_c)
    spec = SweepSpec.from_cli("june_2020_replay", ["foreign_forces.backing=0,1"],
                              replications=20, seed=2, overrides={"horizon_days": 55})
    out = tmp_path / "s"
    with pytest.raises(KeyboardInterrupt):
        run_sweep(spec, out, executor="serial", chunk_size=2)
    progress = json.loads((out / "manifest.json").read_text())["progress"]
    assert progress["status"] == "interrupted"
    assert progress["done"] == len(load_sweep(out)) == sum(saved) < 40


def test_sigterm_marks_a_sweep_interrupted(tmp_path):
    out = tmp_path / "s"
    cmd = [str(Path(sys.executable).parent / "leverage-sim"), *SWEEP[:5], "1000",
           *SWEEP[6:-2], "--chunk-size", "2", "--workers", "2", "--out", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    manifest = out / "manifest.json"
    until_a_part_is_stored(proc, out)
    proc.terminate()
    err = proc.communicate(timeout=60)[1]
    assert proc.returncode == 143 and "Traceback" not in err, err
    assert json.loads(manifest.read_text())["progress"]["status"] == "interrupted"
    assert f"--resume --out {out}" in err
