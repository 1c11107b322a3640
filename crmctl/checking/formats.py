"""check's findings in the formats CI systems read: GitHub workflow commands, SARIF 2.1.0 for
code-scanning views, JUnit XML for GitLab and Jenkins.

Each takes the diagnostics as they will be judged (severity settings applied) and which of
them fail the run, and returns the text to write; the CLI only writes it. Paths are the
repository's, prefixed with the repository's folder inside the git checkout (``root_prefix``),
as the CI systems place a finding by the path from the checkout's top. No format holds a time
or an absolute path, so the same repository gives the same bytes.
"""

from __future__ import annotations

import json
from typing import Callable, Iterable, Sequence
from urllib.parse import quote
from xml.etree import ElementTree

from crmctl.diagnostics import Diagnostic, Severity
from crmctl.escaping import CONTROL_IN_LINES, visible

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _body(d: Diagnostic) -> str:
    return visible(d.message) + (f"\n{visible(d.hint)}" if d.hint else "")


# -- GitHub Actions -----------------------------------------------------------------

def _workflow_data(text: str) -> str:
    # GitHub's workflow commands: a message's %, CR and LF written as %25, %0D, %0A
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _workflow_property(text: str) -> str:
    # a property's value also escapes the `:` and `,` that separate properties
    return _workflow_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotations(diagnostics: Iterable[Diagnostic], root_prefix: str = "") -> str:
    """One GitHub Actions workflow command per problem (``::error file=…,line=…,col=…::…``), which
    GitHub shows on the line it names in a pull request's diff; a problem of a whole file names no
    line (never a fake line 0)."""
    lines = []
    for d in diagnostics:
        level = "error" if d.severity == Severity.ERROR else "warning"
        props = [f"file={_workflow_property(visible(root_prefix + d.path))}"]
        if d.line > 0:
            props += [f"line={d.line}", f"col={max(d.col, 1)}"]
        props.append(f"title={_workflow_property(d.code)}")
        lines.append(f"::{level} {','.join(props)}::{_workflow_data(_body(d))}\n")
    return "".join(lines)


# -- SARIF 2.1.0 ----------------------------------------------------------------------

def sarif(diagnostics: Sequence[Diagnostic], *, version: str, rules: Sequence[tuple[str, Severity, str, str]],
          root_prefix: str = "") -> str:
    """A SARIF 2.1.0 log of one run. ``rules``: every code crmctl knows as (code, default severity,
    meaning, fix), in the repository's language, so a code-scanning view can explain each result;
    a result's level is its severity as judged (a setting may have raised a warning to an error)."""
    index = {code: i for i, (code, *_) in enumerate(rules)}
    results = []
    for d in diagnostics:
        # a name's bytes that are not UTF-8 (surrogates, as Python reads them) percent-encoded as the bytes
        location: dict = {"artifactLocation": {"uri": quote(root_prefix + d.path, safe="/", errors="surrogateescape")}}
        if d.line > 0:
            location["region"] = {"startLine": d.line, "startColumn": max(d.col, 1)}
        results.append({
            "ruleId": d.code, "ruleIndex": index[d.code],
            "level": "error" if d.severity == Severity.ERROR else "warning",
            "message": {"text": _body(d)},
            "locations": [{"physicalLocation": location}],
        })
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "crmctl", "version": version,
                "rules": [{
                    "id": code,
                    "shortDescription": {"text": meaning},
                    "help": {"text": fix},
                    "defaultConfiguration": {"level": "error" if severity == Severity.ERROR else "warning"},
                } for code, severity, meaning, fix in rules],
            }},
            # crmctl's columns count characters, not bytes or UTF-16 units (a Chinese name is one each)
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    text = json.dumps(log, ensure_ascii=False, indent=2)
    return CONTROL_IN_LINES.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


# -- JUnit XML ------------------------------------------------------------------------

def junit(diagnostics: Sequence[Diagnostic], fails: Callable[[Diagnostic], bool], *, checked: str,
          root_prefix: str = "", lang: str = "en") -> bytes:
    """JUnit XML as GitLab and Jenkins read it: one test suite per file with problems, one test
    case per problem; a problem that fails the check is a failure, one that does not (a warning
    without --strict) is a skipped case, shown but not red. A clean repository is one passing
    case named ``checked``, so the report is never empty. The text a person reads is in ``lang``;
    the attributes a program reads (``type``) keep the values."""
    from crmctl.diagnostics import SEVERITY_WORDS

    by_file: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        by_file.setdefault(d.path, []).append(d)
    failures = sum(map(fails, diagnostics))
    top = ElementTree.Element("testsuites", name="crmctl check", tests=str(max(len(diagnostics), 1)),
                              failures=str(failures), errors="0")
    if not diagnostics:
        suite = ElementTree.SubElement(top, "testsuite", name="crmctl check", tests="1", failures="0", errors="0",
                                       skipped="0")
        ElementTree.SubElement(suite, "testcase", classname="crmctl check", name=visible(checked))
    for path, found in by_file.items():
        file = visible(root_prefix + path)
        failed = sum(map(fails, found))
        suite = ElementTree.SubElement(top, "testsuite", name=file, tests=str(len(found)), failures=str(failed),
                                       errors="0", skipped=str(len(found) - failed))
        for d in found:
            where = f"{d.line}:{max(d.col, 1)} " if d.line > 0 else ""
            case = ElementTree.SubElement(suite, "testcase", classname=file, name=f"{where}{d.code}", file=file)
            if d.line > 0:
                case.set("line", str(d.line))
            element = ElementTree.SubElement(case, "failure" if fails(d) else "skipped",
                                             type=str(d.severity), message=visible(d.message))
            severity = SEVERITY_WORDS[d.severity] if lang == "zh-CN" else str(d.severity)
            element.text = f"{visible(d.location())}: {severity} {d.code} {_body(d)}"
    ElementTree.indent(top)
    return ElementTree.tostring(top, encoding="utf-8", xml_declaration=True) + b"\n"
