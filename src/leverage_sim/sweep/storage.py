"""The sweep folder: a manifest, the design, and result parts streamed as chunks finish.

Layout of ``OUT/``::

    manifest.json        spec, base scenario data, SALib problem, seed scheme, version, progress
    points.parquet       point_id + one column per parameter path (the values run)
    design.parquet       point_id + the unit-cube design matrix (same column names), point order
    runs.parquet         run_id, point_id, replication, seed — every run of the sweep
    summary/part-*.parquet     one file per finished chunk (run identity, error, summary figures)
    timeseries/part-*.parquet  the chunk's thinned daily series (when requested)

The manifest records ``plan_sha256``, the SHA-256 of the entries that define the runs
(:data:`PLAN_KEYS`: spec, base scenario, design, seeds...). Resuming or rerunning checks it
(:func:`check_plan`), so a hand-edited manifest (say, another base scenario) is refused rather
than mixing two sweeps' runs in one folder; and ``tables_sha256``, the SHA-256 of
points.parquet, runs.parquet and design.parquet (:meth:`SweepStore.check_tables`; resuming,
rerunning and the sensitivity analysis's :func:`~leverage_sim.sweep.results.design_problem`
check them).

A chunk counts as done once its summary part exists: parts are written to a temporary name and
renamed (atomic), time series before summary, so a crash never leaves half a chunk counted.
The folder also holds leverage-sim's record (``.leverage-sim.json``, see
:mod:`leverage_sim.files.output_dir`) listing ``FILES``; the sweep holds the folder's lock while it
runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from leverage_sim.errors import InputError
from leverage_sim.files.inputs_hash import file_sha256
from leverage_sim.files.output_dir import (
    access_refused,
    enclosing_folder,
    folder_kind,
    numbered_match,
)
from leverage_sim.files.safe_text import shell_word, visible
from leverage_sim.files.safe_yaml import require_path
from leverage_sim.simulation.worker import RUN_COLUMNS, summary_schema

MANIFEST = "manifest.json"
FORMAT = 2
"""Version of the folder layout: 2 adds ``plan_sha256`` (folders of format 1 have none)."""
PLAN_KEYS = ("format", "spec", "base_source", "base_scenario", "design", "seeds", "runs",
             "outputs", "summary_types", "posterior")
"""Manifest entries that define a sweep's runs (``progress`` and timestamps are not)."""
MANIFEST_ENTRIES = {"spec": dict, "base_source": str, "base_scenario": dict, "design": dict,
                    "summary_types": dict}
"""Entries every sweep manifest holds (formats 1 and 2), with their JSON types: what reading a
sweep (``load_sweep``, ``rerun``, ``--resume``) needs before it trusts the folder."""
PART = "part-*.parquet"
"""A stored chunk's name, ``part-FIRST-LAST.parquet`` (its first and last run_id, 9 digits
each); the ``*`` stands for those numbers only (:func:`numbered_match`), so a file of the
user's beside the parts is neither read nor removed."""
FILES = (MANIFEST, "points.parquet", "design.parquet", "runs.parquet", f"summary/{PART}",
         f"timeseries/{PART}", "report.html")
"""What a sweep writes (patterns relative to its folder, as :data:`PART`)."""
HASHED_TABLES = ("points", "runs", "design")
"""The tables that say what each run runs (its parameter values and seed) and where in the
design it sits, whose SHA-256 the manifest records (``tables_sha256``; a manifest written
before design.parquet's was recorded lacks that entry and is checked on the others)."""


