"""How much its losses weigh on a militia is its own ``loss_sensitivity`` (mechanisms/operation.py,
steps 0 and 6): the weight of the share of its fighters killed in its choice to leave the
streets, and of the share it expects to lose on the first day in its choice to stand down at an
operation's opening.

Each link on both engines (the agent path and the compiled fast path), seeds 1-3, in a quiet
replay with one operation against KH (:func:`tests.test_wiring_twelfth_audit._fight`), where
KH's ``hold_ground`` (1) keeps it in the fight on the contest alone: at a sensitivity of 100
its losses drive it out on the first days (or keep it from fighting at all), at 0 they never
do, and the old fixed weight (10) drives it out only after days of losses. A weight that
ignores the militia's value, or whose sign is reversed, fails one of these."""

from __future__ import annotations

import math

import pytest

from leverage_sim.simulation.mechanisms import operation as op

from .test_wiring_fifth_audit import _events
from .test_wiring_fourteenth_audit import OPENING, _scenario
from .test_wiring_twelfth_audit import _endings, _fight

DAYS = 6
KILLING = {"government.combat_lethality": 0.1, "government.prior_resistance": 1.0,
           "militias[KH].hold_ground": 1.0}
"""Only the government kills (λ_g 0.1 on all 3,000 troops: ~7% of KH's 7,000 fighters lost on
the first day of fighting, and more each day after); KH needs a contest ratio margin of 1 before
it leaves, so on the contest alone it never does."""
EXPECTS_A_HALT = {"militias[KH].prior_government_resolve": 0.0}
"""KH believes the government halts, so it never stands down at the opening (step 0)."""


def test_the_weight_of_losses_is_the_militias_loss_sensitivity():
    """σ(k × (p − ½ − (push − ½)/2 − hold_ground + loss_sensitivity × ℓ)): with 5% lost, an
    even fight, push ½, no hold_ground and k = 10, sensitivity 0 gives σ(0) = ½, 10 gives σ(5),
    40 gives σ(20); without losses the sensitivity does not matter; the stand-down is the same
    rule on the losses expected, times the belief that the government presses on."""
    assert op.withdraw_probability(0.5, 0.5, 0.05, 0.0, 0.0, 10.0) == pytest.approx(0.5)
    assert op.withdraw_probability(0.5, 0.5, 0.05, 0.0, 10.0, 10.0) == pytest.approx(
        1 / (1 + math.exp(-5.0)))
    assert op.withdraw_probability(0.5, 0.5, 0.05, 0.0, 40.0, 10.0) == pytest.approx(
        1 / (1 + math.exp(-20.0)))
    assert op.withdraw_probability(0.5, 0.5, 0.0, 0.0, 40.0, 10.0) == pytest.approx(0.5)
    assert op.stand_down_probability(0.5, 0.05, 0.8, 0.5, 0.0, 0.0, 10.0) == pytest.approx(0.4)
    assert op.stand_down_probability(0.5, 0.05, 0.8, 0.5, 0.0, 40.0, 10.0) == pytest.approx(
        0.8 / (1 + math.exp(-20.0)))


def test_a_militia_leaves_a_fight_on_its_losses_as_its_sensitivity_weighs_them(replay):
    """A fight of 3,000 troops for 6 days in which KH loses fighters every day (and, expecting
    the government to halt, never stands down at the opening): at sensitivity 100 it leaves the
    streets on its first or second day of fighting, at 10 (the old fixed weight) after more
    than two days and before the last, at 0 it stays to the last day (then the government
    halts: not a withdrawal), in every run, on both engines alike."""
    def endings(sensitivity: float) -> list[tuple]:
        sc = _fight(replay, 3000, DAYS, **{**KILLING, **EXPECTS_A_HALT,
                                           "militias[KH].loss_sensitivity": sensitivity})
        agent, fast = _endings(sc)
        assert agent == fast
        return agent

    assert all(days <= 2 and "KH withdraws from the streets" in text
               for days, _, text in endings(100.0))
    assert all(2 < days < DAYS and "KH withdraws from the streets" in text
               for days, _, text in endings(10.0))
    assert all(days == DAYS and "withdraws" not in text for days, _, text in endings(0.0))


@pytest.mark.parametrize("sensitivity", [0.0, 100.0])
def test_a_militia_stands_down_at_an_opening_on_the_losses_it_expects(replay, sensitivity):
    """An operation's opening against KH, which believes the government presses on and needs a
    margin of 1 (hold_ground), facing 3,000 troops whose lethality (0.1) makes it expect to
    lose ~7% of its fighters on the first day: at sensitivity 100 it stands down without a
    fight in every run, at 0 it fights in every run, on both engines."""
    sc = _scenario(replay, **{**OPENING, **KILLING,
                              "militias[KH].loss_sensitivity": sensitivity})
    for ev in _events(sc, range(1, 4)):
        per_run = ev.groupby("replication")["action"].agg(list)
        assert len(per_run) == 3
        stood_down = sum("comply" in actions and "fighting" not in actions
                         for actions in per_run)
        assert stood_down == (3 if sensitivity == 100.0 else 0)
