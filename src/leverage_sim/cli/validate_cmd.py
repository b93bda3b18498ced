"""``leverage-sim validate FILE...``: check scenario and episode files without running them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from leverage_sim.calibration.files import is_episode_file
from leverage_sim.cli.common import add_scenario_dir_arg
from leverage_sim.cli.json_output import add_json_arg, emit
from leverage_sim.errors import InputError
from leverage_sim.files.safe_text import visible
from leverage_sim.files.safe_yaml import folder_problem
from leverage_sim.scenario.loader import available_scenarios, is_scenario_path, load_scenario


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``validate`` verb."""
    p = sub.add_parser(
        "validate", help="check scenario and episode files (exit 2 if any has a problem)",
        description="Check scenario files (or names): YAML syntax, `extends`, unknown fields, "
        "values outside their allowed range, scripted events. A file with `facts:` or "
        "`scenario:` and neither `militias:` nor `extends:` is checked as an episode, as "
        "calibrate and validate-model load it: its fields, its scenario, and every fact's "
        "statistic and arguments against that scenario. Prints OK per good file and each "
        "problem with its field path; exits with 2 if any file fails.")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="scenario files or names, or episode files")
    add_scenario_dir_arg(p, help="extra folder for scenarios named in `extends` (an episode's "
                         "scenario is looked up as calibrate looks it up)")
    add_json_arg(p)
    p.set_defaults(func=main)


def check(name: str, scenario_dirs: list[str]) -> dict[str, Any]:
    """What validating one file (or name) found: ``ok`` and the scenario's (or episode's)
    shape, or the ``error`` paragraph; ``kind`` says which it was read as
    (:func:`~leverage_sim.calibration.files.is_episode_file`)."""
    if is_episode_file(name):
        return check_episode(name)
    try:
        refuse_folder(name, scenario_dirs)
        sc = load_scenario(name, scenario_dirs=scenario_dirs)
    except InputError as e:
        return {"file": name, "kind": "scenario", "ok": False, "error": str(e)}
    return {"file": name, "kind": "scenario", "ok": True, "scenario": sc.name,
            "militias": len(sc.militias), "events": len(sc.events),
            "horizon_days": sc.horizon_days, "start_date": sc.start_date}


def refuse_folder(name: str, scenario_dirs: list[str]) -> None:
    """An :class:`InputError` if ``name`` is a folder and no scenario's name (``validate
    scenarios/``): it was read as an unknown name or no name at all, never as the folder it is
    (a folder named ``x.yaml`` is already called a folder, as a scenario file)."""
    if name and not is_scenario_path(name) and folder_problem(Path(name)) is None \
            and name not in available_scenarios(scenario_dirs):
        raise InputError(f"'{name}' is a folder: validate checks files, not folders. Give the "
                         "scenario or episode files in it (e.g. `leverage-sim validate "
                         f"{Path(name) / '*.yaml'}`) or scenario names (see `leverage-sim "
                         "list`).")


def check_episode(name: str) -> dict[str, Any]:
    """:func:`check` for an episode file, loaded as calibrate and validate-model load it
    (:func:`~leverage_sim.calibration.episodes.load_episode`): its fields, its scenario (with
    the episode's horizon, overrides and events) and every fact's statistic and arguments."""
    # here, not at the top: the statistics need numpy and pandas (validate of a scenario
    # starts without them)
    from leverage_sim.calibration.episodes import load_episode

    try:
        episode = load_episode(Path(name))
        sc = episode.validated()
    except InputError as e:
        return {"file": name, "kind": "episode", "ok": False, "error": str(e)}
    return {"file": name, "kind": "episode", "ok": True, "episode": episode.name,
            "role": episode.spec.role, "facts": len(episode.spec.facts), "scenario": sc.name,
            "horizon_days": sc.horizon_days, "start_date": sc.start_date}


def print_check(r: dict[str, Any]) -> None:
    """One :func:`check` result as text: ``OK file (...)`` on stdout, ``FAIL`` on stderr."""
    if not r["ok"]:
        print(visible(f"FAIL {r['file']}\n     {r['error']}"), file=sys.stderr)
        return
    days = f"{r['horizon_days']} days from {r['start_date']}"
    if r["kind"] == "episode":
        n = r["facts"]
        print(visible(f"OK   {r['file']} (episode {r['episode']}, {r['role']}: {n} "
                      f"fact{'s' * (n != 1)} on scenario {r['scenario']}, {days})"))
        return
    n, m = r["events"], r["militias"]
    print(f"OK   {r['file']} (scenario {r['scenario']}: {m} militia{'s' * (m != 1)}, {n} "
          f"scripted event{'s' * (n != 1)}, {days})")


def main(args: argparse.Namespace) -> int:
    """Run the verb."""
    results = [check(f, args.scenario_dir) for f in args.files]
    failed = sum(not r["ok"] for r in results)
    if args.json:
        emit({"files": results, "failed": failed})
    else:
        for r in results:
            print_check(r)
    if failed:
        print(f"{failed} of {len(args.files)} file(s) failed validation.", file=sys.stderr)
        return 2
    return 0
