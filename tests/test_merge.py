"""Merges that just work: two branches that change different records, or each append to the
same log, merge cleanly; a real conflict is reported by check as what it is."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import system_tool
from crmctl.files.merge import merge_appends
from crmctl.messages import Messages

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TODAY = "2026-11-29"
CONTACTS = "customers/bj-huanwei/contacts.yaml"
LOG = "customers/bj-huanwei/activities.yaml"


@pytest.fixture
def clone(tmp_path, monkeypatch):
    system_tool("git", purpose="the branches the merge driver merges")
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES, repo, ignore=shutil.ignore_patterns(".crmctl.lock"))
    # git runs the driver as `crmctl merge-file`: the crmctl of this environment
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    for name, value in {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_GLOBAL": os.devnull,
                        "GIT_CONFIG_NOSYSTEM": "1", "CRMCTL_USER": "王磊"}.items():
        monkeypatch.setenv(name, value)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    return repo


def git(repo: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    run = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=120)
    if ok:
        assert run.returncode == 0, run.stdout + run.stderr
    return run


def edit(repo: Path, rel: str, old: str, new: str) -> None:
    file = repo / rel
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def two_branches(cli, repo: Path) -> None:
    """Ours: a call logged, 李阳's title changed, a contact added. Theirs, from the same base: a visit
    logged, 王桑's phone changed, another contact added."""
    git(repo, "checkout", "-q", "-b", "theirs")
    assert cli("log", "bj-huanwei", "现场看车，约定下周报价", "--kind", "visit", "--date", "2026-11-28",
               "--repo", repo).code == 0
    edit(repo, CONTACTS, "    name: 王桑\n", "    name: 王桑\n    phone: \"010-65123999\"\n")
    assert cli("new", "contact", "bj-huanwei", "周敏", "--title", "采购专员", "--repo", repo).code == 0
    git(repo, "commit", "-qam", "theirs")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "theirs: the new contact", "--allow-empty")
    git(repo, "checkout", "-q", "main")
    assert cli("log", "bj-huanwei", "电话确认参数", "--kind", "call", "--date", "2026-11-27", "--repo", repo).code == 0
    edit(repo, CONTACTS, "    title: 总经理\n", "    title: 总经理兼董事\n")
    assert cli("new", "contact", "bj-huanwei", "郑凯", "--title", "车队长", "--repo", repo).code == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "ours")


