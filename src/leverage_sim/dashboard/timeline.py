"""The run's event log as a readable dated timeline (HTML), and a one-line run status."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pandas as pd

from leverage_sim.dashboard.levers import LEVERS, live_values, scenario_values
from leverage_sim.outputs.narrative import describe_event, display_names, scripted_notes
from leverage_sim.scenario.schema import Scenario
from leverage_sim.simulation import posterior as post
from leverage_sim.simulation.model import LeverageModel


def event_line(row: pd.Series, names: dict[str, str], scripted: bool = False) -> str:
    """One action as HTML, worded as in ``narrative.md`` (e.g. *KH attack on embassy:
    intercepted*); ``names`` maps actor ids to display names; ``scripted`` marks a scripted
    event whose detail is the scenario's note."""
    what = describe_event(str(row["action"]), row["target"], row["detail"], names, scripted)
    return (f"<b>{html.escape(names.get(row['actor'], str(row['actor'])))}</b> "
            f"{html.escape(what)}")


def timeline_html(events: pd.DataFrame, spec: Scenario, latest_first: bool = True) -> str:
    """``events`` (``EventLog.frame()``: day, date, actor, action, target, detail) grouped by
    date under headings like *Thu 25 Jun 2020 · day 49*; latest day first by default."""
    if events.empty:
        return "<p class='ls-empty'>No events yet: press Step or ▶.</p>"
    names = display_names(spec)
    notes = scripted_notes(spec)
    days = []
    for (day, date), group in events.groupby(["day", "date"], sort=True):
        items = "".join(
            f"<li class='ls-event'>{event_line(r, names, (day, r['detail']) in notes)}</li>"
            for _, r in group.iterrows())
        days.append(f"<section class='ls-day'><h4 style='margin:6px 0 2px'>"
                    f"{pd.Timestamp(date):%a %d %b %Y} · day {int(day)}</h4>"
                    f"<ul style='margin:0 0 4px 18px;padding:0'>{items}</ul></section>")
    return "".join(reversed(days) if latest_first else days)


def run_status(model: LeverageModel) -> str:
    """What the page is showing: scenario, days simulated (Mesa's step count) and the last
    one's date, each lever's value now (with the run's setting where a scripted event or drift
    changed it), and the seed (``model.replication``, 0 if absent)."""
    spec = model.spec
    now, set_ = live_values(model), scenario_values(spec)
    levers = ", ".join(
        f"{lv.named(spec.foreign_forces.label)} {now[lv.name]:.2f}"
        + (f" (set {set_[lv.name]:.2f})" if round(now[lv.name], 2) != round(set_[lv.name], 2)
           else "")
        for lv in LEVERS if lv.name in now)
    last = model.steps - 1
    reached = (f"{model.steps} of {spec.horizon_days} days simulated, through "
               f"{spec.date_of(last):%a %d %b %Y} (day {last})" if model.steps
               else f"not started (0 of {spec.horizon_days} days)")
    ended = "; run ended" if not model.running else ""
    return (f"{spec.name}: {reached}{ended}. Now: {levers}; seed "
            f"{getattr(model, 'replication', 0)}.")


def parameters_note(record: dict[str, Any] | None) -> str:
    """Which parameters a run or ensemble used: the scenario's own values, or calibrated ones
    drawn from a posterior (``record``: :meth:`Posterior.record`, None for no posterior)."""
    if record is None:
        return ("Parameters: the scenario's own values (no posterior; tick \"Calibrated "
                "parameters\" and press Reset to draw them from the calibration).")
    path = Path(record["path"])
    where = ("the committed calibration (calibration/default)"
             if path == post.DEFAULT_DIR.resolve() else str(path))
    return (f"Parameters: calibrated ones drawn from the posterior of {where}, one draw per "
            "seed (seed k = replication k of leverage-sim run --posterior default); the "
            "levers as set.")
