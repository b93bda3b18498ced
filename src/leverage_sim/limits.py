"""The rules every verb applies to counts and seeds, and the size limits of runs and sweeps.

One definition, used by the library (``run``, ``run_sweep``) and by the CLI's argument types
(:mod:`leverage_sim.cli.common`), so that every verb accepts and refuses the same values:

- seeds: whole numbers from 0 to ``SEED_MAX`` (2**63 - 1), as scenario files and sweep files;
- counts (replications, samples, chunk size, workers, ``every``): whole numbers >= 1;
- ``run``/``compare`` hold every table in memory: refused (before the second replication)
  when the estimate, measured on replication 0, exceeds ``RUN_MEMORY_SHARE`` of the memory
  available; a sweep streams to disk instead;
- a sweep plans every run's seed up front (8 bytes and ~10 µs each): at most
  ``MAX_SWEEP_RUNS`` runs.
"""

from __future__ import annotations

import psutil

from leverage_sim.errors import InputError

SEED_MAX = 2**63 - 1
"""Largest seed (seeds are 0 to 2**63 - 1, stored as signed 64-bit integers)."""
RUN_MEMORY_SHARE = 0.5
"""Share of the memory available at the start that ``run``/``compare`` may fill with tables."""
MAX_SWEEP_RUNS = 10_000_000
"""Most runs (design points x replications) one sweep may plan (about 80 MB of seeds and
two minutes of planning); split a larger study into several sweeps with different seeds."""
NOTE_SECONDS = 120.0
"""Estimated durations above this are announced before a long run."""


def check_seed(seed: int, what: str = "seed") -> int:
    """``seed`` if it is a whole number from 0 to ``SEED_MAX``; else an :class:`InputError`."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= SEED_MAX:
        raise InputError(f"{what} must be a whole number from 0 to 2**63-1 ({SEED_MAX}), got "
                         f"{seed!r}.")
    return seed


def check_count(n: int, what: str) -> int:
    """``n`` if it is a whole number >= 1; else an :class:`InputError`."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise InputError(f"{what} must be a whole number of at least 1, got {n!r}.")
    return n


def run_memory_limit() -> int:
    """Bytes of tables ``run`` may hold: ``RUN_MEMORY_SHARE`` of the memory available now."""
    return int(psutil.virtual_memory().available * RUN_MEMORY_SHARE)


def human_bytes(n: float) -> str:
    """``1.5 GB``-style size (powers of 1024)."""
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def human_seconds(s: float) -> str:
    """``42 s``, ``3.5 min``, ``2.1 h`` or ``4.0 days``."""
    for unit, size in (("days", 86400), ("h", 3600), ("min", 60)):
        if s >= size * (2 if unit == "days" else 1):
            return f"{s / size:.1f} {unit}"
    return f"{s:.0f} s"


def check_run_size(scenario: str, replications: int, bytes_per_run: float,
                   seconds_per_run: float, limit: int, horizon_days: int) -> str | None:
    """Refuse a ``run`` whose tables would not fit in ``limit`` bytes (exit 2 naming the sweep
    that does it); return a note (estimated time and memory) when it will take long, else None.
    """
    need = bytes_per_run * replications
    took = seconds_per_run * replications
    if need > limit:
        raise InputError(
            f"{replications:,} replications of '{scenario}' would hold about {human_bytes(need)} "
            f"of tables in memory ({human_bytes(bytes_per_run)} per replication, measured on "
            f"the first) and take about {human_seconds(took)} on one core; `run` and `compare` "
            f"may use at most {human_bytes(limit)} (half the memory available). Use fewer "
            "replications, or run them as a sweep, which streams each run's summary to disk "
            f"and uses every core: `leverage-sim sweep {scenario} --param "
            f"horizon_days={horizon_days} --replications {replications} --out DIR` (one design "
            "point; add --timeseries for the daily series).")
    if took > NOTE_SECONDS:
        return (f"note: {replications:,} replications will take about {human_seconds(took)} and "
                f"hold about {human_bytes(need)} of tables.")
    return None


def check_sweep_size(name: str, n_points: int, replications: int) -> int:
    """The number of runs of a sweep; an :class:`InputError` above ``MAX_SWEEP_RUNS``."""
    total = n_points * replications
    if total > MAX_SWEEP_RUNS:
        raise InputError(
            f"Sweep '{name}' has {n_points:,} design points x {replications:,} replications = "
            f"{total:,} runs; one sweep plans at most {MAX_SWEEP_RUNS:,}. Use fewer points or "
            "replications, or split it into several sweeps (each with its own --out and "
            "--seed).")
    return total
