"""The Solara page (``solara run leverage_sim.dashboard.app``).

Sidebar: the scenario picker, the lever sliders and the seed (they show the picked scenario's
values until moved), and the run controls (Reset, play/pause, Step, days per step). Main area,
one of three views: *One run* (the run's status, live charts and event log), *Ensemble* (many
replications of the sliders' settings, with a drill-down to one replication) and *Compare*
(the settings against the scenario as filed or another scenario, same seeds).

The page keeps its state in reactive values: the scenario name, the slider values, the model
shown and a step counter. Reset builds ``DashboardModel(name, **slider values)``; picking a
scenario sets the sliders to its values and resets, so the run, the picker and the sliders
always agree.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

import solara
import solara.lab

from leverage_sim.dashboard.levers import LEVERS, SEED_SLIDER_MAX, scenario_values
from leverage_sim.dashboard.model import DEFAULT_SCENARIO, DashboardModel
from leverage_sim.dashboard.server import ENV_OVERRIDES, ENV_SCENARIO
from leverage_sim.dashboard.views import CompareView, EnsembleView, RunView
from leverage_sim.errors import InputError
from leverage_sim.scenario_loader import available_scenarios

VIEWS = ("One run", "Ensemble", "Compare")
PLAY_PAUSE_S = 0.05  # seconds between days while playing
MAX_DAYS_PER_STEP = 30
# Sliders: label on its own line above the track (Vuetify puts it beside the track).
PAGE_CSS = """
.v-slider.v-input--horizontal { grid-template-areas: "prepend" "control";
                                grid-template-columns: 1fr; }
