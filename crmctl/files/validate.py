"""Pydantic validation of one parsed file, with every error located in the YAML.

Errors are rewritten by their pydantic *type* (never by their text) into
crmctl's codes and languages, and pointed at the node they concern.
"""

from __future__ import annotations

import types
import typing
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from crmctl import vocabulary
from crmctl.diagnostics import Diagnostic, Tally
from crmctl.files.yamlio import YamlDocument, locate, mark_of
from crmctl.messages import Messages

M = TypeVar("M", bound=BaseModel)

_EXPECTED = {
    "string": ("text", "文本"),
    "int": ("a whole number", "整数"),
    "float": ("a number", "数字"),
    "bool": ("true or false", "是/否值（true 或 false）"),
    "model": ("a mapping (key: value lines)", "映射（`键: 值` 行）"),
    "dict": ("a mapping (key: value lines)", "映射（`键: 值` 行）"),
    "list": ("a list (`- item` lines)", "列表（`- 项` 行）"),
    "date": ("a date (YYYY-MM-DD)", "日期（YYYY-MM-DD）"),
    "amount": ("an amount (500000, 500,000, 50万 or 1.2亿)", "金额（如 500000、500,000、50万、1.2亿）"),
}


def validate_document(model: type[M], doc: YamlDocument, messages: Messages) -> tuple[M | None, list[Diagnostic]]:
    """Validate ``doc.data`` against ``model``; locate every error through ``doc.root``."""
    if doc.root is None:
        if doc.empty:
            return None, [messages.diagnostic("file-empty", doc.path)]
        return None, []
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, _diagnostics(model, doc, exc, messages)


def _diagnostics(model: type[BaseModel], doc: YamlDocument, exc: ValidationError, messages: Messages
                 ) -> list[Diagnostic]:
    """The errors as diagnostics, at most PER_FILE_LIMIT of a code: the rest are
    only counted, so a file of 100,000 broken items is not located and worded
    100,000 times (the reader's node limit bounds how many errors there can be)."""
    tally = Tally()
    found = []
    # a value the reader already called ambiguous (`1e20`, `0311…`) is that one problem, not a type error too
    ambiguous = {(d.line, d.col) for d in doc.diagnostics if d.code == "yaml-ambiguous-scalar"}
    for err in exc.errors(include_url=False):
        if ambiguous and _place(doc, err) in ambiguous:
            continue
        if tally.admit(_code_of(err["type"]), lambda err=err: _place(doc, err)):
            found.append(_diagnostic(model, doc, err, messages))
    found.extend(messages.more(code, doc.path, line, col, count) for code, count, line, col in tally.left_out())
    return found


def _code_of(kind: str) -> str:
    if kind == "missing":
        return "schema-missing-key"
    if kind == "extra_forbidden":
        return "schema-unknown-key"
    return "schema-type" if _expected_kind(kind) else "schema-value"


def _expected_kind(kind: str) -> str | None:
    """The _EXPECTED entry of a pydantic error type that says "expected X, found Y", if it is one."""
    base = kind.removesuffix("_type").removesuffix("_parsing").removeprefix("model_attributes")
    if kind == "iso_date" or kind.startswith("date_"):
        base = "date"
    if base in _EXPECTED and (kind.endswith(("_type", "_parsing")) or base == "date"):
        return base
    return None


def _place(doc: YamlDocument, err: Any) -> tuple[int, int]:
    """Where an error is pointed at: the mapping missing a key, an unknown key itself, else the value."""
    loc = tuple(err["loc"])
    if err["type"] == "missing":
        return mark_of(locate(doc.root, loc[:-1])[0])
    return mark_of(locate(doc.root, loc, want_key=err["type"] == "extra_forbidden")[0])


# lists whose entries are named by the contact they are about
NAMED_BY_CONTACT = ("decision_map", "relations", "relationships")


