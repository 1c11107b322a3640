"""A record is written whole: a writer killed (SIGKILL, a real process) at any step leaves
either nothing or a complete, valid record; what it left behind is swept by the next writer
or reported by check; bytes outside an edit stay byte-identical (BOM and CRLF included)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import CUSTOMER, write_repo
from crmctl.checking.check import check_repository
from crmctl.messages import Messages

EN = Messages("en")

# Run crmctl in a process that kills itself (SIGKILL: no cleanup of any kind runs) at the
# Nth file-system step once the repository's Writer exists. Stepping N from 1 until a run
# completes visits every moment between two steps of the write.
DRIVER = textwrap.dedent("""\
    import os, signal, sys
    stop, steps, armed = int(sys.argv[1]), 0, False
    def counted(name):
        real = getattr(os, name)
        def step(*args, **kwargs):
            global steps
            if armed:
                steps += 1
                if steps == stop:
                    os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)
        setattr(os, name, step)
    for name in ("open", "mkdir", "fsync", "chmod", "link", "unlink", "rename", "replace", "rmdir", "scandir"):
        counted(name)
    from crmctl.files import storage
    real_init = storage.Writer.__init__
    def arm(self, *args, **kwargs):
        global armed
        armed = True
        real_init(self, *args, **kwargs)
    storage.Writer.__init__ = arm
    from crmctl.cli import main
    sys.exit(main(sys.argv[2:]))
