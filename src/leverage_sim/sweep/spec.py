"""Sweep specifications: the ``scenarios/sweeps/*.yaml`` schema and ``--param`` parsing.

A sweep file names a base scenario, fixed overrides, the swept parameters (dotted paths, as in
``--set``), a design, replications per point, a master seed and which outputs to keep::

    base: june_2020_replay
    design: grid
    replications: 200
    seed: 1
    parameters:
      foreign_forces.backing: {range: [0, 1], steps: 11}
      patron.instigation: {values: [0.2, 0.5, 0.8]}

A parameter is one of: ``values: [...]`` (discrete), ``range: [lo, hi]`` with ``steps: n``
(n evenly spaced values, ends included), ``low``/``high`` (continuous uniform; for the
lhs/sobol/morris/random designs) or ``distribution: uniform|loguniform|normal|triangular`` with
its arguments. Every design draws points in the unit cube; a parameter maps a unit coordinate
``u`` in [0, 1] to its value with :meth:`Parameter.ppf` (discrete: the ``floor(u·k)``-th value).
``posterior: DIR|default|none`` draws each run's calibrated parameters from a calibration's
posterior (:mod:`leverage_sim.simulation.posterior`); swept and fixed parameters keep their values.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from leverage_sim.errors import InputError
from leverage_sim.files.safe_yaml import (
    as_written,
    beside_file,
    folder_problem,
    load_text,
    require_file,
    require_path,
    yes_no_hint,
)
from leverage_sim.scenario import overrides as ov
from leverage_sim.scenario.distributions import DISTRIBUTIONS, Parameter  # noqa: F401 (the sweep API)
from leverage_sim.scenario.limits import as_list
from leverage_sim.scenario.loader import (
    FILE_KINDS,
    field_of,
    is_scenario_path,
    read_yaml,
    refuse_other_kind,
    validate,
)
from leverage_sim.scenario.schema_base import FrozenStrict, Name

DESIGNS = ("grid", "lhs", "sobol", "saltelli", "morris", "random")


def default_folder(parent: Path, name: str) -> Path:
    """The folder a sweep named ``name`` writes when no ``--out`` is given: ``parent / name``
    (``results/sweeps/NAME``, explore's ``results/explore/NAME``). A name holding ``/`` or
    ``\\`` (``../x``, ``/tmp/x``) or being ``.`` or ``..`` would put the results outside
    ``parent``: refused then (with ``--out`` any name is fine: it names no folder)."""
    if "/" in name or "\\" in name or name in (".", ".."):
        raise InputError(f"The sweep's name ({name!r}; name:, which defaults to the file's "
                         f"name) would be its output folder, {parent}/NAME, without --out, "
                         "and it is not one folder name: no '/' or '\\', not '.' or '..'. "
                         "Give it another name, or choose the folder with --out DIR.")
    return parent / name


SWEEP_DIR = Path(__file__).resolve().parents[3] / "scenarios" / "sweeps"


class Outputs(FrozenStrict):
    """What each run keeps besides its summary row."""

    timeseries: bool = Field(False, description="Keep the daily time series of every run.")
    every: int = Field(1, ge=1, description="Keep every n-th day of the time series (days).")


class SweepSpec(FrozenStrict):
    """A sweep: base scenario, fixed overrides, swept parameters, design, replications, seed."""

    name: Name = Field("sweep", description="Sweep name (defaults to the file name; also the "
                       "output folder's without --out, where it must be one folder name).")
    description: str = Field("", description="What the sweep asks, in a line or two.")
    base: str = Field(..., description="Base scenario: a name or a YAML path.")
    overrides: dict[str, Any] = Field(default_factory=dict,
                                      description="Fixed dotted overrides for every run.")
    parameters: dict[str, Parameter] = Field(..., min_length=1,
                                             description="Dotted path -> how it varies.")
    design: Literal["grid", "lhs", "sobol", "saltelli", "morris", "random"] = "grid"
    samples: int | None = Field(None, ge=1, description="Points for lhs/random; base samples N "
                                "for sobol (N·(d+2) points, N·(2d+2) with second_order); "
                                "trajectories for morris (N·(d+1) points).")
    second_order: bool = Field(False, description="sobol: also sample for second-order indices.")
    levels: int = Field(4, ge=2, description="morris: grid levels per parameter.")
    replications: int = Field(1, ge=1, description="Runs per design point.")
    seed: int | None = Field(None, ge=0, le=2**63 - 1,
                             description="Master seed (default: the base scenario's seed).")
    outputs: Outputs = Field(default_factory=Outputs)
    posterior: str | None = Field(None, description="Draw each run's calibrated parameters from "
                                  "this posterior: a `leverage-sim calibrate` folder, 'default' "
                                  "or 'none' (default: leverage_sim.simulation.posterior.DEFAULT_POSTERIOR)"
                                  "; swept and fixed parameters keep their values.")

    @model_validator(mode="after")
    def _consistent(self) -> SweepSpec:
        for path in (*self.parameters, *self.overrides):
            ov.parse_path(path)
        if "seed" in self.parameters:
            raise ValueError("'seed' cannot be swept: each run's seed is drawn from the sweep's "
                             "master seed (seed:) for its point and replication; for more "
                             "seeds raise replications, for another set give another seed")
        for path, spec in self.parameters.items():
            whole = [v for v in spec.values or () if isinstance(v, list | dict)]
            if whole:
                raise ValueError(f"parameters['{path}']: each value must be one number, text, "
                                 "true/false or date, not a list or mapping "
                                 f"({as_written(whole[0])}); sweep the fields inside it instead "
                                 "(e.g. militias[KH].autonomy, not militias)")
        both = set(self.parameters) & set(self.overrides)
        if both:
            raise ValueError(f"{', '.join(sorted(both))} is both swept (parameters) and fixed "
                             "(overrides); keep it in one place")
        if self.design == "grid":
            if self.samples is not None:
                raise ValueError("samples is only for the lhs, sobol, morris and random designs; "
                                 "a grid runs every combination of the parameters' values")
            cont = [p for p, spec in self.parameters.items() if not spec.is_discrete]
            if cont:
                raise ValueError(f"the grid design needs discrete parameters, but "
                                 f"{', '.join(cont)} {'is' if len(cont) == 1 else 'are'} "
                                 "continuous: write range: [lo, hi] with steps: n (or values: "
                                 "[...]), or choose design lhs, sobol, morris or random")
        elif self.samples is None:
            raise ValueError(f"design {self.design} needs samples: N "
                             "(see the designs in docs/sweeps.md)")
        elif self.design in ("sobol", "saltelli") and self.samples & (self.samples - 1):
            raise ValueError(f"design {self.design} needs samples to be a power of 2 (Sobol' "
                             f"sequences lose their balance otherwise), got {self.samples}; "
                             f"use {1 << (self.samples.bit_length() - 1)} or "
                             f"{1 << self.samples.bit_length()}")
        return self

    # ---- constructors --------------------------------------------------------------------------
    @classmethod
    def from_file(cls, path: str | Path) -> SweepSpec:
        """Read and validate a sweep YAML file (``name`` defaults to the file's stem)."""
        path = find_sweep(path)
        data = read_yaml(path)
        refuse_other_kind(data, path, "sweep file", own=cls.model_fields)
        data.setdefault("name", path.stem)
        if "base" in data:
            data["base"] = beside_file(path, data["base"])
        written = data.get("posterior")
        if written not in (None, "default", "none"):
            data["posterior"] = beside_file(path, written, folder=True)
        spec = cls.parse(data, str(path))
        problem = (folder_problem(Path(spec.posterior))
                   if written not in (None, "default", "none") else None)
        if problem is not None:  # named here, with the field: the runs would find no posterior
            raise InputError(f"Sweep from {path}: 'posterior': '{written}' {problem} (a "
                             "relative path is read beside the sweep file, else from the "
                             "working folder). Give the --out folder of `leverage-sim "
                             "calibrate`, `default` for the committed calibration or `none` for "
                             "the scenario's own values.")
        return spec

    @classmethod
    def from_cli(cls, base: str, params: Iterable[str] = (), *, design: str = "grid",
                 samples: int | None = None, replications: int = 1, seed: int | None = None,
                 overrides: Mapping[str, Any] | Iterable[str] | None = None,
                 timeseries: bool = False, every: int = 1, name: str | None = None,
                 posterior: str | None = None, option: str = "--param") -> SweepSpec:
        """A sweep from command-line pieces: ``params`` like ``foreign_forces.backing=0:1:11``
        (n evenly spaced values, ends included), ``patron.instigation=0.2,0.5,0.8`` (values) or
        ``x=0.1:0.9`` (continuous uniform, for non-grid designs), given with ``option``
        (named in errors)."""
        base = require_path(base, "The sweep's base scenario (its name or YAML path)")
        data = {"name": name or f"{Path(base).stem}_sweep", "base": base,
                "overrides": ov.normalise(overrides), "parameters": parse_params(params, option),
                "design": design, "samples": samples, "replications": replications,
                "seed": seed, "outputs": {"timeseries": timeseries, "every": every},
                "posterior": posterior}
        return cls.parse(data, "the command line")

    @classmethod
    def parse(cls, data: Mapping[str, Any], source: str) -> SweepSpec:
        """Validate raw data; problems become one :class:`InputError` naming each field."""
        if not isinstance(data, Mapping):
            raise InputError(f"Sweep from {source}: a sweep is a mapping of fields (base:, "
                             f"parameters:, ...), not {type(data).__name__} {data!r} "
                             "(docs/sweeps.md shows every field with an example).")
        try:
            spec = cls.model_validate(dict(data))
            problems = [f"'parameters['{path}']': {why}" for path, p in spec.parameters.items()
                        if (why := p.repeats() or _fractions_of_a_whole_number(path, p))]
            problems += _unread_fields(spec)
        except ValidationError as e:
            problems = [_describe(err) for err in e.errors()]
        except InputError as e:  # a path the validator refused (ov.parse_path)
            raise InputError(f"Sweep from {source}: {e}") from None
        if problems:
            raise InputError(
                f"Sweep from {source}: {len(problems)} problem{'s' * (len(problems) > 1)} — "
                + "; ".join(problems) + ". Fix these fields (docs/sweeps.md shows "
                "every field with an example)."
            ) from None
        return spec

    def with_changes(self, **changes: Any) -> SweepSpec:
        """A copy with some fields replaced (None values are ignored), validated again."""
        data = self.model_dump()
        for key, value in changes.items():
            if value is None:
                continue
            if key == "parameters":
                data["parameters"] = {**data["parameters"], **value}
            elif key == "outputs":
                data["outputs"] = {**data["outputs"], **value}
            else:
                data[key] = value
        return SweepSpec.parse(data, f"sweep '{self.name}' with command-line changes")

    @property
    def paths(self) -> list[str]:
        """Swept parameter paths, in order."""
        return list(self.parameters)


def _unread_fields(spec: SweepSpec) -> list[str]:
    """Fields given a value that the sweep's design (or its outputs) never reads, so the value
    would be ignored: ``levels`` (morris), ``second_order`` (sobol, saltelli), ``outputs.every``
    without ``outputs.timeseries``. Checked when a sweep is given, not when a stored one is
    read."""
    default = SweepSpec.model_fields
    problems = []
    if spec.design != "morris" and spec.levels != default["levels"].default:
        problems.append(f"levels is only for the morris design (its grid levels); design "
                        f"{spec.design} ignores it: drop levels, or choose design: morris")
    if spec.design not in ("sobol", "saltelli") and spec.second_order:
        problems.append(f"second_order is only for the sobol and saltelli designs; design "
                        f"{spec.design} ignores it: drop second_order, or choose design: sobol")
    if not spec.outputs.timeseries and spec.outputs.every != Outputs.model_fields[
            "every"].default:
        problems.append("outputs.every thins the daily time series, which this sweep does not "
                        "keep (outputs.timeseries is false): add timeseries: true, or drop every")
    return problems


def _fractions_of_a_whole_number(path: str, p: Parameter) -> str | None:
    """Why parameter ``p`` would give field ``path``, which holds whole numbers (seats,
    fighters, capacity), a fraction, or None: a continuous draw without ``integer: true``, a
    range whose steps fall between whole numbers, a value with a fraction. Each such point
    would fail as a scenario whose fix ("the file or the --set override") is not where the
    mistake is."""
    try:
        info = field_of(path)
    except InputError:
        return None  # a retired field: validating the scenario names what replaced it
    if info is None or info.annotation is not int:
        return None
    values = p.discrete
    if values is None:
        return None if p.integer else (
            f"{path} holds whole numbers but a continuous {p.distribution or 'uniform'} draw "
            "gives fractions: add integer: true (draws rounded), or give whole-number values "
            "(values: [...], or range: [lo, hi] with steps whose values are whole; on the "
            "command line lo:hi:n or a comma list)")
    fraction = next((v for v in values if isinstance(v, float) and not v.is_integer()), None)
    if fraction is None:
        return None
    if p.range is None:
        return f"{path} holds whole numbers, not {fraction:g}: list whole numbers in values"
    lo, hi = p.range
    return (f"{path} holds whole numbers, but range [{lo:g}, {hi:g}] in {p.steps} steps gives "
            f"{fraction:g}: choose steps so that (hi - lo) / (steps - 1) is whole, or list "
            "whole numbers in values")


def parse_params(params: Iterable[str], option: str = "--param") -> dict[str, dict[str, Any]]:
    """``["a.b=0:1:11", "c=0.2,0.5"]`` -> raw parameter specs (see :meth:`SweepSpec.from_cli`);
    errors name ``option``, the one they were given with (explore's ``--lever``)."""
    out: dict[str, dict[str, Any]] = {}
    for text in as_list(params if params is not None else (), (str,)):  # one text: one param
        if not isinstance(text, str):
            raise InputError(f"{option} must be PATH=SPEC text, e.g. "
                             f"foreign_forces.backing=0:1:11, got {type(text).__name__} "
                             f"{text!r}.")
        parts = ov.split_assignment(text)
        if parts is None:
            raise InputError(f"{option} '{text}' has no '='. Write PATH=SPEC, e.g. "
                             "foreign_forces.backing=0:1:11 (11 values from 0 to 1) or "
                             "patron.instigation=0.2,0.5,0.8 (a list of values).")
        path, raw = (s.strip() for s in parts)
        ov.parse_path(path)
        if path in out:
            raise InputError(f"{option} '{path}' is given twice; a sweep varies a parameter "
                             f"once: put all its values in one {option} (e.g. 0,0.5,1).")
        out[path] = _param_value(path, raw, option)
    return out


def _param_value(path: str, raw: str, option: str) -> dict[str, Any]:
    bad = InputError(f"{option} '{path}={raw}': cannot read '{raw}'. Write lo:hi:n for n evenly "
                     "spaced values, n a whole number of at least 2 (e.g. 0:1:11; one value "
                     "is the list 0.5), lo:hi for a continuous range (lhs, sobol, "
                     "morris, random designs), or a comma list of values (e.g. 0.2,0.5,0.8).")
    if ":" in raw:
        parts = raw.split(":")
        try:
            nums = [float(p) for p in parts]
        except ValueError:
            raise bad from None
        if len(parts) == 3 and nums[2].is_integer() and nums[2] >= 2:
            return {"range": nums[:2], "steps": int(nums[2])}
        if len(parts) == 2:
            return {"low": nums[0], "high": nums[1]}
        raise bad
    items = [s.strip() for s in raw.split(",")]
    if not raw.strip() or any(not s for s in items):
        raise bad
    return {"values": [load_text(s, f"{option} '{path}'") for s in items]}


def find_sweep(name_or_path: str | Path) -> Path:
    """A sweep file by .yaml/.yml path, or by name in ``./scenarios/sweeps`` and the shipped
    sweeps."""
    p = Path(require_path(name_or_path, "A sweep (its name, or the path of its .yaml file)"))
    if is_scenario_path(p):
        return require_file(p, "File", "Give a sweep file, or a scenario with --param PATH=SPEC.")
    dirs = [Path.cwd() / "scenarios" / "sweeps", SWEEP_DIR]
    for d in dirs:
        for ext in (".yaml", ".yml"):
            if (d / f"{p.name}{ext}").is_file() and p.parent == Path("."):
                return d / f"{p.name}{ext}"
    known = sorted({f.stem for d in dirs if d.is_dir() for f in d.glob("*.y*ml")})
    close = difflib.get_close_matches(p.stem, known, n=3)
    raise InputError(f"Sweep file '{name_or_path}' not found.{' Did you mean ' + ', '.join(close) + '?' if close else ''} "
                     f"Known sweeps: {', '.join(known) or 'none'} (in scenarios/sweeps/). Give a "
                     "path to a YAML sweep file, or a scenario name with --param PATH=SPEC.")


def is_sweep_file(name_or_path: str) -> bool:
    """True if ``name_or_path`` names a sweep file rather than a scenario (a .yaml/.yml path
    that cannot be read is an :class:`InputError`, whichever it was meant to be)."""
    require_path(name_or_path, "A sweep or scenario (its name, or the path of its .yaml file)")
    try:
        path = find_sweep(name_or_path)
    except InputError:
        if is_scenario_path(name_or_path):
            raise
        return False
    data = read_yaml(path)
    if not any(key in data for key in FILE_KINDS["scenario"].keys):  # a scenario is swept
        refuse_other_kind(data, path, "sweep file", own=SweepSpec.model_fields)
    return "parameters" in data or "base" in data


def check_points(spec: SweepSpec, base: Mapping[str, Any], source: str,
                 points: Iterable[Mapping[str, Any]]) -> None:
    """Validate the scenario of every distinct design point (fixed overrides plus the point's
    values) before any run starts; the first invalid point is an :class:`InputError` naming the
    point and its values."""
    seen: set[str] = set()
    for i, values in enumerate(points):
        key = repr(sorted(values.items()))
        if key in seen:
            continue
        seen.add(key)
        try:
            validate(copy.deepcopy(dict(base)), source, {**spec.overrides, **values})
        except InputError as e:
            shown = ", ".join(f"{k}={as_written(v)}" for k, v in values.items())
            raise InputError(f"Sweep '{spec.name}': design point {i} ({shown}) is not a valid "
                             f"scenario, so no run was started: {e}") from None


def _describe(err: Mapping[str, Any]) -> str:
    loc = err["loc"]
    where = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            where += f"[{part}]"
        elif i > 0 and loc[i - 1] in ("parameters", "overrides"):
            where += f"[{part}]" if "." not in part else f"['{part}']"
        else:
            where += f".{part}" if where else str(part)
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        owner = {"outputs": Outputs}.get(str(loc[0]), SweepSpec)
        if len(loc) > 2 and loc[0] == "parameters":
            owner = Parameter
        close = difflib.get_close_matches(str(loc[-1]), list(owner.model_fields), n=1)
        msg = (f"unknown field{' — did you mean ' + repr(close[0]) + '?' if close else ''} "
               f"(allowed: {', '.join(owner.model_fields)})")
    elif hint := yes_no_hint(err["type"], err.get("input")):  # name: no
        msg += f" (got {as_written(err['input'])}): {hint}"
    return f"'{where}': {msg}" if where else msg
