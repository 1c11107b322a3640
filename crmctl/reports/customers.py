"""What ``list`` and ``show`` display, as plain data for any output format."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmctl import vocabulary
from crmctl.diagnostics import Diagnostic
from crmctl.escaping import join_lines
from crmctl.files import layout
from crmctl.messages import Messages
from crmctl.pipeline.builtin import DEFAULT_STAGES


def list_customers(root: Path, messages: Messages, filters: dict[str, str | None], *,
                   progress: Any = None) -> tuple[list[dict[str, Any]], list[Diagnostic]]:
    """One row per customer whose customer.yaml is valid and matches every filter."""
    from crmctl.files.repository import load_repository

    repo, diagnostics = load_repository(root, messages, parts={"customer"}, progress=progress)
    rows = []
    for cid, record in repo.customers.items():
        if record.customer is None or record.customer.model is None:
            continue
        c = record.customer.model
        if any(value is not None and getattr(c, key) != value for key, value in filters.items()):
            continue
        rows.append({
            "id": cid, "name": c.name, "category": c.category, "kind": c.kind or c.size,
            "tier": c.tier, "market": c.market, "channel": c.channel, "dealer": c.dealer,
            "owner": c.owner, "region": c.region, "fleet_size": c.total_fleet,
        })
    return rows, diagnostics


def list_columns(messages: Messages) -> list[tuple[str, str]]:
    p = messages.pick
    return [("id", p("id", "标识")), ("name", p("name", "名称")), ("category", p("category", "类别")),
            ("kind", p("kind/size", "类型/规模")), ("tier", p("tier", "级别")), ("market", p("market", "市场")),
            ("channel", p("channel", "渠道")), ("dealer", p("dealer", "经销商")), ("owner", p("owner", "负责人")),
            ("region", p("region", "区域")),
            ("fleet_size", p("fleet", "保有量"))]


def localise_row(row: dict[str, Any], lang: str) -> dict[str, Any]:
    """Vocabulary values as labels, for people (machines get the values)."""
    out = dict(row)
    for key, vocab in (("category", vocabulary.CATEGORY), ("tier", vocabulary.TIER),
                       ("market", vocabulary.MARKET), ("channel", vocabulary.CHANNEL)):
        out[key] = vocabulary.label(vocab, row.get(key), lang)
    kind = row.get("kind")
    out["kind"] = vocabulary.label(vocabulary.KIND if kind in vocabulary.KIND else vocabulary.SIZE, kind, lang)
    return out


@dataclass
class CustomerView:
    id: str
    customer: dict[str, Any] = field(default_factory=dict)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "customer": self.customer, "contacts": self.contacts,
                "projects": self.projects, "activities": self.activities}


def show_customer(root: Path, customer_id: str, messages: Messages) -> tuple[CustomerView, list[Diagnostic]]:
    """The customer's files as they are written, without schema validation, so
    ``show`` is fast and works on a file that ``check`` would reject."""

    layout.require_customer(root, customer_id, messages)
    view = CustomerView(customer_id)
    diagnostics: list[Diagnostic] = []

    def read(rel: str) -> dict[str, Any]:
        return _read_mapping(root, rel, messages, diagnostics)

    rel_dir = layout.customer_dir(customer_id)
    data = read(f"{rel_dir}/{layout.CUSTOMER.filename}")
    view.customer = data
    for key, attr in (("contacts", "contacts"), ("activities", "activities")):
        setattr(view, attr, _records(read(f"{rel_dir}/{key}.yaml").get(key)))
    view.activities = sorted(view.activities, key=lambda a: str(a.get("date", "")), reverse=True)
    from crmctl.files.repository import folder_names

    names, problems = folder_names(root, f"{rel_dir}/{layout.PROJECTS_DIR}", messages)
    diagnostics.extend(problems)
    if names:
        for entry in names:
            data = read(f"{layout.project_dir(customer_id, entry)}/{layout.PROJECT.filename}")
            if data:  # the folder names the project, whatever an `id:` key in it says
                events = _records(read(f"{layout.project_dir(customer_id, entry)}/{layout.HISTORY.filename}")
                                  .get("events"))
                view.projects.append({"id": entry, **{k: v for k, v in data.items() if k != "id"},
                                      **stage_as_written(events)})
    return view, diagnostics


def stage_as_written(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The stage and outcome a history's events read as, without validating them (``show``
    reads files as they are; ``status`` and ``check`` judge the history)."""
    stage, outcome = DEFAULT_STAGES[0]["id"], None
    for event in events:
        if event.get("action") == "advance" and isinstance(event.get("to"), str):
            stage = event["to"]
        elif event.get("action") == "close" and event.get("outcome") in ("won", "lost"):
            outcome = event["outcome"]
        elif event.get("action") == "reopen":
            outcome = None
    return {"stage": stage, "outcome": outcome}


