"""A stored reference table given the facts its calibration file has gained (an episode
appended to ``episodes``, a fact added to ``facts``), by simulating only what it lacks.

Row ``i`` of a table ran episode ``k`` of the file on seed slot ``k`` of its run seed
(:func:`.reference.run_seed`, :class:`.simulator.EpisodeSimulator`), so with the episodes it
already fits left in place at the head of the list every stored column is what a fresh table of
the new file holds: only the episodes of the missing facts are run again, for the stored rows,
and the table equals the new file's own (a few weeks of one episode cost a fraction of a row
of all five). ``leverage-sim calibrate --resume`` does it when the file differs from the stored
calibration by added facts alone (:func:`leverage_sim.calibration.resume.check_resumable`).

The rows' new facts are saved beside the table as they come (:data:`ADDING`, every
:data:`.table_fit.CHECKPOINT_ROWS` or tenth of the rows), so an interrupted extension resumes
where it stopped; the side file records what its values depend on (the added episodes' files,
scenarios and seed slots, the seed), and one written for other episodes, or for an added
episode edited since, is simulated again rather than mixed in. The table file is replaced only
once every row has them, and the side file, which leverage-sim wrote, is then removed. Until
then the folder's manifest, table and posterior stay those of the calibration it held
(:func:`leverage_sim.calibration.table_run.calibrate_table` writes the new manifest after the
extension), so an interrupted extension leaves that calibration usable.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path

import pandas as pd

from leverage_sim.calibration.config import Calibration
from leverage_sim.calibration.forest import episode_of
from leverage_sim.calibration.reference import ReferenceTable, simulate_values
from leverage_sim.calibration.simulator import EpisodeSimulator
from leverage_sim.calibration.table_fit import (
    CHECKPOINT_ROWS,
    CHECKPOINT_SHARE,
    load_checkpoint,
    save_checkpoint,
)
from leverage_sim.errors import InputError

ADDING = ".adding"
"""Suffix of the side file (beside ``reference.parquet``) holding the new facts of the rows done
so far."""
SIGNATURE = b"leverage_sim.adding"
"""Key of the side file's Parquet metadata naming what its values depend on
(:func:`signature`)."""


def stored_facts(path: Path) -> list[str]:
    """The facts the table at ``path`` holds, in column order (its schema only is read)."""
    import pyarrow.parquet as pq

    return [c.removeprefix("fact:") for c in pq.read_schema(path).names if c.startswith("fact:")]


def add_missing_facts(path: Path, cal: Calibration, seed: int, executor: Executor | None = None,
                      workers: int = 1, engine: str = "fast",
                      progress: Callable[[str], None] | None = None) -> int:
    """Give every row of the table at ``path`` the facts of ``cal`` it lacks (see the module
    docstring), rewriting it with ``cal``'s fact columns in order; the rows simulated again
    (0 when it lacked nothing). An :class:`InputError` if the table is not one of ``cal``'s
    priors and seed or holds facts ``cal`` no longer fits."""
    say = progress or (lambda _: None)
    facts = [t.name for t in cal.targets()]
    have = stored_facts(path)
    missing = [f for f in facts if f not in have]
    if not missing:
        return 0
    priors = [p.prior for p in cal.parameters]
    stored = load_checkpoint(path, priors, have, seed) if set(have) <= set(facts) else None
    if stored is None:
        raise InputError(f"--resume: the reference table '{path}' is not one of this "
                         "calibration's parameters, seed and facts with some added, so the "
                         "facts it lacks cannot be added to it. Start afresh in a new --out "
                         "folder (or --force this one).")
    episodes = sorted({episode_of(f) for f in missing})
    simulator = EpisodeSimulator(cal, replications=1, engine=engine, only=episodes)
    side = path.with_name(path.name + ADDING)
    made = signature(cal, missing, seed)
    done = _partial(side, made, missing, len(stored))
    names = [p.name for p in priors]
    values = stored.values.to_numpy(dtype=float)
    n, before = len(stored), len(done)
    say(f"adding {len(missing)} facts of {', '.join(episodes)} to the {n} stored rows "
        f"({before} done before)")
    while len(done) < n:
        end = min(n, len(done) + max(CHECKPOINT_ROWS, int(CHECKPOINT_SHARE * n)))
        rows = simulate_values(simulator, names, values[:end], seed, len(done), executor,
                               workers)
        new = pd.DataFrame([[float(r[f]) for f in missing] for r in rows], columns=missing)
        done = pd.concat([done, new], ignore_index=True)
        save_partial(side, done, made)
        say(f"{end}/{n} rows given the new facts")
    joined = pd.concat([stored.facts, done], axis=1)[facts]
    save_checkpoint(ReferenceTable(stored.priors, stored.unit, stored.values, joined, seed), path)
    side.unlink()
    return n - before


def signature(cal: Calibration, missing: list[str], seed: int) -> str:
    """What the new facts' values depend on besides the stored rows: the facts, the seed, and
    per added episode its seed slot (its place in the file), file and scenario (SHA-256)."""
    added = {episode_of(f) for f in missing}
    return json.dumps({"facts": missing, "seed": seed, "episodes": [
        [slot, ep.name, ep.sha256, ep.scenario_sha256()]
        for slot, ep in enumerate(cal.episodes) if ep.name in added]})


def save_partial(side: Path, done: pd.DataFrame, made: str) -> None:
    """Write the new facts of the rows done so far to ``side`` with their :func:`signature`
    (through a ``.part`` file: an interruption leaves the previous side file whole)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(done, preserve_index=False)
    tmp = side.with_name(side.name + ".part")
    pq.write_table(table.replace_schema_metadata({**(table.schema.metadata or {}),
                                                  SIGNATURE: made.encode()}), tmp)
    tmp.replace(side)


def _partial(side: Path, made: str, missing: list[str], rows: int) -> pd.DataFrame:
    """The new facts of the rows an interrupted extension finished (none if its side file is
    absent, unreadable, of another :func:`signature`, or of more rows)."""
    import pyarrow.parquet as pq

    empty = pd.DataFrame(columns=missing, dtype=float)
    if not side.is_file():
        return empty
    try:
        table = pq.read_table(side)
    except (OSError, ValueError):
        return empty
    same = (table.schema.metadata or {}).get(SIGNATURE) == made.encode()
    done = table.to_pandas()
    return done if same and list(done.columns) == missing and len(done) <= rows else empty
