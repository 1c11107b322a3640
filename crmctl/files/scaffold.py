"""``init`` and ``new``: writing new records that are valid from the start.

Each function checks its input with the same models ``check`` uses, renders
the file from a template (with comments that explain the fields), parses the
rendered text back to prove it is valid, and only then writes it, atomically
and never over an existing record.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crmctl.errors import UserError
from crmctl.files import layout, storage
from crmctl.files.render import render
from crmctl.ids import is_valid_id, slugify, unique_id
from crmctl.messages import Messages


@dataclass(frozen=True)
class Written:
    """What a command wrote, relative to the repository root."""

    root: Path
    paths: tuple[str, ...]
    id: str = ""


def _validate(model: type, data: dict[str, Any], messages: Messages, what: str) -> Any:
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or what}: {e['msg']}" for e in exc.errors(include_url=False)
        )
        raise UserError(messages.pick(f"invalid {what}: {problems}", f"{what}无效:{problems}"),
                        messages.pick("correct the option and run the command again", "请更正选项后重新运行")) from None


def _check_rendered(text: str, kind: layout.FileKind, rel: str, messages: Messages) -> None:
    """The rendered file must read back without a single diagnostic (or a template is wrong)."""
    from crmctl.files.validate import validate_document
    from crmctl.files.yamlio import parse_yaml

    doc = parse_yaml(text, rel, messages)
    _, found = validate_document(kind.model(), doc, messages)
    found = doc.diagnostics + found
    if found:
        raise UserError(messages.pick(f"the template for {rel} gives an invalid file:",
                                      f"{rel} 的模板生成了无效文件:") + "\n" + "\n".join(d.format() for d in found),
                        messages.pick("fix the template in the repository's templates/ folder",
                                      "请修正仓库 templates/ 目录中的模板"))


def _write_new(root: Path, rel: str, text: str, messages: Messages) -> None:
    target = root / rel
    storage.inside(root, target.parent, messages)
    try:
        storage.create(target, text)
    except FileExistsError:
        raise UserError(messages.pick(f"{rel} already exists; crmctl never overwrites a record",
                                      f"{rel} 已存在;crmctl 不会覆盖已有记录"),
                        messages.pick("choose another id with --id, or edit the existing file",
                                      "请用 --id 指定其他标识,或直接编辑现有文件")) from None


def _id_for(name: str, given: str | None, taken: set[str], messages: Messages, what: str) -> str:
    if given is not None:
        if not is_valid_id(given):
            raise UserError(messages.pick(f"`{given}` is not a valid {what} id", f"`{given}` 不是有效的{what}标识"),
                            messages.pick("ids are lowercase letters, digits and single hyphens, e.g. bj-huanwei",
                                          "标识由小写字母、数字和单个连字符组成,例如 bj-huanwei"))
        return given
    base = slugify(name)
    if not base:
        raise UserError(messages.pick(f"cannot derive an id from the name `{name}`", f"无法从名称 `{name}` 生成标识"),
                        messages.pick("give one with --id", "请用 --id 指定"))
    return unique_id(base, taken)


def init_repository(target: Path, messages: Messages, *, company: str | None = None,
                    crmctl_spec: str = "crmctl") -> Written:
    """A new customer repository: crm.yaml, customers/, schemas/, CI and pre-commit examples."""
    target.mkdir(parents=True, exist_ok=True)
    if (target / layout.CONFIG_FILE).exists():
        raise UserError(messages.pick(f"{target / layout.CONFIG_FILE} exists: this is already a customer repository",
                                      f"{target / layout.CONFIG_FILE} 已存在:这里已经是客户仓库"),
                        messages.pick("run crmctl check there instead", "请直接在该处运行 crmctl check"))
    ctx = {"lang": messages.lang, "company": company, "crmctl_spec": crmctl_spec,
           "schema": layout.CONFIG.schema_reference()}
    config_text = render("init/crm.yaml.j2", ctx)
    _check_rendered(config_text, layout.CONFIG, layout.CONFIG_FILE, messages)
    files = {
        layout.CONFIG_FILE: config_text,
        ".pre-commit-config.yaml": render("init/pre-commit-config.yaml.j2", ctx),
        ".github/workflows/crmctl.yml": render("init/github-workflow.yml.j2", ctx),
        f"{layout.CUSTOMERS_DIR}/.gitkeep": "",
    }
    written = []
    for rel, text in files.items():
        path = target / rel
        if path.exists():
            continue  # a workflow or hook config the team already has stays theirs
        path.parent.mkdir(parents=True, exist_ok=True)
        storage.create(path, text)
        written.append(rel)
    written += write_schemas(target / layout.SCHEMA_DIR, target)
    return Written(target, tuple(sorted(written)))


def schemas() -> dict[str, dict[str, Any]]:
    """JSON Schema of every file kind, by schema file name."""
    from crmctl import __version__

    out = {}
    for kind in layout.ALL_KINDS:
        schema = kind.model().model_json_schema(mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$comment"] = f"crmctl {__version__}: {kind.pattern}"
        out[kind.schema_filename] = schema
    return out


def write_schemas(folder: Path, root: Path | None = None) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        text = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        path = folder / name
        storage.replace(path, text)
        written.append(str(path.relative_to(root)) if root else str(path))
    return written


def new_customer(root: Path, messages: Messages, *, name: str, category: str, market: str, tier: str,
                 channel: str, owner: str, region: str, kind: str | None = None, size: str | None = None,
                 dealer: str | None = None, short_name: str | None = None, cross_regional: bool = False,
                 fleet_size: int | None = None, since: dt.date | None = None, customer_id: str | None = None
                 ) -> Written:
    from crmctl.models.customer import Customer

    base = root / layout.CUSTOMERS_DIR
    taken = {p.name for p in base.iterdir()} if base.is_dir() else set()
    if customer_id is None:
        _refuse_same_name(root, name, slugify(name), messages)
    cid = _id_for(name, customer_id, taken, messages, messages.pick("customer", "客户"))
    data = {
        "name": name, "short_name": short_name, "category": category, "kind": kind, "size": size,
        "market": market, "tier": tier, "channel": channel, "dealer": dealer, "owner": owner, "region": region,
        "since": (since or dt.date.today()).isoformat(), "business": {"cross_regional": cross_regional},
        "fleet_size": fleet_size,
    }
    customer = _validate(Customer, data, messages, messages.pick("customer", "客户"))
    _check_customer_rules(customer, messages)
    folder = layout.customer_dir(cid)
    (root / layout.CUSTOMERS_DIR).mkdir(exist_ok=True)
    storage.inside(root, root / layout.CUSTOMERS_DIR, messages)
    try:
        (root / folder).mkdir()
    except FileExistsError:
        raise UserError(messages.pick(f"customer `{cid}` already exists ({folder})", f"客户 `{cid}` 已存在({folder})"),
                        messages.pick("choose another id with --id", "请用 --id 指定其他标识")) from None
    ctx = {"lang": messages.lang, "customer_id": cid}
    files = {
        layout.CUSTOMER: render("files/customer.yaml.j2", {**ctx, "c": customer, "schema": layout.CUSTOMER.schema_reference()}, root),
        layout.CONTACTS: render("files/contacts.yaml.j2", {**ctx, "schema": layout.CONTACTS.schema_reference()}, root),
        layout.ACTIVITIES: render("files/activities.yaml.j2", {**ctx, "schema": layout.ACTIVITIES.schema_reference()}, root),
    }
    written = []
    try:
        for kind, text in files.items():
            rel = f"{folder}/{kind.filename}"
            _check_rendered(text, kind, rel, messages)
            _write_new(root, rel, text, messages)
            written.append(rel)
    except BaseException:
        # leave no half-made customer behind: only what this call created goes
        for rel in written:
            (root / rel).unlink(missing_ok=True)
        (root / folder).rmdir()
        raise
    return Written(root, tuple(written), cid)


def _refuse_same_name(root: Path, name: str, base_id: str, messages: Messages) -> None:
    """A second customer of the same name is almost always a mistake: say so."""
    from crmctl.files.yamlio import read_yaml

    rel = f"{layout.customer_dir(base_id)}/{layout.CUSTOMER.filename}"
    if not base_id or not (root / rel).is_file():
        return
    data = read_yaml(root / rel, rel, messages).data
    if isinstance(data, dict) and data.get("name") == name:
        raise UserError(messages.pick(f"customer `{name}` already exists: {layout.customer_dir(base_id)}",
                                      f"客户 `{name}` 已存在:{layout.customer_dir(base_id)}"),
                        messages.pick("to add another customer of the same name, give it an id with --id",
                                      "如确需再建同名客户,请用 --id 指定标识"))


def _check_customer_rules(customer: Any, messages: Messages) -> None:
    from crmctl.models.customer import KINDS_BY_CATEGORY

    allowed = KINDS_BY_CATEGORY[customer.category]
    if allowed and customer.kind not in allowed:
        raise UserError(messages.pick(f"category {customer.category} needs --kind, one of: {', '.join(allowed)}",
                                      f"类别 {customer.category} 需要 --kind,可选:{', '.join(allowed)}"))
    if not allowed and customer.kind:
        raise UserError(messages.pick("enterprises have --size, not --kind", "企业客户用 --size 而不是 --kind"))
    if customer.size and customer.category != "enterprise":
        raise UserError(messages.pick("only enterprises have --size", "只有企业客户有 --size"))
    if customer.channel == "dealer" and not customer.dealer:
        raise UserError(messages.pick("--channel dealer needs --dealer NAME", "--channel dealer 需要 --dealer 名称"))


def _existing_customer(root: Path, customer_id: str, messages: Messages) -> Path:
    folder = layout.require_customer(root, customer_id, messages)
    storage.inside(root, folder, messages)
    return folder


def new_project(root: Path, messages: Messages, customer_id: str, *, name: str, owner: str,
                opened: dt.date | None = None, expected_close: dt.date | None = None,
                quantity: int | None = None, budget: float | None = None, procurement_mode: str | None = None,
                project_id: str | None = None) -> Written:
    from crmctl.models.project import Project

    folder = _existing_customer(root, customer_id, messages)
    projects = folder / layout.PROJECTS_DIR
    taken = {p.name for p in projects.iterdir()} if projects.is_dir() else set()
    pid = _id_for(name, project_id, taken, messages, messages.pick("project", "项目"))
    data = {"name": name, "owner": owner, "opened": (opened or dt.date.today()).isoformat(),
            "expected_close": expected_close.isoformat() if expected_close else None,
            "needs": {"quantity": quantity, "budget": budget}, "procurement_mode": procurement_mode}
    project = _validate(Project, data, messages, messages.pick("project", "项目"))
    rel_dir = layout.project_dir(customer_id, pid)
    projects.mkdir(exist_ok=True)
    storage.inside(root, projects, messages)
    try:
        (root / rel_dir).mkdir()
    except FileExistsError:
        raise UserError(messages.pick(f"project `{pid}` already exists ({rel_dir})", f"项目 `{pid}` 已存在({rel_dir})"),
                        messages.pick("choose another id with --id", "请用 --id 指定其他标识")) from None
    rel = f"{rel_dir}/{layout.PROJECT.filename}"
    text = render("files/project.yaml.j2", {"lang": messages.lang, "p": project,
                                            "schema": layout.PROJECT.schema_reference()}, root)
    try:
        _check_rendered(text, layout.PROJECT, rel, messages)
        _write_new(root, rel, text, messages)
    except BaseException:
        (root / rel_dir).rmdir()
        raise
    return Written(root, (rel,), pid)


def new_contact(root: Path, messages: Messages, customer_id: str, *, name: str, title: str | None = None,
                department: str | None = None, phone: str | None = None, email: str | None = None,
                reports_to: str | None = None, level: str | None = None, function: str | None = None,
                influence: str | None = None, attitude: str = "unknown", contact_id: str | None = None) -> Written:
    """Append a person to contacts.yaml, leaving every other line of it as it was."""
    from crmctl.files.edit import SpliceError, append_to_list
    from crmctl.files.yamlio import parse_yaml
    from crmctl.models.contacts import Contact

    folder = _existing_customer(root, customer_id, messages)
    rel = f"{layout.customer_dir(customer_id)}/{layout.CONTACTS.filename}"
    target = folder / layout.CONTACTS.filename
    with storage.locked(target):
        if target.exists():
            text = target.read_text(encoding="utf-8-sig")
        else:
            text = render("files/contacts.yaml.j2", {"lang": messages.lang, "customer_id": customer_id,
                                                     "schema": layout.CONTACTS.schema_reference()}, root)
        doc = parse_yaml(text, rel, messages)
        existing = doc.data.get("contacts") if isinstance(doc.data, dict) else None
        taken = {c.get("id") for c in existing or [] if isinstance(c, dict)}
        cid = _id_for(name, contact_id, {t for t in taken if isinstance(t, str)}, messages,
                      messages.pick("contact", "联系人"))
        if cid in taken:
            raise UserError(messages.pick(f"contact `{cid}` already exists in {rel}", f"{rel} 中已有联系人 `{cid}`"),
                            messages.pick("choose another id with --id", "请用 --id 指定其他标识"))
        if reports_to is not None and reports_to not in taken:
            raise UserError(messages.pick(f"--reports-to `{reports_to}`: no such contact in {rel}",
                                          f"--reports-to `{reports_to}`:{rel} 中没有此联系人"),
                            messages.pick("add the superior first, or leave --reports-to out",
                                          "请先添加上级,或不写 --reports-to"))
        contact = _validate(Contact, {
            "id": cid, "name": name, "title": title, "department": department, "phone": phone, "email": email,
            "reports_to": reports_to, "level": level, "function": function, "influence": influence,
            "attitude": attitude,
        }, messages, messages.pick("contact", "联系人"))
        item = contact.model_dump(exclude_none=True, exclude_defaults=True)
        item = {"id": cid, "name": name, **item, "attitude": contact.attitude}
        try:
            new_text = append_to_list(text, "contacts", item, messages)
        except SpliceError:
            raise UserError(messages.pick(f"cannot add the contact to {rel} without disturbing it",
                                          f"无法在不改动其他内容的前提下向 {rel} 添加联系人"),
                            messages.pick("run crmctl check and fix the file, or add the contact by hand",
                                          "请先运行 crmctl check 修正该文件,或手工添加")) from None
        _check_rendered(new_text, layout.CONTACTS, rel, messages)
        storage.inside(root, target.parent, messages)
        storage.replace(target, new_text)
    return Written(root, (rel,), cid)
