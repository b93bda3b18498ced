"""Outcome summaries of many runs, grouped: numeric outcomes as mean, median and an interval;
share outcomes (``held_firm>0``, ``us_withdrawn``) as the share with an exact (Clopper–Pearson)
binomial interval. Sweeps (:mod:`leverage_sim.sweep.results`), comparisons and charts use it.

Outcomes are summary columns (``attacks``) or comparisons (``held_firm>0``, ``attacks>=10``,
``us_withdrawn==True``); a comparison or a boolean column is a share (0-1) of runs.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from leverage_sim.errors import InputError
from leverage_sim.files.safe_yaml import load_text
from leverage_sim.outputs import report
from leverage_sim.scenario.limits import (
    check_count,
    check_level,
    check_seed,
    is_finite_number,
)
from leverage_sim.simulation.worker import RUN_COLUMNS

DEFAULT_SHARES = tuple(f"{col}>0" for col, _ in report.OUTCOMES.values())
"""Default share outcomes: a standoff won/lost, a clash, US casualties, strikes, withdrawal."""
DEFAULT_NUMERIC = report.FIGURES
"""Default numeric outcomes (as in ``leverage-sim run``)."""
MAX_BOOT = 100_000
"""Most bootstrap resamples ``summarise`` takes: beyond this an interval's ends move by far less
than the runs' own sampling error, and the resamples' means alone would fill memory (10¹⁰ of
them: 80 GB)."""


def default_outcomes(df: pd.DataFrame) -> list[str]:
    """``DEFAULT_NUMERIC`` + ``DEFAULT_SHARES`` whose column ``df`` has (a sweep written
    before a summary column existed lacks it; asked for by name, it is an error)."""
    return [o for o in (*DEFAULT_NUMERIC, *DEFAULT_SHARES) if outcome_column(o) in df.columns]

_COMPARISON = re.compile(r"^\s*([A-Za-z_][\w.\[\]]*)\s*(>=|<=|==|!=|>|<)\s*(.+?)\s*$")
_OPS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le,
        "==": operator.eq, "!=": operator.ne}


def _parse(outcome: str) -> tuple[str, re.Match[str] | None]:
    """The summary column ``outcome`` reads (``held_firm`` for ``held_firm>0`` or
    ``held_firm``) and its comparison's match, if it is one."""
    m = _COMPARISON.match(outcome)
    return (m.group(1) if m else outcome.strip()), m


def outcome_column(outcome: str) -> str:
    """The summary column ``outcome`` reads (see :func:`_parse`)."""
    return _parse(outcome)[0]


def outcome_values(df: pd.DataFrame, outcome: str) -> tuple[pd.Series, bool]:
    """Per-run values of ``outcome`` and whether it is a share (booleans as 0/1 floats)."""
    column, m = _parse(outcome)
    if column not in df.columns:
        known = [c for c in df.columns if c not in (*RUN_COLUMNS, "error")]
        raise InputError(f"Outcome '{outcome}': no column '{column}' in the sweep table. Use a "
                         f"summary column or a comparison like held_firm>0; columns: "
                         f"{', '.join(known)}.")
    values = df[column]
    if m:
        try:
            threshold = load_text(m.group(3), f"Outcome '{outcome}'")
            # a column of numbers or true/false (a text column, e.g. a swept name, may be
            # compared with text)
            yes_no = pd.api.types.is_bool_dtype(values)
            if pd.api.types.is_numeric_dtype(values) and not (
                    (isinstance(threshold, bool) and yes_no) or is_finite_number(threshold)):
                raise TypeError  # text, a date, a list, inf, or true/false for a count (which
                # Python reads as 1/0, so held_firm>true would mean held_firm>1)
            return _OPS[m.group(2)](values, threshold).astype(float), True
        except (TypeError, ValueError):
            raise InputError(f"Outcome '{outcome}': cannot compare '{column}' with "
                             f"'{m.group(3)}'; compare it with a finite number or true/false "
                             "(true/false only a yes/no column such as us_withdrawn). "
                             "Write e.g. attacks>=10.") from None
    if pd.api.types.is_bool_dtype(values):
        return values.astype(float), True
    if not pd.api.types.is_numeric_dtype(values):
        raise InputError(f"Outcome '{outcome}' is not numeric; compare it instead "
                         f"(e.g. {column}==VALUE).")
    return values.astype(float), False


