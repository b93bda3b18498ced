"""Wiring, third audit: links that hand-made bugs cut or reverse without the model tests failing
reliably (scripts/mutation_check.py, the mutations under "third audit"). Each test moves one
input of a link, or sets the state it reads, and checks that the actor that should react does,
by the documented amount where it is exact: retaliation (decided on the attack's own deaths,
never carried out by a force that has left), the US's staying decisions (the review at the
floor a drawdown reaches, parliament's vote at its threshold, what a redeployment teaches),
the patron (a win's campaign hump, a scripted change of support shares), the militias
(disrupted cells recovering over their own time), beliefs (private signals, silent standoff
days), custody (who a negotiated transfer keeps), public reactions (allies' fighters, threats'
cost in coalition support), escalation after a visible intervention, the authority a
compliance brings.

Most run on the agent path (the fast path is held equal to it by tests/test_fast_path.py);
those that read only the event log run a small scenario on both paths."""

from __future__ import annotations

import numpy as np
import pytest

import leverage_sim as ls
from leverage_sim.scenario.schema import ScriptedEvent
from leverage_sim.simulation import standoffs
from leverage_sim.simulation.mechanisms import attacks, beliefs, custody, withdrawal
from leverage_sim.simulation.model import LeverageModel
from leverage_sim.simulation.scripted_events import fire_scripted_event

QUIET = {"events": [], "government.raid_rate": 0.0}
"""No scripted events and no unscripted raids: only what a test sets happens."""


def _quiet(replay, seed: int = 1, **overrides) -> LeverageModel:
    return LeverageModel(ls.load_scenario(replay, {**QUIET, **overrides}), seed,
                         collect_data=False)


def _both_paths(scenario: ls.Scenario, seeds: range) -> list:
    """The event logs of ``seeds`` on the agent path and on the fast path (scenario values, no
    posterior)."""
    return [ls.run(scenario, replications=len(seeds), seed=seeds.start, posterior=None,
                   engine=engine).events for engine in ("agent", "fast")]


def _standoff_with_kh(model: LeverageModel, arrests: int = 14):
    """A standoff over ``arrests`` KH detainees opened today (KH musters), the US's hidden
    choice drawn as in any standoff; returns it."""
    kh = model.militia("KH")
    kh.musters = lambda: True
    model.raid(kh, arrests=arrests)
    (s,) = model.open_standoffs()
    return s


# ---- retaliation --------------------------------------------------------------------------------
def test_retaliation_is_decided_on_the_attacks_own_deaths_not_past_ones(replay):
    """An attack that gets through but kills no one brings no retaliation decision, however
    many US troops earlier attacks killed: no strike is due and no militia's belief in
    retaliation moves. A deadly one does (retaliation probability 1, no restraint: certain)."""
    model = _quiet(replay, **{"foreign_forces.retaliation_probability": 1.0,
                              "foreign_forces.retaliation_restraint": 0.0})
    ff, kh = model.foreign_force, model.militia("KH")
    ff.casualties = 12  # earlier deaths
    harmless = attacks.SiteState("depot", 1.0, interception=0.0, lethality=0.0)
    means = [m.retaliation_belief.mean for m in model.militias]
    for _ in range(20):
        ff.receive_attack(kh, harmless)
    assert ff.casualties == 12 and not ff.pending_strikes
    assert [m.retaliation_belief.mean for m in model.militias] == means
    deadly = attacks.SiteState("base", 1.0, interception=0.0, lethality=50.0)
    ff.receive_attack(kh, deadly)
    assert ff.casualties > 12 and ff.pending_strikes == [(model.day + ff.retaliation_delay_days,
                                                          "KH")]
    assert all(m.retaliation_belief.mean > mean
               for m, mean in zip(model.militias, means, strict=True))