def test_two_branches_that_append_and_change_different_records_merge_cleanly(cli, clone):
    base_check = cli("check", clone, "--format", "json", "--today", TODAY).out
    assert cli("git-setup", "--repo", clone, "--lang", "en").out == "merge driver `crmctl` set for this clone\n"
    two_branches(cli, clone)
    merged = git(clone, "merge", "--no-edit", "theirs", ok=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    log = (clone / LOG).read_text(encoding="utf-8")
    assert log.index("电话确认参数") < log.index("现场看车，约定下周报价")  # ours, then theirs, at the end
    contacts = (clone / CONTACTS).read_text(encoding="utf-8")
    assert "title: 总经理兼董事" in contacts and 'phone: "010-65123999"' in contacts
    assert contacts.index("郑凯") < contacts.index("周敏")
    # the merged repository checks as the base did, but for what the branches meant to change
    after = cli("check", clone, "--format", "json", "--today", TODAY)
    assert after.code == 0, after.out
    assert after.out.count('"code"') <= base_check.count('"code"')


def test_without_the_driver_the_same_merge_conflicts_and_check_says_where(cli, clone):
    two_branches(cli, clone)
    merged = git(clone, "merge", "--no-edit", "theirs", ok=False)
    assert merged.returncode != 0 and "CONFLICT" in merged.stdout
    text = (clone / LOG).read_text(encoding="utf-8")
    line = text.splitlines().index("<<<<<<< HEAD") + 1
    result = cli("check", clone, "--lang", "en", "--today", TODAY, "--select", "merge", "--select", "yaml")
    assert result.code == 1
    assert f"{LOG}:{line}:1: error merge-conflict an unresolved git merge conflict: the file still holds the " \
           "marker `<<<<<<<`" in result.err.splitlines()
    assert "yaml-syntax" not in result.err


def test_a_real_conflict_is_left_to_a_person(cli, clone):
    cli("git-setup", "--repo", clone)
    git(clone, "checkout", "-q", "-b", "theirs")
    edit(clone, CONTACTS, "    title: 总经理\n", "    title: 董事长\n")
    git(clone, "commit", "-qam", "theirs")
    git(clone, "checkout", "-q", "main")
    edit(clone, CONTACTS, "    title: 总经理\n", "    title: 总裁\n")
    git(clone, "commit", "-qam", "ours")
    assert git(clone, "merge", "--no-edit", "theirs", ok=False).returncode != 0
    result = cli("check", clone, "--lang", "en", "--select", "merge")
    assert result.err.startswith(f"{CONTACTS}:7:1: error merge-conflict ")


EN = Messages("en")


def test_first_entries_appended_to_an_empty_flow_list_on_both_sides():
    base = "# the log\nactivities: []\n"
    ours = "# the log\nactivities:\n  - date: 2026-11-01\n    kind: call\n    by: 王磊\n    summary: 一\n"
    theirs = "# the log\nactivities:\n  - date: 2026-11-02\n    kind: visit\n    by: 张明\n    summary: 二\n"
    assert merge_appends(base, ours, theirs, "a.yaml", EN) == ours + (
        "  - date: 2026-11-02\n    kind: visit\n    by: 张明\n    summary: 二\n")


def test_a_change_on_one_side_and_appends_on_both_merge():
    base = "activities:\n  - {date: 2026-11-01, summary: a}\n"
    ours = "activities:\n  - {date: 2026-11-01, summary: changed}\n  - {date: 2026-11-02, summary: b}\n"
    theirs = "activities:\n  - {date: 2026-11-01, summary: a}\n  - {date: 2026-11-03, summary: c}\n"
    assert merge_appends(base, ours, theirs, "a.yaml", EN) == ours + "  - {date: 2026-11-03, summary: c}\n"


def test_anything_else_is_left_to_a_person():
    base = "activities:\n  - {date: 2026-11-01, summary: a}\n"
    both = "activities:\n  - {date: 2026-11-01, summary: %s}\n  - {date: 2026-11-02, summary: b}\n"
    assert merge_appends(base, both % "x", both % "y", "a.yaml", EN) is None  # the same entry changed twice
    theirs = "activities:\n  - {date: 2026-11-01, summary: a}\n  - {date: 2026-11-03, summary: c}\n"
    assert merge_appends(base, theirs, "name: x\n", "a.yaml", EN) is None  # another key
    assert merge_appends(base, theirs, "activities: [\n", "a.yaml", EN) is None  # not YAML
    # the list is not the file's last entry: no cut can be trusted
    assert merge_appends("a: [1]\nb: 2\n", "a: [1, 2]\nb: 2\n", "a: [1, 3]\nb: 2\n", "a.yaml", EN) is None


def test_two_moves_of_one_project_or_one_contact_twice_stay_a_conflict():
    base = "events:\n  - {date: 2026-11-01, action: enter, stage: visit, by: 王磊}\n"
    close = "  - {date: 2026-11-20, action: close, outcome: lost, reason: %s, by: 王磊}\n"
    assert merge_appends(base, base + close % "预算取消", base + close % "选了竞争对手", "h.yaml", EN) is None
    contacts = "contacts:\n  - {id: li, name: 李}\n"
    same = "  - {id: sun-li, name: 孙丽, title: %s}\n"
    assert merge_appends(contacts, contacts + same % "经理", contacts + same % "主任", "c.yaml", EN) is None
    other = "  - {id: zhou-min, name: 周敏}\n"
    assert merge_appends(contacts, contacts + same % "经理", contacts + other, "c.yaml", EN) == \
        contacts + same % "经理" + other


def test_without_crmctl_on_the_path_git_s_own_merge_keeps_both_sides(cli, clone, monkeypatch):
    """A git program started without crmctl's environment: the driver's command falls back to git's
    text merge, conflict markers and all, rather than leaving our side alone as the merge."""
    cli("git-setup", "--repo", clone)
    two_branches(cli, clone)
    git_dir = Path(shutil.which("git")).parent
    monkeypatch.setenv("PATH", f"{git_dir}{os.pathsep}/bin{os.pathsep}/usr/bin")
    assert shutil.which("crmctl") is None
    merged = git(clone, "merge", "--no-edit", "theirs", ok=False)
    assert merged.returncode != 0
    text = (clone / CONTACTS).read_text(encoding="utf-8")
    assert "<<<<<<< ours" in text and "周敏" in text  # theirs is there, for a person to keep


def test_a_crmctl_that_fails_leaves_git_s_conflict_not_our_side(cli, clone, monkeypatch, tmp_path):
    """A crmctl too old to know merge-file, or one that crashes: git's text merge runs instead."""
    cli("git-setup", "--repo", clone)
    two_branches(cli, clone)
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "crmctl").write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    (fake / "crmctl").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ['PATH']}")
    assert git(clone, "merge", "--no-edit", "theirs", ok=False).returncode != 0
    text = (clone / CONTACTS).read_text(encoding="utf-8")
    assert "<<<<<<< ours" in text and "周敏" in text


def test_merge_file_called_by_hand_without_files_is_a_usage_error(cli, tmp_path):
    result = cli("merge-file", tmp_path / "a", tmp_path / "b", tmp_path / "c", "--lang", "en")
    assert result.code == 2 and result.err.startswith(f"crmctl: {tmp_path / 'a'}: not a file\n")
