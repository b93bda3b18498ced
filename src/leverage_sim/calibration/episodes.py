"""Episodes: pieces of the historical record as data (``episodes/*.yaml``).

An episode names the scenario that sets it up (plus horizon, overrides and extra scripted
events), whether calibration may fit it (``role: fit``) or must leave it for out-of-sample
validation (``role: held_out``), and its facts: a registered statistic with arguments, the
observed value, the range the sources allow, and the sources.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from leverage_sim.calibration import statistics
from leverage_sim.calibration.files import load_model
from leverage_sim.errors import InputError
from leverage_sim.files.inputs_hash import file_sha256
from leverage_sim.scenario.limits import repeated
from leverage_sim.scenario.loader import (
    find_named_file,
    find_scenario,
    other_kind,
    read_yaml,
    resolve_raw,
    validate,
    with_checked_numbers,
)
from leverage_sim.scenario.schema import Scenario, Strict

EPISODE_DIR = Path(__file__).resolve().parents[3] / "episodes"
NAME = r"^[a-z][a-z0-9_]*$"
"""Episode and fact names: lower-case letters, digits and _ (a fact is named episode.fact)."""


class Source(Strict):
    """A public source for a fact."""

    publisher: str
    title: str
    date: dt.date
    url: str | None = None


class Fact(Strict):
    """One observed fact: ``statistic(run, **arguments)`` should lie in ``range``."""

    name: str = Field(..., pattern=NAME)
    statistic: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    observed: float
    range: tuple[float, float] | None = Field(
        None, description="[low, high] the sources allow (default: the observed value alone)")
    sources: list[Source] = Field(..., min_length=1)
    note: str = ""

    @field_validator("statistic")
    @classmethod
    def _known(cls, name: str) -> str:
        try:
            statistics.get(name)
        except InputError as e:
            raise ValueError(str(e)) from None
        return name

    @model_validator(mode="after")
    def _arguments_and_range(self) -> Fact:
        try:
            statistics.check_arguments(self.statistic, self.arguments)
        except InputError as e:
            raise ValueError(str(e)) from None
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError(f"fact '{self.name}': range [{self.range[0]:g}, "
                             f"{self.range[1]:g}] is reversed: write [low, high]")
        if self.statistic in statistics.YES_NO and self.observed not in (0, 1):
            raise ValueError(f"fact '{self.name}': observed must be 0 or 1 for statistic "
                             f"{self.statistic} (1: it happened), not {self.observed:g}")
        low, high = self.bounds
        least, most = statistics.value_limits(self.statistic, self.arguments)
        if low < least or high > most:
            given = f"range [{low:g}, {high:g}]" if self.range else f"observed {high:g}"
            can = f"{least:g} to {most:g}" if math.isfinite(most) else f"{least:g} or more"
            fix = {1.0: " (a share is written 0 to 1, not as a percentage)"}.get(most, "")
            if self.statistic == "days_until":
                can, fix = f"{can} days, its cap", " (or raise its cap)"
            raise ValueError(f"fact '{self.name}': {given} reaches outside what statistic "
                             f"{self.statistic} can give ({can}), so the fit could never "
                             f"match it: write a value it can give{fix}")
        if not low <= self.observed <= high:
            raise ValueError(f"fact '{self.name}': observed {self.observed} is outside its "
                             f"range [{low}, {high}]")
        if self.statistic in statistics.WHOLE and math.ceil(low) > math.floor(high):
            given = (f"range [{low:g}, {high:g}] holds" if self.range
                     else f"observed {high:g} (no range) is")
            raise ValueError(f"fact '{self.name}': {given} no whole number, but statistic "
                             f"{self.statistic} gives only whole numbers, so the fit could never "
                             f"match it: write a whole number, or a range around the value "
                             f"(e.g. range: [{math.floor(low):g}, {math.ceil(high):g}])")
        return self

    @property
    def bounds(self) -> tuple[float, float]:
        """(low, high): the range, or the observed value twice."""
        return self.range if self.range is not None else (self.observed, self.observed)


class Episode(Strict):
    """One episode file."""

    name: str = Field(..., pattern=NAME)
    role: Literal["fit", "held_out"]
    description: str
    scenario: str = Field(..., description="scenario name or path (relative to the episode "
                          "file or to scenarios/)")
    horizon_days: int | None = Field(None, ge=1, le=3650)
    overrides: dict[str, Any] = Field(default_factory=dict)
    events: list[dict[str, Any]] = Field(default_factory=list,
                                         description="scripted events added to the scenario's")
    facts: list[Fact] = Field(..., min_length=1)

    @model_validator(mode="after")
    def _unique_facts(self) -> Episode:
        names = [f.name for f in self.facts]
        dupes = repeated(names)
        if dupes:
            raise ValueError(f"fact names must be unique, repeated: {', '.join(dupes)}")
        seen: dict[str, str] = {}
        for fact in self.facts:
            key = json.dumps([fact.statistic, fact.arguments], sort_keys=True, default=str)
            if key in seen:
                raise ValueError(
                    f"facts '{seen[key]}' and '{fact.name}' measure the same thing (statistic "
                    f"{fact.statistic} with the same arguments), so it would count twice in "
                    "the fit's distance and in validate-model's summed scores: keep one, with "
                    "a range that covers both values if the sources differ")
            seen[key] = fact.name
        return self

    @model_validator(mode="after")
    def _overrides_the_runs_read(self) -> Episode:
        """Refuse what the runs would silently ignore: a seed (calibrate and validate-model
        seed every run), a horizon set twice, events removed as in an extending file (an
        episode's events are added) or given beside an override of the whole list."""
        first = {str(path).strip().split(".")[0].split("[")[0]: path for path in self.overrides}
        if "seed" in first:
            raise ValueError(f"overrides sets '{first['seed']}', which no run reads: calibrate "
                             "and validate-model give every run its own seed (from their "
                             "--seed); remove it")
        if "horizon_days" in first and self.horizon_days is not None:
            raise ValueError(f"horizon_days ({self.horizon_days}) and overrides "
                             f"'{first['horizon_days']}' both set the run's days, and the "
                             "override would win unseen; keep horizon_days only")
        if "events" in (str(path).strip() for path in self.overrides) and self.events:
            raise ValueError("overrides 'events' replaces the whole list of events after the "
                             "episode's own events are added, so they would be dropped unseen; "
                             "keep one of the two")
        removed = [e.get("name") for e in self.events if isinstance(e, dict) and "remove" in e]
        if removed:
            raise ValueError(f"events: '{removed[0]}' has remove, but an episode's events are "
                             "added to its scenario's (only an extending scenario file removes "
                             "one): write a scenario that extends this one with {name: "
                             f"{removed[0]}, remove: true}} and name it in 'scenario'")
        return self


class LoadedEpisode:
    """An episode with its file, hash and the raw data of the scenario it runs."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sha256 = file_sha256(path)
        self.spec = load_model(path, Episode, "episode file")
        if self.spec.name != path.stem:
            raise InputError(f"{path}: 'name' is '{self.spec.name}' but the file is "
                             f"'{path.name}'; name an episode after its file.")
        raw = self._scenario_raw()
        if self.spec.horizon_days is not None:
            raw["horizon_days"] = self.spec.horizon_days
        raw["events"] = [*raw.get("events", []), *self.spec.events]
        self.raw = raw
        self.source = f"episode {self.spec.name} (scenario {self.spec.scenario})"
        self._has: dict[str, bool] = {}

    def _scenario_raw(self) -> dict[str, Any]:
        """The raw data of the scenario the ``scenario`` field names (a .yaml path beside the
        episode file, or a name or path as a scenario argument; names also in the scenarios/
        folder next to the episode's folder); an :class:`InputError` naming this file and
        that field otherwise."""
        name, dirs = self.spec.scenario, [self.path.parent.parent / "scenarios"]
        beside = self.path.parent / name
        try:
            found = beside if name.endswith((".yaml", ".yml")) and beside.is_file() \
                else find_scenario(name, dirs)
        except InputError as e:
            hint = next((f" A file '{name}{ext}' is beside the episode file: write `scenario: "
                         f"{name}{ext}` (a name without .yaml is looked up only among the "
                         "scenarios that run by name)."
                         for ext in (".yaml", ".yml") if (self.path.parent / f"{name}{ext}")
                         .is_file() and not name.endswith((".yaml", ".yml"))), "")
            raise InputError(f"{self.path}, field 'scenario': {e}{hint} Fix the 'scenario' "
                             "field of this episode file (a .yaml path is looked up beside the "
                             "episode file, then from the working folder).") from None
        try:
            return resolve_raw(found, dirs)
        except InputError as e:
            raise InputError(f"{self.path}, in 'scenario: {name}': {e}") from None

    @property
    def name(self) -> str:
        return self.spec.name

    def scenario(self, overrides: dict[str, Any] | None = None) -> Scenario:
        """The episode's validated scenario, with its own then ``overrides`` applied."""
        return validate(copy.deepcopy(self.raw), self.source,
                        {**self.spec.overrides, **(overrides or {})})

    def has_path(self, path: str) -> bool:
        """Whether the episode's scenario has the entry ``path`` addresses: a calibrated
        parameter of a militia or site (``militias[KH].attack_rate``) applies only to the
        episodes whose scenario has that militia or site (Basra 2008 has JAM, not KH)."""
        from leverage_sim.simulation.posterior import value_at

        if path not in self._has:
            try:
                value_at(self.scenario(), path)
                self._has[path] = True
            except LookupError:
                self._has[path] = False
        return self._has[path]

    def applicable(self, overrides: dict[str, Any]) -> dict[str, Any]:
        """The ``overrides`` whose paths this episode's scenario has (:meth:`has_path`), but
        those the episode's own ``overrides`` set (:meth:`fixed`): they keep its value."""
        fixed = self.fixed()
        return {p: v for p, v in overrides.items() if self.has_path(p) and p not in fixed}

    def fixed(self) -> frozenset[str]:
        """The paths the episode's own ``overrides`` set, spelt as a posterior names its
        parameters: set explicitly, they keep the episode's value, neither fitted nor drawn
        there (as a --set path keeps its value in a run)."""
        found = self.__dict__.get("_fixed")
        if found is None:
            from leverage_sim.simulation.posterior import named_path

            found = self.__dict__["_fixed"] = frozenset(
                named_path(self.validated(), str(p)) for p in self.spec.overrides)
        return found

    def scenario_with(self, values: dict[str, int | float]) -> Scenario:
        """``scenario(values)`` for numbers already checked against their fields' ranges
        (calibration's particles, inside priors checked against the schema): the episode's
        scenario is validated once, each particle's copy only sets its values and checks the
        rules across fields (:func:`~leverage_sim.scenario.loader.with_checked_numbers`);
        validated in full whenever that cannot vouch for the result."""
        found = with_checked_numbers(self.validated(), values)
        return found if found is not None else self.scenario(values)

    def scenario_sha256(self) -> str:
        """The hash of the episode's own resolved scenario (:meth:`validated`), as a
        calibration's manifest records it and ``--resume`` compares it."""
        from leverage_sim.scenario.canonical import scenario_hash

        return scenario_hash(self.validated())

    def validated(self) -> Scenario:
        """The episode's own scenario (:meth:`scenario` without overrides), validated once."""
        base = self.__dict__.get("_base")
        if base is None:
            base = self.__dict__["_base"] = self.scenario()
        return base

    def check_facts(self) -> None:
        """Raise :class:`InputError` (naming this file and each fact) unless every fact's
        arguments name actions the model logs, actors and targets of the episode's scenario,
        real dates in windows inside the scenario's days and existing summary columns: a
        misspelling would otherwise fit a fact that is always 0."""
        scenario = self.scenario()
        militias = [m.name for m in scenario.militias]
        sites = [s.name for s in scenario.foreign_forces.sites]
        days = (scenario.start_date, scenario.date_of(scenario.horizon_days - 1))
        problems = [f"facts[{f.name}].arguments.{problem}" for f in self.spec.facts
                    for problem in statistics.check_values(f.statistic, f.arguments, militias,
                                                           sites, days)]
        if problems:
            raise InputError(f"{self.path}: {'; '.join(problems)}. Fix these arguments "
                             "(`leverage-sim statistics` lists the statistics, their arguments "
                             "and the actions of the event log).")


def find_episode(name_or_path: str | Path, extra_dirs: Sequence[Path] = ()) -> Path:
    """The file of an episode name (searched in ``extra_dirs``, ./episodes and the shipped
    episodes/) or path; an :class:`InputError` listing the known episodes (not the files of
    another kind beside them, which no name reaches as an episode) and the folders searched if
    none."""
    names, others = _known(extra_dirs)
    folders = ", ".join(str(d) for d in _episode_dirs(extra_dirs) if Path(d).is_dir())
    return find_named_file(name_or_path, lambda: {**others, **names}, "episode",
                           "from episodes/", f" (searched {folders or 'no folder'})",
                           listed=names)


def known_episodes(extra_dirs: Sequence[Path] = ()) -> dict[str, Path]:
    """Episode name → file, as names are looked up: in ``extra_dirs``, ./episodes, then the
    shipped episodes/, the first file of a name winning; a file of another kind (a scenario
    or calibration file) hides no episode so named, and is listed only under a name no
    episode has (so that a message can name it as what it is)."""
    names, others = _known(extra_dirs)
    return {**others, **names}


def _episode_dirs(extra_dirs: Sequence[Path]) -> tuple[Path, ...]:
    return (*map(Path, extra_dirs), Path.cwd() / "episodes", EPISODE_DIR)


def _known(extra_dirs: Sequence[Path]) -> tuple[dict[str, Path], dict[str, Path]]:
    """The episodes by name, and the files of another kind under a name no episode has."""
    names: dict[str, Path] = {}
    others: dict[str, Path] = {}
    for d in _episode_dirs(extra_dirs):
        for f in sorted(Path(d).glob("*.yaml")) if Path(d).is_dir() else ():
            if f.stem not in names:
                (others if _other_kind(f) else names).setdefault(f.stem, f)
    return names, {k: v for k, v in others.items() if k not in names}


def _other_kind(path: Path) -> bool:
    """Whether ``path`` is recognisably a file of another kind than an episode (a scenario, a
    calibration or a sweep file, which may share an episode's name: scenarios/basra_2008.yaml
    beside a calibration file); False for one that cannot be read (its reader says why)."""
    try:
        data = read_yaml(path)
    except InputError:
        return False
    return other_kind(data, "episode file", Episode.model_fields) is not None


def load_episode(name_or_path: str | Path, extra_dirs: Sequence[Path] = ()) -> LoadedEpisode:
    """Load and check one episode (its scenario must validate, its facts' arguments fit it)."""
    episode = LoadedEpisode(find_episode(name_or_path, extra_dirs))
    episode.check_facts()
    return episode


def fact_id(episode: str, fact: str) -> str:
    """The calibration-wide name of a fact: ``episode.fact``."""
    return f"{episode}.{fact}"
