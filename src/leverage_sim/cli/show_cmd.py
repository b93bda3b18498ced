"""``leverage-sim show NAME``: the fully resolved parameters of a scenario, as YAML."""

from __future__ import annotations

import argparse

from leverage_sim.cli.common import add_scenario_args
from leverage_sim.cli.json_output import add_json_arg, emit
from leverage_sim.scenario.canonical import scenario_yaml
from leverage_sim.scenario.loader import load_scenario


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``show`` verb."""
    p = sub.add_parser(
        "show", help="print a scenario's resolved parameters as YAML",
        description="Print every parameter of a scenario after `extends` and --set overrides "
        "are applied, as YAML. The output is itself a valid scenario file: save it, edit it, "
        "run it.",
        epilog="example: leverage-sim show kh_decapitated > my_scenario.yaml")
    p.add_argument("scenario", help="scenario name (see `leverage-sim list`) or YAML file")
    add_scenario_args(p)
    add_json_arg(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Run the verb."""
    scenario = load_scenario(args.scenario, args.overrides, args.scenario_dir)
    if args.json:
        emit(scenario.model_dump(mode="json"))
    else:
        print(scenario_yaml(scenario), end="")
    return 0
