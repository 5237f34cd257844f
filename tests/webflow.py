"""The shortest way through /check to the documents (附件1/2/3 and the checklist), as a web user answers it."""
from __future__ import annotations

# (words in the question, what to do): ("tap", label) | ("type", text) | ("multi", [labels])
STEPS = [
    ("确认无误", ("tap", "确认")),  # the summary (it repeats the other questions' words: first)
    ("哪类机构", ("tap", "技工院校")),
    ("学生职业技能等级认定资格", ("tap", "是")),
    ("社会培训评价组织资质？", ("tap", "否")),
    ("预备技师班", ("tap", "是")),
    ("高级技工班", ("tap", "是")),
    ("3+2", ("tap", "否")),
    ("想做哪些事", ("multi", ["申报社会培训评价组织资质"])),
    ("省属还是市属", ("tap", "省属")),
    ("单位名称", ("type", "泉城高级技工学校")),
    ("机构简称", ("tap", "跳过")),
    ("单位地址", ("type", "济南市历城区工业北路100号")),
    ("统一社会信用代码", ("type", "123701004950034562")),
    ("注册登记机构", ("tap", "跳过")),
    ("法定代表人", ("tap", "跳过")),
    ("注册资金", ("tap", "跳过")),
    ("联系人姓名", ("type", "李华")),
    ("联系人职务", ("tap", "跳过")),
    ("联系电话", ("type", "0531-88881234")),
    ("电子邮箱", ("type", "jwc@qcjx.edu.cn")),
    ("网址", ("tap", "跳过")),
    ("职业（工种）名称", ("type", "电工")),
    ("职业编码", ("type", "6-31-01-03")),
    ("工种/职业方向", ("tap", "跳过")),
    ("认定级别", ("type", "5、4、3")),
    ("有无职业标准", ("tap", "是")),
    ("评价经历时间", ("tap", "跳过")),
    ("已评价人数", ("tap", "跳过")),
    ("还要再添加一个工种", ("tap", "否")),
]


def step_for(prompt_text: str, labels=()):
    """What to do at this prompt; an optional question not listed above is skipped with its 跳过 button."""
    for words, action in STEPS:
        if words in prompt_text:
            return action
    if "跳过" in labels:
        return ("tap", "跳过")
    raise AssertionError(f"no step for the prompt {prompt_text!r}")
