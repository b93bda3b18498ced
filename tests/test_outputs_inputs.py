"""Outputs say what they were computed from (issue 20): overrides and parameters in every
title and header, one default posterior everywhere, a typical narrated run, one name per
outcome, compare's effects first, variants in one command, and the one-page brief."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

import leverage_sim as ls
from leverage_sim.analysis.comparison import compare
from leverage_sim.cli.main import main
from leverage_sim.outputs import report
from leverage_sim.outputs.narrative import narrative, typical_replication
from leverage_sim.outputs.report_brief import HEADLINE
from leverage_sim.outputs.run_outputs import charts
from leverage_sim.scenario import labels
from leverage_sim.simulation.posterior import DEFAULT_DIR, DEFAULT_POSTERIOR, load_posterior
from leverage_sim.sweep import SweepSpec
from tests.test_reports import self_contained

REPLAY = "june_2020_replay"
BACKED = "foreign_forces.backing=0.9"
CALIBRATED = (f"calibrated posterior calibration/default "
              f"({load_posterior(DEFAULT_DIR).particles} particles)")
VARIANT = "foreign_forces.backing=0.9,government.resolve=0.8"
VARIANT_LABEL = "foreign_forces.backing=0.9, government.resolve=0.8"


@pytest.fixture(scope="module")
def backed_run(tmp_path_factory):
    """`run REPLAY --set BACKED --out DIR --brief` (default parameters), its stdout and DIR."""
    out = tmp_path_factory.mktemp("run") / "backed"
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["run", REPLAY, "--set", BACKED, "-n", "12", "-q", "--out", str(out),
                     "--brief"]) == 0
    return buf.getvalue(), out


@pytest.fixture(scope="module")
def variant_compare(tmp_path_factory):
    """`compare REPLAY --variant BACKED --variant VARIANT --out DIR --brief`."""
    out = tmp_path_factory.mktemp("cmp") / "c"
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["compare", REPLAY, "--variant", BACKED, "--variant", VARIANT, "-n", "20",
                     "--seed", "3", "-q", "--out", str(out), "--brief"]) == 0
    return buf.getvalue(), out


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.DOTALL).group(1)


# ---- 3: a counterfactual is never passed off as the replay ---------------------------------
def test_run_outputs_name_the_override_and_the_posterior(backed_run):
    stdout, out = backed_run
    head = stdout.splitlines()[0]
    assert BACKED in head and CALIBRATED in head
    page = (out / "report.html").read_text()
    assert BACKED in _title(page) and CALIBRATED in _title(page)
    summary = page.split('<section id="s0">')[1].split("</section>")[0]
    assert BACKED in summary and CALIBRATED in summary
    assert BACKED in (out / "narrative.md").read_text()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["overrides"] == [BACKED] and BACKED in manifest["inputs"]


def test_run_chart_captions_name_the_override_and_the_posterior():
    res = ls.run(REPLAY, 3, seed=1, overrides=[BACKED])
    for name, fig in charts(res).items():
        titles = [" ".join(t.split())  # long inputs lines are wrapped to the chart's width
                  for t in (fig.get_suptitle(), *(ax.get_title() for ax in fig.axes))]
        assert any(BACKED in t and CALIBRATED in t for t in titles), name


def test_compare_and_sweep_headers_name_the_columns_and_the_posterior(variant_compare,
                                                                      tmp_path, capsys):
    stdout, out = variant_compare
    assert VARIANT_LABEL in stdout.splitlines()[0] and CALIBRATED in stdout.splitlines()[0]
    title = _title((out / "report.html").read_text())
    assert VARIANT_LABEL in title and CALIBRATED in title
    assert main(["sweep", REPLAY, "--param", "patron.instigation=0.5,0.6", "--set", BACKED,
                 "--executor", "serial", "-q", "--out", str(tmp_path / "s")]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert BACKED in first and CALIBRATED in first
    assert BACKED in _title((tmp_path / "s" / "report.html").read_text())


# ---- 4: one default everywhere ---------------------------------------------------------------
def test_one_default_posterior_in_cli_python_and_sweeps(backed_run, variant_compare, tmp_path):
    assert DEFAULT_POSTERIOR == "default"
    sha = load_posterior(DEFAULT_DIR).sha256
    assert ls.run(REPLAY, 2, seed=1).posterior["sha256"] == sha
    assert compare([REPLAY, "june_2020_us_intervenes"], 2, seed=1).posterior["sha256"] == sha
    assert json.loads((backed_run[1] / "manifest.json").read_text())["posterior"]["sha256"] == sha
    assert json.loads((variant_compare[1] / "manifest.json").read_text())["posterior"][
        "sha256"] == sha
    spec = SweepSpec.from_cli(REPLAY, ["patron.instigation=0.5"], replications=1)
    stored = json.loads((ls.run_sweep(spec, tmp_path / "s", executor="serial")
                         / "manifest.json").read_text())
    assert stored["posterior"]["sha256"] == sha
    off = ls.run(REPLAY, 2, seed=1, posterior=None)
    assert off.posterior is None and "own values (no posterior)" in off.inputs
    assert "own values (no posterior)" in report.summary_text(off).splitlines()[0]


def test_posterior_none_switches_it_off_on_the_command_line(tmp_path, capsys):
    assert main(["run", REPLAY, "-n", "2", "-q", "--posterior", "none", "--out",
                 str(tmp_path / "r")]) == 0
    assert "own values (no posterior)" in capsys.readouterr().out.splitlines()[0]
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text())
    assert manifest["posterior"] is None and "no posterior" in manifest["inputs"]


# ---- 5: the narrated run is a typical one ----------------------------------------------------
def test_typical_replication_is_nearest_the_medians():
    res = ls.run(REPLAY, 40, seed=2)
    k = typical_replication(res.summary)
    attacks = res.summary["attacks"]
    assert abs(attacks[k] - attacks.median()) <= attacks.quantile(0.75) - attacks.quantile(0.25)
    # an outlier is never chosen: replication 0 made extreme loses
    skewed = res.summary.copy()
    skewed.loc[skewed["replication"] == k, "attacks"] = 10 * attacks.max() + 100
    assert typical_replication(skewed) != k
    text = narrative(res)
    assert f"replication {k}" in text.splitlines()[0]
    assert f"Replication {k} of 40 is narrated because it is the typical run" in text


def test_run_report_narrates_the_typical_run(backed_run):
    _, out = backed_run
    summary = pd.read_parquet(out / "summary.parquet")
    k = typical_replication(summary)
    assert f"what happened in replication {k}" in (out / "narrative.md").read_text()
    assert f"Narrative of a typical run (replication {k})" in (out / "report.html").read_text()


# ---- 6: one name per outcome; shares need not sum to 100% ------------------------------------
def test_one_name_per_outcome_and_the_several_rows_note(backed_run):
    stdout, out = backed_run
    page = (out / "report.html").read_text()
    for text in (stdout, page):
        assert "won a standoff" not in text and "the government won" not in text
        assert "held firm in a standoff or operation" in text
        assert "need not sum to 100%" in text
    assert labels.label("held_firm") == "standoffs in which the government held firm (count)"


# ---- 7: compare's report leads with the effects ----------------------------------------------
def test_compare_report_leads_with_the_effects(variant_compare):
    _, out = variant_compare
    page = (out / "report.html").read_text()
    first = page.split('<section id="s0">')[1].split("</section>")[0]
    assert "<h2>Effects</h2>" in first and "<svg" in first
    effects = pd.read_csv(out / "effects.csv")
    held = effects[(effects["measure"] == "held_firm")
                   & (effects["scenario"] == VARIANT_LABEL)].iloc[0]
    label = (f"held firm {held['effect']:+.0f} points [{held['low']:+.0f}, "
             f"{held['high']:+.0f}]")
    assert label in first  # the chart's label, from effects.csv
    assert f"<td>{held['effect']:+.0f} points</td>" in first  # the table's cell


# ---- 8: variants without writing files -------------------------------------------------------
def test_variants_are_columns_on_the_same_seeds(variant_compare):
    stdout, out = variant_compare
    summary = pd.read_parquet(out / "summary.parquet")
    assert list(dict.fromkeys(summary["scenario"])) == [REPLAY, BACKED, VARIANT_LABEL]
    alone = ls.run(REPLAY, 20, seed=3, overrides=VARIANT.split(",")).summary
    rows = summary[summary["scenario"] == VARIANT_LABEL].drop(columns="scenario")
    pd.testing.assert_frame_equal(rows.reset_index(drop=True), alone, check_dtype=False)
    assert f"{VARIANT_LABEL}: held_firm" in stdout


def test_python_compare_takes_variants():
    cmp = compare(REPLAY, 3, seed=1, variants=[{"foreign_forces.backing": 0.9}, VARIANT],
                  posterior=None)
    assert list(cmp.results) == [REPLAY, BACKED, VARIANT_LABEL]
    assert cmp.results[VARIANT_LABEL].scenario.government.resolve == 0.8


@pytest.mark.parametrize(("variant", "says"), [
    ("foreign_forces.backing=2", "Variant 'foreign_forces.backing=2'"),
    ("foreign_forces.bcking=0.9", "bcking"),
    ("foreign_forces.backing", "has no '='"),
    ("", "at least one override"),
])
def test_bad_variants_are_clear_errors_that_write_nothing(variant, says, tmp_path, capsys):
    assert main(["compare", REPLAY, "--variant", variant, "-n", "2", "--out",
                 str(tmp_path / "o")]) == 2
    assert says in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_compare_needs_two_columns(capsys):
    assert main(["compare", REPLAY, "-n", "2"]) == 2
    assert "--variant" in capsys.readouterr().err


# ---- 10: the one-page brief ------------------------------------------------------------------
def test_compare_brief_is_self_contained_and_quotes_the_tables(variant_compare):
    _, out = variant_compare
    page = (out / "brief.html").read_text()
    self_contained(page)
    assert "@page" in page
    effects = pd.read_csv(out / "effects.csv")
    for label in (BACKED, VARIANT_LABEL):
        e = effects[(effects["measure"] == HEADLINE) & (effects["scenario"] == label)].iloc[0]
        assert (f"{label}: held firm {e['effect']:+.0f} points [{e['low']:+.0f}, "
                f"{e['high']:+.0f}]") in page
    table = pd.read_csv(out / "comparison.csv")
    base = table[(table["scenario"] == REPLAY) & (table["measure"] == HEADLINE)].iloc[0]
    assert f"in {base['value']:.0%} of runs [{base['low']:.0%}, {base['high']:.0%}]" in page
    manifest = json.loads((DEFAULT_DIR / "manifest.json").read_text())
    assert f"effective sample size {manifest['ess']:.0f})" in page  # the calibration's caveats
    assert "Held-out validation" in page
    assert "kh muster" in page  # the chart marks the June 2020 record (episodes/)
    assert ls.load_scenario(REPLAY).question in page


def test_the_briefs_held_out_caveat_is_the_committed_validation_of_this_posterior():
    """The brief quoted the last paragraph of docs/calibration.md's validation section (which
    had become one episode's reading); it now states every held-out episode's skill with its
    interval and the facts outside the 90% predictive, from calibration/default_validation/,
    only for the posterior that folder scored."""
    from leverage_sim.files.inputs_hash import file_sha256
    from leverage_sim.outputs.report_brief import VALIDATION_DIR, held_out_caveat

    (text,) = held_out_caveat(VALIDATION_DIR, file_sha256(DEFAULT_DIR / "posterior.parquet"))
    headline = pd.read_csv(VALIDATION_DIR / "headline.csv")
    for r in headline[headline["baseline"] == "prior"].itertuples():
        assert f"{r.episode} {r.skill:+.2f} [{r.low90:+.2f}, {r.high90:+.2f}]" in text
    scores = pd.read_csv(VALIDATION_DIR / "scores.csv")
    scores = scores[scores["source"] == "posterior"]
    outside = scores[(scores["quantile"] < 0.05) | (scores["quantile"] > 0.95)]
    assert f"{len(outside)} of the {len(scores)} observed facts lie outside" in text
    assert held_out_caveat(VALIDATION_DIR, "0" * 64) == []  # scored another posterior


def test_run_brief_quotes_the_outcome_table(backed_run):
    _, out = backed_run
    page = (out / "brief.html").read_text()
    summary = pd.read_parquet(out / "summary.parquet")
    share = (summary["held_firm"] > 0).mean()
    assert f"held firm in a standoff or operation: {100 * share:.0f}% of runs" in page
    self_contained(page)
    assert BACKED in page


def test_brief_needs_out(capsys):
    assert main(["run", REPLAY, "-n", "2", "--brief"]) == 2
    assert "--out" in capsys.readouterr().err


def test_brief_caveats_name_what_the_committed_calibration_does_not_inform(variant_compare):
    """The committed calibration (table method) is described by its own manifest: simulations,
    convergence, ESS and the parameters the record does not inform."""
    _, out = variant_compare
    page = (out / "brief.html").read_text()
    manifest = json.loads((DEFAULT_DIR / "manifest.json").read_text())
    assert f"rests on {manifest['simulations']:,} simulated histories" in page
    lacking = [p["path"] for p in manifest["parameters"] if p["path"] not in manifest["informed"]]
    assert lacking and all(p in page for p in lacking)


def test_effects_in_words_show_no_negative_zero_and_no_doubled_mean():
    """The compare report read "-0 points", "[-0.0, +0.0]" and "mean mean militia autonomy at
    the end" (the label already starts with "mean")."""
    from leverage_sim.outputs.report_pages import effect_cells, effects_table

    assert effect_cells("points", "held_firm", -0.3, -2.4, 0.2) == ("+0 points", "-2", "+0")
    assert effect_cells("mean", "attacks", -0.04, -0.2, 0.3) == ("+0.0", "-0.2", "+0.3")
    assert effect_cells("points", "held_firm", 29.4, 24, 34) == ("+29 points", "+24", "+34")
    cmp = ls.compare(REPLAY, replications=2, seed=1, posterior=None,
                     variants=["foreign_forces.backing=0.9"],
                     overrides={"horizon_days": 5, "events": []})
    measures = set(effects_table(cmp)["measure"])
    assert any(m.startswith("mean militia autonomy at the end") for m in measures)
    assert not any(m.startswith("mean mean") for m in measures)


