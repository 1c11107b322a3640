"""customers/<c>/projects/<p>/history.yaml: the project's stage history.

Written by crmctl only (``advance``, ``close``, ``reopen``), one event appended
at a time; the current stage and outcome are derived from it, never stored
twice.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from crmctl.models.common import Date, Key, Record, Text


class Event(Record):
    model_config = ConfigDict(extra="forbid", defer_build=True, populate_by_name=True)

    date: Date
    by: Text
    action: Literal["advance", "close", "reopen"]
    from_stage: Key | None = Field(None, alias="from", description="advance: the stage left")
    to: Key | None = Field(None, description="advance: the stage entered")
    outcome: Literal["won", "lost"] | None = Field(None, description="close: won or lost")
    forced: bool = Field(False, description="advance: a skip or a step back, allowed with --force")
    reason: str | None = None
    note: str | None = None


class History(Record):
    events: list[Event] = Field(default_factory=list)
