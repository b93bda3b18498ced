"""Careless or hostile input found by the seventh audit (episode facts, sweep parameters):

- an episode fact on a statistic that only gives whole numbers (``count``, ``occurred``,
  ``days_until``) whose observed value (no range) or range holds no whole number (``observed:
  1.5``, ``range: [1.2, 1.8]``) was accepted: the fit chased a value no run can give, and
  ``validate-model`` only flagged it 'unreached' after every run;
- an episode whose ``overrides`` set ``seed`` (no run reads it: calibrate and validate-model
  seed every run), set ``horizon_days`` beside its own ``horizon_days`` (the override won
  unseen) or replace the whole ``events`` list beside its own ``events`` (dropped unseen); an
  episode event written ``{name: X, remove: true}`` as in an extending scenario (refused as an
  event missing its actor and action, with the fix "the file or the --set override");
- a sweep (file, ``--param`` or explore's ``--lever``) over a field of whole numbers (seats,
  fighters, capacities) with a continuous draw without ``integer: true``, a ``range`` whose
  steps fall between whole numbers (``[0, 15]`` in 3 steps gives 7.5) or a fractional value:
  refused only once the design was built, as "design point N is not a valid scenario" with
  the fix "Fix these fields in the file (or the --set override)", which named the scenario
  file, not the sweep's parameter, and not the fix (``integer: true``, other steps).
- a calibration file given to ``sweep`` or ``explore`` (or to ``SweepSpec.from_file``): about
  twenty "unknown field" problems, as if it were a broken sweep; an episode file given to them:
  "is a scenario, so say what to sweep with --param" (``run``, ``show``, ``validate`` and
  ``calibrate`` already said what kind of file it is).
- a folder of the user's beside ``--out NAME`` named ``.NAME.partial`` or ``.NAME.old`` (or
  ``.NAME.partial-*``, ``.NAME.old-*``), the names leverage-sim gives its temporary folders:
  deleted with everything in it, as a leftover of a killed run, by the next command on
  ``--out NAME``. A staged folder now holds its record from the moment it is made, and only a
  folder with a record (or a manifest) or an empty one is removed as a leftover.

Tried and already refused or handled, so not repeated here: YAML anchors, aliases and merge
keys in scenarios, episodes and sweep files (merged as YAML says; an alias loop or a billion
laughs refused); events sharing a name, dated twice, off the run, with a time, 30 February;
``--set`` on list entries by name or position, on whole entries, with empty, NaN or infinite
values; episode windows reversed, observed outside its range or the statistic's, cap missing
(defaults to 365), unknown statistics and arguments; calibration files with an unknown path,
a prior outside the schema, an episode or fact listed twice, a held-out episode, NaN or
infinite priors; sweeps with zero steps, no values, no parameters, equal ends; ``--out`` on a
file, below a file, on a user's folder (with and without ``--force``), on another verb's
folder, too long, empty or the current folder; seeds out of range, in hexadecimal, NaN; a
second sweep on a folder in use; ``calibrate --resume`` with a changed file.
"""

from __future__ import annotations

import pytest
import yaml

from leverage_sim.calibration.episodes import load_episode
from leverage_sim.errors import InputError
from leverage_sim.sweep.spec import SweepSpec
from tests.calibration_fixture import ROOT
from tests.test_hostile_inputs_fifth_audit import episode_with, set_fact


@pytest.mark.parametrize(("change", "said"), [
    (set_fact("relented", observed=1.5),
     ("fact 'relented': observed 1.5 (no range) is no whole number, but statistic count gives "
     "only whole numbers, so the fit could never match it: write a whole number, or a range "
     "around the value (e.g. range: [1, 2])")),
    (set_fact("attacks_2021_to_july", observed=50.5, range=[50.2, 50.8]),
     "fact 'attacks_2021_to_july': range [50.2, 50.8] holds no whole number"),
    (set_fact("days_to_release", observed=12.5, range=[12.5, 12.5]),
     "statistic days_until gives only whole numbers"),
])
def test_a_whole_number_fact_whose_range_holds_no_whole_number_is_refused(change, said,
                                                                          tmp_path):
    path = episode_with(tmp_path, change)
    with pytest.raises(InputError) as e:
        load_episode(path)
    assert str(e.value).startswith(f"{path}") and said in str(e.value)