# ---- the authority a compliance brings ----------------------------------------------------------
def test_a_militia_that_complies_gives_half_a_wins_authority(replay):
    """A raided militia that complies hands the government half a won standoff: authority rises
    by ``win_authority_gain`` / 2, resolve by half of that (RESOLVE_SHIFT), coalition support
    by a won standoff's COALITION_SHIFT."""
    model = _quiet(replay, **{"government.win_authority_gain": 0.2})
    gov, kh = model.government, model.militia("KH")
    kh.musters = lambda: False
    authority, resolve, coalition = gov.authority, gov.resolve, gov.coalition_support
    model.raid(kh, arrests=5)
    assert not model.open_standoffs()
    assert gov.authority == pytest.approx(authority + 0.1)
    assert gov.resolve == pytest.approx(resolve + 0.1 * beliefs.RESOLVE_SHIFT)
    assert gov.coalition_support == pytest.approx(coalition + beliefs.COALITION_SHIFT)


# ---- the US's staying decisions -----------------------------------------------------------------
def test_a_drawdown_that_reaches_the_floor_puts_the_force_under_review():
    """A drawdown that stops exactly at the floor (1,667 × 0.4 → 667 leave, 1,000 stay) puts
    the force under review there, as one that the floor cuts short does."""
    assert withdrawal.drawdown_decision(1667, 0.4, 1000, True, 10.0, 6.0, False) == (
        667, True, True)
    assert withdrawal.drawdown_decision(1500, 0.4, 1000, True, 10.0, 6.0, False) == (
        500, True, True)
    assert withdrawal.drawdown_decision(5000, 0.4, 1000, True, 10.0, 6.0, False) == (
        2000, True, False)


def test_a_force_drawn_down_to_the_floor_leaves_at_the_next_costly_decision(replay):
    """With its cost far above tolerance throughout, a force of 1,667 draws down to the floor
    (1,000) at its first decision and leaves at the next, a cooldown later; it is never reviewed
    a second time."""
    model = _quiet(replay, **{"foreign_forces.presence": 1667,
                              "foreign_forces.drawdown_share": 0.4,
                              "foreign_forces.drawdown_cooldown_days": 10})
    ff = model.foreign_force
    assert ff.withdrawal_floor == 1000
    presence = []
    for day in range(25):
        model.day = day
        ff.remembered_casualties = 100.0  # tolerance 6
        ff.consider_drawdown()
        presence.append(ff.presence)
    assert presence == [1000] * 10 + [0] * 15
    assert ff.withdrawal_day == 10


def test_parliament_votes_at_its_threshold_not_at_the_pressure_floor(replay):
    """``ForeignForce.step``: with expulsion pressure between the post-vote floor (0.3) and
    the vote threshold (0.45) parliament does not vote; once pressure passes the threshold it
    does, once."""
    model = _quiet(replay, **{"foreign_forces.expulsion_pressure": 0.4})
    ff = model.foreign_force
    for day in range(5):
        model.day = day
        ff.step()
    assert not ff.expulsion_voted
    ff.expulsion_pressure = 0.46
    for day in range(5, 10):
        model.day = day
        ff.step()
    assert ff.expulsion_voted
    assert [r[0] for r in model.log.rows if r[2] == "expulsion_vote"] == [5]


def test_strikes_due_when_the_force_has_left_are_dropped(replay):
    """``ForeignForce.step``: a strike due on a day the force has no troops in the country is
    not carried out (the struck militia keeps its fighters, nothing is logged)."""
    model = _quiet(replay)
    ff, kh = model.foreign_force, model.militia("KH")
    ff.pending_strikes = [(2, "KH")]
    model.day = 1
    ff.draw_down(ff.presence, "test")
    assert ff.withdrawn
    fighters = kh.fighters
    model.day = 2
    ff.step()
    assert kh.fighters == fighters and not ff.pending_strikes
    assert "strike" not in [r[2] for r in model.log.rows]


def test_a_redeployment_raises_everyones_belief_in_backing(replay):
    """Troops returning after a calm year are read as commitment: the government's and every
    militia's belief that the US steps in rises, by REDEPLOY_EVIDENCE observations for."""
    model = _quiet(replay, **{"foreign_forces.expulsion_pressure": 0.0,
                              "foreign_forces.redeploy_after_days": 1})
    ff, gov = model.foreign_force, model.government
    ff.draw_down(2200, "test")
    holders = [gov.backing_belief] + [m.backing_belief for m in model.militias]
    before = [(b.alpha, b.beta, b.mean) for b in holders]
    model.day = 1
    ff.consider_redeploy()
    assert ff.presence == 4100
    for b, (alpha, beta, mean) in zip(holders, before, strict=True):
        assert b.alpha == pytest.approx(alpha + beliefs.REDEPLOY_EVIDENCE) and b.beta == beta
        assert b.mean > mean


