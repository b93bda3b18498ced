"""What the one-run view draws, taken from the model between steps.

A step writes the model's data in several places (each data-collector column, the event log,
the agents), so a page redrawn while a step runs would read a half-written day (a column one
value longer than the others). :class:`~leverage_sim.dashboard.model.DashboardModel` takes a
:class:`RunSnapshot` under its stepping lock after every advance; the page reads only that
snapshot, which is never changed afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from leverage_sim.dashboard.timeline import run_status
from leverage_sim.scenario.schema import Scenario
from leverage_sim.simulation.model import LeverageModel


def run_frame(model: LeverageModel) -> pd.DataFrame:
    """The run so far, one row per simulated day: the model's data-collector columns plus
    ``date`` and cumulative ``total_attacks`` / ``total_intercepted``. Call it between steps
    (a step writes the columns one after another)."""
    ts = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    ts["date"] = pd.to_datetime([model.spec.date_of(int(d)) for d in ts["day"]])
    ts["total_attacks"] = ts["attacks"].cumsum()
    ts["total_intercepted"] = ts["attacks_intercepted"].cumsum()
    return ts


@dataclass(frozen=True)
class RunSnapshot:
    """The run as of the end of its last step (never changed once taken).

    ``days``: days simulated (Mesa's step count); ``running``: False once the horizon is
    reached; ``timeseries``: :func:`run_frame`; ``events``: the event log
    (``EventLog.frame()``); ``status``: :func:`~.timeline.run_status`."""

    spec: Scenario
    days: int
    running: bool
    timeseries: pd.DataFrame
    events: pd.DataFrame
    status: str


def take(model: LeverageModel) -> RunSnapshot:
    """A snapshot of ``model`` (call it between steps, as ``DashboardModel.advance`` does)."""
    return RunSnapshot(model.spec, int(model.steps), bool(model.running), run_frame(model),
                       model.log.frame(), run_status(model))
