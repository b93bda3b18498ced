"""leverage-sim: agent-based scenarios of a government, foreign-backed militias, their patron and
a foreign force (Iraq, June–July 2020, and counterfactuals).

Quick use::

    import leverage_sim as ls
    res = ls.run("june_2020_replay", replications=100, seed=1)
    res.summary.describe()
"""

from importlib.metadata import PackageNotFoundError, version

from leverage_sim.errors import InputError
from leverage_sim.runner import Results, replication_seeds, run, run_one
from leverage_sim.scenario_loader import available_scenarios, load_scenario
from leverage_sim.schema import Scenario

try:
    __version__ = version("leverage-sim")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

from leverage_sim.compare import compare
from leverage_sim.sweep import load_sweep, run_sweep, summarise

__all__ = [
    "InputError", "Results", "Scenario", "__version__", "available_scenarios", "compare",
    "load_scenario",
    "load_sweep", "replication_seeds", "run", "run_one", "run_sweep", "summarise",
]
