"""Twenty-seventh audit (December 2026): links of the newest fight mechanisms the model tests
did not see (scripts/mutation_check.py, ``t27_*``).

Each test drives an operation in the quiet replay (``_operation``: no attacks, no unscripted
raids, nobody killed and nobody deserting unless a test says so, a government that presses on
whatever it believes, the US out) and checks one link on both engines (the agent path and the
compiled fast path, seeds 1-3 unless said; their event logs are compared by the tests that use
``_events``):

- an operation's last day is decided by the real contest, not the government's chance of
  storming the militia's ground (a sanctuary cuts only the latter);
- a mediator's and the patron's talks are logged with the militia's chance in the fight, and
  a ceasefire's terms follow the balance of force, sanctuary or not;
- the patron brokers as far as the militia in the fight depends on it, not another militia;
- at an operation's opening the militia weighs its own ``hold_ground``;
- the militia weighs all its dead in the fight, not today's, when it decides to leave;
- deserters are not counted among the government's dead (whose share drives desertion);
- air power's share of a day's dead is of the government side's whole strength, sanctuary or
  not;
- the troops engaged are rounded up."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import leverage_sim as ls
from leverage_sim.simulation.mechanisms import operation as op

from .test_wiring_fifth_audit import CERTAIN_TO_HOLD, NO_ATTACKS, _events, _scenario
from .test_wiring_fourth_audit import NO_BROKER
from .test_wiring_twelfth_audit import NO_LOSSES

SEEDS = range(1, 4)
OPENING_DAY = 2  # the operation opens on day 2; its first day of fighting is day 3
HOLDS = {"hold_ground": 1.0, "loss_sensitivity": 0.0}
"""A militia that never stands down nor leaves the streets (a margin of 1 of the contest ratio,
at the sharpness 100 of CERTAIN_TO_HOLD: σ(−50) at best)."""
SAFE = {"combat_lethality": 0.0}


def _militia(name: str, **fields: float) -> dict:
    return {f"militias[{name}].{k}": v for k, v in fields.items()}


def _operation(replay, target: str, troops: int, days: int, sanctuary: float = 0.0,
               extra: tuple = (), **overrides) -> ls.Scenario:
    """The quiet replay with an operation of ``troops`` against ``target`` for ``days`` days
    on day 2 (``sanctuary`` its share of the militia in ground not stormed), and ``extra``
    scripted events; the US never steps in unless ``overrides`` say so."""
    event = {"day": OPENING_DAY, "actor": "government", "action": "operation", "target": target,
             "figures": {"troops": troops, "days": days, "sanctuary": sanctuary}}
    return _scenario(replay, **{**NO_ATTACKS, **NO_BROKER, **NO_LOSSES, **CERTAIN_TO_HOLD,
                                "horizon_days": 4 + days, "foreign_forces.backing": 0.0,
                                "events": [event, *extra], **overrides})


def _ending(ev: pd.DataFrame, militia: str) -> pd.DataFrame:
    """The hold_firm / relent events against ``militia``, one per run."""
    end = ev[ev["action"].isin(["hold_firm", "relent"]) & (ev["target"] == militia)]
    assert sorted(end["replication"]) == sorted(set(ev["replication"]))
    return end


# ---- a sanctuary cuts the storming, not the balance of force ---------------------------------
def test_the_last_day_is_decided_by_the_real_contest_whatever_the_sanctuary(replay):
    """30,000 troops against KSS (3,000 fighters), half of it in a sanctuary, for 3 days:
    nobody is killed, KSS holds its ground. The real contest is far above ½, the government's
    chance of storming the ground (half of it) at most ½: the last day's rule reads the real
    contest, so the government holds in every run of both engines (with the storming chance it
    would halt in every run)."""
    sc = _operation(replay, "KSS", 30000, 3, sanctuary=0.5, **_militia("KSS", **HOLDS, **SAFE))
    for ev in _events(sc, SEEDS):
        end = _ending(ev, "KSS")
        assert (end["action"] == "hold_firm").all(), end["detail"].tolist()
        assert end["detail"].str.contains("controls the area").all()


# ---- talks are logged with the militia's chance ---------------------------------------------
@pytest.mark.parametrize("sanctuary", [0.0, 0.5])
def test_a_mediators_talks_are_logged_with_the_militias_chance(replay, sanctuary):
    """A mediator opens talks on day 3 (the first day of fighting) in the fight of the test
    above (with its sanctuary, or none): the militia's chance is far below ½ (the government's
    far above), and the talks are logged with it, as the ceasefire two days later is; the
    ceasefire's terms follow the balance of force, not the chance of storming the sheltered
    ground (at most ½ with half of it sheltered): the government's, in every run."""
    mediation = {"day": 3, "actor": "mediator", "action": "mediation", "target": "KSS",
                 "figures": {"days": 2}}
    sc = _operation(replay, "KSS", 30000, 6, sanctuary=sanctuary, extra=(mediation,),
                    **_militia("KSS", **HOLDS, **SAFE))
    for ev in _events(sc, SEEDS):
        talks = ev[ev["action"] == "talks"]
        cease = ev[ev["action"] == "ceasefire"]
        assert len(talks) == len(cease) == 3 and (talks["actor"] == "mediator").all()
        assert (talks["value"] < 0.4).all() and (cease["value"] < 0.4).all(), talks["value"]
        assert (_ending(ev, "KSS")["action"] == "hold_firm").all()


