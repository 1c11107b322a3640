"""The three maps and one network (三图一网) and the red flags read from them.

The organisation chart comes from contacts' ``reports_to``; the purchase
decision map from the project's ``decision_map``; the relationship network from
contacts' ``relations`` and competitors' relationships. ``RED_FLAGS`` holds
small named rules, each with a stable code and the stage from which it applies.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any, Callable

from crmctl import vocabulary
from crmctl.diagnostics import Diagnostic
from crmctl.escaping import join_lines, visible
from crmctl.files.yamlio import locate, mark_of
from crmctl.messages import Messages

# -- the maps ------------------------------------------------------------------------


@dataclass
class Person:
    id: str
    name: str
    title: str | None
    department: str | None
    level: str | None
    influence: str | None
    attitude: str
    role: str | None = None  # in this purchase
    weight: float | None = None
    action: str | None = None
    children: list["Person"] = field(default_factory=list)


@dataclass
class Tie:
    a: str  # contact id
    b: str  # contact id, or "our:NAME", or "competitor:ID"
    label: str
    strength: str | None


@dataclass
class StakeholderMap:
    title: str
    procurement_mode: str | None
    roots: list[Person]
    ties: list[Tie]
    people: dict[str, Person]
    next_to_see: list[tuple[Any, Any]] = field(default_factory=list)  # (decision-map entry, contact)


def build_map(customer: Any, project: Any, competitors: list[Any]) -> StakeholderMap:
    contacts = customer.contact_list()
    decision = {e.contact: e for e in project.decision_map} if project else {}
    people: dict[str, Person] = {}
    for c in contacts:
        if c.id in people:
            continue  # a duplicate id is reported by check
        entry = decision.get(c.id)
        people[c.id] = Person(c.id, c.name, c.title, c.department, c.level, c.influence, c.attitude,
                              entry.role if entry else None, entry.weight if entry else None,
                              entry.action if entry else None)
    roots = []
    for c in contacts:
        person = people[c.id]
        boss = people.get(c.reports_to) if c.reports_to else None
        if boss is None or _reaches(people, contacts, c.id):
            roots.append(person)
        elif person not in boss.children:
            boss.children.append(person)
    ties = []
    for c in contacts:
        for r in c.relations:
            other = r.contact if r.contact else f"our:{r.our}"
            ties.append(Tie(c.id, other, r.type, r.strength))
    for competitor in competitors:
        for r in competitor.relationships:
            ties.append(Tie(r.contact, f"competitor:{competitor.name}", r.note or "", r.strength))
    name = customer.customer.model.name if customer.customer and customer.customer.model else customer.id
    title = f"{name} · {project.name}" if project else name
    return StakeholderMap(title, project.procurement_mode if project else None, _unique(roots), ties, people,
                          next_to_see(customer, project) if project else [])


def _unique(people: list[Person]) -> list[Person]:
    seen, out = set(), []
    for p in people:
        if p.id not in seen:
            seen.add(p.id)
            out.append(p)
    return out


def _reaches(people: dict[str, Person], contacts: list[Any], start: str) -> bool:
    """Whether following reports_to from ``start`` comes back to it (a cycle: show it as a root)."""
    boss = {c.id: c.reports_to for c in contacts}
    seen, current = set(), boss.get(start)
    while current is not None and current in boss and current not in seen:
        if current == start:
            return True
        seen.add(current)
        current = boss.get(current)
    return current == start


def describe(person: Person, lang: str) -> str:
    """One person as one line of text (raw: each renderer escapes it for its format)."""
    parts = [person.name]
    if person.title:
        parts.append(person.title)
    text = " ".join(parts)
    if person.role:
        weight = f" {person.weight:g}%" if person.weight is not None else ""
        text += f" [{vocabulary.label(vocabulary.FUNCTION, person.role, lang)}{weight}]"
    facts = []
    if person.influence:
        facts.append(("影响力" if lang == "zh-CN" else "influence ")
                     + vocabulary.label(vocabulary.INFLUENCE, person.influence, lang))
    facts.append(vocabulary.label(vocabulary.ATTITUDE, person.attitude, lang))
    return text + (" · " + " · ".join(facts) if facts else "")


STRENGTH = {"strong": ("strong", "强"), "medium": ("medium", "中"), "weak": ("weak", "弱")}


def strength(value: str, lang: str) -> str:
    """A relationship's strength in ``lang`` (a value crmctl does not know stays as written)."""
    return vocabulary.label(STRENGTH, value, lang) if value in STRENGTH else value


