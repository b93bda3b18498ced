"""The Solara page (``solara run leverage_sim.dashboard.app``).

Sidebar: the scenario picker, the lever sliders and the seed (they show the picked scenario's
values until moved), and the run controls (Reset, play/pause, Step, days per step, run to the
end). Main area, one of three views: *One run* (the run's status, live charts and event log), *Ensemble* (many
replications of the sliders' settings, with a drill-down to one replication) and *Compare*
(the settings against the scenario as filed or another scenario, same seeds).

The page keeps its state in reactive values: the scenario name, the slider values and the model
shown; a step redraws the run view through Mesa's ``update_counter``. Reset builds ``DashboardModel(name, **slider values)``; picking a
scenario sets the sliders to its values and resets, so the run, the picker and the sliders
always agree.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable
from typing import Any

import solara
import solara.lab
from mesa.visualization.utils import force_update

from leverage_sim.dashboard.levers import LEVERS, SEED_SLIDER_MAX, scenario_values
from leverage_sim.dashboard.model import DEFAULT_POSTERIOR, DEFAULT_SCENARIO, DashboardModel
from leverage_sim.dashboard.server import ENV_OVERRIDES, ENV_SCENARIO
from leverage_sim.dashboard.views import CompareView, EnsembleView, RunView
from leverage_sim.errors import InputError
from leverage_sim.scenario.loader import available_scenarios

VIEWS = ("One run", "Ensemble", "Compare")
MAX_DAYS_PER_STEP = 30
PLAY_PAUSE_S = 0.15  # seconds between presses of Step while playing
PAGE_CSS = """
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
    values, seed 0 and :data:`DEFAULT_POSTERIOR`) and the values it runs with (levers it has,
    ``seed`` and ``posterior``)."""
    model = DashboardModel(name, cli_overrides(), **{"posterior": DEFAULT_POSTERIOR, **{
        k: v for k, v in (values or {}).items() if k != "scenario"}})
    return model, run_values(model)


def run_values(model: DashboardModel) -> dict[str, Any]:
    """The sidebar's values that describe ``model``: its levers, seed and posterior."""
    return {**scenario_values(model.spec), "seed": model.replication,
            "posterior": model.posterior}


@solara.component
def Slider(label: str, value: float, on_value: Callable[[float], None], maximum: float = 1.0,
           step: float = 0.01) -> None:
    """A slider with its label and current value on a line above the track (the same in
    Vuetify 2 and 3); integer when ``step`` is 1."""
    shown = f"{value:.0f}" if step == 1 else f"{value:.2f}"
    with solara.Column(gap="0px", classes=["ls-slider"]):
        solara.Text(f"{label}: {shown}", style="font-size:14px")
        if step == 1:
            solara.SliderInt("", value=int(value), min=0, max=int(maximum), on_value=on_value)
        else:
            solara.SliderFloat("", value=value, min=0.0, max=maximum, step=step,
                               on_value=on_value)


@solara.component
def Sliders(values: solara.Reactive[dict[str, Any]], force: str) -> None:
    """One slider per lever the scenario has, then the seed; moving one changes ``values``
    only (Reset runs with them); ``force`` names the scenario's foreign force."""
    def setter(key: str):
        return lambda v: values.set({**values.value, key: v})

    for lv in LEVERS:
        if lv.name in values.value:
            Slider(lv.label(force), values.value[lv.name], setter(lv.name))
    Slider("Seed (replication no. of `leverage-sim run`)", values.value["seed"],
           setter("seed"), SEED_SLIDER_MAX, 1)
    solara.Checkbox(label="Calibrated parameters (drawn from the committed posterior, one "
                    "draw per seed)", value=values.value["posterior"] != "none",
                    on_value=lambda on: setter("posterior")("default" if on else "none"))


