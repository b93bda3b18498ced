"""The dashboard's charts as Vega-Lite specs (built with Altair, drawn in the browser).

The page sends each chart's spec and data (a few kB) and the browser draws it, so a step
costs milliseconds instead of a matplotlib PNG redraw. Every chart's ``…`` menu saves it as
PNG or SVG (vega-embed's export actions). One-run charts span the scenario's whole horizon so
the lines grow left to right as the run advances.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import altair as alt
import pandas as pd

from leverage_sim.dashboard.ensemble import DISTRIBUTIONS, SERIES
from leverage_sim.model import LeverageModel
from leverage_sim.report import OUTCOMES
from leverage_sim.schema import Scenario

WIDTH, HEIGHT = 500, 150  # px of a one-run chart's plotting area
ENSEMBLE_WIDTH = 390  # px: ensemble and compare charts sit two abreast
EMBED = {"actions": {"export": True, "source": False, "compiled": False, "editor": False},
         "renderer": "svg"}
"""vega-embed options: drawn as SVG; the chart menu offers PNG/SVG export only (no online
editor)."""


def spec(chart: alt.TopLevelMixin, filename: str) -> dict[str, Any]:
    """The chart as a Vega-Lite dict for the page; its PNG/SVG export is saved as
    ``filename``.png/.svg."""
    return chart.properties(usermeta={"embedOptions": {**EMBED, "downloadFileName": filename}}
                            ).to_dict(validate=False)


def run_frame(model: LeverageModel) -> pd.DataFrame:
    """The run so far, one row per simulated day: the model's data-collector columns plus
    ``date`` and cumulative ``total_attacks`` / ``total_intercepted``."""
    ts = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    ts["date"] = pd.to_datetime([model.spec.date_of(int(d)) for d in ts["day"]])
    ts["total_attacks"] = ts["attacks"].cumsum()
    ts["total_intercepted"] = ts["attacks_intercepted"].cumsum()
    return ts


def _dates(spec_: Scenario) -> alt.X:
    """A date x axis over the scenario's whole horizon."""
    start = pd.Timestamp(spec_.start_date)
    end = start + dt.timedelta(days=spec_.horizon_days)
    return alt.X("date:T", title=None, scale=alt.Scale(domain=[start.isoformat(),
                                                               end.isoformat()]),
                 axis=alt.Axis(format="%d %b"))


def _count_axis(title: str, top: float) -> alt.Y:
    """A y axis for counts: from 0, integer ticks, at least up to 5."""
    return alt.Y("value:Q", title=title, scale=alt.Scale(domain=[0, max(5.0, float(top))]),
                 axis=alt.Axis(tickMinStep=1, format="d"))


def _lines(data: pd.DataFrame, spec_: Scenario, title: str, y: alt.Y, colors: dict[str, str],
           interpolate: str = "linear") -> alt.Chart:
    """Long ``data`` (date, series, value) as one line per series in fixed colours."""
    return alt.Chart(data, title=title).mark_line(interpolate=interpolate).encode(
        _dates(spec_), y,
        color=alt.Color("series:N", title=None, legend=alt.Legend(orient="top-left"),
                        scale=alt.Scale(domain=list(colors), range=list(colors.values()))),
    ).properties(width=WIDTH, height=HEIGHT)


def authority_autonomy(model: LeverageModel, ts: pd.DataFrame) -> alt.Chart:
    """Government authority and mean militia autonomy (index 0-1) by date."""
    data = ts.melt("date", ["authority", "mean_autonomy"], var_name="series").replace(
        {"series": {"authority": "government authority",
                    "mean_autonomy": "mean militia autonomy"}})
    return _lines(data, model.spec, "Government authority vs militia autonomy",
                  alt.Y("value:Q", title="index (0-1)", scale=alt.Scale(domain=[0, 1])),
                  {"government authority": "#2ca02c", "mean militia autonomy": "#9467bd"})


def attacks(model: LeverageModel, ts: pd.DataFrame) -> alt.Chart:
    """Cumulative attacks on US-linked sites and how many were intercepted."""
    data = ts.melt("date", ["total_attacks", "total_intercepted"], var_name="series").replace(
        {"series": {"total_attacks": "attacks", "total_intercepted": "intercepted"}})
    top = ts["total_attacks"].max() + 1 if len(ts) else 0
    return _lines(data, model.spec, "Attacks on US-linked sites (cumulative)",
                  _count_axis("attacks since start", top),
                  {"attacks": "#d62728", "intercepted": "#1f77b4"}, "step-after")


