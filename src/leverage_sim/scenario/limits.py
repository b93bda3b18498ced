"""The rules every verb applies to counts and seeds, and the size limits of runs and sweeps.

One definition, used by the library (``run``, ``run_sweep``) and by the CLI's argument types
(:mod:`leverage_sim.cli.common`), so that every verb accepts and refuses the same values:

- seeds: whole numbers from 0 to ``SEED_MAX`` (2**63 - 1), as scenario files and sweep files;
- counts (replications, samples, chunk size, workers, ``every``): whole numbers >= 1;
  NumPy integers count as whole numbers (booleans do not);
- tables are written as ``TABLE_FORMATS`` (Parquet or CSV);
- ``run``/``compare`` hold every table in memory: refused (before the second replication)
  when the estimate, measured on replication 0, exceeds ``RUN_MEMORY_SHARE`` of the memory
  available (:func:`memory_available`: the host's, or what a cgroup limit leaves, the smaller);
  a sweep streams to disk instead;
- a sweep plans every run's seed up front (8 bytes and ~10 µs each): at most
  ``MAX_SWEEP_RUNS`` runs;
- worker processes: at most :func:`max_workers` (``WORKERS_PER_CPU`` per usable CPU, within the
  free process slots of ``RLIMIT_NPROC`` and a cgroup ``pids.max``); more are capped with a note;
- one name or path where a list of them goes is that one item, not the characters of its name
  (:func:`as_list`).
"""

from __future__ import annotations

import math
import numbers
import os
import resource
from collections import Counter
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

import psutil

from leverage_sim.errors import InputError
from leverage_sim.files.safe_text import shell_word

SEED_MAX = 2**63 - 1
"""Largest seed (seeds are 0 to 2**63 - 1, stored as signed 64-bit integers)."""
RUN_MEMORY_SHARE = 0.5
"""Share of the memory available at the start that ``run``/``compare`` may fill with tables."""
MAX_SWEEP_RUNS = 10_000_000
"""Most runs (design points x replications) one sweep may plan (about 80 MB of seeds and
two minutes of planning); split a larger study into several sweeps with different seeds."""
MAX_SPLIT = 100
"""Most sweeps a run's advice splits into (a billion runs); beyond, it offers none."""
NOTE_SECONDS = 120.0
"""Estimated durations above this are announced before a long run."""
LONG_SWEEP_SECONDS = 600.0
"""A sweep expected to take longer than this (from its first run, timed) says so before it
starts."""
PLAN_OVERHEAD = 1.5
"""Planning time per run is about this times the time to derive its seed (measured): the
seeds are most of it; the design, its tables and checks the rest."""
PLAN_BYTES_PER_RUN = (150, 60)
"""Peak memory of planning a sweep, bytes per run: a base (seed, run table) plus this much per
swept parameter (design matrix and values); measured on Latin hypercubes of 300,000 points
(about 100 + 35 per parameter), with a margin."""
WORKERS_PER_CPU = 4
"""Most worker processes per usable CPU (more only queue for the same cores)."""
SLOTS_PER_WORKER = 4
"""Process slots (processes and threads, as ``RLIMIT_NPROC`` and ``pids.max`` count them) set
aside per worker: a worker, its watcher thread and the threads numeric libraries start."""
CGROUP_ROOT = Path("/sys/fs/cgroup")
"""Where cgroup file systems are mounted (v2: the root itself; v1: one folder per controller)."""
PROC_CGROUP = Path("/proc/self/cgroup")
"""Which cgroup this process is in (``ID:CONTROLLERS:PATH`` lines; v2 is ``0::PATH``)."""
UNLIMITED = 2**60
"""cgroup v1 writes "no limit" as a number near 2**63; anything above this is no limit."""


TABLE_FORMATS = ("parquet", "csv")
"""The formats tables are written in (``--format``, ``Results.save(fmt=...)``)."""


def _whole(n: object) -> int | None:
    """``n`` as an ``int`` if it is a whole number (``int`` or a NumPy integer, not a bool)."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        return None
    return int(n)


def as_list(value: Any, single: tuple[type, ...] = (str, os.PathLike)) -> list[Any]:
    """``value`` as a list: one item of a ``single`` type (a text or a path by default: one name,
    not the characters of its name) or anything that is not iterable is a list of that item,
    for the caller's own check to name; an iterable (a generator too) is read into a list."""
    if isinstance(value, single) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def as_ordered_list(value: Any, what: str, why: str,
                    single: tuple[type, ...] = (str, os.PathLike)) -> list[Any]:
    """:func:`as_list` for an argument whose order means something (``why``: a clause); a set
    is refused, naming ``what``: its order changes from one Python session to the next."""
    if isinstance(value, AbstractSet):
        raise InputError(f"{what} must be given in an order (a list or a tuple), not a set: "
                         f"{why}, and a set's order changes from one Python session to the "
                         "next.")
    return as_list(value, single)


