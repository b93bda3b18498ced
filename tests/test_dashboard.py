"""The dashboard's parts without a browser: levers, the keyword model, charts, the ensemble,
the timeline and its wording, the server's command/environment and the CLI's input errors.
(The page itself is driven in Chromium in ``test_dashboard_browser.py``.)"""

from __future__ import annotations

import json
import re
import socket

import ipyvuetify as v
import jsonschema
import numpy as np
import pandas as pd
import pytest
import solara
from mesa.visualization.utils import force_update

import leverage_sim as ls
from leverage_sim.analysis.comparison import compare
from leverage_sim.cli.main import main as cli
from leverage_sim.dashboard import assets, charts, ensemble, server, snapshot
from leverage_sim.dashboard.levers import (
    LEVERS,
    lever_overrides,
    live_values,
    scenario_values,
    settings_scenario,
)
from leverage_sim.dashboard.model import DEFAULT_POSTERIOR, DashboardModel
from leverage_sim.dashboard.scenario_file import MARK, save_scenario
from leverage_sim.dashboard.timeline import parameters_note, run_status, timeline_html
from leverage_sim.dashboard.views import EnsembleView, Presets, RunView
from leverage_sim.errors import InputError
from leverage_sim.outputs.narrative import describe_event, narrative
from leverage_sim.scenario.canonical import scenario_yaml
from leverage_sim.scenario.loader import ENV_SCENARIO_PATH

REPLAY = "june_2020_replay"
DEFENCE_DAY = 52  # the replay's scripted rocket defence at the embassy (28 June 2020)


@pytest.fixture
def variant(tmp_path):
    """A scenario file extending the replay with other lever values and no embassy site."""
    path = tmp_path / "what_if.yaml"
    path.write_text(f"extends: {REPLAY}\nforeign_forces:\n  backing: 0.8\n"
                    "  sites: [{name: embassy, remove: true}]\npatron: {instigation: 0.3}\n"
                    "events: [{name: embassy_rocket_defence, remove: true}]\n")
    return path


def finished(model: DashboardModel) -> DashboardModel:
    model.advance(model.spec.horizon_days)
    return model


def test_lever_values_of_a_scenario(replay, variant):
    assert scenario_values(replay) == {"backing": 0.1, "instigation": 0.6, "resolve": 0.6,
                                       "embassy_interception": 0.0}
    other = scenario_values(ls.load_scenario(variant))
    assert (other["backing"], other["instigation"]) == (0.8, 0.3)
    assert "embassy_interception" not in other  # no embassy site, no embassy lever


def test_model_keeps_scenario_values_unless_a_lever_is_given(replay):
    assert DashboardModel(REPLAY).spec == replay
    assert DashboardModel(REPLAY, **scenario_values(replay)).spec == replay


def test_levers_reach_the_scenario(replay):
    model = DashboardModel(REPLAY, backing=0.9, instigation=0.2, resolve=0.3,
                           embassy_interception=0.5)
    assert scenario_values(model.spec) == {"backing": 0.9, "instigation": 0.2, "resolve": 0.3,
                                           "embassy_interception": 0.5}
    assert lever_overrides({"backing": 0.9, "resolve": None, "seed": 3}) == {
        "foreign_forces.backing": 0.9}
    assert {lv.name for lv in LEVERS} == set(scenario_values(replay))
    assert settings_scenario(REPLAY, (), {"backing": 0.9, "instigation": 0.2, "resolve": 0.3,
                                          "embassy_interception": 0.5}) == model.spec


def test_cli_overrides_apply_before_levers():
    model = DashboardModel(REPLAY, ("foreign_forces.backing=0.7", "militias[KH].autonomy=0.5"))
    assert model.spec.foreign_forces.backing == 0.7
    assert model.spec.militias[0].autonomy == 0.5
    assert DashboardModel(REPLAY, ("foreign_forces.backing=0.7",), backing=0.2
                          ).spec.foreign_forces.backing == 0.2


