"""``leverage-sim`` entry point.

Exit codes (also in ``leverage-sim --help`` and docs/cli.md): 0 ok; 1 internal error (a bug);
2 bad input, arguments or output folder (including a full disk, a locked folder, no Dask
worker); 3 ``rerun``: not reproduced; 130 interrupted (Ctrl-C), 143 terminated (SIGTERM), 129
hung up (SIGHUP: the terminal closed). A closed output pipe (``| head``) is not an error: output
stops quietly, the work completes.

Each verb lives in its own module ``cli/<verb>_cmd.py`` exposing ``register(subparsers)``,
which adds its parser and sets ``func`` (``args -> int``). Verbs are discovered from the module
names (``_`` in a module name is ``-`` in the verb: ``validate_model_cmd`` is
``validate-model``), so adding a verb is adding its module. Only the module of the verb being
run is imported (the others are listed by name), so a verb pays for no other verb's imports;
``--help`` without a verb imports them all to describe them.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import io
import os
import pkgutil
import signal
import sys
import threading
import traceback
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import leverage_sim.cli as _cli_pkg
from leverage_sim.errors import STOP_SIGNALS, InputError, is_interrupt, stop_signals
from leverage_sim.files.environment import env_flag
from leverage_sim.files.output_dir import describe_os_error, is_file_system_error
from leverage_sim.files.safe_text import is_utf8, visible
from leverage_sim.scenario.loader import ENV_SCENARIO_PATH
from leverage_sim.simulation.stale import allowing_stale

_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
"""Error codes of a full disk (or quota)."""

DEBUG_ENV = "LEVERAGE_SIM_DEBUG"
"""Set to 1 (or true, yes, on) to print the traceback of an internal error."""

EXIT_CODES = ("exit codes: 0 ok; 1 internal error (a bug: please report it); 2 bad input, "
              "arguments or output folder (also: disk full, folder locked by another run, no "
              "Dask worker); 3 rerun: not reproduced; 130 interrupted (Ctrl-C); 143 terminated; "
              "129 hung up (the terminal closed). "
              "See docs/cli.md.")

VERBS = tuple(sorted(m.name[: -len("_cmd")].replace("_", "-")
                     for m in pkgutil.iter_modules(_cli_pkg.__path__) if m.name.endswith("_cmd")))


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors as exit 2 and a one-paragraph message, and a verb's words
    and options in any order (``compare A --set x=1 B``: plain argparse takes a verb's words
    only up to its first option and calls the rest unrecognized)."""

    _intermixing = False
    _words: tuple[str, ...] = ()

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        """A verb's parser parses intermixed (which calls this again: then plainly); the
        top-level parser, which holds the verbs, cannot and parses plainly. The words after
        ``--`` are the verb's words even if they start with ``-`` (a file ``-x.yaml``):
        intermixed parsing (Python 3.11) dropped the ``--`` and read them as options ("the
        following arguments are required: scenario"), so those are parsed as stand-ins."""
        if self._subparsers is not None or self._intermixing:
            return super().parse_known_args(args, namespace)
        args = list(sys.argv[1:] if args is None else args)
        if "--" in args:
            cut = args.index("--")
            self._words = tuple(args[cut + 1:])
            args = args[:cut] + [f"{_WORD}{i}" if word.startswith("-") else word
                                 for i, word in enumerate(self._words)]
        self._intermixing = True
        try:
            namespace, extras = self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False
        for key, value in vars(namespace).items():
            setattr(namespace, key, [self._word(v) for v in value] if isinstance(value, list)
                    else self._word(value))
        if extras:  # named here, with this verb's usage, not the top-level one
            self.error(f"unrecognized arguments: {' '.join(map(self._word, extras))}")
        return namespace, extras

    def _word(self, value: Any) -> Any:
        """``value``, or the word after ``--`` it stands in for."""
        if isinstance(value, str) and value.startswith(_WORD):
            return self._words[int(value.removeprefix(_WORD))]
        return value

    def error(self, message: str) -> None:
        for i, word in enumerate(self._words):  # this parse's stand-ins, raw or in a repr
            stand_in = f"{_WORD}{i}"
            message = message.replace(repr(stand_in), repr(word)).replace(stand_in, word)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}. See `{self.prog} --help`.\n")


