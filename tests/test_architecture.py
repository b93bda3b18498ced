"""The package's folders are its architecture: layers that import only downward, no import
circle, mechanisms that import only mechanisms, and the old module paths still working (with a
DeprecationWarning) for one release.

Every ``import`` statement counts, wherever it stands: at the top, inside a function (imported
late for start-up time) or under ``if TYPE_CHECKING`` (a type hint is a dependency too).
"""

from __future__ import annotations

import ast
import importlib
import sys
import warnings
from pathlib import Path

import pytest

import leverage_sim

PACKAGE = Path(leverage_sim.__file__).resolve().parent

LAYERS = {
    "errors": 0, "files": 1, "scenario": 2, "simulation": 3, "calibration": 4, "outputs": 5,
    "sweep": 6, "analysis": 7, "cli": 8, "dashboard": 8, "ema": 8,
}
"""Rank of each top-level part: a module may import only its own part and parts ranked lower
(the package face, ``leverage_sim/__init__.py``, sits above them all and imports lazily)."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imported(name: str, path: Path) -> set[str]:
    """The ``leverage_sim`` modules that ``name`` imports (every import statement)."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = name.split(".") if is_package else name.split(".")[:-1]
                base = ".".join(here[:len(here) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base
                       for a in node.names]
        else:
            continue
        for target in targets:
            while target not in MODULES and "." in target:
                target = target.rsplit(".", 1)[0]
            if target.startswith("leverage_sim") and target != name:
                found.add(target)
    return found


GRAPH = {name: imported(name, path) for name, path in MODULES.items()}


def part(name: str) -> str | None:
    """The top-level part a module belongs to (None for the package face)."""
    return name.split(".")[1] if "." in name else None


def test_the_top_level_holds_only_the_face_and_the_errors():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "errors.py"]
    assert set(filter(None, map(part, MODULES))) == set(LAYERS)


def test_every_sub_package_says_what_lives_there_and_what_it_may_import():
    for name in LAYERS:
        init = PACKAGE / name / "__init__.py"
        if init.is_file():
            doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
            assert len(doc) > 60, f"{init}: a docstring saying what lives there"


def upward(graph: dict[str, set[str]]) -> list[str]:
    """Every import of a module from a higher layer (or of the package face)."""
    return sorted(f"{name} -> {dep}" for name, deps in graph.items() if part(name) is not None
                  for dep in deps
                  if part(dep) is None or LAYERS[part(dep)] > LAYERS[part(name)])


def test_layers_import_only_downward():
    assert upward(GRAPH) == []


def test_mechanisms_import_nothing_of_the_model():
    mechanisms = "leverage_sim.simulation.mechanisms"
    wrong = [f"{name} -> {dep}" for name, deps in GRAPH.items() if name.startswith(mechanisms)
             for dep in deps if not dep.startswith(mechanisms)]
    assert not wrong


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while (w := stack.pop()) != v:
                component.append(w)
            if component:
                found.append(sorted([v, *component]))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(graph)))
    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_import_circle():
    assert cycles(GRAPH) == []


def test_the_checks_see_a_circle_and_an_upward_import(tmp_path):
    """The checks have power: imports inside a function and under TYPE_CHECKING are read, and
    a circle or an upward import added to the graph is found."""
    source = tmp_path / "report.py"
    source.write_text("from typing import TYPE_CHECKING\n"
                      "if TYPE_CHECKING:\n    from leverage_sim.simulation.model import LeverageModel\n"
                      "def f():\n    from leverage_sim.sweep.results import load_sweep\n")
    found = imported("leverage_sim.outputs.report", source)
    assert found == {"leverage_sim.simulation.model", "leverage_sim.sweep.results"}
    graph = {k: set(v) for k, v in GRAPH.items()}
    graph["leverage_sim.outputs.report"] |= found
    assert upward(graph) == ["leverage_sim.outputs.report -> leverage_sim.sweep.results"]
    graph["leverage_sim.simulation.outcomes"].add("leverage_sim.simulation.model")
    assert any("leverage_sim.simulation.outcomes" in c for c in cycles(graph))


OLD_PATHS = {
    "leverage_sim.model": "leverage_sim.simulation.model",
    "leverage_sim.runner": "leverage_sim.simulation.runner",
    "leverage_sim.plots": "leverage_sim.outputs.plots",
    "leverage_sim.posterior": "leverage_sim.simulation.posterior",
    "leverage_sim.schema": "leverage_sim.scenario.schema",
    "leverage_sim.mechanisms.standoff": "leverage_sim.simulation.mechanisms.standoff",
    "leverage_sim.sweep.executors": "leverage_sim.simulation.executors",
}


@pytest.mark.parametrize("old", sorted(OLD_PATHS))
def test_old_module_paths_still_import_with_a_warning(old):
    sys.modules.pop(old, None)
    with warnings.catch_warnings(record=True) as caught:  # a moved parent warns too
        warnings.simplefilter("always")
        module = importlib.import_module(old)
    assert any(w.category is DeprecationWarning
               and f"{old} has moved to {OLD_PATHS[old]}" in str(w.message) for w in caught)
    assert module is importlib.import_module(OLD_PATHS[old])


def test_old_from_imports_keep_working():
    for old in ("leverage_sim.runner", "leverage_sim.model"):
        sys.modules.pop(old, None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from leverage_sim.model import LeverageModel
        from leverage_sim.runner import Results, run

    import leverage_sim as ls

    assert (ls.LeverageModel, ls.Results, ls.run) == (LeverageModel, Results, run)


def test_the_face_exposes_what_it_did():
    import leverage_sim as ls

    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # the face uses the new paths
        for name in ("run", "run_one", "replication_seeds", "Results", "Scenario",
                     "load_scenario", "available_scenarios", "load_sweep", "run_sweep",
                     "summarise", "explore", "compare", "InputError", "LeverageModel",
                     "__version__"):
            assert getattr(ls, name) is not None, name


def test_only_leverage_sims_own_old_paths_are_redirected(tmp_path, monkeypatch):
    """A user's own module named like an old one (``model.py``, ``plots.py``) imports as
    itself, not as leverage-sim's."""
    (tmp_path / "plots.py").write_text("MINE = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("plots", None)
    import leverage_sim  # noqa: F401  (the finder is installed)

    assert importlib.import_module("plots").MINE
    sys.modules.pop("plots", None)
