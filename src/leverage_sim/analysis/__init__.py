"""Analysis of runs and sweeps: the June 2020 episode against the record, global sensitivity
(Sobol, Morris), scenario discovery (PRIM, trees) and which lever settings keep enforcement
holding (:func:`explore`).

The index and box functions take plain arrays/tables, so they can be checked on functions with a
known answer; :func:`sensitivity` runs a sweep through :mod:`leverage_sim.sweep` and analyses it.

Layer: may import sweep and every layer below it (never the interfaces).
"""

from leverage_sim.analysis.discovery import PrimResult, prim, tree_leaves
from leverage_sim.analysis.episode import RECORD, compare_with_record, episode_figures
from leverage_sim.analysis.exploration import Exploration, Question
from leverage_sim.analysis.explore_run import explore
from leverage_sim.analysis.sensitivity import (
    morris_indices,
    replication_noise,
    sensitivity,
    sobol_indices,
    sweep_indices,
)
from leverage_sim.analysis.sweeps import ensure_sweep

__all__ = [
    "RECORD", "Exploration", "PrimResult", "Question", "compare_with_record", "ensure_sweep",
    "episode_figures", "explore",
    "morris_indices", "prim", "replication_noise", "sensitivity", "sobol_indices", "sweep_indices", "tree_leaves",
]
