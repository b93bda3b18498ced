"""Long runs (ten years, the agent path): coalition support and troop presence stay in bounds,
recover after shocks, and respond to events; memories of losses fade, so drawdowns stop once
the losses that caused them are old; militias' morale and losses recover.

Several seeds each; the checks are bookkeeping invariants (exact) or signs with wide margins
(the model's own recovery time constants give the expected size)."""

from __future__ import annotations

import math

import pytest

import leverage_sim as ls
from leverage_sim.model import LeverageModel

TEN_YEARS = 3650
SEEDS = (1, 2, 3, 81)


def _model(seed: int, **overrides) -> LeverageModel:
    return LeverageModel(ls.load_scenario("june_2020_replay",
                                          {"horizon_days": TEN_YEARS, **overrides}),
                         seed, collect_data=False)


# coalition support ------------------------------------------------------------------------------
def _coalition(seed: int, shock_day: int | None = None, **overrides) -> tuple[list[float], float]:
    """Coalition support each day of a ten-year run (checked in [0, 1] every day), shocked by
    −0.4 on ``shock_day``; and the shocked value."""
    model = _model(seed, **overrides)
    gov, seen, shocked = model.government, [], math.nan
    while model.running:
        model.step()
        if model.day == shock_day:
            gov.shift(coalition_support=-0.4)
            shocked = gov.coalition_support
        seen.append(gov.coalition_support)
        assert 0.0 <= gov.coalition_support <= 1.0
    return seen, shocked


@pytest.mark.parametrize("seed", SEEDS)
def test_coalition_support_recovers_after_a_shock_and_stays_in_bounds(seed):
    """A shock of −0.4 to coalition support on day 400, against the same run unshocked: the
    gap closes with the government's recovery time constant τ (about e^−1 of it is left after
    τ, wide margins for the runs' diverging events) and is gone after 3τ; the last year's mean
    is near the baseline."""
    plain, _ = _coalition(seed)
    seen, shocked = _coalition(seed, 400)
    model = _model(seed)
    base, tau = model.government.baseline["coalition_support"], model.government.recovery_days
    gap0 = plain[399] - shocked
    assert gap0 > 0.2  # less when support was already low (kept ≥ 0)
    after_tau = plain[399 + round(tau)] - seen[399 + round(tau)]
    assert 0.0 < after_tau < 0.75 * gap0, (gap0, after_tau)  # e^-1 ≈ 0.37
    late = slice(399 + round(3 * tau), None)
    assert abs(sum(plain[late]) - sum(seen[late])) / len(plain[late]) < 0.1
    for run in (plain, seen):
        assert abs(sum(run[-365:]) / 365 - base) < 0.2


def test_raids_and_their_threats_lower_coalition_support():
    """Coalition support responds to events: frequent raids (and the public threats they
    bring) keep it lower over ten years than no unscripted raids."""
    for seed in SEEDS[:3]:
        calm, _ = _coalition(seed, **{"government.raid_rate": 0.0})
        raids, _ = _coalition(seed, **{"government.raid_rate": 0.05})
        assert sum(raids) / len(raids) < sum(calm) / len(calm) - 0.05, seed


# troop presence ---------------------------------------------------------------------------------
DEADLY = {"foreign_forces.casualty_tolerance": 2, "foreign_forces.sites[bases].lethality": 2,
          "militias[KH].attack_rate": 1.0, "foreign_forces.drawdown_cooldown_days": 30}


