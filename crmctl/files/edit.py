"""Changing a file a person edits without disturbing it.

Instead of loading and re-dumping (which loses comments, order and layout),
we splice new text in at a position taken from the YAML nodes, then parse the
result and confirm that the data changed exactly as intended. If it did not,
nothing is written and the caller is told to make the change by hand.
"""

from __future__ import annotations

from typing import Any

import yaml

from crmctl.files.yamlio import TextSafeDumper, parse_yaml


class SpliceError(Exception):
    """The file's layout is one we do not splice into safely."""


def dump_block(value: Any, indent: int = 0) -> str:
    """``value`` as block-style YAML text, every line indented by ``indent`` spaces."""
    text = yaml.dump(value, Dumper=TextSafeDumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
                     width=1000)
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(keepends=True))


def append_to_list(text: str, key: str, item: dict[str, Any], messages: Any) -> str:
    """Return ``text`` with ``item`` appended to the top-level list ``key``."""
    doc = parse_yaml(text, "<edit>", messages)
    if doc.diagnostics or not (doc.root is None or isinstance(doc.root, yaml.MappingNode)):
        raise SpliceError("the file has problems; fix them first (crmctl check)")
    before = doc.data or {}
    # the item as crmctl reads it back (a date object is written as a plain date, read as its text)
    written = parse_yaml(dump_block([item]), "<edit>", messages).data[0]
    expected = dict(before)
    expected[key] = [*(before.get(key) or []), written]

    new_text = _splice(text, doc.root, key, item)
    after = parse_yaml(new_text, "<edit>", messages)
    if after.diagnostics or after.data != expected:
        raise SpliceError("the edit would not give the intended data")
    return new_text


def _splice(text: str, root: yaml.Node | None, key: str, item: dict[str, Any]) -> str:
    if not text.endswith("\n") and text:
        text += "\n"
    entry = None
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                entry = (key_node, value_node)
    if entry is None:
        if root is not None and root.flow_style:
            raise SpliceError("flow-style top level")
        return text + f"{key}:\n" + dump_block([item], indent=2)
    key_node, value_node = entry
    if isinstance(value_node, yaml.SequenceNode) and value_node.value and not value_node.flow_style:
        last = value_node.value[-1]
        indent = value_node.start_mark.column
        # after the line on which the last item ends
        end = last.end_mark.index
        if end > 0 and text[end - 1] == "\n":
            insert_at = end
        else:
            newline = text.find("\n", end)
            insert_at = len(text) if newline < 0 else newline + 1
        return text[:insert_at] + dump_block([item], indent=indent) + text[insert_at:]
    empty_value = (
        (isinstance(value_node, yaml.ScalarNode) and value_node.value in ("", "~", "null") and not value_node.style)
        or (isinstance(value_node, yaml.SequenceNode) and not value_node.value)
    )
    if not empty_value:
        raise SpliceError(f"`{key}` is not a block list")
    # `key:` / `key: []` / `key: null` -> `key:` followed by the item
    line_start = text.rfind("\n", 0, key_node.start_mark.index) + 1
    indent = key_node.start_mark.column + 2
    if isinstance(value_node, yaml.ScalarNode) and value_node.value == "":
        value_end = text.index(":", key_node.end_mark.index) + 1  # an empty value has no text of its own
    else:
        value_end = value_node.end_mark.index
    newline = text.find("\n", value_end)
    rest_of_line = text[value_end:newline if newline >= 0 else len(text)]
    line_end = len(text) if newline < 0 else newline + 1
    head = text[line_start:key_node.end_mark.index] + ":" + rest_of_line.rstrip() + "\n"
    return text[:line_start] + head + dump_block([item], indent=indent) + text[line_end:]
