"""The one Jinja factory: sandboxed, strict, bounded, the repository's templates/ first.

Templates are looked up in the customer repository's own ``templates/`` folder,
then in the ones crmctl ships. A template can never reach a file outside those
folders (neither by ``..`` nor through a symbolic link), a missing variable is
an error rather than an empty string, and rendering is bounded in time and in
output size. A value is data: every ``{{ … }}`` is written on one line (line
breaks in a name become spaces), so a name cannot start a line of its own in a
document's front matter.

A repository's template that fails (bad syntax, an undefined name, a missing
include, a runaway loop) is a :class:`TemplateError` located at the template's
``path:line`` (exit 1); a failing built-in template is a bug in crmctl (exit 3).
"""

from __future__ import annotations

import math
import os
import re
import signal
import threading
import time
from importlib import resources
from pathlib import Path
from typing import Any

from crmctl.errors import UserError

BUILTIN_PACKAGE = "crmctl.templates"
REPOSITORY_TEMPLATES = "templates"

# Our choices, not the manual's: a document renders in milliseconds and is a few
# kilobytes, so these only ever stop a template that runs away.
MAX_SECONDS = 5.0
MAX_OUTPUT_CHARS = 4 * 1024 * 1024
MAX_INTEGER_BITS = 4096  # `**` beyond this is no document's arithmetic
MAX_TEMPLATE_BYTES = 1024 * 1024  # a document template is a page or two

_LINE_BREAKS = re.compile("[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")


class TemplateError(UserError):
    """A repository's own template cannot be rendered; ``location`` is ``path:line``."""


class _Runaway(Exception):
    """Raised inside rendering when a bound is crossed; becomes a TemplateError."""


def builtin_templates() -> Path:
    return Path(str(resources.files(BUILTIN_PACKAGE)))


def _one_line(value: Any) -> Any:
    from markupsafe import Markup

    if isinstance(value, Markup):  # markup crmctl built (a chart), written as it is
        return value
    return _LINE_BREAKS.sub(" ", value) if isinstance(value, str) else value


class _BadFile(Exception):
    """A template file that is not used: a link leading out of its folder (never read), not UTF-8,
    or larger than any template (``why``: outside, encoding, size)."""

    def __init__(self, path: str, why: str) -> None:
        super().__init__(path)
        self.filename = path
        self.why = why


def _loader(search: list[str]):
    import jinja2
    from jinja2.loaders import split_template_path

    class ContainedLoader(jinja2.BaseLoader):
        """Templates from ``search`` in order, never through a link that leads out of its folder."""

        def __init__(self) -> None:
            self.searchpath = search

        def get_source(self, environment, template):
            pieces = split_template_path(template)  # refuses `..`
            for top in search:
                path = os.path.join(top, *pieces)
                if not os.path.lexists(path):
                    continue
                real = os.path.normcase(os.path.realpath(path))
                if not real.startswith(os.path.normcase(os.path.realpath(top)) + os.sep):
                    raise _BadFile(path, "outside")
                if os.path.isfile(path):
                    with open(path, "rb") as fh:
                        raw = fh.read(MAX_TEMPLATE_BYTES + 1)
                    if len(raw) > MAX_TEMPLATE_BYTES:
                        raise _BadFile(path, "size")
                    try:
                        source = raw.decode("utf-8")
                    except UnicodeDecodeError:
                        raise _BadFile(path, "encoding") from None
                    return source, os.path.normpath(path), lambda: True  # one environment per render
            raise jinja2.TemplateNotFound(template)

    return ContainedLoader()


def own_templates(root: Path) -> bool:
    """Whether the repository's own ``templates/`` is used: a real folder, never a link, for a
    link even inside the repository could make its root or .git a templates folder and let a
    pull request include any file of the person running crmctl (a link inside templates/ must
    stay inside templates/, and git keeps no .git there)."""
    folder = root / REPOSITORY_TEMPLATES
    return folder.is_dir() and not folder.is_symlink()


