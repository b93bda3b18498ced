"""Reports quote user files and cannot run code from them (issue 19, items 1 and 2).

Fast unit tests of :func:`leverage_sim.files.report_html.markdown_html`, then every report (run,
compare, sweep, calibrate) built from a hostile scenario and opened in headless Chromium: no
dialog fires, no ``javascript:`` link, no element the files tried to inject.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
import yaml

import leverage_sim as ls
from leverage_sim.analysis.comparison import compare
from leverage_sim.calibration import outputs as calibration_outputs
from leverage_sim.files.report_html import Section, markdown_html, render, safe_url
from leverage_sim.outputs.report_brief import run_brief
from leverage_sim.outputs.report_pages import compare_report
from leverage_sim.outputs.run_outputs import write_run
from leverage_sim.scenario.loader import resolve_raw
from leverage_sim.sweep import SweepSpec, run_sweep
from leverage_sim.sweep.report_page import sweep_report

CHROMIUM = os.environ.get("LEVERAGE_SIM_CHROMIUM", "/usr/bin/chromium")
ATTACKS = [
    "<script>alert('script')</script>",
    "<img src=x onerror=alert('img')>",
    "[click](javascript:alert('link'))",
    "[click](JaVa&#115;cript:alert('entity'))",
    "[click](java\tscript:alert('tab'))",
    "![pic](javascript:alert('image'))",
    "[ref][r]\n\n[r]: javascript:alert('reference')",
    "<div onmouseover=alert('div')>x</div>",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_markdown_renders_no_html_and_no_unsafe_url(attack):
    out = markdown_html(attack)
    assert "<script" not in out and "<img src" not in out and "<div" not in out
    assert "onerror=" not in out.replace("&lt;img src=x onerror=", "")
    assert "href=" not in out and "src=" not in out.replace("&lt;img src=x", "")


def test_markdown_keeps_formatting_and_safe_links():
    out = markdown_html("**bold** [site](https://example.org) [top](#s0) [mail](mailto:a@b.c)\n\n"
                        "| a |\n|---|\n| 1 |")
    assert "<strong>bold</strong>" in out and '<a href="https://example.org">' in out
    assert '<a href="#s0">' in out and '<a href="mailto:a@b.c">' in out and "<table>" in out


@pytest.mark.parametrize(("url", "safe"), [
    ("https://a.org", True), ("#s1", True), ("notes/x.html", True), ("a/b:c", True),
    ("javascript:x", False), (" JAVASCRIPT:x", False), ("java\nscript:x", False),
    ("&#106;avascript:x", False), ("javascript&colon;x", False), ("vbscript:x", False),
    ("data:text/html,x", False), ("file:///etc/passwd", False)])
def test_safe_url(url, safe):
    assert safe_url(url) is safe


def test_control_characters_in_a_report_are_visible_escapes():
    page = render("a\x1b[2Jb", [Section("h\x07", ["q\u202eevil\x00", pd.DataFrame({"x": ["\x1b"]})])])
    for raw in ("\x1b", "\x07", "\u202e", "\x00"):
        assert raw not in page
    assert "a\\x1b[2Jb" in page and "q\\u202eevil\\x00" in page and "h\\x07" in page


def hostile_raw() -> dict:
    """The replay scenario with script, HTML, javascript: links and controls in every string
    a user file can put into a report (names, question, full names, event notes)."""
    raw = copy.deepcopy(resolve_raw("june_2020_replay"))
    raw.pop("extends", None)
    raw["name"] = "<script>alert('name')</script>"
    raw["question"] = ("Will it [run](javascript:alert('question'))? "
                       "<img src=x onerror=alert('question')> \x1b[31m\u202eevil\x07")
    raw["government"]["name"] = "<svg onload=alert('gov')>"
    raw["foreign_forces"]["name"] = "<iframe src=javascript:alert('ff')></iframe>"
    raw["patron"]["name"] = "[p](javascript:alert('patron'))"
    for m in raw["militias"]:
        m["full_name"] = "<script>alert('full_name')</script>"
    for ev in raw["events"]:
        ev["note"] = "[note](javascript:alert('note')) <b onclick=alert('note')>x</b>\x1b]0;t\x07"
    return raw


@pytest.fixture(scope="module")
def hostile_reports(tmp_path_factory) -> list[Path]:
    """report.html of a run, a compare, a sweep and a calibration of the hostile scenario."""
    root = tmp_path_factory.mktemp("hostile")
    scenario_file = root / "hostile.yaml"
    scenario_file.write_text(yaml.safe_dump(hostile_raw(), allow_unicode=True), encoding="utf-8")
    scenario = ls.load_scenario(str(scenario_file))
    res = ls.run(scenario, replications=2, seed=1, posterior=None)
    (root / "run").mkdir()
    write_run(res, root / "run", "csv")
    cmp = compare([scenario, scenario], 2, seed=1, posterior=None)
    fig = cmp.chart()
    (root / "compare").mkdir()
    compare_path = compare_report(cmp, root / "compare", [fig])
    plt.close(fig)
    spec = SweepSpec.from_cli(str(scenario_file), ["foreign_forces.backing=0,1"],
                              replications=1, seed=3, posterior="none",
                              name="sweep_of_hostile")
    sweep_path = sweep_report(run_sweep(spec, root / "sweep", executor="serial"))
    cal = SimpleNamespace(
        spec=SimpleNamespace(name="<script>alert('calibration')</script>",
                             episodes=["[e](javascript:alert('episode'))"]),
        parameters=[], targets=list)
    record = {"status": "<img src=x onerror=alert('status')>", "generations": 0,
              "simulations": 0, "seed": 1}
    (root / "cal").mkdir()
    cal_path = calibration_outputs.report(root / "cal", cal, record, pd.DataFrame(), [])
    return [root / "run" / "report.html", compare_path, sweep_path, cal_path]


@pytest.mark.slow  # builds four reports (~6 s), shared by the module
def test_hostile_reports_escape_everything(hostile_reports):
    for path in hostile_reports:
        page = path.read_text(encoding="utf-8")
        assert "alert(" in page, path  # the hostile text is shown...
        assert page.count("<script") == 1, path  # ...but only the report's own script runs
        for tag in ("<img src=x", "<svg onload", "<iframe", "<b onclick", "href=\"javascript"):
            assert tag not in page, (path, tag)
        for raw in ("\x1b", "\x07", "\u202e"):
            assert raw not in page, (path, raw)


@pytest.mark.slow
def test_narrative_and_run_summary_show_control_characters_as_escapes(hostile_reports):
    narrative = (hostile_reports[0].parent / "narrative.md").read_text(encoding="utf-8")
    res = ls.run(ls.Scenario.model_validate(hostile_raw()), replications=1, seed=1,
                 posterior=None)
    for text in (narrative, ls.outputs.report.summary_text(res)):
        assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
        assert "\\x1b[31m\\u202eevil\\x07" in text


def test_the_brief_of_a_hostile_scenario_escapes_html_and_controls(tmp_path):
    # brief.html (run/compare --brief) is built by its own renderer, which wrote the question's
    # control characters raw (an escape sequence, a bidirectional override), where
    # report.html shows them as visible escapes.
    res = ls.run(ls.Scenario.model_validate(hostile_raw()), replications=2, seed=1,
                 posterior=None)
    page = run_brief(res, tmp_path).read_text(encoding="utf-8")
    assert "alert(" in page  # the hostile text is shown...
    assert "<script" not in page  # ...and the brief runs no script at all
    for tag in ("<img src=x", "<svg onload", "<iframe", "<b onclick", "href=\"javascript"):
        assert tag not in page, tag
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in page, raw
    assert "\\x1b[31m\\u202eevil\\x07" in page


@pytest.mark.slow
def test_hostile_reports_run_no_script_in_chromium(hostile_reports):
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' package "
                    "(`make test` does so when run as root with apt-get).")
    from playwright.sync_api import sync_playwright

    dialogs: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            for path in hostile_reports:
                page.goto(path.as_uri(), wait_until="load")
                page.wait_for_function("[...document.images].every(i => i.complete)")
                for link in page.query_selector_all("a"):  # hover and click every link
                    link.dispatch_event("mouseover")
                    link.dispatch_event("click")
                found = page.evaluate("""() => ({
                    js: [...document.querySelectorAll('[href],[src]')].filter(e =>
                        /^\\s*(javascript|data:text)/i.test(e.getAttribute('href') ||
                                                           e.getAttribute('src') || '')).length,
                    handlers: [...document.querySelectorAll('*')].filter(e =>
                        [...e.attributes].some(a => a.name.startsWith('on'))).length,
                    scripts: document.scripts.length,
                    frames: document.querySelectorAll('iframe').length})""")
                assert found == {"js": 0, "handlers": 0, "scripts": 1, "frames": 0}, path
                assert "alert(" in page.text_content("body")  # shown as text
        finally:
            browser.close()
    assert dialogs == []
