"""The structured event log: one record per action, as a table or a readable timeline."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd

EVENT_COLUMNS = ("day", "date", "actor", "action", "target", "detail", "value")


class EventLog:
    """Actions in the order they happened. ``value`` carries the action's main figure
    (arrests, fighters mustered, US casualties, detainees released...).

    ``counts[action]`` (how many) and ``totals[action]`` (sum of ``value``) are kept as actions
    are added, so reading them costs the same on any day of the run.
    """

    def __init__(self, start_date: dt.date) -> None:
        self.start_date = start_date
        self.rows: list[tuple[int, str, str, str | None, str, float]] = []
        self.counts: Counter[str] = Counter()
        self.totals: Counter[str] = Counter()

    def add(self, day: int, actor: str, action: str, target: str | None, detail: str,
            value: float) -> None:
        """Append one action."""
        value = float(value)
        self.rows.append((day, actor, action, target, detail, value))
        self.counts[action] += 1
        self.totals[action] += value

    def count_by_actor(self, action: str) -> Counter[str]:
        """How many times each actor did ``action``."""
        return Counter(r[1] for r in self.rows if r[2] == action)

    def frame(self) -> pd.DataFrame:
        """The log as a DataFrame with the columns of ``EVENT_COLUMNS``."""
        df = pd.DataFrame(self.rows, columns=["day", "actor", "action", "target", "detail",
                                              "value"])
        df.insert(1, "date", [self.start_date + dt.timedelta(days=int(d)) for d in df["day"]])
        df["date"] = pd.to_datetime(df["date"])
        return df
