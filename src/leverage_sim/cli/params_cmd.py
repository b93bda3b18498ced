"""``leverage-sim params``: the parameter reference (generated from the schema)."""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import re

from leverage_sim.cli.json_output import add_json_arg, emit
from leverage_sim.errors import InputError
from leverage_sim.scenario.param_reference import markdown_table, reference_rows, text_listing


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
    every = list(reference_rows())
    rows = [r for r in every if args.filter.lower() in r.path.lower()]
    if not rows:
        words = sorted({w for r in every for w in re.split(r"[.\[\]]+", r.path) if w})
        close = difflib.get_close_matches(args.filter, words, n=3, cutoff=0.6)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise InputError(f"No parameter path contains '{args.filter}'.{hint} Run "
                         "`leverage-sim params` without a filter for the full list.")
    if args.json:
        emit([dataclasses.asdict(r) for r in rows])
        return 0
    print(markdown_table(rows) if args.markdown else text_listing(rows))
    return 0
