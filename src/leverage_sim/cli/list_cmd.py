"""``leverage-sim list``: the scenarios that can be run by name, with their questions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from leverage_sim.cli.common import add_scenario_dir_arg
from leverage_sim.cli.json_output import add_json_arg, emit
from leverage_sim.errors import InputError
from leverage_sim.files.safe_text import article, visible
from leverage_sim.scenario.loader import (
    ENV_SCENARIO_PATH,
    available_scenarios,
    other_kind,
    read_yaml,
    unnamed_because,
    unnamed_scenario_files,
)


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``list`` verb."""
    p = sub.add_parser(
        "list", help="list scenarios and the question each asks",
        description="List every scenario that can be run by name: the shipped library, "
        f"./scenarios, folders given with --scenario-dir and ${ENV_SCENARIO_PATH} (the first "
        "folder holding a name wins).")
    add_scenario_dir_arg(p)
    p.add_argument("--paths", action="store_true", help="also show each scenario's file")
    add_json_arg(p)
    p.set_defaults(func=main)


def question_of(path: Path) -> str | None:
    """The one-line ``question:`` of a scenario file (its own, not inherited); None (with a
    note on stderr) for a file of another kind (a sweep, episode or calibration file in a
    scenario folder), which no command runs as a scenario."""
    try:
        data = read_yaml(path)
    except InputError as e:
        return f"(unreadable: {e})"
    other = other_kind(data)
    if other is not None:
        kind, keys = other
        print(visible(f"leverage-sim list: note: {path} is left out: it is {article(kind.name)} "
                      f"{kind.name} (it has {keys}), not a scenario. Keep it out of the scenario "
                      f"folders: by name it hides any scenario called '{path.stem}'."),
              file=sys.stderr)
        return None
    question = data.get("question")
    if isinstance(question, list):  # a question written as a YAML list of lines
        question = " ".join(map(str, question))
    return str(question or "") or "(no question given)"


def main(args: argparse.Namespace) -> int:
    """Run the verb."""
    named = available_scenarios(args.scenario_dir)
    for path in unnamed_scenario_files(args.scenario_dir):
        print(visible(f"leverage-sim list: note: {path} is left out: "
                      f"{unnamed_because(path)}. Rename it (letters, digits, '_', '-', '.') to "
                      "use it by name."), file=sys.stderr)
    questions = {name: question_of(path) for name, path in named.items()}
    found = {name: path for name, path in named.items() if questions[name] is not None}
    if args.json:
        emit([{"name": name, "question": questions[name], "path": path}
              for name, path in found.items()])
        return 0
    width = max((len(n) for n in found), default=0)
    for name, path in found.items():
        # file names and questions are the user's: control characters shown as escapes
        print(visible(f"{name:<{width}}  {questions[name]}"))
        if args.paths:
            print(visible(f"{'':<{width}}  {path}"))
    return 0
