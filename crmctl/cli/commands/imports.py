"""import customers / contacts / activities."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Optional

import typer

from crmctl.cli.common import EXIT_OK, EXIT_PROBLEMS, LangOption, RepoOption, _messages, _root

SheetFile = Annotated[Path, typer.Argument(metavar="FILE", help="An .xlsx workbook, or a .csv/.tsv file.",
                                           show_default=False)]
SheetOption = Annotated[Optional[str], typer.Option(help="The worksheet to read (default: the first).")]
MapOption = Annotated[Optional[Path], typer.Option(
    "--map", metavar="MAPPING.yaml", help="A mapping file: columns (header: field), defaults (field: value), "
    "sheet, header_row.")]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Say what would be created, updated and rejected; "
                                                             "write nothing.")]
SkipOption = Annotated[bool, typer.Option("--skip-invalid", help="Import the good rows even when some are rejected; "
                                                                 "the rejected ones go to a CSV to fix and re-import.")]
RejectedOption = Annotated[Optional[Path], typer.Option(
    "--rejected", metavar="FILE", help="Where --skip-invalid writes the rejected rows (default: NAME.rejected.csv "
    "beside the sheet NAME.xlsx or NAME.csv).")]
FormatOption = Annotated[Literal["table", "json"], typer.Option("--format", "-f", help="table or json.")]


def import_customers(file: SheetFile, sheet: SheetOption = None, mapping: MapOption = None,
                     dry_run: DryRunOption = False, skip_invalid: SkipOption = False, rejected: RejectedOption = None,
                     output: FormatOption = "table", repo: RepoOption = None, lang: LangOption = None) -> int:
    """Customers from a sheet, one row a customer (a row may also name one contact: 联系人, 职务, 电话).

    Headers are recognised in Chinese and English: 客户名称/name, 客户类型/category, 市场/market,
    级别/tier, 渠道/channel, 负责人/owner, 区域/region, 保有量/fleet size, 建档日期/since, 地址, 备注, …
    A customer that exists (same id, or same name) is updated in the fields the sheet fills in;
    running the same import twice changes nothing the second time. Nothing is written while a row
    is rejected, unless --skip-invalid.

    Example: crmctl import customers 客户名单.xlsx --dry-run
    """
    return _run("customers", file, sheet, mapping, dry_run, skip_invalid, rejected, output, repo, lang)


def import_contacts(file: SheetFile, sheet: SheetOption = None, mapping: MapOption = None,
                    dry_run: DryRunOption = False, skip_invalid: SkipOption = False, rejected: RejectedOption = None,
                    output: FormatOption = "table", repo: RepoOption = None, lang: LangOption = None) -> int:
    """Contacts from a sheet, one row a person of a customer that exists: 客户/customer (id or name),
    姓名/name, 职务/title, 部门, 电话/phone, 上级/reports to, 决策层级/level, 职能/function, 态度/attitude, …

    Example: crmctl import contacts 客户名单.xlsx --sheet 联系人
    """
    return _run("contacts", file, sheet, mapping, dry_run, skip_invalid, rejected, output, repo, lang)


def import_activities(file: SheetFile, sheet: SheetOption = None, mapping: MapOption = None,
                      dry_run: DryRunOption = False, skip_invalid: SkipOption = False, rejected: RejectedOption = None,
                      output: FormatOption = "table", repo: RepoOption = None, lang: LangOption = None) -> int:
    """Activities from a sheet, appended to each customer's log: 客户/customer, 日期/date, 方式/kind,
    我方人员/by, 联系人/contacts (ids or names, separated by 、), 项目/project, 内容/summary,
    下一步/next step, 下次日期/next date. An activity already logged (same day, kind, person and
    summary) is not added again.

    Example: crmctl import activities 拜访记录.csv
    """
    return _run("activities", file, sheet, mapping, dry_run, skip_invalid, rejected, output, repo, lang)


def _run(kind, file: Path, sheet, mapping, dry_run: bool, skip_invalid: bool, rejected, fmt: str, repo, lang) -> int:
    from crmctl.cli.output import diagnostics_text, to_json, write
    from crmctl.exchange.importing import import_summary, import_table, import_table_rows, rejected_rows_csv

    root = _root(repo, lang)
    m = _messages(lang, root)
    rejected_file = rejected if rejected is not None else file.with_name(f"{file.stem}.rejected.csv")
    if skip_invalid and not dry_run:
        _rejected_file_allowed(root, file, rejected_file, rejected is None, m)
    written: list[str] = []

    def rejected_rows_first(result) -> None:
        # before the repository is written: a rejected-rows file that cannot be written stops it all
        if result.rejected_rows and skip_invalid:
            from crmctl.files.storage import write_user_file

            write_user_file(rejected_file, rejected_rows_csv(result, m).encode("utf-8"), m)
            written.append(str(rejected_file))

    result = import_table(root, m, kind, file, str(file), sheet=sheet, mapping_file=mapping,
                          mapping_shown=str(mapping) if mapping else "", dry_run=dry_run, skip_invalid=skip_invalid,
                          before_writing=rejected_rows_first)
    written_rejected = written[0] if written else None
    if fmt == "json":
        write(to_json(import_summary(result, m, dry_run=dry_run, rejected_file=written_rejected)))
        write(diagnostics_text(result.rejected, m.lang), err=True)
    else:
        from crmctl.cli.output import table

        columns, rows = import_table_rows(result, m)
        if rows:
            write(table(rows, columns))
        write(diagnostics_text(result.rejected, m.lang), err=True)
        write("\n".join(import_summary(result, m, dry_run=dry_run, rejected_file=written_rejected)["said"]) + "\n",
              err=True)
    return EXIT_PROBLEMS if result.rejected else EXIT_OK


def _rejected_file_allowed(root: Path, sheet: Path, target: Path, beside_sheet: bool, m) -> None:
    """The rejected rows go beside the sheet by default, even when the team keeps its sheets in the
    repository; never among the records (customers/, schemas/), over the sheet itself, or over what
    is not a plain file."""
    import os

    from crmctl.cli.common import EXIT_USAGE, CliError, outside_repository, plain_file

    where = Path(os.path.realpath(target))
    if where == Path(os.path.realpath(sheet)):
        raise CliError(m.pick(f"--rejected {target}: that is the sheet being imported",
                              f"--rejected {target}：这正是要导入的表格"),
                       m.pick("give another file, e.g. --rejected ~/rejected.csv",
                              "请指定另一个文件，例如 --rejected ~/rejected.csv"), EXIT_USAGE)
    top = Path(os.path.realpath(root))
    records = (top / "customers", top / "schemas")
    if beside_sheet and where.is_relative_to(top) and not any(where.is_relative_to(r) for r in records) \
            and where.suffix == ".csv":
        plain_file(target, m, f"--rejected {target}")
        return
    outside_repository(root, target, m, "--rejected")
