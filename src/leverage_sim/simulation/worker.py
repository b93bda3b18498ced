"""What a worker process does: run a chunk of (point, replication) runs, return Arrow tables.

Tasks carry the base scenario's raw data, so workers (local processes or Dask workers on other
machines) need the package but not the scenario files.
"""

from __future__ import annotations

import copy
import gc
import numbers
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import psutil
import pyarrow as pa

from leverage_sim.errors import stop_signals
from leverage_sim.scenario.loader import validate
from leverage_sim.scenario.schema import Scenario
from leverage_sim.simulation.posterior import Posterior, Use
from leverage_sim.simulation.runner import collect, release, simulate, summarise_run, summary_runner

RUN_COLUMNS = ("run_id", "point_id", "replication", "seed")
"""Identify a run; every summary and time-series row starts with these."""



class Run(NamedTuple):
    """One run of a sweep: replication ``replication`` of design point ``point_id``."""

    run_id: int
    point_id: int
    replication: int
    seed: int


@dataclass(frozen=True)
class Chunk:
    """A task: runs to do, with what each needs. ``every`` = keep every n-th day of the time
    series (None: summaries only). ``types`` = summary column -> Arrow type name. ``engine``:
    how summaries-only runs are simulated (:data:`leverage_sim.simulation.runner.ENGINES`)."""

    base: dict[str, Any]
    source: str
    runs: list[Run]
    point_overrides: dict[int, dict[str, Any]]
    types: dict[str, str] = field(default_factory=dict)
    every: int | None = None
    posterior: Posterior | None = None
    fixed: tuple[str, ...] = ()
    engine: str = "agent"

    def use(self, point: Scenario) -> Use | None:
        """How the posterior meets a point's scenario (swept and fixed paths keep their
        values); None without a posterior."""
        return self.posterior.use(point, self.fixed) if self.posterior else None

    def run_scenario(self, point: Scenario, run: Run, use: Use | None) -> Scenario:
        """The scenario ``run`` simulates: its point's, with the posterior draw for its seed
        on the paths ``use.drawn`` (``use``: :meth:`use` of ``point``)."""
        return self.posterior.apply(point, run.seed, use) if self.posterior else point


def point_scenario(base: Mapping[str, Any], source: str, overrides: Mapping[str, Any]
                   ) -> Scenario:
    """The validated scenario of one design point (base raw data + dotted overrides)."""
    return validate(copy.deepcopy(dict(base)), source, dict(overrides))


def run_tables(scenario: Scenario, seed: int, replication: int, every: int | None,
               engine: str = "agent", runner: Callable[[int], Any] | None = None
               ) -> tuple[dict[str, Any], pd.DataFrame | None]:
    """Summary row (and, if ``every``, the thinned daily time series) of one run.

    Without time series only :func:`summarise_run` is called on the simulated model (on
    ``engine``, or by ``runner``: :func:`summary_runner` of ``scenario``, reused across
    seeds), skipping the DataFrames :func:`collect` builds; the summary is the same as
    :func:`run_one`'s (``rerun`` checks).
    """
    if every is None:
        model = (runner or summary_runner(scenario, engine))(seed)
        try:
            return summarise_run(model, seed, replication), None
        finally:
            release(model)
    model = simulate(scenario, seed, collect_data=True)
    try:
        tables = collect(model, seed, replication)  # what run_one returns
        return tables.summary, tables.timeseries[tables.timeseries["day"] % every == 0]
    finally:
        release(model)


def summary_row(run: Run, summary: Mapping[str, Any] | None, error: str | None
                ) -> dict[str, Any]:
    """The stored row: run identity, error text (None if fine), then the summary figures."""
    figures = {k: v for k, v in (summary or {}).items() if k not in RUN_COLUMNS}
    return {**run._asdict(), "error": error, **figures}


def arrow_types(summary: Mapping[str, Any]) -> dict[str, str]:
    """Arrow type names of a summary row's figures (from one example row)."""
    return {k: _arrow_type(v) for k, v in summary.items() if k not in RUN_COLUMNS}


