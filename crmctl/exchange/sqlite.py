"""The whole repository as a SQLite database, for SQL and BI tools (``crmctl export sqlite``).

One table per kind of record, each with its primary key and its foreign keys (``customer_id``,
``(customer_id, project_id)``, ``(customer_id, contact_id)`` …), so every join is declared and
``PRAGMA foreign_key_check`` finds nothing. The types are the ones SQL sums and sorts right:

- a day is ISO text (``2026-06-05``): SQLite has no date type, and ISO text sorts, compares and
  goes into ``date()``/``julianday()`` as it is;
- an amount of money is an INTEGER of fen (the column ends ``_fen``): the files hold exact
  decimals of at most two places, and ``sum()`` of integers is exact, where REAL is not and a
  decimal TEXT or NUMERIC column is summed as REAL;
- a vocabulary value is its stable key (``government``), never a label; ``labels`` holds each
  key's English and Chinese words for a BI tool to show;
- yes/no is 0/1; a list of plain text (tags, topics) is a JSON array (``json_each()``), NULL when
  the file lists none; a list of records or of references is a table of its own, each row with
  ``seq``, its place in the file's list from 1.

What is loaded is what ``report`` loads: every record that reads and validates. A file that does
not is left out (its customer or project keeps a row, its other columns NULL), a reference to a
contact or project that does not exist is NULL (a row that is only such a reference is left out),
a repeated contact or competitor id keeps its first entry; each of these is an error diagnostic,
returned, never printed. Rows go in in id order and then file order, the same repository giving
the same file byte for byte; there is no export time in it (the file's own time says when).

The database is built in a temporary file beside the target and renamed over it at the end: a
reader sees the old database or the new one, never half of one, and a run that fails leaves the
old one as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable

from crmctl.diagnostics import Diagnostic, sort_diagnostics
from crmctl.errors import UserError
from crmctl.messages import Messages

# the layout of the tables; a change to it raises this (also PRAGMA user_version and meta's schema_version)
SCHEMA_VERSION = 1

_C = "customer_id TEXT NOT NULL REFERENCES customers(id)"
_P = "FOREIGN KEY (customer_id, project_id) REFERENCES projects(customer_id, id)"
_PLANNED = ("planned TEXT", "held TEXT", "by_person TEXT")

# table -> its columns ("name TYPE …") and then its table constraints, in the order rows are written
TABLES: dict[str, tuple[str, ...]] = {
    "meta": ("key TEXT PRIMARY KEY", "value TEXT NOT NULL"),
    "labels": ("vocabulary TEXT NOT NULL", "value TEXT NOT NULL", "en TEXT NOT NULL", "zh_cn TEXT NOT NULL",
               "PRIMARY KEY (vocabulary, value)"),
    "stages": ("id TEXT PRIMARY KEY", "position INTEGER NOT NULL", "phase TEXT NOT NULL", "name_en TEXT NOT NULL",
               "name_zh TEXT NOT NULL", "max_days INTEGER"),
    "people": ("id TEXT PRIMARY KEY", "name TEXT NOT NULL", "role TEXT NOT NULL", "region TEXT", "phone TEXT",
               "email TEXT", "notes TEXT"),
    "customers": ("id TEXT PRIMARY KEY", "name TEXT", "short_name TEXT", "category TEXT", "kind TEXT", "size TEXT",
                  "market TEXT", "tier TEXT", "channel TEXT", "dealer TEXT", "owner TEXT", "region TEXT",
                  "since TEXT", "annual_purchase INTEGER", "importance TEXT", "agreement_date TEXT",
                  "fleet_size INTEGER", "address TEXT", "nature TEXT", "main_business TEXT",
                  "industry_position TEXT", "scope TEXT", "cross_regional INTEGER", "tags TEXT", "notes TEXT"),
    "customer_fleet": (_C, "seq INTEGER NOT NULL", "brand TEXT NOT NULL", "model TEXT", "tonnage REAL",
                       "configuration TEXT", "price_fen INTEGER", "quantity INTEGER NOT NULL", "purchase_date TEXT",
                       "PRIMARY KEY (customer_id, seq)"),
    "contacts": (_C, "id TEXT NOT NULL", "name TEXT NOT NULL", "title TEXT", "department TEXT", "phone TEXT",
                 "email TEXT", "wechat TEXT", "reports_to TEXT", "level TEXT", "function TEXT", "influence TEXT",
                 "attitude TEXT NOT NULL", "birthday TEXT", "notes TEXT", "PRIMARY KEY (customer_id, id)",
                 "FOREIGN KEY (customer_id, reports_to) REFERENCES contacts(customer_id, id)"),
    "contact_relations": (_C, "contact_id TEXT NOT NULL", "seq INTEGER NOT NULL", "other_contact_id TEXT",
                          "our TEXT", "type TEXT NOT NULL", "strength TEXT", "note TEXT",
                          "PRIMARY KEY (customer_id, contact_id, seq)",
                          "FOREIGN KEY (customer_id, contact_id) REFERENCES contacts(customer_id, id)",
                          "FOREIGN KEY (customer_id, other_contact_id) REFERENCES contacts(customer_id, id)"),
    "projects": (_C, "id TEXT NOT NULL", "name TEXT", "owner TEXT", "opened TEXT", "expected_close TEXT",
                 "procurement_mode TEXT", "needs_use TEXT", "needs_area TEXT", "needs_environment TEXT",
                 "needs_quantity INTEGER", "needs_budget_fen INTEGER", "needs_requirements TEXT",
                 "needs_replacement_cycle TEXT", "notes TEXT", "stage TEXT", "stage_entered TEXT", "outcome TEXT",
                 "closed_on TEXT", "competition_strategy TEXT", "competition_requirements TEXT",
                 "PRIMARY KEY (customer_id, id)"),
    "stage_events": (_C, "project_id TEXT NOT NULL", "seq INTEGER NOT NULL", "date TEXT NOT NULL",
                     "action TEXT NOT NULL", "by_person TEXT NOT NULL", "from_stage TEXT", "to_stage TEXT",
                     "outcome TEXT", "forced INTEGER NOT NULL", "reason TEXT", "note TEXT",
                     "PRIMARY KEY (customer_id, project_id, seq)", _P),
    "decision_map": (_C, "project_id TEXT NOT NULL", "seq INTEGER NOT NULL", "contact_id TEXT",
                     "role TEXT NOT NULL", "weight REAL NOT NULL", "action TEXT", "note TEXT",
                     "PRIMARY KEY (customer_id, project_id, seq)", _P,
                     "FOREIGN KEY (customer_id, contact_id) REFERENCES contacts(customer_id, id)"),
    "documents": (_C, "project_id TEXT NOT NULL", "kind TEXT NOT NULL", "path TEXT NOT NULL",
                  "complete INTEGER NOT NULL", "date TEXT", "PRIMARY KEY (customer_id, project_id, kind)", _P),
    "competitors": (_C, "project_id TEXT NOT NULL", "id TEXT NOT NULL", "name TEXT NOT NULL", "offer TEXT",
                    "price_fen INTEGER", "strengths TEXT", "weaknesses TEXT",
                    "PRIMARY KEY (customer_id, project_id, id)", _P),
    "competitor_relations": (_C, "project_id TEXT NOT NULL", "competitor_id TEXT NOT NULL", "seq INTEGER NOT NULL",
                             "contact_id TEXT", "strength TEXT", "note TEXT",
                             "PRIMARY KEY (customer_id, project_id, competitor_id, seq)",
                             "FOREIGN KEY (customer_id, project_id, competitor_id) "
                             "REFERENCES competitors(customer_id, project_id, id)",
                             "FOREIGN KEY (customer_id, contact_id) REFERENCES contacts(customer_id, id)"),
    "previous_purchases": (_C, "project_id TEXT NOT NULL", "date TEXT", "vendor TEXT", "model TEXT",
                           "price_fen INTEGER", "quantity INTEGER", "performance TEXT",
                           "PRIMARY KEY (customer_id, project_id)", _P),
    "evaluation_scores": (_C, "project_id TEXT NOT NULL", "vendor TEXT NOT NULL", "criterion TEXT NOT NULL",
                          "score REAL NOT NULL", "weight REAL",
                          "PRIMARY KEY (customer_id, project_id, vendor, criterion)", _P),
    "quotes": (_C, "project_id TEXT NOT NULL", "seq INTEGER NOT NULL", "date TEXT NOT NULL",
               "unit_price_fen INTEGER NOT NULL", "vehicles INTEGER NOT NULL", "total_fen INTEGER", "includes TEXT",
               "answers TEXT", "valid_until TEXT", "PRIMARY KEY (customer_id, project_id, seq)", _P),
    "contracts": (_C, "project_id TEXT NOT NULL", "number TEXT", "date TEXT NOT NULL", "signed TEXT",
                  "value_fen INTEGER NOT NULL", "vehicles INTEGER", "review_chassis TEXT", "review_type_approval TEXT",
                  "review_body TEXT", "review_price_inclusions TEXT", "review_payment TEXT", "review_delivery TEXT",
                  "review_delivery_time TEXT", "review_service TEXT", "review_liability TEXT", "deposit_fen INTEGER",
                  "deposit_release TEXT", "deposit_received TEXT", "PRIMARY KEY (customer_id, project_id)", _P),
    "contract_sign_offs": (_C, "project_id TEXT NOT NULL", "seq INTEGER NOT NULL", "department TEXT NOT NULL",
                           "by_person TEXT NOT NULL", "date TEXT NOT NULL",
                           "PRIMARY KEY (customer_id, project_id, seq)",
                           "FOREIGN KEY (customer_id, project_id) REFERENCES contracts(customer_id, project_id)"),
    "instalments": (_C, "project_id TEXT NOT NULL", "seq INTEGER NOT NULL", "due TEXT NOT NULL",
                    "amount_fen INTEGER NOT NULL", "what TEXT", "PRIMARY KEY (customer_id, project_id, seq)",
                    "FOREIGN KEY (customer_id, project_id) REFERENCES contracts(customer_id, project_id)"),
    "receipts": (_C, "project_id TEXT NOT NULL", "seq INTEGER NOT NULL", "date TEXT NOT NULL",
                 "amount_fen INTEGER NOT NULL", "note TEXT", "PRIMARY KEY (customer_id, project_id, seq)",
                 "FOREIGN KEY (customer_id, project_id) REFERENCES contracts(customer_id, project_id)"),
    "checkpoints": (_C, "project_id TEXT NOT NULL", "seq INTEGER NOT NULL", "name TEXT NOT NULL", "planned TEXT",
                    "passed TEXT", "notes TEXT", "PRIMARY KEY (customer_id, project_id, seq)", _P),
    "delivery_batches": (_C, "project_id TEXT NOT NULL", "seq INTEGER NOT NULL", "vehicles INTEGER NOT NULL",
                         "planned TEXT NOT NULL", "delivered TEXT", "inspected INTEGER NOT NULL", "registered TEXT",
                         "in_operation TEXT", "PRIMARY KEY (customer_id, project_id, seq)", _P),
    "activities": (_C, "seq INTEGER NOT NULL", "date TEXT NOT NULL", "kind TEXT NOT NULL", "by_person TEXT NOT NULL",
                   "project_id TEXT", "summary TEXT NOT NULL", "next_step TEXT", "next_date TEXT",
                   "PRIMARY KEY (customer_id, seq)", _P),
    "activity_contacts": (_C, "activity_seq INTEGER NOT NULL", "contact_id TEXT NOT NULL",
                          "PRIMARY KEY (customer_id, activity_seq, contact_id)",
                          "FOREIGN KEY (customer_id, activity_seq) REFERENCES activities(customer_id, seq)",
                          "FOREIGN KEY (customer_id, contact_id) REFERENCES contacts(customer_id, id)"),
    "care_plans": ("customer_id TEXT PRIMARY KEY REFERENCES customers(id)", "since TEXT", "service_station TEXT",
                   "station_contact TEXT", "our_contacts TEXT", "policy_support TEXT"),
    "care_contacts": ("customer_id TEXT NOT NULL REFERENCES care_plans(customer_id)", "contact_id TEXT NOT NULL",
                      "PRIMARY KEY (customer_id, contact_id)",
                      "FOREIGN KEY (customer_id, contact_id) REFERENCES contacts(customer_id, id)"),
    "vehicle_users": ("customer_id TEXT NOT NULL REFERENCES care_plans(customer_id)", "seq INTEGER NOT NULL",
                      "name TEXT NOT NULL", "role TEXT NOT NULL", "phone TEXT", "vehicles TEXT", "project_id TEXT",
                      "trained INTEGER NOT NULL", "notes TEXT", "PRIMARY KEY (customer_id, seq)", _P),
    "trainings": ("customer_id TEXT NOT NULL REFERENCES care_plans(customer_id)", "seq INTEGER NOT NULL", *_PLANNED,
                  "topic TEXT NOT NULL", "audience TEXT", "trainees INTEGER", "notes TEXT",
                  "PRIMARY KEY (customer_id, seq)"),
    "care_activities": ("customer_id TEXT NOT NULL REFERENCES care_plans(customer_id)", "seq INTEGER NOT NULL",
                        *_PLANNED, "kind TEXT NOT NULL", "what TEXT", "notes TEXT", "PRIMARY KEY (customer_id, seq)"),
    "meetings": ("customer_id TEXT NOT NULL REFERENCES care_plans(customer_id)", "seq INTEGER NOT NULL", *_PLANNED,
                 "kind TEXT NOT NULL", "our_attendees TEXT", "topics TEXT", "notes TEXT",
                 "PRIMARY KEY (customer_id, seq)"),
    "meeting_attendees": ("customer_id TEXT NOT NULL", "meeting_seq INTEGER NOT NULL", "contact_id TEXT NOT NULL",
                          "PRIMARY KEY (customer_id, meeting_seq, contact_id)",
                          "FOREIGN KEY (customer_id, meeting_seq) REFERENCES meetings(customer_id, seq)",
                          "FOREIGN KEY (customer_id, contact_id) REFERENCES contacts(customer_id, id)"),
    "satisfaction": ("customer_id TEXT NOT NULL REFERENCES care_plans(customer_id)", "seq INTEGER NOT NULL",
                     "date TEXT NOT NULL", "score REAL NOT NULL", "contact_id TEXT", "by_person TEXT", "needs TEXT",
                     "PRIMARY KEY (customer_id, seq)",
                     "FOREIGN KEY (customer_id, contact_id) REFERENCES contacts(customer_id, id)"),
    "satisfaction_feedback": ("customer_id TEXT NOT NULL", "satisfaction_seq INTEGER NOT NULL", "seq INTEGER NOT NULL",
                              "point TEXT NOT NULL", "action TEXT", "due TEXT", "done TEXT",
                              "PRIMARY KEY (customer_id, satisfaction_seq, seq)",
                              "FOREIGN KEY (customer_id, satisfaction_seq) REFERENCES satisfaction(customer_id, seq)"),
}

# everything a care plan has planned, in one list: what is due and what was done
VIEWS = {
    "care_schedule": (
        "SELECT customer_id, 'training' AS entry, seq, planned, held, by_person, NULL AS kind, topic AS what "
        "FROM trainings "
        "UNION ALL SELECT customer_id, 'care_activity', seq, planned, held, by_person, kind, what FROM care_activities "
        "UNION ALL SELECT customer_id, 'meeting', seq, planned, held, by_person, kind, NULL FROM meetings"),
}

_CONSTRAINTS = ("PRIMARY KEY", "FOREIGN KEY")


def columns(table: str) -> list[str]:
    """The names of ``table``'s columns, in order."""
    return [spec.split()[0] for spec in TABLES[table] if not spec.startswith(_CONSTRAINTS)]


