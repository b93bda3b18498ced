"""A calibration particle's fast-path arrays written into a copy of its episode's
(:class:`leverage_sim.simulation.fastpath.build.Writer`, :meth:`leverage_sim.simulation.fastpath.Runner.varied`)
are the arrays a full build gives, every table and every column, bit for bit; the writer
leaves to the full build what it cannot vouch for; and the runs from them are the agent
path's."""

from __future__ import annotations

import importlib
import math
from pathlib import Path

import numpy as np
import pytest

import leverage_sim as ls
from leverage_sim.calibration.config import load_calibration
from leverage_sim.calibration.episodes import LoadedEpisode
from leverage_sim.calibration.simulator import EpisodeSimulator
from leverage_sim.scenario import schema
from leverage_sim.scenario.loader import with_checked_numbers
from leverage_sim.simulation import fastpath
from leverage_sim.simulation.fastpath import layout as L
from leverage_sim.simulation.runner import Variants, release, simulate, summarise_run

ROOT = Path(__file__).resolve().parent.parent
EPISODES = sorted(p.stem for p in (ROOT / "episodes").glob("*.yaml"))
SCENARIOS = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))
CAL = load_calibration(ROOT / "calibration" / "default.yaml")
fb = importlib.import_module("leverage_sim.simulation.fastpath.build")  # the module (the package exports
# its function ``build`` under the same name)


def prior_draw(rng: np.random.Generator) -> dict[str, int | float]:
    """One particle of the default calibration: each parameter from its prior (uniform or
    log-uniform), integers rounded as the calibration simulator rounds them."""
    values = {}
    for p in CAL.parameters:
        lo, hi, u = p.prior.low, p.prior.high, rng.random()
        x = (math.exp(math.log(lo) + u * (math.log(hi) - math.log(lo)))
             if p.prior.family == "loguniform" else lo + u * (hi - lo))
        values[p.path] = p.cast(x)
    return values


def differences(a: fb.World, b: fb.World) -> list[str]:
    """Where two worlds differ (empty: nowhere): every table, every cell, bit for bit."""
    found = []
    for table in ("w", "m", "s", "scripted", "sets"):
        x, y = getattr(a, table), getattr(b, table)
        if x.shape != y.shape or x.dtype != y.dtype:
            found.append(f"{table}: shape {x.shape} != {y.shape}")
            continue
        cells = np.argwhere(x.view(np.uint64) != y.view(np.uint64))  # -0.0, NaN: exact
        found += [f"{table}{tuple(int(i) for i in c)}: {x[tuple(c)]!r} != {y[tuple(c)]!r}"
                  for c in cells]
    if a.strings != b.strings:
        found.append("strings")
    if a.capacity != b.capacity:
        found.append(f"capacity {a.capacity} != {b.capacity}")
    return found


def written(base: ls.Scenario, runner: fastpath.Runner, values: dict) -> tuple | None:
    """(the writer's world, a full build's) of the particle ``values``; None if
    :func:`with_checked_numbers` leaves the particle to full validation."""
    scenario = with_checked_numbers(base, values)
    if scenario is None:
        return None
    world = fastpath.Writer(base, runner.world)(scenario, values)
    assert world is not None, f"the writer refused {sorted(values)}"
    return world, fb.build(scenario)


# ---- the arrays -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", EPISODES)
def test_particles_arrays_equal_a_full_build(name):
    """Every episode (fitted and held out), 40 particles drawn from the default calibration's
    priors (the parameters its scenario has), each compared with a full build."""
    ep = LoadedEpisode(ROOT / "episodes" / f"{name}.yaml")
    base = ep.validated()
    runner = fastpath.Runner(base)
    rng = np.random.default_rng(sum(map(ord, name)))
    compared = 0
    for _ in range(40):
        values = ep.applicable(prior_draw(rng))
        pair = written(base, runner, values)
        if pair is None:
            continue
        assert differences(*pair) == [], values
        compared += 1
    assert compared >= 30


def one_field_changes(scenario: ls.Scenario):
    """``(path, value)`` for every field of :data:`build.STARTING` of every section, militia
    (by name, and the first and last by position) and site of ``scenario``: different values
    of the field's type."""
    def others(v):  # an integer up and down (a rule across fields may refuse one)
        return [v + 1, *([v - 1] if v > 0 else [])] if isinstance(v, int) else [v * 0.5 + 0.01]

    sections = [(s, s, getattr(scenario, s)) for s in fb.WORLD_SECTIONS]
    for i, m in enumerate(scenario.militias):
        sections.append((f"militias[{m.name}]", "militias", m))
        if i in (0, len(scenario.militias) - 1):
            sections.append((f"militias[{i if i == 0 else -1}]", "militias", m))
    sections += [(f"foreign_forces.sites[{s.name}]", "sites", s)
                 for s in scenario.foreign_forces.sites]
    for prefix, section, params in sections:
        for field in fb.STARTING[section]:
            for value in others(getattr(params, field)):
                yield f"{prefix}.{field}", value, section, field


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_field_written_equals_a_full_build(name):
    """Each field the writer knows (:data:`build.STARTING`: the baselines and the beliefs
    derived from it included), changed alone in every section, militia and site."""
    base = ls.load_scenario(name)
    runner = fastpath.Runner(base)
    seen = set()
    for path, value, section, field in one_field_changes(base):
        pair = written(base, runner, {path: value})
        if pair is None:  # a rule across fields (local fighters > fighters...)
            continue
        assert differences(*pair) == [], path
        seen.add((section, field))
    missing = {(s, f) for s, fields in fb.STARTING.items() for f in fields} - seen
    if base.foreign_forces.sites and base.militias:
        assert not missing


