"""The dashboard's parts without a browser: levers, the keyword model, charts, the ensemble,
the timeline and its wording, the server's command/environment and the CLI's input errors.
(The page itself is driven in Chromium in ``test_dashboard_browser.py``.)"""

from __future__ import annotations

import json
import socket

import pandas as pd
import pytest

import leverage_sim as ls
from leverage_sim.canonical import scenario_yaml
from leverage_sim.cli.main import main as cli
from leverage_sim.compare import compare
from leverage_sim.dashboard import assets, charts, ensemble, server
from leverage_sim.dashboard.levers import (
    LEVERS,
    lever_overrides,
    live_values,
    scenario_values,
    settings_scenario,
)
from leverage_sim.dashboard.model import DashboardModel
from leverage_sim.dashboard.timeline import run_status, timeline_html
from leverage_sim.narrative import describe_event, narrative
from leverage_sim.scenario_loader import ENV_SCENARIO_PATH

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
    ts = charts.run_frame(model)
    assert len(ts) == 60 and ts["date"].iloc[0] == pd.Timestamp("2020-05-07")
    assert ts["total_attacks"].iloc[-1] == (model.log.frame()["action"] == "attack").sum()
    specs = charts.one_run_specs(model, charts.one_run_templates(model.spec))
    for name, title in (("authority_autonomy", "authority"), ("attacks", "Attacks")):
        spec = specs[name]
        assert title in spec["title"]
        rows = next(iter(spec["datasets"].values()))
        assert len(rows) == 2 * 60  # two series, one point per simulated day
        assert spec["usermeta"]["embedOptions"]["actions"]["export"] is True
    # the same as building the charts afresh with Altair
    events = model.log.frame()
    def layout(spec: dict) -> dict:
        return {k: v for k, v in spec.items() if k not in ("data", "datasets")}
    for name, (rows, chart, _) in charts.ONE_RUN.items():
        fresh = charts.spec(chart(model.spec, rows(model, ts, events)), name)
        assert layout(specs[name]) == layout(fresh)
        assert [len(d) for d in specs[name]["datasets"].values()] == [
            len(d) for d in fresh["datasets"].values()]


def test_detainee_chart_comes_from_the_event_log_with_same_day_releases():
    model = finished(DashboardModel(REPLAY))
    held = ensemble.detainees_from_log(model.log.frame())
    assert held["held"].iloc[-1] == model.government.detainees_held
    per_day_peak = held.groupby("day")["held"].max()
    end_of_day = charts.run_frame(model).set_index("day")["detainees_held"]
    # every arrest and every release is a point of its own, however many fall on one day
    log = model.log.frame()
    assert len(held) >= log["action"].isin(["raid", "release"]).sum()
    assert per_day_peak.max() == log.loc[log["action"] == "raid", "value"].max()
    assert (per_day_peak >= end_of_day.reindex(per_day_peak.index)).all()
    spec = charts.one_run_specs(model, charts.one_run_templates(model.spec))["detainees"]
    values = [r["value"] for r in next(iter(spec["datasets"].values()))]
    assert values[0] == 0 and max(values) == per_day_peak.max()
    assert spec["encoding"]["y"]["scale"]["domain"] == [0, max(5, per_day_peak.max() + 1)]
    empty = DashboardModel(REPLAY)
    assert ensemble.detainees_from_log(empty.log.frame()).empty
    assert charts.one_run_specs(empty, charts.one_run_templates(empty.spec))["detainees"]


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
    assert "1 detainees" not in text and "strikes " not in text


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


def test_ensemble_draws_from_the_committed_posterior_when_asked():
    scenario = settings_scenario(REPLAY, (), {})
    plain = ensemble.run_ensemble(scenario, 6)
    drawn = ensemble.run_ensemble(scenario, 6, posterior="default")
    again = ensemble.run_ensemble(scenario, 6, posterior="default")
    summary = next(iter(drawn.results.values())).summary
    assert summary.equals(next(iter(again.results.values())).summary)
    assert not summary.equals(next(iter(plain.results.values())).summary)
    assert next(iter(drawn.results.values())).posterior is not None