@solara.component
def Controls(model: DashboardModel | None, reset: Callable[[], None],
             step: Callable[[int], None], days_per_step: solara.Reactive[int]) -> None:
    """Reset, play/pause, Step (``days_per_step`` days) and Run to the end.

    Playing presses Step every :data:`PLAY_PAUSE_S` seconds until paused, reset or finished,
    as a task beside the page's event handlers. Each press checks that play is still on and
    steps under the model's ``stepping`` lock, and ❚❚ switches play off under the same lock,
    so no step starts after ❚❚ and the page says how many days it paused at. Steps themselves do
    not redraw this component (only playing starting or stopping, or the run ending)."""
    playing = solara.use_reactive(False)
    paused_after = solara.use_reactive(None)  # days simulated when ❚❚ was pressed, until a step
    running = solara.use_reactive(model is not None and model.running)  # follows a new model

    def press_step(days: int) -> None:
        paused_after.set(None)
        step(days)
        if model is not None and not model.snapshot.running:
            running.set(False)
            playing.set(False)

    async def play() -> None:
        while model is not None:
            with model.stepping:
                if not (playing.value and running.value):
                    return
                press_step(days_per_step.value)
            await asyncio.sleep(PLAY_PAUSE_S)

    solara.lab.use_task(play, dependencies=[playing.value, running.value])

    def toggle_play() -> None:
        with model.stepping:  # not during a step: the day shown is the day paused after
            paused_after.set(None if not playing.value else model.snapshot.days)
            playing.set(not playing.value)

    def press_reset() -> None:
        playing.set(False)
        paused_after.set(None)
        reset()

    with solara.Row(justify="space-between"):
        solara.Button("Reset", color="primary", on_click=press_reset)
        solara.Button("❚❚" if playing.value else "▶", color="primary",
                      disabled=not running.value, on_click=toggle_play)
        solara.Button("Step", color="primary", disabled=playing.value or not running.value,
                      on_click=lambda: press_step(days_per_step.value))
    if paused_after.value is not None and not playing.value:
        solara.Text(f"Paused: {paused_after.value} of {model.spec.horizon_days} days simulated",
                    classes=["ls-paused"], style="font-size:13px")
    Slider("Days per step", days_per_step.value, lambda n: days_per_step.set(max(1, n)),
           MAX_DAYS_PER_STEP, 1)
    solara.Button("Run to the end", color="primary", outlined=True,
                  disabled=playing.value or not running.value,
                  on_click=lambda: press_step(model.spec.horizon_days))


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
    days_per_step = solara.use_reactive(1)
    view = solara.use_reactive(VIEWS[0])
    ensemble_result = solara.use_reactive(None)  # kept while other views are shown
    compare_result = solara.use_reactive(None)
    presets = solara.use_reactive({})  # name -> settings saved in the compare view

    def show(new_model: DashboardModel, new_values: dict[str, Any]) -> None:
        model.set(new_model)
        values.set(new_values)
        force_update()
        error.set("")

    def pick(new: str) -> None:
        built = _try(lambda: fresh(new, {"posterior": values.value.get("posterior",
                                                                        DEFAULT_POSTERIOR)}))
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
            force_update()  # Mesa's step counter: redraws the run view

    solara.Title("leverage-sim dashboard")
    solara.Style(PAGE_CSS)
    with solara.AppBar():
        solara.AppBarTitle(f"leverage-sim · {name.value}")
    with solara.Sidebar(), solara.Column(gap="8px", classes=["ls-sidebar"]):
        with solara.Card("Scenario"):
            solara.Select("Scenario", values=choices, value=name.value, on_value=pick)
            if values.value and model.value is not None:
                Sliders(values, model.value.spec.foreign_forces.label)
        with solara.Card("Run"):
            Controls(model.value, lambda: reset(), step, days_per_step)
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
        RunView(model.value, values.value)
    elif view.value == VIEWS[1]:
        EnsembleView(name.value, values.value, cli_overrides(), ensemble_result, drill_down)
    else:
        CompareView(name.value, values.value, cli_overrides(), choices, presets,
                    compare_result)


def _try(build):
    """``build()``, or the message of the :class:`InputError` it raises."""
    try:
        return build()
    except InputError as e:
        return str(e)