# ---- the patron ---------------------------------------------------------------------------------
def test_a_clients_win_brings_a_campaign_that_peaks_two_months_later_at_half_its_plan(replay):
    """One win plans ``win_campaign`` (here 1) of support; the plan fades over
    ``campaign_days`` (90) while the support delivered follows it over ``campaign_build_days``
    (45): a hump peaking about ln 2 × 90 ≈ 62 days after the win at about half the plan, which
    multiplies the patron's resources (supply)."""
    model = _quiet(replay, **{"patron.win_campaign": 1.0, "patron.campaign_days": 90,
                              "patron.campaign_build_days": 45})
    patron = model.patron
    model.end_standoff_shifts(model.militia("KH"), government_won=False, authority_step=0.0)
    assert patron.campaign_plan == 1.0 and patron.campaign == 0.0
    delivered = []
    for _ in range(150):
        patron.step()
        delivered.append(patron.campaign)
        assert patron.supply == pytest.approx(patron.resources * (1 + patron.campaign))
    peak = int(np.argmax(delivered)) + 1
    assert 55 <= peak <= 70, peak
    assert 0.45 < max(delivered) < 0.55, max(delivered)


def test_a_scripted_change_of_support_share_moves_the_patrons_push_at_once(replay):
    """A scripted ``set`` of a militia's ``patron_support_share`` re-allocates support at once:
    with KH's share set to 0 the patron pushes KH no more, the next day too (no disruption
    anywhere, so nothing else would re-allocate), and AAH becomes its best-supported client."""
    model = _quiet(replay)
    kh, aah = model.militia("KH"), model.militia("AAH")
    assert kh.push > 0 and aah.push < kh.push
    fire_scripted_event(model, ScriptedEvent(
        day=0, actor="patron", action="set", figures={"militias[KH].patron_support_share": 0.0}))
    assert model.patron.shares["KH"] == 0.0 and kh.push == 0.0
    model.patron.step()
    assert model.patron.shares["KH"] == 0.0 and kh.push == 0.0
    assert aah.push == pytest.approx(model.patron.instigation)


# ---- militias: disrupted cells recover over their own time --------------------------------------
def test_disrupted_cells_recover_over_the_militias_disruption_recovery_days(replay):
    """Disruption fades with ``disruption_recovery_days`` (30 here), not with the militia's
    year-long ``recovery_days``: after 30 quiet days a disruption of 0.6 is down to about
    0.6 × (1 − 1/30)^30 ≈ 0.22."""
    model = _quiet(replay, **{"militias[KH].disruption_recovery_days": 30,
                              "militias[KH].recovery_days": 365,
                              **{f"militias[{m.name}].attack_rate": 0.0
                                 for m in replay.militias}})
    kh = model.militia("KH")
    kh.disruption = 0.6
    for _ in range(30):
        model.step()
    assert kh.disruption == pytest.approx(0.6 * (1 - 1 / 30) ** 30, rel=1e-6)


# ---- beliefs: private signals, silent days ------------------------------------------------------
def test_a_private_signal_says_they_will_step_in_with_the_real_chance():
    """One uniform decides both whether a signal comes (below ``rate``) and what it says: among
    the days with a signal, the share saying "they will step in" is the commitment."""
    rate, commitment = 0.3, 0.2
    us = np.linspace(0.0, 1.0, 10000, endpoint=False)
    signals = np.array([beliefs.private_signal(u, rate, commitment) for u in us])
    came = signals >= 0
    assert came.mean() == pytest.approx(rate, abs=1e-3)
    assert (signals[came] == 1).mean() == pytest.approx(commitment, abs=1e-3)


