"""Calibration on a growing reference table: rejection ABC until the posterior stops moving,
checked on synthetic truths, with what each parameter learnt.

1. Simulate a reference table of ``start`` prior draws (:mod:`.reference`), one history each.
2. Compute the posterior for the record (:class:`.forest.RejectionPosterior`: the ``accept``
   rows nearest the record, kernel-weighted; regression-adjusted only if ``adjust``). Double
   the table and compute it again; stop when no parameter's 5%, 50% or 95% posterior quantile
   (in prior-CDF units, 0-1) moved by more than ``tolerance`` (converged), or when the next
   doubling would pass ``max_simulations`` (the cap is a cap: never exceeded).
3. Check coverage on the final table: its last ``truths`` rows are held out as synthetic
   truths, recorded with the record's range widths (:mod:`.coverage`).
4. Say how much the facts tell about each parameter: the out-of-bag R² of a random forest
   predicting it from the facts (:meth:`.forest.ForestPosterior.information`). A parameter
   under :data:`INFORMED_R2` is flagged *not informed*: its posterior is its prior.

Why no adjustment by default: on synthetic truths the adjusted posterior is narrower and still
covers, but the 2020 record was atypical of the model (no accepted row matched every fact; the
old ``us_strikes`` fact double-counted), so the accepted rows missed it and the linear adjustment
extrapolates: on the default calibration its quantiles jumped between table sizes several
times more than without it and did not settle.

The table is written to ``checkpoint`` as it grows, so an interrupted calibration resumes from
the rows already simulated, and the result is the same as an uninterrupted one (rows depend on
the seed alone).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from leverage_sim.calibration import coverage
from leverage_sim.calibration.forest import (
    ForestPosterior,
    ForestSettings,
    RejectionPosterior,
    effective_sample_size,
    episode_of,
    posterior_frame,
)
from leverage_sim.calibration.projected import ProjectedPosterior
from leverage_sim.calibration.reference import (
    ReferenceTable,
    Simulator,
    build_table,
    prior_units,
)
from leverage_sim.calibration.smc import Prior, Target
from leverage_sim.calibration.table import weighted_quantiles

INFORMED_R2 = 0.05
"""Out-of-bag R² below which the facts are taken to say nothing about a parameter."""
QUANTILES = (0.05, 0.5, 0.95)
CHECKPOINT_ROWS = 1000
"""Rows simulated between two checkpoints: what an interruption can lose at most."""


@dataclass(frozen=True)
class TableBudget:
    """How far the table may grow and when it has converged."""

    start: int = 4000
    max_simulations: int = 64_000
    accept: int = 500
    tolerance: float = 0.03
    truths: int = 200
    information_trees: int = 100
    adjust: bool = False
    balance: bool = True
    summaries: str = "facts"

    def estimator(self, table: ReferenceTable) -> RejectionPosterior | ProjectedPosterior:
        """The posterior estimator these settings choose, on ``table`` (``accept`` capped at
        a tenth of its rows): rejection on the facts (:class:`.forest.RejectionPosterior`) or on
        learnt summaries (:class:`.projected.ProjectedPosterior`)."""
        accept = min(self.accept, len(table) // 10)
        if self.summaries == "projected":
            return ProjectedPosterior(table, accept)
        return RejectionPosterior(table, accept, self.adjust, self.balance)


@dataclass
class TableFit:
    """A finished table calibration (see the module docstring)."""

    posterior: pd.DataFrame
    ess: float
    converged: bool
    steps: pd.DataFrame
    coverage: coverage.Coverage
    information: pd.Series
    simulations: int
    alone: dict[str, pd.DataFrame] | None = None
    """Per fitted episode, the posterior from that episode's facts alone (same table, distance
    and ``accept``): what its own facts allow, for the fit check (:func:`episode_alone`)."""

    @property
    def informed(self) -> pd.Series:
        """True for the parameters the facts inform (out-of-bag R² ≥ :data:`INFORMED_R2`)."""
        return self.information >= INFORMED_R2


def fit(simulator: Simulator, priors: Sequence[Prior], record: Sequence[Target],
        budget: TableBudget, seed: int, executor: Executor | None = None, workers: int = 1,
        checkpoint: Path | None = None,
        progress: Callable[[str], None] | None = None) -> TableFit:
    """Calibrate on a growing reference table (see the module docstring)."""
    facts = [t.name for t in record]
    say = progress or (lambda _: None)
    known = load_checkpoint(checkpoint, priors, facts, seed) if checkpoint else None
    n = min(budget.start, budget.max_simulations)
    steps, previous, converged = [], None, False
    while True:
        while known is None or len(known) < n:
            rows = min(n, (0 if known is None else len(known)) + CHECKPOINT_ROWS)
            known = build_table(simulator, priors, facts, rows, seed, executor, workers,
                                base=known)
            if checkpoint is not None:
                save_checkpoint(known, checkpoint)
            say(f"{rows}/{n} simulations")
        table = known if len(known) == n else known.rows(slice(0, n))
        u, w = budget.estimator(table).sample(record)
        q = np.column_stack([weighted_quantiles(u[:, j], w, list(QUANTILES))
                             for j in range(u.shape[1])])
        moves = np.abs(q - previous).max(axis=0) if previous is not None else None
        moved = float(moves.max()) if moves is not None else float("nan")
        steps.append({"simulations": n, "ess": effective_sample_size(w), "moved": moved,
                      "most_moved": "" if moves is None else priors[int(moves.argmax())].name})
        say(f"{n} simulations: ESS {steps[-1]['ess']:.0f}, " + (
            "first size" if previous is None else
            f"largest quantile move {moved:.3f} (converged below {budget.tolerance})"))
        if previous is not None and moved < budget.tolerance:
            converged = True
            break
        if 2 * n > budget.max_simulations:
            break
        previous, n = q, 2 * n
    truths = min(budget.truths, len(table) // 5)
    cov = coverage.check(table, record, budget.estimator, truths, seed)
    info = ForestPosterior(table, ForestSettings(trees=budget.information_trees,
                                                 min_leaf=5)).information()
    return TableFit(posterior_frame(table, u, w), effective_sample_size(w), converged,
                    pd.DataFrame(steps), cov, info, len(table),
                    episode_alone(table, record, budget))


def episode_alone(table: ReferenceTable, record: Sequence[Target], budget: TableBudget
                  ) -> dict[str, pd.DataFrame]:
    """Per episode of ``record`` (``episode.fact`` names), the posterior computed from that
    episode's facts alone on the same table: the fit check compares it with the joint posterior
    to tell a trade between episodes (the joint fit worse than the episode's own) from what one
    history of the episode allows (both alike). Rows at equal distance (all matching every
    fact of the episode) are taken in table order, i.e. at random from the prior."""
    out = {}
    names = [t.name for t in record]
    for episode in dict.fromkeys(episode_of(n) for n in names):
        keep = [i for i, n in enumerate(names) if episode_of(n) == episode]
        if len(keep) == len(names):
            continue  # one episode: alone is the fit itself
        own = ReferenceTable(table.priors, table.unit, table.values,
                             table.facts.iloc[:, keep], table.seed)
        u, w = budget.estimator(own).sample([record[i] for i in keep])
        out[episode] = posterior_frame(own, u, w)
    return out


def save_checkpoint(table: ReferenceTable, path: Path) -> None:
    """Write ``table`` to ``path`` (Parquet) through a temporary file."""
    tmp = path.with_name(path.name + ".part")
    frame = table.frame()
    frame.attrs = {}
    frame.to_parquet(tmp, index=False)
    tmp.replace(path)


def load_checkpoint(path: Path, priors: Sequence[Prior], facts: Sequence[str], seed: int
                    ) -> ReferenceTable | None:
    """The table saved at ``path`` if it is one of these priors, facts and seed (its parameter
    draws are recomputed from the seed and compared), else None."""
    if not path.is_file():
        return None
    frame = pd.read_parquet(path)
    names = [p.name for p in priors]
    wanted = [f"u:{n}" for n in names] + names + [f"fact:{f}" for f in facts]
    if list(frame.columns) != wanted or frame.empty:
        return None
    unit = frame[[f"u:{n}" for n in names]].set_axis(names, axis=1)
    if not np.array_equal(unit.to_numpy(), prior_units(len(names), len(frame), seed)):
        return None
    return ReferenceTable(tuple(priors), unit, frame[names].reset_index(drop=True),
                          frame[[f"fact:{f}" for f in facts]].set_axis(list(facts), axis=1),
                          seed)
