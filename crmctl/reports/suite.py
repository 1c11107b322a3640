"""``crmctl report NAME``: the state of the business for a period, as of a day.

Each report is a function from a :class:`~crmctl.analysis.business.Snapshot` to sections, each
section a :class:`~crmctl.reports.report.Report` (a table for people, rows for machines, data for
JSON, a summary). The numbers are those of the commands that compute them — ``status``'s replay,
``due``'s money and care schedule, ``fees``, ``targets`` — so a report never disagrees with them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from crmctl import vocabulary
from crmctl.analysis.business import ProjectFacts, Snapshot, probability, snapshot, stage_flows, stalled
from crmctl.errors import UsageError
from crmctl.escaping import join_lines
from crmctl.messages import Messages
from crmctl.reports.report import Report


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    end: dt.date

    def holds(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def parse_period(text: str, m: Messages) -> Period:
    """``2026``, ``2026-Q3`` or ``2026-11``."""
    match = re.fullmatch(r"(\d{4})(?:-(?:[Qq]([1-4])|(0[1-9]|1[0-2])))?", text.strip())
    if match is None or not 1 <= int(match.group(1)) <= 9999:
        raise UsageError(m.pick(f"--period {text}: give a year, a quarter or a month: 2026, 2026-Q3 or 2026-11",
                                f"--period {text}：请写年份、季度或月份，如 2026、2026-Q3、2026-11"))
    year = int(match.group(1))
    if match.group(2):
        quarter = int(match.group(2))
        first = 3 * quarter - 2
        return Period(f"{year:04}-Q{quarter}", dt.date(year, first, 1),
                      dt.date(year, first + 2, calendar.monthrange(year, first + 2)[1]))
    if match.group(3):
        month = int(match.group(3))
        return Period(f"{year:04}-{month:02}", dt.date(year, month, 1),
                      dt.date(year, month, calendar.monthrange(year, month)[1]))
    return Period(f"{year:04}", dt.date(year, 1, 1), dt.date(year, 12, 31))


@dataclass
class Section:
    name: str
    title: tuple[str, str]  # en, zh-CN
    report: Report


@dataclass
class Book:
    """What ``report`` prints: its sections, in order, and the frame they share."""

    name: str
    period: Period
    as_of: dt.date
    sections: list[Section] = field(default_factory=list)
    diagnostics: list[Any] = field(default_factory=list)
    open_projects: list[str] = field(default_factory=list)  # CUSTOMER/PROJECT of the open projects shown

    def data(self) -> dict[str, Any]:
        return {"report": self.name, "period": {"label": self.period.label, "start": self.period.start,
                                                 "end": self.period.end},
                "as_of": self.as_of, "sections": {s.name: s.report.data for s in self.sections}}


@dataclass(frozen=True)
class Filters:
    owner: set[str] | None = None  # every id and name the person goes by
    region: str | None = None
    tier: str | None = None

    def keep(self, facts: ProjectFacts) -> bool:
        return ((self.owner is None or facts.owner in self.owner) and (self.region is None or facts.region == self.region)
                and (self.tier is None or facts.tier == self.tier))

    def keep_customer(self, snap: Snapshot, customer_id: str) -> bool:
        record = snap.records[customer_id]
        customer = record.customer.model if record.customer is not None else None
        if customer is None:
            return False
        return ((self.owner is None or customer.owner in self.owner
                 or any(p.owner in self.owner for p in snap.projects_by_customer.get(customer_id, ())))
                and (self.region is None or customer.region == self.region)
                and (self.tier is None or customer.tier == self.tier))


def _num(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _money(value: Any) -> str:
    return "" if value is None else f"{_num(value):,}"


def _percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


# -- the reports ---------------------------------------------------------------------------

def funnel(snap: Snapshot, period: Period, filters: Filters, m: Messages) -> list[Section]:
    """Open projects per stage and tier; how many of those that reached a step went on to the next,
    and in how many days (median); stalled projects."""
    projects = [p for p in snap.projects if filters.keep(p) and p.opened <= period.end
                and (p.closed_on is None or p.closed_on >= period.start)]
    open_ = [p for p in projects if p.outcome is None]
    tiers = [*vocabulary.TIER, None]
    flows = {f.stage: f for f in stage_flows(snap, projects)}
    machine, people = [], []
    kept = [p for p in projects if p.outcome != "lost"]  # open, or won and in the after-sale stages
    for stage in snap.pipeline.stages:
        here = [p for p in open_ if p.stage == stage.id]
        flow = flows.get(stage.id)
        row = {"stage": stage.id, **{f"tier_{t or 'none'}": sum(1 for p in here if p.tier == t) for t in tiers},
               "open": len(here), "reached": flow.reached if flow else sum(1 for p in projects if stage.id in p.entered),
               "went_on": flow.went_on if flow else None,
               "conversion": _percent(flow.went_on, flow.reached) if flow else None,
               "median_days": flow.median_days if flow else None,
               "stalled": sum(1 for p in kept if p.stage == stage.id and stalled(snap, p))}
        machine.append(row)
        people.append({**row, "stage": stage.name.text(m.lang), "went_on": "" if row["went_on"] is None else row["went_on"],
                       "conversion": "" if row["conversion"] is None else f"{row['conversion']:g}%",
                       "median_days": "" if row["median_days"] is None else f"{row['median_days']:g}"})
    columns = [("stage", m.pick("stage", "阶段")), *((f"tier_{t or 'none'}", t or "—") for t in tiers),
               ("open", m.pick("open", "在办")), ("reached", m.pick("reached", "到达")),
               ("went_on", m.pick("went on", "进入下一步")), ("conversion", m.pick("conversion", "转化率")),
               ("median_days", m.pick("median days", "中位天数")), ("stalled", m.pick("stalled", "停滞"))]
    late = sorted(f"{p.customer}/{p.project}" for p in kept if stalled(snap, p))
    summary = [m.pick(f"{len(open_)} open project(s) of {len(projects)} active in {period.label}; stalled: "
                      f"{', '.join(late) or 'none'}",
                      f"{period.label} 期间在办项目 {len(open_)} 个（共 {len(projects)} 个）；停滞：{'、'.join(late) or '无'}")]
    data = {"stages": machine, "stalled": late}
    return [Section("funnel", ("Funnel", "销售漏斗"), Report(columns, people, machine, data, join_lines(summary)))]


def pipeline(snap: Snapshot, period: Period, filters: Filters, m: Messages) -> list[Section]:
    """What open projects are worth, per stage and owner, weighed by the chance of winning each;
    the closes expected in the period."""
    open_ = [p for p in snap.projects if filters.keep(p) and p.outcome is None]
    groups: dict[tuple[str, str], list[ProjectFacts]] = {}
    for p in open_:
        groups.setdefault((p.stage, p.owner), []).append(p)
    order = {s: i for i, s in enumerate(snap.pipeline.ids())}
    machine, people = [], []
    for (stage, owner), items in sorted(groups.items(), key=lambda kv: (order.get(kv[0][0], 99), kv[0][1])):
        value = sum((p.value or Decimal(0) for p in items), Decimal(0))
        chance = probability(snap, items[0])
        weighted = value * Decimal(str(chance)) / 100
        row = {"stage": stage, "owner": owner, "projects": len(items), "unvalued": sum(1 for p in items if p.value is None),
               "value": value, "probability": chance, "weighted": weighted}
        machine.append(row)
        people.append({**row, "stage": snap.pipeline.stage(stage).name.text(m.lang), "value": _money(value),
                       "probability": f"{chance:g}%", "weighted": _money(weighted.quantize(Decimal(1)))})
    expected = [p for p in open_ if period.holds(p.expected_close)]
    total = sum((r["value"] for r in machine), Decimal(0))
    weighted_total = sum((r["weighted"] for r in machine), Decimal(0)).quantize(Decimal(1))
    expected_value = sum((p.value or Decimal(0)) * Decimal(str(probability(snap, p))) / 100
                         for p in expected).quantize(Decimal(1)) if expected else Decimal(0)
    currency = snap.config.currency
    summary = [m.pick(f"open pipeline, in {currency}: {_money(total)}, weighted {_money(weighted_total)}",
                      f"在办项目金额（{currency}）：{_money(total)}，加权 {_money(weighted_total)}"),
               m.pick(f"expected to close in {period.label}: {len(expected)} project(s), weighted {_money(expected_value)}",
                      f"预计 {period.label} 成交：{len(expected)} 个项目，加权 {_money(expected_value)}")]
    columns = [("stage", m.pick("stage", "阶段")), ("owner", m.pick("owner", "负责人")),
               ("projects", m.pick("projects", "项目数")), ("unvalued", m.pick("no value", "未估值")),
               ("value", m.pick(f"value ({currency})", f"金额（{currency}）")), ("probability", m.pick("chance", "概率")),
               ("weighted", m.pick("weighted", "加权"))]
    data = {"currency": currency, "rows": machine, "total": total, "weighted": weighted_total,
            "expected": {"projects": sorted(f"{p.customer}/{p.project}" for p in expected), "weighted": expected_value},
            "by_month": _by_month(snap, open_)}
    return [Section("pipeline", ("Pipeline", "项目储备"), Report(columns, people, machine, data, join_lines(summary)))]


def _by_month(snap: Snapshot, projects: list[ProjectFacts]) -> list[dict[str, Any]]:
    """Open projects' value and weighted value by the month they are expected to close."""
    months: dict[str, list[Decimal]] = {}
    for p in projects:
        if p.expected_close is not None:
            row = months.setdefault(f"{p.expected_close:%Y-%m}", [Decimal(0), Decimal(0)])
            row[0] += p.value or Decimal(0)
            row[1] += (p.value or Decimal(0)) * Decimal(str(probability(snap, p))) / 100
    return [{"month": k, "value": v[0], "weighted": v[1].quantize(Decimal(1))} for k, v in sorted(months.items())]


