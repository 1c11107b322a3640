"""customers/<id>/care.yaml: the care plan that keeps a customer after the first signed contract.

The manual (DOMAIN.md §3): after the handover money is still owed and the customer holds the
warranty deposit, so the customer is kept — a file of the vehicle users, training of drivers and
fleet managers, a designated service station and named contacts on both sides, care activities,
policy support by importance, regular business meetings and executive visits both ways, and
periodic evaluations of satisfaction whose feedback is acted on. Return visits, birthdays and
holiday greetings need no entry here: ``crmctl due`` schedules them from the deliveries, contacts
and ``crm.yaml``.

What is planned has a ``planned`` day and, once done, a ``held`` one; a logged activity of the
same kind counts too (``crmctl.care.schedule``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from crmctl import vocabulary
from crmctl.models.common import Count, Date, Finite, Id, Phone, Record, Text

VehicleUserRole = Literal[tuple(vocabulary.VEHICLE_USER)]  # type: ignore[valid-type]
CareKind = Literal[tuple(vocabulary.CARE_ACTIVITY)]  # type: ignore[valid-type]
MeetingKind = Literal[tuple(vocabulary.MEETING)]  # type: ignore[valid-type]

# crmctl's choice: the manual gives no scale; a score out of 100 is what satisfaction surveys
# in China usually report (满意度 85 分), and a yearly average of it is what +20% is measured on
SATISFACTION_MAX = 100


class VehicleUser(Record):
    """One entry of the vehicle users' file (车辆使用者档案)."""

    name: Text
    role: VehicleUserRole = "driver"
    phone: Phone | None = None
    vehicles: list[Text] = Field(default_factory=list, description="plates or VINs / 车牌或车架号")
    project: Id | None = Field(None, description="the project the vehicles came with")
    trained: bool = Field(False, description="has had the driving, use and maintenance training")
    notes: str | None = None


class Planned(Record):
    """Something planned for a day, and the day it was done."""

    planned: Date
    held: Date | None = Field(None, description="the day it was done / 实际完成日期")
    by: Text | None = Field(None, description="our person in charge (the customer's owner when not given)")
    notes: str | None = None


class Training(Planned):
    """培训: drivers and fleet managers on driving, use and maintenance."""

    topic: Text = Field(description="e.g. 驾驶操作与日常保养")
    audience: list[VehicleUserRole] = Field(default_factory=lambda: ["driver"])
    trainees: Count | None = Field(None, description="how many took part")


class CareActivity(Planned):
    """关怀活动: on-site inspection, free maintenance, a loyalty measure."""

    kind: CareKind
    what: Text | None = None


class Meeting(Planned):
    """A business meeting, or an executive visit either way."""

    kind: MeetingKind
    attendees: list[Id] = Field(default_factory=list, description="the customer's people (contact ids)")
    our_attendees: list[Text] = Field(default_factory=list)
    topics: list[Text] = Field(default_factory=list)


class FeedbackItem(Record):
    """A point the customer raised, and what we do about it."""

    point: Text
    action: Text | None = Field(None, description="what we do about it / 改进措施")
    due: Date | None = Field(None, description="by when")
    done: Date | None = None


class SatisfactionEvaluation(Record):
    """客户评价: how satisfied the customer is, what it needs now, what it told us."""

    date: Date
    score: Finite = Field(ge=0, le=SATISFACTION_MAX, description="satisfaction out of 100 (crmctl's choice of scale)")
    contact: Id | None = Field(None, description="who answered (contact id)")
    by: Text | None = Field(None, description="our person who asked")
    needs: list[Text] = Field(default_factory=list, description="needs that changed / 需求变化")
    feedback: list[FeedbackItem] = Field(default_factory=list)


class CarePlan(Record):
    """The care plan of one customer."""

    since: Date | None = Field(None, description="care starts (default: the first signed contract)")
    service_station: Text | None = Field(None, description="the designated service station / 指定服务站")
    station_contact: Text | None = Field(None, description="the station's named person and phone")
    our_contacts: list[Text] = Field(default_factory=list, description="our named contacts (people.yaml)")
    customer_contacts: list[Id] = Field(default_factory=list, description="the customer's named contacts (contact ids)")
    policy_support: list[Text] = Field(default_factory=list, description="support by the customer's importance / "
                                                                           "按重要程度给予的政策支持")
    vehicle_users: list[VehicleUser] = Field(default_factory=list)
    trainings: list[Training] = Field(default_factory=list)
    care_activities: list[CareActivity] = Field(default_factory=list)
    meetings: list[Meeting] = Field(default_factory=list)
    evaluations: list[SatisfactionEvaluation] = Field(default_factory=list)
