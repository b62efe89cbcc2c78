"""Word documents for the checker's tests, built from scratch with python-docx + lxml the way
Word itself writes them (a styled Normal over theme-font defaults, direct formatting, a
borderless header table, DrawingML and VML line shapes, a PAGE field in a titlePg header).

`build()` lays out the seed conclusion notice as Phụ lục I wants it; `Spec` fields and
`edit_part()` make the deliberately broken variants.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from lxml import etree

from tests.conftest import SEED
from workflow.content import read
from workflow.rendering.ooxml import NS

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SEED_CONTENT = read(SEED)


def nsdecls(*prefixes: str) -> str:
    return " ".join(f'xmlns:{p}="{NS[p]}"' for p in prefixes)


def _seed_body() -> list[str]:
    paragraphs = [p.strip() for p in SEED_CONTENT.body.split("\n\n") if p.strip()]
    paragraphs = [p for p in paragraphs if not p.startswith("[^")]
    return [re.sub(r"\[\^\d+\]", "", p) for p in paragraphs]


@dataclass
class Spec:
    """What the built document says and how; the defaults conform to Decree 30."""

    number: str = "Số: 07/TB-BGDĐT"
    date: str = "Hà Nội, ngày 05 tháng 01 năm 2022"
    parent: str | None = None
    issuer: str = SEED_CONTENT.issuer.name
    title: str | None = "THÔNG BÁO"
    subject: list[str] = field(default_factory=lambda: SEED_CONTENT.subject.splitlines())
    vv: str | None = None  # công văn: "V/v …" under the number instead of a title
    addressees: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=_seed_body)
    authority: list[str] = field(
        default_factory=lambda: [str(line) for line in SEED_CONTENT.signature.authority]
    )
    name: str = SEED_CONTENT.signature.name
    recipients: list[str] = field(default_factory=SEED_CONTENT.recipient_lines)
    marks: list[str] = field(default_factory=list)
    page_mm: tuple[float, float] = (210, 297)
    margins_mm: tuple[float, float, float, float] = (20, 20, 30, 15)  # top, bottom, left, right
    body_align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY
    motto_rule: bool = True
    issuer_rule: bool = True
    title_rule: bool = True
    page_number: bool = True
    number_on_page_1: bool = False
    body_font: str = "Times New Roman"


DRAFT = Spec(number="Số:      /TB-BGDĐT", date="Hà Nội, ngày      tháng      năm 2021")


def issued(**changes: object) -> Spec:
    return replace(Spec(), **changes)  # type: ignore[arg-type]


def draft(**changes: object) -> Spec:
    return replace(DRAFT, **changes)  # type: ignore[arg-type]


def cong_van(**changes: object) -> Spec:
    """A công văn: symbol issuer-unit, V/v subject, Kính gửi and 'Như trên'."""
    base = Spec(
        number="Số: 15/BGDĐT-VP",
        title=None,
        subject=[],
        vv="V/v triển khai công tác văn phòng năm học 2021-2022",
        addressees=["Kính gửi: Các sở giáo dục và đào tạo"],
        body=[*_seed_body()[:2], "Bộ Giáo dục và Đào tạo đề nghị các sở triển khai thực hiện./."],
        recipients=["- Như trên;", "- Bộ trưởng (để b/c);", "- Lưu: VT, VP."],
        page_number=False,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _line_dml(shape_id: int, width_emu: int) -> str:
    """A straight connector as Word 2010+ writes it: DrawingML with a VML fallback."""
    return f"""
