"""The model the dashboard runs: :class:`~leverage_sim.model.LeverageModel` built from keyword
parameters, as SolaraViz re-creates it on Reset (``DashboardModel(**slider_values)``)."""

from __future__ import annotations

from leverage_sim.dashboard.levers import lever_overrides
from leverage_sim.model import LeverageModel
from leverage_sim.overrides import normalise
from leverage_sim.runner import replication_seeds
from leverage_sim.scenario_loader import load_scenario

DEFAULT_SCENARIO = "june_2020_replay"


class DashboardModel(LeverageModel):
    """One run of a named scenario with the dashboard's levers applied.

    Args:
        scenario_name: scenario name or YAML path (see ``leverage-sim list``).
        overrides: extra ``path=value`` overrides (``--set``), applied before the levers.
        backing, instigation, resolve, embassy_interception: lever values in [0, 1]
            (``None`` keeps the scenario's value; see :mod:`.levers`).
        seed: replication number ≥ 0; the run uses the same integer seed as replication
            ``seed`` of ``leverage-sim run NAME`` (spawned from the scenario's master seed).

    The run stops (``running = False``) after the scenario's ``horizon_days``.

    Raises:
        InputError: unknown scenario, or an override the scenario rejects.
    """

    def __init__(self, scenario_name: str = DEFAULT_SCENARIO, overrides: tuple[str, ...] = (),
                 backing: float | None = None, instigation: float | None = None,
                 resolve: float | None = None, embassy_interception: float | None = None,
                 seed: int = 0) -> None:
        levers = lever_overrides({"backing": backing, "instigation": instigation,
                                  "resolve": resolve,
                                  "embassy_interception": embassy_interception})
        spec = load_scenario(scenario_name, {**normalise(overrides), **levers})
        self.replication = int(seed)
        super().__init__(spec, replication_seeds(spec.seed, self.replication + 1)[-1])

    def step(self) -> None:
        """Advance one day; stop at the scenario's horizon (later calls do nothing)."""
        if not self.running:
            return
        super().step()
        if self.day >= self.spec.horizon_days:
            self.running = False
