"""Reading YAML strictly, keeping every node's line and column.

PyYAML's C parser composes the node graph; we build Python values from the
nodes ourselves (see PERF.md: faster than PyYAML's constructor, and it keeps the
nodes for locating problems). Scalars are read by the YAML 1.2 core rules, and
anything a YAML 1.1 tool would read differently (``NO``, ``on``, ``0755``,
``12:30``) is reported instead of silently changed. Duplicate keys, aliases,
explicit tags, extra documents and absurd nesting are reported too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from crmctl.diagnostics import Diagnostic
from crmctl.messages import Messages

try:  # the C parser is ~7x faster; the pure-Python one reads the same
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_DEPTH = 64
MAX_FILE_BYTES = 8 * 1024 * 1024

_IMPLICIT = "crmctl:implicit"
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"

_YAML11_BOOLS = frozenset(
    "yes Yes YES no No NO on On ON off Off OFF".split()
)
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUES = frozenset(("true", "True", "TRUE"))
_FALSES = frozenset(("false", "False", "FALSE"))
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_HEX = re.compile(r"[-+]?0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_SPECIAL_FLOATS = {".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
                   "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf"),
                   "+.inf": float("inf"), ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan")}
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+\Z")
# YAML 1.1 base 60: `190:20:30` and `1:30.5`; an integer one cannot start with 0 (`09:30` is text there too)
_SEXAGESIMAL = re.compile(r"[-+]?(?:[1-9][0-9_]*(?::[0-5]?[0-9])+|[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*)\Z")
_UNDERSCORE_NUMBER = re.compile(r"[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?\Z")
_OCTAL_12 = re.compile(r"0o[0-7]+\Z")


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Composes only; leaves scalar typing to us so we see what was written."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:  # noqa: D401
        if kind is yaml.ScalarNode:
            return _IMPLICIT
        if kind is yaml.SequenceNode:
            return _SEQ_TAG
        return _MAP_TAG


@dataclass
class YamlDocument:
    """What one file held: the plain data (None if unusable) and its node tree."""

    path: str
    data: Any = None
    root: yaml.Node | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    empty: bool = False


def decode(raw: bytes, path: str, messages: Messages) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text: UTF-8 with or without BOM; anything else is a located error."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [messages.diagnostic("file-encoding", path, guess=messages.pick(" (it is UTF-16)", "(是 UTF-16)"), offset=0)]
    nul = raw.find(b"\x00")
    if nul >= 0:
        return None, [messages.diagnostic("file-binary", path, offset=nul)]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = ""
        try:
            raw.decode("gb18030")
            guess = messages.pick(" (it looks like GBK/GB18030, common from Windows editors)",
                                  "(看起来是 GBK/GB18030 编码,Windows 编辑器常见)")
        except UnicodeDecodeError:
            pass
        return None, [messages.diagnostic("file-encoding", path, line, col, guess=guess, offset=exc.start)]


def read_yaml(file: Path, path: str, messages: Messages) -> YamlDocument:
    """Read and parse one file; never raises for bad content."""
    try:
        with open(file, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return YamlDocument(path, diagnostics=[messages.diagnostic("file-unreadable", path, error=exc.strerror or str(exc))])
    if len(raw) > MAX_FILE_BYTES:
        return YamlDocument(path, diagnostics=[messages.diagnostic(
            "file-unreadable", path, error=messages.pick("larger than 8 MiB", "超过 8 MiB"))])
    text, diagnostics = decode(raw, path, messages)
    if text is None:
        return YamlDocument(path, diagnostics=diagnostics)
    return parse_yaml(text, path, messages)


def parse_yaml(text: str, path: str, messages: Messages) -> YamlDocument:
    doc = YamlDocument(path)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        doc.diagnostics.append(_syntax_diagnostic(exc, text, path, messages))
        return doc
    except yaml.YAMLError as exc:  # unmarked reader errors (control characters)
        doc.diagnostics.append(messages.diagnostic("yaml-syntax", path, 1, 1, problem=str(exc), fix=""))
        return doc
    finally:
        loader.dispose()
    if root is None:
        doc.empty = True
        return doc
    builder = _Builder(path, messages)
    doc.data = builder.build(root)
    doc.root = root
    doc.diagnostics.extend(builder.diagnostics)
    return doc


def _syntax_diagnostic(exc: yaml.MarkedYAMLError, text: str, path: str, messages: Messages) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    at_tab = bool(mark) and text[mark.index:mark.index + 1] == "\t"
    if exc.problem == "but found another document":
        return messages.diagnostic("yaml-multiple-documents", path, line, col)
    problem = exc.problem or exc.context or "invalid YAML"
    fix = ""
    if at_tab or "tab" in problem:
        fix = messages.pick("indent with spaces, not tabs", "请用空格缩进,不要用制表符(Tab)")
    elif "mapping values are not allowed" in problem:
        fix = messages.pick("a value containing `: ` must be quoted", "含有 `: ` 的值需要加引号")
    elif "could not find expected ':'" in problem:
        fix = messages.pick("each line of a mapping needs `key: value`; check the indentation",
                            "映射的每一行都需要 `键: 值`;请检查缩进")
    else:
        fix = messages.pick("check the indentation and quoting around this point",
                            "请检查此处附近的缩进和引号")
    return messages.diagnostic("yaml-syntax", path, line, col, problem=problem, fix=fix)


def resolve_plain(text: str) -> tuple[Any, str | None]:
    """A plain (unquoted) scalar's value by the YAML 1.2 core rules, and, when a
    YAML 1.1 reader would take it differently, which way (``bool``, ``octal``,
    ``sexagesimal``, ``number``)."""
    if text in _NULLS:
        return None, None
    first = text[0]
    if first.isalpha():
        if text in _TRUES:
            return True, None
        if text in _FALSES:
            return False, None
        return text, ("bool" if text in _YAML11_BOOLS else None)
    if first.isdigit() or first in "+-.":
        if _INT.match(text):
            return int(text), None
        if _LEADING_ZERO.match(text):
            return text, "octal"
        if _FLOAT.match(text):
            return float(text), None
        if _HEX.match(text):
            return int(text, 16), None
        if text in _SPECIAL_FLOATS:
            return _SPECIAL_FLOATS[text], None
        if _SEXAGESIMAL.match(text):
            return text, "sexagesimal"
        if _UNDERSCORE_NUMBER.match(text) or _OCTAL_12.match(text):
            return text, "number"
    return text, None


def reads_back_as_text(text: str) -> bool:
    """Whether ``text`` written plain (unquoted) would read back as the same text, unreported."""
    return bool(text) and resolve_plain(text) == (text, None)


class TextSafeDumper(yaml.SafeDumper):
    """PyYAML's safe dumper, quoting every string that crmctl's reader would not
    read back, unquoted, as the same string (PyYAML alone would leave ``09:30``
    or ``089`` bare)."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    if "\n" not in data and not reads_back_as_text(data):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="'")
    return dumper.represent_str(data)