@dataclass(frozen=True)
class Exported:
    """What an export wrote: the rows of each table, and the errors for which something is not in it."""

    path: Path
    rows: dict[str, int]
    diagnostics: list[Diagnostic] = field(default_factory=list)


def export(root: Path, target: Path, messages: Messages, *,
           progress: Callable[[int, int], None] | None = None) -> Exported:
    """Write the repository at ``root`` to the SQLite database ``target`` (created, or replaced
    whole at the end). A file-system fault is a UserError naming ``target``; nothing is printed."""
    from crmctl.files.repository import customer_ids, load_config, load_people
    from crmctl.pipeline.workflow import pipeline_in_force

    m = messages
    config, diagnostics = load_config(root, m)
    pipeline = pipeline_in_force(config, m)
    team, found = load_people(root, m)
    diagnostics += found
    ids, found = customer_ids(root, m)
    diagnostics += found
    with _building(target, m) as db:
        rows = _Rows(db)
        rows.add("labels", _labels())
        rows.add("stages", [(s.id, i + 1, s.phase, s.name.en, s.name.zh, s.max_days)
                            for i, s in enumerate(pipeline.stages)])
        if team is not None:
            rows.add("people", _unique((p.id, p.name, p.role, p.region, p.phone, p.email, p.notes)
                                       for p in team.people))
        for done, customer_id in enumerate(ids):
            if progress is not None:
                progress(done, len(ids))
            found = _customer(rows, root, customer_id, config, pipeline, m)
            diagnostics += found
        errors = sort_diagnostics(d for d in diagnostics if d.severity == "error")
        rows.add("meta", _meta(config, len(errors)))
    return Exported(target, rows.counts, errors)


