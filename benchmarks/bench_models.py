"""Models for ``sweep_throughput.py``, importable by worker processes (``mesa.batch_run`` spawns).

- :class:`ReplayBatch`: the replay as ``mesa.batch_run`` wants it (keyword parameters);
- :class:`BareModel`: the framework's floor — a Mesa model with the replay's agents (government,
  patron, foreign force, one agent per militia), the same steps and the same DataCollector
  reporters (the outcome reporters as functions returning 0), but agents that do nothing.
"""

from __future__ import annotations

from functools import lru_cache

import mesa

from leverage_sim import load_scenario
from leverage_sim.simulation.model import MILITIA_COLUMNS, TIMESERIES_COLUMNS, LeverageModel
from leverage_sim.simulation.outcomes import model_reporters

REPLAY = "june_2020_replay"


@lru_cache(maxsize=64)
def replay(backing: float):
    """The replay scenario with ``foreign_forces.backing`` set (cached per process)."""
    return load_scenario(REPLAY, {"foreign_forces.backing": backing})


class ReplayBatch(LeverageModel):
    """``LeverageModel`` with keyword parameters, for ``mesa.batch_run``."""

    def __init__(self, backing: float = 0.1, seed: int | None = None) -> None:
        super().__init__(replay(backing), seed)


class BareAgent(mesa.Agent):
    """An agent with the replay's reported attributes and an empty step."""

    def __init__(self, model: mesa.Model, name: str) -> None:
        super().__init__(model)
        self.name = name
        self.fighters, self.autonomy, self.detained = 1000, 0.5, 0

    def step(self) -> None:
        """Do nothing."""


class BareMilitia(BareAgent):
    """Stands in for :class:`leverage_sim.simulation.agents.Militia` (agent-type reporters)."""


def nothing(model: mesa.Model) -> int:
    """A reporter that reads nothing."""
    return 0


class BareModel(mesa.Model):
    """Same agents, steps and data collection as the replay; no behaviour."""

    def __init__(self, seed: int, militias: int) -> None:
        super().__init__(rng=seed)
        for name in ("government", "patron", "foreign_forces"):
            BareAgent(self, name)
        for i in range(militias):
            BareMilitia(self, f"m{i}")
        self.day = 0
        for c in TIMESERIES_COLUMNS:
            setattr(self, c, 0.0)
        self.datacollector = mesa.DataCollector(
            model_reporters={"day": "day", **{c: c for c in TIMESERIES_COLUMNS},
                             **dict.fromkeys(model_reporters(TIMESERIES_COLUMNS), nothing)},
            agenttype_reporters={BareMilitia: {"militia": "name",
                                               **{c: c for c in MILITIA_COLUMNS}}},
        )

    def step(self) -> None:
        """Every agent steps (random order), then data are collected, as in the replay."""
        self.agents.shuffle_do("step")
        self.datacollector.collect(self)
        self.day += 1


def bare_run(seed: int, militias: int, days: int) -> BareModel:
    """One run of the bare model: ``days`` steps."""
    model = BareModel(seed, militias)
    for _ in range(days):
        model.step()
    return model
