"""Charts of results (matplotlib). Each function takes the tables that ``run`` (``Results``) or a
sweep (``load_sweep``) return, or an analysis table, draws on the Axes it is given (or makes a
Figure) and returns it. Axes are labelled from the schema (:mod:`leverage_sim.scenario.labels`) and start
at 0, shares and indices run from 0 to 1, and intervals are shown (rules: docs/reports.md)."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from leverage_sim.errors import InputError
from leverage_sim.files.safe_text import chart_text
from leverage_sim.outputs.report import OUTCOMES, meanings
from leverage_sim.scenario import labels
from leverage_sim.scenario.limits import as_list, check_level, check_seed, is_real
from leverage_sim.scenario.schema import GENERIC_FORCE
from leverage_sim.simulation.runner import Results, require_results

LABEL_WIDTH = 40
"""Characters per line of a scenario's label in a chart (a name may hold 100: on one line it
squeezes the axes beside it to nothing)."""


def wrapped(text: str, width: int = LABEL_WIDTH) -> str:
    """``text`` for a chart label (:func:`~leverage_sim.files.safe_text.chart_text`, shown as
    written) in lines of at most ``width`` characters; a word longer than that is broken."""
    lines = textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False)
    return "\n".join(chart_text(line) for line in lines) or chart_text(text)


def chart_label(name: str, unit: bool = True, force: str = GENERIC_FORCE) -> str:
    """:func:`leverage_sim.scenario.labels.label` drawn as written (:func:`chart_text`): a
    parameter path names militias and sites, and a label the foreign force, by names from the
    user's files, where a ``$`` would be read as notation (``$\\frac{$`` broke the drawing)."""
    return chart_text(labels.label(name, unit=unit, force=force))


def chart_heading(name: str, force: str = GENERIC_FORCE) -> str:
    """:func:`leverage_sim.scenario.labels.heading` drawn as written (see :func:`chart_label`)."""
    return chart_text(labels.heading(name, force))


STYLES = (("-", "o"), ("--", "s"), ("-.", "^"), (":", "D"), ((0, (5, 1, 1, 1)), "v"))
"""Line style and marker per series, so that coinciding lines stay distinguishable."""
GROUP_COLOURS = {"relented": "tab:red", "held firm": "tab:green", "no standoff decided":
                 "tab:gray"}
"""Colour of each standoff-outcome group (see :func:`standoff_groups`)."""


def style(i: int) -> dict[str, object]:
    """Line style and marker of the ``i``-th series (cycling through :data:`STYLES`)."""
    linestyle, marker = STYLES[i % len(STYLES)]
    return {"linestyle": linestyle, "marker": marker, "markevery": 0.1, "markersize": 4}


def value_axis(ax: Axes, name: str, axis: str = "y", top: float | None = None) -> None:
    """Honest limits and ticks for an axis showing ``name`` (see :mod:`leverage_sim.scenario.labels`):
    shares and indices run from 0 to 1; everything else from 0 (never a zoomed axis that
    makes noise look like an effect), to at least ``top`` (default 1) so that an all-zero
    series does not fill the axes; counts get integer ticks."""
    get, set_ = (ax.get_ylim, ax.set_ylim) if axis == "y" else (ax.get_xlim, ax.set_xlim)
    if labels.is_index(name):
        set_(0, 1)
    else:
        set_(0, max(get()[1], 1 if top is None else top))
    if labels.is_count(name):
        integer_ticks(ax, axis)


def integer_ticks(ax: Axes, axis: str = "y") -> None:
    """Whole-number ticks on the ``axis`` ("x" or "y") of a count (runs, attacks, persons)."""
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_locator(MaxNLocator(integer=True))


def date_axis(ax: Axes, start: object, days: int) -> None:
    """A date x axis from ``start`` to the horizon (``days`` later), concise tick labels that
    name the month on every day tick ("15 May", not "15") and the year beside the axis."""
    locator = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    day = "%d %b"
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(
        locator, formats=["%Y", "%b", day, "%H:%M", "%H:%M", "%S.%f"],
        zero_formats=["", "%Y", day, day, "%H:%M", "%H:%M"],
        offset_formats=["", "%Y", "%Y", "%Y %b", "%Y %b %d", "%Y %b %d %H:%M"]))
    start = pd.Timestamp(start)
    ax.set_xlim(start, start + pd.Timedelta(days=days))