def detainees(model: LeverageModel, held: pd.DataFrame) -> alt.Chart:
    """Detainees not yet released (in government custody or transferred to a militia-controlled
    unit), persons, after every arrest and release (``held``: :func:`.ensemble.
    detainees_from_log`), starting from 0 on day 0 and carried to the last simulated day."""
    start = pd.Timestamp(model.spec.start_date)
    now = start + dt.timedelta(days=max(model.day - 1, 0))
    rows = pd.concat([pd.DataFrame({"date": [start], "value": [0], "what": ["start"]}),
                      held.rename(columns={"held": "value"})[["date", "value", "what"]],
                      pd.DataFrame({"date": [now], "value": [held["held"].iloc[-1]
                                                             if len(held) else 0],
                                    "what": ["now"]})], ignore_index=True)
    base = alt.Chart(rows.assign(series="detainees held"),
                     title="Detainees held (not yet released)").encode(
        _dates(model.spec), _count_axis("persons", rows["value"].max() + 1))
    line = base.mark_line(interpolate="step-after", color="#ff7f0e")
    points = base.transform_filter("datum.what != 'start' && datum.what != 'now'").mark_point(
        color="#ff7f0e", filled=True).encode(tooltip=["date:T", "what:N", "value:Q"])
    return (line + points).properties(width=WIDTH, height=HEIGHT)


def band_chart(bands: pd.DataFrame, series: str, spec_: Scenario) -> alt.LayerChart:
    """Median of one series by date with its 50% and 90% bands (shaded), one colour per
    scenario (``bands``: :func:`.ensemble.bands`); indices on 0-1, counts from 0."""
    index = series in ("authority", "mean_autonomy")
    y = alt.Y("low90:Q", title=("index (0-1)" if index else "count") + ": median, 50%, 90%",
              scale=alt.Scale(domain=[0, 1]) if index else alt.Scale(zero=True),
              axis=alt.Axis() if index else alt.Axis(tickMinStep=1, format="d"))
    base = alt.Chart(bands[bands["series"] == series], title=SERIES[series]).encode(
        _dates(spec_), color=alt.Color("scenario:N", title=None,
                                       legend=alt.Legend(orient="top-left")))
    outer = base.mark_area(opacity=0.15).encode(y, alt.Y2("high90:Q"))
    inner = base.mark_area(opacity=0.3).encode(alt.Y("low50:Q"), alt.Y2("high50:Q"))
    median = base.mark_line().encode(alt.Y("median:Q"))
    return (outer + inner + median).properties(width=ENSEMBLE_WIDTH, height=HEIGHT)


def shares_chart(table: pd.DataFrame) -> alt.LayerChart:
    """Share of runs with each outcome and its exact 90% interval, per scenario (``table``:
    :meth:`Comparison.table`)."""
    data = table[table["kind"] == "share"].assign(
        outcome=lambda t: t["measure"].map({k: v[1] for k, v in OUTCOMES.items()}))
    base = alt.Chart(data, title="Outcomes: share of runs (exact 90% interval)").encode(
        y=alt.Y("outcome:N", title=None, sort=None), yOffset="scenario:N",
        color=alt.Color("scenario:N", title=None, legend=alt.Legend(orient="bottom")))
    bars = base.mark_bar(opacity=0.7).encode(
        alt.X("value:Q", title="share of runs", scale=alt.Scale(domain=[0, 1]),
              axis=alt.Axis(format="%")),
        tooltip=["scenario:N", "outcome:N", alt.Tooltip("value:Q", format=".0%"),
                 alt.Tooltip("low:Q", format=".0%"), alt.Tooltip("high:Q", format=".0%")])
    rules = base.mark_rule(color="black").encode(x="low:Q", x2="high:Q")
    return (bars + rules).properties(width=ENSEMBLE_WIDTH - 180, height=22 * len(OUTCOMES)
                                     * data["scenario"].nunique())


def distribution_chart(summary: pd.DataFrame, column: str) -> alt.Chart:
    """Histogram of one per-run figure (runs per bin), scenarios overlaid (not stacked) in
    their colours (``summary``: :meth:`Comparison.summary`)."""
    return alt.Chart(summary[["scenario", column]], title=DISTRIBUTIONS[column]).mark_bar(
        opacity=0.5).encode(
        alt.X(f"{column}:Q", bin=alt.Bin(maxbins=20), title=DISTRIBUTIONS[column]),
        alt.Y("count():Q", title="runs", stack=None, axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("scenario:N", title=None, legend=None),
        tooltip=["scenario:N", alt.Tooltip(f"{column}:Q", bin=True), "count():Q"],
    ).properties(width=ENSEMBLE_WIDTH // 2 - 45, height=HEIGHT)
