"""report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal, Optional

import typer

from crmctl.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, CliError, LangOption, RepoOption, _messages, _root

ReportName = Literal["summary", "funnel", "pipeline", "outcomes", "money", "care", "risks", "activity", "fees",
                     "targets"]
ReportFormat = Literal["table", "md", "csv", "tsv", "excel-csv", "xlsx", "json", "html"]


def report(
    name: Annotated[ReportName, typer.Argument(metavar="NAME", help="summary, funnel, pipeline, outcomes, money, care, "
                                                                    "risks, activity, fees or targets.")] = "summary",
    period: Annotated[Optional[str], typer.Option(help="2026, 2026-Q3 or 2026-11 (default: the year of --as-of).")] = None,
    owner: Annotated[Optional[str], typer.Option(help="Only this person's projects and customers (id or name).")] = None,
    region: Annotated[Optional[str], typer.Option(help="Only customers of this region.")] = None,
    tier: Annotated[Optional[Literal["A", "B", "C"]], typer.Option(help="Only customers of this tier.")] = None,
    as_of: Annotated[Optional[dt.datetime], typer.Option(
        "--as-of", formats=["%Y-%m-%d"], help="Replay histories, logs and payments up to this day (default: today, "
                                              "or the period's end when that is earlier).")] = None,
    output: Annotated[ReportFormat, typer.Option("--format", "-f", help="table, md, csv, tsv, excel-csv, xlsx, json or "
                                                                        "html (csv and tsv: one table; not summary; "
                                                                        "xlsx: an Excel workbook, a sheet per table, "
                                                                        "with -o FILE; html: one page with charts).")
                      ] = "table",
    at: Annotated[Optional[str], typer.Option("--at", help="Read the repository as it was at this git revision "
                                                          "(a commit, tag or branch), through git; the work tree is "
                                                          "not touched.")] = None,
    out: Annotated[Optional[Path], typer.Option("--output", "-o", dir_okay=False,
                                                help="Write to this file (outside the repository) instead of stdout.")] = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """The state of the business for a period: the sales funnel, the pipeline's worth, deals won
    and lost, money owed, customer care, activity, fees and the yearly targets.

    The same repository and --as-of give byte-identical output.

    Example: crmctl report funnel --period 2026-Q4 --owner 王磊 --format md
    """
    from crmctl.cli.common import check_output, deliver
    from crmctl.cli.output import diagnostics_text, progress_bar, write
    from crmctl.reports.suite import Filters, build, parse_period, render, workbook

    root = _root(repo, lang)
    m = _messages(lang, root)
    check_output(output, out, root, m, (f"crmctl report {name} --format xlsx -o ~/report.xlsx",
                                        f"crmctl report {name} --format xlsx -o ~/报表.xlsx"))
    today = as_of.date() if as_of else dt.date.today()
    span = parse_period(period if period is not None else f"{today.year:04}", m)
    day = min(today, span.end) if as_of is None else today
    if at is not None:
        from crmctl.files.revision import checked_out

        with checked_out(root, at, m) as past:
            with progress_bar(m.pick("reading customers", "正在读取客户")) as progress:
                book = build(past, name, m, period=span, as_of=day, filters=Filters(_people(past, owner, m), region, tier),
                             progress=progress)
    else:
        with progress_bar(m.pick("reading customers", "正在读取客户")) as progress:
            book = build(root, name, m, period=span, as_of=day, filters=Filters(_people(root, owner, m), region, tier),
                         progress=progress)
    if output in ("csv", "tsv", "excel-csv") and len(book.sections) != 1:
        raise CliError(m.pick(f"--format {output}: `{name}` has {len(book.sections)} tables",
                              f"--format {output}：`{name}` 含 {len(book.sections)} 张表"),
                       m.pick("choose one report (crmctl report funnel --format csv), or json, md, html or table",
                              "请选择单个报表（如 crmctl report funnel --format csv），或用 json、md、html、table"),
                       EXIT_USAGE)
    if output == "html":
        from crmctl.reports.dashboard import html

        data: str | bytes = html(book, m, root)
    elif output == "xlsx":
        data = workbook(book, m)
    else:
        data = render(book, output, m)
    deliver(data, out, root, m)  # `-o -`: standard output, as the tools people know have it
    write(diagnostics_text(book.diagnostics, m.lang), err=True)
    return EXIT_PROBLEMS if book.diagnostics else EXIT_OK


def _people(root: Path, owner: str | None, m) -> set[str] | None:
    """Every id and name ``owner`` goes by (as written, without a people.yaml)."""
    from crmctl.errors import UserError
    from crmctl.files.repository import load_people

    if owner is None:
        return None
    team, _ = load_people(root, m)
    if team is None:
        return {owner}
    found = team.find(owner)
    if not found:
        raise UserError(m.pick(f"--owner {owner}: none of our people in people.yaml",
                               f"--owner {owner}：不在 people.yaml 的我方人员中") + m.did_you_mean(owner, team.words(), 0.5),
                        m.pick("name them by id or name", "请用标识或姓名"))
    return {owner} | {word for person in found for word in (person.id, person.name)}
