"""Which model a result came from: a fingerprint of the model's code and defaults, and a
behavioural digest of a fixed set of runs.

A calibration is only meaningful for the model it was fitted to, so every calibration manifest
records both, and a posterior is used only with the model it knows (:func:`check_posterior`):

- :func:`code_fingerprint`: SHA-256 of the model layer's code (mechanisms, agents, the day's
  order, standoffs, scripted events, outcomes, the event log and the fast path, when present),
  read as syntax trees without docstrings, so comments, docstrings and layout do not count but
  every constant, operator and call does; plus the schema's default values. Cheap (tens of ms).
- :func:`behaviour_digest`: SHA-256 of the summary rows of a fixed set of short runs (the
  scenarios and seeds of :data:`DIGEST_RUNS`, at the scenarios' own values). A refactoring
  that changes the code but not one figure keeps the digest, so a posterior survives it; a
  changed mechanism constant changes both.

A posterior matches the running model when its code fingerprint matches, or, failing that, its
behaviour digest does (computed only then: a few hundred ms).
"""

from __future__ import annotations

import ast
import hashlib
import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

PACKAGE = Path(__file__).resolve().parent
MODEL_CODE = ("mechanisms", "agents", "fastpath", "model.py", "standoffs.py",
              "scripted_events.py", "outcomes.py", "event_log.py")
"""The model layer, relative to the package folder (a missing entry is skipped)."""

DIGEST_RUNS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("june_2020_replay", tuple(range(1, 21))),
    ("oct2019_dec2020", (1, 2, 3)),
    ("generic_proxy_state", tuple(range(1, 11))),
    ("basra_2008", tuple(range(1, 21))),
    ("lebanon_2008", tuple(range(1, 41))),
    ("dec2019_jan2020", (1, 2, 3)),
    ("najaf_2004", tuple(range(1, 21))),
)
"""(scenario, seeds) of the runs whose summaries make the behaviour digest, each over its own
horizon: the flagship replay (standoffs, relents, releases), the attack campaign (attacks,
strikes, drawdowns, scripted events), unscripted play (raids the government decides), and the
other scenarios of the shipped calibration's fit and held-out episodes that exercise what those
three rarely reach: operations (fighting, desertion, the US stepping into a fight, brokered
ceasefires; an army that stays out; a fight with US troops in it from its first day, Najaf's,
fitted since December 2026) and a retaliation crisis with parliament's expulsion vote.
Until December 2026 the digest had no operation, and a changed decision inside fights (the
government's believed contest) kept it, so a stale posterior and stale sweeps would have
matched the changed model; with five seeds each, so did a change to a brokered ceasefire's
terms, which shows in one Lebanon run in twenty (the operation runs are short: 60 of them
cost about a quarter of a second)."""


def _model_files() -> list[Path]:
    files: list[Path] = []
    for entry in MODEL_CODE:
        path = PACKAGE / entry
        if path.is_dir():
            files.extend(sorted(path.rglob("*.py")))
        elif path.is_file():
            files.append(path)
    return files


def _without_docstrings(tree: ast.AST) -> ast.AST:
    """``tree`` with every module, class and function docstring removed (in place)."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, str)):
                node.body = body[1:] or [ast.Pass()]
    return tree


def _defaults(model: type[BaseModel], prefix: str, seen: set[type]) -> Iterable[tuple[str, str]]:
    """(field path, repr of its default) for ``model`` and the models its fields hold."""
    if model in seen:
        return
    seen.add(model)
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        if info.default is not PydanticUndefined:
            yield path, repr(info.default)
        annotation = info.annotation
        for arg in (annotation, *getattr(annotation, "__args__", ())):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                yield from _defaults(arg, f"{path}.", seen)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 (hex) of the model layer's code without docstrings and of the schema's default
    values (see the module docstring)."""
    from leverage_sim.scenario.schema import Scenario

    h = hashlib.sha256()
    for path in _model_files():
        h.update(path.relative_to(PACKAGE).as_posix().encode())
        tree = _without_docstrings(ast.parse(path.read_text(encoding="utf-8")))
        h.update(ast.dump(tree, annotate_fields=False).encode())
    h.update(json.dumps(sorted(_defaults(Scenario, "", set()))).encode())
    return h.hexdigest()


@lru_cache(maxsize=1)
def behaviour_digest() -> str:
    """SHA-256 (hex) of the summary rows and the end states (standing, escalation, push, every
    belief) of the runs in :data:`DIGEST_RUNS` (agent path, scenario values, no daily tables):
    the end state sees a changed constant whose effect no count shows (the weight of a silent
    standoff day moves every belief, rarely an outcome)."""
    from leverage_sim.scenario.loader import load_scenario
    from leverage_sim.simulation.replication import simulate, summarise_run

    h = hashlib.sha256()
    for name, seeds in DIGEST_RUNS:
        scenario = load_scenario(name)
        for seed in seeds:
            model = simulate(scenario, seed, collect_data=False)
            row = summarise_run(model, seed, 0)
            row["end_state"] = _end_state(model)
            h.update(json.dumps(row, sort_keys=True, default=repr).encode())
    return h.hexdigest()


def _end_state(model) -> list[float]:
    """The run's final continuous state: the government's standing and beliefs, escalation,
    the patron's push, each militia's beliefs and the US's belief in its partner."""
    gov = model.government
    state = [gov.authority, gov.resolve, gov.coalition_support, gov.backing_belief.mean,
             gov.resistance_belief.mean, model.escalation, model.patron.instigation,
             model.foreign_force.partner_belief.mean]
    for m in model.militias:
        state += [m.backing_belief.mean, m.resolve_belief.mean, m.retaliation_belief.mean]
    return [float(x) for x in state]


def fingerprint() -> dict[str, str]:
    """What a manifest records of the model: ``{"code": ..., "behaviour": ...}``."""
    return {"code": code_fingerprint(), "behaviour": behaviour_digest()}


def matches(recorded: object) -> bool:
    """True when a manifest's ``model_fingerprint`` is the running model's: same code, or
    (after a refactoring) the same behaviour. A manifest without one, or with anything but a
    mapping there (an edited or damaged file), does not match."""
    if not recorded or not isinstance(recorded, Mapping):
        return False
    if recorded.get("code") == code_fingerprint():
        return True
    return recorded.get("behaviour") == behaviour_digest()
