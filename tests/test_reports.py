"""report.html: one self-contained page (no external script, style or image) with the
narrative, tables, embedded charts and manifest, for run, compare and sweep."""

import json
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import leverage_sim as ls
from leverage_sim.analysis.comparison import Comparison
from leverage_sim.files.report_html import Section, write_report
from leverage_sim.outputs.narrative import typical_replication
from leverage_sim.outputs.report_pages import compare_report
from leverage_sim.outputs.run_outputs import write_run
from leverage_sim.sweep import SweepSpec, run_sweep
from leverage_sim.sweep.report_page import sweep_report

EXTERNAL = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?"""
                      r"""(?:https?:)?//""", re.IGNORECASE)


def self_contained(page: str) -> None:
    assert not EXTERNAL.search(page), EXTERNAL.search(page).group(0)
    assert "@import" not in page and "url(http" not in page


@pytest.fixture(scope="module")
def runs():
    return {"replay": ls.run("june_2020_replay", replications=3, seed=2),
            "backed": ls.run("june_2020_replay", replications=3, seed=2,
                             overrides={"foreign_forces.backing": 0.9})}


def test_generic_report_embeds_every_kind_of_part(tmp_path):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    png = tmp_path / "chart.png"
    fig.savefig(png)
    path = write_report(tmp_path / "report.html", "A <title>", [
        Section("Text", ["Some **bold** text"]),
        Section("Table", [pd.DataFrame({"name": ["b", "a"], "count": [2.0, 10.0]})]),
        Section("Charts", [fig, png]),
        Section("Manifest", [{"seed": 7}]),
    ])
    plt.close(fig)
    page = path.read_text(encoding="utf-8")
    self_contained(page)
    assert "<title>A &lt;title&gt;</title>" in page and "<strong>bold</strong>" in page
    assert re.search(r'<table[^>]*class="dataframe sortable"', page)
    assert "<td>10</td>" in page and "10.0" not in page  # counts print as integers
    assert page.count("<svg") == 1 and page.count("data:image/png;base64,") == 1
    assert "&quot;seed&quot;: 7" in page and "addEventListener" in page  # sortable


def test_run_report_has_narrative_tables_charts_and_manifest(runs, tmp_path):
    written = write_run(runs["replay"], tmp_path, "csv")
    report = tmp_path / "report.html"
    assert report in written
    page = report.read_text(encoding="utf-8")
    self_contained(page)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["scenario_sha256"] in page
    k = typical_replication(runs["replay"].summary)
    assert f"what happened in replication {k}" in page  # the narrative of a typical run
    assert "the government relented in a standoff or operation" in page and "low % (90%)" in page
    assert "median final authority" in page  # runs split by standoff outcome
    assert page.count("data:image/png;base64,") == 3  # the charts but the overview
    assert len(page) < 600_000


def test_compare_report(runs, tmp_path):
    cmp = Comparison(runs, seed=2)
    fig = cmp.chart()
    path = compare_report(cmp, tmp_path, [fig])
    plt.close(fig)
    page = path.read_text(encoding="utf-8")
    self_contained(page)
    assert page.count("<svg") == 2 and "share of runs where government relented" in page
    assert page.index("<h2>Effects</h2>") < page.index("<h2>Side by side</h2>")
    assert "scenario_sha256" in page and "replay" in page and "backed" in page


def test_sweep_report(tmp_path):
    spec = SweepSpec.from_cli("june_2020_replay", ["foreign_forces.backing=0,1"],
                              replications=2, seed=3)
    out = run_sweep(spec, tmp_path / "sweep", executor="serial")
    page = sweep_report(out).read_text(encoding="utf-8")
    self_contained(page)
    assert page.count("<svg") == 1  # one row of response curves per swept parameter
    assert "US backing (probability 0-1)" in page and "4 runs" in page
    assert '"design": &quot;grid&quot;' in page or "&quot;design&quot;: &quot;grid&quot;" in page
