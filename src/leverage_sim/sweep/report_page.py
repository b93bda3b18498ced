"""The ``report.html`` of a sweep (built with :func:`leverage_sim.files.report_html.write_report`):
what was swept, a table per point, response curves and the manifest, in one self-contained file."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from leverage_sim.files.report_html import Section, write_report
from leverage_sim.outputs import plots
from leverage_sim.outputs.report_pages import LEVEL, REPORT, inputs_markdown
from leverage_sim.outputs.summaries import summarise
from leverage_sim.scenario import labels
from leverage_sim.scenario.schema import GENERIC_FORCE
from leverage_sim.simulation.provenance import inputs_text, override_texts
from leverage_sim.sweep.results import base_label, load_sweep

SWEEP_OUTCOMES = (("held_firm>0", "relents>0"), ("attacks",), ("final_authority",))
"""Panels of a sweep report's response curves (outcomes drawn together)."""
MAX_POINTS = 40
"""Sweeps with more points get one table row for all points together."""
MAX_CURVES = 8
"""Response curves for at most this many swept parameters (the first ones)."""


def _interval_cells(table: pd.DataFrame, outcome: str) -> list[str]:
    centre = f"{outcome}_share" if f"{outcome}_share" in table else f"{outcome}_mean"
    f = "{:.2f}" if labels.is_index(outcome) else "{:.1f}"
    return [f"{f.format(m)} [{f.format(lo)}, {f.format(hi)}]" for m, lo, hi in
            zip(table[centre], table[f"{outcome}_low"], table[f"{outcome}_high"])]


def sweep_charts(runs: pd.DataFrame, design: str, force: str = GENERIC_FORCE) -> list[Figure]:
    """Response curves of :data:`SWEEP_OUTCOMES` against each swept parameter (up to
    :data:`MAX_CURVES`; other parameters pooled; designs other than ``grid`` binned into
    deciles of the parameter; ``force`` names the foreign force); none if no run succeeded."""
    figs = []
    for p in runs.attrs["parameters"][:MAX_CURVES] if len(runs) else []:
        data = runs.copy()
        if design != "grid" and data[p].nunique() > 10:
            data[p] = data.groupby(pd.qcut(data[p], 10, duplicates="drop"), observed=True)[
                p].transform("median")
        fig, axes = plt.subplots(1, len(SWEEP_OUTCOMES), figsize=(15, 4.2),
                                 constrained_layout=True)
        for ax, outcomes in zip(axes, SWEEP_OUTCOMES):
            plots.response_curve(ax, data, p, list(outcomes), level=LEVEL, force=force)
        figs.append(fig)
    return figs


def sweep_report(out: str | Path) -> Path:
    """``out/report.html`` of the sweep stored in ``out``: what was swept, a table per point
    (or for all points, beyond :data:`MAX_POINTS`), response curves and the manifest."""
    out = Path(out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    runs = load_sweep(out)
    spec, params = manifest["spec"], runs.attrs["parameters"]
    n_points = manifest["design"]["n_points"]
    outcomes = [o for group in SWEEP_OUTCOMES for o in group]
    force = base_label(manifest["base_scenario"])
    by = params if n_points <= MAX_POINTS else []
    table = summarise(runs, outcomes=outcomes, by=by, level=LEVEL)
    shown = table[by].rename(columns=lambda c: labels.label(c, force=force)).copy()
    shown["runs"] = table["n"].astype(int)
    for o in outcomes:
        shown[labels.label(o, force=force)] = _interval_cells(table, o)
    inputs = inputs_markdown(spec["base"], override_texts(spec["overrides"]),
                             manifest.get("posterior"))
    about = (f"**Inputs.** {inputs}\n\n"
             f"Sweep **{spec['name']}** of `{spec['base']}`: {spec['design']} design, "
             f"{n_points} points × {spec['replications']} replications = {len(runs)} runs "
             f"(master seed {spec['seed']}), {int(runs['error'].notna().sum())} with errors.\n\n"
             "Swept: " + "; ".join(f"{labels.label(p, force=force)} (`{p}`)" for p in params))
    note = (f"Cells: share of runs [exact {LEVEL:.0%} Clopper-Pearson interval] or mean per run "
            f"[{LEVEL:.0%} bootstrap interval of the mean]"
            + ("" if by else ", all points together") + ".")
    figs = sweep_charts(runs[runs["error"].isna()], spec["design"], force)
    title = (f"Sweep {spec['name']} of "
             f"{inputs_text(spec['base'], override_texts(spec['overrides']), manifest.get('posterior'))}"
             f" — {len(runs)} runs")
    path = write_report(out / REPORT, title, [
        Section("Summary", [about, note, shown]),
        Section("Response curves", [f"Mean or share with its {LEVEL:.0%} interval at each value "
                                    "(other swept parameters pooled"
                                    + ("" if spec["design"] == "grid" else "; values binned "
                                       "into deciles, drawn at each decile's median") + ").",
                                    *figs]),
        Section("Manifest", [manifest]),
    ])
    for fig in figs:
        plt.close(fig)
    return path
