"""The one exception type for bad user input: its message is a complete, readable paragraph;
and how to recognise a Ctrl-C that compiled code reported as another error."""


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
