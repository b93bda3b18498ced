"""Saving the dashboard's settings as a scenario file that ``leverage-sim run`` accepts.

The file is the scenario's canonical text (:func:`leverage_sim.scenario.canonical.scenario_yaml`, as
``leverage-sim show`` prints it) under a first line that marks it as leverage-sim's, and it
loads back to the same scenario. An existing file is replaced only if it carries that mark:
leverage-sim never overwrites a file it did not write.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from leverage_sim.errors import InputError
from leverage_sim.files.output_dir import describe_os_error
from leverage_sim.files.safe_text import name_problem, visible
from leverage_sim.files.safe_yaml import require_path
from leverage_sim.scenario.canonical import scenario_yaml
from leverage_sim.scenario.schema import Scenario

MARK = "# Written by leverage-sim dashboard"
"""First line of every scenario file the dashboard writes."""


def save_scenario(scenario: Scenario, path: str | os.PathLike[str], origin: str = "") -> Path:
    """Write ``scenario``, named after the file, to ``path`` (``.yaml`` or ``.yml``; relative
    paths from the server's working folder) and return its absolute path; ``origin`` is said
    in the first line.

    Raises:
        InputError: a path without a YAML suffix, whose name is no scenario name (the
            file's name is the scenario's), in a missing folder, a file that
            leverage-sim did not write, or a file that cannot be written.
    """
    path = require_path(path, "The scenario file's path")
    if "\x00" in os.fspath(path):
        raise InputError(f"Cannot save the scenario as {visible(os.fspath(path))!r}: a file name "
                         "cannot hold a NUL character. Choose another file name (e.g. "
                         "my_scenario.yaml).")
    target = Path(path).expanduser().resolve()
    if target.suffix not in (".yaml", ".yml"):
        raise InputError(f"Cannot save the scenario as {target}: give a file name ending in "
                         ".yaml (e.g. my_scenario.yaml).")
    problem = name_problem(target.stem)
    if problem:  # the file would be written, then refused by every verb that reads it
        raise InputError(f"Cannot save the scenario as {str(target)!r}: its file name "
                         f"without .yaml is the scenario's name, and a name {problem}. Choose "
                         "another file name (e.g. my_scenario.yaml).")
    if not target.parent.is_dir():
        raise InputError(f"Cannot save the scenario as {target}: the folder {target.parent} "
                         "does not exist. Create it or choose another path.")
    try:
        exists = target.exists()
    except OSError as e:  # a name too long for the file system
        raise InputError(f"Cannot save the scenario as {target}: {describe_os_error(e)} Choose "
                         "a shorter name or another path.") from None
    if exists and not _ours(target):
        raise InputError(f"Not overwriting {target}: leverage-sim did not write it (its first "
                         f"line is not '{MARK}'). Choose another file name.")
    text = (f"{MARK}{': ' + _one_line(origin) if origin else ''}\n"
            + scenario_yaml(scenario.model_copy(update={"name": target.stem})))
    tmp: Path | None = None
    try:
        tmp = _new_file(target)
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    except OSError as e:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise InputError(f"Cannot write {target} ({e.strerror}). Choose another path or free "
                         "some space.") from None
    return target


def _one_line(origin: object) -> str:
    """``origin`` as one line of a YAML comment: control characters escaped, line breaks
    made spaces (a newline in it began a line of YAML in the saved file)."""
    return " ".join(visible(str(origin)).split("\n"))


def _new_file(target: Path) -> Path:
    """A new, empty file beside ``target`` (``.NAME.*.partial``) to write it into: created
    here, never one already there (a user's ``.NAME.partial`` would have been overwritten,
    then moved onto ``target`` or deleted)."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    return Path(name)


def _ours(path: Path) -> bool:
    """Whether ``path`` is a file whose first line is :data:`MARK`."""
    try:
        with path.open(encoding="utf-8") as f:
            return path.is_file() and f.readline().startswith(MARK)
    except (OSError, UnicodeDecodeError):
        return False

