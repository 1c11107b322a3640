"""The built-in stages, as plain data: what ``show`` and the command line need of them
without loading the gate rules (``crmctl.pipeline.stages``)."""

from __future__ import annotations

from typing import Any

# The built-in pipeline, from the sales manual (DOMAIN.md §2 and §3): the stages, their order,
# outputs and goals are the manual's. Every `max_days` is crmctl's choice (the manual gives no
# durations): how long each step of a fleet purchase usually takes — two weeks to book a visit,
# about a month for a visit, a first solution and a contract, six weeks for a technical exchange,
# two months to evaluate and negotiate, three to build the order, two to deliver and register.
DEFAULT_STAGES: list[dict[str, Any]] = [
    {"id": "phone_invitation", "max_days": 14, "outputs": ["phone_invitation"],
     "name": {"zh": "客户确定/电话邀约", "en": "Customer chosen, phone invitation"},
     "guidance": {"zh": "确定目标客户，电话邀约，约定拜访时间和联系人，并按模板反馈。",
                  "en": "Pick the customer and phone to book a visit: agree the time, place and contact person."}},
    {"id": "visit", "max_days": 30, "outputs": ["visit_report"],
     "name": {"zh": "上门拜访及产品推荐", "en": "Visit and product presentation"},
     "guidance": {"zh": "找对经手人并递交产品资料；推荐我方技术和产品优势；明确客户内部采购流程及项目负责人；"
                        "建立并发展与经手人的关系。",
                  "en": "Find the person handling the project and hand over product material; present our "
                        "technical and product strengths; learn the customer's procurement process and project "
                        "owner; build a relationship with the handler."}},
    {"id": "solution", "max_days": 30, "outputs": ["product_recommendation"],
     "requires": ["handler-identified", "procurement-known", "fleet-known", "materials-handed-over",
                  "first-plan-known"],
     "name": {"zh": "车辆解决初步方案", "en": "First vehicle solution"},
     "guidance": {"zh": "在客户分析基础上提交初步方案；双方达成可以提交初步方案的共识。",
                  "en": "Submit a first solution built on the customer analysis; agree with the customer that a "
                        "first solution can be submitted."}},
    {"id": "exchange", "max_days": 45, "outputs": ["exchange_minutes"], "requires": ["solution-consensus"],
     "name": {"zh": "技术交流及方案确认", "en": "Technical exchange and solution confirmed"},
     "guidance": {"zh": "组织技术交流，解答技术问题，使客户确认方案。",
                  "en": "Hold the technical exchange, answer the technical questions, get the solution confirmed."}},
    {"id": "commercial", "max_days": 60, "outputs": ["evaluation", "negotiation_minutes"],
     "requires": ["solution-confirmed", "decision-map-complete"],
     "name": {"zh": "项目评估/商务运作", "en": "Project evaluation and commercial operation"},
     "guidance": {"zh": "了解客户的技术与商务评估标准；商务谈判（产品、价格、服务、付款、交期），"
                        "按客户需求而非产品定价；忌临时抱佛脚、带个人感情、乱承诺、乱报价。",
                  "en": "Learn the customer's technical and commercial criteria; negotiate product, price, service, "
                        "payment and delivery, pricing from the customer's needs, not the list; no last-minute "
                        "preparation, emotion, uncovered promises or baseless prices."}},
    {"id": "contract", "max_days": 30, "outputs": ["service_plan"],
     "requires": ["evaluation-complete", "negotiation-concluded", "negotiation-topics", "senior-negotiators",
                  "contract-reviewed"],
     "name": {"zh": "合同签订/关系维护", "en": "Contract signed, relationship kept"},
     "guidance": {"zh": "合同经公司各部门评审后签订；制定关系维护与服务计划。",
                  "en": "Sign the contract after the company's departments reviewed it; plan how the relationship "
                        "is kept and served."}},
    {"id": "order_assurance", "phase": "after_sale", "max_days": 90, "outputs": ["order_assurance"],
     "name": {"zh": "订单保障", "en": "Order assurance"},
     "guidance": {"zh": "生产控制，关键零部件同一供应商，整车按合同检验，首台改装样车经客户确认。",
                  "en": "Production control, the same suppliers for key parts, the built vehicle checked against "
                        "the contract, the first body-conversion sample confirmed by the customer."}},
    {"id": "delivery", "phase": "after_sale", "max_days": 60, "outputs": ["delivery"], "requires": ["order-assured"],
     "name": {"zh": "交车", "en": "Delivery"},
     "guidance": {"zh": "按时交车，交车前检查，协助上牌并投入运营。",
                  "en": "Deliver on time, inspect before handover, help register the vehicles and put them into "
                        "service."}},
    {"id": "maintenance", "phase": "after_sale", "requires": ["vehicles-handed-over"],
     "name": {"zh": "客户维护", "en": "Customer maintenance"},
     "guidance": {"zh": "建立车辆使用者档案，培训，指定服务站，定期回访（初期每半月，三个月后每月），关怀活动。",
                  "en": "File of the vehicle users, training, a designated service station, return visits (every "
                        "half month at first, monthly after three months), care activities."}},
]
