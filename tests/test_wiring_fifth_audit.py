"""Wiring, fifth audit: links that hand-made bugs cut or reverse without the model tests failing
(scripts/mutation_check.py, the mutations under "fifth audit"). Each test moves one input of a
link, or sets the state it reads, and checks that the actor that should react does, by the
documented amount where it is exact: attacks (each militia heeds defences as far as it does
itself; a militia that lost fighters attacks less; the government attributes an attack to its
attacker; a scripted defence changes the site's interception), the raid hazard's two responses,
recovery and forgetting (resolve toward its own baseline, a militia's cohesion toward its own,
lost fighters over its recovery_days, each actor's beliefs over its own memory, the
government's belief in resistance too), the patron (its push by share of the top share;
backlash and an announced US threat fade; a scripted instigation moves the base it drifts to),
the militia's choice to disperse (on the real US stance), an operation's days, a case's release
day (the delay rounded up), redeployment (only below the authorised level), escalation's decay.

Every test runs on both engines: the agent path (``LeverageModel``) and the compiled fast path
(``fastpath.day.run_days``), reading the final state of a short quiet run (:func:`_finals`) or
its event log (:func:`_events`), so each link is checked where it is written twice. (A bug in
one path only is caught by tests/test_fast_path.py's equality tests; a bug written the same in
both is caught here.)"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

import leverage_sim as ls
from leverage_sim.simulation.agents.government import ATTACK_MEMORY_DAYS
from leverage_sim.simulation.fastpath import build, compiled, seeded_generator
from leverage_sim.simulation.fastpath import day as fastday
from leverage_sim.simulation.fastpath import layout as L
from leverage_sim.simulation.mechanisms import beliefs
from leverage_sim.simulation.model import LeverageModel

QUIET = {"events": [], "government.raid_rate": 0.0, "government.liaison_rate": 0.0}
"""No scripted events, no unscripted raids, no private signals: only what a test sets happens."""
NAMES = ("KH", "AAH", "Nujaba", "KSS")  # the replay's militias, in row order
NO_ATTACKS = {f"militias[{n}].attack_rate": 0.0 for n in NAMES}
CERTAIN_TO_HOLD = {"government.resolve": 1.0, "government.coalition_support": 1.0,
                   "government.decision_sharpness": 100.0}
"""A government that holds firm, and presses on in a fight, whatever it believes."""
NO_THREATS = {f"militias[{n}].threat_propensity": 0.0 for n in NAMES}
FULL_RELENT = {"government.negotiation_leverage": 0.0, "government.resolve": 0.0,
               "government.coalition_support": 0.0, "government.decision_sharpness": 100.0,
               "militias[KH].stake_reference": 0.0001}
"""KH musters against any raid, and the government relents at once and keeps no detainee."""
SITES = ("bases", "embassy", "airport", "convoys")
HARMLESS = {f"foreign_forces.sites[{s}].lethality": 0.0 for s in SITES}
"""Attacks kill no one: nothing (retaliation, drawdowns) answers them."""


def _scenario(replay, **overrides) -> ls.Scenario:
    sc = ls.load_scenario(replay, {**QUIET, **overrides})
    assert tuple(m.name for m in sc.militias) == NAMES
    return sc


def agent_run(sc: ls.Scenario, seed: int) -> LeverageModel:
    """The agent path's model after a run of ``sc`` to its horizon with ``seed``."""
    model = LeverageModel(sc, seed, collect_data=False)
    while model.running and model.day < sc.horizon_days:
        model.step()
    return model


