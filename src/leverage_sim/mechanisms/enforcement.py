"""Mechanism 1 — enforcement attempt: a raid on a militia yields arrests.

Arrests ~ Binomial(targets, p), with p = C / (C + D): the government's enforcement capacity C
(personnel) against the target's local defenders D = capital_fighters × cohesion × DEFENDER_SHARE.
"""

from __future__ import annotations

import numpy as np

DEFENDER_SHARE = 0.25
"""Share of a militia's capital fighters on hand to resist a raid (reasoning: a surprise night
raid meets the guards present, not a mobilised force)."""


def local_defenders(capital_fighters: int, cohesion: float) -> float:
    """Fighters resisting a raid: ``capital_fighters × cohesion × DEFENDER_SHARE`` (fighters)."""
    return capital_fighters * cohesion * DEFENDER_SHARE


def arrest_probability(capacity: float, defenders: float) -> float:
    """Chance each targeted member is caught, ``C / (C + D)`` in [0, 1]; 0 with no capacity."""
    total = capacity + defenders
    return capacity / total if total > 0 else 0.0


def draw_arrests(rng: np.random.Generator, targets: int, capacity: float, defenders: float) -> int:
    """Members arrested out of ``targets`` (persons)."""
    return int(rng.binomial(targets, arrest_probability(capacity, defenders)))
