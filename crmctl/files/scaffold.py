"""``init``, ``new`` and ``log``: writing new records that are valid from the start.

Each function checks its input with the same models ``check`` uses, builds the
file's text through the YAML dumper (``crmctl.files.newfiles``: values are data,
never text pasted into a template), parses it back to prove it is valid, and
only then writes it through the repository's one :class:`~crmctl.files.storage.Writer`:
atomically, under the lock, a new record's folder whole or not at all, and never
over an existing record.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from crmctl.errors import UserError
from crmctl.files import boundary, layout, newfiles, storage
from crmctl.ids import is_valid_id, person_slug, slugify, unique_id
from crmctl.messages import Messages


@dataclass(frozen=True)
class Written:
    """What a command wrote, relative to the repository root, and what its user should know."""

    root: Path
    paths: tuple[str, ...]
    id: str = ""
    notes: tuple[str, ...] = ()


def _validate(model: type, data: dict[str, Any], messages: Messages, what: str) -> Any:
    """``data`` (from the command's options) as ``model``; its problems worded as ``check`` words
    them, in the user's language (one detail line each), never pydantic's English."""
    from crmctl.files.edit import dump_block
    from crmctl.files.validate import validate_document
    from crmctl.files.yamlio import parse_yaml

    given = {k: v for k, v in data.items() if v is not None}
    model_value, problems = validate_document(model, parse_yaml(dump_block(given), "<options>", messages), messages)
    if model_value is not None:
        return model_value
    m = messages
    raise UserError(m.pick(f"invalid {what}:", f"{what}无效："),
                    m.pick("correct the option and run the command again", "请更正选项后重新运行"),
                    tuple(d.message for d in problems))


def _problems(text: str, kind: layout.FileKind, rel: str, messages: Messages) -> list:
    """What ``check`` would say of ``text`` as the file ``rel``."""
    from crmctl.files.validate import validate_document
    from crmctl.files.yamlio import parse_yaml

    doc = parse_yaml(text, rel, messages)
    _, found = validate_document(kind.model(), doc, messages)
    return doc.diagnostics + found


def _check_valid(text: str, kind: layout.FileKind, rel: str, messages: Messages) -> None:
    """A file crmctl generated reads back without a single diagnostic; otherwise crmctl
    has a bug (the values were validated before), and nothing is written."""
    found = _problems(text, kind, rel, messages)
    if found:
        raise AssertionError(f"{rel} as generated is invalid:\n" + "\n".join(d.format() for d in found))


def _exists(messages: Messages, what: str, ident: str, rel: str) -> UserError:
    return UserError(messages.pick(f"{what} `{ident}` already exists ({rel}); crmctl never overwrites a record",
                                   f"{what} `{ident}` 已存在（{rel}）；crmctl 不会覆盖已有记录"),
                     messages.pick("choose another id with --id, or edit the existing files",
                                   "请用 --id 指定其他标识，或直接编辑现有文件"))


def _id_for(name: str, given: str | None, taken: set[str], messages: Messages, what: str,
            slug: Callable[[str], str] = slugify) -> str:
    if given is not None:
        if not is_valid_id(given):
            raise UserError(messages.pick(f"`{given}` is not a valid {what} id", f"`{given}` 不是有效的{what}标识"),
                            messages.pick("ids are lowercase letters, digits and single hyphens, e.g. bj-huanwei",
                                          "标识由小写字母、数字和单个连字符组成，例如 bj-huanwei"))
        return given
    if not name:
        raise UserError(messages.pick("the name is empty", "名称为空"),
                        messages.pick("write the name in quotes, e.g. \"李建\"", "请写出名称，例如 \"李建\""))
    base = slug(name)
    if not base:
        raise UserError(messages.pick(f"cannot derive an id from the name `{name}`", f"无法从名称 `{name}` 生成标识"),
                        messages.pick("give one with --id", "请用 --id 指定"))
    return unique_id(base, taken)


def install_spec() -> str:
    """How CI can pip-install the crmctl that is running, pinned: its git URL at the very
    commit, an archive URL, or ``crmctl==VERSION`` when it came from a package index (a
    team's own). '' when it came from a local folder or file, which CI cannot reach."""
    from importlib import metadata

    from crmctl import __version__

    try:
        dist = metadata.distribution("crmctl")
    except metadata.PackageNotFoundError:
        return ""
    raw = dist.read_text("direct_url.json")
    if not raw:
        return f"crmctl=={__version__}"
    try:
        info = json.loads(raw)
    except ValueError:
        return ""
    url = info.get("url", "") if isinstance(info, dict) else ""
    vcs = info.get("vcs_info") if isinstance(info, dict) else None
    if url.startswith("file:") or not url:
        return ""
    if isinstance(vcs, dict) and vcs.get("commit_id"):
        return f"crmctl @ {vcs.get('vcs', 'git')}+{url}@{vcs['commit_id']}"
    return f"crmctl @ {url}"


GITIGNORE = ".gitignore"
GITATTRIBUTES = ".gitattributes"


def init_repository(target: Path, messages: Messages, *, company: str | None = None,
                    crmctl_spec: str | None = None) -> Written:
    """A new customer repository: crm.yaml, customers/, schemas/, CI and pre-commit
    configurations, and the lock file in .gitignore. Files the team already has stay theirs."""
    m = messages
    enclosing = next((folder for folder in target.resolve().parents if (folder / layout.CONFIG_FILE).is_file()), None)
    if enclosing is not None:  # a repository in a customer's folder would be checked as a stray file
        raise UserError(m.pick(f"{target} is inside the customer repository {enclosing}",
                               f"{target} 位于客户仓库 {enclosing} 之内"),
                        m.pick("start a repository outside it, or add customers to that one: crmctl new customer",
                               "请在其外新建仓库，或在该仓库中添加客户：crmctl new customer"))
    made = not os.path.lexists(target)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise storage.fault(str(target), exc, m) from None
    root = target.resolve()
    if (root / layout.CONFIG_FILE).exists() or (root / layout.CONFIG_FILE).is_symlink():
        raise UserError(m.pick(f"{target / layout.CONFIG_FILE} exists: this is already a customer repository",
                               f"{target / layout.CONFIG_FILE} 已存在：这里已经是客户仓库"),
                        m.pick("run crmctl check there instead", "请直接在该处运行 crmctl check"))
    spec = install_spec() if crmctl_spec is None else crmctl_spec
    config_text = newfiles.config_file(m.lang, company, layout.CONFIG.schema_reference(), m)
    _check_valid(config_text, layout.CONFIG, layout.CONFIG_FILE, m)
    files = {
        ".pre-commit-config.yaml": newfiles.pre_commit_file(m),
        ".github/workflows/crmctl.yml": newfiles.workflow_file(spec, m.lang, m),
        ".gitlab-ci.yml": newfiles.gitlab_file(spec, m.lang, m),
        ".gitattributes": newfiles.gitattributes_file(m),
        f"{layout.CUSTOMERS_DIR}/.gitkeep": "",
    }
    written = []
    targets = [*files, GITIGNORE, layout.CONFIG_FILE, *(f"{layout.SCHEMA_DIR}/{n}" for n in schema_texts())]
    # what is there before, so a fault half-way (a full disk) takes back what this run made
    there = {rel for rel in [*targets, *_folders_of(targets), storage.LOCK_FILE] if os.path.lexists(root / rel)}
    ignore = None
    try:
        with storage.writing(root, m, new_repository=True) as writer:
            # everything that could refuse is asked first, so a refusal leaves the folder as it was
            ignore = writer.read(GITIGNORE)
            for rel in targets:
                boundary.require(root, rel, m, writing=True)
            for rel, text in files.items():
                if "/" in rel:
                    writer.folder(rel.rpartition("/")[0])
                try:
                    writer.create(rel, text)
                except FileExistsError:
                    continue  # a workflow or hook configuration the team already has stays theirs
                written.append(rel)
            if _ignore_lock_file(writer, ignore):
                written.append(GITIGNORE)
            written += write_schemas(writer)
            writer.create(layout.CONFIG_FILE, config_text)  # last: until it exists, this is no repository
            written.append(layout.CONFIG_FILE)
    except UserError:
        _take_back(root, [*targets, storage.LOCK_FILE], _folders_of(targets), there, ignore)
        if made:
            with contextlib.suppress(OSError):
                root.rmdir()
        raise
    from crmctl.files.merge import configure

    with contextlib.suppress(UserError):  # without git there is nothing to configure
        configure(root, m)  # a folder already in a git clone gets the merge driver now; `git-setup` in others
    kept = [rel for rel in files if rel not in written and rel != f"{layout.CUSTOMERS_DIR}/.gitkeep"]
    notes = [m.pick(f"kept your own {rel}: crmctl's is not written over it; add what it needs by hand "
                    f"(crmctl init in an empty folder shows crmctl's{', crmctl git-setup adds the merge lines' if rel == GITATTRIBUTES else ''})",
                    f"保留了已有的 {rel}，未写入 crmctl 的版本；请手工加入所需内容"
                    f"（在空文件夹中运行 crmctl init 可看到 crmctl 的版本{'，crmctl git-setup 会补上合并设置' if rel == GITATTRIBUTES else ''}）")
             for rel in kept]
    if not spec:
        notes.append(m.pick(
            "the CI files do not know where to install crmctl from: set CRMCTL_SPEC in "
            ".github/workflows/crmctl.yml and .gitlab-ci.yml (see crm.yaml), or run init with --crmctl-spec",
            "CI 配置尚不知从何处安装 crmctl：请在 .github/workflows/crmctl.yml 和 .gitlab-ci.yml 中设置 CRMCTL_SPEC"
            "（见 crm.yaml），或用 --crmctl-spec 运行 init"))
    top = _git_top(root)
    if top is not None and top != root:
        rel_root = root.relative_to(top).as_posix() if root.is_relative_to(top) else str(root)
        notes.append(m.pick(
            f"this folder is inside the git repository {top}: GitHub, GitLab and pre-commit read their files only "
            f"at its top, so move .github/, .gitlab-ci.yml and .pre-commit-config.yaml there and have them run "
            f"crmctl with --repo {rel_root}",
            f"此文件夹位于 git 仓库 {top} 之内：GitHub、GitLab 和 pre-commit 只读取仓库根目录下的配置，"
            f"请把 .github/、.gitlab-ci.yml 和 .pre-commit-config.yaml 移到根目录，并让其中的 crmctl 加上 --repo {rel_root}"))
    return Written(root, tuple(sorted(written)), notes=tuple(notes))


def _git_top(root: Path) -> Path | None:
    """The top of the git work tree holding ``root``; None outside one, or without git."""
    import subprocess

    try:
        run = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True,
                             text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(run.stdout.strip()).resolve() if run.returncode == 0 and run.stdout.strip() else None


def _folders_of(rels: list[str]) -> list[str]:
    """Every folder the files ``rels`` stand in, deepest first."""
    folders = {rel.rsplit("/", i)[0] for rel in rels for i in range(1, rel.count("/") + 1)}
    return sorted(folders, key=lambda f: (-f.count("/"), f))


def _take_back(root: Path, files: list[str], folders: list[str], there: set[str],
               ignore: storage.EditableText | None) -> None:
    """Remove what a failed init made (files and folders that were not there), and put a
    .gitignore it changed back; what cannot be undone is left for the user's next try."""
    for rel in files:
        if rel not in there:
            with contextlib.suppress(OSError):
                os.unlink(root / rel)
    if ignore is not None:
        with contextlib.suppress(OSError):
            if (root / GITIGNORE).read_bytes() != ignore.encode(ignore.text):
                (root / GITIGNORE).write_bytes(ignore.encode(ignore.text))
    for rel in folders:
        if rel not in there:
            with contextlib.suppress(OSError):
                for leftover in os.scandir(root / rel):  # the temporary files of the write that failed
                    if leftover.name.startswith(storage.TEMP_PREFIX):
                        os.unlink(leftover.path)
                os.rmdir(root / rel)


def _ignore_lock_file(writer: storage.Writer, current: storage.EditableText | None) -> bool:
    """Add the lock file to .gitignore (a line appended; the rest of the file stays as it was)."""
    if current is None:
        writer.create(GITIGNORE, f"{storage.LOCK_FILE}\n")
        return True
    if storage.LOCK_FILE in (line.strip() for line in current.text.splitlines()):
        return False
    text = current.text
    if text and not text.endswith("\n"):
        text += current.newline
    writer.replace(GITIGNORE, text + current.lines(f"{storage.LOCK_FILE}\n"), like=current)
    return True


def ensure_gitattributes(root: Path, messages: Messages) -> bool:
    """.gitattributes names crmctl's merge driver for its files: written when missing, the
    missing lines appended otherwise (the rest stays as it was). True when it changed."""
    with storage.writing(root, messages) as writer:
        current = writer.read(GITATTRIBUTES)
        if current is None:
            writer.create(GITATTRIBUTES, newfiles.gitattributes_file(messages))
            return True
        have = {line.strip() for line in current.text.splitlines()}
        from crmctl.files.merge import gitattributes_lines

        missing = [line for line in gitattributes_lines() if line not in have]
        if not missing:
            return False
        text = current.text
        if text and not text.endswith(("\n", "\r")):
            text += current.newline
        writer.replace(GITATTRIBUTES, text + current.lines("".join(f"{line}\n" for line in missing)), like=current)
        return True


def schema_texts() -> dict[str, str]:
    """JSON Schema of every file kind, and of each document's front matter, as the text of its
    file, by file name."""
    from crmctl import __version__
    from crmctl.files.documents import DOCUMENT_KINDS

    models = {kind.schema_filename: (kind.model(), kind.pattern) for kind in layout.ALL_KINDS}
    for doc in DOCUMENT_KINDS.values():
        name = f"{doc.id}.schema.json"
        if name in models:  # the evaluation is a file kind above
            continue
        where = f"{layout.PROJECT.pattern.rsplit('/', 1)[0]}/{doc.filename}"
        # the templates of YAML documents (contract, delivery) point their `$schema` line here too
        models[name] = (doc.model(), f"the front matter of {where}" if doc.format == "markdown" else where)
    out = {}
    for name, (model, where) in sorted(models.items()):
        schema = model.model_json_schema(mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$comment"] = f"crmctl {__version__}: {where}"
        out[name] = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return out


def write_schemas(writer: storage.Writer) -> list[str]:
    """schemas/*.schema.json in the repository, refreshed."""
    writer.folder(layout.SCHEMA_DIR)
    written = []
    for name, text in schema_texts().items():
        rel = f"{layout.SCHEMA_DIR}/{name}"
        writer.replace(rel, text)
        written.append(rel)
    return written


def new_customer(root: Path, messages: Messages, *, name: str, category: str, market: str, tier: str,
                 channel: str, owner: str, region: str, kind: str | None = None, size: str | None = None,
                 dealer: str | None = None, short_name: str | None = None, cross_regional: bool = False,
                 fleet_size: int | None = None, since: dt.date | None = None, customer_id: str | None = None
                 ) -> Written:
    """customers/<id>/ with its three files, created whole."""
    from crmctl.models.customer import Customer

    m = messages
    name = name.strip()  # spaces around a name are no part of it (else a second record by mistake)
    data = {
        "name": name, "short_name": short_name, "category": category, "kind": kind, "size": size,
        "market": market, "tier": tier, "channel": channel, "dealer": dealer, "owner": owner, "region": region,
        "since": (since or dt.date.today()).isoformat(), "business": {"cross_regional": cross_regional},
        "fleet_size": fleet_size,
    }
    customer = _validate(Customer, data, m, m.pick("customer", "客户"))
    _check_customer_rules(customer, m)
    with storage.writing(root, m) as writer:
        writer.folder(layout.CUSTOMERS_DIR)
        our_person(root, owner, "--owner", m)
        if customer_id is None:
            _refuse_same_name(root, layout.CUSTOMERS_DIR, layout.CUSTOMER.filename, name, ("customer", "客户"), m)
        cid = _id_for(name, customer_id, _folder_names(root, layout.CUSTOMERS_DIR, m), m, m.pick("customer", "客户"))
        folder = layout.customer_dir(cid)
        said = _in_repository_language(root)
        files = {
            layout.CUSTOMER: newfiles.customer_file(customer, layout.CUSTOMER.schema_reference(), said),
            layout.CONTACTS: newfiles.contacts_file(cid, layout.CONTACTS.schema_reference(), said),
            layout.ACTIVITIES: newfiles.activities_file(layout.ACTIVITIES.schema_reference(), said),
        }
        for kind_, text in files.items():
            _check_valid(text, kind_, f"{folder}/{kind_.filename}", m)
        try:
            writer.create_folder(folder, {kind_.filename: text for kind_, text in files.items()})
        except FileExistsError:
            raise _exists(m, m.pick("customer", "客户"), cid, folder) from None
    return Written(root, tuple(f"{folder}/{kind_.filename}" for kind_ in files), cid,
                   notes=() if customer_id else (m.pick(f"{name}'s customer id is {cid}: every command names the "
                                                        "customer by it (--id chooses another)",
                                                        f"{name} 的客户标识为 {cid}：各命令以此指代该客户"
                                                        "（可用 --id 另行指定）"),))


def _in_repository_language(root: Path) -> Messages:
    """Comments in new files are in crm.yaml's language, not --lang's."""
    from crmctl.files.repository import repository_language

    return Messages(repository_language(root))


def our_person(root: Path, who: str, option: str, messages: Messages, *, guessed: bool = False) -> str:
    """``who`` as given, once people.yaml (when the team keeps one) knows them by id or name.
    ``guessed``: crmctl took ``who`` from $CRMCTL_USER, git's user.name or the login, not from the user."""
    from crmctl.files.repository import load_people

    m = messages
    team, problems = load_people(root, m)
    if problems and any(d.severity == "error" for d in problems):  # an id twice, say: nobody can be named
        raise storage.refusal(layout.PEOPLE_FILE, problems, m)
    if team is None:
        return who
    found = team.find(who)
    if len(found) == 1:
        return who
    if found:
        ids = "、".join(p.id for p in found)
        raise UserError(m.pick(f"{option} {who}: {len(found)} of our people have that name ({ids})",
                               f"{option} {who}：我方有 {len(found)} 人同名（{ids}）"),
                        m.pick("name the one you mean by id", "请用标识指明是哪一位"))
    if guessed:
        raise UserError(m.pick(f"{who} (from $CRMCTL_USER, git's user.name or the login) is none of our people in "
                               f"{layout.PEOPLE_FILE}", f"{who}（取自 $CRMCTL_USER、git 的 user.name 或登录名）不在 "
                               f"{layout.PEOPLE_FILE} 的我方人员中"),
                        m.pick(f"say who with {option} ID, or set CRMCTL_USER to your id in {layout.PEOPLE_FILE}",
                               f"请用 {option} 标识 指明，或把 CRMCTL_USER 设为你在 {layout.PEOPLE_FILE} 中的标识"))
    raise UserError(m.pick(f"{option} {who}: none of our people in {layout.PEOPLE_FILE}",
                           f"{option} {who}：不在 {layout.PEOPLE_FILE} 的我方人员中") + m.did_you_mean(who, team.words(), 0.5),
                    m.pick("name them by id or name, or add them first: crmctl new person NAME --role ROLE",
                           "请用标识或姓名，或先添加此人：crmctl new person 姓名 --role 角色"))


def _person_key(root: Path, who: str, messages: Messages) -> str:
    """The id of one of our people named by id or name (``who`` itself without a people.yaml)."""
    from crmctl.files.repository import load_people

    team, _ = load_people(root, messages)
    found = team.find(who) if team is not None else []
    return found[0].id if len(found) == 1 else who


def _folder_names(root: Path, rel: str, messages: Messages) -> set[str]:
    """Names in a folder, for picking a free id (leftovers of killed runs are no names)."""
    try:
        return {e.name for e in os.scandir(root / rel) if not e.name.startswith(storage.TEMP_PREFIX)}
    except FileNotFoundError:
        return set()
    except OSError as exc:
        raise storage.fault(rel, exc, messages, writing=False) from None


def _refuse_same_name(root: Path, parent: str, filename: str, name: str, what: tuple[str, str],
                      messages: Messages) -> None:
    """A second customer, or a second project of one customer, of the same name is almost always
    a mistake: say which one exists. Each record file under ``parent`` is looked at; only those
    holding the name's bytes are parsed."""
    from crmctl.files.repository import read_repo_yaml

    needle = name.encode("utf-8")
    for folder in sorted(_folder_names(root, parent, messages)):
        rel = f"{parent}/{folder}/{filename}"
        try:
            with open(root / rel, "rb") as fh:
                if needle not in fh.read():
                    continue
        except OSError:
            continue  # unreadable: check reports it
        data = read_repo_yaml(root, rel, messages).data
        if isinstance(data, dict) and name in (data.get("name"), data.get("short_name")):
            en, zh = what
            raise UserError(messages.pick(f"{en} `{name}` already exists: {parent}/{folder}",
                                          f"{zh} `{name}` 已存在：{parent}/{folder}"),
                            messages.pick(f"to add another {en} of the same name, give it an id with --id",
                                          f"如确需再建同名{zh}，请用 --id 指定标识"))


def _check_customer_rules(customer: Any, messages: Messages) -> None:
    from crmctl.models.customer import KINDS_BY_CATEGORY

    allowed = KINDS_BY_CATEGORY[customer.category]
    if allowed and customer.kind not in allowed:
        raise UserError(messages.pick(f"category {customer.category} needs --kind, one of: {', '.join(allowed)}",
                                      f"类别 {customer.category} 需要 --kind，可选：{', '.join(allowed)}"))
    if not allowed and customer.kind:
        raise UserError(messages.pick("enterprises have --size, not --kind", "企业客户用 --size 而不是 --kind"))
    if customer.size and customer.category != "enterprise":
        raise UserError(messages.pick("only enterprises have --size", "只有企业客户有 --size"))
    if customer.channel == "dealer" and not customer.dealer:
        raise UserError(messages.pick("--channel dealer needs --dealer NAME", "--channel dealer 需要 --dealer 名称"))


def new_project(root: Path, messages: Messages, customer_id: str, *, name: str, owner: str,
                opened: dt.date | None = None, expected_close: dt.date | None = None,
                quantity: int | None = None, budget: str | float | None = None, procurement_mode: str | None = None,
                project_id: str | None = None) -> Written:
    """customers/<customer>/projects/<id>/project.yaml, its folder created whole."""
    from crmctl.models.project import Project

    m = messages
    name = name.strip()  # spaces around a name are no part of it (else a second record by mistake)
    data = {"name": name, "owner": owner, "opened": (opened or dt.date.today()).isoformat(),
            "expected_close": expected_close.isoformat() if expected_close else None,
            "needs": {"quantity": quantity, "budget": budget}, "procurement_mode": procurement_mode}
    project = _validate(Project, data, m, m.pick("project", "项目"))
    with storage.writing(root, m) as writer:
        layout.require_customer(root, customer_id, m)
        our_person(root, owner, "--owner", m)
        projects = f"{layout.customer_dir(customer_id)}/{layout.PROJECTS_DIR}"
        if project_id is None:
            _refuse_same_name(root, projects, layout.PROJECT.filename, name, ("project", "项目"), m)
        pid = _id_for(name, project_id, _folder_names(root, projects, m), m, m.pick("project", "项目"))
        rel_dir = layout.project_dir(customer_id, pid)
        rel = f"{rel_dir}/{layout.PROJECT.filename}"
        text = newfiles.project_file(project, layout.PROJECT.schema_reference(), _in_repository_language(root))
        _check_valid(text, layout.PROJECT, rel, m)
        try:
            writer.create_folder(rel_dir, {layout.PROJECT.filename: text})
        except FileExistsError:
            raise _exists(m, m.pick("project", "项目"), pid, rel_dir) from None
    return Written(root, (rel,), pid,
                   notes=() if project_id else (m.pick(f"the project's id is {customer_id}/{pid} (--id chooses another)",
                                                       f"项目标识为 {customer_id}/{pid}（可用 --id 另行指定）"),))


def new_contact(root: Path, messages: Messages, customer_id: str, *, name: str, title: str | None = None,
                department: str | None = None, phone: str | None = None, email: str | None = None,
                reports_to: str | None = None, level: str | None = None, function: str | None = None,
                influence: str | None = None, attitude: str = "unknown", contact_id: str | None = None) -> Written:
    """Append a person to contacts.yaml, leaving every other byte of it as it was."""
    from crmctl.files.yamlio import parse_yaml
    from crmctl.models.contacts import Contact

    m = messages
    name = name.strip()  # spaces around a name are no part of it (else a second record by mistake)
    rel = f"{layout.customer_dir(customer_id)}/{layout.CONTACTS.filename}"
    with storage.writing(root, m) as writer:
        layout.require_customer(root, customer_id, m)
        current = writer.read(rel)
        text = current.text if current else newfiles.contacts_file(customer_id, layout.CONTACTS.schema_reference(),
                                                                   _in_repository_language(root))
        _check_file(text, layout.CONTACTS, rel, m)  # a file check rejects is left to a person
        doc = parse_yaml(text, rel, m)
        existing = doc.data.get("contacts") if isinstance(doc.data, dict) else None
        taken = {c.get("id") for c in existing or [] if isinstance(c, dict)}
        same = [c.get("id") for c in existing or [] if isinstance(c, dict) and c.get("name") == name]
        if same and contact_id is None:
            raise UserError(m.pick(f"{rel} already has a contact named {name} (`{same[0]}`)",
                                   f"{rel} 中已有名为 {name} 的联系人（`{same[0]}`）"),
                            m.pick("if this is another person of the same name, give them an id with --id",
                                   "如确为同名的另一个人，请用 --id 指定标识"))
        cid = _id_for(name, contact_id, {t for t in taken if isinstance(t, str)}, m, m.pick("contact", "联系人"),
                      person_slug)
        if cid in taken:
            raise UserError(m.pick(f"contact `{cid}` already exists in {rel}", f"{rel} 中已有联系人 `{cid}`"),
                            m.pick("choose another id with --id", "请用 --id 指定其他标识"))
        named = [c.get("id") for c in existing or [] if isinstance(c, dict) and c.get("name") == reports_to]
        if reports_to is not None and reports_to not in taken and len(named) == 1:
            reports_to = named[0]  # the superior by name (李阳), as documents name people by id (li-yang)
        if reports_to is not None and reports_to not in taken:
            near = m.did_you_mean(reports_to, {t for t in taken if isinstance(t, str)})
            raise UserError(m.pick(f"--reports-to `{reports_to}`: no such contact in {rel}{near}",
                                   f"--reports-to `{reports_to}`：{rel} 中没有此联系人{near}"),
                            m.pick("add the superior first, or leave --reports-to out",
                                   "请先添加上级，或不写 --reports-to"))
        contact = _validate(Contact, {
            "id": cid, "name": name, "title": title, "department": department, "phone": phone, "email": email,
            "reports_to": reports_to, "level": level, "function": function, "influence": influence,
            "attitude": attitude,
        }, m, m.pick("contact", "联系人"))
        item = contact.model_dump(exclude_none=True, exclude_defaults=True)
        item = {"id": cid, "name": name, **item, "attitude": contact.attitude}
        _write_appended(writer, rel, layout.CONTACTS, "contacts", item, text, current, m)
    # the id is what documents and --reports-to name the person by: say which one it became
    return Written(root, (rel,), cid, notes=(m.pick(f"{name}'s contact id is {cid}: documents and --reports-to "
                                                    "name the person by it", f"{name}的联系人标识为 {cid}："
                                                    "文档和 --reports-to 以此指代此人"),))


def new_person(root: Path, messages: Messages, *, name: str, role: str, region: str | None = None,
               phone: str | None = None, email: str | None = None, person_id: str | None = None) -> Written:
    """Append one of our people to people.yaml (started when there is none), every other byte kept."""
    from crmctl.files.yamlio import parse_yaml
    from crmctl.models.people import OurPerson

    m = messages
    name = name.strip()  # spaces around a name are no part of it (else a second record by mistake)
    rel = layout.PEOPLE_FILE
    with storage.writing(root, m) as writer:
        current = writer.read(rel)
        text = current.text if current else newfiles.people_file(layout.PEOPLE.schema_reference(),
                                                                 _in_repository_language(root))
        _check_file(text, layout.PEOPLE, rel, m)  # a file check rejects is left to a person
        doc = parse_yaml(text, rel, m)
        existing = [p for p in (doc.data.get("people") if isinstance(doc.data, dict) else None) or []
                    if isinstance(p, dict)]
        taken = {p.get("id") for p in existing if isinstance(p.get("id"), str)}
        same = [p.get("id") for p in existing if p.get("name") == name]
        if same and person_id is None:
            raise UserError(m.pick(f"{rel} already has {name} (`{same[0]}`)", f"{rel} 中已有 {name}（`{same[0]}`）"),
                            m.pick("if this is another person of the same name, give them an id with --id",
                                   "如确为同名的另一个人，请用 --id 指定标识"))
        pid = _id_for(name, person_id, taken, m, m.pick("person", "人员"), person_slug)
        if pid in taken:
            raise UserError(m.pick(f"`{pid}` is already in {rel}", f"{rel} 中已有 `{pid}`"),
                            m.pick("choose another id with --id", "请用 --id 指定其他标识"))
        person = _validate(OurPerson, {"id": pid, "name": name, "role": role, "region": region, "phone": phone,
                                       "email": email}, m, m.pick("person", "人员"))
        item = {key: value for key, value in person.model_dump().items() if value is not None}
        _write_appended(writer, rel, layout.PEOPLE, "people", item, text, current, m)
    return Written(root, (rel,), pid, notes=() if person_id else (
        m.pick(f"{name}'s id is {pid}: files may name the person by it or by name",
               f"{name}的人员标识为 {pid}：各文件可用标识或姓名指代此人"),))


def log_activity(root: Path, messages: Messages, customer_id: str, *, summary: str, kind: str, by: str,
                 date: dt.date | None = None, contacts: tuple[str, ...] = (), project: str | None = None,
                 next_step: str | None = None, next_date: dt.date | None = None,
                 today: dt.date | None = None, by_guessed: bool = False) -> Written:
    """Append an activity to the customer's activities.yaml, leaving every other byte as it was.
    ``contacts`` are contact ids or names; the project must be one of the customer's."""
    from crmctl.files.repository import load_customer
    from crmctl.models.activities import Activity

    m = messages
    today = today or dt.date.today()
    date = date or today
    if date > today:
        raise UserError(m.pick(f"--date {date} is after today ({today}): the log records what happened",
                               f"--date {date} 晚于今天（{today}）：日志记录已发生的事"),
                        m.pick("for what is planned, use --next and --next-date", "计划中的事请用 --next 和 --next-date"))
    if next_date is not None and next_date < date:
        raise UserError(m.pick(f"--next-date {next_date} is before the activity ({date})",
                               f"--next-date {next_date} 早于本次活动（{date}）"),
                        m.pick("the next step comes after this one", "下一步应在本次活动之后"))
    if next_date is not None and not next_step:
        raise UserError(m.pick("--next-date needs --next TEXT: what is to be done", "--next-date 需要 --next 说明要做什么"))
    rel = f"{layout.customer_dir(customer_id)}/{layout.ACTIVITIES.filename}"
    with storage.writing(root, m) as writer:
        layout.require_customer(root, customer_id, m)
        our_person(root, by, "--by", m, guessed=by_guessed)
        record, problems = load_customer(root, customer_id, m, parts={"contacts", "project"})
        if contacts and record.contacts_unreadable:
            raise storage.refusal(record.contacts.path, [d for d in problems if d.path == record.contacts.path], m)
        people = list(dict.fromkeys(_contact_id(record, who, m) for who in contacts))  # `-c 李阳 -c li-yang`: one
        if project is not None and project not in record.projects:
            known = sorted(record.projects)
            raise UserError(m.pick(f"customer {customer_id} has no project `{project}`", f"客户 {customer_id} 没有项目 `{project}`")
                            + m.did_you_mean(project, known),
                            m.pick(f"its projects: {', '.join(known) or 'none'}", f"其项目：{'、'.join(known) or '无'}"))
        activity = _validate(Activity, {
            "date": date.isoformat(), "kind": kind, "by": by, "contacts": people, "project": project,
            "summary": summary, "next_step": next_step, "next_date": next_date.isoformat() if next_date else None,
        }, m, m.pick("activity", "活动"))
        item = {key: value for key, value in activity.model_dump(exclude_defaults=True).items() if value is not None}
        current = writer.read(rel)
        text = current.text if current else newfiles.activities_file(layout.ACTIVITIES.schema_reference(),
                                                                     _in_repository_language(root))
        _check_file(text, layout.ACTIVITIES, rel, m)  # a file check rejects is left to a person
        _write_appended(writer, rel, layout.ACTIVITIES, "activities", item, text, current, m)
    return Written(root, (rel,))


def _contact_id(record: Any, who: str, m: Messages) -> str:
    """A contact named on the command line, by id or by name."""
    people = record.contact_list()
    for person in people:
        if who == person.id:
            return person.id
    named = [person.id for person in people if person.name == who]
    if len(named) == 1:
        return named[0]
    if named:
        raise UserError(m.pick(f"{len(named)} contacts are named {who}: {', '.join(named)}",
                               f"有 {len(named)} 位联系人名为 {who}：{'、'.join(named)}"),
                        m.pick("name the one you mean by id", "请用标识指明是哪一位"))
    choices = [person.id for person in people] + [person.name for person in people]
    raise UserError(m.pick(f"`{who}` is not a contact of {record.id}", f"`{who}` 不是 {record.id} 的联系人")
                    + m.did_you_mean(who, choices),
                    m.pick(f"add the person first: crmctl new contact {record.id} NAME",
                           f"请先添加此人：crmctl new contact {record.id} 姓名"))


def _write_appended(writer: storage.Writer, rel: str, kind: layout.FileKind, key: str, item: dict[str, Any],
                    text: str, current: Any, m: Messages) -> None:
    """``item`` appended to the list ``key`` of ``text`` (the file as read, or a new one's), checked and
    written: every other byte of a person's file stays as it was."""
    from crmctl.files.edit import append_to_list

    new_text = append_to_list(text, key, item, m, rel=rel, newline=current.newline if current else "\n")
    _check_file(new_text, kind, rel, m)
    if current is None:
        writer.create(rel, new_text)
    else:
        writer.replace(rel, new_text, like=current)


def _check_file(text: str, kind: layout.FileKind, rel: str, messages: Messages) -> None:
    """A person's file after crmctl's change validates, and stays within what every read takes,
    or nothing is written."""
    from crmctl.files.yamlio import MAX_FILE_BYTES

    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise storage.refusal(rel, [messages.diagnostic("file-too-large", rel, limit="8 MiB", fix=messages.pick(
            "this change would take it past that: move old entries out of it (git keeps them)",
            "本次修改会使其超过上限：请将旧记录移出该文件（git 中仍保留历史）"))], messages)
    found = _problems(text, kind, rel, messages)
    if found:
        raise storage.refusal(rel, found, messages)


def new_care_plan(root: Path, messages: Messages, customer_id: str, *, station: str | None = None,
                  station_contact: str | None = None, ours: tuple[str, ...] = (), contacts: tuple[str, ...] = (),
                  since: dt.date | None = None) -> Written:
    """customers/<id>/care.yaml, the customer's care plan: named contacts on both sides and the
    service station, its sections empty and shown. ``ours`` are our people, ``contacts`` the
    customer's (ids or names); without ``ours``, the customer's owner."""
    from crmctl.files.repository import load_customer
    from crmctl.models.care import CarePlan

    m = messages
    rel = f"{layout.customer_dir(customer_id)}/{layout.CARE.filename}"
    with storage.writing(root, m) as writer:
        layout.require_customer(root, customer_id, m)
        if writer.read(rel) is not None:
            raise UserError(m.pick(f"{rel} already exists", f"{rel} 已存在"),
                            m.pick("edit it; crmctl due shows what it has due", "请直接编辑；crmctl due 显示其待办"))
        record, problems = load_customer(root, customer_id, m, parts={"customer", "contacts", "project", "documents"})
        if record.customer is None:
            raise storage.refusal(f"{layout.customer_dir(customer_id)}/{layout.CUSTOMER.filename}", problems, m)
        for loaded in (record.customer, record.contacts if contacts else None):
            if loaded is not None and loaded.model is None:
                raise storage.refusal(loaded.path, [d for d in problems if d.path == loaded.path], m)
        customer = record.customer.model
        named: dict[str, str] = {}  # one entry a person, however they were named
        for who in (who.strip() for who in ours):
            our_person(root, who, "--our", m)
            named.setdefault(_person_key(root, who, m), who)
        # without --our, the customer's owner as customer.yaml names them (check judges that name there)
        people = list(dict.fromkeys(_contact_id(record, who, m) for who in contacts))
        station, station_contact = (value.strip() if value is not None else None for value in (station, station_contact))
        plan = _validate(CarePlan, {"since": since.isoformat() if since else None, "service_station": station,
                                    "station_contact": station_contact,
                                    "our_contacts": list(named.values()) or [customer.owner],
                                    "customer_contacts": people}, m, m.pick("care plan", "维护计划"))
        writer.create(rel, newfiles.care_file(plan, customer.name, layout.CARE.schema_reference(),
                                              _in_repository_language(root)))
    from crmctl.care.schedule import care_since

    if since is None and care_since(record) is None:  # nothing of the plan's cadence is due yet: say why
        return Written(root, (rel,), notes=(m.pick(
            f"{customer_id} has no signed contract yet: care, and its business meetings and evaluations, begin with "
            "the first (or set `since:` in care.yaml)",
            f"{customer_id} 尚无已签合同：维护及其定期会议、满意度评价自首份合同签订起计算（或在 care.yaml 中设置 `since:`）"),))
    return Written(root, (rel,))
