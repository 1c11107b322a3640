"""Front matter of the documents the six-step method prescribes (输出物).

Each document is Markdown in the project folder: a YAML front matter between
``---`` lines holding the form's fields, then free text. These models check
the front matter; ``crmctl.files.documents`` knows the files and placeholders.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from crmctl.models.common import Count, Date, Id, Money, Record, Text


class Document(Record):
    """What every document's front matter tells besides its fields: which fields name the
    customer's people (each checked against contacts.yaml), and whom the document shows we
    met, and on which date (they count as contacted then)."""

    people: ClassVar[tuple[str, ...]] = ()
    nested_people: ClassVar[dict[str, str]] = {}  # a list field -> the field of its items that names people
    met: ClassVar[tuple[str, ...]] = ()
    met_on: ClassVar[str] = "date"


class PhoneInvitation(Document):
    """电话邀约反馈单: the call that booked the first visit."""

    people: ClassVar[tuple[str, ...]] = ("contact",)
    met: ClassVar[tuple[str, ...]] = ("contact",)
    met_on: ClassVar[str] = "call_date"

    kind: Literal["phone_invitation"]
    call_date: Date
    by: Text = Field(description="our person who called")
    contact: Id = Field(description="the customer's person called (contact id)")
    visit_date: Date = Field(description="agreed visit date / 约定拜访日期")
    visit_time: Text | None = Field(None, description="agreed time, e.g. '09:30' (quoted)")
    visit_place: Text = Field(description="agreed place / 拜访地点")
    notes: str | None = None


class VisitReport(Document):
    """拜访反馈报告: what the visit found out."""

    people: ClassVar[tuple[str, ...]] = ("attendees", "handler", "project_owner")
    met: ClassVar[tuple[str, ...]] = ("attendees",)

    kind: Literal["visit_report"]
    date: Date
    our_attendees: list[Text] = Field(min_length=1)
    attendees: list[Id] = Field(min_length=1, description="the customer's people met (contact ids)")
    handler: Id | None = Field(None, description="the person handling the project / 经手人 (contact id)")
    procurement_process: Text | None = Field(None, description="the customer's internal procurement process")
    project_owner: Id | None = Field(None, description="who owns the project on the customer's side (contact id)")
    materials_handed_over: bool = Field(False, description="product material handed over / 已递交产品资料")
    customer_first_plan: Text | None = Field(None, description="the customer's first plan to report internally")
    next_steps: list[Text] = Field(default_factory=list)


class RecommendedVehicle(Record):
    model: Text
    quantity: Count
    configuration: Text | None = None
    unit_price: Money | None = None


class ProductRecommendation(Document):
    """产品推介书: the first vehicle solution submitted to the customer."""

    people: ClassVar[tuple[str, ...]] = ("submitted_to",)
    met: ClassVar[tuple[str, ...]] = ("submitted_to",)

    kind: Literal["product_recommendation"]
    date: Date
    submitted_to: Id = Field(description="contact id the solution went to")
    vehicles: list[RecommendedVehicle] = Field(min_length=1)
    consensus: bool = Field(False, description="the customer agreed a first solution can be submitted")
    summary: Text | None = None


class ExchangeMinutes(Document):
    """交流纪要: minutes of the technical exchange."""

    people: ClassVar[tuple[str, ...]] = ("attendees",)
    met: ClassVar[tuple[str, ...]] = ("attendees",)

    kind: Literal["exchange_minutes"]
    date: Date
    our_attendees: list[Text] = Field(min_length=1)
    attendees: list[Id] = Field(min_length=1)
    topics: list[Text] = Field(min_length=1)
    solution_confirmed: bool = Field(False, description="the customer confirmed the solution / 方案已确认")
    open_issues: list[Text] = Field(default_factory=list)


Topic = Literal["product", "price", "service", "payment_terms", "delivery"]


class Round(Record):
    """One round of the negotiation: who sat at the table, what was on it, what we gave and got."""

    date: Date
    attendees: list[Id] = Field(default_factory=list, description="the customer's people (contact ids)")
    our_attendees: list[Text] = Field(default_factory=list)
    topics: list[Topic] = Field(default_factory=list, description="product, price, service, payment_terms, delivery")
    conceded: list[Text] = Field(default_factory=list, description="what we gave / 我方让步")
    gained: list[Text] = Field(default_factory=list, description="what we got in exchange / 换来的条件")
    open_points: list[Text] = Field(default_factory=list)


class Quote(Record):
    """A price offered: per vehicle, in all, what it includes, which need it answers, how long it holds."""

    date: Date
    unit_price: Money = Field(description="per vehicle / 单价")
    vehicles: Count
    total: Money | None = None
    includes: list[Text] = Field(default_factory=list, description="e.g. 运费、上牌费、三年保养")
    answers: Text | None = Field(None, description="the customer's need it answers / 对应的客户需求")
    valid_until: Date | None = Field(None, description="the offer holds until / 报价有效期")


class NegotiationMinutes(Document):
    """谈判纪要: the commercial negotiation (product, price, service, payment, delivery)."""

    people: ClassVar[tuple[str, ...]] = ("attendees",)
    met: ClassVar[tuple[str, ...]] = ("attendees",)
    nested_people: ClassVar[dict[str, str]] = {"rounds": "attendees"}  # each round's attendees too

    kind: Literal["negotiation_minutes"]
    date: Date
    our_attendees: list[Text] = Field(min_length=1)
    our_senior: Text | None = Field(None, description="the most senior of ours at the table, with the title, "
                                                     "e.g. 分公司总经理 赵刚 / 我方出席的领导")
    attendees: list[Id] = Field(min_length=1)
    product: Text | None = None
    price: Text | None = None
    service: Text | None = None
    payment_terms: Text | None = None
    delivery: Text | None = None
    agreed: list[Text] = Field(default_factory=list)
    open_points: list[Text] = Field(default_factory=list)
    rounds: list[Round] = Field(default_factory=list, description="each round, in order")
    quotes: list[Quote] = Field(default_factory=list, description="each price offered, in order")


class ServicePlan(Document):
    """关系维护与服务计划: how the customer is kept after the contract."""

    people: ClassVar[tuple[str, ...]] = ("customer_contact",)

    kind: Literal["service_plan"]
    date: Date
    service_station: Text = Field(description="the designated service station / 定点服务站")
    our_contact: Text = Field(description="our named contact person")
    customer_contact: Id = Field(description="the customer's named contact (contact id)")
    training: Text | None = Field(None, description="driver and fleet-manager training plan")
    care_activities: list[Text] = Field(default_factory=list)
    notes: str | None = None
