"""The strict YAML reader: what YAML 1.1 would silently change is a located error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from crmctl.files import yamlio
from crmctl.files.yamlio import decode, parse_yaml, read_yaml
from crmctl.messages import Messages

EN = Messages("en")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


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


@pytest.mark.parametrize("text,first", [
    ("k: &v note\n*v : 1\nnote: a\nnote: b\n", 3),  # an alias used as a key is refused, not the first `note`
    ('?\n: stray\n"": a\n"": b\n', 3),  # a missing key is refused, not the first empty one
    ("! : x\n'': a\n'': b\n", 2),
])
def test_a_repeated_key_names_the_first_that_was_taken(text, first):
    found = [d for d in parse_yaml(text, "f.yaml", EN).diagnostics if d.code == "yaml-duplicate-key"]
    assert len(found) == 1 and found[0].message.endswith(f"(first on line {first})"), found


@pytest.mark.parametrize("text,reading", [("NO", "a yes/no value"), ("on", "a yes/no value"),
                                          ("Yes", "a yes/no value"), ("off", "a yes/no value")])
def test_yaml11_booleans_are_ambiguous(text, reading):
    doc = parse_yaml(f"country: {text}\n", "f.yaml", EN)
    assert doc.data == {"country": text}  # kept as written, and reported
    assert [d.format() for d in doc.diagnostics] == [
        f"f.yaml:1:10: error yaml-ambiguous-scalar `{text}` is ambiguous: YAML 1.1 tools read it as {reading}\n"
        f"    quote it ('{text}') if it is text; write `true` or `false` if it is yes/no"
    ]


def test_leading_zero_and_sexagesimal_are_ambiguous():
    assert lines("code: 0755\ntime: 12:30\nbig: 1_000\nphone: 03118765432\n") == [
        "f.yaml:1:7: error yaml-ambiguous-scalar `0755` is ambiguous: YAML 1.1 tools read it as an octal number,"
        " YAML 1.2 tools as 755 (the leading zero dropped)\n"
        "    quote it ('0755') if it is a code or phone number; drop the leading zero if it is a number",
        "f.yaml:2:7: error yaml-ambiguous-scalar `12:30` is ambiguous: YAML 1.1 tools read it as a base-60 number\n"
        "    quote it: '12:30'",
        "f.yaml:3:6: error yaml-ambiguous-scalar `1_000` is ambiguous: YAML 1.1 tools read it as a number\n"
        "    quote it ('1_000') if it is text; write it in decimal digits without `_` if it is a number",
        "f.yaml:4:8: error yaml-ambiguous-scalar `03118765432` is ambiguous: YAML 1.1 tools read it as text,"
        " YAML 1.2 tools as the number 3118765432 (the leading zero dropped)\n"
        "    quote it ('03118765432') if it is a code or phone number; drop the leading zero if it is a number",
    ]


def test_an_ambiguous_value_is_one_error_not_a_type_error_too(tmp_path):
    from crmctl.checking.check import check_repository

    shutil.copytree(EXAMPLES, tmp_path / "r")
    customer = tmp_path / "r/customers/bj-huanwei/customer.yaml"
    customer.write_text(customer.read_text(encoding="utf-8").replace("price: 420000", "price: 1e6", 1), encoding="utf-8")
    found = [d for d in check_repository(tmp_path / "r", EN).diagnostics if d.path.endswith("bj-huanwei/customer.yaml")]
    assert [(d.code, d.line) for d in found] == [("yaml-ambiguous-scalar", 30)]


def test_quoted_values_are_never_ambiguous():
    assert lines("a: 'NO'\nb: \"0755\"\nc: '12:30'\n") == []


TAB = ("error yaml-tab tab character in the indentation: YAML indents with spaces only\n"
       "    replace the tab with spaces (most editors can be set to insert spaces for Tab)")


def test_tab_indentation_is_named_as_such():
    assert lines("a:\n\tb: 1\n") == [f"f.yaml:2:1: {TAB}"]


def test_a_tab_on_a_continuation_line_is_reported_though_libyaml_reads_it():
    assert lines('note: "call\n\tback"\ntags: [a,\n\tb]\n') == [f"f.yaml:2:1: {TAB}", f"f.yaml:4:1: {TAB}"]


def test_a_tab_in_a_block_scalar_is_its_text():
    doc = parse_yaml("note: |\n  line\n  \tindented\n", "f.yaml", EN)
    assert doc.diagnostics == [] and doc.data == {"note": "line\n\tindented\n"}


def anchor(written: str) -> str:
    return (f"error yaml-alias anchors and aliases (&name / *name) are not supported: `{written}` names this value\n"
            f"    remove `{written}`")


def alias(written: str) -> str:
    return (f"error yaml-alias anchors and aliases (&name / *name) are not supported: `{written}` repeats a value "
            "written elsewhere\n    write the value out in full at each place it is needed")


def test_anchor_and_alias_are_refused_where_they_are_written():
    assert lines("a: &x [1, 2]\nb: *x\n") == [f"f.yaml:1:4: {anchor('&x')}", f"f.yaml:2:4: {alias('*x')}"]


def test_an_anchor_without_alias_is_refused_not_dropped():
    doc = parse_yaml("note: &important call back\n", "f.yaml", EN)
    assert [d.format() for d in doc.diagnostics] == [f"f.yaml:1:7: {anchor('&important')}"]


def test_an_anchor_name_with_a_colon_is_shown_as_written():
    # libyaml ends the name at `:` and reads the value `:chor value`
    assert lines("key: &an:chor value\n") == [f"f.yaml:1:6: {anchor('&an:chor')}"]


def test_anchors_and_aliases_on_keys_are_refused():
    doc = parse_yaml("a: &k x\n*k : y\n", "f.yaml", EN)
    assert [d.format() for d in doc.diagnostics] == [f"f.yaml:1:4: {anchor('&k')}", f"f.yaml:2:1: {alias('*k')}"]
    assert doc.data == {"a": "x"}


@pytest.mark.parametrize("text,line,col", [("a: &x 1\nb: &x 2\n", 2, 4), ("a: *nothing\n", 1, 4), ("a: &😁 x\n", 1, 4)])
def test_anchors_libyaml_refuses_are_refused_as_anchors(text, line, col):
    written = text.splitlines()[line - 1][col - 1:].split()[0]
    assert lines(text) == [
        f"f.yaml:{line}:{col}: error yaml-alias anchors and aliases (&name / *name) are not supported: `{written}` is "
        "written here\n    remove it, and write each value out in full where it is needed"]


def test_alias_bomb_is_cheap_located_and_capped():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for prev, cur in zip("abcdefgh", "bcdefghi"):
        bomb += f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    found = parse_yaml(bomb, "f.yaml", EN).diagnostics
    assert {d.code for d in found} == {"yaml-alias"} and len(found) == 51  # 9 anchors and 72 aliases
    assert found[0].format() == f"f.yaml:1:4: {anchor('&a')}"
    assert found[1].format() == f"f.yaml:2:4: {anchor('&b')}"
    assert found[-1].format() == (
        "f.yaml:6:40: error yaml-alias and 31 more like this in this file (the first 50 are listed)\n"
        "    fix the ones listed, then check again: problems of one kind often share one cause")


def test_recursive_alias_terminates():
    assert lines("a: &a [*a]\n") == [f"f.yaml:1:4: {anchor('&a')}", f"f.yaml:1:8: {alias('*a')}"]


def test_the_bare_tag_is_refused_like_any_tag():
    # libyaml passes `!` on as no tag, so `! 12` would read as the number 12; the spec reads the text "12"
    assert lines("- ! 12\n- !!str 12\n") == [
        "f.yaml:1:3: error yaml-tag explicit tag `!` is not supported\n    remove the tag; write plain values"]


def test_tags_on_keys_are_refused():
    assert lines("!!int 1: x\n? !local k\n: v\n") == [
        "f.yaml:1:1: error yaml-tag explicit tag `!!int` is not supported\n    remove the tag; write plain values",
        "f.yaml:2:3: error yaml-tag explicit tag `!local` is not supported\n    remove the tag; write plain values",
    ]


def test_a_question_mark_glued_to_a_word_in_brackets_is_reported():
    assert lines("tags: [?x]\nflags: { ?vip: true }\n") == [
        "f.yaml:1:8: error yaml-syntax YAML syntax error: `?x` inside brackets is read as the key `x`, "
        "losing its `?`\n    quote it: '?x'",
        "f.yaml:2:10: error yaml-syntax YAML syntax error: `?vip` inside brackets is read as the key `vip`, "
        "losing its `?`\n    quote it: '?vip'",
    ]
    assert parse_yaml("a: ['?x', ?y]\n", "f.yaml", EN).data == {"a": ["?x", {"y": None}]}
    assert lines("a: ?x\n?y: 1\nb: [ ? z ]\n") == []  # outside brackets `?x` is text; `? z` is a key


def test_a_comment_glued_to_a_value_is_reported_not_dropped():
    glued = ("error yaml-syntax YAML syntax error: `#` right after a value starts a comment without a space, so "
             "`{}` would be dropped\n    put a space before `#` if it is a comment; if it belongs to the value, "
             "put it inside the quotes")
    assert lines('phone: "123"#mobile\nfax: \'1\'#x\ntags: [a,#b\n  ]#c\nnote: >#d\n  text\n') == [
        "f.yaml:1:13: " + glued.format("#mobile"), "f.yaml:2:9: " + glued.format("#x"),
        "f.yaml:3:10: " + glued.format("#b"), "f.yaml:4:4: " + glued.format("#c"),
        "f.yaml:5:8: " + glued.format("#d")]
    assert lines("url: http://x.cn/a#b\nroom: 5#楼\nc: 'x' # fine\n") == []


def test_keep_chomping_at_the_end_of_a_file_keeps_its_last_line_break():
    # a last line of spaces with no line break after it: the suite's reading
    assert parse_yaml("note: |+\n  call back\n   ", "f.yaml", EN).data == {"note": "call back\n \n"}
    assert parse_yaml("- |+\n   ", "f.yaml", EN).data == ["\n"]
    assert parse_yaml("note: |\n  x", "f.yaml", EN).data == parse_yaml("note: |\n  x\n", "f.yaml", EN).data


def test_yaml_1_2_core_numbers_against_yaml_1_1():
    doc = parse_yaml("a: -0x1A\nb: +.Inf\nc: 0x1A\nd: 1e3\ne: 0o14\nf: 0b101\ng: -.inf\nh: 1.5e+3\n", "f.yaml", EN)
    assert doc.data == {"a": "-0x1A", "b": float("inf"), "c": 26, "d": "1e3", "e": "0o14", "f": "0b101",
                        "g": float("-inf"), "h": 1500.0}
    number = "quote it ('{0}') if it is text; write it in decimal digits without `_` if it is a number"
    text = "quote it ('{0}') if it is text; write it in plain decimal digits if it is a number"
    assert [d.format() for d in doc.diagnostics] == [
        "f.yaml:1:4: error yaml-ambiguous-scalar `-0x1A` is ambiguous: YAML 1.1 tools read it as a number\n    "
        + number.format("-0x1A"),
        "f.yaml:4:4: error yaml-ambiguous-scalar `1e3` is ambiguous: YAML 1.1 tools read it as text, YAML 1.2 tools "
        "as a number\n    " + text.format("1e3"),
        "f.yaml:5:4: error yaml-ambiguous-scalar `0o14` is ambiguous: YAML 1.1 tools read it as text, YAML 1.2 "
        "tools as a number\n    " + text.format("0o14"),
        "f.yaml:6:4: error yaml-ambiguous-scalar `0b101` is ambiguous: YAML 1.1 tools read it as a number\n    "
        + number.format("0b101"),
    ]


DIRECTIVE = ("remove the line: crmctl reads YAML 1.2 without directives; if the `%` belongs to a value, "
             "quote the value")


@pytest.mark.parametrize("version", ["1.1", "1.3"])  # libyaml reads 1.1 and refuses 1.3
def test_directives_are_named_as_such(version):
    assert lines(f"%YAML {version}\n---\nname: a\n") == [
        f"f.yaml:1:1: error yaml-directive YAML directive `%YAML {version}` is not supported\n    {DIRECTIVE}"]


def test_tag_directive_is_refused():
    assert lines("%TAG !e! tag:example.com,2000:\n---\nname: a\n") == [
        "f.yaml:1:1: error yaml-directive YAML directive `%TAG !e! tag:example.com,2000:` is not supported\n"
        f"    {DIRECTIVE}"]


CONTROL_HINT = "    write the key as plain text, without escapes such as \\n or \\u202e"


def test_a_key_holding_a_control_character_is_reported_and_left_out():
    doc = parse_yaml('"a\\e[31mb": 1\n"x\\ny": 2\n"\\u202eabc": 3\n"p\\Lq": 4\nok: 5\n', "f.yaml", EN)
    assert doc.data == {"ok": 5}
    assert [d.format() for d in doc.diagnostics] == [
        f"f.yaml:{n}:1: error yaml-key-control key `{key}` holds the control character(s) {char}, which can hide "
        f"or forge text on a screen; the entry is not read\n{CONTROL_HINT}"
        for n, key, char in ((1, "a\\x1b[31mb", "\\x1b"), (2, "x\\ny", "\\n"), (3, "\\u202eabc", "\\u202e"),
                             (4, "p\\u2028q", "\\u2028"))]


def test_deep_nesting_is_bounded():
    doc = parse_yaml("[" * 200 + "]" * 200, "f.yaml", EN)
    assert [d.code for d in doc.diagnostics] == ["yaml-too-deep"]


SECOND = ("error yaml-multiple-documents file holds more than one YAML document: a second one starts here\n"
          "    keep one document per file: remove the `---` or `...` line that starts it, or move it to a file of "
          "its own")


def test_second_document_is_an_error():
    assert lines("a: 1\n---\nb: 2\n") == [f"f.yaml:2:1: {SECOND}"]


def test_a_second_document_libyaml_cannot_parse_is_named_as_such():
    assert lines("---\nname: a\n...\nname: b\n") == [f"f.yaml:4:1: {SECOND}"]


def test_a_syntax_error_before_a_second_document_is_reported_too():
    assert lines("a: b: c\n---\nd: 1\n") == [
        "f.yaml:1:5: error yaml-syntax YAML syntax error: mapping values are not allowed in this context\n"
        "    a value containing `: ` must be quoted",
        f"f.yaml:2:1: {SECOND}",
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


def test_chinese_messages_of_the_new_refusals():
    found = parse_yaml('%YAML 1.1\n---\n"a\\tb": 1\nc: &x 1\nd: ! 2\ne: "x\n\ty"\n', "f.yaml", Messages("zh-CN"))
    assert [d.format() for d in found.diagnostics] == [
        "f.yaml:1:1: error yaml-directive 不支持 YAML 指令 `%YAML 1.1`\n"
        "    请删除该行：crmctl 按 YAML 1.2 读取，不接受指令；如果 `%` 属于某个值，请给该值加引号",
        "f.yaml:3:1: error yaml-key-control 键 `a\\tb` 含有控制字符 \\t，可能在屏幕上隐藏或伪造文字；该条目未被读取\n"
        "    请把键写成普通文本，不要使用 \\n、\\u202e 之类的转义",
        "f.yaml:4:4: error yaml-alias 不支持锚点和别名（&名称 / *名称）：`&x` 命名了此值\n    请删除 `&x`",
        "f.yaml:5:4: error yaml-tag 不支持显式标签 `!`\n    请删除标签，直接写值",
        "f.yaml:7:1: error yaml-tab 缩进中有制表符（Tab）：YAML 只能用空格缩进\n"
        "    请把制表符换成空格（多数编辑器可设置按 Tab 键插入空格）",
    ]


def test_chinese_messages():
    doc = parse_yaml("a: 1\na: 2\n", "f.yaml", Messages("zh-CN"))
    assert doc.diagnostics[0].format() == (
        "f.yaml:2:1: error yaml-duplicate-key 键 `a` 在同一映射中出现两次（首次在第 1 行）\n"
        "    只保留一个；YAML 会悄悄只用最后一个"
    )


def test_a_control_character_is_located_in_characters_not_bytes():
    assert lines("名字: 李\x07b\n") == [
        "f.yaml:1:6: error yaml-syntax YAML syntax error: the character U+0007 is not allowed in YAML\n"
        "    remove it: most editors do not show it"]


MORE = "more like this in this file (the first 50 are listed)\n" \
       "    fix the ones listed, then check again: problems of one kind often share one cause"


def test_problems_of_one_code_are_listed_up_to_50_then_counted():
    found = lines("a: 1\n" * 1000 + "b: NO\n")
    assert len(found) == 52
    assert found[49].startswith("f.yaml:51:1: error yaml-duplicate-key key `a` appears twice")
    assert found[50] == f"f.yaml:52:1: error yaml-duplicate-key and 949 {MORE}"
    assert found[51].startswith("f.yaml:1001:4: error yaml-ambiguous-scalar")  # other codes are counted apart


def test_a_file_of_too_many_values_is_refused_before_it_is_composed(monkeypatch):
    monkeypatch.setattr(yamlio, "MAX_NODES", 10)
    assert lines("items:\n" + "- x\n" * 7) == []  # the mapping, its key, the list and 7 items: 10 values
    assert lines("items:\n" + "- x\n" * 7 + "- [y]\n") == [
        "f.yaml:9:3: error yaml-too-many-values file holds more than 10 values; crmctl stops reading it here\n"
        "    no crmctl file needs this many: remove what does not belong here, or split the data"]


def test_two_million_tiny_items_cost_a_fraction_of_a_second():
    doc = parse_yaml("- 1\n" * 2_000_000, "f.yaml", EN)  # 8 MB: the events are counted, nothing is composed
    assert doc.data is None and [(d.code, d.line, d.col) for d in doc.diagnostics] == [
        ("yaml-too-many-values", 100_000, 3)]


def test_a_file_over_8_mib_is_not_read(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: 1\n" + b"#" * (8 * 1024 * 1024))
    assert [d.format() for d in read_yaml(big, "big.yaml", EN).diagnostics] == [
        "big.yaml: error file-too-large file is larger than 8 MiB; crmctl does not read it\n"
        "    no crmctl file needs this much: remove what does not belong here, or split the data"]


ZH = Messages("zh-CN")


@pytest.mark.parametrize("line,messages,said", [
    ("owner\uff1a张明", EN, ["f:2:6: error yaml-syntax YAML syntax error: a full-width colon `\uff1a` where `: ` "
                            "belongs\n    write a half-width colon and a space: `key: value`"]),
    ("owner\uff1a张明", ZH, ["f:2:6: 错误 yaml-syntax YAML 语法错误：此处用了全角冒号 `\uff1a`，应为 `: `\n"
                            "    请改为半角冒号加空格：`键: 值`"]),
    ("owner:张明", EN, ["f:2:6: error yaml-syntax YAML syntax error: no space after the `:`\n"
                       "    put a space after the colon: `key: value`"]),
    ("owner 张明", ZH, ["f:2:1: 错误 yaml-syntax YAML 语法错误：找不到应有的 `:`\n    映射的每一行都需要 `键: 值`；请检查缩进"]),
])
def test_a_key_line_without_its_colon_is_named_on_its_own_line(line, messages, said):
    # the parser only notices on the line after; the person needs the line they wrote
    document = parse_yaml(f"name: 测试\n{line}\nregion: 北京\n", "f", messages)
    assert [d.format(messages.lang) for d in document.diagnostics] == said


@pytest.mark.parametrize("text,at", [
    ("name: a\ncurrent_fleet:\n  - brand\uff1a 宇通\n    model: x\n", "f:3:10"),  # "mapping values not allowed"
    ("name: a\nnotes\uff1a 重要客户\n", "f:2:6"),  # the last line: not past the end of the file
    ("a: 1\nb:\n  c\uff1a 2\n  d: 3\n", "f:3:4"),
])
def test_a_full_width_colon_is_named_wherever_the_parser_gives_up(text, at):
    assert [d.format() for d in parse_yaml(text, "f", EN).diagnostics] == [
        f"{at}: error yaml-syntax YAML syntax error: a full-width colon `\uff1a` where `: ` belongs\n"
        "    write a half-width colon and a space: `key: value`"]


def test_a_utf16_file_is_told_to_convert_from_utf16():
    _, problems = decode("name: 北京环卫\n".encode("utf-16"), "f.yaml", EN)
    assert [d.format() for d in problems] == [
        "f.yaml: error file-encoding file is not UTF-8 text (it is UTF-16): the first undecodable byte is at offset 0\n"
        "    save it as UTF-8 (in most editors: Save with Encoding > UTF-8), or convert it: "
        "iconv -f UTF-16 -t UTF-8 FILE > FILE.new"
    ]


def test_a_list_item_indented_a_space_too_deep_is_named_not_folded_silently():
    text = "next_steps:\n  - 安排到北京环卫看车\n   - 提交初步方案\n  - 第三项\nnote: 第一行\n  第二行 - 不是列表\n"
    doc = parse_yaml(text, "f.yaml", EN)
    assert doc.data == {"next_steps": ["安排到北京环卫看车 - 提交初步方案", "第三项"], "note": "第一行 第二行 - 不是列表"}
    assert [d.format() for d in doc.diagnostics] == [
        "f.yaml:2:5: warning yaml-dash-in-text this text runs over several lines and one starts with `- `: it reads "
        "as the one text `安排到北京环卫看车 - 提交初步方案`, not as a list item\n"
        "    indent the `- ` line as the other items of its list, or quote the text"]


def test_no_written_tag_passes_for_an_untagged_value():
    # the reader's own mark for "no tag" cannot be written in a file
    assert [d.code for d in parse_yaml("x: !<crmctl:implicit> a\n", "f.yaml", EN).diagnostics] == ["yaml-tag"]
