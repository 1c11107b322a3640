"""Hostile and mangled input never crashes check: every outcome is diagnostics, exit 0 or 1."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from crmctl.checking.check import check_repository
from crmctl.messages import Messages

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TOKENS = ["", "~", "[]", "{}", "- x", ": :", "&a x", "*a", "!!binary aGk=", "'", '"', "NO", "0755", "12:30",
          "1e400", "-.inf", "[[[[", "}}", "\t", "\x00", "\ufeff", "李建", "- - -", "? x", "|", ">-", "%YAML 1.1",
          "---", "...", "<<: *a", "2026-13-45", "true", "9" * 400]


def mutate(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True) or ["\n"]
    i = rng.randrange(len(lines))
    op = rng.randrange(6)
    if op == 0:
        del lines[i]
    elif op == 1:
        lines.insert(i, lines[i])
    elif op == 2:
        head, sep, _ = lines[i].partition(":")
        lines[i] = f"{head}{sep or ':'} {rng.choice(TOKENS)}\n"
    elif op == 3:
        lines[i] = " " * rng.randrange(1, 5) + lines[i]
    elif op == 4:
        lines[i] = lines[i].lstrip()
    else:
        lines.insert(i, rng.choice(TOKENS) + "\n")
    return "".join(lines)


@pytest.mark.parametrize("seed", range(40))
def test_mutated_examples_give_diagnostics_not_crashes(tmp_path, seed):
    rng = random.Random(seed)
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES, repo)
    files = sorted(p for p in repo.rglob("*.yaml") if "schemas" not in p.parts)
    for file in rng.sample(files, 8):
        text = file.read_text(encoding="utf-8")
        for _ in range(rng.randrange(1, 4)):
            text = mutate(text, rng)
        file.write_bytes(text.encode("utf-8", "surrogatepass"))
    for lang in ("en", "zh-CN"):
        result = check_repository(repo, Messages(lang))  # raising here is the failure
        for d in result.diagnostics:
            assert d.path and d.code and d.message
            assert d.line >= 0 and d.col >= 0
