"""The sweep folder: a manifest, the design, and result parts streamed as chunks finish.

Layout of ``OUT/``::

    manifest.json        spec, base scenario data, SALib problem, seed scheme, version, progress
    points.parquet       point_id + one column per parameter path (the values run)
    design.parquet       point_id + the unit-cube design matrix (same column names), point order
    runs.parquet         run_id, point_id, replication, seed — every run of the sweep
    summary/part-*.parquet     one file per finished chunk (run identity, error, summary figures)
    timeseries/part-*.parquet  the chunk's thinned daily series (when requested)

A chunk counts as done once its summary part exists: parts are written to a temporary name and
renamed (atomic), time series before summary, so a crash never leaves half a chunk counted.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from leverage_sim.errors import InputError

MANIFEST = "manifest.json"
FORMAT = 1


class SweepStore:
    """Reads and writes one sweep folder."""

    def __init__(self, out: str | Path) -> None:
        self.out = Path(out)
        self.summary_dir = self.out / "summary"
        self.timeseries_dir = self.out / "timeseries"

    # ---- manifest ------------------------------------------------------------------------------
    @property
    def manifest_path(self) -> Path:
        """Where the manifest lives."""
        return self.out / MANIFEST

    def read_manifest(self) -> dict[str, Any]:
        """The manifest; an :class:`InputError` if the folder holds no sweep."""
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(f"'{self.out}' is not a sweep folder (no {MANIFEST}). Give the "
                             "--out folder of a sweep started with `leverage-sim sweep`.") from None
        except json.JSONDecodeError as e:
            raise InputError(f"{self.manifest_path} is damaged ({e}); start the sweep again "
                             "with --force.") from None

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Write the manifest atomically."""
        _atomic_write(self.manifest_path,
                      lambda tmp: tmp.write_text(json.dumps(manifest, indent=1, default=str),
                                                 encoding="utf-8"))

    def update_progress(self, manifest: dict[str, Any], **progress: Any) -> None:
        """Merge ``progress`` (done, errors, status, seconds) into the manifest and save it."""
        manifest["progress"] = {**manifest.get("progress", {}), **progress,
                                "updated": dt.datetime.now(dt.UTC).isoformat()}
        self.write_manifest(manifest)

    # ---- tables --------------------------------------------------------------------------------
    def write_table(self, name: str, table: pa.Table) -> Path:
        """``OUT/<name>.parquet`` (points, design, runs)."""
        path = self.out / f"{name}.parquet"
        _atomic_write(path, lambda tmp: pq.write_table(table, tmp))
        return path

    def read_table(self, name: str, columns: list[str] | None = None) -> pa.Table:
        """``OUT/<name>.parquet``."""
        return pq.read_table(self.out / f"{name}.parquet", columns=columns)

    def write_chunk(self, summary: pa.Table, timeseries: pa.Table | None) -> None:
        """Store one finished chunk (time series first; the summary part marks it done)."""
        ids = summary.column("run_id").to_numpy()
        name = f"part-{ids.min():09d}-{ids.max():09d}.parquet"
        if timeseries is not None:
            self.timeseries_dir.mkdir(parents=True, exist_ok=True)
            _atomic_write(self.timeseries_dir / name, lambda t: pq.write_table(timeseries, t))
        self.summary_dir.mkdir(parents=True, exist_ok=True)
        _atomic_write(self.summary_dir / name, lambda t: pq.write_table(summary, t))

    def summary_parts(self) -> list[Path]:
        """Finished summary parts, in run order."""
        return sorted(self.summary_dir.glob("part-*.parquet"))

    def stored_runs(self) -> tuple[np.ndarray, int]:
        """run_ids already stored, and how many of those runs recorded an error; also removes
        leftovers of an interrupted write (temporary files, time-series parts whose summary
        part is missing)."""
        for d in (self.summary_dir, self.timeseries_dir):
            for tmp in d.glob("*.tmp"):
                tmp.unlink()
        done = {p.name for p in self.summary_parts()}
        for orphan in self.timeseries_dir.glob("part-*.parquet"):
            if orphan.name not in done:
                orphan.unlink()
        parts = [pq.read_table(p, columns=["run_id", "error"]) for p in self.summary_parts()]
        ids = [t.column("run_id").to_numpy() for t in parts]
        return (np.concatenate(ids) if ids else np.empty(0, dtype=np.int64),
                sum(error_rows(t) for t in parts))


def error_rows(summary: pa.Table) -> int:
    """Rows of a summary table that recorded an error."""
    return summary.num_rows - summary.column("error").null_count


def _atomic_write(path: Path, write: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    write(tmp)
    os.replace(tmp, path)
