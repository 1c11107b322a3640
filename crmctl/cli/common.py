"""What every command shares: option types, choices, finding the repository, the language."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated, Literal, Optional

import typer

from crmctl import vocabulary

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

# -- shared options (every command takes them in the same words) -------------

RepoOption = Annotated[Optional[Path], typer.Option(
    "--repo", envvar="CRMCTL_REPO", file_okay=False,
    help="The customer repository (default: the nearest folder upwards holding crm.yaml).")]
LangOption = Annotated[Optional[str], typer.Option(
    "--lang", envvar="CRMCTL_LANG", help="Language of messages: zh-CN or en (default: crm.yaml's language, which is always that of the files written).")]
TodayOption = Annotated[Optional[dt.datetime], typer.Option(
    "--today", formats=["%Y-%m-%d"], help="Judge as of this date: stalled stages, contacts not seen lately "
                                          "(default: today).")]
ListingFormat = Literal[("table", "json", "csv", "tsv", "excel-csv", "plain", "simple", "github", "grid",  # type: ignore[valid-type]
                         "simple_grid", "rounded_grid", "fancy_grid", "pipe", "orgtbl", "jira", "presto", "psql", "rst",
                         "mediawiki", "html", "latex", "textile", "asciidoc")]
TableFormat = Annotated[ListingFormat, typer.Option(
    "--format", "-f", help="table (default), json, csv or tsv (values, for scripts), excel-csv (labels, with a "
                           "byte-order mark, for a spreadsheet), or a table style: plain, github, grid, psql, …")]
# the listings that also come as an Excel workbook, a file (-o FILE) rather than text
ListingOrXlsxFormat = Literal[("table", "json", "csv", "tsv", "excel-csv", "xlsx", "plain", "simple", "github",  # type: ignore[valid-type]
                               "grid", "simple_grid", "rounded_grid", "fancy_grid", "pipe", "orgtbl", "jira", "presto",
                               "psql", "rst", "mediawiki", "html", "latex", "textile", "asciidoc")]
TableOrXlsxFormat = Annotated[ListingOrXlsxFormat, typer.Option(
    "--format", "-f", help="table (default), json, csv or tsv (values, for scripts), excel-csv (labels, with a "
                           "byte-order mark, for a spreadsheet), xlsx (an Excel workbook: give -o FILE), or a table "
                           "style: plain, github, grid, psql, …")]
OutputOption = Annotated[Optional[Path], typer.Option(
    "--output", "-o", dir_okay=False, help="Write to this file (outside the repository) instead of stdout; "
                                           "--format xlsx needs it.")]


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
CheckFormat = Literal["text", "json", "github", "sarif", "junit"]
DocKind = Literal[tuple(vocabulary.DOCUMENT_KIND)]  # type: ignore[valid-type]
ActivityKind = Literal[tuple(vocabulary.ACTIVITY_KIND)]  # type: ignore[valid-type]
OurRole = Literal[tuple(vocabulary.OUR_ROLE)]  # type: ignore[valid-type]


class CliError(Exception):
    """A user error raised in the CLI layer itself (bad option combination)."""

    def __init__(self, message: str, hint: str = "", code: int = EXIT_PROBLEMS) -> None:
        super().__init__(message)
        self.message, self.hint, self.code = message, hint, code


def _messages(lang: str | None, root: Path | None = None):
    from crmctl.messages import Messages, normalise_language

    if lang is not None:
        chosen = normalise_language(lang)
        if chosen is None:  # said in the repository's language: the one asked for is not there
            import os

            said = _messages(None, root)
            # the option falls back on the environment: name where the value came from
            source = f"CRMCTL_LANG={lang}" if os.environ.get("CRMCTL_LANG") == lang else f"--lang {lang}"
            raise CliError(said.pick(f"{source}: unknown language", f"{source}：不支持该语言"),
                           said.pick("use zh-CN or en", "可用 zh-CN 或 en"), EXIT_USAGE)
        return Messages(chosen)
    if root is not None:
        from crmctl.files.repository import repository_language

        return Messages(repository_language(root))
    return Messages("zh-CN")


def _root(repo: Path | None, lang: str | None = None) -> Path:
    from crmctl.files.layout import RepositoryNotFound, find_root

    try:
        return find_root(explicit=repo)
    except RepositoryNotFound as exc:
        m = _messages(lang)
        if exc.explicit:
            try:  # a folder inside a repository: say which repository, rather than offer to nest one
                enclosing = find_root(start=exc.start)
            except RepositoryNotFound:
                enclosing = None
            if enclosing is not None:
                raise CliError(m.pick(f"{exc.start} is inside the customer repository {enclosing}, not its top",
                                      f"{exc.start} 位于客户仓库 {enclosing} 之内，不是仓库的根目录"),
                               m.pick(f"crmctl works on a whole repository: pass {enclosing}",
                                      f"crmctl 针对整个仓库工作：请改用 {enclosing}")) from None
            raise CliError(m.pick(f"{exc.start} is not a customer repository (no crm.yaml there)",
                                  f"{exc.start} 不是客户仓库（没有 crm.yaml）"),
                           m.pick("create one with: crmctl init DIR", "可用以下命令创建：crmctl init 目录")) from None
        raise CliError(m.pick(f"no customer repository here: no crm.yaml in {exc.start} or any folder above",
                              f"这里不是客户仓库：{exc.start} 及其上级目录中都没有 crm.yaml"),
                       m.pick("cd into one, pass --repo DIR (or set CRMCTL_REPO), or create one with: crmctl init DIR",
                              "请进入客户仓库，或使用 --repo 目录（或设置 CRMCTL_REPO），或用 crmctl init 目录 新建")) from None


def plain_file(target: Path, m, named: str) -> None:
    """``target`` is a plain file or nothing yet: a new file renamed over a device, a pipe, a
    folder or a link would replace it."""
    import os
    import stat

    if os.path.lexists(target) and not stat.S_ISREG(os.lstat(target).st_mode):
        raise CliError(m.pick(f"{named}: that is not a plain file", f"{named}：不是普通文件"),
                       m.pick("give the path of a file (it is written whole, or replaced)",
                              "请给出文件路径（整份写入或替换）"), EXIT_USAGE)


def outside_repository(root: Path, target: Path, m, option: str = "", example: str = "") -> None:
    """A file written for a person (a report, a calendar, a workbook, a database, rejected rows) is
    never written into the repository, where it would replace a record (`--ics crm.yaml`) or be a
    stray file everyone commits; nor over what is not a plain file (a device, a pipe, a folder or a
    link: renaming the new file over it would replace it). ``option`` names the option the path
    came by ("" for an argument); ``example``, a command that would work."""
    import os

    named = f"{option} {target}" if option else str(target)
    example = example or f"{option} ~/{target.name}".strip()  # the file meant, in the home folder
    plain_file(target, m, named)
    if Path(os.path.realpath(target)).is_relative_to(Path(os.path.realpath(root))):
        raise CliError(m.pick(f"{named}: that is inside the customer repository {root}",
                              f"{named}：位于客户仓库 {root} 之内"),
                       m.pick(f"write it elsewhere, e.g. {example}", f"请写到仓库之外，例如 {example}"), EXIT_USAGE)


def check_output(fmt: str, out: Path | None, root: Path, m, example: tuple[str, str]) -> None:
    """``--format`` and ``-o`` refused before anything is read: ``-o`` inside the repository, and
    ``--format xlsx`` without ``-o FILE`` (or with ``-o -``). A workbook is binary: on a terminal
    it is garbage, and a shell that re-encodes what it redirects (Windows PowerShell before 7.4)
    would break it, so it only ever goes to a file. ``example``: a command that works (en, zh-CN)."""
    if out is not None and str(out) != "-":
        outside_repository(root, out, m, "--output")
    elif fmt == "xlsx":
        raise CliError(m.pick("--format xlsx is a binary file (an Excel workbook): give -o FILE",
                              "--format xlsx 是二进制文件（Excel 工作簿）：请用 -o 文件 指定写到哪里"),
                       m.pick(f"e.g. {example[0]}", f"例如 {example[1]}"), EXIT_USAGE)


def deliver(data: str | bytes, out: Path | None, root: Path, m) -> None:
    """What a command made: on stdout, or into ``-o FILE`` (``-o -``: stdout) as the same bytes,
    atomically, and never inside the repository. ``data``: text, or a file's bytes (which never
    reach stdout: :func:`check_output` saw to that)."""
    from crmctl.cli.output import write

    if out is None or str(out) == "-":
        if not isinstance(data, str):  # a bug: check_output comes first
            raise TypeError("a binary file goes to -o FILE only")
        write(data)
        return
    from crmctl.escaping import visible_lines
    from crmctl.files.storage import write_user_file

    outside_repository(root, out, m, "--output")
    write_user_file(out, visible_lines(data).encode("utf-8") if isinstance(data, str) else data, m)


def print_written(written) -> None:
    """What a writing command wrote, one path a line on stdout (for scripts); what its user
    should know besides, on stderr."""
    from crmctl.cli.output import write
    from crmctl.escaping import join_lines

    write(join_lines(str(written.root / rel) for rel in written.paths))
    write(join_lines(f"crmctl: {note}" for note in written.notes), err=True)


def _completion_root(ctx: typer.Context) -> Path | None:
    from crmctl.files.layout import RepositoryNotFound, find_root

    try:
        return find_root(explicit=ctx.params.get("repo") or os.environ.get("CRMCTL_REPO"))
    except (RepositoryNotFound, OSError):
        return None


def _folders(folder: Path) -> list[str]:
    try:
        return sorted(e.name for e in os.scandir(folder) if e.is_dir() and not e.name.startswith("."))
    except OSError:
        return []


def complete_customers(ctx: typer.Context, incomplete: str) -> list[str]:
    """Customer ids for shell completion: folder names only, nothing parsed."""
    root = _completion_root(ctx)
    return [c for c in _folders(root / "customers") if c.startswith(incomplete)] if root else []


def complete_projects(ctx: typer.Context, incomplete: str) -> list[str]:
    """CUSTOMER, then CUSTOMER/PROJECT, for shell completion."""
    root = _completion_root(ctx)
    if root is None:
        return []
    customer, slash, _ = incomplete.partition("/")
    if not slash:
        return [c for c in _folders(root / "customers") if c.startswith(incomplete)]
    return [f"{customer}/{p}" for p in _folders(root / "customers" / customer / "projects")
            if f"{customer}/{p}".startswith(incomplete)]


def complete_stages(ctx: typer.Context, incomplete: str) -> list[str]:
    from crmctl.pipeline.builtin import DEFAULT_STAGES

    return [s["id"] for s in DEFAULT_STAGES if s["id"].startswith(incomplete)]


CustomerArgument = Annotated[str, typer.Argument(
    metavar="CUSTOMER", help="The customer's id (see crmctl list).", autocompletion=complete_customers)]
ProjectArgument = Annotated[str, typer.Argument(
    metavar="PROJECT", help="CUSTOMER/PROJECT, a project id, or a customer with one open project.",
    autocompletion=complete_projects)]
DateOption = Annotated[Optional[dt.datetime], typer.Option(
    "--date", formats=["%Y-%m-%d"], help="When it happened (default: today).")]
ByOption = Annotated[Optional[str], typer.Option(
    "--by", help="Who did it (default: $CRMCTL_USER, else git's user.name).")]
