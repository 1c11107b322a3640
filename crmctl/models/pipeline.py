"""The ``pipeline:`` section of crm.yaml: the stages a project moves through.

The built-in pipeline (``crmctl.pipeline.stages.DEFAULT_STAGES``) is the six-step
method followed by the after-sale stages. ``stages`` replaces it whole;
``overrides`` adjusts single stages of whichever list is in force.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from crmctl.models.common import Key, Record, Text, Whole


class Localised(Record):
    zh: Text
    en: Text

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh-CN" else self.en


class Stage(Record):
    id: Key
    name: Localised
    guidance: Localised | None = None
    phase: Literal["sales", "after_sale"] = "sales"
    outputs: list[str] = Field(default_factory=list, description="document kinds required to leave this stage")
    requires: list[str] = Field(default_factory=list, description="named rules that must hold to enter this stage")
    max_days: Whole | None = Field(None, ge=1, description="days in this stage before the project counts as stalled")


class StageOverride(Record):
    name: Localised | None = None
    guidance: Localised | None = None
    outputs: list[str] | None = None
    requires: list[str] | None = None
    max_days: Whole | None = Field(None, ge=1)


class PipelineSettings(Record):
    stages: list[Stage] | None = Field(None, description="replaces the built-in stages")
    overrides: dict[str, StageOverride] = Field(default_factory=dict, description="changes to single stages, by id")
    won_from: Key = Field("contract", description="the first stage at which a project may be closed as won")
    disabled_rules: list[str] = Field(default_factory=list, description="entry rules not applied, by name "
                                                                        "(pipeline.md lists them)")
