"""Calibration: the ABC machinery against an analytic posterior, reproducibility, Ctrl-C and
resume, the shipped episodes, and clear errors for bad calibration files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from leverage_sim.calibration.episodes import EPISODE_DIR, load_episode
from leverage_sim.calibration.sampler import SeededSampler, simulate_candidates
from leverage_sim.calibration.smc import Budget, Prior, Target, posterior_frame, run_abc
from leverage_sim.cli.main import main
from leverage_sim.errors import InputError
from leverage_sim.scenario.loader import load_scenario
from leverage_sim.simulation.executors import make_executor
from tests.calibration_fixture import default_config

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "calibration" / "default.yaml"


# ---- the machinery on a toy simulator with a known posterior ----------------------------------
class NormalMean:
    """x_1..x_10 ~ N(mu, 1); the statistic is their mean. With a flat prior on [-5, 5] the
    posterior of mu given mean 1.0 is N(1.0, 1/10) (sd 0.316)."""

    calls = 0  # on the class: the sampler runs pickled copies of the simulator

    def __init__(self, interrupt_after: int | None = None) -> None:
        NormalMean.calls = 0
        self.interrupt_after = interrupt_after

    def __call__(self, values: dict[str, float], seed: int) -> dict[str, float]:
        NormalMean.calls += 1
        if self.interrupt_after is not None and NormalMean.calls > self.interrupt_after:
            raise KeyboardInterrupt  # as Ctrl-C would, mid-generation
        x = np.random.default_rng(seed).normal(values["mu"], 1.0, 10)
        return {"mean": float(x.mean())}


PRIORS = [Prior("mu", "uniform", -5.0, 5.0)]
TARGETS = [Target("mean", 1.0, 1.0, 1.0)]


def posterior_moments(history) -> tuple[float, float]:
    post = posterior_frame(history, PRIORS)
    w = post["weight"]
    mean = float(np.sum(w * post["mu"]))
    return mean, float(np.sqrt(np.sum(w * (post["mu"] - mean) ** 2)))


def test_recovers_analytic_posterior(tmp_path: Path) -> None:
    out = run_abc(NormalMean(), PRIORS, TARGETS, Budget(200, 6), seed=3, db=tmp_path / "h.db")
    mean, sd = posterior_moments(out.history)
    assert out.status == "complete" and out.history.max_t == 5
    assert mean == pytest.approx(1.0, abs=0.08)
    assert sd == pytest.approx(1 / np.sqrt(10), rel=0.2)


def test_a_range_leaves_the_parameter_free_inside_it(tmp_path: Path) -> None:
    """Observed 'between 0 and 3': the posterior spreads over about [0, 3], not a point."""
    wide = [Target("mean", 1.5, 0.0, 3.0)]
    out = run_abc(NormalMean(), PRIORS, wide, Budget(200, 5), seed=3, db=tmp_path / "h.db")
    mean, sd = posterior_moments(out.history)
    assert mean == pytest.approx(1.5, abs=0.25)
    assert sd > 0.6  # a uniform on [0, 3] has sd 0.87; a point observation gives 0.32


def test_interrupt_keeps_generations_and_resume_matches_a_full_run(tmp_path: Path) -> None:
    budget = Budget(60, 4)
    cut = run_abc(NormalMean(interrupt_after=250), PRIORS, TARGETS, budget, 9, tmp_path / "a.db")
    assert cut.status == "interrupted" and 0 <= cut.history.max_t < 3
    done = run_abc(NormalMean(), PRIORS, TARGETS, budget, 9, tmp_path / "a.db", resume=True)
    full = run_abc(NormalMean(), PRIORS, TARGETS, budget, 9, tmp_path / "b.db")
    assert done.status == "complete" and done.history.max_t == full.history.max_t == 3
    a, wa = done.history.get_distribution()
    b, wb = full.history.get_distribution()
    assert np.array_equal(a["mu"].to_numpy(), b["mu"].to_numpy()) and np.array_equal(wa, wb)


def test_candidates_do_not_depend_on_where_they_run() -> None:
    """The same candidate indices give the same draws in this process and in a pool, in any
    chunking: each candidate is seeded from (seed, generation, index)."""
    import cloudpickle

    payload = cloudpickle.dumps(lambda: np.random.random())
    here = simulate_candidates(payload, 5, 0, range(8))
    pool = make_executor("local", 2)
    try:
        sampler = SeededSampler(5, pool, 2)
        there = sampler._round(payload, 0, 0, 8)
    finally:
        pool.shutdown()
    assert here == there
    assert simulate_candidates(payload, 5, 1, range(8)) != here


# ---- the real thing, quick --------------------------------------------------------------------
def calibrate(*args: str) -> int:
    return main(["calibrate", *map(str, args), "--quiet"])


@pytest.fixture(scope="module")
def quick_runs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The default calibration with method: smc and --quick, twice with the same seed."""
    smc = default_config(tmp_path_factory.mktemp("smc"), method="smc")
    outs = []
    for i in range(2):
        out = tmp_path_factory.mktemp(f"quick{i}") / "cal"
        assert calibrate(smc, "--out", out, "--quick", "--workers", "2") == 0
        outs.append(out)
    return outs


