"""``leverage-sim dashboard [NAME]``: the interactive browser dashboard (Solara, Mesa model)."""

from __future__ import annotations

import argparse
import socket
import sys

from leverage_sim.cli.common import add_scenario_args
from leverage_sim.dashboard import assets, server
from leverage_sim.dashboard.model import DEFAULT_SCENARIO
from leverage_sim.errors import InputError
from leverage_sim.scenario.loader import load_scenario

PORTS = range(65536)
"""Valid ``--port`` values: 1-65535, or 0 for any free port."""
LISTEN_HELP = ("Use --host 127.0.0.1 (this machine only, the default), 0.0.0.0 (every network "
               "interface) or an address of this machine.")


def port_arg(text: str) -> int:
    """``type=`` for ``--port``: a whole number in :data:`PORTS`."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number") from None
    if port not in PORTS:
        raise argparse.ArgumentTypeError(f"a TCP port is 1 to 65535 (or 0 for any free port), "
                                         f"got {port}")
    return port


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``dashboard`` verb."""
    p = sub.add_parser("dashboard", help="interactive dashboard in the browser",
                       description="Serve a local web page to run one scenario day by day: "
                       "scenario picker, lever sliders, reset/step/play, live charts and the "
                       "event log; ensembles of the settings, comparison with the scenario as "
                       "filed, CSV/PNG/YAML downloads. Open the printed address in a browser; "
                       "Ctrl-C stops it.")
    p.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO,
                   help=f"scenario selected when the page opens (default {DEFAULT_SCENARIO})")
    p.add_argument("--port", type=port_arg, default=8765,
                   help="TCP port (default 8765; 0 = any free port)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0, "
                   "or 0, which the system reads as 0.0.0.0: every network interface)")
    add_scenario_args(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Check the scenario and the port, then run the server until Ctrl-C; the address is
    printed once the page answers."""
    load_scenario(args.scenario, args.overrides, args.scenario_dir)  # fail early, readably
    port = listen_port(args.host, args.port)
    left = assets.ensure()
    if left:
        print(f"note: {', '.join(left)} not found offline (npm missing or unreachable); the page "
              "will fetch them from the internet on first load.", file=sys.stderr)
    env = server.environment(args.scenario, args.overrides, args.scenario_dir)
    print(f"leverage-sim dashboard: starting on {args.host}:{port} (this can take a minute)...",
          file=sys.stderr, flush=True)
    return server.serve(args.host, port, env, ready=announce)


def announce(url: str) -> None:
    """Print the address once the page answers (the line to wait for: ``Dashboard ready at``)."""
    print(f"Dashboard ready at {url}  (Ctrl-C to stop)", flush=True)


def listen_port(host: str, port: int) -> int:
    """The port to serve on (``port``, or a free one for 0) once ``host`` is known to be an
    IPv4 address or name of this machine and the port free there; else an
    :class:`InputError` naming the option to change."""
    try:
        socket.getaddrinfo(host, port, socket.AF_INET, socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError) as e:
        reason = getattr(e, "strerror", None) or str(e)
        raise InputError(f"--host '{host}' is not an IPv4 address or a name that resolves to "
                         f"one ({reason}). {LISTEN_HELP}") from None
    if port == 0:
        try:
            port = server.free_port(host)
        except OSError as e:
            raise InputError(f"Cannot listen on --host '{host}' ({e.strerror}): it is not an "
                             f"address of this machine. {LISTEN_HELP}") from None
    server.check_port_free(host, port)
    return port
