"""Formatting for the terminal and for machines: tables, JSON, CSV, diagnostics."""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import Any, Iterable, Sequence

from crmctl.diagnostics import Diagnostic, Severity


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False, default=str) + "\n"


def table(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], fmt: str) -> str:
    """``columns``: (key, header). ``fmt``: table | json | csv | a tabulate format."""
    if fmt == "json":
        return to_json([{key: row.get(key) for key, _ in columns} for row in rows])
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([key for key, _ in columns])
        for row in rows:
            writer.writerow(["" if row.get(key) is None else row.get(key) for key, _ in columns])
        return out.getvalue()
    from tabulate import tabulate

    body = [["" if row.get(key) is None else row.get(key) for key, _ in columns] for row in rows]
    return tabulate(body, headers=[header for _, header in columns],
                    tablefmt="simple" if fmt == "table" else fmt, disable_numparse=True) + "\n"


def diagnostics_text(diagnostics: Iterable[Diagnostic]) -> str:
    return "".join(d.format() + "\n" for d in diagnostics)


def summary_counts(diagnostics: Sequence[Diagnostic]) -> dict[str, int]:
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    return {"errors": errors, "warnings": len(diagnostics) - errors}


def write(text: str, *, err: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    stream.write(text)
    stream.flush()
