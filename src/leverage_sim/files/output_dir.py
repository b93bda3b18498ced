"""Output folders: the one owner of every folder leverage-sim writes (``run``, ``compare``,
``sweep``, ``calibrate``, :meth:`Results.save <leverage_sim.simulation.runner.Results.save>`).

``with claim_output(out, kind, force=..., resume=..., staged=...) as folder:`` then write into
``folder.path``. The rules, for every verb:

- never used: ``/``, the home folder, the current folder, the leverage-sim installation (or
  a folder inside it, or the ``src`` folder of a source checkout), or a folder holding any of
  them; a name too long for the file system (with the names added beside it) is refused up
  front;
- a new or empty folder is used; a non-empty one only with ``resume`` (a folder of the same
  ``kind``) or with ``force`` when leverage-sim wrote it as the same ``kind``: its record
  ``.leverage-sim.json`` lists the exact names of the files it wrote, and a folder holding any
  other file is never replaced;
- the claim holds a lock, ``PARENT/.NAME.lock`` (an OS lock on a file holding the owner's pid,
  released by the OS when the process dies, so a lock left by a dead process is taken over); a
  second claim of the same folder is refused while the first runs;
- ``staged`` (run, compare): everything is written to a temporary folder beside the target and
  renamed into place when the block ends without error, so the target is either complete or
  absent; on any error the temporary folder is removed and an old folder (``force``) is left as
  it was, except that the files an internal error (a bug) interrupted are kept beside it as
  ``NAME.incomplete`` and results for a target something else filled meanwhile as
  ``NAME.kept`` (the first free name); a target inside a folder another process holds the lock
  of is refused. Not staged (sweeps, calibrations stream in place): :meth:`OutputFolder.begin` sets
  the old folder aside and writes the record just before the first file;
  :meth:`OutputFolder.keep` (or the end of the block) marks the new folder as worth keeping;
  an error before that removes the new folder and puts the old one back;
- replacing an old folder is a journaled swap (:class:`_Swap`): a process killed at any point
  leaves the old folder or the complete new one, and the next claim of the folder finishes or
  undoes the swap;
- an ``OSError`` becomes an :class:`OutputError` (exit 2) naming the path and the reason
  ("disk full at PATH" for ENOSPC).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fnmatch
import glob
import json
import os
import re
import shutil
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from leverage_sim.errors import InputError, is_interrupt
from leverage_sim.files.safe_text import article, shell_word
from leverage_sim.files.safe_yaml import require_path, require_switch

RECORD = ".leverage-sim.json"
"""The record of a folder leverage-sim wrote: kind, version, time and the files it wrote."""


_CLAIMED: set[Path] = set()
"""Folders claimed by this process (OS locks do not exclude the process that holds them)."""


class OutputError(InputError):
    """An output folder cannot be claimed or written (exit 2, like bad input)."""


_REASONS = {
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder",
    errno.EEXIST: "it already exists",
    errno.ENOENT: "a folder on the way does not exist and cannot be created",
    errno.ENAMETOOLONG: "the name is too long",
    errno.ELOOP: "the path loops through symbolic links",
    errno.EXDEV: "it is on another file system",
    errno.EBUSY: "it is in use (a mount point?)",
}


def os_error_code(e: OSError) -> int | None:
    """The errno of ``e`` (pyarrow puts it only in the message, as ``[errno 28]``)."""
    if e.errno:
        return e.errno
    m = re.search(r"errno[ =]?(\d+)", str(e), re.IGNORECASE)
    return int(m.group(1)) if m else None


def describe_os_error(e: OSError, where: str | Path | None = None, kept: bool = False,
                      verb: str = "write") -> str:
    """A one-paragraph message for a file-system error: the path and the reason (``kept``:
    results written in place before it are kept in ``where``; ``verb``: what failed, "write"
    or, where it may have been a read, "read or write")."""
    code = os_error_code(e)
    path = e.filename if e.filename is not None else where
    if where is not None and not str(path).startswith(str(where)):
        path = f"{path} (for {where})"
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        if kept:
            return (f"Disk full at {path}: the results written before it are kept in {where}. "
                    "Free some space, then finish with the same command and --resume.")
        return (f"Disk full at {path}: nothing was left there as if complete. Free some space "
                "(or choose --out on another disk) and try again.")
    reason = _REASONS.get(code) if code else None
    detail = os.strerror(code) if code else str(e)
    return f"Cannot {verb} {path}: {reason or detail}" + (f" ({detail})." if reason else ".")


def access_refused(path: str | Path, e: BaseException) -> str | None:
    """For a read that failed because the file may not be opened (permission), not because
    of what is in it: a one-paragraph message saying so (the file may be intact: no advice to
    delete or replace it); None for any other failure."""
    if not isinstance(e, OSError) or os_error_code(e) not in (errno.EACCES, errno.EPERM):
        return None
    return (f"Cannot read {path}: permission denied. The file may well be intact, so do not "
            "delete or replace it: give your user read access to it (for example `chmod u+r "
            f"{shell_word(str(path))}`, or run as the user who wrote it), then run the command "
            "again.")


def is_file_system_error(e: BaseException) -> bool:
    """An OSError about files (not a closed pipe, a network connection or a timeout)."""
    return isinstance(e, OSError) and not isinstance(
        e, BrokenPipeError | ConnectionError | TimeoutError)


def _is_internal(e: BaseException | None) -> bool:
    """Whether ``e`` is an internal error (a bug): not bad input, not a file-system error, not
    an interruption (Ctrl-C, SIGTERM's exit)."""
    return isinstance(e, Exception) and not isinstance(e, InputError) \
        and not is_file_system_error(e) and not is_interrupt(e)


def read_record(folder: Path) -> dict[str, Any] | None:
    """The record of a folder leverage-sim wrote, or None."""
    try:
        data = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("written_by") == "leverage-sim" else None


def folder_kind(folder: str | Path) -> str | None:
    """What leverage-sim wrote in ``folder`` (``run``, ``compare``, ``sweep``, ...), or None.
    Sweep folders written before records existed are recognised by their manifest."""
    folder = Path(folder)
    record = read_record(folder)
    if record is not None:
        return str(record.get("kind"))
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(manifest, dict) and "spec" in manifest and "format" in manifest:
        return "sweep"
    return "run" if isinstance(manifest, dict) and "scenario_sha256" in manifest else None


def foreign_files(folder: Path) -> list[str]:
    """Files (relative paths) in ``folder`` that its record does not list: everything, if it
    has no record. The record lists exact names; a pattern is honoured only below a sub-folder
    (a sweep's ``summary/part-*.parquet``), never at the top, where a user's files sit, and its
    ``*`` stands for run numbers only (:func:`numbered_match`). An
    interrupted atomic write ``NAME.tmp`` belongs to the folder when ``NAME`` does. A
    sub-folder belongs to it when the record lists files below it (``summary/``); any other,
    even empty, is the user's (listed as ``NAME/``)."""
    record = read_record(folder) or {}
    names = {RECORD, *record.get("files", [])}
    patterns = [p for p in names if _is_pattern(p) and "/" in p]
    folders = {str(name).rsplit("/", k)[0] for name in names
               for k in range(1, str(name).count("/") + 1)}
    foreign = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_dir() and not path.is_symlink():
            if rel not in folders:
                foreign.append(f"{rel}/")
            continue
        name = rel.removesuffix(".tmp")
        if name not in names and not any(numbered_match(name, p) for p in patterns):
            foreign.append(rel)
    return foreign


def numbered_match(name: str, pattern: str) -> bool:
    """Whether ``name`` is one of the files a recorded ``pattern`` stands for: each ``*`` of
    a pattern stands for run numbers only, each of at least 9 digits, joined by hyphens (a
    sweep's ``summary/part-000000000-000000099.parquet``), so a user's
    ``summary/part-notes.parquet`` or ``part-2024-06-01.parquet`` beside the parts is never
    taken for one (and never read, replaced or removed). Also the rule for records written by
    older versions, whose ``*`` meant any text; other characters are literal."""
    regex = "".join(r"\d{9,}(?:-\d{9,})*" if part == "*" else re.escape(part)
                    for part in re.split(r"(\*)", pattern))
    return re.fullmatch(regex, name) is not None


def symbolic_links(folder: Path) -> list[str]:
    """Entries (relative paths) in ``folder`` that are symbolic links: what is written through
    one lands where it points, outside the folder."""
    return [p.relative_to(folder).as_posix() for p in sorted(folder.rglob("*"))
            if p.is_symlink()]


def _nearest_record(target: Path) -> tuple[Path, dict[str, Any], bool] | None:
    """The nearest folder above ``target`` (absolute) that leverage-sim wrote, its record, and
    whether that record lists files below ``target`` (``target`` is a part of it, such as
    explore's ``sweep/``); None if no folder above it was written by leverage-sim."""
    for parent in target.parents:
        record = read_record(parent)
        if record is not None:
            rel = target.relative_to(parent).as_posix()
            return parent, record, any(str(f).startswith(f"{rel}/")
                                       for f in record.get("files", []))
    return None


def enclosing_folder(target: str | Path) -> tuple[Path, str] | None:
    """The folder leverage-sim wrote that ``target`` is a listed part of (explore's ``sweep/``)
    and that folder's kind, or None: only the verb that wrote it continues such a part, so
    its advice (``explore --resume``) is the one to give."""
    found = _nearest_record(Path(target).absolute())
    return (found[0], str(found[1].get("kind"))) if found is not None and found[2] else None


def _refuse_nested(target: Path) -> None:
    """Refuse ``target`` inside a folder leverage-sim wrote: another verb's files there would
    be foreign to it, and its own --force would then refuse to replace it. A part of that
    folder its record lists files below (explore's ``sweep/``) is written only by the verb
    that claimed the folder in this process: another command (``sweep --force`` there) would
    replace or change the runs its answer was computed from."""
    _refuse_inside_a_claim(target)
    found = _nearest_record(target)
    if found is None:
        return
    parent, record, listed = found
    kind = record.get("kind")
    if not listed:
        raise OutputError(f"--out '{target}' lies inside '{parent}', a folder leverage-sim "
                          f"wrote ({kind}); results written there would mix "
                          "with it. Give a folder outside it.")
    if parent not in _CLAIMED:
        raise OutputError(f"--out '{target}' is part of '{parent}', a folder leverage-sim "
                          f"wrote ({kind}), and only `leverage-sim {kind}` writes it there "
                          f"(its answer was computed from it): continue it with "
                          f"`leverage-sim {kind} --resume --out {shell_word(parent)}`, or give a "
                          "folder outside it.")


def _refuse_inside_a_claim(target: Path) -> None:
    """Refuse ``target`` inside a folder another process is writing right now (its lock held):
    a folder being staged (``run``, ``compare``) does not exist yet, so no record marks it, and
    its results, renamed into place at the end, would find it no longer empty and be lost."""
    for parent in target.parents:
        if parent in _CLAIMED:  # this process's own claim (explore's sweep/): see _refuse_nested
            continue
        holder = _lock_holder(parent.parent / f".{parent.name}.lock")
        if holder is not None:
            raise OutputError(
                f"--out '{target}' lies inside '{parent}', which another leverage-sim process "
                f"is writing (pid {holder.get('pid', '?')}: {holder.get('command', '?')}); "
                "its results would mix with yours, or find the folder taken and be lost. Give "
                "a folder outside it, or wait for that process to finish.")


def _lock_holder(lock: Path) -> dict[str, Any] | None:
    """The owner written in the lock file ``lock`` if another process holds its lock now, else
    None (no such file, or a lock its dead owner left). Tested with a shared lock, taken and
    given back at once if free; POSIX only (elsewhere None)."""
    try:
        import fcntl
    except ImportError:  # Windows
        return None
    if not lock.is_file() or lock.is_symlink():
        return None
    try:
        fd = os.open(lock, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError as e:
        held = e.errno in (errno.EACCES, errno.EAGAIN)
        return _read_fd(fd) if held else None
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _is_pattern(name: str) -> bool:
    return any(c in name for c in "*?[")


def _loops(link: Path) -> bool:
    """Whether following the symbolic link ``link`` leads round a loop."""
    try:
        link.resolve(strict=True)
    except (OSError, RuntimeError) as e:  # RuntimeError before Python 3.13
        return isinstance(e, RuntimeError) or os_error_code(e) == errno.ELOOP
    return False


def protected_reason(path: Path) -> str | None:
    """Why ``path`` (resolved) may never be an output folder, or None."""
    if path == path.parent:
        return "the root of the file system"
    package = Path(__file__).resolve().parents[1]
    places = (("the current folder", Path.cwd().resolve()), ("your home folder",
              Path.home().resolve()), ("the leverage-sim installation", package))
    for name, place in places:
        if path == place:
            return name
        if path in place.parents:
            return f"a folder holding {name} ({place})"
    inside = [package] + ([package.parent] if package.parent.name == "src" else [])
    for place in inside:
        if place in path.parents:
            return f"inside the leverage-sim installation ({place})"
    return None


_ADDED = (".lock", ".partial", ".old", ".swap", ".swap.tmp")
"""Names a claim adds beside ``NAME``: ``.NAME`` + each of these."""
_DEEPEST = "timeseries/part-000000000-000000000.parquet.tmp"
"""About the longest path a verb writes inside its folder."""


def check_name_length(target: Path, shown: str | Path) -> None:
    """Raise :class:`OutputError` (naming the user's ``shown`` path) if the folder name, or a
    name leverage-sim adds beside it (``.NAME.partial`` ...), or a file inside it would be too
    long for the file system (NAME_MAX, PATH_MAX)."""
    existing = next(p for p in (target, *target.parents) if p.exists())
    try:
        name_max = os.pathconf(existing, "PC_NAME_MAX")
        path_max = os.pathconf(existing, "PC_PATH_MAX")
    except (OSError, ValueError, AttributeError):  # Windows: no pathconf
        name_max, path_max = 255, 4096
    extra = 1 + max(len(a) for a in _ADDED)
    limit = name_max - extra
    too_long = [p.name for p in (target, *target.parents)
                if len(os.fsencode(p.name)) > (limit if p == target else name_max)]
    if too_long:
        raise OutputError(
            f"--out '{shown}': the folder name '{too_long[0][:40]}...' is "
            f"{len(os.fsencode(too_long[0]))} bytes long; this file system allows {name_max} "
            f"bytes per name and leverage-sim adds up to {extra} beside it (.NAME.partial, "
            f".NAME.lock), so use a name of at most {limit} bytes.")
    longest = len(os.fsencode(str(target))) + 1 + max(extra, len(_DEEPEST))
    if longest >= path_max:
        raise OutputError(
            f"--out '{shown}': the path is {len(os.fsencode(str(target)))} bytes long; with the "
            f"files leverage-sim writes inside it, paths would reach {longest} bytes, beyond "
            f"this system's limit of {path_max}. Choose a shorter path.")


class _Lock:
    """An exclusive OS lock on ``path`` (POSIX record lock or Windows byte lock: held by this
    process only, released by the OS if it dies), with the owner's pid and command inside."""

    def __init__(self, path: Path, target: Path) -> None:
        self.path, self.target, self.fd = path, target, -1

    def acquire(self) -> None:
        """Take the lock, or raise :class:`OutputError` naming the process that holds it."""
        _refuse_if_not_our_file(self.path, self.target, "lock", "pid")
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as e:  # name the folder, not the lock file
                raise OSError(e.errno, e.strerror, str(self.target)) from None
            if not _try_lock(fd):
                holder = _read_fd(fd)
                os.close(fd)
                raise OutputError(
                    f"'{self.target}' is in use by another leverage-sim process "
                    f"(pid {holder.get('pid', '?')}, started {holder.get('started', '?')}: "
                    f"{holder.get('command', '?')}). Wait for it to finish, or choose another "
                    f"--out. (The lock is {self.path}; the OS releases it when that process "
                    "ends.)")
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:  # else the holder removed the file between our open and lock: retry
                break
            os.close(fd)
        self.fd = fd
        previous = _read_fd(fd)
        if previous.get("pid") not in (None, os.getpid()):
            print(f"note: took over the lock on '{self.target}' left by process "
                  f"{previous['pid']}, which is no longer running.", file=sys.stderr)
        owner = {"pid": os.getpid(), "started": dt.datetime.now(dt.UTC).isoformat(
            timespec="seconds"), "command": " ".join(sys.argv)}
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(owner).encode())

    def release(self) -> None:
        """Remove the lock file and release the lock."""
        if self.fd < 0:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self.fd)
        self.fd = -1


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError as e:
        if e.errno in (errno.EACCES, errno.EAGAIN):
            return False
        raise


