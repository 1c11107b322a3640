"""After the deal: `crmctl log` (activities from the command line)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import CUSTOMER, write_repo
from crmctl.checking.check import check_repository
from crmctl.files.yamlio import read_yaml
from crmctl.messages import Messages

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EN = Messages("en")
ACTIVITIES = "customers/bj-huanwei/activities.yaml"


def _examples(tmp_path: Path) -> Path:
    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root)
    return root


def test_log_appends_one_activity_and_leaves_every_other_byte(cli, tmp_path):
    root = _examples(tmp_path)
    before = (root / ACTIVITIES).read_text(encoding="utf-8")
    result = cli("log", "bj-huanwei", "电话确认招标参数", "--kind", "call", "-c", "张华", "-c", "li-yang",
                 "--project", "sweeper-renewal-2027", "--next", "寄送技术资料", "--next-date", "2026-12-05",
                 "--date", "2026-11-28", "--by", "王磊", "--repo", root, "--today", "2026-11-29")
    assert (result.code, result.out, result.err) == (0, f"{root / ACTIVITIES}\n", "")
    after = (root / ACTIVITIES).read_text(encoding="utf-8")
    assert after == before + (
        "\n  - date: 2026-11-28\n    kind: call\n    by: 王磊\n    contacts: [zhang-hua, li-yang]\n"
        "    project: sweeper-renewal-2027\n    summary: 电话确认招标参数\n    next_step: 寄送技术资料\n"
        "    next_date: 2026-12-05\n")
    assert [d for d in check_repository(root, EN).diagnostics if d.path == ACTIVITIES] == []


def test_log_starts_the_file_when_there_is_none(cli, repo):
    result = cli("log", "acme", "首次电话", "--kind", "call", "--by", "王磊", "--date", "2026-01-05",
                 "--today", "2026-01-06", "--repo", repo)
    assert result.code == 0, result.err
    data = read_yaml(repo / "customers/acme/activities.yaml", "a", EN).data
    assert data["activities"] == [{"date": "2026-01-05", "kind": "call", "by": "王磊", "summary": "首次电话"}]


def test_log_refuses_what_it_cannot_record_and_writes_nothing(cli, tmp_path):
    root = _examples(tmp_path)
    before = (root / ACTIVITIES).read_bytes()

    def refused(*args: str) -> str:
        result = cli("log", "bj-huanwei", "电话", "--kind", "call", "--by", "王磊", "--today", "2026-11-29",
                     *args, "--repo", root, "--lang", "en")
        assert result.code in (1, 2) and result.out == "", result
        assert (root / ACTIVITIES).read_bytes() == before
        return result.err

    assert refused("-c", "zhang-hau") == ("crmctl: `zhang-hau` is not a contact of bj-huanwei (did you mean "
                                          "`zhang-hua`?)\n    add the person first: crmctl new contact bj-huanwei NAME\n")
    assert refused("--project", "sweeper") == (
        "crmctl: customer bj-huanwei has no project `sweeper`\n    its projects: sweeper-renewal-2027\n")
    assert refused("--date", "2026-12-01") == (
        "crmctl: --date 2026-12-01 is after today (2026-11-29): the log records what happened\n"
        "    for what is planned, use --next and --next-date\n")
    assert refused("--next", "回访", "--next-date", "2026-11-01") == (
        "crmctl: --next-date 2026-11-01 is before the activity (2026-11-29)\n"
        "    the next step comes after this one\n")
    assert refused("--next-date", "2026-12-01").startswith("crmctl: --next-date needs --next TEXT")
    assert "Invalid value for '--kind'" in refused("--kind", "lunch")
    assert "'--next-date'" in refused("--next", "x", "--next-date", "12/1")
    assert refused("-c", "").startswith("crmctl: `` is not a contact of bj-huanwei")
    (root / ACTIVITIES).write_text("activities:\n  - date: 2026-01-05\n    date: 2026-01-06\n", encoding="utf-8")
    before = (root / ACTIVITIES).read_bytes()
    assert refused().startswith(f"crmctl: {ACTIVITIES} has problems")


def test_concurrent_log_runs_lose_nothing(tmp_path):
    """Eight processes log five activities each at the same time: all forty are there, the file valid."""
    root = write_repo(tmp_path, {"customers/acme/customer.yaml": CUSTOMER})
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMCTL_")}
    script = ("import sys\nfrom crmctl.cli import main\n"
              "for n in range(5):\n"
              "    assert main(['log', 'acme', f'第 {sys.argv[1]}-{n} 次电话', '--kind', 'call', '--by', '王磊',"
              " '--date', '2026-01-05', '--today', '2026-01-06', '--repo', sys.argv[2]]) == 0\n")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(i), str(root)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env) for i in range(8)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    assert check_repository(root, EN).diagnostics == []
    data = read_yaml(root / "customers/acme/activities.yaml", "a", EN).data
    assert sorted(a["summary"] for a in data["activities"]) == sorted(
        f"第 {i}-{n} 次电话" for i in range(8) for n in range(5))
    assert [p.name for p in (root / "customers/acme").iterdir() if p.name.startswith(".")] == []
