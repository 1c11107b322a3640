"""Templates are contained: a repository's own broken template is reported at its path:line
(exit 1, nothing written), rendering is bounded in time and size, and a value is data."""

from __future__ import annotations

import time

import pytest

from conftest import CUSTOMER, write_repo

PROJECT_YAML = "name: 项目\nowner: 王磊\nopened: 2026-08-01\n"
TEMPLATE = "templates/documents/en/visit_report.md.j2"
HINT = "    fix the repository's template (or remove it to use crmctl's own), then run the command again\n"


@pytest.fixture
def repo(tmp_path):
    return write_repo(tmp_path / "repo", {"customers/acme/customer.yaml": CUSTOMER,
                                          "customers/acme/projects/p1/project.yaml": PROJECT_YAML})


def doc_new(cli, repo, lang="en"):
    return cli("doc", "new", "acme/p1", "visit_report", "--repo", repo, "--lang", lang)


@pytest.mark.parametrize("source,message", [
    ("---\nkind: visit_report\n---\n\n{% frobnicate %}\n", f"{TEMPLATE}:5: the template cannot be rendered: "
     "Encountered unknown tag 'frobnicate'."),
    ("---\nkind: visit_report\n---\n\n{{ nosuchname }}\n", f"{TEMPLATE}:5: the template cannot be rendered: "
     "'nosuchname' is undefined"),
    ("---\nkind: visit_report\n---\n{% include 'parts/header.md' %}\n", f"{TEMPLATE}:4: the template cannot be "
     "rendered: template `parts/header.md` not found"),
    ("---\nkind: visit_report\n---\n{{ project.__class__.__mro__ }}\n", f"{TEMPLATE}:4: the template cannot be "
     "rendered: access to attribute '__class__' of 'Project' object is unsafe."),
    ("---\nkind: visit_report\n---\n{{ 1 / 0 }}\n", f"{TEMPLATE}:4: the template cannot be rendered: "
     "division by zero"),
])
def test_a_broken_repository_template_is_located(cli, repo, source, message):
    (repo / TEMPLATE).parent.mkdir(parents=True)
    (repo / TEMPLATE).write_text(source)
    result = doc_new(cli, repo)
    assert (result.code, result.out, result.err) == (1, "", f"crmctl: {message}\n{HINT}")
    assert not (repo / "customers/acme/projects/p1/visit_report.md").exists()


def test_an_error_in_an_included_template_points_at_it(cli, repo):
    (repo / "templates/documents/en").mkdir(parents=True)
    (repo / TEMPLATE).write_text("---\nkind: visit_report\n---\n{% include 'part.md' %}\n")
    (repo / "templates/part.md").write_text("fine\n{{ project.nosuch.deeper }}\n")
    result = doc_new(cli, repo)
    assert result.err.startswith("crmctl: templates/part.md:2: the template cannot be rendered: ")


def test_located_in_chinese_too(cli, repo):
    (repo / TEMPLATE.replace("/en/", "/zh-CN/")).parent.mkdir(parents=True)
    (repo / TEMPLATE.replace("/en/", "/zh-CN/")).write_text("---\nkind: visit_report\n---\n{{ 没有 }}\n")
    (repo / "crm.yaml").write_text("format: 1\nlanguage: zh-CN\n", encoding="utf-8")  # its documents are in Chinese
    result = doc_new(cli, repo, "zh-CN")
    assert result.code == 1
    assert result.err.startswith("crmctl: templates/documents/zh-CN/visit_report.md.j2:4：模板无法渲染：")
    assert result.err.endswith("    请修正仓库中的模板（或删除它以使用 crmctl 自带的模板），然后重新运行命令\n")


@pytest.mark.parametrize("body,why", [
    ("{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}", "took longer than 0.5 s"),
    ("{% set l = range(100000)|list %}{% for a in l %}{% for b in l %}{% endfor %}{% endfor %}",
     "took longer than 0.5 s"),
    ("{% for a in range(100000) %}{% for b in range(100) %}xxxxxxxxxx{% endfor %}{% endfor %}",
     "wrote more than 4,194,304 characters"),
    ("{{ 'x' * 10**9 }}", "repeating 1 items 1000000000 times is too large"),
    ("{{ 2 ** 100000 }}", "`2 ** 100000` is too large a number"),
    ("{{ 'x' | center(10**9) }}", "the `center` filter would write 1,000,000,000 characters"),
    ("{{ ('x' * 1000) | replace('', 'y' * 10000) }}", "the `replace` filter would write 10,011,000 characters"),
])
def test_rendering_is_bounded_in_time_and_size(cli, repo, monkeypatch, body, why):
    from crmctl.files import render

    monkeypatch.setattr(render, "MAX_SECONDS", 0.5)  # 5 s in use; the test need not wait so long
    (repo / TEMPLATE).parent.mkdir(parents=True)
    (repo / TEMPLATE).write_text("---\nkind: visit_report\n---\n" + body + "\n")
    started = time.monotonic()
    result = doc_new(cli, repo)
    assert time.monotonic() - started < 5
    assert result.code == 1
    assert result.err.startswith(f"crmctl: {TEMPLATE}")
    assert f"the template cannot be rendered: rendering stopped: it {why}\n" in result.err


