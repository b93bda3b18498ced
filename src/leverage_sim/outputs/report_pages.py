"""The ``report.html`` of ``run`` and ``compare`` (built with
:func:`leverage_sim.files.report_html.write_report`): what was run, the narrative, outcome shares with
exact intervals, per-run figures, the charts and the manifest, in one self-contained file."""

from __future__ import annotations

import datetime as dt
import json
import platform
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from leverage_sim.files.report_html import Section, write_report
from leverage_sim.files.version import installed_version
from leverage_sim.outputs import plots, report
from leverage_sim.scenario import labels
from leverage_sim.scenario.canonical import scenario_hash
from leverage_sim.scenario.schema import GENERIC_FORCE
from leverage_sim.simulation.provenance import posterior_text
from leverage_sim.simulation.runner import Results


class ComparedRuns(Protocol):
    """What a comparison's page needs: :class:`leverage_sim.analysis.comparison.Comparison`
    (the analysis layer, above this one) has it."""

    results: dict[str, Results]
    seed: int
    overrides: list[str]

    @property
    def inputs(self) -> str: ...

    @property
    def posterior(self) -> dict[str, object] | None: ...

    def effects(self) -> pd.DataFrame: ...

    def table(self) -> pd.DataFrame: ...

    def side_by_side(self) -> pd.DataFrame: ...

REPORT = "report.html"
LEVEL = 0.9


def manifest(res: Results) -> dict[str, Any]:
    """What identifies a run: versions, scenario hash, seeds, size and time taken, the
    overrides (``--set``/variant assignments, already included in the scenario and its hash)
    and the parameters used (``inputs``: in words; ``posterior``: its record or null)."""
    import mesa

    return {
        "leverage_sim_version": installed_version(),
        "mesa_version": mesa.__version__,
        "python_version": platform.python_version(),
        "scenario": res.scenario.name,
        "scenario_sha256": scenario_hash(res.scenario),
        "master_seed": res.seed,
        "replications": len(res.seeds),
        "replication_seeds": res.seeds,
        "horizon_days": res.scenario.horizon_days,
        "seconds": round(res.seconds, 3),
        "created_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "overrides": res.overrides,
        "posterior": res.posterior,
        "inputs": res.inputs,
    }


def outcome_table(summary: pd.DataFrame, level: float = LEVEL,
                  force: str = GENERIC_FORCE) -> pd.DataFrame:
    """One row per outcome of :data:`report.OUTCOMES`: runs with it, share and its exact
    (Clopper-Pearson) ``level`` interval, in percent (``force``: the foreign force's label in
    the outcomes' words, :func:`report.meanings`)."""
    from leverage_sim.outputs.summaries import summarise

    cols = [col for col, _ in report.OUTCOMES.values()]
    row = summarise(summary, outcomes=[f"{c}>0" for c in cols], by=[], level=level).iloc[0]
    return pd.DataFrame({
        "outcome": list(report.meanings(force).values()),
        "runs": [int((summary[c].astype(float) > 0).sum()) for c in cols],
        "share %": [100 * row[f"{c}>0_share"] for c in cols],
        f"low % ({level:.0%})": [100 * row[f"{c}>0_low"] for c in cols],
        f"high % ({level:.0%})": [100 * row[f"{c}>0_high"] for c in cols],
    }).round(1)


def figures_table(summary: pd.DataFrame, level: float = LEVEL,
                  force: str = GENERIC_FORCE) -> pd.DataFrame:
    """Per-run figures: mean, median and the central ``level`` interval of the runs (``force``
    names the foreign force in their labels)."""
    table = report.intervals(summary, level=level)
    table.insert(0, "mean", summary[list(report.FIGURES)].astype(float).mean())
    cells = pd.DataFrame({col: [_number(v, name, col != "mean") for name, v in values.items()]
                          for col, values in table.items()}, index=table.index)
    cells.index = [labels.label(c, force=force) for c in table.index]
    return cells.rename(columns={"low": f"low ({level:.0%} of runs)",
                                 "high": f"high ({level:.0%} of runs)"})


