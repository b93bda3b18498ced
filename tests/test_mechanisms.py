"""Unit tests, one group per mechanism of the design brief, each on the mechanism alone."""

from __future__ import annotations

import numpy as np
import pytest

import leverage_sim as ls
from leverage_sim.simulation.mechanisms import (
    attacks,
    beliefs,
    enforcement,
    intimidation,
    retaliation,
    standoff,
    withdrawal,
)
from leverage_sim.simulation.model import LeverageModel

from .conftest import model_on_raid_day


# 1. Enforcement -------------------------------------------------------------------------------
def test_arrests_scale_with_capacity(rng):
    defenders = enforcement.local_defenders(400, 0.7)
    means = [np.mean([enforcement.draw_arrests(rng, 14, cap, defenders) for _ in range(2000)])
             for cap in (0, 50, 200, 1000)]
    assert means[0] == 0
    assert means[1] < means[2] < means[3] <= 14
    assert means[3] == pytest.approx(14 * 1000 / (1000 + defenders), rel=0.03)


def test_cohesive_militia_defends_better():
    assert enforcement.arrest_probability(500, enforcement.local_defenders(400, 1.0)) < \
        enforcement.arrest_probability(500, enforcement.local_defenders(400, 0.3))


# 2. Intimidation ----------------------------------------------------------------------------------
def test_muster_likelier_with_push_and_autonomy_less_with_expected_costs():
    base = intimidation.muster_probability(0.5, 0.5, 0.5, 0.3)
    assert intimidation.muster_probability(0.9, 0.5, 0.5, 0.3) > base
    assert intimidation.muster_probability(0.5, 0.9, 0.5, 0.3) > base
    assert intimidation.muster_probability(0.5, 0.5, 0.9, 0.3) < base
    assert intimidation.muster_probability(0.5, 0.5, 0.5, 0.9) < base


def test_muster_size_mean(rng):
    sizes = [intimidation.draw_muster(rng, 400, 0.45, 0.6) for _ in range(3000)]
    assert np.mean(sizes) == pytest.approx(400 * 0.45 * 0.8, rel=0.02)
    assert max(sizes) <= 400


def test_threat_pressure_is_proportional_to_seats():
    assert intimidation.threat_pressure(0, 329, 3.0) == 0
    assert intimidation.threat_pressure(30, 329, 3.0) == pytest.approx(
        2 * intimidation.threat_pressure(15, 329, 3.0))


def test_push_is_full_for_best_supported_militia():
    assert intimidation.patron_push(0.6, 0.4, 0.4) == pytest.approx(0.6)
    assert intimidation.patron_push(0.6, 0.2, 0.4) == pytest.approx(0.3)


# 3. Standoff ----------------------------------------------------------------------------------------
def test_us_backing_raises_government_strength_and_win_chance():
    without = standoff.government_strength(500, 0.5, 0.0, 5000)
    believed = standoff.government_strength(500, 0.5, 0.4, 5000)
    stepped_in = standoff.government_strength(500, 0.5, 1.0, 5000)
    s_mil = standoff.militia_strength(7000, 0.7, 150, 400, 0)
    ratios = [standoff.contest_ratio(s, s_mil) for s in (without, believed, stepped_in)]
    assert ratios == sorted(ratios) and ratios[0] < 0.5 < ratios[2]


def test_hold_probability_monotone():
    p = standoff.hold_probability(0.5, 0.6, 0.1, 0.45, 6.0)
    assert standoff.hold_probability(0.8, 0.6, 0.1, 0.45, 6.0) > p
    assert standoff.hold_probability(0.5, 0.9, 0.1, 0.45, 6.0) > p
    assert standoff.hold_probability(0.5, 0.6, 0.4, 0.45, 6.0) < p
    assert standoff.hold_probability(0.5, 0.6, 0.1, 0.9, 6.0) > p


def test_militia_disperses_more_when_outmatched_and_less_when_pushed():
    assert standoff.disperse_probability(0.8, 0.5, 6) > standoff.disperse_probability(0.3, 0.5, 6)
    assert standoff.disperse_probability(0.6, 0.9, 6) < standoff.disperse_probability(0.6, 0.1, 6)


def _standoff_outcome(scenario: ls.Scenario, seed: int) -> tuple[str, float, float]:
    model = model_on_raid_day(scenario, seed)
    before = model.government.authority
    while model.day < scenario.horizon_days and (not model.standoffs or model.open_standoffs()):
        model.step()
    if not model.standoffs:
        return "none", before, model.government.authority
    return model.standoffs[0].outcome, before, model.government.authority


def test_relenting_lowers_authority_and_winning_raises_it(replay):
    quiet = {f"militias[{m.name}].attack_rate": 0 for m in replay.militias}
    no_attacks = ls.load_scenario(replay, {**quiet, "government.raid_rate": 0})
    seen = set()
    for seed in range(40):
        outcome, before, after = _standoff_outcome(no_attacks, seed)
        seen.add(outcome)
        if outcome == "relented":
            assert after < before
        elif outcome == "held_firm":
            assert after > before
    assert {"relented", "held_firm"} <= seen


