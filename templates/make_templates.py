"""Re-create the Word and Excel templates of the notice's attachments (run once; edit the results
in Word/Excel freely afterwards, keeping the {{ placeholders }}).

    python templates/make_templates.py

附件1 and 附件2 are docxtpl templates (jinja2 tags inside Word); 附件3 is an Excel sheet whose
cells hold {{placeholders}} that bot/documents.py fills (the row holding {{occ.*}} repeats per 工种).
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

HERE = Path(__file__).resolve().parent
FONT = "SimSun"  # 宋体; LibreOffice substitutes an installed CJK font


def _font(run, size=12, bold=False, name=FONT):
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _doc() -> Document:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    sec = doc.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
    sec.left_margin = sec.right_margin = Cm(2.0)  # 17 cm of table: a code such as 6-31-01-03 on one line
    sec.top_margin = sec.bottom_margin = Cm(1.8)  # try30: one page with room to sign and stamp
    return doc


def _para(container, text, size=12, bold=False, align=None):
    p = container.add_paragraph()
    _font(p.add_run(text), size, bold)
    if align:
        p.alignment = align
    return p


def _cell(cell, text, bold=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=11):
    cell.text = ""
    p = cell.paragraphs[0]
    _font(p.add_run(text), size, bold)
    p.alignment = align
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    return cell


def _widths(table, widths_cm):
    """Fixed column widths (grid and every cell), so headers break where the notice breaks them."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(Cm(w).twips)))
    for row in table.rows:
        for idx, w in enumerate(widths_cm):
            if idx < len(row.cells):
                row.cells[idx].width = Cm(w)


