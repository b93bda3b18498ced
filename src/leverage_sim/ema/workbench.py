"""A ready EMA Workbench model of a scenario (optional extra: ``pip install leverage-sim[ema]``).

    from ema_workbench import perform_experiments
    from leverage_sim import ema

    model = ema.model("june_2020_replay", replications=20,
                      levers=["foreign_forces.backing", "government.resolve"],
                      uncertainties=["patron.instigation"])
    experiments, outcomes = perform_experiments(model, scenarios=20, policies=10)

Levers (``model.levers``: what the analyst chooses) and uncertainties (``model.uncertainties``:
what nobody controls) are parameter paths (as in ``--set``) or lever keywords
(:data:`leverage_sim.scenario.levers.LEVERS`), over their schema ranges or a narrower range you give,
named as Python identifiers as EMA requires (``foreign_forces.backing`` →
``foreign_forces_backing``; :func:`lever_name`). Parameters added the EMA way
(``model.levers = [RealParameter("foreign_forces_backing", 0, 1)]``) are set too, named by
:func:`lever_name` of a path, a lever keyword or a dotted ``variable_name``; a name that is none
of these stops the experiment with an :class:`InputError` (never silently ignored).

The outcomes are the summary columns of ``leverage-sim run``
(:data:`leverage_sim.simulation.outcomes.OUTCOMES`), averaged over the replications (booleans such as
``us_withdrawn`` become shares), each with the direction of :data:`KINDS` (so EMA's
``optimize`` and robust search know what is better), and optionally daily series
(``timeseries=``, :data:`leverage_sim.simulation.model.TIMESERIES_COLUMNS`, as ``daily_<series>``)
averaged over the replications day by day. Replication *i* of every experiment uses the seed
of replication *i* of ``leverage-sim run`` (spawned from the master seed), so results are
reproducible and experiments differ only by their parameter values. :func:`sweep_experiments`
gives a finished sweep as EMA's ``(experiments, outcomes)``, for EMA's analysis (PRIM, feature
scoring).

Unlike ``leverage-sim run``, the EMA model runs the scenario's own parameter values (no
calibrated posterior): in EMA, what is uncertain is declared as ``uncertainties``, and EMA
samples them; declare the calibrated parameters there (their posterior ranges) to carry their
uncertainty, or use ``leverage-sim explore``, which draws from the posterior.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from leverage_sim.errors import InputError
from leverage_sim.scenario.levers import LEVERS, lever_path
from leverage_sim.scenario.limits import as_list, check_count
from leverage_sim.scenario.loader import Overrides, field_of, load_scenario
from leverage_sim.scenario.schema import Scenario
from leverage_sim.scenario.schema_base import allowed_range
from leverage_sim.simulation.model import TIMESERIES_COLUMNS
from leverage_sim.simulation.outcomes import OUTCOMES
from leverage_sim.simulation.runner import release, replication_seeds, simulate, summarise_run

try:
    import ema_workbench as ema_wb
except ImportError as e:  # pragma: no cover - depends on the environment
    raise ImportError("leverage_sim.ema needs the EMA Workbench: pip install "
                      "'leverage-sim[ema]' (package ema_workbench).") from e

DEFAULT_LEVERS = ("foreign_forces.backing", "government.resolve")
"""Levers when neither levers nor uncertainties are given: US backing, government resolve."""
DEFAULT_UNCERTAINTIES = ("patron.instigation",)
"""Uncertainties when neither levers nor uncertainties are given: the patron's push."""

MAXIMIZE, MINIMIZE, INFO = (ema_wb.ScalarOutcome.MAXIMIZE, ema_wb.ScalarOutcome.MINIMIZE,
                            ema_wb.ScalarOutcome.INFO)
