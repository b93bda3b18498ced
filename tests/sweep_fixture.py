"""Waiting for a sweep run as a separate process to reach a state, for the tests that stop one."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path


def until_a_part_is_stored(proc: subprocess.Popen, out: Path) -> None:
    """Wait until the sweep writing to ``out`` runs and has stored a part (or fail if it ended
    first): a finished part, ``part-*.parquet``, not one still being written
    (``part-*.parquet.tmp``, which a stop discards). Waits for the state, not for a time."""
    manifest = out / "manifest.json"
    while not (manifest.exists() and json.loads(manifest.read_text())["progress"].get(
            "status") == "running" and list((out / "summary").glob("part-*.parquet"))):
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.05)
