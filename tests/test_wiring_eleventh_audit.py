"""Wiring, eleventh audit (scripts/mutation_check.py, the mutations under "eleventh audit").
Each test sets the state a link reads and checks that the militia reacts by the documented
amount, or past a stated margin: a militia's autonomy recovers toward its own baseline and its
morale fades over its own morale_memory_days; a raided militia's muster draws from its local
fighters, scaled by its stake as a share of its fighters now (not at the start); its choice to
muster weighs its belief in US backing (not its belief in US retaliation); a raid's arrests
are resisted by the militia's local fighters (not all its fighters).

Every test runs on both engines through the fifth audit's helpers (:func:`_events`: the event
logs of a few seeds; :func:`_finals`: the final state of a short quiet run; :func:`_scenario`:
the replay made quiet), so each link is checked where it is written twice."""

from __future__ import annotations

import pytest

from leverage_sim.simulation.fastpath import layout as L
from leverage_sim.simulation.mechanisms import beliefs, enforcement

from .test_wiring_fifth_audit import NAMES, NO_ATTACKS, _events, _finals, _scenario
from .test_wiring_seventh_audit import _raid


# ---- a militia's recovery: its own baseline, its own time constant ------------------------------
def test_a_militias_autonomy_recovers_toward_its_own_baseline(replay):
    """AAH's autonomy (baseline 0.6; its cohesion is 0.85) set to 0.2 on day 0 recovers over
    recovery_days 10: each of 20 days closes a tenth of the gap, 0.6 − 0.4 × 0.9^20 = 0.551 at
    the end, on both paths (toward its cohesion it would end near 0.77); KH, not shocked, stays
    at its 0.8."""
    shock = {"day": 0, "actor": "AAH", "action": "set", "figures": {"militias[AAH].autonomy": 0.2}}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 20, "events": [shock],
                              "militias[AAH].recovery_days": 10.0})
    assert [(m.autonomy, m.cohesion) for m in sc.militias[:2]] == [(0.8, 0.7), (0.6, 0.85)]
    for kh, aah in _finals(sc, lambda model: [m.autonomy for m in model.militias[:2]],
                           lambda w, m: list(m[:2, L.M_AUTONOMY])):
        assert kh == 0.8
        assert aah == pytest.approx(0.6 - 0.4 * 0.9 ** 20, abs=1e-9)


def _morale_after_a_comply(replay, morale_days: float, disruption_days: float) -> list[list]:
    """Every militia's morale on both paths 60 days after KH complies with a raid on day 0 (not
    pushed, with little at stake: it musters with a chance below 1e-4), with the given
    morale_memory_days and disruption_recovery_days for all."""
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 60, "events": [_raid("KH")],
                              "patron.instigation": 0.0, "militias[KH].stake_reference": 1.0,
                              **{f"militias[{n}].morale_memory_days": morale_days
                                 for n in NAMES},
                              **{f"militias[{n}].disruption_recovery_days": disruption_days
                                 for n in NAMES}})
    for ev in _events(sc, range(1, 2)):
        assert ev.loc[ev["action"] == "comply", "actor"].tolist() == ["KH"]
    return _finals(sc, lambda model: [m.morale for m in model.militias],
                   lambda w, m: list(m[:, L.MORALE]))


def test_morale_fades_over_the_militias_morale_memory(replay):
    """A comply deters KH (morale −0.5) and the others (−0.25); morale fades with τ =
    morale_memory_days, not disruption_recovery_days: with a 10-year morale memory (and
    disruption gone in 5 days) each is within 2% of its shift after 60 days; with a 5-day
    memory (and disruption lasting 10 years) each is back at 0, on both paths."""
    shifts = [-beliefs.MORALE_SHIFT_TARGET] + [-beliefs.MORALE_SHIFT_OTHERS] * (len(NAMES) - 1)
    for morale in _morale_after_a_comply(replay, 3650.0, 5.0):
        assert morale == pytest.approx(shifts, rel=0.02)
    for morale in _morale_after_a_comply(replay, 5.0, 3650.0):
        assert morale == [0.0] * len(NAMES)


