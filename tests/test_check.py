"""`crmctl check`: every problem in one pass, located, in both languages; never a traceback."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import CUSTOMER, write_repo
from crmctl.checking.check import check_repository
from crmctl.messages import Messages

ACME = "customers/acme/customer.yaml"


TODAY = dt.date(2026, 1, 10)  # projects in these tests open 2026-01-01: nothing is stalled yet


def check_lines(root, lang="en"):
    return [d.format() for d in check_repository(root, Messages(lang), today=TODAY).diagnostics]


def test_examples_check_clean(cli):
    result = cli("check", "examples")
    assert result.code == 0, result.err
    assert result.err.splitlines()[-1].startswith("已检查 9 个客户")
    assert " error " not in result.err
    assert result.out == ""


def test_unknown_key_names_the_record_and_suggests(tmp_path):
    root = write_repo(tmp_path, {ACME: CUSTOMER + "reigon: 华北\nbusiness:\n  adress: x\n"})
    assert check_lines(root) == [
        f"{ACME}:8:1: error schema-unknown-key top level: unknown key `reigon` (did you mean `region`?)\n"
        "    allowed keys here: agreement_date, annual_purchase, business, category, channel, current_fleet, dealer, fleet_size, importance, "
        "kind, market, name, notes, owner, region, short_name, since, size, tags, tier",
        f"{ACME}:10:3: error schema-unknown-key business: unknown key `adress` (did you mean `address`?)\n"
        "    allowed keys here: address, cross_regional, industry_position, main_business, nature, scope",
    ]


def test_missing_key_and_wrong_values(tmp_path):
    text = CUSTOMER.replace("owner: 张明\n", "").replace("tier: B", "tier: D") + (
        "current_fleet:\n  - brand: 福田\n    quantity: 三十\n    purchase_date: 2021\n")
    root = write_repo(tmp_path, {ACME: text})
    assert check_lines(root) == [
        f"{ACME}:1:1: error schema-missing-key top level: required key `owner` is missing\n    add `owner:` here",
        f"{ACME}:4:7: error schema-value tier: the text `D` is not one of the allowed values\n    use one of: A, B, C",
        f"{ACME}:9:15: error schema-type current_fleet[1].quantity: expected a whole number, found the text `三十`\n"
        "    write digits only, without units or quotes",
        f"{ACME}:10:20: error schema-type current_fleet[1].purchase_date: expected a date (YYYY-MM-DD), "
        "found the number 2021\n    write the date as YYYY-MM-DD, e.g. 2026-03-15",
    ]


def test_list_where_a_mapping_belongs(tmp_path):
    root = write_repo(tmp_path, {ACME: CUSTOMER + "business:\n  - a\n  - b\n"})
    assert check_lines(root) == [
        f"{ACME}:9:3: error schema-type business: expected a mapping (key: value lines), found a list\n    ",
    ][:0] + [f"{ACME}:9:3: error schema-type business: expected a mapping (key: value lines), found a list"]


def test_number_where_text_belongs_suggests_quotes(tmp_path):
    root = write_repo(tmp_path, {ACME: CUSTOMER.replace("name: 测试客户", "name: 12345")})
    assert check_lines(root) == [
        f"{ACME}:1:7: error schema-type name: expected text, found the number 12345\n    put it in quotes: '12345'"
    ]


def test_contact_errors_name_the_contact(tmp_path):
    root = write_repo(tmp_path, {ACME: CUSTOMER, "customers/acme/contacts.yaml": """\
        contacts:
          - id: li-jian
            name: 李建
            attitude: friend
        """})
    assert check_lines(root) == [
        "customers/acme/contacts.yaml:4:15: error schema-value contacts[li-jian].attitude: the text `friend` "
        "is not one of the allowed values\n    use one of: supporter, neutral, opponent, unknown"
    ]


def test_cross_file_references(tmp_path):
    root = write_repo(tmp_path, {
        ACME: CUSTOMER,
        "customers/acme/contacts.yaml": """\
            contacts:
              - id: li-yang
                name: 李阳
                reports_to: zhang-hua
              - id: zhang-hua
                name: 张华
                reports_to: li-yang
              - id: li-jian
                name: 李建
                reports_to: nobody
                relations:
                  - contact: li-yangg
                    type: 同学
              - id: li-jian
                name: 李健
            """,
        "customers/acme/activities.yaml": """\
            activities:
              - date: 2026-01-05
                kind: call
                by: 张明
                contacts: [li-yang, wu-wei]
                project: nothing
                summary: 电话
            """,
        "customers/acme/projects/p1/project.yaml": """\
            name: 项目
            owner: 王磊
            opened: 2026-01-01
            decision_map:
              - contact: ghost
                role: finance
                weight: 50
              - contact: li-yang
                role: final_approver
                weight: 25
              - contact: li-yang
                role: user
                weight: 25
            """,
    })
    assert check_lines(root) == [
        "customers/acme/activities.yaml:5:25: error ref-unknown activities[1].contacts[2]: contact `wu-wei` "
        "does not exist\n    correct the id, or add the person: crmctl new contact acme NAME --id wu-wei",
        "customers/acme/activities.yaml:6:14: error ref-unknown activities[1].project: project `nothing` does not "
        "exist\n    correct the id; this customer's projects: p1",
        "customers/acme/contacts.yaml:4:17: error ref-cycle reports_to forms a cycle: li-yang → zhang-hua → li-yang\n"
        "    someone in this chain must report to a person outside it, or to nobody (remove `reports_to`)",
        "customers/acme/contacts.yaml:10:17: error ref-unknown contacts[li-jian].reports_to: contact `nobody` "
        "does not exist\n    correct the id, or add the person: crmctl new contact acme NAME --id nobody",
        "customers/acme/contacts.yaml:12:18: error ref-unknown contacts[li-jian].relations[li-yangg].contact: contact "
        "`li-yangg` does not exist (did you mean `li-yang`?)\n"
        "    correct the id, or add the person: crmctl new contact acme NAME --id li-yangg",
        "customers/acme/contacts.yaml:14:9: error id-duplicate contact id `li-jian` is used twice (first on line 8)\n"
        "    give each contact its own id",
        "customers/acme/projects/p1/project.yaml:5:14: error ref-unknown decision_map[ghost].contact: contact "
        "`ghost` does not exist\n    correct the id, or add the person: crmctl new contact acme NAME --id ghost",
        "customers/acme/projects/p1/project.yaml:11:14: error id-duplicate decision-map entry id `li-yang` is used "
        "twice (first on line 8)\n    give each decision-map entry its own id",
    ]


def test_competitors_have_their_own_ids_and_know_real_contacts(tmp_path):
    root = write_repo(tmp_path, {
        ACME: CUSTOMER,
        "customers/acme/contacts.yaml": "contacts:\n  - id: li-yang\n    name: 李阳\n",
        "customers/acme/projects/p1/project.yaml": "name: 项目\nowner: 王磊\nopened: 2026-01-01\n",
        "customers/acme/projects/p1/competition.yaml": """\
            competitors:
              - id: yutong
                name: 宇通重工
                relationships:
                  - contact: li-yan
              - id: us
                name: 我们自己
              - id: yutong
                name: 宇通
            """,
    })
    assert check_lines(root) == [
        "customers/acme/projects/p1/competition.yaml:5:18: error ref-unknown competitors[yutong].relationships[li-yan]"
        ".contact: contact `li-yan` does not exist (did you mean `li-yang`?)\n"
        "    correct the id, or add the person: crmctl new contact acme NAME --id li-yan",
        "customers/acme/projects/p1/competition.yaml:6:9: error schema-value competitors[us].id: `us` is our own side"
        " in evaluation.yaml, not a competitor\n    give the competitor an id of its own, e.g. its brand",
        "customers/acme/projects/p1/competition.yaml:8:9: error id-duplicate competitor id `yutong` is used twice"
        " (first on line 2)\n    give each competitor its own id",
    ]


def test_category_kind_and_dealer_rules(tmp_path):
    text = CUSTOMER.replace("category: enterprise", "category: government\nkind: person").replace(
        "channel: direct", "channel: dealer\nsize: large")
    root = write_repo(tmp_path, {ACME: text})
    assert check_lines(root) == [
        f"{ACME}:3:7: error schema-value kind: kind `person` does not belong to category `government`\n"
        "    use one of: agency, institution, association",
        f"{ACME}:6:10: warning class-channel channel: a tier-B customer left to a dealer\n"
        "    tier B is worked by the regional manager directly (`channel: direct`), or lower its tier",
        f"{ACME}:6:10: error schema-value channel: channel `dealer` but no dealer is named\n"
        "    add `dealer:` with the dealer's name",
        f"{ACME}:7:1: error schema-value size: only enterprises have a size\n"
        "    remove `size`, or set `category: enterprise`",
    ]


def test_folder_and_file_layout(tmp_path):
    root = write_repo(tmp_path, {
        "customers/Bad_Name/customer.yaml": CUSTOMER,
        "customers/acme/contact.yaml": "contacts: []\n",
        "customers/acme/projects/p1/notes.txt": "x",
        "customers/stray.yaml": "x: 1\n",
    })
    assert check_lines(root) == [
        "customers/Bad_Name: error id-invalid customer id `Bad_Name` is not a valid id\n"
        "    ids are lowercase letters, digits and single hyphens, starting with a letter or digit, at most 64 "
        "characters (e.g. `bj-huanwei`); Chinese belongs in `name`",
        "customers/acme/contact.yaml: warning file-unknown crmctl does not know this file (did you mean "
        "`contacts.yaml`?)\n    rename it, or move it out of the customers/ tree",
        "customers/acme/customer.yaml: error file-missing the customer file is missing: expected "
        "customers/acme/customer.yaml\n    create it (copy another customer's customer.yaml), or remove the folder",
        "customers/acme/projects/p1/notes.txt: warning file-unknown crmctl does not know this file\n"
        "    rename it, or move it out of the customers/ tree",
        "customers/acme/projects/p1/project.yaml: error file-missing the project file is missing: expected "
        "customers/acme/projects/p1/project.yaml\n"
        "    create it, or start the project again with: crmctl new project acme NAME",
        "customers/stray.yaml: warning file-unknown crmctl does not know this file\n"
        "    rename it, or move it out of the customers/ tree",
    ]


def test_config_problems_do_not_stop_the_customers(tmp_path):
    root = write_repo(tmp_path, {ACME: CUSTOMER + "bogus: 1\n"},
                      config="format: 2\nevaluation:\n  weights: {price: 60, brand: 30}\n")
    assert check_lines(root) == [
        "crm.yaml:1:9: error config-version format version 2 is not supported by crmctl 0.1.0 (it reads version 1)\n"
        "    upgrade crmctl, or check the `format:` line in crm.yaml",
        "crm.yaml:3:12: error schema-value evaluation.weights: weights must sum to 100, they sum to 90\n"
        "    adjust the weights",
        f"{ACME}:8:1: error schema-unknown-key top level: unknown key `bogus`\n"
        "    allowed keys here: agreement_date, annual_purchase, business, category, channel, current_fleet, dealer, fleet_size, importance, "
        "kind, market, name, notes, owner, region, short_name, since, size, tags, tier",
    ]


# -- the broken-file corpus: each case must give a located diagnostic, exit 1, no traceback

BROKEN = {
    "malformed": (b"name: [unclosed\ncategory: x\n", "yaml-syntax", 2, 9),
    "tabs": (b"name: x\n\tcategory: y\n", "yaml-tab", 2, 1),
    "duplicate-key": (CUSTOMER.encode() + b"tier: A\n", "yaml-duplicate-key", 8, 1),
    "wrong-type": (CUSTOMER.replace("tier: B", "tier: [A]").encode(), "schema-value", 4, 7),
    "unknown-key": (CUSTOMER.encode() + b"colour: red\n", "schema-unknown-key", 8, 1),
    "gbk": (CUSTOMER.encode("gbk"), "file-encoding", 1, 7),
    "utf16": (CUSTOMER.encode("utf-16"), "file-encoding", 0, 0),
    "list-not-mapping": (b"- name: x\n- name: y\n", "schema-type", 1, 1),
    "scalar-not-mapping": (b"just some text\n", "schema-type", 1, 1),
    "empty": (b"", "file-empty", 0, 0),
    "only-comments": (b"# nothing yet\n", "file-empty", 0, 0),
    "binary": (bytes(range(256)) * 4, "file-binary", 0, 0),
    "alias-bomb": (("a: &a [" + ", ".join(["x"] * 9) + "]\n" + "".join(
        f"{c}: &{c} [" + ", ".join([f"*{p}"] * 9) + "]\n" for p, c in zip("abcdefgh", "bcdefghi"))).encode(),
                   "yaml-alias", 2, 0),
    "deep": (b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n", "yaml-syntax", 1, 1003),  # libyaml's own limit
    "deep-below-libyaml-limit": (b"a: " + b"[" * 100 + b"]" * 100 + b"\n", "yaml-too-deep", 1, 0),
    "ambiguous": (CUSTOMER.replace("region: 北京", "region: NO").encode(), "yaml-ambiguous-scalar", 7, 9),
    "two-documents": (CUSTOMER.encode() + b"---\nname: y\n", "yaml-multiple-documents", 8, 1),
    "control-chars": (b"name: a\x07b\n", "yaml-syntax", 1, 8),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_file_gives_a_located_diagnostic(tmp_path, cli, case):
    content, code, line, col = BROKEN[case]
    root = write_repo(tmp_path, {ACME: content})
    result = cli("check", root, "--format", "json")
    assert result.code == 1
    assert "Traceback" not in result.err and "Traceback" not in result.out
    found = json.loads(result.out)["diagnostics"]
    assert any(d["path"] == ACME and d["code"] == code and d["line"] == line
               and (col == 0 or d["col"] == col) for d in found), found
    text = cli("check", root)
    assert text.code == 1 and "Traceback" not in text.err
    assert any(line_.startswith(f"{ACME}") and code in line_ for line_ in text.err.splitlines())


def test_all_problems_in_one_pass(tmp_path):
    files = {f"customers/c{i}/customer.yaml": BROKEN[case][0] for i, case in enumerate(sorted(BROKEN))}
    root = write_repo(tmp_path, files)
    result = check_repository(root, Messages("en"))
    assert {d.path for d in result.diagnostics} == set(files)


def test_output_is_sorted_and_same_in_parallel(tmp_path):
    files = {f"customers/c{i:03}/customer.yaml": CUSTOMER.replace("tier: B", "tier: Z") for i in range(30)}
    root = write_repo(tmp_path, files)
    one = check_repository(root, Messages("en"), jobs=1).diagnostics
    two = check_repository(root, Messages("en"), jobs=2).diagnostics
    assert one == two and [d.path for d in one] == sorted(files)


def test_keys_are_the_text_written_and_dates_must_exist(tmp_path):
    root = write_repo(tmp_path, {ACME: "~: x\n1: z\n" + CUSTOMER + "since: 2026-02-30\n"})
    assert [d.format().splitlines()[0] for d in check_repository(root, Messages("en")).diagnostics] == [
        f"{ACME}:1:1: error schema-unknown-key top level: unknown key `~`",
        f"{ACME}:2:1: error schema-unknown-key top level: unknown key `1`",
        f"{ACME}:10:8: error schema-value since: the text `2026-02-30` is not a day on the calendar",
    ]


def test_dates_that_cannot_be_right(tmp_path):
    import datetime as dt

    root = write_repo(tmp_path, {
        ACME: CUSTOMER,
        "customers/acme/projects/p1/project.yaml": "name: 项目\nowner: 王磊\nopened: 2026-12-01\nexpected_close: 2026-06-30\n",
        "customers/acme/projects/p1/history.yaml": "events:\n  - {date: 2026-12-02, action: advance, from: phone_invitation,"
                                                   " to: visit, by: x}\n",
    })
    found = [d.format() for d in check_repository(root, Messages("en"), today=dt.date(2026, 11, 28)).diagnostics
             if d.code in ("date-impossible", "history-invalid")]
    assert found == [
        "customers/acme/projects/p1/history.yaml:2:12: error history-invalid stage history: dated 2026-12-02, in the "
        "future\n    this file is written by crmctl; undo the hand edit (git checkout -- FILE)",
        "customers/acme/projects/p1/project.yaml:3:9: error date-impossible opened: the project opened on 2026-12-01, "
        "after today (2026-11-28)\n    write the day it was opened",
        "customers/acme/projects/p1/project.yaml:4:17: error date-impossible expected_close: expected to close on "
        "2026-06-30, before it opened on 2026-12-01\n    correct either date",
    ]


def test_a_project_opened_after_its_first_stage_event_is_the_project_files_date(tmp_path):
    # the person edited project.yaml; history.yaml, crmctl's record, is not to blame
    import datetime as dt

    root = write_repo(tmp_path, {
        ACME: CUSTOMER,
        "customers/acme/projects/p1/project.yaml": "name: 项目\nowner: 王磊\nopened: 2026-03-01\n",
        "customers/acme/projects/p1/history.yaml": "events:\n  - {date: 2026-02-02, action: advance, from: phone_invitation,"
                                                   " to: visit, by: x, forced: true, reason: r}\n",
    })
    found = [d.format() for d in check_repository(root, Messages("en"), today=dt.date(2026, 3, 5)).diagnostics
             if d.severity == "error"]
    assert found == [
        "customers/acme/projects/p1/project.yaml:3:9: error date-impossible opened: the project opened on 2026-03-01, "
        "after the first event of its stage history (2026-02-02)\n"
        "    correct `opened` (history.yaml is crmctl's record of what happened)"]


@pytest.mark.parametrize("written,typo,said", [
    ("    title: 总经理\n", "    title\uff1a 总经理\n", "customers/bj-huanwei/contacts.yaml:7:10: error yaml-syntax"),
    ("    birthday: 1978-05-06\n", "    birthday: 1978/5/6\n",
     "customers/bj-huanwei/contacts.yaml:65:15: error schema-type"),
])
def test_one_typo_in_contacts_is_one_error_not_everyone_unknown(cli, tmp_path, written, typo, said):
    # with contacts.yaml unreadable nobody can be told a person does not exist
    import shutil
    from pathlib import Path

    repo = tmp_path / "repo"
    shutil.copytree(Path(__file__).resolve().parent.parent / "examples", repo)
    path = repo / "customers" / "bj-huanwei" / "contacts.yaml"
    text = path.read_text(encoding="utf-8")
    assert written in text
    path.write_text(text.replace(written, typo, 1), encoding="utf-8")
    result = cli("check", "--repo", repo, "--lang", "en")
    errors = [line for line in result.err.splitlines() if ": error " in line]
    assert result.code == 1 and len(errors) == 1 and errors[0].startswith(said), errors
    # nor is a red flag raised on what the unreadable file would have said
    assert [line for line in result.err.splitlines() if "bj-huanwei" in line and " flag-" in line] == []
    advance = cli("advance", "bj-huanwei", "--dry-run", "--repo", repo, "--lang", "en")
    assert advance.code == 1 and advance.err.startswith("crmctl: customers/bj-huanwei/contacts.yaml has problems")


def test_infinite_or_undefined_numbers_are_refused_where_no_bound_would(tmp_path):
    root = write_repo(tmp_path, {
        ACME: CUSTOMER + "current_fleet:\n  - brand: 欧曼\n    tonnage: .nan\n",
    }, config="format: 1\nlanguage: en\nevaluation:\n  score_max: .inf\n")
    assert check_lines(root) == [
        "crm.yaml:4:14: error schema-value evaluation.score_max: the number inf is not a finite number\n"
        "    write the number in digits",
        "customers/acme/customer.yaml:10:14: error schema-value current_fleet[1].tonnage: the number nan is not"
        " a finite number\n    write the number in digits",
    ]


@pytest.mark.parametrize("rel,written,typo", [
    ("customers/li-chunhua/customer.yaml", "tier: C", "tier: Z"),
    ("customers/bj-huanwei/projects/sweeper-renewal-2027/competition.yaml", "  - id: xcmg", "  - id: XCMG"),
])
def test_advance_refuses_while_a_file_its_gates_read_is_broken(cli, tmp_path, rel, written, typo):
    # a gate must not open because the file that would keep it closed could not be read
    import shutil
    from pathlib import Path

    repo = tmp_path / "repo"
    shutil.copytree(Path(__file__).resolve().parent.parent / "examples", repo)
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    assert written in text
    path.write_text(text.replace(written, typo, 1), encoding="utf-8")
    customer = rel.split("/")[1]
    advance = cli("advance", customer, "--dry-run", "--repo", repo, "--lang", "en")
    assert advance.code == 1 and advance.err.startswith(f"crmctl: {rel} has problems"), advance.err


@pytest.mark.parametrize("written,amount", [
    ("500000", "500000"), ("'500,000'", "500000"), ("50万", "500000"), ("50万元", "500000"), ("1.2亿", "120000000"),
    ("12.5 万", "125000"), ("500000.5", "500000.5"), ("'1,234,567.89'", "1234567.89"), ("0", "0"),
])
def test_amounts_are_read_as_people_write_them_and_exactly(written, amount):
    from decimal import Decimal

    from crmctl.files.validate import validate_document
    from crmctl.files.yamlio import parse_yaml
    from crmctl.models.project import Project

    doc = parse_yaml(f"name: 项目\nowner: 王磊\nopened: 2026-01-01\nneeds:\n  budget: {written}\n", "p.yaml", Messages("en"))
    project, problems = validate_document(Project, doc, Messages("en"))
    assert problems == [] and project.needs.budget == Decimal(amount)
    assert isinstance(project.needs.budget, Decimal)  # never a float: sums are right to the fen


@pytest.mark.parametrize("written,said", [
    ("50w", "the text `50w` is not an amount\n    write it as 500000, 500,000, 50万 or 1.2亿 (digits, then 万 or 亿"
            " if you like)"),
    ("'5,00'", "the text `5,00` is not an amount"),
    ("约50万", "the text `约50万` is not an amount"),
    ("五十万", "the text `五十万` is not an amount"),
    ("12.345", "the number 12.345 has more decimal places than fen (0.01)\n    round it to two decimal places"),
    ("'-5'", "the text `-5` is not an amount"),
    ("-5", "the number -5 is out of range: must be >= 0"),
    ("true", "expected an amount (500000, 500,000, 50万 or 1.2亿), found the yes/no value true"),
    ("2亿亿", "the text `2亿亿` is not an amount"),
])
def test_anything_else_is_a_located_error(tmp_path, written, said):
    root = write_repo(tmp_path, {
        ACME: CUSTOMER,
        "customers/acme/projects/p1/project.yaml": f"name: 项目\nowner: 王磊\nopened: 2026-01-01\nneeds:\n"
                                                   f"  budget: {written}\n",
    })
    found = [line for line in check_lines(root) if "project.yaml" in line]
    assert len(found) == 1 and found[0].startswith("customers/acme/projects/p1/project.yaml:5:11: error schema-")
    assert f"needs.budget: {said}" in found[0], found[0]


def test_a_value_written_as_its_chinese_label_is_pointed_at_its_code(tmp_path):
    root = write_repo(tmp_path, {
        ACME: CUSTOMER,
        "customers/acme/contacts.yaml": "contacts:\n  - id: li-yang\n    name: 李阳\n    attitude: 支持者\n"
                                        "    level: Decision maker\n",
    }, config="format: 1\nlanguage: zh-CN\n")
    assert check_lines(root, "zh-CN") == [
        "customers/acme/contacts.yaml:4:15: error schema-value contacts[li-yang].attitude：文本 `支持者` 不是允许的取值"
        "（是否应为 `supporter`？）\n    可用取值：supporter、neutral、opponent、unknown",
        "customers/acme/contacts.yaml:5:12: error schema-value contacts[li-yang].level：文本 `Decision maker` 不是允许的取值"
        "（是否应为 `decision_maker`？）\n    可用取值：decision_maker、manager、executor",
    ]
