"""A calibration folder's manifest, and whether a ``--resume`` may continue the calibration in it
(same config file, seed and budget)."""

from __future__ import annotations

import json
from pathlib import Path

from leverage_sim.calibration.config import Calibration
from leverage_sim.calibration.outputs import MANIFEST_KIND
from leverage_sim.errors import InputError

HISTORY = "history.db"
"""The pyabc history of an ABC-SMC calibration, in its folder."""


def read_manifest(out: Path) -> dict | None:
    """The calibration manifest in ``out``, or None."""
    try:
        data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("kind") == MANIFEST_KIND else None


def check_resumable(out: Path, cal: Calibration, seed: int, quick: bool,
                    needs: tuple[str, ...] = (HISTORY,)) -> dict:
    """The manifest of the calibration in ``out`` (its ``status`` says whether it is already
    complete); :class:`InputError` unless it is one of this same file, seed and budget to
    continue, with the files ``needs`` besides its manifest."""
    record = read_manifest(out)
    if record is None or not all((out / f).is_file() for f in needs):
        raise InputError(f"--resume: '{out}' holds no calibration to continue (it needs "
                         f"{' and '.join(('manifest.json', *needs))}). Run without --resume "
                         "to start one.")
    same = (record["config"]["sha256"] == cal.sha256 and record["seed"] == seed
            and record["quick"] == quick)
    if not same:
        raise InputError(f"--resume: '{out}' was calibrated with another config file, seed or "
                         "budget (see its manifest.json). Resume with the same ones, or start "
                         "afresh in a new --out folder.")
    return record
