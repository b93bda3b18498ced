"""The split of a fight's dead by weapon (mechanism 8, step 2): each part of the government
side's strength accounts for its share of the militia's dead, and the foreign force's air power
is logged as the ``killed_by_air`` event — what a record that splits a fight's dead by weapon
(Sadr City 2008's Hellfire tally, ``episodes/sadr_city_2008.yaml``) is compared with through the
``share_of_total`` statistic. One test per link: the attribution's formula and the strength it
is taken of, the air part of ``U``, the step-in gate, and the direction of each of the lever's
parts."""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd
import pytest

import leverage_sim as ls
from leverage_sim.calibration import statistics
from leverage_sim.calibration.episodes import load_episode
from leverage_sim.simulation import fastpath, standoffs
from leverage_sim.simulation.mechanisms import backing, operation
from leverage_sim.simulation.runner import release, simulate

SEEDS = range(40)
MILITIA_DEAD = re.compile(r"and (\d+) militia fighters killed")
"""The militia's dead in a ``fighting`` event's detail (``event_text.fighting``)."""


def test_a_part_accounts_for_its_share_of_the_dead():
    assert operation.attributed_losses(10, 2.0, 8.0) == pytest.approx(2.5)
    assert operation.attributed_losses(10, 0.0, 8.0) == 0.0
    assert operation.attributed_losses(10, 2.0, 0.0) == 0.0
    assert operation.attributed_losses(0, 2.0, 8.0) == 0.0


def test_the_air_part_of_U_is_the_air_power_the_troops_can_direct():
    for presence in (0, 1, 500, 5200, 162000):
        ground = presence * 0.2 * 3.0
        air = backing.us_air_strength(presence, 2000.0)
        assert air == pytest.approx(2000.0 * backing.air_support_share(presence))
        assert backing.us_standoff_strength(presence, 0.2, 3.0, 2000.0) == pytest.approx(
            ground + air if presence > 0 else 0.0)
    assert backing.us_air_strength(0, 2000.0) == 0.0
    assert backing.us_air_strength(500, 2000.0) == pytest.approx(1000.0)


def sadr_city(**overrides: float) -> ls.Scenario:
    """Sadr City 2008 with the US always stepping in (and ``overrides``)."""
    return ls.load_scenario("sadr_city_2008", {"foreign_forces.backing": 1.0, **overrides})


def air_share(scenario: ls.Scenario, seeds: range = SEEDS) -> float:
    """The air share of the fight's dead over ``seeds`` (pooled: air's dead over all dead)."""
    air = dead = 0.0
    for seed in seeds:
        rows = fastpath.simulate(scenario, seed).log.rows
        air += sum(r[5] for r in rows if r[2] == "killed_by_air")
        dead += sum(r[5] for r in rows if r[2] == "fighting")
    assert dead > 0
    return air / dead


def test_killed_by_air_is_logged_only_on_days_of_fighting_after_the_step_in():
    """Each ``killed_by_air`` event (Mesa agents): the foreign force's, on a day of fighting of
    the same militia on or after its step-in, for a share of that day's militia dead (never
    more). The US answers five days late, so the fights have days before it steps in."""
    seen = before = 0
    for seed in range(12):
        model = simulate(sadr_city(**{"foreign_forces.response_delay_days": 5}), seed,
                         collect_data=False)
        rows = model.log.rows
        militia_dead = {(r[0], r[3]): int(MILITIA_DEAD.search(r[4]).group(1))
                        for r in rows if r[2] == "fighting"}
        stepped_in = min((r[0] for r in rows if r[2] == "backing"), default=math.inf)
        before += sum(day < stepped_in and dead > 0 for (day, _), dead in militia_dead.items())
        for day, actor, action, target, _, value in rows:
            if action != "killed_by_air":
                continue
            seen += 1
            assert actor == "foreign_forces"
            assert day >= stepped_in
            assert 0 < value <= militia_dead[(day, target)]
        release(model)
    assert seen > 0 and before > 0


