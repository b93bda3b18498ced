"""Finding, reading and validating scenario files.

A scenario is a YAML file validated against :class:`leverage_sim.scenario.schema.Scenario`. A file may
say ``extends: <scenario name or .yaml/.yml path>`` to inherit another scenario and override
parts of it (deep merge; list entries with a ``name`` are matched by name, entries without one
are appended, ``{name: X, remove: true}`` drops entry X, and an empty list clears the inherited
one). Names in one list of one file must be unique. Dotted overrides are applied last. YAML is
read by :mod:`leverage_sim.files.safe_yaml` (duplicate keys, tags, size limits); the rules are in
docs/scenarios.md.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from leverage_sim.errors import InputError
from leverage_sim.files.safe_text import article, is_utf8
from leverage_sim.files.safe_yaml import (
    as_written,
    folder_problem,
    load_text,
    read_file,
    read_text,
    require_file,
    require_path,
    yes_no_hint,
)
from leverage_sim.scenario import event_schema
from leverage_sim.scenario import overrides as ov
from leverage_sim.scenario.event_schema import check_events, figure_field, label, short_repr
from leverage_sim.scenario.limits import as_list, repeated
from leverage_sim.scenario.renamed import RENAMED_FIELDS, current_fields, current_name
from leverage_sim.scenario.schema import Scenario, retired
from leverage_sim.scenario.schema_base import Problems, Strict, field_summary, plain_type

ENV_SCENARIO_PATH = "LEVERAGE_SIM_SCENARIO_PATH"
BUILTIN_SCENARIO_DIR = Path(__file__).resolve().parents[3] / "scenarios"

Overrides = Mapping[str, Any] | Iterable[str] | None
MAX_EXTENDS = 20
"""Longest ``extends`` chain (the shipped scenarios use 1)."""
MAX_PROBLEMS_SHOWN = 10
"""Problems listed in one error message; the rest are counted."""


def as_folders(extra: Iterable[str | Path] | str | Path) -> list[str | Path]:
    """``extra`` as a list of folders: one folder given as a text or path is that folder (not
    the characters of its name, which iterating a text would give)."""
    return [require_path(f, "Each scenario folder (scenario_dirs, --scenario-dir)")
            for f in as_list(extra, (str, os.PathLike, bytes, Mapping))]


def scenario_dirs(extra: Iterable[str | Path] = ()) -> list[Path]:
    """Folders searched for scenarios by name, in order: ``extra``, ``$LEVERAGE_SIM_SCENARIO_PATH``
    (``os.pathsep``-separated), ``./scenarios``, then the scenarios shipped with leverage-sim."""
    dirs = ([(Path(p), "--scenario-dir") for p in as_folders(extra)]
            + [(Path(p), f"${ENV_SCENARIO_PATH} entry") for p in _env_entries()]
            + [(Path.cwd() / "scenarios", "folder"), (BUILTIN_SCENARIO_DIR, "folder")])
    unique: list[Path] = []
    for d, origin in dirs:
        if _readable_folder(d, origin) and d.resolve() not in [u.resolve() for u in unique]:
            unique.append(d)
    return unique


def _env_entries() -> list[str]:
    """The entries of ``$LEVERAGE_SIM_SCENARIO_PATH`` (empty ones dropped), a leading ``~``
    the home folder as in ``--scenario-dir`` (``export LEVERAGE_SIM_SCENARIO_PATH="~/x"``,
    quoted, reaches the program unexpanded, and was skipped as no folder)."""
    return [os.path.expanduser(p)
            for p in os.environ.get(ENV_SCENARIO_PATH, "").split(os.pathsep) if p]


def _searched(extra: Iterable[str | Path]) -> str:
    """Where a name was looked up, for a not-found message: the folders searched, and the
    entries of ``$LEVERAGE_SIM_SCENARIO_PATH`` that are no folder (skipped, as a shell skips
    a missing ``PATH`` entry, but named here: often the reason a scenario is not found)."""
    folders = ", ".join(str(d) for d in scenario_dirs(extra))  # first: an entry that cannot
    # be read (a name too long) is an error naming it, not an OSError from is_dir below
    missing = [p for p in _env_entries() if folder_problem(Path(p)) is not None]
    return (f"searched {folders or 'no folder'}"
            + (f"; ${ENV_SCENARIO_PATH} entries that are no folder, skipped: "
               f"{', '.join(repr(p) for p in missing)}" if missing else "")
            + ("" if BUILTIN_SCENARIO_DIR.is_dir() else
               f"; leverage-sim's own scenarios are missing ({BUILTIN_SCENARIO_DIR}): it runs "
               "from a clone of its repository installed with `make install` (editable), as "
               "a built wheel carries no scenarios/, episodes/ or calibration/"))


def _readable_folder(d: Path, origin: str) -> bool:
    """True for a folder whose files can be listed, False for no folder; a folder that cannot
    be read (or a path the system refuses, e.g. too long) is an :class:`InputError`."""
    try:
        if not d.is_dir():
            return False
        with os.scandir(d) as entries:
            next(entries, None)
        return True
    except OSError as e:
        raise InputError(f"The {origin} '{d}' cannot be read ({e.strerror or e}), so no "
                         "scenario can be looked up there. Fix its permissions or the path, or "
                         "remove it.") from None


def available_scenarios(extra: Iterable[str | Path] = ()) -> dict[str, Path]:
    """Scenario name -> file, first folder wins (see :func:`scenario_dirs`); files whose names
    no command could give as a scenario name are left out (:func:`unnamed_scenario_files`)."""
    found: dict[str, Path] = {}
    for f in _scenario_files(extra):
        if unnamed_because(f) is None:
            found.setdefault(f.stem, f)
    return found


def unnamed_scenario_files(extra: Iterable[str | Path] = ()) -> list[Path]:
    """Scenario files whose names are no scenario name (:func:`unnamed_because`): no command
    can run them by name, so they are not listed as scenarios (their paths still work)."""
    return [f for f in _scenario_files(extra) if unnamed_because(f) is not None]


def unnamed_because(f: Path) -> str | None:
    """Why the file ``f`` cannot be named as a scenario (None if it can): its name is not
    UTF-8 text (no argument can hold it, nor can it be printed as such), or its stem is not
    a scenario name (letters, digits, '_', '-', '.'; e.g. it holds a space)."""
    if not is_utf8(f.name):
        return "its name is not UTF-8 text"
    if not _NAME.fullmatch(f.stem):
        return f"'{f.stem}' is not a scenario name, so it runs only by its path"
    return None


def _scenario_files(extra: Iterable[str | Path]) -> list[Path]:
    """The .yaml/.yml files of the scenario folders, folder by folder, each sorted."""
    return [f for d in scenario_dirs(extra)
            for f in sorted([*d.glob("*.yaml"), *d.glob("*.yml")])]


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def is_scenario_path(name_or_path: str | Path) -> bool:
    """Whether ``name_or_path`` is meant as a file (it ends in .yaml/.yml) rather than a name;
    a file named only ``.yaml`` is one too (pathlib reads it as a stem without a suffix)."""
    last = Path(name_or_path).name.lower()
    return Path(last).suffix in (".yaml", ".yml") or last in (".yaml", ".yml")


def find_scenario(name_or_path: str | Path, extra_dirs: Iterable[str | Path] = ()) -> Path:
    """The file for a scenario name or a .yaml/.yml path; an :class:`InputError` saying what is
    wrong (listing the known names for an unknown name)."""
    p = Path(require_path(name_or_path, "A scenario (its name, the path of its .yaml file, or "
                          "a Scenario)"))
    if is_scenario_path(p):
        return require_file(p, "Scenario file", "Check the path, or give a scenario name (see "
                            "`leverage-sim list`).")
    if not _NAME.fullmatch(str(name_or_path)):
        raise InputError(f"'{name_or_path}' is neither a scenario name (letters, digits, '_', "
                         "'-', '.'; see `leverage-sim list`) nor a path to a .yaml/.yml "
                         "scenario file.")
    found = find_named_file(
        name_or_path, lambda: available_scenarios(extra_dirs), "scenario",
        "(see `leverage-sim list`)",
        f" ({_searched(extra_dirs)}; add folders with ${ENV_SCENARIO_PATH}, or --scenario-dir "
        "where the command takes it)")
    twin = found.with_suffix(".yml" if found.suffix == ".yaml" else ".yaml")
    if found.parent != Path(".") and twin.is_file():
        raise InputError(f"The scenario name '{name_or_path}' is ambiguous: {found.parent} holds "
                         f"both {found.name} and {twin.name}. Rename or remove one, or give "
                         "the file's path.")
    return found


def find_named_file(name_or_path: str | Path, known: Callable[[], Mapping[str, Path]],
                    kind: str, name_hint: str, searched: str = "",
                    listed: Mapping[str, Path] | None = None) -> Path:
    """``name_or_path`` itself if it is a path (a ``.yaml`` name or one with a folder) to an
    existing file, else the file ``known()`` maps the name to; an :class:`InputError` naming
    the ``kind`` of file, close matches and the known names (``listed``, default all of
    ``known()``) otherwise."""
    p = Path(require_path(name_or_path, f"{article(kind).capitalize()} {kind} (its name, or the "
                          "path of its .yaml file)"))
    a = article(kind)
    if p.suffix in (".yaml", ".yml"):
        return require_file(p, f"{kind.capitalize()} file", f"Check the path, or give {a} {kind} "
                            f"name {name_hint}.")
    if p.parent != Path("."):  # never read: /etc/passwd is no episode
        raise InputError(f"'{p}' is neither {a} {kind} name nor a path to a .yaml/.yml "
                         f"{kind} file. Give {a} {kind} name {name_hint}, or the path of its "
                         ".yaml file.")
    names = known()
    if str(name_or_path) in names:
        return names[str(name_or_path)]
    shown = names if listed is None else listed
    close = difflib.get_close_matches(str(name_or_path), shown, n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise InputError(f"No {kind} named '{name_or_path}'.{hint} Known {kind}s: "
                     f"{', '.join(shown) or 'none'}{searched}.")


def read_yaml(path: Path, what: str = "File") -> dict[str, Any]:
    """Read one YAML mapping (see :mod:`leverage_sim.files.safe_yaml`); problems name the file, and
    the line for syntax errors."""
    return _mapping(read_file(path, what), path)


def _mapping(data: Any, path: Path) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(f"{path}: must be a YAML mapping of fields (name: value), not a "
                         f"{type(data).__name__}.")
    return data


_SCENARIO_KEY = re.compile(r"\b(militias|extends)\s*:")


def read_scenario_file(path: Path) -> dict[str, Any]:
    """The raw mapping of a file named by ``extends``. A file without ``militias:`` or
    ``extends:`` is refused as "not a scenario file" before it is parsed or after, never
    quoting any of its content (a file named directly gets the detailed YAML errors)."""
    text = read_text(path, "Scenario file")
    data = _mapping(load_text(text, str(path)), path) if _SCENARIO_KEY.search(text) else {}
    if "militias" not in data and "extends" not in data:
        raise InputError(f"{path} is not a scenario file: a scenario is a YAML mapping with "
                         "`militias:` (or `extends:` naming a scenario that has them); see "
                         "docs/scenarios.md.")
    return data


def resolve_raw(name_or_path: str | Path, extra_dirs: Iterable[str | Path] = (),
                _chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    """Raw scenario data with its ``extends`` chain merged in (no validation, no overrides)."""
    extra_dirs = as_folders(extra_dirs)
    path = find_scenario(name_or_path, extra_dirs)
    if len(_chain) >= MAX_EXTENDS:
        raise InputError(f"{path}: the 'extends' chain is longer than {MAX_EXTENDS} files; "
                         "flatten it (`leverage-sim show NAME > flat.yaml` writes one file).")
    if path.resolve() in _chain:
        cycle = " -> ".join(str(p) for p in (*_chain, path.resolve()))
        raise InputError(f"{path}: 'extends' forms a cycle ({cycle}). Remove one of the links.")
    data = read_scenario_file(path) if _chain else read_yaml(path, "Scenario file")
    if not data:
        raise InputError(f"{path} holds no fields (it is empty, or only comments). A scenario "
                         "has `militias:` (or `extends:` naming the scenario it changes); "
                         "start from `leverage-sim show june_2020_replay`, and see "
                         "docs/scenarios.md.")
    if "militias" not in data and "extends" not in data:
        refuse_other_kind(data, path)
    _check_unique_names(data, path)
    _current_names(data, path)
    data.setdefault("name", path.stem)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    target = _extends_target(path, parent)
    try:
        base = resolve_raw(target, [path.parent, *extra_dirs], (*_chain, path.resolve()))
        base.pop("name", None)
        base.pop("question", None)
        return deep_merge(base, data)
    except InputError as e:
        raise InputError(f"{path}, in 'extends: {parent}': {e}") from None


def _extends_target(path: Path, parent: Any) -> str:
    """The scenario that ``extends: parent`` in the file ``path`` names, as
    :func:`find_scenario` takes it: a name, or a path made relative to the file's folder;
    :class:`InputError` when it is neither."""
    if not isinstance(parent, str) or not (is_scenario_path(parent) or _NAME.fullmatch(parent)):
        raise InputError(f"{path}: 'extends' must be one scenario name (e.g. june_2020_replay) "
                         f"or a path to a .yaml/.yml scenario file, got {as_written(parent, 60)}.")
    if is_scenario_path(parent) and not Path(parent).is_absolute():
        return str(path.parent / parent)
    return parent


def lineage(name: str | Path, extra_dirs: Iterable[str | Path] = ()) -> tuple[str, ...]:
    """``name`` and the scenarios it extends, nearest first, each by its name (its ``name:``,
    else its file's stem): ``("sadr_city_2008", "basra_2008")``. ``name`` may be the path of
    a scenario file (then the chain starts with that file's name). The chain is followed as
    :func:`resolve_raw` follows it, from the file :func:`find_scenario` finds for ``name``; a
    name no folder has, or a file that cannot be read, ends it (its errors are the loader's
    to report, when the scenario is loaded)."""
    extra_dirs = as_folders(extra_dirs)
    chain = [] if is_scenario_path(name) else [str(name)]
    try:
        path = find_scenario(name, extra_dirs)
        data = read_scenario_file(path)
        chain = chain or [_own_name(path, data)]
        while "extends" in data and len(chain) <= MAX_EXTENDS:
            path = find_scenario(_extends_target(path, data["extends"]),
                                 [path.parent, *extra_dirs])
            data = read_scenario_file(path)
            parent = _own_name(path, data)
            if parent in chain:
                break
            chain.append(parent)
    except InputError:
        pass
    return tuple(chain) or (Path(name).stem,)


def scenario_lineage(scenario: Scenario) -> tuple[str, ...]:
    """:func:`lineage` of a loaded scenario: followed from the file it was read from (its
    :attr:`~leverage_sim.scenario.schema.Scenario.origin`: a file given by its path, or found
    in a --scenario-dir, is found by no name), else from its name."""
    if not scenario.origin:
        return lineage(scenario.name)
    source, *dirs = scenario.origin
    return (scenario.name, *lineage(source, dirs)[1:])


def _own_name(path: Path, data: dict[str, Any]) -> str:
    """A scenario file's name: its ``name:``, else its stem (as :func:`resolve_raw` sets it)."""
    name = data.get("name")
    return name if isinstance(name, str) else path.stem


class FileKind(NamedTuple):
    """A kind of YAML file leverage-sim reads, as told by its top-level keys."""

    name: str
    keys: tuple[str, ...]
    """Top-level keys that mark a file of this kind."""
    needs: str
    """How its keys read in a message."""
    doc: str
    """The page that describes it."""
    fix: str
    """What to do with such a file given where another kind is expected ({path})."""
    about: str = ""
    """What such a file is, said after its keys."""


FILE_KINDS = {kind.name: kind for kind in (
    FileKind("scenario", ("militias", "extends"), "`militias:` (or `extends:`)",
             "docs/scenarios.md",
             "run it with `leverage-sim run {path}`, or name it in an episode's `scenario:`"),
    FileKind("calibration file", ("base_scenario", "episodes"),
             "`base_scenario:` and `episodes:`", "docs/calibration.md",
             "fit it with `leverage-sim calibrate {path} --out DIR`, or give its base scenario"),
    FileKind("episode file", ("facts", "scenario"), "`facts:` and `scenario:`",
             "docs/calibration.md",
             "`leverage-sim validate {path}` checks it; give its scenario instead",
             ", a piece of the historical record that calibrate and validate-model run on its "
             "scenario"),
    FileKind("sweep file", ("parameters", "base"), "`parameters:` and `base:`", "docs/sweeps.md",
             "run it with `leverage-sim sweep {path}`, or give its base scenario"),
)}
"""The kinds of file, by name, told apart when one is given where another is expected
(:func:`refuse_other_kind`); a calibration file, which may list ``facts:`` and
``parameters:`` too, is named before the episode and sweep files."""


def refuse_other_kind(data: dict[str, Any], path: Path, wanted: str = "scenario",
                      own: Iterable[str] = ()) -> None:
    """An :class:`InputError` if ``data``, a file given as the ``wanted`` kind of
    :data:`FILE_KINDS`, has keys of another kind that are not among the ``own`` fields of
    the wanted kind: saying what it is and what to do beats a list of the fields it lacks."""
    want, other = FILE_KINDS[wanted], other_kind(data, wanted, own)
    if other is not None:
        kind, found = other
        raise InputError(
            f"{path} is not {article(wanted)} {wanted} but {article(kind.name)} {kind.name} "
            f"(it has {found}){kind.about}: {kind.fix.format(path=path)}. "
            f"{article(wanted).capitalize()} {wanted} has {want.needs}; see {want.doc}.")


def other_kind(data: dict[str, Any], wanted: str = "scenario", own: Iterable[str] = ()
               ) -> tuple[FileKind, str] | None:
    """The kind of :data:`FILE_KINDS` other than ``wanted`` whose keys ``data`` has (outside
    the ``own`` fields of the wanted kind), with those keys as a message shows them; None if
    it has none."""
    own = set(own)
    for kind in FILE_KINDS.values():
        found = [f"`{k}:`" for k in kind.keys if k in data and k not in own]
        if kind.name != wanted and found:
            return kind, " and ".join(found)
    return None


def _check_unique_names(node: Any, path: Path, where: str = "") -> None:
    """Within one file, entries of a list (militias, sites, events) must have distinct names."""
    if isinstance(node, dict):
        for key, value in node.items():
            _check_unique_names(value, path, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        names = [e["name"] for e in node if isinstance(e, dict) and isinstance(e.get("name"), str)]
        dupes = repeated(names)
        if dupes:
            raise InputError(f"{path}: '{where}' names {', '.join(map(repr, dupes))} more than "
                             "once; each entry of a list needs its own name (merge the entries "
                             "into one).")
        for entry in node:
            if isinstance(entry, dict):
                _check_unique_names(entry, path, f"{where}[{entry.get('name', '?')}]")


def _current_names(data: dict[str, Any], path: Path) -> None:
    """Write the old field names in the entries of the file's lists (``capital_fighters`` in
    ``militias``) as the current ones, in place, before an ``extends`` merge or an override
    meets them (:mod:`leverage_sim.scenario.renamed`); InputError if an entry gives both."""
    for section in RENAMED_FIELDS:
        entries = data.get(section)
        if not isinstance(entries, list):
            continue
        try:
            data[section] = [current_fields(section, e, f"{section}[{e.get('name', i)}]")
                             if isinstance(e, dict) else e for i, e in enumerate(entries)]
        except ValueError as e:
            raise InputError(f"{path}: {e}.") from None


def deep_merge(base: Any, override: Any) -> Any:
    """Merge ``override`` into ``base``: mappings recursively, named list entries by name."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = deep_merge(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(override, list):
        return _merge_named_lists(base, override)
    return override


_REMOVED = object()


def _merge_named_lists(base: list[Any], override: list[Any]) -> list[Any]:
    """Entries of ``override`` merge into the ``base`` entry of the same name, or are appended;
    ``{name: X, remove: true}`` drops X; an empty ``override`` clears the list. Linear time."""
    if not override:
        return []
    merged: list[Any] = list(base)
    index = {b["name"]: i for i, b in enumerate(merged)
             if isinstance(b, dict) and isinstance(b.get("name"), str)}
    for entry in override:
        name = entry.get("name") if isinstance(entry, dict) else None
        i = index.get(name) if isinstance(name, str) else None
        if isinstance(entry, dict) and entry.get("remove") is True:
            _check_removal(entry)
            if i is None:
                raise InputError(f"{{name: {name}, remove: true}} removes nothing: no inherited "
                                 f"entry is named {name!r}. Check the name.")
            merged[i] = _REMOVED
            del index[name]
        elif i is None:
            if isinstance(name, str):
                index[name] = len(merged)
            merged.append(entry)
        else:
            merged[i] = deep_merge(merged[i], entry)
    return [e for e in merged if e is not _REMOVED]


def _check_removal(entry: dict[str, Any]) -> None:
    """InputError unless ``entry`` is ``{name: X, remove: true}`` and nothing else: without a
    name it removes nothing, and a field beside ``remove`` (a new date, a value) would be
    dropped with the entry, unseen."""
    name = entry.get("name")
    if not isinstance(name, str):
        raise InputError(f"{{remove: true}} without a name removes nothing (got {entry}). "
                         "Write {name: X, remove: true} with the name of the inherited entry "
                         "to remove.")
    others = [str(k) for k in entry if k not in ("name", "remove")]
    if others:
        raise InputError(f"{{name: {name}, remove: true}} also gives {', '.join(others)}, "
                         f"which removing '{name}' would drop unseen. To change the entry, "
                         f"delete 'remove: true'; to remove it, delete {', '.join(others)}.")


def load_scenario(name_or_path: str | Path | Scenario, overrides: Overrides = None,
                  scenario_dirs: Iterable[str | Path] = ()) -> Scenario:
    """Load, merge, override and validate a scenario.

    Args:
        name_or_path: a scenario name (searched in ``scenario_dirs``, then the defaults), a path
            to a YAML file, or an existing :class:`Scenario` (overrides are applied to a copy).
        overrides: ``{"foreign_forces.backing": 0.8}`` or ``["militias[KH].autonomy=0.5"]``.
        scenario_dirs: extra folders to search for names.

    Raises:
        InputError: a readable paragraph naming the file, the field path and the allowed range.
    """
    overrides = ov.normalise(overrides)  # once: texts are parsed, an iterator read, here only
    if isinstance(name_or_path, Scenario):
        raw, source = name_or_path.model_dump(mode="json"), f"scenario '{name_or_path.name}'"
        return validate(raw, source, overrides).read_from(name_or_path.origin).made_with(
            {**name_or_path.overrides, **overrides})
    source = str(find_scenario(name_or_path, scenario_dirs))
    raw = resolve_raw(source, scenario_dirs)
    return validate(raw, source, overrides, scenario_dirs).made_with(overrides)


def validate(raw: dict[str, Any], source: str, overrides: Overrides = None,
             scenario_dirs: Iterable[str | Path] = ()) -> Scenario:
    """Apply overrides to raw data and validate it; errors are :class:`InputError` paragraphs.
    A ``source`` that is a scenario file (with the ``scenario_dirs`` its ``extends`` names
    were looked up in) is noted as the scenario's origin."""
    overrides = ov.normalise(overrides)
    try:
        set_by = ov.apply_all(raw, overrides)
    except InputError as e:  # say which scenario lacks the entry (compare runs several)
        raise InputError(f"{source}: {e}") from None
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as e:
        problems: list[str] = []
        total = 0
        for err in e.errors():  # only the problems shown are described (a file may hold
            if len(problems) < MAX_PROBLEMS_SHOWN:  # 100,000 unknown fields): the rest counted
                found = _describe(err, raw, set_by)
                problems += found
                total += len(found)
            else:
                items = err.get("ctx", {}).get("error")
                total += len(items.items) if isinstance(items, Problems) else 1
        given = ", ".join(f"{k}={as_written(v)}" for k, v in overrides.items())
        via = f" (after overrides {given})" if overrides else ""
        more = total - MAX_PROBLEMS_SHOWN
        shown = problems[:MAX_PROBLEMS_SHOWN] + ([f"and {more} more"] if more > 0 else [])
        raise InputError(
            f"{source}{via}: {total} problem{'s' * (total > 1)} — "
            + "; ".join(shown)
            + ". Fix these fields in the file (or the --set override); `leverage-sim params` "
            "lists every field with its unit and range."
        ) from None
    origin = (source, *map(str, scenario_dirs)) if is_scenario_path(source) else ()
    return scenario.read_from(origin)


def _walk(loc: tuple[Any, ...]) -> tuple[type[Strict] | None, Any]:
    """For a location like ('militias', 0, 'autonomy'): the schema model that owns the last
    field (or None if the path leaves the schema) and that field's FieldInfo (or None)."""
    model: type[Strict] | None = Scenario
    info, section = None, ""
    for part in loc:
        if isinstance(part, int):
            continue
        part, section = current_name(section, part), part
        if model is None or part not in model.model_fields:
            return None, None
        info = model.model_fields[part]
        ann = info.annotation
        inner = ann.__args__[0] if getattr(ann, "__args__", None) else ann
        model = inner if isinstance(inner, type) and issubclass(inner, Strict) else None
    return model, info


def field_of(path: str) -> Any:
    """The schema field (pydantic ``FieldInfo``) that override ``path`` sets
    (``militias[KH].autonomy`` → ``Militia.autonomy``), or None if it names no field.

    Raises:
        InputError: ``path`` names a retired field (the message names what replaced it).
    """
    if retired(path):
        raise InputError(f"{retired(path)}.")
    parts = ov.parse_path(path)
    if len(parts) == 4 and parts[0] == "events" and parts[2] == "figures":
        return figure_field(parts[3])  # events[NAME].figures.sanctuary
    return _walk(tuple(0 if isinstance(p, ov.Key) else p for p in parts))[1]


def _describe(err: dict[str, Any], raw: dict[str, Any], set_by: Mapping[str, str]
              ) -> list[str]:
    """One pydantic error as readable problems (a validator may report several at once);
    ``set_by``: the override that set each field of ``raw`` (by position-only path,
    :func:`~leverage_sim.scenario.overrides.apply_all`), named in the hint for a true/false
    one."""
    loc = err["loc"]
    path = readable_loc(loc, raw)
    found = err.get("ctx", {}).get("error")
    if isinstance(found, Problems):
        return [f"{path}: {p}" if path else p for p in found.items]
    if err["type"] == "extra_forbidden":
        if retired(path):
            return [retired(path)]
        owner = _walk(loc[:-1])[0] if len(loc) > 1 else Scenario
        names = list(owner.model_fields) if owner else []
        close = difflib.get_close_matches(str(loc[-1]), names, n=1)
        hint = f" — did you mean '{close[0]}'?" if close else ""
        return [f"unknown field '{path}'{hint} (allowed here: {', '.join(names)})"]
    if err["type"] == "invalid_key":  # pydantic's loc spells a key true as 1
        return [_key_problem(err.get("input"), readable_loc(loc[:-1], raw))]
    if loc and loc[-1] == "[key]":  # a key of a mapping field (an event's figures)
        return [_key_problem(err.get("input"), readable_loc(loc[:-2], raw))]
    msg = err["msg"].removeprefix("Value error, ")
    info = _walk(loc)[1]
    summary = field_summary(info) if info is not None else ""
    value = err.get("input")
    got = "" if err["type"] == "missing" or isinstance(value, dict | list) else \
        f"got {as_written(value, 60)}"
    detail = "; ".join(x for x in (summary, got) if x)
    msg += f" ({detail})" if detail else ""
    if hint := yes_no_hint(err["type"], value, _override_of(loc, set_by)):  # No
        msg += f": {hint}"
    return [f"'{path}': {msg}" if path else msg]


def _override_of(loc: tuple[Any, ...], set_by: Mapping[str, str]) -> str | None:
    """The override path that set the field at ``loc`` itself (``militias[KH].name``, not a
    section given as a mapping), as it was given; None if no override did."""
    by = set_by.get(ov.render_path([ov.Key(str(p)) if isinstance(p, int) else p for p in loc]))
    fields = [part for part in loc if isinstance(part, str)]
    return by if by is not None and fields == [
        part for part in ov.parse_path(by) if not isinstance(part, ov.Key)] else None


def _key_problem(key: Any, where: str) -> str:
    """A key that YAML read as something other than text (``true:``, ``null:``, ``1.5:``, a
    date), written as in the file."""
    kind, written = ("true/false", str(key).lower()) if isinstance(key, bool) else \
        ("null (nothing)", "null") if key is None else \
        ("a number", str(key)) if isinstance(key, int | float) else \
        ("binary data", short_repr(key)) if isinstance(key, bytes) else ("a date", str(key))
    return (f"key '{written}'{f' in {where}' if where else ''} is read by YAML as {kind}, not "
            "as a field name: write a field's name there (`leverage-sim params` lists them)")


def readable_loc(loc: tuple[Any, ...], raw: Any) -> str:
    """('militias', 0, 'autonomy') -> 'militias[KH].autonomy' using names from the raw data
    (an entry whose name is not text, ``name: no``, by its index: 'militias[0].name'); events
    keep their index: ('events', 2, 'date') -> 'events[2] (ct_raid).date'."""
    out, node = "", raw
    for part in loc:
        if isinstance(part, int):
            entry = node[part] if isinstance(node, list) and part < len(node) else None
            name = entry.get("name") if isinstance(entry, dict) else None
            name = name if isinstance(name, str) else None  # name: no names nothing
            if out == "events":
                out = label(part, name)
            else:
                out += f"[{name if name is not None else part}]"
            node = entry
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out


@functools.lru_cache(maxsize=1024)
def _parsed(path: str) -> tuple[str, ...]:
    return tuple(ov.parse_path(path))


def _fields_of_rules() -> frozenset[str] | None:
    """The field names :meth:`Scenario.combination_problems` reads (from its source), or None
    if its source cannot be read (then every field counts)."""
    try:
        source = inspect.getsource(Scenario.combination_problems)
    except (OSError, TypeError):
        return None
    return frozenset(re.findall(r"\.([A-Za-z_]\w*)", source))


_RULE_FIELDS = _fields_of_rules()


class _NotHere(Exception):
    """The path or value is not one :func:`with_checked_numbers` sets: validate in full."""


def _locate(scenario: Scenario, parts: tuple[str, ...], kind: type
            ) -> tuple[tuple[str | int, ...], str]:
    """Where ``parts`` leads in ``scenario``: the steps to the section holding the field (field
    names, list positions) and the field's name; :class:`_NotHere` if that is not a field of
    type ``kind``."""
    node: Any = scenario
    steps: list[str | int] = []
    for part in parts[:-1]:
        if isinstance(part, ov.Key):
            if not isinstance(node, list):
                raise _NotHere
            at = ov.position(part)
            if at is None:
                at = next((i for i, e in enumerate(node)
                           if str(getattr(e, "name", None)) == part), None)
            elif -len(node) <= at < len(node):
                at %= len(node)
            else:
                at = None
            if at is None:
                raise _NotHere
            steps.append(at)
            node = node[at]
        else:
            if not isinstance(node, Strict) or part not in type(node).model_fields:
                raise _NotHere
            steps.append(part)
            node = getattr(node, part)
    attr = parts[-1]
    if isinstance(attr, ov.Key):
        raise _NotHere
    if steps and steps[-1] == "figures" and isinstance(node, dict):
        fields = _figure_fields(scenario, steps)  # a scripted event's typed figures
    elif isinstance(node, Strict):
        fields = type(node).model_fields
    else:
        raise _NotHere
    if attr not in fields or plain_type(fields[attr].annotation) is not kind:
        raise _NotHere
    return tuple(steps), attr


def _figure_fields(scenario: Scenario, steps: list[str | int]) -> dict[str, Any]:
    """The typed figures' fields of the scripted event at ``steps`` (``events``, its position,
    ``figures``); :class:`_NotHere` for another place or a ``set`` (its figures are paths)."""
    if len(steps) != 3 or steps[0] != "events":
        raise _NotHere
    figures = event_schema.RULES[scenario.events[steps[1]].action].figures
    if figures is None:
        raise _NotHere
    return figures.model_fields


@dataclass(frozen=True)
class _Plan:
    """How :func:`with_checked_numbers` sets one list of paths (with their values' types) in
    one scenario: ``tree`` (pairs of a field name or list position and either a subtree or
    the position of the value to set, copying only the sections on a changed path), the
    positions of the float values (checked finite), and whether the rules across fields must
    be checked again (a value is one they read) and the scripted sets' checks rerun."""

    tree: tuple[tuple[Any, Any], ...]
    floats: tuple[int, ...]
    rules: bool
    rerun: bool


_PLANS: dict[int, tuple[Scenario, dict[Any, _Plan | None]]] = {}


def _plans(scenario: Scenario) -> dict[Any, _Plan | None]:
    """Memo of :func:`_plan` for one scenario (a calibration's episode: its every particle
    sets the same paths); the last 16 scenarios, 256 lists of paths each."""
    entry = _PLANS.get(id(scenario))
    if entry is None or entry[0] is not scenario:
        if len(_PLANS) >= 16:
            _PLANS.pop(next(iter(_PLANS)))
        entry = _PLANS[id(scenario)] = (scenario, {})
    elif len(entry[1]) >= 256:
        entry[1].clear()
    return entry[1]


def _plan(scenario: Scenario, paths: tuple[str, ...], kinds: tuple[type, ...]
          ) -> _Plan | None:
    """How to set ``paths`` (values of types ``kinds``) in ``scenario``; None if a path is
    not a numeric field of a section or a value not of its field's type."""
    tree: dict[Any, Any] = {}
    try:
        for i, (path, kind) in enumerate(zip(paths, kinds, strict=True)):
            parts = _parsed(path)
            if len(parts) < 2 or kind not in (int, float):  # bools, strings, NumPy numbers
                return None
            steps, attr = _locate(scenario, parts, kind)
            node = tree
            for step in steps:
                node = node.setdefault(step, {})
                if not isinstance(node, dict):
                    return None
            node[attr] = i
    except (_NotHere, InputError):
        return None

    def frozen(node: dict[Any, Any]) -> tuple[tuple[Any, Any], ...]:
        return tuple((k, v if isinstance(v, int) else frozen(v)) for k, v in node.items())

    touched = {_parsed(path)[-1] for path in paths}
    read = _RULE_FIELDS is None or bool(touched & _RULE_FIELDS)
    return _Plan(frozen(tree), tuple(i for i, k in enumerate(kinds) if k is float),
                 read or bool(scenario.combination_problems()),
                 read and any(ev.action == "set" for ev in scenario.events)
                 or "events" in tree)  # a scripted event's figure: the events' checks again


_set = object.__setattr__


def _copy(node: Any, update: dict[str, Any]) -> Any:
    """``node.model_copy(update=update)``: pydantic's shallow copy, without its generic
    ``copy.copy`` of each part for the schema's models (no extra fields, no private
    attributes); ``model_copy`` itself for any other."""
    cls = type(node)
    if cls.__private_attributes__ or cls.model_config.get("extra") != "forbid" \
            or node.__pydantic_extra__ is not None or node.__pydantic_private__ is not None:
        return node.model_copy(update=update)
    copied = cls.__new__(cls)
    fields = node.__dict__.copy()
    fields.update(update)
    _set(copied, "__dict__", fields)
    _set(copied, "__pydantic_extra__", None)
    _set(copied, "__pydantic_fields_set__", node.__pydantic_fields_set__ | update.keys())
    _set(copied, "__pydantic_private__", None)
    return copied


def _rebuilt(node: Any, tree: tuple[tuple[Any, Any], ...], values: tuple[Any, ...]) -> Any:
    """A copy of ``node`` with the changes of ``tree`` (:class:`_Plan`), the values taken
    from ``values``, copying only the sections on a changed path."""
    if isinstance(node, list):
        entries = list(node)
        for at, sub in tree:
            entries[at] = _rebuilt(node[at], sub, values)
        return entries
    if isinstance(node, dict):  # a scripted event's figures
        return {**node, **{key: values[sub] for key, sub in tree}}
    return _copy(node, {key: values[sub] if isinstance(sub, int)
                        else _rebuilt(getattr(node, key), sub, values) for key, sub in tree})


def with_checked_numbers(scenario: Scenario, values: Mapping[str, int | float]
                         ) -> Scenario | None:
    """``validate(raw of scenario, overrides=values)`` without validating the whole scenario
    again, for numbers already known to lie in their fields' ranges (calibration's particles:
    values inside priors that were checked against the schema, :mod:`leverage_sim.calibration.
    config`): the copy shares every section it does not change, and only the rules across
    fields (:meth:`Scenario.combination_problems`, also after each scripted ``set`` when a value
    is one they read) are checked again. Tens of microseconds, where validation costs
    milliseconds. None, to validate in full, when a path is not a numeric field of a section
    (top-level fields such as ``horizon_days`` included), a value is not of its field's type
    (``int`` or finite ``float``), or a rule fails (the full validation then says what is
    wrong)."""
    plans = _plans(scenario)
    key = (tuple(values), tuple(map(type, values.values())))
    plan = plans.get(key, _plans)
    if plan is _plans:
        plan = plans[key] = _plan(scenario, *key)
    if plan is None:
        return None
    numbers = tuple(values.values())
    for i in plan.floats:
        if not math.isfinite(numbers[i]):
            return None
    sc = _rebuilt(scenario, plan.tree, numbers)
    if plan.rules and sc.combination_problems():
        return None
    return None if plan.rerun and check_events(sc) else sc
