"""The yearly plan's measurable targets (DOMAIN.md §3: +20% new customers, +20% satisfaction)
measured from the repository, for a year against the one before.

- **New customers**: customers whose co-operation began in the year — the day of the agreement,
  else of the first won contract (as the development fee counts them, ``crmctl fees``).
- **Satisfaction**: the mean of the year's satisfaction scores in the care plans (care.yaml),
  each customer weighing once (the mean of its own scores that year), out of 100.
- **Volume**: the vehicles of the contracts signed in the year (contract.yaml ``vehicles``); the
  manual sets no target for it, so it is shown without one.

Growth is ``(this year - last year) / last year`` in percent; there is none when last year's
figure is zero or unknown, and a target is then neither met nor missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from statistics import fmean
from typing import Any

from crmctl.diagnostics import Diagnostic
from crmctl.messages import Messages

MEASURES = {"new_customers": ("new customers", "新客户"), "satisfaction": ("satisfaction (of 100)", "满意度（百分制）"),
            "volume": ("vehicles contracted", "签约车辆")}


@dataclass(frozen=True)
class Measure:
    name: str  # one of MEASURES
    last: float | None  # the year before; None: nothing to measure
    this: float | None
    target: float | None  # growth wanted, percent

    @property
    def growth(self) -> float | None:
        if self.last in (None, 0) or self.this is None:
            return None
        return round((self.this - self.last) / self.last * 100, 1)

    @property
    def met(self) -> bool | None:
        return None if self.growth is None or self.target is None else self.growth >= self.target


def _mean(scores: list[float]) -> float | None:
    # a tenth of a point: what a 100-point score can claim; half-up, as people round
    return float(Decimal(str(fmean(scores))).quantize(Decimal("0.1"), ROUND_HALF_UP)) if scores else None


def measure_targets(root: Path, messages: Messages, year: int, repo: Any = None
                    ) -> tuple[list[Measure], list[Diagnostic]]:
    """``repo``: a repository already loaded (``crmctl report`` has one), else it is read here."""
    from crmctl.analysis.fees import agreement_day
    from crmctl.files.repository import load_repository

    diagnostics: list[Diagnostic] = []
    if repo is None:
        repo, diagnostics = load_repository(root, messages,
                                            parts={"customer", "care", "project", "history", "documents"})
    new = {year - 1: 0, year: 0}
    satisfaction: dict[int, list[float]] = {year - 1: [], year: []}
    volume = {year - 1: 0, year: 0}
    for record in repo.customers.values():
        customer = record.customer.model if record.customer else None
        if customer is not None and (began := agreement_day(customer, record)) is not None and began.year in new:
            new[began.year] += 1
        plan = record.care.model if record.care else None
        for y in satisfaction:
            scores = [e.score for e in (plan.evaluations if plan else []) if e.date.year == y]
            if scores:
                satisfaction[y].append(fmean(scores))
        for project in record.projects.values():
            document = project.documents.get("contract")
            if document is not None and document.complete and document.model.signed is not None \
                    and document.model.signed.year in volume:
                volume[document.model.signed.year] += document.model.vehicles or 0
    targets = repo.config.targets
    measures = [Measure("new_customers", new[year - 1], new[year], targets.new_customers_growth),
                Measure("satisfaction", _mean(satisfaction[year - 1]), _mean(satisfaction[year]),
                        targets.satisfaction_growth),
                Measure("volume", volume[year - 1], volume[year], None)]
    return measures, [d for d in diagnostics if d.severity == "error"]
