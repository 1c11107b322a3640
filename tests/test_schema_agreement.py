"""The JSON Schemas crmctl writes and `check` agree (issue 8.8).

An editor marks a file with `schemas/*.schema.json`; CI runs `check`. A value
one accepts and the other refuses sends a person chasing a phantom. The
schemas are checked here by an independent validator (jsonschema, Draft 2020-12,
formats asserted) over every example file, and against `check` over a corpus of
wrong values put into one file of each kind.

The data both see is what crmctl's reader makes of the YAML (YAML 1.2's core
schema, as editors read it: an unquoted date is text).
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from crmctl.checking.check import check_repository
from crmctl.files import layout
from crmctl.files.documents import DOCUMENT_FILES, split_front_matter
from crmctl.files.scaffold import schema_texts
from crmctl.files.yamlio import parse_yaml, read_text
from crmctl.messages import Messages

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
M = Messages("en")
SCHEMAS = {name: json.loads(text) for name, text in schema_texts().items()}
YAML_KINDS = {kind.filename: kind.schema_filename for kind in layout.ALL_KINDS}
DELETE = object()
# one of each: a wrong type, a yes/no, numeric text, a fraction, out of range either way, empty,
# nothing, a list, a mapping, a day not on the calendar, an over-long id
WRONG: list[Any] = [True, "1", 1.5, -1, 10**8, "", None, [], {}, "2026-02-30", "2026-2-3", "x" * 70, DELETE]
# what a JSON Schema cannot say: a sum over a mapping's values
CANNOT_SAY = {("crm.yaml", "weights must sum to 100")}


def _schema_name(rel: str) -> str | None:
    name = rel.rsplit("/", 1)[-1]
    if name in YAML_KINDS:
        return YAML_KINDS[name]
    doc = DOCUMENT_FILES.get(name)
    return f"{doc.id}.schema.json" if doc else None


def _read(path: Path, rel: str) -> tuple[Any, str]:
    """(data, body): the YAML data of a file, or of a document's front matter and its text."""
    text, problems = read_text(path, rel, M)
    assert text is not None and not problems, problems
    body = ""
    if rel.endswith(".md"):
        split = split_front_matter(text)
        assert split is not None, rel
        text, body = split
    document = parse_yaml(text, rel, M)
    assert not document.diagnostics, document.diagnostics
    return document.data, body


def _write(path: Path, data: Any, body: str) -> None:
    # JSON is YAML (flow style), the same data, and is written ten times faster than block YAML
    text = json.dumps(data, ensure_ascii=False) + "\n"
    path.write_text(f"---\n{text}---\n{body}" if path.suffix == ".md" else text, encoding="utf-8")


VALIDATORS = {name: jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
              for name, schema in SCHEMAS.items()}


def _schema_errors(schema_name: str, data: Any) -> list[str]:
    return [error.message for error in VALIDATORS[schema_name].iter_errors(data)]


def example_files() -> list[str]:
    return sorted(str(p.relative_to(EXAMPLES)) for p in EXAMPLES.rglob("*")
                  if p.is_file() and "schemas" not in p.parts and _schema_name(str(p.relative_to(EXAMPLES))))


def test_the_examples_hold_a_file_of_every_kind_with_a_schema():
    kinds = {_schema_name(rel) for rel in example_files()}
    assert kinds == set(SCHEMAS)


def test_examples_schemas_are_the_ones_crmctl_writes():
    written = {p.name: p.read_text(encoding="utf-8") for p in (EXAMPLES / "schemas").iterdir()}
    # the version in $comment changes with every release; the rules are what must match
    assert {n: json.loads(t) | {"$comment": ""} for n, t in written.items()} == \
        {n: s | {"$comment": ""} for n, s in SCHEMAS.items()}


def test_every_schema_a_template_points_at_is_written():
    """A document's `$schema` line (contract.yaml, delivery.yaml) names a schema `crmctl schema` writes."""
    root = Path(__file__).resolve().parents[1] / "templates"
    named = {(p.relative_to(root).as_posix(), match) for p in root.rglob("*.j2")
             for match in re.findall(r"\$schema=\S*/schemas/(\S+)", p.read_text(encoding="utf-8"))}
    assert len(named) >= 8 and {(rel, name) for rel, name in named if name not in SCHEMAS} == set()


