"""What users install, not this checkout: the wheel, built from the files git tracks,
installed in a fresh virtual environment and run on a copy of examples/.

`make install` is editable, which once hid a wheel that missed a package and broke
every normal install. This test builds the wheel as `pip install git+URL` would (from
the tracked files only), installs it with no access to the source tree, and runs the
commands from the new environment's own `crmctl` script.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tracked_files() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the wheel is built from the files git tracks")
    return [name for name in out.decode().split("\0") if name]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """crmctl's wheel, built from a copy of the files git tracks."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    for name in _tracked_files():
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(base / "wheels"), str(source)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    assert "warning" not in build.stderr.lower().replace("byte-compiling is disabled", ""), build.stderr
    (built,) = (base / "wheels").glob("crmctl-*.whl")
    return built


def fresh_environment(env_dir: Path, wheel: Path, *first: str) -> Path:
    """A new virtual environment holding ``first`` (requirements from the package index) and
    crmctl from ``wheel``; the rest of crmctl's dependencies come from this environment, after
    the fresh one's own packages (a path line in a .pth file, so this environment's editable
    crmctl is not picked up). Returns its bin/ folder."""
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--disable-pip-version-check"]
    if first:
        fetched = subprocess.run([*pip, *first], capture_output=True, text=True)
        if fetched.returncode != 0:
            pytest.skip(f"cannot install {' '.join(first)} here: {fetched.stderr.strip()[-300:]}")
    install = subprocess.run([*pip, "--no-deps", str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory, wheel) -> Path:
    """A fresh environment's bin/ folder, holding crmctl installed from its wheel."""
    return fresh_environment(tmp_path_factory.mktemp("install") / "venv", wheel)


def _run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRMCTL_", "PYTHON"))}
    env["CRMCTL_USER"] = "赵立新"
    return subprocess.run([str(bin_dir / "crmctl"), *args], cwd=cwd, capture_output=True, text=True, env=env,
                          timeout=120)


def test_the_wheel_holds_every_package_and_template(installed, tmp_path):
    where = subprocess.run([str(installed / "python"), "-c",
                            "import crmctl, crmctl.files.render as r; print(crmctl.__file__); "
                            "print(r.builtin_templates())"], capture_output=True, text=True, cwd=tmp_path)
    module, templates = where.stdout.split()
    assert Path(module).is_relative_to(installed.parent), "crmctl must come from the fresh environment"
    assert not Path(module).is_relative_to(ROOT)
    shipped = {p.relative_to(templates).as_posix() for p in Path(templates).rglob("*.j2")}
    expected = {p.relative_to(ROOT / "templates").as_posix() for p in (ROOT / "templates").rglob("*.j2")}
    assert shipped == expected
    packages = {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "crmctl").rglob("__init__.py")}
    assert all((Path(module).parent.parent / package / "__init__.py").is_file() for package in packages)


def test_commands_run_from_the_installed_wheel(installed, tmp_path):
    repo = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", repo)
    today = ("--today", "2026-11-28")
    for args, code in [
        (("--version",), 0),
        (("check", str(repo), *today), 0),
        (("list", "--repo", str(repo), "--format", "json"), 0),
        (("show", "bj-huanwei", "--repo", str(repo)), 0),
        (("show", "bj-huanwei/sweeper-renewal-2027", "--repo", str(repo), "--lang", "en"), 0),
        (("status", "--repo", str(repo), *today), 0),
        (("classify", "--repo", str(repo)), 0),
        (("map", "bj-huanwei", "--repo", str(repo), "--format", "dot", *today), 0),
        (("score", "bj-huanwei", "--repo", str(repo)), 0),
        (("fees", "--year", "2026", "--repo", str(repo)), 0),
        (("new", "customer", "安装测试客户", "--category", "enterprise", "--market", "local", "--tier", "C",
          "--owner", "张明", "--region", "北京", "--repo", str(repo)), 0),
        (("new", "contact", "bj-huanwei", "安装测试", "--repo", str(repo)), 0),
        (("new", "project", "bj-huanwei", "安装测试项目", "--owner", "王磊", "--id", "install-test",
          "--repo", str(repo)), 0),
        (("doc", "new", "bj-huanwei/install-test", "phone_invitation", "--repo", str(repo)), 0),
        (("advance", "bj-huanwei/install-test", "--repo", str(repo)), 1),  # the document is still a draft
        (("frobnicate",), 2),
    ]:
        result = _run(installed, *args, cwd=tmp_path)
        assert result.returncode == code, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr, (args, result.stderr)
    assert "a bug in crmctl" not in _run(installed, "check", str(repo), cwd=tmp_path).stderr


