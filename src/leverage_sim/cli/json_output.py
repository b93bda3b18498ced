"""``--json``: one JSON document on stdout in place of a verb's text summary.

The verbs that print summaries (run, compare, sweep, show, list, params, validate) take
``--json``; progress bars and errors still go to stderr, so ``leverage-sim run X --json | jq``
reads one document. Numbers are plain JSON numbers (NaN becomes null), dates ISO strings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leverage_sim.files.safe_text import json_visible

if TYPE_CHECKING:
    from leverage_sim.simulation.runner import Results


def add_json_arg(p: argparse.ArgumentParser) -> None:
    """``--json``: print one JSON document instead of the text summary."""
    p.add_argument("--json", action="store_true",
                   help="print one machine-readable JSON document on stdout instead of the "
                   "text summary")


def plain(obj: Any) -> Any:
    """``obj`` as JSON values: numpy/pandas scalars to Python ones, NaN and infinities to
    None, dates to ISO strings, paths to strings, tables to lists of row objects."""
    # numpy and pandas values exist only once their package is imported: the verbs that need
    # neither (list, params, validate, show) do not import them for their JSON (start-up)
    pd, np = sys.modules.get("pandas"), sys.modules.get("numpy")
    if pd is not None and isinstance(obj, pd.DataFrame):
        return plain(obj.to_dict(orient="records"))
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [plain(v) for v in obj]
    if np is not None and isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dt.date):
        return obj.isoformat()
    return str(obj) if isinstance(obj, Path) else obj


def emit(doc: Any) -> None:
    """Print ``doc`` (see :func:`plain`) as one JSON document."""
    print(json_visible(json.dumps(plain(doc), indent=2, ensure_ascii=False, allow_nan=False)))


def files_written(out: Path | None, paths: list[Path]) -> dict[str, Any]:
    """``out`` (the output folder or null) and the names of the ``files`` written there."""
    return {"out": out, "files": [p.name for p in paths]}


def run_document(res: Results) -> dict[str, Any]:
    """What ``run`` prints: the run's settings, what it was computed from in words
    (``inputs``: scenario, overrides, parameters), outcome shares (share of runs, 0-1) and
    each figure's median with the central 90% interval across runs."""
    from leverage_sim.outputs import report  # here: the verbs without runs need no model (start-up)

    sc = res.scenario
    shares = report.outcome_shares(res.summary)
    said = report.meanings(sc.foreign_forces.label)
    return {
        "scenario": sc.name, "question": sc.question, "replications": len(res.summary),
        "seed": res.seed, "seeds": res.seeds, "start_date": sc.start_date,
        "horizon_days": sc.horizon_days, "seconds": res.seconds, "inputs": res.inputs,
        "outcome_shares": {name: {"column": col, "meaning": said[name], "share": shares[name]}
                           for name, (col, _) in report.OUTCOMES.items()},
        "figures": report.intervals(res.summary).to_dict(orient="index"),
        "interval_level": 0.9,
    }
