"""A spreadsheet cell's value as crmctl stores it: the words people type for categories, markets,
tiers and attitudes; amounts such as 50万; dates as 2026/3/5, 2026年3月5日 or an Excel day number.

Each reader takes the cell as openpyxl or the CSV reader gives it (text, a number, a datetime)
and returns the stored value, or raises :class:`Unreadable` saying why, in both languages.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Any, Callable

from crmctl import vocabulary
from crmctl.escaping import controls_in


class Unreadable(ValueError):
    """A cell that is not a value of its column: ``problem`` and ``fix`` as (en, zh)."""

    def __init__(self, problem: tuple[str, str], fix: tuple[str, str]) -> None:
        super().__init__(problem[0])
        self.problem, self.fix = problem, fix


def folded(text: str) -> str:
    """``text`` as compared, not stored: full-width forms as ASCII (（ → (, Ａ → A), no white space,
    no invisible formatting characters (a zero-width space pasted in), lower case. Two names equal
    folded are one name written two ways."""
    plain = "".join(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) != "Cf")
    return re.sub(r"\s+", "", plain).lower()


# invisible and of no meaning in a record: a zero-width space and a byte-order mark pasted in
_INVISIBLE = re.compile("[\u200b\ufeff\u2060]")


def shown(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# what a cell shows when its formula failed (Excel, LibreOffice); saved, the value is this text
EXCEL_ERRORS = ("#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                "#GETTING_DATA", "Err:502", "Err:504", "Err:508", "Err:522")


def text(value: Any) -> str:
    """Text as written, spaces (the ideographic one too) trimmed; a number as its digits."""
    if isinstance(value, bool):
        raise Unreadable(("a yes/no value, not text", "是/否值，不是文本"), ("write the text", "请填写文字"))
    if isinstance(value, str):
        written = _INVISIBLE.sub("", value).strip()
        controls = controls_in(written.replace("\n", "").replace("\t", "").replace("\r", ""))
        if controls:  # invisible, and shown escaped everywhere: in a record it is a pasting accident
            raise Unreadable((f"holds the invisible control character {controls[0]}",
                              f"含有不可见的控制字符 {controls[0]}"),
                             ("delete it (most programs do not show it)", "请删除它（多数程序不显示此字符）"))
        if written in EXCEL_ERRORS:
            raise Unreadable((f"`{written}` is a formula's error, not a value", f"`{written}` 是公式的错误值，不是数据"),
                             ("correct the formula, or type the value", "请更正公式，或直接填写数值"))
        # a cell crmctl wrote with a leading ' so that a spreadsheet keeps it text (=, +, -, @)
        if written.startswith("'") and written[1:2] in ("=", "+", "-", "@"):
            written = written[1:]
        return written
    return shown(value)


def note(value: Any) -> str:
    """Text of several lines (notes): trimmed as :func:`text`, but a last line break kept, as a
    YAML block of several lines ends with one."""
    written = text(value)
    return written + "\n" if isinstance(value, str) and "\n" in written and \
        value.rstrip(" \t\u3000").endswith("\n") else written


# a date as people write it in China, and as a CSV from Excel has it
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
# Excel counts days from 1899-12-30 (its 1900 leap-year bug folded in); 2958465 is 9999-12-31
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_LAST_DAY = 2958465
_DATE_FIX = ("write it as 2026-03-05, 2026/3/5 or 2026年3月5日, or format the cell as a date",
             "请写作 2026-03-05、2026/3/5 或 2026年3月5日，或把单元格设为日期格式")


def date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value <= _EXCEL_LAST_DAY and float(value).is_integer():
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))  # a date cell saved as its day number
        raise Unreadable((f"{shown(value)} is not a date", f"{shown(value)} 不是日期"), _DATE_FIX)
    written = unicodedata.normalize("NFKC", text(value))
    match = _DATE.fullmatch(written) or _COMPACT_DATE.fullmatch(written)
    if match is None and written.isdigit() and 1 <= int(written) <= _EXCEL_LAST_DAY and len(written) <= 7:
        return _EXCEL_EPOCH + dt.timedelta(days=int(written))  # a CSV of a date cell: its day number
    if match is None:
        raise Unreadable((f"`{written}` is not a date", f"`{written}` 不是日期"), _DATE_FIX)
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise Unreadable((f"`{written}` is not a day on the calendar", f"`{written}` 不是日历上存在的日期"),
                         ("check the month and day", "请检查月份和日期")) from None


_COUNT = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(万)?\s*(台|辆|部|个|人)?")


def count(value: Any) -> int:
    """A whole number of vehicles or people: 120, 120台, 1.2万 (12000)."""
    if isinstance(value, bool):
        raise Unreadable(("a yes/no value, not a number", "是/否值，不是数字"), ("write the number", "请填写数字"))
    if isinstance(value, (int, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        written = unicodedata.normalize("NFKC", text(value)).replace(",", "")
        match = _COUNT.fullmatch(written)
        if match is None:
            raise Unreadable((f"`{written}` is not a number", f"`{written}` 不是数字"),
                             ("write digits, e.g. 120 or 120台", "请填写数字，例如 120 或 120台"))
        number = Decimal(match.group(1)) * (10**4 if match.group(2) else 1)
    if not number.is_finite() or number != number.to_integral_value() or number < 0:
        raise Unreadable((f"{shown(value)} is not a whole number", f"{shown(value)} 不是非负整数"),
                         ("write a whole number", "请填写整数"))
    if number > COUNT_MAX:
        raise Unreadable((f"{shown(value)} is more than {COUNT_MAX:,}", f"{shown(value)} 大于 {COUNT_MAX:,}"),
                         ("correct the number", "请更正该数字"))
    return int(number)


COUNT_MAX = 10**7  # as the models bound a count (models.common.Count)


def amount(value: Any) -> Decimal:
    """Money as crmctl reads it in a file: 500000, 500,000, 50万, 1.2亿, 50万元."""
    from pydantic_core import PydanticCustomError

    from crmctl.models.common import parse_amount

    written = value if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) else \
        unicodedata.normalize("NFKC", text(value)).replace("¥", "").replace("￥", "").strip()
    try:
        return parse_amount(written)
    except PydanticCustomError:
        raise Unreadable((f"`{shown(value)}` is not an amount", f"`{shown(value)}` 不是金额"),
                         ("write it as 500000, 500,000, 50万 or 1.2亿", "请写作 500000、500,000、50万 或 1.2亿")) from None


_SHORTENED = re.compile(r"[0-9](\.[0-9]+)?[eE]\+?[0-9]+")


def phone(value: Any) -> str:
    """A phone number as its digits: Excel keeps 13911002233 as a number (a leading 0 it has
    already dropped; nothing can bring it back). Shown shortened (1.3873E+10) and saved so, the
    digits are gone: refused."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    written = unicodedata.normalize("NFKC", text(value))
    if _SHORTENED.fullmatch(written):
        raise Unreadable((f"`{written}` is a number Excel shortened: the phone's digits are lost",
                          f"`{written}` 是 Excel 缩写显示的数字：电话号码的各位数字已丢失"),
                         ("format the column as text and type the number again",
                          "请把该列设为文本格式，重新输入号码"))
    return written


_YES = {"是", "有", "y", "yes", "true", "1", "√", "✓", "跨区域"}
_NO = {"否", "无", "n", "no", "false", "0", "×", "✗", "不跨区域"}


def yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    written = folded(text(value))
    if written in _YES:
        return True
    if written in _NO:
        return False
    raise Unreadable((f"`{text(value)}` is not yes or no", f"`{text(value)}` 不是「是」或「否」"),
                     ("write 是 or 否", "请填写「是」或「否」"))


def words(value: Any) -> list[str]:
    """A list written in one cell: 环卫、新能源 / 环卫, 新能源 / 环卫;新能源."""
    # not a slash: a tag may hold one (新能源/氢能)
    return [part for part in (p.strip() for p in re.split(r"[,，、;；\n]+", text(value))) if part]


# Words people type for a value beyond its own labels (vocabulary.py): the manual's words and
# the usual spreadsheet shorthand. Folded (folded()) before they are compared.
SYNONYMS: dict[str, dict[str, str]] = {
    "category": {"政府": "government", "政府单位": "government", "机关单位": "government", "企业": "enterprise",
                 "公司": "enterprise", "国企": "enterprise", "民企": "enterprise", "私企": "enterprise",
                 "个人": "individual", "个体": "individual", "个人客户": "individual", "个体客户": "individual"},
    "kind": {"机关": "agency", "行政机关": "agency", "事业": "institution", "协会": "association",
             "团体": "association", "行业协会": "association", "个体户": "self_employed",
             "个体工商户": "self_employed"},
    "size": {"大": "large", "大型企业": "large", "中": "medium", "中型企业": "medium", "小": "small",
             "小型企业": "small", "小微": "small"},
    "tier": {"a类": "A", "a级": "A", "a类客户": "A", "战略": "A", "战略客户": "A", "b类": "B", "b级": "B",
             "b类客户": "B", "重点": "B", "重点客户": "B", "c类": "C", "c级": "C", "c类客户": "C", "一般": "C",
             "一般客户": "C"},
    "market": {"本地": "local", "本市": "local", "本区域": "local", "国内": "domestic", "外地": "domestic",
               "国际": "international", "海外": "international", "境外": "international", "出口": "international"},
    "channel": {"直销": "direct", "直营": "direct", "直接": "direct", "分销": "dealer", "经销": "dealer",
                "经销商": "dealer", "代理": "dealer", "代理商": "dealer"},
    "importance": {"高": "high", "重要": "high", "很重要": "high", "中": "medium", "一般": "medium",
                   "低": "low", "不重要": "low"},
    "level": {"决策": "decision_maker", "决策层": "decision_maker", "管理": "manager", "管理层": "manager",
              "执行": "executor", "执行层": "executor", "操作层": "executor"},
    "function": {"使用部门": "user", "使用": "user", "技术": "technical", "采购部": "procurement",
                 "财务部": "finance", "车管": "fleet", "车辆管理": "fleet", "拍板人": "final_approver",
                 "最终决策人": "final_approver"},
    "influence": {"大": "high", "强": "high", "一般": "medium", "小": "low", "弱": "low"},
    "attitude": {"支持": "supporter", "友好": "supporter", "中立": "neutral", "反对": "opponent",
                 "敌对": "opponent", "未知": "unknown", "不详": "unknown", "不明": "unknown"},
    "activity_kind": {"电话沟通": "call", "电话拜访": "call", "来电": "call", "上门拜访": "visit", "走访": "visit",
                      "会谈": "meeting", "开会": "meeting", "微信": "message", "短信": "message", "试车": "demo",
                      "交流": "exchange", "商务谈判": "negotiation", "关怀": "care", "其它": "other"},
}
VOCABULARIES: dict[str, vocabulary.Vocabulary] = {
    "category": vocabulary.CATEGORY, "kind": vocabulary.KIND, "size": vocabulary.SIZE, "tier": vocabulary.TIER,
    "market": vocabulary.MARKET, "channel": vocabulary.CHANNEL,
    "importance": vocabulary.IMPORTANCE,
    "level": vocabulary.LEVEL, "function": vocabulary.FUNCTION, "influence": vocabulary.INFLUENCE,
    "attitude": vocabulary.ATTITUDE, "activity_kind": vocabulary.ACTIVITY_KIND,
}


def _words_for(name: str) -> dict[str, str]:
    """Every folded word that names a value of vocabulary ``name``: the value, its labels, the
    synonyms."""
    known: dict[str, str] = {}
    for value, (en, zh) in VOCABULARIES[name].items():
        for word in (value, en, zh, zh.split(" ")[-1]):
            known[folded(word)] = value
    known.update({folded(word): value for word, value in SYNONYMS.get(name, {}).items()})
    return known


def choice(name: str) -> Callable[[Any], str]:
    """The reader of a value of vocabulary ``name`` written in either language."""
    known = _words_for(name)

    def read(value: Any) -> str:
        written = text(value)
        found = known.get(folded(written))
        if found is None:
            labels = VOCABULARIES[name]
            raise Unreadable((f"`{written}` is not one of the values", f"`{written}` 不是可选的取值"),
                             ("use one of: " + ", ".join(labels),
                              "可选：" + "、".join(zh for _, zh in labels.values())))
        return found

    return read
