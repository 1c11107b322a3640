"""check, init, schema, list, show: the repository as a whole."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated, Optional

import typer

from crmctl.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    Category,
    Channel,
    CheckFormat,
    CliError,
    LangOption,
    Market,
    OutputOption,
    RepoOption,
    TableOrXlsxFormat,
    TextOrJson,
    Tier,
    TodayOption,
    _messages,
    _root,
    complete_projects,
    print_written,
)
from crmctl.files import layout

# -- check ---------------------------------------------------------------------

def _known_code_prefixes(messages, **options: tuple[str, ...] | list[str]) -> None:
    """A --select or --ignore that matches no code is a typo: it would pass or hide silently."""
    from crmctl.messages import CATALOG

    for option, prefixes in options.items():
        for prefix in prefixes:
            if not prefix or not any(code.startswith(prefix) for code in CATALOG):
                raise CliError(
                    messages.pick(f"--{option} {prefix}: no diagnostic code starts with it",
                                  f"--{option} {prefix}：没有以此开头的诊断代码")
                    + messages.did_you_mean(prefix, {*CATALOG, *(code.split("-")[0] + "-" for code in CATALOG)}),
                    messages.pick("a code is the word after the severity in check's output, such as ref-unknown;"
                                  " a prefix such as flag- takes them all",
                                  "诊断代码是 check 输出中严重程度后的那个词，如 ref-unknown；"
                                  "前缀如 flag- 表示一类"), EXIT_USAGE)


def check(
    path: Annotated[Optional[Path], typer.Argument(help="The repository to check (default: --repo, or found upwards).",
                                                   file_okay=False)] = None,
    repo: RepoOption = None,
    lang: LangOption = None,
    output: Annotated[CheckFormat, typer.Option(
        "--format", "-f", help="text (on stderr); json, github (workflow commands: each problem on its line of a "
                               "pull request), sarif (SARIF 2.1.0, for code scanning) or junit (JUnit XML, for "
                               "GitLab and Jenkins) on stdout.")] = "text",
    outputs: Annotated[Optional[list[str]], typer.Option(
        "--output", "-o", metavar="[FORMAT=]FILE",
        help="Also write a format to a file (repeatable): json=FILE, sarif=FILE, junit=FILE, github=FILE, "
             "text=FILE; the format may be left out for *.json, *.sarif and *.xml.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings about the data fail the check too "
                                                         "(not the calendar's reminders: see --fail-on-reminders).")] = False,
    fail_on_reminders: Annotated[bool, typer.Option(
        "--fail-on-reminders", help="Reminders of the calendar (due-*, stage-stalled, flag-cold-contact) fail the "
                                    "check too: they appear on days nobody changed anything.")] = False,
    select: Annotated[Optional[list[str]], typer.Option("--select", help="Only codes starting with this (repeatable).")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option("--ignore", help="Drop codes starting with this (repeatable).")] = None,
    changed_since: Annotated[Optional[str], typer.Option(
        "--changed-since", metavar="REF",
        help="Check only the customers changed since this git revision (committed, staged, unstaged, deleted, "
             "or new in customers/, tracked or not), whole, with the repository's own files; A...B: the customers "
             "the commits of B changed since it left A, found without reading the work tree (CI, whose checkout is "
             "B). Either way the files checked are the work tree's. A change to crm.yaml, people.yaml, templates/, "
             "schemas/ or .github/ checks all.")] = None,
    staged: Annotated[bool, typer.Option(
        "--staged", help="Check only the customers the change staged for the next commit touches (what the "
                         "pre-commit hook runs), as the work tree has them: pre-commit sets unstaged changes aside "
                         "first, not untracked files. An untracked file alone marks no customer.")] = False,
    fix: Annotated[bool, typer.Option("--fix", help="Make the mechanical fixes (quote YAML 1.1 look-alikes such as NO, "
                                                    "12:30 and 0755 where the field wants text; remove a killed "
                                                    "run's temporary files), touching nothing else; then check.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Show what --fix would change, as a unified diff; change "
                                                      "nothing (exit 1 when there is something to fix).")] = False,
    normalise: Annotated[bool, typer.Option("--normalise", help="With --fix or --diff: also remove byte-order marks "
                                                                "and write LF line ends in every file crmctl reads "
                                                                "(otherwise each file keeps its own).")] = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Processes to use (default: all cores for large repositories).")] = None,
    today: TodayOption = None,
) -> int:
    """Validate the whole repository in one pass; every problem as path:line:col.

    Exit 0 when clean, 1 when there are errors (or warnings with --strict). crm.yaml's
    `check:` may ignore codes or change their severity, for all files or some paths.

    Example: crmctl check --format github --output junit=crmctl.xml
    """
    from crmctl.cli.output import write
    from crmctl.diagnostics import filter_codes

    root = _root(path or repo, lang)
    messages = _messages(lang, root)
    _known_code_prefixes(messages, select=select or (), ignore=ignore or ())
    files = [_output_file(root, spec, messages) for spec in outputs or ()]
    if changed_since is not None and (not changed_since.strip() or changed_since.startswith("-")):
        raise CliError(messages.pick(f"--changed-since {changed_since}: not a revision",
                                     f"--changed-since {changed_since}：不是版本"),
                       messages.pick("give a commit, a tag or a branch, e.g. --changed-since origin/main",
                                     "请给出提交、标签或分支，例如 --changed-since origin/main"), EXIT_USAGE)
    only = None
    if changed_since is not None and staged:
        raise CliError(messages.pick("--changed-since and --staged: choose one", "--changed-since 与 --staged 只能选一个"),
                       messages.pick("--staged is the change about to be committed; --changed-since REF all since REF",
                                     "--staged 指即将提交的改动；--changed-since REF 指自 REF 以来的全部改动"),
                       EXIT_USAGE)
    if changed_since is not None or staged:
        from crmctl.checking.check import affected_customers
        from crmctl.files.revision import changed_since as changes

        paths = changes(root, changed_since, messages)
        only = None if paths is None else affected_customers(paths)
    if diff and (output != "text" or outputs):
        raise CliError(messages.pick("--diff shows the fixes and nothing else: it writes no --format or --output",
                                     "--diff 只显示修正，不输出 --format 或 --output"),
                       messages.pick("run --diff alone, or check again after --fix", "请单独运行 --diff，或在 --fix 之后再检查"),
                       EXIT_USAGE)
    if normalise and not (fix or diff):
        raise CliError(messages.pick("--normalise changes files only with --fix (or shows it with --diff)",
                                     "--normalise 需与 --fix（或 --diff 预览）同用"),
                       messages.pick("crmctl check --fix --normalise", "crmctl check --fix --normalise"), EXIT_USAGE)
    day = today.date() if today else None
    result = _checked(root, messages, jobs=jobs, today=day, only=only)
    diagnostics = filter_codes(result.diagnostics, select or (), ignore or ())
    if fix or diff:
        from crmctl.checking import fixes

        planned = fixes.plan(root, diagnostics, messages, normalise=normalise)
        if diff:
            write(planned.diff())
            write(messages.pick(f"would change {_count(len(planned.files), 'file')} "
                                f"({_count(planned.fixed, 'problem')} fixed){_count_removed(planned, messages)}\n",
                                f"将改动 {len(planned.files)} 个文件（修正 {planned.fixed} 处问题）"
                                f"{_count_removed(planned, messages)}\n"), err=True)
            return EXIT_PROBLEMS if planned.files or planned.removals else EXIT_OK
        done, skipped = fixes.apply(root, planned, messages)
        for rel in skipped:
            write(messages.pick(f"{rel}: changed while crmctl was fixing it; left as it is, run --fix again\n",
                                f"{rel}：修正期间文件被改动，未做更改；请再次运行 --fix\n"), err=True)
        write(messages.pick(f"fixed {_count(done, 'problem')}\n", f"已修正 {done} 处问题\n"), err=True)
        result = _checked(root, messages, jobs=jobs, today=day, only=only)
        diagnostics = filter_codes(result.diagnostics, select or (), ignore or ())
    verdict = _Verdict(root, result, diagnostics, messages, strict=strict, fail_on_reminders=fail_on_reminders,
                       since=changed_since, staged=staged)
    for fmt, target in files:
        from crmctl.files.storage import write_user_file

        write_user_file(target, verdict.render(fmt), messages)
    if output != "text":
        write(verdict.render(output).decode("utf-8"))
    if output in ("text", "github"):  # github: the log shows every problem, GitHub draws ten of a kind
        verdict.write_text()
    elif output != "json":  # JSON holds the counts itself; stderr stays empty for scripts
        write(verdict.summary(), err=True)
    return EXIT_PROBLEMS if verdict.failed else EXIT_OK


def _checked(root: Path, messages, **options):
    """check_repository with a progress bar on a terminal, for a long run."""
    from crmctl.checking.check import check_repository
    from crmctl.cli.output import Progress

    progress = Progress(messages.pick("checking customers", "正在检查客户"))
    try:
        return check_repository(root, messages, progress=progress, **options)
    finally:
        progress.close()


class _Verdict:
    """One check's findings as judged (what fails the run), in every format asked for."""

    def __init__(self, root: Path, result, diagnostics, messages, *, strict: bool, fail_on_reminders: bool,
                 since: str | None = None, staged: bool = False) -> None:
        from crmctl.diagnostics import Severity
        from crmctl.messages import REMINDERS

        def fails(d) -> bool:
            if d.severity is Severity.ERROR:
                return True
            return fail_on_reminders if d.code in REMINDERS else strict

        self.root, self.result, self.diagnostics, self.messages, self.fails = root, result, diagnostics, messages, fails
        self.failed = any(map(fails, diagnostics))
        self.since, self.staged = since, staged

    def summary(self) -> str:
        from crmctl.cli.output import summary_counts
        from crmctl.escaping import visible

        counts, result, m = summary_counts(self.diagnostics), self.result, self.messages
        since = "" if self.since is None else m.pick(f" changed since {visible(self.since)}",
                                                     f"（自 {visible(self.since)} 以来有改动）")
        if self.staged:
            since = m.pick(" changed by the staged change", "（暂存的改动所涉及）")
        failing = sum(1 for d in self.diagnostics if d.severity.value == "warning" and self.fails(d))
        fail_note = "" if not failing else m.pick(f" ({_count(failing, 'warning')} failing the check)",
                                                  f"（其中 {failing} 个警告使检查失败）")
        return m.pick(
            f"checked {_count(result.customers, 'customer')}{since}, {_count(result.files, 'file')}: "
            f"{_count(counts['errors'], 'error')}, {_count(counts['warnings'], 'warning')}{fail_note}\n",
            f"已检查 {result.customers} 个客户{since}、{result.files} 个文件："
            f"{counts['errors']} 个错误，{counts['warnings']} 个警告{fail_note}\n")

    def write_text(self) -> None:
        """The problems as text on stderr, a few thousand lines at a time: a repository of 100,000
        customers may have a million, and their text whole, with its copies, is gigabytes."""
        from crmctl.cli.output import diagnostics_text, write

        step = 2000
        for start in range(0, len(self.diagnostics), step):
            write(diagnostics_text(self.diagnostics[start:start + step], self.messages.lang), err=True)
        write(self.summary(), err=True)

    def render(self, fmt: str) -> bytes:
        from crmctl import __version__
        from crmctl.checking import formats
        from crmctl.cli.output import diagnostics_text, summary_counts, to_json
        from crmctl.messages import REMINDERS

        m, found = self.messages, self.diagnostics
        if fmt == "text":
            return (diagnostics_text(found, m.lang) + self.summary()).encode("utf-8")
        if fmt == "json":
            return to_json({
                "repository": str(self.root), "customers": self.result.customers, "files": self.result.files,
                **summary_counts(found), "ok": not self.failed,
                "diagnostics": [{**d.to_dict(), "reminder": d.code in REMINDERS, "fails": self.fails(d)}
                                for d in found],
            }).encode("utf-8")
        prefix = _checkout_prefix(self.root)
        if fmt == "github":
            return formats.github_annotations(found, prefix).encode("utf-8")
        if fmt == "sarif":
            from crmctl.checking.explain import rules

            return formats.sarif(found, version=__version__, rules=rules(m), root_prefix=prefix).encode("utf-8")
        return formats.junit(found, self.fails, checked=self.summary().strip(), root_prefix=prefix, lang=m.lang)


