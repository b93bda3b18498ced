"""Named summary statistics of one run, computed from its event log (and summary row).

A fact in an episode file names a statistic and its arguments, e.g. ``count`` with
``{action: attack, exclude_targets: [convoys], start: 2020-01-01, end: 2020-10-22}``. Every
statistic reads only the run's events (one row per action: day, date, actor, action, target,
value) and ``RunTables.summary``, both present in summary-only runs (``collect_data=False``),
so calibration never needs the daily tables. The built-in statistics read the events as
integer NumPy columns (:func:`columns`: a summary-only run's own, without a DataFrame, or made
from ``RunTables.events``); a statistic added with :func:`register` may read either.

Add a statistic with :func:`register`; its keyword arguments are what an episode may pass, and
:func:`check_arguments` rejects any other with a clear message.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import inspect
import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from leverage_sim.errors import InputError
from leverage_sim.scenario.limits import is_finite_number
from leverage_sim.simulation.event_log import EventColumns
from leverage_sim.simulation.runner import RunTables

Statistic = Callable[..., float]
STATISTICS: dict[str, Statistic] = {}


def register(fn: Statistic) -> Statistic:
    """Register ``fn`` under its name: ``fn(tables, **arguments) -> float``."""
    STATISTICS[fn.__name__] = fn
    return fn


def get(name: str) -> Statistic:
    """The statistic called ``name``; an :class:`InputError` naming the known ones if none."""
    if name in STATISTICS:
        return STATISTICS[name]
    close = difflib.get_close_matches(name, STATISTICS, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    raise InputError(f"Unknown statistic '{name}'.{hint} Known statistics: "
                     f"{', '.join(sorted(STATISTICS))} (`leverage-sim statistics` lists their "
                     "arguments and the actions they count).")


def check_arguments(name: str, arguments: dict[str, Any]) -> None:
    """Raise :class:`InputError` if ``arguments`` do not fit statistic ``name``'s signature."""
    try:
        inspect.signature(get(name)).bind(None, **arguments)
    except TypeError as e:
        raise InputError(f"Statistic '{name}': {e}. It takes: "
                         f"{', '.join(arguments_of(name))}.") from None