def repeated(names: Iterable[Any]) -> list[Any]:
    """The entries of ``names`` listed more than once, sorted (each would count twice)."""
    return sorted(n for n, k in Counter(names).items() if k > 1)


def is_real(x: object) -> bool:
    """Whether ``x`` is a real number (``int``, ``float`` or a NumPy number; not a bool, not
    text): what a share, level or percentile argument must be before it is compared."""
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def is_finite_number(x: object) -> bool:
    """Whether ``x`` is a real number (:func:`is_real`) that is neither NaN nor infinite."""
    return is_real(x) and math.isfinite(x)  # type: ignore[arg-type]


def check_level(level: float, what: str = "level") -> float:
    """``level`` (as a ``float``) if it is a real number strictly between 0 and 1 (a
    confidence level or the share of runs an interval holds); else an :class:`InputError`."""
    if not is_real(level) or not 0 < level < 1:
        raise InputError(f"{what} must be a number between 0 and 1 (e.g. 0.9), got {level!r}.")
    return float(level)


def check_seed(seed: int, what: str = "seed") -> int:
    """``seed`` (as an ``int``) if it is a whole number from 0 to ``SEED_MAX``; else an
    :class:`InputError`."""
    value = _whole(seed)
    if value is None or not 0 <= value <= SEED_MAX:
        raise InputError(f"{what} must be a whole number from 0 to 2**63-1 ({SEED_MAX}), got "
                         f"{seed!r}.")
    return value


def check_count(n: int, what: str, most: int | None = None, least: int = 1) -> int:
    """``n`` (as an ``int``) if it is a whole number >= ``least`` (and at most ``most``, if
    given); else an :class:`InputError`."""
    value = _whole(n)
    if value is None or value < least:
        raise InputError(f"{what} must be a whole number of at least {least}, got {n!r}.")
    if most is not None and value > most:
        raise InputError(f"{what} must be at most {most:,}, got {value:,}.")
    return value


def check_format(fmt: str) -> str:
    """``fmt`` if it is one of :data:`TABLE_FORMATS`; else an :class:`InputError`."""
    if fmt not in TABLE_FORMATS:
        raise InputError(f"Table format {fmt!r} is not one leverage-sim writes: use "
                         f"{' or '.join(repr(f) for f in TABLE_FORMATS)}.")
    return fmt


def usable_cpus() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def _cgroup_dirs(controller: str, root: Path, proc: Path) -> list[Path]:
    """This process's cgroup folders for ``controller`` and their ancestors up to the mount,
    innermost first (v1 where the controller has its own hierarchy, else v2)."""
    try:
        lines = proc.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) == 3 and controller in parts[1].split(","):
            base, rel = root / controller, parts[2]
            break
    else:
        unified = [line.split(":", 2)[2] for line in lines if line.startswith("0::")]
        if not unified:
            return []
        base, rel = root, unified[0]
    folder = base / rel.lstrip("/")
    return [folder, *(p for p in folder.parents if p.is_relative_to(base))]


def _read_number(path: Path) -> int | None:
    """A cgroup file's number (None if absent, unreadable or "max")."""
    try:
        text = path.read_text(encoding="utf-8").split()[0]
    except (OSError, IndexError):
        return None
    return int(text) if text.isdigit() else None


def _stat_value(path: Path, key: str) -> int:
    """One value of a cgroup ``*.stat`` file (0 if absent)."""
    try:
        for line in path.read_text(encoding="utf-8").splitlines():
            name, _, value = line.partition(" ")
            if name == key and value.strip().isdigit():
                return int(value)
    except OSError:
        pass
    return 0


def cgroup_room(controller: str, root: Path | None = None, proc: Path | None = None
                ) -> int | None:
    """What this process's cgroup limits leave free for ``controller`` (``memory``: bytes,
    ``pids``: processes and threads), the tightest over its cgroup and their ancestors; None
    where no limit is set (or no cgroup file system is there). ``root`` and ``proc`` default
    to :data:`CGROUP_ROOT` and :data:`PROC_CGROUP`.

    Memory: cgroup v2 ``memory.max`` minus ``memory.current``, v1 ``memory.limit_in_bytes``
    minus ``memory.usage_in_bytes``, each plus the inactive page cache the kernel reclaims
    first. Pids: ``pids.max`` minus ``pids.current`` (v1 and v2).
    """
    files = {"memory": (("memory.max", "memory.current", "inactive_file"),
                        ("memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file")),
             "pids": (("pids.max", "pids.current", None), ("pids.max", "pids.current", None))}
    room = None
    for folder in _cgroup_dirs(controller, root or CGROUP_ROOT, proc or PROC_CGROUP):
        v2, v1 = files[controller]
        limit_file, usage_file, reclaimable = v2 if (folder / v2[0]).exists() else v1
        limit = _read_number(folder / limit_file)
        if limit is None or limit >= UNLIMITED:
            continue
        used = _read_number(folder / usage_file) or 0
        if reclaimable:
            used -= min(used, _stat_value(folder / "memory.stat", reclaimable))
        room = max(0, limit - used) if room is None else min(room, max(0, limit - used))
    return room