def require(table: object, what: str, *columns: str) -> pd.DataFrame:
    """``table`` if it is a DataFrame with ``columns`` and at least one row; else an
    :class:`InputError` naming ``what`` (e.g. "the effects table") and what it lacks. Every
    chart here checks its tables with it, so an empty or wrong table is named, not a KeyError."""
    if not isinstance(table, pd.DataFrame):
        raise InputError(f"{what[:1].upper()}{what[1:]} must be a pandas DataFrame, got "
                         f"{type(table).__name__}.")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(f"No column {', '.join(map(repr, missing))} in {what} (its columns: "
                         f"{', '.join(map(str, table.columns)) or 'none'}); pass the table the "
                         "chart's docstring names.")
    if table.empty:
        raise InputError(f"{what[:1].upper()}{what[1:]} has no rows, so there is nothing to "
                         "draw: run at least one replication, or check the filter that selected "
                         "the rows.")
    return table


def require_mapping(value: object, what: str, of: str) -> Mapping[str, object]:
    """``value`` if it is a mapping (label -> ``of``); else an :class:`InputError` naming
    ``what``: a list has no labels for the legend."""
    if not isinstance(value, Mapping):
        raise InputError(f"{what} must map each label to its {of} (a dict such as "
                         f"{{'replay': ...}}: the labels name them in the legend), got "
                         f"{type(value).__name__}.")
    return value


def require_name(value: object, what: str) -> str:
    """``value`` if it is text (a column name); else an :class:`InputError` naming ``what``."""
    if not isinstance(value, str):
        raise InputError(f"{what} must be one column name (text), got {type(value).__name__} "
                         f"{value!r}.")
    return value


def check_levels(levels: object) -> list[float]:
    """``levels`` (the shares of runs that bands hold), sorted, if it is a non-empty list of
    numbers between 0 and 1; else an :class:`InputError`."""
    if isinstance(levels, str) or not isinstance(levels, Sequence) or not levels:
        raise InputError(f"levels must be a non-empty list of shares of runs between 0 and 1, "
                         f"e.g. (0.5, 0.9), got {levels!r}.")
    return sorted(check_level(level, "each of levels") for level in levels)


def tick_text(value: object) -> str:
    """A swept value as a tick label: numbers to 3 significant digits, anything else (a
    name, true/false) as written."""
    return f"{value:.3g}" if is_real(value) else str(value)


def standoff_groups(summary: pd.DataFrame) -> pd.Series:
    """Per replication (index), which way its standoffs went: ``relented`` (at least once),
    ``held firm`` (won at least one, never relented) or ``no standoff decided``."""
    require(summary, "the summary table", "replication", "relents", "held_firm")
    group = np.where(summary["relents"] > 0, "relented",
                     np.where(summary["held_firm"] > 0, "held firm", "no standoff decided"))
    return pd.Series(group, index=summary["replication"].to_numpy(), name="standoff")


def _daily(timeseries: pd.DataFrame, *columns: str) -> None:
    """An :class:`InputError` unless ``timeseries`` holds daily rows with ``columns``: results
    of the fast engine keep only the summary and the events."""
    if isinstance(timeseries, pd.DataFrame) and (timeseries.empty or "date" not in timeseries):
        raise InputError("These results hold no daily time series (a run with engine='fast' "
                         "keeps only the summary and the events): run with engine='agent' (the "
                         "default) to chart days.")
    require(timeseries, "the time series", "replication", "day", *columns)


def band_plot(ax: Axes, timeseries: pd.DataFrame, column: str, label: str | None = None,
              color: str | None = None, levels: tuple[float, ...] = (0.5, 0.9),
              linestyle: object = "-") -> Axes:
    """Median of ``column`` over replications by date; the narrowest of ``levels`` as a shaded
    central interval, wider ones as thin lines of the same colour (so that bands of several
    series stay readable when they overlap)."""
    levels = check_levels(levels)
    _daily(timeseries, column)
    g = timeseries.groupby("date")[column]
    med = g.median()
    line, = ax.plot(med.index, med.to_numpy(), label=label or chart_label(column),
                    color=color, linestyle=linestyle)
    for i, level in enumerate(levels):
        lo, hi = g.quantile((1 - level) / 2), g.quantile(1 - (1 - level) / 2)
        if i == 0:
            ax.fill_between(med.index, lo.to_numpy(), hi.to_numpy(), color=line.get_color(),
                            alpha=0.25, linewidth=0)
        else:
            for bound in (lo, hi):
                ax.plot(med.index, bound.to_numpy(), color=line.get_color(), linewidth=0.6,
                        alpha=0.7)
    return ax


