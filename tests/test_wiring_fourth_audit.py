"""Wiring, fourth audit: links that hand-made bugs cut or reverse without the model tests failing
(scripts/mutation_check.py, the mutations under "fourth audit"; 12 of its 15 survived the earlier
tests, and the other three — the halt weighing the US's actual stance, an operation's losses
against local fighters, a case's median and spread swapped — are pinned here directly as
well). Each test moves one input of a link, or sets the state it reads, and checks that the
actor that should react does, by the documented amount where it is exact: fights (the allies of
a muster fight in its clash; deserters are drawn from the troops still fighting at the share the
real contest gives; the government's choice to press on weighs the help it believes in, the
threats it received and the day's own fighting), the ceasefire's booking, an operation's
militia strength at the start, custody (a case's median delay, a new case after a closed one),
a raid's threat window, parliament's vote and the floor after it, redeployment, the step-in
backlash.

Where a test reads what a decision was given (the government's win chance, the desertion share,
the ceasefire's terms), it wraps the decision's function and checks its arguments against the
state at that moment: that is the link. All run on the agent path (the fast path is held equal
to it by tests/test_fast_path.py; every mutation here is mirrored in both paths)."""

from __future__ import annotations

import pytest

from leverage_sim.simulation import standoffs
from leverage_sim.simulation.mechanisms import operation as op
from leverage_sim.simulation.mechanisms import standoff as mech

from .test_operations import OPERATION, _operation_day, _ops
from .test_wiring_second_audit import presence_after_drawdown
from .test_wiring_third_audit import _quiet, _standoff_with_kh

NO_BROKER = {"patron.broker_threshold": 0.0, "patron.stability_priority": 0.0,
             "patron.talks_days": 60}
"""No ceasefire within a fight: the patron seldom opens talks (a threshold of 0 still leaves a
daily chance of σ(−15 × its client's position), ~0.1 in these fights), and talks it opens end
after 60 days, past any fight here. A fight ends by the government, the militia or the last
day."""


# ---- fights: who fights ---------------------------------------------------------------------
def test_the_allies_of_a_muster_fight_in_its_clash(replay):
    """A muster's clash meets the fighters its allies sent as well as the militia's committed
    share (``S_m = F × cohesion × committed + allied fighters``, the strength both the
    attrition and the contest of each fight day read): 500 allied fighters add exactly 500."""
    model = _quiet(replay, **{"foreign_forces.backing": 0.0})
    s = _standoff_with_kh(model)
    standoffs.start_fight(s, 600, model.militia("KH").fighters, model.day + op.MAX_CLASH_DAYS)
    alone = standoffs.fight_strengths(model, s, 0.0, s.troops)[1]
    s.allied_fighters = 500
    assert standoffs.fight_strengths(model, s, 0.0, s.troops)[1] == pytest.approx(alone + 500)
    assert alone > 0


# ---- fights: desertion --------------------------------------------------------------------------
def _desertion_seen(monkeypatch, troops: int, seed: int = 1) -> list[tuple]:
    """The first day of fighting of an operation of ``troops`` against KH, its troops already
    halved by earlier fighting (the dead not counted as losses here): what the desertion draw
    was given (troops, share) and the state then (troops in the fight, the share the real
    contest and losses give, that contest). A shaky force (cohesion 0, desertion rate 1) that
    does not halt."""
    model = _operation_day(seed, **{"events": [{**OPERATION, "figures": {"troops": troops,
                                                                         "days": 10}}],
                                    "government.force_cohesion": 0.0,
                                    "government.desertion_rate": 1.0,
                                    "government.resolve": 1.0,
                                    "government.decision_sharpness": 100, **NO_BROKER})
    (s,) = _ops(model)
    gov = model.government
    s.troops = s.troops_start // 2
    seen = []

    def draw(rng, n, share):
        p = mech.contest_ratio(*standoffs.fight_strengths(model, s, 0.0,
                                                            standoffs.engaged(model, s)))
        seen.append((n, share, s.troops, op.desertion_share(
            gov.desertion_rate, gov.force_cohesion, p,
            op.loss_share(s.government_killed, s.troops_start)), p))
        return 0

    monkeypatch.setattr(standoffs.op, "draw_deserters", draw)
    standoffs.play_day(model, s)
    return seen


