"""Careless or hostile input found by the tenth audit (explore's question and its resume, the
names a claim of an output folder uses beside it, sweep fields a design never reads, the
Python API's explore and sweep arguments):

- ``explore --holds 'relents==O'`` (a letter O for a zero), ``relents==null``,
  ``relents==2020-01-01`` or ``held_firm>1e400`` (an infinite threshold), and
  ``ls.summarise(runs, outcomes=["relents==none"])``: a count compared with text, nothing or
  infinity is never true, so the exploration ran every run and answered "holds in 0% of runs"
  at every setting; ``relents==[0]`` ran every run, then ended in an internal error. A
  comparison on a column of numbers (or true/false) now takes a finite number or true/false,
  and anything else is refused before any run, naming the condition;
- ``explore --resume --out DIR`` with ``--lever``, ``-n``, ``--seed``, ``--design``,
  ``--samples``, ``--posterior``, ``--set``, ``--quick`` or ``--scenario-dir`` (and
  ``ls.explore(None, levers, resume=True, ...)``): they were silently ignored (the stored
  sweep was continued and answered as it was), while ``sweep --resume`` refuses them. They are
  now refused, naming each; the question's options (``--holds``, ``--max``...) still apply;
- a user's file beside ``--out NAME`` named ``.NAME.lock`` (the claim's lock) was truncated,
  written with the owner's pid and then deleted when the verb ended, and a link so named was
  written through to where it points; a user's ``.NAME.swap.tmp`` (the replacement's journal)
  was deleted. Such a file is now refused and left untouched, as a folder of the user's named
  ``.NAME.partial`` already was; a lock or journal leverage-sim left (empty, or its JSON) is
  still taken over;
- a sweep (file, mapping or ``SweepSpec.from_cli``) with ``levels`` on a design other than
  morris, ``second_order: true`` on one other than sobol/saltelli, or ``outputs: {every: N}``
  without ``timeseries: true``: run as if the field were not there (``samples`` on a grid, and
  ``--every`` without ``--timeseries``, were already refused). Now refused naming the field;
- ``ls.explore(scenario, 5)``, ``levers=[0.5]``, ``holds=5``, ``limits=5`` and
  ``SweepSpec.from_cli(base, 5)``: a TypeError or AttributeError; ``limits="attacks=80"`` was
  read letter by letter. Now a one-paragraph error naming the argument, and one text is one
  limit.

Tried and already refused or handled, so not repeated here: ``extends`` cycles, chains over 20
files, to ``/etc/passwd``, a list, a number, an empty text, an absolute path or ``..``;
``--holds`` with NaN, an empty condition, hexadecimal, code after ``;``; ``--max`` with NaN,
infinity, a negative limit, a cost given twice, a column that is no cost; ``--percentile`` NaN
or infinite; ``--hold-at-least`` 0, 1.5 or NaN; ``params`` with ``[``, ``(`` or ``.*``;
``completion`` of an unknown shell or in capitals; ``dashboard --port -1``/``70000``,
``--host ::1`` or an address that does not resolve; ``show /dev/null``, ``validate`` of a
folder; the Python API given replications as text, a float or a bool, a fraction or negative
seed, overrides as pairs or a number, a mapping or None as a scenario, one scenario folder as a
text, a scenario name to ``LeverageModel``.
"""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest

import leverage_sim as ls
from leverage_sim.analysis import explore_run
from leverage_sim.analysis.robust import check_question
from leverage_sim.errors import InputError

SHORT = ["horizon_days=30", "events=[]"]
"""A short run of the replay without its scripted events (dated after day 30)."""


# ---- explore's --holds: a condition no run could meet ---------------------------------------

@pytest.mark.parametrize("holds", ["relents==O", "relents==null", "relents==2020-01-01",
                                   "held_firm>1e400", "relents==[0]", "held_firm>0,relents==zero"])
def test_a_condition_compared_with_no_finite_number_is_refused_before_any_run(holds, tmp_path):
    with pytest.raises(InputError, match=r"cannot compare '(relents|held_firm)' with .*a finite "
                                         "number or true/false"):
        check_question(holds, {}, 0.6, 90)
    out = tmp_path / "ex"
    with pytest.raises(InputError, match="finite number or true/false"):
        explore_run.explore("june_2020_replay", ["foreign_forces.backing=0,1"], holds=holds,
                            replications=1, posterior="none", overrides=SHORT, out=out,
                            executor="serial")
    assert not out.exists()  # refused before the folder was made or any run ran


