"""``leverage-sim calibrate CONFIG --out DIR``: fit free parameters to the historical record."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from leverage_sim.cli.common import add_executor_args, add_force_arg, engine_line, seed_arg
from leverage_sim.output_dir import claim_output

FILES = ("history.db", "history.db-journal", "posterior.parquet", "diagnostics.csv",
         "manifest.json", "*.png", "report.html")
"""What a calibration writes into its folder (glob patterns; see leverage_sim.output_dir)."""


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``calibrate`` verb."""
    p = sub.add_parser(
        "calibrate", help="fit free parameters to historical episodes (ABC-SMC)",
        description="Fit the free parameters a calibration file names to the facts of its "
        "episodes with ABC-SMC (pyabc). Writes posterior.parquet (weighted particles), "
        "diagnostics.csv, manifest.json, charts and the pyabc history (history.db) to --out. "
        "Ctrl-C keeps the generations done; --resume continues them. See docs/calibration.md.",
        epilog="example: leverage-sim calibrate calibration/default.yaml --out "
        "results/calibration --quick")
    p.add_argument("config", help="calibration YAML file (e.g. calibration/default.yaml)")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--quick", action="store_true",
                   help="use the file's quick budget (about a minute; for tests)")
    p.add_argument("--seed", type=seed_arg, default=None,
                   help="master seed (default: the file's)")
    add_executor_args(p)
    p.add_argument("--resume", action="store_true",
                   help="continue an interrupted calibration in --out")
    add_force_arg(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Run the verb."""
    from leverage_sim.calibration.run import HISTORY, calibrate

    out = Path(args.out)
    executor = "dask" if args.scheduler else args.executor
    with claim_output(out, "calibrate", force=args.force, resume=args.resume, staged=False,
                      files=FILES) as folder:
        folder.begin()
        if not args.quiet:
            print(engine_line(args.engine), file=sys.stderr)
        result = calibrate(args.config, out, quick=args.quick, seed=args.seed,
                           executor=executor, workers=args.workers, scheduler=args.scheduler,
                           resume=args.resume, quiet=args.quiet, engine=args.engine)
    history = result.outcome.history
    done = history.max_t + 1
    if result.outcome.status == "interrupted":
        kept = (f"the {done} generation{'s' * (done != 1)} done are kept in {out / HISTORY} "
                f"and {out / 'posterior.parquet'} holds generation {done - 1}" if done else
                "no generation had finished yet")
        print(f"\nInterrupted: {kept}. Continue with:\n  leverage-sim calibrate {args.config} "
              f"--out {out} --resume" + (" --quick" if args.quick else ""), file=sys.stderr)
        return 130
    print(f"\nCalibrated {len(result.calibration.parameters)} parameters to "
          f"{len(result.calibration.targets())} facts in {done} generations "
          f"({result.outcome.seconds:.0f} s). Wrote {', '.join(p.name for p in result.written)} "
          f"to {out}/ (history: {HISTORY}).")
    return 0