def fast_run(sc: ls.Scenario, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The fast path's world row, militia rows and confrontations' rows after a run of ``sc``
    to its horizon with ``seed``."""
    wd = build(sc)
    w, m = wd.w.copy(), wd.m.copy()
    rows = 10_000 + 50 * sc.horizon_days
    table, so = compiled()(seeded_generator(seed), w, m, wd.s.copy(), wd.scripted, wd.sets,
                           sc.horizon_days, wd.capacity, rows)
    assert table[0, 0] < rows
    return w, m, so


def _finals(sc: ls.Scenario, agent: Callable[[LeverageModel], object],
            fast: Callable[[np.ndarray, np.ndarray], object], seed: int = 1) -> list:
    """What ``agent`` reads of the agent path's model and ``fast`` of the fast path's world and
    militia arrays, each after a run of ``sc`` to its horizon with ``seed``."""
    w, m, _ = fast_run(sc, seed)
    return [agent(agent_run(sc, seed)), fast(w, m)]


def _events(sc: ls.Scenario, seeds: range) -> list[pd.DataFrame]:
    """The event logs of ``seeds`` on the agent path and on the fast path (no posterior)."""
    return [ls.run(sc, replications=len(seeds), seed=seeds.start, posterior=None,
                   engine=engine).events for engine in ("agent", "fast")]


def _attacks_without_and_with(replay, base: dict, cut: dict) -> tuple[list, list]:
    """Attacks on each path (agent, fast) over seeds 1-3 of the replay with ``base``: without
    the scripted event ``cut``, and with it."""
    def attacks(sc: ls.Scenario) -> list:
        return [(ev["action"] == "attack").sum() for ev in _events(sc, range(1, 4))]

    return attacks(_scenario(replay, **base)), attacks(_scenario(replay, **base, events=[cut]))


# ---- attacks: where, how many, whose ------------------------------------------------------------
@pytest.mark.parametrize("heeds", ["AAH", "KH"])
def test_each_militia_heeds_defences_as_far_as_it_does_itself(replay, heeds):
    """A site's weight in a militia's choice is ``target_weight × (1 − avoidance ×
    interception)`` with the militia's *own* ``defence_avoidance``: with the bases fully
    defended (interception 1), the militia that heeds defences fully (avoidance 1) never aims at
    them, the one that ignores them (avoidance 0) does, whichever of the two comes first."""
    other = "KH" if heeds == "AAH" else "AAH"
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 40,
                              "foreign_forces.sites[bases].interception": 1.0,
                              f"militias[{heeds}].defence_avoidance": 1.0,
                              f"militias[{other}].defence_avoidance": 0.0,
                              f"militias[{heeds}].attack_rate": 10.0,
                              f"militias[{other}].attack_rate": 10.0})
    for ev in _events(sc, range(1, 3)):
        attacks = ev[ev["action"] == "attack"]
        mine, theirs = attacks[attacks["actor"] == heeds], attacks[attacks["actor"] == other]
        assert len(mine) > 25 and len(theirs) > 25
        assert not (mine["target"] == "bases").any()
        assert (theirs["target"] == "bases").sum() >= 3


def test_an_attack_is_intercepted_with_the_sites_interception_chance(replay):
    """An attack on a site with interception 1 is always intercepted (and kills no one), one on
    a site with interception 0 never is, whatever the sites' lethality (here 0.9 and 0.0)."""
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 30, "militias[KH].attack_rate": 10.0,
                              "militias[KH].defence_avoidance": 0.0,
                              **{f"foreign_forces.sites[{s}].interception": 0.0
                                 for s in ("embassy", "airport", "convoys")},
                              **{f"foreign_forces.sites[{s}].lethality": 0.0
                                 for s in ("embassy", "airport", "convoys")},
                              "foreign_forces.sites[bases].interception": 1.0,
                              "foreign_forces.sites[bases].lethality": 0.9,
                              "foreign_forces.retaliation_probability": 0.0})
    for ev in _events(sc, range(1, 3)):
        attacks = ev[ev["action"] == "attack"]
        on_bases = attacks[attacks["target"] == "bases"]
        intercepted = ev[ev["action"] == "interception"]
        assert len(on_bases) > 5 and len(attacks) > len(on_bases) + 5
        assert sorted(intercepted["target"]) == ["bases"] * len(on_bases)
        assert (attacks["value"] == 0).all()


def test_a_scripted_defence_sets_the_sites_interception(replay):
    """A scripted ``deploy_defence`` sets the site's interception chance from its day: with
    every site at interception 1 from day 0 every attack is intercepted, on both paths (and
    the sites' target weights, hence where attacks go, are unchanged)."""
    events = [{"day": 0, "actor": "foreign_forces", "action": "deploy_defence", "target": s,
               "figures": {"interception": 1.0}}
              for s in ("bases", "embassy", "airport", "convoys")]
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 20, "militias[KH].attack_rate": 10.0,
                              "events": events})
    for ev in _events(sc, range(1, 3)):
        attacks = ev[ev["action"] == "attack"]
        assert len(attacks) > 20
        assert (ev["action"] == "interception").sum() == len(attacks)
        assert set(attacks["target"]) == {"bases", "embassy", "airport", "convoys"}