_WORD = "\0word-after-dashes:"
"""Stand-in for a word after ``--`` while a verb's arguments are parsed (no argument can hold
a NUL character, so none is taken for one)."""


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv``: the verb it names registered in full, the other verbs by name
    only; every verb in full when ``argv`` names none (or is ``None``: the full parser)."""
    chosen = _verb_in(argv)
    parser = _Parser(prog="leverage-sim", description="Scenario simulation of state-militia-"
                     "patron-foreign-force dynamics (Iraq, June-July 2020, and counterfactuals).",
                     epilog=EXIT_CODES)
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    sub = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=_Parser)
    sub.required = True
    for verb in VERBS:
        if chosen in (None, verb):
            importlib.import_module(f"leverage_sim.cli.{verb.replace('-', '_')}_cmd"
                                    ).register(sub)
        else:
            sub.add_parser(verb)
    return parser


def _verb_in(argv: list[str] | None) -> str | None:
    """The verb ``argv`` runs (its first word that is not an option), if it is one."""
    words = [a for a in argv or () if not a.startswith("-")]
    return words[0] if words and words[0] in VERBS else None


class _Version(argparse.Action):
    """``--version``: looks the installed version up only when asked (start-up)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        from leverage_sim.files.version import installed_version

        print(f"{parser.prog} {installed_version()}")
        parser.exit()


class _QuietPipe:
    """An output stream that, once its reader has gone (``| head``), sends the rest to the
    null device instead of raising BrokenPipeError: the verb completes (and writes its
    files). Likewise when the stream cannot be written at all (redirected to a file on a full
    disk, a terminal that has gone: ENOSPC, EIO): the error is kept in :attr:`failed`, for
    :func:`main` to report once the verb is done, rather than raised in the middle of it,
    where it ended ``run --out`` with its results deleted and "Disk full at None"."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.failed: OSError | None = None

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except BrokenPipeError:
            self._divert()
            return len(text)
        except OSError as e:
            self._fail(e)
            return len(text)

    def flush(self) -> None:
        try:
            self.stream.flush()
        except BrokenPipeError:
            self._divert()
        except OSError as e:
            self._fail(e)

    def _fail(self, error: OSError) -> None:
        self.failed = self.failed or error
        self._divert()

    def _divert(self) -> None:
        with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, self.stream.fileno())  # what is still buffered goes there too
            os.close(null)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def _escape_what_it_cannot_encode(stream: Any) -> None:
    """Make ``stream`` write a character its encoding lacks (``·`` or ``—`` under
    ``LANG=C`` with ``PYTHONUTF8=0``, ``PYTHONIOENCODING=ascii``) as an escape such as
    ``\\xb7`` instead of raising UnicodeEncodeError after the work is done."""
    with contextlib.suppress(AttributeError, ValueError, io.UnsupportedOperation):
        stream.reconfigure(errors="backslashreplace")


def _open_closed_streams() -> None:
    """A standard stream closed when the command started (``leverage-sim run ... >&-``) is
    opened on the null device: what would have been printed there is dropped, the verb runs
    to its end and writes its files. Opened in order (0, 1, 2), each takes the lowest free
    descriptor, its own, unless something took it meanwhile. (Python leaves ``sys.stdout``
    None then, and the first print ended the verb with a traceback before it wrote --out;
    and a file opened later would have taken the free descriptor, so that anything written
    to descriptor 1 landed in it.)"""
    for name, mode in (("stdin", "r"), ("stdout", "w"), ("stderr", "w")):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, mode, encoding="utf-8"))  # noqa: SIM115


def _warning_line(shown: Callable[..., str]) -> Callable[..., str]:
    """``warnings.formatwarning`` for the command line: leverage-sim's own warnings (raised in
    its code: a notice to the user, such as a sweep's duplicated rows that were dropped) as
    ``leverage-sim: warning: ...``, not in Python's form with the source file and line; any
    other library's warnings as ``shown`` formats them."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

    def line(message: Warning | str, category: type[Warning], filename: str, lineno: int,
             source: str | None = None) -> str:
        if os.path.abspath(filename).startswith(package + os.sep):
            return f"leverage-sim: warning: {message}\n"
        return shown(message, category, filename, lineno, source)

    return line