.v-slider .v-input__prepend { margin-inline-end: 0; margin-bottom: 22px; }
.v-slider-thumb__label { height: 20px; min-width: 30px; font-size: 12px; }
.ls-sidebar .v-card-text, .ls-sidebar .v-card-title { padding-top: 4px; padding-bottom: 4px; }
.ls-sidebar .v-input__details { display: none; }
.ls-table table { border-collapse: collapse; font-size: 13px; }
.ls-table th, .ls-table td { padding: 2px 8px; border-bottom: 1px solid #ddd; text-align: left; }
"""


def initial_scenario() -> str:
    """The scenario the page opens with (``leverage-sim dashboard NAME``)."""
    return os.environ.get(ENV_SCENARIO) or DEFAULT_SCENARIO


def cli_overrides() -> tuple[str, ...]:
    """``--set`` overrides passed by ``leverage-sim dashboard`` (applied to every scenario)."""
    return tuple(json.loads(os.environ.get(ENV_OVERRIDES) or "[]"))


def fresh(name: str, values: dict[str, Any] | None = None
          ) -> tuple[DashboardModel, dict[str, Any]]:
    """A new model of scenario ``name`` with the slider ``values`` (default: the scenario's own
    values and seed 0) and the values it runs with (levers it has, and ``seed``)."""
    model = DashboardModel(name, cli_overrides(), **{
        k: v for k, v in (values or {}).items() if k != "scenario"})
    return model, {**scenario_values(model.spec), "seed": model.replication}


@solara.component
def Sliders(values: solara.Reactive[dict[str, Any]]) -> None:
    """One slider per lever the scenario has, then the seed; moving one changes ``values``
    only (Reset runs with them)."""
    def setter(key: str):
        return lambda v: values.set({**values.value, key: v})

    for lv in LEVERS:
        if lv.name in values.value:
            solara.SliderFloat(lv.label, value=values.value[lv.name], on_value=setter(lv.name),
                               min=0.0, max=1.0, step=0.01, thumb_label="always")
    solara.SliderInt("Seed (replication no. of `leverage-sim run`)", value=values.value["seed"],
                     on_value=setter("seed"), min=0, max=SEED_SLIDER_MAX, thumb_label="always")


@solara.component
def Page() -> None:
    """The dashboard: sidebar (scenario, sliders, controls) and the selected view."""
    first = solara.use_memo(initial_scenario, [])
    choices = solara.use_memo(lambda: list(dict.fromkeys([first, *available_scenarios()])), [])
    started = solara.use_memo(lambda: _try(lambda: fresh(first)), [])
    name = solara.use_reactive(first)
    error = solara.use_reactive(started if isinstance(started, str) else "")
    model = solara.use_reactive(None if isinstance(started, str) else started[0])
    values = solara.use_reactive({} if isinstance(started, str) else started[1])
    version = solara.use_reactive(0)  # bumped after every step: redraws the run view
    playing = solara.use_reactive(False)
    days_per_step = solara.use_reactive(1)
    view = solara.use_reactive(VIEWS[0])
    ensemble_result = solara.use_reactive(None)  # kept while other views are shown
    compare_result = solara.use_reactive(None)

    def show(new_model: DashboardModel, new_values: dict[str, Any]) -> None:
        playing.set(False)
        model.set(new_model)
        values.set(new_values)
        version.set(version.value + 1)
        error.set("")

    def pick(new: str) -> None:
        built = _try(lambda: fresh(new))
        if isinstance(built, str):
            error.set(built)
            return
        name.set(new)
        ensemble_result.set(None)
        compare_result.set(None)
        show(*built)

    def reset(new_values: dict[str, Any] | None = None) -> None:
        built = _try(lambda: fresh(name.value, new_values or values.value))
        if isinstance(built, str):
            error.set(built)
        else:
            show(*built)

    def step(days: int) -> None:
        if model.value is not None and model.value.advance(days):
            version.set(version.value + 1)

    def play() -> None:
        """While playing: one press of Step every PLAY_PAUSE_S, until paused, reset or
        finished (the model is captured: a Reset during play never steps the new one)."""
        m = model.value
        while playing.value and m is not None and m is model.value and m.running:
            step(days_per_step.value)
            time.sleep(PLAY_PAUSE_S)
        playing.set(False)

    solara.lab.use_task(play, dependencies=[playing.value], prefer_threaded=True)

    solara.Title("leverage-sim dashboard")
    solara.Style(PAGE_CSS)
    with solara.AppBar():
        solara.AppBarTitle(f"leverage-sim · {name.value}")
    running = model.value is not None and model.value.running
    with solara.Sidebar(), solara.Column(gap="8px", classes=["ls-sidebar"]):
        with solara.Card("Scenario"):
            solara.Select("Scenario", values=choices, value=name.value, on_value=pick)
            if values.value:
                Sliders(values)
        with solara.Card("Run"):
            with solara.Row(justify="space-between"):
                solara.Button("Reset", color="primary", on_click=lambda: reset())
                solara.Button("❚❚" if playing.value else "▶", color="primary",
                              disabled=not running,
                              on_click=lambda: playing.set(not playing.value))
                solara.Button("Step", color="primary", disabled=playing.value or not running,
                              on_click=lambda: step(days_per_step.value))
            solara.SliderInt("Days per step", value=days_per_step, min=1,
                             max=MAX_DAYS_PER_STEP, thumb_label="always")
            solara.Button("Run to the end", text=True, disabled=playing.value or not running,
                          on_click=lambda: step(model.value.spec.horizon_days))
    if error.value:
        solara.Error(error.value)
    if model.value is None:
        return
    solara.ToggleButtonsSingle(value=view, values=list(VIEWS))

    def drill_down(replication: int) -> None:
        """Show replication ``replication`` of the ensemble's settings, run to the end."""
        reset({**values.value, "seed": replication})
        step(model.value.spec.horizon_days)
        view.set(VIEWS[0])

    if view.value == VIEWS[0]:
        RunView(model.value, values.value, version.value)
    elif view.value == VIEWS[1]:
        EnsembleView(name.value, values.value, cli_overrides(), ensemble_result, drill_down)
    else:
        CompareView(name.value, values.value, cli_overrides(), choices, compare_result)


def _try(build):
    """``build()``, or the message of the :class:`InputError` it raises."""
    try:
        return build()
    except InputError as e:
        return str(e)
