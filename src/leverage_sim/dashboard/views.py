"""The page's three views: one run (status, live charts, event log), the ensemble of the
sliders' settings, and the comparison with another scenario; plus the downloads each offers."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import solara
import solara.lab
from mesa.visualization.utils import update_counter
from solara.widgets import VegaLite

from leverage_sim.analysis.comparison import Comparison, compare
from leverage_sim.dashboard import charts, ensemble
from leverage_sim.dashboard.levers import scenario_values, settings_scenario
from leverage_sim.dashboard.model import DashboardModel
from leverage_sim.dashboard.scenario_file import save_scenario
from leverage_sim.dashboard.timeline import parameters_note, timeline_html
from leverage_sim.errors import InputError
from leverage_sim.scenario.canonical import scenario_yaml

MAX_REPLICATIONS = 1000


@solara.component
def Chart(spec: dict[str, Any]) -> None:
    """One Vega-Lite chart (drawn in the browser; its menu saves PNG/SVG)."""
    VegaLite.element(spec=spec)


@solara.component
def Csv(frame: pd.DataFrame, filename: str) -> None:
    """A button downloading ``frame`` as ``filename`` (CSV, written when pressed)."""
    solara.FileDownload(lambda: frame.to_csv(index=False), filename=filename,
                        label=filename, mime_type="text/csv")


@solara.component
def ScenarioYaml(model: DashboardModel) -> None:
    """A button downloading the scenario of ``model``'s settings (``--set`` overrides and
    levers applied, no posterior draw), as the YAML ``leverage-sim run`` accepts (its
    replication k = the page's seed k)."""
    name = model.scenario_name.rsplit("/", 1)[-1].removesuffix(".yaml")
    solara.FileDownload(lambda: scenario_yaml(model.settings), filename=f"{name}_dashboard.yaml",
                        label="scenario YAML (sliders applied)", mime_type="application/x-yaml")


@solara.component
def Parameters(record: dict[str, Any] | None) -> None:
    """Which parameters the runs shown used (:func:`.timeline.parameters_note`)."""
    solara.HTML(tag="div", unsafe_innerHTML=html.escape(parameters_note(record)),
                classes=["ls-parameters"], style="font-size:13px;margin:0 0 6px")


@solara.component
def RunView(model: DashboardModel, values: dict[str, Any]) -> None:
    """Status line, the three charts (left) and the event log (right) of the run shown;
    redrawn after every step through Mesa's ``update_counter``. Draws the model's
    :attr:`~DashboardModel.snapshot` (taken between steps), never the model mid-step."""
    update_counter.get()
    run = model.snapshot
    shown = {**scenario_values(model.spec), "seed": model.replication,
             "posterior": model.posterior}
    solara.HTML(tag="div", unsafe_innerHTML="<b>Run:</b> " + html.escape(run.status),
                classes=["ls-status"], style="font-size:15px;margin:8px 0")
    Parameters(model.posterior_record)
    if values != shown:
        solara.Warning("The sliders differ from this run's settings: press Reset to run "
                       "with them.", dense=True, classes=["ls-stale"])
    templates = solara.use_memo(lambda: charts.one_run_templates(model.spec), [model])
    with solara.Columns([3, 2]):
        with solara.Column(gap="4px", classes=["ls-charts"]):
            for chart in charts.one_run_specs(run, templates).values():
                Chart(chart)
        with solara.Column(gap="0px"):
            solara.HTML(tag="div", unsafe_innerHTML="<b>Event log</b> (latest day first)")
            solara.HTML(tag="div", unsafe_innerHTML=timeline_html(run.events, model.spec),
                        classes=["ls-timeline"],
                        style="overflow-y:auto;max-height:640px;font-size:13px;"
                              "line-height:1.4;padding-bottom:8px")
    with solara.Row(classes=["ls-downloads"]):
        Csv(run.timeseries.drop(columns=["total_attacks", "total_intercepted"]),
            "timeseries.csv")
        Csv(run.events, "events.csv")
        ScenarioYaml(model)


@solara.component
def ComparisonView(comparison: Comparison, prefix: str) -> None:
    """Bands of the series, outcome shares with exact intervals, distributions of muster size
    and attacks, and the side-by-side table, for every scenario of ``comparison``; downloads
    named ``prefix``_….csv."""
    first = next(iter(comparison.results.values())).scenario
    bands = solara.use_memo(lambda: ensemble.bands(comparison.results), [comparison])
    table = solara.use_memo(comparison.table, [comparison])
    summary = solara.use_memo(comparison.summary, [comparison])
    with solara.Columns([1, 1]):
        with solara.Column(gap="4px", classes=["ls-bands"]):
            for series in ensemble.SERIES:
                Chart(charts.spec(charts.band_chart(bands, series, first), f"{prefix}_{series}"))
        with solara.Column(gap="4px"):
            Chart(charts.spec(charts.shares_chart(table), f"{prefix}_outcomes"))
            with solara.Row():
                for column in ensemble.DISTRIBUTIONS:
                    Chart(charts.spec(charts.distribution_chart(summary, column),
                                      f"{prefix}_{column}"))
            solara.HTML(tag="div", unsafe_innerHTML=comparison.side_by_side().to_html(),
                        classes=["ls-table"])
    with solara.Row(classes=["ls-downloads"]):
        Csv(table, f"{prefix}_outcomes.csv")
        Csv(summary, f"{prefix}_runs.csv")
        Csv(bands, f"{prefix}_bands.csv")


@solara.component
def Replications(count: solara.Reactive[int]) -> None:
    """The number of replications to run (1 to :data:`MAX_REPLICATIONS`)."""
    solara.InputInt("Replications", value=count, style="max-width:140px", continuous_update=True,
                    on_value=lambda n: count.set(min(max(int(n), 1), MAX_REPLICATIONS)))


@solara.component
def EnsembleView(name: str, values: dict[str, Any], overrides: Sequence[str],
                 result: solara.Reactive[Any], drill_down: Callable[[int], None]) -> None:
    """Run N replications of the sliders' settings (with progress) and show them; pick one
    replication to see as the one-run view. ``result`` keeps the last ensemble (its settings
    and :class:`Comparison`, or an error message) while other views are shown."""
    count = solara.use_reactive(ensemble.DEFAULT_REPLICATIONS)
    pick = solara.use_reactive(0)
    settings = {"name": name, **values}

    def work() -> None:
        try:
            result.set((settings, ensemble.run_ensemble(
                settings_scenario(name, overrides, values), count.value,
                lambda share: setattr(task, "progress", 100 * share), settings["posterior"])))
        except InputError as e:  # e.g. a calibration folder that is missing or damaged
            result.set(str(e))

    task = solara.lab.use_task(work, dependencies=None)
    with solara.Row(style="align-items:center"):
        Replications(count)
        solara.Button(f"Run {count.value} replications", color="primary",
                      on_click=task, disabled=task.pending, classes=["ls-run-ensemble"])
        solara.Text("of the sliders' settings (replication k uses seed k)")
    Progress(task)
    if isinstance(result.value, str):
        solara.Error(result.value)
    if not isinstance(result.value, tuple):
        return
    ran, comparison = result.value
    runs = len(next(iter(comparison.results.values())).summary)
    if ran != settings:
        solara.Warning("Shown: the ensemble of earlier settings; run again for the sliders' "
                       "settings.", dense=True)
    solara.HTML(tag="div", classes=["ls-ensemble-status"], unsafe_innerHTML=html.escape(
        f"{runs} replications of {ran['name']}, master seed {comparison.seed}; "
        + _settings_text(ran)))
    Parameters(comparison.posterior)
    with solara.Row(style="align-items:center"):
        solara.InputInt("Replication", value=pick, style="max-width:120px",
                        continuous_update=True)
        shown = min(max(pick.value, 0), runs - 1)
        solara.Button(f"Show replication {shown} in One run", outlined=True,
                      classes=["ls-drill-down"], on_click=lambda: drill_down(shown))
    ComparisonView(comparison, "ensemble")


@solara.component
def Progress(task: solara.lab.Task) -> None:
    """A progress bar and percentage while ``task`` runs (its ``progress``: 0-100)."""
    if task.pending:
        solara.ProgressLinear(task.progress or True)
        solara.Text(f"{(task.progress or 0):.0f}% done", classes=["ls-progress"])


SLIDERS = "sliders"
"""The compare view's name for the sidebar's current settings."""


@solara.component
def Presets(name: str, values: dict[str, Any], overrides: Sequence[str],
            presets: solara.Reactive[dict[str, dict[str, Any]]],
            on_saved: Callable[[str], None]) -> None:
    """Save the sidebar's settings (scenario, levers, seed, posterior) as a named preset
    (``on_saved(name)`` then), and as a scenario file (:func:`.scenario_file.save_scenario`)."""
    label = solara.use_reactive("")
    path = solara.use_reactive(f"{name.rsplit('/', 1)[-1].removesuffix('.yaml')}_dashboard.yaml")
    said = solara.use_reactive("")

    def save_preset() -> None:
        key = label.value.strip()
        if not key or key == SLIDERS:
            said.set(f"Give the preset a name (not '{SLIDERS}').")
            return
        presets.set({**presets.value, key: {"name": name, **values}})
        on_saved(key)
        said.set(f"Preset '{key}' saved: {name}, {_settings_text(values)}, seed "
                 f"{values['seed']}.")

    def save_file() -> None:
        try:
            done = save_scenario(settings_scenario(name, overrides, values), path.value,
                                 f"{name} with the dashboard's levers")
        except InputError as e:
            said.set(str(e))
            return
        said.set(f"Saved {done}: `leverage-sim run {done}` runs it.")

    with solara.Row(style="align-items:center"):
        solara.InputText("Preset name", value=label, style="max-width:160px",
                         continuous_update=True)
        solara.Button("Save the sliders as a preset", outlined=True, on_click=save_preset,
                      classes=["ls-save-preset"])
        solara.InputText("Scenario file", value=path, style="min-width:260px",
                         continuous_update=True)
        solara.Button("Save as scenario file", outlined=True, on_click=save_file,
                      classes=["ls-save-file"])
    if said.value:
        solara.Text(said.value, classes=["ls-saved"], style="font-size:13px")


def _settings_text(values: dict[str, Any]) -> str:
    """The levers of ``values`` as text, e.g. ``backing 0.9, resolve 0.6``."""
    return ", ".join(f"{k} {v:g}" for k, v in values.items()
                     if k not in ("name", "seed", "posterior"))


@solara.component
def Effects(comparison: Comparison) -> None:
    """The paired effects of every column against the first (:meth:`Comparison.effects`,
    as ``leverage-sim compare`` prints them): a dot-and-interval chart of the outcome shares
    and the table of every measure."""
    effects = solara.use_memo(comparison.effects, [comparison])
    reference = next(iter(comparison.results))
    with solara.Columns([1, 1]):
        Chart(charts.spec(charts.effects_chart(effects, reference), "compare_effects"))
        with solara.Column(gap="2px"):
            solara.HTML(tag="div", unsafe_innerHTML=(
                f"<b>Effects against {html.escape(reference)}</b> (mean paired difference on "
                "the same seeds, 90% paired-bootstrap interval)"))
            solara.HTML(tag="div", unsafe_innerHTML=charts.effects_table(effects).to_html(),
                        classes=["ls-table", "ls-effects"])


@solara.component
def CompareView(name: str, values: dict[str, Any], overrides: Sequence[str],
                choices: Sequence[str], presets: solara.Reactive[dict[str, dict[str, Any]]],
                result: solara.Reactive[Any]) -> None:
    """The sliders' settings and saved presets against the scenario as filed (or another
    scenario), through the same replication seeds and parameters (``leverage-sim compare``):
    the paired effects against that reference first, then the side-by-side views. ``result``
    keeps the last comparison (or an error message)."""
    filed = f"{name} as filed"
    options = [filed, *[c for c in choices if c != name]]
    other = solara.use_reactive(filed)
    count = solara.use_reactive(ensemble.DEFAULT_REPLICATIONS)
    chosen = solara.use_reactive([SLIDERS])
    against = other.value if other.value in options else filed
    columns = [c for c in chosen.value if c == SLIDERS or c in presets.value] or [SLIDERS]

    def work() -> None:
        settings = {SLIDERS: {"name": name, **values}, **presets.value}
        try:
            scenarios = [settings_scenario(name if against == filed else against, overrides,
                                           {}).model_copy(update={"name": against})]
            scenarios += [settings_scenario(settings[c]["name"], overrides, settings[c])
                          .model_copy(update={"name": c}) for c in columns]
        except InputError as e:
            result.set(str(e))
            return
        done = [0]

        def progress(label: str) -> Callable:
            def report(share: float) -> None:
                task.progress = 100 * (done[0] + share) / len(scenarios)
                done[0] += share >= 1
            return ensemble.counting(count.value, report)
        try:
            result.set(compare(scenarios, count.value, progress=progress,
                               posterior=values["posterior"]))
        except InputError as e:
            result.set(str(e))

    task = solara.lab.use_task(work, dependencies=None)
    Presets(name, values, overrides, presets,
            lambda key: chosen.set([*[c for c in columns if c != key], key]))
    with solara.Row(style="align-items:center"):
        solara.Select("Reference (the effects are against it)", value=against,
                      values=options, on_value=other.set, style="min-width:300px")
        solara.SelectMultiple("Compare", values=columns, all_values=[SLIDERS, *presets.value],
                              on_value=chosen.set, style="min-width:220px")
        Replications(count)
        solara.Button(f"Run {count.value} replications each", color="primary", on_click=task,
                      disabled=task.pending, classes=["ls-run-compare"])
    Progress(task)
    if isinstance(result.value, str):
        solara.Error(result.value)
    elif isinstance(result.value, Comparison):
        runs = len(next(iter(result.value.results.values())).summary)
        solara.HTML(tag="div", classes=["ls-compare-status"], unsafe_innerHTML=html.escape(
            f"{' vs '.join(result.value.results)}: {runs} replications each, same seeds "
            f"(master seed {result.value.seed})"))
        Parameters(result.value.posterior)
        Effects(result.value)
        ComparisonView(result.value, "compare")
