"""Running a calibration file end to end: check it, fit it by its method (ABC-SMC here; the
table method in :mod:`leverage_sim.calibration.table_run`), write the results."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from leverage_sim.calibration.config import Calibration
from leverage_sim.calibration.outputs import manifest, write, write_manifest
from leverage_sim.calibration.resume import (  # noqa: F401 (API)
    HISTORY,
    check_resumable,
    check_same_model,
    read_manifest,
)
from leverage_sim.calibration.simulator import EpisodeSimulator
from leverage_sim.calibration.smc import Outcome, run_abc
from leverage_sim.simulation.executors import make_executor

if TYPE_CHECKING:
    from leverage_sim.calibration.table_run import TableCalibrated

@dataclass
class Calibrated:
    """A finished (or interrupted) calibration: what ran, how it ended, the files written."""

    calibration: Calibration
    outcome: Outcome
    seed: int
    written: list[Path]


def stored_generations(out: Path) -> int:
    """How many generations the history in ``out`` holds (0 if none or no history)."""
    import pyabc

    if not (out / HISTORY).is_file():
        return 0
    try:
        return int(pyabc.History(f"sqlite:///{out / HISTORY}", _id=1).max_t) + 1
    except Exception:  # noqa: BLE001 - an unreadable or empty history holds nothing
        return 0


def calibrate(cal: Calibration, out: Path, *, quick: bool = False, seed: int | None = None,
              executor: str = "local", workers: int | None = None,
              scheduler: str | None = None, resume: bool = False,
              quiet: bool = True, engine: str = "fast") -> Calibrated | TableCalibrated:
    """Fit the checked calibration ``cal`` (:func:`load_calibration`) into the existing folder
    ``out`` by its ``method`` (``table``: :mod:`leverage_sim.calibration.table_run`; ``smc``:
    ABC-SMC here).

    Args:
        cal: the calibration file, loaded and checked.
        out: output folder (must exist; empty unless ``resume``).
        quick: use the file's quick budget (tests, a first look).
        seed: master seed (default: the file's); same seed, same posterior on any executor.
        executor: ``local`` (all cores), ``serial`` or ``dask`` (``scheduler`` address or a
            local cluster).
        resume: continue the calibration in ``out`` after an interruption (exactly as the
            uninterrupted run would have gone on); an :class:`~leverage_sim.InputError` first
            unless ``out`` holds one of this file, seed and budget with an intact checkpoint
            (:func:`check_resumable`, as ``leverage-sim calibrate --resume`` checks).
        quiet: no progress lines.
        engine: ``fast`` (default) or ``agent`` (:data:`leverage_sim.simulation.runner.ENGINES`): how the
            simulations run; the same values either way.
    """
    seed = cal.spec.seed if seed is None else seed
    resumed = check_resumable(out, cal, seed, quick) if resume else None
    if cal.spec.method == "table":
        from leverage_sim.calibration.table_run import calibrate_table

        return calibrate_table(cal, out, quick=quick, seed=seed, executor=executor,
                               workers=workers, scheduler=scheduler, resumed=resumed,
                               quiet=quiet, engine=engine)
    spec = cal.spec.quick if quick else cal.spec.budget
    if resumed is not None and resumed["status"] != "complete":
        check_same_model(resumed, out / HISTORY)
    if not resume:  # a resumable folder from the first moment
        write_manifest(out, manifest(cal, seed, quick, pd.DataFrame(), "running", 0.0))
    simulator = EpisodeSimulator(cal, spec.replications, engine)
    pool = make_executor(executor, workers, scheduler)
    try:
        outcome = run_abc(simulator, [p.prior for p in cal.parameters], cal.targets(),
                          spec.budget(), seed, out / HISTORY, executor=pool,
                          workers=pool.workers, resume=resume, p=cal.spec.distance.p,
                          scale=cal.spec.distance.scale, quiet=quiet)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return Calibrated(cal, outcome, seed, write(out, cal, outcome, seed, quick))
