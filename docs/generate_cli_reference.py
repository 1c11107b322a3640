"""Write docs/cli.md from crmctl's own --help, so the reference cannot drift.

    python docs/generate_cli_reference.py        # rewrite docs/cli.md
    tests/test_docs.py checks the file equals what this produces.
"""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path


def commands() -> list[list[str]]:
    """Every command and sub-command, read from the app itself, so none can be missing."""
    from crmctl.cli import COMMANDS, SUB_APPS

    found: list[list[str]] = [[]]
    for name in COMMANDS:
        if name in SUB_APPS:
            found.append([name])
            found.extend([name, sub] for sub in SUB_APPS[name][1])
        else:
            found.append([name])
    return found


def help_text(args: list[str]) -> str:
    from crmctl.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main([*args, "--help"])
    return out.getvalue()


def reference() -> str:
    parts = ["# crmctl command reference\n\n",
             "Generated from `crmctl COMMAND --help` by `docs/generate_cli_reference.py`; "
             "a test keeps it identical.\n"]
    for args in commands():
        title = " ".join(["crmctl", *args])
        parts.append(f"\n## {title}\n\n```text\n{help_text(args).rstrip()}\n```\n")
    return "".join(parts)


if __name__ == "__main__":
    import os

    os.environ["COLUMNS"] = "100"
    target = Path(__file__).with_name("cli.md")
    target.write_text(reference(), encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")
