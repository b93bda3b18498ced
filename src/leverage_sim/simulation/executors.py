"""Executors: where chunks run. All three give the same results bit for bit (each run's seed is
fixed by the design, not by where or when it runs).

- ``serial``: in this process, one chunk after another (debugging, profiling);
- ``local``: a process pool over all cores, started once per sweep from a context object —
  never by changing the global start method, so it is safe from notebooks and scripts (see
  :func:`start_method` for which one);
- ``dask``: a Dask ``distributed`` cluster — a ``LocalCluster`` (one single-threaded worker
  process per core) or an existing scheduler (``tcp://HOST:8786``).

Each is a :class:`concurrent.futures.Executor` (``submit`` returns a ``concurrent.futures``
future) with a ``name``, a ``workers`` count, ``restart()`` (called after a worker died),
``warm``: True once a worker is up with the model imported (until then the sweep process runs a
few runs itself), and ``has_workers()``: False while no worker is there to take tasks (a Dask
scheduler without workers; the sweep stops after its ``worker_timeout``).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import socket
import sys
import threading
import urllib.parse
import warnings
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any

from leverage_sim.errors import InputError
from leverage_sim.scenario.limits import cap_workers, max_workers, usable_cpus
from leverage_sim.simulation.worker import init_worker, ready

EXECUTORS = ("local", "serial", "dask")
DASK_PORT = 8786
"""A Dask scheduler's port when the address gives none."""
SCHEDULER_TIMEOUT = 20
"""Seconds to wait for a Dask scheduler to answer."""
ABANDON_JOIN_SECONDS = 30
"""Seconds an abandoned local pool's manager thread is given to notice its ended workers."""


def default_workers() -> int:
    """Cores this process may use (fewer if the process limits leave room for fewer workers:
    :func:`leverage_sim.scenario.limits.max_workers`)."""
    return min(usable_cpus(), max_workers())


def start_method() -> str:
    """How ``local`` starts its workers, decided afresh for each pool:

    - ``fork`` on Linux when this process runs no other Python thread (a script, the CLI):
      workers start in milliseconds with the model already imported. The threads that numeric
      libraries keep (OpenBLAS, jemalloc) have their own fork handlers; a Python thread could
      hold a lock across the fork, so any Python thread rules fork out;
    - else ``forkserver`` (Jupyter kernels run several threads; macOS has no safe fork): the
      package is imported once, in the fork server, and workers fork from it;
    - else ``spawn`` (Windows).
    """
    methods = mp.get_all_start_methods()
    if sys.platform == "linux" and "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


class SerialExecutor(Executor):
    """Runs each task at ``submit``, in this process."""

    name = "serial"
    workers = 1
    warm = True

    def has_workers(self) -> bool:
        """This process is the worker."""
        return True

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as e:  # noqa: BLE001 - delivered through the future, like a pool
            future.set_exception(e)
        return future

    def restart(self) -> None:
        """Nothing to restart."""


class Probed:
    """``warm`` once a no-op task (``_probe``) has run: a worker is up with the package
    imported (at once when forked; about 1 s for a new fork server or Dask worker)."""

    _probe: Future | None

    @property
    def warm(self) -> bool:
        """True once a worker is up with the package imported."""
        return self._probe is not None and self._probe.done()


class LocalExecutor(Probed, Executor):
    """A process pool over ``workers`` processes (default: all cores)."""

    name = "local"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        method = start_method()
        context = mp.get_context(method)
        if method == "forkserver":
            context.set_forkserver_preload(["leverage_sim.simulation.worker"])
        pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=init_worker,
                                   initargs=(os.getpid(),))
        self._probe = None

        def launch() -> None:
            self._probe = pool.submit(ready)

        if method == "fork":
            # A fork pool forks all its workers at its first submit. Python >= 3.12 warns about
            # forking while the process has any thread; the only ones here belong to libraries
            # with fork handlers (see start_method).
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "This process .* is multi-threaded",
                                        DeprecationWarning)
                launch()
            self._probe.result()
        else:
            # Starting a worker waits until the fork server has imported the package (about
            # 1 s when it is new): start it in the background, so that this process can run
            # chunks meanwhile. (Submitting before ``warm`` would wait for it.)
            threading.Thread(target=launch, name="leverage-sim-pool-start", daemon=True).start()
        return pool

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        return self._pool.submit(fn, *args, **kwargs)

    def has_workers(self) -> bool:
        """Always: a dead worker breaks the pool (``BrokenExecutor``) and it is restarted."""
        return True

    def restart(self) -> None:
        """Replace a broken pool (a worker died) with a fresh one."""
        abandon(self._pool)
        self._pool = self._start()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """``wait``: let the tasks already running finish; else :func:`abandon` the pool."""
        if wait:
            self._pool.shutdown(wait=True, cancel_futures=cancel_futures)
        else:
            abandon(self._pool)


