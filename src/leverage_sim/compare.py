"""Several scenarios through the same replication seeds, side by side.

Every scenario runs with the same master seed, so replication ``i`` gets the same integer seed
in each (:func:`leverage_sim.runner.replication_seeds`): differences between columns come
from the scenarios, not from different random draws at the start. The table gives, per
scenario, the share of runs with each outcome of :data:`leverage_sim.report.OUTCOMES` (with an
exact 90% interval) and the median of each figure of :data:`leverage_sim.report.FIGURES` (with
the central 90% interval across runs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from leverage_sim import plots, report
from leverage_sim.limits import run_memory_limit
from leverage_sim.runner import Results, run
from leverage_sim.schema import Scenario
from leverage_sim.sweep.results import summarise

LEVEL = 0.9


@dataclass
class Comparison:
    """Results of several scenarios run with the same seeds (``results``: label -> Results)."""

    results: dict[str, Results]
    seed: int

    def table(self) -> pd.DataFrame:
        """Long table: scenario, measure, kind (``share`` 0-1 or ``median``), value, low, high.

        Shares: exact (Clopper-Pearson) interval; medians: central interval of the runs."""
        shares = {name: f"{col}>0" for name, (col, _) in report.OUTCOMES.items()}
        wide = summarise(self.summary(), outcomes=[*shares.values(), *report.FIGURES],
                         by=["scenario"], level=LEVEL, interval="quantile")
        rows = []
        for _, r in wide.set_index("scenario").loc[list(self.results)].iterrows():
            rows += [(r.name, name, "share", r[f"{o}_share"], r[f"{o}_low"], r[f"{o}_high"])
                     for name, o in shares.items()]
            rows += [(r.name, f, "median", r[f"{f}_median"], r[f"{f}_low"], r[f"{f}_high"])
                     for f in report.FIGURES]
        return pd.DataFrame(rows, columns=["scenario", "measure", "kind", "value", "low", "high"])

    def side_by_side(self) -> pd.DataFrame:
        """Measures as rows, scenarios as columns, cells like ``81% [75, 86]`` or
        ``16 [10, 23]`` (90% intervals)."""
        t = self.table()
        def cell(r: pd.Series) -> str:
            if r["kind"] == "share":
                return f"{r['value']:.0%} [{r['low']:.0%}, {r['high']:.0%}]"
            f = "{:.2f}" if r["measure"].startswith("final_") else "{:.0f}"
            return f"{f.format(r['value'])} [{f.format(r['low'])}, {f.format(r['high'])}]"
        t["cell"] = t.apply(cell, axis=1)
        t["row"] = np.where(t["kind"] == "share", "share of runs: " + t["measure"],
                            "median: " + t["measure"])
        wide = t.pivot(index="row", columns="scenario", values="cell")
        wide = wide.loc[list(dict.fromkeys(t["row"])), list(self.results)]
        return wide.rename_axis(index=None, columns=None)

    def text(self) -> str:
        """The side-by-side table as plain text, with a header saying what was run."""
        first = next(iter(self.results.values()))
        head = (f"{len(self.results)} scenarios x {len(first.summary)} replications, same "
                f"replication seeds (master seed {self.seed}); cells: share of runs or median, "
                f"[{LEVEL:.0%} interval]")
        return head + "\n\n" + self.side_by_side().to_string()

    def markdown(self) -> str:
        """The side-by-side table as Markdown."""
        wide = self.side_by_side()
        lines = ["| measure | " + " | ".join(wide.columns) + " |",
                 "|---|" + "---|" * len(wide.columns)]
        lines += [f"| {idx} | " + " | ".join(row) + " |" for idx, row in wide.iterrows()]
        return "\n".join(lines) + "\n"

    def summary(self) -> pd.DataFrame:
        """All replications' summary rows, with a ``scenario`` column first."""
        return pd.concat([res.summary.assign(scenario=label) for label, res
                          in self.results.items()], ignore_index=True).pipe(
            lambda df: df[["scenario", *df.columns[:-1]]])

    def chart(self) -> Figure:
        """Outcome shares (exact 90% intervals), attacks per run (median, 90% of runs) and,
        one small panel per scenario, authority over time by standoff outcome (median, 50%
        and 90% of runs); every value axis starts at 0."""
        k, n = len(self.results), len(next(iter(self.results.values())).summary)
        fig = plt.figure(figsize=(max(13, 4 * k), 10), constrained_layout=True)
        top, bottom = fig.subfigures(2, 1)
        ax_out, ax = top.subplots(1, 2, width_ratios=[3, 2])
        plots.outcome_shares_by_scenario(ax_out, {label: r.summary for label, r in
                                                  self.results.items()}, LEVEL)
        t = self.table()
        att = t[(t["measure"] == "attacks")].set_index("scenario").loc[list(self.results)]
        y = np.arange(len(att))[::-1]
        for i, (yi, r) in enumerate(zip(y, att.to_dict("records"))):
            ax.errorbar([r["value"]], [yi],
                        xerr=[[r["value"] - r["low"]], [r["high"] - r["value"]]],
                        fmt=plots.STYLES[i % len(plots.STYLES)][1], capsize=4, color="tab:red")
        ax.set_yticks(y, att.index)
        ax.set_ylim(-0.5, len(att) - 0.5)
        plots.value_axis(ax, "attacks", axis="x", top=float(att["high"].max()) * 1.1)
        ax.set_xlabel(f"attacks per run (median, {LEVEL:.0%} of runs)")
        ax.set_title("Attacks on US-linked sites")
        plots.scenario_panels(bottom.subplots(1, k, sharey=True, squeeze=False)[0],
                              self.results, "authority", levels=(0.5, LEVEL))
        bottom.suptitle("Government authority by standoff outcome: median, 50% (shaded) and "
                        f"{LEVEL:.0%} (thin lines) of runs")
        fig.suptitle(f"Same seeds through {k} scenarios (master seed {self.seed}, n={n} runs "
                     "each)")
        return fig


def unique_labels(names: Iterable[str]) -> list[str]:
    """Scenario names made unique for column labels (``a``, ``a#2``, ...)."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}#{seen[n]}")
    return out


def compare(scenarios: Sequence[Scenario], replications: int, seed: int | None = None,
            progress: Callable[[str], Callable | None] | None = None) -> Comparison:
    """Run each scenario with the same master seed (default: the first scenario's ``seed``).

    ``progress(label)`` may return a loop wrapper (e.g. a tqdm bar) for that scenario's runs.
    All scenarios' tables are held at once: each may use its share of the memory limit.
    """
    master = scenarios[0].seed if seed is None else seed
    labels = unique_labels(s.name for s in scenarios)
    limit = run_memory_limit() // max(1, len(scenarios))
    return Comparison({label: run(sc, replications, master, memory_limit=limit,
                                  progress=progress(label) if progress else None)
                       for label, sc in zip(labels, scenarios, strict=True)}, master)
