"""``run_sweep``: plan a sweep (design, seeds), then run its chunks on an executor, streaming
results to the output folder; resume an interrupted sweep; rerun a single run.

Seeds: see :data:`SEED_SCHEME`. Every seed is stored in ``runs.parquet`` and in the summary
rows, and ``run_id = point_id · replications + replication``.
"""
from __future__ import annotations

import copy
import datetime as dt
import math
import os
import sys
import time
from collections import Counter, deque
from collections.abc import Mapping
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from leverage_sim.cli.common import prepare_out_dir
from leverage_sim.errors import InputError
from leverage_sim.runner import run_one
from leverage_sim.scenario_loader import find_scenario, resolve_raw, validate
from leverage_sim.sweep.design import build_design
from leverage_sim.sweep.executors import make_executor
from leverage_sim.sweep.spec import SweepSpec, check_points
from leverage_sim.sweep.storage import FORMAT, SweepStore, error_rows
from leverage_sim.sweep.worker import (
    Chunk,
    Run,
    arrow_types,
    chunks,
    failed_chunk,
    point_scenario,
    run_chunk,
    run_tables,
    summary_row,
)

SEED_SCHEME = (
    "SeedSequence(seed).spawn(2) gives a design child (drives the lhs/sobol/morris/random draws) "
    "and a runs child; replication r of point p runs with the integer seed of "
    "runs.spawn(P)[p].spawn(R)[r] (its first 64-bit word shifted right by one bit, as "
    "leverage_sim.runner.replication_seeds does)."
)
MAX_TRIES = 3
"""Attempts per chunk when its worker dies (runs that raise are recorded, not retried)."""
MAX_CHUNK = 200
"""Largest automatic chunk (runs per task)."""
WARMUP_RUNS = 20
"""Runs the sweep process takes at a time while its workers start (it stops once one is up)."""
PROGRESS_SECONDS = 1.0
"""How often the manifest's progress is rewritten while a sweep runs (it only informs: resume
reads the stored parts). It is always written when the sweep ends or is interrupted."""


@dataclass
class Plan:
    """Everything needed to run (or resume) a sweep."""

    spec: SweepSpec
    base: dict[str, Any]
    source: str
    point_values: list[dict[str, Any]]
    runs: list[Run]
    types: dict[str, str]

    @property
    def every(self) -> int | None:
        """Time-series thinning, or None for summaries only."""
        return self.spec.outputs.every if self.spec.outputs.timeseries else None

    def chunk(self, runs: list[Run]) -> Chunk:
        """The task for ``runs``."""
        overrides = {r.point_id: {**self.spec.overrides, **self.point_values[r.point_id]}
                     for r in runs}
        return Chunk(self.base, self.source, runs, overrides, self.types, self.every)


def run_seeds(master: int, n_points: int, replications: int) -> np.ndarray:
    """Integer seeds, shape (points, replications), from the seed tree described above."""
    runs = np.random.SeedSequence(master).spawn(2)[1]
    return np.array([[int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
                      for c in point.spawn(replications)] for point in runs.spawn(n_points)],
                    dtype=np.int64).reshape(n_points, replications)


def as_spec(spec: SweepSpec | str | Path | Mapping[str, Any]) -> SweepSpec:
    """A :class:`SweepSpec` from itself, a sweep file (name or path) or a mapping."""
    if isinstance(spec, SweepSpec):
        return spec
    if isinstance(spec, Mapping):
        return SweepSpec.parse(spec, "a mapping")
    return SweepSpec.from_file(spec)


