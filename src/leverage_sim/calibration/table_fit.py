"""Calibration on a growing reference table: rejection ABC until the posterior stops moving,
checked on synthetic truths, with what each parameter learnt.

1. Simulate a reference table of ``start`` prior draws (:mod:`.reference`), one history each.
2. Compute the posterior for the record (:class:`.forest.RejectionPosterior`: the ``accept``
   rows nearest the record, kernel-weighted; regression-adjusted only if ``adjust``). Double
   the table and compute it again; stop when the posterior has stopped moving over the last
   **two** doublings (converged), or when the next doubling would pass ``max_simulations``
   (the cap is a cap: never exceeded). Stopped moving: no parameter's 5%, 50% or 95% posterior
   quantile (in prior-CDF units, 0-1) differs between the table of ``n`` rows and those of
   ``n/2`` and ``n/4`` rows by more than ``tolerance`` or by more than :data:`NOISE_Z` standard
   errors of the difference, whichever is larger (:func:`quantile_errors`: a bootstrap of the
   kept rows). Why both doublings and the standard errors: with a few hundred effective rows a
   quantile's own Monte Carlo error is of the order of the tolerance, so one doubling can pass
   by chance while the posterior is still narrowing as the table grows (the shipped fit once
   stopped that way at 8,000 rows; docs/calibration.md, Limits); a slow trend shows against
   the table a quarter the size before it shows against the previous one.
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
from typing import NamedTuple

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
from leverage_sim.calibration.weighted import weighted_quantiles

INFORMED_R2 = 0.05
"""Out-of-bag R² below which the facts are taken to say nothing about a parameter."""
QUANTILES = (0.05, 0.5, 0.95)
INFORMATION_ROWS = 64_000
"""Rows (the table's first) on which the information forest learns: a forest on every row of
a table of hundreds of thousands takes longer than the simulations. Its out-of-bag R² grows
with the rows it learns on (default calibration, 8,000 to 64,000 rows: desertion_rate 0.65 to
0.79, ground_multiplier 0.08 to 0.11), so at the flag's threshold it errs toward "not
informed"."""
NOISE_Z = 3.0
"""Standard errors of a quantile's difference between two table sizes that Monte Carlo noise
alone may explain: 69 quantiles (23 parameters × 3) are compared at each size, and at 3 a
posterior that no longer moves passes both comparisons in most doublings (0.27% per quantile
and comparison under pure noise)."""
DOUBLINGS = 2
"""Doublings over which the posterior must be stable to count as converged (against the
tables of ``n/2`` and ``n/4`` rows): a fit needs ``DOUBLINGS + 1`` table sizes to be judged."""
BOOTSTRAPS = 100
"""Resamples of the kept rows behind each quantile's standard error."""
CHECKPOINT_ROWS = 1000
"""Fewest rows simulated between two checkpoints."""
CHECKPOINT_SHARE = 0.1
"""Between two checkpoints, at least this share of the rows already done is simulated: a
checkpoint writes the whole table, so a fixed interval makes the writing grow with the square
of the table (at 256,000 rows it halved the rate); what an interruption can lose is at most
``max(CHECKPOINT_ROWS, CHECKPOINT_SHARE × rows done)`` rows."""


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
            return ProjectedPosterior(table, accept, self.adjust)
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
    def judged(self) -> bool:
        """True if the table reached enough sizes (``DOUBLINGS + 1``) for convergence to be
        judged: a budget whose cap is under ``4 × start`` never does."""
        return len(self.steps) > DOUBLINGS

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
    steps, earlier, converged = [], [], False
    while True:
        while known is None or len(known) < n:
            done = 0 if known is None else len(known)
            rows = min(n, done + max(CHECKPOINT_ROWS, int(CHECKPOINT_SHARE * done)))
            known = build_table(simulator, priors, facts, rows, seed, executor, workers,
                                base=known)
            if checkpoint is not None:
                save_checkpoint(known, checkpoint)
            say(f"{rows}/{n} simulations")
        table = known if len(known) == n else known.rows(slice(0, n))
        u, w = budget.estimator(table).sample(record)
        q, se = quantiles(u, w), quantile_errors(u, w, seed, n)
        moves = moves_against(q, se, earlier, budget.tolerance)
        moved = moves[0].largest if moves else float("nan")
        steps.append({"simulations": n, "ess": effective_sample_size(w), "moved": moved,
                      "moved_in_errors": max((m.in_errors for m in moves), default=float("nan")),
                      "most_moved": priors[moves[0].parameter].name if moves else ""})
        say(f"{n} simulations: ESS {steps[-1]['ess']:.0f}, " + (
            "first size" if not moves else
            f"largest quantile move {moved:.3f}, {steps[-1]['moved_in_errors']:.1f} standard "
            f"errors over the last {len(moves)} doubling(s)"))
        if len(moves) == DOUBLINGS and all(m.stable for m in moves):
            converged = True
            break
        if 2 * n > budget.max_simulations:
            break
        earlier.append((q, se))
        n = 2 * n
    truths = min(budget.truths, len(table) // 5)
    cov = coverage.check(table, record, budget.estimator, truths, seed)
    info = ForestPosterior(table.rows(slice(0, INFORMATION_ROWS)),
                           ForestSettings(trees=budget.information_trees, min_leaf=5)
                           ).information()
    return TableFit(posterior_frame(table, u, w), effective_sample_size(w), converged,
                    pd.DataFrame(steps), cov, info, len(table),
                    episode_alone(table, record, budget))


def quantiles(u: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The 5/50/95% weighted quantiles (:data:`QUANTILES`) of each parameter's prior
    coordinate: rows quantiles × columns parameters."""
    return np.column_stack([weighted_quantiles(u[:, j], w, list(QUANTILES))
                            for j in range(u.shape[1])])


def quantile_errors(u: np.ndarray, w: np.ndarray, seed: int, size: int) -> np.ndarray:
    """Monte Carlo standard errors of :func:`quantiles` (same shape): the spread over
    :data:`BOOTSTRAPS` resamples of the kept rows, drawn with replacement in proportion to
    their weights (reproducible from ``seed`` and the table ``size``)."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 7, size]))
    p = w / w.sum()
    draws = [quantiles(u[idx], np.full(len(idx), 1.0 / len(idx)))
             for idx in (rng.choice(len(w), len(w), p=p) for _ in range(BOOTSTRAPS))]
    return np.std(draws, axis=0)


class Move(NamedTuple):
    """How far the quantiles moved between two table sizes."""

    largest: float
    """The largest move (prior-CDF units)."""
    in_errors: float
    """The largest move in standard errors of the difference."""
    parameter: int
    """Index of the parameter with the largest move."""
    stable: bool
    """Every move within ``max(tolerance, NOISE_Z × standard error)``."""


def moves_against(q: np.ndarray, se: np.ndarray, earlier: Sequence[tuple[np.ndarray, np.ndarray]],
                  tolerance: float) -> list[Move]:
    """How far quantiles ``q`` (standard errors ``se``) moved from the last :data:`DOUBLINGS`
    of the ``earlier`` sizes' (quantiles, standard errors), the previous size first."""
    return [_move(q, se, *before, tolerance) for before in list(earlier)[-DOUBLINGS:][::-1]]


def _move(q: np.ndarray, se: np.ndarray, q_before: np.ndarray, se_before: np.ndarray,
          tolerance: float) -> Move:
    """How far quantiles ``q`` (standard errors ``se``) moved from ``q_before``."""
    move = np.abs(q - q_before)
    error = np.sqrt(se**2 + se_before**2)
    in_errors = move / np.maximum(error, 1e-12)
    allowed = np.maximum(tolerance, NOISE_Z * error)
    return Move(float(move.max()), float(in_errors.max()), int(move.max(axis=0).argmax()),
                bool((move <= allowed).all()))


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
