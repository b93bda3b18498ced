"""Careless input the tenth and eleventh audits left as low severity, fixed later:

- a posterior particle edited outside its own prior (inside the schema's range, so nothing
  refused it and every run drew the edited value);
- ``--holds held_firm>true``: Python reads true as 1, so it asked for two won standoffs,
  silently (true/false now compares only with a yes/no column such as us_withdrawn);
- a sweep's design.parquet edited by hand: the sensitivity analysis (``design_problem``)
  computed its indices on the edited design, silently (the manifest's ``tables_sha256`` now
  holds its hash too, and a resume that rewrites a missing design records the new one)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import leverage_sim as ls
from leverage_sim.analysis.robust import check_question
from leverage_sim.cli.main import main as cli
from leverage_sim.errors import InputError
from leverage_sim.simulation.posterior import load_posterior
from leverage_sim.sweep.results import design_problem
from tests.posterior_fixture import PRIORS, particles, write_posterior


@pytest.mark.parametrize(("path", "value"), [("militias[KH].mobilisation", 0.95),
                                             ("government.decision_sharpness", 1.5),
                                             ("government.enforcement_capacity", 2000.0)])
def test_a_particle_outside_its_prior_is_refused(tmp_path, path, value):
    """Both calibration methods draw every particle from the manifest's priors; a value outside
    them (here inside the schema's range) was edited in, and every run drawing it would say it
    came from the calibration."""
    table = particles()
    table.loc[3, path] = value
    folder = write_posterior(tmp_path / "p", table)
    with pytest.raises(InputError) as e:
        load_posterior(folder)
    text = str(e.value)
    assert "posterior.parquet" in text and f"'{path}'" in text and "prior" in text
    assert "manifest.json" in text and "run the calibration again" in text


def test_particles_on_the_ends_of_their_priors_are_accepted(tmp_path):
    table = particles()
    for path, prior in PRIORS.items():
        table.loc[0, path], table.loc[1, path] = prior["low"], prior["high"]
    assert load_posterior(write_posterior(tmp_path / "p", table)).particles == len(table)


def test_a_normal_prior_without_bounds_refuses_nothing(tmp_path):
    table = particles()
    table.loc[0, "militias[KH].mobilisation"] = 0.999
    folder = write_posterior(tmp_path / "p", table, parameters={
        **PRIORS, "militias[KH].mobilisation": {"distribution": "normal", "mean": 0.5,
                                                "sd": 0.01}})
    assert load_posterior(folder).particles == len(table)


@pytest.mark.parametrize("holds", ["held_firm>True", "relents==false", "attacks>=yes"])
def test_a_count_compared_with_true_or_false_is_refused(holds):
    """Python reads true as 1: ``held_firm>true`` asked for two won standoffs, silently."""
    with pytest.raises(InputError, match="true/false only a yes/no column"):
        check_question(holds, {}, 0.5, 90)


@pytest.mark.parametrize("holds", ["us_withdrawn==true", "us_withdrawn==1", "held_firm>0",
                                   "us_withdrawn"])
def test_yes_no_columns_still_compare_with_true_or_false(holds):
    check_question(holds, {}, 0.5, 90)


@pytest.fixture(scope="module")
def sweep_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("leftovers") / "sweep"
    assert cli(["sweep", "june_2020_replay", "--param", "foreign_forces.backing=0.2,0.8",
                "--param", "government.enforcement_capacity=300,600", "-n", "2", "--set",
                "horizon_days=5", "--set", "events=[]", "--posterior", "none", "--out",
                str(out), "-q"]) == 0
    return out


def _edit_design(out: Path) -> None:
    path = out / "design.parquet"
    design = pd.read_parquet(path)
    design.loc[0, "foreign_forces.backing"] = 0.99
    design.to_parquet(path, index=False)


def test_an_edited_design_is_refused_by_the_analysis_and_the_resume(sweep_folder, tmp_path,
                                                                    capsys):
    """design.parquet (the unit-cube design SALib's indices are computed on) was not hashed:
    an edited design gave other sensitivity indices, silently."""
    problem, x, _ = design_problem(sweep_folder)  # untouched: read
    assert x.shape == (4, 2) and problem["names"][0] == "foreign_forces.backing"
    out = shutil.copytree(sweep_folder, tmp_path / "s")
    _edit_design(out)
    with pytest.raises(InputError, match=r"design\.parquet is not the file the sweep wrote"):
        design_problem(out)
    last = max((out / "summary").glob("*.parquet"))
    last.unlink()  # as if stopped before its runs
    capsys.readouterr()
    assert cli(["sweep", "--resume", "--out", str(out), "-q"]) == 2
    assert "design.parquet is not the file the sweep wrote" in capsys.readouterr().err


def test_a_missing_design_is_rewritten_on_resume_and_then_read(sweep_folder, tmp_path):
    out = shutil.copytree(sweep_folder, tmp_path / "s")
    (out / "design.parquet").unlink()
    max((out / "summary").glob("*.parquet")).unlink()
    assert cli(["sweep", "--resume", "--out", str(out), "-q"]) == 0
    _, x, _ = design_problem(out)
    np.testing.assert_array_equal(x, design_problem(sweep_folder)[1])


def test_a_sweep_whose_manifest_has_no_design_hash_is_still_read(sweep_folder, tmp_path):
    """Sweeps written before the design's hash was recorded are checked on the others."""
    out = shutil.copytree(sweep_folder, tmp_path / "s")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    del manifest["tables_sha256"]["design"]
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert design_problem(out)[1].shape == (4, 2)
    assert cli(["rerun", str(out), "--run-id", "1"]) == 0


@pytest.mark.parametrize("quick", [True, False])
def test_runs_drawing_from_a_quick_calibration_say_so(tmp_path, quick):
    """A ``calibrate --quick`` folder given to --posterior was labelled "calibrated posterior
    ... (N particles)" like a real fit, though its figures mean nothing (docs/calibration.md)."""
    folder = write_posterior(tmp_path / "p", quick=quick)
    res = ls.run("june_2020_replay", 1, seed=1, posterior=folder,
                 overrides={"horizon_days": 3, "events": []})
    assert ("QUICK: a `calibrate --quick` fit" in res.inputs) is quick
    assert "calibrated posterior" in res.inputs


def test_list_leaves_out_files_of_other_kinds_and_joins_a_listed_question(tmp_path, capsys):
    """``list --scenario-dir`` showed sweep and episode files as scenarios ("(no question
    given)"), and a question written as a YAML list as "['a', 'b']"."""
    folder = tmp_path / "mine"
    folder.mkdir()
    shutil.copy(Path("scenarios/sweeps/backing_sweep.yaml"), folder)
    shutil.copy(Path("episodes/lebanon_2008.yaml"), folder / "my_episode.yaml")
    (folder / "lines.yaml").write_text("extends: june_2020_replay\nquestion: [Does it, hold?]\n",
                                       encoding="utf-8")
    assert cli(["list", "--scenario-dir", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert "backing_sweep" not in out and "my_episode" not in out
    assert "backing_sweep.yaml is left out: it is a sweep file" in err
    assert "my_episode.yaml is left out: it is an episode file" in err
    assert "Does it hold?" in out and "june_2020_replay" in out


@pytest.mark.parametrize(("field", "value"), [("method", {"x": 1}), ("informed", "KH"),
                                              ("informed", [1, 2]), ("simulations", "many"),
                                              ("simulations", -5), ("ess", None),
                                              ("converged", "yes"), ("quick", 1)])
def test_a_manifest_field_reports_show_is_refused_with_the_wrong_type(tmp_path, field, value):
    """Fields only reports show (the brief's "rests on N simulated histories ... effective
    sample size"): a wrong type there failed `run --brief` with an internal error after every
    run, and the results were lost with the folder."""
    folder = write_posterior(tmp_path / "p", **{field: value})
    with pytest.raises(InputError, match=rf"manifest\.json: '{field}' must be"):
        load_posterior(folder)


def test_manifest_fields_of_the_right_type_are_read(tmp_path):
    folder = write_posterior(tmp_path / "p", method="table", informed=list(PRIORS),
                             simulations=1000, ess=250.5, converged=True, quick=False)
    assert load_posterior(folder).particles == len(particles())