def outcomes(snap: Snapshot, period: Period, filters: Filters, m: Messages) -> list[Section]:
    """Projects won and lost in the period, with the reason and the strongest competitor."""
    closed = sorted((p for p in snap.projects if filters.keep(p) and p.outcome and period.holds(p.closed_on)),
                    key=lambda p: (p.closed_on, p.customer, p.project))
    machine = [{"date": p.closed_on, "customer": p.customer, "project": p.project, "outcome": p.outcome,
                "value": p.value, "reason": p.reason or "", "rival": p.rival or ""} for p in closed]
    people = [{**r, "outcome": m.pick(*{"won": ("won", "成交"), "lost": ("lost", "丢单")}[r["outcome"]]),
               "value": _money(r["value"])} for r in machine]
    won = [p for p in closed if p.outcome == "won"]
    won_value = sum((p.value or Decimal(0) for p in won), Decimal(0))
    rate = _percent(len(won), len(closed))
    summary = [m.pick(f"{period.label}: {len(won)} won ({_money(won_value)} {snap.config.currency}), "
                      f"{len(closed) - len(won)} lost" + (f", {rate:g}% won" if rate is not None else ""),
                      f"{period.label}：成交 {len(won)} 个（{_money(won_value)} {snap.config.currency}），"
                      f"丢单 {len(closed) - len(won)} 个" + (f"，成交率 {rate:g}%" if rate is not None else ""))]
    columns = [("date", m.pick("closed", "关闭日期")), ("customer", m.pick("customer", "客户")),
               ("project", m.pick("project", "项目")), ("outcome", m.pick("outcome", "结果")),
               ("value", m.pick("value", "金额")), ("reason", m.pick("reason", "原因")),
               ("rival", m.pick("main competitor", "主要竞争对手"))]
    data = {"projects": machine, "won": len(won), "lost": len(closed) - len(won), "won_value": won_value,
            "win_rate": rate}
    return [Section("outcomes", ("Won and lost", "成交与丢单"), Report(columns, people, machine, data, join_lines(summary)))]


