"""Wiring, twenty-fourth audit, second part (scripts/mutation_check.py, the mutations named
``t24_*``): links between actors — whose belief a decision reads, who learns from what, whose
lesson a confrontation teaches, what a memory, a cap or a custody count is applied to. Of the
part's 14 hand-made bugs the model tests killed 7; these tests kill the seven that survived:
the government weighing a standoff on the militia's belief in US backing, an ally joining a
muster on the patron's whole instigation, a militia's belief in the government's resolve never
forgetting, the US's hidden choice drawn on the backing lever alone, the government's memory of
a militia's attacks losing its fading at each new attack, the push's top share taken from the
base shares, and a negotiated transfer drawing the detainees kept from all those detained (a
pending case's too). Three more check directly what the model tests caught only through a
ceasefire's cost, a clash's shifts or the invariants' sweep: what a relent costs, resolve kept
within [0, 1], and whose lesson a relent teaches.

Each model-level test runs on both engines (the agent path first), on the June 2020 replay with
everything quiet but what it sets (the fifth audit's :func:`_scenario`), and states its margins.
docs/model.md gives the rules."""

from __future__ import annotations

import numpy as np
import pytest

from leverage_sim.simulation.fastpath import day as fastday
from leverage_sim.simulation.fastpath import layout as L

from . import test_wiring_twentythird_audit as twentythird
from .test_wiring_fifteenth_audit import _logs
from .test_wiring_fifth_audit import (
    FULL_RELENT,
    NAMES,
    NO_ATTACKS,
    NO_THREATS,
    _finals,
    _scenario,
    agent_run,
    fast_run,
)
from .test_wiring_seventh_audit import _raid

STANDING_MUSTER = {**twentythird.STANDING_MUSTER, "foreign_forces.backing": 0.0}
"""The twenty-third audit's standing muster (KH musters against a raid of 14 on day 0 and the
government holds it for days), the US never stepping in."""
RELENT = {**NO_ATTACKS, **NO_THREATS, **FULL_RELENT, "events": [_raid()]}
"""KH musters against a raid of 14 on day 0; the government relents on day 1, keeping none."""


# ---- a standoff: whose belief the government weighs ---------------------------------------------
def test_the_government_weighs_a_standoff_on_its_own_belief_in_backing(replay):
    """:data:`STANDING_MUSTER` for three days: the government's believed contest on the days
    it holds (the value of its day-1 and day-2 ``standoff`` events) is the same whatever KH
    believes of US backing (its prior 0.05 or 0.95), and rises with the government's own
    prior (0.35 → 0.9: by more than 0.1), seeds 1-2 on both engines."""
    def believed(government: float, kh: float) -> list[list[float]]:
        sc = _scenario(replay, **{**STANDING_MUSTER, "horizon_days": 3,
                                  "government.prior_backing": government,
                                  "militias[KH].prior_backing": kh})
        return [[r[5] for r in rows if r[2] == "standoff" and r[0] > 0]
                for _, _, rows in _logs(sc, range(1, 3))]

    low, high, hopeful = believed(0.35, 0.05), believed(0.35, 0.95), believed(0.9, 0.05)
    assert all(len(run) == 2 for run in low)
    assert high == low
    for a, b in zip(low, hopeful, strict=True):
        assert min(np.subtract(b, a)) > 0.1


# ---- intimidation: an ally joins on its own push ------------------------------------------------
def test_an_ally_the_patron_does_not_support_never_joins_a_muster(replay):
    """:data:`STANDING_MUSTER` for ten days, AAH and Nujaba each with solidarity 1 (KSS 0):
    AAH, given no share of the patron's support (push 0), never joins KH's muster, while
    Nujaba, given 0.5 (its push about 0.55 a day), joins on every seed, seeds 1-4 on both
    engines."""
    sc = _scenario(replay, **{**STANDING_MUSTER, "horizon_days": 10,
                              "militias[AAH].patron_support_share": 0.0,
                              "militias[Nujaba].patron_support_share": 0.5,
                              "militias[AAH].solidarity": 1.0,
                              "militias[Nujaba].solidarity": 1.0, "militias[KSS].solidarity": 0.0})
    for _, _, rows in _logs(sc, range(1, 5)):
        joined = [r[1] for r in rows if r[2] == "muster" and r[1] != "KH"]
        assert joined == ["Nujaba"]


