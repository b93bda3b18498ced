"""Wiring, seventh audit: links that hand-made bugs cut or reverse without the model tests failing
(scripts/mutation_check.py, the mutations under "seventh audit"; of its fifteen, nine were
already killed by the model tests). Each test sets the state a link reads and checks that the
actor that should react does, by the documented amount where it is exact: what a relent records
(the detainees handed over), the summary's largest muster (allies' fighters included), a public
threat's pressure (on the standoff over its own raid only), retaliation (on the militia that
attacked), a calm day for a redeployment (below redeploy_calm_share of tolerance) and a scripted
backing aimed at one militia's standoff (that one only).

Every test runs on both engines through the fifth audit's helpers (:func:`_finals`: the final
state of a short quiet run; :func:`_events`: its event log; :func:`_scenario`: the replay made
quiet), or :func:`_standoffs` here (each standoff's state at the end of a run), so each link is
checked where it is written twice."""

from __future__ import annotations

import pytest

import leverage_sim as ls
from leverage_sim.simulation.fastpath import build, compiled, seeded_generator
from leverage_sim.simulation.fastpath import layout as L
from leverage_sim.simulation.mechanisms import intimidation
from leverage_sim.simulation.model import LeverageModel

from .test_wiring_fifth_audit import (
    CERTAIN_TO_HOLD,
    FULL_RELENT,
    NAMES,
    NO_ATTACKS,
    NO_THREATS,
    _events,
    _finals,
    _scenario,
)


def _raid(target: str = "KH", day: int = 0, **figures) -> dict:
    """A scripted raid on ``target`` on ``day`` with ``figures`` (default: 14 arrests)."""
    return {"day": day, "actor": "government", "action": "raid", "target": target,
            "figures": figures or {"arrests": 14}}


def _standoffs(sc: ls.Scenario, seed: int = 1) -> list[list[tuple[str, float]]]:
    """Each standoff's (militia, pressure) at the end of a run of ``sc`` with ``seed``: on the
    agent path and on the fast path."""
    model = LeverageModel(sc, seed, collect_data=False)
    while model.running and model.day < sc.horizon_days:
        model.step()
    wd = build(sc)
    rows = 10_000 + 50 * sc.horizon_days
    table, so = compiled()(seeded_generator(seed), wd.w.copy(), wd.m.copy(), wd.s.copy(),
                           wd.scripted, wd.sets, sc.horizon_days, wd.capacity, rows)
    assert table[0, 0] < rows
    return [[(s.militia, s.pressure) for s in model.standoffs],
            [(NAMES[int(r[L.S_MILITIA])], float(r[L.S_PRESSURE])) for r in so]]


# ---- a standoff: what a relent records ---------------------------------------------------------
def test_a_relent_records_the_detainees_it_hands_over(replay):
    """A relent event's value is the detainees handed to the militia's unit: a full relent (no
    negotiating leverage) of a raid's six arrests records 6, the six go free together later
    (one release of 6) and the government keeps none, on both paths."""
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 12, "events": [_raid("KH", arrests=6)],
                              "government.release_delay_spread": 0.0, **FULL_RELENT})
    for ev in _events(sc, range(1, 4)):
        relents, releases = ev[ev["action"] == "relent"], ev[ev["action"] == "release"]
        assert len(relents) == 3 and (relents["day"] == 1).all()
        assert (relents["value"] == 6.0).all() and (releases["value"] == 6.0).all()
        assert len(releases) == 3
    for held in _finals(sc, lambda model: model.government.detainees_held,
                        lambda w, m: int(m[:, L.CUSTODY].sum() + m[:, L.TRANSFERRED].sum())):
        assert held == 0


# ---- the muster: allies who join, threats over another raid -----------------------------
def _allies_join(replay, horizon: int) -> ls.Scenario:
    """KH musters (most of its 400 local fighters) against a raid on day 0, before a government
    certain to hold and a militia that neither disperses nor clashes; the three others, pushed
    hard (instigation 1) and in full solidarity, may send fighters each day it stays open."""
    return _scenario(replay, **{**NO_ATTACKS, **CERTAIN_TO_HOLD, **NO_THREATS,
                                "horizon_days": horizon, "events": [_raid("KH")],
                                "patron.instigation": 1.0, "patron.stability_priority": 0.0,
                                "foreign_forces.backing": 0.0,
                                "militias[KH].stake_reference": 0.0001,
                                "militias[KH].clash_propensity": 0.0,
                                **{f"militias[{n}].solidarity": 1.0 for n in NAMES[1:]}})


def test_max_muster_size_counts_the_allies_who_joined(replay):
    """The summary's ``max_muster_size`` is a standoff's own muster plus the allies' fighters
    who joined it: in each run, KH's muster plus the allies' turnout as the log records it (at
    least one ally joined), on both paths."""
    sc = _allies_join(replay, 10)
    for engine in ("agent", "fast"):
        res = ls.run(sc, replications=3, seed=1, posterior=None, engine=engine)
        musters = res.events[res.events["action"] == "muster"]
        total = musters.groupby("replication")["value"].sum()
        allies = musters[musters["actor"] != "KH"].groupby("replication")["value"].sum()
        assert len(allies) == 3 and (allies > 0).all()
        assert res.summary["standoffs"].tolist() == [1, 1, 1]
        assert res.summary["max_muster_size"].tolist() == total.tolist()


