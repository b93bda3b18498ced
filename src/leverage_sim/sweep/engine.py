"""``run_sweep``: plan a sweep (design, seeds), then run its chunks on an executor, streaming
results to the output folder; resume an interrupted sweep; rerun a single run.

Seeds: see :data:`SEED_SCHEME`. Every seed is stored in ``runs.parquet`` and in the summary
rows, and ``run_id = point_id · replications + replication``.
"""
from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import math
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import ValidationError

from leverage_sim.errors import InputError, stop_reason, stopped_how
from leverage_sim.files.environment import env_flag
from leverage_sim.files.inputs_hash import file_sha256
from leverage_sim.files.output_dir import (
    OutputError,
    OutputFolder,
    claim_output,
    describe_os_error,
    enclosing_folder,
    is_file_system_error,
)
from leverage_sim.files.safe_text import shell_word
from leverage_sim.files.safe_yaml import as_written, require_path, require_switch
from leverage_sim.scenario.limits import check_count, check_sweep_size, plan_note, sweep_time_note
from leverage_sim.scenario.loader import (
    find_scenario,
    other_kind,
    read_yaml,
    resolve_raw,
    validate,
)
from leverage_sim.simulation import model_fingerprint
from leverage_sim.simulation import posterior as post
from leverage_sim.simulation.executors import make_executor
from leverage_sim.simulation.runner import check_engine, child_seed, run_one
from leverage_sim.simulation.worker import (
    Chunk,
    Run,
    arrow_types,
    failed_chunk,
    point_scenario,
    run_chunk,
    run_tables,
    summary_row,
)
from leverage_sim.sweep.design import Design, build_design, count_points
from leverage_sim.sweep.spec import SweepSpec, check_points
from leverage_sim.sweep.storage import (
    FILES,
    FORMAT,
    SweepStore,
    check_plan,
    error_rows,
    plan_hash,
    resume_command,
)

SEED_SCHEME = (
    "SeedSequence(seed).spawn(2) gives a design child (drives the lhs/sobol/morris/random draws) "
    "and a runs child; replication r of point p runs with the integer seed of "
    "runs.spawn(P)[p].spawn(R)[r] (its first 64-bit word shifted right by one bit, as "
    "leverage_sim.simulation.runner.replication_seeds does)."
)
MAX_TRIES = 3
"""Attempts per chunk when its worker dies (runs that raise are recorded, not retried)."""
MAX_CHUNK = 200
"""Largest automatic chunk (runs per task)."""
WARMUP_RUNS = 20
"""Runs the sweep process takes at a time while its workers start (it stops once one is up)."""
WARMUP_LIMIT = 200
"""At most this many runs are done by the sweep process itself while no worker is up; then it
waits for one (until ``worker_timeout``): a sweep sent to workers is not run here whole just
because the fast engine is quick (a scheduler without workers must still stop the sweep)."""
WORKER_POLL = 0.05
"""Seconds between checks for a worker once the warm-up runs are done."""
PROGRESS_SECONDS = 1.0
"""How often the manifest's progress is rewritten while a sweep runs (it only informs: resume
reads the stored parts). It is always written when the sweep ends or is interrupted."""
WORKER_TIMEOUT = 60.0
"""Default seconds a sweep waits while its executor has no worker (a Dask scheduler without
workers, or all of them dead) before it stops, resumable."""
LARGE_PLAN = 1_000_000
"""Plans of more runs than this are announced, timed on ``SEED_SAMPLE`` seeds."""
SEED_SAMPLE = 2_000
"""Seeds derived, timed, to estimate how long planning a large sweep takes."""
POLL_SECONDS = 0.5
"""How often the sweep loop looks at Ctrl-C and at its workers while no chunk finishes."""


@dataclass
class Plan:
    """Everything needed to run (or resume) a sweep. Runs are not listed: run ``run_id`` is
    replication ``run_id % R`` of point ``run_id // R``, with seed ``seeds[point, rep]``."""

    spec: SweepSpec
    base: dict[str, Any]
    source: str
    columns: dict[str, np.ndarray]
    seeds: np.ndarray
    types: dict[str, str]
    posterior: post.Posterior | None = None
    engine: str = "fast"

    @property
    def run_engine(self) -> str:
        """The engine its runs use: the fast path only for summaries-only sweeps."""
        return "agent" if self.every is not None else self.engine

    @property
    def every(self) -> int | None:
        """Time-series thinning, or None for summaries only."""
        return self.spec.outputs.every if self.spec.outputs.timeseries else None

    @property
    def n_runs(self) -> int:
        """Runs in the sweep (points x replications)."""
        return self.seeds.size

    def point(self, point_id: int) -> dict[str, Any]:
        """Parameter path -> value (a Python number or string) at point ``point_id``."""
        return {p: _python(col[point_id]) for p, col in self.columns.items()}

    def run(self, run_id: int) -> Run:
        """Run ``run_id``."""
        point, rep = divmod(int(run_id), self.seeds.shape[1])
        return Run(int(run_id), point, rep, int(self.seeds[point, rep]))

    def runs_table(self) -> pa.Table:
        """``runs.parquet``: run_id, point_id, replication, seed of every run."""
        ids = np.arange(self.n_runs, dtype=np.int64)
        reps = self.seeds.shape[1]
        return pa.table({"run_id": ids, "point_id": ids // reps, "replication": ids % reps,
                         "seed": self.seeds.reshape(-1)})

    def chunk(self, ids: np.ndarray) -> Chunk:
        """The task for the runs ``ids``."""
        runs = [self.run(i) for i in ids]
        overrides = {r.point_id: {**self.spec.overrides, **self.point(r.point_id)}
                     for r in runs}
        return Chunk(self.base, self.source, runs, overrides, self.types, self.every,
                     self.posterior, (*self.spec.paths, *self.spec.overrides), self.run_engine)


