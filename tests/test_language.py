"""One language at a time: a zh-CN walk from init to a won project shows no English, and
Chinese text uses full-width punctuation."""

from __future__ import annotations

import re
import string

import pytest
from test_pipeline import DOCS, fill, fill_contract

# what may stay Latin in Chinese output: commands and their options, ids, file paths, codes,
# field names in backticks, stage ids in brackets, format and currency names
KEEP = [
    r"`[^`]*`",                       # a key or value as written in the file
    r"crmctl[^\n,。;:)」]*",          # a command to run
    r"\bgit [a-z][^\n,。;:)」&]*",    # git's
    r"--[a-z][a-z-]*",                # an option
    r"[\w./-]*\.(?:yaml|yml|md|json|j2|gitignore|gitattributes|gitkeep|xml|sarif)(?::\d+:\d+)?",  # a file, perhaps located
    r"\b(?:customers|schemas|templates)/[\w./-]*",
    r"\[[a-z_]+\]",                   # a stage id beside its name
    r"(?:错误|警告) [a-z][a-z0-9-]+",  # a diagnostic's code
    r"\b[a-z0-9]+(?:[-_][a-z0-9]+)+\b",  # ids and other hyphenated or snake-case keys
    r"\b[a-z][a-z0-9]*/[a-z0-9-]+\b",    # CUSTOMER/PROJECT
    r"\b(?:CNY|YAML|UTF-8|GBK|CSV|JSON|ID|OK|Tab)\b",
    r"«[^»]*»",
    r"'[^']*'",                       # what the user typed, quoted back
    r"\bp1\b|\bacme\b",             # this walk's ids
]


def english_in(text: str) -> list[str]:
    for pattern in KEEP:
        text = re.sub(pattern, " ", text)
    return sorted({w for w in re.findall(r"[A-Za-z]{3,}", text)})


