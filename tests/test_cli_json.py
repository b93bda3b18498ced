"""``--json`` on the verbs that print summaries (one JSON document on stdout, the same figures
as the text), ``completion SHELL`` and ``--version``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import leverage_sim as ls
from leverage_sim.cli.main import main
from leverage_sim.outputs import report
from leverage_sim.scenario.param_reference import reference_rows

REPLAY = "june_2020_replay"


def run_json(capsys, *args: str, code: int = 0):
    """The verb's exit code checked, its stdout parsed as one JSON document."""
    assert main([*args, "--json"]) == code
    return json.loads(capsys.readouterr().out)


def test_run_json_has_the_summary_and_files(tmp_path, capsys):
    doc = run_json(capsys, "run", REPLAY, "-n", "4", "--seed", "3", "--out", str(tmp_path / "r"))
    res = ls.run(REPLAY, replications=4, seed=3)
    assert (doc["scenario"], doc["replications"], doc["seed"]) == (REPLAY, 4, 3)
    assert doc["seeds"] == res.seeds
    shares = report.outcome_shares(res.summary)
    assert {k: v["share"] for k, v in doc["outcome_shares"].items()} == shares.to_dict()
    assert doc["figures"]["attacks"]["median"] == res.summary["attacks"].median()
    assert doc["out"] == str(tmp_path / "r") and "summary.parquet" in doc["files"]


def test_compare_json_is_the_comparison_table(capsys):
    doc = run_json(capsys, "compare", REPLAY, "kh_decapitated", "-n", "3", "--seed", "5")
    assert doc["scenarios"] == [REPLAY, "kh_decapitated"] and doc["seed"] == 5
    rows = {(r["scenario"], r["measure"]): r for r in doc["table"]}
    attacks = ls.run("kh_decapitated", replications=3,
                     seed=5).summary["attacks"].median()  # the same default as compare
    assert rows[("kh_decapitated", "attacks")]["value"] == attacks


def test_sweep_json(tmp_path, capsys):
    doc = run_json(capsys, "sweep", REPLAY, "--param", "foreign_forces.backing=0,1", "-n", "2",
                   "--executor", "serial", "-q", "--out", str(tmp_path / "s"))
    assert (doc["n_points"], doc["runs"], doc["by"]) == (2, 4, ["foreign_forces.backing"])
    assert [r["foreign_forces.backing"] for r in doc["table"]] == [0.0, 1.0]
    assert all(r["n"] == 2 for r in doc["table"])


def test_show_list_params_json(capsys):
    shown = run_json(capsys, "show", REPLAY, "--set", "foreign_forces.backing=0.7")
    assert ls.Scenario.model_validate(shown) == ls.load_scenario(
        REPLAY, {"foreign_forces.backing": 0.7})
    listed = run_json(capsys, "list")
    assert {s["name"] for s in listed} == set(ls.available_scenarios())
    assert all(s["question"] and s["path"].endswith(".yaml") for s in listed)
    params = run_json(capsys, "params", "backing")
    assert [p["path"] for p in params] == [r.path for r in reference_rows() if "backing" in r.path]


def test_validate_json_reports_each_file_and_exits_2_on_failure(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: {REPLAY}\nforeign_forces: {{backing: 2}}\n", encoding="utf-8")
    doc = run_json(capsys, "validate", REPLAY, str(bad), code=2)
    good, failed = doc["files"]
    assert doc["failed"] == 1 and good["ok"] and good["scenario"] == REPLAY
    assert not failed["ok"] and "foreign_forces.backing" in failed["error"]
    assert good["kind"] == failed["kind"] == "scenario"


def test_validate_json_covers_episode_files(tmp_path, capsys):
    episode = Path(__file__).resolve().parents[1] / "episodes" / "najaf_2004.yaml"
    bad = tmp_path / "najaf_2004.yaml"
    bad.write_text(episode.read_text(encoding="utf-8").replace(
        "\nscenario: najaf_2004\n", "\nscenario: najaf_2005\n"), encoding="utf-8")
    doc = run_json(capsys, "validate", str(episode), str(bad), code=2)
    good, failed = doc["files"]
    assert good == {"file": str(episode), "kind": "episode", "ok": True, "episode": "najaf_2004",
                    "role": "fit", "facts": 7, "scenario": "najaf_2004",
                    "horizon_days": 58, "start_date": "2004-08-04"}
    assert failed["kind"] == "episode" and not failed["ok"] and doc["failed"] == 1
    assert failed["error"].startswith(f"{bad}, field 'scenario': No scenario named 'najaf_2005'")


def test_version_is_kept(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0 and capsys.readouterr().out.startswith("leverage-sim ")


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_bash_completion_completes_verbs_options_and_scenarios(capsys, tmp_path):
    assert main(["completion", "bash"]) == 0
    script = tmp_path / "leverage-sim.bash"
    script.write_text(capsys.readouterr().out, encoding="utf-8")

    def complete(*words: str) -> list[str]:
        probe = (f"source {script}; COMP_WORDS=(leverage-sim {' '.join(words)}); "
                 f"COMP_CWORD={len(words)}; _shtab_leverage_sim; "
                 'printf "%s\\n" "${COMPREPLY[@]}"')
        done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True,
                              check=True, cwd=tmp_path)
        return done.stdout.split()

    assert {"run", "compare", "sweep", "completion"} <= set(complete("r")) | set(complete(""))
    assert complete("run", "--js") == ["--json"]
    assert "kh_decapitated" in complete("compare", REPLAY, "kh")


@pytest.mark.parametrize("shell", ["zsh", "fish", "tcsh", "powershell"])
def test_completion_scripts_for_other_shells(shell, capsys):
    assert main(["completion", shell]) == 0
    assert "sweep" in capsys.readouterr().out
