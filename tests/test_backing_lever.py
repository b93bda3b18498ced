"""The lever's own meaning and what backing costs (issue 16, section 2b: "Backing is free", "The
lever's own meaning"): backing 0 and 1 are exact, every part of what stepping in adds scales with
the troops in country, a drawdown stops at the floor, a visible intervention has costs, and
parliament's expulsion vote is a decided event. One test per link (each fails if the link is cut
or its sign flipped); statistical checks on the fast path over several seeds with stated
margins."""

from __future__ import annotations

import math

import pytest

import leverage_sim as ls
from leverage_sim.simulation import standoffs
from leverage_sim.simulation.mechanisms import backing, standoff, withdrawal
from leverage_sim.simulation.model import LeverageModel

from .conftest import model_on_raid_day

NO_COSTS = {"foreign_forces.step_in_expulsion_pressure": 0.0, "patron.step_in_backlash": 0.0,
            "escalation.per_step_in": 0.0, "government.step_in_coalition_cost": 0.0}
"""A visible intervention without its costs."""


def _fast(replay, n: int, seed: int, **overrides) -> ls.Results:
    return ls.run(ls.load_scenario(replay, overrides), replications=n, seed=seed,
                  posterior=None, engine="fast")


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


# ---- 1. backing is the probability of stepping in: exact endpoints, state on the logit scale ----
STATES = [(a, t, e, u, k) for a in (0.0, 1.0) for t in (0.0, 1.0) for e in (0.0, 1.0)
          for u in (0.0, 1.0) for k in (0.0, 1.0, 20.0)]


@pytest.mark.parametrize("state", STATES)
def test_backing_zero_and_one_are_exact_in_every_state(state):
    assert backing.step_in_probability(0.0, *state) == 0.0
    assert backing.step_in_probability(1.0, *state) == 1.0
    ps = [backing.step_in_probability(b, *state) for b in (0.01, 0.1, 0.5, 0.9, 0.99)]
    assert ps == sorted(ps) and all(0 <= p <= 1 for p in ps)
    if state[-1] <= 1:  # (a steep sensitivity saturates in floating point)
        assert len(set(ps)) == len(ps) and all(0 < p < 1 for p in ps)


def test_the_us_state_shifts_the_chance_on_the_logit_scale():
    b, sensitivity = 0.3, 1.5
    assert backing.step_in_probability(b, 0.5, 0.5, 0.0, 0.0, sensitivity) == pytest.approx(b)
    for state, z in [((0.9, 0.5, 0.0, 0.0), 0.4), ((0.5, 0.8, 0.0, 0.0), 0.3),
                     ((0.5, 0.5, 0.4, 0.0), -0.4), ((0.5, 0.5, 0.0, 0.7), 0.7)]:
        p = backing.step_in_probability(b, *state, sensitivity)
        assert _logit(p) - _logit(b) == pytest.approx(sensitivity * z)


@pytest.mark.parametrize("seed", [5, 6])
def test_full_backing_steps_into_every_standoff_and_none_steps_in_without(replay, seed):
    """At backing 1 the US steps in to every standoff the scripted raid opens (the old
    exp-modulated rule: ~75%); at backing 0 to none."""
    for b, share in ((1.0, 1.0), (0.0, 0.0)):
        ev = _fast(replay, 100, seed, **{"foreign_forces.backing": b}).events
        opened = ev[(ev["action"] == "standoff") & ev["detail"].str.contains("at stake")]
        backed = ev[ev["action"] == "backing"]
        pairs = set(zip(opened["replication"], opened["target"], strict=True))
        hits = set(zip(backed["replication"], backed["target"], strict=True))
        assert len(opened) >= 80
        assert len(pairs & hits) / len(pairs) == share