def test_init_from_the_installed_wheel_gives_a_repository_that_checks(installed, tmp_path):
    result = _run(installed, "init", "crm", "--lang", "en", "--crmctl-spec",
                  "crmctl @ git+https://git.example.com/tools/crmctl.git@v0.1.0", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _run(installed, "check", "crm", cwd=tmp_path).returncode == 0
    workflow = (tmp_path / "crm/.github/workflows/crmctl.yml").read_text()
    assert "CRMCTL_SPEC: crmctl @ git+https://git.example.com/tools/crmctl.git@v0.1.0" in workflow


def _lowest(requirement: str) -> str:
    """``typer>=0.19,<0.26`` -> ``typer==0.19``: the oldest release the pin allows."""
    import tomllib

    for spec in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]:
        name, _, bounds = spec.partition(">=")
        if name == requirement:
            return f"{name}=={bounds.split(',')[0].strip()}"
    raise AssertionError(f"{requirement} has no lower bound")


def test_usage_errors_exit_2_with_the_oldest_typer_and_click_the_pin_allows(tmp_path, wheel):
    """typer below 0.19 cannot parse crmctl's choices (Literal) at all; the pin must not allow it."""
    bin_dir = fresh_environment(tmp_path / "venv", wheel, _lowest("typer"), _lowest("click"))
    versions = subprocess.run([str(bin_dir / "python"), "-c", "import typer, click; print(typer.__version__, "
                               "click.__version__)"], capture_output=True, text=True).stdout.split()
    def release(version: str) -> tuple[int, ...]:
        parts = [int(x) for x in version.split(".")]
        while parts and parts[-1] == 0:
            parts.pop()
        return tuple(parts)

    assert [release(v) for v in versions] == [release(_lowest(n).split("==")[1]) for n in ("typer", "click")]
    repo = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", repo)
    for args, code in [(("check", "--format", "xml"), 2), (("frobnicate",), 2), (("new", "customer"), 2),
                       (("check", str(repo), "--today", "2026-11-28"), 0), (("show", "bj-huanwei/..", "--repo",
                                                                              str(repo)), 1)]:
        result = _run(bin_dir, *args, cwd=tmp_path)
        assert result.returncode == code, (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_every_third_party_import_is_a_declared_dependency():
    """The fresh environment above borrows this one's packages; this keeps the wheel's own
    dependency list honest."""
    import tomllib
    from importlib.metadata import packages_distributions

    declared = set()
    for requirement in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]:
        name = requirement.split(";")[0].split("[")[0]
        for sep in "<>=!~ ":
            name = name.split(sep)[0]
        declared.add(name.lower().replace("_", "-"))
    owners = packages_distributions()
    stdlib = sys.stdlib_module_names
    imported = set()
    for path in (ROOT / "crmctl").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else []
            imported |= {n.split(".")[0] for n in names}
    # pydantic_core comes with pydantic, which pins its exact version
    third_party = {m for m in imported if m not in stdlib and m not in ("crmctl", "pydantic_core")}
    missing = {m for m in third_party if not {d.lower().replace("_", "-") for d in owners.get(m, [m])} & declared}
    assert missing == set()


def test_no_posix_only_module_is_imported():
    """crmctl installs and runs on Windows too: fcntl, pwd, grp, termios and resource are POSIX only."""
    posix_only = {"fcntl", "pwd", "grp", "termios", "resource"}
    found = set()
    for path in (ROOT / "crmctl").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {(path.name, a.name) for a in node.names if a.name in posix_only}
            elif isinstance(node, ast.ImportFrom) and node.module in posix_only:
                found.add((path.name, node.module))
    assert found == set()


def test_workflow_that_init_writes_is_read_only_bounded_and_pinned(tmp_path):
    from crmctl.files.scaffold import init_repository
    from crmctl.files.yamlio import read_yaml
    from crmctl.messages import Messages

    init_repository(tmp_path, Messages("en"), crmctl_spec="crmctl @ git+https://host/crmctl.git@abc123")
    workflow = read_yaml(tmp_path / ".github/workflows/crmctl.yml", "w", Messages("en")).data
    assert workflow["permissions"] == {"contents": "read"}
    assert set(workflow["on"]) == {"push", "pull_request"}
    assert workflow["on"]["push"] == {"branches": ["main", "master"]}  # a pull request's pushes run once
    job = workflow["jobs"]["check"]
    assert job["timeout-minutes"] == 10
    assert job["env"] == {"CRMCTL_SPEC": "crmctl @ git+https://host/crmctl.git@abc123"}
    runs = [s.get("run", "") for s in job["steps"]]
    assert 'crmctl check --format github --lang en ${CRMCTL_BASE:+--changed-since "origin/$CRMCTL_BASE...HEAD"}' in runs
    # the dashboard is published as the run's artifact, from outside the checked-out repository
    assert runs[-2] == 'crmctl report summary --format html --lang en -o "$RUNNER_TEMP/dashboard.html"'
    assert job["steps"][-1]["uses"] == "actions/upload-artifact@v4"
    assert job["steps"][-1]["with"]["path"] == "${{ runner.temp }}/dashboard.html"
    assert ".crmctl.lock" in (tmp_path / ".gitignore").read_text().splitlines()