def test_the_governments_private_signals_track_the_us_real_commitment(replay):
    """Heard on half the days (liaison_rate 0.5), the signals say "they will step in" on the
    share of those days given by the US's real chance of stepping in
    (``step_in_probability``), each worth LIAISON_EVIDENCE observations."""
    model = _quiet(replay, **{"government.liaison_rate": 0.5, "foreign_forces.backing": 0.3})
    gov, p = model.government, model.foreign_force.step_in_probability()
    assert 0.15 < p < 0.35
    alpha, beta = gov.backing_belief.alpha, gov.backing_belief.beta
    n = 6000
    for _ in range(n):
        gov.hear_liaison()
    said_yes = (gov.backing_belief.alpha - alpha) / beliefs.LIAISON_EVIDENCE
    said_no = (gov.backing_belief.beta - beta) / beliefs.LIAISON_EVIDENCE
    heard = said_yes + said_no
    assert heard / n == pytest.approx(0.5, abs=0.03)
    assert said_yes / heard == pytest.approx(p, abs=0.04)


def test_a_silent_standoff_day_is_half_an_observation_against_backing(replay):
    """Each day a standoff goes on without the US stepping in, every actor's belief in backing
    takes SILENT_DAY_EVIDENCE (½) observation against (a drawdown takes a whole one); the
    muster's gathering day (the raid's) is not such a day."""
    model = _quiet(replay, **{"foreign_forces.backing": 0.0})
    s = _standoff_with_kh(model)
    holders = [model.government.backing_belief] + [m.backing_belief for m in model.militias]
    before = [(b.alpha, b.beta) for b in holders]
    standoffs.play_day(model, s)  # the raid's day: the muster gathers
    assert [(b.alpha, b.beta) for b in holders] == before
    model.day += 1
    standoffs.play_day(model, s)
    for b, (alpha, beta) in zip(holders, before, strict=True):
        assert b.alpha == alpha
        assert b.beta == pytest.approx(beta + beliefs.SILENT_DAY_EVIDENCE)


# ---- custody: who a negotiated transfer keeps ---------------------------------------------------
def test_a_negotiated_transfer_keeps_rank_and_file_before_commanders(replay):
    """Of 10 detainees, 2 of them commanders, a transfer that keeps 3 keeps 3 rank-and-file
    members and hands both commanders over (they go to the militia's side first); one that
    keeps 9 keeps one commander."""
    assert custody.commanders_kept(3, 10, 2) == 0
    assert custody.commanders_kept(8, 10, 2) == 0
    assert custody.commanders_kept(9, 10, 2) == 1
    assert custody.commanders_kept(10, 10, 2) == 2
    model = _quiet(replay)
    gov, kh = model.government, model.militia("KH")
    kh.musters = lambda: False
    model.raid(kh, arrests=10, commanders=2)
    assert gov.transfer("KH", keep=3) == 7
    assert gov.custody == {"KH": 3} and gov.custody_commanders.get("KH", 0) == 0
    assert gov.transferred == {"KH": 7} and gov.transferred_commanders == {"KH": 2}
    assert kh.detained == 10 and kh.commanders_detained == 2


# ---- public reactions: allies' fighters, threats ------------------------------------------------
def test_an_ally_that_joins_a_muster_sends_its_fighters_out_of_solidarity(replay):
    """An ally joining a muster sends ``Binomial(local_fighters, mobilisation × (0.5 + 0.5 ×
    push))`` fighters, not scaled by a stake of its own (it has no one detained): AAH's 500
    local fighters at mobilisation 0.3 send about 100, which count in the standoff's militia
    strength."""
    sent = []
    for seed in range(5):
        model = _quiet(replay, seed)
        s = _standoff_with_kh(model)
        aah = model.militia("AAH")
        assert aah.detained == 0
        for m in model.militias:
            m.joins_muster = (lambda: True) if m is aah else (lambda: False)
        model.public_reactions()
        assert s.joined == {"AAH"}
        expected = aah.local_fighters * aah.mobilisation * (0.5 + 0.5 * aah.push)
        assert s.allied_fighters > 0.6 * expected, (s.allied_fighters, expected)
        sent.append(s.allied_fighters / expected)
    assert np.mean(sent) == pytest.approx(1.0, abs=0.15)


