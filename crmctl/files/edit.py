"""Changing a file a person edits without disturbing it.

Instead of loading and re-dumping (which loses comments, order and layout),
we splice new text in at a position taken from the YAML nodes, then parse the
result and confirm that the data changed exactly as intended. If it did not,
nothing is written and the caller is told to make the change by hand.
"""

from __future__ import annotations

from typing import Any

import yaml

from crmctl.errors import UserError
from crmctl.files.yamlio import TextSafeDumper, parse_yaml


class SpliceError(UserError):
    """The file's layout is one we do not splice into safely: the change is left to a person."""

    def __init__(self, rel: str, key: str, messages: Any) -> None:
        m = messages
        super().__init__(m.pick(f"cannot add to `{key}` in {rel} without disturbing the rest of it",
                                f"无法在不改动其他内容的前提下向 {rel} 的 `{key}` 添加条目"),
                         m.pick(f"write `{key}:` as a block list (`- ` lines), or add the entry by hand",
                                f"请把 `{key}:` 写成块列表（`- ` 开头的行），或手工添加该条目"))


class _FlowList(list):
    """A list of plain values, dumped on one line."""


TextSafeDumper.add_representer(_FlowList, lambda dumper, data: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", data, flow_style=True))


def _flow_leaves(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _flow_leaves(v) for k, v in value.items()}
    if isinstance(value, list):
        if value and not any(isinstance(v, (dict, list)) for v in value):
            return _FlowList(value)
        return [_flow_leaves(v) for v in value]
    return value


def dump_block(value: Any, indent: int = 0, *, flow_leaves: bool = False) -> str:
    """``value`` as block-style YAML text, every line indented by ``indent`` spaces; with
    ``flow_leaves``, a list of plain values on one line (``contacts: [li-yang, zhang-hua]``)."""
    text = yaml.dump(_flow_leaves(value) if flow_leaves else value, Dumper=TextSafeDumper, allow_unicode=True,
                     sort_keys=False, default_flow_style=False, width=1000)
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(keepends=True))


def append_to_list(text: str, key: str, item: dict[str, Any], messages: Any, *, rel: str = "<edit>",
                   newline: str = "\n") -> str:
    """Return ``text`` with ``item`` appended to the top-level list ``key``; every byte
    outside the insertion stays as it was. ``newline``: the file's line ends."""
    return extend_list(text, key, [item], messages, rel=rel, newline=newline)


def extend_list(text: str, key: str, items: list[dict[str, Any]], messages: Any, *, rel: str = "<edit>",
                newline: str = "\n") -> str:
    """:func:`append_to_list` of several items at once (an import's thousand activities: one
    splice, one reading back)."""
    from crmctl.files.storage import refusal

    doc = parse_yaml(text, rel, messages)
    if doc.diagnostics:
        raise refusal(rel, doc.diagnostics, messages)
    if not (doc.root is None or isinstance(doc.root, yaml.MappingNode)):
        raise SpliceError(rel, key, messages)
    before = doc.data or {}
    # the items as crmctl reads them back (a date object is written as a plain date, read as its text)
    written = parse_yaml(dump_block(items), rel, messages).data
    expected = dict(before)
    expected[key] = [*(before.get(key) or []), *written]

    new_text = _splice(text, doc.root, key, items, newline, rel, messages)
    after = parse_yaml(new_text, rel, messages)
    if after.diagnostics or after.data != expected:
        raise SpliceError(rel, key, messages)
    return new_text


def _blank_line_before(text: str, index: int) -> bool:
    """Whether the line before the one holding ``index`` is empty or white space only."""
    lines = text[:index].replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return len(lines) >= 2 and not lines[-2].strip()


def _next_break(text: str, start: int) -> int:
    """The index of the last character of the next line break (``\\n``, ``\\r\\n`` or ``\\r``), or -1."""
    found = [i for i in (text.find("\n", start), text.find("\r", start)) if i >= 0]
    if not found:
        return -1
    first = min(found)
    return first + 1 if text.startswith("\r\n", first) else first


