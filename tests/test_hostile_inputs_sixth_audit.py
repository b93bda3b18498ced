"""Careless or hostile input found by the sixth audit (dates, sweep parameters, posterior
tables, the terminal's encoding):

- a ``start_date`` before 1677-09-22 or a run ending after 2262-04-11: the run finished, then
  writing its tables failed with an internal error (pandas timestamps hold no such date);
- a sweep parameter or prior with a field its kind does not read (``{low: 0, high: 1, mode:
  0.5}`` without ``distribution: triangular``, ``values`` with ``low``) ran with the field
  ignored; a truncated normal whose mean lies many sd outside its bounds put every draw at
  one bound;
- a posterior table without the column of a parameter its manifest lists (runs used the
  scenario's own value while saying they drew from the posterior), or with a fraction in a
  column of whole numbers (rounded unseen);
- a sweep folder whose ``summary/`` (or a part file) is a symbolic link: ``--resume`` wrote
  its runs where the link pointed, outside the folder (``--force`` already refused it);
- ``compare --variant seed=5``: the column ran with the comparison's one master seed, the
  variant's seed ignored (every effect exactly 0);
- a terminal whose encoding lacks ``·`` or ``—`` (``PYTHONIOENCODING=ascii``, ``LANG=C``
  with ``PYTHONUTF8=0``): an internal error on the first line printed.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pandas as pd
import pytest

from leverage_sim.analysis.comparison import columns
from leverage_sim.errors import InputError
from leverage_sim.scenario.distributions import Parameter
from leverage_sim.scenario.loader import load_scenario
from leverage_sim.scenario.schema import TABLE_DATES
from leverage_sim.simulation.posterior import load_posterior
from tests.posterior_fixture import particles, write_posterior


def test_the_table_dates_are_pandas_timestamps_whole_days():
    first, last = TABLE_DATES
    assert first == (pd.Timestamp.min + pd.Timedelta(days=1)).date()
    assert last == pd.Timestamp.max.date()


@pytest.mark.parametrize(("overrides", "said"), [
    (["start_date=1600-01-01"], "start_date 1600-01-01 is before 1677-09-22, the first date"),
    (["start_date=0001-01-01"], "start_date 0001-01-01 is before 1677-09-22"),
    (["start_date=2262-04-01", "horizon_days=30"],
     "start_date 2262-04-01 plus horizon_days 30 runs past 2262-04-11, the last date"),
    (["start_date=9000-01-01"], "runs past 2262-04-11"),
])
def test_a_run_whose_dates_no_table_can_hold_is_refused_before_running(overrides, said):
    with pytest.raises(InputError) as e:
        load_scenario("generic_proxy_state", overrides=overrides)
    assert said in str(e.value) and "generic_proxy_state.yaml" in str(e.value)


def test_the_first_and_last_dates_a_table_holds_still_run_and_save(tmp_path, cli):
    first, last = TABLE_DATES
    latest = last - dt.timedelta(days=20)
    for start in (first, latest):
        code, _, err = cli("run", "generic_proxy_state", "-n", 1, "--posterior", "none", "-q",
                           "--set", f"start_date={start}", "--set", "horizon_days=20",
                           "--set", "events=[]", "--out", tmp_path / str(start))
        assert code == 0, err
        events = pd.read_parquet(tmp_path / str(start) / "timeseries.parquet")
        assert len(events)


@pytest.mark.parametrize(("given", "said"), [
    ({"low": 0, "high": 1, "mode": 0.5}, "mode is not read by uniform"),
    ({"low": 0.1, "high": 1, "mean": 0.5, "sd": 0.1}, "mean, sd are not read by uniform"),
    ({"values": [0.1, 0.2], "low": 0}, "low is not read by values"),
    ({"range": [0, 1], "steps": 3, "integer": True}, "integer is not read by range"),
    ({"distribution": "triangular", "low": 0, "mode": 0.5, "high": 1, "sd": 0.1},
     "sd is not read by triangular"),
])
def test_a_field_the_parameters_kind_does_not_read_is_refused(given, said):
    with pytest.raises(ValueError, match=said):
        Parameter.model_validate(given)


@pytest.mark.parametrize("given", [
    {"low": 0, "high": 1, "integer": True},
    {"distribution": "normal", "mean": 0.5, "sd": 0.1, "low": 0, "high": 1},
    {"distribution": "normal", "mean": -4, "sd": 1, "low": 0},
    {"distribution": "triangular", "low": 0, "mode": 0.5, "high": 1},
    {"values": [1, 2], "integer": False},
    {"range": [0, 1], "steps": 3},
])
def test_parameters_written_with_the_fields_their_kind_reads_are_accepted(given):
    Parameter.model_validate(given)


@pytest.mark.parametrize(("given", "said"), [
    ({"mean": 100, "sd": 0.001, "low": 0, "high": 1}, "within its bounds (low 0.0, high 1.0)"),
    ({"mean": -6, "sd": 1, "low": 0}, "within its bounds (low 0.0)"),
])
def test_a_normal_with_no_mass_between_its_bounds_is_refused(given, said):
    with pytest.raises(ValueError, match=r"puts less than one draw in a million " + said.replace(
            "(", r"\(").replace(")", r"\)")):
        Parameter.model_validate({"distribution": "normal", **given})


def test_a_posterior_lacking_the_column_of_a_fitted_parameter_is_refused(tmp_path):
    table = particles().drop(columns="militias[KH].mobilisation")
    folder = write_posterior(tmp_path / "post", table)
    with pytest.raises(InputError) as e:
        load_posterior(folder)
    assert str(e.value).startswith(f"{folder / 'posterior.parquet'} has no column for "
                                   "militias[KH].mobilisation, which the calibration fitted")


def test_a_fraction_in_a_posterior_column_of_whole_numbers_is_refused(tmp_path):
    table = particles()
    table.loc[3, "government.enforcement_capacity"] = 250.5
    folder = write_posterior(tmp_path / "post", table)
    with pytest.raises(InputError, match=r"column 'government.enforcement_capacity' is a field "
                                         r"of whole numbers but holds 250.5, which a run would "
                                         "round"):
        load_posterior(folder)


def test_whole_numbers_written_as_floats_are_still_read(tmp_path):
    folder = write_posterior(tmp_path / "post")
    assert load_posterior(folder).particles == len(particles())


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"},
                                 {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0"}])
def test_a_terminal_without_utf8_gets_escapes_not_an_internal_error(env, tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "leverage_sim.cli", "run", "generic_proxy_state", "-n", "1",
         "--posterior", "none", "-q", "--set", "horizon_days=20", "--set", "events=[]"],
        check=False, capture_output=True, cwd=tmp_path, env={**os.environ, **env},
        timeout=120)
    assert run.returncode == 0, run.stderr
    assert b"events=[] \\xb7 parameters" in run.stdout


SWEEP = ("sweep", "generic_proxy_state", "--param", "foreign_forces.backing=0:1:2", "-n", 1,
         "--set", "horizon_days=40", "--posterior", "none", "-q", "--executor", "serial")


def test_resume_writes_nothing_through_a_symbolic_link_in_the_sweep_folder(cli, tmp_path):
    out, elsewhere = tmp_path / "o", tmp_path / "elsewhere"
    assert cli(*SWEEP, "--out", out)[0] == 0
    (out / "summary").rename(elsewhere)
    (out / "summary").symlink_to(elsewhere)
    before = sorted(p.name for p in elsewhere.iterdir())
    (elsewhere / next(iter(before))).unlink()  # a missing run: resume would write one
    code, _, err = cli(*SWEEP, "--out", out, "--resume")
    assert code == 2 and "summary is a symbolic link" in err and str(out) in err
    assert sorted(p.name for p in elsewhere.iterdir()) == before[1:]
    (out / "summary").unlink()
    elsewhere.rename(out / "summary")
    assert cli(*SWEEP, "--out", out, "--resume")[0] == 0
    assert sorted(p.name for p in (out / "summary").iterdir()) == before


@pytest.mark.parametrize("variant", ["seed=5", "foreign_forces.backing=0.1,seed=5", {"seed": 5}])
def test_a_variant_that_changes_the_seed_is_refused(variant):
    with pytest.raises(InputError, match=r"^Variant .*: A variant cannot change the seed: every "
                                         "column runs with one master seed"):
        columns("generic_proxy_state", variants=[variant])
    assert len(columns("generic_proxy_state", overrides=["seed=5"],
                       variants=["foreign_forces.backing=0.1"])) == 2


@pytest.mark.parametrize("args", [("run", "", "-n", 1),
                                  ("run", "june_2020_replay", "-n", 1, "--posterior", "")])
def test_an_empty_name_or_path_is_refused_as_empty(args, cli):
    """`--posterior ""` said "'.' is not a posterior folder" (the empty text read as the current
    folder): an empty name or path is now refused as empty, naming what it was meant to be."""
    code, out, err = cli(*args)
    assert code == 2 and not out
    assert "is empty: give one" in err and "Traceback" not in err
