"""``leverage-sim sweep NAME|SWEEPFILE``: run a parameter sweep, stream results, summarise."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from leverage_sim.cli.common import add_scenario_args
from leverage_sim.errors import InputError
from leverage_sim.scenario_loader import find_scenario
from leverage_sim.sweep import DESIGNS, EXECUTORS, SweepSpec, load_sweep, run_sweep, summarise
from leverage_sim.sweep.spec import is_sweep_file, parse_params

SHOWN = ("held_firm>0", "relents>0", "attacks", "us_casualties")
"""Outcomes in the printed summary (all are in the stored tables)."""
MAX_ROWS = 40


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
    p.add_argument("--samples", type=int, default=None,
                   help="points (lhs, random), base samples (sobol) or trajectories (morris)")
    p.add_argument("-n", "--replications", type=int, default=None,
                   help="runs per design point (default 1, or the sweep file's)")
    p.add_argument("--seed", type=int, default=None, help="master seed")
    p.add_argument("--executor", choices=EXECUTORS, default="local",
                   help="local (all cores, default), serial, or dask")
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: cores)")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:8786",
                   help="join a running Dask scheduler (with --executor dask)")
    p.add_argument("--chunk-size", type=int, default=None, help="runs per task (default auto)")
    p.add_argument("--timeseries", action="store_true", help="also keep daily time series")
    p.add_argument("--every", type=int, default=None, help="keep every n-th day (with "
                   "--timeseries)")
    p.add_argument("--out", default=None, help="output folder (default results/sweeps/NAME)")
    p.add_argument("--resume", action="store_true",
                   help="continue the sweep in --out, running only the missing runs")
    p.add_argument("--force", action="store_true", help="replace an existing --out folder")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    add_scenario_args(p)
    p.set_defaults(func=main)


def build_spec(args: argparse.Namespace) -> SweepSpec | None:
    """The sweep the arguments describe (None: resume the stored one)."""
    outputs = {"timeseries": True} if args.timeseries else {}
    if args.every is not None:
        outputs["every"] = args.every
    if args.target is None:
        if args.resume:
            return None
        raise InputError("Give a sweep file (e.g. backing_sweep) or a scenario with --param "
                         "PATH=SPEC, e.g. `leverage-sim sweep june_2020_replay --param "
                         "foreign_forces.backing=0:1:11`; or --resume --out DIR.")
    if is_sweep_file(args.target):
        spec = SweepSpec.from_file(args.target)
        overrides = dict(spec.overrides)
        if args.overrides:
            from leverage_sim.overrides import normalise

            overrides.update(normalise(args.overrides))
        return spec.with_changes(parameters=parse_params(args.param) or None,
                                 overrides=overrides, design=args.design, samples=args.samples,
                                 replications=args.replications, seed=args.seed,
                                 outputs=outputs or None)
    if not args.param:
        find_scenario(args.target, args.scenario_dir)  # not a sweep: it must be a scenario
        raise InputError(f"'{args.target}' is a scenario, so say what to sweep with --param "
                         "PATH=SPEC (e.g. --param foreign_forces.backing=0:1:11 --param "
                         "patron.instigation=0.2,0.5,0.8), or give a sweep file from "
                         "scenarios/sweeps/.")
    return SweepSpec.from_cli(args.target, args.param, design=args.design or "grid",
                              samples=args.samples, replications=args.replications or 1,
                              seed=args.seed, overrides=args.overrides, **outputs)


def main(args: argparse.Namespace) -> int:
    """Run the verb."""
    if args.resume and args.force:
        raise InputError("--resume continues the sweep in --out and --force replaces it; "
                         "choose one.")
    spec = build_spec(args)
    if args.out is None and (spec is None or args.resume):
        raise InputError("--resume needs --out DIR, the folder of the sweep to continue.")
    out = Path(args.out or Path("results") / "sweeps" / spec.name)
    out = run_sweep(spec, out, executor=args.executor, workers=args.workers,
                    scheduler=args.scheduler, resume=args.resume, chunk_size=args.chunk_size,
                    quiet=args.quiet, force=args.force, scenario_dirs=tuple(args.scenario_dir))
    print(report_text(out))
    return 0


def report_text(out: Path) -> str:
    """Short plain-text summary of a finished sweep."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    df = load_sweep(out)
    params = df.attrs["parameters"]
    n_points = manifest["design"]["n_points"]
    by = params if n_points <= MAX_ROWS else []
    table = summarise(df, outcomes=SHOWN, by=by)
    prog = manifest["progress"]
    spec = manifest["spec"]
    lines = [(f"Sweep {spec['name']}: {spec['design']} design, {n_points} points × "
              f"{spec['replications']} replications = {len(df)} runs of {spec['base']}, master "
              f"seed {spec['seed']}; {prog.get('errors', 0)} runs with errors.")]
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
    lines.append(f"\nResults in {out}/ — in Python: leverage_sim.load_sweep({str(out)!r}); "
                 f"rerun one run: leverage-sim rerun {out} --run-id K")
    return "\n".join(lines)
