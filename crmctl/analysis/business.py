"""The state of the business as of a day, for ``crmctl report``: every project replayed up to
that day, with what it is worth, how it moved through the stages and how it ended.

One computation, many views: the stage and outcome come from the same replay as ``status``,
the money from the schedule ``due`` uses, the targets and fees from their own commands'
functions. Nothing here reads the clock: ``as_of`` is given, and only what is dated up to it
counts (a history event, an activity, a payment received, a contract signed after it has not
happened yet).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from statistics import median
from typing import Any

from crmctl.diagnostics import Diagnostic
from crmctl.messages import Messages

# crmctl's choice (the manual gives no odds): the chance a project in each step of the method
# closes as won — a booked visit is a lead (5%), a confirmed solution is a real contest (35%),
# an evaluation and negotiation under way a likely deal (60%), a contract under review nearly
# one (90%). crm.yaml's `report.stage_probability` changes them; after-sale stages are won.
DEFAULT_PROBABILITY = {"phone_invitation": 5, "visit": 10, "solution": 20, "exchange": 35, "commercial": 60,
                       "contract": 90}


@dataclass
class ProjectFacts:
    """One project as of the day: where it stands, how it got there, what it is worth."""

    customer: str
    customer_name: str
    project: str
    name: str
    owner: str
    tier: str | None
    region: str | None
    stage: str
    outcome: str | None
    closed_on: dt.date | None
    reason: str | None
    entered: dict[str, dt.date]  # stage id -> the first day the project entered it
    stage_since: dt.date
    opened: dt.date
    expected_close: dt.date | None
    value: Decimal | None  # signed contract, else latest quote, else recommended vehicles, else budget
    value_from: str | None  # contract / quote / recommendation / budget
    rival: str | None  # the strongest competitor: best weighted score, else the first named


@dataclass
class Snapshot:
    as_of: dt.date
    config: Any
    pipeline: Any
    root: Path
    projects: list[ProjectFacts] = field(default_factory=list)
    records: dict[str, Any] = field(default_factory=dict)  # customer id -> CustomerRecord (models kept)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @functools.cached_property
    def projects_by_customer(self) -> dict[str, list[ProjectFacts]]:
        """``projects`` by customer id (asked for once the snapshot is taken: a filter by owner asks
        it of every customer, and a search of all projects each time would be quadratic)."""
        found: dict[str, list[ProjectFacts]] = {}
        for facts in self.projects:
            found.setdefault(facts.customer, []).append(facts)
        return found


def _value(project: Any, as_of: dt.date) -> tuple[Decimal | None, str | None]:
    documents = project.documents
    contract = documents.get("contract")
    if contract is not None and contract.complete and contract.model.signed is not None \
            and contract.model.signed <= as_of:
        return contract.model.value, "contract"
    minutes = documents.get("negotiation_minutes")
    quotes = [q for q in (minutes.model.quotes if minutes is not None and minutes.complete else []) if q.date <= as_of]
    if quotes:
        quote = max(quotes, key=lambda q: q.date)
        return (quote.total if quote.total is not None else quote.unit_price * quote.vehicles), "quote"
    offer = documents.get("product_recommendation")
    if offer is not None and offer.complete and all(v.unit_price is not None for v in offer.model.vehicles):
        return sum((v.unit_price * v.quantity for v in offer.model.vehicles), Decimal(0)), "recommendation"
    budget = project.project.model.needs.budget
    return (budget, "budget") if budget is not None else (None, None)


def _rival(project: Any, config: Any) -> str | None:
    """The strongest competitor: the one the evaluation scores highest (as ``score`` says), else
    the first competition.yaml names."""
    from crmctl.analysis.evaluation import check_evaluation, competitors_of, score_project

    document = project.documents.get("evaluation")
    if document is not None and document.complete and not check_evaluation(project, config, Messages("en")):
        scored = score_project(project, config)
        if scored is not None and scored[0].rival is not None:
            return scored[1].get(scored[0].rival, scored[0].rival)
    named = competitors_of(project)
    return named[0].name if named else None


def snapshot(root: Path, messages: Messages, as_of: dt.date, progress: Any = None) -> Snapshot:
    """Every project with sound files and history, replayed up to ``as_of``."""
    from crmctl.files import layout
    from crmctl.files.repository import customer_ids, load_config, load_customer
    from crmctl.pipeline.stages import history_events, replay
    from crmctl.pipeline.workflow import pipeline_in_force

    m = messages
    config, diagnostics = load_config(root, m)
    pipeline = pipeline_in_force(config, m)
    snap = Snapshot(as_of, config, pipeline, root)
    ids, found = customer_ids(root, m)
    diagnostics += found
    for done, customer_id in enumerate(ids):
        if progress is not None:
            progress(done, len(ids))
        record, found = load_customer(root, customer_id, m)
        diagnostics += found
        record.release_nodes(data=True)  # every record is kept for the sections: only its models
        snap.records[customer_id] = record
        customer = record.customer.model if record.customer is not None else None
        for project in record.projects.values():
            events = history_events(project)
            model = project.project.model if project.project is not None else None
            if model is None or events is None or model.opened > as_of:
                continue
            events = [e for e in events if e.date <= as_of]
            state, problems = replay(events, model.opened, pipeline)
            if problems:  # a report counts only what adds up, and says what it left out
                first = problems[0]
                diagnostics.append(m.diagnostic("history-invalid", f"{project.dir}/{layout.HISTORY.filename}",
                                                problem=m.pick(first.en, first.zh)))
                continue
            entered = {pipeline.first.id: model.opened}
            for event in events:
                if event.action == "advance" and event.to not in entered:
                    entered[event.to] = event.date
            closing = next((e for e in reversed(events) if e.action == "close"), None)
            value, source = _value(project, as_of)
            snap.projects.append(ProjectFacts(
                customer_id, customer.name if customer else customer_id, project.id, model.name, model.owner,
                customer.tier if customer else None, customer.region if customer else None, state.stage,
                state.outcome, state.closed_on, closing.reason if closing and state.outcome else None, entered,
                state.entered, model.opened, model.expected_close, value, source, _rival(project, config)))
    snap.diagnostics = [d for d in diagnostics if d.severity == "error"]
    return snap


# -- the computations ------------------------------------------------------------------


def probability(snap: Snapshot, facts: ProjectFacts) -> float:
    """The chance, in percent, that the project closes as won (won: 100, lost: 0)."""
    if facts.outcome == "won":
        return 100
    if facts.outcome == "lost":
        return 0
    table = {**DEFAULT_PROBABILITY, **snap.config.report.stage_probability}
    if snap.pipeline.stage(facts.stage).phase == "after_sale":
        return 100
    return table.get(facts.stage, 0)


@dataclass(frozen=True)
class StepFlow:
    """How projects moved from one stage to the next."""

    stage: str
    reached: int  # projects that entered the stage
    went_on: int  # of those, how many entered the next
    median_days: float | None  # days from entering the stage to entering the next, for those that did


def stage_flows(snap: Snapshot, projects: list[ProjectFacts]) -> list[StepFlow]:
    ids = snap.pipeline.ids()
    flows = []
    for here, following in zip(ids, ids[1:]):
        reached = [p for p in projects if here in p.entered]
        went = [p for p in reached if following in p.entered]
        days = [(p.entered[following] - p.entered[here]).days for p in went]
        flows.append(StepFlow(here, len(reached), len(went), float(median(days)) if days else None))
    return flows


def stalled(snap: Snapshot, facts: ProjectFacts) -> bool:
    stage = snap.pipeline.stage(facts.stage)
    return facts.outcome != "lost" and bool(stage.max_days) and (snap.as_of - facts.stage_since).days > stage.max_days
