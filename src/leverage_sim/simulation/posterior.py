"""Calibrated parameter uncertainty: read a posterior folder, draw one parameter set per
replication, and apply it to a scenario under the scenario's own changes.

A posterior folder (written by ``leverage-sim calibrate --out DIR``) holds:

- ``posterior.parquet``: one row per particle, one column per free parameter named by its
  scenario path exactly as ``--set`` takes it (``government.decision_sharpness``,
  ``militias[KH].mobilisation``, ``foreign_forces.sites[embassy].interception``), and
  ``weight`` (the particle weights, summing to 1);
- ``manifest.json``: ``kind`` (``"leverage-sim calibration"``), ``base_scenario`` (the scenario
  fitted on), ``base_values`` ({path: value in the base scenario}; or ``base_scenario:
  {name, values}``), ``parameters`` ({path:
  prior}, see :func:`priors`), ``episodes``, ``seed`` and ``status`` (``"complete"`` when the
  calibration ran to its end).

Rule for combining a draw with a scenario: the draw is applied first, then the scenario's own
changes on top. A calibrated parameter keeps the scenario's value when the scenario (through
its ``extends`` chain or ``--set``) sets it to a value different from ``base_values`` (a
counterfactual change), or when the caller names it as fixed (``--set`` paths, swept
parameters). A scenario that one of the fitted episodes runs on, or that extends one, is
compared with that scenario's values as fitted (``fitted_scenarios``: {scenario: {path:
value}}; the nearest in the ``extends`` chain), so every parameter fitted on it is drawn
there, and on a scenario that inherits the fitted value unchanged. Kept parameters are named
in every output's inputs line. Scripted events are never touched. Parameters of list entries
the scenario does not have (e.g. a militia it leaves out) are skipped and reported as absent.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from leverage_sim.errors import InputError
from leverage_sim.files.inputs_hash import file_sha256
from leverage_sim.files.output_dir import access_refused
from leverage_sim.files.safe_yaml import folder_problem, require_path, require_switch
from leverage_sim.scenario import overrides as ov
from leverage_sim.scenario.distributions import Parameter
from leverage_sim.scenario.limits import as_list, check_seed, is_finite_number
from leverage_sim.scenario.loader import field_of, lineage, scenario_lineage, validate
from leverage_sim.scenario.schema import Scenario, ScriptedEvent, retired
from leverage_sim.scenario.schema_base import allowed_range, field_summary
from leverage_sim.simulation.stale import stale_allowed

DEFAULT_POSTERIOR = "default"
"""The posterior used when none is asked for, everywhere: ``run``, ``compare``, ``sweep``,
:func:`leverage_sim.run`, :func:`leverage_sim.analysis.comparison.compare` and the dashboard all take it
from here: the committed calibration in :data:`DEFAULT_DIR`. ``--posterior none`` (Python:
``posterior=None`` or ``"none"``) switches it off and runs the scenario's own values."""
DEFAULT_DIR = Path(__file__).resolve().parents[3] / "calibration" / "default"
"""The committed default calibration (``--posterior default``)."""
VALIDATION_DIR = DEFAULT_DIR.parent / "default_validation"
"""``validate-model`` of the committed calibration (``make calibrate`` writes it)."""
KIND = "leverage-sim calibration"
COMPLETE = "complete"
"""``manifest.json`` ``status`` of a calibration that ran to its end."""
DRAW_KEY = 0x706F7374
"""Spawn key of the draw's child seed: the draw never touches the model's own random stream."""
WEIGHT_TOLERANCE = 1e-6
DAMAGED = ("the file was edited or damaged: run the calibration again (`make calibrate` for the "
           "committed one, or `leverage-sim calibrate CONFIG --out DIR`)")
"""How the messages about a posterior file of the wrong shape end."""
PATHS_TO_NUMBERS = "a mapping of parameter paths to finite numbers"


