"""Mechanism 5 — retaliation and backlash.

An attack that kills at least ``retaliation_threshold`` US personnel is answered, with
``retaliation_probability``, by strikes on the responsible militia ``retaliation_delay_days``
later. A strike kills ``strike_lethality`` fighters and costs cohesion; it raises the patron's
instigation (backlash stock), parliamentary pressure to expel foreign forces, and escalation,
and costs the government some authority (a violation of sovereignty).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SOVEREIGNTY_COST = 0.02
"""Authority the government loses per foreign strike on its soil (reasoning: the 2020 strikes
were condemned by the Iraqi government as violations of sovereignty)."""


@dataclass(frozen=True)
class StrikeDamage:
    """Losses inflicted on a militia by one round of strikes."""

    fighters_killed: int
    cohesion_lost: float


def decide_retaliation(rng: np.random.Generator, casualties: int, threshold: int,
                       probability: float) -> bool:
    """Whether an attack with ``casualties`` US casualties is answered with strikes."""
    return casualties >= threshold and rng.random() < probability


def strike_damage(fighters: int, cohesion: float, lethality: int, cohesion_damage: float
                  ) -> StrikeDamage:
    """Damage of one round of strikes, never more than the militia has."""
    return StrikeDamage(min(fighters, lethality), min(cohesion, cohesion_damage))
