"""A small hand-made held-out episode for validation tests and notebook 05: the June 2020
replay scored against its record, with statistics read from the run's summary row."""

from __future__ import annotations

import leverage_sim as ls
from leverage_sim.calibration.validation import Episode, Fact


def summary_stat(column: str):
    """A statistic: a column of the run's summary row."""
    return lambda tables: float(tables.summary[column])


def toy_episode(horizon_days: int = 60) -> Episode:
    """june_2020_replay over ``horizon_days`` with four facts of the June 2020 record."""
    scenario = ls.load_scenario("june_2020_replay", {"horizon_days": horizon_days})
    return Episode("june_2020_toy", scenario, (
        Fact("arrests", summary_stat("arrests"), 14, 14, 53),
        Fact("muster", summary_stat("max_muster_size"), 150, 100, 200),
        Fact("relented", summary_stat("relents"), 1, 1, 1, kind="event"),
        Fact("attacks", summary_stat("attacks"), 5, 3, 8),
    ))
