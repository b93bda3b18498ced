"""Mechanism 5 — retaliation and backlash.

An attack that kills at least ``retaliation_threshold`` US personnel is answered by strikes on
the responsible militia ``retaliation_delay_days`` later, with probability

    p = min(1, retaliation_probability × (1 + (casualties − threshold) / 2)
               × (1 − retaliation_restraint × (escalation + expulsion_pressure) / 2))

— a decision with costs: more deaths make it likelier; the risk of war (escalation) and
parliament's pressure to expel US forces hold it back. A strike kills ``strike_lethality`` fighters and costs cohesion; it raises the patron's
instigation (backlash stock), parliamentary pressure to expel foreign forces, and escalation,
and costs the government some authority (a violation of sovereignty).
"""

from __future__ import annotations

import numpy as np

from leverage_sim.simulation.mechanisms.jitable import jitable

SOVEREIGNTY_COST = 0.02
"""Authority the government loses per foreign strike on its soil (reasoning: the 2020 strikes
were condemned by the Iraqi government as violations of sovereignty)."""


@jitable
def retaliation_chance(casualties: int, threshold: int, probability: float, escalation: float,
                       expulsion_pressure: float, restraint: float) -> float:
    """``p`` (0–1) of the module's equation; 0 below the casualty threshold."""
    if casualties < threshold:
        return 0.0
    cost = 1.0 - restraint * (escalation + expulsion_pressure) / 2
    return min(1.0, probability * (1.0 + (casualties - threshold) / 2) * max(0.0, cost))


@jitable
def decide_retaliation(rng: np.random.Generator, chance: float) -> bool:
    """Whether strikes answer the attack, with ``chance`` from :func:`retaliation_chance`."""
    return chance > 0 and rng.random() < chance


@jitable
def strike_damage(fighters: int, cohesion: float, lethality: int, cohesion_damage: float
                  ) -> tuple[int, float]:
    """Damage of one round of strikes, never more than the militia has: (fighters killed,
    cohesion lost)."""
    return min(fighters, lethality), min(cohesion, cohesion_damage)
