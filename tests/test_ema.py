"""The EMA Workbench model (``leverage_sim.ema``, extra ``[ema]``): levers and uncertainties over
their schema ranges (and parameters added the EMA way) set on the scenario, the summary columns
as outcomes with a direction, daily series, replications seeded as ``leverage-sim run`` seeds
them, and a sweep as EMA's ``(experiments, outcomes)``."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("ema_workbench", reason="the [ema] extra (ema_workbench) is not installed")

from ema_workbench import (
    Policy,
    RealParameter,
    ScalarOutcome,
    Scenario,
    SequentialEvaluator,
    perform_experiments,
)
from ema_workbench.util import EMAError

import leverage_sim as ls
from leverage_sim import ema
from leverage_sim.sweep import SweepSpec, run_sweep

REPLAY = "june_2020_replay"
OUTCOMES = ["relents", "held_firm", "attacks", "us_withdrawn"]


def bounds(params) -> dict:
    return {p.name: (p.lower_bound, p.upper_bound, type(p).__name__) for p in params}


def test_levers_and_uncertainties_are_separate_over_schema_ranges():
    model = ema.model(REPLAY, replications=2, levers={
        "foreign_forces.backing": None, "government.enforcement_capacity": (100, 900)},
        uncertainties={"militias[KH].mobilisation": (0.2, 0.6), "instigation": None})
    assert bounds(model.levers) == {
        "foreign_forces_backing": (0.0, 1.0, "RealParameter"),
        "government_enforcement_capacity": (100, 900, "IntegerParameter")}
    assert bounds(model.uncertainties) == {
        "militias_KH_mobilisation": (0.2, 0.6, "RealParameter"),
        "patron_instigation": (0.0, 1.0, "RealParameter")}
    assert [o.name for o in model.outcomes] == list(ls.simulation.runner.SUMMARY_COLUMNS[2:])
    default = ema.model(REPLAY)
    assert [p.name for p in default.levers] == ["foreign_forces_backing", "government_resolve"]
    assert [p.name for p in default.uncertainties] == ["patron_instigation"]


def test_outcomes_have_a_direction():
    kinds = {o.name: o.kind for o in ema.model(REPLAY).outcomes}
    assert kinds["held_firm"] == ScalarOutcome.MAXIMIZE
    assert kinds["relents"] == kinds["attacks"] == ScalarOutcome.MINIMIZE
    assert kinds["raids"] == ScalarOutcome.INFO
    mine = ema.model(REPLAY, outcomes={"raids": "maximize", "attacks": "info"}).outcomes
    assert {o.name: o.kind for o in mine} == {"raids": ScalarOutcome.MAXIMIZE,
                                              "attacks": ScalarOutcome.INFO}


@pytest.mark.parametrize("kwargs, message", [
    ({"levers": ["foreign_forces.nothing"]}, "not a numeric scenario parameter"),
    ({"levers": ["name"]}, "Unknown lever 'name'"),
    ({"uncertainties": {"foreign_forces.backing": (0.5, 1.5)}}, "within the schema"),
    ({"levers": ["backing"], "uncertainties": ["foreign_forces.backing"]}, "both a lever"),
    ({"outcomes": {"held_firm": "best"}}, "maximize, minimize or info"),
    ({"timeseries": ["nothing"]}, "Unknown time series"),
])
def test_bad_parameters_are_input_errors(kwargs, message):
    with pytest.raises(ls.InputError, match=message):
        ema.model(REPLAY, **kwargs)


def test_experiments_are_the_runs_leverage_sim_would_make():
    model = ema.model(REPLAY, replications=3, levers=["foreign_forces.backing"],
                      uncertainties=["patron.instigation"], outcomes=OUTCOMES)
    experiments, outcomes = perform_experiments(model, scenarios=2, policies=2)
    assert len(experiments) == 4
    for i, row in experiments.iterrows():
        levers = {"foreign_forces.backing": row["foreign_forces_backing"],
                  "patron.instigation": row["patron_instigation"]}
        summary = ls.run(REPLAY, replications=3, overrides=levers, posterior=None).summary
        for o in OUTCOMES:
            assert outcomes[o][i] == pytest.approx(summary[o].astype(float).mean()), (i, o)


@pytest.mark.parametrize("declared", [True, False], ids=["ema.model", "added the EMA way"])
def test_policies_set_the_levers(declared):
    """Policies with no and full US backing: the government holds firm more often with it
    (the bug: levers added the EMA way were ignored, both policies gave the same results)."""
    model = ema.model(REPLAY, replications=8, outcomes=["held_firm", "relents"],
                      levers=["backing"] if declared else [], uncertainties=[])
    if not declared:
        model.levers = [RealParameter("foreign_forces_backing", 0, 1)]
    policies = [Policy("none", foreign_forces_backing=0.0),
                Policy("full", foreign_forces_backing=1.0)]
    experiments, outcomes = perform_experiments(model, scenarios=[Scenario("replay")],
                                                policies=policies)
    held = dict(zip(experiments["policy"], outcomes["held_firm"], strict=True))
    relents = dict(zip(experiments["policy"], outcomes["relents"], strict=True))
    assert held["full"] > held["none"] and relents["full"] < relents["none"]
    full = ls.run(REPLAY, replications=8, overrides={"foreign_forces.backing": 1.0},
                  posterior=None).summary
    assert held["full"] == pytest.approx(full["held_firm"].mean())


def test_an_unknown_parameter_added_the_ema_way_is_refused():
    model = ema.model(REPLAY, replications=1, levers=[], uncertainties=[])
    model.levers = [RealParameter("backng", 0, 1)]
    with pytest.raises(EMAError, match="InputError: EMA parameter.*'backng'"):
        perform_experiments(model, policies=[Policy("p", backng=0.5)],
                            scenarios=[Scenario("s")])


def test_timeseries_are_daily_means_over_replications():
    model = ema.model(REPLAY, replications=2, levers=[], uncertainties=[],
                      outcomes=["attacks"], timeseries=["authority", "attacks"])
    _, outcomes = perform_experiments(model, scenarios=[Scenario("replay")])
    res = ls.run(REPLAY, replications=2, posterior=None)
    ts = res.timeseries.groupby("day")[["authority", "attacks"]].mean()
    horizon = ls.load_scenario(REPLAY).horizon_days
    assert outcomes["daily_authority"].shape == (1, horizon)
    np.testing.assert_allclose(outcomes["daily_authority"][0], ts["authority"])
    np.testing.assert_allclose(outcomes["daily_attacks"][0], ts["attacks"])
    assert outcomes["attacks"][0] == ts["attacks"].sum()


def test_ema_optimize_searches_the_levers():
    """EMA's own many-objective search runs on the model (the outcome kinds give it goals)."""
    model = ema.model(REPLAY, replications=2, levers=["backing"], uncertainties=[],
                      outcomes=["held_firm", "attacks"])
    with SequentialEvaluator(model) as evaluator:
        found = evaluator.optimize(nfe=12, searchover="levers", epsilons=[0.5, 5])
    assert {"foreign_forces_backing", "held_firm", "attacks"} <= set(found.columns)
    assert len(found) >= 1