# -- building the file ---------------------------------------------------------------------


@contextlib.contextmanager
def _building(target: Path, m: Messages):
    """A connection to a new database in a temporary file beside ``target``, renamed over it when
    the block ends without an error, removed otherwise."""
    from crmctl.files.storage import TEMP_PREFIX, fault

    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        mode = 0o666 & ~mask
    except OSError as exc:
        raise fault(str(target), exc, m) from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise fault(str(target), exc, m) from None
    db = None
    try:
        db = sqlite3.connect(tmp, isolation_level=None)
        # a temporary file nobody else reads: no journal, no waiting for the disk until the end
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("BEGIN")
        for table, spec in TABLES.items():
            db.execute(f"CREATE TABLE {table} ({', '.join(spec)})")
        for view, select in VIEWS.items():
            db.execute(f"CREATE VIEW {view} AS {select}")
        yield db
        db.execute("COMMIT")
        broken = db.execute("PRAGMA foreign_key_check").fetchall()
        if broken:  # every reference is checked before its row is written: this is a bug
            raise RuntimeError(f"the export broke its own foreign keys: {broken[:5]}")
        db.close()
        db = None
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        raise fault(str(target), exc, m) from None
    except sqlite3.OperationalError as exc:
        problem = _sqlite_fault(exc, target, m)
        if problem is None:
            raise
        raise problem from None
    finally:
        if db is not None:
            db.close()
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _sqlite_fault(exc: sqlite3.OperationalError, target: Path, m: Messages) -> UserError | None:
    """SQLite's word for a file-system fault (full, read-only, cannot open) as crmctl's; None for
    anything else, which is a bug."""
    import errno

    from crmctl.files.storage import fault

    code = getattr(exc, "sqlite_errorcode", None)
    primary = None if code is None else code & 0xFF
    # SQLITE_PERM 3, SQLITE_READONLY 8, SQLITE_IOERR 10, SQLITE_FULL 13, SQLITE_CANTOPEN 14
    if primary == 13:
        return fault(str(target), OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), m)
    if primary in (3, 8, 10, 14):
        return fault(str(target), OSError(errno.EIO, str(exc)), m)
    return None


