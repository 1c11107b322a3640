"""The sales process as stage gates (客户开发六步法, then after-sales).

A project moves from stage to stage. Leaving a stage needs that stage's
required documents (``outputs``); entering a stage needs its named entry
rules (``requires``) to hold. Both are data (``DEFAULT_STAGES``, replaceable
in crm.yaml); the rules are small functions in ``GATE_RULES``. The current
stage is derived by replaying the project's history, never stored.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

from crmctl.diagnostics import Diagnostic
from crmctl.errors import UsageError
from crmctl.files.documents import DOCUMENT_KINDS, Document
from crmctl.files.yamlio import locate, mark_of
from crmctl.messages import Messages
from crmctl.pipeline.builtin import DEFAULT_STAGES


@dataclass(frozen=True)
class Pipeline:
    stages: tuple[Any, ...]  # crmctl.models.pipeline.Stage
    won_from: str
    disabled_rules: frozenset[str] = frozenset()  # entry rules crm.yaml switched off

    def index(self, stage_id: str) -> int | None:
        return self._positions.get(stage_id)

    @functools.cached_property
    def _positions(self) -> dict[str, int]:
        """Each stage's place, the first of a repeated id (crm.yaml's own check reports the repeat);
        asked for a few times by every project of a check."""
        positions: dict[str, int] = {}
        for i, stage in enumerate(self.stages):
            positions.setdefault(stage.id, i)
        return positions

    def stage(self, stage_id: str) -> Any:
        i = self.index(stage_id)
        return None if i is None else self.stages[i]

    def next(self, stage_id: str) -> Any:
        i = self.index(stage_id)
        return self.stages[i + 1] if i is not None and i + 1 < len(self.stages) else None

    @property
    def first(self) -> Any:
        return self.stages[0]

    def ids(self) -> list[str]:
        return [s.id for s in self.stages]

    def find(self, word: str, option: str, m: Messages) -> Any:
        """The stage a person named on the command line, by id or by its name in either language
        (`--to 商务运作` as well as `--to commercial`); a located refusal with the choices otherwise."""
        for stage in self.stages:  # an id first: a stage named like another's id is still found by its own
            if word == stage.id:
                return stage
        said = _folded(word)
        for stage in self.stages:
            if said in (_folded(stage.id), _folded(stage.name.zh), _folded(stage.name.en)):
                return stage
        # the manual names some steps twice (项目评估/商务运作): either half is that stage
        halves = [stage for stage in self.stages
                  if said in {part.strip() for name in (stage.name.zh, stage.name.en)
                              for part in _folded(name).replace(",", "/").split("/")}]
        if len(halves) == 1:
            return halves[0]
        names = {stage.id: stage.id for stage in self.stages}
        names.update({stage.name.zh: stage.id for stage in self.stages})
        names.update({stage.name.en: stage.id for stage in self.stages})
        close = difflib.get_close_matches(word.lower(), sorted(names), n=1, cutoff=0.5)
        guess = m.pick(f" (did you mean `{names[close[0]]}`?)", f"（是否应为 `{names[close[0]]}`？）") if close else ""
        choices = m.pick(", ".join(f"{s.id} ({s.name.en})" for s in self.stages),
                         "、".join(f"{s.id}（{s.name.zh}）" for s in self.stages))
        raise UsageError(m.pick(f"{option} {word}: no such stage", f"{option} {word}：没有这个阶段") + guess,
                        m.pick(f"stages: {choices}", f"可用阶段：{choices}"))


def _folded(text: str) -> str:
    """A stage name as compared with what was typed: any case, full-width ／ as /."""
    return text.replace("／", "/").strip().casefold()


def effective_pipeline(config: Any) -> Pipeline:
    """The pipeline in force: crm.yaml's stages (or the built-in ones) with its overrides."""
    from crmctl.models.pipeline import Stage

    settings = config.pipeline
    stages = list(settings.stages) if settings.stages else [Stage.model_validate(s) for s in DEFAULT_STAGES]
    adjusted = []
    for stage in stages:
        override = settings.overrides.get(stage.id)
        if override is not None:
            stage = stage.model_copy(update=override.model_dump(exclude_unset=True))
        adjusted.append(stage)
    return Pipeline(tuple(adjusted), settings.won_from, frozenset(settings.disabled_rules))


# -- project state ------------------------------------------------------------


@dataclass(frozen=True)
class HistoryProblem:
    index: int  # event index
    key: str | None
    en: str
    zh: str


@dataclass(frozen=True)
class ProjectState:
    stage: str
    entered: dt.date
    outcome: str | None = None  # "won" / "lost"
    closed_on: dt.date | None = None
    events: tuple[Any, ...] = ()
    last_date: dt.date | None = None

    def days_in_stage(self, today: dt.date) -> int:
        return (today - self.entered).days


def outcome_of(events: list[Any]) -> tuple[str | None, dt.date | None]:
    """The outcome the events leave (``won``/``lost``/None) and when it was decided."""
    outcome, when = None, None
    for event in events:
        if event.action == "close":
            outcome, when = event.outcome, event.date
        elif event.action == "reopen":
            outcome, when = None, None
    return outcome, when


