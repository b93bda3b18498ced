"""Careless or hostile input found by the fifteenth audit, of the Python API notebook users call
(the earlier audits mostly hit the command line). Each was a bare exception from deep inside
(pandas, numpy, SALib, scikit-learn, matplotlib) or a silent wrong answer; each is now an
:class:`InputError` naming the argument and the fix:

- overrides given as ``bytes`` (``run``, ``load_scenario``, ``DashboardModel``) were read as
  their byte values ("Override 102 is not 'path=value' text"), and ``DashboardModel(overrides=
  "a=1")`` split one text into its characters ("Override 'f' has no '='") where ``run`` reads
  one text as one override;
- ``Results.write_tables`` into a folder that does not exist, a file, or ``None`` (an
  ``OSError``/``TypeError`` from pandas), or with a table replaced by something else;
- a :class:`Comparison` built by hand: empty (``IndexError``/``StopIteration``), or with
  columns run on other seeds, other replication counts or another posterior: effects were
  computed as paired differences of unpaired runs (a silent wrong answer) or a numpy
  broadcasting ``ValueError``;
- the charts: a Results argument given a table (``AttributeError``), a mapping given a list, a
  column name given a list (``TypeError: unhashable``), ``response_curve`` with no outcome
  (``IndexError``), ``heatmap`` over a swept name (text) or with an unknown ``cmap``, band
  ``levels`` outside 0-1, ``prim_trajectory``'s ``selected`` not a row (``KeyError``), and
  ``event_timeline``'s replication ``"1"`` ("No events for replication 1; replications present:
  [0, 1]") or ``1.0``;
- scenario discovery: ``prim`` with an outcome that is no numbers, ``PrimResult.box``/``inside``
  with a box that does not exist (``IndexError``, ``TypeError``, and ``-1`` silently the last)
  or a table without the parameters (``KeyError``), ``select`` with NaN or 80 (silently the
  densest box); ``tree_leaves`` with ``max_depth`` 0, 1.5 (scikit-learn's error) or ``True``
  (silently 1) and ``min_leaf`` above 0.5;
- ``sobol_indices``/``morris_indices`` with a problem that is no SALib problem, ``level`` 2,
  ``resamples`` 0 or 10**9 (a ``MemoryError``), seed -1, text outputs, and Morris ``levels``
  0 or 1 (indices of ±inf, silently);
- ``episode_figures`` given a table and ``compare_with_record`` given Results, an empty table
  or ``level`` 5;
- the posterior: ``Posterior.draw`` with seed -1 (numpy's ``ValueError``), 1.5 or ``True``
  (silently seed 1) or 2**64 (a seed no run has), ``use``/``apply`` with a scenario name,
  ``use(fixed="a.b")`` read as characters, ``load_posterior(5)`` and ``load_posterior(path,
  allow_stale="no")``, which allowed a stale posterior;
- ``SweepSpec.from_cli(None, ...)`` (a ``TypeError`` from pathlib);
- ``sweep_indices``/``sensitivity`` with one outcome as text (``"attacks"``) read it as its
  characters ("Outcome 'a': no column 'a'"), and with none returned an empty answer.

Tried and already refused or handled, so not repeated here: ``run`` with seeds -1, 2**63, 1.0,
``True``, ``"1"``, replications 0 or ``pd.NA``, bytes or a list for the scenario, an unknown or
``None`` engine, a posterior of 123, ``True``, ``b"none"`` or ``""``, overrides holding NaN,
inf, ``pd.NA``, ``None``, a non-text key or a huge horizon, a memory limit of 1 or 1.5;
``Results.save`` with a format of ``None``/``b"csv"``/``"CSV"``, ``out`` of bytes or None,
``force="yes"``, twice, over a user's folder or a file; ``compare`` with bytes or empty
variants and fewer than two columns; ``replication_seeds`` out of range; ``summarise`` on odd
tables; ``load_calibration`` on empty, list, binary, missing files and folders; ``load_sweep``
on a file or None; the dashboard's seed, levers (NaN, 2, text) and ``advance``; threads
running ``run`` with one seed at once (identical tables, both engines).
"""