class _Rows:
    """Rows written table by table, and counted."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)
        self.inserts = {t: f"INSERT INTO {t} VALUES ({', '.join('?' * len(columns(t)))})" for t in TABLES}

    def add(self, table: str, rows: Iterable[tuple[Any, ...]]) -> None:
        rows = list(rows)
        if rows:
            self.db.executemany(self.inserts[table], rows)
            self.counts[table] += len(rows)


def _unique(rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows whose first value (the key) was not seen before: a repeated id keeps its first entry
    (check reports the repeat)."""
    seen: set[Any] = set()
    kept = []
    for row in rows:
        if row[0] not in seen:
            seen.add(row[0])
            kept.append(row)
    return kept


def _labels() -> list[tuple[str, str, str, str]]:
    from crmctl import vocabulary

    named = sorted((name.lower(), words) for name, words in vars(vocabulary).items()
                   if name.isupper() and isinstance(words, dict))
    return [(name, value, en, zh) for name, words in named for value, (en, zh) in words.items()]


def _meta(config: Any, errors: int) -> list[tuple[str, str]]:
    from crmctl import __version__

    found = {"schema_version": SCHEMA_VERSION, "crmctl_version": __version__, "currency": config.currency,
             "company": config.company, "language": config.language, "errors": errors}
    return sorted((key, str(value)) for key, value in found.items() if value is not None)