def render_tree(smap: StakeholderMap, lang: str) -> str:
    lines = [smap.title]
    if smap.procurement_mode:
        mode = vocabulary.label(vocabulary.PROCUREMENT_MODE, smap.procurement_mode, lang)
        lines[0] += f"（采购方式：{mode}）" if lang == "zh-CN" else f"  (procurement: {mode})"

    def walk(person: Person, prefix: str, last: bool, top: bool) -> None:
        branch = "" if top else ("└── " if last else "├── ")
        lines.append(f"{prefix}{branch}{describe(person, lang)}")
        child_prefix = prefix if top else prefix + ("    " if last else "│   ")
        for i, child in enumerate(person.children):
            walk(child, child_prefix, i == len(person.children) - 1, False)

    for root in smap.roots:
        walk(root, "", True, True)
    if smap.ties:
        lines += ["", "关系网：" if lang == "zh-CN" else "Relationships:"]
        for tie in smap.ties:
            colon, (opening, closing) = ("：", "（）") if lang == "zh-CN" else (": ", ("(", ")"))
            label = f"{colon}{tie.label}" if tie.label else ""
            lines.append(f"  {name_of(smap, tie.a, lang)} — {name_of(smap, tie.b, lang)}{label}"
                         + (f"{'' if lang == 'zh-CN' else ' '}{opening}{strength(tie.strength, lang)}{closing}"
                            if tie.strength else ""))
    return join_lines(lines)


def name_of(smap: StakeholderMap, ref: str, lang: str) -> str:
    """Who a relationship leads to: a contact by name, one of our people, a competitor."""
    if ref.startswith("our:"):
        return ("我方 " if lang == "zh-CN" else "us: ") + ref[4:]
    if ref.startswith("competitor:"):
        return ("竞争对手 " if lang == "zh-CN" else "competitor ") + ref[len("competitor:"):]
    person = smap.people.get(ref)
    return person.name if person else ref


@dataclass
class _Node:
    id: str  # generated: names hold anything, node ids in DOT and Mermaid may not
    label: str  # one line, control characters escaped
    person: Person | None


def _nodes(smap: StakeholderMap, lang: str) -> dict[str, _Node]:
    """Every node of a map by its reference: the people (``p0``, ``p1``, …), then our
    people, competitors and unknown contacts that relationships lead to (``x0``, …)."""
    nodes = {pid: _Node(f"p{i}", visible(describe(p, lang)), p) for i, (pid, p) in enumerate(smap.people.items())}
    extra = 0
    for tie in smap.ties:
        for ref in (tie.a, tie.b):
            if ref not in nodes:
                nodes[ref] = _Node(f"x{extra}", visible(name_of(smap, ref, lang)), None)
                extra += 1
    return nodes


# In a quoted Mermaid label only `"` ends the text, but the text is then read for
# entities (`#quot;`, `#35;`), markdown (a leading backquote) and HTML: these
# characters are written as numeric entities so each stands for itself.
_MERMAID_ENTITIES = {ch: f"#{ord(ch)};" for ch in '"#&<>`'}


def _mermaid_text(text: str) -> str:
    return "".join(_MERMAID_ENTITIES.get(ch, ch) for ch in text)


