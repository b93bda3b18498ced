"""Running a scenario: seeds, one replication, many replications, and the result tables."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd

from leverage_sim import overrides as ov
from leverage_sim import posterior as post
from leverage_sim.errors import InputError
from leverage_sim.model import MILITIA_COLUMNS, LeverageModel, Militia
from leverage_sim.scenario_loader import Overrides, load_scenario
from leverage_sim.schema import Scenario

SUMMARY_COLUMNS = (
    "replication", "seed", "raids", "arrests", "max_muster_size", "public_threats", "standoffs",
    "held_firm", "relents", "clashes", "detainees_released", "attacks", "attacks_intercepted",
    "us_casualties", "us_strikes", "final_authority", "final_mean_autonomy", "us_withdrawn",
    "withdrawal_day",
)


def replication_seeds(master_seed: int, n: int) -> list[int]:
    """Per-replication integer seeds from ``SeedSequence(master_seed).spawn(n)``.

    Replication ``i`` always gets the same seed, whatever ``n`` is and wherever it runs; the
    integer alone reproduces the run (``run_one(scenario, seed)``).
    """
    children = np.random.SeedSequence(master_seed).spawn(n)
    return [int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for c in children]


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
    ts = dc.get_model_vars_dataframe().reset_index(drop=True)
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
    """One summary row: counts of what happened and the final state (no DataFrames: cheap)."""
    counts: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for _, _, action, _, _, value in model.log.rows:
        counts[action] += 1
        totals[action] += value
    outcomes = [s.outcome for s in model.standoffs]
    ff = model.foreign_force
    return {
        "replication": replication,
        "seed": seed,
        "raids": counts["raid"],
        "arrests": int(totals["raid"]),
        "max_muster_size": max((s.muster + s.allied_fighters for s in model.standoffs),
                               default=0),
        "public_threats": counts["public_threat"],
        "standoffs": len(model.standoffs),
        "held_firm": sum(o in ("held_firm", "clash_won") for o in outcomes),
        "relents": sum(o in ("relented", "clash_lost") for o in outcomes),
        "clashes": counts["clash"],
        "detainees_released": int(totals["release"]),
        "attacks": counts["attack"],
        "attacks_intercepted": counts["interception"],
        "us_casualties": int(ff.casualties),
        "us_strikes": counts["strike"],
        "final_authority": float(model.government.authority),
        "final_mean_autonomy": float(model.mean_autonomy),
        "us_withdrawn": ff.withdrawal_day is not None,
        "withdrawal_day": ff.withdrawal_day if ff.withdrawal_day is not None else -1,
    }


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
    or None for the scenario's own parameters.
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

    TABLES = ("timeseries", "militias", "events", "summary")

    def save(self, out: str | Path, fmt: str = "parquet") -> list[Path]:
        """Write the four tables (and ``draws`` with a posterior) to ``out`` as
        ``NAME.parquet`` (or ``.csv``); returns paths."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for name in (*self.TABLES, *(("draws",) if self.posterior else ())):
            df: pd.DataFrame = getattr(self, name)
            path = out / f"{name}.{fmt}"
            df.to_parquet(path, index=False) if fmt == "parquet" else df.to_csv(path, index=False)
            paths.append(path)
        return paths


def run(scenario: Scenario | str | Path, replications: int = 1, seed: int | None = None,
        overrides: Overrides = None,
        progress: Callable[[Iterable[int]], Iterable[int]] | None = None,
        posterior: post.PosteriorLike = post.DEFAULT_POSTERIOR) -> Results:
    """Run ``replications`` of a scenario (a :class:`Scenario`, a name or a YAML path).

    Args:
        scenario: what to run; names and paths go through :func:`load_scenario`.
        replications: number of independent replications (≥ 1).
        seed: master seed (default: the scenario's ``seed``); replication seeds are spawned from
            it with ``numpy.random.SeedSequence``, so the same seed gives identical tables.
        overrides: dotted overrides applied before running (see :func:`load_scenario`).
        progress: optional wrapper around the replication loop (e.g. ``tqdm``).
        posterior: a calibration's posterior (a folder, ``"default"``, ``"none"`` or a
            :class:`~leverage_sim.posterior.Posterior`): replication ``i`` then runs with the
            parameter set drawn from its seed, under the scenario's own changes and
            ``overrides`` (see :mod:`leverage_sim.posterior`). Default:
            :data:`leverage_sim.posterior.DEFAULT_POSTERIOR`.
    """
    if not isinstance(scenario, Scenario) or overrides:
        scenario = load_scenario(scenario, overrides)
    if replications < 1:
        raise InputError(f"replications must be at least 1, got {replications}.")
    master = scenario.seed if seed is None else seed
    seeds = replication_seeds(master, replications)
    posterior = post.resolve(posterior)
    use = posterior.use(scenario, ov.normalise(overrides)) if posterior else None
    t0 = time.perf_counter()
    loop = range(replications) if progress is None else progress(range(replications))
    tables = [run_one(posterior.apply(scenario, seeds[i], use) if posterior else scenario,
                      seeds[i], i) for i in loop]
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
    )
