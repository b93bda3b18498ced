"""Wiring, fifteenth audit (scripts/mutation_check.py, the mutations under "fifteenth audit":
a fight's days (escalation, the tallies of the dead, desertion, the patron's talks, a ceasefire
on the militia's terms, the detainees of a lost clash), what a confrontation's end teaches and
costs, the foreign force's retaliation, drawdown and expulsion pressure after the vote; four of
them slips in the fast path alone).

Pure mechanisms, checked against their documented formulas at points where a realistic slip
shows: resolve moves by half the authority step (a comply's half win half as much as a win),
and a win seen backed by US forces deters twice as much but a loss emboldens as any loss;
retaliation's chance rises with the casualties beyond the threshold; a drawdown takes the share
rounded to the nearest (docs/model.md's 5,200 → 3,120 → 1,872 → 1,123); after parliament's
vote expulsion pressure's excess over the floor decays (0.5% a day), not the pressure itself.

A fight, on both engines: each day of fighting raises escalation by ``per_clash`` (not
``per_muster``); the fight's tally of the government's dead is the troops it lost, and the
tallies together are the fighting events' dead; desertion reads the real contest after the
day's losses (agent path: the mutation's fast-path mirror changes with it). A brokered fight
the government is losing (a small force against KH, the patron brokering out of war risk): the
ceasefire takes hold ``talks_days`` after the talks open (not ``truce_days``), and on the
militia's terms it is a lost clash costing 1.5 × ``relent_authority_cost`` (the last day's rule,
docs/model.md section 7, steps 4 and 7). A standoff's muster that turns into a clash the
government loses: the relent hands the detainees over, as any relent does (only an operation has
none at stake).

The engines agree (what catches a slip in the fast path alone) on: a fight where the militia's
own losses decide whether it leaves the streets (its dead over its fighters at the start, not
over the government's troops), a fight that runs to its last day, a fight where the patron's
brokering turns on its client's chance (winning, it lets it fight), and operations the militia
meets with a stand-down weighed by its belief that the government presses on (not the
government's belief that militias resist)."""

from __future__ import annotations

import pytest

import leverage_sim as ls
from leverage_sim.simulation import fastpath, standoffs
from leverage_sim.simulation.fastpath import layout as L
from leverage_sim.simulation.mechanisms import beliefs, retaliation, withdrawal
from leverage_sim.simulation.mechanisms import operation as op
from leverage_sim.simulation.mechanisms import standoff as mech
from leverage_sim.simulation.model import LeverageModel
from leverage_sim.simulation.runner import release, simulate

from .test_fast_path import differences
from .test_wiring_fifth_audit import (
    CERTAIN_TO_HOLD,
    FULL_RELENT,
    HARMLESS,
    NAMES,
    NO_ATTACKS,
    NO_THREATS,
    _finals,
    _scenario,
    agent_run,
    fast_run,
)
from .test_wiring_fourteenth_audit import ENGINES, _operation
from .test_wiring_fourth_audit import NO_BROKER
from .test_wiring_seventh_audit import _raid


def _logs(sc: ls.Scenario, seeds: range):
    """Each run's event rows (day, actor, action, target, detail, value) over ``seeds``, the
    agent path's runs first (a generator: a failed check on the agent path ends the test before
    the fast path runs)."""
    for engine in ENGINES:
        for seed in seeds:
            run = (simulate(sc, seed, collect_data=False) if engine == "agent"
                   else fastpath.simulate(sc, seed))
            yield engine, run, list(run.log.rows)
            release(run)


# ---- mechanisms ---------------------------------------------------------------------------------
def test_resolve_moves_by_half_the_authority_step():
    """(authority, resolve, ...) = (±step, ±step × RESOLVE_SHIFT (½), ...): a win of 0.1 raises
    resolve 0.05, a comply's half win (0.05) 0.025, a lost clash's 0.18 lowers it 0.09."""
    assert beliefs.RESOLVE_SHIFT == 0.5
    assert beliefs.standoff_outcome_shifts(True, 0.1)[:2] == pytest.approx((0.1, 0.05))
    assert beliefs.standoff_outcome_shifts(True, 0.05)[:2] == pytest.approx((0.05, 0.025))
    assert beliefs.standoff_outcome_shifts(False, 0.18)[:2] == pytest.approx((-0.18, -0.09))


