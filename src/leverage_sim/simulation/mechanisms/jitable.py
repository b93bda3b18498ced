"""What makes a mechanism one piece of code for both ways of running the model.

:func:`jitable` marks a mechanism function: it stays the plain Python function the agents call
(the agent path), and numba compiles that same function when the fast path
(:mod:`leverage_sim.simulation.fastpath`) calls it from compiled code (:func:`register_for_numba`, called
by the fast path before it compiles, hands the marked functions to numba's
``register_jitable``; numba is not imported before). Marked functions are written in the subset
numba compiles: numbers, tuples, NumPy arrays and a ``numpy.random.Generator``; no dataclasses,
dicts or strings.

:func:`exact_sum` is ``math.fsum`` (the correctly rounded sum, identical on every Python) for
both paths: numba has no ``math.fsum``, so compiled code gets :func:`shewchuk_sum`, the same
algorithm as CPython's (Shewchuk's exact partials, then round-half-even), checked against
``math.fsum`` in ``tests/test_fast_path.py``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np

F = TypeVar("F", bound=Callable)
MARKED: list[Callable] = []
"""The functions marked :func:`jitable`, in import order."""
_registered: set[int] = set()


def jitable(fn: F) -> F:
    """Decorator: the function as it is for Python callers, compilable when compiled code calls
    it (after :func:`register_for_numba`)."""
    MARKED.append(fn)
    return fn


def register_for_numba() -> None:
    """Make every marked function compilable and give :func:`exact_sum` its compiled form
    (idempotent; imports numba)."""
    from numba.extending import overload, register_jitable

    if not _registered:
        overload(exact_sum)(lambda values: lambda values: shewchuk_sum(values))
        _registered.add(id(exact_sum))
    for fn in MARKED:
        if id(fn) not in _registered:
            register_jitable(fn)
            _registered.add(id(fn))


def exact_sum(values: Sequence[float]) -> float:
    """The correctly rounded sum of ``values`` (``math.fsum``)."""
    return math.fsum(values)


@jitable
def shewchuk_sum(values: np.ndarray) -> float:
    """CPython's ``math.fsum`` algorithm for finite values (compiled code's :func:`exact_sum`)."""
    partials = np.empty(len(values) + 1)
    n = 0
    for k in range(len(values)):
        x = values[k]
        i = 0
        for j in range(n):
            y = partials[j]
            if abs(x) < abs(y):
                x, y = y, x
            hi = x + y
            lo = y - (hi - x)
            if lo != 0.0:
                partials[i] = lo
                i += 1
            x = hi
        n = i
        partials[n] = x
        n += 1
    if n == 0:
        return 0.0
    n -= 1
    hi = partials[n]
    lo = 0.0
    while n > 0:
        x = hi
        n -= 1
        y = partials[n]
        hi = x + y
        lo = y - (hi - x)
        if lo != 0.0:
            break
    if n > 0 and ((lo < 0.0 and partials[n - 1] < 0.0) or (lo > 0.0 and partials[n - 1] > 0.0)):
        y = lo * 2.0
        x = hi + y
        if y == x - hi:
            hi = x
    return hi