def test_seed_is_the_replication_number_of_leverage_sim_run(replay):
    """Seed k in the dashboard replays replication k of `run` exactly, levers included."""
    scenario = ls.load_scenario(REPLAY, {"foreign_forces.backing": 0.9})
    res = ls.run(scenario, replications=3, posterior=None)  # the dashboard model: own values
    model = finished(DashboardModel(REPLAY, backing=0.9, seed=2))
    ours = model.log.frame()
    theirs = res.events[res.events["replication"] == 2].drop(columns="replication")
    pd.testing.assert_frame_equal(ours, theirs.reset_index(drop=True))
    other = finished(DashboardModel(REPLAY, backing=0.9, seed=1)).log.frame()
    assert not other.equals(ours)


def test_run_stops_at_the_horizon_with_steps_equal_to_days(replay):
    model = DashboardModel(REPLAY)
    assert model.advance(30) == 30 and model.steps == model.day == 30 and model.running
    assert model.advance(1000) == replay.horizon_days - 30
    assert model.day == model.steps == replay.horizon_days and not model.running
    assert model.advance(5) == 0 and model.steps == replay.horizon_days


@pytest.mark.parametrize("days", [1.5, "3", 0, -2, True])
def test_advance_takes_whole_days_only(days):
    """``advance(1.5)`` stepped two days and ``advance("3")`` raised a TypeError."""
    model = DashboardModel(REPLAY)
    with pytest.raises(InputError, match="days must be a whole number of at least 1"):
        model.advance(days)
    assert model.steps == 0


def test_live_lever_values_follow_scripted_events():
    model = DashboardModel(REPLAY)
    model.advance(DEFENCE_DAY)
    assert live_values(model)["embassy_interception"] == 0.0
    model.advance(1)
    assert live_values(model)["embassy_interception"] == 0.85
    assert "Embassy interception 0.85 (set 0.00)" in run_status(model)


def test_one_run_charts_follow_the_run():
    model = DashboardModel(REPLAY)
    model.advance(60)
    ts = model.snapshot.timeseries
    assert ts.equals(snapshot.run_frame(model))
    assert len(ts) == 60 and ts["date"].iloc[0] == pd.Timestamp("2020-05-07")
    assert ts["total_attacks"].iloc[-1] == (model.log.frame()["action"] == "attack").sum()
    specs = charts.one_run_specs(model.snapshot, charts.one_run_templates(model.spec))
    for name, title in (("authority_autonomy", "authority"), ("attacks", "Attacks")):
        spec = specs[name]
        assert title in spec["title"]
        rows = next(iter(spec["datasets"].values()))
        assert len(rows) == 2 * 60  # two series, one point per simulated day
        assert spec["usermeta"]["embedOptions"]["actions"]["export"] is True
    # the same as building the charts afresh with Altair
    def layout(spec: dict) -> dict:
        return {k: v for k, v in spec.items() if k not in ("data", "datasets")}
    for name, (rows, chart, _) in charts.ONE_RUN.items():
        fresh = charts.spec(chart(model.spec, rows(model.snapshot)), name)
        assert layout(specs[name]) == layout(fresh)
        assert [len(d) for d in specs[name]["datasets"].values()] == [
            len(d) for d in fresh["datasets"].values()]


def _html_texts(widget) -> list[str]:
    """The HTML of every ``solara.HTML`` in a rendered widget tree."""
    found = [widget.unsafe_innerHTML] if hasattr(widget, "unsafe_innerHTML") else []
    for child in getattr(widget, "children", None) or []:
        if hasattr(child, "keys"):  # a widget, not a text child
            found += _html_texts(child)
    return found


def _fields(widget, found: dict | None = None) -> dict[str, v.TextField]:
    """The text fields of a rendered widget tree, by label."""
    found = {} if found is None else found
    if isinstance(widget, v.TextField):
        found[widget.label] = widget
    for child in getattr(widget, "children", None) or []:
        if hasattr(child, "keys"):
            _fields(child, found)
    return found


