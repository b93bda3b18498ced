"""Wiring, second audit: links that hand-made bugs cut without any model test failing
(scripts/mutation_check.py, the mutations under "second audit"). Each test moves one input of
a link, or sets the state it reads, and checks that the actor that should react does, and only
that one: fights (whose losses make the militia leave the streets, the share of capacity a clash
is fought with), custody (release on the drawn day, commanders freed with their case), the
militias' aim at defended sites, the patron's truce, the US's review at the floor and its count
of calm days, the costs of a visible intervention, beliefs forgetting toward their own prior.
All run on the agent path (the fast path is held equal to it by tests/test_fast_path.py)."""

from __future__ import annotations

import pytest

import leverage_sim as ls
from leverage_sim.scenario.schema import ScriptedEvent
from leverage_sim.simulation import standoffs
from leverage_sim.simulation.mechanisms import attacks, backing, withdrawal
from leverage_sim.simulation.mechanisms import operation as op
from leverage_sim.simulation.model import LeverageModel
from leverage_sim.simulation.scripted_events import fire_scripted_event

from .conftest import model_on_raid_day
from .test_clash_path import _clash_scenario
from .test_operations import _operation_day, _ops

QUIET = {"events": [], "government.raid_rate": 0.0}
"""No scripted events and no unscripted raids: only what a test sets happens."""


def _quiet(replay, **overrides) -> LeverageModel:
    return LeverageModel(ls.load_scenario(replay, {**QUIET, **overrides}), 1, collect_data=False)


# ---- fights -----------------------------------------------------------------------------------
def _left_the_streets(seeds, militia_lost: float = 0.0, government_lost: float = 0.0) -> int:
    """In how many of ``seeds`` KH leaves the streets on the operation's first day of fighting,
    its fight's losses so far set to ``militia_lost`` and ``government_lost`` (shares of each
    side's force at the start; the forces themselves unchanged). The patron does not broker
    (KH gets no support) and the government does not halt (resolve 1, sharp decisions), so the
    militia's withdrawal is the only way the day can end the fight with the government holding;
    KH holds its ground (0.5), so in an even fight it stays."""
    n = 0
    for seed in seeds:
        model = _operation_day(seed, **{"government.resolve": 1.0,
                                        "government.decision_sharpness": 100,
                                        "militias[KH].patron_support_share": 0.0,
                                        "militias[KH].hold_ground": 0.5})
        (s,) = _ops(model)
        s.militia_killed = round(militia_lost * s.militia_start)
        s.government_killed = round(government_lost * s.troops_start)
        standoffs.play_day(model, s)
        n += s.outcome == "clash_won"
    return n


def test_the_militia_leaves_the_streets_on_its_own_losses_not_the_governments():
    """Operation step 6: the militia's dead (a share of its fighters at the start) press it to
    leave. Unmodified (20 seeds): 0 leave in an even fight, 20 after losing 30% of its
    fighters, 0 when the government has lost 30% of its troops instead (which only makes the
    government's troops desert). Reading the government's losses for the militia's gives 20."""
    seeds = range(20)
    assert _left_the_streets(seeds) <= 3
    assert _left_the_streets(seeds, militia_lost=0.3) >= 17
    assert _left_the_streets(seeds, government_lost=0.3) <= 3


def test_a_muster_that_turns_into_a_clash_is_fought_by_the_committed_share():
    """``committed_share`` reaches the clash: the troops that fight a muster's clash are the
    share of enforcement capacity that fights (:func:`op.committed_forces`), as in an
    operation, not the whole capacity."""
    sc = _clash_scenario(**{"government.enforcement_capacity": 2000,
                            "government.committed_share": 0.3, "foreign_forces.backing": 1.0})
    clashes = []
    for seed in range(20):
        model = LeverageModel(sc, seed, collect_data=False)
        while model.running and not any(s.fighting for s in model.standoffs):
            model.step()
        clashes += [s for s in model.standoffs if s.fighting and not s.operation]
        if len(clashes) >= 3:
            break
    assert len(clashes) >= 3
    assert all(s.troops_start == op.committed_forces(2000, 0.3) == 600 for s in clashes)


