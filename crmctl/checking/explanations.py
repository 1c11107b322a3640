"""What each diagnostic code means and how to fix it, in both languages, for `crmctl explain`.

The English text is docs/diagnostics.md's table row for the code (a test keeps them equal)."""

EXPLANATIONS: dict[str, dict[str, tuple[str, str]]] = {
    "file-encoding": {
        "en": ("the file is not UTF-8 (GBK/GB18030 and UTF-16 are recognised and named)",
               "save as UTF-8, or `iconv -f GB18030 -t UTF-8 FILE > FILE.new`"),
        "zh-CN": ("文件不是 UTF-8 编码（能识别并指出 GBK/GB18030 和 UTF-16）",
                  "另存为 UTF-8，或执行 `iconv -f GB18030 -t UTF-8 FILE > FILE.new`"),
    },
    "file-binary": {
        "en": ("the file holds binary data (a NUL byte)",
               "replace it with YAML text, or remove it"),
        "zh-CN": ("文件包含二进制数据（NUL 字节）",
                  "换成 YAML 文本，或删除该文件"),
    },
    "file-empty": {
        "en": ("the file is empty or only comments",
               "fill in the required keys (`crmctl new` writes a valid start)"),
        "zh-CN": ("文件为空，或只有注释",
                  "填写必填的键（`crmctl new` 可生成有效的初始文件）"),
    },
    "file-missing": {
        "en": ("a customer folder without `customer.yaml`, or a project folder without `project.yaml`",
               "create the file, or remove the folder"),
        "zh-CN": ("客户文件夹中没有 `customer.yaml`，或项目文件夹中没有 `project.yaml`",
                  "创建该文件，或删除该文件夹"),
    },
    "file-unknown": {
        "en": ("a file crmctl does not know inside `customers/` (with a \"did you mean\" for near misses)",
               "rename it, or move it out of `customers/`"),
        "zh-CN": ("`customers/` 中有 crmctl 不认识的文件（名称相近时会提示“是否应为”）",
                  "改名，或将其移出 `customers/`"),
    },
    "file-too-large": {
        "en": ("the file is larger than 8 MiB (every YAML and Markdown file crmctl reads); it is not read",
               "remove what does not belong there, or split the data"),
        "zh-CN": ("文件大于 8 MiB（适用于 crmctl 读取的所有 YAML 和 Markdown 文件），不会被读取",
                  "删除不属于这里的内容，或拆分数据"),
    },
    "file-unreadable": {
        "en": ("a file or folder cannot be read (permissions), or a file stands where a folder belongs (`customers`, "
               "a customer's `projects`)",
               "fix permissions, or make it a folder"),
        "zh-CN": ("无法读取文件或文件夹（权限问题），或应为文件夹的位置是一个文件（`customers`、客户的 `projects`）",
                  "修正权限，或将其改为文件夹"),
    },
    "file-outside": {
        "en": ("a symbolic link leading outside the repository; crmctl neither reads nor writes through it",
               "replace the link with the file"),
        "zh-CN": ("指向仓库之外的符号链接；crmctl 既不通过它读取，也不通过它写入",
                  "用文件本身替换该链接"),
    },
    "file-name-control": {
        "en": ("a file or folder name under `customers/` holding a control character (a newline, an escape, U+2028, a "
               "bidi override); it is not read, and the path is printed with the characters escaped (`\\n`, `\\x1b`)",
               "rename it (`git mv`) without them"),
        "zh-CN": ("`customers/` 下的文件或文件夹名称含有控制字符（换行符、转义符、U+2028、双向文本覆盖符）；"
                  "该文件不会被读取，输出的路径中这些字符会以转义形式显示（`\\n`、`\\x1b`）",
                  "重命名（`git mv`），去掉这些字符"),
    },
    "file-link-loop": {
        "en": ("a symbolic link that leads back to itself",
               "replace the link with the file or folder it should be, or remove it"),
        "zh-CN": ("指回自身的符号链接",
                  "用应有的文件或文件夹替换该链接，或删除它"),
    },
    "file-link-ignored": {
        "en": ("`templates/` is a symbolic link (even one inside the repository): crmctl ignores it and uses its own "
               "templates, since such a link could make the repository's root or `.git` a templates folder",
               "make it a real folder"),
        "zh-CN": ("`templates/` 是符号链接（即使指向仓库内部）：crmctl 会忽略它并使用自带的模板，"
                  "因为这样的链接可能让仓库根目录或 `.git` 成为模板文件夹",
                  "改为真实的文件夹"),
    },
    "file-leftover": {
        "en": ("a temporary file or folder (`.crmctl-…`) left by a crmctl run that was killed; the record it was "
               "writing is either whole or absent",
               "delete it; the next crmctl command that writes in that folder removes it"),
        "zh-CN": ("被强行终止的 crmctl 运行留下的临时文件或文件夹（`.crmctl-…`）；它当时正在写入的记录要么完整，"
                  "要么不存在",
                  "删除即可；下一次在该文件夹中写入的 crmctl 命令也会将其清除"),
    },
    "yaml-syntax": {
        "en": ("the YAML cannot be parsed (unclosed brackets, bad indentation, a `: ` inside an unquoted value, a "
               "value starting with `@` or `` ` ``), a key written with a full-width colon `：` or no space after its "
               "`:` (the line is named, wherever the parser gave up), a character YAML does not allow, a key that is "
               "a list, a mapping or missing, `?x` inside brackets (read as a key), or a comment glued to a value "
               "(`\"123\"#mobile`, dropped); [yaml.md](yaml.md) lists the valid forms libyaml cannot parse",
               "as the hint says: `key: value` with a half-width colon and a space, quote values with `: `, put a "
               "space before `#`"),
        "zh-CN": ("YAML 无法解析（括号未闭合、缩进错误、未加引号的值中含有 `: `、值以 `@` 或 `` ` `` 开头）；"
                  "键后用了全角冒号 `：` 或 `:` 后没有空格（无论解析器在何处报错，都会指出该行）；含有 YAML "
                  "不允许的字符；键是列表、映射或缺失；括号内的 `?x`（会被读作键）；"
                  "或注释紧贴在值后面（`\"123\"#mobile`，该注释会被丢弃）。[yaml.md](yaml.md) 列出了 libyaml "
                  "无法解析的合法写法",
                  "按提示修改：写成 `key: value`（半角冒号加空格），含有 `: ` 的值要加引号，`#` 前要加空格"),
    },
    "yaml-duplicate-key": {
        "en": ("the same key twice in one mapping (YAML would silently keep the last)",
               "keep one"),
        "zh-CN": ("同一映射中同一个键出现两次（YAML 会悄悄只保留最后一个）",
                  "只保留一个"),
    },
    "yaml-dash-in-text": {
        "en": ("a plain text runs over several lines and one of them starts with `- `: a list item indented a space "
               "too deep, which YAML folds into the text above it (`next_steps: [安排看车 - 提交方案]` instead of two "
               "steps)",
               "indent the `- ` line as the other items of its list, or quote the text if the dash is meant"),
        "zh-CN": ("一段未加引号的文本跨多行，其中一行以 `- ` 开头：这是缩进多了一格的列表项，YAML "
                  "会把它并入上面的文本（`next_steps: [安排看车 - 提交方案]`，而不是两个步骤）",
                  "把该 `- ` 行与同一列表的其他项对齐缩进；如果短横线是有意写的，就给文本加引号"),
    },
    "yaml-ambiguous-scalar": {
        "en": ("an unquoted value YAML 1.1 and YAML 1.2 tools read differently: `NO`/`yes`/`on`/`off`, `0755` (a "
               "leading zero), `12:30`, `1_000`, `-0x1A`, `0b101`, `1e3`, `0o14` ([yaml.md](yaml.md)); reported once, "
               "not as a type error as well",
               "quote it if it is text; write `true`/`false` or plain decimal digits otherwise"),
        "zh-CN": ("未加引号、YAML 1.1 和 YAML 1.2 工具读法不同的值：`NO`/`yes`/`on`/`off`、`0755`（前导零）、`12:30`、"
                  "`1_000`、`-0x1A`、`0b101`、`1e3`、`0o14`（见 [yaml.md](yaml.md)）；只报告一次，不会同时报类型错误",
                  "如果是文本就加引号；否则写 `true`/`false` 或纯十进制数字"),
    },
    "yaml-alias": {
        "en": ("an anchor or alias (`&x` / `*x`), used or not; refused, which also defuses \"billion laughs\" files",
               "remove the anchor; write the value out in full"),
        "zh-CN": ("锚点或别名（`&x` / `*x`），无论是否被引用；一律拒绝，这也能化解“十亿笑声”（billion laughs）攻击文件",
                  "删除锚点，完整写出该值"),
    },
    "yaml-too-deep": {
        "en": ("nesting deeper than 64 levels",
               "flatten the data"),
        "zh-CN": ("嵌套超过 64 层",
                  "减少嵌套层级"),
    },
    "yaml-multiple-documents": {
        "en": ("a second document (after `---` or `...`) in one file",
               "one document per file"),
        "zh-CN": ("一个文件中有第二个文档（在 `---` 或 `...` 之后）",
                  "每个文件只放一个文档"),
    },
    "yaml-directive": {
        "en": ("a `%YAML` or `%TAG` directive line",
               "remove it; crmctl reads YAML 1.2"),
        "zh-CN": ("`%YAML` 或 `%TAG` 指令行",
                  "删除该行；crmctl 按 YAML 1.2 读取"),
    },
    "yaml-long-number": {
        "en": ("an unquoted number over 100 characters long (the value reads as empty)",
               "quote it if it is text; no count or amount has that many digits"),
        "zh-CN": ("超过 100 个字符的未加引号数字（其值会被读作空）",
                  "如果是文本就加引号；任何数量或金额都不会有这么多位"),
    },
    "yaml-tab": {
        "en": ("a tab in front of a line (outside a block scalar's text), or where libyaml needs a space",
               "indent with spaces"),
        "zh-CN": ("行首（块标量的文本之外）有制表符（Tab），或在 libyaml 要求空格的位置用了制表符",
                  "用空格缩进"),
    },
    "yaml-key-control": {
        "en": ("a key holding a control character (a line break, tab, escape sequence, U+2028, a bidi override); its "
               "entry is not read",
               "write the key as plain text"),
        "zh-CN": ("键中含有控制字符（换行符、制表符、转义序列、U+2028、双向文本覆盖符）；该条目不会被读取",
                  "把键写成普通文本"),
    },
    "yaml-too-many-values": {
        "en": ("the file holds more than 100,000 values; it is not read further",
               "remove what does not belong there, or split the data"),
        "zh-CN": ("文件包含超过 100,000 个值；其余部分不再读取",
                  "删除不属于这里的内容，或拆分数据"),
    },
    "yaml-tag": {
        "en": ("an explicit tag such as `!!python/object` or `!`, on a value or a key (only `!!str` is accepted)",
               "remove the tag"),
        "zh-CN": ("值或键上的显式标签，如 `!!python/object` 或 `!`（只接受 `!!str`）",
                  "删除该标签"),
    },
    "schema-unknown-key": {
        "en": ("a key the file kind does not have (a typo, usually), with \"did you mean\" and the allowed keys",
               "correct or remove the key"),
        "zh-CN": ("该类文件没有的键（通常是拼写错误），会提示“是否应为”及允许的键",
                  "更正或删除该键"),
    },
    "schema-missing-key": {
        "en": ("a required key is missing (including `kind` for government and individual customers, and `format` in "
               "`crm.yaml`)",
               "add it"),
        "zh-CN": ("缺少必填的键（包括政府客户和个人/个体客户的 `kind`，以及 `crm.yaml` 中的 `format`）",
                  "添加该键"),
    },
    "schema-type": {
        "en": ("a value of the wrong type: text where a number belongs, a list where a mapping belongs, a number "
               "where a date belongs",
               "as the hint says (quote numbers meant as text; dates as `YYYY-MM-DD`)"),
        "zh-CN": ("值的类型不对：该写数字处写了文本、该写映射处写了列表、该写日期处写了数字",
                  "按提示修改（作为文本的数字要加引号；日期写作 `YYYY-MM-DD`）"),
    },
    "schema-value": {
        "en": ("a value of the right type but not allowed: not one of the listed choices, out of range (`.nan` where "
               "a bounded number belongs, too), empty, too long, an invalid id, a day not on the calendar "
               "(`2026-02-30`), `crm.yaml`'s evaluation weights not summing to 100, a `kind` that does not fit the "
               "`category`, a `size` for a customer that is not an enterprise, a dealer customer without a dealer, a "
               "relation naming both or neither of `contact` and `our`, a competitor with the id `us`",
               "use one of the values the hint lists"),
        "zh-CN": ("类型正确但值不允许：不在列出的选项中、超出范围（有范围限制的数字写了 `.nan` 也算）、为空、过长、"
                  "标识无效、日历上不存在的日期（`2026-02-30`）、`crm.yaml` 的评估权重合计不是 100、`kind` 与 "
                  "`category` 不符、非企业客户填写了 `size`、分销客户未写明经销商、关系中 `contact` 和 `our` "
                  "同时写了或都没写、竞争对手的标识为 `us`",
                  "使用提示中列出的值"),
    },
    "id-invalid": {
        "en": ("a customer or project folder name that is not a valid id",
               "rename the folder (`git mv`) to lowercase letters, digits and hyphens"),
        "zh-CN": ("客户或项目文件夹的名称不是有效的标识",
                  "用 `git mv` 把文件夹重命名为小写字母、数字和连字符"),
    },
    "id-duplicate": {
        "en": ("a contact id used twice in `contacts.yaml`, a person twice in a decision map, or a competitor id "
               "twice in `competition.yaml`",
               "give each its own id / keep one entry"),
        "zh-CN": ("`contacts.yaml` 中同一联系人标识用了两次、决策图中同一人出现两次，或 `competition.yaml` "
                  "中同一竞争对手标识用了两次",
                  "为每一项设唯一标识 / 只保留一条"),
    },
    "our-person-unknown": {
        "en": ("with a `people.yaml`, an `owner`, an activity's or stage event's `by`, a relation's `our`, a "
               "document's `by` or `checked_by`, or a care plan's `our_contacts` or entry's `by` names none of our "
               "people (by id or name); without one, names are taken as written",
               "correct the name, or add the person: `crmctl new person NAME --role ROLE`"),
        "zh-CN": ("有 `people.yaml` 时，`owner`、活动或阶段事件的 `by`、关系的 `our`、文件的 `by` 或 `checked_by`、"
                  "维护计划的 `our_contacts` 或其条目的 `by` 所写的不是我方任何人员（按标识或姓名）；没有 "
                  "`people.yaml` 时，名字按所写内容采用",
                  "更正名字，或添加此人：`crmctl new person NAME --role ROLE`"),
    },
    "contract-sum": {
        "en": ("a contract's payment schedule (`payments:`) and warranty deposit add up to something other than its "
               "`value` (what is owed is read from the schedule, so the difference would be followed up by nobody)",
               "correct the amounts, or the value"),
        "zh-CN": ("合同的付款计划（`payments:`）与质保金合计不等于合同金额 `value`（应收款按付款计划计算，"
                  "差额将无人跟进）",
                  "更正各项金额，或合同金额"),
    },
    "our-person-ambiguous": {
        "en": ("with a `people.yaml`, a name that two or more of our people share is used where one person is meant "
               "(an owner, a `by`, …)",
               "name the person by id"),
        "zh-CN": ("有 `people.yaml` 时，在应指一个人的地方（负责人、`by` 等）用了我方两人或多人共用的名字",
                  "用标识指明此人"),
    },
    "ref-unknown": {
        "en": ("a contact or project id that does not exist (with \"did you mean\"): in `reports_to`, relations, an "
               "activity's `contacts` or `project`, the decision map, a competitor's `relationships`, or any field of "
               "a stage document that names the customer's people (`contact`, `attendees`, `handler`, "
               "`project_owner`, `submitted_to`, `customer_contact`)",
               "correct the id, or add the person with `crmctl new contact`"),
        "zh-CN": ("联系人或项目标识不存在（会提示“是否应为”）：出现在 `reports_to`、关系、活动的 `contacts` 或 "
                  "`project`、决策图、竞争对手的 `relationships`，或阶段文件中任何指代客户人员的字段（`contact`、"
                  "`attendees`、`handler`、`project_owner`、`submitted_to`、`customer_contact`）",
                  "更正标识，或用 `crmctl new contact` 添加此人"),
    },
    "date-impossible": {
        "en": ("a date that cannot be right: the project `opened` after today, or after the first event of its stage "
               "history, or `expected_close` before it opened; an activity's `next_date` before its own `date`; a day "
               "something was done — passed, delivered, registered, in operation, signed, received, held, evaluated — "
               "after today ([format.md](format.md) lists them; a history event after today is `history-invalid`)",
               "correct the date; for an `opened` after the history's first event, correct `opened` (the history is "
               "crmctl's record of what happened)"),
        "zh-CN": ("不可能正确的日期：项目的 `opened` 晚于今天，或晚于其阶段历史中的第一个事件，或 `expected_close` "
                  "早于立项日期；活动的 `next_date` 早于其自身的 `date`；某件事完成的日期（通过、交车、上牌、"
                  "投入运营、签订、收到、举行、评价）晚于今天（[format.md](format.md) 列出了这些字段；"
                  "阶段历史中晚于今天的事件属于 `history-invalid`）",
                  "更正日期；若 `opened` 晚于阶段历史的第一个事件，应更正 `opened`（阶段历史是 crmctl "
                  "对实际经过的记录）"),
    },
    "ref-cycle": {
        "en": ("`reports_to` goes round in a circle",
               "let one person in the circle report outside it, or to nobody"),
        "zh-CN": ("`reports_to` 形成了循环",
                  "让循环中的一人汇报给循环之外的人，或不汇报给任何人"),
    },
    "doc-front-matter": {
        "en": ("a stage document (`visit_report.md`, …) does not start with `---`, its fields, and `---`",
               "start again from `crmctl doc new`"),
        "zh-CN": ("阶段文件（`visit_report.md` 等）的开头不是 `---`、字段、再一个 `---`",
                  "用 `crmctl doc new` 重新生成"),
    },
    "doc-draft": {
        "en": ("a document still holds `«…»` placeholders; it does not count for any gate until they are filled in",
               "replace every `«…»`"),
        "zh-CN": ("文件中仍有 `«…»` 占位符；填写完之前，它不能用于通过任何关口",
                  "替换所有 `«…»`"),
    },
    "gate-missing-output": {
        "en": ("(advance, status) a document the stage requires is missing",
               "`crmctl doc new PROJECT KIND`, as the hint says"),
        "zh-CN": ("（advance、status 命令）缺少该阶段要求的文件",
                  "按提示执行 `crmctl doc new PROJECT KIND`"),
    },
    "gate-draft-output": {
        "en": ("(advance, status) the required document is still a draft",
               "fill in its placeholders"),
        "zh-CN": ("（advance、status 命令）要求的文件仍是草稿",
                  "填写其中的占位符"),
    },
    "gate-invalid-output": {
        "en": ("(advance, status) the required document has problems; the first is quoted",
               "`crmctl check` lists them all"),
        "zh-CN": ("（advance、status 命令）要求的文件有问题；会引用第一处问题",
                  "`crmctl check` 会列出全部问题"),
    },
    "gate-requirement": {
        "en": ("(advance, status) an entry rule of the next stage does not hold (the handler not identified, the "
               "fleet not recorded in full, the decision map incomplete, …; [pipeline.md](pipeline.md) lists them), "
               "or a required document names someone who is not one of the customer's contacts (one for each such "
               "person)",
               "fill in the field the message points at; correct the id or add the person"),
        "zh-CN": ("（advance、status 命令）下一阶段的某条准入规则不满足（未找到经手人、现有车辆未完整记录、"
                  "决策图不完整等；[pipeline.md](pipeline.md) 列出了全部规则），"
                  "或要求的文件写到的人不是客户的联系人（每人报告一次）",
                  "填写消息所指的字段；更正标识，或添加此人"),
    },
    "gate-broken": {
        "en": ("a gate an unforced advance in the project's history passed no longer holds (a document deleted or "
               "broken later, a field emptied, a person it names no longer a contact)",
               "restore what the gate needed; the message names it"),
        "zh-CN": ("项目阶段历史中一次非强制推进所通过的关口现在不再满足（之后文件被删除或损坏、字段被清空、"
                  "其中写到的人不再是联系人）",
                  "恢复该关口所需的内容；消息中会指出是什么"),
    },
    "history-invalid": {
        "en": ("`history.yaml` does not add up: events out of date order or in the future, `from` not the stage the "
               "project was in, an unknown stage, a skip not marked forced, a close without outcome, …",
               "the file is written by crmctl: undo the hand edit (`git checkout -- FILE`)"),
        "zh-CN": ("`history.yaml` 对不上：事件未按日期排序或日期在未来、`from` 不是项目当时所在的阶段、未知阶段、"
                  "跳过阶段却未标记为强制、关闭时没有结果等",
                  "此文件由 crmctl 写入：撤销手工修改（`git checkout -- FILE`）"),
    },
    "quote-total": {
        "en": ("a quote in the negotiation minutes gives a `total` that is not `unit_price` × `vehicles`",
               "correct one of the three"),
        "zh-CN": ("谈判纪要中某个报价的 `total` 不等于 `unit_price` × `vehicles`",
                  "更正三者之一"),
    },
    "due-next-step": {
        "en": ("the next step of a customer's latest activity (per project, or for none) is past its `next_date`",
               "do it and `crmctl log` it, or log it again with a new `--next-date`; `--strict` does not fail on "
               "these reminders, `--fail-on-reminders` does"),
        "zh-CN": ("客户最近一次活动（按项目，或不属于任何项目）的下一步已过其 `next_date`",
                  "完成后用 `crmctl log` 记录，或以新的 `--next-date` 重新记录；`--strict` "
                  "不因这些提醒而失败，`--fail-on-reminders` 则会"),
    },
    "due-payment": {
        "en": ("an instalment of a signed contract's `payments:` is past its `due` date and the payments `received:` "
               "(which pay the earliest instalments first) do not cover it",
               "follow the money up; record what comes in under `received:`"),
        "zh-CN": ("已签合同 `payments:` 中的某期款项已过 `due` 日期，而已收款项 `received:`（依次冲抵最早的各期）"
                  "不足以覆盖",
                  "跟进回款；到款后记入 `received:`"),
    },
    "due-deposit": {
        "en": ("a signed contract's warranty `deposit:` is past its `release` date and has no `received:` date",
               "ask for it; set `received:` once it is back"),
        "zh-CN": ("已签合同的质保金 `deposit:` 已过 `release` 日期，但没有 `received:` 日期",
                  "催收；收回后填写 `received:`"),
    },
    "due-return-visit": {
        "en": ("a won project in care (`follow_up.return_visits.from_stage`) has had no return visit within the "
               "cadence of `follow_up.return_visits` since the last one or the handover",
               "visit or call, then `crmctl log CUSTOMER TEXT --kind return_visit`"),
        "zh-CN": ("已进入维护阶段（`follow_up.return_visits.from_stage`）的成交项目，自上次回访或交车以来，在 "
                  "`follow_up.return_visits` 规定的频次内没有回访",
                  "上门或电话回访，然后执行 `crmctl log CUSTOMER TEXT --kind return_visit`"),
    },
    "due-care": {
        "en": ("something of the care plan (`care.yaml`) is past its day: a training, care activity or meeting "
               "planned and neither `held` nor logged, the regular business meeting "
               "(`follow_up.business_meeting_interval_days` after the last), the satisfaction evaluation "
               "(`follow_up.evaluation_interval_days` after the last), or the action on a point of feedback not "
               "`done` by its `due` day",
               "do it, then set `held:`/`done:` or log it (`crmctl log CUSTOMER TEXT --kind training|care|meeting`); "
               "add an evaluation under `evaluations:`"),
        "zh-CN": ("维护计划（`care.yaml`）中的某项已过期：计划的培训、关怀活动或会议既未标记 `held` 也未记录；"
                  "定期业务会议（上次之后 `follow_up.business_meeting_interval_days` 天）；满意度评价（上次之后 "
                  "`follow_up.evaluation_interval_days` 天）；或反馈的落实措施到 `due` 日期仍未 `done`",
                  "完成后设置 `held:`/`done:`，或记录下来"
                  "（`crmctl log CUSTOMER TEXT --kind training|care|meeting`）；在 `evaluations:` 下添加评价"),
    },
    "care-plan-missing": {
        "en": ("a customer has a signed contract (`contract.yaml` with `signed`) but no `care.yaml`",
               "`crmctl new care CUSTOMER --station STATION -c CONTACT`"),
        "zh-CN": ("客户有已签合同（`contract.yaml` 中有 `signed`），但没有 `care.yaml`",
                  "`crmctl new care CUSTOMER --station STATION -c CONTACT`"),
    },
    "care-plan-incomplete": {
        "en": ("the care plan names no service station, no contacts on our side or on the customer's, or — once a "
               "project's vehicles are all handed over — no vehicle users or no training",
               "fill in the key the message points at"),
        "zh-CN": ("维护计划没有写服务站、我方或客户方的联系人，或者在项目车辆全部交付后，没有写车辆使用者或培训",
                  "填写消息所指的键"),
    },
    "stage-stalled": {
        "en": ("an open (or won) project has stayed in its stage longer than the stage's `max_days`",
               "move it on, or close it; `--fail-on-reminders` makes this fail"),
        "zh-CN": ("进行中（或已成交）的项目在当前阶段停留的时间超过了该阶段的 `max_days`",
                  "推进或关闭项目；加 `--fail-on-reminders` 时会导致检查失败"),
    },
    "pipeline-invalid": {
        "en": ("`crm.yaml`'s `pipeline:` names a stage, document kind or rule that does not exist, lists a stage id "
               "twice, or has an empty `stages:` list",
               "use the names the hint lists"),
        "zh-CN": ("`crm.yaml` 的 `pipeline:` 写了不存在的阶段、文件类型或规则，某个阶段标识出现两次，或 `stages:` "
                  "列表为空",
                  "使用提示中列出的名称"),
    },
    "setting-invalid": {
        "en": ("`crm.yaml`'s `check:` settings (`ignore`, `severity`, `per_path`) name a code or prefix that starts "
               "no diagnostic code (with \"did you mean\")",
               "name a code as `crmctl check` prints it; `crmctl explain CODE` tells what each means"),
        "zh-CN": ("`crm.yaml` 的 `check:` 设置（`ignore`、`severity`、`per_path`）"
                  "中写了不是任何诊断代码开头的代码或前缀（会提示“是否应为”）",
                  "按 `crmctl check` 输出中的写法填写代码；`crmctl explain CODE` 可查看每个代码的含义"),
    },
    "merge-conflict": {
        "en": ("the file holds an unresolved git merge conflict (a `<<<<<<<`, `=======` or `>>>>>>>` marker line)",
               "keep the lines you want between `<<<<<<<` and `>>>>>>>`, delete the marker lines (and a "
               "`|||||||` one), then `git add` the file (or take one side whole: `git checkout --ours/--theirs FILE`)"),
        "zh-CN": ("文件中有未解决的 git 合并冲突（`<<<<<<<`、`=======` 或 `>>>>>>>` 标记行）",
                  "在 `<<<<<<<` 与 `>>>>>>>` 之间保留需要的行，删除标记行（及 `|||||||` 行），再 `git add` 该文件（或整份取一方："
                  "`git checkout --ours/--theirs FILE`）"),
    },
    "import-rejected": {
        "en": ("`crmctl import`: a row of the sheet is not imported; the message names the sheet, the cell and its "
               "column, and what is wrong with the value",
               "correct the cell (or the rows that disagree) and import again; with `--skip-invalid` the other rows "
               "are imported and the rejected ones written to a CSV to fix and re-import"),
        "zh-CN": ("`crmctl import`：表中某行未导入；消息指出工作表、单元格及其列，以及该值的问题",
                  "更正该单元格（或相互矛盾的行）后重新导入；用 `--skip-invalid` 时其余行照常导入，被拒绝的行写入一个 CSV，"
                  "改正后可再次导入"),
    },
    "flag-approver": {
        "en": ("red flag: no final approver in the decision map, or the final approver opposes us, or their attitude "
               "is not known",
               "find out who signs off and add them to the decision map with `role: final_approver`; see them next and record their `attitude`"),
        "zh-CN": ("风险提示：决策图中没有最终拍板人，或最终拍板人反对我方，或其态度不清楚",
                  "查明最终拍板人，以 `role: final_approver` 加入决策图；尽快拜访并记录其 `attitude`"),
    },
    "flag-no-supporter": {
        "en": ("red flag: no supporter among the decision-level people of the decision map",
               "build a relationship with a decision maker until they support us; record it as their `attitude: supporter`"),
        "zh-CN": ("风险提示：决策图的决策层人员中没有支持者",
                  "与一位决策层人员建立关系，直至其支持我方；记为其 `attitude: supporter`"),
    },
    "flag-opponent": {
        "en": ("red flag: an opponent in the decision map with no planned `action`, whatever their influence (high, "
               "lower, or not recorded)",
               "write what we will do about the opponent under their decision-map entry's `action:`"),
        "zh-CN": ("风险提示：决策图中有反对者却没有计划的应对措施（`action`），无论其影响力高、低或未记录",
                  "在该反对者的决策图条目下的 `action:` 中写明我方的应对措施"),
    },
    "flag-no-handler": {
        "en": ("red flag: past the visit, the handler (经手人) still not identified",
               "name the person handling the project as `handler:` in the visit report"),
        "zh-CN": ("风险提示：已过拜访阶段，仍未找到经手人",
                  "在拜访反馈报告的 `handler:` 中写明经手人"),
    },
    "flag-single-threaded": {
        "en": ("red flag: the project rests on one contact, or none",
               "add more of the customer's people to the decision map and get to know them"),
        "zh-CN": ("风险提示：项目只依靠一个联系人，或一个也没有",
                  "在决策图中加入客户的更多人员，并与之建立联系"),
    },
    "flag-weights": {
        "en": ("red flag: decision weights not summing to 100",
               "adjust the decision map's `weight:` values so that they sum to 100"),
        "zh-CN": ("风险提示：决策比重合计不是 100",
                  "调整决策图中各 `weight:` 的值，使其合计为 100"),
    },
    "flag-cold-contact": {
        "en": ("red flag: a decision-map person not met for longer than `red_flags.cold_contact_days`, neither in an "
               "activity nor in a stage document (a phone invitation, visit report, product recommendation, exchange "
               "or negotiation minutes)",
               "get in touch, and log it: `crmctl log CUSTOMER TEXT -c CONTACT`"),
        "zh-CN": ("风险提示：决策图中的某人超过 `red_flags.cold_contact_days` 天未接触，"
                  "活动和阶段文件（电话邀约反馈单、拜访反馈报告、产品推介书、交流纪要或谈判纪要）中都没有记录",
                  "尽快联系，并记录：`crmctl log 客户 内容 -c 联系人`"),
    },
    "class-size": {
        "en": ("an enterprise's recorded `size` differs from what its fleet and cross-regional operation make it",
               "correct `size` or the fleet"),
        "zh-CN": ("企业客户记录的 `size` 与按其保有量和是否跨区域经营推算的规模不符",
                  "更正 `size` 或保有量"),
    },
    "class-tier": {
        "en": ("the recorded `tier` differs from what `annual_purchase` and `importance` make it",
               "correct `tier`, or the figures"),
        "zh-CN": ("记录的 `tier` 与按 `annual_purchase` 和 `importance` 推算的级别不符",
                  "更正 `tier` 或相关数据"),
    },
    "class-channel": {
        "en": ("a tier-C customer worked directly (no dealer), or a tier-A or tier-B customer left to a dealer",
               "change the channel, or the tier"),
        "zh-CN": ("C 级客户由我方直销（没有经销商），或 A 级、B 级客户交给了经销商",
                  "更改渠道或级别"),
    },
    "eval-weights": {
        "en": ("an evaluation's own `weights` do not sum to 100",
               "adjust them, or remove them to use crm.yaml's"),
        "zh-CN": ("项目评估自带的 `weights` 合计不是 100",
                  "调整权重，或删除它们以使用 crm.yaml 中的权重"),
    },
    "eval-vendor": {
        "en": ("an evaluation scores a vendor that is not `us` or a competitor of competition.yaml, or misses one",
               "add or rename the vendor's scores"),
        "zh-CN": ("项目评估为既不是 `us` 也不是 competition.yaml 中竞争对手的厂商打了分，或漏掉了某个厂商",
                  "补上厂商的评分，或更正其名称"),
    },
    "eval-criterion": {
        "en": ("a vendor lacks a score for a weighted criterion, or scores one that is not weighted",
               "add or correct the criterion"),
        "zh-CN": ("某厂商缺少某个有权重指标的评分，或给没有权重的指标打了分",
                  "补上或更正该指标"),
    },
    "eval-score": {
        "en": ("a score outside 0 to `score_max`",
               "score on the scale"),
        "zh-CN": ("分数超出 0 到 `score_max` 的范围",
                  "按评分范围打分"),
    },
    "config-version": {
        "en": ("`crm.yaml` says a `format:` this crmctl does not read",
               "upgrade crmctl, or correct `format:`"),
        "zh-CN": ("`crm.yaml` 中的 `format:` 是此版本 crmctl 不支持的格式版本",
                  "升级 crmctl，或更正 `format:`"),
    },
}
