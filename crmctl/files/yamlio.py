"""Reading YAML strictly, keeping every node's line and column.

PyYAML's C parser composes the node graph; we build Python values from the
nodes ourselves (see PERF.md: faster than PyYAML's constructor, and it keeps the
nodes for locating problems). Scalars are read by the YAML 1.2 core rules, and
anything a YAML 1.1 tool would read differently (``NO``, ``on``, ``0755``,
``12:30``, ``-0x1A``, ``1e3``) is reported instead of silently changed.
Duplicate keys, anchors, aliases, explicit tags, directives, extra documents,
tabs in the indentation, keys holding control characters and absurd nesting
or size are reported too.

libyaml reads a few inputs differently from the YAML 1.2 spec (docs/yaml.md
gives crmctl's result on every case of the official test suite). Where that
would change what a person wrote without a word — an anchor name cut at `:`,
the `!` tag ignored, `?x` inside brackets taken as a key, a comment glued to a
value, a tab where the spec forbids one — a scan of the tokens reports it. The
scan runs only on a text holding a character that could start such a token,
so a common file is parsed once.
"""

from __future__ import annotations

import bisect
import os
import re
import stat
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import yaml

from crmctl.diagnostics import PER_FILE_LIMIT, Diagnostic, Tally
from crmctl.escaping import CONTROL, controls_in, visible
from crmctl.messages import Messages

try:  # the C parser is ~7x faster; the pure-Python one reads the same. The parser alone: crmctl
    # composes nodes and builds values itself, so a loader's constructor would only cost its set-up
    from yaml.cyaml import CParser as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_DEPTH = 64
# crmctl's choice: no count, amount or weight a sales team writes has more than a few dozen digits,
# and Python refuses to read an integer of 4,300 digits at all
MAX_NUMBER_CHARS = 100
MAX_FILE_BYTES = 8 * 1024 * 1024
# Not from any spec. The busiest file, a customer's activity log, holds about 20
# values an activity: ten years of daily contact (2,500 activities) is ~50,000,
# and this leaves room for twice that. Beyond it a file is refused before it is
# composed: 8 MiB of tiny items is two million nodes (0.6 GB composed) and as
# many schema errors, and composing 100,000 takes ~0.15 s and ~30 MB.
MAX_NODES = 100_000

_IMPLICIT = "\x00implicit"  # the tag of an untagged node: no YAML text can write a NUL, so no tag spells it
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"

# the YAML 1.1 spec's booleans (y and n too: PyYAML leaves them out, Go's yaml.v2 and the spec do not)
_YAML11_BOOLS = frozenset(
    "y Y yes Yes YES n N no No NO on On ON off Off OFF".split()
)
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUES = frozenset(("true", "True", "TRUE"))
_FALSES = frozenset(("false", "False", "FALSE"))
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")  # 1.2 core: no sign
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
# YAML 1.1 floats need a `.` and a signed exponent: `1e3` and `1.5e3` are text there
_FLOAT_11 = re.compile(r"[-+]?[0-9]*\.[0-9]*(?:[eE][-+][0-9]+)?\Z")
_SPECIAL_FLOATS = {sign + dot: value
                   for dot, value in ((".inf", float("inf")), (".Inf", float("inf")), (".INF", float("inf")))
                   for sign in ("", "+")}
_SPECIAL_FLOATS.update({"-" + dot: float("-inf") for dot in (".inf", ".Inf", ".INF")})
_SPECIAL_FLOATS.update({dot: float("nan") for dot in (".nan", ".NaN", ".NAN")})
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+\Z")
# YAML 1.1 base 60: `190:20:30` and `1:30.5`; an integer one cannot start with 0 (`09:30` is text there too)
_SEXAGESIMAL = re.compile(r"[-+]?(?:[1-9][0-9_]*(?::[0-5]?[0-9])+|[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*)\Z")
# numbers only YAML 1.1 has: with `_`, signed or `_` hexadecimal, binary
_NUMBER_11 = re.compile(r"[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|0x[0-9a-fA-F_]+|0b[01_]+)\Z")
_OCTAL_12 = re.compile(r"0o[0-7]+\Z")