def money(snap: Snapshot, period: Period, filters: Filters, m: Messages) -> list[Section]:
    """Each signed contract: its value, what came in, what is still owed and overdue, the deposit held."""
    from crmctl.care.schedule import money_owed

    machine = []
    for customer_id, record in snap.records.items():
        if not filters.keep_customer(snap, customer_id):
            continue
        owed = money_owed(record, snap.as_of)
        for project in record.projects.values():
            document = project.documents.get("contract")
            if document is None or not document.complete or document.model.signed is None \
                    or document.model.signed > snap.as_of:
                continue
            contract = document.model
            mine = [a for a in owed if a.project == project.id]
            machine.append({
                "customer": customer_id, "project": project.id, "value": contract.value,
                "received": sum((r.amount for r in contract.received if r.date <= snap.as_of), Decimal(0)),
                "outstanding": sum((a.amount for a in mine if a.kind == "payment"), Decimal(0)),
                "overdue": sum((a.amount for a in mine if a.kind == "payment" and a.date < snap.as_of), Decimal(0)),
                "deposit": sum((a.amount for a in mine if a.kind == "deposit"), Decimal(0))})
    keys = ("value", "received", "outstanding", "overdue", "deposit")
    totals = {k: sum((r[k] for r in machine), Decimal(0)) for k in keys}
    people = [{**r, **{k: _money(r[k]) for k in keys}} for r in machine]
    currency = snap.config.currency
    summary = [m.pick(f"as of {snap.as_of}, in {currency}: signed {_money(totals['value'])}, received "
                      f"{_money(totals['received'])}, owed {_money(totals['outstanding'])} ({_money(totals['overdue'])} "
                      f"overdue), deposits held {_money(totals['deposit'])}",
                      f"截至 {snap.as_of}（{currency}）：合同 {_money(totals['value'])}，已收 {_money(totals['received'])}，"
                      f"应收 {_money(totals['outstanding'])}（逾期 {_money(totals['overdue'])}），质保金 {_money(totals['deposit'])}")]
    columns = [("customer", m.pick("customer", "客户")), ("project", m.pick("project", "项目")),
               ("value", m.pick("contract", "合同金额")), ("received", m.pick("received", "已收")),
               ("outstanding", m.pick("owed", "应收")), ("overdue", m.pick("overdue", "逾期")),
               ("deposit", m.pick("deposit held", "质保金"))]
    data = {"currency": currency, "contracts": machine, "totals": totals, "by_month": _money_by_month(snap, filters)}
    return [Section("money", ("Money", "回款"), Report(columns, people, machine, data, join_lines(summary)))]


