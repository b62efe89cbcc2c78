"""The dispatch slip (phiếu gửi) that travels with a paper copy and comes back signed."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from workflow.content import DocumentContent
from workflow.vietnamese import date_words, nfc

FONT = "Times New Roman"


def dispatch_slip(
    content: DocumentContent,
    *,
    number: str,
    issued: date,
    receiver: str,
    address: str | None,
    copies: int = 1,
) -> bytes:
    """A one-page .docx: who sends what to whom, and a line for the receiver to sign."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3.0), Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.0)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(slot), FONT)

    def line(text: str, *, bold: bool = False, centred: bool = False) -> None:
        para = doc.add_paragraph()
        run = para.add_run(nfc(text))
        run.bold = bold
        if centred:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER

    line(content.issuer.name, bold=True)
    line("PHIẾU GỬI", bold=True, centred=True)
    line(f"Kính gửi: {receiver}")
    if address:
        line(f"Địa chỉ: {address}")
    line(
        f"{content.issuer.name.title()} gửi kèm theo {content.type.name.lower()}"
        f" số {number}/{content.symbol} {date_words(issued)}"
    )
    subject = " ".join(content.subject.splitlines())
    if subject:
        line(f"Trích yếu: {'V/v ' if not content.type.typed else ''}{subject}")
    line(f"Số bản: {copies:02d}")
    line("Đề nghị quý cơ quan ký nhận và gửi lại phiếu này.")
    line("Ngày nhận: ……/……/………   Người nhận ký, ghi rõ họ tên: ……………………")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
