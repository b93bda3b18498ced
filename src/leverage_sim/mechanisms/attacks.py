"""Mechanism 4 — attacks on foreign-force sites: how many, where, intercepted or not, casualties.

A militia launches Poisson(λ) attacks a day, ``λ = attack_rate × push × resources × readiness``
with ``readiness = cohesion × fighters / initial fighters``; none when the foreign force has
left. Each attack picks a site with probability proportional to ``target_weight``; it is
intercepted with the site's ``interception`` chance; otherwise it causes Poisson(``lethality``)
US casualties.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


def attack_rate(base_rate: float, push: float, resources: float, readiness: float,
                presence: int) -> float:
    """Expected attacks per day by one militia (attacks/day, ≥ 0)."""
    return base_rate * push * resources * readiness if presence > 0 else 0.0


def readiness(cohesion: float, fighters: int, initial_fighters: int) -> float:
    """Capability relative to the militia's starting strength, in [0, 1]."""
    return cohesion * (fighters / initial_fighters if initial_fighters > 0 else 0.0)


def choose_site(rng: np.random.Generator, sites: Sequence[SiteState]) -> SiteState | None:
    """Pick a target site in proportion to ``target_weight``; None if all weights are 0."""
    weights = np.array([s.target_weight for s in sites], dtype=float)
    total = weights.sum()
    if total <= 0:
        return None
    return sites[int(rng.choice(len(sites), p=weights / total))]


def resolve_attack(rng: np.random.Generator, site: SiteState) -> AttackOutcome:
    """Draw interception, then casualties for an attack that gets through."""
    if rng.random() < site.interception:
        return AttackOutcome(site.name, True, 0)
    return AttackOutcome(site.name, False, int(rng.poisson(site.lethality)))
