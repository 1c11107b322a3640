"""crmctl import: spreadsheets in, nothing lost and nothing doubled."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml

from crmctl.exchange import values
from crmctl.files.edit import set_values
from crmctl.messages import Messages

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "imports" / "客户名单.xlsx"


def tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` and a digest of its bytes."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and ".crmctl.lock" not in p.name}


def workbook(path: Path, rows: list[list], *, title: str = "Sheet1") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def empty(tmp_path, cli):
    root = tmp_path / "crm"
    assert cli("init", root, "--lang", "zh-CN").code == 0
    return root


def customers(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "customers").iterdir() if p.is_dir())


def load(root: Path, rel: str):
    return yaml.safe_load((root / rel).read_text(encoding="utf-8"))


# -- the sample --------------------------------------------------------------------------------

def test_the_sample_is_what_its_generator_writes():
    import make_import_sample

    written = openpyxl.load_workbook(io.BytesIO(make_import_sample.workbook_bytes()))
    kept = openpyxl.load_workbook(SAMPLE)
    assert kept.sheetnames == written.sheetnames == ["客户清单", "联系人", "拜访记录"]
    for name in kept.sheetnames:
        assert [list(r) for r in kept[name].iter_rows(values_only=True)] == \
            [list(r) for r in written[name].iter_rows(values_only=True)]
    assert [str(r) for r in kept["客户清单"].merged_cells.ranges] == ["A1:S1"]


def test_the_sample_imports_into_an_empty_repository_that_then_passes_check(empty, cli):
    first = cli("import", "customers", SAMPLE, "--repo", empty)
    assert first.code == 0, first.err
    assert cli("import", "contacts", SAMPLE, "--sheet", "联系人", "--repo", empty).code == 0
    assert cli("import", "activities", SAMPLE, "--sheet", "拜访记录", "--repo", empty).code == 0
    assert customers(empty) == [
        "ji-dong-wu-liu", "li-guo-qing", "qing-yuan-huan-wei", "sheng-huan-wei-xie-hui", "shi-jia-zhuang-cheng-guan"]
    checked = cli("check", empty, "--today", "2026-10-01")
    assert checked.code == 0, checked.err
    assert "0 个错误，0 个警告" in checked.err
    assert first.err.splitlines() == [
        f"读取 {SAMPLE} 的工作表「客户清单」：表头在第 2 行；未导入的列：序号",
        "已导入：新建 10，更新 0，不变 0，拒绝 0 行"]
    # the values as the manual's words and the sheet's messy spellings mean them
    city = load(empty, "customers/shi-jia-zhuang-cheng-guan/customer.yaml")
    assert {k: city[k] for k in ("category", "kind", "market", "tier", "channel", "fleet_size", "annual_purchase",
                                 "since")} == {
        "category": "government", "kind": "agency", "market": "local", "tier": "A", "channel": "direct",
        "fleet_size": 150, "annual_purchase": 60, "since": dt.date(2024, 3, 5)}
    assert load(empty, "customers/ji-dong-wu-liu/customer.yaml")["since"] == dt.date(2025, 6, 18)
    assert load(empty, "customers/qing-yuan-huan-wei/customer.yaml")["since"] == dt.date(2023, 11, 2)
    assert load(empty, "customers/sheng-huan-wei-xie-hui/customer.yaml")["since"] == dt.date(2025, 1, 21)  # 45678
    wang = load(empty, "customers/li-guo-qing/customer.yaml")
    assert (wang["category"], wang["kind"], wang["fleet_size"], wang["since"]) == (
        "individual", "self_employed", 3, dt.date(2026, 1, 8))
    # one customer on two rows (its name once with spaces around it): one customer, two contacts
    people = load(empty, "customers/shi-jia-zhuang-cheng-guan/contacts.yaml")["contacts"]
    assert [(c["name"], c["title"], str(c["phone"])) for c in people] == [
        ("刘洋", "装备科科长", "13803110001"), ("陈刚", "副局长", "0311-87002233")]
    # a superior named on a later row than their report
    logistics = load(empty, "customers/ji-dong-wu-liu/contacts.yaml")["contacts"]
    assert {c["name"]: c.get("reports_to") for c in logistics} == {"赵伟": None, "王海": None, "李强": "wang-hai"}
    visits = load(empty, "customers/ji-dong-wu-liu/activities.yaml")["activities"]
    assert [(a["date"], a["kind"], a["contacts"]) for a in visits] == [
        (dt.date(2026, 10, 20), "call", ["zhao-wei"]), (dt.date(2026, 11, 3), "exchange", ["wang-hai", "li-qiang"])]


def test_a_second_import_changes_nothing(empty, cli):
    for args in (("customers",), ("contacts", "--sheet", "联系人"), ("activities", "--sheet", "拜访记录")):
        assert cli("import", args[0], SAMPLE, *args[1:], "--repo", empty).code == 0
    before = tree(empty)
    for args in (("customers",), ("contacts", "--sheet", "联系人"), ("activities", "--sheet", "拜访记录")):
        again = cli("import", args[0], SAMPLE, *args[1:], "--repo", empty, "--format", "json")
        assert again.code == 0
        import json

        summary = json.loads(again.out)
        assert summary["counts"]["create"] == summary["counts"]["update"] == 0
        assert summary["written"] == []
    assert tree(empty) == before


def test_dry_run_writes_nothing_and_says_what_it_would_do(empty, cli):
    before = tree(empty)
    result = cli("import", "customers", SAMPLE, "--repo", empty, "--dry-run", "--lang", "en")
    assert result.code == 0
    assert tree(empty) == before
    assert result.err.splitlines()[-1] == "dry run, nothing written: 10 to create, 0 to update, 0 unchanged, 0 rows rejected"
    assert ["3,", "8", "create", "customer", "shi-jia-zhuang-cheng-guan", "石家庄市城市管理综合行政执法局"] in [
        line.split() for line in result.out.splitlines()]


# -- rejected rows -----------------------------------------------------------------------------

MESSY = [
    ["客户名称", "客户类型", "市场", "客户级别", "负责人", "区域", "建档日期", "保有量"],
    ["甲公司", "企业", "省内", "A", "张明", "北京", "2026-01-05", 10],
    ["乙公司", "企业", "本地", "B", "张明", "北京", "3月5日", "很多"],
    ["丙公司", "企业", "本地", "B", "张明", "北京", "2026-02-30", 5],
    ["丁公司", "企业", "本地", "C", "张明", "北京", "2026-01-05", 5],
    ["丁公司", "企业", "国内", None, None, None, None, None],
]


def test_messy_rows_are_rejected_at_their_sheet_row_and_column_and_nothing_is_written(empty, cli, tmp_path):
    sheet = workbook(tmp_path / "客户.xlsx", MESSY, title="名单")
    before = tree(empty)
    result = cli("import", "customers", sheet, "--repo", empty)
    assert result.code == 1
    assert tree(empty) == before
    lines = [line for line in result.err.splitlines() if "import-rejected" in line]
    assert lines == [
        f"{sheet}:2:3: 错误 import-rejected 名单!C2 市场：`省内` 不是可选的取值",
        f"{sheet}:3:7: 错误 import-rejected 名单!G3 建档日期：`3月5日` 不是日期",
        f"{sheet}:3:8: 错误 import-rejected 名单!H3 保有量：`很多` 不是数字",
        f"{sheet}:4:7: 错误 import-rejected 名单!G4 建档日期：`2026-02-30` 不是日历上存在的日期",
        f"{sheet}:6:3: 错误 import-rejected 名单!C6 市场：表中第 5 行给此客户的值为 `local`",
    ]
    assert "可选：本地市场、国内市场、国际市场" in result.err
    assert result.err.splitlines()[-2:] == ["未写入任何文件：新建 1，更新 0，不变 0，拒绝 4 行",
                                            "    请更正这些行后重新导入，或用 --skip-invalid 只导入其余各行"]


def test_skip_invalid_imports_the_rest_and_writes_the_rejected_rows_to_fix_and_reimport(empty, cli, tmp_path):
    sheet = workbook(tmp_path / "客户.xlsx", MESSY)
    result = cli("import", "customers", sheet, "--repo", empty, "--skip-invalid")
    assert result.code == 1  # rows were rejected: a script learns it
    assert customers(empty) == ["ding-gong-si"]
    rejected = tmp_path / "客户.rejected.csv"
    assert f"被拒绝的行已写入 {rejected}" in result.err
    text = rejected.read_text(encoding="utf-8")
    assert text.startswith("\ufeff客户名称,客户类型,市场,客户级别,负责人,区域,建档日期,保有量,问题\n")
    assert len(text.splitlines()) == 5
    # corrected where it stands, the file imports as it is (its problem column is not read)
    fixed = text.replace("省内", "本地").replace("3月5日", "2026/3/5").replace("很多", "12").replace(
        "2026-02-30", "2026-02-28").replace(",国内,", ",本地,")
    rejected.write_text(fixed, encoding="utf-8")
    again = cli("import", "customers", rejected, "--repo", empty)
    assert again.code == 0, again.err
    assert customers(empty) == [
        "bing-gong-si", "ding-gong-si", "jia-gong-si", "yi-gong-si"]
    assert cli("check", empty, "--today", "2026-11-29").code == 0


def test_a_row_that_names_one_of_nobody_is_rejected_when_the_team_keeps_people_yaml(tmp_path, cli):
    root = shutil.copytree(ROOT / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns(".crmctl.lock"))
    sheet = workbook(tmp_path / "s.xlsx", [["客户名称", "客户类型", "市场", "级别", "负责人", "区域"],
                                          ["新客户", "企业", "本地", "C", "张敏", "北京"]])
    result = cli("import", "customers", sheet, "--repo", root, "--lang", "en")
    assert result.code == 1
    assert f"{sheet}:2:5: error import-rejected Sheet1!E2 负责人: 张敏 is none of our people in people.yaml " \
           "(did you mean `张明`?)" in result.err


def test_a_new_customer_without_a_required_value_says_which_column_to_add(empty, cli, tmp_path):
    sheet = workbook(tmp_path / "s.xlsx", [["客户名称", "客户类型", "市场", "级别", "负责人"],
                                          ["新客户", "企业", "本地", "C", "张明"]])
    result = cli("import", "customers", sheet, "--repo", empty)
    assert result.code == 1
    assert f"{sheet}:2:0: 错误 import-rejected Sheet1!第 2 行：没有区域（`region`）的值，新建记录需要此项" in result.err
    assert "请增加「区域」列并填写，或在映射文件（--map）中给出：defaults: {region: …}" in result.err


# -- updates -----------------------------------------------------------------------------------

def test_an_existing_customer_is_updated_in_the_given_fields_only_and_its_comments_kept(tmp_path, cli):
    root = shutil.copytree(ROOT / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns(".crmctl.lock"))
    rel = "customers/bj-huanwei/customer.yaml"
    before = (root / rel).read_text(encoding="utf-8")
    # the name with a half-width bracket and spaces: the same customer
    sheet = workbook(tmp_path / "s.xlsx", [["客户名称", "保有量", "地址", "区域", "备注"],
                                          [" 北京市环境卫生集团 ", "330台", "北京市朝阳区东三环中路 8 号", None, None]])
    result = cli("import", "customers", sheet, "--repo", root, "--lang", "en")
    assert result.code == 0, result.err
    assert "update    customer  bj-huanwei" in result.out
    after = (root / rel).read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert changed == [("fleet_size: 312    # 含未列出的小型保洁车辆", "fleet_size: 330    # 含未列出的小型保洁车辆")]
    assert len(before.splitlines()) == len(after.splitlines())
    assert sorted(p.name for p in (root / "customers").iterdir()) == sorted(
        p.name for p in (ROOT / "examples" / "customers").iterdir())


def test_full_width_and_half_width_names_are_one_customer(empty, cli, tmp_path):
    first = workbook(tmp_path / "a.xlsx", [["客户名称", "客户类型", "市场", "级别", "负责人", "区域"],
                                          ["某某（集团）有限公司", "企业", "本地", "C", "张明", "北京"]])
    second = workbook(tmp_path / "b.xlsx", [["客户名称", "区域"], ["某某(集团)有限公司", "天津"]])
    assert cli("import", "customers", first, "--repo", empty).code == 0
    assert cli("import", "customers", second, "--repo", empty).code == 0
    folders = customers(empty)
    assert len(folders) == 1
    kept = load(empty, f"customers/{folders[0]}/customer.yaml")
    assert (kept["name"], kept["region"]) == ("某某（集团）有限公司", "天津")  # the record keeps its spelling


def test_an_activity_already_logged_is_not_added_again(tmp_path, cli):
    root = shutil.copytree(ROOT / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns(".crmctl.lock"))
    sheet = workbook(tmp_path / "s.xlsx", [
        ["日期", "客户", "方式", "我方人员", "联系人", "内容"],
        [dt.datetime(2026, 8, 5), "北京环卫", "电话", "张明", "陈静",
         "电话邀约，陈总同意 8 月 12 日在集团本部见面，介绍新能源洗扫车。"],
        ["2026/11/25", "bj-huanwei", "拜访", "张明", "陈静、zhang-hua", "回访，确认冬季试车安排"]])
    result = cli("import", "activities", sheet, "--repo", root, "--lang", "en", "--format", "json")
    assert result.code == 0, result.err
    import json

    records = json.loads(result.out)["records"]
    assert [(r["action"], r["rows"]) for r in records] == [("unchanged", [2]), ("create", [3])]
    log = load(root, "customers/bj-huanwei/activities.yaml")["activities"]
    assert log[-1] == {"date": dt.date(2026, 11, 25), "kind": "visit", "by": "张明",
                       "contacts": ["chen-jing", "zhang-hua"], "summary": "回访，确认冬季试车安排"}


# -- reading files -----------------------------------------------------------------------------

CSV_TEXT = "客户名称,客户类型,市场,级别,负责人,区域\n甲公司,企业,本地,C,张明,北京\n"


@pytest.mark.parametrize(("data", "said"), [
    (CSV_TEXT.encode("utf-8"), "UTF-8"),
    (b"\xef\xbb\xbf" + CSV_TEXT.encode("utf-8"), "UTF-8（带 BOM）"),
    (CSV_TEXT.encode("gbk"), "GBK"),
    (CSV_TEXT.replace(",", "\t").encode("utf-16"), "UTF-16"),
])
def test_csv_encodings_are_detected_and_said(empty, cli, tmp_path, data, said):
    sheet = tmp_path / "客户.csv"
    sheet.write_bytes(data)
    result = cli("import", "customers", sheet, "--repo", empty)
    assert result.code == 0, result.err
    assert f"读取 {sheet}：表头在第 1 行，文本编码 {said}" in result.err
    assert load(empty, "customers/jia-gong-si/customer.yaml")["name"] == "甲公司"


def test_a_mapping_file_names_unusual_headers_and_gives_defaults(empty, cli, tmp_path):
    sheet = tmp_path / "s.csv"
    sheet.write_text("单位全称,业务归属\n甲公司,张明\n", encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns:\n  单位全称: name\n  业务归属: owner\ndefaults:\n  category: 企业\n  market: 本地\n"
                       "  tier: C\n  region: 北京\n  channel: direct\n", encoding="utf-8")
    result = cli("import", "customers", sheet, "--map", mapping, "--repo", empty)
    assert result.code == 0, result.err
    assert load(empty, "customers/jia-gong-si/customer.yaml")["owner"] == "张明"
    mapping.write_text("columns:\n  单位全称: nmae\n", encoding="utf-8")
    wrong = cli("import", "customers", sheet, "--map", mapping, "--repo", empty, "--lang", "en")
    assert wrong.code == 1
    assert wrong.err == (f"crmctl: the mapping file {mapping} has problems:\n    {mapping}:2:9: schema-value columns.单位全称: "
                         "`nmae` is not a field of customers (did you mean `name`?)\n    correct them and run the import "
                         "again\n")


@pytest.mark.parametrize(("content", "message"), [
    (b"PK\x03\x04broken", "is not an Excel workbook crmctl can read"),
    (b"", "no row among the first 20 has two headers of customers crmctl knows"),
])
def test_unreadable_sheets_are_user_errors(empty, cli, tmp_path, content, message):
    sheet = tmp_path / ("s.xlsx" if content else "s.csv")
    sheet.write_bytes(content)
    result = cli("import", "customers", sheet, "--repo", empty, "--lang", "en")
    assert result.code == 1
    assert message in result.err
    assert "Traceback" not in result.err


def test_old_xls_workbooks_and_unknown_sheets_say_what_to_do(empty, cli, tmp_path):
    old = tmp_path / "s.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    result = cli("import", "customers", old, "--repo", empty, "--lang", "en")
    assert result.code == 1
    assert "open it in Excel or LibreOffice and save it as .xlsx or CSV" in result.err
    missing = cli("import", "customers", SAMPLE, "--sheet", "联系", "--repo", empty, "--lang", "en")
    assert missing.code == 1
    assert "--sheet 联系: " in missing.err and "(did you mean `联系人`?)" in missing.err


def test_two_columns_for_one_field_are_refused(empty, cli, tmp_path):
    sheet = workbook(tmp_path / "s.xlsx", [["客户名称", "名称", "市场"], ["甲", "甲", "本地"]])
    result = cli("import", "customers", sheet, "--repo", empty, "--lang", "en")
    assert result.code == 1
    assert "columns A (客户名称) and B (名称) both read as `name`" in result.err


# -- values ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "day"), [
    ("2026/3/5", dt.date(2026, 3, 5)), ("2026年3月5日", dt.date(2026, 3, 5)), ("2026-03-05", dt.date(2026, 3, 5)),
    ("2026.3.5", dt.date(2026, 3, 5)), ("20260305", dt.date(2026, 3, 5)), (46086, dt.date(2026, 3, 5)),
    ("46086", dt.date(2026, 3, 5)), (dt.datetime(2026, 3, 5, 0, 0), dt.date(2026, 3, 5)),
    ("２０２６／３／５", dt.date(2026, 3, 5)), ("2026-03-05 00:00:00", dt.date(2026, 3, 5)),
])
def test_dates_as_people_and_excel_write_them(written, day):
    assert values.date(written) == day


@pytest.mark.parametrize("written", ["3月5日", "2026-13-01", "yesterday", 0, 1.5, True])
def test_what_is_not_a_date(written):
    with pytest.raises(values.Unreadable):
        values.date(written)


@pytest.mark.parametrize(("written", "number"), [
    (120, 120), (120.0, 120), ("120台", 120), ("1,200", 1200), ("1.2万", 12000), ("３辆", 3), ("50万", 500000)])
def test_counts(written, number):
    assert values.count(written) == number


@pytest.mark.parametrize(("written", "amount"), [
    ("50万", Decimal(500000)), ("1.2亿", Decimal(120000000)), ("500,000", Decimal(500000)), ("¥50万元", Decimal(500000)),
    (500000.5, Decimal("500000.5"))])
def test_amounts(written, amount):
    assert values.amount(written) == amount


@pytest.mark.parametrize(("vocabulary", "written", "value"), [
    ("category", "政府客户", "government"), ("category", "企业", "enterprise"), ("market", "本地市场", "local"),
    ("market", "海外", "international"), ("tier", "A类", "A"), ("tier", "重点客户", "B"), ("tier", "c", "C"),
    ("attitude", "支持者", "supporter"), ("attitude", "中立", "neutral"), ("level", "决策层", "decision_maker"),
    ("activity_kind", "上门拜访", "visit"), ("channel", "经销商", "dealer"), ("market", "Domestic", "domestic"),
])
def test_words_people_write(vocabulary, written, value):
    assert values.choice(vocabulary)(written) == value


def test_phone_numbers_kept_as_numbers_by_excel_read_as_their_digits():
    assert values.phone(13911002233.0) == "13911002233"
    assert values.phone(" 010-65123001 ") == "010-65123001"


# -- the text-preserving edit ------------------------------------------------------------------

def test_set_values_keeps_every_other_byte_and_adds_missing_keys_where_they_belong():
    m = Messages("en")
    text = ("# head\nname: 甲  # the name\nbusiness:\n  address: 旧\n  cross_regional: false\n\n# the fleet\n"
            "current_fleet: []\nnotes: |\n  one\n  two\n")
    new = set_values(text, [(("name",), "乙"), (("business", "scope"), "全国"), (("notes",), "三\n四"),
                            (("region",), "北京")], m)
    assert new == ("# head\nname: 乙  # the name\nbusiness:\n  address: 旧\n  cross_regional: false\n  scope: 全国\n\n"
                   "# the fleet\ncurrent_fleet: []\nnotes: |-\n  三\n  四\nregion: 北京\n")
    assert set_values(new, [(("name",), "乙")], m) == new


# -- round trip ---------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_an_exported_list_reimports_to_the_same_data(tmp_path, cli, empty, lang):
    root = shutil.copytree(ROOT / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns(".crmctl.lock"))
    exported = tmp_path / "list.xlsx"
    assert cli("list", "--repo", root, "--format", "xlsx", "-o", exported, "--lang", lang).code == 0
    before = tree(root)
    # into the repository it came from: every customer found, nothing to change (a fleet shown as
    # the total of the vehicles listed is no new fleet_size)
    same = cli("import", "customers", exported, "--repo", root, "--lang", lang, "--format", "json")
    assert same.code == 0, same.err
    import json

    counts = json.loads(same.out)["counts"]
    assert counts == {"create": 0, "update": 0, "unchanged": 9, "rejected_rows": 0}
    assert tree(root) == before
    # into an empty repository: the same customers, as list shows them, in every format
    assert cli("import", "customers", exported, "--repo", empty, "--lang", lang).code == 0
    for fmt in ("json", "csv"):
        assert cli("list", "--repo", empty, "--format", fmt).out == cli("list", "--repo", root, "--format", fmt).out
    assert "0 个错误" in cli("check", empty, "--today", "2026-11-29").err


def test_docs_list_the_headers_crmctl_recognises():
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate_import_reference", ROOT / "docs" / "generate_import_reference.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    current = (ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    assert generator.document(current) == current, "run: python docs/generate_import_reference.py"


def test_a_row_disagreeing_with_an_earlier_row_is_rejected_even_when_that_row_changed_nothing(tmp_path, cli):
    root = shutil.copytree(ROOT / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns(".crmctl.lock"))
    sheet = tmp_path / "s.csv"
    sheet.write_text("客户名称,级别\n北京市环境卫生集团,A\n北京市环境卫生集团 ,B\n", encoding="utf-8")  # stored: A
    before = tree(root)
    result = cli("import", "customers", sheet, "--repo", root)
    assert result.code == 1
    assert f"{sheet}:3:2: 错误 import-rejected B3 级别：表中第 2 行给此客户的值为 `A`" in result.err
    assert tree(root) == before


def test_every_problem_of_a_row_is_said_at_once(tmp_path, cli):
    root = shutil.copytree(ROOT / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns(".crmctl.lock"))
    sheet = tmp_path / "s.csv"
    sheet.write_text("客户名称,客户类型,市场,级别,负责人,区域,建档日期\n固安县城管局,政府,本地,C,,廊坊,2026-02-30\n"
                     "甲公司,企业,本地,C,张敏,北京,2026-01-01\n", encoding="utf-8")
    result = cli("import", "customers", sheet, "--repo", root)
    assert [line for line in result.err.splitlines() if "import-rejected" in line] == [
        f"{sheet}:2:2: 错误 import-rejected B2 客户类型：政府客户需要单位类型：政府机关、事业单位、团体协会",
        f"{sheet}:2:5: 错误 import-rejected E2 负责人：没有负责人（`owner`）的值，新建记录需要此项",
        f"{sheet}:2:7: 错误 import-rejected G2 建档日期：`2026-02-30` 不是日历上存在的日期",
        f"{sheet}:3:5: 错误 import-rejected E3 负责人：张敏 不在 people.yaml 的我方人员中（是否应为 `张明`？）",
    ]
    assert "    请填写该单元格" in result.err


def test_a_contacts_import_of_the_customer_list_is_refused(empty, cli):
    result = cli("import", "contacts", SAMPLE, "--repo", empty)
    assert result.code == 1
    assert result.err == (f"crmctl: {SAMPLE} 的工作表「客户清单」看来是客户清单（表头含 客户类型、市场、客户级别、销售方式、负责人、"
                          "区域、保有量（台）），不是联系人\n    请用 --sheet 指明联系人所在的工作表（本工作簿的其他工作表：联系人、拜访记录），"
                          "或用 crmctl import customers 导入本表\n")


def test_a_phone_excel_shortened_is_refused(empty, cli, tmp_path):
    sheet = tmp_path / "s.csv"
    sheet.write_text("客户名称,客户类型,市场,级别,负责人,区域,联系人,电话\n甲公司,企业,本地,C,张明,北京,李四,1.3873E+10\n",
                     encoding="utf-8")
    result = cli("import", "customers", sheet, "--repo", empty, "--lang", "en")
    assert result.code == 1
    assert "H2 电话: `1.3873E+10` is a number Excel shortened: the phone's digits are lost" in result.err


def test_the_rejected_rows_say_their_problems_by_column_and_may_lie_beside_a_sheet_kept_in_the_repository(
        empty, cli):
    sheet = workbook(empty / "客户.xlsx", MESSY)
    result = cli("import", "customers", sheet, "--repo", empty, "--skip-invalid")
    assert result.code == 1
    lines = (empty / "客户.rejected.csv").read_text(encoding="utf-8").splitlines()
    assert lines[2] == "乙公司,企业,本地,B,张明,北京,3月5日,很多,建档日期：`3月5日` 不是日期（请写作 2026-03-05、2026/3/5 或 " \
                       "2026年3月5日，或把单元格设为日期格式）；保有量：`很多` 不是数字（请填写数字，例如 120 或 120台）"
    itself = cli("import", "customers", sheet, "--repo", empty, "--skip-invalid", "--rejected", sheet)
    assert (itself.code, itself.err.splitlines()[0]) == (2, f"crmctl: --rejected {sheet}：这正是要导入的表格")
    among = cli("import", "customers", sheet, "--repo", empty, "--skip-invalid", "--rejected",
                empty / "customers" / "x.csv")
    assert among.code == 2 and "位于客户仓库" in among.err


def test_the_table_names_the_fields_changed_in_the_output_language(tmp_path, cli):
    root = shutil.copytree(ROOT / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns(".crmctl.lock"))
    sheet = tmp_path / "s.csv"
    sheet.write_text("客户名称,保有量,区域\n北京市环境卫生集团,330,北京市\n", encoding="utf-8")
    result = cli("import", "customers", sheet, "--repo", root, "--dry-run")
    assert ["2", "更新", "客户", "bj-huanwei", "北京市环境卫生集团", "保有量、区域"] in [line.split() for line in result.out.splitlines()]


SHEETS = {"zh-CN": ("客户", "联系人", "活动"), "en": ("Customers", "Contacts", "Activities")}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_repository_workbook_reimports_to_the_same_data(tmp_path, cli, empty, lang):
    from crmctl.files.repository import load_repository

    root = shutil.copytree(ROOT / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns(".crmctl.lock"))
    book = tmp_path / "records.xlsx"
    exported = cli("export", "xlsx", book, "--repo", root, "--lang", lang)
    assert exported.code == 0, exported.err
    assert openpyxl.load_workbook(book).sheetnames == list(SHEETS[lang])
    kinds = ("customers", "contacts", "activities")
    before = tree(root)
    for kind, sheet in zip(kinds, SHEETS[lang]):  # into the repository it came from: nothing changes
        again = cli("import", kind, book, "--sheet", sheet, "--repo", root, "--format", "json")
        assert again.code == 0, again.err
        import json

        assert json.loads(again.out)["counts"]["update"] == json.loads(again.out)["counts"]["create"] == 0
    assert tree(root) == before
    # into an empty repository: the same customers and contacts; activities where their project is
    # there (the import writes no projects), the others rejected for it
    for kind, sheet in zip(kinds, SHEETS[lang]):
        cli("import", kind, book, "--sheet", sheet, "--repo", empty, "--skip-invalid", "--rejected",
            tmp_path / f"{kind}.csv")
    m = Messages("en")
    original, _ = load_repository(root, m, parts={"customer", "contacts", "activities"})
    imported, _ = load_repository(empty, m, parts={"customer", "contacts", "activities"})
    assert list(imported.customers) == list(original.customers)
    for cid, record in original.customers.items():
        copy = imported.customers[cid]
        assert copy.customer.model.model_dump(exclude={"current_fleet"}) == \
            record.customer.model.model_dump(exclude={"current_fleet"}), cid
        assert {c.id: c.model_dump(exclude={"relations"}) for c in copy.contacts.model.contacts} == \
            {c.id: c.model_dump(exclude={"relations"}) for c in record.contacts.model.contacts}, cid
        assert [a for a in copy.activities.model.activities] == \
            [a for a in record.activities.model.activities if a.project is None], cid
    rejected = (tmp_path / "activities.csv").read_text(encoding="utf-8").splitlines()
    assert len(rejected) - 1 == sum(a.project is not None for r in original.customers.values()
                                    for a in r.activities.model.activities)
    assert cli("check", empty, "--today", "2026-11-29").code == 0


# -- what an attack found ----------------------------------------------------------------------

CUSTOMER_HEAD = ["客户名称", "客户类型", "市场", "级别", "负责人", "区域"]


def test_one_new_contact_on_two_rows_is_one_contact_with_both_rows_values(tmp_path, cli):
    root = shutil.copytree(ROOT / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns(".crmctl.lock"))
    sheet = workbook(tmp_path / "s.xlsx", [["客户", "姓名", "职务", "电话"], ["bj-huanwei", "王五", "科长", None],
                                          ["bj-huanwei", "王五", None, "13900000001"]])
    result = cli("import", "contacts", sheet, "--repo", root)
    assert result.code == 0, result.err
    added = load(root, "customers/bj-huanwei/contacts.yaml")["contacts"][-1]
    assert added == {"id": "wang-wu", "name": "王五", "title": "科长", "phone": "13900000001", "attitude": "unknown"}


@pytest.mark.parametrize(("cells", "said"), [
    (["甲公司", "企业", "本地", "C", "张明", "北京", "1" + "0" * 120], "G2 年采购量：1" + "0" * 120 + " 大于 10,000,000"),
    (["Ελλάδα ΑΕ", "企业", "本地", "C", "张明", "北京", None], "A2 客户名称：无法由 `Ελλάδα ΑΕ` 生成客户标识"),
    (["#N/A", "企业", "本地", "C", "张明", "北京", None], "A2 客户名称：`#N/A` 是公式的错误值，不是数据"),
])
def test_values_no_record_can_hold_are_rejected_at_their_cell(empty, cli, tmp_path, cells, said):
    sheet = tmp_path / "s.csv"
    sheet.write_text(",".join([*CUSTOMER_HEAD, "年采购量"]) + "\n" + ",".join(c or "" for c in cells) + "\n",
                     encoding="utf-8")
    result = cli("import", "customers", sheet, "--repo", empty)
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{sheet}:2:{ord(said[0]) - ord('A') + 1}: 错误 import-rejected {said}" in result.err
    assert customers(empty) == []


def test_broken_and_odd_files_are_user_errors(empty, cli, tmp_path):
    import zipfile

    good = workbook(tmp_path / "good.xlsx", [CUSTOMER_HEAD, ["甲", "企业", "本地", "C", "张明", "北京"]])
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, data[: len(data) // 2] if item.filename.endswith("sheet1.xml") else data)
    result = cli("import", "customers", broken, "--repo", empty, "--lang", "en")
    assert result.code == 1 and "is not an Excel workbook crmctl can read" in result.err
    quote = tmp_path / "q.csv"
    quote.write_text(",".join(CUSTOMER_HEAD) + '\n"甲,企业,本地,C,张明,北京\n乙,企业,本地,C,张明,北京\n', encoding="utf-8")
    result = cli("import", "customers", quote, "--repo", empty, "--lang", "en")
    assert result.code == 1 and f"{quote}:2: not readable as CSV" in result.err
    stray = tmp_path / "stray.csv"
    stray.write_bytes((",".join(CUSTOMER_HEAD) + "\n北京测试公司,企业,本地,C,张明,北京\n").encode("utf-8") + b"\xff\n")
    result = cli("import", "customers", stray, "--repo", empty, "--lang", "en")
    assert result.code == 1 and "is not UTF-8, though the rest of the file is" in result.err
    if hasattr(os, "mkfifo"):
        pipe = tmp_path / "pipe.csv"
        os.mkfifo(pipe)
        result = cli("import", "customers", pipe, "--repo", empty, "--lang", "en")
        assert result.code == 1 and "is not a plain file" in result.err
    assert customers(empty) == []


def test_the_cells_a_workbook_has_are_read_not_its_rectangle(empty, cli, tmp_path):
    book = openpyxl.Workbook()
    hidden = book.active
    hidden.title = "旧"
    hidden.sheet_state = "hidden"
    hidden.append(CUSTOMER_HEAD)
    shown = book.create_sheet("客户")
    shown.append([True, *CUSTOMER_HEAD])  # a yes/no cell in the header row is no header
    shown.append([None, "合并公司", "企业", "本地", "C", "张明", "北京"])
    shown.append([None, None, None, None, None, None, None])
    shown.merge_cells("B2:B3")
    shown["XFD1048576"] = "远处的一个格"
    sheet = tmp_path / "s.xlsx"
    book.save(sheet)
    result = cli("import", "customers", sheet, "--repo", empty, "--dry-run")
    assert result.code == 0, result.err  # the far cell is in no column imported: no record
    assert "工作表「客户」" in result.err  # the visible sheet, not the hidden first one
    assert [line.split()[:4] for line in result.out.splitlines()[2:]] == [["2,", "3", "新建", "客户"]]


def test_a_matched_activity_takes_what_the_sheet_adds_and_our_people_by_id_or_name(tmp_path, cli):
    root = shutil.copytree(ROOT / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns(".crmctl.lock"))
    head = ["日期", "客户", "方式", "我方人员", "内容", "联系人", "下一步"]
    first = workbook(tmp_path / "a.xlsx", [head, ["2026-12-01", "bj-huanwei", "电话", "张明", "送资料", None, None]])
    second = workbook(tmp_path / "b.xlsx", [head, ["2026/12/1", "bj-huanwei", "电话", "zhang-ming", "送资料", "李建",
                                                   "报价"]])
    assert cli("import", "activities", first, "--repo", root).code == 0
    result = cli("import", "activities", second, "--repo", root, "--lang", "en")
    assert result.code == 0, result.err
    log = load(root, "customers/bj-huanwei/activities.yaml")["activities"]
    assert [a for a in log if a["summary"] == "送资料"] == [{"date": dt.date(2026, 12, 1), "kind": "call", "by": "张明",
                                                           "summary": "送资料", "contacts": ["li-jian"],
                                                           "next_step": "报价"}]


def test_what_check_would_reject_is_not_imported(tmp_path, cli):
    root = shutil.copytree(ROOT / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns(".crmctl.lock"))
    circle = workbook(tmp_path / "c.xlsx", [["客户", "姓名", "上级"], ["bj-huanwei", "张华", "李建"],
                                           ["bj-huanwei", "李建", "张华"]])
    late = workbook(tmp_path / "d.xlsx", [["日期", "客户", "方式", "我方人员", "内容", "下次日期"],
                                         ["2026-12-01", "bj-huanwei", "电话", "张明", "电话", "2026-11-01"]])
    before = tree(root)
    one = cli("import", "contacts", circle, "--repo", root)
    assert one.code == 1 and "上级关系成环" in one.err
    two = cli("import", "activities", late, "--repo", root)
    assert two.code == 1 and "F2 下次日期：下一步日期 2026-11-01 早于活动日期 2026-12-01" in two.err
    assert tree(root) == before


def test_a_customer_folder_whose_name_cannot_be_read_stops_the_import(tmp_path, cli):
    root = shutil.copytree(ROOT / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns(".crmctl.lock"))
    (root / "customers/hd-chengguan/customer.yaml").rename(root / "customers/hd-chengguan/customer.yml")
    sheet = workbook(tmp_path / "s.xlsx", [CUSTOMER_HEAD, ["北京市海淀区城市管理委员会", "政府机关", "本地", "B", "张明", "北京"]])
    before = tree(root)
    result = cli("import", "customers", sheet, "--repo", root, "--lang", "en")
    assert result.code == 1 and "customers/hd-chengguan/customer.yaml" in result.err.splitlines()[0]
    assert tree(root) == before


def test_a_rejected_rows_file_that_cannot_be_written_stops_the_import_before_the_repository(empty, cli, tmp_path):
    sheet = workbook(tmp_path / "客户.xlsx", MESSY)
    before = tree(empty)
    result = cli("import", "customers", sheet, "--repo", empty, "--skip-invalid", "--rejected",
                 tmp_path / "no-such-folder" / "r.csv")
    assert result.code == 1
    assert tree(empty) == before


def test_cells_of_several_lines_keep_them_through_the_rejected_rows(empty, cli, tmp_path):
    sheet = workbook(tmp_path / "s.xlsx", [[*CUSTOMER_HEAD, "备注"], ["甲公司", "企业", "火星", "C", "张明", "北京", "一行\n二行"]])
    assert cli("import", "customers", sheet, "--repo", empty, "--skip-invalid").code == 1
    rejected = tmp_path / "s.rejected.csv"
    rejected.write_text(rejected.read_text(encoding="utf-8").replace("火星", "本地"), encoding="utf-8")
    assert cli("import", "customers", rejected, "--repo", empty).code == 0
    assert load(empty, "customers/jia-gong-si/customer.yaml")["notes"] == "一行\n二行"


def test_mapping_defaults_are_read_as_cells_and_their_problems_located(empty, cli, tmp_path):
    sheet = tmp_path / "s.csv"
    sheet.write_text("单位全称\n甲公司\n", encoding="utf-8")
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns: {单位全称: name}\ndefaults:\n  category: 企业\n  market: 火星\n  notes: {a: 1}\n"
                       "  tags: [环卫, 新能源]\n  short_name:\n", encoding="utf-8")
    result = cli("import", "customers", sheet, "--map", mapping, "--repo", empty)
    assert result.code == 1
    assert result.err.splitlines()[1:3] == [f"    {mapping}:4:11: schema-value defaults.market：`火星` 不是可选的取值",
                                            f"    {mapping}:5:10: schema-value defaults.notes：映射或嵌套列表，不是值"]
    mapping.write_text("columns: {单位全称: name}\ndefaults: {category: 企业, market: 本地, tier: C, owner: 张明, "
                       "region: 北京, tags: [环卫, 新能源], short_name: }\n", encoding="utf-8")
    assert cli("import", "customers", sheet, "--map", mapping, "--repo", empty).code == 0
    written = load(empty, "customers/jia-gong-si/customer.yaml")
    assert written["tags"] == ["环卫", "新能源"] and "short_name" not in written


def test_a_workbook_declaring_xml_entities_is_refused_not_expanded(empty, cli, tmp_path):
    import zipfile

    good = workbook(tmp_path / "good.xlsx", [CUSTOMER_HEAD, ["甲", "企业", "本地", "C", "张明", "北京"]])
    bomb = tmp_path / "bomb.xlsx"
    entities = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' \
               '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY e SYSTEM "file:///etc/passwd">]>'
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bomb, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith("sheet1.xml"):
                text = data.decode("utf-8")
                head, _, body = text.partition("?>")
                data = (head + "?>" + entities + body.replace("<v>", "<v>&c;&e;", 1)).encode("utf-8")
            target.writestr(item, data)
    result = cli("import", "customers", bomb, "--repo", empty, "--lang", "en")
    assert result.code == 1 and "is not an Excel workbook crmctl can read" in result.err
    assert "root:" not in result.err + result.out


# -- what a second attack found ----------------------------------------------------------------

def test_a_customers_import_of_the_activities_sheet_is_refused(tmp_path, cli):
    book = tmp_path / "records.xlsx"
    assert cli("export", "xlsx", book, "--repo", ROOT / "examples").code == 0
    result = cli("import", "customers", book, "--sheet", "活动", "--repo", ROOT / "examples", "--dry-run")
    assert result.code == 1
    assert result.err.startswith(f"crmctl: {book} 的工作表「活动」看来是活动记录（表头含 日期、方式、我方人员、内容、下一步、下次日期），不是客户")


def test_a_customer_named_by_its_short_name_or_with_invisible_characters_is_that_customer(tmp_path, cli):
    root = shutil.copytree(ROOT / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns(".crmctl.lock"))
    sheet = tmp_path / "s.csv"
    sheet.write_text("客户名称,区域\n北京环卫,北京\n北京市环境卫生\u200b集团,北京\n\ufeff北京市环境卫生集团\u200d,北京\n",
                     encoding="utf-8")
    before = tree(root)
    result = cli("import", "customers", sheet, "--repo", root)
    assert result.code == 0, result.err
    assert tree(root) == before  # the name kept, no second customer


def test_text_holding_control_characters_is_refused_and_tabs_and_line_breaks_travel(tmp_path, cli, empty):
    sheet = tmp_path / "s.csv"
    sheet.write_text(",".join([*CUSTOMER_HEAD, "标签", "备注"]) + "\n"
                     '控制\x07公司,企业,本地,C,张明,北京,,\n'
                     '"制表\t公司",企业,本地,C,张明,北京,"新能源/氢能,环卫","一\r\n二"\n', encoding="utf-8")
    result = cli("import", "customers", sheet, "--repo", empty, "--skip-invalid")
    assert "A2 客户名称：含有不可见的控制字符 \\x07" in result.err
    written = load(empty, "customers/zhi-biao-gong-si/customer.yaml")
    assert (written["name"], written["tags"], written["notes"]) == ("制表\t公司", ["新能源/氢能", "环卫"], "一\r\n二")
    book = tmp_path / "records.xlsx"
    assert cli("export", "xlsx", book, "--repo", empty).code == 0
    before = tree(empty)
    again = cli("import", "customers", book, "--sheet", "客户", "--repo", empty)
    assert again.code == 0, again.err
    assert tree(empty) == before


def test_superiors_found_whatever_columns_the_rows_fill(tmp_path, cli):
    root = shutil.copytree(ROOT / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns(".crmctl.lock"))
    sheet = tmp_path / "s.csv"
    sheet.write_text("客户,标识,姓名,上级\nbj-huanwei,,张三,李四\n北京环卫,li-si,李四,\n北京市环境卫生集团,,王五,张三\n",
                     encoding="utf-8")
    result = cli("import", "contacts", sheet, "--repo", root)
    assert result.code == 0, result.err
    people = {c["name"]: c.get("reports_to") for c in load(root, "customers/bj-huanwei/contacts.yaml")["contacts"]}
    assert (people["张三"], people["王五"], people["李四"]) == ("li-si", "zhang-san", None)


def test_data_under_no_header_is_said_and_defaults_read_as_cells(empty, cli, tmp_path):
    sheet = tmp_path / "s.csv"
    sheet.write_text("客户名称,客户类型\n甲公司,企业,13900000001\n", encoding="utf-8")
    mapping = tmp_path / "m.yaml"
    mapping.write_text("defaults: {market: 本地, tier: C, owner: 张明, region: 北京, kind_or_size: 中型, "
                       "tags: [环卫, null, 新能源/电动]}\n", encoding="utf-8")
    result = cli("import", "customers", sheet, "--map", mapping, "--repo", empty)
    assert result.code == 0, result.err
    assert "未导入的列：C 列（无表头）" in result.err
    written = load(empty, "customers/jia-gong-si/customer.yaml")
    assert (written["size"], written["tags"]) == ("medium", ["环卫", "新能源/电动"])
