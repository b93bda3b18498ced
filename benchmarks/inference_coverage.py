"""Does the calibration cover the truth? Simulation-based calibration of the inference methods
on the real model, on one shared reference table (issue 17).

Builds a reference table of the default calibration's parameters and facts (prior draws, one
history each; ``--simulations`` rows), holds its last ``--truths`` rows out as synthetic
truths and reports, per parameter and method, the coverage of nominal 50% and 90% central
intervals, the mean posterior width relative to the prior's, how much the facts tell
(out-of-bag R² of a random forest from facts to parameter), and the width of the 90% interval
the method gives for the real record (in prior-CDF units: 0.9 is the prior's own). The shipped method must cover
within 85-95% at nominal 90% on every parameter.

    .venv/bin/python benchmarks/inference_coverage.py --simulations 6000 --truths 200

Prints its figures; never gates CI (the test suite runs a small version on a toy simulator
with an analytic posterior: tests/test_inference.py).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from leverage_sim.calibration import coverage
from leverage_sim.calibration.config import load_calibration
from leverage_sim.calibration.forest import ForestPosterior, ForestSettings, RejectionPosterior
from leverage_sim.calibration.projected import ProjectedPosterior
from leverage_sim.calibration.reference import build_table
from leverage_sim.calibration.simulator import EpisodeSimulator
from leverage_sim.calibration.weighted import weighted_quantiles
from leverage_sim.simulation.executors import make_executor

METHODS = {
    "rejection on the facts, episodes balanced (500 accepted; the shipped default)":
        lambda t: RejectionPosterior(t, 500, adjust=False),
    "semi-automatic ABC on projected summaries (500 accepted; table.summaries: projected)":
        lambda t: ProjectedPosterior(t, 500),
    "regression-adjusted ABC (300 accepted)": lambda t: RejectionPosterior(t, 300),
    "rejection ABC (300 accepted)": lambda t: RejectionPosterior(t, 300, adjust=False),
    "random-forest weights": lambda t: ForestPosterior(t, ForestSettings(trees=100, min_leaf=5)),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", default="calibration/default.yaml")
    ap.add_argument("--simulations", type=int, default=6000)
    ap.add_argument("--truths", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    cal = load_calibration(args.config)
    record = cal.targets()
    pool = make_executor("local", args.workers, None)
    t0 = time.perf_counter()
    try:
        table = build_table(EpisodeSimulator(cal, 1), [p.prior for p in cal.parameters],
                            [t.name for t in record], args.simulations, args.seed, pool,
                            pool.workers)
    finally:
        pool.shutdown()
    print(f"reference table: {args.simulations} simulations in "
          f"{time.perf_counter() - t0:.0f} s on {pool.workers} workers")
    info = ForestPosterior(table, ForestSettings(trees=100, min_leaf=5)).information()
    pd.set_option("display.width", 200)
    for name, method in METHODS.items():
        t = time.perf_counter()
        cov = coverage.check(table, record, method, args.truths, args.seed)
        u, w = method(table).sample(record)
        record_width = [float(np.diff(weighted_quantiles(u[:, j], w, [0.05, 0.95]))[0])
                        for j in range(u.shape[1])]
        frame = cov.table[["cover_50", "cover_90", "width"]].assign(
            oob_r2=info, record_width90=record_width)
        print(f"\n{name}: {args.truths} truths in {time.perf_counter() - t:.1f} s, mean ESS "
              f"{cov.ess.mean():.0f}; 90% coverage within 85-95% on every parameter: "
              f"{cov.within(0.9, 0.85, 0.95)}")
        print(frame.round(3).to_string())


if __name__ == "__main__":
    main()
