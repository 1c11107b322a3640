"""The command line: parses, calls one library function, formats. Nothing more.

Imports of the library happen inside the commands, so ``crmctl --version`` and
``crmctl show`` start fast (scripts call crmctl many times; see PERF.md).

Exit codes: 0 clean, 1 problems found or a user error, 2 usage error,
3 internal error (a bug in crmctl), 130 interrupted.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Annotated

import typer

from crmctl import __version__
from crmctl.cli.common import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, CliError
from crmctl.errors import OutputFailed


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


# -- the app ----------------------------------------------------------------------

# command name -> (module under crmctl.cli.commands, function); only the module run is imported
COMMANDS: dict[str, tuple[str, str] | None] = {
    "check": ("repository", "check"), "explain": ("repository", "explain"),
    "git-setup": ("repository", "git_setup"), "merge-file": ("repository", "merge_file"), "init": ("repository", "init"), "new": None,
    "list": ("repository", "list_"), "show": ("repository", "show"), "status": ("pipeline", "status"),
    "advance": ("pipeline", "advance"), "close": ("pipeline", "close"), "reopen": ("pipeline", "reopen"),
    "doc": None, "classify": ("analysis", "classify"), "map": ("analysis", "map_"),
    "score": ("analysis", "score"), "fees": ("analysis", "fees"), "targets": ("analysis", "targets"), "schema": ("repository", "schema"),
    "log": ("care", "log"), "due": ("care", "due"), "report": ("report", "report"), "render": ("render", "render"),
    "import": None, "export": None,
}
SUB_APPS = {
    "new": ("Create a customer, project, contact, one of our people or a care plan. / "
            "新建客户、项目、联系人、我方人员或维护计划。",
            {"customer": ("new", "new_customer"), "project": ("new", "new_project"), "contact": ("new", "new_contact"),
             "person": ("new", "new_person"), "care": ("new", "new_care")}),
    "doc": ("The documents each stage requires. / 各阶段要求的输出文件。", {"new": ("pipeline", "doc_new")}),
    "import": ("Bring customers, contacts or activities in from an Excel or CSV file. / "
               "从 Excel 或 CSV 文件导入客户、联系人或活动。",
               {"customers": ("imports", "import_customers"), "contacts": ("imports", "import_contacts"),
                "activities": ("imports", "import_activities")}),
    "export": ("The repository as a SQLite database, or its records as an Excel workbook. / "
               "将仓库导出为 SQLite 数据库，或将其记录导出为 Excel 工作簿。",
               {"sqlite": ("export", "export_sqlite"), "xlsx": ("export", "export_xlsx")}),
}
APP_HELP = ("A key-account CRM kept as YAML files in a git repository. / 以 git 仓库中的 YAML 文件管理大客户。\n\n"
            "Help on a command / 命令帮助: crmctl help COMMAND. --repo and --lang may come before the command.")


def _command(where: tuple[str, str]):
    module, function = where
    return getattr(importlib.import_module(f"crmctl.cli.commands.{module}"), function)


def build_app(argv: list[str] | None = None) -> typer.Typer:
    """The Typer app. Given ``argv``, only the command it names is registered (and
    its module imported): Typer prepares every registered command's parameters on
    each run, and scripts call crmctl many times (PERF.md)."""
    words = [a for a in argv or () if not a.startswith("-")]
    wanted = words[0] if words and words[0] in COMMANDS else None
    version_only = argv is not None and not words and bool({"--version", "-V"} & set(argv))
    # click suggests a near command itself; Typer >= 0.20 would add the same suggestion again
    quiet = {"suggest_commands": False} if "suggest_commands" in typer.Typer.__init__.__code__.co_varnames else {}
    app = typer.Typer(name="crmctl", help=APP_HELP, no_args_is_help=True, rich_markup_mode=None,
                      pretty_exceptions_enable=False, context_settings={"help_option_names": ["-h", "--help"]},
                      **quiet)
    app.callback()(_main)
    for name, where in COMMANDS.items():
        if version_only or (wanted is not None and name != wanted):
            continue
        if name in SUB_APPS:
            help_text, commands = SUB_APPS[name]
            sub_app = typer.Typer(help=help_text, no_args_is_help=True, rich_markup_mode=None, **quiet)
            for sub, sub_where in commands.items():
                sub_app.command(sub)(_command(sub_where))
            app.add_typer(sub_app, name=name)
        else:
            app.command(name)(_command(where))
    return app


# -- entry point ------------------------------------------------------------------

def _print_error(message: str, hint: str = "", details: tuple[str, ...] = ()) -> None:
    from crmctl.escaping import visible

    # a message, each detail and the hint are one line each: a newline or escape in them came
    # from a value (an argument, a name in the repository) and is shown escaped
    sys.stderr.write(f"crmctl: {visible(message)}\n" + "".join(f"    {visible(d)}\n" for d in details)
                     + (f"    {visible(hint)}\n" if hint else ""))


GLOBAL_OPTIONS = ("--repo", "--lang")  # options every repository command takes, also before its name


def _arguments(args: list[str]) -> list[str]:
    """``crmctl help [COMMAND]`` as ``crmctl [COMMAND] --help``, and ``--repo``/``--lang`` given
    before the command moved after it, where the command takes them."""
    leading: list[str] = []
    rest = list(args)
    while rest and (rest[0] in GLOBAL_OPTIONS or rest[0].startswith(tuple(f"{o}=" for o in GLOBAL_OPTIONS))):
        take = 1 if "=" in rest[0] else 2
        leading, rest = leading + rest[:take], rest[take:]
    if rest[:1] == ["help"]:
        rest = [word for word in rest[1:] if word != "help"] + ["--help"]
    if not rest or rest[0].startswith("-"):  # `crmctl --lang en --help`: no command to take them
        return rest
    if rest[0] in SUB_APPS and (len(rest) == 1 or rest[1].startswith("-")):  # `crmctl --lang en doc --help`
        return rest
    path = 2 if rest[0] in SUB_APPS else 1
    return [*rest[:path], *leading, *rest[path:]]


def main(argv: list[str] | None = None) -> int:
    """Run crmctl; return the exit code (never raises, never exits)."""
    import click

    from crmctl.errors import UserError

    args = _arguments(sys.argv[1:] if argv is None else list(argv))
    try:
        result = build_app(args)(args=args, prog_name="crmctl", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        return EXIT_INTERRUPTED
    except getattr(click.exceptions, "NoArgsIsHelpError", ()) as exc:  # `crmctl`, `crmctl new`: help, not an error
        sys.stdout.write(exc.ctx.get_help() + "\n")
        return EXIT_OK
    except click.ClickException as exc:  # usage errors: bad option, missing argument
        import io

        from crmctl.cli import usage
        from crmctl.escaping import visible_lines

        shown = io.StringIO()  # click repeats the arguments it rejects, as they were typed
        if usage.language(args) == "zh-CN":
            shown.write(usage.chinese(exc, args))
        else:
            exc.show(file=shown)
        sys.stderr.write(visible_lines(shown.getvalue()))
        return EXIT_USAGE if isinstance(exc, click.UsageError) else EXIT_PROBLEMS
    except UserError as exc:
        from crmctl.errors import UsageError

        _print_error(exc.message, exc.hint, exc.details)
        return EXIT_USAGE if isinstance(exc, UsageError) else EXIT_PROBLEMS
    except CliError as exc:
        _print_error(exc.message, exc.hint)
        return exc.code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except OutputFailed as exc:  # where the output goes is full or gone
        from crmctl.cli import usage
        from crmctl.messages import Messages

        m = Messages(usage.language(args))
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - nothing more can be written there
        try:
            _print_error(m.pick(f"cannot write the output ({exc.stream}): {exc.reason}",
                                f"无法写出输出（{exc.stream}）：{exc.reason}"),
                         m.pick("make room, or send the output elsewhere (-o FILE, or a pipe)",
                                "请腾出空间，或把输出写到别处（-o 文件，或管道）"))
        except OSError:
            pass
        return EXIT_PROBLEMS
    except BrokenPipeError:
        # the reader went away (`crmctl list | head`): not an error of ours
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return EXIT_OK
    except Exception:  # noqa: BLE001 - the one place a bug is told apart from bad data
        import traceback

        from crmctl.escaping import visible_lines

        _print_error("an unexpected error has occurred (a bug in crmctl, not in your data):")
        sys.stderr.write(visible_lines("    " + traceback.format_exc().replace("\n", "\n    ").rstrip() + "\n"))
        return EXIT_INTERNAL
    return result if isinstance(result, int) else EXIT_OK


def run() -> None:
    sys.exit(main())