# ---- 2. what stepping in adds scales with what is in country, air support included -------------
def test_air_support_needs_troops_in_country():
    assert backing.air_support_share(0) == 0.0
    assert backing.air_support_share(int(backing.AIR_SUPPORT_HALF_PRESENCE)) == 0.5
    shares = [backing.air_support_share(p) for p in (1, 100, 1000, 5200, 50_000)]
    assert shares == sorted(shares) and shares[0] < 0.005 and shares[-1] > 0.98
    one = backing.us_standoff_strength(1, 0.2, 3.0, 2000.0)
    assert one < 5.0  # one soldier: ~nothing, against 375 loyal personnel-equivalent
    assert backing.us_standoff_strength(5200, 0.2, 3.0, 2000.0) > 3120 + 0.9 * 2000


@pytest.mark.parametrize("seed", [11, 12])
def test_one_soldier_in_country_adds_next_to_nothing(replay, seed):
    """Full backing with one soldier in country holds firm about as often as with none (the
    old rule counted all 2,000 of air support: 0.26 against 0.02)."""
    held = {p: (_fast(replay, 200, seed, **{"foreign_forces.backing": 1.0,
                                            "foreign_forces.presence": p}
                      ).summary["held_firm"] > 0).mean() for p in (0, 1, 5200)}
    assert abs(held[1] - held[0]) <= 0.05
    assert held[5200] > held[0] + 0.3


# ---- 3. a drawdown stops at the floor; withdrawal is a further decision -------------------------
def test_staying_decisions_stop_at_the_floor():
    d = withdrawal.drawdown_decision
    assert d(5200, 0.4, 1000, True, 7.0, 6.0, False) == (2080, True, False)
    assert d(1500, 0.4, 1000, True, 7.0, 6.0, False) == (500, True, True)  # to the floor
    assert d(1000, 0.4, 1000, True, 7.0, 6.0, False) == (0, True, True)  # at it: review
    assert d(1000, 0.4, 1000, True, 7.0, 6.0, True) == (1000, True, False)  # still above: leave
    assert d(1000, 0.4, 1000, False, 7.0, 6.0, True) == (0, False, True)  # cooling down
    assert d(1000, 0.4, 1000, False, 5.0, 6.0, True) == (0, False, False)  # cost fell: review ends
    assert d(5200, 0.4, 1000, True, 5.0, 6.0, False) == (0, False, False)
    assert d(0, 0.4, 1000, True, 9.0, 6.0, True) == (0, False, False)


def _force(replay, presence: int) -> LeverageModel:
    return LeverageModel(ls.load_scenario(replay, {"foreign_forces.presence": presence}), 1)


def test_the_first_drawdown_below_the_floor_is_not_a_withdrawal(replay):
    model = _force(replay, 1500)
    ff = model.foreign_force
    ff.remembered_casualties = 100.0
    ff.consider_drawdown()
    assert ff.presence == ff.withdrawal_floor and not ff.withdrawn
    for day in (1, ff.drawdown_cooldown_days - 1):
        model.day = day
        ff.consider_drawdown()
        assert ff.presence == ff.withdrawal_floor
    model.day = ff.drawdown_cooldown_days
    ff.consider_drawdown()  # the cost stayed above tolerance at the floor: it leaves
    assert ff.withdrawn and ff.withdrawal_day == ff.drawdown_cooldown_days
    actions = list(model.log.frame()["action"])
    assert actions == ["drawdown", "withdrawal"]


def test_a_force_at_the_floor_stays_when_the_cost_falls_back(replay):
    model = _force(replay, 1000)
    ff = model.foreign_force
    ff.remembered_casualties = 100.0
    ff.consider_drawdown()
    assert ff.presence == 1000 and ff.floor_review  # reviewed, nobody leaves
    model.day = 30
    ff.remembered_casualties = 0.0
    ff.consider_drawdown()
    assert not ff.floor_review
    model.day = ff.drawdown_cooldown_days
    ff.remembered_casualties = 100.0
    ff.consider_drawdown()  # above tolerance again: a new review, not a withdrawal
    assert ff.presence == 1000 and ff.floor_review
    assert "withdrawal" not in set(model.log.frame()["action"])