def memory_available() -> int:
    """Bytes of memory available now: the host's, or what a cgroup (container) memory limit
    leaves, whichever is smaller."""
    host = psutil.virtual_memory().available
    limited = cgroup_room("memory")
    return host if limited is None else min(host, limited)


def run_memory_limit() -> int:
    """Bytes of tables ``run`` may hold: ``RUN_MEMORY_SHARE`` of :func:`memory_available`."""
    return int(memory_available() * RUN_MEMORY_SHARE)


def process_room() -> int | None:
    """Processes (and threads) this user may still start: the free slots of ``RLIMIT_NPROC``
    (not for root, which it does not bind) and of a cgroup ``pids.max``; None if unlimited."""
    rooms = [cgroup_room("pids")]
    soft = resource.getrlimit(resource.RLIMIT_NPROC)[0]
    if soft != resource.RLIM_INFINITY and os.geteuid() != 0:
        uid, used = os.getuid(), 0
        for proc in psutil.process_iter(["uids", "num_threads"]):
            uids, threads = proc.info["uids"], proc.info["num_threads"]
            used += (threads or 1) if uids is not None and uids.real == uid else 0
        rooms.append(max(0, soft - used))
    known = [r for r in rooms if r is not None]
    return min(known) if known else None


def max_workers() -> int:
    """Most worker processes a sweep or calibration starts on this machine:
    ``WORKERS_PER_CPU`` per usable CPU, and no more than a ``SLOTS_PER_WORKER``-th of the free
    process slots (:func:`process_room`); at least 1."""
    cap = WORKERS_PER_CPU * usable_cpus()
    room = process_room()
    if room is not None:
        cap = min(cap, room // SLOTS_PER_WORKER)
    return max(1, cap)


def cap_workers(workers: int) -> tuple[int, str | None]:
    """``workers`` (checked: a count) within :func:`max_workers`, and a note when capped."""
    check_count(workers, "workers")
    cap = max_workers()
    if workers <= cap:
        return workers, None
    return cap, (f"note: --workers {workers:,} capped at {cap}, the most this machine runs "
                 f"usefully ({WORKERS_PER_CPU} per usable CPU, {usable_cpus()} here, within "
                 "the free process slots); more would only wait for the same cores.")


def human_bytes(n: float) -> str:
    """``1.5 GB``-style size (powers of 1024)."""
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def human_seconds(s: float) -> str:
    """``42 s``, ``3.5 min``, ``2.1 h`` or ``4.0 days``."""
    for unit, size in (("days", 86400), ("h", 3600), ("min", 60)):
        if s >= size * (2 if unit == "days" else 1):
            return f"{s / size:,.1f} {unit}"
    return f"{s:.0f} s"


def check_run_size(scenario: str, replications: int, bytes_per_run: float,
                   seconds_per_run: float, limit: int, horizon_days: int) -> None:
    """Refuse a ``run`` whose tables would not fit in ``limit`` bytes (exit 2 naming the sweep
    that does it)."""
    need = bytes_per_run * replications
    if need > limit:
        raise InputError(
            f"{replications:,} replications of '{scenario}' would hold about {human_bytes(need)} "
            f"of tables in memory ({human_bytes(bytes_per_run)} per replication, measured on "
            f"the first) and take about {human_seconds(seconds_per_run * replications)} on one "
            f"core; `run` and `compare` may use at most {human_bytes(limit)} (half the memory "
            f"available). Use fewer replications"
            f"{sweep_advice(scenario, replications, horizon_days)}.")


def long_run_note(replications: int, bytes_per_run: float, seconds_per_run: float
                  ) -> str | None:
    """A note of a ``run``'s estimated time and memory when it will take longer than
    :data:`NOTE_SECONDS`, else None (``seconds_per_run``: one replication's time, once the
    run's one-time costs are paid)."""
    took = seconds_per_run * replications
    if took > NOTE_SECONDS:
        return (f"note: {replications:,} replications will take about {human_seconds(took)} and "
                f"hold about {human_bytes(bytes_per_run * replications)} of tables.")
    return None


def sweep_advice(scenario: str, replications: int, horizon_days: int) -> str:
    """How else to run ``replications`` replications of ``scenario`` (the end of a sentence):
    one sweep of one design point, or, above ``MAX_SWEEP_RUNS``, the fewest equal sweeps within
    that limit; beyond ``MAX_SPLIT`` sweeps, no alternative."""
    parts = math.ceil(replications / MAX_SWEEP_RUNS)
    each = math.ceil(replications / parts)
    if parts > MAX_SPLIT:
        return (f": even as sweeps, which stream to disk, they would need {parts:,} sweeps of "
                f"{MAX_SWEEP_RUNS:,} runs (the most one sweep plans)")
    command = (f"leverage-sim sweep {shell_word(scenario)} --param horizon_days={horizon_days} "
               f"--replications {each}")
    stream = "which stream{} each run's summary to disk and use{} every core"
    if parts == 1:
        return (f", or run them as a sweep, {stream.format('s', 's')}: `{command} --out DIR` "
                "(one design point; add --timeseries for the daily series)")
    return (f", or run them as {parts} sweeps of {each:,} replications each (one sweep plans "
            f"at most {MAX_SWEEP_RUNS:,} runs), {stream.format('', '')}, each with its own "
            f"seed and folder: `{command} --seed K --out DIR_K` for K = 1 to {parts} (one design "
            "point each; add --timeseries for the daily series)")


VALIDATION_BYTES_PER_RUN = 2_000
"""Memory ``validate-model`` holds per run until it scores them (its seed and fact values,
as a row; measured at about 1 kB with eight facts, with a margin)."""


def check_validation_size(replications: int, episodes: int, sources: int,
                          limit: int | None = None) -> int:
    """The number of runs ``validate-model`` makes (``sources`` per replication and episode);
    an :class:`InputError` when their fact values would not fit in ``limit`` bytes (default:
    :func:`run_memory_limit`), before anything runs."""
    runs = replications * episodes * sources
    need = runs * VALIDATION_BYTES_PER_RUN
    room = run_memory_limit() if limit is None else limit
    if need > room:
        most = max(room // (VALIDATION_BYTES_PER_RUN * max(episodes * sources, 1)), 0)
        raise InputError(
            f"--replications {replications:,} would make {runs:,} runs ({sources} sources x "
            f"{episodes} episode{'s' * (episodes != 1)} x {replications:,}) and hold about "
            f"{human_bytes(need)} of fact values in memory; at most {human_bytes(room)} (half "
            f"the memory available) may be used, so at most {most:,} replications. Use fewer "
            "(the default 200 already gives each skill a 90% interval).")
    return runs


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


def plan_note(name: str, runs: int, parameters: int, seconds_per_seed: float) -> str:
    """What planning a sweep of ``runs`` runs over ``parameters`` parameters takes (time, from
    the time one seed took, and memory); an :class:`InputError` if that memory is more than
    :func:`memory_available`."""
    need = runs * (PLAN_BYTES_PER_RUN[0] + PLAN_BYTES_PER_RUN[1] * parameters)
    took = human_seconds(runs * seconds_per_seed * PLAN_OVERHEAD)
    available = memory_available()
    if need > available:
        raise InputError(
            f"Planning sweep '{name}' ({runs:,} runs: a seed for each, the design and its "
            f"tables) needs about {human_bytes(need)} of memory, more than the "
            f"{human_bytes(available)} available (and about {took}). Use fewer points or "
            "replications, or split it into several sweeps (each with its own --out and "
            "--seed).")
    return (f"note: planning sweep '{name}' ({runs:,} runs: a seed for each, the design and its "
            f"tables) takes about {took} and {human_bytes(need)} of memory before the first "
            "run.")


def sweep_time_note(runs: int, seconds_per_run: float, workers: int) -> str | None:
    """A note when ``runs`` runs of ``seconds_per_run`` (measured) each on ``workers``
    workers take more than ``LONG_SWEEP_SECONDS``; else None."""
    total = runs * seconds_per_run / max(1, workers)
    if total <= LONG_SWEEP_SECONDS:
        return None
    return (f"note: {runs:,} runs at about {seconds_per_run:.2g} s each (the first run, timed) "
            f"will take about {human_seconds(total)} on {workers} worker"
            f"{'s' * (workers != 1)} ({human_seconds(runs * seconds_per_run)} on one core). "
            "Ctrl-C stops it; `leverage-sim sweep --resume --out DIR` continues it.")
