"""The event log of one replication as a dated, readable timeline (Markdown).

``leverage-sim run`` writes it to ``narrative.md`` for a typical replication
(:func:`typical_replication`): a table with one row per action (date, who, what happened,
figures), actors under their display names, and the run's totals at the end.

The typical replication is the one nearest the medians of the main summary columns
(:data:`TYPICAL_COLUMNS`): its distance is the sum over those columns of ``|value - median| /
spread``, the spread being the column's interquartile range across the replications (its full
range if the quartiles coincide; a column that never varies is left out). The smallest
distance wins; ties go to the lowest replication number. A single replication picked
otherwise (e.g. replication 0) may be far in a tail: 8 attacks where most runs have 20.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from leverage_sim.files.safe_text import visible
from leverage_sim.scenario.schema import Scenario
from leverage_sim.simulation.runner import Results

ACTION_LABELS = {
    "raid": "enforcement raid on {target}",
    "comply": "does not resist",
    "muster": "musters fighters",
    "public_threat": "public threat",
    "standoff": "standoff with {target}",
    "hold_firm": "holds firm against {target}",
    "relent": "relents to {target}",
    "release": "gets detainees back",
    "clash": "armed clash",
    "attack": "attack on {target}",
    "interception": "interception of an attack on {target}",
    "strike": "strike on {target}",
    "backing": "intervention backing the government against {target}",
    "deploy_defence": "defences deployed at {target}",
    "set": "change of course",
    "truce": "truce",
    "drawdown": "troop drawdown",
    "withdrawal": "full withdrawal",
    "expulsion_vote": "parliament's vote to expel foreign forces",
    "operation": "operation against {target}",
    "fighting": "fighting with {target}",
    "defection": "troops desert in the fight with {target}",
    "talks": "ceasefire talks for {target}",
    "ceasefire": "ceasefire brokered for {target}",
    "redeploy": "troops redeployed",
    "skipped": "scripted action not carried out",
}
"""Event-log action -> what the timeline says ({target} is the target's display name). Actions
of the foreign force are nouns: its display name may be plural ("US forces") or singular."""
_ONE = re.compile(r"(?<![\d.])1 ((?:[^\W\d][\w-]* ){0,3}?)"
                  r"(detainees|members|fighters|casualties|arrests|attacks)\b")
"""A count of one and its noun, with up to three words between (the foreign force's label:
*1 MNF-I casualties*)."""
_SINGULAR = {"detainees": "detainee", "members": "member", "fighters": "fighter",
             "casualties": "casualty", "arrests": "arrest", "attacks": "attack"}


def display_names(scenario: Scenario) -> dict[str, str]:
    """Actor id in the event log -> display name (militias keep their short names)."""
    return {"government": scenario.government.name, "patron": scenario.patron.name,
            "foreign_forces": scenario.foreign_forces.name}


def singular_counts(text: str) -> str:
    """``text`` with counts of one in the singular (*1 detainee released*, *1 US casualty*)."""
    return _ONE.sub(lambda m: f"1 {m.group(1)}{_SINGULAR[m.group(2)]}", text)


def scripted_notes(scenario: Scenario) -> set[tuple[int, str]]:
    """(day, note) of the scenario's scripted events that carry a note: a logged action with
    that day and detail is the scripted event, and its detail the scenario's note."""
    return {(scenario.event_day(ev), ev.note) for ev in scenario.events if ev.note}


def describe_event(action: str, target: object, detail: str, names: dict[str, str],
                   scripted: bool = False) -> str:
    """What one logged action says in words, e.g. *attack on embassy: intercepted*. With
    ``scripted``, ``detail`` is the scenario's note on a scripted event: it describes the
    historical event, so it is labelled as such rather than told as this run's outcome."""
    shown = names.get(target, target) if isinstance(target, str) else ""
    what = ACTION_LABELS.get(action, action.replace("_", " ")).format(target=shown)
    if scripted:
        return f"{what} (scripted; scenario note on the historical event: {detail})"
    return f"{what}: {singular_counts(detail)}" if detail else what


def timeline_table(events: pd.DataFrame, scenario: Scenario) -> str:
    """Markdown table of one replication's events: date | day | who | what happened."""
    names = display_names(scenario)
    notes = scripted_notes(scenario)
    lines = ["| date | day | who | what happened |", "|---|---:|---|---|"]
    for ev in events.itertuples(index=False):
        text = describe_event(ev.action, ev.target, ev.detail, names,
                              (ev.day, ev.detail) in notes)
        text = text.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {pd.Timestamp(ev.date):%Y-%m-%d} | {ev.day} | "
                     f"{names.get(ev.actor, ev.actor)} | {text} |")
    return "\n".join(lines)