def breadcrumb(data: Any, loc: tuple[Any, ...], messages: Messages) -> str:
    """``contacts[li-jian].phone`` rather than ``contacts.3.phone``: name the record."""
    parts: list[str] = []
    node, key = data, None
    for step in loc:
        if isinstance(step, int):
            label = str(step + 1)
            if isinstance(node, list) and 0 <= step < len(node):
                item = node[step]
                if isinstance(item, dict):
                    # a decision-map entry or a relation is its contact; elsewhere a contact is one field of many
                    ident = item.get("id") or (item.get("contact") if key in NAMED_BY_CONTACT else None)
                    if isinstance(ident, str):
                        label = ident
                node = item
            else:
                node = None
            parts.append(f"[{label}]")
        else:
            parts.append(("." if parts else "") + str(step))
            node, key = (node.get(step) if isinstance(node, dict) else None), step
    return "".join(parts) or messages.pick("top level", "顶层")


def describe_value(value: Any, messages: Messages) -> str:
    if value is None:
        return messages.pick("nothing (an empty value)", "空值")
    if isinstance(value, bool):
        return messages.pick(f"the yes/no value {str(value).lower()}", f"布尔值 {str(value).lower()}")
    if isinstance(value, (int, float, Decimal)):
        return messages.pick(f"the number {value}", f"数字 {value}")
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return messages.pick(f"the text `{shown}`", f"文本 `{shown}`")
    if isinstance(value, list):
        return messages.pick("a list", "列表")
    if isinstance(value, dict):
        return messages.pick("a mapping", "映射")
    return type(value).__name__


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that owns the mapping at ``loc`` (for listing allowed keys)."""
    current: Any = model
    for step in loc:
        if isinstance(step, int):
            current = _unwrap(current, want_item=True)
            continue
        cls = _unwrap(current)
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)) or step not in cls.model_fields:
            return None
        current = cls.model_fields[step].annotation
    cls = _unwrap(current)
    return cls if isinstance(cls, type) and issubclass(cls, BaseModel) else None


def _unwrap(tp: Any, want_item: bool = False) -> Any:
    """Strip Optional/Annotated; with ``want_item``, step into list[...]."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0] if len(args) == 1 else tp
            if len(args) != 1:
                return tp
        elif want_item and origin in (list, tuple):
            tp = typing.get_args(tp)[0]
            want_item = False
        else:
            return tp


