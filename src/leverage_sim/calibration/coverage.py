"""Does the inference cover the truth? Simulation-based calibration (Talts et al. 2018).

Rows held out of a reference table are synthetic truths: parameters drawn from the prior and one
history simulated at them. Each truth's facts are recorded the way the real record is — a fact
that the record gives as a range of width ``w`` gets a range of width ``w`` placed at random
around the synthetic value — and the estimator's posterior for that record is computed. If the
inference is calibrated, the posterior CDF at the true value (the *rank*, in [0, 1]) is uniform
over truths, and a central interval of nominal level ``q`` contains the truth in a share ``q``
of them. Reported per parameter: the coverage of the 50% and 90% intervals, the rank histogram
and the mean posterior width relative to the prior's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leverage_sim.calibration.reference import ReferenceTable
from leverage_sim.calibration.smc import Target

Estimator = Callable[[ReferenceTable], object]
"""Builds, from a training table, an estimator with ``sample(targets, seed) -> (prior
coordinates, weights)``: its posterior for a record."""
LEVELS = (0.5, 0.9)
BINS = 10


def synthetic_record(facts: pd.Series, record: Sequence[Target], rng: np.random.Generator
                     ) -> list[Target]:
    """The facts of one synthetic truth, recorded with the real record's range widths."""
    out = []
    for t in record:
        value, width = float(facts[t.name]), t.high - t.low
        low = value - width * rng.random()
        out.append(Target(t.name, value, low, low + width))
    return out


def weighted_rank(u: np.ndarray, w: np.ndarray, truth: float, rng: np.random.Generator
                  ) -> float:
    """Posterior CDF of the sample ``u`` (weights ``w``) at ``truth``, in [0, 1]; ties split at
    random (clipped: weights summing to 1 up to rounding can put a truth above every particle
    at 1 + 1e-16, outside the rank histogram's range)."""
    below = w[u < truth].sum()
    tied = w[u == truth].sum()
    return min(1.0, float(below + rng.random() * tied))


@dataclass(frozen=True)
class Coverage:
    """Per-parameter results of a calibration check: ``table`` has, per parameter, the
    coverage of each level, the mean posterior sd over the prior sd (``width``) and the rank
    histogram counts (``bins``); ``ranks`` is truths × parameters."""

    table: pd.DataFrame
    ranks: pd.DataFrame
    ess: np.ndarray

    def within(self, level: float, low: float, high: float) -> bool:
        """True when every parameter's coverage at ``level`` lies in ``[low, high]``."""
        col = self.table[f"cover_{round(100 * level)}"]
        return bool(((col >= low) & (col <= high)).all())


def check(table: ReferenceTable, record: Sequence[Target], estimator: Estimator, truths: int,
          seed: int = 0) -> Coverage:
    """Hold out the last ``truths`` rows of ``table`` as truths, train ``estimator`` on the rest
    and score its posteriors (see the module docstring)."""
    n = len(table)
    if not 0 < truths < n:
        raise ValueError(f"truths must be between 1 and {n - 1}")
    train, test = table.rows(slice(0, n - truths)), table.rows(slice(n - truths, n))
    est = estimator(train)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 3]))
    names = list(table.unit.columns)
    ranks = np.empty((truths, len(names)))
    widths = np.empty((truths, len(names)))
    ess = np.empty(truths)
    for i in range(truths):
        targets = synthetic_record(test.facts.iloc[i], record, rng)
        u, w = est.sample(targets, seed + i)
        ess[i] = 1.0 / np.sum(w**2)
        mean = w @ u
        widths[i] = np.sqrt(np.maximum(w @ (u - mean) ** 2, 0)) / np.sqrt(1 / 12)
        truth = test.unit.iloc[i].to_numpy(dtype=float)
        ranks[i] = [weighted_rank(u[:, j], w, truth[j], rng) for j in range(len(names))]
    rows = {}
    for j, name in enumerate(names):
        r = ranks[:, j]
        row = {f"cover_{round(100 * q)}": float(np.mean(np.abs(r - 0.5) <= q / 2))
               for q in LEVELS}
        row["width"] = float(widths[:, j].mean())
        row["bins"] = np.histogram(r, bins=BINS, range=(0, 1))[0].tolist()
        rows[name] = row
    return Coverage(pd.DataFrame.from_dict(rows, orient="index"),
                    pd.DataFrame(ranks, columns=names), ess)
