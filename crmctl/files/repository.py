"""Finding and loading a customer repository.

Like beancount's loader, loading returns the records *and* the diagnostics; it
never raises for bad data, so one pass reports every problem.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Iterable, TypeVar

from crmctl.diagnostics import Diagnostic
from crmctl.files import layout
from crmctl.files.yamlio import YamlDocument, read_yaml
from crmctl.ids import is_valid_id
from crmctl.messages import Messages

M = TypeVar("M")

@dataclass
class Loaded(Generic[M]):
    """One file: its parsed document (nodes kept for locating) and its model, if valid."""

    doc: YamlDocument
    model: M | None

    @property
    def path(self) -> str:
        return self.doc.path


@dataclass
class ProjectRecord:
    customer_id: str
    id: str
    project: Loaded[Any] | None = None
    history: Loaded[Any] | None = None
    competition: Loaded[Any] | None = None
    documents: dict[str, Any] = field(default_factory=dict)  # kind id -> crmctl.files.documents.Document

    @property
    def dir(self) -> str:
        return layout.project_dir(self.customer_id, self.id)


@dataclass
class CustomerRecord:
    id: str
    customer: Loaded[Any] | None = None
    contacts: Loaded[Any] | None = None
    activities: Loaded[Any] | None = None
    projects: dict[str, ProjectRecord] = field(default_factory=dict)

    @property
    def dir(self) -> str:
        return layout.customer_dir(self.id)

    def contact_list(self) -> list[Any]:
        if self.contacts and self.contacts.model:
            return list(self.contacts.model.contacts)
        return []

    def release_nodes(self) -> None:
        """Drop the YAML node trees once problems are located (they dominate memory)."""
        for loaded in (self.customer, self.contacts, self.activities,
                       *(p.project for p in self.projects.values()),
                       *(p.history for p in self.projects.values()),
                       *(p.competition for p in self.projects.values())):
            if loaded is not None:
                loaded.doc.root = None
        for project in self.projects.values():
            for document in project.documents.values():
                if document.front is not None:
                    document.front.root = None


@dataclass
class Repository:
    root: Path
    config: Any
    customers: dict[str, CustomerRecord] = field(default_factory=dict)


def _inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


def load_file(root: Path, rel: str, kind: layout.FileKind, messages: Messages) -> tuple[Loaded[Any], list[Diagnostic]]:
    from crmctl.files.validate import validate_document

    file = root / rel
    if file.is_symlink() and not _inside(root, file):
        doc = YamlDocument(rel)
        return Loaded(doc, None), [messages.diagnostic("file-outside", rel)]
    doc = read_yaml(file, rel, messages)
    model, diagnostics = validate_document(kind.model(), doc, messages)
    return Loaded(doc, model), doc.diagnostics + diagnostics


def load_config(root: Path, messages: Messages) -> tuple[Any, list[Diagnostic]]:
    """crm.yaml; when it is broken, the defaults stand in so customers still get checked."""
    from crmctl import __version__
    from crmctl.models.config import FORMAT_VERSION, Config

    loaded, diagnostics = load_file(root, layout.CONFIG_FILE, layout.CONFIG, messages)
    data = loaded.doc.data
    if isinstance(data, dict) and "format" in data and data["format"] != FORMAT_VERSION:
        from crmctl.files.yamlio import locate, mark_of

        line, col = mark_of(locate(loaded.doc.root, ("format",))[0])
        diagnostics.append(messages.diagnostic("config-version", layout.CONFIG_FILE, line, col,
                                               found=data["format"], version=__version__,
                                               supported=FORMAT_VERSION))
    return loaded.model or Config(format=FORMAT_VERSION), diagnostics


def customer_ids(root: Path, messages: Messages) -> tuple[list[str], list[Diagnostic]]:
    """Folders under customers/, sorted; stray files and bad links are reported."""
    base = root / layout.CUSTOMERS_DIR
    diagnostics: list[Diagnostic] = []
    if not base.is_dir():
        return [], diagnostics
    ids = []
    for entry in sorted(os.scandir(base), key=lambda e: e.name):
        if entry.name.startswith("."):
            continue
        rel = f"{layout.CUSTOMERS_DIR}/{entry.name}"
        if entry.is_symlink() and not _inside(root, Path(entry.path)):
            diagnostics.append(messages.diagnostic("file-outside", rel))
        elif entry.is_dir():
            ids.append(entry.name)
        else:
            diagnostics.append(messages.diagnostic("file-unknown", rel, suggestion=""))
    return ids, diagnostics


def load_customer(
    root: Path,
    customer_id: str,
    messages: Messages,
    *,
    parts: Iterable[str] | None = None,
) -> tuple[CustomerRecord, list[Diagnostic]]:
    """Load one customer folder. ``parts`` limits what is read — any of
    ``customer``, ``contacts``, ``activities``, ``project``, ``history``,
    ``competition``, ``documents`` (e.g. ``{"customer"}`` for a listing); by
    default everything is, and unknown files are reported."""
    wanted = set(parts) if parts is not None else None
    record = CustomerRecord(customer_id)
    diagnostics: list[Diagnostic] = []
    folder = root / record.dir
    if not is_valid_id(customer_id):
        diagnostics.append(messages.diagnostic("id-invalid", record.dir, what=messages.pick("customer", "客户"),
                                               id=customer_id))
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        diagnostics.append(messages.diagnostic("file-unreadable", record.dir, error=exc.strerror or str(exc)))
        return record, diagnostics
    names = {e.name: e for e in entries}
    for filename, kind in layout.CUSTOMER_FILES.items():
        if wanted is not None and kind.name not in wanted:
            continue
        rel = f"{record.dir}/{filename}"
        if filename not in names:
            if kind.required:
                diagnostics.append(_missing(messages, rel, kind, customer_id))
            continue
        loaded, found = load_file(root, rel, kind, messages)
        setattr(record, kind.name, loaded)
        diagnostics.extend(found)
    if wanted is None:
        diagnostics.extend(_unknown_entries(record.dir, entries, set(layout.CUSTOMER_FILES) | {layout.PROJECTS_DIR}, messages))
    if wanted is None or "project" in wanted:
        project_base = folder / layout.PROJECTS_DIR
        if project_base.is_dir():
            for entry in sorted(os.scandir(project_base), key=lambda e: e.name):
                if entry.name.startswith("."):
                    continue
                rel_dir = layout.project_dir(customer_id, entry.name)
                if not entry.is_dir() or (entry.is_symlink() and not _inside(root, Path(entry.path))):
                    code = "file-outside" if entry.is_symlink() else "file-unknown"
                    diagnostics.append(messages.diagnostic(code, rel_dir, suggestion=""))
                    continue
                project, found = _load_project(root, customer_id, entry.name, messages, wanted)
                record.projects[entry.name] = project
                diagnostics.extend(found)
    return record, diagnostics


def _load_project(root: Path, customer_id: str, project_id: str, messages: Messages, wanted: set[str] | None
                  ) -> tuple[ProjectRecord, list[Diagnostic]]:
    record = ProjectRecord(customer_id, project_id)
    diagnostics: list[Diagnostic] = []
    if not is_valid_id(project_id):
        diagnostics.append(messages.diagnostic("id-invalid", record.dir, what=messages.pick("project", "项目"),
                                               id=project_id))
    from crmctl.files.documents import DOCUMENT_FILES, read_document

    rel = f"{record.dir}/{layout.PROJECT.filename}"
    entries = sorted(os.scandir(root / record.dir), key=lambda e: e.name)
    names = {e.name for e in entries}
    if layout.PROJECT.filename not in names:
        diagnostics.append(_missing(messages, rel, layout.PROJECT, customer_id, project_id))
    else:
        record.project, found = load_file(root, rel, layout.PROJECT, messages)
        diagnostics.extend(found)
    for kind in (layout.HISTORY, layout.COMPETITION):
        if kind.filename in names and (wanted is None or kind.name in wanted):
            loaded, found = load_file(root, f"{record.dir}/{kind.filename}", kind, messages)
            setattr(record, kind.name, loaded)
            diagnostics.extend(found)
    if wanted is not None and "documents" not in wanted:
        return record, diagnostics
    for entry in entries:
        kind = DOCUMENT_FILES.get(entry.name)
        if kind is None:
            continue
        rel_doc = f"{record.dir}/{entry.name}"
        if entry.is_symlink() and not _inside(root, Path(entry.path)):
            diagnostics.append(messages.diagnostic("file-outside", rel_doc))
            continue
        document = read_document(root / rel_doc, rel_doc, kind, messages)
        record.documents[kind.id] = document
        diagnostics.extend(document.diagnostics)
    if wanted is None:
        known = set(layout.PROJECT_FILES) | set(DOCUMENT_FILES) | {layout.ATTACHMENTS_DIR}
        diagnostics.extend(_unknown_entries(record.dir, entries, known, messages))
    return record, diagnostics


def _unknown_entries(rel_dir: str, entries: list[os.DirEntry[str]], known: set[str], messages: Messages
                     ) -> list[Diagnostic]:
    found = []
    for entry in entries:
        if entry.name in known or entry.name.startswith("."):
            continue
        found.append(messages.diagnostic("file-unknown", f"{rel_dir}/{entry.name}",
                                         suggestion=messages.did_you_mean(entry.name, known)))
    return found


def _missing(messages: Messages, rel: str, kind: layout.FileKind, customer_id: str, project_id: str = ""
             ) -> Diagnostic:
    if kind is layout.PROJECT:
        what = messages.pick("the project file", "项目文件")
        fix = messages.pick(f"create it, or start the project again with: crmctl new project {customer_id} NAME",
                            f"请创建该文件,或用命令重建项目:crmctl new project {customer_id} 名称")
    else:
        what = messages.pick("the customer file", "客户文件")
        fix = messages.pick("create it (copy another customer's customer.yaml), or remove the folder",
                            "请创建该文件(可参照其他客户的 customer.yaml),或删除该文件夹")
    return messages.diagnostic("file-missing", rel, what=what, expected=rel, fix=fix)


def load_repository(root: Path, messages: Messages, *, parts: Iterable[str] | None = None
                    ) -> tuple[Repository, list[Diagnostic]]:
    """Every customer, in id order. Node trees are released after loading; use
    :func:`crmctl.checking.check.check_repository` to validate with located rules."""
    config, diagnostics = load_config(root, messages)
    repo = Repository(root, config)
    ids, found = customer_ids(root, messages)
    diagnostics.extend(found)
    for customer_id in ids:
        record, found = load_customer(root, customer_id, messages, parts=parts)
        record.release_nodes()
        repo.customers[customer_id] = record
        diagnostics.extend(found)
    return repo, diagnostics