def _raid_day_standoff(scenario: ls.Scenario) -> LeverageModel:
    """A model just after its scripted raid opened a standoff (first such seed)."""
    for seed in range(30):
        model = model_on_raid_day(scenario, seed)
        model.step()
        if model.open_standoffs():
            return model
    pytest.fail("the raid opened no standoff in 30 seeds")


def test_belief_in_backing_falls_on_silent_days_and_jumps_when_us_steps_in(replay):
    silent = ls.load_scenario(replay, {"foreign_forces.backing": 0.0,
                                       "government.resolve": 1.0})
    model = _raid_day_standoff(silent)
    prior = model.government.backing_belief.mean
    model.step()  # the first day the government faces the muster, with no help coming
    assert model.government.backing_belief.mean < prior
    backed = ls.load_scenario(replay, {"foreign_forces.backing": 1.0})
    model = _raid_day_standoff(backed)
    assert model.standoffs[-1].us_stepped_in
    assert model.government.backing_belief.mean > prior
    assert "backing" in set(model.log.frame()["action"])


def test_government_acts_on_belief_not_on_hidden_us_choice(replay):
    """Until the US shows its hand, a run where it will step in and one where it never will are
    identical: the government decides on its belief, not on the hidden choice. (Its private
    signals are of the US's policy, ``backing``, which differs between the two runs here: they
    are off, so that only the hidden choice differs.)"""
    delayed = {"foreign_forces.response_delay_days": 4, "government.resolve": 0.9,
               "government.liaison_rate": 0.0}
    will = ls.load_scenario(replay, {**delayed, "foreign_forces.backing": 1.0})
    never = ls.load_scenario(replay, {**delayed, "foreign_forces.backing": 0.0})
    compared = 0
    for seed in range(30):
        a, b = model_on_raid_day(will, seed), model_on_raid_day(never, seed)
        a.step()
        b.step()
        if not a.standoffs:
            continue
        while a.day < a.standoffs[0].us_step_in_day and a.open_standoffs():
            a.step()
            b.step()
        hidden = a.log.frame().query("day < @a.standoffs[0].us_step_in_day")
        assert hidden.equals(b.log.frame().query("day < @a.standoffs[0].us_step_in_day"))
        compared += int((hidden["action"] == "standoff").sum())
    assert compared > 0, "no government decision was taken before the US showed its hand"


# 4. Attacks -----------------------------------------------------------------------------------------
def test_intercepted_attack_causes_no_casualties(rng):
    outs = [attacks.resolve_attack(rng, 1.0, 50.0, 5200, 500.0) for _ in range(200)]
    assert all(intercepted and casualties == 0 for intercepted, casualties in outs)


def test_undefended_lethal_site_takes_casualties(rng):
    outs = [attacks.resolve_attack(rng, 0.0, 2.0, 5200, 0.0) for _ in range(2000)]  # full exposure
    assert not any(intercepted for intercepted, _ in outs)
    assert np.mean([casualties for _, casualties in outs]) == pytest.approx(2.0, rel=0.05)


def test_attack_rate_equation_and_no_attacks_without_foreign_presence():
    calm = {"morale": 0.0, "emboldening": 0.5, "expected_retaliation": 0.0, "retaliation_aversion": 0.4,
                "disruption": 0.0}
    assert attacks.attack_rate(0.2, 0.6, 1.0, 1.0, **calm, presence=0) == 0
    assert attacks.attack_rate(0.2, 0.6, 1.0, 1.0, **calm, presence=100) == pytest.approx(0.12)
    game = {"morale": 0.4, "emboldening": 0.5, "expected_retaliation": 0.5, "retaliation_aversion": 0.4,
                "disruption": 0.25}
    assert attacks.attack_rate(0.2, 0.6, 1.0, 0.5, **game, presence=100) == pytest.approx(
        0.2 * 0.6 * 0.5 * 1.2 * 0.8 * 0.75)


def test_site_choice_follows_weights(rng):
    picks = ["abc"[attacks.choose_site(rng, [3.0, 1.0, 0.0])] for _ in range(4000)]
    assert picks.count("c") == 0
    assert picks.count("a") / len(picks) == pytest.approx(0.75, abs=0.03)
    assert attacks.choose_site(rng, [0.0, 0.0]) == -1 and attacks.choose_site(rng, []) == -1


# 5. Retaliation, backlash, withdrawal --------------------------------------------------------------
def test_retaliation_only_after_casualties(rng):
    none = retaliation.retaliation_chance(0, 1, 1.0, 0.0, 0.0, 0.5)
    assert none == 0 and not any(retaliation.decide_retaliation(rng, none) for _ in range(100))
    sure = retaliation.retaliation_chance(2, 1, 1.0, 0.0, 0.0, 0.5)
    assert sure == 1 and all(retaliation.decide_retaliation(rng, sure) for _ in range(100))


