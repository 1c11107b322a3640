"""customers/<id>/projects/<project-id>/project.yaml: one procurement project."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from crmctl import vocabulary
from crmctl.models.common import Count, Date, Id, Money, Percent, Record, Text

ProcurementMode = Literal[tuple(vocabulary.PROCUREMENT_MODE)]  # type: ignore[valid-type]
DecisionRole = Literal[tuple(vocabulary.FUNCTION)]  # type: ignore[valid-type]


class Needs(Record):
    """需求分析: what the customer needs from this purchase."""

    use: Text | None = Field(None, description="vehicle use / 车辆用途")
    area: Text | None = Field(None, description="operating area / 运营区域")
    environment: Text | None = Field(None, description="operating environment / 运营环境")
    quantity: Count | None = None
    budget: Money | None = None
    requirements: list[Text] = Field(default_factory=list)
    replacement_cycle: Text | None = None


class DecisionMapEntry(Record):
    """采购决策图: one person's part in this purchase."""

    contact: Id
    role: DecisionRole
    weight: Percent = Field(description="decision weight in percent / 决策比重(%)")
    action: Text | None = Field(None, description="what we plan to do about this person / 应对措施")
    note: str | None = None


class Project(Record):
    name: Text
    owner: Text = Field(description="our project manager / 我方负责人")
    opened: Date
    expected_close: Date | None = None
    needs: Needs = Field(default_factory=Needs)
    procurement_mode: ProcurementMode | None = None
    decision_map: list[DecisionMapEntry] = Field(default_factory=list)
    notes: str | None = None
