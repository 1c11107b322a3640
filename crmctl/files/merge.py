"""A git merge driver for crmctl's files: two people who each add to a list get both additions.

Git merges text. Two branches that each append an activity to a customer's log, an event to
a project's history or a contact to its list all change the same place, the end of that list,
so git's own merge stops with a conflict though nothing conflicts. This driver lets git try
first; only where git's merge conflicts, and both sides did nothing but append items to the
file's top-level lists, the other side's new items are appended after ours (through the same
text-preserving splice as ``crmctl log``), and the result is read back to confirm it holds the
base's items, then ours, then theirs. Anything else is left as git's conflict, markers and all,
for a person (``check`` reports the markers as ``merge-conflict``).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from crmctl.errors import UserError
from crmctl.messages import Messages

DRIVER = "crmctl"
# the files people and crmctl append to: the log, the stage history, contacts, our people
ATTRIBUTES = ("customers/*/activities.yaml", "customers/*/contacts.yaml", "customers/*/projects/*/history.yaml",
              "people.yaml")


def _data(text: str, rel: str, m: Messages) -> dict[str, Any] | None:
    from crmctl.files.yamlio import parse_yaml

    doc = parse_yaml(text, rel, m)
    return doc.data if not doc.diagnostics and isinstance(doc.data, dict) else None


def _split_tail(text: str, key: str, keep: int) -> tuple[str, str] | None:
    """``text`` cut before the item ``keep`` of the block list ``key``, the file's last entry:
    (what stays, the items after it as written). None for any other layout."""
    import yaml

    from crmctl.files.yamlio import compose

    root = compose(text)
    if not isinstance(root, yaml.MappingNode) or not root.value:
        return None
    last_key, items = root.value[-1]
    if last_key.value != key:
        return None
    if isinstance(items, yaml.ScalarNode) and items.value in ("", "~", "null") and keep == 0:
        return text, ""  # `activities:` with nothing under it yet
    if not isinstance(items, yaml.SequenceNode) or (items.flow_style and len(items.value) > keep):
        return None
    if len(items.value) <= keep:
        return text, ""
    cut = text.rfind("\n", 0, items.value[keep].start_mark.index) + 1  # the start of the item's `- ` line
    return text[:cut], text[cut:]


def _git_merge(base: str, ours: str, theirs: str) -> tuple[bool, str]:
    """git merge-file of three texts: (clean, the result with any conflict markers)."""
    with tempfile.TemporaryDirectory(prefix="crmctl-merge-") as tmp:
        paths = [Path(tmp) / name for name in ("ours", "base", "theirs")]
        for path, text in zip(paths, (ours, base, theirs)):
            path.write_bytes(text.encode("utf-8"))
        run = subprocess.run(["git", "merge-file", "-L", "ours", "-L", "base", "-L", "theirs",
                              *map(str, paths)], capture_output=True, timeout=120)
        return run.returncode == 0, paths[0].read_bytes().decode("utf-8")


def merge_appends(base: str, ours: str, theirs: str, rel: str, m: Messages) -> str | None:
    """The merge when git's conflicts only because both sides appended to the file's list: the
    rest merged by git, then our new items, then theirs, as each side wrote them. None otherwise."""
    b, o, t = (_data(text, rel, m) for text in (base, ours, theirs))
    if b is None or o is None or t is None or not b or not set(b) == set(o) == set(t):
        return None
    key = list(b)[-1]  # crmctl's files keep their list last: activities, events, contacts, people
    was = b[key] or []
    if not all(isinstance(v, list) or v is None for v in (b[key], o[key], t[key])):
        return None
    ours_split, theirs_split = _split_tail(ours, key, len(was)), _split_tail(theirs, key, len(was))
    if ours_split is None or theirs_split is None:
        return None
    clean, merged = _git_merge(base, ours_split[0], theirs_split[0])
    if not clean:
        return None  # a change to the same entry on both sides: a person decides
    if merged and not merged.endswith("\n"):
        merged += "\n"
    result = merged + ours_split[1] + theirs_split[1]
    kept, got = _data(merged, rel, m), _data(result, rel, m)
    if kept is None or got is None:
        return None
    ours_new, theirs_new = (o[key] or [])[len(was):], (t[key] or [])[len(was):]
    if ours_new and theirs_new and not _both_may_add(key, (kept[key] or []) + ours_new + theirs_new):
        return None
    expected = {**kept, key: (kept[key] or []) + ours_new + theirs_new}
    return result if got == expected else None


def _both_may_add(key: str, items: list[Any]) -> bool:
    """Whether additions by both sides can stand together. A project's stage history moved on two
    branches is a real conflict (two advances, two closes); two contacts or people with one id
    would be one person twice. Log entries always can."""
    if key == "events":
        return False
    ids = [item.get("id") for item in items if isinstance(item, dict) and item.get("id") is not None]
    return len(ids) == len(set(ids))


def _read(path: Path) -> tuple[bytes, str | None]:
    raw = path.read_bytes()
    try:
        return raw, raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        return raw, None


def merge_file(base: Path, ours: Path, theirs: Path, rel: str, m: Messages) -> bool:
    """Git's merge driver: the merge of ``base``, ``ours`` and ``theirs`` written over ``ours``.
    True when clean; False leaves git's conflict markers in ``ours`` for a person."""
    try:
        return _merge_file(base, ours, theirs, rel, m)
    except FileNotFoundError:
        raise UserError(m.pick("git is not installed", "未安装 git"),
                        m.pick("the merge driver runs git's own merge first: install git",
                               "合并驱动先运行 git 自己的合并：请先安装 git")) from None


