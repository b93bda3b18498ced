"""The run's event log as a readable dated timeline (HTML), and a one-line run status."""

from __future__ import annotations

import html

import pandas as pd

from leverage_sim.dashboard.levers import LEVERS, scenario_values
from leverage_sim.narrative import describe_event, display_names
from leverage_sim.schema import Scenario


def event_line(row: pd.Series, names: dict[str, str]) -> str:
    """One action as HTML, worded as in ``narrative.md`` (e.g. *KH attack on embassy:
    intercepted*); ``names`` maps actor ids to display names."""
    what = describe_event(str(row["action"]), row["target"], row["detail"], names)
    return (f"<b>{html.escape(names.get(row['actor'], str(row['actor'])))}</b> "
            f"{html.escape(what)}")


def timeline_html(events: pd.DataFrame, spec: Scenario, latest_first: bool = True) -> str:
    """``events`` (``EventLog.frame()``: day, date, actor, action, target, detail) grouped by
    date under headings like *Thu 25 Jun 2020 · day 49*; latest day first by default."""
    if events.empty:
        return "<p class='ls-empty'>No events yet: press Step or ▶.</p>"
    names = display_names(spec)
    days = []
    for (day, date), group in events.groupby(["day", "date"], sort=True):
        items = "".join(f"<li class='ls-event'>{event_line(r, names)}</li>"
                        for _, r in group.iterrows())
        days.append(f"<section class='ls-day'><h4 style='margin:6px 0 2px'>"
                    f"{pd.Timestamp(date):%a %d %b %Y} · day {int(day)}</h4>"
                    f"<ul style='margin:0 0 4px 18px;padding:0'>{items}</ul></section>")
    return "".join(reversed(days) if latest_first else days)


def run_status(model_day: int, spec: Scenario, replication: int) -> str:
    """What the page is showing: scenario, days simulated (``model_day``) and the last one's
    date, the levers' values in this run, and the seed."""
    values = scenario_values(spec)
    levers = ", ".join(f"{lv.short} {values[lv.name]:.2f}" for lv in LEVERS if lv.name in values)
    last = model_day - 1
    reached = (f"{model_day} of {spec.horizon_days} days simulated, through "
               f"{spec.date_of(last):%a %d %b %Y} (day {last})" if model_day
               else f"not started (0 of {spec.horizon_days} days)")
    return f"{spec.name}: {reached}. {levers}; seed {replication}."