def abandon(pool: ProcessPoolExecutor) -> None:
    """Stop ``pool`` without waiting for its tasks: pending ones are cancelled, running ones
    end with their workers (nobody will read their results), and the pool's manager thread is
    joined, so that no thread of it outlives the call.

    Workers still there after SIGTERM and half of :data:`ABANDON_JOIN_SECONDS` are killed
    (SIGKILL). Left running, that thread closes its wake-up pipe while CPython's exit hook may
    be writing to it: "OSError: [Errno 9] Bad file descriptor" printed after a Ctrl-C'd sweep
    had exited cleanly (the race is in ``concurrent.futures.process._python_exit``). Reads
    two private attributes of the pool (present in Python 3.11-3.14); without them it only
    shuts down.
    """
    manager = getattr(pool, "_executor_manager_thread", None)
    processes = getattr(pool, "_processes", None) or {}  # the dict itself: the pool drops it
    workers = list(processes.values())
    pool.shutdown(wait=False, cancel_futures=True)
    for stop in ("terminate", "kill"):
        # the workers seen before the shutdown and any the pool started since; a worker that
        # outlives SIGTERM (still starting, or stuck where the signal waits) is killed: a
        # manager thread left waiting for it made CPython's exit hook wait for ever (a sweep
        # that reported "disk full" and then hung)
        for worker in {*workers, *list(processes.values())}:
            with contextlib.suppress(OSError, ValueError, AttributeError):  # already gone
                getattr(worker, stop)()
        if manager is None or manager is threading.current_thread():
            return
        manager.join(ABANDON_JOIN_SECONDS / 2)
        if not manager.is_alive():
            return


class DaskExecutor(Probed, Executor):
    """Tasks on a Dask cluster: a new ``LocalCluster`` with ``workers`` single-threaded worker
    processes, or the cluster behind ``scheduler`` (its workers need leverage-sim installed).
    Dask itself resubmits the tasks of a worker that died."""

    name = "dask"

    def __init__(self, workers: int | None = None, scheduler: str | None = None) -> None:
        from dask.distributed import Client, LocalCluster

        self._cluster = None
        if scheduler:
            self._client = connect(scheduler)
        else:
            self._cluster = LocalCluster(n_workers=workers or default_workers(),
                                         threads_per_worker=1, processes=True,
                                         dashboard_address=":0",
                                         # shutdown chatter (closed comms) is not news
                                         silence_logs=logging.CRITICAL)
            self._client = Client(self._cluster)
        info = self._client.scheduler_info()
        self.workers = max(1, sum(w.get("nthreads", 1) for w in info["workers"].values()))
        self.dashboard = self._client.dashboard_link
        self._executor = self._client.get_executor(pure=False)
        self._probe = self._executor.submit(ready)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        return self._executor.submit(fn, *args, **kwargs)

    def has_workers(self) -> bool:
        """True while the scheduler has at least one worker."""
        try:
            return bool(self._client.scheduler_info()["workers"])
        except OSError:  # the scheduler itself is gone
            return False

    def restart(self) -> None:
        """Nothing to do: the scheduler reschedules lost tasks."""

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._probe.cancel()  # never ran if no worker ever joined: do not wait for it
        self._executor.shutdown(wait=wait and not cancel_futures)
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def check_scheduler(address: str, resolve: bool = True) -> tuple[str, int]:
    """The host and port of a Dask scheduler ``address`` (``[SCHEME://]HOST[:PORT]``, scheme
    one of Dask's network protocols, default ``tcp``; port 1-65535, default 8786), once (with
    ``resolve``) the host name resolves; else an :class:`InputError` saying what is wrong."""
    from distributed.comm.registry import backends

    schemes = sorted(set(backends) - {"inproc"})
    scheme, _, rest = address.rpartition("://") if "://" in address else ("tcp", "", address)
    fix = (f"Give the address `dask scheduler` prints, e.g. --scheduler tcp://HOST:8786 "
           f"(protocols: {', '.join(schemes)}).")
    if scheme not in schemes:
        raise InputError(f"--scheduler {address}: '{scheme}://' is not a Dask protocol. {fix}")
    try:
        parts = urllib.parse.urlsplit(f"{scheme}://{rest}")
        host, port = parts.hostname, parts.port or DASK_PORT
    except ValueError as e:  # a port that is not a number from 0 to 65535
        raise InputError(f"--scheduler {address}: {e}. {fix}") from None
    if not host or port == 0 or parts.path not in ("", "/"):
        raise InputError(f"--scheduler {address} is not HOST:PORT (port 1-65535). {fix}")
    if not resolve:
        return host, port
    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as e:
        raise InputError(f"--scheduler {address}: host '{host}' not found "
                         f"({getattr(e, 'strerror', None) or e}). {fix}") from None
    return host, port


