"""Issue 16, 2b "Beliefs and long runs": beliefs that differ by actor (the government's private
signals, militias reading US strikes), beliefs that forget, troops that come back after a
drawdown, a patron whose stability priority matters and who orders truces from the model's own
strikes, and ten-year runs that stay bounded through those decisions. Each link has a test that
fails when it is cut or its sign flipped; statistical checks run several seeds with stated
margins on the fast path (the same model, ``tests/test_fast_path.py``)."""

from __future__ import annotations

import numpy as np
import pytest

import leverage_sim as ls
from leverage_sim.simulation import fastpath
from leverage_sim.simulation.mechanisms import beliefs, patronage, redeploy
from leverage_sim.simulation.mechanisms.beliefs import BetaBelief
from leverage_sim.simulation.model import LeverageModel

TEN_YEARS = 3650


def _fast(overrides: dict, seeds, horizon: int = TEN_YEARS, name: str = "june_2020_replay"):
    runner = fastpath.Runner(ls.load_scenario(name, {**overrides, "horizon_days": horizon}))
    return [runner(seed) for seed in seeds]


def _count(run, action: str, actor: str | None = None) -> int:
    return sum(1 for r in run.log.rows if r[2] == action and (actor is None or r[1] == actor))


# ---- 1. beliefs differ by actor ---------------------------------------------------------------
def test_private_signal_draw():
    assert beliefs.private_signal(0.5, 0.1, 1.0) == -1  # no signal today
    assert beliefs.private_signal(0.05, 0.1, 1.0) == 1  # a signal: they will step in
    assert beliefs.private_signal(0.05, 0.1, 0.0) == 0  # a signal: they will not
    assert beliefs.private_signal(0.03, 0.1, 0.5) == 1 and beliefs.private_signal(0.07, 0.1,
                                                                                0.5) == 0


@pytest.mark.parametrize("backing, direction", [(1.0, 1), (0.0, -1)])
def test_liaison_moves_the_governments_belief_toward_the_real_commitment(replay, backing,
                                                                         direction):
    sc = ls.load_scenario(replay, {"government.liaison_rate": 1.0,
                                   "foreign_forces.backing": backing})
    model = LeverageModel(sc, 1)
    before = model.government.backing_belief.mean
    militias = [m.backing_belief.mean for m in model.militias]
    for _ in range(10):
        model.government.hear_liaison()
    assert direction * (model.government.backing_belief.mean - before) > 0.1
    assert [m.backing_belief.mean for m in model.militias] == militias  # theirs: unchanged


def test_militias_read_us_strikes_as_backing_the_government_does_not(model):
    gov = model.government.backing_belief.mean
    before = {m.name: m.backing_belief.mean for m in model.militias}
    model.foreign_force.strike("KH", "test")
    rise = {m.name: m.backing_belief.mean - before[m.name] for m in model.militias}
    assert rise["KH"] > rise["AAH"] > 0  # the struck militia most, its allies less
    assert model.government.backing_belief.mean == gov


@pytest.fixture
def model(replay) -> LeverageModel:
    return LeverageModel(replay, 1)


@pytest.mark.parametrize("backing", [0.1, 0.9])
def test_beliefs_diverge_over_ten_years_toward_what_each_actor_sees(backing):
    """Government and militias no longer agree: with the US's real commitment low (0.1) the
    government, hearing it privately, believes less in backing than the militias (who read the
    US's strikes as commitment); with it high (0.9), more. Margin 0.05 in the mean over 12
    runs, on each of two seed blocks."""
    for block in (0, 100):
        runs = _fast({"foreign_forces.backing": backing}, range(block, block + 12))
        gov = np.mean([r.government.backing_belief.mean for r in runs])
        mil = np.mean([np.mean([m.backing_belief.mean for m in r.militias]) for r in runs])
        if backing < 0.5:
            assert mil - gov > 0.05, (gov, mil)
        else:
            assert gov - mil > 0.05, (gov, mil)


def test_without_private_signals_the_government_reads_the_public_record():
    """Cutting the liaison (rate 0) takes the government's belief back up toward the militias'
    at low backing: the divergence comes from the link."""
    seeds = range(12)
    with_liaison = np.mean([r.government.backing_belief.mean
                            for r in _fast({"foreign_forces.backing": 0.1}, seeds)])
    without = np.mean([r.government.backing_belief.mean
                       for r in _fast({"foreign_forces.backing": 0.1,
                                       "government.liaison_rate": 0.0}, seeds)])
    assert without - with_liaison > 0.05


