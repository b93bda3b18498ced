"""The split of a fight's dead by weapon (mechanism 8, step 2): each part of the government
side's strength accounts for its share of the militia's dead, and the foreign force's air power
is logged as the ``air_support`` event — what a record that splits a fight's dead by weapon
(Sadr City 2008's Hellfire tally, ``episodes/sadr_city_2008.yaml``) is compared with through the
``share_of_total`` statistic. One test per link: the attribution's formula, the air part of
``U``, the step-in gate, and the direction of each of the lever's parts."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import leverage_sim as ls
from leverage_sim.calibration import statistics
from leverage_sim.simulation import fastpath
from leverage_sim.simulation.mechanisms import backing, operation
from leverage_sim.simulation.runner import release, simulate

SEEDS = range(40)


def test_a_part_accounts_for_its_share_of_the_dead():
    assert operation.attributed_losses(10, 2.0, 8.0) == pytest.approx(2.5)
    assert operation.attributed_losses(10, 0.0, 8.0) == 0.0
    assert operation.attributed_losses(10, 2.0, 0.0) == 0.0
    assert operation.attributed_losses(0, 2.0, 8.0) == 0.0


def test_the_air_part_of_U_is_the_air_support_the_troops_can_direct():
    for presence in (0, 1, 500, 5200, 162000):
        ground = presence * 0.2 * 3.0
        air = backing.us_air_strength(presence, 2000.0)
        assert air == pytest.approx(2000.0 * backing.air_support_share(presence))
        assert backing.us_standoff_strength(presence, 0.2, 3.0, 2000.0) == pytest.approx(
            ground + air if presence > 0 else 0.0)
    assert backing.us_air_strength(0, 2000.0) == 0.0
    assert backing.us_air_strength(500, 2000.0) == pytest.approx(1000.0)


def sadr_city(**overrides: float) -> ls.Scenario:
    return ls.load_scenario("sadr_city_2008", {"foreign_forces.backing": 1.0, **overrides})


def air_share(scenario: ls.Scenario, seeds=SEEDS) -> float:
    """The air share of the fight's dead over ``seeds`` (pooled: air's dead over all dead)."""
    air = dead = 0.0
    for seed in seeds:
        rows = fastpath.simulate(scenario, seed).log.rows
        air += sum(r[5] for r in rows if r[2] == "air_support")
        dead += sum(r[5] for r in rows if r[2] == "fighting")
    assert dead > 0
    return air / dead


def test_air_support_is_logged_only_on_days_of_fighting_after_the_step_in():
    """Each ``air_support`` event: the foreign force's, on a day of fighting of the same militia
    on or after its step-in, for a share of that day's dead (never more)."""
    seen = 0
    for seed in range(12):
        model = simulate(sadr_city(), seed, collect_data=False)
        rows = model.log.rows
        fights = {(r[0], r[3]): r[5] for r in rows if r[2] == "fighting"}
        stepped_in = min((r[0] for r in rows if r[2] == "backing"), default=None)
        for day, actor, action, target, _, value in rows:
            if action != "air_support":
                continue
            seen += 1
            assert actor == "foreign_forces"
            assert stepped_in is not None and day >= stepped_in
            assert 0 < value <= fights[(day, target)]
        release(model)
    assert seen > 0


def test_no_air_support_without_a_step_in_or_without_air_power():
    for overrides in ({"foreign_forces.backing": 0.0}, {"foreign_forces.air_support": 0.0}):
        scenario = sadr_city(**overrides)
        fought = 0
        for seed in range(12):
            rows = fastpath.simulate(scenario, seed).log.rows
            fought += any(r[2] == "fighting" for r in rows)
            assert not any(r[2] == "air_support" for r in rows), (overrides, seed)
        assert fought > 0


def test_air_share_rises_with_air_support_and_falls_with_what_ground_troops_are_worth():
    """The two parts of what stepping in adds pull the split apart (common seeds): more air
    power, a larger share; soldiers worth more, a smaller one (the link that lets a split by
    weapon tell them apart)."""
    low, high = (air_share(sadr_city(**{"foreign_forces.air_support": a})) for a in (2000, 15000))
    assert high > low + 0.1, (low, high)
    weak, strong = (air_share(sadr_city(**{"foreign_forces.ground_multiplier": g}))
                    for g in (1.0, 6.0))
    assert weak > strong + 0.05, (weak, strong)


def test_air_power_needs_troops_in_country_to_count():
    """No US soldier in the fight (standoff_share 0), air power only: with 200 troops in
    country it counts for 29% of itself, with 5,000 for 91%."""
    air_only = {"foreign_forces.standoff_share": 0.0, "foreign_forces.air_support": 15000.0}
    few, many = (air_share(sadr_city(**air_only, **{"foreign_forces.presence": n}))
                 for n in (200, 5000))
    assert many > few + 0.1, (few, many)


def _tables(rows: list[tuple[int, str, str, str, float]]) -> object:
    start = dt.date(2008, 3, 24)
    events = pd.DataFrame([{"day": d, "date": pd.Timestamp(start + dt.timedelta(days=d)),
                            "actor": a, "action": act, "target": t, "detail": "", "value": v}
                           for d, a, act, t, v in rows])
    return type("Tables", (), {"events": events, "summary": {}})()


def test_share_of_total_is_the_part_over_the_whole_in_its_window():
    tables = _tables([(1, "government", "fighting", "JAM", 10.0),
                      (1, "foreign_forces", "air_support", "JAM", 2.5),
                      (2, "government", "fighting", "JAM", 30.0),
                      (2, "foreign_forces", "air_support", "JAM", 7.5),
                      (3, "government", "fighting", "KH", 40.0),
                      (9, "government", "fighting", "JAM", 60.0)])
    args = {"action": "air_support", "of_action": "fighting", "target": "JAM",
            "start": dt.date(2008, 3, 25), "end": dt.date(2008, 3, 30)}
    assert statistics.compute("share_of_total", tables, args) == pytest.approx(10 / 40)
    assert statistics.compute("share_of_total", tables, {**args, "end": None}) == (
        pytest.approx(10 / 100))
    empty = {**args, "target": "AAH"}
    assert statistics.compute("share_of_total", tables, empty) == 0.0
    assert statistics.value_limits("share_of_total", args) == (0.0, 1.0)


def test_the_sadr_city_fact_reads_the_model_split():
    """The held-out fact's statistic on a run equals the run's own air share of its dead."""
    from leverage_sim.calibration.episodes import load_episode

    episode = load_episode("sadr_city_2008")
    fact = next(f for f in episode.spec.facts if f.name == "air_share_of_deaths")
    model = simulate(sadr_city(), 4, collect_data=False)
    rows = model.log.rows
    dead = sum(r[5] for r in rows if r[2] == "fighting")
    air = sum(r[5] for r in rows if r[2] == "air_support")
    tables = type("Tables", (), {"events": model.log.frame(), "summary": {}})()
    assert dead > 0
    assert statistics.compute(fact.statistic, tables, fact.arguments) == pytest.approx(
        air / dead)
    assert np.isfinite(air) and air > 0
    release(model)
