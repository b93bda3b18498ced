"""Reading YAML from users: plain data only, no silent surprises, bounded size.

Every YAML leverage-sim reads (scenario and sweep files, ``--set`` and ``--param`` values) goes
through :func:`load_text`, which differs from ``yaml.safe_load`` in that:

- a key given twice in one mapping is an error (YAML would keep the last one silently);
- a tag other than the standard ones (``!!python/object``, ``!custom``) is "unsupported";
- an impossible date (``2020-02-30``) stays text, so the schema names the field it is in;
- a number YAML 1.1 would silently read in another base is refused: a leading zero (``0100``
  is octal 64), a colon (``1:00`` is base-60 60) or a ``0x``/``0b`` prefix (``0x10`` is 16);
  underscores between digits are kept as separators (``1_000`` is 1000, as in Python); a number in exponent notation without a
  dot (``5e-1``, ``1e4``) is a number, as in YAML 1.2 and Python, not text; a whole number of
  more than :data:`MAX_DIGITS` digits is refused (Python will not read it as a number);
- a character YAML does not allow in a file (NUL, an escape, another control character) is
  named with its line and column;
- the document may expand to at most :data:`MAX_NODES` values, counting every alias (``*a``)
  as a copy of what it refers to, and nest at most :data:`MAX_DEPTH` levels (a "billion
  laughs" file is refused before it is built); a file may hold at most :data:`MAX_BYTES`.

The C (libyaml) parser is used where PyYAML has it.
"""

from __future__ import annotations

import errno
import math
import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from leverage_sim.errors import InputError
from leverage_sim.files.safe_text import shell_word, shortened, visible

MAX_BYTES = 16 * 2**20
"""Largest YAML file read (16 MiB; the shipped scenarios are under 20 kB)."""
MAX_NODES = 1_000_000
"""Most values (mapping keys and values, list items, scalars) one document may expand to,
aliases counted as copies (a 20,000-event scenario is about 300,000)."""
MAX_DEPTH = 50
"""Deepest nesting of mappings and lists (scenarios use 4 levels)."""
MAX_DIGITS = 4000
"""Most digits of a whole number (Python refuses to convert more than 4,300 by default; every
field's range is far below this)."""

def yes_no_hint(error_type: str, value: Any, override: str | None = None) -> str:
    """What to say where a validation error of ``error_type`` wanted text and YAML read
    ``value`` as true/false (``full_name: No``); empty for any other error. ``override``: the
    path of the override (``--set``, ``--param``, a sweep's value) that gave it: typed in a
    shell, the quotes must be inside the shell's, which it removes."""
    if error_type != "string_type" or not isinstance(value, bool):
        return ""
    hint = ("YAML reads an unquoted yes, no, on, off, true or false as true/false, so write "
            "text in quotes (e.g. \"No\"")
    if override:  # --set government.name="No": the shell takes the quotes away
        word = shell_word(override + '="No"')
        hint += f"; typed in a shell, as after --set or --param, inside the shell's quotes: {word}"
    return hint + ")"

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE = "tag:yaml.org,2002:merge"


class YAMLSyntaxError(InputError):
    """The text is not YAML at all (as opposed to YAML that leverage-sim refuses)."""


class _DuplicateKey(yaml.MarkedYAMLError):
    """A mapping gives the same key twice."""


class _OtherBase(yaml.MarkedYAMLError):
    """A plain number YAML 1.1 reads in base 8 or 60."""


class _TooLong(yaml.MarkedYAMLError):
    """A whole number with more digits than Python converts."""


def _other_base(node: Node, value: Any, kind: str, looks: str = "the decimal number it looks "
                "like") -> _OtherBase:
    return _OtherBase(None, None, f"{node.value!r} is read by YAML as {kind} ({value!r}), not "
                      f"{looks}", node.start_mark)


_PREFIXES = {"0x": "a hexadecimal number", "0b": "a binary number"}
"""Prefixes of whole numbers YAML 1.1 reads in base 16 or 2 (``0o`` is text in YAML 1.1)."""


