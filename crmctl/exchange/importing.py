"""``crmctl import``: the rows of a spreadsheet into customers, their contacts and activities.

Nothing is lost and nothing doubled: a row names a record that exists (by id, else by name,
compared without the differences of full- and half-width forms and spaces) and updates it in the
fields the sheet gives, or creates one; a field the sheet leaves empty is left as it is, so the
same import run twice changes nothing the second time. Every row is read and checked first; a
rejected row is reported at its sheet, row and column, and nothing is written unless every row
is good (or ``skip_invalid``). Files are then changed as ``new`` and ``log`` change them: under the
repository's lock, each atomically, every byte of a person's file outside the changed values kept.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from crmctl.diagnostics import Diagnostic
from crmctl.errors import UserError
from crmctl.exchange import values
from crmctl.exchange.columns import (
    FIELDS,
    Column,
    ImportKind,
    Layout,
    find_layout,
    load_mapping,
    read_value,
    refuse_other_kind,
)
from crmctl.exchange.sheets import Row, Table, read_table
from crmctl.files import boundary, layout, storage
from crmctl.messages import Messages

# Fields the record files hold, by the field keys of columns.py (the rest: id, contact.*, the
# customer a row belongs to and crmctl list's kind/size column are read, not stored as such)
_CUSTOMER_STORED = ("name", "short_name", "category", "kind", "size", "market", "tier", "channel", "dealer", "owner",
                    "region", "since", "annual_purchase", "importance", "agreement_date", "fleet_size",
                    "business.address", "business.nature", "business.main_business", "business.industry_position",
                    "business.scope", "business.cross_regional", "tags", "notes")
_CONTACT_STORED = ("name", "title", "department", "phone", "email", "wechat", "reports_to", "level", "function",
                   "influence", "attitude", "birthday", "notes")
_ACTIVITY_STORED = ("date", "kind", "by", "contacts", "project", "summary", "next_step", "next_date")
# what each kind of sheet cannot do without: a column for it, or a default in --map
_REQUIRED = {"customers": (("name", "id"),), "contacts": (("customer",), ("name", "id")),
             "activities": (("customer",), ("date",), ("summary",))}


@dataclass
class Outcome:
    """What became of one record: ``create``, ``update`` (``fields`` changed) or ``unchanged``."""

    action: str
    what: str  # customer / contact / activity
    customer: str
    name: str
    rows: list[int]
    fields: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "record": self.what, "customer": self.customer, "name": self.name,
                "rows": self.rows, "fields": self.fields}


@dataclass
class ImportResult:
    kind: ImportKind
    table: Table
    layout: Layout
    outcomes: list[Outcome]
    rejected: list[Diagnostic]
    rejected_rows: list[Row]
    written: list[str] = field(default_factory=list)


# -- the repository as the import finds it ---------------------------------------------------

@dataclass
class _ListFile:
    """contacts.yaml or activities.yaml of one customer, with what the import adds and changes."""

    rel: str
    current: storage.EditableText | None
    items: list[dict[str, Any]]
    problems: list[Diagnostic]
    added: list[int] = field(default_factory=list)  # indexes into items
    # indexes, kept as items are added (a sheet of 5,000 rows must not scan the list for each);
    # their values are tuples, replaced and never changed in place, so a shallow copy keeps them
    by_day: dict[tuple[Any, ...], tuple[int, ...]] = field(default_factory=dict)  # activity key -> indexes
    by_name: dict[str, tuple[int, ...]] = field(default_factory=dict)  # contacts: folded name -> indexes
    by_id: dict[str, int] = field(default_factory=dict)  # contacts: id -> index
    changes: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    outcomes: dict[int, Outcome] = field(default_factory=dict)  # by index into items

    def index_contacts(self) -> None:
        for i, contact in enumerate(self.items):
            self.add_contact(i, contact)

    def add_contact(self, i: int, contact: dict[str, Any]) -> None:
        if isinstance(contact.get("id"), str):
            self.by_id.setdefault(contact["id"], i)
        if isinstance(contact.get("name"), str):
            key = values.folded(contact["name"])
            self.by_name[key] = (*self.by_name.get(key, ()), i)

    def named(self, who: str) -> list[int]:
        """The contacts ``who`` names: by id, else by name (folded)."""
        if who in self.by_id:
            return [self.by_id[who]]
        return list(self.by_name.get(values.folded(who), ()))


@dataclass
class _Customer:
    id: str
    exists: bool
    data: dict[str, Any]
    current: storage.EditableText | None = None
    problems: list[Diagnostic] = field(default_factory=list)
    changes: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    set_by: dict[Any, tuple[int, Any]] = field(default_factory=dict)
    outcome: Outcome | None = None
    contacts: _ListFile | None = None
    activities: _ListFile | None = None
    projects: dict[str, str] | None = None  # id -> name


class _Rejected(Exception):
    """A row's problems; none of its values is taken."""

    def __init__(self, problems: list[Diagnostic]) -> None:
        super().__init__(len(problems))
        self.problems = problems


class _Repository:
    """The customers of the repository, read as they are, and the import's plans for them."""

    def __init__(self, root: Path, messages: Messages, read: Callable[[str], storage.EditableText | None]) -> None:
        from crmctl.files.repository import customer_ids, load_people

        self.root, self.messages, self.read = root, messages, read
        self.team, _ = load_people(root, messages)
        ids, problems = customer_ids(root, messages)
        self.customers: dict[str, _Customer] = {}
        self.names: dict[str, list[str]] = {}
        self.order: list[str] = []
        # a folder that cannot be read (a link leading out, no permission) might be the customer a
        # row names, as might a customer.yaml that is missing or gives no name
        unreadable = [d for d in problems if d.severity == "error"]
        for cid in ids:
            rel = f"{layout.customer_dir(cid)}/{layout.CUSTOMER.filename}"
            current, data, found = self._document(rel)
            state = _Customer(cid, True, data if isinstance(data, dict) else {}, current,
                              [d for d in found if d.severity == "error"])
            self.customers[cid] = state
            if not isinstance(data, dict) or not isinstance(data.get("name"), str):
                if found:
                    unreadable.extend(found)
                else:
                    from crmctl.files.repository import missing_file

                    unreadable.append(missing_file(messages, rel, layout.CUSTOMER, cid))
                continue
            self._index(state)
        if unreadable:
            # a customer whose name cannot be read might be the one a row names: importing now could double it
            raise storage.refusal(unreadable[0].path, unreadable, messages)

    def _document(self, rel: str) -> tuple[storage.EditableText | None, Any, list[Diagnostic]]:
        from crmctl.files.yamlio import parse_yaml

        current = self.read(rel)
        if current is None:
            return None, None, []
        doc = parse_yaml(current.text, rel, self.messages)
        return current, doc.data, doc.diagnostics

    def _index(self, state: _Customer) -> None:
        for key in ("name", "short_name"):
            name = state.data.get(key)
            if isinstance(name, str) and name.strip():
                ids = self.names.setdefault(values.folded(name), [])
                if state.id not in ids:
                    ids.append(state.id)

    def list_file(self, state: _Customer, kind: layout.FileKind, key: str) -> _ListFile:
        rel = f"{layout.customer_dir(state.id)}/{kind.filename}"
        if not state.exists:
            return _ListFile(rel, None, [], [])
        current, data, found = self._document(rel)
        items = data.get(key) if isinstance(data, dict) else None
        errors = [d for d in found if d.severity == "error"]
        if current is not None and not errors:
            from crmctl.files.scaffold import _problems

            errors = [d for d in _problems(current.text, kind, rel, self.messages) if d.severity == "error"]
        return _ListFile(rel, current, [dict(i) for i in items or [] if isinstance(i, dict)], errors)

    def project_names(self, state: _Customer) -> dict[str, str]:
        if state.projects is None:
            from crmctl.files.repository import folder_names

            state.projects = {}
            if state.exists:
                folder = f"{layout.customer_dir(state.id)}/{layout.PROJECTS_DIR}"
                names, _ = folder_names(self.root, folder, self.messages)
                for pid in names:
                    _, data, _ = self._document(f"{folder}/{pid}/{layout.PROJECT.filename}")
                    state.projects[pid] = data.get("name", "") if isinstance(data, dict) else ""
        return state.projects