def replay(events: list[Any], opened: dt.date, pipeline: Pipeline) -> tuple[ProjectState, list[HistoryProblem]]:
    """The state the history leads to, and every way in which it is not well-formed."""
    problems: list[HistoryProblem] = []
    stage, entered = pipeline.first.id, opened
    outcome: str | None = None
    closed_on: dt.date | None = None
    # events in order among themselves; one before `opened` is project.yaml's date to correct
    # (crmctl.checking.rules.check_project_dates), not the history's
    last: dt.date | None = None
    won_index = pipeline.index(pipeline.won_from)
    for i, event in enumerate(events):
        if last is not None and event.date < last:
            problems.append(HistoryProblem(i, "date", f"dated {event.date}, before the previous date {last}",
                                           f"日期 {event.date} 早于前一日期 {last}"))
        last = event.date if last is None else max(last, event.date)
        if event.action == "advance":
            if outcome == "lost":
                problems.append(HistoryProblem(i, "action", "an advance after the project was closed as lost",
                                               "项目已关闭（丢单）后又推进"))
            if event.from_stage != stage:
                problems.append(HistoryProblem(i, "from", f"`from: {event.from_stage}` but the project was in {stage}",
                                               f"`from: {event.from_stage}`，但项目当时处于 {stage}"))
            target = pipeline.index(event.to) if event.to else None
            if target is None:
                problems.append(HistoryProblem(i, "to", f"`to: {event.to}` is not a stage of the pipeline",
                                               f"`to: {event.to}` 不是流程中的阶段"))
                continue
            current = pipeline.index(stage)
            if not event.forced and current is not None and target != current + 1:
                problems.append(HistoryProblem(i, "to", "a skip or step back without `forced: true`",
                                               "跳过或回退阶段但未标记 `forced: true`"))
            if event.forced and not event.reason:
                problems.append(HistoryProblem(i, "forced", "a forced move without a reason", "强制推进缺少原因"))
            stage, entered = event.to, event.date
        elif event.action == "close":
            if event.outcome is None:
                problems.append(HistoryProblem(i, "outcome", "a close without `outcome: won` or `lost`",
                                               "关闭事件缺少 `outcome: won` 或 `lost`"))
                continue
            if outcome is not None:
                problems.append(HistoryProblem(i, "action", f"closed again (already {outcome})",
                                               f"重复关闭（已是 {outcome}）"))
            if event.outcome == "won" and won_index is not None and (pipeline.index(stage) or 0) < won_index:
                problems.append(HistoryProblem(i, "outcome", f"closed as won in stage {stage}, before {pipeline.won_from}",
                                               f"在 {stage} 阶段即以成交关闭，早于 {pipeline.won_from}"))
            outcome, closed_on = event.outcome, event.date
        elif event.action == "reopen":
            if outcome is None:
                problems.append(HistoryProblem(i, "action", "a reopen of a project that is not closed",
                                               "重新打开了未关闭的项目"))
            outcome, closed_on = None, None
    return ProjectState(stage, entered, outcome, closed_on, tuple(events), max(last, opened) if last else opened), \
        problems


# -- gates ----------------------------------------------------------------------


@dataclass
class ProjectContext:
    """Everything a gate needs to know about one project."""

    root: Path
    customer: Any  # CustomerRecord
    project: Any  # ProjectRecord
    pipeline: Pipeline
    messages: Messages
    config: Any = None  # crm.yaml (Config); the evaluation rule reads its criteria
    on: dt.date | None = None  # the day the gate is passed: what a rule reads must be done by then

    def after_gate(self, day: dt.date | None) -> bool:
        """``day`` is recorded, but later than the day the gate is passed."""
        return day is not None and self.on is not None and day > self.on

    @property
    def ref(self) -> str:
        return f"{self.customer.id}/{self.project.id}"

    @property
    def documents(self) -> dict[str, Document]:
        return self.project.documents

    def contact_ids(self) -> set[str]:
        return {c.id for c in self.customer.contact_list()}


@dataclass(frozen=True)
class GateRule:
    """An entry rule; what each one requires is documented in docs/pipeline.md."""

    name: str
    document: str | None  # the document the rule reads; skipped when the gate already reports it
    check: Callable[[ProjectContext, str], list[Diagnostic]]


def _requirement(ctx: ProjectContext, stage: str, path: str, loc: tuple[Any, ...] | None, node_root: Any,
                 problem: tuple[str, str], fix: tuple[str, str]) -> Diagnostic:
    line, col = (mark_of(locate(node_root, loc)[0]) if loc is not None and node_root is not None else (0, 0))
    m = ctx.messages
    return m.diagnostic("gate-requirement", path, line, col, stage=stage, problem=m.pick(*problem), fix=m.pick(*fix))


def _doc_field(ctx: ProjectContext, stage: str, kind: str, key: str, problem: tuple[str, str],
               fix: tuple[str, str]) -> Diagnostic:
    doc = ctx.documents[kind]
    root = doc.front.root if doc.front else None
    node, found = locate(root, (key,))
    line, col = mark_of(node) if root is not None else (0, 0)
    m = ctx.messages
    return m.diagnostic("gate-requirement", doc.path, line, col, stage=stage, problem=m.pick(*problem),
                        fix=m.pick(*fix))


def _unknown_people(ctx: ProjectContext, doc: Document) -> list[tuple[tuple[Any, ...], str]]:
    """The people a document names who are not the customer's contacts, with their places."""
    known = ctx.contact_ids()
    return [(loc, ident) for loc, ident in doc.people() if ident not in known]