@dataclass(frozen=True)
class Use:
    """How a posterior meets one scenario: which calibrated paths take the draw (``drawn``),
    which keep the scenario's value (``kept``: counterfactual changes and fixed paths) and
    which the scenario lacks (``absent``)."""

    drawn: tuple[str, ...]
    kept: tuple[str, ...]
    absent: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Posterior:
    """Weighted parameter sets from a calibration (see the module docstring)."""

    path: Path
    paths: tuple[str, ...]
    values: np.ndarray = field(repr=False)
    weights: np.ndarray = field(repr=False)
    integer: tuple[bool, ...] = field(repr=False)
    manifest: dict[str, Any] = field(repr=False)
    sha256: str = ""
    _bases: dict[Any, dict[str, float]] = field(default_factory=dict, repr=False)
    """:meth:`base_for` per scenario (name and origin), read once (it reads the ``extends``
    chain's files)."""

    @property
    def base_values(self) -> dict[str, float]:
        """Value of each calibrated parameter in the scenario it was fitted on."""
        return base_values(self.manifest)

    def base_for(self, scenario: str | Scenario) -> dict[str, float]:
        """The values a scenario's calibrated parameters are compared with to tell its own
        changes: those of the nearest fitted episode's scenario in its ``extends`` chain
        (:func:`~leverage_sim.scenario.loader.lineage`; ``fitted_scenarios`` in the manifest: a
        parameter fitted on an episode is drawn on its scenario, e.g. ``oct2019_dec2020``'s own
        casualty tolerance, and on a scenario that inherits that value unchanged, e.g.
        ``sadr_city_2008`` from ``basra_2008``), else the base scenario's. A loaded
        :class:`Scenario` is followed from the file it was read from (a file given by its path
        or found in a --scenario-dir is found by no name), a name from its file."""
        key = scenario if isinstance(scenario, str) else (scenario.name, scenario.origin)
        if key not in self._bases:
            chain = (lineage(scenario) if isinstance(scenario, str)
                     else scenario_lineage(scenario))
            fitted = self.manifest.get("fitted_scenarios") or {}
            nearest = next((n for n in chain if n in fitted), None)
            self._bases[key] = {**self.base_values, **fitted.get(nearest, {})}
        return self._bases[key]

    def fitted_episodes(self) -> frozenset[str]:
        """Names of the episodes the calibration was fitted to: its manifest's ``episodes``
        with ``role: fit``, each by its ``name`` (else its ``file``'s stem); none if the
        manifest lists none."""
        listed = self.manifest.get("episodes")
        fitted = [e for e in (listed if isinstance(listed, list) else [])
                  if isinstance(e, dict) and e.get("role") == "fit"]
        return frozenset(str(e.get("name") or Path(str(e.get("file") or "")).stem)
                         for e in fitted) - {""}

    @property
    def particles(self) -> int:
        """Number of particles (rows)."""
        return len(self.weights)

    def frame(self) -> pd.DataFrame:
        """The particles: one column per parameter path, plus ``weight``."""
        df = pd.DataFrame(self.values, columns=list(self.paths))
        df["weight"] = self.weights
        return df

    def draw_index(self, seed: int) -> int:
        """The particle drawn for integer ``seed`` (weighted, reproducible)."""
        seed = check_seed(seed, "The seed a posterior draw is taken for (a replication's seed)")
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(DRAW_KEY,)))
        return int(rng.choice(self.particles, p=self.weights))

    def draw(self, seed: int) -> dict[str, float | int]:
        """One parameter set {path: value}, drawn with the weights from a child seed of
        ``seed`` (a replication's seed): the same seed always gives the same set."""
        row = self.values[self.draw_index(seed)]
        return {p: (round(float(v)) if i else float(v))
                for p, v, i in zip(self.paths, row, self.integer, strict=True)}

    def use(self, scenario: Scenario, fixed: Iterable[str] = (), keep_changes: bool = True
            ) -> Use:
        """Which calibrated paths of ``scenario`` take the draw (see the module docstring).
        With ``keep_changes=False`` every calibrated path the scenario has takes it (as in
        the calibration itself and in out-of-sample validation)."""
        if not isinstance(scenario, Scenario):
            raise InputError(f"Posterior.use and .apply take a Scenario (leverage_sim."
                             f"load_scenario(name) gives one), got {type(scenario).__name__} "
                             f"{scenario!r:.60}.")
        fixed = {named_path(scenario, p) for p in as_list(fixed)}  # by position or spaced
        base = self.base_for(scenario)
        drawn, kept, absent = [], [], []
        for p in self.paths:
            try:
                value = value_at(scenario, p)
            except LookupError:
                absent.append(p)
                continue
            same = not keep_changes or isinstance(value, int | float) and math.isclose(
                float(value), float(base[p]), rel_tol=1e-9, abs_tol=1e-12)
            (drawn if same and p not in fixed else kept).append(p)
        return Use(tuple(drawn), tuple(kept), tuple(absent))

    def apply(self, scenario: Scenario, seed: int, use: Use | None = None) -> Scenario:
        """``scenario`` with the draw for ``seed`` on the paths ``use.drawn`` (default:
        :meth:`use` of ``scenario``)."""
        use = self.use(scenario) if use is None else use
        draw = self.draw(seed)
        return with_values(scenario, {p: draw[p] for p in use.drawn},
                           f"a draw from posterior {self.path}")

    def draws_table(self, seeds: list[int], use: Use) -> pd.DataFrame:
        """One row per replication: ``replication``, ``seed``, ``particle`` (the row of
        ``posterior.parquet`` drawn), then the drawn value of each path in ``use.drawn``."""
        rows = []
        for i, s in enumerate(seeds):
            draw = self.draw(s)
            rows.append({"replication": i, "seed": s, "particle": self.draw_index(s),
                         **{p: draw[p] for p in use.drawn}})
        return pd.DataFrame(rows)

    def record(self, use: Use | None = None) -> dict[str, Any]:
        """What a results manifest stores: folder (absolute), SHA-256 of
        ``posterior.parquet``, base scenario, particles, ``quick`` (only for a ``calibrate
        --quick`` folder) and (with ``use``) how it met the scenario."""
        base = self.manifest.get("base_scenario")
        from leverage_sim.simulation import model_fingerprint

        out: dict[str, Any] = {"path": str(self.path.resolve()), "sha256": self.sha256,
                               "fitted_to_this_model": model_fingerprint.matches(
                                   self.manifest.get("model_fingerprint")),
                               "base_scenario": base.get("name") if isinstance(base, dict)
                               else base,
                               "particles": self.particles, "parameters": list(self.paths)}
        if self.manifest.get("quick") is True:
            out["quick"] = True
        if use is not None:
            out.update(drawn=list(use.drawn), kept=list(use.kept), absent=list(use.absent))
        return out


