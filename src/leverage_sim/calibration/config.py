"""Calibration files (``calibration/*.yaml``): what to fit, to what, and how hard to try.

A file names the fit episodes (held-out ones are refused), optionally a subset of their facts,
the free parameters by scenario override path with a prior on a documented plausible range
(inside the schema's own range), the ``method`` (``table``, the default: rejection ABC on a
growing reference table, regression-adjusted only with ``adjust: true``; ``smc``: pyabc's
ABC-SMC) and its budget (``table`` and
``table_quick``, or ``budget`` and ``quick`` for ``smc`` and its distance; the quick one for
tests). :func:`load_calibration` checks all of it before anything runs.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from leverage_sim.calibration.episodes import LoadedEpisode, fact_id, find_episode, load_episode
from leverage_sim.calibration.files import load_model
from leverage_sim.calibration.smc import SCALES, Budget, Prior, Target
from leverage_sim.errors import InputError
from leverage_sim.files.inputs_hash import file_sha256
from leverage_sim.files.safe_yaml import beside_file, require_file, require_path
from leverage_sim.scenario import overrides as ov
from leverage_sim.scenario.limits import repeated
from leverage_sim.scenario.loader import field_of, load_scenario
from leverage_sim.scenario.schema import Scenario, Strict
from leverage_sim.scenario.schema_base import Name, allowed_range

if TYPE_CHECKING:
    from leverage_sim.calibration.table_fit import TableBudget


class PriorSpec(Strict):
    """A prior on ``[low, high]``."""

    family: Literal["uniform", "loguniform"] = "uniform"
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> PriorSpec:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        if self.family == "loguniform" and self.low <= 0:
            raise ValueError("a loguniform prior needs low > 0")
        return self


class ParameterSpec(Strict):
    """A free parameter: its override path, prior, and why that range is plausible."""

    path: str
    prior: PriorSpec
    why: str = Field(..., min_length=1, description="the evidence or reasoning for the range")


class DistanceSpec(Strict):
    """Adaptive p-norm distance on the facts' misses."""

    p: float = Field(2.0, ge=1, le=10)
    scale: Literal[SCALES] = "combined_mean_absolute_deviation"  # type: ignore[valid-type]


class BudgetSpec(Strict):
    """ABC-SMC budget."""

    population_size: int = Field(..., ge=10, le=100_000)
    max_generations: int = Field(..., ge=1, le=100)
    min_epsilon: float = Field(0.0, ge=0)
    max_simulations: int = Field(..., ge=10, le=10_000_000,
                                 description="simulations after which no further generation "
                                 "starts (the table method's cap)")
    min_acceptance_rate: float = Field(0.0, ge=0, le=1)
    replications: int = Field(1, ge=1, le=100,
                              description="runs per episode and particle, facts averaged")

    @model_validator(mode="after")
    def _one_generation_fits(self) -> BudgetSpec:
        if self.max_simulations < self.population_size:
            raise ValueError(f"max_simulations ({self.max_simulations}) must be at least "
                             f"population_size ({self.population_size}): the first generation "
                             "alone simulates one particle each")
        return self

    def budget(self) -> Budget:
        return Budget(self.population_size, self.max_generations, self.min_epsilon,
                      self.max_simulations, self.min_acceptance_rate)


