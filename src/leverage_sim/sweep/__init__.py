"""Parameter sweeps: designs, replications, executors (serial, local processes, Dask) and
results streamed to Parquet — see docs/sweeps.md.

Quick use::

    from leverage_sim.sweep import SweepSpec, run_sweep, load_sweep, summarise
    spec = SweepSpec.from_cli("june_2020_replay", ["foreign_forces.backing=0:1:5"],
                              replications=50, seed=1)
    out = run_sweep(spec, "results/backing")
    summarise(load_sweep(out), outcomes=["held_firm>0", "attacks"])

Layer: may import outputs, calibration, simulation, scenario and files (never analysis or the interfaces).
"""

from leverage_sim.simulation.executors import EXECUTORS, make_executor
from leverage_sim.sweep.design import Design, build_design
from leverage_sim.sweep.engine import rerun, run_sweep
from leverage_sim.sweep.results import design_problem, load_sweep, outcome_values, summarise
from leverage_sim.sweep.spec import DESIGNS, Parameter, SweepSpec

__all__ = [
    "DESIGNS", "EXECUTORS", "Design", "Parameter", "SweepSpec", "build_design", "design_problem",
    "load_sweep", "make_executor", "outcome_values", "rerun", "run_sweep", "summarise",
]
