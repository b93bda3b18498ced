"""Hashes of files: one file's SHA-256 (a posterior, an episode, a sweep's tables: what a
record vouches for), and one hash over the files a generated document was computed from, so a
test can tell when the document is stale (docs figures, rendered notebook pages)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file at ``path`` (hex), read in blocks (a sweep's tables can be
    large)."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


SOURCE_SUFFIXES = (".py", ".yaml")
"""The files of a named folder that count: code and scenario/episode/calibration files."""


def inputs_hash(root: Path, entries: Iterable[str], exclude: Iterable[str] = ()) -> str:
    """SHA-256 over ``entries`` (paths relative to ``root``, in the order given): a file counts
    whole, a folder by its :data:`SOURCE_SUFFIXES` files in sorted order; each file's relative
    path and bytes enter the hash. Files under an ``exclude`` folder are skipped."""
    skipped = tuple(root / e for e in exclude)
    digest = hashlib.sha256()
    for entry in entries:
        path = root / entry
        files = sorted(p for p in path.rglob("*") if p.suffix in SOURCE_SUFFIXES) \
            if path.is_dir() else [path]
        for f in files:
            if any(f.is_relative_to(s) for s in skipped):
                continue
            digest.update(f.relative_to(root).as_posix().encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()