_SUFFIX_FORMATS = {".json": "json", ".sarif": "sarif", ".xml": "junit"}
# what a report of check may replace inside the repository: a report (CI writes them beside crm.yaml)
_REPORT_SUFFIXES = (".json", ".sarif", ".xml", ".txt", ".log")


def _output_file(root: Path, spec: str, m) -> tuple[str, Path]:
    """``--output [FORMAT=]FILE``: the format and the file, refused before anything is checked when
    the format is unknown or the file is one crmctl or git reads (CI writes reports into the
    checkout, so a new report or an old one may be written there, never over anything else)."""
    import os
    import re
    import stat
    import typing

    known = typing.get_args(CheckFormat)
    fmt, sep, name = spec.partition("=")

    def refuse(problem: tuple[str, str], fix: tuple[str, str]) -> CliError:
        return CliError(m.pick(f"--output {spec}: {problem[0]}", f"--output {spec}：{problem[1]}"), m.pick(*fix),
                        EXIT_USAGE)

    examples = ("e.g. --output sarif=crmctl.sarif --output junit=crmctl.xml",
                "例如 --output sarif=crmctl.sarif --output junit=crmctl.xml")
    if sep and fmt not in known:
        if fmt == "" or re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", fmt):  # a format misspelt, not a path with `=`
            raise refuse((f"`{fmt}` is no format: use one of {', '.join(known)}",
                          f"`{fmt}` 不是格式：可用 {'、'.join(known)}"), examples)
        fmt, name = "", spec
    if not sep:
        fmt, name = _SUFFIX_FORMATS.get(Path(spec).suffix.lower(), ""), spec
    if not fmt or not name:
        raise refuse((f"which format? name one of {', '.join(known)} before `=`",
                      f"哪种格式？请在 `=` 前写明 {'、'.join(known)} 之一"), examples)
    target = Path(name)
    if os.path.lexists(target) and not stat.S_ISREG(os.lstat(target).st_mode):
        raise refuse(("that is not a plain file", "不是普通文件"),
                     ("give the path of a file (it is written whole, or replaced)", "请给出文件路径（整份写入或替换）"))
    where, top = Path(os.path.realpath(target)), Path(os.path.realpath(root))
    if where.is_relative_to(top) and where != top:
        rel = where.relative_to(top)
        first, suffix = rel.parts[0].lower(), rel.suffix.lower()  # as a case-insensitive disk sees them
        if first in (layout.CUSTOMERS_DIR, layout.SCHEMA_DIR, "templates", ".git", ".github") \
                or suffix in (".yaml", ".yml", ".md") or (where.exists() and suffix not in _REPORT_SUFFIXES):
            raise refuse(("crmctl or git reads that file of the repository, or it is not a report",
                          "这是 crmctl 或 git 读取的仓库文件，或者不是报告"),
                         ("write reports beside crm.yaml (crmctl.sarif, crmctl.xml) or outside",
                          "请写到 crm.yaml 旁（crmctl.sarif、crmctl.xml）或仓库之外"))
    return fmt, target


