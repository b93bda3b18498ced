"""Mechanism 4 — attacks on foreign-force sites: each militia's choice of intensity, then where,
intercepted or not, casualties.

A militia launches Poisson(λ) attacks a day, its strategic choice:

    λ = attack_rate × intent × resources × readiness × (1 + emboldening × morale)
        × (1 − retaliation_aversion × E[retaliation]) × (1 − disruption)

- ``intent = push + autonomy × max(0, hostility − push)``: the patron's push, and agency slack —
  an autonomous militia keeps attacking at up to its own hostility when the patron holds back;
- ``readiness = cohesion × fighters / initial fighters``;
- ``morale`` in [−1, 1]: + after the government relents or loses a clash (emboldened), − after a
  government win (deterred), fading over weeks (:func:`leverage_sim.mechanisms.beliefs.fade`);
- ``E[retaliation]``: the militia's own belief that a deadly attack brings US strikes;
- ``disruption`` in [0, 1]: cells broken up by arrests (in proportion to arrests against the
  militia's attack-cell members) and strikes, recovering over weeks.

None when the foreign force has left. Each attack picks a site with probability proportional to
``target_weight``; it is intercepted with the site's ``interception`` chance; otherwise it causes
Poisson(``lethality``) US casualties.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from leverage_sim.mechanisms.jitable import jitable


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
def attack_rate(base_rate: float, intent: float, resources: float, readiness: float,
                morale: float, emboldening: float, expected_retaliation: float,
                retaliation_aversion: float, disruption: float, presence: int) -> float:
    """Expected attacks per day by one militia (attacks/day, ≥ 0): the module's equation."""
    if presence <= 0:
        return 0.0
    game = max(0.0, 1.0 + emboldening * morale) * (1.0 - retaliation_aversion
                                                   * expected_retaliation)
    return base_rate * intent * resources * readiness * game * (1.0 - disruption)


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
def resolve_attack(rng: np.random.Generator, interception: float, lethality: float
                   ) -> tuple[bool, int]:
    """(intercepted?, US casualties) of one attack on a site with these ``interception``
    chance and ``lethality``: draw interception, then casualties for an attack that gets
    through."""
    if rng.random() < interception:
        return True, 0
    return False, int(rng.poisson(lethality))
