"""The state of ``numpy.random.default_rng(seed)`` for an integer seed, computed fast.

A fast-path run reseeds one generator per thread (:func:`leverage_sim.simulation.fastpath.seeded_generator`)
to the state ``numpy.random.PCG64(seed)`` starts in. NumPy computes that state through
``SeedSequence(seed)`` (entropy pool, hash mixing, ``generate_state(4)``), which costs about
20–50 µs per call in NumPy's own code: as much as a 90-day run of the compiled model. This
module computes the same four seeding words with NumPy's algorithm (``numpy/random/
bit_generator.pyx``: ``SeedSequence.mix_entropy`` and ``generate_state``, pool size 4, no spawn
key), compiled with numba, then PCG64's seeding (``pcg64_set_seed``: ``srandom_r``) on Python
integers. ``tests/test_fast_path.py`` checks the result against ``PCG64(seed).state`` for many
seeds; seeds outside ``[0, 2**64)`` go to NumPy itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

_M32 = np.uint64(0xFFFFFFFF)
_INIT_A, _MULT_A = np.uint64(0x43B0D7E5), np.uint64(0x931E8875)
_INIT_B, _MULT_B = np.uint64(0x8B51F9DD), np.uint64(0x58F38DED)
_MIX_L, _MIX_R = np.uint64(0xCA01F9DD), np.uint64(0x4973F715)
_SHIFT = np.uint64(16)
_PCG_MULTIPLIER = 0x2360ED051FC65DA44385DF649FCCF645
_M128 = (1 << 128) - 1


def seed_words(low: int, high: int, n: int) -> tuple[int, int, int, int]:
    """``SeedSequence(seed).generate_state(4, uint64)`` of the seed whose 32-bit words
    (little end first) are ``low``, ``high`` (``n`` of them: 1 or 2)."""
    entropy = np.empty(2, np.uint64)
    entropy[0], entropy[1] = np.uint64(low), np.uint64(high)
    pool = np.zeros(4, np.uint64)
    h = _INIT_A
    for i in range(4):  # hashmix of the entropy (0 past its end) into the pool
        v = entropy[i] if i < n else np.uint64(0)
        v = v ^ h
        h = (h * _MULT_A) & _M32
        v = (v * h) & _M32
        pool[i] = v ^ (v >> _SHIFT)
    for s in range(4):
        for d in range(4):
            if s != d:
                v = pool[s] ^ h
                h = (h * _MULT_A) & _M32
                v = (v * h) & _M32
                v = v ^ (v >> _SHIFT)
                r = ((_MIX_L * pool[d]) - (_MIX_R * v)) & _M32
                pool[d] = r ^ (r >> _SHIFT)
    out = np.empty(8, np.uint64)
    hb = _INIT_B
    for i in range(8):
        v = pool[i % 4] ^ hb
        hb = (hb * _MULT_B) & _M32
        v = (v * hb) & _M32
        out[i] = v ^ (v >> _SHIFT)
    return (out[0] | (out[1] << np.uint64(32)), out[2] | (out[3] << np.uint64(32)),
            out[4] | (out[5] << np.uint64(32)), out[6] | (out[7] << np.uint64(32)))


_compiled: Callable[..., Any] | None = None


def _words() -> Callable[..., Any]:
    global _compiled
    if _compiled is None:
        from numba import njit

        from leverage_sim.simulation.fastpath import cache

        cache.install()
        try:
            _compiled = njit(cache=True)(seed_words)
        except RuntimeError:  # no writable cache folder
            _compiled = njit(seed_words)
    return _compiled


def pcg64_state(seed: int) -> dict[str, Any]:
    """``numpy.random.PCG64(seed).state`` for an integer ``seed``."""
    if not 0 <= seed < 1 << 64:
        return np.random.PCG64(seed).state
    low, high = seed & 0xFFFFFFFF, seed >> 32
    s0, s1, s2, s3 = _words()(low, high, 2 if high else 1)
    init, inc = (int(s0) << 64) | int(s1), ((((int(s2) << 64) | int(s3)) << 1) | 1) & _M128
    state = (((inc + init) & _M128) * _PCG_MULTIPLIER + inc) & _M128  # srandom_r: two steps
    return {"bit_generator": "PCG64", "state": {"state": state, "inc": inc},
            "has_uint32": 0, "uinteger": 0}