def _money_by_month(snap: Snapshot, filters: Filters) -> list[dict[str, Any]]:
    """Month by month up to the day: the value of the contracts signed and the money received, in all so far."""
    events: list[tuple[dt.date, str, Decimal]] = []
    for customer_id, record in snap.records.items():
        if not filters.keep_customer(snap, customer_id):
            continue
        for project in record.projects.values():
            document = project.documents.get("contract")
            if document is None or not document.complete or document.model.signed is None:
                continue
            events.append((document.model.signed, "signed", document.model.value))
            events += [(r.date, "received", r.amount) for r in document.model.received]
    rows: dict[str, dict[str, Any]] = {}
    totals = {"signed": Decimal(0), "received": Decimal(0)}
    for day, kind, amount in sorted(e for e in events if e[0] <= snap.as_of):
        totals[kind] += amount
        rows[f"{day:%Y-%m}"] = {"month": f"{day:%Y-%m}", **totals}
    if not rows:
        return []
    # every month from the first to the day, a quiet month carrying the totals on (ten years at most)
    year, month = (int(x) for x in min(rows).split("-"))
    filled, last = [], None
    while len(filled) < 120 and f"{year:04}-{month:02}" <= f"{snap.as_of:%Y-%m}":
        key = f"{year:04}-{month:02}"
        last = rows.get(key) or {**(last or {}), "month": key}
        filled.append(last)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return filled


