"""Limits hold for every file: size, values, and the number of problems listed.

A file of two million tiny items fits in 8 MiB; checking it must take a
fraction of a second and report one problem, not two million lines.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import CUSTOMER, write_repo
from crmctl.checking.check import check_repository
from crmctl.messages import Messages

ACME = "customers/acme"
ACTIVITIES = f"{ACME}/activities.yaml"
PROJECT = f"{ACME}/projects/p1"
TODAY = dt.date(2026, 1, 10)
MORE = ("more like this in this file (the first 50 are listed)\n"
        "    fix the ones listed, then check again: problems of one kind often share one cause")


def check(root):
    return check_repository(root, Messages("en"), today=TODAY).diagnostics


@pytest.mark.parametrize("text,line,col", [
    ("activities:\n" + "- 1\n" * 2_000_000, 99_999, 3),              # two million items
    ("activities: [" + "{a}," * 2_000_000 + "]\n", 1, 133_343),        # two million mappings, each an unknown key
    ("a:\n" * 2_000_000, 50_000, 3),                                   # two million duplicate keys
])
def test_two_million_tiny_items_give_one_located_problem(tmp_path, text, line, col):
    root = write_repo(tmp_path, {f"{ACME}/customer.yaml": CUSTOMER, ACTIVITIES: text})
    assert [d.format() for d in check(root)] == [
        f"{ACTIVITIES}:{line}:{col}: error yaml-too-many-values file holds more than 100,000 values; crmctl stops "
        "reading it here\n    no crmctl file needs this many: remove what does not belong here, or split the data"]


def test_schema_problems_are_listed_up_to_50_of_a_code_then_counted(tmp_path):
    root = write_repo(tmp_path, {f"{ACME}/customer.yaml": CUSTOMER, ACTIVITIES: "activities:\n" + "- 1\n" * 30_000})
    found = [d.format() for d in check(root)]
    assert len(found) == 51
    assert found[49] == (f"{ACTIVITIES}:51:3: error schema-type activities[50]: expected a mapping (key: value lines), "
                         "found the number 1")
    assert found[50] == f"{ACTIVITIES}:52:3: error schema-type and 29,950 {MORE}"


def test_the_rules_problems_are_capped_too(tmp_path):
    entry = "- date: 2026-01-02\n  kind: call\n  by: 张明\n  contacts: [nobody]\n  summary: x\n"
    root = write_repo(tmp_path, {f"{ACME}/customer.yaml": CUSTOMER, ACTIVITIES: "activities:\n" + entry * 60})
    found = check(root)
    assert [d.code for d in found] == ["ref-unknown"] * 51
    assert found[-1].format() == f"{ACTIVITIES}:255:14: error ref-unknown and 10 {MORE}"


def test_select_and_ignore_treat_the_count_like_what_it_counts(tmp_path, cli):
    root = write_repo(tmp_path, {f"{ACME}/customer.yaml": CUSTOMER.replace("region: 北京", "region: NO"),
                                 ACTIVITIES: "activities:\n" + "- 1\n" * 60})
    selected = json.loads(cli("check", root, "--select", "schema-type", "--format", "json").out)["diagnostics"]
    assert len(selected) == 51 and selected[-1]["message"] == "and 10 more like this in this file (the first 50 are listed)"
    ignored = json.loads(cli("check", root, "--ignore", "schema-type", "--format", "json").out)["diagnostics"]
    assert [d["code"] for d in ignored] == ["yaml-ambiguous-scalar"]


TOO_LARGE = ("error file-too-large file is larger than 8 MiB; crmctl does not read it\n"
             "    no crmctl file needs this much: remove what does not belong here, or split the data")


@pytest.mark.parametrize("name", ["evaluation.yaml", "competition.yaml", "visit_report.md"])
def test_every_file_of_a_project_is_held_to_8_mib(tmp_path, name):
    project = "name: P\nowner: 张明\nopened: 2026-01-01\n"
    big = b"# " + b"x" * (8 * 1024 * 1024) + b"\n"
    root = write_repo(tmp_path, {f"{ACME}/customer.yaml": CUSTOMER, f"{PROJECT}/project.yaml": project,
                                 f"{PROJECT}/{name}": big})
    assert f"{PROJECT}/{name}: {TOO_LARGE}" in [d.format() for d in check(root)]


def test_a_huge_number_is_located_not_a_crash(cli, tmp_path):
    from conftest import CUSTOMER, write_repo

    root = write_repo(tmp_path, {"customers/a/customer.yaml": CUSTOMER + "annual_purchase: " + "9" * 5000 + "\n",
                                 "customers/b/customer.yaml": CUSTOMER + "fleet_size: 0x" + "f" * 4000 + "\n",
                                 "customers/c/customer.yaml": CUSTOMER + "fleet_size: 0xffffffffffffffff\n"})
    result = cli("check", root, "--lang", "en")
    assert result.code == 1 and "Traceback" not in result.err
    lines = [line for line in result.err.splitlines() if ": error " in line]
    assert lines == [
        "customers/a/customer.yaml:8:18: error yaml-long-number `999999999999…` is a number 5000 characters long; "
        "crmctl reads numbers of at most 100",
        "customers/b/customer.yaml:8:13: error yaml-long-number `0xffffffffff…` is a number 4002 characters long; "
        "crmctl reads numbers of at most 100",
        "customers/c/customer.yaml:8:13: error schema-value fleet_size: the number 18446744073709551615 is out of "
        "range: must be <= 10000000",
    ]
    for command in ("list", "show", "classify"):
        args = (command, "a") if command == "show" else (command,)
        assert cli(*args, "--repo", root).code in (0, 1)