PosteriorLike = Posterior | str | os.PathLike[str] | None
"""What ``posterior=`` arguments take: a Posterior, a folder, ``"default"``, ``"none"`` or None."""


def with_values(scenario: Scenario, values: dict[str, Any], what: str) -> Scenario:
    """A copy of ``scenario`` with ``values`` ({path: value}) set; ``what`` names them in
    errors."""
    if not values:
        return scenario
    return validate(scenario.model_dump(mode="json"), f"scenario '{scenario.name}' with {what}",
                    values).read_from(scenario.origin)


def base_values(manifest: dict[str, Any]) -> dict[str, float]:
    """``base_values`` of a calibration manifest (also read from ``base_scenario: {name,
    values}``)."""
    base = manifest.get("base_scenario")
    if "base_values" not in manifest and isinstance(base, dict):
        return dict(base.get("values") or {})
    return dict(manifest.get("base_values") or {})


def value_at(scenario: Scenario, path: str) -> Any:
    """The value at a ``--set`` path of a validated scenario (``[NAME]`` by name, ``[0]`` by
    position, as :mod:`leverage_sim.scenario.overrides` reads them); LookupError if a list entry it
    names is not there."""
    return _follow(scenario, path)[0]


def named_path(scenario: Scenario, path: str) -> str:
    """``path`` as a posterior names its parameters: each list entry by its name in
    ``scenario``, without spaces, fields by their current names (``militias[0].attack_rate``,
    ``militias[ KH ].attack_rate`` → ``militias[KH].attack_rate``); ``path`` itself if the
    scenario has no such entry or field."""
    try:
        return ov.render_path(_follow(scenario, path)[1])
    except (LookupError, AttributeError, TypeError):
        return path


def _follow(scenario: Scenario, path: str) -> tuple[Any, list[str]]:
    """(the value at ``path`` in ``scenario``, the steps to it with list entries by name)."""
    node: Any = scenario
    steps: list[str] = []
    for part in ov.parse_path(path):
        at = ov.position(part) if isinstance(part, ov.Key) else None
        if at is not None:
            if not -len(node) <= at < len(node):
                raise LookupError(path)
            node = node[at]
            name = getattr(node, "name", None)
            steps.append(ov.Key(name) if isinstance(name, str) else part)
        elif isinstance(part, ov.Key):
            match = [e for e in node if str(getattr(e, "name", None)) == part]
            if not match:
                raise LookupError(path)
            node = match[0]
            steps.append(part)
        elif part == "figures" and isinstance(node, ScriptedEvent) and node.action != "set":
            node = node.typed_figures()  # its action's figures, defaults included
            steps.append(part)
        else:
            if not hasattr(node, part):  # a field the entry's kind does not have
                raise LookupError(path)
            node = getattr(node, part)
            steps.append(part)
    return node, steps