def test_the_patrons_talks_are_logged_with_its_clients_chance(replay):
    """The same fight with the patron brokering for KSS (which depends on it wholly; a
    threshold of ½, talks of 2 days): it opens talks on the first day of fighting, its client
    losing, and logs them with its client's chance, the figure its note gives."""
    sc = _operation(replay, "KSS", 30000, 6,
                    **_militia("KSS", **HOLDS, **SAFE, patron_dependence=1.0),
                    **{"patron.broker_threshold": 0.5, "patron.talks_days": 2})
    for ev in _events(sc, SEEDS):
        talks = ev[(ev["action"] == "talks") & (ev["actor"] == "patron")]
        assert len(talks) == 3
        for _, t in talks.iterrows():
            said = float(re.search(r"its chance in the fight ([0-9.]+)", t["detail"]).group(1))
            assert t["value"] < 0.4 and abs(t["value"] - said) <= 0.005, (t["value"], said)


# ---- the patron brokers as far as the militia in the fight depends on it ---------------------
def test_the_patron_brokers_as_far_as_the_militia_in_the_fight_depends_on_it(replay):
    """An operation of 60,000 troops against AAH (the replay's second militia) for 4 days,
    the patron brokering for any client losing (threshold ½, no restraint): with AAH wholly
    dependent and KH (the first) not at all, the patron opens talks in every run; the other way
    round, in none (a daily chance of exactly 0). Read from KH's dependence, both would flip."""
    def talks(aah: float, kh: float) -> list[int]:
        sc = _operation(replay, "AAH", 60000, 4,
                        **_militia("AAH", **HOLDS, **SAFE, patron_dependence=aah),
                        **_militia("KH", patron_dependence=kh),
                        **{"patron.broker_threshold": 0.5, "patron.talks_days": 60})
        return [int((ev["action"] == "talks").sum()) for ev in _events(sc, SEEDS)]

    assert talks(aah=1.0, kh=0.0) == [3, 3]
    assert talks(aah=0.0, kh=1.0) == [0, 0]


# ---- the militia's own hold_ground at the opening ---------------------------------------------
def test_at_the_opening_the_militia_weighs_its_own_hold_ground(replay):
    """60,000 troops against AAH (the second militia), which is all but sure the government
    presses on (its belief in the government's resolve 0.99, 1,000 observations strong) and
    weighs no losses: with its own hold_ground 1 it never stands down (σ(−50) at best), with
    hold_ground 0 it stands down in most runs (its chance ~0.99 × σ(100 × (p − ½ − …)), p
    near 1) — whatever the first militia's (KH's) hold_ground is (0, then 1). Seeds 1-6."""
    def comply(aah: float, kh: float) -> list[int]:
        sc = _operation(replay, "AAH", 60000, 3,
                        **_militia("AAH", **SAFE, hold_ground=aah, loss_sensitivity=0.0,
                                   prior_government_resolve=0.99, prior_strength=1000.0),
                        **_militia("KH", hold_ground=kh))
        return [int((ev["action"] == "comply").sum()) for ev in _events(sc, range(1, 7))]

    assert comply(aah=1.0, kh=0.0) == [0, 0]
    stood_down = comply(aah=0.0, kh=1.0)
    assert stood_down[0] == stood_down[1] >= 4


