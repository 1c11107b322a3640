"""The care plan (care.yaml), order assurance, and a project from negotiation to a year of care."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

from conftest import CUSTOMER, write_repo
from crmctl.care.schedule import EARLY_DAYS, held_by_log
from crmctl.checking.check import check_repository
from crmctl.files.yamlio import read_yaml
from crmctl.messages import Messages

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EN = Messages("en")
CONTACTS = """\
contacts:
  - id: li-yang
    name: 李阳
  - id: zhang-hua
    name: 张华
"""
CARE = "customers/acme/care.yaml"


def _examples(tmp_path: Path) -> Path:
    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root)
    return root


def _codes(root: Path, today: str, path: str | None = None) -> list[tuple[str, str, int]]:
    found = check_repository(root, EN, today=dt.date.fromisoformat(today)).diagnostics
    return [(d.code, d.path, d.line) for d in found if path is None or d.path == path]


def _due(cli, root: Path, today: str, within: str = "14d", *more: str) -> list[list[str]]:
    result = cli("due", "--repo", root, "--today", today, "--within", within, "--format", "csv", *more)
    assert result.code == 0, result.err
    return [row.split(",") for row in result.out.splitlines()[1:]]


# -- new care ---------------------------------------------------------------------

def test_new_care_writes_a_plan_with_named_contacts_that_check_reads(cli, tmp_path):
    repo = write_repo(tmp_path / "repo", {"customers/acme/customer.yaml": CUSTOMER,
                                          "customers/acme/contacts.yaml": CONTACTS})
    result = cli("new", "care", "acme", "--station", "北京朝阳特约服务站", "-c", "李阳", "-c", "zhang-hua",
                 "--since", "2026-03-01", "--repo", repo)
    assert (result.code, result.out, result.err) == (0, f"{repo / CARE}\n", "")
    text = (repo / CARE).read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/care.schema.json\n# Care plan: 测试客户.")
    # flow lists of names, the customer's owner as our contact, contacts by id
    assert "our_contacts: [张明]  # our named contacts\ncustomer_contacts: [li-yang, zhang-hua]" in text
    data = read_yaml(repo / CARE, CARE, EN).data
    assert data["since"] == "2026-03-01" and data["service_station"] == "北京朝阳特约服务站"
    assert data["trainings"] == [] and data["evaluations"] == []
    assert _codes(repo, "2026-03-02") == []
    # the sections' comments show an entry's shape: uncommented, it is valid
    filled = re.sub(r"^trainings: \[\]\n#  - planned: YYYY-MM-DD\n#    topic: (.*)\n#    audience: (.*)\n",
                    r"trainings:\n  - planned: 2026-04-01\n    topic: \1\n    audience: \2\n", text, flags=re.M)
    assert filled != text
    (repo / CARE).write_text(filled, encoding="utf-8")
    assert _codes(repo, "2026-03-02") == []
    assert [r[2] for r in _due(cli, repo, "2026-03-25")] == ["training"]


def test_new_care_refuses_and_writes_nothing(cli, tmp_path):
    repo = write_repo(tmp_path / "repo", {"customers/acme/customer.yaml": CUSTOMER,
                                          "customers/acme/contacts.yaml": CONTACTS,
                                          "people.yaml": "people:\n  - {id: zhang-ming, name: 张明, role: regional_manager}\n"})

    def refused(*args: str) -> str:
        result = cli("new", "care", "acme", *args, "--repo", repo, "--lang", "en")
        assert result.code in (1, 2) and result.out == "", result
        assert not (repo / CARE).exists()
        return result.err

    assert refused("-c", "li-yan") == ("crmctl: `li-yan` is not a contact of acme (did you mean `li-yang`?)\n"
                                       "    add the person first: crmctl new contact acme NAME\n")
    assert refused("--our", "王五").startswith("crmctl: --our 王五: none of our people in people.yaml")
    assert refused("--since", "2026-13-01").count("'--since'") == 1
    assert refused("--station", "") == ("crmctl: invalid care plan:\n    service_station: must not be empty\n"
                                        "    correct the option and run the command again\n")
    started = cli("new", "care", "acme", "--repo", repo, "--lang", "en")
    assert (started.code, started.err) == (0, "crmctl: acme has no signed contract yet: care, and its business "
                                              "meetings and evaluations, begin with the first (or set `since:` in "
                                              "care.yaml)\n")
    again = cli("new", "care", "acme", "--repo", repo, "--lang", "en")
    assert (again.code, again.err) == (1, f"crmctl: {CARE} already exists\n"
                                          "    edit it; crmctl due shows what it has due\n")
    assert cli("new", "care", "nobody", "--repo", repo).code == 1


# -- check -------------------------------------------------------------------------

def test_a_signed_contract_without_a_care_plan_warns_at_the_signature(tmp_path):
    root = _examples(tmp_path)
    path = "customers/hebei-shuiwu/projects/pipe-repair-2026/contract.yaml"
    assert ("care-plan-missing", path, 7) in _codes(root, "2026-11-29")
    message = next(d for d in check_repository(root, EN, today=dt.date(2026, 11, 29)).diagnostics
                   if d.code == "care-plan-missing")
    assert (message.message, message.hint) == (
        "hebei-shuiwu has a signed contract (hebei-shuiwu/pipe-repair-2026, 2026-11-16) but no care plan",
        "start one: crmctl new care hebei-shuiwu --station STATION -c CONTACT (the manual: keep the customer from "
        "the contract on, money is still owed and the deposit held)")


def test_an_incomplete_plan_is_named_item_by_item(tmp_path):
    root = _examples(tmp_path)
    plan = root / "customers/tj-hongyun-qingyun/care.yaml"
    text = plan.read_text(encoding="utf-8")
    text = re.sub(r"^vehicle_users:\n(  .*\n)+", "vehicle_users: []\n", text, flags=re.M)
    text = re.sub(r"^trainings:\n(  .*\n)+", "trainings: []\n", text, flags=re.M)
    plan.write_text(text.replace("service_station: 天津津宏服务站  # 指定服务站\n", "")
                    .replace("customer_contacts: [guo-feng, song-dawei]", "customer_contacts: [guo-feng, guo-fang]"),
                    encoding="utf-8")
    found = check_repository(root, EN, today=dt.date(2026, 11, 29)).diagnostics
    mine = sorted((d.code, d.message) for d in found if d.path == "customers/tj-hongyun-qingyun/care.yaml")
    assert [m for c, m in mine if c == "care-plan-incomplete"] == [
        "the care plan lacks a designated service station",
        "the care plan lacks a training of drivers and fleet managers, though vehicles are handed over",
        "the care plan lacks the vehicle users' file, though vehicles are handed over",
    ]
    assert [m for c, m in mine if c == "ref-unknown"] == [
        "customer_contacts[2]: contact `guo-fang` does not exist (did you mean `guo-feng`?)"]


def test_before_the_handover_a_plan_needs_no_users_or_training(tmp_path):
    root = _examples(tmp_path)
    assert [c for c in _codes(root, "2026-11-29", "customers/wang-jianguo/care.yaml")] == []


def test_the_people_a_care_plan_names_are_checked(tmp_path):
    root = _examples(tmp_path)
    plan = root / "customers/tj-hongyun-qingyun/care.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("our_contacts: [赵立新]", "our_contacts: [赵立鑫]")
                    .replace("    contact: guo-feng\n", "    contact: guofeng\n")
                    .replace("project: muck-truck-2026\n    trained: true\n  - name: 刘长海",
                             "project: muck-truck\n    trained: true\n  - name: 刘长海"), encoding="utf-8")
    found = sorted((d.code, d.line) for d in check_repository(root, EN, today=dt.date(2026, 11, 29)).diagnostics
                   if d.path == "customers/tj-hongyun-qingyun/care.yaml" and not d.code.startswith("due-"))
    lines = text.splitlines()
    assert found == sorted([("our-person-unknown", lines.index("our_contacts: [赵立新]  # 我方对接人") + 1),
                            ("ref-unknown", lines.index("    contact: guo-feng") + 1),
                            ("ref-unknown", lines.index("    project: muck-truck-2026") + 1)])


def test_an_overdue_care_item_is_a_reminder_with_its_own_code(tmp_path):
    root = _examples(tmp_path)
    found = [d for d in check_repository(root, EN, today=dt.date(2026, 11, 29)).diagnostics if d.code == "due-care"]
    assert [(d.path, d.line, d.message, d.hint) for d in found] == [
        ("customers/tj-hongyun-qingyun/care.yaml", 92,
         "tj-hongyun-qingyun: the action on feedback “常用备件在津宏服务站寄售” was due on 2026-11-20, 9 days ago",
         "act on it, then set `done:` to the day")]
    assert (root / "customers/tj-hongyun-qingyun/care.yaml").read_text(encoding="utf-8").splitlines()[91] == \
        "        due: 2026-11-20"
    later = {d.message for d in check_repository(root, EN, today=dt.date(2027, 1, 20)).diagnostics
             if d.code == "due-care"}
    assert "tj-hongyun-qingyun: training “冬季用车与日常保养” was due on 2027-01-12, 8 days ago" in later
    assert "tj-hongyun-qingyun: meeting “our executives visit the customer: 年终拜访、2027 年采购计划” was due on " \
        "2026-12-18, 33 days ago" in later
    assert "tj-hongyun-qingyun: care activity “free maintenance: 入冬前免费保养（20 台）” was due on 2026-12-15, " \
        "36 days ago" in later


# -- due ---------------------------------------------------------------------------

def test_a_logged_activity_holds_the_planned_entry_it_stands_for():
    def item(planned: str, held: str | None = None) -> SimpleNamespace:
        return SimpleNamespace(planned=dt.date.fromisoformat(planned), held=held and dt.date.fromisoformat(held))

    d = dt.date.fromisoformat
    items = [item("2027-01-12"), item("2027-03-01"), item("2026-12-01", "2026-12-01")]
    assert held_by_log(items, []) == set()
    assert held_by_log(items, [d("2027-01-12") - dt.timedelta(days=EARLY_DAYS)]) == {0}  # a week early counts
    assert held_by_log(items, [d("2027-01-12") - dt.timedelta(days=EARLY_DAYS + 1)]) == set()  # earlier does not
    assert held_by_log(items, [d("2027-01-20")]) == {0}  # late: the earliest still open, once
    assert held_by_log(items, [d("2027-01-20"), d("2027-01-21")]) == {0}  # not the March one, six weeks on
    assert held_by_log(items, [d("2027-01-20"), d("2027-02-22")]) == {0, 1}
    assert held_by_log(items, [d("2027-03-01")] * 3) == {0, 1}  # the held one needs none
    # the activity logged for an entry that is held is that entry's record, not another's
    assert held_by_log([item("2026-07-15", "2026-07-15"), item("2026-07-20")], [d("2026-07-15")]) == set()
    assert held_by_log([item("2026-07-15", "2026-07-15"), item("2026-07-20")], [d("2026-07-15")] * 2) == {1}
    # planned on the first days there are: no arithmetic past the calendar's start
    assert held_by_log([item("0001-01-03")], [d("0001-01-01")]) == {0}
    assert held_by_log([item("0001-01-03", "0001-01-02")], [d("0001-01-01")]) == set()


def test_a_meeting_logged_counts_as_the_regular_business_meeting(cli, tmp_path):
    root = _examples(tmp_path)

    def business(today: str) -> list[str]:
        return [r[0] for r in _due(cli, root, today, "0d") if r[3] == "wang-jianguo" and r[2] == "meeting"]

    assert business("2027-01-10") == ["2027-01-06"]  # 90 days after the contract signed on 2026-10-08
    assert cli("log", "wang-jianguo", "季度业务沟通", "--kind", "meeting", "--by", "赵立新", "--date", "2027-01-08",
               "--today", "2027-01-10", "--repo", root).code == 0
    assert business("2027-01-10") == [] and business("2027-04-08") == ["2027-04-08"]
    # a planned business meeting the log holds is no longer open: the cadence goes on from the log
    plan = root / "customers/wang-jianguo/care.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "meetings: []", "meetings:\n  - {planned: 2027-01-09, kind: business}"), encoding="utf-8")
    assert business("2027-04-08") == ["2027-04-08"]


def test_the_care_plan_on_pinned_days(cli, tmp_path):
    root = _examples(tmp_path)

    def tj(today: str, within: str = "14d") -> list[tuple[str, str, str]]:
        return [(r[0], r[2], r[7]) for r in _due(cli, root, today, within) if r[3] == "tj-hongyun-qingyun"
                and r[2] in ("training", "care", "meeting", "evaluation", "feedback")]

    assert tj("2026-12-01", "3w") == [("2026-11-20", "feedback", "常用备件在津宏服务站寄售"),
                                      ("2026-12-09", "meeting", "business"),
                                      ("2026-12-15", "care", "入冬前免费保养（20 台）"),
                                      ("2026-12-18", "meeting", "年终拜访、2027 年采购计划")]
    # the free maintenance is logged two days early: it holds the planned one; the executive visit is held
    assert cli("log", "tj-hongyun-qingyun", "入冬前免费保养 20 台", "--kind", "care", "--by", "天津津宏服务站",
               "--date", "2026-12-13", "--today", "2026-12-13", "--repo", root).code == 0
    plan = root / "customers/tj-hongyun-qingyun/care.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("    topics: [年终拜访, 2027 年采购计划]\n",
                                 "    topics: [年终拜访, 2027 年采购计划]\n    held: 2026-12-18\n"), encoding="utf-8")
    assert tj("2026-12-20", "4w") == [("2026-11-20", "feedback", "常用备件在津宏服务站寄售"),
                                      ("2026-12-09", "meeting", "business"),
                                      ("2027-01-12", "training", "冬季用车与日常保养")]
    # the business meeting held, the feedback acted on: the next business meeting is 90 days on
    text = plan.read_text(encoding="utf-8")
    text = text.replace("  - planned: 2026-12-18\n", "  - planned: 2026-12-22\n    held: 2026-12-22\n"
                        "    kind: business\n  - planned: 2026-12-18\n", 1)
    plan.write_text(text.replace("        due: 2026-11-20\n", "        due: 2026-11-20\n        done: 2026-12-21\n"),
                    encoding="utf-8")
    assert tj("2026-12-23", "4w") == [("2027-01-12", "training", "冬季用车与日常保养")]
    assert tj("2027-03-20", "5w") == [("2027-01-12", "training", "冬季用车与日常保养"),
                                      ("2027-03-22", "meeting", "business"),
                                      ("2027-04-18", "evaluation", "2026-10-20")]  # 180 days after the last one
    assert _codes(root, "2026-12-23", "customers/tj-hongyun-qingyun/care.yaml") == []


def test_a_calendar_event_keeps_its_uid_when_its_entry_moves(cli, tmp_path):
    root = _examples(tmp_path)

    def uids() -> dict[str, str]:
        result = cli("due", "--repo", root, "--today", "2026-11-29", "--within", "60d", "--format", "json")
        return {a["detail"]: a["uid"] for a in json.loads(result.out)["actions"]
                if a["customer"] == "tj-hongyun-qingyun" and a["kind"] in ("care", "payment")}

    before = uids()
    plan = root / "customers/tj-hongyun-qingyun/care.yaml"
    text = plan.read_text(encoding="utf-8")
    # rescheduled, and another entry put before it: the same event, updated on a re-import
    text = text.replace("care_activities:\n  - planned: 2026-08-20\n", "care_activities:\n  - planned: 2026-12-01\n"
                        "    kind: inspection\n  - planned: 2026-08-20\n").replace("planned: 2026-12-15", "planned: 2026-12-16")
    plan.write_text(text, encoding="utf-8")
    contract = root / "customers/tj-hongyun-qingyun/projects/muck-truck-2026/contract.yaml"
    contract.write_text(contract.read_text(encoding="utf-8").replace("{due: 2026-10-15, amount: 166万",
                                                                     "{due: 2026-10-31, amount: 166万"), encoding="utf-8")
    after = uids()
    assert before["入冬前免费保养（20 台）"] == after["入冬前免费保养（20 台）"]
    assert before["尾款 20%"] == after["尾款 20%"]
    assert len(set(after.values())) == len(after) == len(before) + 1


def test_order_assurance_in_progress_is_due_checkpoint_by_checkpoint(cli, tmp_path):
    rows = [(r[0], r[7]) for r in _due(cli, EXAMPLES, "2026-11-29", "4w") if r[2] == "checkpoint"]
    assert rows == [("2026-12-10", "冷藏厢体制作"), ("2026-12-18", "冷机安装与预冷测试"), ("2026-12-24", "整车下线")]
    status = cli("status", "sh-xianda-lenglian/reefer-fleet-2027", "--repo", EXAMPLES, "--lang", "en",
                 "--today", "2026-11-29", "--format", "json")
    missing = json.loads(status.out)["missing"]
    assert len(missing) == 6 and all(m["code"] == "gate-requirement" for m in missing)


def test_from_negotiation_to_a_year_of_care(cli, tmp_path, monkeypatch):
    """The cold-chain fleet of the examples: signed at the end of a negotiation, produced, delivered,
    and kept for a year — what `due` and `check` say on the way, on pinned days."""
    from crmctl.pipeline import workflow

    class Clock(dt.date):  # `advance` records what happened: its clock goes with the story
        now = dt.date(2026, 11, 29)

        @classmethod
        def today(cls) -> dt.date:
            return cls.now

    monkeypatch.setattr(workflow, "dt", SimpleNamespace(date=Clock))
    monkeypatch.setenv("CRMCTL_USER", "刘芳")  # one of the examples' people.yaml, who owns the project
    root = _examples(tmp_path)
    ref, customer = "sh-xianda-lenglian/reefer-fleet-2027", "sh-xianda-lenglian"
    folder = root / "customers" / customer / "projects/reefer-fleet-2027"

    def kinds(today: str, within: str = "14d") -> set[str]:
        return {r[2] for r in _due(cli, root, today, within) if r[3] == customer}

    # signed on 2026-11-25 after two negotiation rounds; in production now: the checkpoints are due
    assert "checkpoint" in kinds("2026-12-08")
    Clock.now = dt.date(2026, 12, 28)
    blocked = cli("advance", ref, "--date", "2026-12-28", "--repo", root)
    assert blocked.code == 1 and "订单保障" in blocked.err
    assured = folder / "order_assurance.yaml"
    text = assured.read_text(encoding="utf-8")
    for day in ("2026-12-10", "2026-12-18", "2026-12-24"):
        text = text.replace(f"    planned: {day}\n", f"    planned: {day}\n    passed: {day}\n")
    text = text.replace("same_supplier: false", "same_supplier: true").replace(
        "# first_sample: YYYY-MM-DD", "first_sample: 2026-12-20").replace(
        "# sample_confirmed_by: 联系人标识", "sample_confirmed_by: xu-tao").replace(
        "# vehicles_checked: YYYY-MM-DD", "vehicles_checked: 2026-12-26").replace("# checked_by: 我方检验人",
                                                                                 "checked_by: 王磊")
    assured.write_text(text, encoding="utf-8")
    assert cli("advance", ref, "--date", "2026-12-28", "--repo", root).code == 0
    # delivery in three batches
    assert cli("doc", "new", ref, "delivery", "--date", "2026-12-28", "--repo", root).code == 0
    delivery = folder / "delivery.yaml"
    batches = "".join(f"  - vehicles: {n}\n    planned: {planned}\n    delivered: {planned}\n    inspected: true\n"
                      f"    registered: {planned}\n    in_operation: {planned}\n"
                      for n, planned in ((35, "2027-01-10"), (35, "2027-01-20"), (30, "2027-02-05")))
    delivery.write_text(delivery.read_text(encoding="utf-8").split("batches:")[0] + "batches:\n" + batches,
                        encoding="utf-8")
    Clock.now = dt.date(2027, 2, 6)
    assert cli("advance", ref, "--date", "2027-02-06", "--repo", root).code == 0
    # handed over: the plan now needs the vehicle users and a training; the first return visit is
    # due 15 days after the last handover
    codes = _codes(root, "2027-02-06", f"customers/{customer}/care.yaml")
    assert sorted(c for c, _, _ in codes) == ["care-plan-incomplete"] * 3  # station, users, training
    assert [r[0] for r in _due(cli, root, "2027-02-06", "3w") if r[3] == customer and r[2] == "return_visit"] == \
        ["2027-02-20"]
    plan = root / f"customers/{customer}/care.yaml"
    text = plan.read_text(encoding="utf-8")
    text = text.replace("our_contacts:", "service_station: 上海开利冷机服务站\nour_contacts:", 1)
    text = text.replace("vehicle_users: []", "vehicle_users:\n  - {name: 徐涛, role: fleet_manager, trained: true}")
    text = text.replace("trainings: []", "trainings:\n  - {planned: 2027-02-10, topic: 冷机操作与保养, held: 2027-02-10}")
    plan.write_text(text, encoding="utf-8")
    assert _codes(root, "2027-02-11", f"customers/{customer}/care.yaml") == []
    # a year of care: the return visits every 15 days for three months, then monthly, each logged
    day, visits = dt.date(2027, 2, 20), []
    while day <= dt.date(2028, 1, 31):
        due = [r for r in _due(cli, root, day.isoformat(), "0d") if r[3] == customer and r[2] == "return_visit"]
        assert [r[0] for r in due] == [day.isoformat()], day
        assert cli("log", customer, "回访", "--kind", "return_visit", "-c", "xu-tao", "--project", "reefer-fleet-2027",
                   "--by", "刘芳", "--date", day.isoformat(), "--today", day.isoformat(), "--repo", root).code == 0
        visits.append(day)
        day += dt.timedelta(days=15 if (day - dt.date(2027, 2, 5)).days < 90 else 30)
    # six visits in the first three months (days 15 to 90 after the handover), then one a month
    assert [(b - a).days for a, b in zip(visits, visits[1:])] == [15] * 5 + [30] * (len(visits) - 6)
    # what a year on holds besides: the evaluation half a year after care began, business meetings
    # every quarter, the money (the second and last instalments), the warranty deposit still held
    year = {(r[0], r[2]) for r in _due(cli, root, "2028-01-31", "0d") if r[3] == customer}
    assert ("2027-05-24", "evaluation") in year  # 180 days after the contract signed on 2026-11-25
    assert ("2027-02-23", "meeting") in year  # 90 days after it
    assert {("2027-03-31", "payment"), ("2027-06-30", "payment")} <= year
    assert not any(kind == "return_visit" for _, kind in year)
    warned = {c for c, path, _ in _codes(root, "2028-01-31") if c.startswith("due-") and f"/{customer}/" in path}
    assert {"due-care", "due-payment"} <= warned and "due-return-visit" not in warned


# -- targets -------------------------------------------------------------------------

def test_the_yearly_targets_are_measured_from_agreements_and_evaluations(cli, tmp_path):
    files: dict[str, str] = {}
    # five customers began in 2025, six in 2026: +20%, the target met
    for i, year in enumerate([2025] * 5 + [2026] * 6 + [2024]):
        files[f"customers/c{i}/customer.yaml"] = CUSTOMER + f"agreement_date: {year}-0{1 + i % 9}-10\n"
    # satisfaction: c0 scored 70 and 80 in 2025 (75), c1 65: 70 in 2025; 2026: 80 and 83 → 81.5, +16.4%
    evaluations = {"c0": [("2025-03-01", 70), ("2025-09-01", 80), ("2026-03-01", 80)], "c1": [("2025-05-01", 65),
                   ("2026-06-01", 83)], "c2": [("2024-05-01", 10)]}
    for cid, scores in evaluations.items():
        files[f"customers/{cid}/care.yaml"] = "evaluations:\n" + "".join(
            f"  - {{date: {day}, score: {score}}}\n" for day, score in scores)
    repo = write_repo(tmp_path / "repo", files)
    result = cli("targets", "--year", "2026", "--repo", repo, "--format", "json")
    assert result.code == 0, result.err
    measures = {x["measure"]: x for x in json.loads(result.out)["measures"]}
    assert (measures["new_customers"]["last"], measures["new_customers"]["this"]) == (5, 6)
    assert (measures["new_customers"]["growth"], measures["new_customers"]["met"]) == (20.0, True)
    assert (measures["satisfaction"]["last"], measures["satisfaction"]["this"]) == (70.0, 81.5)
    assert (measures["satisfaction"]["growth"], measures["satisfaction"]["met"]) == (16.4, False)
    table = cli("targets", "--year", "2026", "--repo", repo).out
    assert table.splitlines()[2].split() == ["new", "customers", "5", "6", "+20", "20", "yes"]
    before = json.loads(cli("targets", "--year", "2025", "--repo", repo, "--format", "json").out)["measures"]
    assert [(x["last"], x["this"], x["growth"]) for x in before[:2]] == [(1, 5, 400.0), (10.0, 70.0, 600.0)]
    # a year with nothing before it: no growth, neither met nor missed
    first = json.loads(cli("targets", "--year", "2024", "--repo", repo, "--format", "json").out)["measures"]
    assert [(x["last"], x["growth"], x["met"]) for x in first[:2]] == [(0, None, None), (None, None, None)]
    assert cli("targets", "--year", "2024", "--repo", repo).out.endswith(
        "—: nothing in 2023 to grow from, so no growth to hold against the target\n")


def test_a_pipe_or_a_dangling_link_named_like_a_record_is_refused_not_waited_on(cli, tmp_path):
    import os

    root = _examples(tmp_path)
    care = root / "customers/hebei-shuiwu/care.yaml"
    os.mkfifo(care)  # a reader would wait for a writer for ever
    checked = cli("check", root, "--lang", "en")
    assert "customers/hebei-shuiwu/care.yaml: error file-unreadable cannot read file: not a regular file " \
           "(a pipe, a device or a folder)" in checked.err
    refused = cli("new", "care", "hebei-shuiwu", "--repo", root, "--lang", "en")
    assert (refused.code, refused.err) == (1, "crmctl: customers/hebei-shuiwu/care.yaml is not a regular file (a pipe, "
                                              "a device or a folder)\n    move it aside; crmctl keeps records in plain "
                                              "files\n")
    care.unlink()
    care.symlink_to("../li-chunhua/care.yaml")  # inside the repository, leading nowhere yet
    refused = cli("new", "care", "hebei-shuiwu", "--repo", root, "--lang", "en")
    assert (refused.code, refused.err) == (1, "crmctl: customers/hebei-shuiwu/care.yaml is a link to a file that does "
                                              "not exist\n    remove the link, or create the file it points to\n")
    assert not (root / "customers/li-chunhua/care.yaml").exists()


def test_new_care_takes_people_once_and_trims_what_it_is_given(cli, tmp_path):
    repo = write_repo(tmp_path / "repo", {
        "customers/acme/customer.yaml": CUSTOMER.replace("owner: 张明", "owner: 离职的人"),
        "customers/acme/contacts.yaml": CONTACTS,
        "people.yaml": "people:\n  - {id: zhang-ming, name: 张明, role: regional_manager}\n"})
    assert cli("new", "care", "acme", "--station", "  ", "--repo", repo).code == 1  # blank is no station
    # the owner customer.yaml names is taken as it stands (check warns on it there), not blamed on --our
    assert cli("new", "care", "acme", "--station", " 朝阳站 ", "--repo", repo).code == 0
    data = read_yaml(repo / CARE, CARE, EN).data
    assert (data["service_station"], data["our_contacts"]) == ("朝阳站", ["离职的人"])
    (repo / CARE).unlink()
    assert cli("new", "care", "acme", "--our", "zhang-ming", "--our", "张明", "--repo", repo).code == 0
    assert read_yaml(repo / CARE, CARE, EN).data["our_contacts"] == ["zhang-ming"]


def test_order_assurance_is_not_done_before_the_order_went_into_production(tmp_path):
    root = _examples(tmp_path)
    path = "customers/tj-hongyun-qingyun/projects/muck-truck-2026/order_assurance.yaml"
    text = (root / path).read_text(encoding="utf-8")
    (root / path).write_text(text.replace("vehicles_checked: 2026-06-30", "vehicles_checked: 2006-06-30"),
                             encoding="utf-8")
    found = [d for d in check_repository(root, EN, today=dt.date(2026, 11, 29)).diagnostics
             if d.path == path and d.code == "date-impossible"]
    assert [(d.message, d.hint) for d in found] == [(
        "vehicles_checked: 2006-06-30 is before the order went into production (2026-06-06)",
        "correct the date, or the `date:` the order went into production")]


def test_a_care_plan_entry_is_named_by_its_place_not_by_a_field(tmp_path):
    root = _examples(tmp_path)
    plan = root / "customers/tj-hongyun-qingyun/care.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("    contact: guo-feng\n", "    contact: nobody\n"),
                    encoding="utf-8")
    found = [d.message for d in check_repository(root, EN, today=dt.date(2026, 11, 29)).diagnostics
             if d.code == "ref-unknown" and d.path == "customers/tj-hongyun-qingyun/care.yaml"]
    assert found == ["evaluations[1].contact: contact `nobody` does not exist"]


def test_the_calendar_escapes_what_the_repository_holds(cli, tmp_path):
    import icalendar

    root = _examples(tmp_path)
    plan = root / "customers/wang-jianguo/care.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "topic: 新车驾驶与日常保养", 'topic: "保养\\n负责人：王磊\\e[2J"'), encoding="utf-8")
    ics = tmp_path / "due.ics"
    written = cli("due", "--repo", root, "--today", "2026-11-29", "--ics", ics, "--lang", "en")
    assert (written.code, written.err) == (0, f"crmctl: 10 event(s) written to {ics}\n")
    training = next(e for e in icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
                    if str(e["summary"]).startswith("training"))
    assert str(training["description"]).splitlines() == [
        "保养\\n负责人：王磊\\x1b[2J", "whose: 赵立新", "from: customers/wang-jianguo/care.yaml"]
    # on the last day there is, an all-day event has no end day to name
    plan.write_text(plan.read_text(encoding="utf-8").replace("planned: 2026-12-06", "planned: 9999-12-31"),
                    encoding="utf-8")
    assert cli("due", "--repo", root, "--today", "9999-12-31", "--within", "1d", "--ics", ics).code == 0
    last = [e for e in icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
            if e.decoded("dtstart") == dt.date.max]
    assert last and all("DTEND" not in e for e in last)


def test_within_refuses_a_number_of_any_length(cli):
    result = cli("due", "--repo", EXAMPLES, "--within", "1" * 5000 + "d", "--lang", "en")
    assert (result.code, result.out) == (2, "") and result.err.startswith("crmctl: --within 111")


def test_stage_events_are_recorded_by_our_people(cli, tmp_path):
    root = _examples(tmp_path)
    history = root / "customers/li-chunhua/projects/van-2027/history.yaml"
    before = history.read_bytes()
    refused = cli("close", "li-chunhua", "--lost", "--reason", "预算取消", "--by", "张三", "--repo", root, "--lang", "en")
    assert (refused.code, refused.err) == (1, "crmctl: --by 张三: none of our people in people.yaml (did you mean "
                                              "`张明`?)\n"
                                              "    name them by id or name, or add them first: crmctl new person NAME "
                                              "--role ROLE\n")
    assert history.read_bytes() == before
    assert cli("close", "li-chunhua", "--lost", "--reason", "预算取消", "--by", "zhao-lixin", "--repo", root).code == 0
    history.write_text(history.read_text(encoding="utf-8").replace("by: zhao-lixin", "by: 赵立鑫"), encoding="utf-8")
    found = [(d.code, d.message) for d in check_repository(root, EN, today=dt.date(2026, 11, 29)).diagnostics
             if d.path == "customers/li-chunhua/projects/van-2027/history.yaml"]
    assert found == [("our-person-unknown", "events[2].by: `赵立鑫` is none of our people in people.yaml "
                                            "(did you mean `赵立新`?)")]


def test_a_sign_off_counts_when_it_came_before_the_gate_and_the_signature(tmp_path):
    root = _examples(tmp_path)
    path = root / "customers/hebei-shuiwu/projects/pipe-repair-2026/contract.yaml"
    text = path.read_text(encoding="utf-8")

    def broken(new: str) -> list[str]:
        path.write_text(new, encoding="utf-8")
        return [d.message.split("no longer holds: ", 1)[1]
                for d in check_repository(root, EN, today=dt.date(2026, 11, 29)).diagnostics if d.code == "gate-broken"]

    # signed on the 26th, but the gate into the contract stage was passed on the 16th: the service
    # department's sign-off of the 25th had not happened then
    assert broken(text.replace("signed: 2026-11-16", "signed: 2026-11-26").replace("date: 2026-11-14}",
                                                                                   "date: 2026-11-25}")) == [
        "Contract signed, relationship kept: `date: 2026-11-25` is after 2026-11-16, the day the gate is passed"]
    # a department that signed off twice reviewed it the first time
    assert broken(text.replace("  - {department: service, by: 服务部 马经理, date: 2026-11-14}\n",
                               "  - {department: service, by: 服务部 马经理, date: 2026-11-14}\n"
                               "  - {department: service, by: 服务部 马经理, date: 2026-11-17}\n")) == []


def test_a_dry_run_refuses_what_the_run_would(cli, tmp_path, monkeypatch):
    root = _examples(tmp_path)
    monkeypatch.setenv("CRMCTL_USER", "赵立新")
    ref = "wang-jianguo/van-2026"
    future = cli("advance", ref, "--date", "2099-01-01", "--dry-run", "--repo", root, "--lang", "en")
    assert future.code == 1 and future.err.startswith("crmctl: --date 2099-01-01 is in the future")
    nobody = cli("advance", ref, "--by", "nobody", "--dry-run", "--repo", root, "--lang", "en")
    assert nobody.code == 1 and nobody.err.startswith("crmctl: --by nobody: none of our people")
    empty = cli("close", "li-chunhua", "--lost", "--reason", "x", "--by", " ", "--repo", root, "--lang", "en")
    assert (empty.code, empty.err) == (1, "crmctl: --by is empty: say who did it\n"
                                          "    give an id or a name, or leave --by out to use $CRMCTL_USER\n")


def test_a_name_two_of_ours_share_names_nobody(cli, tmp_path):
    root = _examples(tmp_path)
    assert cli("new", "person", "王磊", "--role", "dealer", "--id", "wang-lei-2", "--repo", root).code == 0
    found = [(d.code, d.path, d.message) for d in check_repository(root, EN, today=dt.date(2026, 11, 29)).diagnostics
             if d.code.startswith("our-person")]
    assert ("our-person-ambiguous", "customers/bj-huanwei/projects/sweeper-renewal-2027/project.yaml",
            "owner: `王磊` is the name of 2 of our people (wang-lei, wang-lei-2)") in found
    people = root / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("id: wang-lei-2", "id: wang-lei"), encoding="utf-8")
    refused = cli("close", "li-chunhua", "--lost", "--reason", "x", "--by", "wang-lei", "--repo", root, "--lang", "en")
    assert refused.code == 1 and refused.err.startswith("crmctl: people.yaml has problems")


def test_a_checkpoint_keeps_its_uid_when_another_is_put_before_it(cli, tmp_path):
    root = _examples(tmp_path)

    def uids() -> dict[str, str]:
        result = cli("due", "--repo", root, "--today", "2026-11-29", "--within", "60d", "--format", "json")
        return {a["detail"]: a["uid"] for a in json.loads(result.out)["actions"] if a["kind"] == "checkpoint"}

    before = uids()
    path = root / "customers/sh-xianda-lenglian/projects/reefer-fleet-2027/order_assurance.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "checkpoints:\n", "checkpoints:\n  - name: 技术协议确认\n    planned: 2026-12-01\n"), encoding="utf-8")
    after = uids()
    assert {k: after[k] for k in before} == before and len(after) == len(before) + 1


def test_a_cadence_ends_with_the_calendar(cli, tmp_path):
    root = _examples(tmp_path)
    plan = root / "customers/wang-jianguo/care.yaml"
    plan.write_text("since: 9999-12-01\n" + plan.read_text(encoding="utf-8"), encoding="utf-8")
    rows = _due(cli, root, "9999-12-20", "30d")
    assert not any(r[3] == "wang-jianguo" and r[2] in ("meeting", "evaluation") for r in rows)


def test_a_contract_s_schedule_and_deposit_add_up_to_its_value(tmp_path):
    root = _examples(tmp_path)
    path = root / "customers/hebei-shuiwu/projects/pipe-repair-2026/contract.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 285万", "value: 300万"), encoding="utf-8")
    found = [(d.code, d.line, d.message) for d in check_repository(root, EN, today=dt.date(2026, 11, 29)).diagnostics
             if d.path.endswith("pipe-repair-2026/contract.yaml") and d.code == "contract-sum"]
    assert found == [("contract-sum", 9, "the payment schedule (2,565,000) and the warranty deposit (285,000) add up "
                                         "to 2,850,000, not the contract value 3,000,000")]
