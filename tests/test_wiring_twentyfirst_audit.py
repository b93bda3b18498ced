"""Wiring, twenty-first audit (scripts/mutation_check.py, the mutations under "twenty-first
audit": beliefs read for real values and real values for beliefs (the liaison's signal, the
choice of whom to raid, the muster's belief in backing, the US's pressure to act, the
government's memory of attacks, a militia's belief in retaliation forgetting, strikes not read as
backing by the government), the muster decision and what is at stake, readiness, the raid
hazard, what stepping in adds, a strike's cohesion and sovereignty costs, authority's range, the
patron's target under a truce, its backlash, war risk and range, a campaign's supply on both
engines, and the day's order (the patron before the government, standoffs before releases)).

Pure mechanisms, checked against their documented formulas (docs/model.md; each a shared
``@jitable`` function, so one check covers both engines).

Links written twice (agent path and fast path), on both engines (the fifth audit's
:func:`_finals` and :func:`_events`, the fifteenth's :func:`_logs`, the eighth audit's way of
drawing the government's target on both engines)."""

from __future__ import annotations

import pytest

from leverage_sim.simulation.fastpath import day as fastday
from leverage_sim.simulation.fastpath import layout as L
from leverage_sim.simulation.mechanisms import (
    attacks,
    backing,
    beliefs,
    enforcement,
    intimidation,
    patronage,
    retaliation,
)

from .test_wiring_eighth_audit import _share_raided as eighth_audit_share_raided
from .test_wiring_fifteenth_audit import _logs
from .test_wiring_fifth_audit import (
    FULL_RELENT,
    HARMLESS,
    NO_ATTACKS,
    NO_THREATS,
    _events,
    _finals,
    _scenario,
)
from .test_wiring_seventh_audit import _raid
from .test_wiring_twentieth_audit import ATTACK_ON_DAY_0, DEADLY

STRIKE_ON_KH = {"day": 0, "actor": "foreign_forces", "action": "strike", "target": "KH"}


# ---- mechanisms ---------------------------------------------------------------------------------
def test_the_muster_index_counts_the_militias_autonomy():
    """p = σ(6 × (push + autonomy − E[resolve] − E[backing] + stake)): push 0.5, autonomy 0.8,
    resolve believed 0.5, backing 0.3, no stake term give σ(3); autonomy 0, σ(−1.8)."""
    assert intimidation.muster_probability(0.5, 0.8, 0.5, 0.3) == \
        pytest.approx(intimidation.logistic(3.0))
    assert intimidation.muster_probability(0.5, 0.0, 0.5, 0.3) == \
        pytest.approx(intimidation.logistic(-1.8))


def test_a_detained_commander_weighs_commander_stake_members():
    """detained + (commander_stake − 1) × commanders: 14 detained, one of them a commander
    worth 100 members, are 113 member-equivalents; with no commander, 14."""
    assert intimidation.member_equivalents(14, 1, 100.0) == pytest.approx(113.0)
    assert intimidation.member_equivalents(14, 0, 100.0) == pytest.approx(14.0)


def test_readiness_is_cohesion_times_the_share_of_fighters_left():
    """readiness = cohesion × fighters / initial fighters: 0.5 × 700 / 1,000 = 0.35."""
    assert attacks.readiness(0.5, 700, 1000) == pytest.approx(0.35)
    assert attacks.readiness(1.0, 700, 1000) == pytest.approx(0.7)


def test_the_raid_hazard_rises_with_the_us_pressure_to_act():
    """h = raid_rate × resolve × (1 − E[res] × (1 − E[backing])) × (1 + attack_response × A +
    pressure_response × P): raid rate 0.01, full resolve, no resistance expected, no attacks,
    US pressure 1 at pressure_response 2 give 0.03; no pressure, 0.01."""
    assert enforcement.raid_hazard(0.01, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0) == pytest.approx(0.03)
    assert enforcement.raid_hazard(0.01, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0) == pytest.approx(0.01)


def test_what_stepping_in_adds_counts_each_committed_soldier_at_the_ground_multiplier():
    """U = presence × standoff_share × ground_multiplier + air: 1,000 troops, a tenth committable,
    each worth 3, no air support, give 300 (not 100)."""
    assert backing.us_standoff_strength(1000, 0.1, 3.0, 0.0) == pytest.approx(300.0)


