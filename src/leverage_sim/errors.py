"""The one exception type for bad user input: its message is a complete, readable paragraph;
how to recognise a Ctrl-C that compiled code reported as another error; and the signals that
stop a verb the way Ctrl-C does."""

import signal

STOP_SIGNALS: dict[str, int] = {name: 128 + getattr(signal, name)
                                for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)}
"""Signals that stop a verb as Ctrl-C does (``kill``; the terminal closed), by name, with the
exit code each gives (128 + its number, as a shell reports it: 143, 129); SIGHUP only where
the platform has it."""


STOPPED_BY: dict[int, str] = {130: "Ctrl-C"} | {code: name for name, code in STOP_SIGNALS.items()}
"""What stopped a verb, by the exit code it gives: Ctrl-C or a signal of :data:`STOP_SIGNALS`."""


def stop_reason(stop: BaseException) -> str | None:
    """``Ctrl-C``, ``SIGTERM`` or ``SIGHUP`` when ``stop`` is how that ended a verb (a
    KeyboardInterrupt; the command line's ``SystemExit`` with 130, 143 or 129); else None."""
    if isinstance(stop, KeyboardInterrupt):
        return "Ctrl-C"
    return STOPPED_BY.get(stop.code) if isinstance(stop, SystemExit) else None


def stopped_how(reason: str | None) -> str:
    """How a message says a verb stopped, from its :func:`stop_reason`: ``interrupted``
    (Ctrl-C), ``stopped by SIGTERM`` (or another signal), ``stopped`` (no reason)."""
    return ("interrupted" if reason == "Ctrl-C" else f"stopped by {reason}" if reason
            else "stopped")


def stop_signals() -> list[signal.Signals]:
    """The signals of :data:`STOP_SIGNALS` this process acts on: SIGTERM always (``kill``, and
    how a pool stops its workers), SIGHUP unless the process was started with it ignored
    (``nohup``: what it starts must outlive the terminal)."""
    return [sig for sig in map(signal.Signals.__getitem__, STOP_SIGNALS)
            if sig.name != "SIGHUP" or signal.getsignal(sig) is not signal.SIG_IGN]


class InputError(Exception):
    """Bad input (file, field, override or argument). The message names what and how to fix it.

    The CLI prints the message alone (no traceback) and exits with status 2.
    """


def is_interrupt(e: BaseException) -> bool:
    """True for Ctrl-C: a ``KeyboardInterrupt``, or the ``SystemError`` compiled (numba) code
    raises when Ctrl-C arrives while it runs ("returned a result with an exception set"), whose
    cause is the ``KeyboardInterrupt``."""
    return isinstance(e, KeyboardInterrupt) or (
        isinstance(e, SystemError) and isinstance(e.__cause__ or e.__context__,
                                                  KeyboardInterrupt))
