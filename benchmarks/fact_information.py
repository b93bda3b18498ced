"""Which facts would inform a parameter? Out-of-bag R² of each parameter from an episode's
fitted facts, and from those facts plus *candidate* facts the record does not give yet.

The question behind it (issue 16): what stepping in adds (`ground_multiplier`, `air_support`)
keeps its prior's width because no fitted fact depends on it enough. Before researching new
sources, ask the model which numbers would tell: a candidate fact is a statistic of a run
(the same statistics and arguments an episode's facts use, docs/calibration.md) with no
observed value. The script draws ``-n`` parameter sets from the calibration's priors, runs each
chosen episode once per set (one history, as the reference table does), computes the
episode's fitted facts and the candidates, and fits a random forest from facts to each
parameter's prior coordinate. Printed per parameter: R² from the fitted facts, with all
candidates added, and with each candidate alone added. With both `ground_multiplier` and
`air_support` calibrated, the row ``U:EPISODE`` is what stepping in adds in that episode,
``U`` of docs/model.md (mechanism 3a), computed at the episode's troops in country and
committable share: the facts may pin the sum while leaving its two parts free.

    .venv/bin/python benchmarks/fact_information.py benchmarks/candidate_facts.yaml -n 4000

R² near 0: the facts do not predict the parameter (the posterior keeps its prior); a
candidate worth a source raises it clearly. Prints its figures; never gates CI.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from leverage_sim.calibration import statistics
from leverage_sim.calibration.config import load_calibration
from leverage_sim.calibration.episodes import fact_id
from leverage_sim.calibration.forest import ForestPosterior
from leverage_sim.calibration.reference import ReferenceTable, build_table
from leverage_sim.calibration.simulator import EpisodeSimulator
from leverage_sim.files.safe_yaml import read_file
from leverage_sim.simulation.mechanisms.backing import us_standoff_strength

GROUND, AIR = "foreign_forces.ground_multiplier", "foreign_forces.air_support"
SHOWN = (GROUND, AIR, "government.prior_backing")


def candidates_from(path: Path) -> dict[str, list[SimpleNamespace]]:
    """``{episode: [candidate facts]}`` from a YAML mapping of episode name to a list of
    ``{name, statistic, arguments}`` (arguments checked as an episode's facts' are)."""
    found = {}
    for episode, facts in read_file(path, "Candidates file").items():
        found[episode] = []
        for f in facts:
            statistics.check_arguments(f["statistic"], f.get("arguments", {}))
            found[episode].append(SimpleNamespace(name=f["name"], statistic=f["statistic"],
                                                  arguments=f.get("arguments", {})))
    return found


def with_strength(table: ReferenceTable, episodes: list) -> ReferenceTable:
    """``table`` with one more prior-coordinate column per episode, ``U:EPISODE`` (the rank of
    what stepping in adds there, 0-1), when both of its parameters are calibrated."""
    values = table.values
    if GROUND not in values or AIR not in values:
        return table
    unit = table.unit.copy()
    for ep in episodes:
        ff = ep.scenario().foreign_forces
        u = np.array([us_standoff_strength(ff.presence, ff.standoff_share, g, a)
                      for g, a in zip(values[GROUND], values[AIR], strict=True)])
        unit[f"U:{ep.name}"] = pd.Series(u).rank(pct=True).to_numpy()
    return ReferenceTable(table.priors, unit, values, table.facts, table.seed)


def information(table: ReferenceTable, facts: list[str], seed: int) -> pd.Series:
    """Out-of-bag R² of every column of ``table.unit`` from the ``facts`` columns."""
    part = ReferenceTable(table.priors, table.unit, table.values, table.facts[facts], table.seed)
    return ForestPosterior(part, seed=seed).information()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("candidates", type=Path, help="YAML: episode -> list of candidate facts")
    ap.add_argument("--config", default="calibration/default.yaml")
    ap.add_argument("-n", "--simulations", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", nargs="*", default=list(SHOWN), metavar="PATH",
                    help="parameters shown (default: the lever's three); 'all' for every one")
    args = ap.parse_args()

    cal = load_calibration(args.config)
    candidates = candidates_from(args.candidates)
    unknown = set(candidates) - {ep.name for ep in cal.episodes}
    if unknown:
        raise SystemExit(f"{args.candidates}: {', '.join(sorted(unknown))} is not a fit "
                         f"episode of {args.config}")
    simulator = EpisodeSimulator(cal, replications=1)
    simulator.episodes = [ep for ep in cal.episodes if ep.name in candidates]
    fitted = [fact_id(ep.name, f.name) for ep in simulator.episodes
              for f in simulator.facts[ep.name]]
    added = [fact_id(ep, c.name) for ep, cs in candidates.items() for c in cs]
    for ep, cs in candidates.items():
        simulator.facts[ep] = [*simulator.facts[ep], *cs]

    t0 = time.perf_counter()
    table = build_table(simulator, [p.prior for p in cal.parameters], fitted + added,
                        args.simulations, args.seed)
    table = with_strength(table, simulator.episodes)
    print(f"{args.simulations} histories of {', '.join(candidates)} from the priors of "
          f"{args.config} ({time.perf_counter() - t0:.0f} s), seed {args.seed}; out-of-bag "
          f"R² of each parameter's prior coordinate:")
    columns = {"fitted facts": information(table, fitted, args.seed),
               "+ all candidates": information(table, fitted + added, args.seed)}
    for fact in added:
        columns[f"+ {fact.split('.', 1)[1]}"] = information(table, [*fitted, fact], args.seed)
    out = pd.DataFrame(columns)
    shown = list(out.index) if args.show == ["all"] else [
        p for p in out.index if p in args.show or p.startswith("U:")]
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(out.loc[shown].round(2).to_string())


if __name__ == "__main__":
    main()
