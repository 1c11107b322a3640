"""The repository boundary holds both ways: nothing is read or written through a link or a
`..` that leads outside; a link loop is a located diagnostic; links inside keep working."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import CUSTOMER, write_repo

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SECRET = "SECRET-of-the-person-running-crmctl"
PROJECT = "customers/bj-huanwei/projects/sweeper-renewal-2027"


@pytest.fixture
def world(tmp_path):
    """A copy of examples/ and, beside it, a folder of the person running crmctl."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES, repo)
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.yaml").write_text(f"name: {SECRET}\ncontacts: []\nevents: []\n")
    (home / "template.md.j2").write_text(f"---\nkind: visit_report\n---\n{SECRET}\n")
    return repo, home


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def everything(cli, repo: Path, *extra: str) -> list:
    """Every reading command on the repository, in both languages."""
    results = []
    for lang in ("en", "zh-CN"):
        for args in (("check", repo, "--today", "2026-11-28"), ("list", "--repo", repo), ("status", "--repo", repo),
                     ("show", "bj-huanwei", "--repo", repo), ("show", "bj-huanwei/sweeper-renewal-2027", "--repo", repo),
                     ("classify", "--repo", repo), ("fees", "--year", "2026", "--repo", repo), *extra):
            results.append(cli(*args, "--lang", lang))
    return results


@pytest.mark.parametrize("rel", [
    "customers/bj-huanwei/customer.yaml", "customers/bj-huanwei/contacts.yaml", "customers/bj-huanwei/activities.yaml",
    f"{PROJECT}/project.yaml", f"{PROJECT}/history.yaml", f"{PROJECT}/competition.yaml", f"{PROJECT}/evaluation.yaml",
    f"{PROJECT}/visit_report.md", "crm.yaml",
])
def test_a_record_file_linked_outside_is_never_read(cli, world, rel):
    repo, home = world
    (repo / rel).unlink()
    (repo / rel).symlink_to(home / "notes.yaml")
    before = snapshot(home)
    results = everything(cli, repo)
    for result in results:
        assert SECRET not in result.out + result.err
        assert "Traceback" not in result.err and result.code in (0, 1), result.err
    check = cli("check", repo, "--lang", "en", "--today", "2026-11-28")
    assert check.code == 1
    assert f"{rel}: error file-outside this path is a link that leads outside the repository" in check.err
    assert snapshot(home) == before


@pytest.mark.parametrize("folder", ["customers/bj-huanwei", "customers/bj-huanwei/projects", PROJECT, "customers"])
def test_a_folder_linked_outside_is_never_read_or_written(cli, world, folder):
    repo, home = world
    target = home / "linked"
    shutil.copytree(repo / folder, target)
    (target / "customer.yaml").write_text(f"name: {SECRET}\n") if (target / "customer.yaml").exists() else None
    shutil.rmtree(repo / folder)
    (repo / folder).symlink_to(target)
    before = snapshot(home)
    for result in everything(cli, repo):
        assert SECRET not in result.out + result.err
        assert "Traceback" not in result.err and result.code in (0, 1), result.err
    customer = ("new", "customer", "新客户", "--category", "enterprise", "--market", "local", "--tier", "C",
                "--owner", "x", "--region", "y")
    writes = {  # each must go through the linked folder, so each is refused
        "customers": [customer, ("new", "contact", "bj-huanwei", "李四")],
        "customers/bj-huanwei": [("new", "contact", "bj-huanwei", "李四"),
                                 ("new", "project", "bj-huanwei", "新项目", "--owner", "王磊")],
        "customers/bj-huanwei/projects": [("new", "project", "bj-huanwei", "新项目", "--owner", "王磊"),
                                          ("advance", "bj-huanwei/sweeper-renewal-2027")],
        PROJECT: [("advance", "bj-huanwei/sweeper-renewal-2027", "--force", "--reason", "x"),
                  ("close", "bj-huanwei/sweeper-renewal-2027", "--lost", "--reason", "x"),
                  ("doc", "new", "bj-huanwei/sweeper-renewal-2027", "negotiation_minutes")],
    }[folder]
    for args in writes:
        result = cli(*args, "--repo", repo, "--lang", "en")
        assert result.code == 1 and "Traceback" not in result.err, (args, result.out, result.err)
    assert snapshot(home) == before
    check = cli("check", repo, "--lang", "en", "--today", "2026-11-28")
    assert f"{folder}: error file-outside" in check.err


def test_links_inside_the_repository_keep_working(cli, world):
    repo, _ = world
    shutil.move(repo / "customers/bj-huanwei", repo / "archive-bj")
    (repo / "customers/bj-huanwei").symlink_to("../archive-bj")
    pdir = repo / PROJECT
    (pdir / "visit_report.md").rename(repo / "visit.md")
    (pdir / "visit_report.md").symlink_to("../../../visit.md")  # from archive-bj/projects/…, where it really is
    assert cli("check", repo, "--today", "2026-11-28").code == 0
    assert cli("show", "bj-huanwei/sweeper-renewal-2027", "--repo", repo).code == 0
    assert cli("new", "contact", "bj-huanwei", "李四", "--repo", repo).code == 0
    assert "li-si" in (repo / "archive-bj/contacts.yaml").read_text()


