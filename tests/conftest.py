"""Helpers: build small customer repositories under tmp_path and run the CLI."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from crmctl.cli import main

CUSTOMER = """\
name: 测试客户
category: enterprise
market: local
tier: B
channel: direct
owner: 张明
region: 北京
"""


def write_repo(root: Path, files: dict[str, str | bytes], *, config: str = "format: 1\nlanguage: en\n") -> Path:
    """A repository with ``crm.yaml`` and ``files`` (relative path -> text or bytes).
    Text is dedented, so tests can indent YAML naturally."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "crm.yaml").write_text(config, encoding="utf-8")
    (root / "customers").mkdir(exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run crmctl in-process through ``main(argv)``; returns exit code, stdout, stderr apart."""
    monkeypatch.delenv("CRMCTL_REPO", raising=False)
    monkeypatch.delenv("CRMCTL_LANG", raising=False)

    def run(*args: str) -> Result:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def repo(tmp_path):
    """One valid customer ``acme`` in a fresh repository."""
    return write_repo(tmp_path / "repo", {"customers/acme/customer.yaml": CUSTOMER})


def system_tool(*names: str, purpose: str) -> str:
    """The path of the first of ``names`` installed; a failure in CI (`.ci/run` installs them all),
    else a skip: a developer's machine may lack a browser or an office suite."""
    import os
    import shutil

    for name in names:
        found = shutil.which(name)
        if found is not None:
            return found
    if os.environ.get("CI"):
        pytest.fail(f"{names[0]} is missing: .ci/run installs it ({purpose})")
    pytest.skip(f"{names[0]} is not installed ({purpose})")
