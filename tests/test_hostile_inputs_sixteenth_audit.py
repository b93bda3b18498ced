"""Careless or hostile input found by the sixteenth audit (a sweep folder's parts edited or
mixed by hand, ...):

- a sweep folder whose ``summary/`` holds a part that is no run of the sweep: one copied in from
  another sweep's folder (another master seed: the same run ids, other seeds and results), or
  a part renamed and edited to a run id past the sweep's last (``part-000000009-...`` in a
  sweep of 4 runs). ``load_sweep`` (and so ``sweep``'s printed summary, its report and
  ``explore``'s answer) read the other sweep's runs as this one's, silently; a run id past the
  end was joined to no parameter point, a row of NaN values in every summary ("2 points × 2
  replications = 5 runs"), and ``sweep --resume`` marked such a folder complete. Each stored
  row's run id, point, replication and seed are now checked against runs.parquet, and a part
  holding another row is refused, naming it and the fix.

Tried and already refused or handled, so not repeated here: scenario files with an
``enforcement_capacity`` of 1e308, a horizon of 36,500 days, a militia named ``"KH "`` or in
Arabic script (checked as any other), events after a shortened horizon (each named).
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

import leverage_sim as ls
from leverage_sim.cli.main import main as cli
from leverage_sim.errors import InputError

TINY = ["-n", "2", "--set", "horizon_days=5", "--set", "events=[]", "--posterior", "none",
        "--executor", "serial", "-q"]


def _sweep(out: Path, seed: int) -> Path:
    assert cli(["sweep", "june_2020_replay", "--param", "foreign_forces.backing=0.2,0.8",
                "--seed", str(seed), *TINY, "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def two_sweeps(tmp_path_factory):
    """The same sweep run with two master seeds."""
    base = tmp_path_factory.mktemp("sixteenth")
    return _sweep(base / "a", 1), _sweep(base / "b", 2)


def _parts(out: Path) -> list[Path]:
    return sorted((out / "summary").glob("part-*.parquet"))


def test_a_part_copied_from_another_sweep_is_named_not_read_as_this_sweeps(two_sweeps,
                                                                           tmp_path, capsys):
    a, b = two_sweeps
    out = tmp_path / "mixed"
    shutil.copytree(a, out)
    last = _parts(out)[-1]
    last.unlink()  # as if the sweep had been stopped before its last run...
    shutil.copy(_parts(b)[-1], last)  # ...and the other folder's run copied in to "finish" it
    with pytest.raises(InputError) as e:
        ls.load_sweep(out)
    text = str(e.value)
    assert last.name in text and "runs.parquet gives run 3" in text and "Move it out" in text
    capsys.readouterr()
    assert cli(["sweep", "--resume", "--out", str(out), "-q"]) == 2
    assert last.name in capsys.readouterr().err
    last.unlink()  # the fix the message gives
    assert cli(["sweep", "--resume", "--out", str(out), "-q"]) == 0
    assert ls.load_sweep(out).equals(ls.load_sweep(a))


def test_a_part_edited_to_a_run_past_the_sweeps_last_is_named(two_sweeps, tmp_path, capsys):
    a, _ = two_sweeps
    out = tmp_path / "edited"
    shutil.copytree(a, out)
    last = _parts(out)[-1]
    rows = pd.read_parquet(last)
    rows["run_id"] += 6
    rows["point_id"] += 3
    rows.to_parquet(out / "summary" / "part-000000009-000000009.parquet", index=False)
    last.unlink()
    with pytest.raises(InputError, match="run ids go from 0 to 3"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the run the part replaced is missing, too
            ls.load_sweep(out)  # was: 4 runs, one of them at a point of NaN values
    capsys.readouterr()
    assert cli(["sweep", "--resume", "--out", str(out), "-q"]) == 2  # was: 5 runs, complete
    assert "part-000000009-000000009.parquet" in capsys.readouterr().err