def test_strike_degrades_militia_and_raises_backlash(replay):
    scen = ls.load_scenario(replay, {"events": [
        {"day": 5, "actor": "foreign_forces", "action": "strike", "target": "KH"}]})
    model = LeverageModel(scen, 1)
    for _ in range(5):
        model.step()
    fighters, cohesion = model.militia("KH").fighters, model.militia("KH").cohesion
    pressure, authority = model.foreign_force.expulsion_pressure, model.government.authority
    instigation = model.patron.instigation
    model.step()
    assert model.militia("KH").fighters == fighters - scen.foreign_forces.strike_lethality
    assert model.militia("KH").cohesion < cohesion
    assert model.foreign_force.expulsion_pressure > pressure
    assert model.government.authority < authority
    assert model.patron.backlash > 0
    assert model.patron.instigation > instigation


def test_drawdown_size_respects_floor():
    """A drawdown stops at the floor; it never empties the country by itself (issue 16, 2b)."""
    assert withdrawal.drawdown_size(5000, 0.3, 1000) == 1500
    assert withdrawal.drawdown_size(1200, 0.3, 1000) == 200
    assert withdrawal.drawdown_size(1000, 0.4, 1000) == 0
    assert withdrawal.drawdown_size(800, 0.4, 1000) == 0


def test_costly_presence_is_drawn_down_then_withdrawn(replay):
    scen = ls.load_scenario(replay, {"foreign_forces.casualty_tolerance": 0.5,
                                     "foreign_forces.drawdown_cooldown_days": 10,
                                     "horizon_days": 90})
    res = ls.run(scen, replications=1, seed=2)
    acts = list(res.events["action"])
    assert "drawdown" in acts and "withdrawal" in acts
    assert res.summary.loc[0, "us_withdrawn"]
    assert res.timeseries["us_presence"].is_monotonic_decreasing
    after = res.timeseries[res.timeseries["day"] > res.summary.loc[0, "withdrawal_day"]]
    assert after["attacks"].sum() == 0


# 6. Beliefs and reputation ---------------------------------------------------------------------------
def test_beta_belief_updates():
    b = beliefs.BetaBelief.from_mean(0.4, 5)
    assert b.mean == pytest.approx(0.4)
    b.observe(False)
    assert b.mean < 0.4
    b.observe(True, 3)
    assert b.mean > 0.4


def test_outcome_shifts_have_opposite_signs():
    win = beliefs.standoff_outcome_shifts(True, 0.1)
    loss = beliefs.standoff_outcome_shifts(False, 0.1)
    for w, lo in zip(win, loss, strict=True):
        assert w == pytest.approx(-lo)
    authority, *_, autonomy_target, _, _, _ = win
    assert authority > 0 and autonomy_target < 0


def test_militias_expect_less_resolve_after_a_relent(replay):
    scen = ls.load_scenario(replay, {"foreign_forces.backing": 0.0})
    for seed in range(20):
        model = model_on_raid_day(scen, seed)
        before = model.militia("AAH").resolve_belief.mean
        for _ in range(5):
            model.step()
        if model.standoffs and model.standoffs[0].outcome == "relented":
            assert model.militia("AAH").resolve_belief.mean < before
            return
    pytest.fail("no relent in 20 seeds with zero backing")


# Scripted events ----------------------------------------------------------------------------------
def test_scripted_set_changes_live_parameters_on_its_day(replay):
    figures = {"patron.instigation": 0.9, "militias[KH].cohesion": 0.3,
               "foreign_forces.sites[embassy].interception": 0.5, "government.resolve": 0.2,
               "foreign_forces.backing": 0.7}
    scen = ls.load_scenario(replay, {"events": [
        {"day": 10, "actor": "patron", "action": "set", "figures": figures}]})
    model = LeverageModel(scen, 1)
    for _ in range(10):
        model.step()
    assert model.patron.base_instigation == replay.patron.instigation
    model.step()
    assert model.patron.base_instigation == 0.9
    # set is a shock: cohesion and resolve start recovering toward the scenario's values
    assert model.militia("KH").cohesion == pytest.approx(0.3, abs=0.002)
    assert model.foreign_force.site("embassy").interception == 0.5
    assert model.government.resolve == pytest.approx(0.2, abs=0.002)
    assert model.foreign_force.backing == 0.7


def test_probabilities_stay_finite_at_the_ends_of_the_float_range():
    """A backing of 1e-308 (valid: above 0) or a logistic argument far below −700 gives a
    probability of 0, not an overflow (found by tests/test_invariants.py's search)."""
    from leverage_sim.simulation.mechanisms.backing import step_in_probability
    from leverage_sim.simulation.mechanisms.intimidation import logistic

    assert step_in_probability(2.2e-309, 0.0, 0.0, 0.3, 0.0, 1.0) == 0.0
    assert logistic(-1000.0) == 0.0 and logistic(1000.0) == 1.0
    assert logistic(-699.0) > 0.0 and logistic(0.0) == 0.5
