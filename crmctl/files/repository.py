"""Finding and loading a customer repository.

Like beancount's loader, loading returns the records *and* the diagnostics; it
never raises for bad data, so one pass reports every problem.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Generic, Iterable, TypeVar

from crmctl.diagnostics import Diagnostic, sort_diagnostics
from crmctl.escaping import CONTROL, controls_in
from crmctl.files import boundary, layout
from crmctl.files.yamlio import YamlDocument, locate, mark_of, read_yaml
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
    care: Loaded[Any] | None = None  # care.yaml, the care plan
    projects: dict[str, ProjectRecord] = field(default_factory=dict)

    @property
    def dir(self) -> str:
        return layout.customer_dir(self.id)

    @property
    def contacts_unreadable(self) -> bool:
        """contacts.yaml is there but cannot be read: who is a contact is not known (and
        nobody should be told a person does not exist because of a typo elsewhere)."""
        return self.contacts is not None and self.contacts.model is None

    def contact_list(self) -> list[Any]:
        if self.contacts and self.contacts.model:
            return list(self.contacts.model.contacts)
        return []

    def release_nodes(self, *, data: bool = False) -> None:
        """Drop the YAML node trees once problems are located (they dominate memory); with ``data``,
        the plain values the models were made from too (a third of what is left), for a reader
        that keeps many records and needs only the models."""
        for loaded in (self.customer, self.contacts, self.activities, self.care,
                       *(p.project for p in self.projects.values()),
                       *(p.history for p in self.projects.values()),
                       *(p.competition for p in self.projects.values())):
            if loaded is not None:
                loaded.doc.root = None
                if data and loaded.model is not None:
                    loaded.doc.data = None
        for project in self.projects.values():
            for document in project.documents.values():
                if document.front is not None:
                    document.front.root = None


@dataclass
class Repository:
    root: Path
    config: Any
    customers: dict[str, CustomerRecord] = field(default_factory=dict)


def read_repo_yaml(root: Path, rel: str, messages: Messages, entry: os.DirEntry[str] | None = None) -> YamlDocument:
    """One YAML file of the repository, read only if it stays inside it. ``entry``: the file
    as met in a folder scan (then only a link costs a look at where it leads)."""
    problem = (boundary.entry_diagnostic(root, rel, entry, messages) if entry is not None
               else boundary.diagnostic(root, rel, messages))
    if problem is not None:
        return YamlDocument(rel, diagnostics=[problem])
    return read_yaml(f"{root}{os.sep}{rel}", rel, messages)  # a string: a Path per file costs a check ~2%


def load_file(root: Path, rel: str, kind: layout.FileKind, messages: Messages,
              entry: os.DirEntry[str] | None = None) -> tuple[Loaded[Any], list[Diagnostic]]:
    from crmctl.files.validate import validate_document

    doc = read_repo_yaml(root, rel, messages, entry)
    model, diagnostics = validate_document(kind.model(), doc, messages)
    return Loaded(doc, model), doc.diagnostics + diagnostics


def _scan(root: Path, rel: str, messages: Messages, diagnostics: list[Diagnostic]) -> list[os.DirEntry[str]] | None:
    """The entries of the folder ``rel``, sorted; None (with a diagnostic, unless it is simply
    missing) when it cannot be listed."""
    try:
        with os.scandir(f"{root}{os.sep}{rel}") as found:  # a string: see read_repo_yaml
            return sorted(found, key=lambda e: e.name)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        diagnostics.append(messages.diagnostic("file-unreadable", rel, error=messages.pick(
            "it is a file, where a folder belongs", "这是一个文件，此处应为文件夹")))
    except OSError as exc:
        diagnostics.append(messages.diagnostic("file-unreadable", rel, error=exc.strerror or str(exc)))
    return None


def _usable(root: Path, rel: str, entry: os.DirEntry[str], messages: Messages, diagnostics: list[Diagnostic]) -> bool:
    """Whether a scanned entry may be read: not a link leading out or looping, nor a name
    holding a control character (reported)."""
    problem = _control_name(rel, entry.name, messages) or boundary.entry_diagnostic(root, rel, entry, messages)
    if problem is not None:
        diagnostics.append(problem)
        return False
    return True


def load_config(root: Path, messages: Messages) -> tuple[Any, list[Diagnostic]]:
    """crm.yaml; when it is broken, the defaults stand in so customers still get checked."""
    from crmctl import __version__
    from crmctl.models.config import FORMAT_VERSION, Config

    loaded, diagnostics = load_file(root, layout.CONFIG_FILE, layout.CONFIG, messages)
    data = loaded.doc.data
    found = data.get("format") if isinstance(data, dict) else None
    if type(found) is int and found != FORMAT_VERSION:  # another kind of value is a schema-type error
        from crmctl.files.yamlio import locate, mark_of

        line, col = mark_of(locate(loaded.doc.root, ("format",))[0])
        diagnostics.append(messages.diagnostic("config-version", layout.CONFIG_FILE, line, col,
                                               found=data["format"], version=__version__,
                                               supported=FORMAT_VERSION))
    return loaded.model or Config(format=FORMAT_VERSION), diagnostics


def load_people(root: Path, messages: Messages) -> tuple[Any, list[Diagnostic]]:
    """people.yaml as a :class:`~crmctl.models.people.Team`; None when there is none (names are then
    taken as written) or when it is broken (its diagnostics say why)."""
    from crmctl.models.people import Team

    if not os.path.lexists(root / layout.PEOPLE_FILE):
        return None, []
    loaded, diagnostics = load_file(root, layout.PEOPLE_FILE, layout.PEOPLE, messages)
    if loaded.model is None:
        return None, diagnostics
    people = loaded.model.people
    first: dict[str, int] = {}
    for i, person in enumerate(people):
        line, col = mark_of(locate(loaded.doc.root, ("people", i, "id"))[0])
        if person.id in first:
            diagnostics.append(messages.diagnostic("id-duplicate", layout.PEOPLE_FILE, line, col,
                                                   what=messages.pick("person", "人员"), id=person.id,
                                                   first_line=first[person.id]))
        first.setdefault(person.id, line)
    return Team(tuple(people)), diagnostics


def repository_language(root: Path) -> str:
    """crm.yaml's ``language:`` (zh-CN when it is missing or unreadable). What crmctl writes into
    the repository (comments, documents) is in this language, whatever ``--lang`` asks of messages:
    the files are the team's, read by everyone."""
    from crmctl.messages import normalise_language

    data = read_repo_yaml(root, layout.CONFIG_FILE, Messages("en")).data
    configured = data.get("language") if isinstance(data, dict) else None
    return normalise_language(configured if isinstance(configured, str) else None) or "zh-CN"