def test_a_loss_the_us_stepped_into_emboldens_as_any_loss():
    """Morale shifts (centre, others): a win seen backed by US forces deters twice as much as a
    win without; a loss emboldens as much whether or not the US had stepped in."""
    won, won_seen = beliefs.standoff_outcome_shifts(True, 0.1), \
        beliefs.standoff_outcome_shifts(True, 0.1, True)
    lost, lost_seen = beliefs.standoff_outcome_shifts(False, 0.1), \
        beliefs.standoff_outcome_shifts(False, 0.1, True)
    assert won[5] < 0 and won[6] < 0 and lost[5] > 0 and lost[6] > 0
    assert won_seen[5:] == pytest.approx((2 * won[5], 2 * won[6]))
    assert lost_seen == pytest.approx(lost)


def test_retaliation_rises_with_the_casualties_beyond_the_threshold():
    """min(1, p × (1 + (c − threshold)/2) × (1 − restraint × (esc + expulsion)/2)): at the
    threshold the chance is p whatever the threshold (3 of 3: 0.2); two beyond it, 2p."""
    assert retaliation.retaliation_chance(3, 3, 0.2, 0.0, 0.0, 0.0) == pytest.approx(0.2)
    assert retaliation.retaliation_chance(1, 1, 0.2, 0.0, 0.0, 0.0) == pytest.approx(0.2)
    assert retaliation.retaliation_chance(5, 3, 0.2, 0.0, 0.0, 0.0) == pytest.approx(0.4)
    assert retaliation.retaliation_chance(5, 3, 0.2, 0.4, 0.2, 0.5) == pytest.approx(0.4 * 0.85)


def test_a_drawdown_takes_the_share_rounded_to_the_nearest():
    """docs/model.md's sequence at drawdown_share 0.4, floor 1,000: 5,200 → 3,120 → 1,872 →
    1,123 (1,872 × 0.4 = 748.8: 749 leave) → 1,000 (the floor)."""
    presence, seen = 5200, [5200]
    while presence > 1000:
        presence -= withdrawal.drawdown_size(presence, 0.4, 1000)
        seen.append(presence)
    assert seen == [5200, 3120, 1872, 1123, 1000]
    assert withdrawal.drawdown_decision(1872, 0.4, 1000, True, 7.0, 6.0, False) == \
        (749, True, False)


def test_after_the_vote_the_excess_over_the_floor_decays():
    """After the vote pressure decays toward the floor: floor + (pressure − floor) × (1 −
    0.005); before it, toward 0: pressure × (1 − 0.005); never below the floor after it."""
    d = withdrawal.EXPULSION_PRESSURE_DECAY
    assert d == 0.005
    assert withdrawal.decay_expulsion(0.9, True, 0.3) == pytest.approx(0.3 + 0.6 * (1 - d))
    assert withdrawal.decay_expulsion(0.9, False, 0.3) == pytest.approx(0.9 * (1 - d))
    assert withdrawal.decay_expulsion(0.2, True, 0.3) == pytest.approx(0.3)
    p = 0.5
    for _ in range(100):
        p = withdrawal.decay_expulsion(p, True, 0.3)
    assert p == pytest.approx(0.3 + 0.2 * (1 - d) ** 100)


# ---- a fight ------------------------------------------------------------------------------------
FIGHT = {**NO_ATTACKS, **NO_THREATS, **NO_BROKER, **CERTAIN_TO_HOLD, "horizon_days": 6,
         "foreign_forces.backing": 0.0,
         "militias[KH].prior_government_resolve": 0.0, "militias[KH].hold_ground": 1.0,
         "government.desertion_rate": 0.0, "government.prior_resistance": 1.0}
"""A fight against KH that runs to its last day: the government presses on whatever it believes
and engages all its troops (it is sure KH resists),
KH never stands down (it expects a halt) nor leaves (hold_ground 1), the US never steps in, the
patron brings no ceasefire within it."""


def test_each_day_of_fighting_raises_escalation_by_the_clash_weight(replay):
    """Escalation without decay (decay 0), from 0.1, per_clash 0.05, per_muster 0.2: a
    three-day operation (fighting on days 1-3, nothing else raising it) leaves it at 0.1 + 3 ×
    0.05 = 0.25 on both engines, seeds 1-2."""
    sc = _scenario(replay, **{**FIGHT, "events": [_operation(2000, 3)],
                              "government.combat_lethality": 0.0,
                              "militias[KH].combat_lethality": 0.0,
                              "escalation.initial": 0.1, "escalation.decay": 0.0,
                              "escalation.per_clash": 0.05, "escalation.per_muster": 0.2})
    for seed in (1, 2):
        model = agent_run(sc, seed)
        assert sum(r[2] == "fighting" for r in model.log.rows) == 3
        assert model.escalation == pytest.approx(0.25)
        w, _, _ = fast_run(sc, seed)
        assert w[L.ESC] == pytest.approx(0.25)