def test_a_template_that_writes_no_front_matter_is_named(cli, repo):
    (repo / TEMPLATE).parent.mkdir(parents=True)
    (repo / TEMPLATE).write_text("just text\n")
    result = doc_new(cli, repo)
    assert result.code == 1
    assert result.err == ("crmctl: the template for visit_report does not give a document with front matter "
                          "`kind: visit_report`\n"
                          "    fix the template in the repository's templates/ folder\n")


@pytest.mark.parametrize("name", ["项目\nhandler: li-yang", "x\r\nkind: other", "a\u2028b: c", "'\"{[&*!|>%@`"])
def test_a_name_is_data_in_a_rendered_document(cli, repo, name):
    text = (repo / "customers/acme/projects/p1/project.yaml").read_text()
    from crmctl.files.render import yaml_str

    (repo / "customers/acme/projects/p1/project.yaml").write_text(text.replace("name: 项目", f"name: {yaml_str(name)}"))
    (repo / TEMPLATE).parent.mkdir(parents=True)
    (repo / TEMPLATE).write_text("---\nkind: visit_report\ntitle: {{ project.name }}\nowner: {{ project.name | "
                                 "yaml_str }}\nhandler: «who»\n---\n# {{ project.name }}\n")
    result = doc_new(cli, repo)
    assert result.code in (0, 1), result.err
    if result.code == 0:
        from crmctl.files.documents import split_front_matter
        from crmctl.files.yamlio import parse_yaml
        from crmctl.messages import Messages

        written = (repo / "customers/acme/projects/p1/visit_report.md").read_text()
        front = parse_yaml(split_front_matter(written)[0], "f", Messages("en")).data
        assert set(front) == {"kind", "title", "owner", "handler"} and front["kind"] == "visit_report"
        assert front["owner"] == name and front["handler"] == "«who»"
    else:
        assert "Traceback" not in result.err


def test_an_oversized_template_is_not_read(cli, repo):
    (repo / TEMPLATE).parent.mkdir(parents=True)
    (repo / TEMPLATE).write_text("---\nkind: visit_report\n---\n" + "x" * (1024 * 1024) + "\n")
    result = doc_new(cli, repo)
    assert (result.code, result.err) == (1, f"crmctl: {TEMPLATE}: the template cannot be rendered: it is larger "
                                            f"than 1024 KiB; no template needs that much\n{HINT}")


@pytest.mark.parametrize("body,why", [
    ('{{ "%*d"|format(999999999, 1) }}', "the format `%*d` asks for a width of *"),
    ('{{ "%.999999999f"|format(1) }}', "the format `%.999999999f` asks for a width of 999999999"),
    ('{{ "{:>3000000000}".format(1) }}', "the format `{:>3000000000}` asks for a width of 3000000000"),
    ('{{ "{:{}}".format(1, 999999999) }}', "a format with nested `{…}` fields"),
])
def test_formats_cannot_build_a_huge_text(cli, repo, body, why):
    (repo / TEMPLATE).parent.mkdir(parents=True)
    (repo / TEMPLATE).write_text("---\nkind: visit_report\n---\n" + body + "\n")
    result = doc_new(cli, repo)
    assert result.code == 1
    assert f"the template cannot be rendered: rendering stopped: it {why}" in result.err


def test_a_number_too_long_for_python_is_the_templates_fault(cli, repo):
    (repo / TEMPLATE).parent.mkdir(parents=True)
    (repo / TEMPLATE).write_text("---\nkind: visit_report\n---\n{{ " + "9" * 5000 + " }}\n")
    result = doc_new(cli, repo)
    assert result.code == 1 and result.err.startswith(f"crmctl: {TEMPLATE}: the template cannot be rendered: ")
