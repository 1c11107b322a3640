"""The docs tell the truth: CLI reference = --help, every code and field documented."""

from __future__ import annotations

import importlib.util
import re
import string
import typing
from pathlib import Path

import pytest

from crmctl.files import layout
from crmctl.messages import CATALOG, LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def test_cli_reference_matches_help(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    spec = importlib.util.spec_from_file_location("gen", DOCS / "generate_cli_reference.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == gen.reference(), \
        "docs/cli.md is stale: run python docs/generate_cli_reference.py"


def test_every_code_is_documented_and_nothing_else():
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", (DOCS / "diagnostics.md").read_text(), re.M))
    assert documented == set(CATALOG)


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_messages_exist_in_both_languages_with_the_same_fields(code):
    _, texts = CATALOG[code]
    assert set(texts) == set(LANGUAGES)

    def fields(template: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}

    en_msg, en_hint = texts["en"]
    zh_msg, zh_hint = texts["zh-CN"]
    assert fields(en_msg) | fields(en_hint) == fields(zh_msg) | fields(zh_hint)


def _field_names(model, seen=None) -> set[str]:
    from pydantic import BaseModel

    seen = seen if seen is not None else set()
    if model in seen:
        return set()
    seen.add(model)
    names = set()
    for name, info in model.model_fields.items():
        names.add(info.alias or name)
        stack = [info.annotation]
        while stack:
            tp = stack.pop()
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                names |= _field_names(tp, seen)
            stack.extend(typing.get_args(tp))
    return names


@pytest.mark.parametrize("kind", layout.ALL_KINDS, ids=lambda k: k.name)
def test_every_field_is_in_the_format_doc(kind):
    text = (DOCS / "format.md").read_text(encoding="utf-8")
    text += (DOCS / "pipeline.md").read_text(encoding="utf-8")
    missing = sorted(name for name in _field_names(kind.model())
                     if f"`{name}`" not in text and f"{name}:" not in text)
    assert missing == []


def test_every_document_field_is_in_the_pipeline_doc():
    from crmctl.files.documents import DOCUMENT_KINDS

    text = (DOCS / "pipeline.md").read_text(encoding="utf-8")
    for kind in DOCUMENT_KINDS.values():
        assert f"`{kind.id}`" in text
        missing = sorted(name for name in _field_names(kind.model()) if f"`{name}`" not in text)
        assert missing == [], kind.id


def test_every_stage_and_rule_is_in_the_pipeline_doc():
    from crmctl.pipeline.stages import DEFAULT_STAGES, GATE_RULES

    text = (DOCS / "pipeline.md").read_text(encoding="utf-8")
    assert [s["id"] for s in DEFAULT_STAGES if f"| `{s['id']}` |" not in text] == []
    assert [name for name in GATE_RULES if f"| `{name}` |" not in text] == []


def test_every_red_flag_is_in_the_analysis_doc_with_its_stage():
    from crmctl.analysis.stakeholders import RED_FLAGS

    text = (DOCS / "analysis.md").read_text(encoding="utf-8")
    assert [f.code for f in RED_FLAGS if f"| `{f.code}` | `{f.from_stage}` |" not in text] == []


@pytest.mark.parametrize("lang,choice", [("en", "crmctl's choice"), ("zh-CN", "crmctl 自定")])
def test_defaults_say_whose_they_are(tmp_path, lang, choice):
    """Only some defaults are the manual's: the crm.yaml init writes marks crmctl's own next to each,
    and docs/format.md gives the reason for every one."""
    from crmctl.files.scaffold import init_repository
    from crmctl.messages import Messages

    init_repository(tmp_path, Messages(lang), crmctl_spec="x")
    text = (tmp_path / "crm.yaml").read_text(encoding="utf-8")
    sections = text.split("\n\n")
    for key in ("classification:", "evaluation:", "red_flags:", "max_days"):
        section = next(s for s in sections if key in s)
        assert choice in section, key
    for key in ("fees:", "follow_up:", "targets:"):
        section = next(s for s in sections if key in s)
        assert choice not in section and ("manual" in section or "手册" in section), key
    docs = (DOCS / "format.md").read_text(encoding="utf-8")
    table = docs.split("Where each default comes from:")[1].split("\n## ")[0]
    for setting in ("`fees`", "`follow_up.return_visits`", "`targets`", "`evaluation.weights`",
                    "`evaluation.score_max`", "`classification` sizes", "`classification` tiers",
                    "`red_flags.cold_contact_days`", "`max_days`"):
        assert setting in table
    for page in [*DOCS.glob("*.md"), ROOT / "README.md"]:
        assert "the sales manual's\ndefault" not in page.read_text(encoding="utf-8")
        assert "sales manual's default" not in page.read_text(encoding="utf-8")


def _cells(row: str) -> int:
    """The cells of a Markdown table row (a `|` inside backticks is text, not a border)."""
    return len(re.sub(r"(`+)(.+?)\1", "x", row.strip()).strip("|").split("|"))


@pytest.mark.parametrize("doc", sorted(p.name for p in DOCS.glob("*.md")) + ["../README.md"])
def test_every_table_row_has_as_many_cells_as_its_header(doc):
    lines = (DOCS / doc).read_text(encoding="utf-8").splitlines()
    bad = []
    for i, line in enumerate(lines):
        if i + 1 < len(lines) and line.startswith("|") and re.match(r"^\|(\s*:?-+:?\s*\|)+\s*$", lines[i + 1]):
            width = _cells(line)
            for j in range(i + 2, len(lines)):
                if not lines[j].startswith("|"):
                    break
                if _cells(lines[j]) != width:
                    bad.append(f"{doc}:{j + 1}")
    assert bad == []


def _readme_commands() -> list[str]:
    """The crmctl lines of the README's "Using it" block, continuation lines joined, comments dropped."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Using it", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    lines, current = [], ""
    for raw in block.splitlines():
        line = re.sub(r"\s+#.*$", "", raw).rstrip()
        if current:
            current += " " + line.strip().rstrip("\\").strip()
        elif line.startswith(("crmctl ", "export ")):
            current = line.rstrip("\\").strip()
        if current and not line.endswith("\\"):
            lines.append(current)
            current = ""
    return lines


def test_the_readme_commands_run_as_written(cli, tmp_path, monkeypatch):
    """Each line of "Using it", in order, in a fresh repository: what it creates is created, and
    nothing ends in a crash or a usage error."""
    import shlex

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    commands = _readme_commands()
    assert len(commands) > 20 and commands[0].startswith("crmctl init ~/crm")
    for line in commands:
        words = [str(Path(w).expanduser()) if w.startswith("~") else w for w in shlex.split(line.split(" > ")[0])]
        if words[0] == "export":
            key, _, value = words[1].partition("=")
            monkeypatch.setenv(key, value)
            continue
        if words[1] == "init":
            result = cli(*words[1:])
            monkeypatch.chdir(home / "crm")
        else:
            result = cli(*words[1:])
        assert result.code in (0, 1) and "Traceback" not in result.err, (line, result)
        if words[1] in ("init", "new", "log", "doc", "schema"):
            assert result.code == 0, (line, result.err)
