"""A parliament's size is scenario data (government.parliament_seats: 329 in Iraq, 128 in
Lebanon): a bloc's public threat weighs threat_sensitivity × seats / parliament_seats on both
engines, and a bloc cannot hold more seats than the parliament has."""

from __future__ import annotations

import pytest

import leverage_sim as ls
from leverage_sim.simulation import fastpath
from leverage_sim.simulation.runner import release, simulate


def _threats(result) -> list[float]:
    return [row[-1] for row in result.log.rows if row[2] == "public_threat" and row[1] == "AAH"]


@pytest.mark.parametrize("seats", [329, 128])
def test_a_threat_weighs_the_blocs_share_of_this_parliament(seats):
    sc = ls.load_scenario("june_2020_replay", {"militias[AAH].threat_propensity": 1.0,
                                               "government.parliament_seats": seats})
    found = []
    for seed in range(3):
        agent, fast = simulate(sc, seed, collect_data=False), fastpath.simulate(sc, seed)
        assert _threats(agent) == _threats(fast)
        found += _threats(agent)
        release(agent)
    assert found, "AAH never threatened in 3 seeds"
    expected = sc.government.threat_sensitivity * 15 / seats   # AAH's 15 seats
    assert all(v == pytest.approx(expected) for v in found)


def test_the_default_is_iraqs_329():
    assert ls.load_scenario("june_2020_replay").government.parliament_seats == 329


def test_a_bloc_larger_than_the_parliament_is_refused():
    with pytest.raises(ls.InputError, match=r"militias\[AAH\].seats \(15\) exceeds "
                       r"government.parliament_seats \(10\)"):
        ls.load_scenario("june_2020_replay", {"government.parliament_seats": 10})
