"""`crmctl export sqlite`: the examples as a database, its rows counted and summed against the files
themselves (read here with PyYAML, not through crmctl), its keys valid, the same file twice, an old
file replaced only by a whole new one, broken files left out and named, messages in both languages."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from conftest import CUSTOMER, write_repo
from crmctl import vocabulary
from crmctl.exchange.sqlite import TABLES, VIEWS, columns
from crmctl.models.common import parse_amount
from crmctl.pipeline.builtin import DEFAULT_STAGES

ROOT = Path(__file__).resolve().parent.parent
# the rows every export has: each vocabulary value with its labels, and the built-in stages
LABELS = sum(len(words) for name, words in vars(vocabulary).items() if name.isupper() and isinstance(words, dict))
STAGES = len(DEFAULT_STAGES)
EXAMPLES = ROOT / "examples"
CUSTOMERS = EXAMPLES / "customers"


def _yaml(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}


def _export(cli, target: Path, repo: Path = EXAMPLES, *more: str):
    result = cli("export", "sqlite", target, "--repo", repo, *more)
    return result


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The examples exported once (through the CLI, as a user runs it)."""
    from crmctl.cli import main

    target = tmp_path_factory.mktemp("export") / "crm.sqlite"
    assert main(["export", "sqlite", str(target), "--repo", str(EXAMPLES), "--lang", "en"]) == 0
    return target


@pytest.fixture
def db(exported):
    connection = sqlite3.connect(f"file:{exported}?mode=ro", uri=True)
    yield connection
    connection.close()


def _one(db, sql: str, *args):
    return db.execute(sql, args).fetchone()[0]


# -- what is in it ---------------------------------------------------------------------------------


def test_every_record_of_the_examples_is_a_row(db):
    folders = sorted(p.name for p in CUSTOMERS.iterdir() if p.is_dir())
    assert [r[0] for r in db.execute("SELECT id FROM customers ORDER BY rowid")] == folders
    contacts = {(c, item["id"]) for c in folders if (CUSTOMERS / c / "contacts.yaml").exists()
                for item in _yaml(CUSTOMERS / c / "contacts.yaml").get("contacts", [])}
    assert set(db.execute("SELECT customer_id, id FROM contacts")) == contacts
    activities = sum(len(_yaml(p).get("activities", [])) for p in CUSTOMERS.glob("*/activities.yaml"))
    assert _one(db, "SELECT count(*) FROM activities") == activities > 0
    links = sum(len(a.get("contacts", [])) for p in CUSTOMERS.glob("*/activities.yaml")
                for a in _yaml(p).get("activities", []))
    assert _one(db, "SELECT count(*) FROM activity_contacts") == links > 0
    projects = {(p.parts[-3], p.name) for p in CUSTOMERS.glob("*/projects/*") if p.is_dir()}
    assert set(db.execute("SELECT customer_id, id FROM projects")) == projects
    events = {f"{p.parts[-4]}/{p.parts[-2]}": _yaml(p).get("events", []) for p in CUSTOMERS.glob("*/projects/*/history.yaml")}
    assert _one(db, "SELECT count(*) FROM stage_events") == sum(map(len, events.values())) > 0
    # each event where the file has it, in the file's order
    won = events["tj-hongyun-qingyun/muck-truck-2026"]
    rows = db.execute("SELECT seq, date, action, by_person, from_stage, to_stage, outcome, reason FROM stage_events "
                      "WHERE customer_id = 'tj-hongyun-qingyun' ORDER BY seq").fetchall()
    assert rows == [(i, e["date"], e["action"], e["by"], e.get("from"), e.get("to"), e.get("outcome"), e.get("reason"))
                    for i, e in enumerate(won, 1)]
    decisions = sum(len(_yaml(p).get("decision_map", [])) for p in CUSTOMERS.glob("*/projects/*/project.yaml"))
    assert _one(db, "SELECT count(*) FROM decision_map") == decisions > 0
    documents = [p for p in CUSTOMERS.glob("*/projects/*/*") if p.name not in
                 ("project.yaml", "history.yaml", "competition.yaml")]
    assert _one(db, "SELECT count(*) FROM documents") == len(documents)
    assert _one(db, "SELECT count(*) FROM documents WHERE complete = 1") == len(documents)


