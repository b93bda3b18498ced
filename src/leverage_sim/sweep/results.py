"""Reading a sweep: the joined table, summaries per parameter point, and SALib inputs.

- :func:`load_sweep` — one row per run: run_id, point_id, replication, seed, the parameter
  columns (named by their dotted path), the summary figures, error.
- :func:`summarise` (from :mod:`leverage_sim.outputs.summaries`) — one row per parameter point:
  numeric outcomes as mean, median and an interval; share outcomes (``held_firm>0``,
  ``us_withdrawn``) as the share with an exact (Clopper–Pearson) binomial interval.
- :func:`design_problem` — ``(problem, X, Y)`` for SALib's analysers.

Outcomes are summary columns (``attacks``) or comparisons (``held_firm>0``, ``attacks>=10``,
``us_withdrawn==True``); a comparison or a boolean column is a share (0-1) of runs.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.dataset as ds

from leverage_sim.errors import InputError
from leverage_sim.files.safe_text import shell_word
from leverage_sim.files.safe_yaml import require_switch
from leverage_sim.outputs.summaries import (  # noqa: F401 (the sweep API)
    DEFAULT_NUMERIC,
    DEFAULT_SHARES,
    default_outcomes,
    outcome_values,
    summarise,
)
from leverage_sim.scenario.schema import ForeignForces
from leverage_sim.simulation.worker import RUN_COLUMNS
from leverage_sim.sweep.storage import SweepStore, resume_command


def load_sweep(out: str | Path, lazy: bool = False) -> pd.DataFrame | ds.Dataset:
    """The runs of the sweep in ``out`` joined with their parameter values, in run order.

    With ``lazy=True``: a :class:`pyarrow.dataset.Dataset` over the summary parts (run
    identity, error, figures — no parameter columns; join ``OUT/points.parquet`` on point_id),
    for sweeps too large for memory; it reads the parts as they are, without the eager
    frame's checks of each stored row against ``runs.parquet`` (``check_stored``) and of
    duplicated runs, which need every row in memory. The eager frame's
    ``attrs["parameters"]`` lists the parameter columns. An unfinished sweep gives the runs
    stored so far.

    A run stored twice (two processes writing one folder without the lock, e.g. by an older
    version) is kept once, with a warning, when both rows are identical (runs are
    deterministic); differing rows for one run_id are an :class:`InputError` naming them.
    """
    store = SweepStore(out)
    manifest = store.read_manifest()
    if require_switch(lazy, "lazy"):
        return ds.dataset(store.summary_parts(), format="parquet",
                          schema=store.summary_schema())
    paths = list(manifest["spec"]["parameters"])
    table = store.read_parts()
    if table is not None:
        store.check_stored(table)
    runs = (table if table is not None else store.summary_schema().empty_table()).to_pandas()
    runs = _unique_runs(runs, store.out)
    _warn_if_runs_lost(manifest, len(runs), store.out)
    points = store.read_table("points", ["point_id", *paths]).to_pandas()
    df = runs.merge(points, on="point_id", how="left").sort_values("run_id")
    figures = [c for c in runs.columns if c not in (*RUN_COLUMNS, "error")]
    df = df[[*RUN_COLUMNS, *paths, *figures, "error"]].reset_index(drop=True)
    df.attrs["parameters"] = paths
    df.attrs["sweep"] = manifest["spec"]["name"]
    return df


def base_label(base: dict[str, Any]) -> str:
    """The foreign force's label of a sweep's base scenario (the manifest's resolved
    ``base_scenario``), for the texts about the sweep."""
    return ForeignForces.model_validate(base.get("foreign_forces") or {}).label


def _warn_if_runs_lost(manifest: dict[str, Any], stored: int, out: Path) -> None:
    """Warn when a sweep its manifest calls complete holds fewer runs than it planned (a part
    of ``summary/`` was deleted or moved): its tables would be read as the whole sweep."""
    progress, runs = manifest.get("progress"), manifest.get("runs")
    total = runs.get("total") if isinstance(runs, dict) else None
    if (isinstance(progress, dict) and progress.get("status") == "complete"
            and isinstance(total, int) and stored < total):
        warnings.warn(f"The sweep in '{out}' finished all its {total} runs, but only {stored} "
                      f"are stored in {out / 'summary'}: {total - stored} were deleted or "
                      "moved (a part file), so this table is not the whole sweep. Put the "
                      f"parts back, or compute the missing runs again with "
                      f"`{resume_command(out)}`.", stacklevel=3)


def _unique_runs(runs: pd.DataFrame, out: Path) -> pd.DataFrame:
    """``runs`` with each run_id once (see :func:`load_sweep`)."""
    dup = runs["run_id"].duplicated(keep=False)
    if not dup.any():
        return runs
    rows = runs[dup]
    distinct = rows.drop_duplicates()
    if distinct["run_id"].is_unique:
        warnings.warn(f"{len(rows) - len(distinct)} duplicated rows of {distinct['run_id'].size}"
                      f" runs in '{out}' (identical copies) were dropped; each run is counted "
                      "once.", stacklevel=3)
        return runs.drop_duplicates(subset="run_id", keep="first")
    bad = distinct["run_id"][distinct["run_id"].duplicated()].unique()
    raise InputError(f"The sweep in '{out}' holds different results for the same run "
                     f"(run_id {', '.join(map(str, bad[:5]))}{' ...' if len(bad) > 5 else ''}), "
                     "so it cannot be read reliably: two sweeps wrote into it. Rerun those runs "
                     f"(`leverage-sim rerun {shell_word(out)} --run-id K` shows the right row), or start the "
                     "sweep again with --force.")


def design_problem(out: str | Path, outcomes: Sequence[str] | None = None
                   ) -> tuple[dict[str, Any], np.ndarray, pd.DataFrame]:
    """Inputs for SALib's analysers from the sweep in ``out``.

    Returns:
        problem: the SALib problem (``names`` = parameter paths, ``bounds`` = the unit cube;
            the design was drawn there and mapped to values by each parameter's quantile
            function, so indices refer to the parameters' distributions/ranges);
        X: the unit design matrix, shape (points, parameters), rows in point_id order — the
            order SALib sampled them (``morris.analyze(problem, X, Y)`` needs it);
        Y: mean of each outcome over a point's replications (shares as 0-1), indexed by
            point_id in the same order; one column per outcome (default: ``DEFAULT_NUMERIC`` +
            ``DEFAULT_SHARES``). Points whose runs all failed are NaN.

    Example::

        from SALib.analyze import sobol
        problem, X, Y = design_problem("results/sobol")
        Si = sobol.analyze(problem, Y["attacks"].to_numpy(), calc_second_order=False)
    """
    store = SweepStore(out)
    manifest = store.read_manifest()
    problem = manifest["design"]["problem"]
    design = store.read_table("design", ["point_id", *problem["names"]]).to_pandas()
    store.check_tables(manifest)
    design = design.sort_values("point_id")
    X = design[problem["names"]].to_numpy(dtype=float)
    df = load_sweep(out)
    df = df[df["error"].isna()]
    outcomes = list(outcomes) if outcomes is not None else default_outcomes(df)
    Y = pd.DataFrame({o: outcome_values(df, o)[0] for o in outcomes})
    Y = Y.groupby(df["point_id"]).mean().reindex(design["point_id"].to_numpy())
    Y.index.name = "point_id"
    return problem, X, Y
