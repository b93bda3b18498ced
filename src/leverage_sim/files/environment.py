"""Switches leverage-sim reads from environment variables.

A switch is on only for a value that says yes: ``1``, ``true``, ``yes`` or ``on`` (any case,
spaces around ignored). Anything else — unset, empty, ``0``, ``false``, ``no``, ``off`` or a
value that says neither — leaves it off, so that ``LEVERAGE_SIM_DEBUG=0`` means what it says.
"""

from __future__ import annotations

import os

TRUE = ("1", "true", "yes", "on")
"""Values (lower case, stripped) that turn a switch on."""


def is_on(value: str | None) -> bool:
    """Whether an environment value turns a switch on (see the module docstring)."""
    return (value or "").strip().lower() in TRUE


def env_flag(name: str) -> bool:
    """Whether the environment variable ``name`` turns its switch on."""
    return is_on(os.environ.get(name))