from __future__ import annotations

import json
import shutil

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import leverage_sim as ls
from leverage_sim.analysis import episode, prim, tree_leaves
from leverage_sim.analysis.comparison import Comparison
from leverage_sim.analysis.sensitivity import morris_indices, sobol_indices, sweep_indices
from leverage_sim.dashboard.model import DashboardModel
from leverage_sim.errors import InputError
from leverage_sim.outputs import plots
from leverage_sim.simulation import posterior as post
from leverage_sim.sweep import SweepSpec


@pytest.fixture(scope="module")
def res() -> ls.Results:
    return ls.run("june_2020_replay", replications=2, seed=1)


@pytest.fixture
def ax():
    fig, axes = plt.subplots()
    yield axes
    plt.close(fig)


def _runs() -> pd.DataFrame:
    """A small sweep-like table: two swept parameters, one outcome, two runs per point."""
    grid = [(b, r) for b in (0.0, 0.5, 1.0) for r in (0.2, 0.8) for _ in range(2)]
    return pd.DataFrame({"foreign_forces.backing": [b for b, _ in grid],
                         "government.resolve": [r for _, r in grid],
                         "attacks": np.arange(len(grid), dtype=float)})


def test_overrides_given_as_bytes_or_one_text_to_the_dashboard_are_read_whole(res):
    for call in (lambda: ls.run("june_2020_replay", overrides=b"foreign_forces.backing=0.3"),
                 lambda: ls.load_scenario("june_2020_replay", b"foreign_forces.backing=0.3"),
                 lambda: DashboardModel(overrides=b"foreign_forces.backing=0.3")):
        with pytest.raises(InputError, match=r"Overrides b'foreign_forces.backing=0.3'"):
            call()
    model = DashboardModel(overrides="foreign_forces.backing=0.3")
    assert model.spec.foreign_forces.backing == 0.3


def test_write_tables_needs_an_existing_folder_and_tables(res, tmp_path):
    for folder in (tmp_path / "missing", None):
        with pytest.raises(InputError, match="write_tables' folder"):
            res.write_tables(folder)
    (tmp_path / "a_file").write_text("mine")
    with pytest.raises(InputError, match="not an existing folder"):
        res.write_tables(tmp_path / "a_file")
    assert (tmp_path / "a_file").read_text() == "mine"
    broken = ls.Results(**{**res.__dict__, "summary": None})
    with pytest.raises(InputError, match=r"Results.summary must be a pandas DataFrame"):
        broken.write_tables(tmp_path)
    assert list(tmp_path.iterdir()) == [tmp_path / "a_file"]  # nothing written


def test_a_comparison_built_by_hand_must_be_paired(res):
    for results in ({}, [res], {"a": res.summary}):
        with pytest.raises(InputError, match="Comparison's results must map"):
            Comparison(results, seed=1)
    with pytest.raises(InputError, match="seed"):
        Comparison({"a": res}, seed=-1)
    others = (ls.run("june_2020_replay", replications=2, seed=2),  # other seeds
              ls.run("june_2020_replay", replications=3, seed=1),  # more replications
              ls.run("june_2020_replay", replications=2, seed=1, posterior=None))
    for other in others:
        with pytest.raises(InputError, match="'b' of the comparison is not paired with 'a'"):
            Comparison({"a": res, "b": other}, seed=1).effects()
    same = ls.run("june_2020_replay", replications=2, seed=1,
                  overrides={"foreign_forces.backing": 0.9})
    assert len(Comparison({"a": res, "b": same}, seed=1).effects()) > 0


