"""Foreign-force staying power: drawdown and withdrawal when political cost passes tolerance,
and parliament's expulsion vote.

Cost (units) = remembered US casualties (each casualty counts 1, fading with a
``CASUALTY_MEMORY_DAYS`` time constant) + ``EXPULSION_COST_WEIGHT`` × expulsion pressure.
Each decision comes at least ``drawdown_cooldown_days`` after the last one. Above
``casualty_tolerance`` the force draws down by ``drawdown_share``, but not below
``withdrawal_floor``: the drawdown stops at the floor. At the floor (reached by a drawdown, or
where the force started) cost above tolerance first puts the force under review; it leaves the
country (full withdrawal) only if the cost stays above tolerance until the next decision, a
cooldown later (:func:`drawdown_decision`). So no single bad season takes a force from above
the floor to zero.

Parliament's expulsion vote (:func:`vote_due`): the first time expulsion pressure passes
``expulsion_vote_threshold`` while the force is in country, the government's parliament votes
to expel it (once per run: the resolution stands). From then on expulsion pressure decays toward
``expulsion_vote_floor`` instead of toward 0 (:func:`decay_expulsion`): the demand is on the
record and keeps the US's political cost up.
"""

from __future__ import annotations

from leverage_sim.simulation.mechanisms.jitable import jitable

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
    """Troops leaving in a drawdown: a share of presence, stopping at the floor (0 for a force
    already at or below it)."""
    leaving = round(presence * share)
    if presence - leaving < floor:
        leaving = max(0, presence - floor)
    return leaving


@jitable
def drawdown_decision(presence: int, share: float, floor: int, cooled: bool, cost: float,
                      tolerance: float, reviewing: bool) -> tuple[int, bool, bool]:
    """Today's staying decision: (troops leaving, whether a decision was taken (the cooldown
    restarts), whether the force is under review at the floor afterwards).

    Cost within tolerance: nothing, and a review at the floor ends (the cost did not stay
    above tolerance). Cost above tolerance after the cooldown: a force above the floor draws
    down, stopping at the floor (under review there if it reached it); a force at or below the
    floor is put under review the first time and leaves (full withdrawal) if it is still under
    review — the cost stayed above tolerance — at the next decision."""
    if presence <= 0 or not cost > tolerance:
        return 0, False, False
    if not cooled:
        return 0, False, reviewing
    if presence <= floor:
        if reviewing:
            return presence, True, False
        return 0, True, True
    leaving = drawdown_size(presence, share, floor)
    return leaving, True, presence - leaving <= floor


@jitable
def vote_due(expulsion_pressure: float, threshold: float, voted: bool, presence: int) -> bool:
    """Parliament votes to expel the force: pressure has passed the threshold for the first
    time, with the force in country."""
    return (not voted) and presence > 0 and expulsion_pressure > threshold


@jitable
def decay_expulsion(expulsion_pressure: float, voted: bool, floor: float) -> float:
    """One day's fading of expulsion pressure: toward 0, or after the vote toward its floor
    (never below it)."""
    if not voted:
        return expulsion_pressure * (1.0 - EXPULSION_PRESSURE_DECAY)
    return floor + max(0.0, expulsion_pressure - floor) * (1.0 - EXPULSION_PRESSURE_DECAY)
