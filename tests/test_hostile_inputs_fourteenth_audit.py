"""Careless or hostile input found by the fourteenth audit (a calibration folder's report files
edited by hand, two commands on nested output folders, keys YAML reads as no text):

- ``run --posterior DIR --brief --out OUT`` (and ``compare``) with ``DIR`` an ABC-SMC
  calibration whose ``diagnostics.csv`` was emptied to its header, lost a column, or is no CSV
  at all: every run ran, then "internal error: IndexError: single positional indexer is
  out-of-bounds" (or a KeyError, a ParserError) while the brief was written, and ``OUT`` was
  not written. The file is now read when the posterior is loaded, before any run, and a
  damaged one is an exit-2 message naming it (``posterior.smc_sample_size``);
- the committed calibration's held-out validation (``calibration/default_validation``) with
  ``headline.csv`` or ``scores.csv`` edited (a column renamed): ``run --brief`` ran every run,
  then failed the same way ("internal error: KeyError: 'baseline'"). The brief now leaves out
  the held-out paragraph, as it already did for a missing or unreadable file;
- ``run --out A`` (or ``compare``, ``validate-model``: verbs that stage their folder and rename
  it into place at the end) while another command wrote into ``A/sub``: ``A`` does not exist
  while it is staged, so no record marked it and the second command wrote ``A/sub``; the first
  then ran every replication and ended with "Cannot write A: Directory not empty", its results
  deleted. A folder below one that another process holds the lock of is now refused, naming
  that process; and results staged for a folder something else filled meanwhile (``mkdir
  A/notes``) are kept complete beside it (``A.kept``), and the message says where;
- a scenario key YAML reads as something other than text (``true: 3``, ``null:``, ``1.5:``, a
  date): ``true:`` at the top was named ``'[1]'`` (a list's second entry: pydantic spells the
  key true as 1), the others as ``'None'``, ``'government.1.5'`` or by a date's Python
  repr, each with "Keys should be strings". Each is now named as written, with where it is
  and what YAML read it as.

Tried and already refused or handled, so not repeated here: scenario files with a BOM, CRLF
line ends, tabs after a colon, ``.inf``/``.NaN``/``1e400``/``"nan"`` values, seeds of -1 and
2**64, keys YAML reads as no text in an event's ``figures`` (named there), an empty
``events`` list, ``militias=[]``; ``--set`` with an empty path, a
position past the end or negative (the last, as documented), a section set to a number or
null, ``&a``/``*a``/``!!float`` in the value; ``rerun --run-id`` of -1, past the end, 10**23,
``1e3``, ``0x1``, ``''`` or full-width digits; ``NUMBA_NUM_THREADS``, ``NUMBA_CACHE_DIR`` (a
file), ``NUMBA_OPT``, ``NUMBA_THREADING_LAYER``, ``NUMBA_CPU_NAME``, ``OMP_NUM_THREADS``,
``MPLCONFIGDIR`` (a file), ``TMPDIR`` (missing) with odd values on ``run`` and a fast-engine
``sweep``; ``--out`` through a link to a run folder with ``--force`` and to an empty folder,
inside the scenario folder, named ``x.yaml`` in a ``--scenario-dir`` (``list``, ``run`` and
``validate`` then name it as a folder); ``explore`` with ``--holds`` against NaN, 1e400,
``-inf``, ``0x1``, Arabic digits, ``=>``, an empty condition, ``seed``/``scenario`` columns,
``--hold-at-least`` and ``--percentile`` NaN or out of range, ``--max`` NaN/inf/unknown/empty,
levers with 0 or 1 steps, a NaN end, a repeated value, ``seed``, one field by position and by
name; sweeps with no parameters, an empty value list, equal ends, one step, loguniform from 0,
a normal with sd 0, a flat triangular, ``second_order`` on a grid, a parameter swept and set
(also under two spellings), ``horizon_days`` before an event, ``start_date`` and names swept;
``run``/``compare --brief`` of a one-day horizon with no events, with and without a posterior;
``show``/``validate`` of a run folder, its manifest, an episode and a calibration file;
``params`` of ``''``, ``*``, ``militias[0]``; ``explore --resume`` through links in its folder.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from leverage_sim.files.output_dir import OutputError, claim_output
from leverage_sim.outputs import report_brief
from leverage_sim.simulation.posterior import DEFAULT_DIR, VALIDATION_DIR
from tests.test_output_safety import held_by_another_process

TINY_RUN = ("run", "generic_proxy_state", "-n", 1, "-q", "--set", "horizon_days=40",
            "--set", "events=[]")


@pytest.fixture
def smc_posterior(tmp_path: Path) -> Path:
    """The committed posterior, its manifest saying it was fitted by ABC-SMC (whose brief
    reads ``diagnostics.csv``)."""
    folder = tmp_path / "smc"
    folder.mkdir()
    shutil.copy(DEFAULT_DIR / "posterior.parquet", folder)
    manifest = json.loads((DEFAULT_DIR / "manifest.json").read_text(encoding="utf-8"))
    manifest["method"] = "smc"
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


@pytest.mark.parametrize("text", [
    "generation,effective_sample_size,particles\n",  # emptied to its header
    "generation,ess,particles\n0,40,100\n",  # a column renamed
    'not a table "\n',  # no CSV
    "generation,effective_sample_size,particles\n0,nan,100\n",
])
def test_an_smc_posterior_with_damaged_diagnostics_is_refused_before_any_run(
        text, smc_posterior, cli, tmp_path):
    (smc_posterior / "diagnostics.csv").write_text(text, encoding="utf-8")
    code, out, err = cli(*TINY_RUN, "--posterior", smc_posterior, "--brief",
                         "--out", tmp_path / "out")
    assert code == 2, err
    assert "internal error" not in err
    assert f"{smc_posterior / 'diagnostics.csv'}" in err and "run the calibration again" in err
    assert out == ""  # before any run: nothing was printed


def test_an_smc_posteriors_diagnostics_still_reach_the_brief(smc_posterior, cli, tmp_path):
    (smc_posterior / "diagnostics.csv").write_text(
        "generation,effective_sample_size,particles\n0,12,100\n1,45.2,100\n", encoding="utf-8")
    code, _, err = cli(*TINY_RUN, "--posterior", smc_posterior, "--brief",
                       "--out", tmp_path / "out")
    assert code == 0, err
    brief = (tmp_path / "out" / "brief.html").read_text(encoding="utf-8")
    assert "effective sample size 45 of 100 particles" in brief


def test_an_edited_held_out_validation_leaves_its_paragraph_out_not_the_runs(
        cli, tmp_path, monkeypatch):
    validation = tmp_path / "validation"
    shutil.copytree(VALIDATION_DIR, validation)
    monkeypatch.setattr(report_brief, "VALIDATION_DIR", validation)
    code, _, err = cli(*TINY_RUN, "--brief", "--out", tmp_path / "whole")
    assert code == 0, err
    assert "Held-out validation" in (tmp_path / "whole" / "brief.html").read_text("utf-8")
    headline = validation / "headline.csv"
    headline.write_text(headline.read_text("utf-8").replace("baseline", "base", 1), "utf-8")
    code, _, err = cli(*TINY_RUN, "--brief", "--out", tmp_path / "edited")
    assert code == 0, err
    brief = (tmp_path / "edited" / "brief.html").read_text(encoding="utf-8")
    assert "Held-out validation" not in brief


def test_out_inside_a_folder_another_process_is_writing_is_refused(cli, tmp_path):
    outer = tmp_path / "A"
    with held_by_another_process(outer, "run") as holder:  # a run staging A (A absent)
        code, _, err = cli(*TINY_RUN, "--posterior", "none", "--out", outer / "sub")
        assert code == 2, err
        assert f"which another leverage-sim process is writing (pid {holder.pid}" in err
        assert not outer.exists()
    assert (outer / ".leverage-sim.json").is_file()  # the holder's folder went into place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["A"]


def test_results_staged_for_a_folder_something_else_filled_are_kept_beside_it(tmp_path):
    out = tmp_path / "A"
    with pytest.raises(OutputError) as caught, claim_output(out, "run") as folder:
        (folder.path / "summary.parquet").write_text("results", encoding="utf-8")
        out.mkdir()  # someone else, meanwhile
        (out / "notes.txt").write_text("mine", encoding="utf-8")
    kept = tmp_path / "A.kept"
    message = str(caught.value)
    assert f"complete in '{kept}'" in message and "notes.txt" in message
    assert (kept / "summary.parquet").read_text(encoding="utf-8") == "results"
    assert (kept / ".leverage-sim.json").is_file()  # a folder leverage-sim wrote, whole
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["A", "A.kept"]


@pytest.mark.parametrize(("section", "key", "named"), [
    ("", "true", "key 'true' is read by YAML as true/false"),
    ("", "null", "key 'null' is read by YAML as null"),
    ("government", "1.5", "key '1.5' in government is read by YAML as a number"),
    ("militias[M1]", "2020-01-01", "key '2020-01-01' in militias[M1] is read by YAML as a date"),
])
def test_a_key_yaml_reads_as_no_text_is_named_as_written(section, key, named, cli, tmp_path):
    line = {"": f"{key}: 3", "government": f"government: {{{key}: 3}}",
            "militias[M1]": f"militias:\n  - {{name: M1, {key}: 3}}"}[section]
    path = tmp_path / "keyed.yaml"
    path.write_text(f"extends: generic_proxy_state\nname: keyed\n{line}\n", encoding="utf-8")
    code, _, err = cli("run", path, "-n", 1, "--posterior", "none")
    assert code == 2 and named in err, err
    assert "'[1]'" not in err  # a key true was named as a list's second entry


def test_worker_timeout_with_the_serial_executor_is_refused_as_workers_is(cli, tmp_path):
    """The audit's open point: ``--worker-timeout`` with ``--executor serial`` was accepted and
    ignored, while ``--workers`` there is refused."""
    code, _, err = cli("sweep", "june_2020_replay", "--param", "foreign_forces.backing=0,1",
                       "-n", 1, "--executor", "serial", "--worker-timeout", 5,
                       "--out", tmp_path / "s", "-q")
    assert code == 2 and "--worker-timeout 5 would be ignored" in err, err
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize("text", ["0005", "+5", "1__0", " 5", "\u0665"])
def test_a_command_line_number_is_read_as_files_read_it(text, cli):
    """The audit's open point: ``--seed 0005`` ran with seed 5 (so did ``+5``, `` 5``, an
    Arabic-Indic five), while a file or ``--set`` refuses a leading zero (``1_000`` is taken by
    both)."""
    code, _, err = cli("run", "june_2020_replay", "-n", 1, "--seed", text, "--posterior", "none")
    assert code == 2 and "without a leading zero" in err, err


def test_a_manifest_with_parameters_as_a_mapping_keeps_the_briefs_informed_sentence(cli,
                                                                                   tmp_path):
    """The audit's open point: a manifest whose ``parameters`` are a mapping (a form the loader
    takes) lost the brief's "the record does not inform N of its parameters" without a word."""
    folder = tmp_path / "cal"
    shutil.copytree(DEFAULT_DIR, folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    n = len(manifest["parameters"])
    manifest["parameters"] = {entry.pop("path"): entry for entry in manifest["parameters"]}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    code, _, err = cli("run", "june_2020_replay", "-n", 2, "--posterior", folder, "--brief",
                       "--out", tmp_path / "r", "-q")
    assert code == 0, err
    lacking = n - len(manifest["informed"])
    assert f"does not inform {lacking} of its {n} parameters" in \
        (tmp_path / "r" / "brief.html").read_text()


@pytest.mark.parametrize(("key", "kind"), [("null", "null"), ("2020-01-01", "a date"),
                                           ("true", "true/false")])
def test_a_figures_key_yaml_reads_as_no_text_is_named_as_written(key, kind, cli, tmp_path):
    """The audit's open point: such a key in an event's ``figures`` was named
    ``'events[0] (ct_raid).figures.None.[key]'``."""
    path = tmp_path / "figkey.yaml"
    path.write_text("extends: june_2020_replay\nname: figkey\nevents:\n  - name: ct_raid\n"
                    f"    figures: {{{key}: 3, arrests: 14}}\n", encoding="utf-8")
    code, _, err = cli("run", path, "-n", 1, "--posterior", "none")
    assert code == 2 and f"key '{key}' in events[0] (ct_raid).figures is read by YAML as " \
        f"{kind}" in err, err
    assert "[key]" not in err


def test_an_episode_files_schema_errors_name_a_fact_as_its_argument_errors_do(cli, tmp_path):
    """helper-73's walkthrough: a schema error named a fact by position ('facts.2.observed')
    where an argument error names it (``facts[days_to_relent]``)."""
    text = (Path(__file__).parents[1] / "episodes" / "muslih_2021.yaml").read_text()
    bad = text.replace("name: muslih_2021", "name: bad_ep", 1)
    head, _, rest = bad.partition("  - name: relented\n")
    rest = rest.replace("    observed: 1\n", "    observed: [1, 2]\n", 1)
    (tmp_path / "bad_ep.yaml").write_text(head + "  - name: relented\n" + rest)
    code, out, err = cli("validate", tmp_path / "bad_ep.yaml")
    said = out + err
    assert code == 2 and "'facts[relented].observed'" in said and "facts.2" not in said, said
