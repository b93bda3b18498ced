"""How a table calibration's posterior moved as its reference table grew, for any estimator.

Reads a table calibration folder's reference table (``DIR/reference.parquet``, written by
``leverage-sim calibrate CONFIG --out DIR``; kept out of git) and, for each table size from
``--start`` doubling up to the table's rows, computes the posterior for the record with the
file's estimator or another one (``--summaries``, ``--accept``) and prints the 5/50/95%
quantiles (prior-CDF units, 0-1) of the parameters asked for (default: the ``--top`` that
moved most over the last two doublings), and the convergence rule's verdict at each size
(docs/calibration.md, "Grown until it stops moving"). No simulation: seconds to a minute.
What a `diagnostics.csv` says in one line per size (the largest move), this shows per
parameter, so a trend that the rule's noise allowance hides at small tables is visible.

    .venv/bin/python benchmarks/table_trajectory.py calibration/default
    .venv/bin/python benchmarks/table_trajectory.py calibration/default --summaries facts \
        --show "militias[JAM2004].loss_sensitivity"

Prints its figures; docs/calibration.md ("Or on learnt summaries") quotes them.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import numpy as np

from leverage_sim.calibration import table_fit
from leverage_sim.calibration.config import load_calibration
from leverage_sim.calibration.table_run import CHECKPOINT


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--config", default="calibration/default.yaml")
    ap.add_argument("--summaries", choices=("facts", "projected"), default=None,
                    help="what rows are compared on (default: the file's)")
    ap.add_argument("--accept", type=int, default=None, help="rows kept (default: the file's)")
    ap.add_argument("--start", type=int, default=None,
                    help="first table size (default: the file's start)")
    ap.add_argument("--top", type=int, default=4, help="parameters shown besides --show")
    ap.add_argument("--show", nargs="*", default=[], metavar="PATH",
                    help="parameters shown whatever they did")
    args = ap.parse_args()
    cal = load_calibration(args.config)
    record = cal.targets()
    priors = [p.prior for p in cal.parameters]
    table = table_fit.load_checkpoint(args.folder / CHECKPOINT, priors,
                                      [t.name for t in record], cal.spec.seed)
    if table is None:
        raise SystemExit(f"{args.folder / CHECKPOINT} is not a reference table of {args.config}")
    budget = cal.spec.table.budget()
    budget = dataclasses.replace(budget, summaries=args.summaries or budget.summaries,
                                 accept=args.accept or budget.accept)
    names = [p.name for p in priors]
    unknown = [p for p in args.show if p not in names]
    if unknown:
        raise SystemExit(f"--show {' '.join(unknown)}: not a parameter of {args.config}")
    sizes, n = [], args.start or budget.start
    while n <= len(table):
        sizes.append(n)
        n *= 2
    if not sizes:
        raise SystemExit(f"the table has {len(table):,} rows, fewer than --start")
    steps = []
    for n in sizes:
        part = table if n == len(table) else table.rows(slice(0, n))
        u, w = budget.estimator(part).sample(record)
        steps.append((table_fit.quantiles(u, w), table_fit.quantile_errors(u, w, cal.spec.seed,
                                                                             n)))
    moved = np.abs(steps[-1][0] - steps[max(0, len(steps) - 1 - table_fit.DOUBLINGS)][0])
    order = [names[j] for j in np.argsort(-moved.max(axis=0), kind="stable")]
    shown = list(dict.fromkeys([*args.show, *order[:args.top]]))
    print(f"{len(table):,} rows; {budget.summaries} summaries, {budget.accept} rows kept (at "
          "most a tenth of a size); quantiles 5/50/95% in prior-CDF units\n")
    for k, (n, (q, se)) in enumerate(zip(sizes, steps, strict=True)):
        moves = table_fit.moves_against(q, se, steps[:k], budget.tolerance)
        verdict = ("first size" if not moves else
                   " ".join(f"[{m.largest:.3f}, {m.in_errors:.1f} s.e.: "
                            f"{'stable' if m.stable else 'moved'}]" for m in moves))
        print(f"{n:>10,} rows: {verdict}")
        for name in shown:
            j = names.index(name)
            print(f"    {name:45s} {q[0, j]:.3f} / {q[1, j]:.3f} / {q[2, j]:.3f}")


if __name__ == "__main__":
    main()
