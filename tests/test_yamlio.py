"""The strict YAML reader: what YAML 1.1 would silently change is a located error."""

from __future__ import annotations

import pytest

from crmctl.files.yamlio import decode, parse_yaml
from crmctl.messages import Messages

EN = Messages("en")


def lines(text: str) -> list[str]:
    return [d.format() for d in parse_yaml(text, "f.yaml", EN).diagnostics]


def test_scalars_follow_yaml_1_2_core():
    doc = parse_yaml("a: 1\nb: 1.5\nc: true\nd: null\ne: ~\nf: 2026-03-01\ng: '0755'\nh: 李建\ni: 0x1F\n", "f.yaml", EN)
    assert doc.diagnostics == []
    assert doc.data == {"a": 1, "b": 1.5, "c": True, "d": None, "e": None, "f": "2026-03-01",
                        "g": "0755", "h": "李建", "i": 31}


def test_duplicate_key_is_reported_not_overwritten():
    assert lines("name: a\nname: b\n") == [
        "f.yaml:2:1: error yaml-duplicate-key key `name` appears twice in this mapping (first on line 1)\n"
        "    keep one of them; YAML would silently use only the last"
    ]


@pytest.mark.parametrize("text,reading", [("NO", "a yes/no value"), ("on", "a yes/no value"),
                                          ("Yes", "a yes/no value"), ("off", "a yes/no value")])
def test_yaml11_booleans_are_ambiguous(text, reading):
    doc = parse_yaml(f"country: {text}\n", "f.yaml", EN)
    assert doc.data == {"country": text}  # kept as written, and reported
    assert [d.format() for d in doc.diagnostics] == [
        f"f.yaml:1:10: error yaml-ambiguous-scalar `{text}` is ambiguous: YAML 1.1 tools read it as {reading}\n"
        f"    quote it ('{text}') if it is text; write true or false if it is yes/no"
    ]


def test_leading_zero_and_sexagesimal_are_ambiguous():
    assert lines("code: 0755\ntime: 12:30\nbig: 1_000\n") == [
        "f.yaml:1:7: error yaml-ambiguous-scalar `0755` is ambiguous: YAML 1.1 tools read it as an octal number\n"
        "    quote it ('0755') if it is a code or phone number; drop the leading zero if it is a number",
        "f.yaml:2:7: error yaml-ambiguous-scalar `12:30` is ambiguous: YAML 1.1 tools read it as a base-60 number\n"
        "    quote it: '12:30'",
        "f.yaml:3:6: error yaml-ambiguous-scalar `1_000` is ambiguous: YAML 1.1 tools read it as a number\n"
        "    quote it ('1_000') if it is text; write the digits without `_` if it is a number",
    ]


def test_quoted_values_are_never_ambiguous():
    assert lines("a: 'NO'\nb: \"0755\"\nc: '12:30'\n") == []


def test_tab_indentation_gets_a_hint():
    assert lines("a:\n\tb: 1\n") == [
        "f.yaml:2:1: error yaml-syntax YAML syntax error: found character that cannot start any token\n"
        "    indent with spaces, not tabs"
    ]


def test_alias_is_refused_where_it_is_used():
    assert lines("a: &x [1, 2]\nb: *x\n") == [
        "f.yaml:2:1: error yaml-alias anchors and aliases (&name / *name) are not supported; "
        "this node is used more than once\n"
        "    write the value out in full at each place it is needed"
    ]


def test_alias_bomb_is_cheap_and_located():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for prev, cur in zip("abcdefgh", "bcdefghi"):
        bomb += f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    doc = parse_yaml(bomb, "f.yaml", EN)
    assert doc.diagnostics and {d.code for d in doc.diagnostics} == {"yaml-alias"}
    assert doc.diagnostics[0].line == 2


def test_recursive_alias_terminates():
    doc = parse_yaml("a: &a [*a]\n", "f.yaml", EN)
    assert [d.code for d in doc.diagnostics] == ["yaml-alias"]


def test_deep_nesting_is_bounded():
    doc = parse_yaml("[" * 200 + "]" * 200, "f.yaml", EN)
    assert [d.code for d in doc.diagnostics] == ["yaml-too-deep"]


def test_second_document_is_an_error():
    assert lines("a: 1\n---\nb: 2\n") == [
        "f.yaml:2:1: error yaml-multiple-documents file holds more than one YAML document (a second `---`)\n"
        "    keep one document per file; remove the extra `---` line"
    ]


def test_python_tags_are_refused():
    assert [d.code for d in parse_yaml("a: !!python/object:os.system x\n", "f.yaml", EN).diagnostics] == ["yaml-tag"]


def test_explicit_str_tag_is_text():
    doc = parse_yaml("a: !!str 0755\n", "f.yaml", EN)
    assert doc.diagnostics == [] and doc.data == {"a": "0755"}


def test_empty_file_is_empty():
    doc = parse_yaml("# only a comment\n", "f.yaml", EN)
    assert doc.empty and doc.root is None and doc.diagnostics == []


def test_bom_and_crlf_load():
    text, problems = decode("\ufeffname: 李建\r\nphone: '1'\r\n".encode("utf-8"), "f.yaml", EN)
    assert problems == []
    assert parse_yaml(text, "f.yaml", EN).data == {"name": "李建", "phone": "1"}


def test_gbk_file_is_named_as_such():
    _, problems = decode("name: 北京环卫\n".encode("gbk"), "f.yaml", EN)
    assert [d.format() for d in problems] == [
        "f.yaml:1:7: error file-encoding file is not UTF-8 text (it looks like GBK/GB18030, common from Windows "
        "editors): the first undecodable byte is at offset 6\n"
        "    save it as UTF-8 (in most editors: Save with Encoding > UTF-8), or convert it: "
        "iconv -f GB18030 -t UTF-8 FILE > FILE.new"
    ]


def test_binary_junk_is_not_parsed():
    _, problems = decode(b"\x89PNG\r\n\x1a\n\x00\x00", "f.yaml", EN)
    assert [d.code for d in problems] == ["file-binary"]


def test_chinese_messages():
    doc = parse_yaml("a: 1\na: 2\n", "f.yaml", Messages("zh-CN"))
    assert doc.diagnostics[0].format() == (
        "f.yaml:2:1: error yaml-duplicate-key 键 `a` 在同一映射中出现两次(首次在第 1 行)\n"
        "    只保留一个;YAML 会悄悄只用最后一个"
    )
