"""The texts of a run name the scenario's own foreign force (``foreign_forces.label``), not
"US" whatever the force; the 2020 scenarios' texts stay as they were (analyst finding F14)."""

import re

import matplotlib.pyplot as plt
import pytest

import leverage_sim as ls
from leverage_sim.cli.json_output import run_document
from leverage_sim.outputs import plots, report
from leverage_sim.outputs.narrative import narrative
from leverage_sim.scenario.loader import load_scenario
from leverage_sim.simulation import event_text

US = re.compile(r"\bUS\b")
FRENCH = {"foreign_forces.name": "Opération Sentinelle", "foreign_forces.short_name": "French",
          "foreign_forces.backing": 1.0}
"""The generic scenario's force renamed, always stepping in (so that the texts of backing
show)."""


def _french(engine: str) -> ls.Results:
    return ls.run("generic_proxy_state", replications=3, seed=1, overrides=FRENCH,
                  posterior="none", engine=engine)


@pytest.fixture(scope="module")
def french():
    """Agent-path runs (all four tables)."""
    return _french("agent")


@pytest.mark.parametrize(("scenario", "overrides", "label"), [
    ("june_2020_replay", {}, "US"),
    ("oct2019_dec2020", {}, "US"),
    ("najaf_2004", {}, "US"),
    ("basra_2008", {}, "MNF-I"),
    ("sadr_city_2008", {}, "MNF-I"),
    ("generic_proxy_state", {}, "foreign"),
    ("lebanon_2008", {}, "foreign"),
    ("june_2020_replay", {"foreign_forces.name": "French forces"}, "foreign"),
    ("june_2020_replay", {"foreign_forces.short_name": "French"}, "French"),
])
def test_each_scenario_names_its_force(scenario, overrides, label):
    """``short_name`` if given; else "US" for the default name "US forces", "foreign" for any
    other (a scenario file without the field still loads)."""
    assert load_scenario(scenario, overrides).foreign_forces.label == label


def test_the_2020_wording_is_unchanged():
    """With the label "US" the event texts are word for word those from before the label."""
    assert event_text.attack(2, False, "US") == "hit, 2 US casualties"
    assert event_text.retaliation("US") == "retaliation for US casualties"
    assert event_text.backs("US") == "US forces step in beside the government"
    assert event_text.backs_scripted("US") == "US forces step in (scripted)"
    assert event_text.transferred("KH", 3, 0.1, "US") == (
        "detainees transferred to a unit controlled by KH, 3 kept in custody "
        "(E[US backing] = 0.10)")
    assert event_text.holds_for_now(2, 0.25, 0.5, "US") == (
        "day 2: the government holds for now (E[US backing] = 0.25, believed win chance 0.50)")
    assert event_text.halts(0.1, 0.3, "US") == (
        "the government halts the fighting (E[US backing] = 0.10, believed win chance 0.30)")
    attack = event_text.KIND["attack"]
    assert event_text.render(attack, (1, 0, 0), [], "US") == "hit, 1 US casualties"
    assert event_text.render(attack, (1, 0, 0), [], "MNF-I") == "hit, 1 MNF-I casualties"


def test_replay_events_and_report_say_us():
    res = ls.run("june_2020_replay", replications=1, seed=3, posterior="none")
    assert any("E[US backing]" in d for d in res.events["detail"])
    assert "US forces took casualties" in report.summary_text(res)


@pytest.mark.parametrize("engine", ["agent", "fast"])
def test_events_name_the_scenarios_force(french, engine):
    details = set((french if engine == "agent" else _french(engine)).events["detail"])
    assert any("E[French backing]" in d for d in details)
    assert "French forces step in beside the government" in details
    assert not [d for d in details if US.search(d)]


def test_report_and_narrative_name_the_scenarios_force(french):
    text = report.summary_text(french)
    assert "French forces took casualties" in text
    assert "French forces withdrew completely" in text
    assert not US.search(text)
    story = narrative(french)
    assert "Opération Sentinelle" in story and not US.search(story)
    meanings = {k: v["meaning"] for k, v in run_document(french)["outcome_shares"].items()}
    assert meanings["us_strikes"] == "French forces struck a militia"


def test_run_charts_name_the_scenarios_force(french):
    fig = plots.run_overview(french)
    try:
        texts = [ax.get_title() for ax in fig.axes]
        texts += [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
        assert "Attacks on French-linked sites" in texts
        assert "French forces took casualties" in texts
        assert not [t for t in texts if US.search(t)]
    finally:
        plt.close(fig)
    fig, ax = plt.subplots()
    try:
        plots.event_timeline(ax, french.events, force="French")
        rows = [t.get_text() for t in ax.get_yticklabels()]
        assert not [t for t in rows if US.search(t)]
    finally:
        plt.close(fig)


def test_fast_path_texts_follow_the_label_of_each_run():
    """The fast path's scripted rows and string table are cached per scenario: a run with
    another label gets its own texts."""
    for name in ("French", "British"):
        res = ls.run("generic_proxy_state", replications=1, seed=1, engine="fast",
                     posterior="none", overrides={**FRENCH, "foreign_forces.short_name": name})
        details = set(res.events["detail"])
        assert f"{name} forces step in beside the government" in details, name


def test_sweep_and_explore_texts_name_the_base_scenarios_force():
    """A sweep's report and an exploration of it name the force of the sweep's base scenario
    (its resolved mapping in the manifest)."""
    from leverage_sim.sweep.results import base_label

    assert base_label({}) == "US"
    assert base_label({"foreign_forces": {"name": "Foreign force F"}}) == "foreign"
    assert base_label({"foreign_forces": {"name": "MNF-I", "short_name": "MNF-I"}}) == "MNF-I"
