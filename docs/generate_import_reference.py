"""Writes docs/import.md's tables of the headers crmctl import recognises, from crmctl itself.

    python docs/generate_import_reference.py      (tests/test_import.py checks docs/import.md is current)
"""

from __future__ import annotations

from pathlib import Path

from crmctl.exchange.columns import FIELDS, IGNORED_HEADERS

DOC = Path(__file__).resolve().parent / "import.md"
START, END = "<!-- generated: headers -->", "<!-- end generated -->"
TITLES = {"customers": "crmctl import customers", "contacts": "crmctl import contacts",
          "activities": "crmctl import activities"}


def tables() -> str:
    parts = []
    for kind, fields in FIELDS.items():
        parts.append(f"### `{TITLES[kind]}`\n\n| field | 表头 | header | also recognised |\n|---|---|---|---|\n")
        for field in fields.values():
            also = ", ".join(field.headers)
            parts.append(f"| `{field.key}` | {field.label[1]} | {field.label[0]} | {also} |\n")
        parts.append("\n")
    parts.append("Columns headed " + ", ".join(f"`{h}`" for h in IGNORED_HEADERS)
                 + " are known and not imported (a row number, the problem column of a rejected-rows file).\n")
    return "".join(parts)


def document(current: str) -> str:
    head, _, rest = current.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{tables()}{END}{tail}"


if __name__ == "__main__":
    DOC.write_text(document(DOC.read_text(encoding="utf-8")), encoding="utf-8")
