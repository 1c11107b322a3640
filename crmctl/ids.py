"""Ids from names: lowercase ASCII slugs; Chinese names become hyphenated pinyin.

``北京环卫集团`` → ``bei-jing-huan-wei-ji-tuan``; ``Cold Chain 冷链`` →
``cold-chain-leng-lian``; a person as names are written in pinyin, ``王志刚`` →
``wang-zhigang``. The rule is the same for every record of a kind, so an id can
be guessed from the name.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ID_RE = re.compile(ID_PATTERN)
ID_MAX = 64


def is_valid_id(value: str) -> bool:
    """Lowercase letters, digits and single inner hyphens, at most 64 characters."""
    return len(value) <= ID_MAX and bool(ID_RE.match(value))


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_TOKEN = re.compile(r"[a-z0-9]+")


def _romanise(name: str) -> str:
    if not _HAN.search(name):
        return name
    from pypinyin import Style, lazy_pinyin  # 200 ms to import: only when needed

    return " ".join(lazy_pinyin(name, style=Style.NORMAL, errors="default", v_to_u=False))


def slugify(name: str, max_length: int = 48) -> str:
    """A valid id for ``name``, or '' when nothing usable is left."""
    text = unicodedata.normalize("NFKD", _romanise(name))
    text = text.encode("ascii", "ignore").decode().lower()
    tokens = _TOKEN.findall(text)
    slug = ""
    for token in tokens:
        candidate = f"{slug}-{token}" if slug else token
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug and tokens:
        slug = tokens[0][:max_length]
    return slug


# Two-character surnames, and surnames read otherwise than their character's first reading. The
# list is crmctl's choice: the common ones (百家姓), enough that 欧阳 stays one word and 单 reads shan.
_COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 南宫 西门 独孤 百里 呼延 "
    "轩辕 万俟 闻人 澹台 公冶 太史 申屠 钟离 赫连 濮阳 第五".split())
_SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "仇": "qiu", "解": "xie", "区": "ou", "朴": "piao", "查": "zha", "盖": "ge",
    "覃": "qin", "乐": "yue", "缪": "miao", "翟": "zhai", "秘": "bi", "折": "she", "种": "chong", "召": "shao",
    "尉迟": "yuchi", "长孙": "zhangsun", "万俟": "moqi", "员": "yun", "繁": "po", "句": "gou", "厍": "she",
    "隗": "wei", "冼": "xian", "柏": "bai", "藏": "zang", "黑": "he", "过": "guo", "谌": "chen", "阚": "kan",
}
_PERSON = re.compile(r"[\u3400-\u9fff]{2,5}\Z")


def person_slug(name: str) -> str:
    """A person's id the way Chinese names are written in pinyin: surname, hyphen, given name as one
    word (王志刚 → ``wang-zhigang``, 欧阳明 → ``ouyang-ming``, 单田芳 → ``shan-tianfang``). Anything
    but a name of two to five Chinese characters is slugified as other names are."""
    if not _PERSON.match(name):
        return slugify(name)
    from pypinyin import Style, lazy_pinyin

    cut = 2 if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else 1
    surname, given = name[:cut], name[cut:]
    family = _SURNAME_READINGS.get(surname) or "".join(lazy_pinyin(surname, style=Style.NORMAL))
    return slugify(f"{family} {''.join(lazy_pinyin(given, style=Style.NORMAL))}")


def unique_id(base: str, taken: Iterable[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` … whichever is free."""
    taken = set(taken)
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"[:ID_MAX]
