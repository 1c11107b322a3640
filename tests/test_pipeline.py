"""The six-step pipeline: gates, advance, close/reopen, history, and check enforcing it."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import filelock
import pytest

from conftest import write_repo
from crmctl.checking.check import check_repository
from crmctl.messages import Messages

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TODAY = "2026-11-28"
EN = Messages("en")

CUSTOMER = """\
name: 城市环卫
category: government
kind: institution
market: local
tier: A
channel: direct
owner: 张明
region: 北京
current_fleet:
  - brand: 福田
    model: 洗扫车
    tonnage: 8
    configuration: 国六
    price: 420000
    quantity: 10
    purchase_date: 2021-06-18
"""
CONTACTS = """\
contacts:
  - id: li-yang
    name: 李阳
    function: final_approver
  - id: zhang-hua
    name: 张华
    reports_to: li-yang
"""
PROJECT = """\
# the project file, edited by hand
name: 洗扫车更新
owner: 王磊   # project manager
opened: 2026-08-01
decision_map:
  - contact: li-yang
    role: final_approver
    weight: 60
  - contact: zhang-hua
    role: technical
    weight: 40
"""
P = "customers/acme/projects/p1"


ACTIVITIES = """\
activities:
  - date: 2026-08-01
    kind: call
    by: 王磊
    contacts: [li-yang, zhang-hua]
    project: p1
    summary: 电话