ACTIONS = {
    "attack": "a militia attacks a site of the foreign force; value: the foreign force's dead",
    "backing": "the foreign force steps in to a standoff or fight (target: the militia); "
               "value 1",
    "ceasefire": "a brokered ceasefire takes hold in a militia's fight (actor: the patron, or "
                 "a scripted mediator); value: the militia's chance in the fight",
    "clash": "a standoff's muster turns into an armed clash (actor: the militia); value: the "
             "government's chance in it",
    "comply": "a militia yields to a raid, or stands down at an operation's opening (no "
              "fight); value: its believed chance against the government (stand-down) or 0",
    "defection": "the government's troops desert or refuse in a day of fighting; value: the "
                 "deserters",
    "deploy_defence": "a site's interception chance changes (scripted); value: the new chance",
    "drawdown": "the foreign force withdraws some troops; value: the troops withdrawn",
    "expulsion_vote": "parliament votes to expel the foreign force; value: the pressure that "
                      "brought it",
    "fighting": "a day of a fight (operation or clash; target: the militia); value: the dead "
                "on both sides that day",
    "hold_firm": "the government wins a standoff or fight (the militia disperses, stands "
                 "down or leaves the streets; target: the militia); value 1",
    "interception": "an attack on a site is intercepted (actor: the foreign force); value 1",
    "killed_by_air": "the militia's dead of a day of fighting that the foreign force's air "
                     "power accounts for, its share of the government side's strength (actor: "
                     "the foreign force; target: the militia; logged when above 0); value: "
                     "those dead (an expected count, not a whole number)",
    "muster": "a militia musters fighters against a raid, or joins another's muster or fight; "
              "value: the fighters",
    "operation": "the government opens an operation (scripted; target: the militia); value: "
                 "the troops that fight",
    "public_threat": "a militia threatens the government publicly; value: the pressure",
    "raid": "the government raids a militia; value: the members arrested",
    "redeploy": "the foreign force moves troops out of reach of attacks; value: the troops",
    "release": "detainees are released (actor: their militia); value: the number released",
    "relent": "the government gives way in a standoff or halts a fight (target: the "
              "militia); value: the detainees handed over (0 in an operation)",
    "set": "a scripted change of parameters; value 0",
    "skipped": "a scripted action that could not be carried out (the foreign force had no "
               "troops in the country; a backing or mediation with nothing open to act in); "
               "value 0",
    "standoff": "a day on which the government holds a standoff for now; value: the muster "
                "(on its opening day) or its believed chance",
    "strike": "the foreign force strikes a militia (target: the militia); value: the "
              "militia's dead",
    "talks": "the patron, or a scripted mediator, opens ceasefire talks in a militia's fight; "
             "value: the militia's chance",
    "truce": "a truce (scripted, or ordered by the patron); value: the instigation it sets",
    "withdrawal": "the foreign force leaves the country; value: the troops withdrawn",
}
"""Every action the model writes to the event log (a test reads the model's source for them),
with what one event of it is and what its ``value`` holds: what ``leverage-sim statistics``
lists for writing an episode's facts."""
LOGGED_ACTIONS = tuple(ACTIONS)
"""The actions' names (the values an ``action`` or ``response`` argument may take)."""
STATE_ACTORS = ("government", "patron", "foreign_forces", "mediator")
"""Actors in the event log besides the militias (named as in the scenario)."""
YES_NO = frozenset({"occurred"})
"""Statistics whose value is 1 (it happened) or 0 (it did not)."""
_ACTION_ARGS = ("action", "response", "of_action")
_DATE_ARGS = ("start", "end", "after", "window_start", "window_end")
_WINDOWS = ((("start", "after"), "end"), (("window_start",), "window_end"))
"""The date arguments that open a window of the run and the one that closes it: ``start`` (or
``after``, ``days_until``'s) to ``end``, ``window_start`` to ``window_end``."""
_DAY_ARGS = ("cap", "within_days")
"""Arguments that are numbers of days."""
_NUMBER_ARGS = ("min_value",)
"""Arguments that are numbers (compared with an event's value)."""
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
SHARES = frozenset({"share_in_window", "share_of_total", "followed_by"})
"""Statistics whose value is a share, 0 to 1."""
WHOLE = frozenset({"count", "occurred", "days_until"})
"""Statistics whose value is a whole number (``days_until``'s cap is one)."""


def value_limits(name: str, arguments: dict[str, Any]) -> tuple[float, float]:
    """The lowest and highest value statistic ``name`` can give with ``arguments``: 0 to 1
    for a share or a yes/no, 0 up for a count, 0 to ``cap`` for ``days_until`` (a fact whose
    range lies outside could never be matched); unbounded for the others."""
    if name in SHARES or name in YES_NO:
        return 0.0, 1.0
    if name == "days_until":
        cap = arguments.get("cap", inspect.signature(days_until).parameters["cap"].default)
        return 0.0, float(cap) if is_finite_number(cap) and cap >= 0 else math.inf
    return (0.0, math.inf) if name == "count" else (-math.inf, math.inf)


def arguments_of(name: str) -> dict[str, Any]:
    """Statistic ``name``'s arguments, each with its default (``inspect.Parameter.empty`` for
    one an episode must give), in the order of its signature."""
    return {p.name: p.default for p in inspect.signature(get(name)).parameters.values()
            if p.name != "tables"}


def value_kind(name: str) -> str:
    """What statistic ``name`` gives: ``yes/no``, ``share`` (0 to 1), ``whole number`` or
    ``number``."""
    return ("yes/no (1 or 0)" if name in YES_NO else "share (0 to 1)" if name in SHARES
            else "whole number" if name in WHOLE else "number")