def _number(value: float, name: str, whole: bool) -> str:
    """``value`` of column ``name`` as text: counts as integers (``whole``) or with one
    decimal (means), indices with two decimals."""
    if labels.is_count(name):
        return f"{value:.0f}" if whole else f"{value:.1f}"
    return f"{value:.2f}"


def standoff_table(res: Results) -> pd.DataFrame:
    """Runs per standoff outcome, with the median final authority of each group: the split
    that a single median hides."""
    groups = plots.standoff_groups(res.summary)
    final = res.summary.set_index("replication")["final_authority"]
    table = pd.DataFrame({"runs": groups.value_counts(),
                          "median final authority": final.groupby(groups).median().round(3)})
    order = [g for g in plots.GROUP_COLOURS if g in table.index]
    return table.loc[order].rename_axis("standoff outcome").reset_index()


def _run_sections(res: Results, charts: Sequence[Path | Figure], manifest: dict
                  ) -> list[Section]:
    from leverage_sim.outputs.narrative import narrative, typical_replication

    sc = res.scenario
    about = (f"**Inputs.** {inputs_markdown(res.scenario.name, res.overrides, res.posterior)}"
             f"\n\n{len(res.summary)} replications from master seed {res.seed}, "
             f"{sc.horizon_days} days from {sc.start_date}."
             + (f"\n\n**Question.** {sc.question}" if sc.question else ""))
    return [
        Section("Summary", [about, (f"Share of runs with each outcome, exact "
                                   f"(Clopper-Pearson) {LEVEL:.0%} interval. "
                                   f"{report.SEVERAL_ROWS}"),
                            outcome_table(res.summary, force=sc.foreign_forces.label),
                            "Runs by standoff outcome (charts of authority are split this way):",
                            standoff_table(res)]),
        Section("Per-run figures", [figures_table(res.summary, force=sc.foreign_forces.label)]),
        Section("Charts", list(charts)),
        Section(f"Narrative of a typical run (replication "
                f"{typical_replication(res.summary)})", [narrative(res)]),
        Section("Manifest", [manifest]),
    ]


