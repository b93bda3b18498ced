"""A ready EMA Workbench model of a scenario (:mod:`leverage_sim.ema.workbench`): an interface,
beside the CLI and the dashboard; it may import every layer below it."""

from leverage_sim.ema.workbench import (
    DAILY,
    DEFAULT_LEVERS,
    DEFAULT_UNCERTAINTIES,
    KINDS,
    lever_name,
    model,
    parameter,
    resolve_names,
    run_replication,
    scenario_paths,
    sweep_experiments,
)

__all__ = ["DAILY", "DEFAULT_LEVERS", "DEFAULT_UNCERTAINTIES", "KINDS", "lever_name", "model",
           "parameter", "resolve_names", "run_replication", "scenario_paths", "sweep_experiments"]
