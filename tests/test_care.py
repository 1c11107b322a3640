"""After the deal: `crmctl log` (activities from the command line)."""

from __future__ import annotations

import datetime as dt
import os
import re
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


# -- due -------------------------------------------------------------------------

def test_due_on_the_examples_names_whose_each_action_is(cli):
    result = cli("due", "--repo", EXAMPLES, "--today", "2026-11-29", "--format", "csv")
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines() == [
        "date,days,kind,customer,project,owner,amount,detail",
        "2026-08-16,-105,return_visit,tj-hongyun-qingyun,muck-truck-2026,赵立新,,2026-08-01",
        # 830万 signed; 249万 + 332万 + 80万 received pay the first two instalments and 80万 of the third
        "2026-10-15,-45,payment,tj-hongyun-qingyun,muck-truck-2026,赵立新,860000,尾款 20%",
        # care.yaml: a point of feedback whose action is late
        "2026-11-20,-9,feedback,tj-hongyun-qingyun,,赵立新,,常用备件在津宏服务站寄售",
        "2026-11-30,1,payment,hebei-shuiwu,pipe-repair-2026,孙浩,855000,首付 30%",
        "2026-12-05,6,delivery,wang-jianguo,van-2026,赵立新,,2",  # a batch of delivery.yaml, not yet handed over
        "2026-12-06,7,training,wang-jianguo,,赵立新,,新车驾驶与日常保养",  # planned in care.yaml
        # logged when the contract was signed; the step logged in the negotiation is superseded
        "2026-12-08,9,next_step,sh-xianda-lenglian,reefer-fleet-2027,刘芳,,与采购部确认冷藏厢板供应商（后两批）",
        # 90 days after the last business meeting held (care.yaml, 2026-09-10)
        "2026-12-09,10,meeting,tj-hongyun-qingyun,,赵立新,,business",
        "2026-12-10,11,next_step,almaty-silkroad,tractor-2027,陈晓东,,提供耐寒配置方案与海运报价",
        # a production checkpoint of order_assurance.yaml not yet passed
        "2026-12-10,11,checkpoint,sh-xianda-lenglian,reefer-fleet-2027,刘芳,,冷藏厢体制作",
    ]
    overdue = cli("due", "--repo", EXAMPLES, "--today", "2026-11-29", "--overdue", "--format", "csv")
    assert [line.split(",")[2] for line in overdue.out.splitlines()[1:]] == ["return_visit", "payment", "feedback"]
    mine = cli("due", "--repo", EXAMPLES, "--today", "2026-11-29", "--owner", "刘芳", "--format", "csv")
    assert [line.split(",")[3] for line in mine.out.splitlines()[1:]] == ["sh-xianda-lenglian"] * 2
    table = cli("due", "--repo", EXAMPLES, "--today", "2026-11-29", "--lang", "en").out
    assert re.search(r"^2026-08-16  -105    return visit +tj-hongyun-qingyun  muck-truck-2026", table, re.M)
    assert re.search(r"^2026-10-15  -45     payment due +tj-hongyun-qingyun  muck-truck-2026 .*860,000 +尾款 20%$",
                     table, re.M), table
    assert table.endswith("\n10 due, 3 overdue, as of 2026-11-29\nmoney owed on signed contracts, in CNY: 33,797,000 on 3 "
                          "project(s), 860,000 of it overdue; warranty deposits customers hold: 6,177,000\n")
    # the money a year on: the last instalments of the cold-chain fleet, and deposits to come back
    later = cli("due", "--repo", EXAMPLES, "--today", "2027-06-20", "--within", "1m", "--format", "csv").out
    assert "2027-06-30,10,payment,sh-xianda-lenglian,reefer-fleet-2027,刘芳,10124000,尾款 20%" in later
    assert "2027-07-15,25,deposit,tj-hongyun-qingyun,muck-truck-2026,赵立新,830000," in later


HANDED_OVER = """\
events:
  - {date: 2026-01-02, action: advance, from: phone_invitation, to: contract, by: 王磊, forced: true, reason: 示例}
  - {date: 2026-01-05, action: close, outcome: won, by: 王磊, reason: 合同签订}
  - {date: 2026-01-06, action: advance, from: contract, to: maintenance, by: 王磊, forced: true, reason: 示例}
"""


