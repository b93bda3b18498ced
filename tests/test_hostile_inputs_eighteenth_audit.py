"""Careless or hostile input found by the eighteenth audit (a closed terminal, dates in
messages, text YAML reads as true/false given with ``--set``):

- the terminal closed (SIGHUP) during ``leverage-sim sweep``, ``calibrate`` or ``run``: the
  process died at once, without the cleanup SIGTERM gets (a sweep's manifest said "running",
  no resume command was printed, a staged ``run --out`` folder was left behind). SIGHUP now
  stops like SIGTERM does (the runs kept, the sweep marked interrupted, the resume command
  printed), exit 129; a process started with SIGHUP ignored (``nohup``) still ignores it;
- a date (or other value) in a sweep point, an override or a field the schema refuses was
  shown as Python writes it: "design point 0 (government.resolve=datetime.date(2020, 6, 25))
  ... got datetime.date(2020, 6, 25)", "values lists datetime.date(...) more than once", an
  override given twice as ``'x'``. Values in these messages are now written as in YAML, as the
  user wrote them (``2020-06-25``, ``abc``, ``false``; text that YAML would read as something
  else in quotes, ``'no'``);
- text that YAML reads as true/false given with ``--set`` (``run june_2020_replay --set
  government.name=no``): refused as a scenario file's ``name: no`` is, but the message echoed
  ``government.name=False`` and its fix, "write text in quotes (e.g. "No")", does not work on
  the command line: ``--set government.name="No"`` reaches leverage-sim as
  ``government.name=No``, as the shell takes the quotes away. The hint now gives the command
  line's form, quotes inside the shell's: ``--set 'government.name="No"'``;
- a militia's own name set so (``--set militias[KH].name=no``) named it ``militias[False]`` in
  the message: an entry whose name is not text is now named by its place (``militias[0]``).

Found by the review of these fixes: a process started with SIGTERM ignored gave pool workers
that ignored it too (their pool stops them with SIGTERM: a 28 s wait), so only SIGHUP is left
ignored when started so; the hint named the first override of a field's name in any entry, not
the one that set it (``militias[KH].full_name`` for AAH's), and a section given whole; bytes
were written over two lines, shared values with YAML anchors, and long values written whole
before being cut; an override given twice showed its first value as read, not as typed.
"""

from __future__ import annotations

import json
import re
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from leverage_sim.files.safe_yaml import as_written
from leverage_sim.sweep import load_sweep
from tests.sweep_fixture import until_a_part_is_stored

REPLAY = "june_2020_replay"
TINY = ("--posterior", "none", "-n", 1, "--set", "horizon_days=5", "--set", "events=[]")
needs_sighup = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP here")


def _sweep_process(out: Path, sighup: str, *argv: str) -> subprocess.Popen:
    """``leverage-sim sweep ... --out out`` as the command line runs it, started with SIGHUP
    ``sighup`` (``SIG_DFL``, or ``SIG_IGN`` as under nohup; not what the test runner has)."""
    code = (f"import signal, sys; signal.signal(signal.SIGHUP, signal.{sighup}); "
            "from leverage_sim.cli.main import main; main()")
    args = ["sweep", "june_2020_replay", "--param", "foreign_forces.backing=0,1", "--set",
            "horizon_days=55", "--posterior", "none", "--chunk-size", "2", *argv, "--out",
            str(out)]
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


@needs_sighup
def test_a_closed_terminal_stops_a_sweep_as_sigterm_does(tmp_path):
    out = tmp_path / "s"
    proc = _sweep_process(out, "SIG_DFL", "-n", "1000", "--workers", "2")
    until_a_part_is_stored(proc, out)
    proc.send_signal(signal.SIGHUP)
    err = proc.communicate(timeout=120)[1]
    assert proc.returncode == 129 and "Traceback" not in err, err
    progress = json.loads((out / "manifest.json").read_text())["progress"]
    assert progress["status"] == "interrupted" and progress["reason"] == "SIGHUP", progress
    assert "Sweep stopped by SIGHUP:" in err
    assert f"Resume with `leverage-sim sweep --resume --out {out}`" in err
    assert 0 < len(load_sweep(out)) == progress["done"] < 2000  # the runs done are kept


