"""End to end: `leverage-sim dashboard`'s server, driven in headless Chromium with Playwright.

Picks another scenario (the sliders follow its values), presses Reset and Step after the
switch, moves the US-backing slider, resets, steps and plays, and checks that the charts
changed and that the event log shows exactly the run the model produces for those settings;
runs to the horizon, downloads the scenario YAML, the event log and a chart's PNG, runs an
ensemble and drills down to one replication, compares with the scenario as filed, and saves
a screenshot (``LEVERAGE_SIM_UPDATE_SCREENSHOT=1`` also copies it to docs/img/dashboard.png).

Needs Debian's ``chromium`` at /usr/bin/chromium (``make test`` installs it when it can, see
scripts/ensure_chromium.sh) and solara's front-end files (fetched with npm); skips saying which
is missing otherwise.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect, sync_playwright

import leverage_sim as ls
from leverage_sim.analysis.comparison import compare
from leverage_sim.dashboard import assets, charts, ensemble, server
from leverage_sim.dashboard.levers import scenario_values, settings_scenario
from leverage_sim.dashboard.model import DEFAULT_POSTERIOR, DashboardModel
from leverage_sim.dashboard.scenario_file import MARK
from leverage_sim.dashboard.timeline import event_line
from leverage_sim.outputs.narrative import display_names, scripted_notes

CHROMIUM = os.environ.get("LEVERAGE_SIM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "img"
VIEWPORT = {"width": 1400, "height": 1050}
REPLAY = "june_2020_replay"
LEVERAGE_SIM = str(Path(sys.executable).with_name("leverage-sim"))
CONSOLE: dict = {}  # page -> the browser console's messages ("type: text")
TIMEOUT_MS = 90_000  # generous: the tests wait for states, and a loaded machine is slow
SERVER_LOG: list[Path] = []  # the running dashboard's log, quoted when a wait times out


@pytest.fixture(scope="module")
def what_if(tmp_path_factory) -> Path:
    """A scenario file 'what_if_backed' (the replay with more US backing, less instigation)."""
    path = tmp_path_factory.mktemp("scenarios") / "what_if_backed.yaml"
    path.write_text(
        f"extends: {REPLAY}\nforeign_forces: {{backing: 0.8}}\npatron: {{instigation: 0.3}}\n")
    return path


@pytest.fixture(scope="module")
def dashboard_url(what_if):
    """``leverage-sim dashboard`` on a free port, with a scenario folder adding 'what_if_backed'
    to the picker."""
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' package "
                    "(`make test` does so when run as root with apt-get).")
    missing = assets.ensure(quiet=True)
    if missing:
        pytest.skip(f"solara front-end files {missing} unavailable offline (needs npm and the "
                    "npm registry).")
    folder = what_if.parent
    port = server.free_port()
    log_path = folder / "server.log"
    SERVER_LOG[:] = [log_path]
    with log_path.open("w") as log:
        proc = subprocess.Popen(  # the command a user runs
            [LEVERAGE_SIM, "dashboard", REPLAY, "--port", str(port), "--scenario-dir", str(folder)],
            stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/"
        try:
            server.wait_ready(url, proc, timeout_s=600)  # start-up: minutes on a loaded machine
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    server.check_port_free("127.0.0.1", port)  # SIGTERM stopped solara too
    text = log_path.read_text()
    assert f"http://127.0.0.1:{port}/" in text and "Traceback" not in text, text


@pytest.fixture
def page(tmp_path):
    """A Chromium page with a fresh profile; skips if Chromium cannot start here."""
    with sync_playwright() as p:
        try:
            context = p.chromium.launch_persistent_context(
                str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True,
                args=CHROMIUM_ARGS, viewport=VIEWPORT, accept_downloads=True)
        except PlaywrightError as e:
            pytest.skip(f"Chromium at {CHROMIUM} cannot start: {str(e).splitlines()[0]}")
        context.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        page = context.new_page()
        CONSOLE[page] = []
        page.on("console", lambda m: CONSOLE[page].append(f"{m.type}: {m.text}"))
        yield page
        context.close()
        CONSOLE.pop(page)


def page_model(name: str, **levers) -> DashboardModel:
    """The model the page runs for these settings (with its default, calibrated parameters)."""
    return DashboardModel(name, posterior=DEFAULT_POSTERIOR, **levers)


def slider(page, label: str):
    """The thumb (role=slider) of the sidebar slider whose label starts with ``label``."""
    return page.locator(".ls-slider", has_text=label).locator("[role=slider]")


def wait_for(page, script: str, arg, awaited: str) -> None:
    """Wait until ``script(arg)`` is true in the page. On a timeout, fail saying what was
    awaited and what the page showed (its run line, the browser console's errors, the end of
    the server's log), so that a failure on a loaded CI machine can be told from a bug."""
    try:
        page.wait_for_function(script, arg=arg)
    except PlaywrightTimeout:
        shown = page.evaluate("document.querySelector('.ls-status')?.textContent ?? '(none)'")
        errors = [m for m in CONSOLE.get(page, []) if m.startswith("error")]
        log = SERVER_LOG[0].read_text()[-3000:] if SERVER_LOG else ""
        raise AssertionError(f"waited {TIMEOUT_MS / 1000:.0f} s for {awaited}; the run line "
                             f"showed {shown!r}; console errors {errors}; server log ends:\n"
                             f"{log}") from None


def wait_value(page, label: str, value: str) -> None:
    """Wait until the slider ``label`` is at ``value`` in the browser (its thumb) and on the
    server (the label it renders, e.g. "US backing (...): 0.10")."""
    shown = value if label in ("Days per step", "Seed") else f"{float(value):.2f}"
    wait_for(page,
             "([label, value, shown]) => [...document.querySelectorAll('.ls-slider')]"
             ".some(e => e.textContent.startsWith(label) && e.textContent.includes(': ' + shown)"
             " && e.querySelector('[role=slider]')?.getAttribute('aria-valuenow') === value)",
             [label, value, shown], f"slider {label!r} at {value}")


def move_slider(page, label: str, value: str) -> None:
    """Move the slider ``label`` to ``value`` with the keys (Home or End first if nearer), a
    press at a time once the server has rendered the last one (a burst of presses on a loaded
    machine can be undone by a late echo of an earlier value; each press here starts from where
    the thumb is), then wait until browser and server agree on ``value``."""
    thumb, target = slider(page, label), float(value)
    digits = 0 if label in ("Days per step", "Seed") else 2
    ends = {"Home": float(thumb.get_attribute("aria-valuemin")),
            "End": float(thumb.get_attribute("aria-valuemax"))}
    for _ in range(1000):
        now = thumb.get_attribute("aria-valuenow")
        if float(now) == target:
            break
        key = "ArrowRight" if float(now) < target else "ArrowLeft"
        for end, at in ends.items():  # an end nearer than the thumb: jump there first
            if abs(at - target) < abs(float(now) - target) and float(now) != at:
                key = end
        thumb.focus()
        page.keyboard.press(key)
        wait_for(page,
                 "([label, before, digits]) => [...document.querySelectorAll('.ls-slider')]"
                 ".some(e => { const v = e.querySelector('[role=slider]')"
                 "?.getAttribute('aria-valuenow'); return e.textContent.startsWith(label) && "
                 "v !== before && e.textContent.includes(': ' + Number(v).toFixed(digits)); })",
                 [label, now, digits], f"slider {label!r} to move from {now}")
    wait_value(page, label, value)


def status(page) -> str:
    """The run line, without its "Run:" heading."""
    return page.locator(".ls-status").inner_text().removeprefix("Run:").strip()


def wait_status(page, text: str) -> None:
    wait_for(page, "t => document.querySelector('.ls-status')?.textContent.includes(t)", text,
             f"the run line to show {text!r}")


def wait_days_at_least(page, n: int) -> None:
    wait_for(page,
             "n => { const m = document.querySelector('.ls-status')?.textContent"
             ".match(/: (\\d+) of \\d+ days/); return m && Number(m[1]) >= n; }", n,
             f"at least {n} days run")


def pick(page, scenario: str) -> None:
    page.locator(".v-select").first.click()
    page.get_by_role("option", name=scenario, exact=True).click()
    wait_status(page, f"{scenario}: not started")


def charts_svg(page, where: str = ".ls-charts") -> list[str]:
    """The drawn charts (SVG markup) in ``where``, once as many as expected are drawn."""
    charts = page.locator(f"{where} .vega-embed svg.marks")
    return [charts.nth(i).inner_html() for i in range(charts.count())]


def wait_charts(page, where: str, n: int) -> None:
    wait_for(page,
             "([w, n]) => document.querySelectorAll(w + ' .vega-embed svg.marks').length >= n",
             [where, n], f"{n} charts drawn in {where}")


def wait_charts_differ(page, before: list[str], which: list[int]) -> None:
    """Wait until each chart ``which`` (index among the one-run charts) is drawn differently
    from ``before`` (the browser redraws each chart after its new spec arrives)."""
    wait_for(page,
             "([before, which]) => { const c = document.querySelectorAll('.ls-charts "
             ".vega-embed svg.marks'); return which.every(i => c[i] && c[i].innerHTML !== "
             "before[i]); }", [before, which], f"charts {which} redrawn")


def first_event_day(model: DashboardModel) -> int:
    """The first day on which ``model``'s run logs an event."""
    while model.running and not model.log.rows:
        model.step()
    return int(model.log.frame()["day"].min())


def expected_log(model: DashboardModel, days: int) -> list[str]:
    """The timeline lines (latest day first) of ``model`` run for ``days`` days, as text."""
    for _ in range(days):
        model.step()
    events = model.log.frame()
    names = display_names(model.spec)
    notes = scripted_notes(model.spec)
    lines = []
    for day in sorted(events["day"].unique(), reverse=True):
        for _, row in events[events["day"] == day].iterrows():
            line = event_line(row, names, (day, row["detail"]) in notes)
            lines.append(html.unescape(re.sub("<[^>]+>", "", line)))
    return lines


def play_and_pause(page, at_least: int) -> int:
    """Press ▶, wait until ``at_least`` days are simulated, press ❚❚; check that play stopped
    at the day the page reports and that Step goes on from there. Returns that day."""
    page.get_by_role("button", name="▶").click()
    wait_days_at_least(page, at_least)
    page.get_by_role("button", name="❚❚").click()
    expect(page.get_by_role("button", name="Step")).to_be_enabled()  # play has stopped
    paused = page.locator(".ls-paused")
    expect(paused).to_contain_text("Paused: ")
    paused_at = int(re.search(r"Paused: (\d+) of", paused.inner_text()).group(1))
    assert at_least <= paused_at < 90
    wait_status(page, f": {paused_at} of 90 days")
    per_step = int(slider(page, "Days per step").get_attribute("aria-valuenow"))
    page.get_by_role("button", name="Step").click()
    wait_status(page, f": {paused_at + per_step} of 90 days")
    expect(paused).to_have_count(0)
    return paused_at + per_step


def press_step(page, day: int) -> None:
    page.get_by_role("button", name="Step").click()
    wait_status(page, f": {day} of 90 days")


def download(page, button_text: str, tmp_path: Path) -> Path:
    """Click the download button labelled ``button_text``; the saved file."""
    with page.expect_download() as info:
        page.get_by_role("button", name=button_text).click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def set_number(page, label: str, value: int, shown_by) -> None:
    """Type ``value`` into the number field ``label`` and wait until the server has taken it,
    i.e. until the locator ``shown_by`` (which the server renders from the new value) is
    visible. The field sends every keystroke to the server (no Enter needed), so the text
    stays put however late a redraw of the view comes; nothing is ever re-typed here."""
    field = page.get_by_label(label, exact=True)
    field.fill(str(value))
    expect(shown_by).to_be_visible()
    expect(field).to_have_value(str(value))


def test_reset_and_step_after_switching_scenario(dashboard_url, what_if, page):
    """After picking another scenario, Reset and Step run that scenario with the sliders'
    values, including a slider moved after the switch."""
    page.goto(dashboard_url)
    wait_status(page, f"{REPLAY}: not started")
    pick(page, "what_if_backed")
    wait_value(page, "US backing", "0.8")
    page.get_by_role("button", name="Step").click()
    wait_status(page, "what_if_backed: 1 of 90 days")
    assert "US backing 0.80" in status(page)
    page.get_by_role("button", name="Reset").click()
    wait_status(page, "what_if_backed: not started")
    assert "US backing 0.80" in status(page)
    slider(page, "US backing").focus()
    page.keyboard.press("End")
    wait_value(page, "US backing", "1")
    page.get_by_role("button", name="Reset").click()
    wait_status(page, "US backing 1.00")
    assert status(page).startswith("what_if_backed: not started"), status(page)
    days = 1 + first_event_day(page_model(str(what_if), backing=1.0))
    for day in range(1, days + 1):
        press_step(page, day)
    assert status(page).startswith(f"what_if_backed: {days} of 90"), status(page)
    expect(page.locator(".ls-event")).to_have_text(
        expected_log(page_model(str(what_if), backing=1.0), days))
    # back to the first scenario: its values on the sliders and in the run
    pick(page, REPLAY)
    wait_value(page, "US backing", "0.1")
    press_step(page, 1)
    assert status(page).startswith(f"{REPLAY}: 1 of 90") and "US backing 0.10" in status(page)


def test_play_and_pause(dashboard_url, page):
    """▶ steps on by itself (several days a press) and redraws as it goes, ❚❚ stops it at the
    day the page reports, Step goes on from there; the run ends at its horizon while
    playing. (Under load this once replaced the page by a traceback: a redraw read a
    half-written day.)"""
    page.goto(dashboard_url)
    wait_status(page, f"{REPLAY}: not started")
    slider(page, "Days per step").focus()
    page.keyboard.press("ArrowRight")
    wait_value(page, "Days per step", "2")
    day = play_and_pause(page, 6)
    day = play_and_pause(page, day + 6)
    slider(page, "Days per step").focus()
    page.keyboard.press("End")
    wait_value(page, "Days per step", "30")
    page.get_by_role("button", name="▶").click()
    wait_status(page, ": 90 of 90 days simulated")
    expect(page.get_by_role("button", name="▶")).to_be_disabled()  # played to the end
    expect(page.get_by_role("button", name="Step")).to_be_disabled()
    assert page.get_by_text("Traceback").count() == 0


def test_dashboard_in_chromium(dashboard_url, page, tmp_path):
    page.goto(dashboard_url)
    wait_status(page, f"{REPLAY}: not started")
    wait_value(page, "US backing", "0.1")
    wait_value(page, "Patron instigation", "0.6")
    seed = page.locator(".ls-slider", has_text="Seed").bounding_box()
    assert seed and seed["y"] + seed["height"] <= VIEWPORT["height"], "seed slider below the fold"
    for leftover in ("Use Threads", "Play Interval", "runs on Solara"):
        assert page.get_by_text(leftover).count() == 0, leftover

    # move the backing slider to its maximum; Reset runs the model with it
    slider(page, "US backing").focus()
    page.keyboard.press("End")
    wait_value(page, "US backing", "1")
    expect(page.locator(".ls-stale")).to_be_visible()  # the run shown has other settings
    page.get_by_role("button", name="Reset").click()
    wait_status(page, "US backing 1.00")
    expect(page.locator(".ls-stale")).to_have_count(0)
    wait_charts(page, ".ls-charts", 3)
    before = charts_svg(page)
    assert page.locator(".ls-event").count() == 0

    # step until the first events of this run (computed by the model itself) are on the page
    days = 1 + first_event_day(page_model(REPLAY, backing=1.0))
    assert days <= 30, "the run has no event in its first month: pick a livelier setting"
    for day in range(1, days + 1):
        press_step(page, day)
    expected = expected_log(page_model(REPLAY, backing=1.0), days)
    assert expected
    expect(page.locator(".ls-event")).to_have_text(expected)
    # the day-by-day charts gain the new days; the detainee chart (drawn from the event log)
    # gains points once an arrest or a release has happened
    arrests = any("arrest" in e or "released" in e for e in expected)
    wait_charts_differ(page, before, [0, 1, 2] if arrests else [0, 1])

    # several days per press of Step
    slider(page, "Days per step").focus()
    page.keyboard.press("ArrowRight")
    wait_value(page, "Days per step", "2")
    page.get_by_role("button", name="Step").click()
    wait_status(page, f": {days + 2} of 90 days")

    # back to the scenario's backing, run to the horizon in one press
    move_slider(page, "US backing", "0.1")
    page.get_by_role("button", name="Reset").click()
    wait_status(page, "US backing 0.10")
    page.get_by_role("button", name="Run to the end").click()
    wait_status(page, ": 90 of 90 days")
    expect(page.get_by_role("button", name="Step")).to_be_disabled()  # the run has ended
    model = page_model(REPLAY)
    expected = expected_log(model, 90)
    # the run reaches the scripted raid and KH's answer to it (a standoff that ends in a relent
    # or a hold, or compliance: which one depends on the posterior's draw for this seed, and a
    # refit changes it)
    assert any("raid on KH" in e for e in expected)
    assert any(" relents to KH" in e or " holds firm against KH" in e
               or "KH complies" in e for e in expected)
    expect(page.locator(".ls-event")).to_have_text(expected)
    assert "Embassy interception 0.85 (set 0.00)" in status(page)  # the defence arrived

    page.mouse.move(0, 0)
    shots = {"dashboard.png": tmp_path / "dashboard.png"}
    page.screenshot(path=str(shots["dashboard.png"]))

    # downloads: the scenario with the sliders applied, the event log, a chart as PNG
    yaml_path = download(page, "scenario YAML (sliders applied)", tmp_path)
    assert scenario_values(ls.load_scenario(yaml_path)) == scenario_values(model.spec)
    events = pd.read_csv(download(page, "events.csv", tmp_path))
    assert events["action"].tolist() == model.log.frame()["action"].tolist()
    page.locator(".ls-charts .vega-embed summary").first.click()
    with page.expect_download() as info:
        page.get_by_text("Save as PNG").first.click()
    assert info.value.suggested_filename == "authority_autonomy.png"
    png = tmp_path / "chart.png"
    info.value.save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # ensemble of the sliders' settings, then replication 3 of it as the one run
    page.get_by_role("button", name="Ensemble").click()
    run20 = page.get_by_role("button", name="Run 20 replications")
    set_number(page, "Replications", 20, run20)
    run20.click()
    expect(page.locator(".ls-ensemble-status")).to_contain_text("20 replications of")
    expect(page.locator(".ls-parameters").first).to_contain_text(
        "calibrated ones drawn from the posterior of the committed calibration")
    comparison = ensemble.run_ensemble(settings_scenario(REPLAY, (), {}), 20,
                                       posterior=DEFAULT_POSTERIOR)
    for cell in comparison.side_by_side().iloc[:, 0]:
        expect(page.locator(".ls-table")).to_contain_text(cell)
    wait_charts(page, ".ls-bands", len(ensemble.SERIES))
    page.mouse.move(0, 0)
    shots["dashboard_ensemble.png"] = tmp_path / "dashboard_ensemble.png"
    page.screenshot(path=str(shots["dashboard_ensemble.png"]))
    assert len(pd.read_csv(download(page, "ensemble_runs.csv", tmp_path))) == 20
    show3 = page.get_by_role("button", name="Show replication 3 in One run")
    set_number(page, "Replication", 3, show3)
    show3.click()
    wait_status(page, "seed 3.")
    wait_status(page, ": 90 of 90 days")
    expect(page.locator(".ls-event")).to_have_text(expected_log(page_model(REPLAY, seed=3),
                                                                90))

    # save the sliders (backing 1) as a preset and as a scenario file; compare the preset and
    # the sliders (backing 0.6) with the scenario as filed, same seeds: effects first
    slider(page, "US backing").focus()
    page.keyboard.press("End")
    wait_value(page, "US backing", "1")
    page.get_by_role("button", name="Compare").first.click()
    saved = tmp_path / "backed.yaml"
    page.get_by_label("Scenario file").fill(str(saved))
    page.locator(".ls-save-file").click()
    expect(page.locator(".ls-saved")).to_contain_text(f"Saved {saved}")
    assert saved.read_text().startswith(MARK)
    assert ls.load_scenario(saved) == settings_scenario(REPLAY, (), {"backing": 1.0}
                                                        ).model_copy(update={"name": "backed"})
    page.get_by_label("Scenario file").fill(saved.name)  # as a user would type it
    page.get_by_label("Preset name").fill("backed")
    page.locator(".ls-save-preset").click()
    expect(page.locator(".ls-saved")).to_contain_text("Preset 'backed' saved")
    move_slider(page, "US backing", "0.6")
    run10 = page.get_by_role("button", name="Run 10 replications each")
    set_number(page, "Replications", 10, run10)
    run10.click()
    expect(page.locator(".ls-compare-status")).to_contain_text(
        f"{REPLAY} as filed vs sliders vs backed: 10 replications each, same seeds")
    reference = settings_scenario(REPLAY, (), {})
    effects = compare([reference.model_copy(update={"name": f"{REPLAY} as filed"}),
                       settings_scenario(REPLAY, (), {"backing": 0.6})
                       .model_copy(update={"name": "sliders"}),
                       settings_scenario(REPLAY, (), {"backing": 1.0})
                       .model_copy(update={"name": "backed"})], 10,
                      posterior=DEFAULT_POSTERIOR).effects()
    table = charts.effects_table(effects)
    for cell in [*table["sliders"], *table["backed"]]:
        expect(page.locator(".ls-effects")).to_contain_text(cell)
    wait_charts(page, ".ls-bands", len(ensemble.SERIES))
    page.mouse.move(0, 0)
    shots["dashboard_compare.png"] = tmp_path / "dashboard_compare.png"
    page.screenshot(path=str(shots["dashboard_compare.png"]))
    # a file leverage-sim did not write is never overwritten
    foreign = tmp_path / "notes.yaml"
    foreign.write_text("mine: true\n")
    page.get_by_label("Scenario file").fill(str(foreign))
    page.locator(".ls-save-file").click()
    expect(page.locator(".ls-saved")).to_contain_text("leverage-sim did not write it")
    assert foreign.read_text() == "mine: true\n"
    vega = [m for m in CONSOLE[page] if "vega" in m.lower()]
    assert not vega, vega  # e.g. a spec of another Vega-Lite version than the renderer's

    for shot in shots.values():
        assert shot.stat().st_size > 20_000
    if os.environ.get("LEVERAGE_SIM_UPDATE_SCREENSHOT") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for name, shot in shots.items():
            shutil.copyfile(shot, SCREENSHOTS / name)