def _complete(ctx: ProjectContext, kind: str) -> Document | None:
    doc = ctx.documents.get(kind)
    return doc if doc is not None and doc.complete else None


def _missing_document(ctx: ProjectContext, stage: str, kind: str, why: tuple[str, str]) -> list[Diagnostic]:
    document = DOCUMENT_KINDS[kind]
    if ctx.documents.get(kind) is not None:  # there, but a draft or with problems: not "write one"
        return [_requirement(ctx, stage, f"{ctx.project.dir}/{document.filename}", None, None,
                             (f"{why[0]}: the {document.name_en} is not complete (placeholders left, or problems)",
                              f"{why[1]}：{document.name_zh}尚未完成（仍有占位符，或有问题）"),
                             ("complete it; crmctl check lists what is left", "请补全；crmctl check 列出剩余问题"))]
    return [_requirement(ctx, stage, f"{ctx.project.dir}/{document.filename}", None, None,
                         (f"{why[0]}: no complete {document.name_en}", f"{why[1]}：没有完成的{document.name_zh}"),
                         (f"write it: crmctl doc new {ctx.ref} {kind}", f"生成：crmctl doc new {ctx.ref} {kind}"))]


def rule_handler_identified(ctx: ProjectContext, stage: str) -> list[Diagnostic]:
    doc = _complete(ctx, "visit_report")
    if doc is None:
        return _missing_document(ctx, stage, "visit_report", ("the handler (经手人) is not identified",
                                                              "尚未找到经手人"))
    handler = doc.model.handler
    if handler is None:
        return [_doc_field(ctx, stage, "visit_report", "handler",
                           ("the visit report does not name the project's handler (经手人)", "拜访反馈报告未写明项目经手人"),
                           ("set `handler:` to the contact id of the person handling the project",
                            "请在 `handler:` 填写经手人的联系人标识"))]
    return []  # whether the handler is a contact: the gate asks of every person a document names


def rule_procurement_known(ctx: ProjectContext, stage: str) -> list[Diagnostic]:
    doc = _complete(ctx, "visit_report")
    if doc is None:
        return _missing_document(ctx, stage, "visit_report", ("the customer's procurement process is not known",
                                                              "尚未明确客户采购流程"))
    found = []
    if not doc.model.procurement_process:
        found.append(_doc_field(ctx, stage, "visit_report", "procurement_process",
                                ("the customer's internal procurement process is not recorded", "未记录客户内部采购流程"),
                                ("describe it under `procurement_process:`", "请在 `procurement_process:` 中说明")))
    if not doc.model.project_owner:
        found.append(_doc_field(ctx, stage, "visit_report", "project_owner",
                                ("the customer's project owner is not named", "未写明客户方项目负责人"),
                                ("set `project_owner:` to a contact id", "请在 `project_owner:` 填写联系人标识")))
    return found


FLEET_FIELDS = ("model", "tonnage", "configuration", "price", "quantity", "purchase_date")


def rule_fleet_known(ctx: ProjectContext, stage: str) -> list[Diagnostic]:
    loaded = ctx.customer.customer
    if loaded is None or loaded.model is None:
        return []  # the customer file's own diagnostics say why
    path, root = loaded.path, loaded.doc.root
    fleet = loaded.model.current_fleet
    if not fleet:
        return [_requirement(ctx, stage, path, ("current_fleet",), root,
                             ("the customer's current vehicles are not known", "尚不了解客户现有车辆"),
                             ("list them under `current_fleet:` (brand, model, tonnage, configuration, price, "
                              "quantity, purchase_date)",
                              "请在 `current_fleet:` 中列出（品牌、型号、吨位、配置、价格、数量、购买时间）"))]
    found = []
    for i, entry in enumerate(fleet):
        missing = [f for f in FLEET_FIELDS if getattr(entry, f) is None or (f == "quantity" and "quantity" not in entry.model_fields_set)]
        if missing:
            found.append(_requirement(
                ctx, stage, path, ("current_fleet", i), root,
                (f"current fleet entry {entry.brand} {entry.model or ''}".rstrip() + f" lacks {', '.join(missing)}",
                 f"现有车辆 {entry.brand} {entry.model or ''}".rstrip() + f" 缺少 {', '.join(missing)}"),
                ("fill them in", "请补全")))
    return found


def _document_says(kind: str, key: str, missing: tuple[str, str], problem: tuple[str, str],
                   fix: tuple[str, str]) -> Callable[[ProjectContext, str], list[Diagnostic]]:
    """A rule that holds once ``kind``'s document is complete and its ``key`` is true or filled in."""
    def rule(ctx: ProjectContext, stage: str) -> list[Diagnostic]:
        doc = _complete(ctx, kind)
        if doc is None:
            return _missing_document(ctx, stage, kind, missing)
        return [] if getattr(doc.model, key) else [_doc_field(ctx, stage, kind, key, problem, fix)]
    return rule


rule_solution_consensus = _document_says(
    "product_recommendation", "consensus", ("no first solution was submitted", "尚未提交初步方案"),
    ("the customer has not agreed that a first solution can be submitted", "尚未与客户达成提交初步方案的共识"),
    ("set `consensus: true` once it is agreed", "达成共识后请设 `consensus: true`"))

