"""Every diagnostic code, its severity, and its message and hint in zh-CN and en.

A code is a stable name: scripts filter on it (``--select/--ignore``) and
``docs/diagnostics.md`` lists each with its fix. Messages are ``str.format``
templates; a test checks both languages use the same arguments.
"""

from __future__ import annotations

import difflib
from typing import Iterable

from crmctl.diagnostics import PER_FILE_LIMIT, Diagnostic, Severity

LANGUAGES = ("zh-CN", "en")

E = Severity.ERROR
W = Severity.WARNING

# code: (severity, {lang: (message, hint)})
CATALOG: dict[str, tuple[Severity, dict[str, tuple[str, str]]]] = {
    "file-encoding": (E, {
        "en": ("file is not UTF-8 text{guess}: the first undecodable byte is at offset {offset}",
               "save it as UTF-8 (in most editors: Save with Encoding > UTF-8), "
               "or convert it: iconv -f {source} -t UTF-8 FILE > FILE.new"),
        "zh-CN": ("文件不是 UTF-8 文本{guess}：第一个无法解码的字节在偏移 {offset}",
                  "请另存为 UTF-8 编码（多数编辑器：另存为 > 编码 > UTF-8），"
                  "或转换：iconv -f {source} -t UTF-8 文件 > 文件.new"),
    }),
    "file-binary": (E, {
        "en": ("file holds binary data (a NUL byte at offset {offset}), not YAML text",
               "replace it with the YAML text it should hold, or remove it"),
        "zh-CN": ("文件包含二进制数据（偏移 {offset} 处有 NUL 字节），不是 YAML 文本",
                  "请换成应有的 YAML 文本，或删除该文件"),
    }),
    "file-empty": (E, {
        "en": ("file is empty", "fill in the required fields; `crmctl new` writes a valid starting point"),
        "zh-CN": ("文件为空", "请填写必填字段；`crmctl new` 可生成有效的初始文件"),
    }),
    "file-missing": (E, {
        "en": ("{what} is missing: expected {expected}", "{fix}"),
        "zh-CN": ("缺少{what}：应有 {expected}", "{fix}"),
    }),
    "file-unknown": (W, {
        "en": ("crmctl does not know this file{suggestion}", "rename it, or move it out of the customers/ tree"),
        "zh-CN": ("crmctl 不认识此文件{suggestion}", "请改名，或移出 customers/ 目录"),
    }),
    "file-too-large": (E, {
        "en": ("file is larger than {limit}; crmctl does not read it", "{fix}"),
        "zh-CN": ("文件大于 {limit}；crmctl 不读取它", "{fix}"),
    }),
    "file-unreadable": (E, {
        "en": ("cannot read file: {error}", "check the file's permissions"),
        "zh-CN": ("无法读取文件：{error}", "请检查文件权限"),
    }),
    "file-outside": (E, {
        "en": ("this path is a link that leads outside the repository; crmctl does not follow it",
               "replace the link with the file itself"),
        "zh-CN": ("此路径是指向仓库之外的链接，crmctl 不会跟随", "请用文件本身替换该链接"),
    }),
    "file-name-control": (E, {
        "en": ("this name holds control characters ({chars}), which could forge or hide lines of output; "
               "crmctl does not read it",
               "rename it without them (git mv); a customer or project folder is named by its id: "
               "lowercase letters, digits and hyphens"),
        "zh-CN": ("此名称包含控制字符（{chars}），可能伪造或隐藏输出内容；crmctl 不读取它",
                  "请重命名（git mv）去掉这些字符；客户或项目文件夹以其标识命名：小写字母、数字和连字符"),
    }),
    "file-link-loop": (E, {
        "en": ("this path is a symbolic link loop (it leads back to itself); crmctl does not follow it",
               "replace the link with the file or folder it should be, or remove it"),
        "zh-CN": ("此路径是循环的符号链接（指回自身），crmctl 不会跟随", "请用应有的文件或文件夹替换该链接，或删除它"),
    }),
    "file-link-ignored": (W, {
        "en": ("this folder is a symbolic link; crmctl uses only a real folder here and ignores the link",
               "make it a real folder (a link could let a template reach any file of the repository, .git too)"),
        "zh-CN": ("此文件夹是符号链接；crmctl 在此只使用真实的文件夹，忽略该链接",
                  "请改为真实的文件夹（链接可能让模板读取仓库中的任意文件，包括 .git）"),
    }),
    "file-leftover": (W, {
        "en": ("a temporary file left by a crmctl run that was interrupted",
               "delete it (the next crmctl command that writes here removes it too); the record itself is whole"),
        "zh-CN": ("被中断的 crmctl 运行留下的临时文件", "请删除它（下一次在此写入的 crmctl 命令也会清除）；记录本身完好"),
    }),
    "yaml-syntax": (E, {
        "en": ("YAML syntax error: {problem}", "{fix}"),
        "zh-CN": ("YAML 语法错误：{problem}", "{fix}"),
    }),
    "yaml-duplicate-key": (E, {
        "en": ("key `{key}` appears twice in this mapping (first on line {first_line})",
               "keep one of them; YAML would silently use only the last"),
        "zh-CN": ("键 `{key}` 在同一映射中出现两次（首次在第 {first_line} 行）",
                  "只保留一个；YAML 会悄悄只用最后一个"),
    }),
    "yaml-dash-in-text": (W, {
        "en": ("this text runs over several lines and one starts with `- `: it reads as the one text `{text}`, "
               "not as a list item", "indent the `- ` line as the other items of its list, or quote the text"),
        "zh-CN": ("此文本跨多行且有一行以 `- ` 开头：它被读作一整段文本 `{text}`，而不是列表项",
                  "请把该 `- ` 行与同一列表的其他项对齐缩进，或给文本加引号"),
    }),
    "yaml-ambiguous-scalar": (E, {
        "en": ("`{text}` is ambiguous: YAML 1.1 tools read it as {yaml11}", "{fix}"),
        "zh-CN": ("`{text}` 有歧义：YAML 1.1 工具会把它读作{yaml11}", "{fix}"),
    }),
    "yaml-alias": (E, {
        "en": ("anchors and aliases (&name / *name) are not supported: {what}", "{fix}"),
        "zh-CN": ("不支持锚点和别名（&名称 / *名称）：{what}", "{fix}"),
    }),
    "yaml-too-deep": (E, {
        "en": ("nesting is deeper than {limit} levels", "flatten the data; no crmctl file needs this depth"),
        "zh-CN": ("嵌套超过 {limit} 层", "请减少嵌套；crmctl 的文件不需要这么深"),
    }),
    "yaml-multiple-documents": (E, {
        "en": ("file holds more than one YAML document: a second one starts here",
               "keep one document per file: remove the `---` or `...` line that starts it, or move it to a file "
               "of its own"),
        "zh-CN": ("文件包含多个 YAML 文档：第二个文档从这里开始",
                  "每个文件只保留一个文档：删除开始它的 `---` 或 `...` 行，或把它移到单独的文件中"),
    }),
    "yaml-directive": (E, {
        "en": ("YAML directive `{directive}` is not supported", "{fix}"),
        "zh-CN": ("不支持 YAML 指令 `{directive}`", "{fix}"),
    }),
    "yaml-long-number": (E, {
        "en": ("`{start}…` is a number {length} characters long; crmctl reads numbers of at most {limit}",
               "quote it if it is text (a code, an account number); no count or amount has this many digits"),
        "zh-CN": ("`{start}…` 是长达 {length} 个字符的数字；crmctl 只读取不超过 {limit} 个字符的数字",
                  "如果是文本（编码、账号），请加引号；任何数量或金额都不会有这么多位"),
    }),
    "yaml-tab": (E, {
        "en": ("tab character in the indentation: YAML indents with spaces only",
               "replace the tab with spaces (most editors can be set to insert spaces for Tab)"),
        "zh-CN": ("缩进中有制表符（Tab）：YAML 只能用空格缩进",
                  "请把制表符换成空格（多数编辑器可设置按 Tab 键插入空格）"),
    }),
    "yaml-key-control": (E, {
        "en": ("key `{key}` holds the control character(s) {chars}, which can hide or forge text on a screen; "
               "the entry is not read",
               "write the key as plain text, without escapes such as \\n or \\u202e"),
        "zh-CN": ("键 `{key}` 含有控制字符 {chars}，可能在屏幕上隐藏或伪造文字；该条目未被读取",
                  "请把键写成普通文本，不要使用 \\n、\\u202e 之类的转义"),
    }),
    "yaml-too-many-values": (E, {
        "en": ("file holds more than {limit} values; crmctl stops reading it here",
               "no crmctl file needs this many: remove what does not belong here, or split the data"),
        "zh-CN": ("文件包含超过 {limit} 个值；crmctl 在此处停止读取",
                  "crmctl 的文件不需要这么多值：请删除不属于这里的内容，或拆分数据"),
    }),
    "yaml-tag": (E, {
        "en": ("explicit tag `{tag}` is not supported", "remove the tag; write plain values"),
        "zh-CN": ("不支持显式标签 `{tag}`", "请删除标签，直接写值"),
    }),
    "schema-unknown-key": (E, {
        "en": ("{where}: unknown key `{key}`{suggestion}", "allowed keys here: {allowed}"),
        "zh-CN": ("{where}：未知的键 `{key}`{suggestion}", "此处允许的键：{allowed}"),
    }),
    "schema-missing-key": (E, {
        "en": ("{where}: required key `{key}` is missing", "add `{key}:` here"),
        "zh-CN": ("{where}：缺少必填键 `{key}`", "请在此处添加 `{key}:`"),
    }),
    "schema-type": (E, {
        "en": ("{where}: expected {expected}, found {found}", "{fix}"),
        "zh-CN": ("{where}：应为{expected}，实际为{found}", "{fix}"),
    }),
    "schema-value": (E, {
        "en": ("{where}: {problem}", "{fix}"),
        "zh-CN": ("{where}：{problem}", "{fix}"),
    }),
    "id-invalid": (E, {
        "en": ("{what} id `{id}` is not a valid id", "ids are lowercase letters, digits and single hyphens, "
               "starting with a letter or digit, at most 64 characters (e.g. `bj-huanwei`); "
               "Chinese belongs in `name`"),
        "zh-CN": ("{what}标识 `{id}` 无效", "标识只能由小写字母、数字和单个连字符组成，以字母或数字开头，"
                  "最长 64 个字符（例如 `bj-huanwei`）；中文请写在 `name` 中"),
    }),
    "id-duplicate": (E, {
        "en": ("{what} id `{id}` is used twice (first on line {first_line})", "give each {what} its own id"),
        "zh-CN": ("{what}标识 `{id}` 重复（首次在第 {first_line} 行）", "每个{what}需要唯一标识"),
    }),
    "our-person-unknown": (W, {
        "en": ("{where}: `{who}` is none of our people in people.yaml{suggestion}",
               "correct it, or add the person: crmctl new person NAME --role ROLE"),
        "zh-CN": ("{where}：`{who}` 不在 people.yaml 的我方人员中{suggestion}",
                  "请更正，或添加此人：crmctl new person 姓名 --role 角色"),
    }),
    "contract-sum": (W, {
        "en": ("the payment schedule ({payments}) and the warranty deposit ({deposit}) add up to {total}, not the "
               "contract value {value}", "correct the amounts under `payments:` and `deposit:`, or `value:`"),
        "zh-CN": ("付款计划（{payments}）与质保金（{deposit}）合计 {total}，与合同金额 {value} 不符",
                  "请更正 `payments:`、`deposit:` 下的金额，或合同金额 `value:`"),
    }),
    "our-person-ambiguous": (W, {
        "en": ("{where}: `{who}` is the name of {count} of our people ({ids})",
               "name the one meant by id"),
        "zh-CN": ("{where}：我方有 {count} 人名为 `{who}`（{ids}）",
                  "请用标识指明是哪一位"),
    }),
    "ref-unknown": (E, {
        "en": ("{where}: {what} `{id}` does not exist{suggestion}", "{fix}"),
        "zh-CN": ("{where}：{what} `{id}` 不存在{suggestion}", "{fix}"),
    }),
    "date-impossible": (E, {
        "en": ("{where}: {problem}", "{fix}"),
        "zh-CN": ("{where}：{problem}", "{fix}"),
    }),
    "ref-cycle": (E, {
        "en": ("reports_to forms a cycle: {cycle}", "someone in this chain must report to a person outside it, "
               "or to nobody (remove `reports_to`)"),
        "zh-CN": ("reports_to 形成循环：{cycle}", "链中必须有人汇报给链外的人，或不汇报（删除 `reports_to`）"),
    }),
    "doc-front-matter": (E, {
        "en": ("the {kind} has no front matter: it must start with a `---` line, its fields, and another `---` line",
               "start again from the template: crmctl doc new PROJECT KIND (move this file aside first)"),
        "zh-CN": ("{kind}缺少文件头：文件必须以 `---` 行开始，接着是字段，再以 `---` 行结束",
                  "可用模板重新生成：crmctl doc new 项目 类型（请先把此文件移开）"),
    }),
    "doc-draft": (W, {
        "en": ("draft: {count} placeholder(s) left to fill in, first `{placeholder}`",
               "replace every «…» with the real content; until then the document does not count"),
        "zh-CN": ("草稿：还有 {count} 处占位符待填写，第一处为 `{placeholder}`",
                  "请把所有 «…» 替换为实际内容；在此之前该文件不计为已完成"),
    }),
    "gate-missing-output": (E, {
        "en": ("{stage}: no {document} yet (this stage requires it)", "create it: {command}"),
        "zh-CN": ("{stage}：缺少必需的{document}", "生成：{command}"),
    }),
    "gate-draft-output": (E, {
        "en": ("{stage}: the {document} is still a draft ({count} placeholder(s) left)",
               "replace every «…» placeholder with the real content"),
        "zh-CN": ("{stage}：{document}仍是草稿（还有 {count} 处占位符）", "请把所有 «…» 占位符替换为实际内容"),
    }),
    "gate-invalid-output": (E, {
        "en": ("{stage}: the {document} has {count} problem(s), the first: {first}", "see them all with: crmctl check"),
        "zh-CN": ("{stage}：{document}有 {count} 处问题，第一处：{first}", "查看全部：crmctl check"),
    }),
    "gate-requirement": (E, {
        "en": ("{stage}: {problem}", "{fix}"),
        "zh-CN": ("{stage}：{problem}", "{fix}"),
    }),
    "gate-broken": (E, {
        "en": ("“{from_stage}” → “{to}” was passed on {date}, but no longer holds: {problem}", "{fix}"),
        "zh-CN": ("{date} 已通过「{from_stage}」→「{to}」，但现在不再满足：{problem}", "{fix}"),
    }),
    "history-invalid": (E, {
        "en": ("stage history: {problem}", "this file is written by crmctl; undo the hand edit (git checkout -- FILE)"),
        "zh-CN": ("阶段历史：{problem}", "此文件由 crmctl 写入；请撤销手工修改（git checkout -- 文件）"),
    }),
    "quote-total": (W, {
        "en": ("{where}: the total {total} is not the unit price times the vehicles ({expected})",
               "correct the total, the unit price or the number of vehicles"),
        "zh-CN": ("{where}：总价 {total} 不等于单价乘以台数（{expected}）", "请更正总价、单价或台数"),
    }),
    "due-next-step": (W, {
        "en": ("{customer}: the next step “{step}” was due on {date}, {days} days ago",
               "do it and log it: crmctl log {customer} TEXT --kind KIND (or log it again with a new --next-date)"),
        "zh-CN": ("{customer}：下一步「{step}」应于 {date} 完成，已逾期 {days} 天",
                  "完成后请记录：crmctl log {customer} 内容 --kind 类型（或以新的 --next-date 重新记录）"),
    }),
    "due-payment": (W, {
        "en": ("{ref}: {what} was due on {date}, {days} days ago, and is not (all) received",
               "follow the money up with the customer; record what comes in under `received:`"),
        "zh-CN": ("{ref}：{what} 应于 {date} 到款，已逾期 {days} 天，尚未（全部）收到",
                  "请跟进回款；到款后记入 `received:`"),
    }),
    "due-deposit": (W, {
        "en": ("{ref}: the warranty deposit of {what} was to be paid back on {date}, {days} days ago",
               "ask for it; once it is back, set `received:` under `deposit:` to the date"),
        "zh-CN": ("{ref}：质保金 {what} 应于 {date} 退还，已逾期 {days} 天",
                  "请催收；收回后在 `deposit:` 下填写 `received:` 日期"),
    }),
    "due-return-visit": (W, {
        "en": ("{ref}: a return visit was due on {date}, {days} days ago (last visit or handover {last})",
               "visit or call the customer, then log it: crmctl log {customer} TEXT --kind return_visit"),
        "zh-CN": ("{ref}：回访应于 {date} 进行，已逾期 {days} 天（上次回访或交车 {last}）",
                  "请回访客户后记录：crmctl log {customer} 内容 --kind return_visit"),
    }),
    "due-care": (W, {
        "en": ("{customer}: {what} was due on {date}, {days} days ago",
               "{fix}"),
        "zh-CN": ("{customer}：{what}应于 {date} 进行，已逾期 {days} 天",
                  "{fix}"),
    }),
    "care-plan-missing": (W, {
        "en": ("{customer} has a signed contract ({ref}, {date}) but no care plan",
               "start one: crmctl new care {customer} --station STATION -c CONTACT (the manual: keep the customer "
               "from the contract on, money is still owed and the deposit held)"),
        "zh-CN": ("{customer} 已签订合同（{ref}，{date}），但没有客户维护计划",
                  "请建立：crmctl new care {customer} --station 服务站 -c 联系人（手册：合同签订后货款未清、"
                  "质保金在客户处，须做好维护）"),
    }),
    "care-plan-incomplete": (W, {
        "en": ("the care plan lacks {missing}", "{fix}"),
        "zh-CN": ("维护计划缺少{missing}", "{fix}"),
    }),
    "stage-stalled": (W, {
        "en": ("project has been in stage “{stage}” for {days} days (limit {limit})",
               "move it on (crmctl status {ref} shows what the next step needs), or close it"),
        "zh-CN": ("项目已在「{stage}」阶段停留 {days} 天（上限 {limit} 天）",
                  "请推进（crmctl status {ref} 查看下一步所需），或关闭项目"),
    }),
    "pipeline-invalid": (E, {
        "en": ("pipeline: {problem}", "{fix}"),
        "zh-CN": ("流程配置：{problem}", "{fix}"),
    }),
    "setting-invalid": (E, {
        "en": ("check settings: {problem}", "{fix}"),
        "zh-CN": ("检查设置：{problem}", "{fix}"),
    }),
    "merge-conflict": (E, {
        "en": ("an unresolved git merge conflict: the file still holds the marker `{marker}`",
               "keep the lines you want between <<<<<<< and >>>>>>>, delete the marker lines (<<<<<<<, =======, "
               ">>>>>>> and any |||||||), then `git add` the file (or take one side whole: git checkout --ours/--theirs FILE)"),
        "zh-CN": ("未解决的 git 合并冲突：文件中仍有标记 `{marker}`",
                  "在 <<<<<<< 与 >>>>>>> 之间保留需要的行，删除标记行（<<<<<<<、=======、>>>>>>> 及 |||||||），再 `git add` 该文件"
                  "（或整份取一方：git checkout --ours/--theirs 文件）"),
    }),
    "import-rejected": (E, {
        "en": ("{cell}: {problem}", "{fix}"),
        "zh-CN": ("{cell}：{problem}", "{fix}"),
    }),
    "flag-approver": (W, {
        "en": ("red flag, {project}: {problem}", "{fix}"),
        "zh-CN": ("风险提示，{project}：{problem}", "{fix}"),
    }),
    "flag-no-supporter": (W, {
        "en": ("red flag, {project}: {problem}", "{fix}"),
        "zh-CN": ("风险提示，{project}：{problem}", "{fix}"),
    }),
    "flag-opponent": (W, {
        "en": ("red flag, {project}: {problem}", "{fix}"),
        "zh-CN": ("风险提示，{project}：{problem}", "{fix}"),
    }),
    "flag-no-handler": (W, {
        "en": ("red flag, {project}: {problem}", "{fix}"),
        "zh-CN": ("风险提示，{project}：{problem}", "{fix}"),
    }),
    "flag-single-threaded": (W, {
        "en": ("red flag, {project}: {problem}", "{fix}"),
        "zh-CN": ("风险提示，{project}：{problem}", "{fix}"),
    }),
    "flag-weights": (W, {
        "en": ("red flag, {project}: {problem}", "{fix}"),
        "zh-CN": ("风险提示，{project}：{problem}", "{fix}"),
    }),
    "flag-cold-contact": (W, {
        "en": ("red flag, {project}: {problem}", "{fix}"),
        "zh-CN": ("风险提示，{project}：{problem}", "{fix}"),
    }),
    "class-size": (W, {
        "en": ("size: {problem}", "{fix}"),
        "zh-CN": ("规模：{problem}", "{fix}"),
    }),
    "class-tier": (W, {
        "en": ("tier: {problem}", "{fix}"),
        "zh-CN": ("级别：{problem}", "{fix}"),
    }),
    "class-channel": (W, {
        "en": ("channel: {problem}", "{fix}"),
        "zh-CN": ("渠道：{problem}", "{fix}"),
    }),
    "eval-weights": (E, {
        "en": ("the project's criteria weights sum to {total}, not 100", "adjust them, or remove `weights:` to use crm.yaml's"),
        "zh-CN": ("项目的指标权重合计 {total}，不是 100", "请调整，或删除 `weights:` 以使用 crm.yaml 的权重"),
    }),
    "eval-vendor": (E, {
        "en": ("evaluation: {problem}", "{fix}"),
        "zh-CN": ("项目评估：{problem}", "{fix}"),
    }),
    "eval-criterion": (E, {
        "en": ("evaluation: {problem}", "{fix}"),
        "zh-CN": ("项目评估：{problem}", "{fix}"),
    }),
    "eval-score": (E, {
        "en": ("evaluation: score {value} is outside 0 to {max}", "score on the scale 0 to {max}"),
        "zh-CN": ("项目评估：分数 {value} 超出 0 到 {max}", "请按 0 到 {max} 评分"),
    }),
    "config-version": (E, {
        "en": ("format version {found} is not supported by crmctl {version} (it reads version {supported})",
               "upgrade crmctl, or check the `format:` line in crm.yaml"),
        "zh-CN": ("crmctl {version} 不支持格式版本 {found}（支持版本 {supported}）",
                  "请升级 crmctl，或检查 crm.yaml 中的 `format:` 行"),
    }),
}

