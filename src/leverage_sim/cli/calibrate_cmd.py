"""``leverage-sim calibrate CONFIG --out DIR``: fit free parameters to the historical record."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from leverage_sim.cli.common import (
    add_executor_args,
    add_force_arg,
    engine_line,
    executor_of,
    seed_arg,
)
from leverage_sim.errors import STOP_SIGNALS, STOPPED_BY, stopped_how
from leverage_sim.files.output_dir import claim_output
from leverage_sim.files.safe_text import shell_word, visible

FILES = ("history.db", "history.db-journal", "history.adaptive.json", "reference.parquet",
         "reference.parquet.part", "reference.parquet.adding", "reference.parquet.adding.part",
         "posterior.parquet", "diagnostics.csv", "coverage.csv",
         "information.csv", "fit_check.csv", "manifest.json", "manifest.json.part",
         "marginals.png", "pairs.png", "predictive.png", "report.html")
"""What a calibration writes into its folder, by either method (exact names; see
leverage_sim.files.output_dir)."""


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``calibrate`` verb."""
    p = sub.add_parser(
        "calibrate", help="fit free parameters to historical episodes (ABC)",
        description="Fit the free parameters a calibration file names to the facts of its "
        "episodes by its method. method: table (the default) grows a reference table of "
        "single histories (reference.parquet) until the rejection ABC posterior (regression "
        "adjustment only with the file's adjust: true) stops moving, and writes "
        "posterior.parquet, diagnostics.csv, coverage.csv (intervals on "
        "held-out synthetic truths), information.csv (what the facts tell per parameter), "
        "fit_check.csv (posterior against hand-tuned values), manifest.json, charts and "
        "report.html to --out. method: smc runs ABC-SMC (pyabc; history.db). Ctrl-C keeps the "
        "work done; --resume continues it. See docs/calibration.md.",
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
                   help="continue an interrupted calibration in --out; a table "
                   "calibration also after a change to its table budget (refitted on its "
                   "rows) or facts added to its file (an episode appended: only the new "
                   "facts are simulated for its rows)")
    add_force_arg(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Run the verb. Everything that can be checked (the file, its episodes and facts, a folder
    to resume) is checked before the folder is touched; a calibration that fails (an error, not
    an interruption) before its first generation is stored leaves nothing behind (an old folder
    under --force is put back)."""
    from leverage_sim.calibration.config import load_calibration
    from leverage_sim.calibration.run import (
        HISTORY,
        calibrate,
        check_resumable,
        stored_generations,
    )
    from leverage_sim.calibration.table_run import CHECKPOINT

    out = Path(args.out)
    cal = load_calibration(args.config)
    seed = cal.spec.seed if args.seed is None else args.seed
    executor = executor_of(args)
    with claim_output(out, "calibrate", force=args.force, resume=args.resume, staged=False,
                      files=FILES) as folder:
        if args.resume and check_resumable(folder.target, cal, seed,
                                           args.quick)["status"] == "complete":
            print(f"'{out}' holds a complete calibration (see its manifest.json): nothing to "
                  "resume, nothing was changed.", file=sys.stderr)
            return 0
        folder.begin()
        if not args.quiet:
            print(engine_line(args.engine), file=sys.stderr)
        try:
            result = calibrate(cal, out, quick=args.quick, seed=seed, executor=executor,
                               workers=args.workers, scheduler=args.scheduler,
                               resume=args.resume, quiet=args.quiet, engine=args.engine)
        except BaseException:
            if stored_generations(folder.target) or (folder.target / CHECKPOINT).is_file():
                folder.keep()  # a full disk or a crash: what is stored is resumable
            raise
    if cal.spec.method == "table":
        return _table_message(args, out, result)
    done = result.outcome.history.max_t + 1
    code = STOP_SIGNALS.get(result.outcome.reason, 130)
    if result.outcome.status == "interrupted":
        kept = (f"the {done} generation{'s' * (done != 1)} done are kept in {out / HISTORY} "
                f"and {out / 'posterior.parquet'} holds generation {done - 1}" if done else
                "no generation had finished yet")
        print(f"\n{_stopped(code)}: {kept}. Continue with:\n  "
              f"{_resume(args, out)}", file=sys.stderr)
        return code
    print(f"\nCalibrated {len(result.calibration.parameters)} parameters to "
          f"{len(result.calibration.targets())} facts in {done} generations "
          f"({result.outcome.seconds:.0f} s). Wrote {', '.join(p.name for p in result.written)} "
          f"to {visible(str(out))}/ (history: {HISTORY}).")
    return 0


def _resume(args: argparse.Namespace, out: Path) -> str:
    """The command that continues this calibration (paths quoted for the shell)."""
    return (f"leverage-sim calibrate {shell_word(args.config)} --out {shell_word(out)} --resume"
            + (" --quick" if args.quick else "")
            + (f" --seed {args.seed}" if args.seed is not None else ""))


def _stopped(code: int) -> str:
    """How a stopped calibration's message begins, by its exit code: ``Interrupted`` (Ctrl-C)
    or ``Stopped by SIGTERM`` (``SIGHUP``), worded as a sweep's
    (:func:`~leverage_sim.errors.stopped_how`)."""
    how = stopped_how(STOPPED_BY.get(code, "a signal"))
    return how[:1].upper() + how[1:]


def _table_message(args: argparse.Namespace, out: Path, result) -> int:
    """What a table-method calibration says when it ends; the exit code."""
    from leverage_sim.calibration.table_episodes import ADDING
    from leverage_sim.calibration.table_run import CHECKPOINT

    if result.status == "interrupted":
        side = out / (CHECKPOINT + ADDING)
        kept = (f"the new facts given so far are kept in {side}, and until every row has them "
                "the folder keeps the calibration it held (its posterior can still be used)"
                if side.is_file() else f"the simulations done are kept in {out / CHECKPOINT}")
        print(f"\n{_stopped(result.exit_code)}: {kept}. Continue with:\n  {_resume(args, out)}",
              file=sys.stderr)
        return result.exit_code
    fit = result.fit
    cover = fit.coverage.table["cover_90"]
    block = "table_quick" if args.quick else "table"
    how = ("converged" if fit.converged else
           f"capped (not converged: raise {block}.max_simulations and run again with "
           "--resume, which grows this table)" if fit.judged else
           f"capped (not converged: judging convergence takes three table sizes, so "
           f"{block}.max_simulations must be at least 4 × {block}.start)")
    uninformed = int((~fit.informed).sum())
    print(f"\nCalibrated {len(result.calibration.parameters)} parameters to "
          f"{len(result.calibration.targets())} facts: {fit.simulations} simulations, {how}, "
          f"effective sample size {fit.ess:.0f}; 90% intervals covered {cover.min():.2f}–"
          f"{cover.max():.2f} of held-out truths; {uninformed} parameter"
          f"{'s' * (uninformed != 1)} not informed by the facts ({result.seconds:.0f} s). "
          f"Wrote {', '.join(p.name for p in result.written)} to {visible(str(out))}/.")
    return 0
