"""Wiring, tenth audit (scripts/mutation_check.py, the mutations under "tenth audit"; of its
eight, six were already killed by the model tests). Each test sets the state a link reads and
checks that the actor that should react does, exactly where the amount is documented. The two
links hand-made bugs cut without the model tests failing: coalition support and authority
recover toward their own baselines over the government's recovery_days (the replay has
recovery_days = belief_memory_days, so a swap of the two cannot show there). Three links whose
bugs the model tests caught only on one path or only indirectly (a unit test of the mechanism
or the agent, a long run's redeployment) are checked here on both paths too: a scripted truce
caps every militia's hostility; US casualties scale with the exposure of the troops in
country; a US strike adds its expulsion pressure, bringing parliament's vote nearer.

Every test runs on both engines through the fifth audit's helpers (:func:`_events`: the event
logs of a few seeds; :func:`_finals`: the final state of a short quiet run; :func:`_scenario`:
the replay made quiet), so each link is checked where it is written twice."""

from __future__ import annotations

import pytest

from leverage_sim.simulation.fastpath import layout as L
from leverage_sim.simulation.mechanisms import withdrawal

from .test_wiring_fifth_audit import NAMES, NO_ATTACKS, _events, _finals, _scenario


# ---- scripted events: the actors they change ---------------------------------------------------
def test_a_scripted_truce_caps_every_militias_hostility(replay):
    """A scripted truce caps each militia's own hostility at the truce's level (the replay's
    militias all start at 0.3; the truce's level is 0.1): every militia, not only the first
    (KH), ends at 0.1, on both paths."""
    truce = {"day": 0, "actor": "patron", "action": "truce", "figures": {"instigation": 0.1}}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 2, "events": [truce]})
    assert [m.hostility for m in sc.militias] == [0.3] * len(NAMES)
    for hostility in _finals(sc, lambda model: [m.hostility for m in model.militias],
                             lambda w, m: list(m[:, L.HOSTILITY])):
        assert hostility == [0.1] * len(NAMES)


# ---- attacks: casualties by exposure -----------------------------------------------------------
def _casualties_per_attack(replay, exposure_half: float) -> list[tuple[int, float]]:
    """(attacks, mean US casualties per attack) on each path, two seeds pooled: KH alone
    attacks (attack_rate 20) for 100 days sites that never intercept, at lethality 1, with no
    retaliation and no drawdown (tolerance far above the losses)."""
    sites = ("bases", "embassy", "airport", "convoys")
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 100, "militias[KH].attack_rate": 20.0,
                              **{f"foreign_forces.sites[{s}].interception": 0.0 for s in sites},
                              **{f"foreign_forces.sites[{s}].lethality": 1.0 for s in sites},
                              "foreign_forces.retaliation_probability": 0.0,
                              "foreign_forces.casualty_tolerance": 10_000.0,
                              "foreign_forces.expulsion_pressure": 0.0,
                              "foreign_forces.exposure_half": exposure_half})
    out = []
    for ev in _events(sc, range(1, 3)):
        attacks = ev[ev["action"] == "attack"]
        out.append((len(attacks), float(attacks["value"].mean())))
    return out


def test_us_casualties_scale_with_the_exposure_of_the_troops_in_country(replay):
    """An attack that gets through causes Poisson(lethality × exposure) casualties, exposure =
    presence / (presence + exposure_half): with 5,200 troops in country and lethality 1 that is
    0.91 an attack at exposure_half 500 (0.89 once the run's losses are gone from the presence)
    and 0.09 at exposure_half 52,000. The mean per attack is above 0.75 in the first case and
    below 0.2 in the second (over 400 attacks or more each, on both paths); the complement of
    the formula would give the reverse."""
    assert replay.foreign_forces.presence == 5200
    for n, mean in _casualties_per_attack(replay, 500.0):
        assert n >= 400 and mean > 0.75
    for n, mean in _casualties_per_attack(replay, 52_000.0):
        assert n >= 400 and mean < 0.2