@pytest.mark.parametrize("seed", SEEDS)
def test_troop_presence_moves_only_with_logged_drawdowns(seed):
    """Every change in presence is a logged drawdown or withdrawal of that many troops on that
    day; presence stays within [0, initial] and never below the floor unless zero; once the
    force has left there are no attacks and no strikes."""
    model = _model(seed, **DEADLY)
    ff = model.foreign_force
    initial, floor = ff.presence, ff.withdrawal_floor
    presence = [initial]
    while model.running:
        model.step()
        presence.append(ff.presence)
        assert 0 <= ff.presence <= initial
        assert ff.presence == 0 or ff.presence >= floor
    ev = model.log.frame()
    moves = ev[(ev["actor"] == "foreign_forces") & ev["action"].isin(["drawdown", "withdrawal"])]
    logged = moves.groupby("day")["value"].sum()
    for day in range(model.day):
        change = presence[day] - presence[day + 1]
        if change > 0:
            assert logged.get(day, 0) == change, (day, change)
        elif change < 0:  # troops return only with a logged foreign-force event that day
            assert ((ev["day"] == day) & (ev["actor"] == "foreign_forces")).any(), day
        else:
            assert logged.get(day, 0) == 0, day
    assert len(moves) > 0  # the deadly variant makes the US draw down
    if ff.withdrawn:
        gone = ff.withdrawal_day
        after = ev[ev["day"] > gone]
        assert not after["action"].isin(["attack", "strike", "backing"]).any()
        assert model.log.frame().query("action == 'withdrawal'")["day"].tolist() == [gone]


BURST = {  # losses early (scripted deadly attacks), then a truce: attacks stop for good
    "foreign_forces.drawdown_share": 0.1, "foreign_forces.drawdown_cooldown_days": 60,
    "foreign_forces.retaliation_probability": 0.0, "foreign_forces.expulsion_pressure": 0.0,
    "foreign_forces.sites[bases].lethality": 2.0, "foreign_forces.sites[bases].interception": 0.0,
    "government.raid_rate": 0.0,
    "events": [*({"day": d, "actor": "KH", "action": "attack", "target": "bases"}
                 for d in range(5, 15)),
               {"day": 20, "actor": "patron", "action": "truce", "figures": {"instigation": 0.0}}],
}


@pytest.mark.parametrize("seed", SEEDS)
def test_drawdowns_follow_fading_losses_and_stop_when_they_are_old(seed):
    """A burst of US losses in the first weeks brings drawdowns (they respond to the event);
    as the remembered losses fade (time constant CASUALTY_MEMORY_DAYS) the drawdowns stop:
    none after two years, and the force is still there after ten."""
    model = _model(seed, **BURST)
    ff = model.foreign_force
    while model.running:
        model.step()
        assert ff.remembered_casualties <= ff.casualties + 1e-9
    ev = model.log.frame()
    moves = ev[(ev["actor"] == "foreign_forces") & ev["action"].isin(["drawdown", "withdrawal"])]
    assert ff.casualties > ff.casualty_tolerance, "the burst should exceed the tolerance"
    assert len(moves) >= 1, "losses above tolerance bring a drawdown"
    assert moves["day"].max() < 730, moves["day"].tolist()
    assert not ff.withdrawn and ff.presence > 0.5 * ls.load_scenario(
        "june_2020_replay").foreign_forces.presence
    assert ff.remembered_casualties < 0.01 * ff.casualties


# militias recover -------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS[:2])
def test_militia_morale_losses_and_autonomy_recover_over_a_quiet_year(seed):
    names = [m.name for m in ls.load_scenario("june_2020_replay").militias]
    model = _model(seed, events=[], **{"government.raid_rate": 0.0, "patron.instigation": 0.0},
                   **{f"militias[{m}].hostility": 0.0 for m in names})
    kh = model.militia("KH")
    model.end_standoff_shifts(kh, government_won=False, authority_step=0.1)
    kh.fighters -= 300
    assert kh.morale > 0.3 and kh.fighters < kh.initial_fighters
    for _ in range(365):
        model.step()
    for m in model.militias:
        assert abs(m.morale) < 0.05 * 0.5 + 1e-3, (m.name, m.morale)
        assert abs(m.autonomy - m.baseline["autonomy"]) < 0.08 * math.exp(-365 / m.recovery_days
                                                                           ) + 0.02
    assert kh.initial_fighters - kh.fighters < 300 * 0.5
    assert abs(model.government.authority - model.government.baseline["authority"]) < 0.1 * 0.5