def test_install_spec_is_pinned_to_where_crmctl_came_from(monkeypatch):
    from importlib import metadata

    from crmctl import __version__
    from crmctl.files.scaffold import install_spec

    class Dist:
        def __init__(self, direct_url):
            self.direct_url = direct_url

        def read_text(self, name):
            return None if self.direct_url is None else json.dumps(self.direct_url)

    for direct_url, spec in [
        ({"url": "https://git.example.com/crmctl.git", "vcs_info": {"vcs": "git", "commit_id": "abc123"}},
         "crmctl @ git+https://git.example.com/crmctl.git@abc123"),
        ({"url": "https://files.example.com/crmctl-0.1.0.tar.gz", "archive_info": {}},
         "crmctl @ https://files.example.com/crmctl-0.1.0.tar.gz"),
        ({"url": "file:///home/me/crmctl", "dir_info": {"editable": True}}, ""),  # CI cannot reach it
        (None, f"crmctl=={__version__}"),  # from a package index
    ]:
        monkeypatch.setattr(metadata, "distribution", lambda name, d=direct_url: Dist(d))
        assert install_spec() == spec


def test_the_examples_ci_files_are_what_init_writes():
    from crmctl.files import newfiles
    from crmctl.messages import Messages

    m = Messages("zh-CN")
    spec = "crmctl @ git+https://git.example.com/sales/crmctl.git@v0.1.0"
    assert (ROOT / "examples/.github/workflows/crmctl.yml").read_text(encoding="utf-8") == \
        newfiles.workflow_file(spec, "zh-CN", m)
    assert (ROOT / "examples/.pre-commit-config.yaml").read_text(encoding="utf-8") == newfiles.pre_commit_file(m)
    assert (ROOT / "examples/.gitlab-ci.yml").read_text(encoding="utf-8") == newfiles.gitlab_file(spec, "zh-CN", m)
    assert (ROOT / "examples/.gitattributes").read_text(encoding="utf-8") == newfiles.gitattributes_file(m)


def test_the_ci_files_init_writes_run_as_written(installed, tmp_path):
    """Each command of the GitHub workflow and the GitLab job, run by a shell as the runner would
    (the install step aside: the wheel is installed already), on a repository with a problem: the
    annotations land on the line, GitLab's JUnit report is where its artifact says, the dashboard
    is written for the artifact upload."""
    import yaml

    result = _run(installed, "init", "crm", "--lang", "en", "--crmctl-spec", "crmctl==0.1.0", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    repo = tmp_path / "crm"
    (repo / "customers/acme").mkdir()
    (repo / "customers/acme/customer.yaml").write_text(
        "name: 测试客户\ncategory: enterprise\nmarket: local\ntier: Z\nchannel: direct\nowner: 张明\nregion: 北京\n", encoding="utf-8")
    env = {**os.environ, "PATH": f"{installed}{os.pathsep}{os.environ['PATH']}", "RUNNER_TEMP": str(tmp_path)}

    def shell(command: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", "-e", "-c", command], cwd=repo, env={**env, **extra}, capture_output=True,
                              text=True, timeout=120)

    job = yaml.safe_load((repo / ".gitlab-ci.yml").read_text(encoding="utf-8"))["crmctl-check"]
    assert shell(job["before_script"][0], **job["variables"]).returncode == 0
    assert shell(job["before_script"][0], CRMCTL_SPEC="").returncode == 1  # an unset spec stops the job
    (script,) = job["script"]
    ran = shell(script, **job["variables"])
    assert ran.returncode == 1, ran.stderr  # the job fails on the error, and the report is still there
    report = repo / job["artifacts"]["reports"]["junit"]
    assert job["artifacts"]["when"] == "always"
    assert 'name="4:7 schema-value"' in report.read_text(encoding="utf-8")

    job = yaml.safe_load((repo / ".github/workflows/crmctl.yml").read_text(encoding="utf-8"))["jobs"]["check"]
    steps = [s for s in job["steps"] if "run" in s and not s["run"].startswith("pip install")]
    # a push: every customer
    outputs = [shell(s["run"], **job["env"]) for s in steps[1:]]  # the first stops a run without CRMCTL_SPEC
    assert outputs[0].returncode == 1
    assert outputs[0].stdout.startswith("::error file=customers/acme/customer.yaml,line=4,col=7,title=schema-value::")
    assert "customers/acme/customer.yaml:4:7: error schema-value" in outputs[0].stderr  # the log shows all
    assert (tmp_path / "dashboard.html").is_file()  # written despite the error (which report names too)
    # a pull request into main: the customers it changes, against the branch it goes into
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "base"],
                 ["update-ref", "refs/remotes/origin/main", "HEAD"]):
        assert subprocess.run([*git, *args], cwd=repo, capture_output=True).returncode == 0
    (repo / "customers/beta").mkdir()
    (repo / "customers/beta/customer.yaml").write_text("name: 新客户\n", encoding="utf-8")
    for args in (["add", "-A"], ["commit", "-qm", "a new customer"]):  # the pull request's commit
        assert subprocess.run([*git, *args], cwd=repo, capture_output=True).returncode == 0
    pull = shell(steps[1]["run"], **job["env"], CRMCTL_BASE="main")
    assert pull.returncode == 1
    assert {line.split(",")[0] for line in pull.stdout.splitlines()} == {"::error file=customers/beta/customer.yaml"}