def _militia_dead_on_the_first_day(seeds, prior_backing: float) -> float:
    """Mean KH fighters killed on the operation's first day of fighting over ``seeds``, the US
    not stepping in (backing 0) and the government believing it will with ``prior_backing``
    (a prior worth 100 observations, no private signals: the belief stays near it)."""
    killed = []
    for seed in seeds:
        model = _operation_day(seed, **{"government.prior_backing": prior_backing,
                                        "government.prior_strength": 100.0,
                                        "government.liaison_rate": 0.0,
                                        "government.combat_lethality": 0.01})
        (s,) = _ops(model)
        assert model.foreign_force.standoff_strength > 4000  # what a step-in would add
        standoffs.play_day(model, s)
        assert not s.us_stepped_in
        killed.append(s.militia_killed)
    return sum(killed) / len(killed)


def test_a_fight_is_fought_with_the_us_help_that_came_not_the_help_believed_in():
    """Attrition (operation step 2) weighs the US's strength by whether it stepped in, not by
    the government's belief (which only enters its choice to press on or halt). Unmodified:
    ~43 KH dead on the first day whether the government believes in backing at 0.05 or 0.95;
    the believed help counted in the fight roughly doubles the second."""
    seeds = range(40)
    doubting = _militia_dead_on_the_first_day(seeds, 0.05)
    trusting = _militia_dead_on_the_first_day(seeds, 0.95)
    assert doubting > 20
    assert trusting < 1.25 * doubting, (doubting, trusting)


# ---- custody ----------------------------------------------------------------------------------
def _transferred(replay, arrests: int, commanders: int, delay: float) -> LeverageModel:
    """A quiet model in which KH complied with a raid of ``arrests`` (``commanders`` of them
    senior commanders) and the government then handed everyone over (a relent), the case's
    release ``delay`` days later (no spread)."""
    model = _quiet(replay, **{"government.release_delay_days": delay,
                              "government.release_delay_spread": 0.0})
    kh = model.militia("KH")
    kh.musters = lambda: False  # complies: no standoff, the transfer is the test's
    model.raid(kh, arrests=arrests, commanders=commanders)
    assert model.government.transfer("KH") == arrests
    return model


@pytest.mark.parametrize(("delay", "days"), [(1.0, 1), (2.3, 3), (4.0, 4)])
def test_a_case_is_released_on_the_day_its_delay_ends(replay, delay, days):
    """The case's release day is the transfer's day plus its whole-day delay (⌈median⌉ without
    spread): the detainees are held through the day before, freed together on that day."""
    model = _transferred(replay, 6, 0, delay)
    kh, due = model.militia("KH"), model.day + days
    held = []
    while model.day <= due:
        model.step()
        held.append(kh.detained)
    assert held == [6] * (len(held) - 1) + [0] and model.day == due + 1
    released = [r for r in model.log.rows if r[2] == "release"]
    assert [(r[0], r[5]) for r in released] == [(due, 6)]


def test_a_released_case_frees_its_commanders_and_the_stake_falls_back(replay):
    """A case's senior commanders go free with it: after the day's release step the militia
    has no one detained, no commander detained, and its stake is back where it was (so a later
    raid is weighed as a first one)."""
    model = _quiet(replay)
    stake = model.militia("KH").stake
    model = _transferred(replay, 6, 2, 2.0)
    kh = model.militia("KH")
    assert kh.commanders_detained == 2 and kh.stake > stake
    for _ in range(3):
        model.step()
    assert kh.detained == 0 and kh.commanders_detained == 0
    assert kh.stake == pytest.approx(stake)
    assert not model.government.transferred and not model.government.transferred_commanders


# ---- attacks: exposure and the militias' aim ------------------------------------------------------
def test_a_drawdown_cuts_what_an_attack_can_kill(replay):
    """Exposure reads the troops in country now, not the level the force is authorised at:
    with 100 troops left after a drawdown from 5,200, an attack that gets through on a site of
    lethality 10 kills on average 10 × 100 / (100 + 500) ≈ 1.7 (not 10 × 5,200 / 5,700 ≈ 9.1),
    and a deadlier one never more than the troops there."""
    model = _quiet(replay)
    ff = model.foreign_force
    ff.draw_down(5100, "test")
    assert ff.presence == 100 and ff.exposure_half == 500.0
    site = attacks.SiteState("test", 1.0, interception=0.0, lethality=10.0)
    killed = []
    for _ in range(2000):
        ff.presence, before = 100, ff.casualties  # (each attack on the same 100 troops)
        ff.receive_attack(model.militia("KH"), site)
        killed.append(ff.casualties - before)
    assert sum(killed) / len(killed) == pytest.approx(10 * 100 / 600, abs=0.25)
    site.lethality = 1000.0
    ff.presence, before = 3, ff.casualties
    ff.receive_attack(model.militia("KH"), site)
    assert ff.casualties - before == 3 and ff.withdrawn


