"""The fast path: the same model, compiled, for runs that need only the summary and the event
log (calibration, validation, summary-only sweeps).

The mechanisms are the agent path's own functions (:mod:`leverage_sim.simulation.mechanisms`, compiled by
numba); this package holds only the day's orchestration on arrays (:mod:`.day`, mirroring
:class:`~leverage_sim.simulation.model.LeverageModel` step by step), the state layout (:mod:`.layout`),
the scenario's arrays (:mod:`.build`) and the finished run (:mod:`.result`). Same seed, same
draws in the same order from the same ``numpy.random.Generator``: identical summaries and event
logs (``tests/test_fast_path.py``; docs/model.md, "How the two paths are kept equal").
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from leverage_sim.scenario.schema import Scenario
from leverage_sim.simulation.fastpath.build import Unsupported, World, Writer, build
from leverage_sim.simulation.fastpath.result import FastRun
from leverage_sim.simulation.fastpath.seeding import pcg64_state

_compiled: Callable[..., Any] | None = None
compile_seconds = 0.0
"""Seconds the first call took to compile (or load from the cache) the fast path."""


def compiled() -> Callable[..., Any]:
    """The compiled :func:`.day.run_days` (compiled on first use, cached on disk)."""
    global _compiled
    if _compiled is None:
        from numba import njit

        from leverage_sim.simulation.fastpath import cache
        from leverage_sim.simulation.fastpath.day import run_days
        from leverage_sim.simulation.mechanisms.jitable import register_for_numba

        register_for_numba()  # the mechanisms, and the orchestration's own helpers
        cache.install()
        try:
            _compiled = njit(cache=True)(run_days)
        except RuntimeError:  # no writable cache folder: compile in memory only
            _compiled = njit(run_days)
    return _compiled


_local = threading.local()


def seeded_generator(seed: int) -> np.random.Generator:
    """A generator in the state of ``numpy.random.default_rng(seed)`` (the same stream): one
    object per thread, reseeded for each run, because compiled code reads a new generator's
    bit generator slowly (about 50 µs, more than a 90-day run costs)."""
    rng = getattr(_local, "rng", None)
    if rng is None:
        rng = _local.rng = np.random.Generator(np.random.PCG64())
    rng.bit_generator.state = pcg64_state(seed)  # PCG64(seed).state, without its ~30 µs
    return rng


class Runner:
    """Fast-path runs of one scenario: its arrays are built once, each run starts from a copy.

    ``Runner(scenario)(seed)`` is :func:`simulate` ``(scenario, seed)``; raises
    :class:`Unsupported` for a scenario the fast path does not model."""

    def __init__(self, scenario: Scenario, world: World | None = None) -> None:
        self.scenario = scenario
        self.world = build(scenario) if world is None else world
        self.events = 64 + 2 * scenario.horizon_days  # rows of the event table (grows)
        self._call: Callable[..., Any] | None = None
        self._writer: Writer | None = None
        self._parent: Runner | None = None

    def varied(self, scenario: Scenario, paths: Iterable[str]) -> Runner:
        """A runner of ``scenario``: this runner's scenario with the fields at ``paths``
        changed and nothing else (a calibration particle, as
        :func:`~leverage_sim.scenario.loader.with_checked_numbers` makes it). Its arrays are
        a copy of this runner's with those fields written in (:class:`.build.Writer`), or
        built in full when the writer cannot vouch for them; the same arrays either way."""
        if self._writer is None:
            self._writer = Writer(self.scenario, self.world)
        world = self._writer(scenario, paths)
        if world is None:
            return Runner(scenario)
        runner = Runner(scenario, world)
        runner._call = self._call  # the same kinds of arguments: the same compiled code
        runner._parent = self  # (which learns it from the first particle that runs)
        runner.events = self.events
        return runner

    def __call__(self, seed: int) -> FastRun:
        """Run to the horizon with integer ``seed``."""
        global compile_seconds
        wd = self.world
        while True:  # a run with more events than the table holds is repeated, larger
            w, m = wd.w.copy(), wd.m.copy()
            args = (seeded_generator(seed), w, m, wd.s.copy(), wd.scripted, wd.sets,
                    self.scenario.horizon_days, wd.capacity, self.events)
            if self._call is None:
                fn = compiled()
                kinds = (fn, *((a.dtype.str, a.ndim, a.flags.c_contiguous, a.flags.writeable)
                               if isinstance(a, np.ndarray) else type(a) for a in args))
                self._call = _DIRECT.get(kinds)
                if self._call is None:  # the first run of these kinds: through the dispatcher
                    first, t0 = not compile_seconds and not fn.signatures, time.perf_counter()
                    table, standoffs = fn(*args)
                    if first:
                        compile_seconds = time.perf_counter() - t0
                    found = fn.overloads.get(tuple(fn.typeof_pyval(a) for a in args))
                    self._call = _DIRECT[kinds] = fn if found is None else found.entry_point
                else:
                    table, standoffs = self._call(*args)
                if self._parent is not None and self._parent._call is None:
                    self._parent._call = self._call
            else:
                table, standoffs = self._call(*args)
            count = int(table[0, 0])
            if count < self.events:
                return FastRun(self.scenario, w, m, table[1:], standoffs, wd.strings)
            self.events = 2 * count + 2
            if self._parent is not None:  # the next particles start with the larger table
                self._parent.events = max(self._parent.events, self.events)


_DIRECT: dict[tuple, Callable[..., Any]] = {}
"""The compiled code by the kinds of its arguments (the compiled function; array dtype,
dimensions, layout, writability; other types): its entry point, called without the
dispatcher's typing of every argument (about 5 µs a run, most of it typing the Generator);
the dispatcher itself if it has no code for exactly these types."""


def simulate(scenario: Scenario, seed: int) -> FastRun:
    """Run ``scenario`` to its horizon with integer ``seed`` on the fast path; the same
    summary and event log as :func:`leverage_sim.simulation.runner.simulate` with ``collect_data=False``.
    Raises :class:`Unsupported` for a scenario the fast path does not model."""
    return Runner(scenario)(seed)


__all__ = ["FastRun", "Runner", "Unsupported", "compiled", "simulate"]
