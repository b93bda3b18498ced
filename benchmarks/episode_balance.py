"""How each episode fares in the rejection distance, with and without equal episode weights.

Reads a table calibration folder's reference table (``DIR/reference.parquet``, written by
``leverage-sim calibrate CONFIG --out DIR``; kept out of git) and prints, for the old distance
(one Euclidean norm over all facts, ``balance: false``) and the balanced one (every episode
counts equally, the default): per episode its share of the kept rows' summed squared misses,
the share of kept rows matching every fact of the episode (and of the whole table), and the
posterior 5/50/95% quantiles (prior-CDF units) of the parameters that episode's facts
inform most, fitted jointly and from the episode's facts alone. No simulation: seconds.

    .venv/bin/python benchmarks/episode_balance.py calibration/default
    .venv/bin/python benchmarks/episode_balance.py calibration/default --accept 100 \
        --show foreign_forces.ground_multiplier foreign_forces.air_support

Prints its figures; docs/calibration.md ("Every episode counts equally") describes them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from leverage_sim.calibration.config import load_calibration
from leverage_sim.calibration.forest import RejectionPosterior, episode_of
from leverage_sim.calibration.table_fit import load_checkpoint
from leverage_sim.calibration.table_run import CHECKPOINT
from leverage_sim.calibration.weighted import weighted_quantiles


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--config", default="calibration/default.yaml")
    ap.add_argument("--accept", type=int, default=None, help="rows kept (default: the file's)")
    ap.add_argument("--top", type=int, default=2, help="parameters shown per episode")
    ap.add_argument("--show", nargs="*", default=[], metavar="PATH",
                    help="parameters shown for every episode besides its top ones (e.g. "
                    "foreign_forces.ground_multiplier: what Basra's facts alone say of it)")
    args = ap.parse_args()
    cal = load_calibration(args.config)
    record = cal.targets()
    names = [t.name for t in record]
    table = load_checkpoint(args.folder / CHECKPOINT, [p.prior for p in cal.parameters], names,
                            cal.spec.seed)
    if table is None:
        raise SystemExit(f"{args.folder / CHECKPOINT} is not a reference table of {args.config}")
    accept = min(args.accept or cal.spec.table.accept, len(table) // 10)
    x = table.facts.to_numpy(float)
    miss = RejectionPosterior(table, accept, adjust=False).misses(record)
    episodes = np.array([episode_of(n) for n in names])
    per_episode = {e: (miss[:, episodes == e] ** 2).sum(axis=1) for e in dict.fromkeys(episodes)}
    u_all = table.unit.to_numpy(float)
    params = list(table.unit.columns)
    corr = pd.DataFrame(np.column_stack([u_all, x]), columns=params + names).rank().corr()
    print(f"{len(table):,} rows, {accept} kept\n")
    for balance in (False, True):
        u, w = RejectionPosterior(table, accept, False, balance).sample(record)
        kept = _kept_rows(u, u_all)
        sq = pd.Series({e: v[kept].sum() for e, v in per_episode.items()})
        print(f"== {'balanced (every episode counts equally)' if balance else 'one norm over all facts'}")
        print(pd.DataFrame({
            "share of kept squared misses": (sq / sq.sum()).round(3),
            "kept rows matching every fact": pd.Series(
                {e: float((v[kept] == 0).mean()) for e, v in per_episode.items()}).round(3),
            "table rows matching every fact": pd.Series(
                {e: float((v == 0).mean()) for e, v in per_episode.items()}).round(3)}
        ).to_string())
        for e in per_episode:
            cols = [i for i, n in enumerate(names) if episode_of(n) == e]
            own = type(table)(table.priors, table.unit, table.values, table.facts.iloc[:, cols],
                              table.seed)
            ua, wa = RejectionPosterior(own, accept, False, balance).sample(
                [record[i] for i in cols])
            strength = corr.loc[params, [names[i] for i in cols]].abs().max(axis=1)
            top = list(strength.sort_values(ascending=False).index[: args.top])
            for p in dict.fromkeys([*top, *args.show]):
                j = params.index(p)
                joint = weighted_quantiles(u[:, j], w, [0.05, 0.5, 0.95])
                alone = weighted_quantiles(ua[:, j], wa, [0.05, 0.5, 0.95])
                print(f"  {e:18s} {p:40s} joint {_q(joint)}  alone {_q(alone)}")
        print()


def _kept_rows(u: np.ndarray, u_all: np.ndarray) -> np.ndarray:
    """Row indices of the kept rows (their prior coordinates are unique in the table)."""
    index = {tuple(r): i for i, r in enumerate(u_all)}
    return np.array([index[tuple(r)] for r in u])


def _q(q: np.ndarray) -> str:
    return f"{q[1]:.2f} [{q[0]:.2f}, {q[2]:.2f}]"


if __name__ == "__main__":
    main()
