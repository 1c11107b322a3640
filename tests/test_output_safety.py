"""Output cannot be turned against its reader: control characters never reach a
terminal raw, CSV cells are no formulas, DOT and Mermaid hold any name, and
``show`` reads values of any type."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import CUSTOMER, system_tool, write_repo
from crmctl.escaping import CONTROL_IN_LINES, visible

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# what a hostile pull request puts in a name: a window title and a screen clear, a forged
# line of `check` output, a line separator, a right-to-left override, a C1 CSI, a tab
FORGED = "fake.yaml:1:1: error forged-code all is well"
HOSTILE = f"a\x1b]0;owned\x07\x1b[2J\n{FORGED}\u2028\u202eevil\x9b31m\tz"
HOSTILE_SHOWN = r"a\x1b]0;owned\x07\x1b[2J\nfake.yaml:1:1: error forged-code all is well\u2028\u202eevil\x9b31m\tz"


def raw_controls(text: str) -> list[str]:
    """Control characters in output (crmctl's own newlines and tabs aside)."""
    return CONTROL_IN_LINES.findall(text)


def forged(text: str) -> bool:
    return any(line.startswith("fake.yaml") for line in text.splitlines())


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string escapes are YAML's)."""
    return json.dumps(text)


# -- the escaping rule --------------------------------------------------------------


def test_visible_escapes_every_control_and_nothing_else():
    assert visible(HOSTILE) == HOSTILE_SHOWN
    assert visible("\x00\x7f\x85\u2029\u202a\u2066\u2069\u200f\u061c\r") == \
        r"\x00\x7f\x85\u2029\u202a\u2066\u2069\u200f\u061c\r"
    # Chinese, a backslash, emoji with a joiner and quotes are text, not controls
    text = "北京市环卫 C:\\路径 👩\u200d🔧 «…» \"x\""
    assert visible(text) == text


def test_a_diagnostic_is_one_line_and_its_hint_another_whatever_it_holds():
    from crmctl.diagnostics import Diagnostic, Severity

    d = Diagnostic(f"customers/{HOSTILE}/customer.yaml", 3, 7, Severity.ERROR, "schema-type",
                   f"name `{HOSTILE}`", f"fix {HOSTILE}")
    in_path = HOSTILE_SHOWN.replace(":", "\\x3a")  # a `:` in a path is escaped too: no name poses as a location
    assert d.format() == (f"customers/{in_path}/customer.yaml:3:7: error schema-type name `{HOSTILE_SHOWN}`\n"
                          f"    fix {HOSTILE_SHOWN}")


def test_write_is_the_last_safety_net(capsys):
    from crmctl.cli.output import write

    write("ours\n\tindented\n" + HOSTILE + "\n")
    assert capsys.readouterr().out == "ours\n\tindented\n" + HOSTILE_SHOWN.replace(r"\n", "\n").replace(
        r"\t", "\t") + "\n"


# -- folder and file names ---------------------------------------------------------------


def test_check_reports_a_folder_name_holding_control_characters_without_printing_them(cli, tmp_path):
    bad = f"evil\n{FORGED}\x1b[2J"
    root = write_repo(tmp_path / "r", {
        "customers/acme/customer.yaml": CUSTOMER,
        f"customers/{bad}/customer.yaml": CUSTOMER,
        "customers/acme/notes\u2028x.txt": "",
        "customers/acme/projects/p\u202e1/project.yaml": "name: x\n",
    })
    result = cli("check", root)
    assert result.code == 1
    assert not raw_controls(result.err) and not forged(result.err)
    assert result.err == (
        "customers/acme/notes\\u2028x.txt: error file-name-control this name holds control characters (\\u2028), "
        "which could forge or hide lines of output; crmctl does not read it\n"
        "    rename it without them (git mv); a customer or project folder is named by its id: "
        "lowercase letters, digits and hyphens\n"
        "customers/acme/projects/p\\u202e1: error file-name-control this name holds control characters (\\u202e), "
        "which could forge or hide lines of output; crmctl does not read it\n"
        "    rename it without them (git mv); a customer or project folder is named by its id: "
        "lowercase letters, digits and hyphens\n"
        "customers/evil\\nfake.yaml\\x3a1\\x3a1\\x3a error forged-code all is well\\x1b[2J: error file-name-control "
        "this name holds control characters (\\n, \\x1b), which could forge or hide lines of output; "
        "crmctl does not read it\n"
        "    rename it without them (git mv); a customer or project folder is named by its id: "
        "lowercase letters, digits and hyphens\n"
        "checked 1 customer, 2 files: 3 errors, 0 warnings\n")
    zh = cli("check", root, "--lang", "zh-CN", "--select", "file-name-control")
    assert zh.err.splitlines()[:2] == [
        "customers/acme/notes\\u2028x.txt: 错误 file-name-control "
        "此名称包含控制字符（\\u2028），可能伪造或隐藏输出内容；crmctl 不读取它",
        "    请重命名（git mv）去掉这些字符；客户或项目文件夹以其标识命名：小写字母、数字和连字符"]
    # machines get the name as it is, in valid JSON
    data = json.loads(cli("check", root, "--format", "json").out)
    assert sorted(d["path"] for d in data["diagnostics"]) == [
        "customers/acme/notes\u2028x.txt", "customers/acme/projects/p\u202e1", f"customers/{bad}"]


# -- user errors and usage errors ------------------------------------------------------


def test_an_argument_holding_escapes_is_printed_escaped(cli, repo):
    result = cli("show", HOSTILE, "--repo", repo, "--lang", "en")
    assert result.code == 1
    assert result.err.splitlines()[0] == f"crmctl: `{HOSTILE_SHOWN}` is not a customer id"
    assert not raw_controls(result.err) and not forged(result.err)
    usage = cli("list", "--repo", repo, f"--{HOSTILE}")
    assert usage.code == 2
    assert not raw_controls(usage.err) and not forged(usage.err)


def test_no_command_prints_a_hostile_name_raw(cli, tmp_path):
    root = tmp_path / "r"
    shutil.copytree(EXAMPLES, root)
    for rel, old in (("customers/bj-huanwei/projects/sweeper-renewal-2027/project.yaml",
                      "name: 2027 年新能源洗扫车更新采购"),
                     ("customers/bj-huanwei/contacts.yaml", "name: 王桑")):
        file = root / rel
        text = file.read_text(encoding="utf-8")
        assert old in text
        file.write_text(text.replace(old, f"name: {q(HOSTILE)}", 1), encoding="utf-8")
    ref = "bj-huanwei/sweeper-renewal-2027"
    runs = [("status", "--today", "2026-12-01"), ("status", ref, "--today", "2026-12-01"),
            ("advance", ref, "--dry-run"), ("map", ref), ("show", "bj-huanwei"), ("show", ref),
            ("check", "--today", "2026-12-01"), ("list",)]
    runs += [(*run, "--format", fmt) for run in runs[:1] for fmt in ("csv", "json", "github")]
    for run in runs:
        result = cli(*run, "--repo", root, "--lang", "en")
        assert result.code in (0, 1), (run, result.err)
        assert not raw_controls(result.out + result.err) and not forged(result.out + result.err), run
    status = cli("status", ref, "--repo", root, "--lang", "en", "--today", "2026-12-01").out.splitlines()
    assert status[0] == f"{ref}  {HOSTILE_SHOWN}"
    assert any(line.endswith(f"red flag, {ref}: {HOSTILE_SHOWN} (财务总监, finance 15%) opposes us (influence not "
                             "recorded), and no action is planned") for line in status), status


# -- tables, CSV, JSON -------------------------------------------------------------------


def _named(name: str, fleet: int = 5) -> str:
    return CUSTOMER.replace("name: 测试客户", f"name: {q(name)}") + f"fleet_size: {fleet}\n"


def test_list_escapes_names_in_tables_neutralises_formulas_in_csv_and_keeps_json_valid(cli, tmp_path):
    root = write_repo(tmp_path / "r", {
        "customers/a/customer.yaml": _named(HOSTILE),
        "customers/b/customer.yaml": _named("=HYPERLINK(\"http://x\",\"y\")"),
        "customers/c/customer.yaml": _named("-2+3", fleet=0),
        "customers/d/customer.yaml": _named("\tpadded\r"),
        "customers/e/customer.yaml": _named("@SUM(A1)\nsecond line"),
        "customers/f/customer.yaml": _named("+861012345678"),
    })
    table = cli("list", "--repo", root, "--lang", "en")
    assert table.code == 0, table.err
    assert not raw_controls(table.out) and "\t" not in table.out and not forged(table.out)
    lines = table.out.splitlines()
    assert f"  {HOSTILE_SHOWN}  " in lines[2] and r"  \tpadded\r  " in lines[5]
    # the next column starts at the same place on every line: no tab or escape shifts it
    assert {line.index("enterprise") for line in lines[2:]} == {lines[0].index("category")}

    out = cli("list", "--repo", root, "--format", "csv").out
    assert not raw_controls(out) and "\t" not in out and len(out.splitlines()) == 7  # one record per line
    rows = list(csv.reader(io.StringIO(out)))
    assert [(r[0], r[1], r[-1]) for r in rows[1:]] == [
        ("a", HOSTILE_SHOWN, "5"),
        ("b", "'=HYPERLINK(\"http://x\",\"y\")", "5"),
        ("c", "'-2+3", "0"),
        ("d", r"'\tpadded\r", "5"),
        ("e", r"'@SUM(A1)\nsecond line", "5"),
        ("f", "'+861012345678", "5"),
    ]

    text = cli("list", "--repo", root, "--format", "json").out
    assert not raw_controls(text) and "\\u2028" in text and "\\u202e" in text and "\\u009b" in text
    assert [r["name"] for r in json.loads(text)][0] == HOSTILE


def test_every_csv_goes_through_the_one_writer(cli, monkeypatch):
    from crmctl.cli import output

    calls = []
    real = output.to_csv

    def spy(rows, columns, headers=None, **kwargs):
        calls.append(list(headers or columns))
        return real(rows, columns, headers, **kwargs)

    monkeypatch.setattr(output, "to_csv", spy)
    commands = [["list"], ["status"], ["classify"], ["score", "bj-huanwei"], ["fees", "--year", "2026"]]
    for fmt, separator in (("csv", ","), ("tsv", "\t"), ("excel-csv", ",")):
        for command in commands:
            result = cli(*command, "--repo", EXAMPLES, "--format", fmt, "--today", "2026-12-01") \
                if command == ["status"] else cli(*command, "--repo", EXAMPLES, "--format", fmt)
            assert result.code in (0, 1), (command, result.err)
            assert result.out.splitlines()[0].lstrip("\ufeff") == separator.join(calls[-1]), command
    assert len(calls) == 3 * len(commands)


def test_json_has_no_nan_and_escapes_separators(cli, tmp_path):
    root = write_repo(tmp_path / "r", {
        "customers/acme/customer.yaml": CUSTOMER,
        "customers/acme/projects/p/project.yaml":
            f"name: {q('x' + chr(0x2028) + 'y' + chr(0x85))}\nowner: a\nopened: 2026-01-01\n"
            "needs: {budget: .nan, quantity: .inf}\n"})
    out = cli("show", "acme/p", "--repo", root, "--format", "json").out
    data = json.loads(out, parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))
    assert data["project"]["needs"] == {"budget": "nan", "quantity": "inf"}
    assert data["project"]["name"] == "x\u2028y\x85"
    assert not raw_controls(out)


