"""Running the sweeps an analysis needs, so that re-running a notebook or script picks up where
it stopped instead of starting over."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from leverage_sim.sweep import SweepSpec, run_sweep
from leverage_sim.sweep.storage import MANIFEST


def ensure_sweep(spec: SweepSpec | str | Path, out: str | Path, executor: str = "local",
                 workers: int | None = None, quiet: bool = True, **kwargs: Any) -> Path:
    """Run ``spec`` into ``out``, or resume it if ``out`` already holds it (only missing runs
    run; a complete sweep is not run again). A different sweep in ``out`` is an
    :class:`~leverage_sim.InputError`, never overwritten. Other keyword arguments go to
    :func:`leverage_sim.sweep.run_sweep`; returns ``out``."""
    resume = (Path(out) / MANIFEST).is_file()
    return run_sweep(spec, out, executor=executor, workers=workers, quiet=quiet, resume=resume,
                     **kwargs)
