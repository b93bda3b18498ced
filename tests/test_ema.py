"""The EMA Workbench model (``leverage_sim.ema``, extra ``[ema]``): levers as uncertainties over
their schema ranges, the summary columns as outcomes, replications seeded as ``leverage-sim
run`` seeds them."""

from __future__ import annotations

import pytest

pytest.importorskip("ema_workbench", reason="the [ema] extra (ema_workbench) is not installed")

from ema_workbench import perform_experiments

import leverage_sim as ls
from leverage_sim import ema

REPLAY = "june_2020_replay"
OUTCOMES = ["relents", "held_firm", "attacks", "us_withdrawn"]


def test_levers_are_uncertainties_over_schema_ranges():
    model = ema.model(REPLAY, replications=2, levers={
        "foreign_forces.backing": None, "militias[KH].mobilisation": (0.2, 0.6),
        "government.enforcement_capacity": (100, 900)})
    bounds = {u.name: (u.lower_bound, u.upper_bound, type(u).__name__)
              for u in model.uncertainties}
    assert bounds == {"foreign_forces_backing": (0.0, 1.0, "RealParameter"),
                      "militias_KH_mobilisation": (0.2, 0.6, "RealParameter"),
                      "government_enforcement_capacity": (100, 900, "IntegerParameter")}
    assert [o.name for o in model.outcomes] == list(ls.runner.SUMMARY_COLUMNS[2:])


@pytest.mark.parametrize("levers, message", [
    (["foreign_forces.nothing"], "not a numeric scenario parameter"),
    (["name"], "not a numeric scenario parameter"),
    ({"foreign_forces.backing": (0.5, 1.5)}, "within the schema"),
])
def test_bad_levers_are_input_errors(levers, message):
    with pytest.raises(ls.InputError, match=message):
        ema.model(REPLAY, levers=levers)


def test_experiments_are_the_runs_leverage_sim_would_make():
    model = ema.model(REPLAY, replications=3, levers=["foreign_forces.backing",
                                                      "patron.instigation"], outcomes=OUTCOMES)
    experiments, outcomes = perform_experiments(model, scenarios=3)
    for i, row in experiments.iterrows():
        levers = {"foreign_forces.backing": row["foreign_forces_backing"],
                  "patron.instigation": row["patron_instigation"]}
        summary = ls.run(REPLAY, replications=3, overrides=levers, posterior=None).summary
        for o in OUTCOMES:
            assert outcomes[o][i] == pytest.approx(summary[o].astype(float).mean()), (i, o)
