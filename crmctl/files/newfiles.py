"""The YAML files crmctl writes new (``init``, ``new``): their data, and the comments
that explain them to the person who edits them next.

Values are written by the YAML dumper, never pasted into text: a project name
holding a newline or YAML is a value, and cannot add a key. Comments are whole
lines (or a hint after a one-line value) of crmctl's own words; every line of a
comment is commented, whatever it holds. The finished text is read back and
must give exactly the data that was dumped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crmctl.files.edit import dump_block
from crmctl.files.yamlio import parse_yaml
from crmctl.messages import Messages


@dataclass(frozen=True)
class Comment:
    """Comment lines (a blank line when ``text`` is empty), at ``indent`` spaces."""

    text: str = ""
    indent: int = 0


@dataclass(frozen=True)
class Entry:
    """A top-level key and its value; ``hint`` follows a one-line value as a comment.
    A value of None leaves the key out."""

    key: str
    value: Any
    hint: str = ""
    flow: bool = False  # a list of plain values on one line: `our_contacts: [王磊, 刘芳]`


def _comment(text: str, indent: int) -> str:
    if not text:
        return "\n"
    pad = " " * indent
    return "".join(f"{pad}# {line}".rstrip() + "\n" for line in text.splitlines())


def yaml_text(parts: list[Comment | Entry], messages: Messages) -> str:
    """The file: each entry dumped, each comment commented, read back to prove it."""
    out: list[str] = []
    data: dict[str, Any] = {}
    for part in parts:
        if isinstance(part, Comment):
            out.append(_comment(part.text, part.indent))
            continue
        if part.value is None:
            continue
        text = dump_block({part.key: part.value}, flow_leaves=part.flow)
        if part.hint and text.count("\n") == 1:
            text = text[:-1] + "  # " + " ".join(part.hint.split()) + "\n"
        out.append(text)
        data[part.key] = part.value
    result = "".join(out)
    back = parse_yaml(result, "<new>", messages)
    if back.diagnostics or back.data != (parse_yaml(dump_block(data), "<new>", messages).data if data else None):
        raise AssertionError(f"a generated file does not read back as its data:\n{result}")
    return result


def schema_line(reference: str) -> Comment:
    return Comment(f"yaml-language-server: $schema={reference}")


# -- the files ----------------------------------------------------------------------


def customer_file(c: Any, schema: str, m: Messages) -> str:
    """customer.yaml for a validated ``Customer``."""
    p = m.pick
    parts: list[Comment | Entry] = [
        schema_line(schema),
        Entry("name", c.name), Entry("short_name", c.short_name),
        Entry("category", c.category, "government / enterprise / individual"),
        Entry("kind", c.kind, p("government: agency / institution / association; individual: person / self_employed",
                                "政府：agency 机关 / institution 事业单位 / association 团体协会；"
                                "个人：person 个人 / self_employed 个体")),
        Entry("size", c.size, "large / medium / small"),
        Entry("market", c.market, "local / domestic / international"),
        Entry("tier", c.tier, p("A strategic / B key / C general", "A 战略客户 / B 重点客户 / C 一般客户")),
        Entry("channel", c.channel, "direct / dealer"),
        Entry("dealer", c.dealer), Entry("owner", c.owner), Entry("region", c.region),
        Entry("since", c.since),
        Comment(p("annual_purchase: 0  # vehicles bought per year (estimate)", "annual_purchase: 0  # 年采购量（台，估计）")),
        Comment(),
        Comment(p("The business map: what the customer does.", "业务指导图：客户做什么。")),
        Entry("business", {"cross_regional": c.business.cross_regional}),
        *(Comment(f"{key}:", 2) for key in ("address", "nature", "main_business", "industry_position", "scope")),
        Comment(),
        Comment(p("Vehicles the customer owns now: brand, model, tonnage, configuration, price, quantity, purchase date.",
                  "客户现有车辆：品牌、型号、吨位、配置、价格、数量、购买时间。")),
        Entry("current_fleet", []),
        Comment(" - brand:\n   model:\n   tonnage:\n   configuration:\n   price:\n   quantity:\n"
                "   purchase_date: YYYY-MM-DD"),
        Entry("fleet_size", c.fleet_size),
    ]
    return yaml_text(parts, m)


def people_file(schema: str, m: Messages) -> str:
    text = m.pick(
        "Our own people: owners, who logs activities, our side of relations. Add one with:\n"
        "crmctl new person NAME --role ROLE. Files name a person by id or by name.\n"
        "role: management / regional_manager / project_manager / back_office / dealer / service_station / other",
        "我方人员：负责人、活动记录人、关系网中的我方。添加：crmctl new person 姓名 --role 角色。\n"
        "各文件以标识或姓名指代人员。\n"
        "role 角色：management 分公司领导 / regional_manager 区域经理 / project_manager 项目经理 / "
        "back_office 后台 / dealer 经销商 / service_station 服务站 / other 其他")
    return yaml_text([schema_line(schema), Comment(text), Entry("people", [])], m)


def contacts_file(customer_id: str, schema: str, m: Messages) -> str:
    text = m.pick(
        f"The customer's people. Add one with: crmctl new contact {customer_id} NAME\n"
        "level: decision_maker / manager / executor\n"
        "function: user / technical / procurement / finance / fleet / final_approver / other\n"
        "influence: high / medium / low;  attitude: supporter / neutral / opponent / unknown",
        f"客户方人员。添加：crmctl new contact {customer_id} 姓名\n"
        "level 层级：decision_maker 决策者 / manager 管理者 / executor 执行者\n"
        "function 职能：user 使用者 / technical 技术选型 / procurement 采购 / finance 财务 / fleet 车辆管理 / "
        "final_approver 最终拍板人 / other\n"
        "influence 影响力：high / medium / low；attitude 态度：supporter 支持者 / neutral 中立者 / opponent 反对者 / "
        "unknown 不清楚")
    return yaml_text([schema_line(schema), Comment(text), Entry("contacts", [])], m)


def activities_file(schema: str, m: Messages) -> str:
    text = m.pick(
        "The log of calls, visits, meetings and the rest, oldest first.\n"
        "kind: call / visit / meeting / email / message / demo / exchange / negotiation / training / return_visit / "
        "care / other",
        "拜访、电话、会议等活动记录，按时间先后。\n"
        "kind 类型：call 电话 / visit 拜访 / meeting 会议 / email 邮件 / message 消息 / demo 演示 / exchange 技术交流 / "
        "negotiation 谈判 / training 培训 / return_visit 回访 / care 关怀 / other 其他")
    return yaml_text([schema_line(schema), Comment(text), Entry("activities", [])], m)


def project_file(pr: Any, schema: str, m: Messages) -> str:
    """project.yaml for a validated ``Project``."""
    p = m.pick
    needs = {k: v for k, v in (("quantity", pr.needs.quantity), ("budget", pr.needs.budget)) if v is not None}
    modes = ("public_tender / invited_tender / competitive_negotiation / inquiry / single_source / direct_purchase / "
             "other")
    parts: list[Comment | Entry] = [
        schema_line(schema),
        Entry("name", pr.name), Entry("owner", pr.owner), Entry("opened", pr.opened),
        Entry("expected_close", pr.expected_close),
        *([] if pr.expected_close else [Comment("expected_close: YYYY-MM-DD")]),
        Comment(),
        Comment(p("Needs analysis: vehicle use, operating area and environment, quantity and budget, requirements.",
                  "需求分析：车辆用途、运营区域与环境、采购数量与预算、车辆要求。")),
        Entry("needs", needs) if needs else Comment("needs:"),
        *(Comment(line, 2) for line in ("use:", "area:", "environment:", "requirements: []")),
        Comment(),
        Entry("procurement_mode", pr.procurement_mode, modes),
        *([] if pr.procurement_mode else [Comment(p(f"procurement_mode:  # {modes}",
                                                    "procurement_mode:  # 采购方式 public_tender 公开招标 / invited_tender "
                                                    "邀请招标 / competitive_negotiation 竞争性谈判 / inquiry 询价 / "
                                                    "single_source 单一来源 / direct_purchase 直接采购 / other"))]),
        Comment(),
        Comment(p("The purchase decision map: each person's role in this purchase and decision weight (%).",
                  "采购决策图：每个人在本次采购中的角色和决策比重（%）。")),
        Entry("decision_map", []),
        Comment(" - contact: CONTACT-ID\n   role: final_approver  # user / technical / procurement / finance / fleet /"
                " final_approver / other\n   weight: 40"),
    ]
    return yaml_text(parts, m)


def config_file(lang: str, company: str | None, schema: str, m: Messages) -> str:
    """crm.yaml as ``init`` writes it: every setting with its default, explained."""
    from crmctl.models.config import Config

    defaults = Config(format=1)
    p = m.pick
    weight_names = {
        "customer_relationship": p("customer relationship", "客户关系"), "after_sales": p("after-sales service", "售后服务"),
        "industry_position": p("industry position", "行业地位"), "brand": p("brand", "品牌"),
        "product_performance": p("product performance", "产品性能"), "price": p("price", "价格"),
        "supply_capacity": p("supply capacity", "供货能力"), "solution_speed": p("speed of solution", "快速解决方案"),
    }
    parts: list[Comment | Entry] = [
        schema_line(schema),
        Comment(p("crmctl customer repository settings. Every setting has a default; only `format` is required.\n"
                  "Some defaults are the sales manual's figures, the others crmctl's choices (marked; crmctl's\n"
                  "docs/format.md says why each). Change them to fit your branch; run `crmctl check` after editing.",
                  "crmctl 客户仓库配置。所有设置都有默认值，只有 format 是必填的。\n"
                  "部分默认值来自销售手册，其余为 crmctl 自定（已注明；crmctl 的 docs/format.md 说明了理由）。\n"
                  "请按本分公司情况调整；修改后运行 `crmctl check` 检查。")),
        Comment(),
        Comment(p("CI (.github/workflows/crmctl.yml) installs crmctl with pip from CRMCTL_SPEC, set at the top of\n"
                  "that file. crmctl is on no public package index: point it at your team's copy of crmctl's source,\n"
                  "pinned to a tag or commit, e.g. crmctl @ git+https://git.example.com/tools/crmctl.git@v0.1.0",
                  "CI（.github/workflows/crmctl.yml）用 pip 按该文件顶部的 CRMCTL_SPEC 安装 crmctl。\n"
                  "crmctl 不在任何公共软件包索引上：请指向团队所用的 crmctl 源码，并固定到标签或提交，\n"
                  "例如 crmctl @ git+https://git.example.com/tools/crmctl.git@v0.1.0")),
        Entry("format", 1), Entry("language", lang), Entry("currency", defaults.currency),
        Entry("company", company),
        *([] if company else [Comment(p("company: Example Truck Sales Branch", "company: 某某汽车销售分公司"))]),
        Comment(),
        Comment(p("Enterprise size by fleet (vehicles): cross-regional and >= large_fleet is large;\n"
                  "cross-regional and >= medium_fleet, or regional and >= regional_medium_fleet, is medium.\n"
                  "crmctl's choice: the manual's figures were lost.",
                  "企业规模划分（保有量，台）：跨区域且 ≥ large_fleet 为大型；\n"
                  "跨区域且 ≥ medium_fleet，或区域性且 ≥ regional_medium_fleet 为中型；其余为小型。\n"
                  "此为 crmctl 自定：手册中的数字已缺失。")),
        Entry("classification", {k: getattr(defaults.classification, k)
                                 for k in ("large_fleet", "medium_fleet", "regional_medium_fleet")}),
        Comment(p("Tier by vehicles bought a year: at least tier_a_annual_purchase is A, at least\n"
                  "tier_b_annual_purchase is B. crmctl's choice: the manual gives no volumes.",
                  "按年采购量（台）分级：≥ tier_a_annual_purchase 为 A 级，≥ tier_b_annual_purchase 为 B 级。\n"
                  "此为 crmctl 自定：手册未给出数量。"), 2),
        Comment(f"tier_a_annual_purchase: {defaults.classification.tier_a_annual_purchase}\n"
                f"tier_b_annual_purchase: {defaults.classification.tier_b_annual_purchase}", 2),
        Comment(),
        Comment(p("Fees (per customer): development fee once, when a new customer signs the\n"
                  "co-operation agreement; maintenance fee yearly, with the year's first contract. The manual's figures.",
                  "费用（元/家）：开发费在新客户签订合作协议时一次性支付；\n维护费在每年签订第一份购销合同时支付。"
                  "数额来自销售手册。")),
        Entry("fees", {kind: {k: int(v) for k, v in getattr(defaults.fees, kind).model_dump().items()}
                       for kind in ("development", "maintenance")}),
        Comment(),
        Comment(p("Project evaluation: the manual's eight criteria; their weights (summing to 100) are\n"
                  "crmctl's choice, the manual gives none:\n",
                  "项目评估：指标为手册中的八项；权重（合计 100）为 crmctl 自定，手册未给出：\n")
                + "\n".join(f"  {k}: {v}" for k, v in weight_names.items())),
        Entry("evaluation", {"weights": {k: int(v) for k, v in defaults.evaluation.weights.items()}}),
        Comment(),
        Comment(p("Return visits: every half month at first, monthly after three months (the manual's cadence).",
                  "回访：初期每半月一次，三个月后每月一次（销售手册的频次）。")),
        Entry("follow_up", {"return_visits": defaults.follow_up.return_visits.model_dump()}),
        Comment(),
        Comment(p("The year's targets (growth in percent; the manual's example).", "年度目标（增长百分比；销售手册的示例）。")),
        Entry("targets", {k: int(v) for k, v in defaults.targets.model_dump().items()}),
        Comment(),
        Comment(p("A decision-map person not seen for this many days is a red flag. crmctl's choice: the manual's\n"
                  "slowest return-visit cadence is monthly; 45 days is one missed cycle with two weeks' grace.",
                  "决策图中的人员超过这么多天未接触即为风险。此为 crmctl 自定：手册最慢的回访频次为每月一次，\n"
                  "45 天即错过一次回访再加两周宽限。")),
        Entry("red_flags", {"cold_contact_days": defaults.red_flags.cold_contact_days}),
        Comment(),
        Comment(p("The stages follow the manual; how long a project may stay in each before it is stalled is\n"
                  "crmctl's choice (pipeline.overrides changes it, e.g. visit: {max_days: 21}).",
                  "阶段依照销售手册；各阶段停留多久算停滞为 crmctl 自定（可用 pipeline.overrides 修改，\n"
                  "例如 visit: {max_days: 21}）。")),
    ]
    return yaml_text(parts, m)


def _set_the_spec(file: str, m: Messages) -> str:
    """What a CI run without CRMCTL_SPEC says before it stops."""
    return m.pick(f"set CRMCTL_SPEC in {file} to where pip installs crmctl from (see crm.yaml)",
                  f"请在 {file} 中设置 CRMCTL_SPEC，即 pip 安装 crmctl 的来源（见 crm.yaml）")


def workflow_file(spec: str, lang: str, m: Messages) -> str:
    """The GitHub Actions workflow ``init`` writes: read-only, bounded in time, one run per change."""
    p = m.pick
    file = ".github/workflows/crmctl.yml"
    unset = f'echo "::error file={file}::{_set_the_spec(file, m)}"; exit 1'
    workflow = {
        "name": "crmctl check",
        # pull requests are checked once, as a pull request; the main branch on each push
        "on": {"push": {"branches": ["main", "master"]}, "pull_request": None},
        "permissions": {"contents": "read"},
        "concurrency": {"group": "crmctl-${{ github.ref }}", "cancel-in-progress": True},
        "jobs": {"check": {
            "runs-on": "ubuntu-latest",
            "timeout-minutes": 10,
            "env": {"CRMCTL_SPEC": spec},
            "steps": [
                # the whole history: a pull request is checked against the branch it goes into
                {"uses": "actions/checkout@v4", "with": {"fetch-depth": 0}},
                {"uses": "actions/setup-python@v5", "with": {"python-version": "3.11"}},
                {"name": p("Where crmctl comes from", "crmctl 的来源"), "if": "env.CRMCTL_SPEC == ''",
                 "run": unset},
                {"name": p("Install crmctl", "安装 crmctl"), "run": 'pip install "$CRMCTL_SPEC"'},
                # each problem shown on its line of the pull request's diff; a pull request checks the
                # customers it changes (each whole), a push to main all of them
                {"name": p("Check", "检查"), "env": {"CRMCTL_BASE": "${{ github.base_ref }}"},
                 "run": f'crmctl check --format github --lang {lang} '
                        '${CRMCTL_BASE:+--changed-since "origin/$CRMCTL_BASE...HEAD"}'},
                # the state of the business as one page, kept with the run (Actions > the run > Artifacts),
                # even when check found problems
                {"name": p("The dashboard", "报表页"), "if": "success() || failure()",
                 "run": f'crmctl report summary --format html --lang {lang} -o "$RUNNER_TEMP/dashboard.html"'},
                {"uses": "actions/upload-artifact@v4", "if": "success() || failure()",
                 "with": {"name": "crmctl-dashboard", "path": "${{ runner.temp }}/dashboard.html",
                          "if-no-files-found": "ignore"}},
            ],
        }},
    }
    parts: list[Comment | Entry] = [
        Comment(p("Check the customer repository with crmctl on every pull request and every push to main.\n"
                  "CRMCTL_SPEC tells pip where to install crmctl from, pinned to a tag or commit\n"
                  "(crmctl is on no public package index; see crm.yaml).",
                  "每个拉取请求（pull request）、每次推送到主分支时，用 crmctl 检查客户仓库。\n"
                  "CRMCTL_SPEC 指定 pip 从何处安装 crmctl，并固定到标签或提交\n（crmctl 不在公共软件包索引上；见 crm.yaml）。")),
        *(Entry(k, v) for k, v in workflow.items()),
    ]
    return yaml_text(parts, m)


def gitattributes_file(m: Messages) -> str:
    """.gitattributes: crmctl's merge driver for the files people and crmctl append to."""
    from crmctl.files.merge import gitattributes_lines

    comment = m.pick("# Two branches that each add an activity, a history event, a contact or a person merge cleanly\n"
                     "# through crmctl's merge driver. Git keeps drivers out of the repository: in each clone, run\n"
                     "# `crmctl git-setup` once (without it, git merges these files as text, as any other).\n",
                     "# 两个分支各自新增活动、阶段事件、联系人或我方人员时，经 crmctl 的合并驱动可干净合并。\n"
                     "# git 不把驱动存入仓库：每个克隆请运行一次 `crmctl git-setup`（否则 git 按普通文本合并这些文件）。\n")
    return comment + "".join(line + "\n" for line in gitattributes_lines())