@pytest.mark.parametrize(("troops", "going_well"), [(60_000, True), (1_000, False)])
def test_deserters_come_from_the_troops_still_fighting_at_the_real_contests_share(
        monkeypatch, troops, going_well):
    """Operation step 3: ``Binomial(T, d)``, ``T`` the troops still in the fight (not those it
    started with), ``d = rate × (1 − cohesion) × (1 − p + 10 × losses / T₀)`` with ``p`` the
    government's real chance: a fight going well (60,000 troops, half of them left: p ≈ 0.8)
    loses few, one going badly (1,000, half left: p < 0.1) many. Reading the militia's chance (1 − p) for p reverses the two."""
    ((n, share, in_fight, expected, p),) = _desertion_seen(monkeypatch, troops)
    assert n == in_fight < troops
    assert share == pytest.approx(expected, rel=1e-12)
    assert (p > 0.7) if going_well else (p < 0.3), p
    assert (share < 0.35) if going_well else (share > 0.65), share


# ---- fights: the government's choice to press on or halt ----------------------------------------
def _hold_decision_seen(seed: int = 1, pressure: float = 0.0, **overrides) -> dict:
    """The first day of fighting of the mini operation (the US does not step in): what the
    government's press-on-or-halt decision (``Government.holds_firm``) was given, and the
    state then — its belief in backing and in resistance, the win chance they give
    (operation step 5), the open confrontation's pressure. The decision is made to press on."""
    model = _operation_day(seed, **{**NO_BROKER, **overrides})
    (s,) = _ops(model)
    gov = model.government
    s.pressure = pressure
    before = (gov.resistance_belief.alpha, gov.resistance_belief.beta)
    seen = {}

    def holds_firm(win_chance, p):
        s_gov = standoffs.fight_strengths(model, s, gov.backing_belief.mean, s.troops)[0]
        s_mil = standoffs.fight_strengths(model, s, 0.0, s.troops)[1]
        seen.update(win_chance=win_chance, pressure=p, backing=gov.backing_belief.mean,
                    resistance=(gov.resistance_belief.alpha, gov.resistance_belief.beta),
                    believed=mech.contest_ratio(s_gov, op.believed_militia_strength(
                        s_mil, gov.resistance_belief.mean)),
                    without_us=mech.contest_ratio(
                        standoffs.fight_strengths(model, s, 0.0, s.troops)[0],
                        op.believed_militia_strength(s_mil, gov.resistance_belief.mean)))
        return True

    gov.holds_firm = holds_firm
    standoffs.play_day(model, s)
    assert seen and not s.us_stepped_in
    seen["before"] = before
    return seen


def test_pressing_on_weighs_the_help_the_government_believes_in():
    """Until the US shows its hand the government judges the fight with the help it believes
    in (``b = E[backing]``, here ≈ 0.95 on a prior worth 100 observations), not with the help
    that has come so far (none): its believed win chance counts 0.95 × U."""
    seen = _hold_decision_seen(**{"foreign_forces.backing": 0.0,
                                  "government.prior_backing": 0.95,
                                  "government.prior_strength": 100.0,
                                  "government.liaison_rate": 0.0})
    assert seen["backing"] > 0.9
    assert seen["win_chance"] == pytest.approx(seen["believed"], rel=1e-12)
    assert seen["win_chance"] > seen["without_us"] + 0.1


def test_pressing_on_weighs_the_public_threats_received():
    """Public threats' pressure on the confrontation weighs on the choice to press on in a
    fight as on holding a standoff (``hold_probability``'s ``− pressure``)."""
    assert _hold_decision_seen(pressure=0.3)["pressure"] == 0.3
    assert _hold_decision_seen(pressure=0.0)["pressure"] == 0.0


def test_the_days_fighting_counts_in_the_choice_to_press_on_that_day():
    """Operation step 5 follows steps 2-4: when the government decides whether to press on,
    today's fighting is already one more observation that the militia resists (its
    resistance belief's alpha up by exactly 1), so a government that expected little
    resistance learns from the first day."""
    seen = _hold_decision_seen(**{"government.prior_resistance": 0.05,
                                  "government.prior_strength": 2.0})
    alpha, beta = seen["before"]
    assert seen["resistance"] == pytest.approx((alpha + 1.0, beta))