@pytest.mark.parametrize("change", [
    set_fact("relented", observed=1.5, range=[1, 2]),   # a midpoint, with whole numbers around
    set_fact("days_to_release", observed=12.5, range=[12, 13]),
    set_fact("no_clash", observed=0, range=[0, 0]),
])
def test_a_whole_number_fact_with_a_whole_number_in_range_is_still_read(change, tmp_path):
    load_episode(episode_with(tmp_path, change))


RAID = {"name": "extra_raid", "date": "2021-06-01", "actor": "government", "action": "raid",
        "target": "KH", "figures": {"arrests": 3}}


@pytest.mark.parametrize(("change", "said"), [
    (lambda raw: raw.update(overrides={"seed": 7}),
     ("overrides sets 'seed', which no run reads: calibrate and validate-model give every run "
     "its own seed")),
    (lambda raw: raw.update(horizon_days=150, overrides={"horizon_days": 160}),
     "horizon_days (150) and overrides 'horizon_days' both set the run's days"),
    (lambda raw: raw.update(events=[RAID], overrides={"events": []}),
     ("overrides 'events' replaces the whole list of events after the episode's own events are "
     "added")),
    (lambda raw: raw.update(events=[{"name": "strikes_25_feb", "remove": True}]),
     ("events: 'strikes_25_feb' has remove, but an episode's events are added to its scenario's "
     "(only an extending scenario file removes one): write a scenario that extends this one "
     "with {name: strikes_25_feb, remove: true} and name it in 'scenario'")),
])
def test_an_episode_setting_what_its_runs_would_ignore_is_refused(change, said, tmp_path):
    path = episode_with(tmp_path, change)
    with pytest.raises(InputError) as e:
        load_episode(path)
    assert str(e.value).startswith(f"{path}") and said in str(e.value)


@pytest.mark.parametrize("change", [
    lambda raw: raw.update(overrides={"horizon_days": 190}),  # alone, it sets the days
    lambda raw: raw.update(events=[RAID], overrides={"events[strikes_25_feb].date": "2021-02-26"}),
    lambda raw: raw.update(overrides={"events": []}),
])
def test_an_episodes_own_overrides_and_events_are_still_read(change, tmp_path):
    load_episode(episode_with(tmp_path, change))


def sweep_file(tmp_path, parameter: dict, design: str = "lhs"):
    raw = {"base": "june_2020_replay", "design": design, "replications": 1, "seed": 1,
           "parameters": {"militias[AAH].seats": parameter}}
    if design != "grid":
        raw["samples"] = 4
    path = tmp_path / "seats.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


@pytest.mark.parametrize(("parameter", "design", "said"), [
    ({"low": 0, "high": 15}, "lhs",
     ("militias[AAH].seats holds whole numbers but a continuous uniform draw gives fractions: "
     "add integer: true")),
    ({"distribution": "normal", "mean": 5, "sd": 1, "low": 0}, "random",
     "a continuous normal draw gives fractions: add integer: true"),
    ({"range": [0, 15], "steps": 3}, "grid",
     ("militias[AAH].seats holds whole numbers, but range [0, 15] in 3 steps gives 7.5: choose "
     "steps so that (hi - lo) / (steps - 1) is whole")),
    ({"values": [1.5, 2]}, "grid", "militias[AAH].seats holds whole numbers, not 1.5"),
])
def test_a_sweep_giving_a_whole_number_field_a_fraction_names_the_parameter_and_fix(
        parameter, design, said, tmp_path):
    path = sweep_file(tmp_path, parameter, design)
    with pytest.raises(InputError) as e:
        SweepSpec.from_file(path)
    message = str(e.value)
    assert message.startswith(f"Sweep from {path}") and said in message
    assert "parameters['militias[AAH].seats']" in message


