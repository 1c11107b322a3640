"""people.yaml: our own side — who owns customers and projects, logs activities, keeps relations.

Files name our people by id or by name (``owner: 王磊`` or ``owner: wang-lei``). Without a
people.yaml any name is taken as written; with one, ``check`` warns on a name that matches
nobody, and ``new`` and ``log`` refuse one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from crmctl import vocabulary
from crmctl.models.common import Id, Phone, Record, Text

OurRole = Literal[tuple(vocabulary.OUR_ROLE)]  # type: ignore[valid-type]


class OurPerson(Record):
    id: Id
    name: Text
    role: OurRole
    region: Text | None = Field(None, description="sales region / 销售区域")
    phone: Phone | None = None
    email: Text | None = None
    notes: str | None = None


class PeopleFile(Record):
    people: list[OurPerson] = Field(default_factory=list)


@dataclass(frozen=True)
class Team:
    """Our people, found by id or by name."""

    people: tuple[OurPerson, ...]

    def find(self, who: str) -> list[OurPerson]:
        """Everyone ``who`` can mean: the person of that id, else everyone of that name."""
        by_id = [p for p in self.people if p.id == who]
        return by_id or [p for p in self.people if p.name == who]

    def words(self) -> set[str]:
        """Every id and name, for a did-you-mean."""
        return {p.id for p in self.people} | {p.name for p in self.people}
