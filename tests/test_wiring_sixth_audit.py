"""Wiring, sixth audit: links that hand-made bugs cut or reverse without the model tests failing
(scripts/mutation_check.py, the mutations under "sixth audit"; of its fifteen, twelve were
already killed by the model tests). Each test sets the state a link reads and checks that the
actor that should react does, by the documented amount: what a standoff's end teaches (a win
deters as one backed by US forces only once the US was seen stepping in, not while its choice
is still hidden), what a US strike teaches (the struck militia most, its allies half as much),
and the state's restraint of militia attacks (by the government's authority, not its resolve).

Every test runs on both engines through the fifth audit's helpers (:func:`_finals`: the final
state of a short quiet run; :func:`_events`: its event log), so each link is checked where it
is written twice."""

from __future__ import annotations

import pytest

from leverage_sim.simulation.fastpath import layout as L
from leverage_sim.simulation.mechanisms import beliefs

from .test_wiring_fifth_audit import (
    CERTAIN_TO_HOLD,
    NO_ATTACKS,
    NO_THREATS,
    _events,
    _finals,
    _scenario,
)

RAID = {"day": 0, "actor": "government", "action": "raid", "target": "KH",
        "figures": {"arrests": 14}}


# ---- what a standoff's end and a strike teach --------------------------------------------------
def test_a_win_deters_as_us_backed_only_once_the_us_was_seen(replay):
    """A win backed by visibly intervening US forces deters twice as much
    (``SEEN_US_DETERRENCE``); a US choice to step in that has not yet shown is nobody's
    lesson. KH musters against a raid and disperses the next day before a strong government;
    the US has chosen to step in (backing 1) on a day drawn within 30: KH's morale after the
    win (one day faded) is −0.5, or −1 in a run where the US came before the win, on both
    paths (read where the agent path says whether it came)."""
    sc = _scenario(replay, **{**NO_ATTACKS, **CERTAIN_TO_HOLD, **NO_THREATS, "horizon_days": 2,
                              "events": [RAID], "foreign_forces.backing": 1.0,
                              "foreign_forces.response_delay_days": 30,
                              "government.enforcement_capacity": 5000,
                              "militias[KH].fighters": 700,
                              "militias[KH].stake_reference": 0.0001})
    fade = 1.0 - 1.0 / sc.militias[0].morale_memory_days
    unseen = 0
    for seed in range(1, 5):
        (morale, closed, seen), fast = _finals(
            sc, lambda model: (model.militia("KH").morale, model.standoffs[0].outcome,
                               model.standoffs[0].us_stepped_in),
            lambda w, m: m[0, L.MORALE], seed)
        assert closed == "held_firm"
        unseen += not seen
        expected = -beliefs.MORALE_SHIFT_TARGET * (beliefs.SEEN_US_DETERRENCE if seen else 1.0)
        assert morale == fast == pytest.approx(expected * fade, rel=1e-12)
    assert unseen >= 2


def test_a_strike_teaches_the_struck_militia_most(replay):
    """A US strike is evidence that US forces would step in: half an observation for the struck
    militia (``STRIKE_EVIDENCE_TARGET``), a quarter for its allies. A scripted strike on AAH on
    day 0 leaves each militia's belief in backing where that evidence and one day's forgetting
    put it, on both paths."""
    strike = {"day": 0, "actor": "foreign_forces", "action": "strike", "target": "AAH"}
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 1, "events": [strike]})
    expected = []
    for m in sc.militias:
        alpha0, beta0 = beliefs.beta_prior(m.prior_backing, m.prior_strength)
        alpha, beta, _ = beliefs.beta_observe(alpha0, beta0, True,
                                              beliefs.STRIKE_EVIDENCE_TARGET if m.name == "AAH"
                                              else beliefs.STRIKE_EVIDENCE_OTHERS)
        expected.append(beliefs.beta_forget(alpha, beta, alpha0, beta0,
                                            m.belief_memory_days)[2])
    for means in _finals(sc, lambda model: [m.backing_belief.mean for m in model.militias],
                         lambda w, m: list(m[:, L.MB_MEAN])):
        assert means == pytest.approx(expected, rel=1e-12)


# ---- attacks: the state's restraint ------------------------------------------------------------
@pytest.mark.parametrize(("authority", "resolve", "attacks"), [(1.0, 0.0, False),
                                                               (0.0, 1.0, True)])
def test_the_states_command_restrains_attacks_by_its_authority(replay, authority, resolve,
                                                                attacks):
    """A militia under state command makes ``1 − command_reach × authority × (1 − autonomy)``
    of its attacks: with full reach and no autonomy, a government of full authority (and no
    resolve) stops every KH attack over 30 days; one of no authority (and full resolve) stops
    none (dozens), on both paths."""
    sc = _scenario(replay, **{**NO_ATTACKS, "horizon_days": 30, "militias[KH].attack_rate": 10.0,
                              "militias[KH].autonomy": 0.0, "government.command_reach": 1.0,
                              "government.authority": authority, "government.resolve": resolve})
    for ev in _events(sc, range(1, 3)):
        n = int((ev["action"] == "attack").sum())
        assert n > 20 if attacks else n == 0
