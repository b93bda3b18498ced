"""What ``leverage-sim calibrate`` writes: the posterior, diagnostics, manifest and charts.

- ``posterior.parquet``: the final generation, one row per particle, one column per free
  parameter (named by its override path, integer parameters as integers) and ``weight``
  (summing to 1);
- ``diagnostics.csv``: per generation, epsilon, particles, simulations, acceptance rate and
  effective sample size;
- ``manifest.json``: config and episode files with hashes, parameters and priors, the
  base scenario's values, facts, seed, budget, versions, generations, status;
- ``marginals.png``, ``pairs.png``, ``predictive.png``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import platform
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pyabc

from leverage_sim.calibration import charts
from leverage_sim.calibration.config import Calibration, Parameter
from leverage_sim.calibration.episodes import EPISODE_DIR, LoadedEpisode, load_episode
from leverage_sim.calibration.smc import (
    VALUE,
    Outcome,
    Target,
    effective_sample_size,
    posterior_frame,
)
from leverage_sim.files.version import installed_version
from leverage_sim.simulation import model_fingerprint
from leverage_sim.simulation.posterior import value_at
from leverage_sim.simulation.provenance import repository_path

MANIFEST_KIND = "leverage-sim calibration"


def posterior(history: pyabc.History, parameters: list[Parameter]) -> pd.DataFrame:
    """The last generation's particles: a column per parameter path, and ``weight``."""
    return as_parameter_values(posterior_frame(history, [p.prior for p in parameters]),
                               parameters)


def as_parameter_values(frame: pd.DataFrame, parameters: list[Parameter]) -> pd.DataFrame:
    """``frame`` with its integer parameters' columns rounded to integers (in place)."""
    for p in parameters:
        if p.integer:
            frame[p.path] = np.rint(frame[p.path]).astype("int64")
    return frame


def diagnostics(history: pyabc.History) -> pd.DataFrame:
    """One row per generation: epsilon, particles, simulations, acceptance rate, ESS."""
    pops = history.get_all_populations()
    pops = pops[pops["t"] >= 0]
    ess = [effective_sample_size(history.get_distribution(m=0, t=int(t))[1]) for t in pops["t"]]
    return pd.DataFrame({
        "generation": pops["t"].astype(int).to_numpy(),
        "epsilon": pops["epsilon"].to_numpy(),
        "particles": pops["particles"].astype(int).to_numpy(),
        "simulations": pops["samples"].astype(int).to_numpy(),
        "acceptance_rate": (pops["particles"] / pops["samples"]).to_numpy(),
        "effective_sample_size": ess,
    })


def predictive_values(history: pyabc.History, targets: list[Target]
                      ) -> tuple[pd.DataFrame, np.ndarray]:
    """Simulated fact values of the last generation's particles, and their weights."""
    weights, stats = history.get_weighted_sum_stats(t=history.max_t)
    values = pd.DataFrame({t.name: [float(s[VALUE + t.name]) for s in stats] for t in targets})
    return values, np.asarray(weights, dtype=float) / np.sum(weights)


def _episode_entry(ep: LoadedEpisode) -> dict[str, Any]:
    return {"name": ep.name, "file": repository_path(ep.path), "sha256": ep.sha256,
            "role": ep.spec.role, "scenario_sha256": ep.scenario_sha256()}


def fitted_scenarios(cal: Calibration) -> dict[str, dict[str, float | int]]:
    """Per scenario a fitted episode runs on, the values its calibrated parameters have there
    (see :meth:`leverage_sim.simulation.posterior.Posterior.base_for`)."""
    out: dict[str, dict[str, float | int]] = {}
    for ep in cal.episodes:
        scenario = ep.scenario()
        values = out.setdefault(scenario.name, {})
        for p in cal.parameters:
            if p.path in ep.fixed():  # the episode's own value, not its scenario's
                continue
            with contextlib.suppress(LookupError):
                values[p.path] = p.cast(float(value_at(scenario, p.path)))
    return out


def manifest_fields(cal: Calibration, seed: int, quick: bool) -> dict[str, Any]:
    """What every calibration manifest records, whatever the method: the config, base values
    (of the base scenario and of each fitted scenario), parameters and priors, episodes
    (fitted and held out), facts, seed, model fingerprint."""
    fitted = {ep.name for ep in cal.episodes}
    held_out = [load_episode(f) for f in sorted(EPISODE_DIR.glob("*.yaml"))
                if f.stem not in fitted]
    return {
        "kind": MANIFEST_KIND,
        "method": cal.spec.method,
        "name": cal.spec.name,
        "config": {"path": repository_path(cal.path), "sha256": cal.sha256},
        "base_scenario": {"name": cal.spec.base_scenario,
                          "values": {p.path: p.cast(p.base_value) for p in cal.parameters}},
        "fitted_scenarios": fitted_scenarios(cal),
        "parameters": [{"path": p.path, "family": p.prior.family, "low": p.prior.low,
                        "high": p.prior.high, "integer": p.integer,
                        "schema_range": list(p.schema_range), "why": p.why}
                       for p in cal.parameters],
        "episodes": [_episode_entry(ep) for ep in cal.episodes]
        + [_episode_entry(ep) for ep in held_out if ep.spec.role == "held_out"],
        "facts": [{"name": t.name, "observed": t.observed, "low": t.low, "high": t.high}
                  for t in cal.targets()],
        "quick": quick,
        "seed": seed,
        "model_fingerprint": model_fingerprint.fingerprint(),
    }


