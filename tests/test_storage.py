"""Never lose data: atomic writes, no overwriting, no writing outside, edits that keep comments."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from conftest import CUSTOMER, write_repo
from crmctl.errors import UserError
from crmctl.files import storage
from crmctl.files.edit import SpliceError, append_to_list
from crmctl.messages import Messages

EN = Messages("en")


def test_create_never_overwrites(repo):
    with storage.writing(repo, EN) as writer:
        writer.create("customers/acme/a.yaml", "one\n")
        with pytest.raises(FileExistsError):
            writer.create("customers/acme/a.yaml", "two\n")
    assert (repo / "customers/acme/a.yaml").read_text() == "one\n"
    assert sorted(p.name for p in (repo / "customers/acme").iterdir()) == ["a.yaml", "customer.yaml"]


def test_replace_is_atomic_and_keeps_mode(repo):
    target = repo / "customers/acme/a.yaml"
    target.write_text("old\n")
    target.chmod(0o640)
    with storage.writing(repo, EN) as writer:
        writer.replace("customers/acme/a.yaml", "new 中文\n")
    assert target.read_text(encoding="utf-8") == "new 中文\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in (repo / "customers/acme").iterdir()) == ["a.yaml", "customer.yaml"]


def test_writing_through_a_link_outside_is_refused(cli, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = write_repo(tmp_path / "repo", {})
    (root / "customers" / "linked").symlink_to(outside)
    result = cli("new", "project", "linked", "项目", "--owner", "x", "--repo", root, "--lang", "en")
    assert result.code == 1
    assert result.err == ("crmctl: refusing to read customers/linked: it is a link that leads outside the repository\n"
                          "    replace the link with the file itself (crmctl check lists every such link)\n")
    assert list(outside.iterdir()) == []
    check = cli("check", root, "--lang", "en")
    assert "customers/linked: error file-outside" in check.err


def test_writer_refuses_escape(repo):
    with storage.writing(repo, EN) as writer, pytest.raises(UserError):
        writer.create("../x", "x")
    assert not (repo.parent / "x").exists()


PERSON = {"id": "li-jian", "name": "李建", "phone": "0755", "attitude": "supporter"}


def test_append_keeps_every_other_line():
    before = textwrap.dedent("""\
        # 联系人 — edited by hand
        contacts:
          # the boss first
          - id: li-yang     # 总经理
            name: 李阳
            attitude: "neutral"

          - {id: zhang-hua, name: 张华}
        # trailing remark
        """)
    after = append_to_list(before, "contacts", PERSON, EN)
    # the new item ends the list, indented as the others and a blank line apart as they are, its risky
    # value quoted; nothing else moves
    assert after == before.replace("# trailing remark\n", (
        "\n  - id: li-jian\n    name: 李建\n    phone: '0755'\n    attitude: supporter\n# trailing remark\n"))
    packed = before.replace("attitude: \"neutral\"\n\n", "attitude: \"neutral\"\n")
    assert append_to_list(packed, "contacts", {**PERSON, "relations": [{"contact": "li-yang", "type": "同学"}]}, EN) \
        == packed.replace("# trailing remark\n", (
            "  - id: li-jian\n    name: 李建\n    phone: '0755'\n    attitude: supporter\n    relations:\n"
            "    - contact: li-yang\n      type: 同学\n# trailing remark\n"))


def test_an_appended_list_of_plain_values_is_written_on_one_line():
    text = "activities:\n  - date: 2026-01-05\n    kind: call\n    by: 王磊\n    summary: 电话\n"
    item = {"date": "2026-01-06", "kind": "visit", "by": "王磊", "contacts": ["li-yang", "zhang-hua"], "summary": "拜访"}
    assert append_to_list(text, "activities", item, EN) == text + (
        "  - date: '2026-01-06'\n    kind: visit\n    by: 王磊\n    contacts: [li-yang, zhang-hua]\n    summary: 拜访\n")


@pytest.mark.parametrize("text", ["contacts: []  # none yet\n", "contacts:\n", "", "# only a comment\n",
                                  "other: 1\ncontacts: ~\nmore: 2\n"])
def test_append_to_empty_forms(text):
    from crmctl.files.yamlio import parse_yaml

    after = append_to_list(text, "contacts", PERSON, EN)
    data = parse_yaml(after, "f", EN).data
    assert data["contacts"] == [PERSON]
    if "# none yet" in text:
        assert after.startswith("contacts:  # none yet\n")


def test_append_refuses_flow_lists():
    with pytest.raises(SpliceError):
        append_to_list("contacts: [{id: a, name: b}]\n", "contacts", PERSON, EN)


def test_new_contact_preserves_comments_and_order(cli, tmp_path):
    contacts = textwrap.dedent("""\
        # 华北区 — 客户方人员
        contacts:
          - id: li-yang  # 总经理,最终拍板人
            name: 李阳
            title: 总经理

          # 采购口
          - name: 高雅
            id: gao-ya
        """)
    root = write_repo(tmp_path, {"customers/acme/customer.yaml": CUSTOMER, "customers/acme/contacts.yaml": contacts})
    result = cli("new", "contact", "acme", "李建", "--repo", root, "--reports-to", "li-yang", "--attitude", "supporter")
    assert result.code == 0, result.err
    text = (root / "customers/acme/contacts.yaml").read_text()
    assert text == contacts + "  - id: li-jian\n    name: 李建\n    reports_to: li-yang\n    attitude: supporter\n"


def test_new_contact_refuses_a_broken_file(cli, tmp_path):
    broken = "contacts:\n  - id: a\n    name: b\n  - id: a\n    name: b\n    name: c\n"
    root = write_repo(tmp_path, {"customers/acme/customer.yaml": CUSTOMER, "customers/acme/contacts.yaml": broken})
    result = cli("new", "contact", "acme", "李建", "--repo", root, "--lang", "en")
    assert result.code == 1
    assert (root / "customers/acme/contacts.yaml").read_text() == broken


def test_concurrent_new_contact_loses_nothing(tmp_path):
    """Eight processes add a contact each at the same time: all eight are there, file valid."""
    root = write_repo(tmp_path, {"customers/acme/customer.yaml": CUSTOMER})
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMCTL_")}
    procs = [subprocess.Popen([sys.executable, "-m", "crmctl", "new", "contact", "acme", f"Person {i}",
                               "--repo", str(root)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
             for i in range(8)]
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err.decode()
    from crmctl.checking.check import check_repository

    assert check_repository(root, EN).diagnostics == []
    from crmctl.files.yamlio import read_yaml

    data = read_yaml(root / "customers/acme/contacts.yaml", "c", EN).data
    assert sorted(c["id"] for c in data["contacts"]) == sorted(f"person-{i}" for i in range(8))
    assert [p.name for p in (root / "customers/acme").iterdir() if p.name.startswith(".")] == []


def test_every_read_is_bounded(cli, tmp_path):
    """A writer and show read no more than check does (8 MiB), whatever the file's size."""
    root = write_repo(tmp_path, {"customers/acme/customer.yaml": CUSTOMER,
                                 "customers/acme/projects/p1/project.yaml": "name: 项目\nowner: 王磊\nopened: 2026-08-01\n"})
    huge = b"contacts: []\n" + b"# padding\n" * (1024 * 1024)
    (root / "customers/acme/contacts.yaml").write_bytes(huge)
    added = cli("new", "contact", "acme", "李四", "--repo", root, "--lang", "en")
    assert (added.code, added.err) == (1, (
        "crmctl: customers/acme/contacts.yaml has problems, so crmctl leaves it as it is:\n"
        "    customers/acme/contacts.yaml: file is larger than 8 MiB; crmctl does not read it\n"
        "    fix them first (crmctl check lists them all), then run the command again\n"))
    assert (root / "customers/acme/contacts.yaml").read_bytes() == huge
    (root / "customers/acme/projects/p1/visit_report.md").write_bytes(b"---\nkind: visit_report\n---\n" + b"x" * 9_000_000)
    shown = cli("show", "acme/p1", "--repo", root, "--lang", "en")
    assert shown.code == 1
    assert "  visit feedback report: cannot be read" in shown.out.splitlines()
    assert "customers/acme/projects/p1/visit_report.md: error file-too-large file is larger than 8 MiB" in shown.err