def make_att1(path: Path) -> None:
    doc = _doc()
    _para(doc, "附件1", 12, True)
    _para(doc, "社会培训评价组织基本情况表", 18, True, WD_ALIGN_PARAGRAPH.CENTER)
    t = doc.add_table(rows=8, cols=4)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell(t.cell(0, 0).merge(t.cell(0, 3)), "一、基本信息", True, WD_ALIGN_PARAGRAPH.LEFT)
    for r, (label, tag) in enumerate((("单位名称", "{{ org.name }}"), ("地址", "{{ org.address }}"),
                                      ("统一社会信用代码", "{{ org.credit_code }}")), start=1):
        _cell(t.cell(r, 0), label)
        _cell(t.cell(r, 1).merge(t.cell(r, 3)), tag, align=WD_ALIGN_PARAGRAPH.LEFT)
    _cell(t.cell(4, 0), "注册登记机构")
    _cell(t.cell(4, 1), "{{ org.registrar }}")
    _cell(t.cell(4, 2), "机构性质")
    _cell(t.cell(4, 3), "企    业  {{ box.enterprise }}\n行业协会  {{ box.industry_association }}\n"
                        "高等院校  {{ box.university }}\n技工院校  {{ box.technical_school }}\n"
                        "民办职业培训机构  {{ box.private_training }}", align=WD_ALIGN_PARAGRAPH.LEFT)
    for r, (a, ta, b, tb) in enumerate((("法定代表人", "{{ org.legal_rep }}", "注册资金", "{{ org.capital }}"),
                                        ("联系人", "{{ org.contact }}", "职务", "{{ org.title }}"),
                                        ("联系电话", "{{ org.phone }}", "电子邮箱", "{{ org.email }}")), start=5):
        _cell(t.cell(r, 0), a)
        _cell(t.cell(r, 1), ta)
        _cell(t.cell(r, 2), b)
        _cell(t.cell(r, 3), tb)
    _widths(t, (3.6, 4.9, 2.6, 5.9))

    t2 = doc.add_table(rows=5, cols=7)
    t2.style = "Table Grid"
    t2.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell(t2.cell(0, 0).merge(t2.cell(0, 6)), "二、拟开展职业技能等级认定的职业（工种）及评价规范情况", True,
          WD_ALIGN_PARAGRAPH.LEFT)
    # the notice's own line breaks; one line each at these widths
    for c, h in enumerate(("序号", "职业（工种）名称", "职业编码", "有无职业标准\n或评价规范", "评价经历\n时间",
                           "评价人数\n（人）", "评价等级\n范围")):
        _cell(t2.cell(1, c), h, True, size=10)
    _cell(t2.cell(2, 0), "{%tr for o in rows %}")
    for c, tag in enumerate(("{{ o.no }}", "{{ o.name_type }}", "{{ o.code }}", "{{ o.has_standard }}",
                             "{{ o.experience }}", "{{ o.assessed_count }}", "{{ o.levels }}")):
        _cell(t2.cell(3, c), tag, size=10)
    _cell(t2.cell(4, 0), "{%tr endfor %}")
    _widths(t2, (1.1, 3.4, 2.7, 2.7, 2.5, 1.9, 2.7))

    t3 = doc.add_table(rows=7, cols=1)
    t3.style = "Table Grid"
    t3.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, (head, body) in enumerate((("三、组织优势、专业优势等情况", "{{ org.strengths }}"),
                                      ("四、场地、设备等情况", "{{ org.premises }}"),
                                      ("五、专职人员和考评人员等情况", "{{ org.staff }}"))):
        _cell(t3.cell(2 * r, 0), head, True, WD_ALIGN_PARAGRAPH.LEFT)
        _cell(t3.cell(2 * r + 1, 0), body + "\n\n", align=WD_ALIGN_PARAGRAPH.LEFT)
    pledge = t3.cell(6, 0)
    _cell(pledge, "六、诚信承诺", True, WD_ALIGN_PARAGRAPH.LEFT)
    p = pledge.add_paragraph()
    _font(p.add_run("本人承诺：1.申报材料真实有效，如有虚假，自愿退出申报。2.自愿把社会效益放在首位，"
                    "不以人才评价为营利目的。3.自愿接受人力资源社会保障部门监管和公众监督。"), 11)
    # try30: room to sign after "法定代表人（签字）：" (two blank lines) and to stamp the unit's name (one)
    for line in ("法定代表人（签字）：                ", "", "", "单位名称（盖章）：{{ org.name }}", "",
                 "年    月    日"):
        q = pledge.add_paragraph()
        q.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(q.add_run(line), 11)
    # the notes set solid, evenly (try28: 10 pt after each and 1.15 lines pushed notes 3 and 4 onto an
    # otherwise empty second page)
    for note in ("注：", "1.本表可根据情况增页和附加证明材料；",
                 "2.第三项中可包括培训考核评价经验,曾经参与国家职业技能标准、行业评价规范、教材、职业技能竞赛标准的编制情况等；",
                 "3.第四项应另附权属证明材料；",
                 "4.第五项中应提供社保材料或劳务合同或合作协议或颁发的聘书等材料复印件。"):
        fmt = _para(doc, note, 10.5).paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing = 1.0
    doc.save(path)


def make_att2(path: Path) -> None:
    doc = _doc()
    _para(doc, "附件2", 12, True)
    _para(doc, "{{ org.name }}", 16, True, WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "社会培训评价组织职业技能等级认定工作方案", 18, True, WD_ALIGN_PARAGRAPH.CENTER)
    parts = [
        ("一、总体规划、工作计划", "（请填写：开展职业技能等级认定的总体规划、年度工作计划。）"),
        ("二、组织机构及职责", "（请填写：认定工作领导机构、办事机构及其职责分工。）"),
        ("三、开展评价的职业（工种）、等级、申报条件、依据的标准及题库资源",
         ["{%p for o in rows %}",
          "{{ o.no }}. {{ o.name }}{% if o.code %}（{{ o.code }}）{% endif %}"
          "{% if o.work_type %}，{{ o.work_type }}{% endif %}{% if o.levels %}：{{ o.levels }}级{% endif %}；",
          "{%p endfor %}",
          "（请补充：各职业的申报条件、依据的国家职业技能标准或评价规范、题库资源。）"]),
        ("四、评价流程及考核工作规则", "（请填写：报名、资格审核、考核实施、阅卷评分、结果公示、证书发放等流程和规则。）"),
        ("五、评价内容及方式", "（请填写：理论知识考试、操作技能考核、综合评审等内容和方式。）"),
        ("六、开展评价工作的各项保障", "（请填写：场地设备、考评人员、经费、质量督导等保障。）"),
        ("七、其他", "（各评价机构可根据自身情况增加内容）"),
    ]
    for head, hint in parts:
        _para(doc, head, 14, True)
        for line in hint if isinstance(hint, list) else [hint]:
            _para(doc, line, 12)
    doc.save(path)


