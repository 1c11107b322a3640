"""Property-based tests: whatever a person or a tool writes, the reader, the amount and date
parsers and the text-preserving edits either do what they promise or say where they cannot."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import yaml

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from pydantic_core import PydanticCustomError  # noqa: E402

from crmctl.files.edit import append_to_list, dump_block  # noqa: E402
from crmctl.files.yamlio import TextSafeDumper, parse_yaml  # noqa: E402
from crmctl.messages import Messages  # noqa: E402
from crmctl.models.common import _date, parse_amount  # noqa: E402

EN = Messages("en")
# enough cases to find the odd one, few enough for the suite's five minutes
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# text as people write it: Chinese, Latin, digits, punctuation YAML cares about, spaces and breaks
TEXT = st.text(st.sampled_from(list("客户张明北京ab XYZ0123456789-_:#'\"&*!|>%@`,[]{}?.\n\t万亿元")), max_size=30)
KEY = st.text(st.sampled_from(list("abcdefgxyz_客户名")), min_size=1, max_size=8)
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-10**9, 10**9), TEXT)
DATA = st.recursive(SCALAR, lambda children: st.one_of(st.lists(children, max_size=4),
                                                       st.dictionaries(KEY, children, max_size=4)), max_leaves=12)


def _located(diagnostics, text: str) -> bool:
    # lines as YAML breaks them (libyaml: CR, LF, CRLF, NEL, LS and PS)
    lines = len(re.split("\r\n|[\r\n\x85\u2028\u2029]", text))
    return all(d.line == 0 or (1 <= d.line <= lines + 1 and d.col >= 1) for d in diagnostics)


@PROPERTY
@given(DATA)
def test_a_dumped_document_reads_back_as_itself_or_says_where(data):
    """crmctl's own dumper (what `new` and `log` write): the reader gives the same data back, or —
    where YAML 1.1 and 1.2 disagree about a plain value — a diagnostic at a line of the text."""
    text = yaml.dump({"root": data}, Dumper=TextSafeDumper, allow_unicode=True, sort_keys=False)
    doc = parse_yaml(text, "t.yaml", EN)
    assert doc.data == {"root": data} or doc.diagnostics, text
    assert _located(doc.diagnostics, text)


@PROPERTY
@given(st.text(max_size=200))
def test_any_text_reads_or_gives_located_diagnostics(text):
    """Nothing a file holds makes the reader raise; every problem it reports has a place."""
    assert _located(parse_yaml(text, "t.yaml", EN).diagnostics, text)


FEN = st.integers(0, 10**13 * 100)


@PROPERTY
@given(FEN, st.sampled_from(["plain", "commas", "wan", "yi"]), st.booleans(), st.booleans())
def test_an_amount_written_any_usual_way_is_the_same_amount(fen, style, yuan, space):
    amount = Decimal(fen) / 100
    whole, cents = divmod(fen, 100)
    if style == "plain":
        text = f"{whole}" + (f".{cents:02}" if cents else "")
    elif style == "commas":
        text = f"{whole:,}" + (f".{cents:02}" if cents else "")
    else:
        unit, size = ("万", 10**4) if style == "wan" else ("亿", 10**8)
        text = f"{(amount / size).normalize():f}" + (" " if space else "") + unit
    text += "元" if yuan else ""
    assert parse_amount(text) == amount, text


@PROPERTY
@given(st.one_of(st.text(max_size=20), st.integers(), st.floats(), st.booleans(), st.none()))
def test_any_value_is_an_amount_or_a_named_refusal(value):
    try:
        got = parse_amount(value)
    except PydanticCustomError:
        return
    assert isinstance(got, Decimal) and got == got  # never a float, never NaN


@PROPERTY
@given(st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
def test_a_calendar_day_written_iso_is_that_day(day):
    assert _date(day.isoformat()) == day


@PROPERTY
@given(st.one_of(st.text(max_size=12), st.integers(), st.floats(), st.booleans()))
def test_any_value_is_a_date_or_a_named_refusal(value):
    try:
        got = _date(value)
    except PydanticCustomError:
        return
    assert isinstance(got, dt.date) and got.isoformat() == value


LOG_ITEM = st.fixed_dictionaries({"date": st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)).map(str),
                                  "kind": st.sampled_from(["call", "visit"]), "summary": TEXT.filter(str.strip)})
# a log as a person may have written it: comments, blank lines, CRLF or LF, entries in flow or block style
LAYOUT = st.tuples(st.booleans(), st.booleans(), st.booleans(), st.sampled_from(["\n", "\r\n"]))


@PROPERTY
@given(st.lists(LOG_ITEM, max_size=3), LOG_ITEM, LAYOUT)
def test_appending_to_a_log_keeps_every_byte_before_it(entries, new, layout):
    comment, blank, flow, newline = layout
    head = "# the log, oldest first\n" if comment else ""
    if flow and not entries:
        body = "activities: []\n"
    else:
        body = "activities:\n" + dump_block(entries, indent=2, flow_leaves=True) if entries else "activities:\n"
    text = (head + body + ("\n" if blank else "")).replace("\n", newline)
    try:
        after = append_to_list(text, "activities", new, EN, rel="a.yaml", newline=newline)
    except Exception as exc:  # the splice refuses a layout it cannot keep: a UserError, nothing written
        from crmctl.errors import UserError

        assert isinstance(exc, UserError)
        return
    read = parse_yaml(after, "a.yaml", EN)
    was = parse_yaml(text, "a.yaml", EN).data["activities"] or []
    assert read.data == {"activities": [*was, parse_yaml(dump_block([new]), "i", EN).data[0]]}
    if "activities: []" not in text:  # a block list: what was there is a prefix, byte for byte
        assert after.startswith(text.rstrip("\r\n"))
    assert all(line.endswith("\r") for line in after.split("\n")[:-1]) == (newline == "\r\n")


LOOKALIKES = st.sampled_from(["NO", "no", "Yes", "ON", "off", "y", "N", "12:30", "1:15:00", "0o17", "0755"])


@PROPERTY
@given(LOOKALIKES, st.sampled_from(["", "   # 备注"]), st.sampled_from(["\n", "\r\n"]))
def test_fix_quotes_a_lookalike_and_changes_nothing_else(tmp_path_factory, word, comment, newline):
    from crmctl.checking import fixes
    from crmctl.checking.check import check_repository

    root = tmp_path_factory.mktemp("repo")
    (root / "crm.yaml").write_text("format: 1\nlanguage: en\n", encoding="utf-8")
    text = ("name: 测试客户\ncategory: enterprise\nmarket: local\ntier: B\nchannel: direct\nowner: 张明\n"
            f"region: {word}{comment}\n").replace("\n", newline)
    (root / "customers/acme").mkdir(parents=True)
    (root / "customers/acme/customer.yaml").write_bytes(text.encode("utf-8"))
    before = parse_yaml(text, "c", EN).data
    fixes.apply(root, fixes.plan(root, check_repository(root, EN).diagnostics, EN), EN)
    after = (root / "customers/acme/customer.yaml").read_bytes().decode("utf-8")
    assert after == text.replace(f"region: {word}", f"region: '{word}'")
    assert parse_yaml(after, "c", EN).data == before  # what crmctl read is what every tool reads now
    assert check_repository(root, EN).diagnostics == []
