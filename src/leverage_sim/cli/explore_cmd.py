"""``leverage-sim explore SCENARIO|SWEEPFILE``: which lever settings keep enforcement holding,
within cost limits, across the calibrated parameter uncertainty."""

from __future__ import annotations

import argparse

from leverage_sim.cli.common import (
    PosteriorAction,
    add_allow_stale_arg,
    add_executor_args,
    add_force_arg,
    add_scenario_args,
    count_arg,
    executor_of,
    seed_arg,
)
from leverage_sim.cli.json_output import add_json_arg, emit
from leverage_sim.errors import InputError


def _share(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a share (e.g. 0.6)") from None


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``explore`` verb."""
    from leverage_sim.analysis.robust import COSTS, DEFAULT_HOLDS

    p = sub.add_parser(
        "explore", help="find the lever settings that keep enforcement holding within cost "
        "limits, across the parameter uncertainty",
        description="Sweep the levers you name (--lever PATH=SPEC, or a sweep file's "
        "parameters), with runs at each setting drawing their parameters from the calibrated "
        "posterior, then find where enforcement holds in at least --hold-at-least of runs with "
        "every --max cost within its limit: robustness metrics per setting, PRIM boxes and a "
        "decision tree, and the answer in one sentence. Writes report.html, settings.csv, "
        "prim_box.csv, prim_trajectory.csv, tree_leaves.csv, explore.json, explore.png and the "
        "sweep (sweep/) to --out. See docs/explore.md.",
        epilog="example: leverage-sim explore june_2020_replay --lever "
        "foreign_forces.backing=0:1:5 --lever foreign_forces.presence=0:10000:5 "
        "--hold-at-least 0.6 --max attacks=30 --max us_casualties=2")
    p.add_argument("target", nargs="?", metavar="SCENARIO|SWEEPFILE",
                   help="scenario (then give --lever) or sweep file (its parameters are the "
                   "levers)")
    p.add_argument("--lever", action="append", default=[], metavar="PATH=SPEC",
                   help="a lever and its range: lo:hi:n (n values, ends included), a,b,c, or "
                   "lo:hi (continuous, with --design lhs/random); repeatable")
    p.add_argument("--holds", default=DEFAULT_HOLDS, metavar="CONDITIONS",
                   help="when enforcement holds: comma-separated conditions on the run summary, "
                   f"all true (default {DEFAULT_HOLDS}: won a standoff, relented in none)")
    p.add_argument("--hold-at-least", type=_share, default=0.6, metavar="SHARE",
                   help="share of runs (0-1) that must hold with costs within limits "
                   "(default 0.6)")
    p.add_argument("--max", dest="limits", action="append", default=[], metavar="COST=LIMIT",
                   help=f"a cost limit per run (repeatable); costs: {', '.join(COSTS)}")
    p.add_argument("--percentile", type=float, default=90.0,
                   help="percentile of each cost reported per setting (default 90)")
    p.add_argument("-n", "--replications", type=count_arg, default=None,
                   help="runs (posterior draws) per lever setting (default 40, or the sweep "
                   "file's)")
    p.add_argument("--seed", type=seed_arg, default=None, help="master seed, 0 to 2**63-1")
    p.add_argument("--design", choices=("grid", "lhs", "random"), default=None,
                   help="how lever settings are chosen (default grid)")
    p.add_argument("--samples", type=count_arg, default=None,
                   help="lever settings for --design lhs/random")
    p.add_argument("--posterior", default=None, metavar="DIR|default|none",
                   action=PosteriorAction,
                   help="where each run's calibrated parameters come from: 'default' (the "
                   "committed calibration; the default here), 'none' (the scenario's own "
                   "values) or a `leverage-sim calibrate` folder")
    add_allow_stale_arg(p)
    p.add_argument("--quick", action="store_true",
                   help="a smoke test: at most 3 values per lever, 8 runs per setting")
    add_executor_args(p)
    p.add_argument("--out", default=None, help="output folder (default results/explore/NAME)")
    p.add_argument("--resume", action="store_true",
                   help="continue the interrupted exploration in --out (only missing runs run)")
    add_force_arg(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    add_scenario_args(p)
    add_json_arg(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Run the verb."""
    from leverage_sim.analysis.explore_run import explore

    if args.resume and args.force:
        raise InputError("--resume continues the exploration in --out and --force replaces "
                         "it; choose one.")
    if args.target is None and not args.resume:
        raise InputError("Give a scenario with --lever PATH=SPEC (e.g. `leverage-sim explore "
                         "june_2020_replay --lever foreign_forces.backing=0:1:5`) or a sweep "
                         "file; or --resume --out DIR.")
    exp = explore(args.target, args.lever, holds=args.holds, hold_at_least=args.hold_at_least,
                  limits=args.limits, percentile=args.percentile,
                  replications=args.replications, seed=args.seed, design=args.design,
                  samples=args.samples, posterior=args.posterior, overrides=args.overrides,
                  quick=args.quick, out=args.out,
                  executor=executor_of(args), workers=args.workers,
                  scheduler=args.scheduler, resume=args.resume, force=args.force,
                  quiet=args.quiet, scenario_dirs=tuple(args.scenario_dir))
    if args.json:
        emit({**exp.figures(), "out": exp.out})
    else:
        print(exp.text())
        written = {"settings.csv": True, "prim_box.csv": exp.prim is not None,
                   "tree_leaves.csv": exp.tree is not None}  # PRIM, the tree: goal runs only
        tables = ", ".join(name for name, made in written.items() if made)
        print(f"\nReport: {exp.out / 'report.html'} (tables: {tables}; figures: explore.json; "
              f"the runs: {exp.out / 'sweep'})")
    return 0