class TableBudgetSpec(Strict):
    """Table-method budget (:mod:`leverage_sim.calibration.table_fit`)."""

    start: int = Field(..., ge=50, le=10_000_000,
                       description="rows (simulations) of the first reference table")
    max_simulations: int = Field(..., ge=50, le=10_000_000,
                                 description="cap on the table's rows; never exceeded")
    accept: int = Field(500, ge=10, le=1_000_000,
                        description="rows nearest the record kept (at most a tenth of the table)")
    tolerance: float = Field(0.03, gt=0, lt=1,
                             description="largest move of a 5/50/95% posterior quantile, in "
                             "prior-CDF units, that counts as converged")
    truths: int = Field(200, ge=10, le=100_000,
                        description="held-out rows of the coverage check (at most a fifth)")
    predictive_runs: int = Field(200, ge=10, le=100_000,
                                 description="runs per source of the fit check")
    adjust: bool = Field(False, description="regression-adjust the accepted rows (Beaumont et "
                         "al. 2002) on their facts' misses, or with summaries: projected on "
                         "their summaries' gaps; off by default: on the facts, the 2020 record's "
                         "accepted rows miss it and the linear adjustment extrapolates "
                         "(docs/calibration.md)")
    balance: bool = Field(True, description="every episode counts equally in the distance "
                          "(each episode's distance over its median in the table, summed); "
                          "false: one Euclidean norm over all facts, in which episodes with "
                          "more facts or unavoidable misses dominate (docs/calibration.md)")
    summaries: Literal["facts", "projected"] = Field(
        "facts", description="what rows are compared on: 'facts' (the scaled misses, "
        "`balance` and `adjust` apply) or 'projected' (semi-automatic ABC: one learnt "
        "prediction per parameter from the facts, calibration/projected.py)")

    @model_validator(mode="after")
    def _within_cap(self) -> TableBudgetSpec:
        if self.start > self.max_simulations:
            raise ValueError(f"start ({self.start}) must not exceed max_simulations "
                             f"({self.max_simulations})")
        # the table never passes max_simulations rows, at most a tenth of them are kept and at
        # most a fifth held out as truths (TableBudget.estimator, table_fit.fit): more is never
        # used (the defaults, unwritten, are capped)
        for field, share, word, what in (("accept", 10, "tenth", "kept"),
                                         ("truths", 5, "fifth", "held out as truths")):
            asked, most = getattr(self, field), self.max_simulations // share
            if field in self.model_fields_set and asked > most:
                raise ValueError(
                    f"{field} ({asked}) asks for more rows than are ever {what}: at most a "
                    f"{word} of the table's rows are, and the table never passes "
                    f"max_simulations ({self.max_simulations}) rows, so {field} can be at most "
                    f"{most}. Lower {field}, or raise max_simulations to {share * asked} or "
                    "more")
        return self

    def budget(self) -> TableBudget:
        from leverage_sim.calibration.table_fit import TableBudget  # scikit-learn: on use

        return TableBudget(self.start, self.max_simulations, self.accept, self.tolerance,
                           self.truths, adjust=self.adjust, balance=self.balance,
                           summaries=self.summaries)


class CalibrationSpec(Strict):
    """One calibration file."""

    name: Name
    description: str = ""
    base_scenario: str = Field(..., description="scenario whose values the manifest reports "
                               "as the hand-tuned ones")
    seed: int = Field(..., ge=0, le=2**63 - 1)
    episodes: list[str] = Field(..., min_length=1)
    facts: list[str] | None = Field(None, description="episode.fact names (default: all)")
    parameters: list[ParameterSpec] = Field(..., min_length=1)
    method: Literal["table", "smc"] = "table"
    distance: DistanceSpec = Field(default_factory=DistanceSpec)
    budget: BudgetSpec | None = Field(None, description="ABC-SMC budget (method: smc)")
    quick: BudgetSpec | None = Field(None, description="ABC-SMC --quick budget (method: smc)")
    table: TableBudgetSpec | None = Field(None, description="table budget (method: table)")
    table_quick: TableBudgetSpec | None = Field(None, description="table --quick budget")

    @model_validator(mode="after")
    def _method_has_its_budget(self) -> CalibrationSpec:
        blocks = ("table", "table_quick") if self.method == "table" else ("budget", "quick")
        missing = [b for b in blocks if getattr(self, b) is None]
        if missing:
            raise ValueError(f"method: {self.method} needs the budget block"
                             f"{'s' * (len(missing) > 1)} {' and '.join(missing)} (see "
                             "calibration/default.yaml)")
        return self


@dataclass(frozen=True)
class Parameter:
    """A checked free parameter."""

    path: str
    prior: Prior
    integer: bool
    base_value: float
    schema_range: tuple[float | None, float | None]
    why: str

    def cast(self, value: float) -> int | float:
        """The value as the scenario takes it (integer fields rounded)."""
        return round(value) if self.integer else float(value)


