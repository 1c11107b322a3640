"""The command line: parses, calls one library function, formats. Nothing more.

Imports of the library happen inside the commands, so ``crmctl --version`` and
``crmctl show`` start fast (scripts call crmctl many times; see PERF.md).

Exit codes: 0 clean, 1 problems found or a user error, 2 usage error,
3 internal error (a bug in crmctl), 130 interrupted.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Annotated, Literal, Optional

import typer

from crmctl import __version__, vocabulary

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

# -- shared options (every command takes them in the same words) -------------

RepoOption = Annotated[Optional[Path], typer.Option(
    "--repo", envvar="CRMCTL_REPO", file_okay=False,
    help="The customer repository (default: the nearest folder upwards holding crm.yaml).")]
LangOption = Annotated[Optional[str], typer.Option(
    "--lang", envvar="CRMCTL_LANG", help="Output language: zh-CN or en (default: crm.yaml's language).")]
TodayOption = Annotated[Optional[dt.datetime], typer.Option(
    "--today", formats=["%Y-%m-%d"], help="Judge stalled stages as of this date (default: today).")]
TableFormat = Annotated[str, typer.Option(
    "--format", "-f", help="table, json, csv, or any tabulate format (plain, github, grid, ...).")]


# choices that Typer offers in --help and checks; the values come from the vocabulary
Category = Literal[tuple(vocabulary.CATEGORY)]  # type: ignore[valid-type]
Kind = Literal[tuple(vocabulary.KIND)]  # type: ignore[valid-type]
Size = Literal[tuple(vocabulary.SIZE)]  # type: ignore[valid-type]
Tier = Literal[tuple(vocabulary.TIER)]  # type: ignore[valid-type]
Market = Literal[tuple(vocabulary.MARKET)]  # type: ignore[valid-type]
Channel = Literal[tuple(vocabulary.CHANNEL)]  # type: ignore[valid-type]
Level = Literal[tuple(vocabulary.LEVEL)]  # type: ignore[valid-type]
Function = Literal[tuple(vocabulary.FUNCTION)]  # type: ignore[valid-type]
Influence = Literal[tuple(vocabulary.INFLUENCE)]  # type: ignore[valid-type]
Attitude = Literal[tuple(vocabulary.ATTITUDE)]  # type: ignore[valid-type]
Mode = Literal[tuple(vocabulary.PROCUREMENT_MODE)]  # type: ignore[valid-type]
TextOrJson = Literal["text", "json"]
DocKind = Literal[tuple(vocabulary.DOCUMENT_KIND)]  # type: ignore[valid-type]


class CliError(Exception):
    """A user error raised in the CLI layer itself (bad option combination)."""

    def __init__(self, message: str, hint: str = "", code: int = EXIT_PROBLEMS) -> None:
        super().__init__(message)
        self.message, self.hint, self.code = message, hint, code


def _messages(lang: str | None, root: Path | None = None):
    from crmctl.messages import Messages, normalise_language

    if lang is not None:
        chosen = normalise_language(lang)
        if chosen is None:
            raise CliError(f"--lang {lang}: unknown language", "use zh-CN or en", EXIT_USAGE)
        return Messages(chosen)
    if root is not None:
        from crmctl import layout
        from crmctl.yamlio import read_yaml

        data = read_yaml(root / layout.CONFIG_FILE, layout.CONFIG_FILE, Messages("en")).data
        configured = data.get("language") if isinstance(data, dict) else None
        return Messages(normalise_language(configured if isinstance(configured, str) else None) or "zh-CN")
    return Messages("zh-CN")


def _root(repo: Path | None, lang: str | None = None) -> Path:
    from crmctl.layout import RepositoryNotFound, find_root

    try:
        return find_root(explicit=repo)
    except RepositoryNotFound as exc:
        m = _messages(lang)
        if exc.explicit:
            raise CliError(m.pick(f"{exc.start} is not a customer repository (no crm.yaml there)",
                                  f"{exc.start} 不是客户仓库(没有 crm.yaml)"),
                           m.pick("create one with: crmctl init DIR", "可用以下命令创建:crmctl init 目录")) from None
        raise CliError(m.pick(f"no customer repository here: no crm.yaml in {exc.start} or any folder above",
                              f"这里不是客户仓库:{exc.start} 及其上级目录中都没有 crm.yaml"),
                       m.pick("cd into one, pass --repo DIR (or set CRMCTL_REPO), or create one with: crmctl init DIR",
                              "请进入客户仓库,或使用 --repo 目录(或设置 CRMCTL_REPO),或用 crmctl init 目录 新建")) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"crmctl {__version__}")
        raise typer.Exit()


def _main(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """crmctl keeps every customer as a folder of YAML files and checks them.

    Start a repository with `crmctl init DIR`, add customers with `crmctl new`,
    and run `crmctl check` by hand, in pre-commit and in CI.
    """


# -- check ---------------------------------------------------------------------

def check(
    path: Annotated[Optional[Path], typer.Argument(help="The repository to check (default: --repo, or found upwards).",
                                                   file_okay=False)] = None,
    repo: RepoOption = None,
    lang: LangOption = None,
    output: Annotated[TextOrJson, typer.Option("--format", "-f", help="text (on stderr) or json (on stdout).")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the check too.")] = False,
    select: Annotated[Optional[list[str]], typer.Option("--select", help="Only codes starting with this (repeatable).")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option("--ignore", help="Drop codes starting with this (repeatable).")] = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Processes to use (default: all cores for large repositories).")] = None,
    today: TodayOption = None,
) -> int:
    """Validate the whole repository in one pass; every problem as path:line:col.

    Exit 0 when clean, 1 when there are errors (or warnings with --strict).

    Example: crmctl check --format json | jq '.diagnostics[].code'
    """
    from crmctl.check import check_repository
    from crmctl.cli.output import diagnostics_text, summary_counts, to_json, write
    from crmctl.diagnostics import filter_codes, has_errors

    root = _root(path or repo, lang)
    messages = _messages(lang, root)
    result = check_repository(root, messages, jobs=jobs, today=today.date() if today else None)
    diagnostics = filter_codes(result.diagnostics, select or (), ignore or ())
    counts = summary_counts(diagnostics)
    failed = has_errors(diagnostics, strict=strict)
    if output == "json":
        write(to_json({
            "repository": str(root), "customers": result.customers, "files": result.files,
            **counts, "ok": not failed, "diagnostics": [d.to_dict() for d in diagnostics],
        }))
    else:
        write(diagnostics_text(diagnostics), err=True)
        write(messages.pick(
            f"checked {_count(result.customers, 'customer')}, {_count(result.files, 'file')}: "
            f"{_count(counts['errors'], 'error')}, {_count(counts['warnings'], 'warning')}\n",
            f"已检查 {result.customers} 个客户、{result.files} 个文件:"
            f"{counts['errors']} 个错误,{counts['warnings']} 个警告\n"), err=True)
    return EXIT_PROBLEMS if failed else EXIT_OK


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


# -- init, schema ----------------------------------------------------------------

def init(
    directory: Annotated[Path, typer.Argument(help="Where to create the repository.", file_okay=False)] = Path("."),
    lang: LangOption = None,
    company: Annotated[Optional[str], typer.Option("--company", help="Our company or branch.")] = None,
    crmctl_spec: Annotated[str, typer.Option("--crmctl-spec", help="How CI installs crmctl with pip.")] = "crmctl",
) -> int:
    """Start a customer repository: crm.yaml with the defaults, customers/, schemas/,
    and example CI and pre-commit configurations that run crmctl check.

    Example: crmctl init ~/crm --company 某某汽车华北分公司
    """
    from crmctl.scaffold import init_repository

    messages = _messages(lang)
    written = init_repository(directory, messages, company=company, crmctl_spec=crmctl_spec)
    for rel in written.paths:
        typer.echo(str(directory / rel))
    return EXIT_OK


def schema(
    out: Annotated[Optional[Path], typer.Option("--out", "-o", file_okay=False,
                                                help="Folder to write *.schema.json into (default: the repository's schemas/).")] = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Write the JSON Schema of every file kind, for editors' completion and checks.

    Files that init and new write point at them with a `# yaml-language-server: $schema=` line.
    """
    from crmctl import layout
    from crmctl.scaffold import write_schemas

    folder = out if out is not None else _root(repo, lang) / layout.SCHEMA_DIR
    for path in write_schemas(folder):
        typer.echo(path)
    return EXIT_OK


