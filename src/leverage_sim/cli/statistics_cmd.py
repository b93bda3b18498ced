"""``leverage-sim statistics``: what an episode's facts may measure — the statistics with their
arguments and the actions of the event log with what each event's value holds."""

from __future__ import annotations

import argparse
import inspect
import textwrap

from leverage_sim.cli.json_output import add_json_arg, emit


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``statistics`` verb."""
    p = sub.add_parser(
        "statistics", help="list the statistics and event-log actions an episode's facts use",
        description="What an episode's facts may measure (docs/calibration.md, Files): each "
        "statistic (a fact's `statistic:`) with its arguments and what it gives, then each "
        "action the model writes to the event log (a fact's `action:`, `of_action:` or "
        "`response:`) with what one event of it is and what its value holds (`total` sums "
        "it, `largest` takes its maximum). Actors and targets are the scenario's militias and "
        "sites, `government`, `patron` and `foreign_forces`; dates are YYYY-MM-DD.",
        epilog="example: leverage-sim statistics")
    add_json_arg(p)
    p.set_defaults(func=main)


FILTERS = ("Filters: `actor` (government, patron, foreign_forces or a militia's name), `target` "
           "(a militia, a site or government), `exclude_targets` (a list of them), `start` and "
           "`end` (dates, inclusive), `min_value` (an event's value at least). `leverage-sim "
           "validate EPISODE.yaml` checks a fact's arguments against its scenario.")


def _default(default: object) -> object:
    """An argument's default as the listing shows it: None when it has none (required), a
    list for a tuple."""
    if default is inspect.Parameter.empty:
        return None
    return list(default) if isinstance(default, tuple) else default


def _argument(name: str, default: object) -> str:
    if default is inspect.Parameter.empty:
        return name
    return f"{name}={'none' if default is None else _default(default)}"


def _fill(text: str, first: str, rest: str) -> str:
    """``text`` (a docstring: its ``code`` marks shown as `code`) wrapped to 96 columns."""
    return textwrap.fill(" ".join(text.replace("``", "`").split()), 96, initial_indent=first,
                         subsequent_indent=rest)


def main(args: argparse.Namespace) -> int:
    """Run the verb."""
    from leverage_sim.calibration import statistics as st
    from leverage_sim.simulation.outcomes import OUTCOMES

    rows = []
    for name in sorted(st.STATISTICS):
        arguments = st.arguments_of(name)
        meaning = inspect.getdoc(st.STATISTICS[name]) or ""
        if name == "summary_value":
            meaning += f" Columns: {', '.join(OUTCOMES)}."
        rows.append({"statistic": name,
                     "arguments": {a: _default(d) for a, d in arguments.items()},
                     "required": [a for a, d in arguments.items()
                                  if d is inspect.Parameter.empty],
                     "signature": f"{name}({', '.join(_argument(*a) for a in arguments.items())})",
                     "gives": st.value_kind(name), "meaning": meaning})
    if args.json:
        emit({"statistics": rows, "actions": st.ACTIONS})
        return 0
    print("Statistics (a fact's `statistic:` and `arguments:`; an argument without `=` is "
          "required):")
    for r in rows:
        print(f"\n  {r['signature']} -> {r['gives']}")
        print(_fill(r["meaning"], " " * 6, " " * 6))
    print("\n" + _fill(FILTERS, "", ""))
    print("\nActions of the event log (a fact's `action:`, `of_action:` or `response:`):\n")
    width = max(map(len, st.ACTIONS))
    for action, meaning in st.ACTIONS.items():
        print(_fill(meaning, f"  {action:<{width}}  ", " " * (width + 4)))
    return 0
