"""The domain's fixed vocabularies, each value with its English and Chinese label.

The models build their ``Literal`` types from these, the CLI its choices and
the reports their labels, so a value is named in one place only. Kept free of
heavy imports: the CLI reads it at start-up.
"""

from __future__ import annotations

from typing import Iterable

Vocabulary = dict[str, tuple[str, str]]  # value -> (en, zh-CN)

CATEGORY: Vocabulary = {
    "government": ("government", "政府客户"),
    "enterprise": ("enterprise", "企业客户"),
    "individual": ("individual", "个人/个体客户"),
}
KIND: Vocabulary = {
    "agency": ("government agency", "政府机关"),
    "institution": ("public institution", "事业单位"),
    "association": ("association", "团体协会"),
    "person": ("person", "个人"),
    "self_employed": ("self-employed", "个体"),
}
SIZE: Vocabulary = {
    "large": ("large", "大型"),
    "medium": ("medium", "中型"),
    "small": ("small", "小型"),
}
TIER: Vocabulary = {
    "A": ("A strategic", "A 战略客户"),
    "B": ("B key", "B 重点客户"),
    "C": ("C general", "C 一般客户"),
}
CHANNEL: Vocabulary = {
    "direct": ("direct sale", "直销"),
    "dealer": ("through a dealer", "分销"),
}
MARKET: Vocabulary = {
    "local": ("local", "本地市场"),
    "domestic": ("domestic", "国内市场"),
    "international": ("international", "国际市场"),
}
LEVEL: Vocabulary = {
    "decision_maker": ("decision maker", "决策者"),
    "manager": ("manager", "管理者"),
    "executor": ("executor", "执行者"),
}
FUNCTION: Vocabulary = {
    "user": ("user department", "使用者"),
    "technical": ("technical selection", "技术选型"),
    "procurement": ("procurement", "采购"),
    "finance": ("finance", "财务"),
    "fleet": ("fleet management", "车辆管理"),
    "final_approver": ("final approver", "最终拍板人"),
    "other": ("other", "其他"),
}
INFLUENCE: Vocabulary = {
    "high": ("high", "高"),
    "medium": ("medium", "中"),
    "low": ("low", "低"),
}
ATTITUDE: Vocabulary = {
    "supporter": ("supporter", "支持者"),
    "neutral": ("neutral", "中立者"),
    "opponent": ("opponent", "反对者"),
    "unknown": ("unknown", "不清楚"),
}
ACTIVITY_KIND: Vocabulary = {
    "call": ("call", "电话"),
    "visit": ("visit", "拜访"),
    "meeting": ("meeting", "会议"),
    "email": ("email", "邮件"),
    "message": ("message", "消息"),
    "demo": ("demonstration", "演示"),
    "exchange": ("technical exchange", "技术交流"),
    "negotiation": ("negotiation", "谈判"),
    "training": ("training", "培训"),
    "return_visit": ("return visit", "回访"),
    "care": ("care activity", "关怀活动"),
    "other": ("other", "其他"),
}
# our side of a sales branch (DOMAIN.md: regional managers, project managers, back office, dealers,
# service stations; management for the branch's own leaders at a negotiation or an executive visit)
OUR_ROLE: Vocabulary = {
    "management": ("branch management", "分公司领导"),
    "regional_manager": ("regional manager", "区域经理"),
    "project_manager": ("project manager", "项目经理"),
    "back_office": ("back office", "后台"),
    "dealer": ("dealer", "经销商"),
    "service_station": ("service station", "服务站"),
    "other": ("other", "其他"),
}
PROCUREMENT_MODE: Vocabulary = {
    "public_tender": ("public tender", "公开招标"),
    "invited_tender": ("invited tender", "邀请招标"),
    "competitive_negotiation": ("competitive negotiation", "竞争性谈判"),
    "inquiry": ("price inquiry", "询价"),
    "single_source": ("single source", "单一来源"),
    "direct_purchase": ("direct purchase", "直接采购"),
    "other": ("other", "其他"),
}


def label(vocabulary: Vocabulary, value: str | None, lang: str) -> str:
    if value is None:
        return ""
    en, zh = vocabulary.get(value, (value, value))
    return zh if lang == "zh-CN" else en


def value_named(name: str, choices: Iterable[str]) -> str | None:
    """The one value among ``choices`` whose label, in either language, is ``name`` (`支持者` →
    `supporter`): people write the words they read in the files' comments."""
    choices = set(choices)
    found = {value for vocabulary in ALL for value, labels in vocabulary.items()
             if value in choices and name.strip().lower() in (labels[0].lower(), labels[1])}
    return found.pop() if len(found) == 1 else None