rule_solution_confirmed = _document_says(
    "exchange_minutes", "solution_confirmed", ("the solution is not confirmed", "方案尚未确认"),
    ("the customer has not confirmed the solution", "客户尚未确认方案"),
    ("set `solution_confirmed: true` once confirmed", "确认后请设 `solution_confirmed: true`"))


def rule_decision_map_complete(ctx: ProjectContext, stage: str) -> list[Diagnostic]:
    loaded = ctx.project.project
    if loaded is None or loaded.model is None:
        return []
    path, root, dmap = loaded.path, loaded.doc.root, loaded.model.decision_map
    if not dmap:
        return [_requirement(ctx, stage, path, ("decision_map",), root,
                             ("the purchase decision map is empty", "采购决策图为空"),
                             ("list each person's role and decision weight under `decision_map:`",
                              "请在 `decision_map:` 中列出每个人的角色和决策比重"))]
    found = []
    total = sum(e.weight for e in dmap)
    if abs(total - 100) > 1e-6:
        found.append(_requirement(ctx, stage, path, ("decision_map",), root,
                                  (f"decision weights sum to {total:g}, not 100", f"决策比重合计 {total:g}，不是 100"),
                                  ("adjust the weights", "请调整比重")))
    if not any(e.role == "final_approver" for e in dmap):
        found.append(_requirement(ctx, stage, path, ("decision_map",), root,
                                  ("no final approver (最终拍板人) in the decision map", "决策图中没有最终拍板人"),
                                  ("add the person who signs off with `role: final_approver`",
                                   "请添加最终拍板人并设 `role: final_approver`")))
    return found


def rule_negotiation_concluded(ctx: ProjectContext, stage: str) -> list[Diagnostic]:
    doc = _complete(ctx, "negotiation_minutes")
    if doc is None:
        return _missing_document(ctx, stage, "negotiation_minutes", ("the negotiation is not recorded", "谈判未记录"))
    found = []
    if doc.model.open_points:
        found.append(_doc_field(ctx, stage, "negotiation_minutes", "open_points",
                                (f"{len(doc.model.open_points)} negotiation point(s) still open",
                                 f"还有 {len(doc.model.open_points)} 个谈判要点未达成"),
                                ("settle them, then move them to `agreed:`", "谈妥后请移到 `agreed:`")))
    if not doc.model.agreed:
        found.append(_doc_field(ctx, stage, "negotiation_minutes", "agreed",
                                ("nothing is recorded as agreed", "没有记录已达成的内容"),
                                ("list what was agreed under `agreed:`", "请在 `agreed:` 中列出已达成的内容")))
    return found


# step 2's standard: product material handed to the handler (找对经手人并递交产品资料)
rule_materials_handed_over = _document_says(
    "visit_report", "materials_handed_over", ("no product material handed over yet", "尚未递交产品资料"),
    ("the visit report does not record our product material as handed over", "拜访反馈报告未记录已递交产品资料"),
    ("hand it over, then set `materials_handed_over: true`", "递交后请设 `materials_handed_over: true`"))

# step 2's standard: the customer has a first plan to report internally (客户提及初步方案，准备向相关部门汇报)
rule_first_plan_known = _document_says(
    "visit_report", "customer_first_plan", ("the customer's first plan is not known", "尚不了解客户的初步方案"),
    ("the visit report does not say what first plan the customer will report internally",
     "拜访反馈报告未写明客户准备向内部汇报的初步方案"),
    ("describe it under `customer_first_plan:`", "请在 `customer_first_plan:` 中说明"))


# The manual's five negotiation topics (field, its Chinese name), and the words by which an entry of
# `open_points` names one. The words are crmctl's choice: the field name, its Chinese name and the
# terms a sales team writes for it (报价 for price, 交期 for delivery time, …).
NEGOTIATION_TOPICS = {
    "product": ("产品", ("product", "产品", "车型", "配置")),
    "price": ("价格", ("price", "价格", "报价", "单价", "总价")),
    "service": ("服务", ("service", "服务", "售后")),
    "payment_terms": ("付款方式", ("payment", "付款", "支付", "首付", "分期")),
    "delivery": ("交货期", ("delivery", "交货", "交车", "交付", "交期")),
}


def rule_negotiation_topics(ctx: ProjectContext, stage: str) -> list[Diagnostic]:
    """The manual's five topics — product, price, service, payment, delivery time — each settled
    (its field filled in) or explicitly open (named in `open_points`)."""
    doc = _complete(ctx, "negotiation_minutes")
    if doc is None:
        return _missing_document(ctx, stage, "negotiation_minutes", ("the negotiation is not recorded", "谈判未记录"))
    open_text = " ".join(doc.model.open_points).lower()
    missing = [t for t, (_, words) in NEGOTIATION_TOPICS.items()
               if not getattr(doc.model, t) and not any(word in open_text for word in words)]
    if not missing:
        return []
    return [_doc_field(ctx, stage, "negotiation_minutes", missing[0],
                       (f"the negotiation minutes settle nothing on: {', '.join(missing)}",
                        f"谈判纪要未就以下议题形成结论：{'、'.join(NEGOTIATION_TOPICS[t][0] for t in missing)}"),
                       ("write what was agreed on each (`product:`, `price:`, `service:`, `payment_terms:`, "
                        "`delivery:`), or name the topic under `open_points:`",
                        "请写明各议题的结论（`product:`、`price:`、`service:`、`payment_terms:`、`delivery:`），"
                        "或在 `open_points:` 中列出该议题"))]