def _python(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


CHECKED_POINTS = 2000
"""Design points validated one by one before a sweep starts (every point of smaller designs;
larger ones add each parameter's extremes): a few seconds at most."""


def run_seed(master: int, point: int, replication: int) -> int:
    """The seed of replication ``replication`` of design point ``point``, from the seed tree
    described above."""
    return child_seed(master, (1, point, replication))


def run_seeds(master: int, n_points: int, replications: int) -> np.ndarray:
    """Integer seeds, shape (points, replications), from the seed tree described above (one
    child at a time: memory grows by 8 bytes per run)."""
    seeds = np.fromiter((run_seed(master, p, r) for p in range(n_points)
                         for r in range(replications)), dtype=np.int64,
                        count=n_points * replications)
    return seeds.reshape(n_points, replications)


def as_spec(spec: SweepSpec | str | Path | Mapping[str, Any]) -> SweepSpec:
    """A :class:`SweepSpec` from itself, a sweep file (name or path) or a mapping."""
    if isinstance(spec, SweepSpec):
        return spec
    if isinstance(spec, Mapping):
        return SweepSpec.parse(spec, "a mapping")
    return SweepSpec.from_file(require_path(spec, "A sweep (a SweepSpec, a mapping, or a sweep "
                                            "file's name or path)"))


def _resolve_base(spec: SweepSpec, scenario_dirs: tuple[str | Path, ...]
                  ) -> tuple[dict[str, Any], Path]:
    """The raw data of ``spec``'s base scenario (its ``extends`` chain merged) and its file
    (absolute). When the base is refused, the error names the sweep's base if there is no
    such scenario or it names a sweep file (:func:`_refused_base`), else it is the loader's."""
    try:
        return (resolve_raw(spec.base, scenario_dirs),
                find_scenario(spec.base, scenario_dirs).resolve())
    except InputError as e:
        raise _refused_base(spec, scenario_dirs, e) from None


def _refused_base(spec: SweepSpec, scenario_dirs: tuple[str | Path, ...], error: InputError
                  ) -> InputError:
    """What to say when ``spec``'s base scenario was refused with ``error``: that the sweep's
    base is not found, or is a sweep file (read again only now, when it was refused), or the
    loader's own ``error``."""
    try:
        path = find_scenario(spec.base, scenario_dirs)
    except InputError as e:
        return InputError(f"Sweep '{spec.name}': its base scenario '{spec.base}' (the sweep "
                          f"file's `base:`, or the scenario named on the command line) is not "
                          f"found. {e}")
    try:
        other = other_kind(read_yaml(path, "Scenario file"))
    except InputError:
        return error
    if other is not None and other[0].name == "sweep file":
        return InputError(f"Sweep '{spec.name}': its base '{spec.base}' is a sweep file, not a "
                          "scenario. A sweep's `base:` names the scenario whose parameters it "
                          "varies (e.g. base: june_2020_replay); fix that field.")
    return error


def plan_sweep(spec: SweepSpec, scenario_dirs: tuple[str | Path, ...] = ()
               ) -> tuple[Plan, dict[str, Any]]:
    """Resolve the base scenario, build the design and seeds, and check the design against the
    scenario schema (every design point) and the model (one probe run).

    Returns the plan and what to store: ``manifest`` (a dict for ``manifest.json``) and the
    ``points`` and ``design`` tables (DataFrames; ``runs`` is :meth:`Plan.runs_table`) and
    ``seconds_per_run`` (the probe run, timed: for the time estimate). Raises
    :class:`InputError` on bad input, and on sweeps of more than
    :data:`leverage_sim.scenario.limits.MAX_SWEEP_RUNS` runs before planning them.
    """
    # absolute: a resumed or rerun point follows its extends chain from this file (the
    # posterior's fitted values it inherits), whatever the folder it is resumed from
    base, base_file = _resolve_base(spec, scenario_dirs)
    source = str(base_file)
    try:
        scenario = validate(copy.deepcopy(base), source, spec.overrides)
    except InputError as e:
        if not spec.overrides:
            raise
        raise InputError(f"Sweep '{spec.name}': its overrides ({', '.join(spec.overrides)}) do "
                         f"not fit the base scenario {spec.base}; fix the sweep's 'overrides' "
                         f"(or --set), not the scenario: {e}") from None
    seed = scenario.seed if spec.seed is None else spec.seed
    asked = spec.posterior or post.DEFAULT_POSTERIOR or "none"
    posterior = post.resolve(asked)
    spec = spec.with_changes(seed=seed, posterior=asked)
    n_runs = check_sweep_size(spec.name, count_points(spec), spec.replications)
    if n_runs > LARGE_PLAN:
        began = time.perf_counter()
        run_seeds(seed, 1, SEED_SAMPLE)
        print(plan_note(spec.name, n_runs, len(spec.paths),
                        (time.perf_counter() - began) / SEED_SAMPLE), file=sys.stderr)
    design, unit = _design(spec)
    columns = {p: design.points[p].to_numpy() for p in spec.paths}
    _check_every(spec, scenario.horizon_days, columns.get("horizon_days"))
    seeds = run_seeds(seed, design.n_points, spec.replications)
    plan = Plan(spec, base, source, columns, seeds, {}, posterior)
    checked = min(design.n_points, CHECKED_POINTS)
    check_points(spec, base, source, (plan.point(i) for i in range(checked)))
    if design.n_points > checked:
        _check_extremes(spec, base, source, plan.point(0), columns)
    first = point_scenario(base, source, {**spec.overrides, **plan.point(0)})
    began = time.perf_counter()
    summary, _ = run_tables(first, int(seeds[0, 0]), 0, None)
    seconds_per_run = time.perf_counter() - began
    plan.types = arrow_types(summary)
    from leverage_sim.files.version import installed_version

    manifest = {
        "format": FORMAT, "package_version": installed_version(),
        "created": dt.datetime.now(dt.UTC).isoformat(),
        "spec": spec.model_dump(mode="json"), "base_source": source, "base_scenario": base,
        "design": {"name": spec.design, "problem": design.problem, "n_points": design.n_points,
                   "points": "points.parquet", "unit_matrix": "design.parquet",
                   "order": "design.parquet rows are in point_id order, which is the order "
                   "SALib produced them (sobol/saltelli: Saltelli blocks; morris: trajectories)"},
        "seeds": {"master": seed, "file": "runs.parquet", "scheme": SEED_SCHEME},
        "runs": {"total": n_runs, "replications": spec.replications,
                 "run_id": "point_id * replications + replication"},
        "outputs": {"summary": "summary/", "timeseries": "timeseries/" if plan.every else None},
        "summary_types": plan.types,
        "posterior": posterior.record(plan.chunk([0]).use(scenario)) if posterior else None,
        "model_fingerprint": model_fingerprint.fingerprint(),
        "progress": {"done": 0, "errors": 0, "status": "planned"},
    }
    manifest["plan_sha256"] = plan_hash(manifest)
    return plan, {"manifest": manifest, "points": design.points, "design": unit,
                  "seconds_per_run": seconds_per_run}


def _check_every(spec: SweepSpec, horizon: int, swept: np.ndarray | None) -> None:
    """An :class:`InputError` if ``outputs.every`` (``--every``) is as long as the longest run:
    a run keeps the days 0 to horizon_days - 1 whose number ``every`` divides, so its time
    series would hold day 0 (the starting state) only."""
    if not spec.outputs.timeseries:
        return
    longest = int(np.max(swept)) if swept is not None and len(swept) else horizon
    if spec.outputs.every >= longest:
        raise InputError(f"Sweep '{spec.name}': outputs.every (--every) {spec.outputs.every} "
                         f"keeps one day in {spec.outputs.every}, but its runs last "
                         f"{longest} days (horizon_days), so each run's time series would hold "
                         f"day 0, the starting state, only. Give an --every below {longest} "
                         "(7 keeps one day a week), or drop --timeseries.")


def _design(spec: SweepSpec) -> tuple[Design, pd.DataFrame]:
    """The design of ``spec`` from its master seed (set: the plan's, resolved), and its
    unit-cube table (point_id and one column per parameter, as design.parquet stores it)."""
    design = build_design(spec, np.random.SeedSequence(spec.seed).spawn(2)[0])
    unit = pd.DataFrame(design.unit, columns=spec.paths)
    unit.insert(0, "point_id", design.points["point_id"])
    return design, unit


def _check_extremes(spec: SweepSpec, base: dict[str, Any], source: str,
                    first: dict[str, Any], columns: dict[str, np.ndarray]) -> None:
    """Beyond :data:`CHECKED_POINTS`: each parameter's extreme (or first 20 distinct) values,
    one parameter at a time, against the base scenario."""
    for path, values in columns.items():
        numeric = values.dtype.kind in "iuf"
        shown = (values.min(), values.max()) if numeric else \
            list(dict.fromkeys(values.tolist()))[:20]
        for v in map(_python, shown):
            try:
                point_scenario(base, source, {**spec.overrides, **first, path: v})
            except InputError as e:
                raise InputError(f"Sweep '{spec.name}': parameter '{path}' takes the value "
                                 f"{as_written(v)}, which the base scenario does not accept: "
                                 f"{e}") from None


def load_plan(store: SweepStore) -> tuple[Plan, dict[str, Any]]:
    """The plan of an existing sweep folder, from its stored manifest, points and runs."""
    manifest = store.read_manifest()
    check_plan(manifest, store.out)
    try:
        spec = SweepSpec.model_validate(manifest["spec"])
    except ValidationError as e:  # written by a version with other rules, or edited by hand
        raise InputError(f"{store.manifest_path}: the sweep it describes is not one this version "
                         f"of leverage-sim can run ({e.error_count()} problem(s), the first: "
                         f"{e.errors()[0]['msg']}), so its runs cannot be rerun or resumed here. "
                         "Use the version that wrote it (its package_version), or start the sweep "
                         "again into a new --out folder.") from None
    points = store.read_table("points", ["point_id", *spec.paths]).to_pandas()
    columns = {p: points[p].to_numpy() for p in spec.paths}
    seeds = store.read_table("runs", columns=["seed"]).column("seed").to_numpy()
    if seeds.size != len(points) * spec.replications:
        raise InputError(f"{store.out / 'runs.parquet'} is damaged: it lists {seeds.size} runs "
                         f"where the sweep has {len(points) * spec.replications}. Start the "
                         "sweep again with --force.")
    store.check_tables(manifest)  # after the reads, whose messages say what is missing
    return Plan(spec, manifest["base_scenario"], manifest["base_source"], columns,
                seeds.reshape(len(points), spec.replications), manifest["summary_types"],
                _stored_posterior(manifest, store.out)), manifest


def check_seeds(plan: Plan, manifest: dict[str, Any], run_ids: Iterable[int], out: Path
                ) -> None:
    """InputError if runs.parquet gives one of ``run_ids`` another seed than the manifest's
    master seed does (:data:`SEED_SCHEME`; the manifest's seeds are covered by its
    ``plan_sha256``): runs.parquet was edited, and the runs would not be the sweep's. Checked
    on the runs about to be run (about 10 microseconds a run)."""
    master = (manifest.get("seeds") or {}).get("master")
    if "plan_sha256" not in manifest or not isinstance(master, int):
        return  # format 1: no hash vouches for the master seed
    for run_id in run_ids:
        run = plan.run(int(run_id))
        if run.seed != run_seed(master, run.point_id, run.replication):
            raise InputError(f"{out / 'runs.parquet'} gives run {run.run_id} the seed "
                             f"{run.seed}, not the one the sweep's master seed {master} gives "
                             "it: the file was edited or damaged, so the run would not be the "
                             "sweep's. Restore the folder as the sweep wrote it, or start the "
                             "sweep again with --force.")


def _stored_posterior(manifest: dict[str, Any], out: Path) -> post.Posterior | None:
    """The posterior a stored sweep ran with, checked against the hash it recorded."""
    record = manifest.get("posterior")
    if not record:
        return None
    try:
        posterior = post.load_posterior(record["path"])
    except InputError as e:
        raise InputError(f"The sweep in '{out}' ran with the posterior in '{record['path']}', "
                         f"which cannot be loaded now ({e}) Put that folder back where it was "
                         "to resume, or start the sweep anew with --force.") from None
    if posterior.sha256 != record["sha256"]:
        raise InputError(f"The sweep in '{out}' ran with the posterior in '{record['path']}', "
                         "whose posterior.parquet has changed since (its SHA-256 differs), so "
                         "the missing runs would not match the stored ones. Restore that "
                         "posterior, or start the sweep anew with --force.")
    return posterior


def run_sweep(spec: SweepSpec | str | Path | Mapping[str, Any] | None, out: str | Path,
              executor: str = "local", workers: int | None = None, scheduler: str | None = None,
              resume: bool = False, chunk_size: int | None = None, quiet: bool = True,
              force: bool = False, scenario_dirs: tuple[str | Path, ...] = (),
              worker_timeout: float = WORKER_TIMEOUT, engine: str = "fast") -> Path:
    """Run a sweep, writing results to ``out`` as chunks finish; returns ``out``.

    Args:
        spec: a :class:`SweepSpec`, a sweep file (name or path) or a mapping; may be None with
            ``resume`` (the stored spec is used).
        out: output folder (see :mod:`leverage_sim.sweep.storage` for its layout). It must be
            new or empty, unless ``force`` (replace a folder leverage-sim wrote) or ``resume``;
            it is locked while the sweep runs (see :mod:`leverage_sim.files.output_dir`).
        executor: ``local`` (process pool, all cores), ``serial`` or ``dask``.
        workers: processes (default: all cores); for ``dask`` the LocalCluster's workers.
        scheduler: ``tcp://HOST:8786`` of a running Dask scheduler (with ``executor="dask"``).
        resume: continue the sweep in ``out``, running only runs not yet stored.
        chunk_size: runs per task (default: up to ``MAX_CHUNK``, at least 4 tasks per
            worker).
        quiet: no progress bar (it is also off when not on a terminal or when ``CI=true``).
        worker_timeout: seconds to wait while the executor has no worker (seconds > 0).
        engine: ``fast`` (default) or ``agent`` (:data:`leverage_sim.simulation.runner.ENGINES`), for
            summaries-only sweeps (one keeping time series runs on the agents); the same
            values either way. The manifest records the engine used (``engine``).

    A run that raises is stored with its error text and seed; if every run of the sweep
    failed, an :class:`InputError` quotes the first error once all are stored. Ctrl-C, a full disk, workers
    lost for ``worker_timeout`` or any other stop keep the finished chunks, mark the manifest
    ``interrupted`` and say how to resume (an :class:`OutputError` for a full disk). In scripts
    using ``local`` or ``dask``, call this under ``if __name__ == "__main__":`` (worker
    processes import the main module).
    """
    check_engine(engine)
    resume, force = require_switch(resume, "resume"), require_switch(force, "force")
    if chunk_size is not None:
        check_count(chunk_size, "chunk_size (runs per task)")
    if not worker_timeout > 0:
        raise InputError(f"worker_timeout must be a number of seconds above 0, got "
                         f"{worker_timeout}.")
    if spec is None and not resume:
        raise InputError("No sweep given: pass a sweep file or SweepSpec, or resume=True "
                         "(--resume) to continue the sweep already in the output folder.")
    with claim_output(out, "sweep", force=force, resume=resume, staged=False,
                      files=FILES) as folder:
        store = SweepStore(folder.target)
        if resume:
            plan, manifest = load_plan(store)
            if spec is not None:
                given = as_spec(spec)
                base, base_file = _resolve_base(given, scenario_dirs)  # read once
                _check_same(_written_as_stored(given, plan, manifest, base_file), plan.spec,
                            store.out)
                _check_same_base(given, base, plan, store.out)
            check_same_model(manifest, store.out)
            done_ids, errors = store.stored_runs()
        else:
            plan, tables = plan_sweep(as_spec(spec), scenario_dirs)
            manifest, done_ids, errors = tables["manifest"], np.empty(0, np.int64), 0
        plan.engine = engine
        manifest["engine"] = plan.run_engine
        todo = np.setdiff1d(np.arange(plan.n_runs, dtype=np.int64), done_ids)
        if resume and "tables_sha256" not in manifest:  # else load_plan checked runs.parquet
            check_seeds(plan, manifest, todo, store.out)  # whole (10 us a run: 10M runs, 100 s)
        pool = make_executor(executor, workers, scheduler) if len(todo) else None
        if pool is not None and not resume:
            note = sweep_time_note(len(todo), tables["seconds_per_run"], pool.workers)
            if note:
                print(note, file=sys.stderr)
        try:
            if resume:
                folder.begin()  # adds the record to a sweep folder written before records
                if not (store.out / "design.parquet").exists():
                    _restore_design(store, plan, manifest)
            else:
                _start_folder(folder, store, plan, tables)
            manifest["progress"].update(session_runs=0, session_seconds=0.0)
            if pool is not None:
                errors = _execute(store, manifest, plan, todo, errors, pool, chunk_size, quiet,
                                  worker_timeout)
        except BaseException:
            if pool is not None:  # do not wait on a broken sweep
                pool.shutdown(wait=False, cancel_futures=True)
            raise
        if pool is not None:
            pool.shutdown()  # all done: wait for the workers to exit, leaving no thread behind
        store.update_progress(manifest, done=plan.n_runs, errors=errors, status="complete")
    if errors == plan.n_runs:
        raise InputError(_all_failed(store, plan))
    return store.out


def _all_failed(store: SweepStore, plan: Plan) -> str:
    """The message for a sweep in which every run failed: what the first run failed with."""
    table = store.read_parts(columns=["run_id", "error"])
    first = table.sort_by("run_id").slice(0, 1).to_pylist()[0]
    error = first["error"].rstrip(".")
    return (f"Every one of the {plan.n_runs} runs of sweep '{plan.spec.name}' failed, so it "
            f"has no result. Run {first['run_id']} failed with: {error}. The errors are stored "
            f"in {store.out}/summary/ (`leverage-sim rerun {shell_word(store.out)} --run-id "
            f"{first['run_id']}` repeats one run). Fix the cause, then run the sweep again with "
            "--force.")


def _start_folder(folder: OutputFolder, store: SweepStore, plan: Plan,
                  tables: dict[str, Any]) -> None:
    """Write the plan into a new folder, then keep it (if writing fails, the claim leaves no
    folder behind: nothing ran)."""
    folder.begin()
    for name in ("points", "design"):
        store.write_table(name, pa.Table.from_pandas(tables[name], preserve_index=False))
    store.write_table("runs", plan.runs_table())
    store.record_tables(tables["manifest"])
    store.write_manifest(tables["manifest"])
    folder.keep()


def _restore_design(store: SweepStore, plan: Plan, manifest: dict[str, Any]) -> None:
    """Rewrite a resumed sweep's missing ``design.parquet`` (the unit-cube design that
    sensitivity analysis reads): the design is a function of the stored sweep and its seed, so
    it is built again and written if its points are the stored ones (its SHA-256 recorded in
    ``manifest``, which the resume saves)."""
    design, unit = _design(plan.spec)
    if not design.points.equals(store.read_table("points").to_pandas()):
        raise InputError(f"{store.out / 'design.parquet'} is missing, and building the stored "
                         "sweep's design again gives other points than points.parquet holds "
                         "(the file was edited, or the design code changed since), so it cannot "
                         "be rewritten. The runs already stored are kept; start the sweep again "
                         "into a new --out folder to have a design.")
    path = store.write_table("design", pa.Table.from_pandas(unit, preserve_index=False))
    if isinstance(manifest.get("tables_sha256"), dict):
        manifest["tables_sha256"]["design"] = file_sha256(path)
    print(f"Rewrote {path}, which was missing, from the stored sweep.", file=sys.stderr)


def _check_same(given: SweepSpec, stored: SweepSpec, out: Path) -> None:
    a = given.model_dump(exclude={"name", "description"})
    b = stored.model_dump(exclude={"name", "description"})
    for key in ("seed", "posterior"):
        if a[key] is None:
            a[key] = b[key]
    diff = [k for k in a if a[k] != b[k]]
    if diff:
        raise InputError(f"'{out}' holds a different sweep (it differs in {', '.join(diff)}), so "
                         "it cannot be resumed with this one. Resume with the same sweep (or no "
                         "sweep: --resume --out DIR alone), or start anew with --force or "
                         "another --out.")


def _written_as_stored(given: SweepSpec, plan: Plan, manifest: dict[str, Any],
                       base_file: Path) -> SweepSpec:
    """``given`` with its base and posterior written as the stored sweep's where they name the
    same scenario file (``base_file``, where ``given``'s base was found) and posterior folder:
    a sweep file's relative paths are read beside it and kept relative to the working
    folder, so the same file given from another folder
    (``cd sweeps; leverage-sim sweep my.yaml --resume --out ../results/x``) spelled them
    otherwise and was refused as "a different sweep"."""
    stored = plan.spec
    changes: dict[str, Any] = {}
    if given.base != stored.base and str(base_file) == plan.source:
        changes["base"] = stored.base
    held = manifest.get("posterior")
    folder = held.get("path") if isinstance(held, dict) else None
    if (folder and given.posterior not in (None, stored.posterior, "default", "none")
            and Path(given.posterior).expanduser().resolve() == Path(folder)):
        changes["posterior"] = stored.posterior
    return given.with_changes(**changes) if changes else given


def base_changed(spec: SweepSpec | str | Path | Mapping[str, Any], stored: Any,
                 scenario_dirs: tuple[str | Path, ...] = ()) -> bool:
    """Whether ``spec``'s base scenario reads otherwise now than ``stored`` (a sweep
    manifest's ``base_scenario``, as the sweep read it when it started)."""
    return _reads_otherwise(resolve_raw(as_spec(spec).base, scenario_dirs), stored)


def _reads_otherwise(now: dict[str, Any], stored: Any) -> bool:
    """Whether a base scenario's raw data ``now`` differs from ``stored`` (as a manifest keeps
    it: JSON, dates as text)."""
    return json.loads(json.dumps(now, default=str)) != json.loads(json.dumps(stored, default=str))


def _check_same_base(given: SweepSpec, base: dict[str, Any], plan: Plan, out: Path) -> None:
    """Refuse a sweep given to check a ``--resume`` whose base scenario (``base``, its file
    read now) reads otherwise than when the sweep started: the stored runs, and the runs the
    resume adds, are of the scenario as it was then (``manifest.json``'s ``base_scenario``),
    which an edited file would let pass unseen as the sweep of the file as it is."""
    if _reads_otherwise(base, plan.base):
        raise InputError(f"'{out}' holds a sweep of the base scenario '{given.base}' as it was "
                         f"when the sweep started ({plan.source}, stored in its manifest.json's "
                         "base_scenario), and that file (or one it extends) has changed since: "
                         "its stored runs, and the ones --resume would add, are not of the "
                         "scenario as it is now. Put the file back as it was, or continue the "
                         "stored sweep as it was with --resume --out DIR alone, or start a new "
                         "sweep of the edited scenario with --force or another --out.")


def ran_on_this_model(manifest: dict[str, Any]) -> bool:
    """True when a stored sweep's runs came from the running model (its manifest's
    ``model_fingerprint``, see :func:`leverage_sim.simulation.model_fingerprint.matches`)."""
    return model_fingerprint.matches(manifest.get("model_fingerprint"))


def reruns_the_same(manifest: dict[str, Any], out: Path) -> bool:
    """True when running a stored sweep again would give its stored runs: they came from the
    running model (:func:`ran_on_this_model`) and the posterior they drew from, if any, is
    still there unchanged."""
    if not ran_on_this_model(manifest):
        return False
    try:
        _stored_posterior(manifest, out)
    except InputError:
        return False
    return True


def check_same_model(manifest: dict[str, Any], out: Path) -> None:
    """Refuse to add runs of this model to a sweep whose stored runs came from another."""
    if ran_on_this_model(manifest):
        return
    why = ("its manifest records another model fingerprint"
           if manifest.get("model_fingerprint") else
           "it was written before sweeps recorded their model")
    raise InputError(f"The sweep in '{out}' ran on another version of the model ({why}), so "
                     "runs added now would not match the stored ones, and its results are not "
                     "this model's. Run it anew: into another --out, or with --force to replace "
                     "this folder (its stored runs are deleted).")


def _execute(store: SweepStore, manifest: dict[str, Any], plan: Plan, todo: np.ndarray,
             errors: int, pool: Any, chunk_size: int | None, quiet: bool,
             worker_timeout: float) -> int:
    """Run the runs ``todo`` (run_ids) on ``pool``, saving each chunk as it finishes; returns
    the error count of the whole sweep (``errors`` = those already stored)."""
    total = plan.n_runs
    size = chunk_size or max(1, min(MAX_CHUNK, math.ceil(len(todo) / (4 * pool.workers))))
    pending: deque[np.ndarray] = deque(todo[i:i + size] for i in range(0, len(todo), size))
    inflight: dict[Future, np.ndarray] = {}
    tries: Counter[int] = Counter()
    done, t0 = total - len(todo), time.perf_counter()
    bar = _progress_bar(total, done, plan.spec.name, quiet)
    store.update_progress(manifest, done=done, errors=errors, status="running", session_runs=0,
                          session_seconds=0.0)
    written = t0
    watchdog = _Watchdog(pool, worker_timeout)
    warmed = 0  # runs done by this process while no worker was up

    def save(ids: np.ndarray, summary: pa.Table, ts: pa.Table | None) -> None:
        nonlocal done, errors, written
        store.write_chunk(summary, ts)
        done += len(ids)
        errors += error_rows(summary)
        bar.update(len(ids))
        now = time.perf_counter()
        manifest["progress"].update(done=done, errors=errors, session_runs=done - total
                                    + len(todo), session_seconds=round(now - t0, 3))
        if now - written >= PROGRESS_SECONDS:
            store.update_progress(manifest, status="running")
            written = now

    with _deferred_interrupt() as interrupted:
        try:
            while pending or inflight:
                if interrupted():
                    raise KeyboardInterrupt
                if pending and not pool.warm:
                    # Workers are still starting (a fork server or a Dask worker imports the
                    # model first, about a second): meanwhile this process runs a few runs
                    # itself, from the far end of the queue, up to WARMUP_LIMIT.
                    watchdog.check()
                    if warmed >= WARMUP_LIMIT:
                        time.sleep(WORKER_POLL)
                        continue
                    ids = pending.pop()
                    if len(ids) > WARMUP_RUNS:
                        pending.append(ids[WARMUP_RUNS:])
                        ids = ids[:WARMUP_RUNS]
                    save(ids, *run_chunk(plan.chunk(ids)))
                    warmed += len(ids)
                    continue
                while pending and len(inflight) < 2 * pool.workers:
                    ids = pending.popleft()
                    try:
                        inflight[pool.submit(run_chunk, plan.chunk(ids))] = ids
                    except BrokenExecutor:  # a worker died since the last wait: its tasks
                        pending.appendleft(ids)  # fail below and the pool restarts there
                        if not inflight:
                            pool.restart()
                        break
                finished, _ = wait(inflight, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
                if not finished:
                    watchdog.check()
                    continue
                watchdog.progressed()
                broken = False
                for fut in finished:
                    ids = inflight.pop(fut)
                    try:
                        summary, ts = fut.result()
                    except Exception as e:  # noqa: BLE001 - the task itself failed (worker died)
                        broken |= isinstance(e, BrokenExecutor)
                        tries[int(ids[0])] += 1
                        if tries[int(ids[0])] < MAX_TRIES:
                            pending.append(ids)
                            continue
                        summary, ts = failed_chunk(plan.chunk(ids).runs, f"worker failed "
                                                   f"{MAX_TRIES} times: {type(e).__name__}: {e}",
                                                   plan.types), None
                    save(ids, summary, ts)
                if broken:  # every task of the dead pool is lost: run them again on a new one
                    pool.restart()
                    pending.extendleft(inflight.values())
                    inflight.clear()
        except BaseException as e:  # noqa: BLE001 - every stop is recorded, then re-raised
            for fut in inflight:
                fut.cancel()  # tasks not started yet
            if isinstance(e, KeyboardInterrupt):
                # keep what is already running; a second Ctrl-C stops at once
                with contextlib.suppress(KeyboardInterrupt, OSError):
                    for fut in wait(inflight, timeout=60).done:
                        if not fut.cancelled() and fut.exception() is None:
                            save(inflight[fut], *fut.result())
            bar.close()
            raise _stopped(store, manifest, total, e) from None
    bar.close()
    return errors


class _Watchdog:
    """Stops a sweep whose executor has had no worker for ``timeout`` seconds."""

    def __init__(self, pool: Any, timeout: float) -> None:
        self.pool, self.timeout, self.seen = pool, timeout, time.monotonic()

    def progressed(self) -> None:
        """A chunk came back: workers are there."""
        self.seen = time.monotonic()

    def check(self) -> None:
        """Raise :class:`InputError` once no worker has been there for ``timeout`` s."""
        if self.pool.has_workers():
            self.seen = time.monotonic()
        elif time.monotonic() - self.seen > self.timeout:
            raise InputError(
                f"The {self.pool.name} executor has had no worker for {self.timeout:.0f} s (a "
                "Dask scheduler without workers, or all of them gone), so the sweep stopped. "
                "Start workers (`dask worker SCHEDULER_ADDRESS`) or use --executor local; "
                "--worker-timeout sets how long to wait.")


@contextlib.contextmanager
def _deferred_interrupt() -> Iterator[Callable[[], bool]]:
    """Ctrl-C during the sweep loop is acted on between chunks, never halfway through
    submitting or saving one; a second Ctrl-C interrupts at once. Yields ``interrupted()``.
    (Only in the main thread, and only where Ctrl-C raises KeyboardInterrupt.)"""
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        yield lambda: False
        return
    hits: list[int] = []

    def note(signum: int, frame: Any) -> None:
        hits.append(signum)
        signal.signal(signal.SIGINT, signal.default_int_handler)

    signal.signal(signal.SIGINT, note)
    try:
        yield lambda: bool(hits)
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _stopped(store: SweepStore, manifest: dict[str, Any], total: int, e: BaseException
             ) -> BaseException:
    """Mark a stopped sweep ``interrupted`` (progress counted from the stored parts) and
    return the exception to raise: ``e`` with the resume command added or printed."""
    done = manifest["progress"].get("done", 0)
    with contextlib.suppress(Exception):
        ids, errors = store.stored_runs()
        done = len(ids)
        manifest["progress"].update(done=done, errors=errors)
    signalled = stop_reason(e)  # Ctrl-C, SIGTERM, SIGHUP
    reason = signalled or f"{type(e).__name__}: {e}"
    with contextlib.suppress(OSError):
        store.update_progress(manifest, status="interrupted", reason=reason)
    python = ("" if enclosing_folder(store.out) is not None else  # explore's sweep/
              f" (Python: run_sweep(None, {str(store.out)!r}, resume=True))")
    hint = (f"{done} of {total} runs are saved in {store.out}. Resume with "
            f"`{resume_command(store.out)}`{python}; only the missing {total - done} runs "
            "will run.")
    if is_file_system_error(e):  # the plan is stored and the folder kept: never "nothing was
        # left there ... try again", which --force would take to delete the saved runs
        return OutputError(f"{describe_os_error(e, store.out, kept=True)} {hint}")
    if isinstance(e, InputError):
        return type(e)(f"{e} {hint}")
    print(f"\nSweep {stopped_how(signalled)}: {hint}", file=sys.stderr)
    return e


def _progress_bar(total: int, done: int, name: str, quiet: bool) -> Any:
    from tqdm import tqdm

    class Bar(tqdm):
        monitor_interval = 0  # no monitor thread: it outlives the bar, and rules out fork

    off = quiet or env_flag("CI") or not sys.stderr.isatty()
    return Bar(total=total, initial=done, desc=name, unit="run", file=sys.stderr,
                disable=off, dynamic_ncols=True, smoothing=0.1)


def rerun(out: str | Path, run_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run one stored run again with :func:`leverage_sim.simulation.runner.run_one`; returns
    ``(stored_row, new_row)`` (summary rows as dicts, same keys)."""
    store = SweepStore(out)
    plan, manifest = load_plan(store)
    if not 0 <= run_id < plan.n_runs:
        raise InputError(f"run_id {run_id} is not in the sweep in '{store.out}' (run ids go from "
                         f"0 to {plan.n_runs - 1}).")
    stored = store.read_parts(filter=pc.field("run_id") == run_id)
    if stored is None or stored.num_rows == 0:
        raise InputError(f"Run {run_id} has not been run yet (the sweep in '{store.out}' is "
                         f"incomplete); finish it with `{resume_command(store.out)}`.")
    check_seeds(plan, manifest, [run_id], store.out)
    run = plan.run(run_id)
    stored_seed = stored.column("seed")[0].as_py() if "seed" in stored.column_names else None
    if stored_seed != run.seed:
        raise InputError(f"{store.out / 'runs.parquet'} gives run {run_id} the seed {run.seed}, "
                         f"but its stored row in {store.out / 'summary'} was run with seed "
                         f"{stored_seed}: one of them was edited or damaged, so running it "
                         "again would test nothing. Restore the folder as the sweep wrote it, "
                         "or start the sweep again with --force.")
    store.check_stored(stored)  # its point and replication too
    try:
        chunk = plan.chunk([run_id])
        point = point_scenario(plan.base, plan.source, chunk.point_overrides[run.point_id])
        scenario = chunk.run_scenario(point, run, chunk.use(point))
        new = summary_row(run, run_one(scenario, run.seed, run.replication).summary, None)
    except Exception as e:  # noqa: BLE001 - a failing run is reproduced as its error row
        new = summary_row(run, None, f"{type(e).__name__}: {e}")
    new = pa.Table.from_pylist([new], schema=stored.schema).to_pylist()[0]
    return stored.to_pylist()[0], new
