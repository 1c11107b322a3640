"""The command line as users and scripts meet it: exit codes, streams, languages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CUSTOMER, write_repo
from crmctl.checking.check import check_repository
from crmctl.messages import Messages

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_version(cli):
    from crmctl import __version__

    result = cli("--version")
    assert (result.code, result.out, result.err) == (0, f"crmctl {__version__}\n", "")


def test_usage_error_exits_2(cli):
    result = cli("check", "--format", "xml")
    assert result.code == 2
    assert "xml" in result.err and result.out == ""
    assert cli("frobnicate").code == 2


def test_no_repository_is_a_user_error(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("check", "--lang", "en")
    assert result.code == 1
    assert result.err == (
        f"crmctl: no customer repository here: no crm.yaml in {tmp_path.resolve()} or any folder above\n"
        "    cd into one, pass --repo DIR (or set CRMCTL_REPO), or create one with: crmctl init DIR\n"
    )


def test_repository_found_upwards_and_from_env(cli, repo, monkeypatch):
    monkeypatch.chdir(repo / "customers" / "acme")
    assert cli("list", "--format", "json").code == 0
    monkeypatch.chdir(repo.parent)
    monkeypatch.setenv("CRMCTL_REPO", str(repo))
    result = cli("list", "--format", "csv")
    assert result.code == 0
    assert result.out.splitlines()[1].startswith("acme,测试客户,enterprise")


def test_check_json_equals_the_library(cli, tmp_path):
    root = write_repo(tmp_path, {"customers/acme/customer.yaml": CUSTOMER + "colour: red\ntier: A\n"})
    result = cli("check", root, "--format", "json")
    assert result.code == 1 and result.err == ""
    data = json.loads(result.out)
    library = check_repository(root, Messages("en"))
    # each as the library gives it, with whether it is a reminder of the calendar and fails the check
    assert data["diagnostics"] == [{**d.to_dict(), "reminder": False, "fails": True} for d in library.diagnostics]
    assert (data["errors"], data["warnings"], data["ok"], data["customers"]) == (2, 0, False, 1)


def test_init_says_what_it_kept_and_where_ci_files_are_read(cli, tmp_path):
    import subprocess

    from conftest import system_tool

    system_tool("git", purpose="a folder inside a git repository")
    assert subprocess.run(["git", "init", "-q", str(tmp_path)], capture_output=True).returncode == 0
    (tmp_path / "sales").mkdir()
    (tmp_path / "sales/.gitlab-ci.yml").write_text("build:\n  script: [make]\n", encoding="utf-8")
    result = cli("init", tmp_path / "sales", "--lang", "en", "--crmctl-spec", "crmctl==0.1.0")
    assert result.code == 0
    assert (tmp_path / "sales/.gitlab-ci.yml").read_text(encoding="utf-8") == "build:\n  script: [make]\n"
    assert result.err.splitlines()[:2] == [
        "crmctl: kept your own .gitlab-ci.yml: crmctl's is not written over it; add what it needs by hand "
        "(crmctl init in an empty folder shows crmctl's)",
        f"crmctl: this folder is inside the git repository {tmp_path.resolve()}: GitHub, GitLab and pre-commit read "
        "their files only at its top, so move .github/, .gitlab-ci.yml and .pre-commit-config.yaml there and have "
        "them run crmctl with --repo sales",
    ]


def test_check_text_goes_to_stderr(cli, tmp_path):
    root = write_repo(tmp_path, {"customers/acme/customer.yaml": CUSTOMER + "colour: red\n"})
    result = cli("check", "--repo", root)
    assert result.code == 1 and result.out == ""
    assert result.err.splitlines()[0] == (
        "customers/acme/customer.yaml:8:1: error schema-unknown-key top level: unknown key `colour`")
    assert result.err.splitlines()[-1] == "checked 1 customer, 2 files: 1 error, 0 warnings"


def test_check_in_chinese(cli, tmp_path):
    root = write_repo(tmp_path, {"customers/acme/customer.yaml": CUSTOMER + "colour: red\n"},
                      config="format: 1\n")  # language defaults to zh-CN
    result = cli("check", root)
    assert result.err.splitlines()[0] == (
        "customers/acme/customer.yaml:8:1: 错误 schema-unknown-key 顶层：未知的键 `colour`")
    assert result.err.splitlines()[-1] == "已检查 1 个客户、2 个文件：1 个错误，0 个警告"
    assert cli("check", root, "--lang", "en").err.splitlines()[-1].startswith("checked 1 customer")


def test_strict_select_ignore(cli, tmp_path):
    root = write_repo(tmp_path, {"customers/acme/customer.yaml": CUSTOMER, "customers/acme/notes.txt": "x"})
    assert cli("check", root).code == 0  # a warning alone passes
    assert cli("check", root, "--strict").code == 1
    assert cli("check", root, "--strict", "--ignore", "file-unknown").code == 0
    out = json.loads(cli("check", root, "--format", "json", "--select", "schema").out)
    assert out["diagnostics"] == []


def test_internal_error_exits_3(cli, repo, monkeypatch):
    import crmctl.checking.rules as rules

    def broken_rule(record, ctx):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(rules, "CUSTOMER_RULES", (rules.Rule("broken", (), broken_rule),))
    monkeypatch.setattr(rules.run_customer_rules, "__defaults__", (rules.CUSTOMER_RULES,))
    result = cli("check", repo)
    assert result.code == 3
    assert result.err.startswith("crmctl: an unexpected error has occurred (a bug in crmctl, not in your data):")
    assert "ZeroDivisionError: boom" in result.err


def test_init_then_new_then_check(cli, tmp_path):
    root = tmp_path / "crm"
    result = cli("init", root, "--lang", "en", "--company", "North Branch")
    assert result.code == 0
    assert sorted(Path(line).relative_to(root).as_posix() for line in result.out.splitlines()) == [
        ".gitattributes", ".github/workflows/crmctl.yml", ".gitignore", ".gitlab-ci.yml", ".pre-commit-config.yaml",
        "crm.yaml",
        "customers/.gitkeep",
        "schemas/activities.schema.json", "schemas/care.schema.json", "schemas/competition.schema.json",
        "schemas/config.schema.json",
        "schemas/contacts.schema.json", "schemas/contract.schema.json", "schemas/customer.schema.json",
        "schemas/delivery.schema.json", "schemas/evaluation.schema.json",
        "schemas/exchange_minutes.schema.json", "schemas/history.schema.json",
        "schemas/negotiation_minutes.schema.json", "schemas/order_assurance.schema.json", "schemas/people.schema.json",
        "schemas/phone_invitation.schema.json",
        "schemas/product_recommendation.schema.json", "schemas/project.schema.json",
        "schemas/service_plan.schema.json", "schemas/visit_report.schema.json"]
    assert (root / "crm.yaml").read_text().startswith("# yaml-language-server: $schema=schemas/config.schema.json\n")
    assert "crmctl check" in (root / ".pre-commit-config.yaml").read_text()
    assert "crmctl check" in (root / ".github/workflows/crmctl.yml").read_text()
    assert cli("init", root).code == 1  # never over an existing repository

    result = cli("new", "customer", "北京市环境卫生集团", "--repo", root, "--category", "government",
                 "--kind", "institution", "--market", "local", "--tier", "A", "--owner", "张明", "--region", "北京")
    assert result.code == 0, result.err
    cid = "bei-jing-shi-huan-jing-wei-sheng-ji-tuan"
    assert result.out.splitlines() == [str(root / f"customers/{cid}/{f}.yaml")
                                       for f in ("customer", "contacts", "activities")]
    text = (root / f"customers/{cid}/customer.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schemas/customer.schema.json\n")

    assert cli("new", "contact", cid, "李阳", "--repo", root, "--title", "总经理",
               "--function", "final_approver").out.strip().endswith("contacts.yaml")
    assert cli("new", "contact", cid, "张华", "--repo", root, "--reports-to", "li-yang",
               "--phone", "010-1234567").code == 0
    result = cli("new", "project", cid, "2027 年洗扫车更新", "--repo", root, "--owner", "王磊",
                 "--quantity", "30", "--opened", "2026-08-05", "--mode", "public_tender")
    assert result.code == 0 and result.out.strip().endswith("projects/2027-nian-xi-sao-che-geng-xin/project.yaml")

    check = cli("check", root, "--today", "2026-08-10")
    assert check.code == 0, check.err
    assert check.err == "checked 1 customer, 5 files: 0 errors, 0 warnings\n"


def test_new_refuses_bad_input_and_writes_nothing(cli, repo):
    def files() -> list[Path]:  # the lock file is no record; a refusal may have taken the lock
        return sorted(p.relative_to(repo) for p in repo.rglob("*") if p.name != ".crmctl.lock")

    before = files()
    cases = [
        ("new", "customer", "甲", "--category", "government", "--market", "local", "--tier", "A",
         "--owner", "x", "--region", "y"),  # government needs --kind
        ("new", "customer", "甲", "--category", "enterprise", "--market", "local", "--tier", "A",
         "--owner", "x", "--region", "y", "--channel", "dealer"),  # dealer needs --dealer
        ("new", "customer", "甲", "--category", "enterprise", "--market", "local", "--tier", "A",
         "--owner", "x", "--region", "y", "--id", "../evil"),
        ("new", "customer", "测试客户", "--category", "enterprise", "--market", "local", "--tier", "A",
         "--owner", "x", "--region", "y", "--id", "acme"),  # exists
        ("new", "project", "nobody", "项目", "--owner", "x"),
        ("new", "project", "../acme", "项目", "--owner", "x"),
        ("new", "contact", "acme", "李建", "--reports-to", "ghost"),
        ("new", "contact", "acme", "李建", "--id", "Li Jian"),
    ]
    for args in cases:
        result = cli(*args, "--repo", repo, "--lang", "en")
        assert result.code == 1, args
        assert result.err.startswith("crmctl: ") and "Traceback" not in result.err, result.err
    assert files() == before


def test_new_customer_same_name_is_refused(cli, repo):
    args = ("new", "customer", "新客户", "--category", "enterprise", "--market", "local", "--tier", "C",
            "--owner", "x", "--region", "y", "--repo", repo, "--lang", "en")
    assert cli(*args).code == 0
    result = cli(*args)
    assert result.code == 1
    assert result.err == ("crmctl: customer `新客户` already exists: customers/xin-ke-hu\n"
                          "    to add another customer of the same name, give it an id with --id\n")
    assert cli(*args, "--id", "xin-ke-hu-beijing").code == 0


def test_a_customer_of_the_same_name_under_another_id_is_refused(cli, tmp_path):
    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root)
    result = cli("new", "customer", "北京市环境卫生集团", "--category", "government", "--kind", "institution",
                 "--market", "local", "--tier", "A", "--owner", "张明", "--region", "北京", "--repo", root, "--lang", "en")
    assert (result.code, result.err) == (1, "crmctl: customer `北京市环境卫生集团` already exists: customers/bj-huanwei\n"
                                            "    to add another customer of the same name, give it an id with --id\n")


def test_a_project_of_the_same_name_for_one_customer_is_refused_unless_given_an_id(cli, tmp_path):
    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root)
    args = ("new", "project", "bj-huanwei", "2027 年新能源洗扫车更新采购", "--owner", "王磊", "--repo", root, "--lang", "en")
    result = cli(*args)
    assert (result.code, result.err) == (1, (
        "crmctl: project `2027 年新能源洗扫车更新采购` already exists: customers/bj-huanwei/projects/sweeper-renewal-2027\n"
        "    to add another project of the same name, give it an id with --id\n"))
    assert sorted(p.name for p in (root / "customers/bj-huanwei/projects").iterdir()) == ["sweeper-renewal-2027"]
    assert cli(*args, "--id", "sweeper-renewal-2027-b").code == 0
    assert cli("new", "project", "hebei-shuiwu", "2027 年新能源洗扫车更新采购", "--owner", "王磊",
               "--repo", root).code == 0  # another customer's project may share the name


def test_a_contact_of_the_same_name_is_refused_unless_given_an_id(cli, tmp_path):
    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root)
    before = (root / "customers/bj-huanwei/contacts.yaml").read_bytes()
    result = cli("new", "contact", "bj-huanwei", "李阳", "--repo", root, "--lang", "en")
    assert (result.code, result.err) == (1, (
        "crmctl: customers/bj-huanwei/contacts.yaml already has a contact named 李阳 (`li-yang`)\n"
        "    if this is another person of the same name, give them an id with --id\n"))
    assert (root / "customers/bj-huanwei/contacts.yaml").read_bytes() == before
    assert cli("new", "contact", "bj-huanwei", "李阳", "--id", "li-yang-driver", "--repo", root).code == 0


def test_list_filters_and_formats(cli):
    result = cli("list", "--repo", EXAMPLES, "--tier", "A", "--format", "json")
    assert result.code == 0
    assert [row["id"] for row in json.loads(result.out)] == ["bj-huanwei", "sh-xianda-lenglian"]
    result = cli("list", "--repo", EXAMPLES, "--channel", "dealer", "--market", "local", "--format", "csv")
    assert result.out.splitlines()[0] == "id,name,category,kind,tier,market,channel,dealer,owner,region,fleet_size"
    assert [line.split(",")[0] for line in result.out.splitlines()[1:]] == [
        "li-chunhua", "tj-hongyun-qingyun", "wang-jianguo"]
    table = cli("list", "--repo", EXAMPLES, "--lang", "en", "--owner", "张明").out.splitlines()
    assert table[0].split() == ["id", "name", "category", "kind/size", "tier", "market", "channel", "dealer", "owner",
                                "region", "fleet"]
    assert [line.split()[0] for line in table[2:]] == ["bj-huanwei", "hd-chengguan"]
    zh = cli("list", "--repo", EXAMPLES, "--owner", "张明", "--format", "github").out
    assert zh.splitlines()[0].startswith("| 标识 ") and "A 战略客户" in zh


def test_list_reports_invalid_customers(cli, tmp_path):
    root = write_repo(tmp_path, {"customers/acme/customer.yaml": CUSTOMER,
                                 "customers/bad/customer.yaml": CUSTOMER.replace("tier: B", "tier: Q")})
    result = cli("list", "--repo", root, "--format", "csv")
    assert result.code == 1
    assert [line.split(",")[0] for line in result.out.splitlines()[1:]] == ["acme"]
    assert result.err.startswith("customers/bad/customer.yaml:4:7: error schema-value")


def test_show_text_and_json(cli):
    text = cli("show", "bj-huanwei", "--repo", EXAMPLES, "--lang", "en")
    assert text.code == 0 and text.err == ""
    lines = text.out.splitlines()
    assert lines[0] == "北京市环境卫生集团  (bj-huanwei)"
    assert "  tier            A strategic" in lines
    assert "Contacts (7)" in lines and "Projects (1)" in lines
    zh = cli("show", "bj-huanwei", "--repo", EXAMPLES).out
    assert "  级别      A 战略客户" in zh.splitlines()
    data = json.loads(cli("show", "bj-huanwei", "--repo", EXAMPLES, "--format", "json").out)
    assert data["customer"]["name"] == "北京市环境卫生集团"
    assert [c["id"] for c in data["contacts"]][:2] == ["li-yang", "chen-jing"]
    assert data["projects"][0]["id"] == "sweeper-renewal-2027"
    assert data["activities"][0]["date"] == "2026-11-20"  # newest first


def test_show_unknown_customer_suggests(cli):
    result = cli("show", "bj-huanwai", "--repo", EXAMPLES, "--lang", "en")
    assert result.code == 1
    assert result.err == "crmctl: no customer `bj-huanwai`\n    did you mean: bj-huanwei?\n"


def test_show_broken_file_still_shows_and_reports(cli, tmp_path):
    root = write_repo(tmp_path, {"customers/acme/customer.yaml": CUSTOMER + "tier: A\n"})
    result = cli("show", "acme", "--repo", root)
    assert result.code == 1
    assert result.out.startswith("测试客户  (acme)")
    assert result.err.startswith("customers/acme/customer.yaml:8:1: error yaml-duplicate-key")


def test_schema_command(cli, tmp_path):
    result = cli("schema", "--out", tmp_path / "s")
    assert result.code == 0
    schema = json.loads((tmp_path / "s" / "customer.schema.json").read_text())
    assert schema["additionalProperties"] is False
    assert schema["properties"]["category"]["enum"] == ["government", "enterprise", "individual"]
    assert set(schema["required"]) == {"name", "category", "market", "tier", "channel", "owner", "region"}


def test_example_schemas_are_current(tmp_path):
    """examples/schemas must match the models (`make schema` refreshes them)."""
    from crmctl.files.scaffold import schema_texts

    texts = schema_texts()
    assert sorted(texts) == sorted(p.name for p in (EXAMPLES / "schemas").iterdir())
    for name, text in texts.items():
        assert (EXAMPLES / "schemas" / name).read_text() == text, name


def test_installed_entry_point_runs(tmp_path):
    """The console script itself, in a subprocess, as CI and shell scripts call it."""
    exe = Path(sys.executable).with_name("crmctl")
    if not exe.exists():
        pytest.skip("crmctl console script not installed next to this python")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMCTL_")}
    ok = subprocess.run([exe, "check", EXAMPLES], capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr
    broken = write_repo(tmp_path, {"customers/acme/customer.yaml": b"\xff\xfe broken"})
    bad = subprocess.run([exe, "check", broken], capture_output=True, text=True, env=env)
    assert bad.returncode == 1 and "file-encoding" in bad.stderr and "Traceback" not in bad.stderr
    piped = subprocess.run(f"'{exe}' list --repo '{EXAMPLES}' | head -1", shell=True, capture_output=True,
                           text=True, env=env)
    assert piped.stderr == ""


def test_show_a_project(cli):
    text = cli("show", "bj-huanwei/sweeper-renewal-2027", "--repo", EXAMPLES, "--lang", "en")
    assert text.code == 0 and text.err == ""
    lines = text.out.splitlines()
    assert lines[0] == "2027 年新能源洗扫车更新采购  (bj-huanwei/sweeper-renewal-2027)"
    assert "  budget          39,000,000" in lines
    assert "  王桑 财务总监 — finance 15% · opponent" in lines
    assert "  negotiation minutes: missing" in lines and "  project evaluation: done" in lines
    assert lines[-1] == "stage and next gate: crmctl status bj-huanwei/sweeper-renewal-2027"
    data = json.loads(cli("show", "bj-huanwei/sweeper-renewal-2027", "--repo", EXAMPLES, "--format", "json").out)
    assert [c["id"] for c in data["competitors"]] == ["yutong", "xcmg"]
    assert data["documents"]["visit_report"] == "present" and len(data["history"]) == 4
    missing = cli("show", "bj-huanwei/nope", "--repo", EXAMPLES, "--lang", "en")
    assert missing.code == 1
    assert missing.err == ("crmctl: customer bj-huanwei has no project `nope`\n"
                           "    see its projects: crmctl show bj-huanwei\n")


def test_a_folder_inside_a_repository_is_not_offered_a_nested_one(cli):
    result = cli("check", EXAMPLES / "customers/bj-huanwei", "--lang", "en")
    assert (result.code, result.out) == (1, "")
    assert result.err == (f"crmctl: {EXAMPLES / 'customers/bj-huanwei'} is inside the customer repository {EXAMPLES},"
                          " not its top\n"
                          f"    crmctl works on a whole repository: pass {EXAMPLES}\n")


def test_help_that_helps(cli):
    alone = cli()
    assert (alone.code, alone.err) == (0, "") and alone.out.startswith("Usage: crmctl [OPTIONS] COMMAND")
    assert cli("help", "check").out == cli("check", "--help").out != ""
    assert cli("help").out == alone.out
    assert cli("new").code == 0 and "customer" in cli("new").out
    typo = cli("chek", "--lang", "en")
    assert typo.code == 2 and typo.err.count("Did you mean") + typo.err.count("did you mean") == 1


def test_every_argument_of_every_command_says_what_it_takes():
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen", Path(__file__).resolve().parent.parent / "docs"
                                                  / "generate_cli_reference.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    from crmctl.cli import COMMANDS

    listed = gen.commands()
    assert {c[0] for c in listed if c} == set(COMMANDS)
    for args in listed:
        text = gen.help_text(args)
        if "Arguments:" not in text:
            continue
        block = text.split("Arguments:\n")[1].split("\n\n")[0]
        for line in block.splitlines():
            if line.startswith("  ") and not line.startswith("   "):
                name, _, help_ = line.strip().partition("  ")
                assert help_.strip() and not help_.strip().startswith("[required]"), (args, name)


def test_repo_and_lang_before_the_command(cli):
    before = cli("--repo", EXAMPLES, "--lang", "en", "list", "--format", "csv")
    after = cli("list", "--format", "csv", "--repo", EXAMPLES, "--lang", "en")
    assert before.code == 0 and before.out == after.out
    assert cli("--lang=en", f"--repo={EXAMPLES}", "show", "bj-huanwei").out == \
        cli("show", "bj-huanwei", "--repo", EXAMPLES, "--lang", "en").out


def test_shell_completion_of_ids_kinds_and_stages():
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("CRMCTL_")}, "_CRMCTL_COMPLETE": "complete_bash"}

    def complete(words: str, index: int) -> list[str]:
        result = subprocess.run([sys.executable, "-m", "crmctl"], cwd=EXAMPLES, capture_output=True, text=True,
                                env={**env, "COMP_WORDS": words, "COMP_CWORD": str(index)})
        return result.stdout.split()

    assert complete("crmctl show bj", 2) == ["bj-huanwei"]
    assert complete("crmctl advance bj-huanwei/", 2) == ["bj-huanwei/sweeper-renewal-2027"]
    assert complete("crmctl new contact h", 3) == ["hd-chengguan", "hebei-shuiwu"]
    assert complete("crmctl doc new x vis", 4) == ["visit_report"]
    assert complete("crmctl advance x --to co", 4) == ["commercial", "contract"]


def test_one_validated_set_of_formats_for_every_listing(cli):
    from tabulate import tabulate_formats

    from crmctl.cli.output import LISTING_FORMATS, TABULATE_FORMATS

    assert set(TABULATE_FORMATS) <= set(tabulate_formats)
    for command in (["list"], ["status"], ["classify"], ["score", "bj-huanwei"], ["fees", "--year", "2026"]):
        bad = cli(*command, "--repo", EXAMPLES, "--format", "xml", "--lang", "en")
        assert bad.code == 2 and bad.out == "" and "'xml' is not one of" in bad.err, command
        for fmt in LISTING_FORMATS:
            assert cli(*command, "--repo", EXAMPLES, "--format", fmt).code in (0, 1), (command, fmt)


def test_csv_for_scripts_tsv_and_csv_for_excel(cli):
    plain = cli("list", "--repo", EXAMPLES, "--tier", "A", "--format", "csv", "--lang", "zh-CN").out
    assert plain.splitlines()[:2] == ["id,name,category,kind,tier,market,channel,dealer,owner,region,fleet_size",
                                      "bj-huanwei,北京市环境卫生集团,government,institution,A,local,direct,,张明,北京,312"]
    excel = cli("list", "--repo", EXAMPLES, "--tier", "A", "--format", "excel-csv", "--lang", "zh-CN").out
    assert excel.startswith("\ufeff标识,名称,类别,类型/规模,级别,市场,渠道,经销商,负责人,区域,保有量\n")
    assert excel.splitlines()[1].startswith("bj-huanwei,北京市环境卫生集团,政府客户,")
    tsv = cli("list", "--repo", EXAMPLES, "--tier", "A", "--format", "tsv").out
    assert tsv.splitlines()[1].split("\t")[:3] == ["bj-huanwei", "北京市环境卫生集团", "government"]
    status = cli("status", "--repo", EXAMPLES, "--format", "csv", "--today", "2026-11-28").out.splitlines()
    assert {line.split(",")[4] for line in status[1:]} <= {"true", "false"}  # one spelling of booleans


def test_init_ends_with_the_next_commands_and_show_gives_each_projects_stage(cli, tmp_path):
    result = cli("init", tmp_path / "crm", "--lang", "en", "--crmctl-spec", "x")
    assert result.err.splitlines()[-5:] == [
        "next:",
        "  crmctl new customer 'FULL NAME' --category enterprise --market local --tier B --owner 'YOUR NAME' "
        f"--region REGION --repo {tmp_path / 'crm'}",
        f"  crmctl new contact CUSTOMER-ID 'NAME' --title TITLE --repo {tmp_path / 'crm'}",
        f"  crmctl check --repo {tmp_path / 'crm'}",
        f"  git init {tmp_path / 'crm'} && crmctl git-setup --repo {tmp_path / 'crm'}   # history, and merges of "
        "appended logs"]
    shown = cli("show", "hebei-shuiwu", "--repo", EXAMPLES, "--lang", "en").out.splitlines()
    assert "  suction-2027: 2027 年吸污车更新\uff08第一批\uff09  [Technical exchange and solution confirmed, open]  owner 孙浩  " \
           "expected close 2027-03-31" in shown
    zh = cli("show", "tj-hongyun-qingyun", "--repo", EXAMPLES, "--lang", "zh-CN").out
    assert "  muck-truck-2026：2026 年渣土车替换【客户维护，成交】" in zh


@pytest.mark.parametrize("args,error", [
    (("check", "--format", "xml"), "错误：'--format' / '-f' 的值无效：'xml' 不是可选值之一（'text'、'json'、'github'、'sarif'、'junit'）"),
    (("close", "x"), "错误：缺少选项 '--reason'"),
    (("new", "customer"), "错误：缺少参数 'NAME'"),
    (("check", "--frob"), "错误：没有选项 '--frob'（是否应为：'--repo'、'--jobs'？）"),
    (("advance", "x", "--date", "2026/3/5"), "错误：'--date' 的值无效：'2026/3/5' 不是 YYYY-MM-DD 格式的日期"),
    (("check", "-j", "0"), "错误：'--jobs' / '-j' 的值无效：'0' 超出范围（应 ≥ 1）"),
    (("chek",), "错误：没有命令 'chek'（是否应为：'check'、'schema'？）"),
    (("list", "extra"), "错误：多余的参数：extra"),
    (("doc", "new", "a/b", "bogus"), "错误：'KIND' 的值无效：'bogus' 不是可选值之一（'phone_invitation'、'visit_report'、"
                                     "'product_recommendation'、'exchange_minutes'、'negotiation_minutes'、'service_plan'、"
                                     "'evaluation'、'contract'、'order_assurance'、'delivery'）"),
    (("fees", "--year", "0"), "错误：'--year' 的值无效：'0' 超出范围（应 ≥ 1、≤ 9999）"),
    (("fees", "--year", "abc"), "错误：'--year' 的值无效：'abc' 不是整数"),
    (("new", "project", "a", "b", "--owner", "x", "--quantity", "三十"), "错误：'--quantity' 的值无效：'三十' 不是整数"),
])
def test_usage_errors_in_the_repositorys_language(cli, args, error):
    zh = cli(*args, "--repo", EXAMPLES)  # examples/ is a zh-CN repository
    assert zh.code == 2 and zh.out == ""
    assert zh.err.splitlines()[-1] == error
    assert zh.err.startswith("用法：crmctl")
    en = cli(*args, "--repo", EXAMPLES, "--lang", "en")
    assert en.code == 2 and en.err.splitlines()[-1].startswith("Error: ")


def test_new_words_bad_options_as_check_does_in_the_users_language(cli):
    zh = cli("new", "customer", "", "--category", "enterprise", "--market", "local", "--tier", "B", "--owner", "",
             "--region", "x", "--repo", EXAMPLES)
    assert (zh.code, zh.err) == (1, "crmctl: 客户无效：\n    name：不能为空\n    owner：不能为空\n    请更正选项后重新运行\n")
    en = cli("new", "contact", "bj-huanwei", "张三", "--phone", "12", "--repo", EXAMPLES, "--lang", "en")
    assert (en.code, en.err) == (1, "crmctl: invalid contact:\n    phone: too short: at least 3 characters\n"
                                    "    correct the option and run the command again\n")


def test_new_contact_says_the_id_it_chose(cli, tmp_path):
    root = write_repo(tmp_path, {"customers/acme/customer.yaml": CUSTOMER})
    result = cli("new", "contact", "acme", "李建", "--repo", root, "--lang", "en")
    assert (result.code, result.out) == (0, f"{root}/customers/acme/contacts.yaml\n")
    assert result.err == "crmctl: 李建's contact id is li-jian: documents and --reports-to name the person by it\n"
    result = cli("new", "contact", "acme", "张华", "--repo", root, "--lang", "zh-CN")
    assert result.err == "crmctl: 张华的联系人标识为 zhang-hua\uff1a文档和 --reports-to 以此指代此人\n"


def test_global_options_before_no_command_still_give_help(cli):
    alone = cli().out
    assert cli("--lang", "en", "--help").out == alone
    assert cli("--repo", str(EXAMPLES)).out == alone
    assert cli("--lang", "en", "help", "check").out == cli("check", "--help").out
    group = cli("doc", "--help").out
    assert group.startswith("Usage: crmctl doc") and cli("--lang", "en", "doc", "--help").out == group
    assert cli("--repo", str(EXAMPLES), "help", "doc").out == group
    assert cli("help", "help").out == alone


def test_a_select_or_ignore_that_matches_no_code_is_a_usage_error(cli):
    typo = cli("check", "--repo", EXAMPLES, "--lang", "en", "--select", "flag-cold-contac", "--select", "flg")
    assert (typo.code, typo.out) == (2, "")
    assert typo.err == ("crmctl: --select flg: no diagnostic code starts with it (did you mean `flag-`?)\n"
                        "    a code is the word after the severity in check's output, such as ref-unknown;"
                        " a prefix such as flag- takes them all\n")
    hidden = cli("check", "--repo", EXAMPLES, "--ignore", "warnings")
    assert hidden.code == 2 and hidden.err.startswith("crmctl: --ignore warnings：没有以此开头的诊断代码")
    assert cli("check", "--repo", EXAMPLES, "--select", "flag-").code == 0


def test_reports_to_a_near_miss_says_whom(cli, tmp_path):
    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root)
    result = cli("new", "contact", "bj-huanwei", "新人", "--reports-to", "zhang-hau", "--repo", root, "--lang", "en")
    assert (result.code, result.err.splitlines()[0]) == (
        1, "crmctl: --reports-to `zhang-hau`: no such contact in customers/bj-huanwei/contacts.yaml"
           " (did you mean `zhang-hua`?)")


def test_show_takes_a_project_id_alone_as_advance_and_status_do(cli):
    alone = cli("show", "sweeper-renewal-2027", "--repo", EXAMPLES, "--lang", "en")
    assert alone.code == 0
    assert alone.out == cli("show", "bj-huanwei/sweeper-renewal-2027", "--repo", EXAMPLES, "--lang", "en").out
    assert cli("show", "nothing-here", "--repo", EXAMPLES, "--lang", "en").err.startswith("crmctl: no customer `nothing-here`")


def test_new_says_the_ids_it_chose_and_people_get_their_names_pinyin(cli, tmp_path):
    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root)
    person = cli("new", "contact", "bj-huanwei", "单田芳", "--repo", root, "--lang", "en")
    assert person.err == "crmctl: 单田芳's contact id is shan-tianfang: documents and --reports-to name the person by it\n"
    assert cli("new", "contact", "bj-huanwei", "欧阳明", "--repo", root).err.startswith("crmctl: 欧阳明的联系人标识为 ouyang-ming：")
    customer = cli("new", "customer", "滨海城管委", "--category", "government", "--kind", "institution", "--market",
                   "local", "--tier", "B", "--owner", "张明", "--region", "天津", "--repo", root, "--lang", "en")
    assert customer.err == ("crmctl: 滨海城管委's customer id is bin-hai-cheng-guan-wei: every command names the customer"
                            " by it (--id chooses another)\n")
    project = cli("new", "project", "bin-hai-cheng-guan-wei", "洗扫车", "--owner", "王磊", "--repo", root)
    assert project.err == "crmctl: 项目标识为 bin-hai-cheng-guan-wei/xi-sao-che（可用 --id 另行指定）\n"
    assert cli("new", "project", "bin-hai-cheng-guan-wei", "吸污车", "--owner", "王磊", "--id", "suction",
               "--repo", root).err == ""


def test_attacks_on_the_command_line_are_refused_cleanly(cli, tmp_path):
    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root)
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    # a repository inside a customer's folder of another
    nested = cli("init", root / "customers/bj-huanwei", "--lang", "en")
    assert (nested.code, nested.err) == (1, f"crmctl: {root / 'customers/bj-huanwei'} is inside the customer "
                                            f"repository {root}\n    start a repository outside it, or add customers "
                                            "to that one: crmctl new customer\n")
    # a newline typed into a value stays on its line, in Chinese as in English
    assert cli("list", "--tier", "A\nB", "--repo", root).err.splitlines()[-1] == \
        "错误：'--tier' 的值无效：'A\\nB' 不是可选值之一（'A'、'B'、'C'）"
    assert cli("list", "x\ny", "--repo", root).err.splitlines()[-1] == "错误：多余的参数：x\\ny"
    assert cli("check", "--strict=yes", "--repo", root).err.splitlines()[-1] == "错误：选项 '--strict' 不接受值"
    # spaces around a name do not make a second record
    again = cli("new", "project", "bj-huanwei", " 2027 年新能源洗扫车更新采购 ", "--owner", "王磊", "--repo", root)
    assert again.code == 1 and "已存在" in again.err
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
    # a superior by name
    assert cli("new", "contact", "bj-huanwei", "新人甲", "--reports-to", "李阳", "--repo", root).code == 0
    assert "    reports_to: li-yang\n" in (root / "customers/bj-huanwei/contacts.yaml").read_text(encoding="utf-8")


def test_a_broken_competition_file_is_one_error_not_every_competitor_unknown(cli, tmp_path):
    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root)
    path = root / "customers/bj-huanwei/projects/sweeper-renewal-2027/competition.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  price: 1350000", "  price: .nan"), encoding="utf-8")
    errors = [line for line in cli("check", root, "--today", "2026-11-29", "--lang", "en").err.splitlines()
              if ": error " in line]
    assert len(errors) == 1 and errors[0].startswith(
        "customers/bj-huanwei/projects/sweeper-renewal-2027/competition.yaml:6:10: error schema-value")


def test_score_and_map_do_not_judge_by_a_broken_crm_yaml(cli, tmp_path):
    root = tmp_path / "examples"
    shutil.copytree(EXAMPLES, root)
    config = root / "crm.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("customer_relationship: 20", "customer_relationship: 90"),
                      encoding="utf-8")
    for command in ("score", "map", "advance"):
        result = cli(command, "bj-huanwei", "--repo", root, "--lang", "en")
        assert result.code == 1 and result.out == "", command
        assert "crm.yaml:27:5: evaluation.weights: weights must sum to 100, they sum to 170" in result.err, command


def test_an_unknown_lang_is_said_in_the_repositorys_language(cli):
    result = cli("list", "--repo", EXAMPLES, "--lang", "fr")
    assert (result.code, result.err) == (2, "crmctl: --lang fr：不支持该语言\n    可用 zh-CN 或 en\n")


def test_an_unknown_language_from_the_environment_is_named_as_such(cli, monkeypatch):
    monkeypatch.setenv("CRMCTL_LANG", "fr")
    result = cli("list", "--repo", EXAMPLES)
    assert (result.code, result.err) == (2, "crmctl: CRMCTL_LANG=fr：不支持该语言\n    可用 zh-CN 或 en\n")


def test_a_progress_bar_only_on_a_terminal_after_two_seconds_and_never_in_ci(monkeypatch):
    import io
    import sys
    import time

    from crmctl.cli.output import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    clock = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    shown = Terminal()
    monkeypatch.setattr(sys, "stderr", shown)
    bar = Progress("checking customers")
    bar(10, 100)  # at once: a short run shows nothing
    assert shown.getvalue() == ""
    clock[0] += 2.5
    bar(50, 100)
    bar.close()
    assert shown.getvalue() == f"\rchecking customers [{'#' * 15}{'.' * 15}] 50/100\x1b[K\r\x1b[K"
    for env, stream in (({"CI": "true"}, Terminal()), ({}, io.StringIO())):  # in CI, or into a pipe or a file
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(sys, "stderr", stream)
        quiet = Progress("checking customers")
        clock[0] += 10
        quiet(1, 2)
        assert stream.getvalue() == ""


def test_a_full_disk_under_the_output_is_a_user_error_not_a_bug(tmp_path):
    import os
    import subprocess
    import sys

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        run = subprocess.run([sys.executable, "-m", "crmctl", "check", str(EXAMPLES), "--format", "github",
                              "--lang", "en", "--today", "2026-11-29"], stdout=full, stderr=subprocess.PIPE, text=True)
    assert run.returncode == 1
    assert run.stderr.startswith("crmctl: cannot write the output (stdout): No space left on device\n")


def test_init_s_next_steps_name_a_dash_folder_so_git_does_not_take_it_for_an_option(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("init", "--lang", "en", "--crmctl-spec", "x", "--", "-rf")
    assert result.code == 0
    assert result.err.splitlines()[-1].startswith("  git init ./-rf && crmctl git-setup --repo -rf ")
