"""Posteriors learnt from a reference table: random-forest weights (ABC-RF) and, for
comparison on the same simulations, rejection ABC.

**Random-forest weights** (Meinshausen's quantile regression forests, used for ABC by Raynal et
al., *Bioinformatics* 2019). A forest of regression trees learns every parameter's prior
coordinate ``u`` from the simulated facts. For an observation ``x``, each tree puts ``x`` in one
leaf; a table row gets weight ``1 / (rows in that leaf)`` from every tree whose leaf it shares,
averaged over trees. The weighted rows are the posterior sample. Facts that carry no
information about a parameter do not split on it, so its posterior stays its prior; no
distance, tolerance or scale is chosen by hand. Once trained, a posterior for any observation
costs a fraction of a millisecond, which makes coverage checks over hundreds of synthetic
truths cheap (:mod:`leverage_sim.calibration.coverage`).

**Observation model.** A fact recorded as a range ``[low, high]`` (sources disagree) says the
true value lies somewhere in it: the posterior averages the weights over ``draws`` observations
with each ranged fact drawn uniformly in its range (a point fact stays a point). 0/1 facts and
counts are single histories in the table, like the record, so they enter as what they are: one
realisation of a random outcome.

**Rejection ABC with regression adjustment** (Beaumont, Zhang & Balding, *Genetics* 2002) keeps
the ``accept`` rows nearest the observation in a scaled distance, weighted by an Epanechnikov
kernel of the distance. Each fact's miss outside its range is divided by the fact's median
absolute deviation in the table; an episode's distance ``d_e`` is the Euclidean norm of its
facts' scaled misses. With ``balance`` (the default) **every episode counts equally**: the
distance is ``sum_e d_e / s_e``, where ``s_e`` is the median of ``d_e`` over the table (the
episode's typical distance under the prior; its mean if that median is 0, 1 if every row
matches it). Without it the distance is the Euclidean norm over all facts, in which an episode
with more facts, or with misses no parameter set avoids (Basra's ceasefire day, the 2020
campaign's attacks after the truce), sets the tolerance and an episode that rows do match
(June 2020) keeps only a small share of it: measured on the default calibration, the June
parameters' constraint (KH mobilisation from the muster) was lost (docs/calibration.md,
"Fit before validation"). A fact's episode is the part of its name before the first dot
(``episode.fact``, as calibrations name them); facts without a dot form one group. Then, on each parameter's unbounded coordinate ``z = logit(u)``, it removes the
part of the accepted rows' spread that a weighted linear regression on the misses explains
(``z* = z - miss · beta``), so the sample is what it would be had every accepted row matched the
record. Without the adjustment it is the limit ABC-SMC approaches with a small tolerance.

**How much the facts tell** (:meth:`ForestPosterior.information`): the out-of-bag R² of the
forest's prediction of each parameter from the facts, on rows it was not trained on (0: the
facts say nothing about it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestRegressor

from leverage_sim.calibration.reference import ReferenceTable, values_at
from leverage_sim.calibration.smc import Target


@dataclass(frozen=True)
class ForestSettings:
    """Forest size and leaf size: more trees smooth the weights; a larger leaf widens the
    posterior (each tree averages over more rows)."""

    trees: int = 300
    min_leaf: int = 5
    max_features: float = 0.5
    draws: int = 64


def observations(targets: Sequence[Target], draws: int, seed: int) -> np.ndarray:
    """``draws`` observation vectors (draws × facts): each ranged fact uniform in its range,
    point facts at their value."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 7]))
    low = np.array([t.low for t in targets], dtype=float)
    high = np.array([t.high for t in targets], dtype=float)
    return low + (high - low) * rng.random((draws, len(targets)))