<w:r {nsdecls("w", "wp", "a", "wps", "mc", "v")}>
  <mc:AlternateContent>
    <mc:Choice Requires="wps">
      <w:drawing>
        <wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0"
            relativeHeight="{251659264 + shape_id}" behindDoc="0" locked="0" layoutInCell="1"
            allowOverlap="1">
          <wp:simplePos x="0" y="0"/>
          <wp:positionH relativeFrom="column"><wp:posOffset>1300000</wp:posOffset></wp:positionH>
          <wp:positionV relativeFrom="paragraph"><wp:posOffset>220000</wp:posOffset></wp:positionV>
          <wp:extent cx="{width_emu}" cy="0"/>
          <wp:effectExtent l="0" t="0" r="0" b="0"/>
          <wp:wrapNone/>
          <wp:docPr id="{shape_id}" name="Straight Connector {shape_id}"/>
          <wp:cNvGraphicFramePr/>
          <a:graphic>
            <a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
              <wps:wsp>
                <wps:cNvCnPr/>
                <wps:spPr>
                  <a:xfrm><a:off x="0" y="0"/><a:ext cx="{width_emu}" cy="0"/></a:xfrm>
                  <a:prstGeom prst="line"><a:avLst/></a:prstGeom>
                  <a:ln w="6350"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln>
                </wps:spPr>
                <wps:bodyPr/>
              </wps:wsp>
            </a:graphicData>
          </a:graphic>
        </wp:anchor>
      </w:drawing>
    </mc:Choice>
    <mc:Fallback>
      <w:pict><v:line from="102pt,17pt" to="262pt,17pt" strokeweight=".5pt"/></w:pict>
    </mc:Fallback>
  </mc:AlternateContent>
</w:r>"""


def _line_vml() -> str:
    """A line as older Word versions write it: VML only."""
    return f"""
<w:r {nsdecls("w", "v", "o")}>
  <w:pict>
    <v:line id="issuer-rule" style="position:absolute;z-index:1" from="40pt,3pt" to="110pt,3pt"
        strokeweight=".5pt"/>
  </w:pict>
</w:r>"""


def _page_field(paragraph, size_half_points: int = 28) -> None:
    """A PAGE field as Word inserts it (begin / instruction / separate / result / end)."""
    rpr = f'<w:rPr><w:sz w:val="{size_half_points}"/></w:rPr>'
    for xml in (
        f'<w:r {nsdecls("w")}>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r {nsdecls("w")}>{rpr}<w:instrText xml:space="preserve"> PAGE   \\* MERGEFORMAT'
        " </w:instrText></w:r>",
        f'<w:r {nsdecls("w")}>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r {nsdecls('w')}>{rpr}<w:t>2</w:t></w:r>",
        f'<w:r {nsdecls("w")}>{rpr}<w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph._p.append(parse_xml(xml))


def _style_fonts(element, face: str, size_half_points: int | None = None) -> None:
    """Word's way of setting a font on a style: all four slots, plus size and language."""
    rpr = element.get_or_add_rPr()
    for old in rpr.findall(qn("w:rFonts")) + rpr.findall(qn("w:lang")):
        rpr.remove(old)
    rpr.append(
        parse_xml(
            f'<w:rFonts {nsdecls("w")} w:ascii="{face}" w:hAnsi="{face}" w:eastAsia="{face}"'
            f' w:cs="{face}"/>'
        )
    )
    if size_half_points:
        for tag in ("w:sz", "w:szCs"):
            rpr.append(parse_xml(f'<{tag} {nsdecls("w")} w:val="{size_half_points}"/>'))
    rpr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="vi-VN" w:eastAsia="vi-VN"/>'))


def _para(
    container,
    text: str = "",
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    style: str | None = None,
):
    p = container.add_paragraph(style=style)
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    lines = text.split("\n")
    for i, line in enumerate(lines):
        run = p.add_run(line)
        run.font.size = Pt(size)
        run.font.bold = bold or None
        run.font.italic = italic or None
        if i < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)
    return p


