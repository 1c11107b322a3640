"""check --changed-since: what changed since a git revision, with everything that refers to it,
checked as a full check would; and the pre-commit hook that checks the staged change so."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import system_tool
from crmctl.checking.check import affected_customers

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TODAY = "2026-11-29"
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str) -> str:
    system_tool("git", purpose="the repositories --changed-since and --staged compare")
    run = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env={**os.environ, **GIT_ENV})
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.fixture
def history(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES, repo, ignore=shutil.ignore_patterns(".crmctl.lock"))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    return repo


def test_a_change_reaches_the_customers_it_can_alter():
    assert affected_customers(["customers/a/contacts.yaml", "customers/b/projects/p/history.yaml", "README.md",
                               ".gitlab-ci.yml", "customers/c"]) == {"a", "b", "c"}
    for everything in ("crm.yaml", "people.yaml", "templates/visit_report.md.j2", "customers", ".github/x"):
        assert affected_customers(["customers/a/customer.yaml", everything]) is None


# the edits of a random history: each changes files and says which customers it touched (None: all)
def _break_value(repo: Path, rng: random.Random, name: str) -> set[str] | None:
    file = repo / "customers" / name / "customer.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("tier: ", "tier: Z", 1) if rng.random() < 0.5 else text + "colour: red\n",
                    encoding="utf-8")
    return {name}


def _delete_contacts(repo: Path, rng: random.Random, name: str) -> set[str] | None:
    # every project that names one of them is broken now, in another file of the customer
    (repo / "customers" / name / "contacts.yaml").unlink(missing_ok=True)
    return {name}


def _delete_customer(repo: Path, rng: random.Random, name: str) -> set[str] | None:
    shutil.rmtree(repo / "customers" / name)
    return {name}


def _copy_customer(repo: Path, rng: random.Random, name: str) -> set[str] | None:
    new = f"{name}-{rng.randrange(100)}"
    if (repo / "customers" / new).exists():
        return set()
    shutil.copytree(repo / "customers" / name, repo / "customers" / new)
    return {new}


def _rename_customer(repo: Path, rng: random.Random, name: str) -> set[str] | None:
    new = "Renamed_" + name  # an id check fails on the new name, the old one is gone
    (repo / "customers" / name).rename(repo / "customers" / new)
    return {name, new}


def _stray_file(repo: Path, rng: random.Random, name: str) -> set[str] | None:
    (repo / "customers" / f"notes-{rng.randrange(10)}.txt").write_text("x", encoding="utf-8")
    (repo / "customers" / name / "notes.yaml").write_text("a: 1\n", encoding="utf-8")  # untracked, maybe
    return {name, *(p.name for p in (repo / "customers").glob("notes-*.txt"))}


def _edit_people(repo: Path, rng: random.Random, name: str) -> set[str] | None:
    file = repo / "people.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("name: 王磊", "name: 王石", 1), encoding="utf-8")
    return None


def _readme(repo: Path, rng: random.Random, name: str) -> set[str] | None:
    (repo / "README.md").write_text("a note read by no check\n", encoding="utf-8")
    return set()


EDITS = [_break_value, _break_value, _delete_contacts, _delete_customer, _copy_customer, _rename_customer,
         _stray_file, _edit_people, _readme]


def _diagnostics(cli, repo: Path, *args: str) -> list[dict]:
    result = cli("check", repo, "--format", "json", "--lang", "en", "--today", TODAY, *args)
    assert result.code in (0, 1), result.err
    return json.loads(result.out)["diagnostics"]


def _in(path: str, touched: set[str] | None) -> bool:
    parts = path.split("/")
    return touched is None or parts[0] != "customers" or (len(parts) > 1 and parts[1] in touched)


@pytest.mark.parametrize("seed", range(10))
def test_changed_since_equals_a_full_check_on_the_affected_customers(cli, history, seed):
    """A random history of edits — some committed, some staged, some not, a few deleted or new —
    checked since the base: the same findings, byte for byte, as a full check's of the customers the
    edits touched (worked out here from the edits, not from git), and nothing of the others."""
    rng = random.Random(seed)
    repo, touched = history, set()
    for step in range(rng.randint(1, 4)):
        names = sorted(p.name for p in (repo / "customers").iterdir() if p.is_dir() and (p / "customer.yaml").exists())
        edit = rng.choice(EDITS)
        now = edit(repo, rng, rng.choice(names))
        touched = None if now is None or touched is None else touched | now
        fate = rng.choice(["commit", "stage", "leave"])
        if fate != "leave":
            git(repo, "add", "-A")
        if fate == "commit":
            git(repo, "commit", "-qm", f"step {step}", "--allow-empty")
    full = _diagnostics(cli, repo)
    changed = _diagnostics(cli, repo, "--changed-since", _base(repo))
    assert changed == [d for d in full if _in(d["path"], touched)], (seed, touched)
    if touched is not None:
        assert all(_in(d["path"], touched) for d in changed)


def _base(repo: Path) -> str:
    return git(repo, "rev-list", "--max-parents=0", "HEAD").strip()


def test_a_deleted_contact_is_found_where_a_project_names_it(cli, history):
    (history / "customers/bj-huanwei/contacts.yaml").unlink()
    result = cli("check", history, "--changed-since", "HEAD", "--lang", "en", "--today", TODAY)
    assert result.code == 1
    assert "customers/bj-huanwei/projects/sweeper-renewal-2027/project.yaml" in result.err
    assert "ref-unknown" in result.err
    assert result.err.splitlines()[-1].startswith("checked 1 customer changed since HEAD, ")
    assert "hebei-shuiwu" not in result.err  # not changed, not read


def test_an_untracked_file_inside_a_tracked_customer_is_a_change(cli, history):
    """A full check reads the work tree, untracked and ignored files too; so does a check of what
    changed since a revision: a new project folder git does not know yet, an empty one, an empty new
    customer folder and a file git ignores are all found."""
    project = history / "customers/bj-huanwei/projects/new-deal"
    project.mkdir()
    (project / "project.yaml").write_text("name: x\n", encoding="utf-8")
    (history / "customers/hebei-shuiwu/projects/empty-deal").mkdir(parents=True)
    (history / "customers/empty-one").mkdir()
    (history / ".gitignore").write_text("*.bak\n", encoding="utf-8")
    (history / "customers/tj-hongyun-qingyun/contacts.yaml.bak").write_text("old\n", encoding="utf-8")
    result = cli("check", history, "--changed-since", "HEAD", "--lang", "en", "--today", TODAY)
    assert "customers/bj-huanwei/projects/new-deal/project.yaml:1:1: error schema-missing-key" in result.err
    assert "customers/hebei-shuiwu/projects/empty-deal/project.yaml: error file-missing" in result.err
    assert "customers/empty-one/customer.yaml: error file-missing" in result.err
    assert "customers/tj-hongyun-qingyun/contacts.yaml.bak: warning file-unknown" in result.err
    assert result.err.splitlines()[-1].startswith("checked 4 customers changed since HEAD, ")
    full = _diagnostics(cli, history)
    changed = _diagnostics(cli, history, "--changed-since", "HEAD")
    touched = {"bj-huanwei", "hebei-shuiwu", "empty-one", "tj-hongyun-qingyun"}
    assert changed == [d for d in full if _in(d["path"], touched)]


def test_a_range_of_commits_is_what_a_pull_request_changed(cli, history):
    """`A...B`: the commits of B since it left A, without reading the work tree (CI's case)."""
    base = git(history, "rev-parse", "HEAD").strip()
    git(history, "checkout", "-q", "-b", "feature")
    (history / "customers/bj-huanwei/contacts.yaml").unlink()
    git(history, "commit", "-qam", "contacts gone")
    (history / "customers/hebei-shuiwu/customer.yaml").write_text("tier: Z\n", encoding="utf-8")  # not committed
    result = cli("check", history, "--changed-since", f"{base}...HEAD", "--lang", "en", "--today", TODAY)
    assert result.code == 1 and "customers/bj-huanwei/projects/sweeper-renewal-2027/project.yaml" in result.err
    assert "hebei-shuiwu" not in result.err
    assert result.err.splitlines()[-1].startswith(f"checked 1 customer changed since {base}...HEAD, ")
    assert cli("check", history, "--changed-since", "nope...HEAD", "--lang", "en").code == 2
    for span in (f"{base}...HEAD...HEAD", f"{base}....HEAD", f"{base}..HEAD..HEAD"):
        odd = cli("check", history, "--changed-since", span, "--lang", "en")
        assert (odd.code, odd.err) == (2, f"crmctl: --changed-since {span}: not a range of two revisions\n"
                                          "    write A...B (what B did since it left A) or A..B, e.g. --changed-since "
                                          "origin/main...HEAD\n")


def test_nothing_changed_checks_no_customer(cli, history):
    result = cli("check", history, "--changed-since", "HEAD", "--lang", "en", "--today", TODAY)
    assert (result.code, result.err) == (0, "checked 0 customers changed since HEAD, 1 file: 0 errors, 0 warnings\n")


def test_a_revision_git_does_not_know_is_refused(cli, history, tmp_path):
    result = cli("check", history, "--changed-since", "no-such-branch", "--lang", "en")
    assert (result.code, result.err) == (2, "crmctl: --changed-since no-such-branch: git knows no such revision\n"
                                            "    see the revisions with: git log --oneline\n")
    for odd in ("--all", "-p", "", " "):
        result = cli("check", history, f"--changed-since={odd}", "--lang", "en")
        assert result.code == 2 and "not a revision" in result.err, odd
    plain = tmp_path / "plain"
    shutil.copytree(EXAMPLES, plain)
    result = cli("check", plain, "--changed-since", "HEAD", "--lang", "en")
    assert result.code == 1 and "needs a git repository" in result.err


def test_staged_takes_what_is_staged_and_leaves_untracked_files_out(cli, history):
    (history / "customers/new-one").mkdir()
    (history / "customers/new-one/customer.yaml").write_text("tier: Z\n", encoding="utf-8")
    (history / "customers/bj-huanwei/contacts.yaml").unlink()  # unstaged: not in the next commit
    quiet = cli("check", history, "--staged", "--lang", "en", "--today", TODAY)
    assert (quiet.code, quiet.err) == (0, "checked 0 customers changed by the staged change, 1 file: "
                                          "0 errors, 0 warnings\n")
    git(history, "add", "customers/bj-huanwei/contacts.yaml")
    staged = cli("check", history, "--staged", "--lang", "en", "--today", TODAY)
    assert staged.code == 1 and "customers/bj-huanwei/projects/sweeper-renewal-2027/project.yaml" in staged.err
    assert "new-one" not in staged.err
    both = cli("check", history, "--staged", "--changed-since", "HEAD", "--lang", "en")
    assert both.code == 2 and both.err.startswith("crmctl: --changed-since and --staged: choose one\n")


def test_before_the_first_commit_everything_is_checked(cli, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES, repo)
    git(repo, "init", "-q")
    result = cli("check", repo, "--changed-since", "HEAD", "--lang", "en", "--today", TODAY)
    assert result.err.splitlines()[-1].startswith("checked 9 customers changed since HEAD")
    # --staged: what is staged for the first commit, and nothing untracked
    git(repo, "add", "customers/bj-huanwei")
    staged = cli("check", repo, "--staged", "--lang", "en", "--today", TODAY)
    assert staged.err.splitlines()[-1].startswith("checked 1 customer changed by the staged change")


def test_pre_commit_runs_the_hook_on_the_staged_change(history, tmp_path):
    """pre-commit itself, installed in the sample repository as its comment says, stops a commit
    whose staged change breaks a reference, and lets the fixed one through."""
    import sys

    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed (pip install -e '.[test]' installs it)")
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "cache"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "CRMCTL_USER": "王磊"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(args, cwd=history, capture_output=True, text=True, env=env, timeout=300)

    assert run(str(pre_commit), "install").returncode == 0
    # an unstaged change is set aside while the hook runs: it does not stop the commit
    (history / "customers/hebei-shuiwu/customer.yaml").write_text("tier: Z\n", encoding="utf-8")
    contacts = history / "customers/bj-huanwei/contacts.yaml"
    contacts.rename(history / "contacts.bak")
    run("git", "add", "customers/bj-huanwei/contacts.yaml")
    stopped = run("git", "commit", "-m", "remove the contacts")
    assert stopped.returncode != 0
    assert "customers/bj-huanwei/projects/sweeper-renewal-2027/project.yaml" in stopped.stdout + stopped.stderr
    assert "hebei-shuiwu" not in stopped.stdout + stopped.stderr
    (history / "contacts.bak").rename(contacts)
    run("git", "add", "customers/bj-huanwei/contacts.yaml")
    # a customer being started, not added to git yet, broken: not part of this commit
    (history / "customers/new-one").mkdir()
    (history / "customers/new-one/customer.yaml").write_text("tier: Z\n", encoding="utf-8")
    (history / "customers/tj-hongyun-qingyun/activities.yaml").open("a", encoding="utf-8").write("\n")
    run("git", "add", "customers/tj-hongyun-qingyun/activities.yaml")
    passed = run("git", "commit", "-m", "a blank line")
    assert passed.returncode == 0, passed.stdout + passed.stderr
