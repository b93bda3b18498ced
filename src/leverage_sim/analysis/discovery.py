"""Scenario discovery: which parameter ranges lead to an outcome of interest.

Two methods on the same inputs (a table of parameter values, one row per run or point, and a
0/1 outcome per row):

- :func:`prim` — the Patient Rule Induction Method of Friedman & Fisher (1999), "Bump hunting in
  high-dimensional data", Statistics and Computing 9:123-143: start from the box holding all
  points, repeatedly *peel* the ``alpha`` share of the points off the one face (low or high end
  of one parameter) whose removal gives the highest density of the outcome in the remaining box,
  until the next peel would leave less than ``mass_min`` of the points; then
  *paste* back slices of ``alpha`` share along any face of the last box while that does not
  lower the density. Every box
  on the way is kept (the peeling trajectory), so the analyst trades coverage against density.
- :func:`tree_leaves` — a decision tree classifier (scikit-learn); each leaf is a box.

For a box: ``coverage`` = share of all cases of interest that fall in the box, ``density`` =
share of the points in the box that are cases of interest, ``mass`` = share of all points in
the box (all 0-1).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import NoReturn

import numpy as np
import pandas as pd
from sklearn.tree import DecisionTreeClassifier

from leverage_sim.errors import InputError
from leverage_sim.scenario.limits import check_count, check_seed, is_real


def _inputs(x: pd.DataFrame, y: object) -> tuple[np.ndarray, np.ndarray]:
    """Numeric parameter matrix and 0/1 outcome vector, checked."""
    if not isinstance(x, pd.DataFrame) or x.shape[1] == 0:
        raise InputError("Scenario discovery needs a DataFrame with one column per parameter.")
    values = x.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    bad = [c for c, ok in zip(x.columns, np.isfinite(values).all(axis=0)) if not ok]
    if bad:
        raise InputError(f"Parameter columns {bad} have missing or non-numeric values; drop "
                         "failed runs (rows with an error) before scenario discovery.")
    try:
        outcome = np.asarray(y, dtype=float).ravel()
    except (TypeError, ValueError):
        raise InputError(f"The outcome must be one 0/1 (or boolean) value per row of the "
                         f"parameters ({len(values)} rows), e.g. runs['held_firm'] > 0; got "
                         f"{type(y).__name__} {y!r:.60}.") from None
    if len(outcome) != len(values) or not np.isin(outcome, (0.0, 1.0)).all():
        raise InputError(f"The outcome must be one 0/1 (or boolean) value per row of the "
                         f"parameters ({len(values)} rows); got {len(outcome)} values.")
    if outcome.sum() == 0:
        raise InputError("No row has the outcome of interest, so there is nothing to find; "
                         "check the outcome definition.")
    return values, outcome


def box_stats(inside: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Coverage, density and mass (0-1) of the box whose membership mask is ``inside``."""
    n_in = int(inside.sum())
    hits = float(y[inside].sum())
    return {"coverage": hits / float(y.sum()), "density": hits / n_in if n_in else 0.0,
            "mass": n_in / len(y)}


