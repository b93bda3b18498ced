"""Wiring, ninth audit: links that hand-made bugs cut without the model tests failing
(scripts/mutation_check.py, the mutations under "ninth audit"; of its ten, seven were already
killed by the model tests). Each test sets the state a link reads and checks that the actor
that should react does, exactly where the amount is documented: an operation against a client
brings the patron a raid's backlash; a scripted drawdown restarts the US's cooldown; a full
withdrawal is final (no troops return, however calm).

Every test runs on both engines through the fifth audit's helpers (:func:`_events`: the event
logs of a few seeds; :func:`_finals`: the final state of a short quiet run; :func:`_scenario`:
the replay made quiet), so each link is checked where it is written twice."""

from __future__ import annotations

import pytest

from leverage_sim.simulation.fastpath import layout as L

from .test_operations import OPERATION
from .test_wiring_fifth_audit import NO_ATTACKS, _events, _finals, _scenario


# ---- an operation's backlash -------------------------------------------------------------------
def test_an_operation_brings_the_patron_a_raids_backlash(replay):
    """An operation against a client is answered like a raid on it: the patron's backlash stock
    rises by ``raid_backlash`` (here 0.2), then fades at its ``adjustment_rate`` (0.1) as the
    patron steps the same day: 0.18 at the end of day 0 (no other backlash: no US help, no
    strikes), on both paths."""
    operation = {**OPERATION, "day": 0}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 1, "events": [operation],
                              "foreign_forces.backing": 0.0, "patron.raid_backlash": 0.2})
    assert sc.patron.adjustment_rate == 0.1
    agent, fast = _finals(sc, lambda model: model.patron.backlash, lambda w, m: w[L.BACKLASH])
    assert agent == fast == pytest.approx(0.2 * 0.9, rel=1e-12)


# ---- staying power -----------------------------------------------------------------------------
def _drawdowns(replay, scripted: bool) -> list:
    """Drawdown events of two runs (seeds 1, 2) of 10 days, on each path, with the political
    cost above tolerance from the start (expulsion pressure 0.7: cost 7 against 6) and a
    cooldown of 60 days, after a scripted drawdown of 100 troops on day 0 (or none)."""
    drawdown = {"day": 0, "actor": "foreign_forces", "action": "drawdown",
                "figures": {"troops": 100}}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 10,
                              "events": [drawdown] if scripted else [],
                              "foreign_forces.expulsion_pressure": 0.7})
    ff = sc.foreign_forces
    assert (ff.casualty_tolerance, ff.drawdown_cooldown_days) == (6, 60)
    return [ev[ev["action"] == "drawdown"] for ev in _events(sc, range(1, 3))]


def test_a_scripted_drawdown_restarts_the_cooldown(replay):
    """Every drawdown restarts the cooldown, a scripted one too: with the cost above tolerance
    the force draws down on day 0 by itself (40%: 2,080 troops), but after a scripted drawdown
    that day it waits the cooldown (60 days) — one drawdown in 10 days, the scripted one."""
    for own in _drawdowns(replay, scripted=False):
        assert own["replication"].nunique() == 2
        assert own["day"].tolist() == [0, 0] and own["value"].tolist() == [2080, 2080]
    for after in _drawdowns(replay, scripted=True):
        assert after["replication"].nunique() == 2
        assert after["day"].tolist() == [0, 0] and after["value"].tolist() == [100, 100]


def test_a_full_withdrawal_is_final(replay):
    """A force that has left does not come back, however calm: after a scripted withdrawal on
    day 0, with no political cost and ``redeploy_after_days`` 5 (a drawdown would see troops
    return on day 4, tests/test_wiring_seventh_audit.py), no troops return in 20 days and the
    presence stays 0, on both paths."""
    withdrawal = {"day": 0, "actor": "foreign_forces", "action": "withdrawal"}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 20, "events": [withdrawal],
                              "foreign_forces.expulsion_pressure": 0.0,
                              "foreign_forces.redeploy_after_days": 5})
    for ev in _events(sc, range(1, 3)):
        assert (ev["action"] == "withdrawal").sum() == 2
        assert not (ev["action"] == "redeploy").any()
    assert _finals(sc, lambda model: model.foreign_force.presence,
                   lambda w, m: int(w[L.PRESENCE])) == [0, 0]
