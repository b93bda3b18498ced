"""Wiring, twenty-sixth audit (a bug audit of 7 December 2026): tests for the four of its 15
hand-made bugs (``p26_*`` in scripts/mutation_check.py's registry) that the model tests
(MODEL_TESTS) let survive: ``p26_us_strength_from_the_authorised_level``,
``p26_intercepted_attacks_raise_no_escalation``, ``p26_contest_not_recomputed_after_desertion``
and ``p26_standoff_hold_ignores_threats``. Each test states the link it checks, runs on both
engines (the agent path first) on the June 2020 replay with everything quiet but what it sets
(the fifth audit's :func:`_scenario`), and states its margins, which hold at every seed it runs
(the outcome is certain, or the figure exact)."""

from __future__ import annotations

import math

import pytest

from leverage_sim.simulation.fastpath import day as fastday
from leverage_sim.simulation.fastpath import layout as L
from leverage_sim.simulation.mechanisms import backing, intimidation

from .test_wiring_fifteenth_audit import _logs
from .test_wiring_fifth_audit import (
    CERTAIN_TO_HOLD,
    NO_ATTACKS,
    NO_THREATS,
    _finals,
    _scenario,
    agent_run,
    fast_run,
)
from .test_wiring_seventh_audit import _raid

SEEDS = [1, 2, 3]


# ---- backing: what stepping in adds follows the troops in country --------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_what_stepping_in_adds_follows_the_troops_left_after_a_drawdown(replay, seed):
    """A scripted drawdown of 4,000 of the 5,200 US troops on day 0: what stepping in would add
    to the government in a standoff is then that of the 1,200 left
    (:func:`backing.us_standoff_strength`), not of the authorised 5,200, on both engines
    (exact)."""
    ff = replay.foreign_forces
    sc = _scenario(replay, **NO_ATTACKS, horizon_days=1, events=[
        {"day": 0, "actor": "foreign_forces", "action": "drawdown", "figures": {"troops": 4000}}])
    assert ff.presence == 5200
    expected = backing.us_standoff_strength(1200, ff.standoff_share, ff.ground_multiplier,
                                            ff.air_support)
    assert expected < backing.us_standoff_strength(5200, ff.standoff_share,
                                                   ff.ground_multiplier, ff.air_support)
    agent, fast = _finals(sc, lambda model: (model.foreign_force.presence,
                                             model.foreign_force.standoff_strength),
                          lambda w, m: (w[L.PRESENCE], fastday.standoff_strength(w)), seed=seed)
    for presence, strength in (agent, fast):
        assert presence == 1200
        assert strength == pytest.approx(expected, rel=1e-12)


# ---- escalation: an intercepted attack still escalates -------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_an_intercepted_attack_raises_escalation_by_the_attack_weight(replay, seed):
    """A scripted KH attack on the bases on day 0, intercepted for certain (interception 1):
    it kills no one, but an attack is an attack: escalation rises by ``per_attack`` (0.03) and
    then decays a day, ``(0.2 + 0.03) × 0.95``, on both engines (exact; not 0.2 × 0.95)."""
    sc = _scenario(replay, **NO_ATTACKS, horizon_days=1,
                   **{"foreign_forces.sites[bases].interception": 1.0},
                   events=[{"day": 0, "actor": "KH", "action": "attack", "target": "bases"}])
    e = sc.escalation
    for _, _, rows in _logs(sc, range(seed, seed + 1)):
        assert [r[2] for r in rows if r[2] in ("attack", "interception")] == [
            "attack", "interception"]
    for level in _finals(sc, lambda model: model.escalation, lambda w, m: w[L.ESC],
                         seed=seed):
        assert level == pytest.approx((e.initial + e.per_attack) * (1.0 - e.decay),
                                      abs=1e-12)


# ---- fights: desertion and the contest after it -------------------------------------------------
def _operation(troops: int = 1000, days: int = 10) -> dict:
    """A scripted operation of ``troops`` against KH on day 0, for up to ``days`` days."""
    return {"day": 0, "actor": "government", "action": "operation", "target": "KH",
            "figures": {"troops": troops, "days": days}}


FIGHT = {**NO_ATTACKS, **NO_THREATS, "horizon_days": 2, "events": [_operation()],
         "foreign_forces.backing": 0.0, "militias[KH].prior_government_resolve": 0.0,
         "government.desertion_rate": 1.0,
         **{f"militias[{n}].solidarity": 0.0 for n in ("KH", "AAH", "Nujaba", "KSS")}}
"""An operation of 1,000 troops against KH's 7,000 fighters on day 0, fought from day 1: KH
never stands down (it believes the government never wins), the US never steps in, no ally
joins; every troop may desert (``desertion_rate`` 1, scaled by ``1 − force_cohesion``)."""


