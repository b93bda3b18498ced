"""Foreign-force staying power: drawdown and withdrawal when political cost passes tolerance.

Cost (units) = remembered US casualties (each casualty counts 1, fading with a
``CASUALTY_MEMORY_DAYS`` time constant) + ``EXPULSION_COST_WEIGHT`` × expulsion pressure.
Above ``casualty_tolerance`` (and at least ``drawdown_cooldown_days`` after the last drawdown)
the force draws down by ``drawdown_share``; below ``withdrawal_floor`` troops it leaves.
"""

from __future__ import annotations

from leverage_sim.mechanisms.jitable import jitable

EXPULSION_COST_WEIGHT = 10.0
"""Cost units per unit of expulsion pressure (reasoning: a binding expulsion demand weighs like
about ten casualties in Washington's calculus)."""

CASUALTY_MEMORY_DAYS = 180.0
"""Time constant (days) over which casualties weigh on the decision to stay (reasoning: a
political memory of about a season to a year)."""

EXPULSION_PRESSURE_DECAY = 0.005
"""Daily relative decay of expulsion pressure (reasoning: months-long political half-life)."""


@jitable
def political_cost(remembered_casualties: float, expulsion_pressure: float) -> float:
    """The foreign force's political cost of staying (cost units)."""
    return remembered_casualties + EXPULSION_COST_WEIGHT * expulsion_pressure


@jitable
def drawdown_size(presence: int, share: float, floor: int) -> int:
    """Troops leaving in a drawdown: a share of presence, or all of it if the rest < floor."""
    leaving = round(presence * share)
    return presence if presence - leaving < floor else leaving
