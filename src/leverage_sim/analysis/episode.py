"""The June 2020 episode, run by run, against the historical record.

Per replication, what followed the scenario's first scripted raid: arrests, the target's muster
within a day, a public threat by another militia within 3 days, how the standoff ended, detainees
released within 4 days, attacks after that; then the same figures side by side with what happened
in June-July 2020 (IntelBrief, 6 July 2020; see ``scenarios/june_2020_replay.yaml``).
"""

from __future__ import annotations

import pandas as pd

from leverage_sim.errors import InputError
from leverage_sim.scenario.limits import check_level
from leverage_sim.simulation.runner import Results, require_results

RECORD = {
    "arrests": 14,                # CTS raid of 25 June 2020
    "muster": 150,                # ~150 KH fighters in pickups at the CTS and Green Zone gates
    "threat_3d": True,            # AAH's Qais Khazali warned the PM on 26 June
    "relented": True,             # detainees handed to the PMF security directorate
    "released_4d": 13,            # 13 of 14 free by 29 June
    "attacks_after": True,        # rockets went on (4 July embassy rocket intercepted by C-RAM)
}
"""What happened in 2020, by the measures of :func:`episode_figures`."""


def episode_figures(res: Results) -> pd.DataFrame:
    """One row per replication: what followed the scenario's first scripted raid.

    Columns: ``arrests`` (persons), ``muster`` (target's fighters mustered on the raid day or the
    next; NaN if none), ``threat_3d`` (another militia threatened publicly within 3 days),
    ``outcome`` (first standoff end: relented / held firm / none), ``relented``,
    ``released_4d`` (detainees released within 4 days of the raid), ``attacks_after`` (attacks
    on US-linked sites more than 4 days after the raid).
    """
    require_results(res, "episode_figures' res")
    raid = next((e for e in res.scenario.events if e.action == "raid"), None)
    if raid is None:
        raise InputError(f"Scenario {res.scenario.name} has no scripted raid, so there is no "
                         "episode to measure; use a scenario that extends june_2020_replay.")
    day, target = res.scenario.event_day(raid), raid.target
    ev = res.events[res.events["day"] >= day]
    reps = pd.Index(res.summary["replication"], name="replication")

    def per_run(mask: pd.Series, how: str = "sum") -> pd.Series:
        return ev[mask].groupby("replication")["value"].agg(how).reindex(reps)

    act, actor = ev["action"], ev["actor"]
    ends = ev[act.isin(["relent", "hold_firm"]) & (ev["target"] == target)
              & ~ev["detail"].str.startswith("day ")].groupby("replication")["action"].first()
    outcome = ends.map({"relent": "relented", "hold_firm": "held firm"}).reindex(reps)
    return pd.DataFrame({
        "arrests": per_run((act == "raid") & (ev["day"] == day)).fillna(0),
        "muster": per_run((act == "muster") & (actor == target) & (ev["day"] <= day + 1),
                          "first"),
        "threat_3d": per_run((act == "public_threat") & (actor != target)
                             & (ev["day"] <= day + 3), "size").fillna(0) > 0,
        "outcome": outcome.fillna("none"),
        "relented": outcome.eq("relented"),
        "released_4d": per_run((act == "release") & (ev["day"] <= day + 4)).fillna(0),
        "attacks_after": per_run((act == "attack") & (ev["day"] > day + 4),
                                 "size").fillna(0) > 0,
    })


def compare_with_record(figures: pd.DataFrame, level: float = 0.9) -> pd.DataFrame:
    """The model's figures next to the record: median and central ``level`` interval for
    counts (``released_4d`` over the runs that relented, as in 2020), share of runs for yes/no
    measures."""
    level = check_level(level)
    missing = ([name for name in RECORD if name not in figures]
               if isinstance(figures, pd.DataFrame) else list(RECORD))
    if missing or figures.empty:
        raise InputError(f"compare_with_record takes the table of episode_figures(res) (one row "
                         f"per run, with {', '.join(RECORD)}); got {type(figures).__name__} "
                         f"{'without ' + ', '.join(missing) if missing else 'with no rows'}.")
    lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
    rows = []
    for name, actual in RECORD.items():
        col = figures[name]
        if name == "released_4d":
            col = col[figures["relented"]]
        if isinstance(actual, bool):
            model = f"{col.mean():.0%} of runs" if len(col) else "n/a"
        elif col.notna().any():
            model = (f"{col.median():.0f} [{col.quantile(lo):.0f}, {col.quantile(hi):.0f}]"
                     f"{'' if col.notna().all() else f' ({col.notna().mean():.0%} of runs)'}")
        else:
            model = "never"
        rows.append({"measure": MEASURES[name], "record (2020)": _fmt(actual), "model": model})
    return pd.DataFrame(rows).set_index("measure")


MEASURES = {
    "arrests": "arrests in the raid",
    "muster": "fighters mustered within a day (median [90%])",
    "threat_3d": "public threat by another militia within 3 days",
    "relented": "government relents",
    "released_4d": "detainees released within 4 days, if relented (median [90%])",
    "attacks_after": "attacks go on after the release",
}


def _fmt(value: object) -> str:
    return "yes" if value is True else "no" if value is False else str(value)