# line breaks as libyaml counts them, so positions found in the text match its marks
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
# what makes a text worth a token scan (each test starts with a literal, so it is fast)
_PROPERTY = re.compile(r"[&!](?<![^\s\[{,:?][&!])")  # an anchor or tag where one can start
_GLUED_HASH = re.compile(r"""#(?:(?<=["'\]},|>]#)|(?<=[|>][-+0-9]#)|(?<=[|>][-+0-9]{2}#))""")
_GLUED_QUESTION = re.compile(r"\?(?<![^\s\[{,]\?)[^\s,\[\]{}]")
_LEADING_TAB = re.compile(r"^ *\t[ \t]*(?=[^ \t\r\n#])", re.M)  # not on blank or comment lines
_BLOCK_HEADER_HASH = re.compile(r"[|>][-+0-9]*#")
_WORD = re.compile(r"[^\s,\[\]{}]*")
_FLOW_END = frozenset(" \t\r\n\x85\u2028\u2029,[]{}")


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Composes only; leaves scalar typing to us so we see what was written.

    Every node written without a tag is given the tag ``_IMPLICIT``; the builder tells scalars,
    lists and mappings apart by their class. The parser asks once a node (a million times in a
    large check): a C method that ignores its arguments answers without a Python call, which
    saves a tenth of composing. Tags are compared with ``==``, not ``is``. The composer also tells
    the resolver each time it enters and leaves a node, for path resolvers crmctl has none of: the
    same trick answers both without a Python call, another tenth."""

    resolve = _IMPLICIT.format  # str.format: a text without fields ignores what it is given
    descend_resolver = _IMPLICIT.format
    ascend_resolver = _IMPLICIT.format


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
        return None, [messages.diagnostic("file-encoding", path, guess=messages.pick(" (it is UTF-16)", "（是 UTF-16）"), offset=0,
                                          source="UTF-16")]
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
                                  "（看起来是 GBK/GB18030 编码，Windows 编辑器常见）")
        except UnicodeDecodeError:
            pass
        return None, [messages.diagnostic("file-encoding", path, line, col, guess=guess, offset=exc.start,
                                          source="GB18030")]  # what a Chinese Windows editor saves


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _read_regular(file: str | Path) -> bytes | None:
    """At most MAX_FILE_BYTES + 1 bytes of a regular file; None for a pipe, a device or a folder.
    Opened without waiting: a pipe or a device named like a record would hang every run. Plain
    descriptors, no buffered file object: this is done once for every file of a check."""
    fd = os.open(file, _OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:  # never more: a huge file costs no memory
            want = min(max(info.st_size, 4096) + 1, MAX_FILE_BYTES + 1) if not chunks else MAX_FILE_BYTES + 1 - size
            chunk = os.read(fd, want)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(fd)


def read_text(file: str | Path, path: str, messages: Messages) -> tuple[str | None, list[Diagnostic]]:
    """A YAML or Markdown file's text, if it can be read, is at most 8 MiB and is UTF-8."""
    try:
        raw = _read_regular(file)
    except OSError as exc:
        return None, [messages.diagnostic("file-unreadable", path, error=exc.strerror or str(exc))]
    if raw is None:
        return None, [messages.diagnostic("file-unreadable", path, error=messages.pick(
            "not a regular file (a pipe, a device or a folder)", "不是普通文件（管道、设备或文件夹）"))]
    if len(raw) > MAX_FILE_BYTES:
        return None, [messages.diagnostic("file-too-large", path, limit="8 MiB", fix=messages.pick(
            "no crmctl file needs this much: remove what does not belong here, or split the data",
            "crmctl 的文件不需要这么大：请删除不属于这里的内容，或拆分数据"))]
    return decode(raw, path, messages)


def read_yaml(file: str | Path, path: str, messages: Messages) -> YamlDocument:
    """Read and parse one file; never raises for bad content."""
    text, diagnostics = read_text(file, path, messages)
    if text is None:
        return YamlDocument(path, diagnostics=diagnostics)
    return parse_yaml(text, path, messages)


def parse_yaml(text: str, path: str, messages: Messages) -> YamlDocument:
    doc = YamlDocument(path)
    if text and not text.endswith(("\n", "\r")):
        # The last line reads as if it ended in a line break, as the test suite
        # reads it; libyaml would drop the final line break of a block scalar
        # there (`|+` ending in a line of spaces), so add the break ourselves.
        text += "\n"
    if "<<<<<<<" in text or ">>>>>>>" in text:  # the test is cheap; the scan runs only where it may find
        conflicts = _conflict_markers(text, path, messages)
        if conflicts:  # reported as what it is, not as the YAML syntax error it makes a line later
            doc.diagnostics.extend(conflicts)
            return doc
    if len(text) * 2 > MAX_NODES:  # a node takes at least half a character: only long texts can exceed the cap
        past = _node_past_limit(text)
        if past is not None:
            doc.diagnostics.append(messages.diagnostic("yaml-too-many-values", path, past.line + 1,
                                                       past.column + 1, limit=f"{MAX_NODES:,}"))
            return doc
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        separator = _LONE_SEPARATOR.search(text)
        if separator is not None:  # the other markers deleted, git's `=======` left: that is the problem
            doc.diagnostics.append(messages.diagnostic("merge-conflict", path, text.count("\n", 0, separator.start())
                                                       + 1, 1, marker="======="))
            return doc
        doc.diagnostics.extend(sorted(_parse_failure(exc, text, path, messages), key=Diagnostic.sort_key))
        return doc
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow; its place is a byte offset
        index = len(text.encode("utf-8")[:exc.position].decode("utf-8", "ignore"))
        code = exc.character if isinstance(exc.character, int) else 0
        doc.diagnostics.append(messages.diagnostic(
            "yaml-syntax", path, *_Positions(text).of(index),
            problem=messages.pick(f"the character U+{code:04X} is not allowed in YAML",
                                  f"YAML 中不允许出现字符 U+{code:04X}"),
            fix=messages.pick("remove it: most editors do not show it", "请删除它：多数编辑器不会显示这个字符")))
        return doc
    finally:
        loader.dispose()
    tally = Tally()
    scanned = _needs_scan(text)
    if scanned:
        _Scan(text, path, messages, tally, doc.diagnostics).run()
    if root is None:
        doc.empty = True
    else:
        builder = _Builder(path, messages, tally, doc.diagnostics, shared="&" in text, aliases_reported=scanned,
                           source=text)
        doc.data = builder.build(root)
        doc.root = root
    doc.diagnostics.extend(messages.more(code, path, line, col, count) for code, count, line, col in tally.left_out())
    doc.diagnostics.sort(key=Diagnostic.sort_key)
    return doc