def _share_of_attacks_on(model, militia: str, site: str, n: int, monkeypatch) -> float:
    """Share of ``n`` attacks by ``militia`` aimed at ``site`` (the attacks' outcomes not
    drawn)."""
    ff = model.foreign_force
    hits = []
    monkeypatch.setattr(ff, "receive_attack", lambda m, s: hits.append(s.name))
    model.militia(militia).launch_attacks(n)
    return hits.count(site) / n


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_militias_aim_away_from_the_sites_that_intercept(replay, monkeypatch, seed):
    """Site choice weighs each site by the attack's chance of getting through: with the
    embassy intercepting 90% of attacks, a militia that heeds defences fully sends it about
    2.5% of its attacks (0.2 of the weights 7.9), one that ignores them 20% (2 of 10). Aiming
    at the defended site instead gives ~86%."""
    shares = {}
    for avoidance in (1.0, 0.0):
        model = LeverageModel(replay, seed)
        model.foreign_force.site("embassy").interception = 0.9
        model.militia("KH").defence_avoidance = avoidance
        shares[avoidance] = _share_of_attacks_on(model, "KH", "embassy", 3000, monkeypatch)
    assert shares[1.0] < 0.06 and 0.15 < shares[0.0] < 0.25, shares


# ---- the patron's truce ----------------------------------------------------------------------
@pytest.mark.parametrize("days", [1, 3])
def test_a_truce_holds_instigation_down_for_exactly_its_days(replay, days):
    """War risk past the threshold for one day makes the patron order a truce of
    ``truce_days``: instigation is pulled toward ``truce_instigation`` on the day it is
    ordered and each following day of the truce, and rises again the day after its last
    (stability priority 0: the truce is the only thing lowering the target)."""
    model = _quiet(replay, **{"patron.truce_days": days, "patron.truce_instigation": 0.0,
                              "patron.stability_priority": 0.0})
    patron, falls = model.patron, []
    for day in range(days + 3):
        model.day = day
        model.escalation = 1.0 if day == 0 else 0.0  # war risk 1 on day 0 only
        before = patron.instigation
        patron.step()
        falls.append(patron.instigation < before - 1e-9)
    assert falls == [True] * days + [False] * 3
    assert [r[2] for r in model.log.rows] == ["truce"]


# ---- the US's staying decisions --------------------------------------------------------------
def test_a_review_at_the_floor_ends_once_remembered_losses_fade(replay):
    """At the floor, a cost above tolerance puts the force under review; once its remembered
    losses fade below tolerance (ForeignForce.step's own fading) the review ends, so a new
    costly spell after the cooldown starts a new review, not a withdrawal."""
    model = _quiet(replay, **{"foreign_forces.presence": 1000,
                              "foreign_forces.expulsion_pressure": 0.0})
    ff = model.foreign_force
    assert ff.withdrawal_floor == 1000
    ff.remembered_casualties = 8.0  # tolerance 6
    ff.step()
    assert ff.floor_review and ff.presence == 1000
    day = 0
    while withdrawal.political_cost(ff.remembered_casualties, 0.0) > ff.casualty_tolerance:
        day += 1
        model.day = day
        ff.step()
    assert day < ff.drawdown_cooldown_days and not ff.floor_review
    model.day = ff.drawdown_cooldown_days + 1
    ff.remembered_casualties += 8.0
    ff.step()
    assert ff.presence == 1000 and ff.floor_review
    assert "withdrawal" not in [r[2] for r in model.log.rows]