# -- the stakeholder map: DOT checked by Graphviz, Mermaid by a strict parser -------------


def _map(root: Path, ref: str, lang: str = "zh-CN"):
    import datetime as dt

    from crmctl.messages import Messages
    from crmctl.reports.analysis import stakeholder_map

    return stakeholder_map(root, ref, Messages(lang), dt.date(2026, 12, 1))[0]


def expected_graph(smap, lang: str = "zh-CN"):
    """What any drawing of ``smap`` must show: node labels, reporting lines, relationships."""
    from crmctl.analysis.stakeholders import describe, name_of

    labels = {pid: visible(describe(p, lang)) for pid, p in smap.people.items()}
    for tie in smap.ties:
        for ref in (tie.a, tie.b):
            labels.setdefault(ref, visible(name_of(smap, ref, lang)))
    reports = sorted((labels[p.id], labels[c.id]) for p in smap.people.values() for c in p.children)
    ties = sorted((labels[t.a], labels[t.b], visible(t.label)) for t in smap.ties)
    return sorted(labels.values()), reports, ties


def _dot_binary() -> str:
    return system_tool("dot", purpose="Graphviz draws the DOT crmctl writes")


def drawn_by_graphviz(source: str):
    """Nodes and edges as Graphviz lays them out (``dot -Tjson``): the text it draws."""
    done = subprocess.run([_dot_binary(), "-Tjson"], input=source.encode(), capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    assert b"syntax error" not in done.stderr, done.stderr.decode()
    graph = json.loads(done.stdout)

    def text(obj) -> str:
        return "".join(op["text"] for op in obj.get("_ldraw_", []) if op["op"] == "T")

    nodes = graph.get("objects", [])
    labels = [text(n) for n in nodes]
    assert text(graph) != ""  # the title
    reports, ties = [], []
    for edge in graph.get("edges", []):
        a, b = labels[edge["tail"]], labels[edge["head"]]
        if edge.get("style") == "dashed":
            ties.append((a, b, text(edge)))
        else:
            reports.append((a, b))
    return sorted(labels), sorted(reports), sorted(ties)


def _projects(root: Path) -> list[str]:
    return sorted(f"{p.parent.parent.name}/{p.name}" for p in (root / "customers").glob("*/projects/*"))


def test_dot_of_every_example_project_draws_the_map(cli):
    refs = _projects(EXAMPLES)
    assert len(refs) == 10
    for ref in refs:
        result = cli("map", ref, "--repo", EXAMPLES, "--format", "dot", "--lang", "zh-CN")
        assert result.code == 0, result.err
        expected = expected_graph(_map(EXAMPLES, ref))
        assert drawn_by_graphviz(result.out) == expected, ref
    # the example that used to grow stray nodes `our` and `competitor`
    labels, reports, ties = drawn_by_graphviz(cli("map", "bj-huanwei", "--repo", EXAMPLES, "--format", "dot", "--lang", "zh-CN").out)
    assert len(labels) == 11 and len(reports) == 6 and len(ties) == 5
    assert ("张华 部长 [技术选型 25%] · 中立者", "竞争对手 宇通重工", "2023 年项目的技术对接人") in ties


NAMES = [
    'Q"uote\\back\\nslash\\l \\N \\G end\\',
    "new\nline\u2028sep\u2029para\x85nel\rcr",
    "[brack]{curly}(paren) a:b;c #quot; #35; &amp; <b>bold</b> `tick` |pipe|",
    "\x1b]0;owned\x07\x1b[2Jesc\x9b31m csi",
    "\u202eright-to-left\u2066iso\u2069 =cmd",
    "end",
]


@pytest.fixture(scope="module")
def hostile_map(tmp_path_factory):
    """A customer whose every name is one of NAMES: people, titles, our people, competitors, notes."""
    people = [f"p{i}" for i in range(len(NAMES))]
    contacts = "contacts:\n"
    for i, (pid, name) in enumerate(zip(people, NAMES)):
        contacts += (f"  - id: {pid}\n    name: {q(name)}\n    title: {q(NAMES[-1 - i])}\n"
                     f"    attitude: {['supporter', 'neutral', 'opponent', 'unknown'][i % 4]}\n")
        if i:
            contacts += f"    reports_to: {people[(i - 1) // 2]}\n"
        contacts += (f"    relations:\n      - {{our: {q(NAMES[(i + 1) % len(NAMES)])}, type: {q(name)}}}\n"
                     f"      - {{contact: {people[-1 - i]}, type: {q(NAMES[(i + 2) % len(NAMES)])}}}\n")
    competitors = "competitors:\n" + "".join(
        f"  - id: c{i}\n    name: {q(name)}\n    relationships:\n      - {{contact: p{i}, note: {q(name)}}}\n"
        for i, name in enumerate(NAMES))
    decision = "decision_map:\n" + "".join(
        f"  - {{contact: {pid}, role: technical, weight: {100 / len(NAMES):.4f}}}\n" for pid in people)
    root = write_repo(tmp_path_factory.mktemp("hostile"), {
        "customers/c/customer.yaml": CUSTOMER.replace("name: 测试客户", f"name: {q(NAMES[0])}"),
        "customers/c/contacts.yaml": contacts,
        "customers/c/projects/p/project.yaml": f"name: {q(NAMES[1])}\nowner: x\nopened: 2026-01-01\n" + decision,
        "customers/c/projects/p/competition.yaml": competitors,
    })
    return root


def test_dot_of_hostile_names_draws_each_name_as_written(cli, hostile_map):
    result = cli("map", "c/p", "--repo", hostile_map, "--format", "dot", "--lang", "zh-CN")
    assert result.code == 0, result.err
    assert not raw_controls(result.out)
    expected = expected_graph(_map(hostile_map, "c/p"))
    assert len(expected[0]) == 2 * len(NAMES) + len(NAMES)  # people, our people, competitors
    assert drawn_by_graphviz(result.out) == expected


# Mermaid has no renderer here: a strict parser of exactly what crmctl writes
_ID = r"[px]\d+"
_LABEL = r'"((?:[^"#&<>`\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]|#\d+;)*)"'
_NODE = re.compile(rf"    ({_ID})(?:\[{_LABEL}\]|\(\[{_LABEL}\]\))")
_REPORT = re.compile(rf"    ({_ID}) --> ({_ID})")
_TIE = re.compile(rf"    ({_ID}) -\.-(?:\|{_LABEL}\|)? ({_ID})")


def parse_mermaid(text: str):
    """Nodes and links of crmctl's Mermaid subset; any other line is a failure."""
    lines = text.split("\n")
    assert lines[0] == "flowchart TD" and lines[-1] == ""

    def decode(label: str) -> str:
        return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), label)

    labels: dict[str, str] = {}
    reports, ties = [], []
    for line in lines[1:-1]:
        if m := _NODE.fullmatch(line):
            assert m[1] not in labels, line
            labels[m[1]] = decode(m[2] if m[2] is not None else m[3])
        elif m := _REPORT.fullmatch(line):
            reports.append((labels[m[1]], labels[m[2]]))
        elif m := _TIE.fullmatch(line):
            assert m[2] != "", "an empty quoted link text is a Mermaid syntax error"
            ties.append((labels[m[1]], labels[m[3]], decode(m[2] or "")))
        else:
            pytest.fail(f"not crmctl's Mermaid: {line!r}")
    return sorted(labels.values()), sorted(reports), sorted(ties)