def test_charts_name_arguments_of_the_wrong_kind(res, ax):
    runs = _runs()
    cases = [
        (lambda: plots.run_overview(res.summary), "run_overview's res must be the Results"),
        (lambda: plots.split_band_plot(ax, None, "authority"), "split_band_plot's res"),
        (lambda: plots.scenario_bands(ax, [res], "authority"), "must map each label"),
        (lambda: plots.scenario_bands(ax, {"a": res.timeseries}, "authority"),
         r"results\['a'\] must be the Results"),
        (lambda: plots.scenario_panels([ax], [res], "authority"), "must map each label"),
        (lambda: plots.outcome_shares_by_scenario(ax, [res.summary]), "must map each label"),
        (lambda: plots.band_plot(ax, res.timeseries, "authority", levels=(1.5,)),
         "each of levels must be a number between 0 and 1"),
        (lambda: plots.band_plot(ax, res.timeseries, "authority", levels=0.9),
         "levels must be a non-empty list"),
        (lambda: plots.response_curve(ax, runs, ["foreign_forces.backing"], "attacks"),
         "response_curve's parameter must be one column name"),
        (lambda: plots.response_curve(ax, runs, "foreign_forces.backing", []),
         "at least one outcome"),
        (lambda: plots.heatmap(ax, runs, ["foreign_forces.backing"], "government.resolve",
                               "attacks"), "heatmap's x must be one column name"),
        (lambda: plots.heatmap(ax, runs, "foreign_forces.backing", "government.resolve",
                               "attacks", cmap="no_such_map"), "no matplotlib colour map"),
        (lambda: plots.event_timeline(ax, res.events, "1"), "replication must be a whole"),
        (lambda: plots.event_timeline(ax, res.events, 1.0), "replication must be a whole"),
    ]
    for call, message in cases:
        with pytest.raises(InputError, match=message):
            call()
    named = runs.assign(**{"foreign_forces.backing": runs["foreign_forces.backing"]
                           .map({0.0: "none", 0.5: "half", 1.0: "full"})})
    plots.heatmap(ax, named, "foreign_forces.backing", "government.resolve", "attacks")
    assert "half" in [t.get_text() for t in ax.get_xticklabels()]


def test_scenario_discovery_names_what_it_cannot_use(ax):
    runs = _runs()
    x = runs[["foreign_forces.backing", "government.resolve"]]
    y = (runs["foreign_forces.backing"] > 0.7).to_numpy()
    with pytest.raises(InputError, match="The outcome must be one 0/1"):
        prim(x, "held_firm")
    found = prim(x, y)
    n = len(found.boxes)
    for i in (n, -1, 1.5, True):
        with pytest.raises(InputError, match=f"none of the {n} boxes"):
            found.box(i)
    with pytest.raises(InputError, match="lacking government.resolve"):
        found.inside(runs[["foreign_forces.backing"]])
    for min_density in (float("nan"), 80):
        with pytest.raises(InputError, match="min_density must be a share"):
            found.select(min_density)
    with pytest.raises(InputError, match="selected must be a row of the PRIM trajectory"):
        plots.prim_trajectory(ax, found.trajectory, n + 5)
    for depth in (0, 1.5, True):
        with pytest.raises(InputError, match="max_depth must be a whole number"):
            tree_leaves(x, y, max_depth=depth)
    with pytest.raises(InputError, match="min_leaf must be a share"):
        tree_leaves(x, y, min_leaf=2)


def test_sensitivity_indices_check_their_arguments_before_salib():
    problem = {"num_vars": 2, "names": ["a", "b"], "bounds": [[0, 1], [0, 1]]}
    y = np.random.default_rng(0).random(32)
    cases = [
        (lambda: sobol_indices({}, y), "problem must be a SALib problem"),
        (lambda: sobol_indices([], y), "problem must be a SALib problem"),
        (lambda: sobol_indices(problem, y, level=2), "level must be a number between 0 and 1"),
        (lambda: sobol_indices(problem, y, resamples=0), "resamples must be a whole number"),
        (lambda: sobol_indices(problem, y, resamples=10**9), "resamples must be at most"),
        (lambda: sobol_indices(problem, y, seed=-1), "seed must be a whole number"),
        (lambda: sobol_indices(problem, ["a"] * 32), "model outputs must be numbers"),
        (lambda: morris_indices(problem, np.random.rand(6, 2), np.random.rand(6), levels=0),
         "levels must be a whole number"),
        (lambda: morris_indices(problem, np.random.rand(6, 2), np.random.rand(6), levels=1),
         "must be at least 2"),
        (lambda: morris_indices(problem, np.random.rand(6, 3), np.random.rand(6)),
         "one column per parameter"),
    ]
    for call, message in cases:
        with pytest.raises(InputError, match=message):
            call()


