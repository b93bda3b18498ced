"""Wiring, sixteenth audit (scripts/mutation_check.py, the mutations under "sixteenth audit":
public reactions (threats and allies), raids (their commanders, whom to raid), the government's
memory of attacks and its private signals, the foreign force after withdrawal, a strike's
damage, the patron (backlash, a truce's length, a campaign's supply), scripted backing without a
target, the run's summary columns; two of them slips in the fast path alone).

Pure mechanisms, checked against their documented formulas: a raid's target payoff weighs the
risk ``S_m / (S_g + S_m)`` that the militia's muster beats the government (module docstring of
mechanisms/enforcement.py); a strike never takes more cohesion than the militia has
(``strike_damage``); the patron's supply is resources × (1 + the campaign delivered, not
planned).

Public reactions, on both engines: a threat costs the coalition a quarter of its pressure and
teaches the government that militias resist with THREAT_EVIDENCE's weight; only a militia with
seats in parliament threatens; the raided militia never joins its own muster as an ally.
Raids: a raid's commanders are at most its arrests. The government's memory of attacks fades
over ATTACK_MEMORY_DAYS (30), a private signal weighs LIAISON_EVIDENCE. A force with no troops
left never steps in. The patron: a raid's backlash enters the day's target before it fades; a
truce lasts truce_days. A scripted backing without a target steps into every open standoff.
The summary's arrests and detainees_released count persons, not raids or releases.

The engines agree (what catches a slip in the fast path alone) on raids of a militia whose
cohesion is below its baseline (its defenders count its cohesion now) and on attacks weighed
by each militia's belief in US retaliation (not in US backing)."""

from __future__ import annotations

import pytest

import leverage_sim as ls
from leverage_sim.simulation.agents.government import ATTACK_MEMORY_DAYS
from leverage_sim.simulation.fastpath import build
from leverage_sim.simulation.fastpath import day as fastday
from leverage_sim.simulation.fastpath import layout as L
from leverage_sim.simulation.mechanisms import (
    beliefs,
    enforcement,
    intimidation,
    retaliation,
)
from leverage_sim.simulation.model import LeverageModel
from leverage_sim.simulation.runner import summarise_run

from .test_fast_path import differences
from .test_wiring_fifteenth_audit import _logs
from .test_wiring_fifth_audit import (
    CERTAIN_TO_HOLD,
    FULL_RELENT,
    HARMLESS,
    NAMES,
    NO_ATTACKS,
    NO_THREATS,
    _finals,
    _scenario,
)
from .test_wiring_seventh_audit import _raid


# ---- mechanisms ---------------------------------------------------------------------------------
def test_a_raids_target_payoff_weighs_the_risk_that_its_muster_wins():
    """payoff = (ATTRIBUTION_FLOOR + attack share) × C / (C + D) × (1 − E[resistance] × S_m /
    (S_g + S_m)), with S_m = local fighters × cohesion, D = S_m × DEFENDER_SHARE: no attacks
    seen, capacity 1,000, believed strength 3,000, E[resistance] 0.5: a militia of 1,000 local
    fighters (cohesion 1) 0.1 × 0.8 × (1 − 0.5 × 0.25) = 0.07; one of 9,000: 0.1 × 4/13 × (1 −
    0.5 × 0.75) = 0.01923; the stronger militia is the worse target."""
    payoffs = enforcement.target_payoffs(
        [0.0, 0.0], [1000.0, 9000.0], [1.0, 1.0], 1000.0, 3000.0, 0.5)
    assert enforcement.ATTRIBUTION_FLOOR == 0.1 and enforcement.DEFENDER_SHARE == 0.25
    assert list(payoffs) == pytest.approx([0.1 * 0.8 * 0.875, 0.1 * 4 / 13 * 0.625])
    assert payoffs[0] > payoffs[1]