def test_a_scripted_drawdown_withdraws_what_it_says(replay):
    model = _force(replay, 1500)
    model.foreign_force.draw_down(1000, "test")
    assert model.foreign_force.presence == 500
    model.foreign_force.draw_down(500, "test")
    assert model.foreign_force.withdrawn


# ---- 4. a visible intervention has costs -------------------------------------------------------
def _open_standoff(replay, **overrides) -> tuple[LeverageModel, standoff.Standoff]:
    sc = ls.load_scenario(replay, {"foreign_forces.backing": 0.0, **overrides})
    for seed in range(30):
        model = model_on_raid_day(sc, seed)
        model.step()
        if model.open_standoffs():
            return model, model.open_standoffs()[0]
    raise AssertionError("no standoff opened in 30 seeds")


COSTS = [  # (parameter, what it moves, sign)
    ("foreign_forces.step_in_expulsion_pressure",
     lambda m: m.foreign_force.expulsion_pressure, 1),
    ("patron.step_in_backlash", lambda m: m.patron.backlash, 1),
    ("escalation.per_step_in", lambda m: m.escalation, 1),
    ("government.step_in_coalition_cost", lambda m: m.government.coalition_support, -1),
]


@pytest.mark.parametrize("path, read, sign", COSTS, ids=[c[0] for c in COSTS])
def test_stepping_in_pays_each_cost(replay, path, read, sign):
    for value in (0.1, 0.0):
        model, s = _open_standoff(replay, **{path: value})
        before = read(model)
        standoffs.step_in(model, s, "test")
        assert read(model) - before == pytest.approx(sign * value)
        assert s.us_stepped_in


def test_the_patron_answers_a_step_in_with_more_instigation(replay):
    """The backlash reaches the militias: instigation the next days is higher than without."""
    inst = {}
    for value in (0.3, 0.0):
        model, s = _open_standoff(replay, **{"patron.step_in_backlash": value})
        standoffs.step_in(model, s, "test")
        model.patron.step()
        model.patron.step()
        inst[value] = model.patron.instigation
    assert inst[0.3] > inst[0.0] + 0.01


@pytest.mark.parametrize("seed", [21, 22])
def test_backing_lowers_attacks_but_costs_staying_power(replay, seed):
    """Over a year of frequent raids: full backing lowers attacks (deterrence, strength) but
    its visible interventions bring parliament's vote and drawdowns; with the costs set to 0,
    the political effect vanishes and the attacks fall further (no backlash)."""
    year = {"horizon_days": 365, "government.raid_rate": 0.05}
    n = 150
    runs = {
        "none": _fast(replay, n, seed, **year, **{"foreign_forces.backing": 0.0}),
        "full": _fast(replay, n, seed, **year, **{"foreign_forces.backing": 1.0}),
        "full, free": _fast(replay, n, seed, **year, **{"foreign_forces.backing": 1.0},
                            **NO_COSTS),
        "none, free": _fast(replay, n, seed, **year, **{"foreign_forces.backing": 0.0},
                            **NO_COSTS),
    }
    attacks = {k: r.summary["attacks"].mean() for k, r in runs.items()}
    votes = {k: (r.events["action"] == "expulsion_vote").sum() / n for k, r in runs.items()}
    drawdowns = {k: (r.events["action"] == "drawdown").sum() / n for k, r in runs.items()}
    assert attacks["full"] < 0.85 * attacks["none"]  # backing still lowers attacks ...
    assert attacks["full"] > attacks["full, free"] + 1.0  # ... less than if it were free
    assert votes["full"] > votes["none"] + 0.3  # its costs: the vote, drawdowns
    assert drawdowns["full"] > drawdowns["none"] + 0.5
    assert votes["full, free"] <= votes["none, free"] + 0.05  # free: no political effect
    assert drawdowns["full, free"] <= drawdowns["none, free"] + 0.1


