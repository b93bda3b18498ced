"""Whether a posterior fitted to another version of the model may be used (``--allow-stale``).

The switch is an environment variable, so that it reaches the worker processes a command
starts (sweeps load the posterior again in each worker); :func:`allowing_stale` sets it for a
block and restores it after. Nothing here imports the model: the CLI sets it before any verb.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from leverage_sim.files.environment import env_flag

ALLOW_STALE_ENV = "LEVERAGE_SIM_ALLOW_STALE"
"""``1`` (or true, yes, on: :mod:`leverage_sim.files.environment`): :func:`leverage_sim.simulation.posterior.load_posterior` uses a stale posterior."""


def stale_allowed() -> bool:
    """True when the environment allows stale posteriors."""
    return env_flag(ALLOW_STALE_ENV)


@contextlib.contextmanager
def allowing_stale(allow: bool) -> Iterator[None]:
    """Within the block (and in the processes it starts), stale posteriors are used if
    ``allow``; the environment is restored after."""
    if not allow:
        yield
        return
    before = os.environ.get(ALLOW_STALE_ENV)
    os.environ[ALLOW_STALE_ENV] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ALLOW_STALE_ENV, None)
        else:
            os.environ[ALLOW_STALE_ENV] = before
