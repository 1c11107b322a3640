"""The repository boundary: nothing is read or written through a link that leads out.

A customer repository arrives through pull requests, so any folder or file in it
may be a symbolic link. A link that stays inside the repository works as the
file it points to; one that leads outside, or loops, is never followed — neither
to write (a change would land in someone's home folder) nor to read (crmctl
would copy a file of the person running it into a document they then commit).

Paths given on the command line as CUSTOMER or CUSTOMER/PROJECT are ids, never
paths: ``..``, separators and anything else an id cannot hold are refused
before the file system is touched.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from crmctl.diagnostics import Diagnostic
from crmctl.errors import UserError
from crmctl.messages import Messages

INSIDE, OUTSIDE, LOOP = "inside", "outside", "loop"


def where(root: Path, path: Path) -> str:
    """Whether ``path``, its links followed, stays ``INSIDE`` the repository rooted at
    ``root``, leads ``OUTSIDE`` it, or is a link ``LOOP``. A path that does not exist
    yet is judged by the folders above it."""
    real = os.path.normcase(os.path.realpath(path))
    top = os.path.normcase(os.path.realpath(root))
    if real != top and not real.startswith(top.rstrip(os.sep) + os.sep):
        return OUTSIDE
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return LOOP
    return INSIDE


def diagnostic(root: Path, rel: str, messages: Messages) -> Diagnostic | None:
    """A ``file-outside`` or ``file-link-loop`` diagnostic for ``rel``, or None when it may be read."""
    state = where(root, root / rel)
    if state == OUTSIDE:
        return messages.diagnostic("file-outside", rel)
    if state == LOOP:
        return messages.diagnostic("file-link-loop", rel)
    return None


def entry_diagnostic(root: Path, rel: str, entry: os.DirEntry[str], messages: Messages) -> Diagnostic | None:
    """As :func:`diagnostic`, for an entry met while scanning a folder: only a link costs a lookup."""
    return diagnostic(root, rel, messages) if entry.is_symlink() else None


def require(root: Path, rel: str, messages: Messages, *, writing: bool = False) -> Path:
    """``root / rel``, if it stays inside the repository; else a UserError naming it."""
    state = where(root, root / rel)
    if state == INSIDE:
        return root / rel
    m = messages
    if state == LOOP:
        raise UserError(m.pick(f"{rel} is a symbolic link loop (it leads back to itself)",
                               f"{rel} 是循环的符号链接（指回自身）"),
                        m.pick("replace the link with the file or folder it should be, or remove it",
                               "请用应有的文件或文件夹替换该链接，或删除它"))
    action = m.pick("write", "写入") if writing else m.pick("read", "读取")
    raise UserError(m.pick(f"refusing to {action} {rel}: it is a link that leads outside the repository",
                           f"拒绝{action} {rel}：它是指向仓库之外的链接"),
                    m.pick("replace the link with the file itself (crmctl check lists every such link)",
                           "请用文件本身替换该链接（crmctl check 会列出所有此类链接）"))
