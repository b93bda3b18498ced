"""Where the compiled fast path is cached between processes, and when the cache is stale.

numba's own cache of a function is keyed on its source file only, so an edit to a mechanism
(compiled into the fast path through :func:`leverage_sim.simulation.mechanisms.jitable.jitable`) would not
invalidate it. :class:`ModelCacheLocator` keys the cache of the functions of this package on
the contents of every source file the compiled code is built from (:data:`SOURCES`), and
stores it in the first writable one of: ``$NUMBA_CACHE_DIR``, this package's ``__pycache__``,
the user's cache folder (``~/.cache/leverage-sim/numba``), the temporary folder. If none is
writable the fast path compiles at each process start, silently.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from numba.core import caching, config

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
SOURCES = (*sorted((ROOT / "mechanisms").glob("*.py")), PACKAGE / "day.py", PACKAGE / "layout.py",
           ROOT / "agents" / "government.py", ROOT.parent / "scenario" / "schema.py", PACKAGE / "seeding.py")
"""The files whose code (or constants) the compiled fast path contains: the mechanisms, the
orchestration and layout, the two modules it takes a constant from, and the seeding
(:mod:`.seeding`)."""


def source_stamp() -> str:
    """Hash of the contents of :data:`SOURCES`."""
    digest = hashlib.sha256()
    for path in SOURCES:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def candidate_folders() -> list[Path]:
    """Cache folders, in order of preference."""
    folders = [Path(config.CACHE_DIR) / "leverage_sim"] if config.CACHE_DIR else []
    xdg = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return [*folders, PACKAGE / "__pycache__", Path(xdg) / "leverage-sim" / "numba",
            Path(tempfile.gettempdir()) / f"leverage-sim-numba-{os.getuid()}"]


class ModelCacheLocator(getattr(caching, "_CacheLocator", None) or caching.CacheLocator):
    """numba cache locator for the functions of :mod:`leverage_sim.simulation.fastpath` (None for any
    other function, so other numba users keep numba's own locators)."""

    def __init__(self, py_func: object, folder: Path) -> None:
        self._lineno = py_func.__code__.co_firstlineno
        self._folder = folder

    def get_cache_path(self) -> str:
        return str(self._folder)

    def get_source_stamp(self) -> str:
        return source_stamp()

    def get_disambiguator(self) -> str:
        return str(self._lineno)

    @classmethod
    def from_function(cls, py_func: object, py_file: str) -> ModelCacheLocator | None:
        if Path(py_file).resolve().parent != PACKAGE:
            return None
        for folder in candidate_folders():
            self = cls(py_func, folder)
            try:
                self.ensure_cache_path()
            except OSError:
                continue
            return self
        return None


def install() -> None:
    """Put :class:`ModelCacheLocator` first among numba's cache locators (once)."""
    impl = getattr(caching, "CacheImpl", None) or caching._CacheImpl  # numba >= 0.61 | older
    classes = impl._locator_classes
    if ModelCacheLocator not in classes:
        classes.insert(0, ModelCacheLocator)