def customer_ids(root: Path, messages: Messages) -> tuple[list[str], list[Diagnostic]]:
    """Folders under customers/, sorted; stray files, leftovers and bad links are reported."""
    diagnostics: list[Diagnostic] = []
    base = layout.CUSTOMERS_DIR
    problem = boundary.diagnostic(root, base, messages) if (root / base).is_symlink() else None
    if problem is not None:
        return [], [problem]
    entries = _scan(root, base, messages, diagnostics)
    ids = []
    for entry in entries or ():
        rel = f"{base}/{entry.name}"
        if entry.name.startswith("."):
            diagnostics.extend(_leftover(rel, entry, messages))
        elif not _usable(root, rel, entry, messages, diagnostics):
            continue
        elif entry.is_dir():
            ids.append(entry.name)
        else:
            diagnostics.append(messages.diagnostic("file-unknown", rel, suggestion=""))
    return ids, diagnostics


def named_customer_ids(root: Path, names: Iterable[str], messages: Messages) -> tuple[list[str], list[Diagnostic]]:
    """:func:`customer_ids` for the entries of customers/ named only, with the same findings: a
    change touches a few customers of a hundred thousand, and listing them all costs more than
    checking the few. A name no longer there (a deleted customer) has nothing to check."""
    from crmctl.files.storage import TEMP_PREFIX

    base = layout.CUSTOMERS_DIR
    if (root / base).is_symlink():
        return customer_ids(root, messages)
    ids, diagnostics = [], []
    for name in sorted(names):
        rel = f"{base}/{name}"
        path = root / rel
        if not os.path.lexists(path):
            continue
        if name.startswith("."):
            if name.startswith(TEMP_PREFIX):
                diagnostics.append(messages.diagnostic("file-leftover", rel))
            continue
        problem = _control_name(rel, name, messages) or \
            (boundary.diagnostic(root, rel, messages) if path.is_symlink() else None)
        if problem is not None:
            diagnostics.append(problem)
        elif path.is_dir():
            ids.append(name)
        else:
            diagnostics.append(messages.diagnostic("file-unknown", rel, suggestion=""))
    return ids, diagnostics


