"""Careless or hostile input found by the seventeenth audit (a sweep's name, the scenario-path
variable, standard output that cannot be written, paths with spaces in the commands messages
give, a sweep on a full disk, ``--``, text ``show`` wrote unquoted, text YAML reads as
true/false):

- a sweep file whose ``name`` holds a path (``name: ../../escaped``, ``name: /tmp/elsewhere``,
  or a file named ``...yaml``, whose name defaults to ``..``): ``leverage-sim sweep FILE``
  without ``--out`` (and ``explore FILE``) wrote its results to ``results/sweeps/NAME``, that
  is outside ``results/`` (``./escaped``, ``/tmp/elsewhere``), where the user never asked for
  them. A sweep's name is now one folder name (no ``/`` or ``\\``, not ``.`` or ``..``),
  refused when the file is read, before anything is written;
- ``$LEVERAGE_SIM_SCENARIO_PATH`` holding an entry too long for the system (a name of more
  than 255 bytes): ``run``, ``show``, ``validate`` and ``sweep`` of any scenario (even one given
  by its path that ``extends`` a name) said "Cannot read or write aaaa...: the name is too long"
  without saying where that path came from (``list`` named the variable). They now all name
  the variable's entry and the fix;
- standard output that cannot be written (``leverage-sim run ... --out DIR > log.txt`` with
  ``log.txt`` on a full disk, a terminal that has gone): ``run`` and ``compare`` ran every
  replication, then deleted the results they had staged for ``--out`` and said "Disk full at
  DIR: nothing was left there" (a disk that was not full); ``list``, ``show`` and the others
  said "Disk full at None". The verb now runs to its end (its folder complete), and the error,
  exit 2, says its printed output was lost, and why;
- the commands messages give to continue or check a sweep or calibration (``leverage-sim sweep
  --resume --out DIR``, ``leverage-sim calibrate FILE --out DIR --resume``, ``leverage-sim
  rerun DIR --run-id K``, the sweep advised for an over-large run) wrote a path with a space
  as it is (``--out /home/me/my results``): pasted, the command read two words ("No scenario
  named 'results'"), and a path holding ``;`` would run what follows it. Paths are now quoted
  for the shell (``'/home/me/my results'``);
- a sweep stopped by a full disk: "Disk full at DIR: nothing was left there as if complete.
  Free some space (or choose --out on another disk) and try again. 2 of 40 runs are saved in
  DIR. Resume with ...": the first sentence, which contradicts the second, sent the user to run
  the sweep again (refused: the folder is not empty; with --force, the saved runs deleted);
  ``sweep --resume`` on a full disk said the same of a folder holding every run saved before.
  Both now say the runs written before are kept, and how to finish;
- a file whose name starts with ``-`` given after ``--`` (``leverage-sim run -- -x.yaml``,
  ``validate -- -x.yaml``), as the shell's convention says: "the following arguments are
  required: scenario" (the verbs parse their words and options in any order, and that parsing
  dropped the ``--``). The words after ``--`` are now the verb's words;
- text written in quotes that leverage-sim reads as a number when unquoted (``question:
  "5e-1"``, ``full_name: "1e4"``, a note ``"1.5e3"``; YAML 1.1 reads them as text, leverage-sim
  as numbers in exponent notation): ``show`` printed them unquoted, so its output, "itself a
  valid scenario file", and a run's ``scenario.yaml`` (``leverage-sim run DIR/scenario.yaml``
  reruns it) were refused ("'question': Input should be a valid string (got 0.5)"). They are
  now quoted;
- text that YAML reads as true/false (``full_name: No``, a sweep's ``name: no``): refused as
  "Input should be a valid string (got False)", with no word of why a name became False or of
  the fix (quotes). The message now says both.

Tried and already refused or handled, so not repeated here: scenario files with lone surrogate
escapes (``"\\ud800"``), a 5 MB question (run, report and narrative written), ``-0``,
``1e-320``, ``5e-324`` and all-zero target weights (run and swept), ``9e18`` days, event
dates with a time zone, ``Z``, an ISO week, a sign, year 1 or 9999, figures of ``1e309``,
14.5, true or 10**23, ``presence: 1e300``; ``-n``/``--chunk-size`` of 10**20 on ``run``,
``compare``, ``sweep``, ``explore`` and ``validate-model``; ``--seed 2**63-1`` on ``run``,
``compare``, ``sweep``, ``rerun`` and in a file; sweep designs of one sample (sobol, saltelli,
morris, lhs, random); ``--param`` with ``0:1:1e9``, 10**20 steps, ``[0,1]``, ``{a: 1}``, an
alias, an empty value, dates; sweep files with ``integer``, ``timeseries`` or
``second_order`` of 1, "yes", 0.0, null or a list; ``--out`` on a named pipe, a character
device (with ``--force`` too) or a socket; ``$LEVERAGE_SIM_SCENARIO_PATH`` empty, of colons
only, with a newline, ``/proc/self/fd``; ``COLUMNS``/``LINES`` of 0, -5, abc, 1 and 10**11 on
a terminal; scenario folders holding a dangling link, a link loop, a folder and a named pipe
named ``.yaml`` (``list`` and ``list --json`` name each; ``run`` refuses the pipe); SIGHUP and
SIGKILL during a sweep (``--resume`` takes the lock over and finishes it; ``rerun`` and
``load_sweep`` read the stored runs), Ctrl-C during a sweep on the local executor, then
``--resume`` (every run identical to an uninterrupted sweep); a sweep's base file moved or
broken after the sweep (``rerun`` and ``--resume`` use the stored scenario); a user's file, a
damaged part, a folder named as a part and a ``.tmp`` part in ``summary/``; ``explore``,
``run``, ``sweep`` and ``sweep --resume`` on a 300 kB file system filling up (the runs kept,
``explore --resume`` finishes) and on a read-only one (``rerun`` still reads); ``%YAML 1.2``
and ``%YAML 2.0`` directives, a ``%TAG`` shorthand, ``!!str``, a complex key ``? name``;
a second ``sweep``, ``sweep --resume`` and ``run --out DIR/sub`` while a sweep writes ``DIR``.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from leverage_sim.errors import InputError
from leverage_sim.scenario.limits import sweep_advice
from leverage_sim.scenario.loader import ENV_SCENARIO_PATH
from leverage_sim.sweep import SweepSpec
from leverage_sim.sweep.spec import default_folder
from leverage_sim.sweep.storage import SweepStore, resume_command

from .test_output_safety import fill_disk_after_chunks, no_space

REPLAY = "june_2020_replay"
TINY = ("--posterior", "none", "-n", 1, "--set", "horizon_days=5", "--set", "events=[]",
        "-q", "--executor", "serial")


def _sweep_file(path: Path, name: str | None) -> Path:
    path.write_text((f"name: '{name}'\n" if name is not None else "")
                    + f"base: {REPLAY}\nparameters:\n  government.resolve: {{values: [0.2, 0.8]}}\n"
                    "replications: 1\nposterior: none\noverrides: {horizon_days: 5, events: []}\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["../../escaped", "{tmp}/elsewhere", "a/b", "a\\b", ".", ".."])
def test_a_sweep_name_that_is_no_folder_name_is_refused_before_anything_is_written(
        name, cli, tmp_path, monkeypatch):
    work = tmp_path / "work" / "deep"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    name = name.format(tmp=tmp_path)
    sweep = _sweep_file(work / "mine.yaml", name)
    for argv in (("sweep", sweep, "--executor", "serial", "-q"),
                 ("explore", sweep, "--lever", "government.resolve=0.2,0.8", "--executor",
                  "serial", "-q")):
        code, _, err = cli(*argv)
        assert code == 2 and "The sweep's name" in err and "one folder name" in err, err
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["deep", "mine.yaml", "work"]
    with pytest.raises(InputError, match="one folder name"):
        default_folder(Path("results") / "sweeps", name)


def test_with_out_a_sweep_name_is_no_folder_and_may_hold_a_slash(cli, tmp_path, monkeypatch):
    """The name is a folder only without --out: a sweep named 'resolve 0.2/0.8' given --out
    runs, reruns and resumes (an independent review: the first fix refused it everywhere,
    stored sweeps included)."""
    monkeypatch.chdir(tmp_path)
    sweep = _sweep_file(tmp_path / "s.yaml", "resolve 0.2/0.8")
    assert cli("sweep", sweep, "--executor", "serial", "-q", "--out", "res")[0] == 0
    assert cli("rerun", "res", "--run-id", 0)[0] == 0
    assert cli("sweep", "--resume", "--out", "res", "-q", "--executor", "serial")[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res", "s.yaml"]


def test_a_sweep_named_after_a_file_called_dots_is_refused(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sweep = _sweep_file(tmp_path / "...yaml", None)  # its name defaults to '..'
    code, _, err = cli("sweep", sweep, "--executor", "serial", "-q")
    assert code == 2 and "('..';" in err and "the file's name" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["...yaml"]


def test_sweep_names_that_are_folder_names_are_still_read(tmp_path):
    for name in ("backing sweep", "v1.2_sweep", "..x", "a..b"):
        assert SweepSpec.from_file(_sweep_file(tmp_path / "s.yaml", name)).name == name


def test_a_scenario_path_entry_too_long_for_the_system_is_named_as_the_variable(
        cli, tmp_path, monkeypatch):
    entry = "a" * 300  # more than the 255 bytes a name may have
    monkeypatch.setenv(ENV_SCENARIO_PATH, entry)
    mine = tmp_path / "mine.yaml"
    mine.write_text(f"extends: {REPLAY}\nname: mine\n", encoding="utf-8")
    for argv in (("show", REPLAY), ("show", mine), ("run", "nosuch"), ("list",)):
        code, _, err = cli(*argv)
        assert code == 2, (argv, err)
        assert f"${ENV_SCENARIO_PATH} entry '{entry}' cannot be read" in err, (argv, err)
    code, _, err = cli("validate", mine)
    assert code == 2 and f"${ENV_SCENARIO_PATH} entry" in err
    monkeypatch.setenv(ENV_SCENARIO_PATH, str(tmp_path / "missing"))  # still skipped, named
    code, _, err = cli("show", "nosuch")
    assert code == 2 and "entries that are no folder, skipped" in err


def _cli_to_full_disk(tmp_path: Path, *argv: object) -> subprocess.CompletedProcess:
    with open("/dev/full", "w") as full:
        return subprocess.run([sys.executable, "-m", "leverage_sim.cli", *map(str, argv)],
                              check=False, stdout=full, stderr=subprocess.PIPE, text=True,
                              cwd=tmp_path, timeout=300)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_output_that_cannot_be_printed_keeps_the_results_and_says_why(tmp_path):
    out = tmp_path / "run"
    said = _cli_to_full_disk(tmp_path, "run", REPLAY, *TINY[:-2], "--out", out)
    assert said.returncode == 2, said.stderr
    assert (out / "manifest.json").is_file() and (out / "report.html").is_file()
    assert "could not be written to its standard output" in said.stderr
    assert "disk it is redirected to is full" in said.stderr
    assert "None" not in said.stderr and "Traceback" not in said.stderr
    assert not any(p.name.startswith(".run.") for p in tmp_path.iterdir())  # no leftovers
    listed = _cli_to_full_disk(tmp_path, "list")
    assert listed.returncode == 2 and "standard output" in listed.stderr
    assert "None" not in listed.stderr
    for argv in (("--version",), ("run", "--help")):  # argparse's own exits (a review)
        said = _cli_to_full_disk(tmp_path, *argv)
        assert said.returncode == 2 and "standard output" in said.stderr, (argv, said.stderr)
    failed = _cli_to_full_disk(tmp_path, "validate", REPLAY, tmp_path / "nosuch.yaml")
    assert failed.returncode == 2 and "standard output" in failed.stderr
    assert "are complete" not in failed.stderr  # the verb failed: no claim about its files


def test_the_commands_messages_give_quote_a_path_with_a_space(cli, tmp_path, monkeypatch):
    spaced = tmp_path / "my results"
    assert shlex.split(resume_command(spaced)) == ["leverage-sim", "sweep", "--resume",
                                                   "--out", str(spaced)]
    plain = tmp_path / "results"
    assert resume_command(plain) == f"leverage-sim sweep --resume --out {plain}"  # unchanged
    from leverage_sim.cli.calibrate_cmd import _resume  # calibrate's --resume advice

    resume = _resume(argparse.Namespace(config="my cal.yaml", quick=True, seed=None), spaced)
    assert shlex.split(resume) == ["leverage-sim", "calibrate", "my cal.yaml", "--out",
                                   str(spaced), "--resume", "--quick"]
    advice = sweep_advice("my scenarios/x.yaml", 100, 90)
    assert "leverage-sim sweep 'my scenarios/x.yaml' --param" in advice
    hostile = tmp_path / "x; touch pwned"
    assert shlex.split(resume_command(hostile))[-1] == str(hostile)

    code, out, _ = cli("sweep", REPLAY, "--param", "government.resolve=0.2,0.8", *TINY,
                       "--out", spaced)
    assert code == 0 and f"leverage-sim rerun {shlex.quote(str(spaced))} --run-id K" in out

    stored = SweepStore.write_chunk

    def write_one_then_stop(self, summary, timeseries):
        stored(self, summary, timeseries)
        raise KeyboardInterrupt

    monkeypatch.setattr(SweepStore, "write_chunk", write_one_then_stop)
    stopped = tmp_path / "my stopped sweep"
    code, _, err = cli("sweep", REPLAY, "--param", "government.resolve=0.2,0.8", *TINY,
                       "--chunk-size", 1, "--out", stopped)
    assert code == 130
    given = err.split("Resume with `")[1].split("`")[0]
    assert shlex.split(given) == ["leverage-sim", "sweep", "--resume", "--out", str(stopped)]
    monkeypatch.undo()
    assert cli(*shlex.split(given)[1:], "-q")[0] == 0  # the advice, as pasted, works


def test_text_yaml_reads_as_true_or_false_says_to_quote_it(cli, tmp_path):
    scenario = tmp_path / "mine.yaml"
    scenario.write_text(f"extends: {REPLAY}\nname: mine\nmilitias:\n  - {{name: KH, "
                        "full_name: No}\n", encoding="utf-8")
    code, out, err = cli("validate", scenario)
    said = out + err
    assert code == 2 and "'militias[KH].full_name'" in said and "in quotes" in said
    scenario.write_text(f"extends: {REPLAY}\nname: mine\nmilitias:\n  - {{name: KH, "
                        "full_name: 'No'}\n", encoding="utf-8")
    assert cli("validate", scenario)[0] == 0  # quoted, it is the text
    sweep = tmp_path / "s.yaml"
    sweep.write_text(f"name: no\nbase: {REPLAY}\nparameters:\n  government.resolve: "
                     "{values: [0.2, 0.8]}\n", encoding="utf-8")
    code, _, err = cli("sweep", sweep, "--out", tmp_path / "o")
    assert code == 2 and "'name'" in err and "(got false)" in err and "in quotes" in err


def test_text_that_looks_like_a_number_in_exponent_notation_is_shown_quoted(cli, tmp_path):
    from leverage_sim.scenario.canonical import scenario_yaml
    from leverage_sim.scenario.loader import load_scenario

    mine = tmp_path / "mine.yaml"
    mine.write_text(f"extends: {REPLAY}\nname: mine\nquestion: '5e-1'\nmilitias:\n  - {{name: KH, "
                    "full_name: '1e4'}\nevents:\n  - {name: ct_raid, note: '1.5E+3'}\n",
                    encoding="utf-8")
    code, shown, err = cli("show", mine)
    assert code == 0, err
    again = tmp_path / "shown.yaml"
    again.write_text(shown, encoding="utf-8")
    code, out, err = cli("validate", again)
    assert code == 0, out + err
    first, second = load_scenario(mine), load_scenario(again)
    assert (second.question, second.militias[0].full_name) == ("5e-1", "1e4")
    assert scenario_yaml(first) == scenario_yaml(second)  # the same inputs, the same text
    code, _, err = cli("run", mine, *TINY[:-2], "--out", tmp_path / "run")
    assert code == 0, err
    assert cli("run", tmp_path / "run" / "scenario.yaml", *TINY[:-2])[0] == 0


def test_a_sweep_stopped_by_a_full_disk_says_its_runs_are_kept(cli, tmp_path, monkeypatch):
    out = tmp_path / "full"
    fill_disk_after_chunks(monkeypatch, 1)
    code, _, err = cli("sweep", REPLAY, "--param", "government.resolve=0.2,0.5,0.8", *TINY,
                       "--chunk-size", 1, "--out", out)
    assert code == 2 and "Disk full at" in err and "1 of 3 runs are saved" in err, err
    assert "nothing was left there" not in err and "try again" not in err
    assert "kept in" in err
    monkeypatch.setattr(SweepStore, "update_progress", no_space)  # still full when resumed
    code, _, err = cli("sweep", "--resume", "--out", out, "-q")
    assert code == 2 and "Disk full at" in err and "nothing was left there" not in err, err
    assert len(list((out / "summary").glob("part-*.parquet"))) == 1  # what was saved stays
    monkeypatch.undo()
    assert cli("sweep", "--resume", "--out", out, "-q")[0] == 0
    assert len(list((out / "summary").glob("part-*.parquet"))) == 3


def test_a_file_named_with_a_leading_dash_is_read_after_two_dashes(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("-x.yaml").write_text(f"extends: {REPLAY}\nname: dashed\n", encoding="utf-8")
    code, out, err = cli("validate", "--", "-x.yaml")
    assert code == 0 and "OK   -x.yaml" in out, out + err
    code, out, err = cli("run", *TINY[:-2], "--", "-x.yaml")
    assert code == 0 and "Scenario dashed" in out, err
    code, _, err = cli("run", "--", "-x.yaml", "-n", "1")  # after --, -n is a word too
    assert code == 2 and "unrecognized arguments: -n 1" in err
    code, _, err = cli("completion", "--", "-bash")
    assert code == 2 and "invalid choice: '-bash'" in err and "\\x00" not in err
    assert cli("completion", "--", "bash")[0] == 0
    for typed in ("\\x00word-after-dashes:0", "\x00word-after-dashes:7"):  # a review: no
        code, _, err = cli("completion", typed)  # stand-in of this parse, so left as typed
        assert code == 2 and "invalid choice" in err and "Traceback" not in err, err
