"""The fast path against the agent path, side by side, one core (CPU time of this process).

    .venv/bin/python benchmarks/fast_path.py            # about 4 minutes (cold compile: ~2)
    .venv/bin/python benchmarks/fast_path.py --quick    # smaller samples, no cold compile

Prints a Markdown table (the one in docs/performance.md):

1. µs per simulated day of a summary-only run (build, simulate, summary row), agent vs fast,
   on june_2020_replay (90 days) and oct2019_dec2020 (458 days), many seeds; their ratio.
   Each figure is the best of :data:`ROUNDS` rounds, agent and fast measured in turn within
   each round (so that load on a shared machine weighs on both alike).
   Twice: each run a new scenario as calibration makes them (a particle of the default
   calibration, parameters drawn from their priors, through ``runner.Variants`` as the
   calibration simulator runs it: the scenario's copy with the values set, and on the fast
   path the base's arrays with the values written in), and replications of one scenario (as
   ``run`` and a sweep's design point).
2. The fast path's first call: compiling from scratch in a new process (an empty cache
   folder, ``NUMBA_CACHE_DIR``) and loading the compiled code from the cache (a warm new
   process) — the cold-start cost, counted apart from 1.
3. Simulations per CPU-second of the default calibration (calibration/default.yaml: every
   fitted episode per particle, parameters drawn from the priors, the facts computed), agent
   vs fast, best of :data:`ROUNDS` rounds taken in turn.
4. Memory per run: peak Python allocations of one summary-only run (tracemalloc).
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from leverage_sim.calibration.config import Calibration, load_calibration
from leverage_sim.calibration.simulator import EpisodeSimulator
from leverage_sim.scenario.loader import load_scenario
from leverage_sim.scenario.schema import Scenario
from leverage_sim.simulation import fastpath
from leverage_sim.simulation.posterior import value_at
from leverage_sim.simulation.replication import Variants, release, summarise_run, summary_runner

SCENARIOS = ("june_2020_replay", "oct2019_dec2020")
ROUNDS = 3
FIRST_CALL = ("import time; t = time.perf_counter(); import leverage_sim.simulation.fastpath as f; "
              "from leverage_sim import load_scenario; "
              "f.simulate(load_scenario('june_2020_replay'), 1); "
              "print(time.perf_counter() - t)")


def per_day(name: str, engine: str, seconds: float, reuse: bool = False) -> float:
    """µs of CPU per simulated day of summary-only runs (run, summarise) over fresh seeds,
    repeated for ``seconds`` of CPU time: replications of one scenario if ``reuse`` (its
    runner made once), else each run a new scenario as calibration makes them — a particle
    (:func:`particles`) through :class:`~leverage_sim.simulation.runner.Variants`, the calibration
    simulator's way (the particle's scenario, and on the fast path its arrays)."""
    scenario = load_scenario(name)
    runner = summary_runner(scenario, engine)
    variants = Variants(scenario, engine, lambda values: load_scenario(name, values))
    draws = particles(scenario, 64)
    for values in draws:  # warm (and compiled)
        variants(values)(0)
    runs, t0 = 0, time.process_time()
    while time.process_time() - t0 < seconds or runs < 5:
        model = (runner if reuse else variants(draws[runs % len(draws)]))(runs)
        summarise_run(model, runs, 0)
        release(model)
        runs += 1
    return (time.process_time() - t0) / runs / scenario.horizon_days * 1e6


def prior_draw(cal: Calibration, rng: np.random.Generator) -> dict[str, float]:
    """One particle of calibration ``cal``: each parameter drawn from its prior."""
    values = {}
    for p in cal.parameters:
        u = rng.random()
        lo, hi = p.prior.low, p.prior.high
        values[p.path] = (math.exp(math.log(lo) + u * (math.log(hi) - math.log(lo)))
                          if p.prior.family == "loguniform" else lo + u * (hi - lo))
    return values


def particles(scenario: Scenario, n: int) -> list[dict[str, int | float]]:
    """``n`` particles of the default calibration on ``scenario``: its parameters the scenario
    has, drawn from their priors, integers rounded (``EpisodeSimulator.overrides``)."""
    cal = load_calibration(ROOT / "calibration" / "default.yaml")
    sim = EpisodeSimulator(cal, 1)
    rng = np.random.default_rng(11)
    out = []
    for _ in range(n):
        values = sim.overrides(prior_draw(cal, rng))
        out.append({path: v for path, v in values.items() if _has(scenario, path)})
    return out


def _has(scenario: Scenario, path: str) -> bool:
    try:
        value_at(scenario, path)
    except LookupError:
        return False
    return True


def best_of_rounds(measures: dict[str, Callable[[], float]], rounds: int) -> dict[str, float]:
    """The lowest value of each measure over ``rounds`` rounds, the measures taken in turn
    within each round: on a shared machine, load that comes and goes then weighs on all of
    them alike, and the best round is the one least disturbed."""
    best = dict.fromkeys(measures, math.inf)
    for _ in range(rounds):
        for key, measure in measures.items():
            best[key] = min(best[key], measure())
    return best


def first_call(cold: bool) -> float:
    """Seconds from import to the first fast run's end, in a new process (cold: with an empty
    cache folder, so the fast path compiles)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryDirectory() as cache:
        if cold:
            env["NUMBA_CACHE_DIR"] = cache
        out = subprocess.run([sys.executable, "-c", FIRST_CALL], env=env, check=True,
                             capture_output=True, text=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def calibration_rate(engine: str, particles: int) -> float:
    """Episode simulations per CPU-second of the default calibration's simulator."""
    cal = load_calibration(ROOT / "calibration" / "default.yaml")
    sim = EpisodeSimulator(cal, 1, engine)
    rng = np.random.default_rng(7)
    draws = [prior_draw(cal, rng) for _ in range(particles)]
    sim(draws[0], 0)  # warm
    t0 = time.process_time()
    for k, values in enumerate(draws):
        sim(values, k)
    return particles * len(sim.episodes) / (time.process_time() - t0)


def memory(name: str, engine: str) -> float:
    """Peak Python allocations (MB) of one summary-only run."""
    scenario = load_scenario(name)
    summary_runner(scenario, engine)(0)
    tracemalloc.start()
    model = summary_runner(scenario, engine)(1)
    summarise_run(model, 1, 0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    release(model)
    return peak / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller samples, no cold compile")
    args = ap.parse_args()
    seconds, n_particles = (1.0, 20) if args.quick else (4.0, 100)
    print(f"Python {sys.version.split()[0]}, one core, CPU time of this process; best of "
          f"{ROUNDS} rounds, each measure taken in turn within a round\n")
    print("| measure | agent | fast | ratio |\n|---|---|---|---|")
    for name in SCENARIOS:
        best = best_of_rounds({
            "agent": lambda name=name: per_day(name, "agent", seconds),
            "fast": lambda name=name: per_day(name, "fast", seconds),
            "agent_reused": lambda name=name: per_day(name, "agent", seconds, True),
            "reused": lambda name=name: per_day(name, "fast", seconds, True)}, ROUNDS)
        print(f"| {name}: µs per simulated day, each run a new scenario | {best['agent']:.1f} | "
              f"{best['fast']:.2f} | {best['agent'] / best['fast']:.1f}× |")
        print(f"| {name}: µs per simulated day, replications of one scenario | "
              f"{best['agent_reused']:.1f} | {best['reused']:.2f} | "
              f"{best['agent_reused'] / best['reused']:.1f}× |")
    best = best_of_rounds({  # rates: the best round is the highest, so minimise the inverse
        "agent": lambda: 1 / calibration_rate("agent", max(2, n_particles // 10)),
        "fast": lambda: 1 / calibration_rate("fast", n_particles)}, ROUNDS)
    agent, fast = 1 / best["agent"], 1 / best["fast"]
    print(f"| default calibration: simulations per CPU-second | {agent:.0f} | {fast:.0f} | "
          f"{fast / agent:.1f}× |")
    for name in SCENARIOS:
        print(f"| {name}: peak memory per run (MB) | {memory(name, 'agent'):.2f} | "
              f"{memory(name, 'fast'):.2f} | |")
    warm = first_call(cold=False)
    print(f"| fast path first call in a new process, compiled code cached (s) | | {warm:.1f} | |")
    if not args.quick:
        print(f"| fast path first call, compiling (empty cache) (s) | | "
              f"{first_call(cold=True):.0f} | |")
    print(f"\n(numba {__import__('numba').__version__}; compile seconds this process: "
          f"{fastpath.compile_seconds:.1f})")


if __name__ == "__main__":
    main()