@dataclass
class PrimResult:
    """The boxes found by :func:`prim`.

    ``trajectory``: one row per box (``coverage, density, mass, restricted`` = number of
    parameters restricted, ``stage`` = start/peel/paste); ``boxes``: the matching limits
    (arrays of shape (k, 2)); ``data_range``: limits of the data (k, 2).
    """

    parameters: list[str]
    trajectory: pd.DataFrame
    boxes: list[np.ndarray]
    data_range: np.ndarray

    def select(self, min_density: float = 0.8) -> int:
        """Index of the box with the highest coverage among those with at least
        ``min_density`` (a share, 0-1: 80 for 80% is refused, not read as unreachable); the
        densest box if none reaches it."""
        if not is_real(min_density) or not 0 <= min_density <= 1:
            raise InputError(f"min_density must be a share between 0 and 1 (e.g. 0.8), got "
                             f"{min_density!r}.")
        t = self.trajectory
        ok = t[t["density"] >= min_density]
        return int(ok["coverage"].idxmax()) if len(ok) else int(t["density"].idxmax())

    def box_index(self, i: int | None) -> int:
        """Box ``i``'s position (a row of :attr:`trajectory`), :meth:`select` for None; an
        :class:`InputError` for anything else."""
        if i is None:
            return self.select()
        if isinstance(i, bool) or not isinstance(i, numbers.Integral) \
                or not 0 <= i < len(self.boxes):
            raise InputError(f"Box {i!r} is none of the {len(self.boxes)} boxes PRIM found: give "
                             f"a row of the trajectory (0 to {len(self.boxes) - 1}), or None "
                             "for select().")
        return int(i)

    def box(self, i: int | None = None) -> pd.DataFrame:
        """Limits of box ``i`` (default: :meth:`select`), one row per restricted parameter:
        ``low, high`` (inclusive) and the data's ``min, max`` for comparison."""
        limits = self.boxes[self.box_index(i)]
        restricted = (limits != self.data_range).any(axis=1)
        return pd.DataFrame({"low": limits[restricted, 0], "high": limits[restricted, 1],
                             "min": self.data_range[restricted, 0],
                             "max": self.data_range[restricted, 1]},
                            index=pd.Index(np.asarray(self.parameters)[restricted],
                                           name="parameter"))

    def inside(self, x: pd.DataFrame, i: int | None = None) -> np.ndarray:
        """Boolean mask of the rows of ``x`` that fall in box ``i`` (default: :meth:`select`)."""
        limits = self.boxes[self.box_index(i)]
        if not isinstance(x, pd.DataFrame) or not set(self.parameters) <= set(x.columns):
            _missing(x, self.parameters)
        values = x[self.parameters].to_numpy(dtype=float)

        return ((values >= limits[:, 0]) & (values <= limits[:, 1])).all(axis=1)


def _missing(x: object, parameters: list[str]) -> NoReturn:
    """An :class:`InputError`: ``x`` is no table with every one of ``parameters``."""
    have = list(x.columns) if isinstance(x, pd.DataFrame) else []
    raise InputError(f"PrimResult.inside needs a DataFrame with the parameters PRIM used "
                     f"({', '.join(parameters)}); got {type(x).__name__} lacking "
                     f"{', '.join(p for p in parameters if p not in have)}.")


def _peel_candidates(values: np.ndarray, inside: np.ndarray, limits: np.ndarray,
                     alpha: float) -> list[np.ndarray]:
    """Limits after peeling ``alpha`` of the in-box points off each face (at least one distinct
    value, never all of them)."""
    out = []
    for j in range(values.shape[1]):
        col = values[inside, j]
        distinct = np.unique(col)
        if len(distinct) < 2:
            continue
        low_cut = np.quantile(col, alpha, method="higher")
        new_low = distinct[1] if low_cut == distinct[0] else low_cut
        high_cut = np.quantile(col, 1 - alpha, method="lower")
        new_high = distinct[-2] if high_cut == distinct[-1] else high_cut
        for side, value in ((0, new_low), (1, new_high)):
            cand = limits.copy()
            cand[j, side] = value
            out.append(cand)
    return out


def _paste_candidates(values: np.ndarray, limits: np.ndarray, alpha: float,
                      n_box: int) -> list[np.ndarray]:
    """Limits after widening each face to take in about ``alpha * n_box`` more points."""
    out = []
    want = max(1, int(np.ceil(alpha * n_box)))
    for j in range(values.shape[1]):
        others = np.delete(limits, j, axis=0)
        vals = np.delete(values, j, axis=1)
        slab = values[((vals >= others[:, 0]) & (vals <= others[:, 1])).all(axis=1), j]
        below = np.sort(slab[slab < limits[j, 0]])[::-1]
        above = np.sort(slab[slab > limits[j, 1]])
        for side, extra in ((0, below), (1, above)):
            if len(extra):
                cand = limits.copy()
                cand[j, side] = extra[min(want, len(extra)) - 1]
                out.append(cand)
    return out


def _mask(values: np.ndarray, limits: np.ndarray) -> np.ndarray:
    return ((values >= limits[:, 0]) & (values <= limits[:, 1])).all(axis=1)


