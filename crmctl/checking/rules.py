"""Checks that span fields or files, one small named function each.

A rule takes one loaded customer and the context and returns diagnostics. The
registry ``CUSTOMER_RULES`` is a plain tuple: later issues (stage gates, red
flags, classification) add their rules to it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from crmctl.diagnostics import Diagnostic
from crmctl.files.repository import CustomerRecord, Loaded
from crmctl.files.validate import breadcrumb
from crmctl.files.yamlio import YamlDocument, locate, mark_of
from crmctl.messages import Messages


@dataclass(frozen=True)
class RuleContext:
    messages: Messages
    config: Any
    root: Path
    today: dt.date
    pipeline: Any = None  # crmctl.pipeline.stages.Pipeline, None when crm.yaml's pipeline is broken
    team: Any = None  # crmctl.models.people.Team, None without a usable people.yaml


@dataclass(frozen=True)
class Rule:
    name: str
    codes: tuple[str, ...]
    check: Callable[[CustomerRecord, RuleContext], Iterable[Diagnostic]]


def _at(loaded: Loaded[Any], loc: tuple[Any, ...], want_key: bool = False) -> tuple[int, int]:
    node, _ = locate(loaded.doc.root, loc, want_key=want_key)
    return mark_of(node)


def _unknown_contact(record: CustomerRecord, doc: YamlDocument, loc: tuple[Any, ...], contact_id: str,
                     known: Iterable[str], m: Messages) -> Diagnostic:
    """``contact_id`` at ``loc`` of ``doc`` (a record file, or a document's front matter) names nobody."""
    line, col = mark_of(locate(doc.root, loc)[0])
    return m.diagnostic(
        "ref-unknown", doc.path, line, col,
        where=breadcrumb(doc.data, loc, m), what=m.pick("contact", "联系人"), id=contact_id,
        suggestion=m.did_you_mean(contact_id, known),
        fix=m.pick(f"correct the id, or add the person: crmctl new contact {record.id} NAME --id {contact_id}",
                   f"请更正标识，或添加此人：crmctl new contact {record.id} 姓名 --id {contact_id}"),
    )


def _read(record: CustomerRecord, kind: str) -> Iterable[Loaded[Any]]:
    """Each project's ``kind`` file (``project``, ``competition``) that could be read and validated."""
    for project in record.projects.values():
        loaded = getattr(project, kind)
        if loaded is not None and loaded.model is not None:
            yield loaded


def check_customer_kind(record: CustomerRecord, ctx: RuleContext) -> Iterable[Diagnostic]:
    """Government and individual customers have a kind; only enterprises have a size."""
    from crmctl.models.customer import KINDS_BY_CATEGORY

    loaded = record.customer
    if loaded is None or loaded.model is None:
        return
    c, m = loaded.model, ctx.messages
    allowed = KINDS_BY_CATEGORY[c.category]
    if c.kind is not None and c.kind not in allowed:
        line, col = _at(loaded, ("kind",))
        fix = (m.pick(f"use one of: {', '.join(allowed)}", f"可用取值：{', '.join(allowed)}") if allowed
               else m.pick("enterprises have a `size` (large/medium/small), not a kind; remove `kind`",
                           "企业客户用 `size`（large/medium/small）而不是 kind；请删除 `kind`"))
        yield m.diagnostic("schema-value", loaded.path, line, col, where="kind",
                           problem=m.pick(f"kind `{c.kind}` does not belong to category `{c.category}`",
                                          f"类型 `{c.kind}` 不属于类别 `{c.category}`"), fix=fix)
    elif c.kind is None and allowed:
        line, col = _at(loaded, ())
        yield m.diagnostic("schema-missing-key", loaded.path, line, col,
                           where=m.pick(f"category {c.category}", f"类别 {c.category}"), key="kind")
    if c.size is not None and c.category != "enterprise":
        line, col = _at(loaded, ("size",), want_key=True)
        yield m.diagnostic("schema-value", loaded.path, line, col, where="size",
                           problem=m.pick("only enterprises have a size", "只有企业客户有规模（size）"),
                           fix=m.pick("remove `size`, or set `category: enterprise`",
                                      "请删除 `size`，或设 `category: enterprise`"))


def check_dealer_named(record: CustomerRecord, ctx: RuleContext) -> Iterable[Diagnostic]:
    """A customer worked through a dealer names the dealer."""
    loaded = record.customer
    if loaded is None or loaded.model is None or loaded.model.channel != "dealer" or loaded.model.dealer:
        return
    m = ctx.messages
    line, col = _at(loaded, ("channel",))
    yield m.diagnostic("schema-value", loaded.path, line, col, where="channel",
                       problem=m.pick("channel `dealer` but no dealer is named", "渠道为 `dealer` 但未写明经销商"),
                       fix=m.pick("add `dealer:` with the dealer's name", "请添加 `dealer:` 并填写经销商名称"))


def _repeated(loaded: Loaded[Any], ids: list[str], loc: Callable[[int], tuple[Any, ...]], what: str,
              m: Messages) -> Iterable[Diagnostic]:
    """An ``id-duplicate`` for every id seen before in ``ids``, pointing at the repeat."""
    first: dict[str, int] = {}
    for i, ident in enumerate(ids):
        if ident not in first:
            first[ident] = i
            continue
        # located only when repeated: looking every id up would cost more than the check
        line, col = _at(loaded, loc(i))
        yield m.diagnostic("id-duplicate", loaded.path, line, col, what=what, id=ident,
                           first_line=_at(loaded, loc(first[ident]))[0])


def check_contact_ids_unique(record: CustomerRecord, ctx: RuleContext) -> Iterable[Diagnostic]:
    loaded = record.contacts
    if loaded is None or loaded.model is None:
        return
    m = ctx.messages
    yield from _repeated(loaded, [c.id for c in loaded.model.contacts], lambda i: ("contacts", i, "id"),
                         m.pick("contact", "联系人"), m)


def check_contact_references(record: CustomerRecord, ctx: RuleContext) -> Iterable[Diagnostic]:
    """reports_to and relations name contacts that exist; a relation has one end."""
    loaded = record.contacts
    if loaded is None or loaded.model is None:
        return
    m = ctx.messages
    known = {c.id for c in loaded.model.contacts}
    for i, contact in enumerate(loaded.model.contacts):
        if contact.reports_to is not None and contact.reports_to not in known:
            yield _unknown_contact(record, loaded.doc, ("contacts", i, "reports_to"), contact.reports_to, known, m)
        for j, relation in enumerate(contact.relations):
            loc = ("contacts", i, "relations", j)
            if (relation.contact is None) == (relation.our is None):
                line, col = _at(loaded, loc)
                yield m.diagnostic("schema-value", loaded.path, line, col, where=breadcrumb(loaded.doc.data, loc, m),
                                   problem=m.pick("a relation names exactly one of `contact` or `our`",
                                                  "关系必须且只能写 `contact` 或 `our` 之一"),
                                   fix=m.pick("`contact: ID` for one of the customer's people, `our: NAME` for ours",
                                              "客户方人员用 `contact: 标识`，我方人员用 `our: 姓名`"))
            elif relation.contact is not None and relation.contact not in known:
                yield _unknown_contact(record, loaded.doc, (*loc, "contact"), relation.contact, known, m)


def check_reports_to_cycles(record: CustomerRecord, ctx: RuleContext) -> Iterable[Diagnostic]:
    """The organisation chart is a tree: following reports_to must end."""
    loaded = record.contacts
    if loaded is None or loaded.model is None:
        return
    contacts = loaded.model.contacts
    boss = {c.id: c.reports_to for c in contacts}
    index = {c.id: i for i, c in reversed(list(enumerate(contacts)))}
    reported: set[str] = set()
    for start in sorted(boss):
        chain: list[str] = []
        current: str | None = start
        while current is not None and current in boss and current not in chain:
            chain.append(current)
            current = boss[current]
        if current is None or current not in chain:
            continue
        cycle = chain[chain.index(current):]
        key = min(cycle)
        if key in reported:
            continue
        reported.add(key)
        # name the cycle from its smallest id so the message is stable
        k = cycle.index(key)
        ordered = cycle[k:] + cycle[:k]
        line, col = _at(loaded, ("contacts", index[key], "reports_to"))
        yield ctx.messages.diagnostic("ref-cycle", loaded.path, line, col,
                                      cycle=" → ".join([*ordered, key]))


def check_activity_references(record: CustomerRecord, ctx: RuleContext) -> Iterable[Diagnostic]:
    loaded = record.activities
    if loaded is None or loaded.model is None:
        return
    m = ctx.messages
    known = {c.id for c in record.contact_list()}
    for i, activity in enumerate(loaded.model.activities):
        for j, contact_id in enumerate(activity.contacts):
            if contact_id not in known and not record.contacts_unreadable:
                yield _unknown_contact(record, loaded.doc, ("activities", i, "contacts", j), contact_id, known, m)
        if activity.project is not None and activity.project not in record.projects:
            loc = ("activities", i, "project")
            line, col = _at(loaded, loc)
            yield m.diagnostic(
                "ref-unknown", loaded.path, line, col, where=breadcrumb(loaded.doc.data, loc, m),
                what=m.pick("project", "项目"), id=activity.project,
                suggestion=m.did_you_mean(activity.project, record.projects),
                fix=m.pick(f"correct the id; this customer's projects: {', '.join(sorted(record.projects)) or 'none'}",
                           f"请更正标识；该客户的项目：{'、'.join(sorted(record.projects)) or '无'}"))
        if activity.next_date is not None and activity.next_date < activity.date:  # as log refuses it
            loc = ("activities", i, "next_date")
            line, col = _at(loaded, loc)
            yield m.diagnostic("date-impossible", loaded.path, line, col, where=breadcrumb(loaded.doc.data, loc, m),
                               problem=m.pick(f"the next step is due on {activity.next_date}, before the activity "
                                              f"itself ({activity.date})",
                                              f"下一步应于 {activity.next_date} 完成，早于本次活动（{activity.date}）"),
                               fix=m.pick("correct either date", "请更正其中一个日期"))


def check_decision_map(record: CustomerRecord, ctx: RuleContext) -> Iterable[Diagnostic]:
    """Every person in a project's decision map is a known contact, listed once."""
    m = ctx.messages
    known = {c.id for c in record.contact_list()}
    for loaded in _read(record, "project"):
        entries = loaded.model.decision_map
        for i, entry in enumerate(entries):
            if entry.contact not in known and not record.contacts_unreadable:
                yield _unknown_contact(record, loaded.doc, ("decision_map", i, "contact"), entry.contact, known, m)
        yield from _repeated(loaded, [e.contact for e in entries], lambda i: ("decision_map", i, "contact"),
                             m.pick("decision-map entry", "决策图条目"), m)


def check_competitors(record: CustomerRecord, ctx: RuleContext) -> Iterable[Diagnostic]:
    """Each competitor has its own id, not `us` (our side in evaluation.yaml), and the customer's
    people it is close to are contacts."""
    from crmctl.analysis.evaluation import US

    m = ctx.messages
    known = {c.id for c in record.contact_list()}
    for loaded in _read(record, "competition"):
        competitors = loaded.model.competitors
        yield from _repeated(loaded, [c.id for c in competitors], lambda i: ("competitors", i, "id"),
                             m.pick("competitor", "竞争对手"), m)
        for i, competitor in enumerate(competitors):
            if competitor.id == US:
                line, col = _at(loaded, ("competitors", i, "id"))
                yield m.diagnostic("schema-value", loaded.path, line, col,
                                   where=breadcrumb(loaded.doc.data, ("competitors", i, "id"), m),
                                   problem=m.pick("`us` is our own side in evaluation.yaml, not a competitor",
                                                  "`us` 在 evaluation.yaml 中代表我方，不能用作竞争对手标识"),
                                   fix=m.pick("give the competitor an id of its own, e.g. its brand",
                                              "请给该竞争对手另取标识，例如其品牌拼音"))
            for j, relation in enumerate(competitor.relationships):
                if relation.contact not in known and not record.contacts_unreadable:
                    yield _unknown_contact(record, loaded.doc, ("competitors", i, "relationships", j, "contact"),
                                           relation.contact, known, m)


def check_document_references(record: CustomerRecord, ctx: RuleContext) -> Iterable[Diagnostic]:
    """Every person a stage document names (attendees, the handler, whom a solution went to, …) is a
    contact of the customer."""
    if record.contacts_unreadable:  # its own problems are reported; who exists is not known
        return
    known = {c.id for c in record.contact_list()}
    for project in record.projects.values():
        for document in project.documents.values():
            if document.model is None or document.front is None:
                continue  # a draft's fields are checked once it is filled in
            for loc, contact_id in document.people():
                if contact_id not in known:
                    yield _unknown_contact(record, document.front, loc, contact_id, known, ctx.messages)


def check_project_dates(record: CustomerRecord, ctx: RuleContext) -> Iterable[Diagnostic]:
    """Dates that cannot be right: a project opened after today or after its first recorded
    stage event, or closing before it opened (a history event after today is the history rule's)."""
    m = ctx.messages
    for project in record.projects.values():
        loaded = project.project
        if loaded is None or loaded.model is None:
            continue
        p = loaded.model
        if p.opened > ctx.today:
            line, col = _at(loaded, ("opened",))
            yield m.diagnostic("date-impossible", loaded.path, line, col, where="opened",
                               problem=m.pick(f"the project opened on {p.opened}, after today ({ctx.today})",
                                              f"项目立项日期 {p.opened} 晚于今天（{ctx.today}）"),
                               fix=m.pick("write the day it was opened", "请填写实际立项日期"))
        history = project.history.model if project.history is not None else None
        first = min((event.date for event in history.events), default=None) if history is not None else None
        if first is not None and first < p.opened:
            line, col = _at(loaded, ("opened",))
            yield m.diagnostic("date-impossible", loaded.path, line, col, where="opened",
                               problem=m.pick(f"the project opened on {p.opened}, after the first event of its stage "
                                              f"history ({first})",
                                              f"项目立项日期 {p.opened} 晚于阶段历史中的第一个事件（{first}）"),
                               fix=m.pick("correct `opened` (history.yaml is crmctl's record of what happened)",
                                          "请更正 `opened`（history.yaml 是 crmctl 记录的实际经过）"))
        if p.expected_close is not None and p.expected_close < p.opened:
            line, col = _at(loaded, ("expected_close",))
            yield m.diagnostic("date-impossible", loaded.path, line, col, where="expected_close",
                               problem=m.pick(f"expected to close on {p.expected_close}, before it opened on {p.opened}",
                                              f"预计成交日期 {p.expected_close} 早于立项日期 {p.opened}"),
                               fix=m.pick("correct either date", "请更正其中一个日期"))


def check_pipeline(record: CustomerRecord, ctx: RuleContext) -> Iterable[Diagnostic]:
    """Each project's history is well-formed, its passed gates still hold, it is not stalled."""
    from crmctl.pipeline.stages import ProjectContext, check_project

    if ctx.pipeline is None:
        return
    for project in record.projects.values():
        yield from check_project(ProjectContext(ctx.root, record, project, ctx.pipeline, ctx.messages, ctx.config),
                                 ctx.today)


def check_classification(record: CustomerRecord, ctx: RuleContext) -> Iterable[Diagnostic]:
    """Recorded size, tier and channel agree with what the classification rules derive."""
    from crmctl.analysis.classify import classify

    loaded = record.customer
    if loaded is None or loaded.model is None:
        return
    m = ctx.messages
    for finding in classify(record.id, loaded.model, ctx.config.classification).findings:
        line, col = _at(loaded, (finding.key,))
        yield m.diagnostic(finding.code, loaded.path, line, col, problem=m.pick(finding.en, finding.zh),
                           fix=m.pick(finding.fix_en, finding.fix_zh))


def check_analysis(record: CustomerRecord, ctx: RuleContext) -> Iterable[Diagnostic]:
    """Each project's evaluation fits its competitors and criteria; open projects' red flags."""
    from crmctl.analysis.evaluation import check_evaluation
    from crmctl.analysis.stakeholders import CustomerFacts, FlagContext, red_flags
    from crmctl.pipeline.stages import history_events, replay

    facts = CustomerFacts(record, ctx.today)
    for project in record.projects.values():
        yield from check_evaluation(project, ctx.config, ctx.messages)
        events = history_events(project)
        if ctx.pipeline is None or events is None or project.project is None or project.project.model is None:
            continue
        state, problems = replay(events, project.project.model.opened, ctx.pipeline)
        if problems or state.outcome is not None or record.contacts_unreadable:
            # the history's own diagnostics come first; closed projects raise no flags; with
            # contacts.yaml unreadable nobody's role or attitude is known: its own error says why
            continue
        flag_ctx = FlagContext(record, project, ctx.messages, ctx.today, ctx.config.red_flags, facts)
        yield from red_flags(flag_ctx, ctx.pipeline, state.stage)


def check_our_people(record: CustomerRecord, ctx: RuleContext) -> Iterable[Diagnostic]:
    """Owners, who logged an activity or recorded a stage event, our side of a relation, a document's
    author and the care plan's people are our people, when the team keeps a people.yaml."""
    if ctx.team is None:
        return
    m, team = ctx.messages, ctx.team
    words = team.words()

    def named(doc: YamlDocument | None, path: str, loc: tuple[Any, ...], who: str | None) -> Iterable[Diagnostic]:
        found = team.find(who) if who is not None else []
        if who is None or len(found) == 1:
            return
        line, col = mark_of(locate(doc.root if doc is not None else None, loc)[0])
        where = breadcrumb(doc.data if doc else None, loc, m)
        if found:  # a name two of ours share: whose is it?
            yield m.diagnostic("our-person-ambiguous", path, line, col, where=where, who=who, count=len(found),
                               ids=m.pick(", ", "、").join(p.id for p in found))
        else:
            yield m.diagnostic("our-person-unknown", path, line, col, where=where, who=who,
                               suggestion=m.did_you_mean(who, words, 0.5))

    if record.customer is not None and record.customer.model is not None:
        yield from named(record.customer.doc, record.customer.path, ("owner",), record.customer.model.owner)
    if record.contacts is not None and record.contacts.model is not None:
        for i, contact in enumerate(record.contacts.model.contacts):
            for j, relation in enumerate(contact.relations):
                yield from named(record.contacts.doc, record.contacts.path, ("contacts", i, "relations", j, "our"),
                                 relation.our)
    if record.activities is not None and record.activities.model is not None:
        for i, activity in enumerate(record.activities.model.activities):
            yield from named(record.activities.doc, record.activities.path, ("activities", i, "by"), activity.by)
    if record.care is not None and record.care.model is not None:
        plan, care = record.care.model, record.care
        for i, who in enumerate(plan.our_contacts):
            yield from named(care.doc, care.path, ("our_contacts", i), who)
        for section in ("trainings", "care_activities", "meetings", "evaluations"):
            for i, item in enumerate(getattr(plan, section)):
                yield from named(care.doc, care.path, (section, i, "by"), item.by)
    for loaded in _read(record, "project"):
        yield from named(loaded.doc, loaded.path, ("owner",), loaded.model.owner)
    for loaded in _read(record, "history"):  # who advanced, closed or reopened a project
        for i, event in enumerate(loaded.model.events):
            yield from named(loaded.doc, loaded.path, ("events", i, "by"), event.by)
    for project in record.projects.values():
        for document in project.documents.values():
            if document.model is not None and document.front is not None:
                for key in ("by", "checked_by"):  # the author; who checked the built vehicles
                    yield from named(document.front, document.path, (key,), getattr(document.model, key, None))


def check_quotes(record: CustomerRecord, ctx: RuleContext) -> Iterable[Diagnostic]:
    """A quote's total is its unit price times its vehicles."""
    m = ctx.messages
    for project in record.projects.values():
        document = project.documents.get("negotiation_minutes")
        if document is None or document.model is None or document.front is None:
            continue
        for i, quote in enumerate(document.model.quotes):
            expected = quote.unit_price * quote.vehicles
            if quote.total is not None and quote.total != expected:
                loc = ("quotes", i, "total")
                line, col = mark_of(locate(document.front.root, loc)[0])
                yield m.diagnostic("quote-total", document.path, line, col,
                                   where=breadcrumb(document.front.data, loc, m), total=f"{quote.total:,}",
                                   expected=f"{expected:,}")


def check_contract_sums(record: CustomerRecord, ctx: RuleContext) -> Iterable[Diagnostic]:
    """A contract's payment schedule and warranty deposit add up to its value: what is owed is read
    from the schedule, so a difference is money nobody follows up."""
    from decimal import Decimal

    m = ctx.messages
    for project in record.projects.values():
        document = project.documents.get("contract")
        if document is None or document.model is None or document.front is None or not document.model.payments:
            continue
        contract = document.model
        payments = sum((p.amount for p in contract.payments), Decimal(0))
        deposit = contract.deposit.amount if contract.deposit is not None else Decimal(0)
        if payments + deposit != contract.value:
            line, col = mark_of(locate(document.front.root, ("value",))[0])
            yield m.diagnostic("contract-sum", document.path, line, col, payments=f"{payments:,}",
                               deposit=f"{deposit:,}", total=f"{payments + deposit:,}", value=f"{contract.value:,}")


def check_due(record: CustomerRecord, ctx: RuleContext) -> Iterable[Diagnostic]:
    """Next steps and return visits past their date, as reminders with codes of their own."""
    from crmctl.care.schedule import care_plan, describe, money_owed, next_steps, return_visits

    if ctx.pipeline is None:
        return
    m = ctx.messages
    for action in next_steps(record):
        if action.date < ctx.today:
            yield m.diagnostic("due-next-step", action.path, action.line, action.col, customer=record.id,
                               step=action.what, date=action.date, days=(ctx.today - action.date).days)
    for action in return_visits(record, ctx.config, ctx.pipeline):
        if action.date < ctx.today:
            yield m.diagnostic("due-return-visit", action.path, action.line, action.col,
                               ref=f"{record.id}/{action.project}", customer=record.id, date=action.date,
                               days=(ctx.today - action.date).days, last=action.what)
    for action in care_plan(record, ctx.config, ctx.today):
        if action.date < ctx.today:
            (what_en, what_zh), (fix_en, fix_zh) = _CARE_DUE[action.kind]
            x = describe(action, m)
            yield m.diagnostic("due-care", action.path, action.line, action.col, customer=record.id,
                               what=m.pick(what_en, what_zh).format(x=x), date=action.date,
                               days=(ctx.today - action.date).days,
                               fix=m.pick(fix_en, fix_zh).format(c=record.id))
    for action in money_owed(record, ctx.today):
        if action.date < ctx.today:
            yield m.diagnostic("due-payment" if action.kind == "payment" else "due-deposit", action.path, action.line,
                               action.col, ref=f"{record.id}/{action.project}",
                               what=f"{action.what} {action.amount:,}".strip(), date=action.date,
                               days=(ctx.today - action.date).days)


# how a reminder of the care plan names what is due, and what to do about it
_CARE_DUE = {
    "training": (("training “{x}”", "培训「{x}」"),
                 ("hold it, then set `held:` or log it: crmctl log {c} TEXT --kind training",
                  "培训后请填写 `held:`，或记录：crmctl log {c} 内容 --kind training")),
    "care": (("care activity “{x}”", "关怀活动「{x}」"),
             ("do it, then set `held:` or log it: crmctl log {c} TEXT --kind care",
              "完成后请填写 `held:`，或记录：crmctl log {c} 内容 --kind care")),
    "meeting": (("meeting “{x}”", "会议/互访「{x}」"),
                ("meet, then set `held:` or log it: crmctl log {c} TEXT --kind meeting (or plan it under `meetings:`)",
                 "会议或拜访后请填写 `held:`，或记录：crmctl log {c} 内容 --kind meeting（或在 `meetings:` 下安排）")),
    "evaluation": (("a satisfaction evaluation", "满意度评价"),
                   ("ask the customer, then add the score under `evaluations:` in care.yaml",
                    "请征询客户意见，并在 care.yaml 的 `evaluations:` 下记录评分")),
    "feedback": (("the action on feedback “{x}”", "反馈「{x}」的落实"),
                 ("act on it, then set `done:` to the day", "落实后请填写 `done:` 日期")),
}


def check_care_plan(record: CustomerRecord, ctx: RuleContext) -> Iterable[Diagnostic]:
    """A customer with a signed contract has a care plan (the manual keeps the customer from then
    on); the plan names the station and people on both sides, and once vehicles are handed over,
    their users and a training; the people it names exist."""
    from crmctl.care.schedule import handover

    m = ctx.messages
    signed = sorted((document.model.signed, project.id, document) for project in record.projects.values()
                    if (document := project.documents.get("contract")) is not None and document.complete
                    and document.model.signed is not None)
    loaded = record.care
    if loaded is None:
        if signed:
            day, project_id, document = signed[0]
            line, col = mark_of(locate(document.front.root, ("signed",))[0]) if document.front else (0, 0)
            yield m.diagnostic("care-plan-missing", document.path, line, col, customer=record.id,
                               ref=f"{record.id}/{project_id}", date=day)
        return
    plan = loaded.model
    if plan is None:
        return
    handed_over = any(handover(project) for project in record.projects.values())
    lacking = [
        ("service_station", not plan.service_station, ("a designated service station", "指定服务站"),
         ("name it under `service_station:`", "请在 `service_station:` 填写")),
        ("our_contacts", not plan.our_contacts, ("our named contacts", "我方对接人"),
         ("name them under `our_contacts:`", "请在 `our_contacts:` 填写")),
        ("customer_contacts", not plan.customer_contacts, ("the customer's named contacts", "客户方对接人"),
         ("add their contact ids under `customer_contacts:`", "请在 `customer_contacts:` 填写联系人标识")),
        ("vehicle_users", handed_over and not plan.vehicle_users,
         ("the vehicle users' file, though vehicles are handed over", "车辆使用者档案（车辆已交付）"),
         ("list the drivers and fleet managers under `vehicle_users:`", "请在 `vehicle_users:` 下登记驾驶员和车辆管理人员")),
        ("trainings", handed_over and not plan.trainings,
         ("a training of drivers and fleet managers, though vehicles are handed over", "驾驶员及车辆管理人员培训（车辆已交付）"),
         ("plan one under `trainings:`", "请在 `trainings:` 下安排培训")),
    ]
    for key, missing, what, fix in lacking:
        if missing:
            line, col = _at(loaded, (key,), want_key=True)
            yield m.diagnostic("care-plan-incomplete", loaded.path, line, col, missing=m.pick(*what), fix=m.pick(*fix))
    known = {c.id for c in record.contact_list()}
    if not record.contacts_unreadable:
        places = [(("customer_contacts", i), who) for i, who in enumerate(plan.customer_contacts)]
        places += [(("meetings", i, "attendees", j), who) for i, meeting in enumerate(plan.meetings)
                   for j, who in enumerate(meeting.attendees)]
        places += [(("evaluations", i, "contact"), e.contact) for i, e in enumerate(plan.evaluations) if e.contact]
        for loc, who in places:
            if who not in known:
                yield _unknown_contact(record, loaded.doc, loc, who, known, m)
    for i, user in enumerate(plan.vehicle_users):
        if user.project is not None and user.project not in record.projects:
            loc = ("vehicle_users", i, "project")
            line, col = _at(loaded, loc)
            yield m.diagnostic(
                "ref-unknown", loaded.path, line, col, where=breadcrumb(loaded.doc.data, loc, m),
                what=m.pick("project", "项目"), id=user.project, suggestion=m.did_you_mean(user.project, record.projects),
                fix=m.pick(f"correct the id; this customer's projects: {', '.join(sorted(record.projects)) or 'none'}",
                           f"请更正标识；该客户的项目：{'、'.join(sorted(record.projects)) or '无'}"))


def _done_days(record: CustomerRecord) -> Iterable[tuple[YamlDocument, tuple[Any, ...], Any]]:
    """Every day a record says something was done: passed, delivered, signed, received, held."""
    for project in record.projects.values():
        for kind, document in project.documents.items():
            model = document.model
            if model is None or document.front is None:
                continue
            if kind == "order_assurance":
                yield from ((document.front, ("checkpoints", i, "passed"), c.passed) for i, c in enumerate(model.checkpoints))
                yield document.front, ("first_sample",), model.first_sample
                yield document.front, ("vehicles_checked",), model.vehicles_checked
            elif kind == "delivery":
                yield from ((document.front, ("batches", i, key), getattr(b, key)) for i, b in enumerate(model.batches)
                            for key in ("delivered", "registered", "in_operation"))
            elif kind == "contract":
                yield document.front, ("signed",), model.signed
                yield from ((document.front, ("sign_off", i, "date"), x.date) for i, x in enumerate(model.sign_off))
                yield from ((document.front, ("received", i, "date"), x.date) for i, x in enumerate(model.received))
                if model.deposit is not None:
                    yield document.front, ("deposit", "received"), model.deposit.received
    plan = record.care.model if record.care is not None else None
    if plan is not None:
        for section in ("trainings", "care_activities", "meetings"):
            yield from ((record.care.doc, (section, i, "held"), x.held) for i, x in enumerate(getattr(plan, section)))
        for i, evaluation in enumerate(plan.evaluations):
            yield record.care.doc, ("evaluations", i, "date"), evaluation.date
            yield from ((record.care.doc, ("evaluations", i, "feedback", j, "done"), x.done)
                        for j, x in enumerate(evaluation.feedback))


def check_done_days(record: CustomerRecord, ctx: RuleContext) -> Iterable[Diagnostic]:
    """What a record says was done (passed, delivered, signed, received, held) is not in the future:
    a plan has a `planned` or `due` day, and a gate must not open on what has not happened. What
    order assurance records is not before the order went into production."""
    m = ctx.messages
    for project in record.projects.values():
        document = project.documents.get("order_assurance")
        if document is None or document.model is None or document.front is None:
            continue
        start = document.model.date
        for doc, loc, day in _done_days(record):
            if doc is document.front and day is not None and day < start:
                yield _impossible(doc, loc, m, (f"{day} is before the order went into production ({start})",
                                                f"{day} 早于订单投产日期（{start}）"),
                                  ("correct the date, or the `date:` the order went into production",
                                   "请更正该日期，或更正投产日期 `date:`"))
    for doc, loc, day in _done_days(record):
        if day is not None and day > ctx.today:
            yield _impossible(doc, loc, m, (f"{day} is in the future: it records what was done",
                                            f"{day} 在将来：此处记录已完成的事"),
                              ("correct the date, or remove it until it is done (plans have `planned:`)",
                               "请更正日期，或在完成后再填写（计划请用 `planned:`）"))


def _impossible(doc: YamlDocument, loc: tuple[Any, ...], m: Messages, problem: tuple[str, str],
                fix: tuple[str, str]) -> Diagnostic:
    """A ``date-impossible`` at ``loc`` of ``doc``: ``problem`` and ``fix`` in English and Chinese."""
    line, col = mark_of(locate(doc.root, loc)[0])
    return m.diagnostic("date-impossible", doc.path, line, col, where=breadcrumb(doc.data, loc, m),
                        problem=m.pick(*problem), fix=m.pick(*fix))


CUSTOMER_RULES: tuple[Rule, ...] = (
    Rule("customer-kind", ("schema-value", "schema-missing-key"), check_customer_kind),
    Rule("dealer-named", ("schema-value",), check_dealer_named),
    Rule("contact-ids-unique", ("id-duplicate",), check_contact_ids_unique),
    Rule("contact-references", ("ref-unknown", "schema-value"), check_contact_references),
    Rule("reports-to-cycles", ("ref-cycle",), check_reports_to_cycles),
    Rule("activity-references", ("ref-unknown", "date-impossible"), check_activity_references),
    Rule("decision-map", ("ref-unknown", "id-duplicate"), check_decision_map),
    Rule("document-references", ("ref-unknown",), check_document_references),
    Rule("competitors", ("id-duplicate", "schema-value", "ref-unknown"), check_competitors),
    Rule("project-dates", ("date-impossible",), check_project_dates),
    Rule("pipeline", ("history-invalid", "gate-broken", "stage-stalled"), check_pipeline),
    Rule("classification", ("class-size", "class-tier", "class-channel"), check_classification),
    Rule("analysis", ("eval-weights", "eval-vendor", "eval-criterion", "eval-score", "flag-approver",
                      "flag-no-supporter", "flag-opponent", "flag-no-handler", "flag-single-threaded",
                      "flag-weights", "flag-cold-contact"), check_analysis),
    Rule("quotes", ("quote-total",), check_quotes),
    Rule("contract-sums", ("contract-sum",), check_contract_sums),
    Rule("done-days", ("date-impossible",), check_done_days),
    Rule("care-plan", ("care-plan-missing", "care-plan-incomplete", "ref-unknown"), check_care_plan),
    Rule("due", ("due-next-step", "due-return-visit", "due-payment", "due-deposit", "due-care"), check_due),
    Rule("our-people", ("our-person-unknown", "our-person-ambiguous"), check_our_people),
)


def run_customer_rules(record: CustomerRecord, ctx: RuleContext,
                       rules: tuple[Rule, ...] = CUSTOMER_RULES) -> list[Diagnostic]:
    """Run every rule. A rule that crashes is a bug in crmctl and propagates (exit 3)."""
    found: list[Diagnostic] = []
    for rule in rules:
        found.extend(rule.check(record, ctx))
    return found
