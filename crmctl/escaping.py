"""Text that cannot be turned against its reader.

Names, notes, keys and folder names come from a repository that anyone may send
a pull request to. Printed raw, an ESC starts a terminal escape sequence
(colours, a new window title, a hidden line, a link), a newline or U+2028 starts
a line that reads like one of crmctl's own (``path:line:col: error …``), a
carriage return writes over what was printed, and a bidi override reorders what
the reader sees. :func:`visible` writes each of them as an escape the reader can
see — ``\\x1b``, ``\\n``, ``\\u2028`` — and leaves every other character alone.

A backslash is not doubled: the escapes are for people, not to be read back,
and doubling would make every ``C:\\folder`` in a note look wrong.
"""

from __future__ import annotations

import re
from typing import Iterable

# C0 controls and DEL, C1 controls (U+0085 NEL, U+009B CSI among them), the line
# and paragraph separators, and Unicode's Bidi_Control characters (marks,
# embeddings, overrides, isolates)
# and, though no control, what no text may hold: a lone surrogate (a file name's byte that is not
# UTF-8, as Python decodes it) cannot be written as UTF-8, and U+FFFE/U+FFFF are not XML characters
_OTHERS = "\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"
CONTROL = re.compile(f"[\x00-\x1f{_OTHERS}]")
# the same but newline and tab, for text crmctl has already laid out in lines and columns
CONTROL_IN_LINES = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHERS}]")

# the same but newline, carriage return and tab, which a spreadsheet's cell or a quoted CSV field
# holds as they are: for files made to be edited and imported again
CONTROL_IN_CELLS = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_OTHERS}]")

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` as one line with every control character written as a visible escape."""
    if text.isprintable():  # every character CONTROL takes is one Python calls unprintable
        return text
    return CONTROL.sub(_escape, text)


def visible_lines(text: str) -> str:
    """As :func:`visible`, but newlines and tabs stay: for text crmctl has already
    laid out (a table, a report, DOT source) whose values were escaped as they were
    put in. This is the last safety net where output is written."""
    return CONTROL_IN_LINES.sub(_escape, text)


def visible_in_cell(text: str) -> str:
    """As :func:`visible`, but line breaks and tabs stay: a cell of a workbook or CSV file that is
    to be corrected and imported again holds them as the record does."""
    return CONTROL_IN_CELLS.sub(_escape, text)


def controls_in(text: str) -> list[str]:
    """The control characters in ``text``, each as its visible escape, once each in order."""
    return list(dict.fromkeys(_escape(m) for m in CONTROL.finditer(text)))


def join_lines(lines: Iterable[str]) -> str:
    """Lines a renderer built, each ended by a newline. The line breaks are crmctl's;
    a newline or escape inside a line came from a value and is shown escaped."""
    return "".join(visible(line) + "\n" for line in lines)