# -- values ---------------------------------------------------------------------------------------


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _fen(amount: Decimal | None) -> int | None:
    """An amount as whole fen: exact (the models allow at most two decimals)."""
    if amount is None:
        return None
    fen = amount * 100
    if fen != fen.to_integral_value():  # the model refuses it: never rounded here
        raise ValueError(f"{amount} has more decimals than fen")
    return int(fen)


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _texts(values: list[Any] | None) -> str | None:
    """A list of plain text (or keys) as a JSON array, NULL when empty."""
    return json.dumps(list(values), ensure_ascii=False) if values else None


# -- one customer ---------------------------------------------------------------------------------

# the checks whose errors mean a row or a reference is left out, with the codes that say so
_INTEGRITY = {"contact-ids-unique": {"id-duplicate"}, "contact-references": {"ref-unknown"},
              "activity-references": {"ref-unknown"}, "decision-map": {"ref-unknown"},
              "competitors": {"id-duplicate", "ref-unknown"}, "care-plan": {"ref-unknown"}}


def _integrity(record: Any, root: Path, config: Any, pipeline: Any, m: Messages) -> list[Diagnostic]:
    """What check says about the references and ids the export leaves out, located as check has it."""
    from crmctl.checking.rules import CUSTOMER_RULES, RuleContext

    ctx = RuleContext(m, config, root, dt.date.today(), pipeline)  # none of these rules looks at the day
    return [d for rule in CUSTOMER_RULES if rule.name in _INTEGRITY
            for d in rule.check(record, ctx) if d.code in _INTEGRITY[rule.name]]


