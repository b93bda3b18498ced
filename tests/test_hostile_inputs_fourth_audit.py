"""Careless or hostile input found by the fourth audit: a debug switch set to 0, numbers in
base 16 or 2, seeds and other arguments of the wrong kind through the Python API, charts of
empty or wrong tables, a progress wrapper that is none, the dashboard's seed and levers, sweep
values given twice, sweep manifests of another shape, and explore's counts and levers."""

from __future__ import annotations

import json
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import leverage_sim as ls
from leverage_sim.errors import InputError
from leverage_sim.files.environment import is_on
from leverage_sim.files.safe_yaml import load_text
from leverage_sim.sweep import SweepSpec, load_sweep, run_sweep
from leverage_sim.sweep.spec import parse_params

REPLAY = "june_2020_replay"
TINY = {"horizon_days": 3, "events": []}
SEED_RULE = r"seed must be a whole number from 0 to 2\*\*63-1"


@pytest.fixture(scope="module")
def tiny() -> ls.Scenario:
    """The replay cut to three days without scripted events: runs in milliseconds."""
    return ls.load_scenario(REPLAY, TINY)


@pytest.fixture(scope="module")
def results(tiny) -> ls.Results:
    return ls.run(tiny, 2, seed=1, posterior=None)


@pytest.fixture
def ax():
    fig, axes = plt.subplots()
    yield axes
    plt.close(fig)


# ---- environment variables ---------------------------------------------------------------------
@pytest.mark.parametrize(("value", "on"), [("0", False), ("false", False), ("no", False),
                                           ("", False), ("off", False), (" No ", False),
                                           ("1", True), ("true", True), ("YES", True)])
def test_the_debug_switch_is_on_only_for_a_value_that_says_yes(value, on, cli, monkeypatch):
    monkeypatch.setenv("LEVERAGE_SIM_DEBUG", value)
    monkeypatch.setattr("leverage_sim.cli.show_cmd.scenario_yaml", lambda sc: 1 / 0)
    code, _, err = cli("show", REPLAY)
    assert code == 1 and "internal error: ZeroDivisionError" in err
    assert ("Traceback" in err) is on and is_on(value) is on


# ---- numbers in another base -------------------------------------------------------------------
@pytest.mark.parametrize(("text", "kind"), [("0x10", "hexadecimal"), ("-0x10", "hexadecimal"),
                                             ("0b101", "binary"), ("+0b1_0", "binary")])
def test_hexadecimal_and_binary_numbers_are_refused_in_files_and_set_alike(text, kind, cli):
    with pytest.raises(InputError, match=f"'{re.escape(text)}' is read by YAML as a {kind} "
                                         "number.*quote it if it is text"):
        load_text(f"horizon_days: {text}", "s.yaml")
    with pytest.raises(InputError, match=f"Override 'seed': '{re.escape(text)}' is read by YAML"):
        ls.load_scenario(REPLAY, [f"seed={text}"])
    with pytest.raises(InputError, match=f"{kind} number"):
        parse_params([f"government.resolve=0,{text}"])
    with pytest.raises(InputError, match=f"{kind} number"):
        ls.summarise(pd.DataFrame({"attacks": [1, 2]}), outcomes=[f"attacks>{text}"], by=[])
    code, _, err = cli("show", REPLAY, "--set", f"horizon_days={text}")
    assert code == 2 and f"{kind} number" in err


def test_digit_separators_and_quoted_hexadecimal_still_read_as_written():
    assert load_text("a: 1_000\nb: '0x10'\nc: 0o7\n", "s.yaml") == {"a": 1000, "b": "0x10",
                                                                   "c": "0o7"}


# ---- seeds and scenarios through the Python API ------------------------------------------------
@pytest.mark.parametrize("seed", [-1, 2**63, 2**128, 1.5, True, "3", None])
def test_run_one_names_a_seed_outside_the_range(seed, tiny):
    with pytest.raises(InputError, match=SEED_RULE):
        ls.run_one(tiny, seed)