def test_the_care_plans_are_rows(db):
    plans = {p.parts[-2]: _yaml(p) for p in CUSTOMERS.glob("*/care.yaml")}
    assert sorted(r[0] for r in db.execute("SELECT customer_id FROM care_plans")) == sorted(plans)
    for table, key in (("trainings", "trainings"), ("care_activities", "care_activities"), ("meetings", "meetings"),
                       ("vehicle_users", "vehicle_users"), ("satisfaction", "evaluations")):
        assert _one(db, f"SELECT count(*) FROM {table}") == sum(len(p.get(key, [])) for p in plans.values()), table
    assert _one(db, "SELECT count(*) FROM satisfaction_feedback") == sum(
        len(e.get("feedback", [])) for p in plans.values() for e in p.get("evaluations", []))
    assert _one(db, "SELECT count(*) FROM care_contacts") == sum(len(p.get("customer_contacts", [])) for p in plans.values())
    held = db.execute("SELECT entry, kind, planned, held FROM care_schedule WHERE customer_id = 'tj-hongyun-qingyun' "
                      "AND held IS NOT NULL ORDER BY planned").fetchall()
    assert held == [("care_activity", "inspection", "2026-08-20", "2026-08-21"),
                    ("meeting", "business", "2026-09-10", "2026-09-10")]


def test_the_money_adds_up_to_the_fen(db):
    contracts = {p.parts[-2]: _yaml(p) for p in CUSTOMERS.glob("*/projects/*/contract.yaml")}
    assert len(contracts) == _one(db, "SELECT count(*) FROM contracts") > 2

    def fen(total: Decimal) -> int:
        assert total == total.quantize(Decimal("0.01"))
        return int(total * 100)

    value = sum((parse_amount(c["value"]) for c in contracts.values()), Decimal(0))
    received = sum((parse_amount(r["amount"]) for c in contracts.values() for r in c.get("received", [])), Decimal(0))
    due = sum((parse_amount(r["amount"]) for c in contracts.values() for r in c.get("payments", [])), Decimal(0))
    deposits = sum((parse_amount(c["deposit"]["amount"]) for c in contracts.values() if "deposit" in c), Decimal(0))
    assert _one(db, "SELECT sum(value_fen) FROM contracts") == fen(value)
    assert _one(db, "SELECT sum(amount_fen) FROM receipts") == fen(received)
    assert _one(db, "SELECT sum(amount_fen) FROM instalments") == fen(due)
    assert _one(db, "SELECT sum(deposit_fen) FROM contracts") == fen(deposits)
    # an amount is an integer, never a float: the sum above is exact, not merely close
    for table in TABLES:
        for name in columns(table):
            if name.endswith("_fen"):
                kinds = {r[0] for r in db.execute(f"SELECT DISTINCT typeof({name}) FROM {table}")}
                assert kinds <= {"integer", "null"}, (table, name, kinds)


def test_the_money_agrees_with_report_money(cli, db):
    result = cli("report", "money", "--repo", EXAMPLES, "--as-of", "2026-11-29", "--format", "json")
    assert result.code == 0, result.err
    report = json.loads(result.out)["sections"]["money"]["contracts"]
    signed = db.execute("SELECT customer_id, project_id, value_fen FROM contracts WHERE signed <= '2026-11-29' "
                        "ORDER BY customer_id, project_id").fetchall()
    assert signed == sorted((r["customer"], r["project"], int(Decimal(str(r["value"])) * 100)) for r in report)
    received = db.execute("SELECT customer_id, sum(amount_fen) FROM receipts WHERE date <= '2026-11-29' "
                          "GROUP BY customer_id ORDER BY customer_id").fetchall()
    assert received == sorted((r["customer"], int(Decimal(str(r["received"])) * 100)) for r in report if r["received"])


