"""Careless or hostile input found by the ninth audit (overrides that rename, the dashboard's
file names, ``run_one``'s replication, named pipes in a sweep folder):

- ``--set 'militias[KH].name=KX'`` (or a site's or an event's ``name``) on ``run`` or
  ``compare``, or ``--variant 'militias[KH].name=KX'``, and ``ls.compare(...,
  overrides={...name...})``: refused with "Override 'militias[KH].name': no entry named 'KH'
  in that list (it has 4 entries; names: KX, AAH, Nujaba, KSS)", a message blaming the user's
  own rename, although ``ls.run`` and ``sweep --param 'militias[KH].name=...'`` ran it. The
  scenario was loaded with its overrides, then given to ``run`` with the same overrides, which
  applied them a second time (to a scenario where KH was already KX). A loaded scenario now
  notes the overrides that made it (``Scenario.overrides``), and ``run`` applies its
  overrides again only if they are not those;
- the dashboard's "save as scenario file" under a file name that is no scenario name (the file's
  name is the scenario's: a bidirectional override ``\\u202eevil.yaml``, a newline, over 100
  characters, surrounding spaces): the file was written, then every verb refused to read it
  ("'name': a name must not contain control characters"). It is now refused before anything
  is written, naming the file and the fix;
- ``ls.run_one(scenario, seed, replication=...)`` with ``"a"``, ``None``, ``1.5``, ``-5`` or
  ``True``: written as such into the ``replication`` column of every table. It is now a whole
  number from 0 (checked as a seed is);
- a named pipe (FIFO) in a sweep's folder in place of ``manifest.json``, ``runs.parquet`` or a
  part of ``summary/``: ``sweep --resume``, ``rerun`` and ``load_sweep`` waited for ever on it
  (not even SIGTERM ended the wait). It is now refused, naming the file and the fix, as a part
  whose name is not UTF-8 was.

Tried and already refused or handled, so not repeated here: ``--set`` of true/false, ``.inf``,
``1e400``, full-width digits, 30 February, an event's ``day`` beside its ``date``; scenario files
with duplicate keys, a byte-order mark (read), UTF-16, empty, a list, a folder or named pipe
named ``.yaml``, ``extends`` itself or ``/dev/zero``; ``/dev/stdin`` as a scenario; named pipes
given as sweep, calibration or episode files or in a posterior folder; sweeps with a reversed
range (run high to low), ``nan`` or ``inf`` values, true/false, a fractional seed, two spellings
of one path, a path given twice by name and by position; ``rerun`` with a run id out of range,
negative, fractional or in hexadecimal, on a folder that holds no sweep, after its manifest's
seed was edited (reproduced: the seeds are stored per run); ``--resume`` after the base scenario
file was edited (the stored scenario is used); the same sweep with ``--executor serial`` and
with two workers in chunks of one (identical runs); ``--out`` through a symbolic link to a run
folder (replaced with ``--force``), to a user's folder (refused), a dangling one (refused), with
a trailing slash, with ``..``, with a tab; ``calibrate`` with ``--out`` on the shipped
calibration or a file, given an episode, a missing file, ``--resume`` with nothing to resume;
``validate-model -n 0`` or given a scenario; ``--format CSV``, ``--brief`` without ``--out``,
``--seed 2**63``; the Python API given bytes, a NaN override, ``posterior=123``, an unknown
engine, ``memory_limit=0``, a text to ``summarise``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import leverage_sim as ls
from leverage_sim.dashboard.scenario_file import save_scenario

SHORT = ("-n", 2, "-q", "--posterior", "none", "--set", "horizon_days=10", "--set", "events=[]")


# ---- an override that renames a list entry, applied twice -----------------------------------
@pytest.mark.parametrize("args", [
    ("run", "june_2020_replay", "--set", "militias[KH].name=KX"),
    ("run", "june_2020_replay", "--set", "foreign_forces.sites[embassy].name=chancery"),
    ("compare", "june_2020_replay", "kh_decapitated", "--set", "militias[KH].name=KX"),
    ("compare", "june_2020_replay", "--variant", "militias[KH].name=KX"),
])
def test_an_override_that_renames_an_entry_is_applied_once(args, cli):
    code, _, err = cli(*args, *SHORT)
    assert code == 0, err
    assert "no entry named" not in err


def test_compare_in_python_runs_a_renamed_entry():
    cmp = ls.compare(["june_2020_replay", "kh_decapitated"], 2, posterior=None,
                     overrides={"militias[KH].name": "KX", "horizon_days": 10, "events": []})
    assert set(cmp.results["kh_decapitated"].militias["militia"]) == {"KX", "AAH", "Nujaba",
                                                                       "KSS"}


def test_a_scenario_notes_its_overrides_and_run_applies_others():
    made = ls.load_scenario("june_2020_replay", ["militias[KH].name=KX", "horizon_days=10",
                                                 "events=[]"])
    assert made.overrides == {"militias[KH].name": "KX", "horizon_days": 10, "events": []}
    assert ls.load_scenario(made, {"horizon_days": 12}).overrides == {**made.overrides,
                                                                       "horizon_days": 12}
    res = ls.run(made, 1, 1, {"horizon_days": 12}, posterior=None)  # other overrides: applied
    assert res.summary["replication"].tolist() == [0] and len(res.timeseries) == 12


# ---- the dashboard's scenario file under a name no scenario can have ------------------------
@pytest.mark.parametrize(("name", "said"), [
    ("\u202eevil.yaml", "must not contain control characters"),
    ("x\ny.yaml", "must not contain control characters"),
    ("a" * 101 + ".yaml", "at most 100 characters"),
    (" padded.yaml", "must not start or end with spaces"),
])
def test_saving_a_scenario_file_under_no_scenario_name_is_refused(name, said, tmp_path):
    with pytest.raises(ls.InputError, match="Cannot save the scenario as .*its file name "
                       "without .yaml is the scenario's name") as e:
        save_scenario(ls.load_scenario("amarah_2008"), tmp_path / name)
    assert said in str(e.value) and "Choose another file name" in str(e.value)
    assert list(tmp_path.iterdir()) == []
    saved = save_scenario(ls.load_scenario("amarah_2008"), tmp_path / "my basra.yaml")
    assert ls.load_scenario(saved).name == "my basra"  # a space inside a name is fine


# ---- run_one's replication --------------------------------------------------------------------
@pytest.mark.parametrize("replication", ["a", None, 1.5, -5, True])
def test_run_one_refuses_a_replication_that_is_no_whole_number(replication):
    scenario = ls.load_scenario("june_2020_replay", {"horizon_days": 5, "events": []})
    with pytest.raises(ls.InputError, match="^replication must be a whole number from 0"):
        ls.run_one(scenario, 3, replication=replication)
    assert ls.run_one(scenario, 3, replication=7).summary["replication"] == 7


# ---- a named pipe in a sweep's folder --------------------------------------------------------
SWEEP = ("sweep", "generic_proxy_state", "--param", "foreign_forces.backing=0:1:2", "-n", 1,
         "--set", "horizon_days=40", "--posterior", "none", "-q", "--executor", "serial")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
@pytest.mark.parametrize(("name", "verb"), [
    ("manifest.json", ("sweep", "--resume", "--out")),
    ("runs.parquet", ("rerun", "--run-id", "0")),
    ("summary/part-000000001-000000001.parquet", ("sweep", "--resume", "--out")),
    ("summary/part-000000001-000000001.parquet", ("rerun", "--run-id", "0")),
])
def test_a_named_pipe_in_a_sweep_folder_is_refused_not_waited_on(name, verb, cli, tmp_path):
    out = tmp_path / "o"
    assert cli(*SWEEP, "--out", out)[0] == 0
    (out / name).unlink()
    os.mkfifo(out / name)
    command = [*verb, str(out)] if verb[0] == "sweep" else [verb[0], str(out), *verb[1:]]
    try:  # the old code waited for ever on the pipe: a timeout is the failure
        done = subprocess.run([sys.executable, "-m", "leverage_sim.cli", *command],
                              check=False, capture_output=True, text=True, timeout=90)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{' '.join(command)} waited on the named pipe {name}")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
    assert f"{Path(name).name} was not written by the sweep: it is not a regular file" \
        in done.stderr and "Remove it" in done.stderr
