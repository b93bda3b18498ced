"""``leverage-sim run`` and ``compare`` through the CLI: every output exists, parses and says
what it should; output folders are never overwritten silently; compare uses common seeds."""

from __future__ import annotations

import hashlib
import json

import matplotlib.image as mpimg
import pandas as pd
import pytest

import leverage_sim as ls
from leverage_sim.cli.main import main
from leverage_sim.outputs.narrative import typical_replication
from leverage_sim.simulation.model import TIMESERIES_COLUMNS
from leverage_sim.simulation.runner import SUMMARY_COLUMNS

CHARTS = ("authority_autonomy.png", "attacks_per_week.png", "outcomes.png", "overview.png")
TABLES = ("timeseries", "militias", "events", "summary")


def cli(*argv) -> int:
    return main([str(a) for a in argv])


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    """One CSV run of the replay with an override: 4 replications, master seed 3."""
    out = tmp_path_factory.mktemp("run") / "out"
    code = cli("run", "june_2020_replay", "-n", 4, "--seed", 3, "--format", "csv", "-q",
               "--set", "foreign_forces.backing=0.3", "--out", out)
    assert code == 0
    return out


def test_run_writes_tables_that_parse(run_dir):
    frames = {t: pd.read_csv(run_dir / f"{t}.csv") for t in TABLES}
    assert list(frames["summary"].columns) == list(SUMMARY_COLUMNS)
    assert len(frames["summary"]) == 4
    assert set(TIMESERIES_COLUMNS) <= set(frames["timeseries"].columns)
    assert len(frames["timeseries"]) == 4 * 90
    assert set(frames["militias"]["militia"]) == {"KH", "AAH", "Nujaba", "KSS"}
    assert (frames["events"]["action"] == "raid").sum() >= 4


def test_run_manifest_identifies_the_run(run_dir):
    m = json.loads((run_dir / "manifest.json").read_text())
    assert m["leverage_sim_version"] == ls.__version__
    assert m["master_seed"] == 3 and m["replications"] == 4
    assert m["replication_seeds"] == ls.replication_seeds(3, 4)
    assert m["replication_seeds"] == pd.read_csv(run_dir / "summary.csv")["seed"].tolist()
    text = (run_dir / "scenario.yaml").read_bytes()
    assert m["scenario_sha256"] == hashlib.sha256(text).hexdigest()
    assert m["overrides"] == ["foreign_forces.backing=0.3"] and m["seconds"] > 0


def test_run_scenario_yaml_is_the_resolved_input(run_dir):
    written = ls.load_scenario(run_dir / "scenario.yaml")
    assert written == ls.load_scenario("june_2020_replay", ["foreign_forces.backing=0.3"])
    rerun = ls.run(written, replications=1, seed=3)  # reproduces replication 0 from the folder
    summary = pd.read_csv(run_dir / "summary.csv")
    assert rerun.summary.iloc[0]["attacks"] == summary.iloc[0]["attacks"]


def test_run_narrative_is_a_dated_timeline_of_the_typical_replication(run_dir):
    text = (run_dir / "narrative.md").read_text()
    events = pd.read_csv(run_dir / "events.csv")
    k = typical_replication(pd.read_csv(run_dir / "summary.csv"))
    first = events[events["replication"] == k]
    rows = [ln for ln in text.splitlines() if ln.startswith("| 20")]
    assert text.startswith(f"# june_2020_replay: what happened in replication {k}")
    assert len(rows) == len(first)
    raid = next(r for r in rows if "enforcement raid on KH" in r)
    assert raid.startswith("| 2020-06-25 | 49 | Government of Iraq")
    assert "Counter-Terrorism Service raid arrests 14 KH members" in raid
    assert f"{first['action'].eq('attack').sum()} attacks on US forces sites" in text


def test_run_charts_are_images(run_dir):
    for name in CHARTS:
        img = mpimg.imread(run_dir / name)
        assert img.ndim == 3 and img.shape[0] > 300 and img.shape[1] > 600, name


def test_run_never_overwrites_silently(run_dir, capsys):
    before = (run_dir / "summary.csv").read_text()
    assert cli("run", "june_2020_replay", "-n", 1, "-q", "--out", run_dir) == 2
    assert "already exists and is not empty" in capsys.readouterr().err
    assert (run_dir / "summary.csv").read_text() == before


def test_run_force_replaces_and_parquet_is_default(tmp_path):
    out = tmp_path / "out"
    assert cli("run", "june_2020_replay", "-n", 1, "-q", "--set", "horizon_days=55",
               "--out", out, "--format", "csv") == 0
    assert cli("run", "june_2020_replay", "-n", 2, "-q", "--set", "horizon_days=55",
               "--out", out, "--force") == 0
    assert not (out / "summary.csv").exists()  # the earlier run's files are gone
    summary = pd.read_parquet(out / "summary.parquet")
    assert len(summary) == 2
    assert pd.read_parquet(out / "timeseries.parquet")["day"].max() == 54


def test_compare_runs_the_same_seeds_through_each_scenario(tmp_path, capsys):
    out = tmp_path / "cmp"
    names = ["june_2020_replay", "june_2020_us_intervenes"]
    assert cli("compare", *names, "-n", 6, "--seed", 11, "-q", "--set", "horizon_days=60",
               "--out", out, "--format", "csv") == 0
    printed = capsys.readouterr().out
    assert "same replication seeds (master seed 11)" in printed
    assert "share of runs: held_firm" in printed and "median: attacks" in printed
    summary = pd.read_csv(out / "summary.csv")
    seeds = ls.replication_seeds(11, 6)
    for name in names:
        rows = summary[summary["scenario"] == name]
        assert rows["seed"].tolist() == seeds
        # one default everywhere: ls.run's default parameters are compare's
        alone = ls.run(name, replications=6, seed=11, overrides={"horizon_days": 60}).summary
        pd.testing.assert_frame_equal(rows.drop(columns="scenario").reset_index(drop=True),
                                      alone, check_dtype=False)
    table = pd.read_csv(out / "comparison.csv")
    assert set(table["scenario"]) == set(names)
    held = table[(table["measure"] == "held_firm")].set_index("scenario")
    assert held.loc[names[0], "value"] == (summary[summary["scenario"] == names[0]]
                                           ["held_firm"] > 0).mean()
    assert (table["low"] <= table["value"]).all() and (table["value"] <= table["high"]).all()
    assert "| measure | june_2020_replay | june_2020_us_intervenes |" in (
        out / "comparison.md").read_text()
    assert mpimg.imread(out / "comparison.png").shape[1] > 1000


def test_compare_same_scenario_twice_gives_identical_columns(capsys):
    assert cli("compare", "kh_decapitated", "kh_decapitated", "-n", 3, "-q",
               "--set", "horizon_days=55") == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(ln.split() == ["kh_decapitated", "kh_decapitated#2"] for ln in lines)  # header
    row = next(ln for ln in lines if ln.startswith("median: attacks"))
    cells = row.split("median: attacks")[1].split("]")
    assert cells[0].strip() == cells[1].strip()