def test_the_projects_carry_the_stage_their_history_leads_to(cli, db):
    result = cli("status", "--repo", EXAMPLES, "--today", "2026-11-29", "--all", "--format", "json")
    assert result.code == 0, result.err
    shown = sorted((r["project"], r["stage"], r["outcome"]) for r in json.loads(result.out))
    assert len(shown) == 10
    assert db.execute("SELECT customer_id || '/' || id, stage, outcome FROM projects ORDER BY 1").fetchall() == shown
    assert db.execute("SELECT outcome, closed_on FROM projects WHERE id = 'group-buy-2026'").fetchone() == \
        ("lost", "2026-06-30")


def test_types_dates_keys_and_chinese_text(db):
    customer = _yaml(CUSTOMERS / "bj-huanwei" / "customer.yaml")
    row = db.execute("SELECT name, category, tier, market, region, since, typeof(annual_purchase) "
                     "FROM customers WHERE id = 'bj-huanwei'").fetchone()
    assert row == (customer["name"], customer["category"], customer["tier"], customer["market"], customer["region"],
                   customer.get("since"), "integer" if "annual_purchase" in customer else "null")
    assert re.fullmatch(r"[\u4e00-\u9fff]+", row[0])
    for table in TABLES:  # every day is ISO text
        for name in columns(table):
            if name in ("date", "since", "opened", "signed", "due", "planned", "held", "birthday", "next_date"):
                bad = db.execute(f"SELECT {name} FROM {table} WHERE {name} IS NOT NULL AND "
                                 f"(typeof({name}) != 'text' OR date({name}) IS NOT {name})").fetchall()
                assert bad == [], (table, name)
    assert db.execute("SELECT en, zh_cn FROM labels WHERE vocabulary = 'category' AND value = 'government'"
                      ).fetchone() == ("government", "政府客户")
    assert db.execute("SELECT name_zh FROM stages ORDER BY position LIMIT 1").fetchone() == ("客户确定/电话邀约",)
    assert json.loads(_one(db, "SELECT topics FROM meetings WHERE customer_id = 'tj-hongyun-qingyun' AND seq = 1")) == \
        ["尾款支付节奏", "明年增购计划"]
    assert dict(db.execute("SELECT key, value FROM meta")) == {
        "schema_version": "1", "crmctl_version": __import__("crmctl").__version__, "currency": "CNY",
        "company": "华北区域分公司", "language": "zh-CN", "errors": "0"}
    assert _one(db, "PRAGMA user_version") == 1


def test_every_foreign_key_holds_and_every_child_has_one(db):
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    for table in TABLES:
        names = columns(table)
        parents = {r[2] for r in db.execute(f"PRAGMA foreign_key_list({table})")}
        if "customer_id" in names:
            assert parents, table
        if "project_id" in names:
            assert parents & {"projects", "contracts", "competitors"}, table
        if "contact_id" in names or "other_contact_id" in names or "reports_to" in names:
            assert "contacts" in parents, table
    # a key declared is a key kept: no two contacts of a customer share an id
    assert _one(db, "SELECT count(*) FROM (SELECT 1 FROM contacts GROUP BY customer_id, id HAVING count(*) > 1)") == 0


# -- the file --------------------------------------------------------------------------------------


def test_the_same_repository_gives_the_same_file(cli, exported, tmp_path):
    again = tmp_path / "again.sqlite"
    assert _export(cli, again).code == 0
    assert again.read_bytes() == exported.read_bytes()


def test_an_existing_file_is_replaced_whole_keeping_its_mode(cli, tmp_path):
    target = tmp_path / "crm.sqlite"
    target.write_bytes(b"an old report, not a database")
    os.chmod(target, 0o640)
    result = _export(cli, target, EXAMPLES, "--lang", "en")
    assert result.code == 0, result.err
    assert target.read_bytes().startswith(b"SQLite format 3\0")
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm.sqlite"]  # no temporary file left