def summarise(df: pd.DataFrame, outcomes: Sequence[str] | None = None,
              by: Sequence[str] | None = None, level: float = 0.9,
              interval: str = "bootstrap", n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """One row per parameter point (or per ``by`` group) of a :func:`~leverage_sim.sweep.results.load_sweep` table.

    Columns: the ``by`` columns, ``n`` (runs without error), ``errors``, then per outcome
    ``<outcome>_mean``, ``_median``, ``_low``, ``_high`` for numeric outcomes and
    ``<outcome>_share``, ``_low``, ``_high`` for shares (see the module docstring).

    Intervals at ``level`` (0-1): shares get the exact Clopper–Pearson binomial interval;
    numeric outcomes get, with ``interval="bootstrap"``, the percentile bootstrap interval of
    the *mean* (``n_boot`` resamples, at most :data:`MAX_BOOT`, each interval's drawn afresh
    from ``seed``, so an interval depends on its own runs and the seed, not on which other
    outcomes or groups are summarised), or with ``interval="quantile"`` the central quantiles
    of the runs themselves (the spread, as ``leverage-sim run`` reports).
    Defaults: ``by`` = the parameter columns; ``outcomes`` = ``DEFAULT_NUMERIC`` +
    ``DEFAULT_SHARES``.
    """
    if not isinstance(df, pd.DataFrame):
        hint = (" (for a run's Results give its .summary)" if hasattr(df, "summary") else "")
        raise InputError(f"summarise takes a table of runs (a pandas DataFrame: load_sweep(...) "
                         f"or Results.summary){hint}, got {type(df).__name__}.")
    check_level(level)
    if interval not in ("bootstrap", "quantile"):
        raise InputError(f"interval must be 'bootstrap' or 'quantile', got '{interval}'.")
    n_boot, seed = check_count(n_boot, "n_boot", MAX_BOOT), check_seed(seed)
    by, outcomes = _names(by, "by"), _names(outcomes, "outcomes")
    by = list(by if by is not None else df.attrs.get("parameters") or _parameter_columns(df))
    missing = [b for b in by if b not in df.columns]
    if missing:
        raise InputError(f"by: no column {', '.join(map(repr, missing))} in the table to group "
                         f"by; its columns: {', '.join(map(str, df.columns))}.")
    outcomes = list(outcomes) if outcomes is not None else default_outcomes(df)
    ok = df["error"].isna().to_numpy() if "error" in df else np.ones(len(df), dtype=bool)
    values = {o: outcome_values(df, o) for o in outcomes}
    values = {o: (series.to_numpy(), share) for o, (series, share) in values.items()}
    groups = df.groupby(by, sort=True, dropna=False).indices if by else {(): np.arange(len(df))}
    rows = []
    for key, idx in groups.items():
        good = idx[ok[idx]]
        row: dict[str, Any] = dict(zip(by, key if isinstance(key, tuple) else (key,)))
        row.update(n=len(good), errors=len(idx) - len(good))
        for o, (v, share) in values.items():
            row.update(_stats(o, v[good], share, level, interval, n_boot, seed))
        rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs["level"] = level
    out.attrs["interval"] = interval
    return out


def _names(names: str | Sequence[str] | None, what: str) -> list[str] | None:
    """``names`` as a list of texts (one text is one name, not its characters); None stays
    None; anything but texts is an :class:`InputError` naming ``what``."""
    if names is None:
        return None
    names = [names] if isinstance(names, str) else names
    if not isinstance(names, Sequence) or not all(isinstance(n, str) for n in names):
        raise InputError(f"{what} takes column names (a text or a list of texts), got "
                         f"{names!r}.")
    return list(names)


def _stats(name: str, v: np.ndarray, share: bool, level: float, interval: str, n_boot: int,
           seed: int) -> dict[str, float]:
    a, n = 1 - level, len(v)
    if n == 0:
        keys = ("share", "low", "high") if share else ("mean", "median", "low", "high")
        return {f"{name}_{k}": np.nan for k in keys}
    if share:
        from scipy import stats  # lazily: slow to import

        k = int(v.sum())
        low = stats.beta.ppf(a / 2, k, n - k + 1) if k > 0 else 0.0
        high = stats.beta.ppf(1 - a / 2, k + 1, n - k) if k < n else 1.0
        return {f"{name}_share": k / n, f"{name}_low": float(low), f"{name}_high": float(high)}
    if interval == "bootstrap":
        low, high = np.quantile(bootstrap_means(v, n_boot, np.random.default_rng(seed)),
                                [a / 2, 1 - a / 2])
    else:
        low, high = np.quantile(v, [a / 2, 1 - a / 2])
    return {f"{name}_mean": float(v.mean()), f"{name}_median": float(np.median(v)),
            f"{name}_low": float(low), f"{name}_high": float(high)}


def bootstrap_means(v: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Means of ``n_boot`` resamples of ``v``, drawn in blocks of at most ~2 million values
    (a 50,000-run group stays at ~16 MB)."""
    block = max(1, 2_000_000 // len(v))
    return np.concatenate([v[rng.integers(0, len(v), size=(min(block, n_boot - i), len(v)))]
                           .mean(axis=1) for i in range(0, n_boot, block)])


def _parameter_columns(df: pd.DataFrame) -> list[str]:
    from leverage_sim.simulation.runner import SUMMARY_COLUMNS

    return [c for c in df.columns if c not in (*RUN_COLUMNS, *SUMMARY_COLUMNS, "error")]
