"""Tables as an Excel workbook (``--format xlsx``), written by openpyxl.

Each :class:`Sheet` is one table: its headers in the reader's language in a bold first row,
frozen with the first column, under an autofilter. A cell holds the machine row's value when
that is a date or a number (so Excel sorts, sums and filters them as such) and the people's row
otherwise: a vocabulary value as its label, a flag as "是"/"yes". Text is written as text, never
as a formula, and with its control characters shown as escapes, as everywhere else
(:func:`crmctl.escaping.visible`): XML cannot hold most of them, and a line break in a cell
would split a record a reader copies out.

The same tables and ``stamp`` give the same bytes: the document properties carry ``stamp``,
not the time of writing, and every member of the zip archive the same date.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Sequence

from crmctl.escaping import visible

# what a spreadsheet starts a formula with; such text gets Excel's own text mark (the quote
# prefix a person types as a leading '), which also keeps it text when the cell is edited
FORMULA_START = ("=", "+", "-", "@")
# what Excel allows no sheet name to hold, and its longest (in UTF-16 units)
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31
# Excel keeps this name for the change history of a shared workbook
_RESERVED_SHEET_NAMES = {"history"}
# column widths in Excel's units (about one Latin letter; a Chinese character takes two)
WIDTH_MIN, WIDTH_MAX = 6, 60
# a number of more digits than a double holds is written as text, so no digit is lost
_EXACT_DIGITS = 15
# when no day is given: the earliest date a zip archive can hold
EPOCH = dt.datetime(1980, 1, 1)
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


@dataclass(frozen=True)
class Sheet:
    """One table: ``columns`` (key, header), ``rows`` for people (labels in their language),
    ``machine_rows`` the same rows with raw values (dates, numbers, amounts)."""

    title: str
    columns: Sequence[tuple[str, str]]
    rows: Sequence[dict[str, Any]]
    machine_rows: Sequence[dict[str, Any]]
    # a record's line breaks and tabs kept in its cell, for a sheet to be re-imported; every other
    # control character is still shown escaped
    line_breaks: bool = False


def sheet_names(titles: Sequence[str], fallback: str = "Sheet") -> list[str]:
    """Names Excel accepts for ``titles``, in order: without ``[]:*?/\\`` and control characters,
    not starting or ending with an apostrophe, at most 31 characters, and unique as Excel compares
    them (ignoring case) — a repeated one gets `` (2)``, `` (3)`` … within the 31."""
    names: list[str] = []
    taken: set[str] = set()
    for title in titles:
        base = _SHEET_FORBIDDEN.sub("_", visible(title)).strip().strip("'").strip() or fallback
        name, n = _clip(base, SHEET_NAME_MAX), 1
        while name.casefold() in taken or name.casefold() in _RESERVED_SHEET_NAMES:
            n += 1
            suffix = f" ({n})"
            name = _clip(base, SHEET_NAME_MAX - len(suffix)).rstrip().rstrip("'") + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def _clip(text: str, units: int) -> str:
    """``text`` cut to ``units`` UTF-16 code units (Excel's count), never inside a character."""
    out, used = [], 0
    for char in text:
        used += 2 if ord(char) > 0xFFFF else 1
        if used > units:
            break
        out.append(char)
    return "".join(out)


def cell_value(shown: Any, raw: Any, line_breaks: bool = False) -> Any:
    """What a cell holds: ``raw`` (the machine row's value) when it is a date or a number, else
    ``shown`` (the people's row's) as text; a flag as the people's label when there is one."""
    if isinstance(raw, bool):
        if isinstance(shown, bool):
            return shown
    elif isinstance(raw, (dt.date, int, float, Decimal)) and _fits(raw):
        return raw
    if shown is None or shown == "":
        return None
    if isinstance(shown, bool) or (isinstance(shown, (dt.date, int, float, Decimal)) and _fits(shown)):
        return shown
    if line_breaks and isinstance(shown, str):
        from crmctl.escaping import visible_in_cell

        return visible_in_cell(shown)
    return _text(shown)


def _fits(value: Any) -> bool:
    """Whether Excel holds ``value`` as it is: a finite number of at most 15 digits, a date from
    1900 on (before, Excel has no serial numbers), a time without a time zone."""
    if isinstance(value, dt.datetime):
        return value.tzinfo is None and value.year >= 1900
    if isinstance(value, dt.date):
        return value.year >= 1900
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, int):
        return abs(value) < 10 ** _EXACT_DIGITS
    if isinstance(value, Decimal):
        return value.is_finite() and abs(value) < 10 ** _EXACT_DIGITS and len(value.as_tuple().digits) <= _EXACT_DIGITS
    return False


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    return visible(value if isinstance(value, str) else str(value))