def compose(text: str) -> yaml.Node | None:
    """The node tree of ``text`` as crmctl's reader composes it; None when it does not parse."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


# git's conflict markers start a line: `<<<<<<< ours`, `>>>>>>> theirs` (a label follows, or nothing)
_CONFLICT_MARKER = re.compile(r"^(<{7}|>{7})(?: |$)", re.M)
_LONE_SEPARATOR = re.compile(r"^={7}\r?$", re.M)


def _conflict_markers(text: str, path: str, messages: Messages) -> list[Diagnostic]:
    """A ``merge-conflict`` at the start of each conflict (its `<<<<<<<` line), or at a `>>>>>>>`
    left alone when the other marker was deleted."""
    found = list(_CONFLICT_MARKER.finditer(text))
    starts = [m for m in found if m.group(1)[0] == "<"] or found
    return [messages.diagnostic("merge-conflict", path, text.count("\n", 0, m.start()) + 1, 1, marker=m.group(1))
            for m in starts[:PER_FILE_LIMIT]]


_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)


def _node_past_limit(text: str) -> yaml.Mark | None:
    """Where the node after the first MAX_NODES starts, if there is one; counted
    from the parser's events, which cost no memory, before anything is composed."""
    count = 0
    loader = _BaseLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, _NODE_EVENTS):
                count += 1
                if count > MAX_NODES:
                    return event.start_mark
    except yaml.YAMLError:
        return None  # composing reports it, with its place
    finally:
        loader.dispose()
    return None


def _needs_scan(text: str) -> bool:
    """Whether ``text`` holds a character that could start a token the scan checks."""
    if ("&" in text or "!" in text) and _PROPERTY.search(text):
        return True
    if "%" in text and (text.startswith("%") or "\n%" in text or "\r%" in text):
        return True
    if "\t" in text and _LEADING_TAB.search(text):
        return True
    if "#" in text and _GLUED_HASH.search(text):
        return True
    return "?" in text and _GLUED_QUESTION.search(text) is not None


class _Positions:
    """Line and column of a character index, counted as libyaml counts them."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in _BREAK.finditer(text)]

    def of(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1


def _at(mark: yaml.Mark) -> Callable[[], tuple[int, int]]:
    """A mark's (line, col), asked for only when a problem is listed."""
    return lambda: (mark.line + 1, mark.column + 1)


