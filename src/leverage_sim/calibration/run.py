"""Running a calibration file end to end: check it, run ABC-SMC, write the results."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from leverage_sim.calibration.config import Calibration, load_calibration
from leverage_sim.calibration.outputs import MANIFEST_KIND, write
from leverage_sim.calibration.simulator import EpisodeSimulator
from leverage_sim.calibration.smc import Outcome, run_abc
from leverage_sim.errors import InputError
from leverage_sim.sweep.executors import make_executor

HISTORY = "history.db"


@dataclass
class Calibrated:
    """A finished (or interrupted) calibration: what ran, how it ended, the files written."""

    calibration: Calibration
    outcome: Outcome
    seed: int
    written: list[Path]


def check_resumable(out: Path, cal: Calibration, seed: int, quick: bool) -> None:
    """Raise :class:`InputError` unless ``out`` holds a calibration of this same file, seed and
    budget to continue."""
    manifest_path = out / "manifest.json"
    if not (manifest_path.is_file() and (out / HISTORY).is_file()):
        raise InputError(f"--resume: '{out}' holds no calibration to continue (it needs "
                         f"manifest.json and {HISTORY}). Run without --resume to start one.")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("kind") != MANIFEST_KIND:
        raise InputError(f"--resume: {manifest_path} is not a calibration manifest.")
    same = (manifest["config"]["sha256"] == cal.sha256 and manifest["seed"] == seed
            and manifest["quick"] == quick)
    if not same:
        raise InputError(f"--resume: '{out}' was calibrated with another config file, seed or "
                         "budget (see its manifest.json). Resume with the same ones, or start "
                         "afresh in a new --out folder.")


def calibrate(config: str | Path, out: Path, *, quick: bool = False, seed: int | None = None,
              executor: str = "local", workers: int | None = None,
              scheduler: str | None = None, resume: bool = False,
              quiet: bool = True, engine: str = "fast") -> Calibrated:
    """Fit calibration file ``config`` into the existing folder ``out``.

    Args:
        config: calibration YAML file.
        out: output folder (must exist; empty unless ``resume``).
        quick: use the file's ``quick`` budget (tests, a first look).
        seed: master seed (default: the file's); same seed, same posterior on any executor.
        executor: ``local`` (all cores), ``serial`` or ``dask`` (``scheduler`` address or a
            local cluster).
        resume: continue the history in ``out`` after an interruption.
        quiet: no progress lines.
        engine: ``fast`` (default) or ``agent`` (:data:`leverage_sim.runner.ENGINES`): how the
            simulations run; the same values either way.
    """
    cal = load_calibration(config)
    seed = cal.spec.seed if seed is None else seed
    if resume:
        check_resumable(out, cal, seed, quick)
    spec = cal.spec.quick if quick else cal.spec.budget
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