def rule_senior_negotiators(ctx: ProjectContext, stage: str) -> list[Diagnostic]:
    """商务谈判一般是双方高层参加: someone of the customer's decision level sat at the negotiation,
    and the minutes name our senior person there. An individual customer is their own decision level."""
    doc = _complete(ctx, "negotiation_minutes")
    if doc is None:
        return _missing_document(ctx, stage, "negotiation_minutes", ("the negotiation is not recorded", "谈判未记录"))
    customer = ctx.customer.customer.model if ctx.customer.customer else None
    contacts = {c.id: c for c in ctx.customer.contact_list()}
    approvers = {e.contact for e in ctx.project.project.model.decision_map if e.role == "final_approver"} \
        if ctx.project.project and ctx.project.project.model else set()
    found = []
    if not (customer is not None and customer.category == "individual") and not any(
            a in approvers or (a in contacts and contacts[a].level == "decision_maker") for a in doc.model.attendees):
        found.append(_doc_field(ctx, stage, "negotiation_minutes", "attendees",
                                ("no one of the customer's decision level attended the negotiation",
                                 "客户方决策层无人参加谈判"),
                                ("negotiate with a decision maker present (level `decision_maker`, or the final "
                                 "approver), and list them under `attendees:`",
                                 "请在客户决策层人员（level 为 `decision_maker`，或最终拍板人）在场时谈判，并列入 `attendees:`")))
    if not doc.model.our_senior:
        found.append(_doc_field(ctx, stage, "negotiation_minutes", "our_attendees",
                                ("the minutes do not name our senior person at the negotiation",
                                 "谈判纪要未写明我方出席的领导"),
                                ("write who of our senior people sat at the table, with the title, under "
                                 "`our_senior:` (e.g. 分公司总经理 赵刚)",
                                 "请在 `our_senior:` 中写明我方出席谈判的领导及职务（例如 分公司总经理 赵刚）")))
    return found


def rule_evaluation_complete(ctx: ProjectContext, stage: str) -> list[Diagnostic]:
    from crmctl.analysis.evaluation import check_evaluation

    if _complete(ctx, "evaluation") is None:
        return _missing_document(ctx, stage, "evaluation", ("the project is not evaluated", "项目尚未评估"))
    config = ctx.config
    return [ctx.messages.diagnostic("gate-requirement", d.path, d.line, d.col, stage=stage, problem=d.message,
                                    fix=d.hint) for d in check_evaluation(ctx.project, config, ctx.messages)]


def rule_contract_reviewed(ctx: ProjectContext, stage: str) -> list[Diagnostic]:
    """合同评审: every item of the manual's checklist answered, and each reviewing department
    (crm.yaml's contract_review) signed off with a date, before the contract is signed."""
    from crmctl import vocabulary

    doc = _complete(ctx, "contract")
    if doc is None:
        return _missing_document(ctx, stage, "contract", ("the contract is not reviewed", "合同尚未评审"))
    contract = doc.model
    unanswered = [item for item in vocabulary.REVIEW_ITEM if not getattr(contract.review, item)]
    found = []
    if unanswered:
        found.append(_doc_field(ctx, stage, "contract", "review",
                                (f"the contract review leaves unanswered: {', '.join(unanswered)}",
                                 "合同评审未回答：" + "、".join(vocabulary.label(vocabulary.REVIEW_ITEM, i, "zh-CN")
                                                          for i in unanswered)),
                                ("answer each under `review:` (what the contract says, and that it can be done)",
                                 "请在 `review:` 下逐项写明（合同约定及能否做到）")))
    root = doc.front.root if doc.front else None
    # each department's first sign-off is its review (a second one, later, changes nothing)
    first: dict[str, int] = {}
    for i, sign_off in enumerate(contract.sign_off):
        if sign_off.department not in first or sign_off.date < contract.sign_off[first[sign_off.department]].date:
            first[sign_off.department] = i
    for i in sorted(first.values()):
        sign_off = contract.sign_off[i]
        if contract.signed is not None and sign_off.date > contract.signed:
            department = (sign_off.department, vocabulary.label(vocabulary.DEPARTMENT, sign_off.department, "zh-CN"))
            found.append(_requirement(
                ctx, stage, doc.path, ("sign_off", i, "date"), root,
                (f"{department[0]} signed off on {sign_off.date}, after the contract was signed ({contract.signed})",
                 f"{department[1]}于 {sign_off.date} 会签，晚于合同签订（{contract.signed}）"),
                ("a department signs off before the contract is signed: correct whichever date is wrong",
                 "合同须先经各部门会签再签订：请更正有误的日期")))
    found.extend(_late(ctx, stage, doc, [(("sign_off", i, "date"), contract.sign_off[i].date)
                                         for i in sorted(first.values()) if contract.signed is None
                                         or contract.sign_off[i].date <= contract.signed]))
    signed = {s.department for s in contract.sign_off}
    missing = [d for d in ctx.config.contract_review.departments if d not in signed]
    if missing:
        found.append(_doc_field(ctx, stage, "contract", "sign_off",
                                ("not signed off by: " + ", ".join(missing),
                                 "尚未会签：" + "、".join(vocabulary.label(vocabulary.DEPARTMENT, d, "zh-CN")
                                                      for d in missing)),
                                ("add `{department: …, by: …, date: YYYY-MM-DD}` under `sign_off:` for each",
                                 "请在 `sign_off:` 下为每个部门添加 `{department: …, by: …, date: YYYY-MM-DD}`")))
    return found