def prim(x: pd.DataFrame, y: object, alpha: float = 0.05, mass_min: float = 0.05,
         paste: bool = True) -> PrimResult:
    """Find boxes of parameter space where outcome ``y`` is concentrated (PRIM).

    Args:
        x: one row per run (or point), one numeric column per parameter.
        y: 0/1 (or boolean) outcome of interest per row.
        alpha: share of the in-box points removed per peel / added per paste (0-0.5; F&F
            recommend 0.05-0.1).
        mass_min: stop peeling before the box holds less than this share of all points (0-1).
        paste: whether to paste after peeling.

    Returns:
        A :class:`PrimResult` with the whole peeling (and pasting) trajectory.
    """
    if not is_real(alpha) or not is_real(mass_min) or not 0 < alpha < 0.5 \
            or not 0 < mass_min < 1:
        raise InputError(f"PRIM needs 0 < alpha < 0.5 and 0 < mass_min < 1; got alpha={alpha}, "
                         f"mass_min={mass_min}.")
    values, outcome = _inputs(x, y)
    data_range = np.column_stack([values.min(axis=0), values.max(axis=0)])
    limits = data_range.copy()
    inside = np.ones(len(values), dtype=bool)
    boxes, rows = [limits], [{**box_stats(inside, outcome), "stage": "start"}]

    def step(cands: list[np.ndarray], stage: str) -> bool:
        """Move to the candidate box with the highest density (ties: the larger box)."""
        nonlocal limits, inside
        best = None
        for cand in cands:
            m = _mask(values, cand)
            if m.sum() < mass_min * len(values):
                continue
            key = (outcome[m].mean(), m.sum())
            if best is None or key > best[0]:
                best = (key, cand, m)
        if best is None or (stage == "paste" and best[0][0] < outcome[inside].mean()):
            return False
        _, limits, inside = best
        boxes.append(limits)
        rows.append({**box_stats(inside, outcome), "stage": stage})
        return True

    while step(_peel_candidates(values, inside, limits, alpha), "peel"):
        pass
    while paste and step(_paste_candidates(values, limits, alpha, int(inside.sum())), "paste"):
        pass
    traj = pd.DataFrame(rows)
    traj.insert(3, "restricted", [int((b != data_range).any(axis=1).sum()) for b in boxes])
    return PrimResult(list(map(str, x.columns)), traj, boxes, data_range)


def tree_leaves(x: pd.DataFrame, y: object, max_depth: int = 3, min_leaf: float = 0.05,
                seed: int = 0) -> pd.DataFrame:
    """Boxes from a decision-tree classifier of the outcome (the alternative to PRIM).

    Args:
        x: one row per run (or point), one numeric column per parameter.
        y: 0/1 (or boolean) outcome of interest per row.
        max_depth: depth of the tree (a leaf is restricted on at most this many parameters).
        min_leaf: smallest leaf as a share of the rows (0-0.5).
        seed: random state of the tree.

    Returns:
        One row per leaf, densest first: ``rule`` (readable conditions), ``predicts`` (True if
        the leaf predicts the outcome, density ≥ 0.5), ``coverage``, ``density``, ``mass``,
        ``n`` (rows), and ``limits`` ({parameter: (low, high)}, open ends as ±inf; low is
        exclusive, high inclusive, as in the tree's splits).
    """
    max_depth, seed = check_count(max_depth, "max_depth"), check_seed(seed)
    if not is_real(min_leaf) or not 0 <= min_leaf <= 0.5:
        raise InputError(f"min_leaf must be a share of the rows between 0 and 0.5 (e.g. 0.05), "
                         f"got {min_leaf!r}.")
    values, outcome = _inputs(x, y)
    tree = DecisionTreeClassifier(max_depth=max_depth, random_state=seed,
                                  min_samples_leaf=max(1, int(min_leaf * len(values))))
    tree.fit(values, outcome.astype(int))
    t, names = tree.tree_, list(map(str, x.columns))
    leaf_of = tree.apply(values)
    rows = []

    def walk(node: int, limits: dict[str, tuple[float, float]]) -> None:
        if t.children_left[node] == -1:
            stats = box_stats(leaf_of == node, outcome)
            rule = " and ".join(
                f"{lo:.3g} < {p} <= {hi:.3g}" if np.isfinite(lo) and np.isfinite(hi)
                else (f"{p} <= {hi:.3g}" if np.isfinite(hi) else f"{p} > {lo:.3g}")
                for p, (lo, hi) in limits.items()) or "all"
            rows.append({"rule": rule, "predicts": stats["density"] >= 0.5, **stats,
                         "n": int((leaf_of == node).sum()), "limits": dict(limits)})
            return
        p, thr = names[t.feature[node]], float(t.threshold[node])
        lo, hi = limits.get(p, (-np.inf, np.inf))
        walk(t.children_left[node], {**limits, p: (lo, min(hi, thr))})
        walk(t.children_right[node], {**limits, p: (max(lo, thr), hi)})

    walk(0, {})
    return pd.DataFrame(rows).sort_values("density", ascending=False, ignore_index=True)