def split_band_plot(ax: Axes, res: Results, column: str,
                    levels: tuple[float, ...] = (0.5, 0.9)) -> Axes:
    """``column`` as one :func:`band_plot` per standoff-outcome group of runs
    (:func:`standoff_groups`), each labelled with its number of runs, on an honest axis.

    For series that split into runs that relented and runs that held firm (authority,
    autonomy, detainees held): one band across both clusters would show a median that hardly
    any run follows."""
    levels = check_levels(levels)
    _daily(require_results(res, "split_band_plot's res").timeseries, column)
    groups = standoff_groups(res.summary)
    ts = res.timeseries
    for i, (name, colour) in enumerate(GROUP_COLOURS.items()):
        reps = groups.index[groups == name]
        if len(reps):
            band_plot(ax, ts[ts["replication"].isin(reps)], column,
                      f"{name} (n={len(reps)})", colour, levels, STYLES[i][0])
    value_axis(ax, column)
    date_axis(ax, res.scenario.start_date, res.scenario.horizon_days)
    ax.set_ylabel(chart_label(column))
    bands = " and ".join(f"{level:.0%}" for level in sorted(levels))
    ax.set_title(f"{chart_label(column, unit=False)}, by standoff outcome\n(median; "
                 f"{bands} of runs: shaded, thin lines)")
    ax.legend(loc="best", fontsize=8)
    return ax