def _splice(text: str, root: yaml.Node | None, key: str, items: list[dict[str, Any]], newline: str, rel: str,
            messages: Any) -> str:
    def block(indent: int, gap: str = "") -> str:
        # written as a person writes these files: short lists on one line; items a blank line
        # apart when the file's are
        return gap.join(dump_block([item], indent=indent, flow_leaves=True).replace("\n", newline)
                        for item in items)

    if not text.endswith(("\n", "\r")) and text:
        text += newline
    entry = None
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                entry = (key_node, value_node)
    if entry is None:
        if root is not None and root.flow_style:
            raise SpliceError(rel, key, messages)
        return text + f"{key}:{newline}" + block(2)
    key_node, value_node = entry
    if isinstance(value_node, yaml.SequenceNode) and value_node.value and not value_node.flow_style:
        last = value_node.value[-1]
        indent = value_node.start_mark.column
        # after the line on which the last item ends
        end = last.end_mark.index
        if end > 0 and text[end - 1] in "\r\n":
            insert_at = end
        else:
            line_break = _next_break(text, end)
            insert_at = len(text) if line_break < 0 else line_break + 1
        # items a blank line apart get one before the new item too
        gap = newline if len(value_node.value) > 1 and _blank_line_before(text, last.start_mark.index) else ""
        return text[:insert_at] + gap + block(indent, gap) + text[insert_at:]
    empty_value = (
        (isinstance(value_node, yaml.ScalarNode) and value_node.value in ("", "~", "null") and not value_node.style)
        or (isinstance(value_node, yaml.SequenceNode) and not value_node.value)
    )
    if not empty_value:
        raise SpliceError(rel, key, messages)
    # `key:` / `key: []` / `key: null` -> `key:` followed by the item
    line_start = max(text.rfind("\n", 0, key_node.start_mark.index), text.rfind("\r", 0, key_node.start_mark.index)) + 1
    indent = key_node.start_mark.column + 2
    if isinstance(value_node, yaml.ScalarNode) and value_node.value == "":
        value_end = text.index(":", key_node.end_mark.index) + 1  # an empty value has no text of its own
    else:
        value_end = value_node.end_mark.index
    line_break = _next_break(text, value_end)
    rest_of_line = text[value_end:line_break if line_break >= 0 else len(text)]
    line_end = len(text) if line_break < 0 else line_break + 1
    head = text[line_start:key_node.end_mark.index] + ":" + rest_of_line.rstrip() + newline
    return text[:line_start] + head + block(indent) + text[line_end:]


class _Literal(str):
    """Text of several lines, written as a ``|`` block (PyYAML falls back to quotes when it cannot)."""


TextSafeDumper.add_representer(_Literal, lambda dumper, data: dumper.represent_scalar(
    "tag:yaml.org,2002:str", str(data), style="|"))


def as_written(value: Any) -> Any:
    """``value`` as crmctl writes it: text of several lines as a ``|`` block."""
    if isinstance(value, str) and "\n" in value and value.strip():
        return _Literal(value)
    return value


class ValueEditError(UserError):
    """A value sits where crmctl does not change it safely (a flow mapping, an alias): left to a person."""

    def __init__(self, rel: str, path: tuple[Any, ...], messages: Any) -> None:
        m = messages
        where = ".".join(str(step) for step in path)
        super().__init__(m.pick(f"cannot change `{where}` in {rel} without disturbing the rest of it",
                                f"无法在不改动其他内容的前提下修改 {rel} 中的 `{where}`"),
                         m.pick("write that part in block style (one `key: value` a line), or change it by hand",
                                "请把该部分写成块格式（每行一个 `键: 值`），或手工修改"))


def set_values(text: str, changes: list[tuple[tuple[Any, ...], Any]], messages: Any, *, rel: str = "<edit>",
               newline: str = "\n") -> str:
    """Return ``text`` with each (path, value) of ``changes`` set: a value that is there is replaced
    where it stands (its comment on the line kept), a key that is missing is added at the end of
    its mapping, a missing mapping with it. Paths are keys and list indexes (``("contacts", 2,
    "phone")``). Every byte outside the changed values stays as it was; the result is read back and
    must hold exactly the data asked for, or nothing is changed (:class:`ValueEditError`)."""
    from crmctl.files.storage import refusal

    doc = parse_yaml(text, rel, messages)
    if doc.diagnostics:
        raise refusal(rel, doc.diagnostics, messages)
    expected = doc.data if doc.data is not None else {}
    for path, value in changes:
        expected = _with_value(expected, path, parse_yaml(dump_block({"v": as_written(value)}), rel,
                                                          messages).data["v"])
        root = doc.root
        if not isinstance(root, yaml.MappingNode):
            if root is not None:
                raise ValueEditError(rel, path, messages)
            text = text + ("" if not text or text.endswith(("\n", "\r")) else newline) + _block(
                _nested(path, value), 0, newline)
        else:
            text = _set_one(text, root, path, value, newline, rel, messages)
        doc = parse_yaml(text, rel, messages)
        if doc.diagnostics:
            raise ValueEditError(rel, path, messages)
    if doc.data != expected:
        raise ValueEditError(rel, changes[0][0], messages)
    return text


