"""Designs give the documented number of points and cover their ranges."""

import numpy as np
import pytest

from leverage_sim.sweep import SweepSpec, build_design


def spec(params, **kw):
    return SweepSpec.parse({"base": "june_2020_replay", "parameters": params, **kw}, "test")


def test_grid_is_the_full_product_with_exact_values():
    d = build_design(spec({"foreign_forces.backing": {"range": [0, 1], "steps": 11},
                           "patron.instigation": {"values": [0.2, 0.5, 0.8]}}), seed=0)
    assert d.n_points == 33
    assert sorted(set(d.points["foreign_forces.backing"])) == pytest.approx(
        np.linspace(0, 1, 11).tolist())
    pairs = set(zip(d.points["foreign_forces.backing"], d.points["patron.instigation"]))
    assert len(pairs) == 33  # every combination once
    assert d.points["point_id"].tolist() == list(range(33))


@pytest.mark.parametrize("design, kw, n", [
    ("lhs", {"samples": 20}, 20),
    ("random", {"samples": 20}, 20),
    ("sobol", {"samples": 16}, 16 * (3 + 2)),
    ("saltelli", {"samples": 16, "second_order": True}, 16 * (2 * 3 + 2)),
    ("morris", {"samples": 10}, 10 * (3 + 1)),
])
def test_sampled_designs_have_documented_sizes_and_stay_in_bounds(design, kw, n):
    params = {"foreign_forces.backing": {"low": 0.2, "high": 0.6},
              "government.resolve": {"distribution": "normal", "mean": 0.6, "sd": 0.2,
                                     "low": 0.3, "high": 0.9},
              "government.enforcement_capacity": {"distribution": "triangular", "low": 100,
                                                  "mode": 500, "high": 900, "integer": True}}
    d = build_design(spec(params, design=design, **kw), seed=3)
    assert d.n_points == n and d.unit.shape == (n, 3)
    assert ((d.unit >= 0) & (d.unit <= 1)).all()
    b = d.points["foreign_forces.backing"]
    assert b.between(0.2, 0.6).all() and b.max() - b.min() > 0.2  # covers the range
    assert d.points["government.resolve"].between(0.3, 0.9).all()
    cap = d.points["government.enforcement_capacity"]
    assert cap.between(100, 900).all() and (cap == cap.round()).all()
    assert d.problem == {"num_vars": 3, "names": list(params), "bounds": [[0.0, 1.0]] * 3}


def test_lhs_puts_one_point_in_every_stratum():
    d = build_design(spec({"foreign_forces.backing": {"low": 0, "high": 1},
                           "patron.instigation": {"low": 0, "high": 1}},
                          design="lhs", samples=25), seed=9)
    for j in range(2):
        assert sorted((d.unit[:, j] * 25).astype(int)) == list(range(25))


def test_discrete_parameters_in_sampled_designs_use_their_values():
    d = build_design(spec({"patron.instigation": {"values": [0.2, 0.5, 0.8]}},
                          design="random", samples=300), seed=1)
    assert set(d.points["patron.instigation"]) == {0.2, 0.5, 0.8}


def test_same_seed_same_design_other_seed_other_design():
    s = spec({"foreign_forces.backing": {"low": 0, "high": 1}}, design="lhs", samples=10)
    assert build_design(s, 1).points.equals(build_design(s, 1).points)
    assert not build_design(s, 1).points.equals(build_design(s, 2).points)