def test_a_militia_that_lost_fighters_attacks_in_proportion_to_those_left(replay):
    """``readiness = cohesion × fighters / initial fighters``: KH cut from 7,000 fighters to
    1,000 (a scripted set on day 0; losses recover over ten years) launches a seventh of the
    attacks it launches at full strength over 60 days (within 0.06 over three runs, under 30% in
    each; 0.12-0.18 in ten blocks of three seeds tried), on both paths; swapping the fighters now
    and at the start would make it seven times as many. Attacks kill no one and raise no
    escalation here, so nothing else (strikes, the patron's restraint) answers them."""
    base = {**NO_ATTACKS, **HARMLESS, "horizon_days": 60, "militias[KH].attack_rate": 10.0,
            "militias[KH].recovery_days": 3650.0, "escalation.per_attack": 0.0}
    cut = {"day": 0, "actor": "KH", "action": "set", "figures": {"militias[KH].fighters": 1000}}
    full, weak = _attacks_without_and_with(replay, base, cut)
    assert min(full) > 80
    assert all(w < 0.3 * f for w, f in zip(weak, full, strict=True)), (weak, full)
    assert sum(weak) / sum(full) == pytest.approx(1 / 7, abs=0.06), (weak, full)


def test_the_government_attributes_an_attack_to_its_attacker(replay):
    """Each attack on a foreign site is remembered against the militia that made it: two
    scripted AAH attacks on day 0 leave the government with 2 attacks seen by AAH and none by
    KH (the militia its raids would otherwise follow), on both paths."""
    attack = {"day": 0, "actor": "AAH", "action": "attack", "target": "convoys"}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 1, "events": [attack, attack]})
    agent, fast = _finals(sc, lambda model: [model.government.attacks_seen(n) for n in NAMES],
                          lambda w, m: [beliefs.remembered(v, 1 - int(d), ATTACK_MEMORY_DAYS)
                                        for v, d in zip(m[:, L.SEEN], m[:, L.SEEN_DAY],
                                                        strict=True)])
    for seen in (agent, fast):  # remembered on day 1: faded by one day
        assert seen == pytest.approx([0.0, 2.0 * (1.0 - 1.0 / ATTACK_MEMORY_DAYS), 0.0, 0.0],
                                     rel=1e-12)


# ---- the raid hazard ----------------------------------------------------------------------------
def test_attacks_seen_raise_the_raid_hazard_by_the_attack_response_only(replay):
    """``h = raid_rate × … × (1 + attack_response × A + pressure_response × P)``: with
    ``attack_response`` 0 many attacks (A ≈ 60 a month, none deadly: P = 0) leave a tiny raid
    rate tiny — no more than two raids in 60 days in each of three runs (at most one in 30
    seeds tried), where weighing the attacks by ``pressure_response`` (5) would bring several
    (3-13 in 30 seeds). With ``attack_response`` 5 they do bring them (two or more per run)."""
    def raids(attack_response: float) -> list[int]:
        sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 60,
                                  "government.raid_rate": 0.003,
                                  "government.attack_response": attack_response,
                                  "government.pressure_response": 5.0,
                                  "militias[AAH].attack_rate": 10.0, **HARMLESS})
        return [int((ev["action"] == "raid").sum()) for ev in _events(sc, range(1, 4))]

    assert all(n <= 2 for n in raids(0.0))
    assert all(n >= 2 for n in raids(5.0))


# ---- recovery toward each actor's own baseline --------------------------------------------------
def test_resolve_recovers_toward_its_own_baseline(replay):
    """Resolve recovers toward its starting value (0.9 here), not toward another baseline
    (authority's, 0.3): shocked to 0.5 on day 0 (a scripted set), after 6 time constants
    (recovery_days 10) it is within 0.01 of 0.9, on both paths."""
    shock = {"day": 0, "actor": "government", "action": "set",
             "figures": {"government.resolve": 0.5}}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 60, "events": [shock],
                              "government.authority": 0.3, "government.resolve": 0.9,
                              "government.recovery_days": 10.0})
    for resolve in _finals(sc, lambda model: model.government.resolve,
                           lambda w, m: w[L.RESOLVE]):
        assert resolve == pytest.approx(0.9, abs=0.01)


