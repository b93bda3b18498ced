"""Plot helpers on small runs: a figure is produced, axes are labelled, series are all there."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402

import leverage_sim as ls  # noqa: E402
from leverage_sim import plots  # noqa: E402
from leverage_sim.report import OUTCOMES  # noqa: E402


@pytest.fixture(scope="module")
def runs():
    low = ls.run("june_2020_replay", replications=4, seed=5)
    high = ls.run("june_2020_replay", replications=4, seed=5,
                  overrides={"foreign_forces.backing": 1.0})
    return {"replay": low, "full backing": high}


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_run_overview_keeps_working(runs):
    fig = plots.run_overview(runs["replay"])
    assert len(fig.axes) == 4 and "4 replications" in fig._suptitle.get_text()
    plt.close(fig)


def test_scenario_bands_one_median_and_two_bands_per_scenario(runs, ax):
    out = plots.scenario_bands(ax, runs, "authority", ylabel="index (0-1)")
    assert out is ax
    assert [line.get_label() for line in ax.get_lines()] == ["replay", "full backing"]
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 4
    assert ax.get_ylabel() == "index (0-1)" and ax.get_xlabel() == "date"
    assert "50% and 90%" in ax.get_title()
    # the median line is the median over replications on each date
    ts = runs["replay"].timeseries
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(),
                               ts.groupby("date")["authority"].median())


def test_outcome_shares_by_scenario_bars_and_intervals(runs, ax):
    summaries = {k: r.summary for k, r in runs.items()}
    plots.outcome_shares_by_scenario(ax, summaries)
    assert len(ax.patches) == len(OUTCOMES) * 2
    heights = {}
    for p in ax.patches:
        heights.setdefault(p.get_facecolor(), []).append(p.get_width())
    first = list(heights.values())[0]
    np.testing.assert_allclose(first, ls.report.outcome_shares(runs["replay"].summary))
    assert "share of runs" in ax.get_xlabel() and ax.get_legend() is not None
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "relented"


def test_binomial_interval_is_exact():
    lo, hi = plots.binomial_interval(np.array([0, 5, 10]), 10, 0.9)
    assert lo[0] == 0 and hi[2] == 1
    # Clopper-Pearson 90% for 5/10: [0.2224, 0.7776]
    assert lo[1] == pytest.approx(0.2224, abs=1e-4) and hi[1] == pytest.approx(0.7776, abs=1e-4)
    assert hi[0] == pytest.approx(1 - 0.05 ** 0.1)


def test_event_timeline_rows_match_the_replication(runs, ax):
    events = runs["replay"].events
    plots.event_timeline(ax, events, replication=1)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    ev = events[events["replication"] == 1]
    assert "raid" in labels and "muster" in labels
    assert ("government relents" in labels) == (ev["action"] == "relent").any()
    hits = ((ev["action"] == "attack") & (ev["detail"] != "intercepted")).sum()
    points = {t: len(c.get_offsets()) for t, c in zip(labels, ax.collections)}
    assert points.get("attack (hit)", 0) == hits
    assert ax.get_xlabel() == "date" and "replication 1" in ax.get_title()
    with pytest.raises(ls.InputError, match="replications present"):
        plots.event_timeline(ax, events, replication=99)


@pytest.mark.parametrize("kind", ["sobol", "morris"])
def test_sensitivity_bars(kind, ax):
    names = ["backing", "instigation", "interception"]
    if kind == "sobol":
        idx = pd.DataFrame({"S1": [0.5, 0.2, 0.0], "S1_conf": [0.05] * 3,
                            "ST": [0.6, 0.3, 0.05], "ST_conf": [0.04] * 3}, index=names)
    else:
        idx = pd.DataFrame({"mu": [1, -2, 0], "mu_star": [1.0, 2.0, 0.0],
                            "mu_star_conf": [0.1] * 3, "sigma": [0.2, 0.5, 0.0]}, index=names)
    plots.sensitivity_bars(ax, idx)
    assert len(ax.patches) == 6
    assert [t.get_text() for t in ax.get_xticklabels()] == names
    assert ax.get_ylabel() and ax.get_title()
    assert len(ax.get_legend().get_texts()) == 2