def test_a_link_loop_is_a_located_diagnostic(cli, tmp_path):
    root = write_repo(tmp_path, {"customers/acme/customer.yaml": CUSTOMER})
    (root / "customers/loop").symlink_to("loop")
    (root / "customers/acme/contacts.yaml").symlink_to("contacts.yaml")
    result = cli("check", root, "--lang", "en")
    assert result.code == 1
    assert result.err.splitlines()[:4] == [
        "customers/acme/contacts.yaml: error file-link-loop this path is a symbolic link loop (it leads back to itself);"
        " crmctl does not follow it",
        "    replace the link with the file or folder it should be, or remove it",
        "customers/loop: error file-link-loop this path is a symbolic link loop (it leads back to itself); crmctl does"
        " not follow it",
        "    replace the link with the file or folder it should be, or remove it",
    ]
    for args in (("list",), ("status",), ("show", "acme"), ("show", "loop")):
        result = cli(*args, "--repo", root, "--lang", "en")
        assert result.code == 1 and "Traceback" not in result.err, (args, result.err)
    added = cli("new", "contact", "acme", "李四", "--repo", root, "--lang", "en")
    assert added.code == 1 and added.err.startswith("crmctl: customers/acme/contacts.yaml is a symbolic link loop")


@pytest.mark.parametrize("ref", ["..", "../..", "bj-huanwei/../../x", "bj-huanwei/..", "/etc", "bj-huanwei/", "a/b/c",
                                 "", ".", "BJ", "bj huanwei", "客户"])
def test_customer_and_project_arguments_are_ids_never_paths(cli, world, ref):
    repo, _ = world
    for args in (("show", ref), ("advance", ref), ("reopen", ref, "--reason", "x"), ("status", ref),
                 ("close", ref, "--lost", "--reason", "x"), ("map", ref), ("score", ref),
                 ("doc", "new", ref, "visit_report"), ("new", "contact", ref, "李四"),
                 ("new", "project", ref, "项目", "--owner", "x"), ("classify", ref)):
        result = cli(*args, "--repo", repo, "--lang", "en")
        assert result.code == 1, (args, result.out, result.err)
        assert result.err.startswith("crmctl: ") and "Traceback" not in result.err, (args, result.err)
        assert "is not a" in result.err or "no customer" in result.err or "no project" in result.err, result.err


def test_a_hostile_template_link_is_not_copied_into_a_document(cli, world):
    repo, home = world
    folder = repo / "templates/documents/zh-CN"
    folder.mkdir(parents=True)
    (folder / "negotiation_minutes.md.j2").symlink_to(home / "template.md.j2")
    result = cli("doc", "new", "bj-huanwei/sweeper-renewal-2027", "negotiation_minutes", "--repo", repo, "--lang", "en")
    assert result.code == 1
    assert result.err == (
        "crmctl: templates/documents/zh-CN/negotiation_minutes.md.j2: the template cannot be rendered: it is a link that"
        " leads outside the templates folder; crmctl does not read it\n"
        "    fix the repository's template (or remove it to use crmctl's own), then run the command again\n")
    assert not (repo / PROJECT / "negotiation_minutes.md").exists()


def test_a_hostile_include_link_is_not_copied_into_a_document(cli, world):
    repo, home = world
    folder = repo / "templates/documents/zh-CN"
    folder.mkdir(parents=True)
    (folder / "negotiation_minutes.md.j2").write_text("---\nkind: negotiation_minutes\n---\n{% include 'part' %}\n")
    (repo / "templates/part").symlink_to(home / "notes.yaml")
    result = cli("doc", "new", "bj-huanwei/sweeper-renewal-2027", "negotiation_minutes", "--repo", repo, "--lang", "en")
    assert result.code == 1 and SECRET not in result.out + result.err
    assert result.err.startswith("crmctl: templates/part: the template cannot be rendered: it is a link")
    (repo / "templates/part").unlink()
    (repo / "templates").rename(repo / "mine")
    (repo / "templates").symlink_to(home)  # the whole folder leads out: crmctl's own templates are used
    result = cli("doc", "new", "bj-huanwei/sweeper-renewal-2027", "negotiation_minutes", "--repo", repo, "--lang", "en")
    assert result.code == 0, result.err
    assert SECRET not in (repo / PROJECT / "negotiation_minutes.md").read_text()


@pytest.mark.parametrize("folder", ["schemas", ".github", ".github/workflows"])
def test_init_and_schema_never_write_through_a_link(cli, tmp_path, folder):
    home = tmp_path / "home"
    home.mkdir()
    target = tmp_path / "crm"
    (target / folder).parent.mkdir(parents=True, exist_ok=True)
    (target / folder).symlink_to(home)
    result = cli("init", target, "--lang", "en")
    assert result.code == 1 and "Traceback" not in result.err
    assert "leads outside the repository" in result.err
    assert list(home.iterdir()) == []