class _Loader(_BASE):  # type: ignore[misc, valid-type]
    """Safe loading with duplicate keys refused, impossible dates kept as text and numbers
    in another base refused."""

    def construct_yaml_int(self, node: Node) -> int:
        digits = str(node.value).replace("_", "").lstrip("+-")
        if len(digits) > MAX_DIGITS:
            raise _TooLong(None, None, f"a whole number of {len(digits):,} digits (at most "
                           f"{MAX_DIGITS:,} are read)", node.start_mark)
        value = super().construct_yaml_int(node)
        if ":" in digits:
            raise _other_base(node, value, "a base-60 number")
        if len(digits) > 1 and digits[0] == "0" and digits[1].isdigit():
            raise _other_base(node, value, "an octal number")
        if digits[:2].lower() in _PREFIXES:
            raise _other_base(node, value, _PREFIXES[digits[:2].lower()], "a decimal number")
        return value

    def construct_yaml_float(self, node: Node) -> float:
        value = super().construct_yaml_float(node)
        if ":" in str(node.value):
            raise _other_base(node, value, "a base-60 number")
        return value

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, MappingNode):
            seen: dict[Any, Node] = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE:
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.setdefault(key, key_node)
                except TypeError:  # unhashable key: the base constructor reports it
                    continue
                if first is not key_node:
                    raise _DuplicateKey(f"first given at line {first.start_mark.line + 1}",
                                        None, f"duplicate key {key!r}", key_node.start_mark)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:  # matches the date pattern but is no date (2020-02-30)
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
EXPONENT = re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$")
"""A number in exponent notation without a dot (``5e-1``, ``1e4``), which YAML 1.1 reads as
text and :func:`load_text` as a number; :class:`Dumper` quotes text of this form."""
_Loader.add_implicit_resolver(  # 5e-1, 1e4: numbers (YAML 1.1 wants a dot: 5.0e-1)
    "tag:yaml.org,2002:float", EXPONENT, list("-+0123456789"))


class Dumper(yaml.SafeDumper):
    """Safe dumping whose text :func:`load_text` reads back as written: text that it would read
    as a number (``5e-1``, ``1e4``: plain YAML 1.1 leaves them text, so ``yaml.safe_dump``
    writes them unquoted) is quoted."""


Dumper.add_implicit_resolver("tag:yaml.org,2002:float", EXPONENT, list("-+0123456789"))


class _OneLine(Dumper):
    """:class:`Dumper` writing text that spans lines (or holds a control character) in double
    quotes, with escapes (``"a\\nb"``), so that it stays on one line."""


_OneLine.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style=None if text.isprintable() else '"'))
_OneLine.add_representer(bytes, lambda dumper, data: dumper.represent_scalar(
    "tag:yaml.org,2002:str", repr(data)))  # b'...', not base64 over lines
_OneLine.ignore_aliases = lambda self, data: True  # a value used twice is written twice


def _first(value: Any, n: int) -> Any:
    """``value`` with every list and mapping in it cut to its first ``n`` entries: enough to
    write its first ``n`` characters (each entry takes one at least)."""
    if isinstance(value, list | tuple):
        return [_first(v, n) for v in value[:n]]
    if isinstance(value, dict):
        return {k: _first(v, n) for k, v in list(value.items())[:n]}
    return value


