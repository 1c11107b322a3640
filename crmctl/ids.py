"""Ids from names: lowercase ASCII slugs; Chinese names become hyphenated pinyin.

``北京环卫集团`` → ``bei-jing-huan-wei-ji-tuan``; ``李建`` → ``li-jian``;
``Cold Chain 冷链`` → ``cold-chain-leng-lian``. The rule is the same for every
kind of record so an id can be guessed from the name.
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


def unique_id(base: str, taken: Iterable[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` … whichever is free."""
    taken = set(taken)
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"[:ID_MAX]