def test_a_strike_takes_no_more_cohesion_than_the_militia_has():
    """strike_damage = (min(fighters, lethality), min(cohesion, cohesion_damage)): 20 of 500
    fighters and 0.05 of cohesion 0.5; a militia with cohesion 0.03 left loses 0.03 (to 0), one
    with 4 fighters loses 4."""
    assert retaliation.strike_damage(500, 0.5, 20, 0.05) == (20, pytest.approx(0.05))
    assert retaliation.strike_damage(500, 0.03, 20, 0.05) == (20, pytest.approx(0.03))
    assert retaliation.strike_damage(4, 0.5, 20, 0.05) == (4, pytest.approx(0.05))


def test_the_patrons_supply_follows_the_campaign_delivered_not_planned(replay):
    """supply = resources × (1 + campaign): with a campaign of 0.25 delivered (1.0 planned, not
    yet built up) the patron supplies 1.25 × its resources and each militia's attack intensity
    is 1.25 × what it is with no campaign — on both engines (the fast path's attack intensity
    computed on the scenario's starting arrays)."""
    sc = _scenario(replay)
    model = LeverageModel(sc, 1, collect_data=False)
    patron, presence = model.patron, model.foreign_force.presence
    plain = [m.attack_intensity(presence) for m in model.militias]
    assert min(plain) > 0
    patron.campaign_plan, patron.campaign = 1.0, 0.25
    assert patron.supply == pytest.approx(1.25 * sc.patron.resources)
    assert [m.attack_intensity(presence) for m in model.militias] == \
        pytest.approx([1.25 * r for r in plain])
    wd = build(sc)

    def intensities(plan: float, campaign: float) -> list[float]:
        w, m = wd.w.copy(), wd.m.copy()
        w[L.CAMPAIGN_PLAN], w[L.CAMPAIGN] = plan, campaign
        fastday.allocate(w, m, True)
        return [fastday.attack_intensity(w, m.copy(), i) for i in range(len(NAMES))]

    assert intensities(0.0, 0.0) == pytest.approx(plain)
    assert intensities(1.0, 0.25) == pytest.approx([1.25 * r for r in plain])


# ---- public reactions ---------------------------------------------------------------------------
def _threat_scenario(replay, propensities: dict[str, float], horizon: int = 1, **more):
    """A raid of 14 on KH on day 0 that KH certainly musters against (its stake weighs heavily),
    the US never stepping in; the patron's push 1 on every militia (instigation 1, no
    stability priority, equal shares not re-allocated); threat propensities ``propensities``
    (others 0): a militia with propensity 1 and seats threatens on day 0 for certain."""
    return _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, **CERTAIN_TO_HOLD,
                                "horizon_days": horizon, "events": [_raid()],
                                "foreign_forces.backing": 0.0, "patron.instigation": 1.0,
                                "patron.stability_priority": 0.0,
                                "patron.support_responsiveness": 0.0,
                                "militias[KH].stake_reference": 0.0001,
                                **{f"militias[{n}].patron_support_share": 0.25 for n in NAMES},
                                **{f"militias[{n}].solidarity": 0.0 for n in NAMES},
                                **{f"militias[{n}].threat_propensity": p
                                   for n, p in propensities.items()}, **more})


def _government_after_day_0(sc: ls.Scenario, seed: int) -> list:
    """(coalition support, the government's resistance belief's alpha, beta) at the end of
    day 0 on each engine."""
    return _finals(sc, lambda model: (model.government.coalition_support,
                                      model.government.resistance_belief.alpha,
                                      model.government.resistance_belief.beta),
                   lambda w, m: (w[L.COALITION], w[L.GR_ALPHA], w[L.GR_ALPHA + 1]), seed)