def _model(loaded: Any) -> Any:
    return loaded.model if loaded is not None else None


def _customer(rows: _Rows, root: Path, customer_id: str, config: Any, pipeline: Any, m: Messages) -> list[Diagnostic]:
    from crmctl.files.repository import load_customer

    record, diagnostics = load_customer(root, customer_id, m)
    diagnostics += _integrity(record, root, config, pipeline, m)
    record.release_nodes()
    cid = customer_id
    c = _model(record.customer)
    if c is None:
        rows.add("customers", [(cid, *(None,) * (len(columns("customers")) - 1))])
    else:
        b = c.business
        rows.add("customers", [(cid, c.name, c.short_name, c.category, c.kind, c.size, c.market, c.tier, c.channel,
                                c.dealer, c.owner, c.region, _day(c.since), c.annual_purchase, c.importance,
                                _day(c.agreement_date), c.fleet_size, b.address, b.nature, b.main_business,
                                b.industry_position, b.scope, _flag(b.cross_regional), _texts(c.tags), c.notes)])
        rows.add("customer_fleet", [(cid, i, f.brand, f.model, f.tonnage, f.configuration, _fen(f.price), f.quantity,
                                     _day(f.purchase_date)) for i, f in enumerate(c.current_fleet, 1)])

    contacts = _unique((p.id, p) for p in record.contact_list())
    known = {ident for ident, _ in contacts}

    def person(contact_id: str | None) -> str | None:
        return contact_id if contact_id in known else None

    rows.add("contacts", [(cid, p.id, p.name, p.title, p.department, p.phone, p.email, p.wechat, person(p.reports_to),
                           p.level, p.function, p.influence, p.attitude, _day(p.birthday), p.notes)
                          for _, p in contacts])
    rows.add("contact_relations", [(cid, p.id, i, person(r.contact), r.our, r.type, r.strength, r.note)
                                   for _, p in contacts for i, r in enumerate(p.relations, 1)])

    for project in record.projects.values():
        diagnostics += _project(rows, cid, project, person, config, pipeline, m)

    activities = _model(record.activities)
    if activities is not None:
        rows.add("activities", [(cid, i, _day(a.date), a.kind, a.by, a.project if a.project in record.projects else None,
                                 a.summary, a.next_step, _day(a.next_date))
                                for i, a in enumerate(activities.activities, 1)])
        rows.add("activity_contacts", [(cid, i, who) for i, a in enumerate(activities.activities, 1)
                                       for who in dict.fromkeys(a.contacts) if who in known])

    plan = _model(record.care)
    if plan is not None:
        _care(rows, cid, plan, person, record.projects)
    return diagnostics


