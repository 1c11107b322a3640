"""check --fix and --diff: the mechanical fixes, and nothing else in the file touched."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import CUSTOMER, write_repo

P = "customers/acme/projects/p1"
INVITATION = """\
---
kind: phone_invitation
call_date: 2026-08-05
by: 张明
contact: li
visit_date: 2026-08-12
visit_time: 12:30      # after lunch
---
# 电话邀约反馈单
"""
CONTACTS = "contacts:\n  - id: li\n    name: 李\n"
PROJECT = "name: 项目一\nowner: 张明\nopened: 2026-08-01\n"


def _repo(tmp_path: Path) -> Path:
    return write_repo(tmp_path / "repo", {
        # a country code written bare, a comment after it; a count with a leading zero
        "customers/acme/customer.yaml": CUSTOMER.replace("region: 北京", "region: NO  # 挪威\nannual_purchase: 04"),
        "customers/acme/contacts.yaml": CONTACTS,
        f"{P}/project.yaml": PROJECT,
        f"{P}/phone_invitation.md": INVITATION,
    })


def _codes(cli, repo: Path) -> list[tuple[str, int, str]]:
    out = cli("check", repo, "--format", "json", "--select", "yaml", "--select", "file").out
    return [(d["path"], d["line"], d["code"]) for d in json.loads(out)["diagnostics"]]


def test_diff_shows_the_fixes_and_changes_nothing(cli, tmp_path):
    repo = _repo(tmp_path)
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    result = cli("check", repo, "--diff", "--lang", "en")
    assert result.code == 1
    assert result.out == (
        "--- a/customers/acme/customer.yaml\n+++ b/customers/acme/customer.yaml\n@@ -4,5 +4,5 @@\n"
        " tier: B\n channel: direct\n owner: 张明\n-region: NO  # 挪威\n+region: 'NO'  # 挪威\n annual_purchase: 04\n"
        f"--- a/{P}/phone_invitation.md\n+++ b/{P}/phone_invitation.md\n@@ -4,6 +4,6 @@\n"
        " by: 张明\n contact: li\n visit_date: 2026-08-12\n-visit_time: 12:30      # after lunch\n"
        "+visit_time: '12:30'      # after lunch\n ---\n # 电话邀约反馈单\n")
    assert result.err == "would change 2 files (2 problems fixed)\n"
    assert {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()} == before


def test_fix_quotes_where_the_field_wants_text_and_leaves_a_number_to_a_person(cli, tmp_path):
    repo = _repo(tmp_path)
    assert _codes(cli, repo) == [
        ("customers/acme/customer.yaml", 7, "yaml-ambiguous-scalar"),
        ("customers/acme/customer.yaml", 8, "yaml-ambiguous-scalar"),
        (f"{P}/phone_invitation.md", 7, "yaml-ambiguous-scalar"),
    ]
    result = cli("check", repo, "--fix", "--lang", "en", "--select", "yaml")
    assert result.err.splitlines()[0] == "fixed 2 problems"
    # annual_purchase wants a number: '04' would be text, a new problem, so a person decides
    assert _codes(cli, repo) == [("customers/acme/customer.yaml", 8, "yaml-ambiguous-scalar")]
    assert result.code == 1
    assert (repo / "customers/acme/customer.yaml").read_text(encoding="utf-8") == \
        CUSTOMER.replace("region: 北京", "region: 'NO'  # 挪威\nannual_purchase: 04")
    assert (repo / P / "phone_invitation.md").read_text(encoding="utf-8") == \
        INVITATION.replace("visit_time: 12:30", "visit_time: '12:30'")
    # and a second run has nothing left to do
    again = cli("check", repo, "--diff")
    assert (again.code, again.out) == (0, "")  # the number is still wrong, but no fix of crmctl's


def test_fix_keeps_each_file_s_line_ends_and_byte_order_mark_unless_asked(cli, tmp_path):
    text = CUSTOMER.replace("region: 北京", "region: NO").replace("\n", "\r\n")
    repo = write_repo(tmp_path / "repo", {"customers/acme/customer.yaml": b"\xef\xbb\xbf" + text.encode()})
    file = repo / "customers/acme/customer.yaml"
    assert cli("check", repo, "--fix").code == 0
    assert file.read_bytes() == b"\xef\xbb\xbf" + text.replace("region: NO", "region: 'NO'").encode()
    # asked: no mark, LF line ends
    diff = cli("check", repo, "--diff", "--normalise", "--lang", "en")
    assert diff.out.startswith("--- a/customers/acme/customer.yaml (UTF-8 with a byte-order mark)\n"
                               "+++ b/customers/acme/customer.yaml\n")
    assert diff.err == "would change 1 file (0 problems fixed)\n"  # crm.yaml has neither: left alone
    assert cli("check", repo, "--fix", "--normalise").code == 0
    assert file.read_bytes() == text.replace("region: NO", "region: 'NO'").replace("\r\n", "\n").encode()
    assert cli("check", repo, "--diff", "--normalise").code == 0


def test_normalise_alone_is_a_usage_error(cli, repo):
    result = cli("check", repo, "--normalise", "--lang", "en")
    assert result.code == 2
    assert result.err.startswith("crmctl: --normalise changes files only with --fix (or shows it with --diff)\n")


def test_fix_removes_what_a_killed_run_left(cli, repo):
    (repo / "customers/acme/.crmctl-tmp-123").write_text("half", encoding="utf-8")
    (repo / "customers/acme/.crmctl-dir-9").mkdir()
    diff = cli("check", repo, "--diff", "--lang", "en")
    assert diff.out == "Only in customers/acme: .crmctl-dir-9\nOnly in customers/acme: .crmctl-tmp-123\n"
    assert diff.err == "would change 0 files (0 problems fixed), and remove 2 leftovers\n"
    result = cli("check", repo, "--fix", "--lang", "en")
    assert result.code == 0 and result.err.startswith("fixed 2 problems\n")
    assert sorted(p.name for p in (repo / "customers/acme").iterdir()) == ["customer.yaml"]


def test_fix_follows_select_and_leaves_a_file_changed_meanwhile(cli, tmp_path):
    from crmctl.checking import fixes
    from crmctl.checking.check import check_repository
    from crmctl.messages import Messages

    repo = _repo(tmp_path)
    assert cli("check", repo, "--fix", "--select", "file").err.splitlines()[0] == "fixed 0 problems"
    assert len(_codes(cli, repo)) == 3
    m = Messages("en")
    planned = fixes.plan(repo, check_repository(repo, m).diagnostics, m)
    file = repo / "customers/acme/customer.yaml"
    file.write_text(file.read_text(encoding="utf-8") + "since: 2024-01-01\n", encoding="utf-8")  # a person's edit
    done, skipped = fixes.apply(repo, planned, m)
    assert (done, skipped) == (1, ["customers/acme/customer.yaml"])
    assert file.read_text(encoding="utf-8").endswith("region: NO  # 挪威\nannual_purchase: 04\nsince: 2024-01-01\n")


def test_a_link_inside_the_repository_is_not_fixed_through(cli, tmp_path):
    repo = _repo(tmp_path)
    shared = repo / "customers/acme/customer.yaml"
    (repo / "customers/beta").mkdir()
    (repo / "customers/beta/customer.yaml").symlink_to(shared)
    before = shared.read_bytes()
    cli("check", repo, "--fix", "--select", "yaml")
    # acme's own file is fixed once; beta's link still points at it and stays a link
    assert (repo / "customers/beta/customer.yaml").is_symlink()
    assert shared.read_bytes() == before.replace(b"region: NO", b"region: 'NO'")


def test_normalise_takes_old_mac_line_ends_and_leaves_files_crmctl_does_not_read(cli, tmp_path):
    repo = write_repo(tmp_path / "repo", {"customers/acme/customer.yaml": CUSTOMER.replace("\n", "\r").encode(),
                                          "customers/acme/README.md": b"notes\r\n",
                                          "customers/Not An Id/customer.yaml": CUSTOMER.replace("\n", "\r\n").encode()})
    assert cli("check", repo, "--fix", "--normalise").code == 1  # the folder name is still wrong
    assert (repo / "customers/acme/customer.yaml").read_bytes() == CUSTOMER.encode()
    assert (repo / "customers/acme/README.md").read_bytes() == b"notes\r\n"
    assert (repo / "customers/Not An Id/customer.yaml").read_bytes() == CUSTOMER.replace("\n", "\r\n").encode()
