"""crm.yaml's ``check:`` settings: codes a team ignores or judges at another severity, for the
whole repository or for some paths (as ruff's per-file-ignores), applied to check's findings."""

from __future__ import annotations

import dataclasses
import fnmatch
import re
from pathlib import Path
from typing import Any, Iterable

from crmctl.diagnostics import Diagnostic, Severity
from crmctl.messages import CATALOG, Messages


def _matches(prefix: str) -> bool:
    return any(code.startswith(prefix) for code in CATALOG)


def _paths(patterns: list[str]) -> re.Pattern[str]:
    """One expression for an entry's globs (from the repository's top; a folder takes what is in
    it), compiled once a run: matching each finding against each glob anew would cost a team with
    thousands of them minutes."""
    parts = []
    for pattern in patterns:
        pattern = pattern.strip("/")
        parts += [fnmatch.translate(pattern), fnmatch.translate(pattern + "/*")]
    return re.compile("|".join(f"(?:{part})" for part in parts))


def _level(severity: dict[str, str], code: str) -> str | None:
    # the longest prefix that takes the code decides (`flag-` and `flag-cold-contact` both given)
    best = max((prefix for prefix in severity if code.startswith(prefix)), key=len, default=None)
    return severity[best] if best is not None else None


def apply(diagnostics: Iterable[Diagnostic], settings: Any) -> list[Diagnostic]:
    """``diagnostics`` as the settings judge them: ignored ones dropped, severities changed.
    A ``per_path`` entry that takes a file wins over the top level; a later entry over an earlier."""
    if not (settings.ignore or settings.severity or settings.per_path):
        return list(diagnostics)
    entries = [(_paths(entry.paths), entry) for entry in settings.per_path]
    taking: dict[str, list[Any]] = {}  # path -> the entries that take it, worked out once a path
    judged = []
    for d in diagnostics:
        if d.code in UNSETTABLE:
            judged.append(d)
            continue
        ignore, level = tuple(settings.ignore), _level(settings.severity, d.code)
        found = taking.get(d.path)
        if found is None:
            found = taking[d.path] = [entry for paths, entry in entries if paths.match(d.path)]
        for entry in found:
            ignore += tuple(entry.ignore)
            level = _level(entry.severity, d.code) or level
        if ignore and d.code.startswith(ignore):
            continue
        if level is not None and level != d.severity.value:
            d = dataclasses.replace(d, severity=Severity(level))
        judged.append(d)
    return judged


# what the settings cannot hide or soften: a misspelt setting would otherwise switch off the very
# check that finds it (`ignore: [setting-]`)
UNSETTABLE = frozenset({"setting-invalid"})


def check_settings(root: Path, config: Any, messages: Messages) -> list[Diagnostic]:
    """Every code crm.yaml's ``check:`` names starts a code crmctl has: a misspelt ignore would
    hide nothing, and a misspelt severity change would change nothing, silently."""
    from crmctl.files import layout
    from crmctl.files.repository import read_repo_yaml
    from crmctl.files.yamlio import locate, mark_of

    settings = config.check
    named: list[tuple[tuple[Any, ...], str]] = [(("check", "ignore", i), p) for i, p in enumerate(settings.ignore)]
    named += [(("check", "severity", p), p) for p in settings.severity]
    for n, entry in enumerate(settings.per_path):
        named += [(("check", "per_path", n, "ignore", i), p) for i, p in enumerate(entry.ignore)]
        named += [(("check", "per_path", n, "severity", p), p) for p in entry.severity]
    unknown = [(loc, prefix) for loc, prefix in named if not _matches(prefix)]
    if not unknown:
        return []
    doc = read_repo_yaml(root, layout.CONFIG_FILE, messages)
    found = []
    for loc, prefix in unknown:
        line, col = mark_of(locate(doc.root, loc, want_key=isinstance(loc[-1], str))[0])
        found.append(messages.diagnostic(
            "setting-invalid", layout.CONFIG_FILE, line, col,
            problem=messages.pick(f"no diagnostic code starts with `{prefix}`", f"没有以 `{prefix}` 开头的诊断代码")
            + messages.did_you_mean(prefix, CATALOG),
            fix=messages.pick("name a code as check prints it (crmctl explain CODE tells what each means)",
                              "请写 check 输出中的代码（crmctl explain 代码 可查看其含义）")))
    return found