def _fight_rows(sc, seed: int) -> list:
    """The fight's row at the end of a run of ``sc`` with ``seed``: (troops left, government
    killed, militia killed, allied fighters), on the agent path and on the fast path."""
    s = agent_run(sc, seed).standoffs[0]
    _, _, so = fast_run(sc, seed)
    return [(s.troops, s.government_killed, s.militia_killed, s.allied_fighters),
            (so[0, L.S_TROOPS], so[0, L.S_GOV_KILLED], so[0, L.S_MIL_KILLED], so[0, L.S_ALLIED])]


@pytest.mark.parametrize("seed", SEEDS)
def test_the_contest_after_desertion_counts_only_the_troops_who_stayed(replay, seed):
    """:data:`FIGHT` with ``force_cohesion`` 0.5, a patron certain to broker at once (escalation
    1 against a threshold of 0, stability priority 1, no talks days): on day 1, after the day's
    losses and desertion (about half the troops), the ceasefire's figure is KH's chance
    ``1 − p`` on the troops who stayed: p = S_g / (S_g + S_m) with S_g the engaged share
    (the belief in resistance, 0.6 after the day's fighting) of the troops left, each at
    ``0.5 + 0.5 × authority``, and S_m KH's fighters left × cohesion, on both engines (exact;
    the troops before desertion give a p about twice as large)."""
    sc = _scenario(replay, **{**FIGHT, "government.force_cohesion": 0.5,
                              "escalation.initial": 1.0, "patron.escalation_threshold": 0.0,
                              "patron.stability_priority": 1.0, "patron.talks_days": 0})
    g, kh = sc.government, sc.militias[0]
    fights = _fight_rows(sc, seed)
    resistance = _finals(sc, lambda model: model.government.resistance_belief.mean,
                         lambda w, m: w[L.GR_MEAN], seed=seed)
    logs = [rows for _, _, rows in _logs(sc, range(seed, seed + 1))]
    for rows, (troops, _, militia_killed, allied), r in zip(logs, fights, resistance,
                                                            strict=True):
        assert [(x[0], x[2]) for x in rows if x[2] in ("defection", "ceasefire")] == [
            (1, "defection"), (1, "ceasefire")]
        engaged = math.ceil(int(troops) * r)
        s_gov = engaged * (0.5 + 0.5 * g.authority)
        s_mil = (kh.fighters - militia_killed) * kh.cohesion + allied
        ceasefire = next(x for x in rows if x[2] == "ceasefire")
        assert ceasefire[5] == pytest.approx(1.0 - s_gov / (s_gov + s_mil), abs=1e-12)


# ---- standoffs: public threats weigh on the choice to hold firm ---------------------------------
THREATENED = {**NO_ATTACKS, **NO_THREATS, **CERTAIN_TO_HOLD, "horizon_days": 2,
              "events": [_raid()], "foreign_forces.backing": 0.0, "patron.instigation": 1.0,
              "militias[KH].patron_support_share": 0.25, "militias[AAH].patron_support_share": 0.5,
              "militias[Nujaba].patron_support_share": 0.1, "militias[AAH].threat_propensity": 1.0,
              "government.threat_sensitivity": 40.0, "militias[KH].stake_reference": 1e-6,
              **{f"militias[{n}].solidarity": 0.0 for n in ("KH", "AAH", "Nujaba", "KSS")}}
"""A raid on KH on day 0, which musters (its stake is huge); AAH, the best-supported client at
full instigation (push 1), threatens for certain that day, a pressure of 40 × 15 / 329 ≈ 1.82;
a government otherwise certain to hold (resolve 1, coalition 1, sharpness 100); no US step-in,
no ally joins."""


@pytest.mark.parametrize("seed", SEEDS)
def test_a_threats_pressure_makes_a_government_certain_to_hold_relent(replay, seed):
    """:data:`THREATENED`: on day 1 the government weighs the standoff with AAH's threat on
    it: its margin ``p − (1 − resolve) − pressure + coalition / 2 − 0.25`` is at most
    ``1 − 1.82 + 0.5 − 0.25`` ≈ −0.57 (p ≤ 1), so it relents on day 1 (hold chance below
    1e-24), where without the pressure (margin ``p + 0.02`` on the coalition support the threat
    left, p ≥ 0.3 against KH's whole local force) it would hold for certain, on both engines."""
    sc = _scenario(replay, **THREATENED)
    pressure = intimidation.threat_pressure(sc.militias[1].seats, sc.government.parliament_seats,
                                            sc.government.threat_sensitivity)
    assert sc.militias[1].name == "AAH" and pressure > 1.8
    for _, _, rows in _logs(sc, range(seed, seed + 1)):
        assert [(r[0], r[1]) for r in rows if r[2] == "public_threat"] == [(0, "AAH")]
        assert [(r[0], r[2]) for r in rows if r[2] in ("muster", "relent", "hold_firm")] == [
            (0, "muster"), (1, "relent")]
