"""customers/<id>/customer.yaml: who the customer is (DOMAIN §1, the business map)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from crmctl import vocabulary
from crmctl.models.common import Count, Date, Finite, Market, Money, Record, Text

Category = Literal[tuple(vocabulary.CATEGORY)]  # type: ignore[valid-type]
Kind = Literal[tuple(vocabulary.KIND)]  # type: ignore[valid-type]
Size = Literal[tuple(vocabulary.SIZE)]  # type: ignore[valid-type]
Tier = Literal[tuple(vocabulary.TIER)]  # type: ignore[valid-type]
Channel = Literal[tuple(vocabulary.CHANNEL)]  # type: ignore[valid-type]

KINDS_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "government": ("agency", "institution", "association"),
    "individual": ("person", "self_employed"),
    "enterprise": (),
}


class BusinessMap(Record):
    """业务指导图: what the customer does."""

    address: Text | None = None
    nature: Text | None = Field(None, description="ownership / nature, e.g. 国有企业 / 民营企业")
    main_business: Text | None = None
    industry_position: Text | None = None
    scope: Text | None = Field(None, description="business scope / area served")
    cross_regional: bool = Field(False, description="operates across regions / 跨区域经营")


class FleetEntry(Record):
    """One line of the customer's current vehicles (保有车辆)."""

    brand: Text
    model: Text | None = None
    tonnage: Finite | None = Field(None, ge=0)
    configuration: Text | None = None
    price: Money | None = None
    quantity: Count = 1
    purchase_date: Date | None = None


def _cross_field_rules(schema: dict[str, Any]) -> None:
    """The rules between fields that check applies (crmctl.checking.rules), in the schema too,
    so an editor and check agree: the kind belongs to the category (and government and
    individual customers have one), only enterprises have a size, a dealer channel names the
    dealer."""
    rules: list[dict[str, Any]] = []
    for category, kinds in KINDS_BY_CATEGORY.items():
        is_category = {"properties": {"category": {"const": category}}, "required": ["category"]}
        if kinds:
            then = {"properties": {"kind": {"enum": list(kinds)}, "size": {"type": "null"}}, "required": ["kind"]}
        else:
            then = {"properties": {"kind": {"type": "null"}}}
        rules.append({"if": is_category, "then": then})
    rules.append({"if": {"properties": {"channel": {"const": "dealer"}}, "required": ["channel"]},
                  "then": {"properties": {"dealer": {"type": "string"}}, "required": ["dealer"]}})
    schema["allOf"] = rules


class Customer(Record):
    model_config = ConfigDict(json_schema_extra=_cross_field_rules)

    name: Text = Field(description="full name, usually Chinese / 客户全称")
    short_name: Text | None = None
    category: Category
    kind: Kind | None = Field(None, description="government: agency/institution/association; individual: person/self_employed")
    size: Size | None = Field(None, description="enterprise size as recorded (crmctl also derives it from the fleet)")
    market: Market
    tier: Tier
    channel: Channel
    dealer: Text | None = Field(None, description="the dealer who works this customer when channel is dealer")
    owner: Text = Field(description="our person responsible / 负责人")
    region: Text
    since: Date | None = Field(None, description="customer since / 建档日期")
    annual_purchase: Count | None = Field(None, description="vehicles bought per year, estimated / 年采购量(台)")
    importance: Literal["high", "medium", "low"] | None = Field(
        None, description="how much the customer matters beyond volume (showcase, industry leader) / 重要性")
    agreement_date: Date | None = Field(
        None, description="co-operation agreement signed (the development fee falls due) / 合作协议签订日期")
    business: BusinessMap = Field(default_factory=BusinessMap)
    current_fleet: list[FleetEntry] = Field(default_factory=list)
    fleet_size: Count | None = Field(None, description="vehicles owned now; defaults to the sum of current_fleet")
    tags: list[Text] = Field(default_factory=list)
    notes: str | None = None

    @property
    def total_fleet(self) -> int | None:
        """fleet_size as recorded, else the sum of current_fleet; None when neither is known."""
        if self.fleet_size is not None:
            return self.fleet_size
        if not self.current_fleet:
            return None
        return sum(entry.quantity for entry in self.current_fleet)
