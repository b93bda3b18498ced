"""One replication: its seed, the model stepped to the horizon on either engine, and its tables
and summary row. :mod:`leverage_sim.simulation.runner` runs many of them."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd

from leverage_sim.errors import InputError
from leverage_sim.scenario.limits import MAX_SWEEP_RUNS, check_count, check_seed
from leverage_sim.scenario.loader import load_scenario, with_checked_numbers
from leverage_sim.scenario.schema import Scenario
from leverage_sim.simulation.event_log import EventColumns
from leverage_sim.simulation.model import (
    MILITIA_COLUMNS,
    TIMESERIES_COLUMNS,
    LeverageModel,
    Militia,
)
from leverage_sim.simulation.outcomes import OUTCOMES

SUMMARY_COLUMNS = ("replication", "seed", *OUTCOMES)
"""The summary row of a run: its replication and seed, then the outcomes
(:data:`leverage_sim.simulation.outcomes.OUTCOMES`)."""


def replication_seeds(master_seed: int, n: int) -> list[int]:
    """Per-replication integer seeds: child ``i`` of ``SeedSequence(master_seed)`` (as
    ``SeedSequence(master_seed).spawn(n)[i]``), its first 64-bit word shifted right by one bit.

    Replication ``i`` always gets the same seed, whatever ``n`` is and wherever it runs; the
    integer alone reproduces the run (``run_one(scenario, seed)``). Children are made one at a
    time; ``n`` is at most :data:`~leverage_sim.scenario.limits.MAX_SWEEP_RUNS` (a list of that
    many seeds already holds hundreds of MB).
    """
    master_seed, n = check_seed(master_seed, "master_seed"), check_count(n, "n (seeds)")
    if n > MAX_SWEEP_RUNS:
        raise InputError(f"n (seeds) is at most {MAX_SWEEP_RUNS:,} (the runs one sweep plans), "
                         f"got {n:,}; make the seeds of a larger study in parts (child_seed "
                         "gives any one of them).")
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
"""Ways to run the model: ``fast`` (:mod:`leverage_sim.simulation.fastpath`, compiled; the summary and
the event log only) and ``agent`` (the Mesa agents, the reference; all tables)."""


def check_engine(engine: str) -> str:
    """``engine`` if it is one of :data:`ENGINES` and can run here; else an
    :class:`InputError` (the fast path with numba's compiler turned off by
    ``NUMBA_DISABLE_JIT``, under which every run failed)."""
    if engine not in ENGINES:
        raise InputError(f"Unknown engine '{engine}': use one of {', '.join(ENGINES)}.")
    if engine == "fast":
        config = numba_config(", or run the Mesa agents with --engine agent (engine='agent')")
        if config.DISABLE_JIT:
            raise InputError("The fast engine runs the model compiled by numba, but the "
                             "environment sets NUMBA_DISABLE_JIT, which turns numba's compiler "
                             "off. Unset it (`unset NUMBA_DISABLE_JIT`), or run the Mesa "
                             "agents with --engine agent (engine='agent').")
    return engine


def numba_config(fix: str = "") -> Any:
    """numba's ``numba.core.config``; an :class:`InputError` naming the ``NUMBA_*`` variables
    if numba refuses to start (it reads them when imported: ``NUMBA_NUM_THREADS=0`` was an
    internal error of every verb that needs numba). ``fix`` ends the message's advice."""
    try:
        from numba.core import config
    except ValueError as e:
        raise InputError(f"numba (which compiles the fast engine and validate-model's scores) "
                         f"refused to start: {str(e).rstrip('.')}. A NUMBA_ environment "
                         f"variable says so ({_numba_variables()}): unset it or give it a value "
                         f"numba takes (NUMBA_NUM_THREADS is a count of 1 or more){fix}."
                         ) from None
    return config


def _numba_variables() -> str:
    """The NUMBA_* variables of the environment, as ``NAME='value'`` (for a message)."""
    found = [f"{k}={v!r}" for k, v in sorted(os.environ.items()) if k.startswith("NUMBA_")
             and k != "NUMBA_CACHE_DIR"]
    return ", ".join(found) or "none is set now"


def summary_runner(scenario: Scenario, engine: str = "agent"
                   ) -> Callable[[int], LeverageModel | Any]:
    """``seed -> finished summary-only run`` of ``scenario`` (what :func:`summarise_run` and
    :func:`summary_tables` read) on ``engine``: the fast path (its arrays built once for all
    seeds; a scenario it cannot model runs on the agents) or the agents without daily data."""
    check_engine(engine)
    if engine == "fast":
        from leverage_sim.simulation import fastpath

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
    values set (:func:`~leverage_sim.scenario.loader.with_checked_numbers`), and on the fast
    path its arrays are the base's with the values written into their columns
    (:meth:`leverage_sim.simulation.fastpath.Runner.varied`) rather than built; each falls back to the
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
    (:class:`~leverage_sim.simulation.event_log.EventColumns`), what the calibration statistics read
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


def run_one(scenario: Scenario | str | Path, seed: int, replication: int = 0) -> RunTables:
    """Simulate one replication of ``scenario`` (a :class:`Scenario`, a name or a YAML path)
    with integer ``seed`` (0 to 2**63-1, as :func:`~leverage_sim.scenario.limits.check_seed`
    checks); all its tables, whose ``replication`` column holds ``replication`` (a whole
    number from 0, checked as a seed: text or a fraction would be written into the tables)."""
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    seed, replication = check_seed(seed), check_seed(replication, "replication")
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
