"""Sensitivity analysis and scenario discovery against functions with a known answer."""

import numpy as np
import pandas as pd
import pytest
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample
from SALib.test_functions import Ishigami

import leverage_sim as ls
from leverage_sim import InputError
from leverage_sim.analysis import (
    compare_with_record,
    episode_figures,
    morris_indices,
    prim,
    replication_noise,
    sensitivity,
    sobol_indices,
    tree_leaves,
)
from leverage_sim.analysis.discovery import box_stats
from leverage_sim.sweep import SweepSpec, design_problem, load_sweep

ISHIGAMI = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}
# Analytic values for a = 7, b = 0.1 (Saltelli et al. 2008, Global Sensitivity Analysis, 4.7.2)
ISHIGAMI_S1 = [0.3139, 0.4424, 0.0]
ISHIGAMI_ST = [0.5576, 0.4424, 0.2437]


def test_sobol_recovers_ishigami_indices():
    x = sobol_sample.sample(ISHIGAMI, 2048, calc_second_order=False, seed=3)
    idx = sobol_indices(ISHIGAMI, Ishigami.evaluate(x), seed=3)
    assert list(idx.columns) == ["S1", "S1_conf", "ST", "ST_conf"]
    np.testing.assert_allclose(idx["S1"], ISHIGAMI_S1, atol=0.05)
    np.testing.assert_allclose(idx["ST"], ISHIGAMI_ST, atol=0.05)
    # the intervals are reported and contain the true values
    assert (idx["S1_conf"] > 0).all() and (idx["ST_conf"] > 0).all()
    assert (abs(idx["ST"] - ISHIGAMI_ST) <= idx["ST_conf"] + 0.01).all()


def test_sobol_second_order_design_and_bad_lengths():
    x = sobol_sample.sample(ISHIGAMI, 256, calc_second_order=True, seed=1)
    y = Ishigami.evaluate(x)
    idx = sobol_indices(ISHIGAMI, y, second_order=True)
    assert idx["ST"].idxmax() == "x1"
    with pytest.raises(InputError, match="not a multiple of 5"):
        sobol_indices(ISHIGAMI, y[:-1])
    y[3] = np.nan
    with pytest.raises(InputError, match="1 model outputs are missing"):
        sobol_indices(ISHIGAMI, y, second_order=True)


def test_morris_finds_the_inert_input():
    problem = {"num_vars": 3, "names": ["linear", "wavy", "inert"], "bounds": [[0, 1]] * 3}
    x = morris_sample.sample(problem, 30, num_levels=4, seed=2)
    y = 4 * x[:, 0] + np.sin(6 * x[:, 1])
    idx = morris_indices(problem, x, y, seed=2)
    assert idx.loc["inert", "mu_star"] == 0 and idx.loc["inert", "sigma"] == 0
    # a linear input has a constant effect (4 per unit range), hence no spread
    assert idx.loc["linear", "mu_star"] == pytest.approx(4)
    assert idx.loc["linear", "sigma"] == pytest.approx(0, abs=1e-9)
    assert 0 < idx.loc["wavy", "mu_star"] < 4 and idx.loc["wavy", "sigma"] > 0
    assert idx.loc["wavy", "mu_star_conf"] > 0
    with pytest.raises(InputError, match="outputs for a design of"):
        morris_indices(problem, x, y[:-2])


def test_bootstrap_intervals_are_reproducible_for_every_seed_including_zero():
    # SALib 1.6's Sobol analysis treats seed 0 as 'no seed' (global unseeded RNG)
    x = sobol_sample.sample(ISHIGAMI, 64, calc_second_order=False, seed=1)
    y = Ishigami.evaluate(x)
    problem = {"num_vars": 2, "names": ["a", "b"], "bounds": [[0, 1]] * 2}
    xm = morris_sample.sample(problem, 10, num_levels=4, seed=1)
    ym = xm[:, 0] ** 2 + np.sin(6 * xm[:, 1])
    for indices in (lambda s: sobol_indices(ISHIGAMI, y, seed=s),
                    lambda s: morris_indices(problem, xm, ym, seed=s)):
        first = indices(0)
        np.random.seed(99)  # the global generator must play no part
        pd.testing.assert_frame_equal(first, indices(0))
        assert not first.equals(indices(1))