def activity(snap: Snapshot, period: Period, filters: Filters, m: Messages) -> list[Section]:
    """Activities logged in the period, per person and kind."""
    counts: dict[str, dict[str, int]] = {}
    for customer_id, record in snap.records.items():
        if not filters.keep_customer(snap, customer_id) or record.activities is None or record.activities.model is None:
            continue
        for a in record.activities.model.activities:
            if period.holds(a.date) and a.date <= snap.as_of:
                counts.setdefault(a.by, {}).setdefault(a.kind, 0)
                counts[a.by][a.kind] += 1
    kinds = [k for k in vocabulary.ACTIVITY_KIND if any(k in c for c in counts.values())]
    machine = [{"by": by, **{k: c.get(k, 0) for k in kinds}, "total": sum(c.values())} for by, c in sorted(counts.items())]
    columns = [("by", m.pick("who", "人员")), *((k, vocabulary.label(vocabulary.ACTIVITY_KIND, k, m.lang)) for k in kinds),
               ("total", m.pick("total", "合计"))]
    total = sum(r["total"] for r in machine)
    summary = [m.pick(f"{total} activities logged in {period.label} by {len(machine)} people",
                      f"{period.label} 共记录活动 {total} 次，{len(machine)} 人")]
    return [Section("activity", ("Activity", "活动"), Report(columns, machine, machine, {"people": machine, "total": total},
                                                           join_lines(summary)))]


def care(snap: Snapshot, period: Period, filters: Filters, m: Messages) -> list[Section]:
    """Per customer in care: return visits done in the period against the cadence's, what is
    overdue now, the latest satisfaction score."""
    from crmctl.care.schedule import care_start, days_after, due_for_customer, handover, replayed

    config, cadence = snap.config, snap.config.follow_up.return_visits
    until = min(period.end, snap.as_of)
    machine = []
    for customer_id, record in snap.records.items():
        if not filters.keep_customer(snap, customer_id):
            continue
        starts = [handover(project) or care_start(events, cadence.from_stage)
                  for project, events, state in replayed(record, snap.pipeline)
                  if state.outcome == "won" and state.stage == cadence.from_stage]
        starts = [s for s in starts if s is not None and s <= snap.as_of]
        plan = record.care.model if record.care is not None else None
        if not starts and plan is None:
            continue
        scheduled = 0
        for start in starts:  # the cadence's visits falling in the period, whatever was logged
            day = start
            while day < dt.date.max:
                early = (day - start).days < cadence.initial_period_days
                day = days_after(day, cadence.initial_interval_days if early else cadence.later_interval_days)
                if day > until:
                    break
                scheduled += period.start <= day
        logged = record.activities.model.activities if record.activities and record.activities.model else []
        done = sum(1 for a in logged if a.kind == "return_visit" and period.start <= a.date <= until)
        overdue = [a for a in due_for_customer(record, config, snap.pipeline, snap.as_of, snap.as_of)
                   if a.date < snap.as_of and a.kind in ("return_visit", "training", "care", "meeting", "evaluation",
                                                          "feedback")]
        scores = sorted(((e.date, e.score) for e in (plan.evaluations if plan else []) if e.date <= snap.as_of))
        machine.append({"customer": customer_id, "visits_done": done, "visits_scheduled": scheduled,
                        "overdue": len(overdue), "satisfaction": scores[-1][1] if scores else None,
                        "evaluated": scores[-1][0] if scores else None})
    people = [{**r, "satisfaction": "" if r["satisfaction"] is None else f"{r['satisfaction']:g}"} for r in machine]
    done, due = sum(r["visits_done"] for r in machine), sum(r["visits_scheduled"] for r in machine)
    summary = [m.pick(f"{period.label}: {done} return visits logged, {due} due by the cadence; "
                      f"{sum(r['overdue'] for r in machine)} care action(s) overdue as of {snap.as_of}",
                      f"{period.label}：已回访 {done} 次，按频次应回访 {due} 次；截至 {snap.as_of} "
                      f"逾期维护事项 {sum(r['overdue'] for r in machine)} 项")]
    columns = [("customer", m.pick("customer", "客户")), ("visits_done", m.pick("visits done", "已回访")),
               ("visits_scheduled", m.pick("visits due", "应回访")), ("overdue", m.pick("overdue", "逾期事项")),
               ("satisfaction", m.pick("satisfaction", "满意度")), ("evaluated", m.pick("evaluated", "评价日期"))]
    return [Section("care", ("Customer care", "客户维护"), Report(columns, people, machine,
                                                              {"customers": machine, "visits_done": done,
                                                               "visits_due": due}, join_lines(summary)))]


