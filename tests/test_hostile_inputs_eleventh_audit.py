"""Careless or hostile input found by the eleventh audit (calibration files and folders, posterior
manifests, a sweep folder edited by hand, the dashboard's scenario file):

- a calibration file listing one parameter twice under two spellings (``militias[KH].autonomy``
  and ``militias[ KH ].autonomy``): the calibration ran to its end (24 "parameters" fitted),
  and its posterior could not be used: every run with it failed ("Overrides ... set the same
  field"). Refused before anything runs, naming both spellings; a posterior table with two
  such columns is refused by ``load_posterior``, naming posterior.parquet;
- a posterior manifest whose prior of a parameter reaches outside the scenario schema's range
  (edited by hand): ``validate-model`` ran every posterior run, then failed at the first prior
  draw with a message listing two dozen overrides and not the manifest. Refused when the
  priors are read, naming manifest.json and the parameter;
- ``calibrate --resume`` of a folder whose manifest.json lacks ``status`` (or has one no
  calibration writes): "internal error: KeyError: 'status'"; of a table-method folder whose
  reference.parquet is damaged (cut short): "internal error: ArrowInvalid", after the
  manifest was rewritten. Both are now refused before the folder is touched, naming the file;
- the table method's "Interrupted ... Continue with" line left out ``--seed``, so the command
  it gave after ``calibrate --seed 7`` was refused ("calibrated with another ... seed");
- a sweep folder whose runs.parquet gives a run a seed edited by hand: ``sweep --resume`` ran
  the missing runs with the edited seeds, silently (a seed in, other results out); ``rerun``
  ran it and reported "not reproduced" (exit 3, as if the model or platform had changed; a
  negative seed as an error row). Both now refuse it (exit 2) as an edited or damaged folder,
  checking the seeds of the runs about to run against the manifest's master seed (which its
  plan_sha256 vouches for); ``rerun`` also refuses a stored row whose seed was edited. Likewise
  points.parquet edited (another value of a parameter): resumed and rerun runs used the edited
  values. A sweep's manifest now records the SHA-256 of points.parquet and runs.parquet
  (``tables_sha256``), which ``--resume`` and ``rerun`` check;
- the dashboard's ``save_scenario`` given an ``origin`` with a newline (the Python API): the
  text after it became a line of YAML in the saved file (``extends: ...``, silently changing
  the scenario); given a path that is None, bytes or holds a NUL character: a TypeError or
  ValueError. Now the origin stays on its comment line and such paths are refused by name.
"""

from __future__ import annotations

import json
import shutil
import types
from pathlib import Path

import pandas as pd
import pytest
import yaml

import leverage_sim as ls
from leverage_sim.calibration.config import load_calibration
from leverage_sim.calibration.outputs import MANIFEST_KIND
from leverage_sim.calibration.resume import check_resumable
from leverage_sim.cli.main import main as cli
from leverage_sim.dashboard.scenario_file import MARK, save_scenario
from leverage_sim.errors import InputError
from leverage_sim.simulation.posterior import load_posterior, priors
from tests.posterior_fixture import BASE_VALUES, PRIORS, particles, write_posterior

DEFAULT = Path(__file__).resolve().parents[1] / "calibration" / "default.yaml"


def _calibration_file(folder: Path, **changes) -> Path:
    """A copy of calibration/default.yaml with ``changes`` (a list of ``parameters`` to add
    under ``more``)."""
    data = yaml.safe_load(DEFAULT.read_text(encoding="utf-8"))
    data["parameters"] += changes.pop("more", [])
    data.update(changes)
    path = folder / "mine.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("spelling", ["militias[ KH ].autonomy", "militias[  KH].autonomy"])
def test_a_calibration_parameter_listed_under_two_spellings_is_refused(tmp_path, spelling):
    extra = {"path": spelling, "prior": {"low": 0.5, "high": 1.0}, "why": "twice"}
    with pytest.raises(InputError) as e:
        load_calibration(_calibration_file(tmp_path, more=[extra]))
    text = str(e.value)
    assert "'militias[KH].autonomy'" in text and f"'{spelling}'" in text
    assert "one field" in text and "mine.yaml" in text


def test_a_calibration_parameter_listed_twice_as_written_is_still_named_so(tmp_path):
    extra = {"path": "government.prior_backing", "prior": {"low": 0.1, "high": 0.5},
             "why": "twice"}
    with pytest.raises(InputError, match="parameters listed twice: government.prior_backing"):
        load_calibration(_calibration_file(tmp_path, more=[extra]))