GITLAB_JUNIT = "crmctl-junit.xml"


def gitlab_file(spec: str, lang: str, m: Messages) -> str:
    """The GitLab CI file ``init`` writes: check each merge request and the default branch, the
    problems as a JUnit report GitLab shows in the merge request (kept even when check fails)."""
    p = m.pick
    unset = f'test -n "$CRMCTL_SPEC" || {{ echo "{_set_the_spec(".gitlab-ci.yml", m)}"; exit 1; }}'
    job = {
        # the full image: pip installs from git, which the slim one lacks
        "image": "python:3.11",
        "timeout": "10 minutes",
        # the whole history: a merge request is checked against the commit it branched from
        "variables": {"CRMCTL_SPEC": spec, "GIT_DEPTH": "0"},
        "rules": [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'},
                  {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}],
        "before_script": [unset, 'pip install "$CRMCTL_SPEC"'],
        # a merge request checks the customers it changes (each whole), the default branch all of them
        "script": [f"crmctl check --lang {lang} --output junit={GITLAB_JUNIT} "
                   '${CI_MERGE_REQUEST_DIFF_BASE_SHA:+--changed-since "$CI_MERGE_REQUEST_DIFF_BASE_SHA...HEAD"}'],
        "artifacts": {"when": "always", "expire_in": "30 days", "reports": {"junit": GITLAB_JUNIT}},
    }
    return yaml_text([
        Comment(p("Check the customer repository with crmctl on every merge request and on the default branch;\n"
                  "each problem is shown in the merge request's test report. CRMCTL_SPEC tells pip where to\n"
                  "install crmctl from, pinned to a tag or commit (see crm.yaml).",
                  "每个合并请求及默认分支上用 crmctl 检查客户仓库；每个问题显示在合并请求的测试报告中。\n"
                  "CRMCTL_SPEC 指定 pip 从何处安装 crmctl，并固定到标签或提交（见 crm.yaml）。")),
        Entry("crmctl-check", job),
    ], m)


