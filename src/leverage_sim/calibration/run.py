"""Running a calibration file end to end: check it, fit it by its method (ABC-SMC here; the
table method in :mod:`leverage_sim.calibration.table_run`), write the results."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from leverage_sim.calibration.config import Calibration, load_calibration
from leverage_sim.calibration.outputs import MANIFEST_KIND, write
from leverage_sim.calibration.simulator import EpisodeSimulator
from leverage_sim.calibration.smc import Outcome, run_abc
from leverage_sim.errors import InputError
from leverage_sim.sweep.executors import make_executor

if TYPE_CHECKING:
    from leverage_sim.calibration.table_run import TableCalibrated

HISTORY = "history.db"


@dataclass
class Calibrated:
    """A finished (or interrupted) calibration: what ran, how it ended, the files written."""

    calibration: Calibration
    outcome: Outcome
    seed: int
    written: list[Path]


def check_resumable(out: Path, cal: Calibration, seed: int, quick: bool,
                    needs: tuple[str, ...] = (HISTORY,)) -> dict:
    """Raise :class:`InputError` unless ``out`` holds a calibration of this same file, seed and
    budget to continue (with the files ``needs`` besides its manifest); its manifest."""
    manifest_path = out / "manifest.json"
    if not (manifest_path.is_file() and all((out / f).is_file() for f in needs)):
        raise InputError(f"--resume: '{out}' holds no calibration to continue (it needs "
                         f"{' and '.join(('manifest.json', *needs))}). Run without --resume "
                         "to start one.")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("kind") != MANIFEST_KIND:
        raise InputError(f"--resume: {manifest_path} is not a calibration manifest.")
    same = (manifest["config"]["sha256"] == cal.sha256 and manifest["seed"] == seed
            and manifest["quick"] == quick)
    if not same:
        raise InputError(f"--resume: '{out}' was calibrated with another config file, seed or "
                         "budget (see its manifest.json). Resume with the same ones, or start "
                         "afresh in a new --out folder.")
    return manifest


def calibrate(config: str | Path, out: Path, *, quick: bool = False, seed: int | None = None,
              executor: str = "local", workers: int | None = None,
              scheduler: str | None = None, resume: bool = False,
              quiet: bool = True) -> Calibrated | TableCalibrated:
    """Fit calibration file ``config`` into the existing folder ``out`` by its ``method``
    (``table``: :mod:`leverage_sim.calibration.table_run`; ``smc``: ABC-SMC here).

    Args:
        config: calibration YAML file.
        out: output folder (must exist; empty unless ``resume``).
        quick: use the file's quick budget (tests, a first look).
        seed: master seed (default: the file's); same seed, same posterior on any executor.
        executor: ``local`` (all cores), ``serial`` or ``dask`` (``scheduler`` address or a
            local cluster).
        resume: continue the history in ``out`` after an interruption.
        quiet: no progress lines.
    """
    cal = load_calibration(config)
    seed = cal.spec.seed if seed is None else seed
    if cal.spec.method == "table":
        from leverage_sim.calibration.table_run import calibrate_table

        return calibrate_table(cal, out, quick=quick, seed=seed, executor=executor,
                               workers=workers, scheduler=scheduler, resume=resume, quiet=quiet)
    if resume:
        check_resumable(out, cal, seed, quick)
    spec = cal.spec.quick if quick else cal.spec.budget
    simulator = EpisodeSimulator(cal, spec.replications)
    pool = make_executor(executor, workers, scheduler)
    try:
        outcome = run_abc(simulator, [p.prior for p in cal.parameters], cal.targets(),
                          spec.budget(), seed, out / HISTORY, executor=pool,
                          workers=pool.workers, resume=resume, p=cal.spec.distance.p,
                          scale=cal.spec.distance.scale, quiet=quiet)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return Calibrated(cal, outcome, seed, write(out, cal, outcome, seed, quick))
