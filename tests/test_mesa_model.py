"""LeverageModel behaves like any Mesa model: built from a scenario name, path or object (with
overrides), stops at the horizon, reports the summary's outcomes to Mesa's DataCollector, runs
under ``mesa.batch_run`` (Mesa 3.3 and 3.5) and under Mesa's own ``make_plot_component``."""

from __future__ import annotations

import inspect

import mesa
import numpy as np
import pytest

import leverage_sim as ls
from leverage_sim.simulation.model import TIMESERIES_COLUMNS, LeverageModel
from leverage_sim.simulation.outcomes import OUTCOMES, TOTAL_PREFIX
from leverage_sim.simulation.runner import simulate, summarise_run

REPLAY = "june_2020_replay"


def batch_run(parameters: dict, seeds: range) -> list[dict]:
    """``mesa.batch_run`` of LeverageModel with these seeds: Mesa 3.5 takes them as ``rng`` (and
    returns a row per militia of each run), Mesa 3.3 as the model's ``seed`` parameter."""
    if "rng" in inspect.signature(mesa.batch_run).parameters:
        extra = {"rng": seeds}
    else:
        parameters, extra = {**parameters, "seed": seeds}, {}
    return mesa.batch_run(LeverageModel, parameters, max_steps=10_000, display_progress=False,
                          **extra)


def reported(row: dict) -> dict:
    """The outcomes of a DataCollector row, under their summary names."""
    return {name: row[TOTAL_PREFIX + name if name in TIMESERIES_COLUMNS else name]
            for name in OUTCOMES}


def test_scenario_by_name_path_or_object_with_overrides(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(f"extends: {REPLAY}\nhorizon_days: 30\nevents: []\n", encoding="utf-8")
    by_path = LeverageModel(str(path), 7, overrides={"foreign_forces.backing": 0.9})
    assert (by_path.spec.horizon_days, by_path.spec.foreign_forces.backing) == (30, 0.9)
    assert LeverageModel(REPLAY, 7, overrides=["patron.instigation=0.2"]).spec == \
        ls.load_scenario(REPLAY, {"patron.instigation": 0.2})
    replay = ls.load_scenario(REPLAY)
    assert LeverageModel(replay, 7).spec is replay
    unseeded = LeverageModel(REPLAY)
    assert unseeded.rng.random() == LeverageModel(REPLAY, replay.seed).rng.random()
    with pytest.raises(ls.InputError, match="horizon_days"):
        LeverageModel(REPLAY, 7, overrides={"horizon_days": -1})
    for bad in (-1, 1.5, "3", True, 2**64):  # NumPy's own error (or a silent seed) before
        with pytest.raises(ls.InputError, match="seed must be a whole number"):
            LeverageModel(REPLAY, bad)
    assert LeverageModel(REPLAY, np.int64(7)).rng.random() == LeverageModel(REPLAY, 7).rng.random()


def test_levers_are_constructor_keywords():
    model = LeverageModel(REPLAY, backing=0.5, **{"militias[KH].autonomy": 0.4})
    assert model.spec == ls.load_scenario(REPLAY, {"foreign_forces.backing": 0.5,
                                                   "militias[KH].autonomy": 0.4})
    assert LeverageModel(troops=900, resolve=None).spec == \
        ls.load_scenario(REPLAY, {"foreign_forces.presence": 900})
    with pytest.raises(ls.InputError, match="Unknown lever 'bakcing'.*backing"):
        LeverageModel(REPLAY, bakcing=0.5)
    with pytest.raises(ls.InputError, match="foreign_forces.backing"):
        LeverageModel(REPLAY, backing=1.5)


def test_batch_run_binds_the_lever_keywords():
    rows = batch_run({"backing": [0.0, 1.0]}, range(4))
    runs = {r["RunId"]: r for r in rows}
    assert len(runs) == 8
    held = {0.0: 0, 1.0: 0}
    for row in runs.values():
        spec = ls.load_scenario(REPLAY, {"foreign_forces.backing": row["backing"]})
        expected = summarise_run(simulate(spec, row["seed"], collect_data=False), 0, 0)
        assert reported(row) == {k: expected[k] for k in OUTCOMES}
        held[row["backing"]] += row["held_firm"]
    assert held[1.0] > held[0.0]  # full US backing: the government holds firm more often


def test_running_turns_false_at_the_horizon():
    model = LeverageModel(REPLAY, 3, overrides={"horizon_days": 12, "events": []})
    for _ in range(12):
        assert model.running
        model.step()
    assert not model.running and model.day == 12


def test_batch_run_stops_at_the_horizon_and_returns_the_summary():
    replay = ls.load_scenario(REPLAY)
    rows = batch_run({"scenario": REPLAY}, range(3))
    runs = {r["RunId"]: r for r in rows}
    assert len(runs) == 3
    for row in runs.values():
        assert row["day"] == replay.horizon_days - 1  # the last day collected is the horizon's
        expected = summarise_run(simulate(replay, row["seed"], collect_data=False), 0, 0)
        assert reported(row) == {k: expected[k] for k in OUTCOMES}


def test_outcome_reporters_are_running_totals():
    model = simulate(ls.load_scenario(REPLAY), 11)
    df = model.datacollector.get_model_vars_dataframe()
    for daily in ("attacks", "attacks_intercepted", "us_casualties"):
        assert (df[TOTAL_PREFIX + daily] == df[daily].cumsum()).all(), daily
    assert df["total_attacks"].iloc[-1] > 0
    assert reported(df.iloc[-1].to_dict()) == {k: v for k, v in summarise_run(model, 11, 0).items()
                                                if k in OUTCOMES}


def test_mesa_plot_component_page_renders_our_model():
    """Mesa's own SolaraViz page with ``make_plot_component`` (a Vuetify tab view that needs
    ipyvuetify < 2 on Mesa 3.3: see the pins in pyproject.toml)."""
    solara = pytest.importorskip("solara")
    import ipywidgets
    from mesa.visualization import SolaraViz, make_plot_component, solara_viz

    model = LeverageModel(REPLAY, 1)
    for _ in range(10):
        model.step()
    slider = {"type": "SliderFloat", "value": 0.1, "label": "US backing", "min": 0.0,
              "max": 1.0, "step": 0.05}
    page = SolaraViz(model, components=[make_plot_component(["authority", "total_attacks"])],
                     model_params={"backing": slider}, name="leverage-sim")
    _, rc = solara.render(page, handle_error=False)
    images = rc.find(ipywidgets.Image).widgets
    assert len(images) == 1 and bytes(images[0].value).startswith(b"\x89PNG")
    check = getattr(solara_viz, "_check_model_params", None)  # what the slider panel runs
    if check is not None:
        check(LeverageModel.__init__, {"backing": slider})
