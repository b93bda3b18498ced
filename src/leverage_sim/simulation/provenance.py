"""What a result was computed from, in words: the scenario, its overrides (``--set``, a
compare variant) and the parameters (a calibrated posterior or the scenario's own values).

Every title, stdout header, report summary and chart caption of ``run``, ``compare`` and
``sweep`` names its inputs with :func:`inputs_text`, so that a counterfactual is never read as
the plain scenario, e.g. ``june_2020_replay with foreign_forces.backing=0.9 · parameters:
calibrated posterior calibration/default (300 particles)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from leverage_sim.simulation.posterior import DEFAULT_DIR

SEPARATOR = " · "
PROJECT = DEFAULT_DIR.parents[1]
"""The folder holding ``calibration/`` (the source checkout), for short posterior paths."""


def override_texts(overrides: Mapping[str, Any] | Iterable[str] | None) -> list[str]:
    """Overrides as ``path=value`` texts, in order (strings as written, stripped; mappings
    as ``path=value``)."""
    if overrides is None:
        return []
    if isinstance(overrides, Mapping):
        return [f"{path}={_value(value)}" for path, value in overrides.items()]
    if isinstance(overrides, str):
        overrides = [overrides]
    return ["=".join(part.strip() for part in text.split("=", 1)) for text in overrides]


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def repository_path(path: Path) -> str:
    """``path`` relative to the project (POSIX), or its file name when it lies outside: what
    committed files record, never a machine's absolute path."""
    p, root = path.resolve(), PROJECT.resolve()
    return p.relative_to(root).as_posix() if p.is_relative_to(root) else p.name


def short_path(path: str | Path) -> str:
    """A posterior folder as shown to readers: relative to the project (``calibration/default``)
    or to the current folder when inside either, else absolute."""
    p = Path(path).resolve()
    for root in (PROJECT, Path.cwd()):
        if p.is_relative_to(root.resolve()):
            return p.relative_to(root.resolve()).as_posix()
    return str(p)


def posterior_text(record: Mapping[str, Any] | None) -> str:
    """``calibrated posterior calibration/default (300 particles)`` for a posterior record
    (:meth:`leverage_sim.simulation.posterior.Posterior.record`), or ``the scenario's own values (no
    posterior)`` for None."""
    if not record:
        return "the scenario's own values (no posterior)"
    text = f"calibrated posterior {short_path(record['path'])} ({record['particles']} particles)"
    if record.get("quick"):
        text += (" QUICK: a `calibrate --quick` fit, which only shows that calibrating runs; "
                 "its draws are no calibration")
    if record.get("fitted_to_this_model") is False:
        text += " STALE: fitted to another version of the model (--allow-stale)"
    kept = record.get("kept") or []
    if kept:
        text += f"; kept at the scenario's own values, not drawn: {', '.join(kept)}"
    return text


def with_overrides(name: str, overrides: Iterable[str] = ()) -> str:
    """``name with a=1, b=2`` (just ``name`` without overrides)."""
    shown = list(overrides)
    return f"{name} with {', '.join(shown)}" if shown else name


def inputs_text(name: str, overrides: Iterable[str] = (),
                posterior: Mapping[str, Any] | None = None) -> str:
    """``june_2020_replay with foreign_forces.backing=0.9 · parameters: calibrated posterior
    calibration/default (300 particles)``."""
    return f"{with_overrides(name, overrides)}{SEPARATOR}parameters: {posterior_text(posterior)}"
