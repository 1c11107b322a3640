"""Faults are messages, not bugs: a read-only or full disk, permission denied, a file where a
folder belongs, a file a writer cannot parse, nobody to name as the actor, a repository of a
newer format. Each is a clear message naming the file (exit 1), and nothing changes on disk.

The file-system faults are real where the machine allows it: a read-only bind mount and a
tiny tmpfs in a private mount namespace (`unshare -m`, as root or with user namespaces),
and an unprivileged user (`setpriv`) for permissions, since root ignores them. An injected
ENOSPC covers the full disk everywhere."""

from __future__ import annotations

import errno
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import CUSTOMER, write_repo

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PROJECT = "customers/bj-huanwei/projects/sweeper-renewal-2027"
NOBODY = 65534
WRITES = [
    ("new", "contact", "bj-huanwei", "李四"),
    ("new", "customer", "新客户", "--category", "enterprise", "--market", "local", "--tier", "C", "--owner", "张明",
     "--region", "y"),
    ("new", "project", "bj-huanwei", "新项目", "--owner", "王磊"),
    ("advance", "bj-huanwei/sweeper-renewal-2027", "--force", "--reason", "测试"),
    ("doc", "new", "bj-huanwei/sweeper-renewal-2027", "negotiation_minutes"),
    ("schema",),
]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".crmctl.lock"}


def crmctl_command(*args: str) -> str:
    return shlex.join([sys.executable, "-m", "crmctl", *map(str, args)])


def namespace(script: str) -> subprocess.CompletedProcess[str]:
    """``script`` in a private mount namespace; skipped where the machine allows none."""
    if shutil.which("unshare") is None:
        pytest.skip("no unshare on this machine")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMCTL_")}
    env["CRMCTL_USER"] = "赵立新"
    for prefix in (["unshare", "-m"], ["unshare", "-rm"]):
        probe = subprocess.run([*prefix, "true"], capture_output=True)
        if probe.returncode == 0:
            return subprocess.run([*prefix, "sh", "-c", script], capture_output=True, text=True, env=env,
                                  timeout=120)
    pytest.skip("this machine allows no private mount namespace")


def test_read_only_repository(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES, repo)
    before = snapshot(repo)
    lines = [f"mount --bind -o ro {shlex.quote(str(repo))} {shlex.quote(str(repo))} || exit 99"]
    for args in WRITES:
        lines.append(f"{crmctl_command(*args, '--repo', repo, '--lang', 'en')}; echo \"rc=$?\"")
    lines.append(f"{crmctl_command('check', repo, '--today', '2026-11-28')}; echo \"rc=$?\"")
    result = namespace("\n".join(lines))
    assert result.returncode != 99, result.stderr
    assert result.stdout.splitlines() == ["rc=1"] * len(WRITES) + ["rc=0"]  # reading needs no lock
    errors = [line for line in result.stderr.splitlines() if line.startswith("crmctl:")]
    assert errors == ["crmctl: cannot write .crmctl.lock: the file system is read-only"] * len(WRITES)
    assert "Traceback" not in result.stderr
    assert snapshot(repo) == before


def test_read_only_folder_inside_a_writable_repository(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES, repo)
    before = snapshot(repo)
    folder = shlex.quote(str(repo / "customers/bj-huanwei"))
    result = namespace(f"mount --bind -o ro {folder} {folder} || exit 99\n"
                       + crmctl_command("new", "contact", "bj-huanwei", "李四", "--repo", repo, "--lang", "en"))
    assert result.returncode == 1, result.stderr
    assert result.stderr == ("crmctl: cannot write customers/bj-huanwei/contacts.yaml: the file system is read-only\n"
                             "    work in a writable clone of the repository\n")
    assert snapshot(repo) == before


