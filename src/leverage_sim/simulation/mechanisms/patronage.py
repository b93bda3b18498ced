"""Mechanism 7 — the patron's decisions: how hard to push, restraint, and whom to support.

Instigation moves each day toward a target that weighs the aim of expelling US forces against
the expected US retaliation. Backlash is a stock that each US strike on a client and each raid on
a client raises and that fades; the war risk decides which answer prevails:

    war_risk = min(1, escalation + strike_risk × recent strikes + us_threat)
    w        = σ(RESTRAINT_SHARPNESS × (war_risk − escalation_threshold))     (restraint weight)
    target   = base + (1 − w) × backlash − stability_priority × (w + (1 − w) × escalation)

A client's win (the government relents or loses a clash) makes the patron plan a campaign
(``win_campaign``, fading over ``campaign_days``); the support delivered follows the plan with a
lag (``campaign_build_days``) and multiplies its resources (:func:`supply`): a hump that peaks
about two months after the win, as the summer 2020 attacks followed the June relent.

So a single strike mostly brings backlash, while heavy strikes make a pause likely (as KH
announced after the January 2024 Tower 22 attack brought US strikes). The patron values the
Iraqi order its allies run (the seed brief: Iran acquiesced to al-Kadhimi "in the interests of
keeping Iraq's political structure stable"): every unit of escalation — the violence of attacks,
casualties, musters, clashes and strikes — threatens it, so a patron with a high stability
priority gives up push continuously as violence rises, not only past its threshold. (The
memory of strikes counts toward war risk and restraint past the threshold; below it a strike is
first an affront: backlash.) When the risk passes the
threshold (w ≥ ½) the patron orders a truce (:func:`truce_target`): its instigation is held at
most at ``truce_instigation`` for ``truce_days``. Support is re-allocated
toward clients under pressure (their disruption by arrests and strikes):

    share_m ∝ base_share_m × (1 + support_responsiveness × disruption_m),  Σ share = Σ base_share
"""

from __future__ import annotations

from collections.abc import MutableSequence, Sequence

from leverage_sim.simulation.mechanisms.beliefs import REST, fade
from leverage_sim.simulation.mechanisms.intimidation import logistic
from leverage_sim.simulation.mechanisms.jitable import exact_sum, jitable

RESTRAINT_SHARPNESS = 10.0
"""Logistic slope of restraint around the threshold (per index unit); reasoning: restraint is a
deliberate order, given once war risk clearly passes the patron's threshold."""


@jitable
def war_risk(escalation: float, recent_strikes: float, strike_risk: float,
             us_threat: float) -> float:
    """The patron's risk of open war with the US (index 0–1)."""
    return min(1.0, escalation + strike_risk * recent_strikes + us_threat)


@jitable
def restraint_weight(risk: float, threshold: float) -> float:
    """``w`` (0–1): how far the patron's answer has turned from backlash to restraint."""
    return logistic(RESTRAINT_SHARPNESS * (risk - threshold))


TRUCE_WEIGHT = 0.5
"""Restraint weight at which the patron orders a truce (war risk at its threshold)."""


@jitable
def target_instigation(base: float, backlash: float, weight: float,
                       stability_priority: float, escalation: float = 0.0) -> float:
    """The level instigation drifts toward (index 0–1): the module's ``target``
    (``escalation``: the threat to the Iraqi order the patron values)."""
    restraint = stability_priority * (weight + (1.0 - weight) * escalation)
    return min(1.0, max(0.0, base + (1.0 - weight) * backlash - restraint))


@jitable
def declares_truce(weight: float, truce_until: float, day: int) -> bool:
    """Whether the patron orders a truce today: its restraint weight has reached
    :data:`TRUCE_WEIGHT` and no truce of its own is in force (``truce_until``: the last day of
    the current one, -1 none)."""
    return weight >= TRUCE_WEIGHT and day > truce_until


@jitable
def truce_target(target: float, truce_until: float, day: int, truce_instigation: float
                 ) -> float:
    """The target under a truce in force (held at most at ``truce_instigation``)."""
    return min(target, truce_instigation) if day <= truce_until else target


@jitable
def campaign_step(plan: float, campaign: float, plan_days: float, build_days: float
                  ) -> tuple[float, float]:
    """One day of a campaign: the support delivered moves toward the plan (time constant
    ``build_days``), the plan fades (``plan_days``); a single win gives a hump peaking after
    ln(plan/build ratio) × plan_days × build_days / (plan_days − build_days) days."""
    campaign = campaign + (plan - campaign) / build_days
    if -REST < campaign < REST and plan == 0.0:
        campaign = 0.0
    return fade(plan, plan_days), campaign


@jitable
def supply(resources: float, campaign: float) -> float:
    """Material support delivered (multiple of 2020): resources × (1 + campaign)."""
    return resources * (1.0 + campaign)


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