@pytest.mark.parametrize("rel", example_files())
def test_every_example_file_is_valid_under_its_schema(rel):
    data, _ = _read(EXAMPLES / rel, rel)
    assert _schema_errors(_schema_name(rel), data) == []


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key and list item of ``data``, the first item of each list only."""
    found: list[tuple[Any, ...]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "$schema":
                continue
            found.append((*prefix, key))
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(data, list) and data:
        found.append((*prefix, 0))
        found.extend(_paths(data[0], (*prefix, 0)))
    return found


def _changed(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    data = copy.deepcopy(data)
    node = data
    for step in path[:-1]:
        node = node[step]
    if value is DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


def _richest(kind_file: str) -> str:
    """The example of a kind with the most keys: the widest corpus for one file."""
    candidates = [rel for rel in example_files() if rel.rsplit("/", 1)[-1] == kind_file]
    return max(candidates, key=lambda rel: (len(_paths(_read(EXAMPLES / rel, rel)[0])), rel))


# the customer.yaml rules between fields, each way round, besides the corpus
CROSS_FIELD = [
    {"category": "enterprise", "kind": "agency"},
    {"category": "government", "kind": DELETE, "size": DELETE},
    {"category": "government", "kind": "person", "size": DELETE},
    {"category": "government", "kind": "agency", "size": "large"},
    {"category": "government", "kind": "agency", "size": DELETE},
    {"category": "individual", "kind": "person", "size": None},
    {"category": "individual", "kind": None, "size": DELETE},
    {"channel": "dealer", "dealer": DELETE},
    {"channel": "dealer", "dealer": None},
    {"channel": "dealer", "dealer": "北京华通汽车销售有限公司"},
    {"channel": "direct", "dealer": DELETE},
]


def _kind_files() -> list[str]:
    names = sorted({rel.rsplit("/", 1)[-1] for rel in example_files()})
    return names


def _mini_repo(tmp_path: Path, rel: str) -> Path:
    """crm.yaml, and the file with the files it stands on (its customer and contacts, its
    project): a small repository, so each change is checked quickly."""
    root = tmp_path / "repo"
    (root / "customers").mkdir(parents=True)
    parts = rel.split("/")
    needed = {"crm.yaml", rel}
    if parts[0] == "customers":
        needed |= {f"customers/{parts[1]}/customer.yaml", f"customers/{parts[1]}/contacts.yaml"}
        if len(parts) > 4:
            needed.add("/".join(parts[:4]) + "/project.yaml")
    for name in needed:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(EXAMPLES / name, root / name)
    return root


def _check_verdict(root: Path, rel: str) -> list[tuple[str, str]]:
    """`check`'s errors about what a file holds (not what it refers to), as (code, message)."""
    result = check_repository(root, M, jobs=1, today=__import__("datetime").date(2026, 11, 29))
    return [(d.code, d.message) for d in result.diagnostics
            if d.path == rel and d.severity == "error" and (d.code.startswith("schema-") or d.code == "config-version")]


@pytest.mark.parametrize("kind_file", _kind_files())
def test_schema_and_check_agree_on_wrong_values(kind_file, tmp_path):
    rel = _richest(kind_file)
    root = _mini_repo(tmp_path, rel)
    original_path = EXAMPLES / rel
    data, body = _read(original_path, rel)
    schema_name = _schema_name(rel)
    changes = [(path, value) for path in _paths(data) for value in WRONG]
    patches = CROSS_FIELD if kind_file == "customer.yaml" else []
    disagreements = []
    assert _check_verdict(root, rel) == []
    cases = [(f"{'.'.join(map(str, p))} = {v!r}"[:80], _changed(data, p, v)) for p, v in changes]
    for patch in patches:
        changed = data
        for key, value in patch.items():
            changed = _changed(changed, (key,), value) if (value is not DELETE or key in changed) else changed
        cases.append((repr(patch), changed))
    for label, changed in cases:
        _write(root / rel, changed, body)
        by_check = _check_verdict(root, rel)
        by_schema = _schema_errors(schema_name, changed)
        if bool(by_check) != bool(by_schema) and not any(
                file == kind_file and text in message for file, text in CANNOT_SAY for _, message in by_check):
            disagreements.append((label, by_check[:1], by_schema[:1]))
    assert disagreements == [], f"{rel}: check and the schema disagree on {len(disagreements)} values"
    assert len(cases) >= len(WRONG) * 3


def test_what_the_schema_cannot_say_check_still_does(tmp_path):
    root = _mini_repo(tmp_path, "crm.yaml")
    data, body = _read(EXAMPLES / "crm.yaml", "crm.yaml")
    changed = _changed(data, ("evaluation",), {"weights": {"price": 50, "brand": 40}})
    _write(root / "crm.yaml", changed, body)
    assert _schema_errors("config.schema.json", changed) == []
    assert _check_verdict(root, "crm.yaml") == [
        ("schema-value", "evaluation.weights: weights must sum to 100, they sum to 90")]


def test_what_init_and_new_write_is_valid_under_the_schemas(cli, tmp_path):
    root = tmp_path / "crm"
    assert cli("init", root, "--lang", "en").code == 0
    assert cli("new", "customer", "某某物流有限公司", "--repo", root, "--category", "enterprise", "--size", "large",
               "--market", "local", "--tier", "B", "--channel", "dealer", "--dealer", "华通", "--owner", "张明",
               "--region", "北京").code == 0
    assert cli("new", "contact", "mou-mou-wu-liu-you-xian-gong-si", "李阳", "--repo", root, "--phone", "13800000000",
               "--attitude", "supporter").code == 0
    assert cli("new", "project", "mou-mou-wu-liu-you-xian-gong-si", "冷藏车", "--repo", root, "--owner", "张明",
               "--quantity", "20").code == 0
    written = sorted(p for p in root.rglob("*.yaml") if p.name in YAML_KINDS)
    assert {p.name for p in written} >= {"crm.yaml", "customer.yaml", "contacts.yaml", "project.yaml"}
    for path in written:
        rel = path.relative_to(root).as_posix()
        data, _ = _read(path, rel)
        assert _schema_errors(YAML_KINDS[path.name], data) == [], rel
