"""Everything ``leverage-sim run`` writes to its output folder.

- ``timeseries``, ``militias``, ``events``, ``summary`` tables (Parquet or CSV);
- ``narrative.md``: a typical replication (nearest the medians) as a dated timeline
  (:mod:`leverage_sim.outputs.narrative`);
- ``scenario.yaml``: the resolved inputs (:func:`leverage_sim.scenario.canonical.scenario_yaml`);
- ``manifest.json``: package version, scenario hash, master and per-replication seeds, the
  posterior (folder, SHA-256 of its ``posterior.parquet``) or null, time;
- charts: ``authority_autonomy.png``, ``attacks_per_week.png``, ``outcomes.png`` and the
  four-panel ``overview.png``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from leverage_sim.outputs import plots, report_pages
from leverage_sim.outputs.narrative import narrative
from leverage_sim.outputs.report_pages import manifest
from leverage_sim.scenario.canonical import scenario_yaml
from leverage_sim.simulation.runner import Results


def authority_autonomy_chart(res: Results) -> Figure:
    """Government authority and mean militia autonomy over time, each split by standoff
    outcome (relented / held firm): median, 50% and 90% of runs."""
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5), constrained_layout=True, sharey=True)
    plots.split_band_plot(axes[0], res, "authority")
    plots.split_band_plot(axes[1], res, "mean_autonomy")
    fig.suptitle(f"{plots.wrapped(res.inputs, int(fig.get_figwidth() * 9))}\nauthority and "
                 f"autonomy over {len(res.summary)} runs")
    return fig


def _single(draw: Callable[..., Any], data: Any, title: str) -> Figure:
    fig, ax = plt.subplots(figsize=(9, 4.5), constrained_layout=True)
    draw(ax, data)
    ax.set_title(title)
    return fig


def charts(res: Results) -> dict[str, Figure]:
    """File name -> figure, for every chart of a run."""
    n = len(res.summary)
    inputs = plots.wrapped(res.inputs, 80)  # drawn as written ($ is no notation), wrapped
    return {
        "authority_autonomy.png": authority_autonomy_chart(res),
        "attacks_per_week.png": _single(
            lambda ax, ts: plots.weekly_attacks(ax, ts, res.scenario.horizon_days),
            res.timeseries,
            f"{inputs}\nattacks and interceptions per week (mean over {n} runs)"),
        "outcomes.png": _single(
            lambda ax, s: plots.outcome_bars(ax, s, force=res.scenario.foreign_forces.label),
            res.summary,
            f"{inputs}\nshare of {n} runs with each outcome (90% exact interval)"),
        "overview.png": plots.run_overview(res),
    }


def write_run(res: Results, out: Path, fmt: str = "parquet") -> list[Path]:
    """Write tables, narrative, resolved scenario, manifest, charts and ``report.html`` into the
    folder ``out`` (claimed with :func:`leverage_sim.files.output_dir.claim_output`, which makes it
    appear only once complete)."""
    written = res.write_tables(out, fmt)
    texts = {
        "narrative.md": narrative(res),
        "scenario.yaml": scenario_yaml(res.scenario),
        "manifest.json": json.dumps(manifest(res), indent=2) + "\n",
    }
    for name, text in texts.items():
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)
    for name, fig in charts(res).items():
        fig.savefig(out / name, dpi=110)
        plt.close(fig)
        written.append(out / name)
    written.append(report_pages.run_report(res, out, [p for p in written if p.suffix == ".png"
                                                      and p.name != "overview.png"]))
    return written