def manifest(cal: Calibration, seed: int, quick: bool, diag: pd.DataFrame, status: str,
             seconds: float) -> dict[str, Any]:
    """The ABC-SMC manifest: what was fitted to what, how, with which software, and how it
    ended (``status`` "running" while it runs, then "complete" or "interrupted")."""
    import mesa

    budget = cal.spec.quick if quick else cal.spec.budget
    return {
        **manifest_fields(cal, seed, quick),
        "distance": cal.spec.distance.model_dump(),
        "budget": budget.model_dump(),
        "versions": {"leverage_sim": installed_version(), "mesa": mesa.__version__,
                     "pyabc": pyabc.__version__, "python": platform.python_version()},
        "generations": len(diag),
        "simulations": int(diag["simulations"].sum()) if len(diag) else 0,
        "status": status,
        "seconds": round(seconds, 1),
        "history": "history.db",
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def write(out: Path, cal: Calibration, outcome: Outcome, seed: int, quick: bool
          ) -> list[Path]:
    """Write the posterior, diagnostics, manifest and charts to ``out``; the paths written.
    With no generation finished, only the manifest (status and what is missing)."""
    history = outcome.history
    diag = diagnostics(history) if history.max_t >= 0 else pd.DataFrame()
    written = []
    if history.max_t >= 0:
        post = posterior(history, cal.parameters)
        post.to_parquet(out / "posterior.parquet", index=False)
        diag.to_csv(out / "diagnostics.csv", index=False)
        written += [out / "posterior.parquet", out / "diagnostics.csv"]
        targets = cal.targets()
        values, weights = predictive_values(history, targets)
        base = {p.path: p.base_value for p in cal.parameters}
        figures = {"marginals.png": charts.marginals(post, [p.prior for p in cal.parameters],
                                                     base),
                   "pairs.png": charts.pairs(post, [p.prior for p in cal.parameters]),
                   "predictive.png": charts.predictive(values, weights, targets)}
        for name, fig in figures.items():
            fig.savefig(out / name, dpi=90)
            plt.close(fig)
            written.append(out / name)
    record = manifest(cal, seed, quick, diag, outcome.status, outcome.seconds)
    page = report(out, cal, record, diag, written)
    return [*written, write_manifest(out, record), page]  # the manifest last: its status


def write_manifest(out: Path, record: dict[str, Any]) -> Path:
    """``out/manifest.json`` (through a temporary file: complete or absent)."""
    path = out / "manifest.json"
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def report(out: Path, cal: Calibration, record: dict, diag: pd.DataFrame,
           written: list[Path]) -> Path:
    """``out/report.html``: the posterior against the priors, the diagnostics per generation,
    the charts and the manifest, in one self-contained page."""
    from leverage_sim.files.report_html import Section, write_report

    sections = [Section("Calibration", [
        (f"**{cal.spec.name}**: {len(cal.parameters)} parameters fitted to "
        f"{len(cal.targets())} facts of {', '.join(cal.spec.episodes)} by ABC-SMC (pyabc); "
        f"status **{record['status']}**, {record['generations']} generations, "
        f"{record['simulations']} simulations, seed {record['seed']}.")])]
    if len(diag):
        post = pd.read_parquet(out / "posterior.parquet")
        w = post["weight"].to_numpy()
        rows = []
        for p in cal.parameters:
            x = post[p.path].to_numpy()
            order = np.argsort(x)
            cum = np.cumsum(w[order]) / w.sum()
            q = [float(x[order][np.searchsorted(cum, c)]) for c in (0.05, 0.5, 0.95)]
            rows.append({"parameter": p.path, "prior": f"{p.prior.low:g} to {p.prior.high:g}",
                         "hand-tuned": p.base_value, "posterior median": round(q[1], 3),
                         "90% interval": f"{q[0]:.3g} to {q[2]:.3g}"})
        sections += [Section("Posterior against the prior", [pd.DataFrame(rows)]),
                     Section("Diagnostics per generation", [diag]),
                     Section("Charts", [p for p in written if p.suffix == ".png"])]
    sections.append(Section("Manifest", [record]))
    return write_report(out / "report.html", f"Calibration {cal.spec.name}", sections)