def test_a_militias_cohesion_recovers_toward_its_own_baseline(replay):
    """A militia's cohesion recovers toward its own starting value: AAH (0.85; KH's is 0.7),
    shocked to 0.5 on day 0, is within 0.01 of 0.85 after 6 time constants (recovery_days 10),
    on both paths; KH, not shocked, stays at 0.7."""
    shock = {"day": 0, "actor": "AAH", "action": "set", "figures": {"militias[AAH].cohesion": 0.5}}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 60, "events": [shock],
                              "militias[AAH].recovery_days": 10.0})
    assert (sc.militias[0].cohesion, sc.militias[1].cohesion) == (0.7, 0.85)
    for kh, aah in _finals(sc, lambda model: [m.cohesion for m in model.militias[:2]],
                           lambda w, m: list(m[:2, L.M_COHESION])):
        assert kh == 0.7
        assert aah == pytest.approx(0.85, abs=0.01)


# ---- forgetting: each actor over its own memory, every belief ---------------------------------
def test_militias_forget_over_their_own_memory(replay):
    """A drawdown on day 0 lowers every actor's belief in backing by one observation; militias
    with a 10-day memory are back at their prior means after 150 days (within 0.005), while the
    government, with a 10-year memory, still holds the lesson (its belief 0.02 or more below its
    prior), on both paths."""
    drawdown = {"day": 0, "actor": "foreign_forces", "action": "drawdown",
                "figures": {"troops": 100}}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 150, "events": [drawdown],
                              "government.belief_memory_days": 3650.0,
                              **{f"militias[{n}].belief_memory_days": 10.0 for n in NAMES}})
    priors = [m.prior_backing for m in sc.militias]
    for militias, government in _finals(
            sc, lambda model: ([m.backing_belief.mean for m in model.militias],
                               model.government.backing_belief.mean),
            lambda w, m: (list(m[:, L.MB_MEAN]), w[L.GB_MEAN])):
        assert militias == pytest.approx(priors, abs=0.005)
        assert government < sc.government.prior_backing - 0.02


def test_the_governments_belief_in_resistance_forgets_too(replay):
    """The government's belief that militias resist forgets toward its prior like its belief in
    backing: a raid on day 0 (KH musters or complies: either is a lesson, and a muster's public
    threats and fights add more) moves it; with a 5-day memory it is back within 0.005 of its
    prior mean (0.2) after 200 days, on both paths (without forgetting a single lesson leaves it
    0.04 or more away)."""
    raid = {"day": 0, "actor": "government", "action": "raid", "target": "KH",
            "figures": {"arrests": 14}}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 200, "events": [raid],
                              "government.prior_resistance": 0.2,
                              "government.prior_strength": 4.0,
                              "government.belief_memory_days": 5.0})
    for seed in (1, 2):
        for mean in _finals(sc, lambda model: model.government.resistance_belief.mean,
                            lambda w, m: w[L.GR_MEAN], seed):
            assert mean == pytest.approx(0.2, abs=0.005)


# ---- the patron: backlash and threats fade -----------------------------------------------------
def test_the_patrons_backlash_fades_at_its_adjustment_rate(replay):
    """A strike on a client adds ``strike_backlash`` (0.3) to the patron's backlash stock,
    which then fades by ``adjustment_rate`` (0.1) a day: 100 days later it is below 1e-3 and
    the patron's instigation is back within 0.01 of where it runs without the strike, on both
    paths."""
    strike = {"day": 0, "actor": "foreign_forces", "action": "strike", "target": "KH"}
    base = {**NO_ATTACKS, "horizon_days": 100, "patron.stability_priority": 0.0}
    struck = _finals(_scenario(replay, **base, events=[strike]),
                     lambda model: (model.patron.backlash, model.patron.instigation),
                     lambda w, m: (w[L.BACKLASH], w[L.INSTIGATION]))
    calm = _finals(_scenario(replay, **base),
                   lambda model: model.patron.instigation, lambda w, m: w[L.INSTIGATION])
    for (backlash, instigation), without in zip(struck, calm, strict=True):
        assert backlash < 1e-3
        assert instigation == pytest.approx(without, abs=0.01)


def test_an_announced_us_threat_fades_from_the_patrons_war_risk(replay):
    """``us_threat`` fades like the memory of strikes (τ = ``strike_memory_days``, 30): from
    0.5, after 150 days it is below 0.01, on both paths."""
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 150, "patron.us_threat": 0.5})
    for threat in _finals(sc, lambda model: model.patron.us_threat, lambda w, m: w[L.US_THREAT]):
        assert threat < 0.01