def _read_mapping(root: Path, rel: str, messages: Messages, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    """A file's top-level mapping as written ({} when absent or not a mapping); its YAML problems are kept."""
    from crmctl.files.repository import read_repo_yaml

    try:
        os.lstat(root / rel)
    except FileNotFoundError:
        return {}
    except OSError:
        pass  # cannot be looked at: reading says why
    doc = read_repo_yaml(root, rel, messages)
    diagnostics.extend(doc.diagnostics)
    return doc.data if isinstance(doc.data, dict) else {}


# ``show`` reads the files without validating them, so any value may have any type
# (a list where a name belongs, a mapping as a category): these read what is there.

def _text(value: Any) -> str:
    """A value as one line of text, whatever its type; lists and mappings as YAML
    writes them inline, so a value of the wrong type is shown as it was written."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_text(v)}" for k, v in value.items()) + "}"
    return str(value)


def _label(vocab: vocabulary.Vocabulary, value: Any, lang: str) -> str:
    return vocabulary.label(vocab, value, lang) if isinstance(value, str) else _text(value)


def _number(value: Any) -> str:
    """A number with thousands separators; anything else as written."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,}"
    return _text(value)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _records(value: Any) -> list[dict[str, Any]]:
    """The mappings of a list (the entries a section is made of); nothing else counts."""
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


STAGE_NAMES = {s["id"]: (s["name"]["en"], s["name"]["zh"]) for s in DEFAULT_STAGES}


def render_customer(view: CustomerView, lang: str, recent: int = 5) -> str:
    """A customer as readable text (labels and vocabulary in ``lang``)."""
    zh = lang == "zh-CN"

    def t(en: str, cn: str) -> str:
        return cn if zh else en

    c = view.customer
    lines = [_text(c.get('name', view.id)) + t(f"  ({view.id})", f"（{view.id}）")]
    fields = [
        (t("category", "类别"), _label(vocabulary.CATEGORY, c.get("category"), lang)),
        (t("kind", "类型"), _label(vocabulary.KIND, c.get("kind"), lang)),
        (t("size", "规模"), _label(vocabulary.SIZE, c.get("size"), lang)),
        (t("tier", "级别"), _label(vocabulary.TIER, c.get("tier"), lang)),
        (t("market", "市场"), _label(vocabulary.MARKET, c.get("market"), lang)),
        (t("channel", "渠道"), _label(vocabulary.CHANNEL, c.get("channel"), lang)
         + (t(f" ({_text(c['dealer'])})", f"（{_text(c['dealer'])}）") if c.get("dealer") else "")),
        (t("owner", "负责人"), _text(c.get("owner"))),
        (t("region", "区域"), _text(c.get("region"))),
        (t("since", "建档"), _text(c.get("since"))),
    ]
    business = _mapping(c.get("business"))
    cross = business.get("cross_regional")
    fields += [
        (t("nature", "性质"), _text(business.get("nature"))),
        (t("main business", "主营业务"), _text(business.get("main_business"))),
        (t("cross-regional", "跨区域"), (t("yes", "是") if cross else t("no", "否")) if isinstance(cross, bool)
         else _text(cross)),
        (t("address", "地址"), _text(business.get("address"))),
    ]
    fleet = _records(c.get("current_fleet"))
    size = c.get("fleet_size")
    if size is None and fleet:
        size = sum(x.get("quantity", 1) for x in fleet if isinstance(x.get("quantity", 1), int))
    fields.append((t("fleet", "保有量"), _text(size)))
    lines += _pairs([(k, v) for k, v in fields if v])

    if view.contacts:
        lines += ["", t(f"Contacts ({len(view.contacts)})", f"联系人（{len(view.contacts)}）")]
        for p in view.contacts:
            role = t(" / ", "、").join(x for x in (
                _label(vocabulary.LEVEL, p.get("level"), lang),
                _label(vocabulary.FUNCTION, p.get("function"), lang),
                _label(vocabulary.ATTITUDE, p.get("attitude"), lang)) if x)
            who = " ".join(x for x in (_text(p.get(k)) for k in ("name", "title", "department")) if x)
            lines.append(f"  {_text(p.get('id', '?'))}{t(': ', '：')}{who}" + (t(f"  [{role}]", f"【{role}】") if role else "")
                         + (f"  {_text(p['phone'])}" if p.get("phone") else ""))
    if view.projects:
        lines += ["", t(f"Projects ({len(view.projects)})", f"项目（{len(view.projects)}）")]
        outcomes = {"won": t("won", "成交"), "lost": t("lost", "丢单"), None: t("open", "进行中")}
        for p in view.projects:
            stage = vocabulary.label(STAGE_NAMES, p["stage"], lang) if p["stage"] in STAGE_NAMES else _text(p["stage"])
            state = f"{stage}{t(', ', '，')}{outcomes[p['outcome']]}"
            lines.append(f"  {p['id']}{t(': ', '：')}{_text(p.get('name'))}{t(f'  [{state}]', f'【{state}】')}  "
                         f"{t('owner', '负责人')} {_text(p.get('owner'))}"
                         + (f"  {t('expected close', '预计成交')} {_text(p['expected_close'])}"
                            if p.get("expected_close") else ""))
    if view.activities:
        shown = view.activities[:recent]
        lines += ["", t(f"Recent activities ({len(shown)} of {len(view.activities)})",
                        f"最近活动（{len(view.activities)} 条中的 {len(shown)} 条）")]
        for a in shown:
            kind = _label(vocabulary.ACTIVITY_KIND, a.get("kind"), lang)
            lines.append(f"  {_text(a.get('date'))}  {kind}  {_text(a.get('by'))}{t(': ', '：')}{_text(a.get('summary'))}")
    return join_lines(lines)


def _pairs(pairs: list[tuple[str, Any]]) -> list[str]:
    from unicodedata import east_asian_width

    def width(s: str) -> int:
        return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in s)

    pad = max((width(k) for k, _ in pairs), default=0)
    return [f"  {k}{' ' * (pad - width(k))}  {v}" for k, v in pairs]