def pre_commit_file(m: Messages) -> str:
    # the customers the staged change touches (pre-commit sets unstaged changes aside while hooks run)
    hook = {"id": "crmctl-check", "name": "crmctl check", "entry": "crmctl check --staged",
            # always: a commit that only deletes a file (a contact the projects name) is checked too
            "language": "system", "pass_filenames": False, "always_run": True}
    return yaml_text([
        Comment(m.pick("Before every commit, check with crmctl the customers the commit changes (all of them when\n"
                       "crm.yaml or people.yaml changes). Enable it in the git repository:\n"
                       "pip install pre-commit && pre-commit install\n"
                       "The hook runs the `crmctl` on your PATH (activate the environment crmctl is installed in).",
                       "每次提交前用 crmctl 检查本次提交改动的客户（改动 crm.yaml 或 people.yaml 时检查全部）。\n"
                       "在 git 仓库中启用：pip install pre-commit && pre-commit install\n"
                       "该钩子运行 PATH 中的 `crmctl`（请先激活安装了 crmctl 的环境）。")),
        Entry("repos", [{"repo": "local", "hooks": [hook]}]),
    ], m)


def history_file(schema: str, m: Messages) -> str:
    return yaml_text([
        schema_line(schema),
        Comment(m.pick("Stage history, written by crmctl (advance, close, reopen). Do not edit by hand.",
                       "阶段历史，由 crmctl 写入（advance、close、reopen）。请勿手工编辑。")),
        Entry("events", []),
    ], m)



