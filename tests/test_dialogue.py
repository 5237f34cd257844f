"""The channel-agnostic dialogue over a real SQLite store: /check by buttons to files, stale and
forged buttons, cancel, forget, reuse of the saved profile, restarts."""
import pytest

from bot.app import App
from bot.dialogue import Dialogue

FLOW = [  # (button label to press, or text to type)
    ("btn", "技工院校"), ("btn", "是"), ("btn", "否"), ("btn", "是"), ("btn", "是"), ("btn", "否"),
    ("btn", "申报社会培训评价组织资质"), ("btn", "完成"), ("btn", "省属"),
    ("text", "泉城高级技工学校"), ("btn", "跳过"), ("text", "济南市历城区"), ("text", "123701004950034562"),
    ("text", "山东省事业单位登记管理局"), ("text", "张明"), ("btn", "跳过"), ("text", "李华"), ("text", "处长"),
    ("text", "0531-88881234"), ("text", "jwc@qc.edu.cn"), ("btn", "跳过"),
    ("btn", "跳过"), ("btn", "跳过"), ("btn", "跳过"),  # 附件1 items 三 to 五
    ("text", "电工"), ("text", "6-31-01-03"), ("btn", "跳过"), ("text", "5、4、3"), ("btn", "是"),
    ("text", "2018年至今"), ("text", "120"), ("btn", "否"), ("btn", "确认"),
]


def press(d: Dialogue, user: str, replies, label: str):
    for r in reversed(replies):
        for row in r.buttons:
            for b in row:
                if b.label.replace("✅ ", "") == label:
                    assert len(b.data.encode()) <= 64
                    return d.handle_button(user, b.data)
    raise AssertionError(f"no button {label!r} in {[r.text[:60] for r in replies]}")


def run_flow(d: Dialogue, user: str, flow=FLOW):
    replies = d.handle_text(user, "/check")
    for kind, value in flow:
        replies = press(d, user, replies, value) if kind == "btn" else d.handle_text(user, value)
        assert not any("请重新回答" in r.text for r in replies), (value, [r.text for r in replies])
    return replies


def test_whole_check_by_buttons_ends_with_the_documents(app):
    d = Dialogue(app)
    replies = run_flow(d, "u1")
    files = {name for r in replies for name, _ in r.files}
    assert files == {"checklist.md", "附件1-社会培训评价组织基本情况表.docx", "附件2-职业技能等级认定工作方案.docx",
                     "附件3-评价机构信息与认定范围清单.xlsx"}
    assert any("申报材料清单" in r.text for r in replies)  # the check list as a message too
    profile = app.store.get_profile("u1")
    assert profile["org"]["name"] == "泉城高级技工学校" and profile["occupations"][0]["levels"] == [5, 4, 3]


def test_verdict_comes_after_the_eligibility_questions(app):
    d = Dialogue(app)
    replies = run_flow(d, "u2", FLOW[:9])
    text = "\n".join(r.text for r in replies)
    assert "评估结果" in text and "申报社会培训评价组织资质：可以申报" in text and "单位名称" in text


def test_saved_profile_personalises_later_answers(app):
    d = Dialogue(app)
    run_flow(d, "u3", FLOW[:9])
    d.handle_text("u3", "/cancel")  # the verdict was saved before the form questions
    [reply] = d.handle_text("u3", "我们能给老师认定二级吗？")
    assert "按贵校情况" in reply.text and reply.text.count("不可以") >= 1


def test_no_documents_needed_ends_after_the_verdict(app):
    d = Dialogue(app)
    flow = [("btn", "技工院校"), ("btn", "是"), ("btn", "是"), ("btn", "是"), ("btn", "是"), ("btn", "否"),
            ("btn", "为本校教师认定二级、三级"), ("btn", "完成")]
    replies = run_flow(d, "u4", flow)
    assert any("为本校教师认定二级、三级：可以（2级、3级）" in r.text for r in replies)
    assert app.store.get_state("u4").get("q") is None


def test_stale_and_forged_buttons_change_nothing(app):
    d = Dialogue(app)
    first = d.handle_text("u5", "/check")
    old_data = first[-1].buttons[0][0].data
    d.handle_button("u5", old_data)  # answers question 1
    before = app.store.get_state("u5")
    for data in (old_data, "a:999:yes", "x" * 64, "", "t:nope", "f:+:nope", "m:2:99", "a:2", "c:2", "😀"):
        replies = d.handle_button("u5", data)
        assert replies and replies[0].text
    assert app.store.get_state("u5") == before


def test_typed_answers_work_wherever_a_button_does(app):
    d = Dialogue(app)
    d.handle_text("u6", "/check")
    for text in ("1", "yes", "否", "y", "n", "否"):
        replies = d.handle_text("u6", text)
        assert not any("请重新回答" in r.text for r in replies), text
    assert app.store.get_state("u6")["q"]["pending"] == "goals"
    d.handle_text("u6", "1,4")  # typed numbers tick the options, like the buttons (try27)
    assert app.store.get_state("u6")["q"]["multi"] == ["certify_students", "apply_social_org"]
    d.handle_text("u6", "完成")
    assert app.store.get_state("u6")["q"]["answers"]["goals"] == ["certify_students", "apply_social_org"]