# ---- the ceasefire's booking --------------------------------------------------------------------
@pytest.mark.parametrize("troops", [20_000, 1_000])
def test_the_ceasefire_is_booked_with_the_clients_chance_in_the_fight(monkeypatch, troops):
    """The ``ceasefire`` event (actor the patron) carries its client's chance in the fight,
    ``1 − p`` (p the government's real chance, the one its terms follow), as value and in its
    text: below ½ when the government is ahead, above when the militia is. The government is
    sure the militia resists, so all its troops engage."""
    model = _operation_day(**{"patron.broker_threshold": 1.0, "patron.talks_days": 0,
                              "government.prior_resistance": 1.0,
                              "events": [{**OPERATION, "figures": {"troops": troops,
                                                                   "days": 10}}]})
    (s,) = _ops(model)
    terms = []
    favours = op.ceasefire_favours_government
    monkeypatch.setattr(standoffs.op, "ceasefire_favours_government",
                        lambda p: terms.append(p) or favours(p))
    standoffs.play_day(model, s)
    (p,) = terms
    (row,) = [r for r in model.log.rows if r[2] == "ceasefire"]
    assert row[1] == "patron" and row[5] == pytest.approx(1.0 - p, rel=1e-12)
    assert f"its chance in the fight {1.0 - p:.2f}" in row[4]
    assert (row[5] < 0.4) if troops > 10_000 else (row[5] > 0.6), row[5]


# ---- an operation's start --------------------------------------------------------------------
def test_an_operation_weighs_the_militias_losses_against_its_whole_force(replay):
    """An operation meets the whole militia: its strength at the start (what its losses are a
    share of, operation step 6) is its fighters (KH: 7,000), not its local fighters
    (400); a day losing 1% of them does not make it leave the streets."""
    model = _quiet(replay)
    kh = model.militia("KH")
    model.operation(kh, troops=6000, days=10)
    (s,) = _ops(model)
    assert s.militia_start == kh.fighters == 7000 and kh.local_fighters == 400
    assert op.loss_share(70, s.militia_start) == pytest.approx(0.01)


# ---- custody ------------------------------------------------------------------------------------
def _release_delays(replay, median: float, spread: float, seeds) -> list[int]:
    """Days from a transfer of 6 KH detainees (a raid KH complied with, then handed over) to
    their release, for each seed."""
    delays = []
    for seed in seeds:
        model = _quiet(replay, seed, **{"government.release_delay_days": median,
                                        "government.release_delay_spread": spread})
        kh = model.militia("KH")
        kh.musters = lambda: False
        model.raid(kh, arrests=6)
        model.government.transfer("KH")
        start = model.day
        while kh.detained and model.day < start + 200:
            model.step()
        delays.append(model.day - 1 - start)
    return delays


def test_a_cases_delay_has_the_median_and_spread_it_is_given(replay):
    """``delay = release_delay_days × exp(release_delay_spread × Z)``, released on the
    transfer day + ⌈delay⌉: with median 10 days and spread 0.1 every case of 12 seeds goes free
    within 7-14 days, about 10 on average (the median and spread swapped: half the cases would
    go free on the next day)."""
    delays = _release_delays(replay, 10.0, 0.1, range(12))
    assert all(7 <= d <= 14 for d in delays), delays
    assert sum(delays) / len(delays) == pytest.approx(10.5, abs=1.5)


def test_a_new_case_waits_its_own_delay_after_the_last_one_closed(replay):
    """A militia has one case at a time; once a case is released the next one (detainees
    transferred later) gets its own release day: with a fixed delay of 3 days, the second
    case's detainees are held three days after their transfer too, not freed on its day."""
    model = _quiet(replay, **{"government.release_delay_days": 3.0,
                              "government.release_delay_spread": 0.0})
    gov, kh = model.government, model.militia("KH")
    kh.musters = lambda: False
    held = []
    for case in range(2):
        model.raid(kh, arrests=4)
        gov.transfer("KH")
        transfer_day = model.day
        while kh.detained:
            model.step()
        held.append(model.day - 1 - transfer_day)
        assert not gov.transferred, case
        model.step()
    assert held == [3, 3]