# ---- a standoff: the militia disperses on the real US stance -----------------------------------
def test_a_militia_disperses_on_the_real_us_stance_not_the_governments_belief(replay):
    """The militia sees the actual US stance (none here: backing 0) when it decides whether to
    disperse; the government's belief in backing (a prior of 0.95 or 0.05, worth 100
    observations) weighs only on the government's own choices, here certain to hold (resolve 1,
    sharp decisions, full coalition, no public threats). So the two runs' standoffs end alike, day by day, on both
    paths: only the government's view of each day (the 'standoff' events' values) differs."""
    raid = {"day": 0, "actor": "government", "action": "raid", "target": "KH",
            "figures": {"arrests": 14}}
    logs = []
    for prior in (0.95, 0.05):
        sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 25, "events": [raid],
                                  "foreign_forces.backing": 0.0,
                                  "government.enforcement_capacity": 150,
                                  "government.prior_backing": prior,
                                  "government.prior_strength": 100.0,
                                  "government.resolve": 1.0, "government.coalition_support": 1.0,
                                  "government.decision_sharpness": 100.0,
                                  "militias[KH].stake_reference": 0.0001,
                                  **{f"militias[{n}].threat_propensity": 0.0 for n in NAMES}})
        logs.append([ev[ev["action"] != "standoff"][["replication", "day", "action", "target",
                                                     "value"]].reset_index(drop=True)
                     for ev in _events(sc, range(1, 7))])
    for believes, doubts in zip(*logs, strict=True):
        assert (believes["action"] == "muster").sum() >= 4
        pd.testing.assert_frame_equal(believes, doubts)


# ---- staying power: a return only below the authorised level ----------------------------------
def test_a_force_at_its_authorised_level_has_nothing_to_redeploy(replay):
    """Only a force below its authorised level counts calm days toward a return: at it, with
    ``redeploy_after_days`` 5 and every day calm, 30 days bring no redeployment (no event, and
    no one's belief in backing rises); drawn down by 100 troops on day 0, it brings half the gap
    back (50) after 5 calm days (days 0-4), on both paths."""
    calm = {**NO_ATTACKS, "horizon_days": 30, "foreign_forces.expulsion_pressure": 0.0,
            "foreign_forces.redeploy_after_days": 5}
    drawdown = {"day": 0, "actor": "foreign_forces", "action": "drawdown",
                "figures": {"troops": 100}}
    for ev in _events(_scenario(replay, **calm), range(1, 3)):
        assert not (ev["action"] == "redeploy").any()
    for ev in _events(_scenario(replay, **calm, events=[drawdown]), range(1, 3)):
        first = ev[ev["action"] == "redeploy"].groupby("replication").first()
        assert first["day"].tolist() == [4, 4] and first["value"].tolist() == [50.0, 50.0]
    sc = _scenario(replay, **calm)
    priors = ([m.prior_backing for m in sc.militias], sc.government.prior_backing)
    for militias, government in _finals(
            sc, lambda model: ([m.backing_belief.mean for m in model.militias],
                               model.government.backing_belief.mean),
            lambda w, m: (list(m[:, L.MB_MEAN]), w[L.GB_MEAN])):
        assert militias == pytest.approx(priors[0], rel=1e-12)
        assert government == pytest.approx(priors[1], rel=1e-12)


# ---- escalation's decay ------------------------------------------------------------------------
def test_escalation_decays_at_its_decay_rate(replay):
    """With nothing happening, escalation falls by ``escalation.decay`` (0.2 here; the
    per-attack weight is 0.03) each day: from 0.5, after 10 days it is 0.5 × 0.8¹⁰, exactly, on
    both paths."""
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 10, "escalation.initial": 0.5,
                              "escalation.decay": 0.2, "escalation.per_attack": 0.03})
    for escalation in _finals(sc, lambda model: model.escalation, lambda w, m: w[L.ESC]):
        assert escalation == pytest.approx(0.5 * 0.8 ** 10, rel=1e-12)


# ---- militias: lost fighters come back over a year; the patron's push -------------------------
def test_lost_fighters_are_replaced_over_the_militias_recovery_days(replay):
    """A militia's losses fade with τ = its ``recovery_days`` (here 3,650), not another time
    constant (its ``disruption_recovery_days``, here 10): KH cut to 4,000 of 7,000 fighters on
    day 0 has 7,000 − round(3,000 × (1 − 1/3,650)⁶⁰) fighters after 60 days, on both paths."""
    cut = {"day": 0, "actor": "KH", "action": "set", "figures": {"militias[KH].fighters": 4000}}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 60, "events": [cut],
                              "militias[KH].recovery_days": 3650.0,
                              "militias[KH].disruption_recovery_days": 10.0})
    expected = 7000 - round(3000 * (1 - 1 / 3650) ** 60)
    assert expected < 4100
    for fighters in _finals(sc, lambda model: model.militia("KH").fighters,
                            lambda w, m: int(m[0, L.FIGHTERS]) - round(m[0, L.LOSSES])):
        assert fighters == expected