def build(spec: Spec | None = None) -> bytes:
    """The .docx bytes of a notice laid out as Phụ lục I prescribes (given the spec)."""
    spec = spec or Spec()
    doc = Document()
    styles = doc.styles
    normal = styles["Normal"]
    _style_fonts(normal.element, "Times New Roman", 28)
    normal.paragraph_format.space_after = Pt(0)
    body_style = styles.add_style("Decree Body", 1)  # WD_STYLE_TYPE.PARAGRAPH
    body_style.base_style = normal
    body_fmt = body_style.paragraph_format
    body_fmt.first_line_indent = Cm(1.27)
    body_fmt.space_before = Pt(6)
    body_fmt.space_after = Pt(0)
    body_fmt.line_spacing = 1.0
    body_fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if spec.body_font != "Times New Roman":
        _style_fonts(body_style.element, spec.body_font)

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(spec.page_mm[0]), Mm(spec.page_mm[1])
    top, bottom, left, right = spec.margins_mm
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance = section.footer_distance = Mm(10)

    if spec.page_number:
        section.different_first_page_header_footer = not spec.number_on_page_1
        header_p = section.header.paragraphs[0]
        header_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(header_p)

    # Ô 1–4: a borderless two-column table, as the PL III templates are drawn.
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    left_cell, right_cell = table.rows[0].cells
    left_cell.width, right_cell.width = Cm(6.5), Cm(9.5)
    left_cell.paragraphs[0]._p.getparent().remove(left_cell.paragraphs[0]._p)
    right_cell.paragraphs[0]._p.getparent().remove(right_cell.paragraphs[0]._p)
    if spec.parent:
        _para(left_cell, spec.parent, size=13)
    issuer_p = _para(left_cell, spec.issuer, size=13, bold=True)
    if spec.issuer_rule:
        issuer_p._p.append(parse_xml(_line_vml()))
    _para(left_cell, "", size=13)
    _para(left_cell, spec.number, size=13)
    if spec.vv:
        _para(left_cell, spec.vv, size=12).paragraph_format.space_before = Pt(6)

    _para(right_cell, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13, bold=True)
    motto_p = _para(right_cell, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True)
    if spec.motto_rule:
        motto_p._p.append(parse_xml(_line_dml(1, 2160000)))
    _para(right_cell, "", size=13)
    _para(right_cell, spec.date, size=14, italic=True)

    for mark in spec.marks:
        _para(doc, mark, size=13, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)

    if spec.title:
        title_p = _para(doc, spec.title, size=14, bold=True)
        title_p.paragraph_format.space_before = Pt(18)
        subject_p = _para(doc, "\n".join(spec.subject), size=14, bold=True)
        if spec.title_rule:
            ppr = subject_p._p.get_or_add_pPr()
            ppr.append(
                parse_xml(
                    f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1"'
                    ' w:color="auto"/></w:pBdr>'
                )
            )
            subject_p.paragraph_format.left_indent = Cm(5)
            subject_p.paragraph_format.right_indent = Cm(5)
        _para(doc, "", size=14)

    for i, line in enumerate(spec.addressees):
        p = _para(doc, line, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
        p.paragraph_format.space_before = Pt(12 if i == 0 else 0)

    for text in spec.body:
        p = doc.add_paragraph(text, style="Decree Body")
        if spec.body_align != WD_ALIGN_PARAGRAPH.JUSTIFY:
            p.alignment = spec.body_align

    # Ô 7 and ô 9: Nơi nhận on the left, the signature on the right.
    closing = doc.add_table(rows=1, cols=2)
    rec_cell, sig_cell = closing.rows[0].cells
    rec_cell.width, sig_cell.width = Cm(7.5), Cm(8.5)
    for cell in (rec_cell, sig_cell):
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    label = _para(
        rec_cell, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT
    )
    label.paragraph_format.space_before = Pt(12)
    for line in spec.recipients:
        _para(rec_cell, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    first = True
    for line in spec.authority:
        p = _para(sig_cell, line, size=14, bold=True)
        if first:
            p.paragraph_format.space_before = Pt(12)
            first = False
    for _ in range(3):
        _para(sig_cell, "", size=14)
    _para(sig_cell, spec.name, size=14, bold=True)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def edit_part(data: bytes, part: str, change: Callable[[etree._Element], None]) -> bytes:
    """Rewrite one XML part of a .docx (e.g. 'word/styles.xml') through `change(root)`."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == part:
                root = etree.fromstring(content)
                change(root)
                content = etree.tostring(
                    root, xml_declaration=True, encoding="UTF-8", standalone=True
                )
            dst.writestr(item, content)
    return out.getvalue()


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def paragraph_with(root: etree._Element, text: str) -> etree._Element:
    """The first w:p whose text starts with `text`."""
    for p in root.iter(w("p")):
        if "".join(t.text or "" for t in p.iter(w("t"))).startswith(text):
            return p
    raise LookupError(text)
