"""Writing files without ever losing data.

Every change to a repository goes through one :class:`Writer`, opened with
:func:`writing`, which:

- refuses a repository whose ``format:`` crmctl does not know (it would write
  files a newer crmctl reads differently);
- holds the repository's lock (``.git/crmctl.lock`` when the repository is a
  git work tree's top, else ``.crmctl.lock`` at its root; through the portable
  ``filelock`` library), so concurrent runs take turns; commands that only read
  never lock;
- writes every file to a temporary file in the same folder and renames it into
  place, so a reader sees the old file or the new one, never half of one; a new
  record's folder is built under a temporary name and renamed whole;
- removes what an interrupted run left behind (names starting ``.crmctl-``) in
  the folders it writes to, and never writes through a link leading outside;
- turns a fault of the file system (read-only, full, permission denied, a file
  where a folder belongs) into a message that names the file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from crmctl.errors import UserError
from crmctl.files import boundary
from crmctl.messages import Messages

LOCK_FILE = ".crmctl.lock"
GIT_LOCK_FILE = ".git/crmctl.lock"  # inside .git no pull request can place a link, and git status stays clean
# every file or folder crmctl is still writing is named so; anything left with
# this prefix was left by a run that was killed, and may go
TEMP_PREFIX = ".crmctl-"
# a writer waits this long for another run to finish before giving up: writes
# take milliseconds, so a minute means a run is stuck, not busy (our choice)
LOCK_TIMEOUT_SECONDS = 60


def fault(rel: str, exc: OSError, messages: Messages, *, writing: bool = True) -> UserError:
    """A file-system error as a message naming the file and what to do; nothing was changed."""
    m = messages
    verb = m.pick("write", "写入") if writing else m.pick("read", "读取")
    reasons = {
        errno.EROFS: (("the file system is read-only", "文件系统为只读"),
                      ("work in a writable clone of the repository", "请在可写的仓库副本中操作")),
        errno.ENOSPC: (("the disk is full", "磁盘已满"),
                       ("free some space and run the command again; nothing was changed",
                        "请释放磁盘空间后重新运行；未做任何更改")),
        errno.EACCES: (("permission denied", "权限不足"),
                       ("check who owns the folder and file (ls -l), or run as their owner",
                        "请检查文件夹和文件的所有者与权限（ls -l），或以其所有者身份运行")),
        errno.ENOTDIR: (("a file stands where a folder belongs", "应为文件夹的位置是一个文件"),
                        ("rename or remove that file (crmctl check names it)", "请重命名或删除该文件（crmctl check 会指出）")),
        errno.EISDIR: (("a folder stands where a file belongs", "应为文件的位置是一个文件夹"),
                       ("rename or remove that folder", "请重命名或删除该文件夹")),
        errno.ELOOP: (("a symbolic link loops back on itself", "符号链接循环指向自身"),
                      ("replace the link with the file or folder it should be", "请用应有的文件或文件夹替换该链接")),
    }
    code = {errno.EDQUOT: errno.ENOSPC, errno.EPERM: errno.EACCES}.get(exc.errno, exc.errno)
    (why_en, why_zh), (fix_en, fix_zh) = reasons.get(
        code, ((exc.strerror or str(exc), exc.strerror or str(exc)), ("nothing was changed", "未做任何更改")))
    return UserError(m.pick(f"cannot {verb} {rel}: {why_en}", f"无法{verb} {rel}：{why_zh}"), m.pick(fix_en, fix_zh))


@dataclass(frozen=True)
class EditableText:
    """A file a person edits, as text, and how its bytes were written: a change keeps
    the byte-order mark and the line ends, so every line it does not touch stays
    byte-identical."""

    text: str
    bom: bool = False
    newline: str = "\n"

    def encode(self, text: str) -> bytes:
        return (b"\xef\xbb\xbf" if self.bom else b"") + text.encode("utf-8")

    def lines(self, text: str) -> str:
        """``text`` written with ``\\n`` line ends, in this file's line ends."""
        return text.replace("\n", self.newline) if self.newline != "\n" else text


def editable(raw: bytes, rel: str, messages: Messages) -> EditableText:
    """A file's bytes as :class:`EditableText`; a file that is not UTF-8 text is a UserError."""
    from crmctl.files.yamlio import decode

    bom = raw.startswith(b"\xef\xbb\xbf")
    text, problems = decode(raw, rel, messages)
    if text is None:
        raise refusal(rel, problems, messages)
    first = text.find("\n")
    if first < 0:
        newline = "\r" if "\r" in text else "\n"  # old Mac line ends, or a file of one line
    else:
        newline = "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"
    return EditableText(text, bom, newline)


