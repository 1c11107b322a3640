"""``crmctl check``: load every file, validate it, run every rule, in one pass.

Customers are independent, so a large repository is checked in several
processes (PERF.md: two processes nearly halve a full check). The result is
sorted, so it is the same whatever the number of processes.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from crmctl.checking import settings
from crmctl.checking.rules import RuleContext, run_customer_rules
from crmctl.diagnostics import Diagnostic, cap_per_file, sort_diagnostics
from crmctl.files import layout
from crmctl.files.repository import customer_ids, load_config, load_customer, load_people, named_customer_ids
from crmctl.messages import Messages

# below this many customers a second process costs more than it saves
PARALLEL_FROM = 400
# customers a process checks at a time: large enough that handing one over costs nothing; the last
# ones smaller, down to LAST_CHUNK, so the processes finish together (a process that runs out waits
# for the others' chunks in hand, up to two each)
CHUNK = 100
LAST_CHUNK = 20


def check_pipeline_settings(root: Path, config: Any, messages: Messages) -> list[Diagnostic]:
    """crm.yaml's pipeline names only stages, documents and rules that exist."""
    from crmctl.files import layout
    from crmctl.files.repository import read_repo_yaml
    from crmctl.files.yamlio import locate, mark_of
    from crmctl.pipeline.stages import settings_problems

    problems = settings_problems(config)
    if not problems:
        return []
    doc = read_repo_yaml(root, layout.CONFIG_FILE, messages)
    found = []
    for p in problems:
        line, col = mark_of(locate(doc.root, p.loc)[0])
        found.append(messages.diagnostic("pipeline-invalid", layout.CONFIG_FILE, line, col,
                                         problem=messages.pick(p.en, p.zh), fix=messages.pick(p.fix_en, p.fix_zh)))
    return found


def check_top_folders(root: Path, messages: Messages) -> list[Diagnostic]:
    """The folders crmctl reads or writes beside customers/: ``templates/`` (read by ``doc new``)
    must be a real folder; ``schemas/`` and ``.github/`` (written by ``schema`` and ``init``) may
    be links only if they stay inside."""
    from crmctl.files import boundary
    from crmctl.files.render import REPOSITORY_TEMPLATES

    found = []
    for name in (REPOSITORY_TEMPLATES, "schemas", ".github"):
        if not (root / name).is_symlink():
            found += _links_leading_out(root, name, messages)
            continue
        problem = boundary.diagnostic(root, name, messages)
        if problem is None and name == REPOSITORY_TEMPLATES:
            problem = messages.diagnostic("file-link-ignored", name)
        if problem is not None:
            found.append(problem)
    return found


def _links_leading_out(root: Path, folder: str, messages: Messages) -> list[Diagnostic]:
    """Links inside one of those folders that lead out or loop: doc new and schema refuse them, and
    check says so before either is run (a hostile pull request's template link, say)."""
    from crmctl.files import boundary

    found = []
    for here, folders, files in os.walk(root / folder):  # links to folders are not followed
        for name in sorted(folders + files):
            path = Path(here) / name
            if path.is_symlink():
                problem = boundary.diagnostic(root, path.relative_to(root).as_posix(), messages)
                if problem is not None:
                    found.append(problem)
    return found


@dataclass(frozen=True)
class CheckResult:
    diagnostics: list[Diagnostic]
    customers: int
    files: int


def _context(root: Path, lang: str, today: dt.date) -> RuleContext:
    from crmctl.pipeline.stages import pipeline_for

    messages = Messages(lang)
    config, _ = load_config(root, messages)  # its diagnostics are reported once, by the caller
    team, _ = load_people(root, messages)  # so are people.yaml's
    return RuleContext(messages, config, root, today, pipeline_for(config), team)


# A worker checks many chunks of one run: crm.yaml and people.yaml are read once in it. Only the
# workers call this (each pool's workers are new processes), so no run sees another's settings.
_worker_context = functools.lru_cache(maxsize=1)(_context)


def _check_customers(root: Path, lang: str, today: dt.date, ids: list[str]) -> tuple[list[Diagnostic], int]:
    """One chunk of customers, in a worker process."""
    return _check_chunk(_worker_context(root, lang, today), ids)


