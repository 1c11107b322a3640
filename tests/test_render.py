"""`crmctl render`: the method's documents from the repository's data, as Markdown, HTML and Word."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import system_tool

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PLAN = ("bj-huanwei/sweeper-renewal-2027", "development_plan")
DAY = ("--today", "2026-11-29")


def test_the_development_plan_holds_the_three_maps_the_competition_and_the_score(cli):
    result = cli("render", *PLAN, "--repo", EXAMPLES, *DAY)
    assert (result.code, result.err) == (0, "")
    text = result.out
    assert text.startswith("# 项目开发计划书：北京市环境卫生集团 · 2027 年新能源洗扫车更新采购\n")
    for heading in ("一、客户分析", "二、组织结构图", "三、采购决策图", "四、关系网", "五、竞争分析", "六、解决方案",
                    "七、项目评估"):
        assert f"\n## {heading}\n" in text
    assert "| 陈静 | 副总经理（分管装备） | 总经理办公室 | 李阳 | 决策者 | 使用者 | 高 | 支持者 |" in text
    english = cli("render", *PLAN, "--repo", EXAMPLES, *DAY, "--lang", "en").out
    assert english.startswith("# Project development plan: 北京市环境卫生集团") and "\n## 3. Decision map\n" in english
    assert cli("render", *PLAN, "--repo", EXAMPLES, *DAY).out == text  # the same twice


def test_a_value_is_text_in_every_format(cli, tmp_path):
    root = tmp_path / "ex"
    shutil.copytree(EXAMPLES, root)
    contacts = root / "customers/bj-huanwei/contacts.yaml"
    contacts.write_text(contacts.read_text(encoding="utf-8").replace(
        "name: 陈静", 'name: "陈静 | <script>alert(1)</script> # [x](http://e.example) **b**"'), encoding="utf-8")
    md = cli("render", *PLAN, "--repo", root, *DAY).out
    assert "陈静 \\| \\<script\\>alert\\(1\\)\\</script\\> \\# \\[x\\]\\(http://e\\.example\\) \\*\\*b\\*\\*" in md
    page = tmp_path / "plan.html"
    assert cli("render", *PLAN, "--repo", root, *DAY, "-f", "html", "-o", page).code == 0
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "<a " not in html and "<strong>b</strong>" not in html
    assert "陈静 | &lt;script&gt;alert(1)&lt;/script&gt; # [x](http://e.example) **b**" in html


def test_word_is_written_in_chinese_fonts_and_the_same_each_time(cli, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn

    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    for target in (first, second):
        assert cli("render", *PLAN, "--repo", EXAMPLES, *DAY, "-f", "docx", "-o", target).code == 0
    assert first.read_bytes() == second.read_bytes()
    document = Document(str(first))
    assert document.paragraphs[0].text == "项目开发计划书：北京市环境卫生集团 · 2027 年新能源洗扫车更新采购"
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"陈静", "副总经理（分管装备）", "支持者"} <= cells
    refused = cli("render", *PLAN, "--repo", EXAMPLES, "-f", "docx", "--lang", "en")
    assert refused.code == 2 and "--format docx writes a file" in refused.err


def test_libreoffice_opens_the_word_document_and_reads_its_chinese(cli, tmp_path):
    soffice = system_tool("soffice", "libreoffice", purpose="the .docx must open in LibreOffice")
    plan = tmp_path / "plan.docx"
    assert cli("render", *PLAN, "--repo", EXAMPLES, *DAY, "-f", "docx", "-o", plan).code == 0
    run = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                          "--convert-to", "txt:Text", "--outdir", str(tmp_path), str(plan)],
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    text = (tmp_path / "plan.txt").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "项目开发计划书：北京市环境卫生集团 · 2027 年新能源洗扫车更新采购"
    assert "采购决策图" in text and "支持者" in text


def test_the_customer_file_and_its_refusals(cli):
    result = cli("render", "tj-hongyun-qingyun", "customer_file", "--repo", EXAMPLES, *DAY)
    assert result.code == 0 and "## 客户维护\n\n指定服务站：天津津宏服务站" in result.out
    assert re.search(r"- 2026-10-20 满意度 78\n", result.out)
    for args, said in ((("nobody", "customer_file"), "no customer `nobody`"),
                       (("hebei-shuiwu", "development_plan"), "hebei-shuiwu"),  # two projects: which?
                       (("bj-huanwei", "brochure"), "'brochure'")):
        refused = cli("render", *args, "--repo", EXAMPLES, "--lang", "en")
        assert refused.code in (1, 2) and said in refused.err and refused.out == "", refused


def _dot() -> str:
    return system_tool("dot", purpose="Graphviz draws the organisation chart")


def test_the_organisation_chart_is_a_picture_in_the_plan_and_from_map(cli, tmp_path):
    _dot()
    svg = cli("map", "bj-huanwei", "--repo", EXAMPLES, "--format", "svg", *DAY)
    assert svg.code == 0 and svg.out.startswith("<?xml") and "<svg" in svg.out
    assert ">陈静 副总经理（分管装备） · 影响力高 · 支持者</text>" in svg.out
    page = tmp_path / "plan.html"
    assert cli("render", *PLAN, "--repo", EXAMPLES, *DAY, "-f", "html", "-o", page).code == 0
    html = page.read_text(encoding="utf-8")
    assert html.count("<svg") == 1 and '<figure class="org_chart"><svg' in html and "@@figure" not in html
    plan = tmp_path / "plan.docx"
    assert cli("render", *PLAN, "--repo", EXAMPLES, *DAY, "-f", "docx", "-o", plan).code == 0
    import zipfile

    assert [n for n in zipfile.ZipFile(plan).namelist() if n.startswith("word/media/")] == ["word/media/image1.png"]
    md = cli("render", *PLAN, "--repo", EXAMPLES, *DAY).out
    assert "*（组织结构图：crmctl map bj-huanwei/sweeper-renewal-2027 --format svg）*" in md and "@@" not in md


def test_without_graphviz_map_svg_says_so(cli, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = cli("map", "bj-huanwei", "--repo", EXAMPLES, "--format", "svg", "--lang", "en")
    assert (result.code, result.out) == (1, "")
    assert result.err.startswith("crmctl: Graphviz is not installed: `dot` draws the organisation chart\n"
                                 "    install it (apt-get install graphviz, brew install graphviz), or use --format dot")
    # a document is still written, without the picture
    page = cli("render", *PLAN, "--repo", EXAMPLES, *DAY, "-f", "html", "-o", "-")
    assert page.code == 0 and "<svg" not in page.out and "@@figure" not in page.out


@pytest.mark.parametrize("ref, doc, says", [
    ("sh-xianda-lenglian/reefer-fleet-2027", "recommendation", "| 福田 欧曼 EST 9\\.6 米冷藏车 | 60 |"),
    ("tj-hongyun-qingyun/muck-truck-2026", "contract_review", "| 车辆配置：底盘 | 欧曼 GTL 8×4 底盘 |"),
    ("tj-hongyun-qingyun", "service_plan", "- 指定服务站：天津津宏服务站，服务经理 马卫东 022\\-5831 2266"),
    ("tj-hongyun-qingyun", "customer_file", "## 客户维护"),
])
def test_every_document_in_every_format(cli, tmp_path, ref, doc, says):
    from docx import Document

    md = cli("render", ref, doc, "--repo", EXAMPLES, *DAY)
    assert (md.code, md.err) == (0, "") and says in md.out, md.out
    assert cli("render", ref, doc, "--repo", EXAMPLES, *DAY, "--lang", "en").code == 0
    page = tmp_path / "d.html"
    assert cli("render", ref, doc, "--repo", EXAMPLES, *DAY, "-f", "html", "-o", page).code == 0
    assert "<table>" in page.read_text(encoding="utf-8")
    word = tmp_path / "d.docx"
    assert cli("render", ref, doc, "--repo", EXAMPLES, *DAY, "-f", "docx", "-o", word).code == 0
    assert Document(str(word)).paragraphs[0].text == md.out.splitlines()[0].removeprefix("# ").replace("\\", "")


def test_a_document_needs_what_it_is_drawn_from(cli):
    for args, said in ((("almaty-silkroad/tractor-2027", "recommendation"),
                        "no complete product recommendation to render"),
                       (("almaty-silkroad/tractor-2027", "contract_review"), "no complete contract.yaml to render"),
                       (("bj-huanwei", "service_plan"), "bj-huanwei has no care plan to render")):
        result = cli("render", *args, "--repo", EXAMPLES, "--lang", "en")
        assert (result.code, result.out) == (1, "") and said in result.err, result.err


def test_control_characters_indents_and_markers_stay_text_in_every_format(cli, tmp_path):
    from docx import Document

    root = tmp_path / "ex"
    shutil.copytree(EXAMPLES, root)
    contacts = root / "customers/bj-huanwei/contacts.yaml"
    contacts.write_text(contacts.read_text(encoding="utf-8").replace(
        "name: 孙丽", 'name: "孙丽\\e[31m\\u202e反"').replace("title: 总经理", 'title: "    @@figure:org_chart@@"'),
        encoding="utf-8")
    md = cli("render", *PLAN, "--repo", root, *DAY).out
    assert "孙丽\\x1b\\[31m\\u202e反" in md and "\x1b" not in md and "\u202e" not in md
    assert "| 李阳 | \\@\\@figure:org\\_chart\\@\\@ |" in md  # no indent, no picture marker
    for fmt in ("html", "docx"):
        out = tmp_path / f"plan.{fmt}"
        result = cli("render", *PLAN, "--repo", root, *DAY, "-f", fmt, "-o", out)
        assert (result.code, result.err) == (0, ""), result.err
    html = (tmp_path / "plan.html").read_text(encoding="utf-8")
    assert "\x1b" not in html and "<pre>" not in html and html.count("<svg") <= 1
    cells = {c.text for t in Document(str(tmp_path / "plan.docx")).tables for r in t.rows for c in r.cells}
    assert "孙丽\\x1b[31m\\u202e反" in cells and "@@figure:org_chart@@" in cells


def test_word_headings_are_set_in_a_chinese_font_not_a_theme(cli, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn

    plan = tmp_path / "plan.docx"
    assert cli("render", *PLAN, "--repo", EXAMPLES, *DAY, "-f", "docx", "-o", plan).code == 0
    styles = Document(str(plan)).styles
    for name, font in (("Normal", "宋体"), ("Heading 1", "黑体"), ("Title", "黑体")):
        fonts = styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == font and fonts.get(qn("w:eastAsiaTheme")) is None, name
        assert styles[name].element.rPr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
