"""Robustness of lever settings across parameter uncertainty: the goal indicator of each run and,
per lever setting, the metrics of a robust (satisficing) choice in the manner of the EMA
Workbench's many-objective robust optimisation — judged over the runs (posterior draws) at a
setting, not at one draw.

For one run: *enforcement holds* when every condition of ``holds`` is true (default
:data:`DEFAULT_HOLDS`: the government won a standoff and gave way in none), and the run *meets
the goal* when it holds and every cost in ``limits`` is at or under its limit.

For one setting (the runs at one combination of lever values):

- ``goal_share``: share of runs meeting the goal (the satisficing metric), with its exact
  Clopper–Pearson interval ``goal_low``/``goal_high``;
- ``holds_share`` (and ``holds_low``/``holds_high``): share of runs in which enforcement holds;
- ``<cost>_p<q>``: the q-th percentile of each cost over the runs (a regret-free "how bad can it
  get" for that setting): the least value some run had with at least q% of the runs at or under
  it (:func:`runs_percentile`; never a value between two runs, so "at most X in 90% of runs"
  holds as written), and ``<cost>_median``;
- ``meets``: ``goal_share >= hold_at_least``; ``pareto`` (the robust candidates): among the
  settings that meet it (if none does: among those where any run meets the goal), no other
  setting is at least as good on every metric (goal share up, cost percentiles down) and better
  on one. (A setting where the goal is never met is no candidate, however low its costs.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from leverage_sim.errors import InputError
from leverage_sim.scenario.limits import as_list, is_real
from leverage_sim.simulation.outcomes import OUTCOMES
from leverage_sim.sweep.results import outcome_values, summarise

DEFAULT_HOLDS = "held_firm>0,relents==0"
"""Enforcement holds: the government won at least one standoff and relented in none."""
COSTS = tuple(name for name in OUTCOMES if name not in ("us_withdrawn", "withdrawal_day"))
"""Summary columns that can be limited with ``--max NAME=LIMIT`` (counts and indices)."""


def parse_limits(items: Iterable[str] | Mapping[str, float]) -> dict[str, float]:
    """``["attacks=80", "us_casualties=2"]`` (or a mapping) -> {cost: limit}, checked against
    :data:`COSTS`."""
    pairs: list[tuple[str, object]] = []
    if isinstance(items, Mapping):
        pairs = list(items.items())
    else:
        for text in as_list(items, (str,)):  # one text is one limit, not its letters
            if not isinstance(text, str):
                raise InputError(f"--max (limits) must be COST=LIMIT texts or a {{cost: limit}} "
                                 f"mapping, e.g. attacks=80, got {type(text).__name__} "
                                 f"{text!r}.")
            if "=" not in text:
                raise InputError(f"--max '{text}' has no '='. Write NAME=LIMIT, e.g. --max "
                                 "attacks=80 --max us_casualties=2.")
            name, raw = (s.strip() for s in text.split("=", 1))
            pairs.append((name, raw))
    limits = {}
    for name, raw in pairs:
        if name not in COSTS:
            raise InputError(f"--max '{name}': not a cost the runs report. Use a summary "
                             f"column: {', '.join(COSTS)}.")
        try:
            limit = float(raw)
        except (TypeError, ValueError):
            raise InputError(f"--max {name}={raw}: the limit must be a number, e.g. "
                             f"{name}=80.") from None
        if not np.isfinite(limit):
            raise InputError(f"--max {name}={raw}: the limit must be a finite number.")
        if limit < 0:
            raise InputError(f"--max {name}={raw}: {name} is never below 0 in a run, so no "
                             "setting could meet this limit; give a limit of 0 or more.")
        if name in limits:
            raise InputError(f"--max {name} is given twice ({name}={limits[name]:g} and "
                             f"{name}={raw}); only one limit can hold: give it once.")
        limits[name] = limit
    return limits


def split_conditions(holds: str) -> list[str]:
    """``"held_firm>0,relents==0"`` -> its conditions (all must hold)."""
    if not isinstance(holds, str):
        raise InputError(f"--holds (holds) must be a text of comma-separated conditions, e.g. "
                         f"{DEFAULT_HOLDS}, got {type(holds).__name__} {holds!r}.")
    parts = [p.strip() for p in holds.split(",")]
    if not holds.strip() or not all(parts):
        raise InputError(f"--holds '{holds}': write one or more comma-separated conditions on "
                         f"the run summary, e.g. {DEFAULT_HOLDS}.")
    return parts


def check_question(holds: str, limits: Mapping[str, float], hold_at_least: float,
                   percentile: float) -> None:
    """Refuse a question the runs cannot answer (before any run starts): unknown columns in
    ``holds``, a share outside (0, 1], a percentile outside [0, 100]."""
    if not is_real(hold_at_least) or not 0 < hold_at_least <= 1:
        raise InputError(f"--hold-at-least must be a share above 0 and at most 1 (e.g. 0.6), "
                         f"got {hold_at_least!r}.")
    if not is_real(percentile) or not 0 <= percentile <= 100:
        raise InputError(f"--percentile must be between 0 and 100 (e.g. 90), got "
                         f"{percentile!r}.")
    parse_limits(limits)
    probe = pd.DataFrame({name: [False] if name == "us_withdrawn" else [0] for name in OUTCOMES})
    holds_mask(probe, holds)


def holds_mask(runs: pd.DataFrame, holds: str = DEFAULT_HOLDS) -> np.ndarray:
    """Per run: True when every condition of ``holds`` is true (each a comparison such as
    ``relents==0`` or a yes/no column such as ``us_withdrawn``)."""
    mask = np.ones(len(runs), dtype=bool)
    for cond in split_conditions(holds):
        try:
            values, share = outcome_values(runs, cond)
        except InputError as e:
            raise InputError(f"--holds '{holds}': {e}") from None
        if not share:
            raise InputError(f"--holds '{holds}': '{cond}' is a count, not a condition; compare "
                             f"it, e.g. {cond}>0 or {cond}==0.")
        mask &= values.to_numpy(dtype=float) > 0
    return mask


def goal_columns(runs: pd.DataFrame, holds: str, limits: Mapping[str, float]) -> pd.DataFrame:
    """``runs`` with three boolean columns added: ``holds``, ``within_limits`` (every cost at or
    under its limit) and ``goal`` (both)."""
    out = runs.copy()
    out["holds"] = holds_mask(runs, holds)
    within = np.ones(len(runs), dtype=bool)
    for cost, limit in limits.items():
        within &= runs[cost].to_numpy(dtype=float) <= limit
    out["within_limits"] = within
    out["goal"] = out["holds"] & out["within_limits"]
    return out


def robustness(runs: pd.DataFrame, levers: Sequence[str], costs: Sequence[str],
               hold_at_least: float, percentile: float = 90.0, level: float = 0.9
               ) -> pd.DataFrame:
    """Robustness metrics per lever setting (see the module docstring) of a
    :func:`goal_columns` table; one row per setting, best goal share first.

    Args:
        runs: one row per run (failed runs dropped), with the lever columns and ``holds``,
            ``goal`` and the ``costs`` columns.
        levers: the lever columns (the setting is their combination).
        costs: cost columns to summarise (percentile and median per setting).
        hold_at_least: the share of runs (0-1] that must meet the goal (``meets``).
        percentile: which percentile of each cost (0-100).
        level: interval level of the shares (0-1).
    """
    table = summarise(runs, outcomes=["goal", "holds"], by=list(levers), level=level)
    table = table.drop(columns=["errors"])
    groups = runs.groupby(list(levers), sort=True)
    q = f"p{percentile:g}"
    for cost in costs:
        per = groups[cost]
        table[f"{cost}_median"] = per.median().to_numpy(dtype=float)
        table[f"{cost}_{q}"] = per.agg(runs_percentile, percentile).to_numpy(dtype=float)
    table["meets"] = table["goal_share"] >= hold_at_least
    pool = table["meets"] if table["meets"].any() else table["goal_share"] > 0
    table["pareto"] = False
    table.loc[pool, "pareto"] = pareto_front(table[pool], maximize=["goal_share"],
                                             minimize=[f"{c}_{q}" for c in costs])
    order = ["goal_share", *[f"{c}_{q}" for c in costs]]
    return table.sort_values(order, ascending=[False] + [True] * len(costs),
                             kind="stable", ignore_index=True)


def runs_percentile(values: pd.Series | np.ndarray, percentile: float) -> float:
    """The least of ``values`` with at least ``percentile`` % (0-100) of them at or under it
    (the inverted empirical CDF): a value some run had, so that "at most X in q% of runs"
    holds (a linear interpolation gives 1.5 US casualties, a count no run had, and can put
    the limit's check on the wrong side)."""
    return float(np.quantile(np.asarray(values, dtype=float), percentile / 100,
                             method="inverted_cdf"))


def pareto_front(table: pd.DataFrame, maximize: Sequence[str] = (),
                 minimize: Sequence[str] = ()) -> np.ndarray:
    """True for the rows no other row dominates (at least as good on every column, better on
    one); ``maximize`` columns count up, ``minimize`` columns down."""
    cols = [*maximize, *minimize]
    if not cols:
        return np.ones(len(table), dtype=bool)
    signs = np.array([-1.0] * len(maximize) + [1.0] * len(minimize))
    values = table[cols].to_numpy(dtype=float) * signs  # lower is better everywhere
    le = (values[:, None, :] <= values[None, :, :]).all(axis=2)
    lt = (values[:, None, :] < values[None, :, :]).any(axis=2)
    dominated = (le & lt).any(axis=0)  # [i, j]: row i dominates row j
    return ~dominated
