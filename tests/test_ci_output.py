"""check's output for CI: GitHub workflow commands that land on the changed line."""

from __future__ import annotations

from conftest import CUSTOMER, write_repo


def test_github_annotations_name_the_file_line_and_column(cli, tmp_path):
    repo = write_repo(tmp_path / "repo", {
        "customers/acme/customer.yaml": CUSTOMER.replace("tier: B", "tier: Z"),
        "customers/a,b:c/customer.yaml": CUSTOMER,  # a folder name GitHub's syntax must not read as separators
        "customers/nofile/contacts.yaml": "contacts: []\n",
    })
    result = cli("check", repo, "--format", "github", "--lang", "en")
    assert result.code == 1
    lines = result.out.splitlines()
    assert "::error file=customers/acme/customer.yaml,line=4,col=7,title=schema-value::" \
           "tier: the text `Z` is not one of the allowed values%0Ause one of: A, B, C" in lines, lines
    # a problem of a whole file names no line; `,` and `:` in a path are escaped
    assert any(line.startswith("::error file=customers/nofile/customer.yaml,title=file-missing::") for line in lines)
    assert any(line.startswith("::error file=customers/a%2Cb%3Ac,title=id-invalid::") for line in lines)
    assert result.err.splitlines()[-1].startswith("checked 3 customers")  # after every problem as text
    warned = cli("check", repo, "--format", "github", "--lang", "en", "--select", "class")
    assert all(line.startswith("::warning ") for line in warned.out.splitlines())


def test_a_message_cannot_forge_a_workflow_command(cli, tmp_path):
    repo = write_repo(tmp_path / "repo", {
        "customers/acme/customer.yaml": CUSTOMER + "kind: \"x\\n::error file=forged::boom 100%\"\n"})
    out = cli("check", repo, "--format", "github", "--lang", "en").out
    assert all(line.startswith(("::error file=customers/acme/", "::warning file=customers/acme/"))
               for line in out.splitlines()), out
    assert "boom 100%25" in out  # a `%` is escaped, as the workflow syntax wants


# -- SARIF, JUnit, several outputs in one run ---------------------------------------------

import json  # noqa: E402
from pathlib import Path  # noqa: E402
from xml.etree import ElementTree  # noqa: E402

import pytest  # noqa: E402

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
BROKEN = {
    "customers/acme/customer.yaml": CUSTOMER.replace("tier: B", "tier: Z"),  # an error at 4:7
    "customers/nofile/contacts.yaml": "contacts: []\n",  # a whole file missing
    "customers/beta/customer.yaml": CUSTOMER.replace("channel: direct", "channel: dealer\ndealer: 某经销商"),
}


def test_sarif_is_valid_sarif_2_1_0_and_places_each_result(cli, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    repo = write_repo(tmp_path / "repo", BROKEN)
    result = cli("check", repo, "--format", "sarif", "--lang", "en")
    assert result.code == 1
    log = json.loads(result.out)
    jsonschema.Draft7Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = {r["ruleId"]: r for r in run["results"]}
    tier = results["schema-value"]
    assert rules[tier["ruleIndex"]]["id"] == "schema-value"
    assert tier["level"] == "error"
    assert tier["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "customers/acme/customer.yaml"}, "region": {"startLine": 4, "startColumn": 7}}
    assert tier["message"]["text"] == "tier: the text `Z` is not one of the allowed values\nuse one of: A, B, C"
    # a problem of a whole file: the file, no region
    assert results["file-missing"]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "customers/nofile/customer.yaml"}}
    assert results["class-channel"]["level"] == "warning"
    assert rules[results["class-channel"]["ruleIndex"]]["defaultConfiguration"] == {"level": "warning"}