# ---- 5. parliament's expulsion vote ------------------------------------------------------------
def test_expulsion_vote_when_pressure_passes_the_threshold(replay):
    model = LeverageModel(replay, 1)
    ff = model.foreign_force
    ff.expulsion_pressure = ff.expulsion_vote_threshold - 0.01
    ff.step()
    assert not ff.expulsion_voted
    ff.expulsion_pressure = ff.expulsion_vote_threshold + 0.05
    ff.step()
    assert ff.expulsion_voted
    votes = model.log.frame().query("action == 'expulsion_vote'")
    assert len(votes) == 1
    vote = votes.iloc[0]
    assert vote["actor"] == "government" and vote["target"] is None
    assert vote["value"] == pytest.approx(ff.expulsion_vote_threshold + 0.05)
    for day in range(1, 600):  # the resolution stands: pressure stays at or above the floor
        model.day = day
        ff.step()
        assert ff.expulsion_pressure >= ff.expulsion_vote_floor
    ff.expulsion_pressure = 0.9  # a second pass: no second vote
    ff.step()
    assert (model.log.frame()["action"] == "expulsion_vote").sum() == 1


def test_no_vote_without_troops_in_country(replay):
    model = LeverageModel(ls.load_scenario(replay, {"foreign_forces.presence": 0}), 1)
    model.foreign_force.expulsion_pressure = 0.9
    model.foreign_force.step()
    assert not model.foreign_force.expulsion_voted


def test_after_the_vote_pressure_fades_to_its_floor_not_to_zero():
    assert withdrawal.decay_expulsion(0.5, False, 0.3) < 0.5
    p, q = 0.6, 0.6
    for _ in range(2000):
        p = withdrawal.decay_expulsion(p, True, 0.3)
        q = withdrawal.decay_expulsion(q, False, 0.3)
    assert p == pytest.approx(0.3, abs=1e-3) and q < 0.01
    assert withdrawal.decay_expulsion(0.2, True, 0.3) == 0.3
    assert withdrawal.vote_due(0.5, 0.45, False, 100)
    assert not withdrawal.vote_due(0.5, 0.45, True, 100)
    assert not withdrawal.vote_due(0.4, 0.45, False, 100)
    assert not withdrawal.vote_due(0.5, 0.45, False, 0)


def test_the_vote_raises_the_us_political_cost_and_its_drawdowns(replay):
    """The vote's consequence reaches the US's decision: with a floor, the cost stays high."""
    cost = {}
    for floor in (0.5, 0.0):
        model = LeverageModel(ls.load_scenario(replay, {
            "foreign_forces.expulsion_vote_floor": floor}), 1)
        ff = model.foreign_force
        ff.expulsion_pressure = 0.6
        for day in range(300):
            model.day = day
            ff.step()
        cost[floor] = withdrawal.political_cost(ff.remembered_casualties, ff.expulsion_pressure)
    assert cost[0.5] >= 10 * 0.5 > cost[0.0] + 2


@pytest.mark.parametrize("seed", [31, 32])
def test_the_2020_strikes_bring_the_vote_in_early_january(seed):
    """oct2019_dec2020 scripts the strikes of 29 Dec 2019 and 3 Jan 2020: the decided vote
    comes with the second in most runs (history: the vote of 5 Jan 2020), never before
    December unless unscripted strikes came first."""
    res = ls.run("oct2019_dec2020", replications=60, seed=seed, posterior=None, engine="fast")
    votes = res.events.query("action == 'expulsion_vote'")
    assert votes["replication"].nunique() == 60 and len(votes) == 60
    dates = votes["date"].astype(str)
    assert (dates == "2020-01-03").mean() >= 0.55
    assert dates.between("2019-12-29", "2020-01-03").mean() >= 0.85