# ---- scenario discovery ------------------------------------------------------------------------
def test_box_stats_by_hand():
    # ten points, outcome in rows 5, 6, 7, 9; the box holds rows 5..9
    y = np.array([0, 0, 0, 0, 0, 1, 1, 1, 0, 1], dtype=float)
    inside = np.arange(10) >= 5
    assert box_stats(inside, y) == {"coverage": 1.0, "density": 0.8, "mass": 0.5}
    assert box_stats(np.arange(10) >= 8, y) == {"coverage": 0.25, "density": 0.5, "mass": 0.2}


def test_prim_peels_one_point_at_a_time_by_hand():
    x = pd.DataFrame({"x": np.arange(10.0)})
    y = [0, 0, 0, 0, 0, 1, 1, 1, 0, 1]
    res = prim(x, y, alpha=0.1, mass_min=0.1, paste=False)
    t = res.trajectory
    # each peel drops the lowest point while that raises the density: 4/10, 4/9, ..., 4/5
    np.testing.assert_allclose(t["density"][:6], [0.4, 4 / 9, 0.5, 4 / 7, 4 / 6, 0.8])
    np.testing.assert_allclose(t["mass"][:6], [1.0, 0.9, 0.8, 0.7, 0.6, 0.5])
    assert (t["coverage"][:6] == 1).all() and list(t["stage"][:2]) == ["start", "peel"]
    assert t["mass"].min() >= 0.1
    box = res.box(res.select(0.8))
    assert box.loc["x", "low"] == 5 and box.loc["x", "high"] == 9


def planted(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.uniform(size=(n, 4)), columns=["a", "b", "c", "d"])
    y = ((x["a"] > 0.3) & (x["a"] < 0.7) & (x["b"] > 0.6)).to_numpy()
    return x, y


def test_prim_recovers_a_planted_box():
    x, y = planted()
    res = prim(x, y)
    i = res.select(min_density=0.95)
    box = res.box(i)
    assert list(box.index) == ["a", "b"]  # c and d are left unrestricted
    np.testing.assert_allclose(box.loc["a", ["low", "high"]], [0.3, 0.7], atol=0.05)
    np.testing.assert_allclose(box.loc["b", ["low", "high"]], [0.6, 1.0], atol=0.05)
    row = res.trajectory.loc[i]
    assert row["density"] >= 0.95 and row["coverage"] >= 0.9
    # the reported figures are those of the box applied to the data
    assert box_stats(res.inside(x, i), y.astype(float)) == pytest.approx(
        row[["coverage", "density", "mass"]].to_dict())
    # pasting never lowers the density of the box it starts from
    dens = res.trajectory["density"]
    paste = res.trajectory["stage"] == "paste"
    assert not paste.any() or dens[paste].min() >= dens[~paste].iloc[-1]


def test_tree_leaves_describe_the_planted_box():
    x, y = planted()
    leaves = tree_leaves(x, y, max_depth=3)
    top = leaves.iloc[0]
    assert top["predicts"] and top["density"] == 1.0 and top["coverage"] == 1.0
    assert set(top["limits"]) == {"a", "b"}
    np.testing.assert_allclose(top["limits"]["a"], [0.3, 0.7], atol=0.02)
    assert top["limits"]["b"][0] == pytest.approx(0.6, abs=0.02)
    assert leaves["coverage"].sum() == pytest.approx(1.0)
    assert leaves["mass"].sum() == pytest.approx(1.0)
    assert "a <=" in top["rule"] and "b >" in top["rule"]


def test_discovery_bad_input():
    x, y = planted(100)
    with pytest.raises(InputError, match="one 0/1"):
        prim(x, y[:-1])
    with pytest.raises(InputError, match="nothing to find"):
        tree_leaves(x, np.zeros(100))
    with pytest.raises(InputError, match="alpha"):
        prim(x, y, alpha=0.7)
    with pytest.raises(InputError, match=r"\['a'\]"):
        prim(x.assign(a=np.nan), y)