def test_full_disk(tmp_path):
    """A 1 MiB tmpfs, filled up: every write stops with a message, and nothing is half-written."""
    mount = tmp_path / "disk"
    mount.mkdir()
    repo = mount / "repo"
    m = shlex.quote(str(mount))
    lines = [f"mount -t tmpfs -o size=1m tmpfs {m} || exit 99",
             f"cp -r {shlex.quote(str(EXAMPLES))} {shlex.quote(str(repo))}",
             f"dd if=/dev/zero of={m}/filler bs=4k 2>/dev/null; sync"]
    for args in WRITES[:5]:
        lines.append(f"{crmctl_command(*args, '--repo', repo, '--lang', 'en')}; echo \"rc=$?\"")
    lines.append(f"rm {m}/filler")
    lines.append(f"diff -r -x .crmctl.lock {shlex.quote(str(EXAMPLES))} {shlex.quote(str(repo))} && echo same")
    lines.append(f"ls -A {shlex.quote(str(repo / 'customers/bj-huanwei'))} {shlex.quote(str(repo / PROJECT))}")
    result = namespace("\n".join(lines))
    assert result.returncode != 99, result.stderr
    out = result.stdout.splitlines()
    assert out[:5] == ["rc=1"] * 5, result.stderr
    assert "Traceback" not in result.stderr
    assert all(": the disk is full" in line for line in result.stderr.splitlines() if line.startswith("crmctl:"))
    assert "same" in out  # every file as it was (the lock file aside)
    assert not [name for name in out if name.startswith(".crmctl-")]  # no temporary file left behind


@pytest.mark.parametrize("args", WRITES[:5], ids=lambda a: " ".join(a[:2]))
def test_injected_full_disk(cli, tmp_path, monkeypatch, args):
    """The same promise where no tmpfs can be mounted: ENOSPC while the data is written."""
    from crmctl.files import storage

    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES, repo)
    before = snapshot(repo)
    real = storage._temp_beside

    def full(target, data):
        real(target, b"")  # the temporary file exists, then the disk fills up
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage, "_temp_beside", full)
    monkeypatch.setenv("CRMCTL_USER", "赵立新")
    result = cli(*args, "--repo", repo, "--lang", "en")
    assert result.code == 1, result.err
    assert ": the disk is full\n    free some space and run the command again; nothing was changed\n" in result.err
    monkeypatch.undo()
    assert snapshot(repo) == {**before, **{k: v for k, v in snapshot(repo).items() if k.rsplit("/", 1)[-1]
                                            .startswith(".crmctl-")}}
    # the next writer sweeps what the failed one left
    assert cli("new", "contact", "bj-huanwei", "王五", "--repo", repo).code == 0
    assert not [p for p in repo.rglob(".crmctl-*") if "bj-huanwei" in str(p) and p.parent.name == "bj-huanwei"]


def _unprivileged(tmp_path: Path) -> Path:
    """A copy of examples/ that user ``nobody`` owns, in a folder it can reach."""
    if not shutil.which("setpriv"):
        pytest.skip("no setpriv on this machine")
    base = Path(tempfile.mkdtemp(prefix="crmctl-perm-", dir="/tmp"))
    os.chmod(base, 0o755)
    repo = base / "repo"
    shutil.copytree(EXAMPLES, repo)
    if os.geteuid() == 0:
        for path in [repo, *repo.rglob("*")]:
            os.lchown(path, NOBODY, NOBODY)
    return repo


def as_nobody(*args: str) -> subprocess.CompletedProcess[str]:
    prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"] if os.geteuid() == 0 else []
    env = {"PATH": os.environ.get("PATH", ""), "CRMCTL_USER": "赵立新", "HOME": "/nonexistent"}
    return subprocess.run([*prefix, sys.executable, "-m", "crmctl", *map(str, args)], capture_output=True, text=True,
                          env={**env, "PYTHONPATH": os.pathsep.join(sys.path)}, timeout=120)