def _tag(tag: str) -> str:
    """A tag as it is written: ``!!int`` rather than the composer's ``tag:yaml.org,2002:int``."""
    return _shown("!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag)


def _shown(text: str, limit: int = 40) -> str:
    """``text`` safe to print inside a message: control characters escaped, cut to ``limit``."""
    text = visible(text)
    return text if len(text) <= limit else text[:limit - 3] + "..."


class _Scan:
    """Token-level checks of a text that composed: what the node graph no longer shows."""

    def __init__(self, text: str, path: str, messages: Messages, tally: Tally, out: list[Diagnostic]) -> None:
        self.text = text
        self.path = path
        self.m = messages
        self.tally = tally
        self.out = out
        self._positions: _Positions | None = None

    def position(self, index: int) -> tuple[int, int]:
        if self._positions is None:
            self._positions = _Positions(self.text)
        return self._positions.of(index)

    def report(self, code: str, where: Callable[[], tuple[int, int]], args: Callable[[], dict[str, object]]) -> None:
        """``args`` are worded only for a problem that is listed: a file may hold 100,000 of one kind."""
        if self.tally.admit(code, where):
            self.out.append(self.m.diagnostic(code, self.path, *where(), **args()))

    def run(self) -> None:
        text = self.text
        m = self.m
        blocks: list[tuple[int, int]] = []  # block scalars' text, where a tab is content
        loader = _BaseLoader(text)
        try:
            while loader.check_token():
                token = loader.get_token()
                kind = type(token)
                start = token.start_mark
                at = _at(start)
                if kind is yaml.AnchorToken or kind is yaml.AliasToken:
                    self.report("yaml-alias", at, lambda i=start.index, anchor=kind is yaml.AnchorToken:
                                _anchor_args(m, _WORD.match(text, i).group(), anchor))
                elif kind is yaml.TagToken and token.value == (None, "!"):
                    # `!` alone reaches the composer as no tag at all: `! 12` would read as a number
                    self.report("yaml-tag", at, lambda: {"tag": "!"})
                elif kind is yaml.DirectiveToken:
                    self.report("yaml-directive", at, lambda i=start.index: {
                        "directive": _directive_text(text, i), "fix": _directive_fix(m)})
                elif kind is yaml.KeyToken and token.end_mark.index > start.index:
                    end = token.end_mark.index
                    if text[end:end + 1] and text[end] not in _FLOW_END:
                        # only inside brackets does libyaml take a `?` glued to a word as `? key`
                        self.report("yaml-syntax", at, lambda end=end: _question_args(
                            m, "?" + _WORD.match(text, end).group().rstrip(":")))
                elif kind is yaml.ScalarToken and token.style in ("|", ">"):
                    blocks.append((start.index, token.end_mark.index))
                    header = _BLOCK_HEADER_HASH.match(text, start.index)
                    if header:
                        self._glued_comment(header.end() - 1)
                elif (kind is yaml.ScalarToken and token.style in ('"', "'")) or kind in (
                        yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.FlowEntryToken):
                    end = token.end_mark.index
                    if text[end:end + 1] == "#":
                        self._glued_comment(end)
        except yaml.YAMLError:  # pragma: no cover - the text composed, so its tokens scan
            pass
        finally:
            loader.dispose()
        if "\t" in text:
            self._tabs(blocks)

    def _glued_comment(self, index: int) -> None:
        def args() -> dict[str, object]:
            comment = _shown(_BREAK.split(self.text[index:index + 80], 1)[0].rstrip())
            return {"problem": self.m.pick(
                f"`#` right after a value starts a comment without a space, so `{comment}` would be dropped",
                f"值后面紧跟的 `#` 会开始注释（前面没有空格），`{comment}` 会被丢掉"),
                "fix": self.m.pick("put a space before `#` if it is a comment; if it belongs to the value, put it "
                                   "inside the quotes", "如果是注释，请在 `#` 前加空格；如果属于值，请把它放进引号内")}
        self.report("yaml-syntax", lambda: self.position(index), args)

    def _tabs(self, blocks: list[tuple[int, int]]) -> None:
        # YAML indents with spaces; where it allows a tab after the indentation
        # libyaml reads some such lines and refuses others, and a tab shows as
        # different widths in different editors. A tab is refused in the
        # leading white space of any line but a block scalar's text (content there).
        starts = [b[0] for b in blocks]
        for match in _LEADING_TAB.finditer(self.text):
            tab = self.text.index("\t", match.start())
            i = bisect.bisect_right(starts, tab) - 1
            if i >= 0 and blocks[i][0] < tab < blocks[i][1]:
                continue
            self.report("yaml-tab", lambda tab=tab: self.position(tab), dict)


def _anchor_args(m: Messages, written: str, anchor: bool) -> dict[str, object]:
    written = _shown(written)
    if anchor:
        return {"what": m.pick(f"`{written}` names this value", f"`{written}` 命名了此值"),
                "fix": m.pick(f"remove `{written}`", f"请删除 `{written}`")}
    return {"what": m.pick(f"`{written}` repeats a value written elsewhere", f"`{written}` 引用了别处写的值"),
            "fix": m.pick("write the value out in full at each place it is needed", "请在每个需要的位置完整写出该值")}


def _question_args(m: Messages, word: str) -> dict[str, object]:
    word, key = _shown(word), _shown(word[1:])
    return {"problem": m.pick(f"`{word}` inside brackets is read as the key `{key}`, losing its `?`",
                              f"方括号或花括号中的 `{word}` 会被读作键 `{key}`，丢掉 `?`"),
            "fix": m.pick(f"quote it: '{word}'", f"请加引号：'{word}'")}


def _directive_text(text: str, index: int) -> str:
    line = _BREAK.split(text[index:index + 200], 1)[0]
    return _shown(line.split(" #", 1)[0].strip())


def _directive_fix(m: Messages) -> str:
    return m.pick("remove the line: crmctl reads YAML 1.2 without directives; if the `%` belongs to a value, "
                  "quote the value",
                  "请删除该行：crmctl 按 YAML 1.2 读取，不接受指令；如果 `%` 属于某个值，请给该值加引号")


_DOC_MARKER = re.compile(r"(---|\.\.\.)(?=[ \t]|\Z)")


def _second_document(text: str) -> tuple[int, int] | None:
    """Where a second document starts, judged by the lines alone (asked only when
    libyaml fails, which it does on some valid streams of several documents)."""
    documents = 0
    open_ = False
    for number, line in enumerate(_BREAK.split(text), start=1):
        marker = _DOC_MARKER.match(line)
        if marker and marker.group(1) == "---":
            documents += 1
            open_ = True
        elif marker:
            open_ = False
            continue
        elif not open_ and line.strip() and not line.lstrip().startswith(("#", "%")):
            documents += 1
            open_ = True
        else:
            continue
        if documents == 2:
            return number, 1
    return None


# the YAML parser's own words for what went wrong, said in the user's language: (pattern, zh)
_PROBLEMS_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(pattern), zh) for pattern, zh in (
    (r"could not find expected ':'", "找不到应有的 `:`"),
    (r"did not find expected key", "找不到应有的键（缩进可能不一致）"),
    (r"did not find expected '(.)' or '(.)'", "缺少 `{0}` 或 `{1}`"),
    (r"did not find expected '(.)' indicator", "缺少 `{0}`"),
    (r"mapping values are not allowed in this context", "此处不能出现 `键: 值`"),
    (r"block sequence entries are not allowed in this context", "此处不能出现列表项（`- `）"),
    (r"did not find expected node content", "此处缺少值"),
    (r"did not find expected <document start>", "此处应是新文档的开头（`---`）"),
    (r"did not find expected comment or line break", "此处应是注释或换行"),
    (r"did not find expected whitespace or line break", "此处应是空格或换行"),
    (r"found unexpected end of stream", "文件在引号或括号闭合之前就结束了"),
    (r"found unexpected document indicator", "引号中的文本里出现了文档标记（`---` 或 `...`）"),
    (r"found unexpected '(.)'", "意外出现 `{0}`"),
    (r"found unknown escape character", "双引号中有未知的转义字符（`\\` 后的字符）"),
    (r"found an indentation indicator equal to 0", "块文本的缩进标记不能为 0"),
    (r"found character that cannot start any token", "此字符不能作为值的开头"),
    (r"found undefined tag handle", "未定义的标签前缀"),
    (r"found a tab character", "缩进中有制表符"),
))