def _care_repo(tmp_path: Path) -> Path:
    return write_repo(tmp_path / "care", {
        "customers/acme/customer.yaml": CUSTOMER,
        "customers/acme/contacts.yaml": "contacts:\n  - id: li-yang\n    name: 李阳\n    birthday: 1980-02-29\n",
        "customers/acme/projects/p1/project.yaml": "name: 洗扫车\nowner: 王磊\nopened: 2026-01-01\n",
        "customers/acme/projects/p1/history.yaml": HANDED_OVER,
    })


def _due(cli, root: Path, today: str, *args: str) -> list[tuple[str, str]]:
    out = cli("due", "--repo", root, "--today", today, "--format", "csv", *args).out
    return [(row.split(",")[0], row.split(",")[2]) for row in out.splitlines()[1:]]


def test_a_year_of_care_from_the_handover(cli, tmp_path):
    root = _care_repo(tmp_path)
    # every 15 days from the handover (2026-01-06) for the first 90 days
    assert _due(cli, root, "2026-01-10") == [("2026-01-21", "return_visit")]
    assert _due(cli, root, "2026-01-01", "--within", "1d") == []
    log = ("log", "acme", "回访", "--kind", "return_visit", "--by", "王磊", "--repo", root)
    assert cli(*log, "--date", "2026-01-20", "--today", "2026-01-20").code == 0
    assert _due(cli, root, "2026-01-20") == []  # 15 days on: outside the default fortnight
    assert _due(cli, root, "2026-01-21") == [("2026-02-04", "return_visit")]
    # late: overdue in due and in check, with its own code
    assert _due(cli, root, "2026-02-20", "--overdue") == [("2026-02-04", "return_visit")]
    warned = check_repository(root, EN, today=dt.date(2026, 2, 20)).diagnostics
    assert [(d.code, d.path, d.line) for d in warned] == [
        ("due-return-visit", "customers/acme/projects/p1/history.yaml", 4)]
    assert warned[0].message == ("acme/p1: a return visit was due on 2026-02-04, 16 days ago (last visit or handover "
                                 "2026-01-20)")
    # after the first 90 days, monthly
    assert cli(*log, "--date", "2026-04-01", "--today", "2026-04-01").code == 0  # day 85: still fortnightly
    assert _due(cli, root, "2026-04-01", "--within", "3w") == [("2026-04-16", "return_visit")]
    assert cli(*log, "--date", "2026-04-20", "--today", "2026-04-20").code == 0  # 104 days on
    assert _due(cli, root, "2026-04-20", "--within", "2w") == []
    assert _due(cli, root, "2026-04-20", "--within", "1m") == [("2026-05-20", "return_visit")]
    # a year on: the birthday (29 February, so 28 February in 2027) and a visit a month after the last
    assert cli(*log, "--date", "2027-02-10", "--today", "2027-02-10").code == 0
    assert _due(cli, root, "2027-02-20", "--within", "1m") == [("2027-02-28", "birthday"),
                                                               ("2027-03-12", "return_visit")]
    assert check_repository(root, EN, today=dt.date(2027, 2, 20)).diagnostics == []


def test_a_logged_next_step_is_due_until_a_later_activity(cli, tmp_path):
    root = _care_repo(tmp_path)
    base = ("log", "acme", "--kind", "call", "--by", "王磊", "--repo", root)
    assert cli(*base[:2], "电话", *base[2:], "--date", "2026-01-07", "--today", "2026-01-07", "--next", "寄资料",
               "--next-date", "2026-01-09").code == 0
    assert ("2026-01-09", "next_step") in _due(cli, root, "2026-01-08")
    warned = [d for d in check_repository(root, EN, today=dt.date(2026, 1, 12)).diagnostics if d.code == "due-next-step"]
    assert [(d.path, d.line, d.message) for d in warned] == [
        ("customers/acme/activities.yaml", 10, "acme: the next step “寄资料” was due on 2026-01-09, 3 days ago")]
    assert cli(*base[:2], "已寄资料", *base[2:], "--date", "2026-01-12", "--today", "2026-01-12").code == 0
    assert ("2026-01-09", "next_step") not in _due(cli, root, "2026-01-12")