# ---- what a confrontation's end teaches and costs -----------------------------------------------
def test_a_relent_costs_the_relent_cost_and_keeps_resolve_within_its_range(replay):
    """:data:`RELENT` (a government of resolve 0) to day 2: authority ends at 0.5 − 0.12
    (``relent_authority_cost``, not ``win_authority_gain`` 0.08) and resolve at 0, not below
    (its shift −0.06 clamped), seeds 1-2 on both engines."""
    sc = _scenario(replay, **{**RELENT, "horizon_days": 2})
    assert sc.government.relent_authority_cost == 0.12
    assert sc.government.win_authority_gain == 0.08
    for seed in (1, 2):
        for authority, resolve in _finals(
                sc, lambda model: (model.government.authority, model.government.resolve),
                lambda w, m: (w[L.AUTHORITY], w[L.RESOLVE]), seed=seed):
            assert authority == pytest.approx(0.38, abs=1e-12)
            assert resolve == 0.0


def test_a_resolute_governments_win_keeps_its_resolve_at_one(replay):
    """A government of resolve 1 whose raid on KH ends in KH dispersing (a US stepping in with
    overwhelming air support): resolve stays at 1 after the win's +0.04, seeds 1-2 on both
    engines."""
    sc = _scenario(replay, **{**STANDING_MUSTER, "horizon_days": 4,
                              "foreign_forces.backing": 1.0,
                              "foreign_forces.air_support": 50000.0})
    for seed in (1, 2):
        for _, _, rows in _logs(sc, range(seed, seed + 1)):
            assert [r[2] for r in rows if r[2] in ("hold_firm", "relent")] == ["hold_firm"]
        for resolve in _finals(sc, lambda model: model.government.resolve,
                               lambda w, m: w[L.RESOLVE], seed=seed):
            assert resolve == 1.0


def test_a_relent_to_a_militia_emboldens_that_militia_most(replay):
    """A raid of 14 on AAH (not the first militia) ending in a full relent on day 1: AAH's
    autonomy rises by about 0.08 and its morale by about 0.5 (the central militia's lesson),
    KH's by about 0.02 and 0.25 (the others'), each read at day 2 after one day's recovery
    (margins 0.005 and 0.05), seeds 1-2 on both engines."""
    sc = _scenario(replay, **{**RELENT, "horizon_days": 2, "militias[AAH].stake_reference": 0.0001,
                              "events": [_raid("AAH")]})
    base = [m.autonomy for m in sc.militias]
    for seed in (1, 2):
        for autonomy, morale in _finals(
                sc, lambda model: ([m.autonomy for m in model.militias],
                                   [m.morale for m in model.militias]),
                lambda w, m: (list(m[:, L.M_AUTONOMY]), list(m[:, L.MORALE])), seed=seed):
            shift = np.subtract(autonomy, base)
            assert shift[1] == pytest.approx(0.08, abs=0.005)  # AAH, at the centre
            assert shift[0] == pytest.approx(0.02, abs=0.005)  # KH, one of the others
            assert morale[1] == pytest.approx(0.5, abs=0.05)
            assert morale[0] == pytest.approx(0.25, abs=0.05)


# ---- beliefs: a militia forgets what a relent taught it -----------------------------------------
def test_a_militias_belief_in_the_governments_resolve_forgets_a_relent(replay):
    """:data:`RELENT`, militias with a 10-day memory: the relent lowers every militia's belief
    in the government's resolve (0.6 → 0.48), and after 150 days each is back at its prior
    within 0.002, seeds 1-2 on both engines."""
    sc = _scenario(replay, **{**RELENT, "horizon_days": 150,
                              **{f"militias[{n}].belief_memory_days": 10.0 for n in NAMES}})
    priors = [m.prior_government_resolve for m in sc.militias]
    assert priors == [0.6] * 4
    early = _scenario(replay, **{**RELENT, "horizon_days": 2})
    for seed in (1, 2):
        for beliefs in _finals(early, lambda model: [m.resolve_belief.mean
                                                     for m in model.militias],
                               lambda w, m: list(m[:, L.MR_MEAN]), seed=seed):
            assert max(beliefs) < 0.5
        for beliefs in _finals(sc, lambda model: [m.resolve_belief.mean for m in model.militias],
                               lambda w, m: list(m[:, L.MR_MEAN]), seed=seed):
            assert beliefs == pytest.approx(priors, abs=0.002)


