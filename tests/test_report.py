"""`crmctl report`: each report on the examples, in every format, its numbers recomputed here from
the example files, and the same output twice."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from conftest import system_tool
from crmctl.models.common import parse_amount

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NAMES = ("summary", "funnel", "pipeline", "outcomes", "money", "care", "risks", "activity", "fees", "targets")
DAY = ("--as-of", "2026-11-29")


def _json(cli, name: str, *more: str) -> dict:
    result = cli("report", name, "--repo", EXAMPLES, "--format", "json", *DAY, *more)
    assert (result.code, result.err) == (0, ""), result.err
    return json.loads(result.out)


def _histories() -> dict[str, list[dict]]:
    return {f"{p.parts[-4]}/{p.parts[-2]}": yaml.safe_load(p.read_text(encoding="utf-8"))["events"]
            for p in EXAMPLES.glob("customers/*/projects/*/history.yaml")}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("fmt", ["table", "md", "json", "csv", "html"])
def test_every_report_runs_in_every_format_and_says_the_same_twice(cli, name, fmt):
    args = ("report", name, "--repo", EXAMPLES, "--format", fmt, *DAY)
    first = cli(*args)
    if fmt == "csv" and name == "summary":  # several tables: one CSV cannot hold them
        assert (first.code, first.out) == (2, "") and "`summary` has 7 tables" in cli(*args, "--lang", "en").err
        return
    assert (first.code, first.err) == (0, ""), first.err
    assert first.out and cli(*args).out == first.out


def test_outcomes_are_the_histories_closes(cli):
    closes = sorted((e["date"], ref, e["outcome"]) for ref, events in _histories().items() for e in events
                    if e["action"] == "close" and str(e["date"]).startswith("2026"))
    data = _json(cli, "outcomes", "--period", "2026")["sections"]["outcomes"]
    assert [(p["date"], f"{p['customer']}/{p['project']}", p["outcome"]) for p in data["projects"]] == \
        [(str(d), ref, outcome) for d, ref, outcome in closes]
    # a won deal is worth its signed contract
    contract = yaml.safe_load((EXAMPLES / "customers/sh-xianda-lenglian/projects/reefer-fleet-2027/contract.yaml")
                              .read_text(encoding="utf-8"))
    won = next(p for p in data["projects"] if p["project"] == "reefer-fleet-2027")
    assert Decimal(won["value"]) == parse_amount(contract["value"])


def test_money_is_what_the_contracts_say_and_what_due_sums(cli):
    totals = _json(cli, "money")["sections"]["money"]["totals"]
    signed = value = received = Decimal(0)
    for path in EXAMPLES.glob("customers/*/projects/*/contract.yaml"):
        contract = yaml.safe_load(path.read_text(encoding="utf-8"))
        if contract.get("signed"):
            signed += 1
            value += parse_amount(contract["value"])
            received += sum((parse_amount(r["amount"]) for r in contract.get("received") or []
                             if str(r["date"]) <= "2026-11-29"), Decimal(0))
    assert (Decimal(totals["value"]), Decimal(totals["received"])) == (value, received) and signed == 4
    due = json.loads(cli("due", "--repo", EXAMPLES, "--today", "2026-11-29", "--format", "json").out)["money"]
    assert (totals["outstanding"], totals["overdue"], totals["deposit"]) == (due["owed"], due["overdue"], due["deposits"])


def test_the_charts_series_add_up_to_the_tables_totals(cli):
    money = _json(cli, "money")["sections"]["money"]
    months = money["by_month"]
    assert [r["month"] for r in months] == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    assert (months[-1]["signed"], months[-1]["received"]) == (money["totals"]["value"], money["totals"]["received"])
    pipeline = _json(cli, "pipeline")["sections"]["pipeline"]
    assert sum(r["value"] for r in pipeline["by_month"]) <= pipeline["total"]
    assert all(r["weighted"] <= r["value"] for r in pipeline["by_month"])


def test_the_funnel_counts_the_stages_each_history_reached(cli):
    stages = [s["stage"] for s in _json(cli, "funnel")["sections"]["funnel"]["stages"]]
    reached = {s: 0 for s in stages}
    for events in _histories().values():
        seen = {"phone_invitation"} | {e["to"] for e in events if e["action"] == "advance"}
        for stage in seen:
            reached[stage] += 1
    # a project with no history yet (hd-chengguan) is at the first stage too
    reached["phone_invitation"] += len(list(EXAMPLES.glob("customers/*/projects/*/project.yaml"))) - len(_histories())
    rows = {s["stage"]: s for s in _json(cli, "funnel")["sections"]["funnel"]["stages"]}
    assert {s: rows[s]["reached"] for s in stages} == reached
    assert rows["visit"]["went_on"] == rows["solution"]["reached"]


def test_risks_are_the_red_flags_status_shows(cli):
    status = json.loads(cli("status", "--repo", EXAMPLES, "--today", "2026-11-29", "--format", "json").out)
    flagged = sorted((row["project"], sorted({f["code"] for f in row["red_flags"]})) for row in status
                     if row["outcome"] is None and (row["red_flags"] or row["stalled"]))
    risks = _json(cli, "risks")["sections"]["risks"]["projects"]
    assert sorted((r["project"], r["flags"]) for r in risks) == flagged and len(flagged) == 3


def test_as_of_replays_up_to_the_day(cli):
    before = _json(cli, "outcomes", "--as-of", "2026-07-01", "--period", "2026")["sections"]["outcomes"]
    assert [p["project"] for p in before["projects"]] == ["muck-truck-2026", "group-buy-2026"]
    money = _json(cli, "money", "--as-of", "2026-07-01")["sections"]["money"]
    assert [c["project"] for c in money["contracts"]] == ["muck-truck-2026"]  # the others were not signed yet
    assert money["totals"]["received"] == 2_490_000  # the down payment of 9 June; the next came on 18 July


def test_the_pipeline_weighs_each_stage_by_its_chance(cli, tmp_path):
    import shutil

    root = tmp_path / "ex"
    shutil.copytree(EXAMPLES, root)
    rows = _json(cli, "pipeline")["sections"]["pipeline"]["rows"]
    commercial = next(r for r in rows if r["stage"] == "commercial")
    assert (commercial["probability"], commercial["weighted"]) == (60, commercial["value"] * 0.6)
    config = root / "crm.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\nreport:\n  stage_probability: {commercial: 50}\n",
                      encoding="utf-8")
    result = cli("report", "pipeline", "--repo", root, "--format", "json", *DAY)
    rows = json.loads(result.out)["sections"]["pipeline"]["rows"]
    assert next(r for r in rows if r["stage"] == "commercial")["probability"] == 50
    config.write_text(config.read_text(encoding="utf-8").replace("{commercial: 50}", "{comercial: 50}"),
                      encoding="utf-8")
    checked = cli("check", root, "--lang", "en")
    assert "crm.yaml:" in checked.err and "`comercial` is not a stage" in checked.err


def test_filters_and_periods(cli):
    mine = _json(cli, "pipeline", "--owner", "wang-lei")["sections"]["pipeline"]["rows"]
    assert {r["owner"] for r in mine} == {"王磊"}
    assert _json(cli, "pipeline", "--owner", "王磊") == _json(cli, "pipeline", "--owner", "wang-lei")
    quarter = _json(cli, "outcomes", "--period", "2026-Q4")["sections"]["outcomes"]
    assert [p["project"] for p in quarter["projects"]] == ["van-2026", "reefer-fleet-2027"]
    month = _json(cli, "outcomes", "--period", "2026-06")
    assert (month["period"], month["as_of"]) == ({"label": "2026-06", "start": "2026-06-01", "end": "2026-06-30"},
                                                "2026-11-29")
    for bad in ("2026-Q5", "26", "2026-13", "last year"):
        result = cli("report", "funnel", "--repo", EXAMPLES, "--period", bad, "--lang", "en")
        assert (result.code, result.out) == (2, "") and "give a year, a quarter or a month" in result.err
    unknown = cli("report", "pipeline", "--repo", EXAMPLES, "--owner", "王蕾", "--lang", "en")
    assert unknown.code == 1 and "none of our people" in unknown.err


def test_output_goes_to_a_file_outside_the_repository(cli, tmp_path):
    target = tmp_path / "report.md"
    result = cli("report", "summary", "--repo", EXAMPLES, "--format", "md", "-o", target, *DAY)
    assert (result.code, result.out) == (0, "")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# 2026，截至 2026-11-29\n\n## 销售漏斗\n") and "| 阶段 " in text
    inside = cli("report", "--repo", EXAMPLES, "-o", EXAMPLES / "report.md", "--lang", "en")
    assert inside.code == 2 and "inside the customer repository" in inside.err
    assert not (EXAMPLES / "report.md").exists()


def test_at_reads_each_revision_through_git_and_leaves_the_work_tree(cli, tmp_path):
    import shutil
    import subprocess

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True, text=True,
                              env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                                   "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin"}).stdout

    root = tmp_path / "crm"  # the customer repository is a folder of a larger git repository
    shutil.copytree(EXAMPLES, root)
    contract = root / "customers/wang-jianguo/projects/van-2026/contract.yaml"
    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "one")
    contract.write_text(contract.read_text(encoding="utf-8").replace("value: 25.6万", "value: 30万"), encoding="utf-8")
    git("commit", "-qam", "two")
    contract.write_text(contract.read_text(encoding="utf-8").replace("value: 30万", "value: 99万"), encoding="utf-8")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}

    def value(*at: str) -> int:
        result = cli("report", "money", "--repo", root, "--format", "json", *DAY, *at)
        assert result.code == 0, result.err
        contracts = json.loads(result.out)["sections"]["money"]["contracts"]
        return next(c["value"] for c in contracts if c["project"] == "van-2026")

    assert (value("--at", "HEAD~1"), value("--at", "HEAD"), value()) == (256_000, 300_000, 990_000)
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before  # the work tree as it was
    assert "M crm/customers/wang-jianguo/projects/van-2026/contract.yaml" in git("status", "--short")
    for bad, said in (("nope", "git knows no such revision"), ("--output=x", "not a revision")):
        result = cli("report", "money", "--repo", root, "--at", bad, "--lang", "en")
        assert result.code == 2 and said in result.err, result.err


# -- the HTML dashboard ---------------------------------------------------------------------

def _page(cli, root: Path, target: Path, *more: str) -> str:
    result = cli("report", "summary", "--repo", root, "--format", "html", "-o", target, *DAY, *more)
    assert (result.code, result.out, result.err) == (0, "", ""), result.err
    return target.read_text(encoding="utf-8")


def test_a_large_branch_gets_the_first_maps_and_a_word_on_the_rest(cli, tmp_path, monkeypatch):
    from conftest import system_tool
    from crmctl.reports import dashboard

    system_tool("dot", purpose="the stakeholder maps of the dashboard")
    monkeypatch.setattr(dashboard, "MAPS_SHOWN", 2)
    page = _page(cli, EXAMPLES, tmp_path / "a.html", "--lang", "en")
    assert page.count('<figure class="map">') == 2
    assert "<p>and 4 more open projects: crmctl map CUSTOMER/PROJECT draws any of them</p>" in page


def test_the_dashboard_is_one_self_contained_page_the_same_each_time(cli, tmp_path):
    first = _page(cli, EXAMPLES, tmp_path / "a.html")
    assert _page(cli, EXAMPLES, tmp_path / "b.html") == first
    import shutil

    charts = first.count("<svg") - first.count('<figure class="map">')
    assert first.startswith("<!DOCTYPE html>\n<html lang=\"zh-CN\">") and charts == 6
    # with Graphviz, each open project's stakeholder map (CI has it)
    assert first.count('<figure class="map">') == (6 if shutil.which("dot") else 0)
    # nothing to fetch: no script, no style sheet or image from elsewhere (the SVG namespaces are names)
    assert "<script" not in first and not re.search(r"(src|href)=\"(https?:)?//", first)
    for title in ("销售漏斗", "项目储备", "成交与丢单", "回款", "客户维护", "风险", "年度目标"):
        assert f"<h2>{title}</h2>" in first
    assert "<td>sh-xianda-lenglian</td>" in first and "<td>50,620,000</td>" in first
    english = _page(cli, EXAMPLES, tmp_path / "en.html", "--lang", "en")
    assert "<html lang=\"en\">" in english and "<h2>Funnel</h2>" in english


def test_the_dashboard_escapes_every_value(cli, tmp_path):
    import shutil

    root = tmp_path / "ex"
    shutil.copytree(EXAMPLES, root)
    history = root / "customers/sd-wuliu-xiehui/projects/group-buy-2026/history.yaml"
    history.write_text(re.sub(r"reason: 会员企业.*", "reason: \"<img src=x onerror=alert(1)>&amp;会员企业\"",
                              history.read_text(encoding="utf-8")), encoding="utf-8")
    page = _page(cli, root, tmp_path / "x.html")
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;&amp;amp;会员企业" in page




@pytest.mark.parametrize("width", [1280, 390])  # a desktop, a phone
def test_the_dashboard_renders_in_a_headless_browser_with_its_charts(cli, tmp_path, width):
    import subprocess

    from PIL import Image

    browser = system_tool("chromium", "chromium-browser", "google-chrome",
                          purpose="the dashboard must be seen in a real browser")
    page = tmp_path / "dashboard.html"
    _page(cli, EXAMPLES, page)
    shot = tmp_path / "shot.png"
    run = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                          "--disable-background-networking", "--disable-component-update", "--disable-sync",
                          f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
                          f"--window-size={width},2400", f"--screenshot={shot}", page.as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    console = [line for line in run.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    image = Image.open(shot).convert("RGB")
    assert image.size[0] == width
    colours = image.getcolors(maxcolors=1 << 20)
    # the charts' bars: the funnel's blue and orange and the weighted pipeline's green cover real area
    counts = {rgb: n for n, rgb in colours}
    for bar in ((0x2F, 0x6D, 0xB5), (0xE0, 0x8A, 0x2C), (0x3A, 0x9A, 0x5B)):
        assert counts.get(bar, 0) > 500, bar


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_first_and_the_last_day_there_is(cli, day):
    for fmt in ("table", "json", "html"):
        result = cli("report", "summary", "--repo", EXAMPLES, "--as-of", day, "--format", fmt, "-o", "-")
        assert (result.code, result.err) == (0, ""), result.err
    assert cli("report", "--repo", EXAMPLES, "--as-of", day).out.startswith(f"{day[:4]}，截至 {day}\n")


def test_what_a_report_leaves_out_it_says(cli, tmp_path):
    import shutil

    root = tmp_path / "ex"
    shutil.copytree(EXAMPLES, root)
    history = root / "customers/wang-jianguo/projects/van-2026/history.yaml"
    history.write_text(history.read_text(encoding="utf-8").replace("from: phone_invitation", "from: delivery", 1),
                       encoding="utf-8")
    result = cli("report", "outcomes", "--repo", root, *DAY, "--lang", "en")
    assert result.code == 1 and "van-2026" not in result.out
    assert result.err.startswith("customers/wang-jianguo/projects/van-2026/history.yaml: error history-invalid")


def test_html_cells_show_control_characters_and_nothing_for_none(cli, tmp_path):
    import shutil

    root = tmp_path / "ex"
    shutil.copytree(EXAMPLES, root)
    history = root / "customers/sd-wuliu-xiehui/projects/group-buy-2026/history.yaml"
    history.write_text(re.sub(r"reason: 会员企业.*", 'reason: "\\\\e[31m红\\\\u202e反向"', history.read_text(encoding="utf-8")),
                       encoding="utf-8")
    page = tmp_path / "p.html"
    _page(cli, root, page)
    html = page.read_text(encoding="utf-8")
    assert "\x1b" not in html and "\u202e" not in html and "\\x1b[31m红\\u202e反向" in html
    assert "<td>None</td>" not in html


def test_a_chance_is_taken_as_written_and_the_funnel_agrees_with_itself(cli, tmp_path):
    import shutil

    root = tmp_path / "ex"
    shutil.copytree(EXAMPLES, root)
    config = root / "crm.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\nreport:\n  stage_probability: {commercial: 12.5}\n",
                      encoding="utf-8")
    rows = json.loads(cli("report", "pipeline", "--repo", root, "--format", "json", *DAY).out)["sections"]["pipeline"]["rows"]
    commercial = next(r for r in rows if r["stage"] == "commercial")
    assert (commercial["probability"], commercial["weighted"]) == (12.5, commercial["value"] * 0.125)
    funnel = _json(cli, "funnel", "--as-of", "2027-03-01", "--period", "2026")["sections"]["funnel"]
    assert sum(r["stalled"] for r in funnel["stages"]) == len(funnel["stalled"]) > 0


def test_at_refuses_a_revision_holding_a_link_that_leads_out(cli, tmp_path):
    import shutil
    import subprocess

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                       env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                            "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin"})

    root = tmp_path / "crm"
    shutil.copytree(EXAMPLES, root)
    (root / "customers/bj-huanwei/projects/out").symlink_to("/etc")
    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "a link that leads out")
    result = cli("report", "money", "--repo", root, "--at", "HEAD", "--lang", "en")
    assert (result.code, result.out) == (1, "")
    assert result.err.startswith("crmctl: --at HEAD: customers/bj-huanwei/projects/out leads outside the repository")


def test_fees_and_targets_keep_to_the_filters(cli):
    customers = {r["customer"] for r in _json(cli, "fees", "--owner", "赵立新")["sections"]["fees"]["customers"]}
    assert customers and customers <= {"tj-hongyun-qingyun", "wang-jianguo", "bj-huanwei", "li-chunhua"}
    everyone = _json(cli, "fees")["sections"]["fees"]
    assert len(everyone["customers"]) > len(customers)
    volume = {x["measure"]: x for x in _json(cli, "targets", "--owner", "刘芳")["sections"]["targets"]["measures"]}
    assert volume["volume"]["this"] == 100  # the cold-chain fleet alone