def care_file(plan: Any, customer_name: str, schema: str, m: Messages) -> str:
    """care.yaml for a validated ``CarePlan``: its sections empty, each with the shape of an entry."""
    from crmctl.escaping import visible

    p = m.pick
    customer_name = visible(customer_name)  # in a comment: YAML allows no control character there
    data = plan.model_dump(exclude_none=True)
    parts: list[Comment | Entry] = [
        schema_line(schema),
        Comment(p(f"Care plan: {customer_name}. Kept from the first signed contract (the manual: money is still "
                  "owed and the\ncustomer holds the warranty deposit). Return visits, birthdays and holiday greetings "
                  "are scheduled by\ncrmctl due from the deliveries, contacts.yaml and crm.yaml; what is planned here "
                  "is due on its `planned` day\nuntil it has a `held` day, or an activity of that kind is logged "
                  "(crmctl log --kind training|care|meeting).",
                  f"客户维护计划：{customer_name}。自首份合同签订起维护（货款未清、质保金在客户处，风险仍在我方）。\n"
                  "回访、生日和节日问候由 crmctl due 根据交车记录、contacts.yaml 和 crm.yaml 自动安排；\n"
                  "此处计划的事项在 `planned` 日到期，直到填写 `held` 日期，或记录同类活动"
                  "（crmctl log --kind training|care|meeting）。")),
        Entry("since", data.get("since"), p("care began", "维护开始日期")),
        Entry("service_station", data.get("service_station"), p("the designated service station", "指定服务站")),
        Entry("station_contact", data.get("station_contact"), p("its named person and phone", "服务站对接人及电话")),
        Entry("our_contacts", data.get("our_contacts", []), p("our named contacts", "我方对接人"), flow=True),
        Entry("customer_contacts", data.get("customer_contacts", []), p("contact ids", "客户方对接人（联系人标识）"), flow=True),
        Entry("policy_support", data.get("policy_support", []), p("support by the customer's importance",
                                                                  "按客户重要程度给予的政策支持"), flow=True),
        Comment(),
        Comment(p("The vehicle users' file.", "车辆使用者档案。")),
        Entry("vehicle_users", []),
        Comment(p(" - name:\n   role: driver    # driver / fleet_manager / mechanic / other\n   phone:\n"
                  "   vehicles: [PLATE]\n   trained: false",
                  " - name:\n   role: driver    # driver 驾驶员 / fleet_manager 车辆管理人员 / mechanic 维修人员 / other\n"
                  "   phone:\n   vehicles: [车牌号]\n   trained: false")),
        Comment(p("Trainings of drivers and fleet managers: driving, use and maintenance.",
                  "培训：驾驶员及车辆管理人员的驾驶、使用与保养培训。")),
        Entry("trainings", []),
        Comment(p(" - planned: YYYY-MM-DD\n   topic: driving and daily maintenance\n   audience: [driver, fleet_manager]\n"
                  "   # held: YYYY-MM-DD",
                  " - planned: YYYY-MM-DD\n   topic: 驾驶操作与日常保养\n   audience: [driver, fleet_manager]\n"
                  "   # held: YYYY-MM-DD")),
        Comment(p("Care activities: inspection / free_maintenance / loyalty / other.",
                  "关怀活动：inspection 上门检修 / free_maintenance 免费保养 / loyalty 积分、折扣、会员 / other。")),
        Entry("care_activities", []),
        Comment(" - planned: YYYY-MM-DD\n   kind: inspection\n   # held: YYYY-MM-DD"),
        Comment(p("Meetings: business (regular) / executive_visit (ours to them) / executive_hosted (theirs to us).",
                  "会见：business 定期业务会议 / executive_visit 我方高层拜访 / executive_hosted 客户高层来访。")),
        Entry("meetings", []),
        Comment(" - planned: YYYY-MM-DD\n   kind: business\n   attendees: []\n   # held: YYYY-MM-DD"),
        Comment(p("Satisfaction evaluations (score out of 100), and the feedback acted on.",
                  "满意度评价（百分制），以及反馈的落实。")),
        Entry("evaluations", []),
        Comment(p(" - date: YYYY-MM-DD\n   score: 85\n   contact: CONTACT-ID\n   needs: []\n   feedback:\n"
                  "     - point:\n       action:\n       due: YYYY-MM-DD\n       # done: YYYY-MM-DD",
                  " - date: YYYY-MM-DD\n   score: 85\n   contact: 联系人标识\n   needs: []\n   feedback:\n"
                  "     - point: 客户意见\n       action: 改进措施\n       due: YYYY-MM-DD\n       # done: YYYY-MM-DD")),
    ]
    return yaml_text(parts, m)
