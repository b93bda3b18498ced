"""A finished fast-path run, shaped like the parts of a finished
:class:`~leverage_sim.simulation.model.LeverageModel` that summaries and statistics read: ``log`` (counts,
totals, rows, ``frame()``), ``standoffs``, ``government.authority``, ``foreign_force``
(casualties, withdrawal day), ``mean_autonomy`` — so :func:`leverage_sim.simulation.runner.summarise_run`
and the calibration statistics run unchanged on it."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from types import SimpleNamespace

import numpy as np
import pandas as pd

from leverage_sim.scenario.schema import Scenario
from leverage_sim.simulation import event_text
from leverage_sim.simulation.event_log import EventColumns, EventLog
from leverage_sim.simulation.fastpath import layout as L
from leverage_sim.simulation.model import LeverageModel


class FastLog:
    """The event log of a fast run: ``counts`` and ``totals`` (as :class:`EventLog`'s) at once;
    the rows and their detail texts (:func:`leverage_sim.simulation.event_text.render`) when asked."""

    def __init__(self, start_date: dt.date, rows: np.ndarray, strings: list[str],
                 force: str) -> None:
        self.start_date = start_date
        self.force = force
        self._rows = rows
        self._strings = strings
        actions = rows[:, 2].astype(np.int64)
        counts = np.bincount(actions, minlength=len(L.ACTIONS)).tolist()
        totals = np.bincount(actions, weights=rows[:, 4], minlength=len(L.ACTIONS)).tolist()
        self.counts: Counter[str] = Counter(
            {a: c for a, c in zip(L.ACTIONS, counts, strict=True) if c})
        self.totals: Counter[str] = Counter(
            {a: t for a, t, c in zip(L.ACTIONS, totals, counts, strict=True) if c})

    @cached_property
    def event_log(self) -> EventLog:
        """The log as the agent path's :class:`EventLog` (texts rendered)."""
        log = EventLog(self.start_date)
        names = self._strings
        for day, actor, action, target, value, kind, a, b, c in self._rows.tolist():
            log.add(int(day), names[int(actor)], L.ACTIONS[int(action)],
                    None if target < 0 else names[int(target)],
                    event_text.render(int(kind), (a, b, c), names, self.force), value)
        return log

    def columns(self) -> EventColumns:
        """The log as :class:`EventColumns` (the rows' codes as they are: no texts, no
        DataFrame)."""
        rows, names = self._rows, self._strings
        codes = rows[:, :4].astype(np.int64)
        actor, target = codes[:, 1], codes[:, 3]
        if len(set(names)) < len(names):  # a text twice in the table: one code per text
            first: dict[str, int] = {}
            canon = np.array([first.setdefault(t, i) for i, t in enumerate(names)] + [-1])
            actor, target = canon[actor], canon[target]
        return EventColumns(self.start_date, codes[:, 0], codes[:, 2], actor, target,
                            rows[:, 4], L.ACTIONS, names)

    @property
    def rows(self) -> list[tuple[int, str, str, str | None, str, float]]:
        return self.event_log.rows

    def count_by_actor(self, action: str) -> Counter[str]:
        return self.event_log.count_by_actor(action)

    def frame(self) -> pd.DataFrame:
        """The log as :meth:`EventLog.frame` makes it (the same frame), built column by
        column from the codes (the texts rendered as by :attr:`event_log`)."""
        rows, names = self._rows, np.array([*self._strings, None], dtype=object)
        if not len(rows):
            return self.event_log.frame()
        codes = rows[:, :4].astype(np.int64)
        detail = [event_text.render(int(kind), (a, b, c), self._strings, self.force)
                  for kind, a, b, c in rows[:, 5:].tolist()]
        df = pd.DataFrame({"day": codes[:, 0], "actor": names[codes[:, 1]],
                           "action": np.array(L.ACTIONS, dtype=object)[codes[:, 2]],
                           "target": names[codes[:, 3]], "detail": detail, "value": rows[:, 4]})
        dates = {d: self.start_date + dt.timedelta(days=d) for d in np.unique(codes[:, 0]).tolist()}
        df.insert(1, "date", pd.to_datetime([dates[d] for d in codes[:, 0].tolist()]))
        return df


@dataclass
class FastStandoff:
    """What the summaries read of a standoff."""

    muster: int
    allied_fighters: int
    outcome: str | None
    operation: bool


class FastRun:
    """A finished fast-path run of ``spec`` (see the module docstring)."""

    mean_autonomy = LeverageModel.mean_autonomy  # the same reporter as the agent path's

    def __init__(self, spec: Scenario, w: np.ndarray, m: np.ndarray, events: np.ndarray,
                 standoffs: np.ndarray, strings: list[str]) -> None:
        self.spec = spec
        self.day = spec.horizon_days
        self.log = FastLog(spec.start_date, events, strings, spec.foreign_forces.label)
        self.standoffs = [FastStandoff(int(s[L.S_MUSTER]), int(s[L.S_ALLIED]),
                                       None if s[L.S_OUTCOME] < 0
                                       else L.OUTCOME_NAMES[int(s[L.S_OUTCOME])],
                                       bool(s[L.S_OPERATION]))
                          for s in standoffs.tolist()]
        self.government = SimpleNamespace(
            authority=float(w[L.AUTHORITY]), coalition_support=float(w[L.COALITION]),
            backing_belief=SimpleNamespace(mean=float(w[L.GB_MEAN])))
        self.militias = [SimpleNamespace(autonomy=float(a),
                                         backing_belief=SimpleNamespace(mean=float(b)))
                         for a, b in zip(m[:, L.M_AUTONOMY], m[:, L.MB_MEAN], strict=True)]
        self.foreign_force = SimpleNamespace(
            casualties=int(w[L.CASUALTIES]), presence=int(w[L.PRESENCE]),
            withdrawal_day=None if w[L.WITHDRAWAL_DAY] < 0 else int(w[L.WITHDRAWAL_DAY]))