def _late(ctx: ProjectContext, stage: str, doc: Document, days: list[tuple[tuple[Any, ...], dt.date | None]]
          ) -> list[Diagnostic]:
    """A fact a gate needs, dated after the day the gate is passed: not done by then."""
    root = doc.front.root if doc.front else None
    return [_requirement(ctx, stage, doc.path, loc, root,
                         (f"`{loc[-1]}: {day}` is after {ctx.on}, the day the gate is passed",
                          f"`{loc[-1]}: {day}` 晚于过关日期 {ctx.on}"),
                         ("what a gate needs must be done by then: correct the date, or pass the gate later",
                          "过关所需的事项须在当日之前完成：请更正日期，或稍后再推进"))
            for loc, day in days if ctx.after_gate(day)]


def rule_order_assured(ctx: ProjectContext, stage: str) -> list[Diagnostic]:
    """订单保障: every production checkpoint passed, each key part from one supplier, the first
    body sample confirmed by the customer and the built vehicles checked against the contract."""
    doc = _complete(ctx, "order_assurance")
    if doc is None:
        return _missing_document(ctx, stage, "order_assurance", ("the order is not assured", "订单保障尚未完成"))
    record, root = doc.model, doc.front.root if doc.front else None
    found: list[Diagnostic] = []
    found.extend(_late(ctx, stage, doc, [(("checkpoints", i, "passed"), c.passed) for i, c in enumerate(record.checkpoints)]
                       + [(("first_sample",), record.first_sample), (("vehicles_checked",), record.vehicles_checked)]))
    for i, checkpoint in enumerate(record.checkpoints):
        if checkpoint.passed is None:
            found.append(_requirement(ctx, stage, doc.path, ("checkpoints", i), root,
                                      (f"production checkpoint “{checkpoint.name}” is not passed",
                                       f"生产检查点「{checkpoint.name}」尚未通过"),
                                      ("set `passed:` to the day it was passed", "请填写通过日期 `passed:`")))
    if not record.key_parts:
        found.append(_doc_field(ctx, stage, "order_assurance", "key_parts",
                                ("the key parts and their suppliers are not named", "未列出关键零部件及其供应商"),
                                ("list each under `key_parts:` with `part`, `supplier` and `same_supplier: true`",
                                 "请在 `key_parts:` 下逐项写明 `part`、`supplier` 和 `same_supplier: true`")))
    for i, part in enumerate(record.key_parts):
        if not part.same_supplier:
            found.append(_requirement(ctx, stage, doc.path, ("key_parts", i), root,
                                      (f"“{part.part}” is not confirmed to come from one supplier ({part.supplier})",
                                       f"「{part.part}」未确认同一供应商（{part.supplier}）"),
                                      ("confirm it, then set `same_supplier: true`",
                                       "确认后请设 `same_supplier: true`")))
    if record.first_sample is None or record.sample_confirmed_by is None:
        found.append(_doc_field(ctx, stage, "order_assurance", "first_sample",
                                ("the customer has not confirmed the first body sample", "首台改装样车尚未经客户确认"),
                                ("set `first_sample:` to the day and `sample_confirmed_by:` to the contact id",
                                 "请填写确认日期 `first_sample:` 和确认人 `sample_confirmed_by:`（联系人标识）")))
    if record.vehicles_checked is None:
        found.append(_doc_field(ctx, stage, "order_assurance", "vehicles_checked",
                                ("the built vehicles are not checked against the contract", "整车尚未按合同检验"),
                                ("set `vehicles_checked:` to the day, and `checked_by:`",
                                 "请填写检验日期 `vehicles_checked:` 和检验人 `checked_by:`")))
    return found


def rule_vehicles_handed_over(ctx: ProjectContext, stage: str) -> list[Diagnostic]:
    """交车: every batch delivered, inspected before handover, registered and put into service."""
    doc = _complete(ctx, "delivery")
    if doc is None:
        return _missing_document(ctx, stage, "delivery", ("the vehicles are not handed over", "车辆尚未交付"))
    steps = (("delivered", "delivered", "交付"), ("inspected", "inspected before handover", "交车前检验"),
             ("registered", "registered", "上牌"), ("in_operation", "put into service", "投入运营"))
    found = _late(ctx, stage, doc, [(("batches", i, key), getattr(batch, key)) for i, batch in enumerate(doc.model.batches)
                                    for key in ("delivered", "registered", "in_operation")])
    for i, batch in enumerate(doc.model.batches):
        missing = [(key, en, zh) for key, en, zh in steps if not getattr(batch, key)]
        if missing:
            root = doc.front.root if doc.front else None
            found.append(_requirement(
                ctx, stage, doc.path, ("batches", i), root,
                (f"batch {i + 1} ({batch.vehicles} vehicles) is not yet " + ", ".join(en for _, en, _ in missing),
                 f"第 {i + 1} 批（{batch.vehicles} 台）尚未" + "、".join(zh for _, _, zh in missing)),
                ("record each under the batch: " + ", ".join(f"`{key}:`" for key, _, _ in missing),
                 "请在该批次下填写：" + "、".join(f"`{key}:`" for key, _, _ in missing))))
    return found