def test_the_fights_tallies_are_each_sides_own_dead(replay):
    """Both sides kill (the government's lethality 0.05, KH's 0.01: the sides' daily dead
    differ several-fold), no desertion: at the end the tally of the government's dead is the
    troops it lost (troops at the start − troops left), and the two tallies sum to the fighting
    events' dead — on both engines, seeds 1-3."""
    sc = _scenario(replay, **{**FIGHT, "events": [_operation(20000, 4)],
                              "government.combat_lethality": 0.05,
                              "militias[KH].combat_lethality": 0.01})
    for seed in (1, 2, 3):
        model = agent_run(sc, seed)
        (s,) = model.standoffs
        dead = sum(r[5] for r in model.log.rows if r[2] == "fighting")
        assert s.government_killed == s.troops_start - s.troops > 0
        assert s.government_killed + s.militia_killed == dead
        assert s.militia_killed > 2 * s.government_killed
        _, _, so = fast_run(sc, seed)
        (row,) = so
        assert row[L.S_GOV_KILLED] == row[L.S_TROOPS_START] - row[L.S_TROOPS] > 0
        assert row[L.S_GOV_KILLED] + row[L.S_MIL_KILLED] == dead
        assert row[L.S_MIL_KILLED] == s.militia_killed


def test_desertion_reads_the_contest_after_the_days_losses(replay, monkeypatch):
    """KH kills heavily (lethality 0.5: ~2,450 of the 20,000 a day), the government kills none:
    each day desertion is given the real contest ratio of the fight as it stands after the
    day's losses (the troops left against KH), lower than the morning's by more than 0.01
    (agent path: the mutation's fast-path mirror changes with it)."""
    sc = _scenario(replay, **{**FIGHT, "events": [_operation(20000, 3)],
                              "government.combat_lethality": 0.0,
                              "militias[KH].combat_lethality": 0.5})
    for seed in (1, 2):
        seen = _desertion_contests(sc, seed, monkeypatch)
        assert len(seen) == 3
        for given, now, before in seen:
            assert given == pytest.approx(now)
            assert before - now > 0.01


def _desertion_contests(sc: ls.Scenario, seed: int, monkeypatch) -> list[tuple[float, ...]]:
    """Each fight day's (contest ratio desertion is given, the fight's real contest ratio at
    that moment, the morning's before the day's losses) in a run of ``sc`` on the agent path."""
    seen: list[tuple[float, ...]] = []
    mornings: list[float] = []
    share, fight_day = op.desertion_share, standoffs.fight_day
    model = LeverageModel(sc, seed, collect_data=False)

    def morning(model_, s):
        mornings.append(mech.contest_ratio(*standoffs.fight_strengths(
            model_, s, 0.0, standoffs.engaged(model_, s))))
        return fight_day(model_, s)

    def record(rate, cohesion, win_chance, loss_share):
        (s,) = model.standoffs
        now = mech.contest_ratio(*standoffs.fight_strengths(
            model, s, 0.0, standoffs.engaged(model, s)))
        seen.append((win_chance, now, mornings[-1]))
        return share(rate, cohesion, win_chance, loss_share)

    with monkeypatch.context() as patch:
        patch.setattr(standoffs, "fight_day", morning)
        patch.setattr(standoffs.op, "desertion_share", record)
        while model.running and model.day < sc.horizon_days:
            model.step()
    return seen


# ---- a brokered fight the government is losing --------------------------------------------------
def losing_brokered_fight(replay, talks_days: int, truce_days: int = 60):
    """An operation of 500 troops against KH for 10 days (of a 14-day run): the government far
    weaker (its chance ~0.1) but pressing on whatever it believes, KH never standing down nor
    leaving, nobody killed, the US never stepping in, and the patron brokering out of war risk
    (escalation 0.2 over a threshold of 0, stability_priority 0.3) with talks of
    ``talks_days`` days."""
    return _scenario(replay, **{**FIGHT, "horizon_days": 14, "events": [_operation(500, 10)],
                                "government.combat_lethality": 0.0,
                                "militias[KH].combat_lethality": 0.0,
                                "escalation.initial": 0.2, "patron.escalation_threshold": 0.0,
                                "patron.stability_priority": 0.3,
                                "patron.broker_threshold": 0.0,
                                "patron.talks_days": talks_days,
                                "patron.truce_days": truce_days})


