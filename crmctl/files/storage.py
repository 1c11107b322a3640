"""Writing files without ever losing data.

Every write goes to a temporary file in the same folder and is then renamed
over (or linked to) its target, so a reader sees the old file or the new one,
never half of one. ``create`` refuses to replace an existing file, atomically.
``locked`` serialises read-modify-write of one file across processes.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from pathlib import Path
from typing import Iterator

from crmctl.errors import UserError
from crmctl.messages import Messages


def _temp_beside(target: Path, data: bytes) -> str:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def replace(target: Path, text: str) -> None:
    """Atomically replace (or create) ``target`` with ``text``, keeping its mode."""
    mode = None
    with contextlib.suppress(FileNotFoundError):
        mode = target.stat().st_mode & 0o777
    tmp = _temp_beside(target, text.encode("utf-8"))
    try:
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def create(target: Path, text: str) -> None:
    """Atomically create ``target``; ``FileExistsError`` if it exists (never overwrites)."""
    tmp = _temp_beside(target, text.encode("utf-8"))
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        os.link(tmp, target)  # fails with EEXIST instead of replacing
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def locked(target: Path) -> Iterator[None]:
    """Hold an exclusive lock for changing ``target`` (waits for other crmctl runs).

    The lock is taken on the folder, since the file itself is replaced by rename.
    """
    fd = os.open(target.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def inside(root: Path, path: Path, messages: Messages) -> Path:
    """``path`` resolved, if it stays inside ``root`` (symlinks followed); else a UserError."""
    resolved = path.resolve()
    try:
        resolved.relative_to(root.resolve())
    except ValueError:
        raise UserError(messages.pick(f"refusing to write outside the repository: {path}",
                                      f"拒绝写入仓库之外的位置:{path}"),
                        messages.pick("check for symbolic links that lead out of the repository",
                                      "请检查是否有指向仓库之外的符号链接")) from None
    return resolved
