"""What ``classify``, ``map``, ``score`` and ``fees`` show, built from the analysis modules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from crmctl import vocabulary
from crmctl.diagnostics import Diagnostic, sort_diagnostics
from crmctl.errors import UserError
from crmctl.escaping import join_lines
from crmctl.messages import Messages
from crmctl.reports.report import Report


def classification_report(root: Path, messages: Messages, customer_id: str | None) -> Report:
    from crmctl.analysis.classify import OPERATOR, classify
    from crmctl.files import layout
    from crmctl.files.repository import load_repository

    m = messages
    if customer_id is not None:
        layout.require_customer(root, customer_id, m)
    repo, diagnostics = load_repository(root, m, parts={"customer"})
    found = [classify(cid, record.customer.model, repo.config.classification)
             for cid, record in repo.customers.items()
             if record.customer and record.customer.model and customer_id in (None, cid)]
    columns = [("id", m.pick("id", "标识")), ("name", m.pick("name", "名称")), ("fleet", m.pick("fleet", "保有量")),
               ("cross_regional", m.pick("cross-regional", "跨区域")),
               ("annual_purchase", m.pick("per year", "年采购")), ("importance", m.pick("importance", "重要性")),
               ("size", m.pick("size (recorded)", "规模（记录）")), ("derived_size", m.pick("size (derived)", "规模（推算）")),
               ("tier", m.pick("tier (recorded)", "级别（记录）")), ("derived_tier", m.pick("tier (derived)", "级别（推算）")),
               ("operator", m.pick("worked by", "运作方")), ("findings", m.pick("check", "提示"))]
    machine = [{"id": c.id, "name": c.name, "fleet": c.fleet, "cross_regional": c.cross_regional,
                "annual_purchase": c.annual_purchase, "importance": c.importance, "size": c.recorded_size,
                "derived_size": c.derived_size, "tier": c.recorded_tier, "derived_tier": c.derived_tier,
                "operator": c.operator, "findings": " ".join(f.code for f in c.findings)} for c in found]
    people = []
    for row in machine:
        out = dict(row)
        out["cross_regional"] = m.pick("yes", "是") if row["cross_regional"] else ""
        out["operator"] = vocabulary.label(OPERATOR, row["operator"], m.lang)
        out["size"] = vocabulary.label(vocabulary.SIZE, row["size"], m.lang)
        out["derived_size"] = vocabulary.label(vocabulary.SIZE, row["derived_size"], m.lang)
        out["importance"] = {"high": m.pick("high", "高"), "medium": m.pick("medium", "中"),
                             "low": m.pick("low", "低")}.get(row["importance"], "")
        people.append(out)
    return Report(columns, people, machine, [c.to_dict() for c in found],
                  diagnostics=[d for d in diagnostics if d.severity == "error"])


def _project(root: Path, ref: str, messages: Messages):
    from crmctl.pipeline.workflow import load_project, resolve_project

    return load_project(root, *resolve_project(root, ref, messages), messages, reading=True)


# the rules whose findings change what the map shows: a person it names but cannot place
MAP_RULES = ("contact-references", "reports-to-cycles", "activity-references", "decision-map")


def stakeholder_map(root: Path, ref: str, messages: Messages, today: dt.date | None
                    ) -> tuple[Any, list[Diagnostic], list[Diagnostic]]:
    """The project's stakeholder map (``analysis.stakeholders.StakeholderMap``); while the
    project is open, its red flags; and what is wrong in the files the map is drawn from (a
    superior or a relation naming nobody in contacts.yaml), which the map cannot show. The
    caller picks how to render it."""
    from crmctl.analysis.evaluation import competitors_of
    from crmctl.analysis.stakeholders import FlagContext, build_map, red_flags
    from crmctl.checking.rules import CUSTOMER_RULES, RuleContext

    loaded = _project(root, ref, messages)
    ctx = loaded.ctx
    today = today or dt.date.today()
    smap = build_map(ctx.customer, ctx.project.project.model, competitors_of(ctx.project))
    flags: list[Diagnostic] = []
    if loaded.state.outcome is None:
        flag_ctx = FlagContext(ctx.customer, ctx.project, messages, today, loaded.config.red_flags)
        flags = red_flags(flag_ctx, ctx.pipeline, loaded.state.stage)
    rule_ctx = RuleContext(messages, loaded.config, root, today, ctx.pipeline)
    project_dir = ctx.project.dir + "/"
    problems = sort_diagnostics(
        d for rule in CUSTOMER_RULES if rule.name in MAP_RULES for d in rule.check(ctx.customer, rule_ctx)
        if not d.path.startswith(f"{ctx.customer.dir}/projects/") or d.path.startswith(project_dir))
    return smap, flags, problems


CRITERIA = {
    "customer_relationship": ("customer relationship", "客户关系"), "after_sales": ("after-sales service", "售后服务"),
    "industry_position": ("industry position", "行业地位"), "brand": ("brand", "品牌"),
    "product_performance": ("product performance", "产品性能"), "price": ("price", "价格"),
    "supply_capacity": ("supply capacity", "供货能力"), "solution_speed": ("speed of solution", "快速解决方案"),
}


def criterion_name(criterion: str, lang: str) -> str:
    return vocabulary.label(CRITERIA, criterion, lang) if criterion in CRITERIA else criterion


def score_report(root: Path, ref: str, messages: Messages) -> Report:
    from crmctl.analysis.evaluation import check_evaluation, score_project
    from crmctl.analysis.scoring import US, to_dict

    m = messages
    loaded = _project(root, ref, m)
    ctx = loaded.ctx
    document = ctx.project.documents.get("evaluation")
    if document is None:
        raise UserError(m.pick(f"{ctx.ref} has no evaluation yet", f"{ctx.ref} 还没有项目评估表"),
                        m.pick(f"write one: crmctl doc new {ctx.ref} evaluation",
                               f"生成：crmctl doc new {ctx.ref} evaluation"))
    problems = [d for d in document.diagnostics if d.severity == "error"]
    problems += check_evaluation(ctx.project, loaded.config, m)
    if document.draft or problems:
        first = problems[0] if problems else None
        where = f"{first.location()}: {first.message}" if first else document.path
        raise UserError(m.pick(f"{ctx.ref}: the evaluation cannot be scored yet: {where}",
                               f"{ctx.ref}：项目评估表尚不能计分：{where}"),
                        m.pick("fill in every «…» and fix what crmctl check reports",
                               "请填写所有 «…» 并修正 crmctl check 报告的问题"))
    result, names = score_project(ctx.project, loaded.config)
    names[US] = m.pick("us", "我方")
    vendors = [t.vendor for t in result.totals]
    columns = [("criterion", m.pick("criterion", "指标")), ("weight", m.pick("weight", "权重"))]
    columns += [(v, names.get(v, v)) for v in vendors]
    if result.rival:
        columns.append(("gap", m.pick(f"{names[result.rival]} − us", f"{names[result.rival]} − 我方")))
    gaps = {g.criterion: g.points for g in result.gaps}

    def row(criterion: str, human: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"criterion": criterion_name(criterion, m.lang) if human else criterion,
                               "weight": _num(result.weights[criterion])}
        out.update({v: _num(result.scores[v][criterion]) for v in vendors})
        if result.rival:
            out["gap"] = _num(gaps[criterion])
        return out

    total_label = m.pick("weighted total", "加权总分")
    totals = {"criterion": total_label, "weight": _num(sum(result.weights.values())),
              **{t.vendor: _num(t.total) for t in result.totals}}
    ranks = {"criterion": m.pick("rank", "排名"), **{t.vendor: t.rank for t in result.totals}}
    people = [row(c, True) for c in result.criteria] + [totals, ranks]
    machine = [row(c, False) for c in result.criteria] + [
        {**totals, "criterion": "total"}, {**ranks, "criterion": "rank"}]
    return Report(columns, people, machine, {"project": ctx.ref, **to_dict(result, names)},
                  summary=_score_summary(result, names, m))


def _num(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _score_summary(result: Any, names: dict[str, str], m: Messages) -> str:
    from crmctl.analysis.scoring import US

    us_total, rank = result.total_of(US), result.rank_of(US)
    lines = []
    if result.rival is None:
        return m.pick("no competitors recorded in competition.yaml\n", "competition.yaml 中没有竞争对手\n")
    rival, rival_total = names[result.rival], result.total_of(result.rival)
    vendors = len(result.totals)
    if result.first:
        lines.append(m.pick(f"we are first of {vendors}: {_num(us_total)} against {rival}'s {_num(rival_total)}",
                            f"我方第一（共 {vendors} 家）：{_num(us_total)} 分，"
                            f"{rival} {_num(rival_total)} 分"))
    else:
        lines.append(m.pick(f"we are {_ordinal(rank)} of {vendors}: {_num(us_total)} against {rival}'s "
                            f"{_num(rival_total)}",
                            f"我方排第 {rank}（共 {vendors} 家）：{_num(us_total)} 分，"
                            f"{rival} {_num(rival_total)} 分"))
    behind = [g for g in result.gaps if g.points > 0]
    if behind:
        worst = behind[0]
        lost = worst.weight * worst.points / result.score_max
        lines.append(m.pick(f"we lose most on {criterion_name(worst.criterion, m.lang)}: our {_num(worst.ours)} "
                            f"against {rival}'s {_num(worst.theirs)}, {_num(lost)} point{'' if lost == 1 else 's'} "
                            "of the weighted total",
                            f"失分最多的是{criterion_name(worst.criterion, m.lang)}：我方 {_num(worst.ours)} 分，"
                            f"{rival} {_num(worst.theirs)} 分，加权总分少 {_num(lost)} 分"))
    if not result.first:
        move = result.move
        if move is None:
            lines.append(m.pick("no single score change puts us first", "任何单项提分都不足以使我方第一"))
        else:
            name = criterion_name(move.criterion, m.lang)
            lines.append(m.pick(f"to be first: raise our {name} score from {_num(move.before)} to {_num(move.after)} "
                                f"(total {_num(move.total_after)} > {_num(move.to_beat)})",
                                f"要排第一：把我方{name}得分从 {_num(move.before)} 提到 {_num(move.after)}"
                                f"（总分 {_num(move.total_after)} > {_num(move.to_beat)}）"))
    return join_lines(lines)


def fee_report_view(root: Path, messages: Messages, year: int, repo: Any = None) -> Report:
    from crmctl.analysis.fees import fee_report

    m = messages
    report, diagnostics = fee_report(root, m, year, repo)
    columns = [("customer", m.pick("customer", "客户")), ("name", m.pick("name", "名称")),
               ("market", m.pick("market", "市场")), ("development", m.pick("development fee", "开发费")),
               ("development_date", m.pick("agreement", "协议日期")), ("maintenance", m.pick("maintenance fee", "维护费")),
               ("maintenance_date", m.pick("first contract", "首份合同")), ("total", m.pick("total", "合计"))]
    machine = [{"customer": r.customer, "name": r.name, "market": r.market, "development": _num(r.development),
                "development_date": r.development_date, "maintenance": _num(r.maintenance),
                "maintenance_date": r.maintenance_date, "total": _num(r.total)} for r in report.rows]
    people = [{**row, "market": vocabulary.label(vocabulary.MARKET, row["market"], m.lang),
               "development": _money(row["development"]), "maintenance": _money(row["maintenance"]),
               "total": _money(row["total"])} for row in machine]
    lines = [m.pick(f"{year}, in {report.currency}:", f"{year} 年（{report.currency}）：")]
    for market, sums in report.totals_by_market().items():
        lines.append(f"  {vocabulary.label(vocabulary.MARKET, market, m.lang)}{m.pick(': ', '：')}"
                     + m.pick(f"development {_money(sums['development'], False)}, "
                              f"maintenance {_money(sums['maintenance'], False)}, total {_money(sums['total'], False)}",
                              f"开发费 {_money(sums['development'], False)}，维护费 {_money(sums['maintenance'], False)}，"
                              f"合计 {_money(sums['total'], False)}"))
    lines.append(m.pick(f"  all markets: {_money(report.total(), False)}",
                        f"  全部市场：{_money(report.total(), False)}"))
    return Report(columns, people, machine, report.to_dict(), summary=join_lines(lines),
                  diagnostics=diagnostics)


def _money(value: float, blank_zero: bool = True) -> str:
    return f"{value:,.0f}" if value or not blank_zero else ""


def targets_view(root: Path, messages: Messages, year: int, repo: Any = None) -> Report:
    from crmctl.analysis.targets import MEASURES, measure_targets

    m = messages
    measures, diagnostics = measure_targets(root, m, year, repo)
    columns = [("measure", m.pick("measure", "指标")), ("last", str(year - 1)), ("this", str(year)),
               ("growth", m.pick("growth %", "增长 %")), ("target", m.pick("target %", "目标 %")),
               ("met", m.pick("met", "达成"))]
    machine = [{"measure": x.name, "last": x.last, "this": x.this, "growth": x.growth, "target": x.target,
                "met": x.met} for x in measures]

    def shown(value: Any) -> str:
        return "—" if value is None else f"{_num(value):,}"

    verdict = {True: m.pick("yes", "是"), False: m.pick("no", "否"), None: "—"}
    people = [{"measure": m.pick(*MEASURES[x.name]), "last": shown(x.last), "this": shown(x.this),
               "growth": "—" if x.growth is None else f"{x.growth:+g}", "target": shown(x.target),
               "met": verdict[x.met]} for x in measures]
    lines = [m.pick(f"the yearly targets of crm.yaml, {year} against {year - 1}",
                    f"crm.yaml 年度目标：{year} 年对比 {year - 1} 年")]
    if any(x.growth is None and x.target is not None for x in measures):
        lines.append(m.pick(f"—: nothing in {year - 1} to grow from, so no growth to hold against the target",
                            f"—：{year - 1} 年无数据（或为零），无从计算增长，不判定是否达成"))
    return Report(columns, people, machine, {"year": year, "measures": machine}, summary=join_lines(lines),
                  diagnostics=diagnostics)