def test_mermaid_of_every_example_and_of_hostile_names_parses_to_the_map(cli, hostile_map):
    cases = [(EXAMPLES, ref) for ref in _projects(EXAMPLES)] + [(hostile_map, "c/p")]
    for root, ref in cases:
        result = cli("map", ref, "--repo", root, "--format", "mermaid", "--lang", "zh-CN")
        assert result.code == 0, result.err
        assert parse_mermaid(result.out) == expected_graph(_map(root, ref)), ref


def test_the_tree_shows_hostile_names_escaped_on_their_own_lines(cli, hostile_map):
    result = cli("map", "c/p", "--repo", hostile_map, "--lang", "en")
    assert result.code == 0
    assert not raw_controls(result.out)
    lines = result.out.splitlines()
    assert lines[0] == visible(f"{NAMES[0]} · {NAMES[1]}")
    assert lines[1] == visible(f"{NAMES[0]} {NAMES[-1]} [technical selection 16.6667%] · supporter")
    json.loads(cli("map", "c/p", "--repo", hostile_map, "--format", "json").out)


# -- show reads values of any type -------------------------------------------------------

SHOWN_FILES = ("customer.yaml", "contacts.yaml", "activities.yaml", "project.yaml", "competition.yaml", "history.yaml")
WRONG = {"list": ["a", {"k": 1}], "mapping": {"k": "v", "n": [1, 2]}, "number": -12.5, "bool": True,
         "null": None, "text": HOSTILE}


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _paths(child, (*path, i))