def _arrow_type(value: Any) -> str:
    if isinstance(value, bool | np.bool_):
        return "bool"
    if isinstance(value, numbers.Integral):
        return "int64"
    return "double" if isinstance(value, numbers.Real) else "string"


def summary_schema(types: Mapping[str, str]) -> pa.Schema:
    """Schema of the stored summary rows."""
    return pa.schema([*((c, pa.int64()) for c in RUN_COLUMNS), ("error", pa.string()),
                      *((c, pa.type_for_alias(t)) for c, t in types.items())])


def run_chunk(chunk: Chunk) -> tuple[pa.Table, pa.Table | None]:
    """Run every run of ``chunk``; a run (or a point) that raises gives a row with its error.

    Returns the summary table (``summary_schema``) and the time-series table (or None).
    """
    scenarios: dict[int, tuple[Scenario, Use | None]] = {}
    runners: dict[int, Callable[[int], Any]] = {}  # summaries of a point's own scenario
    rows, series = [], []
    for run in chunk.runs:
        try:
            if run.point_id not in scenarios:
                point = point_scenario(chunk.base, chunk.source,
                                       chunk.point_overrides[run.point_id])
                scenarios[run.point_id] = point, chunk.use(point)
            point, use = scenarios[run.point_id]
            runner = None
            if chunk.every is None and chunk.posterior is None:
                if run.point_id not in runners:
                    runners[run.point_id] = summary_runner(point, chunk.engine)
                runner = runners[run.point_id]
            summary, ts = run_tables(chunk.run_scenario(point, run, use), run.seed,
                                     run.replication, chunk.every, chunk.engine, runner)
        except Exception as e:  # noqa: BLE001 - any failure of one run is data, not fatal
            rows.append(summary_row(run, None, f"{type(e).__name__}: {e}"))
            continue
        rows.append(summary_row(run, summary, None))
        if ts is not None:
            ts = ts.drop(columns="replication")
            for i, col in enumerate(RUN_COLUMNS):
                ts.insert(i, col, getattr(run, col))
            series.append(ts)
    summary_table = pa.Table.from_pylist(rows, schema=summary_schema(chunk.types))
    ts_table = (pa.Table.from_pandas(pd.concat(series, ignore_index=True), preserve_index=False)
                if series else None)
    return summary_table, ts_table


def failed_chunk(runs: Iterable[Run], error: str, types: Mapping[str, str]) -> pa.Table:
    """Summary rows recording that ``runs`` could not be run at all (e.g. a worker kept dying)."""
    return pa.Table.from_pylist([summary_row(r, None, error) for r in runs],
                                schema=summary_schema(types))


def init_worker(parent_pid: int) -> None:
    """Pool initializer. Ctrl-C is left to the parent (which saves finished chunks); SIGTERM
    (the parent ending a worker whose task nobody will read) and SIGHUP (the terminal closed:
    the parent stops too), unless ignored, stop the worker at once: a forked worker would
    otherwise inherit the command line's handler, which raises SystemExit wherever the worker
    is, and inside a compile of the fast path that prints a traceback. The
    worker exits when the parent is gone: a killed sweep must not leave idle workers behind
    (a pool worker whose parent died would otherwise wait for work forever).

    Everything the worker starts with (the imported package, the fork parent's objects) is
    frozen out of garbage collection: a full collection would otherwise walk all of it — and,
    after a fork, copy every page it touches — about 60 ms a time, 4% of a 2,000-run sweep.
    """
    gc.freeze()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for sig in stop_signals():
        signal.signal(sig, signal.SIG_DFL)
    parent = psutil.Process(parent_pid)

    def watch() -> None:
        while True:
            try:
                if not parent.is_running() or parent.status() == psutil.STATUS_ZOMBIE:
                    break
            except psutil.Error:
                break
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="leverage-sim-parent-watch", daemon=True).start()


def ready() -> None:
    """A no-op task: once it has run, a worker is up with this package imported."""