def environment(repo_root: Path | None = None):  # -> jinja2.sandbox.SandboxedEnvironment
    """The environment: the repository's ``templates/`` (if it stays inside the repository),
    then the built-in templates."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedEnvironment(SandboxedEnvironment):
        """Checks the clock at every call, attribute, item and arithmetic step, and refuses
        arithmetic that would build a huge number or text before it is output."""

        intercepted_binops = frozenset({"*", "**", "+"})
        deadline = math.inf

        def tick(self) -> None:
            if time.monotonic() > self.deadline:
                raise _Runaway(f"took longer than {MAX_SECONDS:g} s")

        def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature
            __self.tick()
            fmt = _format_string(__obj)  # "{:>3000000000}".format(1) builds its text before output
            if fmt is not None:
                _check_format_widths(fmt, braces=True)
            return super().call(__context, __obj, *args, **kwargs)

        def getattr(self, obj, attribute):
            self.tick()
            return super().getattr(obj, attribute)

        def getitem(self, obj, argument):
            self.tick()
            return super().getitem(obj, argument)

        def call_binop(self, context, operator, left, right):
            self.tick()
            _check_size(operator, left, right)
            return super().call_binop(context, operator, left, right)

    search = []
    if repo_root is not None and own_templates(repo_root):
        search.append(str(repo_root / REPOSITORY_TEMPLATES))
    search.append(str(builtin_templates()))
    env = BoundedEnvironment(
        loader=_loader(search),  # refuses `..` and links leading out of its folders
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=lambda name: bool(name) and name.endswith(".html.j2"),  # a page escapes every value
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_one_line,
    )
    env.filters["yaml_str"] = yaml_str
    env.filters["md"] = md
    for name in ("center", "indent", "replace", "format"):
        env.filters[name] = _bounded_filter(env.filters[name], name)
    return env


def _check_size(operator: str, left: Any, right: Any) -> None:
    if operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0 \
            and abs(left) > 1 and right * max(1, abs(left).bit_length()) > MAX_INTEGER_BITS:
        raise _Runaway(f"`{left} ** {right}` is too large a number")
    if operator == "*":
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_OUTPUT_CHARS:
                raise _Runaway(f"repeating {len(seq)} items {n} times is too large")
    if operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)) \
            and len(left) + len(right) > MAX_OUTPUT_CHARS:
        raise _Runaway("joining these is too large")


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[a-zA-Z%]")
_BRACE_SPEC = re.compile(r"\{[^{}]*?:[^{}]*?(\d+)?(?:\.(\d+))?[a-zA-Z%]?\}")


def _format_string(obj: Any) -> str | None:
    """The text of a ``str.format``/``format_map`` about to be called (Jinja's sandbox hands it
    over wrapped), else None."""
    target = getattr(obj, "__wrapped__", obj)
    owner = getattr(target, "__self__", None)
    return owner if isinstance(owner, str) and getattr(target, "__name__", "") in ("format", "format_map") else None


def _check_format_widths(fmt: str, *, braces: bool) -> None:
    """A `%`- or `{}`-format whose width or precision would build a huge text, or is given as
    `*` (read from the arguments), is refused before it runs."""
    if braces and re.search(r"\{[^{}]*\{", fmt):
        raise _Runaway("a format with nested `{…}` fields")
    pattern = _BRACE_SPEC if braces else _PERCENT_SPEC
    for match in pattern.finditer(fmt):
        for number in match.groups():
            if number == "*" or (number and int(number) > MAX_OUTPUT_CHARS):
                raise _Runaway(f"the format `{match.group()[:40]}` asks for a width of {number}")


def _bounded_filter(original, name: str):
    """A growth filter that refuses to build a text longer than the output bound."""

    def bounded(value: Any, *args: Any, **kwargs: Any) -> Any:
        text = str(value)
        if name == "center":
            size = max(len(text), int(args[0]) if args else 80)
        elif name == "indent":
            width = args[0] if args else kwargs.get("width", 4)
            size = len(text) * (1 + (width if isinstance(width, int) else len(str(width))))
        elif name == "replace" and len(args) >= 2:
            old, new = str(args[0]), str(args[1])
            size = len(text) + (text.count(old) if old else len(text) + 1) * max(0, len(new) - len(old))
        else:  # format: the arguments' own sizes bound it, and every width and precision is checked
            _check_format_widths(text, braces=False)
            size = len(text) + sum(len(str(a)) for a in args)
        if size > MAX_OUTPUT_CHARS:
            raise _Runaway(f"the `{name}` filter would write {size:,} characters")
        return original(value, *args, **kwargs)

    return bounded


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&@])")


def md(value: Any) -> str:
    """A value as Markdown text (the ``md`` filter): every character Markdown reads as markup
    escaped, on one line, so a name is always text, never a heading, a link or a table cell's end."""
    if value is None:
        return ""
    # leading spaces would make an indented code block of it: a value is its words
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(value)).strip())


