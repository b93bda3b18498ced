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
                   help="only parameters whose path contains this text (e.g. backing, sites, "
                   "militias[KH].autonomy: a list entry's name or position in brackets "
                   "matches any entry)")
    p.add_argument("--markdown", action="store_true", help="print a Markdown table")
    add_json_arg(p)
    p.set_defaults(func=main)


_ENTRY = re.compile(r"\[[^\]]*\]")
"""A list entry's name or position in a path: ``[KH]``, ``[0]``, ``[NAME]``, ``[i]``."""


def _key(path: str) -> str:
    """``path`` as the filter compares it: lower case, every list entry written ``[]``, so that
    ``militias[KH].autonomy`` (as ``--set`` names it) finds ``militias[NAME].autonomy``."""
    return _ENTRY.sub("[]", path.strip().lower())


def main(args: argparse.Namespace) -> int:
    """Run the verb."""
    every = list(reference_rows())
    rows = [r for r in every if _key(args.filter) in _key(r.path)]
    if not rows:
        words = sorted({w for r in every for w in re.split(r"[.\[\]]+", r.path) if w})
        close = difflib.get_close_matches(args.filter, words, n=3, cutoff=0.6)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        if not close and not re.search(r"[.\[\]]", args.filter):
            hint = (f" If '{args.filter}' names a militia, site or event: their parameters are "
                    "listed under militias[NAME], foreign_forces.sites[NAME] and events[i]; "
                    f"name it as --set does, e.g. `leverage-sim params 'militias[{args.filter}]'`.")
        raise InputError(f"No parameter path contains '{args.filter}'.{hint} Run "
                         "`leverage-sim params` without a filter for the full list.")
    if args.json:
        emit([dataclasses.asdict(r) for r in rows])
        return 0
    print(markdown_table(rows) if args.markdown else text_listing(rows))
    return 0