# Reminders of the calendar, not faults of the data: they appear on a day nobody committed
# anything, so `check --strict` does not fail on them unless asked (--fail-on-reminders).
REMINDERS = frozenset({"due-next-step", "due-payment", "due-deposit", "due-return-visit", "due-care",
                       "stage-stalled", "flag-cold-contact"})


# the last line of a code's problems in one file when there are more than PER_FILE_LIMIT
_MORE = {
    "en": ("and {count} more like this in this file (the first {limit} are listed)",
           "fix the ones listed, then check again: problems of one kind often share one cause"),
    "zh-CN": ("本文件中还有 {count} 处同类问题（仅列出前 {limit} 处）",
              "请先修正已列出的问题再检查：同类问题往往出自同一原因"),
}


def normalise_language(value: str | None) -> str | None:
    """Map ``zh``, ``zh_CN.UTF-8``, ``en_US`` and the like to a supported language."""
    if not value:
        return None
    v = value.split(".")[0].replace("_", "-").lower()
    if v.startswith("zh"):
        return "zh-CN"
    if v.startswith("en") or v in ("c", "posix"):
        return "en"
    return None


class Messages:
    """Builds diagnostics in one language."""

    def __init__(self, lang: str = "zh-CN") -> None:
        self.lang = normalise_language(lang) or "zh-CN"

    def diagnostic(self, code: str, path: str, line: int = 0, col: int = 0, **args: object) -> Diagnostic:
        severity, texts = CATALOG[code]
        message, hint = texts[self.lang]
        return Diagnostic(
            path=path,
            line=line,
            col=col,
            severity=severity,
            code=code,
            message=message.format(**args),
            hint=hint.format(**args),
        )

    def more(self, code: str, path: str, line: int, col: int, count: int) -> Diagnostic:
        """The line that ends a file's list of ``code`` problems cut at the limit: how many more there are.
        It keeps the code (and its severity), so ``--select``/``--ignore`` treat it like the ones it counts."""
        severity, _ = CATALOG[code]
        message, hint = _MORE[self.lang]
        return Diagnostic(path=path, line=line, col=col, severity=severity, code=code,
                          message=message.format(count=f"{count:,}", limit=PER_FILE_LIMIT), hint=hint)

    def did_you_mean(self, word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
        """`` (did you mean `x`?)`` for the closest choice, or '' when none is close. A Chinese name of
        two characters with one wrong (王雷 for 王磊) is half alike: pass 0.5 for names of people."""
        close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=cutoff)
        return self.pick(f" (did you mean `{close[0]}`?)", f"（是否应为 `{close[0]}`？）") if close else ""

    def pick(self, en: str, zh: str) -> str:
        """For the few short phrases built inline (type names, fixes)."""
        return zh if self.lang == "zh-CN" else en
