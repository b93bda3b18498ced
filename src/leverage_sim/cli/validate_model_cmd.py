"""``leverage-sim validate-model [EPISODE ...]``: score the posterior on held-out episodes."""

from __future__ import annotations

import argparse
import json
import sys

import matplotlib.pyplot as plt
import pandas as pd

from leverage_sim.calibration import validation
from leverage_sim.cli.common import (
    PosteriorAction,
    add_allow_stale_arg,
    add_engine_arg,
    add_force_arg,
    engine_line,
    output_folder,
    progress_wrapper,
    sample_count_arg,
    seed_arg,
)
from leverage_sim.errors import InputError
from leverage_sim.files.safe_text import visible
from leverage_sim.simulation.posterior import resolve
from leverage_sim.simulation.provenance import short_path


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``validate-model`` verb."""
    p = sub.add_parser(
        "validate-model", help="score the calibrated model on held-out episodes",
        description="Run each held-out episode (episodes/*.yaml with role: held_out, or the "
        "episodes named) with parameters drawn from the posterior, from the calibration's "
        "priors, and with the hand-tuned defaults, all on the same seeds; report per fact the "
        "posterior-predictive distribution, the observed value and its quantile, and a proper "
        "score (CRPS for quantities, Brier for yes/no events) with the skill against both "
        "baselines, and per episode a headline skill from summed scores with its 90% "
        "bootstrap interval. With --out, write validation.md, validation.png, scores.csv, "
        "headline.csv, "
        "predictive.parquet (every run's fact values) and manifest.json.",
        epilog="example: leverage-sim validate-model --posterior default -n 200 "
        "--out results/validation")
    p.add_argument("episodes", nargs="*", metavar="EPISODE",
                   help="episode names or files (default: every held-out episode)")
    p.add_argument("--posterior", default="default", metavar="DIR|default",
                   action=PosteriorAction,
                   help="the calibration to score (default: the committed one)")
    add_allow_stale_arg(p)
    p.add_argument("-n", "--replications", type=sample_count_arg, default=200,
                   help="runs per predictive distribution and episode, >= 2 (default 200)")
    p.add_argument("--seed", type=seed_arg, default=1, help="master seed (default 1)")
    p.add_argument("--out", default=None, help="output folder for the report and chart")
    add_force_arg(p)
    add_engine_arg(p)
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress bar, no engine line")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Run the verb."""
    posterior = resolve(args.posterior)
    if posterior is None:
        raise InputError("validate-model scores a calibration: give --posterior DIR (the --out "
                         "folder of `leverage-sim calibrate`) or --posterior default.")
    episodes = validation.from_episode_files(args.episodes)
    with output_folder(args, "validate-model") as out:
        result = validation.validate(episodes, posterior, args.replications, args.seed,
                                     progress=lambda name: progress_wrapper(args.quiet, name),
                                     engine=args.engine)
        if not args.quiet:  # as calibrate: -q leaves the results alone on the terminal
            print(engine_line(args.engine), file=sys.stderr)
        report = result.markdown()
        print(report)
        if out is not None:
            (out / "validation.md").write_text(report, encoding="utf-8")
            result.scores.to_csv(out / "scores.csv", index=False)
            result.headline.to_csv(out / "headline.csv", index=False)
            pd.concat([v.assign(episode=k) for k, v in result.values.items()],
                      ignore_index=True).to_parquet(out / "predictive.parquet", index=False)
            fig = result.chart()
            fig.savefig(out / "validation.png", dpi=110)
            plt.close(fig)
            (out / "manifest.json").write_text(json.dumps(
                {"posterior": {**posterior.record(), "path": short_path(posterior.path)},
                 "replications": args.replications,
                 "seed": args.seed, "episodes": [e.name for e in episodes],
                 "episode_files": [e.record() for e in episodes],
                 "engine": args.engine}, indent=2) + "\n",
                encoding="utf-8")
    if args.out is not None:
        print(f"Wrote validation.md, validation.png, scores.csv, headline.csv, predictive.parquet, "
              f"manifest.json to {visible(str(args.out))}/")
    return 0
