"""customers/<id>/contacts.yaml: the people (organisation chart, decision roles, relations)."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from crmctl import vocabulary
from crmctl.models.common import Date, Id, Phone, Record, Text

Level = Literal[tuple(vocabulary.LEVEL)]  # type: ignore[valid-type]
Function = Literal[tuple(vocabulary.FUNCTION)]  # type: ignore[valid-type]
Influence = Literal[tuple(vocabulary.INFLUENCE)]  # type: ignore[valid-type]
Attitude = Literal[tuple(vocabulary.ATTITUDE)]  # type: ignore[valid-type]


class Relation(Record):
    """A tie to another contact (`contact`) or to one of our own people (`our`)."""

    # exactly one of the two, as check has it (crmctl.checking.rules), so editors agree
    model_config = ConfigDict(json_schema_extra={"oneOf": [
        {"required": ["contact"], "properties": {"contact": {"type": "string"}}},
        {"required": ["our"], "properties": {"our": {"type": "string"}}},
    ]})

    contact: Id | None = None
    our: Text | None = Field(None, description="one of our people, by name / 我方人员")
    type: Text = Field(description="e.g. 上下级, 同学, 老乡, 朋友")
    strength: Literal["strong", "medium", "weak"] | None = None
    note: str | None = None


class Contact(Record):
    id: Id
    name: Text
    title: Text | None = None
    department: Text | None = None
    phone: Phone | None = None
    email: Text | None = None
    wechat: Text | None = None
    reports_to: Id | None = Field(None, description="contact id of this person's superior (organisation chart)")
    level: Level | None = None
    function: Function | None = None
    influence: Influence | None = None
    attitude: Attitude = "unknown"
    birthday: Date | None = None
    relations: list[Relation] = Field(default_factory=list)
    notes: str | None = None


class ContactsFile(Record):
    contacts: list[Contact] = Field(default_factory=list)