def plan_sweep(spec: SweepSpec, scenario_dirs: tuple[str | Path, ...] = ()
               ) -> tuple[Plan, dict[str, Any]]:
    """Resolve the base scenario, build the design and seeds, and check the design against the
    scenario schema (every design point) and the model (one probe run).

    Returns the plan and what to store: ``manifest`` (a dict for ``manifest.json``) and the
    ``points``, ``design`` and ``runs`` tables (DataFrames). Raises :class:`InputError` on bad
    input.
    """
    source = str(find_scenario(spec.base, scenario_dirs))
    base = resolve_raw(spec.base, scenario_dirs)
    scenario = validate(copy.deepcopy(base), source, spec.overrides)
    seed = scenario.seed if spec.seed is None else spec.seed
    spec = spec.with_changes(seed=seed)
    design = build_design(spec, np.random.SeedSequence(seed).spawn(2)[0])
    columns = {p: design.points[p].tolist() for p in spec.paths}
    point_values = [{p: columns[p][i] for p in spec.paths} for i in range(design.n_points)]
    seeds = run_seeds(seed, design.n_points, spec.replications)
    runs = [Run(p * spec.replications + r, p, r, int(seeds[p, r]))
            for p in range(design.n_points) for r in range(spec.replications)]
    check_points(spec, base, source, point_values)
    first = point_scenario(base, source, {**spec.overrides, **point_values[0]})
    summary, _ = run_tables(first, runs[0].seed, 0, None)
    plan = Plan(spec, base, source, point_values, runs, arrow_types(summary))
    from leverage_sim import __version__  # here: the package imports this module

    manifest = {
        "format": FORMAT, "package_version": __version__,
        "created": dt.datetime.now(dt.UTC).isoformat(),
        "spec": spec.model_dump(mode="json"), "base_source": source, "base_scenario": base,
        "design": {"name": spec.design, "problem": design.problem, "n_points": design.n_points,
                   "points": "points.parquet", "unit_matrix": "design.parquet",
                   "order": "design.parquet rows are in point_id order, which is the order "
                   "SALib produced them (sobol/saltelli: Saltelli blocks; morris: trajectories)"},
        "seeds": {"master": seed, "file": "runs.parquet", "scheme": SEED_SCHEME},
        "runs": {"total": len(runs), "replications": spec.replications,
                 "run_id": "point_id * replications + replication"},
        "outputs": {"summary": "summary/", "timeseries": "timeseries/" if plan.every else None},
        "summary_types": plan.types,
        "progress": {"done": 0, "errors": 0, "status": "planned"},
    }
    unit = pd.DataFrame(design.unit, columns=spec.paths)
    unit.insert(0, "point_id", design.points["point_id"])
    return plan, {"manifest": manifest, "points": design.points, "design": unit,
                  "runs": pd.DataFrame(runs, columns=list(Run._fields))}


def load_plan(store: SweepStore) -> tuple[Plan, dict[str, Any]]:
    """The plan of an existing sweep folder, from its stored manifest, points and runs."""
    manifest = store.read_manifest()
    spec = SweepSpec.model_validate(manifest["spec"])
    points = store.read_table("points").to_pylist()
    point_values = [{p: row[p] for p in spec.paths} for row in points]
    runs = [Run(**r) for r in store.read_table("runs").to_pylist()]
    return Plan(spec, manifest["base_scenario"], manifest["base_source"], point_values, runs,
                manifest["summary_types"]), manifest


