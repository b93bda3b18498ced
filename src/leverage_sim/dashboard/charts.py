"""The dashboard's charts as Vega-Lite specs (built with Altair, drawn in the browser).

The page sends each chart's spec and data (a few kB) and the browser draws it, so a step
costs milliseconds instead of a matplotlib PNG redraw. Every chart's ``…`` menu saves it as
PNG or SVG (vega-embed's export actions). One-run charts span the scenario's whole horizon so
the lines grow left to right as the run advances.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd

from leverage_sim.dashboard import assets, ensemble
from leverage_sim.dashboard.ensemble import DISTRIBUTIONS, SERIES, detainees_from_log
from leverage_sim.dashboard.snapshot import RunSnapshot
from leverage_sim.outputs.report import OUTCOMES, meanings
from leverage_sim.scenario import labels
from leverage_sim.scenario.schema import Scenario

WIDTH, HEIGHT = 500, 150  # px of a one-run chart's plotting area
ENSEMBLE_WIDTH = 390  # px: ensemble and compare charts sit two abreast
EMBED = {"actions": {"export": True, "source": False, "compiled": False, "editor": False},
         "renderer": "svg"}
"""vega-embed options: drawn as SVG; the chart menu offers PNG/SVG export only (no online
editor)."""
SCHEMA = f"https://vega.github.io/schema/vega-lite/v{assets.vega_lite_version()}.json"
"""The Vega-Lite version the specs declare: the one the page draws them with (solara's chart
widget; Altair writes its own, newer version, which the page's renderer warns about). The
specs are checked against this version's schema in the tests."""


def spec(chart: alt.TopLevelMixin, filename: str) -> dict[str, Any]:
    """The chart as a Vega-Lite dict for the page (declaring :data:`SCHEMA`); its PNG/SVG
    export is saved as ``filename``.png/.svg."""
    return {**chart.properties(usermeta={"embedOptions": {**EMBED, "downloadFileName": filename}}
                               ).to_dict(validate=False), "$schema": SCHEMA}


def _dates(spec_: Scenario) -> alt.X:
    """A date x axis over the scenario's whole horizon."""
    start = pd.Timestamp(spec_.start_date)
    end = start + dt.timedelta(days=spec_.horizon_days)
    return alt.X("date:T", title=None, scale=alt.Scale(domain=[start.isoformat(),
                                                               end.isoformat()]),
                 axis=alt.Axis(format="%d %b"))


def _count_axis(title: str, top: float) -> alt.Y:
    """A y axis for counts: from 0 to ``top`` (at least 5), integer ticks."""
    return alt.Y("value:Q", title=title, scale=alt.Scale(domain=[0, _top(top)]),
                 axis=alt.Axis(tickMinStep=1, format="d"))


def _top(top: float) -> float:
    return max(5.0, float(top))


def _lines(data: pd.DataFrame, spec_: Scenario, title: str, y: alt.Y, colors: dict[str, str],
           interpolate: str = "linear") -> alt.Chart:
    """Long ``data`` (date, series, value) as one line per series in fixed colours."""
    return alt.Chart(data, title=title).mark_line(interpolate=interpolate).encode(
        _dates(spec_), y,
        color=alt.Color("series:N", title=None, legend=alt.Legend(orient="top-left"),
                        scale=alt.Scale(domain=list(colors), range=list(colors.values()))),
    ).properties(width=WIDTH, height=HEIGHT)


def authority_rows(run: RunSnapshot) -> pd.DataFrame:
    """Long rows (date, series, value) of authority and mean autonomy."""
    return run.timeseries.melt("date", ["authority", "mean_autonomy"], var_name="series").replace(
        {"series": {"authority": "government authority",
                    "mean_autonomy": "mean militia autonomy"}})


def authority_autonomy(spec_: Scenario, rows: pd.DataFrame) -> alt.Chart:
    """Government authority and mean militia autonomy (index 0-1) by date."""
    return _lines(rows, spec_, "Government authority vs militia autonomy",
                  alt.Y("value:Q", title="index (0-1)", scale=alt.Scale(domain=[0, 1])),
                  {"government authority": "#2ca02c", "mean militia autonomy": "#9467bd"})


def attack_rows(run: RunSnapshot) -> pd.DataFrame:
    """Long rows (date, series, value) of cumulative attacks and interceptions."""
    return run.timeseries.melt("date", ["total_attacks", "total_intercepted"], var_name="series").replace(
        {"series": {"total_attacks": "attacks", "total_intercepted": "intercepted"}})


def attacks(spec_: Scenario, rows: pd.DataFrame) -> alt.Chart:
    """Cumulative attacks on the foreign force's sites and how many were intercepted."""
    return _lines(rows, spec_, f"{labels.heading('attacks', spec_.foreign_forces.label)} "
                  "(cumulative)",
                  _count_axis("attacks since start", rows["value"].max() + 1 if len(rows) else 0),
                  {"attacks": "#d62728", "intercepted": "#1f77b4"}, "step-after")


def detainee_rows(run: RunSnapshot) -> pd.DataFrame:
    """Detainees not yet released after every arrest and release of the run's event log
    (:func:`.ensemble.detainees_from_log`), from 0 on day 0 to the last simulated day."""
    held = detainees_from_log(run.events)
    start = pd.Timestamp(run.spec.start_date)
    now = start + dt.timedelta(days=max(run.days - 1, 0))
    last = held["held"].iloc[-1] if len(held) else 0
    return pd.concat([pd.DataFrame({"date": [start], "value": [0], "what": ["start"]}),
                      held.rename(columns={"held": "value"})[["date", "value", "what"]],
                      pd.DataFrame({"date": [now], "value": [last], "what": ["now"]})],
                     ignore_index=True)


def detainees(spec_: Scenario, rows: pd.DataFrame) -> alt.Chart:
    """Detainees not yet released (in government custody or transferred to a militia-controlled
    unit), persons, with a point at every arrest and release."""
    return alt.Chart(rows, title="Detainees held (not yet released)").mark_line(
        interpolate="step-after", color="#ff7f0e", point=alt.OverlayMarkDef(color="#ff7f0e")
    ).encode(_dates(spec_), _count_axis("persons", rows["value"].max() + 1),
             tooltip=["date:T", "what:N", "value:Q"]).properties(width=WIDTH, height=HEIGHT)


RowsFn = Callable[[RunSnapshot], pd.DataFrame]
ONE_RUN: dict[str, tuple[RowsFn, Callable[[Scenario, pd.DataFrame], alt.Chart], bool]] = {
    "authority_autonomy": (authority_rows, authority_autonomy, False),
    "attacks": (attack_rows, attacks, True),
    "detainees": (detainee_rows, detainees, True),
}
"""The one-run charts: name -> (rows of the run so far, chart of such rows, whether the y axis
is a count scaled to the data)."""


def one_run_templates(spec_: Scenario) -> dict[str, dict[str, Any]]:
    """Vega-Lite specs of the one-run charts with no data, built once per run: each step only
    swaps the data in (:func:`with_rows`), so a step does not rebuild charts with Altair."""
    empty = pd.DataFrame({"date": pd.to_datetime([]), "series": [], "value": [], "what": []})
    return {name: spec(chart(spec_, empty), name) for name, (_, chart, _) in ONE_RUN.items()}


def with_rows(template: dict[str, Any], rows: pd.DataFrame, count: bool) -> dict[str, Any]:
    """``template`` with ``rows`` as its data (dates as ISO text) and, for a count, the y axis
    from 0 to the largest value + 1 (at least 5)."""
    (name,) = template["datasets"]
    out = {**template, "datasets": {name: json.loads(rows.to_json(orient="records",
                                                                  date_format="iso"))}}
    if count:
        y = template["encoding"]["y"]
        top = _top(rows["value"].max() + 1 if len(rows) else 0)
        out["encoding"] = {**template["encoding"],
                           "y": {**y, "scale": {**y["scale"], "domain": [0, top]}}}
    return out


def one_run_specs(run: RunSnapshot, templates: dict[str, dict[str, Any]]
                  ) -> dict[str, dict[str, Any]]:
    """The one-run charts of the ``run`` so far, from its :func:`one_run_templates`."""
    return {name: with_rows(templates[name], rows(run), count)
            for name, (rows, _, count) in ONE_RUN.items()}


def band_chart(bands: pd.DataFrame, series: str, spec_: Scenario) -> alt.LayerChart:
    """Median of one series by date with its 50% and 90% bands (shaded), one colour per
    scenario (``bands``: :func:`.ensemble.bands`); indices on 0-1, counts from 0."""
    index = series in ("authority", "mean_autonomy")
    y = alt.Y("low90:Q", title=("index (0-1)" if index else "count") + ": median, 50%, 90%",
              scale=alt.Scale(domain=[0, 1]) if index else alt.Scale(zero=True),
              axis=alt.Axis() if index else alt.Axis(tickMinStep=1, format="d"))
    title = labels.naming(SERIES[series], spec_.foreign_forces.label)
    base = alt.Chart(bands[bands["series"] == series], title=title).encode(
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
        outcome=lambda t: t["measure"].map(meanings()))
    base = alt.Chart(data, title="Outcomes: share of runs (exact 90% interval)").encode(
        y=alt.Y("outcome:N", title=None, sort=None), yOffset="scenario:N",
        color=alt.Color("scenario:N", title=None, legend=alt.Legend(orient="bottom")))
    bars = base.mark_bar(opacity=0.7).encode(
        alt.X("value:Q", title="share of runs", scale=alt.Scale(domain=[0, 1]),
              axis=alt.Axis(format="%")),
        tooltip=["scenario:N", "outcome:N", alt.Tooltip("value:Q", format=".0%"),
                 alt.Tooltip("low:Q", format=".0%"), alt.Tooltip("high:Q", format=".0%")])
    rules = base.mark_rule(color="black").encode(x="low:Q", x2="high:Q")
    return (bars + rules).properties(width=ENSEMBLE_WIDTH - 230, height=22 * len(OUTCOMES)
                                     * data["scenario"].nunique())


def distribution_chart(summary: pd.DataFrame, column: str) -> alt.Chart:
    """Histogram of one per-run figure (runs per bin), scenarios overlaid (not stacked) in
    their colours (``summary``: :meth:`Comparison.summary`). The bins are computed once
    (:func:`.ensemble.histogram`) and drawn as they are: bars, axis and tooltip agree."""
    bins = ensemble.histogram(summary, column)
    return alt.Chart(bins, title=DISTRIBUTIONS[column]).mark_bar(opacity=0.5).encode(
        alt.X("low:Q", title=DISTRIBUTIONS[column], scale=alt.Scale(zero=False)),
        alt.X2("high:Q"),
        alt.Y("runs:Q", title="runs", stack=None, scale=alt.Scale(zero=True),
              axis=alt.Axis(tickMinStep=1, format="d")),
        alt.Y2Datum(0),
        color=alt.Color("scenario:N", title=None, legend=None),
        tooltip=["scenario:N", alt.Tooltip("bin:N", title=DISTRIBUTIONS[column]), "runs:Q"],
    ).properties(width=ENSEMBLE_WIDTH // 2 - 45, height=HEIGHT)


def effect_label(measure: str) -> str:
    """A measure's name as words (``held_firm`` -> ``held firm``)."""
    return measure.replace("_", " ")


def effect_cell(kind: str, effect: float, low: float, high: float) -> str:
    """One effect with its interval, e.g. ``+29 points [24, 34]`` (shares) or
    ``+1.25 [0.40, 2.10]`` (means)."""
    if kind == "points":
        return f"{effect:+.0f} points [{low:.0f}, {high:.0f}]"
    return f"{effect:+.2f} [{low:.2f}, {high:.2f}]"


def effects_table(effects: pd.DataFrame) -> pd.DataFrame:
    """``effects`` (:meth:`Comparison.effects`) as measures by rows, scenarios as columns,
    cells from :func:`effect_cell`; outcome shares first."""
    cells = effects.assign(
        cell=[effect_cell(r.kind, r.effect, r.low, r.high) for r in effects.itertuples()],
        row=[("share of runs: " if k == "points" else "mean: ") + effect_label(m)
             for k, m in zip(effects["kind"], effects["measure"], strict=True)])
    wide = cells.pivot(index="row", columns="scenario", values="cell")
    return wide.loc[list(dict.fromkeys(cells["row"])), list(dict.fromkeys(cells["scenario"]))
                    ].rename_axis(index=None, columns=None)


def effects_chart(effects: pd.DataFrame, reference: str) -> alt.LayerChart:
    """Dot and interval of each outcome share's paired effect (percentage points against
    ``reference``, its 90% paired-bootstrap interval), one colour per scenario."""
    data = effects[effects["kind"] == "points"].assign(
        outcome=lambda t: t["measure"].map(effect_label),
        text=lambda t: [effect_cell("points", *v) for v in
                        zip(t["effect"], t["low"], t["high"], strict=True)])
    top = max(10.0, float(data[["low", "high"]].abs().to_numpy().max()) if len(data) else 0)
    title = alt.TitleParams(f"Effect against {reference}", subtitle="difference in the "
                            "share of runs with each outcome (90% interval)")
    base = alt.Chart(data, title=title).encode(
        y=alt.Y("outcome:N", title=None, sort=None), yOffset="scenario:N",
        color=alt.Color("scenario:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=["scenario:N", "outcome:N", alt.Tooltip("text:N", title="effect")])
    scale = alt.Scale(domain=[-top, top])
    rules = base.mark_rule(strokeWidth=2).encode(
        alt.X("low:Q", title="difference in share of runs (percentage points)", scale=scale),
        alt.X2("high:Q"))
    dots = base.mark_point(filled=True, size=60).encode(alt.X("effect:Q", scale=scale))
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="gray").encode(x="x:Q")
    return (zero + rules + dots).properties(width=ENSEMBLE_WIDTH, height=22 * len(OUTCOMES)
                                            * max(1, data["scenario"].nunique()))