def _replaced(value, path, new):
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {k: _replaced(v, rest, new) if k == head else v for k, v in value.items()}
    return [_replaced(v, rest, new) if i == head else v for i, v in enumerate(value)]


def _mutations(filename: str):
    """Each place a value stands in this kind of file across the examples (list items
    counted once), with the file it was first found in."""
    from crmctl.files.yamlio import read_yaml
    from crmctl.messages import Messages

    seen = {}
    for file in sorted(EXAMPLES.glob(f"customers/**/{filename}")):
        data = read_yaml(file, file.name, Messages("en")).data
        for path in _paths(data):
            shape = tuple("*" if isinstance(p, int) else p for p in path)
            seen.setdefault(shape, (file.relative_to(EXAMPLES), data, path))
    return list(seen.values())


def _show(root: Path, target: str, messages) -> tuple[str, str, list]:
    """What ``crmctl show TARGET`` prints as text and as JSON, and its diagnostics, from the
    library (the CLI adds only `write`; these must be clean without its safety net)."""
    from crmctl.cli.output import to_json
    from crmctl.reports.customers import render_customer, render_project, show_customer, show_project

    if "/" in target:
        data, diagnostics = show_project(root, *target.split("/"), messages)
        return render_project(data, messages.lang), to_json(data), diagnostics
    view, diagnostics = show_customer(root, target, messages)
    return render_customer(view, messages.lang), to_json(view.to_dict()), diagnostics