def run_sweep(spec: SweepSpec | str | Path | Mapping[str, Any] | None, out: str | Path,
              executor: str = "local", workers: int | None = None, scheduler: str | None = None,
              resume: bool = False, chunk_size: int | None = None, quiet: bool = True,
              force: bool = False, scenario_dirs: tuple[str | Path, ...] = ()) -> Path:
    """Run a sweep, writing results to ``out`` as chunks finish; returns ``out``.

    Args:
        spec: a :class:`SweepSpec`, a sweep file (name or path) or a mapping; may be None with
            ``resume`` (the stored spec is used).
        out: output folder (see :mod:`leverage_sim.sweep.storage` for its layout). It must be
            new or empty, unless ``force`` (replace it) or ``resume``.
        executor: ``local`` (process pool, all cores), ``serial`` or ``dask``.
        workers: processes (default: all cores); for ``dask`` the LocalCluster's workers.
        scheduler: ``tcp://HOST:8786`` of a running Dask scheduler (with ``executor="dask"``).
        resume: continue the sweep in ``out``, running only runs not yet stored.
        chunk_size: runs per task (default: up to ``MAX_CHUNK``, at least 4 tasks per
            worker).
        quiet: no progress bar (it is also off when not on a terminal or when ``CI=true``).

    A run that raises is stored with its error text and seed. Ctrl-C saves finished chunks and
    says how to resume. In scripts using ``local`` or ``dask``, call this under
    ``if __name__ == "__main__":`` (worker processes import the main module).
    """
    store = SweepStore(out)
    if resume:
        plan, manifest = load_plan(store)
        if spec is not None:
            _check_same(as_spec(spec), plan.spec, store.out)
    else:
        if spec is None:
            raise InputError("No sweep given: pass a sweep file or SweepSpec, or resume=True "
                             "(--resume) to continue the sweep already in the output folder.")
        plan, tables = plan_sweep(as_spec(spec), scenario_dirs)
        prepare_out_dir(out, force)
        for name in ("points", "design", "runs"):
            store.write_table(name, pa.Table.from_pandas(tables[name], preserve_index=False))
        manifest = tables["manifest"]
        store.write_manifest(manifest)
    done_ids, errors = store.stored_runs()
    done = set(done_ids.tolist())
    todo = [r for r in plan.runs if r.run_id not in done]
    manifest["progress"].update(session_runs=0, session_seconds=0.0)
    if todo:
        pool = make_executor(executor, workers, scheduler)
        try:
            errors = _execute(store, manifest, plan, todo, errors, pool, chunk_size, quiet)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)  # do not wait on a broken sweep
            raise
        pool.shutdown()  # all done: wait for the workers to exit, leaving no thread behind
    store.update_progress(manifest, done=len(plan.runs), errors=errors, status="complete")
    return store.out


def _check_same(given: SweepSpec, stored: SweepSpec, out: Path) -> None:
    a = given.model_dump(exclude={"name", "description"})
    b = stored.model_dump(exclude={"name", "description"})
    if a["seed"] is None:
        a["seed"] = b["seed"]
    diff = [k for k in a if a[k] != b[k]]
    if diff:
        raise InputError(f"'{out}' holds a different sweep (it differs in {', '.join(diff)}), so "
                         "it cannot be resumed with this one. Resume with the same sweep (or no "
                         "sweep: --resume --out DIR alone), or start anew with --force or "
                         "another --out.")