# ---- a raid's threat window ---------------------------------------------------------------------
def test_a_raids_threat_window_includes_its_last_day(replay):
    """For ``threat_window_days`` after a raid militias may threaten: the window's last day
    is the raid's day + ``threat_window_days``, and a militia whose leader threatens for sure
    does so on that day; the day after, the window is closed."""
    model = _quiet(replay)
    kh, aah = model.militia("KH"), model.militia("AAH")
    kh.musters = lambda: False
    for m in model.militias:
        m.threatens = lambda: False
    model.raid(kh, arrests=5)
    ((last, target, _),) = model.threat_windows
    assert target == "KH" and last == model.day + kh.threat_window_days
    aah.threatens = lambda: True
    model.day = last + 1
    model.public_reactions()
    assert "public_threat" not in [r[2] for r in model.log.rows]
    model = _quiet(replay)
    kh, aah = model.militia("KH"), model.militia("AAH")
    kh.musters = lambda: False
    for m in model.militias:
        m.threatens = (lambda: True) if m is aah else (lambda: False)
    model.raid(kh, arrests=5)
    model.day = model.threat_windows[0][0]
    model.public_reactions()
    assert [r[1:4] for r in model.log.rows if r[2] == "public_threat"] == [
        ("AAH", "public_threat", "government")]


# ---- parliament's vote and the floor after it ---------------------------------------------------
def test_parliament_does_not_vote_to_expel_a_force_that_has_left(replay):
    """The vote needs troops in the country: with the force gone, expulsion pressure past the
    threshold brings no vote."""
    model = _quiet(replay, **{"foreign_forces.expulsion_pressure": 0.6})
    ff = model.foreign_force
    ff.draw_down(ff.presence, "test")
    assert ff.withdrawn and ff.expulsion_pressure > ff.expulsion_vote_threshold
    for day in range(1, 4):
        model.day = day
        ff.step()
    assert not ff.expulsion_voted
    assert "expulsion_vote" not in [r[2] for r in model.log.rows]


def test_after_the_vote_pressure_decays_to_the_post_vote_floor(replay):
    """After parliament's vote expulsion pressure decays (0.5% a day) toward
    ``expulsion_vote_floor`` (0.3), below the vote threshold (0.45): from 0.5, after 1,000 days
    it is within 0.01 of 0.3 (decaying toward the threshold would leave it above 0.45)."""
    model = _quiet(replay, **{"foreign_forces.expulsion_pressure": 0.5,
                              "foreign_forces.casualty_tolerance": 100.0})
    ff = model.foreign_force
    assert (ff.expulsion_vote_floor, ff.expulsion_vote_threshold) == (0.3, 0.45)
    for day in range(1000):
        model.day = day
        ff.step()
    assert ff.expulsion_voted
    assert ff.expulsion_pressure == pytest.approx(0.3, abs=0.01)


# ---- redeployment -------------------------------------------------------------------------------
def test_the_count_of_calm_days_starts_again_after_troops_return(replay):
    """After a redeployment the force counts calm days from zero: with ``redeploy_after_days``
    5 and every day calm, troops return on day 5 (half the gap: 3,000 → 4,100) and again on
    day 10 (4,100 → 4,650), not every day after the first return."""
    model = _quiet(replay, **{"foreign_forces.expulsion_pressure": 0.0,
                              "foreign_forces.redeploy_after_days": 5})
    assert presence_after_drawdown(model, 11) == [3000] * 4 + [4100] * 5 + [4650] * 2


# ---- the step-in backlash ----------------------------------------------------------------------
def test_a_visible_intervention_adds_the_step_in_backlash(replay):
    """US forces stepping in to a standoff add ``patron.step_in_backlash`` (here 0.3) to the
    patron's backlash stock, not a raid's backlash (0.05)."""
    model = _quiet(replay, **{"foreign_forces.backing": 0.0, "patron.step_in_backlash": 0.3,
                              "patron.raid_backlash": 0.05})
    s = _standoff_with_kh(model)
    before = model.patron.backlash
    standoffs.step_in(model, s, "test")
    assert model.patron.backlash == pytest.approx(before + 0.3)