def folder_names(root: Path, rel: str, messages: Messages) -> tuple[list[str], list[Diagnostic]]:
    """The sub-folders of ``rel`` named like ids, sorted (links inside the repository included), and
    why any other could not be looked at; ([], []) when ``rel`` is missing. For commands that
    name or list records without loading them."""
    diagnostics: list[Diagnostic] = []
    names = []
    for entry in _scan(root, rel, messages, diagnostics) or ():
        if entry.name.startswith(".") or not is_valid_id(entry.name) or \
                not _usable(root, f"{rel}/{entry.name}", entry, messages, diagnostics):
            continue
        try:
            if entry.is_dir():
                names.append(entry.name)
        except OSError as exc:
            diagnostics.append(messages.diagnostic("file-unreadable", f"{rel}/{entry.name}",
                                                   error=exc.strerror or str(exc)))
    return names, diagnostics


def _leftover(rel: str, entry: os.DirEntry[str], messages: Messages) -> list[Diagnostic]:
    """A temporary file or folder a killed crmctl run left behind (other dot-files are ignored)."""
    from crmctl.files.storage import TEMP_PREFIX

    return [messages.diagnostic("file-leftover", rel)] if entry.name.startswith(TEMP_PREFIX) else []


def load_customer(
    root: Path,
    customer_id: str,
    messages: Messages,
    *,
    parts: Iterable[str] | None = None,
) -> tuple[CustomerRecord, list[Diagnostic]]:
    """Load one customer folder. ``parts`` limits what is read — any of
    ``customer``, ``contacts``, ``activities``, ``care``, ``project``, ``history``,
    ``competition``, ``documents`` (e.g. ``{"customer"}`` for a listing); by
    default everything is, and unknown files are reported."""
    wanted = set(parts) if parts is not None else None
    record = CustomerRecord(customer_id)
    diagnostics: list[Diagnostic] = []
    if not is_valid_id(customer_id):
        diagnostics.append(messages.diagnostic("id-invalid", record.dir, what=messages.pick("customer", "客户"),
                                               id=customer_id))
    entries = _scan(root, record.dir, messages, diagnostics)
    if entries is None:
        if not diagnostics:
            diagnostics.append(messages.diagnostic("file-unreadable", record.dir, error=messages.pick(
                "the folder is missing", "文件夹不存在")))
        return record, diagnostics
    names = {e.name: e for e in entries}
    for filename, kind in layout.CUSTOMER_FILES.items():
        if wanted is not None and kind.name not in wanted:
            continue
        rel = f"{record.dir}/{filename}"
        if filename not in names:
            if kind.required:
                diagnostics.append(missing_file(messages, rel, kind, customer_id))
            continue
        loaded, found = load_file(root, rel, kind, messages, names[filename])
        setattr(record, kind.name, loaded)
        diagnostics.extend(found)
    if wanted is None:
        diagnostics.extend(_unknown_entries(record.dir, entries, set(layout.CUSTOMER_FILES) | {layout.PROJECTS_DIR}, messages))
    projects = names.get(layout.PROJECTS_DIR)
    projects_rel = f"{record.dir}/{layout.PROJECTS_DIR}"
    if (wanted is None or "project" in wanted) and projects is not None \
            and _usable(root, projects_rel, projects, messages, diagnostics):
        for entry in _scan(root, projects_rel, messages, diagnostics) or ():
            rel_dir = layout.project_dir(customer_id, entry.name)
            if entry.name.startswith("."):
                diagnostics.extend(_leftover(rel_dir, entry, messages))
            elif not _usable(root, rel_dir, entry, messages, diagnostics):
                continue
            elif not entry.is_dir():
                diagnostics.append(messages.diagnostic("file-unknown", rel_dir, suggestion=""))
            else:
                project, found = _load_project(root, customer_id, entry.name, messages, wanted)
                if project is not None:
                    record.projects[entry.name] = project
                diagnostics.extend(found)
    return record, diagnostics