def show_project(root: Path, customer_id: str, project_id: str, messages: Messages
                 ) -> tuple[dict[str, Any], list[Diagnostic]]:
    """A project as written: its file, decision map (with the people's names), competitors,
    documents (present, draft or missing) and history. Read without schema validation, like
    ``show_customer``; ``crmctl status`` derives the stage and what its gate needs."""
    from crmctl.errors import UserError
    from crmctl.files import boundary
    from crmctl.files.documents import DOCUMENT_KINDS, PLACEHOLDER
    from crmctl.files.yamlio import read_text

    layout.require_customer(root, customer_id, messages)
    layout.require_id(project_id, messages.pick("project", "项目"), messages)
    rel_dir = layout.project_dir(customer_id, project_id)
    folder = boundary.require(root, rel_dir, messages)
    if not os.path.isdir(folder):  # os.path asks without raising (a folder we may not enter)
        raise UserError(messages.pick(f"customer {customer_id} has no project `{project_id}`",
                                      f"客户 {customer_id} 没有项目 `{project_id}`"),
                        messages.pick(f"see its projects: crmctl show {customer_id}",
                                      f"查看其项目：crmctl show {customer_id}"))
    diagnostics: list[Diagnostic] = []

    def read(rel: str) -> dict[str, Any]:
        return _read_mapping(root, rel, messages, diagnostics)

    project = read(f"{rel_dir}/{layout.PROJECT.filename}")
    customer = read(f"{layout.customer_dir(customer_id)}/{layout.CUSTOMER.filename}")
    contacts = _records(read(f"{layout.customer_dir(customer_id)}/{layout.CONTACTS.filename}").get("contacts"))
    people = {c["id"]: c for c in contacts if isinstance(c.get("id"), str)}
    decision = []
    for entry in _records(project.get("decision_map")):
        contact = entry.get("contact")
        person = people.get(contact, {}) if isinstance(contact, str) else {}
        decision.append({**entry, "name": person.get("name"), "title": person.get("title"),
                         "attitude": person.get("attitude")})
    competitors = _records(read(f"{rel_dir}/{layout.COMPETITION.filename}").get("competitors"))
    documents = {}
    for kind in DOCUMENT_KINDS.values():
        rel = f"{rel_dir}/{kind.filename}"
        outside = boundary.diagnostic(root, rel, messages)
        if outside is not None:
            diagnostics.append(outside)
            documents[kind.id] = "unreadable"
        elif not os.path.isfile(folder / kind.filename):
            documents[kind.id] = "missing"
        else:
            text, problems = read_text(folder / kind.filename, rel, messages)  # bounded, like every read
            diagnostics.extend(problems)
            documents[kind.id] = "unreadable" if text is None else "draft" if PLACEHOLDER.search(text) else "present"
    events = _records(read(f"{rel_dir}/{layout.HISTORY.filename}").get("events"))
    view = {"id": f"{customer_id}/{project_id}", "customer": customer.get("name", customer_id),
            "project": project, "decision_map": decision, "competitors": competitors,
            "documents": documents, "history": events}
    return view, diagnostics


