"""The chart and ``report.html`` of ``leverage-sim explore`` (built with
:func:`leverage_sim.files.report_html.write_report`): the answer in words and one chart, the robust
lever settings, the PRIM box and trajectory, the decision tree, what was run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from leverage_sim.files.report_html import Section, write_report
from leverage_sim.outputs import plots
from leverage_sim.scenario import labels
from leverage_sim.sweep import summarise

if TYPE_CHECKING:
    from leverage_sim.analysis.exploration import Exploration

REPORT = "report.html"
MAX_CELLS = 12
"""A lever with more distinct values than this is binned (by quantiles) in the chart."""


def _chart_levers(exp: Exploration) -> list[str]:
    """The (up to) two levers drawn: those the selected box restricts first."""
    restricted = list(exp.prim.box(exp.box).index) if exp.prim is not None else []
    return [*restricted, *(p for p in exp.levers if p not in restricted)][:2]


def _binned(runs: pd.DataFrame, lever: str) -> pd.Series:
    values = runs[lever]
    if values.nunique() <= MAX_CELLS:
        return values
    bins = pd.qcut(values, 6, duplicates="drop")
    medians = values.groupby(bins, observed=True).transform("median")
    return medians.map(lambda v: float(f"{v:.3g}"))  # tick labels of 3 significant digits


def explore_chart(exp: Exploration) -> Figure:
    """One chart: the share of runs meeting the goal over the two levers that matter most (one
    lever: against it, with the share holding and exact intervals), the selected PRIM box
    outlined (shaded), the threshold marked."""
    from leverage_sim.analysis.exploration import LEVEL, number

    q = exp.question
    fig, ax = plt.subplots(figsize=(7.5, 5), constrained_layout=True)
    levers = _chart_levers(exp)
    limits = exp.prim.box(exp.box) if exp.prim is not None else pd.DataFrame()
    runs = exp.runs
    others = [p for p in exp.levers if p not in levers]
    sliced = [p for p in others if p in limits.index]
    for p in sliced:  # the levers not drawn: inside the box's limits
        runs = runs[runs[p].between(limits.loc[p, "low"], limits.loc[p, "high"])]
    runs = runs.copy()
    for p in levers:
        runs[p] = _binned(runs, p)
    if len(levers) == 1:
        p = levers[0]
        table = summarise(runs, outcomes=["goal", "holds"], by=[p], level=LEVEL)
        for i, (o, name) in enumerate((("goal", "holds, costs within limits"),
                                       ("holds", "enforcement holds"))):
            line, = ax.plot(table[p], table[f"{o}_share"], label=name, **plots.style(i))
            ax.fill_between(table[p], table[f"{o}_low"], table[f"{o}_high"],
                            color=line.get_color(), alpha=0.2, linewidth=0)
        ax.axhline(q.hold_at_least, color="k", linestyle=":", linewidth=1,
                   label=f"goal: {q.hold_at_least:.0%} of runs")
        if p in limits.index:
            ax.axvspan(limits.loc[p, "low"], limits.loc[p, "high"], color="tab:green",
                       alpha=0.1, label="PRIM box")
        ax.set_xlabel(plots.chart_label(p, force=exp.force))
        ax.set_ylabel("share of runs")
        ax.set_ylim(0, 1)
        ax.legend(fontsize=8)
        n = int(table["n"].median())
    else:
        x, y = levers
        table = summarise(runs, outcomes=["goal"], by=[x, y], level=LEVEL)
        grid = table.pivot(index=y, columns=x, values="goal_share")
        values = grid.to_numpy(dtype=float)
        im = ax.imshow(values, origin="lower", aspect="auto", cmap="viridis", vmin=0, vmax=1)
        ax.set_xticks(range(grid.shape[1]), [number(v) for v in grid.columns])
        ax.set_yticks(range(grid.shape[0]), [number(v) for v in grid.index])
        ax.set_xlabel(plots.chart_label(x, force=exp.force))
        ax.set_ylabel(plots.chart_label(y, force=exp.force))
        fig.colorbar(im, ax=ax, label="share of runs meeting the goal")
        for (i, j), v in np.ndenumerate(values):
            if np.isfinite(v):
                ax.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize=8,
                        color="white" if v < 0.5 else "black",
                        fontweight="bold" if v >= q.hold_at_least else "normal")
        if exp.prim is not None:
            ix = _cells(grid.columns, limits, x)
            iy = _cells(grid.index, limits, y)
            if len(ix) and len(iy):
                ax.add_patch(Rectangle((ix[0] - 0.5, iy[0] - 0.5), ix[-1] - ix[0] + 1,
                                       iy[-1] - iy[0] + 1, fill=False, edgecolor="red",
                                       linewidth=2, label="PRIM box"))
                ax.legend(loc="upper left", fontsize=8, framealpha=0.8)
        n = int(table["n"].median())
    from leverage_sim.analysis.exploration import condition

    pooled = "".join(
        [f"; {condition(p, limits.loc[p], exp.force)}" for p in sliced]
        + [f"; pooled over {plots.chart_label(p, unit=False, force=exp.force)}" for p in others
           if p not in sliced])
    goal = q.describe(exp.force)
    ax.set_title(f"Share of runs where {goal}\n(bold: ≥ {q.hold_at_least:.0%}; "
                 f"{n} runs per cell{pooled})" if len(levers) == 2 else
                 f"Share of runs where {goal}\n({LEVEL:.0%} exact intervals, {n} runs "
                 f"per point{pooled})", fontsize=9)
    return fig


def _cells(values: pd.Index, limits: pd.DataFrame, lever: str) -> np.ndarray:
    """Indices of the grid values inside the box's limits for ``lever`` (all if unrestricted)."""
    v = values.to_numpy(dtype=float)
    if lever not in limits.index:
        return np.arange(len(v))
    return np.flatnonzero((v >= limits.loc[lever, "low"]) & (v <= limits.loc[lever, "high"]))