def test_a_posterior_with_two_columns_for_one_field_is_refused(tmp_path):
    table = particles()
    table.insert(0, "militias[ KH ].mobilisation", table["militias[KH].mobilisation"])
    folder = write_posterior(
        tmp_path / "p", table,
        base_values={**BASE_VALUES, "militias[ KH ].mobilisation": 0.45},
        parameters={**PRIORS, "militias[ KH ].mobilisation": PRIORS["militias[KH].mobilisation"]})
    with pytest.raises(InputError) as e:
        load_posterior(folder)
    text = str(e.value)
    assert "posterior.parquet" in text and "'militias[ KH ].mobilisation'" in text
    assert "one field" in text


@pytest.mark.parametrize("prior", [
    {"distribution": "uniform", "low": 0.2, "high": 1.5},
    {"family": "uniform", "low": -3.0, "high": -1.0},
    {"distribution": "normal", "mean": 0.5, "sd": 0.1},  # no bounds: reaches past 0 and 1
])
def test_a_posterior_prior_outside_the_schema_is_refused_when_read(tmp_path, prior):
    folder = write_posterior(tmp_path / "p",
                             parameters={**PRIORS, "militias[KH].mobilisation": prior})
    with pytest.raises(InputError) as e:
        priors(load_posterior(folder))
    text = str(e.value)
    assert "manifest.json" in text and "'militias[KH].mobilisation'" in text
    assert "schema" in text


def test_a_posterior_prior_inside_the_schema_is_still_read(tmp_path):
    folder = write_posterior(tmp_path / "p", parameters={
        **PRIORS, "militias[KH].mobilisation": {"distribution": "uniform", "low": 0, "high": 1}})
    assert set(priors(load_posterior(folder))) == set(PRIORS)


@pytest.fixture(scope="module")
def calibration():
    return load_calibration(DEFAULT)


def _resumable(folder: Path, cal, **changes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    record = {"kind": MANIFEST_KIND, "config": {"path": str(DEFAULT), "sha256": cal.sha256},
              "seed": 7, "quick": True, "status": "interrupted", **changes}
    record = {k: v for k, v in record.items() if v is not None}
    (folder / "manifest.json").write_text(json.dumps(record), encoding="utf-8")
    return folder


@pytest.mark.parametrize("status", [None, 5, "done"])
def test_resume_refuses_a_manifest_without_a_status_it_writes(tmp_path, calibration, status):
    out = _resumable(tmp_path / "c", calibration, status=status)
    with pytest.raises(InputError) as e:
        check_resumable(out, calibration, 7, True)
    assert "manifest.json is damaged" in str(e.value) and "'status'" in str(e.value)


def test_resume_refuses_a_damaged_reference_table_before_touching_the_folder(tmp_path,
                                                                              calibration):
    out = _resumable(tmp_path / "c", calibration)
    pd.DataFrame({"u:x": [0.5] * 50}).to_parquet(out / "reference.parquet")
    whole = (out / "reference.parquet").read_bytes()
    assert check_resumable(out, calibration, 7, True)["status"] == "interrupted"  # intact
    (out / "reference.parquet").write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InputError, match=r"reference\.parquet is damaged"):
        check_resumable(out, calibration, 7, True)
    assert check_resumable(_resumable(tmp_path / "d", calibration), calibration, 7,
                           True)["status"] == "interrupted"  # stopped before any rows: fine


def test_calibrate_resume_of_a_manifest_without_status_is_an_error_not_a_crash(
        tmp_path, calibration):
    from leverage_sim.calibration.run import calibrate

    out = _resumable(tmp_path / "c", calibration, status=None)
    before = (out / "manifest.json").read_bytes()
    with pytest.raises(InputError, match="'status'"):  # was KeyError: 'status'
        calibrate(calibration, out, quick=True, seed=7, executor="serial", resume=True,
                  quiet=True)
    assert (out / "manifest.json").read_bytes() == before


def test_the_table_methods_resume_hint_keeps_the_seed(tmp_path, capsys):
    from leverage_sim.cli.calibrate_cmd import _table_message

    args = types.SimpleNamespace(config="mine.yaml", quick=True, seed=7)
    result = types.SimpleNamespace(status="interrupted", exit_code=130)
    assert _table_message(args, tmp_path, result) == 130
    assert "--resume --quick --seed 7" in capsys.readouterr().err
    args.seed = None  # the file's seed: nothing to add
    _table_message(args, tmp_path, result)
    assert "--seed" not in capsys.readouterr().err