def risks(snap: Snapshot, period: Period, filters: Filters, m: Messages) -> list[Section]:
    """The red flags (``crmctl status``'s, as of the day) and stalled stages of the open projects,
    by owner: what each person should look at first."""
    from crmctl.pipeline.stages import ProjectContext, history_events, replay
    from crmctl.pipeline.workflow import status_of

    machine = []
    for project in snap.projects:
        if project.outcome is not None or not filters.keep(project):
            continue
        record = snap.records[project.customer]
        files = record.projects[project.project]
        events = [e for e in history_events(files) or [] if e.date <= snap.as_of]  # replayed as of the day
        state, _ = replay(events, files.project.model.opened, snap.pipeline)
        status = status_of(ProjectContext(snap.root, record, files, snap.pipeline, m, snap.config), state, snap.as_of)
        if status.flags or status.stalled:
            machine.append({"owner": project.owner, "project": status.ref, "stage": status.stage.id,
                            "days": status.days, "stalled": status.stalled,
                            "flags": sorted({d.code for d in status.flags})})
    machine.sort(key=lambda r: (r["owner"], r["project"]))
    people = [{**r, "stage": snap.pipeline.stage(r["stage"]).name.text(m.lang),
               "stalled": m.pick("yes", "是") if r["stalled"] else "", "flags": ", ".join(r["flags"])} for r in machine]
    owners = sorted({r["owner"] for r in machine})
    summary = [m.pick(f"as of {snap.as_of}: {len(machine)} open project(s) with red flags or stalled, of "
                      f"{len(owners)} owner(s)", f"截至 {snap.as_of}：{len(owners)} 位负责人的 {len(machine)} 个在办项目"
                                                 f"有风险提示或停滞")]
    columns = [("owner", m.pick("owner", "负责人")), ("project", m.pick("project", "项目")),
               ("stage", m.pick("stage", "阶段")), ("days", m.pick("days in stage", "阶段天数")),
               ("stalled", m.pick("stalled", "停滞")), ("flags", m.pick("red flags", "风险提示"))]
    return [Section("risks", ("Risks", "风险"), Report(columns, people, machine, {"projects": machine},
                                                      join_lines(summary)))]


def _kept(snap: Snapshot, filters: Filters) -> Any:
    """The snapshot's customers that pass the filters, as a repository the fee and target
    computations read (the files are read once for every section)."""
    from crmctl.files.repository import Repository

    return Repository(snap.root, snap.config, {cid: record for cid, record in snap.records.items()
                                                 if filters.keep_customer(snap, cid)})