def test_quick_calibration_writes_the_posterior_folder(quick_runs: list[Path]) -> None:
    out = quick_runs[0]
    for name in ("posterior.parquet", "manifest.json", "diagnostics.csv", "history.db",
                 "marginals.png", "pairs.png", "predictive.png", "report.html"):
        assert (out / name).is_file(), name
    manifest = json.loads((out / "manifest.json").read_text())
    config = yaml.safe_load(DEFAULT.read_text())
    paths = [p["path"] for p in config["parameters"]]
    post = pd.read_parquet(out / "posterior.parquet")
    assert list(post.columns) == [*paths, "weight"]
    assert len(post) == config["quick"]["population_size"]
    assert post["weight"].sum() == pytest.approx(1.0)
    assert post["foreign_forces.response_delay_days"].dtype == np.int64
    for p in manifest["parameters"]:
        assert post[p["path"]].between(p["low"], p["high"]).all()
    assert manifest["kind"] == "leverage-sim calibration" and manifest["status"] == "complete"
    assert manifest["base_scenario"]["values"]["foreign_forces.air_support"] == 2000
    assert [p["path"] for p in manifest["parameters"]] == paths
    roles = {e["name"]: e["role"] for e in manifest["episodes"]}
    files = {ep.spec.name: ep.spec.role for ep in map(load_episode, EPISODE_DIR.glob("*.yaml"))}
    assert roles == files and set(config["episodes"]) == {n for n, r in files.items() if r == "fit"}
    assert set(manifest["versions"]) == {"leverage_sim", "mesa", "pyabc", "python"}
    assert manifest["method"] == "smc"
    assert set(manifest["model_fingerprint"]) == {"code", "behaviour"}
    assert not Path(manifest["episodes"][0]["file"]).is_absolute()
    assert manifest["generations"] == config["quick"]["max_generations"]
    diag = pd.read_csv(out / "diagnostics.csv")
    assert list(diag["generation"]) == list(range(manifest["generations"]))
    assert (diag["acceptance_rate"] <= 1).all() and (diag["effective_sample_size"] > 0).all()


def test_same_seed_same_posterior(quick_runs: list[Path]) -> None:
    a, b = (pd.read_parquet(out / "posterior.parquet") for out in quick_runs)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert (quick_runs[0] / "posterior.parquet").read_bytes() == \
        (quick_runs[1] / "posterior.parquet").read_bytes()


def test_shipped_episodes_load_and_name_their_sources() -> None:
    files = sorted(EPISODE_DIR.glob("*.yaml"))
    assert {f.stem for f in files} >= {"june_2020_raid", "attacks_2020", "muslih_2021",
                                       "basra_2008", "dec2019_jan2020", "sadr_city_2008",
                                       "lebanon_2008", "najaf_2004"}
    for f in files:
        ep = load_episode(f)
        assert ep.spec.role in ("fit", "held_out")
        assert all(fact.sources for fact in ep.spec.facts)
    assert load_episode("muslih_2021").spec.role == "held_out"


# ---- bad calibration files: exit 2 and a message naming the problem ---------------------------


def bad_parameter(path: str, low: float = 0.1, high: float = 0.5) -> list[dict]:
    config = yaml.safe_load(DEFAULT.read_text())
    return [*config["parameters"], {"path": path, "prior": {"low": low, "high": high},
                                    "why": "test"}]


@pytest.mark.parametrize("changes, message", [
    ({"episodes": ["june_2020_raid", "muslih_2021"]}, "episode 'muslih_2021' is held out"),
    ({"episodes": ["june_2020_raidd"]}, "No episode named 'june_2020_raidd'"),
    ({"parameters": bad_parameter("government.not_a_field")},
     "parameter 'government.not_a_field' is not a numeric scenario parameter"),
    ({"parameters": bad_parameter("militias[XX].autonomy")}, "no entry named 'XX'"),
    ({"parameters": bad_parameter("events[najaf_operation].figures.not_a_figure")},
     "parameter 'events\\[najaf_operation\\].figures.not_a_figure' is not a numeric"),
    ({"parameters": bad_parameter("events[no_such_event].figures.sanctuary")},
     "none of the fit episodes' scenarios"),
    ({"parameters": bad_parameter("government.prior_backing", 0.1, 1.5)},
     r"goes beyond the schema's range \[0, 1\]"),
    ({"facts": ["june_2020_raid.kh_musterr"]}, "Did you mean 'june_2020_raid.kh_muster'"),
    ({"method": "smc", "budget": {"population_size": 0, "max_generations": 1,
                                  "max_simulations": 10}}, "'budget.population_size'"),
])
def test_bad_calibration_files_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture,
                                      changes: dict, message: str) -> None:
    if changes.get("facts"):
        changes["episodes"] = ["june_2020_raid"]
    code = calibrate(default_config(tmp_path, **changes), "--out", tmp_path / "out", "--quick")
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    assert pytest.importorskip("re").search(message, err), err


