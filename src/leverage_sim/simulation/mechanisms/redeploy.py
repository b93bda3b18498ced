"""Mechanism — troops come back: after a drawdown the foreign force returns toward its
authorised level (its starting presence) once staying has been politically cheap for long.

    calm day:  political cost < redeploy_calm_share × casualty_tolerance
    after redeploy_after_days calm days in a row:
        troops returning = ceil(redeploy_share × (authorised − presence))

A full withdrawal is final (the force has left; a return would be a new policy). Staying power
(:mod:`leverage_sim.simulation.mechanisms.withdrawal`) thus works both ways, so ten-year runs need no pull
of the troop level back to its start: it comes from the US's own decisions.
"""

from __future__ import annotations

import math

from leverage_sim.simulation.mechanisms.jitable import jitable


@jitable
def calm_days(days: int, cost: float, tolerance: float, calm_share: float) -> int:
    """Calm days in a row after today: one more if the political cost is below
    ``calm_share`` × ``tolerance``, else back to 0."""
    return days + 1 if cost < calm_share * tolerance else 0


@jitable
def redeploy_size(presence: int, authorised: int, share: float) -> int:
    """Troops returning: ``share`` of the gap to the authorised level (at least one)."""
    gap = authorised - presence
    return max(1, min(gap, math.ceil(share * gap))) if gap > 0 else 0
