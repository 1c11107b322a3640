"""Writes examples/imports/客户名单.xlsx: a branch's customer list as spreadsheets keep it — a merged
title row above the headers, Chinese headers, the words people type (企业, A类, 本地, 直销), dates
written four ways, counts with units, a phone kept as a number, a note row under the table, one
customer on two rows (two contacts), and sheets of contacts and visits.

    python tests/make_import_sample.py      (tests/test_import.py checks the file is what this writes)
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "imports" / "客户名单.xlsx"

CUSTOMER_HEADERS = ["序号", "客户名称", "简称", "客户类型", "市场", "客户级别", "销售方式", "经销商", "负责人", "区域",
                    "保有量（台）", "年采购量", "建档日期", "地址", "跨区域", "备注", "联系人", "职务", "电话"]
CUSTOMERS = [
    [1, "石家庄市城市管理综合行政执法局", "石家庄城管", "政府机关", "本地", "A类", "直销", None, "张明", "石家庄",
     "150台", 60, "2024/3/5", "石家庄市长安区中山东路 39 号", "否", "环卫车辆由市财政统一采购", "刘洋", "装备科科长",
     13803110001],
    [2, "唐山冀东物流有限公司", "冀东物流", "企业", "国内市场", "重点客户", "直销", None, "王磊", "唐山", 86, "30台",
     "2025年6月18日", "唐山市路北区建设北路 120 号", "是", None, "赵伟", "车队经理", "0315-2233445"],
    [3, "保定市清源环卫工程有限公司", "清源环卫", "企业客户", "本地市场", "C", "分销", "保定顺达汽贸", "刘芳", "保定",
     45, 8, dt.datetime(2023, 11, 2), "保定市竞秀区朝阳北大街 66 号", "否", None, "孙静", "总经理", "13933221100"],
    [4, "河北省城市环境卫生协会", "省环卫协会", "团体协会", "国内", "B级", "直销", None, "赵刚", "石家庄", None, None,
     45678, None, None, "每年举办环卫装备展", "周涛", "秘书长", "0311-86001234"],
    [5, "李国庆", None, "个体", "本地", "一般客户", "分销", "张家口宏达汽贸", "刘芳", "张家口", "3辆", 1, "2026.1.8",
     None, None, "个体渣土运输", None, None, None],
    [6, " 石家庄市城市管理综合行政执法局 ", None, None, None, None, None, None, None, None, None, None, None, None,
     None, None, "陈刚", "副局长", "0311-87002233"],
]
CONTACT_HEADERS = ["客户", "姓名", "职务", "部门", "电话", "上级", "决策层级", "职能", "态度"]
CONTACTS = [
    ["冀东物流", "李强", "采购主管", "采购部", "13730001111", "王海", "管理者", "采购", "中立"],
    ["冀东物流", "王海", "总经理", "总经理办公室", "13730002222", None, "决策者", "最终拍板人", "支持"],
    ["清源环卫", "孙静", "总经理", None, "13933221100", None, "决策层", "拍板人", "支持者"],
]
VISIT_HEADERS = ["日期", "客户", "方式", "我方人员", "联系人", "内容", "下一步", "下次日期"]
VISITS = [
    [dt.datetime(2026, 10, 12), "石家庄城管", "上门拜访", "张明", "刘洋、陈刚", "介绍新能源洗扫车，对方关心冬季续航",
     "送产品资料", "2026/10/20"],
    ["2026年10月20日", "冀东物流", "电话", "王磊", "赵伟", "电话邀约，约定下周到场看车", None, None],
    ["2026-11-03", "唐山冀东物流有限公司", "技术交流", "王磊", "王海、李强", "技术交流会，演示冷链车温控", "报价",
     "2026-11-20"],
]


def workbook_bytes() -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "客户清单"
    sheet.append(["华北分公司客户清单（2026 年 10 月整理）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(CUSTOMER_HEADERS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(CUSTOMER_HEADERS)
    for row in CUSTOMERS:
        sheet.append(row)
    for cell in sheet["M"][2:]:
        if isinstance(cell.value, dt.datetime):
            cell.number_format = "yyyy/m/d"
    sheet.append([])
    sheet.append(["注：保有量为 2026 年 9 月盘点数；空白处待补充。"])
    contacts = book.create_sheet("联系人")
    contacts.append(CONTACT_HEADERS)
    for row in CONTACTS:
        contacts.append(row)
    visits = book.create_sheet("拜访记录")
    visits.append(VISIT_HEADERS)
    for row in VISITS:
        visits.append(row)
    visits["A2"].number_format = "yyyy年m月d日"
    book.properties.created = book.properties.modified = dt.datetime(2026, 10, 31, 9, 0)
    out = io.BytesIO()
    book.save(out)
    return _fixed_times(out.getvalue())


def _fixed_times(data: bytes) -> bytes:
    """The zip's member times fixed, so the same rows give the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 10, 31, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


if __name__ == "__main__":
    SAMPLE.parent.mkdir(parents=True, exist_ok=True)
    SAMPLE.write_bytes(workbook_bytes())
    sys.stdout.write(f"{SAMPLE}\n")
