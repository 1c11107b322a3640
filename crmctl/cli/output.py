"""Formatting for the terminal and for machines: tables, JSON, CSV, diagnostics.

Every value that comes from a repository is escaped as it is put into text
(:mod:`crmctl.escaping`), and :func:`write` escapes once more whatever still
holds a control character, so nothing raw reaches a terminal even where an
interpolation forgot.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from typing import Any, Iterable, Sequence

from crmctl.diagnostics import Diagnostic, Severity
from crmctl.escaping import CONTROL_IN_LINES, visible, visible_lines


def _json_value(value: Any) -> Any:
    """NaN and infinities as text: JSON has no numbers for them (``.nan`` is valid YAML)."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return value


def _json_escape(match: Any) -> str:
    return f"\\u{ord(match.group()):04x}"


def to_json(value: Any) -> str:
    """Valid JSON in UTF-8. json escapes C0 controls itself; C1 controls, U+2028/U+2029
    and bidi controls it leaves raw, so they are written as ``\\uXXXX`` here (they can
    only stand inside strings, where that escape means the same character)."""
    text = json.dumps(_json_value(value), ensure_ascii=False, indent=2, sort_keys=False, default=str)
    return CONTROL_IN_LINES.sub(_json_escape, text) + "\n"


# a spreadsheet runs a cell that starts with one of these as a formula
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (bool, int, float)):
        return value  # numbers stay numbers (-5 is not a formula)
    text = value if isinstance(value, str) else str(value)
    if text.startswith(_FORMULA_START):
        text = "'" + text  # the usual neutralisation: the cell is read as text
    # one record per line, as in a table: no column crmctl writes holds multi-line text,
    # and a newline in a name is a line of its own to `grep` or a terminal
    return visible(text)


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """The one CSV writer of every ``--format csv``: a header of ``columns`` and
    one line per row, text cells neutralised against formula injection."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_csv_cell(key) for key in columns])
    for row in rows:
        writer.writerow([_csv_cell(row.get(key)) for key in columns])
    return out.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (bool, int, float)):
        return value
    # a tab too is escaped in a table: its width depends on the terminal's tab stops,
    # so tabulate cannot line up the column (and it is almost always a pasting accident)
    return visible(value if isinstance(value, str) else str(value))


def table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], fmt: str) -> str:
    """``columns``: (key, header). ``fmt``: table | json | csv | a tabulate format."""
    if fmt == "json":
        return to_json([{key: row.get(key) for key, _ in columns} for row in rows])
    if fmt == "csv":
        return to_csv(rows, [key for key, _ in columns])
    from tabulate import tabulate

    body = [[_cell(row.get(key)) for key, _ in columns] for row in rows]
    return tabulate(body, headers=[_cell(header) for _, header in columns],
                    tablefmt="simple" if fmt == "table" else fmt, disable_numparse=True) + "\n"


def diagnostics_text(diagnostics: Iterable[Diagnostic]) -> str:
    return "".join(d.format() + "\n" for d in diagnostics)


def missing_text(diagnostics: Iterable[Diagnostic], indent: str = "  ") -> str:
    """Diagnostics as a list under a heading (what a gate still needs, red flags)."""
    return "".join(f"{indent}{visible(d.location())}: {visible(d.message)}\n"
                   + (f"{indent}    {visible(d.hint)}\n" if d.hint else "") for d in diagnostics)


def summary_counts(diagnostics: Sequence[Diagnostic]) -> dict[str, int]:
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    return {"errors": errors, "warnings": len(diagnostics) - errors}


def write(text: str, *, err: bool = False) -> None:
    """Write ``text``; any control character but newline and tab left in it is escaped."""
    stream = sys.stderr if err else sys.stdout
    stream.write(visible_lines(text))
    stream.flush()
