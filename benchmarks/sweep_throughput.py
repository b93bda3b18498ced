"""Sweep throughput, the model's per-run cost against a bare Mesa model, and sweep memory.

    .venv/bin/python benchmarks/sweep_throughput.py            # full (a few minutes on 2 cores)
    .venv/bin/python benchmarks/sweep_throughput.py --quick    # smaller, under a minute

1. The same design of the June 2020 replay (10 backing levels × 200 replications = 2,000 runs;
   --quick: × 40) three ways: our ``local`` executor on all cores (wall time including pool
   start-up and writing Parquet; as from a script, and as from a notebook, whose kernel runs
   threads), ``mesa.batch_run`` with the same number of processes, and a plain serial loop (no
   storage). Targets: ours ≥ 1.5× batch_run; parallel efficiency ours / (cores × serial) ≥ 90%.
2. Per-run cost of one replay run (summary only, as sweeps run it; and ``run_one`` with all
   tables) against a bare Mesa model with the same agents, steps and DataCollector. Target ≤ 4×.
3. Peak memory (resident, the sweep process plus all its workers, sampled with psutil in a
   separate process tree) of summary-only sweeps of growing size, up to 50,000 runs
   (--quick: 10,000): it must stay flat (streaming) and well under 1 GB.
"""

from __future__ import annotations

import argparse
import inspect
import multiprocessing as mp
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import mesa
import psutil
from bench_models import REPLAY, ReplayBatch, bare_run, replay

from leverage_sim.simulation.executors import default_workers
from leverage_sim.simulation.runner import release, run_one, simulate
from leverage_sim.simulation.worker import Run, run_tables
from leverage_sim.sweep import SweepSpec, run_sweep
from leverage_sim.sweep.engine import plan_sweep

LEVELS = 10
BACKINGS = [i / (LEVELS - 1) for i in range(LEVELS)]
"""The design's backing levels (``0:1:LEVELS``), by point_id."""


def spec(replications: int) -> SweepSpec:
    """backing 0, 1/9, ..., 1 × ``replications``."""
    return SweepSpec.from_cli(REPLAY, [f"foreign_forces.backing=0:1:{LEVELS}"],
                              replications=replications, seed=1)


def ours(replications: int, cores: int, threaded: bool = False) -> float:
    """Wall time of one sweep. ``threaded``: with another Python thread alive, as in a Jupyter
    kernel, so the pool starts from the fork server instead of forking this process."""
    idle = threading.Event()
    helper = threading.Thread(target=idle.wait)
    if threaded:
        helper.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            run_sweep(spec(replications), Path(tmp) / "s", executor="local", workers=cores)
            return time.perf_counter() - t
    finally:
        idle.set()
        if threaded:
            helper.join()


def first_sweep(replications: int, cores: int, threaded: bool = False) -> float:
    """Wall time of :func:`ours` as the first sweep of a new Python process (a CLI call, a fresh
    notebook kernel), imports excluded."""
    code = f"import sweep_throughput as b; print(b.ours({replications}, {cores}, {threaded}))"
    done = subprocess.run([sys.executable, "-c", code], cwd=HERE, check=True, text=True,
                          capture_output=True, env={**os.environ, "CI": "true"})
    return float(done.stdout.split()[-1])


def batch(replications: int, cores: int) -> float:
    """Wall time of ``mesa.batch_run`` over the same design with seeds 0..replications-1:
    Mesa 3.5 takes them as ``rng`` and returns a row per militia of each run, Mesa 3.3 as a
    ``seed`` parameter, a row per run. Runs stop at the horizon (``model.running``)."""
    seeds = range(replications)
    if "rng" in inspect.signature(mesa.batch_run).parameters:
        params, extra = {"backing": BACKINGS}, {"rng": seeds}
    else:
        params, extra = {"backing": BACKINGS, "seed": seeds}, {}
    t = time.perf_counter()
    rows = mesa.batch_run(ReplayBatch, params, number_processes=cores, display_progress=False,
                          max_steps=replay(0.0).horizon_days, **extra)
    elapsed = time.perf_counter() - t
    assert len({r["RunId"] for r in rows}) == LEVELS * replications
    assert {r["day"] for r in rows} == {replay(0.0).horizon_days - 1}
    return elapsed