def yaml_str(value: Any) -> str:
    """A scalar as one line of YAML that reads back as the same value (text quoted when needed;
    a text holding a line break or a control character double-quoted, its escapes on one line)."""
    import yaml

    from crmctl.files.yamlio import TextSafeDumper

    style = '"' if isinstance(value, str) and (_LINE_BREAKS.search(value) or not value.isprintable()) else None
    text = yaml.dump(value, Dumper=TextSafeDumper, allow_unicode=True, default_flow_style=True, width=10**9,
                     default_style=style)
    return text.removesuffix("\n...\n").strip()


def _template_location(exc: BaseException, folders: list[str]) -> tuple[str | None, int]:
    """The template file and line an error happened at: Jinja's own for a syntax error, else
    the last frame of its rewritten traceback that belongs to a template file."""
    import jinja2

    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return exc.filename, exc.lineno or 0
    tops = tuple(os.path.join(f, "") for f in folders)
    filename, line = None, 0
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.startswith(tops):
            filename, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    return filename, line


def render(name: str, context: dict[str, Any], messages: Any, repo_root: Path | None = None) -> str:
    """``name`` rendered with ``context``; a repository template's failure is a located TemplateError."""
    import jinja2

    env = environment(repo_root)
    env.deadline = time.monotonic() + MAX_SECONDS
    template = None
    try:
        with _alarm(MAX_SECONDS + 1):
            template = env.get_template(name)
            chunks, size = [], 0
            for chunk in template.generate(**context):
                size += len(chunk)
                if size > MAX_OUTPUT_CHARS:
                    raise _Runaway(f"wrote more than {MAX_OUTPUT_CHARS:,} characters")
                env.tick()
                chunks.append(chunk)
            return "".join(chunks)
    except (jinja2.TemplateError, _Runaway, _BadFile, TypeError, ValueError, ArithmeticError, LookupError,
            RecursionError, MemoryError) as exc:
        filename, line = (exc.filename, 0) if isinstance(exc, _BadFile) else \
            _template_location(exc, env.loader.searchpath)
        if filename is None and template is not None:  # stopped between two pieces of output
            filename = template.filename
        own = repo_root / REPOSITORY_TEMPLATES if repo_root is not None else None
        if filename is None and own is not None and (own / name).is_file() and own_templates(repo_root):
            filename = str(own / name)  # failed while read or compiled, before any line ran
        if not isinstance(exc, _Runaway) and (filename is None or own is None
                                              or not Path(os.path.abspath(filename)).is_relative_to(own)):
            raise  # a built-in template failed: that is crmctl's bug
        raise _located(exc, filename, line, repo_root, messages) from None


def _located(exc: BaseException, filename: str | None, line: int, root: Path | None, m: Any) -> TemplateError:
    import jinja2

    rel = filename or REPOSITORY_TEMPLATES
    if filename and root is not None:
        try:
            rel = Path(os.path.abspath(filename)).relative_to(root).as_posix()
        except ValueError:
            rel = filename
    where = f"{rel}:{line}" if line else rel
    if isinstance(exc, jinja2.TemplateNotFound):
        problem = m.pick(f"template `{exc.name}` not found", f"找不到模板 `{exc.name}`")
    elif isinstance(exc, _Runaway):
        problem = m.pick(f"rendering stopped: it {exc}", f"渲染已中止：{exc}")
    elif isinstance(exc, _BadFile) and exc.why == "outside":
        problem = m.pick("it is a link that leads outside the templates folder; crmctl does not read it",
                         "它是指向模板文件夹之外的链接，crmctl 不会读取")
    elif isinstance(exc, _BadFile) and exc.why == "size":
        problem = m.pick(f"it is larger than {MAX_TEMPLATE_BYTES // 1024} KiB; no template needs that much",
                         f"它大于 {MAX_TEMPLATE_BYTES // 1024} KiB；模板不需要这么大")
    elif isinstance(exc, _BadFile):
        problem = m.pick("it is not UTF-8 text", "它不是 UTF-8 文本")
    else:
        problem = str(exc) or type(exc).__name__
    return TemplateError(m.pick(f"{where}: the template cannot be rendered: {problem}",
                                f"{where}：模板无法渲染：{problem}"),
                         m.pick("fix the repository's template (or remove it to use crmctl's own), then run the "
                                "command again", "请修正仓库中的模板（或删除它以使用 crmctl 自带的模板），然后重新运行命令"))


class _alarm:
    """On POSIX, in the main thread, a timer that stops even a loop that calls nothing."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.armed = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()

    def __enter__(self) -> None:
        if self.armed:
            self.previous = signal.signal(signal.SIGALRM, self._fire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def _fire(self, signum: int, frame: Any) -> None:
        raise _Runaway(f"took longer than {MAX_SECONDS:g} s")

    def __exit__(self, *exc: Any) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
