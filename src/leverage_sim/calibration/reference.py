"""A reference table: parameter sets drawn from the prior, one simulated history each.

The amortised estimators of :mod:`leverage_sim.calibration.forest` learn the posterior from it,
and the coverage checks of :mod:`leverage_sim.calibration.coverage` hold some of its rows out as
synthetic truths. Each row is one *history*, like the one record we have: a single run per
episode at the row's parameters (not a mean over replications, which would target the
posterior of a mean, not of what happened once).

Row ``i`` draws its parameters from ``SeedSequence([seed, 0])`` (all rows at once, in order) and
its run from ``SeedSequence([seed, 1, i])``: the table depends on the seed alone, whatever
executor fills it, and its first ``n`` rows are the same for any larger ``n``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leverage_sim.calibration.smc import Prior

Simulator = Callable[[Mapping[str, float], int], Mapping[str, float]]
EDGE = 1e-9
"""Prior coordinates ``u`` are kept inside ``[EDGE, 1 - EDGE]`` (finite logits)."""


@dataclass(frozen=True)
class ReferenceTable:
    """Rows of (parameters, facts): ``unit`` holds each parameter's prior coordinate
    ``u = F(value)`` in (0, 1) (its prior CDF), ``values`` the parameter values, ``facts`` one
    simulated value per fact; one row per history."""

    priors: tuple[Prior, ...]
    unit: pd.DataFrame
    values: pd.DataFrame
    facts: pd.DataFrame
    seed: int

    def __len__(self) -> int:
        return len(self.facts)

    def rows(self, index: np.ndarray | slice) -> ReferenceTable:
        """The table restricted to ``index`` (positions)."""
        pick = (lambda df: df.iloc[index].reset_index(drop=True))
        return ReferenceTable(self.priors, pick(self.unit), pick(self.values), pick(self.facts),
                              self.seed)

    def frame(self) -> pd.DataFrame:
        """One frame: ``u:<parameter>``, ``<parameter>`` and ``fact:<fact>`` columns."""
        return pd.concat([self.unit.add_prefix("u:"), self.values,
                          self.facts.add_prefix("fact:")], axis=1)


def prior_units(n_params: int, n: int, seed: int) -> np.ndarray:
    """``n`` rows of prior coordinates (uniform on (0, 1)), reproducible from ``seed``."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0]))
    return np.clip(rng.random((n, n_params)), EDGE, 1 - EDGE)


def values_at(priors: Sequence[Prior], u: np.ndarray) -> np.ndarray:
    """Parameter values at prior coordinates ``u`` (rows × parameters)."""
    z = np.log(u) - np.log1p(-u)  # the logistic coordinate whose CDF is u
    return np.column_stack([p.value(z[:, j]) for j, p in enumerate(priors)])


def run_seed(seed: int, row: int) -> int:
    """The simulation seed of row ``row``."""
    return int(np.random.SeedSequence([seed, 1, row]).generate_state(1)[0])


def simulate_rows(simulator: Simulator, names: Sequence[str], values: np.ndarray, seed: int,
                  start: int) -> list[Mapping[str, float]]:
    """Facts of rows ``start ..`` (one history each, at ``values``). Runs in a worker."""
    return [simulator(dict(zip(names, map(float, row), strict=True)), run_seed(seed, start + i))
            for i, row in enumerate(values)]


def simulate_values(simulator: Simulator, names: Sequence[str], values: np.ndarray, seed: int,
                    start: int = 0, executor: Executor | None = None, workers: int = 1,
                    on_chunk: Callable[[int, int], None] | None = None
                    ) -> list[Mapping[str, float]]:
    """Facts of rows ``start ..`` of ``values`` (rows × parameters), row ``i`` simulated with
    :func:`run_seed` ``(seed, i)``, in chunks over ``executor`` if given (see
    :func:`build_table`); the result does not depend on the executor."""
    n = len(values)
    tasks = 1 if executor is None else max(1, workers) * 8
    bounds = [start + ((n - start) * k) // tasks for k in range(tasks + 1)]
    chunks = [(a, b) for a, b in itertools.pairwise(bounds) if b > a]
    results = []
    if executor is None:
        for a, b in chunks:
            results.append(simulate_rows(simulator, names, values[a:b], seed, a))
            if on_chunk:
                on_chunk(b, n)
    else:
        futures = [executor.submit(simulate_rows, simulator, names, values[a:b], seed, a)
                   for a, b in chunks]
        for f, (_, b) in zip(futures, chunks, strict=True):
            results.append(f.result())
            if on_chunk:
                on_chunk(b, n)
    return [r for chunk in results for r in chunk]


def build_table(simulator: Simulator, priors: Sequence[Prior], facts: Sequence[str], n: int,
                seed: int, executor: Executor | None = None, workers: int = 1,
                on_chunk: Callable[[int, int], None] | None = None,
                base: ReferenceTable | None = None) -> ReferenceTable:
    """Simulate ``n`` prior draws (see the module docstring), over ``executor`` if given.

    Args:
        simulator: ``(values by parameter name, seed) -> {fact: value}``; picklable.
        priors: the parameters' priors, in column order.
        facts: the facts to keep, in column order.
        n: rows (≥ 1).
        seed: master seed.
        executor: a process pool or Dask executor; None runs here.
        workers: parallel workers behind ``executor``.
        on_chunk: progress callback ``(rows done, n)``.
        base: a table of the same priors, facts and seed whose rows are kept (not simulated
            again); a ``base`` of ``n`` rows or more is cut to ``n``.
    """
    names = [p.name for p in priors]
    u = prior_units(len(priors), n, seed)
    values = values_at(priors, u)
    have = 0 if base is None else min(len(base), n)
    rows = simulate_values(simulator, names, values, seed, have, executor, workers, on_chunk)
    new = pd.DataFrame([[float(r[f]) for f in facts] for r in rows], columns=list(facts))
    fact_frame = new if base is None else pd.concat([base.facts.iloc[:have], new],
                                                     ignore_index=True)
    return ReferenceTable(tuple(priors), pd.DataFrame(u, columns=names),
                          pd.DataFrame(values, columns=names), fact_frame, seed)
