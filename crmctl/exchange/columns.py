"""Which column of a sheet is which field: the headers people write, in Chinese and English, for
each kind of import; a mapping file (``--map``) for the others; finding the header row below a
title.

A field is named by its place in the record: ``name``, ``business.address``; ``contact.phone``
is the contact a customer row names (one person a row, the usual customer list), ``customer``
the customer a contact or an activity row belongs to.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Literal

from pydantic import Field as ModelField

from crmctl.errors import UserError
from crmctl.exchange import values
from crmctl.exchange.sheets import Row, Table, column_letter
from crmctl.messages import Messages
from crmctl.models.common import Record, Text

ImportKind = Literal["customers", "contacts", "activities"]


@dataclass(frozen=True)
class Field:
    key: str
    read: Callable[[Any], Any]
    label: tuple[str, str]  # en, zh: how messages name the field
    headers: tuple[str, ...] = ()  # further headers people write for it (the labels count too)


def _fields(*fields: Field) -> dict[str, Field]:
    return {f.key: f for f in fields}


_text, _date, _count = values.text, values.date, values.count
_CONTACT = (
    Field("contact.name", _text, ("contact", "联系人"), ("联系人姓名", "联系人名称", "contact name", "contact person")),
    Field("contact.title", _text, ("title", "职务"), ("职位", "联系人职务", "岗位", "job title")),
    Field("contact.department", _text, ("department", "部门"), ("所在部门", "科室", "dept")),
    Field("contact.phone", values.phone, ("phone", "电话"), ("联系电话", "手机", "手机号", "手机号码", "电话号码",
                                                             "联系方式", "mobile", "tel", "telephone")),
    Field("contact.email", _text, ("email", "邮箱"), ("电子邮箱", "电子邮件", "e-mail", "mail")),
    Field("contact.wechat", _text, ("WeChat", "微信"), ("微信号",)),
)
CUSTOMER_FIELDS = _fields(
    Field("id", _text, ("id", "标识"), ("客户标识", "客户编号", "客户id", "customer id")),
    Field("name", _text, ("name", "客户名称"), ("名称", "客户全称", "客户", "单位名称", "单位", "公司名称", "customer",
                                                 "customer name")),
    Field("short_name", _text, ("short name", "简称"), ("客户简称", "short_name")),
    Field("category", values.choice("category"), ("category", "客户类型"), ("类别", "客户类别", "客户分类", "类型")),
    Field("kind", values.choice("kind"), ("kind", "单位类型"), ("子类", "单位性质类别")),
    Field("size", values.choice("size"), ("size", "企业规模"), ("规模",)),
    Field("kind_or_size", _text, ("kind/size", "类型/规模"), ()),  # crmctl list's own column
    Field("market", values.choice("market"), ("market", "市场"), ("市场类型", "所属市场")),
    Field("tier", values.choice("tier"), ("tier", "级别"), ("客户级别", "客户等级", "等级", "分级", "客户分级")),
    Field("channel", values.choice("channel"), ("channel", "渠道"), ("销售渠道", "销售方式")),
    Field("dealer", _text, ("dealer", "经销商"), ("经销商名称",)),
    Field("owner", _text, ("owner", "负责人"), ("客户经理", "业务员", "销售", "销售员", "区域经理", "跟进人")),
    Field("region", _text, ("region", "区域"), ("地区", "片区", "所属区域", "销售区域")),
    Field("since", _date, ("since", "建档日期"), ("建档时间", "建档", "录入日期")),
    Field("annual_purchase", _count, ("annual purchase", "年采购量"), ("年采购量(台)", "年需求量", "annual_purchase")),
    Field("importance", values.choice("importance"), ("importance", "重要性"), ("重要程度",)),
    Field("agreement_date", _date, ("agreement date", "合作协议日期"), ("协议日期", "协议签订日期", "agreement_date")),
    Field("fleet_size", _count, ("fleet size", "保有量"), ("车辆保有量", "保有车辆", "现有车辆", "fleet", "fleet_size")),
    Field("business.address", _text, ("address", "地址"), ("单位地址", "详细地址", "通讯地址")),
    Field("business.nature", _text, ("nature", "单位性质"), ("企业性质", "性质")),
    Field("business.main_business", _text, ("main business", "主营业务"), ("主营", "主要业务")),
    Field("business.industry_position", _text, ("industry position", "行业地位"), ()),
    Field("business.scope", _text, ("scope", "经营范围"), ("业务范围", "服务范围")),
    Field("business.cross_regional", values.yes_no, ("cross-regional", "跨区域经营"), ("跨区域", "cross regional")),
    Field("tags", values.words, ("tags", "标签"), ()),
    Field("notes", values.note, ("notes", "备注"), ("说明", "客户备注", "note")),
    *_CONTACT,
)
CONTACT_FIELDS = _fields(
    Field("customer", _text, ("customer", "客户"), ("客户名称", "客户全称", "所属客户", "单位", "单位名称", "公司",
                                                    "客户标识", "客户编号", "customer id")),
    Field("id", _text, ("id", "标识"), ("联系人标识", "联系人编号", "contact id")),
    Field("name", _text, ("name", "姓名"), ("联系人", "联系人姓名", "名字", "contact")),
    Field("title", _text, ("title", "职务"), ("职位", "岗位", "job title")),
    Field("department", _text, ("department", "部门"), ("所在部门", "科室", "dept")),
    Field("phone", values.phone, ("phone", "电话"), ("联系电话", "手机", "手机号", "手机号码", "电话号码", "联系方式",
                                                     "mobile", "tel")),
    Field("email", _text, ("email", "邮箱"), ("电子邮箱", "电子邮件", "e-mail")),
    Field("wechat", _text, ("WeChat", "微信"), ("微信号",)),
    Field("reports_to", _text, ("reports to", "上级"), ("直属上级", "汇报对象", "reports_to")),
    Field("level", values.choice("level"), ("level", "决策层级"), ("层级", "层次", "决策层次")),
    Field("function", values.choice("function"), ("function", "职能"), ("采购职能", "角色", "采购角色")),
    Field("influence", values.choice("influence"), ("influence", "影响力"), ()),
    Field("attitude", values.choice("attitude"), ("attitude", "态度"), ("对我方态度", "倾向")),
    Field("birthday", _date, ("birthday", "生日"), ("出生日期",)),
    Field("notes", values.note, ("notes", "备注"), ("说明", "note")),
)
ACTIVITY_FIELDS = _fields(
    Field("customer", _text, ("customer", "客户"), ("客户名称", "客户全称", "单位", "单位名称", "客户标识", "customer id")),
    Field("date", _date, ("date", "日期"), ("时间", "活动日期", "拜访日期", "拜访时间", "联系日期")),
    Field("kind", values.choice("activity_kind"), ("kind", "方式"), ("活动类型", "类型", "联系方式", "拜访方式", "形式")),
    Field("by", _text, ("by", "我方人员"), ("拜访人", "执行人", "跟进人", "业务员", "负责人", "销售")),
    Field("contacts", values.words, ("contacts", "联系人"), ("对方人员", "客户联系人", "拜访对象", "对接人")),
    Field("project", _text, ("project", "项目"), ("项目名称", "所属项目")),
    Field("summary", _text, ("summary", "内容"), ("活动内容", "拜访内容", "沟通内容", "事项", "摘要", "记录", "纪要")),
    Field("next_step", _text, ("next step", "下一步"), ("后续计划", "下一步计划", "下步工作", "next_step")),
    Field("next_date", _date, ("next date", "下次日期"), ("下次跟进日期", "下次联系日期", "计划日期", "next_date")),
)
FIELDS: dict[str, dict[str, Field]] = {"customers": CUSTOMER_FIELDS, "contacts": CONTACT_FIELDS,
                                       "activities": ACTIVITY_FIELDS}
# columns a sheet commonly has that hold nothing to import; recognised so they are not called unknown
IGNORED_HEADERS = ("序号", "编号", "no", "no.", "#", "行号", "问题", "problem", "problems")
IGNORE = "ignore"


def read_value(fields: dict[str, Field], key: str, raw: Any, given: dict[str, Any]) -> Any:
    """A cell (or a mapping's default) of the column ``key`` as stored; a kind where the category
    belongs, or crmctl list's kind/size column, also gives ``given`` its kind or size."""
    if key == "kind_or_size":  # crmctl list's column: a kind, or an enterprise's size
        try:
            given.setdefault("kind", values.choice("kind")(raw))
        except values.Unreadable:
            given.setdefault("size", values.choice("size")(raw))
        return None
    if key == "category":
        # a kind where the category belongs (事业单位, 个体): the category is the kind's
        from crmctl.models.customer import KINDS_BY_CATEGORY

        try:
            kind = values.choice("kind")(raw)
        except values.Unreadable:
            try:
                return fields[key].read(raw)
            except values.Unreadable:
                raise values.Unreadable(
                    ("not a customer category", "不是客户类型"),
                    ("use one of: government, enterprise, individual (or a kind: 政府机关, 事业单位, 团体协会, 个人, 个体)",
                     "可选：政府客户、企业客户、个人/个体客户（或单位类型：政府机关、事业单位、团体协会、个人、个体）")) from None
        given.setdefault("kind", kind)
        return next(c for c, kinds in KINDS_BY_CATEGORY.items() if kind in kinds)
    return fields[key].read(raw)


def header_key(header: Any) -> str:
    """A header as compared: folded, a trailing * (a required column) and a unit in brackets
    dropped (保有量（台） is 保有量)."""
    written = unicodedata.normalize("NFKC", str(header)).strip().rstrip("*").strip()
    written = re.sub(r"\s*\([^()]*\)\s*$", "", written)
    return values.folded(written)


def known_headers(kind: ImportKind) -> dict[str, str]:
    """Every header recognised for ``kind``: folded header -> field key."""
    known: dict[str, str] = {}
    for f in FIELDS[kind].values():
        for header in (f.key, f.key.rsplit(".", 1)[-1], *f.label, *f.headers):
            known.setdefault(header_key(header), f.key)
    return known


class Mapping(Record):
    """A ``--map`` file: how a sheet's columns are read when its headers are not the usual ones.
    ``read_defaults`` are the defaults as their columns' cells would be read (set on loading)."""

    read_defaults: dict[str, Any] = ModelField(default_factory=dict, exclude=True)

    sheet: Text | None = ModelField(None, description="the worksheet to read (as --sheet)")
    header_row: int | None = ModelField(None, ge=1, description="the row holding the headers (default: found)")
    columns: dict[str, str] = ModelField(default_factory=dict, description="header as written -> field, or ignore")
    defaults: dict[str, Any] = ModelField(default_factory=dict,
                                          description="field -> value for rows that leave it empty")


def load_mapping(path: Path, shown: str, kind: ImportKind, messages: Messages) -> Mapping:
    """The mapping file, its problems located in it (``path:line:col``) like any file crmctl reads."""
    from crmctl.files.validate import validate_document
    from crmctl.files.yamlio import locate, mark_of, read_yaml

    m = messages
    doc = read_yaml(path, shown, m)
    if doc.diagnostics and any(d.severity == "error" for d in doc.diagnostics):
        raise _unusable(shown, doc.diagnostics, m)
    mapping, problems = validate_document(Mapping, doc, m)
    fields = FIELDS[kind]
    if mapping is not None:
        for section, names in (("columns", mapping.columns.values()), ("defaults", mapping.defaults)):
            for name in names:
                if name not in fields and not (section == "columns" and name == IGNORE):
                    key = name if section == "defaults" else next(k for k, v in mapping.columns.items() if v == name)
                    node, _ = locate(doc.root, (section, key), want_key=section == "defaults")
                    line, col = mark_of(node)
                    choices = [*fields, *([IGNORE] if section == "columns" else [])]
                    problems.append(m.diagnostic(
                        "schema-value", shown, line, col, where=f"{section}.{key}",
                        problem=m.pick(f"`{name}` is not a field of {kind}", f"`{name}` 不是{_KIND_WORDS[kind]}的字段")
                        + m.did_you_mean(name, choices),
                        fix=m.pick(f"use one of: {', '.join(choices)}", f"可用：{'、'.join(choices)}")))
        for key, raw in mapping.defaults.items():
            if key not in fields or raw is None:
                continue  # an unknown field is said above; `key:` with no value is no default
            line, col = mark_of(locate(doc.root, ("defaults", key))[0])
            try:
                if isinstance(raw, dict) or (isinstance(raw, list) and any(isinstance(v, (dict, list)) for v in raw)):
                    raise values.Unreadable(("a mapping or nested list, not a value", "映射或嵌套列表，不是值"),
                                            ("write the value as a cell would hold it", "请按单元格的写法填写该值"))
                written = "、".join(str(v) for v in raw if v is not None) if isinstance(raw, list) else raw
                read_value(fields, key, written, {})  # as a cell of that column: its problem said here
                mapping.read_defaults[key] = written
            except values.Unreadable as exc:
                problems.append(m.diagnostic("schema-value", shown, line, col, where=f"defaults.{key}",
                                             problem=m.pick(*exc.problem), fix=m.pick(*exc.fix)))
    if problems or mapping is None:
        raise _unusable(shown, problems or doc.diagnostics, m)
    return mapping


def _unusable(shown: str, problems: list, m: Messages) -> UserError:
    return UserError(m.pick(f"the mapping file {shown} has problems:", f"映射文件 {shown} 有问题："),
                     m.pick("correct them and run the import again", "请更正后重新导入"),
                     tuple(f"{d.location()}: {d.code} {d.message}" for d in problems))


_KIND_WORDS = {"customers": "客户", "contacts": "联系人", "activities": "活动"}


@dataclass(frozen=True)
class Column:
    number: int  # 1-based
    header: str
    field: str | None  # None: not imported

    @property
    def letter(self) -> str:
        return column_letter(self.number)


@dataclass(frozen=True)
class Layout:
    """Where a sheet's records are: the header row, and each column's field."""

    header_row: int
    columns: tuple[Column, ...]

    def of(self, field: str) -> Column | None:
        return next((c for c in self.columns if c.field == field), None)


def find_layout(table: Table, kind: ImportKind, mapping: Mapping | None, messages: Messages) -> Layout:
    """The header row (the mapping's, else the first of the top 20 rows naming at least two fields,
    the one naming most if several do: a title row above it is skipped) and the columns' fields."""
    m = messages
    known = known_headers(kind)
    chosen = {header_key(h): f for h, f in (mapping.columns.items() if mapping else ())}

    def fields_of(row: Row) -> list[str | None]:
        out: list[str | None] = []
        for cell in row.cells:
            key = header_key(cell) if cell is not None and str(cell).strip() else ""
            # the mapping first: it may take a column crmctl would not (序号: id)
            field = chosen.get(key) or (None if key in IGNORED_HEADERS else known.get(key)) if key else None
            out.append(None if field == IGNORE else field)
        return out

    at = [row for row in table.rows if mapping is not None and row.number == mapping.header_row]
    if at and any(f is not None for f in fields_of(at[0])):
        header = at[0]
    elif mapping is not None and mapping.header_row is not None and table.sheet is not None:
        raise UserError(m.pick(f"header_row {mapping.header_row}: row {mapping.header_row} of {where(table, m)} "
                               "has none of the headers crmctl or the mapping knows",
                               f"header_row {mapping.header_row}：{where(table, m)}第 {mapping.header_row} 行"
                               "没有 crmctl 或映射文件认识的表头"),
                        m.pick("correct header_row, or leave it out for crmctl to find the headers",
                               "请更正 header_row，或删去它由 crmctl 查找表头"))
    else:  # found, as in a text file (the rejected rows of a sheet have their headers in row 1)
        scored = [(sum(f is not None for f in fields_of(row)), row) for row in table.rows[:20]]
        best = max((score for score, _ in scored), default=0)
        if best < (1 if chosen else 2):  # a mapping's own header is enough to know the row
            raise UserError(m.pick(f"{where(table, m)}: no row among the first 20 has two headers of {kind} crmctl "
                                   "knows", f"{where(table, m)}：前 20 行中没有一行含两个以上 crmctl 认识的"
                                   f"{_KIND_WORDS[kind]}表头"),
                            m.pick(f"headers crmctl knows: {', '.join(f.label[1] for f in FIELDS[kind].values())} "
                                   f"(or in English: {', '.join(f.label[0] for f in FIELDS[kind].values())}); name "
                                   "others in a mapping file (--map)",
                                   f"crmctl 认识的表头：{'、'.join(f.label[1] for f in FIELDS[kind].values())}"
                                   "；其他表头请在映射文件（--map）中指明"))
        header = next(row for score, row in scored if score == best)
    columns = []
    taken: dict[str, Column] = {}
    width = max((len(row.cells) for row in table.rows if row.number > header.number), default=0)
    cells = list(header.cells) + [None] * (width - len(header.cells))
    for number, (cell, field) in enumerate(zip(cells, fields_of(Row(header.number, tuple(cells)))), start=1):
        if cell is None or not str(cell).strip():
            if any(row.cell(number) is not None for row in table.rows if row.number > header.number):
                # data under no header: not imported, and said among the columns that are not
                columns.append(Column(number, messages.pick(f"column {column_letter(number)} (no header)",
                                                            f"{column_letter(number)} 列（无表头）"), None))
            continue
        column = Column(number, values.shown(cell).strip(), field)
        if field is not None and field in taken:
            first = taken[field]
            raise UserError(m.pick(f"{where(table, m)}: columns {first.letter} ({first.header}) and {column.letter} "
                                   f"({column.header}) both read as `{field}`",
                                   f"{where(table, m)}：{first.letter} 列（{first.header}）和 {column.letter} 列"
                                   f"（{column.header}）都对应 `{field}`"),
                            m.pick(f"say which in a mapping file (--map): columns: {{{column.header}: ignore}}",
                                   f"请在映射文件（--map）中指明：columns: {{{column.header}: ignore}}"))
        if field is not None:
            taken[field] = column
        columns.append(column)
    for written in (mapping.columns if mapping else {}):
        if header_key(written) not in {header_key(c.header) for c in columns}:
            raise UserError(m.pick(f"--map names the column `{written}`, which row {header.number} of "
                                   f"{where(table, m)} does not have", f"--map 指定的列 `{written}` 不在 "
                                   f"{where(table, m)}第 {header.number} 行中"),
                            m.pick(f"its headers: {', '.join(c.header for c in columns)}",
                                   f"其表头：{'、'.join(c.header for c in columns)}"))
    return Layout(header.number, tuple(columns))


# what marks each kind of sheet: headers only it has (a contacts or activities import given the
# customer list would read its 备注 as a contact's notes; a customers import given the visits,
# each visit's customer as a customer named by its id)
_OWN = {"customers": ("category", "market", "tier", "channel", "region", "fleet_size", "owner"),
        "contacts": ("reports_to", "level", "function", "influence", "attitude", "birthday"),
        "activities": ("date", "kind", "by", "summary", "next_step", "next_date")}
_KINDS_SAID = {"customers": ("a customer list", "客户清单"), "contacts": ("a list of contacts", "联系人清单"),
               "activities": ("a log of activities", "活动记录")}


def refuse_other_kind(table: Table, table_layout: Layout, kind: ImportKind, messages: Messages) -> None:
    """Refused: a sheet whose headers are two or more of another kind's own, none of them read by
    this import (``--sheet`` forgotten, or the wrong command)."""
    for other, own in _OWN.items():
        if other == kind:
            continue
        known = known_headers(other)
        found = [c.header for c in table_layout.columns
                 if (c.field is None or c.field == "kind_or_size") and known.get(header_key(c.header)) in own]
        if len(found) < 2:
            continue
        m = messages
        what = {"customers": ("customers", "客户"), "contacts": ("contacts", "联系人"),
                "activities": ("activities", "活动")}[kind]
        others = [name for name in table.sheets if name != table.sheet]
        hint = (m.pick(f"name the sheet of {what[0]} with --sheet (the workbook's others: {', '.join(others)}), or "
                       f"import this one with crmctl import {other}",
                       f"请用 --sheet 指明{what[1]}所在的工作表（本工作簿的其他工作表：{'、'.join(others)}），"
                       f"或用 crmctl import {other} 导入本表") if others else
                m.pick(f"import it with crmctl import {other}, or map its columns with --map",
                       f"请用 crmctl import {other} 导入，或用 --map 指明各列"))
        said = _KINDS_SAID[other]
        raise UserError(m.pick(f"{where(table, m)} looks like {said[0]} (its headers name {', '.join(found)}), "
                               f"not {what[0]}",
                               f"{where(table, m)}看来是{said[1]}（表头含 {'、'.join(found)}），不是{what[1]}"), hint)


def where(table: Table, messages: Messages) -> str:
    """The file, and the sheet when it has sheets: how a person finds the table."""
    if table.sheet is None:
        return table.source
    return messages.pick(f"{table.source}, sheet {table.sheet}", f"{table.source} 的工作表「{table.sheet}」")
