"""Careless or hostile input found by the third audit: a verb's words after its options, a
sweep table without its seed column, file names that are not UTF-8; and, from its second
round, YAML that Python cannot read as numbers or text, names override paths cannot write,
sweeps over the seed or over whole sections, files of another kind named as a scenario,
calibrations with one parameter or no facts, validate-model counts that do not fit in memory,
and the notebook helpers given a text where a list goes or results without daily tables."""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

import leverage_sim as ls
from leverage_sim.analysis.comparison import parse_variant
from leverage_sim.calibration.config import load_calibration
from leverage_sim.calibration.episodes import EPISODE_DIR as EPISODES
from leverage_sim.calibration.episodes import find_episode, load_episode
from leverage_sim.cli.main import build_parser
from leverage_sim.errors import InputError
from leverage_sim.files.safe_text import json_visible, visible
from leverage_sim.files.safe_yaml import load_text, read_text
from leverage_sim.scenario.limits import check_count, check_seed
from leverage_sim.scenario.loader import ENV_SCENARIO_PATH, available_scenarios, load_scenario
from leverage_sim.sweep import SweepSpec, design_problem, load_sweep, run_sweep, summarise
from leverage_sim.sweep.spec import parse_params
from tests.calibration_fixture import tiny_config


def _parse(*argv: str):
    return build_parser(list(argv)).parse_args(list(argv))


def test_a_verbs_words_may_come_before_between_or_after_its_options():
    for argv in (["compare", "a", "--set", "x=1", "b"], ["compare", "--set", "x=1", "a", "b"],
                 ["compare", "a", "--variant", "x=1", "-n", "2", "b"]):
        assert _parse(*argv).scenarios == ["a", "b"]
    assert _parse("validate", "a", "--json", "b").files == ["a", "b"]


def test_a_scenario_after_an_option_is_read_not_called_unrecognized(cli):
    code, _, err = cli("compare", "june_2020_replay", "--set", "foreign_forces.backing=0.5",
                       "nope")
    assert code == 2 and "No scenario named 'nope'" in err


def test_an_unknown_option_is_named_with_the_verbs_usage(cli):
    code, _, err = cli("compare", "--variants", "x=1", "june_2020_replay")
    assert code == 2 and "unrecognized arguments: --variants" in err
    assert "See `leverage-sim compare --help`" in err


# ---- a sweep table without a column the sweep wrote ---------------------------------------------
@pytest.fixture
def sweep_dir(tmp_path):
    spec = SweepSpec.from_cli("june_2020_replay", ["foreign_forces.backing=0,1"],
                              posterior="none")
    return run_sweep(spec, tmp_path / "sweep", executor="serial")


def _drop(path, column):
    pq.write_table(pq.read_table(path).drop([column]), path)


def test_runs_without_their_seeds_are_named_not_dumped(sweep_dir, cli):
    _drop(sweep_dir / "runs.parquet", "seed")
    code, _, err = cli("sweep", "--resume", "--out", sweep_dir, "-q")
    assert code == 2
    assert f"{sweep_dir / 'runs.parquet'} has no column 'seed'" in err and "--force" in err
    assert "FieldRef" not in err and "\n" not in err.rstrip("\n")
    with pytest.raises(InputError, match="has no column 'seed'"):
        run_sweep(None, sweep_dir, executor="serial", resume=True)


@pytest.mark.parametrize("name", ["points", "design"])
def test_points_or_design_without_a_parameter_are_named(sweep_dir, name):
    _drop(sweep_dir / f"{name}.parquet", "foreign_forces.backing")
    with pytest.raises(InputError, match=rf"{name}.parquet has no column "
                                         "'foreign_forces.backing'.*--force"):
        design_problem(sweep_dir) if name == "design" else load_sweep(sweep_dir)


# ---- file names that are not UTF-8 ------------------------------------------------------------
BAD = os.fsdecode(b"\xff.yaml")  # how Python reads the name: a lone surrogate for the byte


def test_a_name_that_is_not_utf8_is_shown_by_its_bytes():
    assert visible(BAD) == "\\xff.yaml"
    assert json.loads(json_visible(json.dumps(BAD, ensure_ascii=False))) == BAD


