"""Wiring, eighth audit: links that hand-made bugs cut or reverse without the model tests failing
(scripts/mutation_check.py, the mutations under "eighth audit"; of its ten model bugs, five were
already killed by the model tests). Each test sets the state a link reads and checks that the
actor that should react does: whom the government raids (the risk of a strong militia's muster
weighed by its belief that militias resist, not by its belief in US backing), a militia's
readiness (its cohesion now, not its baseline), a raided militia's own muster (scaled by what is
at stake), a fight (the government's strength falls with the troops still in it) and the
patron's truces (a new one only once the last has ended).

Every test runs on both engines, through the fifth audit's helpers (:func:`_events`: the event
log of a short quiet run; :func:`_scenario`: the replay made quiet) or, for the choice of
target, by calling each path's own code (``Government.choose_target``,
``fastpath.day.choose_target``), so each link is checked where it is written twice. (The
audit's five bugs in the calibration statistics are killed in
tests/test_calibration_statistics.py.)"""

from __future__ import annotations

import pytest

from leverage_sim.simulation.fastpath import build, seeded_generator
from leverage_sim.simulation.fastpath import day as fastday
from leverage_sim.simulation.model import LeverageModel

from .test_wiring_fifth_audit import (
    CERTAIN_TO_HOLD,
    HARMLESS,
    NAMES,
    NO_ATTACKS,
    NO_THREATS,
    _attacks_without_and_with,
    _events,
    _scenario,
)
from .test_wiring_fourth_audit import NO_BROKER
from .test_wiring_seventh_audit import _raid


# ---- whom the government raids ----------------------------------------------------------------
def _share_raided(replay, name: str, resistance: float, draws: int = 2000,
                  more: dict | None = None) -> list[float]:
    """The share of ``draws`` target choices that fall on ``name`` for a government whose
    belief that militias resist has mean ``resistance`` (belief in US backing 0.05 unless
    ``more`` overrides it, no attacks seen), KSS made strong (3,000 local fighters, cohesion
    1), on the agent path and on the fast path."""
    sc = _scenario(replay, **{"government.prior_resistance": resistance,
                              "government.prior_backing": 0.05,
                              "militias[KSS].local_fighters": 3000,
                              "militias[KSS].cohesion": 1.0, **(more or {})})
    model = LeverageModel(sc, 1, collect_data=False)
    agent = [model.government.choose_target(model.militias).name for _ in range(draws)]
    wd, rng = build(sc), seeded_generator(1)
    w, m = wd.w.copy(), wd.m.copy()
    fastday.allocate(w, m, True)
    fast = [NAMES[fastday.choose_target(rng, 0, w, m)] for _ in range(draws)]
    return [picks.count(name) / draws for picks in (agent, fast)]


def test_the_risk_of_raiding_a_strong_militia_is_weighed_by_the_belief_it_resists(replay):
    """A target's payoff is ``(floor + attack share) × p_arrest × (1 − E[resistance] × risk)``
    with ``risk`` the chance its muster beats the government: KSS made strong (3,000 local
    fighters, cohesion 1: risk ≈ 0.83) is raided less than half as often by a government that
    expects resistance (0.95) as by one that does not (0.05) — the payoffs give it shares 0.044
    and 0.129 — with the belief in backing the same (0.05) in both, on both paths (2,000 draws
    each: a standard error under 0.008; ratios 0.30-0.35 in seeds 1-8 tried). Weighing the
    risk by the belief in backing would give it the same share in both."""
    expects = _share_raided(replay, "KSS", 0.95)
    doubts = _share_raided(replay, "KSS", 0.05)
    for high, low in zip(expects, doubts, strict=True):
        assert low > 0.09 and high < 0.5 * low, (expects, doubts)