def test_a_threat_presses_only_the_standoff_over_its_raid(replay):
    """A public threat after a raid adds its pressure to the open standoff with the raided
    militia only. KH complies with a raid on day 0 and Nujaba musters against another: AAH
    (the one bloc with seats) threatens in each raid's window (two threats), and Nujaba's
    standoff carries the pressure of one threat, exactly, on both paths."""
    sc = _scenario(replay, **{**NO_ATTACKS, **CERTAIN_TO_HOLD, "horizon_days": 6,
                              "events": [_raid("KH"), _raid("Nujaba")],
                              "foreign_forces.backing": 0.0,
                              "militias[KH].autonomy": 0.0, "militias[KH].stake_reference": 1.0,
                              "militias[Nujaba].stake_reference": 1e-6,
                              "militias[Nujaba].clash_propensity": 0.0,
                              "militias[AAH].threat_propensity": 1.0})
    one = intimidation.threat_pressure(sc.militias[1].seats, sc.government.parliament_seats,
                                       sc.government.threat_sensitivity)
    assert one > 0
    for ev in _events(sc, range(1, 4)):
        assert (ev["action"] == "comply").sum() == 3
        assert not ev["action"].isin(["hold_firm", "relent"]).any()  # Nujaba's: open all along
        threats = ev[ev["action"] == "public_threat"]
        assert (threats["actor"] == "AAH").all()
        assert threats.groupby("replication").size().tolist() == [2, 2, 2]
    for seed in (1, 2, 3):
        agent, fast = _standoffs(sc, seed)
        assert agent == fast == [("Nujaba", pytest.approx(one, rel=1e-12))]


# ---- retaliation and staying power ------------------------------------------------------------
def test_retaliation_strikes_the_militia_that_attacked(replay):
    """A deadly attack by AAH (bases at lethality 50, no interception, certain retaliation) is
    answered two days later (``retaliation_delay_days``) by strikes on AAH, not on another
    militia, on both paths."""
    attack = {"day": 0, "actor": "AAH", "action": "attack", "target": "bases"}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 4, "events": [attack],
                              "foreign_forces.sites[bases].interception": 0.0,
                              "foreign_forces.sites[bases].lethality": 50.0,
                              "foreign_forces.retaliation_probability": 1.0,
                              "foreign_forces.retaliation_restraint": 0.0,
                              "foreign_forces.retaliation_delay_days": 2})
    for ev in _events(sc, range(1, 4)):
        attacks_, strikes = ev[ev["action"] == "attack"], ev[ev["action"] == "strike"]
        assert len(attacks_) == 3 and (attacks_["value"] > 0).all()
        assert len(strikes) == 3 and strikes["replication"].nunique() == 3
        assert (strikes["day"] == 2).all() and (strikes["target"] == "AAH").all()


@pytest.mark.parametrize(("pressure", "first"), [(0.2, None), (0.1, 4)])
def test_a_calm_day_is_one_below_the_calm_share_of_tolerance(replay, pressure, first):
    """After a drawdown, a day counts toward troops returning when the political cost is below
    ``redeploy_calm_share`` (0.25) × tolerance (6): 1.5. With expulsion pressure 0.2 (cost 2.0,
    still above 1.7 after 30 days of fading) no day is calm and no troops return in 30 days;
    with 0.1 (cost 1.0) they return after 5 calm days (day 4), on both paths."""
    drawdown = {"day": 0, "actor": "foreign_forces", "action": "drawdown",
                "figures": {"troops": 100}}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 30, "events": [drawdown],
                              "foreign_forces.expulsion_pressure": pressure,
                              "foreign_forces.redeploy_after_days": 5})
    ff = sc.foreign_forces
    assert (ff.redeploy_calm_share, ff.casualty_tolerance, ff.drawdown_share) == (0.25, 6, 0.4)
    for ev in _events(sc, range(1, 3)):
        days = ev[ev["action"] == "redeploy"].groupby("replication")["day"].first()
        assert days.tolist() == ([] if first is None else [first, first])


# ---- scripted events: a backing aimed at one standoff ------------------------------------
def test_a_scripted_backing_steps_into_its_targets_standoff_only(replay):
    """A scripted ``backing`` with a target steps into that militia's open standoff only: with
    KH and Nujaba both mustering against raids on day 0 (two open standoffs on day 1), a
    backing aimed at Nujaba on day 1 is one backing event, for Nujaba, on both paths."""
    backing = {"day": 1, "actor": "foreign_forces", "action": "backing", "target": "Nujaba"}
    sc = _scenario(replay, **{**NO_ATTACKS, **NO_THREATS, "horizon_days": 2,
                              "events": [_raid("KH"), _raid("Nujaba"), backing],
                              "foreign_forces.backing": 0.0,
                              "militias[KH].stake_reference": 1e-6,
                              "militias[Nujaba].stake_reference": 1e-6})
    for ev in _events(sc, range(1, 4)):
        opened = ev[(ev["action"] == "standoff") & (ev["day"] == 0)]
        assert sorted(opened["target"]) == ["KH"] * 3 + ["Nujaba"] * 3
        backed = ev[ev["action"] == "backing"]
        assert len(backed) == 3 and (backed["day"] == 1).all()
        assert (backed["target"] == "Nujaba").all()
