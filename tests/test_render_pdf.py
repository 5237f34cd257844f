"""Every generated document rendered through LibreOffice (soffice --headless --convert-to pdf), then
read back with pdftotext: every field and every note is on the page and nothing is cut. Skipped
where LibreOffice or poppler is not installed. `docs/render_documents.sh` makes page images to look at."""
import re
import shutil
import subprocess

import pytest

from bot.answers import validate_answers
from bot.documents import att3_notes, write_documents

pytestmark = pytest.mark.slow

ATT1 = "附件1-社会培训评价组织基本情况表.docx"
ATT2 = "附件2-职业技能等级认定工作方案.docx"
ATT3 = "附件3-评价机构信息与认定范围清单.xlsx"

WEBSITE = "https://www.quanchengjixiao.edu.cn/zhaosheng/2021/index.html"
ADDRESS = ("山东省济南市历城区工业北路100号（东校区）" + "实训楼一层至三层、" * 18)[:200]
ORG = {"name": "泉城高级技工学校（济南）", "short_name": "泉城技校", "address": ADDRESS,
       "credit_code": "123701004950034562", "registrar": "山东省事业单位登记管理局", "legal_rep": "张明",
       "capital": "3000万元", "contact": "李华", "title": "教务处处长", "phone": "0531-88881234",
       "email": "jwc@qcjx.edu.cn", "website": WEBSITE, "filing_no": "S370100001",
       "strengths": "承担省级职业技能竞赛裁判工作；参与编写电工国家职业技能标准配套教材。",
       "premises": "实训楼三栋，数控车床40台。", "staff": "专职人员12人\n考评人员30人"}
OCCS = [{"name": "电工", "code": "6-31-01-03", "levels": [5, 4, 3], "has_standard": True,
         "experience": "2018年至今", "assessed_count": 120, "change": "增加"},
        {"name": "车工", "code": "6-18-01-01", "work_type": "数控车工", "levels": [4, 3], "has_standard": True,
         "experience": "2019年至今", "assessed_count": 85, "change": "修改", "changed": ["levels"]},
        {"name": "=1+1", "levels": [5], "has_standard": False}]
APPLY = {"institution_type": "technical_school", "affiliation": "provincial", "student_cert_qualified": True,
         "social_org_qualified": False, "runs_prep_technician_class": True, "runs_senior_class": True,
         "has_segmented_students": False, "goals": ["apply_social_org", "adjust_scope"],
         "org": {**ORG, "changed": ["phone", "website"]}, "occupations": OCCS}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def shown(value: str, text: str) -> bool:
    """Every character of the value on the page, in order. pdftotext reads a table row by row, so a
    wrapped cell's lines may have its neighbour's label between them; a cut value misses characters."""
    it = iter(squash(text))
    return all(ch in it for ch in squash(value))


def words(pdf) -> list[tuple[int, float, float, float, float, str]]:
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    out = []
    for page, body in enumerate(html.split("<page ")[1:]):
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                             body):
            out.append((page, *map(float, m.groups()[:4]), m.group(5)))
    return out


def overlapping(ws) -> list[tuple[str, str]]:
    """Pairs of words drawn over each other (text spilling into a neighbouring cell)."""
    bad = []
    for i, (p, x0, y0, x1, y1, w) in enumerate(ws):
        for q, a0, b0, a1, b1, v in ws[i + 1:]:
            if p != q:
                continue
            dx, dy = min(x1, a1) - max(x0, a0), min(y1, b1) - max(y0, b0)
            if dx > 0.5 and dy > 0.5 and dx * dy > 0.2 * min((x1 - x0) * (y1 - y0), (a1 - a0) * (b1 - b0)):
                bad.append((w, v))
    return bad


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, kb):
    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        pytest.skip("LibreOffice (soffice) or pdftotext not installed")
    out = tmp_path_factory.mktemp("render")
    write_documents(validate_answers(APPLY), kb, out)
    profile = tmp_path_factory.mktemp("lo-profile")
    docs = [str(out / ATT1), str(out / ATT2), str(out / ATT3)]
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *docs], check=True, capture_output=True, timeout=300)
    texts = {}
    for name in (ATT1, ATT2, ATT3):
        pdf = out / (name.rsplit(".", 1)[0] + ".pdf")
        assert pdf.exists(), name
        texts[name] = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                     check=True).stdout
    return out, texts