def _buttons(widget) -> list[str]:
    """The labels of the buttons of a rendered widget tree."""
    found = ["".join(map(str, widget.children))] if isinstance(widget, v.Btn) else []
    for child in getattr(widget, "children", None) or []:
        if hasattr(child, "keys"):
            found += _buttons(child)
    return found


def test_text_typed_into_a_field_survives_a_redraw_before_enter(replay, tmp_path, monkeypatch):
    """What a user types into a number or name field is the server's value at once: a redraw of
    the view before Enter or a click elsewhere (an ensemble finishing, a chart arriving, the
    sidebar changing) keeps it, and the buttons that use it say so. Before, the server kept the
    old value until Enter and wrote it back over the typed text on any redraw (CI lost a typed
    replication number this way)."""
    monkeypatch.chdir(tmp_path)
    values = {**scenario_values(replay), "seed": 0, "posterior": None}
    result = solara.reactive((values | {"name": REPLAY},
                              ensemble.run_ensemble(replay, 4)))
    presets = solara.reactive({})
    redraws = solara.reactive(0)

    @solara.component
    def Host():
        solara.Text(f"redrawn {redraws.value} times")
        EnsembleView(REPLAY, values, (), result, lambda replication: None)
        Presets(REPLAY, values, (), presets, lambda name: None)

    box, rc = solara.render(Host(), handle_error=False)
    typed = {"Replications": "7", "Replication": "2", "Preset name": "mine",
             "Scenario file": "mine.yaml"}
    fields = _fields(box)
    assert set(typed) <= set(fields)
    for label, text in typed.items():
        fields[label].v_model = text  # what the browser sends as the user types
    redraws.set(1)
    assert {label: _fields(box)[label].v_model for label in typed} == typed
    assert {"Run 7 replications", "Show replication 2 in One run"} <= set(_buttons(box))
    rc.close()


def test_page_redrawn_in_the_middle_of_a_step_shows_the_last_whole_day():
    """The ▶ race: the page redraws (here: from inside the step, between the data collector's
    columns) while a step is half-written. It shows the last whole day, never a traceback."""
    model = DashboardModel(REPLAY)
    values = {**scenario_values(model.spec), "seed": 0}
    box, rc = solara.render(RunView(model, values), handle_error=False)
    shown: list[str] = []
    reporters = model.datacollector.model_reporters
    last = list(reporters)[-1]  # written after all other columns of the day
    original = reporters[last]
    assert callable(original)

    def redraw_then_report(m):
        force_update()  # what a press of Step on another thread does
        shown.extend(t for t in _html_texts(box) if t.startswith("<b>Run:"))
        return original(m)

    reporters[last] = lambda m: redraw_then_report(m)
    for day in range(1, 4):
        shown.clear()
        assert model.advance(1) == 1
        expected = "not started" if day == 1 else f": {day - 1} of 90 days simulated"
        assert shown and all(expected in text for text in shown), shown
    force_update()
    (status,) = [t for t in _html_texts(box) if t.startswith("<b>Run:")]
    assert ": 3 of 90 days simulated" in status
    rc.close()


