"""``leverage-sim dashboard [NAME]``: the interactive browser dashboard (Solara, Mesa model)."""

from __future__ import annotations

import argparse
import sys

from leverage_sim.cli.common import add_scenario_args
from leverage_sim.dashboard import assets, server
from leverage_sim.dashboard.model import DEFAULT_SCENARIO
from leverage_sim.scenario_loader import load_scenario


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
    p.add_argument("--port", type=int, default=8765,
                   help="TCP port (default 8765; 0 = any free port)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")
    add_scenario_args(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Check the scenario and the port, then run the server until Ctrl-C."""
    load_scenario(args.scenario, args.overrides, args.scenario_dir)  # fail early, readably
    port = args.port or server.free_port(args.host)
    server.check_port_free(args.host, port)
    left = assets.ensure()
    if left:
        print(f"note: {', '.join(left)} not found offline (npm missing or unreachable); the page "
              "will fetch them from the internet on first load.", file=sys.stderr)
    env = server.environment(args.scenario, args.overrides, args.scenario_dir)
    print(f"leverage-sim dashboard: http://{args.host}:{port}/  (Ctrl-C to stop)", flush=True)
    return server.serve(args.host, port, env)
