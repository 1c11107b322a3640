"""``crmctl report summary --format html``: one self-contained page — charts drawn by matplotlib
as inline SVG (no script, no network, no font files: the text stays text, set in the viewer's
own Chinese fonts), the tables and summaries of the report, every value escaped by Jinja.

The same repository and day give the same bytes: the SVG ids are salted with a constant and
carry no date.
"""

from __future__ import annotations

import io
import warnings
from decimal import Decimal
from typing import Any

from crmctl.messages import Messages
from crmctl.reports.suite import Book

# fonts with Chinese glyphs, as viewers have them (the SVG names them; the browser picks)
FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC",
         "Hiragino Sans GB", "SimHei", "DejaVu Sans", "sans-serif"]
COLOURS = ["#2f6db5", "#e08a2c", "#3a9a5b", "#c2453d", "#7a5fb0"]


def _svg(draw: Any, width: float = 7.5, height: float = 3.2) -> str:
    """A figure drawn by ``draw(axes)``, as SVG text (without the XML prologue, for inline use)."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    rc = {"svg.fonttype": "none", "svg.hashsalt": "crmctl", "font.family": "sans-serif", "font.sans-serif": FONTS,
          "font.size": 10, "axes.spines.top": False, "axes.spines.right": False}
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # glyphs this machine's fonts lack: the viewer's fonts have them
        figure = Figure(figsize=(width, height))
        FigureCanvasSVG(figure)
        draw(figure.add_subplot())
        figure.tight_layout()
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    text = out.getvalue()
    return text[text.index("<svg"):]


def _number(value: Any) -> float:
    return float(value) if isinstance(value, (int, float, Decimal)) else 0.0


def charts(book: Book, m: Messages) -> list[tuple[str, str]]:
    """(title, SVG) of each chart the summary's sections allow."""
    sections = {s.name: s.report for s in book.sections}
    found = []
    if "funnel" in sections:
        rows = sections["funnel"].rows
        machine = sections["funnel"].machine_rows
        labels = [r["stage"] for r in rows][::-1]
        reached = [r["reached"] for r in machine][::-1]
        open_ = [r["open"] for r in machine][::-1]

        def funnel(ax: Any) -> None:
            ax.barh(labels, reached, color=COLOURS[0], label=m.pick("reached", "到达"))
            ax.barh(labels, open_, color=COLOURS[1], label=m.pick("open now", "当前在办"))
            ax.legend(loc="lower right", frameon=False)
            ax.set_xlabel(m.pick("projects", "项目数"))

        found.append((m.pick("Funnel: projects that reached each stage", "销售漏斗：各阶段到达的项目"),
                      _svg(funnel, height=3.6)))
    if "pipeline" in sections:
        data = sections["pipeline"].data
        by_stage: dict[str, list[float]] = {}
        names = {r["stage"]: p["stage"] for r, p in zip(sections["pipeline"].machine_rows, sections["pipeline"].rows)}
        for row in data["rows"]:
            value, weighted = by_stage.setdefault(names[row["stage"]], [0.0, 0.0]), _number(row["weighted"])
            value[0] += _number(row["value"]) / 1e4
            value[1] += weighted / 1e4
        labels = list(by_stage)

        def pipeline(ax: Any) -> None:
            xs = range(len(labels))
            ax.bar([x - 0.2 for x in xs], [v[0] for v in by_stage.values()], 0.4, color=COLOURS[0],
                   label=m.pick("value", "金额"))
            ax.bar([x + 0.2 for x in xs], [v[1] for v in by_stage.values()], 0.4, color=COLOURS[2],
                   label=m.pick("weighted", "加权"))
            ax.set_xticks(list(xs), labels, rotation=20, ha="right")
            ax.set_ylabel(m.pick(f"10,000 {data['currency']}", f"万{data['currency']}"))
            ax.legend(frameon=False)

        found.append((m.pick("Pipeline by stage", "各阶段项目储备"), _svg(pipeline)))
    if "pipeline" in sections and sections["pipeline"].data["by_month"]:
        months = sections["pipeline"].data["by_month"]

        def by_month(ax: Any) -> None:
            xs = range(len(months))
            ax.bar(list(xs), [_number(r["weighted"]) / 1e4 for r in months], color=COLOURS[2])
            ax.set_xticks(list(xs), [r["month"] for r in months], rotation=30, ha="right")
            ax.set_ylabel(m.pick(f"weighted, 10,000 {sections['pipeline'].data['currency']}",
                                 f"加权，万{sections['pipeline'].data['currency']}"))

        found.append((m.pick("Pipeline by expected month of closing", "按预计成交月份的项目储备"),
                      _svg(by_month, height=2.8)))
    if "money" in sections and sections["money"].data["by_month"]:
        months = sections["money"].data["by_month"]

        def over_time(ax: Any) -> None:
            labels = [r["month"] for r in months]
            ax.plot(labels, [_number(r["signed"]) / 1e4 for r in months], marker="o", color=COLOURS[0],
                    label=m.pick("contracts signed", "已签合同"))
            ax.plot(labels, [_number(r["received"]) / 1e4 for r in months], marker="o", color=COLOURS[2],
                    label=m.pick("received", "已收款"))
            ax.tick_params(axis="x", rotation=30)
            ax.set_ylabel(m.pick(f"in all, 10,000 {sections['money'].data['currency']}",
                                 f"累计，万{sections['money'].data['currency']}"))
            ax.legend(frameon=False)

        found.append((m.pick("Money over time", "合同与回款累计"), _svg(over_time, height=2.8)))
    if "money" in sections:
        totals = sections["money"].data["totals"]
        keys = [("received", m.pick("received", "已收")), ("outstanding", m.pick("owed", "应收")),
                ("overdue", m.pick("overdue", "逾期")), ("deposit", m.pick("deposits held", "质保金"))]

        def money(ax: Any) -> None:
            ax.bar([label for _, label in keys], [_number(totals[k]) / 1e4 for k, _ in keys],
                   color=[COLOURS[2], COLOURS[0], COLOURS[3], COLOURS[4]])
            ax.set_ylabel(m.pick(f"10,000 {sections['money'].data['currency']}",
                                 f"万{sections['money'].data['currency']}"))

        found.append((m.pick("Money on signed contracts", "已签合同回款"), _svg(money, height=2.8)))
    if "care" in sections:
        rows = sections["care"].machine_rows

        def care(ax: Any) -> None:
            xs = range(len(rows))
            ax.bar([x - 0.2 for x in xs], [r["visits_scheduled"] for r in rows], 0.4, color=COLOURS[1],
                   label=m.pick("due", "应回访"))
            ax.bar([x + 0.2 for x in xs], [r["visits_done"] for r in rows], 0.4, color=COLOURS[2],
                   label=m.pick("done", "已回访"))
            ax.set_xticks(list(xs), [r["customer"] for r in rows], rotation=20, ha="right")
            ax.legend(frameon=False)

        found.append((m.pick("Return visits done against due", "回访：已完成与应完成"), _svg(care, height=2.8)))
    return found