# ---- the June 2020 episode ---------------------------------------------------------------------
def test_episode_figures_follow_the_event_log(replay):
    res = ls.run(replay, replications=6, seed=11)
    fig = episode_figures(res)
    assert list(fig.index) == list(range(6))
    assert (fig["arrests"] == 14).all()
    ev = res.events
    raid_day = next(replay.event_day(e) for e in replay.events if e.action == "raid")
    for rep, row in fig.iterrows():
        kh = ev[(ev["replication"] == rep) & (ev["action"] == "muster") & (ev["actor"] == "KH")
                & ev["day"].between(raid_day, raid_day + 1)]
        assert row["muster"] == kh["value"].iloc[0] if len(kh) else np.isnan(row["muster"])
        assert row["released_4d"] <= 14
        # an end of the standoff is counted in the summary too
        s = res.summary.loc[rep]
        assert not row["relented"] or s["relents"] > 0
        assert row["outcome"] != "held firm" or s["held_firm"] > 0
    table = compare_with_record(fig)
    assert table.loc["arrests in the raid", "record (2020)"] == "14"
    assert table.loc["arrests in the raid", "model"] == "14 [14, 14]"
    assert table.loc["government relents", "model"] == f"{fig['relented'].mean():.0%} of runs"


def test_episode_needs_a_raid(replay):
    res = ls.run(replay.model_copy(update={"events": []}), replications=1, seed=1)
    with pytest.raises(InputError, match="no scripted raid"):
        episode_figures(res)


# ---- through the sweep engine ------------------------------------------------------------------
SA_PARAMS = ["foreign_forces.backing=0:1", "patron.instigation=0.1:0.9"]


def test_morris_through_the_sweep_engine(tmp_path):
    spec = SweepSpec.from_cli("june_2020_replay", SA_PARAMS, design="morris", samples=3,
                              replications=2, seed=8)
    out = tmp_path / "morris"
    idx = sensitivity(spec, out, ["attacks", "held_firm>0"], executor="serial")
    assert set(idx) == {"attacks", "held_firm>0"}
    assert list(idx["attacks"].index) == ["foreign_forces.backing", "patron.instigation"]
    # the indices are those of the per-point means over replications, in design order
    runs = load_sweep(out)
    assert len(runs) == 3 * 3 * 2
    problem, x, _ = design_problem(out)
    y = runs.groupby("point_id")["attacks"].mean()
    pd.testing.assert_frame_equal(idx["attacks"], morris_indices(problem, x, y))
    # instigation drives attacks far more than backing does
    assert idx["attacks"].loc["patron.instigation", "mu_star"] > \
        idx["attacks"].loc["foreign_forces.backing", "mu_star"]
    # resumable: a second call finds the sweep complete and runs nothing
    parts = sorted((out / "summary").iterdir())
    again = sensitivity(spec, out, ["attacks"], executor="serial")
    assert sorted((out / "summary").iterdir()) == parts
    pd.testing.assert_frame_equal(again["attacks"], idx["attacks"])


def test_sobol_through_the_sweep_engine(tmp_path):
    """Sobol indices through the sweep engine, on the scenario's own values (posterior none):
    with the calibrated parameters drawn per run, their spread swamps 16 base samples, and the
    ordering below flipped with a refit (December 2026)."""
    spec = SweepSpec.from_cli("june_2020_replay", SA_PARAMS, design="sobol", samples=16,
                              replications=2, seed=8, posterior="none")
    idx = sensitivity(spec, tmp_path / "sobol", ["attacks"], executor="serial")["attacks"]
    assert list(idx.columns) == ["S1", "S1_conf", "ST", "ST_conf"]
    assert len(load_sweep(tmp_path / "sobol")) == 16 * 4 * 2
    assert idx.loc["patron.instigation", "ST"] > idx.loc["foreign_forces.backing", "ST"]
    with pytest.raises(InputError, match="needs design"):
        sensitivity(spec.with_changes(design="lhs"), tmp_path / "lhs", ["attacks"])


def test_replication_noise_by_hand():
    # point means 0 and 4 (variance 8); within-point variance 2, over 2 replications -> 1
    runs = pd.DataFrame({"point_id": [0, 0, 1, 1], "attacks": [-1.0, 1.0, 3.0, 5.0],
                         "held_firm": [0, 1, 1, 1], "error": None})
    noise = replication_noise(runs, ["attacks", "held_firm>0"])
    assert noise["attacks"] == pytest.approx(1 / 8)
    # shares: means 0.5 and 1 (variance 0.125); within variances 0.5 and 0, over 2 -> 0.125
    assert noise["held_firm>0"] == pytest.approx(1.0)
    with pytest.raises(InputError, match="at least 2 replications"):
        replication_noise(runs.iloc[:3], ["attacks"])