def test_a_truce_caps_the_patrons_target_and_never_raises_it():
    """truce_target: under a truce in force the target is at most ``truce_instigation`` — a
    target of 0.05 (a patron restraining itself) stays 0.05 under a truce level of 0.2; a target
    of 0.5 falls to 0.2; after the truce's last day the target is its own."""
    assert patronage.truce_target(0.05, 10, 5, 0.2) == pytest.approx(0.05)
    assert patronage.truce_target(0.5, 10, 5, 0.2) == pytest.approx(0.2)
    assert patronage.truce_target(0.5, 10, 11, 0.2) == pytest.approx(0.5)


def test_the_patrons_backlash_weighs_by_one_minus_its_restraint_weight():
    """target = clip(base + (1 − w) × backlash − priority × (w + (1 − w) × escalation), 0, 1):
    base 0.3, backlash 0.4, no stability priority: full restraint (w = 1) gives 0.3, half
    restraint 0.5, none 0.7."""
    assert patronage.target_instigation(0.3, 0.4, 1.0, 0.0) == pytest.approx(0.3)
    assert patronage.target_instigation(0.3, 0.4, 0.5, 0.0) == pytest.approx(0.5)
    assert patronage.target_instigation(0.3, 0.4, 0.0, 0.0) == pytest.approx(0.7)


def test_the_patrons_target_stays_within_zero_and_one():
    """The target is an index 0–1: base 0.8 and a backlash of 0.6 without restraint give 1, not
    1.4; a large restraint gives 0."""
    assert patronage.target_instigation(0.8, 0.6, 0.0, 0.0) == 1.0
    assert patronage.target_instigation(0.1, 0.0, 1.0, 1.0) == 0.0


def test_an_announced_us_threat_adds_to_the_patrons_war_risk():
    """war_risk = min(1, escalation + strike_risk × recent strikes + us_threat): no escalation
    and no strikes, a threat of 0.3 gives 0.3."""
    assert patronage.war_risk(0.0, 0.0, 0.15, 0.3) == pytest.approx(0.3)
    assert patronage.war_risk(0.2, 0.0, 0.15, 0.3) == pytest.approx(0.5)


# ---- links: beliefs and real values -------------------------------------------------------------
def test_the_liaison_reports_the_uss_real_chance_not_the_governments_belief(replay):
    """At backing 0 the US's chance of stepping in is exactly 0, so every private signal says
    no: a government that starts believing in backing (0.9, worth 4) and hears a signal every
    day (liaison_rate 1) for 30 days ends with a belief under 0.3 (3.6 / (4 + 15) ≈ 0.19 before
    forgetting), on both engines; a liaison echoing its belief would keep it near 0.9."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 30,
                              "foreign_forces.backing": 0.0, "government.liaison_rate": 1.0,
                              "government.prior_backing": 0.9, "government.prior_strength": 4})
    for belief in _finals(sc, lambda model: model.government.backing_belief.mean,
                          lambda w, m: w[L.GB_MEAN]):
        assert belief < 0.3


def _share_raided(replay, name: str, prior_backing: float, draws: int = 2000) -> list[float]:
    """The share of ``draws`` target choices falling on ``name`` for a government expecting
    resistance (0.95) whose belief in US backing is ``prior_backing`` (worth 1,000), KSS made
    strong, no attacks seen: on the agent path and on the fast path (the eighth audit's
    draws)."""
    return eighth_audit_share_raided(replay, name, 0.95, draws,
                                     {"government.prior_backing": prior_backing,
                                      "government.prior_strength": 1000})


def test_whom_to_raid_weighs_the_risk_on_the_governments_belief_in_backing(replay):
    """The risk of raiding a strong militia is its muster against the government's strength *on
    its belief in backing* (docs/model.md, section 1): a government that doubts the US (0.05)
    raids the strong KSS with payoff share 0.044, one that counts on it (0.95) 0.094; at 2,000
    draws (standard error ≤ 0.007) the doubter's share is under 0.065 and under 0.7 times the
    believer's, on both engines. Counting on the US whatever it believes would give both 0.095."""
    doubts = _share_raided(replay, "KSS", 0.05)
    believes = _share_raided(replay, "KSS", 0.95)
    for low, high in zip(doubts, believes, strict=True):
        assert low < 0.065 and low < 0.7 * high, (doubts, believes)


