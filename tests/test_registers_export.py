import csv
import io
from datetime import date, datetime

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook

from workflow.content import DocumentContent, read
from workflow.directory import Directory
from workflow.recipients import dispatch_targets, print_count
from workflow.registers_export import (
    COLUMNS,
    FIRST_ROW,
    HEADER_ROW,
    TITLE,
    ExportError,
    export,
    register_row,
)

from .conftest import SEED


@pytest.fixture(scope="module")
def rows():
    directory = Directory.load()
    seed = read(SEED)
    data = seed.model_dump(mode="json")
    cv = DocumentContent.model_validate(
        {
            **data,
            "doc_type": "cong_van",
            "subject": "V/v báo cáo công tác văn phòng\nnăm học 2021-2022",
            "addressees": ["Các sở giáo dục và đào tạo"],
            "recipients": [
                {"name": "Như trên"},
                {"name": "Bộ trưởng", "purpose": "để b/c", "ref": "bgddt.bo-truong"},
            ],
            "drafter_initials": "NVA",
            "archive_copies": 3,
        }
    )
    made = []
    for number, content, issued in (("07", seed, date(2021, 9, 20)), ("08", cv, date(2021, 9, 21))):
        targets = dispatch_targets(content, directory)
        made.append(
            register_row(
                content,
                number_symbol=f"{number}/{content.symbol}",
                issued=issued,
                copies=print_count(content, targets),
                transfer_date=issued,
                received=f"Đã nhận {len(targets)}/{len(targets)}",
                note="Gửi điện tử",
            )
        )
    return made


def test_rows_are_derived_from_the_documents(rows):
    seed_row, cv_row = rows
    assert seed_row.number_symbol == "07/TB-BGDĐT"
    assert seed_row.type_and_subject.startswith("Thông báo: Kết luận của Thứ trưởng")
    assert "\n" not in seed_row.type_and_subject
    assert seed_row.signer == "Trần Quang Nam"
    assert seed_row.recipients == (
        "Bộ trưởng (để b/c); Các Thứ trưởng (để b/c); Các đơn vị thuộc Bộ (để t/h);"
        " Các sở giáo dục và đào tạo (để t/h)"
    )
    assert seed_row.archive == "VT, VP"
    assert seed_row.copies == 63 + 26 + 2
    assert cv_row.type_and_subject == "Công văn V/v báo cáo công tác văn phòng năm học 2021-2022"
    assert cv_row.archive == "VT, VP NVA (3)"
    assert cv_row.copies == 63 + 1 + 3


def test_xlsx_opens_in_openpyxl_with_the_ten_columns_filled(rows):
    data = export(rows, "xlsx", issuer="Bộ Giáo dục và Đào tạo", series="BGDĐT/VB", year=2021)
    ws = load_workbook(io.BytesIO(data)).active
    assert ws.cell(1, 1).value == "BỘ GIÁO DỤC VÀ ĐÀO TẠO"
    assert ws.cell(2, 1).value == TITLE
    assert ws.cell(3, 1).value == "Sổ: BGDĐT/VB - Năm 2021"
    assert [ws.cell(HEADER_ROW, c).value for c in range(1, 11)] == list(COLUMNS)
    assert [ws.cell(HEADER_ROW + 1, c).value for c in range(1, 11)] == [
        f"({i})" for i in range(1, 11)
    ]
    assert ws.max_row == FIRST_ROW + len(rows) - 1
    for r, row in enumerate(rows, start=FIRST_ROW):
        cells = [ws.cell(r, c).value for c in range(1, 11)]
        assert all(v not in (None, "") for v in cells), cells
        assert cells[0] == row.number_symbol
        assert cells[1] == datetime(row.date.year, row.date.month, row.date.day)
        assert ws.cell(r, 2).number_format == "DD/MM/YYYY"
        assert cells[6] == row.copies
        assert cells[7] == datetime.combine(row.transfer_date, datetime.min.time())
        assert cells[2:6] == [row.type_and_subject, row.signer, row.recipients, row.archive]
        assert cells[8:] == [row.received, row.note]
    assert ws.page_setup.orientation == "landscape"
    assert ws.freeze_panes == f"A{FIRST_ROW}"


def test_csv_has_the_header_and_one_line_per_document(rows):
    data = export(rows, "csv", issuer="x", series="BGDĐT/VB", year=2021)
    assert data.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == list(COLUMNS)
    assert table[1][:3] == ["07/TB-BGDĐT", "20/09/2021", rows[0].type_and_subject]
    assert table[2][6:8] == ["67", "21/09/2021"]
    assert all(all(cell for cell in line) for line in table)


def test_docx_is_a4_landscape_times_new_roman(rows):
    data = export(rows, "docx", issuer="Bộ Giáo dục và Đào tạo", series="BGDĐT/VB", year=2021)
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert round(section.page_width.cm, 1) == 29.7 and round(section.page_height.cm, 1) == 21.0
    assert [p.text for p in doc.paragraphs[:3]] == [
        "BỘ GIÁO DỤC VÀ ĐÀO TẠO",
        TITLE,
        "Sổ: BGDĐT/VB - Năm 2021",
    ]
    [table] = doc.tables
    assert [c.text for c in table.rows[0].cells] == list(COLUMNS)
    assert len(table.rows) == 2 + len(rows)
    assert [c.text for c in table.rows[2].cells][:2] == ["07/TB-BGDĐT", "20/09/2021"]
    assert all(c.text for row in table.rows[2:] for c in row.cells)
    run = table.rows[2].cells[2].paragraphs[0].runs[0]
    assert run.font.name == "Times New Roman"
    assert doc.styles["Normal"].font.name == "Times New Roman"


def test_unknown_format_is_refused(rows):
    with pytest.raises(ExportError, match="xlsx, csv, docx"):
        export(rows, "pdf", issuer="x", series="s", year=2021)