def resolve(posterior: PosteriorLike) -> Posterior | None:
    """A :class:`Posterior` from itself, a folder, ``"default"`` (:data:`DEFAULT_DIR`) or
    ``"none"``/None (no posterior)."""
    if isinstance(posterior, Posterior) or posterior is None:
        return posterior
    text = os.fspath(require_path(posterior, "posterior (a calibration folder, 'default', "
                                  "'none'/None or a Posterior)"))
    if text == "none":
        return None
    if text == "default" and not DEFAULT_DIR.is_dir():
        raise InputError(f"There is no committed default calibration ({DEFAULT_DIR} is "
                         "missing). Run `make calibrate` to create it, give a calibration "
                         "folder with --posterior DIR, or use --posterior none.")
    return load_posterior(DEFAULT_DIR if text == "default" else text)


def check_model(folder: Path, manifest: dict[str, Any], allow_stale: bool | None = None) -> None:
    """Refuse a posterior fitted to another model than this one (its manifest's
    ``model_fingerprint`` matches neither this model's code nor its behaviour:
    :mod:`leverage_sim.simulation.model_fingerprint`), unless ``allow_stale`` (default:
    :func:`leverage_sim.simulation.stale.stale_allowed`, set by ``--allow-stale``)."""
    from leverage_sim.simulation import model_fingerprint

    allow = stale_allowed() if allow_stale is None else require_switch(allow_stale, "allow_stale")
    if allow or model_fingerprint.matches(manifest.get("model_fingerprint")):
        return
    recorded = manifest.get("model_fingerprint")
    why = ("its manifest records no model fingerprint (it predates them)" if not recorded else
           "the model's code or defaults changed since, and a fixed set of runs no longer gives "
           "the same results")
    raise InputError(
        f"The calibration in '{folder}' was fitted to another version of the model: {why}. Its "
        "parameter values may mean something else in this model, so answers drawn from it "
        "would not be calibrated. Refit it (`make calibrate` for the committed one, or "
        "`leverage-sim calibrate CONFIG --out DIR`), run with --posterior none, or pass "
        "--allow-stale to use it anyway (the outputs then record that it is stale).")