def test_a_raided_militia_musters_on_its_own_belief_in_backing(replay):
    """KH believes the US will not step in (prior 0.01 worth 100) while the government believes
    it will (0.99 worth 100): with push 0.6, autonomy 0.8, a believed resolve of 0.5 and the
    reference stake (14 of 7,000), its muster index is 6 × 0.89 (p ≈ 0.995), so it musters
    after a raid on day 0 in at least 18 of 20 seeds on each engine (on the government's belief
    6 × −0.09: p ≈ 0.37)."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 1,
                              "militias[KH].prior_backing": 0.01,
                              "militias[KH].prior_government_resolve": 0.5,
                              "militias[KH].prior_strength": 100,
                              "government.prior_backing": 0.99,
                              "government.prior_strength": 100, "events": [_raid()]})
    musters = {"agent": 0, "fast": 0}
    for engine, _, rows in _logs(sc, range(1, 21)):
        musters[engine] += any(r[1] == "KH" and r[2] == "muster" for r in rows)
    assert musters["agent"] >= 18 and musters["fast"] >= 18, musters


def test_the_uss_pressure_to_act_fades_with_its_remembered_losses(replay):
    """US pressure = min(1, remembered casualties / tolerance), the casualties fading over 180
    days: a scripted attack killing about 20 on day 0 (no strikes answer it; tolerance 100, so
    no drawdown) leaves, 720 days later, 20 × (1 − 1/180)^720 ≈ 0.36 remembered and a pressure
    under 0.01 (all 20 would give 0.2), on both engines."""
    sc = _scenario(replay, **{**DEADLY, "horizon_days": 720,
                              "foreign_forces.retaliation_probability": 0.0,
                              "foreign_forces.casualty_tolerance": 100.0,
                              "events": [ATTACK_ON_DAY_0]})
    for pressure, casualties in _finals(
            sc, lambda model: (model.foreign_force.us_pressure, model.foreign_force.casualties),
            lambda w, m: (fastday.us_pressure(w), w[L.CASUALTIES])):
        assert casualties >= 5 and pressure < 0.01, (pressure, casualties)


def test_the_governments_memory_of_a_militias_attacks_fades_over_a_month(replay):
    """An attack attributed to KH on day 0 is remembered as (1 − 1/30)^60 ≈ 0.13 of an attack
    60 days later (ATTACK_MEMORY_DAYS 30), on both engines; never fading, it would still count
    1."""
    sc = _scenario(replay, **{**NO_ATTACKS, **HARMLESS, "horizon_days": 60,
                              "events": [ATTACK_ON_DAY_0]})
    expected = beliefs.remembered(1.0, 60, 30.0)
    for seen in _finals(sc, lambda model: model.government.attacks_seen("KH"),
                        lambda w, m: fastday.attacks_seen(m, 0, 60)):
        assert seen == pytest.approx(expected)


def test_a_militias_belief_in_retaliation_forgets_toward_its_prior(replay):
    """A deadly attack on day 0 answered by strikes (certain) teaches every militia one
    observation that strikes follow; with belief_memory_days 5 it is forgotten within 300 days:
    KH's belief is back at its prior's mean (0.5 worth 4), not 3/5, on both engines."""
    sc = _scenario(replay, **{**DEADLY, "horizon_days": 300,
                              "militias[KH].prior_retaliation": 0.5,
                              "militias[KH].prior_strength": 4,
                              "militias[KH].belief_memory_days": 5.0,
                              "foreign_forces.casualty_tolerance": 1000.0,
                              "events": [ATTACK_ON_DAY_0]})
    for belief, losses in _finals(
            sc, lambda model: (model.militias[0].retaliation_belief.mean,
                               model.militias[0].losses),
            lambda w, m: (m[0, L.MT_MEAN], m[0, L.LOSSES])):
        assert losses > 0 and belief == pytest.approx(0.5)  # struck: its losses still show


def test_the_government_does_not_read_a_strike_as_backing(replay):
    """A US strike is read as evidence of backing by the militias, not by the government (its
    liaison calls strikes force protection): after a scripted strike on day 0 the government's
    belief in backing is its prior's mean (0.35), while KH's has risen, on both engines."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 1,
                              "events": [STRIKE_ON_KH]})
    for government, kh in _finals(
            sc, lambda model: (model.government.backing_belief.mean,
                               model.militias[0].backing_belief.mean),
            lambda w, m: (w[L.GB_MEAN], m[0, L.MB_MEAN])):
        assert government == pytest.approx(0.35)
        assert kh > 0.4


