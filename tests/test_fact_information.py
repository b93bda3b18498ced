"""benchmarks/fact_information.py and benchmarks/joint_match.py (which facts would inform a
parameter) run end to end on a small table and report what they say (their figures are
printed, never gated: only that every row and column is there, and that counts nest)."""

from __future__ import annotations

import re
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


def test_joint_match_counts_the_histories_matching_a_set_of_facts_and_their_widths(tmp_path):
    """benchmarks/joint_match.py: a set most histories match gets a width per parameter; the
    count of a set is never above the count of any of its parts; an unknown fact is named."""
    script = [sys.executable, str(ROOT / "benchmarks" / "joint_match.py"), "basra_2008",
              "-n", "400", "--config", str(ROOT / "calibration" / "default.yaml")]
    out = subprocess.run([*script, "--subset", "government_holds", "--subset",
                          "government_holds,deaths_first_week", "--subset", "all", "--pairs"],
                         capture_output=True, text=True, cwd=tmp_path, check=True).stdout
    counts = [int(line.split(": ")[1].split(" of ")[0]) for line in out.splitlines()
              if line.startswith("matching ")]
    assert len(counts) == 3 and counts[0] >= counts[1] >= counts[2], out
    assert counts[0] >= 20 and "foreign_forces.ground_multiplier" in out, out
    assert re.search(r"deaths_first_week\s+deaths_first_two_days\s", out), out  # a pair
    assert out.count("  all but ") == 8, out  # one line per fitted fact of Basra
    wrong = subprocess.run([*script, "--subset", "no_such_fact"], check=False,
                           capture_output=True,
                           text=True, cwd=tmp_path)
    assert wrong.returncode != 0 and "no_such_fact: not a fitted fact of basra_2008" in wrong.stderr