@pytest.mark.parametrize("filename", SHOWN_FILES)
def test_show_reads_a_value_of_any_type_in_any_place(tmp_path, filename):
    from crmctl.messages import Messages

    root = tmp_path / "r"
    shutil.copytree(EXAMPLES, root)
    messages = Messages("en")
    failures = []
    mutations = _mutations(filename)
    assert len(mutations) > 10
    for rel, data, path in mutations:
        file = root / rel
        original = file.read_bytes()
        customer = rel.parts[1]
        # the views that read this file: a customer shows its projects' files, a project its customer's
        if len(rel.parts) > 3:
            targets = [f"{customer}/{rel.parts[3]}"] + ([customer] if filename == "project.yaml" else [])
        else:
            targets = [customer] + ([] if filename == "activities.yaml" else
                                    [f"{customer}/{p.name}" for p in (root / rel.parent / "projects").iterdir()])
        for kind, wrong in WRONG.items():
            file.write_text(yaml.safe_dump(_replaced(data, path, wrong), allow_unicode=True, sort_keys=False),
                            encoding="utf-8")
            for target in targets:
                where = f"{rel} {list(path)} = {kind}, show {target}"
                try:
                    text, as_json, diagnostics = _show(root, target, messages)
                except Exception as exc:  # noqa: BLE001 - each crash is a finding, reported together
                    failures.append(f"{where}: {type(exc).__name__}: {exc}")
                    continue
                json.loads(as_json)
                if diagnostics:  # the file is valid YAML: show would exit 1 for nothing
                    failures.append(f"{where}: {diagnostics[0].format()}")
                if raw_controls(text) or raw_controls(as_json) or forged(text):
                    failures.append(f"{where}: raw control character or forged line")
        file.write_bytes(original)
    assert failures == []


def test_show_exits_0_on_a_wrong_type_and_1_on_a_yaml_problem(cli, tmp_path):
    root = tmp_path / "r"
    shutil.copytree(EXAMPLES, root)
    file = root / "customers/bj-huanwei/customer.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("category: government", "category: {a: [1]}"),
                    encoding="utf-8")
    result = cli("show", "bj-huanwei", "--repo", root, "--lang", "en")
    assert (result.code, result.err) == (0, "")
    assert "  category        {a: [1]}\n" in result.out
    file.write_text("name: [unclosed\n", encoding="utf-8")
    broken = cli("show", "bj-huanwei", "--repo", root, "--lang", "en")
    assert broken.code == 1 and "error yaml-syntax" in broken.err


def test_a_folder_name_cannot_pose_as_a_location(cli, tmp_path):
    root = write_repo(tmp_path / "r", {"customers/acme/customer.yaml": CUSTOMER})
    (root / "customers/crm.yaml:1:1: error config-version forged").mkdir()
    result = cli("check", root, "--lang", "en")
    assert result.err.splitlines()[0].startswith(
        "customers/crm.yaml\\x3a1\\x3a1\\x3a error config-version forged: error id-invalid ")
