"""What is due, from what the repository records.

- **Next steps**: an activity's ``next_step`` and ``next_date`` in activities.yaml.
  The latest activity of a customer and project carries the step that is open: a
  later activity of the same customer and project (or, for a step not tied to a
  project, of the customer alone) supersedes it. To carry an unfinished step
  forward, log it again with ``--next``. (crmctl's choice: the manual says to
  follow up, not how a CRM marks a step done.)
- **Quotes**: the latest quote of an open project's negotiation minutes, on its
  ``valid_until`` day (renew it, or win before), on the project's owner.
- **Production checkpoints**: each checkpoint of order_assurance.yaml not yet passed, on its
  planned day, on the project's owner.
- **Deliveries**: each batch of delivery.yaml not yet handed over, on its planned day.
- **Return visits** (回访): for a won project in the care stage
  (``follow_up.return_visits.from_stage``, ``maintenance``), from the day its last
  batch was handed over (delivery.yaml), else from the day it entered that stage, every ``initial_interval_days`` for the first
  ``initial_period_days``, then every ``later_interval_days`` (the manual's
  cadence: every half month at first, monthly after three months). The next visit
  is due one interval after the last ``return_visit`` logged for the customer
  (for this project, or for none), or after the handover when there is none yet.
- **Birthdays**: a contact's ``birthday`` (greetings, the manual's 生日祝贺), on the
  customer's owner; 29 February falls on 28 February in other years.
- **Holidays** (节日问候): each of ``follow_up.holidays`` (春节 and 中秋节 by default, lunar
  dates turned into the year's solar ones by ``lunardate``), for each customer with a won
  project (the customers kept), on the customer's owner.
- **Stalled stages**: a project longer in its stage than the stage's ``max_days``,
  on the project's owner.
- **The care plan** (care.yaml): each training, care activity and meeting planned and not yet
  held, on its ``planned`` day, on its ``by`` or the customer's owner. A logged activity of the
  same kind (``training``, ``care``, ``meeting``) counts as holding the earliest one still open,
  when it is dated at most ``EARLY_DAYS`` before it. A business meeting is due
  ``follow_up.business_meeting_interval_days`` after the last one held (or care began) unless one
  is planned; a satisfaction evaluation ``follow_up.evaluation_interval_days`` after the last;
  each point of feedback with an action and a ``due`` day until it is ``done``. Care begins on
  the plan's ``since``, else the first signed contract.
- **Money** (a signed contract.yaml): each instalment of the payment schedule not yet
  covered by the payments received (received money pays the earliest instalments first),
  and the warranty deposit until it comes back, on the project's owner.

Nothing here reads the clock: ``today`` is given.
"""

from __future__ import annotations

import bisect
import collections
import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

from crmctl import vocabulary
from crmctl.files import layout
from crmctl.files.yamlio import locate, mark_of

KINDS = ("payment", "deposit", "checkpoint", "delivery", "quote", "return_visit", "training", "care", "meeting",
         "evaluation", "feedback", "next_step", "birthday", "greeting", "stalled")


@dataclass(frozen=True)
class DueAction:
    """One thing someone on our side has to do by a date."""

    date: dt.date
    kind: str  # one of KINDS
    customer: str
    customer_name: str
    project: str | None
    owner: str
    what: str  # the step, the contact whose birthday it is, the stage a project is stalled in
    path: str  # where it comes from, relative to the repository
    line: int = 0
    col: int = 0
    key: str = ""  # with kind, customer and project: the same action from one run to the next
    label: tuple[str, str] | None = None  # ``what`` for people (en, zh-CN), where it is a code
    amount: Decimal | None = None  # money still owed

    def days(self, today: dt.date) -> int:
        """Days until it is due; negative when overdue."""
        return (self.date - today).days

    @property
    def uid(self) -> str:
        """Stable across runs, so a calendar that imports the file again updates the event."""
        digest = hashlib.sha1("\0".join((self.kind, self.customer, self.project or "", self.key)).encode())
        return f"{digest.hexdigest()[:20]}@crmctl"

    def sort_key(self) -> tuple[Any, ...]:
        return (self.date, self.customer, self.project or "", KINDS.index(self.kind), self.key)


