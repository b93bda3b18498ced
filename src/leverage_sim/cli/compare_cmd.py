"""``leverage-sim compare A B [...]``: the same seeds through several scenarios, side by side."""

from __future__ import annotations

import argparse
import json

import matplotlib.pyplot as plt

from leverage_sim.cli.common import (
    add_posterior_arg,
    add_run_args,
    add_scenario_args,
    output_folder,
    progress_wrapper,
)
from leverage_sim.cli.json_output import add_json_arg, emit
from leverage_sim.compare import LEVEL, compare
from leverage_sim.errors import InputError
from leverage_sim.posterior import resolve
from leverage_sim.report_pages import compare_report

COMPARE_POSTERIOR = "default"
"""`compare` states effects with parameter uncertainty: the committed calibration unless
--posterior says otherwise (none, or another calibration's folder)."""
from leverage_sim.run_outputs import manifest
from leverage_sim.scenario_loader import load_scenario


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``compare`` verb."""
    p = sub.add_parser(
        "compare", help="run several scenarios with the same seeds and compare them",
        description="Run two or more scenarios with the same master seed (so replication i "
        "has the same seed in each) and print a side-by-side table: share of runs with each "
        "outcome and median figures, with 90% intervals, and the effect of each scenario against "
        "the first on those common seeds (paired differences, 90% paired-bootstrap interval; "
        "with --posterior each replication also shares its parameter draw across scenarios). "
        "With --out, write comparison.csv (long table), comparison.md, effects.csv, summary "
        "(every replication, with a scenario column), manifest.json, comparison.png and "
        "report.html (self-contained: tables, chart, manifests).",
        epilog="example: leverage-sim compare june_2020_replay kh_decapitated -n 200")
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                   help="two or more scenario names or YAML files")
    add_run_args(p, " per scenario")
    add_scenario_args(p)
    add_json_arg(p)
    add_posterior_arg(p, default=COMPARE_POSTERIOR)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Run the verb."""
    if len(args.scenarios) < 2:
        raise InputError("compare needs at least two scenarios, e.g. `leverage-sim compare "
                         "june_2020_replay june_2020_us_intervenes`.")
    scenarios = [load_scenario(s, args.overrides, args.scenario_dir) for s in args.scenarios]
    posterior = resolve(args.posterior)  # before --out is made: a bad folder leaves nothing
    with output_folder(args, "compare") as out:
        cmp = compare(scenarios, args.replications, args.seed,
                      progress=lambda label: progress_wrapper(args.quiet, label),
                      posterior=posterior, overrides=args.overrides)
        if not args.json:
            print(cmp.text())
        if out is not None:
            cmp.table().to_csv(out / "comparison.csv", index=False)
            cmp.effects().to_csv(out / "effects.csv", index=False)
            (out / "manifest.json").write_text(json.dumps(
                {"master_seed": cmp.seed, "posterior": cmp.posterior,
                 "scenarios": {label: manifest(res, args.overrides)
                               for label, res in cmp.results.items()}}, indent=2) + "\n",
                encoding="utf-8")
            (out / "comparison.md").write_text(cmp.markdown(), encoding="utf-8")
            summary = cmp.summary()
            path = out / f"summary.{args.format}"
            summary.to_parquet(path, index=False) if args.format == "parquet" else \
                summary.to_csv(path, index=False)
            fig = cmp.chart()
            fig.savefig(out / "comparison.png", dpi=110)
            plt.close(fig)
            compare_report(cmp, out, [out / "comparison.png"])
    if args.json:
        emit({"scenarios": list(cmp.results), "seed": cmp.seed,
              "replications": args.replications, "interval_level": LEVEL,
              "table": cmp.table(), "effects": cmp.effects(), "out": args.out})
    elif args.out is not None:
        print(f"\nWrote comparison.csv, comparison.md, effects.csv, summary.{args.format}, "
              f"manifest.json, comparison.png, report.html to {args.out}/")
    return 0
