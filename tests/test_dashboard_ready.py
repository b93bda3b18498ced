"""``leverage-sim dashboard`` prints its address only once the page answers: a GET of the
printed URL right after the line appears returns 200 (the server starts in seconds on an idle
machine, minutes on a loaded one; the wait for the line is bounded, never a fixed sleep)."""

from __future__ import annotations

import queue
import re
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from leverage_sim.dashboard import server
from leverage_sim.errors import InputError

START_LIMIT_S = 600.0
URL = re.compile(r"http://127\.0\.0\.1:(\d+)/")


def first_url_line(proc: subprocess.Popen, limit_s: float) -> str:
    """The first line of ``proc``'s stdout holding a URL, within ``limit_s`` seconds."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + limit_s
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            pytest.fail(f"the dashboard exited (code {proc.wait()}) without printing its URL")
        if URL.search(line):
            return line
    pytest.fail(f"the dashboard printed no URL within {limit_s:.0f} s")


@pytest.mark.slow
def test_dashboard_prints_its_url_when_the_page_answers(tmp_path):
    err = (tmp_path / "stderr.txt").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "leverage_sim.cli", "dashboard",
                             "--port", "0"], stdout=subprocess.PIPE, stderr=err, text=True)
    try:
        line = first_url_line(proc, START_LIMIT_S)
        url = URL.search(line).group(0)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(url, timeout=30) as r:  # at once: no retry
            assert r.status == 200
        assert line.startswith(f"Dashboard ready at {url}"), line
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        err.close()


def test_a_server_that_never_answers_is_an_input_error_and_is_stopped(monkeypatch):
    started = []

    def silent(host: str, port: int, env: object) -> subprocess.Popen:
        started.append(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]))
        return started[0]

    monkeypatch.setattr(server, "start", silent)
    announced = []
    with pytest.raises(InputError, match="did not answer at http://127.0.0.1:"):
        server.serve("127.0.0.1", server.free_port(), {}, ready=announced.append,
                     ready_timeout_s=0.5)
    assert announced == [] and started[0].poll() is not None  # never announced; child stopped