def test_detainee_chart_comes_from_the_event_log_with_same_day_releases():
    model = finished(DashboardModel(REPLAY))
    held = ensemble.detainees_from_log(model.log.frame())
    assert held["held"].iloc[-1] == model.government.detainees_held
    per_day_peak = held.groupby("day")["held"].max()
    end_of_day = model.snapshot.timeseries.set_index("day")["detainees_held"]
    # every arrest and every release is a point of its own, however many fall on one day
    log = model.log.frame()
    assert len(held) >= log["action"].isin(["raid", "release"]).sum()
    assert per_day_peak.max() == log.loc[log["action"] == "raid", "value"].max()
    assert (per_day_peak >= end_of_day.reindex(per_day_peak.index)).all()
    spec = charts.one_run_specs(model.snapshot, charts.one_run_templates(model.spec))["detainees"]
    values = [r["value"] for r in next(iter(spec["datasets"].values()))]
    assert values[0] == 0 and max(values) == per_day_peak.max()
    assert spec["encoding"]["y"]["scale"]["domain"] == [0, max(5, per_day_peak.max() + 1)]
    empty = DashboardModel(REPLAY)
    assert ensemble.detainees_from_log(empty.log.frame()).empty
    assert charts.one_run_specs(empty.snapshot, charts.one_run_templates(empty.spec))["detainees"]


def test_ensemble_is_run_of_the_settings_with_progress_and_drill_down_seeds():
    scenario = settings_scenario(REPLAY, (), {"backing": 0.9})
    shares = []
    comparison = ensemble.run_ensemble(scenario, 6, shares.append)
    assert shares == [pytest.approx(k / 6) for k in range(1, 7)]
    res = comparison.results[scenario.name]
    assert len(res.summary) == 6 and comparison.seed == scenario.seed
    # replication k of the ensemble is the page's seed k with the same sliders
    k = 4
    one = finished(DashboardModel(REPLAY, backing=0.9, seed=k)).log.frame()
    theirs = res.events[res.events["replication"] == k].drop(columns="replication")
    pd.testing.assert_frame_equal(one, theirs.reset_index(drop=True))
    table = comparison.table()
    shares_only = table[table["kind"] == "share"]
    assert ((shares_only["low"] <= shares_only["value"])
            & (shares_only["value"] <= shares_only["high"])).all()
    bands = ensemble.bands(comparison.results)
    assert set(bands["series"]) == set(ensemble.SERIES) and len(bands) == 4 * 90
    assert (bands["low90"] <= bands["low50"]).all() and (bands["low50"] <= bands["median"]).all()
    assert (bands["median"] <= bands["high50"]).all() and (bands["high50"] <= bands["high90"]).all()
    last = bands[(bands["series"] == "total_attacks")].iloc[-1]
    assert last["median"] == res.summary["attacks"].median()
    for s in ensemble.SERIES:
        assert charts.spec(charts.band_chart(bands, s, scenario), s)["layer"]
    assert charts.spec(charts.shares_chart(table), "o")["layer"]
    for col in ensemble.DISTRIBUTIONS:
        assert charts.spec(charts.distribution_chart(comparison.summary(), col), col)


def test_histogram_bars_are_the_true_counts_per_bin():
    """One binning for bars, axis and tooltip: the rows drawn are the runs per bin (an
    ensemble's muster sizes and attacks; two scenarios overlaid on the same bins)."""
    scenario = settings_scenario(REPLAY, (), {})
    backed = settings_scenario(REPLAY, (), {"backing": 0.9}).model_copy(update={"name": "b"})
    comparison = compare([scenario, backed], 40)
    summary = comparison.summary()
    for column in ensemble.DISTRIBUTIONS:
        spec = charts.spec(charts.distribution_chart(summary, column), column)
        assert "transform" not in spec and '"bin":' not in json.dumps(spec["encoding"])
        assert not any("aggregate" in channel for channel in spec["encoding"].values()
                       if isinstance(channel, dict))
        drawn = pd.DataFrame(next(iter(spec["datasets"].values())))
        widths = set(drawn["high"] - drawn["low"])
        assert len(widths) == 1 and len(set(drawn["low"])) <= ensemble.MAX_BINS
        edges = np.arange(drawn["low"].min(), drawn["high"].max() + 1e-9, widths.pop())
        for label, runs in summary.groupby("scenario"):
            true, _ = np.histogram(runs[column], bins=edges)
            mine = drawn[drawn["scenario"] == label].set_index("low")["runs"]
            assert mine.sum() == len(runs) == 40
            assert mine.reindex(edges[:-1], fill_value=0).tolist() == true.tolist()
    assert ensemble.bin_width(132, 263) == 10 and ensemble.bin_width(8, 27) == 1
    assert ensemble.bin_width(0.0, 0.93, whole=False) == 0.05
    one = ensemble.histogram(pd.DataFrame({"scenario": ["a"] * 3, "x": [7, 7, 7]}), "x")
    assert one[["low", "high", "bin", "runs"]].values.tolist() == [[7, 8, "7", 3]]