KINDS: dict[str, int] = {
    "held_firm": MAXIMIZE, "final_authority": MAXIMIZE,
    "relents": MINIMIZE, "attacks": MINIMIZE, "us_casualties": MINIMIZE,
    "us_withdrawn": MINIMIZE, "clashes": MINIMIZE, "fight_days": MINIMIZE,
    "fight_deaths": MINIMIZE, "deserters": MINIMIZE,
    "public_threats": MINIMIZE, "max_muster_size": MINIMIZE, "final_mean_autonomy": MINIMIZE,
}
"""Outcome → what the government (and its US backer) want of it: more enforcement that holds
and more authority; fewer relents, attacks, casualties, clashes, days of fighting, deaths in fighting,
deserters, threats,
smaller musters, less militia autonomy, no US withdrawal. The other outcomes (raids, arrests,
standoffs, ...) are INFO: reported, not optimised."""
DAILY = "daily_"
"""Prefix of the time-series outcomes (``daily_attacks``: the day's attacks; ``attacks`` is the
total), as EMA needs one name per outcome."""
_KIND_WORDS = {"maximize": MAXIMIZE, "minimize": MINIMIZE, "info": INFO}

Ranges = Iterable[str] | Mapping[str, tuple[float, float] | None]


def lever_name(path: str) -> str:
    """The EMA name (a Python identifier) of parameter ``path``: ``militias[KH].autonomy`` →
    ``militias_KH_autonomy``."""
    return re.sub(r"\W+", "_", path).strip("_")


def parameter(path: str, bounds: tuple[float, float] | None = None) -> Any:
    """The EMA parameter for scenario parameter ``path`` (a dotted path or a lever keyword):
    ``RealParameter``, or ``IntegerParameter`` for integer fields, named :func:`lever_name`
    of the path (its ``variable_name`` is the path itself), over ``bounds`` (default: the
    schema's range). Serves as a lever or an uncertainty.

    Raises:
        InputError: the path names no numeric parameter, the schema gives no finite range and
            no ``bounds`` were given, or ``bounds`` leave the schema's range.
    """
    path = lever_path(path)
    info = field_of(path)
    kind = getattr(info, "annotation", None)
    if kind not in (int, float):
        raise InputError(f"Parameter '{path}' is not a numeric scenario parameter; levers and "
                         "uncertainties are paths such as foreign_forces.backing or "
                         "militias[KH].autonomy (`leverage-sim params` lists them).")
    lo, hi = allowed_range(info)
    if bounds is None:
        if lo is None or hi is None:
            raise InputError(f"Parameter '{path}' has no finite range in the schema ({lo}, "
                             f"{hi}); give one, e.g. levers={{'{path}': (LOW, HIGH)}}.")
        bounds = (lo, hi)
    low, high = bounds
    if not low < high or (lo is not None and low < lo) or (hi is not None and high > hi):
        raise InputError(f"Parameter '{path}': range {tuple(bounds)} must be increasing and "
                         f"within the schema's [{lo}, {hi}].")
    if kind is int:
        return ema_wb.IntegerParameter(lever_name(path), int(low), int(high),
                                       variable_name=path)
    return ema_wb.RealParameter(lever_name(path), float(low), float(high), variable_name=path)


def scenario_paths(scenario: Scenario) -> dict[str, str]:
    """EMA name (:func:`lever_name`) → path of every numeric parameter of ``scenario``
    (list entries by name: ``militias_KH_autonomy`` → ``militias[KH].autonomy``)."""
    found: dict[str, str] = {}

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else key)
        elif isinstance(node, list):
            for entry in node:
                if isinstance(entry, dict) and entry.get("name") is not None:
                    walk(entry, f"{path}[{entry['name']}]")
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            found[lever_name(path)] = path

    walk({k: v for k, v in scenario.model_dump().items() if k != "events"}, "")
    return found


def resolve_names(names: Iterable[str], known: Mapping[str, str]) -> dict[str, str]:
    """Scenario path of each EMA variable name: a dotted path as itself, a lever keyword
    (:data:`LEVERS`), or an EMA name in ``known`` (:func:`scenario_paths`).

    Raises:
        InputError: a name that is none of these (it would otherwise be silently ignored).
    """
    paths, unknown = {}, []
    for name in names:
        if "." in name or "[" in name:
            paths[name] = name
        elif name in LEVERS:
            paths[name] = LEVERS[name]
        elif name in known:
            paths[name] = known[name]
        else:
            unknown.append(name)
    if unknown:
        raise InputError(f"EMA parameter(s) {unknown} name no parameter of the scenario. Name "
                         "levers and uncertainties by ema.lever_name(path) (e.g. "
                         "foreign_forces_backing), a lever keyword "
                         f"({', '.join(LEVERS)}) or set variable_name to the dotted path.")
    return paths