@pytest.mark.parametrize(("parameter", "design"), [
    ({"low": 0, "high": 15, "integer": True}, "lhs"),
    ({"range": [0, 15], "steps": 4}, "grid"),
    ({"values": [1.0, 2]}, "grid"),
])
def test_a_sweep_giving_a_whole_number_field_whole_numbers_is_read(parameter, design,
                                                                   tmp_path):
    SweepSpec.from_file(sweep_file(tmp_path, parameter, design))


def test_a_lever_over_a_whole_number_field_in_fractional_steps_is_refused_before_running(
        cli, tmp_path):
    out = tmp_path / "explore"
    code, _, err = cli("explore", "june_2020_replay", "--lever", "militias[AAH].seats=0:15:3",
                       "-n", 2, "--posterior", "none", "-q", "--executor", "serial",
                       "--out", out)
    assert code == 2, err
    assert "range [0, 15] in 3 steps gives 7.5" in err and "design point" not in err
    assert not out.exists()


@pytest.mark.parametrize(("given", "it_is"), [
    ("calibration/default.yaml", ("is not a sweep file but a calibration file (it has "
     "`base_scenario:` and `episodes:`): fit it with `leverage-sim calibrate")),
    ("episodes/june_2020_raid.yaml", ("is not a sweep file but an episode file (it has "
     "`facts:` and `scenario:`)")),
])
@pytest.mark.parametrize("verb", ["sweep", "explore"])
def test_a_file_of_another_kind_given_as_a_sweep_says_what_it_is(verb, given, it_is, cli,
                                                                 tmp_path):
    code, _, err = cli(verb, ROOT / given, "--out", tmp_path / "out", "-q")
    assert code == 2 and it_is in err and "unknown field" not in err
    assert not (tmp_path / "out").exists()
    with pytest.raises(InputError, match="is not a sweep file but"):
        SweepSpec.from_file(ROOT / given)


def test_a_scenario_file_is_still_swept_with_its_params(cli, tmp_path):
    code, _, err = cli("sweep", ROOT / "scenarios" / "june_2020_replay.yaml", "--param",
                       "foreign_forces.backing=0,1", "-n", 1, "--posterior", "none", "-q",
                       "--executor", "serial", "--out", tmp_path / "out")
    assert code == 0, err


@pytest.mark.parametrize("name", [".run.partial", ".run.old", ".run.old-backup",
                                  ".run.partial-1"])
def test_a_users_folder_under_a_temporary_name_beside_out_is_never_deleted(name, cli,
                                                                          tmp_path):
    mine = tmp_path / name
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    code, _, err = cli("run", "june_2020_replay", "-n", 1, "-q", "--posterior", "none",
                       "--set", "horizon_days=55", "--out", tmp_path / "run")
    assert code == 2 and f"'{mine}' is a folder leverage-sim did not write" in err
    assert "Rename or move it, or choose another --out" in err
    assert (mine / "notes.txt").read_text() == "mine" and not (tmp_path / "run").exists()


def test_a_killed_runs_temporary_folder_is_still_cleared(cli, tmp_path):
    """What a run killed while writing leaves, its staged folder with the record it starts
    with, is removed by the next run on the same --out."""
    from leverage_sim.files.output_dir import OutputFolder

    folder = OutputFolder(tmp_path / "run", "run", False, False, True, ())
    folder.claim()
    (folder.path / "militias.parquet").write_bytes(b"half")
    folder.release()  # as the OS does when the process is killed: the lock goes, files stay
    assert (tmp_path / ".run.partial").is_dir()
    code, _, err = cli("run", "june_2020_replay", "-n", 1, "-q", "--posterior", "none",
                       "--set", "horizon_days=55", "--out", tmp_path / "run")
    assert code == 0, err
    assert not (tmp_path / ".run.partial").exists() and (tmp_path / "run").is_dir()