def test_malformed_yaml_and_unknown_statistic_exit_2(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nepisodes: [june_2020_raid\n")
    assert calibrate(bad, "--out", tmp_path / "o1") == 2
    assert "malformed YAML at line" in capsys.readouterr().err

    episode = yaml.safe_load((EPISODE_DIR / "june_2020_raid.yaml").read_text())
    episode["name"] = "my_episode"
    episode["facts"][0]["statistic"] = "cuont"
    (tmp_path / "my_episode.yaml").write_text(yaml.safe_dump(episode))
    path = default_config(tmp_path, episodes=[str(tmp_path / "my_episode.yaml")], facts=None)
    assert calibrate(path, "--out", tmp_path / "o2") == 2
    err = capsys.readouterr().err
    assert "my_episode.yaml" in err and "Unknown statistic 'cuont'" in err

    assert calibrate(tmp_path / "missing.yaml", "--out", tmp_path / "o3") == 2
    assert "does not exist" in capsys.readouterr().err


# ---- the shipped default and its table in docs/calibration.md ---------------------------------
SHIPPED = ROOT / "calibration" / "default"


@pytest.mark.skipif(not (SHIPPED / "manifest.json").is_file(), reason="no shipped posterior")
def test_docs_table_is_generated_from_the_shipped_posterior() -> None:
    from leverage_sim.calibration.table import refresh

    doc = ROOT / "docs" / "calibration.md"
    assert refresh(doc, SHIPPED) == doc.read_text(encoding="utf-8"), (
        "docs/calibration.md's posterior table is stale: run python -m "
        "leverage_sim.calibration.table")
    manifest = json.loads((SHIPPED / "manifest.json").read_text())
    config = yaml.safe_load(DEFAULT.read_text())
    assert [p["path"] for p in manifest["parameters"]] == [p["path"] for p in
                                                           config["parameters"]]


def test_weighted_quantiles() -> None:
    from leverage_sim.calibration.weighted import weighted_quantiles

    x = np.array([3.0, 1.0, 2.0])
    assert weighted_quantiles(x, np.ones(3), [0.5])[0] == pytest.approx(2.0)
    assert weighted_quantiles(x, np.array([0.0, 1.0, 0.0]), [0.5])[0] == pytest.approx(1.0)


def test_the_validation_table_in_the_docs_is_the_committed_posteriors():
    """docs/calibration.md's held-out table is the one rendered from calibration/
    default_validation/, which scored the committed posterior (make calibrate writes both)."""
    from leverage_sim.calibration.table import (
        VALIDATION_DIR,
        VALIDATION_END,
        VALIDATION_START,
        validation_table,
    )

    doc = (ROOT / "docs" / "calibration.md").read_text(encoding="utf-8")
    block = doc.split(VALIDATION_START, 1)[1].split(VALIDATION_END, 1)[0].strip()
    assert block == validation_table(VALIDATION_DIR, ROOT / "calibration" / "default"), (
        "docs/calibration.md's validation table is stale: run `make calibrate`")


def test_a_validation_of_another_posterior_is_refused(tmp_path):
    from leverage_sim.calibration.table import VALIDATION_DIR, validation_table

    other = tmp_path / "post"
    other.mkdir()
    (other / "posterior.parquet").write_bytes(b"another posterior")
    with pytest.raises(InputError, match="scored another posterior"):
        validation_table(VALIDATION_DIR, other)


def test_an_event_figure_is_a_parameter_of_the_scenarios_with_that_event() -> None:
    """An operation's sanctuary, named by its event (events[najaf_operation].figures.sanctuary,
    fitted in the shipped file): the calibration reads its field from the action's figures and
    its base value from the one fit episode whose scenario has that event (the value its file
    writes), and sets it there alone."""
    from leverage_sim.calibration.config import load_calibration
    from leverage_sim.scenario.loader import field_of
    from leverage_sim.simulation.posterior import value_at

    path = "events[najaf_operation].figures.sanctuary"
    assert field_of(path).annotation is float
    assert field_of("events[najaf_operation].figures.days").annotation is int
    cal = load_calibration(DEFAULT)
    (param,) = [p for p in cal.parameters if p.path == path]
    assert param.base_value == 0.5 and param.schema_range == (0, 1)
    assert [ep.name for ep in cal.episodes if ep.has_path(path)] == ["najaf_2004"]
    najaf = next(ep for ep in cal.episodes if ep.name == "najaf_2004")
    assert value_at(najaf.scenario({path: 0.8}), path) == 0.8
    with pytest.raises(LookupError):  # a mediation has no sanctuary
        value_at(load_scenario("najaf_2004"), "events[sistani_mediation].figures.sanctuary")