def _sweep_manifest(folder: str | None) -> dict:
    """The sweep's manifest (an empty mapping if it cannot be read)."""
    try:
        return json.loads((Path(str(folder)) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def explore_report(exp: Exploration, out: Path, chart: Figure) -> Path:
    """``out/report.html``: the answer and its chart, the robust settings, scenario discovery
    (PRIM, tree) and what was run."""
    from leverage_sim.analysis.exploration import LEVEL, PRIM_ALPHA, TREE_DEPTH, settings_text

    q, a, goal = exp.question, exp.about, exp.question.describe(exp.force)
    about = (f"Goal: {goal} (`{q.holds}`) in at least {q.hold_at_least:.0%} of runs."
             f"\n\nLever settings of {exp.subject()} explored: "
             + "; ".join(f"{labels.label(p, force=exp.force)} (`{p}`)" for p in exp.levers)
             + f". {len(exp.settings)} settings ({a.get('design')} design) × "
             f"{a.get('replications')} runs each = {len(exp.runs)} successful runs "
             f"({a.get('errors', 0)} failed), master seed {a.get('seed')}; each run's "
             f"parameters {a.get('uncertainty')}"
             + (f" (posterior `{a['posterior']}`)" if a.get("posterior") else "") + ".")
    robust = (f"One row per lever setting, the robust ones first, then by goal share. *goal met*: share of the setting's runs "
              f"(posterior draws) in which {goal}, with its exact {LEVEL:.0%} "
              f"interval; *holds*: share in which enforcement holds; costs at the "
              f"{q.percentile:g}th percentile of the setting's runs; *meets*: goal met in at "
              f"least {q.hold_at_least:.0%}; *robust*: no other setting is as good or better on "
              "the goal share and every cost percentile (the Pareto front). Full table: "
              "`settings.csv`.")
    shown = settings_text(exp.settings, exp.levers, q, rows=len(exp.settings)).rename(
        columns={p: labels.label(p, force=exp.force) for p in exp.levers})
    if exp.prim is not None:
        method = (f"PRIM (peeling {PRIM_ALPHA:.0%} at a time, then pasting) on the "
                  f"{len(exp.runs)} runs with the goal indicator; the box chosen has the highest "
                  f"coverage among those with density ≥ {q.hold_at_least:.0%} (the densest if "
                  "none). Coverage: share of all runs meeting the goal that fall in the box; "
                  "density: share of the box's runs that meet it; mass: share of all runs in "
                  "the box.")
        tree = (f"Decision tree (depth ≤ {TREE_DEPTH}) on the same indicator; each leaf is a "
                "box (`tree_leaves.csv`).")
        discovery = [method, exp.prim.box(exp.box).rename(
                         index=lambda p: labels.label(p, force=exp.force)),
                     exp.prim.trajectory.round(3), tree,
                     exp.tree.drop(columns="limits").round(3)]
    else:
        discovery = ["No run meets the goal, so there is no box to find."]
    runs_note = (f"The runs are in `{a.get('sweep_folder')}` (a sweep folder: "
                 "`leverage_sim.load_sweep`); its manifest, then `explore.json`:")
    title = (f"Which levers keep enforcement holding? {exp.subject()}: {len(exp.runs)} runs, "
             + (f"posterior {Path(a['posterior']).name}" if a.get("posterior")
                else "no posterior"))
    return write_report(out / REPORT, title, [
        Section("Answer", [exp.sentence(), chart, about]),
        Section("Robust lever settings", [robust, shown]),
        Section("Scenario discovery", discovery),
        Section("What was run", [runs_note, _sweep_manifest(a.get("sweep_folder")),
                                 exp.figures()]),
    ])
