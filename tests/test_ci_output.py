"""check's output for CI: GitHub workflow commands that land on the changed line."""

from __future__ import annotations

from conftest import CUSTOMER, write_repo


def test_github_annotations_name_the_file_line_and_column(cli, tmp_path):
    repo = write_repo(tmp_path / "repo", {
        "customers/acme/customer.yaml": CUSTOMER.replace("tier: B", "tier: Z"),
        "customers/a,b:c/customer.yaml": CUSTOMER,  # a folder name GitHub's syntax must not read as separators
        "customers/nofile/contacts.yaml": "contacts: []\n",
    })
    result = cli("check", repo, "--format", "github", "--lang", "en")
    assert result.code == 1
    lines = result.out.splitlines()
    assert "::error file=customers/acme/customer.yaml,line=4,col=7,title=schema-value::" \
           "tier: the text `Z` is not one of the allowed values%0Ause one of: A, B, C" in lines, lines
    # a problem of a whole file names no line; `,` and `:` in a path are escaped
    assert any(line.startswith("::error file=customers/nofile/customer.yaml,title=file-missing::") for line in lines)
    assert any(line.startswith("::error file=customers/a%2Cb%3Ac,title=id-invalid::") for line in lines)
    assert result.err.startswith("checked 3 customers")
    warned = cli("check", repo, "--format", "github", "--lang", "en", "--select", "class")
    assert all(line.startswith("::warning ") for line in warned.out.splitlines())


def test_a_message_cannot_forge_a_workflow_command(cli, tmp_path):
    repo = write_repo(tmp_path / "repo", {
        "customers/acme/customer.yaml": CUSTOMER + "kind: \"x\\n::error file=forged::boom 100%\"\n"})
    out = cli("check", repo, "--format", "github", "--lang", "en").out
    assert all(line.startswith(("::error file=customers/acme/", "::warning file=customers/acme/"))
               for line in out.splitlines()), out
    assert "boom 100%25" in out  # a `%` is escaped, as the workflow syntax wants
