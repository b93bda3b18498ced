"""``leverage-sim compare A B [...]``: the same seeds through several scenarios, side by side."""

from __future__ import annotations

import argparse

import matplotlib.pyplot as plt

from leverage_sim.cli.common import add_scenario_args, prepare_out_dir, progress_wrapper
from leverage_sim.compare import compare
from leverage_sim.errors import InputError
from leverage_sim.scenario_loader import load_scenario


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``compare`` verb."""
    p = sub.add_parser(
        "compare", help="run several scenarios with the same seeds and compare them",
        description="Run two or more scenarios with the same master seed (so replication i "
        "has the same seed in each) and print a side-by-side table: share of runs with each "
        "outcome and median figures, with 90% intervals. With --out, write comparison.csv "
        "(long table), comparison.md, summary (every replication, with a scenario column) and "
        "comparison.png.",
        epilog="example: leverage-sim compare june_2020_replay kh_decapitated -n 200")
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                   help="two or more scenario names or YAML files")
    p.add_argument("-n", "--replications", type=int, default=100,
                   help="replications per scenario (default 100)")
    p.add_argument("--seed", type=int, default=None,
                   help="master seed for every scenario (default: the first scenario's)")
    p.add_argument("--out", default=None, help="output folder for the table and chart")
    p.add_argument("--format", choices=("parquet", "csv"), default="parquet",
                   help="format of the summary table (default parquet)")
    p.add_argument("--force", action="store_true", help="replace an existing --out folder")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    add_scenario_args(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Run the verb."""
    if len(args.scenarios) < 2:
        raise InputError("compare needs at least two scenarios, e.g. `leverage-sim compare "
                         "june_2020_replay june_2020_us_intervenes`.")
    scenarios = [load_scenario(s, args.overrides, args.scenario_dir) for s in args.scenarios]
    out = prepare_out_dir(args.out, args.force) if args.out else None
    cmp = compare(scenarios, args.replications, args.seed,
                  progress=lambda label: progress_wrapper(args.quiet, label))
    print(cmp.text())
    if out is not None:
        cmp.table().to_csv(out / "comparison.csv", index=False)
        (out / "comparison.md").write_text(cmp.markdown(), encoding="utf-8")
        summary = cmp.summary()
        path = out / f"summary.{args.format}"
        summary.to_parquet(path, index=False) if args.format == "parquet" else \
            summary.to_csv(path, index=False)
        fig = cmp.chart()
        fig.savefig(out / "comparison.png", dpi=110)
        plt.close(fig)
        print(f"\nWrote comparison.csv, comparison.md, {path.name}, comparison.png to {out}/")
    return 0
