"""export sqlite."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from crmctl.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    CliError,
    LangOption,
    RepoOption,
    _messages,
    _root,
    outside_repository,
)


def export_sqlite(
    file: Annotated[Path, typer.Argument(metavar="FILE", dir_okay=False,
                                         help="The database to write (outside the repository); an existing one "
                                              "is replaced whole once the new one is complete.")],
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """The whole repository as one SQLite database, for SQL and BI tools: customers, contacts and
    their relations, projects with their stage history, decision maps, competitors and
    evaluations, activities, contracts with their payments, deliveries, and the care plans.

    Days are ISO text, amounts whole fen (INTEGER columns ending _fen, so sums are exact), choices
    their keys (the labels table has their English and Chinese). README.md lists the tables. The
    same repository gives the same file, byte for byte. A file that does not read is left out and
    named, and the exit code is 1.

    Example: crmctl export sqlite ~/crm.sqlite
    """
    from crmctl.cli.output import diagnostics_text, progress_bar, write
    from crmctl.exchange.sqlite import export

    root = _root(repo, lang)
    m = _messages(lang, root)
    _refuse_target(root, file, m, "sqlite", ("a database", "数据库"))
    with progress_bar(m.pick("reading customers", "正在读取客户")) as progress:
        done = export(root, file, m, progress=progress)
    write(diagnostics_text(done.diagnostics, m.lang), err=True)
    customers, projects = done.rows["customers"], done.rows["projects"]
    rows = sum(done.rows.values())
    tables = len(done.rows)
    lines = [m.pick(f"crmctl: {customers} customer(s), {projects} project(s): {rows} rows in {tables} tables "
                    f"written to {file}",
                    f"crmctl: 已写入 {file}：{customers} 个客户、{projects} 个项目，{tables} 张表共 {rows} 行")]
    if done.diagnostics:
        n = len(done.diagnostics)
        lines.append(m.pick(f"crmctl: what the {n} error(s) above name is not in the database: fix them "
                            f"(crmctl check lists them all) and export again",
                            f"crmctl: 以上 {n} 个错误所涉及的内容未写入数据库；请修正（crmctl check 列出全部问题）后重新导出"))
    from crmctl.escaping import join_lines

    write(join_lines(lines), err=True)
    return EXIT_PROBLEMS if done.diagnostics else EXIT_OK




def export_xlsx(
    file: Annotated[Path, typer.Argument(metavar="FILE", dir_okay=False,
                                         help="The workbook to write (outside the repository).")],
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """The customers, contacts and activities as one Excel workbook of three sheets, with the
    headers crmctl import reads (in the output language): for people who live in Excel, and back
    again — the workbook re-imports to the same data (crmctl import customers/contacts/activities
    FILE --sheet …). Not in it: the customers' vehicle lists, the contacts' relations, projects.

    Example: crmctl export xlsx ~/客户记录.xlsx
    """
    from crmctl.cli.output import diagnostics_text, progress_bar, write
    from crmctl.exchange.records import repository_workbook
    from crmctl.files.storage import write_user_file

    root = _root(repo, lang)
    m = _messages(lang, root)
    _refuse_target(root, file, m, "xlsx", ("a workbook", "工作簿"))
    with progress_bar(m.pick("reading customers", "正在读取客户")) as progress:
        done = repository_workbook(root, m, progress=progress)
    write_user_file(file, done.data, m)
    write(diagnostics_text(done.diagnostics, m.lang), err=True)
    n = done.counts
    write(m.pick(f"crmctl: {n['customers']} customer(s), {n['contacts']} contact(s), {n['activities']} activities "
                 f"written to {file}",
                 f"crmctl: 已写入 {file}：{n['customers']} 个客户、{n['contacts']} 位联系人、{n['activities']} 条活动")
          + "\n", err=True)
    if done.diagnostics:
        write(m.pick("crmctl: what the errors above are in is not in the workbook; fix it (crmctl check lists "
                     "every problem) and export again",
                     "crmctl: 以上错误所涉及的内容未写入工作簿；请修正（crmctl check 列出全部问题）后重新导出") + "\n",
              err=True)
        return EXIT_PROBLEMS
    return EXIT_OK


def _refuse_target(root: Path, file: Path, m, fmt: str, what: tuple[str, str]) -> None:
    """FILE, refused before anything is read: standard output (a binary file), a path inside the
    repository or over what is not a plain file."""
    if str(file) == "-":
        raise CliError(m.pick(f"FILE -: {what[0]} is written to a file, not to standard output",
                              f"文件 -：{what[1]}只能写入文件，不能写到标准输出"),
                       m.pick(f"give a path, e.g. crmctl export {fmt} ~/crm.{fmt}",
                              f"请给出路径，例如 crmctl export {fmt} ~/crm.{fmt}"), EXIT_USAGE)
    outside_repository(root, file, m, example=f"crmctl export {fmt} ~/{file.name}")