@contextlib.contextmanager
def _process_guards(active: bool) -> Iterator[None]:
    """For the command-line process: a closed stdout pipe is not an error, a character the
    terminal's encoding lacks is written as an escape, SIGTERM and SIGHUP (the terminal
    closed; unless started ignored, as by ``nohup``) stop like Ctrl-C does (cleanup runs: a
    sweep is marked interrupted and says how to resume, temporary folders go; exit 143 or 129:
    :data:`~leverage_sim.errors.STOP_SIGNALS`), and charts are drawn
    with matplotlib's file backend (the command line opens no window: a ``MPLBACKEND`` that
    names no backend made every verb that draws end in a traceback or, after the runs, an
    internal error)."""
    if not active:
        yield
        return
    os.environ["MPLBACKEND"] = "agg"
    _open_closed_streams()
    streams, shown = (sys.stdout, sys.stderr), warnings.formatwarning
    warnings.formatwarning = _warning_line(shown)
    for stream in streams:
        _escape_what_it_cannot_encode(stream)
    sys.stdout, sys.stderr = _QuietPipe(sys.stdout), _QuietPipe(sys.stderr)
    if threading.current_thread() is threading.main_thread():
        for sig in stop_signals():
            signal.signal(sig, lambda *_, code=STOP_SIGNALS[sig.name]: sys.exit(code))
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = streams
        warnings.formatwarning = shown


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns (and exits with) the exit code."""
    with _process_guards(argv is None):
        try:
            code = _run(argv)
        except SystemExit as e:  # argparse's --help, --version and usage errors: checked for
            # lost output too, then they leave as they came (main(argv) raises SystemExit)
            if e.code is not None and not isinstance(e.code, int):
                raise
            if _output_lost(e.code or 0) != (e.code or 0):
                raise SystemExit(2) from None
            raise
        code = _output_lost(code)
    if argv is None:
        sys.exit(code)
    return code


def _output_lost(code: int) -> int:
    """``code``, or 2 when what the verb printed could not be written (see :class:`_QuietPipe`;
    said on stderr if stdout failed and stderr still works). The verb ran to its end, so its
    files are complete."""
    sys.stdout.flush()
    lost = {name: stream.failed for name, stream in (("standard output", sys.stdout),
                                                     ("standard error", sys.stderr))
            if getattr(stream, "failed", None) is not None}
    if not lost:
        return code
    if "standard error" not in lost:
        e = lost["standard output"]
        reason = (os.strerror(e.errno) if e.errno else str(e)) + (
            ": the disk it is redirected to is full" if e.errno in _FULL else "")
        print(f"leverage-sim: error: {'the command ran to its end, but ' if code == 0 else ''}"
              f"what it printed could not be written to its standard output ({reason}), so "
              "that output is lost or incomplete"
              + ("; the files it wrote (--out), if any, are complete" if code == 0 else "")
              + ". Redirect the "
              "output to a disk with room (or to a terminal) and run the command again to see "
              "it.", file=sys.stderr)
        sys.stderr.flush()
    return code or 2


def _not_utf8(argv: list[str]) -> str | None:
    """The first argument (or scenario-path variable) that is not UTF-8 text."""
    return next((text for text in (*argv, os.environ.get(ENV_SCENARIO_PATH, ""))
                 if not is_utf8(text)), None)


def _run(argv: list[str] | None) -> int:
    given = sys.argv[1:] if argv is None else argv
    bad = _not_utf8(given)
    if bad is not None:
        print(f"leverage-sim: error: '{visible(bad)}' (an argument, or ${ENV_SCENARIO_PATH}) is "
              "not UTF-8 text; leverage-sim reads and writes names, paths and values as UTF-8. "
              "Rename the file or folder, or retype the value.", file=sys.stderr)
        return 2
    args = build_parser(given).parse_args(argv)
    try:
        os.getcwd()
    except FileNotFoundError:
        print("leverage-sim: error: the current folder no longer exists (it was deleted or "
              "moved while this shell was in it), so no relative path can be read or written. "
              "cd to an existing folder and run the command again.", file=sys.stderr)
        return 2
    try:
        with allowing_stale(getattr(args, "allow_stale", False)):
            return args.func(args)
    except InputError as e:
        print(f"leverage-sim: error: {visible(str(e))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("leverage-sim: interrupted.", file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 - any other error is a bug: short message, exit 1
        if is_interrupt(e):  # Ctrl-C inside compiled code
            print("leverage-sim: interrupted.", file=sys.stderr)
            return 130
        if is_file_system_error(e):  # a file that cannot be read or written: say which
            print(f"leverage-sim: error: {describe_os_error(e, verb='read or write')}",
                  file=sys.stderr)
            return 2
        if env_flag(DEBUG_ENV):
            traceback.print_exc()
        notes = "".join(f" {note}" for note in getattr(e, "__notes__", ()))
        print(f"leverage-sim: internal error: {type(e).__name__}: {e}. This is a bug; please "
              "report it with the command you ran (set LEVERAGE_SIM_DEBUG=1 for a traceback)."
              f"{visible(notes)}", file=sys.stderr)
        return 1

if __name__ == "__main__":  # python -m leverage_sim.cli.main, as python -m leverage_sim.cli
    main()
