"""Running sweeps: identical tables across executors, errors recorded, retries, resume after a
kill, rerun of a single run, and the results API."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pyarrow.parquet as pq
import pytest
from scipy.stats import binomtest

import leverage_sim as ls
from leverage_sim.cli.main import main as cli
from leverage_sim.errors import InputError
from leverage_sim.simulation import executors, worker
from leverage_sim.simulation.executors import LocalExecutor, SerialExecutor
from leverage_sim.simulation.runner import SUMMARY_COLUMNS
from leverage_sim.sweep import (
    SweepSpec,
    design_problem,
    engine,
    load_sweep,
    run_sweep,
    summarise,
)

ROOT = Path(__file__).resolve().parents[1]
SHORT = {"horizon_days": 60}  # past the 25 June raid (day 49); keeps the suite fast


def small_spec(**kw):
    return SweepSpec.from_cli("june_2020_replay", ["foreign_forces.backing=0:1:3",
                                                   "patron.instigation=0.2,0.8"],
                              replications=4, seed=11, overrides=SHORT,
                              posterior="none", **kw)  # the scenario's own values


@pytest.fixture(scope="module")
def serial_dir(tmp_path_factory):
    spec = small_spec(timeseries=True, every=7)
    return run_sweep(spec, tmp_path_factory.mktemp("sweep") / "serial", executor="serial")


def test_table_has_every_run_with_parameters_seeds_and_summaries(serial_dir):
    df = load_sweep(serial_dir)
    assert df["run_id"].tolist() == list(range(24))
    assert (df["point_id"] == df["run_id"] // 4).all()
    assert (df["replication"] == df["run_id"] % 4).all()
    assert df["seed"].is_unique and df["error"].isna().all()
    assert df.attrs["parameters"] == ["foreign_forces.backing", "patron.instigation"]
    expected = ["run_id", "point_id", "replication", "seed", "foreign_forces.backing",
                "patron.instigation", *[c for c in SUMMARY_COLUMNS
                                        if c not in ("replication", "seed")], "error"]
    assert df.columns.tolist() == expected
    manifest = json.loads((serial_dir / "manifest.json").read_text())
    assert manifest["progress"]["status"] == "complete" and manifest["progress"]["done"] == 24
    assert manifest["package_version"] == ls.__version__ and manifest["seeds"]["master"] == 11


def test_a_sweep_row_is_what_run_one_gives_for_its_seed(serial_dir):
    df = load_sweep(serial_dir)
    row = df.iloc[13]
    sc = ls.load_scenario("june_2020_replay", {**SHORT, "foreign_forces.backing": 0.5,
                                               "patron.instigation": 0.8})
    assert (row["foreign_forces.backing"], row["patron.instigation"]) == (0.5, 0.8)
    summary = ls.run_one(sc, int(row["seed"]), int(row["replication"])).summary
    assert {k: row[k] for k in summary} == summary


def test_timeseries_are_thinned_and_keyed_by_run(serial_dir):
    ts = pd.read_parquet(serial_dir / "timeseries")
    assert set(ts["run_id"]) == set(range(24))
    assert set(ts["day"]) == set(range(0, 60, 7))
    assert {"point_id", "replication", "seed", "attacks", "date"} <= set(ts.columns)


def test_same_seed_identical_tables_across_serial_local_and_dask(serial_dir, tmp_path):
    expected = load_sweep(serial_dir)
    spec = small_spec()
    local = load_sweep(run_sweep(spec, tmp_path / "local", executor="local", workers=2,
                                 chunk_size=3))
    pd.testing.assert_frame_equal(local, expected)
    dask = load_sweep(run_sweep(spec, tmp_path / "dask", executor="dask", workers=2,
                                chunk_size=5))
    pd.testing.assert_frame_equal(dask, expected)
    other = load_sweep(run_sweep(small_spec().with_changes(seed=12), tmp_path / "other",
                                 executor="serial"))
    assert not other["attacks"].equals(expected["attacks"])


@pytest.mark.skipif(sys.platform != "linux", reason="fork is used on Linux only")
def test_local_pool_forks_only_when_no_other_python_thread_runs(serial_dir, tmp_path):
    """A script forks its workers; a process running threads (a Jupyter kernel) starts them
    from the fork server instead. Same tables either way."""
    idle = threading.Event()
    helper = threading.Thread(target=idle.wait)
    try:
        helper.start()
        assert executors.start_method() == "forkserver"
        pool = LocalExecutor(2)
        assert not pool.warm
        pool.shutdown()
        threaded = load_sweep(run_sweep(small_spec(), tmp_path / "nb", workers=2, chunk_size=3))
    finally:
        idle.set()
        helper.join()
    pd.testing.assert_frame_equal(threaded, load_sweep(serial_dir))
    if threading.active_count() == 1:  # other tests (Dask) may have left idle threads behind
        assert executors.start_method() == "fork"


def test_a_worker_that_dies_is_replaced_and_its_chunk_run_again(serial_dir, tmp_path,
                                                                  monkeypatch):
    """A real worker process exits mid-chunk (forked workers inherit the patched function)."""
    died = tmp_path / "died"
    real = worker.run_tables

    def die_once(*args):
        if not died.exists():
            died.touch()
            os._exit(1)
        return real(*args)

    monkeypatch.setattr(executors, "start_method", lambda: "fork")
    monkeypatch.setattr(worker, "run_tables", die_once)
    df = load_sweep(run_sweep(small_spec(), tmp_path / "s", workers=2, chunk_size=3))
    assert died.exists()
    pd.testing.assert_frame_equal(df, load_sweep(serial_dir))


def test_an_invalid_combination_is_refused_before_running(tmp_path):
    # Each share alone is valid; only both at 0.6 exceed the patron's total support (0.6 + 0.6 + 0.3 > 1).
    spec = SweepSpec.from_cli("june_2020_replay", ["militias[KH].patron_support_share=0.1,0.6",
                                                   "militias[AAH].patron_support_share=0.1,0.6"],
                              replications=3, seed=2, overrides=SHORT)
    with pytest.raises(InputError, match=r"design point 3 .*patron_support_share sum to 1\.50"):
        run_sweep(spec, tmp_path / "s", executor="serial")
    assert not (tmp_path / "s").exists()


def test_failing_runs_are_recorded_with_seed_not_fatal(tmp_path, monkeypatch):
    from leverage_sim.simulation import worker

    def fail_at_point_3(scenario, *args):
        shares = {m.name: m.patron_support_share for m in scenario.militias}
        if shares["KH"] == shares["AAH"] == 0.3:
            raise RuntimeError("model failure at point 3")
        return run_tables(scenario, *args)

    run_tables = worker.run_tables
    monkeypatch.setattr(worker, "run_tables", fail_at_point_3)
    spec = SweepSpec.from_cli("june_2020_replay", ["militias[KH].patron_support_share=0.1,0.3",
                                                   "militias[AAH].patron_support_share=0.1,0.3"],
                              replications=3, seed=2, overrides=SHORT)
    out = run_sweep(spec, tmp_path / "s", executor="serial")
    df = load_sweep(out)
    bad = df[df["error"].notna()]
    assert bad["point_id"].unique().tolist() == [3] and len(bad) == 3
    assert bad["error"].str.contains("RuntimeError: model failure at point 3").all()
    assert bad["seed"].notna().all() and bad["attacks"].isna().all()
    assert df.loc[df["error"].isna(), "attacks"].notna().all() and len(df) == 12
    summ = summarise(df, outcomes=["attacks"])
    assert summ.loc[3, ["n", "errors"]].tolist() == [0, 3]
    # the manifest counts them as chunks land, and from the stored parts on resume
    for _ in range(2):
        progress = json.loads((out / "manifest.json").read_text())["progress"]
        assert (progress["errors"], progress["done"]) == (3, 12)
        run_sweep(None, out, resume=True)


def test_workers_let_finished_models_go(serial_dir):
    """Mesa 3.3 keeps every model alive (Agent._ids); sweep workers must not grow per run."""
    import mesa

    from leverage_sim.simulation.worker import run_chunk
    from leverage_sim.sweep.engine import load_plan
    from leverage_sim.sweep.storage import SweepStore

    plan, _ = load_plan(SweepStore(serial_dir))
    held = len(getattr(mesa.Agent, "_ids", {}))
    run_chunk(plan.chunk([0, 1, 2]))
    assert len(getattr(mesa.Agent, "_ids", {})) == held


class FlakyExecutor(SerialExecutor):
    """Loses its first ``fail`` tasks as if the worker process had died."""

    def __init__(self, fail):
        self.fail, self.restarts = fail, 0

    def submit(self, fn, *args, **kwargs):
        if self.fail:
            self.fail -= 1
            f = Future()
            f.set_exception(BrokenProcessPool("a worker died"))
            return f
        return super().submit(fn, *args, **kwargs)

    def restart(self):
        self.restarts += 1


def test_dead_worker_is_retried_then_recorded(tmp_path, monkeypatch, serial_dir):
    flaky = FlakyExecutor(fail=2)
    monkeypatch.setattr(engine, "make_executor", lambda *a: flaky)
    df = load_sweep(run_sweep(small_spec(), tmp_path / "a", chunk_size=5))
    assert flaky.restarts >= 1
    pd.testing.assert_frame_equal(df, load_sweep(serial_dir))  # nothing lost or duplicated
    flaky = FlakyExecutor(fail=engine.MAX_TRIES)
    monkeypatch.setattr(engine, "make_executor", lambda *a: flaky)
    with pytest.raises(InputError, match="Every one of the 24 runs .* worker failed 3 times"):
        run_sweep(small_spec(), tmp_path / "b", chunk_size=30)  # every run failed: it says so
    df = load_sweep(tmp_path / "b")  # and keeps the error rows
    assert df["error"].str.startswith("worker failed 3 times").all() and len(df) == 24


def test_resume_after_kill_runs_exactly_the_missing_runs(tmp_path):
    out = tmp_path / "killed"
    cmd = [str(Path(sys.executable).parent / "leverage-sim"), "sweep", "june_2020_replay",
           "--param", "foreign_forces.backing=0:1:5", "--set", "horizon_days=60",
           "--replications", "400", "--seed", "3", "--workers", "2", "--chunk-size", "2",
           "--out", str(out), "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while len(list((out / "summary").glob("part-*.parquet"))) < 4:
            assert proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.02)
        helpers = psutil.Process(proc.pid).children(recursive=True)  # fork server, workers
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    _, alive = psutil.wait_procs(helpers, timeout=20)
    assert not alive  # the workers noticed and exited; nothing is left running
    before = load_sweep(out)
    assert 0 < len(before) < 2000  # really interrupted mid-way
    assert cli(["sweep", "--resume", "--out", str(out), "--quiet", "--executor", "serial"]) == 0
    after = load_sweep(out)
    assert after["run_id"].tolist() == list(range(2000))  # complete, no duplicates
    kept = after.set_index("run_id").loc[before["run_id"]].reset_index()
    pd.testing.assert_frame_equal(kept, before)  # nothing recomputed
    # the resumed sweep equals one that was never interrupted
    fresh = tmp_path / "fresh"
    i = cmd.index("--workers")
    serial = cmd[1:i] + cmd[i + 2:-3]  # the serial executor takes no --workers
    assert cli([*serial, "--out", str(fresh), "--quiet", "--executor", "serial"]) == 0
    pd.testing.assert_frame_equal(after, load_sweep(fresh))
    assert json.loads((out / "manifest.json").read_text())["progress"]["status"] == "complete"


def test_ctrl_c_keeps_finished_chunks_and_says_how_to_resume(tmp_path):
    # This failed about once in 200 when the signal landed between a part's rename and the
    # count (or inside pool.submit): Ctrl-C is now acted on between chunks, and the stopped
    # sweep's count is taken from the stored parts (test_cli_limits pins that moment).
    out = tmp_path / "interrupted"
    args = ["sweep", "june_2020_replay", "--param", "foreign_forces.backing=0,1", "--set",
            "horizon_days=60", "--replications", "1000", "--workers", "2", "--chunk-size", "2",
            "--out", str(out)]  # 2,000 runs in 1,000 chunks: far from done when interrupted
    # Ctrl-C as a terminal sends it: SIGINT raising KeyboardInterrupt (restored explicitly, as
    # processes started from a non-interactive shell or test runner may inherit it ignored)
    code = ("import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
            "from leverage_sim.cli.main import main; sys.exit(main(sys.argv[1:]))")
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    while len(list((out / "summary").glob("part-*.parquet"))) < 3:
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    err = proc.communicate(timeout=60)[1]
    progress = json.loads((out / "manifest.json").read_text())["progress"]
    assert proc.returncode == 130 and "Traceback" not in err
    assert f"Resume with `leverage-sim sweep --resume --out {out}`" in err
    assert progress["status"] == "interrupted"
    assert len(load_sweep(out)) == progress["done"] < 2000  # every finished chunk kept
    assert cli(["sweep", "--resume", "--out", str(out), "--quiet", "--executor", "serial"]) == 0
    assert load_sweep(out)["run_id"].tolist() == list(range(2000))


def test_an_abandoned_local_pool_leaves_no_thread_nor_worker_behind():
    """shutdown(wait=False), as a stopped sweep or calibration calls it, ends a running task's
    worker and joins the pool's manager thread: a thread left running raced CPython's exit hook
    (a traceback, "Bad file descriptor", printed after the Ctrl-C test above had passed)."""
    pool = LocalExecutor(1)
    busy = pool.submit(time.sleep, 600)  # a task nobody will wait for
    inner = pool._pool
    while not any(p.is_alive() for p in (inner._processes or {}).values()):
        time.sleep(0.02)
    manager, workers = inner._executor_manager_thread, list(inner._processes.values())
    pool.shutdown(wait=False, cancel_futures=True)
    assert not manager.is_alive()
    assert not any(p.is_alive() for p in workers)
    assert busy.done()


WORKER_SIGTERM = """
import signal, sys
from leverage_sim.simulation.executors import LocalExecutor, start_method
def handler_is_default():
    return signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # as the command line installs it
