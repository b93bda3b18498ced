"""Mechanism 3 — standoff resolution under uncertain foreign backing.

A standoff opens when a raided militia musters. When it opens, the foreign force's real
choice is drawn once from its ``backing`` level (and a day within ``response_delay_days``); the
government does not see it, it acts each day on its *belief* ``E[b]`` that the US will step in.

Each day, in order:

1. If the US's day has come and it chose to step in, it does so (visible to all: ``b = 1``);
   otherwise every silent day lowers the government's and the militias' belief in backing.
2. The government's win chance in a confrontation is the contest ratio
   ``p = S_g / (S_g + S_m)`` with ``S_g = capacity·(0.5 + 0.5·authority) + b·us_force``
   (``b`` = 1 if the US stepped in, else the belief ``E[b]``) and
   ``S_m = militia fighters × cohesion × muster / capital_fighters + allied fighters`` (the
   whole militia stands behind a muster in proportion to how much of it turned out).
3. The government holds firm with probability ``σ(k·(p − (1 − resolve) − pressure +
   coalition_support / 2 − 1/4))``; otherwise it relents: detainees are transferred to a
   militia-controlled unit and released over the following days.
4. If it holds, the militia disperses with probability ``σ(k·(p − 1/2 − (push − 1/2)/2))``
   (seeing the
   *actual* US choice, as the US presence is visible to it); the government has won.
5. If both hold, the muster turns into an armed clash with probability
   ``clash_propensity × push``; the clash is won by the government with the real contest ratio.

Low backing makes relenting likely because the belief decays day by day with no help coming;
high backing makes holding firm likely because help arrives and is seen by both sides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from leverage_sim.mechanisms.beliefs import SILENT_DAY_EVIDENCE
from leverage_sim.mechanisms.intimidation import logistic

if TYPE_CHECKING:
    from leverage_sim.model import LeverageModel


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

    @property
    def is_open(self) -> bool:
        """Still unresolved."""
        return self.outcome is None


def draw_us_choice(rng: np.random.Generator, backing: float, delay_days: int, day: int
                   ) -> tuple[bool, int]:
    """The foreign force's real, hidden choice: (steps in?, on which day)."""
    return bool(rng.random() < backing), day + int(rng.integers(0, delay_days + 1))


def government_strength(capacity: float, authority: float, backing_term: float,
                        us_force: float) -> float:
    """S_g (personnel-equivalent): loyal forces scaled by authority, plus expected US force."""
    return capacity * (0.5 + 0.5 * authority) + backing_term * us_force


def militia_strength(fighters: int, cohesion: float, muster: int, capital_fighters: int,
                     allied_fighters: int) -> float:
    """S_m (fighters): the share of the militia committed by its muster, plus allies' fighters."""
    committed = min(1.0, muster / capital_fighters) if capital_fighters > 0 else 0.0
    return fighters * cohesion * committed + allied_fighters


def contest_ratio(s_gov: float, s_mil: float) -> float:
    """Government's chance to prevail, S_g / (S_g + S_m), in [0, 1]."""
    total = s_gov + s_mil
    return s_gov / total if total > 0 else 0.5


def hold_probability(win_chance: float, resolve: float, pressure: float,
                     coalition_support: float, sharpness: float) -> float:
    """Daily chance the government holds firm rather than relents, in (0, 1)."""
    margin = win_chance - (1 - resolve) - pressure + coalition_support / 2 - 0.25
    return logistic(sharpness * margin)


def disperse_probability(win_chance: float, push: float, sharpness: float) -> float:
    """Daily chance the mustered militia backs down while the government holds, in (0, 1)."""
    return logistic(sharpness * (win_chance - 0.5 - (push - 0.5) / 2))


def clash_probability(clash_propensity: float, push: float) -> float:
    """Daily chance a muster facing a firm government turns into an armed clash, in [0, 1]."""
    return clash_propensity * push


def play_day(model: LeverageModel, s: Standoff) -> None:
    """One day of standoff ``s``: steps 1–5 of the module docstring. Where standoffs resolve."""
    gov, militia = model.government, model.militia(s.militia)
    # 1. The foreign force's real choice shows, or another silent day lowers beliefs.
    if s.us_will_step_in and not s.us_stepped_in and model.day >= s.us_step_in_day:
        step_in(model, s, "US forces back the government in the standoff")
    if not s.us_stepped_in:
        for belief in backing_believers(model):
            belief.observe(False, SILENT_DAY_EVIDENCE)
    # 2. The government's view of a confrontation, on its belief about backing.
    s_mil = militia_strength(militia.fighters, militia.cohesion, s.muster,
                             militia.capital_fighters, s.allied_fighters)
    backing_term = 1.0 if s.us_stepped_in else gov.backing_belief.mean
    believed = contest_ratio(gov.strength(backing_term), s_mil)
    # 3. Hold firm or relent.
    if not gov.holds_firm(believed, s.pressure):
        return close(model, s, "relented", f"detainees transferred to a unit controlled by "
                     f"{s.militia} (E[US backing] = {backing_term:.2f})")
    model.record("government", "standoff", s.militia,
                 f"day {model.day - s.opened_day}: the government holds for now "
                 f"(E[US backing] = {backing_term:.2f}, believed win chance {believed:.2f})",
                 believed)
    # 4. The militia sees the real US stance and may back down.
    actual = contest_ratio(gov.strength(1.0 if s.us_stepped_in else 0.0), s_mil)
    if model.rng.random() < disperse_probability(actual, militia.push, gov.decision_sharpness):
        return close(model, s, "held_firm", f"{s.militia} disperses; detainees stay in custody")
    # 5. Or the muster turns into an armed clash.
    if model.rng.random() < clash_probability(militia.clash_propensity, militia.push):
        won = bool(model.rng.random() < actual)
        model.raise_escalation("per_clash")
        model.record(s.militia, "clash", "government",
                     "armed clash: government prevails" if won else "armed clash: militia "
                     "prevails", actual)
        close(model, s, "clash_won" if won else "clash_lost",
              "after the clash" + ("" if won else "; detainees freed by force"))


def step_in(model: LeverageModel, s: Standoff, note: str) -> None:
    """The foreign force visibly backs the government in standoff ``s``."""
    s.us_stepped_in = True
    model.record("foreign_forces", "backing", s.militia, note, 1)
    for belief in backing_believers(model):
        belief.observe(True)


def backing_believers(model: LeverageModel) -> list:
    """Everyone's belief that the foreign force will back the government (all see the same)."""
    return [model.government.backing_belief, *(m.backing_belief for m in model.militias)]


def close(model: LeverageModel, s: Standoff, outcome: str, note: str) -> None:
    """Resolve standoff ``s``: log, move detainees, update reputations."""
    s.outcome = outcome
    gov, militia = model.government, model.militia(s.militia)
    won = outcome in ("held_firm", "clash_won")
    if won:
        model.record("government", "hold_firm", s.militia, f"standoff won: {note}", 1)
        step = gov.win_authority_gain
    else:
        transferred = gov.transfer(s.militia)
        model.record("government", "relent", s.militia, note, transferred)
        step = gov.relent_authority_cost * (1.5 if outcome == "clash_lost" else 1.0)
    model.end_standoff_shifts(militia, government_won=won, authority_step=step)