def describe(action: DueAction, m: Any) -> str:
    """What is to be done, in the words of ``m``'s language (a ``Messages``)."""
    if action.kind == "return_visit":
        return m.pick(f"last visit or handover {action.what}", f"上次回访或交车 {action.what}")
    if action.kind == "evaluation":
        return m.pick(f"satisfaction evaluation (last, or care began: {action.what})",
                      f"满意度评价（上次评价或维护开始：{action.what}）")
    if action.kind in ("training", "care", "meeting") and action.label:
        # the kind of entry, and its own words when it has some (a training's label is its kind alone)
        words = action.what if action.what not in (action.label[0], *vocabulary.CARE_ACTIVITY, *vocabulary.MEETING) else ""
        if action.kind == "training":
            return words or m.pick(*action.label)
        return m.pick(*action.label) + (m.pick(": ", "：") + words if words else "")
    if action.kind == "birthday":
        return m.pick(f"{action.what}'s birthday", f"{action.what}生日")
    return m.pick(*action.label) if action.label else action.what


def days_after(day: dt.date, days: int) -> dt.date:
    """``days`` after ``day``, or the last day there is (a date near 9999 must not crash a run)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max


def _at(doc: Any, loc: tuple[Any, ...], want_key: bool = False) -> tuple[int, int]:
    return mark_of(locate(doc.root if doc is not None else None, loc, want_key=want_key)[0])


def _name(record: Any) -> str:
    customer = record.customer.model if record.customer else None
    return customer.name if customer else record.id


def _owner(project: Any) -> str | None:
    """The project's owner, or None when project.yaml cannot be read (its own errors say why)."""
    return project.project.model.owner if project.project is not None and project.project.model is not None else None


def replayed(record: Any, pipeline: Any) -> list[tuple[Any, list[Any], Any]]:
    """(project, its events, the state they lead to) for each project whose files and history are
    sound: the stage rules below read one replay each."""
    from crmctl.pipeline.stages import history_events, replay

    found = []
    for project in record.projects.values():
        events = history_events(project)
        if events is None or _owner(project) is None:
            continue
        state, problems = replay(events, project.project.model.opened, pipeline)
        if not problems:
            found.append((project, events, state))
    return found


def next_steps(record: Any) -> list[DueAction]:
    """The open next step of each (project, or none) of the customer: the latest activity's."""
    loaded = record.activities
    if loaded is None or loaded.model is None:
        return []
    latest: dict[str | None, tuple[int, Any]] = {}
    for i, activity in enumerate(loaded.model.activities):
        current = latest.get(activity.project)
        if current is None or activity.date >= current[1].date:  # same day: the later entry in the file
            latest[activity.project] = (i, activity)
    lost = {pid for pid, project in record.projects.items() if _outcome(project) == "lost"}
    found = []
    for project, (i, activity) in latest.items():
        if activity.next_date is None or project in lost:  # a lost deal has no next step
            continue
        line, col = _at(loaded.doc, ("activities", i, "next_date"))
        found.append(DueAction(activity.next_date, "next_step", record.id, _name(record),
                               project, activity.by, activity.next_step or "", loaded.path, line, col,
                               key=f"{activity.date}:{activity.next_step}"))
    return found


def _outcome(project: Any) -> str | None:
    from crmctl.pipeline.stages import history_events, outcome_of

    return outcome_of(history_events(project) or [])[0]


def care_start(events: Iterable[Any], stage_id: str) -> dt.date | None:
    """The last day the project entered ``stage_id`` (the handover, for the care stage)."""
    entered = None
    for event in events:
        if event.action == "advance" and event.to == stage_id:
            entered = event.date
    return entered


def handover(project: Any) -> dt.date | None:
    """The day the last batch was handed over, once delivery.yaml records every batch delivered."""
    document = project.documents.get("delivery")
    if document is None or not document.complete:
        return None
    days = [batch.delivered for batch in document.model.batches]
    return max(days) if all(days) else None


