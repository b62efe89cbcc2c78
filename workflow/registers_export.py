"""The outgoing register (sổ đăng ký văn bản đi, Phụ lục IV, I) as .xlsx, .csv and .docx.

A register kept in the System must be printable and bound (Điều 16.2.b): the ten columns of the
decree, one row per issued document, from plain rows the store assembles.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.styles.style import _ParagraphStyle
from docx.table import _Cell
from docx.text.run import Run
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from workflow.content import DocumentContent
from workflow.errors import VanthuError
from workflow.vietnamese import collapse_spaces, nfc

Format = Literal["xlsx", "csv", "docx"]
FORMATS: tuple[str, ...] = ("xlsx", "csv", "docx")
TITLE = "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
COLUMNS: tuple[str, ...] = (
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)
# Widths in characters (xlsx) and their share of the landscape page (docx).
_WIDTHS = (14, 12, 44, 18, 40, 16, 8, 12, 18, 18)
HEADER_ROW = 5  # xlsx: column titles on row 5, "(1)…(10)" on row 6, documents from row 7
FIRST_ROW = 7
FONT = "Times New Roman"


class ExportError(VanthuError):
    code = "export_error"


@dataclass(frozen=True)
class RegisterRow:
    """One issued document as the register's ten columns show it."""

    number_symbol: str  # (1) "07/TB-BGDĐT"
    date: date  # (2)
    type_and_subject: str  # (3) "Thông báo: Kết luận của …"
    signer: str  # (4)
    recipients: str  # (5) "Bộ trưởng (để b/c); Các Thứ trưởng (để b/c); …"
    archive: str  # (6) "VT, VP"
    copies: int  # (7)
    transfer_date: date | None  # (8) the day it was dispatched
    received: str  # (9) who signed for it, or the delivery receipts
    note: str  # (10)

    def values(self) -> list[str | int | date | None]:
        return [
            self.number_symbol,
            self.date,
            self.type_and_subject,
            self.signer,
            self.recipients,
            self.archive,
            self.copies,
            self.transfer_date,
            self.received,
            self.note,
        ]


def _one_line(text: str) -> str:
    return collapse_spaces(" ".join(text.splitlines()))


def type_and_subject(content: DocumentContent) -> str:
    """Column (3): "Thông báo: Kết luận …"; a công văn: "Công văn V/v …"."""
    subject = _one_line(content.subject)
    if not subject:
        return content.type.name
    return (
        f"{content.type.name}: {subject}"
        if content.type.typed
        else f"{content.type.name} V/v {subject}"
    )


def archive_holders(content: DocumentContent) -> str:
    """Column (6): who keeps the copies, read off the "Lưu:" line ("VT, VP")."""
    return content.archive_line().removeprefix("- Lưu:").strip().rstrip(".")


def register_row(
    content: DocumentContent,
    *,
    number_symbol: str,
    issued: date,
    copies: int,
    transfer_date: date | None,
    received: str,
    note: str,
) -> RegisterRow:
    """A row from the document itself; copies (7) and (8)–(10) come from its dispatch."""
    return RegisterRow(
        number_symbol=number_symbol,
        date=issued,
        type_and_subject=type_and_subject(content),
        signer=content.signature.name,
        recipients="; ".join(r.line().removeprefix("- ") for r in content.recipients),
        archive=archive_holders(content),
        copies=copies,
        transfer_date=transfer_date,
        received=received,
        note=note,
    )


def _dmy(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _text(value: str | int | date | None) -> str:
    if isinstance(value, date):
        return _dmy(value)
    return "" if value is None else nfc(str(value))


def to_csv(rows: Iterable[RegisterRow]) -> bytes:
    """UTF-8 with a byte-order mark (so spreadsheet programs read the diacritics), one header."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_text(v) for v in row.values()])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(rows: Iterable[RegisterRow], *, issuer: str, series: str, year: int) -> bytes:
    """A sheet laid out for printing: title, column titles, "(1)…(10)", one row per document."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"Sổ đi {year}"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    last = get_column_letter(len(COLUMNS))
    for r, (text, size) in enumerate(
        ((nfc(issuer).upper(), 12), (TITLE, 14), (f"Sổ: {series} - Năm {year}", 12)), start=1
    ):
        ws.merge_cells(f"A{r}:{last}{r}")
        ws.cell(r, 1, text).font = Font(name=FONT, size=size, bold=r <= 2)
        ws.cell(r, 1).alignment = centre
    for c, (title, width) in enumerate(zip(COLUMNS, _WIDTHS, strict=True), start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
        for r, text in ((HEADER_ROW, title), (HEADER_ROW + 1, f"({c})")):
            cell = ws.cell(r, c, text)
            cell.font = Font(name=FONT, size=11, bold=r == HEADER_ROW)
            cell.alignment, cell.border = centre, box
    r = FIRST_ROW
    for row in rows:
        for c, value in enumerate(row.values(), start=1):
            cell = ws.cell(r, c, nfc(value) if isinstance(value, str) else value)
            cell.font, cell.alignment, cell.border = Font(name=FONT, size=11), wrap, box
            if isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
        r += 1
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.properties.title = f"{TITLE} - {series} - {year}"
    wb.properties.created = wb.properties.modified = datetime(year, 1, 1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _font(target: Run | _ParagraphStyle, size: float, bold: bool = False) -> None:
    """Times New Roman for every script slot, so Vietnamese text never falls back to another."""
    target.font.name, target.font.size, target.font.bold = FONT, Pt(size), bold
    rfonts = target.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(slot), FONT)


def _cell(cell: _Cell, text: str, size: float, bold: bool = False, centred: bool = False) -> None:
    para = cell.paragraphs[0]
    run = para.add_run(text)
    _font(run, size, bold)
    if centred:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER


def to_docx(rows: Iterable[RegisterRow], *, issuer: str, series: str, year: int) -> bytes:
    """A4 landscape, Times New Roman, the ten columns with the title rows repeated per page."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin, section.right_margin = Cm(2.0), Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(2.0)
    _font(doc.styles["Normal"], 12)
    for text, size, bold in (
        (nfc(issuer).upper(), 12, False),
        (TITLE, 14, True),
        (f"Sổ: {series} - Năm {year}", 12, False),
    ):
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(para.add_run(text), size, bold)
    rows = list(rows)
    table = doc.add_table(rows=2 + len(rows), cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    usable = 29.7 - 2.0 - 1.5
    for c, width in enumerate(_WIDTHS):
        for cell in table.columns[c].cells:
            cell.width = Cm(usable * width / sum(_WIDTHS))
    for c, title in enumerate(COLUMNS):
        _cell(table.cell(0, c), title, 11, bold=True, centred=True)
        _cell(table.cell(1, c), f"({c + 1})", 11, centred=True)
    for r in (0, 1):  # repeat the column titles on every printed page
        trpr = table.rows[r]._tr.get_or_add_trPr()
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        trpr.append(header)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row.values()):
            _cell(table.cell(r, c), _text(value), 11)
    doc.core_properties.title = f"{TITLE} - {series} - {year}"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def export(rows: Iterable[RegisterRow], fmt: str, *, issuer: str, series: str, year: int) -> bytes:
    """The register in one of FORMATS."""
    if fmt == "xlsx":
        return to_xlsx(rows, issuer=issuer, series=series, year=year)
    if fmt == "csv":
        return to_csv(rows)
    if fmt == "docx":
        return to_docx(rows, issuer=issuer, series=series, year=year)
    raise ExportError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
