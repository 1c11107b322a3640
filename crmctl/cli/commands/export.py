"""export sqlite."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from crmctl.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, CliError, LangOption, RepoOption, _messages, _root


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
    _outside(root, file, m)
    with progress_bar(m.pick("reading customers", "正在读取客户")) as progress:
        done = export(root, file, m, progress=progress)
    write(diagnostics_text(done.diagnostics, m.lang), err=True)
    customers, projects = done.rows["customers"], done.rows["projects"]
    rows = sum(done.rows.values())
    tables = len(done.rows)
    lines = [m.pick(f"crmctl: {customers} customer(s), {projects} project(s): {rows} rows in {tables} tables "
                    f"written to {file}",
                    f"crmctl：已写入 {file}：{customers} 个客户、{projects} 个项目，{tables} 张表共 {rows} 行")]
    if done.diagnostics:
        n = len(done.diagnostics)
        lines.append(m.pick(f"crmctl: what the {n} error(s) above name is not in the database: fix them "
                            f"(crmctl check lists them all) and export again",
                            f"crmctl：以上 {n} 个错误所涉及的内容未写入数据库；请修正（crmctl check 列出全部问题）后重新导出"))
    from crmctl.escaping import join_lines

    write(join_lines(lines), err=True)
    return EXIT_PROBLEMS if done.diagnostics else EXIT_OK


def _outside(root: Path, target: Path, m) -> None:
    """The database is written for a person, never into the repository (where it would be a stray
    binary everyone commits, or replace a record), as ``report -o`` has it; nor over something that
    is not a plain file."""
    import os
    import stat

    if str(target) == "-":
        raise CliError(m.pick("FILE -: a database is written to a file, not to standard output",
                              "文件 -：数据库只能写入文件，不能写到标准输出"),
                       m.pick("give a path, e.g. crmctl export sqlite ~/crm.sqlite",
                              "请给出路径，例如 crmctl export sqlite ~/crm.sqlite"), EXIT_USAGE)
    if os.path.lexists(target) and not stat.S_ISREG(os.lstat(target).st_mode):
        # a device, a pipe, a folder or a link: renaming the database over it would replace it
        raise CliError(m.pick(f"{target}: that is not a plain file", f"{target}：不是普通文件"),
                       m.pick("give the path of a file (it is written whole, or replaced)",
                              "请给出文件路径（整份写入或替换）"), EXIT_USAGE)
    if Path(os.path.realpath(target)).is_relative_to(Path(os.path.realpath(root))):
        example = f"crmctl export sqlite ~/{target.name}"  # the file meant, in the home folder
        raise CliError(m.pick(f"{target}: that is inside the customer repository {root}",
                              f"{target}：位于客户仓库 {root} 之内"),
                       m.pick(f"write it elsewhere, e.g. {example}", f"请写到仓库之外，例如 {example}"), EXIT_USAGE)
