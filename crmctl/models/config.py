"""crm.yaml: the repository's settings. Every setting has a default, so a crm.yaml holding
only ``format: 1`` is valid. Some defaults are the sales manual's figures (fees, the
return-visit cadence, the targets, the eight criteria); the rest are crmctl's choices,
marked where they are set, with the reason (docs/format.md has them all)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints, field_validator, model_validator
from pydantic_core import PydanticCustomError

from crmctl import vocabulary
from crmctl.models.common import Finite, Key, Money, Percent, Record, Text, Whole
from crmctl.models.pipeline import Localised, PipelineSettings

FORMAT_VERSION = 1

CRITERIA = (
    "customer_relationship", "after_sales", "industry_position", "brand",
    "product_performance", "price", "supply_capacity", "solution_speed",
)


class Classification(Record):
    """Enterprise size and tier thresholds. The manual's size figures were lost in extraction and
    it gives no tier volumes, so every default here is crmctl's choice (docs/format.md says why)."""

    # a fleet of 100 across regions buys every year; 30 across regions or 50 in one region buys in
    # batches; below that a few vehicles at a time
    large_fleet: Whole = Field(100, ge=1, description="cross-regional with at least this fleet: large "
                                                    "(crmctl's choice)")
    medium_fleet: Whole = Field(30, ge=1, description="cross-regional with at least this fleet: medium (crmctl's choice)")
    regional_medium_fleet: Whole = Field(50, ge=1, description="regional with at least this fleet: medium "
                                                             "(crmctl's choice)")
    # 50 a year is more than a regional manager serves alone (A: back office and project manager);
    # 10 a year merits a regional manager's own time (B)
    tier_a_annual_purchase: Whole = Field(50, ge=1, description="vehicles a year that make a customer tier A "
                                                              "(crmctl's choice)")
    tier_b_annual_purchase: Whole = Field(10, ge=1, description="vehicles a year that make a customer tier B "
                                                              "(crmctl's choice)")


class FeeByMarket(Record):
    local: Money
    domestic: Money
    international: Money


class Fees(Record):
    development: FeeByMarket = Field(
        default_factory=lambda: FeeByMarket(local=50_000, domestic=100_000, international=200_000),
        description="once, when a new customer signs the co-operation agreement / 客户开发费",
    )
    maintenance: FeeByMarket = Field(
        default_factory=lambda: FeeByMarket(local=30_000, domestic=70_000, international=150_000),
        description="per year, with the year's first purchase contract / 客户维护费",
    )


def _default_weights() -> dict[str, float]:
    # crmctl's choice: the manual names the eight criteria and a weight column but gives no numbers.
    # Relationship first, since the method rests on it; the three things customers say they buy on
    # (service, product, price) next; position, brand and supply capacity less; speed least.
    return {
        "customer_relationship": 20, "after_sales": 15, "industry_position": 10, "brand": 10,
        "product_performance": 15, "price": 15, "supply_capacity": 10, "solution_speed": 5,
    }


class Evaluation(Record):
    weights: dict[Key, Percent] = Field(default_factory=_default_weights)
    # crmctl's choice: a ten-point form, scored in half points
    score_max: Finite = Field(10, gt=0, description="the top of the scoring scale (crmctl's choice)")
    score_step: Finite = Field(0.5, gt=0, description="the smallest step a score moves by (crmctl's choice)")

    @field_validator("weights")
    @classmethod
    def _sum_to_100(cls, weights: dict[str, float]) -> dict[str, float]:
        total = sum(weights.values())
        if abs(total - 100) > 1e-6:
            raise PydanticCustomError("weights_sum", "weights must sum to 100, they sum to {total}", {"total": f"{total:g}"})
        return weights


class ReturnVisits(Record):
    """回访: every half month at first, monthly after three months (the manual's cadence)."""

    initial_interval_days: Whole = Field(15, ge=1)
    initial_period_days: Whole = Field(90, ge=0)
    later_interval_days: Whole = Field(30, ge=1)
    # crmctl's choice: the manual counts from the handover, which the maintenance stage follows
    from_stage: Key = Field("maintenance", description="a won project in this stage has its vehicles handed over: "
                                                       "return visits are due from the day it entered it")


class Holiday(Record):
    """A day customers in care are greeted (节日问候): a lunar month-day (春节 01-01, 中秋 08-15) or a
    solar one (国庆 10-01)."""

    name: Localised
    lunar: str | None = Field(None, pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|30)$",
                              description="MM-DD of the Chinese lunar calendar")
    solar: str | None = Field(None, pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
                              description="MM-DD of the Gregorian calendar")

    model_config = ConfigDict(json_schema_extra={"oneOf": [{"required": ["lunar"]}, {"required": ["solar"]}]})

    @model_validator(mode="after")
    def _one_date(self) -> "Holiday":
        if (self.lunar is None) == (self.solar is None):
            raise PydanticCustomError("holiday_date", "give the holiday either `lunar: MM-DD` or `solar: MM-DD`")
        return self