def test_the_split_is_of_the_strength_and_the_losses_of_the_day(monkeypatch):
    """The air share is taken of the very ``S_g`` that drew the day's militia losses, and of
    those losses (Mesa agents; tests/test_fast_path.py holds the fast path equal)."""
    draws: list[tuple[int, float]] = []
    splits: list[tuple[int, float, int]] = []
    draw, split = operation.draw_losses, operation.attributed_losses

    def recording_draw(rng, force, lethality, enemy_strength):
        killed = draw(rng, force, lethality, enemy_strength)
        draws.append((killed, enemy_strength))
        return killed

    def recording_split(killed, part, strength):
        splits.append((killed, strength, len(draws)))
        return split(killed, part, strength)

    monkeypatch.setattr(standoffs.op, "draw_losses", recording_draw)
    monkeypatch.setattr(standoffs.op, "attributed_losses", recording_split)
    for seed in range(6):
        release(simulate(sadr_city(), seed, collect_data=False))
    assert splits
    for killed, strength, n in splits:
        # the day's draws: the militia's losses (against S_g), then the government's
        assert (killed, strength) == draws[n - 2]


def test_no_air_kills_without_a_step_in_or_without_air_power():
    for overrides in ({"foreign_forces.backing": 0.0}, {"foreign_forces.air_support": 0.0}):
        scenario = sadr_city(**overrides)
        fought = 0
        for seed in range(12):
            rows = fastpath.simulate(scenario, seed).log.rows
            fought += any(r[2] == "fighting" for r in rows)
            assert not any(r[2] == "killed_by_air" for r in rows), (overrides, seed)
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


class _Tables:
    """What a statistic reads of a run: its events (and an empty summary)."""

    def __init__(self, events: pd.DataFrame) -> None:
        self.events, self.summary = events, {}


def _tables(rows: list[tuple[int, str, str, str, float]]) -> _Tables:
    start = dt.date(2008, 3, 24)
    return _Tables(pd.DataFrame([{"day": d, "date": pd.Timestamp(start + dt.timedelta(days=d)),
                                  "actor": a, "action": act, "target": t, "detail": "",
                                  "value": v} for d, a, act, t, v in rows]))


def test_share_of_total_is_the_part_over_the_whole_in_its_window():
    tables = _tables([(1, "government", "fighting", "JAM", 10.0),
                      (1, "foreign_forces", "killed_by_air", "JAM", 2.5),
                      (2, "government", "fighting", "JAM", 30.0),
                      (2, "foreign_forces", "killed_by_air", "JAM", 7.5),
                      (3, "government", "fighting", "KH", 40.0),
                      (9, "government", "fighting", "JAM", 60.0)])
    args = {"action": "killed_by_air", "of_action": "fighting", "target": "JAM",
            "start": dt.date(2008, 3, 25), "end": dt.date(2008, 3, 30)}
    assert statistics.compute("share_of_total", tables, args) == pytest.approx(10 / 40)
    assert statistics.compute("share_of_total", tables, {**args, "end": None}) == (
        pytest.approx(10 / 100))
    assert statistics.compute("share_of_total", tables, {**args, "target": "AAH"}) == 0.0
    assert statistics.value_limits("share_of_total", args) == (0.0, 1.0)
    # a total over itself is refused when the file is read; the part and the whole swapped
    # give more than 1, outside any range a fact can state
    assert not statistics.check_values("share_of_total", args, ["JAM"], [])
    same = {**args, "of_action": "killed_by_air"}
    assert any("both 'killed_by_air'" in p
               for p in statistics.check_values("share_of_total", same, ["JAM"], []))
    swapped = {**args, "action": "fighting", "of_action": "killed_by_air"}
    assert statistics.compute("share_of_total", tables, swapped) == pytest.approx(4.0)


def test_the_sadr_city_fact_reads_the_model_split():
    """The held-out fact's statistic on a run equals the run's own air share of its dead."""
    fact = next(f for f in load_episode("sadr_city_2008").spec.facts
                if f.name == "air_share_of_deaths")
    model = simulate(sadr_city(), 4, collect_data=False)
    rows = model.log.rows
    dead = sum(r[5] for r in rows if r[2] == "fighting")
    air = sum(r[5] for r in rows if r[2] == "killed_by_air")
    assert dead > 0 and np.isfinite(air) and air > 0
    assert statistics.compute(fact.statistic, _Tables(model.log.frame()),
                              fact.arguments) == pytest.approx(air / dead)
    release(model)