GATE_RULES: dict[str, GateRule] = {r.name: r for r in (
    GateRule("handler-identified", "visit_report", rule_handler_identified),
    GateRule("procurement-known", "visit_report", rule_procurement_known),
    GateRule("fleet-known", None, rule_fleet_known),
    GateRule("solution-consensus", "product_recommendation", rule_solution_consensus),
    GateRule("solution-confirmed", "exchange_minutes", rule_solution_confirmed),
    GateRule("decision-map-complete", None, rule_decision_map_complete),
    GateRule("negotiation-concluded", "negotiation_minutes", rule_negotiation_concluded),
    GateRule("evaluation-complete", "evaluation", rule_evaluation_complete),
    GateRule("materials-handed-over", "visit_report", rule_materials_handed_over),
    GateRule("first-plan-known", "visit_report", rule_first_plan_known),
    GateRule("negotiation-topics", "negotiation_minutes", rule_negotiation_topics),
    GateRule("senior-negotiators", "negotiation_minutes", rule_senior_negotiators),
    GateRule("contract-reviewed", "contract", rule_contract_reviewed),
    GateRule("order-assured", "order_assurance", rule_order_assured),
    GateRule("vehicles-handed-over", "delivery", rule_vehicles_handed_over),
)}


def evaluate_gate(ctx: ProjectContext, from_stage: Any, to_stage: Any) -> list[Diagnostic]:
    """What is still missing to move from ``from_stage`` into ``to_stage`` (empty: the gate is open)."""
    m = ctx.messages
    label = to_stage.name.text(m.lang)
    found: list[Diagnostic] = []
    reported: set[str] = set()
    for kind in from_stage.outputs:
        document = DOCUMENT_KINDS[kind]
        doc = ctx.documents.get(kind)
        path = f"{ctx.project.dir}/{document.filename}"
        name = document.name(m.lang)
        if doc is None:
            found.append(m.diagnostic("gate-missing-output", path, stage=label, document=name,
                                      command=f"crmctl doc new {ctx.ref} {kind}"))
        elif doc.draft:
            line, col, _ = doc.placeholders[0]
            found.append(m.diagnostic("gate-draft-output", path, line, col, stage=label, document=name,
                                      count=len(doc.placeholders)))
        elif not doc.complete:
            problems = [d for d in doc.diagnostics if d.severity == "error"]
            first = problems[0] if problems else None
            found.append(m.diagnostic("gate-invalid-output", path, first.line if first else 0,
                                      first.col if first else 0, stage=label, document=name, count=len(problems),
                                      first=first.message if first else ""))
        elif unknown := _unknown_people(ctx, doc):
            # a document naming someone who is not a contact is not done (check says so too); the
            # rules reading it still say what else it lacks
            root = doc.front.root if doc.front else None
            for loc, ident in unknown:
                near = m.did_you_mean(ident, ctx.contact_ids())
                found.append(_requirement(
                    ctx, label, path, loc, root,
                    (f"the {document.name_en} names `{ident}`, who is not one of the customer's contacts{near}",
                     f"{document.name_zh}中的 `{ident}` 不是该客户的联系人{near}"),
                    (f"correct the id, or add the person: crmctl new contact {ctx.customer.id} NAME --id {ident}",
                     f"请更正标识，或添加此人：crmctl new contact {ctx.customer.id} 姓名 --id {ident}")))
            continue
        else:
            continue
        reported.add(kind)
    for name in to_stage.requires:
        if name in ctx.pipeline.disabled_rules:
            continue
        rule = GATE_RULES[name]
        if rule.document is not None and rule.document in reported:
            continue  # the missing document was named above
        found.extend(rule.check(ctx, label))
    return found


# -- checking the configuration and the histories -----------------------------------


@dataclass(frozen=True)
class SettingProblem:
    loc: tuple[Any, ...]
    en: str
    zh: str
    fix_en: str
    fix_zh: str