def test_sarif_rules_speak_the_repository_language_and_the_same_repository_gives_the_same_bytes(cli, tmp_path):
    repo = write_repo(tmp_path / "repo", BROKEN, config="format: 1\nlanguage: zh-CN\n")
    first = cli("check", repo, "--format", "sarif").out
    assert first == cli("check", repo, "--format", "sarif").out
    rules = {r["id"]: r for r in json.loads(first)["runs"][0]["tool"]["driver"]["rules"]}
    from crmctl.checking.explanations import EXPLANATIONS

    assert rules["ref-unknown"]["shortDescription"]["text"] == EXPLANATIONS["ref-unknown"]["zh-CN"][0]
    assert str(tmp_path) not in first  # no absolute path: the same on every machine


def test_a_uri_is_percent_encoded(cli, tmp_path):
    repo = write_repo(tmp_path / "repo", {"customers/客户 a/customer.yaml": CUSTOMER})
    results = json.loads(cli("check", repo, "--format", "sarif", "--lang", "en").out)["runs"][0]["results"]
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "customers/%E5%AE%A2%E6%88%B7%20a"


def _junit(text: str | bytes) -> ElementTree.Element:
    return ElementTree.fromstring(text.encode("utf-8") if isinstance(text, str) else text)


def test_junit_has_a_suite_per_file_and_a_case_per_problem(cli, tmp_path):
    repo = write_repo(tmp_path / "repo", BROKEN)
    top = _junit(cli("check", repo, "--format", "junit", "--lang", "en").out)
    assert top.tag == "testsuites"
    suites = {s.get("name"): s for s in top.iter("testsuite")}
    acme = suites["customers/acme/customer.yaml"]
    (case,) = acme.iter("testcase")
    assert case.get("name") == "4:7 schema-value" and case.get("line") == "4"
    failure = case.find("failure")
    assert failure.get("type") == "error"
    assert failure.get("message") == "tier: the text `Z` is not one of the allowed values"
    assert failure.text == ("customers/acme/customer.yaml:4:7: error schema-value tier: the text `Z` is not one of "
                            "the allowed values\nuse one of: A, B, C")
    # a warning that does not fail the check is shown, skipped, not red
    beta = suites["customers/beta/customer.yaml"]
    assert [c.find("skipped").get("type") for c in beta.iter("testcase")] == ["warning"]
    assert beta.get("skipped") == "1" and beta.get("failures") == "0"
    assert int(top.get("failures")) == sum(int(s.get("failures")) for s in suites.values())
    # with --strict the warning fails the check, and the report says so
    strict = _junit(cli("check", repo, "--format", "junit", "--lang", "en", "--strict").out)
    beta = {s.get("name"): s for s in strict.iter("testsuite")}["customers/beta/customer.yaml"]
    assert beta.find("testcase/failure") is not None and beta.get("failures") == "1"
    # in Chinese, the text a person reads says 错误; the type a program reads stays `error`
    chinese = _junit(cli("check", repo, "--format", "junit", "--lang", "zh-CN").out)
    failure = next(chinese.iter("failure"))
    assert failure.get("type") == "error" and failure.text.startswith("customers/acme/customer.yaml:4:7: 错误 schema-value")


def test_junit_of_a_clean_repository_is_one_passing_case(cli, repo):
    result = cli("check", repo, "--format", "junit", "--lang", "en")
    assert result.code == 0
    top = _junit(result.out)
    cases = list(top.iter("testcase"))
    assert len(cases) == 1 and list(cases[0]) == []
    assert cases[0].get("name") == "checked 1 customer, 2 files: 0 errors, 0 warnings"


def test_one_run_writes_several_formats_each_as_its_own_run_would(cli, tmp_path):
    repo = write_repo(tmp_path / "repo", BROKEN)
    out = tmp_path / "out"
    out.mkdir()
    result = cli("check", repo, "--lang", "en", "-o", out / "check.json", "--output", f"sarif={out / 'x.txt'}",
                 "--output", f"junit={repo / 'crmctl.xml'}", "-o", f"github={out / 'gh.txt'}")
    assert result.code == 1
    assert "error schema-value" in result.err  # the text still on stderr
    for fmt, file in (("json", out / "check.json"), ("sarif", out / "x.txt"), ("junit", repo / "crmctl.xml"),
                      ("github", out / "gh.txt")):
        assert file.read_text(encoding="utf-8") == cli("check", repo, "--lang", "en", "--format", fmt).out, fmt
    # a report beside crm.yaml is not a record: the next check does not trip over it
    assert cli("check", repo, "--lang", "en", "--select", "file-").out == ""


