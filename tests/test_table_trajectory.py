"""benchmarks/table_trajectory.py: per table size, the posterior's quantiles from a calibration's
stored rows, for the file's estimator or another; its last size is the fitted posterior."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from leverage_sim.calibration.weighted import weighted_quantiles
from tests.calibration_fixture import default_config
from tests.test_calibration_table import TINY, calibrate

ROOT = Path(__file__).resolve().parents[1]
SHOWN = "government.decision_sharpness"


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A quick one-episode table calibration: (its file, its folder)."""
    cfg = default_config(tmp_path_factory.mktemp("cfg"), episodes=["june_2020_raid"],
                         facts=None, table_quick=TINY,
                         table=TINY)
    out = tmp_path_factory.mktemp("cal") / "cal"
    assert calibrate(cfg, "--out", out, "--quick", "--executor", "serial") == 0
    return cfg, out


def trajectory(cfg: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "benchmarks" / "table_trajectory.py"),
                           str(out), "--config", str(cfg), *args], capture_output=True,
                          text=True, check=False, cwd=ROOT)


def test_the_last_size_is_the_fitted_posterior_and_every_size_is_judged(fitted):
    cfg, out = fitted
    done = trajectory(cfg, out, "--start", "50", "--show", SHOWN)
    assert done.returncode == 0, done.stderr
    sizes = re.findall(r"^\s+([\d,]+) rows: (.*)$", done.stdout, re.MULTILINE)
    assert [s for s, _ in sizes] == ["50", "100"], done.stdout
    assert sizes[0][1] == "first size" and re.fullmatch(
        r"\[\d\.\d{3}, [\d.]+ s\.e\.: (stable|moved)\]", sizes[1][1]), sizes
    last = re.findall(rf"{re.escape(SHOWN)}\s+([\d.]+) / ([\d.]+) / ([\d.]+)", done.stdout)[-1]
    manifest = json.loads((out / "manifest.json").read_text())
    prior = next(p for p in manifest["parameters"] if p["path"] == SHOWN)
    post = pd.read_parquet(out / "posterior.parquet")
    u = (post[SHOWN] - prior["low"]) / (prior["high"] - prior["low"])
    expected = weighted_quantiles(u.to_numpy(), post["weight"].to_numpy(), [0.05, 0.5, 0.95])
    assert [float(x) for x in last] == pytest.approx(expected, abs=6e-4)


def test_another_estimator_gives_another_trajectory_and_bad_names_are_refused(fitted):
    cfg, out = fitted
    facts = trajectory(cfg, out, "--start", "25", "--show", SHOWN)
    projected = trajectory(cfg, out, "--start", "25", "--summaries", "projected", "--show",
                           SHOWN)
    assert facts.returncode == projected.returncode == 0, facts.stderr + projected.stderr
    assert "projected summaries" in projected.stdout and "facts summaries" in facts.stdout
    assert facts.stdout.count(" rows: ") == 3
    assert facts.stdout.split("\n", 1)[1] != projected.stdout.split("\n", 1)[1]
    wrong = trajectory(cfg, out, "--show", "no.such")
    assert wrong.returncode != 0 and "--show no.such: not a parameter" in wrong.stderr
