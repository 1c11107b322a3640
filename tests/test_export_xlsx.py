"""`--format xlsx -o FILE` of list, status, due and report: each workbook read back with openpyxl —
headers in the reader's language, dates as dates, amounts as numbers, text never a formula, the
same bytes twice — and its refusals, whole."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import get_args

import openpyxl
import pytest
import yaml

from conftest import CUSTOMER, write_repo
from crmctl.escaping import visible
from crmctl.models.common import parse_amount

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TODAY = ("--today", "2026-11-28")
AS_OF = ("--as-of", "2026-11-29")
# each command's listing, with the day it is judged on (list has none)
COMMANDS = {"list": (), "status": TODAY, "due": (*TODAY, "--within", "1m"), "report": AS_OF}


def _xlsx(cli, tmp_path: Path, *args, name: str = "out.xlsx") -> openpyxl.Workbook:
    target = tmp_path / name
    result = cli(*args, "--format", "xlsx", "-o", target)
    assert (result.code, result.out) == (0, ""), result.err
    return openpyxl.load_workbook(target)


def _rows(ws) -> list[list]:
    return [[cell.value for cell in row] for row in ws.iter_rows()]


def _excel_csv(cli, *args) -> list[list[str]]:
    result = cli(*args, "--format", "excel-csv")
    assert result.code == 0, result.err
    return list(csv.reader(io.StringIO(result.out.lstrip("\ufeff"))))


def _shown(value) -> str:
    return "" if value is None else str(value)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_list_workbook_holds_what_excel_csv_shows_with_numbers_as_numbers(cli, tmp_path, lang):
    ws = _xlsx(cli, tmp_path, "list", "--repo", EXAMPLES, "--lang", lang).active
    shown = _excel_csv(cli, "list", "--repo", EXAMPLES, "--lang", lang)
    rows = _rows(ws)
    assert rows[0] == shown[0] == ({"zh-CN": ["标识", "名称", "类别", "类型/规模", "级别", "市场", "渠道", "经销商", "负责人",
                                              "区域", "保有量"],
                                    "en": ["id", "name", "category", "kind/size", "tier", "market", "channel", "dealer",
                                           "owner", "region", "fleet"]}[lang])
    assert ws.title == {"zh-CN": "客户", "en": "Customers"}[lang]
    # every cell as excel-csv shows it: vocabulary values as labels in the reader's language
    assert [[_shown(v) for v in row] for row in rows[1:]] == shown[1:]
    assert rows[2][:5] == ["bj-huanwei", "北京市环境卫生集团", *{"zh-CN": ["政府客户", "事业单位", "A 战略客户"],
                                                             "en": ["government", "public institution", "A strategic"]}[lang]]
    fleet = [row[-1] for row in rows[1:]]
    assert all(type(n) is int for n in fleet) and fleet[1] == 312
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == f"A1:K{len(rows)}"
    assert all(cell.font.b for cell in ws[1])


def test_column_widths_count_a_chinese_character_twice(cli, tmp_path):
    from wcwidth import wcswidth

    ws = _xlsx(cli, tmp_path, "list", "--repo", EXAMPLES).active
    names = [row[1] for row in _rows(ws)[1:]]
    longest = max(names, key=len)  # 天津宏运建筑垃圾清运有限公司: 14 characters, 28 columns
    width = {col: ws.column_dimensions[col].width for col in "ABCDEFGHIJK"}
    assert wcswidth(longest) == 2 * len(longest)
    assert wcswidth(longest) <= width["B"] <= wcswidth(longest) + 4
    assert width["A"] >= len("tj-hongyun-qingyun")  # Latin: one column each
    assert width["B"] > width["A"] and width["K"] < width["A"]
    # a very long name does not make its column wider than a screen
    root = write_repo(tmp_path / "r", {"customers/acme/customer.yaml":
                                       CUSTOMER.replace("测试客户", "很长的客户名称" * 20)})
    wide = _xlsx(cli, tmp_path, "list", "--repo", root, name="wide.xlsx").active
    assert wide.column_dimensions["B"].width == 60


def test_dates_are_excel_dates_and_amounts_numbers_equal_to_the_repository(cli, tmp_path):
    due = _xlsx(cli, tmp_path, "due", "--repo", EXAMPLES, *TODAY, "--within", "1m", name="due.xlsx").active
    rows = _rows(due)
    assert rows[0] == ["到期", "天数", "事项", "客户", "项目", "负责人", "金额（CNY）", "内容"]
    first = due["A2"]
    assert isinstance(first.value, dt.datetime) and first.is_date and first.number_format == "yyyy-mm-dd"
    assert first.value.date() == dt.date(2026, 8, 16) and rows[1][1] == -104  # days: a number, negative when late
    owed = next(row for row in rows if row[2] == "应收款" and row[3] == "tj-hongyun-qingyun")
    contract = yaml.safe_load((EXAMPLES / "customers/tj-hongyun-qingyun/projects/muck-truck-2026/contract.yaml")
                              .read_text(encoding="utf-8"))
    tail = next(p for p in contract["payments"] if p["what"] == "尾款 20%")
    paid = next(r for r in contract["received"] if r["note"] == "尾款部分到账")
    assert owed[6] == parse_amount(tail["amount"]) - parse_amount(paid["amount"]) == Decimal(860000)
    assert type(owed[6]) is int and due.cell(rows.index(owed) + 1, 7).number_format == "#,##0"

    book = _xlsx(cli, tmp_path, "report", "money", "--repo", EXAMPLES, *AS_OF, name="money.xlsx")
    money = _rows(book.active)
    signed = next(row for row in money if row[0] == "tj-hongyun-qingyun")
    assert signed[2] == parse_amount(contract["value"]) == Decimal(8_300_000)
    data = json.loads(cli("report", "money", "--repo", EXAMPLES, *AS_OF, "--format", "json").out)
    assert [row[2:] for row in money[1:]] == [[Decimal(str(c[k])) for k in ("value", "received", "outstanding",
                                                                             "overdue", "deposit")]
                                              for c in data["sections"]["money"]["contracts"]]


def test_a_report_is_one_workbook_with_a_sheet_per_table_named_in_the_readers_language(cli, tmp_path):
    sections = ["funnel", "pipeline", "outcomes", "money", "care", "risks", "targets"]
    for lang, names in (("zh-CN", ["销售漏斗", "项目储备", "成交与丢单", "回款", "客户维护", "风险", "年度目标"]),
                        ("en", ["Funnel", "Pipeline", "Won and lost", "Money", "Customer care", "Risks",
                                "Yearly targets"])):
        book = _xlsx(cli, tmp_path, "report", "--repo", EXAMPLES, *AS_OF, "--lang", lang, name=f"{lang}.xlsx")
        assert book.sheetnames == names
        for ws, section in zip(book.worksheets, sections):  # each sheet: that report's table, as excel-csv has it
            shown = _excel_csv(cli, "report", section, "--repo", EXAMPLES, *AS_OF, "--lang", lang)
            rows = _rows(ws)
            assert rows[0] == shown[0] and len(rows) == len(shown), (lang, section)
            assert ws.freeze_panes == "B2"
        assert book.properties.title == {"zh-CN": "2026，截至 2026-11-29", "en": "2026, as of 2026-11-29"}[lang]
    funnel = _rows(book["Funnel"])
    # conversion: the fraction a formula reads, shown with its % sign
    assert funnel[1][8] == 0.9 and book["Funnel"]["I2"].number_format == "0%"
    fees = _xlsx(cli, tmp_path, "report", "fees", "--repo", EXAMPLES, *AS_OF, name="fees.xlsx")
    assert fees.sheetnames == ["客户开发费与维护费"]


def test_sheet_names_are_what_excel_accepts():
    from crmctl.exchange.xlsx import sheet_names

    names = sheet_names(["年/季 [草稿]: 1*2?", "很" * 40, "Funnel", "funnel", "History", "'quoted'", "", "a\x07b",
                         "x" * 31, "x" * 31])
    assert names == ["年_季 _草稿__ 1_2_", "很" * 31, "Funnel", "funnel (2)", "History (2)", "quoted", "Sheet",
                     "a_x07b", "x" * 31, "x" * 27 + " (2)"]  # a control character shown escaped, its \ barred
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)
    assert len({n.casefold() for n in names}) == len(names)
    assert sheet_names(["😀" * 20]) == ["😀" * 15]  # Excel counts UTF-16 units: 30 of 31


def test_text_that_looks_like_a_formula_stays_text_and_control_characters_are_shown(cli, tmp_path):
    hostile = "a\x1b]0;owned\x07\x1b[2J\nfake.yaml:1:1: error\u2028\u202eevil\x9b31m\tz"
    names = {"a": hostile, "b": "=HYPERLINK(\"http://x\",\"y\")", "c": "-2+3", "d": "\tpadded\r",
             "e": "@SUM(A1)\nsecond", "f": "+861012345678", "g": "=1+1\x00"}
    root = write_repo(tmp_path / "r", {f"customers/{cid}/customer.yaml":
                                       CUSTOMER.replace("name: 测试客户", f"name: {json.dumps(name)}")
                                       for cid, name in names.items()})
    target = tmp_path / "hostile.xlsx"
    result = cli("list", "--repo", root, "--format", "xlsx", "-o", target)
    assert (result.code, result.out) == (0, ""), result.err
    ws = openpyxl.load_workbook(target).active
    assert [row[:2] for row in _rows(ws)[1:]] == [[cid, visible(name)] for cid, name in names.items()]
    cells = [cell for row in ws.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    with zipfile.ZipFile(target) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", sheet)
    # Excel's own text mark (a typed leading '), so an edit of the cell does not make it a formula
    marked = {ws.cell(row, 1).value for row in range(2, ws.max_row + 1) if ws.cell(row, 2).quotePrefix}
    assert marked == {"b", "c", "e", "f", "g"}


def test_the_same_repository_gives_the_same_bytes(cli, tmp_path):
    for command, day in COMMANDS.items():
        first, second = tmp_path / f"{command}-1.xlsx", tmp_path / f"{command}-2.xlsx"
        for target in (first, second):
            assert cli(command, "--repo", EXAMPLES, *day, "--format", "xlsx", "-o", target).code == 0
        assert first.read_bytes() == second.read_bytes(), command
        with zipfile.ZipFile(first) as archive:
            stamps = {info.date_time for info in archive.infolist()}
            core = archive.read("docProps/core.xml").decode("utf-8")
        when = {"list": "1980-01-01", "status": "2026-11-28", "due": "2026-11-28", "report": "2026-11-29"}[command]
        assert stamps == {(*map(int, when.split("-")), 0, 0, 0)}, command
        assert core.count(f"{when}T00:00:00Z") == 2 and "crmctl" in core, command  # created, modified


@pytest.mark.parametrize("command", list(COMMANDS))
def test_xlsx_without_a_file_is_a_usage_error(cli, command):
    example = {"list": ("list", "customers", "客户"), "status": ("status", "projects", "项目状态"),
               "due": ("due", "due", "待办"), "report": ("report summary", "report", "报表")}[command]
    for out in ((), ("-o", "-")):
        en = cli(command, "--repo", EXAMPLES, "--format", "xlsx", *out, "--lang", "en")
        assert (en.code, en.out) == (2, "")
        assert en.err == ("crmctl: --format xlsx is a binary file (an Excel workbook): give -o FILE\n"
                          f"    e.g. crmctl {example[0]} --format xlsx -o ~/{example[1]}.xlsx\n")
        zh = cli(command, "--repo", EXAMPLES, "--format", "xlsx", *out, "--lang", "zh-CN")
        assert (zh.code, zh.out) == (2, "")
        assert zh.err == ("crmctl: --format xlsx 是二进制文件（Excel 工作簿）：请用 -o 文件 指定写到哪里\n"
                          f"    例如 crmctl {example[0]} --format xlsx -o ~/{example[2]}.xlsx\n")


def test_output_inside_the_repository_is_refused_before_reading(cli, tmp_path):
    root = write_repo(tmp_path / "r", {"customers/acme/customer.yaml": CUSTOMER})
    for command in COMMANDS:
        result = cli(command, "--repo", root, "--format", "xlsx", "-o", root / "x.xlsx", "--lang", "en")
        assert (result.code, result.out) == (2, "")
        assert result.err == (f"crmctl: --output {root / 'x.xlsx'}: that is inside the customer repository {root}\n"
                              "    write it elsewhere, e.g. --output ~/x.xlsx\n")
        assert not (root / "x.xlsx").exists()


def test_output_of_a_text_format_is_the_bytes_stdout_gets(cli, tmp_path):
    target = tmp_path / "out.txt"
    for command, day in COMMANDS.items():
        for fmt in ("table", "csv", "excel-csv", "json"):
            if command == "report" and fmt in ("csv", "excel-csv"):
                continue  # summary has several tables: csv is refused
            shown = cli(command, "--repo", EXAMPLES, *day, "--format", fmt)
            written = cli(command, "--repo", EXAMPLES, *day, "--format", fmt, "-o", target)
            assert (written.code, written.out, written.err) == (shown.code, "", shown.err), (command, fmt)
            assert target.read_bytes() == shown.out.encode("utf-8"), (command, fmt)


def test_status_of_one_project_is_its_row(cli, tmp_path):
    ws = _xlsx(cli, tmp_path, "status", "bj-huanwei", "--repo", EXAMPLES, *TODAY, "--lang", "en").active
    rows = _rows(ws)
    assert rows[0] == ["project", "name", "stage", "days", "stalled", "outcome", "next gate needs", "red flags"]
    assert len(rows) == 2 and rows[1][0] == "bj-huanwei/sweeper-renewal-2027" and type(rows[1][3]) is int
    everyone = _rows(_xlsx(cli, tmp_path, "status", "--repo", EXAMPLES, *TODAY, "--lang", "en", name="all.xlsx").active)
    assert rows[1] in everyone


def test_xlsx_is_a_choice_of_the_listings_that_write_files_and_of_report():
    from crmctl.cli import common
    from crmctl.cli.commands.report import ReportFormat
    from crmctl.cli.output import FILE_FORMATS, LISTING_FORMATS

    assert get_args(common.ListingFormat) == LISTING_FORMATS
    assert set(get_args(common.ListingOrXlsxFormat)) == {*LISTING_FORMATS, *FILE_FORMATS}
    assert "xlsx" in get_args(ReportFormat)


def test_a_cell_takes_dates_and_numbers_from_the_machine_row_and_labels_from_the_peoples():
    from crmctl.exchange.xlsx import cell_value

    assert cell_value("2026-01-02", dt.date(2026, 1, 2)) == dt.date(2026, 1, 2)
    assert cell_value("860,000", Decimal("860000")) == Decimal("860000")
    assert cell_value("是", True) == "是" and cell_value("", True) is None and cell_value(None, None) is None
    assert cell_value("A 战略客户", "A") == "A 战略客户"
    assert cell_value("nan", float("nan")) == "nan" and cell_value("", float("inf")) is None
    assert cell_value("1850-01-01", dt.date(1850, 1, 1)) == "1850-01-01"  # Excel has no dates before 1900
    assert cell_value("x", 10 ** 20) == "x"  # more digits than Excel keeps
    assert cell_value("a\nb", "a\nb") == r"a\nb"
