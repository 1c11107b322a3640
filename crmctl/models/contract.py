"""contract.yaml: the contract, its review before signing, and the money it brings.

The manual: the company's departments review a contract before it is signed, item by item
(configuration, price, payment, delivery, delivery time, service, liability); after the
handover part of the payment is usually still open and the customer holds a warranty deposit
(质量保证金), which is why the relationship must be kept. Amounts are exact decimals
(``crmctl.models.common.Money``: 500000, 50万, 1.2亿).
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from crmctl import vocabulary
from crmctl.models.common import Count, Date, Id, Money, Record, Text
from crmctl.models.documents import Document

Department = Literal[tuple(vocabulary.DEPARTMENT)]  # type: ignore[valid-type]


class Review(Record):
    """Each item of the checklist answered: what the contract says, and that it can be done."""

    chassis: Text | None = None
    type_approval: Text | None = None
    body: Text | None = None
    price_inclusions: Text | None = None
    payment: Text | None = None
    delivery: Text | None = None
    delivery_time: Text | None = None
    service: Text | None = None
    liability: Text | None = None


class SignOff(Record):
    department: Department
    by: Text = Field(description="who signed off for the department")
    date: Date


class Instalment(Record):
    due: Date
    amount: Money
    what: Text | None = Field(None, description="e.g. 首付 30%、提车款、尾款")


class Receipt(Record):
    date: Date
    amount: Money
    note: str | None = None


class Deposit(Record):
    """质量保证金: held by the customer until the warranty period ends."""

    amount: Money
    release: Date = Field(description="the day the customer is to pay it back / 约定退还日期")
    received: Date | None = Field(None, description="the day it came back")


class Contract(Document):
    """合同: the contract, reviewed before it is signed, and the money it brings."""

    kind: Literal["contract"]
    date: Date = Field(description="the day it was drafted for review, or signed")
    signed: Date | None = None
    number: Text | None = Field(None, description="the contract number / 合同编号")
    value: Money = Field(description="the contract value / 合同金额")
    vehicles: Count | None = None
    review: Review = Field(default_factory=Review)
    sign_off: list[SignOff] = Field(default_factory=list, description="each reviewing department, with the date")
    payments: list[Instalment] = Field(default_factory=list, description="the payment schedule")
    received: list[Receipt] = Field(default_factory=list, description="payments received")
    deposit: Deposit | None = None

    people: ClassVar[tuple[str, ...]] = ()


class Checkpoint(Record):
    """A production checkpoint (生产控制), e.g. 底盘入厂检验、上装制作、整车下线."""

    name: Text
    planned: Date | None = Field(None, description="the day it is to be passed")
    passed: Date | None = Field(None, description="the day it was passed / 通过日期")
    notes: Text | None = None


class KeyPart(Record):
    """A key part and its supplier: the same supplier for every vehicle of the order."""

    part: Text = Field(description="e.g. 发动机、制冷机组、上装液压系统")
    supplier: Text
    same_supplier: bool = Field(False, description="every vehicle of the order gets it from this supplier / "
                                                   "关键零部件同一供应商")


class OrderAssurance(Document):
    """订单保障: production control, key parts from the same suppliers, the built vehicles checked
    against the contract, the first body-conversion sample confirmed by the customer."""

    people: ClassVar[tuple[str, ...]] = ("sample_confirmed_by",)

    kind: Literal["order_assurance"]
    date: Date = Field(description="the day the order went into production")
    checkpoints: list[Checkpoint] = Field(min_length=1, description="production checkpoints, in order")
    key_parts: list[KeyPart] = Field(default_factory=list)
    first_sample: Date | None = Field(None, description="the day the customer confirmed the first body-conversion "
                                                        "sample / 首台改装样车确认日期")
    sample_confirmed_by: Id | None = Field(None, description="the customer's person who confirmed it (contact id)")
    vehicles_checked: Date | None = Field(None, description="the day the built vehicles were checked against the "
                                                            "contract / 整车按合同检验日期")
    checked_by: Text | None = Field(None, description="our person who checked them")
    findings: list[Text] = Field(default_factory=list, description="what the check found, and how it was put right")
    notes: str | None = None


class Batch(Record):
    """One batch of vehicles handed over (交车)."""

    vehicles: Count
    planned: Date = Field(description="the day promised in the contract")
    delivered: Date | None = Field(None, description="the day the customer took them over")
    inspected: bool = Field(False, description="pre-delivery inspection done / 交车前检验")
    registered: Date | None = Field(None, description="registered (上牌) on")
    in_operation: Date | None = Field(None, description="put into service on / 投入运营")


class Delivery(Document):
    """交车: the batches, each inspected, registered and put into service (the manual's order assurance)."""

    kind: Literal["delivery"]
    date: Date = Field(description="the day the delivery plan was drawn up")
    batches: list[Batch] = Field(min_length=1)
    notes: str | None = None