def test_chart_specs_are_of_the_vega_lite_version_that_draws_them(replay):
    """Altair writes Vega-Lite v6 specs; the page draws with the Vega-Lite of solara's chart
    widget (v5), which warns on a newer spec. Every chart declares the renderer's version and
    is valid under that version's own schema."""
    assert charts.SCHEMA.endswith(f"/v{assets.vega_lite_version()}.json")
    schema_file = assets.vega_lite_schema()
    if not schema_file.is_file():
        pytest.skip(f"{schema_file} not fetched (python -m leverage_sim.dashboard.assets)")
    schema = json.loads(schema_file.read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    model = DashboardModel(REPLAY)
    model.advance(40)
    specs = list(charts.one_run_specs(model.snapshot, charts.one_run_templates(model.spec))
                 .values())
    comparison = compare([replay, replay.model_copy(update={"name": "other"})], 4)
    bands = ensemble.bands(comparison.results)
    specs += [charts.spec(charts.band_chart(bands, s, replay), s) for s in ensemble.SERIES]
    specs += [charts.spec(charts.shares_chart(comparison.table()), "outcomes")]
    specs += [charts.spec(charts.distribution_chart(comparison.summary(), c), c)
              for c in ensemble.DISTRIBUTIONS]
    specs += [charts.spec(charts.effects_chart(comparison.effects(), replay.name), "effects")]
    for spec in specs:
        assert spec["$schema"] == charts.SCHEMA
        assert [e.message for e in validator.iter_errors(spec)] == []


def test_compare_charts_take_both_scenarios(replay):
    comparison = compare([replay, settings_scenario(REPLAY, (), {"backing": 0.9})
                          .model_copy(update={"name": "backed"})], 3)
    bands = ensemble.bands(comparison.results)
    assert set(bands["scenario"]) == {REPLAY, "backed"}
    spec = charts.spec(charts.shares_chart(comparison.table()), "o")
    rows = next(iter(spec["datasets"].values()))
    assert {r["scenario"] for r in rows} == {REPLAY, "backed"}


def test_exported_scenario_yaml_loads_and_runs(tmp_path, capsys):
    values = {"backing": 0.75, "instigation": 0.25, "resolve": 0.5,
              "embassy_interception": 0.4}
    text = scenario_yaml(settings_scenario(REPLAY, ("militias[KH].autonomy=0.5",), values))
    path = tmp_path / "exported.yaml"
    path.write_text(text)
    loaded = ls.load_scenario(path)
    assert scenario_values(loaded) == values and loaded.militias[0].autonomy == 0.5
    assert cli(["run", str(path), "--replications", "2", "--posterior", "none",  # own values
                "--out", str(tmp_path / "out")]) == 0
    events = pd.read_parquet(tmp_path / "out" / "events.parquet")
    model = finished(DashboardModel(REPLAY, ("militias[KH].autonomy=0.5",), seed=1, **values))
    pd.testing.assert_frame_equal(
        events[events["replication"] == 1].drop(columns="replication").reset_index(drop=True),
        model.log.frame(), check_dtype=False)


def test_timeline_is_dated_latest_first_and_escaped(replay):
    events = pd.DataFrame({
        "day": [3, 49, 49], "date": pd.to_datetime(["2020-05-10", "2020-06-25", "2020-06-25"]),
        "actor": ["KH", "government", "KH"], "action": ["attack", "raid", "public_threat"],
        "target": ["embassy", "KH", "government"],
        "detail": ["intercepted", "14 members arrested", "<script>x</script>"],
        "value": [0.0, 14.0, 0.0]})
    page = timeline_html(events, replay)
    assert page.index("Thu 25 Jun 2020 · day 49") < page.index("Sun 10 May 2020 · day 3")
    assert page.count("<li class='ls-event'>") == 3
    assert ("<b>Government of Iraq (PM al-Kadhimi)</b> enforcement raid on KH: 14 members "
            "arrested") in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    chronological = timeline_html(events, replay, latest_first=False)
    assert chronological.index("day 3") < chronological.index("day 49")
    assert "No events yet" in timeline_html(events.iloc[:0], replay)


def test_wording_agrees_in_number_and_labels_scenario_notes(replay):
    names = {"foreign_forces": "US forces"}
    assert describe_event("release", "government", "1 detainees released", names) == (
        "gets detainees back: 1 detainee released")
    assert describe_event("attack", "bases", "hit, 1 US casualties", names).endswith(
        "1 US casualty")
    assert describe_event("raid", "KH", "21 members arrested", names).endswith("21 members "
                                                                              "arrested")
    assert describe_event("strike", "KH", "", names) == "strike on KH"
    model = finished(DashboardModel(REPLAY))
    page = timeline_html(model.log.frame(), model.spec)
    assert "scripted; scenario note on the historical event: new rocket defence" in page
    res = ls.run(replay, replications=1)
    text = narrative(res)
    assert "scripted; scenario note on the historical event: new rocket defence" in text
    assert not re.search(r"\b1 detainees", text) and "strikes " not in text


def test_the_backing_lever_names_the_scenarios_foreign_force():
    """The slider and the run status name the scenario's foreign force (its short_name):
    the 2020 replay's read as before, another force's by its own name."""
    backing = next(lv for lv in LEVERS if lv.name == "backing")
    assert backing.label("US") == "US backing (P that US forces step in)"
    assert backing.label("French") == "French backing (P that French forces step in)"
    model = DashboardModel(REPLAY, ("foreign_forces.short_name=French",), backing=0.4)
    text = run_status(model)
    assert "French backing 0.40" in text and "US" not in text


def test_run_status_names_day_date_levers_and_seed(replay):
    model = DashboardModel(REPLAY, seed=7)
    assert run_status(model).startswith("june_2020_replay: not started")
    model.advance(50)
    text = run_status(model)
    assert "50 of 90 days simulated, through Thu 25 Jun 2020 (day 49)" in text
    assert "US backing 0.10" in text and "seed 7" in text
    model.advance(100)
    assert "90 of 90 days simulated" in run_status(model) and "run ended" in run_status(model)


def test_server_command_and_environment(tmp_path):
    cmd = server.command("127.0.0.1", 8123)
    assert cmd[1:5] == ["-m", "solara", "run", server.APP]
    assert {"--no-open", "--no-check-version", "--production"} <= set(cmd)
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1" and cmd[cmd.index("--port") + 1] == "8123"
    env = server.environment("x", ["a.b=1"], [tmp_path], base={ENV_SCENARIO_PATH: "/elsewhere"})
    assert env[server.ENV_SCENARIO] == "x" and json.loads(env[server.ENV_OVERRIDES]) == ["a.b=1"]
    assert env[ENV_SCENARIO_PATH].split(":") == [str(tmp_path.resolve()), "/elsewhere"]
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"
    assert env["SOLARA_THEME_SHOW_BANNER"] == "False"  # no footer over the event log


def test_assets_are_one_front_end_bundle_and_requirejs():
    needed = assets.required_packages()
    assert sum("solara-vuetify" in p for p in needed) == 1
    assert any(p.startswith("requirejs@") for p in needed)
    assert {"vega@5", "vega-lite@5", "vega-embed@6"} <= set(needed)  # the charts' libraries


def test_cli_unknown_scenario_is_an_input_error(capsys):
    assert cli(["dashboard", "no_such_scenario", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "No scenario named 'no_such_scenario'" in err and "Traceback" not in err


def test_cli_port_in_use_is_an_input_error(capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert cli(["dashboard", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"Cannot serve the dashboard on 127.0.0.1:{port}" in err and "--port" in err


def test_posterior_run_k_is_replication_k_of_the_ensemble_and_says_so():
    """With the calibrated parameters (the page's default) the one run of seed k is
    replication k of the ensemble, draw included, and every view says which parameters."""
    assert DEFAULT_POSTERIOR == "default"
    scenario = settings_scenario(REPLAY, (), {"backing": 0.9})
    plain = ensemble.run_ensemble(scenario, 4)
    drawn = ensemble.run_ensemble(scenario, 4, posterior="default")
    res = next(iter(drawn.results.values()))
    assert not res.summary.equals(next(iter(plain.results.values())).summary)
    k = 3
    model = finished(DashboardModel(REPLAY, backing=0.9, seed=k, posterior="default"))
    theirs = res.events[res.events["replication"] == k].drop(columns="replication")
    pd.testing.assert_frame_equal(model.log.frame(), theirs.reset_index(drop=True))
    assert model.posterior_record["sha256"] == drawn.posterior["sha256"]
    assert "calibration/default" in parameters_note(drawn.posterior)
    assert "own values" in parameters_note(DashboardModel(REPLAY).posterior_record)


def test_compare_effects_are_those_of_compare_as_a_table_and_dot_and_interval():
    scenario = settings_scenario(REPLAY, (), {})
    comparison = compare([scenario.model_copy(update={"name": "as filed"}),
                          settings_scenario(REPLAY, (), {"backing": 0.9})
                          .model_copy(update={"name": "backed"})], 30)
    effects = comparison.effects()
    table = charts.effects_table(effects)
    held = effects[(effects["measure"] == "held_firm")].iloc[0]
    assert table.loc["share of runs: held firm", "backed"] == (
        f"{held.effect:+.0f} points [{held.low:.0f}, {held.high:.0f}]")
    assert list(table.columns) == ["backed"] and len(table) == len(effects)
    spec = charts.spec(charts.effects_chart(effects, "as filed"), "effects")
    rows = [r for d in spec["datasets"].values() for r in d if "measure" in r]
    assert {(r["measure"], r["effect"], r["low"], r["high"]) for r in rows} == {
        (r.measure, r.effect, r.low, r.high) for r in effects.itertuples() if r.kind == "points"}
    assert "Effect against as filed" in json.dumps(spec)


def test_scenario_file_loads_back_and_foreign_files_are_kept(tmp_path):
    scenario = settings_scenario(REPLAY, ("militias[KH].autonomy=0.5",), {"backing": 0.75})
    path = save_scenario(scenario, tmp_path / "mine.yaml", "test")
    assert path.read_text().startswith(MARK)
    assert ls.load_scenario(path) == scenario.model_copy(update={"name": "mine"})
    assert save_scenario(scenario, path) == path  # ours: replaced
    foreign = tmp_path / "theirs.yaml"
    foreign.write_text("name: theirs\n")
    with pytest.raises(InputError, match="did not write it"):
        save_scenario(scenario, foreign)
    assert foreign.read_text() == "name: theirs\n"
    with pytest.raises(InputError, match="ending in .yaml"):
        save_scenario(scenario, tmp_path / "x.txt")
    with pytest.raises(InputError, match="does not exist"):
        save_scenario(scenario, tmp_path / "no" / "x.yaml")
    # the one-run download: the same settings (--set overrides too), not the posterior's draw
    model = DashboardModel(REPLAY, ("militias[KH].autonomy=0.5",), backing=0.75,
                           posterior="default")
    assert model.settings == scenario and model.spec != scenario
