"""Arguments and helpers shared by several verbs."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from leverage_sim.errors import InputError


def add_scenario_args(p: argparse.ArgumentParser) -> None:
    """``--set path=value`` overrides and ``--scenario-dir``."""
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                   help="override a parameter, e.g. --set foreign_forces.backing=0.8 "
                   "--set 'militias[KH].autonomy=0.5' (repeatable)")
    p.add_argument("--scenario-dir", action="append", default=[], metavar="DIR",
                   help="extra folder of scenario files (also $LEVERAGE_SIM_SCENARIO_PATH)")


def prepare_out_dir(out: str | Path, force: bool) -> Path:
    """An output folder that is new or empty, or replaced when ``force``; never overwritten
    silently."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        if not force:
            raise InputError(f"Output folder '{out}' already exists and is not empty. Choose "
                             "another --out, or add --force to replace its contents.")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    return out


def progress_wrapper(quiet: bool, desc: str):
    """A tqdm wrapper for loops, or None when quiet or not attached to a terminal/CI."""
    if quiet:
        return None
    from tqdm import tqdm

    return lambda it: tqdm(it, desc=desc, unit="run", file=sys.stderr,
                           disable=None, leave=False)
