"""Amortised inference on a reference table: posteriors against an analytic answer, coverage
of synthetic truths, how much the facts tell, reproducible tables."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from leverage_sim.calibration import coverage
from leverage_sim.calibration.forest import (
    ForestPosterior,
    ForestSettings,
    RejectionPosterior,
    posterior_frame,
)
from leverage_sim.calibration.reference import build_table
from leverage_sim.calibration.smc import Prior, Target
from leverage_sim.simulation.executors import make_executor

TRIALS = 30


def binomial_model(values, seed):
    """k ~ Binomial(30, a); ``b`` does nothing; ``c`` shifts a noisy reading with ``a``."""
    rng = np.random.default_rng(seed)
    return {"k": float(rng.binomial(TRIALS, values["a"])), "noise": float(rng.normal()),
            "c": float(rng.normal(5 * values["a"] * values["c"], 1.0))}


PRIORS = [Prior("a", "uniform", 0, 1), Prior("b", "uniform", 0, 1), Prior("c", "uniform", 0, 1)]
FACTS = ["k", "noise", "c"]
RECORD = [Target("k", 12, 12, 12), Target("noise", 0.0, -10, 10), Target("c", 1.0, 0.5, 1.5)]


@pytest.fixture(scope="module")
def table():
    return build_table(binomial_model, PRIORS, FACTS, 8000, seed=1)


def test_table_depends_on_the_seed_alone(table):
    small = build_table(binomial_model, PRIORS, FACTS, 50, seed=1)
    assert small.facts.equals(table.facts.iloc[:50])  # the first rows of any larger table
    assert small.unit.equals(table.unit.iloc[:50])
    pool = make_executor("local", 2, None)
    try:
        pooled = build_table(binomial_model, PRIORS, FACTS, 50, seed=1, executor=pool,
                             workers=2)
    finally:
        pool.shutdown()
    assert pooled.facts.equals(small.facts)
    other = build_table(binomial_model, PRIORS, FACTS, 50, seed=2)
    assert not other.facts.equals(small.facts)


def test_values_follow_the_priors(table):
    assert np.allclose(table.values["a"], table.unit["a"])
    logu = Prior("x", "loguniform", 1, 100)
    t = build_table(lambda v, s: {"f": 0.0}, [logu], ["f"], 2000, seed=3)
    assert np.allclose(np.log(t.values["x"]), np.log(100) * t.unit["x"], atol=1e-9)


def test_regression_adjusted_posterior_matches_the_analytic_one(table):
    """With k = 12 of 30 and a uniform prior the posterior of ``a`` is Beta(13, 19)."""
    u, w = RejectionPosterior(table, accept=500).sample(
        [Target("k", 12, 12, 12), Target("noise", 0.0, -10, 10), Target("c", 0, -100, 100)])
    mean = w @ u[:, 0]
    sd = np.sqrt(w @ (u[:, 0] - mean) ** 2)
    assert mean == pytest.approx(13 / 32, abs=0.03)
    assert sd == pytest.approx(np.sqrt(13 * 19 / (32**2 * 33)), rel=0.3)
    b_sd = np.sqrt(w @ (u[:, 1] - w @ u[:, 1]) ** 2)
    assert b_sd == pytest.approx(np.sqrt(1 / 12), rel=0.15)  # nothing learnt: the prior


def test_adjustment_narrows_without_losing_coverage(table):
    adjusted = coverage.check(table, RECORD, lambda t: RejectionPosterior(t, 400), 200, seed=4)
    plain = coverage.check(table, RECORD, lambda t: RejectionPosterior(t, 400, adjust=False),
                           200, seed=4)
    assert adjusted.table.loc["a", "width"] < 0.9 * plain.table.loc["a", "width"]
    assert adjusted.within(0.9, 0.83, 0.97), adjusted.table
    assert adjusted.table.loc["b", "width"] > 0.9  # uninformed: as wide as the prior


def test_coverage_check_detects_an_overconfident_estimator(table):
    class Overconfident:
        """Half the real spread around the right centre: intervals too narrow."""

        def __init__(self, t):
            self.inner = RejectionPosterior(t, 400)

        def sample(self, targets, seed=0):
            u, w = self.inner.sample(targets, seed)
            centre = w @ u
            return np.clip(centre + 0.3 * (u - centre), 1e-9, 1 - 1e-9), w

    cov = coverage.check(table, RECORD, Overconfident, 200, seed=4)
    assert cov.table.loc["a", "cover_90"] < 0.8
    assert not cov.within(0.9, 0.85, 0.95)


def test_forest_tells_which_parameters_the_facts_inform(table):
    info = ForestPosterior(table.rows(slice(0, 3000)),
                           ForestSettings(trees=40, min_leaf=10)).information()
    assert info["a"] > 0.7
    assert info["b"] < 0.05
    assert 0.05 < info["c"] < info["a"]


def test_forest_weights_follow_the_record(table):
    forest = ForestPosterior(table.rows(slice(0, 3000)),
                             ForestSettings(trees=40, min_leaf=10, draws=8))
    low = RECORD[:2] + [Target("c", 1.0, 1.0, 1.0)]
    high_k = [Target("k", 25, 25, 25)] + low[1:]
    u_low, w_low = forest.sample(low)
    u_high, w_high = forest.sample(high_k)
    assert w_low.sum() == pytest.approx(1.0)
    assert w_high @ u_high[:, 0] > w_low @ u_low[:, 0] + 0.3


def test_posterior_frame_is_in_parameter_values(table):
    u, w = RejectionPosterior(table, 100).sample(RECORD)
    frame = posterior_frame(table, u, w)
    assert list(frame.columns) == ["a", "b", "c", "weight"]
    assert frame["weight"].sum() == pytest.approx(1.0)
    assert frame[["a", "b", "c"]].to_numpy().min() >= 0
    assert frame[["a", "b", "c"]].to_numpy().max() <= 1


def test_table_fit_converges_within_its_cap_and_resumes_exactly(tmp_path):
    from leverage_sim.calibration import table_fit

    budget = table_fit.TableBudget(start=1000, max_simulations=4000, accept=200,
                                   tolerance=0.05, truths=100, information_trees=30)
    ckpt = tmp_path / "reference.parquet"
    whole = table_fit.fit(binomial_model, PRIORS, RECORD, budget, seed=5, checkpoint=ckpt)
    assert whole.simulations <= budget.max_simulations
    assert whole.converged, whole.steps
    assert whole.informed.to_dict() == {"a": True, "b": False, "c": True}
    assert whole.coverage.within(0.9, 0.8, 1.0), whole.coverage.table
    # interrupted after the first batch: the checkpoint holds 1000 rows; resuming reuses them
    first = table_fit.load_checkpoint(ckpt, PRIORS, FACTS, 5)
    table_fit.save_checkpoint(first.rows(slice(0, 1000)), ckpt)
    calls = []

    def counting(values, seed):
        calls.append(seed)
        return binomial_model(values, seed)

    resumed = table_fit.fit(counting, PRIORS, RECORD, budget, seed=5, checkpoint=ckpt)
    assert len(calls) == whole.simulations - 1000
    assert resumed.posterior.equals(whole.posterior)
    # a checkpoint of another seed is not reused
    assert table_fit.load_checkpoint(ckpt, PRIORS, FACTS, 6) is None


def test_one_quiet_doubling_is_not_convergence():
    """Converged needs the posterior stable over two doublings: a table of two sizes never
    converges, however little the posterior moved between them (the shipped calibration once
    stopped at 8,000 rows on a move of 0.038 and moved 0.15 at the next doubling)."""
    from leverage_sim.calibration import table_fit

    budget = table_fit.TableBudget(start=1000, max_simulations=2000, accept=200,
                                   tolerance=0.5, truths=100, information_trees=30)
    fit = table_fit.fit(binomial_model, PRIORS, RECORD, budget, seed=5)
    assert fit.steps["moved"].iloc[-1] < budget.tolerance
    assert not fit.converged and not fit.judged


def test_checkpoints_grow_with_the_table(tmp_path, monkeypatch):
    """A checkpoint rewrites the whole table, so they come every tenth of the rows done (at
    least CHECKPOINT_ROWS): from 0 to 2,000 rows with a floor of 10, about 50 writes, not 200."""
    from leverage_sim.calibration import table_fit

    writes = []
    monkeypatch.setattr(table_fit, "CHECKPOINT_ROWS", 10)
    monkeypatch.setattr(table_fit, "save_checkpoint", lambda table, path: writes.append(len(table)))
    budget = table_fit.TableBudget(start=2000, max_simulations=2000, accept=100, truths=50,
                                   information_trees=10)
    table_fit.fit(binomial_model, PRIORS, RECORD, budget, seed=5, checkpoint=tmp_path / "t.pq")
    assert writes[:3] == [10, 20, 30] and writes[-1] == 2000
    assert all(b - a >= max(10, int(0.1 * a)) for a, b in itertools.pairwise(writes[:-1]))
    assert len(writes) < 60


def test_a_quantile_move_counts_against_the_larger_of_tolerance_and_its_noise():
    from leverage_sim.calibration.table_fit import NOISE_Z, _move

    q = np.zeros((3, 2))
    se = np.full((3, 2), 0.01)
    moved = q.copy()
    moved[1, 1] = 0.04  # 2.8 standard errors of the difference, under the tolerance
    assert _move(moved, se, q, se, tolerance=0.05).stable
    moved[1, 1] = 0.06  # above the tolerance, 4.2 standard errors: a real move
    largest, in_errors, which, stable = _move(moved, se, q, se, tolerance=0.05)  # a Move
    assert (largest, which, stable) == (0.06, 1, False)
    assert in_errors == pytest.approx(0.06 / np.sqrt(2 * 0.01**2))
    noisy = np.full((3, 2), 0.03)  # the same move within NOISE_Z noisy standard errors
    assert 0.06 < NOISE_Z * np.sqrt(2) * 0.03 and _move(moved, noisy, q, noisy, 0.05).stable


def test_quantile_errors_shrink_with_more_kept_rows_and_repeat_by_seed():
    from leverage_sim.calibration.table_fit import quantile_errors

    rng = np.random.default_rng(0)
    small, large = rng.random((100, 2)), rng.random((2500, 2))
    err_small = quantile_errors(small, np.full(100, 0.01), seed=1, size=100)
    err_large = quantile_errors(large, np.full(2500, 1 / 2500), seed=1, size=2500)
    assert err_small.shape == (3, 2) and (err_large < err_small).all()
    assert np.array_equal(err_small, quantile_errors(small, np.full(100, 0.01), 1, 100))


def test_a_rank_stays_in_the_unit_interval_when_weights_sum_above_one_by_rounding():
    """A truth above every particle ranks 1, not 1 + 1e-16 (which the rank histogram, on
    [0, 1], would drop: the quick calibration's coverage table lost a truth that way)."""
    w = np.full(10, 0.1)  # sums to 0.9999999999999999 or 1.0000000000000002 by order
    w[0] += 3e-16
    assert coverage.weighted_rank(np.arange(10.0), w, 99.0, np.random.default_rng(0)) == 1.0


def two_episodes(values, seed):
    """Episode ``many``: four facts no parameter moves (misses no parameter set avoids, like
    Basra's ceasefire day) and four noisy readings of ``a``; episode ``few``: one fact,
    k ~ Binomial(30, b)."""
    rng = np.random.default_rng(seed)
    out = {f"many.noise{i}": float(rng.normal()) for i in range(4)}
    out |= {f"many.level{i}": float(rng.normal(10 * values["a"], 2.0)) for i in range(4)}
    out["few.k"] = float(rng.binomial(TRIALS, values["b"]))
    return out


TWO_FACTS = [*(f"many.noise{i}" for i in range(4)), *(f"many.level{i}" for i in range(4)),
             "few.k"]
TWO_RECORD = [*(Target(f"many.noise{i}", 0.0, 0.0, 0.0) for i in range(4)),
              *(Target(f"many.level{i}", 5.0, 5.0, 5.0) for i in range(4)),
              Target("few.k", 12, 12, 12)]
TWO_PRIORS = [Prior("a", "uniform", 0, 1), Prior("b", "uniform", 0, 1)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_episode_counts_equally_in_the_distance(seed):
    """The episode with one fact is fitted, not drowned by the one with eight: with k = 12 of
    30 the posterior of ``b`` is Beta(13, 19) (sd 0.085). Summing squared misses over all facts
    (the old distance) lets ``many``'s eight misses, four of them unavoidable, set the
    tolerance: ``b`` keeps most of its prior's width (sd ≈ 0.19 of 0.29). Balanced, ``b``'s sd
    is ≈ 0.09 and ``a``'s (exact: 0.10, four readings of 10a with sd 2) ≈ 0.18 against ≈ 0.14:
    ``many`` gives up a little, ``few`` gains much."""
    table = build_table(two_episodes, TWO_PRIORS, TWO_FACTS, 8000, seed=seed)
    exact_sd = np.sqrt(13 * 19 / (32**2 * 33))

    def b_moments(**kw):
        u, w = RejectionPosterior(table, 400, adjust=False, **kw).sample(TWO_RECORD)
        mean = w @ u[:, 1]
        return mean, np.sqrt(w @ (u[:, 1] - mean) ** 2), u, w

    mean, sd, u, w = b_moments()  # the default: balanced
    assert mean == pytest.approx(13 / 32, abs=0.04)
    assert sd < 1.5 * exact_sd
    a_mean = w @ u[:, 0]
    assert a_mean == pytest.approx(0.5, abs=0.05)  # and episode ``many`` still fits ``a``
    assert np.sqrt(w @ (u[:, 0] - a_mean) ** 2) < 0.2
    _, old_sd, _, _ = b_moments(balance=False)
    assert old_sd > 2 * exact_sd


def test_the_calibration_file_balances_episodes_unless_told_not_to():
    from leverage_sim.calibration.config import TableBudgetSpec

    assert TableBudgetSpec(start=100, max_simulations=200).budget().balance
    assert not TableBudgetSpec(start=100, max_simulations=200, balance=False).budget().balance


def test_each_episode_alone_is_fitted_to_its_own_facts():
    """The fit check's reference: per episode, the posterior from its facts alone."""
    from leverage_sim.calibration.table_fit import TableBudget, episode_alone

    table = build_table(two_episodes, TWO_PRIORS, TWO_FACTS, 4000, seed=1)
    budget = TableBudget(accept=300, adjust=False, balance=True)
    alone = episode_alone(table, TWO_RECORD, budget)
    assert set(alone) == {"many", "few"}
    few, many = alone["few"], alone["many"]
    b_mean = few["weight"] @ few["b"]
    assert b_mean == pytest.approx(13 / 32, abs=0.04)
    assert np.sqrt(few["weight"] @ (few["b"] - b_mean) ** 2) < 1.5 * np.sqrt(13 * 19 / (32**2 * 33))
    assert np.sqrt(few["weight"] @ (few["a"] - few["weight"] @ few["a"]) ** 2) > 0.25  # prior
    assert np.sqrt(many["weight"] @ (many["b"] - many["weight"] @ many["b"]) ** 2) > 0.25
    assert episode_alone(table, RECORD, budget) == {}  # one episode: nothing to add


@pytest.mark.parametrize("balance", [True, False])
def test_a_posterior_computed_in_chunks_is_the_one_computed_on_all_rows(monkeypatch, balance):
    """The rejection posterior computes misses a few rows and one episode at a time (a table of
    millions of rows); the rows it keeps and their weights are those of the plain formula on
    the whole table: misses outside the ranges over the facts' scales, the distance over all
    of them, the nearest rows by a stable sort (ties — rows matching every fact — in table
    order). The episodes' facts are interleaved, the chunk size divides nothing, and the
    binomial fact puts many rows at equal distance."""
    from leverage_sim.calibration import forest

    names = ["few.k", "many.noise0", "many.level0", "few.noise1", "many.level1"]
    record = [Target("few.k", 12, 11, 13), Target("many.noise0", 0.0, -0.5, 0.5),
              Target("many.level0", 5.0, 5.0, 5.0), Target("few.noise1", 0.0, 0.0, 0.0),
              Target("many.level1", 5.0, 4.0, 6.0)]

    def model(values, seed):
        rng = np.random.default_rng(seed)
        return {"few.k": float(rng.binomial(TRIALS, values["b"])),
                "many.noise0": float(rng.normal()), "few.noise1": float(rng.normal()),
                "many.level0": float(rng.normal(10 * values["a"], 2.0)),
                "many.level1": float(rng.normal(10 * values["a"], 2.0))}

    table = build_table(model, TWO_PRIORS, names, 5000, seed=7)
    monkeypatch.setattr(forest, "CHUNK_ROWS", 777)
    posterior = RejectionPosterior(table, 300, adjust=False, balance=balance)
    u, w = posterior.sample(record)
    x = table.facts.to_numpy(dtype=float)
    low, high = np.array([t.low for t in record]), np.array([t.high for t in record])
    miss = (np.maximum(x - high, 0) - np.maximum(low - x, 0)) / posterior._scale
    d = forest.distance(forest.episode_norms(miss, names, balance), balance)
    keep = np.argsort(d, kind="stable")[:300]
    np.testing.assert_array_equal(u, table.unit.to_numpy()[keep])
    np.testing.assert_allclose(w, forest.nearest(d, 300)[1], rtol=0, atol=0)
    np.testing.assert_allclose(posterior.misses(record), miss, rtol=1e-15, atol=0)


def test_nearest_rows_are_the_stable_sort_s_first_with_ties_and_missing_distances():
    """:func:`nearest` sorts only the rows under the cut: the same rows, in the same order, as
    sorting all of them — ties kept in table order, NaN distances last."""
    from leverage_sim.calibration.forest import nearest

    rng = np.random.default_rng(3)
    d = rng.integers(0, 5, 2000).astype(float)  # ties everywhere
    d[rng.random(2000) < 0.1] = np.nan
    for accept in (1, 50, 400, 1799, 2000):
        keep, _ = nearest(d, accept)
        np.testing.assert_array_equal(keep, np.argsort(d, kind="stable")[:accept])
    d[:] = np.nan
    d[5] = 1.0
    np.testing.assert_array_equal(nearest(d, 3)[0], np.argsort(d, kind="stable")[:3])