# ---- 2. beliefs forget --------------------------------------------------------------------------
def test_beta_belief_forgets_toward_its_prior():
    b = BetaBelief.from_mean(0.35, 4.0)
    for _ in range(20):
        b.observe(False)
    low = b.mean
    for _ in range(365):
        b.forget(365.0)
    assert low < b.mean < 0.35
    assert b.alpha + b.beta < 4.0 + 20 * np.exp(-1) + 0.5  # the evidence weighs e^-1 of itself
    for _ in range(5000):
        b.forget(365.0)
    assert (b.alpha, b.beta) == (b.alpha0, b.beta0)  # back at rest
    for _ in range(20):
        b.observe(True)
    high = b.mean
    for _ in range(365):
        b.forget(365.0)
    assert 0.35 < b.mean < high  # evidence for fades too


@pytest.mark.parametrize("memory, recovers", [(100.0, True), (36500.0, False)])
def test_beliefs_of_every_actor_forget_in_the_model(replay, memory, recovers):
    sc = ls.load_scenario(replay, {"government.raid_rate": 0.0, "government.liaison_rate": 0.0,
                                   "government.belief_memory_days": memory,
                                   "foreign_forces.belief_memory_days": memory,
                                   **{f"militias[{m.name}].belief_memory_days": memory
                                      for m in replay.militias},
                                   "events": []})
    model = LeverageModel(sc, 1, collect_data=False)
    prior_g = model.government.backing_belief.mean
    prior_m = model.militias[0].resolve_belief.mean
    prior_us = model.foreign_force.partner_belief.mean
    for _ in range(20):
        model.observe_backing(False, weight=1.0)
        for m in model.militias:
            m.resolve_belief.observe(False)
        model.foreign_force.partner_belief.observe(False)
    for _ in range(400):
        model.step()
    gaps = (prior_g - model.government.backing_belief.mean,
            prior_m - model.militias[0].resolve_belief.mean,
            prior_us - model.foreign_force.partner_belief.mean)
    assert all((g < 0.05) if recovers else (g > 0.1) for g in gaps), gaps


# ---- 3. troops come back --------------------------------------------------------------------------
def test_redeploy_size_and_calm_days():
    assert redeploy.redeploy_size(3000, 5200, 0.5) == 1100
    assert redeploy.redeploy_size(5199, 5200, 0.5) == 1
    assert redeploy.redeploy_size(5200, 5200, 0.5) == 0
    assert redeploy.calm_days(10, 1.0, 6.0, 0.25) == 11
    assert redeploy.calm_days(10, 2.0, 6.0, 0.25) == 0


def _calm_after_drawdown(replay, **overrides) -> LeverageModel:
    sc = ls.load_scenario(replay, {
        "government.raid_rate": 0.0, "patron.resources": 0.0, "foreign_forces.expulsion_pressure":
        0.0, "foreign_forces.redeploy_after_days": 30, "horizon_days": 200,
        "events": [{"day": 5, "actor": "foreign_forces", "action": "drawdown",
                    "figures": {"troops": 2200}}], **overrides})
    model = LeverageModel(sc, 1, collect_data=False)
    while model.running:
        model.step()
    return model


def test_troops_return_after_a_calm_and_everyone_sees_it(replay):
    model = _calm_after_drawdown(replay)
    ev = model.log.frame()
    back = ev[ev["action"] == "redeploy"]
    assert len(back) >= 2 and back["day"].iloc[0] == 5 + 29  # the 30th calm day (the first: day 5)
    assert back["value"].iloc[0] == 1100  # half the gap of 2,200
    assert 3000 < model.foreign_force.presence <= 5200
    # beliefs in backing: down by the drawdown, up by each return
    quiet = _calm_after_drawdown(replay, **{"foreign_forces.redeploy_calm_share": 0.0})
    assert quiet.foreign_force.presence == 3000  # no calm day counts: no return
    assert model.government.backing_belief.mean > quiet.government.backing_belief.mean
    assert model.militias[0].backing_belief.mean > quiet.militias[0].backing_belief.mean


def test_no_return_while_staying_is_costly(replay):
    model = _calm_after_drawdown(replay, **{"foreign_forces.expulsion_pressure": 0.5})
    assert model.foreign_force.presence == 3000  # cost 5 > 0.25 × 6: never calm


def test_a_withdrawal_is_final(replay):
    model = _calm_after_drawdown(replay, events=[
        {"day": 5, "actor": "foreign_forces", "action": "withdrawal"}])
    assert model.foreign_force.presence == 0


# ---- 4. the patron's restraint -----------------------------------------------------------------
def test_stability_priority_lowers_the_push_continuously():
    """Below the threshold (w ≈ 0) a higher stability priority lowers the target in proportion
    to war risk; past it, as before."""
    low = patronage.target_instigation(0.6, 0.0, 0.0, 0.0, 0.3)
    high = patronage.target_instigation(0.6, 0.0, 0.0, 1.0, 0.3)
    assert low == pytest.approx(0.6) and high == pytest.approx(0.3)
    assert patronage.target_instigation(0.6, 0.0, 0.0, 1.0, 0.1) > high  # more risk, less push
    assert patronage.target_instigation(0.6, 0.3, 1.0, 0.5, 1.0) == pytest.approx(0.1)


