"""Write a synthetic customer repository of N customers with realistic content.

    python bench/generate.py OUT_DIR --customers 10000 [--seed 1]

Each customer gets customer.yaml (with a current fleet), contacts.yaml (an
organisation chart of 4-9 people), activities.yaml (10-30 entries) and one or
two projects with decision maps, and one in four a care plan (care.yaml); about
4.5 KB of YAML per customer, like
PERF.md's measurements. The output is deterministic for a seed.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志海峰鹏辉宇浩文斌晨雪梅林琳"
CITIES = ["北京", "天津", "石家庄", "保定", "唐山", "济南", "青岛", "太原", "呼和浩特", "郑州", "上海", "南京"]
TRADES = [("环卫", "城市环卫作业"), ("冷链", "冷链物流运输"), ("建工", "建筑垃圾清运"), ("水务", "供水管网运维"),
          ("物流", "干线物流"), ("电力", "电力抢修"), ("燃气", "燃气管网抢修"), ("邮政", "邮件快递运输")]
BRANDS = [("福田", "欧曼 EST"), ("福田", "奥铃 速运"), ("解放", "J6P"), ("东风", "天锦"), ("重汽", "豪沃 TX"),
          ("陕汽", "德龙 X3000"), ("江淮", "帅铃")]
FUNCTIONS = ["user", "technical", "procurement", "finance", "fleet"]
KINDS = ["call", "visit", "meeting", "exchange", "demo", "negotiation", "return_visit", "care"]


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def customer_files(i: int, rng: random.Random) -> dict[str, str]:
    city = rng.choice(CITIES)
    short, business = rng.choice(TRADES)
    category = rng.choice(["government", "enterprise", "enterprise", "enterprise", "individual"])
    kind = {"government": "kind: " + rng.choice(["agency", "institution", "association"]) + "\n",
            "individual": "kind: " + rng.choice(["person", "self_employed"]) + "\n", "enterprise": ""}[category]
    channel = rng.choice(["direct", "dealer"])
    dealer = f"dealer: {city}联运汽车销售有限公司\n" if channel == "dealer" else ""
    fleet = ""
    for _ in range(rng.randint(1, 3)):
        brand, model = rng.choice(BRANDS)
        fleet += (f"  - brand: {brand}\n    model: {model}\n    tonnage: {rng.choice([4.5, 8, 18, 25, 31])}\n"
                  f"    configuration: 国六,{rng.choice(['厢式', '自卸', '冷藏', '压缩'])}上装\n"
                  f"    price: {rng.randint(10, 70) * 10000}\n    quantity: {rng.randint(1, 80)}\n"
                  f"    purchase_date: {rng.randint(2015, 2025)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}\n")
    customer = (
        "# yaml-language-server: $schema=../../schemas/customer.schema.json\n"
        f"name: {city}市{short}集团第{i}分公司\nshort_name: {city}{short}{i}\ncategory: {category}\n{kind}"
        f"market: {rng.choice(['local', 'domestic', 'international'])}\ntier: {rng.choice('ABC')}\n"
        f"channel: {channel}\n{dealer}owner: {person(rng)}\nregion: {city}\n"
        f"since: {rng.randint(2015, 2026)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}\n"
        f"annual_purchase: {rng.randint(1, 100)}\n"
        f"business:\n  address: {city}市经济开发区第{rng.randint(1, 99)}号路 {rng.randint(1, 999)} 号\n"
        f"  nature: {rng.choice(['国有企业', '民营企业', '事业单位'])}\n  main_business: {business}\n"
        f"  industry_position: 区域前{rng.randint(3, 10)}\n  scope: {city}及周边\n"
        f"  cross_regional: {rng.choice(['true', 'false'])}\n"
        f"current_fleet:\n{fleet}"
        "notes: |\n  每年三季度制定下一年度购车计划,采购需经集团审批。\n"
    )
    n = rng.randint(4, 9)
    ids = [f"p{j}" for j in range(n)]
    contacts = "contacts:\n"
    for j, cid in enumerate(ids):
        boss = f"    reports_to: p{rng.randrange(j)}\n" if j else ""
        contacts += (f"  - id: {cid}\n    name: {person(rng)}\n    title: {rng.choice(['总经理', '部长', '科长', '主管'])}\n"
                     f"    department: {rng.choice(['采购部', '财务部', '技术部', '车管部'])}\n"
                     f"    phone: \"1{rng.randint(3000000000, 9999999999)}\"\n{boss}"
                     f"    level: {rng.choice(['decision_maker', 'manager', 'executor'])}\n"
                     f"    function: {'final_approver' if j == 0 else rng.choice(FUNCTIONS)}\n"
                     f"    influence: {rng.choice(['high', 'medium', 'low'])}\n"
                     f"    attitude: {rng.choice(['supporter', 'neutral', 'opponent', 'unknown'])}\n")
    projects = {}
    for k in range(rng.randint(1, 2)):
        chosen = rng.sample(ids, min(4, n))
        weights = [40, 30, 20, 10][:len(chosen)]
        weights[0] += 100 - sum(weights)
        dmap = "".join(f"  - contact: {c}\n    role: {'final_approver' if c == 'p0' else rng.choice(FUNCTIONS)}\n"
                       f"    weight: {w}\n" for c, w in zip(chosen, weights))
        projects[f"proj-{k}"] = (
            f"name: {2026 + k} 年车辆采购\nowner: {person(rng)}\nopened: 2026-01-{rng.randint(1, 20):02}\n"
            f"expected_close: 2027-{rng.randint(1, 12):02}-28\n"
            f"needs:\n  use: {business}\n  area: {city}\n  quantity: {rng.randint(5, 80)}\n"
            f"  budget: {rng.randint(100, 5000) * 10000}\n  requirements: [国六排放, 三年质保]\n"
            f"procurement_mode: {rng.choice(['public_tender', 'inquiry', 'direct_purchase'])}\n"
            f"decision_map:\n{dmap}")
    activities = "activities:\n"
    for _ in range(rng.randint(10, 30)):
        activities += (f"  - date: 2026-{rng.randint(1, 11):02}-{rng.randint(1, 28):02}\n"
                       f"    kind: {rng.choice(KINDS)}\n    by: {person(rng)}\n"
                       f"    contacts: [{rng.choice(ids)}]\n"
                       f"    project: proj-0\n    summary: 沟通车辆需求与商务条件,客户关注价格和售后服务网点。\n")
    files = {"customer.yaml": customer, "contacts.yaml": contacts, "activities.yaml": activities}
    for pid, text in projects.items():
        files[f"projects/{pid}/project.yaml"] = text
        # a stage history and the first document, so check replays histories and re-checks a gate
        files[f"projects/{pid}/history.yaml"] = (
            "events:\n  - date: 2026-02-01\n    action: advance\n    from: phone_invitation\n    to: visit\n"
            f"    by: {person(rng)}\n")
        files[f"projects/{pid}/phone_invitation.md"] = (
            f"---\nkind: phone_invitation\ncall_date: 2026-01-20\nby: {person(rng)}\ncontact: p0\n"
            f"visit_date: 2026-02-03\nvisit_time: '09:30'\nvisit_place: {city}公司总部\n---\n电话邀约,约定拜访。\n")
    if rng.random() < 0.25:  # a customer we keep: its care plan, with a few of everything
        entries = "".join(f"  - planned: 2026-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}\n    topic: 驾驶与保养\n"
                          f"    audience: [driver]\n" for _ in range(rng.randint(1, 4)))
        visits = "".join(f"  - planned: 2026-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}\n"
                         f"    kind: {rng.choice(['business', 'executive_visit'])}\n    attendees: [p0]\n"
                         for _ in range(rng.randint(1, 4)))
        scores = "".join(f"  - date: 2026-{rng.randint(1, 11):02}-{rng.randint(1, 28):02}\n    score: {rng.randint(60, 99)}\n"
                         f"    contact: {rng.choice(ids)}\n    feedback:\n      - point: 备件等待时间长\n"
                         f"        action: 备件寄售\n        due: 2026-12-{rng.randint(1, 28):02}\n"
                         for _ in range(rng.randint(1, 3)))
        files["care.yaml"] = (f"service_station: {city}特约服务站\nour_contacts: [{person(rng)}]\n"
                              f"customer_contacts: [p0]\nvehicle_users:\n  - {{name: {person(rng)}, role: driver}}\n"
                              f"trainings:\n{entries}meetings:\n{visits}evaluations:\n{scores}")
    return files


def generate(out: Path, customers: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "crm.yaml").write_text("format: 1\nlanguage: en\n", encoding="utf-8")
    for i in range(customers):
        folder = out / "customers" / f"customer-{i:06}"
        for rel, text in customer_files(i, rng).items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.customers, args.seed)
