"""A pyabc sampler whose results depend on the seed alone, whatever runs the simulations.

pyabc's own parallel samplers (multicore, mapping, Dask) reseed every worker from the operating
system, so two runs never give the same posterior. Here candidate ``i`` of generation ``t``
always draws its proposal and its simulation from ``SeedSequence([seed, t + 2, i])`` (t >= -1:
pyabc's calibration sample is t = -1), candidates are evaluated in rounds, and a generation
keeps the candidates in index order up to its n-th acceptance — the same particles on one core,
all local cores or a Dask cluster.

Ctrl-C, SIGTERM and SIGHUP are honoured only between candidates (``stop``): a generation is stored
whole or not at all, and the sample of every generation is handed to ``on_sample`` before
pyabc stores it (the calibration keeps what the next generation's distance needs, so that a
resumed run redraws that generation exactly).
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable
from concurrent.futures import Executor, Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import cloudpickle
import numpy as np
from pyabc.sampler import Sampler


def candidate_seed(seed: int, t: int, index: int) -> int:
    """The 32-bit seed of candidate ``index`` of generation ``t`` (t >= -1)."""
    return int(np.random.SeedSequence([seed, t + 2, index]).generate_state(1)[0])


def simulate_candidates(payload: bytes, seed: int, t: int, indices: range) -> list[Any]:
    """Run pyabc's ``simulate_one`` (pickled in ``payload``) once per candidate index, each
    from its own seed; the particles in index order. Runs in a worker process."""
    simulate_one: Callable[[], Any] = cloudpickle.loads(payload)
    particles = []
    for i in indices:
        s = candidate_seed(seed, t, i)
        np.random.seed(s)
        random.seed(s)
        particles.append(simulate_one())
    return particles


class SeededSampler(Sampler):
    """Reproducible sampling over an executor (``None``: in this process).

    Args:
        seed: master seed of the calibration.
        executor: a :class:`concurrent.futures.Executor` (local process pool, Dask) or None.
        workers: parallel workers behind ``executor`` (tasks per round are a multiple of it).
        on_round: optional callback ``(t, evaluated, accepted, n)`` after each round (progress).
        on_sample: optional callback ``(t, sample)`` with generation ``t``'s finished sample,
            before pyabc stores it.
        stop: optional test, polled between candidates: True raises KeyboardInterrupt there
            (a Ctrl-C, SIGTERM or SIGHUP noted by the caller).
    """

    def __init__(self, seed: int, executor: Executor | None = None, workers: int = 1,
                 on_round: Callable[[int, int, int, int], None] | None = None,
                 on_sample: Callable[[int, Any], None] | None = None,
                 stop: Callable[[], bool] | None = None) -> None:
        super().__init__()
        self.seed = seed
        self.executor = executor
        self.workers = max(1, workers)
        self.on_round = on_round
        self.on_sample = on_sample
        self.stop = stop or (lambda: False)

    def _check_stop(self) -> None:
        if self.stop():
            raise KeyboardInterrupt

    def _result(self, future: Future) -> list[Any]:
        """The future's particles, polling :attr:`stop` while waiting."""
        while True:
            self._check_stop()
            try:
                return future.result(timeout=0.2)
            except FutureTimeout:
                continue

    def _round(self, payload: bytes, t: int, start: int, size: int) -> list[Any]:
        """Candidates ``start .. start+size-1``, in index order."""
        if self.executor is None:
            particles = []
            for i in range(start, start + size):
                self._check_stop()
                particles += simulate_candidates(payload, self.seed, t, range(i, i + 1))
            return particles
        tasks = self.workers * 4
        bounds = [start + (size * k) // tasks for k in range(tasks + 1)]
        futures = [self.executor.submit(simulate_candidates, payload, self.seed, t,
                                        range(a, b)) for a, b in itertools.pairwise(bounds) if b > a]
        return [p for f in futures for p in self._result(f)]

    def sample_until_n_accepted(self, n: int, simulate_one: Callable[[], Any], t: int, *,
                                max_eval: float = np.inf, all_accepted: bool = False,
                                ana_vars: Any = None) -> Any:
        """Evaluate candidates in rounds until ``n`` are accepted (or ``max_eval`` spent)."""
        payload = cloudpickle.dumps(simulate_one)
        sample = self._create_empty_sample()
        evaluated = accepted = 0
        size = n
        while accepted < n and evaluated < max_eval:
            for particle in self._round(payload, t, evaluated, size):
                sample.append(particle)
                evaluated += 1
                accepted += bool(particle.accepted)
                if accepted >= n or evaluated >= max_eval:
                    break
            if self.on_round is not None:
                self.on_round(t, evaluated, accepted, n)
            rate = max(accepted / evaluated, 1.0 / evaluated)
            size = min(50 * n, max(self.workers * 4, math.ceil(1.2 * (n - accepted) / rate)))
        self.nr_evaluations_ = evaluated
        if accepted < n:
            sample.ok = False
        elif self.on_sample is not None:
            self.on_sample(t, sample)
        return sample