def refusal(rel: str, problems: list, messages: Messages, *, reading: bool = False) -> UserError:
    """Why crmctl cannot work with ``rel`` (and changes nothing): the first problems ``check`` reports in it.
    ``reading``: a command that only reads (``status REF``, ``render``) was asked to use it."""
    m = messages
    shown = [f"{d.location()}: {d.message}" for d in problems[:3]]
    if len(problems) > 3:
        shown.append(m.pick(f"… and {len(problems) - 3} more", f"……另有 {len(problems) - 3} 处"))
    if reading:
        said = m.pick(f"{rel} has problems, so crmctl cannot read it:", f"{rel} 有问题，crmctl 无法读取：")
    else:
        said = m.pick(f"{rel} has problems, so crmctl leaves it as it is:", f"{rel} 有问题，crmctl 不做改动：")
    return UserError(said,
                     m.pick("fix them first (crmctl check lists them all), then run the command again",
                            "请先修正（crmctl check 列出全部问题），然后重新运行命令"), tuple(shown))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temp_beside(target: Path, data: bytes) -> str:
    fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{target.name}.", suffix=".tmp", dir=target.parent)
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


def _replace_file(target: Path, data: bytes) -> None:
    """Atomically replace (or create) ``target``, keeping its mode."""
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    tmp = _temp_beside(target, data)
    try:
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _create_file(target: Path, data: bytes) -> None:
    """Atomically create ``target``; ``FileExistsError`` if it exists (never overwrites)."""
    tmp = _temp_beside(target, data)
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        os.link(tmp, target)  # fails with EEXIST instead of replacing
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


class Writer:
    """The one way crmctl changes a repository; open it with :func:`writing`."""

    def __init__(self, root: Path, messages: Messages) -> None:
        self.root = root
        self.messages = messages
        self._swept: set[Path] = set()

    def _target(self, rel: str) -> Path:
        """``rel`` inside the repository, its folder swept of leftovers. A link (inside, or it is
        refused) is written through to the file it points to, so a shared file stays shared and
        the link stays a link."""
        path = boundary.require(self.root, rel, self.messages, writing=True)
        if path.is_symlink():
            path = Path(os.path.realpath(path))
        self._sweep(path.parent, rel.rpartition("/")[0])
        return path

    def _sweep(self, folder: Path, rel_folder: str) -> None:
        """Remove what a killed run left in ``folder`` (we hold the lock: nobody else is writing)."""
        if folder in self._swept or not folder.is_dir():
            return
        self._swept.add(folder)
        try:
            leftovers = [e for e in os.scandir(folder) if e.name.startswith(TEMP_PREFIX)]
            for entry in leftovers:
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)  # a link is removed, never followed
        except OSError as exc:
            raise fault(rel_folder or ".", exc, self.messages) from None

    def read(self, rel: str) -> EditableText | None:
        """A file about to be changed (None if it does not exist); refuses one it cannot read as text."""
        from crmctl.files.yamlio import MAX_FILE_BYTES

        path = self._target(rel)
        m = self.messages
        try:
            # opened without waiting: a pipe named like the record would hang the run
            with os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as fh:
                if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                    raise UserError(m.pick(f"{rel} is not a regular file (a pipe, a device or a folder)",
                                           f"{rel} 不是普通文件（管道、设备或文件夹）"),
                                    m.pick("move it aside; crmctl keeps records in plain files",
                                           "请将其移开；crmctl 的记录是普通文件"))
                raw = fh.read(MAX_FILE_BYTES + 1)  # the limit every read has
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise fault(rel, exc, m, writing=False) from None
        if len(raw) > MAX_FILE_BYTES:
            m = self.messages
            raise refusal(rel, [m.diagnostic("file-too-large", rel, limit="8 MiB", fix="")], m)
        return editable(raw, rel, self.messages)

    def create(self, rel: str, text: str) -> None:
        """Write a new file; ``FileExistsError`` if ``rel`` exists (nothing is ever overwritten)."""
        if os.path.islink(self.root / rel):  # dangling: a new file there would appear wherever it points
            m = self.messages
            raise UserError(m.pick(f"{rel} is a link to a file that does not exist", f"{rel} 是指向不存在文件的链接"),
                            m.pick("remove the link, or create the file it points to", "请删除该链接，或创建其指向的文件"))
        path = self._target(rel)
        try:
            _create_file(path, text.encode("utf-8"))
        except FileExistsError:
            raise
        except OSError as exc:
            raise fault(rel, exc, self.messages) from None

    def replace(self, rel: str, text: str, like: EditableText | None = None) -> None:
        """Replace ``rel`` whole with ``text`` (written with ``like``'s byte-order mark)."""
        path = self._target(rel)
        try:
            _replace_file(path, like.encode(text) if like else text.encode("utf-8"))
        except OSError as exc:
            raise fault(rel, exc, self.messages) from None

    def folder(self, rel: str) -> None:
        """Make the folder ``rel`` (and those above it) if missing, each inside the repository."""
        parts = rel.split("/")
        for i in range(1, len(parts) + 1):
            sub = "/".join(parts[:i])
            path = boundary.require(self.root, sub, self.messages, writing=True)
            try:
                path.mkdir(exist_ok=True)
            except FileExistsError:  # a file, where the folder belongs
                raise fault(sub, OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR)), self.messages) from None
            except OSError as exc:
                raise fault(sub, exc, self.messages) from None

    def create_folder(self, rel: str, files: dict[str, str]) -> None:
        """Create the folder ``rel`` holding ``files`` (name -> text) as one step: it is built
        under a temporary name and renamed, so a killed run leaves it whole or not at all.
        ``FileExistsError`` if ``rel`` exists."""
        parent_rel, _, name = rel.rpartition("/")
        self.folder(parent_rel)
        target = self._target(rel)
        if os.path.lexists(target):
            raise FileExistsError(rel)
        try:
            building = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}new-{name}.", dir=target.parent))
        except OSError as exc:
            raise fault(rel, exc, self.messages) from None
        try:
            os.chmod(building, 0o777 & ~_umask())
            for filename, text in files.items():
                _create_file(building / filename, text.encode("utf-8"))
            # rename replaces at most an empty folder, which holds no record; under the
            # lock no other crmctl run creates one meanwhile
            os.rename(building, target)
        except OSError as exc:
            shutil.rmtree(building, ignore_errors=True)
            if exc.errno in (errno.EEXIST, errno.ENOTEMPTY):
                raise FileExistsError(rel) from None
            raise fault(rel, exc, self.messages) from None
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise


