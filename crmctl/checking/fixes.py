"""``check --fix``: the mechanical fixes, made without disturbing anything else in a file.

A fix is mechanical when there is one right change and it needs no judgement:

- a YAML 1.1 look-alike (``NO``, ``on``, ``12:30``, ``0755``) or an over-long number is quoted,
  so every YAML tool reads the text crmctl reads — but only where the quoted value is what the
  file wants: the file is read again with the change and validated, and a change that would
  make any new problem (``quantity: 010`` quoted is no number) is left to a person;
- a temporary file a killed crmctl run left is removed (the record it wrote is whole or absent).

Only the characters of the fix change: comments, order, indentation, line ends and the
byte-order mark stay as they were. ``normalise`` (asked for, never by default) also removes
byte-order marks and writes LF line ends in every file crmctl reads.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import yaml

from crmctl.diagnostics import Diagnostic
from crmctl.errors import UserError
from crmctl.files import boundary, layout, storage
from crmctl.messages import Messages

QUOTED = ("yaml-ambiguous-scalar", "yaml-long-number")
REMOVED = ("file-leftover",)


@dataclass
class FileFix:
    """One file's change: its text before and after, and the problems it fixes."""

    path: str
    before: storage.EditableText
    after: str
    fixed: list[Diagnostic] = field(default_factory=list)
    normalised: bool = False

    def diff(self) -> str:
        # a byte-order mark is no line of text: the header says it goes
        bom = " (UTF-8 with a byte-order mark)" if self.before.bom and self.normalised else ""
        lines = "".join(difflib.unified_diff(self.before.text.splitlines(keepends=True),
                                             self.after.splitlines(keepends=True),
                                             f"a/{self.path}{bom}", f"b/{self.path}"))
        return lines or f"--- a/{self.path}{bom}\n+++ b/{self.path}\n"


@dataclass
class Plan:
    files: list[FileFix]
    removals: list[Diagnostic]

    @property
    def fixed(self) -> int:
        return sum(len(f.fixed) for f in self.files)

    def diff(self) -> str:
        return "".join(f.diff() for f in self.files) + \
            "".join(f"Only in {os.path.dirname(d.path) or '.'}: {os.path.basename(d.path)}\n" for d in self.removals)


def _read(root: Path, rel: str, messages: Messages) -> storage.EditableText | None:
    """A file's text as it is written; None when it cannot be read as text or is not there."""
    from crmctl.files.yamlio import MAX_FILE_BYTES

    try:
        path = boundary.require(root, rel, messages)  # a link inside: the file it leads to
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            return None
        return storage.editable(raw, rel, messages)
    except (OSError, UserError):
        return None


def _yaml_part(text: str, rel: str) -> str | None:
    """The YAML of a file, lines as the file's: the whole of a .yaml, a document's front matter."""
    if not rel.endswith(".md"):
        return text
    from crmctl.files.documents import split_front_matter

    parts = split_front_matter(text)
    return None if parts is None else parts[0]


def _plain_scalars(text: str) -> dict[tuple[int, int], yaml.ScalarNode]:
    """Plain scalars of one line each, by (line, col) as diagnostics give them."""
    from crmctl.files.yamlio import compose

    root = compose(text)
    found: dict[tuple[int, int], yaml.ScalarNode] = {}
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            if not node.style and node.start_mark.line == node.end_mark.line:
                found[(node.start_mark.line + 1, node.start_mark.column + 1)] = node
        elif isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return found


def _problems(root: Path, rel: str, text: str, messages: Messages) -> list[Diagnostic]:
    """What check says of ``text`` as the file ``rel`` alone (its parse and its schema)."""
    from crmctl.files.documents import DOCUMENT_FILES, document_from_text
    from crmctl.files.validate import validate_document
    from crmctl.files.yamlio import parse_yaml

    parts = rel.split("/")
    name = parts[-1]
    if len(parts) == 5 and name in DOCUMENT_FILES:
        return document_from_text(text, rel, DOCUMENT_FILES[name], messages).diagnostics
    kind = {1: {layout.CONFIG_FILE: layout.CONFIG, layout.PEOPLE_FILE: layout.PEOPLE},
            3: layout.CUSTOMER_FILES, 5: layout.PROJECT_FILES}.get(len(parts), {}).get(name)
    doc = parse_yaml(text, rel, messages)
    if kind is None or doc.root is None:
        return doc.diagnostics
    return doc.diagnostics + validate_document(kind.model(), doc, messages)[1]


