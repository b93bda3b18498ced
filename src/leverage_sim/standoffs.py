"""Where a standoff gets resolved: one day of an open standoff, played with each actor's own
state and beliefs through the mechanisms of :mod:`leverage_sim.mechanisms.standoff` (whose
docstring gives the day's steps and equations)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from leverage_sim import event_text
from leverage_sim.mechanisms import standoff as mech
from leverage_sim.mechanisms.standoff import Standoff

if TYPE_CHECKING:
    from leverage_sim.model import LeverageModel


def play_day(model: LeverageModel, s: Standoff) -> None:
    """One day of standoff ``s`` (steps 1–5 of :mod:`leverage_sim.mechanisms.standoff`)."""
    gov, militia = model.government, model.militia(s.militia)
    # 1. The foreign force's real choice shows, or another silent day lowers beliefs.
    if s.us_will_step_in and not s.us_stepped_in and model.day >= s.us_step_in_day:
        step_in(model, s, event_text.US_BACKS)
    if model.day == s.opened_day:
        return  # the muster is gathering; the government faces it from tomorrow
    if not s.us_stepped_in:
        model.observe_backing(False, silent_day=True)
    # 2. The government's view of a confrontation, on its own belief about backing.
    s_mil = mech.militia_strength(militia.fighters, militia.cohesion, s.muster,
                                  militia.capital_fighters, s.allied_fighters)
    backing_term = 1.0 if s.us_stepped_in else gov.backing_belief.mean
    believed = mech.contest_ratio(gov.strength(backing_term), s_mil)
    # 3. Hold firm, or relent through a (possibly partial) negotiated transfer.
    if not gov.holds_firm(believed, s.pressure):
        kept = gov.negotiate_kept(s.militia, believed)
        return close(model, s, "relented",
                     event_text.transferred(s.militia, kept, backing_term), kept)
    model.record("government", "standoff", s.militia,
                 event_text.holds_for_now(model.day - s.opened_day, backing_term, believed),
                 believed)
    # 4. The militia sees the real US stance and may back down.
    actual = mech.contest_ratio(gov.strength(1.0 if s.us_stepped_in else 0.0), s_mil)
    if model.rng.random() < mech.disperse_probability(actual, militia.push,
                                                      gov.decision_sharpness):
        return close(model, s, "held_firm", event_text.disperses(s.militia))
    # 5. Or the muster turns into an armed clash.
    if model.rng.random() < mech.clash_probability(militia.clash_propensity, militia.push):
        won = bool(model.rng.random() < actual)
        model.raise_escalation("per_clash")
        model.record(s.militia, "clash", "government", event_text.clash(won), actual)
        close(model, s, "clash_won" if won else "clash_lost", event_text.after_clash(won))


def step_in(model: LeverageModel, s: Standoff, note: str) -> None:
    """The foreign force visibly backs the government in standoff ``s``: everyone sees it, and
    it pays the costs of a visible intervention (``ForeignForce.step_in_costs``)."""
    s.us_stepped_in = True
    model.record("foreign_forces", "backing", s.militia, note, 1)
    model.observe_backing(True)
    model.foreign_force.step_in_costs()


def close(model: LeverageModel, s: Standoff, outcome: str, note: str, kept: int = 0) -> None:
    """Resolve standoff ``s``: log, move detainees (all but ``kept`` when the government
    relents), update reputations and beliefs."""
    s.outcome = outcome
    gov, militia = model.government, model.militia(s.militia)
    won = outcome in ("held_firm", "clash_won")
    if won:
        model.record("government", "hold_firm", s.militia, event_text.standoff_won(note), 1)
        step = gov.win_authority_gain
    else:
        transferred = gov.transfer(s.militia, keep=kept)
        model.record("government", "relent", s.militia, note, transferred)
        step = gov.relent_authority_cost * (1.5 if outcome == "clash_lost" else 1.0)
    model.end_standoff_shifts(militia, government_won=won, authority_step=step,
                              us_seen=s.us_stepped_in)
