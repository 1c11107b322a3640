"""status, advance, close, reopen, doc new: projects through the pipeline."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from crmctl import vocabulary
from crmctl.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    ByOption,
    CliError,
    DateOption,
    DocKind,
    LangOption,
    OutputOption,
    ProjectArgument,
    RepoOption,
    TableOrXlsxFormat,
    TextOrJson,
    Tier,
    TodayOption,
    _messages,
    _root,
    complete_stages,
)
from crmctl.escaping import join_lines, visible
from crmctl.pipeline.builtin import DEFAULT_STAGES

# -- the pipeline ------------------------------------------------------------------

def advance(
    project: ProjectArgument,
    to: Annotated[Optional[str], typer.Option("--to", help="The stage to move to, by id or name (default: the next one): "
                                                             + ", ".join(s["id"] for s in DEFAULT_STAGES) + ".",
                                              autocompletion=complete_stages)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the verdict; change nothing.")] = False,
    date: DateOption = None,
    by: ByOption = None,
    note: Annotated[Optional[str], typer.Option("--note", help="A note kept with the transition.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Skip stages, go back, or pass a closed gate.")] = False,
    reason: Annotated[Optional[str], typer.Option("--reason", help="Why --force was needed (recorded).")] = None,
    output: Annotated[TextOrJson, typer.Option("--format", "-f", help="text or json.")] = "text",
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Move a project to its next stage when the stage's required outputs exist.

    When the gate is closed, lists each missing item with the file to create or the
    field to fill, and exits 1. The transition is appended to the project's history.yaml.

    Example: crmctl advance bj-huanwei/sweeper-renewal-2027 --note "拜访完成"
    """
    from crmctl.cli.output import missing_text, to_json, write
    from crmctl.pipeline.workflow import advance as run_advance

    root = _root(repo, lang)
    m = _messages(lang, root)
    result = run_advance(root, project, m, to=to, date=date.date() if date else None, by=by, note=note,
                         force=force, reason=reason, dry_run=dry_run)
    # stage names are crm.yaml's text
    source, target = visible(result.from_stage.name.text(m.lang)), visible(result.to_stage.name.text(m.lang))
    if output == "json":
        write(to_json({"project": result.ref, "from": result.from_stage.id, "to": result.to_stage.id,
                       "gate_open": result.gate_open, "applied": result.applied, "forced": result.forced,
                       "date": result.date, "missing": [d.to_dict() for d in result.missing]}))
    elif result.applied:
        write(m.pick(f"{result.ref}: {source} → {target} ({result.date})\n",
                     f"{result.ref}：{source} → {target}（{result.date}）\n"))
        if result.missing:
            write(m.pick(f"forced past {len(result.missing)} missing item(s):\n",
                         f"已强制通过，缺少 {len(result.missing)} 项：\n") + missing_text(result.missing), err=True)
    elif result.gate_open:
        write(m.pick(f"{result.ref}: {source} → {target}: the gate is open (dry run, nothing written)\n",
                     f"{result.ref}：{source} → {target}：条件已满足（试运行，未写入）\n"))
    elif dry_run and force:  # the verdict of the same command without --dry-run: it would pass
        write(m.pick(f"{result.ref}: {source} → {target}: --force would pass {len(result.missing)} missing item(s)"
                     " (dry run, nothing written):\n",
                     f"{result.ref}：{source} → {target}：--force 将强制通过缺少的 {len(result.missing)} 项"
                     "（试运行，未写入）：\n") + missing_text(result.missing), err=True)
        return EXIT_OK
    else:
        write(m.pick(f"{result.ref}: cannot move from “{source}” to “{target}”; "
                     f"{len(result.missing)} item(s) missing:\n",
                     f"{result.ref}：无法从「{source}」进入「{target}」；缺少 {len(result.missing)} 项：\n")
              + missing_text(result.missing), err=True)
    return EXIT_OK if result.gate_open or result.applied else EXIT_PROBLEMS


