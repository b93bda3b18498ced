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

from leverage_sim.simulation.mechanisms.jitable import jitable


@jitable
def beta_prior(mean: float, strength: float) -> tuple[float, float]:
    """(alpha, beta) of a Beta prior with the given mean (0–1) worth ``strength``
    pseudo-observations."""
    return max(mean * strength, 1e-6), max((1 - mean) * strength, 1e-6)


@jitable
def beta_observe(alpha: float, beta: float, happened: bool, weight: float
                 ) -> tuple[float, float, float]:
    """(alpha, beta, mean) after ``weight`` observations of X happening (or not)."""
    if happened:
        alpha += weight
    else:
        beta += weight
    return alpha, beta, alpha / (alpha + beta)


@jitable
def beta_forget(alpha: float, beta: float, alpha0: float, beta0: float,
                memory_days: float) -> tuple[float, float, float]:
    """(alpha, beta, mean) after one day of forgetting: both counts relax toward the prior's
    (``alpha0``, ``beta0``) with time constant ``memory_days`` (:func:`relax`), so evidence
    older than a few time constants no longer weighs and a belief can move again after years
    of the same news."""
    alpha = relax(alpha, alpha0, memory_days)
    beta = relax(beta, beta0, memory_days)
    return alpha, beta, alpha / (alpha + beta)


@jitable
def private_signal(u: float, rate: float, commitment: float) -> int:
    """A private signal from one uniform draw ``u``: -1 none today (probability 1 − ``rate``),
    else 1 (the signal says "they will step in", probability ``commitment``) or 0."""
    if not u < rate:
        return -1
    return 1 if u < rate * commitment else 0


@dataclass
class BetaBelief:
    """Belief that an actor will do X: Beta(alpha, beta); ``mean`` is the expected probability
    (0–1, kept up to date by :meth:`observe`). The agents' holder of :func:`beta_prior`,
    :func:`beta_observe` and :func:`beta_forget` (it remembers its prior, ``alpha0`` and
    ``beta0``, which forgetting returns to)."""

    alpha: float
    beta: float

    def __post_init__(self) -> None:
        self.mean = self.alpha / (self.alpha + self.beta)
        self.alpha0, self.beta0 = self.alpha, self.beta

    def forget(self, memory_days: float) -> None:
        """One day of forgetting toward the prior (nothing to do once back at it)."""
        if self.alpha != self.alpha0 or self.beta != self.beta0:
            self.alpha, self.beta, self.mean = beta_forget(self.alpha, self.beta, self.alpha0,
                                                           self.beta0, memory_days)

    @classmethod
    def from_mean(cls, mean: float, strength: float) -> BetaBelief:
        """A prior with the given mean (0–1) worth ``strength`` pseudo-observations."""
        alpha, beta = beta_prior(mean, strength)
        return cls(alpha=alpha, beta=beta)

    def observe(self, happened: bool, weight: float = 1.0) -> None:
        """Add ``weight`` observations of X happening (or not)."""
        self.alpha, self.beta, self.mean = beta_observe(self.alpha, self.beta, happened, weight)


SILENT_DAY_EVIDENCE = 0.5
"""Evidence that a standoff day without foreign intervention adds against 'they will step in'
(pseudo-observations; reasoning: each day of silence is a partial answer)."""


THREAT_EVIDENCE = 0.5
"""Evidence a public threat adds to the government's belief that militias resist raids
(pseudo-observations; reasoning: words, not fighters)."""

DRAWDOWN_EVIDENCE = 1.0
"""Evidence a US drawdown adds against 'they will step in' (pseudo-observations; reasoning: a
force that is leaving is read as one less committed)."""


LIAISON_EVIDENCE = 0.5
"""Evidence one private signal of the US's commitment adds to the government's belief in
backing (pseudo-observations; reasoning: a diplomat's or liaison officer's word on what
Washington would do is informative — it reflects the real policy — but words, not a deed: half
an observed standoff)."""

STRIKE_EVIDENCE_TARGET = 0.5
"""Evidence a US strike on a militia adds to that militia's belief that US forces would step
in against it (pseudo-observations; reasoning: a US that strikes despite the sovereignty costs
shows its readiness to use force on Iraqi soil; the struck militia reads it most strongly)."""

STRIKE_EVIDENCE_OTHERS = 0.25
"""The same for the other militias (a strike on an ally): half the struck militia's lesson.
The government does not read strikes as backing: its liaison tells it they are force protection,
and they cost it authority (``retaliation.SOVEREIGNTY_COST``)."""

REDEPLOY_EVIDENCE = 1.0
"""Evidence a US redeployment adds for 'they will step in', in every actor's belief
(pseudo-observations; the mirror of :data:`DRAWDOWN_EVIDENCE`: a force that returns is read as
more committed)."""


@jitable
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


@jitable
def standoff_outcome_shifts(government_won: bool, authority_step: float,
                            us_seen: bool = False
                            ) -> tuple[float, float, float, float, float, float, float]:
    """Signed changes after a standoff (``us_seen``: US forces visibly backed the government):
    (authority, resolve, coalition support, autonomy of the militia at its centre, autonomy
    of the others, morale of the militia at its centre, morale of the others)."""
    sign = 1.0 if government_won else -1.0
    deter = SEEN_US_DETERRENCE if government_won and us_seen else 1.0
    return (sign * authority_step, sign * authority_step * RESOLVE_SHIFT,
            sign * COALITION_SHIFT, -sign * AUTONOMY_SHIFT_TARGET, -sign * AUTONOMY_SHIFT_OTHERS,
            -sign * MORALE_SHIFT_TARGET * deter, -sign * MORALE_SHIFT_OTHERS * deter)


REST = 1e-4
"""A gap (index units, or persons) below which recovery and fading are complete: the value is
set to its rest value, so actors at rest cost nothing to update (reasoning: far below anything
the model's draws can tell apart)."""


@jitable
def relax(value: float, baseline: float, time_constant_days: float) -> float:
    """One day of recovery toward ``baseline``: the gap shrinks by ``1/time_constant_days``
    (and closes once below :data:`REST`)."""
    gap = baseline - value
    return baseline if -REST < gap < REST else value + gap / time_constant_days


@jitable
def fade(value: float, time_constant_days: float) -> float:
    """One day of fading toward 0 (a memory, or a shock), time constant in days (0 once below
    :data:`REST`)."""
    return 0.0 if -REST < value < REST else value * (1.0 - 1.0 / time_constant_days)


@jitable
def decay_escalation(level: float, decay: float) -> float:
    """One day's decay of the escalation index toward 0."""
    return level * (1.0 - decay)


@jitable
def remembered(value: float, days: int, time_constant_days: float) -> float:
    """What remains of a memory ``value`` after ``days`` of fading with time constant
    ``time_constant_days`` (without :data:`REST`'s snap to 0: computed when asked)."""
    return value * (1.0 - 1.0 / time_constant_days) ** float(days)
