"""An operation's sanctuary (``figures.sanctuary``): the share of the militia in ground the
government's side will not storm (Najaf, August 2004: the Imam Ali shrine; Sadr City, spring
2008: the two thirds north of the wall). The government's fire reaches only the rest of the
militia (step 2: ``exposed_strength``), and the militia weighs only the rest as ground it may
lose when it decides to stand down at the opening (step 0) or leave the streets (step 6:
``storming_chance``); docs/model.md, mechanism 8.

Each link is checked on both engines (their event logs must match), with the patron out of the
fight (a client it does not support is not its to broker for): a militia wholly in a sanctuary
loses no one, never stands down and stays for weeks; without one, the same seeds end the fight
within days; a partial sanctuary cuts the first day's dead by its share."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import leverage_sim as ls
from leverage_sim.errors import InputError
from leverage_sim.simulation import fastpath
from leverage_sim.simulation.mechanisms import operation as op
from leverage_sim.simulation.runner import simulate as agent_run

SEEDS = range(1, 31)
NO_BROKER = {"militias[JAM2004].patron_support_share": 0.0}


def najaf(sanctuary: float, **overrides: float) -> ls.Scenario:
    """Najaf 2004 with the operation's sanctuary as given, no patron and no mediator (Sistani's
    scripted deal would end the long fights)."""
    events = [e for e in ls.load_scenario("najaf_2004").model_dump(mode="json")["events"]
              if e["action"] != "mediation"]
    events[0]["figures"]["sanctuary"] = sanctuary
    return ls.load_scenario("najaf_2004", {**NO_BROKER, **overrides, "events": events})


def logs(sc: ls.Scenario, seed: int) -> pd.DataFrame:
    agent = agent_run(sc, seed, collect_data=False).log.frame()
    pd.testing.assert_frame_equal(agent, fastpath.simulate(sc, seed).log.event_log.frame())
    return agent


def operation_rows(log: pd.DataFrame) -> pd.DataFrame:
    """The events of the scripted operation against JAM (until it is resolved)."""
    end = log[log.action.isin(["hold_firm", "relent"]) & (log.target == "JAM2004")].day.min()
    return log[(log.day <= end) & ((log.target == "JAM2004") | (log.actor == "JAM2004"))]


def militia_dead(log: pd.DataFrame) -> list[int]:
    """JAM's dead on each day of fighting (from the fighting events' texts)."""
    texts = operation_rows(log).query("action == 'fighting'").detail
    return [int(re.search(r"and (\d+) militia fighters killed", t).group(1)) for t in texts]


def test_the_mechanisms_are_their_formulas():
    for value, share in ((100.0, 0.0), (100.0, 0.25), (7.5, 1.0)):
        assert op.exposed_strength(value, share) == value * (1 - share)
        assert op.storming_chance(0.8, share) == 0.8 * (1 - share)
    assert op.exposed_strength(123.0, 0.0) == 123.0 and op.storming_chance(0.7, 0.0) == 0.7


def fights(sanctuary: float) -> tuple[list[int], int, int, int]:
    """Over :data:`SEEDS`: each fight's days, the stand-downs at the opening, the militia's
    withdrawals within its first three days of fighting, and the militia's dead."""
    lengths, stood_down, early, dead = [], 0, 0, 0
    for seed in SEEDS:
        log = operation_rows(logs(najaf(sanctuary), seed))
        days = int((log.action == "fighting").sum())
        lengths.append(days)
        stood_down += "comply" in set(log.action)
        early += days <= 3 and log.detail.str.contains("withdraws from the streets").any()
        dead += sum(militia_dead(log))
    return lengths, stood_down, early, dead


def test_a_militia_wholly_in_a_sanctuary_loses_no_one_never_stands_down_and_stays_longer():
    """Same seeds (at the scenario's own values: 13 of 30 stand down without a sanctuary, 16
    leave within three days of fighting, 22 days of fighting in all; wholly sheltered: none,
    2 and 427). The government may still halt, and the militia still leaves now and then (its
    push and resolve, step 6)."""
    open_lengths, open_stood, open_early, open_dead = fights(0.0)
    lengths, stood, early, dead = fights(1.0)
    assert stood == 0 and open_stood >= 6
    assert dead == 0 and open_dead > 0
    assert early <= 5 and open_early >= 10
    assert sum(lengths) >= 5 * sum(open_lengths) and np.median(lengths) > np.median(open_lengths)


def test_a_partial_sanctuary_cuts_the_first_days_dead_by_its_share():
    """Same seeds, JAM resisting in both (hold_ground 0.8): the first day's dead are drawn
    with mean λ × S_g × (1 − sanctuary), S_g the same on that day."""
    held = {"militias[JAM2004].hold_ground": 0.8}
    open_dead, sheltered_dead = [], []
    for seed in range(1, 61):
        plain, sheltered = (militia_dead(logs(najaf(s, **held), seed)) for s in (0.0, 0.75))
        if plain and sheltered:
            open_dead.append(plain[0])
            sheltered_dead.append(sheltered[0])
    assert len(open_dead) >= 30
    ratio = sum(sheltered_dead) / sum(open_dead)
    assert 0.15 < ratio < 0.35, ratio


@pytest.mark.parametrize("value", [-0.1, 1.5])
def test_a_sanctuary_outside_zero_to_one_is_refused(value):
    with pytest.raises(InputError) as info:
        najaf(value)
    assert "sanctuary" in str(info.value)


def test_a_militia_wholly_sheltered_expects_no_losses_at_the_opening():
    """A militia that dreads its losses (loss_sensitivity 20) facing a deadly force (lethality
    0.01): without a sanctuary it expects to lose much of its force on the first day and stands
    down in most runs; wholly sheltered it expects to lose no one (step 0's expected losses
    are those of the exposed share) and never stands down."""
    deadly = {"government.combat_lethality": 0.01, "militias[JAM2004].loss_sensitivity": 20.0}
    stood = {s: sum("comply" in set(operation_rows(logs(najaf(s, **deadly), seed)).action)
                    for seed in SEEDS) for s in (0.0, 1.0)}
    assert stood[1.0] == 0 and stood[0.0] >= 15, stood