def _with_value(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    """A copy of ``data`` with ``path`` set to ``value`` (mappings made where missing)."""
    step, rest = path[0], path[1:]
    if isinstance(data, list):
        copy = list(data)
        copy[step] = _with_value(copy[step], rest, value) if rest else value
        return copy
    copy = dict(data) if isinstance(data, dict) else {}
    copy[step] = _with_value(copy.get(step), rest, value) if rest else value
    return copy


def _nested(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    for step in reversed(path):
        value = {step: value}
    return value


def _block(value: dict[str, Any], indent: int, newline: str) -> str:
    return dump_block({k: as_written(v) for k, v in value.items()} if not isinstance(
        next(iter(value.values())), dict) else value, indent=indent, flow_leaves=True).replace("\n", newline)


def _end_of_line(text: str, index: int) -> int:
    """The index just past the line break of the line holding ``index - 1`` (text's end if none)."""
    if index > 0 and text[index - 1] in "\r\n":
        return index
    line_break = _next_break(text, index)
    return len(text) if line_break < 0 else line_break + 1


def _last_end(node: yaml.Node) -> int:
    """Where the text of ``node``'s last value ends (a block collection's own end mark lies past
    the comments and blank lines after it)."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node.end_mark.index


def _set_one(text: str, mapping: yaml.MappingNode, path: tuple[Any, ...], value: Any, newline: str, rel: str,
             messages: Any) -> str:
    node: yaml.Node = mapping
    for depth, step in enumerate(path):
        last = depth == len(path) - 1
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and not node.flow_style:
            node = node.value[step]
            continue
        if not isinstance(node, yaml.MappingNode) or node.flow_style or not node.value:
            raise ValueEditError(rel, path, messages)
        found = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == step]
        if not found:  # the key, and what is below it, added after the mapping's last line
            indent = node.value[0][0].start_mark.column
            at = _end_of_line(text, _last_end(node))
            if at == len(text) and text and not text.endswith(("\n", "\r")):
                text += newline
                at = len(text)
            return text[:at] + _block(_nested(path[depth:], value), indent, newline) + text[at:]
        key_node, value_node = found[-1]
        if not last:
            node = value_node
            continue
        if isinstance(value_node, yaml.ScalarNode) and value_node.style not in ("|", ">") and \
                value_node.start_mark.line == value_node.end_mark.line and not (
                    value_node.value == "" and not value_node.style):
            start, end = value_node.start_mark.index, value_node.end_mark.index
            written = _inline(value)
            if written is not None:
                return text[:start] + written + text[end:]
        # a block value, an empty one or one written over several lines: the key's lines rewritten
        line_start = max(text.rfind("\n", 0, key_node.start_mark.index),
                         text.rfind("\r", 0, key_node.start_mark.index)) + 1
        if text[line_start:key_node.start_mark.index].strip(" -"):  # `- key:` starts a list item: keep the dash
            raise ValueEditError(rel, path, messages)
        end = _end_of_line(text, _last_end(value_node) if not (
            isinstance(value_node, yaml.ScalarNode) and value_node.value == "" and not value_node.style)
            else text.index(":", key_node.end_mark.index) + 1)
        head = text[line_start:key_node.start_mark.index]
        indent = key_node.start_mark.column
        block = _block({step: value}, indent, newline)
        return text[:line_start] + head + block[indent:] + text[end:]
    raise ValueEditError(rel, path, messages)


def _inline(value: Any) -> str | None:
    """``value`` as it is written after ``key: ``, on one line; None when it takes several."""
    written = dump_block({"v": value}, flow_leaves=True)
    first, _, rest = written.partition("\n")
    if rest.strip() or not first.startswith("v: ") or first.endswith(("|", ">", "|-", ">-")):
        return None
    return first[3:]
