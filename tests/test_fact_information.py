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
                          "government_holds,deaths_first_week", "--subset", "all", "--pairs",
                          "--with", "dec2019_jan2020", "--joint-widths"],
                         capture_output=True, text=True, cwd=tmp_path, check=True).stdout
    counts = [int(line.split(": ")[1].split(" of ")[0]) for line in out.splitlines()
              if line.startswith("matching ")]
    assert len(counts) == 3 and counts[0] >= counts[1] >= counts[2], out
    # --with without --table draws each history of dec2019_jan2020 at the same parameters
    assert "400 histories of basra_2008 and dec2019_jan2020 from the priors" in out, out
    both = [re.fullmatch(r"  and all of dec2019_jan2020: (\d+) \(all of dec2019_jan2020 "
                         r"alone: (\d+)\)", line) for line in out.splitlines()
            if line.startswith("  and all of dec2019_jan2020")]
    assert len(both) == 3 and all(m is not None for m in both), out
    alone = {int(m.group(2)) for m in both}
    assert len(alone) == 1 and 0 < alone.pop() <= 400, out
    assert all(int(m.group(1)) <= min(count, int(m.group(2)))
               for m, count in zip(both, counts, strict=True)), out
    assert counts[0] >= 20 and "foreign_forces.ground_multiplier" in out, out
    # --joint-widths: a width table, or the note that too few match, after each count
    printed = [int(m.group(1)) for m in both] + counts
    tables = re.findall(r"^\s+width\s+5%\s+50%\s+95%$", out, flags=re.MULTILINE)
    assert len(tables) == sum(n >= 20 for n in printed), out
    assert out.count("(fewer than 20: too few") == sum(n < 20 for n in printed), out
    assert re.search(r"deaths_first_week\s+deaths_first_two_days\s", out), out  # a pair
    assert out.count("  all but ") == 8, out  # one line per fitted fact of Basra
    wrong = subprocess.run([*script, "--subset", "no_such_fact"], check=False,
                           capture_output=True,
                           text=True, cwd=tmp_path)
    assert wrong.returncode != 0 and "no_such_fact: not a fitted fact of basra_2008" in wrong.stderr


def _made_table(path: Path) -> None:
    """A reference table of 100 made rows with every column of calibration/default.yaml: rows
    0-29 match every fitted fact, rows 30-59 all but one of june_2020_raid's, rows 60-99 all
    but one of Basra's (each fact at its range's low end, or one outside its range)."""
    import numpy as np
    import pandas as pd

    from leverage_sim.calibration.config import load_calibration
    from leverage_sim.calibration.episodes import fact_id
    from leverage_sim.calibration.simulator import EpisodeSimulator

    cal = load_calibration(ROOT / "calibration" / "default.yaml")
    simulator = EpisodeSimulator(cal, replications=1)
    rng = np.random.default_rng(1)
    frame = {}
    for p in cal.parameters:
        frame[f"u:{p.path}"] = frame[p.path] = rng.random(100)
    for ep, facts in simulator.facts.items():
        for f in facts:
            low, high = f.bounds
            inside = low if np.isfinite(low) else high
            frame[f"fact:{fact_id(ep, f.name)}"] = np.full(100, float(inside))
    first = {ep: f"fact:{fact_id(ep, facts[0].name)}" for ep, facts in simulator.facts.items()}
    for ep, rows in (("june_2020_raid", slice(30, 60)), ("basra_2008", slice(60, 100))):
        low, high = simulator.facts[ep][0].bounds
        frame[first[ep]][rows] = low - 1 if np.isfinite(low) else high + 1
    pd.DataFrame(frame).to_parquet(path)


def test_joint_match_reads_a_calibrations_reference_table_and_counts_across_episodes(tmp_path):
    """``--table`` counts a fitted table's rows instead of drawing histories, and ``--with``
    the rows that also match every fact of another fit episode (counts that nest); --with
    without --table, or naming no fit episode, is refused with the reason."""
    _made_table(tmp_path / "reference.parquet")
    script = [sys.executable, str(ROOT / "benchmarks" / "joint_match.py"), "basra_2008",
              "--config", str(ROOT / "calibration" / "default.yaml")]
    out = subprocess.run([*script, "--table", str(tmp_path / "reference.parquet"), "--with",
                          "all"], capture_output=True, text=True, cwd=tmp_path,
                         check=True).stdout
    assert "100 histories of the reference table" in out, out
    assert "matching all: 60 of 100 histories" in out, out
    assert "and all of june_2020_raid: 30 (all of june_2020_raid alone: 70)" in out, out
    assert "and all of attacks_2020: 60 (all of attacks_2020 alone: 100)" in out, out
    assert "and every other fit episode's facts: 30" in out, out
    for args, reason in ((["--with", "lebanon_2008"], "--with lebanon_2008: not another fit"),
                         (["--table", str(tmp_path / "reference.parquet"), "--with",
                           "lebanon_2008"], "--with lebanon_2008: not another fit episode"),
                         (["--table", str(tmp_path / "none.parquet")],
                          "no such reference table")):
        wrong = subprocess.run([*script, *args], check=False, capture_output=True, text=True,
                               cwd=tmp_path)
        assert wrong.returncode != 0 and reason in wrong.stderr, wrong.stderr