def render_mermaid(smap: StakeholderMap, lang: str) -> str:
    """A Mermaid flowchart: solid arrows for reporting lines, dotted links for relationships."""
    nodes = _nodes(smap, lang)
    lines = ["flowchart TD"]
    for node in nodes.values():
        shape = '["{}"]' if node.person else '(["{}"])'
        lines.append(f"    {node.id}{shape.format(_mermaid_text(node.label))}")
    for person in smap.people.values():
        for child in person.children:
            lines.append(f"    {nodes[person.id].id} --> {nodes[child.id].id}")
    for tie in smap.ties:
        # an empty quoted label is a syntax error: no label then
        label = f'|"{_mermaid_text(visible(tie.label))}"|' if tie.label else ""
        lines.append(f"    {nodes[tie.a].id} -.-{label} {nodes[tie.b].id}")
    return "\n".join(lines) + "\n"


def render_dot(smap: StakeholderMap, lang: str) -> str:
    """Graphviz DOT source, written by the graphviz package (it quotes); names go in
    labels with their backslashes doubled, so `\\n` or `\\l` in a name is not a
    Graphviz escape, `<…>` is not read as an HTML label, and `&` is written `&amp;`
    (Graphviz reads entities such as `&lt;` in every label)."""
    import graphviz

    def text(value: str) -> str:
        return graphviz.escape(visible(value).replace("&", "&amp;"))

    graph = graphviz.Digraph("stakeholders", comment=visible(smap.title))  # a newline would end the comment
    graph.attr(rankdir="TB", label=text(smap.title), labelloc="t", fontname="Noto Sans CJK SC")
    graph.attr("node", shape="box", fontname="Noto Sans CJK SC")
    graph.attr("edge", fontname="Noto Sans CJK SC")
    colour = {"supporter": "palegreen", "neutral": "lightgrey", "opponent": "lightpink", "unknown": "white"}
    nodes = _nodes(smap, lang)
    for node in nodes.values():
        if node.person is not None:
            graph.node(node.id, text(node.label), style="filled",
                       fillcolor=colour.get(node.person.attitude, "white"))
        else:
            graph.node(node.id, text(node.label), shape="ellipse")
    for person in smap.people.values():
        for child in person.children:
            graph.edge(nodes[person.id].id, nodes[child.id].id)
    for tie in smap.ties:
        graph.edge(nodes[tie.a].id, nodes[tie.b].id, label=text(tie.label), style="dashed", dir="none")
    return graph.source