class SweepStore:
    """Reads and writes one sweep folder."""

    def __init__(self, out: str | Path) -> None:
        self.out = Path(require_path(out, "A sweep folder (its path)"))
        self.summary_dir = self.out / "summary"
        self.timeseries_dir = self.out / "timeseries"

    # ---- manifest ------------------------------------------------------------------------------
    @property
    def manifest_path(self) -> Path:
        """Where the manifest lives."""
        return self.out / MANIFEST

    def read_manifest(self) -> dict[str, Any]:
        """The manifest; an :class:`InputError` if the folder holds no sweep."""
        if self.out.exists() and not self.out.is_dir():
            raise InputError(f"'{self.out}' is a file, not a sweep folder: give the --out "
                             "folder of `leverage-sim sweep`.")
        _require_regular(self.manifest_path)
        try:
            manifest = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            manifest = _ABSENT
        except OSError as e:  # a read problem: the results are intact, never advise --force
            raise InputError(f"{self.manifest_path} cannot be read ({e.strerror or e}); fix "
                             "the folder's permissions and run the command again.") from None
        except ValueError as e:
            raise InputError(f"{self.manifest_path} is damaged ({e}); start the sweep again "
                             "with --force.") from None
        if not isinstance(manifest, dict) or "spec" not in manifest:
            kind = folder_kind(self.out)
            if manifest is not _ABSENT and kind in (None, "sweep"):
                raise InputError(f"{self.manifest_path} is damaged or was written by another "
                                 f"tool (it holds {_json_kind(manifest)}, not a sweep's "
                                 "manifest with its 'spec'), so the sweep cannot be read; start "
                                 "the sweep again into a new --out folder.")
            what = (f"holds the output of `leverage-sim {kind}`, not a sweep" if kind and
                    kind != "sweep" else f"is not a sweep folder (no sweep {MANIFEST})")
            raise InputError(f"'{self.out}' {what}. --resume, rerun and load_sweep work on the "
                             "--out folder of a sweep started with `leverage-sim sweep`"
                             + ("; a run is reproduced by running it again with the seed in "
                                "its manifest.json." if kind in ("run", "compare") else "."))
        wrong = next((f"'{key}' is {type(manifest.get(key)).__name__}, not {kind.__name__}"
                      for key, kind in MANIFEST_ENTRIES.items()
                      if not isinstance(manifest.get(key), kind)), None)
        if wrong is None and not isinstance(manifest["spec"].get("parameters"), dict):
            wrong = "'spec' has no 'parameters' mapping"
        if wrong:
            raise InputError(f"{self.manifest_path} is damaged or was written by another tool "
                             f"({wrong}), so the sweep cannot be read; start the sweep again "
                             "into a new --out folder.")
        return manifest

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Write the manifest atomically."""
        _atomic_write(self.manifest_path,
                      lambda tmp: tmp.write_text(json.dumps(manifest, indent=1, default=str),
                                                 encoding="utf-8"))

    def update_progress(self, manifest: dict[str, Any], **progress: Any) -> None:
        """Merge ``progress`` (done, errors, status, seconds; ``reason``, why it was
        interrupted) into the manifest and save it; a ``reason`` goes with the status it
        explains (a resumed sweep that completes no longer says why it once stopped)."""
        kept = {k: v for k, v in manifest.get("progress", {}).items()
                if not (k == "reason" and "status" in progress)}
        manifest["progress"] = {**kept, **progress,
                                "updated": dt.datetime.now(dt.UTC).isoformat()}
        self.write_manifest(manifest)

    def record_tables(self, manifest: dict[str, Any]) -> None:
        """Put the SHA-256 of each of :data:`HASHED_TABLES` into ``manifest`` (not saved)."""
        manifest["tables_sha256"] = {name: file_sha256(self.out / f"{name}.parquet")
                                     for name in HASHED_TABLES}

    def check_tables(self, manifest: dict[str, Any]) -> None:
        """InputError if points.parquet, runs.parquet or design.parquet is not the file the
        sweep wrote (its ``tables_sha256``; tables a manifest has no hash for are not checked):
        runs resumed or rerun, or sensitivity indices computed, from an edited table would not
        be the sweep's."""
        recorded = manifest.get("tables_sha256")
        if not isinstance(recorded, dict):
            return
        for name in HASHED_TABLES:
            path = self.out / f"{name}.parquet"
            if name in recorded and path.is_file() and recorded[name] != file_sha256(path):
                raise InputError(f"{path} is not the file the sweep wrote (its SHA-256 differs "
                                 f"from the tables_sha256 in {self.manifest_path.name}): it was "
                                 "edited or damaged, so runs resumed or rerun, or an analysis "
                                 "made, from it would not be the sweep's. Restore it, or start "
                                 "the sweep again with --force.")

    # ---- tables --------------------------------------------------------------------------------
    def write_table(self, name: str, table: pa.Table) -> Path:
        """``OUT/<name>.parquet`` (points, design, runs)."""
        path = self.out / f"{name}.parquet"
        _atomic_write(path, lambda tmp: pq.write_table(table, tmp))
        return path

    def read_table(self, name: str, columns: list[str] | None = None) -> pa.Table:
        """``OUT/<name>.parquet`` (only ``columns``, when given); an :class:`InputError` if it
        is missing, damaged or lacks one of ``columns``."""
        path = self.out / f"{name}.parquet"
        _require_regular(path)
        try:
            names = pq.read_schema(path).names if columns else []
            missing = [c for c in columns or () if c not in names]
            if not missing:
                return pq.read_table(path, columns=columns)
        except FileNotFoundError:
            raise InputError(f"{path} is missing: the sweep folder '{self.out}' is incomplete. "
                             "Start the sweep again with --force.") from None
        except (OSError, pa.ArrowException) as e:
            raise InputError(_damaged(path, e, "start the sweep again with --force")) from None
        raise InputError(f"{path} has no column {', '.join(map(repr, missing))}, which the "
                         "sweep wrote there: the file was damaged or edited. Start the sweep "
                         "again with --force.")

    def read_parts(self, columns: list[str] | None = None, filter: Any = None
                   ) -> pa.Table | None:
        """The stored summary rows (optionally some ``columns``, rows matching ``filter``), None
        if no part is stored yet; an :class:`InputError` naming a damaged part."""
        parts = self.summary_parts()
        if not parts:
            return None
        try:
            return ds.dataset(parts, format="parquet").to_table(columns=columns, filter=filter)
        except (OSError, pa.ArrowException) as e:
            for part in parts:
                try:
                    pq.ParquetFile(part).read(columns=["run_id"])
                except (OSError, pa.ArrowException) as err:
                    raise InputError(self._damaged_part(part, err)) from None
            raise InputError(_damaged(self.summary_dir, e, "check its files")) from None

    def _damaged_part(self, part: Path, e: BaseException) -> str:
        """Why a summary part cannot be read, and the fix: delete it and resume."""
        return _damaged(part, e, f"delete it, then run `{resume_command(self.out)}` to compute "
                        "its runs again")

    def check_stored(self, stored: pa.Table) -> None:
        """An :class:`InputError` naming the part of ``summary/`` whose columns are not those
        the sweep writes (the manifest's ``summary_types``: a part of another version, or
        edited; a column it lacks would be read as missing values), or that holds a row that
        is no run of this sweep: a run_id runs.parquet does not list, or another point,
        replication or seed than runs.parquet gives that run (a part copied from another
        sweep, or edited). Its results would otherwise be read, summarised and resumed as this
        sweep's."""
        manifest = self.read_manifest()
        expected = self._schema(manifest)
        seeds = self.read_table("runs", ["seed"]).column("seed").to_numpy()
        reps = manifest["spec"].get("replications")
        if not isinstance(reps, int) or reps < 1:
            raise InputError(f"{self.manifest_path} is damaged or was written by another tool "
                             f"(its sweep's 'replications' is {reps!r}), so the sweep cannot "
                             "be read; start the sweep again into a new --out folder.")
        rows_ok = _foreign_row(stored, seeds, reps) is None
        fix = (f"Move it out of the folder; `{resume_command(self.out)}` then computes the "
               "sweep's own runs again.")
        for part in self.summary_parts():
            try:
                columns = _other_columns(pq.read_schema(part), expected)
                row = None if rows_ok or columns else _foreign_row(
                    pq.read_table(part, columns=list(RUN_COLUMNS)), seeds, reps)
            except (OSError, pa.ArrowException) as e:
                raise InputError(self._damaged_part(part, e)) from None
            if columns:
                raise InputError(f"{visible(str(part))} does not hold the columns this sweep "
                                 f"writes ({columns}): it was written by another version or "
                                 f"edited, so its runs cannot be read with the others. {fix}")
            if row is not None:
                raise InputError(
                    f"{visible(str(part))} holds a run that is not one of this sweep's: {row}. "
                    "The part was copied from another sweep or edited, so its results would be "
                    f"read as this sweep's. {fix}")

    def summary_schema(self) -> pa.Schema:
        """The schema of the summary parts, from the manifest's ``summary_types``."""
        return self._schema(self.read_manifest())

    def _schema(self, manifest: dict[str, Any]) -> pa.Schema:
        """:meth:`summary_schema` from a manifest already read."""
        types = manifest["summary_types"]
        try:
            return summary_schema(types)
        except (ValueError, TypeError, KeyError) as e:
            raise InputError(f"{self.manifest_path} is damaged or was written by another tool "
                             f"('summary_types' holds no column types: {e}), so the sweep "
                             "cannot be read; start the sweep again into a new --out "
                             "folder.") from None

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
        """Finished summary parts, in run order (:func:`_parts`); an :class:`InputError`
        naming one that is no regular file (a named pipe would block every reader: no sweep
        writes either)."""
        _require_folder(self.summary_dir, self.out)
        parts = _parts(self.summary_dir)
        for part in parts:
            _require_regular(part)
        return parts

    def stored_runs(self) -> tuple[np.ndarray, int]:
        """run_ids already stored (sorted, unique), and how many of those runs recorded an error;
        also removes
        leftovers of an interrupted write (temporary files, time-series parts whose summary
        part is missing)."""
        _require_folder(self.timeseries_dir, self.out)
        for d in (self.summary_dir, self.timeseries_dir):
            for tmp in d.glob(f"{PART}.tmp"):
                if numbered_match(tmp.name, f"{PART}.tmp"):
                    tmp.unlink()
        done = {p.name for p in self.summary_parts()}
        for orphan in _parts(self.timeseries_dir):
            if orphan.name not in done:
                orphan.unlink()
        table = self.read_parts(columns=[*RUN_COLUMNS, "error"])
        if table is None:
            return np.empty(0, dtype=np.int64), 0
        self.check_stored(table)
        ids, first = np.unique(table.column("run_id").to_numpy(), return_index=True)
        failed = table.column("error").is_valid().to_numpy(zero_copy_only=False)
        return ids, int(failed[first].sum())


