"""``leverage-sim compare A [B ...] [--variant PATH=VALUE[,...] ...]``: the same seeds through
several scenarios and variants of the first, side by side."""

from __future__ import annotations

import argparse
import json

import matplotlib.pyplot as plt

from leverage_sim.analysis.comparison import LEVEL, columns, compare_columns
from leverage_sim.cli.common import (
    add_brief_arg,
    add_posterior_arg,
    add_run_args,
    add_scenario_args,
    check_brief,
    output_folder,
    progress_wrapper,
)
from leverage_sim.cli.json_output import add_json_arg, emit
from leverage_sim.files.safe_text import visible
from leverage_sim.outputs.report_brief import compare_brief
from leverage_sim.outputs.report_pages import compare_report, manifest
from leverage_sim.simulation.posterior import resolve
from leverage_sim.simulation.provenance import override_texts


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``compare`` verb."""
    p = sub.add_parser(
        "compare", help="run several scenarios or variants with the same seeds and compare "
        "them",
        description="Run two or more columns — scenarios, and variants of the first scenario "
        "given with --variant — with the same master seed (so replication i "
        "has the same seed in each) and print a side-by-side table: share of runs with each "
        "outcome and median figures, with 90% intervals, and the effect of each scenario against "
        "the first on those common seeds (paired differences, 90% paired-bootstrap interval; "
        "with a posterior, the default, each replication also shares its parameter draw "
        "across columns). "
        "With --out, write comparison.csv (long table), comparison.md, effects.csv, summary "
        "(every replication, with a scenario column), manifest.json, comparison.png and "
        "report.html (self-contained: the effects table and chart first, then tables, charts, "
        "manifests); with --brief also brief.html (one printable page).",
        epilog="examples: leverage-sim compare june_2020_replay kh_decapitated -n 200; "
        "leverage-sim compare june_2020_replay --variant foreign_forces.backing=0.5 --variant "
        "\"foreign_forces.backing=0.9,government.resolve=0.8\"")
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                   help="scenario names or YAML files (one is enough with --variant)")
    p.add_argument("--variant", dest="variants", action="append", default=[],
                   metavar="PATH=VALUE[,PATH=VALUE...]",
                   help="a column: the first scenario with these overrides (checked as --set "
                   "is), labelled by them; repeatable, e.g. --variant foreign_forces.backing=0.9 "
                   "--variant \"foreign_forces.backing=0.9,government.resolve=0.8\"")
    add_run_args(p, " per scenario")
    add_scenario_args(p)
    add_json_arg(p)
    add_posterior_arg(p)
    add_brief_arg(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Run the verb."""
    # checked before --out is made: bad input leaves nothing
    check_brief(args)
    cols = columns(args.scenarios, args.overrides, args.variants, args.scenario_dir)
    posterior = resolve(args.posterior)
    with output_folder(args, "compare") as out:
        cmp = compare_columns(cols, args.replications, args.seed,
                              progress=lambda label: progress_wrapper(args.quiet, label),
                              posterior=posterior, common=override_texts(args.overrides))
        if not args.json:
            print(cmp.text())
        if out is not None:
            cmp.table().to_csv(out / "comparison.csv", index=False)
            cmp.effects().to_csv(out / "effects.csv", index=False)
            (out / "manifest.json").write_text(json.dumps(
                {"master_seed": cmp.seed, "inputs": cmp.inputs, "posterior": cmp.posterior,
                 "overrides": cmp.overrides,
                 "scenarios": {label: manifest(res)
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
            if args.brief:
                compare_brief(cmp, out)
    if args.json:
        emit({"scenarios": list(cmp.results), "inputs": cmp.inputs, "seed": cmp.seed,
              "replications": args.replications, "interval_level": LEVEL,
              "table": cmp.table(), "effects": cmp.effects(), "out": args.out})
    elif args.out is not None:
        print(f"\nWrote comparison.csv, comparison.md, effects.csv, summary.{args.format}, "
              f"manifest.json, comparison.png, report.html{', brief.html' * args.brief} to "
              f"{visible(str(args.out))}/")
    return 0