# -- new -------------------------------------------------------------------------

def _written(written) -> int:
    for rel in written.paths:
        typer.echo(str(written.root / rel))
    return EXIT_OK


def new_customer(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Full name, e.g. 北京市环境卫生集团.")],
    category: Annotated[Category, typer.Option(help="Customer category.")],
    market: Annotated[Market, typer.Option(help="Market (sets the fees).")],
    tier: Annotated[Tier, typer.Option(help="A strategic, B key, C general.")],
    owner: Annotated[str, typer.Option(help="Our person responsible.")],
    region: Annotated[str, typer.Option(help="Sales region.")],
    channel: Annotated[Channel, typer.Option(help="direct or dealer.")] = "direct",
    kind: Annotated[Optional[Kind], typer.Option(help="Government or individual kind.")] = None,
    size: Annotated[Optional[Size], typer.Option(help="Enterprise size as known.")] = None,
    dealer: Annotated[Optional[str], typer.Option(help="The dealer, when channel is dealer.")] = None,
    short_name: Annotated[Optional[str], typer.Option(help="Short name.")] = None,
    cross_regional: Annotated[bool, typer.Option("--cross-regional/--regional", help="Operates across regions.")] = False,
    fleet_size: Annotated[Optional[int], typer.Option(min=0, help="Vehicles owned now.")] = None,
    since: Annotated[Optional[dt.datetime], typer.Option(formats=["%Y-%m-%d"], help="Customer since (default: today).")] = None,
    customer_id: Annotated[Optional[str], typer.Option("--id", help="The id (default: derived from the name, pinyin for Chinese).")] = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Create customers/<id>/ with customer.yaml, contacts.yaml and activities.yaml.

    Example: crmctl new customer 北京市环境卫生集团 --category government --kind institution
    --market local --tier A --owner 张明 --region 北京 --id bj-huanwei
    """
    from crmctl.scaffold import new_customer as create

    root = _root(repo, lang)
    return _written(create(
        root, _messages(lang, root), name=name, category=category, market=market, tier=tier,
        channel=channel, owner=owner, region=region, kind=kind, size=size, dealer=dealer, short_name=short_name,
        cross_regional=cross_regional, fleet_size=fleet_size, since=since.date() if since else None,
        customer_id=customer_id))


def new_project(
    customer: Annotated[str, typer.Argument(metavar="CUSTOMER", help="The customer's id.")],
    name: Annotated[str, typer.Argument(metavar="NAME", help="Project name, e.g. 2027年环卫车辆更新采购.")],
    owner: Annotated[str, typer.Option(help="Our project manager.")],
    opened: Annotated[Optional[dt.datetime], typer.Option(formats=["%Y-%m-%d"], help="Opened on (default: today).")] = None,
    expected_close: Annotated[Optional[dt.datetime], typer.Option(formats=["%Y-%m-%d"], help="Expected close.")] = None,
    quantity: Annotated[Optional[int], typer.Option(min=0, help="Vehicles to buy.")] = None,
    budget: Annotated[Optional[float], typer.Option(min=0, help="Budget.")] = None,
    mode: Annotated[Optional[Mode], typer.Option("--mode", help="Procurement mode.")] = None,
    project_id: Annotated[Optional[str], typer.Option("--id", help="The id (default: derived from the name).")] = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Create customers/<customer>/projects/<id>/project.yaml.

    Example: crmctl new project bj-huanwei 2027年环卫车辆更新 --owner 王磊 --quantity 30 --id renewal-2027
    """
    from crmctl.scaffold import new_project as create

    root = _root(repo, lang)
    return _written(create(
        root, _messages(lang, root), customer, name=name, owner=owner,
        opened=opened.date() if opened else None, expected_close=expected_close.date() if expected_close else None,
        quantity=quantity, budget=budget, procurement_mode=mode, project_id=project_id))


def new_contact(
    customer: Annotated[str, typer.Argument(metavar="CUSTOMER", help="The customer's id.")],
    name: Annotated[str, typer.Argument(metavar="NAME", help="The person's name, e.g. 李建.")],
    title: Annotated[Optional[str], typer.Option(help="Job title.")] = None,
    department: Annotated[Optional[str], typer.Option(help="Department.")] = None,
    phone: Annotated[Optional[str], typer.Option(help="Phone.")] = None,
    email: Annotated[Optional[str], typer.Option(help="Email.")] = None,
    reports_to: Annotated[Optional[str], typer.Option(help="Contact id of the superior.")] = None,
    level: Annotated[Optional[Level], typer.Option(help="Decision level.")] = None,
    function: Annotated[Optional[Function], typer.Option(help="Function in purchasing.")] = None,
    influence: Annotated[Optional[Influence], typer.Option(help="Influence.")] = None,
    attitude: Annotated[Attitude, typer.Option(help="Attitude towards us.")] = "unknown",
    contact_id: Annotated[Optional[str], typer.Option("--id", help="The id (default: pinyin of the name).")] = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Add a person to the customer's contacts.yaml (the rest of the file is left as it is).

    Example: crmctl new contact bj-huanwei 李建 --title 采购部长 --function procurement --attitude supporter
    """
    from crmctl.scaffold import new_contact as create

    root = _root(repo, lang)
    return _written(create(
        root, _messages(lang, root), customer, name=name, title=title, department=department, phone=phone,
        email=email, reports_to=reports_to, level=level, function=function,
        influence=influence, attitude=attitude, contact_id=contact_id))


# -- list, show -----------------------------------------------------------------

def list_(
    category: Annotated[Optional[Category], typer.Option()] = None,
    tier: Annotated[Optional[Tier], typer.Option()] = None,
    market: Annotated[Optional[Market], typer.Option()] = None,
    channel: Annotated[Optional[Channel], typer.Option()] = None,
    owner: Annotated[Optional[str], typer.Option(help="Our person responsible.")] = None,
    region: Annotated[Optional[str], typer.Option(help="Sales region.")] = None,
    output: TableFormat = "table",
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """List customers, filtered. Customers whose customer.yaml is invalid are left
    out and reported on stderr (exit 1).

    Example: crmctl list --tier A --format csv > tier-a.csv
    """
    from crmctl.cli.output import diagnostics_text, table, write
    from crmctl.diagnostics import has_errors
    from crmctl.views import list_columns, list_customers, localise_row

    root = _root(repo, lang)
    messages = _messages(lang, root)
    rows, diagnostics = list_customers(root, messages, {
        "category": category, "tier": tier, "market": market,
        "channel": channel, "owner": owner, "region": region})
    machine = output in ("json", "csv")
    shown = rows if machine else [localise_row(r, messages.lang) for r in rows]
    write(table(shown, list_columns(messages) if not machine else [(k, k) for k, _ in list_columns(messages)], output))
    write(diagnostics_text(diagnostics), err=True)
    return EXIT_PROBLEMS if has_errors(diagnostics) else EXIT_OK


def show(
    customer_id: Annotated[str, typer.Argument(metavar="ID", help="The customer's id.")],
    output: Annotated[TextOrJson, typer.Option("--format", "-f", help="text or json.")] = "text",
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Show one customer: profile, contacts, projects and recent activities.

    Example: crmctl show bj-huanwei --lang en
    """
    from crmctl.cli.output import diagnostics_text, to_json, write
    from crmctl.views import render_customer, show_customer

    root = _root(repo, lang)
    messages = _messages(lang, root)
    view, diagnostics = show_customer(root, customer_id, messages)
    write(to_json(view.to_dict()) if output == "json" else render_customer(view, messages.lang))
    write(diagnostics_text(diagnostics), err=True)
    return EXIT_PROBLEMS if diagnostics else EXIT_OK


# -- the pipeline ------------------------------------------------------------------

ProjectArgument = Annotated[str, typer.Argument(
    metavar="PROJECT", help="CUSTOMER/PROJECT, a project id, or a customer with one open project.")]
DateOption = Annotated[Optional[dt.datetime], typer.Option(
    "--date", formats=["%Y-%m-%d"], help="When it happened (default: today).")]
ByOption = Annotated[Optional[str], typer.Option(
    "--by", help="Who did it (default: $CRMCTL_USER, else git's user.name).")]


def _missing_text(missing) -> str:
    return "".join(f"  {d.location()}: {d.message}\n" + (f"      {d.hint}\n" if d.hint else "") for d in missing)


def advance(
    project: ProjectArgument,
    to: Annotated[Optional[str], typer.Option("--to", help="The stage to move to (default: the next one).")] = None,
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
    from crmctl.cli.output import to_json, write
    from crmctl.workflow import advance as run_advance

    root = _root(repo, lang)
    m = _messages(lang, root)
    result = run_advance(root, project, m, to=to, date=date.date() if date else None, by=by, note=note,
                         force=force, reason=reason, dry_run=dry_run)
    source, target = result.from_stage.name.text(m.lang), result.to_stage.name.text(m.lang)
    if output == "json":
        write(to_json({"project": result.ref, "from": result.from_stage.id, "to": result.to_stage.id,
                       "gate_open": result.gate_open, "applied": result.applied, "forced": result.forced,
                       "date": result.date, "missing": [d.to_dict() for d in result.missing]}))
    elif result.applied:
        write(m.pick(f"{result.ref}: {source} → {target} ({result.date})\n",
                     f"{result.ref}:{source} → {target}({result.date})\n"))
        if result.missing:
            write(m.pick(f"forced past {len(result.missing)} missing item(s):\n",
                         f"已强制通过,缺少 {len(result.missing)} 项:\n") + _missing_text(result.missing), err=True)
    elif result.gate_open:
        write(m.pick(f"{result.ref}: {source} → {target}: the gate is open (dry run, nothing written)\n",
                     f"{result.ref}:{source} → {target}:条件已满足(试运行,未写入)\n"))
    else:
        write(m.pick(f"{result.ref}: cannot move from “{source}” to “{target}”; "
                     f"{len(result.missing)} item(s) missing:\n",
                     f"{result.ref}:无法从「{source}」进入「{target}」;缺少 {len(result.missing)} 项:\n")
              + _missing_text(result.missing), err=True)
    return EXIT_OK if result.gate_open or result.applied else EXIT_PROBLEMS


def status(
    project: Annotated[Optional[str], typer.Argument(
        metavar="[PROJECT]", help="One project (default: every open or won project).")] = None,
    include_lost: Annotated[bool, typer.Option("--all", help="Include projects closed as lost.")] = False,
    output: TableFormat = "table",
    today: TodayOption = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Where projects stand: stage, days in it, stalled or not, what the next gate needs.

    Example: crmctl status --format csv > pipeline.csv
    """
    from crmctl.cli.output import diagnostics_text, table, to_json, write
    from crmctl.workflow import all_status, project_status

    root = _root(repo, lang)
    m = _messages(lang, root)
    day = today.date() if today else None
    if project is not None:
        one = project_status(root, project, m, day)
        write(to_json(one.to_dict(m.lang)) if output == "json" else _status_text(one, m))
        return EXIT_OK
    rows, diagnostics = all_status(root, m, today=day, include_lost=include_lost)
    columns = [("project", m.pick("project", "项目")), ("name", m.pick("name", "名称")),
               ("stage", m.pick("stage", "阶段")), ("days", m.pick("days", "天数")),
               ("stalled", m.pick("stalled", "停滞")), ("outcome", m.pick("outcome", "结果")),
               ("missing", m.pick("next gate needs", "下一步缺少")), ("flags", m.pick("red flags", "风险"))]
    if output == "json":
        write(to_json([r.to_dict(m.lang) for r in rows]))
    else:
        machine = output == "csv"
        outcome = {"won": m.pick("won", "成交"), "lost": m.pick("lost", "丢单"), None: ""}
        data = [{"project": r.ref, "name": r.name, "stage": r.stage.id if machine else r.stage.name.text(m.lang),
                 "days": r.days, "stalled": ("yes" if machine else m.pick("yes", "是")) if r.stalled else "",
                 "outcome": (r.outcome or "") if machine else outcome[r.outcome], "missing": len(r.missing),
                 "flags": len(r.flags)}
                for r in rows]
        write(table(data, [(k, k) for k, _ in columns] if machine else columns, output))
    write(diagnostics_text(diagnostics), err=True)
    return EXIT_PROBLEMS if diagnostics else EXIT_OK


def _status_text(s, m) -> str:
    lines = [f"{s.ref}  {s.name}"]
    limit = m.pick(f" (limit {s.stage.max_days})", f"(上限 {s.stage.max_days})") if s.stage.max_days else ""
    stalled = m.pick("  STALLED", "  已停滞") if s.stalled else ""
    lines.append(f"  {m.pick('stage', '阶段')}: {s.stage.name.text(m.lang)} [{s.stage.id}], "
                 + m.pick(f"{s.days} days", f"{s.days} 天") + limit + stalled)
    outcome = {"won": m.pick("won", "成交"), "lost": m.pick("lost", "丢单"), None: m.pick("open", "进行中")}
    lines.append(f"  {m.pick('outcome', '结果')}: {outcome[s.outcome]}")
    if s.stage.guidance:
        lines.append(f"  {m.pick('goal', '目标')}: {s.stage.guidance.text(m.lang)}")
    if s.next_stage is not None:
        lines.append(f"  {m.pick('next', '下一阶段')}: {s.next_stage.name.text(m.lang)} [{s.next_stage.id}]")
        if s.missing:
            lines.append(m.pick(f"  still needed ({len(s.missing)}):", f"  尚缺({len(s.missing)} 项):"))
            lines.append(_missing_text(s.missing).rstrip("\n").replace("\n", "\n  ").join(["  ", ""]))
        else:
            lines.append(m.pick(f"  the gate is open: crmctl advance {s.ref}", f"  条件已满足:crmctl advance {s.ref}"))
    if s.flags:
        lines.append(m.pick(f"  red flags ({len(s.flags)}):", f"  风险提示({len(s.flags)} 项):"))
        lines.append(_missing_text(s.flags).rstrip("\n").replace("\n", "\n  ").join(["  ", ""]))
    return "\n".join(lines) + "\n"


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
    from crmctl.workflow import close as run_close

    if won == lost:
        raise CliError("give exactly one of --won or --lost", "", EXIT_USAGE)
    root = _root(repo, lang)
    m = _messages(lang, root)
    outcome = "won" if won else "lost"
    ref, when = run_close(root, project, m, outcome=outcome, reason=reason,
                          date=date.date() if date else None, by=by)
    typer.echo(m.pick(f"{ref}: closed as {outcome} ({when})", f"{ref}:已关闭,{'成交' if won else '丢单'}({when})"))
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
    from crmctl.workflow import reopen as run_reopen

    root = _root(repo, lang)
    m = _messages(lang, root)
    ref, when = run_reopen(root, project, m, reason=reason, date=date.date() if date else None, by=by)
    typer.echo(m.pick(f"{ref}: reopened ({when})", f"{ref}:已重新打开({when})"))
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
    from crmctl.workflow import new_document

    root = _root(repo, lang)
    m = _messages(lang, root)
    typer.echo(str(root / new_document(root, project, kind, m, date=date.date() if date else None)))
    return EXIT_OK


# -- analysis ----------------------------------------------------------------------


def _emit(report, output: str) -> int:
    """Print a views.Report: json = its data, csv = raw values, else a table and the summary."""
    from crmctl.cli.output import diagnostics_text, table, to_json, write

    if output == "json":
        write(to_json(report.data))
    elif output == "csv":
        write(table(report.machine_rows, [(k, k) for k, _ in report.columns], "csv"))
    else:
        write(table(report.rows, report.columns, output))
        if report.summary:
            write("\n" + report.summary)
    write(diagnostics_text(report.diagnostics), err=True)
    return EXIT_PROBLEMS if any(d.severity == "error" for d in report.diagnostics) else EXIT_OK


def classify(
    customer: Annotated[Optional[str], typer.Argument(metavar="[CUSTOMER]", help="One customer (default: all).")] = None,
    output: TableFormat = "table",
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Size, tier and who should work each customer: as recorded and as the rules derive them.

    Size from the fleet and cross-regional operation; tier from yearly purchases and
    importance (thresholds in crm.yaml). Disagreements are also warnings in check.

    Example: crmctl classify --format csv
    """
    from crmctl.analysis_views import classification_report

    root = _root(repo, lang)
    return _emit(classification_report(root, _messages(lang, root), customer), output)


def map_(
    project: ProjectArgument,
    output: Annotated[Literal["tree", "mermaid", "dot", "json"], typer.Option(
        "--format", "-f", help="tree (text), mermaid, dot (Graphviz) or json.")] = "tree",
    today: TodayOption = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """The project's stakeholders: the organisation chart annotated with each person's role
    and weight in this purchase, influence and attitude; the relationship network; red flags.

    Example: crmctl map bj-huanwei --format mermaid > stakeholders.mmd
    """
    from crmctl.analysis_views import stakeholder_map
    from crmctl.cli.output import diagnostics_text, write

    root = _root(repo, lang)
    m = _messages(lang, root)
    text, flags = stakeholder_map(root, project, m, output, today.date() if today else None)
    write(text)
    if flags and output == "tree":
        write(m.pick("\nRed flags:\n", "\n风险提示:\n") + _missing_text(flags))
    elif flags and output != "json":
        write(diagnostics_text(flags), err=True)
    return EXIT_OK


def score(
    project: ProjectArgument,
    output: TableFormat = "table",
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Score the project's evaluation: weighted totals of us and each competitor, the ranking,
    where we lose most against the strongest competitor, and the smallest single change that
    would put us first.

    Example: crmctl score sh-xianda-lenglian/reefer-fleet-2027 --format json
    """
    from crmctl.analysis_views import score_report

    root = _root(repo, lang)
    return _emit(score_report(root, project, _messages(lang, root)), output)


def fees(
    year: Annotated[Optional[int], typer.Option("--year", help="The year (default: this year).")] = None,
    output: TableFormat = "table",
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Customer development and maintenance fees due in a year, by customer, with totals by market.

    Development fee: once, in the year of the co-operation agreement (agreement_date, else
    the first won contract). Maintenance fee: in each year with a won contract. Amounts by
    market from crm.yaml.

    Example: crmctl fees --year 2026 --format csv
    """
    from crmctl.analysis_views import fee_report_view

    root = _root(repo, lang)
    return _emit(fee_report_view(root, _messages(lang, root), year or dt.date.today().year), output)


# -- the app ----------------------------------------------------------------------

COMMANDS = {"check": check, "init": init, "new": None, "list": list_, "show": show, "status": status,
            "advance": advance, "close": close, "reopen": reopen, "doc": None, "classify": classify,
            "map": map_, "score": score, "fees": fees, "schema": schema}
SUB_APPS = {
    "new": ("Create a customer, project or contact. / 新建客户、项目或联系人。",
            {"customer": new_customer, "project": new_project, "contact": new_contact}),
    "doc": ("The documents each stage requires. / 各阶段要求的输出文件。", {"new": doc_new}),
}
APP_HELP = "A key-account CRM kept as YAML files in a git repository. / 以 git 仓库中的 YAML 文件管理大客户。"


def build_app(argv: list[str] | None = None) -> typer.Typer:
    """The Typer app. Given ``argv``, only the command it names is registered:
    Typer prepares every registered command's parameters on each run, and
    scripts call crmctl many times (PERF.md)."""
    words = [a for a in argv or () if not a.startswith("-")]
    wanted = words[0] if words and words[0] in COMMANDS else None
    version_only = argv is not None and not words and bool({"--version", "-V"} & set(argv))
    app = typer.Typer(name="crmctl", help=APP_HELP, no_args_is_help=True, rich_markup_mode=None,
                      pretty_exceptions_enable=False, context_settings={"help_option_names": ["-h", "--help"]})
    app.callback()(_main)
    for name, command in COMMANDS.items():
        if version_only or (wanted is not None and name != wanted):
            continue
        if name in SUB_APPS:
            help_text, commands = SUB_APPS[name]
            sub_app = typer.Typer(help=help_text, no_args_is_help=True, rich_markup_mode=None)
            for sub, sub_command in commands.items():
                sub_app.command(sub)(sub_command)
            app.add_typer(sub_app, name=name)
        else:
            app.command(name)(command)
    return app


# -- entry point ------------------------------------------------------------------

def _print_error(message: str, hint: str = "") -> None:
    sys.stderr.write(f"crmctl: {message}\n" + (f"    {hint}\n" if hint else ""))


def main(argv: list[str] | None = None) -> int:
    """Run crmctl; return the exit code (never raises, never exits)."""
    import click

    from crmctl.errors import UserError

    args = sys.argv[1:] if argv is None else argv
    try:
        result = build_app(args)(args=args, prog_name="crmctl", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        return EXIT_INTERRUPTED
    except click.ClickException as exc:  # usage errors: bad option, missing argument
        exc.show()
        return EXIT_USAGE if isinstance(exc, click.UsageError) else EXIT_PROBLEMS
    except UserError as exc:
        _print_error(exc.message, exc.hint)
        return EXIT_PROBLEMS
    except CliError as exc:
        _print_error(exc.message, exc.hint)
        return exc.code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader went away (`crmctl list | head`): not an error of ours
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return EXIT_OK
    except Exception:  # noqa: BLE001 - the one place a bug is told apart from bad data
        import traceback

        _print_error("an unexpected error has occurred (a bug in crmctl, not in your data):",
                     traceback.format_exc().replace("\n", "\n    ").rstrip())
        return EXIT_INTERNAL
    return result if isinstance(result, int) else EXIT_OK


def run() -> None:
    sys.exit(main())