# ---- the militia weighs all its dead in the fight ----------------------------------------------
def _withdrawal_fight(replay, sensitivity: float) -> ls.Scenario:
    """3,000 troops against KSS (3,000 fighters) for 12 days: the government kills (λ_g 0.05:
    ~2-3 % of KSS a day), KSS kills no one, nobody deserts; KSS's hold_ground 1 keeps it in the
    streets at any contest unless its losses weigh (loss_sensitivity ``sensitivity``)."""
    return _operation(replay, "KSS", 3000, 12, **{"government.combat_lethality": 0.05},
                      **_militia("KSS", **SAFE, hold_ground=1.0, loss_sensitivity=sensitivity))


def test_the_militia_leaves_on_all_its_dead_in_the_fight_not_todays(replay):
    """With loss_sensitivity 10 KSS leaves the streets once its dead in the fight reach about a
    tenth of its fighters (the margin of 1 minus the contest): within the 12 days in every run
    of both engines, after several days of fighting (a day's dead, 2-3 %, never weigh
    enough: weighing only today's, it would stay to the last day); with loss_sensitivity 0 it
    stays to the last day."""
    for ev in _events(_withdrawal_fight(replay, 10.0), SEEDS):
        end = _ending(ev, "KSS")
        assert end["detail"].str.contains("withdraws from the streets").all(), end["detail"]
        days = ev[ev["action"] == "fighting"].groupby("replication").size()
        assert (days >= 2).all() and (days < 12).all(), days.tolist()
    for ev in _events(_withdrawal_fight(replay, 0.0), SEEDS):
        assert not _ending(ev, "KSS")["detail"].str.contains("withdraws").any()


# ---- deserters are not the government's dead ---------------------------------------------------
def test_deserters_do_not_count_as_the_governments_dead(replay):
    """Nobody is killed (λ 0 both sides); 20 % of the troops at cohesion 0 would desert each day
    of a hopeless contest: desertion follows the contest (1 − p) alone, so the second day's
    deserters, pooled over seeds 1-3, are about the first day's share of the troops left
    (p barely moves: the ratio of day-2 to day-1 deserters near 1 − d₁, ~0.9); counted
    among the dead they would add 10 × d₁ to d (~doubling it: a ratio ~1.8). Bound 1.3."""
    sc = _operation(replay, "KH", 3000, 4,
                    **{"government.desertion_rate": 0.2, "government.force_cohesion": 0.0,
                       "government.prior_resistance": 0.99, "government.prior_strength": 1000.0},
                    **_militia("KH", **HOLDS, **SAFE))
    for ev in _events(sc, SEEDS):
        deserted = ev[ev["action"] == "defection"]
        day1 = deserted[deserted["day"] == OPENING_DAY + 1]["value"].sum()
        day2 = deserted[deserted["day"] == OPENING_DAY + 2]["value"].sum()
        assert day1 > 100 and day2 / day1 < 1.3, (day1, day2)


# ---- air power's share of the dead -------------------------------------------------------------
def test_air_powers_share_of_the_dead_is_of_the_whole_strength_sanctuary_or_not(replay):
    """The US steps in at once (backing 1, no delay) in an operation against KH: on the first
    day of fighting the government side's strength is the same with or without a sanctuary
    (same seed: same opening, same troops engaged), so the share of the day's militia dead
    credited to air power (killed_by_air over the day's militia dead) is too; the sanctuary cuts
    the dead, not air power's part of the killing strength."""
    def first_day_shares(sanctuary: float) -> list[list[float]]:
        sc = _operation(replay, "KH", 3000, 2, sanctuary=sanctuary,
                        **{"foreign_forces.backing": 1.0, "foreign_forces.response_delay_days": 0,
                           "government.combat_lethality": 0.1},
                        **_militia("KH", **HOLDS, **SAFE))
        out = []
        for ev in _events(sc, SEEDS):
            day = ev[ev["day"] == OPENING_DAY + 1]
            fights = day[day["action"] == "fighting"].set_index("replication")
            air = day[day["action"] == "killed_by_air"].set_index("replication")["value"]
            dead = fights["detail"].str.extract(r"and (\d+) militia fighters")[0].astype(int)
            assert len(air) == 3 and (dead > 0).all()
            out.append((air / dead).tolist())
        return out

    without, half = first_day_shares(0.0), first_day_shares(0.5)
    assert all(0 < s < 1 for s in without[0])
    assert half == [pytest.approx(shares, rel=1e-9) for shares in without]


# ---- the troops engaged ------------------------------------------------------------------------
def test_the_troops_engaged_are_rounded_up():
    """⌈r × T⌉: a fight's last troop engages however little resistance is believed."""
    assert op.engaged_troops(1, 0.01) == 1
    assert op.engaged_troops(10, 0.25) == 3
    assert op.engaged_troops(0, 0.5) == 0
