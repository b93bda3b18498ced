"""``leverage-sim`` entry point. Exit codes: 0 ok, 2 usage/input error, 1 internal error.

Each verb lives in its own module ``cli/<verb>_cmd.py`` exposing ``register(subparsers)``,
which adds its parser and sets ``func`` (``args -> int``). Verbs are discovered from the module
names (``_`` in a module name is ``-`` in the verb: ``validate_model_cmd`` is
``validate-model``), so adding a verb is adding its module.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import traceback

import leverage_sim.cli as _cli_pkg
from leverage_sim import __version__
from leverage_sim.errors import InputError

VERBS = tuple(sorted(m.name[: -len("_cmd")].replace("_", "-")
                     for m in pkgutil.iter_modules(_cli_pkg.__path__) if m.name.endswith("_cmd")))


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors as exit 2 and a one-paragraph message."""

    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}. See `{self.prog} --help`.\n")


def build_parser() -> argparse.ArgumentParser:
    """The full parser with every verb registered."""
    parser = _Parser(prog="leverage-sim", description="Scenario simulation of state-militia-"
                     "patron-foreign-force dynamics (Iraq, June-July 2020, and counterfactuals).")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=_Parser)
    sub.required = True
    for verb in VERBS:
        importlib.import_module(f"leverage_sim.cli.{verb.replace('-', '_')}_cmd").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns (and exits with) the exit code."""
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
    except InputError as e:
        print(f"leverage-sim: error: {e}", file=sys.stderr)
        code = 2
    except KeyboardInterrupt:
        print("leverage-sim: interrupted.", file=sys.stderr)
        code = 130
    except Exception as e:  # noqa: BLE001 - any other error is a bug: short message, exit 1
        if os.environ.get("LEVERAGE_SIM_DEBUG"):
            traceback.print_exc()
        print(f"leverage-sim: internal error: {type(e).__name__}: {e}. This is a bug; please "
              "report it with the command you ran (set LEVERAGE_SIM_DEBUG=1 for a traceback).",
              file=sys.stderr)
        code = 1
    if argv is None:
        sys.exit(code)
    return code