def test_a_wrong_answer_is_asked_again_with_the_reason(app):
    d = Dialogue(app)
    run_flow(d, "u7", FLOW[:12])
    replies = d.handle_text("u7", "123701004950034563")
    assert "校验位" in replies[0].text and "统一社会信用代码" in replies[-1].text
    assert "credit_code" not in app.store.get_state("u7")["q"]["answers"].get("org", {})


def test_a_question_during_the_questionnaire_is_answered_then_the_question_repeated(app):
    d = Dialogue(app)
    run_flow(d, "u8", FLOW[:11])  # now at the address
    replies = d.handle_text("u8", "能给老师认定二级吗？")
    assert "没有当作答案保存" in replies[0].text  # try28: said, not saved
    assert "〔2.3〕" in replies[1].text and "单位地址" in replies[-1].text
    assert "address" not in app.store.get_state("u8")["q"]["answers"].get("org", {})


@pytest.mark.parametrize("text", ["交到哪里？", "这个要填全称吗?", "what is this field?", "今天天气怎么样？"])
def test_a_question_at_a_text_prompt_is_never_stored_as_the_value(app, text):
    d = Dialogue(app)
    run_flow(d, "u81", FLOW[:9])  # now at 单位名称
    replies = d.handle_text("u81", text)
    assert "单位名称" in replies[-1].text
    assert "name" not in app.store.get_state("u81")["q"]["answers"].get("org", {})


def test_cancel_and_back(app):
    d = Dialogue(app)
    d.handle_text("u9", "/check")
    d.handle_text("u9", "1")
    replies = d.handle_text("u9", "/back")
    assert "哪类机构" in replies[-1].text
    assert "第一题" in d.handle_text("u9", "/back")[0].text
    assert "已取消" in d.handle_text("u9", "/cancel")[0].text
    assert app.store.get_state("u9")["q"] is None


def test_forget_erases_every_row_about_the_user(app):
    d = Dialogue(app)
    run_flow(d, "u10", FLOW[:9])
    d.handle_text("u10", "认定收费多少钱")
    d.handle_button("u10", "f:+:teacher_certification")
    assert app.store.count_rows("u10") > 0
    d.handle_text("other", "你好")
    replies = d.handle_text("u10", "/forget")
    assert "已删除" in replies[0].text
    assert app.store.count_rows("u10") == 0
    assert app.store.count_rows("other") > 0


def test_state_survives_a_restart(env):
    a1 = App.from_config()
    d1 = Dialogue(a1)
    run_flow(d1, "u11", FLOW[:5])
    a1.store.close()
    a2 = App.from_config()  # a new process: same SQLite file
    d2 = Dialogue(a2)
    assert a2.store.get_state("u11")["q"]["pending"] == "has_segmented_students"  # where the user was
    replies = d2.handle_text("u11", "是")
    assert "学校想做哪些事" in replies[-1].text
    a2.store.close()


def test_reuse_the_saved_profile(app):
    d = Dialogue(app)
    run_flow(d, "u12", FLOW)
    replies = d.handle_text("u12", "/check")
    assert "上次的答案" in replies[-1].text
    replies = d.handle_text("u12", "是")
    assert any(name.endswith(".docx") for r in d.handle_text("u12", "确认") for name, _ in r.files)


def test_checklist_command_uses_the_profile_or_starts_the_questions(app):
    d = Dialogue(app)
    replies = d.handle_text("u13", "/checklist")
    assert "哪类机构" in replies[-1].text
    run_flow(Dialogue(app), "u14", FLOW)
    replies = d.handle_text("u14", "/checklist")
    assert any(r.files for r in replies)


@pytest.mark.parametrize("text", ["", " ", "\x00", "😀" * 50, "<b>x</b>", "技" * 5000, "/nosuch", "/start@SomeBot"])
def test_odd_messages_get_a_reply(app, text):
    replies = Dialogue(app).handle_text("u15", text)
    assert replies and all(r.text for r in replies)


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

COMMANDS = ["/start", "/help", "/check", "/checklist", "/contact", "/cancel", "/back", "/forget", "确认", "改 2",
            "是", "否", "1", "2", "1,4", "完成", "跳过", "123701004950034562", "5、4、3", "电工", "6-31-01-03"]
BUTTONS = st.one_of(
    st.sampled_from(["a:1:yes", "a:2:no", "a:3:0", "m:4:1", "d:5", "c:6", "t:teacher_certification", "f:+:contacts",
                     "f:-:nope", "t:_out_of_scope", "a:1:skip", "m:1:99", ""]),
    st.text(max_size=70),
)
EVENTS = st.lists(st.one_of(st.tuples(st.just("text"), st.one_of(st.sampled_from(COMMANDS), st.text(max_size=80))),
                            st.tuples(st.just("button"), BUTTONS)), max_size=25)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=EVENTS)
def test_any_sequence_of_messages_and_taps_gets_replies_and_never_breaks(app, events):
    d = Dialogue(app)
    app.store.forget("fuzz")
    for kind, value in events:
        replies = d.handle_text("fuzz", value) if kind == "text" else d.handle_button("fuzz", value)
        assert replies and all(isinstance(r.text, str) and r.text for r in replies)
        for r in replies:
            for row in r.buttons:
                for b in row:
                    assert len(b.data.encode()) <= 64
    state = app.store.get_state("fuzz")
    q = state.get("q")
    if q and q.get("pending"):  # whatever happened, the pending question can still be shown
        assert d.handle_text("fuzz", "/back")