def render_project(view: dict[str, Any], lang: str, recent: int = 5) -> str:
    zh = lang == "zh-CN"

    def t(en: str, cn: str) -> str:
        return cn if zh else en

    p = view["project"]
    needs = _mapping(p.get("needs"))
    lines = [_text(p.get('name', view['id'])) + t(f"  ({view['id']})", f"（{view['id']}）")]
    lines += _pairs([(k, v) for k, v in (
        (t("customer", "客户"), _text(view["customer"])), (t("owner", "负责人"), _text(p.get("owner"))),
        (t("opened", "立项"), _text(p.get("opened"))), (t("expected close", "预计成交"), _text(p.get("expected_close"))),
        (t("procurement", "采购方式"), _label(vocabulary.PROCUREMENT_MODE, p.get("procurement_mode"), lang)),
        (t("use", "用途"), _text(needs.get("use"))), (t("quantity", "数量"), _text(needs.get("quantity"))),
        (t("budget", "预算"), _number(needs.get("budget"))),
    ) if v])
    if view["decision_map"]:
        lines += ["", t(f"Decision map ({len(view['decision_map'])})", f"采购决策图（{len(view['decision_map'])}）")]
        for e in view["decision_map"]:
            who = " ".join(x for x in (_text(e.get("name") or e.get("contact")), _text(e.get("title"))) if x)
            role = _label(vocabulary.FUNCTION, e.get("role"), lang)
            attitude = _label(vocabulary.ATTITUDE, e.get("attitude"), lang)
            lines.append(f"  {who} — {role} {_text(e.get('weight'))}%" + (f" · {attitude}" if attitude else "")
                         + (f" · {t('action: ', '措施：')}{_text(e['action'])}" if e.get("action") else ""))
    if view["competitors"]:
        lines += ["", t(f"Competitors ({len(view['competitors'])})", f"竞争对手（{len(view['competitors'])}）")]
        for c in view["competitors"]:
            price = f"  {_number(c['price'])}" if c.get("price") is not None else ""
            lines.append(f"  {_text(c.get('name', c.get('id')))}{price}"
                         + (f"  {_text(c['offer'])}" if c.get("offer") else ""))
    state = {"present": t("done", "已完成"), "draft": t("draft", "草稿"), "missing": t("missing", "缺"),
             "unreadable": t("cannot be read", "无法读取")}
    lines += ["", t("Documents", "输出文件")]
    lines += [f"  {vocabulary.label(vocabulary.DOCUMENT_KIND, kind, lang)}{t(': ', '：')}{state[s]}"
              for kind, s in view["documents"].items()]
    if view["history"]:
        shown = view["history"][-recent:]
        lines += ["", t(f"History (last {len(shown)} of {len(view['history'])})",
                        f"阶段历史（共 {len(view['history'])} 条，最近 {len(shown)} 条）")]
        actions = {"advance": t("advance", "推进"), "close": t("close", "关闭"), "reopen": t("reopen", "重新打开")}
        outcomes = {"won": t("won", "成交"), "lost": t("lost", "丢单")}

        def said(words: dict[str, str], value: Any) -> str:  # any type may stand here: show validates nothing
            return words[value] if isinstance(value, str) and value in words else _text(value)

        stages = {key: vocabulary.label(STAGE_NAMES, key, lang) for key in STAGE_NAMES}
        for e in shown:
            move = (f"{said(stages, e.get('from'))} → {said(stages, e.get('to'))}" if e.get("action") == "advance"
                    else said(outcomes, e.get("outcome")))
            note = e.get("reason") or e.get("note")
            lines.append(f"  {_text(e.get('date'))}  {said(actions, e.get('action'))}  {move}  "
                         f"{_text(e.get('by'))}" + (f"  {_text(note)}" if note else ""))
    lines += ["", t(f"stage and next gate: crmctl status {view['id']}", f"阶段与下一步条件：crmctl status {view['id']}")]
    return join_lines(lines)
