"""``leverage-sim explore`` (:func:`explore`): plan and run the sweep (resumable), find the answer
(:mod:`.exploration`), and write its files — the tables, ``explore.json``, ``explore.png`` and
``report.html`` (:mod:`.explore_report`)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from leverage_sim.analysis.exploration import (
    FILES,
    SWEEP,
    Exploration,
    Question,
    build_spec,
    from_sweep,
    plain,
)
from leverage_sim.analysis.explore_report import explore_chart, explore_report
from leverage_sim.analysis.robust import (
    DEFAULT_HOLDS,
    parse_limits,
)
from leverage_sim.errors import InputError
from leverage_sim.files.output_dir import claim_output
from leverage_sim.files.safe_text import shell_word
from leverage_sim.sweep import run_sweep
from leverage_sim.sweep.engine import plan_sweep
from leverage_sim.sweep.spec import default_folder
from leverage_sim.sweep.storage import MANIFEST


def explore(target: str | None, levers: Iterable[str] = (), *, holds: str = DEFAULT_HOLDS,
            hold_at_least: float = 0.6, limits: Mapping[str, float] | Iterable[str] = (),
            percentile: float = 90.0, replications: int | None = None, seed: int | None = None,
            design: str | None = None, samples: int | None = None, posterior: str | None = None,
            overrides: Mapping[str, Any] | Iterable[str] | None = None, quick: bool = False,
            out: str | Path | None = None, executor: str = "local", workers: int | None = None,
            scheduler: str | None = None, resume: bool = False, force: bool = False,
            quiet: bool = True, scenario_dirs: tuple[str | Path, ...] = ()) -> Exploration:
    """Which lever settings keep enforcement holding, within cost limits, across the
    parameter uncertainty (see the module docstring and docs/explore.md).

    Args:
        target: a scenario (then give ``levers``) or a sweep file (its parameters are the
            levers); None with ``resume`` (the stored sweep is continued).
        levers: ``PATH=SPEC`` as ``--param`` takes them: ``lo:hi:n`` (n values), ``a,b,c``,
            ``lo:hi`` (continuous, for the lhs/random designs).
        holds: comma-separated conditions on the run summary, all true when enforcement holds.
        hold_at_least: share of runs (0-1] that must hold with costs within ``limits``.
        limits: {cost: maximum per run} or ``["attacks=80", ...]`` (summary columns).
        percentile: percentile (0-100) of each cost reported per setting.
        replications: runs (posterior draws) per lever setting (default :data:`REPLICATIONS`).
        posterior: ``default`` (the committed calibration, the default here), ``none`` or a
            calibration folder.
        quick: :data:`QUICK` sizes, for a smoke test.
        out: output folder (default ``results/explore/NAME``); see :data:`FILES`.
        executor, workers, scheduler, quiet: as :func:`leverage_sim.sweep.run_sweep`.
        resume: continue an interrupted exploration in ``out`` (only missing runs run).
        force: replace an ``out`` folder leverage-sim wrote.

    Returns:
        The :class:`Exploration`, also written to ``out``.
    """
    question = Question(holds, hold_at_least, parse_limits(limits), percentile)
    spec = None
    if target is not None:
        spec = build_spec(target, levers, replications=replications, seed=seed, design=design,
                          samples=samples, posterior=posterior, overrides=overrides,
                          quick=quick)
        plan_sweep(spec, scenario_dirs)  # every lever value checked before the folder is made
    elif not resume:
        raise InputError("Give a scenario (with levers) or a sweep file to explore, or "
                         "resume=True (--resume) with the folder of an interrupted one.")
    else:
        given = {"levers": levers, "replications": replications, "seed": seed,
                 "design": design, "samples": samples, "posterior": posterior,
                 "overrides": overrides, "quick": quick, "scenario_dirs": scenario_dirs}
        ignored = [f"{name} ({RUN_OPTIONS[name]})" for name, value in given.items()
                   if value is not None and value is not False and not _is_empty(value)]
        if ignored:
            raise InputError(
                f"--resume without a scenario or sweep file continues the stored exploration "
                f"as it is, so {', '.join(ignored)} would be ignored. Drop them (--holds, "
                "--hold-at-least, --max and --percentile do apply: they re-ask the question), "
                "or give the scenario or sweep file too, with the same options, to check them "
                "against the stored sweep, or start a new exploration in another --out.")
    if out is None:
        if spec is None:
            raise InputError("--resume needs --out DIR, the folder of the exploration.")
        out = default_folder(Path("results") / "explore", spec.name)
    with claim_output(out, "explore", force=force, resume=resume, staged=False,
                      files=FILES) as folder:
        stored = folder.target / SWEEP / MANIFEST
        if resume and spec is None and not stored.is_file():
            raise InputError(
                f"{stored} is missing, so '{folder.target}' holds no exploration's runs to "
                "continue (its sweep/ folder, or that file, was deleted or moved). Put it back, "
                "or run the exploration again: give the scenario (or sweep file) and its "
                "levers with --force to replace the folder.")
        target_dir = folder.begin()
        sweep_dir = target_dir / SWEEP
        again = resume and (sweep_dir / MANIFEST).is_file()
        try:
            run_sweep(spec, sweep_dir, executor=executor, workers=workers, scheduler=scheduler,
                      resume=again, quiet=quiet, scenario_dirs=scenario_dirs)
        except BaseException:
            if not resume and not sweep_dir.exists():
                folder.undo_begin()  # nothing ran: leave no half-made folder behind
            elif (sweep_dir / MANIFEST).is_file():
                folder.keep()  # the runs done are kept, whatever stopped the sweep
                print(f"To finish the exploration (the missing runs, then the answer): "
                      f"leverage-sim explore --resume --out {shell_word(folder.target)}",
                      file=sys.stderr)
            raise
        folder.keep()  # the sweep is done: a failure writing the answer must not lose it
        try:
            exp = from_sweep(sweep_dir, question)
            exp.out = folder.target
            write(exp, target_dir)
        except BaseException:
            print(f"The sweep's runs are kept in {sweep_dir}; to write the answer from them: "
                  f"leverage-sim explore --resume --out {shell_word(folder.target)}",
                  file=sys.stderr)
            raise
    return exp


RUN_OPTIONS = {"levers": "--lever", "replications": "-n", "seed": "--seed",
               "design": "--design", "samples": "--samples", "posterior": "--posterior",
               "overrides": "--set", "quick": "--quick", "scenario_dirs": "--scenario-dir"}
"""What defines an exploration's runs (the keyword and the option): a resume without a target
would ignore them, so it refuses them."""


def _is_empty(value: Any) -> bool:
    """Whether ``value`` is an empty text, list, tuple or mapping (an option not given)."""
    return isinstance(value, str | list | tuple | Mapping) and len(value) == 0


PRIM_TABLES = ("prim_trajectory.csv", "prim_box.csv")
TREE_TABLES = ("tree_leaves.csv",)


def write(exp: Exploration, out: Path) -> None:
    """The tables, ``explore.json``, ``explore.png`` and ``report.html`` of ``exp`` in
    ``out``."""
    import matplotlib.pyplot as plt

    exp.settings.to_csv(out / "settings.csv", index=False)
    # a table this answer has no content for is removed, so that a resumed exploration with a
    # new question never leaves the last question's box or leaves beside this one's figures
    for name in PRIM_TABLES + TREE_TABLES:
        (out / name).unlink(missing_ok=True)
    if exp.prim is not None:
        exp.prim.trajectory.to_csv(out / "prim_trajectory.csv", index_label="box")
        exp.prim.box(exp.box).to_csv(out / "prim_box.csv")
    if exp.tree is not None:
        tree = exp.tree.copy()
        tree["limits"] = tree["limits"].map(lambda d: json.dumps(plain(d)))
        tree.to_csv(out / "tree_leaves.csv", index=False)
    (out / "explore.json").write_text(json.dumps(exp.figures(), indent=1) + "\n",
                                      encoding="utf-8")
    fig = explore_chart(exp)
    fig.savefig(out / "explore.png", dpi=110)
    explore_report(exp, out, fig)
    plt.close(fig)
