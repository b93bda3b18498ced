"""Start-up: ``import leverage_sim`` and the verbs that run no model (list, params, validate,
show) import neither Mesa nor plotting, Dask, pyABC or Solara, nor numpy and pandas (a
correctness check on what is imported, in a fresh process; timings are in
benchmarks/startup.py, never gated here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import leverage_sim as ls

HEAVY = ("mesa", "matplotlib", "dask", "distributed", "pyabc", "solara", "numpy", "pandas")
PUBLIC = ("InputError", "Results", "Scenario", "__version__", "available_scenarios",
          "load_scenario", "load_sweep", "replication_seeds", "run", "run_one", "run_sweep",
          "summarise")


def heavy_modules_after(code: str) -> list[str]:
    """The heavy packages loaded in a fresh interpreter after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(m for m in {HEAVY!r} " \
            "if m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out.splitlines()[-1])


REPLAY_FILE = str(Path(__file__).resolve().parents[1] / "scenarios" / "june_2020_replay.yaml")


@pytest.mark.parametrize("argv", [["list"], ["params"], ["validate", "june_2020_replay"],
                                  ["validate", REPLAY_FILE], ["show", "june_2020_replay"]])
def test_light_verbs_import_no_model_or_plotting(argv):
    code = f"import leverage_sim\nfrom leverage_sim.cli.main import main\nmain({argv!r})"
    assert heavy_modules_after(code) == []


def test_import_is_light_and_exposes_the_same_names():
    assert heavy_modules_after("import leverage_sim as ls") == []
    assert set(PUBLIC) <= set(ls.__all__)
    for name in PUBLIC:
        assert getattr(ls, name) is not None, name
    assert ls.run is ls.simulation.runner.run and ls.Scenario is ls.scenario.schema.Scenario
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        ls.nothing  # noqa: B018


def test_a_verb_module_is_imported_only_for_its_verb():
    code = "from leverage_sim.cli.main import main\nmain(['list'])"
    probe = f"{code}\nimport sys\nprint(sorted(m for m in sys.modules if m.endswith('_cmd')))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    assert out.splitlines()[-1] == "['leverage_sim.cli.list_cmd']"


def test_help_compiles_nothing():
    """``leverage-sim --help`` imports every verb's module (for their options), but not the
    packages that compile kernels when imported (scoringrules, numba: seconds each); the
    scoring of validate-model imports them when it scores."""
    code = ("from leverage_sim.cli.main import main\ntry:\n    main(['--help'])\n"
            "except SystemExit:\n    pass")
    probe = f"{code}\nimport sys\nprint(sorted(m for m in ('numba', 'scoringrules') " \
            "if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    assert out.splitlines()[-1] == "[]"