# crmctl's choice: a page a manager reads through, and a Graphviz run a map; a branch with
# thousands of open projects gets the first of them and a word on the rest (crmctl map REF draws any)
MAPS_SHOWN = 12


def _maps(book: Book, m: Messages, root: Any) -> list[dict[str, Any]]:
    """The stakeholder map of each open project, drawn by Graphviz (none where it is not installed)."""
    import shutil

    from markupsafe import Markup

    from crmctl.analysis.stakeholders import drawn, render_dot
    from crmctl.reports.analysis import stakeholder_map

    if book.name != "summary" or shutil.which("dot") is None:
        return []
    found = []
    for ref in book.open_projects[:MAPS_SHOWN]:
        smap, _, _ = stakeholder_map(root, ref, m, book.as_of)
        svg = drawn(render_dot(smap, m.lang), "svg", m).decode("utf-8")
        found.append({"ref": ref, "svg": Markup(svg[svg.index("<svg"):])})
    return found


def html(book: Book, m: Messages, root: Any) -> str:
    """The page, through the one Jinja factory (autoescaped)."""
    from markupsafe import Markup

    from crmctl.escaping import visible
    from crmctl.files.render import render

    def cell(value: Any) -> str:  # escaped by Jinja; a control or bidi character shown as an escape
        return "" if value is None else visible(str(value))

    sections = [{"title": m.pick(*s.title), "columns": [header for _, header in s.report.columns],
                 "rows": [[cell(row.get(key)) for key, _ in s.report.columns] for row in s.report.rows],
                 "summary": [cell(line) for line in s.report.summary.splitlines()]} for s in book.sections]
    left = max(0, len(book.open_projects) - MAPS_SHOWN)
    context = {"maps": _maps(book, m, root), "maps_title": m.pick("Stakeholder maps of the open projects",
                                                                  "在办项目的组织结构与关系网"),
               "maps_left": m.pick(f"and {left:,} more open projects: crmctl map CUSTOMER/PROJECT draws any of them",
                                   f"另有 {left:,} 个在办项目：可用 crmctl map 客户/项目 查看") if left else "", "lang": m.lang, "title": m.pick(f"crmctl report: {book.name}", f"crmctl 报表：{book.name}"),
               "heading": m.pick(f"{book.period.label}, as of {book.as_of}", f"{book.period.label}，截至 {book.as_of}"),
               "charts": [{"title": title, "svg": Markup(svg)} for title, svg in charts(book, m)],
               "sections": sections}
    return render("reports/dashboard.html.j2", context, m, root)