def test_a_public_threat_costs_the_government_a_quarter_of_its_pressure_in_coalition(replay):
    """A bloc's public threat puts ``threat_sensitivity × seats / parliament_seats`` of
    pressure on the government and lowers its coalition support by a quarter of that."""
    model = _quiet(replay, **{f"militias[{m.name}].threat_propensity": 0.0
                              for m in replay.militias if m.name != "AAH"})
    gov, aah = model.government, model.militia("AAH")
    aah.threatens = lambda: True
    coalition = gov.coalition_support
    model.threat_windows.append((model.day + 3, "KH", set()))
    model.public_reactions()
    (threat,) = [r for r in model.log.rows if r[2] == "public_threat"]
    pressure = threat[5]
    assert pressure > 0
    assert gov.coalition_support == pytest.approx(coalition - pressure / 4)


# ---- escalation after a visible intervention ----------------------------------------------------
def test_a_visible_intervention_raises_escalation_by_its_weight(replay):
    """US forces stepping in to a standoff raise escalation by ``escalation.per_step_in`` (and
    the scripted backing event, which calls the same code, does too)."""
    model = _quiet(replay, **{"foreign_forces.backing": 0.0, "escalation.per_step_in": 0.2,
                              "escalation.initial": 0.1})
    s = _standoff_with_kh(model)
    before = model.escalation
    standoffs.step_in(model, s, "test")
    assert model.escalation == pytest.approx(before + 0.2)
    model = _quiet(replay, **{"foreign_forces.backing": 0.0, "escalation.per_step_in": 0.2,
                              "escalation.initial": 0.1})
    s = _standoff_with_kh(model)
    before = model.escalation
    fire_scripted_event(model, ScriptedEvent(day=model.day, actor="foreign_forces",
                                             action="backing", target="KH"))
    assert s.us_stepped_in and model.escalation == pytest.approx(before + 0.2)


# ---- on both paths (last: the fast path compiles for a changed model) ---------------------------
def test_strikes_due_after_a_withdrawal_are_not_carried_out(replay):
    """A deadly attack on day 0 brings certain strikes two days later; a scripted withdrawal on
    day 1 takes every soldier out: the strikes due on day 2 are never carried out (a force that
    has left strikes no one), on both paths. Without the withdrawal they are."""
    deadly = {"foreign_forces.retaliation_probability": 1.0,
              "foreign_forces.retaliation_restraint": 0.0,
              "foreign_forces.retaliation_delay_days": 2,
              "foreign_forces.sites[bases].lethality": 50.0,
              "foreign_forces.sites[bases].interception": 0.0,
              "horizon_days": 6}
    attack = {"day": 0, "actor": "KH", "action": "attack", "target": "bases"}
    leave = {"day": 1, "actor": "foreign_forces", "action": "withdrawal"}
    seeds = range(3, 6)
    stays = ls.load_scenario(replay, {**deadly, "events": [attack]})
    for ev in _both_paths(stays, seeds):
        strikes = ev[(ev["action"] == "strike") & (ev["day"] == 2)]
        assert set(strikes["replication"]) == {0, 1, 2}
    leaves = ls.load_scenario(replay, {**deadly, "events": [attack, leave]})
    for ev in _both_paths(leaves, seeds):
        assert (ev["action"] == "withdrawal").sum() == 3
        assert not (ev["action"] == "strike").any()


@pytest.mark.parametrize(("pressure", "votes"), [(0.35, False), (0.44, False), (0.46, True)])
def test_parliament_votes_when_pressure_passes_the_vote_threshold(replay, pressure, votes):
    """Parliament's vote comes when expulsion pressure passes ``expulsion_vote_threshold``
    (0.45), not its post-vote floor (0.3): pressure of 0.35 or 0.44 brings no vote on the first
    day, 0.46 does, on both paths."""
    sc = ls.load_scenario(replay, {**QUIET, "foreign_forces.expulsion_pressure": pressure,
                                   "horizon_days": 1})
    assert sc.foreign_forces.expulsion_vote_threshold == 0.45
    assert sc.foreign_forces.expulsion_vote_floor == 0.3
    for ev in _both_paths(sc, range(1, 3)):
        assert (ev["action"] == "expulsion_vote").sum() == (2 if votes else 0)