# ---- the government's recovery: each toward its own baseline, over recovery_days ---------------
def _recovered(replay, field: str, column: int, shocked: float, **overrides) -> list[float]:
    """``government.<field>`` on both paths after 20 days, set to ``shocked`` on day 0, with
    recovery_days 10 and a belief memory of ten years."""
    shock = {"day": 0, "actor": "government", "action": "set",
             "figures": {f"government.{field}": shocked}}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 20, "events": [shock],
                              "government.recovery_days": 10.0,
                              "government.belief_memory_days": 3650.0, **overrides})
    return _finals(sc, lambda model: getattr(model.government, field),
                   lambda w, m: w[column])


def test_coalition_support_recovers_toward_its_own_baseline(replay):
    """Coalition support recovers toward its starting value (0.2 here), not toward authority's
    (0.9): set to 0.6 on day 0, each of 20 days closes a tenth of the gap (recovery_days 10):
    0.2 + 0.4 × 0.9^20 = 0.249 at the end, on both paths (toward 0.9 it would end near 0.86)."""
    expected = 0.2 + 0.4 * 0.9 ** 20
    for coalition in _recovered(replay, "coalition_support", L.COALITION, 0.6,
                                **{"government.coalition_support": 0.2,
                                   "government.authority": 0.9}):
        assert coalition == pytest.approx(expected, abs=1e-9)


def test_authority_recovers_over_the_governments_recovery_days(replay):
    """Authority recovers over ``recovery_days`` (10 here), not over the belief memory (3,650
    days): set from its baseline 0.5 to 0.1 on day 0, after 20 days it is 0.5 − 0.4 × 0.9^20 =
    0.451, on both paths (over the belief memory it would still be near 0.1)."""
    assert replay.government.authority == 0.5
    for authority in _recovered(replay, "authority", L.AUTHORITY, 0.1):
        assert authority == pytest.approx(0.5 - 0.4 * 0.9 ** 20, abs=1e-9)


# ---- the expulsion vote's pressure -------------------------------------------------------------
def test_a_strike_adds_its_expulsion_pressure(replay):
    """A US strike adds ``strike_expulsion_pressure`` (0.15) to expulsion pressure: from 0, one
    scripted strike on day 0 leaves 0.15 × (1 − the daily decay) at the end of the day, on both
    paths."""
    strike = {"day": 0, "actor": "foreign_forces", "action": "strike", "target": "KH"}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 1, "events": [strike],
                              "foreign_forces.expulsion_pressure": 0.0})
    assert sc.foreign_forces.strike_expulsion_pressure == 0.15
    expected = 0.15 * (1 - withdrawal.EXPULSION_PRESSURE_DECAY)
    for pressure in _finals(sc, lambda model: model.foreign_force.expulsion_pressure,
                            lambda w, m: w[L.EXPULSION]):
        assert pressure == pytest.approx(expected, abs=1e-12)


def test_strikes_bring_parliaments_expulsion_vote(replay):
    """Two scripted strikes on day 0 raise expulsion pressure from 0.2 to 0.5, past the vote's
    threshold (0.45): parliament votes that day, on both paths; without the strikes it does
    not vote within the 3 days."""
    strikes = [{"day": 0, "actor": "foreign_forces", "action": "strike", "target": t}
               for t in ("KH", "AAH")]
    overrides = {**NO_ATTACKS, "horizon_days": 3, "foreign_forces.expulsion_pressure": 0.2}
    assert replay.foreign_forces.expulsion_vote_threshold == 0.45
    for events, votes in (([], []), (strikes, [0, 0])):
        sc = _scenario(replay, **{**overrides, "events": events})
        for ev in _events(sc, range(1, 3)):
            assert ev.loc[ev["action"] == "expulsion_vote", "day"].tolist() == votes
