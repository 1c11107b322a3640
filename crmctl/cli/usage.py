"""Usage errors in the user's language.

click words its usage errors in English. In a zh-CN repository they are said
again in Chinese, from what each error carries (the option, the argument, the
rejected value, the choices), so no English reaches a Chinese-speaking user;
in English, click's own text stands.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path
from typing import Any

from crmctl.escaping import visible


def language(args: list[str]) -> str:
    """The output language for an error met before any command ran: ``--lang``, else
    ``CRMCTL_LANG``, else the repository's (``--repo``, ``CRMCTL_REPO`` or found upwards)."""
    from crmctl.messages import normalise_language

    for i, arg in enumerate(args):
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else \
            arg.partition("=")[2] if arg.startswith("--lang=") else None
        if value and normalise_language(value):
            return normalise_language(value)  # type: ignore[return-value]
    if normalise_language(os.environ.get("CRMCTL_LANG")):
        return normalise_language(os.environ.get("CRMCTL_LANG"))  # type: ignore[return-value]
    repo = next((args[i + 1] for i, a in enumerate(args[:-1]) if a == "--repo"), None) or os.environ.get("CRMCTL_REPO")
    from crmctl.cli.common import _messages
    from crmctl.files.layout import RepositoryNotFound, find_root

    try:
        return _messages(None, find_root(explicit=Path(repo) if repo else None)).lang
    except (RepositoryNotFound, OSError):
        return "zh-CN"


# click's "'value' is not one of ..." / "'x' does not match the formats ...": the quoted value
_REJECTED = re.compile(r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*") (?:is not|does not)""")


def _quoted(items: Any) -> str:
    return "、".join(f"'{x}'" for x in items)


def _value_given(param: Any, args: list[str]) -> str | None:
    """The value typed for ``param`` (an option's next word, or its ``--opt=value``)."""
    for i, arg in enumerate(args):
        for name in getattr(param, "opts", ()):
            if arg == name and i + 1 < len(args):
                return args[i + 1]
            if arg.startswith(f"{name}="):
                return arg.partition("=")[2]
    return None


def _parses(text: str, kind: type) -> bool:
    try:
        kind(text)
    except ValueError:
        return False
    return True


def _param_name(param: Any) -> str:
    if param is None:
        return ""
    opts = getattr(param, "opts", None)
    if getattr(param, "param_type_name", "") == "option" and opts:
        return " / ".join(f"'{o}'" for o in sorted(opts, key=len, reverse=True))
    return f"'{param.human_readable_name}'"


def chinese(exc: Any, args: list[str]) -> str:
    """The error's text in Chinese, as click lays it out: usage, where to find help, the error."""
    problem = _problem(exc, args)
    ctx = getattr(exc, "ctx", None)
    lines = []
    if ctx is not None:
        usage = ctx.get_usage().replace("Usage: ", "用法：", 1)
        help_option = ctx.help_option_names[0] if ctx.help_option_names else "--help"
        lines += [usage, f"查看帮助：{ctx.command_path} {help_option}", ""]
    lines.append(f"错误：{problem}")
    return "\n".join(lines) + "\n"


def _problem(exc: Any, args: list[str]) -> str:
    import click

    param = getattr(exc, "param", None)
    if isinstance(exc, click.exceptions.NoSuchOption):
        hint = f"（是否应为：{_quoted(exc.possibilities)}？）" if exc.possibilities else ""
        return f"没有选项 '{exc.option_name}'{hint}"
    if isinstance(exc, click.exceptions.MissingParameter):
        what = "选项" if getattr(exc, "param_type", "") == "option" or \
            getattr(param, "param_type_name", "") == "option" else "参数"
        return f"缺少{what} {_param_name(param)}"
    if isinstance(exc, click.exceptions.BadParameter):
        value = _value_given(param, args) if getattr(param, "param_type_name", "") == "option" else None
        if value is None:  # an argument's value is only in click's text, written as Python writes a string
            said = _REJECTED.match(getattr(exc, "message", ""))
            value = ast.literal_eval(said.group(1)) if said else None
        kind = getattr(param, "type", None)
        shown = f"'{visible(value)}' " if value is not None else "该值"  # a newline typed in it stays one line
        if isinstance(kind, click.Choice):
            return f"{_param_name(param)} 的值无效：{shown}不是可选值之一（{_quoted(kind.choices)}）"
        if isinstance(kind, click.DateTime):
            return f"{_param_name(param)} 的值无效：{shown}不是 YYYY-MM-DD 格式的日期"
        if isinstance(kind, (click.IntRange, click.FloatRange)) and value is not None \
                and not _parses(value, int if isinstance(kind, click.IntRange) else float):
            return f"{_param_name(param)} 的值无效：{shown}不是{'整数' if isinstance(kind, click.IntRange) else '数字'}"
        if isinstance(kind, (click.IntRange, click.FloatRange)):
            bounds = "、".join(x for x in (f"≥ {kind.min}" if kind.min is not None else "",
                                          f"≤ {kind.max}" if kind.max is not None else "") if x)
            return f"{_param_name(param)} 的值无效：{shown}超出范围（应 {bounds}）"
        if kind is not None and getattr(kind, "name", "") in ("integer", "float"):
            return f"{_param_name(param)} 的值无效：{shown}不是数字"
        return f"{_param_name(param)} 的值无效：{shown.strip()}"
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    command = re.match(r"No such command '(.+?)'", message)
    if command:
        near = re.findall(r"'([^']+)'", message[command.end():])
        return f"没有命令 '{command.group(1)}'" + (f"（是否应为：{_quoted(near)}？）" if near else "")
    extra = re.match(r"Got unexpected extra arguments? \((.*)\)", message, re.S)
    if extra:
        return f"多余的参数：{visible(extra.group(1))}"
    no_value = re.match(r"Option '(.+?)' does not take a value", message)
    if no_value:
        return f"选项 '{no_value.group(1)}' 不接受值"
    needs = re.match(r"Option '(.+?)' requires (?:an argument|\d+ arguments)", message)
    if needs:
        return f"选项 '{needs.group(1)}' 需要一个值"
    return f"用法错误：{message}"