def _check_chunk(ctx: RuleContext, ids: list[str]) -> tuple[list[Diagnostic], int]:
    root, messages = ctx.root, ctx.messages
    found: list[Diagnostic] = []
    files = 0
    for customer_id in ids:
        record, diagnostics = load_customer(root, customer_id, messages)
        found.extend(diagnostics)
        # reading and validating cap their own problems, where the cost is; this caps the rules'
        found.extend(cap_per_file(run_customer_rules(record, ctx), messages.more))
        # every kind the layout knows, so a kind added there is counted too
        files += sum(getattr(record, kind.name) is not None for kind in layout.CUSTOMER_FILES.values())
        for project in record.projects.values():
            files += sum(getattr(project, kind.name) is not None for kind in layout.PROJECT_FILES.values())
            files += len(project.documents)
    return found, files


def _chunks(ids: list[str], jobs: int) -> list[list[str]]:
    """``ids`` in chunks of CHUNK, shrinking towards the end when several processes share them: each
    chunk at most a sixth of what is left for each process, and never below LAST_CHUNK."""
    chunks, start = [], 0
    while start < len(ids):
        size = CHUNK if jobs == 1 else max(LAST_CHUNK, min(CHUNK, (len(ids) - start) // (6 * jobs)))
        chunks.append(ids[start:start + size])
        start += size
    return chunks


# what a change outside customers/ touches: every customer is judged by crm.yaml and people.yaml, and
# check looks into these folders for links; any other file there (a README, a CI file) is read by nobody
_READ_BY_EVERY_CHECK = (layout.CONFIG_FILE, layout.PEOPLE_FILE, "templates", layout.SCHEMA_DIR, ".github")


def affected_customers(paths: Iterable[str]) -> set[str] | None:
    """The customer folders a change to ``paths`` can alter the findings of, by name; None when
    it can alter every one. Records refer to each other only inside a customer (a project names
    the customer's contacts) and to crm.yaml and people.yaml, so a changed or deleted file of a
    customer needs that customer checked again, whole, and a changed crm.yaml all of them."""
    names: set[str] = set()
    for path in paths:
        parts = path.split("/")
        if parts[0] == layout.CUSTOMERS_DIR:
            if len(parts) == 1:
                return None
            names.add(parts[1])
        elif parts[0] in _READ_BY_EVERY_CHECK:
            return None
    return names


def check_repository(root: Path, messages: Messages, *, jobs: int | None = None,
                     today: dt.date | None = None, only: set[str] | None = None,
                     progress: Callable[[int, int], None] | None = None) -> CheckResult:
    """Check the whole repository. ``jobs``: processes to use (default: all cores
    for a large repository, one for a small one). ``today``: the date stalled
    stages and future dates are judged by. ``only``: the customer folders to check
    (:func:`affected_customers`), with the repository's own files; None: all.
    ``progress(done, total)`` is told of the customers checked as they are."""
    today = today or dt.date.today()
    config, config_diagnostics = load_config(root, messages)
    config_diagnostics += check_pipeline_settings(root, config, messages)
    config_diagnostics += settings.check_settings(root, config, messages)
    team, people_diagnostics = load_people(root, messages)
    config_diagnostics += people_diagnostics
    config_diagnostics += check_top_folders(root, messages)
    ids, diagnostics = customer_ids(root, messages) if only is None else named_customer_ids(root, only, messages)
    diagnostics = config_diagnostics + diagnostics
    if jobs is None:
        jobs = (os.cpu_count() or 1) if len(ids) >= PARALLEL_FROM else 1
    jobs = max(1, min(jobs, max(1, len(ids) // CHUNK + 1)))
    files = 1
    # the loaded data is garbage-free while we work; collections only cost time
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        chunks = _chunks(ids, jobs)
        done = 0
        # With several processes this one only hands out chunks and gathers what comes back: checking
        # chunks here too, beside a worker fewer, measured 10% slower at 10,000 customers.
        pool = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else None
        try:
            if pool is None:
                from crmctl.pipeline.stages import pipeline_for

                # crm.yaml and people.yaml as read above: one process reads them once
                ctx = RuleContext(messages, config, root, today, pipeline_for(config), team)
                results: Iterable[tuple[list[Diagnostic], int]] = (_check_chunk(ctx, chunk) for chunk in chunks)
            else:
                results = pool.map(_check_customers, [root] * len(chunks), [messages.lang] * len(chunks),
                                   [today] * len(chunks), chunks)
            for chunk, (found, n) in zip(chunks, results):
                diagnostics += found
                files += n
                done += len(chunk)
                if progress is not None:
                    progress(done, len(ids))
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
    finally:
        if gc_was_enabled:
            gc.enable()
    return CheckResult(sort_diagnostics(settings.apply(diagnostics, config.check)), len(ids), files)
