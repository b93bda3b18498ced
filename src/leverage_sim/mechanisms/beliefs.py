"""Mechanism 6 — learning, reputation and recovery.

Beliefs about a yes/no behaviour of another actor (will the US step in? will the government hold
firm? will a deadly attack bring US strikes? will a raided militia resist?) are Beta
distributions, one per actor that holds them, each updated by what that actor observed.
Authority, autonomy, resolve and morale move with standoff outcomes; state recovers toward its
baseline (:func:`relax`), memories fade (:func:`fade`); the escalation index decays and rises with
violent events.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class BetaBelief:
    """Belief that an actor will do X: Beta(alpha, beta); ``mean`` is the expected probability
    (0–1, kept up to date by :meth:`observe`)."""

    alpha: float
    beta: float

    def __post_init__(self) -> None:
        self.mean = self.alpha / (self.alpha + self.beta)

    @classmethod
    def from_mean(cls, mean: float, strength: float) -> BetaBelief:
        """A prior with the given mean (0–1) worth ``strength`` pseudo-observations."""
        return cls(alpha=max(mean * strength, 1e-6), beta=max((1 - mean) * strength, 1e-6))

    def observe(self, happened: bool, weight: float = 1.0) -> None:
        """Add ``weight`` observations of X happening (or not)."""
        if happened:
            self.alpha += weight
        else:
            self.beta += weight
        self.mean = self.alpha / (self.alpha + self.beta)


SILENT_DAY_EVIDENCE = 0.5
"""Evidence that a standoff day without foreign intervention adds against 'they will step in'
(pseudo-observations; reasoning: each day of silence is a partial answer)."""


THREAT_EVIDENCE = 0.5
"""Evidence a public threat adds to the government's belief that militias resist raids
(pseudo-observations; reasoning: words, not fighters)."""

DRAWDOWN_EVIDENCE = 1.0
"""Evidence a US drawdown adds against 'they will step in' (pseudo-observations; reasoning: a
force that is leaving is read as one less committed)."""


def clamp(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    """``x`` limited to [lo, hi]."""
    return max(lo, min(x, hi))


RESOLVE_SHIFT = 0.5
"""Resolve moves by this fraction of the authority change after a standoff (reasoning: a leader
emboldened or chastened by the outcome)."""

AUTONOMY_SHIFT_TARGET = 0.08
"""Autonomy change of the militia at the centre of a standoff (won by it: +, lost: −)."""

AUTONOMY_SHIFT_OTHERS = 0.02
"""Autonomy change of the other militias, who draw the same lesson more weakly."""

COALITION_SHIFT = 0.03
"""Coalition support change after a standoff (won: +, lost: −); reasoning: blocs follow success."""

MORALE_SHIFT_TARGET = 0.5
"""Morale change (index, −1..1) of the militia at the centre of a standoff: + when it wins
(emboldened), − when the government wins (deterred); reasoning: the outcome is the clearest
signal a militia gets of what its attacks and musters can get away with."""

MORALE_SHIFT_OTHERS = 0.25
"""Morale change of the other militias, who draw the same lesson more weakly."""

SEEN_US_DETERRENCE = 2.0
"""Factor on the deterrence of a government win when US forces were seen stepping in
(reasoning: a win backed by visible US force shows what the next confrontation will meet)."""


def standoff_outcome_shifts(government_won: bool, authority_step: float,
                            us_seen: bool = False) -> dict[str, float]:
    """Signed changes of authority, resolve, coalition support, autonomy and morale after a
    standoff (``us_seen``: US forces visibly backed the government)."""
    sign = 1.0 if government_won else -1.0
    deter = SEEN_US_DETERRENCE if government_won and us_seen else 1.0
    return {
        "authority": sign * authority_step,
        "resolve": sign * authority_step * RESOLVE_SHIFT,
        "coalition_support": sign * COALITION_SHIFT,
        "autonomy_target": -sign * AUTONOMY_SHIFT_TARGET,
        "autonomy_others": -sign * AUTONOMY_SHIFT_OTHERS,
        "morale_target": -sign * MORALE_SHIFT_TARGET * deter,
        "morale_others": -sign * MORALE_SHIFT_OTHERS * deter,
    }


REST = 1e-4
"""A gap (index units, or persons) below which recovery and fading are complete: the value is
set to its rest value, so actors at rest cost nothing to update (reasoning: far below anything
the model's draws can tell apart)."""


def relax(value: float, baseline: float, time_constant_days: float) -> float:
    """One day of recovery toward ``baseline``: the gap shrinks by ``1/time_constant_days``
    (and closes once below :data:`REST`)."""
    gap = baseline - value
    return baseline if -REST < gap < REST else value + gap / time_constant_days


def fade(value: float, time_constant_days: float) -> float:
    """One day of fading toward 0 (a memory, or a shock), time constant in days (0 once below
    :data:`REST`)."""
    return 0.0 if -REST < value < REST else value * (1.0 - 1.0 / time_constant_days)


def decay_escalation(level: float, decay: float) -> float:
    """One day's decay of the escalation index toward 0."""
    return level * (1.0 - decay)
