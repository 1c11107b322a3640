"""``crmctl render``: the method's documents, from the repository's data, as Markdown, HTML or Word.

A document is a Jinja template under ``templates/render/<lang>/<doc>.md.j2`` (the repository's
own ``templates/`` first, through the one sandboxed factory), written in Markdown. Values go in
through the ``md`` filter, which escapes what Markdown would read as markup, so a name is always
text. HTML is that Markdown through markdown-it (raw HTML off: nothing in a value becomes a
tag); Word is built from the same Markdown tokens with python-docx, its fonts set for Chinese.
The same repository and day give the same bytes in every format.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from crmctl import vocabulary
from crmctl.errors import UserError
from crmctl.messages import Messages

# document -> (needs a project, en title, zh title)
DOCUMENTS = {
    "development_plan": (True, "Project development plan", "项目开发计划书"),
    "recommendation": (True, "Product recommendation", "产品推介书"),
    "contract_review": (True, "Contract review sheet", "合同评审表"),
    "customer_file": (False, "Customer file", "客户档案"),
    "service_plan": (False, "Maintenance and service plan", "客户维护与服务计划"),
}
STRENGTH = {"strong": ("strong", "强"), "medium": ("medium", "中"), "weak": ("weak", "弱")}
# the East Asian font a Word document names: what Word on Chinese Windows has, and LibreOffice
# maps to what it has (crmctl's choice)
WORD_FONT_ZH = "宋体"
WORD_HEADING_FONT_ZH = "黑体"
def _label(vocab: dict[str, tuple[str, str]], value: str | None, lang: str) -> str:
    return vocabulary.label(vocab, value, lang) if value else ""


def _money(value: Any) -> str:
    return "" if value is None else f"{value:,}"


def context(root: Path, ref: str, doc: str, m: Messages, today: dt.date) -> dict[str, Any]:
    """What the document's template reads: plain values, labels in the document's language."""
    from crmctl.files import layout
    from crmctl.files.repository import load_customer
    from crmctl.pipeline.workflow import pipeline_in_force, resolve_project

    needs_project = DOCUMENTS[doc][0]
    customer_id, project_id = (resolve_project(root, ref, m) if needs_project
                               else (layout.split_ref(ref, m)[0], None))
    layout.require_customer(root, customer_id, m)
    record, problems = load_customer(root, customer_id, m)
    errors = [d for d in problems if d.severity == "error"]
    if record.customer is None or record.customer.model is None or errors:
        from crmctl.files import storage

        raise storage.refusal(errors[0].path if errors else f"{record.dir}/customer.yaml", errors, m, reading=True)
    lang, customer = m.lang, record.customer.model
    people = record.contact_list()
    names = {c.id: c.name for c in people}
    ctx: dict[str, Any] = {
        "lang": lang, "title": m.pick(DOCUMENTS[doc][1], DOCUMENTS[doc][2]), "today": today.isoformat(),
        "customer": {
            "id": customer_id, "name": customer.name, "short_name": customer.short_name or "",
            "category": _label(vocabulary.CATEGORY, customer.category, lang),
            "kind": _label(vocabulary.KIND, customer.kind, lang), "size": _label(vocabulary.SIZE, customer.size, lang),
            "market": _label(vocabulary.MARKET, customer.market, lang), "tier": _label(vocabulary.TIER, customer.tier, lang),
            "channel": _label(vocabulary.CHANNEL, customer.channel, lang), "dealer": customer.dealer or "",
            "owner": customer.owner, "region": customer.region, "since": str(customer.since or ""),
            "fleet_size": customer.total_fleet, "annual_purchase": customer.annual_purchase,
            "business": customer.business.model_dump(exclude_none=True),
            "fleet": [e.model_dump(exclude_none=True) for e in customer.current_fleet],
        },
        "contacts": [{"name": c.name, "title": c.title or "", "department": c.department or "",
                      "reports_to": names.get(c.reports_to, c.reports_to or ""),
                      "level": _label(vocabulary.LEVEL, c.level, lang), "function": _label(vocabulary.FUNCTION, c.function, lang),
                      "influence": _label(vocabulary.INFLUENCE, c.influence, lang),
                      "attitude": _label(vocabulary.ATTITUDE, c.attitude, lang)} for c in people],
        "relations": [{"from": c.name, "to": names.get(r.contact, r.contact) if r.contact else r.our,
                       "ours": r.our is not None, "rival": False, "type": r.type,
                       "strength": _label(STRENGTH, r.strength, lang)} for c in people for r in c.relations],
    }
    if doc == "service_plan":
        return {**ctx, **_service_plan(record, _config(root, m), names, lang, m)}
    if doc == "customer_file":
        pipeline = pipeline_in_force(_config(root, m), m)
        ctx["projects"] = _projects(record, pipeline, lang)
        logged = record.activities.model.activities if record.activities and record.activities.model else []
        ctx["activities"] = [{"date": str(a.date), "kind": _label(vocabulary.ACTIVITY_KIND, a.kind, lang), "by": a.by,
                              "summary": a.summary} for a in sorted(logged, key=lambda a: a.date, reverse=True)[:10]]
        plan = record.care.model if record.care is not None else None
        ctx["care"] = None if plan is None else {
            "station": plan.service_station or "", "ours": plan.our_contacts,
            "theirs": [names.get(c, c) for c in plan.customer_contacts], "users": len(plan.vehicle_users),
            "trainings": len(plan.trainings), "support": plan.policy_support,
            "satisfaction": [{"date": str(e.date), "score": f"{e.score:g}"} for e in plan.evaluations]}
        return ctx
    project = record.projects[project_id]
    model = project.project.model
    ctx["project"] = {"id": project_id, "name": model.name, "owner": model.owner, "opened": str(model.opened),
                      "expected_close": str(model.expected_close or ""),
                      "procurement": _label(vocabulary.PROCUREMENT_MODE, model.procurement_mode, lang),
                      "needs": model.needs.model_dump(exclude_none=True)}
    attitude = {c.id: c.attitude for c in people}
    ctx["decision_map"] = [{"name": names.get(e.contact, e.contact), "role": _label(vocabulary.FUNCTION, e.role, lang),
                            "weight": f"{e.weight:g}", "attitude": _label(vocabulary.ATTITUDE, attitude.get(e.contact), lang),
                            "action": e.action or ""} for e in model.decision_map]
    competition = project.competition.model if project.competition is not None else None
    ctx["relations"] += [{"from": names.get(r.contact, r.contact), "to": c.name, "ours": False, "rival": True,
                          "type": r.note or "", "strength": _label(STRENGTH, r.strength, lang)}
                         for c in (competition.competitors if competition else []) for r in c.relationships]
    ctx["competitors"] = [{"name": c.name, "offer": c.offer or "", "price": _money(c.price),
                           "strengths": c.strengths, "weaknesses": c.weaknesses}
                          for c in (competition.competitors if competition else [])]
    ctx["strategy"] = competition.strategy if competition and competition.strategy else ""
    offer = project.documents.get("product_recommendation")
    ctx["solution"] = [{"model": v.model, "quantity": v.quantity, "configuration": v.configuration or "",
                        "unit_price": _money(v.unit_price)} for v in (offer.model.vehicles if offer and offer.complete else [])]
    ctx["evaluation"] = _evaluation(project, _config(root, m), m)
    if doc == "recommendation":
        if offer is None or not offer.complete:
            raise UserError(m.pick(f"{ref}: no complete product recommendation to render",
                                   f"{ref}：没有完成的产品推介书可供生成"),
                            m.pick(f"write it first: crmctl doc new {customer_id}/{project_id} product_recommendation",
                                   f"请先填写：crmctl doc new {customer_id}/{project_id} product_recommendation"))
        vehicles = offer.model.vehicles
        ctx["offer"] = {"date": str(offer.model.date), "to": names.get(offer.model.submitted_to, offer.model.submitted_to),
                        "to_title": next((c.title or "" for c in people if c.id == offer.model.submitted_to), ""),
                        "summary": offer.model.summary or "",
                        "total": _money(sum(v.unit_price * v.quantity for v in vehicles)
                                        if all(v.unit_price is not None for v in vehicles) else None)}
    if doc == "contract_review":
        contract = project.documents.get("contract")
        if contract is None or not contract.complete:
            raise UserError(m.pick(f"{ref}: no complete contract.yaml to render", f"{ref}：没有完成的合同记录可供生成"),
                            m.pick(f"write it first: crmctl doc new {customer_id}/{project_id} contract",
                                   f"请先填写：crmctl doc new {customer_id}/{project_id} contract"))
        c = contract.model
        ctx["contract"] = {
            "number": c.number or "", "value": _money(c.value), "vehicles": c.vehicles, "date": str(c.date),
            "signed": str(c.signed or ""),
            "review": [(vocabulary.label(vocabulary.REVIEW_ITEM, key, lang), getattr(c.review, key) or "")
                       for key in vocabulary.REVIEW_ITEM],
            "sign_off": [(vocabulary.label(vocabulary.DEPARTMENT, x.department, lang), x.by, str(x.date))
                         for x in c.sign_off],
            "payments": [(str(x.due), _money(x.amount), x.what or "") for x in c.payments],
            "deposit": None if c.deposit is None else {"amount": _money(c.deposit.amount),
                                                       "release": str(c.deposit.release)}}
    return ctx


def _service_plan(record: Any, config: Any, names: dict[str, str], lang: str, m: Messages) -> dict[str, Any]:
    plan = record.care.model if record.care is not None else None
    if plan is None:
        raise UserError(m.pick(f"{record.id} has no care plan to render", f"{record.id} 没有维护计划可供生成"),
                        m.pick(f"start one: crmctl new care {record.id}", f"请先建立：crmctl new care {record.id}"))
    cadence = config.follow_up.return_visits

    def label(vocab: dict[str, tuple[str, str]], values: list[str] | str | None) -> str:
        values = [values] if isinstance(values, str) else (values or [])
        return ("、" if lang == "zh-CN" else ", ").join(vocabulary.label(vocab, v, lang) for v in values)

    return {"plan": {
        "since": str(plan.since or ""), "station": plan.service_station or "", "station_contact": plan.station_contact or "",
        "ours": plan.our_contacts, "theirs": [names.get(c, c) for c in plan.customer_contacts],
        "support": plan.policy_support,
        "cadence": {"first": cadence.initial_interval_days, "period": cadence.initial_period_days,
                    "later": cadence.later_interval_days},
        "users": [{"name": u.name, "role": label(vocabulary.VEHICLE_USER, u.role), "phone": u.phone or "",
                   "vehicles": ("、" if lang == "zh-CN" else ", ").join(u.vehicles), "trained": u.trained}
                  for u in plan.vehicle_users],
        "trainings": [{"planned": str(t.planned), "held": str(t.held or ""), "topic": t.topic,
                       "audience": label(vocabulary.VEHICLE_USER, t.audience)} for t in plan.trainings],
        "care": [{"planned": str(a.planned), "held": str(a.held or ""), "kind": label(vocabulary.CARE_ACTIVITY, a.kind),
                  "what": a.what or ""} for a in plan.care_activities],
        "meetings": [{"planned": str(x.planned), "held": str(x.held or ""), "kind": label(vocabulary.MEETING, x.kind),
                      "topics": ("、" if lang == "zh-CN" else ", ").join(x.topics)} for x in plan.meetings],
        "evaluations": [{"date": str(e.date), "score": f"{e.score:g}",
                         "feedback": [{"point": f.point, "action": f.action or "", "done": str(f.done or "")}
                                      for f in e.feedback]} for e in plan.evaluations]}}


def _config(root: Path, m: Messages) -> Any:
    from crmctl.files.repository import load_config

    return load_config(root, m)[0]


def _projects(record: Any, pipeline: Any, lang: str) -> list[dict[str, str]]:
    from crmctl.pipeline.stages import history_events, replay

    rows = []
    for project in record.projects.values():
        model = project.project.model if project.project is not None else None
        events = history_events(project)
        if model is None or events is None:
            continue
        state, problems = replay(events, model.opened, pipeline)
        stage = pipeline.stage(state.stage)
        rows.append({"name": model.name, "owner": model.owner, "stage": stage.name.text(lang) if stage else state.stage,
                     "outcome": {"won": ("won", "成交"), "lost": ("lost", "丢单")}.get(state.outcome, ("", ""))[
                         0 if lang == "en" else 1]})
    return rows


def _evaluation(project: Any, config: Any, m: Messages) -> dict[str, Any] | None:
    from crmctl.analysis.evaluation import check_evaluation, score_project

    document = project.documents.get("evaluation")
    if document is None or not document.complete or check_evaluation(project, config, Messages("en")):
        return None
    scored = score_project(project, config)
    if scored is None:
        return None
    result, names = scored
    us = m.pick("us", "我方")
    return {"totals": [{"vendor": us if t.vendor == "us" else names.get(t.vendor, t.vendor), "total": f"{t.total:g}",
                        "rank": t.rank} for t in result.totals],
            "first": result.first, "rival": names.get(result.rival, result.rival) if result.rival else ""}


def markdown(root: Path, ref: str, doc: str, m: Messages, today: dt.date) -> str:
    from crmctl.files.render import render

    if doc not in DOCUMENTS:
        raise UserError(m.pick(f"no document `{doc}`", f"没有文档 `{doc}`"),
                        m.pick(f"documents: {', '.join(DOCUMENTS)}", f"可用文档：{'、'.join(DOCUMENTS)}"))
    from crmctl.escaping import visible_lines

    text = render(f"render/{m.lang}/{doc}.md.j2", context(root, ref, doc, m, today), m, root)
    # a control or bidi character in a value is shown as its escape in every format (Word allows
    # none, a reader's screen obeys them); a template's blank lines are tidied
    return visible_lines(re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n")


FIGURE = re.compile(r"^@@figure:([a-z_]+)@@$", re.M)  # where a template puts a picture crmctl draws


def pictures(root: Path, ref: str, doc: str, m: Messages, today: dt.date, fmt: str) -> dict[str, bytes]:
    """The pictures a document shows, drawn by Graphviz in ``fmt`` (svg, png); none without Graphviz."""
    import shutil

    from crmctl.analysis.stakeholders import drawn, render_dot
    from crmctl.reports.analysis import stakeholder_map

    if doc != "development_plan" or shutil.which("dot") is None:
        return {}
    smap, _, _ = stakeholder_map(root, ref, m, today)
    try:
        picture = drawn(render_dot(smap, m.lang), fmt, m)
    except UserError:  # a Graphviz that cannot draw this format: the document without its picture
        return {}
    valid = b"<svg" in picture if fmt == "svg" else picture.startswith(b"\x89PNG")
    return {"org_chart": picture} if valid else {}


def without_pictures(text: str, ref: str, m: Messages) -> str:
    """Markdown holds no drawing: a line says how to get it."""
    return FIGURE.sub(lambda match: m.pick(f"*(The organisation chart as a picture: crmctl map {ref} --format svg)*",
                                           f"*（组织结构图：crmctl map {ref} --format svg）*"), text)


def to_html(text: str, title: str, lang: str, figures: dict[str, bytes] | None = None) -> str:
    """The Markdown as one page; raw HTML in it is shown as text, never run."""
    from markdown_it import MarkdownIt
    from markupsafe import escape

    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    for name, svg in (figures or {}).items():  # Graphviz's SVG, its prologue dropped, inline
        drawing = svg.decode("utf-8", "replace")
        drawing = drawing[drawing.index("<svg"):]  # pictures() keeps only drawings that hold one
        body = body.replace(f"<p>@@figure:{name}@@</p>", f'<figure class="{name}">{drawing}</figure>')
    body = re.sub(r"<p>@@figure:[a-z_]+@@</p>\n?", "", body)  # a picture that could not be drawn
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{escape(title)}</title>\n'
            "<style>body{font-family:\"Noto Sans CJK SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif;"
            "max-width:900px;margin:0 auto;padding:1rem;color:#222}table{border-collapse:collapse}"
            "th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}figure{margin:1rem 0;overflow-x:auto}"
            "figure svg{max-width:100%;height:auto}</style>\n</head>\n<body>\n"
            f"{body}</body>\n</html>\n")


def to_docx(text: str, title: str, day: dt.date, figures: dict[str, bytes] | None = None) -> bytes:
    """The Markdown as a Word document: headings, paragraphs, lists and tables, in Chinese fonts."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from markdown_it import MarkdownIt

    document = Document()

    def east_asian(rpr: Any, font: str) -> None:
        fonts = rpr.get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), font)
        for theme in ("w:eastAsiaTheme", "w:asciiTheme", "w:hAnsiTheme"):  # a theme font would win over it
            fonts.attrib.pop(qn(theme), None)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:eastAsia"), "zh-CN")

    defaults = document.styles.element.find(qn("w:docDefaults"))
    default_rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
    if default_rpr is not None:
        east_asian(default_rpr, WORD_FONT_ZH)
    for name, font in (("Normal", WORD_FONT_ZH), ("Heading 1", WORD_HEADING_FONT_ZH), ("Heading 2", WORD_HEADING_FONT_ZH),
                       ("Heading 3", WORD_HEADING_FONT_ZH), ("Title", WORD_HEADING_FONT_ZH)):
        east_asian(document.styles[name].element.get_or_add_rPr(), font)
    tokens = MarkdownIt("commonmark", {"html": False}).enable("table").parse(text)
    table: list[list[str]] | None = None
    row: list[str] | None = None
    level, lists = 0, []
    for i, token in enumerate(tokens):
        kind = token.type
        if kind == "heading_open":
            level = int(token.tag[1])
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lists.append("List Bullet" if kind == "bullet_list_open" else "List Number")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "table_open":
            table = []
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            table.append(row)
        elif kind == "table_close":
            width = max(len(r) for r in table)
            grid = document.add_table(rows=len(table), cols=width)
            grid.style = "Table Grid"
            for r, values in enumerate(table):
                for c, value in enumerate(values):
                    grid.cell(r, c).text = value
            table = None
        elif kind == "inline":
            plain = "".join(child.content for child in token.children or [] if child.type in ("text", "code_inline"))
            if table is not None and row is not None:
                row.append(plain)
            elif tokens[i - 1].type == "heading_open":
                document.add_heading(plain, level=min(level, 4) if level > 1 else 0)
            elif (figure := FIGURE.match(plain)) is not None:
                if figure.group(1) in (figures or {}):  # a picture Graphviz drew, page-wide
                    from docx.shared import Cm

                    document.add_picture(io.BytesIO(figures[figure.group(1)]), width=Cm(16))
            else:
                paragraph = document.add_paragraph(style=lists[-1] if lists else None)
                bold = False
                for child in token.children or []:
                    if child.type == "strong_open":
                        bold = True
                    elif child.type == "strong_close":
                        bold = False
                    elif child.type in ("text", "code_inline"):
                        paragraph.add_run(child.content).bold = bold
                    elif child.type in ("softbreak", "hardbreak"):
                        paragraph.add_run(" ")
    properties = document.core_properties  # what the file says of itself: the same every time
    stamp = dt.datetime.combine(day, dt.time(0, 0))
    properties.title, properties.author, properties.last_modified_by = title, "crmctl", "crmctl"
    properties.created = properties.modified = stamp
    properties.revision = 1
    raw = io.BytesIO()
    document.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01: a .docx that depends on nothing but its content."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            fixed = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            target.writestr(fixed, source.read(item.filename))
    return out.getvalue()
