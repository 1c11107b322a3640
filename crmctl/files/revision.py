"""The repository as it was at a git revision, and what changed since one, read through git itself.

``git archive`` writes the revision's files (only the customer repository's folder, when it
lies inside a larger git repository); they are unpacked into a temporary folder that is
removed afterwards. The work tree, the index and HEAD are never touched, so a report of last
quarter can run while someone edits this one.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Iterator

from crmctl.errors import UsageError, UserError
from crmctl.files.layout import CUSTOMERS_DIR
from crmctl.messages import Messages


def _git(root: Path, m: Messages, *args: str, option: str = "--at") -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=120)
    except FileNotFoundError:
        raise UserError(m.pick("git is not installed", "未安装 git"),
                        m.pick(f"{option} reads the repository through git: install it",
                               f"{option} 通过 git 读取仓库：请先安装 git")) from None


def _revision(root: Path, revision: str, m: Messages, option: str) -> str | None:
    """The commit ``revision`` names; None for HEAD in a repository with no commit yet."""
    if revision.startswith("-") or not revision.strip():  # an option to git, not a revision
        raise UsageError(m.pick(f"{option} {revision}: not a revision", f"{option} {revision}：不是版本"),
                        m.pick(f"give a commit, a tag or a branch, e.g. {option} HEAD~1",
                               f"请给出提交、标签或分支，例如 {option} HEAD~1"))
    prefix = _git(root, m, "rev-parse", "--show-prefix", option=option)
    if prefix.returncode != 0:
        raise UserError(m.pick(f"{option} needs a git repository: {root} is not in one",
                               f"{option} 需要 git 仓库：{root} 不在 git 仓库中"),
                        m.pick("commit the repository with git first (git init; git add; git commit)",
                               "请先用 git 管理该仓库（git init、git add、git commit）"))
    commit = _git(root, m, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", option=option)
    if commit.returncode == 0:
        return commit.stdout.decode().strip()
    if revision == "HEAD" and _git(root, m, "rev-parse", "--verify", "--quiet", "HEAD", option=option).returncode:
        return None  # the first commit is being made: everything is new
    raise UsageError(m.pick(f"{option} {revision}: git knows no such revision", f"{option} {revision}：git 中没有此版本"),
                    m.pick("see the revisions with: git log --oneline", "查看版本：git log --oneline"))


def changed_since(root: Path, revision: str | None, messages: Messages) -> list[str] | None:
    """The paths (from the repository's top, sorted) that differ between ``revision`` and the work
    tree — committed since, staged, unstaged or deleted — with every untracked file in customers/
    and each customer folder that is new, even empty; None when everything is new (HEAD before
    the first commit). A rename is its old path and its new one.
    ``revision`` None: the change staged for the next commit (what pre-commit checks), untracked
    files left out."""
    m, option = messages, "--changed-since" if revision is not None else "--staged"
    if revision is not None and ".." in revision:
        return _committed(root, revision, m, option)
    commit = _revision(root, revision or "HEAD", m, option)
    if commit is None and revision is not None:
        return None
    paths: set[str] = set()
    if revision is None:  # before the first commit, what is staged is compared with nothing
        runs: tuple[tuple[str, ...], ...] = (("diff", "--cached", "--name-only", "--no-renames", "-z", "--relative",
                                              *([commit] if commit else []), "--"),)
    else:
        # Untracked files in customers/ are part of the work tree a full check reads, ignored ones too:
        # a new project folder git does not know yet, an empty new customer folder. `--directory`
        # names a new folder once, without walking into it; still, git looks into every folder
        # (seconds at 100,000 customers), so this runs beside the diff.
        runs = (("diff", "--name-only", "--no-renames", "-z", "--relative", commit, "--"),
                ("ls-files", "--others", "--directory", "-z", "--", f"{CUSTOMERS_DIR}/"))
    for run in _git_together(root, m, [("-c", "core.quotepath=off", *args) for args in runs], option):
        if run.returncode != 0:
            raise UserError(m.pick(f"{option}: git could not compare", f"{option}：git 无法比较"),
                            run.stderr.decode("utf-8", "replace").strip())
        paths.update(os.fsdecode(p).rstrip("/") for p in run.stdout.split(b"\0") if p)
    return sorted(paths)


def _git_together(root: Path, m: Messages, runs: list[tuple[str, ...]], option: str
                  ) -> list[subprocess.CompletedProcess[bytes]]:
    """Several git commands run at once (each reads the work tree on its own), in their order."""
    if len(runs) == 1:
        return [_git(root, m, *runs[0], option=option)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(runs)) as pool:
        return list(pool.map(lambda args: _git(root, m, *args, option=option), runs))


def _committed(root: Path, span: str, m: Messages, option: str) -> list[str]:
    """The paths changed between two commits, ``A..B`` or ``A...B`` (B since where it left A: what
    a pull request changed). Only commits are compared, not the work tree, so git reads no file
    of it: what CI wants, a second even at 100,000 customers."""
    three = "..." in span
    first, _, second = span.partition("..." if three else "..")
    # `a...b...c`, `a....b`: git would take them apart some other way (no revision ends or starts with `.`)
    if ".." in first or ".." in second or first.endswith(".") or second.startswith("."):
        raise UsageError(m.pick(f"{option} {span}: not a range of two revisions", f"{option} {span}：不是两个版本之间的范围"),
                         m.pick(f"write A...B (what B did since it left A) or A..B, e.g. {option} origin/main...HEAD",
                                f"请写作 A...B（B 离开 A 之后的改动）或 A..B，例如 {option} origin/main...HEAD"))
    sides = [_revision(root, side or "HEAD", m, option) for side in (first, second)]
    if None in sides:
        raise UserError(m.pick(f"{option} {span}: HEAD names no commit yet", f"{option} {span}：HEAD 尚无提交"),
                        m.pick("commit first, or check everything", "请先提交，或检查全部"))
    run = _git(root, m, "-c", "core.quotepath=off", "diff", "--name-only", "--no-renames", "-z", "--relative",
               f"{sides[0]}{'...' if three else '..'}{sides[1]}", "--", option=option)
    if run.returncode != 0:
        raise UserError(m.pick(f"{option}: git could not compare", f"{option}：git 无法比较"),
                        run.stderr.decode("utf-8", "replace").strip())
    return sorted(os.fsdecode(p) for p in run.stdout.split(b"\0") if p)


@contextlib.contextmanager
def checked_out(root: Path, revision: str, messages: Messages) -> Iterator[Path]:
    """The repository's folder as of ``revision``, in a temporary folder, for the ``with`` block."""
    m = messages
    sha = _revision(root, revision, m, "--at")
    if sha is None:
        raise UsageError(m.pick(f"--at {revision}: git knows no such revision", f"--at {revision}：git 中没有此版本"),
                        m.pick("see the revisions with: git log --oneline", "查看版本：git log --oneline"))
    folder = _git(root, m, "rev-parse", "--show-prefix").stdout.decode().strip()
    top = Path(_git(root, m, "rev-parse", "--show-toplevel").stdout.decode().strip())
    with tempfile.TemporaryDirectory(prefix="crmctl-at-") as tmp:
        archive = Path(tmp) / "revision.tar"
        # only the customer repository's folder of the tree (all of it when it is the top)
        made = _git(top, m, "archive", "--format=tar", "-o", str(archive), f"{sha}:{folder}")
        if made.returncode != 0:
            raise UserError(m.pick(f"--at {revision}: the repository's folder is not in that revision",
                                   f"--at {revision}：该版本中没有此仓库的文件夹"),
                            made.stderr.decode("utf-8", "replace").strip())
        tree = Path(tmp) / "tree"
        with tarfile.open(archive) as tar:
            try:
                tar.extractall(tree, filter="data")  # nothing outside the folder, no devices, no odd modes
            except tarfile.FilterError as exc:  # a link leading out of the repository, say: read nothing
                raise UserError(m.pick(f"--at {revision}: {exc.tarinfo.name} leads outside the repository",
                                       f"--at {revision}：{exc.tarinfo.name} 指向仓库之外"),
                                m.pick("that revision holds a link crmctl does not follow; choose another",
                                       "该版本含有 crmctl 不会跟随的链接；请选择其他版本")) from None
        past = tree
        if not (past / "crm.yaml").is_file():
            raise UserError(m.pick(f"--at {revision}: there was no crm.yaml then", f"--at {revision}：该版本中没有 crm.yaml"),
                            m.pick("choose a later revision", "请选择更晚的版本"))
        yield past