def test_run_one_takes_a_scenario_name_as_run_does(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text("extends: june_2020_replay\nhorizon_days: 3\n"
                    "events:\n  - {name: ct_raid, remove: true}\n"
                    "  - {name: embassy_rocket_defence, remove: true}\n", encoding="utf-8")
    tables = ls.run_one(str(path), 7)
    assert tables.summary["seed"] == 7 and len(tables.timeseries) == 3


def _calibration(path):
    from leverage_sim.calibration.config import load_calibration

    return load_calibration(path)


def _episode(name):
    from leverage_sim.calibration.episodes import load_episode

    return load_episode(name)


@pytest.mark.parametrize(("call", "said"), [
    (lambda: ls.load_scenario(5), r"A scenario \(its name, .*got int 5"),
    (lambda: ls.load_scenario(b"june_2020_replay"), "must be text or a pathlib.Path, got bytes"),
    (lambda: ls.load_scenario("a\x00b.yaml"), r"'a\\x00b.yaml' is no possible file name"),
    (lambda: ls.load_scenario(REPLAY, scenario_dirs=5), "Each scenario folder .*got int 5"),
    (lambda: ls.load_scenario(REPLAY, scenario_dirs=[None]), "Each scenario folder .*NoneType"),
    (lambda: ls.run(REPLAY, posterior=5), "posterior .*must be text or a pathlib.Path, got int"),
    (lambda: ls.run_sweep(5, "unused"), "A sweep .*got int 5"),
    (lambda: ls.explore(5, ["foreign_forces.backing=0,1"]), "A sweep or scenario .*got int 5"),
    (lambda: SweepSpec.parse(None, "f.yaml"), "Sweep from f.yaml: a sweep is a mapping"),
    (lambda: _calibration(None), r"A calibration file \(its path\) must be text .*NoneType"),
    (lambda: _episode(5), r"An episode \(its name, .*got int 5"),
    (lambda: ls.replication_seeds(-1, 2), "master_seed must be a whole number from 0"),
    (lambda: ls.replication_seeds(1, 10**12), "n \\(seeds\\) is at most 10,000,000"),
    (lambda: SweepSpec.parse([1], "f.yaml"), "Sweep from f.yaml: a sweep is a mapping"),
])
def test_names_and_paths_of_the_wrong_type_are_named(call, said):
    with pytest.raises(InputError, match=said):
        call()


@pytest.mark.parametrize(("out", "said"), [
    (None, r"The output folder \(--out\) must be text or a pathlib.Path, got NoneType"),
    (5, "got int 5"), (b"out", "got bytes"), ("a\x00b", "holds a NUL character"),
])
def test_results_are_saved_to_a_path_or_not_at_all(out, said, results, tmp_path,
                                                    monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=said):
        results.save(out)
    assert list(tmp_path.iterdir()) == []


# ---- progress wrappers and memory limits ------------------------------------------------------
@pytest.mark.parametrize(("progress", "said"), [
    (5, "progress must be a callable that wraps the loop"),
    (lambda loop: None, "progress returned NoneType, not the loop"),
    (lambda loop: [], "progress yielded 0 of the 2 replications"),
    (lambda loop: reversed(list(loop)), "replication 0 came as 1"),
])
def test_a_progress_wrapper_that_does_not_wrap_the_loop_is_named(progress, said, tiny):
    with pytest.raises(InputError, match=said):
        ls.run(tiny, 2, posterior=None, progress=progress)


def test_a_progress_wrapper_that_wraps_the_loop_counts_every_replication(tiny):
    seen = []

    def wrap(loop):
        for i in loop:
            seen.append(i)
            yield i
    assert len(ls.run(tiny, 3, posterior=None, progress=wrap).summary) == 3 and seen == [0, 1, 2]
    with pytest.raises(InputError, match="progress must be a callable that takes a column"):
        ls.compare([tiny, tiny], 1, posterior=None, progress=5)


def test_memory_limit_is_a_number_of_bytes(tiny):
    with pytest.raises(InputError, match=r"memory_limit \(bytes\) must be a whole number"):
        ls.run(tiny, 2, posterior=None, memory_limit="1GB")


# ---- charts -------------------------------------------------------------------------------------
def _charts(results):
    from leverage_sim.outputs import plots

    effects = pd.DataFrame({"scenario": ["b"], "measure": ["held_firm"], "kind": ["points"],
                            "effect": [1.0], "low": [0.0], "high": [2.0]})
    runs = pd.DataFrame({"x": [0.0, 1.0], "attacks": [1, 2], "error": [None, None]})
    empty = ls.Results(results.scenario, 1, results.timeseries, results.militias,
                       results.events, results.summary.iloc[:0])
    return {
        "outcome_bars, no rows": (lambda ax: plots.outcome_bars(ax, results.summary.iloc[:0]),
                                  "The summary table 'all runs' has no rows"),
        "effect_dots, empty": (lambda ax: plots.effect_dots(ax, pd.DataFrame()),
                               ("No column 'scenario', 'measure', 'effect', 'low', 'high' "
                                r"in the effects table \(its columns: none\)")),
        "effect_dots, no rows": (lambda ax: plots.effect_dots(ax, effects.iloc[:0]),
                                 "The effects table has no rows"),
        "effect_dots, no low": (lambda ax: plots.effect_dots(ax, effects.drop(columns="low")),
                                "No column 'low' in the effects table"),
        "weekly_attacks": (lambda ax: plots.weekly_attacks(
            ax, results.timeseries.drop(columns="replication")),
                           "No column 'replication' in the time series"),
        "event_timeline": (lambda ax: plots.event_timeline(ax, pd.DataFrame()),
                           "No column 'replication', .* in the events table"),
        "standoff_groups": (lambda ax: plots.standoff_groups(pd.DataFrame()),
                            "No column 'replication', 'relents', 'held_firm' in the summary"),
        "response_curve, no rows": (lambda ax: plots.response_curve(ax, runs.iloc[:0], "x",
                                                                    "attacks"),
                                    "The sweep table has no rows"),
        "prim_trajectory": (lambda ax: plots.prim_trajectory(ax, pd.DataFrame()),
                            "No column 'coverage', 'density', 'restricted' in the PRIM"),
        "sensitivity_bars": (lambda ax: plots.sensitivity_bars(ax, pd.DataFrame({"S1": [0.1]})),
                             "No column 'mu_star', 'sigma' in the table of sensitivity"),
        "run_overview, no runs": (lambda ax: plots.run_overview(empty),
                                  "The summary table has no rows"),
        "not a table": (lambda ax: plots.effect_dots(ax, [1, 2]),
                        "The effects table must be a pandas DataFrame, got list"),
    }


CHARTS = ("outcome_bars, no rows", "effect_dots, empty",
          "effect_dots, no rows", "effect_dots, no low", "weekly_attacks", "event_timeline",
          "standoff_groups", "response_curve, no rows", "prim_trajectory", "sensitivity_bars",
          "run_overview, no runs", "not a table")


def test_every_chart_case_is_listed(results):
    assert set(_charts(results)) == set(CHARTS)


@pytest.mark.parametrize("case", CHARTS)
def test_charts_name_an_empty_table_or_a_missing_column(case, results, ax):
    draw, said = _charts(results)[case]
    with pytest.raises(InputError, match=said):
        draw(ax)
    plt.close("all")


# ---- summarise ---------------------------------------------------------------------------------
RUNS = pd.DataFrame({"x": [0, 1], "attacks": [1, 2], "error": [None, None]})


@pytest.mark.parametrize(("kwargs", "said"), [
    ({"df": None}, "summarise takes a table of runs .* got NoneType"),
    ({"level": "0.9"}, "level must be a number between 0 and 1 .* got '0.9'"),
    ({"n_boot": 0}, "n_boot must be a whole number of at least 1"),
    ({"seed": -1}, SEED_RULE),
    ({"outcomes": [5]}, r"outcomes takes column names .* got \[5\]"),
    ({"by": 5}, "by takes column names .* got 5"),
])
def test_summarise_names_arguments_of_the_wrong_kind(kwargs, said):
    args = {"df": RUNS, "outcomes": ["attacks"], "by": "x", **kwargs}
    with pytest.raises(InputError, match=said):
        ls.summarise(args.pop("df"), **args)


def test_summarise_points_a_results_object_to_its_summary(results):
    with pytest.raises(InputError, match=r"for a run's Results give its .summary"):
        ls.summarise(results)


# ---- the dashboard -----------------------------------------------------------------------------
@pytest.mark.parametrize(("kwargs", "said"), [
    ({"seed": -1}, "The dashboard's seed .* got -1"),
    ({"seed": 1.5}, "The dashboard's seed .* got 1.5"),
    ({"seed": "3"}, "The dashboard's seed .* got '3'"),
    ({"backing": "x"}, "'foreign_forces.backing': must be a number, not text"),
    ({"backing": True}, "'foreign_forces.backing': must be a number, not true/false"),
])
def test_the_dashboards_seed_and_levers_are_checked(kwargs, said):
    from leverage_sim.dashboard.model import DashboardModel

    with pytest.raises(InputError, match=said):
        DashboardModel(REPLAY, **kwargs)


def test_saving_a_dashboard_scenario_under_a_name_too_long_is_named(tiny, tmp_path):
    from leverage_sim.dashboard.scenario_file import save_scenario

    with pytest.raises(InputError, match="Cannot save the scenario as .*the name is too long"):
        # 70 characters (a scenario name has at most 100: a longer one is refused as a name,
        # tests/test_hostile_inputs_ninth_audit.py), 280 bytes (a file name has at most 255)
        save_scenario(tiny, tmp_path / ("\U0001d4b3" * 70 + ".yaml"))
    assert list(tmp_path.iterdir()) == []


# ---- sweeps ------------------------------------------------------------------------------------
SPEC = {"base": REPLAY, "overrides": TINY, "posterior": "none"}


@pytest.mark.parametrize(("parameter", "said"), [
    ({"values": [0.5, 0.5]}, "values lists 0.5 more than once"),
    ({"values": [0.2, 1, 1.0]}, "values lists 1.0 more than once"),
    ({"range": [0.5, 0.5], "steps": 3}, r"range \[0.5, 0.5\] has equal ends"),
])
def test_a_sweep_value_given_twice_or_a_range_without_width_is_refused(parameter, said):
    with pytest.raises(InputError, match=said):
        SweepSpec.parse({**SPEC, "parameters": {"government.resolve": parameter}}, "f.yaml")


def test_a_value_given_twice_on_the_command_line_is_refused(cli, tmp_path):
    code, _, err = cli("sweep", REPLAY, "--param", "government.resolve=0.5,0.2,0.5",
                       "--out", tmp_path / "s", "--posterior", "none", "-q")
    assert code == 2 and "values lists 0.5 more than once" in err
    assert not (tmp_path / "s").exists()


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    spec = SweepSpec.parse({**SPEC, "parameters": {"government.resolve": {"values": [0.5]}}},
                           "f.yaml")
    return run_sweep(spec, tmp_path_factory.mktemp("sweep") / "s", executor="serial")


@pytest.mark.parametrize(("change", "said"), [
    ({"spec": 5}, "'spec' is int, not dict"),
    ({"spec": {"name": "x"}}, "'spec' has no 'parameters' mapping"),
])
def test_a_sweep_manifest_of_another_shape_is_named_not_a_crash(change, said, sweep_dir,
                                                                 tmp_path, cli):
    import shutil

    folder = tmp_path / "copy"
    shutil.copytree(sweep_dir, folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    (folder / "manifest.json").write_text(json.dumps({**manifest, **change}), encoding="utf-8")
    with pytest.raises(InputError, match=f"damaged or was written by another tool .*{said}"):
        load_sweep(folder)
    code, _, err = cli("rerun", folder, "--run-id", "0")
    assert code == 2 and said in err and "internal error" not in err


def test_run_sweep_checks_its_engine_before_anything_runs(tmp_path):
    spec = SweepSpec.parse({**SPEC, "parameters": {"government.resolve": {"values": [0.5]}}},
                           "f.yaml")
    with pytest.raises(InputError, match="Unknown engine 'gpu'"):
        run_sweep(spec, tmp_path / "s", executor="serial", engine="gpu")
    assert not (tmp_path / "s").exists()


# ---- explore -----------------------------------------------------------------------------------
def test_explore_refuses_zero_replications_and_reads_one_lever_text_as_one_lever():
    from leverage_sim.analysis.exploration import build_spec
    from leverage_sim.analysis.robust import check_question

    with pytest.raises(InputError, match="'replications': Input should be greater than or "
                                         "equal to 1"):
        build_spec(REPLAY, ["foreign_forces.backing=0,1"], replications=0, overrides=TINY)
    spec = build_spec(REPLAY, "foreign_forces.backing=0,1", overrides=TINY)
    assert spec.paths == ["foreign_forces.backing"]
    for share, percentile, said in (("0.5", 90, "--hold-at-least .* got '0.5'"),
                                    (0.5, "90", "--percentile .* got '90'")):
        with pytest.raises(InputError, match=said):
            check_question("held_firm>0", {}, share, percentile)


def test_a_sweep_an_older_version_wrote_with_a_value_twice_still_reruns(sweep_dir, tmp_path,
                                                                       cli):
    import shutil

    from leverage_sim.sweep.storage import plan_hash

    folder = tmp_path / "old"
    shutil.copytree(sweep_dir, folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["spec"]["parameters"]["government.resolve"]["values"] = [0.5, 0.5]
    manifest["plan_sha256"] = plan_hash(manifest)  # as an older version wrote it, unchecked
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    code, text, _ = cli("rerun", folder, "--run-id", "0")
    assert code == 0 and "Run 0 reproduced" in text


def test_a_stored_sweep_this_version_cannot_run_is_named_not_a_crash(sweep_dir, tmp_path, cli):
    import shutil

    folder = tmp_path / "copy"
    shutil.copytree(sweep_dir, folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["spec"]["design"] = "full_factorial"  # a design of another version, format 1
    manifest.pop("plan_sha256")
    manifest["format"] = 1
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    code, _, err = cli("rerun", folder, "--run-id", "0")
    assert code == 2 and "is not one this version of leverage-sim can run" in err
    assert "Input should be 'grid'" in err and "internal error" not in err


def test_one_scenario_or_episode_given_alone_or_as_a_generator_is_read_whole(tiny,
                                                                            monkeypatch):
    from leverage_sim.calibration import episodes
    from leverage_sim.calibration.validation import from_episode_files

    def asked(name):  # stands in for loading the episode (seconds): which name was asked for
        raise InputError(f"asked for {name}")
    monkeypatch.setattr(episodes, "load_episode", asked)
    with pytest.raises(InputError, match="asked for najaf_2004$"):
        from_episode_files("najaf_2004")
    both = ls.compare((s for s in (tiny, tiny)), 1, posterior=None)
    assert list(both.results) == ["june_2020_replay", "june_2020_replay#2"]


def test_overrides_given_as_a_generator_are_applied_and_recorded(tiny):
    res = ls.run(tiny, 1, posterior=None, overrides=(t for t in ["government.resolve=0.3"]))
    assert res.scenario.government.resolve == 0.3
    assert res.overrides == ["government.resolve=0.3"] and "with government.resolve=0.3" in \
        res.inputs
    both = ls.compare([tiny, tiny], 1, posterior=None,
                      overrides=(t for t in ["government.resolve=0.3"]))
    assert "(all with government.resolve=0.3)" in both.inputs


def test_a_scenario_file_whose_name_is_no_scenario_name_is_not_listed_as_one(tmp_path, cli):
    from leverage_sim.scenario.loader import available_scenarios

    for stem in ("has space", "sçénário", "ok_name"):
        (tmp_path / f"{stem}.yaml").write_text("extends: june_2020_replay\n", encoding="utf-8")
    found = available_scenarios(tmp_path)
    assert "ok_name" in found and "has space" not in found and "sçénário" not in found
    code, out, err = cli("list", "--scenario-dir", tmp_path)
    assert code == 0 and out.startswith("ok_name ") and "has space" not in out
    assert "has space.yaml is left out: 'has space' is not a scenario name, so it runs only " \
           "by its path" in err
    assert cli("validate", tmp_path / "has space.yaml")[0] == 0  # its path still works


def test_a_section_given_as_a_mapping_changes_only_the_fields_it_names():
    base = ls.load_scenario(REPLAY)
    for overrides in ({"government": {"resolve": 0.3}}, ["government={resolve: 0.3}"]):
        changed = ls.load_scenario(REPLAY, overrides)
        assert changed.government.resolve == 0.3
        assert changed.government.model_dump(exclude={"resolve"}) == \
            base.government.model_dump(exclude={"resolve"})  # the name was lost to a default
    no_events = ls.load_scenario(REPLAY, {"events": [], "horizon_days": 3})
    assert no_events.events == []  # a list still replaces the list
    figures = {"government.resolve": 0.5}  # an event's figures are replaced whole, not merged
    set_event = ls.load_scenario(REPLAY, {"events[0].action": "set", "events[0].target": None,
                                          "events[0].figures": figures}).events[0]
    assert set_event.figures == figures
