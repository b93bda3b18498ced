"""Comparative statics of the design brief, each over common seeds with stated tolerances."""

from __future__ import annotations

import pytest

import leverage_sim as ls

N = 200


def _runs(replay, n: int = N, **overrides) -> ls.Results:
    return ls.run(ls.load_scenario(replay, overrides), replications=n, seed=77)


def test_holding_firm_rises_with_us_backing(replay):
    share = {b: (_runs(replay, **{"foreign_forces.backing": b}).summary["held_firm"] > 0).mean()
             for b in (0.0, 0.5, 1.0)}
    assert share[0.0] < share[0.5] < share[1.0]
    assert share[1.0] - share[0.0] >= 0.4


def test_more_instigation_more_attacks_and_more_relenting(replay):
    low = _runs(replay, **{"patron.instigation": 0.2}).summary
    high = _runs(replay, **{"patron.instigation": 0.9}).summary
    assert high["attacks"].mean() > 1.5 * low["attacks"].mean()
    assert (high["relents"] > 0).mean() > (low["relents"] > 0).mean()


def test_better_interception_fewer_us_casualties(replay):
    sites = [s.name for s in replay.foreign_forces.sites]
    none = _runs(replay, **{f"foreign_forces.sites[{s}].interception": 0.0 for s in sites})
    good = _runs(replay, **{f"foreign_forces.sites[{s}].interception": 0.8 for s in sites})
    assert good.summary["us_casualties"].mean() < 0.5 * none.summary["us_casualties"].mean()


def test_more_attacks_make_withdrawal_likelier(replay):
    longer = {"horizon_days": 365}
    calm = _runs(replay, 120, **longer, **{"patron.resources": 1.0}).summary
    violent = _runs(replay, 120, **longer, **{"patron.resources": 3.0}).summary
    assert violent["attacks"].mean() > calm["attacks"].mean()
    assert violent["us_casualties"].mean() > calm["us_casualties"].mean()
    assert violent["us_withdrawn"].mean() > calm["us_withdrawn"].mean() + 0.15


@pytest.mark.parametrize("path", ["government.resolve", "government.enforcement_capacity"])
def test_stronger_government_holds_more(replay, path):
    lo = {"government.resolve": 0.3, "government.enforcement_capacity": 100}[path]
    hi = {"government.resolve": 0.95, "government.enforcement_capacity": 3000}[path]
    weak = (_runs(replay, **{path: lo}).summary["held_firm"] > 0).mean()
    strong = (_runs(replay, **{path: hi}).summary["held_firm"] > 0).mean()
    assert strong > weak
