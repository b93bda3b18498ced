"""A posterior is used only with the model it was fitted to (issue 17): a manifest whose model
fingerprint matches neither this model's code nor its behaviour is refused with a clear
message, unless --allow-stale."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from leverage_sim.cli.main import main
from leverage_sim.errors import InputError
from leverage_sim.simulation.model_fingerprint import fingerprint
from leverage_sim.simulation.posterior import load_posterior
from leverage_sim.simulation.stale import ALLOW_STALE_ENV, allowing_stale
from tests.posterior_fixture import write_posterior

ROOT = Path(__file__).resolve().parents[1]


def test_a_posterior_of_another_model_is_refused_unless_allowed(tmp_path):
    old = write_posterior(tmp_path / "old", model_fingerprint={"code": "x", "behaviour": "y"})
    with pytest.raises(InputError, match="fitted to another version of the model"):
        load_posterior(old)
    assert load_posterior(old, allow_stale=True).particles == 200
    with allowing_stale(True):
        assert load_posterior(old).particles == 200
    assert ALLOW_STALE_ENV not in os.environ  # restored after the block


def test_a_manifest_without_a_fingerprint_is_refused(tmp_path):
    bare = write_posterior(tmp_path / "bare", model_fingerprint=None)
    with pytest.raises(InputError, match="predates them"):
        load_posterior(bare)


def test_same_behaviour_after_a_refactoring_is_accepted(tmp_path):
    refactored = write_posterior(tmp_path / "r", model_fingerprint={
        "code": "another layout of the same model", "behaviour": fingerprint()["behaviour"]})
    assert load_posterior(refactored).particles == 200


def test_the_cli_refuses_then_allows_with_the_flag(tmp_path, capsys):
    old = write_posterior(tmp_path / "old", model_fingerprint={"code": "x", "behaviour": "y"})
    args = ["run", "june_2020_replay", "-n", "1", "--posterior", str(old)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "another version of the model" in err and "--allow-stale" in err
    assert main([*args, "--allow-stale"]) == 0
    assert ALLOW_STALE_ENV not in os.environ


def _copy_checkout(dst: Path) -> Path:
    for part in ("src/leverage_sim", "scenarios", "episodes", "calibration/default"):
        shutil.copytree(ROOT / part, dst / part,
                        ignore=shutil.ignore_patterns("__pycache__", "history.db*"))
    return dst


def _run_default(root: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    env.pop(ALLOW_STALE_ENV, None)
    return subprocess.run([sys.executable, "-m", "leverage_sim.cli", "run",
                           "june_2020_replay", "-n", "1", "--posterior", "default", *extra],
                          check=False, cwd=root, env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.mark.slow
def test_changing_a_mechanism_constant_makes_the_committed_posterior_stale(tmp_path):
    root = _copy_checkout(tmp_path / "checkout")
    same = _run_default(root)
    assert same.returncode == 0, same.stderr  # the copy as it is: the committed fit is current
    assert "june_2020_replay" in same.stdout
    beliefs = root / "src/leverage_sim/simulation/mechanisms/beliefs.py"
    text = beliefs.read_text()
    assert "SILENT_DAY_EVIDENCE = 0.5" in text
    beliefs.write_text(text.replace("SILENT_DAY_EVIDENCE = 0.5", "SILENT_DAY_EVIDENCE = 0.6"))
    changed = _run_default(root)
    assert changed.returncode == 2
    assert "fitted to another version of the model" in changed.stderr
    assert "Traceback" not in changed.stderr
    assert _run_default(root, "--allow-stale").returncode == 0
