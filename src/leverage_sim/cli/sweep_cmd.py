"""``leverage-sim sweep NAME|SWEEPFILE``: run a parameter sweep, stream results, summarise."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pandas as pd

from leverage_sim.cli.common import (
    add_executor_args,
    add_force_arg,
    add_posterior_arg,
    add_scenario_args,
    count_arg,
    executor_of,
    seconds_arg,
    seed_arg,
)
from leverage_sim.cli.json_output import add_json_arg, emit
from leverage_sim.errors import InputError
from leverage_sim.files.output_dir import claim_output
from leverage_sim.files.safe_text import shell_word, visible
from leverage_sim.scenario.loader import find_scenario
from leverage_sim.simulation.posterior import DEFAULT_POSTERIOR
from leverage_sim.simulation.provenance import inputs_text, override_texts
from leverage_sim.sweep import DESIGNS, SweepSpec, load_sweep, run_sweep, summarise
from leverage_sim.sweep.engine import WORKER_TIMEOUT
from leverage_sim.sweep.report_page import sweep_report
from leverage_sim.sweep.spec import default_folder, is_sweep_file, parse_params
from leverage_sim.sweep.storage import FILES

SHOWN = ("held_firm>0", "relents>0", "attacks", "us_casualties")
"""Outcomes in the printed summary (all are in the stored tables)."""
MAX_ROWS = 40
SPEC_OPTIONS = ("param", "design", "samples", "replications", "seed", "timeseries", "every",
                "overrides", "scenario_dir", "posterior")
"""Options that define the sweep: --resume without a target would ignore them, so refuses."""


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``sweep`` verb."""
    p = sub.add_parser(
        "sweep", help="run a parameter sweep (grid, lhs, sobol, morris, random)",
        description="Run a sweep of a scenario over parameters (a sweep file from "
        "scenarios/sweeps/, or a scenario with --param), streaming results to Parquet in --out; "
        "resumable with --resume. Read the results with leverage_sim.load_sweep(OUT).")
    p.add_argument("target", nargs="?", metavar="NAME|SWEEPFILE",
                   help="sweep file (name or path) or scenario name/file (then give --param)")
    p.add_argument("--param", action="append", default=[], metavar="PATH=SPEC",
                   help="swept parameter: lo:hi:n (n values, ends included), a,b,c (values) or "
                   "lo:hi (continuous, non-grid designs); repeatable")
    p.add_argument("--design", choices=DESIGNS, default=None, help="design (default grid)")
    p.add_argument("--samples", type=count_arg, default=None,
                   help="points (lhs, random), base samples (sobol: a power of 2) or "
                   "trajectories (morris)")
    p.add_argument("-n", "--replications", type=count_arg, default=None,
                   help="runs per design point, >= 1 (default 1, or the sweep file's)")
    p.add_argument("--seed", type=seed_arg, default=None, help="master seed, 0 to 2**63-1")
    add_executor_args(p)
    p.add_argument("--worker-timeout", type=seconds_arg, default=None,
                   metavar="SECONDS", help="stop (resumable) when the executor has had no worker "
                   f"this long (default {WORKER_TIMEOUT:.0f})")
    p.add_argument("--chunk-size", type=count_arg, default=None,
                   help="runs per task (default auto)")
    p.add_argument("--timeseries", action="store_true", help="also keep daily time series")
    p.add_argument("--every", type=count_arg, default=None, help="keep every n-th day (with "
                   "--timeseries)")
    p.add_argument("--out", default=None, help="output folder (default results/sweeps/NAME)")
    p.add_argument("--resume", action="store_true",
                   help="continue the sweep in --out, running only the missing runs (the "
                   "stored sweep: options that define a sweep are refused, unless the sweep "
                   "itself is given too, when they are checked against the stored one)")
    add_force_arg(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    add_scenario_args(p)
    add_json_arg(p)
    add_posterior_arg(p, default=None, unset="the sweep file's `posterior:`, else "
                      f"{DEFAULT_POSTERIOR}")
    p.set_defaults(func=main)


def build_spec(args: argparse.Namespace) -> SweepSpec | None:
    """The sweep the arguments describe (None: resume the stored one)."""
    outputs = {"timeseries": True} if args.timeseries else {}
    if args.every is not None:
        outputs["every"] = args.every
    if args.target is None:
        if args.resume:
            ignored = [f"--{name.replace('_', '-')}" for name in SPEC_OPTIONS
                       if getattr(args, name) not in (None, [], False)]
            if ignored:
                raise InputError(
                    f"--resume continues the stored sweep as it is, so {', '.join(ignored)} "
                    "would be ignored. Drop them, or give the sweep (file or scenario with the "
                    "same options) to check it matches, or start a new sweep in another --out.")
            return None
        raise InputError("Give a sweep file (e.g. backing_sweep) or a scenario with --param "
                         "PATH=SPEC, e.g. `leverage-sim sweep june_2020_replay --param "
                         "foreign_forces.backing=0:1:11`; or --resume --out DIR.")
    if is_sweep_file(args.target):
        spec = SweepSpec.from_file(args.target)
        _check_every(args, spec.outputs.timeseries)
        overrides = dict(spec.overrides)
        if args.overrides:
            from leverage_sim.scenario.overrides import normalise

            overrides.update(normalise(args.overrides))
        return spec.with_changes(parameters=parse_params(args.param) or None,
                                 overrides=overrides, design=args.design, samples=args.samples,
                                 replications=args.replications, seed=args.seed,
                                 outputs=outputs or None, posterior=args.posterior)
    if not args.param:
        find_scenario(args.target, args.scenario_dir)  # not a sweep: it must be a scenario
        raise InputError(f"'{args.target}' is a scenario, so say what to sweep with --param "
                         "PATH=SPEC (e.g. --param foreign_forces.backing=0:1:11 --param "
                         "patron.instigation=0.2,0.5,0.8), or give a sweep file from "
                         "scenarios/sweeps/.")
    _check_every(args, False)
    return SweepSpec.from_cli(args.target, args.param, design=args.design or "grid",
                              samples=args.samples, replications=args.replications or 1,
                              seed=args.seed, overrides=args.overrides,
                              posterior=args.posterior, **outputs)


def _check_every(args: argparse.Namespace, file_keeps_timeseries: bool) -> None:
    """--every without a time series to thin (neither --timeseries nor the sweep file's)."""
    if args.every is not None and not (args.timeseries or file_keeps_timeseries):
        raise InputError("--every thins the daily time series, which this sweep does not keep; "
                         "add --timeseries, or drop --every.")


def main(args: argparse.Namespace) -> int:
    """Run the verb."""
    if args.resume and args.force:
        raise InputError("--resume continues the sweep in --out and --force replaces it; "
                         "choose one.")
    spec = build_spec(args)
    if args.out is None and (spec is None or args.resume):
        raise InputError("--resume needs --out DIR, the folder of the sweep to continue.")
    out = (Path(args.out) if args.out is not None
           else default_folder(Path("results") / "sweeps", spec.name))
    executor = executor_of(args)
    if args.worker_timeout is not None and executor == "serial":
        raise InputError(f"--worker-timeout {args.worker_timeout:g} would be ignored: the serial "
                         "executor runs in this process and has no workers to wait for; drop "
                         "--worker-timeout (it is for the local and Dask executors).")
    out = run_sweep(spec, out, executor=executor, workers=args.workers,
                    scheduler=args.scheduler, resume=args.resume, chunk_size=args.chunk_size,
                    quiet=args.quiet, force=args.force, scenario_dirs=tuple(args.scenario_dir),
                    worker_timeout=args.worker_timeout or WORKER_TIMEOUT, engine=args.engine)
    if args.json:
        emit(sweep_summary(out))
    else:
        print(report_text(out))
        print(f"Report: {_report(out)}")
    return 0


def _report(out: Path) -> Path:
    """Write the sweep's ``report.html`` holding the folder's lock, as the sweep itself was
    written: another command on the folder (a ``--force``, a ``--resume``) waits its turn."""
    with claim_output(out, "sweep", resume=True, staged=False, files=FILES):
        return sweep_report(out)


def sweep_summary(out: Path) -> dict[str, Any]:
    """A finished sweep in short: its spec, size, progress, and the table of the
    :data:`SHOWN` outcomes (per point, or all points together when there are more than
    :data:`MAX_ROWS`; shares with exact 90% intervals, means with 90% bootstrap intervals)."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    df = load_sweep(out)
    params = df.attrs["parameters"]
    n_points = manifest["design"]["n_points"]
    by = params if n_points <= MAX_ROWS else []
    spec = manifest["spec"]
    inputs = inputs_text(spec["base"], override_texts(spec["overrides"]), manifest.get("posterior"))
    return {"out": out, "spec": spec, "inputs": inputs, "n_points": n_points, "runs": len(df),
            "progress": manifest["progress"], "parameters": params, "by": by,
            "table": summarise(df, outcomes=SHOWN, by=by)}


def report_text(out: Path) -> str:
    """Short plain-text summary of a finished sweep."""
    summary = sweep_summary(out)
    spec, prog, by, table = (summary[k] for k in ("spec", "progress", "by", "table"))
    lines = [f"Sweep of {summary['inputs']}",
             (f"Sweep {spec['name']}: {spec['design']} design, {summary['n_points']} points × "
              f"{spec['replications']} replications = {summary['runs']} runs of "
              f"{spec['base']}, master seed {spec['seed']}; {prog.get('errors', 0)} runs with "
              "errors.")]
    if prog.get("session_runs"):
        rate = prog["session_runs"] / max(prog["session_seconds"], 1e-9)
        lines.append(f"This session: {prog['session_runs']} runs in "
                     f"{prog['session_seconds']:.1f} s ({rate:.0f} runs/s).")
    else:
        lines.append("Nothing left to run: every run was already stored.")
    lines.append(("Per point" if by else "All points together")
                 + ": share of runs [90% Clopper-Pearson interval], mean [90% bootstrap "
                 "interval of the mean]")
    shown = pd.DataFrame({c: table[c] for c in by})
    shown["runs"] = table["n"]
    for o in SHOWN:
        if f"{o}_share" in table:
            shown[o] = [f"{s:.2f} [{lo:.2f}, {hi:.2f}]" for s, lo, hi in
                        zip(table[f"{o}_share"], table[f"{o}_low"], table[f"{o}_high"])]
        else:
            shown[o] = [f"{m:.1f} [{lo:.1f}, {hi:.1f}]" for m, lo, hi in
                        zip(table[f"{o}_mean"], table[f"{o}_low"], table[f"{o}_high"])]
    lines.append(shown.to_string(index=False))
    lines.append(f"\nResults in {visible(str(out))}/ — in Python: leverage_sim.load_sweep({str(out)!r}); "
                 f"rerun one run: leverage-sim rerun {shell_word(out)} --run-id K")
    return "\n".join(lines)
