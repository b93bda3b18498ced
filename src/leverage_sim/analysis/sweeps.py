"""Running the sweeps an analysis needs, so that re-running a notebook or script picks up where
it stopped instead of starting over."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from leverage_sim.sweep import SweepSpec, run_sweep
from leverage_sim.sweep.engine import base_changed, reruns_the_same
from leverage_sim.sweep.storage import MANIFEST, SweepStore


def ensure_sweep(spec: SweepSpec | str | Path, out: str | Path, executor: str = "local",
                 workers: int | None = None, quiet: bool = True, rerun_stale: bool = False,
                 **kwargs: Any) -> Path:
    """Run ``spec`` into ``out``, or resume it if ``out`` already holds it (only missing runs
    run; a complete sweep is not run again). A different sweep in ``out`` is an
    :class:`~leverage_sim.InputError`, never overwritten. A sweep in ``out`` that ran on
    another version of the model, drew from a posterior that has changed since, or ran a base
    scenario whose file has changed since, is an :class:`~leverage_sim.InputError` too, or,
    with ``rerun_stale`` (for a folder used as a cache, as the notebooks do), replaced by a new
    run.
    Other keyword arguments go to :func:`leverage_sim.sweep.run_sweep`; returns ``out``."""
    resume = (Path(out) / MANIFEST).is_file()
    if resume and rerun_stale:
        manifest = SweepStore(Path(out)).read_manifest()
        if not reruns_the_same(manifest, Path(out)) or base_changed(
                spec, manifest.get("base_scenario"), kwargs.get("scenario_dirs", ())):
            resume, kwargs["force"] = False, True
    return run_sweep(spec, out, executor=executor, workers=workers, quiet=quiet, resume=resume,
                     **kwargs)