def _read_manifest(manifest_file: Path, how: str) -> Any:
    """The JSON in a posterior's ``manifest.json``; an :class:`InputError` if it is not JSON
    or cannot be read."""
    try:
        return json.loads(manifest_file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise InputError(f"{manifest_file} is damaged ({e}); run the calibration again.") from None
    except OSError as e:
        raise InputError(access_refused(manifest_file, e) or
                         f"{manifest_file} cannot be read ({e}). {how}") from None


def _unfinished(folder: Path, status: str) -> str:
    """Why a calibration that did not finish is no posterior, and how to finish it."""
    return (f"The calibration in '{folder}' did not finish (status '{status}'): it has no "
            "posterior yet, and its particles would come from an unfinished generation that "
            "understates the uncertainty. Finish it with the same `leverage-sim calibrate "
            "CONFIG --out DIR` command plus --resume (it continues where it stopped), or use "
            "another posterior.")


def load_posterior(path: str | os.PathLike[str], allow_stale: bool | None = None) -> Posterior:
    """Read and check a posterior folder (``allow_stale``: see :func:`check_model`).

    Raises:
        InputError: the folder or a file is missing or damaged, a column is not a numeric
            scenario parameter or holds values outside its range in the schema, weights are
            negative or do not sum to 1, the calibration did not finish (``status`` is not
            ``complete``), or it was fitted to another model (:func:`check_model`).
    """
    folder = Path(require_path(path, "A posterior folder"))
    manifest_file, table_file = folder / "manifest.json", folder / "posterior.parquet"
    how = ("Give the --out folder of `leverage-sim calibrate` or `default` for the committed "
           "calibration (`run`, `compare`, `sweep` and `explore` also take `none`: the "
           "scenario's own values).")
    problem = folder_problem(folder)
    if problem is not None:
        raise InputError(f"Posterior folder '{folder}' {problem}. {how}")
    if manifest_file.is_file() and not table_file.is_file():  # an unfinished calibration?
        started = None
        with contextlib.suppress(InputError):  # unreadable: "not a posterior folder" below
            started = _read_manifest(manifest_file, how)
        if isinstance(started, dict) and started.get("kind") == KIND \
                and started.get("status", COMPLETE) != COMPLETE:
            raise InputError(_unfinished(folder, started["status"]))
    for f in (manifest_file, table_file):
        if not f.is_file():
            kind = " (a folder)" if f.is_dir() else ""
            raise InputError(f"'{folder}' is not a posterior folder: {f.name} is missing"
                             f"{kind}. {how}")
    manifest = _read_manifest(manifest_file, how)
    if not isinstance(manifest, dict) or manifest.get("kind") != KIND:
        raise InputError(f"{manifest_file} is not a leverage-sim calibration manifest (its "
                         f"'kind' is not '{KIND}'). {how}")
    _check_shape(manifest_file, manifest)
    missing = [k for k in ("base_scenario", "parameters", "status") if k not in manifest]
    missing += [] if base_values(manifest) else ["base_values"]
    if missing:
        raise InputError(f"{manifest_file} lacks {', '.join(missing)}; run the calibration "
                         "again with this version of leverage-sim.")
    if manifest["status"] != COMPLETE:
        raise InputError(_unfinished(folder, manifest["status"]))
    check_model(folder, manifest, allow_stale)
    if manifest.get("method", "smc") == "smc":
        smc_sample_size(folder)  # shown in briefs: damaged, it failed them after the runs
    try:
        table = pd.read_parquet(table_file)
    except Exception as e:  # noqa: BLE001 - any reader failure: refused or damaged
        raise InputError(access_refused(table_file, e) or (
            f"{table_file} cannot be read as Parquet ({type(e).__name__}: {e}); run the "
            "calibration again.")) from None
    if "weight" not in table.columns or len(table) == 0:
        raise InputError(f"{table_file} must have a 'weight' column and at least one row.")
    paths = tuple(c for c in table.columns if c != "weight" and not _retired_column(
        c, table_file, stale_allowed() if allow_stale is None else allow_stale))
    if not paths:
        raise InputError(f"{table_file} has no parameter column besides 'weight', so it would "
                         f"change nothing in a run; {DAMAGED}.")
    integer = tuple(_numeric_field(p, table_file) for p in paths)
    _check_one_column_per_field(paths, table_file)
    _check_every_prior_has_a_column(manifest, paths, table_file)
    lacking = [p for p in paths if p not in base_values(manifest)]
    if lacking:
        raise InputError(f"{manifest_file}: base_values has no value for {', '.join(lacking)} "
                         f"(a column of {table_file.name}); run the calibration again.")
    for column in (*paths, "weight"):
        dtype = table[column].dtype
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
            held = "text" if pd.api.types.is_string_dtype(dtype) else f"{dtype} values"
            raise InputError(f"{table_file}: column '{column}' must hold numbers, not {held}; "
                             f"{DAMAGED}.")
    weights = table["weight"].to_numpy(dtype=float)
    values = table[list(paths)].to_numpy(dtype=float)
    if not (np.isfinite(weights).all() and np.isfinite(values).all()) or (weights < 0).any():
        raise InputError(f"{table_file}: weights and values must be finite numbers, weights "
                         "not negative.")
    with np.errstate(over="ignore"):  # weights near 1e308 sum to inf: said below, no warning
        total = weights.sum()
    if abs(total - 1) > WEIGHT_TOLERANCE:
        raise InputError(f"{table_file}: the weights sum to {total:.6g}, not 1. The "
                         "file was edited or damaged; run the calibration again.")
    for p, column, whole in zip(paths, values.T, integer, strict=True):
        if whole:
            _check_whole(p, column, table_file)
        _check_range(p, column, table_file)
    _check_inside_priors(manifest, paths, values, table_file)
    digest = file_sha256(table_file)
    return Posterior(folder, paths, values, weights / weights.sum(), integer, manifest, digest)


def _check_shape(manifest_file: Path, manifest: dict[str, Any]) -> None:
    """InputError naming the first field of a calibration manifest that is there but has the
    wrong shape (absent or empty fields are told apart by the caller)."""
    base = manifest.get("base_scenario")
    fitted = manifest.get("fitted_scenarios") or {}
    informed = manifest.get("informed", [])
    wrong = [(name, what) for name, ok, what in (
        ("base_scenario", base is None or isinstance(base, str | dict),
         "a scenario name or {name, values}"),
        ("base_scenario.values", not isinstance(base, dict) or _numbers(base.get("values") or {}),
         PATHS_TO_NUMBERS),
        ("base_values", _numbers(manifest.get("base_values") or {}), PATHS_TO_NUMBERS),
        ("fitted_scenarios", isinstance(fitted, dict) and all(map(_numbers, fitted.values())),
         "a mapping {scenario: {parameter path: number}}"),
        ("parameters", isinstance(manifest.get("parameters") or [], list | dict),
         "the priors: a list of {path, family, low, high} or a mapping by path"),
        ("model_fingerprint", isinstance(manifest.get("model_fingerprint") or {}, dict),
         "a mapping {code, behaviour}"),
        # shown in reports and briefs (a wrong type failed them after the runs, losing them)
        ("method", manifest.get("method", "smc") in ("table", "smc"), "'table' or 'smc'"),
        ("informed", isinstance(informed, list) and all(isinstance(p, str) for p in informed),
         "a list of parameter paths"),
        ("simulations", is_finite_number(manifest.get("simulations", 0))
         and manifest.get("simulations", 0) >= 0, "a count of simulations"),
        ("ess", is_finite_number(manifest.get("ess", 0.0)), "a number (effective sample size)"),
        ("converged", isinstance(manifest.get("converged", False), bool), "true or false"),
        ("quick", isinstance(manifest.get("quick", False), bool), "true or false"),
    ) if not ok]
    if wrong:
        name, what = wrong[0]
        raise InputError(f"{manifest_file}: '{name}' must be {what}; {DAMAGED}.")


def smc_sample_size(folder: Path) -> tuple[float, float] | None:
    """(effective sample size, particles) of an ABC-SMC posterior's last generation, from the
    last row of its ``diagnostics.csv``; None if it has no such file. An :class:`InputError`
    naming the file if it is there but holds no such row (emptied, edited or damaged)."""
    path = folder / "diagnostics.csv"
    if not path.is_file():
        return None
    try:
        last = pd.read_csv(path).iloc[-1]
        sizes = float(last["effective_sample_size"]), float(last["particles"])
    except (OSError, ValueError, TypeError, KeyError, IndexError) as e:
        why = f"no column {e}" if isinstance(e, KeyError) else \
            "no row" if isinstance(e, IndexError) else f"{type(e).__name__}: {e}"
        raise InputError(f"{path} cannot be read as the calibration's diagnostics ({why}): "
                         "its last row must give effective_sample_size and particles; "
                         f"{DAMAGED}.") from None
    if not all(math.isfinite(v) and v >= 0 for v in sizes):
        raise InputError(f"{path}: the last row's effective_sample_size and particles must be "
                         f"finite numbers of at least 0, got {sizes[0]} and {sizes[1]}; "
                         f"{DAMAGED}.")
    return sizes


def _numbers(value: Any) -> bool:
    """True for a mapping whose values are all finite numbers (not booleans, NaN or
    infinity: a base value compared with a scenario's own)."""
    return isinstance(value, dict) and all(map(is_finite_number, value.values()))


def _retired_column(path: str, where: Path, allow_stale: bool) -> bool:
    """True if posterior column ``path`` names a retired field: a stale posterior used anyway
    (``allow_stale``) leaves it out (the scenario's values of the fields that replaced it are
    used); otherwise InputError (refit)."""
    message = retired(path)
    if message is None:
        return False
    if allow_stale:
        return True
    raise InputError(f"{where}: column '{path}': {message}. Refit the calibration "
                     "(`make calibrate`), or run with --posterior none.")


def _numeric_field(path: str, where: Path) -> bool:
    """True for an integer field, False for a float one; InputError for anything else
    (a path that cannot be read, a setting of the whole run, no number)."""
    try:
        run_wide = ov.is_run_setting(path)
    except InputError as e:
        raise InputError(f"{where}: column '{path}' is no path as --set takes it "
                         f"({str(e).rstrip('.')}); {DAMAGED}.") from None
    if run_wide:
        raise InputError(f"{where}: column '{path}' is a setting of the whole run, not a "
                         "parameter of an actor or site: a posterior never sets a run's days "
                         f"or seed; {DAMAGED}.")
    at = ov.positional_step(path)
    if at is not None:
        raise InputError(f"{where}: column '{path}' picks a list entry by its position [{at}], "
                         "which is another militia or site in each scenario (and may name a "
                         "field another column names by its name); a calibration names each "
                         f"entry; {DAMAGED}.")
    try:
        info = field_of(path)
    except InputError as e:  # a retired field
        raise InputError(f"{where}: column '{path}': {str(e).rstrip('.')}; {DAMAGED}.") from None
    if info is None or info.annotation not in (int, float):
        raise InputError(f"{where}: column '{path}' is not a numeric scenario parameter (see "
                         "`leverage-sim params`); a posterior column must be a path as --set "
                         "takes it, e.g. government.decision_sharpness.")
    return info.annotation is int


def _check_one_column_per_field(paths: tuple[str, ...], where: Path) -> None:
    """InputError if two columns, spelt differently, name one field (``militias[KH].autonomy``
    and ``militias[ KH ].autonomy``): every draw would set it twice, so every run would fail."""
    twice = ov.one_field_twice(paths)
    if twice is not None:
        first, second, field = twice
        raise InputError(f"{where}: columns '{first}' and '{second}' are one field ({field}), "
                         f"so every draw would set it twice and every run would fail; "
                         f"{DAMAGED}.")


def _check_every_prior_has_a_column(manifest: dict[str, Any], paths: tuple[str, ...],
                                    where: Path) -> None:
    """InputError if the manifest's priors name a parameter (not a retired one) that has no
    column: every run would use the scenario's own value of it, not the calibrated one."""
    raw = _prior_specs(manifest)
    if not isinstance(raw, dict):
        return  # priors() names a manifest whose priors cannot be read
    missing = [p for p in raw if isinstance(p, str) and p not in paths and retired(p) is None]
    if missing:
        raise InputError(
            f"{where} has no column for {', '.join(missing)}, which the calibration fitted "
            "(manifest.json 'parameters'): runs would use the scenario's own value of "
            f"{'it' if len(missing) == 1 else 'them'} and still say they drew from this "
            f"posterior; {DAMAGED}.")


def _check_whole(path: str, column: np.ndarray, where: Path) -> None:
    """InputError if a column of a field of whole numbers holds a fraction (a calibration
    writes them as integers; a fraction would be rounded away unseen)."""
    fractional = column[column != np.rint(column)]
    if fractional.size:
        raise InputError(f"{where}: column '{path}' is a field of whole numbers but holds "
                         f"{fractional[0]:g}, which a run would round; {DAMAGED}.")


def _check_range(path: str, column: np.ndarray, where: Path) -> None:
    """InputError if a posterior column leaves its field's range: every draw of it would make
    an invalid scenario, so every run would fail."""
    info = field_of(path)
    low, high = float(column.min()), float(column.max())
    within = {"ge": low.__ge__, "gt": low.__gt__, "le": high.__le__, "lt": high.__lt__}
    for m in info.metadata:
        for name, ok in within.items():
            bound = getattr(m, name, None)
            if bound is None or ok(bound):
                continue
            held = f"the value {low:g}" if low == high else f"values from {low:g} to {high:g}"
            raise InputError(
                f"{where}: column '{path}' holds {held}, outside "
                f"what the scenario schema allows ({field_summary(info)}), so every run "
                "drawing from it would fail. The file was edited, or the calibration ran "
                "with other ranges: run the calibration again, or use another posterior.")


def _prior_specs(manifest: dict[str, Any]) -> Any:
    """The manifest's ``parameters`` as {path: prior}, however written (a list with a
    ``path`` each, or a mapping); what is neither is returned as it is."""
    raw = manifest["parameters"]
    if isinstance(raw, list):
        raw = {entry.get("path"): entry for entry in raw if isinstance(entry, dict)}
    return raw


def parameter_paths(manifest: dict[str, Any]) -> list[str]:
    """The calibrated parameters' paths a posterior manifest lists, in its order, however its
    ``parameters`` are written (a list with a ``path`` each, or a mapping)."""
    specs = _prior_specs(manifest) if "parameters" in manifest else {}
    return [path for path in specs if isinstance(path, str)] if isinstance(specs, dict) else []


def _read_prior(path: str, raw: dict[str, Any], where: str) -> Parameter:
    """The prior of ``path`` from its manifest entry ``raw`` (``family`` for ``distribution``,
    ``bounds: [lo, hi]`` for ``low``/``high``); InputError naming ``where`` if it cannot be
    read or reaches outside the schema's range."""
    spec = dict(raw)
    spec.pop("path", None)
    spec.setdefault("distribution", spec.pop("family", None) or "uniform")
    if "bounds" in spec:
        spec["low"], spec["high"] = spec.pop("bounds")
    known = {k: v for k, v in spec.items() if k in Parameter.model_fields}
    try:
        prior = Parameter.model_validate(known)
    except (ValidationError, TypeError, ValueError) as e:
        why = ("; ".join(err["msg"].removeprefix("Value error, ") for err in e.errors())
               if isinstance(e, ValidationError) else str(e))
        raise InputError(f"{where}: the prior of '{path}' is not readable ({why}). Write "
                         "it as {distribution: uniform, low: .., high: ..}.") from None
    _check_prior_range(path, prior, where)
    return prior


def _check_inside_priors(manifest: dict[str, Any], paths: tuple[str, ...],
                         values: np.ndarray, where: Path) -> None:
    """InputError if a posterior column holds a value outside its prior's support (manifest.json
    'parameters'): both methods draw every particle from the priors, so such a value was edited
    in, or the table and the manifest come from different calibrations."""
    raw = _prior_specs(manifest)
    if not isinstance(raw, dict):
        return  # priors() names a manifest whose priors cannot be read
    listed = f"{where.parent / 'manifest.json'}: 'parameters'"
    for path, column in zip(paths, values.T, strict=True):
        if not isinstance(raw.get(path), dict):
            continue  # retired, or named by priors() when it is read
        low, high = _support(_read_prior(path, raw[path], listed))
        slack = 1e-9 * (high - low) if np.isfinite(high - low) else 0.0
        if column.min() >= low - slack and column.max() <= high + slack:
            continue
        raise InputError(
            f"{where}: column '{path}' holds values from {column.min():g} to {column.max():g}, "
            f"outside its prior ({low:g} to {high:g}, {listed}), from which the calibration "
            f"drew every particle; {DAMAGED}.")


def _support(prior: Parameter) -> tuple[float, float]:
    """The lowest and highest value a draw from ``prior`` can take (±inf where unbounded)."""
    if prior.discrete is not None:
        numbers = [float(v) for v in prior.discrete if is_finite_number(v)]
        return (min(numbers), max(numbers)) if numbers else (-np.inf, np.inf)
    if prior.distribution == "normal":  # the quantile function stops short of ±inf
        ends = (-np.inf if prior.low is None else prior.low,
                np.inf if prior.high is None else prior.high)
        return tuple(float(round(e)) if prior.integer and np.isfinite(e) else float(e)
                     for e in ends)
    low, high = prior.ppf(np.array([0.0, 1.0]))
    return float(low), float(high)


def _check_prior_range(path: str, prior: Parameter, where: str) -> None:
    """InputError if ``prior`` reaches outside the schema's range of the field at ``path`` (a
    calibration refuses such a prior): a draw from it would make an invalid scenario, found
    only when validate-model's prior runs start, after its posterior runs."""
    ends = prior.ppf(np.array([0.0, 1.0]))
    lo, hi = allowed_range(field_of(path))
    if all(map(is_finite_number, ends)) and (lo is None or min(ends) >= lo) \
            and (hi is None or max(ends) <= hi):
        return
    shown = ", ".join(f"{v:g}" if is_finite_number(v) else repr(v) for v in ends)
    raise InputError(f"{where}: the prior of '{path}' reaches [{shown}], outside what the "
                     f"scenario schema allows ({field_summary(field_of(path))}), so a draw from "
                     f"it would be no valid scenario; {DAMAGED}.")


def priors(posterior: Posterior) -> dict[str, Any]:
    """The calibration's priors as {path: :class:`leverage_sim.scenario.distributions.Parameter`}.

    ``manifest.json`` ``parameters`` maps each path to a prior written like a sweep parameter
    (``{distribution: uniform, low: 0, high: 1}``), or lists them with a ``path`` each (as
    ``leverage-sim calibrate`` writes); ``family`` is accepted for ``distribution`` and
    ``bounds: [lo, hi]`` for ``low``/``high``."""
    raw = _prior_specs(posterior.manifest)
    where = f"{posterior.path / 'manifest.json'}: 'parameters'"
    if not isinstance(raw, dict):
        raise InputError(f"{where} must list the priors; run the calibration again.")
    out = {path: _read_prior(path, raw[path], where) for path in posterior.paths
           if isinstance(raw.get(path), dict)}
    missing = [path for path in posterior.paths if path not in out]
    if missing:
        raise InputError(
            f"{where} has no prior for {', '.join(missing)}, "
            f"{'a column' if len(missing) == 1 else 'columns'} of posterior.parquet: the table "
            "and the manifest come from calibrations of different parameter sets. Use a "
            "posterior folder as `leverage-sim calibrate` wrote it (or run the calibration "
            "again).")
    return out
