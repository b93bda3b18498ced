"""Text from user files, made safe to show: control characters and name keys.

Names (scenario, actor, site, sweep and calibration names) are checked when a file is read
(:func:`name_problem`): no control characters, no empty or padded names. Free text (a
scenario's question, event notes, descriptions) is kept as written and made visible on output
(:func:`visible`): the terminal (``list``, ``run``), ``narrative.md`` and ``report.html`` show
``\\x1b`` or ``\\u202e`` where the file holds an escape or a bidirectional override, so nothing
from a file can move the cursor, ring the bell, clear the screen or reverse the text around it.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from collections.abc import Iterable

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Unicode bidirectional formatting characters (marks, embeddings, overrides, isolates)."""
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029" + BIDI_CONTROLS + "\ud800-\udfff]")
"""C0 controls except tab and newline, DEL, C1 controls, line/paragraph separators, bidi
controls and lone surrogates (how Python reads bytes of a file name that are not UTF-8): what
:func:`visible` escapes."""


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a name that is not UTF-8, read as a surrogate
        code -= 0xDC00
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character (see :data:`_CONTROL`; tab and newline are kept)
    written as a visible escape, e.g. ``\\x1b`` or ``\\u202e``; a byte of a file name that is
    not UTF-8 is shown as the byte (``\\xff``)."""
    return _CONTROL.sub(_escape, text)


def shortened(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters for a message, ending in ``...`` when cut."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def shell_word(text: object) -> str:
    """``text`` (a path, a name) as one word of a command a message tells the user to run:
    quoted when it holds a space or a character the shell reads (``'my results'``, not ``my
    results``, which would be two words), and with control characters as visible escapes."""
    return shlex.quote(visible(str(text)))


def json_visible(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with the control characters
    JSON leaves raw (DEL, C1, separators, bidi controls) written as ``\\uXXXX`` escapes: the
    same data, safe to print."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def chart_text(text: str) -> str:
    """``text`` for a matplotlib label, shown as written: ``$`` escaped, so a name such as
    ``a $\\frac{$`` is not read as (broken) mathematical notation."""
    return text.replace("$", r"\$")


def is_utf8(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8: False for a file name or argument holding
    bytes that are not UTF-8 (Python reads them as lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def has_control(text: str) -> bool:
    """True if ``text`` holds a control character, a tab or a newline."""
    return "\t" in text or "\n" in text or _CONTROL.search(text) is not None


MAX_NAME_LENGTH = 100
"""Characters a name may have: it labels tables, charts, event logs and output folders (whose
names a file system caps at 255 bytes); longer text belongs in a description or question."""


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a name (empty, longer than :data:`MAX_NAME_LENGTH`, surrounding
    spaces, control characters), or None if it can."""
    if not name.strip():
        return "must not be empty"
    if len(name) > MAX_NAME_LENGTH:
        return (f"must be at most {MAX_NAME_LENGTH} characters, not {len(name)} (a name labels "
                "tables, charts and folders; put longer text in a description or question)")
    if has_control(name):
        return ("must not contain control characters (tabs, newlines, escapes or "
                "bidirectional overrides would garble or disguise it)")
    if name != name.strip():
        return "must not start or end with spaces"
    return None


def article(noun: str) -> str:
    """The indefinite article of ``noun`` by its first letter: ``an`` episode, ``a`` scenario."""
    return "an" if noun[:1] in "aeiou" else "a"


def look_alike(sought: str, names: Iterable[str]) -> str:
    """For a message that ``sought`` is none of ``names``: the sentence naming the one of them
    that differs from it only as :func:`name_key` ignores (``'M\u200d1'`` for ``M1``; listed
    as written, the two print alike), or ``""``."""
    for name in names:
        if name != sought and name_key(name) == name_key(sought):
            return (f"; {name!r} differs from '{visible(sought)}' only by case, spacing, width "
                    "or an invisible character, and a name is matched as written: write it as "
                    "that entry's name (or rename the entry)")
    return ""


def name_key(name: str) -> str:
    """The form under which two names count as the same: Unicode compatibility form (NFKC:
    full-width ``ＫＨ`` is ``KH``), case folded, without spaces (``K H`` is ``KH``) and without
    invisible format characters (a zero-width space or joiner: ``K\u200bH`` prints as ``KH``)."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(c for c in folded if not c.isspace() and unicodedata.category(c) != "Cf")