def test_the_writer_leaves_to_the_full_build_what_it_cannot_vouch_for(replay):
    world = fb.build(replay)
    writer = fastpath.Writer(replay, world)
    for path in ("horizon_days", "start_date", "militias[KH].name", "events[0].day",
                 "foreign_forces.sites", "government.nope", "militias[XX].autonomy",
                 "militias[7].autonomy", "foreign_forces.sites[nowhere].lethality",
                 "government.authority.x", "militias.autonomy", "not a path["):
        assert writer.plan([path]) is None, path
        assert writer.plan(["government.resolve", path]) is None, path
    assert writer.plan(["government.resolve"]) is not None
    # a scenario not made from the base (validated in full: no section shared): refused
    values = {"government.resolve": 0.3}
    assert writer(ls.load_scenario(replay, values), values) is None
    assert writer(with_checked_numbers(replay, values), values) is not None
    # Runner.varied then builds in full: the same arrays
    runner = fastpath.Runner(replay)
    other = ls.load_scenario(replay, {**values, "horizon_days": 120})
    assert differences(runner.varied(other, values).world, fb.build(other)) == []
    assert runner.varied(other, values).world.capacity != world.capacity


def test_the_columns_table_is_the_builds_only_one():
    """STARTING covers every schema field the build reads: the settable fields, the
    escalation section, and no column filled twice."""
    for section, fields in L.SETTABLE.items():
        assert {f: c[0] for f, c in fb.STARTING[section].items()} == fields
    assert set(fb.STARTING["escalation"]) == {
        k for k, f in schema.Escalation.model_fields.items() if f.annotation in (int, float)}
    for section in ("world", "militias", "sites"):
        names = fb.WORLD_SECTIONS if section == "world" else (section,)
        columns = [c for s in names for cols in fb.STARTING[s].values() for c in cols]
        columns += [c for s in names for b, p, _ in fb.BELIEFS.get(s, ())
                    for c in (b, b + 1, b + 2, p, p + 1)]
        assert len(columns) == len(set(columns)), section


def test_a_writer_that_skips_a_field_is_caught(monkeypatch, replay):
    """The mutation check, automated: a writer that drops one field's column (or the belief
    it derives) gives arrays the comparison above tells apart from a full build."""
    values = {"government.prior_backing": 0.6, "militias[KH].attack_rate": 0.5}
    runner = fastpath.Runner(replay)
    entry = fb.Writer._entry

    def drop_last(self, *args):
        e = entry(self, *args)
        return fb._Entry(e.table, e.locate, lambda p, v=e.values: v(p)[:-1], e.flat[:-1],
                         e.beliefs)

    monkeypatch.setattr(fb.Writer, "_entry", drop_last)
    assert differences(*written(replay, runner, values))

    def no_beliefs(self, *args):
        e = entry(self, *args)
        return fb._Entry(e.table, e.locate, e.values, e.flat, ())

    monkeypatch.setattr(fb.Writer, "_entry", no_beliefs)
    assert differences(*written(replay, runner, values))


# ---- the runs ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", [ep.name for ep in CAL.episodes])
def test_particles_runs_equal_the_agent_paths(monkeypatch, name):
    """A fitted episode's particles through :class:`Variants` as calibration runs them: the
    fast runs (arrays written, never built: the build is switched off after the base's) give
    the agent path's summary and event log."""
    ep = next(e for e in CAL.episodes if e.name == name)
    variants = Variants(ep.validated(), "fast", ep.scenario)
    variants({})  # the base runner (built)
    monkeypatch.setattr(fastpath, "build", lambda sc: pytest.fail("built in full"))
    rng = np.random.default_rng(3)
    for k in range(4):
        values = ep.applicable(prior_draw(rng))
        if with_checked_numbers(ep.validated(), values) is None:
            continue
        fast_runner = variants(values)
        for seed in (k, 100 + k):
            fast = fast_runner(seed)
            agent = simulate(ep.scenario(values), seed, collect_data=False)
            assert summarise_run(fast, seed, 0) == summarise_run(agent, seed, 0)
            assert fast.log.event_log.rows == agent.log.rows
            release(agent)


def test_the_calibration_simulator_writes_its_particles(monkeypatch):
    """The calibration's simulator runs its particles from written arrays (one build per
    episode), with the same values as the agents."""
    sim = EpisodeSimulator(CAL, 1, "fast")
    rng = np.random.default_rng(9)
    draws = [prior_draw(rng) for _ in range(3)]
    sim(draws[0], 0)  # one build per episode
    monkeypatch.setattr(fastpath, "build", lambda sc: pytest.fail("built in full"))
    agent = EpisodeSimulator(CAL, 1, "agent")
    for k, values in enumerate(draws[1:]):
        assert sim(values, k) == agent(values, k)


def test_a_particle_that_outgrows_the_event_table_teaches_its_base(replay):
    """A particle's run with more events than the table holds is repeated larger (the same
    run), and the base's next particles start with the larger table (not repeated again)."""
    values = {"militias[KH].attack_rate": 0.9}
    base = fastpath.Runner(replay)
    base.events = 4
    particle = base.varied(with_checked_numbers(replay, values), values)
    run = particle(5)
    assert particle.events > 4 and base.events == particle.events
    expected = fastpath.simulate(ls.load_scenario(replay, values), 5)
    assert summarise_run(run, 5, 0) == summarise_run(expected, 5, 0)
    assert run.log.event_log.rows == expected.log.event_log.rows
    assert base.varied(with_checked_numbers(replay, values), values).events == base.events
