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

import logging
import multiprocessing as mp
import os
import sys
import threading
import warnings
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any

from leverage_sim.errors import InputError
from leverage_sim.limits import check_count
from leverage_sim.sweep.worker import init_worker, ready

EXECUTORS = ("local", "serial", "dask")


def default_workers() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


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
            context.set_forkserver_preload(["leverage_sim.sweep.worker"])
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
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._start()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


class DaskExecutor(Probed, Executor):
    """Tasks on a Dask cluster: a new ``LocalCluster`` with ``workers`` single-threaded worker
    processes, or the cluster behind ``scheduler`` (its workers need leverage-sim installed).
    Dask itself resubmits the tasks of a worker that died."""

    name = "dask"

    def __init__(self, workers: int | None = None, scheduler: str | None = None) -> None:
        from dask.distributed import Client, LocalCluster

        self._cluster = None
        try:
            if scheduler:
                self._client = Client(scheduler, timeout="20s")
            else:
                self._cluster = LocalCluster(n_workers=workers or default_workers(),
                                             threads_per_worker=1, processes=True,
                                             dashboard_address=":0",
                                             # shutdown chatter (closed comms) is not news
                                             silence_logs=logging.CRITICAL)
                self._client = Client(self._cluster)
        except OSError as e:
            raise InputError(f"Cannot reach the Dask scheduler at {scheduler} ({e}). Start one "
                             "with `dask scheduler` and workers with `dask worker "
                             f"{scheduler}` (see docs/sweeps.md), or drop "
                             "--scheduler to use a local cluster.") from None
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


def make_executor(kind: str, workers: int | None = None, scheduler: str | None = None
                  ) -> Executor:
    """An executor by name: ``local`` (default), ``serial`` or ``dask``."""
    if workers is not None:
        check_count(workers, "workers")
    if scheduler and kind != "dask":
        raise InputError(f"--scheduler {scheduler} needs --executor dask (got {kind}).")
    if workers is not None and (kind == "serial" or scheduler):
        raise InputError(f"--workers {workers} would be ignored: "
                         + ("the serial executor runs in this process" if kind == "serial" else
                            "a running Dask scheduler has its own workers")
                         + "; drop --workers.")
    if kind == "serial":
        return SerialExecutor()
    if kind == "local":
        return LocalExecutor(workers)
    if kind == "dask":
        return DaskExecutor(workers, scheduler)
    raise InputError(f"Unknown executor '{kind}'; choose one of {', '.join(EXECUTORS)}.")