def _documents(record: Any, kind: str) -> Iterable[tuple[Any, Any]]:
    """(project, its ``kind`` document) for each project whose document is complete and whose
    owner is known: what is due from a document is due to someone."""
    for project in record.projects.values():
        document = project.documents.get(kind)
        if document is not None and document.complete and _owner(project) is not None:
            yield project, document


def deliveries(record: Any) -> list[DueAction]:
    """Batches promised and not yet handed over, on the project's owner."""
    found = []
    for project, document in _documents(record, "delivery"):
        for i, batch in enumerate(document.model.batches):
            if batch.delivered is None:
                line, col = _at(document.front, ("batches", i, "planned"))
                found.append(DueAction(batch.planned, "delivery", record.id, _name(record),
                                       project.id, _owner(project), str(batch.vehicles), document.path,
                                       line, col, key=f"{i}", label=(f"batch {i + 1}, {batch.vehicles} vehicles",
                                                                     f"第 {i + 1} 批，{batch.vehicles} 台")))
    return found


def checkpoints(record: Any) -> list[DueAction]:
    """Production checkpoints of an order not yet passed, on their planned day, on the project's owner."""
    found = []
    for project, document in _documents(record, "order_assurance"):
        # a checkpoint is the same one when it is rescheduled or another is put before it: its name,
        # and which of that name it is
        seen: dict[str, int] = {}
        names = []
        for checkpoint in document.model.checkpoints:
            seen[checkpoint.name] = seen.get(checkpoint.name, -1) + 1
            names.append(seen[checkpoint.name])
        for i, checkpoint in enumerate(document.model.checkpoints):
            if checkpoint.passed is None and checkpoint.planned is not None:
                line, col = _at(document.front, ("checkpoints", i, "planned"))
                found.append(DueAction(checkpoint.planned, "checkpoint", record.id, _name(record), project.id,
                                       _owner(project), checkpoint.name, document.path, line, col,
                                       key=f"{checkpoint.name}:{names[i]}"))
    return found


def quotes_expiring(record: Any) -> list[DueAction]:
    """The latest quote of each open project, on the day it stops holding: renew it or win before."""
    found = []
    for project, document in _documents(record, "negotiation_minutes"):
        if not document.model.quotes or _outcome(project) is not None:
            continue
        i, quote = max(enumerate(document.model.quotes), key=lambda pair: (pair[1].date, pair[0]))
        if quote.valid_until is None:
            continue
        line, col = _at(document.front, ("quotes", i, "valid_until"))
        found.append(DueAction(quote.valid_until, "quote", record.id, _name(record),
                               project.id, _owner(project), f"{quote.unit_price:,} × {quote.vehicles}",
                               document.path, line, col, key=f"{quote.date}",
                               amount=quote.total if quote.total is not None else quote.unit_price * quote.vehicles))
    return found


def return_visits(record: Any, config: Any, pipeline: Any,
                  states: list[tuple[Any, list[Any], Any]] | None = None) -> list[DueAction]:
    """The next return visit of each won project in care (``states``: :func:`replayed`, if at hand)."""
    cadence = config.follow_up.return_visits
    activities = record.activities.model.activities if record.activities and record.activities.model else []
    found = []
    for project, events, state in replayed(record, pipeline) if states is None else states:
        if state.outcome != "won" or state.stage != cadence.from_stage:
            continue
        handed_over = handover(project) or care_start(events, cadence.from_stage)
        if handed_over is None:
            continue
        visits = [a.date for a in activities if a.kind == "return_visit" and a.project in (None, project.id)
                  and a.date >= handed_over]
        last = max(visits, default=handed_over)
        early = (last - handed_over).days < cadence.initial_period_days
        due = days_after(last, cadence.initial_interval_days if early else cadence.later_interval_days)
        if handover(project) is not None:  # where the handover is recorded: the last batch delivered
            document = project.documents["delivery"]
            batch = max(range(len(document.model.batches)), key=lambda i: document.model.batches[i].delivered)
            path, (line, col) = document.path, _at(document.front, ("batches", batch, "delivered"))
        else:
            index = next((i for i in range(len(events) - 1, -1, -1)
                          if events[i].action == "advance" and events[i].to == cadence.from_stage), 0)
            path = f"{project.dir}/{layout.HISTORY.filename}"
            line, col = _at(project.history.doc if project.history else None, ("events", index, "to"))
        found.append(DueAction(due, "return_visit", record.id, _name(record),
                               project.id, _owner(project), str(last), path, line, col, key=f"{handed_over}"))
    return found