def test_the_calendar_parses_back_with_another_parser_and_is_the_same_each_time(cli, tmp_path):
    import vobject

    ics = tmp_path / "due.ics"
    args = ("due", "--repo", EXAMPLES, "--today", "2026-11-29", "--within", "30d", "--ics", ics, "--format", "json")
    result = cli(*args)
    assert result.code == 0
    first = ics.read_bytes()
    actions = __import__("json").loads(result.out)["actions"]
    calendar = vobject.readOne(first.decode("utf-8"))
    events = sorted(calendar.vevent_list, key=lambda e: (e.dtstart.value, e.uid.value))
    assert [(str(e.dtstart.value), e.uid.value) for e in events] == sorted((a["date"], a["uid"]) for a in actions)
    assert len(events) == 14 and len({e.uid.value for e in events}) == 14
    visit = next(e for e in events if str(e.dtstart.value) == "2026-08-16")
    assert visit.summary.value == "回访：天津宏运建筑垃圾清运有限公司 · muck-truck-2026"
    assert str(visit.dtend.value) == "2026-08-17"  # an all-day event
    assert "负责人：赵立新" in visit.description.value
    cli(*args)
    assert ics.read_bytes() == first  # the same repository gives the same file: a re-import updates


def test_due_refuses_a_window_it_cannot_read(cli):
    for bad in ("two weeks", "14x", "-3d", "", "99999d", "１４d"):
        result = cli("due", "--repo", EXAMPLES, "--within", bad, "--lang", "en")
        assert result.code == 2 and result.err.startswith(f"crmctl: --within {bad}: give days, weeks or months"), bad


# -- our people ----------------------------------------------------------------------

def test_without_people_yaml_names_are_taken_as_written(cli, repo):
    assert not (repo / "people.yaml").exists()
    assert cli("log", "acme", "电话", "--kind", "call", "--by", "随便谁", "--date", "2026-01-05",
               "--today", "2026-01-06", "--repo", repo).code == 0
    assert [d.code for d in check_repository(repo, EN, today=dt.date(2026, 1, 6)).diagnostics] == []


def test_with_people_yaml_unknown_names_are_warned_by_check_and_refused_by_new_and_log(cli, repo):
    made = cli("new", "person", "王磊", "--role", "project_manager", "--region", "北京", "--repo", repo, "--lang", "en")
    assert (made.code, made.err) == (0, "crmctl: 王磊's id is wang-lei: files may name the person by it or by name\n")
    assert read_yaml(repo / "people.yaml", "p", EN).data == {
        "people": [{"id": "wang-lei", "name": "王磊", "role": "project_manager", "region": "北京"}]}
    # the customer's owner (张明 in conftest) is nobody we know now: a warning, located, with its fix
    warned = check_repository(repo, EN, today=dt.date(2026, 1, 6)).diagnostics
    assert [d.format() for d in warned] == [
        "customers/acme/customer.yaml:6:8: warning our-person-unknown owner: `张明` is none of our people in "
        "people.yaml\n    correct it, or add the person: crmctl new person NAME --role ROLE"]
    assert cli("new", "person", "张明", "--role", "regional_manager", "--repo", repo).code == 0
    assert check_repository(repo, EN, today=dt.date(2026, 1, 6)).diagnostics == []
    log = ("log", "acme", "电话", "--kind", "call", "--date", "2026-01-05", "--today", "2026-01-06", "--repo", repo)
    refused = cli(*log, "--by", "王雷", "--lang", "en")
    assert (refused.code, refused.err) == (1, "crmctl: --by 王雷: none of our people in people.yaml (did you mean "
                                              "`王磊`?)\n    name them by id or name, or add them first: crmctl new "
                                              "person NAME --role ROLE\n")
    assert not (repo / "customers/acme/activities.yaml").exists()
    assert cli(*log, "--by", "wang-lei").code == 0  # by id
    assert cli(*log, "--by", "王磊").code == 0  # or by name
    assert cli("new", "project", "acme", "洗扫车", "--owner", "nobody", "--repo", repo).code == 1
    assert cli("new", "person", "王磊", "--role", "dealer", "--repo", repo, "--lang", "en").err.startswith(
        "crmctl: people.yaml already has 王磊 (`wang-lei`)")
    # a second 王磊, given an id: a name alone is then ambiguous
    assert cli("new", "person", "王磊", "--role", "dealer", "--id", "wang-lei-2", "--repo", repo).code == 0
    assert cli(*log, "--by", "王磊", "--lang", "en").err.startswith(
        "crmctl: --by 王磊: 2 of our people have that name (wang-lei、wang-lei-2)")