def test_a_failed_export_leaves_the_old_file_and_no_temporary_one(cli, tmp_path, monkeypatch):
    from crmctl.exchange import sqlite as module

    target = tmp_path / "crm.sqlite"
    target.write_bytes(b"yesterday's database")
    seen = []

    def crash(*args, **kwargs):
        seen.append(sorted(p.name for p in tmp_path.iterdir()))
        raise RuntimeError("a bug half-way")

    monkeypatch.setattr(module, "_care", crash)
    result = _export(cli, target, EXAMPLES, "--lang", "en")
    assert result.code == 3 and "a bug half-way" in result.err
    assert seen and re.fullmatch(r"\.crmctl-crm\.sqlite\.\w+\.tmp", seen[0][0])  # it was being built beside
    assert target.read_bytes() == b"yesterday's database"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm.sqlite"]


def test_a_full_disk_is_a_message_and_the_old_file_stays(cli, tmp_path, monkeypatch):
    from crmctl.exchange import sqlite as module

    target = tmp_path / "crm.sqlite"
    target.write_bytes(b"yesterday's database")

    def full(*args, **kwargs):
        exc = sqlite3.OperationalError("database or disk is full")
        exc.sqlite_errorcode = 13  # SQLITE_FULL, as SQLite raises it
        raise exc

    monkeypatch.setattr(module, "_care", full)
    result = _export(cli, target, EXAMPLES, "--lang", "en")
    assert (result.code, result.out) == (1, "")
    assert result.err == (f"crmctl: cannot write {target}: the disk is full\n"
                          "    free some space and run the command again; nothing was changed\n")
    assert target.read_bytes() == b"yesterday's database"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm.sqlite"]


def test_a_folder_that_is_not_there_is_a_message(cli, tmp_path):
    target = tmp_path / "missing" / "crm.sqlite"
    result = _export(cli, target, EXAMPLES, "--lang", "en")
    assert (result.code, result.out) == (1, "")
    assert result.err == f"crmctl: cannot write {target}: No such file or directory\n    nothing was changed\n"


# -- refusals --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang, expected", [
    ("en", "crmctl: {t}: that is inside the customer repository {r}\n"
           "    write it elsewhere, e.g. crmctl export sqlite ~/客户.db\n"),
    ("zh-CN", "crmctl: {t}：位于客户仓库 {r} 之内\n    请写到仓库之外，例如 crmctl export sqlite ~/客户.db\n"),
])
def test_a_database_inside_the_repository_is_refused(cli, repo, lang, expected):
    target = repo / "customers" / "客户.db"
    result = _export(cli, target, repo, "--lang", lang)
    assert (result.code, result.out) == (2, "")
    assert result.err == expected.format(t=target, r=repo)
    assert not target.exists() and sorted(p.name for p in (repo / "customers").iterdir()) == ["acme"]


def test_standard_output_and_a_link_are_refused(cli, repo, tmp_path):
    result = _export(cli, Path("-"), repo, "--lang", "en")
    assert (result.code, result.err) == (2, "crmctl: FILE -: a database is written to a file, not to standard output\n"
                                            "    give a path, e.g. crmctl export sqlite ~/crm.sqlite\n")
    kept = tmp_path / "kept.txt"
    kept.write_text("mine")
    link = tmp_path / "link.sqlite"
    link.symlink_to(kept)
    result = _export(cli, link, repo, "--lang", "zh-CN")
    assert (result.code, result.err) == (2, f"crmctl: {link}：不是普通文件\n    请给出文件路径（整份写入或替换）\n")
    assert kept.read_text() == "mine" and link.is_symlink()


# -- messages --------------------------------------------------------------------------------------


def test_what_was_written_is_said_in_either_language(cli, repo, tmp_path):
    target = tmp_path / "crm.sqlite"
    en = _export(cli, target, repo, "--lang", "en")
    assert (en.code, en.out) == (0, "")
    tables = len(TABLES)
    rows = LABELS + STAGES + 1 + 5  # the customer, meta (no company in crm.yaml)
    assert en.err == f"crmctl: 1 customer(s), 0 project(s): {rows} rows in {tables} tables written to {target}\n"
    zh = _export(cli, target, repo, "--lang", "zh-CN")
    assert zh.err == f"crmctl: 已写入 {target}：1 个客户、0 个项目，{tables} 张表共 {rows} 行\n"


