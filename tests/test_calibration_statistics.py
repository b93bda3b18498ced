"""Each calibration statistic on hand-made event tables (no model run)."""

from __future__ import annotations

import pandas as pd
import pytest

from leverage_sim.calibration import statistics as st
from leverage_sim.errors import InputError
from leverage_sim.simulation.runner import RunTables

ROWS = [  # day, date, actor, action, target, value
    (0, "2020-01-01", "KH", "attack", "bases", 1.0),
    (2, "2020-01-03", "foreign_forces", "strike", "KH", 20.0),
    (10, "2020-01-11", "AAH", "attack", "convoys", 0.0),
    (40, "2020-02-10", "KH", "attack", "embassy", 2.0),
    (41, "2020-02-11", "KH", "muster", "government", 140.0),
    (41, "2020-02-11", "AAH", "muster", "government", 30.0),
    (60, "2020-03-01", "Nujaba", "attack", "bases", 0.0),
    (61, "2020-03-02", "government", "release", "government", 13.0),
]


def event_tables(rows: list[tuple], summary: dict | None = None) -> RunTables:
    """A run's tables holding only the events ``rows`` (day, date, actor, action, target,
    value) and the ``summary``."""
    ev = pd.DataFrame(rows, columns=["day", "date", "actor", "action", "target", "value"])
    ev["date"] = pd.to_datetime(ev["date"])
    ev.insert(5, "detail", "")
    return RunTables(pd.DataFrame(), pd.DataFrame(), ev, summary or {})


@pytest.fixture
def tables() -> RunTables:
    return event_tables(ROWS, {"us_withdrawn": False, "withdrawal_day": -1, "attacks": 4})


def test_count_filters(tables: RunTables) -> None:
    assert st.count(tables, "attack") == 4
    assert st.count(tables, "attack", actor="KH") == 2
    assert st.count(tables, "attack", target="bases") == 2
    assert st.count(tables, "attack", exclude_targets=["convoys"]) == 3
    assert st.count(tables, "attack", start="2020-01-02", end="2020-02-10") == 2
    assert st.count(tables, "attack", min_value=1) == 2
    assert st.count(tables, "clash") == 0


def test_total_largest_occurred(tables: RunTables) -> None:
    assert st.total(tables, "attack") == 3.0
    assert st.total(tables, "release", end="2020-03-01") == 0.0
    assert st.total(tables, "release") == 13.0
    assert st.largest(tables, "muster") == 140.0
    assert st.largest(tables, "muster", actor="AAH") == 30.0
    assert st.largest(tables, "clash") == 0.0
    assert st.occurred(tables, "muster", start="2020-02-11", end="2020-02-11") == 1.0
    assert st.occurred(tables, "muster", end="2020-02-10") == 0.0


def test_share_in_window(tables: RunTables) -> None:
    share = st.share_in_window(tables, "attack", start="2020-01-01", end="2020-03-31",
                               window_start="2020-02-01", window_end="2020-03-31",
                               exclude_targets=["convoys"])
    assert share == pytest.approx(2 / 3)
    assert st.share_in_window(tables, "clash", "2020-01-01", "2020-12-31", "2020-02-01",
                              "2020-03-01") == 0.0


def test_followed_by(tables: RunTables) -> None:
    # fatal attacks: day 0 (strike on day 2: answered) and day 40 (never answered)
    assert st.followed_by(tables, "attack", "strike", within_days=3, min_value=1) == 0.5
    assert st.followed_by(tables, "attack", "strike", within_days=1, min_value=1) == 0.0
    assert st.followed_by(tables, "attack", "strike", within_days=3, min_value=1,
                          end="2020-01-31") == 1.0
    assert st.followed_by(tables, "attack", "strike", 3, min_value=5) == 1.0  # none to answer


def test_days_until_and_summary(tables: RunTables) -> None:
    assert st.days_until(tables, "release", after="2020-02-11") == 20.0
    assert st.days_until(tables, "release", after="2020-03-03", cap=40) == 40.0
    assert st.days_until(tables, "release", after="2020-02-11", end="2020-03-02") == 20.0


