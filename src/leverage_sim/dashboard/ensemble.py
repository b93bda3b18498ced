"""Many replications of the page's settings, and the tables the ensemble and compare views
chart: series quantiles by date, and the detainees held in one run from its event log.

The ensemble is a :class:`~leverage_sim.analysis.comparison.Comparison` of one scenario (compare view: two),
so outcome shares with exact (Clopper–Pearson) intervals and medians come from
:meth:`Comparison.table` as in ``leverage-sim compare``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping

import numpy as np
import pandas as pd

from leverage_sim.analysis.comparison import Comparison
from leverage_sim.errors import InputError
from leverage_sim.scenario.limits import check_count, is_finite_number
from leverage_sim.scenario.schema import Scenario
from leverage_sim.simulation.runner import Results, run

SERIES = {
    "authority": "Government authority (index 0-1)",
    "mean_autonomy": "Mean militia autonomy (index 0-1)",
    "total_attacks": "Attacks on {force}-linked sites since start",
    "detainees_held": "Detainees held at day's end (persons)",
}
"""Series shown as median with 50% and 90% bands: column -> title (``{force}``: the foreign
force's label, :func:`leverage_sim.scenario.labels.naming`)."""
DISTRIBUTIONS = {"max_muster_size": "Largest muster (fighters)", "attacks": "Attacks per run"}
"""Per-run figures shown as distributions: summary column -> axis title."""
DEFAULT_REPLICATIONS = 100
MAX_BINS = 20
"""Most bins of a distribution chart."""

Progress = Callable[[float], None]


def counting(total: int, report: Progress) -> Callable[[Iterable[int]], Iterator[int]]:
    """A ``progress`` wrapper for :func:`leverage_sim.simulation.runner.run` that calls ``report`` with the
    share of ``total`` replications done (0-1) after each one."""
    def wrap(loop: Iterable[int]) -> Iterator[int]:
        for done, i in enumerate(loop, start=1):
            yield i
            report(done / total)
    return wrap


def run_ensemble(scenario: Scenario, replications: int = DEFAULT_REPLICATIONS,
                 report: Progress | None = None, posterior: str | None = None) -> Comparison:
    """``replications`` runs of ``scenario`` (replication ``k`` = the page's seed ``k``) as a
    one-scenario :class:`Comparison` labelled with the scenario's name; with ``posterior``
    (``"default"`` or a calibration folder) each replication draws its parameters from it
    (:func:`leverage_sim.simulation.runner.run`)."""
    progress = counting(replications, report) if report else None
    res = run(scenario, replications, progress=progress, posterior=posterior or "none")
    return Comparison({scenario.name: res}, res.seed)


def bands(results: Mapping[str, Results], columns: Iterable[str] = tuple(SERIES)
          ) -> pd.DataFrame:
    """Quantiles across replications by date: one row per (scenario, series, date) with
    ``median``, ``low50``/``high50`` (25th/75th percentiles) and ``low90``/``high90``
    (5th/95th). ``total_attacks`` is each run's cumulative attacks."""
    q = {"low90": 0.05, "low50": 0.25, "median": 0.5, "high50": 0.75, "high90": 0.95}
    frames = []
    for label, res in results.items():
        ts = res.timeseries.assign(
            total_attacks=res.timeseries.groupby("replication")["attacks"].cumsum())
        for col in columns:
            g = ts.groupby("date")[col]
            frames.append(pd.DataFrame({name: g.quantile(p) for name, p in q.items()})
                          .reset_index().assign(scenario=label, series=col))
    return pd.concat(frames, ignore_index=True)[["scenario", "series", "date", *q]]


def bin_width(low: float, high: float, max_bins: int = MAX_BINS, whole: bool = True) -> float:
    """The narrowest width of 1, 2 or 5 × 10^k (at least 1 for ``whole`` numbers) whose bins,
    aligned on multiples of the width, cover ``low``..``high`` in at most ``max_bins`` bins.
    An :class:`InputError` for ``max_bins`` below 1 (no width would do: the search never
    ended) or ends that are not finite numbers."""
    check_count(max_bins, "max_bins (bins of a histogram)")
    if not (is_finite_number(low) and is_finite_number(high)):
        raise InputError(f"A histogram's values must be finite numbers, got {low!r} to "
                         f"{high!r}: leave out the runs without a value.")
    span = high - low
    base = 1.0 if whole or span <= 0 else 10.0 ** math.floor(math.log10(span / max_bins))
    while True:
        for m in (1, 2, 5):
            width = m * base
            if math.floor(high / width) - math.floor(low / width) + 1 <= max_bins:
                return width
        base *= 10


def histogram(summary: pd.DataFrame, column: str, max_bins: int = MAX_BINS) -> pd.DataFrame:
    """Runs per bin of one per-run figure, per scenario, on one set of bins for all scenarios
    (``summary``: :meth:`Comparison.summary`): the bars, axis and tooltip of a distribution
    chart all use these rows. Columns ``scenario``, ``low``, ``high`` (the bin is
    ``low <= value < high``, width from :func:`bin_width`), ``bin`` (its label, e.g.
    ``140–159`` for whole numbers) and ``runs``; bins without runs are left out."""
    missing = [c for c in ("scenario", column) if c not in summary.columns]
    if missing or summary.empty:
        raise InputError(f"A histogram needs a summary table with runs and the columns "
                         f"'scenario' and {column!r}; this one has {len(summary)} rows and "
                         f"lacks {', '.join(map(repr, missing)) or 'nothing'} (pass "
                         "Comparison.summary()).")
    values = summary[column].to_numpy(float)
    whole = bool(np.all(values == np.round(values)))
    width = bin_width(float(values.min()), float(values.max()), max_bins, whole)
    low = np.floor(values / width) * width
    counts = (summary[["scenario"]].assign(low=low).groupby(["scenario", "low"], sort=False)
              .size().rename("runs").reset_index())
    counts["high"] = counts["low"] + width
    last = counts["high"] - 1 if whole else counts["high"]
    counts["bin"] = [f"{a:g}" if whole and width == 1 else f"{a:g}–{b:g}"
                     for a, b in zip(counts["low"], last, strict=True)]
    return counts[["scenario", "low", "high", "bin", "runs"]].sort_values(
        ["scenario", "low"], kind="stable", ignore_index=True)


def detainees_from_log(events: pd.DataFrame) -> pd.DataFrame:
    """Detainees not yet released after each arrest and release of a run, from its event log
    (``EventLog.frame()``), so same-day arrests and releases all show: columns ``date``,
    ``day``, ``change`` (persons, + arrested / − released), ``held`` and ``what``."""
    sign = {"raid": 1, "release": -1}
    ev = events[events["action"].isin(list(sign))]
    change = (ev["action"].map(sign).astype(int) * ev["value"].astype(int)).to_numpy()
    what = [f"{'arrested' if c > 0 else 'released'} {abs(c)}" for c in change]
    return pd.DataFrame({"date": ev["date"].to_numpy(), "day": ev["day"].to_numpy(),
                         "change": change, "held": change.cumsum(), "what": what})