def run_replication(scenario: Scenario, known: Mapping[str, str], timeseries: Sequence[str],
                    seed: int, **values: Any) -> dict[str, Any]:
    """One replication of ``scenario`` seeded with ``seed``, every other keyword EMA passes
    (levers, uncertainties, constants) set on the scenario (see :func:`resolve_names`): its
    outcomes, and the daily ``timeseries`` (arrays, one value a day)."""
    paths = resolve_names(values, known)
    overrides = {paths[name]: value for name, value in values.items()}
    run = simulate(load_scenario(scenario, overrides), seed, collect_data=bool(timeseries))
    try:
        row = summarise_run(run, seed, 0)
        series = {DAILY + name: np.asarray(run.datacollector.model_vars[name], dtype=float)
                  for name in timeseries}
    finally:
        release(run)
    return {**{name: row[name] for name in OUTCOMES}, **series}


def model(scenario: str | Path | Scenario = "june_2020_replay", replications: int = 10,
          levers: Ranges | None = None, *, uncertainties: Ranges | None = None,
          seed: int | None = None, overrides: Overrides = None,
          outcomes: Sequence[str] | Mapping[str, str] | None = None,
          timeseries: Sequence[str] = (), name: str | None = None) -> Any:
    """An EMA ``ReplicatorModel`` of ``scenario``.

    Args:
        scenario: scenario name, YAML path or :class:`Scenario`; ``overrides`` are applied first.
        replications: runs per experiment (≥ 1), seeded as replications 0, 1, ... of
            ``leverage-sim run`` with master ``seed`` (default: the scenario's).
        levers: the policy levers (``model.levers``): parameter paths or lever keywords over
            their schema ranges, or ``{path: (low, high)}`` (``None`` = the schema range).
        uncertainties: the uncertainties (``model.uncertainties``), given the same way. When
            neither is given: :data:`DEFAULT_LEVERS` and :data:`DEFAULT_UNCERTAINTIES`.
        outcomes: summary columns to report, each the mean over the replications, with the
            direction of :data:`KINDS`; or ``{column: "maximize" | "minimize" | "info"}``
            (default: all columns).
        timeseries: daily series (:data:`leverage_sim.simulation.model.TIMESERIES_COLUMNS`) to report as
            ``TimeSeriesOutcome``s named ``daily_<series>``, averaged over the replications day
            by day (the runs then collect daily data: about twice as slow).
        name: the EMA model name (letters and digits; default: the scenario's name without
            its other characters).

    Raises:
        InputError: bad scenario, parameter, range, outcome name or kind, replications, or a
            parameter both a lever and an uncertainty.
    """
    base = load_scenario(scenario, overrides)
    check_count(replications, "replications (runs per experiment)")
    if name and not (isinstance(name, str) and re.fullmatch(r"[A-Za-z0-9]+", name)):
        raise InputError(f"name {name!r}: the EMA Workbench takes a model name of letters and "
                         "digits only (e.g. 'june2020replay'); give one, or leave name out for "
                         "the scenario's name without its other characters.")
    timeseries = as_list(timeseries)  # one text is one series, not its letters
    if levers is None and uncertainties is None:
        levers, uncertainties = DEFAULT_LEVERS, DEFAULT_UNCERTAINTIES
    chosen = _outcome_kinds(outcomes)
    unknown = [s for s in timeseries if s not in TIMESERIES_COLUMNS]
    if unknown:
        raise InputError(f"Unknown time series {unknown}; choose among "
                         f"{list(TIMESERIES_COLUMNS)}.")
    lever_params = _parameters(levers)
    uncertain_params = _parameters(uncertainties)
    both = {p.name for p in lever_params} & {p.name for p in uncertain_params}
    if both:
        raise InputError(f"{sorted(both)} cannot be both a lever and an uncertainty.")
    ema_model = ema_wb.ReplicatorModel(
        name or re.sub(r"[^A-Za-z0-9]", "", base.name),
        functools.partial(run_replication, base, scenario_paths(base), tuple(timeseries)))
    ema_model.levers = lever_params
    ema_model.uncertainties = uncertain_params
    ema_model.replications = [{"seed": s} for s in replication_seeds(
        base.seed if seed is None else seed, replications)]
    ema_model.outcomes = [
        *(ema_wb.ScalarOutcome(o, kind=kind, function=_mean) for o, kind in chosen.items()),
        *(ema_wb.TimeSeriesOutcome(DAILY + s, function=_daily_mean) for s in timeseries)]
    return ema_model


