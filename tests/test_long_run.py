"""Long runs (ten years, the agent path): coalition support and troop presence stay in bounds,
recover after shocks, and respond to events; memories of losses fade, so drawdowns stop once
the losses that caused them are old; militias' morale and losses recover.

Several seeds each; the checks are bookkeeping invariants (exact) or signs with wide margins
(the model's own recovery time constants give the expected size)."""

from __future__ import annotations

import math

import pytest

import leverage_sim as ls
from leverage_sim.simulation.model import LeverageModel
from leverage_sim.simulation.outcomes import OUTCOMES

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


BURST = {  # losses early (scripted deadly attacks), then a truce: attacks stop for good
    "foreign_forces.drawdown_share": 0.1, "foreign_forces.drawdown_cooldown_days": 60,
    "foreign_forces.retaliation_probability": 0.0, "foreign_forces.expulsion_pressure": 0.0,
    "foreign_forces.sites[bases].lethality": 2.0, "foreign_forces.sites[bases].interception": 0.0,
    "government.raid_rate": 0.0,
    "events": [*({"day": d, "actor": "KH", "action": "attack", "target": "bases"}
                 for d in range(5, 15)),
               {"day": 20, "actor": "patron", "action": "truce", "figures": {"instigation": 0.0}}],
}


def _presence_after(presence: int, row: tuple) -> int:
    """Presence after one logged event: troops killed in an attack that got through (its
    value), drawn down or withdrawn (its value), redeployed (its value); other events leave it."""
    _, actor, action, _, detail, value = row
    if action == "attack" and detail != "intercepted":
        return presence - int(value)
    if actor == "foreign_forces" and action in ("drawdown", "withdrawal"):
        return presence - int(value)
    if actor == "foreign_forces" and action == "redeploy":
        return presence + int(value)
    return presence


@pytest.mark.parametrize("variant", ["deadly", "burst"])
@pytest.mark.parametrize("seed", SEEDS)
def test_troop_presence_moves_only_with_logged_drawdowns(seed, variant):
    """Every change in presence is logged: presence = start − drawn down or withdrawn − killed
    (casualties of attacks that got through) + redeployed, replayed event by event each day and
    exact at the end of every day; presence stays within [0, initial]; a drawdown never takes
    the force below its floor (only a withdrawal, of a force at the floor, or the loss of its
    last troops empties it); the casualties logged are the summary's; once the force has left
    there are no attacks and no strikes. The deadly variant draws down to the floor and
    withdraws; the burst variant loses troops, draws down, and redeploys after the truce."""
    model = _model(seed, **(DEADLY if variant == "deadly" else BURST))
    ff = model.foreign_force
    initial, floor = ff.presence, ff.withdrawal_floor
    presence = [initial]
    while model.running:
        model.step()
        presence.append(ff.presence)
        assert 0 <= ff.presence <= initial
    rows = model.log.rows
    by_day: dict[int, list[tuple]] = {}
    for row in rows:
        by_day.setdefault(row[0], []).append(row)
    reached_floor = False
    for day in range(model.day):
        running = presence[day]
        for row in by_day.get(day, []):
            before, running = running, _presence_after(running, row)
            assert 0 <= running <= initial, (day, row)
            if row[1] == "foreign_forces" and row[2] == "drawdown":
                assert running >= floor, (day, row)  # a drawdown stops at the floor
                reached_floor |= running == floor
            if row[1] == "foreign_forces" and row[2] == "withdrawal":
                assert running == 0 and before <= floor, (day, row)  # from the floor, or none left
        assert running == presence[day + 1], (day, running, presence[day + 1])
    ev = model.log.frame()
    hits = ev[(ev["action"] == "attack") & (ev["detail"] != "intercepted")]
    assert hits["value"].sum() == OUTCOMES["us_casualties"](model)  # the summary's casualties
    moves = ev[(ev["actor"] == "foreign_forces") & ev["action"].isin(["drawdown", "withdrawal"])]
    assert len(moves) > 0  # both variants make the US draw down
    if variant == "deadly":  # ... to the floor, and then withdraw
        assert reached_floor and ff.withdrawn
    else:  # every kind of change is exercised: troops killed, drawn down and redeployed
        assert hits["value"].sum() > 0 and (ev["action"] == "redeploy").any()
    if ff.withdrawn:
        gone = ff.withdrawal_day
        after = ev[ev["day"] > gone]
        assert not after["action"].isin(["attack", "strike", "backing", "redeploy"]).any()
        assert ev.query("action == 'withdrawal'")["day"].tolist() == [gone]


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