# ---- a muster: who turns out, what is at stake, which belief it weighs -------------------------
def test_a_muster_draws_the_local_fighters_scaled_by_the_stake_of_fighters_now(replay):
    """A muster draws Binomial(local_fighters, min(1, mobilisation × (0.5 + 0.5 push) ×
    stake^sensitivity)), the stake being the detained as a share of the fighters *now* over
    stake_reference. KH (400 local fighters), cut from 7,000 to 700 fighters on day 0 and
    raided (14 arrests) on day 1, pushed in full, with mobilisation 1 and sensitivity 1, has a
    stake of 14 / ~700 / 0.019 ≥ 1: the whole 400 turn out, every time it musters (at least
    once in three seeds), on both paths. (Over its starting 7,000 the stake is 0.1: some 40
    would; drawn from all its fighters, some 700.)"""
    cut = {"day": 0, "actor": "KH", "action": "set", "figures": {"militias[KH].fighters": 700}}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 2, "events": [cut, _raid("KH", 1)],
                              "patron.instigation": 1.0, "patron.adjustment_rate": 0.0,
                              "militias[KH].mobilisation": 1.0,
                              "militias[KH].stake_sensitivity": 1.0,
                              "militias[KH].stake_reference": 0.019,
                              "militias[KH].recovery_days": 3650.0})
    assert sc.militias[0].local_fighters == 400
    for ev in _events(sc, range(1, 4)):
        musters = ev[(ev["action"] == "muster") & (ev["actor"] == "KH")]
        assert len(musters) >= 1 and (musters["value"] == 400.0).all()


def test_the_muster_weighs_the_belief_in_backing_not_in_retaliation(replay):
    """The muster chance is logistic(6 × (push + autonomy − expected resolve − expected backing
    + stake term)): KH, not pushed, with autonomy 0.5, expecting resolve 0.5 and backing 0.99
    (and retaliation 0.01), at its reference stake (14 of 7,000 detained), musters with chance
    logistic(−5.94) = 0.003: at most 5 of 100 runs, on both paths (reading its belief in
    retaliation, about half would)."""
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 1, "events": [_raid("KH")],
                              "patron.instigation": 0.0, "militias[KH].autonomy": 0.5,
                              "militias[KH].prior_government_resolve": 0.5,
                              "militias[KH].prior_backing": 0.99,
                              "militias[KH].prior_retaliation": 0.01})
    for ev in _events(sc, range(1, 101)):
        raids = ev[ev["action"] == "raid"]
        musters = ev[(ev["action"] == "muster") & (ev["actor"] == "KH")]
        assert len(raids) == 100 and len(musters) <= 5


# ---- a raid's arrests: resisted by the local fighters ----------------------------------------
def test_a_raids_arrests_are_resisted_by_the_local_fighters(replay):
    """Each targeted member is caught with chance C / (C + D), D = local_fighters × cohesion ×
    DEFENDER_SHARE: KH's 400 local fighters at cohesion 0.7 give D = 70, and against a
    capacity of 70 a raid targeting 500 arrests Binomial(500, 0.5): between 200 and 300 (4.5
    standard deviations) in each of three seeds, on both paths (resisted by all 7,000 of its
    fighters, some 27 would be caught)."""
    raid = {"day": 0, "actor": "government", "action": "raid", "target": "KH",
            "figures": {"targets": 500}}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 1, "events": [raid],
                              "government.enforcement_capacity": 70})
    assert enforcement.local_defenders(400, 0.7) == pytest.approx(70.0)
    assert (sc.militias[0].local_fighters, sc.militias[0].cohesion) == (400, 0.7)
    for ev in _events(sc, range(1, 4)):
        arrests = ev.loc[ev["action"] == "raid", "value"]
        assert len(arrests) == 3 and arrests.between(200, 300).all()
