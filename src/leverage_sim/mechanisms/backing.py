"""Mechanism 3a — what US backing is worth in a standoff, and whether the US steps in.

``foreign_forces.backing`` is the policy lever: the US's commitment to step in. What stepping in
adds to the government's side scales with what is in country (personnel-equivalent):

    U = presence × standoff_share × ground_multiplier + air_support      (0 with no presence)

Whether it steps in is decided when a standoff opens, from the US's own state:

    p = min(1, backing × exp(sensitivity × z)),
    z = (authority − ½) + (E[partner holds] − ½) − expulsion_pressure + us_pressure

— more willing behind a PM with standing whom it trusts to hold (its belief, learnt from past
standoffs) and when its own losses press it to act (``us_pressure``, 0–1); less willing when
parliament presses to expel it. At a neutral state (authority ½, trust ½, no expulsion pressure,
no losses) ``p = backing``.
"""

from __future__ import annotations

import math

from leverage_sim.mechanisms.jitable import jitable


@jitable
def us_standoff_strength(presence: int, standoff_share: float, ground_multiplier: float,
                         air_support: float) -> float:
    """``U`` (personnel-equivalent): committable troops × their worth, plus air support."""
    if presence <= 0:
        return 0.0
    return presence * standoff_share * ground_multiplier + air_support


@jitable
def step_in_probability(backing: float, authority: float, partner_belief: float,
                        expulsion_pressure: float, us_pressure: float,
                        sensitivity: float) -> float:
    """``p`` (0–1): the module's equation."""
    z = (authority - 0.5) + (partner_belief - 0.5) - expulsion_pressure + us_pressure
    return min(1.0, backing * math.exp(sensitivity * z))


@jitable
def us_pressure(remembered_casualties: float, tolerance: float) -> float:
    """Pressure (0–1) the US's recent losses put on it, and through it on the government, to act
    against the militias: remembered casualties against its tolerance."""
    return min(1.0, remembered_casualties / tolerance) if tolerance > 0 else 1.0