def run_report(res: Results, out: Path, charts: Sequence[Path | Figure]) -> Path:
    """``out/report.html`` of a run: summary tables, ``charts``, narrative, and the manifest
    read from ``out/manifest.json``."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    title = f"{res.inputs} — {len(res.summary)} replications, seed {res.seed}"
    return write_report(out / REPORT, title, _run_sections(res, charts, manifest))


def scenario_markdown(name: str, overrides: Sequence[str]) -> str:
    """A scenario and its overrides as Markdown code: ```a` with `p=v` ``."""
    return f"`{name}`" + (" with " + ", ".join(f"`{o}`" for o in overrides) if overrides
                          else "")


def inputs_markdown(name: str, overrides: Sequence[str], posterior: dict | None) -> str:
    """:func:`leverage_sim.simulation.provenance.inputs_text` as Markdown: names and overrides as code."""
    return f"{scenario_markdown(name, overrides)}; parameters: {posterior_text(posterior)}."


def effects_table(cmp: ComparedRuns) -> pd.DataFrame:
    """The paired effects of :meth:`Comparison.effects` in words: one row per column and
    measure, e.g. ``share of runs where the government held firm in a standoff or operation |
    +29 points | [+24, +34]``."""
    meanings = {name: f"share of runs where {meaning.removeprefix('the ')}"
                for name, meaning in report.meanings().items()}
    rows = []
    for r in cmp.effects().itertuples():
        effect, low, high = effect_cells(r.kind, r.measure, r.effect, r.low, r.high)
        label = labels.label(r.measure)
        rows.append({"column": r.scenario, "measure": meanings[r.measure] if r.kind == "points"
                     else label if label.startswith("mean ") else f"mean {label}",
                     "effect": effect,
                     f"{LEVEL:.0%} interval": f"[{low}, {high}]"})
    return pd.DataFrame(rows)


def effect_cells(kind: str, measure: str, effect: float, low: float, high: float
                 ) -> tuple[str, str, str]:
    """An effect and its interval bounds as text: ``+29 points``, ``+24``, ``+34`` (shares, in
    percentage points) or ``+2.2``/``+0.10`` (means: counts with one decimal, indices two)."""
    f = "{:+.0f}" if kind == "points" else "{:+.1f}" if labels.is_count(measure) else "{:+.2f}"
    shown = [_signed(f, x) for x in (effect, low, high)]
    return (f"{shown[0]} points" if kind == "points" else shown[0]), shown[1], shown[2]


def _signed(form: str, x: float) -> str:
    """``x`` in ``form`` (a signed format), with a value that rounds to zero shown as ``+0``
    (``-0.3`` points is ``+0``, not ``-0``)."""
    text = form.format(x)
    return form.format(0.0) if text.startswith("-") and float(text) == 0 else text


def compare_report(cmp: ComparedRuns, out: Path, charts: Sequence[Path | Figure]) -> Path:
    """``out/report.html`` of a comparison (:class:`leverage_sim.analysis.comparison.Comparison`): the
    paired effects (table and dot-and-interval chart) first, then the side-by-side table,
    ``charts``, the long table and each column's manifest."""
    first = next(iter(cmp.results.values()))
    title = f"{cmp.inputs} — {len(first.summary)} replications each, seed {cmp.seed}"
    side = cmp.side_by_side()
    readable = {f"share of runs: {name}": f"share of runs where {meaning.removeprefix('the ')}"
                for name, meaning in report.meanings().items()}
    readable |= {f"median: {f}": f"median: {labels.label(f)}" for f in report.FIGURES}
    side.index = [readable.get(row, row) for row in side.index]
    head = (f"Every column ran with master seed {cmp.seed}, so replication *i* has the same "
            f"seed in each. Cells: share of runs [exact {LEVEL:.0%} interval] or median "
            f"[{LEVEL:.0%} of runs]. {report.SEVERAL_ROWS}")
    base = next(iter(cmp.results))
    how = ("the same seed and the same parameter draw" if cmp.posterior else "the same seed")
    columns = [f"- **{label}**: {scenario_markdown(res.scenario.name, res.overrides)}"
               for label, res in cmp.results.items()]
    lead = ("**Inputs.** Columns:\n\n" + "\n".join(columns) + "\n\n"
            + (f"Every column with {', '.join(f'`{o}`' for o in cmp.overrides)}. "
               if cmp.overrides else "")
            + f"Parameters: {posterior_text(cmp.posterior)}.\n\n"
            f"**Effects against `{base}`**: replication *i* of every column has {how}, so "
            f"each effect is the mean paired difference (shares in percentage points), with its "
            f"{LEVEL:.0%} paired-bootstrap interval (also in `effects.csv`).")
    chart = effects_chart(cmp)
    path = write_report(out / REPORT, title, [
        Section("Effects", [lead, effects_table(cmp), chart]),
        Section("Side by side", [head, side]),
        Section("Charts", list(charts)),
        Section("Table", [cmp.table().round(3)]),
        Section("Manifest", [{label: manifest(res) for label, res in cmp.results.items()}]),
    ])
    plt.close(chart)
    return path


def effects_chart(cmp: ComparedRuns) -> Figure:
    """Dot-and-interval chart of the share effects against the first column (percentage
    points, :data:`LEVEL` paired-bootstrap interval), each dot labelled like ``held firm
    +29 points [+24, +34]``."""
    effects = cmp.effects()
    shares = effects[effects["kind"] == "points"]
    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.45 * len(shares)), constrained_layout=True)
    plots.effect_dots(ax, shares, LEVEL)
    ax.set_title(f"{plots.wrapped(cmp.inputs, int(fig.get_figwidth() * 10))}\neffect against "
                 f"{plots.wrapped(next(iter(cmp.results)), 100)} on the same seeds", fontsize=10)
    return fig
