"""Customer analysis: classification, stakeholder map and red flags, evaluation scores, fees."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import textwrap
from pathlib import Path

import pytest

from conftest import write_repo
from crmctl.analysis.classify import derived_size, derived_tier
from crmctl.analysis.scoring import score
from crmctl.checking.check import check_repository
from crmctl.messages import Messages
from crmctl.models.config import Classification
from crmctl.models.customer import Customer

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EN = Messages("en")
TODAY = dt.date(2026, 9, 1)

# -- score arithmetic, against tables worked by hand ------------------------------------

W = {"a": 50, "b": 30, "c": 20}


def test_totals_ranking_gaps_and_the_smallest_move():
    result = score(W, {"us": {"a": 6, "b": 8, "c": 5}, "x": {"a": 8, "b": 6, "c": 6},
                       "y": {"a": 5, "b": 9, "c": 9}})
    # us = (50·6 + 30·8 + 20·5)/10 = 64; x = (400 + 180 + 120)/10 = 70; y = (250 + 270 + 180)/10 = 70
    assert [(t.vendor, t.total, t.rank) for t in result.totals] == [("x", 70, 1), ("y", 70, 1), ("us", 64, 3)]
    assert result.rival == "x" and not result.first
    # against x: a −2 (10 weighted points), c −1 (2 points), b +2
    assert [(g.criterion, g.points) for g in result.gaps] == [("a", 2), ("c", 1), ("b", -2)]
    # beating 70 needs +6 points: a by more than 1.2 → 1.5 (three half steps) → 71.5;
    # c by more than 3 → 3.5 → 71; b would need 10.5 > 10
    move = result.move
    assert (move.criterion, move.before, move.after, move.total_after, move.to_beat) == ("a", 6, 7.5, 71.5, 70)


def test_a_tie_is_not_first():
    # x = (350 + 210 + 130)/10 = 69, five ahead of us; on weight 50, +1.0 would only tie at 69,
    # so the move is +1.5 → 71.5
    result = score(W, {"us": {"a": 6, "b": 8, "c": 5}, "x": {"a": 7, "b": 7, "c": 6.5}})
    assert result.total_of("x") == 69
    assert (result.move.criterion, result.move.after, result.move.total_after) == ("a", 7.5, 71.5)
    tied = score(W, {"us": {"a": 7, "b": 7, "c": 6.5}, "x": {"a": 7, "b": 7, "c": 6.5}})
    assert not tied.first and [t.rank for t in tied.totals] == [1, 1]


def test_already_first_and_no_single_move():
    first = score(W, {"us": {"a": 9, "b": 9, "c": 9}, "x": {"a": 8, "b": 8, "c": 8}})
    assert first.first and first.move is None and first.rank_of("us") == 1
    hopeless = score(W, {"us": {"a": 1, "b": 1, "c": 1}, "x": {"a": 10, "b": 10, "c": 10}})
    assert not hopeless.first and hopeless.move is None


def test_score_step_and_scale_are_settings():
    result = score(W, {"us": {"a": 60, "b": 80, "c": 50}, "x": {"a": 80, "b": 60, "c": 60}},
                   score_max=100, score_step=1)
    assert result.total_of("us") == 64
    assert (result.move.criterion, result.move.after) == ("a", 73)  # +12 would tie; +13 wins


# -- a small repository for the analysis rules ------------------------------------------

CUSTOMER = """\
name: 城市环卫
category: enterprise
size: medium
market: domestic
tier: B
channel: direct
owner: 张明
region: 北京
annual_purchase: 20
business: {cross_regional: true}
fleet_size: 80
"""
CONTACTS = """\
contacts:
  - id: boss
    name: 李总
    level: decision_maker
    influence: high
    attitude: supporter
  - id: tech
    name: 张工
    reports_to: boss
    level: manager
    influence: high
    attitude: neutral
  - id: money
    name: 王总监
    reports_to: boss
    level: manager
    influence: high
    attitude: neutral
