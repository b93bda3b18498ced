"""Careless or hostile input found by the twentieth audit (about 200 bad inputs across the
verbs, 7 December 2026):

- ``NUMBA_NUM_THREADS=0`` (or any value numba refuses when it is imported): ``sweep``,
  ``calibrate`` and ``validate-model`` (even with ``--engine agent``: its scores are compiled
  by numba too) ended in "internal error: ValueError: Number of threads specified must be >
  0.." and the advice to report a bug. Refused now, up front, naming the variable;
- an episode name not found (``calibrate`` of a file listing it, ``validate-model NAME``)
  listed the calibration and scenario files beside the episodes as "Known episodes", and did
  not say where it had looked; the message now lists episodes only and the folders searched;
- ``--executor serial --scheduler ADDRESS``: the runs went to the Dask scheduler (or the
  command waited 20 s for it), the serial executor asked for silently replaced. Refused now;
- a posterior whose weights are near 1e308 printed numpy's "overflow encountered in reduce"
  warning, with a source line, before its one-paragraph refusal.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

from leverage_sim.analysis.sweeps import ensure_sweep
from leverage_sim.calibration.episodes import find_episode, load_episode
from leverage_sim.errors import InputError
from leverage_sim.simulation import posterior as post
from leverage_sim.sweep import run_sweep

CLI = (sys.executable, "-c", "from leverage_sim.cli.main import main; main()")
TINY = ("--posterior", "none", "-n", "1", "--set", "horizon_days=5", "--set", "events=[]")
REPO = Path(__file__).resolve().parents[1]


def _cli_process(tmp_path: Path, env: dict[str, str], *argv: object
                 ) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *map(str, argv)], check=False, capture_output=True,
                          text=True, cwd=tmp_path, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(REPO / "src"), **env})


# ---- numba refusing its environment ------------------------------------------------------------
@pytest.mark.parametrize("verb", ["sweep", "validate-model"])
def test_numba_refusing_its_thread_count_is_named_not_an_internal_error(tmp_path, verb):
    argv = (("sweep", "june_2020_replay", "--param", "government.resolve=0.2,0.8", *TINY,
             "--out", tmp_path / "s") if verb == "sweep" else
            ("validate-model", "muslih_2021", "-n", "2", "--engine", "agent", "-q",
             "--out", tmp_path / "s"))
    done = _cli_process(tmp_path, {"NUMBA_NUM_THREADS": "0"}, *argv)
    assert done.returncode == 2, done.stderr
    assert "NUMBA_NUM_THREADS='0'" in done.stderr and "internal error" not in done.stderr
    assert ("--engine agent" in done.stderr) == (verb == "sweep")  # no fix for validate-model
    assert not (tmp_path / "s").exists()


# ---- an episode not found ----------------------------------------------------------------------
def test_an_episode_not_found_lists_episodes_only_and_where_it_looked(tmp_path, monkeypatch):
    (tmp_path / "episodes").mkdir()
    shutil.copy(REPO / "calibration" / "default.yaml", tmp_path / "episodes" / "my_fit.yaml")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as e:
        find_episode("no_such_episode")
    message = str(e.value)
    assert "najaf_2004" in message and "my_fit" not in message
    assert f"searched {tmp_path / 'episodes'}" in message
    with pytest.raises(InputError, match="not an episode file but a calibration file"):
        load_episode("my_fit")  # named, it is still called what it is


# ---- --executor serial beside --scheduler ------------------------------------------------------
@pytest.mark.parametrize("verb", ["sweep", "calibrate"])
def test_a_scheduler_beside_the_serial_executor_is_refused(tmp_path, cli, verb):
    argv = (("june_2020_replay", "--param", "government.resolve=0.2,0.8", *TINY)
            if verb == "sweep" else (REPO / "calibration" / "default.yaml", "--quick"))
    code, _, err = cli(verb, *argv, "--executor", "serial", "--scheduler",
                       "tcp://127.0.0.1:1", "--out", tmp_path / "s")
    assert code == 2
    assert "--executor serial" in err and "Cannot reach" not in err
    assert not (tmp_path / "s").exists()


# ---- a posterior's weights overflowing ---------------------------------------------------------
def test_weights_summing_past_the_largest_float_are_refused_without_a_numpy_warning(tmp_path):
    folder = tmp_path / "posterior"
    shutil.copytree(post.DEFAULT_DIR, folder)
    table = pd.read_parquet(folder / "posterior.parquet")
    table["weight"] = 1e308
    table.to_parquet(folder / "posterior.parquet")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(InputError, match="the weights sum to inf, not 1"):
            post.load_posterior(folder)


# ---- a sweep file given to --resume ------------------------------------------------------------
def _sweep_folder(root: Path) -> Path:
    """``root/sweeps/my.yaml``, a sweep of ``my_scn.yaml`` beside it drawing from a posterior
    ``../post`` (relative paths, read beside the file), and ``root/post``."""
    (root / "sweeps").mkdir()
    shutil.copytree(post.DEFAULT_DIR, root / "post")
    (root / "sweeps" / "my_scn.yaml").write_text(
        "name: my_scn\nextends: june_2020_replay\nhorizon_days: 5\nevents: []\n",
        encoding="utf-8")
    (root / "sweeps" / "my.yaml").write_text(
        "base: my_scn.yaml\ndesign: grid\nparameters:\n  government.resolve: {values: [0.2, "
        "0.8]}\nreplications: 1\nposterior: ../post\n", encoding="utf-8")
    return root / "sweeps"


def test_the_same_sweep_file_resumed_from_another_folder_is_the_same_sweep(tmp_path, cli,
                                                                           monkeypatch):
    sweeps = _sweep_folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("sweep", "sweeps/my.yaml", "--executor", "serial", "-q", "--out", "out")
    assert code == 0, err
    monkeypatch.chdir(sweeps)
    code, _, err = cli("sweep", "my.yaml", "--resume", "--executor", "serial", "-q", "--out",
                       "../out")
    assert code == 0, err  # was "holds a different sweep (it differs in base, posterior)"
    (sweeps / "my.yaml").write_text((sweeps / "my.yaml").read_text().replace(
        "replications: 1", "replications: 2"), encoding="utf-8")
    code, _, err = cli("sweep", "my.yaml", "--resume", "-q", "--out", "../out")
    assert code == 2 and "differs in replications" in err  # a different sweep still is


def test_resuming_with_the_sweep_given_refuses_its_base_scenario_edited_since(tmp_path):
    sweeps = _sweep_folder(tmp_path)
    out = run_sweep(sweeps / "my.yaml", tmp_path / "out", executor="serial")
    scenario = sweeps / "my_scn.yaml"
    scenario.write_text(scenario.read_text() + "government: {authority: 0.9}\n",
                        encoding="utf-8")
    with pytest.raises(InputError, match="my_scn.yaml.* has changed since") as e:
        run_sweep(sweeps / "my.yaml", out, executor="serial", resume=True)
    assert "--resume --out DIR alone" in str(e.value)
    run_sweep(None, out, executor="serial", resume=True)  # the stored sweep, as it was
    ensure_sweep(sweeps / "my.yaml", out, executor="serial", rerun_stale=True)  # a cache:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))  # run anew
    assert manifest["base_scenario"]["government"]["authority"] == 0.9


# ---- a variant of a field --set sets for every column ------------------------------------------
@pytest.mark.parametrize(("variant", "common"), [
    ("horizon_days=70", "horizon_days=60"),
    ("government.resolve=0.3", "government={resolve: 0.5}"),
    ("events[ct_raid].day=3", "events=[]"),
])
def test_a_variant_of_a_field_set_for_every_column_is_refused(cli, variant, common):
    code, out, err = cli("compare", "june_2020_replay", "--variant", variant, "--set", common,
                         "--set", "patron.instigation=0.5" if "horizon" in common else
                         "horizon_days=60",
                         "--posterior", "none", "-n", "1", "-q")
    assert code == 2, out  # the variant's column ran its own value, "all with" --set's
    assert f"Variant '{variant}'" in err and "--set" in err


def test_a_variant_beside_set_of_other_fields_still_runs(cli):
    code, out, err = cli("compare", "june_2020_replay", "--variant", "government.resolve=0.3",
                         "--set", "militias[KH].autonomy=0.5", *TINY, "-q")
    assert code == 0, err
    assert "all with" in out


# ---- a name that only looks like an entry's ----------------------------------------------------
def _scenario_with_joined_name(tmp_path: Path) -> Path:
    """A scenario whose militia M1 is written ``M\\u200d1`` (a zero-width joiner inside)."""
    text = (REPO / "scenarios" / "generic_proxy_state.yaml").read_text(encoding="utf-8")
    path = tmp_path / "joined.yaml"
    path.write_text(text.replace("name: generic_proxy_state", "name: joined", 1)
                    .replace("name: M1\n", 'name: "M\\u200d1"\n')
                    .replace("target: M1", 'target: "M\\u200d1"'), encoding="utf-8")
    return path


@pytest.mark.parametrize("override", ["militias[M1].autonomy=0.3",
                                      "events[raid_on_m1].target=M1"])
def test_a_name_differing_from_an_entrys_by_an_invisible_character_says_so(tmp_path, cli,
                                                                          override):
    code, _, err = cli("run", _scenario_with_joined_name(tmp_path), "--set", override,
                       "--posterior", "none", "-n", "1", "-q")
    assert code == 2  # was "no entry named 'M1' (names: M1, M2, M3)", the joiner unseen
    assert "'M\\u200d1' differs from 'M1' only by" in err


def test_a_name_like_no_entrys_gets_no_look_alike_sentence(tmp_path, cli):
    code, _, err = cli("run", _scenario_with_joined_name(tmp_path), "--set",
                       "militias[M9].autonomy=0.3", "--posterior", "none", "-n", "1", "-q")
    assert code == 2 and "no entry named 'M9'" in err and "differs from" not in err


# ---- a home folder in the scenario path --------------------------------------------------------
def test_a_quoted_home_folder_in_the_scenario_path_is_the_home_folder(tmp_path, monkeypatch,
                                                                      cli):
    """``export LEVERAGE_SIM_SCENARIO_PATH="~/mine"`` (quoted: the shell leaves the ``~``) was
    skipped as "no folder", while ``--scenario-dir '~/mine'`` is the home folder's."""
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "mine").mkdir()
    text = (REPO / "scenarios" / "generic_proxy_state.yaml").read_text(encoding="utf-8")
    (tmp_path / "mine" / "my_state.yaml").write_text(
        text.replace("name: generic_proxy_state", "name: my_state", 1), encoding="utf-8")
    monkeypatch.setenv("LEVERAGE_SIM_SCENARIO_PATH", "~/mine")
    code, out, err = cli("validate", "my_state")
    assert code == 0, err
    assert out.startswith("OK   my_state")