def test_days_until_counts_no_event_after_its_end(tables: RunTables) -> None:
    """An event after ``end`` (a later, unrelated raid) does not count: the fact reads as the
    cap (never), as ``end`` closes the other statistics' windows."""
    assert st.days_until(tables, "release", after="2020-02-11", end="2020-03-01", cap=40) == 40.0
    assert st.days_until(tables, "attack", actor="KH", after="2020-01-02",
                         end="2020-02-09", cap=30) == 30.0
    st.check_arguments("days_until", {"action": "release", "after": "2020-02-11",
                                      "end": "2020-03-01"})
    assert st.check_values("days_until", {"action": "release", "after": "2020-02-11",
                                          "end": "2020-02-01"}, [], []) == [
        "after 2020-02-11 is after end 2020-02-01"]
    assert st.summary_value(tables, "us_withdrawn") == 0.0
    assert st.summary_value(tables, "attacks") == 4.0
    with pytest.raises(InputError, match="no column 'nope'"):
        st.summary_value(tables, "nope")


def test_days_until_counts_to_the_first_event(tables: RunTables) -> None:
    """``days_until`` is the wait for the first matching event on or after ``after``: KH
    attacks on days 0 and 40, so from 2020-01-01 it is 0 days (not the 40 to the last)."""
    assert st.days_until(tables, "attack", actor="KH", after="2020-01-01") == 0.0
    assert st.days_until(tables, "attack", after="2020-01-05") == 6.0  # AAH, day 10


def test_followed_by_counts_a_response_on_the_windows_last_day(tables: RunTables) -> None:
    """``within_days`` includes its last day: the strike on day 2 answers the fatal attack of
    day 0 within 2 days (one of the two fatal attacks answered), not within 1."""
    assert st.followed_by(tables, "attack", "strike", within_days=2, min_value=1) == 0.5
    assert st.followed_by(tables, "attack", "strike", within_days=1, min_value=1) == 0.0


def test_share_in_window_leaves_the_excluded_targets_out_of_both_counts(
        tables: RunTables) -> None:
    """``exclude_targets`` filters the window's count as well as the whole period's: of the
    three attacks of January-March not on convoys, one (day 0) falls in January — a share of
    1/3 (the January attack on convoys is left out of both; counted in the window only, the
    share would be 2/3)."""
    share = st.share_in_window(tables, "attack", start="2020-01-01", end="2020-03-31",
                               window_start="2020-01-01", window_end="2020-01-31",
                               exclude_targets=["convoys"])
    assert share == pytest.approx(1 / 3)


def test_occurred_counts_only_the_named_actor(tables: RunTables) -> None:
    """``occurred`` with an ``actor`` is 1 only if that actor did it: AAH attacked only on day
    10, so none from February (KH's attack of 10 February does not count), and Nujaba never
    mustered."""
    assert st.occurred(tables, "attack", actor="AAH", start="2020-02-01") == 0.0
    assert st.occurred(tables, "attack", actor="KH", start="2020-02-01") == 1.0
    assert st.occurred(tables, "muster", actor="Nujaba") == 0.0


def test_registry_names_and_checks_arguments() -> None:
    assert st.compute("count", _empty(), {"action": "attack"}) == 0.0
    with pytest.raises(InputError, match="Did you mean 'count'"):
        st.get("cont")
    with pytest.raises(InputError, match="Statistic 'count'.*takes: action"):
        st.check_arguments("count", {"actoin": "attack"})
    st.check_arguments("count", {"action": "attack", "actor": "KH"})


def _empty() -> RunTables:
    ev = pd.DataFrame({c: pd.Series(dtype=t) for c, t in
                       [("day", int), ("date", "datetime64[ns]"), ("actor", str),
                        ("action", str), ("target", str), ("detail", str), ("value", float)]})
    return RunTables(pd.DataFrame(), pd.DataFrame(), ev, {})
