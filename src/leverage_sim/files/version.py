"""The installed leverage-sim version, stamped into every file and manifest leverage-sim writes."""

from __future__ import annotations

from functools import cache


@cache
def installed_version() -> str:
    """The installed distribution's version ("0+unknown" in a source tree not installed)."""
    from importlib.metadata import PackageNotFoundError, version  # ~0.1 s: only when asked

    try:
        return version("leverage-sim")
    except PackageNotFoundError:
        return "0+unknown"
