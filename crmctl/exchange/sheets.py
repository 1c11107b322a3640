"""Reading a spreadsheet (.xlsx) or a delimited text (.csv, .tsv) as rows of cells, each with
the place a person finds it at: the sheet, the row and the column."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmctl.errors import UserError
from crmctl.messages import Messages

# crmctl's choice: a sales branch's customer list is a few MB at most; a bigger file is more
# likely the wrong one (or a zip bomb), and openpyxl holds a whole workbook in memory
MAX_SHEET_BYTES = 64 * 1024 * 1024
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")


@dataclass(frozen=True)
class Row:
    """One row as the sheet numbers it (1-based), its cells from column A on."""

    number: int
    cells: tuple[Any, ...]

    def cell(self, column: int) -> Any:
        """The value at ``column`` (1-based), None when the row is shorter."""
        return self.cells[column - 1] if 0 < column <= len(self.cells) else None

    @property
    def blank(self) -> bool:
        return all(v is None or (isinstance(v, str) and not v.strip()) for v in self.cells)


@dataclass
class Table:
    """The rows of one sheet. ``source`` is the file as the user named it; ``sheet`` the worksheet's
    name (None for a text file); ``encoding`` how a text file was read."""

    source: str
    sheet: str | None
    rows: list[Row]
    encoding: str | None = None
    sheets: list[str] = field(default_factory=list)


def column_letter(column: int) -> str:
    """1 -> A, 27 -> AA: how a spreadsheet names its columns."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_table(path: Path, shown: str, messages: Messages, *, sheet: str | None = None) -> Table:
    """The rows of ``path`` (``shown`` is how messages name it): an Excel workbook's sheet
    (``sheet``, else its first), or a CSV/TSV file in UTF-8 (with or without a byte-order mark),
    UTF-16 or GBK."""
    m = messages
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise UserError(m.pick(f"{shown} is an old Excel 97-2003 workbook (.xls), which crmctl does not read",
                               f"{shown} 是旧版 Excel 97-2003 工作簿（.xls），crmctl 不读取此格式"),
                        m.pick("open it in Excel or LibreOffice and save it as .xlsx or CSV",
                               "请用 Excel 或 LibreOffice 打开，另存为 .xlsx 或 CSV"))
    if suffix not in EXCEL_SUFFIXES + TEXT_SUFFIXES:
        raise UserError(m.pick(f"{shown}: crmctl imports .xlsx, .csv and .tsv files",
                               f"{shown}：crmctl 可导入 .xlsx、.csv 和 .tsv 文件"),
                        m.pick("save the sheet as .xlsx or CSV", "请将表格另存为 .xlsx 或 CSV"))
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_SHEET_BYTES:
                raise UserError(m.pick(f"{shown} is {size // 2**20} MiB; crmctl imports files up to "
                                       f"{MAX_SHEET_BYTES // 2**20} MiB", f"{shown} 大小为 {size // 2**20} MiB；"
                                       f"crmctl 可导入的文件最大 {MAX_SHEET_BYTES // 2**20} MiB"),
                                m.pick("split it into several files", "请拆分为多个文件"))
            raw = fh.read()
    except FileNotFoundError:
        raise UserError(m.pick(f"{shown}: no such file", f"{shown}：文件不存在")) from None
    except IsADirectoryError:
        raise UserError(m.pick(f"{shown} is a folder, not a file", f"{shown} 是文件夹，不是文件")) from None
    except OSError as exc:
        raise UserError(m.pick(f"cannot read {shown}: {exc.strerror}", f"无法读取 {shown}：{exc.strerror}")) from None
    if suffix in EXCEL_SUFFIXES:
        return _read_workbook(raw, shown, m, sheet)
    if sheet is not None:
        raise UserError(m.pick(f"--sheet {sheet}: {shown} is a text file, which has no sheets",
                               f"--sheet {sheet}：{shown} 是文本文件，没有工作表"),
                        m.pick("leave --sheet out", "请去掉 --sheet"))
    return _read_text(raw, shown, m, tab=suffix == ".tsv")