def _execute(store: SweepStore, manifest: dict[str, Any], plan: Plan, todo: list[Run],
             errors: int, pool: Any, chunk_size: int | None, quiet: bool) -> int:
    """Run ``todo`` on ``pool``, saving each chunk as it finishes; returns the error count of
    the whole sweep (``errors`` = those already stored)."""
    total = len(plan.runs)
    size = chunk_size or max(1, min(MAX_CHUNK, math.ceil(len(todo) / (4 * pool.workers))))
    pending: deque[list[Run]] = deque(chunks(todo, size))
    inflight: dict[Future, list[Run]] = {}
    tries: Counter[int] = Counter()
    done, t0 = total - len(todo), time.perf_counter()
    bar = _progress_bar(total, done, plan.spec.name, quiet)
    store.update_progress(manifest, done=done, errors=errors, status="running", session_runs=0,
                          session_seconds=0.0)
    written = t0

    def save(runs: list[Run], summary: pa.Table, ts: pa.Table | None) -> None:
        nonlocal done, errors, written
        store.write_chunk(summary, ts)
        done += len(runs)
        errors += error_rows(summary)
        bar.update(len(runs))
        now = time.perf_counter()
        manifest["progress"].update(done=done, errors=errors, session_runs=done - total
                                    + len(todo), session_seconds=round(now - t0, 3))
        if now - written >= PROGRESS_SECONDS:
            store.update_progress(manifest, status="running")
            written = now

    try:
        while pending or inflight:
            if pending and not pool.warm:
                # Workers are still starting (a fork server or a Dask worker imports the model
                # first, about a second): meanwhile this process runs a few runs itself, from
                # the far end of the queue.
                runs = pending.pop()
                if len(runs) > WARMUP_RUNS:
                    pending.append(runs[WARMUP_RUNS:])
                    runs = runs[:WARMUP_RUNS]
                save(runs, *run_chunk(plan.chunk(runs)))
                continue
            while pending and len(inflight) < 2 * pool.workers:
                runs = pending.popleft()
                inflight[pool.submit(run_chunk, plan.chunk(runs))] = runs
            finished, _ = wait(inflight, return_when=FIRST_COMPLETED)
            broken = False
            for fut in finished:
                runs = inflight.pop(fut)
                try:
                    summary, ts = fut.result()
                except Exception as e:  # noqa: BLE001 - the task itself failed (worker died)
                    broken |= isinstance(e, BrokenExecutor)
                    tries[runs[0].run_id] += 1
                    if tries[runs[0].run_id] < MAX_TRIES:
                        pending.append(runs)
                        continue
                    summary, ts = failed_chunk(runs, f"worker failed {MAX_TRIES} times: "
                                               f"{type(e).__name__}: {e}", plan.types), None
                save(runs, summary, ts)
            if broken:  # every task of the dead pool is lost: run them again on a new one
                pool.restart()
                pending.extendleft(inflight.values())
                inflight.clear()
    except KeyboardInterrupt:
        for fut in inflight:
            fut.cancel()  # tasks not started yet
        try:  # keep what is already running; a second Ctrl-C stops at once
            for fut in wait(inflight, timeout=60).done:
                if not fut.cancelled() and fut.exception() is None:
                    save(inflight[fut], *fut.result())
        except KeyboardInterrupt:
            pass
        bar.close()
        store.update_progress(manifest, status="interrupted")
        print(f"\nSweep interrupted: {done} of {total} runs are saved in {store.out}. Resume "
              f"with `leverage-sim sweep --resume --out {store.out}` (Python: "
              f"run_sweep(None, {str(store.out)!r}, resume=True)); only the missing "
              f"{total - done} runs will run.", file=sys.stderr)
        raise
    bar.close()
    return errors


def _progress_bar(total: int, done: int, name: str, quiet: bool) -> Any:
    from tqdm import tqdm

    class Bar(tqdm):
        monitor_interval = 0  # no monitor thread: it outlives the bar, and rules out fork

    off = quiet or os.environ.get("CI", "").lower() in ("true", "1") or not sys.stderr.isatty()
    return Bar(total=total, initial=done, desc=name, unit="run", file=sys.stderr,
                disable=off, dynamic_ncols=True, smoothing=0.1)


def rerun(out: str | Path, run_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run one stored run again with :func:`leverage_sim.runner.run_one`; returns
    ``(stored_row, new_row)`` (summary rows as dicts, same keys)."""
    store = SweepStore(out)
    plan, _ = load_plan(store)
    if not 0 <= run_id < len(plan.runs):
        raise InputError(f"run_id {run_id} is not in the sweep in '{store.out}' (run ids go from "
                         f"0 to {len(plan.runs) - 1}).")
    stored = ds.dataset(store.summary_dir).to_table(filter=pc.field("run_id") == run_id)
    if stored.num_rows == 0:
        raise InputError(f"Run {run_id} has not been run yet (the sweep in '{store.out}' is "
                         "incomplete); finish it with `leverage-sim sweep --resume --out "
                         f"{store.out}`.")
    run = plan.runs[run_id]
    try:
        scenario = point_scenario(plan.base, plan.source, plan.chunk([run]).point_overrides[
            run.point_id])
        new = summary_row(run, run_one(scenario, run.seed, run.replication).summary, None)
    except Exception as e:  # noqa: BLE001 - a failing run is reproduced as its error row
        new = summary_row(run, None, f"{type(e).__name__}: {e}")
    new = pa.Table.from_pylist([new], schema=stored.schema).to_pylist()[0]
    return stored.to_pylist()[0], new
