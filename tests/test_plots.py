"""Plot helpers on small runs: a figure is produced, axes are labelled, series are all there."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from scipy import stats

import leverage_sim as ls
from leverage_sim import plots
from leverage_sim.analysis import prim
from leverage_sim.report import OUTCOMES
from leverage_sim.sweep import SweepSpec, load_sweep, run_sweep


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
    first = next(iter(heights.values()))
    np.testing.assert_allclose(first, ls.report.outcome_shares(runs["replay"].summary))
    assert "share of runs" in ax.get_xlabel() and ax.get_legend() is not None
    # error bars: the exact (Clopper-Pearson) 90% interval of each share over 4 runs
    errbars = [c for c in ax.containers if not hasattr(c, "patches")]
    k = np.rint(np.asarray(first) * 4)
    lo = np.where(k > 0, stats.beta.ppf(0.05, k, 5 - k), 0)
    hi = np.where(k < 4, stats.beta.ppf(0.95, k + 1, 4 - np.minimum(k, 3)), 1)
    ends = np.array([seg[:, 0] for seg in errbars[0].lines[2][0].get_segments()])
    np.testing.assert_allclose(ends, np.column_stack([lo, hi]))
    assert ax.get_yticklabels()[0].get_text() == "relented"


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


# ---- sweeps ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    spec = SweepSpec.from_cli("june_2020_replay", ["foreign_forces.backing=0:1:3",
                                                   "patron.instigation=0.2,0.8"],
                              replications=3, seed=4)
    return load_sweep(run_sweep(spec, tmp_path_factory.mktemp("grid"), executor="serial"))


def test_response_curve_shares_with_intervals(grid, ax):
    outcomes = ["held_firm>0", "relents>0"]
    plots.response_curve(ax, grid, "foreign_forces.backing", outcomes)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == outcomes
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 2
    np.testing.assert_allclose(lines[0].get_xdata(), [0, 0.5, 1])
    expected = (grid["held_firm"] > 0).groupby(grid["foreign_forces.backing"]).mean()
    np.testing.assert_allclose(lines[0].get_ydata(), expected)
    assert ax.get_xlabel() == "foreign_forces.backing" and ax.get_ylabel() == "share of runs"
    assert "6 runs per point" in ax.get_title()


def test_response_curve_one_line_per_value_of_a_second_parameter(grid, ax):
    plots.response_curve(ax, grid, "foreign_forces.backing", "attacks", by="patron.instigation")
    assert [line.get_label() for line in ax.get_lines()] == [
        "patron.instigation = 0.2", "patron.instigation = 0.8"]
    means = grid.groupby(["patron.instigation", "foreign_forces.backing"])["attacks"].mean()
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), means.loc[0.8])
    assert ax.get_ylabel() == "attacks: mean per run"
    with pytest.raises(ls.InputError, match="No column"):
        plots.response_curve(ax, grid, "government.resolve", "attacks")


def test_heatmap_cells_are_point_shares(grid, ax):
    plots.heatmap(ax, grid, "foreign_forces.backing", "patron.instigation", "held_firm>0")
    image = ax.get_images()[0].get_array()
    assert image.shape == (2, 3)
    share = (grid["held_firm"] > 0).groupby(
        [grid["patron.instigation"], grid["foreign_forces.backing"]]).mean().unstack()
    np.testing.assert_allclose(image, share.to_numpy())
    assert ax.get_xlabel() == "foreign_forces.backing" and ax.get_ylabel() == "patron.instigation"
    assert len(ax.texts) == 6 and len(ax.figure.axes) == 2  # the cells' values and a colour bar
    assert "share of runs" in ax.figure.axes[1].get_ylabel()


def test_prim_trajectory(ax):
    x = pd.DataFrame({"a": np.linspace(0, 1, 200)})
    res = prim(x, x["a"] > 0.7)
    plots.prim_trajectory(ax, res.trajectory, selected=res.select())
    dots, circle = ax.collections
    assert len(dots.get_offsets()) == len(res.trajectory)
    np.testing.assert_allclose(circle.get_offsets()[0],
                               res.trajectory.loc[res.select(), ["coverage", "density"]])
    assert ax.get_xlabel().startswith("coverage") and ax.get_ylabel().startswith("density")
    assert len(ax.figure.axes) == 2  # with a colour bar
