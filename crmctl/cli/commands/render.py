"""render."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal, Optional

import typer

from crmctl.cli.common import EXIT_OK, EXIT_USAGE, CliError, LangOption, RepoOption, TodayOption, _messages, _root

DocumentName = Literal["development_plan", "recommendation", "contract_review", "customer_file", "service_plan"]


def render(
    ref: Annotated[str, typer.Argument(metavar="CUSTOMER[/PROJECT]", help="The project (development_plan, "
                                                                          "recommendation, contract_review) or the "
                                                                          "customer (customer_file, service_plan).")],
    document: Annotated[DocumentName, typer.Argument(metavar="DOC", help="development_plan, recommendation, "
                                                                         "contract_review, customer_file or service_plan.")],
    output: Annotated[Literal["md", "html", "docx"], typer.Option("--format", "-f", help="md, html or docx.")] = "md",
    out: Annotated[Optional[Path], typer.Option("--output", "-o", dir_okay=False,
                                                help="Write to this file (outside the repository); docx needs one.")] = None,
    today: TodayOption = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """A document of the method from the repository's data, as Markdown, HTML or Word: the
    project development plan (项目开发计划书), the product recommendation (产品推荐书), the
    contract review sheet (合同评审表), the customer file (客户档案), the maintenance and service
    plan (客户维护与服务计划).

    The repository's templates/render/<lang>/<doc>.md.j2 is used before the built-in one.

    Example: crmctl render bj-huanwei/sweeper-renewal-2027 development_plan --format docx -o ~/计划书.docx
    """
    from crmctl.cli.output import write
    from crmctl.reports.documents import DOCUMENTS, markdown, pictures, to_docx, to_html, without_pictures

    root = _root(repo, lang)
    m = _messages(lang, root)
    day = today.date() if today else dt.date.today()
    if output == "docx" and (out is None or str(out) == "-"):
        raise CliError(m.pick("--format docx writes a file: give it with -o FILE", "--format docx 需写入文件：请用 -o 文件"),
                       "", EXIT_USAGE)
    text = markdown(root, ref, document, m, day)
    title = m.pick(*DOCUMENTS[document][1:])
    if output == "md":
        data = without_pictures(text, ref, m).encode("utf-8")
    elif output == "html":
        data = to_html(text, title, m.lang, pictures(root, ref, document, m, day, "svg")).encode("utf-8")
    else:
        data = to_docx(text, title, day, pictures(root, ref, document, m, day, "png"))
    if out is None or str(out) == "-":  # `-o -`: standard output
        if output == "docx":
            raise CliError(m.pick("--format docx writes a file: give it with -o FILE", "--format docx 需写入文件：请用 -o 文件"),
                           "", EXIT_USAGE)
        write(data.decode("utf-8"))
        return EXIT_OK
    from crmctl.cli.common import outside_repository
    from crmctl.files.storage import write_user_file

    outside_repository(root, out, m, "--output")
    write_user_file(out, data, m)
    return EXIT_OK