"""
PROJECT = """\
name: 采购
owner: 王磊
opened: 2026-08-01
decision_map:
  - contact: boss
    role: final_approver
    weight: 50
  - contact: tech
    role: technical
    weight: 30
  - contact: money
    role: finance
    weight: 20
"""
ACTIVITIES = """\
activities:
  - date: 2026-08-20
    kind: visit
    by: 王磊
    contacts: [boss, tech, money]
    project: p
    summary: 拜访
"""
VISIT = """\
---
kind: visit_report
date: 2026-08-20
our_attendees: [王磊]
attendees: [boss, tech]
handler: tech
procurement_process: 询价
project_owner: boss
---
text
"""
P = "customers/c/projects/p"


def history(stage: str) -> str:
    return textwrap.dedent(f"""\
        events:
          - {{date: 2026-08-10, action: advance, from: phone_invitation, to: {stage}, by: x, forced: true, reason: r}}
        """)


def flags(tmp_path, *, stage="exchange", customer=CUSTOMER, contacts=CONTACTS, project=PROJECT,
          activities=ACTIVITIES, visit=VISIT, today=TODAY) -> list[str]:
    files = {"customers/c/customer.yaml": customer, "customers/c/contacts.yaml": contacts,
             "customers/c/activities.yaml": activities, f"{P}/project.yaml": project, f"{P}/history.yaml": history(stage)}
    if visit:
        files[f"{P}/visit_report.md"] = visit
    root = write_repo(Path(tempfile.mkdtemp(dir=tmp_path)), files)  # a fresh repository for each call
    return [f"{d.code} {d.line}:{d.col} {d.message}" for d in check_repository(root, EN, today=today).diagnostics
            if d.code.startswith("flag-")]


def test_a_healthy_project_raises_no_flag(tmp_path):
    assert flags(tmp_path) == []


def test_flag_approver(tmp_path):
    unknown = PROJECT.replace("role: final_approver", "role: user")
    assert flags(tmp_path, project=unknown) == [
        "flag-approver 5:3 red flag, c/p: the final approver (最终拍板人) is unknown"]
    opposed = CONTACTS.replace("influence: high\n    attitude: supporter", "influence: high\n    attitude: opponent")
    assert "flag-approver 5:5 red flag, c/p: the final approver 李总 (final approver 50%) opposes us" in flags(
        tmp_path, contacts=opposed)


def test_flag_approver_of_unknown_attitude_is_named_even_with_a_supporter_beside_him(tmp_path):
    contacts = CONTACTS.replace("influence: high\n    attitude: supporter", "attitude: unknown").replace(
        "name: 张工\n    reports_to: boss\n    level: manager\n    influence: high\n    attitude: neutral",
        "name: 张工\n    reports_to: boss\n    level: decision_maker\n    attitude: supporter")
    assert flags(tmp_path, contacts=contacts) == [
        "flag-approver 5:5 red flag, c/p: where the final approver 李总 (final approver 50%) stands is not known"]


def test_flag_no_supporter_names_the_decision_level(tmp_path):
    neutral = CONTACTS.replace("attitude: supporter", "attitude: neutral")
    assert flags(tmp_path, contacts=neutral) == [
        "flag-no-supporter 5:3 red flag, c/p: no supporter among the decision-level people: "
        "李总 (final approver 50%): neutral"]


@pytest.mark.parametrize("influence,said", [("    influence: high\n", "with high influence"),
                                            ("    influence: low\n", "(influence low)"),
                                            ("", "(influence not recorded)")])
def test_flag_opponent_whatever_the_influence_unless_an_action_is_planned(tmp_path, influence, said):
    hostile = CONTACTS.replace("name: 王总监\n    reports_to: boss\n    level: manager\n    influence: high\n"
                               "    attitude: neutral", "name: 王总监\n    reports_to: boss\n    level: manager\n"
                               + influence + "    attitude: opponent")
    assert flags(tmp_path, contacts=hostile) == [
        f"flag-opponent 11:5 red flag, c/p: 王总监 (finance 20%) opposes us {said}, and no action is planned"
        .replace("us with", "us, with")]
    planned = PROJECT.replace("role: finance\n    weight: 20", "role: finance\n    weight: 20\n    action: 提供融资方案")
    assert flags(tmp_path, contacts=hostile, project=planned) == []


def test_flag_no_handler_after_the_visit_only(tmp_path):
    no_handler = VISIT.replace("handler: tech\n", "")
    assert flags(tmp_path, visit=no_handler) == [
        "flag-no-handler 2:1 red flag, c/p: past the visit, and the person handling the project (经手人) is still "
        "not identified"]
    assert flags(tmp_path, visit=None, stage="solution")[0].startswith("flag-no-handler 1:1")
    assert flags(tmp_path, visit=no_handler, stage="visit") == []  # still in the visit: not yet a flag


def test_flag_single_threaded(tmp_path):
    one = "name: 采购\nowner: 王磊\nopened: 2026-08-01\ndecision_map:\n  - {contact: boss, role: final_approver, weight: 100}\n"
    alone = ACTIVITIES.replace("[boss, tech, money]", "[boss]")
    visit = VISIT.replace("attendees: [boss, tech]", "attendees: [boss]").replace("handler: tech", "handler: boss")
    assert flags(tmp_path, project=one, activities=alone, visit=visit) == [
        "flag-single-threaded 5:3 red flag, c/p: single-threaded: the project rests on one contact"]
    assert flags(tmp_path, project=one, visit=visit) == []  # the activities reach more people
    assert flags(tmp_path, project=one, activities=alone) == []  # so does the visit report
    person = CUSTOMER.replace("category: enterprise\nsize: medium", "category: individual\nkind: person").replace(
        "tier: B\nchannel: direct", "tier: B\nchannel: direct")
    assert [f for f in flags(tmp_path, project=one, activities=alone, customer=person, visit=visit)
            if f.startswith("flag-single")] == []


def test_flag_weights_from_the_exchange_on(tmp_path):
    short = PROJECT.replace("weight: 20", "weight: 10")
    assert flags(tmp_path, project=short) == ["flag-weights 5:3 red flag, c/p: decision weights sum to 90, not 100"]
    assert flags(tmp_path, project=short, stage="solution") == []


def test_flag_cold_contact(tmp_path):
    assert flags(tmp_path, today=dt.date(2026, 10, 4)) == []  # 45 days after 2026-08-20
    cold = flags(tmp_path, today=dt.date(2026, 10, 5))
    assert cold == [
        f"flag-cold-contact {line}:14 red flag, c/p: {name} in the decision map: last seen 2026-08-20, 46 days ago "
        "(limit 45)" for line, name in ((5, "李总"), (8, "张工"), (11, "王总监"))]


def test_people_met_in_a_document_count_as_contacted(tmp_path):
    nobody = "activities: []\n"
    cold = flags(tmp_path, activities=nobody, today=dt.date(2026, 9, 1))
    assert cold == ["flag-cold-contact 11:14 red flag, c/p: 王总监 in the decision map: never met in an activity or "
                    "a document (limit 45)"]  # 李总 and 张工 attended the visit of 2026-08-20
    later = flags(tmp_path, activities=nobody, today=dt.date(2026, 10, 5))
    assert [f.split(" in the decision map")[0].rsplit(" ", 1)[-1] for f in later] == ["李总", "张工", "王总监"]


def test_every_person_a_document_names_is_a_contact(tmp_path):
    root = write_repo(tmp_path / "r", {
        "customers/c/customer.yaml": CUSTOMER, "customers/c/contacts.yaml": CONTACTS,
        f"{P}/project.yaml": PROJECT,
        f"{P}/visit_report.md": VISIT.replace("attendees: [boss, tech]", "attendees: [boss, tehc]").replace(
            "project_owner: boss", "project_owner: nobody"),
        f"{P}/phone_invitation.md": "---\nkind: phone_invitation\ncall_date: 2026-08-02\nby: 王磊\ncontact: bos\n"
                                    "visit_date: 2026-08-20\nvisit_place: 客户办公室\n---\n",
        f"{P}/service_plan.md": "---\nkind: service_plan\ndate: 2026-09-01\nservice_station: 北京站\nour_contact: 王磊\n"
                                "customer_contact: ghost\n---\n",
    })
    found = [d.format() for d in check_repository(root, EN, today=TODAY).diagnostics if d.code == "ref-unknown"]
    fix = "    correct the id, or add the person: crmctl new contact c NAME --id {}"
    assert found == [
        f"{P}/phone_invitation.md:5:10: error ref-unknown contact: contact `bos` does not exist (did you mean `boss`?)\n"
        + fix.format("bos"),
        f"{P}/service_plan.md:6:19: error ref-unknown customer_contact: contact `ghost` does not exist\n"
        + fix.format("ghost"),
        f"{P}/visit_report.md:5:19: error ref-unknown attendees[2]: contact `tehc` does not exist (did you mean "
        "`tech`?)\n" + fix.format("tehc"),
        f"{P}/visit_report.md:8:16: error ref-unknown project_owner: contact `nobody` does not exist\n"
        + fix.format("nobody"),
    ]


def test_closed_projects_raise_no_flags(tmp_path):
    root = write_repo(tmp_path / "r", {
        "customers/c/customer.yaml": CUSTOMER, "customers/c/contacts.yaml": CONTACTS.replace("supporter", "neutral"),
        f"{P}/project.yaml": PROJECT,
        f"{P}/history.yaml": history("exchange") + "  - {date: 2026-08-11, action: close, outcome: lost, by: x}\n"})
    assert [d.code for d in check_repository(root, EN, today=TODAY).diagnostics] == []


# -- classification ------------------------------------------------------------------------

SETTINGS = Classification()


@pytest.mark.parametrize("fleet,cross,size", [(100, True, "large"), (99, True, "medium"), (30, True, "medium"),
                                              (29, True, "small"), (50, False, "medium"), (49, False, "small"),
                                              (300, False, "medium")])
def test_derived_size(fleet, cross, size):
    c = Customer.model_validate({"name": "x", "category": "enterprise", "market": "local", "tier": "B",
                                 "channel": "direct", "owner": "x", "region": "y", "fleet_size": fleet,
                                 "business": {"cross_regional": cross}})
    assert derived_size(c, SETTINGS) == size


@pytest.mark.parametrize("volume,importance,tier", [(50, None, "A"), (49, None, "B"), (10, "high", "A"),
                                                    (9, "high", "B"), (10, None, "B"), (9, "medium", "C"),
                                                    (None, None, None), (None, "high", "B")])
def test_derived_tier(volume, importance, tier):
    c = Customer.model_validate({"name": "x", "category": "government", "kind": "agency", "market": "local",
                                 "tier": "B", "channel": "direct", "owner": "x", "region": "y",
                                 "annual_purchase": volume, "importance": importance})
    assert derived_tier(c, SETTINGS) == tier


def test_check_warns_where_recorded_and_derived_disagree(tmp_path):
    text = CUSTOMER.replace("size: medium", "size: small").replace("fleet_size: 80", "fleet_size: 300").replace(
        "tier: B", "tier: C").replace("annual_purchase: 20", "annual_purchase: 60")
    root = write_repo(tmp_path, {"customers/c/customer.yaml": text})
    assert [d.format() for d in check_repository(root, EN, today=TODAY).diagnostics] == [
        "customers/c/customer.yaml:3:7: warning class-size size: recorded as small, but a fleet of 300 across "
        "regions makes it large\n    set `size: large`, or correct the fleet",
        "customers/c/customer.yaml:5:7: warning class-tier tier: recorded as tier C, but 60 vehicles a year make it "
        "tier A\n    set `tier: A`, or correct annual_purchase / importance",
        "customers/c/customer.yaml:6:10: warning class-channel channel: a tier-C customer worked directly, with no "
        "dealer\n    give it to a dealer (`channel: dealer`, `dealer: …`), or raise its tier",
    ]


def test_classify_command(cli):
    out = json.loads(cli("classify", "--repo", EXAMPLES, "--format", "json").out)
    row = next(r for r in out if r["id"] == "hebei-shuiwu")
    assert (row["size"], row["tier"], row["operator"], row["findings"]) == (
        {"recorded": "large", "derived": "large"}, {"recorded": "B", "derived": "B"}, "regional_manager", [])
    one = cli("classify", "tj-hongyun-qingyun", "--repo", EXAMPLES, "--lang", "en", "--format", "csv")
    assert one.out.splitlines() == [
        "id,name,fleet,cross_regional,annual_purchase,importance,size,derived_size,tier,derived_tier,operator,findings",
        "tj-hongyun-qingyun,天津宏运建筑垃圾清运有限公司,58,false,15,,medium,medium,B,B,regional_manager,"
        "class-channel"]  # tier B, yet worked through a dealer
    assert cli("classify", "nobody", "--repo", EXAMPLES).code == 1


# -- evaluation files and the score command -------------------------------------------------

COMPETITION = """\
competitors:
  - {id: x, name: 对手甲}
  - {id: y, name: 对手乙}