def test_a_threat_costs_a_quarter_of_its_pressure_and_weighs_threat_evidence(replay):
    """AAH (15 seats) threatens on day 0 of a raid on KH: against the same run without its
    threat, the coalition is lower by pressure / 4 (pressure = threat_sensitivity × 15 /
    parliament_seats) and the government's belief that militias resist has THREAT_EVIDENCE
    (< 1) more in its alpha, its beta unchanged — on both engines, seeds 1-2."""
    gov = replay.government
    pressure = intimidation.threat_pressure(15, gov.parliament_seats, gov.threat_sensitivity)
    assert pressure > 0.01 and beliefs.THREAT_EVIDENCE < 1
    threat, quiet = _threat_scenario(replay, {"AAH": 1.0}), _threat_scenario(replay, {})
    for seed in (1, 2):
        for (c1, a1, b1), (c0, a0, b0) in zip(_government_after_day_0(threat, seed),
                                              _government_after_day_0(quiet, seed), strict=True):
            assert c1 == pytest.approx(c0 - pressure / 4)
            assert a1 == pytest.approx(a0 + beliefs.THREAT_EVIDENCE)
            assert b1 == pytest.approx(b0)


def test_only_a_militia_with_seats_threatens(replay):
    """Every militia's threat propensity 1 and push 1 over a 5-day threat window: only AAH,
    the one with seats (KH, Nujaba and KSS have none), threatens — once, on day 0 — on both
    engines, seeds 1-3."""
    assert [m.seats > 0 for m in replay.militias] == [False, True, False, False]
    sc = _threat_scenario(replay, dict.fromkeys(NAMES, 1.0), horizon=5)
    for _, _, rows in _logs(sc, range(1, 4)):
        assert [(r[0], r[1]) for r in rows if r[2] == "public_threat"] == [(0, "AAH")]


def test_the_raided_militia_never_joins_its_own_muster(replay):
    """KH musters against a raid; its solidarity 1 and push 1 (every other militia's
    solidarity 0): no ally joins, KH's muster is its only muster event and the standoff has no
    allied fighters — on both engines, seeds 1-3, over a 4-day run."""
    sc = _threat_scenario(replay, {}, horizon=4, **{"militias[KH].solidarity": 1.0})
    for _, run, rows in _logs(sc, range(1, 4)):
        assert [r[1] for r in rows if r[2] == "muster"] == ["KH"], rows
        assert run.standoffs[0].allied_fighters == 0


# ---- raids ----------------------------------------------------------------------------------
def test_a_raids_commanders_are_at_most_its_arrests(replay):
    """A scripted raid on KH of 10 targets documented with 10 commanders, the government's
    capacity equal to KH's defenders (each target caught with chance ½): the commanders
    detained are the arrests drawn, fewer than 10 in some seed — KH's and in the government's
    custody, on both engines, seeds 1-4. (Naming more commanders than targets is refused when
    the scenario loads: tests/test_detention_seniority.py.)"""
    kh = next(m for m in replay.militias if m.name == "KH")
    defenders = enforcement.local_defenders(kh.local_fighters, kh.cohesion)
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, **CERTAIN_TO_HOLD, "horizon_days": 1,
                              "events": [_raid(targets=10, commanders=10)],
                              "foreign_forces.backing": 0.0,
                              "government.enforcement_capacity": round(defenders)})
    fewer = False
    for seed in (1, 2, 3, 4):
        for found in _finals(
                sc, lambda model: (model.militia("KH").detained,
                                   model.militia("KH").commanders_detained,
                                   model.government.custody_commanders.get("KH", 0)),
                lambda w, m: (m[0, L.DETAINED], m[0, L.COMMANDERS_DETAINED],
                              m[0, L.CUSTODY_COMMANDERS]), seed):
            detained, commanders, in_custody = (int(x) for x in found)
            assert commanders == in_custody == detained, found
            fewer |= detained < 10
    assert fewer, "every seed caught all 10: the cap was not exercised"


# ---- the government's memory and private signals ----------------------------------------------
def test_the_governments_memory_of_attacks_fades_over_a_month(replay):
    """One scripted (harmless) attack by KH on day 0, no other: the government remembers it as
    1 attack a month, faded by 1 − 1/ATTACK_MEMORY_DAYS (30) at its step on each of days 0-10
    (the scripted attack comes first on day 0): (29/30)^11 ≈ 0.689 at the end of day 10 (over
    its belief memory of 365 days it would be 0.970) — on both engines."""
    attack = {"day": 0, "actor": "KH", "action": "attack", "target": "embassy"}
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, **HARMLESS, "horizon_days": 11,
                              "events": [attack]})
    assert ATTACK_MEMORY_DAYS == 30.0 and sc.government.belief_memory_days == 365.0
    for found in _finals(sc, lambda model: model.government.attacks_per_month,
                         lambda w, m: w[L.ATTACKS_PER_MONTH]):
        assert found == pytest.approx((29 / 30) ** 11)


