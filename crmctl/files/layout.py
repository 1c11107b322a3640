"""Where each kind of file lives in a customer repository, and which model reads it.

Later file kinds (stage history, documents, contract, maintenance) are added
here; loading, ``check``, ``schema`` and the unknown-file warning follow.
"""

from __future__ import annotations

import functools
import importlib
import os
from dataclasses import dataclass
from pathlib import Path

CONFIG_FILE = "crm.yaml"
CUSTOMERS_DIR = "customers"
PROJECTS_DIR = "projects"
SCHEMA_DIR = "schemas"


@functools.cache  # asked for once a file: the import machinery each time costs a check ~2%
def import_model(model_ref: str) -> type:
    """The model class ``module:Class`` names, imported on first use."""
    module, _, cls = model_ref.partition(":")
    return getattr(importlib.import_module(module), cls)


@dataclass(frozen=True)
class FileKind:
    name: str
    filename: str
    pattern: str  # for people: where it lives
    model_ref: str  # "module:Class", imported only when needed
    depth: int  # folders below the repository root (for the schema's relative path)
    required: bool

    def model(self) -> type:
        return import_model(self.model_ref)

    @property
    def schema_filename(self) -> str:
        return f"{self.name}.schema.json"

    def schema_reference(self) -> str:
        """The relative ``$schema`` path written at the top of files of this kind."""
        return "../" * self.depth + f"{SCHEMA_DIR}/{self.schema_filename}"


CONFIG = FileKind("config", CONFIG_FILE, CONFIG_FILE, "crmctl.models.config:Config", 0, True)
PEOPLE_FILE = "people.yaml"
PEOPLE = FileKind("people", PEOPLE_FILE, PEOPLE_FILE, "crmctl.models.people:PeopleFile", 0, False)
CUSTOMER = FileKind("customer", "customer.yaml", "customers/<customer>/customer.yaml",
                    "crmctl.models.customer:Customer", 2, True)
CONTACTS = FileKind("contacts", "contacts.yaml", "customers/<customer>/contacts.yaml",
                    "crmctl.models.contacts:ContactsFile", 2, False)
ACTIVITIES = FileKind("activities", "activities.yaml", "customers/<customer>/activities.yaml",
                      "crmctl.models.activities:ActivitiesFile", 2, False)
CARE = FileKind("care", "care.yaml", "customers/<customer>/care.yaml", "crmctl.models.care:CarePlan", 2, False)
PROJECT = FileKind("project", "project.yaml", "customers/<customer>/projects/<project>/project.yaml",
                   "crmctl.models.project:Project", 4, True)

HISTORY = FileKind("history", "history.yaml", "customers/<customer>/projects/<project>/history.yaml",
                   "crmctl.models.history:History", 4, False)

COMPETITION = FileKind("competition", "competition.yaml", "customers/<customer>/projects/<project>/competition.yaml",
                       "crmctl.models.analysis:Competition", 4, False)

EVALUATION = FileKind("evaluation", "evaluation.yaml", "customers/<customer>/projects/<project>/evaluation.yaml",
                      "crmctl.models.analysis:Evaluation", 4, False)

# file kinds with a JSON Schema (evaluation.yaml is read as a stage document, see crmctl.files.documents)
ALL_KINDS: tuple[FileKind, ...] = (CONFIG, PEOPLE, CUSTOMER, CONTACTS, ACTIVITIES, CARE, PROJECT, HISTORY, COMPETITION,
                                   EVALUATION)
CUSTOMER_FILES: dict[str, FileKind] = {k.filename: k for k in (CUSTOMER, CONTACTS, ACTIVITIES, CARE)}
PROJECT_FILES: dict[str, FileKind] = {k.filename: k for k in (PROJECT, HISTORY, COMPETITION)}
# a folder in a project for files crmctl does not read (drawings, scans, quotes)
ATTACHMENTS_DIR = "attachments"


def customer_dir(customer_id: str) -> str:
    return f"{CUSTOMERS_DIR}/{customer_id}"


def project_dir(customer_id: str, project_id: str) -> str:
    return f"{CUSTOMERS_DIR}/{customer_id}/{PROJECTS_DIR}/{project_id}"


class RepositoryNotFound(Exception):
    """No crm.yaml here or above; a user error, not a diagnostic of any file."""

    def __init__(self, start: Path, explicit: bool) -> None:
        super().__init__(str(start))
        self.start = start
        self.explicit = explicit


def find_root(start: Path | None = None, explicit: str | os.PathLike[str] | None = None) -> Path:
    """The repository root: ``explicit`` (``--repo``/``CRMCTL_REPO``) or, as git does,
    the nearest folder from ``start`` upwards that holds ``crm.yaml``."""
    if explicit:
        root = Path(explicit).expanduser().resolve()
        if not (root / CONFIG_FILE).is_file():
            raise RepositoryNotFound(root, explicit=True)
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise RepositoryNotFound(here, explicit=False)


def require_id(value: str, what: str, messages) -> str:
    """A CUSTOMER or PROJECT given on the command line is an id, never a path: anything an
    id cannot hold (``..``, ``/``, spaces, capitals, Chinese) is refused before the file
    system is touched."""
    from crmctl.errors import UserError
    from crmctl.ids import is_valid_id

    if is_valid_id(value):
        return value
    m = messages
    raise UserError(m.pick(f"`{value}` is not a {what} id", f"`{value}` 不是{what}标识"),
                    m.pick("ids are lowercase letters, digits and single hyphens, e.g. bj-huanwei; "
                           "a project is named CUSTOMER/PROJECT; crmctl list shows the customers",
                           "标识由小写字母、数字和单个连字符组成，例如 bj-huanwei；项目写作 客户/项目；"
                           "crmctl list 列出客户"))


def split_ref(ref: str, messages) -> tuple[str, str | None]:
    """``CUSTOMER`` or ``CUSTOMER/PROJECT`` as (customer id, project id or None), both checked ids."""
    customer, slash, project = ref.partition("/")
    if slash:
        m = messages
        return (require_id(customer, m.pick("customer", "客户"), m),
                require_id(project, m.pick("project", "项目"), m))
    return require_id(ref, messages.pick("customer or project", "客户或项目"), messages), None


def require_customer(root: Path, customer_id: str, messages) -> Path:
    """The folder of an existing customer, or a UserError naming the nearest ids. The
    folder may be a link that stays inside the repository, never one that leads out."""
    import difflib

    from crmctl.errors import UserError
    from crmctl.files import boundary

    require_id(customer_id, messages.pick("customer", "客户"), messages)
    folder = boundary.require(root, customer_dir(customer_id), messages)
    if folder.is_dir():
        return folder
    base = root / CUSTOMERS_DIR
    try:
        known = sorted(e.name for e in os.scandir(base) if e.is_dir() and not e.name.startswith("."))
    except OSError:
        known = []
    close = difflib.get_close_matches(customer_id, known, n=3, cutoff=0.5)
    raise UserError(messages.pick(f"no customer `{customer_id}`", f"没有客户 `{customer_id}`"),
                    messages.pick(f"did you mean: {', '.join(close)}?" if close else "see them with: crmctl list",
                                  f"是否应为：{'，'.join(close)}？" if close else "查看客户列表：crmctl list"))
