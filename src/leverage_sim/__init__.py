"""leverage-sim: agent-based scenarios of a government, foreign-backed militias, their patron and
a foreign force (Iraq, June–July 2020, and counterfactuals).

Quick use::

    import leverage_sim as ls
    res = ls.run("june_2020_replay", replications=100, seed=1)
    res.summary.describe()

The names below are imported on first use (module ``__getattr__``), so ``import leverage_sim``
and the CLI verbs that need neither Mesa nor plotting start quickly.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from leverage_sim.errors import InputError

_LAZY = {
    "Results": "leverage_sim.runner", "replication_seeds": "leverage_sim.runner",
    "run": "leverage_sim.runner", "run_one": "leverage_sim.runner",
    "available_scenarios": "leverage_sim.scenario_loader",
    "load_scenario": "leverage_sim.scenario_loader", "Scenario": "leverage_sim.schema",
    "load_sweep": "leverage_sim.sweep", "run_sweep": "leverage_sim.sweep",
    "summarise": "leverage_sim.sweep", "explore": "leverage_sim.analysis.exploration",
    "compare": "leverage_sim.comparison",
}
"""Public name → the module that defines it (imported on first access)."""

if TYPE_CHECKING:  # for type checkers and IDEs: the eager imports
    from leverage_sim.analysis.exploration import explore
    from leverage_sim.comparison import compare
    from leverage_sim.runner import Results, replication_seeds, run, run_one
    from leverage_sim.scenario_loader import available_scenarios, load_scenario
    from leverage_sim.schema import Scenario
    from leverage_sim.sweep import load_sweep, run_sweep, summarise


__all__ = [
    "InputError", "Results", "Scenario", "__version__", "available_scenarios", "compare",
    "explore", "load_scenario", "load_sweep", "replication_seeds", "run", "run_one", "run_sweep",
    "summarise",
]


def __getattr__(name: str) -> Any:
    """Import a public name (or a submodule such as ``leverage_sim.runner``) on first use."""
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    elif name == "__version__":
        value = _installed_version()
    elif name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    else:
        try:
            value = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    globals()[name] = value
    return value


def _installed_version() -> str:
    """The installed distribution's version ("0+unknown" in a source tree not installed)."""
    from importlib.metadata import PackageNotFoundError, version  # ~0.1 s: only when asked

    try:
        return version("leverage-sim")
    except PackageNotFoundError:
        return "0+unknown"


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY, "__version__"})
