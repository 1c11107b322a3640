"""`crmctl due`: what is due, to whom, as a table, JSON or an iCalendar file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from crmctl.care.schedule import DueAction, days_after, describe
from crmctl.escaping import visible
from crmctl.messages import Messages
from crmctl.reports.report import Report

KIND_NAMES = {
    "payment": ("payment due", "应收款"),
    "deposit": ("deposit back", "质保金退还"),
    "checkpoint": ("production checkpoint", "生产检查点"),
    "delivery": ("delivery", "交车"),
    "quote": ("quote expires", "报价到期"),
    "next_step": ("next step", "下一步"),
    "return_visit": ("return visit", "回访"),
    "training": ("training", "培训"),
    "care": ("care activity", "关怀活动"),
    "meeting": ("meeting or visit", "会议/互访"),
    "evaluation": ("satisfaction evaluation", "满意度评价"),
    "feedback": ("feedback acted on", "反馈落实"),
    "birthday": ("birthday", "生日"),
    "greeting": ("holiday greeting", "节日问候"),
    "stalled": ("stalled stage", "阶段停滞"),
}


@dataclass(frozen=True)
class Due:
    """What ``due`` found: the actions, sorted; the errors of the files they would come from; all
    money owed, whenever due (the summary's totals); and crm.yaml's currency, which amounts are in."""

    actions: list[DueAction]
    diagnostics: list[Any]
    owed: list[DueAction]
    currency: str


def due_actions(root: Path, messages: Messages, *, today: dt.date, within_days: int, owner: str | None = None,
                overdue_only: bool = False, progress: Any = None) -> Due:
    """Every action due by ``today + within_days`` (overdue ones included), and what customers owe."""
    from crmctl.care.schedule import due_for_customer, money_owed
    from crmctl.diagnostics import sort_diagnostics
    from crmctl.errors import UserError
    from crmctl.files.repository import customer_ids, load_config, load_customer, load_people
    from crmctl.pipeline.workflow import pipeline_in_force

    m = messages
    config, diagnostics = load_config(root, m)
    pipeline = pipeline_in_force(config, m)
    names: set[str] | None = None
    if owner is not None:  # by id or name: either may stand in the files
        team, problems = load_people(root, m)
        diagnostics += problems
        if team is not None and not team.find(owner):
            raise UserError(m.pick(f"--owner {owner}: none of our people in people.yaml",
                                   f"--owner {owner}：不在 people.yaml 的我方人员中")
                            + m.did_you_mean(owner, team.words(), 0.5),
                            m.pick("name them by id or name", "请用标识或姓名"))
        names = {owner} | {word for person in (team.find(owner) if team else []) for word in (person.id, person.name)}
    horizon = today if overdue_only else days_after(today, within_days)
    ids, found_ids = customer_ids(root, m)
    diagnostics += found_ids
    found: list[DueAction] = []
    owed: list[DueAction] = []
    for done, customer_id in enumerate(ids):  # each customer while its nodes are there: actions say their line
        if progress is not None:
            progress(done, len(ids))
        record, problems = load_customer(root, customer_id, m, parts={"customer", "contacts", "activities", "care", "project",
                                                                       "history", "documents"})
        diagnostics += problems
        found += due_for_customer(record, config, pipeline, today, horizon)
        owed += money_owed(record, today)
    if overdue_only:
        found = [a for a in found if a.date < today]
    if names is not None:
        found = [a for a in found if a.owner in names]
        owed = [a for a in owed if a.owner in names]
    return Due(sorted(found, key=DueAction.sort_key), sort_diagnostics([d for d in diagnostics if d.severity == "error"]),
               sorted(owed, key=DueAction.sort_key), config.currency)


def money_summary(owed: list[DueAction], today: dt.date) -> dict[str, Any]:
    """What customers owe on signed contracts, per project and in all: instalments (and how much of
    that is overdue) and the warranty deposits they hold."""
    projects: dict[tuple[str, str], dict[str, Any]] = {}
    for a in owed:
        row = projects.setdefault((a.customer, a.project or ""), {"customer": a.customer, "project": a.project,
                                                                   "owed": Decimal(0), "overdue": Decimal(0),
                                                                   "deposit": Decimal(0)})
        if a.kind == "deposit":
            row["deposit"] += a.amount
        else:
            row["owed"] += a.amount
            if a.date < today:
                row["overdue"] += a.amount
    rows = [projects[key] for key in sorted(projects)]
    return {"owed": sum((r["owed"] for r in rows), Decimal(0)), "overdue": sum((r["overdue"] for r in rows), Decimal(0)),
            "deposits": sum((r["deposit"] for r in rows), Decimal(0)), "projects": rows}


def due_report(due: Due, m: Messages, today: dt.date) -> Report:
    actions, currency = due.actions, due.currency
    columns = [("date", m.pick("due", "到期")), ("days", m.pick("days", "天数")), ("kind", m.pick("what", "事项")),
               ("customer", m.pick("customer", "客户")), ("project", m.pick("project", "项目")),
               ("owner", m.pick("whose", "负责人")), ("amount", m.pick(f"amount ({currency})", f"金额（{currency}）")),
               ("detail", m.pick("detail", "内容"))]
    machine = [{"date": a.date, "days": a.days(today), "kind": a.kind, "customer": a.customer,
                "project": a.project or "", "owner": a.owner, "amount": a.amount, "detail": a.what} for a in actions]
    people = [{**row, "kind": m.pick(*KIND_NAMES[a.kind]), "detail": describe(a, m),
               "amount": f"{a.amount:,}" if a.amount is not None else ""} for row, a in zip(machine, actions)]
    late = sum(1 for a in actions if a.date < today)
    summary = m.pick(f"{len(actions)} due, {late} overdue, as of {today}", f"截至 {today}：共 {len(actions)} 项，逾期 {late} 项")
    money = money_summary(list(due.owed), today)
    if money["projects"]:
        n = sum(1 for r in money["projects"] if r["owed"])
        summary += "\n" + m.pick(
            f"money owed on signed contracts, in {currency}: {money['owed']:,} on {n} project(s), {money['overdue']:,} "
            f"of it overdue; warranty deposits customers hold: {money['deposits']:,}",
            f"已签合同应收款（{currency}）：{money['owed']:,}（{n} 个项目），其中逾期 {money['overdue']:,}；"
            f"客户留存质保金：{money['deposits']:,}")
    data = {"today": today, "currency": currency, "actions": [{**row, "customer_name": a.customer_name, "uid": a.uid, "source": a.path,
                                         "line": a.line} for row, a in zip(machine, actions)], "money": money}
    return Report(columns, people, machine, data, summary=summary + "\n", diagnostics=due.diagnostics)


def calendar(actions: list[DueAction], m: Messages, currency: str = "") -> bytes:
    """An iCalendar file: one all-day event per action, its UID stable so a second import updates it.
    Written by the icalendar library, never by hand."""
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", "-//crmctl//due//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", m.pick("crmctl: due", "crmctl：待办"))
    for a in actions:
        event = icalendar.Event()
        event.add("uid", a.uid)
        event.add("dtstart", a.date)
        if a.date < dt.date.max:  # an all-day event ends the next day; on the last day there is, it just is
            event.add("dtend", days_after(a.date, 1))
        # a fixed stamp: the same repository gives the same file (RFC 5545 wants one; it is when the
        # information was true, and the action's date is that)
        event.add("dtstamp", dt.datetime.combine(a.date, dt.time(0, 0), tzinfo=dt.timezone.utc))
        # what the repository holds is shown with its control characters escaped: a newline in a topic
        # would forge a line of the description, an ESC has no place in a calendar (RFC 5545)
        where = visible(a.customer_name) + (f" · {a.project}" if a.project else "")
        event.add("summary", f"{m.pick(*KIND_NAMES[a.kind])}{m.pick(': ', '：')}{where}")
        money = f" {a.amount:,} {currency}".rstrip() if a.amount is not None else ""
        what, owner = visible(describe(a, m)), visible(a.owner)
        event.add("description", m.pick(f"{what}{money}\nwhose: {owner}\nfrom: {visible(a.path)}",
                                         f"{what}{money}\n负责人：{owner}\n来源：{visible(a.path)}"))
        event.add("categories", [a.kind])
        cal.add_component(event)
    return cal.to_ical()