def weekly_attacks(ax: Axes, timeseries: pd.DataFrame, horizon_days: int | None = None,
                   level: float = 0.9, force: str = GENERIC_FORCE) -> Axes:
    """Attacks and interceptions per week (mean over replications), in whole weeks counted
    from the run's start date, with the central ``level`` interval of the attacks across runs
    as error bars. A last, partial week is drawn as narrower hatched bars at its rate scaled to
    7 days, and labelled as such. The date axis ends at the horizon (``horizon_days``, default:
    the last day in the table + 1); ``force`` names the foreign force in the title."""
    _daily(timeseries, "attacks", "attacks_intercepted")
    start = timeseries["date"].min()
    days = horizon_days or int(timeseries["day"].max()) + 1
    runs = timeseries["replication"].unique()
    per_run = (timeseries.pivot_table(index="day", columns="replication",
                                      values=["attacks", "attacks_intercepted"], aggfunc="sum")
               .reindex(range(days), fill_value=0))
    week = per_run.index // 7
    length = per_run.groupby(week).size().to_numpy()
    weekly = per_run.groupby(week).sum() * (7 / length)[:, None]  # per run, scaled to 7 days
    rate = np.column_stack([weekly[c].reindex(columns=runs, fill_value=0).mean(axis=1)
                            for c in ("attacks", "attacks_intercepted")])
    attacks = weekly["attacks"].reindex(columns=runs, fill_value=0)
    band = attacks.quantile([(1 - level) / 2, (1 + level) / 2], axis=1).to_numpy()
    left = start + pd.to_timedelta(np.unique(week) * 7, unit="D")
    full = length == 7
    for col, (name, colour, alpha) in enumerate((("attacks", "tab:red", 0.6),
                                                 ("intercepted", "tab:blue", 0.8))):
        for part, hatch in ((full, None), (~full, "//")):
            ax.bar(left[part], rate[part, col], width=length[part] - 0.8, align="edge",
                   color=colour, alpha=alpha, hatch=hatch, edgecolor="white",
                   label=name if hatch is None else None)
    middle = left + pd.to_timedelta((length - 0.8) / 2, unit="D")
    ax.errorbar(middle, rate[:, 0], yerr=np.abs(band - rate[:, 0]), fmt="none", ecolor="black",
                elinewidth=0.8, capsize=2, label=f"attacks: {level:.0%} of runs")
    handles, names = ax.get_legend_handles_labels()
    if not full.all():
        handles.append(Patch(facecolor="white", edgecolor="gray", hatch="//"))
        names.append(f"last {length[-1]} days, scaled to 7")
    ax.legend(handles, names, loc="upper left", fontsize=8)
    ax.set_xlim(start, start + pd.Timedelta(days=days))
    ticks = left[:: -(-len(left) // 8)]  # at most 8 labelled week starts
    ax.set_xticks(ticks, [f"{d:%d %b}" for d in ticks])
    ax.set_ylim(0, max(1.0, float(max(rate.max(), band.max())) * 1.15))
    if not rate.any():
        ax.text(0.5, 0.5, "no attacks in any run", transform=ax.transAxes, ha="center",
                color="gray")
    ax.set_ylabel(f"attacks per week (mean over runs, {level:.0%} interval)")
    ax.set_xlabel(f"weeks from the start date ({start:%a %d %b %Y}), horizon {days} days")
    ax.set_title(chart_heading("attacks", force))
    return ax


def outcome_bars(ax: Axes, summary: pd.DataFrame, level: float = 0.9,
                 force: str = GENERIC_FORCE) -> Axes:
    """Horizontal bars: share of runs in which each outcome happened, with its exact
    (Clopper-Pearson) ``level`` interval (``force`` names the foreign force)."""
    outcome_shares_by_scenario(ax, {"all runs": summary}, level, force)
    ax.get_legend().remove()
    ax.set_title(f"Outcomes (n={len(summary)} runs)")
    return ax


def run_overview(res: Results) -> Figure:
    """Four panels: authority by standoff outcome (median, 50/90% bands), attacks per week,
    detainees held by standoff outcome, outcome shares with exact 90% intervals."""
    require_results(res, "run_overview's res")
    fig, axes = plt.subplots(2, 2, figsize=(12, 8), constrained_layout=True)
    split_band_plot(axes[0, 0], res, "authority")
    weekly_attacks(axes[0, 1], res.timeseries, res.scenario.horizon_days,
                   force=res.scenario.foreign_forces.label)
    split_band_plot(axes[1, 0], res, "detainees_held")
    outcome_bars(axes[1, 1], res.summary, force=res.scenario.foreign_forces.label)
    fig.suptitle(f"{wrapped(res.inputs, int(fig.get_figwidth() * 9))}\n{len(res.summary)} "
                 f"replications, seed {res.seed}")
    return fig


# ---- comparing scenarios ---------------------------------------------------------------------
def scenario_bands(ax: Axes, results: Mapping[str, Results], column: str,
                   ylabel: str | None = None, levels: tuple[float, ...] = (0.5, 0.9)) -> Axes:
    """One ``timeseries`` column for several scenarios on one axes: per scenario the median over
    replications by date (each in its own line style), the narrowest of ``levels`` shaded and
    wider ones as thin lines. For many scenarios, or series that split by standoff
    outcome, prefer :func:`scenario_panels`.

    ``results`` maps a label (e.g. the scenario name) to its :class:`Results`.
    """
    levels = check_levels(levels)
    if not require_mapping(results, "scenario_bands' results", "Results"):
        raise InputError("scenario_bands needs at least one Results to plot.")
    for label, res in results.items():
        require_results(res, f"scenario_bands' results['{label}']")
    for i, (label, res) in enumerate(results.items()):
        band_plot(ax, res.timeseries, column,
                  label=wrapped(f"{label} (n={len(res.summary)})"),
                  levels=levels, linestyle=STYLES[i % len(STYLES)][0])
    bands = " and ".join(f"{level:.0%}" for level in sorted(levels))
    ax.set_title(f"{chart_label(column, unit=False)}: median, {bands} of runs")
    ax.set_xlabel("date")
    ax.set_ylabel(ylabel or chart_label(column))
    value_axis(ax, column)
    first = next(iter(results.values())).scenario
    date_axis(ax, first.start_date, max(r.scenario.horizon_days for r in results.values()))
    ax.legend(loc="best", fontsize=8)
    return ax


def scenario_panels(axes: Sequence[Axes], results: Mapping[str, Results], column: str,
                    levels: tuple[float, ...] = (0.5, 0.9)) -> Sequence[Axes]:
    """Small multiples: one panel per scenario (``axes`` in the order of ``results``), each
    with ``column`` split by standoff outcome (:func:`split_band_plot`), on the same axis."""
    require_mapping(results, "scenario_panels' results", "Results")
    if len(axes) != len(results):
        raise InputError(f"scenario_panels needs one Axes per scenario ({len(results)}), got "
                         f"{len(axes)}.")
    for ax, (label, res) in zip(axes, results.items()):
        split_band_plot(ax, res, column, levels)
        ax.set_title(wrapped(f"{label} (n={len(res.summary)})"), fontsize=10)
    top = max(ax.get_ylim()[1] for ax in axes)
    for i, ax in enumerate(axes):
        ax.set_ylim(0, top)
        if i:
            ax.set_ylabel("")
    return axes


LEGEND_INSIDE_MOST = 6
"""Most scenarios whose legend :func:`outcome_shares_by_scenario` draws inside the axes (more go
beside it, where they hide no bar)."""


def outcome_shares_by_scenario(ax: Axes, summaries: Mapping[str, pd.DataFrame],
                               level: float = 0.9, force: str = GENERIC_FORCE) -> Axes:
    """Grouped horizontal bars: share of runs with each outcome of ``report.OUTCOMES``, one bar
    per scenario, with exact (Clopper-Pearson) ``level`` intervals (``force`` names the
    foreign force: by default generically).

    ``summaries`` maps a label to a ``summary`` table (one row per replication).
    """
    from leverage_sim.outputs.summaries import summarise

    if not require_mapping(summaries, "outcome_shares_by_scenario's summaries",
                           "summary table"):
        raise InputError("outcome_shares_by_scenario needs at least one summary table.")
    said = meanings(force)
    shares = {said[name]: f"{col}>0" for name, (col, _) in OUTCOMES.items()}
    for label, summary in summaries.items():
        require(summary, f"the summary table '{label}'", *(col for col, _ in OUTCOMES.values()))
    runs = pd.concat([s.assign(scenario=label) for label, s in summaries.items()])
    table = summarise(runs, outcomes=list(shares.values()), by=["scenario"], level=level)
    table = table.set_index("scenario").loc[list(summaries)]
    height = 0.8 / len(summaries)
    y = np.arange(len(shares))[::-1]
    for i, (label, row) in enumerate(table.iterrows()):
        mid = np.array([row[f"{o}_share"] for o in shares.values()])
        err = [mid - [row[f"{o}_low"] for o in shares.values()],
               [row[f"{o}_high"] for o in shares.values()] - mid]
        ax.barh(y + 0.4 - height * (i + 0.5), mid, height=height,
                label=wrapped(f"{label} (n={int(row['n'])})"), xerr=err, capsize=2,
                error_kw={"linewidth": 0.8}, hatch=[None, "//", "..", "xx", "\\\\"][i % 5])
    ax.set_yticks(y, [chart_text(said_as) for said_as in shares])
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"share of runs ({level:.0%} exact Clopper-Pearson interval; a run can "
                  "count in several bars)")
    ax.set_title("Outcomes by scenario")
    if len(summaries) > LEGEND_INSIDE_MOST:  # a long legend would hide the bars: beside them
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
    else:
        ax.legend(loc="lower right", fontsize=8)
    return ax


def effect_dots(ax: Axes, effects: pd.DataFrame, level: float = 0.9) -> Axes:
    """Dot-and-interval chart of paired effects in percentage points (rows of
    :meth:`leverage_sim.analysis.comparison.Comparison.effects` with kind ``points``): one row per outcome,
    one marker per column (its own marker and offset), each labelled like ``held firm +29
    points [+24, +34]``; a line at 0 (no effect)."""
    require(effects, "the effects table", "scenario", "measure", "effect", "low", "high")
    measures = list(dict.fromkeys(effects["measure"]))
    columns = list(dict.fromkeys(effects["scenario"]))
    step = 0.8 / max(1, len(columns))
    y0 = np.arange(len(measures))[::-1]
    for i, column in enumerate(columns):
        rows = effects[effects["scenario"] == column].set_index("measure").loc[measures]
        y = y0 + 0.4 - step * (i + 0.5)
        mid = rows["effect"].to_numpy(float)
        ax.errorbar(mid, y, xerr=[mid - rows["low"].to_numpy(float),
                                  rows["high"].to_numpy(float) - mid],
                    fmt=STYLES[i % len(STYLES)][1], capsize=3, label=chart_text(column))
        for yi, (name, r) in zip(y, rows.iterrows()):
            ax.annotate(f"{name.replace('_', ' ')} {r['effect']:+.0f} points "
                        f"[{r['low']:+.0f}, {r['high']:+.0f}]", (r["high"], yi),
                        xytext=(6, 0), textcoords="offset points", va="center", fontsize=8)
    ax.axvline(0, color="0.4", linewidth=0.8)
    ax.set_yticks(y0, [m.replace("_", " ") for m in measures])
    ax.set_ylim(-0.6, len(measures) - 0.4)
    span = max(10.0, float(np.abs(effects[["low", "high"]].to_numpy(float)).max()) * 1.1)
    ax.set_xlim(-span, span * 1.6)  # room on the right for the labels
    ax.set_xlabel(f"effect on the share of runs (percentage points; {level:.0%} paired-bootstrap "
                  "interval)")
    if len(columns) > 1:
        ax.legend(loc="lower right", fontsize=8)
    return ax


# ---- one replication -------------------------------------------------------------------------
TIMELINE_ROWS = {
    "raid": ("raid", "tab:blue", "v"),
    "muster": ("muster", "tab:brown", "^"),
    "public_threat": ("public threat", "tab:purple", "D"),
    "standoff": ("standoff (days open)", "tab:gray", "|"),
    "hold_firm": ("government holds firm", "tab:green", "*"),
    "relent": ("government relents", "tab:red", "X"),
    "release": ("detainees released", "tab:orange", "o"),
    "clash": ("clash", "black", "x"),
    "attack": ("attack (hit)", "tab:red", "."),
    "intercepted": ("attack (intercepted)", "tab:blue", "."),
    "casualties": ("{force} casualties", "darkred", "s"),
    "strike": ("{force} strike", "navy", "P"),
    "drawdown": ("{force} drawdown", "tab:olive", "<"),
    "withdrawal": ("{force} withdrawal", "tab:olive", "<"),
    "redeploy": ("{force} redeployment", "tab:olive", ">"),
}
"""Timeline rows in plotting order (top to bottom): key -> (label, colour, marker); ``{force}``
is the foreign force's label."""


def event_timeline(ax: Axes, events: pd.DataFrame, replication: int = 0,
                   force: str = GENERIC_FORCE) -> Axes:
    """What happened in one replication, on a date axis: one row per kind of action (raid,
    muster, threats, standoff days, hold firm/relent, releases, attacks hit or intercepted,
    attacks with casualties, strikes, drawdown; ``force`` names the foreign force). Marker
    labels give the figures (arrests, fighters, detainees, casualties)."""
    require(events, "the events table", "replication", "date", "action", "detail", "value")
    replication = check_seed(replication, "event_timeline's replication")
    ev = events[events["replication"] == replication].copy()
    if ev.empty:
        raise InputError(f"No events for replication {replication}; replications present: "
                         f"{sorted(events['replication'].unique().tolist())}.")
    ev["row"] = ev["action"].where(~((ev["action"] == "attack")
                                     & (ev["detail"] == "intercepted")), "intercepted")
    casualties = ev[(ev["action"] == "attack") & (ev["value"] > 0)].assign(row="casualties")
    ev = pd.concat([ev, casualties])
    rows = [r for r in TIMELINE_ROWS if (ev["row"] == r).any()]
    for pos, key in enumerate(rows):
        _, color, marker = TIMELINE_ROWS[key]
        sel = ev[ev["row"] == key]
        ax.scatter(sel["date"], np.full(len(sel), -pos), color=color, marker=marker, s=40,
                   zorder=3)
        if key in ("raid", "muster", "release", "casualties"):
            for date, values in sel.groupby("date")["value"]:
                ax.annotate("+".join(f"{v:.0f}" for v in values), (date, -pos),
                            textcoords="offset points", xytext=(0, 6), ha="center", fontsize=7)
    ax.set_yticks([-p for p in range(len(rows))],
                  [chart_text(labels.naming(TIMELINE_ROWS[r][0], force)) for r in rows])
    ax.set_ylim(-len(rows) + 0.5, 0.7)
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlabel("date")
    ax.set_title(f"Timeline of replication {replication} (numbers: arrests, fighters, "
                 "detainees, casualties)")
    ax.tick_params(axis="x", labelrotation=30)
    return ax


# ---- sweeps ----------------------------------------------------------------------------------
def _point_stats(runs: pd.DataFrame, outcomes: Sequence[str], by: list[str], level: float,
                 interval: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """``summarise`` per ``by`` group, and per outcome the column holding its central value
    (``_share`` for shares, ``_mean`` otherwise)."""
    from leverage_sim.outputs.summaries import summarise

    require(runs, "the sweep table", *by)
    table = summarise(runs, outcomes=list(outcomes), by=by, level=level, interval=interval)
    centre = {o: f"{o}_share" if f"{o}_share" in table else f"{o}_mean" for o in outcomes}
    return table, centre


def response_curve(ax: Axes, runs: pd.DataFrame, parameter: str, outcomes: str | Sequence[str],
                   by: str | None = None, level: float = 0.9,
                   interval: str = "bootstrap", force: str = GENERIC_FORCE) -> Axes:
    """Outcome(s) against one swept parameter: the share of runs (for comparisons such as
    ``held_firm>0``) or the mean per run (for counts such as ``attacks``) at each value, with a
    shaded ``level`` interval (exact binomial for shares; bootstrap of the mean, or with
    ``interval="quantile"`` the spread of runs, for counts).

    Args:
        runs: a :func:`leverage_sim.load_sweep` table (one row per run).
        parameter: the swept parameter on the x axis (dotted path).
        outcomes: one or more outcomes (see :func:`leverage_sim.sweep.summarise`).
        by: optional second swept parameter: one curve per value.
        force: the foreign force's label in the labels (the base scenario's).
    """
    parameter = require_name(parameter, "response_curve's parameter")
    by = None if by is None else require_name(by, "response_curve's by")
    if isinstance(outcomes, Mapping):
        raise InputError("response_curve's outcomes must be one outcome or a list of them, "
                         f"not a mapping (got {type(outcomes).__name__}), e.g. 'held_firm>0' or "
                         "['held_firm>0', 'attacks'].")
    outcomes = [require_name(o, "each of response_curve's outcomes")
                for o in as_list(outcomes, (str,))]
    if not outcomes:
        raise InputError("response_curve needs at least one outcome, e.g. 'held_firm>0' or "
                         "['held_firm>0', 'attacks'].")
    table, centre = _point_stats(runs, outcomes, [parameter] + ([by] if by else []), level,
                                 interval)
    groups = table.groupby(by, sort=True) if by else [(None, table)]
    i = 0
    for key, part in groups:
        key = key[0] if isinstance(key, tuple) else key
        for o in outcomes:
            name = chart_label(o, unit=False, force=force)
            value = "" if by is None else (f"{chart_label(by, unit=False, force=force)} = "
                                           f"{f'{key:.3g}' if isinstance(key, float) else key}")
            label = name if by is None else (value if len(outcomes) == 1 else f"{name}, {value}")
            line, = ax.plot(part[parameter], part[centre[o]], label=label,
                            **{**style(i), "markevery": 1})
            ax.fill_between(part[parameter], part[f"{o}_low"], part[f"{o}_high"],
                            color=line.get_color(), alpha=0.2, linewidth=0)
            i += 1
    shares = all(c.endswith("_share") for c in centre.values())
    what = "share of runs" if shares else "mean per run"
    ax.set_xlabel(chart_label(parameter, force=force))
    ax.set_ylabel(what if len(outcomes) > 1
                  else wrapped(labels.label(outcomes[0], force=force), 45))
    value_axis(ax, outcomes[0])
    n = int(table["n"].median())
    ax.set_title(f"Response to {chart_label(parameter, unit=False, force=force)}\n({what}, "
                 f"{level:.0%} "
                 f"interval, {n} runs per point)")
    if i > 1:
        ax.legend(fontsize=8)
    return ax


def heatmap(ax: Axes, runs: pd.DataFrame, x: str, y: str, outcome: str, level: float = 0.9,
            annotate: bool = True, cmap: str = "viridis", force: str = GENERIC_FORCE) -> Axes:
    """An outcome over two swept parameters: share of runs (comparisons) or mean per run
    (counts) for each pair of values, as coloured cells with a colour bar.

    Args:
        runs: a :func:`leverage_sim.load_sweep` table of a grid over ``x`` and ``y``.
        x, y: swept parameters (dotted paths) for the horizontal and vertical axes.
        outcome: the outcome (see :func:`leverage_sim.sweep.summarise`).
        annotate: write the value in each cell (when the grid is at most 12 × 12).
        force: the foreign force's label in the labels (the base scenario's).
    """
    x, y = require_name(x, "heatmap's x"), require_name(y, "heatmap's y")
    outcome = require_name(outcome, "heatmap's outcome")
    if isinstance(cmap, str) and cmap not in plt.colormaps():
        raise InputError(f"heatmap's cmap '{cmap}' is no matplotlib colour map: give one of "
                         "matplotlib.pyplot.colormaps(), e.g. 'viridis' or 'magma'.")
    if x == y:
        raise InputError(f"heatmap needs two different parameters, got '{x}' for both x and y; "
                         "for one parameter draw response_curve.")
    table, centre = _point_stats(runs, [outcome], [x, y], level, "bootstrap")
    grid = table.pivot(index=y, columns=x, values=centre[outcome])
    im = ax.imshow(grid.to_numpy(dtype=float), origin="lower", aspect="auto", cmap=cmap,
                   vmin=0, vmax=1 if labels.is_index(outcome) else None)
    ax.set_xticks(range(grid.shape[1]), [tick_text(v) for v in grid.columns],
                  rotation=45 if grid.shape[1] > 8 else 0)
    ax.set_yticks(range(grid.shape[0]), [tick_text(v) for v in grid.index])
    ax.set_xlabel(chart_label(x, force=force))
    ax.set_ylabel(chart_label(y, force=force))
    what = "share of runs" if centre[outcome].endswith("_share") else "mean per run"
    said = chart_label(outcome, force=force)
    name = said if what == "share of runs" else f"{said}: {what}"
    ax.figure.colorbar(im, ax=ax, label=name)
    if annotate and max(grid.shape) <= 12:
        values = grid.to_numpy(dtype=float)
        mid = np.nanmean(values)
        for (i, j), v in np.ndenumerate(values):
            ax.text(j, i, f"{v:.2f}" if abs(v) < 10 else f"{v:.0f}", ha="center",
                    va="center", fontsize=7, color="white" if v < mid else "black")
    ax.set_title(f"{chart_label(outcome, unit=False, force=force)}\n"
                 f"({int(table['n'].median())} runs per cell)")
    return ax


def prim_trajectory(ax: Axes, trajectory: pd.DataFrame, selected: int | None = None) -> Axes:
    """PRIM's boxes as density against coverage (0-1), coloured by the number of parameters
    each restricts; ``selected`` (a row of ``trajectory``) is circled.

    ``trajectory`` is :attr:`leverage_sim.analysis.PrimResult.trajectory`.
    """
    require(trajectory, "the PRIM trajectory", "coverage", "density", "restricted")
    points = ax.scatter(trajectory["coverage"], trajectory["density"],
                        c=trajectory["restricted"], cmap="viridis", s=14)
    ax.figure.colorbar(points, ax=ax, label="parameters restricted")
    if selected is not None:
        if selected not in trajectory.index:
            raise InputError(f"selected must be a row of the PRIM trajectory (0 to "
                             f"{len(trajectory) - 1}, e.g. PrimResult.select()), got "
                             f"{selected!r}.")
        row = trajectory.loc[selected]
        ax.scatter([row["coverage"]], [row["density"]], s=140, facecolors="none",
                   edgecolors="red", label=f"selected box ({row['coverage']:.2f} coverage, "
                   f"{row['density']:.2f} density)")
        ax.legend(fontsize=8)
    ax.set_xlabel("coverage (share of all cases of interest inside the box)")
    ax.set_ylabel("density (share of the box's runs that are cases)")
    ax.set_title("PRIM peeling and pasting trajectory")
    return ax


# ---- sensitivity -----------------------------------------------------------------------------
def sensitivity_bars(ax: Axes, indices: pd.DataFrame, title: str | None = None) -> Axes:
    """Bar chart of sensitivity indices with their confidence intervals, one group per parameter.

    ``indices`` is a table from :func:`leverage_sim.analysis.sobol_indices` (bars ``S1`` and
    ``ST``, share of output variance) or :func:`~leverage_sim.analysis.morris_indices` (bars
    ``mu_star``, mean absolute elementary effect, and ``sigma``); error bars are the ``*_conf``
    half-widths.
    """
    sobol = isinstance(indices, pd.DataFrame) and {"S1", "ST"} <= set(indices.columns)
    bars = ("S1", "ST") if sobol else ("mu_star", "sigma")
    require(indices, "the table of sensitivity indices (Sobol S1 and ST, or Morris mu_star "
            "and sigma)", *bars)
    names = {"S1": "first order S1", "ST": "total ST", "mu_star": "μ* (mean |effect|)",
             "sigma": "σ (interactions, non-linearity)"}
    x = np.arange(len(indices))
    width = 0.8 / len(bars)
    for i, col in enumerate(bars):
        conf = indices.get(f"{col}_conf")
        ax.bar(x + width * (i - (len(bars) - 1) / 2), indices[col], width, label=names[col],
               yerr=None if conf is None else conf.to_numpy(), capsize=3)
    ax.set_xticks(x, [chart_label(str(p), unit=False) for p in indices.index], rotation=20,
                  ha="right")
    ax.axhline(0, color="black", linewidth=0.6)
    ends = [indices[c] + sign * indices.get(f"{c}_conf", 0) for c in bars for sign in (-1, 1)]
    low, high = float(pd.concat(ends).min()), float(pd.concat(ends).max())
    # from 0 (Sobol: to 1, the whole variance), wider where estimates stray outside
    ax.set_ylim(min(0.0, 1.05 * low), max(1.0 if sobol else 0.0, 1.05 * high))
    ax.set_ylabel("share of output variance" if sobol else "output units per unit range")
    ax.set_title(chart_label(title, unit=False) if title else
                 ("Sobol indices" if sobol else "Morris screening"))
    ax.legend(fontsize=8)
    return ax
