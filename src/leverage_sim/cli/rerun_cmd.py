"""``leverage-sim rerun DIR --run-id K``: run one run of a sweep again and check it matches."""

from __future__ import annotations

import argparse
import math

from leverage_sim.sweep import rerun

NOT_REPRODUCED = 3
"""Exit code when the run gives a different row than the stored one."""


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``rerun`` verb."""
    p = sub.add_parser("rerun", help="re-run one run of a sweep and compare with its stored row",
                       description="Run one run of a finished sweep again from its stored seed "
                       "and parameters; print its summary row and check it equals the stored "
                       f"one. Exit codes: 0 reproduced, {NOT_REPRODUCED} not reproduced (the row "
                       "differs: a different version, platform or a changed file), 2 bad input "
                       "(not a sweep folder, unknown run id, damaged files).")
    p.add_argument("sweep_dir", metavar="DIR", help="the sweep's output folder")
    p.add_argument("--run-id", type=int, required=True, help="run_id of the run")
    p.set_defaults(func=main)


def _same(a: object, b: object) -> bool:
    return a == b or (isinstance(a, float) and isinstance(b, float)
                      and math.isnan(a) and math.isnan(b))


def main(args: argparse.Namespace) -> int:
    """Run the verb."""
    stored, new = rerun(args.sweep_dir, args.run_id)
    diff = [k for k in stored if not _same(stored[k], new[k])]
    width = max(len(k) for k in new)
    for k, v in new.items():
        mark = f"   (stored: {stored[k]!r})" if k in diff else ""
        print(f"{k:<{width}}  {v!r}{mark}")
    if diff:
        print(f"\nRun {args.run_id} DIFFERS from the stored row in {', '.join(diff)}: not "
              f"reproduced (exit {NOT_REPRODUCED}).")
        return NOT_REPRODUCED
    print(f"\nRun {args.run_id} reproduced: identical to the stored row.")
    return 0
