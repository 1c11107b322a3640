"""customers/<id>/activities.yaml: the log of calls, visits, meetings and the rest."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from crmctl import vocabulary
from crmctl.models.common import Date, Id, Record, Text

ActivityKind = Literal[tuple(vocabulary.ACTIVITY_KIND)]  # type: ignore[valid-type]


class Activity(Record):
    date: Date
    kind: ActivityKind
    by: Text = Field(description="our person who did it / 我方人员")
    contacts: list[Id] = Field(default_factory=list, description="contact ids met or called")
    project: Id | None = None
    summary: Text
    next_step: Text | None = None
    next_date: Date | None = None


class ActivitiesFile(Record):
    activities: list[Activity] = Field(default_factory=list)
