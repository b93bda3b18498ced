"""A calibration folder's manifest, and whether a ``--resume`` may continue the calibration in it
(same config file, seed and budget, and a checkpoint that can be read; or, for the table
method, the same calibration with another budget: its stored rows are reused, a larger
``max_simulations`` grows a capped table, other settings refit on the rows; or with facts
added, episodes appended: the stored rows are given them, :mod:`.table_episodes`)."""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from leverage_sim.calibration.config import Calibration
from leverage_sim.calibration.outputs import MANIFEST_KIND, manifest_fields
from leverage_sim.calibration.smc import read_scale_weights, state_file
from leverage_sim.errors import InputError
from leverage_sim.simulation import model_fingerprint

HISTORY = "history.db"
"""The pyabc history of an ABC-SMC calibration, in its folder."""
REFERENCE = "reference.parquet"
"""The reference table of a table-method calibration, in its folder (its checkpoint:
``table_run.CHECKPOINT``); absent if it was stopped before the first rows were stored."""
STATUSES = ("running", "interrupted", "complete")
"""The ``status`` values a calibration manifest is written with."""


def read_manifest(out: Path) -> dict | None:
    """The calibration manifest in ``out``, or None."""
    try:
        data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("kind") == MANIFEST_KIND else None


def check_resumable(out: Path, cal: Calibration, seed: int, quick: bool) -> dict:
    """The manifest of the calibration in ``out`` (its ``status`` says whether it is already
    complete); :class:`InputError` unless it is one of this same file, seed and budget to
    continue, with the checkpoint its method needs besides its manifest (ABC-SMC: the history),
    all readable (the history only checked when the calibration is not complete). A table
    calibration resumed with another budget (:func:`_rebudgeted`) is returned as interrupted:
    its stored rows are kept and the fit runs again on them, growing the table if the new cap
    is larger — unless only ``max_simulations`` was raised and it had converged. Both
    ``leverage-sim calibrate --resume`` and :func:`leverage_sim.calibration.run.calibrate`
    with ``resume=True`` check through here."""
    needs = (HISTORY,) if cal.spec.method == "smc" else ()
    manifest = out / "manifest.json"
    record = _read(manifest, lambda p: json.loads(p.read_text(encoding="utf-8"))
                   ) if manifest.is_file() else {}
    if not isinstance(record, dict):
        raise _damaged(manifest, "it holds no JSON object")
    if record.get("kind") != MANIFEST_KIND or not all((out / f).is_file() for f in needs):
        raise InputError(f"--resume: '{out}' holds no calibration to continue (it needs "
                         f"{' and '.join(('manifest.json', *needs))}). Run without --resume "
                         "to start one.")
    if record.get("status") not in STATUSES:
        raise _damaged(manifest, f"its 'status' is {record.get('status')!r}, not one of "
                       f"{', '.join(STATUSES)}")
    config = record.get("config")
    rebudgeted = _rebudgeted(record, cal, seed, quick)
    differ = [what for what, same in (
        ("config file (its contents)", isinstance(config, dict)
         and config.get("sha256") == cal.sha256 or rebudgeted is not None),
        (f"seed (it used {record.get('seed')}, this command {seed})", record.get("seed") == seed),
        (f"budget (it was {'' if record.get('quick') else 'not '}started with --quick)",
         record.get("quick") == quick)) if not same]
    if differ:
        raise InputError(f"--resume: '{out}' was calibrated with another "
                         f"{' and another '.join(differ)} (see its manifest.json). Resume with "
                         "the same ones, or start afresh in a new --out folder.")
    changed = _changed_episode(record, cal) if record.get("status") != "complete" else None
    if changed:
        raise InputError(f"--resume: {changed} since '{out}' was started, so the simulations "
                         "stored there were run on other episodes than the ones it would go "
                         "on with, and the fit would mix them. Restore the file as it was, or "
                         "start afresh in a new --out folder (or --force this one).")
    if HISTORY in needs and record.get("status") != "complete":
        _read(out / HISTORY, _last_generation)
        if state_file(out / HISTORY).is_file():
            _read(state_file(out / HISTORY), read_scale_weights)
    if rebudgeted and record["status"] == "complete" \
            and (rebudgeted != "cap" or not record.get("converged")):
        record = {**record, "status": "interrupted"}  # refit on the stored rows
    if cal.spec.method == "table" and record["status"] != "complete" \
            and (out / REFERENCE).is_file():
        _read(out / REFERENCE, _reference_table)
    return record


CAP_KEEPS = ("name", "base_scenario", "fitted_scenarios", "parameters", "episodes", "facts",
             "quick", "seed")
"""What a table calibration continued under another budget must share with the stored one (its
manifest's entries): everything its reference table's rows and what they are compared with
depend on."""


def _rebudgeted(record: dict[str, Any], cal: Calibration, seed: int, quick: bool
                ) -> str | None:
    """``"cap"`` if ``cal`` is the table calibration of ``record`` with only its budget's
    ``max_simulations`` raised, ``"budget"`` if with other budget settings (``accept``,
    ``summaries``, ``tolerance``, ...), ``"facts"`` if with facts added (:func:`_added_facts`;
    any budget), None if it is not (another method, other parameters, facts, episodes or
    seed, or the same budget). Either way its rows are the first rows of the new table (drawn
    from the same seed): the fit runs again on them, simulating only rows beyond them and
    the facts they lack."""
    if cal.spec.method != "table" or record.get("method") != "table":
        return None
    budget = (cal.spec.table_quick if quick else cal.spec.table).model_dump()
    stored = record.get("budget")
    now = json.loads(json.dumps(manifest_fields(cal, seed, quick)))
    if isinstance(stored, dict) and _added_facts(record, now):
        return "facts"
    if not isinstance(stored, dict) or stored == budget:
        return None
    if not all(record.get(key) == now[key] for key in CAP_KEEPS):
        return None
    raised = budget["max_simulations"] > stored.get("max_simulations", math.inf)
    same_but_cap = {**stored, "max_simulations": budget["max_simulations"]} == budget
    return "cap" if same_but_cap and raised else "budget"


