"""benchmarks/fact_information.py runs end to end on a small table and reports what it says
(its figures are printed, never gated: only that every row and column is there)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_fact_information_reports_every_candidate_and_the_strength_row(tmp_path):
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "fact_information.py"),
         str(ROOT / "benchmarks" / "candidate_facts.yaml"), "-n", "300",
         "--config", str(ROOT / "calibration" / "default.yaml")],
        capture_output=True, text=True, cwd=tmp_path, check=True).stdout
    for column in ("fitted facts", "+ all candidates", "+ deaths_after_step_in",
                   "+ militia_attacks_in_the_fight"):
        assert column in out, out
    for row in ("foreign_forces.ground_multiplier", "foreign_forces.air_support",
                "government.prior_backing", "U:basra_2008"):
        assert row in out, out
