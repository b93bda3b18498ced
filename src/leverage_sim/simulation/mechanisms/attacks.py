"""Mechanism 4 — attacks on foreign-force sites: each militia's choice of intensity, then where,
intercepted or not, casualties.

A militia launches Poisson(λ) attacks a day, its strategic choice:

    λ = attack_rate × intent × resources × readiness × (1 + emboldening × morale)
        × (1 − retaliation_aversion × E[retaliation]) × (1 − disruption) × restraint

- ``intent = push + autonomy × max(0, hostility − push)``: the patron's push, and agency slack —
  an autonomous militia keeps attacking at up to its own hostility when the patron holds back;
- ``readiness = cohesion × fighters / initial fighters``;
- ``morale`` in [−1, 1]: + after the government relents or loses a clash (emboldened), − after a
  government win (deterred), fading over weeks (:func:`leverage_sim.simulation.mechanisms.beliefs.fade`);
- ``E[retaliation]``: the militia's own belief that a deadly attack brings US strikes;
- ``disruption`` in [0, 1]: cells broken up by arrests (in proportion to arrests against the
  militia's attack-cell members) and strikes, recovering over weeks;
- ``restraint = 1 − command_reach × authority × (1 − autonomy)``: the state's command — a
  militia with little autonomy from the state attacks less under a government with authority.

None when the foreign force has left. Each attack picks a site with probability proportional to
``target_weight × (1 − defence_avoidance × interception)`` (the militia steers toward sites
where an attack gets through); it is intercepted with the site's ``interception`` chance;
otherwise it causes Poisson(``lethality × exposure``) US casualties, ``exposure = presence /
(presence + exposure_half)`` (few troops in country: few at the site), at most the troops in
country.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from leverage_sim.simulation.mechanisms.jitable import jitable


@dataclass
class SiteState:
    """A site's live state (interception can change when defences are deployed)."""

    name: str
    target_weight: float
    interception: float
    lethality: float


@jitable
def attack_intent(push: float, autonomy: float, hostility: float) -> float:
    """Willingness to attack (index 0–1): the patron's push, raised toward the militia's own
    ``hostility`` in proportion to its autonomy (agency slack)."""
    return push + autonomy * max(0.0, hostility - push)


@jitable
def state_restraint(authority: float, autonomy: float, command_reach: float) -> float:
    """Share of its attacks a militia still makes under the state's command, in [0, 1]:
    ``1 − command_reach × authority × (1 − autonomy)`` (autonomy 1: unrestrained; autonomy 0
    under a government of full authority and full reach: none)."""
    return max(0.0, 1.0 - command_reach * authority * (1.0 - autonomy))


@jitable
def attack_rate(base_rate: float, intent: float, resources: float, readiness: float,
                morale: float, emboldening: float, expected_retaliation: float,
                retaliation_aversion: float, disruption: float, presence: int,
                restraint: float = 1.0) -> float:
    """Expected attacks per day by one militia (attacks/day, ≥ 0): the module's equation
    (``restraint``: :func:`state_restraint`)."""
    if presence <= 0:
        return 0.0
    game = max(0.0, 1.0 + emboldening * morale) * (1.0 - retaliation_aversion
                                                   * expected_retaliation)
    return base_rate * intent * resources * readiness * game * (1.0 - disruption) * restraint


@jitable
def disruption_from_arrests(arrests: int, cell_members: int) -> float:
    """Disruption (0–1) that ``arrests`` cause to cells of ``cell_members`` members."""
    return min(1.0, arrests / cell_members) if cell_members > 0 else 1.0


@jitable
def readiness(cohesion: float, fighters: int, initial_fighters: int) -> float:
    """Capability relative to the militia's starting strength, in [0, 1]."""
    return cohesion * (fighters / initial_fighters if initial_fighters > 0 else 0.0)


@jitable
def choose_site(rng: np.random.Generator, weights: Sequence[float]) -> int:
    """Index of the attacked site, drawn in proportion to the sites' ``target_weight``
    (``weights``); -1 (and no draw) if there are none or all are 0."""
    total = 0.0
    for w in weights:
        total += w
    if len(weights) == 0 or total <= 0:
        return -1
    x = rng.random() * total
    cumulative = 0.0
    for i in range(len(weights)):
        cumulative += weights[i]
        if cumulative > x:
            return i
    return len(weights) - 1


@jitable
def site_weight(target_weight: float, interception: float, avoidance: float) -> float:
    """A site's weight in a militia's choice of target (relative weight ≥ 0): its
    ``target_weight`` scaled by the attack's chance of getting through, as far as the militia
    heeds it: ``target_weight × (1 − avoidance × interception)``."""
    return target_weight * (1.0 - avoidance * interception)


@jitable
def exposure(presence: int, exposure_half: float) -> float:
    """Share of an attack's full lethality that troops in country expose to it, in [0, 1):
    ``presence / (presence + exposure_half)`` (0 without troops)."""
    if presence <= 0:
        return 0.0
    return presence / (presence + exposure_half)


@jitable
def resolve_attack(rng: np.random.Generator, interception: float, lethality: float,
                   presence: int, exposure_half: float) -> tuple[bool, int]:
    """(intercepted?, US casualties) of one attack on a site with these ``interception``
    chance and ``lethality`` (at full exposure), with ``presence`` troops in country: draw
    interception, then casualties for an attack that gets through — Poisson(lethality ×
    :func:`exposure`), at most the troops in country."""
    if rng.random() < interception:
        return True, 0
    return False, min(presence, int(rng.poisson(lethality * exposure(presence, exposure_half))))