def test_summarise_refuses_an_outcome_compared_with_text_but_reads_numbers_and_switches():
    runs = pd.DataFrame({"relents": [0, 1, 2], "us_withdrawn": [True, False, True],
                         "side": ["a", "b", "a"]})
    with pytest.raises(InputError, match="cannot compare 'relents' with 'none'"):
        ls.summarise(runs, outcomes=["relents==none"], by=[])
    table = ls.summarise(runs, outcomes=["relents==0", "us_withdrawn==true", "side==a"],
                         by=[])
    assert table[["relents==0_share", "us_withdrawn==true_share", "side==a_share"]].iloc[
        0].tolist() == pytest.approx([1 / 3, 2 / 3, 2 / 3])


def test_the_usual_conditions_are_still_read():
    for holds in ("held_firm>0,relents==0", "us_withdrawn==true", "us_withdrawn",
                  "held_firm>=0.5", "attacks<=-1"):
        check_question(holds, {}, 0.6, 90)


# ---- explore --resume: options that define the runs ---------------------------------------------

@pytest.fixture(scope="module")
def explored(tmp_path_factory):
    out = tmp_path_factory.mktemp("explore") / "ex"
    explore_run.explore("june_2020_replay", ["foreign_forces.backing=0,1"], replications=2,
                        posterior="none", overrides=SHORT, out=out, executor="serial")
    return out


@pytest.mark.parametrize("option, said", [
    (("--lever", "patron.instigation=0:1:3"), "levers (--lever)"),
    (("-n", "5"), "replications (-n)"),
    (("--seed", "0"), "seed (--seed)"),
    (("--design", "lhs"), "design (--design)"),
    (("--samples", "4"), "samples (--samples)"),
    (("--posterior", "none"), "posterior (--posterior)"),
    (("--set", "horizon_days=20"), "overrides (--set)"),
    (("--quick",), "quick (--quick)"),
])
def test_explore_resume_refuses_the_options_it_would_ignore(option, said, explored, cli):
    before = json.loads((explored / "explore.json").read_text())
    code, _, err = cli("explore", "--resume", "--out", explored, "-q", *option)
    assert code == 2 and said in err and "would be ignored" in err
    assert json.loads((explored / "explore.json").read_text()) == before


def test_explore_resume_in_python_refuses_levers_without_a_target(explored):
    with pytest.raises(InputError, match=r"levers \(--lever\), replications \(-n\) would be "
                                         "ignored"):
        ls.explore(None, ["patron.instigation=0:1:3"], replications=5, resume=True,
                   out=explored)


def test_explore_resume_still_reasks_the_question(explored, cli):
    code, _, err = cli("explore", "--resume", "--out", explored, "-q", "--holds", "relents==0",
                       "--max", "attacks=50")
    assert code == 0, err
    question = json.loads((explored / "explore.json").read_text())["question"]
    assert question["holds"] == "relents==0" and question["limits"] == {"attacks": 50.0}


# ---- a user's files under the names a claim uses beside --out -----------------------------------

def _run(cli, out, *extra):
    return cli("run", "june_2020_replay", "-n", 1, "-q", "--posterior", "none",
               *[a for s in SHORT for a in ("--set", s)], "--out", out, *extra)


@pytest.mark.parametrize("name", [".out.lock", ".out.swap.tmp", ".out.swap"])
def test_a_users_file_under_the_lock_or_journal_name_is_left_untouched(name, cli, tmp_path):
    """Replacing a run (--force) wrote its journal over a ``.out.swap`` and deleted it; any
    command on ``out`` deleted a ``.out.swap.tmp`` and overwrote, then deleted a ``.out.lock``."""
    out, mine = tmp_path / "out", tmp_path / name
    assert _run(cli, out)[0] == 0
    before = (out / "manifest.json").read_text()
    mine.write_text("my notes\n")
    code, _, err = _run(cli, out, "--force")
    assert code == 2 and f"'{mine}' is a file leverage-sim did not write" in err
    assert mine.read_text() == "my notes\n" and (out / "manifest.json").read_text() == before


def test_a_link_under_the_lock_name_is_not_written_through(cli, tmp_path):
    elsewhere = tmp_path / "precious.txt"
    elsewhere.write_text("mine\n")
    (tmp_path / ".out.lock").symlink_to(elsewhere)
    code, _, err = _run(cli, tmp_path / "out")
    assert code == 2 and "is a symbolic link leverage-sim did not write" in err
    assert elsewhere.read_text() == "mine\n" and (tmp_path / ".out.lock").is_symlink()


