"""log: what happened with a customer, and what is to be done next."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Optional

import typer

from crmctl.cli.common import (
    EXIT_OK,
    ActivityKind,
    ByOption,
    CustomerArgument,
    DateOption,
    LangOption,
    RepoOption,
    TodayOption,
    _messages,
    _root,
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
    today: TodayOption = None,
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
        today=today.date() if today else dt.date.today()))
    return EXIT_OK

