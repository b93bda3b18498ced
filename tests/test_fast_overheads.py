"""What the fast path and calibration do around the simulation, made cheaper, gives the same
values: the generator's seeding, the statistics on event columns, the lazily built summary
tables and the particles' scenarios (no timing here: docs/performance.md)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

import leverage_sim as ls
from leverage_sim.calibration import statistics as st
from leverage_sim.calibration.config import load_calibration
from leverage_sim.calibration.episodes import load_episode
from leverage_sim.scenario.loader import with_checked_numbers
from leverage_sim.simulation import fastpath
from leverage_sim.simulation.event_log import EventColumns, EventLog
from leverage_sim.simulation.fastpath.result import FastLog
from leverage_sim.simulation.fastpath.seeding import pcg64_state
from leverage_sim.simulation.runner import (
    RunTables,
    SummaryTables,
    release,
    simulate,
    summarise_run,
)


# ---- seeding ------------------------------------------------------------------------------------
def test_seeding_is_numpys_pcg64_state():
    edge = [0, 1, 2, 12345, 2**31, 2**32 - 1, 2**32, 2**32 + 1, 2**63 - 1, 2**63, 2**64 - 1]
    rng = np.random.default_rng(3)
    for seed in edge + rng.integers(0, 2**63, 500).tolist() + rng.integers(0, 2**32, 200).tolist():
        assert pcg64_state(seed) == np.random.PCG64(seed).state, seed
    for seed in (2**64, 2**100 + 7):  # beyond 64 bits: NumPy's own
        assert pcg64_state(seed) == np.random.PCG64(seed).state


def test_seeded_generator_draws_default_rngs_stream():
    for seed in (0, 7, 2**40 + 3, 2**64 - 1):
        expected = np.random.default_rng(seed)
        got = fastpath.seeded_generator(seed)
        assert got.random(5).tolist() == expected.random(5).tolist()
        assert got.poisson(2.5, 5).tolist() == expected.poisson(2.5, 5).tolist()


# ---- statistics on event columns ------------------------------------------------------------------
def _reference(name: str, events: pd.DataFrame, summary: dict, args: dict) -> float:
    """The statistics as they were computed before the event columns: pandas string columns,
    ``np.isin`` and datetime64[ns] dates (kept here to show the columns change nothing)."""

    def select(action, actor=None, target=None, exclude_targets=(), start=None, end=None,
               min_value=None):
        mask = events["action"].to_numpy() == action
        if actor is not None:
            mask &= events["actor"].to_numpy() == actor
        if target is not None:
            mask &= events["target"].to_numpy() == target
        if exclude_targets:
            mask &= ~np.isin(events["target"].to_numpy(), list(exclude_targets))
        dates = events["date"].to_numpy()
        if start is not None:
            mask &= dates >= np.datetime64(pd.Timestamp(start))
        if end is not None:
            mask &= dates <= np.datetime64(pd.Timestamp(end))
        if min_value is not None:
            mask &= events["value"].to_numpy() >= min_value
        return mask

    values, days = events["value"].to_numpy(), events["day"].to_numpy()
    a = dict(args)
    if name == "count":
        return float(select(**a).sum())
    if name == "total":
        return float(values[select(**a)].sum())
    if name == "largest":
        v = values[select(**a)]
        return float(v.max()) if len(v) else 0.0
    if name == "occurred":
        return float(select(**a).sum() > 0)
    if name == "share_in_window":
        ex = a.get("exclude_targets", ())
        whole = select(a["action"], exclude_targets=ex, start=a["start"], end=a["end"]).sum()
        part = select(a["action"], exclude_targets=ex, start=a["window_start"],
                      end=a["window_end"]).sum()
        return float(part) / float(whole) if whole else 0.0
    if name == "followed_by":
        triggers = days[select(a["action"], start=a.get("start"), end=a.get("end"),
                               min_value=a.get("min_value", 0.0))]
        if len(triggers) == 0:
            return 1.0
        answers = days[events["action"].to_numpy() == a["response"]]
        return float(sum(((answers >= d) & (answers <= d + a["within_days"])).any()
                         for d in triggers)) / len(triggers)
    if name == "days_until":
        dates = events["date"].to_numpy()[select(a["action"], a.get("actor"), a.get("target"),
                                                 (), a["after"], a.get("end"))]
        if not len(dates):
            return float(a.get("cap", 365))
        return float(min(a.get("cap", 365),
                         (pd.Timestamp(dates.min()) - pd.Timestamp(a["after"])).days))
    return float(summary[args["column"]])


@pytest.mark.parametrize("episode", ["june_2020_raid", "attacks_2020", "muslih_2021",
                                     "basra_2008"])
def test_statistics_on_columns_equal_the_pandas_ones(episode):
    """Every fact of every episode, on both paths' runs and on plain frames, equals the pandas
    computation, for several seeds and stressed parameters (more events of every kind)."""
    ep = load_episode(episode)
    for overrides in ({}, {"government.raid_rate": 0.08, "militias[KH].attack_rate": 1.0}):
        try:
            scenario = ep.scenario(overrides)
        except ls.InputError:
            scenario = ep.scenario()
        for seed in range(4):
            fast = fastpath.simulate(scenario, seed)
            agent = simulate(scenario, seed, collect_data=False)
            tables = [SummaryTables(fast, seed, 0), SummaryTables(agent, seed, 0)]
            frame = tables[1].events
            tables.append(RunTables(pd.DataFrame(), pd.DataFrame(), frame, tables[1].summary))
            for f in ep.spec.facts:
                want = _reference(f.statistic, frame, tables[1].summary, f.arguments)
                got = [st.compute(f.statistic, t, f.arguments) for t in tables]
                assert got == [want] * 3 or (math.isnan(want) and all(map(math.isnan, got))), \
                    (episode, f.name, seed, got, want)
            release(agent)


def test_summary_tables_are_the_frames_they_replace(replay):
    run = fastpath.simulate(replay, 5)
    tables = SummaryTables(run, 5, 3)
    expected = run.log.frame()
    expected.insert(0, "replication", 3)
    pd.testing.assert_frame_equal(tables.events, expected)
    assert tables.summary == summarise_run(run, 5, 3)
    assert tables.timeseries.empty and tables.militias.empty


def test_event_columns_give_one_code_per_text():
    """A text twice in the fast path's string table (a site named like a militia) still
    matches every row that names it."""
    strings = ["government", "foreign_forces", "a", "b", "c", "KH", "bases", "KH"]
    rows = np.array([[1, 5, 10, 6, 1.0, 0, 0, 0, 0], [2, 7, 10, 3, 2.0, 0, 0, 0, 0],
                     [3, 0, 12, 7, 0.0, 0, 0, 0, 0]], dtype=float)
    cols = FastLog(dt.date(2020, 1, 1), rows, strings, "US").columns()
    tables = RunTables(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), {})
    tables.event_columns = cols
    assert st.count(tables, "attack", actor="KH") == 2
    assert st.count(tables, "strike", target="KH") == 1
    assert st.count(tables, "attack", exclude_targets=["bases"]) == 1


def test_event_log_columns_match_its_frame():
    log = EventLog(dt.date(2020, 1, 1))
    log.add(0, "KH", "attack", "bases", "x", 1)
    log.add(3, "government", "raid", "KH", "y", 14)
    log.add(3, "foreign_forces", "withdrawal", None, "z", 0)
    a, b = log.columns(), EventColumns.from_frame(log.frame())
    for x, y in ((a, b), (b, a)):
        assert [x.names[i] if i >= 0 else None for i in x.actor] == \
            [y.names[i] if i >= 0 else None for i in y.actor]
        assert [x.names[i] if i >= 0 else None for i in x.target] == \
            [y.names[i] if i >= 0 else None for i in y.target]
        assert [x.actions[i] for i in x.action] == [y.actions[i] for i in y.action]
    assert (a.dates == b.dates).all() and (a.value == b.value).all()


# ---- particles' scenarios -----------------------------------------------------------------------
def test_particle_scenarios_equal_the_validated_ones():
    cal = load_calibration("calibration/default.yaml")
    rng = np.random.default_rng(5)
    for _ in range(25):
        values = {p.path: p.cast(p.prior.low + rng.random() * (p.prior.high - p.prior.low))
                  for p in cal.parameters}
        for ep in cal.episodes:
            mine = ep.applicable(values)  # a militia's parameters reach its episodes only
            fast = ep.scenario_with(mine)
            assert fast == ep.scenario(mine)
            assert fast.model_dump() == ep.scenario(mine).model_dump()


def test_checked_numbers_leave_to_full_validation_what_they_cannot_vouch_for(replay):
    assert with_checked_numbers(replay, {"government.prior_backing": 0.4}) == \
        ls.load_scenario(replay, {"government.prior_backing": 0.4})
    assert with_checked_numbers(replay, {"militias[0].autonomy": 0.6}) == \
        ls.load_scenario(replay, {"militias[0].autonomy": 0.6})
    kh = next(m for m in replay.militias if m.name == "KH")
    for values in ({"militias[KH].local_fighters": kh.fighters + 1},  # a rule across fields
                   {"horizon_days": 30},  # a top-level field
                   {"government.nope": 1.0}, {"militias[XX].autonomy": 0.5},
                   {"militias[KH].fighters": 1.5},  # not its field's type
                   {"government.prior_backing": math.nan}, {"government.prior_backing": True}):
        assert with_checked_numbers(replay, values) is None, values
    assert replay.militias[0].autonomy != 0.6  # the base is left as it was


def test_checked_numbers_set_a_scripted_event_s_figure_as_full_validation_does():
    """An operation's figure (the fitted sanctuary, its days) is set without validating the
    scenario again, to the scenario a full validation gives; a figure of the wrong type, one
    the action does not have, a ``set``'s figures and a figure breaking its event's rules
    (more commanders than arrests) are left to full validation."""
    najaf, replay = ls.load_scenario("najaf_2004"), ls.load_scenario("june_2020_replay")
    for values in ({"events[najaf_operation].figures.sanctuary": 0.8},
                   {"events[najaf_operation].figures.days": 3,
                    "government.prior_backing": 0.4}):
        assert with_checked_numbers(najaf, values) == ls.load_scenario(najaf, values), values
    assert next(e for e in najaf.events if e.name == "najaf_operation").figures[
        "sanctuary"] == 0.5  # the base is left as it was
    for base, values in ((najaf, {"events[najaf_operation].figures.days": 3.5}),
                         (najaf, {"events[najaf_operation].figures.nope": 1.0}),
                         (najaf, {"events[sistani_mediation].figures.sanctuary": 0.5}),
                         (replay, {"events[ct_raid].figures.commanders": 15})):
        assert with_checked_numbers(base, values) is None, values
    assert with_checked_numbers(replay, {"events[ct_raid].figures.commanders": 3}) == \
        ls.load_scenario(replay, {"events[ct_raid].figures.commanders": 3})


def test_calibration_checks_particles_in_full_outside_the_priors(monkeypatch):
    from leverage_sim.calibration.episodes import LoadedEpisode
    from leverage_sim.calibration.simulator import EpisodeSimulator
    from leverage_sim.simulation import replication

    cal = load_calibration("calibration/default.yaml")
    sim = EpisodeSimulator(cal, 1, "fast")
    inside = {p.path: (p.prior.low + p.prior.high) / 2 for p in cal.parameters}
    assert sim.within_priors(inside)
    outside = {**inside, cal.parameters[0].path: cal.parameters[0].prior.high * 2}
    assert not sim.within_priors(outside)
    full = []
    monkeypatch.setattr(replication, "with_checked_numbers",
                        lambda *a: pytest.fail("outside the priors, validated in full"))
    original = LoadedEpisode.scenario
    monkeypatch.setattr(LoadedEpisode, "scenario",
                        lambda self, v=None: (full.append(1) if v else None) or original(self, v))
    try:
        sim(outside, 1)
    except ls.InputError:
        pass  # out of the schema's range: refused as before
    assert full


def test_the_lean_copy_is_pydantics_model_copy(replay):
    """``with_checked_numbers`` copies sections without pydantic's generic copies: the same
    object as ``model_copy(update=...)`` (fields, fields set, extra, private), its own dict and
    fields set, assignments still validated, the original left as it was."""
    from leverage_sim.scenario.loader import _copy

    for node, field, value in ((replay, "horizon_days", 60),
                               (replay.government, "resolve", 0.25),
                               (replay.militias[0], "attack_rate", 0.5),
                               (replay.foreign_forces.sites[0], "lethality", 0.3)):
        before = getattr(node, field)
        ours, theirs = _copy(node, {field: value}), node.model_copy(update={field: value})
        assert type(ours) is type(theirs) and ours == theirs
        assert ours.__dict__ == theirs.__dict__
        assert ours.model_fields_set == theirs.model_fields_set
        assert ours.__pydantic_extra__ == theirs.__pydantic_extra__
        assert ours.__pydantic_private__ == theirs.__pydantic_private__
        assert ours.__dict__ is not node.__dict__
        assert ours.model_fields_set is not node.model_fields_set
        with pytest.raises(ValueError):
            setattr(ours, field, "many")
        assert getattr(node, field) == before
