"""``crmctl export xlsx``: the repository's customers, contacts and activities as the three sheets
``crmctl import`` reads, so a team can hand its records to people who live in Excel and take
their corrections back (an exported workbook re-imports to the same data).

Each sheet's headers are the import's own, in the output language; values are labels in that
language (the import reads either language), dates dates, counts numbers. What the sheets do
not hold: a customer's list of vehicles (its fleet size does travel), a contact's relations, and
everything of projects, which the import does not write.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from crmctl.diagnostics import Diagnostic
from crmctl.exchange import values
from crmctl.exchange.columns import ACTIVITY_FIELDS, CONTACT_FIELDS, CUSTOMER_FIELDS
from crmctl.messages import Messages

# the columns of each sheet, by the import's field keys (columns.py)
CUSTOMER_COLUMNS = ("id", "name", "short_name", "category", "kind", "size", "market", "tier", "channel", "dealer",
                    "owner", "region", "since", "annual_purchase", "importance", "agreement_date", "fleet_size",
                    "business.address", "business.nature", "business.main_business", "business.industry_position",
                    "business.scope", "business.cross_regional", "tags", "notes")
CONTACT_COLUMNS = ("customer", "id", "name", "title", "department", "phone", "email", "wechat", "reports_to", "level",
                   "function", "influence", "attitude", "birthday", "notes")
ACTIVITY_COLUMNS = ("customer", "date", "kind", "by", "contacts", "project", "summary", "next_step", "next_date")
# the vocabulary (values.VOCABULARIES) a field's values are labelled from
_LABELLED = {"category": "category", "kind": "kind", "size": "size", "market": "market", "tier": "tier",
             "channel": "channel", "importance": "importance", "level": "level", "function": "function",
             "influence": "influence", "attitude": "attitude"}


@dataclass
class Exported:
    data: bytes
    counts: dict[str, int]
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _label(vocabulary: str, value: str | None, lang: str) -> str | None:
    if value is None:
        return None
    en, zh = values.VOCABULARIES[vocabulary].get(value, (value, value))
    return zh if lang == "zh-CN" else en


def _shown(value: Any, m: Messages, vocabulary: str | None = None) -> Any:
    """A value as the people's row shows it: a label, yes/no in words, a list joined by 、."""
    if vocabulary is not None:
        return _label(vocabulary, value, m.lang)
    if isinstance(value, bool):
        return m.pick("yes", "是") if value else m.pick("no", "否")
    if isinstance(value, list):
        return "、".join(str(v) for v in value) if value else None
    return value


def _row(columns: tuple[str, ...], get: Callable[[str], Any], m: Messages,
         labelled: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(people's row, machine row) of one record."""
    machine = {key: get(key) for key in columns}
    people = {key: _shown(value, m, labelled.get(key)) for key, value in machine.items()}
    return people, {k: (v if isinstance(v, (dt.date, int, float)) and not isinstance(v, bool) else None)
                    for k, v in machine.items()}


def repository_workbook(root: Path, messages: Messages, *, progress: Any = None) -> Exported:
    """The workbook of the repository's records (its bytes), with what was left out and why."""
    from crmctl.exchange import xlsx
    from crmctl.files.repository import load_repository

    m = messages
    repo, diagnostics = load_repository(root, m, parts={"customer", "contacts", "activities"}, progress=progress)
    customers, contacts, activities = [], [], []
    for cid, record in repo.customers.items():
        customer = record.customer.model if record.customer is not None else None
        if customer is None:
            continue  # its problems are in diagnostics
        dumped = customer.model_dump()

        def of_customer(key: str, dumped: dict[str, Any] = dumped, cid: str = cid) -> Any:
            if key == "id":
                return cid
            part, _, rest = key.partition(".")
            return dumped[part][rest] if rest else dumped[part]

        customers.append(_row(CUSTOMER_COLUMNS, of_customer, m, _LABELLED))
        if record.contacts is not None and record.contacts.model is not None:
            for contact in record.contacts.model.contacts:
                data = contact.model_dump()
                contacts.append(_row(CONTACT_COLUMNS, lambda key, data=data, cid=cid: cid if key == "customer"
                                     else data[key], m, _LABELLED))
        if record.activities is not None and record.activities.model is not None:
            for activity in record.activities.model.activities:
                data = activity.model_dump()
                activities.append(_row(ACTIVITY_COLUMNS, lambda key, data=data, cid=cid: cid if key == "customer"
                                       else data[key], m, {"kind": "activity_kind"}))
    sheets = []
    for title, columns, fields, rows in (
            (m.pick("Customers", "客户"), CUSTOMER_COLUMNS, CUSTOMER_FIELDS, customers),
            (m.pick("Contacts", "联系人"), CONTACT_COLUMNS, CONTACT_FIELDS, contacts),
            (m.pick("Activities", "活动"), ACTIVITY_COLUMNS, ACTIVITY_FIELDS, activities)):
        headers = [(key, m.pick(*fields[key].label)) for key in columns]
        sheets.append(xlsx.Sheet(title, headers, [p for p, _ in rows], [r for _, r in rows], line_breaks=True))
    data = xlsx.workbook(sheets, title=m.pick("Customer records", "客户记录"), language=m.lang)
    return Exported(data, {"customers": len(customers), "contacts": len(contacts), "activities": len(activities)},
                    [d for d in diagnostics if d.severity == "error"])