@pytest.fixture(scope="module")
def sweep_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("eleventh") / "sweep"
    assert cli(["sweep", "june_2020_replay", "--param", "foreign_forces.backing=0.2,0.8",
                "-n", "2", "--set", "horizon_days=5", "--set", "events=[]", "--posterior",
                "none", "--out", str(out), "-q"]) == 0
    return out


def _copy(folder: Path, to: Path) -> Path:
    shutil.copytree(folder, to)
    return to


def _edit_seed(out: Path, run_id: int, table: str = "runs.parquet") -> int:
    path = (out / table) if table == "runs.parquet" else next(
        p for p in sorted((out / "summary").glob("*.parquet"))
        if run_id in set(pd.read_parquet(p)["run_id"]))
    rows = pd.read_parquet(path)
    rows.loc[rows.run_id == run_id, "seed"] = 12345
    rows.to_parquet(path, index=False)
    return 12345


def _without_table_hashes(out: Path) -> None:
    """The folder as a sweep written before manifests recorded ``tables_sha256``."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest.pop("tables_sha256", None)
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize("hashes", [True, False])
def test_rerun_refuses_a_run_whose_seed_was_edited(sweep_folder, tmp_path, capsys, hashes):
    assert cli(["rerun", str(sweep_folder), "--run-id", "1"]) == 0  # untouched: reproduced
    for i, table in enumerate(["runs.parquet", "summary"]):
        out = _copy(sweep_folder, tmp_path / f"s{i}")
        if not hashes:
            _without_table_hashes(out)
        _edit_seed(out, 1, table)
        capsys.readouterr()
        assert cli(["rerun", str(out), "--run-id", "1"]) == 2  # was 3, "not reproduced"
        err = capsys.readouterr().err
        assert "runs.parquet" in err and "edited or damaged" in err


@pytest.mark.parametrize("hashes", [True, False])
def test_resume_refuses_a_run_whose_seed_was_edited_before_running_it(sweep_folder, tmp_path,
                                                                      capsys, hashes):
    out = _copy(sweep_folder, tmp_path / "s")
    if not hashes:
        _without_table_hashes(out)
    last = max((out / "summary").glob("*.parquet"))
    missing = int(pd.read_parquet(last)["run_id"].iloc[0])
    last.unlink()  # as if the sweep had been stopped before that run
    _edit_seed(out, missing)
    capsys.readouterr()
    assert cli(["sweep", "--resume", "--out", str(out), "-q"]) == 2  # ran it with seed 12345
    assert "runs.parquet" in capsys.readouterr().err
    assert len(list((out / "summary").glob("*.parquet"))) == 3
    fresh = _copy(sweep_folder, tmp_path / "t")
    if not hashes:
        _without_table_hashes(fresh)
    max((fresh / "summary").glob("*.parquet")).unlink()
    assert cli(["sweep", "--resume", "--out", str(fresh), "-q"]) == 0  # untouched: resumes


def test_resume_and_rerun_refuse_parameter_values_edited_in_points(sweep_folder, tmp_path,
                                                                  capsys):
    out = _copy(sweep_folder, tmp_path / "s")
    max((out / "summary").glob("*.parquet")).unlink()
    points = pd.read_parquet(out / "points.parquet")
    points["foreign_forces.backing"] = 0.5
    points.to_parquet(out / "points.parquet", index=False)
    capsys.readouterr()
    assert cli(["sweep", "--resume", "--out", str(out), "-q"]) == 2  # ran 0.5, not 0.8
    assert "points.parquet" in capsys.readouterr().err
    assert cli(["rerun", str(out), "--run-id", "0"]) == 2  # "reproduced" at 0.5
    assert "points.parquet" in capsys.readouterr().err


def test_a_saved_scenarios_origin_stays_on_its_comment_line(tmp_path):
    scenario = ls.load_scenario("june_2020_replay")
    path = save_scenario(scenario, tmp_path / "mine.yaml",
                         origin="june_2020_replay\nextends: basra_2008\x1b[2J")
    first, second = path.read_text(encoding="utf-8").splitlines()[:2]
    assert first.startswith(MARK) and "extends: basra_2008" in first and "\x1b" not in first
    assert not second.startswith("extends")
    again = ls.load_scenario(str(path))
    assert again.name == "mine" and again.militias == scenario.militias


@pytest.mark.parametrize("path", [None, b"mine.yaml", "mi\x00ne.yaml", 5])
def test_saving_a_scenario_to_no_path_is_refused_by_name(tmp_path, monkeypatch, path):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="path|NUL"):
        save_scenario(ls.load_scenario("june_2020_replay"), path)
    assert list(tmp_path.iterdir()) == []