def test_a_private_signal_weighs_liaison_evidence(replay):
    """A private signal every day (liaison_rate 1), nothing else: after day 0 the government's
    belief in US backing holds LIAISON_EVIDENCE (< 1) more evidence than its prior (alpha +
    beta), on both engines, seeds 1-3."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 1,
                              "government.liaison_rate": 1.0})
    prior = sc.government.prior_strength
    assert beliefs.LIAISON_EVIDENCE < 1
    for seed in (1, 2, 3):
        for total in _finals(sc, lambda model: model.government.backing_belief.alpha
                             + model.government.backing_belief.beta,
                             lambda w, m: w[L.GB_ALPHA] + w[L.GB_ALPHA + 1], seed):
            assert total == pytest.approx(prior + beliefs.LIAISON_EVIDENCE)


# ---- the foreign force after withdrawal ---------------------------------------------------------
def test_a_force_with_no_troops_left_never_steps_in(replay):
    """The US withdraws on day 0 (scripted); its backing is 1 (it would step in to every
    standoff while in country). KH musters against a raid on day 1 and the government holds
    for 7 days: the force never steps in (no backing event), its step-in chance is 0 — on both
    engines, seeds 1-3."""
    withdraw = {"day": 0, "actor": "foreign_forces", "action": "withdrawal"}
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, **CERTAIN_TO_HOLD, "horizon_days": 8,
                              "events": [withdraw, _raid(day=1)], "foreign_forces.backing": 1.0,
                              "militias[KH].stake_reference": 0.0001})
    for _, run, rows in _logs(sc, range(1, 4)):
        assert [r[2] for r in rows if r[1] == "foreign_forces"] == ["withdrawal"], rows
        assert any(r[2] == "muster" for r in rows)
    assert LeverageModel(sc, 1).foreign_force.step_in_probability() == 1.0


# ---- the patron -----------------------------------------------------------------------------
def test_a_raids_backlash_moves_instigation_before_it_fades(replay):
    """A raid on day 0 (a day's run; a muster raising no escalation, which the patron weighs):
    the patron's step that day sets its target with the raid's backlash in full, then the
    backlash fades: instigation ends higher than without the raid by
    adjustment_rate × (1 − w) × raid_backlash (w: the day's restraint weight), and the backlash
    left is raid_backlash × (1 − adjustment_rate) — on both engines, seeds 1-2."""
    p = replay.patron
    base = {**NO_ATTACKS, **NO_THREATS, **CERTAIN_TO_HOLD, "horizon_days": 1,
            "foreign_forces.backing": 0.0, "escalation.per_muster": 0.0}
    raided, quiet = _scenario(replay, **base, events=[_raid()]), _scenario(replay, **base)
    weight = LeverageModel(quiet, 1).patron.restraint_weight
    rise = p.adjustment_rate * (1 - weight) * p.raid_backlash
    assert rise > 0.004

    def read(sc, seed):
        return _finals(sc, lambda model: (model.patron.instigation, model.patron.backlash),
                       lambda w, m: (w[L.INSTIGATION], w[L.BACKLASH]), seed)

    for seed in (1, 2):
        for (inst, backlash), (inst0, _) in zip(read(raided, seed), read(quiet, seed),
                                                strict=True):
            assert inst == pytest.approx(inst0 + rise)
            assert backlash == pytest.approx(p.raid_backlash * (1 - p.adjustment_rate))


def test_a_patrons_truce_lasts_truce_days(replay):
    """War risk above the patron's threshold throughout (escalation 0.9 not decaying, threshold
    0.1): it orders a truce of 3 days on day 0 and, each ending, the next on the day after its
    last — days 0, 3, 6, 9 of a 12-day run — on both engines (seed 1)."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 12,
                              "escalation.initial": 0.9, "escalation.decay": 0.0,
                              "patron.escalation_threshold": 0.1, "patron.truce_days": 3})
    for _, _, rows in _logs(sc, range(1, 2)):
        assert [r[0] for r in rows if r[1] == "patron" and r[2] == "truce"] == [0, 3, 6, 9]