def _foreign_row(stored: pa.Table, seeds: np.ndarray, replications: int) -> str | None:
    """The first row of ``stored`` (summary rows) that is no run of the sweep whose runs.parquet
    lists ``seeds`` in run_id order (run K is replication K % ``replications`` of point
    K // ``replications``, as the sweep runs it), described; None if every row is one."""
    rows = {c: stored.column(c).fill_null(-1).to_numpy() for c in RUN_COLUMNS}
    ids, n = rows["run_id"], len(seeds)
    at = np.clip(ids, 0, max(n - 1, 0))
    planned = {"run_id": at, "point_id": at // replications, "replication": at % replications,
               "seed": seeds[at] if n else at}
    ok = (ids >= 0) & (ids < n)
    for c in RUN_COLUMNS:
        ok &= planned[c] == rows[c]
    if ok.all():
        return None
    i = int(np.flatnonzero(~ok)[0])
    run = ", ".join(f"{c} {rows[c][i]}" for c in RUN_COLUMNS)
    if not 0 <= ids[i] < n:
        return f"{run}, where the sweep's run ids go from 0 to {n - 1}"
    return (f"{run}, where runs.parquet gives run {ids[i]} "
            + ", ".join(f"{c} {planned[c][i]}" for c in RUN_COLUMNS[1:]))


