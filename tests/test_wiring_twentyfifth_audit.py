"""Wiring, twenty-fifth audit (a bug audit of 7 December 2026): tests for the two of its 20
hand-made bugs that the model tests (scripts/mutation_check.py's MODEL_TESTS) let survive
(``client_wins_do_not_stack``, ``vote_before_the_days_strikes`` in the registry). Each test
states the link it checks, runs on both engines (the agent path first) on the June 2020 replay
with everything quiet but what it sets (the fifth audit's :func:`_scenario`), and states its
margins, which hold at every seed it runs (the outcome is certain or the figure exact)."""

from __future__ import annotations

import pytest

from leverage_sim.simulation.fastpath import layout as L

from .test_wiring_fifteenth_audit import _logs
from .test_wiring_fifth_audit import FULL_RELENT, NO_ATTACKS, NO_THREATS, _finals, _scenario
from .test_wiring_seventh_audit import _raid

RELENT = {**NO_ATTACKS, **NO_THREATS, **FULL_RELENT}
"""KH musters against any raid, and the government relents the next day, keeping none."""


# ---- patronage: a client's wins add up in the patron's campaign ---------------------------------
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_two_client_wins_add_up_in_the_patrons_campaign_plan(replay, seed):
    """Raids on KH on days 0 and 2, each relented the next day (:data:`RELENT`), to day 4: the
    patron's campaign plan is the second win's ``win_campaign`` (1) plus what remains of the
    first after two days' fading over ``campaign_days`` (90): ``1 + (89/90)²`` ≈ 1.98, not one
    win's worth (a second win replacing the first), on both engines (exact)."""
    sc = _scenario(replay, **{**RELENT, "horizon_days": 4, "events": [_raid(), _raid(day=2)]})
    assert sc.patron.win_campaign == 1.0 and sc.patron.campaign_days == 90.0
    for _, _, rows in _logs(sc, range(seed, seed + 1)):
        assert [r[0] for r in rows if r[2] == "relent"] == [1, 3]
    for plan in _finals(sc, lambda model: model.patron.campaign_plan,
                        lambda w, m: w[L.CAMPAIGN_PLAN], seed=seed):
        assert plan == pytest.approx(1.0 + (89 / 90) ** 2, abs=1e-12)


# ---- expulsion: a strike's pressure is voted on the day of the strike ---------------------------
DEADLY_ATTACK = {"day": 0, "actor": "KH", "action": "attack", "target": "bases"}
"""A scripted KH attack on the bases on day 0."""
STRIKE_BRINGS_THE_VOTE = {
    **NO_ATTACKS, "horizon_days": 3, "events": [DEADLY_ATTACK],
    "foreign_forces.sites[bases].interception": 0.0,
    "foreign_forces.sites[bases].lethality": 50.0,
    "foreign_forces.retaliation_probability": 1.0, "foreign_forces.retaliation_restraint": 0.0,
    "foreign_forces.retaliation_delay_days": 0, "foreign_forces.expulsion_pressure": 0.0,
    "foreign_forces.strike_expulsion_pressure": 1.0}
""":data:`DEADLY_ATTACK` gets through and kills (Poisson of about 45), the US strikes back the
same day with certainty, and that strike alone takes expulsion pressure from 0 to 1, past the
vote's threshold (0.45)."""


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_parliament_votes_on_the_day_a_retaliation_strike_passes_the_threshold(replay, seed):
    """:data:`STRIKE_BRINGS_THE_VOTE`: the retaliation strike is carried out on day 0 and
    parliament's expulsion vote follows it the same day (the vote is checked after the day's
    strikes, as the foreign force's step orders them), not on day 1, on both engines (exact:
    one strike, one vote, both on day 0)."""
    sc = _scenario(replay, **STRIKE_BRINGS_THE_VOTE)
    assert sc.foreign_forces.expulsion_vote_threshold < 1.0
    for _, _, rows in _logs(sc, range(seed, seed + 1)):
        assert [r[0] for r in rows if r[2] == "strike"] == [0]
        assert [r[0] for r in rows if r[2] == "expulsion_vote"] == [0]
