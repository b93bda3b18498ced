"""Executors: where chunks run. All three give the same results bit for bit (each run's seed is
fixed by the design, not by where or when it runs).

- ``serial``: in this process, one chunk after another (debugging, profiling);
- ``local``: a process pool over all cores, started once per sweep from a ``forkserver`` (or
  ``spawn`` where there is none) context object — never by changing the global start method,
  so it is safe from notebooks and scripts; the package is imported once, in the fork server;
- ``dask``: a Dask ``distributed`` cluster — a ``LocalCluster`` (one single-threaded worker
  process per core) or an existing scheduler (``tcp://HOST:8786``).

Each is a :class:`concurrent.futures.Executor` (``submit`` returns a ``concurrent.futures``
future) with a ``workers`` count and ``restart()``, called after a worker died.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any

from leverage_sim.errors import InputError
from leverage_sim.sweep.worker import init_worker

EXECUTORS = ("local", "serial", "dask")


def default_workers() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


class SerialExecutor(Executor):
    """Runs each task at ``submit``, in this process."""

    workers = 1

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as e:  # noqa: BLE001 - delivered through the future, like a pool
            future.set_exception(e)
        return future

    def restart(self) -> None:
        """Nothing to restart."""


class LocalExecutor(Executor):
    """A process pool over ``workers`` processes (default: all cores)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()
        methods = mp.get_all_start_methods()
        self._context = mp.get_context("forkserver" if "forkserver" in methods else "spawn")
        if self._context.get_start_method() == "forkserver":
            # Workers fork from a server that has already imported the model.
            self._context.set_forkserver_preload(["leverage_sim.sweep.worker"])
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=self._context,
                                   initializer=init_worker, initargs=(os.getpid(),))

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        return self._pool.submit(fn, *args, **kwargs)

    def restart(self) -> None:
        """Replace a broken pool (a worker died) with a fresh one."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._start()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


class DaskExecutor(Executor):
    """Tasks on a Dask cluster: a new ``LocalCluster`` with ``workers`` single-threaded worker
    processes, or the cluster behind ``scheduler`` (its workers need leverage-sim installed).
    Dask itself resubmits the tasks of a worker that died."""

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
                             f"{scheduler}` (see the README section Sweeps), or drop "
                             "--scheduler to use a local cluster.") from None
        info = self._client.scheduler_info()
        self.workers = max(1, sum(w.get("nthreads", 1) for w in info["workers"].values()))
        self.dashboard = self._client.dashboard_link
        self._executor = self._client.get_executor(pure=False)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        return self._executor.submit(fn, *args, **kwargs)

    def restart(self) -> None:
        """Nothing to do: the scheduler reschedules lost tasks."""

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._executor.shutdown(wait=wait and not cancel_futures)
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(kind: str, workers: int | None = None, scheduler: str | None = None
                  ) -> Executor:
    """An executor by name: ``local`` (default), ``serial`` or ``dask``."""
    if workers is not None and workers < 1:
        raise InputError(f"workers must be at least 1, got {workers}.")
    if scheduler and kind != "dask":
        raise InputError(f"--scheduler {scheduler} needs --executor dask (got {kind}).")
    if kind == "serial":
        return SerialExecutor()
    if kind == "local":
        return LocalExecutor(workers)
    if kind == "dask":
        return DaskExecutor(workers, scheduler)
    raise InputError(f"Unknown executor '{kind}'; choose one of {', '.join(EXECUTORS)}.")