# ---- scripted backing; the summary --------------------------------------------------------------
def test_a_scripted_backing_without_a_target_steps_into_the_open_standoff(replay):
    """KH musters against a raid on day 0; a scripted backing with no target on day 1 (the US
    otherwise never stepping in): the US steps into KH's standoff on day 1 (a backing event for
    KH, nothing skipped), on both engines, seeds 1-2."""
    backing = {"day": 1, "actor": "foreign_forces", "action": "backing"}
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, **CERTAIN_TO_HOLD, "horizon_days": 3,
                              "events": [_raid(), backing], "foreign_forces.backing": 0.0,
                              "militias[KH].stake_reference": 0.0001})
    for _, run, rows in _logs(sc, range(1, 3)):
        assert [(r[0], r[2], r[3]) for r in rows if r[1] == "foreign_forces"] == \
            [(1, "backing", "KH")], rows


def test_the_summary_counts_arrests_and_released_detainees_in_persons(replay):
    """Raids of 14 (day 0) and 5 (day 6) on KH; KH musters, the government relents at once
    keeping no one, each case released 2 days on (no spread): the summary's arrests are 19 (not
    2 raids) and its detainees_released the persons freed (19 when both cases are out, not the
    count of releases) — on both engines, seeds 1-3."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, **FULL_RELENT, "horizon_days": 14,
                              "events": [_raid(), _raid(day=6, arrests=5)],
                              "government.release_delay_days": 2.0,
                              "government.release_delay_spread": 0.0})
    released = 0
    for _, run, rows in _logs(sc, range(1, 4)):
        summary = summarise_run(run, 1, 0)
        assert summary["raids"] == 2 and summary["arrests"] == 19
        freed = [r[5] for r in rows if r[2] == "release"]
        assert summary["detainees_released"] == sum(freed)
        released += summary["detainees_released"] == 19 and len(freed) == 2
    assert released >= 4


# ---- the engines agree (slips in the fast path alone) -------------------------------------------
def test_the_engines_agree_on_raids_of_a_militia_below_its_cohesion(replay):
    """KH's cohesion set to 0.1 on day 0 (its baseline 0.8 or so: it recovers toward it) and
    raids of 40 targets on days 0, 2 and 4 against a capacity of 150: the arrests drawn depend on
    its defenders at its cohesion now; the engines log the same events, seeds 1-4."""
    cut = {"day": 0, "actor": "government", "action": "set",
           "figures": {"militias[KH].cohesion": 0.1}}
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, **CERTAIN_TO_HOLD, "horizon_days": 6,
                              "events": [cut, *(_raid(day=d, targets=40) for d in (0, 2, 4))],
                              "foreign_forces.backing": 0.0,
                              "government.enforcement_capacity": 150})
    assert replay.militias[0].cohesion > 0.5
    found, actions = differences(sc, range(1, 5))
    assert not found, found[:3]
    assert actions["raid"] == 12


def test_the_engines_agree_on_attacks_weighed_by_the_belief_in_retaliation(replay):
    """Every militia believes the US backs the government little (prior 0.1) and strikes back
    at deadly attacks much (prior 0.9), averse to retaliation (0.5): the engines log the same
    attacks over 120 days, seeds 1-3, with attacks in them."""
    sc = _scenario(replay, **{**NO_THREATS, **HARMLESS, "horizon_days": 120,
                              **{f"militias[{n}].prior_backing": 0.1 for n in NAMES},
                              **{f"militias[{n}].prior_retaliation": 0.9 for n in NAMES},
                              **{f"militias[{n}].retaliation_aversion": 0.5 for n in NAMES}})
    found, actions = differences(sc, range(1, 4))
    assert not found, found[:3]
    assert actions["attack"] > 10