def _read_fd(fd: int) -> dict[str, Any]:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = json.loads(os.read(fd, 65536) or b"{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class _Swap:
    """Replacing folder ``target`` so that a process killed at any moment leaves the old folder
    as it was or the complete new one. Beside ``target`` (``PARENT/NAME``): the new folder
    being written (staged) ``.NAME.partial``, the old one set aside ``.NAME.old`` and a
    journal ``.NAME.swap`` saying which of the two wins if the swap is cut short. Order: journal
    ("old" wins), old set aside, ... journal ("new" wins), new in place, old deleted, journal
    deleted. :meth:`recover` (under the lock, before anything else) finishes or undoes it."""

    def __init__(self, target: Path) -> None:
        base = f".{target.name}"
        self.target = target
        self.new = target.parent / (base + ".partial")
        self.old = target.parent / (base + ".old")
        self.journal = target.parent / (base + ".swap")

    def mark(self, winner: str) -> None:
        """Record (durably) which folder wins if the swap is cut short: "old" or "new"."""
        tmp = self.journal.with_name(self.journal.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"winner": winner, "pid": os.getpid()}, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.journal)
        _sync_folder(self.target.parent)

    def winner(self) -> str | None:
        """The journal's winner, or None when no swap is under way."""
        try:
            return str(json.loads(self.journal.read_text(encoding="utf-8"))["winner"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def set_aside(self, winner: str) -> None:
        """Journal ``winner``, then rename the target to ``.NAME.old``."""
        self.mark(winner)
        os.replace(self.target, self.old)
        _sync_folder(self.target.parent)

    def finish(self) -> None:
        """The new folder is in place: delete the old one, then the journal."""
        if self.winner() is None:
            return
        self.mark("new")
        shutil.rmtree(self.old, ignore_errors=True)
        self.journal.unlink(missing_ok=True)

    def undo(self) -> None:
        """Put the old folder back in place of whatever is at the target; delete the journal."""
        if self.old.exists():
            if self.target.is_dir() and not self.target.is_symlink():
                shutil.rmtree(self.target)
            os.replace(self.old, self.target)
            _sync_folder(self.target.parent)
        self.journal.unlink(missing_ok=True)

    def recover(self) -> str | None:
        """Finish or undo a swap a killed process left; remove stale temporary folders.
        Returns what was done ("finished", "restored") or None."""
        for journal in (self.journal, self.journal.with_name(self.journal.name + ".tmp")):
            _refuse_if_not_our_file(journal, self.target, "journal", "winner")
        winner, done = self.winner(), None
        if winner == "new":
            if not self.target.exists() and self.new.is_dir():
                os.replace(self.new, self.target)
            self.finish()
            done = "finished"
        elif winner == "old":
            self.undo()
            done = "restored"
        stale = [p for p in (self.new, self.old, *self.target.parent.glob(
                 f".{glob.escape(self.target.name)}.partial-*"),
                 *self.target.parent.glob(f".{glob.escape(self.target.name)}.old-*"))
                 if p.exists() or p.is_symlink()]
        for path in stale:  # all checked before any is removed
            _refuse_if_not_ours(path, self.target)
        for path in stale:
            shutil.rmtree(path, ignore_errors=True)
        self.journal.with_name(self.journal.name + ".tmp").unlink(missing_ok=True)
        return done


def _refuse_if_not_ours(path: Path, target: Path) -> None:
    """An :class:`OutputError` unless ``path``, a name beside ``target`` that leverage-sim
    uses for its temporary folders (``.NAME.partial``, ``.NAME.old``), is a folder it left
    (it holds a record or a manifest) or an empty one: a user's folder so named is never
    deleted as a leftover."""
    ours = path.is_dir() and not path.is_symlink() and (
        folder_kind(path) is not None or not any(path.iterdir()))
    if not ours:
        what = "folder" if path.is_dir() and not path.is_symlink() else \
            "symbolic link" if path.is_symlink() else "file"
        raise OutputError(f"'{path}' is a {what} leverage-sim did not write, under a name it "
                          f"uses beside --out '{target}' for its temporary folders; it is left "
                          "untouched. Rename or move it, or choose another --out.")


_OWN_FILE_MAX = 1 << 20
"""Largest lock or journal file read to tell whether leverage-sim wrote it (its own are tiny)."""


def _refuse_if_not_our_file(path: Path, target: Path, what: str, key: str) -> None:
    """An :class:`OutputError` unless ``path``, the name beside ``target`` of a claim's
    ``what`` (its lock ``.NAME.lock``, or its journal ``.NAME.swap`` and ``.NAME.swap.tmp``), is
    absent or a regular file leverage-sim wrote there: empty (made by a process killed before it
    wrote anything) or a JSON mapping holding ``key``. A user's file (or a link, a named pipe)
    so named is never written through, truncated or deleted."""
    if not (path.exists() or path.is_symlink()):
        return
    ours = path.is_file() and not path.is_symlink()
    if ours:
        try:
            with open(path, "rb") as f:
                raw = f.read(_OWN_FILE_MAX + 1)
            data = json.loads(raw) if raw.strip() else {key: None}
        except (OSError, ValueError):
            data = None
        ours = len(raw) <= _OWN_FILE_MAX and isinstance(data, dict) and key in data
    if not ours:
        kind = ("symbolic link" if path.is_symlink() else "folder" if path.is_dir() else
                "file" if path.is_file() else "special file (a named pipe or a device)")
        raise OutputError(f"'{path}' is a {kind} leverage-sim did not write, under the name it "
                          f"uses beside --out '{target}' for its {what}; it is left untouched. "
                          "Rename or move it, or choose another --out.")


def _save_record(folder: Path, record: dict[str, Any]) -> None:
    """Write ``record`` as ``folder``'s :data:`RECORD`, whole or not at all (through
    ``RECORD.tmp``, which :func:`foreign_files` counts as the folder's own)."""
    tmp = folder / f"{RECORD}.tmp"
    tmp.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    tmp.replace(folder / RECORD)


def _sync_folder(folder: Path) -> None:
    """Make renames in ``folder`` durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_KILL_AT = "LEVERAGE_SIM_TEST_KILL_AT"
"""Test hook: the name of a swap step at which the process kills itself (SIGKILL)."""


def _test_kill_point(step: str) -> None:
    if os.environ.get(_KILL_AT) == step:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


class OutputFolder:
    """A claimed output folder; write into :attr:`path` (see the module docstring)."""

    def __init__(self, out: str | Path, kind: str, force: bool, resume: bool, staged: bool,
                 files: Sequence[str]) -> None:
        require_path(out, "The output folder (--out)")
        if str(out).strip() == "":
            raise OutputError("The output folder (--out) is empty; give a folder path.")
        if "\0" in str(out):
            raise OutputError(f"The output folder (--out) {str(out)!r} holds a NUL character, "
                              "which no file name can; give a folder path.")
        given = Path(out).expanduser()
        if given.is_symlink() and not given.exists():
            looped = _loops(given)
            raise OutputError(f"--out '{out}' is a symbolic link to '{os.readlink(given)}', "
                              + ("which leads back to itself through symbolic links (a loop); "
                                 "give a real folder path." if looped else
                                 "which does not exist; leverage-sim does not create folders "
                                 "through it. Give a real folder path, or create the link's "
                                 "target first."))
        try:
            self.target = Path(out).expanduser().resolve()
        except (OSError, RuntimeError) as e:  # a symbolic link loop (RuntimeError < 3.13)
            raise OutputError(f"--out '{out}' cannot be used: {e}. Give a folder path.") from None
        self.shown = out
        self.kind, self.force, self.resume, self.staged = kind, force, resume, staged
        bad = [f for f in files if _is_pattern(f) and "/" not in f]
        if bad:
            raise ValueError(f"output files must be exact names (or patterns below a "
                             f"sub-folder), got {bad}")
        self.files = list(files)
        self.path = self.target
        self._made: list[Path] = []
        self._lock = _Lock(self.target.parent / f".{self.target.name}.lock", self.target)
        self._swap = _Swap(self.target)
        self._replace = False
        self._begun = False  # begin() made a new folder in this claim (not resume)
        self._kept = False

    # ---- claim -----------------------------------------------------------------------------------
    def claim(self) -> None:
        """Check the folder, create its parents, take the lock, finish or undo a swap a killed
        process left, and (staged) make the temporary folder."""
        t = self.target
        why = protected_reason(t)
        if why:
            raise OutputError(f"--out '{t}' is {why}; leverage-sim never writes its results "
                              "there. Give a new folder, e.g. --out results/my_run.")
        check_name_length(t, self.shown)
        if t.exists() and not t.is_dir():
            raise OutputError(f"--out '{t}' is a file, not a folder. Give a folder path (a new "
                              "folder is created).")
        _refuse_nested(t)
        self._make_parents(t.parent)
        if t in _CLAIMED:
            raise OutputError(f"'{t}' is already in use by this process (another run or sweep "
                              "writing to it has not finished). Choose another --out.")
        self._lock.acquire()
        _CLAIMED.add(t)
        done = self._swap.recover()
        if done:
            print(f"note: a replacement of '{t}' (--force) was cut short; "
                  + ("it was completed." if done == "finished" else
                     "the old folder was put back as it was."), file=sys.stderr)
        self._check_contents()
        if self.staged:
            self.path = self._swap.new
            self.path.mkdir()
            self._write_record(self.path, [])  # marks it as ours until commit lists the files

    def _make_parents(self, parent: Path) -> None:
        missing = [p for p in (parent, *parent.parents) if not p.exists()]
        for p in reversed(missing):
            p.mkdir()
            self._made.append(p)

    def _check_contents(self) -> None:
        t = self.target
        kind = folder_kind(t) if t.is_dir() else None
        if self.resume:
            if not t.is_dir():
                raise OutputError(f"'{t}' does not exist, so there is nothing to resume. Start "
                                  f"the {self.kind} without --resume.")
            if kind != self.kind:
                a = article(self.kind)
                raise OutputError(
                    f"'{t}' is not {a} {self.kind} folder "
                    + (f"(it holds the output of `leverage-sim {kind}`)" if kind else
                       "(leverage-sim did not write it)")
                    + f", so it cannot be resumed. --resume continues {a} {self.kind} in "
                    "the folder it wrote; give that folder's path.")
            linked = symbolic_links(t)
            if linked:
                raise OutputError(
                    f"--resume will not write into '{t}': {', '.join(linked[:5])} "
                    f"{'is a symbolic link' if len(linked) == 1 else 'are symbolic links'}, so "
                    "what it writes there would land where the link points, outside the "
                    f"folder. Put the {self.kind}'s own files back in place of the link, or "
                    "start anew in another --out.")
            return
        if not t.is_dir() or not any(t.iterdir()):
            return
        if not self.force:
            extra = " or --resume to continue the sweep in it," if kind == self.kind == \
                "sweep" else ""
            raise OutputError(f"Output folder '{t}' already exists and is not empty. Choose "
                              f"another --out,{extra} or add --force to replace it (only a "
                              "folder leverage-sim wrote can be replaced).")
        if kind is not None and kind != self.kind:
            raise OutputError(f"--force will not replace '{t}': it holds the output of "
                              f"`leverage-sim {kind}`, not of `{self.kind}`, and one kind of "
                              "folder is never replaced by another. Choose another --out.")
        foreign = foreign_files(t)
        if foreign:
            shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if
                                              len(foreign) > 5 else "")
            old = [f for f in (read_record(t) or {}).get("files", []) if _is_pattern(f)
                   and ("/" not in f or any(fnmatch.fnmatchcase(x, f) for x in foreign))]
            why = (f" (its record, from an older leverage-sim, lists patterns such as "
                   f"'{old[0]}' rather than file names, so its files cannot be told from yours)"
                   if old else "")
            raise OutputError(f"--force will not replace '{t}': it holds files (or folders) "
                              f"leverage-sim did not write ({shown}){why}. Choose another "
                              "--out, or move those files away first.")
        self._replace = True

    # ---- in place ----------------------------------------------------------------------------------
    def begin(self) -> Path:
        """Not staged: set the old folder aside (``force``; it comes back if the verb fails
        before :meth:`keep`) and write the record, just before the first write; returns
        :attr:`path`."""
        if self._replace:
            self._swap.set_aside("old")
            _test_kill_point("begin-aside")
            self._replace = False
        self._begun = self._begun or not self.resume
        self.target.mkdir(exist_ok=True)
        record = read_record(self.target)
        if record is None:
            self._write_record(self.target, self.files)
        elif self.resume:
            self._add_to_record(record)
        return self.target

    def _add_to_record(self, record: dict[str, Any]) -> None:
        """A resumed folder's record gains the names this version may write that it lacks (a
        folder begun by an older leverage-sim lists fewer: what this one writes there would
        count as the user's, and ``--force`` would then refuse the folder)."""
        listed = list(record.get("files", []))
        added = [f for f in self.files if f not in listed]
        if added:
            _save_record(self.target, {**record, "files": listed + added})

    @property
    def kept(self) -> bool:
        """Written in place, and what is there was marked worth keeping (:meth:`keep`), or
        resumed: what was there before stays whatever happens."""
        return not self.staged and (self._kept or self.resume)

    def keep(self) -> None:
        """Not staged: what is in the folder is worth keeping (a first result); an old folder
        set aside by :meth:`begin` is deleted."""
        self._kept = True
        self._swap.finish()

    def undo_begin(self) -> None:
        """Not staged, nothing worth keeping yet: remove the new folder and put back the old
        one (``force``), so that the same command can start again."""
        if not self._begun:
            return
        if self._swap.old.exists():
            self._swap.undo()
        elif self.target.is_dir():
            shutil.rmtree(self.target, ignore_errors=True)
        self._begun = False

    # ---- finish ------------------------------------------------------------------------------------
    def commit(self) -> None:
        """Staged: record the files written and swap the temporary folder into place. In
        place: keep the folder."""
        if not self.staged:
            if self._begun:
                self.keep()
            return
        self._write_record(self.path, self._written())
        if self._replace:
            self._swap.set_aside("new")
            _test_kill_point("commit-aside")
        try:
            os.replace(self.path, self.target)  # also replaces an empty folder
        except OSError as e:
            if e.errno in (errno.ENOTEMPTY, errno.EEXIST) and not self._replace:
                self._keep_beside()
            if e.errno not in (errno.EBUSY, errno.EXDEV):
                raise
            self._copy_into_target()  # the target is a mount point
        _test_kill_point("commit-in")
        self._swap.finish()
        self.path = self.target

    def _keep_beside(self) -> None:
        """The target, empty or absent when claimed, was filled by someone else while the
        results were staged: keep them, complete, as ``NAME.kept`` beside it (the next claim of
        the target would remove ``.NAME.partial`` as a leftover) and raise
        :class:`OutputError` saying where they are."""
        kept = self._move_beside("kept")
        found = sorted(p.name for p in self.target.iterdir())
        where = (f"they are complete in '{kept}'. Move that folder where you want it"
                 if kept is not None else "no free name was left beside it to keep them. Free "
                 "some names")
        raise OutputError(
            f"'{self.target}' was empty or absent when the {self.kind} began, but something "
            f"else wrote into it meanwhile ({', '.join(found[:5]) or 'a file'}), so the results "
            f"were not put there: {where}, or look at what else wrote into the --out folder.")

    def _copy_into_target(self) -> None:
        names = [p.name for p in self.path.iterdir() if p.name != RECORD] + [RECORD]
        try:
            for name in names:
                src, dst = self.path / name, self.target / name
                shutil.copytree(src, dst) if src.is_dir() else shutil.copy2(src, dst)
        except BaseException:
            for name in names:
                dst = self.target / name
                shutil.rmtree(dst, ignore_errors=True) if dst.is_dir() else \
                    dst.unlink(missing_ok=True)
            raise
        shutil.rmtree(self.path, ignore_errors=True)

    def abandon(self, error: BaseException | None = None) -> None:
        """After an error: remove the temporary folder (staged), or the new folder if nothing
        in it was kept (in place), putting an old folder back. A staged folder that already
        holds files when an internal error (a bug, not bad input, a file-system error or an
        interruption) stops the verb is kept beside the target instead, as ``NAME.incomplete``
        (:meth:`_move_beside`), and the error says where: the runs' tables are written first
        and would otherwise go with it."""
        if self.staged and self.path != self.target and not self._kept:
            kept = self._move_beside("incomplete") if _is_internal(error) and \
                self._written() else None
            if kept is not None and error is not None:
                error.add_note(f"The files written before the error are kept in '{kept}' "
                               "(incomplete: the rest of the output is missing); --out "
                               f"'{self.shown}' was left as it was.")
            elif kept is None:
                shutil.rmtree(self.path, ignore_errors=True)
        elif not self.staged and not self._kept:
            self.undo_begin()

    def _written(self) -> list[str]:
        """Staged: the files written so far in the temporary folder (relative, sorted; its
        record left out)."""
        return sorted(p.relative_to(self.path).as_posix() for p in self.path.rglob("*")
                      if not p.is_dir() and p != self.path / RECORD)

    def _move_beside(self, label: str) -> Path | None:
        """Staged: rename the temporary folder to the first free name ``NAME.LABEL``,
        ``NAME.LABEL-2``, ... beside the target, with a record listing its files (so ``--force``
        may replace it), and mark it kept; its path, or None if no name is free or the rename
        fails (then nothing moved)."""
        written = self._written()
        for n in range(1, 100):
            kept = self.target.parent / f"{self.target.name}.{label}{f'-{n}' if n > 1 else ''}"
            if kept.exists() or kept.is_symlink():
                continue
            try:
                self._write_record(self.path, written)
                os.rename(self.path, kept)
            except OSError:
                return None
            self.path, self._kept = kept, True
            return kept
        return None

    def release(self) -> None:
        """Release the lock; remove the parents this claim created if they are still empty
        (the claim failed)."""
        if self._lock.fd >= 0:
            _CLAIMED.discard(self.target)
        self._lock.release()
        for p in reversed(self._made):
            with contextlib.suppress(OSError):
                p.rmdir()  # only if empty

    def _write_record(self, folder: Path, files: list[str]) -> None:
        from leverage_sim.files.version import installed_version

        record = {"written_by": "leverage-sim", "version": installed_version(), "kind": self.kind,
                  "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                  "files": files}
        _save_record(folder, record)

    def display(self, path: str | Path) -> str:
        """``path`` as the user knows it (in the target, not the temporary folder)."""
        return str(path).replace(str(self.path), str(self.target))


@contextlib.contextmanager
def claim_output(out: str | Path, kind: str, *, force: bool = False, resume: bool = False,
                 staged: bool = True, files: Sequence[str] = ()) -> Iterator[OutputFolder]:
    """Claim the output folder ``out`` for a verb of ``kind`` (see the module docstring).

    Args:
        out: the folder the results end up in.
        kind: what writes it (``run``, ``compare``, ``sweep``, ``calibrate``); ``resume`` needs
            a folder of the same kind.
        force: replace an existing folder leverage-sim wrote (never one with other files).
        resume: continue in an existing folder of this kind (nothing is removed).
        staged: write to a temporary folder renamed into place at the end (else in place,
            after :meth:`OutputFolder.begin`).
        files: in place only: the exact names (relative) of the files the verb may write,
            or patterns below a sub-folder (``summary/part-*.parquet``); staged folders record
            the files actually written.

    Raises :class:`OutputError` (an :class:`InputError`) when the folder cannot be used or a
    write fails; the lock is released and temporary files removed whatever happens.
    """
    force, resume = require_switch(force, "force"), require_switch(resume, "resume")
    folder = OutputFolder(out, kind, force, resume, staged, files)
    try:
        try:
            folder.claim()
            yield folder
            folder.commit()
        except BaseException as e:
            folder.abandon(e)
            if is_file_system_error(e):
                if e.filename is not None:
                    e.filename = folder.display(e.filename)
                raise OutputError(describe_os_error(e, folder.target, folder.kept)) from None
            raise
    finally:
        folder.release()
