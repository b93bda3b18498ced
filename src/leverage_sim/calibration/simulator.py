"""The model as an ABC simulator: parameter values and a seed in, one value per fact out.

Each particle runs every fitted episode ``replications`` times as summary-only runs (the
statistics read the event log and the summary row: the fast path by default, see
:data:`leverage_sim.simulation.runner.ENGINES`) and averages each fact over the replications. A
parameter of a militia or site reaches only the episodes whose scenario has it
(:meth:`LoadedEpisode.applicable`). Episode ``k`` of the calibration file runs on seed slot ``k``
(replication ``r`` on ``k × replications + r``), so a simulator of some of the episodes
(``only``) gives the facts a simulator of all of them gives for those episodes: a reference
table extended by an episode keeps its other columns (:mod:`.table_episodes`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from leverage_sim.calibration import statistics
from leverage_sim.calibration.config import Calibration
from leverage_sim.calibration.episodes import LoadedEpisode, fact_id
from leverage_sim.simulation.replication import (
    Variants,
    release,
    replication_seeds,
    summary_tables,
)


class EpisodeSimulator:
    """Callable ``(values by parameter path, seed) -> {episode.fact: value}``; picklable, so
    it runs in worker processes and on Dask workers. ``only``: the episodes to run (default
    all), each on its own seed slots."""

    def __init__(self, calibration: Calibration, replications: int = 1,
                 engine: str = "fast", only: Collection[str] | None = None) -> None:
        self.parameters = calibration.parameters
        self.episodes = calibration.episodes
        self.only = None if only is None else frozenset(only)
        self.facts = {ep.name: [f for f in ep.spec.facts if f.name in calibration.facts[ep.name]]
                      for ep in self.episodes}
        self.replications = replications
        self.engine = engine  # "fast" or "agent": identical values either way
        self._variants: dict[str, Variants] = {}

    def variants(self, episode: LoadedEpisode) -> Variants:
        """The runners of ``episode``'s particles (:class:`~leverage_sim.simulation.runner.Variants`:
        its scenario validated once, on the fast path its arrays built once and each
        particle's values written into a copy); made in each process on first use."""
        made = self.__dict__.setdefault("_variants", {})  # (a simulator pickled without it)
        found = made.get(episode.name)
        if found is None:
            found = made[episode.name] = Variants(episode.validated(), self.engine,
                                                  episode.scenario)
        return found

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_variants": {}}  # compiled code and arrays stay behind

    def overrides(self, values: Mapping[str, float]) -> dict[str, int | float]:
        """The scenario overrides of one particle (integer parameters rounded)."""
        return {p.path: p.cast(values[p.path]) for p in self.parameters}

    def within_priors(self, values: Mapping[str, float]) -> bool:
        """True if every value lies in its prior's range (then its field takes it: priors are
        checked against the schema's ranges, their ends validated, when the calibration file
        is loaded)."""
        return all(p.prior.low <= values[p.path] <= p.prior.high for p in self.parameters)

    def __call__(self, values: Mapping[str, float], seed: int) -> dict[str, float]:
        overrides = self.overrides(values)
        seeds = iter(replication_seeds(seed, len(self.episodes) * self.replications))
        checked = self.within_priors(values)
        out: dict[str, float] = {}
        for ep in self.episodes:
            if self.only is not None and ep.name not in self.only:
                for _ in range(self.replications):
                    next(seeds)  # its slots stay its own
                continue
            applicable = ep.applicable(overrides)
            run = self.variants(ep)(applicable, checked)
            sums = dict.fromkeys((f.name for f in self.facts[ep.name]), 0.0)
            for _ in range(self.replications):
                run_seed = next(seeds)
                model = run(run_seed)
                try:
                    tables = summary_tables(model, run_seed)
                finally:
                    release(model)
                for f in self.facts[ep.name]:
                    sums[f.name] += statistics.compute(f.statistic, tables, f.arguments)
            out.update({fact_id(ep.name, k): v / self.replications for k, v in sums.items()})
        return out