def test_due_finds_a_persons_actions_by_id_or_name(cli):
    by_name = cli("due", "--repo", EXAMPLES, "--today", "2026-11-29", "--owner", "赵立新", "--format", "csv").out
    by_id = cli("due", "--repo", EXAMPLES, "--today", "2026-11-29", "--owner", "zhao-lixin", "--format", "csv").out
    assert by_name == by_id and len(by_name.splitlines()) == 7


def test_the_calendar_is_never_written_into_the_repository(cli, tmp_path, monkeypatch):
    root = _examples(tmp_path)
    monkeypatch.chdir(root)
    before = (root / "crm.yaml").read_bytes()
    for target in (root / "crm.yaml", root / "customers/bj-huanwei/due.ics", Path("crm.yaml")):
        result = cli("due", "--repo", root, "--ics", target, "--lang", "en", "--today", "2026-11-29")
        assert (result.code, result.out) == (2, "") and "that is inside the customer repository" in result.err
    assert (root / "crm.yaml").read_bytes() == before and not (root / "customers/bj-huanwei/due.ics").exists()


def test_due_at_the_end_of_the_calendar_does_not_crash(cli):
    for today in ("9999-12-31", "0001-01-01"):
        result = cli("due", "--repo", EXAMPLES, "--today", today, "--within", "3650d", "--format", "json")
        assert result.code == 0, result.err


def test_customers_we_keep_are_greeted_on_the_lunar_holidays(cli, tmp_path):
    def greeted(root: Path, today: str, within: str = "1m") -> list[str]:
        rows = cli("due", "--repo", root, "--today", today, "--within", within, "--format", "csv").out.splitlines()
        return [",".join(r.split(",")[i] for i in (0, 3, 7)) for r in rows[1:] if ",greeting," in r]

    # 春节 2027 is 6 February, 中秋节 15 September: the won customers' owners greet them
    assert greeted(EXAMPLES, "2027-01-25") == ["2027-02-06,sh-xianda-lenglian,Spring Festival",
                                               "2027-02-06,tj-hongyun-qingyun,Spring Festival",
                                               "2027-02-06,wang-jianguo,Spring Festival"]
    assert greeted(EXAMPLES, "2028-09-20", "2w") == ["2028-10-03,sh-xianda-lenglian,Mid-Autumn Festival",
                                                     "2028-10-03,tj-hongyun-qingyun,Mid-Autumn Festival",
                                                     "2028-10-03,wang-jianguo,Mid-Autumn Festival"]
    table = cli("due", "--repo", EXAMPLES, "--today", "2027-01-25", "--within", "1m").out
    assert re.search(r"^2027-02-06  12 +节日问候 +tj-hongyun-qingyun", table, re.M) and "春节" in table
    # a team's own holidays, solar or lunar
    root = _examples(tmp_path)
    config = root / "crm.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "follow_up:\n", "follow_up:\n  holidays:\n    - {name: {zh: 国庆节, en: National Day}, solar: 10-01}\n"),
        encoding="utf-8")
    assert greeted(root, "2027-09-25", "2w") == ["2027-10-01,sh-xianda-lenglian,National Day",
                                                 "2027-10-01,tj-hongyun-qingyun,National Day",
                                                 "2027-10-01,wang-jianguo,National Day"]
    config.write_text(config.read_text(encoding="utf-8").replace("solar: 10-01", "solar: 10-01, lunar: 08-15"),
                      encoding="utf-8")
    said = [d.format() for d in check_repository(root, EN).diagnostics if d.path == "crm.yaml"]
    assert said == ["crm.yaml:39:7: error schema-value follow_up.holidays[1]: a holiday needs one date: `lunar: MM-DD` "
                    "(春节 01-01) or `solar: MM-DD` (国庆 10-01)\n    keep one of the two"]


def test_due_only_writes_a_calendar_over_a_plain_file(cli, tmp_path):
    fifo, folder, link, outside = tmp_path / "pipe", tmp_path / "folder", tmp_path / "link.ics", tmp_path / "mine.ics"
    os.mkfifo(fifo)
    folder.mkdir()
    outside.write_text("my own calendar\n")
    link.symlink_to(outside)
    for target in (fifo, link):
        result = cli("due", "--repo", EXAMPLES, "--ics", target, "--lang", "en", "--today", "2026-11-29")
        assert result.code == 2 and result.err.startswith(f"crmctl: --ics {target}: that is not a plain file")
    assert cli("due", "--repo", EXAMPLES, "--ics", folder, "--today", "2026-11-29").code == 2  # click says so
    assert outside.read_text() == "my own calendar\n" and link.is_symlink() and fifo.is_fifo()
    assert cli("due", "--repo", EXAMPLES, "--ics", outside, "--today", "2026-11-29").code == 0  # a file is replaced
    assert outside.read_text().startswith("BEGIN:VCALENDAR")