""")


def run_killed_at(step: int, args: list[str], cwd: Path) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMCTL_")}
    env["CRMCTL_USER"] = "赵立新"
    result = subprocess.run([sys.executable, "-c", DRIVER, str(step), *args], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=60)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode


def kill_everywhere(args: list[str], fresh: Path, work: Path, invariant) -> int:
    """Kill ``args`` at step 1, 2, … (each on a fresh copy, a few at a time) until a run
    completes; ``invariant`` must hold after every one. Returns the number of steps."""
    from concurrent.futures import ThreadPoolExecutor

    def attempt(step: int) -> tuple[int, Path, int]:
        copy = work / str(step)
        shutil.copytree(fresh, copy)
        return step, copy, run_killed_at(step, args, copy)

    batch = 4
    with ThreadPoolExecutor(batch) as pool:
        for first in range(1, 200, batch):
            for step, copy, code in pool.map(attempt, range(first, first + batch)):
                if code != -signal.SIGKILL:
                    assert code == 0
                    invariant(copy, killed=False)
                    return step
                invariant(copy, killed=True)
    raise AssertionError("the command never completed")


def leftovers(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob(".crmctl-*"))


def errors(root: Path) -> list[str]:
    return [d.format() for d in check_repository(root, EN).diagnostics if d.severity == "error"]


def test_new_customer_killed_anywhere_leaves_nothing_or_a_whole_record(tmp_path):
    fresh = write_repo(tmp_path / "fresh", {"customers/acme/customer.yaml": CUSTOMER})
    args = ["new", "customer", "北京环卫", "--id", "bj", "--category", "enterprise", "--market", "local", "--tier", "B",
            "--owner", "张明", "--region", "北京", "--repo", "."]
    outcomes = set()

    def invariant(root: Path, killed: bool) -> None:
        folder = root / "customers/bj"
        made = folder.exists()
        if made:
            assert sorted(p.name for p in folder.iterdir()) == ["activities.yaml", "contacts.yaml", "customer.yaml"]
        outcomes.add(made)
        assert errors(root) == []  # a leftover is a warning: the record itself is whole or absent
        found = {d.code for d in check_repository(root, EN).diagnostics}
        assert found <= {"file-leftover"}
        # the id is never refused forever: the next run creates it, or says it exists
        again = run_killed_at(10**6, args, root)
        assert again == (1 if made else 0)
        assert (root / "customers/bj/customer.yaml").is_file()
        assert leftovers(root / "customers") == []  # swept by that next writer

    steps = kill_everywhere(args, fresh, tmp_path / "work", invariant)
    assert steps > 5 and outcomes == {False, True}


def test_new_contact_and_advance_killed_anywhere_leave_the_old_file_or_the_new_one(tmp_path):
    contacts = "\ufeff# 客户方人员\r\ncontacts:\r\n  - id: li-yang   # 总经理\r\n    name: 李阳\r\n"
    fresh = write_repo(tmp_path / "fresh", {"customers/acme/customer.yaml": CUSTOMER,
                                            "customers/acme/projects/p1/project.yaml":
                                                "name: 项目\nowner: 王磊\nopened: 2026-08-01\n"})
    (fresh / "customers/acme/contacts.yaml").write_bytes(contacts.encode("utf-8"))
    old = (fresh / "customers/acme/contacts.yaml").read_bytes()
    seen = set()

    def contact_invariant(root: Path, killed: bool) -> None:
        now = (root / "customers/acme/contacts.yaml").read_bytes()
        assert now == old or now == old + "  - id: li-si\r\n    name: 李四\r\n    attitude: unknown\r\n".encode()
        seen.add(now == old)
        assert errors(root) == []

    kill_everywhere(["new", "contact", "acme", "李四", "--repo", "."], fresh, tmp_path / "work", contact_invariant)
    assert seen == {True, False}

    histories = set()

    def history_invariant(root: Path, killed: bool) -> None:
        history = root / "customers/acme/projects/p1/history.yaml"
        text = history.read_text() if history.exists() else ""
        histories.add(text.count("action: advance"))
        assert errors(root) == [] or killed and not history.exists()

    kill_everywhere(["advance", "acme/p1", "--force", "--reason", "测试", "--date", "2026-08-02", "--repo", "."],
                    fresh, tmp_path / "work2", history_invariant)
    assert histories == {0, 1}


def test_bytes_outside_an_edit_stay_byte_identical(cli, tmp_path):
    contacts = ("\ufeff# 客户方人员 — 手工维护\r\ncontacts:\r\n  - id: li-yang   # 总经理\r\n    name: 李阳\r\n"
                "\r\n# 以下为采购口\r\n")
    history = ("\ufeff# 阶段历史\r\nevents:\r\n- date: 2026-08-02\r\n  action: advance\r\n  from: phone_invitation\r\n"
               "  to: visit\r\n  by: 王磊\r\n  forced: true\r\n  reason: 已拜访\r\n")
    root = write_repo(tmp_path, {"customers/acme/customer.yaml": CUSTOMER,
                                 "customers/acme/projects/p1/project.yaml": "name: 项目\nowner: 王磊\nopened: 2026-08-01\n"})
    (root / "customers/acme/contacts.yaml").write_bytes(contacts.encode())
    (root / "customers/acme/projects/p1/history.yaml").write_bytes(history.encode())
    assert cli("new", "contact", "acme", "李四", "--repo", root).code == 0
    assert (root / "customers/acme/contacts.yaml").read_bytes() == (
        contacts + "  - id: li-si\r\n    name: 李四\r\n    attitude: unknown\r\n").encode()
    result = cli("advance", "acme/p1", "--to", "solution", "--force", "--reason", "已提交", "--date", "2026-08-03",
                 "--by", "王磊", "--repo", root)
    assert result.code == 0, result.err
    assert (root / "customers/acme/projects/p1/history.yaml").read_bytes() == (history + (
        "- date: 2026-08-03\r\n  action: advance\r\n  from: visit\r\n  to: solution\r\n  by: 王磊\r\n"
        "  forced: true\r\n  reason: 已提交\r\n")).encode()
    assert errors(root) == []


def test_check_reports_what_a_killed_run_left(cli, tmp_path):
    root = write_repo(tmp_path, {"customers/acme/customer.yaml": CUSTOMER})
    (root / "customers/acme/.crmctl-contacts.yaml.x1y2.tmp").write_text("half")
    (root / "customers/.crmctl-new-bj.a1b2").mkdir()
    result = cli("check", root, "--lang", "en")
    assert result.code == 0
    assert result.err.splitlines()[:4] == [
        "customers/.crmctl-new-bj.a1b2: warning file-leftover a temporary file left by a crmctl run that was "
        "interrupted",
        "    delete it (the next crmctl command that writes here removes it too); the record itself is whole",
        "customers/acme/.crmctl-contacts.yaml.x1y2.tmp: warning file-leftover a temporary file left by a crmctl run "
        "that was interrupted",
        "    delete it (the next crmctl command that writes here removes it too); the record itself is whole",
    ]
    assert cli("new", "contact", "acme", "李四", "--repo", root).code == 0
    assert leftovers(root) == ["customers/.crmctl-new-bj.a1b2"]  # only the folder written to is swept


@pytest.mark.parametrize("name", ["项目\nowner: 攻击者", "x: y\n  - z", "'; \"", "{{ 7*7 }}", "«占位»", "a\u2028b",
                                  "\x1b]0;title\x07"])
def test_a_value_can_never_add_a_key(cli, tmp_path, name):
    root = write_repo(tmp_path, {"customers/acme/customer.yaml": CUSTOMER})
    result = cli("new", "project", "acme", name, "--owner", "王磊", "--id", "p1", "--repo", root)
    assert result.code == 0, result.err
    from crmctl.files.yamlio import read_yaml

    data = read_yaml(root / "customers/acme/projects/p1/project.yaml", "p", EN).data
    assert data["name"] == name and data["owner"] == "王磊"
    assert result.code == 0
    doc = cli("doc", "new", "acme/p1", "visit_report", "--repo", root)
    assert doc.code == 0, doc.err
    text = (root / "customers/acme/projects/p1/visit_report.md").read_text()
    front = text.split("---\n")[1]
    assert "攻击者" not in front and "\nowner:" not in front