@pytest.mark.parametrize("spec, says", [
    ("report.txt", "which format"),
    ("yaml=a.txt", "`yaml` is no format"),
    ("sarf=crmctl.sarif", "`sarf` is no format"),
    ("=x.sarif", "`` is no format"),
    ("junit=customers/acme/out.xml", "crmctl or git reads"),
    ("junit=Customers/acme/out.xml", "crmctl or git reads"),
    ("json=crm.yaml", "crmctl or git reads"),
    ("json=crm.YAML", "crmctl or git reads"),
    ("json=.git/x.json", "crmctl or git reads"),
    ("sarif=.gitattributes", "crmctl or git reads"),
    ("json=README", "crmctl or git reads"),
])
def test_an_output_crmctl_cannot_write_is_refused_before_checking(cli, repo, spec, says, monkeypatch):
    monkeypatch.chdir(repo)
    for name in (".gitattributes", "README"):
        (repo / name).write_text("kept\n", encoding="utf-8")
    before = (repo / "crm.yaml").read_bytes()
    result = cli("check", repo, "--lang", "en", "--output", spec)
    assert result.code == 2 and says in result.err, result.err
    assert (repo / "crm.yaml").read_bytes() == before
    assert (repo / ".gitattributes").read_text(encoding="utf-8") == "kept\n"
    assert not (repo / "customers/acme/out.xml").exists()
    assert sorted(p.name for p in repo.iterdir()) == [".gitattributes", "README", "crm.yaml", "customers"]


# -- settings in crm.yaml, reminders, explain ---------------------------------------------

SETTINGS = """\
format: 1
language: en
check:
  ignore: [class-]
  severity:
    schema-value: warning
  per_path:
    - paths: [customers/legacy]
      ignore: [schema]
    - paths: ["customers/*/customer.yaml"]
      severity: {id-: warning}
"""


def test_crm_yaml_ignores_codes_and_changes_severities_by_path(cli, tmp_path):
    repo = write_repo(tmp_path / "repo", {
        "customers/acme/customer.yaml": CUSTOMER.replace("tier: B", "tier: Z"),
        "customers/legacy/customer.yaml": CUSTOMER.replace("tier: B", "tier: Z"),
        "customers/beta/customer.yaml": CUSTOMER.replace("channel: direct", "channel: dealer\ndealer: 某经销商"),
        "customers/Bad_Id/customer.yaml": CUSTOMER,
    }, config=SETTINGS)
    found = json.loads(cli("check", repo, "--format", "json").out)["diagnostics"]
    assert [(d["path"], d["code"], d["severity"]) for d in found] == [
        ("customers/Bad_Id", "id-invalid", "error"),  # a folder, not customers/*/customer.yaml: as it was
        ("customers/acme/customer.yaml", "schema-value", "warning"),
    ]
    # the same repository without the settings
    (repo / "crm.yaml").write_text("format: 1\nlanguage: en\n", encoding="utf-8")
    codes = {(d["path"], d["code"]) for d in json.loads(cli("check", repo, "--format", "json").out)["diagnostics"]}
    assert ("customers/legacy/customer.yaml", "schema-value") in codes
    assert ("customers/beta/customer.yaml", "class-channel") in codes