def test_money_received_after_today_has_not_come_in_yet(cli, tmp_path):
    root = _examples(tmp_path)
    contract = root / "customers/hebei-shuiwu/projects/pipe-repair-2026/contract.yaml"
    contract.write_text(contract.read_text(encoding="utf-8").replace(
        "received: []", "received: [{date: 2027-06-01, amount: 85.5万}]"), encoding="utf-8")
    owed = cli("due", "--repo", root, "--today", "2026-12-05", "--overdue", "--format", "csv").out
    assert "2026-11-30,-5,payment,hebei-shuiwu,pipe-repair-2026,孙浩,855000,首付 30%" in owed
    later = cli("due", "--repo", root, "--today", "2027-06-02", "--overdue", "--format", "csv").out
    assert "首付 30%" not in later


def test_a_return_visit_stage_that_is_no_stage_is_said(tmp_path):
    root = _examples(tmp_path)
    config = root / "crm.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("    later_interval_days: 30\n",
                                                                 "    later_interval_days: 30\n    from_stage: maintainance\n"),
                      encoding="utf-8")
    said = [d.format().splitlines()[0] for d in check_repository(root, EN).diagnostics if d.path == "crm.yaml"]
    assert said == ["crm.yaml:42:17: error pipeline-invalid pipeline: `maintainance` is not a stage"]


def test_lunar_holidays_of_the_last_months_fall_in_the_next_solar_year(cli, tmp_path):
    root = _examples(tmp_path)
    config = root / "crm.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "follow_up:\n", "follow_up:\n  holidays:\n    - {name: {zh: 腊八节, en: Laba Festival}, lunar: 12-08}\n"),
        encoding="utf-8")
    rows = cli("due", "--repo", root, "--today", "2027-01-01", "--within", "30d", "--format", "csv").out
    assert "2027-01-15,14,greeting,tj-hongyun-qingyun,,赵立新,,Laba Festival" in rows


def test_an_unknown_owner_is_refused_when_the_team_is_known(cli):
    result = cli("due", "--repo", EXAMPLES, "--owner", "王雷", "--lang", "en")
    assert (result.code, result.err) == (1, "crmctl: --owner 王雷: none of our people in people.yaml (did you mean "
                                            "`王磊`?)\n    name them by id or name\n")


def test_log_never_grows_a_file_past_what_every_read_takes(cli, tmp_path, monkeypatch):
    from crmctl.files import yamlio

    root = _examples(tmp_path)
    path = root / ACTIVITIES
    before = path.read_bytes()
    # the limit every read has (8 MiB), brought down to this file's size so the test stays quick
    monkeypatch.setattr(yamlio, "MAX_FILE_BYTES", len(before) + 300)
    result = cli("log", "bj-huanwei", "长" * 200, "--kind", "call", "--by", "王磊", "--repo", root, "--lang", "en")
    assert result.code == 1 and "larger than 8 MiB" in result.err
    assert path.read_bytes() == before
    assert cli("log", "bj-huanwei", "短", "--kind", "call", "--by", "王磊", "--repo", root).code == 0


def test_a_lost_deal_has_no_next_step(cli, tmp_path):
    root = _care_repo(tmp_path)
    (root / "customers/acme/projects/p1/history.yaml").write_text(
        "events:\n  - {date: 2026-01-05, action: close, outcome: lost, by: 王磊, reason: 价格}\n", encoding="utf-8")
    assert cli("log", "acme", "电话", "--kind", "call", "--by", "王磊", "--project", "p1", "--date", "2026-01-04",
               "--today", "2026-01-04", "--next", "再报价", "--next-date", "2026-01-10", "--repo", root).code == 0
    assert ("2026-01-10", "next_step") not in _due(cli, root, "2026-01-08")
    assert [d.code for d in check_repository(root, EN, today=dt.date(2026, 1, 20)).diagnostics] == []