# -- what does not read ----------------------------------------------------------------------------


def _broken(tmp_path: Path) -> Path:
    return write_repo(tmp_path / "repo", {
        "customers/acme/customer.yaml": CUSTOMER + "reigon: 北京\n",
        "customers/acme/contacts.yaml": """\
            contacts:
              - {id: li-yang, name: 李阳}
              - {id: li-yang, name: 李阳二}
              - {id: zhang-hua, name: 张华, reports_to: wang-wu}
            """,
        "customers/acme/activities.yaml": """\
            activities:
              - {date: 2026-03-01, kind: call, by: 张明, contacts: [li-yang, nobody], project: gone, summary: 电话}
            """,
        "customers/acme/projects/p1/project.yaml": """\
            name: 扫路车
            owner: 张明
            opened: 2026-02-01
            decision_map:
              - {contact: nobody, role: user, weight: 40}
              - {contact: zhang-hua, role: final_approver, weight: 60}
            """,
        "customers/acme/projects/p2/project.yaml": "name: [not, text]\n",
        "customers/acme/projects/p2/history.yaml": """\
            events:
              - {date: 2026-03-01, action: advance, from: phone_invitation, to: visit, by: 张明}
            """,
        "customers/beta/customer.yaml": CUSTOMER.replace("测试客户", "北京测试"),
    })


def test_a_broken_repository_is_exported_without_what_does_not_read_and_says_so(cli, tmp_path):
    repo = _broken(tmp_path)
    target = tmp_path / "crm.sqlite"
    result = _export(cli, target, repo, "--lang", "en")
    assert (result.code, result.out) == (1, "")
    a = "customers/acme"
    assert result.err == (
        f"{a}/activities.yaml:2:64: error ref-unknown activities[1].contacts[2]: contact `nobody` does not exist\n"
        "    correct the id, or add the person: crmctl new contact acme NAME --id nobody\n"
        f"{a}/activities.yaml:2:82: error ref-unknown activities[1].project: project `gone` does not exist\n"
        "    correct the id; this customer's projects: p1, p2\n"
        f"{a}/contacts.yaml:3:10: error id-duplicate contact id `li-yang` is used twice (first on line 2)\n"
        "    give each contact its own id\n"
        f"{a}/contacts.yaml:4:43: error ref-unknown contacts[zhang-hua].reports_to: contact `wang-wu` does not exist "
        "(did you mean `zhang-hua`?)\n"
        "    correct the id, or add the person: crmctl new contact acme NAME --id wang-wu\n"
        f"{a}/customer.yaml:8:1: error schema-unknown-key top level: unknown key `reigon` (did you mean `region`?)\n"
        "    allowed keys here: agreement_date, annual_purchase, business, category, channel, current_fleet, dealer, "
        "fleet_size, importance, kind, market, name, notes, owner, region, short_name, since, size, tags, tier\n"
        f"{a}/projects/p1/project.yaml:5:15: error ref-unknown decision_map[nobody].contact: contact `nobody` does not "
        "exist\n"
        "    correct the id, or add the person: crmctl new contact acme NAME --id nobody\n"
        f"{a}/projects/p2/project.yaml:1:1: error schema-missing-key top level: required key `opened` is missing\n"
        "    add `opened:` here\n"
        f"{a}/projects/p2/project.yaml:1:1: error schema-missing-key top level: required key `owner` is missing\n"
        "    add `owner:` here\n"
        f"{a}/projects/p2/project.yaml:1:7: error schema-type name: expected text, found a list\n"
        # 2 customers, 2 contacts, 2 projects, 1 event, 2 decision-map entries, 1 activity, 1 person met, meta
        f"crmctl: 2 customer(s), 2 project(s): {LABELS + STAGES + 2 + 2 + 2 + 1 + 2 + 1 + 1 + 5} rows in {len(TABLES)} tables "
        f"written to {target}\n"
        "crmctl: what the 9 error(s) above name is not in the database: fix them (crmctl check lists them all) and "
        "export again\n")
    # each is what check says of it, word for word
    checked = cli("check", "--repo", repo, "--lang", "en")
    assert checked.code == 1
    told = [line for line in result.err.splitlines() if not line.startswith("crmctl")]
    assert set(told) <= set(checked.err.splitlines())
    db = sqlite3.connect(target)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("SELECT id, name, tier FROM customers").fetchall() == [("acme", None, None), ("beta", "北京测试", "B")]
    assert db.execute("SELECT id, name, reports_to FROM contacts").fetchall() == [
        ("li-yang", "李阳", None), ("zhang-hua", "张华", None)]  # the first of a repeated id; no boss that is not there
    assert db.execute("SELECT id, name, opened, stage FROM projects").fetchall() == [
        ("p1", "扫路车", "2026-02-01", "phone_invitation"), ("p2", None, None, None)]
    assert db.execute("SELECT project_id, seq, to_stage FROM stage_events").fetchall() == [("p2", 1, "visit")]
    assert db.execute("SELECT seq, contact_id, role, weight FROM decision_map").fetchall() == [
        (1, None, "user", 40.0), (2, "zhang-hua", "final_approver", 60.0)]
    assert db.execute("SELECT seq, project_id FROM activities").fetchall() == [(1, None)]
    assert db.execute("SELECT activity_seq, contact_id FROM activity_contacts").fetchall() == [(1, "li-yang")]
    assert db.execute("SELECT value FROM meta WHERE key = 'errors'").fetchone() == ("9",)
    db.close()