def _width(value: Any) -> int:
    """The columns ``value`` takes on screen: East Asian wide characters count two."""
    from wcwidth import wcswidth

    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 19
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return len(f"{value:,}")
    text = str(value)
    width = wcswidth(text)
    return width if width >= 0 else len(text)


def _number_format(value: Any, shown: Any) -> str | None:
    """How Excel shows ``value``: a date as a date; an amount (a Decimal, or a number the people's
    row shows with thousands separators) with them; a percentage with its sign; else as it is."""
    if isinstance(value, dt.datetime):
        return DATETIME_FORMAT
    if isinstance(value, dt.date):
        return DATE_FORMAT
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal) or (isinstance(value, (int, float)) and isinstance(shown, str) and "," in shown):
        return "#,##0" if value == int(value) else "#,##0.00"
    if _percent(value, shown):
        return "0%" if float(value) * 100 == int(float(value) * 100) else "0.0%"
    return None


def _percent(value: Any, shown: Any) -> bool:
    """A number the people's row shows as a percentage (90 as "90%"): Excel holds it as 0.9,
    shown with its % format, so a formula reads it as the fraction it is."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and isinstance(shown, str) \
        and shown.endswith("%")


def _excel_number(value: Any) -> Any:
    """A Decimal as Excel stores numbers (an int when whole, else a float)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def workbook(sheets: Sequence[Sheet], *, stamp: dt.date | None = None, title: str = "",
             language: str = "") -> bytes:
    """The workbook of ``sheets``, one worksheet each, as the bytes of an .xlsx file.
    ``stamp``: the day its properties say it was made (default :data:`EPOCH`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    when = _moment(stamp)
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for sheet, name in zip(sheets, sheet_names([s.title for s in sheets])):
        ws = book.create_sheet(name)
        widths = [_width(_text(header)) + 2 for _, header in sheet.columns]  # and the filter's button
        for col, (_, header) in enumerate(sheet.columns, start=1):
            _put(ws.cell(row=1, column=col), _text(header)).font = bold
        for r, (shown, raw) in enumerate(zip(sheet.rows, sheet.machine_rows), start=2):
            for col, (key, _) in enumerate(sheet.columns, start=1):
                value = cell_value(shown.get(key), raw.get(key), sheet.line_breaks)
                _put(ws.cell(row=r, column=col), value, shown.get(key))
                widths[col - 1] = max(widths[col - 1], _width(value))
        for col, width in enumerate(widths, start=1):  # a margin: a number too wide shows as ####
            ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, WIDTH_MIN), WIDTH_MAX)
        if sheet.columns:
            ws.freeze_panes = "B2"  # the header row and the first column (the record's id) stay in view
            ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{len(sheet.rows) + 1}"
    if not sheets:
        book.create_sheet("Sheet")  # a workbook holds at least one sheet
    props = book.properties
    props.creator, props.lastModifiedBy = "crmctl", None
    props.created = props.modified = when
    props.title = _text(title) or None
    props.language = language or None
    return _zip_dated(_saved(book), when)


def _put(cell: Any, value: Any, shown: Any = None) -> Any:
    """``value`` into ``cell``: numbers as numbers with their format (after ``shown``, what the
    people's row shows), text always as text."""
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl would take text starting with = for a formula
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
        return cell
    if _percent(value, shown):
        value = value / 100
    cell.value = _excel_number(value)
    number_format = _number_format(value, shown)
    if number_format is not None:
        cell.number_format = number_format
    return cell


def _moment(stamp: dt.date | None) -> dt.datetime:
    if stamp is None:
        return EPOCH
    if isinstance(stamp, dt.datetime):
        return stamp.replace(tzinfo=None, microsecond=0)
    return dt.datetime(stamp.year, stamp.month, stamp.day)


def _saved(book: Any) -> bytes:
    """The workbook's bytes. Through openpyxl's writer itself: ``Workbook.save`` would stamp the
    time of writing into the properties."""
    from openpyxl.writer.excel import ExcelWriter

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(book, archive).write_data()
    return out.getvalue()


def _zip_dated(data: bytes, when: dt.datetime) -> bytes:
    """The archive again, its members in the same order, each dated ``when`` (a zip holds dates
    from 1980 to 2107) with the same permissions: openpyxl dates them when it writes them."""
    if when.year < 1980:
        stamp: tuple[int, ...] = (1980, 1, 1, 0, 0, 0)
    elif when.year > 2107:
        stamp = (2107, 12, 31, 0, 0, 0)
    else:
        stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for member in source.infolist():
            dated = zipfile.ZipInfo(member.filename, date_time=stamp)
            dated.compress_type = zipfile.ZIP_DEFLATED
            dated.external_attr = 0o644 << 16
            archive.writestr(dated, source.read(member))
    return out.getvalue()
