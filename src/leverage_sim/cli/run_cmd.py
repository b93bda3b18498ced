"""``leverage-sim run NAME|FILE``: replications of one scenario, a summary, tables and charts."""

from __future__ import annotations

import argparse

from leverage_sim.cli.common import (
    add_brief_arg,
    add_posterior_arg,
    add_run_args,
    add_scenario_args,
    check_brief,
    output_folder,
    progress_wrapper,
)
from leverage_sim.cli.json_output import add_json_arg, emit, files_written, run_document
from leverage_sim.files.safe_text import visible
from leverage_sim.outputs import report
from leverage_sim.scenario.loader import load_scenario
from leverage_sim.simulation.posterior import resolve
from leverage_sim.simulation.runner import run


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``run`` verb."""
    p = sub.add_parser(
        "run", help="run a scenario and summarise it",
        description="Run replications of a scenario; print medians with 90% intervals and "
        "outcome shares (the default posterior: the committed calibration; --posterior none for the "
        "scenario's own values). With --out, write the tables (timeseries, militias, events, summary), "
        "narrative.md (a typical replication, nearest the medians, as a dated timeline), "
        "scenario.yaml (resolved inputs), "
        "manifest.json (version, scenario hash, seeds, posterior, time), charts (PNG) and "
        "report.html (all of it in one self-contained page); with a posterior also draws (each "
        "replication's parameter draw).",
        epilog="example: leverage-sim run june_2020_replay -n 200 --out results/replay")
    p.add_argument("scenario", help="scenario name (see `leverage-sim list`) or YAML file")
    add_run_args(p)
    add_scenario_args(p)
    add_json_arg(p)
    add_posterior_arg(p)
    add_brief_arg(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Run the verb."""
    check_brief(args)
    scenario = load_scenario(args.scenario, args.overrides, args.scenario_dir)
    posterior = resolve(args.posterior)  # before --out is made: a bad folder leaves nothing
    with output_folder(args, "run") as out:
        res = run(scenario, args.replications, args.seed, args.overrides,
                  progress=progress_wrapper(args.quiet, scenario.name), posterior=posterior)
        if not args.json:
            print(report.summary_text(res))
        written = []
        if out:
            from leverage_sim.outputs.run_outputs import (
                write_run,  # charts only with --out: start-up
            )

            written = write_run(res, out, args.format)
        if args.brief:
            from leverage_sim.outputs.report_brief import run_brief

            written.append(run_brief(res, out))
    if args.json:
        emit({**run_document(res), **files_written(args.out, written)})
    elif written:
        print(f"\nWrote {len(written)} files to {visible(str(args.out))}/: {', '.join(p.name for p in written)}")
    return 0