DOCUMENT_KIND: Vocabulary = {
    "phone_invitation": ("phone-invitation feedback form", "电话邀约反馈单"),
    "visit_report": ("visit feedback report", "拜访反馈报告"),
    "product_recommendation": ("product recommendation", "产品推介书"),
    "exchange_minutes": ("technical exchange minutes", "交流纪要"),
    "negotiation_minutes": ("negotiation minutes", "谈判纪要"),
    "service_plan": ("relationship maintenance and service plan", "关系维护与服务计划"),
    "evaluation": ("project evaluation", "项目评估表"),
    "contract": ("contract", "合同"),
    "order_assurance": ("order assurance record", "订单保障记录"),
    "delivery": ("delivery record", "交车记录"),
}
# the manual's contract review checklist (合同评审), each item answered before signing (the labels
# stand as placeholders in a YAML template: no `: ` in them)
REVIEW_ITEM: Vocabulary = {
    "chassis": ("vehicle configuration — the chassis", "车辆配置：底盘"),
    "type_approval": ("type approval (公告) and emission compliance", "公告及排放是否符合"),
    "body": ("vehicle configuration — the body", "车辆配置：上装"),
    "price_inclusions": ("price — freight, packaging, registration included or not", "价格：运费、包装、上牌费用是否包含"),
    "payment": ("payment — full or loan; money in before dispatch or after registration",
                "付款方式：全款或贷款；发车前还是上牌后到款"),
    "delivery": ("delivery — in batches? registered before handover? scattered regions? registrable there?",
                 "交车：是否分批、是否上牌后交车、地区是否分散、当地能否上牌"),
    "delivery_time": ("delivery time — can production meet it", "交货期：生产能否满足"),
    "service": ("service requirements — inside the service policy", "服务要求：是否在服务政策内"),
    "liability": ("liability — penalty percentage, warranty deposit retained", "违约责任：违约金比例、质保金"),
}
# the departments that review a contract; crmctl's choice (the manual says "the company's
# departments"): one for each part of the checklist, changed in crm.yaml's contract_review
DEPARTMENT: Vocabulary = {
    "sales": ("sales", "销售部"),
    "technical": ("technical", "技术部"),
    "production": ("production", "生产部"),
    "finance": ("finance", "财务部"),
    "service": ("service", "服务部"),
    "legal": ("legal", "法务部"),
}
# the care plan (DOMAIN.md §3): who uses the vehicles, whom a training is for
VEHICLE_USER: Vocabulary = {
    "driver": ("driver", "驾驶员"),
    "fleet_manager": ("fleet manager", "车辆管理人员"),
    "mechanic": ("mechanic", "维修人员"),
    "other": ("other", "其他"),
}
# the manual's care activities and loyalty measures (关怀活动：上门检修、免费保养；积分、折扣、会员)
CARE_ACTIVITY: Vocabulary = {
    "inspection": ("on-site inspection", "上门检修"),
    "free_maintenance": ("free maintenance", "免费保养"),
    "loyalty": ("loyalty measure (points, discounts, membership)", "忠诚度措施（积分、折扣、会员）"),
    "other": ("other", "其他"),
}
# the manual's meetings with a customer kept: regular business meetings, executive visits both ways
MEETING: Vocabulary = {
    "business": ("business meeting", "业务会议"),
    "executive_visit": ("our executives visit the customer", "我方高层拜访"),
    "executive_hosted": ("the customer's executives visit us", "客户高层来访"),
}

# values the models spell inline, labelled here for what shows them (the SQLite export's labels)
IMPORTANCE: Vocabulary = {
    "high": ("high", "高"),
    "medium": ("medium", "中"),
    "low": ("low", "低"),
}
STRENGTH: Vocabulary = {
    "strong": ("strong", "强"),
    "medium": ("medium", "中"),
    "weak": ("weak", "弱"),
}
OUTCOME: Vocabulary = {
    "won": ("won", "成交"),
    "lost": ("lost", "丢单"),
}
HISTORY_ACTION: Vocabulary = {
    "advance": ("advance", "推进"),
    "close": ("close", "结束"),
    "reopen": ("reopen", "重新打开"),
}


ALL: tuple[Vocabulary, ...] = (CATEGORY, KIND, SIZE, TIER, CHANNEL, MARKET, LEVEL, FUNCTION, INFLUENCE, ATTITUDE,
                               ACTIVITY_KIND, PROCUREMENT_MODE, DOCUMENT_KIND, OUR_ROLE, DEPARTMENT, VEHICLE_USER,
                               CARE_ACTIVITY, MEETING)
