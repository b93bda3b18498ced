"""``leverage-sim calibrate`` with the table method: config checks, the files it writes, the
same result on any executor, exact resume after an interruption, a finished folder resumed is
a no-op, and its posterior drives ``leverage-sim run``."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from leverage_sim.calibration.table_fit import load_checkpoint, save_checkpoint
from leverage_sim.cli.main import main
from leverage_sim.errors import STOP_SIGNALS
from tests.calibration_fixture import default_config

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "calibration" / "default.yaml"
TINY = {"start": 50, "max_simulations": 100, "accept": 10, "tolerance": 0.03, "truths": 10,
        "predictive_runs": 10}
"""A table budget small enough for the test suite (its figures mean nothing)."""
RESULTS = ("posterior.parquet", "diagnostics.csv", "coverage.csv", "information.csv",
           "fit_check.csv")




def calibrate(*args: object) -> int:
    return main(["calibrate", *map(str, args), "--quiet"])


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-episode calibration file with a tiny quick table budget."""
    return default_config(tmp_path_factory.mktemp("cfg"), episodes=["june_2020_raid"],
                        facts=None, table_quick=TINY)


@pytest.fixture(scope="module")
def runs(tiny: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The tiny calibration on the serial and on the local executor, same seed."""
    outs = {}
    for executor in ("serial", "local"):
        out = tmp_path_factory.mktemp(executor) / "cal"
        extra = ["--workers", "2"] if executor == "local" else []
        assert calibrate(tiny, "--out", out, "--quick", "--executor", executor, *extra) == 0
        outs[executor] = out
    return outs


def test_default_file_uses_the_table_method_and_keeps_an_smc_budget() -> None:
    from leverage_sim.calibration.config import load_calibration

    spec = load_calibration(DEFAULT).spec
    assert spec.method == "table"
    assert spec.table_quick.max_simulations < spec.table.max_simulations
    assert spec.budget is not None and spec.quick is not None


@pytest.mark.parametrize("changes, message", [
    ({"method": "nuts"}, r"'method': Input should be 'table' or 'smc'"),
    ({"method": "smc", "budget": None}, "method: smc needs the budget block budget"),
    ({"table": None, "table_quick": None},
     "method: table needs the budget blocks table and table_quick"),
    ({"table": {**TINY, "start": 500, "max_simulations": 100}},
     r"start \(500\) must not exceed max_simulations \(100\)"),
    ({"method": "smc", "budget": {"population_size": 300, "max_generations": 2,
                                  "max_simulations": 100}},
     r"'budget': max_simulations \(100\) must be at least population_size \(300\)"),
    ({"table_quick": {**TINY, "tolerance": 0}}, "'table_quick.tolerance'"),
    ({"table_quick": {**TINY, "start": 10}}, "'table_quick.start'"),
    ({"table_quick": {**TINY, "replications": 3}}, "'table_quick.replications': unknown field"),
])
def test_bad_method_or_table_budget_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture,
                                           changes: dict, message: str) -> None:
    code = calibrate(default_config(tmp_path, **changes), "--out", tmp_path / "out", "--quick")
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert re.search(message, err), err


@pytest.mark.slow
def test_quick_table_calibration_writes_every_file(runs: dict[str, Path]) -> None:
    out = runs["serial"]
    for name in (*RESULTS, "reference.parquet", "manifest.json", "marginals.png", "pairs.png",
                 "predictive.png", "report.html"):
        assert (out / name).is_file(), name
    manifest = json.loads((out / "manifest.json").read_text())
    paths = [p["path"] for p in manifest["parameters"]]
    post = pd.read_parquet(out / "posterior.parquet")
    assert list(post.columns) == [*paths, "weight"]
    assert post["weight"].sum() == pytest.approx(1.0)
    assert post["foreign_forces.response_delay_days"].dtype == "int64"
    assert list(pd.read_csv(out / "diagnostics.csv").columns) == [
        "simulations", "effective_sample_size", "largest_quantile_move",
        "largest_move_in_standard_errors", "most_moved"]
    cov = pd.read_csv(out / "coverage.csv")
    assert list(cov.columns) == ["parameter", "cover_50", "cover_90", "width",
                                 *(f"bin_{i}" for i in range(10))]
    assert (cov[[f"bin_{i}" for i in range(10)]].sum(axis=1) == TINY["truths"]).all()
    info = pd.read_csv(out / "information.csv")
    assert list(info.columns) == ["parameter", "oob_r2", "informed"]
    assert list(info["parameter"]) == paths == list(cov["parameter"])
    check = pd.read_csv(out / "fit_check.csv")
    assert list(check.columns) == ["episode", "fact", "kind", "score", "posterior",
                                   "posterior_in_range", "hand_tuned", "hand_tuned_in_range"]
    assert list(check["fact"]).count("(all facts)") == 1
    assert check[["posterior_in_range", "hand_tuned_in_range"]].stack().between(0, 1).all()
    html = (out / "report.html").read_text()
    assert "out-of-bag R²" in html and "Fit check" in html
    assert "by rejection ABC on a reference table of single histories, its rows compared with " \
        "the record on the facts." in html  # the file's estimator: no adjust, no summaries


@pytest.mark.slow
def test_manifest_knows_its_model_and_records_no_absolute_path(runs: dict[str, Path]) -> None:
    from leverage_sim.simulation.model_fingerprint import code_fingerprint

    manifest = json.loads((runs["serial"] / "manifest.json").read_text())
    assert manifest["method"] == "table" and manifest["status"] == "complete"
    assert manifest["model_fingerprint"]["code"] == code_fingerprint()
    assert set(manifest["model_fingerprint"]) == {"code", "behaviour"}
    assert manifest["simulations"] == TINY["max_simulations"]
    assert manifest["converged"] in (True, False) and manifest["ess"] > 0
    assert 0 <= manifest["coverage"]["min"] <= manifest["coverage"]["max"] <= 1
    text = (runs["serial"] / "manifest.json").read_text()
    assert str(ROOT) not in text and "/tmp" not in text
    assert manifest["config"]["path"] == "cal.yaml"
    files = {e["name"]: e["file"] for e in manifest["episodes"]}
    assert files["june_2020_raid"] == "episodes/june_2020_raid.yaml"


@pytest.mark.slow
def test_same_seed_same_files_on_any_executor(runs: dict[str, Path]) -> None:
    for name in RESULTS:
        assert (runs["serial"] / name).read_bytes() == (runs["local"] / name).read_bytes(), name


@pytest.mark.slow
def test_interrupted_calibration_resumes_to_the_same_posterior(
        runs: dict[str, Path], tiny: Path, tmp_path: Path) -> None:
    from leverage_sim.calibration.config import load_calibration

    cal = load_calibration(tiny)
    done = runs["serial"]
    out = tmp_path / "cal"
    shutil.copytree(done, out)
    # the state an interruption leaves: a checkpoint of the rows done, an "interrupted" manifest
    for name in (*RESULTS, "report.html"):
        (out / name).unlink()
    table = load_checkpoint(done / "reference.parquet", [p.prior for p in cal.parameters],
                            [t.name for t in cal.targets()], cal.spec.seed)
    save_checkpoint(table.rows(slice(0, 70)), out / "reference.parquet")
    manifest = json.loads((done / "manifest.json").read_text())
    (out / "manifest.json").write_text(json.dumps({**manifest, "status": "interrupted"}))
    assert calibrate(tiny, "--out", out, "--quick", "--executor", "serial", "--resume") == 0
    for name in (*RESULTS, "reference.parquet"):
        assert (out / name).read_bytes() == (done / name).read_bytes(), name


@pytest.mark.slow
def test_a_finished_calibration_resumed_is_a_no_op(runs: dict[str, Path], tiny: Path,
                                                   tmp_path: Path,
                                                   capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "cal"
    shutil.copytree(runs["serial"], out)
    before = {f.name: f.stat().st_mtime_ns for f in out.iterdir()}
    assert calibrate(tiny, "--out", out, "--quick", "--resume") == 0
    assert "nothing to resume, nothing was changed" in capsys.readouterr().err
    assert {f.name: f.stat().st_mtime_ns for f in out.iterdir()} == before


@pytest.mark.slow
def test_a_capped_calibration_resumed_under_a_larger_cap_equals_a_run_to_that_cap(
        runs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """TINY stops at its cap (two sizes, capped); resumed with only max_simulations raised, the
    table grows from the rows it has to the new cap and the files are those of a calibration
    run to that cap from the start. Anything else changed is still refused."""
    for folder in ("cfg", "cfg2"):
        (tmp_path / folder).mkdir()
    larger = default_config(tmp_path / "cfg", episodes=["june_2020_raid"], facts=None,
                            table_quick={**TINY, "max_simulations": 200})
    out, fresh = tmp_path / "cal", tmp_path / "fresh"
    shutil.copytree(runs["serial"], out)
    assert not json.loads((out / "manifest.json").read_text())["converged"]
    assert calibrate(larger, "--out", out, "--quick", "--executor", "serial", "--resume") == 0
    assert calibrate(larger, "--out", fresh, "--quick", "--executor", "serial") == 0
    for name in (*RESULTS, "reference.parquet"):
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name
    assert json.loads((out / "manifest.json").read_text())["simulations"] == 200
    capsys.readouterr()
    other_prior = default_config(tmp_path / "cfg2", episodes=["june_2020_raid"], facts=None,
                                 table_quick={**TINY, "max_simulations": 400})
    text = other_prior.read_text()
    other_prior.write_text(text.replace("low: 1\n", "low: 1.5\n", 1))
    assert other_prior.read_text() != text
    assert calibrate(other_prior, "--out", out, "--quick", "--resume") == 2
    assert "another config file (its contents)" in capsys.readouterr().err


@pytest.mark.slow
def test_a_calibration_resumed_with_another_estimator_refits_on_its_rows(
        runs: dict[str, Path], tmp_path: Path) -> None:
    """A finished table calibration resumed with another estimator (``summaries``, ``tolerance``)
    and the same cap is fitted again on its stored rows, none simulated again: the files equal
    a fresh calibration with that budget."""
    (tmp_path / "cfg").mkdir()
    other = default_config(tmp_path / "cfg", episodes=["june_2020_raid"], facts=None,
                           table_quick={**TINY, "tolerance": 0.05, "summaries": "projected"})
    out, fresh = tmp_path / "cal", tmp_path / "fresh"
    shutil.copytree(runs["serial"], out)
    rows = (out / "reference.parquet").stat().st_mtime_ns
    assert calibrate(other, "--out", out, "--quick", "--executor", "serial", "--resume") == 0
    assert (out / "reference.parquet").stat().st_mtime_ns == rows  # nothing simulated
    assert calibrate(other, "--out", fresh, "--quick", "--executor", "serial") == 0
    for name in RESULTS:
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["budget"]["summaries"] == "projected" and manifest["budget"]["tolerance"] == 0.05
    assert "compared with the record on one learnt summary per parameter" in (
        out / "report.html").read_text()
    before = pd.read_parquet(runs["serial"] / "posterior.parquet")
    assert not pd.read_parquet(out / "posterior.parquet").equals(before)


@pytest.mark.slow
def test_a_calibration_resumed_with_an_episode_appended_simulates_only_that_episode(
        runs: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A finished table calibration resumed with an episode appended to its file runs only that
    episode for its stored rows (its other columns kept, each episode on its own seed slot):
    the table and every result equal a fresh calibration of the new file."""
    from leverage_sim.calibration.simulator import EpisodeSimulator

    (tmp_path / "cfg").mkdir()
    added = default_config(tmp_path / "cfg", episodes=["june_2020_raid", "dec2019_jan2020"],
                           facts=None, table_quick=TINY)
    out, fresh = tmp_path / "cal", tmp_path / "fresh"
    shutil.copytree(runs["serial"], out)
    stored = pd.read_parquet(out / "reference.parquet")
    ran, call = [], EpisodeSimulator.__call__
    monkeypatch.setattr(EpisodeSimulator, "__call__", lambda self, values, seed: (
        ran.append(self.only), call(self, values, seed))[1])
    assert calibrate(added, "--out", out, "--quick", "--executor", "serial", "--resume") == 0
    assert ran.count(frozenset({"dec2019_jan2020"})) == len(stored)  # only the new episode
    monkeypatch.undo()
    assert calibrate(added, "--out", fresh, "--quick", "--executor", "serial") == 0
    table = pd.read_parquet(out / "reference.parquet")
    assert table.equals(pd.read_parquet(fresh / "reference.parquet"))
    assert any(c.startswith("fact:dec2019_jan2020.") for c in table.columns)
    assert table[stored.columns].iloc[:len(stored)].equals(stored)  # the stored columns kept
    for name in RESULTS:
        assert (out / name).read_bytes() == (fresh / name).read_bytes(), name
    assert not (out / "reference.parquet.adding").exists()


def test_an_interrupted_extension_goes_on_from_the_rows_it_gave_the_new_facts(
        tmp_path: Path) -> None:
    """The new facts of the rows an interrupted extension finished (its side file) are kept,
    not simulated again; the rest are simulated."""
    from leverage_sim.calibration.config import load_calibration
    from leverage_sim.calibration.reference import build_table
    from leverage_sim.calibration.simulator import EpisodeSimulator
    from leverage_sim.calibration.table_episodes import (
        ADDING,
        add_missing_facts,
        save_partial,
        signature,
    )

    one = load_calibration(default_config(tmp_path, episodes=["june_2020_raid"], facts=None))
    (tmp_path / "two").mkdir()
    two = load_calibration(default_config(tmp_path / "two", episodes=[
        "june_2020_raid", "dec2019_jan2020"], facts=None))
    priors, seed = [p.prior for p in two.parameters], 5
    facts = [t.name for t in two.targets()]
    whole = build_table(EpisodeSimulator(two), priors, facts, 30, seed)
    path, side = tmp_path / "reference.parquet", tmp_path / f"reference.parquet{ADDING}"
    first = build_table(EpisodeSimulator(one), priors, [t.name for t in one.targets()], 30, seed)
    new = [f for f in facts if f.startswith("dec2019_jan2020.")]
    marked = whole.facts[new].iloc[:12] + 1000.0  # what the interrupted run had written
    for made, kept in ((signature(two, new, seed), 12), (signature(two, new, seed + 1), 0),
                       (signature(one, new, seed), 0)):  # its own; another seed; other episodes
        save_checkpoint(first, path)
        save_partial(side, marked, made)
        assert add_missing_facts(path, two, seed) == 30 - kept
        got = load_checkpoint(path, priors, facts, seed)
        assert got is not None and got.facts.iloc[:kept][new].equals(marked.iloc[:kept])
        assert got.facts.iloc[kept:].reset_index(drop=True).equals(
            whole.facts.iloc[kept:].reset_index(drop=True))
        assert not side.exists()


def test_an_interrupted_extension_leaves_the_calibration_it_extends_usable(
        runs: dict[str, Path], tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    """Until every stored row has the new facts the folder is the calibration it was: an
    interruption leaves its manifest, table and posterior as they were (it can be drawn from,
    and resumed under its own file), and a resume after the added episode's file was edited
    goes on, simulating again what the side file held for the old file."""
    from leverage_sim.calibration import table_episodes
    from leverage_sim.simulation.posterior import load_posterior

    (tmp_path / "cfg").mkdir()
    added = default_config(tmp_path / "cfg", episodes=["june_2020_raid", "dec2019_jan2020"],
                           facts=None, table_quick=TINY)
    out = tmp_path / "cal"
    shutil.copytree(runs["serial"], out)
    before = {f.name: f.read_bytes() for f in out.iterdir()}
    simulate, calls = table_episodes.simulate_values, []

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return simulate(*args, **kwargs)

    monkeypatch.setattr(table_episodes, "CHECKPOINT_ROWS", 10)
    monkeypatch.setattr(table_episodes, "simulate_values", interrupted)
    assert calibrate(added, "--out", out, "--quick", "--executor", "serial", "--resume") == 130
    assert "the folder keeps the calibration it held" in capsys.readouterr().err
    monkeypatch.undo()
    side = out / f"reference.parquet{table_episodes.ADDING}"
    assert side.is_file()
    assert all(before[f.name] == f.read_bytes() for f in out.iterdir() if f != side)
    assert load_posterior(out).particles > 0
    shutil.copytree(out, tmp_path / "again")  # leverage-sim wrote the side file: --force takes it
    assert calibrate(added, "--out", tmp_path / "again", "--quick", "--force") == 0
    assert calibrate(tiny, "--out", out, "--quick", "--resume") == 0  # its own file: done
    assert "nothing to resume" in capsys.readouterr().err
    episodes = tmp_path / "episodes"
    episodes.mkdir()
    (episodes / "dec2019_jan2020.yaml").write_text(
        (ROOT / "episodes" / "dec2019_jan2020.yaml").read_text() + "# edited\n")
    monkeypatch.chdir(tmp_path)  # ./episodes/ comes first
    ran = []
    monkeypatch.setattr(table_episodes, "simulate_values", lambda *a, **k: (
        ran.append(len(a[2]) - a[4]), simulate(*a, **k))[1])
    assert calibrate(added, "--out", out, "--quick", "--executor", "serial", "--resume") == 0
    assert sum(ran) == len(pd.read_parquet(out / "reference.parquet"))  # every row again
    assert not side.exists()


@pytest.mark.slow
def test_a_calibration_resumed_with_an_episode_put_first_is_refused(
        runs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """An episode put before the stored ones would move their seed slots: refused."""
    (tmp_path / "cfg").mkdir()
    first = default_config(tmp_path / "cfg", episodes=["dec2019_jan2020", "june_2020_raid"],
                           facts=None, table_quick=TINY)
    out = tmp_path / "cal"
    shutil.copytree(runs["serial"], out)
    assert calibrate(first, "--out", out, "--quick", "--resume") == 2
    assert "another config file (its contents)" in capsys.readouterr().err


@pytest.mark.slow
def test_resume_of_another_seed_is_refused(runs: dict[str, Path], tiny: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "cal"
    shutil.copytree(runs["serial"], out)
    assert calibrate(tiny, "--out", out, "--quick", "--resume", "--seed", "7") == 2
    err = capsys.readouterr().err
    assert "with another seed (it used" in err and "this command 7)" in err
    assert "config file" not in err and "budget" not in err
    assert calibrate(tiny, "--out", out, "--resume") == 2  # the same, without --quick
    assert "another budget (it was started with --quick)" in capsys.readouterr().err


@pytest.mark.slow
def test_run_draws_from_a_table_posterior(runs: dict[str, Path], tmp_path: Path) -> None:
    from leverage_sim.simulation.posterior import load_posterior

    posterior = load_posterior(runs["serial"])
    assert posterior.particles > 0
    assert main(["run", "june_2020_replay", "-n", "2", "-q", "--posterior",
                 str(runs["serial"]), "--out", str(tmp_path / "r")]) == 0
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text())
    assert manifest["posterior"]["sha256"] == posterior.sha256


def test_docs_quote_the_table_methods_constants() -> None:
    from leverage_sim.calibration.table_fit import CHECKPOINT_ROWS, CHECKPOINT_SHARE, INFORMED_R2

    doc = (ROOT / "docs" / "calibration.md").read_text(encoding="utf-8")
    assert CHECKPOINT_SHARE == 0.1
    assert f"every {CHECKPOINT_ROWS:,} rows or every tenth of the rows done" in doc
    assert f"Under {INFORMED_R2}" in doc


def test_ctrl_c_keeps_the_checkpoint_and_says_how_to_resume(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    from leverage_sim.calibration import table_fit

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(table_fit, "fit", interrupted)
    out = tmp_path / "cal"
    assert calibrate(tiny, "--out", out, "--quick", "--executor", "serial") == 130
    assert "--resume" in capsys.readouterr().err
    assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"
    assert not (out / "posterior.parquet").exists()


def test_a_budget_of_two_sizes_says_it_cannot_converge(
        tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """--quick's 50 then 100 rows: convergence is judged over two doublings, so the end
    message says why it is capped and what to raise, naming the block."""
    assert calibrate(tiny, "--out", tmp_path / "c", "--quick", "--executor", "serial") == 0
    out = capsys.readouterr().out
    assert ("capped (not converged: judging convergence takes three table sizes, so "
            "table_quick.max_simulations must be at least 4 × table_quick.start)") in out


@pytest.mark.slow
def test_docs_table_of_a_table_calibration(runs: dict[str, Path], tmp_path: Path) -> None:
    from leverage_sim.calibration.table import END, START, refresh

    doc = tmp_path / "doc.md"
    doc.write_text(f"before\n{START}\nold\n{END}\nafter\n")
    text = refresh(doc, runs["serial"])
    assert "| out-of-bag R² | informed | coverage at 90% |" in text
    assert "100 simulations (capped: not converged" in text  # two sizes cannot converge
    assert "coverage of 90% intervals on 10 held-out truths" in text


@pytest.mark.parametrize(("name", "code"), STOP_SIGNALS.items())  # SIGHUP where there is one
def test_a_stop_signal_keeps_the_checkpoint_and_exits_with_its_code(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture, name: str, code: int) -> None:
    from leverage_sim.calibration import table_fit

    def terminated(*args, **kwargs):
        raise SystemExit(code)  # what the CLI's SIGTERM or SIGHUP handler raises

    monkeypatch.setattr(table_fit, "fit", terminated)
    out = tmp_path / "cal"
    assert calibrate(tiny, "--out", out, "--quick", "--executor", "serial") == code
    assert f"Stopped by {name}: the simulations done are kept" in capsys.readouterr().err
    assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"


@pytest.mark.slow
def test_resume_with_another_model_is_refused(runs: dict[str, Path], tiny: Path,
                                              tmp_path: Path,
                                              capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "cal"
    shutil.copytree(runs["serial"], out)
    manifest = json.loads((out / "manifest.json").read_text())
    stale = {**manifest, "status": "interrupted",
             "model_fingerprint": {"code": "0" * 64, "behaviour": "0" * 64}}
    (out / "manifest.json").write_text(json.dumps(stale))
    assert calibrate(tiny, "--out", out, "--quick", "--resume") == 2
    assert "another version of the model" in capsys.readouterr().err


def _toy(values: dict[str, float], seed: int) -> dict[str, float]:
    """One noisy measurement of ``a``."""
    import numpy as np

    return {"x": values["a"] + 0.1 * np.random.default_rng(seed).standard_normal()}


def test_a_checkpoint_longer_than_the_first_size_is_kept_whole(tmp_path: Path) -> None:
    from leverage_sim.calibration import table_fit
    from leverage_sim.calibration.smc import Prior, Target

    priors = [Prior("a", "uniform", 0, 1), Prior("b", "uniform", 0, 1)]
    record = [Target("x", 0.5, 0.5, 0.5)]
    budget = table_fit.TableBudget(start=100, max_simulations=400, accept=20, tolerance=1e-9,
                                   truths=20, information_trees=10)
    ckpt = tmp_path / "reference.parquet"
    whole = table_fit.fit(_toy, priors, record, budget, seed=3, checkpoint=ckpt)
    assert whole.simulations == 400  # three sizes: 100, 200, 400
    table = table_fit.load_checkpoint(ckpt, priors, ["x"], 3)
    table_fit.save_checkpoint(table.rows(slice(0, 300)), ckpt)  # interrupted at 300 rows
    calls = []

    def counting(values: dict[str, float], seed: int) -> dict[str, float]:
        calls.append(seed)
        return _toy(values, seed)

    resumed = table_fit.fit(counting, priors, record, budget, seed=3, checkpoint=ckpt)
    assert len(calls) == 100  # only rows 300..399: the 300 rows done are not cut to 100
    assert resumed.posterior.equals(whole.posterior)
    assert resumed.steps.equals(whole.steps)


def test_fit_check_table_names_the_facts_an_episode_trades(tmp_path: Path) -> None:
    """docs/calibration.md's fit-check block: per episode the three sources' summed scores, and
    for an episode the hand-tuned values win, which facts they win on."""
    from leverage_sim.calibration.table import fit_check_table

    rows = [("a", "a.x", "count", "CRPS", 2.0, 0.2, 1.0, 0.6, 1.5, 0.4),
            ("a", "a.y", "event", "Brier", 0.1, 0.9, 0.2, 0.8, 0.1, 0.9),
            ("a", "(all facts)", "episode", "sum of scaled scores", 1.5, 0.2, 1.0, 0.5, 1.2, 0.4),
            ("b", "b.z", "count", "CRPS", 1.0, 0.5, 3.0, 0.1, None, None),
            ("b", "(all facts)", "episode", "sum of scaled scores", 1.0, 0.5, 3.0, 0.1, None,
             None)]
    pd.DataFrame(rows, columns=["episode", "fact", "kind", "score", "posterior",
                                "posterior_in_range", "hand_tuned", "hand_tuned_in_range",
                                "alone", "alone_in_range"]).to_csv(tmp_path / "fit_check.csv",
                                                                   index=False)
    text = fit_check_table(tmp_path)
    assert "| a | 1.50 (20%) | 1.00 (50%) | 1.20 (40%) |" in text
    assert "| b | 1.00 (50%) | 3.00 (10%) | — |" in text
    assert "**a**: the hand-tuned values score better" in text
    assert "x CRPS 2 vs 1 (in range 20% vs 60%)" in text and "**b**" not in text


def test_summary_line_reads_folders_written_before_the_noise_rule():
    """A calibration folder written before convergence was judged against its noise (no
    ``noise_z`` in its manifest, no standard-error column) is described, not a KeyError."""
    from leverage_sim.calibration.table import summary_line

    manifest = {"coverage": {"truths": 200, "min": 0.85, "max": 0.94}, "tolerance": 0.05,
                "converged": True, "simulations": 8000, "ess": 300, "status": "ok",
                "seed": 1, "versions": {"leverage_sim": "0.1.0"},
                "model_fingerprint": {"code": "ab" * 20}, "budget": {"max_simulations": 9}}
    old = summary_line(manifest, pd.DataFrame({"largest_quantile_move": [0.1, 0.03]}))
    assert "each quantile's move within 0.05;" in old and "standard errors" not in old
    new = summary_line({**manifest, "noise_z": 3},
                       pd.DataFrame({"largest_quantile_move": [0.1, 0.03],
                                     "largest_move_in_standard_errors": [4.0, 1.5]}))
    assert "within the larger of 0.05 and 3 of its standard errors" in new
    assert "the largest in standard errors 1.5" in new