def _holidays() -> list[Holiday]:
    # the manual: visits on holidays and greetings; these two by default (DOMAIN.md §3)
    return [Holiday(name=Localised(zh="春节", en="Spring Festival"), lunar="01-01"),
            Holiday(name=Localised(zh="中秋节", en="Mid-Autumn Festival"), lunar="08-15")]


class FollowUp(Record):
    return_visits: ReturnVisits = Field(default_factory=ReturnVisits)
    # crmctl's choice (the manual: "regular business meetings", "periodic customer evaluation", no
    # period): a business meeting each quarter, as sales plans are reviewed; an evaluation every
    # half year, so a year has two to average against the satisfaction target
    business_meeting_interval_days: Whole = Field(90, ge=1, description="a customer in care meets us for business "
                                                                       "this often (crmctl's choice)")
    evaluation_interval_days: Whole = Field(180, ge=1, description="a customer in care is asked how satisfied it is "
                                                                  "this often (crmctl's choice)")
    holidays: list[Holiday] = Field(default_factory=_holidays, description="greetings to customers in care")


def _departments() -> list[str]:
    # crmctl's choice (the manual: "the company's departments"): one for each part of the checklist
    return ["sales", "technical", "production", "finance", "service"]


class ContractReview(Record):
    departments: list[Literal[tuple(vocabulary.DEPARTMENT)]] = Field(  # type: ignore[valid-type]
        default_factory=_departments, description="the departments that sign off a contract before it is signed")


class RedFlags(Record):
    # crmctl's choice: the manual's slowest return-visit cadence is monthly; 45 days is one missed
    # cycle with two weeks' grace
    cold_contact_days: Whole = Field(45, ge=1, description="a decision-map person not seen for this long is a red flag "
                                                         "(crmctl's choice)")


class Targets(Record):
    """The yearly plan's measurable targets, in percent growth (the manual's example: +20%)."""

    new_customers_growth: Finite = 20
    satisfaction_growth: Finite = 20


class ReportSettings(Record):
    # crmctl's choice where not given (crmctl.analysis.business.DEFAULT_PROBABILITY): the manual gives no odds
    stage_probability: dict[Key, Percent] = Field(
        default_factory=dict, description="the chance, in percent, that a project in each stage is won, by stage id "
                                          "(crmctl report pipeline weighs values by it; crmctl's choice by default)")


CodePrefix = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=64),
                      Field(description="a diagnostic code, or the start of codes (`flag-` takes every red flag)")]
Level = Literal["error", "warning"]


class PathSettings(Record):
    """Settings for some files only, as ruff's per-file-ignores: a legacy folder, say."""

    paths: list[Text] = Field(min_length=1, description="globs from the repository's top (`*` takes any part of a "
                                                        "name, `customers/legacy-*`); a folder takes what is in it")
    ignore: list[CodePrefix] = Field(default_factory=list, description="codes not reported for these paths")
    severity: dict[CodePrefix, Level] = Field(default_factory=dict, description="codes reported as error or warning "
                                                                              "for these paths")


class CheckSettings(Record):
    """How `crmctl check` judges this repository: what a team agreed to ignore or take seriously."""

    ignore: list[CodePrefix] = Field(default_factory=list, description="codes never reported")
    severity: dict[CodePrefix, Level] = Field(default_factory=dict, description="codes reported as error or warning "
                                                                              "instead of their own severity")
    per_path: list[PathSettings] = Field(default_factory=list, description="settings for some paths; a later entry "
                                                                         "wins over an earlier one and over the above")


class Config(Record):
    # const: the schema describes this version; a file of another is refused by check as well
    format: Whole = Field(description="repository format version (crmctl checks it is one it reads)",
                          json_schema_extra={"const": FORMAT_VERSION})
    language: Literal["zh-CN", "en"] = "zh-CN"
    currency: Text = "CNY"
    company: Text | None = Field(None, description="our company or branch / 我方公司或分公司")
    classification: Classification = Field(default_factory=Classification)
    fees: Fees = Field(default_factory=Fees)
    evaluation: Evaluation = Field(default_factory=Evaluation)
    follow_up: FollowUp = Field(default_factory=FollowUp)
    contract_review: ContractReview = Field(default_factory=ContractReview)
    targets: Targets = Field(default_factory=Targets)
    red_flags: RedFlags = Field(default_factory=RedFlags)
    pipeline: PipelineSettings = Field(default_factory=PipelineSettings)
    report: ReportSettings = Field(default_factory=ReportSettings)
    check: CheckSettings = Field(default_factory=CheckSettings)