def _read_workbook(raw: bytes, shown: str, m: Messages, sheet: str | None) -> Table:
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # data_only: a formula's value as Excel last saved it, never the formula's text
        book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, OSError, EOFError):
        raise UserError(m.pick(f"{shown} is not an Excel workbook crmctl can read (damaged, or another format "
                               "named .xlsx)", f"{shown} 不是 crmctl 可读取的 Excel 工作簿（已损坏，或是改名为 .xlsx "
                               "的其他格式）"),
                        m.pick("open it in Excel or LibreOffice and save it again as .xlsx",
                               "请用 Excel 或 LibreOffice 打开后重新另存为 .xlsx")) from None
    names = [ws.title for ws in book.worksheets]
    if sheet is None:
        ws = book.worksheets[0]
    elif sheet in names:
        ws = book[sheet]
    else:
        raise UserError(m.pick(f"--sheet {sheet}: {shown} has no such sheet", f"--sheet {sheet}：{shown} 中没有此工作表")
                        + m.did_you_mean(sheet, names),
                        m.pick(f"its sheets: {', '.join(names)}", f"其工作表：{'、'.join(names)}"))
    rows = [Row(number, tuple(values)) for number, values in
            enumerate(ws.iter_rows(min_row=1, max_row=ws.max_row, values_only=True), start=1)]
    return Table(shown, ws.title, rows, None, names)


# how a text file's encoding is told, in this order: a byte-order mark says it; UTF-8 is
# almost never valid by accident; what is left is, on a Chinese Windows, GBK (read as GB18030,
# its superset, so no character of it is refused)
def _decode(raw: bytes, shown: str, m: Messages) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), m.pick("UTF-8 (with a BOM)", "UTF-8（带 BOM）")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "GBK"
    except UnicodeDecodeError as exc:
        raise UserError(m.pick(f"{shown}: byte {exc.start + 1} is neither UTF-8 nor GBK text",
                               f"{shown}：第 {exc.start + 1} 个字节既不是 UTF-8 也不是 GBK 文本"),
                        m.pick("save the file as CSV UTF-8 (Excel: Save As, CSV UTF-8)",
                               "请将文件另存为 CSV UTF-8（Excel：另存为，CSV UTF-8）")) from None


def _read_text(raw: bytes, shown: str, m: Messages, *, tab: bool) -> Table:
    try:
        text, encoding = _decode(raw, shown, m)
    except UnicodeDecodeError as exc:
        raise UserError(m.pick(f"{shown}: not text in the encoding its byte-order mark names ({exc.reason})",
                               f"{shown}：内容与其字节序标记所示的编码不符（{exc.reason}）"),
                        m.pick("save the file as CSV UTF-8", "请将文件另存为 CSV UTF-8")) from None
    if "\x00" in text:
        raise UserError(m.pick(f"{shown} holds NUL characters: it is not a text file",
                               f"{shown} 含有 NUL 字符：不是文本文件"),
                        m.pick("save the sheet as .xlsx or CSV UTF-8", "请将表格另存为 .xlsx 或 CSV UTF-8"))
    first_line = text.split("\n", 1)[0]
    # Excel's "Unicode text" is tab-separated UTF-16; a .csv from a European Excel uses semicolons
    delimiter = "\t" if tab or first_line.count("\t") > first_line.count(",") else (
        ";" if first_line.count(";") > first_line.count(",") else ",")
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise UserError(m.pick(f"{shown} is not readable as CSV: {exc}", f"{shown} 无法按 CSV 读取：{exc}")) from None
    rows = [Row(number, tuple(cell if cell != "" else None for cell in record))
            for number, record in enumerate(records, start=1)]
    return Table(shown, None, rows, encoding)
