"""--posterior through compare, sweeps (every executor) and the CLI verbs, and manifests."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

import leverage_sim as ls
from leverage_sim.analysis.comparison import compare
from leverage_sim.cli.main import main
from leverage_sim.simulation.posterior import load_posterior
from leverage_sim.sweep import SweepSpec, load_sweep, rerun, run_sweep
from tests.posterior_fixture import FOLDER, particles, write_posterior

PAIR = ("june_2020_replay", "june_2020_us_intervenes")


@pytest.fixture(scope="module")
def pair() -> list[ls.Scenario]:
    return [ls.load_scenario(n) for n in PAIR]


def test_compare_pairs_draws_and_reports_effects(pair):
    cmp = compare(pair, 30, seed=2, posterior=FOLDER)
    a, b = (r.draws for r in cmp.results.values())
    pd.testing.assert_frame_equal(a, b)  # same replication seed -> same parameter draw
    eff = cmp.effects().set_index("measure")
    held = eff.loc["held_firm"]
    s = {k: r.summary for k, r in cmp.results.items()}
    d = 100 * ((s[PAIR[1]]["held_firm"] > 0).astype(float) - (s[PAIR[0]]["held_firm"] > 0))
    assert held["effect"] == pytest.approx(d.mean())
    assert held["low"] <= held["effect"] <= held["high"] and held["low"] < held["high"]
    assert "held_firm" in cmp.effects_text() and "same parameter draw" in cmp.effects_text()
    again = compare(pair, 30, seed=2, posterior=FOLDER).effects()
    pd.testing.assert_frame_equal(cmp.effects(), again)
    plain = compare(pair, 30, seed=2).effects()
    assert not plain["effect"].equals(cmp.effects()["effect"])


def test_sweep_draws_per_run_identically_on_every_executor(tmp_path):
    spec = SweepSpec.from_cli("june_2020_replay", ["government.decision_sharpness=6,9"],
                              replications=6, seed=4, posterior=str(FOLDER))
    serial = load_sweep(run_sweep(spec, tmp_path / "s", executor="serial"))
    local = load_sweep(run_sweep(spec, tmp_path / "l", executor="local", workers=2))
    pd.testing.assert_frame_equal(serial, local)
    none = load_sweep(run_sweep(spec.with_changes(posterior="none"), tmp_path / "n",
                                executor="serial"))
    assert not serial["final_authority"].equals(none["final_authority"])
    manifest = json.loads((tmp_path / "s" / "manifest.json").read_text())
    assert manifest["posterior"]["sha256"] == load_posterior(FOLDER).sha256
    # the swept parameter keeps its values, even at the base value 6
    assert manifest["posterior"]["kept"] == ["government.decision_sharpness"]
    stored, new = rerun(tmp_path / "s", 7)
    assert stored == new


def test_sweep_run_is_the_same_run_as_ls_run(tmp_path):
    """One sweep run = replication with the same seed and draw via the runner."""
    spec = SweepSpec.from_cli("june_2020_replay", ["patron.instigation=0.6"], replications=3,
                              seed=4, posterior=str(FOLDER))
    row = load_sweep(run_sweep(spec, tmp_path / "s", executor="serial")).iloc[2]
    post = load_posterior(FOLDER)
    scenario = ls.load_scenario("june_2020_replay", {"patron.instigation": 0.6})
    one = ls.run_one(post.apply(scenario, int(row["seed"]),
                                post.use(scenario, ["patron.instigation"])), int(row["seed"]))
    assert one.summary["attacks"] == row["attacks"]
    assert one.summary["final_authority"] == row["final_authority"]


def test_resume_refuses_a_changed_posterior(tmp_path):
    folder = write_posterior(tmp_path / "post")
    spec = SweepSpec.from_cli("june_2020_replay", ["patron.instigation=0.5,0.6"],
                              replications=2, seed=1, posterior=str(folder))
    out = run_sweep(spec, tmp_path / "s", executor="serial")
    write_posterior(folder, particles(seed=8))
    with pytest.raises(ls.InputError, match="has changed since"):
        run_sweep(None, out, resume=True)


def test_cli_run_and_compare_record_the_posterior(tmp_path, capsys):
    sha = load_posterior(FOLDER).sha256
    assert main(["run", "june_2020_replay", "-n", "3", "-q", "--posterior", str(FOLDER),
                 "--out", str(tmp_path / "r")]) == 0
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text())
    assert manifest["posterior"]["sha256"] == sha
    assert len(pd.read_parquet(tmp_path / "r" / "draws.parquet")) == 3
    assert main(["compare", *PAIR, "-n", "5", "-q", "--posterior", str(FOLDER),
                 "--out", str(tmp_path / "c")]) == 0
    text = capsys.readouterr().out
    assert "june_2020_us_intervenes: held_firm" in text and "90% interval" in text
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert manifest["posterior"]["sha256"] == sha
    assert set(pd.read_csv(tmp_path / "c" / "effects.csv")["scenario"]) == {PAIR[1]}
    assert main(["run", "june_2020_replay", "-n", "2", "-q", "--posterior", "none",
                 "--out", str(tmp_path / "n")]) == 0
    assert json.loads((tmp_path / "n" / "manifest.json").read_text())["posterior"] is None


def test_cli_bad_posterior_is_a_clear_error_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad"
    shutil.copytree(FOLDER, bad)
    (bad / "posterior.parquet").unlink()
    for verb in (["run", "june_2020_replay"], ["compare", *PAIR]):
        assert main([*verb, "-n", "2", "--posterior", str(bad), "--out",
                     str(tmp_path / "o")]) == 2
        assert "posterior.parquet is missing" in capsys.readouterr().err
        assert not (tmp_path / "o").exists()
    assert main(["sweep", "june_2020_replay", "--param", "patron.instigation=0.5,0.6",
                 "--posterior", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert not (tmp_path / "o").exists()


TOLERANCE = "foreign_forces.casualty_tolerance"


def _tolerance_posterior(folder, fitted_scenarios: dict):
    """The small posterior with the casualty tolerance added (20 in every particle; 6 in the
    base scenario), fitted on the scenarios ``fitted_scenarios`` names with their values."""
    from tests.posterior_fixture import BASE_VALUES, PRIORS

    table = particles()
    table[TOLERANCE] = 20.0
    return load_posterior(write_posterior(
        folder / "p", table, base_values={**BASE_VALUES, TOLERANCE: 6.0},
        parameters={**PRIORS, TOLERANCE: {"distribution": "uniform", "low": 2, "high": 30}},
        fitted_scenarios=fitted_scenarios))


def test_a_parameter_fitted_on_an_episode_is_drawn_on_its_scenario(tmp_path):
    """oct2019_dec2020 sets casualty_tolerance 12 (the base scenario has 6); the calibration
    fitted it on that scenario, so there it is drawn, while a counterfactual change of it on
    the base scenario is kept and named in the inputs line."""
    from leverage_sim.scenario.loader import load_scenario
    from leverage_sim.simulation.provenance import posterior_text

    path = TOLERANCE
    post = _tolerance_posterior(tmp_path, {"oct2019_dec2020": {path: 12.0}})
    assert path in post.use(load_scenario("oct2019_dec2020")).drawn
    changed = load_scenario("june_2020_replay", {path: 12})
    use = post.use(changed)
    assert path in use.kept
    text = posterior_text(post.record(use))
    assert f"kept at the scenario's own values, not drawn: {path}" in text


def test_a_value_inherited_from_a_fitted_scenario_is_drawn(tmp_path, monkeypatch):
    """A scenario that extends a fitted episode's scenario and inherits its value unchanged is
    drawn as that scenario is (sadr_city_2008 from basra_2008); one that changes the value
    keeps it (the counterfactual). Cut the ``extends`` chain out of the comparison and the
    inherited value counts as a change against the base scenario, kept: the test fails."""
    from leverage_sim.scenario.loader import lineage, load_scenario

    path = TOLERANCE
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "basra_cf.yaml").write_text(
        "extends: basra_2008\nforeign_forces: {casualty_tolerance: 50}\n", encoding="utf-8")
    (mine / "basra_same.yaml").write_text(
        "extends: sadr_city_2008\nquestion: the same as Sadr City\n", encoding="utf-8")
    monkeypatch.setenv("LEVERAGE_SIM_SCENARIO_PATH", str(mine))
    (mine / "via_path.yaml").write_text("extends: basra_cf.yaml\n", encoding="utf-8")
    assert lineage("basra_same") == ("basra_same", "sadr_city_2008", "basra_2008")
    assert lineage("via_path") == ("via_path", "basra_cf", "basra_2008")  # as the loader reads it
    post = _tolerance_posterior(tmp_path, {"basra_2008": {path: 500.0}})
    for inherits in ("sadr_city_2008", "basra_same"):
        assert path in post.use(load_scenario(inherits)).drawn, inherits
    assert path in post.use(load_scenario("basra_cf")).kept
    assert path in post.use(load_scenario("najaf_2004")).kept  # its own value, no fitted parent