def fees(snap: Snapshot, period: Period, filters: Filters, m: Messages) -> list[Section]:
    from crmctl.reports.analysis import fee_report_view

    report = fee_report_view(snap.root, m, period.start.year, _kept(snap, filters))
    return [Section("fees", ("Fees", "客户开发费与维护费"), report)]


def targets(snap: Snapshot, period: Period, filters: Filters, m: Messages) -> list[Section]:
    from crmctl.reports.analysis import targets_view

    return [Section("targets", ("Yearly targets", "年度目标"),
                    targets_view(snap.root, m, period.start.year, _kept(snap, filters)))]


def summary(snap: Snapshot, period: Period, filters: Filters, m: Messages) -> list[Section]:
    """One page of the others."""
    return [s for name in ("funnel", "pipeline", "outcomes", "money", "care", "risks", "targets")
            for s in REPORTS[name](snap, period, filters, m)]


REPORTS: dict[str, Callable[[Snapshot, Period, Filters, Messages], list[Section]]] = {
    "summary": summary, "funnel": funnel, "pipeline": pipeline, "outcomes": outcomes, "money": money, "care": care,
    "risks": risks, "activity": activity, "fees": fees, "targets": targets,
}


def build(root: Path, name: str, m: Messages, *, period: Period, as_of: dt.date, filters: Filters,
          progress: Any = None) -> Book:
    snap = snapshot(root, m, as_of, progress)
    shown = sorted(f"{p.customer}/{p.project}" for p in snap.projects if p.outcome is None and filters.keep(p))
    return Book(name, period, as_of, REPORTS[name](snap, period, filters, m), snap.diagnostics, shown)


_MD_SPECIAL = re.compile(r"([\\|<>&*_`\[\]])")


def _md_cell(value: Any) -> str:
    """A cell of a Markdown table: what Markdown or HTML would read as markup, escaped."""
    return "" if value is None else _MD_SPECIAL.sub(r"\\\1", str(value))


def _head(book: Book, m: Messages) -> str:
    return m.pick(f"{book.period.label}, as of {book.as_of}", f"{book.period.label}，截至 {book.as_of}")


def workbook(book: Book, m: Messages) -> bytes:
    """The book as an Excel workbook (its bytes): one sheet per section, named by its title, its
    table without the summary (as in CSV), dated ``as_of``."""
    from crmctl.exchange import xlsx

    return xlsx.workbook([xlsx.Sheet(m.pick(*s.title), s.report.columns, s.report.rows, s.report.machine_rows)
                          for s in book.sections], stamp=book.as_of, title=_head(book, m), language=m.lang)


def render(book: Book, fmt: str, m: Messages) -> str:
    """The book as text: JSON of every section; CSV of its one table; else each section's title,
    table and summary (``md``: Markdown, its cells' `|` escaped)."""
    from wcwidth import wcswidth

    from crmctl.cli.output import listing, to_json

    if fmt == "json":
        return to_json(book.data())
    if fmt in ("csv", "tsv", "excel-csv"):
        report = book.sections[0].report
        return listing(report.rows, report.machine_rows, report.columns, fmt)
    head = _head(book, m)
    parts = [f"# {head}\n" if fmt == "md" else f"{head}\n"]
    for section in book.sections:
        report, title = section.report, m.pick(*section.title)
        if fmt == "md":
            rows = [{k: _md_cell(v) for k, v in row.items()} for row in report.rows]
            parts.append(f"\n## {title}\n\n" + listing(rows, rows, report.columns, "github"))
            parts.append("".join(f"\n{line}\n" for line in report.summary.splitlines()))
        else:
            parts.append(f"\n{title}\n{'=' * max(8, wcswidth(title))}\n" + listing(report.rows, report.machine_rows, report.columns, fmt)
                         + (f"\n{report.summary}" if report.summary else ""))
    return "".join(parts)