@needs_sighup
def test_a_sweep_started_with_nohup_outlives_its_terminal(tmp_path):
    out = tmp_path / "s"
    proc = _sweep_process(out, "SIG_IGN", "-n", "200", "-q", "--executor", "serial")
    until_a_part_is_stored(proc, out)
    proc.send_signal(signal.SIGHUP)
    err = proc.communicate(timeout=300)[1]
    assert proc.returncode == 0, err
    assert json.loads((out / "manifest.json").read_text())["progress"]["status"] == "complete"
    assert len(load_sweep(out)) == 400


@needs_sighup
def test_a_calibration_notes_sighup_and_stops_between_candidates():
    from leverage_sim.calibration.smc import _StopOnSignals

    def cli_handler(*_: object) -> None:  # as the command line installs it
        sys.exit(129)

    previous = signal.signal(signal.SIGHUP, cli_handler)
    try:
        with _StopOnSignals() as stop:
            signal.raise_signal(signal.SIGHUP)  # noted, not raised: the generation is kept
            assert stop() and stop.reason == "SIGHUP"
        assert signal.getsignal(signal.SIGHUP) is cli_handler  # restored
    finally:
        signal.signal(signal.SIGHUP, previous)


WORKER_HANDLER = """
import signal, sys
from leverage_sim.simulation.executors import LocalExecutor
sig = signal.Signals[sys.argv[1]]
def handler():
    return {signal.SIG_DFL: "default", signal.SIG_IGN: "ignored"}.get(
        signal.getsignal(sig), "inherited")
if sys.argv[2] == "cli":
    signal.signal(sig, lambda *_: sys.exit(128 + sig))  # as the command line installs it
else:
    signal.signal(sig, signal.SIG_IGN)  # as nohup leaves SIGHUP
pool = LocalExecutor(1)
print(pool.submit(handler).result())
pool.shutdown()
"""


@needs_sighup
@pytest.mark.parametrize(("sig", "parent", "worker"), [
    ("SIGHUP", "cli", "default"), ("SIGHUP", "nohup", "ignored"),
    ("SIGTERM", "cli", "default"),
    ("SIGTERM", "ignored", "default")])  # a pool stops its workers with SIGTERM: never ignored
def test_a_worker_does_not_inherit_the_command_lines_stop_handler(sig, parent, worker):
    done = subprocess.run([sys.executable, "-c", WORKER_HANDLER, sig, parent],
                          capture_output=True, text=True, timeout=300, check=True)
    assert done.stdout.split() == [worker], done.stderr


def test_values_in_messages_are_written_as_in_yaml(cli, tmp_path):
    sweep = tmp_path / "s.yaml"
    sweep.write_text(f"name: d\nbase: {REPLAY}\nparameters:\n  government.resolve: {{values: "
                     "[2020-06-25, 0.8]}\nreplications: 1\nposterior: none\noverrides: "
                     "{horizon_days: 5, events: []}\n", encoding="utf-8")
    code, _, err = cli("sweep", sweep, "--out", tmp_path / "o", "--executor", "serial")
    assert code == 2, err
    assert "design point 0 (government.resolve=2020-06-25)" in err
    assert "got 2020-06-25)" in err and "datetime" not in err
    sweep.write_text(f"name: d\nbase: {REPLAY}\nparameters:\n  government.resolve: {{values: "
                     "[2020-06-25, 2020-06-25]}\n", encoding="utf-8")
    code, _, err = cli("sweep", sweep, "--out", tmp_path / "o")
    assert code == 2 and "values lists 2020-06-25 more than once" in err, err
    code, _, err = cli("run", REPLAY, "--set", "government.name=2020-06-25", "--posterior",
                       "none", "-n", 1)
    assert code == 2 and "government.name=2020-06-25" in err and "got 2020-06-25)" in err, err
    code, _, err = cli("run", REPLAY, "--set", "government.name=abc", "--set",
                       "government.name=x", "-n", 1)
    assert code == 2 and "(government.name=abc and x)" in err, err
    assert "datetime" not in err
    code, _, err = cli("run", REPLAY, "--set", "question=no", "--set", "question=x", "-n", 1)
    assert code == 2 and "(question=no and x)" in err, err  # both as typed, not 'false'


