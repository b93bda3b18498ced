"""``leverage-sim validate FILE...``: check scenario files without running them."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from leverage_sim.cli.common import add_scenario_dir_arg
from leverage_sim.cli.json_output import add_json_arg, emit
from leverage_sim.errors import InputError
from leverage_sim.files.safe_text import visible
from leverage_sim.scenario.loader import load_scenario


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``validate`` verb."""
    p = sub.add_parser(
        "validate", help="check scenario files (exit 2 if any has a problem)",
        description="Check scenario files (or names): YAML syntax, `extends`, unknown fields, "
        "values outside their allowed range, scripted events. Prints OK per good file and "
        "each problem with its field path and allowed range; exits with 2 if any file fails.")
    p.add_argument("files", nargs="+", metavar="FILE", help="scenario files or names")
    add_scenario_dir_arg(p, help="extra folder for scenarios named in `extends`")
    add_json_arg(p)
    p.set_defaults(func=main)


def check(name: str, scenario_dirs: list[str]) -> dict[str, Any]:
    """What validating one file (or name) found: ``ok`` and the scenario's shape, or the
    ``error`` paragraph."""
    try:
        sc = load_scenario(name, scenario_dirs=scenario_dirs)
    except InputError as e:
        return {"file": name, "ok": False, "error": str(e)}
    return {"file": name, "ok": True, "scenario": sc.name, "militias": len(sc.militias),
            "events": len(sc.events), "horizon_days": sc.horizon_days,
            "start_date": sc.start_date}


def print_check(r: dict[str, Any]) -> None:
    """One :func:`check` result as text: ``OK file (...)`` on stdout, ``FAIL`` on stderr."""
    if not r["ok"]:
        print(visible(f"FAIL {r['file']}\n     {r['error']}"), file=sys.stderr)
        return
    n = r["events"]
    print(f"OK   {r['file']} (scenario {r['scenario']}: {r['militias']} militias, {n} scripted "
          f"event{'s' * (n != 1)}, {r['horizon_days']} days from {r['start_date']})")


def main(args: argparse.Namespace) -> int:
    """Run the verb."""
    results = [check(f, args.scenario_dir) for f in args.files]
    failed = sum(not r["ok"] for r in results)
    if args.json:
        emit({"files": results, "failed": failed})
    else:
        for r in results:
            print_check(r)
    if failed:
        print(f"{failed} of {len(args.files)} file(s) failed validation.", file=sys.stderr)
        return 2
    return 0
