"""A ready EMA Workbench model of a scenario (optional extra: ``pip install leverage-sim[ema]``).

    from ema_workbench import perform_experiments
    from leverage_sim import ema

    model = ema.model("june_2020_replay", replications=20,
                      levers=["foreign_forces.backing", "patron.instigation"])
    experiments, outcomes = perform_experiments(model, scenarios=100)

The levers are the EMA uncertainties: parameter paths (as in ``--set``) over their schema
ranges or a narrower range you give, named as Python identifiers as EMA requires
(``foreign_forces.backing`` → ``foreign_forces_backing``; :func:`lever_name`). The outcomes are
the summary columns of ``leverage-sim run`` (:data:`leverage_sim.outcomes.OUTCOMES`), averaged
over the replications (booleans such as ``us_withdrawn`` become shares). Replication *i* of
every experiment uses the seed of replication *i* of ``leverage-sim run`` (spawned from the
master seed), so results are reproducible and experiments differ only by their lever values.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from leverage_sim.errors import InputError
from leverage_sim.outcomes import OUTCOMES
from leverage_sim.runner import release, replication_seeds, simulate, summarise_run
from leverage_sim.scenario_loader import Overrides, field_of, load_scenario
from leverage_sim.schema import Scenario
from leverage_sim.schema_base import allowed_range

try:
    import ema_workbench as ema_wb
except ImportError as e:  # pragma: no cover - depends on the environment
    raise ImportError("leverage_sim.ema needs the EMA Workbench: pip install "
                      "'leverage-sim[ema]' (package ema_workbench).") from e

DEFAULT_LEVERS = ("foreign_forces.backing", "patron.instigation", "government.resolve")
"""Levers when none are given: US backing, patron push, government resolve (all in [0, 1])."""

Levers = Iterable[str] | Mapping[str, tuple[float, float] | None]


def lever_name(path: str) -> str:
    """The EMA name (a Python identifier) of parameter ``path``: ``militias[KH].autonomy`` →
    ``militias_KH_autonomy``."""
    return re.sub(r"\W+", "_", path).strip("_")


def uncertainty(path: str, bounds: tuple[float, float] | None = None) -> Any:
    """The EMA parameter for scenario parameter ``path`` (``RealParameter``, or
    ``IntegerParameter`` for integer fields), named :func:`lever_name` ``(path)``, over
    ``bounds`` (default: the schema's range).

    Raises:
        InputError: the path names no numeric parameter, the schema gives no finite range and
            no ``bounds`` were given, or ``bounds`` leave the schema's range.
    """
    info = field_of(path)
    kind = getattr(info, "annotation", None)
    if kind not in (int, float):
        raise InputError(f"Lever '{path}' is not a numeric scenario parameter; levers are "
                         "paths such as foreign_forces.backing or militias[KH].autonomy "
                         "(`leverage-sim params` lists them).")
    lo, hi = allowed_range(info)
    if bounds is None:
        if lo is None or hi is None:
            raise InputError(f"Lever '{path}' has no finite range in the schema ({lo}, {hi}); "
                             f"give one, e.g. levers={{'{path}': (LOW, HIGH)}}.")
        bounds = (lo, hi)
    low, high = bounds
    if not low < high or (lo is not None and low < lo) or (hi is not None and high > hi):
        raise InputError(f"Lever '{path}': range {tuple(bounds)} must be increasing and within "
                         f"the schema's [{lo}, {hi}].")
    if kind is int:
        return ema_wb.IntegerParameter(lever_name(path), int(low), int(high))
    return ema_wb.RealParameter(lever_name(path), float(low), float(high))


def run_replication(scenario: Scenario, paths: Mapping[str, str], seed: int,
                    **values: float) -> dict[str, Any]:
    """One replication of ``scenario`` seeded with ``seed``, the levers set (``paths``: EMA
    name → parameter path; other keywords EMA passes are ignored): its outcomes, from a
    summary-only run."""
    overrides = {path: values[name] for name, path in paths.items()}
    run = simulate(load_scenario(scenario, overrides), seed, collect_data=False)
    try:
        row = summarise_run(run, seed, 0)
    finally:
        release(run)
    return {name: row[name] for name in OUTCOMES}


def model(scenario: str | Path | Scenario = "june_2020_replay", replications: int = 10,
          levers: Levers | None = None, *, seed: int | None = None, overrides: Overrides = None,
          outcomes: Sequence[str] | None = None, name: str | None = None) -> Any:
    """An EMA ``ReplicatorModel`` of ``scenario``.

    Args:
        scenario: scenario name, YAML path or :class:`Scenario`; ``overrides`` are applied first.
        replications: runs per experiment (≥ 1), seeded as replications 0, 1, ... of
            ``leverage-sim run`` with master ``seed`` (default: the scenario's).
        levers: parameter paths (over their schema ranges) or ``{path: (low, high)}`` (a
            ``None`` value = the schema range); default :data:`DEFAULT_LEVERS`.
        outcomes: summary columns to report, each the mean over the replications (default:
            all of them).
        name: the EMA model name (letters and digits; default: the scenario's name without
            its other characters).

    Raises:
        InputError: bad scenario, lever, range, outcome name or replications.
    """
    base = load_scenario(scenario, overrides)
    if replications < 1:
        raise InputError(f"replications must be at least 1, got {replications}.")
    chosen = list(outcomes or OUTCOMES)
    unknown = [o for o in chosen if o not in OUTCOMES]
    if unknown:
        raise InputError(f"Unknown outcome(s) {unknown}; choose among {list(OUTCOMES)}.")
    bounds = dict.fromkeys(DEFAULT_LEVERS) if levers is None else (
        dict(levers) if isinstance(levers, Mapping) else dict.fromkeys(levers))
    paths = {lever_name(p): p for p in bounds}
    if len(paths) < len(bounds):
        raise InputError(f"Levers {list(bounds)} give clashing EMA names {list(paths)}.")
    ema_model = ema_wb.ReplicatorModel(name or re.sub(r"[^A-Za-z0-9]", "", base.name),
                                       functools.partial(run_replication, base, paths))
    ema_model.uncertainties = [uncertainty(p, b) for p, b in bounds.items()]
    ema_model.replications = [{"seed": s} for s in replication_seeds(
        base.seed if seed is None else seed, replications)]
    ema_model.outcomes = [ema_wb.ScalarOutcome(o, function=_mean) for o in chosen]
    return ema_model


def _mean(values: list[Any]) -> float:
    """Mean over replications (booleans count as 0/1)."""
    return sum(float(v) for v in values) / len(values)
