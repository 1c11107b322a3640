"""Formatting for the terminal and for machines: tables, JSON, CSV, diagnostics.

Every value that comes from a repository is escaped as it is put into text
(:mod:`crmctl.escaping`), and :func:`write` escapes once more whatever still
holds a control character, so nothing raw reaches a terminal even where an
interpolation forgot.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import sys
from decimal import Decimal
from typing import Any, Iterable, Iterator, Sequence

from crmctl.diagnostics import Diagnostic, Severity
from crmctl.errors import OutputFailed
from crmctl.escaping import CONTROL_IN_LINES, visible, visible_lines


def _json_value(value: Any) -> Any:
    """NaN and infinities as text: JSON has no numbers for them (``.nan`` is valid YAML)."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, Decimal):  # an amount: written with its own digits (float's shortest repr keeps them)
        return int(value) if value == value.to_integral_value() else float(value)
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


def _csv_cell(value: Any, line_breaks: bool = False) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"  # one spelling, as in JSON
    if isinstance(value, (int, float)):
        return value  # numbers stay numbers (-5 is not a formula)
    text = value if isinstance(value, str) else str(value)
    if text.startswith(_FORMULA_START):
        text = "'" + text  # the usual neutralisation: the cell is read as text
    # one record per line, as in a table: no column crmctl writes holds multi-line text,
    # and a newline in a name is a line of its own to `grep` or a terminal; but rows a person
    # corrects and re-imports (``line_breaks``) keep a cell's lines, quoted as CSV quotes them
    if line_breaks:
        from crmctl.escaping import visible_in_cell

        return visible_in_cell(text)
    return visible(text)


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str], headers: Sequence[str] | None = None, *,
           dialect: str = "csv", line_breaks: bool = False) -> str:
    """The one delimited-text writer of every listing: a header (``headers``, else the
    ``columns`` keys) and one line per row, text cells neutralised against formula injection.
    ``dialect``: ``csv`` for scripts; ``tsv``, the same with tabs; ``excel-csv``, for a
    spreadsheet: with a byte-order mark, without which Excel on Chinese Windows reads UTF-8
    as GBK and shows mojibake."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", delimiter="\t" if dialect == "tsv" else ",")
    writer.writerow([_csv_cell(h) for h in (headers or columns)])
    for row in rows:
        writer.writerow([_csv_cell(row.get(key), line_breaks) for key in columns])
    return ("\ufeff" if dialect == "excel-csv" else "") + out.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (bool, int, float)):
        return value
    # a tab too is escaped in a table: its width depends on the terminal's tab stops,
    # so tabulate cannot line up the column (and it is almost always a pasting accident)
    return visible(value if isinstance(value, str) else str(value))


# The value set of every listing's --format. Machines get the values as stored (keys as
# headers): json, csv, tsv. People get labels in their language: excel-csv, table, and the
# tabulate formats named here (a test checks tabulate knows each).
MACHINE_FORMATS = ("json", "csv", "tsv")
TABULATE_FORMATS = ("plain", "simple", "github", "grid", "simple_grid", "rounded_grid", "fancy_grid", "pipe",
                    "orgtbl", "jira", "presto", "psql", "rst", "mediawiki", "html", "latex", "textile", "asciidoc")
LISTING_FORMATS = ("table", *MACHINE_FORMATS, "excel-csv", *TABULATE_FORMATS)
# what list, status, due and report also write, as a file (-o FILE) rather than as text
FILE_FORMATS = ("xlsx",)


def listing(people: Sequence[dict[str, Any]], machine: Sequence[dict[str, Any]],
            columns: Sequence[tuple[str, str]], fmt: str) -> str:
    """A listing in ``fmt``: ``machine`` rows (raw values) for json, csv and tsv, ``people``
    rows (labels) under the ``columns`` headers (key, header) for everything else."""
    keys = [key for key, _ in columns]
    if fmt == "json":
        return to_json([{key: row.get(key) for key in keys} for row in machine])
    if fmt in ("csv", "tsv"):
        return to_csv(machine, keys, dialect=fmt)
    if fmt == "excel-csv":
        return to_csv(people, keys, [header for _, header in columns], dialect=fmt)
    return table(people, columns, fmt)


def listing_file(people: Sequence[dict[str, Any]], machine: Sequence[dict[str, Any]],
                 columns: Sequence[tuple[str, str]], fmt: str, *, title: str, stamp: Any = None,
                 lang: str = "") -> str | bytes:
    """:func:`listing`, or for ``xlsx`` a workbook of one sheet named ``title`` (its bytes:
    dates and numbers from ``machine``, the rest from ``people``; ``stamp``: the day it is as of)."""
    if fmt == "xlsx":
        from crmctl.exchange.xlsx import Sheet, workbook

        return workbook([Sheet(title, columns, people, machine)], stamp=stamp, title=title, language=lang)
    return listing(people, machine, columns, fmt)


def table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], fmt: str = "table") -> str:
    """``columns``: (key, header); ``fmt``: table or a tabulate format."""
    from tabulate import tabulate

    body = [[_cell(row.get(key)) for key, _ in columns] for row in rows]
    return tabulate(body, headers=[_cell(header) for _, header in columns],
                    tablefmt="simple" if fmt == "table" else fmt, disable_numparse=True) + "\n"


def diagnostics_text(diagnostics: Iterable[Diagnostic], lang: str = "en") -> str:
    return "".join(d.format(lang) + "\n" for d in diagnostics)


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
    try:
        stream.write(visible_lines(text))
        stream.flush()
    except BrokenPipeError:
        raise  # the reader went away: main() says nothing
    except OSError as exc:
        raise OutputFailed("stderr" if err else "stdout", exc.strerror or str(exc)) from None


@contextlib.contextmanager
def progress_bar(label: str) -> Iterator["Progress"]:
    """A :class:`Progress` for a ``with`` block, its line cleared at the end."""
    bar = Progress(label)
    try:
        yield bar
    finally:
        bar.close()


class Progress:
    """A count and a bar on a terminal's stderr, for a run that takes over two seconds; nothing
    when stderr is a pipe or a file, or in CI (``CI`` set), so no log fills with redrawn lines.
    Written straight to the terminal: it holds numbers only, never a repository's text."""

    DELAY = 2.0  # seconds: a shorter run finishes before a bar would help

    def __init__(self, label: str) -> None:
        import os
        import time

        self.label = label
        self.start = time.monotonic()
        self.shown = False
        self.drawn = 0.0
        self.on = sys.stderr.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"

    def __call__(self, done: int, total: int) -> None:
        import time

        now = time.monotonic()
        if not self.on or total <= 0 or (not self.shown and now - self.start < self.DELAY):
            return
        if self.shown and done < total and now - self.drawn < 0.1:  # a terminal needs no more than ten a second
            return
        self.drawn = now
        filled = 30 * done // total
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {done:,}/{total:,}\x1b[K")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")  # the line cleared, for what is printed next
            sys.stderr.flush()
            self.shown = False