def test_a_ceasefire_takes_hold_talks_days_after_the_talks_open(replay):
    """Talks of 2 days, truce_days 7: in each run, talks opened by day 8 are followed by the
    ceasefire exactly 2 days later (the fight lasts to day 10), on both engines, seeds 1-4;
    over them, ceasefires on each engine."""
    sc = losing_brokered_fight(replay, 2, truce_days=7)
    ceasefires = dict.fromkeys(ENGINES, 0)
    for engine, _, rows in _logs(sc, range(1, 5)):
        talks = [r[0] for r in rows if r[2] == "talks"]
        held = [r[0] for r in rows if r[2] == "ceasefire"]
        assert len(talks) <= 1 and len(held) <= len(talks)
        if talks and talks[0] <= 8:
            assert held == [talks[0] + 2], rows
        ceasefires[engine] += len(held)
    assert all(ceasefires.values()), ceasefires


def test_a_ceasefire_on_the_militias_terms_is_a_lost_clash(replay, monkeypatch):
    """Talks of 1 day in a fight the government is losing (its chance ~0.1): the ceasefire's
    terms are KH's — the government relents, the confrontation closes as a lost clash (the last
    day's rule when the militia is ahead) on both engines, seeds 1-4, and on the agent path
    the government's authority step is 1.5 × relent_authority_cost."""
    sc = losing_brokered_fight(replay, 1)
    steps: list[tuple[bool, float]] = []
    shifts = LeverageModel.end_standoff_shifts

    def record(self, militia, *, government_won, authority_step, us_seen=False):
        steps.append((government_won, authority_step))
        return shifts(self, militia, government_won=government_won,
                      authority_step=authority_step, us_seen=us_seen)

    monkeypatch.setattr(LeverageModel, "end_standoff_shifts", record)
    found = dict.fromkeys(ENGINES, 0)
    for engine, run, rows in _logs(sc, range(1, 5)):
        if not any(r[2] == "ceasefire" for r in rows):
            continue
        found[engine] += 1
        (s,) = run.standoffs
        assert s.outcome == "clash_lost"
        assert [r[2] for r in rows if r[2] in ("relent", "hold_firm")] == ["relent"]
    assert all(found.values()), found
    cost = sc.government.relent_authority_cost
    assert steps and all(not won and step == pytest.approx(1.5 * cost) for won, step in steps)


