"""Designs: which parameter points a sweep runs, as a unit-cube matrix and as values.

Every design first produces a matrix ``X`` in the unit cube (one row per point, one column per
parameter, in ``spec.parameters`` order); :meth:`Parameter.ppf` maps each column to values.
Point counts (d = number of parameters):

- ``grid``: the product of the parameters' value counts (``X`` holds grid positions);
- ``lhs``: ``samples`` (Latin hypercube, :class:`scipy.stats.qmc.LatinHypercube`);
- ``random``: ``samples`` (independent uniform draws);
- ``sobol`` / ``saltelli`` (same thing): Saltelli's scheme from SALib, ``samples·(d+2)``
  points, or ``samples·(2d+2)`` with ``second_order``; ``samples`` must be a power of 2;
- ``morris``: ``samples`` trajectories of ``d+1`` points each (SALib, ``levels`` levels).

The SALib ``problem`` is always the unit cube (``bounds`` [0, 1] per parameter, ``names`` the
dotted paths), so ``X`` can be handed to SALib's analysers unchanged, in point order.
"""

from __future__ import annotations

import copy
import inspect
import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from leverage_sim.sweep.spec import SweepSpec


@dataclass(frozen=True)
class Design:
    """The points of a sweep: ``unit`` (points × parameters, in [0, 1]), the SALib ``problem``
    and ``points`` (``point_id`` + one column per parameter path, the values run)."""

    problem: dict[str, Any]
    unit: np.ndarray
    points: pd.DataFrame

    @property
    def n_points(self) -> int:
        """Number of design points."""
        return len(self.points)


def count_points(spec: SweepSpec) -> int:
    """Number of points :func:`build_design` makes (the counts above), without making them."""
    d = len(spec.parameters)
    if spec.design == "grid":
        return math.prod(p.value_count for p in spec.parameters.values())
    if spec.design in ("lhs", "random"):
        return spec.samples
    if spec.design in ("sobol", "saltelli"):
        return spec.samples * (2 * d + 2 if spec.second_order else d + 2)
    return spec.samples * (d + 1)


def build_design(spec: SweepSpec, seed: int) -> Design:
    """The design of ``spec``; ``seed`` drives the random designs (lhs, sobol scrambling,
    morris, random), so the same seed gives the same points."""
    names = spec.paths
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    rng = np.random.default_rng(seed)
    unit = _unit_matrix(spec, problem, rng)
    columns = {path: spec.parameters[path].ppf(unit[:, j]) for j, path in enumerate(names)}
    points = pd.DataFrame({"point_id": np.arange(len(unit), dtype=np.int64), **columns})
    return Design(problem, unit, points)


def _unit_matrix(spec: SweepSpec, problem: dict[str, Any], rng: np.random.Generator
                 ) -> np.ndarray:
    d, n = problem["num_vars"], spec.samples
    if spec.design == "grid":
        # Centre of each value's slot, so ppf maps the position back to exactly that value.
        axes = [(np.arange(p.value_count) + 0.5) / p.value_count
                for p in spec.parameters.values()]
        grid = np.meshgrid(*axes, indexing="ij")  # itertools.product order, as arrays
        return np.stack([g.reshape(-1) for g in grid], axis=1).reshape(-1, d)
    if spec.design == "lhs":
        from scipy.stats import qmc  # lazily, as SALib below: both are slow to import

        # scipy >= 1.15 names the generator argument ``rng``; older versions ``seed``.
        arg = "rng" if "rng" in inspect.signature(qmc.LatinHypercube).parameters else "seed"
        return qmc.LatinHypercube(d=d, **{arg: rng}).random(n)
    if spec.design == "random":
        return rng.random((n, d))
    if spec.design in ("sobol", "saltelli"):
        from SALib.sample import sobol

        with warnings.catch_warnings():  # SALib's warnings on N; spec checks it is a power of 2
            warnings.simplefilter("ignore")
            return sobol.sample(copy.deepcopy(problem), n, calc_second_order=spec.second_order, seed=rng)
    from SALib.sample import morris

    # SALib adds keys to the problem it is given; the stored problem stays clean.
    return morris.sample(copy.deepcopy(problem), n, num_levels=spec.levels, seed=rng)
