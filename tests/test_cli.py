"""The command line through its real entry point: every verb, --help, and bad input.

Most calls go through ``leverage_sim.cli.main.main(argv)`` in-process (what the console
script calls; fast); ``test_console_script`` runs the installed ``leverage-sim`` executable.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import leverage_sim as ls
from leverage_sim.cli.main import VERBS
from leverage_sim.scenario.param_reference import reference_rows

LIBRARY = Path(__file__).resolve().parents[1] / "scenarios"
LIBRARY_NAMES = sorted(f.stem for f in LIBRARY.glob("*.yaml"))




def test_console_script(tmp_path):
    exe = shutil.which("leverage-sim", path=str(Path(sys.executable).parent)) or "leverage-sim"
    ok = subprocess.run([exe, "list"], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert ok.returncode == 0 and "june_2020_replay" in ok.stdout
    bad = subprocess.run([exe, "show", "no_such_scenario"], capture_output=True, text=True,
                         cwd=tmp_path, check=False)
    assert bad.returncode == 2
    assert bad.stderr.startswith("leverage-sim: error: No scenario named 'no_such_scenario'")
    assert "Traceback" not in bad.stderr


@pytest.mark.parametrize("verb", ["", *VERBS])
def test_help_everywhere(cli, verb):
    code, out, _ = cli(*([verb] if verb else []), "--help")
    assert code == 0 and out.startswith("usage: leverage-sim")
    if not verb:
        for v in ("list", "show", "validate", "params", "run", "compare"):
            assert v in out


# ---- list -------------------------------------------------------------------------------------
def test_list_gives_every_library_scenario_with_its_question(cli):
    code, out, _ = cli("list")
    assert code == 0
    lines = {ln.split()[0]: ln for ln in out.splitlines()}
    for name in LIBRARY_NAMES:
        question = yaml.safe_load((LIBRARY / f"{name}.yaml").read_text())["question"]
        assert question in lines[name]


def test_list_finds_user_folders(cli, tmp_path, monkeypatch):
    mine, env = tmp_path / "mine", tmp_path / "env"
    for d, name in ((mine, "my_case"), (env, "env_case")):
        d.mkdir()
        (d / f"{name}.yaml").write_text(f"extends: june_2020_replay\nquestion: what if {name}?\n")
    monkeypatch.setenv("LEVERAGE_SIM_SCENARIO_PATH", str(env))
    code, out, _ = cli("list", "--scenario-dir", mine, "--paths")
    assert code == 0
    assert "what if my_case?" in out and "what if env_case?" in out
    assert str(mine / "my_case.yaml") in out
    code, out, _ = cli("run", "env_case", "-n", "1", "-q", "--set", "horizon_days=55")
    assert code == 0 and "Scenario env_case" in out


# ---- show and validate ------------------------------------------------------------------------
@pytest.mark.parametrize("name", LIBRARY_NAMES)
def test_show_round_trips_through_validate(cli, tmp_path, name):
    code, out, _ = cli("show", name)
    assert code == 0
    shown = tmp_path / "shown.yaml"
    shown.write_text(out)
    code, out, err = cli("validate", shown)
    assert code == 0 and out.startswith(f"OK   {shown}") and not err
    assert ls.load_scenario(shown) == ls.load_scenario(name)


def test_show_applies_overrides_and_hides_nothing(cli):
    code, out, _ = cli("show", "june_2020_replay", "--set", "militias[KH].autonomy=0.55")
    data = yaml.safe_load(out)
    assert code == 0 and data["militias"][0]["autonomy"] == 0.55
    # every schema field is there, defaults included (e.g. not set in the replay file)
    assert data["foreign_forces"]["drawdown_cooldown_days"] == 60
    assert set(data) == set(ls.Scenario.model_fields)


def test_validate_reports_each_bad_file_and_exits_2(cli, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("extends: june_2020_replay\nforeign_forces: {backing: 0.5}\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: june_2020_replay\nforeign_forces: {backing: 1.5}\n"
                   "militias:\n  - {name: KH, autonomy: -1}\n")
    code, out, err = cli("validate", good, bad, tmp_path / "missing.yaml")
    assert code == 2
    assert f"OK   {good}" in out
    assert f"FAIL {bad}" in err and "2 problems" in err
    assert "'foreign_forces.backing'" in err and "allowed range 0 to 1" in err
    assert "'militias[KH].autonomy'" in err and "got -1" in err
    assert "missing.yaml' does not exist" in err
    assert "2 of 3 file(s) failed" in err and "Traceback" not in err


EPISODES = Path(__file__).resolve().parents[1] / "episodes"


def copied_episode(folder: Path, **changes: object) -> Path:
    """episodes/najaf_2004.yaml with top-level ``changes``, in ``folder`` (named anything: an
    episode is recognised by its keys, not its folder)."""
    raw = yaml.safe_load((EPISODES / "najaf_2004.yaml").read_text(encoding="utf-8"))
    path = folder / "najaf_2004.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump({**raw, **changes}, sort_keys=False), encoding="utf-8")
    return path


def test_validate_checks_an_episode_file_as_an_episode(cli, tmp_path):
    """An episode file is checked as calibrate and validate-model load it (it was read as a
    scenario: "'militias': Field required; unknown field 'role' ... 'facts'")."""
    code, out, err = cli("validate", EPISODES / "najaf_2004.yaml",
                         copied_episode(tmp_path / "mine"))
    assert code == 0 and not err
    assert out.count("(episode najaf_2004, fit: 7 facts on scenario najaf_2004, 58 days "
                     "from 2004-08-04)") == 2


def test_validate_reports_what_is_wrong_in_an_episode(cli, tmp_path):
    raw = yaml.safe_load((EPISODES / "najaf_2004.yaml").read_text(encoding="utf-8"))
    raw["facts"][0]["arguments"] = {**raw["facts"][0]["arguments"], "target": "JAN"}
    bad_fact = copied_episode(tmp_path / "a", facts=raw["facts"])
    no_scenario = copied_episode(tmp_path / "b", scenario="najaf_2005")
    bad_field = copied_episode(tmp_path / "c", role="heldout")
    code, _, err = cli("validate", bad_fact, no_scenario, bad_field)
    assert code == 2 and "Traceback" not in err and "militias" not in err
    assert "facts[us_stepped_in_day].arguments.target 'JAN' is not one of JAM" in err
    assert f"{no_scenario}, field 'scenario': No scenario named 'najaf_2005'" in err
    assert "'role': Input should be 'fit' or 'held_out'" in err
    assert "3 of 3 file(s) failed" in err


def test_validate_reads_a_scenario_with_a_stray_episode_key_as_a_scenario(cli, tmp_path):
    """``militias:`` or ``extends:`` makes a file a scenario, whatever else it holds."""
    path = tmp_path / "s.yaml"
    path.write_text("extends: june_2020_replay\nfacts: []\n")
    code, _, err = cli("validate", path)
    assert code == 2 and "unknown field 'facts'" in err


def test_validate_counts_one_militia_in_the_singular(cli):
    code, out, _ = cli("validate", "najaf_2004_no_sistani", "june_2020_replay")
    assert code == 0
    assert "(scenario najaf_2004_no_sistani: 1 militia, 1 scripted event," in out
    assert "(scenario june_2020_replay: 4 militias," in out


# ---- params -------------------------------------------------------------------------------------
def test_params_lists_every_schema_parameter(cli):
    code, out, _ = cli("params")
    rows = list(reference_rows())
    assert code == 0 and len(rows) > 60
    for r in rows:
        assert f"{r.path}  {r.range}".rstrip() in out
    assert ("foreign_forces.backing  [0, 1]  (probability 0-1, default 0.1)" in out)
    assert "militias[NAME].autonomy" in out and "foreign_forces.sites[NAME].interception" in out


def test_params_filter_and_markdown(cli):
    code, out, _ = cli("params", "intercept", "--markdown")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("| parameter | unit | default | range | meaning | source |")
    assert len(lines) == 4 and "`foreign_forces.sites[NAME].interception`" in lines[2]
    assert "`events[i].figures.interception`" in lines[3]  # deploy_defence's figure
    code, _, err = cli("params", "no_such_thing")
    assert code == 2 and "No parameter path contains 'no_such_thing'" in err


def test_params_says_an_operation_meets_all_of_a_militias_fighters(cli):
    """An analyst's held-out case (December 2026) set a militia's `fighters` to the whole
    movement's strength, read as "Total fighters", where its operation was one city's fight: the
    operation met all of them and the government relented in 93% of runs instead of 44%."""
    code, out, _ = cli("params", "militias[SaS].fighters")
    text = " ".join(out.split())
    assert code == 0 and "operation" in text and "meets all of them" in text
    assert "local_fighters" in text


# ---- bad input, every verb --------------------------------------------------------------------
MALFORMED = "militias:\n  - name: KH\n   autonomy: [0.5\n"
UNKNOWN = "extends: june_2020_replay\nforeign_forces:\n  backng: 0.5\n"
OUT_OF_RANGE = "extends: june_2020_replay\ngovernment: {resolve: 1.7}\n"


@pytest.mark.parametrize("argv, expected", [
    (["run", "{malformed}"], ["malformed YAML at line 3", "malformed.yaml"]),
    (["show", "{unknown}"], ["unknown field 'foreign_forces.backng'", "did you mean 'backing'"]),
    (["run", "{out_of_range}"], ["'government.resolve'", "allowed range 0 to 1", "got 1.7"]),
    (["compare", "june_2020_replay", "{out_of_range}"], ["'government.resolve'"]),
    (["run", "june_2020_replya"], ["No scenario named 'june_2020_replya'",
                                   "Did you mean june_2020_replay"]),
    (["compare", "june_2020_replay", "nope"], ["No scenario named 'nope'"]),
    (["show", "june_2020_replay", "--set", "foreign_forces.backing"], ["has no '='"]),
    (["run", "june_2020_replay", "--set", "militias[XX].autonomy=0.5"],
     ["no entry named 'XX'", "names: KH, AAH"]),
    (["run", "june_2020_replay", "--set", "foreign_forces.backing=2"], ["allowed range 0 to 1"]),
    (["run", "june_2020_replay", "--set", "foreign_forces..backing=1"], ["is not valid"]),
    (["compare", "june_2020_replay"], ["at least two columns"]),
    (["run", "june_2020_replay", "-n", "0"], ["at least 1"]),
    (["run", "june_2020_replay", "--format", "xlsx"], ["invalid choice: 'xlsx'"]),
    (["frobnicate"], ["invalid choice: 'frobnicate'"]),
])
def test_bad_input_exit_2_one_paragraph(cli, tmp_path, argv, expected):
    files = {"malformed": MALFORMED, "unknown": UNKNOWN, "out_of_range": OUT_OF_RANGE}
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text)
    argv = [a.format(**{n: tmp_path / f"{n}.yaml" for n in files}) for a in argv]
    code, out, err = cli(*argv)
    assert code == 2
    for text in expected:
        assert text in err
    assert "Traceback" not in err and not out
    message = err.strip().splitlines()[-1]  # argparse prints its usage line first
    assert message.startswith("leverage-sim") and all(t in message for t in expected)


def test_internal_error_exit_1(cli, monkeypatch):
    monkeypatch.delenv("LEVERAGE_SIM_DEBUG", raising=False)
    monkeypatch.setattr("leverage_sim.cli.show_cmd.scenario_yaml",
                        lambda sc: 1 / 0)
    code, _, err = cli("show", "june_2020_replay")
    assert code == 1 and "internal error: ZeroDivisionError" in err and "Traceback" not in err


def test_library_is_found_from_any_folder(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LEVERAGE_SIM_SCENARIO_PATH", raising=False)
    code, out, _ = cli("list")
    assert code == 0 and set(LIBRARY_NAMES) <= {ln.split()[0] for ln in out.splitlines()}