def test_check_holds_a_hand_written_next_step_to_what_log_does(repo):
    (repo / "customers/acme/activities.yaml").write_text(
        "activities:\n  - {date: 2026-01-05, kind: call, by: 王磊, summary: 电话, next_step: 回访, next_date: 2026-01-01}\n",
        encoding="utf-8")
    found = [d.format() for d in check_repository(repo, EN, today=dt.date(2026, 1, 6)).diagnostics
             if d.code == "date-impossible"]
    assert found == ["customers/acme/activities.yaml:2:83: error date-impossible activities[1].next_date: the next "
                     "step is due on 2026-01-01, before the activity itself (2026-01-05)\n    correct either date"]


def test_due_sums_the_money_customers_owe_per_project_and_in_all(cli):
    data = __import__("json").loads(cli("due", "--repo", EXAMPLES, "--today", "2026-11-29", "--format", "json").out)
    # hebei: 85.5万 + 171万 not yet due; the cold-chain fleet: 2024.8万 + 1012.4万 after its 1518.6万 down payment came in;
    # tianjin: 86万 of the 166万 final payment, overdue since 15 October; deposits 28.5万 + 506.2万 + 83万
    assert data["money"] == {
        "owed": 33797000, "overdue": 860000, "deposits": 6177000, "projects": [
            {"customer": "hebei-shuiwu", "project": "pipe-repair-2026", "owed": 2565000, "overdue": 0, "deposit": 285000},
            {"customer": "sh-xianda-lenglian", "project": "reefer-fleet-2027", "owed": 30372000, "overdue": 0,
             "deposit": 5062000},
            {"customer": "tj-hongyun-qingyun", "project": "muck-truck-2026", "owed": 860000, "overdue": 860000,
             "deposit": 830000}]}
    table = cli("due", "--repo", EXAMPLES, "--today", "2026-11-29").out
    assert table.endswith("已签合同应收款（CNY）：33,797,000（3 个项目），其中逾期 860,000；客户留存质保金：6,177,000\n")


def test_negotiation_rounds_and_quotes_are_checked_and_the_latest_quote_is_due_when_it_lapses(cli, tmp_path):
    root = _examples(tmp_path)
    minutes = root / "customers/sh-xianda-lenglian/projects/reefer-fleet-2027/negotiation_minutes.md"
    text = minutes.read_text(encoding="utf-8")
    # the rounds name the customer's people: a typo there is a typo like any other
    minutes.write_text(text.replace("attendees: [gao-ya, xu-tao], our", "attendees: [gao-yaa, xu-tao], our")
                       .replace("total: 5062万", "total: 5026万"), encoding="utf-8")
    found = {d.code: d.format().splitlines()[0] for d in check_repository(root, EN, today=dt.date(2026, 11, 29)).diagnostics
             if d.path.endswith("negotiation_minutes.md")}
    assert found["ref-unknown"].endswith("rounds[1].attendees[1]: contact `gao-yaa` does not exist (did you mean "
                                         "`gao-ya`?)")
    assert found["quote-total"].endswith("quotes[2].total: the total 50,260,000 is not the unit price times the "
                                         "vehicles (50,620,000)")
    # a won project's quotes are history; an open one's latest quote is due on the day it lapses
    history = minutes.parent / "history.yaml"
    events = history.read_text(encoding="utf-8")
    history.write_text(events[:events.index("  - date: 2026-11-25")], encoding="utf-8")  # not yet won
    minutes.write_text(text, encoding="utf-8")
    rows = cli("due", "--repo", root, "--today", "2026-12-20", "--format", "csv").out.splitlines()
    assert "2026-12-31,11,quote,sh-xianda-lenglian,reefer-fleet-2027,刘芳,50620000,\"506,200 × 100\"" in rows


def test_log_says_where_a_guessed_author_came_from(cli, tmp_path, monkeypatch):
    root = _examples(tmp_path)
    monkeypatch.setenv("CRMCTL_USER", "临时工")
    result = cli("log", "bj-huanwei", "电话", "--kind", "call", "--repo", root, "--lang", "en")
    assert (result.code, result.err) == (1, "crmctl: 临时工 (from $CRMCTL_USER, git's user.name or the login) is none "
                                            "of our people in people.yaml\n    say who with --by ID, or set "
                                            "CRMCTL_USER to your id in people.yaml\n")
    monkeypatch.setenv("CRMCTL_USER", "wang-lei")
    assert cli("log", "bj-huanwei", "电话", "--kind", "call", "--repo", root).code == 0
    assert cli("new", "person", "  ", "--role", "dealer", "--repo", root, "--lang", "en").err == (
        "crmctl: the name is empty\n    write the name in quotes, e.g. \"李建\"\n")
