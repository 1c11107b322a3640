"""log and due: what happened with a customer, and what is to be done next."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Optional

import typer

from crmctl.cli.common import (
    EXIT_OK,
    ActivityKind,
    ByOption,
    CustomerArgument,
    DateOption,
    LangOption,
    OutputOption,
    RepoOption,
    TableOrXlsxFormat,
    TodayOption,
    _messages,
    _root,
    outside_repository,
    print_written,
)


def log(
    customer: CustomerArgument,
    summary: Annotated[str, typer.Argument(metavar="SUMMARY", help="What happened, e.g. 电话确认招标技术参数.")],
    kind: Annotated[ActivityKind, typer.Option("--kind", "-k", help="What kind of activity.")],
    date: DateOption = None,
    by: ByOption = None,
    contact: Annotated[Optional[list[str]], typer.Option(
        "--contact", "-c", help="A contact met or called, by id or name (repeatable).")] = None,
    project: Annotated[Optional[str], typer.Option(help="The project it was about (its id).")] = None,
    next_step: Annotated[Optional[str], typer.Option("--next", help="What is to be done next.")] = None,
    next_date: Annotated[Optional[dt.datetime], typer.Option(
        "--next-date", formats=["%Y-%m-%d"], help="When the next step is due.")] = None,
    today: Annotated[Optional[dt.datetime], typer.Option(
        "--today", formats=["%Y-%m-%d"], help="Take this day as today (for scripts and tests): --date may not "
                                              "be later (default: today).")] = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Append an activity to the customer's activities.yaml (the rest of the file is left as it is).

    Example: crmctl log bj-huanwei "电话确认招标技术参数" --kind call -c zhang-hua --next "寄送技术资料" --next-date 2026-12-05
    """
    from crmctl.files.scaffold import log_activity
    from crmctl.pipeline.workflow import default_actor

    root = _root(repo, lang)
    m = _messages(lang, root)
    print_written(log_activity(
        root, m, customer, summary=summary, kind=kind, by=by or default_actor(root, m),
        date=date.date() if date else None, contacts=tuple(contact or ()), project=project, next_step=next_step,
        next_date=next_date.date() if next_date else None,
        today=today.date() if today else dt.date.today(), by_guessed=by is None))
    return EXIT_OK



def due(
    within: Annotated[str, typer.Option("--within", help="How far ahead: 14d, 2w or 1m (a month is 30 days).")] = "14d",
    owner: Annotated[Optional[str], typer.Option(help="Only this person's actions.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only what is overdue.")] = False,
    ics: Annotated[Optional[Path], typer.Option("--ics", dir_okay=False, help="Also write the actions as an "
                                                "iCalendar file (one event each; a re-import updates them).")] = None,
    output: TableOrXlsxFormat = "table",
    out: OutputOption = None,
    today: TodayOption = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """What is due, and whose it is: next steps from the log, production checkpoints,
    deliveries, return visits after handover, the care plan's trainings, care activities,
    meetings and evaluations, money owed on signed contracts, warranty deposits, birthdays,
    holiday greetings, stalled stages. By date, the overdue first.

    Example: crmctl due --within 2w --owner 王磊 --ics ~/crm-due.ics
    """
    from crmctl.cli.commands.analysis import _emit
    from crmctl.cli.common import check_output
    from crmctl.files.storage import write_user_file
    from crmctl.reports.care import calendar, due_actions, due_report

    root = _root(repo, lang)
    m = _messages(lang, root)
    check_output(output, out, root, m, ("crmctl due --format xlsx -o ~/due.xlsx", "crmctl due --format xlsx -o ~/待办.xlsx"))
    day = today.date() if today else dt.date.today()
    from crmctl.cli.output import progress_bar

    with progress_bar(m.pick("reading customers", "正在读取客户")) as progress:
        found = due_actions(root, m, today=day, within_days=_days(within, m), owner=owner, overdue_only=overdue,
                            progress=progress)
    if ics is not None:
        outside_repository(root, ics, m, "--ics", "--ics ~/crm-due.ics")
        write_user_file(ics, calendar(found.actions, m, found.currency), m)
        from crmctl.cli.output import write
        from crmctl.escaping import join_lines

        n = len(found.actions)  # on stderr: stdout is the listing, which scripts read
        write(join_lines([m.pick(f"crmctl: {n} event(s) written to {ics}", f"crmctl: 已写入 {n} 个日历事件：{ics}")]),
              err=True)
    return _emit(due_report(found, m, day), output, m.lang, out=out, root=root, m=m, title=m.pick("Due", "待办"),
                 stamp=day)


def _days(text: str, m) -> int:
    """``14d``, ``2w``, ``1m`` (30 days) or a bare number of days."""
    from crmctl.cli.common import EXIT_USAGE, CliError

    unit = {"d": 1, "w": 7, "m": 30}.get(text[-1:].lower(), None) if text else None
    number = text[:-1] if unit else text
    if not number.isascii() or not number.isdigit() or len(number) > 5 or int(number) * (unit or 1) > 3650:
        raise CliError(m.pick(f"--within {text}: give days, weeks or months, such as 14d, 2w or 1m (at most ten years)",
                              f"--within {text}：请写天数、周数或月数，如 14d、2w、1m（最多十年）"), "", EXIT_USAGE)
    return int(number) * (unit or 1)