def _merge_file(base: Path, ours: Path, theirs: Path, rel: str, m: Messages) -> bool:
    ours_raw, ours_text = _read(ours)
    with tempfile.TemporaryDirectory(prefix="crmctl-merge-") as tmp:
        attempt = Path(tmp) / "merged"
        attempt.write_bytes(ours_raw)
        run = subprocess.run(["git", "merge-file", "-L", "ours", "-L", "base", "-L", "theirs", str(attempt),
                              str(base), str(theirs)], capture_output=True, timeout=120)
        merged_raw = attempt.read_bytes()
    if run.returncode == 0:  # git's own merge is clean: nothing for crmctl to do
        _write(ours, merged_raw)
        return True
    texts = [_read(base)[1], ours_text, _read(theirs)[1]]
    merged = None if None in texts else merge_appends(*texts, rel, m)  # type: ignore[arg-type]
    if merged is None:
        _write(ours, merged_raw)  # git's conflict, markers and all
        return False
    _write(ours, (b"\xef\xbb\xbf" if ours_raw.startswith(b"\xef\xbb\xbf") else b"") + merged.encode("utf-8"))
    return True


def _write(path: Path, data: bytes) -> None:
    # git reads the result back from this file once the driver ends; written whole, then renamed
    temp = path.with_name(path.name + ".crmctl-merge")
    temp.write_bytes(data)
    os.replace(temp, path)


# Git runs this through the shell. When crmctl does not merge — it cannot be found (a git program
# started without crmctl's environment: 127), is too old to know merge-file (2) or fails (3) —
# git's own text merge runs instead, conflict markers and all: git would otherwise take the
# untouched file for the merge and drop the other side's changes without a word.
DRIVER_COMMAND = ('crmctl merge-file %O %A %B %P; s=$?; '
                  'if [ $s -gt 1 ]; then git merge-file -L ours -L base -L theirs %A %O %B; else exit $s; fi')


def gitattributes_lines() -> list[str]:
    return [f"{pattern} merge={DRIVER}" for pattern in ATTRIBUTES]


def configure(root: Path, m: Messages) -> bool:
    """Name the driver in the clone's git configuration (git keeps drivers out of the repository,
    so each clone says it once). False when ``root`` is not in a git work tree."""
    def git(*args: str) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=60)
        except FileNotFoundError:
            raise UserError(m.pick("git is not installed", "未安装 git"),
                            m.pick("install git, then run this again", "请先安装 git，再运行此命令")) from None

    if git("rev-parse", "--is-inside-work-tree").stdout.strip() != "true":
        return False
    git("config", f"merge.{DRIVER}.name", "crmctl: both sides' additions to a list")
    git("config", f"merge.{DRIVER}.driver", DRIVER_COMMAND)
    return True