def _project(rows: _Rows, cid: str, project: Any, person: Callable[[str | None], str | None], config: Any,
             pipeline: Any, m: Messages) -> list[Diagnostic]:
    from crmctl.analysis.evaluation import weights_for
    from crmctl.files import layout
    from crmctl.pipeline.stages import history_events, replay

    diagnostics: list[Diagnostic] = []
    pid = project.id
    p = _model(project.project)
    events = history_events(project)
    state = None
    if p is not None and events is not None:
        state, problems = replay(events, p.opened, pipeline)
        if problems:  # as report has it: the stage is left out when the history does not add up
            first = problems[0]
            diagnostics.append(m.diagnostic("history-invalid", f"{project.dir}/{layout.HISTORY.filename}",
                                            problem=m.pick(first.en, first.zh)))
            state = None
    competition = _model(project.competition)
    derived = (state.stage, _day(state.entered), state.outcome, _day(state.closed_on)) if state else (None,) * 4
    contest = (competition.strategy, _texts(competition.requirements)) if competition else (None, None)
    if p is None:
        rows.add("projects", [(cid, pid, *(None,) * 13, *derived, *contest)])
    else:
        n = p.needs
        rows.add("projects", [(cid, pid, p.name, p.owner, _day(p.opened), _day(p.expected_close), p.procurement_mode,
                               n.use, n.area, n.environment, n.quantity, _fen(n.budget), _texts(n.requirements),
                               n.replacement_cycle, p.notes, *derived, *contest)])
        rows.add("decision_map", [(cid, pid, i, person(e.contact), e.role, e.weight, e.action, e.note)
                                  for i, e in enumerate(p.decision_map, 1)])
    rows.add("stage_events", [(cid, pid, i, _day(e.date), e.action, e.by, e.from_stage, e.to, e.outcome,
                               int(e.forced), e.reason, e.note) for i, e in enumerate(events or (), 1)])
    for kind in sorted(project.documents):
        document = project.documents[kind]
        model = document.model if document.complete else None
        when = getattr(model, getattr(model, "met_on", "date"), None) if model is not None else None
        rows.add("documents", [(cid, pid, kind, document.path, int(document.complete), _day(when))])
    if competition is not None:
        competitors = _unique((c.id, c) for c in competition.competitors)
        rows.add("competitors", [(cid, pid, c.id, c.name, c.offer, _fen(c.price), _texts(c.strengths),
                                  _texts(c.weaknesses)) for _, c in competitors])
        rows.add("competitor_relations", [(cid, pid, c.id, i, person(r.contact), r.strength, r.note)
                                          for _, c in competitors for i, r in enumerate(c.relationships, 1)])
        before = competition.previous_purchase
        if before is not None:
            rows.add("previous_purchases", [(cid, pid, _day(before.date), before.vendor, before.model,
                                             _fen(before.price), before.quantity, before.performance)])
    _documents(rows, cid, pid, project.documents, config, weights_for)
    return diagnostics