def presence_after_drawdown(model, days: int, costly_day: int | None = None) -> list[int]:
    """Troops in country on days 1 to ``days`` after a drawdown of 2,200 (5,200 → 3,000), the
    force considering a redeployment each day: every day calm (no remembered casualties; calm
    is below 0.25 × the tolerance of 6) but ``costly_day`` (5 remembered casualties)."""
    ff = model.foreign_force
    ff.draw_down(2200, "test")
    presence = []
    for day in range(1, days + 1):
        model.day = day
        ff.remembered_casualties = 5.0 if day == costly_day else 0.0
        ff.consider_redeploy()
        presence.append(ff.presence)
    return presence


def test_a_costly_day_restarts_the_count_of_calm_days_before_troops_return(replay):
    """Troops return after ``redeploy_after_days`` calm days *in a row*: a costly day (cost
    above ``redeploy_calm_share`` × tolerance) in the middle of a calm spell starts the count
    again."""
    model = _quiet(replay, **{"foreign_forces.expulsion_pressure": 0.0,
                              "foreign_forces.redeploy_after_days": 10})
    assert presence_after_drawdown(model, 20, costly_day=10) == [3000] * 19 + [4100]


# ---- the costs of a visible intervention -------------------------------------------------------
def test_a_visible_intervention_costs_coalition_and_raises_expulsion_and_backlash():
    """backing.step_in_costs: expulsion pressure and the patron's backlash rise, the
    government's coalition support falls (sovereignty), each by its parameter, kept in [0, 1]."""
    assert backing.step_in_costs(0.2, 0.1, 0.05, 0.3, 0.5, 0.04) == pytest.approx(
        (0.3, 0.35, 0.46))
    assert backing.step_in_costs(0.95, 0.1, 0.0, 0.0, 0.02, 0.04) == pytest.approx(
        (1.0, 0.0, 0.0))


def test_a_scripted_step_in_costs_the_government_coalition_support(replay):
    """A scripted ``backing`` event in an open standoff (the model's own scripted-event path):
    the government's coalition support falls by ``step_in_coalition_cost``, expulsion pressure
    rises by ``step_in_expulsion_pressure``."""
    sc = ls.load_scenario(replay, {"foreign_forces.backing": 0.0,
                                   "government.step_in_coalition_cost": 0.1})
    for seed in range(20):
        model = model_on_raid_day(sc, seed)
        model.step()
        if model.open_standoffs():
            break
    else:
        pytest.fail("no standoff opened in 20 seeds")
    gov, ff = model.government, model.foreign_force
    coalition, expulsion = gov.coalition_support, ff.expulsion_pressure
    fire_scripted_event(model, ScriptedEvent(
        day=model.day, actor="foreign_forces", action="backing", target="KH"))
    assert model.open_standoffs()[0].us_stepped_in
    assert gov.coalition_support == pytest.approx(coalition - 0.1)
    assert ff.expulsion_pressure == pytest.approx(expulsion + ff.step_in_expulsion_pressure)


# ---- beliefs forget toward their own prior -------------------------------------------------------
def test_every_actors_belief_forgets_back_to_its_own_prior_mean(replay):
    """Forgetting returns a belief to its holder's prior, whatever that prior's mean (here far
    from ½: KH 0.1, the government 0.8 on US backing; the US 0.2 on its partner holding), not
    toward ½: after ten memory time constants of quiet days each mean is back within 0.01."""
    memory = 20.0
    model = _quiet(replay, **{"militias[KH].prior_backing": 0.1,
                              "government.prior_backing": 0.8, "government.liaison_rate": 0.0,
                              "foreign_forces.prior_partner_resolve": 0.2,
                              "government.belief_memory_days": memory,
                              "foreign_forces.belief_memory_days": memory,
                              **{f"militias[{m.name}].belief_memory_days": memory
                                 for m in replay.militias}})
    kh, gov, ff = model.militia("KH"), model.government, model.foreign_force
    for _ in range(3):
        model.observe_backing(True)
        ff.partner_belief.observe(True)
    assert kh.backing_belief.mean > 0.4 and ff.partner_belief.mean > 0.4
    for _ in range(int(10 * memory)):
        model.step()
    assert kh.backing_belief.mean == pytest.approx(0.1, abs=0.01)
    assert gov.backing_belief.mean == pytest.approx(0.8, abs=0.01)
    assert ff.partner_belief.mean == pytest.approx(0.2, abs=0.01)
