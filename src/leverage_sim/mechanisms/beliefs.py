"""Mechanism 6 — learning and reputation.

Beliefs about a yes/no behaviour of another actor (will the US step in? will the government hold
firm?) are Beta distributions updated by what was observed. Authority, autonomy and resolve move
with standoff outcomes; the escalation index decays and rises with violent events.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class BetaBelief:
    """Belief that an actor will do X: Beta(alpha, beta); its mean is the expected probability."""

    alpha: float
    beta: float

    @classmethod
    def from_mean(cls, mean: float, strength: float) -> BetaBelief:
        """A prior with the given mean (0–1) worth ``strength`` pseudo-observations."""
        return cls(alpha=max(mean * strength, 1e-6), beta=max((1 - mean) * strength, 1e-6))

    @property
    def mean(self) -> float:
        """Expected probability, in [0, 1]."""
        return self.alpha / (self.alpha + self.beta)

    def observe(self, happened: bool, weight: float = 1.0) -> None:
        """Add ``weight`` observations of X happening (or not)."""
        if happened:
            self.alpha += weight
        else:
            self.beta += weight


SILENT_DAY_EVIDENCE = 0.5
"""Evidence that a standoff day without foreign intervention adds against 'they will step in'
(pseudo-observations; reasoning: each day of silence is a partial answer)."""


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


def standoff_outcome_shifts(government_won: bool, authority_step: float) -> dict[str, float]:
    """Signed changes of authority, resolve, coalition support and autonomy after a standoff."""
    sign = 1.0 if government_won else -1.0
    return {
        "authority": sign * authority_step,
        "resolve": sign * authority_step * RESOLVE_SHIFT,
        "coalition_support": sign * COALITION_SHIFT,
        "autonomy_target": -sign * AUTONOMY_SHIFT_TARGET,
        "autonomy_others": -sign * AUTONOMY_SHIFT_OTHERS,
    }


def decay_escalation(level: float, decay: float) -> float:
    """One day's decay of the escalation index toward 0."""
    return level * (1.0 - decay)
