"""Mechanism 7 — the patron's decisions: how hard to push, restraint, and whom to support.

Instigation moves each day toward a target that weighs the aim of expelling US forces against
the expected US retaliation. Backlash is a stock that each US strike on a client and each raid on
a client raises and that fades; the war risk decides which answer prevails:

    war_risk = min(1, escalation + strike_risk × recent strikes)
    w        = σ(RESTRAINT_SHARPNESS × (war_risk − escalation_threshold))     (restraint weight)
    target   = base + (1 − w) × backlash − w × stability_priority

so a single strike mostly brings backlash, while heavy strikes make a pause likely (as KH
announced after the January 2024 Tower 22 attack brought US strikes). Support is re-allocated
toward clients under pressure (their disruption by arrests and strikes):

    share_m ∝ base_share_m × (1 + support_responsiveness × disruption_m),  Σ share = Σ base_share
"""

from __future__ import annotations

from collections.abc import MutableSequence, Sequence

from leverage_sim.mechanisms.intimidation import logistic
from leverage_sim.mechanisms.jitable import exact_sum, jitable

RESTRAINT_SHARPNESS = 10.0
"""Logistic slope of restraint around the threshold (per index unit); reasoning: restraint is a
deliberate order, given once war risk clearly passes the patron's threshold."""


@jitable
def war_risk(escalation: float, recent_strikes: float, strike_risk: float) -> float:
    """The patron's risk of open war with the US (index 0–1)."""
    return min(1.0, escalation + strike_risk * recent_strikes)


@jitable
def restraint_weight(risk: float, threshold: float) -> float:
    """``w`` (0–1): how far the patron's answer has turned from backlash to restraint."""
    return logistic(RESTRAINT_SHARPNESS * (risk - threshold))


@jitable
def target_instigation(base: float, backlash: float, weight: float,
                       stability_priority: float) -> float:
    """The level instigation drifts toward (index 0–1): the module's ``target``."""
    return min(1.0, max(0.0, base + (1.0 - weight) * backlash - weight * stability_priority))


@jitable
def allocate_support(base_shares: Sequence[float], pressures: Sequence[float],
                     responsiveness: float, shares: MutableSequence[float]) -> None:
    """Support shares after re-allocation toward clients under pressure (same total), one per
    militia, written into ``shares`` (a list, or an array in compiled code)."""
    n = len(base_shares)
    for i in range(n):  # the weights first ...
        shares[i] = base_shares[i] * (1.0 + responsiveness * pressures[i])
    total, budget = exact_sum(shares), exact_sum(base_shares)  # same on every Python
    for i in range(n):  # ... normalised to the same total
        shares[i] = shares[i] * budget / total if total > 0 else base_shares[i]