"""


def eval_lines(tmp_path, evaluation: str, competition: str = COMPETITION) -> list[str]:
    root = write_repo(tmp_path / "e", {
        "customers/c/customer.yaml": CUSTOMER, f"{P}/project.yaml": PROJECT, f"{P}/competition.yaml": competition,
        f"{P}/evaluation.yaml": evaluation}, config="format: 1\nlanguage: en\nevaluation:\n  weights: {a: 50, b: 50}\n")
    return [d.format().splitlines()[0] for d in check_repository(root, EN, today=TODAY).diagnostics
            if d.code.startswith("eval-")]


def test_evaluation_problems_are_located(tmp_path):
    assert eval_lines(tmp_path, textwrap.dedent("""\
        kind: evaluation
        date: 2026-08-20
        weights: {a: 60, b: 30}
        scores:
          us: {a: 8, b: 11}
          x: {a: 7}
          z: {a: 7, b: 7, c: 1}
        """)) == [
        f"{P}/evaluation.yaml:3:10: error eval-weights the project's criteria weights sum to 90, not 100",
        f"{P}/evaluation.yaml:5:3: error eval-vendor evaluation: no scores for `y`",
        f"{P}/evaluation.yaml:5:17: error eval-score evaluation: score 11 is outside 0 to 10",
        f"{P}/evaluation.yaml:6:6: error eval-criterion evaluation: `x` has no score for `b`",
        f"{P}/evaluation.yaml:7:3: error eval-vendor evaluation: `z` is not us or a competitor in competition.yaml",
    ]


def test_a_complete_evaluation_is_clean(tmp_path):
    assert eval_lines(tmp_path, "kind: evaluation\ndate: 2026-08-20\nscores:\n  us: {a: 8, b: 8}\n"
                                "  x: {a: 7, b: 9}\n  y: {a: 6, b: 6}\n") == []


def test_score_command_on_the_examples(cli):
    text = cli("score", "bj-huanwei", "--repo", EXAMPLES, "--lang", "en")
    assert text.code == 0, text.err
    lines = text.out.splitlines()
    assert lines[0].split() == ["criterion", "weight", "宇通重工", "us", "徐工环境", "宇通重工", "−", "us"]
    assert lines[-3:] == [
        "we are 2nd of 3: 76 against 宇通重工's 80.5",
        "we lose most on industry position: our 7 against 宇通重工's 9, 2 points of the weighted total",
        "to be first: raise our price score from 6 to 9.5 (total 81.25 > 80.5)",
    ]
    assert cli("score", "bj-huanwei", "--repo", EXAMPLES).out.splitlines()[-3:] == [
        "我方排第 2\uff08共 3 家\uff09\uff1a76 分\uff0c宇通重工 80.5 分",
        "失分最多的是行业地位\uff1a我方 7 分\uff0c宇通重工 9 分\uff0c加权总分少 2 分",
        "要排第一\uff1a把我方价格得分从 6 提到 9.5\uff08总分 81.25 > 80.5\uff09",
    ]
    first = cli("score", "hd-chengguan", "--repo", EXAMPLES, "--lang", "en").out.splitlines()[-2:]
    assert first == ["we are first of 3: 73 against 江铃汽车\uff08全顺改装\uff09's 69.5",
                     "we lose most on price: our 7 against 江铃汽车\uff08全顺改装\uff09's 8, 1.5 points of the weighted total"]
    data = json.loads(cli("score", "bj-huanwei", "--repo", EXAMPLES, "--format", "json").out)
    assert [(v["id"], v["total"], v["rank"]) for v in data["vendors"]] == [
        ("yutong", 80.5, 1), ("us", 76.0, 2), ("xcmg", 71.5, 3)]
    assert data["to_be_first"] == {"criterion": "price", "from": 6, "to": 9.5, "total": 81.25, "beats": 80.5}
    won = json.loads(cli("score", "sh-xianda-lenglian/reefer-fleet-2027", "--repo", EXAMPLES, "--format", "json").out)
    assert won["first"] is True and won["to_be_first"] is None
    csv = cli("score", "bj-huanwei", "--repo", EXAMPLES, "--format", "csv").out.splitlines()
    assert csv[0] == "criterion,weight,yutong,us,xcmg,gap" and csv[-2] == "total,100,80.5,76,71.5,"


def test_score_without_an_evaluation_says_how_to_start(cli):
    result = cli("score", "li-chunhua", "--repo", EXAMPLES, "--lang", "en")
    assert result.code == 1
    assert result.err == ("crmctl: li-chunhua/van-2027 has no evaluation yet\n"
                          "    write one: crmctl doc new li-chunhua/van-2027 evaluation\n")


# -- the maps ------------------------------------------------------------------------------


def test_map_tree_and_formats(cli, tmp_path):
    contacts = CONTACTS + "    relations:\n      - {our: 王磊, type: 同学, strength: strong}\n"
    root = write_repo(tmp_path / "m", {
        "customers/c/customer.yaml": CUSTOMER, "customers/c/contacts.yaml": contacts,
        "customers/c/activities.yaml": ACTIVITIES, f"{P}/project.yaml": PROJECT + "procurement_mode: inquiry\n",
        f"{P}/competition.yaml": "competitors:\n  - id: x\n    name: 对手甲\n    relationships:\n"
                                 "      - {contact: tech, strength: weak}\n"})
    tree = cli("map", "c/p", "--repo", root, "--lang", "en", "--today", "2026-09-01")
    assert tree.code == 0
    assert tree.out == (
        "城市环卫 · 采购  (procurement: price inquiry)\n"
        "李总 [final approver 50%] · influence high · supporter\n"
        "├── 张工 [technical selection 30%] · influence high · neutral\n"
        "└── 王总监 [finance 20%] · influence high · neutral\n"
        "\n"
        "Relationships:\n"
        "  王总监 — us: 王磊: 同学 (strong)\n"
        "  张工 — competitor 对手甲 (weak)\n")
    mermaid = cli("map", "c/p", "--repo", root, "--format", "mermaid").out
    assert mermaid.splitlines()[:2] == ["flowchart TD", '    p0["李总 [final approver 50%] · influence high · supporter"]']
    assert "    p0 --> p1" in mermaid and '    p2 -.-|"同学"| x0' in mermaid
    dot = cli("map", "c/p", "--repo", root, "--format", "dot").out
    assert dot.startswith("// 城市环卫 · 采购\ndigraph stakeholders {")
    assert '\tp0 -> p1\n' in dot and 'fillcolor=palegreen' in dot
    data = json.loads(cli("map", "c/p", "--repo", root, "--format", "json").out)
    assert [p["id"] for p in data["organisation"][0]["reports"]] == ["tech", "money"]
    assert data["red_flags"] == [] and data["problems"] == []
    zh = cli("map", "c/p", "--repo", root, "--lang", "zh-CN", "--today", "2026-09-01").out
    assert zh.splitlines()[0] == "城市环卫 · 采购\uff08采购方式\uff1a询价\uff09"
    assert "  王总监 — 我方 王磊\uff1a同学\uff08强\uff09" in zh.splitlines()


def test_map_names_what_it_cannot_place(cli, tmp_path):
    # a superior or a relation naming nobody: the map draws what is there, and says what is not
    contacts = CONTACTS.replace("reports_to: boss\n    level: manager\n    influence: high\n    attitude: neutral\n  - id: money",
                                "reports_to: bos\n    level: manager\n    influence: high\n    attitude: neutral\n  - id: money")
    contacts += "    relations:\n      - {contact: tec, type: 同学}\n"
    root = write_repo(tmp_path / "m", {
        "customers/c/customer.yaml": CUSTOMER, "customers/c/contacts.yaml": contacts,
        "customers/c/activities.yaml": ACTIVITIES, f"{P}/project.yaml": PROJECT})
    tree = cli("map", "c/p", "--repo", root, "--lang", "en", "--today", "2026-09-01")
    assert tree.code == 0 and "张工 [technical selection 30%]" in tree.out
    assert tree.err == (
        "customers/c/contacts.yaml:9:17: error ref-unknown contacts[tech].reports_to: contact `bos` does not exist "
        "(did you mean `boss`?)\n    correct the id, or add the person: crmctl new contact c NAME --id bos\n"
        "customers/c/contacts.yaml:20:19: error ref-unknown contacts[money].relations[tec].contact: contact `tec` "
        "does not exist (did you mean `tech`?)\n    correct the id, or add the person: crmctl new contact c NAME --id tec\n")
    data = json.loads(cli("map", "c/p", "--repo", root, "--format", "json").out)
    assert [(d["code"], d["line"]) for d in data["problems"]] == [("ref-unknown", 9), ("ref-unknown", 20)]


# -- fees -----------------------------------------------------------------------------------


def test_fees_by_year(cli, tmp_path):
    won = "events:\n  - {{date: {d}, action: advance, from: phone_invitation, to: contract, by: x, forced: true, " \
          "reason: r}}\n  - {{date: {d}, action: close, outcome: won, by: x}}\n"
    def base(market: str) -> str:
        return CUSTOMER.replace("market: domestic", f"market: {market}")

    root = write_repo(tmp_path / "f", {
        # a new customer: agreement and first contract in 2026
        "customers/new/customer.yaml": base("local"),
        "customers/new/projects/p/project.yaml": PROJECT, "customers/new/projects/p/history.yaml": won.format(d="2026-03-01"),
        # an old customer (agreement 2020) buying twice in 2026: one maintenance fee
        "customers/old/customer.yaml": base("international") + "agreement_date: 2020-05-01\n",
        "customers/old/projects/p/project.yaml": PROJECT, "customers/old/projects/p/history.yaml": won.format(d="2026-02-01"),
        "customers/old/projects/q/project.yaml": PROJECT, "customers/old/projects/q/history.yaml": won.format(d="2026-07-01"),
        # an agreement in 2026 without a contract yet: the development fee only
        "customers/signed/customer.yaml": base("domestic") + "agreement_date: 2026-05-05\n",
        # bought in 2025 only: nothing in 2026
        "customers/last/customer.yaml": base("local"),
        "customers/last/projects/p/project.yaml": PROJECT.replace("2026-08-01", "2025-01-01"),
        "customers/last/projects/p/history.yaml": won.format(d="2025-06-01"),
    })
    data = json.loads(cli("fees", "--year", "2026", "--repo", root, "--format", "json").out)
    assert [(r["customer"], r["development"], r["maintenance"]) for r in data["customers"]] == [
        ("new", 50000, 30000), ("old", 0, 150000), ("signed", 100000, 0)]
    assert data["by_market"] == {"local": {"development": 50000, "maintenance": 30000, "total": 80000},
                                 "domestic": {"development": 100000, "maintenance": 0, "total": 100000},
                                 "international": {"development": 0, "maintenance": 150000, "total": 150000}}
    assert data["total"] == 330000
    old = json.loads(cli("fees", "--year", "2025", "--repo", root, "--format", "json").out)
    assert [(r["customer"], r["development"], r["maintenance"]) for r in old["customers"]] == [("last", 50000, 30000)]
    table = cli("fees", "--year", "2026", "--repo", root, "--lang", "en").out
    assert table.splitlines()[-1] == "  all markets: 330,000"


def test_fees_on_the_examples(cli):
    data = json.loads(cli("fees", "--year", "2026", "--repo", EXAMPLES, "--format", "json").out)
    assert [(r["customer"], r["development"], r["maintenance"]) for r in data["customers"]] == [
        ("li-chunhua", 50000, 0), ("sh-xianda-lenglian", 0, 70000), ("tj-hongyun-qingyun", 0, 30000),
        ("wang-jianguo", 0, 30000)]


def test_the_manuals_decision_table_as_written(cli):
    """examples/ bj-huanwei carries the manual's table (明确客户采购决策比重) as written: 吴伟 user, neutral;
    张华 technical, neutral; 李建 procurement, supporter; 王桑 finance, opponent; 李阳 final approver, not
    known; no influence recorded. What the table tells a salesperson comes out, named."""
    examples = Path(__file__).resolve().parent.parent / "examples"
    result = cli("check", examples, "--lang", "en", "--today", "2026-11-28", "--select", "flag")
    ours = [line for line in result.err.splitlines() if "bj-huanwei/projects/sweeper-renewal-2027" in line]
    path = "customers/bj-huanwei/projects/sweeper-renewal-2027/project.yaml"
    flag = "red flag, bj-huanwei/sweeper-renewal-2027:"
    assert ours == [
        f"{path}:23:3: warning flag-no-supporter {flag} no supporter among the decision-level people: "
        "李阳 (总经理, final approver 35%): unknown",
        f"{path}:32:5: warning flag-opponent {flag} 王桑 (财务总监, finance 15%) opposes us (influence not "
        "recorded), and no action is planned",
        f"{path}:35:5: warning flag-approver {flag} where the final approver 李阳 (总经理, final approver 35%) "
        "stands is not known",
    ]
    status = cli("status", "bj-huanwei/sweeper-renewal-2027", "--repo", examples, "--today", "2026-11-28",
                 "--format", "json")
    assert [(p["name"], p["role"]) for p in json.loads(status.out)["next_to_see"]] == [("李阳", "final_approver")]
    text = cli("map", "bj-huanwei", "--repo", examples, "--today", "2026-11-28", "--lang", "zh-CN").out
    assert text.endswith("\n下一步拜访（态度不清楚）：\n  李阳（总经理，最终拍板人 35%）\n")


@pytest.mark.parametrize("tier,channel,warned", [("A", "dealer", True), ("B", "dealer", True), ("C", "direct", True),
                                                 ("A", "direct", False), ("B", "direct", False),
                                                 ("C", "dealer", False)])
def test_who_works_each_tier(tier, channel, warned):
    from crmctl.analysis.classify import classify
    from crmctl.models.customer import Customer

    c = Customer.model_validate({"name": "x", "category": "government", "kind": "agency", "market": "local",
                                 "tier": tier, "channel": channel, "dealer": "某经销商" if channel == "dealer" else None,
                                 "owner": "x", "region": "y"})
    codes = [f.code for f in classify("c", c, SETTINGS).findings]
    assert ("class-channel" in codes) == warned
