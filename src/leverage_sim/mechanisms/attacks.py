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

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

import numpy as np


@dataclass
class SiteState:
    """A site's live state (interception can change when defences are deployed)."""

    name: str
    target_weight: float
    interception: float
    lethality: float


@dataclass(frozen=True)
class AttackOutcome:
    """What one attack did."""

    site: str
    intercepted: bool
    casualties: int


def attack_intent(push: float, autonomy: float, hostility: float) -> float:
    """Willingness to attack (index 0–1): the patron's push, raised toward the militia's own
    ``hostility`` in proportion to its autonomy (agency slack)."""
    return push + autonomy * max(0.0, hostility - push)


def attack_rate(base_rate: float, intent: float, resources: float, readiness: float, *,
                morale: float, emboldening: float, expected_retaliation: float,
                retaliation_aversion: float, disruption: float, presence: int) -> float:
    """Expected attacks per day by one militia (attacks/day, ≥ 0): the module's equation."""
    if presence <= 0:
        return 0.0
    game = max(0.0, 1.0 + emboldening * morale) * (1.0 - retaliation_aversion
                                                   * expected_retaliation)
    return base_rate * intent * resources * readiness * game * (1.0 - disruption)


def disruption_from_arrests(arrests: int, cell_members: int) -> float:
    """Disruption (0–1) that ``arrests`` cause to cells of ``cell_members`` members."""
    return min(1.0, arrests / cell_members) if cell_members > 0 else 1.0


def readiness(cohesion: float, fighters: int, initial_fighters: int) -> float:
    """Capability relative to the militia's starting strength, in [0, 1]."""
    return cohesion * (fighters / initial_fighters if initial_fighters > 0 else 0.0)


def choose_site(rng: np.random.Generator, sites: Sequence[SiteState]) -> SiteState | None:
    """Pick a target site in proportion to ``target_weight``; None if all weights are 0."""
    cumulative = list(accumulate(s.target_weight for s in sites))
    if not cumulative or cumulative[-1] <= 0:
        return None
    return sites[bisect_right(cumulative, rng.random() * cumulative[-1])]


def resolve_attack(rng: np.random.Generator, site: SiteState) -> AttackOutcome:
    """Draw interception, then casualties for an attack that gets through."""
    if rng.random() < site.interception:
        return AttackOutcome(site.name, True, 0)
    return AttackOutcome(site.name, False, int(rng.poisson(site.lethality)))
