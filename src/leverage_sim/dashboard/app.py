"""The Solara page (``solara run leverage_sim.dashboard.app``).

Sidebar: a scenario picker, then Mesa's SolaraViz controls (step / play / reset, play speed) and
its model-parameter sliders for the levers. Main area: the run's status, three live charts and
the event log. The page owns the model as a reactive value that SolaraViz steps and replaces on
Reset, and draws the main area itself: SolaraViz gets no components, so the layout is ours and
the same on Mesa 3.3 and 3.5 (whose tab/grid views of components differ; Mesa's components do
work with this model: docs/mesa_and_ema.md). The dashboard is keyed by the selected scenario:
picking another scenario rebuilds it with sliders starting at that scenario's values.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Callable
from typing import Any

import pandas as pd
import solara
from matplotlib.figure import Figure
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from leverage_sim.dashboard import charts
from leverage_sim.dashboard.levers import model_params
from leverage_sim.dashboard.model import DEFAULT_SCENARIO, DashboardModel
from leverage_sim.dashboard.server import ENV_OVERRIDES, ENV_SCENARIO
from leverage_sim.dashboard.timeline import run_status, timeline_html
from leverage_sim.errors import InputError
from leverage_sim.scenario_loader import available_scenarios

DPI = 90  # chart resolution: 6 x 3 in -> 540 x 270 px
# Sidebar sliders: label on its own line, current value always shown in the thumb's bubble
# (Vuetify renders the bubble hidden until dragged; SolaraViz offers no option for it).
# Vuetify 2 class names: ipyvuetify is pinned below 2 (see pyproject.toml).
SLIDER_CSS = """
.v-input__slider .v-input__slot { flex-wrap: wrap; }
.v-input__slider .v-input__slot > .v-label { flex: 0 0 100%; margin-bottom: 30px; }
.v-slider__thumb-label-container { display: block !important; }
.v-slider__thumb-label { transform: translateY(-20%) translateY(-12px) translateX(-50%)
                         rotate(45deg) !important; }
"""
CHARTS: tuple[Callable[[DashboardModel, pd.DataFrame], Figure], ...] = (
    charts.authority_autonomy, charts.attacks, charts.detainees)


def initial_scenario() -> str:
    """The scenario the page opens with (``leverage-sim dashboard NAME``)."""
    return os.environ.get(ENV_SCENARIO) or DEFAULT_SCENARIO


def cli_overrides() -> tuple[str, ...]:
    """``--set`` overrides passed by ``leverage-sim dashboard`` (applied to every scenario)."""
    return tuple(json.loads(os.environ.get(ENV_OVERRIDES) or "[]"))


def build(name: str) -> tuple[DashboardModel, dict[str, Any]] | InputError:
    """A fresh model of scenario ``name`` at its own lever values, and SolaraViz's
    ``model_params`` (sliders starting at those values); the error if the scenario is invalid."""
    overrides = cli_overrides()
    try:
        model = DashboardModel(name, overrides)
    except InputError as e:
        return e
    return model, model_params(name, model.spec, overrides)


@solara.component
def Chart(model: DashboardModel, day: int,
          make: Callable[[DashboardModel, pd.DataFrame], Figure]) -> None:
    """One chart of the run so far (``day`` days simulated), redrawn when the model or the day
    changes."""
    solara.FigureMatplotlib(make(model, charts.run_frame(model)), format="png",
                            dependencies=[model, day, make], dpi=DPI)


@solara.component
def RunView(model: DashboardModel) -> None:
    """Status line, the three charts (left) and the event log (right); refreshed after every
    step through Mesa's ``update_counter``."""
    update_counter.get()
    solara.HTML(tag="div", unsafe_innerHTML="<b>Run:</b> " + html.escape(
        run_status(model.day, model.spec, model.replication)), classes=["ls-status"],
        style="font-size:15px;margin:8px 0")
    with solara.Columns([3, 2]):
        with solara.Column(gap="0px", classes=["ls-charts"]):
            for make in CHARTS:
                Chart(model, model.day, make)
        with solara.Column(gap="0px"):
            solara.HTML(tag="div", unsafe_innerHTML="<b>Event log</b> (latest day first)")
            solara.HTML(tag="div", unsafe_innerHTML=timeline_html(model.log.frame(), model.spec),
                        classes=["ls-timeline"],
                        style="overflow-y:auto;max-height:780px;font-size:13px;"
                              "line-height:1.4")


@solara.component
def ScenarioDashboard(first: DashboardModel, params: dict[str, Any], name: str) -> None:
    """SolaraViz (controls and sliders, in the sidebar) around the reactive model, and the run
    view."""
    model = solara.use_reactive(first)
    SolaraViz(model, components=[], model_params=params, name=f"leverage-sim · {name}")
    RunView(model.value)


@solara.component
def Page() -> None:
    """Scenario picker in the sidebar, then the dashboard of the selected scenario."""
    first = solara.use_memo(initial_scenario, [])
    choices = solara.use_memo(lambda: list(dict.fromkeys([first, *available_scenarios()])), [])
    name, set_name = solara.use_state(first)
    solara.Title("leverage-sim dashboard")
    solara.Style(SLIDER_CSS)
    with solara.Sidebar(), solara.Card("Scenario"):
        solara.Select("Scenario", values=choices, value=name, on_value=set_name)
        solara.Text("Sliders start at the scenario's values. Move them, then press Reset to "
                    "run with them.")
    built = solara.use_memo(lambda: build(name), [name])
    if isinstance(built, InputError):
        solara.Error(str(built))
        return
    ScenarioDashboard(*built, name).key(name)
