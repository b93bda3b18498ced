"""Mechanism 2 — intimidation response to enforcement: muster, public threats, allies joining.

The patron's push on a militia is ``instigation × share / max_share`` (the best-supported
militia feels the full push). What is at stake is the raided militia's members detained as a
share of its fighters, against a reference share: ``r = (detained + (commander_stake − 1) ×
commanders) / fighters / stake_reference``, where a detained senior commander (a scripted raid's
documented ``commanders``, among its arrests) counts as ``commander_stake`` members
(:func:`member_equivalents`). A raided militia musters with probability
``σ(k·(push + autonomy − E[resolve] − E[backing] + stake_sensitivity·ln r))`` (else it
complies); the muster size is ``Binomial(local_fighters, min(1, mobilisation × (0.5 + 0.5·push)
× r^stake_sensitivity))``. Allies join with probability
``solidarity × push`` per day; their leaders threaten publicly with ``threat_propensity ×
(0.5 + 0.5·push)`` per day within the threat window after the raid.
"""

from __future__ import annotations

import math

import numpy as np

from leverage_sim.simulation.mechanisms.jitable import jitable

MUSTER_SHARPNESS = 6.0
"""Logistic slope of the muster decision (per index unit); reasoning: a clear-cut choice once
push and autonomy outweigh the expected cost."""


@jitable
def logistic(z: float) -> float:
    """σ(z) = 1 / (1 + e^−z), in [0, 1]: exactly 0 below z = −700, where e^−z would leave the
    float range (a probability under 1e−304)."""
    if z < -700.0:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


@jitable
def patron_push(instigation: float, share: float, max_share: float) -> float:
    """Push the patron exerts on one militia, in [0, 1]."""
    return instigation * share / max_share if max_share > 0 else 0.0


@jitable
def member_equivalents(detained: int, commanders: int, commander_stake: float) -> float:
    """Who is detained, in rank-and-file members (member-equivalents): the ``detained`` members,
    of whom ``commanders`` are senior commanders each counting as ``commander_stake`` members
    (``detained + (commander_stake − 1) × commanders``; ``detained`` when none are)."""
    return detained + (commander_stake - 1.0) * commanders


@jitable
def stake_ratio(detained: float, fighters: int, reference: float) -> float:
    """What a raid puts at stake, relative to the reference stake (> 0; 1 = the reference):
    members detained (member-equivalents: :func:`member_equivalents`) as a share of the
    militia's fighters (at least 1), over ``reference`` (a share)."""
    share = detained / max(1, fighters)
    return share / reference if reference > 0 else 1.0


@jitable
def stake_term(ratio: float, sensitivity: float) -> float:
    """The stake's weight in the muster decision (index): ``sensitivity × ln(ratio)`` (0 at the
    reference stake; a militia with nothing detained has nothing at stake: −∞ is avoided by
    callers, who ask only after arrests)."""
    return sensitivity * math.log(ratio) if ratio > 0 else -1e9


@jitable
def stake_factor(ratio: float, sensitivity: float) -> float:
    """How the stake scales the share of local fighters who turn out: ``ratio^sensitivity``
    (1 at the reference stake)."""
    return ratio ** sensitivity if ratio > 0 else 0.0


@jitable
def muster_probability(push: float, autonomy: float, expected_resolve: float,
                       expected_backing: float, stake: float = 0.0) -> float:
    """Chance a raided militia musters rather than complies, in (0, 1); ``stake``:
    :func:`stake_term`."""
    return logistic(MUSTER_SHARPNESS * (push + autonomy - expected_resolve - expected_backing
                                        + stake))


@jitable
def draw_muster(rng: np.random.Generator, local_fighters: int, mobilisation: float,
                push: float, stake: float = 1.0) -> int:
    """Fighters who turn out (fighters); ``stake``: :func:`stake_factor` (1 for an ally that
    joins in solidarity)."""
    return int(rng.binomial(local_fighters,
                            min(1.0, mobilisation * (0.5 + 0.5 * push) * stake)))


@jitable
def threat_probability(threat_propensity: float, push: float) -> float:
    """Daily chance that a bloc's leader threatens the government publicly, in [0, 1]."""
    return threat_propensity * (0.5 + 0.5 * push)


@jitable
def threat_pressure(seats: int, parliament_seats: int, sensitivity: float) -> float:
    """Political pressure (index) one public threat puts on the government."""
    return sensitivity * seats / parliament_seats


@jitable
def join_probability(solidarity: float, push: float) -> float:
    """Daily chance that an ally sends fighters to the muster, in [0, 1]."""
    return solidarity * push