def _read_plain(root: Path, messages: Messages) -> Callable[[str], storage.EditableText | None]:
    """A reader that writes nothing (a dry run holds no lock and sweeps no leftovers)."""
    def read(rel: str) -> storage.EditableText | None:
        from crmctl.files.yamlio import MAX_FILE_BYTES, _read_regular

        path = boundary.require(root, rel, messages)
        try:
            raw = _read_regular(path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise storage.fault(rel, exc, messages, writing=False) from None
        if raw is None or len(raw) > MAX_FILE_BYTES:  # a pipe, a device, a folder; or too large: as check says
            raise storage.refusal(rel, [messages.diagnostic("file-unreadable", rel, error=messages.pick(
                "not a plain file of at most 8 MiB", "不是不超过 8 MiB 的普通文件"))], messages, reading=True)
        return storage.editable(raw, rel, messages)
    return read


# -- rows --------------------------------------------------------------------------------------

class _Rows:
    """Reading one sheet's rows for one kind of import; every problem located at its cell."""

    def __init__(self, kind: ImportKind, table: Table, table_layout: Layout, defaults: dict[str, Any],
                 messages: Messages) -> None:
        self.kind, self.table, self.layout, self.messages = kind, table, table_layout, messages
        self.fields = FIELDS[kind]
        self.defaults = defaults

    def problem(self, row: int, column: Column | None, problem: tuple[str, str], fix: tuple[str, str]) -> Diagnostic:
        m = self.messages
        return m.diagnostic("import-rejected", self.table.source, row, column.number if column else 0,
                            cell=place(self.table, row, column, m), problem=m.pick(*problem), fix=m.pick(*fix))

    def at(self, row: int, key: str, problem: tuple[str, str], fix: tuple[str, str]) -> Diagnostic:
        return self.problem(row, self.layout.of(key), problem, fix)

    def values(self, row: Row) -> tuple[dict[str, Any], list[Diagnostic], set[str]]:
        """The row's values by field, its mapping's defaults where it leaves a field empty; the
        problems of the cells that cannot be read, and their fields."""
        given: dict[str, Any] = {}
        problems = []
        unreadable: set[str] = set()
        for column in self.layout.columns:
            if column.field is None:
                continue
            raw = row.cell(column.number)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            try:
                value = self._read(column.field, raw, given)
            except values.Unreadable as exc:
                problems.append(self.problem(row.number, column, exc.problem, exc.fix))
                unreadable.add(column.field)
                continue
            if value not in (None, "", []):
                given[column.field] = value
        for key, raw in self.defaults.items():  # read as a cell of its column is (checked when the mapping was read)
            if key not in unreadable and key not in given:
                value = self._read(key, raw, given)
                if value not in (None, "", []):
                    given[key] = value
        return given, problems, unreadable

    def _read(self, key: str, raw: Any, given: dict[str, Any]) -> Any:
        return read_value(self.fields, key, raw, given)


def place(table: Table, row: int, column: Column | None, m: Messages) -> str:
    """Where a person finds a cell: 客户清单!C7 市场 (the sheet, the cell, its column's header)."""
    cell = f"{column.letter}{row}" if column else m.pick(f"row {row}", f"第 {row} 行")
    return (f"{table.sheet}!{cell}" if table.sheet else cell) + (f" {column.header}" if column else "")


def _kept(state: _Customer) -> _Customer:
    from dataclasses import replace

    def kept_list(lst: _ListFile | None) -> _ListFile | None:
        return None if lst is None else replace(lst, items=list(lst.items), added=list(lst.added),
                                                changes=dict(lst.changes), outcomes=dict(lst.outcomes),
                                                by_day=dict(lst.by_day), by_name=dict(lst.by_name),
                                                by_id=dict(lst.by_id))

    return replace(state, data=copy.deepcopy(state.data), changes=dict(state.changes), set_by=dict(state.set_by),
                   outcome=copy.deepcopy(state.outcome), contacts=kept_list(state.contacts),
                   activities=kept_list(state.activities),
                   projects=dict(state.projects) if state.projects is not None else None)


def _stored(value: Any) -> Any:
    """A value as it reads back from a file: a date is its ISO text there."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        if isinstance(data, dict):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return None
    return data


def _put(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        nxt = data.get(step)
        if not isinstance(nxt, dict):
            nxt = data[step] = {}
        data = nxt
    data[path[-1]] = value


# -- the plan ----------------------------------------------------------------------------------

class _Planner:
    def __init__(self, repo: _Repository, rows: _Rows, messages: Messages) -> None:
        self.repo, self.rows, self.m = repo, rows, messages
        self.outcomes: list[Outcome] = []
        self.rejected: list[Diagnostic] = []
        self.rejected_rows: list[Row] = []
        # of the row being read: its problems so far, the fields they are in, the customers it
        # changed as they were before it (None: made by it)
        self.pending: list[Diagnostic] = []
        self.unreadable: set[str] = set()
        self._before: dict[str, _Customer | None] = {}

    # our people, by id or name (as new and log take them)
    def _our(self, row: int, key: str, who: str) -> None:
        team = self.repo.team
        if team is None:
            return
        found = team.find(who)
        if len(found) == 1:
            return
        m = self.m
        if found:
            self._note(self.rows.at(row, key, (f"{len(found)} of our people are named {who}",
                                               f"我方有 {len(found)} 人名为 {who}"),
                                    ("write the person's id from people.yaml", "请填写 people.yaml 中此人的标识")), key)
            return
        near = m.did_you_mean(who, team.words(), 0.5)
        self._note(self.rows.at(row, key, (f"{who} is none of our people in people.yaml{near}",
                                           f"{who} 不在 people.yaml 的我方人员中{near}"),
                                ("write one of our people's names or ids, or add them first: crmctl new person "
                                 "NAME --role ROLE", "请填写我方人员的姓名或标识，或先添加：crmctl new person 姓名 "
                                 "--role 角色")), key)

    def _note(self, problem: Diagnostic, field: str) -> None:
        """A problem of the row that does not stop it being read on: every problem of a row is said at once."""
        self.pending.append(problem)
        self.unreadable.add(field)

    def _same(self, key: str, a: Any, b: Any) -> bool:
        """Whether two values of a field say the same: a name written with full- or half-width forms
        or other spaces is that name (the record keeps its spelling); our people by id or name."""
        if _stored(a) == _stored(b):
            return True
        if a is None and _DEFAULTS.get(key, a) == b:  # not written, so the model's default: the same
            return True
        if key in ("phone", "contact.phone") and isinstance(a, (int, str)) and isinstance(b, (int, str)):
            return str(a) == str(b)  # an unquoted number is the same phone (models.common.Phone)
        if key in ("owner", "by"):
            return self._same_person(a, b)
        if isinstance(a, str) and isinstance(b, str):
            from crmctl.escaping import visible

            if visible(a) == b:  # as crmctl shows it (list --format xlsx): a line break as \n
                return True
            if key in ("name", "short_name"):
                return values.folded(a) == values.folded(b)
            return a.strip() == b.strip()  # a note's last line break is no change of it
        return False

    def _same_person(self, a: Any, b: Any) -> bool:
        team = self.repo.team
        if a == b or team is None or not isinstance(a, str) or not isinstance(b, str):
            return a == b
        found_a, found_b = team.find(a), team.find(b)
        return len(found_a) == 1 and found_a == found_b

    def run(self, table_rows: list[Row]) -> None:
        plan = {"customers": self._customer_row, "contacts": self._contact_row, "activities": self._activity_row}
        step = plan[self.rows.kind]
        for row in self._ordered(table_rows):
            given, problems, unreadable = self.rows.values(row)
            self.pending, self.unreadable, self._before = list(problems), set(unreadable), {}
            order = list(self.repo.order)
            try:
                step(row.number, given)
                if self.pending:
                    raise _Rejected([])
            except _Rejected as exc:
                self._restore(order)
                self._reject(row, self.pending + [p for p in exc.problems if p not in self.pending])
        self.outcomes = self._collect()
        self.rejected.sort(key=Diagnostic.sort_key)

    def _ordered(self, table_rows: list[Row]) -> list[Row]:
        """The rows after the header, blank ones left out; for contacts, a superior's row before the
        rows that name them (reports_to), so the sheet's own order does not matter."""
        imported = [c.number for c in self.rows.layout.columns if c.field is not None]
        # a row with nothing in the columns imported (a blank row, a note under the table) is no record
        rows = [r for r in table_rows if r.number > self.rows.layout.header_row
                and not Row(r.number, tuple(r.cell(n) for n in imported)).blank]
        if self.rows.kind != "contacts" or self.rows.layout.of("reports_to") is None:
            return rows
        name_col, boss_col = self.rows.layout.of("name"), self.rows.layout.of("reports_to")
        customer_col, id_col = self.rows.layout.of("customer"), self.rows.layout.of("id")

        def cell(row: Row, column: Column | None) -> str:
            raw = row.cell(column.number) if column else None
            try:
                return values.folded(values.text(raw)) if raw is not None else ""
            except values.Unreadable:
                return ""  # the row's own reading says why

        def customer(row: Row) -> str:  # by id, name or short name, as the rows will be read
            written = cell(row, customer_col)
            ids = self.repo.names.get(written, [])
            return ids[0] if len(ids) == 1 else written

        # who each row is (by id and by name) and whom it names as superior
        rows_of: dict[tuple[str, str], list[int]] = {}
        for i, row in enumerate(rows):
            for column in (name_col, id_col):
                if column is not None and cell(row, column):
                    rows_of.setdefault((customer(row), cell(row, column)), []).append(i)
        placed: list[Row] = []
        state = [0] * len(rows)  # 0 not yet, 1 being placed (a circle), 2 placed

        def place(i: int) -> None:
            # superiors first, depth first; iterative, as a chain of superiors may be thousands long
            stack = [i]
            while stack:
                j = stack[-1]
                if state[j] == 2:
                    stack.pop()
                    continue
                state[j] = 1
                boss = cell(rows[j], boss_col)
                waiting = [k for k in rows_of.get((customer(rows[j]), boss), []) if boss and state[k] == 0]
                if waiting:
                    stack.append(waiting[0])
                    continue
                state[j] = 2  # a circle ends here: the sheet's order, and the row naming the circle is refused
                placed.append(rows[j])
                stack.pop()

        for i in range(len(rows)):
            place(i)
        return placed

    def _restore(self, order: list[str]) -> None:
        """The customers a rejected row touched, as they were before it."""
        for cid, before in self._before.items():
            if before is None:
                del self.repo.customers[cid]
            else:
                self.repo.customers[cid] = before
        self.repo.order = order
        self.repo.names = {}
        for state in self.repo.customers.values():
            self.repo._index(state)

    def _collect(self) -> list[Outcome]:
        found: list[Outcome] = []
        for cid in self.repo.order:
            state = self.repo.customers[cid]
            if state.outcome is not None:
                found.append(state.outcome)
            for lst in (state.contacts, state.activities):
                if lst is not None:
                    found.extend(lst.outcomes[i] for i in sorted(lst.outcomes))
        return found

    def _reject(self, row: Row, problems: list[Diagnostic]) -> None:
        self.rejected.extend(problems)
        self.rejected_rows.append(row)

    def _touch(self, state: _Customer) -> None:
        """``state`` is about to change: kept as it is, for a row that is rejected. Its lists are
        copied shallowly: a row changes a copy of an item and replaces outcomes, never in place
        (a deep copy each row would make a customer of 5,000 activities take minutes)."""
        if state.id not in self._before:
            self._before[state.id] = _kept(state)
        if state.id not in self.repo.order:
            self.repo.order.append(state.id)

    # -- which customer --------------------------------------------------------------------------

    def _find_customer(self, row: int, given: dict[str, Any], key: str) -> _Customer | None:
        """The customer a row names by id or name (``key``: the field holding it)."""
        from crmctl.ids import is_valid_id

        written = given.get(key)
        if written is None:
            return None
        if key == "id" and not is_valid_id(written):
            raise _Rejected([self.rows.at(row, key, (f"`{written}` is not a valid id", f"`{written}` 不是有效的标识"),
                                          ("ids are lowercase letters, digits and single hyphens, e.g. bj-huanwei",
                                           "标识由小写字母、数字和单个连字符组成，例如 bj-huanwei"))])
        if written in self.repo.customers:
            return self.repo.customers[written]
        if key == "id":
            return None
        ids = self.repo.names.get(values.folded(written), [])
        if len(ids) > 1:
            raise _Rejected([self.rows.at(row, key, (f"{len(ids)} customers are named {written}: {', '.join(ids)}",
                                                     f"有 {len(ids)} 个客户名为 {written}：{'、'.join(ids)}"),
                                          ("name the customer by its id", "请用客户标识指明"))])
        return self.repo.customers[ids[0]] if ids else None

    def _owning_customer(self, row: int, given: dict[str, Any]) -> _Customer:
        state = self._find_customer(row, given, "customer")
        written = given.get("customer")
        if state is None:
            names = sorted({n for n in self.repo.names} | set(self.repo.customers))
            raise _Rejected([self.rows.at(row, "customer", (
                f"no customer `{written}` in the repository" + self.m.did_you_mean(values.folded(written or ""), names),
                f"仓库中没有客户 `{written}`" + self.m.did_you_mean(values.folded(written or ""), names)),
                ("write the customer's id or full name, or import the customers first: crmctl import customers FILE",
                 "请填写客户标识或全称，或先导入客户：crmctl import customers 文件"))])
        if state.problems:
            raise self._file_broken(row, "customer", state.problems)
        return state

    def _file_broken(self, row: int, key: str, problems: list[Diagnostic]) -> _Rejected:
        first = problems[0]
        return _Rejected([self.rows.at(row, key, (
            f"{first.location()} has problems ({first.message}); crmctl changes no file check rejects",
            f"{first.location()} 有问题（{first.message}）；crmctl 不修改 check 不通过的文件"),
            ("run crmctl check, fix the file, then import again", "请运行 crmctl check 修正该文件后再导入"))])

    # -- customers -------------------------------------------------------------------------------

    def _customer_row(self, row: int, given: dict[str, Any]) -> None:
        from crmctl.ids import slugify, unique_id

        state = self._find_customer(row, given, "id") if "id" in given else None
        if state is None:
            state = self._find_customer(row, given, "name")
        if state is None:
            if "name" in self.unreadable:
                raise _Rejected([])  # its cell's problem is said
            if "name" not in given:
                raise _Rejected([self.rows.at(row, "name", ("no customer name", "没有客户名称"),
                                              ("fill in the customer's full name", "请填写客户全称"))])
            # the id from the short name when there is one: 石家庄城管 → shi-jia-zhuang-cheng-guan
            base_id = given.get("id") or slugify(given.get("short_name") or "") or slugify(given["name"])
            if not base_id:  # a name of no letters pinyin or Latin can spell (Ελλάδα ΑΕ, ☆☆)
                raise _Rejected([self.rows.at(row, "name", (
                    f"no id can be made from `{given['name']}`", f"无法由 `{given['name']}` 生成客户标识"),
                    ("add an id column (标识) with an id such as athens-trading",
                     "请增加「标识」列，填写如 athens-trading 的标识"))])
            cid = given.get("id") or unique_id(base_id, self.repo.customers)
            # sold direct unless the sheet says otherwise, as crmctl new customer has it
            state = _Customer(cid, False, {"channel": "direct"} if "channel" not in given else {})
            self._before[cid] = None  # new in this row
            self.repo.customers[cid] = state
        elif state.problems:
            raise self._file_broken(row, "name", state.problems)
        name = state.data.get("name")
        if "name" in given and isinstance(name, str) and values.folded(given["name"]) != values.folded(name) \
                and values.folded(given["name"]) == values.folded(str(state.data.get("short_name", ""))):
            given = {k: v for k, v in given.items() if k != "name"}  # named by its short name: that is no new name
        self._touch(state)
        changed = self._apply(row, state, given, _CUSTOMER_STORED, (), state.data, "customer")
        self._validate_customer(row, state)
        self.repo._index(state)
        name = state.data.get("name", state.id)
        if state.outcome is None:
            state.outcome = Outcome("create" if not state.exists else "update" if changed else "unchanged",
                                    "customer", state.id, name, [row], sorted(changed) if state.exists else [])
        else:
            state.outcome.rows.append(row)
            if state.exists and changed:
                state.outcome.action = "update"
                state.outcome.fields = sorted(set(state.outcome.fields) | set(changed))
        contact = {key.removeprefix("contact."): value for key, value in given.items() if key.startswith("contact.")}
        if contact:
            self._contact(row, state, contact, prefix="contact.")

    def _apply(self, row: int, state: _Customer, given: dict[str, Any], stored: tuple[str, ...],
               base: tuple[Any, ...], data: dict[str, Any], what: str, prefix: str = "") -> list[str]:
        """The row's values set in ``data`` (planned in ``state.changes`` at ``base`` + the field's
        path), those that differ from what is there; a value another row of the sheet set differently
        rejects the row. Returns the fields changed."""
        changed = []
        for key in stored:
            if key not in given:
                continue
            value = given[key]
            if key in ("owner", "by"):
                self._our(row, key, value)
            earlier = state.set_by.get((base, key))
            if earlier is not None and earlier[0] != row and not self._same(key, earlier[1], value):
                # another row of the sheet gave this record this field otherwise: which one is meant?
                column = prefix + key
                self._note(self.rows.at(row, column, (
                    f"row {earlier[0]} of the sheet gives this {what} `{values.shown(earlier[1])}`",
                    f"表中第 {earlier[0]} 行给此{self.m.pick(what, _WHAT_ZH[what])}的值为 `{values.shown(earlier[1])}`"),
                    ("make the rows agree, or leave the cell empty", "请使各行一致，或留空此单元格")), column)
                continue
            state.set_by.setdefault((base, key), (row, value))
            path = tuple(key.split("."))
            current = _get(data, path)
            if self._same(key, current, value):
                continue
            if key == "fleet_size" and current is None and value == _fleet_total(data):
                continue  # the total of the vehicles listed, as crmctl list shows it: nothing new
            _put(data, path, value)
            state.changes[base + path] = value
            changed.append(key)
        return changed

    def _validate_customer(self, row: int, state: _Customer) -> None:
        """The customer as check reads it: the model, and the rules between its fields (as
        crmctl.checking.rules has them), all their problems at once."""
        from crmctl.files.validate import field_problems
        from crmctl.models.customer import KINDS_BY_CATEGORY, Customer

        _, problems = field_problems(Customer, state.data, self.m)
        found = self._placed_all(row, problems, new=not state.exists)
        data = state.data
        allowed = KINDS_BY_CATEGORY.get(data.get("category"), ())
        kind = data.get("kind")
        if data.get("category") in KINDS_BY_CATEGORY and "category" not in self.unreadable:
            if allowed and kind not in allowed:
                found.append(self.rows.at(row, "kind" if self.rows.layout.of("kind") else "category", (
                    f"a {data['category']} customer needs a kind: {', '.join(allowed)}",
                    f"{_label('category', data['category'])}需要单位类型："
                    f"{'、'.join(_label('kind', k) for k in allowed)}"),
                    ("add a 单位类型 column, or write the kind in 客户类型 (e.g. 事业单位)",
                     "请增加「单位类型」列，或在「客户类型」中直接写单位类型（如 事业单位）")))
            if not allowed and kind:
                found.append(self.rows.at(row, "kind", ("enterprises have a size, not a kind",
                                                        "企业客户有规模，没有单位类型"),
                                          ("leave the kind empty", "请清空单位类型")))
            if data.get("size") and data["category"] != "enterprise":
                found.append(self.rows.at(row, "size", ("only enterprises have a size", "只有企业客户有规模"),
                                          ("leave the size empty", "请清空规模")))
        if data.get("channel") == "dealer" and not data.get("dealer"):
            found.append(self.rows.at(row, "channel", ("a customer worked through a dealer names the dealer",
                                                       "分销客户须写明经销商"),
                                      ("add a 经销商 column", "请增加「经销商」列")))
        if found:
            raise _Rejected(found)

    def _placed_all(self, row: int, problems: list[tuple[tuple[Any, ...], Diagnostic]], *, new: bool
                    ) -> list[Diagnostic]:
        """The model's problems at their cells, but for fields whose cell was already found wrong
        (an unreadable owner is not also a missing one)."""
        placed = []
        for loc, problem in problems:
            key = ".".join(str(step) for step in loc if not isinstance(step, int))
            if not ({key, f"contact.{key}"} & self.unreadable):
                placed.append(self._placed(row, loc, problem, new=new))
        return placed

    def _placed(self, row: int, loc: tuple[Any, ...], problem: Diagnostic, *, new: bool) -> Diagnostic:
        """A model's problem with an imported value, at the cell it came from (the row, when no
        column gives that field)."""
        key = ".".join(str(step) for step in loc if not isinstance(step, int))
        column = self.rows.layout.of(key) or self.rows.layout.of(f"contact.{key}")
        if column is None and key in ("kind", "size"):
            column = self.rows.layout.of("kind_or_size")
        if loc and problem.code == "schema-missing-key":
            label = self.rows.fields.get(key)
            header = self.m.pick(*label.label) if label else key
            fix = (("fill in the cell", "请填写该单元格") if column is not None else
                   (f"add a {header} column and fill it in, or give it in a mapping file (--map): defaults: {{{key}: …}}",
                    f"请增加「{header}」列并填写，或在映射文件（--map）中给出：defaults: {{{key}: …}}"))
            return self.rows.problem(row, column, (
                f"no value for {header} (`{key}`)" + (", which a new record needs" if new else ""),
                f"没有{header}（`{key}`）的值" + ("，新建记录需要此项" if new else "")), fix)
        return self.rows.problem(row, column, (problem.message, problem.message), (problem.hint, problem.hint))

    # -- contacts --------------------------------------------------------------------------------

    def _contact_row(self, row: int, given: dict[str, Any]) -> None:
        state = self._owning_customer(row, given)
        self._touch(state)
        self._contact(row, state, {k: v for k, v in given.items() if k != "customer"}, prefix="")

    def _contact(self, row: int, state: _Customer, given: dict[str, Any], *, prefix: str) -> None:
        from crmctl.ids import is_valid_id, person_slug, unique_id

        contacts = self._contacts_of(state)
        if contacts.problems:
            raise self._file_broken(row, prefix + "name", contacts.problems)
        name = given.get("name")
        if name is None and "id" not in given:
            raise _Rejected([self.rows.at(row, prefix + "name", ("no contact name", "没有联系人姓名"),
                                          ("fill in the person's name, or leave the contact's cells empty",
                                           "请填写联系人姓名，或清空该联系人的各列"))])
        ident = given.get("id")
        if ident is not None and not is_valid_id(ident):
            raise _Rejected([self.rows.at(row, "id", (f"`{ident}` is not a valid id", f"`{ident}` 不是有效的标识"),
                                          ("ids are lowercase letters, digits and single hyphens, e.g. li-jian",
                                           "标识由小写字母、数字和单个连字符组成，例如 li-jian"))])
        index = contacts.by_id.get(ident) if ident is not None else None
        if index is None and ident is None:
            named = list(contacts.by_name.get(values.folded(name), ()))
            if len(named) > 1:
                ids = self.m.pick(", ", "、").join(str(contacts.items[i].get("id")) for i in named)
                raise _Rejected([self.rows.at(row, prefix + "name", (
                    f"{state.id} has {len(named)} contacts named {name} ({ids})",
                    f"{state.id} 有 {len(named)} 位联系人名为 {name}（{ids}）"),
                    ("add an id column naming the one you mean", "请增加「标识」列指明是哪一位"))])
            index = named[0] if named else None
        if "reports_to" in given:
            given = {**given, "reports_to": self._superior(row, state, given["reports_to"], prefix)}
        if index is None:
            cid = ident or unique_id(person_slug(name), contacts.by_id)
            if not cid:  # a name of no letters pinyin or Latin can spell (Ελλάδα, ☆☆)
                raise _Rejected([self.rows.at(row, prefix + "name", (
                    f"no id can be made from `{name}`", f"无法由 `{name}` 生成标识"),
                    ("add an id column (标识) with an id such as li-si", "请增加「标识」列，填写如 li-si 的标识"))])
            item = {"id": cid, "name": name}
            contacts.items.append(item)
            index = len(contacts.items) - 1
            contacts.added.append(index)
            contacts.add_contact(index, item)
            fresh = True
        else:
            fresh = False
            # changed in a copy: the row may yet be rejected, and the list is only copied shallowly
            item = contacts.items[index] = copy.deepcopy(contacts.items[index])
        appended = index in contacts.added  # by this sheet: written whole, with all its rows' values
        base = ("contacts", index)
        stored = [k for k in _CONTACT_STORED if not (k == "name" and fresh)]
        changed = self._apply(row, state, given, tuple(stored), base, item, "contact", prefix)
        if fresh:
            item.setdefault("attitude", "unknown")
        for path in [p for p in state.changes if p[:2] == base]:
            value = state.changes.pop(path)
            if not appended:
                contacts.changes[path] = value
        if "name" in changed:  # found by its id, it now goes by another name
            contacts.by_name, contacts.by_id = {}, {}
            contacts.index_contacts()
        if "reports_to" in given and self._reports_in_circle(contacts, item):
            raise _Rejected([self.rows.at(row, prefix + "reports_to", (
                f"{item.get('name')} would be their own superior's superior (a circle of reports_to)",
                f"{item.get('name')} 将成为其上级的上级（上级关系成环）"),
                ("correct the superior", "请更正上级"))])
        self._validate_item(row, "crmctl.models.contacts:Contact", item, prefix)
        _record(contacts.outcomes, index, "create" if fresh else "update" if changed else "unchanged", "contact",
                 state.id, item.get("name", item.get("id")), row, changed)

    @staticmethod
    def _reports_in_circle(contacts: _ListFile, item: dict[str, Any]) -> bool:
        seen, boss = {item.get("id")}, item.get("reports_to")
        while boss is not None and boss in contacts.by_id:
            if boss in seen:
                return True
            seen.add(boss)
            boss = contacts.items[contacts.by_id[boss]].get("reports_to")
        return False

    def _superior(self, row: int, state: _Customer, written: str, prefix: str) -> str:
        """reports_to as a contact id: the superior named by id or name among the customer's contacts."""
        return self._contact_id(row, state, written, prefix + "reports_to", (
            "write the superior's contact id or name; add the superior first (a row of their own)",
            "请填写上级的联系人标识或姓名；上级须先有记录（单独一行）"))

    def _contact_id(self, row: int, state: _Customer, who: str, column: str, fix: tuple[str, str]) -> str:
        """The id of the one contact of the customer ``who`` names, by id or name; else the row's
        problem at ``column``."""
        contacts = self._contacts_of(state)
        named = [contacts.items[i].get("id") for i in contacts.named(who)]
        if len(named) == 1:
            return named[0]
        problem = (f"{len(named)} contacts are named {who}", f"有 {len(named)} 位联系人名为 {who}") if named else \
            (f"`{who}` is not a contact of {state.id}", f"`{who}` 不是 {state.id} 的联系人")
        raise _Rejected([self.rows.at(row, column, problem, fix)])

    def _validate_item(self, row: int, model_ref: str, item: dict[str, Any], prefix: str) -> None:
        from crmctl.files.layout import import_model
        from crmctl.files.validate import field_problems

        _, problems = field_problems(import_model(model_ref), item, self.m)
        if problems:
            raise _Rejected(self._placed_all(row, problems, new=False))

    # -- activities ------------------------------------------------------------------------------

    def _activity_row(self, row: int, given: dict[str, Any]) -> None:
        state = self._owning_customer(row, given)
        self._touch(state)
        self._contacts_of(state)
        if state.activities is None:
            state.activities = self.repo.list_file(state, layout.ACTIVITIES, "activities")
            for index, logged in enumerate(state.activities.items):
                key = _activity_key(logged)
                state.activities.by_day[key] = (*state.activities.by_day.get(key, ()), index)
        log = state.activities
        if log.problems:
            raise self._file_broken(row, "summary", log.problems)
        item: dict[str, Any] = {key: given[key] for key in _ACTIVITY_STORED if key in given}
        if "by" in item:
            self._our(row, "by", item["by"])
        if "contacts" in item:
            if state.contacts.problems:
                raise self._file_broken(row, "contacts", state.contacts.problems)
            item["contacts"] = list(dict.fromkeys(self._contact_named(row, state, who) for who in item["contacts"]))
        if "project" in item:
            item["project"] = self._project_named(row, state, item["project"])
        if isinstance(item.get("next_date"), dt.date) and isinstance(item.get("date"), dt.date) \
                and item["next_date"] < item["date"]:
            self._note(self.rows.at(row, "next_date", (f"the next step's date {item['next_date']} is before the "
                                                      f"activity's, {item['date']}", f"下一步日期 {item['next_date']} "
                                                      f"早于活动日期 {item['date']}"),
                                    ("correct one of the two dates", "请更正其中一个日期")), "next_date")
            raise _Rejected([])
        self._validate_item(row, "crmctl.models.activities:Activity", item, "")
        same = next((i for i in log.by_day.get(_activity_key(item), ()) if self._same_activity(log.items[i], item)),
                    None)
        if same is None:
            log.items.append(item)
            log.added.append(len(log.items) - 1)
            key = _activity_key(item)
            log.by_day[key] = (*log.by_day.get(key, ()), len(log.items) - 1)
            _record(log.outcomes, len(log.items) - 1, "create", "activity", state.id, item["summary"], row, [])
            return
        # logged already: the fields the sheet adds (a next step, who was there) are its update
        appended = same in log.added
        found = log.items[same] = copy.deepcopy(log.items[same])
        base = ("activities", same)
        changed = self._apply(row, state, item, ("contacts", "project", "next_step", "next_date"), base, found,
                              "activity")
        for path in [p for p in state.changes if p[:2] == base]:
            value = state.changes.pop(path)
            if not appended:
                log.changes[path] = value
        self._validate_item(row, "crmctl.models.activities:Activity", found, "")
        _record(log.outcomes, same, "update" if changed and not appended else "unchanged" if not appended
                else "create", "activity", state.id, found["summary"], row, changed)

    def _same_activity(self, a: dict[str, Any], b: dict[str, Any]) -> bool:
        """One activity twice: the same day, kind, person (by id or name) and summary (the log has no ids)."""
        return all(_stored(a.get(key)) == _stored(b.get(key)) for key in ("date", "kind")) and \
            self._same("by", a.get("by"), b.get("by")) and isinstance(a.get("summary"), str) and \
            values.folded(a["summary"]) == values.folded(b.get("summary", ""))

    def _contacts_of(self, state: _Customer) -> _ListFile:
        """The customer's contacts.yaml as the import plans it, indexed."""
        if state.contacts is None:
            state.contacts = self.repo.list_file(state, layout.CONTACTS, "contacts")
            state.contacts.index_contacts()
        return state.contacts

    def _contact_named(self, row: int, state: _Customer, who: str) -> str:
        return self._contact_id(row, state, who, "contacts", (
            f"write contact ids or names, separated by 、; add the person first: crmctl import contacts, or crmctl new "
            f"contact {state.id} NAME", f"请填写联系人标识或姓名，用「、」分隔；须先有此人：crmctl import contacts，或 "
            f"crmctl new contact {state.id} 姓名"))

    def _project_named(self, row: int, state: _Customer, written: str) -> str:
        projects = self.repo.project_names(state)
        if written in projects:
            return written
        named = [pid for pid, name in projects.items() if isinstance(name, str) and values.folded(name) == values.folded(written)]
        if len(named) == 1:
            return named[0]
        raise _Rejected([self.rows.at(row, "project", (f"`{written}` is not a project of {state.id}",
                                                       f"`{written}` 不是 {state.id} 的项目"),
                                      (f"its projects: {', '.join(sorted(projects)) or 'none'}",
                                       f"其项目：{'、'.join(sorted(projects)) or '无'}"))])


_WHAT_ZH = {"customer": "客户", "contact": "联系人", "activity": "活动"}


def _record(outcomes: dict[int, Outcome], index: int, action: str, what: str, customer: str, name: str, row: int,
            changed: list[str]) -> None:
    """What became of the record ``index`` of a list, as of ``row`` (a record several rows name is
    one outcome). Replaced, never changed in place: the row may yet be rejected."""
    before = outcomes.get(index)
    if before is None:
        outcomes[index] = Outcome(action, what, customer, name, [row], [] if action == "create" else sorted(changed))
        return
    now = "update" if changed and before.action == "unchanged" else before.action
    outcomes[index] = Outcome(now, what, customer, name, [*before.rows, row],
                              sorted(set(before.fields) | set(changed)) if now == "update" else [])
# what a record holds when its file does not say (the models' defaults), as the sheets may say it
_DEFAULTS: dict[str, Any] = {"business.cross_regional": False, "attitude": "unknown", "tags": []}



def _label(vocab: str, value: str) -> str:
    return values.VOCABULARIES[vocab].get(value, (value, value))[1]


def _activity_key(item: dict[str, Any]) -> tuple[Any, ...]:
    """What two records of one activity share whoever wrote them: the day, the kind, the summary."""
    summary = item.get("summary")
    return (_stored(item.get("date")), item.get("kind"), values.folded(summary) if isinstance(summary, str) else None)


def _fleet_total(data: dict[str, Any]) -> int | None:
    """The sum of current_fleet's quantities (each 1 when not given), as Customer.total_fleet has it."""
    fleet = data.get("current_fleet")
    if not isinstance(fleet, list) or not fleet:
        return None
    quantities = [entry.get("quantity", 1) if isinstance(entry, dict) else None for entry in fleet]
    return sum(quantities) if all(isinstance(q, int) for q in quantities) else None





# -- the files written -------------------------------------------------------------------------

def _texts(repo: _Repository, messages: Messages) -> tuple[dict[str, dict[str, str]], dict[str, tuple[str, Any]]]:
    """The import's files: new customer folders (folder -> file name -> text) and changed or new
    files (rel -> (text, the file as read)). Each is checked as ``check`` reads it first."""
    from crmctl.files import newfiles
    from crmctl.files.edit import extend_list, set_values
    from crmctl.files.scaffold import _check_file, _in_repository_language
    from crmctl.models.customer import Customer

    said = _in_repository_language(repo.root)
    folders: dict[str, dict[str, str]] = {}
    files: dict[str, tuple[str, Any]] = {}
    for cid in repo.order:
        state = repo.customers[cid]
        texts: dict[layout.FileKind, tuple[str, Any]] = {}
        if not state.exists:
            model = Customer.model_validate(state.data)
            text = newfiles.customer_file(model, layout.CUSTOMER.schema_reference(), said)
            written = {("name",), ("short_name",), ("category",), ("kind",), ("size",), ("market",), ("tier",),
                       ("channel",), ("dealer",), ("owner",), ("region",), ("since",), ("fleet_size",),
                       ("business", "cross_regional")}  # what customer_file writes from the model
            rest = [(p, v) for p, v in state.changes.items() if p not in written]
            rel = f"{layout.customer_dir(cid)}/{layout.CUSTOMER.filename}"
            texts[layout.CUSTOMER] = (_fill_placeholders(text, rest, messages, rel), None)
        elif state.changes:
            texts[layout.CUSTOMER] = (set_values(state.current.text, list(state.changes.items()), messages,
                                                 rel=f"{layout.customer_dir(cid)}/{layout.CUSTOMER.filename}",
                                                 newline=state.current.newline), state.current)
        for kind, key, lst in ((layout.CONTACTS, "contacts", state.contacts),
                               (layout.ACTIVITIES, "activities", state.activities)):
            if lst is None or not (lst.added or lst.changes):
                continue
            current = lst.current
            if current is not None:
                text, newline = current.text, current.newline
            else:
                text = newfiles.contacts_file(cid, kind.schema_reference(), said) if key == "contacts" else \
                    newfiles.activities_file(kind.schema_reference(), said)
                newline = "\n"
            if lst.changes:
                text = set_values(text, list(lst.changes.items()), messages, rel=lst.rel, newline=newline)
            if lst.added:
                text = extend_list(text, key, [lst.items[i] for i in lst.added], messages, rel=lst.rel, newline=newline)
            texts[kind] = (text, current)
        if not state.exists:
            for kind in (layout.CONTACTS, layout.ACTIVITIES):
                texts.setdefault(kind, (newfiles.contacts_file(cid, kind.schema_reference(), said)
                                        if kind is layout.CONTACTS else
                                        newfiles.activities_file(kind.schema_reference(), said), None))
        for kind, (text, _) in texts.items():
            _check_file(text, kind, f"{layout.customer_dir(cid)}/{kind.filename}", messages)
        if not state.exists:
            folders[layout.customer_dir(cid)] = {kind.filename: text for kind, (text, _) in texts.items()}
        else:
            for kind, (text, current) in texts.items():
                files[f"{layout.customer_dir(cid)}/{kind.filename}"] = (text, current)
    return folders, files


def _fill_placeholders(text: str, changes: list[tuple[tuple[Any, ...], Any]], messages: Messages, rel: str) -> str:
    """A new customer.yaml with the sheet's further values: each where the file shows its key as a
    comment (``# address:``), else at the end of its mapping; read back to hold exactly them."""
    import re

    from crmctl.files.edit import as_written, dump_block, set_values
    from crmctl.files.yamlio import parse_yaml

    left = []
    for path, value in changes:
        indent = " " * (2 * (len(path) - 1))
        placeholder = re.compile(rf"^{indent}# {re.escape(str(path[-1]))}:[^\n]*\n", re.MULTILINE)
        found = placeholder.search(text)
        if found is None:
            left.append((path, value))
            continue
        text = text[:found.start()] + dump_block({path[-1]: value}, indent=len(indent), flow_leaves=True) + \
            text[found.end():]
    # a key the file does not show goes at its end, after the commented example of current_fleet
    # (inserted after the last value, it would come between that example and the key it belongs to)
    top = {path[0]: as_written(value) for path, value in left if len(path) == 1}
    if top:
        text += "\n" + dump_block(top, flow_leaves=True)
    left = [(path, value) for path, value in left if len(path) > 1]
    before = parse_yaml(text, rel, messages).data
    text = set_values(text, left, messages, rel=rel) if left else text
    expected = copy.deepcopy(before)
    for path, value in left:
        _put(expected, path, _stored(value))
    if parse_yaml(text, rel, messages).data != expected or any(
            _stored(_get(expected, path)) != _stored(value) for path, value in changes):  # a bug: not written
        raise AssertionError(f"{rel}: the imported values did not read back")
    return text


def import_table(root: Path, messages: Messages, kind: ImportKind, source: Path, shown: str, *,
                 sheet: str | None = None, mapping_file: Path | None = None, mapping_shown: str = "",
                 dry_run: bool = False, skip_invalid: bool = False,
                 before_writing: Callable[[ImportResult], None] | None = None) -> ImportResult:
    """Import ``source`` (``shown``: how messages name it) into the repository at ``root``.
    With ``dry_run`` nothing is written; otherwise nothing is written when a row is rejected,
    unless ``skip_invalid``. ``before_writing(result)`` runs once every row is judged and before
    the repository is written (the rejected rows go to their file first: if that fails, nothing
    is written)."""
    m = messages
    mapping = load_mapping(mapping_file, mapping_shown or str(mapping_file), kind, m) if mapping_file else None
    from crmctl.exchange.sheets import EXCEL_SUFFIXES

    # the mapping's sheet is a workbook's (the rejected rows of that sheet come as CSV, with the same map)
    in_book = source.suffix.lower() in EXCEL_SUFFIXES
    table = read_table(source, shown, m, sheet=sheet if sheet is not None else (
        mapping.sheet if mapping is not None and in_book else None))
    table_layout = find_layout(table, kind, mapping, m)
    table = table.with_merges_below(table_layout.header_row)
    if mapping is None:  # a mapping says what the columns are: then they are
        refuse_other_kind(table, table_layout, kind, m)
    defaults = mapping.read_defaults if mapping is not None else {}
    _require_columns(table, table_layout, kind, defaults, m)
    rows = _Rows(kind, table, table_layout, defaults, m)
    if dry_run:
        planner = _Planner(_Repository(root, m, _read_plain(root, m)), rows, m)
        planner.run(table.rows)
        _texts(planner.repo, m)  # what would be written is checked as it would be
        return ImportResult(kind, table, table_layout, planner.outcomes, planner.rejected, planner.rejected_rows)
    with storage.writing(root, m) as writer:
        planner = _Planner(_Repository(root, m, writer.read), rows, m)
        planner.run(table.rows)
        result = ImportResult(kind, table, table_layout, planner.outcomes, planner.rejected, planner.rejected_rows)
        if planner.rejected and not skip_invalid:
            return result
        folders, files = _texts(planner.repo, m)
        if before_writing is not None:
            before_writing(result)
        try:
            for folder, texts in folders.items():
                try:
                    writer.create_folder(folder, texts)
                except FileExistsError:
                    raise UserError(m.pick(f"{folder} appeared while importing", f"导入过程中出现了 {folder}"),
                                    m.pick("run the import again", "请重新运行导入")) from None
                result.written.extend(f"{folder}/{name}" for name in texts)
            for rel, (text, current) in files.items():
                if current is None:
                    writer.create(rel, text)
                else:
                    writer.replace(rel, text, like=current)
                result.written.append(rel)
        except UserError as exc:
            if not result.written:
                raise
            # each file is whole, but the import is not: say how far it got, and that a second run finishes it
            total = sum(len(texts) for texts in folders.values()) + len(files)
            raise UserError(m.pick(f"the import stopped after writing {len(result.written)} of {total} files: "
                                   f"{exc.message}", f"导入在写入 {total} 个文件中的 {len(result.written)} 个后中止："
                                   f"{exc.message}"),
                            m.pick("put that right and run the same import again: it writes what is missing and "
                                   "doubles nothing", "请排除该问题后再次运行同一导入：它会补写缺少的部分，不会重复"),
                            exc.details) from None
    return result


def _require_columns(table: Table, table_layout: Layout, kind: ImportKind, defaults: dict[str, Any],
                     m: Messages) -> None:
    from crmctl.exchange.columns import where

    for keys in _REQUIRED[kind]:
        if any(table_layout.of(k) or k in defaults for k in keys):
            continue
        labels = [m.pick(*FIELDS[kind][k].label) for k in keys]
        headers = m.pick(", ", "、").join(c.header for c in table_layout.columns)
        raise UserError(m.pick(f"{where(table, m)}: no column for {' or '.join(labels)} (row {table_layout.header_row}"
                               f" has: {headers})", f"{where(table, m)}：没有「{'」或「'.join(labels)}」列（第 "
                               f"{table_layout.header_row} 行为：{headers}）"),
                        m.pick(f"name the column {labels[0]}, or map it in a mapping file (--map): columns: {{HEADER: "
                               f"{keys[0]}}}", f"请将该列命名为「{labels[0]}」，或在映射文件（--map）中指明：columns: "
                               f"{{表头: {keys[0]}}}"))


# -- what is said of it ------------------------------------------------------------------------

_ACTIONS = {"create": ("create", "新建"), "update": ("update", "更新"), "unchanged": ("unchanged", "不变")}
_RECORDS = {"customer": ("customer", "客户"), "contact": ("contact", "联系人"), "activity": ("activity", "活动")}


def import_table_rows(result: ImportResult, messages: Messages) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """One line a record: the rows it came from, what became of it, which fields changed."""
    p = messages.pick
    fields = FIELDS[result.kind]

    def label(key: str) -> str:
        found = fields.get(key) or fields.get(f"contact.{key}")
        return p(*found.label) if found else key

    columns = [("rows", p("rows", "行")), ("action", p("action", "操作")), ("record", p("record", "记录")),
               ("customer", p("customer", "客户")), ("name", p("name", "名称")), ("fields", p("fields", "字段"))]
    rows = [{"rows": ", ".join(str(r) for r in o.rows), "action": p(*_ACTIONS[o.action]),
             "record": p(*_RECORDS[o.what]), "customer": o.customer,
             "name": o.name if len(o.name) <= 40 else o.name[:39] + "…", "fields": p(", ", "、").join(label(f) for f in o.fields)}
            for o in result.outcomes]
    return columns, rows


def import_summary(result: ImportResult, messages: Messages, *, dry_run: bool,
                   rejected_file: str | None) -> dict[str, Any]:
    """The import for a script (JSON), with ``said``: the lines a person reads on stderr."""
    from crmctl.escaping import visible
    from crmctl.exchange.columns import where

    m = messages
    counts = {action: sum(o.action == action for o in result.outcomes) for action in _ACTIONS}
    counts["rejected_rows"] = len(result.rejected_rows)
    ignored = [c.header for c in result.layout.columns if c.field is None]
    table = visible(where(result.table, m))  # a file named with a line break stays on its line
    said = [m.pick(f"read {table}: headers in row {result.layout.header_row}",
                   f"读取 {table}：表头在第 {result.layout.header_row} 行")
            + (m.pick(f", text in {result.table.encoding}", f"，文本编码 {result.table.encoding}")
               if result.table.encoding else "")
            + (m.pick(f"; columns not imported: {', '.join(ignored)}", f"；未导入的列：{'、'.join(ignored)}")
               if ignored else "")]
    written = bool(result.written) or (not dry_run and not result.rejected)
    made, changed = ("created", "updated") if written else ("to create", "to update")
    tally = m.pick(f"{counts['create']} {made}, {counts['update']} {changed}, {counts['unchanged']} unchanged, "
                   f"{counts['rejected_rows']} rows rejected",
                   f"新建 {counts['create']}，更新 {counts['update']}，不变 {counts['unchanged']}，"
                   f"拒绝 {counts['rejected_rows']} 行")
    if dry_run:
        said.append(m.pick(f"dry run, nothing written: {tally}", f"试运行，未写入任何文件：{tally}"))
    elif result.rejected and not result.written and rejected_file is None:
        said.append(m.pick(f"nothing written: {tally}", f"未写入任何文件：{tally}"))
        said.append(m.pick("    correct the rows and import again, or import the others with --skip-invalid",
                           "    请更正这些行后重新导入，或用 --skip-invalid 只导入其余各行"))
    else:
        said.append(m.pick(f"imported: {tally}", f"已导入：{tally}"))
        if rejected_file:
            said.append(m.pick(f"the rejected rows are in {rejected_file}: correct them there and import that file",
                               f"被拒绝的行已写入 {rejected_file}：在其中更正后导入该文件"))
    return {"file": result.table.source, "sheet": result.table.sheet, "encoding": result.table.encoding,
            "header_row": result.layout.header_row, "dry_run": dry_run, "counts": counts,
            "records": [o.to_dict() for o in result.outcomes], "rejected": [d.to_dict() for d in result.rejected],
            "rejected_file": rejected_file, "written": result.written, "said": said}


def rejected_rows_csv(result: ImportResult, messages: Messages) -> str:
    """The rejected rows as the sheet had them (its header row first), each with its problems in a
    last column, as a CSV a spreadsheet opens in Chinese: corrected, it imports as it is (the
    problem column is not read)."""
    from crmctl.cli.output import to_csv

    header = next(r for r in result.table.rows if r.number == result.layout.header_row)
    width = max([len(header.cells), *(len(r.cells) for r in result.rejected_rows)])
    problem_key = f"c{width + 1}"
    columns = [f"c{i}" for i in range(1, width + 2)]
    headers = [values.shown(c) if c is not None else "" for c in header.cells] + [""] * (width - len(header.cells))
    headers.append(messages.pick("problem", "问题"))
    m = messages
    by_column = {c.number: c for c in result.layout.columns}
    by_row: dict[int, list[str]] = {}
    for d in result.rejected:
        # said of the cell by its column alone: the rows of this file are not the sheet's rows
        column = by_column.get(d.col)
        where = place(result.table, d.line, column, m)
        said = (column.header + m.pick(": ", "：") + d.message[len(where) + 1:].lstrip(": ：")) \
            if column and d.message.startswith(where) else d.message
        by_row.setdefault(d.line, []).append(said + (m.pick(f" ({d.hint})", f"（{d.hint}）") if d.hint else ""))
    rows = []
    for row in result.rejected_rows:
        cells = {f"c{i}": values.shown(v) if v is not None else "" for i, v in enumerate(row.cells, start=1)}
        cells[problem_key] = m.pick("; ", "；").join(by_row.get(row.number, []))
        rows.append(cells)
    return to_csv(rows, columns, headers, dialect="excel-csv", line_breaks=True)