def _documents(rows: _Rows, cid: str, pid: str, documents: dict[str, Any], config: Any, weights_for: Any) -> None:
    """The figures of a project's complete documents: evaluation scores, quotes, the contract and
    its money, production checkpoints, delivery batches."""
    def complete(kind: str) -> Any:
        document = documents.get(kind)
        return document.model if document is not None and document.complete else None

    evaluation = complete("evaluation")
    if evaluation is not None:
        weights = weights_for(evaluation, config)
        rows.add("evaluation_scores", [(cid, pid, vendor, criterion, score, weights.get(criterion))
                                       for vendor, scores in evaluation.scores.items()
                                       for criterion, score in scores.items()])
    negotiation = complete("negotiation_minutes")
    if negotiation is not None:
        rows.add("quotes", [(cid, pid, i, _day(q.date), _fen(q.unit_price), q.vehicles, _fen(q.total),
                             _texts(q.includes), q.answers, _day(q.valid_until))
                            for i, q in enumerate(negotiation.quotes, 1)])
    contract = complete("contract")
    if contract is not None:
        r, deposit = contract.review, contract.deposit
        rows.add("contracts", [(cid, pid, contract.number, _day(contract.date), _day(contract.signed),
                                _fen(contract.value), contract.vehicles, r.chassis, r.type_approval, r.body,
                                r.price_inclusions, r.payment, r.delivery, r.delivery_time, r.service, r.liability,
                                _fen(deposit.amount) if deposit else None, _day(deposit.release) if deposit else None,
                                _day(deposit.received) if deposit else None)])
        rows.add("contract_sign_offs", [(cid, pid, i, s.department, s.by, _day(s.date))
                                        for i, s in enumerate(contract.sign_off, 1)])
        rows.add("instalments", [(cid, pid, i, _day(a.due), _fen(a.amount), a.what)
                                 for i, a in enumerate(contract.payments, 1)])
        rows.add("receipts", [(cid, pid, i, _day(a.date), _fen(a.amount), a.note)
                              for i, a in enumerate(contract.received, 1)])
    assurance = complete("order_assurance")
    if assurance is not None:
        rows.add("checkpoints", [(cid, pid, i, c.name, _day(c.planned), _day(c.passed), c.notes)
                                 for i, c in enumerate(assurance.checkpoints, 1)])
    delivery = complete("delivery")
    if delivery is not None:
        rows.add("delivery_batches", [(cid, pid, i, b.vehicles, _day(b.planned), _day(b.delivered), int(b.inspected),
                                       _day(b.registered), _day(b.in_operation))
                                      for i, b in enumerate(delivery.batches, 1)])


def _care(rows: _Rows, cid: str, plan: Any, person: Callable[[str | None], str | None], projects: dict) -> None:
    rows.add("care_plans", [(cid, _day(plan.since), plan.service_station, plan.station_contact,
                             _texts(plan.our_contacts), _texts(plan.policy_support))])
    rows.add("care_contacts", [(cid, who) for who in dict.fromkeys(plan.customer_contacts) if person(who)])
    rows.add("vehicle_users", [(cid, i, u.name, u.role, u.phone, _texts(u.vehicles),
                                u.project if u.project in projects else None, int(u.trained), u.notes)
                               for i, u in enumerate(plan.vehicle_users, 1)])
    rows.add("trainings", [(cid, i, _day(t.planned), _day(t.held), t.by, t.topic, _texts(t.audience), t.trainees,
                            t.notes) for i, t in enumerate(plan.trainings, 1)])
    rows.add("care_activities", [(cid, i, _day(a.planned), _day(a.held), a.by, a.kind, a.what, a.notes)
                                 for i, a in enumerate(plan.care_activities, 1)])
    rows.add("meetings", [(cid, i, _day(g.planned), _day(g.held), g.by, g.kind, _texts(g.our_attendees),
                           _texts(g.topics), g.notes) for i, g in enumerate(plan.meetings, 1)])
    rows.add("meeting_attendees", [(cid, i, who) for i, g in enumerate(plan.meetings, 1)
                                   for who in dict.fromkeys(g.attendees) if person(who)])
    rows.add("satisfaction", [(cid, i, _day(e.date), e.score, person(e.contact), e.by, _texts(e.needs))
                              for i, e in enumerate(plan.evaluations, 1)])
    rows.add("satisfaction_feedback", [(cid, i, j, f.point, f.action, _day(f.due), _day(f.done))
                                       for i, e in enumerate(plan.evaluations, 1)
                                       for j, f in enumerate(e.feedback, 1)])