def _other_columns(schema: pa.Schema, expected: pa.Schema) -> str:
    """How ``schema`` (a part's) differs from ``expected`` in its columns and their types, or
    '' if it does not."""
    def same(a: pa.DataType, b: pa.DataType) -> bool:  # pandas writes text as large_string
        return a == b or {a, b} == {pa.string(), pa.large_string()}

    names = set(schema.names)
    missing = [n for n in expected.names if n not in names]
    extra = [n for n in schema.names if n not in expected.names]
    retyped = [f"{n} ({schema.field(n).type}, not {expected.field(n).type})"
               for n in expected.names if n in names and not same(schema.field(n).type,
                                                                  expected.field(n).type)]
    return "; ".join(f"{what}: {', '.join(cols[:5])}" for what, cols in
                     (("missing", missing), ("not the sweep's", extra),
                      ("other types", retyped)) if cols)


def plan_hash(manifest: dict[str, Any]) -> str:
    """SHA-256 of the manifest's :data:`PLAN_KEYS` entries, as stored in JSON (sorted keys)."""
    plan = json.loads(json.dumps({k: manifest.get(k) for k in PLAN_KEYS}, default=str))
    text = json.dumps(plan, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_plan(manifest: dict[str, Any], out: Path) -> None:
    """Raise :class:`InputError` if the manifest's plan no longer matches the ``plan_sha256``
    it was written with (format 2 on; format 1 folders have no hash to check)."""
    if manifest.get("format", 1) < 2 and "plan_sha256" not in manifest:
        return
    if manifest.get("plan_sha256") != plan_hash(manifest):
        raise InputError(
            f"{out / MANIFEST} has been edited since the sweep was planned (its plan no longer "
            "matches the plan_sha256 it was written with): the stored runs belong to the "
            "original plan (base scenario, parameters, design, seeds), so runs of the edited "
            "one cannot be added to them. Restore the manifest, or run the changed sweep into "
            "a new folder (another --out, or --force to replace this one).")


def error_rows(summary: pa.Table) -> int:
    """Rows of a summary table that recorded an error."""
    return summary.num_rows - summary.column("error").null_count


def resume_command(out: Path) -> str:
    """The command that continues the sweep in ``out``: ``leverage-sim sweep --resume --out
    OUT``, or for a part of another verb's folder (explore's ``sweep/``, which only that verb
    writes) that verb's ``--resume`` on its folder."""
    owner = enclosing_folder(out)
    return (f"leverage-sim {owner[1]} --resume --out {shell_word(owner[0])}" if owner is not None
            else f"leverage-sim sweep --resume --out {shell_word(out)}")


def _require_regular(path: Path) -> None:
    """An :class:`InputError` if ``path`` is there but is no regular file (a named pipe would
    block its reader for ever; no sweep writes one): a missing one is left to its reader."""
    if (path.is_symlink() or path.exists()) and not path.is_file():
        raise InputError(f"{visible(str(path))} was not written by the sweep: it is not a "
                         "regular file (a named pipe, a device, a folder or a broken link), "
                         "so reading it could wait for ever. Remove it (or move it out of the "
                         "sweep folder).")


def _require_folder(path: Path, out: Path) -> None:
    """An :class:`InputError` if ``path`` (``summary/``, ``timeseries/``: where the sweep keeps
    its runs) is there but is no folder: reading would find no run, and writing one fails."""
    if (path.is_symlink() or path.exists()) and not path.is_dir():
        raise InputError(f"{visible(str(path))} is where the sweep keeps its runs' parts, a "
                         "folder, but it is a file (or a broken link) the sweep did not write, "
                         f"so its runs can be neither read nor stored. Move that file out of "
                         f"'{visible(str(out))}' (if it is the folder you renamed or moved, put "
                         "it back), then run the command again; runs missing from it are "
                         f"computed again by `{resume_command(out)}`.")


_ABSENT = object()
"""A manifest that is not there (a JSON ``null`` is one that is)."""


def _json_kind(value: Any) -> str:
    """What a JSON document holds, in JSON's words (an array, an object, null, ...)."""
    kinds = ((bool, "true or false"), (dict, "an object"), (list, "an array"),
             (str, "a string"), (int | float, "a number"))
    return next((name for kind, name in kinds if isinstance(value, kind)), "null")


def _parts(folder: Path) -> list[Path]:
    """The stored chunks in ``folder`` (``summary/`` or ``timeseries/``), in run order: the
    files named as :data:`PART`, not any other file there."""
    return sorted(p for p in folder.glob(PART) if numbered_match(p.name, PART))


def _damaged(path: Path, e: BaseException, fix: str) -> str:
    """Why ``path`` cannot be read: refused access (it may be intact), or damaged, with
    ``fix``."""
    return access_refused(path, e) or \
        f"{path} is damaged and cannot be read ({type(e).__name__}: {e}); {fix}."


def _atomic_write(path: Path, write: Any) -> None:
    """Write through ``PATH.tmp`` renamed into place; a failed write leaves nothing behind (so
    a full disk gets back the space of the half-written file)."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