def test_schema_never_writes_through_a_link(cli, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    root = write_repo(tmp_path / "repo", {"customers/acme/customer.yaml": CUSTOMER})
    (root / "schemas").symlink_to(home)
    result = cli("schema", "--repo", root, "--lang", "en")
    assert result.code == 1
    assert result.err.startswith("crmctl: refusing to write schemas: it is a link that leads outside the repository")
    assert list(home.iterdir()) == []


def test_a_templates_link_inside_the_repository_cannot_reach_git(cli, world):
    """`templates -> .` stays inside, yet would make .git/config (a token in a remote URL) a template."""
    repo, _ = world
    (repo / ".git").mkdir()
    (repo / ".git/config").write_text(f"[remote \"origin\"]\n\turl = https://alice:{SECRET}@git.example.com/crm.git\n")
    (repo / "templates").symlink_to(".")
    (repo / "documents/zh-CN").mkdir(parents=True)
    (repo / "documents/zh-CN/negotiation_minutes.md.j2").write_text(
        "---\nkind: negotiation_minutes\n---\n{% include '.git/config' %}\n")
    result = cli("doc", "new", "bj-huanwei/sweeper-renewal-2027", "negotiation_minutes", "--repo", repo, "--lang", "en")
    assert result.code == 0, result.err  # crmctl's own template, not the repository's link
    assert SECRET not in (repo / PROJECT / "negotiation_minutes.md").read_text()
    check = cli("check", repo, "--lang", "en", "--today", "2026-11-28")
    assert ("templates: warning file-link-ignored this folder is a symbolic link; crmctl uses only a real folder "
            "here and ignores the link") in check.err


def test_check_names_links_at_the_top_folders(cli, world):
    repo, home = world
    for name in ("schemas", ".github"):
        shutil.rmtree(repo / name)
        (repo / name).symlink_to(home)
    check = cli("check", repo, "--lang", "en", "--today", "2026-11-28")
    assert check.code == 1
    assert "schemas: error file-outside" in check.err and ".github: error file-outside" in check.err


@pytest.mark.parametrize("loop", ["customers/bj-huanwei/projects/self", "customers/loop1"])
def test_a_link_loop_named_like_an_id_stops_no_command(cli, world, loop):
    repo, _ = world
    (repo / loop).symlink_to(loop.rsplit("/", 1)[1])
    for args in (("status", "bj-huanwei/sweeper-renewal-2027"), ("status", "sweeper-renewal-2027"), ("map", "bj-huanwei"),
                 ("score", "bj-huanwei"), ("advance", "bj-huanwei", "--dry-run"), ("show", "bj-huanwei"), ("list",),
                 ("status",), ("doc", "new", "bj-huanwei", "negotiation_minutes")):
        result = cli(*args, "--repo", repo, "--lang", "en")
        assert result.code in (0, 1) and "Traceback" not in result.err, (args, result.err)


def test_init_that_refuses_leaves_the_folder_as_it_was(cli, tmp_path):
    target = tmp_path / "in1"
    target.mkdir()
    (target / ".gitignore").write_bytes(b"\xff\xfen\x00")  # UTF-16: crmctl will not edit it
    result = cli("init", target, "--lang", "en", "--crmctl-spec", "x")
    assert result.code == 1 and result.err.startswith("crmctl: .gitignore has problems")
    assert sorted(p.name for p in target.iterdir()) == [".gitignore"]  # not even the lock file
    home = tmp_path / "home"
    home.mkdir()
    (target / ".gitignore").unlink()
    (target / "schemas").symlink_to(home)
    assert cli("init", target, "--lang", "en", "--crmctl-spec", "x").code == 1
    assert sorted(p.name for p in target.iterdir()) == ["schemas"] and list(home.iterdir()) == []


def test_check_reports_links_in_templates_and_schemas_that_lead_out_or_loop(cli, world):
    repo, home = world
    folder = repo / "templates/documents/zh-CN"
    folder.mkdir(parents=True)
    (folder / "visit_report.md.j2").symlink_to(home / "template.md.j2")
    (folder / "phone_invitation.md.j2").symlink_to("phone_invitation.md.j2")
    (repo / "schemas/customer.schema.json").unlink()
    (repo / "schemas/customer.schema.json").symlink_to(home / "notes.yaml")
    (folder / "exchange_minutes.md.j2").symlink_to("../../../schemas/contacts.schema.json")  # stays inside: fine
    result = cli("check", repo, "--lang", "en", "--today", "2026-11-28")
    assert result.code == 1
    located = [line.split(" error ")[0] + " " + line.split(" error ")[1].split()[0]
               for line in result.err.splitlines() if line.startswith(("templates/", "schemas/"))]
    assert located == ["schemas/customer.schema.json: file-outside",
                       "templates/documents/zh-CN/phone_invitation.md.j2: file-link-loop",
                       "templates/documents/zh-CN/visit_report.md.j2: file-outside"]
