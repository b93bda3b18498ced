"""Plot helpers on small runs: a figure is produced, axes are labelled from the schema and
start at 0, series are all there."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.ticker import MaxNLocator
from scipy import stats

import leverage_sim as ls
from leverage_sim.analysis import prim
from leverage_sim.outputs import plots
from leverage_sim.outputs.report import OUTCOMES
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


def test_scenario_bands_median_shaded_50_and_thin_90_lines_per_scenario(runs, ax):
    out = plots.scenario_bands(ax, runs, "authority", ylabel="index (0-1)")
    assert out is ax
    medians = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert [line.get_label() for line in medians] == ["replay (n=4)", "full backing (n=4)"]
    assert medians[0].get_linestyle() != medians[1].get_linestyle()  # coinciding lines show
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 2  # 50% shaded
    assert len(ax.get_lines()) == 2 + 2 * 2  # 90%: two thin lines per scenario
    assert ax.get_ylabel() == "index (0-1)" and ax.get_xlabel() == "date"
    assert "50% and 90%" in ax.get_title() and ax.get_ylim() == (0, 1)
    # the median line is the median over replications on each date
    ts = runs["replay"].timeseries
    np.testing.assert_allclose(medians[0].get_ydata(), ts.groupby("date")["authority"].median())


def test_split_band_plot_one_median_per_standoff_outcome(runs, ax):
    res = runs["replay"]
    plots.split_band_plot(ax, res, "authority")
    groups = plots.standoff_groups(res.summary)
    expected = {f"{g} (n={n})" for g, n in groups.value_counts().items()}
    medians = {line.get_label(): line for line in ax.get_lines()
               if not line.get_label().startswith("_")}
    assert set(medians) == expected
    name, n = groups.value_counts().index[0], groups.value_counts().iloc[0]
    ts = res.timeseries[res.timeseries["replication"].isin(groups.index[groups == name])]
    np.testing.assert_allclose(medians[f"{name} (n={n})"].get_ydata(),
                               ts.groupby("date")["authority"].median())
    assert ax.get_ylim() == (0, 1) and ax.get_ylabel() == "government authority (index 0-1)"


def _weekly_table(start: str, days: int, reps: int, attacks: int) -> pd.DataFrame:
    """Every replication has ``attacks`` attacks on each day (one intercepted if any)."""
    dates = pd.date_range(start, periods=days, freq="D")
    return pd.DataFrame([{"replication": r, "day": d, "date": dates[d], "attacks": attacks,
                          "attacks_intercepted": min(attacks, 1)}
                         for r in range(reps) for d in range(days)])


def test_weekly_attacks_bins_whole_weeks_from_a_thursday_start(ax):
    ts = _weekly_table("2020-05-07", 40, reps=3, attacks=2)  # a Thursday; 5 weeks + 5 days
    plots.weekly_attacks(ax, ts, horizon_days=40)
    bars = [p for p in ax.patches if p.get_facecolor()[:3] == pytest.approx(
        matplotlib.colors.to_rgb("tab:red"))]
    lefts = sorted(matplotlib.dates.num2date(p.get_x()).date() for p in bars)
    assert [str(d) for d in lefts] == ["2020-05-07", "2020-05-14", "2020-05-21", "2020-05-28",
                                       "2020-06-04", "2020-06-11"]
    # two attacks a day: 14 per week in every bin, the partial last week's rate scaled to 7
    np.testing.assert_allclose([p.get_height() for p in bars], 14)
    partial = [p for p in bars if p.get_hatch()]
    assert len(partial) == 1 and partial[0].get_width() < 5
    assert any("last 5 days" in t.get_text() for t in ax.get_legend().get_texts())
    end = matplotlib.dates.num2date(ax.get_xlim()[1]).date()
    assert str(end) == "2020-06-16"  # the axis ends at the horizon (day 40)
    assert ax.get_ylim()[0] == 0


def test_weekly_attacks_show_the_interval_across_runs(ax):
    ts = pd.concat([_weekly_table("2020-05-07", 14, reps=1, attacks=1),
                    _weekly_table("2020-05-07", 14, reps=1, attacks=3).assign(replication=1)])
    plots.weekly_attacks(ax, ts)  # weekly attacks: 7 in one run, 21 in the other; mean 14
    (bars,) = [c for c in ax.containers if isinstance(c, matplotlib.container.ErrorbarContainer)]
    segments = bars.lines[2][0].get_segments()
    np.testing.assert_allclose([(s[0][1], s[1][1]) for s in segments],
                               [np.quantile([7, 21], [0.05, 0.95])] * 2)
    assert "90% of runs" in [t.get_text() for t in ax.get_legend().get_texts()][-1]
    assert ax.get_ylim()[1] >= np.quantile([7, 21], 0.95)


def test_date_ticks_name_their_month(ax):
    plots.date_axis(ax, "2020-05-07", 90)
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[0] == "15 May" and all(t[-3:] in ("May", "Jun", "Jul", "Aug") for t in ticks)
    assert ax.xaxis.get_offset_text().get_text() == "2020"


def test_weekly_attacks_with_no_attacks_starts_at_zero(ax):
    plots.weekly_attacks(ax, _weekly_table("2020-05-07", 10, reps=2, attacks=0))
    assert ax.get_ylim() == (0, 1)
    assert all(p.get_height() == 0 for p in ax.patches)


def test_outcome_shares_by_scenario_bars_and_intervals(runs, ax):
    summaries = {k: r.summary for k, r in runs.items()}
    plots.outcome_shares_by_scenario(ax, summaries)
    assert len(ax.patches) == len(OUTCOMES) * 2
    heights = {}
    for p in ax.patches:
        heights.setdefault(p.get_facecolor(), []).append(p.get_width())
    first = next(iter(heights.values()))
    np.testing.assert_allclose(first, ls.outputs.report.outcome_shares(runs["replay"].summary))
    assert "share of runs" in ax.get_xlabel() and ax.get_xlim() == (0, 1)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["replay (n=4)",
                                                                    "full backing (n=4)"]
    # error bars: the exact (Clopper-Pearson) 90% interval of each share over 4 runs
    errbars = [c for c in ax.containers if not hasattr(c, "patches")]
    k = np.rint(np.asarray(first) * 4)
    lo = np.where(k > 0, stats.beta.ppf(0.05, k, 5 - k), 0)
    hi = np.where(k < 4, stats.beta.ppf(0.95, k + 1, 4 - np.minimum(k, 3)), 1)
    ends = np.array([seg[:, 0] for seg in errbars[0].lines[2][0].get_segments()])
    np.testing.assert_allclose(ends, np.column_stack([lo, hi]))
    assert ax.get_yticklabels()[0].get_text() == OUTCOMES["relented"][1]


def test_outcome_bars_carry_intervals(runs, ax):
    plots.outcome_bars(ax, runs["replay"].summary)
    assert len(ax.patches) == len(OUTCOMES)
    assert [c for c in ax.containers if not hasattr(c, "patches")], "no error bars"
    assert "n=4" in ax.get_title()


def test_compare_chart_honest_axes_and_integer_legend(runs):
    from leverage_sim.analysis.comparison import Comparison

    fig = Comparison(runs, seed=5).chart()
    texts = [t.get_text() for a in fig.axes if a.get_legend() for t in a.get_legend().get_texts()]
    assert "replay (n=4)" in texts and not any("n=4.0" in t for t in texts)
    authority = [a for a in fig.axes if a.get_ylabel().startswith("government authority")]
    assert len(authority) == 1 and all(a.get_ylim() == (0, 1) for a in fig.axes
                                       if "n=4)" in a.get_title())
    attacks = next(a for a in fig.axes if a.get_xlabel().startswith("attacks"))
    assert attacks.get_xlim()[0] == 0
    plt.close(fig)


def test_event_timeline_rows_match_the_replication(runs, ax):
    """The first replication (of 4) whose log has a raid and a muster: a row for each, a row
    for a relent exactly when there was one, a point per attack that hit."""
    events = runs["replay"].events
    rep = next(r for r, e in events.groupby("replication")
               if {"raid", "muster"} <= set(e["action"]))
    plots.event_timeline(ax, events, replication=rep)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    ev = events[events["replication"] == rep]
    assert "raid" in labels and "muster" in labels
    assert ("government relents" in labels) == (ev["action"] == "relent").any()
    hits = ((ev["action"] == "attack") & (ev["detail"] != "intercepted")).sum()
    points = {t: len(c.get_offsets()) for t, c in zip(labels, ax.collections)}
    assert points.get("attack (hit)", 0) == hits
    assert ax.get_xlabel() == "date" and f"replication {rep}" in ax.get_title()
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
    assert [t.get_text() for t in ax.get_xticklabels()] == names  # no schema path: as given
    assert ax.get_ylabel() and ax.get_title()
    assert len(ax.get_legend().get_texts()) == 2
    assert -0.2 < ax.get_ylim()[0] <= 0 and (kind != "sobol" or ax.get_ylim()[1] >= 1)


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
    assert [line.get_label() for line in lines] == [
        "share of runs where the government held firm",
        "share of runs where the government relented"]
    assert lines[0].get_linestyle() != lines[1].get_linestyle()
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 2
    np.testing.assert_allclose(lines[0].get_xdata(), [0, 0.5, 1])
    expected = (grid["held_firm"] > 0).groupby(grid["foreign_forces.backing"]).mean()
    np.testing.assert_allclose(lines[0].get_ydata(), expected)
    assert ax.get_xlabel() == "foreign backing (probability 0-1)"  # no scenario's force given
    assert ax.get_ylabel() == "share of runs" and ax.get_ylim() == (0, 1)
    assert "6 runs per point" in ax.get_title()


def test_response_curve_one_line_per_value_of_a_second_parameter(grid, ax):
    plots.response_curve(ax, grid, "foreign_forces.backing", "attacks", by="patron.instigation",
                         force="US")
    assert [line.get_label() for line in ax.get_lines()] == [
        "patron instigation = 0.2", "patron instigation = 0.8"]
    means = grid.groupby(["patron.instigation", "foreign_forces.backing"])["attacks"].mean()
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), means.loc[0.8])
    assert ax.get_ylabel() == "attacks on US-linked sites (count)"
    assert "mean per run" in ax.get_title()
    assert ax.get_ylim()[0] == 0  # never zoomed in on the noise
    assert isinstance(ax.yaxis.get_major_locator(), MaxNLocator)
    with pytest.raises(ls.InputError, match="No column"):
        plots.response_curve(ax, grid, "government.resolve", "attacks")


def test_heatmap_cells_are_point_shares(grid, ax):
    plots.heatmap(ax, grid, "foreign_forces.backing", "patron.instigation", "held_firm>0",
                  force="US")
    image = ax.get_images()[0].get_array()
    assert image.shape == (2, 3)
    share = (grid["held_firm"] > 0).groupby(
        [grid["patron.instigation"], grid["foreign_forces.backing"]]).mean().unstack()
    np.testing.assert_allclose(image, share.to_numpy())
    assert ax.get_xlabel() == "US backing (probability 0-1)"
    assert ax.get_ylabel() == "patron instigation (index 0-1)"
    assert len(ax.texts) == 6 and len(ax.figure.axes) == 2  # the cells' values and a colour bar
    assert "share of runs" in ax.figure.axes[1].get_ylabel()
    assert ax.get_images()[0].get_clim() == (0, 1)


def test_heatmap_colour_scale_of_counts_starts_at_zero(grid, ax):
    plots.heatmap(ax, grid, "foreign_forces.backing", "patron.instigation", "attacks",
                  force="MNF-I")
    assert ax.get_images()[0].get_clim()[0] == 0
    assert ax.figure.axes[1].get_ylabel() == "attacks on MNF-I-linked sites (count): mean per run"


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


def test_calibration_charts_name_parameters_and_facts_in_words():
    from leverage_sim.calibration import charts
    from leverage_sim.calibration.smc import Prior, Target

    priors = [Prior("foreign_forces.ground_multiplier", "uniform", 1, 6),
              Prior("government.prior_backing", "uniform", 0.05, 0.8)]
    rng = np.random.default_rng(1)
    post = pd.DataFrame({"foreign_forces.ground_multiplier": rng.uniform(1, 6, 50),
                         "government.prior_backing": rng.uniform(0.05, 0.8, 50),
                         "weight": np.full(50, 1 / 50)})
    fig = charts.marginals(post, priors, {"government.prior_backing": 0.35})
    shown = fig.axes[:2]
    assert [ax.get_title().replace("\n", " ") for ax in shown] == [
        "foreign ground multiplier", "government prior backing"]  # episodes of several forces
    assert [ax.get_xlabel() for ax in shown] == ["personnel-equivalent per soldier",
                                                  "probability 0-1"]
    assert all(ax.get_ylabel() == "density" for ax in shown)
    pairs = charts.pairs(post, priors)
    texts = {t.replace("\n", " ") for ax in pairs.axes for t in (ax.get_xlabel(),
                                                                  ax.get_ylabel()) if t}
    assert texts == {"foreign ground multiplier", "government prior backing"}
    target = Target("june_2020_raid.kh_muster", 150, 100, 200)
    pred = charts.predictive(pd.DataFrame({target.name: rng.uniform(50, 250, 50)}),
                             np.full(50, 1 / 50), [target])
    ax = pred.axes[0]
    assert ax.get_title() == "June 2020 raid: kh muster"
    assert ax.get_xlabel() and ax.get_ylabel()
    plt.close("all")


def test_a_wide_comparison_wraps_its_panels_to_rows_of_six(runs):
    """Fifteen columns: the figure stays a page wide (six panels a row, three rows), every
    scenario keeps its panel, and each row's first panel carries the axis label."""
    from leverage_sim.analysis.comparison import PANELS_PER_ROW, Comparison

    many = {f"s{i}": runs["replay"] for i in range(15)}
    fig = Comparison(many, seed=5).chart()
    panels = [a for a in fig.axes if a.get_title().endswith("(n=4)")]
    assert [a.get_title() for a in panels] == [f"s{i} (n=4)" for i in range(15)]
    assert fig.get_figwidth() <= 4 * PANELS_PER_ROW
    labelled = [a for a in panels if a.get_ylabel().startswith("government authority")]
    assert labelled == [panels[0], panels[6], panels[12]]
    bars = next(a for a in fig.axes if a.get_title() == "Outcomes by scenario")
    fig.canvas.draw()
    legend, frame = bars.get_legend().get_window_extent(), bars.get_window_extent()
    assert legend.x0 >= frame.x1  # fifteen entries beside the bars, not over them
    per_bar = frame.height / fig.dpi / (8 * 15)
    assert per_bar >= 0.03  # inches a bar: eight outcomes, fifteen bars each
    plt.close(fig)
