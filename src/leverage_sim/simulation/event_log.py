"""The structured event log: one record per action, as a table or a readable timeline."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from functools import cached_property

import numpy as np
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

    def columns(self) -> EventColumns:
        """The log as :class:`EventColumns` (no DataFrame)."""
        names: dict[str, int] = {}
        actions: dict[str, int] = {}
        code = (lambda text: -1 if text is None else names.setdefault(text, len(names)))
        rows = self.rows
        return EventColumns(
            self.start_date, np.array([r[0] for r in rows], dtype=np.int64),
            np.array([actions.setdefault(r[2], len(actions)) for r in rows], dtype=np.int64),
            np.array([code(r[1]) for r in rows], dtype=np.int64),
            np.array([code(r[3]) for r in rows], dtype=np.int64),
            np.array([r[5] for r in rows], dtype=float), list(actions), list(names))

    def frame(self) -> pd.DataFrame:
        """The log as a DataFrame with the columns of ``EVENT_COLUMNS``."""
        df = pd.DataFrame(self.rows, columns=["day", "actor", "action", "target", "detail",
                                              "value"])
        df.insert(1, "date", [self.start_date + dt.timedelta(days=int(d)) for d in df["day"]])
        df["date"] = pd.to_datetime(df["date"])
        return df


class EventColumns:
    """An event log as NumPy columns, for statistics over many runs (what
    :mod:`leverage_sim.calibration.statistics` reads): ``day`` (int64), ``action`` (int64 codes
    into ``actions``), ``actor`` and ``target`` (int64 codes into ``names``; -1: no target),
    ``value`` (float64), and ``dates`` (datetime64, as the frame's ``date`` column). The same
    rows, in the same order, as :meth:`EventLog.frame`; comparing codes costs a fraction of
    comparing the frame's strings, and building these costs no DataFrame."""

    def __init__(self, start_date: dt.date | None, day: np.ndarray, action: np.ndarray,
                 actor: np.ndarray, target: np.ndarray, value: np.ndarray,
                 actions: Sequence[str], names: Sequence[str],
                 dates: np.ndarray | None = None) -> None:
        self.start_date = start_date
        self.day, self.action, self.actor, self.target, self.value = (day, action, actor,
                                                                      target, value)
        self.actions, self.names = actions, names
        if dates is not None:
            self.__dict__["dates"] = dates

    @cached_property
    def dates(self) -> np.ndarray:
        """The date of each row (datetime64[D])."""
        return np.datetime64(self.start_date, "D") + self.day

    @cached_property
    def _name_codes(self) -> dict[str, int]:
        codes: dict[str, int] = {}
        for i, name in enumerate(self.names):
            codes.setdefault(name, i)
        return codes

    @cached_property
    def _action_codes(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.actions)}

    def code(self, name: str) -> int:
        """The code of an actor or target name (-2 if no row can have it)."""
        return self._name_codes.get(name, -2)

    def action_code(self, action: str) -> int:
        """The code of an action (-2 if no row can have it)."""
        return self._action_codes.get(action, -2)

    @classmethod
    def from_frame(cls, events: pd.DataFrame) -> EventColumns:
        """The columns of an events frame (:meth:`EventLog.frame`'s columns)."""
        spaces: list[dict[str, int]] = [{}, {}]
        out = []
        for column, codes in (("action", spaces[0]), ("actor", spaces[1]),
                              ("target", spaces[1])):
            values = events[column].to_numpy(dtype=object).tolist()
            out.append(np.array([codes.setdefault(v, len(codes)) if isinstance(v, str) else -1
                                 for v in values], dtype=np.int64))
        return cls(None, events["day"].to_numpy(dtype=np.int64), *out,
                   events["value"].to_numpy(dtype=float), list(spaces[0]), list(spaces[1]),
                   dates=events["date"].to_numpy())
