"""Semi-automatic ABC (calibration/projected.py) on the toy of tests/test_inference.py: it
recovers the analytic posterior, leaves an uninformed parameter at its prior, covers the truth,
and beats rejection on the facts when many facts carry no information."""

from __future__ import annotations

import numpy as np
import pytest

from leverage_sim.calibration import coverage
from leverage_sim.calibration.forest import RejectionPosterior
from leverage_sim.calibration.projected import ProjectedPosterior
from leverage_sim.calibration.reference import build_table
from leverage_sim.calibration.smc import Target
from tests.test_inference import FACTS, PRIORS, binomial_model

NOISE = 12
"""Facts that carry no information (pure noise) added in the many-facts toy."""


def noisy_model(values, seed):
    """The toy with ``NOISE`` more facts that are pure noise."""
    out = binomial_model(values, seed)
    rng = np.random.default_rng([seed, 7])
    out.update({f"noise{i}": float(rng.normal()) for i in range(NOISE)})
    return out


NOISY_FACTS = [*FACTS, *(f"noise{i}" for i in range(NOISE))]
POINT = [Target("k", 12, 12, 12), Target("noise", 0.0, 0.0, 0.0), Target("c", 1.0, 1.0, 1.0)]


@pytest.fixture(scope="module")
def table():
    return build_table(binomial_model, PRIORS, FACTS, 8000, seed=1)


@pytest.fixture(scope="module")
def noisy():
    return build_table(noisy_model, PRIORS, NOISY_FACTS, 8000, seed=1)


def moments(u, w, j):
    mean = w @ u[:, j]
    return mean, np.sqrt(w @ (u[:, j] - mean) ** 2)


def test_recovers_the_analytic_posterior_and_leaves_the_uninformed_at_the_prior(table):
    """k = 12 of 30 with a uniform prior: ``a`` ~ Beta(13, 19); ``b`` does nothing."""
    u, w = ProjectedPosterior(table, accept=300).sample(POINT)
    mean, sd = moments(u, w, 0)
    assert mean == pytest.approx(13 / 32, abs=0.04)
    assert sd == pytest.approx(np.sqrt(13 * 19 / (32**2 * 33)), rel=0.35)
    assert moments(u, w, 1)[1] == pytest.approx(np.sqrt(1 / 12), rel=0.15)


def test_the_summaries_follow_the_parameter_they_predict(table):
    """A larger k predicts a larger ``a`` (a flipped regression fails this)."""
    post = ProjectedPosterior(table)
    low, high = post.summaries(np.array([[5.0, 0.0, 1.0], [25.0, 0.0, 1.0]]))
    assert high[0] > low[0] + 0.4
    assert abs(high[1] - low[1]) < 0.05  # ``b``: nothing to predict


def test_covers_the_truth(table):
    cov = coverage.check(table, POINT, lambda t: ProjectedPosterior(t, 300), 200, seed=4)
    assert cov.within(0.9, 0.83, 0.97), cov.table


def test_noise_facts_do_not_widen_it_as_they_widen_rejection(noisy):
    """With 12 pure-noise facts besides the informative one, rejection on the facts keeps rows
    that match the noise, and its posterior of ``a`` widens toward the prior; the learnt
    summaries ignore the noise."""
    record = POINT + [Target(f"noise{i}", 0.0, 0.0, 0.0) for i in range(NOISE)]
    exact = np.sqrt(13 * 19 / (32**2 * 33))
    _, sd_projected = moments(*ProjectedPosterior(noisy, 300).sample(record), 0)
    _, sd_rejection = moments(*RejectionPosterior(noisy, 300, adjust=False,
                                                  balance=False).sample(record), 0)
    assert sd_projected < 1.35 * exact
    assert sd_rejection > 1.5 * exact


def test_the_adjusted_summaries_narrow_toward_the_analytic_posterior_and_still_cover(table):
    """``adjust``: the kept rows regressed on their summaries' gaps to the record's. On the toy
    the tolerance leaves ``a`` wider than Beta(13, 19); adjusted it is closer to the exact sd
    (adding the part the gaps explain instead of removing it widens it), ``b`` stays at its
    prior, and the intervals still cover."""
    exact = np.sqrt(13 * 19 / (32**2 * 33))
    plain = moments(*ProjectedPosterior(table, 600).sample(POINT), 0)
    u, w = ProjectedPosterior(table, 600, adjust=True).sample(POINT)
    mean, sd = moments(u, w, 0)
    assert mean == pytest.approx(13 / 32, abs=0.03)
    assert abs(sd - exact) < abs(plain[1] - exact) and sd < plain[1]
    assert moments(u, w, 1)[1] == pytest.approx(np.sqrt(1 / 12), rel=0.15)
    cov = coverage.check(table, POINT, lambda t: ProjectedPosterior(t, 300, adjust=True), 200,
                         seed=4)
    assert cov.within(0.9, 0.83, 0.97), cov.table