# ---- militias: readiness, their own muster ------------------------------------------------------
def test_a_militia_whose_cohesion_fell_attacks_in_proportion_to_it(replay):
    """``readiness = cohesion × fighters / initial fighters`` reads the cohesion now: KH's
    cohesion cut from 0.7 to 0.07 (a scripted set on day 0; it recovers over ten years)
    launches about a tenth of the attacks it launches at full cohesion over 60 days (within
    0.05 over three runs, under a quarter in each; 0.10-0.13 in ten blocks of three seeds
    tried, at most 0.2 in one run), on both paths; readiness on the baseline cohesion would
    leave them unchanged."""
    base = {**NO_ATTACKS, **HARMLESS, "horizon_days": 60, "militias[KH].attack_rate": 10.0,
            "militias[KH].recovery_days": 3650.0, "escalation.per_attack": 0.0}
    cut = {"day": 0, "actor": "KH", "action": "set", "figures": {"militias[KH].cohesion": 0.07}}
    full, weak = _attacks_without_and_with(replay, base, cut)
    assert min(full) > 80
    assert all(w < 0.25 * f for w, f in zip(weak, full, strict=True)), (weak, full)
    assert sum(weak) / sum(full) == pytest.approx(0.1, abs=0.05), (weak, full)


def test_a_raided_militias_own_muster_is_scaled_by_its_stake(replay):
    """A raided militia's own turnout is ``Binomial(local fighters, min(1, mobilisation ×
    (0.5 + 0.5 push) × r^stake_sensitivity))``: with a stake far above its reference (r ≈ 10^5)
    every one of KH's 400 local fighters turns out, in each of three runs, on both paths
    (unscaled, an ally's turnout, about 0.45 × 0.75 of them would)."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 1,
                              "events": [_raid("KH")], "militias[KH].stake_reference": 1e-6})
    local = sc.militias[0].local_fighters
    assert local == 400
    for ev in _events(sc, range(1, 4)):
        musters = ev[ev["action"] == "muster"]
        assert musters["actor"].tolist() == ["KH"] * 3
        assert (musters["value"] == local).all()


# ---- fights: the government's strength as its troops fall -------------------------------------
def test_a_fight_weighs_the_government_by_the_troops_still_in_it(replay):
    """The militia's losses in a fight are ``λ_g × S_g`` with ``S_g`` the troops still fighting:
    an operation of 1,000 troops against KH (lethality 0.2; the militia kills no one) whose
    troops desert in droves (cohesion 0, desertion rate 1: d = 1 − p ≈ 0.85 on day 1) kills
    fewer than 40% as many of KH's fighters on day 2 as on day 1 (about 15%; at most 27% in 30
    seeds tried, with 126 or more dead on day 1 and 844 or more deserters), in each of three
    runs, on both paths; weighing the troops it started with would kill as many. KH expects
    the government to halt (resolve belief 0), so it never stands down at the opening, however
    deadly the first day it expects; the government is sure KH resists, so all its troops
    engage."""
    op = {"day": 0, "actor": "government", "action": "operation", "target": "KH",
          "figures": {"troops": 1000, "days": 3}}
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, **CERTAIN_TO_HOLD, **NO_BROKER,
                              "horizon_days": 3, "events": [op], "foreign_forces.backing": 0.0,
                              "government.combat_lethality": 0.2,
                              "government.force_cohesion": 0.0, "government.desertion_rate": 1.0,
                              "militias[KH].combat_lethality": 0.0,
                              "militias[KH].prior_government_resolve": 0.0,
                              "government.prior_resistance": 1.0})
    for ev in _events(sc, range(1, 4)):
        for _, run in ev.groupby("replication"):
            dead = run[run["action"] == "fighting"].set_index("day")["value"]
            deserted = run[(run["action"] == "defection") & (run["day"] == 1)]["value"]
            assert dead[1] > 100 and deserted.sum() > 700, (dead, deserted)
            assert dead[2] < 0.4 * dead[1], dead


# ---- the patron: a truce's renewal --------------------------------------------------------------
def test_a_new_truce_is_ordered_only_after_the_last_has_ended(replay):
    """Under lasting war risk (escalation 1, no decay) the patron orders a truce of
    ``truce_days`` (5) as soon as none of its own is in force: on days 0, 5, 10 and 15 of 16,
    on both paths (ordering one on the last day of the one in force would make it 0, 4, 8,
    12)."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 16,
                              "escalation.initial": 1.0, "escalation.decay": 0.0,
                              "patron.truce_days": 5})
    for ev in _events(sc, range(1, 3)):
        truces = ev[ev["action"] == "truce"]
        for _, run in truces.groupby("replication"):
            assert run["day"].tolist() == [0, 5, 10, 15]
        assert truces["replication"].nunique() == 2
