"""Arguments and helpers shared by several verbs."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from leverage_sim.errors import InputError
from leverage_sim.posterior import DEFAULT_POSTERIOR
from leverage_sim.scenario_loader import ENV_SCENARIO_PATH


def add_scenario_dir_arg(p: argparse.ArgumentParser,
                         help: str = "extra folder of scenario files (also "
                         f"${ENV_SCENARIO_PATH})") -> None:
    """``--scenario-dir DIR`` (repeatable; ``args.scenario_dir`` is a list)."""
    p.add_argument("--scenario-dir", action="append", default=[], metavar="DIR", help=help)


def add_scenario_args(p: argparse.ArgumentParser) -> None:
    """``--set path=value`` overrides and ``--scenario-dir``."""
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                   help="override a parameter, e.g. --set foreign_forces.backing=0.8 "
                   "--set 'militias[KH].autonomy=0.5' (repeatable)")
    add_scenario_dir_arg(p)


def add_posterior_arg(p: argparse.ArgumentParser) -> None:
    """``--posterior DIR|default|none`` (``args.posterior``; default
    :data:`leverage_sim.posterior.DEFAULT_POSTERIOR`)."""
    p.add_argument("--posterior", default=DEFAULT_POSTERIOR, metavar="DIR|default|none",
                   help="draw each replication's parameters from a calibration's posterior: "
                   "the --out folder of `leverage-sim calibrate`, 'default' (the committed "
                   "calibration) or 'none' (the scenario's own values; "
                   f"default: {DEFAULT_POSTERIOR or 'none'}). The scenario's own changes "
                   "and --set stay on top of the draw")


def add_run_args(p: argparse.ArgumentParser, per: str = "") -> None:
    """Replications, seed, output folder and format, --force and --quiet (run, compare)."""
    p.add_argument("-n", "--replications", type=int, default=100,
                   help=f"replications{per} (default 100)")
    p.add_argument("--seed", type=int, default=None,
                   help="master seed (default: the (first) scenario's)")
    p.add_argument("--out", default=None, help="output folder (see the description above)")
    p.add_argument("--format", choices=("parquet", "csv"), default="parquet",
                   help="table format (default parquet)")
    p.add_argument("--force", action="store_true", help="replace an existing --out folder")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


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
