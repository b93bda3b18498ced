"""Running a scenario many times: replications with their seeds, each with parameters drawn from a
posterior, and the result tables (:class:`Results`). One replication: :mod:`.replication`."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from leverage_sim.errors import InputError
from leverage_sim.files.safe_yaml import require_path
from leverage_sim.scenario import overrides as ov
from leverage_sim.scenario.limits import (
    check_count,
    check_format,
    check_run_size,
    check_seed,
    long_run_note,
    run_memory_limit,
)
from leverage_sim.scenario.loader import Overrides, load_scenario
from leverage_sim.scenario.schema import Scenario
from leverage_sim.simulation import posterior as post
from leverage_sim.simulation.provenance import inputs_text, override_texts
from leverage_sim.simulation.replication import (  # noqa: F401 (the runner's API, as before)
    ENGINES,
    SUMMARY_COLUMNS,
    RunTables,
    SummaryTables,
    Variants,
    check_engine,
    child_seed,
    collect,
    release,
    replication_seeds,
    run_one,
    simulate,
    summarise_run,
    summary_runner,
    summary_tables,
)


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

    ``posterior``: the posterior's record (:meth:`leverage_sim.simulation.posterior.Posterior.record`),
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
        """What this run was computed from, in words (:func:`leverage_sim.simulation.provenance.inputs_text`):
        scenario, overrides and parameters."""
        return inputs_text(self.scenario.name, self.overrides, self.posterior)

    def save(self, out: str | Path, fmt: str = "parquet", force: bool = False) -> list[Path]:
        """Write the four tables (and ``draws`` with a posterior) to the new folder ``out`` as
        ``NAME.parquet`` (or ``.csv``); returns their paths. ``force`` replaces a folder leverage-sim wrote (see
        :func:`leverage_sim.files.output_dir.claim_output`: never one holding other files)."""
        from leverage_sim.files.output_dir import claim_output

        check_format(fmt)  # before the folder is claimed
        with claim_output(out, "run", force=force) as folder:
            names = [p.name for p in self.write_tables(folder.path, fmt)]
        return [folder.target / name for name in names]

    def write_tables(self, folder: Path, fmt: str = "parquet") -> list[Path]:
        """Write the four tables (and ``draws`` with a posterior) into the existing (claimed)
        ``folder``; returns their paths. Never over a file already there (an
        :class:`InputError` naming it, before anything is written): :meth:`save` is the way to
        replace a result."""
        check_format(fmt)
        folder = Path(require_path(folder, "write_tables' folder"))
        if not folder.is_dir():
            raise InputError(f"write_tables' folder '{folder}' is not an existing folder: "
                             "create it first, or use Results.save(out), which creates it.")
        tables = (*self.TABLES, *(("draws",) if self.posterior else ()))
        for name in tables:
            if not isinstance(getattr(self, name), pd.DataFrame):
                raise InputError(f"Results.{name} must be a pandas DataFrame to be written, "
                                 f"got {type(getattr(self, name)).__name__}: put back the "
                                 "table the run returned (or a DataFrame in its place).")
        paths = {name: folder / f"{name}.{fmt}" for name in tables}
        there = [path.name for path in paths.values() if os.path.lexists(path)]
        if there:
            raise InputError(f"'{folder}' already holds {', '.join(there)}: write_tables "
                             "writes only new files and never replaces one. Give a new "
                             "folder, or use Results.save(out, force=True) to replace a "
                             "result leverage-sim wrote.")
        if fmt == "parquet":  # every table converts before any is written
            for name in tables:
                _check_parquet(getattr(self, name), name)
        for name, path in paths.items():
            df: pd.DataFrame = getattr(self, name)
            df.to_parquet(path, index=False) if fmt == "parquet" else df.to_csv(path, index=False)
        return list(paths.values())


def _check_parquet(df: pd.DataFrame, name: str) -> None:
    """An :class:`InputError` naming the table and the fix if ``df`` has a column Parquet
    cannot hold (Python objects put in by hand)."""
    import pyarrow as pa

    try:
        pa.Table.from_pandas(df, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as err:
        why = "; ".join(map(str, err.args))
        raise InputError(f"Results.{name} cannot be written as Parquet ({why}). Convert that "
                         "column to numbers or text (or drop it), or write CSV "
                         "(fmt='csv').") from None


def require_results(res: object, what: str) -> Results:
    """``res`` if it is a :class:`Results` (what :func:`leverage_sim.run` returns); else an
    :class:`InputError` naming ``what`` and what it got (a table is not its run)."""
    if not isinstance(res, Results):
        hint = (" (a table: give the Results it came from)" if isinstance(res, pd.DataFrame)
                else "")
        raise InputError(f"{what} must be the Results of leverage_sim.run, got "
                         f"{type(res).__name__}{hint}.")
    return res


def _loop(progress: Callable[[Iterable[int]], Iterable[int]] | None, n: int) -> Iterable[int]:
    """The loop over ``n`` replications, wrapped by ``progress`` if given; an
    :class:`InputError` if ``progress`` is no such wrapper."""
    if progress is None:
        return range(n)
    if not callable(progress):
        raise InputError(f"progress must be a callable that wraps the loop of replications (e.g. "
                         f"tqdm.tqdm), got {type(progress).__name__} {progress!r}.")
    loop = progress(range(n))
    if not isinstance(loop, Iterable):
        raise InputError(f"progress returned {type(loop).__name__}, not the loop it was given: "
                         "it must return the iterable, wrapped (as tqdm.tqdm does).")
    return loop


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
            :func:`leverage_sim.scenario.limits.run_memory_limit`); checked after the first replication
            (:func:`leverage_sim.scenario.limits.check_run_size`).
        posterior: a calibration's posterior (a folder, ``"default"``, ``"none"`` or a
            :class:`~leverage_sim.simulation.posterior.Posterior`): replication ``i`` then runs with the
            parameter set drawn from its seed, under the scenario's own changes and
            ``overrides`` (see :mod:`leverage_sim.simulation.posterior`). Default:
            :data:`leverage_sim.simulation.posterior.DEFAULT_POSTERIOR` (the committed calibration);
            ``None`` or ``"none"`` runs the scenario's own values.
        engine: ``agent`` (default: all four tables) or ``fast`` (:data:`ENGINES`: the
            summary and events only, ``timeseries`` and ``militias`` empty; same values).
    """
    overrides = ov.reusable(overrides)  # applied, then recorded: read twice
    if not isinstance(scenario, Scenario) \
            or (overrides and scenario.overrides != ov.normalise(overrides)):
        scenario = load_scenario(scenario, overrides)  # not twice: a renamed entry is gone
    replications = check_count(replications, "replications")
    master = check_seed(scenario.seed if seed is None else seed)
    limit = run_memory_limit() if memory_limit is None else check_count(memory_limit,
                                                                        "memory_limit (bytes)")
    posterior = post.resolve(posterior)
    use = posterior.use(scenario, ov.normalise(overrides)) if posterior else None
    t0 = started = time.perf_counter()
    tables, seeds = [], []
    for i in _loop(progress, replications):
        if i != len(tables):
            raise InputError(f"progress must yield the replications it is given, in order (0, "
                             f"1, 2, ...), as tqdm does; replication {len(tables)} came as "
                             f"{i!r}.")
        seeds.append(child_seed(master, (i,)))
        drawn = posterior.apply(scenario, seeds[i], use) if posterior else scenario
        tables.append(run_one(drawn, seeds[i], i) if engine == "agent"
                      else summary_tables(summary_runner(drawn, engine)(seeds[i]), seeds[i], i))
        if i == 0:  # the tables' size, measured on the first replication, before the others
            check_run_size(scenario.name, replications, table_bytes(tables[0]),
                           time.perf_counter() - t0, limit, scenario.horizon_days)
        elif i == 1:  # the time, on the second: the first pays one-time costs (compiling the
            # fast path, reading the posterior), which made a 2 s run announce 2 minutes
            note = long_run_note(replications, table_bytes(tables[0]),
                                 time.perf_counter() - started)
            if note:
                print(note, file=sys.stderr)
        started = time.perf_counter()
    if len(tables) != replications:
        raise InputError(f"progress yielded {len(tables)} of the {replications} replications it "
                         "was given; it must yield every one (as tqdm does).")
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

