"""classify, map, score, fees: the analysis."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Optional

import typer

from crmctl.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    LangOption,
    ProjectArgument,
    RepoOption,
    TableFormat,
    TodayOption,
    _messages,
    _root,
    complete_customers,
)
from crmctl.escaping import join_lines

# -- analysis ----------------------------------------------------------------------


def _emit(report, output: str, lang: str, *, out=None, root=None, m=None, title: str = "", stamp=None) -> int:
    """Print a reports.report.Report: json = its data; csv, tsv, excel-csv and xlsx the table alone
    (xlsx: a workbook of one sheet, ``title``, as of ``stamp``); a table for people followed by the
    summary. ``out``: the file -o names (``root`` and ``m`` then say where it may not be)."""
    from crmctl.cli.common import deliver
    from crmctl.cli.output import MACHINE_FORMATS, diagnostics_text, listing_file, to_json, write

    if output == "json":
        deliver(to_json(report.data), out, root, m)
    else:
        data = listing_file(report.rows, report.machine_rows, report.columns, output, title=title, stamp=stamp,
                            lang=lang)
        if report.summary and output not in (*MACHINE_FORMATS, "excel-csv", "xlsx"):
            data += "\n" + report.summary
        deliver(data, out, root, m)
    write(diagnostics_text(report.diagnostics, lang), err=True)
    return EXIT_PROBLEMS if any(d.severity == "error" for d in report.diagnostics) else EXIT_OK


def classify(
    customer: Annotated[Optional[str], typer.Argument(metavar="[CUSTOMER]", help="One customer (default: all).",
                                                      autocompletion=complete_customers)] = None,
    output: TableFormat = "table",
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Size, tier and who should work each customer: as recorded and as the rules derive them.

    Size from the fleet and cross-regional operation; tier from yearly purchases and
    importance (thresholds in crm.yaml). Disagreements are also warnings in check.

    Example: crmctl classify --format csv
    """
    from crmctl.reports.analysis import classification_report

    root = _root(repo, lang)
    m = _messages(lang, root)
    return _emit(classification_report(root, m, customer), output, m.lang)


def map_(
    project: ProjectArgument,
    output: Annotated[Literal["tree", "mermaid", "dot", "svg", "json"], typer.Option(
        "--format", "-f", help="tree (text), mermaid, dot (Graphviz), svg (a picture, drawn by Graphviz) or json.")] = "tree",
    today: TodayOption = None,
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """The project's stakeholders: the organisation chart annotated with each person's role
    and weight in this purchase, influence and attitude; the relationship network; red flags.

    Example: crmctl map bj-huanwei --format mermaid > stakeholders.mmd
    """
    from crmctl.analysis import stakeholders
    from crmctl.cli.output import diagnostics_text, missing_text, to_json, write
    from crmctl.reports.analysis import stakeholder_map

    root = _root(repo, lang)
    m = _messages(lang, root)
    smap, flags, problems = stakeholder_map(root, project, m, today.date() if today else None)
    # drawn from files with mistakes: the map is what they say, and the mistakes go to stderr
    write(diagnostics_text(problems, m.lang), err=True)
    if output == "json":
        write(to_json({**stakeholders.map_to_dict(smap), "red_flags": [d.to_dict() for d in flags],
                       "problems": [d.to_dict() for d in problems]}))
        return EXIT_OK
    if output == "svg":
        write(stakeholders.drawn(stakeholders.render_dot(smap, m.lang), "svg", m).decode("utf-8"))
        if flags:
            write(diagnostics_text(flags, m.lang), err=True)
        return EXIT_OK
    render = {"tree": stakeholders.render_tree, "mermaid": stakeholders.render_mermaid,
              "dot": stakeholders.render_dot}[output]
    write(render(smap, m.lang))
    if output == "tree":
        if flags:
            write(m.pick("\nRed flags:\n", "\n风险提示：\n") + missing_text(flags))
        if smap.next_to_see:
            write(join_lines([m.pick("", ""), m.pick("Next to see (attitude unknown):", "下一步拜访（态度不清楚）：")]
                             + [f"  {stakeholders.who(p, e, m.lang)}" for e, p in smap.next_to_see]))
    elif flags:
        write(diagnostics_text(flags, m.lang), err=True)
    return EXIT_OK


def score(
    project: ProjectArgument,
    output: TableFormat = "table",
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Score the project's evaluation: weighted totals of us and each competitor, the ranking,
    where we lose most against the strongest competitor, and the smallest single change that
    would put us first.

    Example: crmctl score sh-xianda-lenglian/reefer-fleet-2027 --format json
    """
    from crmctl.reports.analysis import score_report

    root = _root(repo, lang)
    m = _messages(lang, root)
    return _emit(score_report(root, project, m), output, m.lang)


def fees(
    year: Annotated[Optional[int], typer.Option("--year", min=1, max=9999, help="The year (default: this year).")] = None,
    output: TableFormat = "table",
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """Customer development and maintenance fees due in a year, by customer, with totals by market.

    Development fee: once, in the year of the co-operation agreement (agreement_date, else
    the first won contract). Maintenance fee: in each year with a won contract. Amounts by
    market from crm.yaml.

    Example: crmctl fees --year 2026 --format csv
    """
    from crmctl.reports.analysis import fee_report_view

    root = _root(repo, lang)
    m = _messages(lang, root)
    return _emit(fee_report_view(root, m, year if year is not None else dt.date.today().year), output, m.lang)


def targets(
    year: Annotated[Optional[int], typer.Option("--year", min=2, max=9999, help="The year (default: this year).")] = None,
    output: TableFormat = "table",
    repo: RepoOption = None,
    lang: LangOption = None,
) -> int:
    """The yearly targets of crm.yaml (growth of new customers and of satisfaction) measured
    against the year before, with the vehicles contracted.

    New customers: co-operation began in the year (agreement, else first won contract).
    Satisfaction: the mean of the care plans' evaluation scores that year, each customer once.

    Example: crmctl targets --year 2026 --format json
    """
    from crmctl.reports.analysis import targets_view

    root = _root(repo, lang)
    m = _messages(lang, root)
    return _emit(targets_view(root, m, year if year is not None else dt.date.today().year), output, m.lang)
