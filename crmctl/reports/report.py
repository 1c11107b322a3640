"""A table for any output format: the one shape every listing and analysis view returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crmctl.diagnostics import Diagnostic


@dataclass
class Report:
    """A table for any output format: ``rows`` for people (labels in their language),
    ``machine_rows`` for CSV (raw values), ``data`` for JSON, ``summary`` after the table."""

    columns: list[tuple[str, str]]
    rows: list[dict[str, Any]]
    machine_rows: list[dict[str, Any]]
    data: Any
    summary: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)