def test_a_scenario_file_named_in_no_utf8_is_left_out_and_named(tmp_path, monkeypatch, cli):
    (tmp_path / BAD).write_text("name: x\n")
    shutil.copy(available_scenarios()["june_2020_replay"], tmp_path / "mine.yaml")
    monkeypatch.setenv(ENV_SCENARIO_PATH, str(tmp_path))
    found = available_scenarios()
    assert "mine" in found and os.fsdecode(b"\xff") not in found
    code, out, err = cli("list")
    assert code == 0 and out.startswith("mine ") and "\\xff" not in out
    assert f"{tmp_path}/\\xff.yaml is left out: its name is not UTF-8 text" in err
    code, out, _ = cli("list", "--json")
    assert code == 0 and json.loads(out)[0]["name"] == "mine"
    assert cli("completion", "bash")[0] == 0


def test_a_file_beside_the_parts_not_named_as_one_is_left_alone(sweep_dir, cli):
    """A file in summary/ whose name is not a part's (``part-FIRST-LAST.parquet``, numbers
    only), even a copy of a part (here named in no UTF-8), is neither read nor removed:
    the sweep loads as it was, and --force refuses to replace the folder, naming it."""
    part = next((sweep_dir / "summary").glob("part-*.parquet"))
    runs = len(load_sweep(sweep_dir))
    odd = sweep_dir / "summary" / os.fsdecode(b"part-\xff.parquet")
    shutil.copy(part, odd)
    assert len(load_sweep(sweep_dir)) == runs
    assert cli("rerun", sweep_dir, "--run-id", "0")[0] == 0
    code, _, err = cli("sweep", "--resume", "--out", sweep_dir, "-q")
    assert code == 0 and odd.exists()
    code, _, err = cli("sweep", "june_2020_replay", "--param", "foreign_forces.backing=0,1",
                       "--posterior", "none", "--out", sweep_dir, "--force", "-q")
    assert code == 2 and "did not write" in err and "part-\\xff.parquet" in err
    assert odd.exists()


def test_resuming_the_wrong_kind_of_folder_names_it_in_english(tmp_path):
    from leverage_sim.files.output_dir import RECORD, OutputError, claim_output

    sweep = tmp_path / "s"
    sweep.mkdir()
    (sweep / RECORD).write_text(json.dumps({"written_by": "leverage-sim", "kind": "sweep",
                                            "files": []}), encoding="utf-8")
    with (pytest.raises(OutputError, match="is not an explore folder .* --resume continues an "
                                           "explore in the folder it wrote"),
          claim_output(sweep, "explore", resume=True)):
        pass


# ---- second round: YAML Python cannot read -------------------------------------------------------
def test_a_number_of_thousands_of_digits_is_an_error_not_a_crash(tmp_path, cli):
    huge = "1" + "0" * 5000
    with pytest.raises(InputError, match="a whole number of 5,001 digits .* at line 1, column 4"):
        load_text(f"a: {huge}\n", "f.yaml")
    path = tmp_path / "s.yaml"
    path.write_text(f"extends: june_2020_replay\nseed: {huge}\n", encoding="utf-8")
    for argv in (["validate", path], ["show", "june_2020_replay", "--set", f"seed={huge}"],
                 ["show", "june_2020_replay", "--set", f"militias[{'9' * 5000}].autonomy=1"],
                 ["compare", "june_2020_replay", "--variant", f"government.resolve={huge}"]):
        code, _, err = cli(*argv)
        assert code == 2 and "internal error" not in err, argv
    with pytest.raises(InputError, match="5,001 digits"):
        parse_params([f"government.resolve=0,{huge}"])


def test_a_control_character_in_yaml_is_named_by_line_and_column_in_one_line():
    for text, where in (("a: 1\nb: \x00\n", "U+0000 at line 2, column 4"),
                        ("ééé: 1\nbb: x\x1by\n", "U+001B at line 2, column 6")):
        with pytest.raises(InputError) as e:
            load_text(text, "f.yaml")
        assert where in str(e.value) and "\n" not in str(e.value), str(e.value)