def _parameters(ranges: Ranges | None) -> list[Any]:
    """EMA parameters for ``ranges`` (paths, or path → bounds); refuses clashing names."""
    if ranges is None:
        return []
    ranges = ranges if isinstance(ranges, Mapping) else as_list(ranges)  # one text: one path
    bounds = dict(ranges) if isinstance(ranges, Mapping) else dict.fromkeys(ranges)
    params = [parameter(p, b) for p, b in bounds.items()]
    names = [p.name for p in params]
    if len(set(names)) < len(names):
        raise InputError(f"Parameters {list(bounds)} give clashing EMA names {names}.")
    return params


def _outcome_kinds(outcomes: Sequence[str] | Mapping[str, str] | None) -> dict[str, int]:
    """Outcome name → EMA kind (see :data:`KINDS`)."""
    if isinstance(outcomes, Mapping):
        bad = {o: k for o, k in outcomes.items() if str(k).lower() not in _KIND_WORDS}
        if bad:
            raise InputError(f"Outcome kind(s) {bad}: write maximize, minimize or info.")
        chosen = {o: _KIND_WORDS[str(k).lower()] for o, k in outcomes.items()}
    else:  # one text is one outcome, not its letters
        chosen = {o: KINDS.get(o, INFO) for o in (as_list(outcomes) if outcomes else OUTCOMES)}
    unknown = [o for o in chosen if o not in OUTCOMES]
    if unknown:
        raise InputError(f"Unknown outcome(s) {unknown}; choose among {list(OUTCOMES)}.")
    return chosen


def _mean(values: list[Any]) -> float:
    """Mean over replications (booleans count as 0/1)."""
    return sum(float(v) for v in values) / len(values)


def _daily_mean(values: list[np.ndarray]) -> np.ndarray:
    """Day-by-day mean over replications."""
    return np.mean(np.stack(values), axis=0)


def sweep_experiments(out: str | Path, outcomes: Sequence[str] | None = None
                      ) -> tuple[Any, dict[str, np.ndarray]]:
    """The sweep in folder ``out`` as EMA's ``(experiments, outcomes)``: one experiment per
    design point (columns: each swept parameter under its :func:`lever_name`, then EMA's
    ``scenario`` (the point_id), ``policy`` and ``model`` (the sweep's name)), and each
    outcome's mean over the point's successful replications (shares for booleans and
    comparisons such as ``held_firm>0``; default: every summary column), in point order, as
    ``perform_experiments`` returns them. Points whose runs all failed are left out.

    Raises:
        InputError: no sweep in ``out``, or an unknown outcome.
    """
    from leverage_sim.sweep import load_sweep
    from leverage_sim.sweep.results import outcome_values

    runs = load_sweep(out)
    runs = runs[runs["error"].isna()]
    paths = list(runs.attrs["parameters"])
    chosen = as_list(outcomes) if outcomes else list(OUTCOMES)  # one text: one outcome
    values = {o: outcome_values(runs, o)[0] for o in chosen}
    means = runs[["point_id"]].assign(**values).groupby("point_id").mean()
    points = runs.groupby("point_id")[paths].first().loc[means.index]
    experiments = points.rename(columns={p: lever_name(p) for p in paths}).reset_index(drop=True)
    experiments["scenario"] = means.index.to_numpy()
    experiments["policy"] = None
    experiments["model"] = runs.attrs.get("sweep", "sweep")
    return experiments, {o: means[o].to_numpy() for o in chosen}