def test_a_link_inside_the_repository_is_written_through(cli, tmp_path):
    root = write_repo(tmp_path, {"customers/acme/customer.yaml": CUSTOMER, "customers/beta/customer.yaml": CUSTOMER,
                                 "customers/acme/contacts.yaml": "contacts: []\n"})
    (root / "customers/beta/contacts.yaml").symlink_to("../acme/contacts.yaml")
    assert cli("new", "contact", "beta", "共享", "--id", "shared-x", "--repo", root).code == 0
    assert (root / "customers/beta/contacts.yaml").is_symlink()
    assert "shared-x" in (root / "customers/acme/contacts.yaml").read_text()


def test_names_with_line_breaks_of_any_kind_survive_a_round_trip(cli, repo):
    from crmctl.files.yamlio import read_yaml

    for i, name in enumerate(["王\u0085五", "李\u2028四", "赵\u2029六", "钱\x1b七"]):
        assert cli("new", "contact", "acme", name, "--id", f"p{i}", "--repo", repo).code == 0
    data = read_yaml(repo / "customers/acme/contacts.yaml", "c", EN).data
    assert [c["name"] for c in data["contacts"]] == ["王\u0085五", "李\u2028四", "赵\u2029六", "钱\x1b七"]


def test_a_file_where_customers_belongs_is_named(cli, tmp_path):
    root = write_repo(tmp_path, {})
    (root / "customers").rmdir()
    (root / "customers").write_text("x\n")
    result = cli("new", "customer", "新客户", "--category", "enterprise", "--market", "local", "--tier", "B",
                 "--owner", "x", "--region", "y", "--repo", root, "--lang", "en")
    assert (result.code, result.err) == (1, "crmctl: cannot write customers: a file stands where a folder belongs\n"
                                            "    rename or remove that file (crmctl check names it)\n")


def test_old_mac_line_ends_are_kept(cli, repo):
    (repo / "customers/acme/contacts.yaml").write_bytes(b"# people\rcontacts:\r  - id: a\r    name: A\r")
    assert cli("new", "contact", "acme", "B", "--id", "b", "--repo", repo).code == 0
    assert (repo / "customers/acme/contacts.yaml").read_bytes() == (
        b"# people\rcontacts:\r  - id: a\r    name: A\r  - id: b\r    name: B\r    attitude: unknown\r")