def test_stability_priority_changes_attacks_across_seeds():
    """One year of the replay world, 150 runs per seed block: stability priority 0 against 1
    gives at least 10% more attacks, on each of three blocks (measured ~25%)."""
    for block in (0, 1000, 2000):
        seeds = range(block, block + 150)
        attacks = {sp: np.mean([_count(r, "attack") for r in
                                _fast({"patron.stability_priority": sp}, seeds, 365)])
                   for sp in (0.0, 1.0)}
        assert attacks[0.0] > 1.1 * attacks[1.0], attacks


def test_truce_rule():
    assert patronage.declares_truce(0.6, -1, 10)
    assert not patronage.declares_truce(0.4, -1, 10)
    assert not patronage.declares_truce(0.9, 12, 10)  # one in force
    assert patronage.truce_target(0.6, 12, 10, 0.1) == 0.1
    assert patronage.truce_target(0.6, 9, 10, 0.1) == 0.6


def test_the_patron_orders_a_truce_after_the_models_own_strikes():
    """No scripted strike or truce: deadly attacks bring US strikes by the model's own decision,
    war risk passes the threshold and the patron orders a truce (logged, actor patron), after
    which its instigation is held at the truce level."""
    deadly = {"foreign_forces.sites[bases].lethality": 0.6, "militias[KH].attack_rate": 0.6,
              "foreign_forces.casualty_tolerance": 1000, "events": []}
    runs = _fast(deadly, range(20), 365)
    with_truce = [r for r in runs if _count(r, "truce", "patron")]
    assert len(with_truce) >= 10
    for r in with_truce[:5]:
        rows = r.log.rows
        first = next(i for i, x in enumerate(rows) if x[2] == "truce")
        assert any(x[2] == "strike" for x in rows[:first])  # strikes came first
        assert rows[first][5] == pytest.approx(0.1)  # held at truce_instigation
    quiet = _fast({**deadly, "foreign_forces.retaliation_probability": 0.0}, range(20), 365)
    assert sum(_count(r, "truce") for r in quiet) < 0.5 * sum(_count(r, "truce") for r in runs)


def test_a_truce_holds_instigation_down(replay):
    sc = ls.load_scenario(replay, {"events": [], "patron.us_threat": 0.8})
    model = LeverageModel(sc, 1, collect_data=False)
    for _ in range(30):
        model.step()
    assert model.patron.truce_until >= 29
    assert model.patron.instigation < 0.2
    assert list(model.log.frame()["action"]).count("truce") == 1


def test_a_clients_win_plans_a_campaign_that_peaks_later():
    plan, campaign, path = 1.0, 0.0, []
    for _ in range(200):
        plan, campaign = patronage.campaign_step(plan, campaign, 90.0, 45.0)
        path.append(campaign)
    peak = int(np.argmax(path))
    assert 50 <= peak <= 75 and 0.4 < max(path) < 0.6
    assert patronage.supply(1.0, 0.5) == 1.5


def test_relent_starts_the_campaign_a_win_does_not(model):
    kh = model.militia("KH")
    model.end_standoff_shifts(kh, government_won=True, authority_step=0.1)
    assert model.patron.campaign_plan == 0
    model.end_standoff_shifts(kh, government_won=False, authority_step=0.1)
    assert model.patron.campaign_plan == model.patron.win_campaign
    before = model.patron.supply
    for _ in range(30):
        model.patron.step()
    assert model.patron.supply > before
    assert kh.attack_intensity(5200) > 0


# ---- 6. long runs -------------------------------------------------------------------------------
def test_ten_year_runs_stay_bounded_and_respond_to_events():
    """Ten years of the replay world, 12 runs on each of two seed blocks: coalition support and
    troops stay within bounds; troops that drew down come back in some runs (the US's own
    decision), never above the authorised level; beliefs stay away from 0 and 1 (they forget);
    the game moves state: with no enforcement, coalition support stays at its start."""
    for block in (0, 500):
        runs = _fast({}, range(block, block + 12))
        coalition = [r.government.coalition_support for r in runs]
        assert all(0.0 < c < 1.0 for c in coalition)
        assert 0.2 < np.mean(coalition) < 0.7
        presence = [r.foreign_force.presence for r in runs]
        assert all(0 <= p <= 5200 for p in presence)
        assert sum(_count(r, "redeploy") for r in runs) >= 1
        assert np.mean([p > 0 for p in presence]) >= 0.5
        means = [r.government.backing_belief.mean for r in runs]
        means += [m.backing_belief.mean for r in runs for m in r.militias]
        assert all(0.05 < x < 0.95 for x in means)
        assert np.std(coalition) > 0.0  # the game moves it
    still = _fast({"government.raid_rate": 0.0, "events": []}, range(4))
    assert all(r.government.coalition_support == 0.45 for r in still)
