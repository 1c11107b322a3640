"""Customer classification (客户分类): enterprise size, importance tier, who works the customer.

Size from the fleet and cross-regional operation, by crm.yaml's thresholds;
tier from yearly purchase volume and importance; the operator a tier calls for.
``classify`` compares what is recorded with what the rules derive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# who works a customer of each tier (DOMAIN §1)
# who works a customer of each tier (the manual's 运作方), as a code for machines and labels for people
OPERATOR = {
    "back_office": ("branch back office + project manager", "分公司后台 + 项目经理"),
    "regional_manager": ("regional manager", "区域经理"),
    "dealer": ("dealer, guided by the regional manager", "经销商（区域经理管理）"),
}
OPERATOR_BY_TIER = {"A": "back_office", "B": "regional_manager", "C": "dealer"}


def derived_size(customer: Any, settings: Any) -> str | None:
    """large / medium / small for an enterprise whose fleet is known, else None."""
    if customer.category != "enterprise":
        return None
    fleet = customer.total_fleet
    if fleet is None:
        return None
    cross = customer.business.cross_regional
    if cross and fleet >= settings.large_fleet:
        return "large"
    if (cross and fleet >= settings.medium_fleet) or (not cross and fleet >= settings.regional_medium_fleet):
        return "medium"
    return "small"


def derived_tier(customer: Any, settings: Any) -> str | None:
    """A / B / C from yearly purchases and importance; None when neither is recorded.

    A: buys at least ``tier_a_annual_purchase`` a year, or is of high importance
    and buys at least ``tier_b_annual_purchase``; B: buys at least
    ``tier_b_annual_purchase``, or is of high importance; C: the rest.
    """
    volume, importance = customer.annual_purchase, customer.importance
    if volume is None and importance is None:
        return None
    volume = volume or 0
    if volume >= settings.tier_a_annual_purchase or (importance == "high" and volume >= settings.tier_b_annual_purchase):
        return "A"
    if volume >= settings.tier_b_annual_purchase or importance == "high":
        return "B"
    return "C"


@dataclass
class Finding:
    code: str
    key: str  # the customer.yaml key it concerns
    en: str
    zh: str
    fix_en: str
    fix_zh: str


@dataclass
class Classification:
    id: str
    name: str
    category: str
    fleet: int | None
    cross_regional: bool
    annual_purchase: int | None
    importance: str | None
    channel: str
    recorded_size: str | None
    derived_size: str | None
    recorded_tier: str
    derived_tier: str | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def operator(self) -> str:
        return OPERATOR_BY_TIER[self.recorded_tier]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "category": self.category, "fleet": self.fleet,
            "cross_regional": self.cross_regional, "annual_purchase": self.annual_purchase,
            "importance": self.importance, "channel": self.channel,
            "size": {"recorded": self.recorded_size, "derived": self.derived_size},
            "tier": {"recorded": self.recorded_tier, "derived": self.derived_tier},
            "operator": self.operator, "findings": [f.code for f in self.findings],
        }


def classify(customer_id: str, customer: Any, settings: Any) -> Classification:
    size, tier = derived_size(customer, settings), derived_tier(customer, settings)
    result = Classification(customer_id, customer.name, customer.category, customer.total_fleet,
                            customer.business.cross_regional, customer.annual_purchase, customer.importance,
                            customer.channel, customer.size, size, customer.tier, tier)
    if size is not None and customer.size is not None and size != customer.size:
        result.findings.append(Finding(
            "class-size", "size",
            f"recorded as {customer.size}, but a fleet of {customer.total_fleet}"
            f"{' across regions' if customer.business.cross_regional else ' in one region'} makes it {size}",
            f"记录为 {customer.size}，但保有量 {customer.total_fleet} 台"
            f"（{'跨区域' if customer.business.cross_regional else '区域性'}）应为 {size}",
            f"set `size: {size}`, or correct the fleet", f"请改为 `size: {size}`，或更正保有量"))
    if tier is not None and tier != customer.tier:
        result.findings.append(Finding(
            "class-tier", "tier",
            f"recorded as tier {customer.tier}, but {customer.annual_purchase or 0} vehicles a year"
            f"{' and high importance' if customer.importance == 'high' else ''} make it tier {tier}",
            f"记录为 {customer.tier} 级，但年采购 {customer.annual_purchase or 0} 台"
            f"{'且重要性高' if customer.importance == 'high' else ''}应为 {tier} 级",
            f"set `tier: {tier}`, or correct annual_purchase / importance",
            f"请改为 `tier: {tier}`，或更正 annual_purchase / importance"))
    if customer.tier == "C" and customer.channel != "dealer":
        result.findings.append(Finding(
            "class-channel", "channel", "a tier-C customer worked directly, with no dealer",
            "C 级客户未通过经销商运作", "give it to a dealer (`channel: dealer`, `dealer: …`), or raise its tier",
            "请交由经销商运作（`channel: dealer`、`dealer: …`），或调高级别"))
    if customer.tier == "A" and customer.channel == "dealer":
        result.findings.append(Finding(
            "class-channel", "channel", "a tier-A customer left to a dealer",
            "A 级客户交由经销商运作", "tier A is worked by the branch back office and a project manager",
            "A 级客户应由分公司后台和项目经理运作"))
    if customer.tier == "B" and customer.channel == "dealer":
        result.findings.append(Finding(
            "class-channel", "channel", "a tier-B customer left to a dealer",
            "B 级客户交由经销商运作", "tier B is worked by the regional manager directly (`channel: direct`), or "
            "lower its tier", "B 级客户应由区域经理直接运作（`channel: direct`），或调低级别"))
    return result