method = start_method()  # before the pool's own threads start
pool = LocalExecutor(1)
print(method, pool.submit(handler_is_default).result())
pool.shutdown()
"""


def test_a_forked_worker_does_not_inherit_the_command_lines_sigterm_handler():
    """The command line turns SIGTERM into SystemExit (cleanup runs). A forked worker that
    inherited that handler raised SystemExit wherever it was when a stopped sweep ended it;
    inside a compile of the fast path that printed a traceback after "Sweep stopped" (seen
    under load in test_sigterm_marks_a_sweep_interrupted). Workers stop at once instead."""
    done = subprocess.run([sys.executable, "-c", WORKER_SIGTERM], capture_output=True,
                          text=True, timeout=300, check=True)
    assert done.stdout.split() == ["fork", "True"], done.stderr


def test_resume_refuses_a_different_sweep_and_existing_out_needs_force(serial_dir, tmp_path):
    with pytest.raises(InputError, match="holds a different sweep.*replications"):
        run_sweep(small_spec().with_changes(replications=5), serial_dir, resume=True)
    with pytest.raises(InputError, match="already exists.*--force"):
        run_sweep(small_spec(), serial_dir, executor="serial")
    with pytest.raises(InputError, match="is not a sweep folder"):
        run_sweep(None, tmp_path, resume=True)


def test_a_sweep_of_another_model_is_not_resumed_nor_returned_as_current(tmp_path):
    """Runs of the current model are never added to, nor read as, a sweep that ran on another
    version of the model: resume refuses it (the fix named); ensure_sweep refuses it too, or
    with rerun_stale runs it anew (a folder used as a cache, as the notebooks' are)."""
    from leverage_sim.analysis import ensure_sweep
    from leverage_sim.simulation import model_fingerprint

    spec = small_spec().with_changes(replications=1)
    out = run_sweep(spec, tmp_path / "s", executor="serial")
    manifest_path = out / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    assert manifest["model_fingerprint"] == model_fingerprint.fingerprint()
    assert ensure_sweep(spec, out, executor="serial") == out  # same model: resumed, nothing run
    for recorded in ({"code": "0" * 64, "behaviour": "1" * 64}, None):
        manifest["model_fingerprint"] = recorded
        manifest_path.write_text(json.dumps(manifest))
        for resume in (lambda: run_sweep(None, out, resume=True, executor="serial"),
                       lambda: ensure_sweep(spec, out, executor="serial")):
            with pytest.raises(InputError, match="another version of the model.*--force"):
                resume()
    ensure_sweep(spec, out, executor="serial", rerun_stale=True)
    assert json.loads(manifest_path.read_text())["model_fingerprint"] == \
        model_fingerprint.fingerprint()
    runs = load_sweep(out)
    assert runs["error"].isna().all() and len(runs) == 6  # 3 x 2 points, 1 replication


def test_a_cached_sweep_whose_posterior_changed_is_run_anew(tmp_path):
    """A sweep that drew from a posterior that has changed since (a refit) is not resumed:
    resuming refuses it, ensure_sweep with rerun_stale runs it anew (the notebooks' cached
    sweeps: a refit that left the behaviour digest's runs alone made them fail)."""
    import shutil

    from leverage_sim.analysis import ensure_sweep

    posterior = shutil.copytree(ROOT / "calibration" / "default", tmp_path / "posterior")
    spec = SweepSpec.from_cli("june_2020_replay", ["foreign_forces.backing=0,1"],
                              replications=1, seed=11, overrides=SHORT,
                              posterior=str(posterior))
    out = run_sweep(spec, tmp_path / "s", executor="serial")
    before = json.loads((out / "manifest.json").read_text())["posterior"]["sha256"]
    table = pd.read_parquet(posterior / "posterior.parquet")  # a refit: other particles
    table.iloc[::-1].reset_index(drop=True).to_parquet(posterior / "posterior.parquet")
    with pytest.raises(InputError, match="has changed since"):
        ensure_sweep(spec, out, executor="serial")
    ensure_sweep(spec, out, executor="serial", rerun_stale=True)
    after = json.loads((out / "manifest.json").read_text())["posterior"]["sha256"]
    assert after != before and len(load_sweep(out)) == 2
    assert load_sweep(out)["error"].isna().all()


def test_rerun_reproduces_the_stored_row_and_detects_a_change(serial_dir, tmp_path, capsys):
    assert cli(["rerun", str(serial_dir), "--run-id", "17"]) == 0
    out = capsys.readouterr().out
    assert "Run 17 reproduced: identical to the stored row." in out
    df = load_sweep(serial_dir)
    assert f"seed                 {df.loc[17, 'seed']}" in out
    # tamper with a copy of the stored results: rerun must notice
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(serial_dir, copy)
    part = next(p for p in sorted((copy / "summary").glob("*.parquet"))
                if 17 in pq.read_table(p)["run_id"].to_pylist())
    t = pq.read_table(part).to_pandas()
    t.loc[t["run_id"] == 17, "attacks"] += 1
    t.to_parquet(part, index=False)
    assert cli(["rerun", str(copy), "--run-id", "17"]) == 3  # not reproduced
    assert "DIFFERS from the stored row in attacks" in capsys.readouterr().out
    assert cli(["rerun", str(serial_dir), "--run-id", "999"]) == 2


def test_summarise_shares_use_exact_binomial_intervals():
    df = pd.DataFrame({"p": [0] * 20 + [1] * 20, "held_firm": [1] * 7 + [0] * 13 + [0] * 20,
                       "attacks": np.arange(40.0), "error": None})
    s = summarise(df, outcomes=["held_firm>0", "attacks"], by=["p"], level=0.9)
    ci = binomtest(7, 20).proportion_ci(confidence_level=0.9, method="exact")
    assert s.loc[0, "held_firm>0_share"] == 0.35
    assert (s.loc[0, "held_firm>0_low"], s.loc[0, "held_firm>0_high"]) == pytest.approx(
        (ci.low, ci.high))
    assert (s.loc[1, "held_firm>0_low"], s.loc[1, "held_firm>0_share"]) == (0.0, 0.0)
    assert s.loc[1, "attacks_mean"] == 29.5 and s.loc[1, "attacks_median"] == 29.5
    assert s.loc[1, "attacks_low"] < 29.5 < s.loc[1, "attacks_high"]
    q = summarise(df, outcomes=["attacks"], by=["p"], interval="quantile")
    assert q.loc[0, "attacks_low"] == pytest.approx(np.quantile(np.arange(20.0), 0.05))
    with pytest.raises(InputError, match="no column 'nope'"):
        summarise(df, outcomes=["nope>0"], by=["p"])


def test_default_summary_groups_by_parameter_point(serial_dir):
    s = summarise(load_sweep(serial_dir))
    assert len(s) == 6 and (s["n"] == 4).all()
    assert {"relents>0_share", "us_withdrawn>0_high", "attacks_mean"} <= set(s.columns)


def test_design_problem_feeds_salib(tmp_path):
    from SALib.analyze import sobol

    spec = SweepSpec.from_cli("june_2020_replay", ["foreign_forces.backing=0:1",
                                                   "patron.instigation=0.1:0.9"],
                              design="sobol", samples=8, seed=5, overrides=SHORT)
    out = run_sweep(spec, tmp_path / "sobol", executor="local", workers=2)
    problem, X, Y = design_problem(out)
    assert X.shape == (8 * 4, 2) and len(Y) == 32 and Y.index.tolist() == list(range(32))
    points = pd.read_parquet(out / "points.parquet")
    assert np.allclose(points["patron.instigation"], 0.1 + 0.8 * X[:, 1])
    si = sobol.analyze(problem, Y["attacks"].to_numpy(), calc_second_order=False, seed=1)
    assert len(si["S1"]) == 2 and np.isfinite(si["ST"]).all()


def test_lazy_load_is_a_dataset(serial_dir):
    lazy = load_sweep(serial_dir, lazy=True)
    assert lazy.count_rows() == 24 and "attacks" in lazy.schema.names


def test_cli_sweep_prints_a_summary(tmp_path, capsys):
    sweep_file = tmp_path / "tiny.yaml"
    sweep_file.write_text("base: june_2020_replay\noverrides: {horizon_days: 60}\n"
                          "parameters: {foreign_forces.backing: {values: [0.0, 1.0]}}\n"
                          "replications: 3\nseed: 1\n")
    assert cli(["sweep", str(sweep_file), "--executor", "serial", "--replications", "2",
                "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert "Sweep tiny: grid design, 2 points × 2 replications = 4 runs" in out
    assert "held_firm>0" in out and "leverage_sim.load_sweep" in out


def test_an_interval_does_not_depend_on_the_other_outcomes_or_groups_summarised():
    """Each bootstrap interval is drawn afresh from the seed: summarising more outcomes, or
    fewer groups, leaves an outcome's interval where it was (it moved when a summary column
    was added before the fix)."""
    rng = np.random.default_rng(5)
    df = pd.DataFrame({"p": np.repeat([0, 1, 2], 30), "attacks": rng.poisson(4, 90),
                       "us_casualties": rng.poisson(1, 90), "error": None})
    alone = summarise(df, outcomes=["attacks"], by=["p"], seed=3)
    more = summarise(df, outcomes=["us_casualties", "attacks"], by=["p"], seed=3)
    subset = summarise(df[df["p"] == 2], outcomes=["attacks"], by=["p"], seed=3)
    cols = ["attacks_low", "attacks_high"]
    pd.testing.assert_frame_equal(alone[cols], more[cols])
    assert subset[cols].to_numpy().tolist() == alone.loc[alone["p"] == 2, cols].to_numpy().tolist()


def test_an_effects_interval_does_not_depend_on_the_other_measures(monkeypatch):
    """compare's paired bootstrap resamples the same replications for every measure: adding a
    measure to the report leaves the other effects' intervals unchanged."""
    from leverage_sim.analysis.comparison import compare
    from leverage_sim.outputs import report

    cmp = compare(["june_2020_replay", "june_2020_us_intervenes"], 30, seed=2,
                  posterior="none")
    before = cmp.effects().set_index("measure")
    monkeypatch.setattr(report, "OUTCOMES", {"extra": ("raids", "a raid"), **report.OUTCOMES})
    after = cmp.effects().set_index("measure")
    pd.testing.assert_frame_equal(before, after.drop(index="extra"))


def test_resume_rewrites_a_missing_design_from_the_stored_sweep(tmp_path, capsys):
    """A sweep folder that lost design.parquet (which sensitivity analysis reads) gets it back
    on --resume, byte for byte, with a line saying so; its runs are kept, none is rerun."""
    out = run_sweep(small_spec(), tmp_path / "s", executor="serial")
    design, runs = (out / "design.parquet").read_bytes(), load_sweep(out)
    (out / "design.parquet").unlink()
    assert run_sweep(None, out, resume=True, executor="serial") == out
    assert "Rewrote" in capsys.readouterr().err
    assert (out / "design.parquet").read_bytes() == design
    pd.testing.assert_frame_equal(load_sweep(out), runs)