def make_att3(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "认定范围清单"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    # the notice's attachment opens with "附件3" at the top left, above the title (try28), as 附件1 and 附件2 do
    ws["A1"] = "附件3"
    ws["A1"].font = Font(name="宋体", size=12, bold=True)
    ws["A1"].alignment = Alignment(horizontal="left", vertical="center")
    ws.merge_cells("A2:E2")
    ws["A2"] = "评价机构信息与认定范围清单"
    ws["A2"].font = Font(name="宋体", size=16, bold=True)
    ws["A2"].alignment = center
    layout = [
        (3, [("A", "机构名称"), ("B", "{{name}}")], "B3:D3", ("E", "备注")),
        (4, [("A", "机构简称"), ("B", "{{short_name}}"), ("C", "备案号"), ("D", "{{filing_no}}")], None, ("E", "")),
        (5, [("A", "机构类型"), ("B", "{{type}}")], "B5:D5", ("E", "")),
        (6, [("A", "联系人"), ("B", "{{contact}}"), ("C", "联系电话"), ("D", "{{phone}}")], None, ("E", "")),
        (7, [("A", "邮箱"), ("B", "{{email}}"), ("C", "网址"), ("D", "{{website}}")], None, ("E", "")),
        (8, [("A", "地址"), ("B", "{{address}}")], "B8:D8", ("E", "")),
    ]
    for row, cells, merge, remark in layout:
        for col, value in cells + [remark]:
            ws[f"{col}{row}"] = value
        if merge:
            ws.merge_cells(merge)
    ws.merge_cells("A9:E9")
    ws["A9"] = "开展职业技能等级认定范围"
    for col, head in zip("ABCDE", ("职业名称", "职业编号", "工种/职业方向", "级别", "备注")):
        ws[f"{col}10"] = head
    for col, tag in zip("ABCDE", ("{{occ.name}}", "{{occ.code}}", "{{occ.work_type}}", "{{occ.levels}}",
                                   "{{occ.change}}")):
        ws[f"{col}11"] = tag
    for row in ws.iter_rows(min_row=3, max_row=11, max_col=5):
        for cell in row:
            cell.border = border
            cell.alignment = center
            cell.font = Font(name="宋体", size=11, bold=cell.row in (9, 10) or cell.column == 1 and cell.row < 9)
    for col, width in zip("ABCDE", (18, 18, 22, 24, 12)):
        ws.column_dimensions[col].width = width
    # bot/documents.py writes "注：" and the seven notes here, verbatim from knowledge/notice.toml
    ws["A13"] = "{{notes}}"
    ws.merge_cells("A13:E13")
    ws.row_dimensions[1].height = 20
    ws.row_dimensions[2].height = 36
    # print on one page width, landscape, like the notice's table
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    wb.save(path)


if __name__ == "__main__":
    make_att1(HERE / "附件1-社会培训评价组织基本情况表.docx")
    make_att2(HERE / "附件2-职业技能等级认定工作方案.docx")
    make_att3(HERE / "附件3-评价机构信息与认定范围清单.xlsx")
    print("templates written to", HERE)