def known_format(root: Path, messages: Messages) -> None:
    """Refuse a repository whose format crmctl does not know: to write to it, or to judge it."""
    from crmctl import __version__
    from crmctl.files.repository import load_config
    from crmctl.models.config import FORMAT_VERSION

    m = messages
    _, problems = load_config(root, messages)
    newer = [d for d in problems if d.code == "config-version"]
    if newer:
        raise UserError(m.pick(f"crm.yaml: {newer[0].message}; crmctl {__version__} does not write to it",
                               f"crm.yaml：{newer[0].message}；crmctl {__version__} 不会写入该仓库"),
                        m.pick("upgrade crmctl (a newer crmctl wrote this repository)", "请升级 crmctl（该仓库由更新版本的 crmctl 写入）"))
    from crmctl.files.repository import read_repo_yaml

    data = read_repo_yaml(root, "crm.yaml", m).data
    written = data.get("format") if isinstance(data, dict) else None
    # true or nothing is not a format crmctl knows; 1.0 is 1, as check and the schema read it
    if isinstance(written, bool) or written != FORMAT_VERSION:
        unreadable = [d for d in problems if d.severity == "error"]
        raise refusal("crm.yaml", unreadable or [m.diagnostic(
            "schema-missing-key", "crm.yaml", 1, 1, where=m.pick("top level", "顶层"), key="format")], m)


@contextlib.contextmanager
def writing(root: Path, messages: Messages, *, new_repository: bool = False) -> Iterator[Writer]:
    """A :class:`Writer` for ``root``, holding the repository's lock. ``new_repository``:
    for ``init``, which writes crm.yaml itself."""
    import filelock

    m = messages
    rel = GIT_LOCK_FILE if (root / ".git").is_dir() and not (root / ".git").is_symlink() else LOCK_FILE
    lock = boundary.require(root, rel, m, writing=True)
    if lock.is_symlink() or (lock.exists() and not lock.is_file()):
        raise UserError(m.pick(f"{rel} is not a plain file, so crmctl cannot lock the repository",
                               f"{rel} 不是普通文件，crmctl 无法锁定仓库"),
                        m.pick(f"remove it: crmctl makes a new one ({LOCK_FILE} belongs in .gitignore)",
                               f"请删除它，crmctl 会重新创建（{LOCK_FILE} 应列入 .gitignore）"))
    if not new_repository:
        known_format(root, m)
    held = filelock.FileLock(lock, timeout=LOCK_TIMEOUT_SECONDS)
    try:
        held.acquire()
    except filelock.Timeout:
        raise UserError(m.pick(f"another crmctl run has held {rel} for {LOCK_TIMEOUT_SECONDS} s",
                               f"另一个 crmctl 进程已占用 {rel} 达 {LOCK_TIMEOUT_SECONDS} 秒"),
                        m.pick("wait for it to finish; if none is running, remove the lock file",
                               "请等待其结束；如没有进程在运行，可删除该锁文件")) from None
    except OSError as exc:  # creating or locking the lock file itself
        raise fault(rel, exc, m) from None
    try:
        yield Writer(root, m)
    finally:
        held.release()


def write_files(folder: Path, files: dict[str, str], messages: Messages) -> list[Path]:
    """Write ``files`` (name -> text) into a folder of the user's choosing, outside any
    repository (``crmctl schema --out``): each atomically, nothing else touched."""
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            _replace_file(folder / name, text.encode("utf-8"))
            written.append(folder / name)
    except OSError as exc:
        raise fault(str(folder), exc, messages) from None
    return written


def write_user_file(path: Path, data: bytes, messages: Messages) -> Path:
    """Write one file where the user asked (``crmctl due --ics FILE``), atomically: a calendar
    being imported never sees half of it."""
    try:
        _replace_file(path, data)
    except OSError as exc:
        raise fault(str(path), exc, messages) from None
    return path
