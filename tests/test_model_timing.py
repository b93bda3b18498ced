"""Timing and bookkeeping of the model's delays, at the model level, on several seeds: strikes
come exactly ``retaliation_delay_days`` after the deadly attack they answer; the US steps in
within ``response_delay_days`` of the muster (the same day with no delay); drawdowns are at
least ``drawdown_cooldown_days`` apart (exactly, while the cost stays above tolerance); the
government never orders a raid while a standoff is open; escalation decays at its daily rate."""

from __future__ import annotations

import itertools

import pytest

import leverage_sim as ls
from leverage_sim.simulation.agents import Government
from leverage_sim.simulation.model import LeverageModel

SEEDS = (1, 2, 81)


def _run(seed: int, overrides: dict, collect: bool = False) -> LeverageModel:
    model = LeverageModel(ls.load_scenario("june_2020_replay", overrides), seed,
                          collect_data=collect)
    while model.running:
        model.step()
    return model


@pytest.mark.parametrize("delay", [0, 2, 5])
@pytest.mark.parametrize("seed", SEEDS)
def test_strikes_come_exactly_the_retaliation_delay_after_the_deadly_attack(seed, delay):
    attacks = [{"day": d, "actor": "KH", "action": "attack", "target": "bases"} for d in (10, 40)]
    model = _run(seed, {
        "events": attacks, "horizon_days": 60, "government.raid_rate": 0.0,
        "patron.instigation": 0.0, "foreign_forces.retaliation_probability": 1.0,
        "foreign_forces.retaliation_threshold": 1, "foreign_forces.retaliation_restraint": 0.0,
        "foreign_forces.sites[bases].lethality": 4.0,
        "foreign_forces.sites[bases].interception": 0.0,
        "foreign_forces.retaliation_delay_days": delay,
        **{f"militias[{m.name}].hostility": 0.0
           for m in ls.load_scenario("june_2020_replay").militias}})
    ev = model.log.frame()
    deadly = ev[(ev["action"] == "attack") & (ev["value"] > 0)]
    strikes = ev[(ev["action"] == "strike") & (ev["actor"] == "foreign_forces")]
    assert len(deadly) >= 1
    assert sorted(strikes["day"]) == sorted(d + delay for d in deadly["day"])


@pytest.mark.parametrize("delay", [0, 3])
@pytest.mark.parametrize("seed", SEEDS)
def test_the_us_steps_in_within_its_response_delay(seed, delay):
    """Backing 1 with a favourable US state: the US steps in to a standoff on a day between
    the muster and ``response_delay_days`` after it (on the muster's day with no delay)."""
    sc = {"foreign_forces.backing": 1.0, "foreign_forces.backing_sensitivity": 0.0,
          "foreign_forces.response_delay_days": delay, "government.raid_rate": 0.0,
          "militias[KH].autonomy": 1.0, "patron.instigation": 1.0}
    opened = stepped = 0
    for s in range(seed * 10, seed * 10 + 10):
        ev = _run(s, sc).log.frame()
        musters = ev[(ev["action"] == "standoff") & (ev["actor"] == "government")
                     & ev["detail"].str.contains("muster", case=False)]
        backs = ev[(ev["action"] == "backing") & (ev["actor"] == "foreign_forces")]
        if musters.empty:
            continue
        opened += 1
        day = int(musters["day"].iloc[0])
        assert len(backs) <= 1
        if len(backs):
            stepped += 1
            assert day <= int(backs["day"].iloc[0]) <= day + delay
            if delay == 0:
                assert int(backs["day"].iloc[0]) == day
    assert opened >= 3 and stepped >= 1, (opened, stepped)


@pytest.mark.parametrize("seed", SEEDS)
def test_drawdowns_are_spaced_by_the_cooldown(seed):
    """While losses keep the political cost above tolerance, the US draws down every
    ``drawdown_cooldown_days`` days exactly; never sooner."""
    cooldown = 20
    model = _run(seed, {"horizon_days": 400, "foreign_forces.casualty_tolerance": 0.5,
                        "foreign_forces.drawdown_cooldown_days": cooldown,
                        "foreign_forces.drawdown_share": 0.05,
                        "foreign_forces.expulsion_pressure": 0.3})
    ev = model.log.frame()
    days = ev[ev["action"].isin(["drawdown", "withdrawal"])]["day"].tolist()
    assert len(days) >= 3, days
    gaps = [b - a for a, b in itertools.pairwise(days)]
    assert min(gaps) >= cooldown, gaps
    assert gaps.count(cooldown) >= len(gaps) // 2, gaps  # cost stays above: at each cooldown


@pytest.mark.parametrize("seed", SEEDS)
def test_no_unscripted_raid_while_a_standoff_is_open(seed, monkeypatch):
    violations, raids = [], []
    real_step, real_raid = Government.step, LeverageModel.raid

    def step(self):
        self.model.in_government_step = True
        try:
            real_step(self)
        finally:
            self.model.in_government_step = False

    def raid(self, militia, **kw):
        if getattr(self, "in_government_step", False):
            raids.append(self.day)
            if self.open_standoffs():
                violations.append(self.day)
        real_raid(self, militia, **kw)
    monkeypatch.setattr(Government, "step", step)
    monkeypatch.setattr(LeverageModel, "raid", raid)
    model = _run(seed, {"horizon_days": 365, "government.raid_rate": 0.5,
                        "foreign_forces.backing": 0.5, "militias[KH].autonomy": 0.9})
    assert len(raids) >= 10 and any(not s.is_open for s in model.standoffs), len(raids)
    assert not violations, violations


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_escalation_decays_at_its_daily_rate_when_nothing_happens(seed):
    quiet = {"events": [], "government.raid_rate": 0.0, "patron.instigation": 0.0,
             "horizon_days": 200,
             **{f"militias[{m.name}].hostility": 0.0
                for m in ls.load_scenario("june_2020_replay").militias}}
    model = LeverageModel(ls.load_scenario("june_2020_replay", quiet), seed,
                          collect_data=False)
    model.escalation = 0.8
    decay = model.escalation_weights.decay
    for _ in range(100):
        model.step()
    assert model.escalation == pytest.approx(0.8 * (1 - decay) ** 100, rel=1e-6)
    assert model.escalation < 0.8
