"""Mechanism 3 — standoff resolution under uncertain foreign backing.

A standoff opens when a raided militia musters. When it opens, the foreign force decides whether
it will step in (:mod:`.backing`) and on which day within ``response_delay_days``; the government
does not see that choice, it acts each day on its *own belief* ``E[b]`` that the US will step in.
The muster gathers on the day of the raid; the government faces it from the next day (history:
raid on the night of 25 June 2020, the muster at the PM's office through 26 June).

Each following day, in order (played by :func:`leverage_sim.simulation.standoffs.play_day`):

1. If the US's day has come and it chose to step in, it does so (visible to all: ``b = 1``);
   otherwise every silent day lowers each actor's belief in backing.
2. The government's win chance in a confrontation is the contest ratio
   ``p = S_g / (S_g + S_m)`` with ``S_g = capacity·(0.5 + 0.5·authority) + b·U`` (``U`` what US
   intervention adds, scaled by the troops in country; ``b`` = 1 if the US stepped in, else the
   belief ``E[b]``) and ``S_m = militia fighters × cohesion × muster / local_fighters + allied
   fighters`` (the whole militia stands behind a muster in proportion to how much of it turned
   out).
3. The government holds firm with probability ``σ(k·(p − (1 − resolve) − pressure +
   coalition_support / 2 − 1/4))``, ``pressure`` the public threats received; otherwise it
   relents through a negotiated transfer: it keeps ``Binomial(detainees, leverage × p)`` of the
   detainees (none: a full relent) and transfers the rest to a militia-controlled unit, which
   releases them over the following days.
4. If it holds, the militia disperses with probability ``σ(k·(p − 1/2 − (push − 1/2)/2))``
   (seeing the *actual* US choice, as the US presence is visible to it); the government has won.
5. If both hold, the muster turns into an armed clash with probability
   ``clash_propensity × push``; the clash is won by the government with the real contest ratio.

Low backing makes relenting likely because the belief decays day by day with no help coming;
high backing makes holding firm likely because help arrives and is seen by both sides.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from leverage_sim.simulation.mechanisms.intimidation import logistic
from leverage_sim.simulation.mechanisms.jitable import jitable


@dataclass
class Standoff:
    """An open confrontation over detainees between the government and a mustered militia."""

    militia: str
    opened_day: int
    detainees: int
    muster: int
    us_will_step_in: bool
    us_step_in_day: int
    allied_fighters: int = 0
    pressure: float = 0.0
    us_stepped_in: bool = False
    joined: set[str] = field(default_factory=set)
    outcome: str | None = None  # "held_firm", "relented", "clash_won", "clash_lost"
    # a fight (mechanisms/operation.py): an operation from its opening, a standoff once its
    # muster turns into an armed clash
    operation: bool = False  # a scripted operation, not a standoff over detainees
    fighting: bool = False
    troops: int = 0  # government troops still in the fight
    troops_start: int = 0
    government_killed: int = 0
    militia_start: int = 0  # the militia's fighters when the fight began
    militia_killed: int = 0
    end_day: int = 0  # the fight's last day
    ceasefire_day: int = 0  # the day a brokered ceasefire takes hold (0: no talks open)
    broker: str = "patron"  # who opened the talks: the patron, or a scripted "mediator"
    sanctuary: float = 0.0  # an operation's share of the militia in ground not stormed (0-1)

    @property
    def is_open(self) -> bool:
        """Still unresolved."""
        return self.outcome is None


@jitable
def draw_us_choice(rng: np.random.Generator, step_in_probability: float, delay_days: int,
                   day: int) -> tuple[bool, int]:
    """The foreign force's real, hidden choice: (steps in?, on which day)."""
    return bool(rng.random() < step_in_probability), day + int(rng.integers(0, delay_days + 1))


@jitable
def government_strength(capacity: float, authority: float, backing_term: float,
                        us_strength: float) -> float:
    """S_g (personnel-equivalent): loyal forces scaled by authority, plus the US strength ``U``
    weighted by ``backing_term`` (1 if the US stepped in, else the believed chance)."""
    return capacity * (0.5 + 0.5 * authority) + backing_term * us_strength


@jitable
def militia_strength(fighters: int, cohesion: float, muster: int, local_fighters: int,
                     allied_fighters: int) -> float:
    """S_m (fighters): the share of the militia committed by its muster, plus allies' fighters."""
    committed = min(1.0, muster / local_fighters) if local_fighters > 0 else 0.0
    return fighters * cohesion * committed + allied_fighters


@jitable
def contest_ratio(s_gov: float, s_mil: float) -> float:
    """Government's chance to prevail, S_g / (S_g + S_m), in [0, 1]."""
    total = s_gov + s_mil
    return s_gov / total if total > 0 else 0.5


@jitable
def hold_probability(win_chance: float, resolve: float, pressure: float,
                     coalition_support: float, sharpness: float) -> float:
    """Daily chance the government holds firm rather than relents, in (0, 1)."""
    margin = win_chance - (1 - resolve) - pressure + coalition_support / 2 - 0.25
    return logistic(sharpness * margin)


@jitable
def disperse_probability(win_chance: float, push: float, sharpness: float) -> float:
    """Daily chance the mustered militia backs down while the government holds, in (0, 1)."""
    return logistic(sharpness * (win_chance - 0.5 - (push - 0.5) / 2))


@jitable
def clash_probability(clash_propensity: float, push: float) -> float:
    """Daily chance a muster facing a firm government turns into an armed clash, in [0, 1]."""
    return clash_propensity * push


@jitable
def kept_in_negotiation(rng: np.random.Generator, detainees: int, win_chance: float,
                        leverage: float) -> int:
    """Detainees the government keeps in a negotiated transfer (persons, 0 = full relent):
    ``Binomial(detainees, leverage × win_chance)``."""
    return int(rng.binomial(detainees, min(1.0, leverage * win_chance)))
