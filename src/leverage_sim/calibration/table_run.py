"""Running a calibration file with the table method (:mod:`.table_fit`) and writing its folder.

One history per row (``EpisodeSimulator(cal, replications=1)``), over the chosen executor,
checkpointed in ``OUT/reference.parquet`` so that an interrupted calibration resumes
(``--resume``) from the rows done and ends with the same posterior; resumed with facts added to
the file (an episode appended), its stored rows are given them first
(:mod:`.table_episodes`). Then, in ``OUT``:

- ``posterior.parquet``: one column per parameter path (integer parameters as integers) and
  ``weight`` (summing to 1), as ABC-SMC writes it;
- ``diagnostics.csv``: per table size, simulations, effective sample size and the largest move
  of a 5/50/95% posterior quantile since the previous size (prior-CDF units);
- ``coverage.csv``: per parameter, the coverage of 50% and 90% intervals on held-out synthetic
  truths, the mean posterior sd over the prior's (``width``) and the rank histogram
  (``bin_0`` .. ``bin_9``);
- ``information.csv``: per parameter, the out-of-bag R² of a random forest predicting it from
  the facts and ``informed`` (R² ≥ :data:`.table_fit.INFORMED_R2`);
- ``fit_check.csv``: the fit before validation (see :func:`fit_check`);
- ``marginals.png``, ``pairs.png``, ``predictive.png`` (the fit check's posterior runs),
  ``manifest.json`` and ``report.html``.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from leverage_sim.calibration import charts, table_fit, validation
from leverage_sim.calibration.config import Calibration
from leverage_sim.calibration.episodes import fact_id
from leverage_sim.calibration.outputs import as_parameter_values, manifest_fields
from leverage_sim.calibration.reference import simulate_values
from leverage_sim.calibration.resume import check_same_model
from leverage_sim.calibration.simulator import EpisodeSimulator
from leverage_sim.calibration.table import ALL_FACTS
from leverage_sim.calibration.table_episodes import add_missing_facts
from leverage_sim.errors import is_interrupt
from leverage_sim.files.version import installed_version
from leverage_sim.simulation.executors import make_executor

CHECKPOINT = "reference.parquet"
FIT_CHECK_KEY = 0x66697463
"""Spawn key of the fit check's posterior draws and run seeds (a child of the master seed)."""


@dataclass
class TableCalibrated:
    """A table calibration as it ended: ``status`` ``complete`` or ``interrupted`` (by Ctrl-C or
    SIGTERM or SIGHUP: the checkpoint and an "interrupted" manifest stay); ``fit`` is None when
    interrupted or when ``already_done`` (a finished folder resumed: nothing ran)."""

    calibration: Calibration
    status: str
    fit: table_fit.TableFit | None
    seed: int
    written: list[Path]
    seconds: float
    already_done: bool = False
    exit_code: int = 0
    """The CLI's exit status: 130 after Ctrl-C, 143 after SIGTERM, 129 after SIGHUP."""


