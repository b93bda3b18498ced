"""Charts of results (matplotlib). Each function takes the tables from ``run`` and returns a
Figure or Axes with titles and units."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg") if matplotlib.get_backend().lower().startswith("agg") else None

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from leverage_sim.report import outcome_shares  # noqa: E402
from leverage_sim.runner import Results  # noqa: E402


def band_plot(ax: Axes, timeseries: pd.DataFrame, column: str, label: str | None = None,
              color: str | None = None, levels: tuple[float, ...] = (0.5, 0.9)) -> Axes:
    """Median of ``column`` over replications by date, with shaded central intervals."""
    g = timeseries.groupby("date")[column]
    med = g.median()
    line, = ax.plot(med.index, med.to_numpy(), label=label or column, color=color)
    for i, level in enumerate(sorted(levels, reverse=True)):
        lo, hi = g.quantile((1 - level) / 2), g.quantile(1 - (1 - level) / 2)
        ax.fill_between(med.index, lo.to_numpy(), hi.to_numpy(), color=line.get_color(),
                        alpha=0.12 + 0.1 * i, linewidth=0)
    return ax


def weekly_attacks(ax: Axes, timeseries: pd.DataFrame) -> Axes:
    """Mean attacks and interceptions per week across replications (bars)."""
    n = timeseries["replication"].nunique()
    weekly = (timeseries.set_index("date")[["attacks", "attacks_intercepted"]]
              .resample("W").sum() / n)
    ax.bar(weekly.index, weekly["attacks"], width=5, label="attacks", color="tab:red", alpha=0.6)
    ax.bar(weekly.index, weekly["attacks_intercepted"], width=5, label="intercepted",
           color="tab:blue", alpha=0.8)
    ax.set_ylabel("per week (mean over runs)")
    ax.set_title("Attacks on US-linked sites")
    ax.legend(loc="upper left", fontsize=8)
    return ax


def outcome_bars(ax: Axes, summary: pd.DataFrame) -> Axes:
    """Horizontal bars: share of runs in which each outcome happened."""
    shares = outcome_shares(summary)
    ax.barh(shares.index[::-1], shares.to_numpy()[::-1], color="tab:gray")
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of runs")
    ax.set_title("Outcomes")
    return ax


def run_overview(res: Results) -> Figure:
    """Four panels: authority & autonomy (median, 50/90% bands), attacks per week, detainees held,
    outcome shares."""
    fig, axes = plt.subplots(2, 2, figsize=(12, 8), constrained_layout=True)
    ax = axes[0, 0]
    band_plot(ax, res.timeseries, "authority", "government authority", "tab:green")
    band_plot(ax, res.timeseries, "mean_autonomy", "mean militia autonomy", "tab:purple")
    ax.set_ylim(0, 1)
    ax.set_ylabel("index (0-1)")
    ax.set_title("Authority and autonomy (median, 50% and 90% bands)")
    ax.legend(loc="lower left", fontsize=8)
    weekly_attacks(axes[0, 1], res.timeseries)
    ax = axes[1, 0]
    band_plot(ax, res.timeseries, "detainees_held", "detainees held", "tab:orange")
    ax.set_ylabel("persons")
    ax.set_title("Detainees not yet released")
    outcome_bars(axes[1, 1], res.summary)
    for a in (axes[0, 0], axes[0, 1], axes[1, 0]):
        a.tick_params(axis="x", labelrotation=30)
    fig.suptitle(f"{res.scenario.name}: {len(res.summary)} replications, seed {res.seed}")
    return fig