def connect(address: str) -> Any:
    """A Dask ``Client`` of the scheduler at ``address`` (checked by :func:`check_scheduler`),
    or an :class:`InputError`: nothing answers there within ``SCHEDULER_TIMEOUT``, or
    something that is not a Dask scheduler does. (Dask reads the first 8 bytes of any reply as
    a message length, so a web server's ``HTTP/1.1`` asks it for 3.07 EiB; and it waits for the
    reply to its greeting without a time limit, so it is waited for here with one.)"""
    from dask.distributed import Client

    check_scheduler(address)
    start = (f"Start one with `dask scheduler` and workers with `dask worker {address}` (see "
             "docs/sweeps.md), or drop --scheduler to use a local cluster.")
    made: dict[str, Any] = {}

    def make() -> None:
        try:
            made["client"] = Client(address, timeout=f"{SCHEDULER_TIMEOUT}s")
        except BaseException as e:  # noqa: BLE001 - handed to the caller below
            made["error"] = e

    thread = threading.Thread(target=make, name="leverage-sim-dask-connect", daemon=True)
    thread.start()
    thread.join(2 * SCHEDULER_TIMEOUT)  # connecting (SCHEDULER_TIMEOUT), then the greeting
    error = made.get("error")
    if thread.is_alive():
        raise InputError(f"The server at {address} took the connection but gave no Dask "
                         f"greeting within {2 * SCHEDULER_TIMEOUT} s: it is not a Dask "
                         f"scheduler (or one too busy to answer). {start}")
    if isinstance(error, OSError):  # refused, unreachable, timed out
        raise InputError(f"Cannot reach the Dask scheduler at {address} ({error}). {start}")
    if isinstance(error, MemoryError | ValueError | TypeError | EOFError):
        raise InputError(f"What answers at {address} is not a Dask scheduler (its reply is not "
                         f"Dask's protocol: {type(error).__name__}); is it a web server or "
                         f"proxy? {start}")
    if error is not None:
        raise error
    return made["client"]


def make_executor(kind: str, workers: int | None = None, scheduler: str | None = None
                  ) -> Executor:
    """An executor by name: ``local`` (default), ``serial`` or ``dask``. ``workers`` above
    :func:`leverage_sim.scenario.limits.max_workers` is capped there, with a note on stderr."""
    if scheduler and kind != "dask":
        raise InputError(f"--scheduler {scheduler} needs --executor dask (got {kind}).")
    if workers is not None:
        capped, note = cap_workers(workers)
        if kind == "serial" or scheduler:
            raise InputError(f"--workers {workers} would be ignored: "
                             + ("the serial executor runs in this process" if kind == "serial"
                                else "a running Dask scheduler has its own workers")
                             + "; drop --workers.")
        if note:
            print(note, file=sys.stderr)
        workers = capped
    if kind == "serial":
        return SerialExecutor()
    if kind == "local":
        return LocalExecutor(workers)
    if kind == "dask":
        return DaskExecutor(workers, scheduler)
    raise InputError(f"Unknown executor '{kind}'; choose one of {', '.join(EXECUTORS)}.")