TYPICAL_COLUMNS = ("arrests", "max_muster_size", "held_firm", "relents", "attacks",
                   "us_casualties", "final_authority", "final_mean_autonomy")
"""The summary columns a typical replication is nearest to the medians of."""


def typicality(summary: pd.DataFrame) -> pd.Series:
    """Each replication's distance from the medians of :data:`TYPICAL_COLUMNS` (index:
    replication; see the module docstring)."""
    data = summary.set_index("replication")[list(TYPICAL_COLUMNS)].astype(float)
    q1, q3 = data.quantile(0.25), data.quantile(0.75)
    spread = (q3 - q1).where(q3 > q1, data.max() - data.min())
    varying = spread[spread > 0].index
    return ((data[varying] - data[varying].median()).abs() / spread[varying]).sum(axis=1)


def typical_replication(summary: pd.DataFrame) -> int:
    """The replication nearest the medians of :data:`TYPICAL_COLUMNS` (see the module
    docstring)."""
    distance = typicality(summary)
    return int(distance.index[np.argmin(distance.to_numpy())])


def why_typical(summary: pd.DataFrame, replication: int) -> str:
    """One sentence saying which replication is narrated and why."""
    distance = typicality(summary)
    n = len(summary)
    if replication != typical_replication(summary):
        return f"Replication {replication} of {n}, as asked (not chosen as typical)."
    columns = ", ".join(c.replace("_", " ") for c in TYPICAL_COLUMNS)
    return (f"Replication {replication} of {n} is narrated because it is the typical run: the "
            f"one nearest the medians of {columns} (distance: the sum over these columns of "
            "|value - median| / interquartile range across the runs; "
            f"{distance[replication]:.2f} for this run, {distance.median():.2f} for the "
            "median run).")


def narrative(res: Results, replication: int | None = None) -> str:
    """The Markdown narrative of ``replication`` of a run (default: the typical one,
    :func:`typical_replication`): header, why this run, timeline, totals (control characters
    from the scenario's free text written as visible escapes)."""
    if replication is None:
        replication = typical_replication(res.summary)
    sc = res.scenario
    row = res.summary.loc[res.summary["replication"] == replication].iloc[0]
    events = res.events[res.events["replication"] == replication]
    end = sc.date_of(sc.horizon_days - 1)
    militias = "; ".join(f"{m.name} = {m.full_name or m.name}" for m in sc.militias)
    stayed = (f"withdrew on day {row['withdrawal_day']}." if row["us_withdrawn"] else "stayed.")
    totals = singular_counts(
        f"{row['raids']} raid(s) with {row['arrests']} arrests; {row['standoffs']} standoff(s): "
        f"held firm {row['held_firm']}, relented {row['relents']}, clashes {row['clashes']}; "
        f"{row['detainees_released']} detainees released. {row['attacks']} attacks on "
        f"{sc.foreign_forces.name} sites ({row['attacks_intercepted']} intercepted), "
        f"{row['us_casualties']} casualties, {row['us_strikes']} strike(s) in return. "
        f"Government authority at the end: {row['final_authority']:.2f}; mean militia "
        f"autonomy: {row['final_mean_autonomy']:.2f}; foreign force {stayed}"
    )
    parts = [
        f"# {sc.name}: what happened in replication {replication}",
        "",
        f"Inputs: {res.inputs}.",
        "",
        *([f"*{sc.question}*", ""] if sc.question else []),
        why_typical(res.summary, replication),
        "",
        (f"One simulated run (seed {row['seed']}) from {sc.start_date} to {end} "
         f"({sc.horizon_days} days). Actors: {sc.government.name}; {sc.patron.name}; "
         f"{sc.foreign_forces.name}; militias {militias}. Other replications differ: see "
         "`summary` for the spread across runs."),
        "",
        timeline_table(events, sc) if len(events) else "Nothing happened in this run.",
        "",
        "## In numbers",
        "",
        totals,
        "",
    ]
    return visible("\n".join(parts))