def test_a_setting_naming_no_code_is_an_error_at_its_line(cli, tmp_path):
    repo = write_repo(tmp_path / "repo", {"customers/acme/customer.yaml": CUSTOMER},
                      config="format: 1\nlanguage: en\ncheck:\n  ignore: [flag-cold-contakt]\n"
                             "  per_path:\n    - paths: [customers]\n      severity: {stage-stuck: error}\n")
    result = cli("check", repo)
    assert result.code == 1
    assert result.err.splitlines()[:4] == [
        "crm.yaml:4:12: error setting-invalid check settings: no diagnostic code starts with `flag-cold-contakt` "
        "(did you mean `flag-cold-contact`?)",
        "    name a code as check prints it (crmctl explain CODE tells what each means)",
        "crm.yaml:7:18: error setting-invalid check settings: no diagnostic code starts with `stage-stuck` "
        "(did you mean `stage-stalled`?)",
        "    name a code as check prints it (crmctl explain CODE tells what each means)",
    ]


STALLED = {
    "customers/acme/customer.yaml": CUSTOMER,
    "customers/acme/projects/p1/project.yaml": "name: 项目一\nowner: 王磊\nopened: 2026-01-05\n",
}


def test_strict_fails_on_the_data_not_on_the_calendar_unless_asked(cli, tmp_path):
    repo = write_repo(tmp_path / "repo", STALLED)
    found = json.loads(cli("check", repo, "--format", "json", "--today", "2026-11-29").out)["diagnostics"]
    assert {d["code"] for d in found} == {"stage-stalled"} and all(d["reminder"] for d in found)
    assert cli("check", repo, "--strict", "--today", "2026-11-29").code == 0
    failing = cli("check", repo, "--fail-on-reminders", "--today", "2026-11-29")
    assert failing.code == 1
    # the summary says why a run with no error failed
    assert failing.err.splitlines()[-1] == ("checked 1 customer, 3 files: 0 errors, 1 warning "
                                            "(1 warning failing the check)")
    # a warning about the data does fail --strict
    (repo / "customers/acme/customer.yaml").write_text(CUSTOMER.replace("channel: direct", "channel: dealer\n"
                                                                        "dealer: 某经销商"), encoding="utf-8")
    assert cli("check", repo, "--today", "2026-11-29").code == 0
    assert cli("check", repo, "--strict", "--today", "2026-11-29").code == 1
    # a team may make a reminder an error itself
    (repo / "crm.yaml").write_text("format: 1\nlanguage: en\ncheck:\n  severity: {stage-stalled: error}\n",
                                   encoding="utf-8")
    assert cli("check", repo, "--today", "2026-11-29", "--select", "stage").code == 1


def test_explain_says_a_code_in_the_repository_language(cli, tmp_path, monkeypatch):
    from crmctl.checking.explanations import EXPLANATIONS

    zh = write_repo(tmp_path / "zh", {}, config="format: 1\nlanguage: zh-CN\n")
    monkeypatch.chdir(zh)
    result = cli("explain", "ref-unknown")
    meaning, fix = EXPLANATIONS["ref-unknown"]["zh-CN"]
    assert result.code == 0
    assert result.out == f"ref-unknown (错误)\n  何时：{meaning}\n  处理：{fix}\n"
    en = cli("explain", "stage-stalled", "--lang", "en").out
    assert en.startswith("stage-stalled (warning; a reminder of the calendar (see check --fail-on-reminders))\n")
    flags = json.loads(cli("explain", "flag-", "--format", "json").out)
    assert [f["code"] for f in flags] == [c for c in EXPLANATIONS if c.startswith("flag-")]
    every = cli("explain", "--lang", "en").out
    assert every.count("\n  fix: ") == len(EXPLANATIONS)