def as_date(value: Any) -> dt.date | None:
    """A date argument as a date: a YAML date, a datetime (compared by day, as the statistics
    count them) or a text written YYYY-MM-DD; None for anything else (a number such as
    20210526 would be read by pandas as nanoseconds after 1970)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def check_values(name: str, arguments: dict[str, Any], militias: list[str],
                 sites: list[str], days: tuple[dt.date, dt.date] | None = None) -> list[str]:
    """Problems with the values of statistic ``name``'s ``arguments`` in a scenario with these
    ``militias`` and ``sites`` whose run covers ``days`` (first and last date): actions the
    model never logs, unknown actors or targets, dates that are not dates, windows that end
    before they start or lie outside the run, negative numbers of days, a ``days_until`` cap
    past the day after the run's last, summary columns that do not exist. Empty if all fit."""
    from leverage_sim.simulation.outcomes import OUTCOMES
    from leverage_sim.simulation.runner import SUMMARY_COLUMNS

    actors = [*STATE_ACTORS, *militias]
    targets = [*militias, *sites, "government"]
    problems = []

    def check(what: str, value: Any, known: list[str] | tuple[str, ...]) -> None:
        if value not in known:
            close = difflib.get_close_matches(str(value), [str(k) for k in known], n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(f"{what} '{value}' is not one of {', '.join(map(str, known))}"
                            + hint)

    for key in _ACTION_ARGS:
        if key in arguments:
            check(key, arguments[key], LOGGED_ACTIONS)
    if "of_action" in arguments and arguments.get("action") == arguments["of_action"]:
        problems.append(f"action and of_action are both '{arguments['action']}', a total over "
                        "itself (always 1): give the part as action and the whole as of_action")
    if arguments.get("actor") is not None:
        check("actor", arguments["actor"], actors)
    if arguments.get("target") is not None:
        check("target", arguments["target"], targets)
    excluded = arguments.get("exclude_targets", [])
    for t in excluded if isinstance(excluded, list | tuple) else [excluded]:
        check("exclude_targets entry", t, targets)
    dates: dict[str, dt.date] = {}
    for key in _DATE_ARGS:
        value = arguments.get(key)
        if value is not None:
            date = as_date(value)
            if date is None:
                problems.append(f"{key} '{value}' is not a date (write YYYY-MM-DD)")
            else:
                dates[key] = date
    for key in _DAY_ARGS:
        value = arguments.get(key)
        if value is not None and not (is_finite_number(value) and value >= 0
                                      and float(value).is_integer()):
            problems.append(f"{key} {value} must be a whole number of days, 0 or more")
    for key in _NUMBER_ARGS:
        value = arguments.get(key)
        if value is not None and not is_finite_number(value):
            problems.append(f"{key} {value!r} must be a number")
    cap, after = arguments.get("cap"), dates.get("after")
    if name == "days_until" and days is not None and after is not None \
            and days[0] <= after <= days[1] and is_finite_number(cap) \
            and cap > (never := (days[1] - after).days + 1):
        problems.append(f"cap {cap} is more days than the run has after {after}: its last day, "
                        f"{days[1]}, is {never - 1} days on, so a cap of {never} already reads "
                        f"as 'not by the end of the run' (give cap {never} or less: a larger "
                        "one adds nothing, and puts 'never' out of scale with the run's days)")
    if name == "summary_value":
        column = arguments.get("column")
        if column in SUMMARY_COLUMNS and column not in OUTCOMES:  # the run's own id and seed
            problems.append(f"column '{column}' is the run's {column}, not an outcome of the "
                            "model: no parameter can move it toward the record. Give an "
                            f"outcome column ({', '.join(OUTCOMES)})")
        else:
            check("column", column, tuple(OUTCOMES))
    return problems + _window_problems(dates, days)


def _window_problems(dates: dict[str, dt.date], days: tuple[dt.date, dt.date] | None
                     ) -> list[str]:
    """Windows of ``dates`` (the date arguments) that end before they start, or (with the
    run's first and last ``days``) reach outside the run: events the record counts on days the
    run does not simulate could never be matched, so such a window would fit a count that is
    too low, silently."""
    problems = []
    first, last = days or (dt.date.min, dt.date.max)
    for openers, closes in _WINDOWS:
        for opens in [o for o in openers if o in dates] or openers[:1]:
            start, end = dates.get(opens), dates.get(closes)
            if start is not None and end is not None and start > end:
                problems.append(f"{opens} {start} is after {closes} {end}")
                continue
            for key, date in ((opens, start), (closes, end)):
                if date is not None and not first <= date <= last:
                    problems.append(_outside_the_run(key, date, first, last))
    # a share's window lies inside the events it is a share of (or the share could pass 1)
    for key, outer, later in (("window_start", "start", False), ("window_end", "end", True)):
        date, bound = dates.get(key), dates.get(outer)
        if date is not None and bound is not None and (date > bound if later else date < bound):
            where, move = ("after", "on or before") if later else ("before", "on or after")
            problems.append(f"{key} {date} is {where} {outer} {bound}: the window must lie "
                            f"inside start to end, whose events it is a share of (move {key} "
                            f"{move} {bound})")
    return problems


def _outside_the_run(key: str, date: dt.date, first: dt.date, last: dt.date) -> str:
    """Why date argument ``key`` = ``date`` outside the run's ``first`` to ``last`` day is
    refused, and the two ways to fix it."""
    if date < first:
        where, bound, move = "before the scenario's first day", first, "on or after"
        scenario = "start the scenario earlier"
    else:
        where, bound, move = "after the scenario's last day", last, "on or before"
        scenario = f"raise the episode's horizon_days by {(date - last).days}"
    return (f"{key} {date} is {where}: the scenario's days are {first} to {last}, and no "
            f"event outside them can count (move {key} {move} {bound}, or {scenario})")


def compute(name: str, tables: RunTables, arguments: dict[str, Any]) -> float:
    """The value of statistic ``name`` on one run's tables."""
    return float(get(name)(tables, **arguments))


def columns(tables: RunTables) -> EventColumns:
    """The events of ``tables`` as :class:`EventColumns`: the run's own (summary-only runs:
    :func:`leverage_sim.simulation.runner.summary_tables`, no DataFrame) or made from ``tables.events``
    (once per frame)."""
    cols = getattr(tables, "event_columns", None)
    if cols is not None:
        return cols
    events = tables.events
    cached = getattr(tables, "_columns_of", None)
    if cached is None or cached[0] is not events:
        cached = (events, EventColumns.from_frame(events))
        try:
            tables._columns_of = cached
        except AttributeError:  # a frozen or slotted tables object: built each time
            pass
    return cached[1]


@functools.lru_cache(maxsize=256)
def _instant(when: dt.date | str) -> np.datetime64:
    return np.datetime64(pd.Timestamp(when))


def select(events: EventColumns | pd.DataFrame, action: str, actor: str | None = None,
           target: str | None = None, exclude_targets: list[str] | tuple[str, ...] = (),
           start: dt.date | str | None = None, end: dt.date | str | None = None,
           min_value: float | None = None) -> np.ndarray:
    """Boolean mask of the event rows with ``action`` (and ``actor``, ``target``, not in
    ``exclude_targets``, dated ``start`` to ``end`` inclusive, ``value >= min_value``).
    Works on integer codes (:class:`EventColumns`): a statistic costs microseconds, not the
    milliseconds of pandas masks on string columns."""
    ev = events if isinstance(events, EventColumns) else EventColumns.from_frame(events)
    if isinstance(exclude_targets, str):  # one target written alone, not its letters
        exclude_targets = (exclude_targets,)
    mask = ev.action == ev.action_code(action)
    if actor is not None:
        mask &= ev.actor == ev.code(actor)
    if target is not None:
        mask &= ev.target == ev.code(target)
    for excluded in exclude_targets:
        mask &= ev.target != ev.code(excluded)
    if start is not None:
        mask &= ev.dates >= _instant(start)
    if end is not None:
        mask &= ev.dates <= _instant(end)
    if min_value is not None:
        mask &= ev.value >= min_value
    return mask


@register
def count(tables: RunTables, action: str, actor: str | None = None, target: str | None = None,
          exclude_targets: list[str] = (), start: dt.date | None = None,
          end: dt.date | None = None, min_value: float | None = None) -> float:
    """Number of ``action`` events (of those the filters given keep)."""
    return float(select(columns(tables), action, actor, target, exclude_targets, start, end,
                        min_value).sum())


@register
def total(tables: RunTables, action: str, actor: str | None = None, target: str | None = None,
          exclude_targets: list[str] = (), start: dt.date | None = None,
          end: dt.date | None = None) -> float:
    """Sum of ``value`` over ``action`` events (arrests, detainees released, casualties...)."""
    ev = columns(tables)
    return float(ev.value[select(ev, action, actor, target, exclude_targets, start, end)].sum())


@register
def largest(tables: RunTables, action: str, actor: str | None = None,
            target: str | None = None, start: dt.date | None = None,
            end: dt.date | None = None) -> float:
    """Largest ``value`` of an ``action`` event (e.g. fighters in a muster); 0 if none."""
    ev = columns(tables)
    values = ev.value[select(ev, action, actor, target, (), start, end)]
    return float(values.max()) if len(values) else 0.0


@register
def occurred(tables: RunTables, action: str, actor: str | None = None,
             target: str | None = None, start: dt.date | None = None,
             end: dt.date | None = None) -> float:
    """1 if at least one ``action`` event happened (of those the filters given keep), else 0."""
    return float(count(tables, action, actor, target, (), start, end) > 0)


@register
def share_in_window(tables: RunTables, action: str, start: dt.date, end: dt.date,
                    window_start: dt.date, window_end: dt.date,
                    exclude_targets: list[str] = ()) -> float:
    """Share of the ``action`` events from ``start`` to ``end`` that fall from
    ``window_start`` to ``window_end`` (0-1; 0 when there are none), e.g. the Aug-Sep share of
    a year's attacks."""
    whole = count(tables, action, exclude_targets=exclude_targets, start=start, end=end)
    part = count(tables, action, exclude_targets=exclude_targets, start=window_start,
                 end=window_end)
    return part / whole if whole else 0.0


@register
def share_of_total(tables: RunTables, action: str, of_action: str, target: str | None = None,
                   start: dt.date | None = None, end: dt.date | None = None) -> float:
    """The sum of ``value`` over ``action`` events as a share of the sum over ``of_action``
    events (each of ``target``, dated ``start`` to ``end``; 0 when the second is 0; 0 to 1
    when the first action's values are a part of the second's), e.g. the share of a fight's
    dead that the foreign force's air power accounts for (``killed_by_air`` of ``fighting``)."""
    whole = total(tables, of_action, target=target, start=start, end=end)
    return total(tables, action, target=target, start=start, end=end) / whole if whole else 0.0


@register
def followed_by(tables: RunTables, action: str, response: str, within_days: int,
                min_value: float = 0.0, start: dt.date | None = None,
                end: dt.date | None = None) -> float:
    """Share (0-1) of ``action`` events with ``value >= min_value`` followed by a ``response``
    event within ``within_days`` days (e.g. fatal attacks followed by US strikes); 1 when
    there are no such events (nothing went unanswered)."""
    ev = columns(tables)
    triggers = ev.day[select(ev, action, start=start, end=end, min_value=min_value)]
    if len(triggers) == 0:
        return 1.0
    answers = ev.day[ev.action == ev.action_code(response)]
    answered = [((answers >= d) & (answers <= d + within_days)).any() for d in triggers]
    return float(sum(answered)) / len(triggers)


@register
def days_until(tables: RunTables, action: str, after: dt.date, actor: str | None = None,
               target: str | None = None, cap: int = 365, end: dt.date | None = None) -> float:
    """Days from ``after`` to the first ``action`` event on or after it (and on or before
    ``end``, if given: a later event, e.g. of an unrelated raid, does not count); ``cap`` if
    none."""
    ev = columns(tables)
    dates = ev.dates[select(ev, action, actor, target, (), after, end)]
    if not len(dates):
        return float(cap)
    return float(min(cap, (pd.Timestamp(dates.min()) - pd.Timestamp(after)).days))


@register
def summary_value(tables: RunTables, column: str) -> float:
    """A column of the run's summary row (an outcome, ``simulation.outcomes.OUTCOMES``), e.g.
    ``us_withdrawn``."""
    if column not in tables.summary:
        raise InputError(f"Statistic 'summary_value': the run summary has no column "
                         f"'{column}' (it has {', '.join(tables.summary)}).")
    return float(tables.summary[column])
