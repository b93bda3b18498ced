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

from leverage_sim.canonical import scenario_yaml
from leverage_sim.compare import Comparison, compare
from leverage_sim.dashboard import charts, ensemble
from leverage_sim.dashboard.levers import scenario_values, settings_scenario
from leverage_sim.dashboard.model import DashboardModel
from leverage_sim.dashboard.timeline import timeline_html
from leverage_sim.errors import InputError

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
def ScenarioYaml(name: str, values: dict[str, Any], overrides: Sequence[str]) -> None:
    """A button downloading scenario ``name`` with the sliders' values applied, as the YAML
    ``leverage-sim run`` accepts (its replication k = the page's seed k)."""
    def text() -> str:
        return scenario_yaml(settings_scenario(name, overrides, values))
    solara.FileDownload(text, filename=f"{name.rsplit('/', 1)[-1].removesuffix('.yaml')}"
                        "_dashboard.yaml", label="scenario YAML (sliders applied)",
                        mime_type="application/x-yaml")


@solara.component
def RunView(model: DashboardModel, values: dict[str, Any]) -> None:
    """Status line, the three charts (left) and the event log (right) of the run shown;
    redrawn after every step through Mesa's ``update_counter``. Draws the model's
    :attr:`~DashboardModel.snapshot` (taken between steps), never the model mid-step."""
    update_counter.get()
    run = model.snapshot
    shown = {**scenario_values(model.spec), "seed": model.replication}
    solara.HTML(tag="div", unsafe_innerHTML="<b>Run:</b> " + html.escape(run.status),
                classes=["ls-status"], style="font-size:15px;margin:8px 0")
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
        ScenarioYaml(model.scenario_name, shown, ())


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
    solara.InputInt("Replications", value=count, style="max-width:140px",
                    on_value=lambda n: count.set(min(max(int(n), 1), MAX_REPLICATIONS)))


@solara.component
def EnsembleView(name: str, values: dict[str, Any], overrides: Sequence[str],
                 result: solara.Reactive[Any], drill_down: Callable[[int], None]) -> None:
    """Run N replications of the sliders' settings (with progress) and show them; pick one
    replication to see as the one-run view. ``result`` keeps the last ensemble (its settings
    and :class:`Comparison`, or an error message) while other views are shown."""
    count = solara.use_reactive(ensemble.DEFAULT_REPLICATIONS)
    pick = solara.use_reactive(0)
    calibrated = solara.use_reactive(False)
    settings = {"name": name, **values, "posterior": "default" if calibrated.value else None}

    def work() -> None:
        try:
            scenario = settings_scenario(name, overrides, values)
        except InputError as e:
            result.set(str(e))
            return
        result.set((settings, ensemble.run_ensemble(
            scenario, count.value, lambda share: setattr(task, "progress", 100 * share),
            settings["posterior"])))

    task = solara.lab.use_task(work, dependencies=None)
    with solara.Row(style="align-items:center"):
        Replications(count)
        solara.Button(f"Run {count.value} replications", color="primary",
                      on_click=task, disabled=task.pending, classes=["ls-run-ensemble"])
        solara.Text("of the sliders' settings (replication k uses seed k)")
    solara.Checkbox(label="draw the calibrated parameters from the committed posterior "
                    "(parameter uncertainty; the sliders stay on top)", value=calibrated)
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
        + ", ".join(f"{k} {v:g}" for k, v in ran.items()
                    if k not in ("name", "seed", "posterior"))
        + ("; parameters drawn from the posterior" if ran.get("posterior") else "")))
    with solara.Row(style="align-items:center"):
        solara.InputInt("Replication", value=pick, style="max-width:120px")
        solara.Button("Show replication in One run", outlined=True,
                      classes=["ls-drill-down"],
                      on_click=lambda: drill_down(min(max(pick.value, 0), runs - 1)))
    ComparisonView(comparison, "ensemble")


@solara.component
def Progress(task: solara.lab.Task) -> None:
    """A progress bar and percentage while ``task`` runs (its ``progress``: 0-100)."""
    if task.pending:
        solara.ProgressLinear(task.progress or True)
        solara.Text(f"{(task.progress or 0):.0f}% done", classes=["ls-progress"])


@solara.component
def CompareView(name: str, values: dict[str, Any], overrides: Sequence[str],
                choices: Sequence[str], result: solara.Reactive[Any]) -> None:
    """The sliders' settings against the scenario as filed (or another scenario), same
    replication seeds (``leverage-sim compare``); ``result`` keeps the last comparison (or an
    error message)."""
    filed = f"{name} as filed"
    options = [filed, *[c for c in choices if c != name]]
    other = solara.use_reactive(filed)
    count = solara.use_reactive(ensemble.DEFAULT_REPLICATIONS)
    against = other.value if other.value in options else filed

    def work() -> None:
        try:
            ours = settings_scenario(name, overrides, values)
            theirs = settings_scenario(name if against == filed else against, overrides, {})
        except InputError as e:
            result.set(str(e))
            return
        labels = [f"{name} (sliders)", against]
        done = [0]

        def progress(label: str) -> Callable:
            def report(share: float) -> None:
                task.progress = 100 * (done[0] + share) / len(labels)
                done[0] += share >= 1
            return ensemble.counting(count.value, report)
        result.set(compare([sc.model_copy(update={"name": label}) for sc, label
                            in zip((ours, theirs), labels, strict=True)],
                           count.value, progress=progress))

    task = solara.lab.use_task(work, dependencies=None)
    with solara.Row(style="align-items:center"):
        solara.Select("Compare the sliders' settings with", value=against, values=options,
                      on_value=other.set, style="min-width:320px")
        Replications(count)
        solara.Button("Compare", color="primary", on_click=task, disabled=task.pending,
                      classes=["ls-run-compare"])
    Progress(task)
    if isinstance(result.value, str):
        solara.Error(result.value)
    elif isinstance(result.value, Comparison):
        runs = len(next(iter(result.value.results.values())).summary)
        solara.HTML(tag="div", classes=["ls-compare-status"], unsafe_innerHTML=html.escape(
            f"{' vs '.join(result.value.results)}: {runs} replications each, same seeds "
            f"(master seed {result.value.seed})"))
        ComparisonView(result.value, "compare")