@dataclass
class Calibration:
    """A checked calibration file: its episodes, facts and parameters."""

    path: Path
    sha256: str
    spec: CalibrationSpec
    episodes: list[LoadedEpisode]
    facts: dict[str, list[str]]  # episode name -> fact names used
    parameters: list[Parameter]

    def targets(self) -> list[Target]:
        """The facts used, as ABC targets named ``episode.fact``."""
        out = []
        for ep in self.episodes:
            for fact in ep.spec.facts:
                if fact.name in self.facts[ep.name]:
                    low, high = fact.bounds
                    out.append(Target(fact_id(ep.name, fact.name), fact.observed, low, high))
        return out


def load_calibration(path: str | Path) -> Calibration:
    """Read and check a calibration file (and its episodes); :class:`InputError` otherwise."""
    path = require_file(Path(require_path(path, "A calibration file (its path)")),
                        "Calibration file", "Give the path of a calibration YAML file, e.g. "
                        "calibration/default.yaml.")
    spec = load_model(path, CalibrationSpec, "calibration file")
    if spec.facts is not None and not spec.facts:
        raise InputError(f"{path}: 'facts' is empty, so there would be nothing to fit. List "
                         "facts as episode.fact, or remove 'facts' to fit every fact of the "
                         "episodes.")
    _refuse_repeats(path, "facts", spec.facts or [])
    episodes = [_episode(path, name) for name in spec.episodes]
    _refuse_repeats(path, "episodes", [ep.name for ep in episodes])
    for ep in episodes:
        if ep.spec.role != "fit":
            raise InputError(f"{path}: episode '{ep.name}' is held out ({ep.path} says "
                             f"role: {ep.spec.role}): calibration never fits a held-out "
                             "episode, so that it can test the posterior out of sample. Remove "
                             "it from 'episodes' (validate-model scores it).")
    try:
        base = load_scenario(beside_file(path, spec.base_scenario))
    except InputError as e:
        raise InputError(f"{path}, 'base_scenario: {spec.base_scenario}': {e}") from None
    parameters = [_parameter(path, p, base, episodes) for p in spec.parameters]
    _refuse_repeats(path, "parameters", [p.path for p in parameters])
    _refuse_one_field_twice(path, [p.path for p in parameters])
    return Calibration(path, file_sha256(path), spec, episodes,
                       _facts(path, spec, episodes), parameters)


def _episode(path: Path, name: str) -> LoadedEpisode:
    """The episode ``name`` of the calibration file ``path`` (looked up beside the file, in the
    episodes/ folder next to its folder, ./episodes and the shipped ones); an error that finds
    none names the calibration file and field."""
    try:
        found = find_episode(name, [path.parent, path.parent.parent / "episodes"])
    except InputError as e:
        raise InputError(f"{path}, 'episodes': {e}") from None
    return load_episode(found)


def _refuse_repeats(path: Path, field: str, names: list[str]) -> None:
    """InputError naming the entries of ``field`` listed more than once (each would count
    twice)."""
    dupes = repeated(names)
    if dupes:
        raise InputError(f"{path}: {field} listed twice: {', '.join(dupes)}. List each once.")


def _refuse_one_field_twice(path: Path, paths: list[str]) -> None:
    """InputError if two parameter paths, spelt differently, name one field
    (``militias[KH].autonomy`` and ``militias[ KH ].autonomy``, or a field by its old name):
    each would be fitted, but every run sets the field once, so the posterior could not be
    used (a draw would set one field twice)."""
    twice = ov.one_field_twice(paths)
    if twice is not None:
        first, second, field = twice
        raise InputError(f"{path}: parameters '{first}' and '{second}' are one field ({field}), "
                         "so it would be fitted twice and the posterior could not be used by "
                         "any run. List it once.")


