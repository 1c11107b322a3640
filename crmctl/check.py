"""``crmctl check``: load every file, validate it, run every rule, in one pass.

Customers are independent, so a large repository is checked in several
processes (PERF.md: two processes nearly halve a full check). The result is
sorted, so it is the same whatever the number of processes.
"""

from __future__ import annotations

import gc
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from crmctl.diagnostics import Diagnostic, sort_diagnostics
from crmctl.messages import Messages
from crmctl.repository import customer_ids, load_config, load_customer
from crmctl.rules import RuleContext, run_customer_rules

# below this many customers a second process costs more than it saves
PARALLEL_FROM = 400
CHUNK = 250


@dataclass(frozen=True)
class CheckResult:
    diagnostics: list[Diagnostic]
    customers: int
    files: int


def _check_customers(root: Path, lang: str, ids: list[str]) -> tuple[list[Diagnostic], int]:
    messages = Messages(lang)
    config, _ = load_config(root, messages)  # its diagnostics are reported once, by the caller
    ctx = RuleContext(messages, config)
    found: list[Diagnostic] = []
    files = 0
    for customer_id in ids:
        record, diagnostics = load_customer(root, customer_id, messages)
        found.extend(diagnostics)
        found.extend(run_customer_rules(record, ctx))
        files += sum(x is not None for x in (record.customer, record.contacts, record.activities))
        files += sum(p.project is not None for p in record.projects.values())
    return found, files


def check_repository(root: Path, messages: Messages, *, jobs: int | None = None) -> CheckResult:
    """Check the whole repository. ``jobs``: processes to use (default: all cores
    for a large repository, one for a small one)."""
    config_diagnostics = load_config(root, messages)[1]
    ids, diagnostics = customer_ids(root, messages)
    diagnostics = config_diagnostics + diagnostics
    if jobs is None:
        jobs = (os.cpu_count() or 1) if len(ids) >= PARALLEL_FROM else 1
    jobs = max(1, min(jobs, max(1, len(ids) // CHUNK + 1)))
    files = 1
    # the loaded data is garbage-free while we work; collections only cost time
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        if jobs == 1:
            found, n = _check_customers(root, messages.lang, ids)
            diagnostics += found
            files += n
        else:
            chunks = [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                for found, n in pool.map(_check_customers, [root] * len(chunks), [messages.lang] * len(chunks), chunks):
                    diagnostics += found
                    files += n
    finally:
        if gc_was_enabled:
            gc.enable()
    return CheckResult(sort_diagnostics(diagnostics), len(ids), files)
