"""Several scenarios through the same replication seeds, side by side.

Every scenario runs with the same master seed, so replication ``i`` gets the same integer seed
in each (:func:`leverage_sim.simulation.runner.replication_seeds`): differences between columns come
from the scenarios, not from different random draws at the start. The table gives, per
scenario, the share of runs with each outcome of :data:`leverage_sim.outputs.report.OUTCOMES` (with an
exact 90% interval) and the median of each figure of :data:`leverage_sim.outputs.report.FIGURES` (with
the central 90% interval across runs).

Effects (:meth:`Comparison.effects`): each scenario against the first, measured on common
seeds. Replication ``i`` has the same seed in every scenario and, with a posterior, the same
parameter draw (the draw is seeded by the replication's seed), so ``d_i = y_i(scenario) -
y_i(first)`` is a paired difference: of outcome indicators for shares (in percentage points)
and of figures for means. The effect is the mean of the ``d_i``; its interval is the
percentile interval of a paired bootstrap over replications (:data:`BOOTSTRAP` resamples of
whole replications, seeded from the master seed; every measure and scenario resamples the
same replications, so an interval does not depend on which other measures are computed).
With a posterior each resampled replication
brings its own parameter draw, so the interval carries parameter uncertainty as well as the
randomness of runs: it is wider than with fixed parameters. It is the uncertainty of the
effect averaged over the posterior, and narrows as replications grow.

Variants (:func:`columns`): a column may also be the first scenario with more overrides
(``--variant foreign_forces.backing=0.9,government.resolve=0.8``), labelled by them; it runs on
the same seeds, and with a posterior its overridden paths keep their values.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from leverage_sim.errors import InputError
from leverage_sim.files.safe_text import MAX_NAME_LENGTH
from leverage_sim.files.safe_yaml import as_written
from leverage_sim.outputs import report
from leverage_sim.outputs.summaries import bootstrap_means, summarise
from leverage_sim.scenario import labels
from leverage_sim.scenario import overrides as ov
from leverage_sim.scenario.limits import as_ordered_list, check_seed, run_memory_limit
from leverage_sim.scenario.loader import Overrides, load_scenario
from leverage_sim.scenario.schema import Scenario
from leverage_sim.simulation import posterior as post
from leverage_sim.simulation.provenance import (
    SEPARATOR,
    override_texts,
    posterior_text,
    with_overrides,
)
from leverage_sim.simulation.runner import Results, run

if TYPE_CHECKING:
    from matplotlib.figure import Figure

LEVEL = 0.9
BOOTSTRAP = 2000
"""Paired-bootstrap resamples behind each effect's interval."""
BOOTSTRAP_KEY = 0x626F6F74
"""Spawn key of the bootstrap's seed (a child of the master seed)."""