def settings_problems(config: Any) -> list[SettingProblem]:
    """What is wrong with crm.yaml's ``pipeline:`` beyond its schema (unknown names and ids)."""
    settings = config.pipeline
    base = ("pipeline",)
    problems: list[SettingProblem] = []
    if settings.stages is not None:
        if not settings.stages:
            problems.append(SettingProblem((*base, "stages"), "the stage list is empty", "阶段列表为空",
                                           "list the stages, or remove `stages:` to use the built-in ones",
                                           "请列出阶段，或删除 `stages:` 使用内置流程"))
        seen: set[str] = set()
        for i, stage in enumerate(settings.stages):
            if stage.id in seen:
                problems.append(SettingProblem((*base, "stages", i, "id"), f"stage `{stage.id}` is listed twice",
                                               f"阶段 `{stage.id}` 重复", "give each stage its own id", "每个阶段需要唯一标识"))
            seen.add(stage.id)
            problems += _name_problems((*base, "stages", i), stage.outputs, stage.requires)
        ids = [s.id for s in settings.stages]
    else:
        ids = [s["id"] for s in DEFAULT_STAGES]
    for stage_id, override in settings.overrides.items():
        if stage_id not in ids:
            problems.append(SettingProblem((*base, "overrides", stage_id), f"`{stage_id}` is not a stage",
                                           f"`{stage_id}` 不是阶段", f"stages: {', '.join(ids)}",
                                           f"可用阶段：{', '.join(ids)}"))
        problems += _name_problems((*base, "overrides", stage_id), override.outputs or [], override.requires or [])
    for j, name in enumerate(settings.disabled_rules):
        if name not in GATE_RULES:
            problems.append(SettingProblem((*base, "disabled_rules", j), f"`{name}` is not a rule",
                                           f"`{name}` 不是规则", f"rules: {', '.join(GATE_RULES)}",
                                           f"可用规则：{'、'.join(GATE_RULES)}"))
    if ids and settings.won_from not in ids:
        problems.append(SettingProblem((*base, "won_from"), f"`{settings.won_from}` is not a stage",
                                       f"`{settings.won_from}` 不是阶段", f"stages: {', '.join(ids)}",
                                       f"可用阶段：{'、'.join(ids)}"))
    visits = config.follow_up.return_visits
    care = visits.from_stage
    # as written, it must name a stage, or no return visit would ever be due, without a word (the
    # default names the built-in care stage, which a pipeline of its own may not have)
    if ids and care not in ids and "from_stage" in visits.model_fields_set:
        problems.append(SettingProblem(("follow_up", "return_visits", "from_stage"), f"`{care}` is not a stage",
                                       f"`{care}` 不是阶段", f"stages: {', '.join(ids)}",
                                       f"可用阶段：{'、'.join(ids)}"))
    for stage_id in config.report.stage_probability:
        if ids and stage_id not in ids:
            problems.append(SettingProblem(("report", "stage_probability", stage_id), f"`{stage_id}` is not a stage",
                                           f"`{stage_id}` 不是阶段", f"stages: {', '.join(ids)}",
                                           f"可用阶段：{'、'.join(ids)}"))
    return problems


def _name_problems(loc: tuple[Any, ...], outputs: list[str], requires: list[str]) -> list[SettingProblem]:
    problems = []
    for j, kind in enumerate(outputs):
        if kind not in DOCUMENT_KINDS:
            problems.append(SettingProblem((*loc, "outputs", j), f"`{kind}` is not a document kind",
                                           f"`{kind}` 不是文件类型", f"document kinds: {', '.join(DOCUMENT_KINDS)}",
                                           f"文件类型：{', '.join(DOCUMENT_KINDS)}"))
    for j, name in enumerate(requires):
        if name not in GATE_RULES:
            problems.append(SettingProblem((*loc, "requires", j), f"`{name}` is not a rule",
                                           f"`{name}` 不是规则", f"rules: {', '.join(GATE_RULES)}",
                                           f"可用规则：{'、'.join(GATE_RULES)}"))
    return problems


def pipeline_for(config: Any) -> Pipeline | None:
    """The pipeline in force, or None when crm.yaml's pipeline is broken (check reports why)."""
    return None if settings_problems(config) else effective_pipeline(config)


def history_events(project: Any) -> list[Any] | None:
    """The project's events, [] without a history file, None when the file is unusable."""
    if project.history is None:
        return []
    return None if project.history.model is None else list(project.history.model.events)


def check_project(ctx: ProjectContext, today: dt.date) -> list[Diagnostic]:
    """History well-formed, every gate it passed still holding, the stage not stalled."""
    m = ctx.messages
    loaded = ctx.project.project
    events = history_events(ctx.project)
    if loaded is None or loaded.model is None or events is None:
        return []
    history = ctx.project.history
    path = history.path if history else f"{ctx.project.dir}/history.yaml"
    root = history.doc.root if history else None

    def at(*loc: Any) -> tuple[int, int]:
        return mark_of(locate(root, ("events", *loc))[0]) if root is not None else (0, 0)

    found = []
    state, problems = replay(events, loaded.model.opened, ctx.pipeline)
    for p in problems:
        line, col = at(p.index, *((p.key,) if p.key else ()))
        found.append(m.diagnostic("history-invalid", path, line, col, problem=m.pick(p.en, p.zh)))
    for i, event in enumerate(events):
        if event.date > today:
            line, col = at(i, "date")
            found.append(m.diagnostic("history-invalid", path, line, col,
                                      problem=m.pick(f"dated {event.date}, in the future", f"日期 {event.date} 在将来")))
    if problems:
        return found  # gates of a history that does not add up would only repeat it
    # the gates read the customer's people: with contacts.yaml unreadable they cannot be judged
    # (its own problems are reported), and would blame every document naming someone
    for i, event in enumerate(events if not ctx.customer.contacts_unreadable else ()):
        if event.action != "advance" or event.forced:
            continue
        source, target = ctx.pipeline.stage(event.from_stage), ctx.pipeline.stage(event.to)
        line, col = at(i)
        for missing in evaluate_gate(replace(ctx, on=event.date), source, target):
            found.append(m.diagnostic("gate-broken", path, line, col, from_stage=source.name.text(m.lang),
                                      to=target.name.text(m.lang), date=event.date,
                                      problem=missing.message, fix=missing.hint))
    stage = ctx.pipeline.stage(state.stage)
    if state.outcome != "lost" and stage.max_days and state.days_in_stage(today) > stage.max_days:
        found.append(m.diagnostic("stage-stalled", path if history else loaded.path, stage=stage.name.text(m.lang),
                                  days=state.days_in_stage(today), limit=stage.max_days, ref=ctx.ref))
    return found
