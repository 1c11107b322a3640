"""The analysis files of a project: competition.yaml and evaluation.yaml.

competition.yaml (竞争分析): the competitors with their offer, price, strengths,
weaknesses and relationships with the customer's people; the previous
purchase; this purchase's requirements; our overall strategy.

evaluation.yaml (项目评估): the customer's criteria, their weights (from
crm.yaml unless the project overrides them) and a score per vendor — ``us``
and each competitor — per criterion. It is a required output of the
commercial-operation stage.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from crmctl.models.common import Count, Date, Finite, Id, Key, Money, Percent, Record, Text


class CompetitorRelation(Record):
    contact: Id = Field(description="the customer's person (contact id)")
    strength: Literal["strong", "medium", "weak"] | None = None
    note: str | None = None


class Competitor(Record):
    id: Id = Field(description="short id used in evaluation.yaml, e.g. dongfeng; not `us`, our own side there",
                   json_schema_extra={"not": {"const": "us"}})
    name: Text
    offer: Text | None = Field(None, description="what they offer / 竞品方案")
    price: Money | None = Field(None, description="their unit price")
    strengths: list[Text] = Field(default_factory=list)
    weaknesses: list[Text] = Field(default_factory=list)
    relationships: list[CompetitorRelation] = Field(default_factory=list)


class PreviousPurchase(Record):
    date: Date | None = None
    vendor: Text | None = None
    model: Text | None = None
    price: Money | None = Field(None, description="unit price paid / 前期采购价格")
    quantity: Count | None = None
    performance: Text | None = Field(None, description="how those vehicles perform / 使用情况")


class Competition(Record):
    competitors: list[Competitor] = Field(default_factory=list)
    previous_purchase: PreviousPurchase | None = None
    requirements: list[Text] = Field(default_factory=list, description="this purchase's requirements")
    strategy: Text | None = Field(None, description="our overall strategy / 总体策略")


class Evaluation(Record):
    kind: Literal["evaluation"]
    date: Date
    weights: dict[Key, Percent] | None = Field(
        None, description="the project's own criteria weights (sum 100); default: crm.yaml's")
    scores: dict[str, dict[Key, Finite]] = Field(
        description="vendor (`us` or a competitor id) -> criterion -> score")
    notes: str | None = None