@pytest.mark.parametrize("name", [ATT1, ATT2, ATT3])
def test_no_text_is_drawn_over_other_text(rendered, name):
    out, _ = rendered
    assert overlapping(words(out / (name.rsplit(".", 1)[0] + ".pdf"))) == []


def test_att1_has_every_field_the_work_type_and_the_notes(rendered, kb):
    _, texts = rendered
    flat = squash(texts[ATT1])
    for key, value in ORG.items():
        if key in ("short_name", "website", "filing_no"):
            continue  # not on 附件1
        assert shown(value, texts[ATT1]), key
    assert "车工/数控车工" in flat and "=1+1" in flat
    for i in range(1, 5):
        assert squash(kb.clauses[f"att1.n{i}"]["text"]) in flat, f"att1.n{i}"
    for n in ("4", "5", "6"):  # the blank numbered rows of the form, then "..."
        assert re.search(rf"^\s*{n}\s*$", texts[ATT1], re.M), n
    assert "..." in texts[ATT1]
    lines = [line.strip() for line in texts[ATT1].splitlines()]
    # headers break only where the notice breaks them; codes and the 工种 on one line
    for piece in ("职业（工种）名称", "有无职业标准", "或评价规范", "评价经历", "评价人数", "评价等级",
                  "6-31-01-03", "6-18-01-01", "2018年至今", "5、4、3"):
        assert any(piece in squash(line) for line in lines), piece


def test_att2_one_line_per_occupation(rendered):
    _, texts = rendered
    lines = [squash(line) for line in texts[ATT2].splitlines()]
    assert "1.电工（6-31-01-03）：5、4、3级；" in lines
    assert "2.车工（6-18-01-01），数控车工：4、3级；" in lines


def test_att3_every_field_and_all_seven_notes_uncut(rendered, kb):
    _, texts = rendered
    flat = squash(texts[ATT3])
    assert "评价机构信息与认定范围清单" in flat  # the title
    for key in ("name", "short_name", "filing_no", "contact", "phone", "email", "website", "address"):
        assert shown(ORG[key], texts[ATT3]), key
    for note in att3_notes(kb):
        assert squash(note) in flat, note
    assert "=1+1" in flat and "数控车工" in flat and "4、3" in flat
    assert "评价机构信息与认定范围清单" in [line.strip() for line in texts[ATT3].splitlines()]


def text_fonts(pdf) -> list[tuple[str, str]]:
    """(font family, text) of every piece of text on the pages, from pdftohtml -xml."""
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", str(pdf)], capture_output=True, text=True,
                         check=True).stdout
    families = dict(re.findall(r'<fontspec id="(\d+)" size="[\d.]+" family="([^"]+)"', xml))
    return [(families[f], re.sub(r"<[^>]+>", "", t)) for f, t in re.findall(r'<text [^>]*font="(\d+)"[^>]*>(.*?)</text>',
                                                                             xml)]


@pytest.mark.parametrize("name", [ATT1, ATT2, ATT3])
def test_latin_letters_and_digits_are_drawn_in_the_documents_latin_font(rendered, name):
    """try27: phone numbers, codes and "5、4、3" came out larger than the Chinese beside them: 宋体 is not
    installed, so LibreOffice drew Latin characters in its fallback DejaVu. They are now set in Times New
    Roman (Word: w:ascii/w:hAnsi; Excel: a run of their own), which LibreOffice draws in Liberation Serif."""
    if not shutil.which("pdftohtml"):
        pytest.skip("pdftohtml not installed")
    out, _ = rendered
    pieces = text_fonts(out / (name.rsplit(".", 1)[0] + ".pdf"))
    latin = [(family, text) for family, text in pieces if re.search(r"[A-Za-z0-9]", text)]
    sample = "6-31-01-03" if name == ATT2 else "0531-88881234"
    assert any(sample in text for _, text in latin), latin
    assert [(f, t) for f, t in latin if "DejaVu" in f] == []