def _own_case(root, monkeypatch):
    """An analyst's case laid out as docs/calibration.md says: CASE/scenarios/my_case.yaml
    and CASE/episodes/my_case.yaml (Amarah's, renamed), run from another folder."""
    from leverage_sim.calibration.episodes import EPISODE_DIR
    from leverage_sim.scenario.loader import find_scenario

    for kind, source in (("scenarios", find_scenario("amarah_2008")),
                         ("episodes", EPISODE_DIR / "amarah_2008.yaml")):
        (root / kind).mkdir(parents=True)
        text = source.read_text(encoding="utf-8").replace("amarah_2008", "my_case")
        (root / kind / "my_case.yaml").write_text(text, encoding="utf-8")
    (root / "episodes" / "broken.yaml").write_text("name: [\n", encoding="utf-8")
    monkeypatch.chdir(root.parent)
    return root / "scenarios" / "my_case.yaml"


def test_the_brief_charts_an_analysts_own_episode_beside_its_scenario(tmp_path, monkeypatch):
    """The brief's historical-record chart looked only in the shipped episodes/, so an
    analyst's own case (episodes/ beside scenarios/ in a folder of theirs) got the outcome
    bars instead; an episode file there that does not load (for another case) is skipped."""
    from leverage_sim.outputs.report_brief import record_facts

    path = _own_case(tmp_path / "case", monkeypatch)
    facts = record_facts(ls.load_scenario(str(path)))
    assert facts and {name for name, _ in facts} == {"my_case"}
    assert {name for name, _ in record_facts(ls.load_scenario("amarah_2008"))} == {"amarah_2008"}
    out = tmp_path / "run"
    assert main(["run", str(path), "-n", "3", "-q", "--posterior", "none", "--out", str(out),
                 "--brief"]) == 0
    assert "historical record" in (out / "brief.html").read_text(encoding="utf-8")
