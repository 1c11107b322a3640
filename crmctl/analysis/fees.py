"""Customer development and maintenance fees (客户开发费 / 客户维护费) for a year.

The development fee is due once, in the year the co-operation agreement is
signed: the customer's ``agreement_date``, or else the date of its first won
contract. The maintenance fee is due each year in which the customer signs a
purchase contract (a project closed as won), with the first such contract.
Amounts by market come from crm.yaml.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from crmctl.diagnostics import Diagnostic
from crmctl.messages import Messages
from crmctl.vocabulary import MARKET


@dataclass(frozen=True)
class FeeRow:
    customer: str
    name: str
    market: str
    development: Decimal
    development_date: dt.date | None
    maintenance: Decimal
    maintenance_date: dt.date | None

    @property
    def total(self) -> Decimal:
        return self.development + self.maintenance


@dataclass
class FeeReport:
    year: int
    rows: list[FeeRow]
    currency: str

    def totals_by_market(self) -> dict[str, dict[str, Decimal]]:
        out = {market: {"development": Decimal(0), "maintenance": Decimal(0), "total": Decimal(0)} for market in MARKET}
        for row in self.rows:
            out[row.market]["development"] += row.development
            out[row.market]["maintenance"] += row.maintenance
            out[row.market]["total"] += row.total
        return out

    def total(self) -> Decimal:
        return sum((r.total for r in self.rows), Decimal(0))

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year, "currency": self.currency,
            "customers": [{"customer": r.customer, "name": r.name, "market": r.market,
                           "development": r.development, "development_date": r.development_date,
                           "maintenance": r.maintenance, "maintenance_date": r.maintenance_date,
                           "total": r.total} for r in self.rows],
            "by_market": self.totals_by_market(), "total": self.total(),
        }


def won_dates(record: Any) -> list[dt.date]:
    """Dates on which the customer's projects were closed as won (contracts signed), oldest first."""
    from crmctl.pipeline.stages import outcome_of

    dates = []
    for project in record.projects.values():
        if project.history is not None and project.history.model is not None:
            outcome, when = outcome_of(project.history.model.events)
            if outcome == "won":
                dates.append(when)
    return sorted(dates)


def agreement_day(customer: Any, record: Any) -> dt.date | None:
    """The day the customer became ours: the co-operation agreement, else its first won contract."""
    contracts = won_dates(record)
    return customer.agreement_date or (contracts[0] if contracts else None)


def fee_report(root: Path, messages: Messages, year: int, repo: Any = None) -> tuple[FeeReport, list[Diagnostic]]:
    """``repo``: a repository already loaded (``crmctl report`` has one), else it is read here."""
    from crmctl.files.repository import load_repository

    diagnostics: list[Diagnostic] = []
    if repo is None:
        repo, diagnostics = load_repository(root, messages, parts={"customer", "project", "history"})
    fees = repo.config.fees
    rows = []
    for cid, record in repo.customers.items():
        customer = record.customer.model if record.customer else None
        if customer is None:
            continue
        contracts = won_dates(record)
        agreement = agreement_day(customer, record)
        this_year = [d for d in contracts if d.year == year]
        development = getattr(fees.development, customer.market) if agreement and agreement.year == year else Decimal(0)
        maintenance = getattr(fees.maintenance, customer.market) if this_year else Decimal(0)
        if development or maintenance:
            rows.append(FeeRow(cid, customer.name, customer.market, development,
                               agreement if development else None, maintenance,
                               this_year[0] if this_year else None))
    return FeeReport(year, rows, repo.config.currency), [d for d in diagnostics if d.severity == "error"]