def _facts(path: Path, spec: CalibrationSpec, episodes: list[LoadedEpisode]
           ) -> dict[str, list[str]]:
    available = {fact_id(ep.name, f.name): (ep.name, f.name) for ep in episodes
                 for f in ep.spec.facts}
    chosen = spec.facts if spec.facts is not None else list(available)
    out: dict[str, list[str]] = {ep.name: [] for ep in episodes}
    for name in chosen:
        if name not in available:
            close = difflib.get_close_matches(name, available, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise InputError(f"{path}: 'facts' names '{name}', which is no fact of the fitted "
                             f"episodes.{hint} Write facts as episode.fact; available: "
                             f"{', '.join(available)}.")
        episode, fact = available[name]
        out[episode].append(fact)
    return out


def _parameter(path: Path, p: ParameterSpec, base: Scenario, episodes: list[LoadedEpisode]
               ) -> Parameter:
    where = f"{path}: parameter '{p.path}'"
    try:
        info = field_of(p.path)
    except InputError as e:
        raise InputError(f"{where}: {e}") from None
    if ov.is_run_setting(p.path):
        raise InputError(f"{where} is a setting of the whole run, not a parameter of an actor "
                         "or site: the episodes fix their own days and seeds. Use a path such as "
                         "government.prior_backing or militias[KH].mobilisation (`leverage-sim "
                         "params` lists them).")
    at = ov.positional_step(p.path)
    if at is not None:
        raise InputError(f"{where} picks a list entry by its position [{at}], which is another "
                         "militia or site in each episode's scenario (KH in June 2020, JAM in "
                         "Basra 2008), so one value would be fitted to several. Name the entry, "
                         "e.g. militias[KH].mobilisation.")
    if info is None or info.annotation not in (int, float):
        raise InputError(f"{where} is not a numeric scenario parameter. Use a path as --set "
                         "takes it, e.g. government.prior_backing or militias[KH].mobilisation "
                         "(`leverage-sim params` lists them).")
    lo, hi = allowed_range(info)
    if (lo is not None and p.prior.low < lo) or (hi is not None and p.prior.high > hi):
        raise InputError(f"{where}: prior [{p.prior.low}, {p.prior.high}] goes beyond the "
                         f"schema's range [{'' if lo is None else lo}, "
                         f"{'' if hi is None else hi}]. Narrow the prior to a plausible range "
                         "inside it.")
    if info.annotation is int and round(p.prior.low) == round(p.prior.high):
        raise InputError(f"{where}: prior [{p.prior.low:g}, {p.prior.high:g}] of a field of "
                         f"whole numbers holds one once rounded ({round(p.prior.low)}), so the "
                         "fit could never move it. Widen the prior to span at least two whole "
                         "numbers, or remove the parameter (set the value with the scenario).")
    having = [ep for ep in episodes if ep.has_path(p.path)]
    if not having:  # the first episode's scenario says which entry is missing
        try:
            episodes[0].scenario({p.path: p.prior.low})
        except InputError as e:
            raise InputError(f"{where}: none of the fit episodes' scenarios "
                             f"({', '.join(ep.name for ep in episodes)}) has it — {e} Remove "
                             "the parameter, or fit an episode whose scenario has that "
                             "militia, site or event.") from None
    for ep in having:  # a militia's parameter checked on the episodes that have the militia
        for value in (p.prior.low, p.prior.high):
            ep.scenario({p.path: round(value) if info.annotation is int else value})
    return Parameter(p.path, Prior(p.path, p.prior.family, p.prior.low, p.prior.high),
                     info.annotation is int, _hand_tuned(base, having[0], p.path), (lo, hi),
                     p.why)


def _hand_tuned(base: Scenario, first: LoadedEpisode, path: str) -> float:
    """The hand-tuned value at ``path``: the base scenario's, or for a militia, site or event
    it lacks (Basra's JAM in a calibration based on the June 2020 replay) that of ``first``,
    the first fit episode whose scenario has it."""
    from leverage_sim.simulation.posterior import value_at

    try:
        return float(value_at(base, path))
    except LookupError:
        return float(value_at(first.validated(), path))