def _problem_text(problem: str, m: Messages) -> str:
    """The parser's problem in the user's language (English as the parser has it)."""
    if m.lang != "zh-CN":
        return problem
    for pattern, zh in _PROBLEMS_ZH:
        found = pattern.search(problem)
        if found:
            return zh.format(*found.groups())
    return "无法解析此处的 YAML"


_FULL_WIDTH_KEY = re.compile(r"^[ ]*(?:-[ ]+)*[A-Za-z_][\w-]*[ ]*(\uff1a)", re.M)


def _colon_problem(exc: yaml.MarkedYAMLError, text: str, m: Messages) -> tuple[int, int, str, str] | None:
    """A key line that misses its `: ` (a full-width colon, no space after the colon): the
    parser notices a line or more later, and says something else; point at the line and the
    colon, and say what to type."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return None
    # a key written with a full-width colon, on or before the line the parser gave up on
    end = text.find("\n", mark.index)
    keys = list(_FULL_WIDTH_KEY.finditer(text, 0, end if end >= 0 else len(text)))
    if keys:
        at = keys[-1].start(1)
        line = text.count("\n", 0, at)
        col = at - (text.rfind("\n", 0, at) + 1)
        return (line + 1, col + 1,
                m.pick("a full-width colon `\uff1a` where `: ` belongs", "此处用了全角冒号 `\uff1a`，应为 `: `"),
                m.pick("write a half-width colon and a space: `key: value`", "请改为半角冒号加空格：`键: 值`"))
    start = exc.context_mark
    if start is None or "could not find expected ':'" not in (exc.problem or ""):
        return None
    line_end = text.find("\n", start.index)
    glued = re.search(r":(?=[^\s])", text[start.index:line_end if line_end >= 0 else len(text)])
    if glued:
        return (start.line + 1, start.column + glued.start() + 1,
                m.pick("no space after the `:`", "`:` 后面缺少空格"),
                m.pick("put a space after the colon: `key: value`", "请在冒号后加一个空格：`键: 值`"))
    return None


def _parse_failure(exc: yaml.MarkedYAMLError, text: str, path: str, messages: Messages) -> list[Diagnostic]:
    m = messages
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if exc.problem == "but found another document":
        return [m.diagnostic("yaml-multiple-documents", path, line, col)]
    found = []
    second = _second_document(text)
    if second is not None:
        found.append(m.diagnostic("yaml-multiple-documents", path, *second))
        if (line, col) >= second:  # it failed in a later document: removing that is the fix
            return found
    char = text[mark.index:mark.index + 1] if mark else ""
    problem = exc.problem or exc.context or "invalid YAML"
    context = exc.context or ""
    if context.startswith(("while scanning an anchor", "while scanning an alias", "found duplicate anchor")) \
            or problem.startswith("found undefined alias"):
        # an anchor libyaml cannot read, or reuses, is refused as any anchor is
        at = exc.context_mark if context.startswith("while") and exc.context_mark else mark
        written = _WORD.match(text, at.index).group() if at else ""
        found.append(m.diagnostic("yaml-alias", path, at.line + 1 if at else 1, at.column + 1 if at else 1,
                                  what=m.pick(f"`{_shown(written)}` is written here", f"此处写了 `{_shown(written)}`"),
                                  fix=m.pick("remove it, and write each value out in full where it is needed",
                                             "请删除它，并在每个需要的位置完整写出值")))
        return found
    if char == "\t" or "tab" in problem:
        found.append(m.diagnostic("yaml-tab", path, line, col))
        return found
    if "directive" in f"{exc.problem} {exc.context}" or problem == "found incompatible YAML document":
        start = text.rfind("\n", 0, mark.index + 1) + 1 if mark else 0
        found.append(m.diagnostic("yaml-directive", path, line, 1, directive=_directive_text(text, start),
                                  fix=_directive_fix(m)))
        return found
    colon = _colon_problem(exc, text, m)
    if colon is not None:
        line, col, problem, fix = colon
        found.append(m.diagnostic("yaml-syntax", path, line, col, problem=problem, fix=fix))
        return found
    if "could not find expected ':'" in problem and exc.context_mark is not None:
        line, col = exc.context_mark.line + 1, exc.context_mark.column + 1  # the line lacking its `:`
    if char in ("@", "`"):
        fix = m.pick(f"a value starting with {char} must be quoted", f"以 {char} 开头的值需要加引号")
    elif "mapping values are not allowed" in problem:
        fix = m.pick("a value containing `: ` must be quoted", "含有 `: ` 的值需要加引号")
    elif "could not find expected ':'" in problem:
        fix = m.pick("each line of a mapping needs `key: value`; check the indentation",
                     "映射的每一行都需要 `键: 值`；请检查缩进")
    else:
        fix = m.pick("check the indentation and quoting around this point",
                     "请检查此处附近的缩进和引号")
    found.append(m.diagnostic("yaml-syntax", path, line, col, problem=_problem_text(problem, m), fix=fix))
    return found


def resolve_plain(text: str) -> tuple[Any, str | None]:
    """A plain (unquoted) scalar's value by the YAML 1.2 core rules, and, when a
    YAML 1.1 reader would take it differently, which way (``bool``, ``octal``,
    ``sexagesimal``, ``number``, ``text``)."""
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
        if text.isascii() and len(text) <= MAX_NUMBER_CHARS:  # the two usual cases first, without a pattern
            if text.isdigit() and (first != "0" or len(text) == 1):
                return int(text), None  # a count, an amount
            if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.replace("-", "").isdigit():
                return text, None  # a date, 2026-08-05: text, as the 1.2 core schema has it
        if len(text) > MAX_NUMBER_CHARS and (_INT.match(text) or _HEX.match(text) or _FLOAT.match(text)):
            return None, "long"  # building it would cost what a hostile file wants it to cost
        if _INT.match(text):
            return int(text), None
        if _LEADING_ZERO.match(text):
            return text, "octal"
        if _FLOAT.match(text):
            # a number by 1.2, text by 1.1 (`1e3`): which was meant cannot be known
            return (float(text), None) if _FLOAT_11.match(text) else (text, "text")
        if _HEX.match(text):
            return int(text, 16), None
        if text in _SPECIAL_FLOATS:
            return _SPECIAL_FLOATS[text], None
        if _SEXAGESIMAL.match(text):
            return text, "sexagesimal"
        if _OCTAL_12.match(text):
            return text, "text"
        if _NUMBER_11.match(text):
            return text, "number"
    return text, None


def reads_back_as_text(text: str) -> bool:
    """Whether ``text`` written plain (unquoted) would read back as the same text, unreported."""
    return bool(text) and resolve_plain(text) == (text, None)


class TextSafeDumper(yaml.SafeDumper):
    """PyYAML's safe dumper, quoting every string that crmctl's reader would not
    read back, unquoted, as the same string (PyYAML alone would leave ``09:30``
    or ``089`` bare)."""


_BREAKS_AND_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    if _BREAKS_AND_CONTROLS.search(data):
        # NEL, U+2028/2029 and other controls are line breaks or invisible to a reader: written
        # raw inside quotes they would be folded to spaces on reading; escaped, they stay themselves
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    if "\n" not in data and not reads_back_as_text(data):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="'")
    return dumper.represent_str(data)


TextSafeDumper.add_representer(str, _represent_str)
# an amount is written with its own digits: 500000, 500000.5 (never 5E+5)
TextSafeDumper.add_representer(Decimal, lambda dumper, data: dumper.represent_scalar(
    "tag:yaml.org,2002:int" if data == data.to_integral_value() else "tag:yaml.org,2002:float",
    f"{data:f}"))


class _Builder:
    """Node graph to plain dict/list/str/int/float/bool/None, collecting diagnostics."""

    def __init__(self, path: str, messages: Messages, tally: Tally, out: list[Diagnostic], *,
                 shared: bool, aliases_reported: bool, source: str = "") -> None:
        self.path = path
        self.source = source
        self.messages = messages
        self.tally = tally
        self.diagnostics = out
        # Only an alias makes the composer hand back a node twice, and only a
        # text holding `&` can have one: others skip the bookkeeping. The scan
        # reports each alias where it is written; a repeated node is never built twice.
        self._seen: set[int] | None = set() if shared else None
        self.aliases_reported = aliases_reported

    def _report(self, code: str, node: yaml.Node, **args: object) -> None:
        where = _at(node.start_mark)
        if self.tally.admit(code, where):
            self.diagnostics.append(self.messages.diagnostic(code, self.path, *where(), **args))

    def _alias(self, site: yaml.Node) -> None:
        if not self.aliases_reported:
            m = self.messages
            self._report("yaml-alias", site, what=m.pick("this value is used more than once", "此值被多次引用"),
                         fix=m.pick("write the value out in full at each place it is needed",
                                    "请在每个需要的位置完整写出该值"))

    def build(self, node: yaml.Node, depth: int = 0, site: yaml.Node | None = None) -> Any:
        if depth > MAX_DEPTH:
            self._report("yaml-too-deep", node, limit=MAX_DEPTH)
            return None
        if self._seen is not None:
            if id(node) in self._seen:
                # the composer hands an alias back as the anchored node itself, so
                # point at the key or item that uses it, not at the anchor
                self._alias(site or node)
                return None
            self._seen.add(id(node))
        cls = node.__class__
        if cls is yaml.ScalarNode:
            return self._scalar(node)
        if node.tag != _IMPLICIT and node.tag not in (_SEQ_TAG, _MAP_TAG):
            self._report("yaml-tag", node, tag=_tag(node.tag))
            return None
        # A million values in a large check, nearly all untagged single-line scalars: those are
        # read here, in the loop, with one call at most; anything else goes through build().
        plain = self._seen is None  # no node can be an alias, so none needs bookkeeping
        inline = plain and depth < MAX_DEPTH  # a child one level too deep is reported by build()
        if cls is yaml.SequenceNode:
            items = []
            for item in node.value:
                if inline and item.__class__ is yaml.ScalarNode and item.tag == _IMPLICIT:
                    if item.style:  # quoted or block: text
                        items.append(item.value)
                        continue
                    if item.start_mark.line == item.end_mark.line:
                        value, ambiguity = resolve_plain(item.value)
                        if ambiguity is None:
                            items.append(value)
                            continue
                items.append(self.build(item, depth + 1, node))
            return items
        result: dict[Any, Any] = {}
        first: dict[Any, yaml.Node] = {}  # each key's node, as taken: a repeat names its line
        for key_node, value_node in node.value:
            k = key_node.value
            # the common key, plain text, costs two tests; anything else is looked at closely
            if not (plain and key_node.tag == _IMPLICIT and k.__class__ is str and k and k.isprintable()):
                k = self._key(key_node, value_node)
                if k is None:
                    continue
            if k in first:
                self._report("yaml-duplicate-key", key_node, key=_shown(k), first_line=first[k].start_mark.line + 1)
                continue
            first[k] = key_node
            if inline and value_node.__class__ is yaml.ScalarNode and value_node.tag == _IMPLICIT:
                if value_node.style:
                    result[k] = value_node.value
                    continue
                if value_node.start_mark.line == value_node.end_mark.line:
                    value, ambiguity = resolve_plain(value_node.value)
                    if ambiguity is None:
                        result[k] = value
                        continue
            result[k] = self.build(value_node, depth + 1, key_node)
        return result

    def _key(self, key_node: yaml.Node, value_node: yaml.Node) -> str | None:
        """A key is the text written: `1:` or `~:` is the key "1" or "~", which the
        schema then names as unknown, rather than a number or null key. None: the
        entry is left out, and why is reported."""
        m = self.messages
        if key_node.__class__ is not yaml.ScalarNode:
            self._report("yaml-syntax", key_node, problem=m.pick("a key must be a plain value", "键必须是简单值"),
                         fix=m.pick("write `key: value`", "请写作 `键: 值`"))
            return None
        if self._seen is not None:
            if id(key_node) in self._seen:
                self._alias(value_node)
                return None
            self._seen.add(id(key_node))
        if key_node.tag != _IMPLICIT and key_node.tag != _STR_TAG:
            self._report("yaml-tag", key_node, tag=_tag(key_node.tag))
        k: str = key_node.value
        if not k and not key_node.style and key_node.tag == _IMPLICIT:
            self._report("yaml-syntax", key_node, problem=m.pick("a key is missing before `:`", "`:` 前缺少键"),
                         fix=m.pick("write the key before `:`, or remove the line", "请在 `:` 前写出键，或删除该行"))
            return None
        if not k.isprintable() and CONTROL.search(k):
            self._report("yaml-key-control", key_node, key=_shown(k), chars=", ".join(controls_in(k)))
            return None
        return k

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        text = node.value
        if node.tag != _IMPLICIT:
            if node.tag == _STR_TAG:
                return text
            self._report("yaml-tag", node, tag=_tag(node.tag))
            return text
        if node.style:  # quoted or block: always text
            return text
        if node.start_mark.line != node.end_mark.line and self.source:
            # `- ` on a line of its own, a space deeper than the list: YAML folds it into the text above
            written = self.source[node.start_mark.index:node.end_mark.index]
            if any(line.lstrip().startswith("- ") for line in _BREAK.split(written)[1:]):
                self._report("yaml-dash-in-text", node, text=_shown(text))
        value, ambiguity = resolve_plain(text)
        if ambiguity == "long":
            self._report("yaml-long-number", node, start=text[:12], length=len(text), limit=MAX_NUMBER_CHARS)
        elif ambiguity:
            self._ambiguous(node, ambiguity)
        return value

    def _ambiguous(self, node: yaml.ScalarNode, kind: str) -> None:
        m = self.messages
        text = node.value
        quoted = f"'{text}'"
        if kind == "bool":
            yaml11 = m.pick("a yes/no value", "是/否布尔值")
            fix = m.pick(f"quote it ({quoted}) if it is text; write `true` or `false` if it is yes/no",
                         f"如果是文本请加引号（{quoted}）；如果表示是/否，请写 `true` 或 `false`")
        elif kind == "octal":
            # 1.1 reads 0-7 digits as octal and any other as text; 1.2 reads both as decimal, dropping the zero
            as_12 = None if "_" in text else int(text)
            if as_12 is None:
                yaml11 = m.pick("an octal number", "八进制数")
            elif set(text.lstrip("+-")) <= set("01234567"):
                yaml11 = m.pick(f"an octal number, YAML 1.2 tools as {as_12} (the leading zero dropped)",
                                f"八进制数，而 YAML 1.2 工具读作 {as_12}（前导零丢失）")
            else:
                yaml11 = m.pick(f"text, YAML 1.2 tools as the number {as_12} (the leading zero dropped)",
                                f"文本，而 YAML 1.2 工具读作数字 {as_12}（前导零丢失）")
            fix = m.pick(f"quote it ({quoted}) if it is a code or phone number; drop the leading zero if it is a number",
                         f"如果是编码或电话号码请加引号（{quoted}）；如果是数字请去掉前导零")
        elif kind == "sexagesimal":
            yaml11 = m.pick("a base-60 number", "六十进制数")
            fix = m.pick(f"quote it: {quoted}", f"请加引号：{quoted}")
        elif kind == "text":
            yaml11 = m.pick("text, YAML 1.2 tools as a number", "文本，而 YAML 1.2 工具读作数字")
            fix = m.pick(f"quote it ({quoted}) if it is text; write it in plain decimal digits if it is a number",
                         f"如果是文本请加引号（{quoted}）；如果是数字，请用普通十进制数字书写")
        else:
            yaml11 = m.pick("a number", "数字")
            fix = m.pick(f"quote it ({quoted}) if it is text; write it in decimal digits without `_` if it is a number",
                         f"如果是文本请加引号（{quoted}）；如果是数字，请用不带 `_` 的十进制数字书写")
        self._report("yaml-ambiguous-scalar", node, text=_shown(text), yaml11=yaml11, fix=fix)


def locate(root: yaml.Node | None, loc: tuple[Any, ...], *, want_key: bool = False) -> tuple[yaml.Node | None, bool]:
    """Follow a pydantic ``loc`` through the nodes.

    Returns the deepest node reached and whether the whole path was found. With
    ``want_key``, a path ending at a mapping key gives the *key* node (where an
    unknown key should be pointed at) instead of its value.
    """
    node = root
    for i, step in enumerate(loc):
        if isinstance(node, yaml.MappingNode):
            want = str(step)
            for key_node, child in node.value:
                if key_node.value == want and isinstance(key_node, yaml.ScalarNode):
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