def _count_removed(planned, m) -> str:
    n = len(planned.removals)
    return "" if not n else m.pick(f", and remove {_count(n, 'leftover')}", f"，并删除 {n} 个残留临时文件")


def _checkout_prefix(root: Path) -> str:
    """The repository's folder inside the git checkout (``crm/`` when crm.yaml is not at its top):
    GitHub places an annotation by the path from the checkout's top."""
    import subprocess

    try:
        run = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-prefix"], capture_output=True,
                             text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    return run.stdout.strip() if run.returncode == 0 else ""


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def explain(
    code: Annotated[Optional[str], typer.Argument(help="A code as check prints it (ref-unknown), or the start of "
                                                       "codes (flag-); none: every code.")] = None,
    repo: RepoOption = None,
    lang: LangOption = None,
    output: Annotated[TextOrJson, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> int:
    """What a diagnostic code means and how to fix it, in the repository's language.

    Example: crmctl explain gate-missing-output
    """
    from crmctl.checking.explain import explain as explained
    from crmctl.checking.explain import matching
    from crmctl.cli.output import to_json, write
    from crmctl.files.layout import RepositoryNotFound, find_root
    from crmctl.messages import CATALOG

    try:  # the repository's language when there is one; explain works anywhere
        root = find_root(explicit=repo)
    except RepositoryNotFound:
        root = None
    m = _messages(lang, root)
    codes = matching(code) if code is not None else list(CATALOG)
    if not codes:
        raise CliError(m.pick(f"no diagnostic code is or starts with `{code}`", f"没有以 `{code}` 开头的诊断代码")
                       + m.did_you_mean(code or "", CATALOG),
                       m.pick("crmctl explain without a code lists them all", "不带代码运行 crmctl explain 可列出全部"),
                       EXIT_PROBLEMS)
    found = [explained(c, m) for c in codes]
    if output == "json":
        write(to_json(found))
        return EXIT_OK
    severity = {"error": m.pick("error", "错误"), "warning": m.pick("warning", "警告")}
    blocks = []
    for e in found:
        kind = m.pick("; a reminder of the calendar (see check --fail-on-reminders)",
                      "；日历提醒（见 check --fail-on-reminders）") if e["reminder"] else ""
        blocks.append(f"{e['code']} ({severity[str(e['severity'])]}{kind})\n"
                      f"  {m.pick('when: ', '何时：')}{e['meaning']}\n  {m.pick('fix: ', '处理：')}{e['fix']}\n")
    write("\n".join(blocks))
    return EXIT_OK


def merge_file(
    base: Annotated[Path, typer.Argument(help="The common ancestor's version (git's %O).")],
    ours: Annotated[Path, typer.Argument(help="Our version, replaced by the merge (git's %A).")],
    theirs: Annotated[Path, typer.Argument(help="Their version (git's %B).")],
    path: Annotated[Optional[str], typer.Argument(help="The file's path in the repository (git's %P).")] = None,
    lang: LangOption = None,
) -> int:
    """Git's merge driver for crmctl's files (set by `crmctl git-setup`): git's merge first; where it
    conflicts only because both sides appended to a list, both additions are kept.

    Exit 0 when merged cleanly; 1 leaves git's conflict markers in OURS for a person.
    """
    from crmctl.files.merge import merge_file as merged

    m = _messages(lang, None)
    for given in (base, ours, theirs):
        if not given.is_file():  # git hands the driver three files; anything else is a mistaken call
            raise CliError(m.pick(f"{given}: not a file", f"{given}：不是文件"),
                           m.pick("git calls this with its three versions of a file (see crmctl git-setup)",
                                  "git 以文件的三个版本调用此命令（见 crmctl git-setup）"), EXIT_USAGE)
    return EXIT_OK if merged(base, ours, theirs, path or ours.name, m) else EXIT_PROBLEMS


def git_setup(
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Set this clone up for crmctl's merges: the merge driver in .gitattributes (lines added when
    missing) and in the clone's git configuration (which git keeps out of the repository).

    Run it once in each clone. Example: crmctl git-setup
    """
    from crmctl.cli.output import write
    from crmctl.files.merge import configure
    from crmctl.files.scaffold import ensure_gitattributes

    root = _root(repo, lang)
    m = _messages(lang, root)
    added = ensure_gitattributes(root, m)
    if not configure(root, m):
        raise CliError(m.pick(f"{root} is not in a git work tree", f"{root} 不在 git 工作区中"),
                       m.pick("clone the repository, or git init it, then run this again",
                              "请克隆该仓库或对其执行 git init，然后再运行此命令"))
    write(m.pick(f"merge driver `crmctl` set for this clone{'; .gitattributes updated' if added else ''}\n",
                 f"已为此克隆设置合并驱动 `crmctl`{'；已更新 .gitattributes' if added else ''}\n"))
    return EXIT_OK


# -- init, schema ----------------------------------------------------------------

def init(
    directory: Annotated[Path, typer.Argument(help="Where to create the repository.", file_okay=False)] = Path("."),
    lang: LangOption = None,
    company: Annotated[Optional[str], typer.Option("--company", help="Our company or branch.")] = None,
    crmctl_spec: Annotated[Optional[str], typer.Option(
        "--crmctl-spec", help="What CI gives pip to install crmctl, pinned (default: where this crmctl was "
                              "installed from, e.g. crmctl @ git+https://host/crmctl.git@COMMIT).")] = None,
) -> int:
    """Start a customer repository: crm.yaml with the defaults, customers/, schemas/,
    a CI workflow and a pre-commit configuration that run crmctl check.

    Example: crmctl init ~/crm --company 某某汽车华北分公司
    """
    from crmctl.cli.output import write
    from crmctl.escaping import join_lines
    from crmctl.files.scaffold import init_repository

    messages = _messages(lang)
    written = init_repository(directory, messages, company=company, crmctl_spec=crmctl_spec)
    print_written(written)
    # what a new repository needs next, to copy (--repo unless it is this folder)
    here = directory.resolve() == Path.cwd().resolve()
    where = "" if here else f" --repo {shlex.quote(str(directory))}"
    # `./-x`: a name starting with `-` would be read by git as an option
    folder = "" if here else " " + shlex.quote(str(directory) if not str(directory).startswith("-") else f"./{directory}")
    p = messages.pick
    write(join_lines([p("next:", "接下来："),
                      p("  crmctl new customer 'FULL NAME' --category enterprise --market local --tier B "
                        f"--owner 'YOUR NAME' --region REGION{where}",
                        "  crmctl new customer 客户全称 --category enterprise --market local --tier B "
                        f"--owner 你的名字 --region 区域{where}"),
                      p(f"  crmctl new contact CUSTOMER-ID 'NAME' --title TITLE{where}",
                        f"  crmctl new contact 客户标识 姓名 --title 职务{where}"),
                      f"  crmctl check{where}",
                      # git keeps merge drivers out of the repository: each clone names it once
                      p(f"  git init{folder} && crmctl git-setup{where}   # history, and merges of appended logs",
                        f"  git init{folder} && crmctl git-setup{where}   # 版本记录，以及追加记录的合并")]), err=True)
    return EXIT_OK


def schema(
    out: Annotated[Optional[Path], typer.Option("--out", "-o", file_okay=False,
                                                help="Folder to write *.schema.json into (default: the repository's schemas/).")] = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Write the JSON Schema of every file kind and document, for editors' completion and checks.

    Files that init and new write point at them with a `# yaml-language-server: $schema=` line.
    """
    from crmctl.cli.output import write
    from crmctl.escaping import join_lines
    from crmctl.files import storage
    from crmctl.files.scaffold import schema_texts, write_schemas

    if out is not None:  # a folder of the user's choosing, outside any repository
        messages = _messages(lang)
        write(join_lines(str(path) for path in storage.write_files(out, schema_texts(), messages)))
        return EXIT_OK
    root = _root(repo, lang)
    messages = _messages(lang, root)
    with storage.writing(root, messages) as writer:
        written = [str(root / rel) for rel in write_schemas(writer)]
    write(join_lines(written))
    return EXIT_OK


# -- list, show -----------------------------------------------------------------

def list_(
    category: Annotated[Optional[Category], typer.Option()] = None,
    tier: Annotated[Optional[Tier], typer.Option()] = None,
    market: Annotated[Optional[Market], typer.Option()] = None,
    channel: Annotated[Optional[Channel], typer.Option()] = None,
    owner: Annotated[Optional[str], typer.Option(help="Our person responsible.")] = None,
    region: Annotated[Optional[str], typer.Option(help="Sales region.")] = None,
    output: TableOrXlsxFormat = "table",
    out: OutputOption = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """List customers, filtered. Customers whose customer.yaml is invalid are left
    out and reported on stderr (exit 1).

    Example: crmctl list --tier A --format csv > tier-a.csv
    """
    from crmctl.cli.common import check_output, deliver
    from crmctl.cli.output import diagnostics_text, listing_file, write
    from crmctl.diagnostics import has_errors
    from crmctl.reports.customers import list_columns, list_customers, localise_row

    root = _root(repo, lang)
    messages = _messages(lang, root)
    check_output(output, out, root, messages, ("crmctl list --format xlsx -o ~/customers.xlsx",
                                               "crmctl list --format xlsx -o ~/客户.xlsx"))
    from crmctl.cli.output import progress_bar

    with progress_bar(messages.pick("reading customers", "正在读取客户")) as progress:
        rows, diagnostics = list_customers(root, messages, {
            "category": category, "tier": tier, "market": market,
            "channel": channel, "owner": owner, "region": region}, progress=progress)
    deliver(listing_file([localise_row(r, messages.lang) for r in rows], rows, list_columns(messages), output,
                         title=messages.pick("Customers", "客户"), lang=messages.lang), out, root, messages)
    write(diagnostics_text(diagnostics, messages.lang), err=True)
    return EXIT_PROBLEMS if has_errors(diagnostics) else EXIT_OK


def _project_of_one_customer(root: Path, project_id: str, messages) -> tuple[str, str] | None:
    """A project id alone (as advance and status take it), when one customer has it."""
    from crmctl.files.repository import folder_names

    owners = [c for c in folder_names(root, layout.CUSTOMERS_DIR, messages)[0]
              if project_id in folder_names(root, f"{layout.customer_dir(c)}/{layout.PROJECTS_DIR}", messages)[0]]
    return (owners[0], project_id) if len(owners) == 1 else None


def show(
    customer_id: Annotated[str, typer.Argument(metavar="ID", help="A customer's id, or CUSTOMER/PROJECT.",
                                               autocompletion=complete_projects)],
    output: Annotated[TextOrJson, typer.Option("--format", "-f", help="text or json.")] = "text",
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Show one customer (profile, contacts, projects, recent activities) or one project
    (decision map, competitors, documents, history).

    Example: crmctl show bj-huanwei --lang en; crmctl show bj-huanwei/sweeper-renewal-2027
    """
    from crmctl.cli.output import diagnostics_text, to_json, write
    from crmctl.reports.customers import render_customer, render_project, show_customer, show_project

    root = _root(repo, lang)
    messages = _messages(lang, root)
    if "/" not in customer_id and not (root / layout.customer_dir(customer_id)).is_dir():
        customer_id = "/".join(_project_of_one_customer(root, customer_id, messages) or (customer_id,))
    if "/" in customer_id:
        data, diagnostics = show_project(root, *customer_id.split("/", 1), messages)
        write(to_json(data) if output == "json" else render_project(data, messages.lang))
    else:
        view, diagnostics = show_customer(root, customer_id, messages)
        write(to_json(view.to_dict()) if output == "json" else render_customer(view, messages.lang))
    write(diagnostics_text(diagnostics, messages.lang), err=True)
    return EXIT_PROBLEMS if diagnostics else EXIT_OK