def birthdays(record: Any, start: dt.date, end: dt.date) -> list[DueAction]:
    """Contacts' birthdays from ``start`` to ``end``, on the customer's owner."""
    contacts = record.contacts
    customer = record.customer.model if record.customer else None
    if contacts is None or contacts.model is None or customer is None:
        return []
    found = []
    for i, person in enumerate(contacts.model.contacts):
        if person.birthday is None:
            continue
        for year in range(start.year, end.year + 1):
            day = _anniversary(person.birthday, year)
            if start <= day <= end:
                line, col = _at(contacts.doc, ("contacts", i, "birthday"))
                found.append(DueAction(day, "birthday", record.id, customer.name, None, customer.owner,
                                       person.name, contacts.path, line, col, key=f"{person.id}:{year}"))
    return found


def holiday_dates(holiday: Any, start: dt.date, end: dt.date) -> list[dt.date]:
    """The days ``holiday`` falls on from ``start`` to ``end`` (the lunar calendar's table ends in 2099)."""
    from lunardate import LunarDate

    month, day = (int(x) for x in (holiday.lunar or holiday.solar).split("-"))
    found = []
    # a lunar year begins in January or February: its 11th and 12th months fall in the next solar year
    for year in range(start.year - (1 if holiday.lunar else 0), end.year + 1):
        try:
            when = LunarDate(year, month, day).to_solar_date() if holiday.lunar else dt.date(year, month, day)
        except ValueError:  # a lunar 30th the month lacks that year, a year outside the table, 31 April
            continue
        if start <= when <= end:
            found.append(when)
    return found


def greetings(record: Any, config: Any, start: dt.date, end: dt.date) -> list[DueAction]:
    """Holiday greetings to a customer we keep (one with a won project), on its owner."""
    customer = record.customer.model if record.customer else None
    if customer is None or not any(_outcome(project) == "won" for project in record.projects.values()):
        return []
    found = []
    for holiday in config.follow_up.holidays:
        for day in holiday_dates(holiday, start, end):
            found.append(DueAction(day, "greeting", record.id, customer.name, None, customer.owner, holiday.name.en,
                                   "crm.yaml", key=f"{holiday.name.en}:{day.year}",
                                   label=(holiday.name.en, holiday.name.zh)))
    return found


def _anniversary(born: dt.date, year: int) -> dt.date:
    try:
        return born.replace(year=year)
    except ValueError:  # 29 February
        return dt.date(year, 2, 28)


def stalled(record: Any, pipeline: Any, today: dt.date,
            states: list[tuple[Any, list[Any], Any]] | None = None) -> list[DueAction]:
    """Projects (open, or won and in after-sales) longer in their stage than it allows."""
    found = []
    for project, _, state in replayed(record, pipeline) if states is None else states:
        stage = pipeline.stage(state.stage)
        if state.outcome == "lost" or stage is None or not stage.max_days:
            continue
        due = days_after(state.entered, stage.max_days)
        if due < today:
            found.append(DueAction(due, "stalled", record.id, _name(record),
                                   project.id, _owner(project), stage.id,
                                   f"{project.dir}/{layout.PROJECT.filename}", 1, 1, key=f"{stage.id}:{state.entered}",
                                   label=(stage.name.en, stage.name.zh)))
    return found


