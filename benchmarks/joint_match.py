"""What would an episode's facts pin if a fit kept only the histories that match them all at
once? Per set of facts: how many histories drawn from the priors match every fact of the set
(each inside its range), and each parameter's 90% interval among them, as a share of its
prior's width (0.9 is the prior's own: nothing learnt; issue 16 asks for 0.45 or less).

The question behind it (issue 16): the shipped posterior keeps ~0.9 of the prior's width on
what stepping in adds (`ground_multiplier`, `air_support`), and the out-of-bag R² of
`benchmarks/fact_information.py` says the facts predict them poorly *on average over the
prior*. That average can hide a narrow region: Basra's deaths in the two days before US
aircraft joined and in the first week (with them) fix ``(S_g + U) / S_g``, the ratio the
step-in multiplies the government side's killing by, whatever ``combat_lethality`` is — but
only in the few histories that reach both tolls. This script counts those histories and
shows what they say, so one can tell a record that does not inform a parameter from a fit
that cannot find the histories that do.

    .venv/bin/python benchmarks/joint_match.py basra_2008 -n 600000 \\
        --subset deaths_first_two_days,deaths_first_week --subset all --pairs

``--pairs`` also prints, for every pair of facts, the share of histories matching both and its
*lift* (that share over the product of the two facts' shares: 1 when the model makes them
independent, near 0 for two facts it can hardly reach together, the pair that keeps the
episode's facts from being matched at once), and for each fact how many histories match all
the others.

Each history is one run of the episode at parameters drawn from the calibration's priors
(the reference table's rows, ``calibration/reference.py``, seeded by ``--seed``): 600,000
Basra histories take about 6 minutes (run here, on one core). ``--table`` reads a fitted
calibration's own reference table instead (``calibration/default/reference.parquet``, written
by ``make calibrate``, git-ignored): what the shipped fit had to choose from, each row one
history of every fit episode at the same parameters, so ``--with EPISODE`` also counts the
rows that match the set and all of another fit episode's facts at once::

    .venv/bin/python benchmarks/joint_match.py basra_2008 \
        --table calibration/default/reference.parquet --with june_2020_raid --with all

``--joint-widths`` also prints the parameters' widths among the rows matching the set and each
``--with`` episode at once: what two episodes matched exactly together would pin.

Without ``--table``, ``--with EPISODE`` runs each drawn history of EPISODE too, at the same
parameters, so two episodes can be matched together before either is fitted (a copy of the
calibration file listing both, with the facts to match).

Prints its figures; never gates CI.
"""

from __future__ import annotations

import argparse
import itertools
import time
from pathlib import Path

import numpy as np
import pandas as pd

from leverage_sim.calibration.config import load_calibration
from leverage_sim.calibration.episodes import fact_id
from leverage_sim.calibration.reference import build_table
from leverage_sim.calibration.simulator import EpisodeSimulator


def matching(table: pd.DataFrame, bounds: dict[str, tuple[float, float]]) -> np.ndarray:
    """Rows of ``table`` (a reference table's frame) whose facts all lie in ``bounds``
    (fact id → (low, high))."""
    rows = np.ones(len(table), dtype=bool)
    for fact, (low, high) in bounds.items():
        rows &= table[f"fact:{fact}"].between(low, high).to_numpy()
    return rows


def widths(table: pd.DataFrame, rows: np.ndarray, parameters: list[str]) -> pd.DataFrame:
    """Per parameter, among ``rows``: the 90% interval's width in prior units (the prior
    coordinate's 5-95% spread) and the 5/50/95% values."""
    out = {}
    for path in parameters:
        unit = np.quantile(table[f"u:{path}"].to_numpy()[rows], [0.05, 0.95])
        values = np.quantile(table[path].to_numpy()[rows], [0.05, 0.5, 0.95])
        out[path] = {"width": unit[1] - unit[0], "5%": values[0], "50%": values[1],
                     "95%": values[2]}
    return pd.DataFrame(out).T


FEWEST_ROWS = 20
"""Fewest matching rows for which a 90% interval is printed."""


def print_widths(table: pd.DataFrame, rows: np.ndarray, parameters: list[str]) -> None:
    """Print :func:`widths` among ``rows``, or say that too few match."""
    if rows.sum() >= FEWEST_ROWS:
        with pd.option_context("display.width", 200):
            print(widths(table, rows, parameters).round(4).to_string())
    else:
        print(f"  (fewer than {FEWEST_ROWS}: too few for a 90% interval)")