def test_a_broken_repository_is_told_in_chinese_too(cli, tmp_path):
    repo = _broken(tmp_path)
    result = _export(cli, tmp_path / "crm.sqlite", repo, "--lang", "zh-CN")
    assert result.code == 1
    assert result.err.endswith("crmctl: 以上 9 个错误所涉及的内容未写入数据库；请修正（crmctl check 列出全部问题）后重新导出\n")
    assert "customers/acme/contacts.yaml:3:10: 错误 id-duplicate 联系人标识 `li-yang` 重复（首次在第 2 行）\n" in result.err


def test_a_broken_pipeline_is_refused_and_nothing_written(cli, tmp_path):
    repo = write_repo(tmp_path / "repo", {"customers/acme/customer.yaml": CUSTOMER},
                      config="format: 1\nlanguage: en\npipeline:\n  won_from: nowhere\n")
    target = tmp_path / "crm.sqlite"
    result = _export(cli, target, repo)
    assert (result.code, result.err) == (1, "crmctl: the pipeline in crm.yaml has problems\n"
                                            "    see them with: crmctl check\n")
    assert not target.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["repo"]


# -- the documentation -----------------------------------------------------------------------------


def _readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("### Export to SQLite\n", 1)[1].split("\n### ", 1)[0]


def test_the_readme_names_every_table_and_column():
    section = _readme_section()
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `(\w+)` \|.*$", section, re.M)}
    assert sorted(rows) == sorted(TABLES)
    for table, row in rows.items():
        named = set(re.findall(r"`(\w+)`", row))
        assert set(columns(table)) <= named, (table, set(columns(table)) - named)
    for view in VIEWS:
        assert f"`{view}`" in section


def test_the_readme_queries_run(db):
    queries = _readme_section().split("```sql\n", 1)[1].split("```", 1)[0]
    results = [db.execute(q).fetchall() for q in queries.split(";") if q.strip(" \n-").strip()
               and not all(line.startswith("--") for line in q.strip().splitlines())]
    assert len(results) == 2
    assert results[0][0] == ("上海鲜达冷链物流有限公司", 50620000.0, 15186000.0)
    assert [stage for stage, _ in results[1]][:2] == ["客户确定/电话邀约", "上门拜访及产品推荐"]