def money_owed(record: Any, today: dt.date) -> list[DueAction]:
    """Instalments not yet paid and deposits not yet back, of each signed contract, as of ``today``
    (money recorded as received on a later day has not come in yet)."""
    name = _name(record)
    found = []
    for project, document in _documents(record, "contract"):
        if document.model.signed is None:
            continue
        contract, owner = document.model, _owner(project)
        paid = sum((r.amount for r in contract.received if r.date <= today), Decimal(0))
        # an instalment is the same one when its due day moves: what it is, and which of those in the file
        keys, seen = [], {}
        for instalment in contract.payments:
            seen[instalment.what or ""] = seen.get(instalment.what or "", -1) + 1
            keys.append(f"{instalment.what or ''}:{seen[instalment.what or '']}")
        for i, instalment in sorted(enumerate(contract.payments), key=lambda pair: pair[1].due):
            covered = min(paid, instalment.amount)
            paid -= covered
            open_amount = instalment.amount - covered
            if open_amount > 0:
                line, col = _at(document.front, ("payments", i, "due"))
                found.append(DueAction(instalment.due, "payment", record.id, name, project.id, owner,
                                       instalment.what or "", document.path, line, col,
                                       key=keys[i],
                                       amount=open_amount))
        if contract.deposit is not None and (contract.deposit.received is None or contract.deposit.received > today):
            line, col = _at(document.front, ("deposit", "release"))
            found.append(DueAction(contract.deposit.release, "deposit", record.id, name, project.id, owner,
                                   "", document.path, line, col, key="deposit", amount=contract.deposit.amount,
                                   label=("warranty deposit", "质量保证金")))
    return found


# crmctl's choice: a training or visit held up to a week before the day planned for it is that one
# (a customer often moves it by a few days), not an extra one
EARLY_DAYS = 7
# what a planned entry of the care plan is matched with in the activity log
LOGGED_AS = {"trainings": "training", "care_activities": "care", "meetings": "meeting"}


def care_since(record: Any) -> dt.date | None:
    """The day care began: the plan's ``since``, else the first contract signed."""
    plan = record.care.model if record.care is not None else None
    if plan is not None and plan.since is not None:
        return plan.since
    signed = [document.model.signed for project in record.projects.values()
              if (document := project.documents.get("contract")) is not None and document.complete
              and document.model.signed is not None]
    return min(signed, default=None)


def _days_before(day: dt.date, days: int) -> dt.date:
    try:
        return day - dt.timedelta(days=days)
    except OverflowError:  # near 0001-01-01
        return dt.date.min


def held_by_log(items: list[Any], logged: list[dt.date]) -> set[int]:
    """The indexes of planned entries without ``held`` that a logged activity stands for.

    An activity logged on an entry's ``held`` day is that entry's own record, and holds nothing
    else. Each other activity, oldest first, holds the earliest open entry planned at most
    EARLY_DAYS after it. (Both lists sorted once: thousands of entries stay quick.)"""
    days = sorted(logged)
    for held in sorted(item.held for item in items if item.held is not None):
        k = bisect.bisect_left(days, held)
        if k < len(days) and days[k] == held:
            del days[k]
    open_ = sorted((item.planned, i) for i, item in enumerate(items) if item.held is None)
    done: set[int] = set()
    eligible: collections.deque[int] = collections.deque()
    k = 0
    for day in days:
        while k < len(open_) and _days_before(open_[k][0], EARLY_DAYS) <= day:
            eligible.append(open_[k][1])  # planned in order: the front is the earliest still open
            k += 1
        if eligible:
            done.add(eligible.popleft())
    return done


def _within_calendar(day: dt.date, days: int) -> bool:
    """``days`` after ``day`` is a day there is: a cadence ends with the calendar, not on its last day."""
    return (dt.date.max - day).days >= days