def pairs(table: pd.DataFrame, bounds: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """Per pair of facts (ids → bounds): the share of rows matching each, both, and the lift
    (both over the product of each; NaN when either is never matched)."""
    hit = {fact: matching(table, {fact: b}) for fact, b in bounds.items()}
    rows = []
    for a, b in itertools.combinations(hit, 2):
        both, each = (hit[a] & hit[b]).mean(), hit[a].mean() * hit[b].mean()
        rows.append({"fact": a.split(".", 1)[1], "with": b.split(".", 1)[1],
                     "both": both, "lift": both / each if each > 0 else np.nan})
    return pd.DataFrame(rows).sort_values("lift")


def read_table(path: Path, columns: list[str]) -> pd.DataFrame:
    """A calibration's reference table (``reference.parquet``), checked to hold ``columns``."""
    if not path.is_file():
        raise SystemExit(f"{path}: no such reference table; `make calibrate` writes "
                         "calibration/default/reference.parquet (method: table)")
    table = pd.read_parquet(path)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise SystemExit(f"{path} has no column {missing[0]}: it was not written by this "
                         "calibration file (pass its --config)")
    return table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("episode", help="a fit episode of the calibration (e.g. basra_2008)")
    ap.add_argument("--config", default="calibration/default.yaml")
    ap.add_argument("-n", "--simulations", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--subset", action="append", metavar="FACT,FACT",
                    help="facts matched together (names in the episode file, or 'all'); "
                         "repeat for several sets (default: all)")
    ap.add_argument("--joint-widths", action="store_true",
                    help="with --with: also the widths among the histories that match the set "
                         "and each other episode's facts (when at least 20 do)")
    ap.add_argument("--pairs", action="store_true",
                    help="also each pair's joint share and lift, and all-but-one counts")
    ap.add_argument("--table", type=Path,
                    help="read the histories from a calibration's reference table "
                         "(reference.parquet) instead of drawing -n new ones")
    ap.add_argument("--with", dest="others", action="append", default=[], metavar="EPISODE",
                    help="also count the histories matching each set and every fitted "
                         "fact of EPISODE, another fit episode ('all': all of them): read "
                         "from --table, or drawn at the same parameters")
    args = ap.parse_args()

    cal = load_calibration(args.config)
    simulator = EpisodeSimulator(cal, replications=1)
    if args.episode not in {ep.name for ep in cal.episodes}:
        raise SystemExit(f"{args.episode} is not a fit episode of {args.config}; its fit "
                         f"episodes: {', '.join(ep.name for ep in cal.episodes)}")
    facts = {f.name: f.bounds for f in simulator.facts[args.episode]}
    parameters = [p.path for p in cal.parameters]
    others = {ep.name: {fact_id(ep.name, f.name): f.bounds for f in simulator.facts[ep.name]}
              for ep in cal.episodes if ep.name != args.episode}
    unknown = [o for o in args.others if o != "all" and o not in others]
    if unknown:
        raise SystemExit(f"--with {', '.join(unknown)}: not another fit episode of "
                         f"{args.config}; they are: {', '.join(others)}")
    wanted = list(others) if "all" in args.others else list(dict.fromkeys(args.others))
    if args.joint_widths and not wanted:
        raise SystemExit("--joint-widths needs --with EPISODE: the widths it prints are among "
                         "the histories matching the set and that episode's facts")
    # each history runs the episode and every --with episode at the same parameters
    simulator.episodes = [ep for ep in cal.episodes if ep.name == args.episode or
                          (args.table is None and ep.name in wanted)]

    if args.table is not None:
        table = read_table(args.table, [*(f"fact:{fact_id(args.episode, n)}" for n in facts),
                                        *(f"fact:{f}" for b in others.values() for f in b)])
        print(f"{len(table)} histories of the reference table {args.table}")
    else:
        t0 = time.perf_counter()
        ids = [fact_id(args.episode, name) for name in facts]
        ids += [f for name in wanted for f in others[name]]
        table = build_table(simulator, [p.prior for p in cal.parameters], ids,
                            args.simulations, args.seed).frame()
        print(f"{args.simulations} histories of {args.episode}"
              f"{''.join(f' and {name}' for name in wanted)} from the priors of "
              f"{args.config} ({time.perf_counter() - t0:.0f} s), seed {args.seed}")
    for subset in args.subset or ["all"]:
        names = list(facts) if subset == "all" else subset.split(",")
        unknown = [n for n in names if n not in facts]
        if unknown:
            raise SystemExit(f"{', '.join(unknown)}: not a fitted fact of {args.episode}; its "
                             f"fitted facts: {', '.join(facts)}")
        rows = matching(table, {fact_id(args.episode, n): facts[n] for n in names})
        print(f"\nmatching {subset}: {rows.sum()} of {len(table)} histories")
        print_widths(table, rows, parameters)
        for other in wanted:
            alone = matching(table, others[other])
            print(f"  and all of {other}: {(rows & alone).sum()} (all of {other} alone: "
                  f"{alone.sum()})")
            if args.joint_widths:
                print_widths(table, rows & alone, parameters)
        if "all" in args.others:
            every = {f: b for bounds in others.values() for f, b in bounds.items()}
            print(f"  and every other fit episode's facts: {(rows & matching(table, every)).sum()}")
    if args.pairs:
        ids = {fact_id(args.episode, name): b for name, b in facts.items()}
        with pd.option_context("display.width", 200):
            print("\npairs of facts, least often matched together first:")
            print(pairs(table, ids).round(4).to_string(index=False))
        print("\nhistories matching every fact but one:")
        for left_out in ids:
            rest = {fact: b for fact, b in ids.items() if fact != left_out}
            print(f"  all but {left_out.split('.', 1)[1]}: {matching(table, rest).sum()}")


if __name__ == "__main__":
    main()
