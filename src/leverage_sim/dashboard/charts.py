"""The dashboard's live charts of one run (matplotlib figures, dated x axis over the whole
horizon so the lines grow left to right as the run advances)."""

from __future__ import annotations

import datetime as dt

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from leverage_sim.model import LeverageModel

FIGSIZE = (6.0, 3.0)  # inches; rendered at the dashboard's DPI


def run_frame(model: LeverageModel) -> pd.DataFrame:
    """The run so far, one row per simulated day: the model's data-collector columns plus
    ``date`` and cumulative ``total_attacks`` / ``total_intercepted``."""
    ts = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    ts["date"] = pd.to_datetime([model.spec.date_of(int(d)) for d in ts["day"]])
    ts["total_attacks"] = ts["attacks"].cumsum()
    ts["total_intercepted"] = ts["attacks_intercepted"].cumsum()
    return ts


def _axes(model: LeverageModel, title: str, ylabel: str) -> tuple[Figure, Axes]:
    """A figure with one axes spanning the scenario's dates."""
    fig = Figure(figsize=FIGSIZE)
    fig.subplots_adjust(left=0.11, right=0.97, top=0.9, bottom=0.12)  # fixed: faster redraws
    ax = fig.subplots()
    start = model.spec.start_date
    ax.set_xlim(start, start + dt.timedelta(days=model.spec.horizon_days))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    ax.set_title(title, fontsize=11)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    return fig, ax


def _top(counts: pd.Series) -> int:
    """Upper y limit for a count series: its maximum + 1, at least 5."""
    return max(5, int(counts.max()) + 1) if len(counts) else 5


def authority_autonomy(model: LeverageModel, ts: pd.DataFrame) -> Figure:
    """Government authority and mean militia autonomy (index 0-1) by date."""
    fig, ax = _axes(model, "Government authority vs militia autonomy", "index (0-1)")
    ax.plot(ts["date"], ts["authority"], color="tab:green", label="government authority")
    ax.plot(ts["date"], ts["mean_autonomy"], color="tab:purple", label="mean militia autonomy")
    ax.set_ylim(0, 1)
    ax.legend(loc="lower left", fontsize=8)
    return fig


def attacks(model: LeverageModel, ts: pd.DataFrame) -> Figure:
    """Cumulative attacks on US-linked sites and how many were intercepted."""
    fig, ax = _axes(model, "Attacks on US-linked sites (cumulative)", "attacks since start")
    ax.step(ts["date"], ts["total_attacks"], where="post", color="tab:red", label="attacks")
    ax.step(ts["date"], ts["total_intercepted"], where="post", color="tab:blue",
            label="intercepted")
    ax.set_ylim(0, _top(ts["total_attacks"]))
    ax.legend(loc="upper left", fontsize=8)
    return fig


def detainees(model: LeverageModel, ts: pd.DataFrame) -> Figure:
    """Detainees not yet free (in government custody or transferred to a militia-controlled
    unit), persons."""
    fig, ax = _axes(model, "Detainees held (not yet released)", "persons")
    ax.step(ts["date"], ts["detainees_held"], where="post", color="tab:orange",
            label="detainees held")
    ax.set_ylim(0, _top(ts["detainees_held"]))
    return fig
