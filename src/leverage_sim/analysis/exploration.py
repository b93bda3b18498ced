"""Which combinations of levers keep enforcement holding? (``leverage-sim explore``)

A sweep over the levers an analyst names (dotted parameter paths with ranges), with
replications at each lever setting, each replication drawing the calibrated parameters from a
posterior (the committed calibration by default), run by the sweep engine
(:func:`leverage_sim.sweep.run_sweep`: its designs, seeds, executors and resume). Then, on the
per-run indicator "enforcement holds and every cost is within its limit"
(:mod:`leverage_sim.analysis.robust`):

- robustness metrics per lever setting over the posterior's draws (share of runs meeting the
  goal with its exact interval, percentiles of each cost) and the settings no other beats on
  all of them (the robust candidates);
- scenario discovery over the levers: PRIM boxes (coverage, density) and a shallow decision
  tree (:mod:`leverage_sim.analysis.discovery`);
- the answer in one sentence, every number computed: the PRIM box with the highest coverage
  among those where at least ``hold_at_least`` of the runs meet the goal, and in it the share
  of runs in which enforcement holds (exact interval), the share at the worst lever setting
  inside it, and the spread of each cost.

The output folder holds the sweep (``sweep/``), the tables (CSV), ``explore.json`` (the
question and every figure of the answer), ``explore.png`` and ``report.html``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from leverage_sim.analysis.discovery import PrimResult, prim, tree_leaves
from leverage_sim.analysis.robust import (
    DEFAULT_HOLDS,
    check_question,
    goal_columns,
    parse_limits,
    robustness,
)
from leverage_sim.errors import InputError
from leverage_sim.files.output_dir import RECORD
from leverage_sim.files.safe_yaml import as_written
from leverage_sim.scenario import labels
from leverage_sim.scenario import overrides as ov
from leverage_sim.scenario.limits import as_list
from leverage_sim.scenario.schema import GENERIC_FORCE
from leverage_sim.sweep import SweepSpec, load_sweep, summarise
from leverage_sim.sweep.results import base_label
from leverage_sim.sweep.spec import is_sweep_file, parse_params
from leverage_sim.sweep.storage import FILES as SWEEP_FILES
from leverage_sim.sweep.storage import MANIFEST

EXPLORE_POSTERIOR = "default"
"""Each run draws its calibrated parameters from the committed calibration unless asked
otherwise (``posterior="none"``): the answer is across the parameter uncertainty."""
REPLICATIONS = 40
"""Runs (posterior draws) per lever setting by default."""
QUICK = {"values": 3, "replications": 8, "samples": 12}
"""``--quick``: at most 3 values per lever, 8 runs per setting, 12 points for sampled designs."""
LEVEL = 0.9
"""Interval level of every share and spread reported."""
PRIM_ALPHA, PRIM_MASS = 0.05, 0.05
TREE_DEPTH = 3
SWEEP = "sweep"
FILES = ("explore.json", "report.html", "explore.png", "settings.csv", "prim_trajectory.csv",
         "prim_box.csv", "tree_leaves.csv", *(f"{SWEEP}/{name}" for name in (*SWEEP_FILES, RECORD)),
         f".{SWEEP}.lock")
"""What ``explore`` writes in its folder (glob patterns; ``sweep/`` is the sweep's folder, of
which only the sweep's own files count: a user's file put there is never replaced)."""


@dataclass(frozen=True)
class Question:
    """What counts as success: ``holds`` (comma-separated conditions on the run summary, all
    true), ``limits`` ({cost: maximum per run}), the share of runs that must meet both
    (``hold_at_least``, 0-1] and the percentile (0-100) by which costs are judged."""

    holds: str = DEFAULT_HOLDS
    hold_at_least: float = 0.6
    limits: Mapping[str, float] = field(default_factory=dict)
    percentile: float = 90.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "limits", parse_limits(self.limits))
        check_question(self.holds, self.limits, self.hold_at_least, self.percentile)

    def describe(self, force: str = GENERIC_FORCE) -> str:
        """The goal in words (``force``: the foreign force's label)."""
        within = " and ".join(f"{labels.label(c, unit=False, force=force)} ≤ {v:g}"
                              for c, v in self.limits.items())
        return "enforcement holds" + (f" with {within} per run" if within else "")


def build_spec(target: str, levers: Iterable[str] = (), *, replications: int | None = None,
               seed: int | None = None, design: str | None = None, samples: int | None = None,
               posterior: str | None = None, overrides: Mapping[str, Any] | Iterable[str]
               | None = None, quick: bool = False) -> SweepSpec:
    """The sweep over the levers: a sweep file (its parameters are the levers; ``levers`` add
    to them) or a scenario with ``levers`` like ``foreign_forces.backing=0:1:5``. Replications
    default to :data:`REPLICATIONS` (or the file's), the posterior to
    :data:`EXPLORE_POSTERIOR` (or the file's)."""
    levers = as_list(levers, (str,))  # one lever, not its letters
    if is_sweep_file(target):
        spec = SweepSpec.from_file(target)
        held, new = ov.normalise(overrides), parse_params(levers, "--lever")
        _refuse_held_levers(new, held)
        _refuse_held_levers(spec.parameters, held, "a parameter of the sweep file")
        spec = spec.with_changes(parameters=new or None, overrides={**spec.overrides, **held},
                                 design=design, samples=samples, replications=replications,
                                 seed=seed, posterior=posterior or spec.posterior
                                 or EXPLORE_POSTERIOR)
    else:
        if not levers:
            raise InputError(f"Name the levers to explore: e.g. `leverage-sim explore {target} "
                             "--lever foreign_forces.backing=0:1:5 --lever "
                             "foreign_forces.presence=0:10000:5` (PATH=lo:hi:n, n values), "
                             "or give a sweep file whose parameters are the levers.")
        overrides = ov.normalise(overrides)
        _refuse_held_levers(parse_params(levers, "--lever"), overrides)
        spec = SweepSpec.from_cli(target, levers, design=design or "grid", samples=samples,
                                  replications=REPLICATIONS if replications is None
                                  else replications, seed=seed,
                                  overrides=overrides, posterior=posterior or EXPLORE_POSTERIOR,
                                  name=f"{Path(target).stem}_explore", option="--lever")
    text = [p for p, lever in spec.parameters.items() if lever.discrete is not None
            and not all(isinstance(v, int | float) and not isinstance(v, bool)
                        for v in lever.discrete)]
    if text:
        raise InputError(f"Lever{'s' * (len(text) > 1)} {', '.join(text)}: explore needs "
                         "numeric levers (ranges or lists of numbers), since PRIM and the tree "
                         "look for ranges of them; compare named alternatives with "
                         "`leverage-sim compare` instead.")
    return quicken(spec) if quick else spec


def _refuse_held_levers(levers: Iterable[str], held: Mapping[str, Any],
                        given: str = "--lever") -> None:
    """An :class:`InputError` in explore's words if ``--set`` (``held``) fixes a lever (one
    field, however spelt, or a section holding it): the sweep's own check would speak of a
    parameter "both swept and fixed". A path that is no path is left to the sweep's checks."""
    try:
        clash = ov.first_overlap(held, levers)
    except InputError:
        return
    if clash is not None:
        fixed, lever = clash
        raise InputError(f"Lever {lever} ({given}) is also set by --set {fixed}="
                         f"{as_written(held[fixed], 60)}: explore varies a lever over its "
                         "values, and --set holds a field at one value in every run, so both "
                         f"cannot hold. Drop --set {fixed} to explore the lever, or drop the "
                         "lever to hold the field at that value.")


def quicken(spec: SweepSpec) -> SweepSpec:
    """``spec`` at :data:`QUICK` sizes (a smoke test: seconds, not minutes)."""
    params = {}
    for path, p in spec.parameters.items():
        values = p.discrete
        if values is not None and len(values) > QUICK["values"]:
            keep = np.linspace(0, len(values) - 1, QUICK["values"]).round().astype(int)
            params[path] = {"values": [values[i] for i in keep]}
    samples = (min(spec.samples, QUICK["samples"]) if spec.design in ("lhs", "random")
               else None)
    return spec.with_changes(parameters=params or None, samples=samples,
                             replications=min(spec.replications, QUICK["replications"]))


@dataclass
class Exploration:
    """The answer (see the module docstring). ``runs``: one row per successful run with the
    lever columns, summary figures and ``holds``/``within_limits``/``goal``; ``settings``:
    :func:`~leverage_sim.analysis.robust.robustness`; ``prim``/``box``: the PRIM result and
    the selected box's index (None when no run meets the goal); ``tree``: decision-tree
    leaves; ``answer``: every figure of the headline (see :func:`answer`)."""

    question: Question
    levers: list[str]
    runs: pd.DataFrame
    settings: pd.DataFrame
    prim: PrimResult | None
    box: int | None
    tree: pd.DataFrame | None
    answer: dict[str, Any]
    about: dict[str, Any] = field(default_factory=dict)
    out: Path | None = None
    force: str = GENERIC_FORCE
    """The foreign force's label in the texts (the base scenario's)."""

    def subject(self) -> str:
        """The scenario explored, with the fixed changes (``--set``) made to it."""
        changed = ", ".join(f"{k}={v}" for k, v in self.about.get("overrides", {}).items())
        return f"{self.about.get('base', '?')}" + (f" (with {changed})" if changed else "")

    def sentence(self) -> str:
        """The answer in words (every number computed; see :func:`sentence`)."""
        return sentence(self.answer, self.question, self.about.get("uncertainty", ""),
                        self.force)

    def text(self) -> str:
        """What the CLI prints: what was run, the answer, the robust settings."""
        a = self.about
        q = self.question
        run = (f"Explored {self.subject()}: {len(self.levers)} lever"
               f"{'s' * (len(self.levers) != 1)} ({', '.join(self.levers)}), "
               f"{len(self.settings)} settings × {a.get('replications', '?')} runs = "
               f"{len(self.runs)} runs ({a.get('errors', 0)} failed), master seed "
               f"{a.get('seed', '?')}, parameters {a.get('uncertainty', '?')}"
               + (f" (posterior {a['posterior']})" if a.get("posterior") else "") + ".")
        goal = (f"Goal: {q.describe(self.force)} ({q.holds}) in at least "
                f"{q.hold_at_least:.0%} of runs.")
        table = (f"Lever settings, robust ones first (goal share [{LEVEL:.0%} interval]; costs "
                 f"at the {q.percentile:g}th percentile of runs):")
        lines = [run, goal, "", self.sentence(), "", table]
        lines.append(settings_text(self.settings, self.levers, self.question).to_string(
            index=False))
        return "\n".join(lines)

    def figures(self) -> dict[str, Any]:
        """``explore.json``: the question, what was run and every figure of the answer."""
        return plain({"question": {"holds": self.question.holds,
                                    "hold_at_least": self.question.hold_at_least,
                                    "limits": dict(self.question.limits),
                                    "percentile": self.question.percentile},
                       "levers": self.levers, "run": self.about, "answer": self.answer,
                       "sentence": self.sentence(),
                       "settings_meeting_goal": int(self.settings["meets"].sum()),
                       "settings": len(self.settings)})


def analyse(runs: pd.DataFrame, levers: Sequence[str], question: Question,
            seed: int = 0, force: str = GENERIC_FORCE) -> Exploration:
    """Robustness metrics, PRIM, tree and the headline for a sweep table (one row per run;
    failed runs, those with an ``error``, are left out; ``force``: the foreign force's
    label)."""
    if "error" in runs:
        runs = runs[runs["error"].isna()]
    if runs.empty:
        raise InputError("No run succeeded, so there is nothing to explore; see the errors in "
                         "the sweep's summary table (leverage_sim.load_sweep).")
    levers = list(levers)
    runs = goal_columns(runs.reset_index(drop=True), question.holds, question.limits)
    settings = robustness(runs, levers, list(question.limits), question.hold_at_least,
                          question.percentile, LEVEL)
    x, goal = runs[levers], runs["goal"].to_numpy()
    result = box = tree = None
    if goal.any():
        result = prim(x, goal, alpha=PRIM_ALPHA, mass_min=PRIM_MASS)
        box = result.select(min_density=question.hold_at_least)
        tree = tree_leaves(x, goal, max_depth=TREE_DEPTH, seed=seed)
    return Exploration(question, levers, runs, settings, result, box, tree,
                       answer(runs, levers, question, result, box, force), force=force)


def answer(runs: pd.DataFrame, levers: Sequence[str], question: Question,
           result: PrimResult | None, box: int | None,
           force: str = GENERIC_FORCE) -> dict[str, Any]:
    """The headline's figures: the box's conditions (in words naming the foreign force
    ``force``), coverage, density and mass; in the box the shares of runs holding and meeting
    the goal (exact intervals), the lowest share at one setting, and each cost's median and
    central spread; ``reaches``: whether the box's goal share reaches ``hold_at_least``."""
    inside = (result.inside(runs, box) if result is not None
              else np.zeros(len(runs), dtype=bool))
    total = {k: _share(runs[k]) for k in ("holds", "goal")}
    out: dict[str, Any] = {"runs": len(runs), "overall": total, "found": result is not None}
    if result is None:
        return out
    limits = result.box(box)
    stats = result.trajectory.loc[box]
    part = runs[inside]
    per_setting = part.groupby(list(levers))[["holds", "goal"]].mean()
    out.update(
        conditions=[condition(p, row, force) for p, row in limits.iterrows()],
        box={p: {"low": float(r["low"]), "high": float(r["high"])} for p, r in limits.iterrows()},
        coverage=float(stats["coverage"]), density=float(stats["density"]),
        mass=float(stats["mass"]), runs_in_box=int(inside.sum()),
        settings_in_box=len(per_setting), holds=_share(part["holds"]),
        goal=_share(part["goal"]), worst_setting_holds=float(per_setting["holds"].min()),
        worst_setting_goal=float(per_setting["goal"].min()),
        reaches=bool(stats["density"] >= question.hold_at_least),
        costs={c: _spread(part[c]) for c in dict.fromkeys([*question.limits, "attacks"])},
    )
    return out


def _share(values: pd.Series) -> dict[str, float]:
    row = summarise(pd.DataFrame({"x": values.astype(bool)}), outcomes=["x"], by=[],
                    level=LEVEL).iloc[0]
    return {"share": float(row["x_share"]), "low": float(row["x_low"]),
            "high": float(row["x_high"]), "n": int(row["n"])}


def _spread(values: pd.Series) -> dict[str, float]:
    a = (1 - LEVEL) / 2
    v = values.to_numpy(dtype=float)
    return {"median": float(np.median(v)), "low": float(np.quantile(v, a)),
            "high": float(np.quantile(v, 1 - a)), "mean": float(v.mean())}


def number(v: float) -> str:
    """A lever value or cost as written in the answer: up to 4 significant digits, no
    exponent (5000, 0.25, 12.5)."""
    return f"{v:,.4g}" if abs(v) < 1e4 else f"{v:,.0f}"


def condition(path: str, row: pd.Series, force: str = GENERIC_FORCE) -> str:
    name = labels.label(path, unit=False, force=force)
    low, high = row["low"] > row["min"], row["high"] < row["max"]
    if row["low"] == row["high"]:
        return f"{name} = {number(row['low'])}"
    if low and high:
        return f"{name} between {number(row['low'])} and {number(row['high'])}"
    return f"{name} ≥ {number(row['low'])}" if low else f"{name} ≤ {number(row['high'])}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _interval(s: Mapping[str, float]) -> str:
    return f"{_pct(s['share'])} [{LEVEL:.0%} interval {_pct(s['low'])}–{_pct(s['high'])}]"


def sentence(ans: Mapping[str, Any], question: Question, uncertainty: str = "",
             force: str = GENERIC_FORCE) -> str:
    """The answer in words, from :func:`answer`'s figures (``uncertainty``: how the runs'
    parameters were set, e.g. "across the calibrated parameter uncertainty"; ``force``: the
    foreign force's label)."""
    across = f" {uncertainty}" if uncertainty else ""
    if not ans["found"]:
        return (f"In none of the {ans['runs']} runs{across} does {question.describe(force)}: no "
                f"lever setting in the ranges explored meets the goal (enforcement holds in "
                f"{_interval(ans['overall']['holds'])} of all runs).")
    conds = ans["conditions"]
    where = (", ".join(conds[:-1]) + " and " + conds[-1] if len(conds) > 1 else
             conds[0] if conds else "any setting of the levers in the ranges explored")
    limits = " and ".join(f"{labels.label(c, unit=False, force=force)} ≤ {v:g}"
                          for c, v in question.limits.items())
    costs = "; ".join(f"{labels.label(c, unit=False, force=force)}: median "
                      f"{number(s['median'])} per run "
                      f"({LEVEL:.0%} of runs {number(s['low'])}–{number(s['high'])})"
                      for c, s in ans["costs"].items())
    head = "" if ans["reaches"] else (
        f"No range of the levers reaches the goal in {_pct(question.hold_at_least)} of runs; "
        "the closest: ")
    k = ans["settings_in_box"]
    return (f"{head}With {where}, enforcement holds in {_interval(ans['holds'])} of runs"
            f"{across}, and in at least {_pct(ans['worst_setting_holds'])} at each of the {k} "
            f"lever setting{'s' * (k != 1)} in that range ({ans['runs_in_box']} runs)"
            + (f"; it holds with {limits} per run in {_interval(ans['goal'])} (at least "
               f"{_pct(ans['worst_setting_goal'])} at each setting)" if limits else "")
            + f". {costs[0].upper() + costs[1:]}. This range holds {_pct(ans['coverage'])} of "
            f"all the runs that meet the goal (PRIM coverage; density "
            f"{_pct(ans['density'])}).")


def settings_text(settings: pd.DataFrame, levers: Sequence[str], question: Question,
                  rows: int = 10) -> pd.DataFrame:
    """The robust candidates as printed: settings on the Pareto front first (best goal share
    first), up to ``rows``."""
    q = f"p{question.percentile:g}"
    shown = settings.sort_values(["pareto", "goal_share"], ascending=False, kind="stable")
    shown = shown.head(rows)
    out = pd.DataFrame({p: shown[p].map(number) for p in levers})
    out["runs"] = shown["n"].to_numpy()
    out["goal met"] = [f"{_pct(s)} [{_pct(lo)}, {_pct(hi)}]" for s, lo, hi in
                       zip(shown["goal_share"], shown["goal_low"], shown["goal_high"])]
    out["holds"] = [f"{_pct(s)}" for s in shown["holds_share"]]
    for c in question.limits:
        out[f"{c} {q}"] = shown[f"{c}_{q}"].map(number).to_numpy()
    out["meets"] = np.where(shown["meets"], "yes", "")
    out["robust"] = np.where(shown["pareto"], "yes", "")
    return out


def plain(obj: Any) -> Any:
    """JSON-ready: numpy scalars to Python, NaN to None."""
    if isinstance(obj, Mapping):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [plain(v) for v in obj]
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def uncertainty_words(manifest: Mapping[str, Any]) -> str:
    """How the runs' parameters were set, in words, from a sweep manifest."""
    record = manifest.get("posterior")
    if not record:
        return "at the scenario's own parameter values (no posterior)"
    return "across the calibrated parameter uncertainty"


def from_sweep(out: str | Path, question: Question, levers: Sequence[str] | None = None
               ) -> Exploration:
    """:func:`analyse` the sweep stored in ``out`` (levers: its swept parameters)."""
    runs = load_sweep(out)
    manifest = json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))
    spec = manifest["spec"]
    exp = analyse(runs, levers or runs.attrs["parameters"], question, seed=0,
                  force=base_label(manifest["base_scenario"]))
    exp.about = {"base": spec["base"], "sweep": spec["name"], "design": spec["design"],
                 "replications": spec["replications"], "seed": spec["seed"],
                 "posterior": (manifest.get("posterior") or {}).get("path"),
                 "uncertainty": uncertainty_words(manifest),
                 "overrides": spec.get("overrides") or {},
                 "errors": int(runs["error"].notna().sum()), "sweep_folder": str(out)}
    return exp