class ForestPosterior:
    """Random-forest weights over a reference table (see the module docstring)."""

    def __init__(self, table: ReferenceTable, settings: ForestSettings = ForestSettings(),
                 seed: int = 0) -> None:
        self.table = table
        self.settings = settings
        self.seed = seed
        self.forest = RandomForestRegressor(
            n_estimators=settings.trees, min_samples_leaf=settings.min_leaf,
            max_features=settings.max_features, oob_score=True, n_jobs=1,
            random_state=np.random.RandomState(
                np.random.SeedSequence([seed, 11]).generate_state(1)[0]))
        x = table.facts.to_numpy(dtype=float)
        y = table.unit.to_numpy(dtype=float)
        self.forest.fit(x, y[:, 0] if y.shape[1] == 1 else y)  # one parameter: a 1-d target
        leaves = self.forest.apply(x)  # rows × trees
        n, trees = leaves.shape
        self._offsets = np.concatenate([[0], np.cumsum(leaves.max(axis=0) + 1)[:-1]])
        keys = (leaves + self._offsets).ravel(order="F")
        order = np.argsort(keys, kind="stable")
        self._keys = keys[order]
        self._rows = np.tile(np.arange(n), trees)[order]
        self._n = n

    def weights_at(self, x: np.ndarray) -> np.ndarray:
        """Normalised row weights for observation vectors ``x`` (k × facts), averaged over
        the k vectors."""
        x = np.atleast_2d(np.asarray(x, dtype=float))  # k × facts
        keys = (self.forest.apply(x) + self._offsets).ravel()
        lo = np.searchsorted(self._keys, keys, "left")
        sizes = np.searchsorted(self._keys, keys, "right") - lo
        hit = sizes > 0
        lo, sizes = lo[hit], sizes[hit]
        ends = np.cumsum(sizes)
        idx = np.arange(ends[-1]) - np.repeat(ends - sizes, sizes) + np.repeat(lo, sizes)
        w = np.bincount(self._rows[idx], weights=np.repeat(1.0 / sizes, sizes),
                        minlength=self._n)
        return w / w.sum()

    def weights(self, targets: Sequence[Target], seed: int = 0) -> np.ndarray:
        """Row weights for the record ``targets`` under the observation model."""
        return self.weights_at(observations(targets, self.settings.draws, seed))

    def sample(self, targets: Sequence[Target], seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """The posterior for ``targets``: (prior coordinates, rows × parameters; weights)."""
        return self.table.unit.to_numpy(dtype=float), self.weights(targets, seed)

    def information(self) -> pd.Series:
        """Out-of-bag R² of each parameter's prior coordinate predicted from the facts."""
        u = self.table.unit.to_numpy(dtype=float)
        pred = np.asarray(self.forest.oob_prediction_).reshape(u.shape)  # 1-d for one parameter
        r2 = 1.0 - ((pred - u) ** 2).mean(axis=0) / u.var(axis=0)
        return pd.Series(r2, index=self.table.unit.columns, name="oob_r2")


class RejectionPosterior:
    """Rejection ABC over the same table, with regression adjustment unless ``adjust`` is
    False (see the module docstring)."""

    def __init__(self, table: ReferenceTable, accept: int = 300, adjust: bool = True,
                 balance: bool = True) -> None:
        self.table = table
        self.accept = min(accept, len(table))
        self.adjust = adjust
        self.balance = balance
        x = np.asfortranarray(table.facts.to_numpy(dtype=float))  # a fact's column contiguous
        mad = np.median(np.abs(x - np.median(x, axis=0)), axis=0)
        self._scale = np.where(mad > 0, mad, np.maximum(x.std(axis=0), 1e-9))
        self._x = x
        self._unit = table.unit.to_numpy(dtype=float)

    def misses(self, targets: Sequence[Target], rows: np.ndarray | slice = slice(None)
               ) -> np.ndarray:
        """Each fact's miss outside its range in ``targets`` (0 inside), over the fact's
        median absolute deviation in the table: rows × facts, for the table's ``rows``."""
        low = np.array([t.low for t in targets], dtype=float)
        high = np.array([t.high for t in targets], dtype=float)
        x = self._x[rows]
        return (x - np.clip(x, low, high)) / self._scale

    def sample(self, targets: Sequence[Target], seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """The posterior for ``targets``: (prior coordinates of the accepted rows, adjusted
        unless ``adjust`` is False; their kernel weights)."""
        names = [t.name for t in targets]
        norms = np.concatenate([
            episode_norms(self.misses(targets, slice(start, start + CHUNK_ROWS)), names,
                          self.balance)
            for start in range(0, len(self._x), CHUNK_ROWS)])
        keep, w = nearest(distance(norms, self.balance), self.accept)
        u = self._unit[keep]
        if self.adjust:
            u = adjusted(u, self.misses(targets, keep), w)
        return u, w


CHUNK_ROWS = 65_536
"""Rows whose misses are computed at once: the same numbers as all rows at once, without
rows × facts temporaries (0.5 GB each at 2,000,000 rows and 32 facts), which made a
posterior on such a table take seconds and a coverage check of 1,000 truths most of an
hour."""


def nearest(d: np.ndarray, accept: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``accept`` rows of least distance ``d`` (ties in table order) and their normalised
    Epanechnikov kernel weights ``1 − (d / bandwidth)²``, the bandwidth the largest kept
    distance (equal weights when every kept row is at distance 0). Only the rows at or under
    the ``accept``-th smallest distance are sorted: the same rows as sorting all."""
    cut = np.partition(d, accept - 1)[accept - 1] if 0 < accept < len(d) else np.nan
    rows = np.arange(len(d)) if np.isnan(cut) else np.flatnonzero(d <= cut)
    keep = rows[np.argsort(d[rows], kind="stable")[:accept]]
    bandwidth = d[keep].max()
    w = 1.0 - (d[keep] / bandwidth) ** 2 if bandwidth > 0 else np.ones(len(keep))
    w = np.maximum(w, 0.0)
    return keep, (w / w.sum() if w.sum() > 0 else np.full(len(keep), 1.0 / len(keep)))


def episode_of(fact: str) -> str:
    """The episode of a fact named ``episode.fact`` (``""`` for a name without a dot)."""
    return fact.split(".", 1)[0] if "." in fact else ""


def episode_norms(miss: np.ndarray, facts: Sequence[str], balance: bool = True) -> np.ndarray:
    """Per row, the Euclidean norm of each episode's scaled misses (rows × episodes, in the
    order the episodes first appear in ``facts``); without ``balance`` one column, the norm
    over all facts."""
    if not balance:
        return np.sqrt((miss**2).sum(axis=1))[:, None]
    episodes = np.array([episode_of(f) for f in facts])
    return np.column_stack([np.sqrt((miss[:, episodes == e] ** 2).sum(axis=1))
                            for e in dict.fromkeys(episodes)])


def distance(norms: np.ndarray, balance: bool = True) -> np.ndarray:
    """Distance of each row to the record from its :func:`episode_norms`: with ``balance``,
    each episode's norm over its typical value in these rows (median; mean if that is 0; 1 if
    both are), summed over episodes (every episode counts equally); else the norm over all
    facts (see the module docstring)."""
    if not balance:
        return norms[:, 0]
    total = np.zeros(len(norms))
    for d in norms.T:
        typical = float(np.median(d)) or float(d.mean()) or 1.0
        total += d / typical
    return total


def adjusted(u: np.ndarray, miss: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Local-linear regression adjustment (Beaumont et al. 2002) of the kept rows' prior
    coordinates ``u`` on their gaps to the record ``miss`` (rows × gaps: scaled misses of the
    facts, or of learnt summaries), weighted by ``w``: each parameter's logit less the part the
    gaps explain, as if every row had matched the record."""
    z = np.log(u) - np.log1p(-u)
    design = np.column_stack([np.ones(len(w)), miss])
    sw = np.sqrt(w)[:, None]
    beta, *_ = np.linalg.lstsq(design * sw, z * sw, rcond=None)
    z_adj = z - miss @ beta[1:]
    return np.clip(1.0 / (1.0 + np.exp(-z_adj)), 1e-9, 1 - 1e-9)


def effective_sample_size(w: np.ndarray) -> float:
    """Kish's effective sample size of normalised weights."""
    return float(1.0 / np.sum(np.square(w))) if np.any(w) else 0.0


def posterior_frame(table: ReferenceTable, u: np.ndarray, w: np.ndarray) -> pd.DataFrame:
    """A posterior sample (prior coordinates ``u``, weights ``w``) as parameter values and
    ``weight`` (rows of weight 0 dropped)."""
    keep = w > 0
    out = pd.DataFrame(values_at(table.priors, u[keep]), columns=table.unit.columns)
    out["weight"] = w[keep] / w[keep].sum()
    return out