# ---- the US's hidden choice ---------------------------------------------------------------------
def test_the_us_chooses_to_step_in_on_its_own_calculus(replay):
    """A raid of 14 on KH that it musters against, backing 0.5, backing_sensitivity 10, no
    expulsion pressure: behind a PM of authority 1 the US steps in (p = σ(5) ≈ 0.993) on at
    least 9 of seeds 1-10, behind one of authority 0 (p ≈ 0.007) on at most 1, on both
    engines (the lever alone would give about half in both)."""
    def steps_in(authority: float) -> list[int]:
        sc = _scenario(replay, **{**STANDING_MUSTER, "horizon_days": 1,
                                  "foreign_forces.backing": 0.5,
                                  "foreign_forces.backing_sensitivity": 10.0,
                                  "foreign_forces.expulsion_pressure": 0.0,
                                  "government.authority": authority})
        counts = {"agent": 0, "fast": 0}
        for engine, _, rows in _logs(sc, range(1, 11)):
            assert [r[2] for r in rows if r[2] == "standoff"] == ["standoff"]
            counts[engine] += sum(r[2] == "backing" for r in rows)
        return list(counts.values())

    assert min(steps_in(1.0)) >= 9
    assert max(steps_in(0.0)) <= 1


# ---- enforcement: what the government remembers of each militia's attacks ----------------------
def test_the_governments_memory_of_a_militias_attacks_fades_between_attacks(replay):
    """Two scripted, harmless KH attacks on days 0 and 30, read on day 61: the government
    remembers r^61 + r^31 of them (r = 1 − 1/30: each attack faded from its own day), not
    2 × r^31 (the first one's fading forgotten at the second), seed 1 on both engines."""
    attack = {"day": 0, "actor": "KH", "action": "attack", "target": "convoys"}
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 61,
                              "foreign_forces.sites[convoys].lethality": 0.0,
                              "events": [attack, {**attack, "day": 30}]})
    r = 1.0 - 1.0 / 30.0
    expected = r ** 61 + r ** 31
    model = agent_run(sc, 1)
    assert model.day == 61
    assert model.government.attacks_seen("KH") == pytest.approx(expected, rel=1e-9)
    _, m, _ = fast_run(sc, 1)
    assert fastday.attacks_seen(m, 0, 61) == pytest.approx(expected, rel=1e-9)


# ---- the patron: push follows today's instigation and the re-allocated shares --------------------
def test_a_pressed_clients_push_is_the_patrons_whole_instigation(replay):
    """A raid of 14 on KH on day 0 (a quarter of its attack cells disrupted) that it complies
    with: the patron re-allocates support toward KH (its share above its base 0.4) and the
    raid's backlash lifts instigation above its base 0.6 (a patron with no stability priority:
    nothing holds it back); KH, now the best supported, feels today's instigation in full
    (push = instigation, not more: the top share is the largest re-allocated one), the others
    less, seeds 1-2 on both engines."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 2,
                              "patron.stability_priority": 0.0,
                              "militias[KH].stake_reference": 1.0, "events": [_raid()]})
    for seed in (1, 2):
        for _, _, rows in _logs(sc, range(seed, seed + 1)):
            assert [r[2] for r in rows if r[1] == "KH"] == ["comply"]
        for pushes, instigation, share in _finals(
                sc, lambda model: ([m.push for m in model.militias], model.patron.instigation,
                                   model.patron.shares["KH"]),
                lambda w, m: ([fastday.push(w, m, i) for i in range(4)], w[L.INSTIGATION],
                              m[0, L.SHARE]), seed=seed):
            assert share > 0.44
            assert instigation > 0.605
            assert pushes[0] == pytest.approx(instigation, rel=1e-12)
            assert max(pushes[1:]) < instigation


# ---- custody: what a negotiated transfer keeps ---------------------------------------------------
def test_a_negotiation_keeps_only_from_the_detainees_in_custody(replay):
    """A raid of 14 on KH ends in a full relent on day 1 (its case pending 20 days); after a
    set of negotiating leverage to 1, a raid of 4 on day 3 ends in a relent on day 4 that keeps
    Binomial(4, p) of them, p the believed win chance (~0.3): it hands over 2 or more of the 4
    on average over seeds 1-12 (about 2.8 expected; drawing from all 18 detained, the case's
    14 too, would keep nearly all 4), on both engines."""
    leverage = {"day": 2, "actor": "government", "action": "set",
                "figures": {"government.negotiation_leverage": 1.0}}
    sc = _scenario(replay, **{**RELENT, "horizon_days": 5,
                              "government.release_delay_days": 20.0,
                              "government.release_delay_spread": 0.0,
                              "events": [_raid(), leverage, _raid(day=3, arrests=4)]})
    handed = {"agent": [], "fast": []}
    for engine, _, rows in _logs(sc, range(1, 13)):
        relents = [(r[0], r[5]) for r in rows if r[2] == "relent"]
        assert [d for d, _ in relents] == [1, 4]
        assert relents[0][1] == 14.0
        handed[engine].append(relents[1][1])
    assert handed["agent"] == handed["fast"]
    assert np.mean(handed["agent"]) >= 2.0
