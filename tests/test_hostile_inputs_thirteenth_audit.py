"""Careless or hostile input found by the thirteenth audit (output folders edited or partly
deleted by hand, an interrupted exploration, a sweep's time series, the EMA adapter, long
names in a comparison's charts, an episode's facts):

- ``explore ... --out DIR`` interrupted (Ctrl-C, SIGTERM, a full disk): the message said
  "Resume with `leverage-sim sweep --resume --out DIR/sweep` (Python: run_sweep(None, ...,
  resume=True))", a command that is refused there (only ``explore`` writes its own sweep),
  before the right one. It now gives ``leverage-sim explore --resume --out DIR`` only;
- ``explore --resume --out DIR`` after ``DIR/sweep`` (or its manifest.json) was deleted or
  moved: "No sweep given: pass a sweep file or SweepSpec, or resume=True (--resume) to
  continue the sweep already in the output folder", to a user who gave ``--resume``. It now
  names the missing file and the two fixes (put it back, or run the exploration again);
- a file (or a broken link) in place of a sweep's ``summary/`` folder (the folder moved away,
  a file of the user's so named): ``sweep --resume`` failed with "Cannot write .../summary: it
  already exists (File exists)" and the advice to run the same ``--resume`` again, after
  marking a complete sweep "interrupted" in its manifest; ``rerun`` called every run "not run
  yet" and advised that ``--resume``; ``load_sweep`` returned an empty table, silently. All
  three now refuse it before anything is written, naming the file and the fix (likewise a
  file in place of ``timeseries/``);
- a complete sweep one of whose ``summary/`` parts was deleted or moved: ``load_sweep``
  returned the runs left (4 of 6) as the sweep, and ``summarise`` summarised them, silently.
  It now warns, with the count and ``sweep --resume`` (which computes the missing runs);
- ``sweep ... --timeseries --every 1000`` on a 90-day scenario (``--every`` at least the
  longest run's ``horizon_days``; likewise ``outputs: {every: N}`` in a sweep file): every
  run's time series held day 0, the starting state, only, silently. Refused before anything
  runs, naming the horizon and the largest ``--every`` that keeps more than day 0;
- ``--force`` on a folder leverage-sim wrote holding an empty folder of the user's
  (``mkdir OUT/figures`` to put things in later): the folder was deleted with the rest, since
  only files were checked against the folder's record. A sub-folder the record lists no file
  below is now the user's, and ``--force`` refuses the folder, naming it (``figures/``);
- the EMA Workbench adapter (``leverage_sim.ema.model``, ``sweep_experiments``) given one text
  where a list goes (``outcomes="attacks"``, ``timeseries="authority"``, ``levers="backing"``):
  read letter by letter ("Unknown outcome(s) ['a', 't', 't', ...]", "Unknown lever 'g'"), as
  explore's ``limits`` was before the tenth audit; ``replications="3"``: a TypeError; a
  ``name`` with a space (``"my model"``): the EMA Workbench's own ``EMAError``. One text is
  now one name, and the count and name are an :class:`InputError` naming them;
- ``compare`` of a scenario whose name has 100 characters (the most a name may have), or with a
  variant whose overrides run longer (``--variant "question=<3,000 characters>"``, a long
  ``events=[...]``): its chart's attacks panel collapsed to nothing, the legend covered the
  bars, and matplotlib warned on stderr ("constrained_layout not applied because axes sizes
  collapsed to zero"); the variant's label, 3,000 characters, was every table's column name. A
  label is now wrapped in the comparison's charts (40 characters a line; the title as wide as
  the figure), and a variant's label is cut to 100 characters with ``…`` (what it ran is still
  printed and stored whole);
- a ``$`` pair in a name a chart draws: a scenario named ``a $\\frac{$ b`` (or ``--set
  'question=a $\\frac{$ b'``, in the inputs line of every title), a militia so named in a swept
  or explored parameter's path, a foreign force's ``short_name`` so written, a compare variant
  so written (the brief's chart against the record): ``run --out``, ``compare --out``,
  ``sweep`` and ``explore`` ran every run, then ended in "internal error: ValueError: \\frac{
  ... ParseSyntaxException" (matplotlib read the text as notation), and ``run`` and
  ``compare`` wrote nothing (the sweep's runs were kept). The earlier audit's check of ``$``
  covered two charts of the seven; every label drawn from a user's text is now drawn as
  written (``plots.chart_label``, ``plots.wrapped``);
- the dashboard's histogram helpers (``leverage_sim.dashboard.ensemble``): ``bin_width(0, 10,
  max_bins=0)`` never returned (no width fits in no bins: the search went on for ever, taking a
  core); ``bin_width`` of NaN, and ``histogram`` of an empty table or one without the column:
  a ValueError or KeyError. Now an :class:`InputError` naming the argument;
- an episode listing one fact twice under two names (the same statistic with the same
  arguments; the names differ, so the check on repeated names passed): ``validate`` said OK,
  and ``calibrate`` and ``validate-model`` would count it twice, in the fit's distance and in
  the summed scores of the headline skill. Refused now, naming both facts.

Tried and already refused or handled, so not repeated here: two ``run --out`` (or a ``run``
and a ``sweep``) started at once on one folder (the second refused, naming the process; the
first folder whole); ``timeout -s INT`` of ``run --out``, ``run --out --force`` (the old folder
kept), ``compare --out``, ``validate-model --out`` (no folder left, "interrupted", exit 130)
and ``explore`` (the runs kept; ``explore --resume`` finishes); a run folder's own
``scenario.yaml`` run again with its seed (identical summary), its manifest.json or the folder
given as a scenario, the folder given to ``rerun`` or ``load_sweep``, ``--force`` on it
without its record, with a damaged record, with another kind in its record, partly deleted
(replaced); ``Results.save`` with ``fmt`` 'CSV', 'xlsx' or None, onto a run folder without
force, to bytes; ``report.html``, ``brief.html`` and ``narrative.md`` of a question of 15,000
characters with Markdown, a table, ``<script>``, a ``javascript:`` link and Arabic (escaped in
the HTML; shown as written in narrative.md, a Markdown file); ``compare`` with a variant equal
to the base, the same variant twice (``#2``), 25 variants, variants on one field, ``'events=[]'``,
``'government={resolve: 0.7}'`` (merged, not replaced), a value with a comma, a trailing comma,
spaces around ``=``, ``','``, ``''``; ``explore --lever`` with one value, an empty value, ``[0,1]``,
a reversed range, ``horizon_days`` (events after the horizon named), a whole section, texts and
dates; ``--max`` with ``<``, ``%``, no limit, no cost, ``held_firm`` or ``final_authority``;
``validate-model`` with an episode named by name and by path, a folder, ``''``, a ``.yml``
path, a calibration file or folder, a fit episode, in capitals, ``-n 2.0`` or ``1e1``;
``completion`` with a shell padded with spaces, ``sh``, ``pwsh``, ``''`` or an extra word (the
bash script passes ``bash -n``); the same sweep with ``--executor serial``/``local`` and
``--engine fast``/``agent`` (identical tables), ``validate-model --engine fast``/``agent``
(identical scores and predictive tables), ``explore`` with ``--executor serial``/``local``
(identical settings and answer); an episode whose ``horizon_days`` ends before its facts'
windows (each fact named, with the horizon that fits); the EMA adapter given a seed of -1 or
text, 2.5 or ``True`` replications, reversed, out-of-range or NaN lever bounds, ``seed`` or
``horizon_days`` as a lever, a run folder to ``sweep_experiments``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

import leverage_sim as ls
from leverage_sim.errors import InputError
from leverage_sim.sweep.storage import SweepStore

REPLAY = "june_2020_replay"
TINY = ("--posterior", "none", "-n", 1, "--set", "horizon_days=5", "--set", "events=[]",
        "-q", "--executor", "serial")


def _sweep(cli, out: Path, *extra: object) -> None:
    code, _, err = cli("sweep", REPLAY, "--param", "government.resolve=0.2,0.5,0.8", *TINY,
                       "--chunk-size", 1, "--out", out, *extra)
    assert code == 0, err


def _stop_after_the_first_chunk(monkeypatch) -> None:
    """A sweep that stores its first chunk, then is stopped (Ctrl-C)."""
    stored = SweepStore.write_chunk

    def write_one_then_stop(self, summary, timeseries):
        stored(self, summary, timeseries)
        raise KeyboardInterrupt

    monkeypatch.setattr(SweepStore, "write_chunk", write_one_then_stop)


def test_an_interrupted_exploration_gives_only_the_command_that_continues_it(cli, tmp_path,
                                                                             monkeypatch):
    out = tmp_path / "ex"
    _stop_after_the_first_chunk(monkeypatch)
    code, _, err = cli("explore", REPLAY, "--lever", "government.resolve=0.2,0.8", *TINY,
                       "--out", out)
    assert code == 130
    assert f"Resume with `leverage-sim explore --resume --out {out}`" in err
    assert "sweep --resume" not in err and "run_sweep(" not in err
    monkeypatch.undo()
    assert cli("explore", "--resume", "--out", out, "-q")[0] == 0  # the advice works
    assert (out / "settings.csv").is_file()


def test_a_stopped_sweep_of_its_own_still_says_sweep_resume(cli, tmp_path, monkeypatch):
    out = tmp_path / "s"
    _stop_after_the_first_chunk(monkeypatch)
    code, _, err = cli("sweep", REPLAY, "--param", "government.resolve=0.2,0.8", *TINY,
                       "--out", out)
    assert code == 130 and f"Resume with `leverage-sim sweep --resume --out {out}`" in err


@pytest.mark.parametrize("gone", ["sweep", "sweep/manifest.json"])
def test_explore_resume_after_its_sweep_was_deleted_names_what_is_missing(gone, cli, tmp_path):
    out = tmp_path / "ex"
    assert cli("explore", REPLAY, "--lever", "government.resolve=0.2,0.8", *TINY,
               "--out", out)[0] == 0
    path = out / gone
    path.unlink() if path.is_file() else shutil.rmtree(path)
    code, _, err = cli("explore", "--resume", "--out", out, "-q")
    assert code == 2 and "No sweep given" not in err
    assert f"{out / 'sweep' / 'manifest.json'} is missing" in err and "--force" in err
    assert (out / "explore.json").is_file()  # nothing of the folder was touched


@pytest.mark.parametrize("part", ["summary", "timeseries"])
def test_a_file_in_place_of_a_sweeps_runs_folder_is_named_before_anything_is_written(
        part, cli, tmp_path):
    out = tmp_path / "s"
    _sweep(cli, out, "--timeseries")
    (out / part).rename(tmp_path / "moved")
    (out / part).write_text("mine", encoding="utf-8")
    manifest = (out / "manifest.json").read_bytes()
    code, _, err = cli("sweep", "--resume", "--out", out, "-q")
    assert code == 2, err
    assert f"{out / part} is where the sweep keeps its runs' parts, a folder, but it is a " \
           "file" in err
    assert "File exists" not in err
    assert (out / "manifest.json").read_bytes() == manifest  # still "complete"
    assert (out / part).read_text(encoding="utf-8") == "mine"
    if part == "summary":
        code, _, err = cli("rerun", out, "--run-id", 0)
        assert code == 2 and "is where the sweep keeps its runs' parts" in err
        with pytest.raises(InputError, match="is where the sweep keeps its runs' parts"):
            ls.load_sweep(out)


def test_a_sweep_whose_runs_folder_is_back_in_place_resumes_and_loads(cli, tmp_path):
    out = tmp_path / "s"
    _sweep(cli, out)
    (out / "summary").rename(tmp_path / "moved")
    (tmp_path / "moved").rename(out / "summary")
    assert cli("sweep", "--resume", "--out", out, "-q")[0] == 0
    assert len(ls.load_sweep(out)) == 3


def test_a_complete_sweep_missing_a_part_warns_when_loaded(cli, tmp_path):
    out = tmp_path / "s"
    _sweep(cli, out)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # whole: no warning
        assert len(ls.load_sweep(out)) == 3
    min((out / "summary").glob("part-*.parquet")).unlink()
    with pytest.warns(UserWarning, match=r"finished all its 3 runs, but only 2 are stored"):
        runs = ls.load_sweep(out)
    assert len(runs) == 2
    assert cli("sweep", "--resume", "--out", out, "-q")[0] == 0  # the advice works
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(ls.load_sweep(out)) == 3


def test_an_interrupted_sweep_loads_its_stored_runs_without_a_warning(cli, tmp_path):
    out = tmp_path / "s"
    _sweep(cli, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["progress"].update(status="interrupted", done=2)
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    min((out / "summary").glob("part-*.parquet")).unlink()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(ls.load_sweep(out)) == 2


@pytest.mark.parametrize("every", [5, 1000])
def test_every_as_long_as_the_runs_is_refused(every, cli, tmp_path):
    code, _, err = cli("sweep", REPLAY, "--param", "government.resolve=0.2,0.8", *TINY,
                       "--timeseries", "--every", every, "--out", tmp_path / "s")
    assert code == 2
    assert f"(--every) {every} keeps one day in {every}, but its runs last 5 days" in err
    assert "Give an --every below 5" in err and not (tmp_path / "s").exists()


def test_every_below_the_longest_run_is_still_run(cli, tmp_path):
    out = tmp_path / "s"
    code, _, err = cli("sweep", REPLAY, "--param", "horizon_days=3,5", "--posterior", "none",
                       "-n", 1, "--set", "events=[]", "-q", "--executor", "serial",
                       "--timeseries", "--every", 4, "--out", out)
    assert code == 0, err  # the longest run (5 days) keeps days 0 and 4
    assert len(ls.load_sweep(out)) == 2
    series = pd.concat(pd.read_parquet(p) for p in (out / "timeseries").glob("*.parquet"))
    assert sorted(series["day"].unique()) == [0, 4]


def test_force_never_deletes_a_users_empty_folder(cli, tmp_path):
    out = tmp_path / "r"
    run = (REPLAY, *TINY[:-2], "--out", out)
    assert cli("run", *run)[0] == 0
    (out / "figures").mkdir()
    code, _, err = cli("run", *run, "--force")
    assert code == 2 and "did not write (figures/)" in err
    assert (out / "figures").is_dir()
    (out / "figures").rmdir()
    assert cli("run", *run, "--force")[0] == 0


def test_force_still_replaces_a_sweep_with_its_own_sub_folders(cli, tmp_path):
    out = tmp_path / "s"
    _sweep(cli, out, "--timeseries")
    for part in ("summary", "timeseries"):
        for f in (out / part).iterdir():
            f.unlink()  # left empty: still the sweep's own folders
    _sweep(cli, out, "--force")
    assert len(ls.load_sweep(out)) == 3


def test_the_ema_model_reads_one_text_as_one_name(cli, tmp_path):
    ema = pytest.importorskip("leverage_sim.ema")
    model = ema.model(REPLAY, 1, levers="backing", uncertainties="instigation",
                      outcomes="attacks", timeseries="authority")
    assert [p.name for p in model.levers] == ["foreign_forces_backing"]
    assert [p.name for p in model.uncertainties] == ["patron_instigation"]
    assert [o.name for o in model.outcomes] == ["attacks", "daily_authority"]
    out = tmp_path / "s"
    _sweep(cli, out)
    _, outcomes = ema.sweep_experiments(out, outcomes="attacks")
    assert list(outcomes) == ["attacks"]


@pytest.mark.parametrize(("kwargs", "said"), [
    ({"replications": "3"}, "replications (runs per experiment) must be a whole number"),
    ({"name": "my model"}, "name 'my model': the EMA Workbench takes a model name"),
    ({"name": 5}, "name 5: the EMA Workbench takes"),
])
def test_the_ema_models_count_and_name_of_the_wrong_kind_are_input_errors(kwargs, said):
    ema = pytest.importorskip("leverage_sim.ema")
    with pytest.raises(InputError) as e:
        ema.model(REPLAY, **kwargs)
    assert said in str(e.value)


def test_the_ema_models_own_name_and_count_are_still_taken():
    ema = pytest.importorskip("leverage_sim.ema")
    assert ema.model(REPLAY, 2, name="replay2").name == "replay2"
    assert ema.model(REPLAY, 2, name="").name == "june2020replay"  # as before: the default


SHORT = {"horizon_days": 5, "events": []}


def _drawn_without_warning(fig) -> None:
    import io

    import matplotlib.pyplot as plt
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "constrained_layout not applied ... collapsed"
        fig.savefig(io.BytesIO(), format="png", dpi=40)
    plt.close(fig)


def test_a_scenario_named_in_100_characters_does_not_squeeze_the_comparison_chart(tmp_path):
    name = "a" * 100  # the longest name a scenario may have
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"name: {name}\nextends: {REPLAY}\nhorizon_days: 5\nevents: []\n",
                    encoding="utf-8")
    cmp = ls.compare([REPLAY, path], 1, seed=1, posterior=None, overrides=SHORT)
    _drawn_without_warning(cmp.chart())


def test_a_long_variant_is_labelled_in_at_most_100_characters(tmp_path):
    question = "x" * 3000
    cmp = ls.compare(REPLAY, 1, seed=1, posterior=None, overrides=SHORT,
                     variants=[f"question={question}", "government.resolve=0.7"])
    long, short = list(cmp.results)[1:]
    assert len(long) == 100 and long.endswith("…") and long.startswith("question=xxx")
    assert short == "government.resolve=0.7"  # a short one is labelled as before
    assert any(question in line for line in cmp.columns_text())  # the whole, where it ran
    _drawn_without_warning(cmp.chart())


def test_an_episode_listing_one_fact_twice_under_two_names_is_refused(tmp_path):
    from leverage_sim.calibration.episodes import load_episode
    from tests.test_hostile_inputs_fifth_audit import EPISODE, add_fact, episode_with

    first = EPISODE["facts"][0]
    twice = {**first, "name": f"{first['name']}_again"}
    twice.pop("sources", None)
    path = episode_with(tmp_path, add_fact(**twice))
    with pytest.raises(InputError) as e:
        load_episode(path)
    assert str(e.value).startswith(str(path))
    assert f"facts '{first['name']}' and '{first['name']}_again' measure the same thing" in \
        str(e.value)


def test_two_facts_on_one_statistic_with_other_arguments_are_still_read(tmp_path):
    from leverage_sim.calibration.episodes import load_episode
    from tests.test_hostile_inputs_fifth_audit import EPISODE, add_fact, episode_with

    first = EPISODE["facts"][0]
    later = {**first, "name": "later", "arguments": {**first["arguments"], "end": "2021-05-28"}}
    later.pop("sources", None)
    assert len(load_episode(episode_with(tmp_path, add_fact(**later))).spec.facts) == \
        len(EPISODE["facts"]) + 1


def test_the_dashboards_histogram_helpers_refuse_what_they_cannot_bin():
    from leverage_sim.dashboard import ensemble

    code = ("from leverage_sim.dashboard import ensemble\n"
            "try:\n    ensemble.bin_width(0, 10, max_bins=0)\n"
            "except Exception as e:\n    print(type(e).__name__, e)\n")
    try:  # in a process of its own: it used to search for ever
        said = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=60, check=False).stdout
    except subprocess.TimeoutExpired:
        pytest.fail("bin_width(0, 10, max_bins=0) did not return within a minute")
    assert said.startswith("InputError max_bins (bins of a histogram) must be a whole")
    with pytest.raises(InputError, match="must be finite numbers"):
        ensemble.bin_width(float("nan"), 1)
    with pytest.raises(InputError, match="lacks 'attacks'"):
        ensemble.histogram(pd.DataFrame({"scenario": ["a"], "x": [1]}), "attacks")
    with pytest.raises(InputError, match="has 0 rows"):
        ensemble.histogram(pd.DataFrame({"scenario": [], "attacks": []}), "attacks")
    bins = ensemble.histogram(pd.DataFrame({"scenario": ["a", "a"], "attacks": [3, 41]}),
                              "attacks")
    assert bins["runs"].sum() == 2 and ensemble.bin_width(3, 41) == 2  # still binned


DOLLAR = "a $\\frac{$ b"
TINY_RUN = ("--posterior", "none", "-n", 1, "--set", "horizon_days=5", "--set", "events=[]",
            "-q")


def _dollar_scenarios(tmp_path: Path) -> dict[str, Path]:
    body = {"name": f"name: '{DOLLAR}'\n",
            "force": "foreign_forces:\n  short_name: 'U$\\frac{$S'\n",
            "militia": "militias:\n  - {name: KSS, remove: true}\n"
                       "  - {name: 'Z$\\frac{$', fighters: 500, patron_support_share: 0.0}\n"}
    paths = {}
    for key, text in body.items():
        paths[key] = tmp_path / f"{key}.yaml"
        paths[key].write_text(f"extends: {REPLAY}\n{text}", encoding="utf-8")
    return paths


def test_a_dollar_pair_in_a_drawn_name_does_not_break_run_or_compare(cli, tmp_path):
    for key, path in _dollar_scenarios(tmp_path).items():
        code, _, err = cli("run", path, *TINY_RUN, "--out", tmp_path / f"r_{key}", "--brief")
        assert code == 0 and "internal error" not in err, (key, err)
        assert (tmp_path / f"r_{key}" / "overview.png").is_file()
        code, _, err = cli("compare", REPLAY, path, *TINY_RUN, "--out", tmp_path / f"c_{key}",
                           "--brief")
        assert code == 0 and "internal error" not in err, (key, err)
    code, _, err = cli("run", REPLAY, *TINY_RUN, "--set", f"question={DOLLAR}",
                       "--out", tmp_path / "q")
    assert code == 0, err
    code, _, err = cli("compare", REPLAY, "--variant", f"question={DOLLAR}", *TINY_RUN,
                       "--out", tmp_path / "v", "--brief")
    assert code == 0 and (tmp_path / "v" / "brief.html").is_file(), err


def test_a_dollar_pair_in_a_swept_militias_name_does_not_break_sweep_or_explore(cli,
                                                                                  tmp_path):
    path = _dollar_scenarios(tmp_path)["militia"]
    lever = "militias[Z$\\frac{$].autonomy=0.2,0.8"
    code, _, err = cli("sweep", path, "--param", lever, *TINY, "--out", tmp_path / "s")
    assert code == 0 and (tmp_path / "s" / "report.html").is_file(), err
    code, _, err = cli("explore", path, "--lever", lever, *TINY, "--out", tmp_path / "e")
    assert code == 0 and (tmp_path / "e" / "explore.png").is_file(), err