def as_written(value: Any, limit: int | None = None) -> str:
    """``value`` on one line as it is written in YAML, for a message: ``2020-06-25``, not
    ``datetime.date(2020, 6, 25)``; ``abc``, ``false``, ``[0.2, 0.8]``; text that would be read
    as something else in quotes (``'no'``, ``'0.5'``). Cut to ``limit`` characters. A value YAML
    cannot write (an object given through the Python API) is shown as ``str`` shows it."""
    try:
        text = yaml.dump(value if limit is None else _first(value, limit), Dumper=_OneLine,
                         default_flow_style=True, width=math.inf,
                         allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        text = str(value)
    text = text.removesuffix("\n").removesuffix("\n...")  # a lone value's end of document
    return text if limit is None else shortened(text, limit)


def load_text(text: str, source: str) -> Any:
    """Parse one YAML document from ``text``; problems are :class:`InputError` naming ``source``
    (a file name, or e.g. ``--set foo``) and the line."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_size(node, source)
        return loader.construct_document(node)
    except _DuplicateKey as e:
        raise InputError(f"{source}: {e.problem}{_at(e.problem_mark)} ({e.context}); YAML would "
                         "silently keep only the last one. Give each key once.") from None
    except _OtherBase as e:
        raise InputError(f"{source}: {e.problem}{_at(e.problem_mark)}. Write the decimal "
                         "number, without a leading zero, colon or 0x/0b prefix (100, not 0100, "
                         "1:40 or 0x64), or quote it if it is text.") from None
    except _TooLong as e:
        raise InputError(f"{source}: {e.problem}{_at(e.problem_mark)}, far beyond any field's "
                         "range. Write the number you mean, or quote it if it is text.") from None
    except yaml.reader.ReaderError as e:
        raise InputError(f"{source}: {_character(e)}{_position(text, e.position)} is not "
                         "allowed in YAML (a control or special character). Remove it (inside "
                         "double quotes a control character can be written as an escape such "
                         "as \\x1b).") from None
    except yaml.constructor.ConstructorError as e:
        if "constructor for the tag" not in (e.problem or ""):
            hint = next((h for word, h in _CONSTRUCTOR_HINTS if word in (e.problem or "")), "")
            raise InputError(f"{source}: {e.problem}{_at(e.problem_mark)}.{hint}") from None
        tag = (e.problem or "").partition("tag ")[2]
        raise InputError(
            f"{source}: unsupported YAML tag {tag}{_at(e.problem_mark)}. Scenario and sweep "
            "files hold plain data only (mappings, lists, text, numbers, true/false, dates); "
            "remove the tag.") from None
    except yaml.MarkedYAMLError as e:
        hint = (" A ': ' (a colon and a space) inside unquoted text, such as a note or a "
                "source's title, starts a new key there: put that text in double quotes."
                if "mapping values are not allowed" in (e.problem or "") else "")
        raise YAMLSyntaxError(f"{source}: malformed YAML{_at(e.problem_mark)}: {e.problem}."
                              f"{hint} Fix the syntax there (indentation, a missing ':' or an "
                              "unclosed quote or bracket).") from None
    except yaml.YAMLError as e:
        raise InputError(f"{source}: cannot be read as YAML ({e}).") from None
    finally:
        loader.dispose()


_CONSTRUCTOR_HINTS = (
    ("unhashable key",
     " A key is a plain name (text or a number), not a list or mapping: write it as one."),
    ("merging",
     " A merge key takes an alias of a mapping (<<: *base) or a list of them (<<: [*a, *b])."),
)
"""(words of a YAML constructor's problem, what to do about it)."""


def _at(mark: Any) -> str:
    return f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""


def _character(e: yaml.reader.ReaderError) -> str:
    """The character a reader error is about, as ``U+001B`` (libyaml gives its code, PyYAML
    the character)."""
    code = e.character if isinstance(e.character, int) else ord(str(e.character)[:1] or "\0")
    return f"the character U+{code:04X}"


def _position(text: str, position: int) -> str:
    """`` at line L, column C`` of the reader's ``position`` in ``text`` (libyaml counts bytes
    of the UTF-8 text, PyYAML characters)."""
    if _BASE is yaml.SafeLoader:
        before = text[:position]
    else:
        before = text.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "ignore")
    return f" at line {before.count(chr(10)) + 1}, column {len(before) - before.rfind(chr(10))}"


def _check_size(root: Node, source: str) -> None:
    """Refuse documents that expand past MAX_NODES values or MAX_DEPTH levels, or that refer to
    themselves; linear in the number of distinct nodes (aliases share nodes)."""
    size: dict[int, int] = {}  # expanded values under a collection node, itself included
    depth: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if isinstance(node, ScalarNode) or (key in size and not done):
            continue
        children = _children(node)
        if done:
            open_.discard(key)
            total, deepest = 1, 0
            for c in children:
                if isinstance(c, ScalarNode):
                    total += 1
                else:
                    total += size[id(c)]
                    deepest = max(deepest, depth[id(c)])
            size[key], depth[key] = total, deepest + 1
            if total > MAX_NODES or deepest + 1 > MAX_DEPTH:
                what = (f"expands to more than {MAX_NODES:,} values (aliases '*' count as "
                        "copies)" if total > MAX_NODES
                        else f"nests deeper than {MAX_DEPTH} levels")
                raise InputError(f"{source}: the YAML document {what}{_at(node.start_mark)}; "
                                 "leverage-sim refuses it (see 'Validation rules and limits' in "
                                 "docs/scenarios.md).")
            continue
        if key in open_:
            raise InputError(f"{source}: a YAML alias{_at(node.start_mark)} refers to a value "
                             "that contains it; remove the alias.")
        open_.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children
                     if not isinstance(c, ScalarNode) and id(c) not in size)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return node.value
    return [n for pair in node.value for n in pair]


def _stat(path: Path) -> os.stat_result | str:
    """``path``'s status, or why there is none: missing, a broken symbolic link or a loop of
    them, unreadable, or a name no file can have."""
    try:
        return path.stat()
    except FileNotFoundError:
        return "is a broken symbolic link" if path.is_symlink() else "does not exist"
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "is a symbolic link loop"
        return f"cannot be read ({e.strerror or e})"
    except ValueError:  # a NUL character: no file has such a name
        return "is no possible file name (it holds a NUL character)"


