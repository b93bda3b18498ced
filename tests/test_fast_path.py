"""The fast path is the same model as the agent path: identical summaries and event logs (day,
actor, action, target, detail, value), bit for bit, for every scenario and episode, many seeds
and stressed parameters; and these tests notice when one path changes without the other."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numba import njit

import leverage_sim as ls
from leverage_sim.calibration.config import load_calibration
from leverage_sim.calibration.simulator import EpisodeSimulator
from leverage_sim.cli.main import main
from leverage_sim.scenario import schema
from leverage_sim.simulation import event_text, fastpath
from leverage_sim.simulation.fastpath import layout
from leverage_sim.simulation.mechanisms import attacks, enforcement, retaliation
from leverage_sim.simulation.mechanisms.jitable import exact_sum, register_for_numba
from leverage_sim.simulation.runner import release, simulate, summarise_run
from leverage_sim.sweep import SweepSpec, load_sweep, run_sweep

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))
EPISODE_SCENARIOS = sorted({re.search(r"^scenario:\s*(\S+)", p.read_text(), re.MULTILINE).group(1)
                            for p in (ROOT / "episodes").glob("*.yaml")})
register_for_numba()  # the mechanisms compilable here too (the fast path does it on first use)
STRESS = {  # parameters that drive the rarely taken branches (clashes, relents, withdrawal...)
    "no_backing": {"foreign_forces.backing": 0.0, "government.raid_rate": 0.05},
    "full_backing": {"foreign_forces.backing": 1.0, "government.raid_rate": 0.05},
    "clashes": {"government.raid_rate": 0.1, "militias[KH].clash_propensity": 0.9,
                "militias[AAH].clash_propensity": 0.9, "government.resolve": 0.9},
    "deadly": {"foreign_forces.casualty_tolerance": 2, "foreign_forces.sites[bases].lethality": 2,
               "foreign_forces.retaliation_probability": 0.9, "militias[KH].attack_rate": 1.0,
               "foreign_forces.drawdown_cooldown_days": 5},
    "returns": {"foreign_forces.casualty_tolerance": 3, "foreign_forces.expulsion_pressure": 0, "foreign_forces.sites[bases].lethality": 1,
                "foreign_forces.drawdown_cooldown_days": 5, "foreign_forces.withdrawal_floor": 100,
                "foreign_forces.redeploy_after_days": 10, "foreign_forces.redeploy_calm_share": 1.0,
                "patron.escalation_threshold": 0.4, "patron.truce_days": 20},
    "exposed": {"foreign_forces.presence": 40, "foreign_forces.withdrawal_floor": 0,
                "foreign_forces.exposure_half": 1.0, "foreign_forces.sites[bases].lethality": 4.0,
                "foreign_forces.casualty_tolerance": 10_000, "militias[KH].attack_rate": 5.0,
                "patron.stability_priority": 0.0, "escalation.per_casualty": 0.0,
                "militias[KH].defence_avoidance": 1.0, "government.command_reach": 1.0},
    "stakes": {"events[ct_raid].figures": {"arrests": 200}, "government.raid_rate": 0.05,
               "government.raid_targets": 150, "militias[KH].stake_sensitivity": 1.0},
    "commanders": {"events[ct_raid].figures": {"arrests": 6, "commanders": 4},  # a detained
                   "government.raid_rate": 0.08, "government.negotiation_leverage": 1,  # command:
                   "government.release_delay_days": 15, "foreign_forces.backing": 0.0,  # kept,
                   "militias[KH].commander_stake": 300.0},  # handed over, freed, raided again
    "transfers": {"foreign_forces.backing": 0.0, "government.raid_rate": 0.08,
                  "government.release_delay_days": 20, "government.negotiation_leverage": 1},
    "no_troops": {"foreign_forces.presence": 0},  # scripted defence deployment: skipped
}

OPERATIONS = [  # operations (mechanisms/operation.py): fights, desertion, ceasefires, halts
    {"day": 5, "actor": "government", "action": "operation", "target": "KH",
     "figures": {"troops": 6000, "days": 10}},
    {"day": 40, "actor": "government", "action": "operation", "target": "AAH",
     "figures": {"troops": 3000, "days": 6}, "note": "a second operation"},
    {"day": 70, "actor": "government", "action": "operation", "target": "KH",
     "figures": {"troops": 30000, "days": 4}},
]
OPERATION_STRESS = {
    "operation_backed": {"foreign_forces.backing": 1.0, "foreign_forces.response_delay_days": 3},
    "operation_alone": {"foreign_forces.backing": 0.0},
    "operation_army_out": {"government.committed_share": 0.3, "government.force_cohesion": 0.3},
    "operation_brokered": {"patron.broker_threshold": 0.6, "government.resolve": 0.9},
    # a US threat in the patron's war risk while it weighs brokering (a second audit found the
    # fast path leaving it out: ceasefires differed whenever us_threat > 0 during a fight)
    "operation_threatened": {"patron.us_threat": 0.9, "patron.strike_memory_days": 1000,
                             "patron.broker_threshold": 0.0, "patron.stability_priority": 1.0,
                             "patron.talks_days": 0},
}


def operation_scenario(name: str) -> ls.Scenario:
    """The replay with :data:`OPERATIONS` and the overrides of ``OPERATION_STRESS[name]``."""
    return ls.load_scenario("june_2020_replay", {**OPERATION_STRESS[name], "horizon_days": 120,
                                                 "events": OPERATIONS})


def differences(scenario: ls.Scenario, seeds: range) -> tuple[list[str], Counter[str]]:
    """Where the two paths differ on ``scenario`` over ``seeds`` (empty: nowhere), and the
    actions compared."""
    found, actions = [], Counter()
    for seed in seeds:
        agent = simulate(scenario, seed, collect_data=False)
        fast = fastpath.simulate(scenario, seed)
        a, f = summarise_run(agent, seed, 0), summarise_run(fast, seed, 0)
        if a != f or [type(v) for v in a.values()] != [type(v) for v in f.values()]:
            found.append(f"seed {seed}: summary {a} != {f}")
        if agent.log.rows != fast.log.rows:
            row = next((i for i, (x, y) in enumerate(zip(agent.log.rows, fast.log.rows))
                        if x != y), min(len(agent.log.rows), len(fast.log.rows)))
            found.append(f"seed {seed}: event {row} differs")
        actions.update(r[2] for r in agent.log.rows)
        release(agent)
    return found, actions


@pytest.mark.parametrize("name", sorted({*SCENARIOS, *EPISODE_SCENARIOS}))
def test_identical_on_every_scenario_and_episode(name):
    found, actions = differences(ls.load_scenario(name), range(12))
    assert not found, found[:3]
    assert sum(actions.values()) > 0  # something happened, and was compared


@pytest.mark.parametrize("stress", sorted(STRESS))
def test_identical_under_stress(stress):
    found, _ = differences(ls.load_scenario("june_2020_replay",
                                            {**STRESS[stress], "horizon_days": 240}), range(10))
    assert not found, found[:3]


@pytest.mark.parametrize("name", sorted(OPERATION_STRESS))
def test_identical_with_operations(name):
    found, actions = differences(operation_scenario(name), range(12))
    assert not found, found[:3]
    assert actions["fighting"] > 0


def test_the_comparisons_exercise_every_action():
    """Every action the model can log shows up in the compared runs (so every branch of the
    day was compared at least once)."""
    seen = Counter()
    for name in ("june_2020_replay", "oct2019_dec2020", "kh_decapitated", "basra_2008",
                 "dec2019_jan2020", "lebanon_2008"):
        seen += differences(ls.load_scenario(name), range(12))[1]
    for overrides in STRESS.values():
        scenario = ls.load_scenario("june_2020_replay", {**overrides, "horizon_days": 240})
        seen += differences(scenario, range(10))[1]
    for name in OPERATION_STRESS:
        seen += differences(operation_scenario(name), range(6))[1]
    assert set(layout.ACTIONS) <= set(seen), set(layout.ACTIONS) - set(seen)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["june_2020_replay", "oct2019_dec2020", "muslih_2021"])
def test_identical_over_many_seeds(name):
    found, _ = differences(ls.load_scenario(name), range(100, 400))
    assert not found, found[:3]


# ---- the equality test has power: change one path only, and it fails ---------------------------
def test_a_constant_changed_in_one_path_is_caught(monkeypatch):
    """The compiled path froze the constant; the agent path reads the new value."""
    scenario = ls.load_scenario("oct2019_dec2020")
    assert not differences(scenario, range(3))[0]
    monkeypatch.setattr(retaliation, "SOVEREIGNTY_COST", 0.021)
    assert differences(scenario, range(3))[0]


def test_a_mechanism_changed_in_one_path_is_caught(monkeypatch):
    scenario = ls.load_scenario("june_2020_replay")
    rate = attacks.attack_rate
    # 20%: a 1% change moves one of ~360 small Poisson draws in fewer than half of the runs
    monkeypatch.setattr(attacks, "attack_rate", lambda *a, **k: rate(*a, **k) * 1.2)
    assert differences(scenario, range(3))[0]


# ---- what the equality rests on -----------------------------------------------------------------
@njit
def _draws(rng, kinds, a, b):
    out = np.empty(len(kinds))
    for i in range(len(kinds)):
        if kinds[i] == 0:
            out[i] = rng.random()
        elif kinds[i] == 1:
            out[i] = rng.poisson(a[i])
        elif kinds[i] == 2:
            out[i] = rng.binomial(int(a[i]), b[i])
        else:
            out[i] = rng.integers(0, int(a[i]) + 1)
    return out


@pytest.mark.slow  # compiling the draws takes most of it
def test_compiled_draws_are_numpys_streams():
    """numba's Generator methods give NumPy's exact streams, mixed, over the model's ranges
    (Poisson means 0-30, binomial counts 0-5000 with any probability, delays 0-7 days)."""
    src = np.random.default_rng(1)
    for _ in range(20):
        kinds = src.integers(0, 4, 500)
        a = np.select([kinds == 1, kinds == 2, kinds == 3],
                      [src.choice([0.0, 1e-5, 0.08, 0.5, 1.5, 9.99, 10.0, 30.0], 500),
                       src.choice([0, 1, 14, 144, 400, 5000], 500), src.integers(0, 8, 500)])
        b = np.where(kinds == 2, src.choice([0.0, 0.01, 0.3, 0.5, 0.7, 1.0], 500), 0.0)
        seed = int(src.integers(0, 2**63))
        expected = [getattr(g, ("random", "poisson", "binomial", "integers")[k])(
            *(() if k == 0 else (x,) if k == 1 else (int(x), y) if k == 2 else (0, int(x) + 1)))
            for g in [np.random.default_rng(seed)] for k, x, y in zip(kinds, a, b, strict=True)]
        assert _draws(np.random.default_rng(seed), kinds, a, b).tolist() == expected


def test_exact_sum_is_fsum_in_compiled_code():
    total = njit(lambda v: exact_sum(v))
    rng = np.random.default_rng(0)
    for _ in range(2000):
        n = int(rng.integers(0, 9))
        v = rng.random(n) * 10.0 ** rng.integers(-12, 12, n) * rng.choice([-1, 1], n)
        assert total(v) == math.fsum(v)


def test_raid_target_draw_is_numpys_choice():
    for seed in range(200):
        payoffs = np.random.default_rng(seed).random(int(seed % 5) + 1)
        expected = np.random.default_rng(seed).choice(len(payoffs), p=payoffs / payoffs.sum())
        assert enforcement.choose_target(np.random.default_rng(seed), payoffs) == expected


def test_detail_kinds_are_event_text_functions():
    assert layout.KIND_NAMES == tuple(fn.__name__ for fn, _ in event_text.KINDS)


@pytest.mark.parametrize("section, model", [
    ("government", schema.Government), ("patron", schema.Patron),
    ("foreign_forces", schema.ForeignForces), ("militias", schema.Militia),
    ("sites", schema.Site)])
def test_every_schema_field_has_a_column(section, model):
    """A new parameter fails here until the fast path carries it."""
    numeric = {k for k, f in model.model_fields.items() if f.annotation in (int, float)}
    assert set(layout.SETTABLE[section]) == numeric


# ---- chosen, not forced: the engine flag and API ---------------------------------------------
def test_run_engine_fast_gives_the_agent_summary_and_events(replay):
    agent = ls.run(replay, replications=3, seed=4, posterior="none")
    fast = ls.run(replay, replications=3, seed=4, posterior="none", engine="fast")
    pd.testing.assert_frame_equal(fast.summary, agent.summary)
    pd.testing.assert_frame_equal(fast.events, agent.events)
    assert fast.timeseries.empty and not agent.timeseries.empty
    with pytest.raises(ls.InputError, match="Unknown engine"):
        ls.run(replay, posterior="none", engine="jet")


def test_calibration_simulator_values_do_not_depend_on_the_engine():
    cal = load_calibration(ROOT / "calibration" / "default.yaml")
    values = {p.path: p.cast((p.prior.low + p.prior.high) / 2) for p in cal.parameters}
    fast, agent = EpisodeSimulator(cal, 2), EpisodeSimulator(cal, 2, "agent")
    assert fast.engine == "fast"
    for seed in (1, 2):
        assert fast(values, seed) == agent(values, seed)


def test_sweeps_use_the_fast_path_for_summaries_and_say_so(tmp_path):
    def spec(**kw):
        return SweepSpec.from_cli("june_2020_replay", ["foreign_forces.backing=0:1:2"],
                                  replications=3, seed=5, overrides={"horizon_days": 60}, **kw)

    fast = run_sweep(spec(), tmp_path / "fast", executor="serial")
    agent = run_sweep(spec(), tmp_path / "agent", executor="serial", engine="agent")
    series = run_sweep(spec(timeseries=True), tmp_path / "ts", executor="serial")
    engines = [json.loads((d / "manifest.json").read_text())["engine"]
               for d in (fast, agent, series)]
    assert engines == ["fast", "agent", "agent"]  # time series need the agents
    pd.testing.assert_frame_equal(load_sweep(fast), load_sweep(agent))


@pytest.mark.parametrize("verb", ["sweep", "calibrate", "validate-model"])
def test_engine_flag(verb, capsys):
    with pytest.raises(SystemExit):
        main([verb, "--help"])
    assert "--engine {fast,agent}" in capsys.readouterr().out


def test_a_run_with_more_events_than_its_table_is_repeated_larger(replay):
    runner = fastpath.Runner(replay)
    runner.events = 3
    fast = runner(7)
    agent = simulate(replay, 7, collect_data=False)
    assert len(agent.log.rows) > 3 and fast.log.rows == agent.log.rows
    assert runner.events > len(agent.log.rows)
    release(agent)


def test_cache_goes_to_the_first_writable_folder_and_only_for_the_fast_path(tmp_path,
                                                                           monkeypatch):
    from leverage_sim.simulation.fastpath import cache, day

    locked = tmp_path / "locked"
    locked.write_text("a file, not a folder")  # a cache folder cannot be made under it
    monkeypatch.setattr(cache, "candidate_folders", lambda: [locked / "x", tmp_path / "ok"])
    locator = cache.ModelCacheLocator.from_function(day.run_days, day.__file__)
    assert locator.get_cache_path() == str(tmp_path / "ok")
    assert locator.get_source_stamp() == cache.source_stamp()
    monkeypatch.setattr(cache, "candidate_folders", lambda: [locked / "x"])
    assert cache.ModelCacheLocator.from_function(day.run_days, day.__file__) is None
    assert cache.ModelCacheLocator.from_function(math.fsum, __file__) is None
