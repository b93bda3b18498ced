"""Mechanism 1 — enforcement attempt: whether to raid, whom, and the arrests a raid yields.

The government's daily hazard of ordering a raid (no standoff open) is

    h = raid_rate × resolve × (1 − E[resistance] × (1 − E[backing]))
        × (1 + attack_response × A + pressure_response × P)

with ``A`` the attacks on foreign sites it has seen lately (attacks per month, an exponentially
weighted memory) and ``P`` the US pressure to act (0–1, the US's remembered casualties against
its tolerance): it raids when it is resolved and expects either no resistance or US backing, and
more often when attacks and US pressure give it a motive. The target is drawn in proportion to
its expected payoff ``(ATTRIBUTION_FLOOR + attack share) × p_arrest × (1 − E[resistance] × risk)``
where ``risk = S_m / (S_g + S_m)`` is the chance a muster of that militia would beat the
government's believed strength.

Arrests ~ Binomial(targets, p), with p = C / (C + D): the government's enforcement capacity C
(personnel) against the target's local defenders D = local_fighters × cohesion × DEFENDER_SHARE.
"""

from __future__ import annotations

import numpy as np

from leverage_sim.simulation.mechanisms.jitable import exact_sum, jitable
from leverage_sim.simulation.mechanisms.standoff import contest_ratio

DEFENDER_SHARE = 0.25
"""Share of a militia's local fighters on hand to resist a raid (reasoning: a surprise night
raid meets the guards present, not a mobilised force)."""


@jitable
def local_defenders(local_fighters: int, cohesion: float) -> float:
    """Fighters resisting a raid: ``local_fighters × cohesion × DEFENDER_SHARE`` (fighters)."""
    return local_fighters * cohesion * DEFENDER_SHARE


@jitable
def arrest_probability(capacity: float, defenders: float) -> float:
    """Chance each targeted member is caught, ``C / (C + D)`` in [0, 1]; 0 with no capacity."""
    total = capacity + defenders
    return capacity / total if total > 0 else 0.0


@jitable
def draw_arrests(rng: np.random.Generator, targets: int, capacity: float, defenders: float) -> int:
    """Members arrested out of ``targets`` (persons)."""
    return int(rng.binomial(targets, arrest_probability(capacity, defenders)))


ATTRIBUTION_FLOOR = 0.1
"""Payoff weight of a militia to which no recent attack is attributed (reasoning: every armed
faction outside state command is a target of the PM's agenda, attackers first)."""


@jitable
def raid_hazard(raid_rate: float, resolve: float, expected_resistance: float,
                expected_backing: float, attacks_per_month: float, attack_response: float,
                us_pressure: float, pressure_response: float) -> float:
    """Daily chance (0–1) that the government orders an unscripted raid: the module's ``h``."""
    confidence = resolve * (1.0 - expected_resistance * (1.0 - expected_backing))
    motive = 1.0 + attack_response * attacks_per_month + pressure_response * us_pressure
    return min(1.0, raid_rate * confidence * motive)


@jitable
def target_payoffs(attacks_seen: np.ndarray, local_fighters: np.ndarray,
                   cohesion: np.ndarray, capacity: float, believed_strength: float,
                   expected_resistance: float) -> np.ndarray:
    """Expected payoff (≥ 0) of raiding each militia: the module's payoff formula, from the
    attacks the government remembers of each (its attack share), each militia's local
    fighters and cohesion (arrest chance, and the risk ``S_m / (S_g + S_m)`` that its muster
    beats ``believed_strength`` = S_g on the government's belief in backing). Float arrays,
    one entry per militia."""
    total = exact_sum(attacks_seen)
    payoffs = np.empty(len(attacks_seen))
    for i in range(len(attacks_seen)):
        share = attacks_seen[i] / total if total > 0 else 0.0
        arrest = arrest_probability(capacity,
                                    local_defenders(local_fighters[i], cohesion[i]))
        risk = contest_ratio(local_fighters[i] * cohesion[i], believed_strength)
        payoffs[i] = (ATTRIBUTION_FLOOR + share) * arrest * (1.0 - expected_resistance * risk)
    return payoffs


@jitable
def choose_target(rng: np.random.Generator, payoffs: np.ndarray) -> int:
    """Index of the raided militia, drawn in proportion to payoff; -1 (and no draw) if no
    payoff is > 0. The draw is NumPy's ``rng.choice(len(payoffs), p=payoffs / total)``:
    one uniform against the normalised cumulative sum."""
    total = exact_sum(payoffs)
    if total <= 0:
        return -1
    cdf = np.cumsum(payoffs / total)
    cdf /= cdf[-1]
    return int(np.searchsorted(cdf, rng.random(), side="right"))
