"""What a diagnostic code means and how to fix it (``crmctl explain``, SARIF's rule list)."""

from __future__ import annotations

import re

from crmctl.checking.explanations import EXPLANATIONS
from crmctl.diagnostics import Severity
from crmctl.messages import CATALOG, REMINDERS, Messages

# the texts are also docs/diagnostics.md's table, whose links lead to the pages beside it; a reader
# of `explain` or a code-scanning view has crmctl's documentation, not that folder
_DOC_LINK = re.compile(r"\[([a-z]+\.md)\]\(\1\)")


def _outside_docs(text: str, m: Messages) -> str:
    return _DOC_LINK.sub(lambda found: m.pick(f"crmctl's docs/{found.group(1)}", f"crmctl 文档 docs/{found.group(1)}"),
                         text)


def rules(m: Messages) -> list[tuple[str, Severity, str, str]]:
    """Every code as (code, severity, meaning, fix) in ``m``'s language, in the catalogue's order."""
    return [(code, severity, *(_outside_docs(t, m) for t in EXPLANATIONS[code][m.lang]))
            for code, (severity, _) in CATALOG.items()]


def matching(prefix: str) -> list[str]:
    """The codes ``prefix`` names: itself when it is a code, else every code it starts."""
    if prefix in CATALOG:
        return [prefix]
    return [code for code in CATALOG if code.startswith(prefix)] if prefix else []


def explain(code: str, m: Messages) -> dict[str, object]:
    """One code as data: severity, whether it is a calendar reminder, meaning, fix, and the
    message and hint as check words them (``{name}``: filled in from the file)."""
    severity, texts = CATALOG[code]
    meaning, fix = (_outside_docs(t, m) for t in EXPLANATIONS[code][m.lang])
    message, hint = texts[m.lang]
    return {"code": code, "severity": severity.value, "reminder": code in REMINDERS, "meaning": meaning,
            "fix": fix, "message": message, "hint": hint}
