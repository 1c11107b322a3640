"""Every case of the official YAML test suite through crmctl's reader.

An invalid input gives an error, or docs/yaml.md lists it as accepted; a valid
input loads to exactly its ``in.json``, or docs/yaml.md lists the codes it is
refused with, and it gives exactly those. The table in docs/yaml.md is where
crmctl stands against the spec: this test keeps it true.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

from crmctl.files.yamlio import decode, parse_yaml
from crmctl.messages import CATALOG, Messages

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "tests" / "yaml-test-suite" / "cases"
DOC = ROOT / "docs" / "yaml.md"
EN = Messages("en")

CASES = sorted(p.parent.relative_to(SUITE).as_posix() for p in SUITE.rglob("in.yaml"))
_ROW = re.compile(r"^\| `([0-9A-Z]{4}(?:/[0-9]+)?)` \| [^|]+ \| ([^|]+) \| ([^|]+) \|$", re.M)


def _deviations() -> dict[str, tuple[frozenset[str] | None, str]]:
    """case -> (the codes it is refused with, or None if it is accepted; why)."""
    rows: dict[str, tuple[frozenset[str] | None, str]] = {}
    for case, outcome, why in _ROW.findall(DOC.read_text(encoding="utf-8")):
        assert case not in rows, f"docs/yaml.md lists {case} twice"
        codes = None if outcome.strip() == "accepted" else frozenset(re.findall(r"`([a-z0-9-]+)`", outcome))
        rows[case] = (codes, why.strip())
    return rows


DEVIATIONS = _deviations()


def _invalid(case: str) -> bool:
    return (SUITE / case / "error").exists()


def _json_documents(text: str) -> list[Any]:
    """in.json holds one JSON value per document of the stream, one after another."""
    decoder = json.JSONDecoder()
    found, i = [], 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i == len(text):
            return found
        value, i = decoder.raw_decode(text, i)
        found.append(value)


def _same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down: 1, 1.0 and True differ."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def test_the_table_lists_real_cases_with_codes_and_reasons():
    assert len(CASES) == 402
    for case, (codes, why) in DEVIATIONS.items():
        assert case in CASES, case
        assert why, case
        if codes is None:
            assert _invalid(case), f"{case} is valid: it cannot be listed as accepted"
        else:
            assert not _invalid(case), f"{case} is invalid: an error is all it needs, no listing"
            assert codes and codes <= set(CATALOG), case


def test_the_summary_counts_what_the_table_and_the_suite_hold():
    invalid = [c for c in CASES if _invalid(c)]
    accepted = [c for c in invalid if c in DEVIATIONS]
    refused = [c for c in CASES if not _invalid(c) and c in DEVIATIONS]
    valid = len(CASES) - len(invalid)
    summary = (f"Of its {len(CASES)} cases, {len(invalid)} are invalid: crmctl reports "
               f"{len(invalid) - len(accepted)} and accepts {len(accepted)}. {valid} are valid: crmctl reads "
               f"{valid - len(refused)} exactly as the suite says and refuses {len(refused)}")
    assert summary in " ".join(DOC.read_text(encoding="utf-8").split())


def test_the_format_page_links_here():
    assert "(yaml.md)" in (ROOT / "docs" / "format.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES)
def test_case(case):
    folder = SUITE / case
    text, problems = decode((folder / "in.yaml").read_bytes(), "in.yaml", EN)
    assert text is not None and problems == []
    doc = parse_yaml(text, "in.yaml", EN)
    for d in doc.diagnostics:  # located, and nothing raw from the input reaches a terminal
        assert d.line >= 1 and d.col >= 1 and d.message.isprintable() and d.hint.isprintable(), d
    errors = {d.code for d in doc.diagnostics if d.severity == "error"}
    codes, _ = DEVIATIONS.get(case, (frozenset(), ""))
    if _invalid(case):
        if codes is None:
            assert errors == set(), f"{case} is listed as accepted but is reported: update docs/yaml.md"
        else:
            assert errors, f"{case} is invalid YAML and crmctl accepts it without a word"
        return
    if codes:
        assert errors == codes, f"{case}: docs/yaml.md says {sorted(codes)}"
        return
    # a warning may point at a shape that is valid YAML yet almost always a slip; the value is still the spec's
    assert {d.code for d in doc.diagnostics} <= {"yaml-dash-in-text"}, doc.diagnostics
    assert (folder / "in.json").exists(), f"{case} has no in.json to compare with: list it in docs/yaml.md"
    expected = _json_documents((folder / "in.json").read_text(encoding="utf-8"))
    if not expected:
        assert doc.empty and doc.data is None
    else:
        assert len(expected) == 1, f"{case} holds {len(expected)} documents and was read as one"
        assert _same(doc.data, expected[0]), (doc.data, expected[0])