def test_episode_helpers_name_what_they_take(res):
    with pytest.raises(InputError, match="episode_figures' res must be the Results"):
        episode.episode_figures(res.summary)
    figures = episode.episode_figures(res)
    for table in (res, figures.iloc[:0]):
        with pytest.raises(InputError, match="compare_with_record takes the table"):
            episode.compare_with_record(table)
    with pytest.raises(InputError, match="level must be a number between 0 and 1"):
        episode.compare_with_record(figures, level=5)


def test_posterior_draws_take_only_seeds_and_scenarios(res, tmp_path):
    p = post.resolve("default")
    for seed in (-1, 1.5, True, 2**64, "1"):
        with pytest.raises(InputError, match="must be a whole number from 0 to 2\\*\\*63-1"):
            p.draw(seed)
    with pytest.raises(InputError, match="take a Scenario"):
        p.apply("june_2020_replay", 1)
    assert p.draw(np.uint64(5)) == p.draw(5)
    one = p.use(res.scenario, "foreign_forces.air_support")  # one path, not its characters
    assert "foreign_forces.air_support" in one.kept
    with pytest.raises(InputError, match="A posterior folder must be text or a pathlib.Path"):
        post.load_posterior(5)
    stale = tmp_path / "stale"
    shutil.copytree(post.DEFAULT_DIR, stale)
    manifest = json.loads((stale / "manifest.json").read_text())
    manifest["model_fingerprint"] = {"code": "another", "behaviour": "model"}
    (stale / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(InputError, match="allow_stale must be True or False"):
        post.load_posterior(stale, allow_stale="no")


def test_a_sweep_from_python_pieces_names_a_missing_base():
    with pytest.raises(InputError, match="The sweep's base scenario"):
        SweepSpec.from_cli(None, ["foreign_forces.backing=0:1:3"])


def test_sensitivity_takes_one_outcome_as_text_and_refuses_none(tmp_path):
    spec = SweepSpec.from_cli("june_2020_replay", ["foreign_forces.backing=0:1",
                                                   "government.resolve=0.2:0.8"],
                              design="morris", samples=2, replications=1, seed=1)
    ls.run_sweep(spec, tmp_path / "sa", workers=1)
    assert list(sweep_indices(tmp_path / "sa", "attacks")) == ["attacks"]  # not 'a', 't', ...
    with pytest.raises(InputError, match="outcomes must be one or more outcomes"):
        sweep_indices(tmp_path / "sa", [])


@pytest.mark.parametrize("outcomes", [5, {"attacks": 1}, ["attacks", 5]])
def test_response_curve_names_outcomes_of_the_wrong_kind(outcomes, ax):
    """The audit's open point: ``outcomes=5`` raised a TypeError and a mapping silently drew
    its keys."""
    with pytest.raises(InputError, match="response_curve's outcomes"):
        plots.response_curve(ax, _runs(), "foreign_forces.backing", outcomes)


def test_compare_refuses_a_mapping_of_scenarios_instead_of_reading_its_keys():
    """The audit's open point: ``compare({"a": ..., "b": ...})`` looked up scenarios named 'a'
    and 'b' (a mapping's keys), and said "No scenario named 'a'"."""
    with pytest.raises(InputError, match="not a mapping .* keys 'a', 'b'"):
        ls.compare({"a": "june_2020_replay", "b": "june_2020_us_withdrawn"}, 2)
