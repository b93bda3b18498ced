"""End to end: `leverage-sim dashboard`'s server, driven in headless Chromium with Playwright.

Picks another scenario (the sliders follow its values), moves the US-backing slider, resets,
steps, and checks that the charts changed and that the event log shows exactly the run the
model produces for those settings; finally runs to the horizon and saves a screenshot
(``LEVERAGE_SIM_UPDATE_SCREENSHOT=1`` also copies it to docs/img/dashboard.png).

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
import time
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

from leverage_sim.dashboard import assets, server
from leverage_sim.dashboard.model import DashboardModel
from leverage_sim.dashboard.timeline import event_line
from leverage_sim.narrative import display_names

CHROMIUM = os.environ.get("LEVERAGE_SIM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "img" / "dashboard.png"
REPLAY = "june_2020_replay"
LEVERAGE_SIM = str(Path(sys.executable).with_name("leverage-sim"))
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def dashboard_url(tmp_path_factory):
    """``leverage-sim dashboard`` on a free port, with a scenario folder adding 'what_if_backed'
    to the picker."""
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' package "
                    "(`make test` does so when run as root with apt-get).")
    missing = assets.ensure(quiet=True)
    if missing:
        pytest.skip(f"solara front-end files {missing} unavailable offline (needs npm and the "
                    "npm registry).")
    folder = tmp_path_factory.mktemp("scenarios")
    (folder / "what_if_backed.yaml").write_text(
        f"extends: {REPLAY}\nforeign_forces: {{backing: 0.8}}\npatron: {{instigation: 0.3}}\n")
    port = server.free_port()
    log_path = folder / "server.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(  # the command a user runs
            [LEVERAGE_SIM, "dashboard", REPLAY, "--port", str(port), "--scenario-dir", str(folder)],
            stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/"
        try:
            server.wait_ready(url, proc, timeout_s=90)
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
                args=CHROMIUM_ARGS, viewport={"width": 1400, "height": 1050})
        except PlaywrightError as e:
            pytest.skip(f"Chromium at {CHROMIUM} cannot start: {str(e).splitlines()[0]}")
        context.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        yield context.new_page()
        context.close()


def slider(page, label: str):
    """The thumb (role=slider) of the sidebar slider whose label starts with ``label``."""
    return page.locator(".v-input", has_text=label).locator("[role=slider]")


def wait_value(page, label: str, value: str) -> None:
    page.wait_for_function(
        "([label, value]) => [...document.querySelectorAll('.v-input')]"
        ".some(e => e.textContent.startsWith(label) &&"
        " e.querySelector('[role=slider]')?.getAttribute('aria-valuenow') === value)",
        arg=[label, value])


def status(page) -> str:
    return page.locator(".ls-status").inner_text()


def wait_status(page, text: str) -> None:
    page.wait_for_function(
        "t => document.querySelector('.ls-status')?.textContent.includes(t)", arg=text)


def days_simulated(page) -> int:
    found = re.search(r": (\d+) of \d+ days", status(page))
    return int(found.group(1)) if found else 0


def wait_days_at_least(page, n: int) -> None:
    page.wait_for_function(
        "n => { const m = document.querySelector('.ls-status')?.textContent"
        ".match(/: (\\d+) of \\d+ days/); return m && Number(m[1]) >= n; }", arg=n)


def pick(page, scenario: str) -> None:
    page.locator(".v-select").first.click()
    page.get_by_role("option", name=scenario, exact=True).click()
    wait_status(page, f"{scenario}: not started")


def charts_png(page) -> list[bytes]:
    imgs = page.locator(".ls-charts img")
    return [imgs.nth(i).screenshot() for i in range(imgs.count())]


def wait_charts_differ(page, before: list[bytes], timeout_s: float = 10.0) -> list[bool]:
    """Whether each chart differs from ``before``, polled until all do or ``timeout_s`` pass
    (the page's widgets update one after another)."""
    deadline = time.monotonic() + timeout_s
    while True:
        changed = [a != b for a, b in zip(charts_png(page), before, strict=True)]
        if all(changed) or time.monotonic() > deadline:
            return changed
        page.wait_for_timeout(200)


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
    lines = []
    for day in sorted(events["day"].unique(), reverse=True):
        for _, row in events[events["day"] == day].iterrows():
            lines.append(html.unescape(re.sub("<[^>]+>", "", event_line(row, names))))
    return lines


def test_dashboard_in_chromium(dashboard_url, page, tmp_path):
    page.goto(dashboard_url)
    wait_status(page, f"{REPLAY}: not started")
    wait_value(page, "US backing", "0.1")
    wait_value(page, "Patron instigation", "0.6")

    # the picker lists the scenario files; the sliders follow the picked scenario's values
    pick(page, "what_if_backed")
    wait_value(page, "US backing", "0.8")
    wait_value(page, "Patron instigation", "0.3")
    assert "US backing 0.80" in status(page)
    pick(page, REPLAY)
    wait_value(page, "US backing", "0.1")

    # move the backing slider to its maximum; Reset runs the model with it
    slider(page, "US backing").focus()
    page.keyboard.press("End")
    wait_value(page, "US backing", "1")
    page.get_by_role("button", name="Reset").click()
    wait_status(page, "US backing 1.00")
    before = charts_png(page)
    assert len(before) == 3
    assert page.locator(".ls-event").count() == 0

    # step until the first events of this run (computed by the model itself) are on the page
    days = 1 + first_event_day(DashboardModel(REPLAY, backing=1.0))
    assert days <= 30, "the run has no event in its first month: pick a livelier setting"
    for day in range(1, days + 1):
        page.get_by_role("button", name="Step").click()
        wait_status(page, f": {day} of 90 days")
    expected = expected_log(DashboardModel(REPLAY, backing=1.0), days)
    assert expected
    expect(page.locator(".ls-event")).to_have_text(expected)
    changed = wait_charts_differ(page, before)
    assert all(changed), f"charts changed after stepping: {changed}"

    # play runs on by itself until paused
    page.get_by_role("button", name="▶").click()
    wait_days_at_least(page, days + 3)
    page.get_by_role("button", name="❚❚").click()
    page.wait_for_timeout(1000)  # a step under way when pausing still completes
    paused_at = days_simulated(page)
    page.wait_for_timeout(1000)
    assert days_simulated(page) == paused_at

    # back to the scenario's backing, run to the horizon in one press (render interval 99)
    slider(page, "US backing").focus()
    page.keyboard.press("Home")
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    wait_value(page, "US backing", "0.1")
    page.get_by_role("button", name="Reset").click()
    wait_status(page, "US backing 0.10")
    slider(page, "Render Interval").focus()
    page.keyboard.press("End")
    page.get_by_role("button", name="Step").click()
    wait_status(page, ": 90 of 90 days")
    expect(page.get_by_role("button", name="Step")).to_be_disabled()  # the run has ended
    expected = expected_log(DashboardModel(REPLAY), 90)
    assert any(" relents to KH" in e or " holds firm against KH" in e for e in expected)
    expect(page.locator(".ls-event")).to_have_text(expected)

    page.mouse.move(0, 0)
    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000
    if os.environ.get("LEVERAGE_SIM_UPDATE_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)