def test_explain_of_no_code_is_an_error_with_a_suggestion(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # outside any repository: explain still works
    result = cli("explain", "gate-mising-output", "--lang", "en")
    assert result.code == 1
    assert result.err == ("crmctl: no diagnostic code is or starts with `gate-mising-output` (did you mean "
                          "`gate-missing-output`?)\n    crmctl explain without a code lists them all\n")


def test_every_code_is_explained_in_both_languages_and_as_the_docs_say(tmp_path):
    import re

    from crmctl.checking.explanations import EXPLANATIONS
    from crmctl.messages import CATALOG

    assert list(EXPLANATIONS) == list(CATALOG)
    docs = (Path(__file__).parent.parent / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    rows = {m[0]: (m[1], m[2].replace("\\|", "|")) for m in
            re.findall(r"^\| `([a-z0-9-]+)` \| \w+ \| (.*?) \| (.*) \|$", docs, re.M)}
    for code, texts in EXPLANATIONS.items():
        assert set(texts) == {"en", "zh-CN"}
        assert texts["en"] == rows[code], code


# -- merge conflicts ------------------------------------------------------------------------

def test_a_merge_conflict_is_reported_at_its_marker_not_as_a_syntax_error(cli, tmp_path):
    conflicted = ("name: 测试客户\ncategory: enterprise\n<<<<<<< HEAD\ntier: A\n=======\ntier: B\n>>>>>>> feature\n"
                  "market: local\nchannel: direct\nowner: 张明\n")
    repo = write_repo(tmp_path / "repo", {"customers/acme/customer.yaml": conflicted})
    result = cli("check", repo)
    assert result.code == 1
    assert result.err.splitlines() == [
        "customers/acme/customer.yaml:3:1: error merge-conflict an unresolved git merge conflict: the file still "
        "holds the marker `<<<<<<<`",
        "    keep the lines you want between <<<<<<< and >>>>>>>, delete the marker lines (<<<<<<<, =======, >>>>>>> "
        "and any |||||||), then `git add` the file (or take one side whole: git checkout --ours/--theirs FILE)",
        "checked 1 customer, 2 files: 1 error, 0 warnings",
    ]


def test_a_name_no_text_may_hold_is_shown_escaped_in_every_format(cli, tmp_path):
    """A folder named with a byte that is not UTF-8, or with U+FFFE (no XML character), comes from a
    pull request like any name: every format stays valid and names it escaped."""
    import os

    repo = write_repo(tmp_path / "repo", {"customers/acme/customer.yaml": CUSTOMER})
    os.mkdir(os.fsencode(repo / "customers") + b"/bad\xffname")
    (repo / "customers/a\ufffeb").mkdir()
    for fmt in ("text", "json", "sarif", "junit", "github"):
        result = cli("check", repo, "--format", fmt, "--lang", "en")
        assert result.code == 1, (fmt, result.err)
    assert "customers/bad\\udcffname: error file-name-control" in cli("check", repo, "--lang", "en").err
    json.loads(cli("check", repo, "--format", "json").out)
    log = json.loads(cli("check", repo, "--format", "sarif").out)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert "customers/bad%FFname" in uris  # the name's very bytes
    _junit(cli("check", repo, "--format", "junit").out)


def test_the_settings_cannot_hide_their_own_mistakes(cli, tmp_path):
    repo = write_repo(tmp_path / "repo", {"customers/acme/customer.yaml": CUSTOMER},
                      config="format: 1\nlanguage: en\ncheck:\n  ignore: [setting-, no-such-code]\n"
                             "  severity: {setting-invalid: warning}\n")
    result = cli("check", repo)
    assert result.code == 1
    assert "crm.yaml:4:22: error setting-invalid" in result.err  # not ignored, not a warning


def test_diff_writes_nothing_but_the_diff(cli, repo, tmp_path):
    result = cli("check", repo, "--diff", "--format", "sarif", "--lang", "en")
    assert result.code == 2 and result.err.startswith("crmctl: --diff shows the fixes and nothing else")
    assert cli("check", repo, "--diff", "-o", tmp_path / "x.json").code == 2
    assert not (tmp_path / "x.json").exists()


def test_a_lone_separator_left_from_a_conflict_is_a_merge_conflict(cli, tmp_path):
    repo = write_repo(tmp_path / "repo", {
        "customers/acme/customer.yaml": CUSTOMER.replace("tier: B\n", "tier: A\n=======\ntier: B\n")})
    result = cli("check", repo, "--lang", "en")
    assert result.err.splitlines()[0] == ("customers/acme/customer.yaml:5:1: error merge-conflict an unresolved git "
                                          "merge conflict: the file still holds the marker `=======`")
