"""The one Jinja factory: sandboxed, strict, the repository's templates/ first.

Templates are looked up in the customer repository's own ``templates/`` folder,
then in the ones crmctl ships. A template can never reach files outside those
folders, and a missing variable is an error rather than an empty string.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

BUILTIN_PACKAGE = "crmctl.templates"


def builtin_templates() -> Path:
    return Path(str(resources.files(BUILTIN_PACKAGE)))


def environment(repo_root: Path | None = None):  # -> jinja2.sandbox.SandboxedEnvironment
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    search = []
    if repo_root is not None and (repo_root / "templates").is_dir():
        search.append(str(repo_root / "templates"))
    search.append(str(builtin_templates()))
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(search),  # refuses `..` outside its folders
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["yaml_str"] = yaml_str
    return env


def yaml_str(value: Any) -> str:
    """A scalar as YAML text that reads back as the same text (quoted when needed)."""
    import yaml

    from crmctl.files.yamlio import TextSafeDumper

    text = yaml.dump(value, Dumper=TextSafeDumper, allow_unicode=True, default_flow_style=True, width=10_000)
    return text.removesuffix("\n...\n").strip()


def render(name: str, context: dict[str, Any], repo_root: Path | None = None) -> str:
    return environment(repo_root).get_template(name).render(**context)