def _plain_loop(runs: list[Run]) -> None:
    for r in runs:
        run_tables(replay(BACKINGS[r.point_id]), r.seed, r.replication, None)


def _loaded_runs(replications: int) -> list[Run]:
    """The sweep's runs, with the scenario of every point loaded (cached) beforehand."""
    plan = plan_sweep(spec(replications))[0]
    runs = [plan.run(i) for i in range(plan.n_runs)]
    _plain_loop(runs[:LEVELS])
    return runs


def serial(replications: int) -> float:
    """The plain loop over the sweep's runs in this process (summary only, nothing stored)."""
    runs = _loaded_runs(replications)
    t = time.perf_counter()
    _plain_loop(runs)
    return time.perf_counter() - t


def split_loop(replications: int, cores: int) -> float:
    """The machine's ceiling: the plain loop split over ``cores`` processes forked from this
    one (no pool, no storage, nothing sent back)."""
    runs = _loaded_runs(replications)
    context = mp.get_context("fork")
    t = time.perf_counter()
    parts = [context.Process(target=_plain_loop, args=(runs[i::cores],)) for i in range(cores)]
    for part in parts:
        part.start()
    for part in parts:
        part.join()
    return time.perf_counter() - t


def per_run_ms(fn, n: int) -> float:
    fn(0)  # warm-up
    t = time.perf_counter()
    for i in range(1, n + 1):
        fn(i)
    return (time.perf_counter() - t) / n * 1000


def _footprint(p: psutil.Process) -> int:
    """Proportional set size where the OS reports it (pages that forked processes share are
    split among them, not counted once per process), else resident size."""
    info = p.memory_full_info()
    return getattr(info, "pss", info.rss)


def peak_memory_mb(runs: int, cores: int) -> tuple[float, float, float]:
    """(peak of sweep + workers, peak of the sweep process alone, seconds) for ``runs``."""
    code = ("import sys; from leverage_sim.sweep import SweepSpec, run_sweep\n"
            "if __name__ == '__main__':\n"
            f"    s = SweepSpec.from_cli('{REPLAY}', ['foreign_forces.backing=0:1:{runs // 200}'],"
            " replications=200, seed=2)\n"
            f"    run_sweep(s, sys.argv[1], executor='local', workers={cores})\n")
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "mem_sweep.py"
        script.write_text(code)
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(script), str(Path(tmp) / "out")])
        top = psutil.Process(proc.pid)
        total = own = 0.0
        while proc.poll() is None:
            try:
                tree = [top, *top.children(recursive=True)]
                rss = [_footprint(p) for p in tree]
            except psutil.Error:
                continue
            total, own = max(total, sum(rss)), max(own, rss[0])
            time.sleep(0.1)
        assert proc.returncode == 0
        return total / 2**20, own / 2**20, time.perf_counter() - t


