"""Posterior folders: loading and its errors, seeded draws, and how a draw meets a scenario."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import leverage_sim as ls
from leverage_sim.simulation.posterior import Posterior, load_posterior, priors, resolve, value_at
from tests.posterior_fixture import BASE_VALUES, FOLDER, PRIORS, particles, write_posterior


@pytest.fixture(scope="module")
def posterior() -> Posterior:
    return load_posterior(FOLDER)


def test_loads_the_fixture(posterior):
    assert posterior.paths == tuple(BASE_VALUES)
    assert posterior.particles == 200 and posterior.weights.sum() == pytest.approx(1)
    assert len(posterior.sha256) == 64
    assert resolve(str(FOLDER)).sha256 == posterior.sha256
    assert resolve("none") is None and resolve(None) is None


def test_draws_are_seeded_weighted_and_typed(posterior):
    assert posterior.draw(123) == posterior.draw(123)
    draws = [posterior.draw(s) for s in range(50)]
    assert len({d["government.decision_sharpness"] for d in draws}) > 30
    assert all(isinstance(d["government.enforcement_capacity"], int) for d in draws)
    # weights count: a posterior with all weight on one particle always draws it
    table = particles()
    table["weight"] = 0.0
    table.loc[17, "weight"] = 1.0
    one = Posterior(posterior.path, posterior.paths, table[list(posterior.paths)].to_numpy(),
                    table["weight"].to_numpy(), posterior.integer, posterior.manifest)
    assert {one.draw_index(s) for s in range(20)} == {17}


def test_draw_does_not_touch_the_models_stream(posterior, replay):
    """The draw uses a child seed: the replay's own run is unchanged by drawing."""
    before = ls.run_one(replay, 99).summary
    posterior.draw(99)
    assert ls.run_one(replay, 99).summary == before