def care_plan(record: Any, config: Any, today: dt.date) -> list[DueAction]:
    """Trainings, care activities, meetings, evaluations and feedback the care plan has due."""
    plan, customer = (record.care.model if record.care else None), (record.customer.model if record.customer else None)
    if plan is None or customer is None:
        return []
    doc, path, name, owner = record.care.doc, record.care.path, customer.name, customer.owner
    logged = record.activities.model.activities if record.activities and record.activities.model else []
    found = []
    held_in_log: dict[str, set[int]] = {}
    for section, kind in (("trainings", "training"), ("care_activities", "care"), ("meetings", "meeting")):
        items = getattr(plan, section)
        done = held_in_log[section] = held_by_log(
            items, [a.date for a in logged if a.kind == LOGGED_AS[section] and a.date <= today])
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            what = getattr(item, "topic", None) or getattr(item, "what", None) or "、".join(getattr(item, "topics", []))
            code = getattr(item, "kind", "training")
            # the same entry from one run to the next, wherever it moves to in the list or the
            # calendar: its kind and words, and how many such came before it
            key = f"{section}:{code}:{what}"
            seen[key] = seen.get(key, -1) + 1
            if item.held is None and i not in done:
                line, col = _at(doc, (section, i, "planned"))
                found.append(DueAction(item.planned, kind, record.id, name, None, item.by or owner, what or code,
                                       path, line, col, key=f"{key}:{seen[key]}", label=_label(section, item)))
    since = care_since(record)
    if since is not None:
        business = [(i, m) for i, m in enumerate(plan.meetings) if m.kind == "business"]
        if not any(m.held is None and i not in held_in_log["meetings"] for i, m in business):
            # the last business meeting: held in the plan, or a meeting logged (crmctl log --kind meeting)
            last = max([since, *(m.held for _, m in business if m.held),
                        *(a.date for a in logged if a.kind == "meeting" and since <= a.date <= today)])
            line, col = _at(doc, ("meetings",), want_key=True)
            if _within_calendar(last, config.follow_up.business_meeting_interval_days):
                found.append(DueAction(days_after(last, config.follow_up.business_meeting_interval_days), "meeting",
                                       record.id, name, None, owner, "business", path, line, col,
                                       key=f"business:{last}", label=("regular business meeting", "定期业务会议")))
        last = max((e.date for e in plan.evaluations), default=since)
        line, col = _at(doc, ("evaluations",), want_key=True)
        if _within_calendar(last, config.follow_up.evaluation_interval_days):
            found.append(DueAction(days_after(last, config.follow_up.evaluation_interval_days), "evaluation",
                                   record.id, name, None, owner, str(last), path, line, col, key=f"{last}",
                                   label=("satisfaction evaluation", "满意度评价")))
    points: dict[str, int] = {}
    for i, evaluation in enumerate(plan.evaluations):
        for j, item in enumerate(evaluation.feedback):
            key = f"{evaluation.date}:{item.point}"  # which point of which evaluation, not where it stands
            points[key] = points.get(key, -1) + 1
            if item.due is not None and item.done is None:
                line, col = _at(doc, ("evaluations", i, "feedback", j, "due"))
                found.append(DueAction(item.due, "feedback", record.id, name, None, evaluation.by or owner,
                                       item.action or item.point, path, line, col, key=f"{key}:{points[key]}"))
    return found


def _label(section: str, item: Any) -> tuple[str, str]:
    table = {"trainings": None, "care_activities": vocabulary.CARE_ACTIVITY, "meetings": vocabulary.MEETING}[section]
    return table[item.kind] if table else ("training", "培训")


def due_for_customer(record: Any, config: Any, pipeline: Any, today: dt.date, horizon: dt.date) -> list[DueAction]:
    """Everything due for one customer up to ``horizon``, overdue included (birthdays from today)."""
    states = replayed(record, pipeline)
    found = [*next_steps(record), *return_visits(record, config, pipeline, states),
             *stalled(record, pipeline, today, states), *money_owed(record, today), *checkpoints(record), *deliveries(record),
             *quotes_expiring(record), *care_plan(record, config, today)]
    found = [a for a in found if a.date <= horizon]
    found += birthdays(record, today, horizon) + greetings(record, config, today, horizon)
    return sorted(found, key=DueAction.sort_key)