def _load_project(root: Path, customer_id: str, project_id: str, messages: Messages, wanted: set[str] | None
                  ) -> tuple[ProjectRecord | None, list[Diagnostic]]:
    record = ProjectRecord(customer_id, project_id)
    diagnostics: list[Diagnostic] = []
    if not is_valid_id(project_id):
        diagnostics.append(messages.diagnostic("id-invalid", record.dir, what=messages.pick("project", "项目"),
                                               id=project_id))
    from crmctl.files.documents import DOCUMENT_FILES, read_document

    rel = f"{record.dir}/{layout.PROJECT.filename}"
    entries = _scan(root, record.dir, messages, diagnostics)
    if entries is None:
        return None, diagnostics
    names = {e.name: e for e in entries}
    if layout.PROJECT.filename not in names:
        diagnostics.append(missing_file(messages, rel, layout.PROJECT, customer_id, project_id))
    else:
        record.project, found = load_file(root, rel, layout.PROJECT, messages, names[layout.PROJECT.filename])
        diagnostics.extend(found)
    for kind in (layout.HISTORY, layout.COMPETITION):
        if kind.filename in names and (wanted is None or kind.name in wanted):
            loaded, found = load_file(root, f"{record.dir}/{kind.filename}", kind, messages, names[kind.filename])
            setattr(record, kind.name, loaded)
            diagnostics.extend(found)
    if wanted is not None and "documents" not in wanted:
        return record, diagnostics
    for entry in entries:
        kind = DOCUMENT_FILES.get(entry.name)
        if kind is None:
            continue
        rel_doc = f"{record.dir}/{entry.name}"
        if not _usable(root, rel_doc, entry, messages, diagnostics):
            continue
        document = read_document(f"{root}{os.sep}{rel_doc}", rel_doc, kind, messages)
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
        if entry.name.startswith("."):
            found.extend(_leftover(f"{rel_dir}/{entry.name}", entry, messages))
        if entry.name in known or entry.name.startswith("."):
            continue
        found.append(_control_name(f"{rel_dir}/{entry.name}", entry.name, messages)
                     or messages.diagnostic("file-unknown", f"{rel_dir}/{entry.name}",
                                            suggestion=messages.did_you_mean(entry.name, known)))
    return found


def _control_name(rel: str, name: str, messages: Messages) -> Diagnostic | None:
    """A name holding control characters (a newline, an escape) is not read: printed, it
    could forge or hide a line of output."""
    if CONTROL.search(name) is None:
        return None
    return messages.diagnostic("file-name-control", rel, chars=", ".join(controls_in(name)))


def missing_file(messages: Messages, rel: str, kind: layout.FileKind, customer_id: str, project_id: str = ""
             ) -> Diagnostic:
    if kind is layout.PROJECT:
        what = messages.pick("the project file", "项目文件")
        fix = messages.pick(f"create it, or start the project again with: crmctl new project {customer_id} NAME",
                            f"请创建该文件，或用命令重建项目：crmctl new project {customer_id} 名称")
    else:
        what = messages.pick("the customer file", "客户文件")
        fix = messages.pick("create it (copy another customer's customer.yaml), or remove the folder",
                            "请创建该文件（可参照其他客户的 customer.yaml），或删除该文件夹")
    return messages.diagnostic("file-missing", rel, what=what, expected=rel, fix=fix)


def load_repository(root: Path, messages: Messages, *, parts: Iterable[str] | None = None,
                    progress: Callable[[int, int], None] | None = None) -> tuple[Repository, list[Diagnostic]]:
    """Every customer, in id order. Node trees are released after loading; use
    :func:`crmctl.checking.check.check_repository` to validate with located rules.
    ``progress(done, total)`` is told of the customers as they are read."""
    config, diagnostics = load_config(root, messages)
    repo = Repository(root, config)
    ids, found = customer_ids(root, messages)
    diagnostics.extend(found)
    for done, customer_id in enumerate(ids):
        if progress is not None:
            progress(done, len(ids))
        record, found = load_customer(root, customer_id, messages, parts=parts)
        record.release_nodes()
        repo.customers[customer_id] = record
        diagnostics.extend(found)
    return repo, sort_diagnostics(diagnostics)
