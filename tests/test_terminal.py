"""A scripted terminal session (`skillcert chat` as a real process, answers on stdin): a question,
a follow-up, then /check from the first question to the generated files."""
from docx import Document
from openpyxl import load_workbook

from conftest import run_cli

SCRIPT = "\n".join([
    "我们能给老师认定二级吗？", "那一级呢？",
    "/check", "1", "1", "2", "1", "1", "2",       # school, student yes, social no, prep yes, senior yes, 3+2 no
    "4", "6",                                      # toggle 申报社会培训评价组织资质, then 完成
    "2",                                           # 市属
    "泉城高级技工学校", "跳过", "济南市历城区", "123701004950034563", "123701004950034562",  # a wrong code, re-asked
    "跳过", "张明", "跳过", "李华", "处长", "0531-88881234", "jwc@qc.edu.cn", "跳过",
    "跳过", "跳过", "跳过",                           # 附件1 items 三 to 五
    "电工", "6-31-01-03", "跳过", "5、4、3", "1", "2018年至今", "120", "2",
    "确认", "/quit",
]) + "\n"


def test_scripted_check_session_writes_the_documents(env, tmp_path):
    env = dict(env, SKILLCERT_FILES=str(tmp_path / "files"))
    p = run_cli(["chat"], env, stdin=SCRIPT, timeout=120)
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert "〔2.3〕" in out and "不可以" in out               # the question and its follow-up
    assert "校验位不对" in out                                 # the wrong code re-asked with the reason
    assert "所在市人力资源社会保障局" in out                      # 市属: filed with the city
    files = sorted((tmp_path / "files").rglob("*"))
    names = {f.name for f in files if f.is_file()}
    assert names == {"checklist.md", "附件1-社会培训评价组织基本情况表.docx", "附件2-职业技能等级认定工作方案.docx",
                     "附件3-评价机构信息与认定范围清单.xlsx"}
    att1 = next(f for f in files if f.name.startswith("附件1"))
    assert "123701004950034562" in "\n".join(c.text for t in Document(att1).tables for r in t.rows for c in r.cells)
    att3 = next(f for f in files if f.name.startswith("附件3"))
    assert load_workbook(att3).active["D11"].value == "5、4、3"
    assert "Traceback" not in p.stderr


def test_chat_survives_bad_lines(env, tmp_path):
    script = "\n".join(["", "\x00\x01", "😀😀", "<script>x</script>", "技" * 5000, "/nosuch", "/check", "9", "1",
                        "/cancel", "/quit"]) + "\n"
    p = run_cli(["chat"], dict(env, SKILLCERT_FILES=str(tmp_path)), stdin=script)
    assert p.returncode == 0 and "Traceback" not in p.stderr
    assert "没有第 9 项：请回复 1 到 5 之间的编号" in p.stdout and "已取消问卷" in p.stdout
