"""The one currency of problems: every stage returns its result and a list of these."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass
from typing import Iterable

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
        return (self.path, self.line, self.col, self.code, self.message)

    def location(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.col}"

    def format(self) -> str:
        """``path:line:col: severity code message``, the hint indented below. Path,
        message and hint may hold names from the repository: their control
        characters are shown as escapes, so none can forge a line of their own."""
        text = f"{visible(self.location())}: {self.severity} {self.code} {visible(self.message)}"
        if self.hint:
            text += f"\n    {visible(self.hint)}"
        return text

    def to_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted and without exact repeats, so output is deterministic."""
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


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
