"""Starting the dashboard: ``solara run leverage_sim.dashboard.app`` in a child process bound to
one host and port, with no browser opening, no version check and no telemetry."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from leverage_sim.errors import InputError, stop_signals
from leverage_sim.scenario.loader import ENV_SCENARIO_PATH

APP = "leverage_sim.dashboard.app"
ENV_SCENARIO = "LEVERAGE_SIM_DASHBOARD_SCENARIO"  # scenario selected when the page opens
ENV_OVERRIDES = "LEVERAGE_SIM_DASHBOARD_SET"  # JSON list of --set "path=value" strings
QUIET_SOLARA = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",  # no usage reports to mixpanel.com
    "SOLARA_ASSETS_FONTAWESOME_ENABLED": "False",  # no icon font fetched through the CDN proxy
    "SOLARA_CHECK_HOOKS": "off",  # silences a hook-order warning about Mesa 3.3's own code
    "SOLARA_THEME_SHOW_BANNER": "False",  # no "This website runs on Solara" over the page
}
# Solara warns on every plain-http address but "localhost"; harmless for a local dashboard.
LOCAL_COOKIE_WARNING = "ignore:Cookies with samesite:UserWarning"
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def command(host: str, port: int) -> list[str]:
    """The ``solara run`` command line for the dashboard app."""
    return [sys.executable, "-m", "solara", "run", APP, "--host", host, "--port", str(port),
            "--production", "--no-open", "--no-check-version", "--log-level", "warning"]


def environment(scenario: str, overrides: Iterable[str] = (),
                scenario_dirs: Iterable[str | Path] = (),
                base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The child's environment: ``base`` (default ``os.environ``) plus the initial scenario,
    ``--set`` overrides, extra scenario folders (prepended to the search path) and
    :data:`QUIET_SOLARA`."""
    env = dict(os.environ if base is None else base)
    dirs = [str(Path(d).resolve()) for d in scenario_dirs]
    if env.get(ENV_SCENARIO_PATH):
        dirs.append(env[ENV_SCENARIO_PATH])
    if dirs:
        env[ENV_SCENARIO_PATH] = os.pathsep.join(dirs)
    warnings = [w for w in (env.get("PYTHONWARNINGS"), LOCAL_COOKIE_WARNING) if w]
    env.update({ENV_SCENARIO: str(scenario), ENV_OVERRIDES: json.dumps(list(overrides)),
                "PYTHONWARNINGS": ",".join(warnings), **QUIET_SOLARA})
    return env


def check_port_free(host: str, port: int) -> None:
    """Raise :class:`InputError` if ``host:port`` cannot be bound (in use, or a bad host)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))
    except OSError as e:
        raise InputError(f"Cannot serve the dashboard on {host}:{port} ({e.strerror}). Choose "
                         "another --port (e.g. --port 0 for any free port) or --host.") from None


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def start(host: str, port: int, env: Mapping[str, str], **popen: object) -> subprocess.Popen:
    """Start the server in a child process (returns at once; see :func:`wait_ready`)."""
    return subprocess.Popen(command(host, port), env=dict(env), **popen)  # type: ignore[arg-type]


READY_TIMEOUT_S = 600.0
"""How long :func:`serve` waits for the page to answer (seconds): Solara's start-up takes
seconds on an idle machine and minutes on a loaded one."""


def serve(host: str, port: int, env: Mapping[str, str], ready: Callable[[str], None],
          ready_timeout_s: float = READY_TIMEOUT_S) -> int:
    """Run the server until it exits, Ctrl-C, SIGTERM or SIGHUP (which also stop the child);
    returns the exit code (0 when stopped on request). Calls ``ready(url)`` once a GET of
    ``http://host:port/`` from this process answers 200; raises :class:`InputError` (after
    stopping the child) if the server exits or does not answer within ``ready_timeout_s``
    seconds."""
    proc = start(host, port, env)
    url = f"http://{host}:{port}/"

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, stop) for sig in stop_signals()}
    try:
        try:
            wait_ready(url, proc, ready_timeout_s)
        except RuntimeError as e:
            _stop(proc)
            raise InputError(f"The dashboard did not start: {e}. Its messages are above; if "
                             "the machine is busy, try again when it is quieter, or use another "
                             "--port.") from None
        ready(url)
        return proc.wait()
    except KeyboardInterrupt:
        _stop(proc)
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop(proc: subprocess.Popen) -> None:
    """Terminate the server child and wait for it (kill it after 10 s)."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def wait_ready(url: str, proc: subprocess.Popen, timeout_s: float = 60.0) -> None:
    """Wait until a GET of ``url`` answers HTTP 200 (polling; each request may take up to 30 s
    within the limit); raise ``RuntimeError`` if the server exits or ``timeout_s`` (seconds)
    pass first."""
    deadline = time.monotonic() + timeout_s
    while (left := deadline - time.monotonic()) > 0:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode} before answering")
        try:
            with _NO_PROXY.open(url, timeout=max(1.0, min(30.0, left))) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
    raise RuntimeError(f"the server did not answer at {url} within {timeout_s:.0f} s")
