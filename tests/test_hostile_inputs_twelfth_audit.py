"""Careless or hostile input found by the twelfth audit (entries removed in an extending file,
episode facts on a run's bookkeeping, NumPy true/false and dates written as numbers in text,
an exploration's sweep, the environment of the command line):

- ``{name: KH, remove: true, autonomy: 0.3}`` in an extending scenario (or ``{name: ct_raid,
  remove: true, date: 2020-06-01}``, meant to move the event): the entry was removed and the
  fields beside ``remove`` dropped, unseen; ``{remove: true}`` without a name was refused as
  "removes nothing: no inherited entry is named None". Both are now refused, naming the entry,
  the fields and the two ways to fix it;
- an episode fact ``statistic: summary_value`` on ``column: seed`` or ``column: replication``
  (the run's own seed and index, no outcome of the model): accepted by ``validate``,
  ``calibrate`` and ``validate-model``, which would fit or score parameters against a random
  seed. Refused now, listing the outcome columns;
- ``ls.load_scenario(..., overrides={"government.resolve": np.bool_(True)})`` (or
  ``ls.run``, a sweep spec built in Python, the dashboard's levers): a NumPy true/false was
  read as the number 1 or 0 in a numeric field, while Python's ``True`` (and ``--set
  ...=true``) is refused. Refused as true/false now, as Python's is;
- ``start_date: "1588809600"`` (a date written as a number in quotes, in a file, an event's
  ``date``, ``--set``, a sweep's values): pydantic read it as seconds after 1 January 1970 and
  ran from 2020-05-07 (``"20200507"`` was refused as "Datetimes provided to dates should have
  zero time"), while the same number unquoted was refused as "not a number". Any number
  written as text is now refused as a date, with the same message;
- ``leverage-sim sweep ... --out EXPLORE/sweep --force`` (or ``sweep --resume`` there):
  replaced (or continued) the sweep an exploration's answer was computed from, a folder inside
  another verb's folder; the next ``explore --resume`` then answered another sweep's question
  (other levers, another scenario) in the exploration's folder. A part of a folder
  leverage-sim wrote is now written only by the verb that claimed that folder, in its own
  process; another command there is refused, with the ``explore --resume`` that continues it
  (``rerun`` and ``load_sweep`` still read it);
- ``MPLBACKEND`` set to a name matplotlib refuses (``MPLBACKEND=nosuch``, a typo): ``sweep``,
  ``compare``, ``explore``... printed a Python traceback before parsing their arguments, and
  ``run --out`` ran every replication, then ended in "internal error" and wrote nothing. The
  command line draws into files only, so it now uses matplotlib's file backend (Agg)
  whatever ``MPLBACKEND`` says; the Python API leaves the user's backend alone;
- ``NUMBA_DISABLE_JIT=1`` (numba's debugging switch) with the fast engine (the default of
  ``sweep``, ``calibrate``, ``validate-model``): every sweep run failed with
  "AttributeError: 'function' object has no attribute 'signatures'" and ``validate-model``
  ended in an internal error. The fast engine is now refused up front under it, naming the
  variable and ``--engine agent``.

Tried and already refused or handled, so not repeated here: scenario files with several YAML
documents, an empty document or only a comment, ``...`` ending the document, a tab in the
indentation, an unhashable, null or numeric key, nesting over 50 levels, merge keys inside
list entries, an anchor of one section merged into another (its fields named as unknown);
``extends`` as a list, ``./NAME``, ``NAME.yaml`` beside no such file, in other capitals,
``~`` or ``$HOME``, given twice; ``remove: true`` in a file without ``extends``, ``remove:
"true"`` or ``1``, removing an entry that is not inherited; ``seed`` negative, fractional,
above 2**63-1 or text; ``start_date`` with a time, ``2020-5-7``, ``7 May 2020``, padded with
spaces, an ISO week; events with a negative, fractional or text ``day``, a numeric action,
null or list ``figures``, a list ``note``, 1e9 troops, ``set`` of ``horizon_days``, by
position or of a name; ``--set`` with no ``=``, an empty path, ``==``, anchors, aliases,
``!!float``, ``..`` in the path, ``[]``, ``[+1]``, ``[1.0]``, ``[-0]``, a huge position,
``remove`` on an entry, ``extends``; ``--seed`` -5, 1.5 or given twice (the last wins, as
argparse does for every single-valued option); ``--out`` on ``/``, the repository, a link
to a user's folder (with ``--force``: refused; below it: written there), a dangling link;
``HOME`` unset, ``LANG=C``, ``PYTHONHASHSEED`` 1 and 2 (identical tables), ``TMPDIR``
missing, ``NUMBA_NUM_THREADS=abc``, ``NUMBA_CACHE_DIR`` on a file, ``OMP_NUM_THREADS=-1``,
an interactive ``MPLBACKEND`` without a display; sweep files with 0, -3, true, 2.0 or "2"
replications, ``values`` not a list or empty or mixed, ``parameters`` a list or with a
numeric key, one step, 2.5 steps, a three-number range, 10**10 points, a design in capitals,
``overrides`` a list, ``outputs`` a list, a parameter both swept and fixed, a posterior
folder of no calibration; ``--param`` with ``0:1:0``, ``0:1:-1``, ``0::3``, ``0:1:3:4``,
trailing or doubled commas, ``-0.0,0.0``, ``1e-400``, a fractional draw of a whole-number
field, a Sobol' sample count of 3; episode facts with NaN, infinite or true/false observed
values, a one-number or scalar range, a mapping of facts, null or list arguments, no
statistic or observed value, sources as text, an unknown summary column, ``within_days`` -1,
a fractional ``cap``, a role of null, overrides as text or null or out of range, an event
on a militia the scenario lacks or named as one of the scenario's; ``validate-model`` with
``--posterior none``, a validate-model folder as posterior, ``-n 1``, a missing episode
file, a scenario name; ``rerun`` of a run or calibrate folder or of an explore folder;
``sweep``/``calibrate``/``explore --resume`` of another verb's folder; ``explore --force``
over a run folder; the Python API given NumPy seeds and counts, a float NumPy seed, text
seeds, ``Decimal`` and ``Fraction`` values, a ``pandas.Timestamp``, ``np.datetime64``, a
datetime with a time, keys that are no text, empty variants, ``Results.save`` to None, ``""``
or 5 or twice, ``force="yes"``, ``summarise`` of an empty table, ``run_sweep`` with a chunk
size of 0, workers as text, an executor in capitals.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import leverage_sim as ls
from leverage_sim.calibration.episodes import load_episode
from leverage_sim.errors import InputError
from tests.test_hostile_inputs_fifth_audit import add_fact, episode_with

REPLAY = "june_2020_replay"


def _extending(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(f"extends: {REPLAY}\n{body}", encoding="utf-8")
    return path


@pytest.mark.parametrize(("body", "said"), [
    ("militias:\n  - {name: KSS, remove: true, autonomy: 0.3}\n",
     "{name: KSS, remove: true} also gives autonomy, which removing 'KSS' would drop unseen"),
    ("events:\n  - {name: ct_raid, remove: true, date: 2020-06-01}\n",
     "{name: ct_raid, remove: true} also gives date"),
    ("foreign_forces:\n  sites:\n    - {remove: true}\n",
     "{remove: true} without a name removes nothing"),
])
def test_an_entry_removed_beside_other_fields_or_without_a_name_is_refused(body, said,
                                                                            tmp_path):
    path = _extending(tmp_path, body)
    with pytest.raises(InputError) as e:
        ls.load_scenario(path)
    assert str(e.value).startswith(str(path)) and said in str(e.value)
    assert "None" not in str(e.value)


def test_an_entry_removed_by_its_name_alone_or_changed_is_still_read(tmp_path):
    path = _extending(tmp_path, "militias:\n  - {name: KSS, remove: true}\n"
                      "  - {name: KH, autonomy: 0.3}\n")
    scenario = ls.load_scenario(path)
    assert [m.name for m in scenario.militias] == ["KH", "AAH", "Nujaba"]
    assert scenario.militias[0].autonomy == 0.3


@pytest.mark.parametrize("column", ["seed", "replication"])
def test_a_fact_on_the_runs_own_seed_or_index_is_refused(column, tmp_path):
    path = episode_with(tmp_path, add_fact(name="bookkeeping", statistic="summary_value",
                                           arguments={"column": column}, observed=1))
    with pytest.raises(InputError) as e:
        load_episode(path)
    text = str(e.value)
    assert text.startswith(str(path)) and f"column '{column}' is the run's {column}" in text
    assert "Give an outcome column (raids, arrests," in text


def test_a_fact_on_an_outcome_column_is_still_read(tmp_path):
    load_episode(episode_with(tmp_path, add_fact(name="attacks", statistic="summary_value",
                                                 arguments={"column": "attacks"}, observed=40)))


@pytest.mark.parametrize(("path", "value"), [
    ("government.resolve", np.bool_(True)),
    ("government.resolve", np.bool_(False)),
    ("militias[KH].seats", np.bool_(True)),
])
def test_a_numpy_true_or_false_is_not_read_as_a_number(path, value):
    with pytest.raises(InputError) as e:
        ls.load_scenario(REPLAY, overrides={path: value})
    assert "not true/false" in str(e.value) and path in str(e.value)


def test_numpy_numbers_are_still_read_as_numbers():
    scenario = ls.load_scenario(REPLAY, overrides={"government.resolve": np.float64(0.25),
                                                   "militias[KH].seats": np.int64(3)})
    assert scenario.government.resolve == 0.25 and scenario.militias[0].seats == 3


@pytest.mark.parametrize("text", ["1588809600", "20200507", "1588809600000", "nan"])
def test_a_date_written_as_a_number_in_quotes_is_refused(text, tmp_path):
    path = _extending(tmp_path, f'start_date: "{text}"\n')
    with pytest.raises(InputError) as e:
        ls.load_scenario(path)
    assert "'start_date': must be a date written YYYY-MM-DD, not a number" in str(e.value)
    with pytest.raises(InputError) as e:
        ls.load_scenario(REPLAY, overrides={"events[ct_raid].date": text})
    assert "(ct_raid).date': must be a date written YYYY-MM-DD, not a number" in str(e.value)


def test_dates_written_as_dates_or_iso_text_are_still_read(tmp_path):
    import datetime as dt

    path = _extending(tmp_path, 'start_date: "2020-05-01"\n')
    assert ls.load_scenario(path).start_date == dt.date(2020, 5, 1)
    scenario = ls.load_scenario(REPLAY, overrides={"events[ct_raid].date": "2020-06-26"})
    assert scenario.events[0].date == dt.date(2020, 6, 26)


TINY = ("--posterior", "none", "-n", 1, "--set", "horizon_days=5", "--set", "events=[]",
        "-q", "--executor", "serial")


def test_another_command_never_replaces_or_resumes_an_explorations_sweep(cli, tmp_path):
    out = tmp_path / "ex"
    assert cli("explore", REPLAY, "--lever", "government.resolve=0.2,0.8", *TINY,
               "--out", out)[0] == 0
    stored = (out / "sweep" / "runs.parquet").read_bytes()
    code, _, err = cli("sweep", "kh_decapitated", "--param", "government.authority=0.1,0.9",
                       *TINY, "--out", out / "sweep", "--force")
    assert code == 2 and f"is part of '{out}', a folder leverage-sim wrote (explore)" in err
    assert f"leverage-sim explore --resume --out {out}" in err
    code, _, err = cli("sweep", "--resume", "--out", out / "sweep", "-q")
    assert code == 2 and "is part of" in err
    assert (out / "sweep" / "runs.parquet").read_bytes() == stored
    # the exploration itself still continues its sweep, and its runs are still read
    assert cli("explore", "--resume", "--out", out, "-q")[0] == 0
    assert cli("rerun", out / "sweep", "--run-id", 1)[0] == 0


def _cli_process(tmp_path: Path, env: dict[str, str], *argv: object
                 ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "leverage_sim.cli", *map(str, argv)],
                          check=False, capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, **env}, timeout=180)


def test_a_matplotlib_backend_that_does_not_exist_does_not_stop_the_command_line(tmp_path):
    sweep = _cli_process(tmp_path, {"MPLBACKEND": "nosuch"}, "sweep", REPLAY, "--param",
                         "government.resolve=0.2,0.8", *TINY, "--out", tmp_path / "s")
    assert sweep.returncode == 0, sweep.stderr
    assert "Traceback" not in sweep.stderr and (tmp_path / "s" / "report.html").is_file()
    run = _cli_process(tmp_path, {"MPLBACKEND": "nosuch"}, "run", REPLAY, *TINY[:-2],
                       "--out", tmp_path / "r")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "r" / "overview.png").is_file()


def test_the_fast_engine_with_numbas_compiler_off_is_refused_up_front(tmp_path):
    sweep = _cli_process(tmp_path, {"NUMBA_DISABLE_JIT": "1"}, "sweep", REPLAY, "--param",
                         "government.resolve=0.2,0.8", *TINY, "--out", tmp_path / "s")
    assert sweep.returncode == 2
    assert "NUMBA_DISABLE_JIT" in sweep.stderr and "--engine agent" in sweep.stderr
    assert "AttributeError" not in sweep.stderr and not (tmp_path / "s").exists()
