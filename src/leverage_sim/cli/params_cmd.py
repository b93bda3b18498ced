"""``leverage-sim params``: the parameter reference (generated from the schema)."""

from __future__ import annotations

import argparse
import dataclasses

from leverage_sim.cli.json_output import add_json_arg, emit
from leverage_sim.param_reference import markdown_table, reference_rows, text_listing


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``params`` verb."""
    p = sub.add_parser(
        "params", help="list every parameter: unit, default, range, meaning, source",
        description="The parameter reference, generated from the scenario schema: each path "
        "(as used by --set), its unit, default, allowed range, meaning and the source of the "
        "default.",
        epilog="example: leverage-sim params backing")
    p.add_argument("filter", nargs="?", default="",
                   help="only parameters whose path contains this text (e.g. backing, KH, sites)")
    p.add_argument("--markdown", action="store_true", help="print a Markdown table")
    add_json_arg(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Run the verb."""
    rows = [r for r in reference_rows() if args.filter.lower() in r.path.lower()]
    if args.json:
        emit([dataclasses.asdict(r) for r in rows])
        return 0
    if not rows:
        print(f"No parameter path contains '{args.filter}'.")
        return 0
    print(markdown_table(rows) if args.markdown else text_listing(rows))
    return 0