def test_a_file_that_is_not_utf8_says_which_byte_and_how_to_fix_it(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(InputError, match=r"byte 10, 0xe9, .*save it as UTF-8"):
        read_text(path)


# ---- names that override paths cannot write, or that look alike ----------------------------------
def _with_militia(tmp_path, name: str):
    path = tmp_path / "m.yaml"
    path.write_text("extends: june_2020_replay\nmilitias:\n  - {name: '" + name + "', "
                    "fighters: 100, local_fighters: 10, patron_support_share: 0.0}\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["a]b", "a[0]"])
def test_a_name_with_a_bracket_is_refused(name, tmp_path):
    with pytest.raises(InputError, match=r"must not contain '\[' or '\]'"):
        load_scenario(_with_militia(tmp_path, name))


@pytest.mark.parametrize("name", ["a=b", "a,b"])
def test_names_with_equals_or_commas_are_reached_by_set_and_variants(name, tmp_path):
    path = _with_militia(tmp_path, name)
    sc = load_scenario(path, [f"militias[{name}].autonomy=0.25"])
    assert next(m for m in sc.militias if m.name == name).autonomy == 0.25
    assert parse_variant(f"militias[{name}].autonomy=0.25,government.resolve=0.3") == {
        f"militias[{name}].autonomy": 0.25, "government.resolve": 0.3}
    assert parse_params([f"militias[{name}].autonomy=0,1"]) == {
        f"militias[{name}].autonomy": {"values": [0, 1]}}


def test_names_differing_by_an_invisible_character_are_the_same_name(tmp_path):
    with pytest.raises(InputError) as e:
        load_scenario(_with_militia(tmp_path, "K\u200bH"))
    assert "invisible characters; the same: 'KH' = 'K\\u200bH'" in str(e.value)


def test_two_events_of_one_name_are_refused(tmp_path):
    two = ("events=[{name: a, day: 3, actor: government, action: raid, target: KH}, "
           "{name: a, day: 4, actor: government, action: raid, target: KH}]")
    with pytest.raises(InputError, match="'a' names more than one event"):
        load_scenario("june_2020_replay", [two])
    episode = yaml.safe_load((EPISODES / "june_2020_raid.yaml").read_text(encoding="utf-8"))
    episode["events"] = [{"name": "ct_raid", "date": "2020-06-26", "actor": "government",
                          "action": "raid", "target": "KH"}]
    path = tmp_path / "june_2020_raid.yaml"
    path.write_text(yaml.safe_dump(episode), encoding="utf-8")
    with pytest.raises(InputError, match="'ct_raid' names more than one event"):
        load_episode(path)


# ---- overrides and counts from Python -------------------------------------------------------------
@pytest.mark.parametrize("overrides", [{1: 0.5}, {None: 0.5}, 5, [5]])
def test_overrides_that_are_not_text_are_named(overrides):
    with pytest.raises(InputError, match="Override"):
        load_scenario("june_2020_replay", overrides)


def test_numpy_whole_numbers_are_whole_numbers():
    assert check_count(np.int64(3), "replications") == 3
    assert check_seed(np.uint64(5)) == 5 and type(check_seed(np.int32(5))) is int
    for bad in (True, np.float64(2.0), 2.0, "2"):
        with pytest.raises(InputError):
            check_count(bad, "replications")


def test_one_scenario_folder_given_as_text_is_one_folder(tmp_path):
    shutil.copy(available_scenarios()["june_2020_replay"], tmp_path / "mine.yaml")
    assert load_scenario("mine", scenario_dirs=str(tmp_path)).name == "june_2020_replay"
    assert "mine" in available_scenarios(tmp_path)


def test_an_override_that_misses_says_which_scenario():
    with pytest.raises(InputError, match=r"generic_proxy_state.yaml: Override 'militias\[KH\]"):
        load_scenario("generic_proxy_state", {"militias[KH].autonomy": 0.5})


def test_only_the_problems_shown_are_described(tmp_path, monkeypatch):
    from leverage_sim.scenario import loader

    path = tmp_path / "s.yaml"
    path.write_text("extends: june_2020_replay\ngovernment:\n"
                    + "".join(f"  k{i}: 1\n" for i in range(50)), encoding="utf-8")
    calls = []
    describe = loader._describe
    monkeypatch.setattr(loader, "_describe", lambda *a: calls.append(1) or describe(*a))
    with pytest.raises(InputError, match="50 problems .* and 40 more"):
        load_scenario(path)
    assert len(calls) == loader.MAX_PROBLEMS_SHOWN


def test_results_are_saved_in_a_format_leverage_sim_writes_or_not_at_all(tmp_path):
    res = ls.run("june_2020_replay", replications=1, posterior=None)
    with pytest.raises(InputError, match="Table format 'xls'"):
        res.save(tmp_path / "out", fmt="xls")
    assert not (tmp_path / "out").exists()


# ---- sweeps --------------------------------------------------------------------------------------
def test_the_seed_is_not_swept():
    with pytest.raises(InputError, match="'seed' cannot be swept"):
        SweepSpec.from_cli("june_2020_replay", ["seed=1,2"])


def test_a_sweep_over_a_whole_section_or_list_is_refused_before_running():
    for path, values in (("events", [[], []]), ("government", [{"resolve": 0.5}])):
        with pytest.raises(InputError, match=rf"parameters\['{path}'\]: each value must be one"):
            SweepSpec.parse({"base": "june_2020_replay",
                             "parameters": {path: {"values": values}}}, "f.yaml")


def test_a_normal_truncated_to_nothing_is_refused():
    with pytest.raises(InputError, match=r"the truncation low \(1.0\) must be below high"):
        SweepSpec.parse({"base": "june_2020_replay", "design": "random", "samples": 2,
                         "parameters": {"government.resolve": {
                             "distribution": "normal", "mean": 0.5, "sd": 0.1,
                             "low": 1, "high": 0}}}, "f.yaml")


def test_a_cost_limit_given_twice_is_refused():
    from leverage_sim.analysis.robust import parse_limits

    with pytest.raises(InputError, match="--max attacks is given twice"):
        parse_limits(["attacks=3", "attacks=4"])


# ---- a file of another kind named as a scenario ---------------------------------------------------
@pytest.mark.parametrize(("text", "said"), [
    ("base: june_2020_replay\nparameters: {government.resolve: {values: [0.5]}}\n",
     "a sweep file (it has `parameters:` and `base:`): run it with `leverage-sim sweep"),
    ("name: x\nrole: fit\nscenario: june_2020_replay\nfacts: []\n", "an episode file"),
    ("base_scenario: june_2020_replay\nepisodes: [june_2020_raid]\n", "a calibration file"),
])
def test_a_file_of_another_kind_named_as_a_scenario_says_what_it_is(text, said, tmp_path, cli):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, err = cli("run", path, "-n", "1")
    assert code == 2 and said in err and "Field required" not in err, err


# ---- episodes and calibrations --------------------------------------------------------------------
@pytest.mark.parametrize("where", ["name", "fact"])
def test_episode_and_fact_names_follow_the_pattern_whole(where, tmp_path):
    episode = yaml.safe_load((EPISODES / "june_2020_raid.yaml").read_text(encoding="utf-8"))
    if where == "name":
        episode["name"] = "June_2020_raid"
        path = tmp_path / "June_2020_raid.yaml"
    else:
        episode["facts"][0]["name"] = "kh.muster"
        path = tmp_path / "june_2020_raid.yaml"
    path.write_text(yaml.safe_dump(episode), encoding="utf-8")
    with pytest.raises(InputError, match="should match pattern"):
        load_episode(path)


def test_an_episode_path_is_a_yaml_file_or_refused_unread(tmp_path):
    with pytest.raises(InputError, match="is neither an episode name nor a path to a .yaml"):
        find_episode("/etc/passwd")
    (tmp_path / "e.yaml").mkdir()
    with pytest.raises(InputError, match="is a folder, not a file. Check the path, or give an"):
        find_episode(tmp_path / "e.yaml")


@pytest.mark.parametrize(("change", "said"), [
    ({"facts": []}, "'facts' is empty"),
    ({"episodes": ["nope"]}, "'episodes': No episode named 'nope'"),
    ({"base_scenario": "nope"}, "'base_scenario: nope': No scenario named 'nope'"),
    ({"parameters": [{"path": "government..x", "prior": {"low": 0, "high": 1}, "why": "t"}]},
     "parameter 'government..x': Override path"),
    ({"parameters": [{"path": "horizon_days", "prior": {"low": 60, "high": 80}, "why": "t"}]},
     "is a setting of the whole run"),
])
def test_a_calibration_file_error_names_the_file_and_field(change, said, tmp_path):
    config = tiny_config(tmp_path, **change)
    with pytest.raises(InputError) as e:
        load_calibration(config)
    assert str(e.value).startswith(str(config)) and said in str(e.value), str(e.value)


def test_a_calibration_of_one_parameter_gets_its_information():
    from leverage_sim.calibration.forest import ForestPosterior, ForestSettings
    from leverage_sim.calibration.reference import ReferenceTable
    from leverage_sim.calibration.smc import Prior

    rng = np.random.default_rng(1)
    u = pd.DataFrame({"government.resolve": rng.random(120)})
    facts = pd.DataFrame({"a": 10 * u["government.resolve"] + rng.random(120),
                          "b": rng.random(120)})
    table = ReferenceTable((Prior("government.resolve", "uniform", 0.0, 1.0),), u, u, facts, 1)
    info = ForestPosterior(table, ForestSettings(trees=20)).information()
    assert list(info.index) == ["government.resolve"] and info.iloc[0] > 0.5


def test_validate_model_refuses_more_runs_than_memory_holds_before_any_run():
    from leverage_sim.calibration import validation
    from leverage_sim.scenario.limits import check_validation_size

    with pytest.raises(InputError, match=r"--replications 1,000,000,000 would make "
                                         "12,000,000,000 runs .* at most [0-9,]+ replications"):
        check_validation_size(10**9, 4, 3, limit=2**30)
    with pytest.raises(InputError, match="would make"):
        validation.validate([object()], posterior=None, replications=10**13, seed=1)


# ---- notebook helpers --------------------------------------------------------------------------
def test_summarise_takes_one_outcome_as_text_and_names_a_missing_group_column():
    df = pd.DataFrame({"x": [0, 0, 1, 1], "attacks": [1, 2, 3, 4], "error": [None] * 4})
    table = summarise(df, outcomes="attacks", by="x")
    assert list(table["attacks_mean"]) == [1.5, 3.5]
    with pytest.raises(InputError, match="by: no column 'nope'"):
        summarise(df, outcomes=["attacks"], by=["nope"])


def test_charts_of_days_say_when_results_have_no_days():
    import matplotlib.pyplot as plt

    from leverage_sim.outputs import plots

    fast = ls.run("june_2020_replay", replications=2, posterior=None, engine="fast")
    with pytest.raises(InputError, match="no daily time series .* engine='agent'"):
        plots.run_overview(fast)
    fig, ax = plt.subplots()
    try:
        runs = pd.DataFrame({"x": [0, 1], "attacks": [1, 2], "error": [None, None]})
        with pytest.raises(InputError, match="two different parameters"):
            plots.heatmap(ax, runs, "x", "x", "attacks")
    finally:
        plt.close(fig)


def test_yaml_a_constructor_refuses_says_what_to_write():
    with pytest.raises(InputError, match="A key is a plain name"):
        load_text("? [a, b]\n: 1\n", "f.yaml")
    with pytest.raises(InputError, match=r"A merge key takes an alias of a mapping \(<<: \*base"):
        load_text("g:\n  <<: 5\n", "f.yaml")


def test_an_event_aimed_at_a_site_of_a_scenario_without_sites_says_so():
    with pytest.raises(InputError, match="the scenario has no sites: add one, or remove the"):
        load_scenario("june_2020_replay", {"foreign_forces.sites": []})