def test_the_patron_pushes_each_militia_in_proportion_to_its_share_of_the_top(replay):
    """``push_m = instigation × share_m / max share``: the best-supported militia (KH, 0.4)
    feels the full instigation, the others 0.25/0.4, 0.2/0.4 and 0.1/0.4 of it, on both paths
    (the fast path's push read on its final state)."""
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 5})
    shares = [m.patron_support_share for m in sc.militias]
    assert shares == [0.4, 0.25, 0.2, 0.1]
    agent, fast = _finals(
        sc, lambda model: ([m.push for m in model.militias], model.patron.instigation),
        lambda w, m: ([fastday.push(w, m, i) for i in range(len(NAMES))], w[L.INSTIGATION]))
    for pushes, instigation in (agent, fast):
        assert 0 < instigation <= 1
        assert pushes == pytest.approx([instigation * s / 0.4 for s in shares], rel=1e-12)


# ---- scripted events: a change of the patron's instigation; an operation's days ---------------
def test_a_scripted_instigation_moves_the_base_the_patron_drifts_to(replay):
    """A scripted ``set`` of ``patron.instigation`` sets the base its instigation drifts toward
    (at ``adjustment_rate`` a day), not today's level: 0.9 set on day 0 (the scenario's 0.6;
    no stability priority, no backlash) leaves it within 0.001 of 0.9 after 100 days, on both
    paths (set as today's level, it would drift back to 0.6)."""
    shock = {"day": 0, "actor": "patron", "action": "set", "figures": {"patron.instigation": 0.9}}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 100, "events": [shock],
                              "patron.stability_priority": 0.0})
    assert sc.patron.instigation == 0.6
    for instigation in _finals(sc, lambda model: model.patron.instigation,
                               lambda w, m: w[L.INSTIGATION]):
        assert instigation == pytest.approx(0.9, abs=0.001)


def test_an_operation_fights_for_exactly_its_days(replay):
    """An operation of 3 days opened on day 5 fights on days 6, 7 and 8 and ends on day 8 (its
    last day: the real contest decides), when nothing ends it sooner (no talks, a government
    certain to press on, a militia that holds its ground), on both paths."""
    op = {"day": 5, "actor": "government", "action": "operation", "target": "KH",
          "figures": {"troops": 6000, "days": 3}}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 15, "events": [op],
                              "patron.broker_threshold": 0.0, "patron.stability_priority": 0.0,
                              "government.resolve": 1.0, "government.coalition_support": 1.0,
                              "government.decision_sharpness": 100.0,
                              "militias[KH].hold_ground": 1.0, "foreign_forces.backing": 0.0})
    for ev in _events(sc, range(1, 4)):
        for _, run in ev.groupby("replication"):
            assert list(run.loc[run["action"] == "fighting", "day"]) == [6, 7, 8]
            assert list(run.loc[run["action"].isin(["hold_firm", "relent"]), "day"]) == [8]


# ---- custody: a case's release day --------------------------------------------------------------
def test_a_case_goes_free_on_the_first_whole_day_after_its_delay(replay):
    """A case's delay is rounded up to whole days (``max(1, ⌈delay⌉)``): with a median of 2.5
    days and no spread, the detainees a relent hands over (all six: no negotiating leverage) go
    free 3 days after the relent, not 2, on both paths."""
    raid = {"day": 0, "actor": "government", "action": "raid", "target": "KH",
            "figures": {"arrests": 6}}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 10, "events": [raid],
                              "government.release_delay_days": 2.5,
                              "government.release_delay_spread": 0.0, **FULL_RELENT})
    for ev in _events(sc, range(1, 5)):
        relents = ev[(ev["action"] == "relent")]
        releases = ev[(ev["action"] == "release")]
        assert len(relents) >= 3
        assert list(zip(releases["replication"], releases["day"], releases["value"],
                        strict=True)) == [(r, d + 3, 6.0) for r, d in zip(
                            relents["replication"], relents["day"], strict=True)]