def test_a_zh_cn_walk_from_init_to_won_shows_no_english(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("CRMCTL_USER", "王磊")
    root = tmp_path / "crm"
    said = []

    def run(*args: str, expect: int | None = 0):
        result = cli(*args, *(("--repo", root) if args[0] not in ("init", "check") else ()))
        said.append((args, result.out + result.err))
        if expect is not None:
            assert result.code == expect, (args, result.err)
        return result

    run("init", root, "--company", "华北分公司", "--crmctl-spec", "x")
    run("new", "customer", "城市环卫", "--category", "government", "--kind", "institution", "--market", "local",
        "--tier", "A", "--owner", "张明", "--region", "北京", "--id", "acme")
    (root / "customers/acme/customer.yaml").write_text(
        (root / "customers/acme/customer.yaml").read_text().replace(
            "current_fleet: []", "current_fleet:\n  - {brand: 福田, model: 洗扫车, tonnage: 8, configuration: 国六, "
                                 "price: 420000, quantity: 10, purchase_date: 2021-06-18}"))
    run("new", "contact", "acme", "李阳", "--title", "总经理", "--level", "decision_maker", "--function",
        "final_approver", "--attitude", "supporter", "--id", "li-yang")
    run("new", "contact", "acme", "张华", "--reports-to", "li-yang", "--function", "technical", "--id", "zhang-hua")
    run("new", "project", "acme", "洗扫车更新", "--owner", "王磊", "--id", "p1", "--opened", "2026-08-01")
    project = root / "customers/acme/projects/p1/project.yaml"
    project.write_text(project.read_text().replace(
        "decision_map: []", "decision_map:\n  - {contact: li-yang, role: final_approver, weight: 60}\n"
                            "  - {contact: zhang-hua, role: technical, weight: 40}"))
    run("check", root, "--today", "2026-08-02")
    run("advance", "acme", expect=1)
    dates = ["2026-08-03", "2026-08-06", "2026-08-12", "2026-08-25"]
    for kind, date in zip(list(DOCS)[:4], dates):
        run("doc", "new", "acme/p1", kind)
        run("advance", "acme", "--date", date, expect=1)  # still a draft
        fill(root / "customers/acme/projects/p1" / f"{kind}.md", DOCS[kind])
        run("advance", "acme", "--date", date)
        run("status", "acme/p1")
    run("doc", "new", "acme/p1", "negotiation_minutes")
    fill(root / "customers/acme/projects/p1/negotiation_minutes.md", DOCS["negotiation_minutes"])
    run("close", "acme", "--won", "--reason", "签约", "--date", "2026-09-05", expect=1)  # not yet
    run("doc", "new", "acme/p1", "evaluation")
    evaluation = root / "customers/acme/projects/p1/evaluation.yaml"
    evaluation.write_text(re.sub(r"«[^»]*»", "8", evaluation.read_text()))
    run("advance", "acme", "--date", "2026-09-05", expect=1)  # the contract is reviewed first
    run("doc", "new", "acme/p1", "contract")
    fill_contract(root / "customers/acme/projects/p1/contract.yaml", "2026-09-04")
    run("advance", "acme", "--date", "2026-09-05")
    run("close", "acme", "--won", "--reason", "签约", "--date", "2026-09-06")
    run("log", "acme", "交车后首次回访", "--kind", "return_visit", "-c", "李阳", "--next", "安排培训",
        "--next-date", "2026-09-20", "--date", "2026-09-10", "--today", "2026-09-10")
    for args in (("status",), ("due", "--today", "2027-01-01"), ("due", "--within", "两周"), ("show", "acme"), ("show", "acme/p1"), ("map", "acme/p1"), ("score", "acme/p1"),
                 ("classify",), ("fees", "--year", "2026"), ("list",), ("close", "acme/p1", "--lost", "--reason", "x"),
                 ("advance", "acme/p1", "--to", "contract"), ("new", "contact", "acme", "李阳"),
                 ("check", "--format", "xml"), ("new", "customer", ""), ("frobnicate",)):
        run(*args, expect=None)
    said = [(args, text.replace(str(root), "")) for args, text in said]  # the folder the user chose
    leaks = {" ".join(map(str, args)): english_in(text) for args, text in said if english_in(text)}
    assert leaks == {}


def _zh_texts():
    from crmctl.messages import CATALOG

    for code, (_, texts) in CATALOG.items():
        for part in texts["zh-CN"]:
            yield code, part


@pytest.mark.parametrize("code,text", list(_zh_texts()))
def test_chinese_messages_use_full_width_punctuation(code, text):
    plain = re.sub(r"`[^`]*`|\{[^}]*\}|«[^»]*»|crmctl [^,。;:)]*|[A-Za-z0-9_./*&%-]+(?: [A-Za-z0-9_./*&%-]+)*", "",
                   text)
    half = [c for c in plain if c in ",:;()?!" and c not in string.whitespace]
    assert half == [], f"{code}: {text}"


def test_the_yaml_parsers_own_problems_reach_a_zh_cn_user_in_chinese():
    """Every syntax error of the official YAML test suite's invalid cases, read in zh-CN."""
    from pathlib import Path

    from crmctl.files.yamlio import parse_yaml
    from crmctl.messages import Messages

    zh = Messages("zh-CN")
    suite = Path(__file__).parent / "yaml-test-suite" / "cases"
    said = {}
    for case in sorted(suite.rglob("in.yaml")):
        text = case.read_bytes().decode("utf-8", "replace")
        for diagnostic in parse_yaml(text, "f.yaml", zh).diagnostics:
            said[f"{case.parent.name}: {diagnostic.message}"] = english_in(f"{diagnostic.message}\n{diagnostic.hint}")
    assert len(said) > 50  # the suite's invalid cases were read
    assert {case: words for case, words in said.items() if words} == {}


def test_chinese_text_in_the_examples_and_templates_uses_full_width_punctuation():
    # what a Chinese sales team writes, and what crmctl's own documents start from
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    files = [*(root / "examples").rglob("*.yaml"), *(root / "examples").rglob("*.md"),
             *(root / "templates" / "documents" / "zh-CN").glob("*.j2")]
    # a `, ` or `: ` followed by a space is YAML's own (a flow list, a key)
    half = re.compile(r"[\u4e00-\u9fff][;?!()]|[;?!()][\u4e00-\u9fff]|[\u4e00-\u9fff][,:](?!\s)|[,:][\u4e00-\u9fff]")
    found = [f"{path.relative_to(root)}:{n}: {line.strip()}" for path in files
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if half.search(line)]
    assert len(files) > 50 and found == []


def test_what_is_written_into_the_repository_is_in_its_language_whatever_lang_says(cli, tmp_path, monkeypatch):
    import shutil
    from pathlib import Path

    monkeypatch.setenv("CRMCTL_USER", "王磊")  # one of the examples' people: advance records who

    root = tmp_path / "examples"
    shutil.copytree(Path(__file__).resolve().parent.parent / "examples", root)  # a zh-CN repository
    for args in (("new", "customer", "新客户", "--category", "enterprise", "--market", "local", "--tier", "C",
                  "--owner", "张明", "--region", "北京"),
                 ("new", "project", "bj-huanwei", "测试项目", "--owner", "王磊", "--id", "p2"),
                 ("doc", "new", "bj-huanwei/p2", "phone_invitation"),
                 ("advance", "bj-huanwei/p2", "--force", "--reason", "测试")):
        assert cli(*args, "--repo", root, "--lang", "en").code == 0, args
    written = [root / "customers/xin-ke-hu/customer.yaml", root / "customers/xin-ke-hu/contacts.yaml",
               root / "customers/xin-ke-hu/activities.yaml", root / "customers/bj-huanwei/projects/p2/project.yaml",
               root / "customers/bj-huanwei/projects/p2/phone_invitation.md",
               root / "customers/bj-huanwei/projects/p2/history.yaml"]
    for path in written:
        comments = [line for line in path.read_text(encoding="utf-8").splitlines()
                    if line.lstrip().startswith("#") and "yaml-language-server" not in line]
        prose = " ".join(comments) if path.suffix == ".yaml" else path.read_text(encoding="utf-8")
        assert re.search(r"[\u4e00-\u9fff]", prose), path  # Chinese, as crm.yaml says
    assert "电话邀约" in (root / "customers/bj-huanwei/projects/p2/phone_invitation.md").read_text(encoding="utf-8")
