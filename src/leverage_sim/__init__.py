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
import importlib.abc
import importlib.util
import sys
import warnings
from typing import TYPE_CHECKING, Any

from leverage_sim.errors import InputError

_LAZY = {
    "Results": "leverage_sim.simulation.runner", "replication_seeds": "leverage_sim.simulation.runner",
    "run": "leverage_sim.simulation.runner", "run_one": "leverage_sim.simulation.runner",
    "available_scenarios": "leverage_sim.scenario.loader",
    "load_scenario": "leverage_sim.scenario.loader", "Scenario": "leverage_sim.scenario.schema",
    "load_sweep": "leverage_sim.sweep", "run_sweep": "leverage_sim.sweep",
    "summarise": "leverage_sim.sweep", "explore": "leverage_sim.analysis.explore_run",
    "compare": "leverage_sim.analysis.comparison", "LeverageModel": "leverage_sim.simulation.model",
}
"""Public name → the module that defines it (imported on first access)."""

if TYPE_CHECKING:  # for type checkers and IDEs: the eager imports
    from leverage_sim.analysis.comparison import compare
    from leverage_sim.analysis.explore_run import explore
    from leverage_sim.scenario.loader import available_scenarios, load_scenario
    from leverage_sim.scenario.schema import Scenario
    from leverage_sim.simulation.model import LeverageModel
    from leverage_sim.simulation.runner import Results, replication_seeds, run, run_one
    from leverage_sim.sweep import load_sweep, run_sweep, summarise


__all__ = [
    "InputError", "LeverageModel", "Results", "Scenario", "__version__", "available_scenarios", "compare",
    "explore", "load_scenario", "load_sweep", "replication_seeds", "run", "run_one", "run_sweep",
    "summarise",
]

_MOVED = {
    "agents": "simulation.agents",
    "canonical": "scenario.canonical",
    "comparison": "analysis.comparison",
    "event_log": "simulation.event_log",
    "event_schema": "scenario.event_schema",
    "event_text": "simulation.event_text",
    "explore_report": "analysis.explore_report",
    "fastpath": "simulation.fastpath",
    "labels": "scenario.labels",
    "levers": "scenario.levers",
    "limits": "scenario.limits",
    "mechanisms": "simulation.mechanisms",
    "model": "simulation.model",
    "model_fingerprint": "simulation.model_fingerprint",
    "narrative": "outputs.narrative",
    "notebook_pages": "outputs.notebook_pages",
    "outcomes": "simulation.outcomes",
    "output_dir": "files.output_dir",
    "overrides": "scenario.overrides",
    "param_reference": "scenario.param_reference",
    "plots": "outputs.plots",
    "posterior": "simulation.posterior",
    "provenance": "simulation.provenance",
    "report": "outputs.report",
    "report_brief": "outputs.report_brief",
    "report_html": "files.report_html",
    "report_pages": "outputs.report_pages",
    "run_outputs": "outputs.run_outputs",
    "runner": "simulation.runner",
    "safe_text": "files.safe_text",
    "safe_yaml": "files.safe_yaml",
    "scenario_loader": "scenario.loader",
    "schema": "scenario.schema",
    "schema_base": "scenario.schema_base",
    "scripted_events": "simulation.scripted_events",
    "stale": "simulation.stale",
    "standoffs": "simulation.standoffs",
    "sweep.executors": "simulation.executors",
    "sweep.worker": "simulation.worker",
}
"""Module paths of before the 0.2 package layout → where they live now. The old paths keep
working for one release (with a DeprecationWarning), through :class:`_MovedModuleFinder`."""


class _MovedModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports an old module path (``leverage_sim.model``) as its new module, with a warning."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        new = _new_path(fullname)
        return importlib.util.spec_from_loader(fullname, self) if new else None

    def create_module(self, spec: Any) -> Any:
        new = _new_path(spec.name)
        warnings.warn(f"{spec.name} has moved to {new}; the old path will be removed in the "
                      "next release", DeprecationWarning, stacklevel=3)
        return importlib.import_module(new)

    def exec_module(self, module: Any) -> None:
        """Nothing to run: the new module is already imported."""


def _new_path(fullname: str) -> str | None:
    """The new dotted path of an old ``leverage_sim`` module path, or None if it has not moved."""
    if not fullname.startswith(f"{__name__}."):
        return None  # another package's module, or a user's own ``model``/``plots``
    rest = fullname.removeprefix(f"{__name__}.")
    for old, new in _MOVED.items():
        if rest == old or rest.startswith(f"{old}."):
            return f"{__name__}.{new}{rest[len(old):]}"
    return None


sys.meta_path.insert(0, _MovedModuleFinder())  # before the path finder: one module object per file


def __getattr__(name: str) -> Any:
    """Import a public name (or a submodule such as ``leverage_sim.simulation.runner``) on first use."""
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    elif name == "__version__":
        from leverage_sim.files.version import installed_version

        value = installed_version()
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



def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY, "__version__"})
