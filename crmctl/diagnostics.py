"""The one currency of problems: every stage returns its result and a list of these."""

from __future__ import annotations

import enum
import operator
from dataclasses import asdict, dataclass
from typing import Callable, Iterable

from crmctl.escaping import visible


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A located problem. ``path`` is relative to the repository root, POSIX style.

    ``line`` and ``col`` are 1-based; 0 means "the whole file" (a missing file,
    an encoding that cannot be read).
    """

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str
    hint: str = ""

    def sort_key(self) -> tuple:
        return _SORT_KEY(self)

    def location(self) -> str:
        """``path:line:col`` (``path`` alone for a whole file). A ``:`` in the path (a folder may
        be named anything) is written ``\\x3a``, so a name cannot pose as a location of its own."""
        path = self.path.replace(":", "\\x3a")
        if self.line <= 0:
            return path
        return f"{path}:{self.line}:{self.col}"

    def format(self, lang: str = "en") -> str:
        """``path:line:col: severity code message``, the hint indented below; the severity in
        ``lang`` (``错误``/``警告`` in zh-CN: one language at a time; JSON keeps the values). Path,
        message and hint may hold names from the repository: their control characters are shown
        as escapes, so none can forge a line of their own."""
        severity = SEVERITY_WORDS[self.severity] if lang == "zh-CN" else str(self.severity)
        text = f"{visible(self.location())}: {severity} {self.code} {visible(self.message)}"
        if self.hint:
            text += f"\n    {visible(self.hint)}"
        return text

    def to_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


# by place, then code and text: the order of every list of problems crmctl prints (a C getter: a
# large check sorts a million of them)
_SORT_KEY = operator.attrgetter("path", "line", "col", "code", "message")

SEVERITY_WORDS = {Severity.ERROR: "错误", Severity.WARNING: "警告"}


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted and without exact repeats, so output is deterministic."""
    return sorted(set(diagnostics), key=_SORT_KEY)


def has_errors(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> bool:
    return any(d.severity is Severity.ERROR or strict for d in diagnostics)


def filter_codes(
    diagnostics: Iterable[Diagnostic],
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
) -> list[Diagnostic]:
    """Keep codes matching ``select`` prefixes (all if empty), drop ``ignore`` prefixes."""
    select = tuple(select)
    ignore = tuple(ignore)
    return [
        d
        for d in diagnostics
        if (not select or d.code.startswith(select)) and not (ignore and d.code.startswith(ignore))
    ]


# Not from any spec: a file of two million broken items must not print two
# million lines. Per file, the first this many problems of one code are listed
# and one more line says how many were left out; 50 is more than anyone fixes
# before checking again, and a screen or two to read.
PER_FILE_LIMIT = 50


class Tally:
    """Counts one file's problems by code, to list at most ``limit`` of each."""

    def __init__(self, limit: int = PER_FILE_LIMIT) -> None:
        self.limit = limit
        self.counts: dict[str, int] = {}
        self.first_left_out: dict[str, tuple[int, int]] = {}

    def admit(self, code: str, where: Callable[[], tuple[int, int]]) -> bool:
        """Count one problem of ``code``: True while it is to be listed. ``where``
        (line, col) is asked only of the first one left out, so the rest cost nothing."""
        count = self.counts[code] = self.counts.get(code, 0) + 1
        if count <= self.limit:
            return True
        if count == self.limit + 1:
            self.first_left_out[code] = where()
        return False

    def left_out(self) -> list[tuple[str, int, int, int]]:
        """(code, how many were left out, line and col of the first of them), by code."""
        return [(code, self.counts[code] - self.limit, *self.first_left_out[code])
                for code in sorted(self.first_left_out)]


def cap_per_file(diagnostics: Iterable[Diagnostic], more: Callable[[str, str, int, int, int], Diagnostic],
                 limit: int = PER_FILE_LIMIT) -> list[Diagnostic]:
    """The first ``limit`` diagnostics (by position) of each code in each file; the
    rest of a code become one ``more(code, path, line, col, count)``."""
    tallies: dict[str, Tally] = {}
    kept = []
    for d in sorted(diagnostics, key=_SORT_KEY):
        tally = tallies.get(d.path) or tallies.setdefault(d.path, Tally(limit))
        if tally.admit(d.code, lambda d=d: (d.line, d.col)):
            kept.append(d)
    for path, tally in tallies.items():
        kept.extend(more(code, path, line, col, count) for code, count, line, col in tally.left_out())
    return kept
