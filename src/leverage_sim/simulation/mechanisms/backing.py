"""Mechanism 3a — what US backing is worth in a standoff, whether the US steps in, and what a
visible intervention costs.

``foreign_forces.backing`` is the policy lever: the probability that the US steps in when an
enforcement action is contested (a standoff), at a neutral state of the US's own calculus.
Backing 0 never steps in, backing 1 always does (while troops are in country); between them the
US's state shifts the chance on the logit scale:

    logit(p) = logit(backing) + sensitivity × z,
    z = (authority − ½) + (E[partner holds] − ½) − expulsion_pressure + us_pressure

— more willing behind a PM with standing whom it trusts to hold (its belief, learnt from past
standoffs) and when its own losses press it to act (``us_pressure``, 0–1); less willing when
parliament presses to expel it. At a neutral state (authority ½, trust ½, no expulsion pressure,
no losses) ``p = backing``; the endpoints are exact, so the lever means what it says.

What stepping in adds to the government's side scales with what is in country
(personnel-equivalent), every part of it:

    U = presence × standoff_share × ground_multiplier
        + air_support × presence / (presence + AIR_SUPPORT_HALF_PRESENCE)      (0 with no troops)

Air cover needs troops in country to base, protect and direct it (airfields, joint terminal
attack controllers, the ISR cells that find the targets): with a token presence it counts for
almost nothing, with a few thousand troops nearly in full.

A visible intervention is not free (:func:`step_in_costs`): parliament's pressure to expel the
force rises, the patron answers as to a raid on its client (backlash), escalation rises, and the
government pays a sovereignty cost in coalition support — as the visible US actions of
December 2019 – January 2020 brought the crowd at the embassy, the expulsion vote and the
militias' vows of revenge.
"""

from __future__ import annotations

import math

from leverage_sim.simulation.mechanisms.beliefs import clamp
from leverage_sim.simulation.mechanisms.intimidation import logistic
from leverage_sim.simulation.mechanisms.jitable import jitable

AIR_SUPPORT_HALF_PRESENCE = 500.0
"""Troops in country at which air support counts half (troops). Reasoning: to base, protect and
direct attack helicopters and drones over a city takes a battalion-sized presence — an
airfield's security, its maintainers, the controllers and the ISR cell (the US advisory
footprint of 2014–2015 in Iraq, a few hundred to ~3,000 troops, is what brought coalition air
power to bear); at 5,200 troops air counts 91%, at 1,123 69%, with one soldier 0.2%."""


@jitable
def air_support_share(presence: int) -> float:
    """The share (0–1) of ``air_support`` that ``presence`` troops can base and direct."""
    if presence <= 0:
        return 0.0
    return presence / (presence + AIR_SUPPORT_HALF_PRESENCE)


@jitable
def us_air_strength(presence: int, air_support: float) -> float:
    """The air part of ``U`` (personnel-equivalent): the ``air_support`` that ``presence``
    troops can base and direct; 0 with no troops."""
    if presence <= 0:
        return 0.0
    return air_support * air_support_share(presence)


@jitable
def us_standoff_strength(presence: int, standoff_share: float, ground_multiplier: float,
                         air_support: float) -> float:
    """``U`` (personnel-equivalent): committable troops × their worth, plus the air support
    the troops in country can direct."""
    if presence <= 0:
        return 0.0
    return presence * standoff_share * ground_multiplier + us_air_strength(presence, air_support)


@jitable
def step_in_probability(backing: float, authority: float, partner_belief: float,
                        expulsion_pressure: float, us_pressure: float,
                        sensitivity: float) -> float:
    """``p`` (0–1): the module's equation; exactly 0 at backing 0 and 1 at backing 1."""
    if backing <= 0.0:
        return 0.0
    if backing >= 1.0:
        return 1.0
    z = (authority - 0.5) + (partner_belief - 0.5) - expulsion_pressure + us_pressure
    return logistic(math.log(backing / (1.0 - backing)) + sensitivity * z)


@jitable
def us_pressure(remembered_casualties: float, tolerance: float) -> float:
    """Pressure (0–1) the US's recent losses put on it, and through it on the government, to act
    against the militias: remembered casualties against its tolerance."""
    return min(1.0, remembered_casualties / tolerance) if tolerance > 0 else 1.0


@jitable
def step_in_costs(expulsion_pressure: float, step_in_expulsion_pressure: float,
                  backlash: float, step_in_backlash: float,
                  coalition_support: float, step_in_coalition_cost: float
                  ) -> tuple[float, float, float]:
    """A visible intervention's costs: (expulsion pressure, patron backlash stock, coalition
    support) after it (escalation rises by ``escalation.per_step_in`` besides)."""
    return (clamp(expulsion_pressure + step_in_expulsion_pressure),
            backlash + step_in_backlash,
            clamp(coalition_support - step_in_coalition_cost))