def status(
    project: Annotated[Optional[str], typer.Argument(
        metavar="[PROJECT]", help="One project (default: every open or won project).")] = None,
    include_lost: Annotated[bool, typer.Option("--all", help="Include projects closed as lost.")] = False,
    owner: Annotated[Optional[str], typer.Option(help="Only projects this person owns, or whose customer they own.")] = None,
    tier: Annotated[Optional[Tier], typer.Option(help="Only customers of this tier.")] = None,
    region: Annotated[Optional[str], typer.Option(help="Only customers of this sales region.")] = None,
    stage: Annotated[Optional[str], typer.Option(help="Only projects in this stage (its id or name).",
                                                 autocompletion=complete_stages)] = None,
    output: TableOrXlsxFormat = "table",
    out: OutputOption = None,
    today: TodayOption = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Where projects stand: stage, days in it, stalled or not, what the next gate needs.
    Filters like list's: --owner, --tier, --region, and --stage.

    Example: crmctl status --owner 王磊 --stage commercial --format csv > mine.csv
    """
    import datetime as dt

    from crmctl.cli.common import check_output, deliver
    from crmctl.cli.output import diagnostics_text, listing_file, progress_bar, to_json, write
    from crmctl.pipeline.workflow import all_status, project_status

    root = _root(repo, lang)
    m = _messages(lang, root)
    check_output(output, out, root, m, ("crmctl status --format xlsx -o ~/projects.xlsx",
                                        "crmctl status --format xlsx -o ~/项目状态.xlsx"))
    day = today.date() if today else None
    title = m.pick("Project status", "项目状态")
    if project is not None:  # one project: its text, or its row of the workbook
        one = project_status(root, project, m, day)
        if output == "xlsx":
            deliver(listing_file(*_status_rows([one], m), output, title=title, stamp=day or dt.date.today(),
                                 lang=m.lang), out, root, m)
        else:
            deliver(to_json(one.to_dict(m.lang)) if output == "json" else _status_text(one, m), out, root, m)
        return EXIT_OK
    with progress_bar(m.pick("reading customers", "正在读取客户")) as progress:
        rows, diagnostics = all_status(root, m, today=day, include_lost=include_lost, progress=progress,
                                       filters={"owner": owner, "tier": tier, "region": region, "stage": stage})
    if output == "json":
        deliver(to_json([r.to_dict(m.lang) for r in rows]), out, root, m)
    else:
        deliver(listing_file(*_status_rows(rows, m), output, title=title, stamp=day or dt.date.today(), lang=m.lang),
                out, root, m)
    write(diagnostics_text(diagnostics, m.lang), err=True)
    if not rows and output == "table":  # an empty table says nothing of why
        filtered = any(v is not None for v in (owner, tier, region, stage))
        write(m.pick("no projects" + (" match" if filtered else " yet: crmctl new project CUSTOMER NAME starts one"),
                     "没有" + ("符合条件的项目" if filtered else "项目：可用 crmctl new project 客户 名称 新建")) + "\n",
              err=True)
    return EXIT_PROBLEMS if diagnostics else EXIT_OK


def _status_rows(rows, m) -> tuple[list[dict], list[dict], list[tuple[str, str]]]:
    """``status``'s listing: rows for people, for machines, and the columns."""
    columns = [("project", m.pick("project", "项目")), ("name", m.pick("name", "名称")),
               ("stage", m.pick("stage", "阶段")), ("days", m.pick("days", "天数")),
               ("stalled", m.pick("stalled", "停滞")), ("outcome", m.pick("outcome", "结果")),
               ("missing", m.pick("next gate needs", "下一步缺少")), ("flags", m.pick("red flags", "风险"))]
    outcome = {"won": m.pick("won", "成交"), "lost": m.pick("lost", "丢单"), None: ""}
    machine = [{"project": r.ref, "name": r.name, "stage": r.stage.id, "days": r.days, "stalled": r.stalled,
                "outcome": r.outcome, "missing": len(r.missing), "flags": len(r.flags)} for r in rows]
    people = [{**row, "stage": r.stage.name.text(m.lang), "stalled": m.pick("yes", "是") if r.stalled else "",
               "outcome": outcome[r.outcome]} for row, r in zip(machine, rows)]
    return people, machine, columns


def _status_text(s, m) -> str:
    from crmctl.cli.output import missing_text

    lines = [f"{s.ref}  {s.name}"]
    colon = m.pick(": ", "：")  # full-width punctuation in Chinese text
    limit = m.pick(f" (limit {s.stage.max_days})", f"（上限 {s.stage.max_days} 天）") if s.stage.max_days else ""
    stalled = m.pick("  STALLED", "  已停滞") if s.stalled else ""
    lines.append(f"  {m.pick('stage', '阶段')}{colon}{s.stage.name.text(m.lang)} [{s.stage.id}]{m.pick(', ', '，')}"
                 + m.pick(f"{s.days} days", f"{s.days} 天") + limit + stalled)
    outcome = {"won": m.pick("won", "成交"), "lost": m.pick("lost", "丢单"), None: m.pick("open", "进行中")}
    lines.append(f"  {m.pick('outcome', '结果')}{colon}{outcome[s.outcome]}")
    if s.stage.guidance:
        lines.append(f"  {m.pick('goal', '目标')}{colon}{s.stage.guidance.text(m.lang)}")
    # a list of diagnostics is already escaped, line by line
    needed = flags = ""
    if s.next_stage is not None:
        lines.append(f"  {m.pick('next', '下一阶段')}{colon}{s.next_stage.name.text(m.lang)} [{s.next_stage.id}]")
        if s.missing:
            lines.append(m.pick(f"  still needed ({len(s.missing)}):", f"  尚缺（{len(s.missing)} 项）："))
            needed = missing_text(s.missing, "    ")
        else:
            lines.append(m.pick(f"  the gate is open: crmctl advance {s.ref}", f"  条件已满足：crmctl advance {s.ref}"))
    if s.flags:
        flags = m.pick(f"  red flags ({len(s.flags)}):", f"  风险提示（{len(s.flags)} 项）：") + "\n" \
            + missing_text(s.flags, "    ")
    people = ""
    if s.next_to_see:
        from crmctl.analysis.stakeholders import who

        people = join_lines([m.pick("  next to see (attitude unknown):", "  下一步拜访（态度不清楚）：")]
                            + [f"    {who(p, e, m.lang)}" for e, p in s.next_to_see])
    return join_lines(lines) + needed + flags + people


def close(
    project: ProjectArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why (recorded).")],
    won: Annotated[bool, typer.Option("--won", help="The contract is signed.")] = False,
    lost: Annotated[bool, typer.Option("--lost", help="The customer bought elsewhere or dropped it.")] = False,
    date: DateOption = None,
    by: ByOption = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Close a project as won (from the contract stage on) or lost, with the reason.

    Example: crmctl close tj-hongyun-qingyun/muck-truck-2026 --won --reason "合同已签订"
    """
    from crmctl.cli.output import write
    from crmctl.pipeline.workflow import close as run_close

    if won == lost:
        m = _messages(lang, _root(repo, lang))
        raise CliError(m.pick("give exactly one of --won or --lost", "请指定 --won 或 --lost 之一"), "", EXIT_USAGE)
    root = _root(repo, lang)
    m = _messages(lang, root)
    outcome = "won" if won else "lost"
    ref, when = run_close(root, project, m, outcome=outcome, reason=reason,
                          date=date.date() if date else None, by=by)
    write(join_lines([m.pick(f"{ref}: closed as {outcome} ({when})", f"{ref}：已关闭，{'成交' if won else '丢单'}（{when}）")]))
    return EXIT_OK


def reopen(
    project: ProjectArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why (recorded).")],
    date: DateOption = None,
    by: ByOption = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Reopen a closed project; it goes on from the stage it was in.

    Example: crmctl reopen hebei-shuiwu/suction-2026 --reason "客户重新招标"
    """
    from crmctl.cli.output import write
    from crmctl.pipeline.workflow import reopen as run_reopen

    root = _root(repo, lang)
    m = _messages(lang, root)
    ref, when = run_reopen(root, project, m, reason=reason, date=date.date() if date else None, by=by)
    write(join_lines([m.pick(f"{ref}: reopened ({when})", f"{ref}：已重新打开（{when}）")]))
    return EXIT_OK


def doc_new(
    project: ProjectArgument,
    kind: Annotated[DocKind, typer.Argument(metavar="KIND", help="The document: "
                                            + ", ".join(vocabulary.DOCUMENT_KIND) + ".")],
    date: DateOption = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Write a document the method requires from its template, prefilled from the repository.

    Fill in every «…» placeholder; until then the document is a draft and does not count.
    The repository's own templates/documents/<lang>/<kind>.md.j2 is used before crmctl's.

    Example: crmctl doc new bj-huanwei/sweeper-renewal-2027 visit_report
    """
    from crmctl.cli.output import write
    from crmctl.pipeline.workflow import new_document

    root = _root(repo, lang)
    m = _messages(lang, root)
    write(join_lines([str(root / new_document(root, project, kind, m, date=date.date() if date else None))]))
    return EXIT_OK