def folder_problem(path: Path) -> str | None:
    """Why ``path`` is not a folder that can be read (None if it is): missing, a broken
    symbolic link or a loop, a file, or a name no file can have."""
    info = _stat(path)
    if isinstance(info, str):
        return info
    return None if stat.S_ISDIR(info.st_mode) else "is a file, not a folder"


def file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a YAML file (None if it can): missing, a folder, a
    symbolic-link loop, not a regular file, unreadable, larger than MAX_BYTES or a name no
    file can have."""
    info = _stat(path)
    if isinstance(info, str):
        return info
    if stat.S_ISDIR(info.st_mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    if not os.access(path, os.R_OK):
        return "cannot be read (permission denied)"
    if info.st_size > MAX_BYTES:
        return (f"is {info.st_size / 2**20:.0f} MiB; YAML files are limited to "
                f"{MAX_BYTES // 2**20} MiB")
    return None


def require_path(value: Any, what: str) -> str | os.PathLike[str]:
    """``value`` if it can be a path (text or an :class:`os.PathLike` such as a
    :class:`~pathlib.Path`), else an :class:`InputError` naming ``what`` it was meant to be and
    what it is (``None``, a number, bytes ...); the library's functions that take names or paths
    check them with it, so a wrong type is named rather than a TypeError deep inside."""
    if not isinstance(value, str | os.PathLike):
        raise InputError(f"{what} must be text or a pathlib.Path, got {type(value).__name__} "
                         f"{value!r}.")
    if not os.fspath(value):
        raise InputError(f"{what} is empty: give one (an empty text would be read as the "
                         "current folder).")
    return value


def beside_file(file: Path, value: Any, folder: bool = False) -> Any:
    """A relative path written in ``file`` (a sweep or calibration file), read beside it when
    a file (a ``folder`` if set) of that name is there (``mine.yaml`` in ``work/cal.yaml`` is
    ``work/mine.yaml``), so a file means the same from any working folder; else ``value``
    unchanged (a name, an absolute path, or a path from the working folder)."""
    if isinstance(value, str) and value and not Path(value).is_absolute():
        there = file.parent / value
        try:
            if there.is_dir() if folder else there.is_file():
                return str(there)
        except (OSError, ValueError):  # a name the system refuses (too long): not there; the
            pass  # loader names the problem with the value as written
    return value


def is_switch(value: Any) -> bool:
    """True for ``True`` or ``False`` (or a NumPy bool), not for 1, 0 or a text such as
    "yes", which a lax reader would take as a switch."""
    numpy = sys.modules.get("numpy")  # a NumPy bool exists only once NumPy is imported: light
    # commands (list, params, show) must not import it
    return isinstance(value, bool) or (numpy is not None and isinstance(value, numpy.bool_))


def require_switch(value: Any, what: str) -> bool:
    """``value`` as a ``bool`` if it is ``True`` or ``False`` (or a NumPy bool), else an
    :class:`InputError` naming ``what``: a switch such as ``force`` given as the text "no" or
    the number 2 would otherwise read as on (and ``force`` replaces a folder)."""
    if is_switch(value):
        return bool(value)
    raise InputError(f"{what} must be True or False, got {type(value).__name__} {value!r}.")


def require_file(path: Path, what: str = "File", hint: str = "") -> Path:
    """``path`` if it can be read as a YAML file, else an :class:`InputError` saying why, e.g.
    "Scenario file 'x.yaml' is a folder, not a file." followed by ``hint``."""
    problem = file_problem(path)
    if problem is not None:
        raise InputError(f"{what} '{visible(str(path))}' {problem}." + (f" {hint}" if hint else ""))
    return path


def read_text(path: Path, what: str = "File") -> str:
    """The text of a YAML file (see :func:`require_file` for ``what``)."""
    try:
        with require_file(path, what).open("rb") as f:
            return f.read(MAX_BYTES + 1).decode("utf-8")
    except UnicodeDecodeError as e:
        problem = (f"is not UTF-8 text (byte {e.start + 1}, 0x{e.object[e.start]:02x}, is not "
                   "part of any UTF-8 character); save it as UTF-8 (an editor's 'Save as' "
                   "offers the encoding)")
    except OSError as e:
        problem = f"cannot be read ({e.strerror or e})"
    raise InputError(f"{what} '{path}' {problem}.")


def read_file(path: Path, what: str = "File") -> Any:
    """Read and parse a YAML file (see :func:`read_text` and :func:`load_text`)."""
    return load_text(read_text(path, what), str(path))
