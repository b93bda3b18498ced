"""Global sensitivity indices with SALib: Sobol (Saltelli design) and Morris elementary effects.

``sobol_indices`` and ``morris_indices`` take a SALib ``problem`` and model outputs in design
order, so they work on any function; ``sensitivity`` runs a ``sobol``/``saltelli``/``morris``
sweep through the sweep engine (parallel, seeded, resumable; replications averaged per point) and
returns one table of indices per outcome; ``sweep_indices`` does the analysis part alone.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze

from leverage_sim.analysis.sweeps import ensure_sweep
from leverage_sim.errors import InputError
from leverage_sim.outputs.summaries import MAX_BOOT
from leverage_sim.scenario.limits import as_list, check_count, check_level, check_seed
from leverage_sim.sweep import SweepSpec, design_problem, outcome_values
from leverage_sim.sweep.engine import as_spec
from leverage_sim.sweep.storage import SweepStore

Problem = dict[str, Any]
SA_DESIGNS = ("sobol", "saltelli", "morris")


def _numbers(values: Any, what: str) -> np.ndarray:
    """``values`` as a float array; an :class:`InputError` naming ``what`` if they are not
    numbers."""
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"The {what} must be numbers, got {type(values).__name__} "
                         f"{values!r:.60}.") from None


def _check_analysis(problem: Problem, level: float, resamples: int, seed: int) -> int:
    """An :class:`InputError` unless ``problem`` is a SALib problem (``num_vars`` and as many
    ``names``), ``level`` a share, ``resamples`` a count up to ``MAX_BOOT`` and ``seed`` a
    seed; returns ``num_vars``."""
    names = problem.get("names") if isinstance(problem, Mapping) else None
    k = problem.get("num_vars") if isinstance(problem, Mapping) else None
    if not isinstance(names, Sequence) or isinstance(names, str) or isinstance(k, bool) \
            or not isinstance(k, numbers.Integral) or k < 1 or len(names) != k:
        raise InputError(f"problem must be a SALib problem: a dict with num_vars (a whole "
                         f"number of parameters) and as many names (and bounds), e.g. "
                         f"{{'num_vars': 2, 'names': ['a', 'b'], 'bounds': [[0, 1], [0, 1]]}}; "
                         f"got {problem!r:.80}.")
    check_level(level)
    check_count(resamples, "resamples", MAX_BOOT)
    check_seed(seed)
    return int(k)


def _outcomes(outcomes: str | Sequence[str]) -> list[str]:
    """``outcomes`` as a list of outcome texts (one text is one outcome, not its characters);
    an :class:`InputError` for none or one that is no text."""
    names = as_list(outcomes)
    if not names or not all(isinstance(o, str) for o in names):
        raise InputError(f"outcomes must be one or more outcomes (texts such as 'attacks' or "
                         f"'held_firm>0'), got {outcomes!r:.80}.")
    return names


def _outputs(problem: Problem, y: Any, n_rows: int | None = None) -> np.ndarray:
    """Model outputs as a finite 1-D float array, checked against the design."""
    y = _numbers(y, "model outputs").ravel()
    if n_rows is not None and len(y) != n_rows:
        raise InputError(f"{len(y)} model outputs for a design of {n_rows} points; pass one "
                         "output per design point, in design order.")
    if not np.isfinite(y).all():
        raise InputError(f"{int((~np.isfinite(y)).sum())} model outputs are missing or not finite "
                         "(failed runs?); Sobol and Morris need an output for every design point.")
    return y


def _bootstrap_seed(seed: int) -> np.random.SeedSequence:
    """The bootstrap seed handed to SALib: ``seed`` as a :class:`numpy.random.SeedSequence`.

    SALib 1.6's Sobol analysis seeds its bootstrap only ``if seed:``, so a plain ``0`` would
    draw from numpy's unseeded global generator. A SeedSequence is always truthy and
    ``default_rng(SeedSequence(s))`` is the stream of ``default_rng(s)``, so every seed, 0
    included, is reproducible and the intervals of the other seeds are unchanged."""
    return np.random.SeedSequence(seed)


def sobol_indices(problem: Problem, y: Any, second_order: bool = False, level: float = 0.95,
                  resamples: int = 200, seed: int = 0) -> pd.DataFrame:
    """First-order (``S1``) and total (``ST``) Sobol indices of output ``y``.

    Args:
        problem: SALib problem (``num_vars``, ``names``, ``bounds``) of the Saltelli design.
        y: one output per design point, in the order of ``SALib.sample.sobol.sample``
            (``N * (k + 2)`` points, or ``N * (2k + 2)`` with ``second_order``).
        second_order: whether the design was drawn with ``calc_second_order=True``.
        level: confidence level of the bootstrap intervals (0-1).
        resamples: bootstrap resamples for the intervals.
        seed: seed of the bootstrap; every seed, 0 included, gives the same intervals on every
            run.

    Returns:
        One row per parameter (index = names): ``S1, S1_conf, ST, ST_conf`` where ``*_conf`` is
        the half-width of the ``level`` bootstrap interval. Indices are shares of output variance
        (0-1; estimates can stray slightly outside when the sample is small).
    """
    k = _check_analysis(problem, level, resamples, seed)
    y = _outputs(problem, y)
    if np.ptp(y) == 0:
        raise InputError(f"The output is the same ({y[0]:g}) at every design point, so there is "
                         "no variance to apportion; choose an outcome that varies.")
    per = 2 * k + 2 if second_order else k + 2
    if len(y) % per:
        raise InputError(f"{len(y)} outputs is not a multiple of {per} (a Saltelli design with "
                         f"{k} parameters, second_order={second_order}); check the design.")
    res = sobol_analyze.analyze(problem, y, calc_second_order=second_order,
                                num_resamples=resamples, conf_level=level,
                                seed=_bootstrap_seed(seed))
    cols = ("S1", "S1_conf", "ST", "ST_conf")
    return pd.DataFrame({c: res[c] for c in cols}, index=pd.Index(problem["names"],
                                                                  name="parameter"))


def morris_indices(problem: Problem, x: Any, y: Any, levels: int = 4, level: float = 0.95,
                   resamples: int = 200, seed: int = 0) -> pd.DataFrame:
    """Morris elementary-effect statistics of output ``y``.

    Args:
        problem: SALib problem of the design.
        x: the Morris design matrix (``r * (k + 1)`` rows, in trajectory order).
        y: one output per row of ``x``.
        levels: number of grid levels the design used (``num_levels``).
        level: confidence level of the bootstrap interval of ``mu_star``.
        resamples: bootstrap resamples.
        seed: seed of the bootstrap; every seed, 0 included, gives the same intervals on every
            run.

    Returns:
        One row per parameter: ``mu`` (mean effect), ``mu_star`` (mean absolute effect, the
        importance measure; output units per unit of the parameter's range), ``mu_star_conf``
        (half-width of its ``level`` interval) and ``sigma`` (spread: interactions/non-linearity).
    """
    k = _check_analysis(problem, level, resamples, seed)
    if check_count(levels, "levels") < 2:
        raise InputError(f"levels (the Morris design's grid levels, num_levels) must be at least "
                         f"2, got {levels!r}.")
    x = _numbers(x, "Morris design matrix x")
    if x.ndim != 2 or x.shape[1] != k:
        raise InputError(f"The Morris design matrix x must have one column per parameter ({k}), "
                         f"got shape {x.shape}.")
    y = _outputs(problem, y, len(x))
    res = morris_analyze.analyze(problem, x, y, num_resamples=resamples, conf_level=level,
                                 num_levels=levels, seed=_bootstrap_seed(seed))
    cols = ("mu", "mu_star", "mu_star_conf", "sigma")
    return pd.DataFrame({c: np.asarray(res[c], dtype=float) for c in cols},
                        index=pd.Index(problem["names"], name="parameter"))


def sweep_indices(out: str | Path, outcomes: str | Sequence[str], level: float = 0.95,
                  seed: int = 0) -> dict[str, pd.DataFrame]:
    """Indices of each outcome from a finished ``sobol``/``saltelli`` or ``morris`` sweep in
    ``out``: :func:`sobol_indices` or :func:`morris_indices` on the per-point mean of the
    outcome over replications (shares as 0-1). Parameters are named by their dotted paths and
    measured over their swept range/distribution (the design's unit cube)."""
    outcomes = _outcomes(outcomes)
    spec = SweepStore(out).read_manifest()["spec"]
    if spec["design"] not in SA_DESIGNS:
        raise InputError(f"The sweep in '{out}' has design {spec['design']}; sensitivity "
                         f"indices need one of {', '.join(SA_DESIGNS)}.")
    problem, x, y = design_problem(out, outcomes)
    return {o: sobol_indices(problem, y[o], spec["second_order"], level, seed=seed)
            if spec["design"] != "morris" else
            morris_indices(problem, x, y[o], spec["levels"], level, seed=seed)
            for o in outcomes}


def sensitivity(spec: SweepSpec | str | Path, out: str | Path, outcomes: str | Sequence[str],
                level: float = 0.95, executor: str = "local", workers: int | None = None,
                quiet: bool = True, seed: int = 0, rerun_stale: bool = False
                ) -> dict[str, pd.DataFrame]:
    """Run (or resume) a ``sobol``/``saltelli``/``morris`` sweep through the sweep engine —
    parallel on ``executor``, seeded by the spec, resumable in ``out`` — and return the
    indices of each outcome (see :func:`sweep_indices`; ``seed`` seeds the bootstrap;
    ``rerun_stale`` as :func:`~leverage_sim.analysis.ensure_sweep`'s)."""
    spec, outcomes = as_spec(spec), _outcomes(outcomes)  # before the sweep runs
    if spec.design not in SA_DESIGNS:
        raise InputError(f"Sweep '{spec.name}' has design {spec.design}; sensitivity analysis "
                         f"needs design: {' or '.join(SA_DESIGNS)} (with samples: N).")
    ensure_sweep(spec, out, executor=executor, workers=workers, quiet=quiet,
                 rerun_stale=rerun_stale)
    return sweep_indices(out, outcomes, level, seed)


def replication_noise(runs: pd.DataFrame, outcomes: Sequence[str]) -> pd.Series:
    """Share (0-1) of the variance of the per-point mean outcome that is replication noise.

    For each outcome of a :func:`leverage_sim.load_sweep` table with at least two replications
    per point: the mean within-point variance divided by the replications (the variance of a
    point's mean due to chance alone), over the variance of the point means. Near 0, indices
    computed from the point means reflect the parameters; near 1 they mostly measure chance —
    add replications. A stochastic model's Sobol indices are inflated by this share (all ST
    rise, the S1 fall)."""
    ok = runs[runs["error"].isna()] if "error" in runs else runs
    reps = ok.groupby("point_id").size()
    if reps.min() < 2:
        raise InputError("Replication noise needs at least 2 replications per point; run the "
                         "sweep with replications: 2 or more.")
    out = {}
    for o in outcomes:
        g = outcome_values(ok, o)[0].groupby(ok["point_id"])
        means = g.mean()
        total = means.var()
        out[o] = float((g.var() / reps).mean() / total) if total > 0 else float("nan")
    return pd.Series(out, name="noise share")