@pytest.mark.parametrize("change, message", [
    (lambda d: (d / "manifest.json").unlink(), "manifest.json is missing"),
    (lambda d: (d / "posterior.parquet").write_bytes(b"not parquet"), "cannot be read"),
    (lambda d: (d / "manifest.json").write_text("{oops"), "damaged"),
    (lambda d: write_posterior(d, status="interrupted"), "did not finish"),
    (lambda d: write_posterior(d, kind="something else"), "not a leverage-sim calibration"),
    (lambda d: write_posterior(d, particles().assign(weight=0.01)), "sum to 2"),
    (lambda d: write_posterior(d, particles().rename(
        columns={"militias[KH].mobilisation": "militias[KH].mobilization"})),
     "militias[KH].mobilization' is not a numeric scenario parameter"),
    (lambda d: write_posterior(d, particles().assign(**{"government.name": "x"})),
     "government.name"),
])
def test_bad_folders_are_input_errors(tmp_path, change, message):
    folder = write_posterior(tmp_path / "post")
    change(folder)
    with pytest.raises(ls.InputError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_posterior(folder)


def test_missing_folder(tmp_path, monkeypatch):
    with pytest.raises(ls.InputError, match="does not exist"):
        load_posterior(tmp_path / "nowhere")
    monkeypatch.setattr("leverage_sim.simulation.posterior.DEFAULT_DIR", tmp_path / "calibration")
    with pytest.raises(ls.InputError, match="no committed default calibration"):
        resolve("default")
    write_posterior(tmp_path / "calibration")
    assert resolve("default").path == tmp_path / "calibration"


def test_draw_applies_where_the_scenario_keeps_the_base_value(posterior, replay):
    use = posterior.use(replay)
    assert set(use.drawn) == set(BASE_VALUES) and not use.kept and not use.absent
    drawn = posterior.apply(replay, 5, use)
    for path, value in posterior.draw(5).items():
        assert value_at(drawn, path) == pytest.approx(value)
    assert drawn.events == replay.events  # scripted events untouched
    assert value_at(replay, "government.decision_sharpness") == 6.0  # original unchanged


def test_counterfactual_change_of_a_calibrated_parameter_is_kept(posterior, tmp_path):
    """A scenario that changes a calibrated parameter (here by `extends` and by --set) keeps
    its value; the other calibrated parameters take the draw."""
    (tmp_path / "blunt_pm.yaml").write_text(
        "extends: june_2020_replay\ngovernment:\n  decision_sharpness: 3.0\n")
    cf = ls.load_scenario(tmp_path / "blunt_pm.yaml",
                          ["militias[KH].mobilisation=0.45"])  # = the base value, but --set
    use = posterior.use(cf, fixed=["militias[KH].mobilisation"])
    assert use.kept == ("government.decision_sharpness", "militias[KH].mobilisation")
    drawn = posterior.apply(cf, 5, use)
    assert drawn.government.decision_sharpness == 3.0
    assert drawn.militias[0].mobilisation == 0.45
    assert drawn.government.enforcement_capacity == posterior.draw(5)[
        "government.enforcement_capacity"]


def test_absent_list_entries_are_skipped(posterior):
    generic = ls.load_scenario("generic_proxy_state")
    use = posterior.use(generic)
    if not any(m.name == "KH" for m in generic.militias):
        assert "militias[KH].mobilisation" in use.absent
    posterior.apply(generic, 1, use)  # does not raise


def test_run_with_posterior_is_deterministic_and_differs(replay):
    a = ls.run(replay, 6, seed=3, posterior=FOLDER)
    b = ls.run(replay, 6, seed=3, posterior=str(FOLDER))
    plain = ls.run(replay, 6, seed=3, posterior=None)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    pd.testing.assert_frame_equal(a.draws, b.draws)
    assert not a.summary.equals(plain.summary)
    assert plain.posterior is None and plain.draws.empty
    assert a.posterior["sha256"] == load_posterior(FOLDER).sha256
    assert list(a.draws["seed"]) == a.seeds
    # replication i is reproduced alone from its seed and its draw
    post = load_posterior(FOLDER)
    one = ls.run_one(post.apply(replay, a.seeds[4]), a.seeds[4], 4).summary
    assert one == a.summary.iloc[4].to_dict()


def test_overrides_given_to_run_are_fixed(replay):
    res = ls.run("june_2020_replay", 3, seed=1, overrides=["government.decision_sharpness=6"],
                 posterior=FOLDER)
    assert "government.decision_sharpness" in res.posterior["kept"]
    assert "government.decision_sharpness" not in res.draws


def test_priors_read_from_the_manifest(posterior, tmp_path):
    p = priors(posterior)
    assert p["government.decision_sharpness"].ppf(np.array([0.5])) == [7.0]
    folder = write_posterior(tmp_path / "p", parameters=[
        {"path": path, "family": "uniform", "bounds": [PRIORS[path]["low"], PRIORS[path]["high"]]}
        for path in BASE_VALUES])
    assert priors(load_posterior(folder))["militias[KH].mobilisation"].high == 0.8
    bad = write_posterior(tmp_path / "q", parameters={"government.decision_sharpness": {
        "family": "uniform", "low": 3, "high": 1}})
    with pytest.raises(ls.InputError, match="prior of 'government.decision_sharpness'"):
        priors(load_posterior(bad))


def test_reads_the_calibrate_manifest_shape(tmp_path, replay):
    """`calibrate` writes base_scenario: {name, values} and parameters as a list."""
    from tests.posterior_fixture import PRIORS

    folder = write_posterior(
        tmp_path / "c", base_scenario={"name": "june_2020_replay", "values": BASE_VALUES},
        parameters=[{"path": p, "family": v["distribution"], "low": v["low"],
                     "high": v["high"], "integer": False} for p, v in PRIORS.items()])
    manifest = json.loads((folder / "manifest.json").read_text())
    del manifest["base_values"]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    post = load_posterior(folder)
    assert post.base_values == BASE_VALUES
    assert post.record()["base_scenario"] == "june_2020_replay"
    assert set(post.use(replay).drawn) == set(BASE_VALUES)
    assert priors(post)["government.decision_sharpness"].low == 2.0