TextSafeDumper.add_representer(str, _represent_str)


class _Builder:
    """Node graph to plain dict/list/str/int/float/bool/None, collecting diagnostics."""

    def __init__(self, path: str, messages: Messages) -> None:
        self.path = path
        self.messages = messages
        self.diagnostics: list[Diagnostic] = []
        self._seen: set[int] = set()

    def _report(self, code: str, node: yaml.Node, **args: object) -> None:
        mark = node.start_mark
        self.diagnostics.append(self.messages.diagnostic(code, self.path, mark.line + 1, mark.column + 1, **args))

    def build(self, node: yaml.Node, depth: int = 0, site: yaml.Node | None = None) -> Any:
        if depth > MAX_DEPTH:
            self._report("yaml-too-deep", node, limit=MAX_DEPTH)
            return None
        key = id(node)
        if key in self._seen:
            # the composer hands an alias back as the anchored node itself, so
            # point at the key or item that uses it, not at the anchor
            self._report("yaml-alias", site or node)
            return None
        self._seen.add(key)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if node.tag not in (_SEQ_TAG, _MAP_TAG):
            self._report("yaml-tag", node, tag=node.tag)
            return None
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, depth + 1, node) for item in node.value]
        result: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            # a key is the text written: `1:` or `~:` is the key "1" or "~", which the
            # schema then names as unknown, rather than a number or null key
            if not isinstance(key_node, yaml.ScalarNode):
                self._report("yaml-syntax", key_node, problem=self.messages.pick(
                    "a key must be a plain value", "键必须是简单值"),
                    fix=self.messages.pick("write `key: value`", "请写作 `键: 值`"))
                continue
            k = key_node.value
            if k in first_line:
                self._report("yaml-duplicate-key", key_node, key=k, first_line=first_line[k])
                continue
            first_line[k] = key_node.start_mark.line + 1
            result[k] = self.build(value_node, depth + 1, key_node)
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        text = node.value
        if node.tag != _IMPLICIT:
            if node.tag == _STR_TAG:
                return text
            self._report("yaml-tag", node, tag=node.tag)
            return text
        if node.style:  # quoted or block: always text
            return text
        value, ambiguity = resolve_plain(text)
        if ambiguity:
            self._ambiguous(node, ambiguity)
        return value

    def _ambiguous(self, node: yaml.ScalarNode, kind: str) -> None:
        m = self.messages
        text = node.value
        quoted = f"'{text}'"
        if kind == "bool":
            yaml11 = m.pick("a yes/no value", "是/否布尔值")
            fix = m.pick(f"quote it ({quoted}) if it is text; write true or false if it is yes/no",
                         f"如果是文本请加引号({quoted});如果表示是/否,请写 true 或 false")
        elif kind == "octal":
            yaml11 = m.pick("an octal number", "八进制数")
            fix = m.pick(f"quote it ({quoted}) if it is a code or phone number; drop the leading zero if it is a number",
                         f"如果是编码或电话号码请加引号({quoted});如果是数字请去掉前导零")
        elif kind == "sexagesimal":
            yaml11 = m.pick("a base-60 number", "六十进制数")
            fix = m.pick(f"quote it: {quoted}", f"请加引号:{quoted}")
        else:
            yaml11 = m.pick("a number", "数字")
            fix = m.pick(f"quote it ({quoted}) if it is text; write the digits without `_` if it is a number",
                         f"如果是文本请加引号({quoted});如果是数字请去掉 `_`")
        self._report("yaml-ambiguous-scalar", node, text=text, yaml11=yaml11, fix=fix)


def locate(root: yaml.Node | None, loc: tuple[Any, ...], *, want_key: bool = False) -> tuple[yaml.Node | None, bool]:
    """Follow a pydantic ``loc`` through the nodes.

    Returns the deepest node reached and whether the whole path was found. With
    ``want_key``, a path ending at a mapping key gives the *key* node (where an
    unknown key should be pointed at) instead of its value.
    """
    node = root
    for i, step in enumerate(loc):
        if isinstance(node, yaml.MappingNode):
            for key_node, child in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(step):
                    node = key_node if want_key and i == len(loc) - 1 else child
                    break
            else:
                return node, False
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
        else:
            return node, False
    return node, True


def mark_of(node: yaml.Node | None) -> tuple[int, int]:
    if node is None:
        return 1, 1
    return node.start_mark.line + 1, node.start_mark.column + 1
