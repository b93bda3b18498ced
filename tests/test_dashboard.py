"""The dashboard's parts without a browser: levers, the keyword model SolaraViz re-creates,
charts, the timeline, the server's command/environment and the CLI's input errors.
(The page itself is driven in Chromium in ``test_dashboard_browser.py``.)"""

from __future__ import annotations

import json
import socket

import pandas as pd
import pytest

import leverage_sim as ls
from leverage_sim.cli.main import main as cli
from leverage_sim.dashboard import assets, charts, server
from leverage_sim.dashboard.levers import LEVERS, lever_overrides, model_params, scenario_values
from leverage_sim.dashboard.model import DashboardModel
from leverage_sim.dashboard.timeline import run_status, timeline_html
from leverage_sim.scenario_loader import ENV_SCENARIO_PATH

REPLAY = "june_2020_replay"


@pytest.fixture
def variant(tmp_path):
    """A scenario file extending the replay with other lever values and no embassy site."""
    path = tmp_path / "what_if.yaml"
    path.write_text(f"extends: {REPLAY}\nforeign_forces:\n  backing: 0.8\n"
                    "  sites: [{name: embassy, remove: true}]\npatron: {instigation: 0.3}\n"
                    "events: [{name: embassy_rocket_defence, remove: true}]\n")
    return path


def slider_values(params: dict) -> dict:
    """What SolaraViz's ModelCreator passes to the model: slider values and fixed params."""
    return {k: v["value"] if isinstance(v, dict) else v for k, v in params.items()}


def finished(model: DashboardModel) -> DashboardModel:
    while model.running:
        model.step()
    return model


def test_sliders_start_at_the_scenarios_values(replay, variant):
    params = model_params(REPLAY, replay)
    assert slider_values(params) == {
        "scenario_name": REPLAY, "overrides": (), "backing": 0.1, "instigation": 0.6,
        "resolve": 0.6, "embassy_interception": 0.0, "seed": 0}
    other = ls.load_scenario(variant)
    values = slider_values(model_params(str(variant), other))
    assert (values["backing"], values["instigation"]) == (0.8, 0.3)
    assert "embassy_interception" not in values  # no embassy site, no embassy lever
    for name, spec in model_params(REPLAY, replay).items():
        if isinstance(spec, dict):
            assert spec["min"] <= spec["value"] <= spec["max"], name


def test_model_accepts_what_solaraviz_passes_and_keeps_scenario_values(replay):
    model = DashboardModel(**slider_values(model_params(REPLAY, replay)))
    assert model.spec == replay
    assert DashboardModel(REPLAY).spec == replay  # None levers keep the scenario's values


def test_levers_reach_the_scenario(replay):
    model = DashboardModel(REPLAY, backing=0.9, instigation=0.2, resolve=0.3,
                           embassy_interception=0.5)
    assert scenario_values(model.spec) == {"backing": 0.9, "instigation": 0.2, "resolve": 0.3,
                                           "embassy_interception": 0.5}
    assert lever_overrides({"backing": 0.9, "resolve": None}) == {"foreign_forces.backing": 0.9}
    assert {lv.name for lv in LEVERS} == set(scenario_values(replay))


def test_cli_overrides_apply_before_levers():
    model = DashboardModel(REPLAY, ("foreign_forces.backing=0.7", "militias[KH].autonomy=0.5"))
    assert model.spec.foreign_forces.backing == 0.7
    assert model.spec.militias[0].autonomy == 0.5
    assert DashboardModel(REPLAY, ("foreign_forces.backing=0.7",), backing=0.2
                          ).spec.foreign_forces.backing == 0.2


def test_seed_is_the_replication_number_of_leverage_sim_run(replay):
    """Seed k in the dashboard replays replication k of `run` exactly, levers included."""
    scenario = ls.load_scenario(REPLAY, {"foreign_forces.backing": 0.9})
    res = ls.run(scenario, replications=3)
    model = finished(DashboardModel(REPLAY, backing=0.9, seed=2))
    ours = model.log.frame()
    theirs = res.events[res.events["replication"] == 2].drop(columns="replication")
    pd.testing.assert_frame_equal(ours, theirs.reset_index(drop=True))
    other = finished(DashboardModel(REPLAY, backing=0.9, seed=1)).log.frame()
    assert not other.equals(ours)


def test_run_stops_at_the_horizon(replay):
    model = finished(DashboardModel(REPLAY))
    assert model.day == replay.horizon_days and not model.running
    model.step()  # SolaraViz's Step may still call it: nothing happens
    assert model.day == replay.horizon_days


def test_charts_follow_the_run():
    model = DashboardModel(REPLAY)
    for _ in range(60):
        model.step()
    ts = charts.run_frame(model)
    assert len(ts) == 60 and ts["date"].iloc[0] == pd.Timestamp("2020-05-07")
    assert (ts["total_attacks"] == ts["attacks"].cumsum()).all()
    assert ts["total_attacks"].iloc[-1] == (model.log.frame()["action"] == "attack").sum()
    for make, title, n_lines in ((charts.authority_autonomy, "authority", 2),
                                 (charts.attacks, "Attacks", 2),
                                 (charts.detainees, "Detainees", 1)):
        ax = make(model, ts).axes[0]
        assert title in ax.get_title() and ax.get_ylabel()
        assert len(ax.lines) == n_lines
        assert all(len(line.get_xdata()) == 60 for line in ax.lines)
    empty = DashboardModel(REPLAY)
    assert all(len(line.get_xdata()) == 0
               for line in charts.authority_autonomy(empty, charts.run_frame(empty)).axes[0].lines)


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


def test_run_status_names_day_date_levers_and_seed(replay):
    assert run_status(0, replay, 0).startswith("june_2020_replay: not started")
    text = run_status(50, replay, 7)
    assert "50 of 90 days simulated, through Thu 25 Jun 2020 (day 49)" in text
    assert "US backing 0.10" in text and "Patron instigation 0.60" in text and "seed 7" in text


def test_server_command_and_environment(tmp_path):
    cmd = server.command("127.0.0.1", 8123)
    assert cmd[1:5] == ["-m", "solara", "run", server.APP]
    assert {"--no-open", "--no-check-version", "--production"} <= set(cmd)
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1" and cmd[cmd.index("--port") + 1] == "8123"
    env = server.environment("x", ["a.b=1"], [tmp_path], base={ENV_SCENARIO_PATH: "/elsewhere"})
    assert env[server.ENV_SCENARIO] == "x" and json.loads(env[server.ENV_OVERRIDES]) == ["a.b=1"]
    assert env[ENV_SCENARIO_PATH].split(":") == [str(tmp_path.resolve()), "/elsewhere"]
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"


def test_assets_are_one_front_end_bundle_and_requirejs():
    needed = assets.required_packages()
    assert sum("solara-vuetify" in p for p in needed) == 1
    assert any(p.startswith("requirejs@") for p in needed)


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
