"""The documents of the six-step method: which exist, where, and whether they are done.

A document is ``<kind>.md`` in the project folder: YAML front matter between
``---`` lines, then free text. ``crmctl doc new`` writes one from a template
with placeholders written ``«…»``; a document counts as present only when no
placeholder is left and its front matter validates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmctl import vocabulary
from crmctl.diagnostics import Diagnostic
from crmctl.files.yamlio import YamlDocument, parse_yaml, read_text
from crmctl.messages import Messages

PLACEHOLDER = re.compile(r"«[^»\n]*»")


@dataclass(frozen=True)
class DocumentKind:
    id: str
    model_ref: str
    name_zh: str
    name_en: str
    format: str = "markdown"  # or "yaml": the whole file is the fields (an evaluation is a table, not prose)

    @property
    def filename(self) -> str:
        return f"{self.id}.yaml" if self.format == "yaml" else f"{self.id}.md"

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh-CN" else self.name_en

    def model(self) -> type:
        from crmctl.files.layout import import_model

        return import_model(self.model_ref)


_MODELS = {
    "phone_invitation": "documents:PhoneInvitation", "visit_report": "documents:VisitReport",
    "product_recommendation": "documents:ProductRecommendation", "exchange_minutes": "documents:ExchangeMinutes",
    "negotiation_minutes": "documents:NegotiationMinutes", "service_plan": "documents:ServicePlan",
    "evaluation": "analysis:Evaluation", "contract": "contract:Contract", "delivery": "contract:Delivery",
    "order_assurance": "contract:OrderAssurance",
}
_YAML_KINDS = {"evaluation", "contract", "order_assurance", "delivery"}
DOCUMENT_KINDS: dict[str, DocumentKind] = {
    kind: DocumentKind(kind, f"crmctl.models.{_MODELS[kind]}", zh, en, "yaml" if kind in _YAML_KINDS else "markdown")
    for kind, (en, zh) in vocabulary.DOCUMENT_KIND.items()
}
DOCUMENT_FILES: dict[str, DocumentKind] = {k.filename: k for k in DOCUMENT_KINDS.values()}


@dataclass
class Document:
    """One document file: front matter (as a YamlDocument whose lines are the file's), model, state."""

    kind: DocumentKind
    path: str
    front: YamlDocument | None = None
    model: Any = None
    placeholders: list[tuple[int, int, str]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def draft(self) -> bool:
        return bool(self.placeholders)

    def people(self) -> list[tuple[tuple[Any, ...], str]]:
        """Every contact id the front matter names, with its place (``("attendees", 0)``)."""
        found: list[tuple[tuple[Any, ...], str]] = []
        for name in getattr(self.model, "people", ()):
            value = getattr(self.model, name, None)
            if isinstance(value, str):
                found.append(((name,), value))
            elif isinstance(value, list):
                found.extend(((name, i), v) for i, v in enumerate(value) if isinstance(v, str))
        for name, inner in getattr(self.model, "nested_people", {}).items():  # `rounds[].attendees`
            for i, item in enumerate(getattr(self.model, name, None) or []):
                found.extend(((name, i, inner, j), v) for j, v in enumerate(getattr(item, inner, None) or []))
        return found

    def met(self) -> list[tuple[str, Any]]:
        """(contact id, date) for everyone the document shows we met or called, on its date."""
        if self.model is None or not self.complete:
            return []
        when = getattr(self.model, getattr(self.model, "met_on", "date"), None)
        names = getattr(self.model, "met", ())
        return [(ident, when) for loc, ident in self.people() if loc[0] in names and when is not None]

    @property
    def complete(self) -> bool:
        return self.model is not None and not self.placeholders and not any(
            d.severity == "error" for d in self.diagnostics)


def split_front_matter(text: str) -> tuple[str, str] | None:
    """(front matter padded so its lines are the file's lines, body), or None.

    The opening ``---`` becomes an empty line, so a YAML mark on line N is the
    file's line N.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").rstrip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r\n").rstrip() in ("---", "..."):
            return "\n" + "".join(lines[1:i]), "".join(lines[i + 1:])
    return None


def find_placeholders(text: str) -> list[tuple[int, int, str]]:
    if "«" not in text:  # a finished document, the usual case: no line needs a look
        return []
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in PLACEHOLDER.finditer(line):
            found.append((number, match.start() + 1, match.group()))
    return found


def read_document(file: str | Path, rel: str, kind: DocumentKind, messages: Messages) -> Document:
    """Parse and, unless it is still a draft, validate one document. Never raises for bad content."""
    text, problems = read_text(file, rel, messages)  # at most 8 MiB, as every file crmctl reads
    if text is None:
        doc = Document(kind, rel)
        doc.diagnostics.extend(problems)
        return doc
    return document_from_text(text, rel, kind, messages)


def document_from_text(text: str, rel: str, kind: DocumentKind, messages: Messages) -> Document:
    """:func:`read_document` of a document's text (``check --fix`` tries a change on it first)."""
    from crmctl.files.validate import validate_document

    doc = Document(kind, rel)
    doc.placeholders = find_placeholders(text)
    parts = (text, "") if kind.format == "yaml" else split_front_matter(text)
    if parts is None:
        doc.diagnostics.append(messages.diagnostic("doc-front-matter", rel, 1, 1, kind=kind.name(messages.lang)))
        return doc
    doc.front = parse_yaml(parts[0], rel, messages)
    doc.diagnostics.extend(doc.front.diagnostics)
    if doc.placeholders:
        line, col, text_ = doc.placeholders[0]
        doc.diagnostics.append(messages.diagnostic("doc-draft", rel, line, col, count=len(doc.placeholders),
                                                   placeholder=text_))
        return doc  # a draft's fields are not checked yet: they are still being filled in
    if doc.front.root is None and not doc.front.empty:
        return doc
    doc.model, found = validate_document(kind.model(), doc.front, messages)
    doc.diagnostics.extend(found)
    return doc