@pytest.mark.parametrize("left", ["", json.dumps({"pid": 2 ** 22 + 7, "started": "x",
                                                  "command": "leverage-sim run"})])
def test_a_lock_left_by_a_killed_run_is_still_taken_over(left, cli, tmp_path):
    (tmp_path / ".out.lock").write_text(left)
    code, _, err = _run(cli, tmp_path / "out")
    assert code == 0, err
    assert (tmp_path / "out" / "summary.parquet").is_file()
    assert not (tmp_path / ".out.lock").exists()


def test_a_journal_left_by_a_killed_replacement_is_still_read(cli, tmp_path):
    out = tmp_path / "out"
    assert _run(cli, out)[0] == 0
    (tmp_path / ".out.swap.tmp").write_text(json.dumps({"winner": "old", "pid": 1}))
    code, _, err = _run(cli, out, "--force")
    assert code == 0, err
    assert not (tmp_path / ".out.swap.tmp").exists() and (out / "summary.parquet").is_file()
    assert sorted(os.listdir(tmp_path)) == ["out"]


# ---- sweep files: a field the design never reads -------------------------------------------------

@pytest.mark.parametrize("fields, said", [
    ({"design": "grid", "levels": 7}, "levels is only for the morris design"),
    ({"design": "lhs", "samples": 2, "second_order": True},
     "second_order is only for the sobol and saltelli designs"),
    ({"outputs": {"every": 7}}, "outputs.every thins the daily time series"),
])
def test_a_sweep_field_its_design_never_reads_is_refused(fields, said, tmp_path):
    """``levels: 7`` on a grid, ``second_order: true`` on lhs, ``outputs: {every: 7}`` without
    the time series: the sweep ran as if they were not there (``samples`` on a grid was
    already refused)."""
    backing = ({"values": [0, 1]} if fields.get("design", "grid") == "grid"
               else {"low": 0, "high": 1})
    with pytest.raises(InputError, match=said):
        ls.run_sweep({"base": "june_2020_replay", "parameters": {"foreign_forces.backing":
                                                                 backing}, **fields},
                     tmp_path / "s", executor="serial", quiet=True)
    assert not (tmp_path / "s").exists()


def test_sweep_fields_each_design_reads_are_still_accepted():
    from leverage_sim.sweep import SweepSpec

    two = {"foreign_forces.backing": {"low": 0, "high": 1},
           "patron.instigation": {"low": 0, "high": 1}}
    for fields in ({"design": "morris", "samples": 2, "levels": 6},
                   {"design": "sobol", "samples": 2, "second_order": True},
                   {"design": "grid", "outputs": {"timeseries": True, "every": 7},
                    "parameters": {"foreign_forces.backing": {"values": [0, 1]}}}):
        SweepSpec.parse({"base": "june_2020_replay", "parameters": two, **fields}, "test")


def test_sweep_every_without_timeseries_still_names_the_options(cli, tmp_path):
    for target in (("june_2020_replay", "--param", "foreign_forces.backing=0,1"),
                   ("backing_sweep",)):
        code, _, err = cli("sweep", *target, "--every", 7, "--out", tmp_path / "s", "-q")
        assert code == 2 and "add --timeseries, or drop --every" in err
        assert not (tmp_path / "s").exists()


# ---- the Python API: levers, params, holds and limits of the wrong type ------------------------

@pytest.mark.parametrize("call, said", [
    (lambda: ls.explore("june_2020_replay", 5), "--lever must be PATH=SPEC text.*got int 5"),
    (lambda: ls.explore("june_2020_replay", [0.5]), "--lever must be PATH=SPEC text"),
    (lambda: ls.explore("june_2020_replay", "foreign_forces.backing=0,1", holds=5),
     r"--holds \(holds\) must be a text"),
    (lambda: ls.explore("june_2020_replay", "foreign_forces.backing=0,1", limits=5),
     r"--max \(limits\) must be COST=LIMIT texts"),
    (lambda: ls.explore("june_2020_replay", "foreign_forces.backing=0,1", limits="attacks=-1"),
     "--max attacks=-1: attacks is never below 0"),  # one text is one limit, not its letters
    (lambda: __import__("leverage_sim.sweep", fromlist=["SweepSpec"]).SweepSpec.from_cli(
        "june_2020_replay", 5), "--param must be PATH=SPEC text.*got int 5"),
])
def test_explore_and_sweep_arguments_of_the_wrong_type_are_named(call, said):
    """A TypeError ('int' object is not iterable) or AttributeError before."""
    with pytest.raises(InputError, match=said):
        call()