FACTS_KEEP = tuple(k for k in CAP_KEEPS if k not in ("fitted_scenarios", "episodes", "facts"))
"""What a table calibration given added facts must share with the stored one exactly: all that
:data:`CAP_KEEPS` asks but what the added facts change (their episodes, their scenarios' base
values), which :func:`_added_facts` compares on the stored part alone."""


def _fitted(entries: Any) -> list[dict[str, Any]]:
    """The fitted episodes' entries of a manifest's ``episodes``, without the file's path
    (where the repository lies is not what its rows depend on)."""
    return [{k: v for k, v in e.items() if k != "file"} for e in entries
            if isinstance(e, dict) and e.get("role") == "fit"] \
        if isinstance(entries, list) else []


def _added_facts(record: dict[str, Any], now: dict[str, Any]) -> bool:
    """True if the manifest ``now`` is the stored ``record``'s calibration with facts added and
    nothing else changed that its rows depend on: its fitted episodes still first, in order
    (each row ran episode ``k`` on seed slot ``k``), the stored facts among its own as they
    were, their scenarios' base values alike."""
    was, fitted = _fitted(record.get("episodes")), _fitted(now["episodes"])
    facts = record.get("facts")
    if not isinstance(facts, list) or not was or fitted[:len(was)] != was \
            or not all(record.get(key) == now[key] for key in FACTS_KEEP):
        return False
    names = {f.get("name") for f in facts if isinstance(f, dict)}
    kept = [f for f in now["facts"] if f["name"] in names]
    scenarios = record.get("fitted_scenarios")
    return kept == facts and len(now["facts"]) > len(facts) and isinstance(scenarios, dict) \
        and all(now["fitted_scenarios"].get(k) == v for k, v in scenarios.items())


def check_same_model(record: dict[str, Any], stored: Path) -> None:
    """An :class:`InputError` unless the simulations of the unfinished calibration whose
    manifest is ``record``, stored in ``stored`` (its reference table or history), came from
    the running model (its ``model_fingerprint``): a table or history never mixes two
    models."""
    if not model_fingerprint.matches(record.get("model_fingerprint")):
        raise InputError(f"--resume: the simulations in '{stored}' come from another version "
                         "of the model (its manifest.json's model_fingerprint differs from the "
                         "running model's), so they cannot be continued. Start afresh in a new "
                         "--out folder (or --force this one).")


def _changed_episode(record: dict[str, Any], cal: Calibration) -> str | None:
    """What changed in a fitted episode of ``cal`` since the calibration whose manifest is
    ``record`` started (its file's SHA-256, or the resolved scenario it runs on, as recorded
    in the manifest's ``episodes``), or None."""
    entries = record.get("episodes")
    stored = {e.get("name"): e for e in _fitted(entries)}  # the ones its rows ran
    for ep in cal.episodes:
        was = stored.get(ep.name, {})
        if was.get("sha256", ep.sha256) != ep.sha256:
            return f"the episode file {ep.path} has been edited (its SHA-256 differs from the " \
                   "one in manifest.json)"
        if was.get("scenario_sha256", None) not in (None, ep.scenario_sha256()):
            return (f"the scenario episode {ep.name} runs on ('{ep.spec.scenario}', as its "
                    "file and overrides resolve it) has changed")
    return None


def _reference_table(path: Path) -> int:
    """The rows of the reference table stored at ``path`` (from its footer: the table may be
    large); an exception if it is no Parquet file, e.g. one cut short."""
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as table:
        return table.metadata.num_rows


def _last_generation(db: Path) -> int | None:
    """The last generation stored in the ABC-SMC history ``db`` (None if none); an exception
    if it is no intact SQLite file holding calibration run 1."""
    import pyabc

    with closing(sqlite3.connect(db)) as con:
        check = con.execute("PRAGMA quick_check").fetchone()[0]
    if check != "ok":
        raise sqlite3.DatabaseError(check)
    return pyabc.History(f"sqlite:///{db}", _id=1, create=False).max_t


def _read(path: Path, read: Callable[[Path], Any]) -> Any:
    """``read(path)``. A file that cannot be read is refused as such (it may be intact, so no
    advice to replace the folder); one that is empty or that ``read`` fails on, as damaged."""
    if path.stat().st_size == 0:
        raise _damaged(path, "it is empty")
    try:
        return read(path)
    except Exception as e:  # noqa: BLE001 - any reader failure: unreadable or damaged
        why = getattr(e, "orig", None) or e  # SQLAlchemy's: the database's own words
        if isinstance(why, OSError | sqlite3.OperationalError):
            raise InputError(f"--resume: {path} cannot be read ({why}). Check that it is "
                             "readable and that no other program is using it, then run the "
                             "same command again.") from None
        first_line = str(why).partition("\n")[0]
        raise _damaged(path, f"{type(why).__name__}: {first_line}") from None


def _damaged(path: Path, why: str) -> InputError:
    """The error for a checkpoint file that cannot be resumed from."""
    return InputError(f"{path} is damaged ({why}); this calibration cannot be resumed: restore "
                      "the file, or start again with --force (which replaces the folder).")