def test_as_written_writes_one_line_of_yaml():
    import datetime as dt

    cases = {dt.date(2020, 6, 25): "2020-06-25", "abc": "abc", "no": "'no'", "0.5": "'0.5'",
             False: "false", None: "null", 0.8: "0.8", "a\nb": '"a\\nb"',
             Path("/x y"): "/x y"}  # a value YAML cannot write: as str() shows it
    assert {value: as_written(value) for value in cases} == cases
    assert as_written([0.2, dt.date(2020, 1, 1)]) == "[0.2, 2020-01-01]"
    assert as_written("a" * 100, 60) == "a" * 57 + "..."
    shared = [1]
    assert as_written([shared, shared]) == "[[1], [1]]"  # no &id001 anchors
    assert as_written(b"abc" * 40, 20) == "b'abcabcabcabcabc..."  # one line, not base64
    huge = list(range(10**6))  # cut before it is written: a long list costs no more
    assert as_written(huge, 20) == as_written(huge[:100], 20) == "[0, 1, 2, 3, 4, 5..."


@pytest.mark.parametrize(("path", "value", "read"), [("government.name", "no", "false"),
                                                     ("militias[KH].full_name", "Off", "false"),
                                                     ("question", "true", "true")])
def test_text_set_to_yes_or_no_says_how_to_quote_it_on_the_command_line(path, value, read, cli):
    code, _, err = cli("run", REPLAY, "--set", f"{path}={value}", *TINY)
    assert code == 2 and f"'{path}': Input should be a valid string" in err, err
    assert f"after overrides {path}={read}," in err and "Traceback" not in err
    fix = re.search(r"inside the shell's quotes: ('[^']*')\)", err)
    assert fix is not None, err
    code, out, err = cli("run", REPLAY, "--set", *shlex.split(fix.group(1)), *TINY)  # works
    assert code == 0 and f'{path}="No"' in out, err


def test_text_yaml_reads_as_true_or_false_in_a_file_gets_no_command_line_hint(cli, tmp_path):
    scenario = tmp_path / "mine.yaml"
    scenario.write_text(f"extends: {REPLAY}\nname: mine\ngovernment:\n  name: no\n",
                        encoding="utf-8")
    code, _, err = cli("run", scenario, *TINY)
    assert code == 2 and "write text in quotes (e.g. \"No\")" in err and "shell" not in err


@pytest.mark.parametrize(("path", "place"), [("militias[KH].name", "militias[0].name"),
                                           ("events[ct_raid].name", "events[0].name")])
def test_an_entry_whose_name_is_set_to_yes_or_no_is_named_by_its_place(cli, path, place):
    # its name, read as false, no longer names it: 'militias[0].name', not 'militias[False]'
    code, _, err = cli("run", REPLAY, "--set", f"{path}=no", "-n", 1, "--posterior", "none")
    assert code == 2 and f"'{place}': Input should be a valid string" in err, err
    assert "False" not in err and f"quotes: '{path}=\"No\"'" in err


def test_the_quoting_hint_names_the_override_that_set_that_field(cli):
    # two entries' fields set to no: each problem names its own override, not the first's
    code, _, err = cli("run", REPLAY, "--set", "militias[KH].full_name=no",
                       "--set", "militias[AAH].full_name=off", *TINY)
    assert code == 2, err
    kh, aah = (re.search(rf"'militias\[{m}\]\.full_name': .*?quotes: ('[^']*')\)", err)
               for m in ("KH", "AAH"))
    assert kh and aah, err
    assert (kh.group(1), aah.group(1)) == ("'militias[KH].full_name=\"No\"'",
                                           "'militias[AAH].full_name=\"No\"'")
    # a section given whole is no path to paste: no command-line form for it
    code, _, err = cli("run", REPLAY, "--set", "government={name: no}", *TINY)
    assert code == 2 and "write text in quotes" in err and "shell" not in err, err