"""


@pytest.fixture
def repo(tmp_path):
    return write_repo(tmp_path / "repo", {"customers/acme/customer.yaml": CUSTOMER,
                                          "customers/acme/contacts.yaml": CONTACTS,
                                          "customers/acme/activities.yaml": ACTIVITIES,
                                          f"{P}/project.yaml": PROJECT})


def fill(path: Path, values: dict[str, str]) -> None:
    """Fill a document written by `doc new`: given fields by key, every other placeholder with text."""
    text = path.read_text(encoding="utf-8")
    for key, value in values.items():
        # the key's line, and the template's `- «…»` items under it when the value is a whole list
        items = r"(?:\n\s+- .*)*" if value.startswith("[") else ""
        text, n = re.subn(rf"^(\s*){key}:.*{items}$", rf"\g<1>{key}: {value}", text, count=1, flags=re.M)
        assert n == 1, key
    text = re.sub(r"«[^»]*»", "已填写", text)
    path.write_text(text, encoding="utf-8")


def fill_contract(path: Path, signed: str) -> None:
    """A contract written by `doc new`, reviewed and signed off on ``signed``."""
    text = path.read_text(encoding="utf-8").replace("«YYYY-MM-DD»", signed)
    text = re.sub(r"(value|amount): «[^»]*»", r"\g<1>: 400万", text)
    text = re.sub(r"vehicles: «[^»]*»", "vehicles: 10", text)
    path.write_text(re.sub(r"«[^»]*»", "已填写", text), encoding="utf-8")


DOCS = {
    "phone_invitation": {"call_date": "2026-08-02", "contact": "li-yang", "visit_date": "2026-08-05",
                         "visit_time": "'09:30'"},
    "visit_report": {"date": "2026-08-05", "attendees": "[li-yang, zhang-hua]", "handler": "zhang-hua",
                     "materials_handed_over": "true",
                     "project_owner": "li-yang"},
    "product_recommendation": {"date": "2026-08-10", "submitted_to": "zhang-hua", "quantity": "10",
                               "unit_price": "400000",
                               "consensus": "true"},
    "exchange_minutes": {"date": "2026-08-20", "attendees": "[zhang-hua]", "solution_confirmed": "true"},
    "negotiation_minutes": {"date": "2026-09-01", "attendees": "[li-yang]", "agreed": "[价格, 交期]",
                            "open_points": "[]"},
    "service_plan": {"date": "2026-09-10", "customer_contact": "zhang-hua"},
}


def test_walk_a_project_from_step_one_to_won(cli, repo):
    """doc new, fill in, advance — through all six steps — then won and the after-sale stages."""
    def run(*args):
        return cli(*args, "--repo", repo, "--lang", "en")

    stages = ["visit", "solution", "exchange", "commercial"]
    dates = ["2026-08-03", "2026-08-06", "2026-08-12", "2026-08-25"]
    for kind, stage, date in zip(list(DOCS)[:4], stages, dates):
        closed = run("advance", "acme", "--date", date)
        assert closed.code == 1 and "missing" in closed.err
        assert f"crmctl doc new acme/p1 {kind}" in closed.err
        made = run("doc", "new", "acme/p1", kind)
        assert made.code == 0, made.err
        draft = run("advance", "acme", "--date", date)
        assert draft.code == 1 and "still a draft" in draft.err
        fill(repo / P / f"{kind}.md", DOCS[kind])
        moved = run("advance", "acme", "--date", date, "--by", "王磊")
        assert moved.code == 0, moved.err
        assert moved.out.startswith("acme/p1: ")
        assert json.loads(run("status", "acme/p1", "--format", "json").out)["stage"] == stage
    # commercial operation needs the negotiation minutes and the project's evaluation
    assert run("doc", "new", "acme/p1", "negotiation_minutes").code == 0
    fill(repo / P / "negotiation_minutes.md", DOCS["negotiation_minutes"])
    closed = run("advance", "acme", "--date", "2026-09-05")
    assert closed.code == 1 and "crmctl doc new acme/p1 evaluation" in closed.err
    assert run("doc", "new", "acme/p1", "evaluation").code == 0
    evaluation = repo / P / "evaluation.yaml"
    evaluation.write_text(re.sub(r"«[^»]*»", "8", evaluation.read_text(encoding="utf-8")), encoding="utf-8")
    closed = run("advance", "acme", "--date", "2026-09-05")  # the contract is reviewed before it is signed
    assert closed.code == 1 and "crmctl doc new acme/p1 contract" in closed.err
    assert run("doc", "new", "acme/p1", "contract").code == 0
    fill_contract(repo / P / "contract.yaml", "2026-09-04")
    assert run("advance", "acme", "--date", "2026-09-05").code == 0
    assert run("close", "acme", "--won", "--reason", "签约", "--date", "2026-09-06").code == 0
    assert run("doc", "new", "acme/p1", "service_plan").code == 0
    fill(repo / P / "service_plan.md", DOCS["service_plan"])
    assert run("advance", "acme/p1", "--date", "2026-09-10").code == 0
    assert json.loads(run("status", "acme/p1", "--format", "json").out)["stage"] == "order_assurance"
    # into delivery once the order is assured: checkpoints passed, one supplier per key part, the
    # first sample confirmed by a contact, the vehicles checked against the contract
    assert run("doc", "new", "acme/p1", "order_assurance", "--date", "2026-09-10").code == 0
    assured = repo / P / "order_assurance.yaml"
    assured.write_text(re.sub(r"«[^»]*»", "2026-09-20", assured.read_text(encoding="utf-8")), encoding="utf-8")
    # the checkpoints not yet passed are due on their planned day
    assert "2026-09-20,-5,checkpoint,acme,p1," in run("due", "--today", "2026-09-25", "--format", "csv").out
    shut = run("advance", "acme/p1", "--date", "2026-10-01", "--lang", "en")
    assert shut.code == 1
    for missing in ("production checkpoint “chassis inspected on arrival” is not passed", "“2026-09-20” is not confirmed to come "
                    "from one supplier", "the customer has not confirmed the first body sample",
                    "the built vehicles are not checked against the contract"):
        assert missing in shut.err, shut.err
    text = re.sub(r"(planned: 2026-09-20)", r"\1\n    passed: 2026-09-25", assured.read_text(encoding="utf-8"))
    text = text.replace("same_supplier: false", "same_supplier: true")
    text = text.replace("# first_sample: YYYY-MM-DD", "first_sample: 2026-09-22").replace(
        "# sample_confirmed_by: CONTACT-ID", "sample_confirmed_by: nobody").replace(
        "# vehicles_checked: YYYY-MM-DD", "vehicles_checked: 2026-09-28").replace("# checked_by: OUR-PERSON",
                                                                                 "checked_by: 我方")
    assured.write_text(text, encoding="utf-8")
    shut = run("advance", "acme/p1", "--date", "2026-10-01", "--lang", "en")  # the sample's confirmer is no contact
    assert shut.code == 1 and "names `nobody`, who is not one of the customer's contacts" in shut.err, shut.err
    assured.write_text(text.replace("sample_confirmed_by: nobody", "sample_confirmed_by: li-yang"), encoding="utf-8")
    assert run("advance", "acme/p1", "--date", "2026-10-01").code == 0
    assert json.loads(run("status", "acme/p1", "--format", "json").out)["stage"] == "delivery"
    assert ",checkpoint," not in run("due", "--today", "2026-10-01", "--format", "csv").out
    # into maintenance once every batch is handed over, inspected, registered and in service
    assert run("doc", "new", "acme/p1", "delivery").code == 0
    delivery = repo / P / "delivery.yaml"
    planned = re.sub(r"vehicles: «[^»]*»", "vehicles: 10", delivery.read_text(encoding="utf-8"))
    delivery.write_text(re.sub(r"«[^»]*»", "2026-10-15", planned), encoding="utf-8")
    half = run("advance", "acme/p1", "--date", "2026-10-20")
    assert half.code == 1 and "batch 1 (10 vehicles) is not yet delivered, inspected before handover, registered, " \
                              "put into service" in half.err, half.err
    delivery.write_text(delivery.read_text(encoding="utf-8").replace("# delivered: YYYY-MM-DD", "delivered: 2026-10-16")
                        .replace("# inspected: true", "inspected: true").replace("# registered: YYYY-MM-DD",
                                                                              "registered: 2026-10-15")
                        .replace("# in_operation: YYYY-MM-DD", "in_operation: 2026-10-17"), encoding="utf-8")
    result = run("advance", "acme/p1", "--date", "2026-10-20")
    assert result.code == 0, result.err
    assert json.loads(run("status", "acme/p1", "--format", "json").out)["stage"] == "maintenance"
    # the first return visit is due fifteen days after the handover, not after the stage was entered
    assert "2026-10-31,6,return_visit,acme,p1," in run("due", "--today", "2026-10-25", "--format", "csv").out
    status = json.loads(run("status", "acme/p1", "--format", "json", "--today", "2026-10-25").out)
    assert (status["stage"], status["outcome"], status["days_in_stage"], status["next_stage"]) == (
        "maintenance", "won", 5, None)
    check = run("check", "--today", "2026-10-25")
    assert check.code == 0, check.err
    assert "0 errors, 0 warnings" in check.err


def test_closed_gate_names_every_missing_item(cli, repo):
    (repo / "customers/acme/customer.yaml").write_text(CUSTOMER.split("current_fleet:")[0], encoding="utf-8")
    for kind in ("phone_invitation", "visit_report"):
        cli("doc", "new", "acme/p1", kind, "--repo", repo)
    fill(repo / P / "phone_invitation.md", DOCS["phone_invitation"])
    fill(repo / P / "visit_report.md", {**DOCS["visit_report"], "handler": "wu-wei", "procurement_process": "~"})
    assert cli("advance", "acme", "--repo", repo, "--date", "2026-08-03").code == 0
    history = (repo / P / "history.yaml").read_bytes()
    result = cli("advance", "acme", "--repo", repo, "--lang", "en")
    assert result.code == 1 and result.out == ""
    assert result.err == (
        "acme/p1: cannot move from “Visit and product presentation” to “First vehicle solution”; 3 item(s) missing:\n"
        f"  {P}/visit_report.md:6:10: First vehicle solution: the visit feedback report names `wu-wei`, who is not one "
        "of the customer's contacts\n"
        "      correct the id, or add the person: crmctl new contact acme NAME --id wu-wei\n"
        f"  {P}/visit_report.md:7:22: First vehicle solution: the customer's internal procurement process is not "
        "recorded\n"
        "      describe it under `procurement_process:`\n"
        "  customers/acme/customer.yaml:1:1: First vehicle solution: the customer's current vehicles are not known\n"
        "      list them under `current_fleet:` (brand, model, tonnage, configuration, price, quantity, "
        "purchase_date)\n")
    assert (repo / P / "history.yaml").read_bytes() == history  # nothing written
    zh = cli("advance", "acme", "--repo", repo, "--lang", "zh-CN", "--dry-run")
    assert zh.err.splitlines()[0] == "acme/p1：无法从「上门拜访及产品推荐」进入「车辆解决初步方案」；缺少 3 项："
    data = json.loads(cli("advance", "acme", "--repo", repo, "--format", "json").out)
    assert (data["gate_open"], data["applied"], [d["code"] for d in data["missing"]]) == (
        False, False, ["gate-requirement"] * 3)


def test_gate_into_commercial_needs_a_complete_decision_map(cli, repo):
    text = (repo / P / "project.yaml").read_text().replace("weight: 40", "weight: 30").replace(
        "role: final_approver", "role: user")
    (repo / P / "project.yaml").write_text(text)
    for kind, date in zip(list(DOCS)[:4], ("2026-08-03", "2026-08-06", "2026-08-12", "2026-08-25")):
        cli("doc", "new", "acme/p1", kind, "--repo", repo)
        fill(repo / P / f"{kind}.md", DOCS[kind])
        result = cli("advance", "acme", "--repo", repo, "--date", date, "--lang", "en")
    assert result.code == 1
    assert [line for line in result.err.splitlines() if line.startswith("  customers")] == [
        f"  {P}/project.yaml:6:3: Project evaluation and commercial operation: decision weights sum to 90, not 100",
        f"  {P}/project.yaml:6:3: Project evaluation and commercial operation: no final approver (最终拍板人) "
        "in the decision map",
    ]


def test_no_skipping_no_going_back_without_force(cli, repo):
    result = cli("advance", "acme", "--to", "exchange", "--repo", repo, "--lang", "en")
    assert result.code == 1
    assert result.err == ("crmctl: acme/p1 is in “Customer chosen, phone invitation”; moving to “Technical exchange "
                          "and solution confirmed” would skip stages\n"
                          "    only the next stage is allowed, unless --force --reason TEXT (recorded)\n")
    assert cli("advance", "acme", "--to", "exchange", "--force", "--repo", repo).code == 1  # no reason
    trial = cli("advance", "acme", "--to", "exchange", "--force", "--reason", "试", "--dry-run", "--repo", repo,
                "--lang", "en")
    assert trial.code == 0 and trial.err.startswith(  # the verdict of the same command without --dry-run
        "acme/p1: Customer chosen, phone invitation → Technical exchange and solution confirmed: --force would pass"
        " 2 missing item(s) (dry run, nothing written):\n")
    assert not (repo / P / "history.yaml").exists()
    forced = cli("advance", "acme", "--to", "exchange", "--force", "--reason", "客户直接要求技术交流",
                 "--repo", repo, "--lang", "en", "--date", "2026-08-02", "--by", "王磊")
    assert forced.code == 0
    assert forced.err.startswith("forced past 2 missing item(s):\n")
    back = cli("advance", "acme", "--to", "visit", "--force", "--reason", "重新拜访", "--repo", repo,
               "--date", "2026-08-03", "--by", "王磊")
    assert back.code == 0
    history = (repo / P / "history.yaml").read_text(encoding="utf-8")
    assert history.endswith(
        "events:\n"
        "  - date: 2026-08-02\n    action: advance\n    from: phone_invitation\n    to: exchange\n    by: 王磊\n"
        "    forced: true\n    reason: 客户直接要求技术交流\n"
        "  - date: 2026-08-03\n    action: advance\n    from: exchange\n    to: visit\n    by: 王磊\n"
        "    forced: true\n    reason: 重新拜访\n")
    # forced moves are recorded, and check does not hold them to the gates they skipped
    assert check_repository(repo, EN, today=dt.date(2026, 8, 4)).diagnostics == []


def test_advance_writes_only_the_history(cli, repo):
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    cli("doc", "new", "acme/p1", "phone_invitation", "--repo", repo)
    fill(repo / P / "phone_invitation.md", DOCS["phone_invitation"])
    doc = (repo / P / "phone_invitation.md").read_bytes()
    assert cli("advance", "acme", "--repo", repo, "--date", "2026-08-03").code == 0
    after = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    assert set(after) - set(before) == {repo / P / "phone_invitation.md", repo / P / "history.yaml",
                                        repo / ".crmctl.lock"}
    assert all(after[p] == before[p] for p in before)  # project.yaml and its comments untouched
    assert after[repo / P / "phone_invitation.md"] == doc


def test_dates_must_be_in_order_and_not_ahead(cli, repo):
    cli("advance", "acme", "--to", "visit", "--force", "--reason", "x", "--repo", repo, "--date", "2026-08-10")
    early = cli("advance", "acme", "--repo", repo, "--lang", "en", "--date", "2026-08-09", "--force",
                "--reason", "x")
    assert early.code == 1
    assert early.err.startswith("crmctl: --date 2026-08-09 is before the project's last recorded date 2026-08-10")
    later = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    future = cli("advance", "acme", "--repo", repo, "--lang", "en", "--date", later, "--force", "--reason", "x")
    assert future.code == 1 and "is in the future" in future.err


def test_close_reopen_rules(cli, repo):
    run = lambda *a: cli(*a, "--repo", repo, "--lang", "en")  # noqa: E731
    early = run("close", "acme", "--won", "--reason", "x")
    assert early.code == 1
    assert early.err == ("crmctl: acme/p1 is in “Customer chosen, phone invitation”: a project is won once it reaches "
                         "“Contract signed, relationship kept”\n    advance it there first (crmctl status acme/p1)\n")
    assert run("close", "acme", "--won", "--lost", "--reason", "x").code == 2
    assert run("close", "acme/p1", "--lost", "--reason", "竞品低价", "--date", "2026-08-05").code == 0
    assert run("close", "acme/p1", "--lost", "--reason", "again").code == 1
    blocked = run("advance", "acme/p1", "--force", "--reason", "x")
    assert blocked.code == 1 and "closed as lost on 2026-08-05" in blocked.err
    assert run("advance", "acme").code == 1  # the customer has no open project now
    assert run("reopen", "p1", "--reason", "重新招标", "--date", "2026-08-20").code == 0
    status = json.loads(run("status", "acme", "--format", "json").out)
    assert (status["stage"], status["outcome"]) == ("phone_invitation", None)


def test_project_names(cli, tmp_path):
    root = write_repo(tmp_path, {
        "customers/a/customer.yaml": CUSTOMER, "customers/a/projects/x/project.yaml": PROJECT,
        "customers/a/projects/y/project.yaml": PROJECT, "customers/b/customer.yaml": CUSTOMER,
        "customers/b/projects/x/project.yaml": PROJECT,
    })
    ambiguous = cli("status", "x", "--repo", root, "--lang", "en")
    assert ambiguous.code == 1
    assert ambiguous.err == "crmctl: `x` is ambiguous: a/x, b/x\n    name one as CUSTOMER/PROJECT\n"
    two = cli("status", "a", "--repo", root, "--lang", "en")
    assert two.err.startswith("crmctl: `a` is ambiguous: a/x, a/y")
    assert cli("status", "b", "--repo", root).code == 0  # one open project
    assert cli("status", "y", "--repo", root).code == 0
    unknown = cli("status", "a/z", "--repo", root, "--lang", "en")
    assert unknown.err == "crmctl: customer a has no project `z`\n    its projects: x, y\n"


def test_check_catches_a_deleted_required_document(cli, tmp_path):
    repo = tmp_path / "ex"
    shutil.copytree(EXAMPLES, repo)
    (repo / "customers/bj-huanwei/projects/sweeper-renewal-2027/visit_report.md").unlink()
    result = cli("check", repo, "--today", TODAY, "--lang", "en")
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if " error " in line]
    assert errors == [
        "customers/bj-huanwei/projects/sweeper-renewal-2027/history.yaml:10:5: error gate-broken "
        "“Visit and product presentation” → “First vehicle solution” was passed on 2026-08-13, but no longer holds: "
        "First vehicle solution: no visit feedback report yet (this stage requires it)",
    ]


def test_check_catches_a_document_broken_after_its_gate(tmp_path):
    repo = tmp_path / "ex"
    shutil.copytree(EXAMPLES, repo)
    doc = repo / "customers/bj-huanwei/projects/sweeper-renewal-2027/exchange_minutes.md"
    doc.write_text(doc.read_text(encoding="utf-8").replace("solution_confirmed: true", "solution_confirmed: false"),
                   encoding="utf-8")
    found = [d for d in check_repository(repo, EN, today=dt.date(2026, 11, 28)).diagnostics
             if d.severity == "error"]
    assert [(d.path, d.line, d.code) for d in found] == [
        ("customers/bj-huanwei/projects/sweeper-renewal-2027/history.yaml", 21, "gate-broken")]
    assert found[0].message.endswith("the customer has not confirmed the solution")


def test_hand_edited_history_is_reported(tmp_path):
    root = write_repo(tmp_path, {
        "customers/acme/customer.yaml": CUSTOMER, "customers/acme/contacts.yaml": CONTACTS,
        f"{P}/project.yaml": PROJECT,
        f"{P}/history.yaml": """\
            events:
              - {date: 2026-08-05, action: advance, from: phone_invitation, to: visit, by: x, forced: true, reason: r}
              - {date: 2026-08-04, action: advance, from: solution, to: exchange, by: x, forced: true, reason: r}
              - {date: 2026-08-06, action: advance, from: exchange, to: nowhere, by: x}
              - {date: 2027-01-01, action: close, by: x}
            """,
    })
    lines = [d.format().splitlines()[0] for d in check_repository(root, EN, today=dt.date(2026, 9, 1)).diagnostics]
    h = f"{P}/history.yaml"
    assert lines == [
        f"{h}:3:12: error history-invalid stage history: dated 2026-08-04, before the previous date 2026-08-05",
        f"{h}:3:47: error history-invalid stage history: `from: solution` but the project was in visit",
        f"{h}:4:61: error history-invalid stage history: `to: nowhere` is not a stage of the pipeline",
        f"{h}:5:5: error history-invalid stage history: a close without `outcome: won` or `lost`",
        f"{h}:5:12: error history-invalid stage history: dated 2027-01-01, in the future",
    ]


def test_stalled_projects_warn_and_fail_only_when_reminders_fail(cli, tmp_path):
    repo = tmp_path / "ex"
    shutil.copytree(EXAMPLES, repo)
    later = cli("check", repo, "--today", "2027-01-10", "--lang", "en")
    assert later.code == 0
    stalled = [line for line in later.err.splitlines() if "stage-stalled" in line]
    assert stalled[0] == ("customers/almaty-silkroad/projects/tractor-2027/history.yaml: warning stage-stalled "
                          "project has been in stage “First vehicle solution” for 69 days (limit 30)")
    assert all("sd-wuliu-xiehui" not in line for line in stalled)  # lost projects do not stall
    # the examples show red flags, one tier-B customer left to a dealer, a won customer whose care is
    # overdue and care plans missing or incomplete, on purpose
    quiet = ("--ignore", "flag", "--ignore", "class", "--ignore", "due", "--ignore", "care")
    # a stalled stage is a reminder of the calendar: --strict fails on the data, not on it
    assert cli("check", repo, "--today", "2027-01-10", "--strict", *quiet).code == 0
    assert cli("check", repo, "--today", "2027-01-10", "--fail-on-reminders", *quiet).code == 1
    assert cli("check", repo, "--today", TODAY, "--fail-on-reminders", *quiet).code == 0


def test_status_lists_open_and_won_projects(cli):
    table = cli("status", "--repo", EXAMPLES, "--today", TODAY, "--format", "csv")
    assert table.code == 0, table.err
    rows = table.out.splitlines()
    assert rows[0] == "project,name,stage,days,stalled,outcome,missing,flags"
    assert [r.split(",")[0] for r in rows[1:]] == [
        "almaty-silkroad/tractor-2027", "bj-huanwei/sweeper-renewal-2027", "hd-chengguan/emergency-2027",
        "hebei-shuiwu/pipe-repair-2026", "hebei-shuiwu/suction-2027", "li-chunhua/van-2027",
        "sh-xianda-lenglian/reefer-fleet-2027", "tj-hongyun-qingyun/muck-truck-2026", "wang-jianguo/van-2026"]
    assert "tj-hongyun-qingyun/muck-truck-2026,2026 年渣土车替换,maintenance,136,false,won,0,0" in rows
    every = json.loads(cli("status", "--repo", EXAMPLES, "--today", TODAY, "--all", "--format", "json").out)
    lost = [r for r in every if r["outcome"] == "lost"]
    assert [r["project"] for r in lost] == ["sd-wuliu-xiehui/group-buy-2026"]
    stages = {r["stage"] for r in every}
    assert stages == {"phone_invitation", "visit", "solution", "exchange", "commercial", "contract",
                      "order_assurance", "delivery", "maintenance"}


def test_status_of_one_project_in_both_languages(cli):
    en = cli("status", "bj-huanwei", "--repo", EXAMPLES, "--today", TODAY, "--lang", "en").out.splitlines()
    assert en[:3] == [
        "bj-huanwei/sweeper-renewal-2027  2027 年新能源洗扫车更新采购",
        "  stage: Project evaluation and commercial operation [commercial], 39 days (limit 60)",
        "  outcome: open",
    ]
    flag = "    customers/bj-huanwei/projects/sweeper-renewal-2027/project.yaml:{}: red flag, bj-huanwei/sweeper-renewal-2027: "
    assert en[3:] == [
        "  goal: Learn the customer's technical and commercial criteria; negotiate product, price, service, payment "
        "and delivery, pricing from the customer's needs, not the list; no last-minute preparation, emotion, "
        "uncovered promises or baseless prices.",
        "  next: Contract signed, relationship kept [contract]",
        "  still needed (2):",
        "    customers/bj-huanwei/projects/sweeper-renewal-2027/negotiation_minutes.md: Contract signed, "
        "relationship kept: no negotiation minutes yet (this stage requires it)",
        "        create it: crmctl doc new bj-huanwei/sweeper-renewal-2027 negotiation_minutes",
        "    customers/bj-huanwei/projects/sweeper-renewal-2027/contract.yaml: Contract signed, relationship kept: "
        "the contract is not reviewed: no complete contract",
        "        write it: crmctl doc new bj-huanwei/sweeper-renewal-2027 contract",
        "  red flags (3):",
        flag.format("35:5") + "where the final approver 李阳 (总经理, final approver 35%) stands is not known",
        "        see 李阳 next, or learn their view through someone close to them; then record their `attitude`",
        flag.format("23:3") + "no supporter among the decision-level people: 李阳 (总经理, final approver 35%): unknown",
        "        build a relationship with a decision maker until they support us",
        flag.format("32:5") + "王桑 (财务总监, finance 15%) opposes us (influence not recorded), and no action is planned",
        "        write what we will do about them under this entry's `action:`",
        "  next to see (attitude unknown):",
        "    李阳 (总经理, final approver 35%)",
    ]
    zh = cli("status", "bj-huanwei", "--repo", EXAMPLES, "--today", TODAY).out.splitlines()
    assert zh[1] == "  阶段：项目评估/商务运作 [commercial]，39 天（上限 60 天）"


def test_doc_new_prefills_refuses_overwrite_and_prefers_repo_templates(cli, repo):
    (repo / "crm.yaml").write_text("format: 1\nlanguage: zh-CN\n", encoding="utf-8")
    # the document is in the repository's language, whatever --lang asks of messages
    made = cli("doc", "new", "acme/p1", "visit_report", "--repo", repo, "--date", "2026-08-05", "--lang", "en")
    assert made.code == 0
    (repo / "crm.yaml").write_text("format: 1\nlanguage: en\n", encoding="utf-8")
    text = (repo / P / "visit_report.md").read_text(encoding="utf-8")
    assert text.startswith("---\nkind: visit_report\ndate: 2026-08-05\nour_attendees: [王磊]\n")
    assert "# 拜访反馈报告：城市环卫 · 洗扫车更新" in text
    again = cli("doc", "new", "acme/p1", "visit_report", "--repo", repo, "--lang", "en")
    assert again.code == 1 and "already exists" in again.err
    custom = repo / "templates/documents/en/phone_invitation.md.j2"
    custom.parent.mkdir(parents=True)
    custom.write_text("---\nkind: phone_invitation\ncall_date: {{ date }}\nby: «who»\ncontact: «id»\n"
                      "visit_date: «date»\nvisit_place: 本公司\n---\n我们自己的模板 {{ project.name }}\n", encoding="utf-8")
    assert cli("doc", "new", "acme/p1", "phone_invitation", "--repo", repo, "--lang", "en").code == 0
    assert (repo / P / "phone_invitation.md").read_text(encoding="utf-8").endswith("我们自己的模板 洗扫车更新\n")
    drafts = [d for d in check_repository(repo, EN, today=dt.date(2026, 8, 6)).diagnostics]
    assert [(d.path, d.line, d.col, d.code) for d in drafts] == [
        (f"{P}/phone_invitation.md", 4, 5, "doc-draft"), (f"{P}/visit_report.md", 5, 13, "doc-draft")]
    broken = repo / "templates/documents/en/exchange_minutes.md.j2"
    broken.write_text("no front matter {{ date }}\n")
    bad = cli("doc", "new", "acme/p1", "exchange_minutes", "--repo", repo, "--lang", "en")
    assert bad.code == 1 and "template" in bad.err and not (repo / P / "exchange_minutes.md").exists()


def test_pipeline_can_be_adjusted_in_crm_yaml(cli, repo):
    (repo / "crm.yaml").write_text(
        "format: 1\nlanguage: en\npipeline:\n  overrides:\n    phone_invitation:\n      outputs: []\n"
        "      max_days: 2\n", encoding="utf-8")
    assert cli("advance", "acme", "--repo", repo, "--dry-run").code == 0  # no document needed now
    stalled = check_repository(repo, EN, today=dt.date(2026, 8, 5)).diagnostics
    assert [d.code for d in stalled] == ["stage-stalled"]
    (repo / "crm.yaml").write_text(
        "format: 1\nlanguage: en\npipeline:\n  stages:\n    - id: call\n      name: {zh: 电话, en: Call}\n"
        "      outputs: [phone_invite]\n      requires: [handler-known]\n  overrides:\n    visit: {max_days: 3}\n",
        encoding="utf-8")
    lines = [d.format().splitlines()[0] for d in check_repository(repo, EN).diagnostics]
    assert lines == [
        "crm.yaml:4:3: error pipeline-invalid pipeline: `contract` is not a stage",  # won_from's default
        "crm.yaml:7:17: error pipeline-invalid pipeline: `phone_invite` is not a document kind",
        "crm.yaml:8:18: error pipeline-invalid pipeline: `handler-known` is not a rule",
        "crm.yaml:10:12: error pipeline-invalid pipeline: `visit` is not a stage",
    ]
    refused = cli("advance", "acme", "--repo", repo)
    assert refused.code == 1 and "crm.yaml" in refused.err


def test_concurrent_advances_one_wins_one_fails(repo):
    """Two processes advance the same project at once: the history stays consistent."""
    cli_args = [sys.executable, "-m", "crmctl", "advance", "acme/p1", "--to", "visit", "--force", "--reason",
                "并发测试", "--repo", str(repo), "--lang", "en", "--date", "2026-08-03", "--by", "x"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMCTL_")}
    lock = filelock.FileLock(repo / ".crmctl.lock")
    lock.acquire()  # both runs decide, then queue on the repository's lock
    try:
        procs = [subprocess.Popen(cli_args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
                 for _ in range(2)]
        time.sleep(2.0)
    finally:
        lock.release()
    results = [p.communicate(timeout=60) + (p.returncode,) for p in procs]
    codes = sorted(r[2] for r in results)
    assert codes == [0, 1], results
    loser = next(r for r in results if r[2] == 1)
    assert loser[1] == ("crmctl: acme/p1 changed while this command ran (another crmctl run wrote its history)\n"
                        "    look at it again: crmctl status acme/p1\n")
    history = (repo / P / "history.yaml").read_text(encoding="utf-8")
    assert history.count("- date:") == 1
    assert check_repository(repo, EN, today=dt.date(2026, 8, 4)).diagnostics == []


def test_status_leaves_out_and_names_a_project_whose_history_is_broken(cli, repo):
    (repo / P / "history.yaml").write_text(
        "events:\n  - {date: 2026-08-05, action: advance, from: visit, to: solution, by: x}\n", encoding="utf-8")
    result = cli("status", "--repo", repo, "--lang", "en", "--format", "csv")
    assert result.code == 1
    assert result.out == "project,name,stage,days,stalled,outcome,missing,flags\n"
    assert result.err == (f"{P}/history.yaml: error history-invalid stage history: `from: visit` but the project "
                          "was in phone_invitation\n"
                          "    this file is written by crmctl; undo the hand edit (git checkout -- FILE)\n")


def _gate(repo, stage: str, documents: dict[str, dict[str, str]], to: str) -> list[str]:
    """What the gate into ``to`` still needs, with the given documents written and filled."""
    from crmctl.pipeline.workflow import advance

    history = (f"events:\n  - {{date: 2026-08-02, action: advance, from: phone_invitation, to: {stage}, by: x, "
               "forced: true, reason: r}\n")
    (repo / P / "history.yaml").write_text(history, encoding="utf-8")
    for kind, values in documents.items():
        from crmctl.cli import main

        assert main(["doc", "new", "acme/p1", kind, "--repo", str(repo)]) == 0
        fill(repo / P / f"{kind}.md", values)
    result = advance(repo, "acme/p1", EN, to=to, dry_run=True, today=dt.date(2026, 11, 28))
    return [d.message for d in result.missing]


def test_step_two_needs_material_handed_over_and_the_customers_first_plan(repo):
    visit = {**DOCS["visit_report"], "materials_handed_over": "false", "customer_first_plan": "~"}
    assert _gate(repo, "visit", {"visit_report": visit}, "solution") == [
        "First vehicle solution: the visit report does not record our product material as handed over",
        "First vehicle solution: the visit report does not say what first plan the customer will report internally",
    ]


def test_the_five_negotiation_topics_and_the_customers_decision_level(repo):
    minutes = {**DOCS["negotiation_minutes"], "attendees": "[zhang-hua]", "price": "~", "delivery": "~"}
    config = (repo / "crm.yaml").read_text()
    (repo / "crm.yaml").write_text(config + "pipeline:\n  disabled_rules: [evaluation-complete, contract-reviewed]\n"
                                   "  overrides: {commercial: {outputs: [negotiation_minutes]}}\n")
    (repo / "customers/acme/contacts.yaml").write_text(CONTACTS.replace("function: final_approver",
                                                                        "level: decision_maker"))
    assert _gate(repo, "commercial", {"negotiation_minutes": minutes}, "contract") == [
        "Contract signed, relationship kept: the negotiation minutes settle nothing on: price, delivery",
        "Contract signed, relationship kept: no one of the customer's decision level attended the negotiation",
    ]
    open_points = {**minutes, "attendees": "[li-yang]", "open_points": "[报价待定, 交期待定]"}  # either language
    assert _gate(repo, "commercial", {}, "contract") != []  # the document above is still there
    (repo / P / "negotiation_minutes.md").unlink()
    missing = _gate(repo, "commercial", {"negotiation_minutes": open_points}, "contract")
    assert missing == ["Contract signed, relationship kept: 2 negotiation point(s) still open"]


def test_rules_can_be_switched_off_and_unknown_ones_are_named(cli, repo):
    visit = {**DOCS["visit_report"], "materials_handed_over": "false"}
    config = (repo / "crm.yaml").read_text()
    (repo / "crm.yaml").write_text(config + "pipeline:\n  disabled_rules: [materials-handed-over]\n")
    assert _gate(repo, "visit", {"visit_report": visit}, "solution") == []
    (repo / "crm.yaml").write_text(config + "pipeline:\n  disabled_rules: [materials-handed]\n")
    result = cli("check", repo, "--lang", "en", "--select", "pipeline")
    assert result.code == 1
    assert result.err.splitlines()[0] == ("crm.yaml:4:20: error pipeline-invalid pipeline: `materials-handed` is "
                                          "not a rule")


def test_status_filters_like_list(cli):
    def projects(*args: str) -> list[str]:
        out = cli("status", "--repo", EXAMPLES, "--today", TODAY, "--format", "csv", *args).out
        return [line.split(",")[0] for line in out.splitlines()[1:]]

    assert projects("--owner", "王磊") == ["bj-huanwei/sweeper-renewal-2027"]
    assert projects("--stage", "maintenance") == ["tj-hongyun-qingyun/muck-truck-2026"]
    assert projects("--tier", "A", "--region", "北京") == ["bj-huanwei/sweeper-renewal-2027"]
    assert projects("--region", "nowhere") == []
    assert set(projects("--tier", "C")) | set(projects("--tier", "B")) | set(projects("--tier", "A")) == set(projects())
    assert projects("--stage", "客户维护") == projects("--stage", "Customer maintenance") == projects("--stage", "maintenance")
    assert projects("--stage", "MAINTENANCE") == projects("--stage", "customer maintenance") == ["tj-hongyun-qingyun/muck-truck-2026"]
    typo = cli("status", "--repo", EXAMPLES, "--stage", "maintenace", "--lang", "en")
    assert (typo.code, typo.out) == (2, "")  # a usage error, as a bad --format is
    assert typo.err.startswith("crmctl: --stage maintenace: no such stage (did you mean `maintenance`?)\n"
                               "    stages: phone_invitation (Customer chosen, phone invitation), visit (")


def test_a_stage_is_named_by_id_or_by_either_half_of_its_name(cli, repo):
    result = cli("advance", "acme", "--to", "上门拜访及产品推荐", "--dry-run", "--repo", repo, "--lang", "en")
    assert result.err.startswith("acme/p1: cannot move from “Customer chosen, phone invitation” to “Visit and product "
                                 "presentation”; 1 item(s) missing:")
    half = cli("advance", "acme", "--to", "商务运作", "--repo", repo, "--lang", "en")
    assert half.err.startswith("crmctl: acme/p1 is in “Customer chosen, phone invitation”; moving to “Project "
                               "evaluation and commercial operation” would skip stages")
    full_width = cli("advance", "acme", "--to", "项目评估／商务运作", "--repo", repo, "--lang", "en")
    assert full_width.err == half.err  # the full-width slash a Chinese keyboard types
    wrong = cli("advance", "acme", "--to", "商务", "--repo", repo, "--lang", "zh-CN")
    assert wrong.code == 2 and wrong.err.startswith("crmctl: --to 商务：没有这个阶段")
    assert "可用阶段：phone_invitation（客户确定/电话邀约）、visit（" in wrong.err


def test_a_customer_whose_only_project_is_won_names_it(cli):
    # a won project goes on through the after-sale stages: it is the one a person means
    by_customer = cli("status", "tj-hongyun-qingyun", "--repo", EXAMPLES, "--lang", "en", "--today", TODAY)
    assert by_customer.code == 0
    assert by_customer.out == cli("status", "tj-hongyun-qingyun/muck-truck-2026", "--repo", EXAMPLES, "--lang", "en",
                                  "--today", TODAY).out


def test_our_senior_person_at_the_negotiation(repo):
    config = (repo / "crm.yaml").read_text()
    (repo / "crm.yaml").write_text(config + "pipeline:\n  disabled_rules: [evaluation-complete, contract-reviewed]\n"
                                   "  overrides: {commercial: {outputs: [negotiation_minutes]}}\n")
    minutes = {**DOCS["negotiation_minutes"], "our_senior": "~"}
    assert _gate(repo, "commercial", {"negotiation_minutes": minutes}, "contract") == [
        "Contract signed, relationship kept: the minutes do not name our senior person at the negotiation"]


def test_a_document_naming_someone_who_is_not_a_contact_does_not_open_the_gate(cli, repo):
    # check reports the unknown id; advance must not count the document as done meanwhile
    assert cli("doc", "new", "acme/p1", "phone_invitation", "--repo", repo).code == 0
    fill(repo / P / "phone_invitation.md", {**DOCS["phone_invitation"], "contact": "li-yangg"})
    closed = cli("advance", "acme", "--date", "2026-08-03", "--repo", repo, "--lang", "en")
    assert closed.code == 1
    assert f"{P}/phone_invitation.md:5:10: Visit and product presentation: the phone-invitation feedback form names " \
           "`li-yangg`, who is not one of the customer's contacts (did you mean `li-yang`?)\n" in closed.err, closed.err
    fill(repo / P / "phone_invitation.md", {"contact": "li-yang"})
    assert cli("advance", "acme", "--date", "2026-08-03", "--repo", repo).code == 0


def test_a_contract_review_holds_every_item_each_sign_off_and_comes_before_signing(cli, tmp_path):
    root = tmp_path / "ex"
    shutil.copytree(EXAMPLES, root)
    contract = root / "customers/tj-hongyun-qingyun/projects/muck-truck-2026/contract.yaml"
    text = contract.read_text(encoding="utf-8")
    contract.write_text(text.replace("  delivery_time: 生产确认 7 月中旬可交付\n", "")
                        .replace("  - {department: finance, by: 财务部 李会计, date: 2026-06-03}\n", "")
                        .replace("{department: service, by: 服务部 马经理, date: 2026-06-04}",
                                 "{department: service, by: 服务部 马经理, date: 2026-06-06}"), encoding="utf-8")
    result = cli("check", root, "--lang", "en", "--select", "gate-broken", "--today", "2026-11-29")
    broken = [line.split("no longer holds: ", 1)[1] for line in result.err.splitlines() if "gate-broken" in line]
    assert broken == [
        "Contract signed, relationship kept: not signed off by: finance",
        "Contract signed, relationship kept: service signed off on 2026-06-06, after the contract was signed "
        "(2026-06-05)",
        "Contract signed, relationship kept: the contract review leaves unanswered: delivery_time",
    ], result.err


def test_status_without_projects_says_why_the_table_is_empty(cli, tmp_path):
    root = tmp_path / "crm"
    assert cli("init", root, "--lang", "zh-CN").code == 0
    result = cli("status", "--repo", root)
    assert result.code == 0
    assert result.err == "没有项目：可用 crmctl new project 客户 名称 新建\n"
    filtered = cli("status", "--repo", root, "--owner", "张明", "--lang", "en")
    assert filtered.err == "no projects match\n"
