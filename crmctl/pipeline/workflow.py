"""Moving projects through the pipeline: ``advance``, ``close``, ``reopen``, ``status``, ``doc new``.

Every change is one event appended to the project's history.yaml, under a
lock on the project folder and only if the history is still the one the
decision was made on (another run that got there first makes this one fail,
rather than both writing).
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from crmctl import vocabulary
from crmctl.diagnostics import Diagnostic, sort_diagnostics
from crmctl.errors import UserError
from crmctl.escaping import visible_lines
from crmctl.files import layout, storage
from crmctl.files.repository import repository_language
from crmctl.messages import Messages
from crmctl.pipeline.stages import (
    Pipeline,
    ProjectContext,
    ProjectState,
    evaluate_gate,
    history_events,
    outcome_of,
    pipeline_for,
    replay,
)

# -- naming a project -------------------------------------------------------------


def _folders(root: Path, rel: str, messages: Messages) -> list[str]:
    """The sub-folders of ``rel`` that may name a record (what is wrong with the others, check says)."""
    from crmctl.files.repository import folder_names

    return folder_names(root, rel, messages)[0]


def _project_ids(root: Path, customer_id: str, messages: Messages) -> list[str]:
    return _folders(root, f"{layout.customer_dir(customer_id)}/{layout.PROJECTS_DIR}", messages)


def resolve_project(root: Path, ref: str, messages: Messages, *, closed: bool = False) -> tuple[str, str]:
    """``customer/project``, a project id found in one customer only, or a customer with
    exactly one open project, or with none open, one won (with ``closed``: one closed project,
    for reopen). Anything ambiguous is an error listing the candidates."""
    m = messages
    customer_id, project_id = layout.split_ref(ref, m)
    if project_id is not None:
        layout.require_customer(root, customer_id, m)
        known = _project_ids(root, customer_id, m)
        if project_id not in known:
            raise UserError(m.pick(f"customer {customer_id} has no project `{project_id}`",
                                   f"客户 {customer_id} 没有项目 `{project_id}`"),
                            m.pick(f"its projects: {', '.join(known) or 'none'}", f"其项目：{'、'.join(known) or '无'}"))
        return customer_id, project_id
    ref = customer_id
    candidates = [(c, ref) for c in _folders(root, layout.CUSTOMERS_DIR, m) if ref in _project_ids(root, c, m)]
    if not candidates and ref in _folders(root, layout.CUSTOMERS_DIR, m):
        outcomes = {p: _outcome(root, ref, p, m) for p in _project_ids(root, ref, m)}
        matching = [(ref, p) for p, outcome in outcomes.items() if (outcome is not None) == closed]
        if not matching and not closed:  # a won project goes on through the after-sale stages: it is the one
            matching = [(ref, p) for p, outcome in outcomes.items() if outcome == "won"]
        if not matching:
            what = m.pick("closed", "已关闭的") if closed else m.pick("open", "进行中的")
            raise UserError(m.pick(f"customer {ref} has no {what} project", f"客户 {ref} 没有{what}项目"),
                            m.pick(f"name the project as {ref}/PROJECT; crmctl show {ref} lists them",
                                   f"请写作 {ref}/项目；crmctl show {ref} 列出其项目"))
        candidates = matching
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise UserError(m.pick(f"no project or customer `{ref}`", f"没有项目或客户 `{ref}`"),
                        m.pick("name it as CUSTOMER/PROJECT; crmctl status lists the open ones",
                               "请写作 客户/项目；crmctl status 列出进行中的项目"))
    names = m.pick(", ", "、").join(f"{c}/{p}" for c, p in candidates)
    raise UserError(m.pick(f"`{ref}` is ambiguous: {names}", f"`{ref}` 有歧义：{names}"),
                    m.pick("name one as CUSTOMER/PROJECT", "请写作 客户/项目 指明其一"))


def _outcome(root: Path, customer_id: str, project_id: str, messages: Messages) -> str | None:
    """``won``, ``lost`` or None (open; also when the history cannot be read: the command says why)."""
    from crmctl.files.repository import read_repo_yaml
    from crmctl.files.validate import validate_document
    from crmctl.models.history import History

    rel = f"{layout.project_dir(customer_id, project_id)}/{layout.HISTORY.filename}"
    if not (root / rel).is_file():
        return None
    history, _ = validate_document(History, read_repo_yaml(root, rel, messages), messages)
    return None if history is None else outcome_of(history.events)[0]


# -- loading one project ----------------------------------------------------------


@dataclass
class LoadedProject:
    ctx: ProjectContext
    state: ProjectState
    events: list[Any]
    config: Any


def pipeline_in_force(config: Any, messages: Messages) -> Pipeline:
    """crm.yaml's pipeline, or a UserError when it is broken: no command works on a project by
    stages that are not what the team wrote."""
    pipeline = pipeline_for(config)
    if pipeline is None:
        raise UserError(messages.pick("the pipeline in crm.yaml has problems", "crm.yaml 中的流程配置有问题"),
                        messages.pick("see them with: crmctl check", "查看：crmctl check"))
    return pipeline


def load_project(root: Path, customer_id: str, project_id: str, messages: Messages, *,
                 reading: bool = False) -> LoadedProject:
    """One project with everything its gates read; a UserError if it cannot be worked on (``reading``:
    by a command that only reads it)."""
    from crmctl.files.repository import load_config, load_customer

    m = messages
    config, problems = load_config(root, m)
    pipeline = pipeline_in_force(config, m)
    if any(d.severity == "error" for d in problems):  # its weights and scale are what gates and scores use
        storage.known_format(root, m)  # a newer crmctl's repository says so first
        raise storage.refusal(layout.CONFIG_FILE, [d for d in problems if d.severity == "error"], m, reading=reading)
    record, diagnostics = load_customer(root, customer_id, m)
    project = record.projects.get(project_id)
    if project is None:  # its folder could not be read, or is a link leading out
        raise storage.refusal(layout.project_dir(customer_id, project_id),
                              [d for d in diagnostics if d.path.startswith(layout.project_dir(customer_id, project_id))]
                              or diagnostics, m, reading=reading)
    # the gates read the customer and its people too: a broken customer.yaml would hide the fleet,
    # a broken contacts.yaml make everyone unknown, a broken competition.yaml the competitors
    for loaded in (project.project, project.history, record.customer, record.contacts, project.competition):
        if loaded is not None and loaded.model is None:  # the file's own problems say why
            raise storage.refusal(loaded.path, [d for d in diagnostics if d.path == loaded.path], m, reading=reading)
    if project.project is None:
        raise storage.refusal(f"{project.dir}/{layout.PROJECT.filename}",
                              [d for d in diagnostics if d.path.startswith(project.dir)], m, reading=reading)
    events = history_events(project)
    state, problems = replay(events, project.project.model.opened, pipeline)
    if problems:
        rel = f"{project.dir}/{layout.HISTORY.filename}"
        raise UserError(m.pick(f"{rel}: the stage history does not add up: {problems[0].en}",
                               f"{rel}：阶段历史前后矛盾：{problems[0].zh}"),
                        m.pick("see every problem with: crmctl check", "查看全部问题：crmctl check"))
    return LoadedProject(ProjectContext(root, record, project, pipeline, m, config), state, events, config)


def actor(root: Path, by: str | None, messages: Messages) -> str:
    """Who records a stage event: ``--by``, else :func:`default_actor`; once the team keeps a
    people.yaml, one of our people (as ``log`` takes them). An empty ``--by`` names nobody."""
    from crmctl.files.scaffold import our_person

    if by is not None and not by.strip():
        m = messages
        raise UserError(m.pick("--by is empty: say who did it", "--by 为空：请写明是谁"),
                        m.pick("give an id or a name, or leave --by out to use $CRMCTL_USER",
                               "请写标识或姓名，或不写 --by 以使用 $CRMCTL_USER"))
    return our_person(root, by if by is not None else default_actor(root, messages), "--by", messages,
                      guessed=by is None)


def default_actor(root: Path, messages: Messages) -> str:
    """Who is acting: $CRMCTL_USER, else git's user.name, else the login name; a
    UserError when none of them tells (a CI container with no user entry, say)."""
    if os.environ.get("CRMCTL_USER"):
        return os.environ["CRMCTL_USER"]
    try:
        name = subprocess.run(["git", "config", "user.name"], cwd=root, capture_output=True, text=True,
                              timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no LOGNAME/USER and no passwd entry for this uid
        raise UserError(messages.pick("cannot tell who is acting: no --by, no $CRMCTL_USER, no git user.name "
                                      "and no login name", "无法确定操作人：没有 --by、$CRMCTL_USER、git user.name，"
                                      "也没有登录名"),
                        messages.pick("pass --by NAME, or set CRMCTL_USER", "请使用 --by 姓名，或设置 CRMCTL_USER")) from None


def _event_date(loaded: LoadedProject, date: dt.date | None, today: dt.date, m: Messages) -> dt.date:
    date = date or today
    last = loaded.state.last_date or loaded.state.entered
    if date < last:
        raise UserError(m.pick(f"--date {date} is before the project's last recorded date {last}",
                               f"--date {date} 早于项目最近记录的日期 {last}"),
                        m.pick("history is kept in date order", "阶段历史须按日期先后记录"))
    if date > today:
        raise UserError(m.pick(f"--date {date} is in the future", f"--date {date} 在将来"),
                        m.pick("record what has happened, when it happened", "请记录已发生的事及其日期"))
    return date


def _append_event(loaded: LoadedProject, event: dict[str, Any]) -> str:
    """Append ``event`` to history.yaml if nobody else has written since we read it."""
    from crmctl.files import newfiles
    from crmctl.files.edit import append_to_list
    from crmctl.files.validate import validate_document
    from crmctl.files.yamlio import parse_yaml
    from crmctl.models.history import History

    ctx, m = loaded.ctx, loaded.ctx.messages
    rel = f"{ctx.project.dir}/{layout.HISTORY.filename}"
    with storage.writing(ctx.root, m) as writer:
        current = writer.read(rel)
        text = current.text if current else newfiles.history_file(layout.HISTORY.schema_reference(),
                                                                  Messages(repository_language(ctx.root)))
        history, problems = validate_document(History, parse_yaml(text, rel, m), m)
        if history is None:
            raise storage.refusal(rel, problems, m)
        if len(history.events) != len(loaded.events):
            raise UserError(m.pick(f"{ctx.ref} changed while this command ran (another crmctl run wrote its history)",
                                   f"本命令运行期间 {ctx.ref} 已被修改（另一个 crmctl 进程写入了阶段历史）"),
                            m.pick(f"look at it again: crmctl status {ctx.ref}", f"请重新查看：crmctl status {ctx.ref}"))
        new_text = append_to_list(text, "events", event, m, rel=rel, newline=current.newline if current else "\n")
        if current is None:
            writer.create(rel, new_text)
        else:
            writer.replace(rel, new_text, like=current)
    return rel


# -- advance ----------------------------------------------------------------------


@dataclass
class AdvanceResult:
    ref: str
    from_stage: Any
    to_stage: Any
    missing: list[Diagnostic] = field(default_factory=list)
    forced: bool = False
    applied: bool = False
    date: dt.date | None = None

    @property
    def gate_open(self) -> bool:
        return not self.missing


def advance(root: Path, ref: str, messages: Messages, *, to: str | None = None, date: dt.date | None = None,
            by: str | None = None, note: str | None = None, force: bool = False, reason: str | None = None,
            dry_run: bool = False, today: dt.date | None = None) -> AdvanceResult:
    """Move a project to its next stage (or ``to``) if the gate is open; record it."""
    m = messages
    today = today or dt.date.today()
    if force and not reason:
        raise UserError(m.pick("--force needs --reason TEXT, which is recorded", "--force 需要 --reason 原因（会被记录）"))
    loaded = load_project(root, *resolve_project(root, ref, m), m)
    ctx, state, pipeline = loaded.ctx, loaded.state, loaded.ctx.pipeline
    if state.outcome == "lost":
        raise UserError(m.pick(f"{ctx.ref} was closed as lost on {state.closed_on}",
                               f"{ctx.ref} 已于 {state.closed_on} 以丢单关闭"),
                        m.pick(f"reopen it first: crmctl reopen {ctx.ref} --reason TEXT",
                               f"请先重新打开：crmctl reopen {ctx.ref} --reason 原因"))
    source = pipeline.stage(state.stage)
    target = _target_stage(pipeline, state, to, force, ctx.ref, m)
    forward = pipeline.index(target.id) > pipeline.index(source.id)
    result = AdvanceResult(ctx.ref, source, target, forced=force)
    # what the run would refuse, a dry run refuses too: a day in the future, someone not of ours
    result.date = _event_date(loaded, date, today, m)
    who = actor(root, by, m)
    if forward:
        # the facts the gate reads must be true by the day it is passed, not recorded for later
        result.missing = evaluate_gate(replace(ctx, on=result.date), source, target)
    if (result.missing and not force) or dry_run:
        result.date = None  # nothing was recorded
        return result
    event: dict[str, Any] = {"date": result.date, "action": "advance", "from": source.id,
                             "to": target.id, "by": who}
    if force:
        event["forced"] = True
        event["reason"] = reason
    if note:
        event["note"] = note
    _append_event(loaded, event)
    result.applied = True
    return result


def _target_stage(pipeline: Pipeline, state: ProjectState, to: str | None, force: bool, ref: str,
                  m: Messages) -> Any:
    current = pipeline.index(state.stage)
    here = f"“{pipeline.stage(state.stage).name.text(m.lang)}”" if m.lang == "en" else \
        f"「{pipeline.stage(state.stage).name.text(m.lang)}」"
    if to is None:
        target = pipeline.next(state.stage)
        if target is None:
            raise UserError(m.pick(f"{ref} is in the last stage, {here}", f"{ref} 已在最后阶段{here}"))
        return target
    target = pipeline.find(to, "--to", m)
    index = pipeline.index(target.id)
    there = f"“{target.name.text(m.lang)}”" if m.lang == "en" else f"「{target.name.text(m.lang)}」"
    if index == current:
        raise UserError(m.pick(f"{ref} is already in {there}", f"{ref} 已处于{there}"))
    if index != current + 1 and not force:
        what = m.pick("skip stages", "跳过阶段") if index > current else m.pick("go back", "回退")
        raise UserError(m.pick(f"{ref} is in {here}; moving to {there} would {what}",
                               f"{ref} 处于{here}；移到{there}将{what}"),
                        m.pick("only the next stage is allowed, unless --force --reason TEXT (recorded)",
                               "只能进入下一阶段，除非使用 --force --reason 原因（会被记录）"))
    return target


# -- close and reopen ---------------------------------------------------------------


def close(root: Path, ref: str, messages: Messages, *, outcome: str, reason: str, date: dt.date | None = None,
          by: str | None = None, today: dt.date | None = None) -> tuple[str, dt.date]:
    m = messages
    today = today or dt.date.today()
    loaded = load_project(root, *resolve_project(root, ref, m), m)
    ctx, state, pipeline = loaded.ctx, loaded.state, loaded.ctx.pipeline
    if state.outcome is not None:
        said = {"won": ("won", "成交"), "lost": ("lost", "丢单")}[state.outcome]
        raise UserError(m.pick(f"{ctx.ref} is already closed ({said[0]}, {state.closed_on})",
                               f"{ctx.ref} 已关闭（{said[1]}，{state.closed_on}）"),
                        m.pick(f"reopen it first: crmctl reopen {ctx.ref} --reason TEXT",
                               f"请先重新打开：crmctl reopen {ctx.ref} --reason 原因"))
    won_from = pipeline.index(pipeline.won_from)
    if outcome == "won" and won_from is not None and pipeline.index(state.stage) < won_from:
        stage = pipeline.stage(pipeline.won_from).name.text(m.lang)
        now = pipeline.stage(state.stage).name.text(m.lang)
        raise UserError(m.pick(f"{ctx.ref} is in “{now}”: a project is won once it reaches “{stage}”",
                               f"{ctx.ref} 处于「{now}」：项目进入「{stage}」后才能以成交关闭"),
                        m.pick(f"advance it there first (crmctl status {ctx.ref})",
                               f"请先推进到该阶段（crmctl status {ctx.ref}）"))
    when = _event_date(loaded, date, today, m)
    _append_event(loaded, {"date": when, "action": "close", "outcome": outcome,
                           "by": actor(root, by, m), "reason": reason})
    return ctx.ref, when


def reopen(root: Path, ref: str, messages: Messages, *, reason: str, date: dt.date | None = None,
           by: str | None = None, today: dt.date | None = None) -> tuple[str, dt.date]:
    m = messages
    today = today or dt.date.today()
    loaded = load_project(root, *resolve_project(root, ref, m, closed=True), m)
    if loaded.state.outcome is None:
        raise UserError(m.pick(f"{loaded.ctx.ref} is not closed", f"{loaded.ctx.ref} 未关闭"))
    when = _event_date(loaded, date, today, m)
    _append_event(loaded, {"date": when, "action": "reopen", "by": actor(root, by, m),
                           "reason": reason})
    return loaded.ctx.ref, when


# -- status -------------------------------------------------------------------------


@dataclass
class ProjectStatus:
    ref: str
    name: str
    stage: Any
    days: int
    stalled: bool
    outcome: str | None
    next_stage: Any
    missing: list[Diagnostic]
    flags: list[Diagnostic] = field(default_factory=list)
    next_to_see: list[tuple[Any, Any]] = field(default_factory=list)  # (decision-map entry, contact)

    def to_dict(self, lang: str) -> dict[str, Any]:
        return {
            "project": self.ref, "name": self.name, "stage": self.stage.id,
            "stage_name": self.stage.name.text(lang), "days_in_stage": self.days,
            "max_days": self.stage.max_days, "stalled": self.stalled, "outcome": self.outcome,
            "next_stage": self.next_stage.id if self.next_stage else None,
            "missing": [d.to_dict() for d in self.missing],
            "red_flags": [d.to_dict() for d in self.flags],
            "next_to_see": [{"contact": e.contact, "name": p.name, "title": p.title, "role": e.role,
                             "weight": e.weight} for e, p in self.next_to_see],
        }


def status_of(ctx: ProjectContext, state: ProjectState, today: dt.date) -> ProjectStatus:
    from crmctl.analysis.stakeholders import FlagContext, next_to_see, red_flags

    pipeline = ctx.pipeline
    stage = pipeline.stage(state.stage)
    following = pipeline.next(state.stage) if state.outcome != "lost" else None
    missing = evaluate_gate(replace(ctx, on=today), stage, following) if following is not None else []
    days = state.days_in_stage(today)
    flags = []
    if state.outcome is None and ctx.config is not None:
        flags = red_flags(FlagContext(ctx.customer, ctx.project, ctx.messages, today, ctx.config.red_flags),
                          pipeline, state.stage)
    return ProjectStatus(ctx.ref, ctx.project.project.model.name, stage, days,
                         state.outcome != "lost" and bool(stage.max_days) and days > stage.max_days,
                         state.outcome, following, missing, flags,
                         next_to_see(ctx.customer, ctx.project.project.model) if state.outcome is None else [])


def project_status(root: Path, ref: str, messages: Messages, today: dt.date | None = None) -> ProjectStatus:
    loaded = load_project(root, *resolve_project(root, ref, messages), messages, reading=True)
    return status_of(loaded.ctx, loaded.state, today or dt.date.today())


def _matches(record: Any, project: Any, state: ProjectState, filters: dict[str, str | None]) -> bool:
    """``filters``: owner (the project's or the customer's), tier, region, stage; None matches all."""
    customer = record.customer.model if record.customer else None
    owners = {project.project.model.owner, customer.owner if customer else None}
    return all(value is None or value in {
        "owner": owners, "tier": {customer.tier if customer else None},
        "region": {customer.region if customer else None}, "stage": {state.stage}}[key]
        for key, value in filters.items())


def all_status(root: Path, messages: Messages, *, today: dt.date | None = None, include_lost: bool = False,
               filters: dict[str, str | None] | None = None, progress: Any = None
               ) -> tuple[list[ProjectStatus], list[Diagnostic]]:
    """Every project that is open or won (and lost ones too on request) and matches ``filters``,
    in id order. Projects whose files or history have problems are left out and reported."""
    from crmctl.files.repository import customer_ids, load_config, load_customer

    m = messages
    today = today or dt.date.today()
    config, diagnostics = load_config(root, m)
    pipeline = pipeline_in_force(config, m)
    filters = dict(filters or {})
    if filters.get("stage") is not None:
        filters["stage"] = pipeline.find(filters["stage"], "--stage", m).id
    ids, found = customer_ids(root, m)
    diagnostics += found
    rows = []
    for done, customer_id in enumerate(ids):
        if progress is not None:
            progress(done, len(ids))
        record, found = load_customer(root, customer_id, m)
        shown: set[str] = set()  # listed, or left out on purpose (lost)
        for project in record.projects.values():
            events = history_events(project)
            if project.project is None or project.project.model is None or events is None:
                continue  # its files' errors are reported below
            state, problems = replay(events, project.project.model.opened, pipeline)
            if problems:  # left out of the table, and said so
                first = problems[0]
                diagnostics.append(m.diagnostic("history-invalid", f"{project.dir}/{layout.HISTORY.filename}",
                                                problem=m.pick(first.en, first.zh)))
                continue
            shown.add(project.id)
            if (state.outcome == "lost" and not include_lost) or not _matches(record, project, state, filters):
                continue
            rows.append(status_of(ProjectContext(root, record, project, pipeline, m, config), state, today))
        diagnostics += _unlisted(record.dir, found, shown)
        record.release_nodes()
    return rows, sort_diagnostics(d for d in diagnostics if d.severity == "error")


def _unlisted(customer_dir: str, found: list[Diagnostic], shown: set[str]) -> list[Diagnostic]:
    """The errors that kept a customer's projects out of the table: of its folder, of its
    projects folder, and of every project that is not shown."""
    projects = f"{customer_dir}/{layout.PROJECTS_DIR}"
    out = []
    for d in found:
        if d.severity != "error":
            continue
        if d.path in (customer_dir, projects):
            out.append(d)
        elif d.path.startswith(projects + "/") and d.path[len(projects) + 1:].split("/")[0] not in shown:
            out.append(d)
    return out


# -- documents ------------------------------------------------------------------------


def new_document(root: Path, ref: str, kind_id: str, messages: Messages, *, date: dt.date | None = None,
                 today: dt.date | None = None) -> str:
    """Write ``<kind>.md`` into the project from its template, prefilled; never over an existing one."""
    from crmctl.analysis.evaluation import competitors_of
    from crmctl.files.documents import DOCUMENT_KINDS, split_front_matter
    from crmctl.files.render import render
    from crmctl.files.yamlio import parse_yaml

    m = messages
    kind = DOCUMENT_KINDS.get(kind_id)
    if kind is None:
        raise UserError(m.pick(f"`{kind_id}` is not a document kind", f"`{kind_id}` 不是文件类型"),
                        m.pick(f"kinds: {', '.join(DOCUMENT_KINDS)}", f"可用类型：{', '.join(DOCUMENT_KINDS)}"))
    loaded = load_project(root, *resolve_project(root, ref, m), m)
    ctx = loaded.ctx
    rel = f"{ctx.project.dir}/{kind.filename}"
    customer = ctx.customer.customer.model if ctx.customer.customer else None
    project = ctx.project.project.model
    contacts = {c.id: c for c in ctx.customer.contact_list()}
    decision = [contacts[e.contact] for e in project.decision_map if e.contact in contacts]
    said = Messages(repository_language(root))  # the document is the team's: in crm.yaml's language, not --lang's
    context = {
        "lang": said.lang, "kind": kind.id, "title": kind.name(said.lang), "ref": ctx.ref,
        "date": (date or today or dt.date.today()).isoformat(),
        "customer": customer, "customer_id": ctx.customer.id, "project": project, "project_id": ctx.project.id,
        "contacts": list(contacts.values()), "decision_contacts": decision or list(contacts.values()),
        "stage": ctx.pipeline.stage(loaded.state.stage),
        "weights": dict(loaded.config.evaluation.weights), "score_max": loaded.config.evaluation.score_max,
        "review_items": [(key, vocabulary.label(vocabulary.REVIEW_ITEM, key, said.lang)) for key in vocabulary.REVIEW_ITEM],
        "departments": [(key, vocabulary.label(vocabulary.DEPARTMENT, key, said.lang))
                        for key in loaded.config.contract_review.departments],
        "vendors": [{"id": "us", "name": said.pick("us", "我方")}]
                   + [{"id": c.id, "name": c.name} for c in competitors_of(ctx.project)],
    }
    # a name written raw into a comment or heading must not carry a control character into the file
    # (YAML refuses one, a terminal obeys it); values written through `yaml_str` hold none
    text = visible_lines(render(f"documents/{said.lang}/{kind.filename}.j2", context, m, root))
    parts = (text, "") if kind.format == "yaml" else split_front_matter(text)
    front = parse_yaml(parts[0], rel, m) if parts else None
    if front is None or front.diagnostics or not isinstance(front.data, dict) or front.data.get("kind") != kind.id:
        raise UserError(m.pick(f"the template for {kind.id} does not give a document with front matter `kind: {kind.id}`",
                               f"{kind.id} 的模板未生成带 `kind: {kind.id}` 文件头的文件"),
                        m.pick("fix the template in the repository's templates/ folder",
                               "请修正仓库 templates/ 目录中的模板"))
    with storage.writing(root, m) as writer:
        try:
            writer.create(rel, text)
        except FileExistsError:
            raise UserError(m.pick(f"{rel} already exists", f"{rel} 已存在"),
                            m.pick("edit it, or move it aside to start again", "请直接编辑，或移开后重新生成")) from None
    return rel