def test_ema_robust_search_over_the_uncertainties():
    """EMA's robust optimisation: the best levers across sampled uncertainties, scored by
    robustness functions of the outcomes."""
    model = ema.model(REPLAY, replications=2, levers=["backing"], uncertainties=["instigation"],
                      outcomes=["held_firm", "attacks"])
    robust = [ScalarOutcome("mean_held", kind=ScalarOutcome.MAXIMIZE, variable_name="held_firm",
                            function=np.mean),
              ScalarOutcome("mean_attacks", kind=ScalarOutcome.MINIMIZE,
                            variable_name="attacks", function=np.mean)]
    with SequentialEvaluator(model) as evaluator:
        found = evaluator.robust_optimize(robust, scenarios=3, nfe=12, epsilons=[0.5, 5],
                                          population_size=4)
    assert {"foreign_forces_backing", "mean_held", "mean_attacks"} <= set(found.columns)
    assert found["foreign_forces_backing"].between(0, 1).all()


def test_a_sweep_as_ema_experiments_and_outcomes(tmp_path):
    spec = SweepSpec.from_cli(REPLAY, ["foreign_forces.backing=0:1:3"], replications=3,
                              seed=11, overrides={"horizon_days": 60})
    out = run_sweep(spec, tmp_path / "s", executor="serial")
    experiments, outcomes = ema.sweep_experiments(out, ["held_firm", "us_withdrawn",
                                                        "held_firm>0"])
    assert list(experiments.columns) == ["foreign_forces_backing", "scenario", "policy",
                                         "model"]
    assert experiments["foreign_forces_backing"].tolist() == [0.0, 0.5, 1.0]
    runs = ls.load_sweep(out)
    for i, backing in enumerate(experiments["foreign_forces_backing"]):
        mine = runs[runs["foreign_forces.backing"] == backing]
        assert outcomes["held_firm"][i] == pytest.approx(mine["held_firm"].mean())
        assert outcomes["held_firm>0"][i] == pytest.approx((mine["held_firm"] > 0).mean())
    with pytest.raises(ls.InputError, match="no column 'nothing'"):
        ema.sweep_experiments(out, ["nothing"])