def calibrate_table(cal: Calibration, out: Path, *, quick: bool, seed: int, executor: str,
                    workers: int | None, scheduler: str | None, resumed: dict[str, Any] | None,
                    quiet: bool, engine: str = "fast") -> TableCalibrated:
    """Fit ``cal`` by the table method into ``out`` (see the module docstring and
    :func:`leverage_sim.calibration.run.calibrate` for the arguments; ``resumed``: the manifest
    of the calibration to continue, checked by
    :func:`~leverage_sim.calibration.resume.check_resumable`, or None to start)."""
    t0 = time.perf_counter()
    spec = cal.spec.table_quick if quick else cal.spec.table
    if resumed is not None:
        if resumed["status"] == "complete":
            return TableCalibrated(cal, "complete", None, seed, [], 0.0, already_done=True)
        check_same_model(resumed, out / CHECKPOINT)
    fields = {**manifest_fields(cal, seed, quick), "budget": spec.model_dump(),
              "versions": _versions(), "checkpoint": CHECKPOINT}
    begun = {**fields, "status": "interrupted"}  # until it ends
    stored = resumed is not None and (out / CHECKPOINT).is_file()
    if not stored:
        _write_manifest(out, begun)
    say = _progress(t0, quiet)
    simulator = EpisodeSimulator(cal, replications=1, engine=engine)
    pool = make_executor(executor, workers, scheduler)
    try:
        if stored:  # the folder keeps the calibration it held until its rows have the new facts
            add_missing_facts(out / CHECKPOINT, cal, seed, pool, pool.workers, engine, say)
            _write_manifest(out, begun)
        fit = table_fit.fit(simulator, [p.prior for p in cal.parameters], cal.targets(),
                            spec.budget(), seed, pool, pool.workers, out / CHECKPOINT, say)
        say(f"fit check: {spec.predictive_runs} runs with posterior draws and "
            f"{spec.predictive_runs} with the hand-tuned values")
        posterior = as_parameter_values(fit.posterior, cal.parameters)
        alone = {e: as_parameter_values(p, cal.parameters) for e, p in (fit.alone or {}).items()}
        check, runs = fit_check(cal, posterior, spec.predictive_runs, seed, pool, pool.workers,
                                engine, alone)
    except (KeyboardInterrupt, SystemExit, SystemError) as stop:  # Ctrl-C; SIGTERM, SIGHUP
        if isinstance(stop, SystemError) and not is_interrupt(stop):
            raise
        code = stop.code if isinstance(stop, SystemExit) else 130
        return TableCalibrated(cal, "interrupted", None, seed, [out / "manifest.json"],
                               time.perf_counter() - t0, exit_code=code)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    seconds = time.perf_counter() - t0
    written = write(out, cal, fit, posterior, check, runs, fields, seconds)
    return TableCalibrated(cal, "complete", fit, seed, written, seconds)


def _versions() -> dict[str, str]:
    import mesa
    import sklearn

    return {"leverage_sim": installed_version(), "mesa": mesa.__version__,
            "scikit_learn": sklearn.__version__, "python": platform.python_version()}


def _progress(t0: float, quiet: bool) -> Callable[[str], None]:
    """Print a progress line with the elapsed time to stderr (nothing when ``quiet``)."""
    if quiet:
        return lambda _: None
    return lambda line: print(f"  [{time.perf_counter() - t0:6.0f} s] {line}",
                              file=sys.stderr, flush=True)


