"""The model the dashboard runs: :class:`~leverage_sim.simulation.model.LeverageModel` built from keyword
parameters (``DashboardModel(**slider_values)``, as Mesa's visualisation builds models)."""

from __future__ import annotations

import threading
from typing import Any

from leverage_sim.dashboard.levers import settings_scenario
from leverage_sim.dashboard.snapshot import RunSnapshot, take
from leverage_sim.scenario.limits import check_count, check_seed
from leverage_sim.simulation import posterior as post
from leverage_sim.simulation.model import LeverageModel
from leverage_sim.simulation.runner import child_seed

DEFAULT_SCENARIO = "june_2020_replay"
DEFAULT_POSTERIOR = "default"
"""The dashboard's parameters unless its checkbox is cleared: calibrated ones drawn from the
committed posterior (``"none"``: the scenario's own values)."""


class DashboardModel(LeverageModel):
    """One run of a named scenario with the dashboard's levers applied.

    Args:
        scenario_name: scenario name or YAML path (see ``leverage-sim list``).
        overrides: extra ``path=value`` overrides (``--set``), applied before the levers.
        backing, instigation, resolve, embassy_interception: lever values in [0, 1]
            (``None`` keeps the scenario's value; see :mod:`.levers`).
        seed: replication number ≥ 0; the run uses the same integer seed as replication
            ``seed`` of ``leverage-sim run NAME`` (spawned from the scenario's master seed).
        posterior: ``"none"`` (the scenario's own parameter values), ``"default"`` (the
            committed calibration) or a calibration folder: the calibrated parameters take the
            posterior's draw for this seed, as replication ``seed`` of ``leverage-sim run NAME
            --posterior ...`` (the levers stay as set).

    The run stops (``running = False``) after the scenario's ``horizon_days``; ``steps`` (Mesa's
    step count) then equals ``day`` and the horizon, since :meth:`advance` never steps a
    stopped model.

    The page steps the model only through :meth:`advance` (from its play loop and its buttons,
    which may run on different threads) and draws only :attr:`snapshot`: ``advance`` holds
    :attr:`stepping` (a re-entrant lock) while it steps and takes the new snapshot, so two
    advances never interleave and the page never reads a half-written day.

    Raises:
        InputError: unknown scenario, or an override the scenario rejects.
    """

    def __init__(self, scenario_name: str = DEFAULT_SCENARIO, overrides: tuple[str, ...] = (),
                 backing: float | None = None, instigation: float | None = None,
                 resolve: float | None = None, embassy_interception: float | None = None,
                 seed: int = 0, posterior: str = "none") -> None:
        spec = settings_scenario(scenario_name, overrides, {
            "backing": backing, "instigation": instigation, "resolve": resolve,
            "embassy_interception": embassy_interception})
        self.scenario_name = scenario_name
        self.settings = spec  # the scenario the settings describe, before a posterior draw
        self.replication = check_seed(seed, "The dashboard's seed (the replication number)")
        self.posterior = posterior
        run_seed = child_seed(spec.seed, (self.replication,))
        drawn = post.resolve(posterior)
        self.posterior_record: dict[str, Any] | None = drawn.record() if drawn else None
        super().__init__(drawn.apply(spec, run_seed) if drawn else spec, run_seed)
        self.stepping = threading.RLock()
        self.snapshot: RunSnapshot = take(self)

    def step(self) -> None:
        """Advance one day; at the scenario's horizon set ``running = False``."""
        super().step()
        if self.day >= self.spec.horizon_days:
            self.running = False

    def advance(self, days: int) -> int:
        """Step up to ``days`` days (a whole number, at least 1) while the model is running, then
        take :attr:`snapshot`; returns the days stepped."""
        days = check_count(days, "days")  # 1.5 would step 2 days, "3" raise a TypeError
        with self.stepping:
            done = 0
            while done < days and self.running:
                self.step()
                done += 1
            if done:
                self.snapshot = take(self)
            return done
