"""``leverage-sim validate FILE...``: check scenario files without running them."""

from __future__ import annotations

import argparse
import sys

from leverage_sim.cli.common import add_scenario_dir_arg
from leverage_sim.errors import InputError
from leverage_sim.scenario_loader import load_scenario


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``validate`` verb."""
    p = sub.add_parser(
        "validate", help="check scenario files (exit 2 if any has a problem)",
        description="Check scenario files (or names): YAML syntax, `extends`, unknown fields, "
        "values outside their allowed range, scripted events. Prints OK per good file and "
        "each problem with its field path and allowed range; exits with 2 if any file fails.")
    p.add_argument("files", nargs="+", metavar="FILE", help="scenario files or names")
    add_scenario_dir_arg(p, help="extra folder for scenarios named in `extends`")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Run the verb."""
    failed = 0
    for f in args.files:
        try:
            sc = load_scenario(f, scenario_dirs=args.scenario_dir)
        except InputError as e:
            failed += 1
            print(f"FAIL {f}\n     {e}", file=sys.stderr)
            continue
        n = len(sc.events)
        print(f"OK   {f} (scenario {sc.name}: {len(sc.militias)} militias, {n} scripted "
              f"event{'s' * (n != 1)}, {sc.horizon_days} days from {sc.start_date})")
    if failed:
        print(f"{failed} of {len(args.files)} file(s) failed validation.", file=sys.stderr)
        return 2
    return 0