def _diagnostic(model: type[BaseModel], doc: YamlDocument, err: Any, messages: Messages) -> Diagnostic:
    loc = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    m = messages

    line, col = _place(doc, err)
    if kind == "missing":
        return m.diagnostic("schema-missing-key", doc.path, line, col,
                            where=breadcrumb(doc.data, loc[:-1], m), key=loc[-1])
    if kind == "extra_forbidden":
        owner = _model_at(model, loc[:-1])
        allowed = sorted(owner.model_fields) if owner else []
        key = str(loc[-1])
        return m.diagnostic("schema-unknown-key", doc.path, line, col,
                            where=breadcrumb(doc.data, loc[:-1], m), key=key,
                            suggestion=m.did_you_mean(key, allowed), allowed=m.pick(", ", "、").join(allowed))

    where = breadcrumb(doc.data, loc, m)
    found = describe_value(value, m)
    base = _expected_kind(kind)
    if base:
        en, zh = _EXPECTED[base]
        fix = ""
        if base == "string" and isinstance(value, (int, float, bool)):
            fix = m.pick(f"put it in quotes: '{_yaml_text(value)}'", f"请加引号：'{_yaml_text(value)}'")
        elif base in ("int", "float") and isinstance(value, str):
            fix = m.pick("write digits only, without units or quotes", "只写数字，不带单位或引号")
        elif base == "date":
            fix = m.pick("write the date as YYYY-MM-DD, e.g. 2026-03-15", "日期写作 YYYY-MM-DD，例如 2026-03-15")
        return m.diagnostic("schema-type", doc.path, line, col, where=where,
                            expected=m.pick(en, zh), found=found, fix=fix)
    def value_problem(problem: tuple[str, str], fix: tuple[str, str]) -> Diagnostic:
        return m.diagnostic("schema-value", doc.path, line, col, where=where, problem=m.pick(*problem),
                            fix=m.pick(*fix))

    if kind == "literal_error":
        expected = ctx.get("expected", "")
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ", ").split(",") if c.strip()]
        meant = vocabulary.value_named(value, choices) if isinstance(value, str) else None
        suggestion = m.pick(f" (did you mean `{meant}`?)", f"（是否应为 `{meant}`？）") if meant else \
            m.did_you_mean(value, choices) if isinstance(value, str) else ""
        return value_problem((f"{found} is not one of the allowed values{suggestion}",
                              f"{found} 不是允许的取值{suggestion}"),
                             (f"use one of: {', '.join(choices)}", f"可用取值：{'、'.join(choices)}"))
    if kind == "string_pattern_mismatch":
        return value_problem((f"{found} is not a valid id", f"{found} 不是有效的标识"),
                             ("ids are lowercase letters, digits and single hyphens, e.g. `li-jian`",
                              "标识由小写字母、数字和单个连字符组成，例如 `li-jian`"))
    if kind in ("string_too_short", "too_short"):
        least = ctx.get("min_length", 1)
        if least > 1:
            unit = ("characters", "个字符") if isinstance(value, str) else ("items", "项")
            return value_problem((f"too short: at least {least} {unit[0]}", f"过短：至少 {least} {unit[1]}"),
                                 ("correct the value", "请更正该值"))
        return value_problem(("must not be empty", "不能为空"), ("fill it in, or remove the key", "请填写，或删除该键"))
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()), "")
        op = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}[kind]
        return value_problem((f"{found} is out of range: must be {op} {bound}", f"{found} 超出范围：应 {op} {bound}"),
                             ("correct the value", "请更正该值"))
    if kind == "weights_sum":
        total = ctx.get("total")
        return value_problem((f"weights must sum to 100, they sum to {total}", f"权重之和应为 100，实际为 {total}"),
                             ("adjust the weights", "请调整各项权重"))
    if kind == "calendar_date":
        return value_problem((f"{found} is not a day on the calendar", f"{found} 不是日历上存在的日期"),
                             ("check the month and day", "请检查月份和日期"))
    if kind == "amount_format":
        return value_problem((f"{found} is not an amount", f"{found} 不是金额"),
                             ("write it as 500000, 500,000, 50万 or 1.2亿 (digits, then 万 or 亿 if you like)",
                              "请写作 500000、500,000、50万 或 1.2亿（数字，可加 万 或 亿）"))
    if kind == "amount_precision":
        return value_problem((f"{found} has more decimal places than fen (0.01)", f"{found} 的小数位超过了分（0.01）"),
                             ("round it to two decimal places", "请保留两位小数"))
    if kind == "holiday_date":
        return value_problem(("a holiday needs one date: `lunar: MM-DD` (春节 01-01) or `solar: MM-DD` (国庆 10-01)",
                              "节日需要一个日期：`lunar: MM-DD`（春节 01-01）或 `solar: MM-DD`（国庆 10-01）"),
                             ("keep one of the two", "请保留其中一个"))
    if kind == "finite_number":
        return value_problem((f"{found} is not a finite number", f"{found} 不是有限的数"),
                             ("write the number in digits", "请用数字写出具体数值"))
    if kind in ("string_too_long", "too_long"):
        limit = ctx.get("max_length")
        return value_problem((f"too long (at most {limit} characters)", f"过长（最多 {limit} 个字符）"),
                             ("shorten it", "请缩短"))
    # a type crmctl has no wording for: keep pydantic's text, still located
    return value_problem((err["msg"], err["msg"]), ("correct the value", "请更正该值"))


def _yaml_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def field_problems(model: type[M], data: dict[str, Any], messages: Messages) -> tuple[M | None, list[tuple[tuple[Any, ...], Diagnostic]]]:
    """``data`` (not from a file: an imported row, say) as ``model``, each problem worded as
    ``check`` words it and given with the field it is about (its ``loc``), for the caller to
    place where the value came from."""
    from crmctl.files.edit import dump_block
    from crmctl.files.yamlio import parse_yaml

    doc = parse_yaml(dump_block(data), "<data>", messages)
    unread = [d for d in doc.diagnostics if d.severity == "error"]
    if unread:  # a value YAML cannot carry as it is (a number of a hundred digits): said as the reader says it
        return None, [((), d) for d in unread]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, [(tuple(err["loc"]), _diagnostic(model, doc, err, messages))
                      for err in exc.errors(include_url=False)]
