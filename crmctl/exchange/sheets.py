"""Reading a spreadsheet (.xlsx) or a delimited text (.csv, .tsv) as rows of cells, each with
the place a person finds it at: the sheet, the row and the column."""

from __future__ import annotations

import csv
import io
import os
import stat
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
    merged_down: list[tuple[int, int, int]] = field(default_factory=list)  # (column, first row, last row)

    def with_merges_below(self, header_row: int) -> Table:
        """The rows with a value merged down a column below ``header_row`` (a customer's name over the
        rows of its two contacts) standing in each row of the merge. A merge in the header (a
        two-line header) or across columns (a title) is left in its first cell."""
        filled = {row.number: list(row.cells) for row in self.rows}
        for column, first, last in self.merged_down:
            value = filled.get(first, [])[column - 1] if len(filled.get(first, [])) >= column else None
            if first <= header_row or value is None:
                continue
            for number in range(first + 1, last + 1):
                cells = filled.setdefault(number, [])
                cells.extend([None] * (column - len(cells)))
                cells[column - 1] = value
        rows = [Row(number, tuple(cells)) for number, cells in sorted(filled.items())]
        return Table(self.source, self.sheet, rows, self.encoding, self.sheets, self.merged_down)


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
        # opened without waiting (a pipe would hang the run) and read only if a plain file: a
        # device such as /dev/zero never ends
        with os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise UserError(m.pick(f"{shown} is not a plain file (a pipe, a device or a folder)",
                                       f"{shown} 不是普通文件（管道、设备或文件夹）"),
                                m.pick("save the sheet as a file and import that", "请将表格保存为文件后导入"))
            raw = fh.read(MAX_SHEET_BYTES + 1)
            if len(raw) > MAX_SHEET_BYTES:
                raise UserError(m.pick(f"{shown} is larger than {MAX_SHEET_BYTES // 2**20} MiB, the most crmctl "
                                       "imports", f"{shown} 大于 {MAX_SHEET_BYTES // 2**20} MiB，超出 crmctl 可导入的上限"),
                                m.pick("split it into several files", "请拆分为多个文件"))
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
    # what a damaged or foreign archive makes openpyxl raise: its XML parsers' errors are
    # SyntaxErrors (an entity bomb or an external entity among them: refused, never expanded)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, OSError, EOFError,
            IndexError, AttributeError, SyntaxError):
        raise UserError(m.pick(f"{shown} is not an Excel workbook crmctl can read (damaged, or another format "
                               "named .xlsx)", f"{shown} 不是 crmctl 可读取的 Excel 工作簿（已损坏，或是改名为 .xlsx "
                               "的其他格式）"),
                        m.pick("open it in Excel or LibreOffice and save it again as .xlsx",
                               "请用 Excel 或 LibreOffice 打开后重新另存为 .xlsx")) from None
    names = [ws.title for ws in book.worksheets]
    if sheet is None:  # the first a person sees: a hidden sheet holds what they do not look at
        ws = next((w for w in book.worksheets if w.sheet_state == "visible"), book.worksheets[0])
    elif sheet in names:
        ws = book[sheet]
    else:
        raise UserError(m.pick(f"--sheet {sheet}: {shown} has no such sheet", f"--sheet {sheet}：{shown} 中没有此工作表")
                        + m.did_you_mean(sheet, names),
                        m.pick(f"its sheets: {', '.join(names)}", f"其工作表：{'、'.join(names)}"))
    merged_down = sorted((r.min_col, r.min_row, r.max_row) for r in ws.merged_cells.ranges if r.min_col == r.max_col)
    return Table(shown, ws.title, _rows_of(ws), None, names, merged_down)


def _rows_of(ws: Any) -> list[Row]:
    """The sheet's rows that hold something, each as wide as its last value. Taken from the cells
    the sheet has (openpyxl's own store of them), not by walking its rectangle: one stray cell at
    XFD1048576 would make that 17 billion cells."""
    filled: dict[int, dict[int, Any]] = {}
    for (row, column), cell in ws._cells.items():
        if cell.value is not None:
            filled.setdefault(row, {})[column] = cell.value
    return [Row(row, tuple(cells.get(c) for c in range(1, max(cells) + 1))) for row, cells in sorted(filled.items())]


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
    except UnicodeDecodeError as exc:
        first = exc.start
    # UTF-8 but for a stray byte or two (a cell pasted from elsewhere): read as GBK it would be
    # garbage throughout (北京 as 鍖椾含), so it is said where the byte is
    replaced = raw.decode("utf-8", errors="replace")
    wrong, wide = replaced.count("\ufffd"), sum(ord(c) > 0x7F for c in replaced)
    if wide - wrong >= 4 * wrong:
        line = raw[:first].count(b"\n") + 1
        raise UserError(m.pick(f"{shown}:{line}: byte {first + 1} is not UTF-8, though the rest of the file is",
                               f"{shown}:{line}：第 {first + 1} 个字节不是 UTF-8，而文件其余部分是"),
                        m.pick("correct that line, or save the file again as CSV UTF-8",
                               "请更正该行，或将文件重新另存为 CSV UTF-8"))
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
    # strict: a quote left open would swallow every row after it into one cell
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        while True:
            line = reader.line_num + 1  # where the record starts: a quote left open is there
            records.append(next(reader))
    except StopIteration:
        pass
    except csv.Error as exc:
        raise UserError(m.pick(f"{shown}:{line}: not readable as CSV ({exc}): a quote left open, or a cell "
                               "longer than 128 KiB", f"{shown}:{line}：无法按 CSV 读取（{exc}）：引号未闭合，"
                               "或单元格超过 128 KiB"),
                        m.pick("close the quote (a \" inside a cell is written \"\"), or shorten the cell",
                               "请闭合引号（单元格内的 \" 应写作 \"\"），或缩短该单元格")) from None
    rows = [Row(number, tuple(cell if cell != "" else None for cell in record))
            for number, record in enumerate(records, start=1)]
    return Table(shown, None, rows, encoding)
