"""Rejection ABC on learnt summaries: semi-automatic ABC (Fearnhead & Prangle, *JRSS B* 2012).

The facts of a calibration are many (26 in the default) and most say little about most
parameters; a distance over all of them lets the uninformative ones decide which rows are kept,
so even a parameter the facts predict well stays near its prior (docs/calibration.md). Semi-
automatic ABC replaces the facts by one summary per parameter — the best prediction of that
parameter from the facts — and rejects on those:

1. On the reference table, regress each parameter's prior coordinate ``u`` (0–1) on the facts,
   standardised, and their squares (ridge, :data:`RIDGE`): ``ŝ_j(x) = f(x) · β_j``, an
   estimate of ``E[u_j | facts]``.
2. The distance of a row to the record is the Euclidean distance between their predictions,
   ``sqrt(Σ_j (ŝ_j(x_row) − ŝ_j(x_record))²)``, in prior-coordinate units: a parameter the facts
   do not predict has a nearly constant ``ŝ_j`` and adds almost nothing, so no weight is chosen
   by hand.
3. Keep the ``accept`` nearest rows, weighted by the Epanechnikov kernel of the distance, as the
   fact-distance rejection does (:class:`leverage_sim.calibration.forest.RejectionPosterior`).
4. With ``adjust``, regression-adjust the kept rows on their summaries' gaps to the record's
   (Beaumont, Zhang & Balding 2002, as Fearnhead & Prangle do; :func:`.forest.adjusted`):
   the kept rows' spread that the tolerance leaves along the summaries is removed, so a
   parameter the summaries predict well is not wider than the record allows. Its
   extrapolation risk is smaller than on the facts: the record's summaries lie among the kept
   rows' by construction (they are the rows nearest them), while a fact no row matches leaves
   the record outside the kept rows' misses.

The record enters through its facts' best values (``observed``; for a fact given as a range,
the value the sources favour). With ``u`` the accepted rows' own coordinates (no adjustment),
the result is an ABC posterior for these summaries: calibrated when the tolerance is small, which
the coverage check on synthetic truths tests (:mod:`leverage_sim.calibration.coverage`); the
adjustment corrects for the tolerance, and the same check tests it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from leverage_sim.calibration.forest import adjusted, nearest
from leverage_sim.calibration.reference import ReferenceTable
from leverage_sim.calibration.smc import Target

RIDGE = 1.0
"""Ridge penalty of the summary regressions (on standardised features; tiny against tables of
thousands of rows: it only keeps collinear features — a 0/1 fact and its square — solvable)."""


class ProjectedPosterior:
    """Semi-automatic ABC on a reference table (see the module docstring)."""

    def __init__(self, table: ReferenceTable, accept: int = 500, adjust: bool = False) -> None:
        self.accept = min(accept, len(table))
        self.adjust = adjust
        x = table.facts.to_numpy(dtype=float)
        self._mean = x.mean(axis=0)
        sd = x.std(axis=0)
        self._sd = np.where(sd > 0, sd, 1.0)
        features = self._features(x)
        self._u = table.unit.to_numpy(dtype=float)
        gram = features.T @ features + RIDGE * np.eye(features.shape[1])
        self._beta = np.linalg.solve(gram, features.T @ self._u)
        self._summaries = features @ self._beta

    def _features(self, x: np.ndarray) -> np.ndarray:
        z = (x - self._mean) / self._sd
        return np.column_stack([np.ones(len(z)), z, z**2])

    def summaries(self, facts: np.ndarray) -> np.ndarray:
        """``ŝ(x)``: the predicted prior coordinate of every parameter for each row of
        ``facts`` (rows × facts in the table's column order)."""
        return self._features(np.atleast_2d(facts)) @ self._beta

    def sample(self, targets: Sequence[Target], seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """The posterior for ``targets`` (in the table's fact order): (prior coordinates of the
        accepted rows, adjusted if ``adjust``; their kernel weights)."""
        observed = np.array([t.observed for t in targets], dtype=float)
        gap = self._summaries - self.summaries(observed)[0]
        keep, w = nearest(np.sqrt((gap**2).sum(axis=1)), self.accept)
        if self.adjust:
            return adjusted(self._u[keep], gap[keep], w), w
        return self._u[keep], w