def _write_manifest(out: Path, record: dict[str, Any]) -> Path:
    path = out / "manifest.json"
    tmp = out / "manifest.json.part"
    tmp.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def fit_check(cal: Calibration, posterior: pd.DataFrame, runs: int, seed: int,
              executor: Any = None, workers: int = 1, engine: str = "fast",
              alone: dict[str, pd.DataFrame] | None = None
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The posterior predictive of the fitted facts against the hand-tuned values.

    ``runs`` runs of every fitted episode with parameters drawn from ``posterior`` (by weight)
    and ``runs`` with the base scenario's values, on the same seeds. Returns (the table, the
    posterior runs' fact values). The table has one row per fact (``episode``, ``fact``,
    ``kind``, ``score``: the proper score's name, ``posterior`` and ``hand_tuned``: its value,
    lower is better — CRPS over the fact's range for quantities, Brier for 0/1 facts —, and
    ``posterior_in_range``/``hand_tuned_in_range``: the share of runs inside the fact's
    range), and one row per episode (``fact`` :data:`ALL_FACTS`): the summed score with each
    quantity's CRPS divided by the spread of both sources' runs
    (:func:`.validation.fact_scale`), and the share of runs with every fact in its range.

    With ``alone`` (per episode, the posterior from its own facts alone:
    :func:`.table_fit.episode_alone`), ``runs`` more runs per episode draw from it, on the same
    seeds, and its rows get ``alone``/``alone_in_range`` (in the same scaled units; empty on
    other episodes' rows): the joint posterior worse than ``alone`` on an episode means the
    other episodes pull it away (a trade); both alike, what one history of it allows.
    """
    names = [p.path for p in cal.parameters]
    run_seed = int(np.random.SeedSequence([seed, FIT_CHECK_KEY, 1]).generate_state(1)[0])
    simulator = EpisodeSimulator(cal, replications=1, engine=engine)
    sources = {"posterior": _draws(posterior, names, runs, [seed, FIT_CHECK_KEY]),
               "hand_tuned": np.tile([p.base_value for p in cal.parameters], (runs, 1))}
    for k, (episode, frame) in enumerate(sorted((alone or {}).items())):
        sources[f"alone:{episode}"] = _draws(frame, names, runs, [seed, FIT_CHECK_KEY, 2, k])
    values = {s: pd.DataFrame(simulate_values(simulator, names, v, run_seed,
                                              executor=executor, workers=workers))
              for s, v in sources.items()}
    rows = []
    for ep in cal.episodes:
        facts = [validation.episode_fact(f, fact_id(ep.name, f.name)) for f in ep.spec.facts
                 if f.name in cal.facts[ep.name]]
        compared = {"posterior": "posterior", "hand_tuned": "hand_tuned"}
        if f"alone:{ep.name}" in sources:
            compared["alone"] = f"alone:{ep.name}"
        summed = dict.fromkeys(compared, 0.0)
        inside = {c: np.ones(runs, dtype=bool) for c in compared}
        for fact in facts:
            by_source = {c: values[s][fact.name].to_numpy(dtype=float)
                         for c, s in compared.items()}
            scale = validation.fact_scale(fact, {c: by_source[c]
                                                 for c in ("posterior", "hand_tuned")})
            row = {"episode": ep.name, "fact": fact.name, "kind": fact.kind,
                   "score": "Brier" if fact.kind == "event" else "CRPS"}
            for c, v in by_source.items():
                score = validation.fact_score(fact, v)
                summed[c] += score / scale
                hit = (v >= fact.low) & (v <= fact.high)
                inside[c] &= hit
                row[c] = score
                row[f"{c}_in_range"] = float(hit.mean())
            rows.append(row)
        rows.append({"episode": ep.name, "fact": ALL_FACTS, "kind": "episode",
                     "score": "sum of scaled scores", **summed,
                     **{f"{c}_in_range": float(inside[c].mean()) for c in compared}})
    columns = ["episode", "fact", "kind", "score", "posterior", "posterior_in_range",
               "hand_tuned", "hand_tuned_in_range"] + (["alone", "alone_in_range"]
                                                       if alone else [])
    return pd.DataFrame(rows, columns=columns), values["posterior"]


def _draws(posterior: pd.DataFrame, names: list[str], runs: int, key: list[int]) -> np.ndarray:
    """``runs`` parameter sets drawn from ``posterior`` by weight, from ``SeedSequence(key)``."""
    rng = np.random.default_rng(np.random.SeedSequence(key))
    w = posterior["weight"].to_numpy(dtype=float)
    picks = rng.choice(len(posterior), size=runs, p=w / w.sum())
    return posterior[names].to_numpy(dtype=float)[picks]


def coverage_frame(fit: table_fit.TableFit) -> pd.DataFrame:
    """``coverage.csv``: a row per parameter, its rank histogram spread over ``bin_*``."""
    cov = fit.coverage.table
    bins = pd.DataFrame(cov["bins"].tolist(), index=cov.index).add_prefix("bin_")
    return pd.concat([cov.drop(columns="bins"), bins], axis=1).rename_axis("parameter")


def information_frame(fit: table_fit.TableFit) -> pd.DataFrame:
    """``information.csv``: a row per parameter, out-of-bag R² and ``informed``."""
    return pd.DataFrame({"oob_r2": fit.information, "informed": fit.informed}
                        ).rename_axis("parameter")


def write(out: Path, cal: Calibration, fit: table_fit.TableFit, posterior: pd.DataFrame,
          check: pd.DataFrame, runs: pd.DataFrame, fields: dict[str, Any], seconds: float
          ) -> list[Path]:
    """Write the folder's files (see the module docstring); the paths written."""
    posterior.to_parquet(out / "posterior.parquet", index=False)
    steps = fit.steps.rename(columns={"ess": "effective_sample_size",
                                      "moved": "largest_quantile_move",
                                      "moved_in_errors": "largest_move_in_standard_errors"})
    cov, info = coverage_frame(fit), information_frame(fit)
    tables = {"diagnostics.csv": steps, "coverage.csv": cov, "information.csv": info,
              "fit_check.csv": check}
    for name, frame in tables.items():
        frame.to_csv(out / name, index=name in ("coverage.csv", "information.csv"))
    priors = [p.prior for p in cal.parameters]
    targets = cal.targets()
    figures = {"marginals.png": charts.marginals(
                   posterior, priors, {p.path: p.base_value for p in cal.parameters}),
               "pairs.png": charts.pairs(posterior, priors),
               "predictive.png": charts.predictive(runs, np.full(len(runs), 1 / len(runs)),
                                                   targets)}
    for name, fig in figures.items():
        fig.savefig(out / name, dpi=90)
        plt.close(fig)
    budget = fields["budget"]
    record = {**fields, "simulations": fit.simulations, "converged": fit.converged,
              "ess": round(fit.ess, 1),
              "coverage": {"level": 0.9, "truths": len(fit.coverage.ranks),
                           "min": float(cov["cover_90"].min()),
                           "max": float(cov["cover_90"].max())},
              "informed": [p for p, ok in fit.informed.items() if ok],
              "tolerance": budget["tolerance"], "noise_z": table_fit.NOISE_Z,
              "status": "complete",
              "seconds": round(seconds, 1),
              "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    manifest = _write_manifest(out, record)
    written = [out / "posterior.parquet", *(out / n for n in tables), *(out / n for n in figures),
               out / CHECKPOINT, manifest]  # the reference table: saved as it grew
    return [*written, report(out, cal, record, steps, check, [out / n for n in figures])]


def report(out: Path, cal: Calibration, record: dict[str, Any], steps: pd.DataFrame,
           check: pd.DataFrame, figures: list[Path]) -> Path:
    """``out/report.html``: what was learnt per parameter, the fit check, how the table grew,
    the charts and the manifest."""
    from leverage_sim.calibration.table import parameter_table, summary_line
    from leverage_sim.files.report_html import Section, write_report

    budget = record["budget"]
    compared = ("one learnt summary per parameter (semi-automatic ABC)"
                if budget["summaries"] == "projected" else "the facts")
    sections = [
        Section("Calibration", [
            (f"**{cal.spec.name}**: {len(cal.parameters)} parameters fitted to "
            f"{len(cal.targets())} facts of {', '.join(cal.spec.episodes)} by "
            f"{'regression-adjusted ' if budget['adjust'] else ''}rejection ABC on a reference "
            f"table of single histories, its rows compared with the record on {compared}."),
            summary_line(record, steps)]),
        Section("Posterior against the prior", [
            parameter_table(out, record),
            ("How to read it: *interval / prior width* is the posterior's central 90% interval "
            "as a share of the prior's range (a uniform prior's own is 90%: nothing learnt). "
            "*Out-of-bag R²* says how well a random forest predicts the parameter from the "
            "facts on simulations it was not trained on; under "
            f"{table_fit.INFORMED_R2} the facts say nothing about it and its posterior is to "
            "be read as its prior (*not informed*). *Coverage at 90%* is the share of held-out "
            "synthetic truths inside their posterior's 90% interval: 0.9 is calibrated, less "
            "is overconfident, more too cautious.")]),
        Section("Fit check: posterior against hand-tuned values", [
            check.round(4),
            ("Per fact, the proper score of the posterior's runs and of the hand-tuned values' "
            "runs on the same seeds (lower is better: CRPS over the fact's range for "
            "quantities, Brier for 0/1 facts) and the share of runs inside the fact's range; "
            f"per episode (*{ALL_FACTS}*), the summed scaled score and the share of runs "
            "matching every fact at once. *alone* (several episodes fitted): the same for the "
            "posterior from that episode's facts alone; the joint posterior worse than it "
            "means the other episodes pull it away, the two alike that one history of the "
            "episode allows no better.")]),
        Section("Table size and convergence", [steps]),
        Section("Charts", figures),
        Section("Manifest", [record]),
    ]
    return write_report(out / "report.html", f"Calibration {cal.spec.name}", sections)