def test_a_lost_clash_hands_the_detainees_over(replay):
    """A raid of 14 arrests on KH; KH musters (its stake weighs heavily) and the muster turns
    into a clash (clash_propensity 1, the patron's push 1) against a government that holds but
    commits a sliver of its capacity (committed_share 0.01); KH kills every soldier on the
    first day of fighting (lethality 1): the government loses the clash and relents, handing
    the 14 detainees over (the relent's value), on both engines, seeds 1-3."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, **NO_BROKER, **CERTAIN_TO_HOLD,
                              "horizon_days": 8, "events": [_raid()],
                              "foreign_forces.backing": 0.0,
                              "government.committed_share": 0.01,
                              "patron.instigation": 1.0,
                              "militias[KH].stake_reference": 0.0001,
                              "militias[KH].clash_propensity": 1.0,
                              "militias[KH].combat_lethality": 1.0})
    for _, run, rows in _logs(sc, range(1, 4)):
        assert any(r[2] == "clash" for r in rows), rows
        (s,) = run.standoffs
        assert s.outcome == "clash_lost"
        assert [r[5] for r in rows if r[2] == "relent"] == [14]


# ---- beliefs in backing and retaliation; custody ------------------------------------------------
def test_a_fight_the_us_stays_out_of_lowers_beliefs_in_backing(replay):
    """A three-day operation against KH, the US never stepping in (backing 0): each day of
    fighting is a silent day (½ observation against, in every actor's belief), so after it the
    government's and each militia's belief in backing are below their priors by more than
    0.02, on both engines (seeds 1-2); nothing else in the run moves them."""
    sc = _scenario(replay, **{**FIGHT, "events": [_operation(2000, 3)],
                              "government.combat_lethality": 0.0,
                              "militias[KH].combat_lethality": 0.0})
    priors = [sc.government.prior_backing, *(m.prior_backing for m in sc.militias)]
    for seed in (1, 2):
        agent, fast = _finals(
            sc, lambda model: [model.government.backing_belief.mean,
                               *(m.backing_belief.mean for m in model.militias)],
            lambda w, m: [w[L.GB_MEAN], *m[:, L.MB_MEAN]], seed)
        for means in (agent, fast):
            assert all(mean < prior - 0.02 for mean, prior in zip(means, priors, strict=True)), \
                (means, priors)


def test_harmless_attacks_teach_nothing_about_retaliation(replay):
    """Attacks that kill nobody (every site's lethality 0) are below the retaliation threshold:
    no decision, nothing for the militias to learn — after 120 days of them each militia's
    belief that deadly attacks bring strikes is still its prior, on both engines (seed 1),
    with attacks made."""
    sc = _scenario(replay, **{**HARMLESS, **NO_THREATS, "horizon_days": 120})
    priors = [m.prior_retaliation for m in sc.militias]
    agent, fast = _finals(
        sc, lambda model: ([m.retaliation_belief.mean for m in model.militias],
                           sum(r[2] == "attack" for r in model.log.rows)),
        lambda w, m: (list(m[:, L.MT_MEAN]), w[L.CASUALTIES]))
    assert agent[1] > 5 and fast[1] == 0
    for means in (agent[0], fast[0]):
        assert means == pytest.approx(priors, abs=1e-9)


def test_detainees_kept_in_a_negotiated_transfer_stay_in_custody(replay):
    """A raid of 14 arrests on KH; the government relents at once but negotiates (leverage 1:
    it keeps some); the transferred case is not released within the run (median delay 200
    days, no spread). KH's detained are the kept ones still in custody plus the transferred
    ones, on both engines, seeds 1-3; over them some were kept."""
    sc = _scenario(replay, **{**NO_ATTACKS, **FULL_RELENT, "horizon_days": 6, "events": [_raid()],
                              "government.negotiation_leverage": 1.0,
                              "government.release_delay_days": 200.0,
                              "government.release_delay_spread": 0.0})
    kept = 0
    for seed in (1, 2, 3):
        agent, fast = _finals(
            sc, lambda model: (model.militia("KH").detained,
                               model.government.custody.get("KH", 0),
                               model.government.transferred.get("KH", 0)),
            lambda w, m: (m[0, L.DETAINED], m[0, L.CUSTODY], m[0, L.TRANSFERRED]), seed)
        for detained, custody, transferred in (agent, fast):
            assert detained == 14 and transferred < 14
            assert custody + transferred == detained
        assert fast == pytest.approx(agent)
        kept += agent[1]
    assert kept > 0


# ---- the engines agree (slips in the fast path alone) -------------------------------------------
def test_the_engines_agree_when_the_militias_losses_decide_its_leaving(replay):
    """The government kills heavily (lethality 0.02: ~300 of KH's 7,000 a day against a force of
    20,000) and KH's hold_ground is set from the model's state so that its losses share over
    its fighters at the start decides whether it leaves (a coin flip after a day of losses at
    sharpness 6, on the first day and after): the two engines log the same events, seeds 1-6,
    with the militia leaving on the first day in some runs and later in others. The government
    is sure KH resists, so all its troops engage."""
    base = {**NO_ATTACKS, **NO_THREATS, **NO_BROKER, "horizon_days": 8,
            "events": [_operation(20000, 5)], "foreign_forces.backing": 0.0,
            "government.resolve": 1.0, "government.coalition_support": 1.0,
            "militias[KH].prior_government_resolve": 0.0,
            "government.combat_lethality": 0.02, "militias[KH].combat_lethality": 0.0,
            "government.desertion_rate": 0.0, "government.prior_resistance": 1.0}
    sc = _scenario(replay, **base)
    model = LeverageModel(sc, 1, collect_data=False)
    kh, gov, ff = model.militia("KH"), model.government, model.foreign_force
    troops = op.committed_forces(20000, gov.committed_share)
    s_gov = mech.government_strength(troops, gov.authority, 0.0, ff.standoff_strength)
    dead = gov.combat_lethality * s_gov  # the first day's mean
    s_mil = mech.militia_strength(kh.fighters - dead, kh.cohesion, 1, 1, 0)
    hold_ground = (mech.contest_ratio(s_gov, s_mil) - 0.5 - (kh.push - 0.5) / 2
                   + kh.loss_sensitivity * dead / kh.fighters)
    assert 0.0 < hold_ground < 1.0 and kh.loss_sensitivity * dead * (1 / kh.fighters - 1 / troops) > 0.2
    sc = _scenario(replay, **base, **{"militias[KH].hold_ground": hold_ground})
    found, actions = differences(sc, range(1, 7))
    assert not found, found[:3]
    assert 6 < actions["fighting"] < 12 and actions["hold_firm"] == 6


def test_the_engines_agree_on_a_fight_that_runs_to_its_last_day(replay):
    """A four-day operation nobody halts, leaves or brokers: both engines end it on its last
    day (day 4), seeds 1-3."""
    sc = _scenario(replay, **{**FIGHT, "events": [_operation(2000, 4)],
                              "government.combat_lethality": 0.001})
    found, actions = differences(sc, range(1, 4))
    assert not found, found[:3]
    assert actions["fighting"] == 3 * 4


def test_the_engines_agree_when_the_patron_lets_a_winning_client_fight(replay):
    """The patron brokers only on its client's losing (no war risk: stability_priority 0),
    threshold 0.25; KH far stronger than the 500 troops sent against it (its chance ~0.9): the
    patron opens no talks, on both engines alike (seeds 1-4)."""
    sc = _scenario(replay, **{**FIGHT, "horizon_days": 10, "events": [_operation(500, 6)],
                              "government.combat_lethality": 0.0,
                              "militias[KH].combat_lethality": 0.0,
                              "patron.stability_priority": 0.0,
                              "patron.broker_threshold": 0.25, "patron.talks_days": 2})
    found, actions = differences(sc, range(1, 5))
    assert not found, found[:3]
    assert actions["fighting"] > 0 and actions["talks"] == 0


def test_the_engines_agree_on_stand_downs_weighed_by_the_militias_belief_in_resolve(replay):
    """Operations of 20,000 against KH on days 0, 2, 4 and 6 (each a single day): KH believes
    the government presses on (prior 0.9), the government that militias seldom resist (prior
    0.1), and KH, hold_ground 0, would stand down on the odds: the engines log the same
    stand-downs and fights, seeds 1-5, with both in them."""
    ops = [_operation(20000, 1, day) for day in (0, 2, 4, 6)]
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, **NO_BROKER, **CERTAIN_TO_HOLD,
                              "horizon_days": 9, "events": ops,
                              "foreign_forces.backing": 0.0,
                              "government.prior_resistance": 0.1,
                              "militias[KH].prior_government_resolve": 0.9,
                              "militias[KH].hold_ground": 0.0,
                              "government.combat_lethality": 0.0,
                              "militias[KH].combat_lethality": 0.0})
    found, actions = differences(sc, range(1, 6))
    assert not found, found[:3]
    assert actions["comply"] > 0 and actions["fighting"] > 0


def test_the_engines_agree_on_beliefs_in_retaliation_that_forget(replay):
    """Deadly attacks (a site lethality of 2) answered by strikes half the time move every
    militia's belief in retaliation, which then forgets toward its prior (0.2 for each) over a
    belief memory of 30 days, not toward its prior of the government's resolve (0.8): the two
    engines log the same events over 120 days, seeds 1-3, with strikes in them."""
    sc = _scenario(replay, **{**NO_THREATS, "horizon_days": 120,
                              **{f"foreign_forces.sites[{s}].lethality": 2.0
                                 for s in ("bases", "embassy", "airport", "convoys")},
                              "foreign_forces.retaliation_probability": 0.5,
                              **{f"militias[{n}].prior_retaliation": 0.2 for n in NAMES},
                              **{f"militias[{n}].prior_government_resolve": 0.8 for n in NAMES},
                              **{f"militias[{n}].belief_memory_days": 30.0 for n in NAMES}})
    found, actions = differences(sc, range(1, 4))
    assert not found, found[:3]
    assert actions["attack"] > 10 and actions["strike"] > 0


def test_parliament_votes_on_the_days_pressure_before_it_fades(replay):
    """Expulsion pressure starts at 0.452, just past the threshold 0.45 (a day's decay, 0.5%,
    would take it to 0.4497): parliament votes on day 0 with the pressure as it stands
    (0.452), on both engines (seed 1)."""
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 3,
                              "foreign_forces.expulsion_pressure": 0.452,
                              "foreign_forces.expulsion_vote_threshold": 0.45})
    assert 0.452 * (1 - withdrawal.EXPULSION_PRESSURE_DECAY) < 0.45
    for _, _, rows in _logs(sc, range(1, 2)):
        votes = [(r[0], r[5]) for r in rows if r[2] == "expulsion_vote"]
        assert votes == [(0, pytest.approx(0.452))], rows