@dataclass
class Comparison:
    """Results of several scenarios run with the same seeds (``results``: label -> Results;
    ``overrides``: the ``--set`` texts applied to every column)."""

    results: dict[str, Results]
    seed: int
    overrides: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        """An :class:`InputError` unless ``results`` maps at least one label to a Results."""
        if not isinstance(self.results, Mapping) or not self.results or not all(
                isinstance(res, Results) for res in self.results.values()):
            raise InputError(f"Comparison's results must map each column's label to its Results "
                             f"(at least one), got {type(self.results).__name__} "
                             f"{self.results!r:.80}; leverage_sim.compare builds them.")
        self.seed = check_seed(self.seed, "Comparison's seed")

    def paired_summaries(self) -> list[pd.DataFrame]:
        """Each column's summary, checked to be paired with the first column's: the same
        replication seeds in the same order and the same posterior (so the same parameter
        draws). Effects are paired differences; columns run on other seeds or draws would give
        an unpaired difference presented as a paired one, so they are an :class:`InputError`."""
        def seeds(res: Results) -> np.ndarray | None:
            column = res.summary.get("seed") if isinstance(res.summary, pd.DataFrame) else None
            return None if column is None else column.to_numpy()

        first, base = next(iter(self.results.items()))
        for label, res in self.results.items():
            mine, theirs = seeds(res), seeds(base)
            if mine is None or theirs is None or not len(mine) \
                    or not np.array_equal(mine, theirs) \
                    or (res.posterior or {}).get("sha256") != (base.posterior or {}).get("sha256"):
                raise InputError(
                    f"Column '{label}' of the comparison is not paired with '{first}': effects "
                    "are paired differences, so every column needs a summary with the same "
                    "replication seeds (a 'seed' column), in the same order, and the same "
                    "posterior. Run the columns with leverage_sim.compare, or with run() and "
                    "one replications, seed and posterior.")
        return [res.summary for res in self.results.values()]

    @property
    def inputs(self) -> str:
        """What was compared, in words: the columns, the overrides common to all and the
        parameters, e.g. ``june_2020_replay vs foreign_forces.backing=0.9 · parameters:
        calibrated posterior calibration/default (300 particles)``."""
        common = f" (all with {', '.join(self.overrides)})" if self.overrides else ""
        return (" vs ".join(self.results) + common + SEPARATOR + "parameters: "
                + posterior_text(self.posterior))

    def columns_text(self) -> list[str]:
        """One line per column whose label does not say all it ran: the label and the scenario
        with its own overrides (those common to every column are in :attr:`inputs`)."""
        ran = {label: with_overrides(res.scenario.name, [o for o in res.overrides
                                                          if o not in self.overrides])
               for label, res in self.results.items()}
        return [f"{label}: {what}" for label, what in ran.items() if what != label]

    @property
    def posterior(self) -> dict[str, object] | None:
        """The posterior's record (path, sha256, ...) if the runs drew parameters from one."""
        return next(iter(self.results.values())).posterior

    def effects(self) -> pd.DataFrame:
        """Each scenario after the first against the first, on common seeds (see the module
        docstring). Columns: scenario, measure, kind (``points``: difference of shares in
        percentage points; ``mean``: difference of means), effect, low, high
        (:data:`LEVEL` paired-bootstrap interval)."""
        labels = list(self.results)
        base, *others = self.paired_summaries()
        seed = np.random.SeedSequence(self.seed, spawn_key=(BOOTSTRAP_KEY,))
        a = (1 - LEVEL) / 2
        rows = []
        for label, other in zip(labels[1:], others):
            measures = [(name, "points", 100 * (np.greater(other[col].to_numpy(float), 0)
                                                 .astype(float)
                                                 - np.greater(base[col].to_numpy(float), 0)))
                        for name, (col, _) in report.OUTCOMES.items()]
            measures += [(f, "mean", other[f].to_numpy(float) - base[f].to_numpy(float))
                         for f in report.FIGURES]
            for name, kind, d in measures:
                resamples = bootstrap_means(d, BOOTSTRAP, np.random.default_rng(seed))
                low, high = np.quantile(resamples, [a, 1 - a])
                rows.append((label, name, kind, float(d.mean()), float(low), float(high)))
        return pd.DataFrame(rows, columns=["scenario", "measure", "kind", "effect", "low",
                                           "high"])

    def effects_text(self, bullet: str = "  ") -> str:
        """A heading line, then one line per scenario and measure (each starting with
        ``bullet``), e.g. ``june_2020_us_intervenes: held_firm +35 points, 90% interval +20
        to +50``."""
        first = next(iter(self.results))
        how = ("same seeds and the same parameter draw per replication" if self.posterior
               else "same seeds")
        lines = [(f"Effects against {first} ({how}; mean paired difference, {LEVEL:.0%} "
                 "paired-bootstrap interval):")]
        for r in self.effects().itertuples():
            unit, f = (" points", "{:+.0f}") if r.kind == "points" else ("", "{:+.2f}")
            lines.append(f"{bullet}{r.scenario}: {r.measure} {f.format(r.effect)}{unit}, "
                         f"{LEVEL:.0%} interval {f.format(r.low)} to {f.format(r.high)}")
        return "\n".join(lines)

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
        head = (f"Compared: {self.inputs}\n"
                + "".join(f"  {line}\n" for line in self.columns_text())
                + f"{len(self.results)} columns x {len(first.summary)} replications, same "
                f"replication seeds (master seed {self.seed}); cells: share of runs or "
                f"median, [{LEVEL:.0%} interval]. {report.SEVERAL_ROWS}")
        return head + "\n\n" + self.side_by_side().to_string() + "\n\n" + self.effects_text()

    def markdown(self) -> str:
        """What was compared, the side-by-side table and the effects as Markdown."""
        wide = self.side_by_side()
        lines = [f"Compared: {self.inputs}", "",
                 *(f"- {line}" for line in self.columns_text()), "",
                 "| measure | " + " | ".join(wide.columns) + " |",
                 "|---|" + "---|" * len(wide.columns)]
        lines += [f"| {idx} | " + " | ".join(row) + " |" for idx, row in wide.iterrows()]
        return "\n".join(lines) + "\n\n" + self.effects_text(bullet="- ") + "\n"

    def summary(self) -> pd.DataFrame:
        """All replications' summary rows, with a ``scenario`` column first."""
        return pd.concat([res.summary.assign(scenario=label) for label, res
                          in self.results.items()], ignore_index=True).pipe(
            lambda df: df[["scenario", *df.columns[:-1]]])

    def chart(self) -> Figure:
        """Outcome shares (exact 90% intervals), attacks per run (median, 90% of runs) and,
        one small panel per scenario, authority over time by standoff outcome (median, 50%
        and 90% of runs); every value axis starts at 0."""
        import matplotlib.pyplot as plt

        from leverage_sim.outputs import plots

        k, n = len(self.results), len(next(iter(self.results.values())).summary)
        cols = min(k, PANELS_PER_ROW)
        rows = -(-k // cols)
        top_height = max(5.0, 0.36 * k + 1)  # eight outcomes' bars, k each: ~0.045 in a bar
        fig = plt.figure(figsize=(max(13, 4 * cols), top_height + 5 * rows),
                         constrained_layout=True)
        top, bottom = fig.subfigures(2, 1, height_ratios=[top_height, 5 * rows])
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
        ax.set_yticks(y, [plots.wrapped(label, 30) for label in att.index])
        ax.set_ylim(-0.5, len(att) - 0.5)
        plots.value_axis(ax, "attacks", axis="x", top=float(att["high"].max()) * 1.1)
        ax.set_xlabel(f"attacks per run (median, {LEVEL:.0%} of runs)")
        ax.set_title(labels.heading("attacks"))
        grid = bottom.subplots(rows, cols, sharey=True, squeeze=False).ravel()
        for spare in grid[k:]:
            spare.remove()
        panels = plots.scenario_panels(grid[:k], self.results, "authority",
                                       levels=(0.5, LEVEL))
        for first in panels[cols::cols]:  # each row's first panel keeps the axis label
            first.set_ylabel(panels[0].get_ylabel())
        bottom.suptitle("Government authority by standoff outcome: median, 50% (shaded) and "
                        f"{LEVEL:.0%} (thin lines) of runs")
        fig.suptitle(f"{plots.wrapped(self.inputs, int(fig.get_figwidth() * 9))}\nsame seeds "
                     f"through {k} columns (master seed "
                     f"{self.seed}, n={n} runs each)")
        return fig


PANELS_PER_ROW = 6
"""Most per-scenario panels in one row of :meth:`Comparison.chart` (more scenarios wrap to
further rows, so that a wide comparison stays a readable page, not one strip)."""


def unique_labels(names: Iterable[str]) -> list[str]:
    """Scenario names made unique for column labels: a name already taken gets the first free
    ``#2``, ``#3``... (``X``, ``X#2``, ``X`` -> ``X``, ``X#2``, ``X#3``), so no two inputs ever
    share a column."""
    taken: set[str] = set()
    out = []
    for n in names:
        label, k = n, 1
        while label in taken:
            k += 1
            label = f"{n}#{k}"
        taken.add(label)
        out.append(label)
    return out


def variant_label(changes: Mapping[str, Any]) -> str:
    """A variant's column label: its overrides as ``path=value`` texts, cut to
    :data:`~leverage_sim.files.safe_text.MAX_NAME_LENGTH` characters (as long as a scenario's
    name may be) when longer (a long text or list as a value), so that the charts and tables it
    labels keep their shape; the whole overrides are in the column's line of what ran
    (:meth:`Comparison.columns_text`) and in its manifest."""
    text = ", ".join(override_texts(changes))
    return text if len(text) <= MAX_NAME_LENGTH else f"{text[:MAX_NAME_LENGTH - 1]}…"


@dataclass(frozen=True)
class Column:
    """One column of a comparison: its label, the scenario (with every override applied) and
    those overrides ({path: value}: the common ``--set`` ones, then the variant's)."""

    label: str
    scenario: Scenario
    overrides: dict[str, Any]


_NEXT_ASSIGNMENT = re.compile(r",(?=\s*[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[[^\]]*\])*\s*=)")
"""A comma followed by the next ``path=`` (a path of fields and bracketed entries, whose names
may hold commas: ``militias[a,b].autonomy=0.5`` is one assignment)."""


def parse_variant(variant: Overrides) -> dict[str, Any]:
    """A variant's overrides as {path: value}: a mapping, a list of ``path=value`` texts, or
    one text with assignments separated by commas (``"a.b=0.9,c.d=0.8"``; a comma inside a
    value stays in it unless a ``path=`` follows)."""
    if isinstance(variant, str):
        variant = [t for t in _NEXT_ASSIGNMENT.split(variant) if t.strip()]
    parsed = ov.normalise(variant)
    if not parsed:
        raise InputError("A variant needs at least one override, e.g. --variant "
                         "foreign_forces.backing=0.9 or --variant "
                         "\"foreign_forces.backing=0.9,government.resolve=0.8\".")
    if "seed" in parsed:
        raise InputError("A variant cannot change the seed: every column runs with one master "
                         "seed (--seed, default the first scenario's), so that columns differ "
                         "only by what they change, and a variant's seed would change nothing. "
                         "Give --seed to the whole comparison instead.")
    return parsed


def columns(scenarios: Sequence[Scenario | str | Path] | Scenario | str | Path,
            overrides: Overrides = None, variants: Sequence[Overrides] = (),
            scenario_dirs: Iterable[str | Path] = ()) -> list[Column]:
    """The columns to compare, loaded and checked before anything runs: each scenario (a
    :class:`Scenario`, name or file) with ``overrides``, then each variant (the first scenario
    with ``overrides`` and the variant's own, labelled by the variant's overrides). At least
    two columns.

    Raises:
        InputError: fewer than two columns, or a bad override or variant (naming it).
    """
    if isinstance(scenarios, Mapping):  # its keys would be read as scenario names
        raise InputError("compare's scenarios must be a list of scenarios (names, files or "
                         f"Scenario objects), not a mapping (got {type(scenarios).__name__} "
                         f"with keys {', '.join(map(repr, list(scenarios)[:3]))}): columns are "
                         "labelled by the scenarios' names; for a column changed by overrides "
                         "use variants=[{path: value}].")
    scenarios = as_ordered_list(  # load_scenario names what is no scenario
        scenarios, "compare's scenarios", "the first is the one every effect is measured "
        "against, and its seed is the comparison's", (Scenario, str, os.PathLike))
    variants = as_ordered_list(variants, "compare's variants", "they are the columns after "
                               "the scenarios, in their order", (str, Mapping))
    for variant in variants:
        if not isinstance(variant, str | Mapping | list | tuple):
            raise InputError(f"Variant {variant!r}: give each variant as 'path=value' text, a "
                             "list of them, or a {path: value} mapping.")
    if len(scenarios) + len(variants) < 2:
        raise InputError("compare needs at least two columns: two scenarios (`leverage-sim "
                         "compare june_2020_replay june_2020_us_intervenes`) or a scenario and "
                         "a variant (`leverage-sim compare june_2020_replay --variant "
                         "foreign_forces.backing=0.9`).")
    common = ov.normalise(overrides)
    loaded = [load_scenario(s, common, scenario_dirs) for s in scenarios]
    cols = [(s.name, s, common) for s in loaded]
    for variant in variants:
        what = variant if isinstance(variant, str) else ", ".join(override_texts(variant))
        try:
            changes = parse_variant(variant)
            clash = ov.first_overlap(common, changes)
            if clash is not None:
                raise InputError(f"it sets the field that --set "
                                 f"{clash[0]}={as_written(common[clash[0]], 60)} "
                                 f"sets for every column ({clash[1]}), so that column would "
                                 "not run with it although the comparison says all do. Drop "
                                 "it from --set (and give each column its value as a "
                                 "variant), or from the variant.")
            cols.append((variant_label(changes), load_scenario(loaded[0], changes),
                         {**common, **changes}))
        except InputError as e:
            raise InputError(f"Variant '{what}': {e}") from None
    labels = unique_labels(label for label, _, _ in cols)
    return [Column(label, sc, changes) for label, (_, sc, changes) in zip(labels, cols)]


def compare(scenarios: Sequence[Scenario | str | Path] | Scenario | str | Path,
            replications: int = 100, seed: int | None = None,
            progress: Callable[[str], Callable | None] | None = None,
            posterior: post.PosteriorLike = post.DEFAULT_POSTERIOR,
            overrides: Overrides = None, variants: Sequence[Overrides] = (),
            scenario_dirs: Iterable[str | Path] = ()) -> Comparison:
    """Run each column of :func:`columns` with the same master seed (default: the first
    scenario's ``seed``), e.g. ``compare("june_2020_replay", 200, variants=[
    "foreign_forces.backing=0.5", {"foreign_forces.backing": 0.9, "government.resolve":
    0.8}])``.

    ``progress(label)`` may return a loop wrapper (e.g. a tqdm bar) for that column's runs.
    ``posterior`` (default: :data:`leverage_sim.simulation.posterior.DEFAULT_POSTERIOR`, the committed
    calibration; None or ``"none"``: the scenarios' own values) and ``overrides`` (applied to
    every column) as in :func:`leverage_sim.simulation.runner.run`: with a posterior, overridden paths
    keep their values. All columns' tables are held at once: each may use its share of the
    memory limit.
    """
    overrides = ov.reusable(overrides)  # applied, then recorded: read twice
    return compare_columns(columns(scenarios, overrides, variants, scenario_dirs),
                           replications, seed, progress, posterior, override_texts(overrides))


def compare_columns(cols: Sequence[Column], replications: int, seed: int | None = None,
                    progress: Callable[[str], Callable | None] | None = None,
                    posterior: post.PosteriorLike = post.DEFAULT_POSTERIOR,
                    common: Sequence[str] = ()) -> Comparison:
    """Run ``cols`` (from :func:`columns`) as :func:`compare` does; ``common``: the override
    texts shared by every column (for the titles)."""
    master = cols[0].scenario.seed if seed is None else seed
    if progress is not None and not callable(progress):
        raise InputError(f"progress must be a callable that takes a column's label and returns a "
                         f"loop wrapper (or None), got {type(progress).__name__} {progress!r}.")
    posterior = post.resolve(posterior)
    limit = run_memory_limit() // max(1, len(cols))
    return Comparison({c.label: run(c.scenario, replications, master, c.overrides,
                                    progress=progress(c.label) if progress else None,
                                    posterior=posterior, memory_limit=limit)
                       for c in cols}, master, list(common))