def drawn(source: str, fmt: str, messages: Any) -> bytes:
    """DOT source drawn by Graphviz's ``dot`` (``svg`` or ``png``); a UserError when it is not installed."""
    import shutil
    import subprocess

    from crmctl.errors import UserError

    m = messages
    dot = shutil.which("dot")
    if dot is None:
        raise UserError(m.pick("Graphviz is not installed: `dot` draws the organisation chart",
                               "未安装 Graphviz：组织结构图由 `dot` 绘制"),
                        m.pick("install it (apt-get install graphviz, brew install graphviz), or use --format dot",
                               "请安装（apt-get install graphviz 或 brew install graphviz），或改用 --format dot"))
    try:
        run = subprocess.run([dot, f"-T{fmt}"], input=source.encode("utf-8"), capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        raise UserError(m.pick("Graphviz took more than a minute to draw the chart", "Graphviz 绘图超过一分钟"),
                        m.pick("try again, or use --format dot", "请重试，或改用 --format dot")) from None
    if run.returncode != 0:
        raise UserError(m.pick("Graphviz could not draw the chart", "Graphviz 无法绘制此图"),
                        run.stderr.decode("utf-8", "replace").strip()[:500])
    return run.stdout


def map_to_dict(smap: StakeholderMap) -> dict[str, Any]:
    def person(p: Person) -> dict[str, Any]:
        return {"id": p.id, "name": p.name, "title": p.title, "department": p.department, "level": p.level,
                "influence": p.influence, "attitude": p.attitude, "role": p.role, "weight": p.weight,
                "action": p.action, "reports": [person(c) for c in p.children]}

    return {"title": smap.title, "procurement_mode": smap.procurement_mode,
            "organisation": [person(r) for r in smap.roots],
            "relationships": [{"from": t.a, "to": t.b, "type": t.label, "strength": t.strength} for t in smap.ties],
            "next_to_see": [e.contact for e, _ in smap.next_to_see]}


# -- red flags -------------------------------------------------------------------------


class CustomerFacts:
    """What the flags of every project of one customer ask of it, worked out once for all of them:
    its contacts by id, and the last day each was met on or before today."""

    def __init__(self, customer: Any, today: dt.date) -> None:
        self.customer = customer
        self.today = today

    @functools.cached_property
    def contacts(self) -> dict[str, Any]:
        return {c.id: c for c in self.customer.contact_list()}

    @functools.cached_property
    def last_met(self) -> dict[str, dt.date]:
        last: dict[str, dt.date] = {}
        for contact, when in _meetings(self.customer):
            if when <= self.today and when > last.get(contact, dt.date.min):
                last[contact] = when
        return last


@dataclass
class FlagContext:
    customer: Any  # CustomerRecord
    project: Any  # ProjectRecord
    messages: Messages
    today: dt.date
    settings: Any  # crm.yaml's red_flags
    # shared by the customer's projects; made here when not given
    facts: CustomerFacts = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.facts is None:
            self.facts = CustomerFacts(self.customer, self.today)

    @property
    def path(self) -> str:
        return self.project.project.path

    def at(self, *loc: Any) -> tuple[int, int]:
        return mark_of(locate(self.project.project.doc.root, loc)[0])

    def contacts(self) -> dict[str, Any]:
        """The customer's contacts by id (one dict for every caller: read it, do not change it)."""
        return self.facts.contacts

    def flag(self, code: str, loc: tuple[Any, ...], problem: tuple[str, str], fix: tuple[str, str],
             document: Any = None) -> Diagnostic:
        """A flag located in project.yaml at ``loc``, or in ``document`` (a stage document) at ``loc``."""
        m = self.messages
        if document is not None:
            root = document.front.root if document.front else None
            path, (line, col) = document.path, mark_of(locate(root, loc)[0]) if root is not None else (1, 1)
        else:
            path, (line, col) = self.path, self.at(*loc)
        return m.diagnostic(code, path, line, col, project=f"{self.customer.id}/{self.project.id}",
                            problem=m.pick(*problem), fix=m.pick(*fix))


@dataclass(frozen=True)
class RedFlag:
    """A red flag; what raises each one is documented in docs/analysis.md."""

    code: str
    from_stage: str  # applies once the project has reached this stage
    check: Callable[[FlagContext], list[Diagnostic]]


def _decision_map(ctx: FlagContext) -> list[Any]:
    return list(ctx.project.project.model.decision_map)


def who(person: Any, entry: Any, lang: str) -> str:
    """李阳 (总经理, final approver 35%): a decision-map person, named with their part."""
    role = vocabulary.label(vocabulary.FUNCTION, entry.role, lang)
    name = person.name if person is not None else entry.contact
    if lang == "en":
        title = f"{person.title}, " if person is not None and person.title else ""
        return f"{name} ({title}{role} {entry.weight:g}%)"
    title = f"{person.title}，" if person is not None and person.title else ""
    return f"{name}（{title}{role} {entry.weight:g}%）"


def flag_approver(ctx: FlagContext) -> list[Diagnostic]:
    """The manual's last column for the final approver: opposed, or not known (不清楚), is a red flag
    whoever else supports us."""
    approvers = [(i, e) for i, e in enumerate(_decision_map(ctx)) if e.role == "final_approver"]
    if not approvers:
        return [ctx.flag("flag-approver", ("decision_map",),
                         ("the final approver (最终拍板人) is unknown", "最终拍板人不明"),
                         ("find out who signs off and add them with `role: final_approver`",
                          "请查明最终拍板人，并以 `role: final_approver` 加入决策图"))]
    contacts, found = ctx.contacts(), []
    for i, entry in approvers:
        person = contacts.get(entry.contact)
        if person is None:
            continue  # an unknown contact is a ref-unknown error of its own
        en, zh = who(person, entry, "en"), who(person, entry, "zh-CN")
        if person.attitude == "opponent":
            found.append(ctx.flag("flag-approver", ("decision_map", i),
                                  (f"the final approver {en} opposes us", f"最终拍板人{zh}反对我方"),
                                  ("plan how to win them over (`action:`), through the people they trust",
                                   "请制定争取措施（`action:`），通过其信任的人做工作")))
        elif person.attitude == "unknown":
            found.append(ctx.flag("flag-approver", ("decision_map", i),
                                  (f"where the final approver {en} stands is not known",
                                   f"最终拍板人{zh}的态度不清楚"),
                                  (f"see {person.name} next, or learn their view through someone close to them; "
                                   "then record their `attitude`",
                                   f"请尽快拜访{person.name}，或通过其身边的人了解其态度，然后记录 `attitude`")))
    return found


def flag_no_supporter(ctx: FlagContext) -> list[Diagnostic]:
    contacts = ctx.contacts()
    deciders = [(e, contacts[e.contact]) for e in _decision_map(ctx)
                if e.contact in contacts and (contacts[e.contact].level == "decision_maker" or e.role == "final_approver")]
    if any(p.attitude == "supporter" for _, p in deciders):
        return []
    if deciders:
        en = "; ".join(f"{who(p, e, 'en')}: {vocabulary.label(vocabulary.ATTITUDE, p.attitude, 'en')}"
                       for e, p in deciders)
        zh = "；".join(f"{who(p, e, 'zh-CN')}：{vocabulary.label(vocabulary.ATTITUDE, p.attitude, 'zh-CN')}"
                      for e, p in deciders)
        problem = (f"no supporter among the decision-level people: {en}", f"决策层中没有支持者：{zh}")
    else:
        problem = ("no supporter among the decision-level people: the decision map names none",
                   "决策层中没有支持者：决策图中没有决策层人员")
    return [ctx.flag("flag-no-supporter", ("decision_map",), problem,
                     ("build a relationship with a decision maker until they support us",
                      "请发展与决策者的关系，争取其支持"))]


def flag_opponent(ctx: FlagContext) -> list[Diagnostic]:
    """An opponent in the decision map is a risk whatever their influence; high influence says
    more, and an unrecorded one is no reason for silence. A planned `action` answers it."""
    contacts, found = ctx.contacts(), []
    for i, entry in enumerate(_decision_map(ctx)):
        person = contacts.get(entry.contact)
        if person is None or person.attitude != "opponent" or entry.action:
            continue
        en, zh = who(person, entry, "en"), who(person, entry, "zh-CN")
        if person.influence == "high":
            problem = (f"{en} opposes us, with high influence, and no action is planned",
                       f"{zh}反对我方且影响力高，尚无应对措施")
        elif person.influence:
            level = vocabulary.label(vocabulary.INFLUENCE, person.influence, "zh-CN")
            problem = (f"{en} opposes us (influence {person.influence}), and no action is planned",
                       f"{zh}反对我方（影响力{level}），尚无应对措施")
        else:
            problem = (f"{en} opposes us (influence not recorded), and no action is planned",
                       f"{zh}反对我方（影响力未记录），尚无应对措施")
        found.append(ctx.flag("flag-opponent", ("decision_map", i), problem,
                              ("write what we will do about them under this entry's `action:`",
                               "请在该条目的 `action:` 中写明应对措施")))
    return found


def next_to_see(customer: Any, project: Any) -> list[tuple[Any, Any]]:
    """People with a part in the decision whose attitude is not known: the next people to see,
    heaviest weight first, as (decision-map entry, contact)."""
    contacts = {c.id: c for c in customer.contact_list()}
    entries = [(e, contacts[e.contact]) for e in project.decision_map
               if e.contact in contacts and contacts[e.contact].attitude == "unknown"]
    return sorted(entries, key=lambda pair: -pair[0].weight)


def flag_no_handler(ctx: FlagContext) -> list[Diagnostic]:
    document = ctx.project.documents.get("visit_report")
    handler = document.model.handler if document is not None and document.complete else None
    if handler is not None and handler in ctx.contacts():
        return []
    return [ctx.flag("flag-no-handler", ("handler",) if document is not None else (),
                     ("past the visit, and the person handling the project (经手人) is still not identified",
                      "已过拜访阶段，仍未找到项目经手人"),
                     ("name them as `handler:` in the visit report", "请在拜访反馈报告的 `handler:` 中写明"),
                     document=document)]


def _meetings(customer: Any, project: Any = None) -> list[tuple[str, dt.date]]:
    """(contact, date) for every meeting on record: the customer's activities (of ``project`` only,
    if given) and the people the stage documents show we met or called."""
    activities = customer.activities.model.activities if customer.activities and customer.activities.model else []
    found = [(c, a.date) for a in activities if project is None or a.project == project.id for c in a.contacts]
    projects = [project] if project is not None else list(customer.projects.values())
    for project in projects:
        for document in project.documents.values():
            found.extend(document.met())
    return found


def flag_single_threaded(ctx: FlagContext) -> list[Diagnostic]:
    customer = ctx.customer.customer.model if ctx.customer.customer else None
    if customer is None or customer.category == "individual":
        return []  # one person is the whole buying centre of an individual
    people = {e.contact for e in _decision_map(ctx)}
    people.update(contact for contact, _ in _meetings(ctx.customer, ctx.project))
    if len(people) > 1:
        return []
    return [ctx.flag("flag-single-threaded", ("decision_map",),
                     (("single-threaded: the project rests on one contact", "单线联系：项目只依靠 1 个联系人")
                      if people else ("single-threaded: the project rests on no contact at all",
                                      "单线联系：项目没有依靠任何联系人")),
                     ("meet more of the people in the decision", "请接触更多参与决策的人"))]


def flag_weights(ctx: FlagContext) -> list[Diagnostic]:
    entries = _decision_map(ctx)
    total = sum(e.weight for e in entries)
    if not entries or abs(total - 100) <= 1e-6:
        return []
    return [ctx.flag("flag-weights", ("decision_map",),
                     (f"decision weights sum to {total:g}, not 100", f"决策比重合计 {total:g}，不是 100"),
                     ("adjust the weights", "请调整比重"))]


def flag_cold_contact(ctx: FlagContext) -> list[Diagnostic]:
    last = ctx.facts.last_met
    limit = ctx.settings.cold_contact_days
    contacts, found = ctx.contacts(), []
    for i, entry in enumerate(_decision_map(ctx)):
        seen = last.get(entry.contact)
        if seen is not None and (ctx.today - seen).days <= limit:
            continue
        name = contacts[entry.contact].name if entry.contact in contacts else entry.contact
        when = (f"last seen {seen}, {(ctx.today - seen).days} days ago" if seen else
                "never met in an activity or a document",
                f"最近一次接触为 {seen}，已 {(ctx.today - seen).days} 天" if seen else "活动和文件中都没有接触记录")
        found.append(ctx.flag("flag-cold-contact", ("decision_map", i, "contact"),
                              (f"{name} in the decision map: {when[0]} (limit {limit})",
                               f"决策图中的{name}：{when[1]}（上限 {limit} 天）"),
                              ("get in touch, and log it in activities.yaml", "请尽快联系，并记入 activities.yaml")))
    return found


RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag("flag-approver", "solution", flag_approver),
    RedFlag("flag-no-supporter", "solution", flag_no_supporter),
    RedFlag("flag-opponent", "visit", flag_opponent),
    RedFlag("flag-no-handler", "solution", flag_no_handler),
    RedFlag("flag-single-threaded", "solution", flag_single_threaded),
    RedFlag("flag-weights", "exchange", flag_weights),
    RedFlag("flag-cold-contact", "visit", flag_cold_contact),
)


def red_flags(ctx: FlagContext, pipeline: Any, stage: str) -> list[Diagnostic]:
    """The flags that apply to a project in ``stage`` (open projects only: the caller decides)."""
    if ctx.project.project is None or ctx.project.project.model is None:
        return []
    current = pipeline.index(stage) or 0
    found = []
    for flag in RED_FLAGS:
        start = pipeline.index(flag.from_stage)
        if start is None or current >= start:
            found.extend(flag.check(ctx))
    return found
