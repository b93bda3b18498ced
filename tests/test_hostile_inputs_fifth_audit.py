"""Careless or hostile input found by the fifth audit (user-written episode and calibration
files, posterior folders, files of one kind given where another goes, the Python API):

- episode facts: a date argument written as a number (``20210526``, read by pandas as
  nanoseconds after 1970), one excluded target written alone (it excluded nothing: its letters
  were excluded), a ``min_value`` that is text (a crash at run time) or not finite (it matched
  nothing), an infinite ``cap`` or ``within_days``, a ``share_in_window`` window reaching
  outside its ``start`` to ``end``, an observed value or range the statistic cannot give (a
  share above 1, a negative count, ``days_until`` above its cap), numbers written as text in a
  range (here and in a sweep's ``range``); a prior on a field of whole numbers that rounds to
  one value, or that picks a militia by its position;
- a calibration file given to ``show``/``validate`` (it was called an episode file, with 38
  problems listed), a scenario or calibration file given as an episode or a calibration;
- ``validate-model`` naming one episode twice (an internal error after every run);
- posterior tables without any parameter column, with a column for the whole run's days or
  seed, or with a column whose name is no path (the message did not name the file);
- ``load_sweep`` given no path (a TypeError) or ``lazy="no"`` (read as on);
- explore's ``--lever`` given twice (the message named ``--param``).
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import yaml

import leverage_sim as ls
from leverage_sim.calibration import statistics
from leverage_sim.calibration.config import load_calibration
from leverage_sim.calibration.episodes import load_episode
from leverage_sim.calibration.validation import from_episode_files
from leverage_sim.errors import InputError
from leverage_sim.scenario.distributions import Parameter
from leverage_sim.simulation.event_log import EventColumns
from leverage_sim.simulation.posterior import load_posterior
from leverage_sim.sweep.spec import SweepSpec
from tests.calibration_fixture import ROOT, tiny_config
from tests.posterior_fixture import manifest, particles, write_posterior

EPISODE = yaml.safe_load((ROOT / "episodes" / "muslih_2021.yaml").read_text())
SOURCES = EPISODE["facts"][0]["sources"]


def episode_with(tmp_path: Path, change) -> Path:
    """episodes/muslih_2021.yaml with ``change(raw)`` applied, in ``tmp_path/episodes``."""
    raw = copy.deepcopy(EPISODE)
    change(raw)
    path = tmp_path / "episodes" / "muslih_2021.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return path


def set_fact(name: str, **changes):
    """A change to the fact ``name``: ``arguments`` merged, other fields replaced."""
    def change(raw: dict) -> None:
        fact = next(f for f in raw["facts"] if f["name"] == name)
        fact["arguments"] = {**fact["arguments"], **changes.pop("arguments", {})}
        fact.update(changes)
    return change


def add_fact(**fact):
    """A change adding a fact (sources of the first fact)."""
    return lambda raw: raw["facts"].append({"sources": SOURCES, **fact})


SHARE = {"name": "share", "statistic": "share_in_window", "observed": 0.5,
         "arguments": {"action": "attack", "start": "2021-03-01", "end": "2021-04-01",
                       "window_start": "2021-03-10", "window_end": "2021-03-20"}}


@pytest.mark.parametrize(("change", "said"), [
    (set_fact("no_clash", arguments={"start": 20210526}),
     "facts[no_clash].arguments.start '20210526' is not a date (write YYYY-MM-DD)"),
    (set_fact("no_clash", arguments={"min_value": "1"}),
     "facts[no_clash].arguments.min_value '1' must be a number"),
    (set_fact("no_clash", arguments={"min_value": float("nan")}),
     "facts[no_clash].arguments.min_value nan must be a number"),
    (set_fact("days_to_release", arguments={"cap": float("inf")}),
     "facts[days_to_release].arguments.cap inf must be a whole number of days, 0 or more"),
    (add_fact(name="fb", statistic="followed_by", observed=1,
              arguments={"action": "attack", "response": "strike", "within_days": float("inf")}),
     "facts[fb].arguments.within_days inf must be a whole number of days"),
    (add_fact(**{**SHARE, "arguments": {**SHARE["arguments"], "window_start": "2021-02-01"}}),
     ("facts[share].arguments.window_start 2021-02-01 is before start 2021-03-01: the window "
     "must lie inside start to end")),
    (add_fact(**{**SHARE, "arguments": {**SHARE["arguments"], "window_end": "2021-05-01"}}),
     "window_end 2021-05-01 is after end 2021-04-01"),
    (add_fact(**{**SHARE, "observed": 33, "range": [25, 55]}),
     ("fact 'share': range [25, 55] reaches outside what statistic share_in_window can give "
     "(0 to 1), so the fit could never match it: write a value it can give (a share is "
     "written 0 to 1, not as a percentage)")),
    (set_fact("no_clash", range=[-5, 2]),
     "fact 'no_clash': range [-5, 2] reaches outside what statistic count can give (0 or more)"),
    (set_fact("muster_same_day", range=[0, 5]),
     "range [0, 5] reaches outside what statistic occurred can give (0 to 1)"),
    (set_fact("days_to_release", observed=45, range=[40, 50]),
     ("statistic days_until can give (0 to 40 days, its cap), so the fit could never match it: "
     "write a value it can give (or raise its cap)")),
    (set_fact("days_to_release", range=["12", "14"]),
     "'facts[days_to_release].range': entry 0 must be a number, not text"),
])
def test_a_fact_that_could_not_be_scored_as_written_is_refused(change, said, tmp_path):
    path = episode_with(tmp_path, change)
    with pytest.raises(InputError) as e:
        load_episode(path)
    assert str(e.value).startswith(f"{path}") and said in str(e.value)


@pytest.mark.parametrize("when", [dt.date(2021, 5, 26), "2021-05-26",
                                  dt.datetime(2021, 5, 26, 10)])
def test_dates_written_as_dates_or_iso_text_are_still_read(when):
    assert statistics.as_date(when) == dt.date(2021, 5, 26)
    assert statistics.as_date(20210526) is None
    assert statistics.as_date("2021-W21-3") is None


def test_one_excluded_target_written_alone_is_excluded_not_its_letters():
    """``exclude_targets: convoys`` passed the check as one target, but the statistic iterated
    over its letters and excluded nothing: an attack on the convoys counted."""
    events = pd.DataFrame({
        "day": [0, 1], "date": pd.to_datetime(["2021-01-01", "2021-01-02"]),
        "actor": ["KH", "KH"], "action": ["attack", "attack"],
        "target": ["convoys", "embassy"], "value": [1.0, 1.0]})
    columns = EventColumns.from_frame(events)
    as_list = statistics.select(columns, "attack", exclude_targets=["convoys"]).sum()
    alone = statistics.select(columns, "attack", exclude_targets="convoys").sum()
    assert as_list == alone == 1
    assert statistics.check_values("count", {"action": "attack", "exclude_targets": "convoys"},
                                   ["KH"], ["convoys", "embassy"]) == []


def test_a_sweep_range_written_as_text_is_refused():
    with pytest.raises(Exception, match="entry 0 must be a number, not text"):
        Parameter.model_validate({"range": ["0", "1"], "steps": 3})


def test_a_whole_number_prior_that_rounds_to_one_value_is_refused(tmp_path):
    """A prior of [100.2, 100.4] on a field of whole numbers: every draw was rounded to 100,
    so the parameter was "fitted" without ever moving."""
    narrow = {"path": "government.enforcement_capacity", "prior": {"low": 100.2, "high": 100.4},
              "why": "test"}
    with pytest.raises(InputError, match=r"prior \[100.2, 100.4\] of a field of whole numbers "
                                         r"holds one once rounded \(100\)"):
        load_calibration(tiny_config(tmp_path, parameters=[narrow]))
    wide = {**narrow, "prior": {"low": 100, "high": 101}}
    assert load_calibration(tiny_config(tmp_path, parameters=[wide])).parameters[0].integer


def test_a_calibration_parameter_picked_by_position_is_refused_naming_why(tmp_path):
    """``militias[0]`` is KH in one episode's scenario and JAM in another's; the error said the
    base scenario had "no entry '0'", which is not the problem."""
    by_position = {"path": "militias[0].mobilisation", "prior": {"low": 0.1, "high": 0.5},
                   "why": "test"}
    with pytest.raises(InputError, match=r"picks a list entry by its position \[0\].*Name the "
                                         r"entry, e.g. militias\[KH\].mobilisation"):
        load_calibration(tiny_config(tmp_path, parameters=[by_position]))


@pytest.mark.parametrize("given", [1, "yes"])
def test_a_switch_written_as_a_number_or_a_word_is_refused(given, tmp_path):
    """``adjust: 1`` or ``adjust: "yes"`` was read as true (pydantic's lax reading of a
    boolean); a switch of a schema node is written true or false, as in YAML."""
    table = {"start": 300, "max_simulations": 600, "accept": 60}

    def config(adjust: object) -> Path:
        return tiny_config(tmp_path, method="table", table={**table, "adjust": adjust},
                           table_quick=table)

    with pytest.raises(InputError, match=rf"adjust.*must be true or false, not {given!r}"):
        load_calibration(config(given))
    assert load_calibration(config(True)).spec.table.adjust is True


# ---- files of one kind given where another goes ----------------------------------------------
def test_a_calibration_file_named_as_a_scenario_is_called_a_calibration_file(cli):
    config = ROOT / "calibration" / "default.yaml"
    for verb in ("show", "validate"):
        code, _, err = cli(verb, config)
        assert code == 2
        assert "is not a scenario but a calibration file (it has `base_scenario:` and " \
               "`episodes:`)" in err and "episode file" not in err, err


@pytest.mark.parametrize(("given", "what", "it_is"), [
    ("scenarios/june_2020_replay.yaml", "an episode file", "a scenario (it has `militias:`)"),
    ("calibration/default.yaml", "an episode file", "a calibration file"),
])
def test_a_file_of_another_kind_given_as_an_episode_says_what_it_is(given, what, it_is):
    with pytest.raises(InputError) as e:
        load_episode(ROOT / given)
    assert f"is not {what} but {it_is}" in str(e.value) and "problems" not in str(e.value)


@pytest.mark.parametrize(("given", "it_is"), [
    ("scenarios/june_2020_replay.yaml", "a scenario (it has `militias:`)"),
    ("episodes/muslih_2021.yaml", "an episode file (it has `scenario:`)"),
])
def test_a_file_of_another_kind_given_as_a_calibration_says_what_it_is(given, it_is):
    with pytest.raises(InputError) as e:
        load_calibration(ROOT / given)
    assert f"is not a calibration file but {it_is}" in str(e.value)
    assert "problems" not in str(e.value)


def test_validate_model_refuses_an_episode_named_twice_before_running(tmp_path):
    with pytest.raises(InputError, match="Episode muslih_2021 is named more than once"):
        from_episode_files(["muslih_2021", ROOT / "episodes" / "muslih_2021.yaml"])


# ---- posterior tables --------------------------------------------------------------------------
def test_a_posterior_without_a_parameter_column_is_refused(tmp_path):
    folder = write_posterior(tmp_path / "p", particles()[["weight"]])
    with pytest.raises(InputError, match="has no parameter column besides 'weight'"):
        load_posterior(folder)


@pytest.mark.parametrize(("column", "said"), [
    ("horizon_days", "column 'horizon_days' is a setting of the whole run"),
    ("seed", "column 'seed' is a setting of the whole run"),
    ("bad path[", "column 'bad path[' is no path as --set takes it"),
    # a position is another militia in each scenario, and may name a field another column
    # names by its name (militias[0].mobilisation beside militias[KH].mobilisation)
    ("militias[0].mobilisation",
     "column 'militias[0].mobilisation' picks a list entry by its position [0]"),
])
def test_a_posterior_column_that_is_no_parameter_names_the_file(column, said, tmp_path):
    table = particles().rename(columns={"government.decision_sharpness": column})
    table[column] = 30.0
    folder = write_posterior(tmp_path / "p", table,
                             base_values={**manifest()["base_values"], column: 30})
    with pytest.raises(InputError) as e:
        load_posterior(folder)
    assert str(e.value).startswith(f"{folder / 'posterior.parquet'}: {said}")


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_a_base_value_that_is_no_finite_number_is_refused(value, tmp_path):
    folder = write_posterior(tmp_path / "p", particles(), base_values={
        **manifest()["base_values"], "government.decision_sharpness": value})
    with pytest.raises(InputError, match="'base_values' must be a mapping of parameter paths "
                                         "to finite numbers"):
        load_posterior(folder)


def test_a_posterior_folder_or_calibration_file_behind_a_symlink_loop_says_so(tmp_path):
    """A loop of symbolic links was reported as a path that "does not exist"."""
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(InputError, match=r"Posterior folder '.*a' is a symbolic link loop\."):
        load_posterior(tmp_path / "a")
    with pytest.raises(InputError, match=r"Calibration file '.*a' is a symbolic link loop\."):
        load_calibration(tmp_path / "a")


# ---- the Python API and explore ---------------------------------------------------------------
@pytest.mark.parametrize("out", [None, 5])
def test_load_sweep_names_a_folder_of_the_wrong_type(out):
    with pytest.raises(InputError, match="A sweep folder .its path. must be text or a pathlib"):
        ls.load_sweep(out)


def test_load_sweep_lazy_must_be_true_or_false(tmp_path):
    spec = SweepSpec.from_cli("june_2020_replay", ["foreign_forces.backing=0,1"],
                              overrides={"horizon_days": 3, "events": []}, seed=1)
    ls.run_sweep(spec, tmp_path / "s", executor="serial")
    with pytest.raises(InputError, match="lazy must be True or False"):
        ls.load_sweep(tmp_path / "s", lazy="no")
    assert len(ls.load_sweep(tmp_path / "s", lazy=False)) == 2


def test_a_lever_given_twice_is_named_as_a_lever():
    with pytest.raises(InputError, match="--lever 'foreign_forces.backing' is given twice.*"
                                         "one --lever"):
        ls.explore("june_2020_replay", levers=["foreign_forces.backing=0:1:2",
                                               "foreign_forces.backing=0:1:3"])