def _spliced(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _no_new_problems(before: list[Diagnostic], after: list[Diagnostic], fixed: list[Diagnostic]) -> bool:
    # lines stay where they are (a quote adds two characters to its own line): compare by code and line
    gone = {(d.code, d.line) for d in fixed}
    allowed = {(d.code, d.line) for d in before} - gone
    return all((d.code, d.line) in allowed for d in after)


def _quote_fixes(root: Path, rel: str, found: list[Diagnostic], messages: Messages,
                 normalise: bool) -> FileFix | None:
    current = _read(root, rel, messages)
    if current is None:
        return None
    text = current.text
    part = _yaml_part(text, rel)
    nodes = _plain_scalars(part) if part is not None else {}
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    candidates = []
    for d in found:
        node = nodes.get((d.line, d.col))
        if node is None or d.line > len(starts) - 1:
            continue
        start = starts[d.line - 1] + d.col - 1
        written = text[start:start + node.end_mark.index - node.start_mark.index]
        if written != node.value:  # a plain scalar is written as it reads on one line; anything else: by hand
            continue
        candidates.append((d, (start, start + len(written), "'" + written.replace("'", "''") + "'")))
    before = _problems(root, rel, text, messages)

    def works(chosen: list) -> bool:
        return _no_new_problems(before, _problems(root, rel, _spliced(text, [e for _, e in chosen]), messages),
                                [d for d, _ in chosen])

    kept = candidates if candidates and works(candidates) else [c for c in candidates if works([c])]
    if len(kept) != len(candidates) and len(kept) > 1 and not works(kept):
        kept = kept[:1]
    after = _spliced(text, [e for _, e in kept])
    if normalise:
        after = after.replace("\r\n", "\n").replace("\r", "\n")  # Windows' line ends, and old Macs' too
    if after == text and not (normalise and current.bom):
        return None
    return FileFix(rel, current, after, [d for d, _ in kept], normalised=normalise)


def _files_crmctl_reads(root: Path) -> Iterable[str]:
    """The files a check reads, by their known names in folders named by ids: nothing else is
    normalised (a README kept in a customer's folder is the team's, not crmctl's)."""
    from crmctl.files.documents import DOCUMENT_FILES
    from crmctl.ids import is_valid_id

    def files(rel: str, names: Iterable[str]) -> Iterable[str]:
        for name in sorted(names):
            if os.path.isfile(root / rel / name):
                yield f"{rel}/{name}" if rel else name

    def folders(rel: str) -> list[str]:
        try:
            return sorted(e.name for e in os.scandir(root / rel) if is_valid_id(e.name) and e.is_dir())
        except OSError:
            return []

    yield from files("", (layout.CONFIG_FILE, layout.PEOPLE_FILE))
    for customer in folders(layout.CUSTOMERS_DIR):
        rel = f"{layout.CUSTOMERS_DIR}/{customer}"
        yield from files(rel, layout.CUSTOMER_FILES)
        for project in folders(f"{rel}/{layout.PROJECTS_DIR}"):
            yield from files(f"{rel}/{layout.PROJECTS_DIR}/{project}", [*layout.PROJECT_FILES, *DOCUMENT_FILES])


def plan(root: Path, diagnostics: Iterable[Diagnostic], messages: Messages, *, normalise: bool = False) -> Plan:
    """What ``--fix`` would change, file by file, without changing anything."""
    by_file: dict[str, list[Diagnostic]] = {}
    removals = []
    for d in diagnostics:
        if d.code in QUOTED:
            by_file.setdefault(d.path, []).append(d)
        elif d.code in REMOVED:
            removals.append(d)
    if normalise:
        for rel in _files_crmctl_reads(root):
            by_file.setdefault(rel, [])
    files, seen = [], set()
    for rel in sorted(by_file):
        # a file reached through a link inside the repository is fixed once, where it is
        real = os.path.realpath(root / rel)
        if real in seen:
            continue
        seen.add(real)
        fix = _quote_fixes(root, rel, by_file[rel], messages, normalise)
        if fix is not None:
            files.append(fix)
    return Plan(files, sorted(removals, key=Diagnostic.sort_key))


def apply(root: Path, fixes: Plan, messages: Messages) -> tuple[int, list[str]]:
    """Make the planned changes under the repository's lock, each file atomically; a file that
    changed since it was planned is left alone. Returns the problems fixed (leftovers removed
    included) and the files skipped."""
    import shutil

    done, changed, skipped = 0, 0, []
    with storage.writing(root, messages) as writer:
        for fix in fixes.files:
            now = writer.read(fix.path)
            if now is None or now.text != fix.before.text or now.bom != fix.before.bom:
                skipped.append(fix.path)
                continue
            like = storage.EditableText(fix.after, bom=fix.before.bom and not fix.normalised)
            try:
                writer.replace(fix.path, fix.after, like)
            except UserError as exc:  # a full disk, say: this file is as it was, the ones before are fixed
                if not changed:
                    raise
                raise UserError(exc.message, messages.pick(
                    f"the {changed} file(s) before it are fixed; this one and those after are as they were: make "
                    "room, then run --fix again", f"此前的 {changed} 个文件已修正；此文件及之后的文件未改动："
                    "腾出空间后请再次运行 --fix")) from None
            done += len(fix.fixed)
            changed += 1
        for d in fixes.removals:
            path = boundary.require(root, d.path, messages, writing=True)
            try:
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink(missing_ok=True)  # a link is removed, never followed
            except OSError as exc:
                raise storage.fault(d.path, exc, messages) from None
            done += 1
    return done, skipped
