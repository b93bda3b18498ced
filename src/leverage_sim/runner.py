"""Running a scenario: seeds, one replication, many replications, and the result tables."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd

from leverage_sim import overrides as ov
from leverage_sim import posterior as post
from leverage_sim.errors import InputError
from leverage_sim.event_log import EventColumns
from leverage_sim.limits import check_count, check_run_size, check_seed, run_memory_limit
from leverage_sim.model import MILITIA_COLUMNS, TIMESERIES_COLUMNS, LeverageModel, Militia
from leverage_sim.outcomes import OUTCOMES
from leverage_sim.provenance import inputs_text, override_texts
from leverage_sim.scenario_loader import Overrides, load_scenario, with_checked_numbers
from leverage_sim.schema import Scenario

SUMMARY_COLUMNS = ("replication", "seed", *OUTCOMES)
"""The summary row of a run: its replication and seed, then the outcomes
(:data:`leverage_sim.outcomes.OUTCOMES`)."""


def replication_seeds(master_seed: int, n: int) -> list[int]:
    """Per-replication integer seeds: child ``i`` of ``SeedSequence(master_seed)`` (as
    ``SeedSequence(master_seed).spawn(n)[i]``), its first 64-bit word shifted right by one bit.

    Replication ``i`` always gets the same seed, whatever ``n`` is and wherever it runs; the
    integer alone reproduces the run (``run_one(scenario, seed)``). Children are made one at a
    time, so memory does not grow with ``n``.
    """
    return [child_seed(master_seed, (i,)) for i in range(n)]


def child_seed(master_seed: int, spawn_key: tuple[int, ...]) -> int:
    """The integer seed of the ``SeedSequence`` child of ``master_seed`` at ``spawn_key``
    (``(i,)`` = ``spawn(...)[i]``; ``(i, j)`` = ``spawn(...)[i].spawn(...)[j]``)."""
    child = np.random.SeedSequence(master_seed, spawn_key=spawn_key)
    return int(child.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


@dataclass
class RunTables:
    """The tables of one replication."""

    timeseries: pd.DataFrame
    militias: pd.DataFrame
    events: pd.DataFrame
    summary: dict[str, Any]


def simulate(scenario: Scenario, seed: int, collect_data: bool = True) -> LeverageModel:
    """A model of ``scenario`` seeded with integer ``seed``, stepped to its horizon (without
    daily data collection if ``collect_data`` is False: enough for :func:`summarise_run`)."""
    model = LeverageModel(scenario, seed, collect_data)
    for _ in range(scenario.horizon_days):
        model.step()
    return model


ENGINES = ("fast", "agent")
"""Ways to run the model: ``fast`` (:mod:`leverage_sim.fastpath`, compiled; the summary and
the event log only) and ``agent`` (the Mesa agents, the reference; all tables)."""


def summary_runner(scenario: Scenario, engine: str = "agent"
                   ) -> Callable[[int], LeverageModel | Any]:
    """``seed -> finished summary-only run`` of ``scenario`` (what :func:`summarise_run` and
    :func:`summary_tables` read) on ``engine``: the fast path (its arrays built once for all
    seeds; a scenario it cannot model runs on the agents) or the agents without daily data."""
    if engine not in ENGINES:
        raise InputError(f"Unknown engine '{engine}': use one of {', '.join(ENGINES)}.")
    if engine == "fast":
        from leverage_sim import fastpath

        try:
            return fastpath.Runner(scenario)
        except fastpath.Unsupported:
            pass
    return lambda seed: simulate(scenario, seed, collect_data=False)


class Variants:
    """Summary-only runners of one scenario with a few numbers changed (calibration's
    particles): ``Variants(base, engine, validate)(values)`` is ``summary_runner(
    validate(values), engine)``, where ``validate`` applies ``values`` (paths as ``--set``
    takes them) to the base's file and validates the result in full.

    With ``checked`` (the values are known to lie in their fields' ranges: a particle inside
    priors checked against the schema) the particle's scenario is the base's copy with the
    values set (:func:`~leverage_sim.scenario_loader.with_checked_numbers`), and on the fast
    path its arrays are the base's with the values written into their columns
    (:meth:`leverage_sim.fastpath.Runner.varied`) rather than built; each falls back to the
    full way when it cannot vouch for the result. The same runs either way."""

    def __init__(self, base: Scenario, engine: str,
                 validate: Callable[[Mapping[str, Any]], Scenario]) -> None:
        self.base, self.engine, self.validate = base, engine, validate
        self._runner: Any = None

    def __call__(self, values: Mapping[str, Any], checked: bool = True
                 ) -> Callable[[int], LeverageModel | Any]:
        scenario = with_checked_numbers(self.base, values) if checked else None
        if scenario is None:
            return summary_runner(self.validate(values), self.engine)
        if self.engine == "fast":
            if self._runner is None:
                self._runner = summary_runner(self.base, "fast")
            varied = getattr(self._runner, "varied", None)  # None: the agents run it
            if varied is not None:
                return varied(scenario, values)
        return summary_runner(scenario, self.engine)


class SummaryTables(RunTables):
    """The tables of a summary-only run: the summary row at once; the events frame (with its
    ``replication`` column) and the empty daily tables when first read; ``event_columns``
    (:class:`~leverage_sim.event_log.EventColumns`), what the calibration statistics read
    without any DataFrame."""

    def __init__(self, model: LeverageModel | Any, seed: int, replication: int) -> None:
        self._log, self._replication = model.log, replication
        self.summary = summarise_run(model, seed, replication)

    @cached_property
    def event_columns(self) -> EventColumns:
        return self._log.columns()

    @cached_property
    def events(self) -> pd.DataFrame:
        events = self._log.frame()
        events.insert(0, "replication", self._replication)
        return events

    @cached_property
    def timeseries(self) -> pd.DataFrame:
        return pd.DataFrame()

    @cached_property
    def militias(self) -> pd.DataFrame:
        return pd.DataFrame()


def summary_tables(model: LeverageModel | Any, seed: int, replication: int = 0) -> RunTables:
    """A finished summary-only run's tables: the event log and summary (no daily tables;
    frames built when read, see :class:`SummaryTables`)."""
    return SummaryTables(model, seed, replication)


def release(model: mesa.Model) -> None:
    """Let a finished model be garbage-collected: Mesa < 3.5 keeps every model alive through
    the class attribute ``Agent._ids`` (mesa/mesa#3179, fixed in #3180), ~0.1 MB per run."""
    ids = getattr(mesa.Agent, "_ids", None)
    if isinstance(ids, dict):
        ids.pop(model, None)


def run_one(scenario: Scenario, seed: int, replication: int = 0) -> RunTables:
    """Simulate one replication of ``scenario`` with integer ``seed``; all its tables."""
    model = simulate(scenario, seed)
    try:
        return collect(model, seed, replication)
    finally:
        release(model)


def collect(model: LeverageModel, seed: int, replication: int) -> RunTables:
    """Turn a finished model into its tables."""
    dc = model.datacollector
    ts = dc.get_model_vars_dataframe()[["day", *TIMESERIES_COLUMNS]].reset_index(drop=True)
    ts.insert(0, "replication", replication)
    ts.insert(2, "date", pd.to_datetime(
        [model.spec.date_of(int(d)) for d in ts["day"]]))
    mil = dc.get_agenttype_vars_dataframe(Militia).reset_index()
    mil = pd.DataFrame({
        "replication": replication, "day": ts["day"].to_numpy().repeat(len(model.militias)),
        **{c: mil[c].to_numpy() for c in ("militia", *MILITIA_COLUMNS)},
    })
    ev = model.log.frame()
    ev.insert(0, "replication", replication)
    return RunTables(ts, mil, ev, summarise_run(model, seed, replication))


def summarise_run(model: LeverageModel, seed: int, replication: int) -> dict[str, Any]:
    """One summary row (:data:`SUMMARY_COLUMNS`): counts of what happened and the final state,
    from the same functions as the model's outcome reporters (cheap: no DataFrames)."""
    return {"replication": replication, "seed": seed,
            **{name: outcome(model) for name, outcome in OUTCOMES.items()}}


@dataclass
class Results:
    """Tables from a multi-replication run (pandas DataFrames).

    - ``timeseries``: one row per (replication, day) with ``TIMESERIES_COLUMNS``;
    - ``militias``: one row per (replication, day, militia): fighters, autonomy, detained;
    - ``events``: one row per action (replication, day, date, actor, action, target, detail,
      value);
    - ``summary``: one row per replication with ``SUMMARY_COLUMNS``;
    - ``draws``: with a posterior, one row per replication (replication, seed, then each
      parameter path that took the draw, with its drawn value); empty otherwise.

    ``posterior``: the posterior's record (:meth:`leverage_sim.posterior.Posterior.record`),
    or None for the scenario's own parameters. ``overrides``: the dotted overrides applied on
    top of the scenario file (``path=value`` texts, as ``--set`` takes them).
    """

    scenario: Scenario
    seed: int
    timeseries: pd.DataFrame
    militias: pd.DataFrame
    events: pd.DataFrame
    summary: pd.DataFrame
    seconds: float = 0.0
    seeds: list[int] = field(default_factory=list)
    draws: pd.DataFrame = field(default_factory=pd.DataFrame)
    posterior: dict[str, Any] | None = None
    overrides: list[str] = field(default_factory=list)

    TABLES = ("timeseries", "militias", "events", "summary")

    @property
    def inputs(self) -> str:
        """What this run was computed from, in words (:func:`leverage_sim.provenance.inputs_text`):
        scenario, overrides and parameters."""
        return inputs_text(self.scenario.name, self.overrides, self.posterior)

    def save(self, out: str | Path, fmt: str = "parquet", force: bool = False) -> list[Path]:
        """Write the four tables (and ``draws`` with a posterior) to the new folder ``out`` as
        ``NAME.parquet`` (or ``.csv``); returns their paths. ``force`` replaces a folder leverage-sim wrote (see
        :func:`leverage_sim.output_dir.claim_output`: never one holding other files)."""
        from leverage_sim.output_dir import claim_output

        with claim_output(out, "run", force=force) as folder:
            names = [p.name for p in self.write_tables(folder.path, fmt)]
        return [folder.target / name for name in names]

    def write_tables(self, folder: Path, fmt: str = "parquet") -> list[Path]:
        """Write the four tables (and ``draws`` with a posterior) into the existing (claimed)
        ``folder``; returns their paths."""
        paths = []
        for name in (*self.TABLES, *(("draws",) if self.posterior else ())):
            df: pd.DataFrame = getattr(self, name)
            path = folder / f"{name}.{fmt}"
            df.to_parquet(path, index=False) if fmt == "parquet" else df.to_csv(path, index=False)
            paths.append(path)
        return paths


def table_bytes(tables: RunTables) -> int:
    """Memory held by one replication's tables (bytes, including strings)."""
    frames = (tables.timeseries, tables.militias, tables.events)
    return int(sum(df.memory_usage(deep=True).sum() for df in frames)) + 200


def run(scenario: Scenario | str | Path, replications: int = 1, seed: int | None = None,
        overrides: Overrides = None,
        progress: Callable[[Iterable[int]], Iterable[int]] | None = None,
        memory_limit: int | None = None,
        posterior: post.PosteriorLike = post.DEFAULT_POSTERIOR,
        engine: str = "agent") -> Results:
    """Run ``replications`` of a scenario (a :class:`Scenario`, a name or a YAML path).

    Args:
        scenario: what to run; names and paths go through :func:`load_scenario`.
        replications: number of independent replications (≥ 1).
        seed: master seed (default: the scenario's ``seed``); replication seeds are spawned from
            it with ``numpy.random.SeedSequence``, so the same seed gives identical tables.
        overrides: dotted overrides applied before running (see :func:`load_scenario`).
        progress: optional wrapper around the replication loop (e.g. ``tqdm``).
        memory_limit: bytes the tables may fill (default
            :func:`leverage_sim.limits.run_memory_limit`); checked after the first replication
            (:func:`leverage_sim.limits.check_run_size`).
        posterior: a calibration's posterior (a folder, ``"default"``, ``"none"`` or a
            :class:`~leverage_sim.posterior.Posterior`): replication ``i`` then runs with the
            parameter set drawn from its seed, under the scenario's own changes and
            ``overrides`` (see :mod:`leverage_sim.posterior`). Default:
            :data:`leverage_sim.posterior.DEFAULT_POSTERIOR` (the committed calibration);
            ``None`` or ``"none"`` runs the scenario's own values.
        engine: ``agent`` (default: all four tables) or ``fast`` (:data:`ENGINES`: the
            summary and events only, ``timeseries`` and ``militias`` empty; same values).
    """
    if not isinstance(scenario, Scenario) or overrides:
        scenario = load_scenario(scenario, overrides)
    check_count(replications, "replications")
    master = check_seed(scenario.seed if seed is None else seed)
    limit = run_memory_limit() if memory_limit is None else memory_limit
    posterior = post.resolve(posterior)
    use = posterior.use(scenario, ov.normalise(overrides)) if posterior else None
    t0 = time.perf_counter()
    loop = range(replications) if progress is None else progress(range(replications))
    tables, seeds = [], []
    for i in loop:
        seeds.append(child_seed(master, (i,)))
        drawn = posterior.apply(scenario, seeds[i], use) if posterior else scenario
        tables.append(run_one(drawn, seeds[i], i) if engine == "agent"
                      else summary_tables(summary_runner(drawn, engine)(seeds[i]), seeds[i], i))
        if i == 0:  # measured on the first replication, before the others run
            note = check_run_size(scenario.name, replications, table_bytes(tables[0]),
                                  time.perf_counter() - t0, limit, scenario.horizon_days)
            if note:
                print(note, file=sys.stderr)
    return Results(
        scenario=scenario,
        seed=master,
        timeseries=pd.concat([t.timeseries for t in tables], ignore_index=True),
        militias=pd.concat([t.militias for t in tables], ignore_index=True),
        events=pd.concat([t.events for t in tables], ignore_index=True),
        summary=pd.DataFrame([t.summary for t in tables], columns=list(SUMMARY_COLUMNS)),
        seconds=time.perf_counter() - t0,
        seeds=seeds,
        draws=posterior.draws_table(seeds, use) if posterior else pd.DataFrame(),
        posterior=posterior.record(use) if posterior else None,
        overrides=override_texts(overrides),
    )