# ---- links: a strike's costs, authority's range -------------------------------------------------
def test_a_strike_costs_the_militia_cohesion_and_the_government_authority(replay):
    """A scripted strike on KH on day 0 (strike_cohesion_damage 0.05): KH's cohesion falls from
    0.7 to 0.65 and recovers 1/365 of the gap that day; the government's authority falls by the
    sovereignty cost (0.02) from 0.5 and recovers 1/365 of it, its coalition support stays 0.45,
    on both engines."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 1,
                              "foreign_forces.strike_cohesion_damage": 0.05,
                              "events": [STRIKE_ON_KH]})
    cost = retaliation.SOVEREIGNTY_COST
    for cohesion, authority, coalition in _finals(
            sc, lambda model: (model.militias[0].cohesion, model.government.authority,
                               model.government.coalition_support),
            lambda w, m: (m[0, L.M_COHESION], w[L.AUTHORITY], w[L.COALITION])):
        assert cohesion == pytest.approx(0.65 + 0.05 / 365)
        assert authority == pytest.approx(0.5 - cost + cost / 365)
        assert coalition == pytest.approx(0.45)


def test_authority_never_falls_below_zero(replay):
    """Authority is an index 0–1: a government starting at 0.01 struck at three times on day 0
    (0.02 each) ends the day at 0 plus a 1/365 step back toward 0.01, not below 0, on both
    engines."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 1,
                              "government.authority": 0.01,
                              "events": [STRIKE_ON_KH] * 3})
    for authority in _finals(sc, lambda model: model.government.authority,
                             lambda w, m: w[L.AUTHORITY]):
        assert authority == pytest.approx(0.01 / 365)


# ---- links: a campaign's supply, on both engines ------------------------------------------------
def test_a_campaign_after_a_relent_raises_attacks_on_both_engines(replay):
    """A relent on day 1 (KH's raid on day 0) makes the patron plan a campaign of
    ``win_campaign``; its support multiplies the militias' resources. Over 90 days, with
    win_campaign 5 the militias launch at least 1.5 times the attacks they launch with 0
    (seeds 1-3, harmless attacks), on each engine."""
    base = {**FULL_RELENT, **NO_THREATS, **HARMLESS, "horizon_days": 90,
            "escalation.per_attack": 0.0, "events": [_raid()]}
    counts = {}
    for campaign in (0.0, 5.0):
        sc = _scenario(replay, **{**base, "patron.win_campaign": campaign})
        counts[campaign] = [(ev["action"] == "attack").sum() for ev in _events(sc, range(1, 4))]
    for without, with_campaign in zip(counts[0.0], counts[5.0], strict=True):
        assert with_campaign > 1.5 * without > 0, counts


# ---- links: the day's order ---------------------------------------------------------------------
def test_an_unscripted_raid_reaches_the_patron_the_next_day(replay):
    """The patron steps before the government (docs/model.md, step order 2, 3): a raid the
    government orders on day 0 (certain: raid rate 1, resolve 1, no resistance expected) adds
    its backlash after the patron's step, so the patron's instigation at the end of day 0 is
    the same as without the raid (escalation from the muster too comes after it), on both
    engines."""
    base = {**NO_ATTACKS, **NO_THREATS, "horizon_days": 1, "government.resolve": 1.0,
            "government.prior_resistance": 0.001, "government.prior_strength": 1000,
            "patron.raid_backlash": 0.5}
    quiet = _finals(_scenario(replay, **base), lambda model: model.patron.instigation,
                    lambda w, m: w[L.INSTIGATION])
    sc = _scenario(replay, **{**base, "government.raid_rate": 1.0})
    raided = _finals(sc, lambda model: (model.patron.instigation, model.log.counts["raid"],
                                        model.patron.backlash),
                     lambda w, m: (w[L.INSTIGATION], 1, w[L.BACKLASH]))
    for calm, (instigation, raids, backlash) in zip(quiet, raided, strict=True):
        assert raids == 1 and backlash > 0.4
        assert instigation == pytest.approx(calm)


def test_a_relents_case_gets_its_release_day_on_the_day_of_the_relent(replay):
    """Standoffs play before releases (step order 5, 6): KH's raid on day 0, the government
    relents on day 1 (full relent) and the case's delay is drawn that day — with a median of 3
    days and no spread the detainees go free on day 4, on both engines (seeds 1-3)."""
    sc = _scenario(replay, **{**FULL_RELENT, **NO_ATTACKS, **NO_THREATS, "horizon_days": 8,
                              "government.release_delay_days": 3.0,
                              "government.release_delay_spread": 0.0, "events": [_raid()]})
    for engine, _, rows in _logs(sc, range(1, 4)):
        relents = [r[0] for r in rows if r[2] == "relent"]
        releases = [r[0] for r in rows if r[2] == "release"]
        assert relents == [1] and releases == [4], (engine, relents, releases)
