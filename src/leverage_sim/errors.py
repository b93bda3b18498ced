"""The one exception type for bad user input: its message is a complete, readable paragraph."""


class InputError(Exception):
    """Bad input (file, field, override or argument). The message names what and how to fix it.

    The CLI prints the message alone (no traceback) and exits with status 2.
    """