def throughput(reps: int, cores: int, repeat: int) -> None:
    """Part 1."""
    n = LEVELS * reps
    print(f"1. Throughput: {n} runs of {REPLAY} ({LEVELS} backing levels × {reps}), "
          f"{cores} cores, best of {repeat}; load average before: "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    # From a script or the CLI the pool forks the sweep process. From a process running other
    # Python threads (a notebook) it forks from a fork server, which imports the model once,
    # in the process's first sweep; later sweeps reuse it. First sweeps run in new processes.
    ours(reps, cores, threaded=True)  # starts this process's fork server
    ways = {
        "script, first sweep": lambda: first_sweep(reps, cores),
        "script, later sweeps": lambda: ours(reps, cores),
        "notebook, first sweep": lambda: first_sweep(reps, cores, threaded=True),
        "notebook, later sweeps": lambda: ours(reps, cores, threaded=True),
        "batch_run": lambda: batch(reps, cores),
        "serial": lambda: serial(reps),
        "split": lambda: split_loop(reps, cores),
    }
    times: dict[str, list[float]] = {k: [] for k in ways}
    for _ in range(repeat):  # round by round, so that a slow spell of the machine hits all ways
        for k, way in ways.items():
            times[k].append(way())
    best = {k: min(v) for k, v in times.items()}
    t_batch, t_serial, t_split = best.pop("batch_run"), best.pop("serial"), best.pop("split")
    runs = best
    for name, t in [*((f"ours, local, {k}", t) for k, t in runs.items()),
                    (f"mesa.batch_run ({cores} processes)", t_batch),
                    ("plain serial loop (1 process)", t_serial),
                    (f"plain loop split over {cores} forked processes", t_split)]:
        print(f"   {name:<44} {t:7.2f} s  {n / t:8.1f} runs/s")
    print(f"   the machine's own ceiling (split loop / (cores × serial)): "
          f"{t_serial / (cores * t_split):.1%}")
    print(f"   ours on {cores} processes: × mesa.batch_run (target ≥ 1.5×), parallel efficiency "
          "ours / (cores × serial) (target ≥ 90%)")
    for label, t in runs.items():
        print(f"   {label:<24} {t_batch / t:5.2f}×   {t_serial / (cores * t):6.1%}")


def cost() -> None:
    """Part 2."""
    sc = replay(0.1)
    militias = len(sc.militias)
    print(f"\n2. Per-run cost ({sc.horizon_days} steps, 3 + {militias} agents, same "
          "DataCollector)")
    bare = per_run_ms(lambda i: release(bare_run(i, militias, sc.horizon_days)), 200)
    same = per_run_ms(lambda i: release(simulate(sc, i)), 200)
    summ = per_run_ms(lambda i: run_tables(sc, i, 0, None), 200)
    full = per_run_ms(lambda i: run_one(sc, i, 0), 200)
    print(f"   bare Mesa model (framework floor)          {bare:6.2f} ms")
    print(f"   replay, same DataCollector, no tables      {same:6.2f} ms  "
          f"= {same / bare:4.1f}× floor (target ≤ 4×)")
    print(f"   replay, summary only (as sweeps run it:    {summ:6.2f} ms  "
          f"= {summ / bare:4.1f}× floor\n     no daily collection)")
    print(f"   replay, run_one with all tables            {full:6.2f} ms  "
          f"= {full / bare:4.1f}× floor")


def memory(sizes: tuple[int, ...], cores: int) -> None:
    """Part 3."""
    print(f"\n3. Peak memory of summary-only sweeps ({cores} worker processes; proportional "
          "set size of the sweep process and its workers, sampled every 0.1 s)")
    for runs in sizes:
        total, own, secs = peak_memory_mb(runs, cores)
        print(f"   {runs:>6} runs: {total:6.0f} MB total, {own:5.0f} MB sweep process "
              f"({secs:5.1f} s, {runs / secs:5.0f} runs/s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes")
    ap.add_argument("--repeat", type=int, default=None,
                    help="time each way this many times and keep the best (default 2; 1 with "
                    "--quick): other load on the machine only ever slows a run down")
    ap.add_argument("--only", choices=("throughput", "cost", "memory"), action="append",
                    help="run only these parts (repeatable; default all)")
    args = ap.parse_args()
    repeat = args.repeat or (1 if args.quick else 2)
    parts = set(args.only or ("throughput", "cost", "memory"))
    cores = default_workers()
    if "throughput" in parts:
        throughput(40 if args.quick else 200, cores, repeat)
    if "cost" in parts:
        cost()
    if "memory" in parts:
        memory((2_000, 10_000) if args.quick else (5_000, 20_000, 50_000), cores)


if __name__ == "__main__":
    os.environ.setdefault("CI", "true")  # no progress bars
    main()