def test_permission_denied(tmp_path):
    repo = _unprivileged(tmp_path)
    try:
        folder = repo / "customers/bj-huanwei"
        os.chmod(folder / "contacts.yaml", 0o444)
        os.chmod(folder, 0o555)
        before = snapshot(repo)
        result = as_nobody("new", "contact", "bj-huanwei", "李四", "--repo", repo, "--lang", "en")
        assert (result.returncode, result.stderr) == (1, (
            "crmctl: cannot write customers/bj-huanwei/contacts.yaml: permission denied\n"
            "    check who owns the folder and file (ls -l), or run as their owner\n"))
        os.chmod(folder, 0o755)
        os.chmod(folder / "activities.yaml", 0)
        os.chmod(repo / PROJECT, 0)
        check = as_nobody("check", repo, "--lang", "en", "--today", "2026-11-28")
        assert check.returncode == 1 and "Traceback" not in check.stderr
        assert "customers/bj-huanwei/activities.yaml: error file-unreadable cannot read file: Permission denied" \
            in check.stderr
        assert f"{PROJECT}: error file-unreadable cannot read file: Permission denied" in check.stderr
        status = as_nobody("status", "--repo", repo, "--lang", "en")
        assert status.returncode == 1 and f"{PROJECT}: error file-unreadable" in status.stderr
        for args in (("show", "bj-huanwei"), ("advance", "bj-huanwei/sweeper-renewal-2027")):
            result = as_nobody(*args, "--repo", repo, "--lang", "en")
            assert result.returncode == 1 and "Traceback" not in result.stderr, (args, result.stderr)
        os.chmod(repo / PROJECT, 0o755)
        os.chmod(folder / "activities.yaml", 0o644)
        assert snapshot(repo) == before
    finally:
        for path in [repo, *repo.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        shutil.rmtree(repo.parent)


@pytest.mark.parametrize("rel,make", [
    ("customers", "file"), ("customers/acme/projects", "file"), ("customers/acme/projects/p1", "file"),
    ("customers/acme/contacts.yaml", "folder"), ("customers/acme/projects/p1/history.yaml", "folder"),
])
def test_a_file_where_a_folder_belongs_and_the_reverse(cli, tmp_path, rel, make):
    root = write_repo(tmp_path, {"customers/acme/customer.yaml": CUSTOMER,
                                 "customers/acme/projects/p1/project.yaml": "name: 项目\nowner: 王磊\nopened: 2026-08-01\n"})
    target = root / rel
    if target.is_dir():
        shutil.rmtree(target)
    elif target.exists():
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    if make == "file":
        target.write_text("x\n")
    else:
        target.mkdir()
    before = snapshot(root)
    for args in (("check", root), ("list",), ("status",), ("show", "acme"), ("show", "acme/p1"),
                 ("new", "contact", "acme", "李四"), ("new", "project", "acme", "新项目", "--owner", "x"),
                 ("advance", "acme/p1", "--force", "--reason", "x", "--by", "x"), ("doc", "new", "acme/p1", "visit_report")):
        result = cli(*args, *(("--repo", root) if args[0] != "check" else ()), "--lang", "en")
        assert result.code in (0, 1) and "Traceback" not in result.err, (args, result.err)
        if args[0] == "check" and rel != "customers/acme/projects/p1":  # a stray file there is only a warning
            assert result.code == 1
    for path, data in before.items():
        assert (root / path).read_bytes() == data


@pytest.mark.parametrize("rel,content,command", [
    ("customers/acme/contacts.yaml", "contacts:\n  - id: li-yang\n    name: 李阳\n".encode("gbk"),
     ("new", "contact", "acme", "李四")),
    ("customers/acme/contacts.yaml", b"{contacts: [{id: li-yang, name: x}]}\n", ("new", "contact", "acme", "李四")),
    ("customers/acme/contacts.yaml", b"contacts:\n  - id: a\n    id: b\n", ("new", "contact", "acme", "李四")),
    ("customers/acme/projects/p1/history.yaml", b"{events: []}\n", ("advance", "acme/p1", "--force", "--reason", "x")),
    ("customers/acme/projects/p1/history.yaml", "events: []\n# 历史\n".encode("gb18030"),
     ("advance", "acme/p1", "--force", "--reason", "x")),
    ("customers/acme/projects/p1/history.yaml", b"events:\n- {date: 2026-08-02, action: advance, from: x}\n",
     ("advance", "acme/p1", "--force", "--reason", "x")),
])
def test_a_writer_meeting_a_file_it_cannot_parse_changes_nothing(cli, tmp_path, rel, content, command):
    root = write_repo(tmp_path, {"customers/acme/customer.yaml": CUSTOMER,
                                 "customers/acme/projects/p1/project.yaml": "name: 项目\nowner: 王磊\nopened: 2026-08-01\n",
                                 rel: content})
    before = snapshot(root)
    result = cli(*command, "--repo", root, "--lang", "en", "--by", "x") if command[0] == "advance" else \
        cli(*command, "--repo", root, "--lang", "en")
    assert result.code == 1, result.err
    first = result.err.splitlines()[0]
    assert first.startswith("crmctl: ") and rel.rsplit("/", 1)[-1] in result.err and "Traceback" not in result.err
    assert snapshot(root) == before


def test_nobody_to_name_as_the_actor(tmp_path):
    """No --by, no CRMCTL_USER, no git identity, and a user id with no passwd entry."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root to run as a user id with no passwd entry")
    repo = _unprivileged(tmp_path)
    try:
        for path in [repo, *repo.rglob("*")]:
            os.lchown(path, 54321, 54321)
        before = snapshot(repo)
        env = {"PATH": os.environ.get("PATH", ""), "HOME": "/nonexistent", "GIT_CONFIG_NOSYSTEM": "1",
               "PYTHONPATH": os.pathsep.join(sys.path)}
        result = subprocess.run(["setpriv", "--reuid=54321", "--regid=54321", "--clear-groups", sys.executable, "-m",
                                 "crmctl", "advance", "bj-huanwei/sweeper-renewal-2027", "--force", "--reason", "x",
                                 "--repo", str(repo), "--lang", "en"], capture_output=True, text=True, env=env)
        assert (result.returncode, result.stderr) == (1, (
            "crmctl: cannot tell who is acting: no --by, no $CRMCTL_USER, no git user.name and no login name\n"
            "    pass --by NAME, or set CRMCTL_USER\n"))
        assert snapshot(repo) == before
    finally:
        shutil.rmtree(repo.parent)


def test_a_repository_of_a_newer_format_is_never_written_to(cli, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES, repo)
    config = (repo / "crm.yaml").read_text()
    (repo / "crm.yaml").write_text(config.replace("format: 1", "format: 2"))
    before = snapshot(repo)
    for args in WRITES:
        result = cli(*args, "--repo", repo, "--lang", "en", "--by", "x") if args[0] == "advance" else \
            cli(*args, "--repo", repo, "--lang", "en")
        assert result.code == 1, (args, result.err)
        assert result.err.startswith("crmctl: crm.yaml: format version 2 is not supported by crmctl"), result.err
    assert snapshot(repo) == before
    assert cli("check", repo, "--lang", "en").code == 1


def test_status_and_list_never_leave_a_record_out_silently(cli, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = write_repo(tmp_path / "repo", {
        "customers/acme/customer.yaml": CUSTOMER,
        "customers/acme/projects/good/project.yaml": "name: 好项目\nowner: 王磊\nopened: 2026-08-01\n",
        "customers/acme/projects/bad/project.yaml": "name: 坏项目\nowner: [王磊]\nopened: 2026-08-01\n",
        "customers/broken/customer.yaml": "name: [x]\n",
    })
    (root / "customers/acme/projects/away").symlink_to(outside)
    (root / "customers/elsewhere").symlink_to(outside)
    status = cli("status", "--repo", root, "--lang", "en", "--format", "csv")
    assert status.code == 1
    assert [line.split(",")[0] for line in status.out.splitlines()] == ["project", "acme/good"]
    assert [line.split(": error ")[0] for line in status.err.splitlines() if ": error " in line] == [
        "customers/acme/projects/away", "customers/acme/projects/bad/project.yaml:2:8", "customers/elsewhere"]
    listed = cli("list", "--repo", root, "--lang", "en", "--format", "csv")
    assert listed.code == 1
    assert [line.split(",")[0] for line in listed.out.splitlines()] == ["id", "acme"]
    assert [line.split(": error ")[0] for line in listed.err.splitlines() if ": error " in line] == [
        "customers/broken/customer.yaml:1:1"] * 6 + ["customers/broken/customer.yaml:1:7", "customers/elsewhere"]


@pytest.mark.parametrize("content", ["contacts: 5\n", "contacts: true\n", "contacts:\n  - id: [a]\n    name: x\n",
                                     "contacts:\n  - id: {a: 1}\n    name: x\n", "colour: red\ncontacts: []\n"])
def test_new_contact_leaves_a_file_check_rejects_to_a_person(cli, tmp_path, content):
    root = write_repo(tmp_path, {"customers/acme/customer.yaml": CUSTOMER, "customers/acme/contacts.yaml": content})
    result = cli("new", "contact", "acme", "张三", "--repo", root, "--lang", "en")
    assert result.code == 1 and result.err.startswith(
        "crmctl: customers/acme/contacts.yaml has problems, so crmctl leaves it as it is:\n"), result.err
    assert (root / "customers/acme/contacts.yaml").read_text() == content


def test_show_meets_what_it_may_not_read(tmp_path):
    repo = _unprivileged(tmp_path)
    try:
        os.chmod(repo / PROJECT / "visit_report.md", 0)
        os.chmod(repo / "customers/li-chunhua", 0)
        os.chmod(repo / "customers/hd-chengguan/projects", 0o444)
        for args in (("show", "bj-huanwei/sweeper-renewal-2027"), ("show", "li-chunhua"), ("show", "hd-chengguan")):
            result = as_nobody(*args, "--repo", repo, "--lang", "en")
            assert result.returncode == 1 and "Traceback" not in result.stderr, (args, result.stderr)
            assert "error file-unreadable" in result.stderr or "cannot read" in result.stderr, (args, result.stderr)
        assert as_nobody("show", "bj-huanwei", "--repo", repo).returncode == 0  # reads no document
    finally:
        for path in [repo, *repo.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        shutil.rmtree(repo.parent)


@pytest.mark.parametrize("config", ["format: true\n", "format: 1.5\n", "language: en\n", "format: '1'\n"])
def test_a_format_crmctl_cannot_be_sure_of_is_never_written_to(cli, tmp_path, config):
    root = write_repo(tmp_path, {"customers/acme/customer.yaml": CUSTOMER}, config=config)
    before = snapshot(root)
    result = cli("new", "contact", "acme", "张三", "--repo", root, "--lang", "en")
    assert result.code == 1 and result.err.startswith("crmctl: crm.yaml has problems"), result.err
    assert snapshot(root) == before
    assert cli("check", "--repo", root).code == 1  # check refuses it too


def test_format_written_as_1_0_is_format_1_as_check_and_the_schema_read_it(cli, tmp_path):
    root = write_repo(tmp_path, {"customers/acme/customer.yaml": CUSTOMER}, config="format: 1.0\n")
    assert cli("check", "--repo", root).code == 0
    assert cli("new", "contact", "acme", "张三", "--repo", root, "--lang", "en").code == 0


@pytest.mark.parametrize("fail_at", [1, 5, 12])
def test_init_that_meets_a_full_disk_takes_back_what_it_made(cli, tmp_path, monkeypatch, fail_at):
    from crmctl.files import storage

    team = tmp_path / "team"
    team.mkdir()
    (team / ".gitignore").write_text("*.bak\n")
    (team / "README.md").write_text("我们的客户库\n")
    before = snapshot(team)
    real, calls = storage._temp_beside, []

    def fills_up(target, data):
        calls.append(target)
        if len(calls) == fail_at:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(target, data)

    monkeypatch.setattr(storage, "_temp_beside", fills_up)
    result = cli("init", team, "--lang", "en", "--crmctl-spec", "x")
    assert result.code == 1 and ": the disk is full" in result.err, result.err
    assert snapshot(team) == before  # the team's files as they were, nothing of crmctl's left
    assert sorted(p.name for p in team.iterdir()) == [".gitignore", "README.md"]
    fresh = tmp_path / "fresh"
    calls.clear()
    assert cli("init", fresh, "--lang", "en", "--crmctl-spec", "x").code == 1
    assert not fresh.exists()


def test_a_read_command_says_it_cannot_read_a_broken_file_not_that_it_leaves_it(cli, tmp_path):
    import shutil

    root = shutil.copytree(Path(__file__).resolve().parent.parent / "examples", tmp_path / "r",
                           ignore=shutil.ignore_patterns(".crmctl.lock"))
    rel = "customers/bj-huanwei/projects/sweeper-renewal-2027/project.yaml"
    with open(root / rel, "a", encoding="utf-8") as fh:
        fh.write("opened: [\n")
    result = cli("status", "bj-huanwei/sweeper-renewal-2027", "--repo", root, "--lang", "en")
    assert result.code == 1
    assert result.err.splitlines()[0] == f"crmctl: {rel} has problems, so crmctl cannot read it:"
    written = cli("advance", "bj-huanwei/sweeper-renewal-2027", "--repo", root, "--lang", "en", "--by", "张明")
    assert written.err.splitlines()[0] == f"crmctl: {rel} has problems, so crmctl leaves it as it is:"
