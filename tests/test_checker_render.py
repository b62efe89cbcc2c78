"""The renderer's output through the checker: every fixture and every layout family conforms
as a draft and as issued; the checker still catches faults planted in rendered files."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from numbering.doctypes import DOC_TYPES, DocType, Family
from tests.checker_docs import edit_part, w
from tests.conftest import DOCUMENTS, SEED
from workflow.content import DocumentContent, load, read
from workflow.rendering import render
from workflow.rendering.checker import check
from workflow.rendering.docxread import Docx

FIXTURES = sorted(DOCUMENTS.glob("*.yaml"))
ISSUES = [(7, date(2022, 1, 5)), (12, date(2022, 3, 15)), (123, date(2021, 12, 31))]


def describe(found) -> str:
    return "\n".join(f"{v.rule} | {v.where} | {v.message}" for v in found)


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture_draft_conforms(path):
    found = check(render(read(path)), draft=True)
    assert found == [], describe(found)


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
@pytest.mark.parametrize(("number", "issued"), ISSUES, ids=[str(n) for n, _ in ISSUES])
def test_fixture_issued_conforms(path, number, issued):
    found = check(render(read(path), number, issued))
    assert found == [], describe(found)


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture_draft_is_not_an_issued_document(path):
    content = read(path)
    found = check(render(content))
    # A biên bản has no place-and-date line (Mẫu 1.9), so only its number is missing.
    missing = {"NUMBER.MISSING"} | (
        set() if content.type.family is Family.BIEN_BAN else {"DATE.MISSING"}
    )
    assert {v.rule for v in found} == missing, describe(found)


def _seed_as(doc_type: DocType) -> DocumentContent:
    """The seed's content under another type, with what that type's template needs."""
    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    data["doc_type"] = doc_type.id
    family = doc_type.family
    if family is Family.CONG_VAN:
        data["subject"] = "Triển khai công tác văn phòng năm học 2021-2022"
        data["addressees"] = ["Các sở giáo dục và đào tạo", "Các đơn vị thuộc Bộ"]
        data["recipients"] = [{"name": "Như trên"}, *data["recipients"]]
    if family in (Family.QUYET_DINH, Family.NGHI_QUYET):
        data["enacting_authority"] = "BỘ TRƯỞNG BỘ GIÁO DỤC VÀ ĐÀO TẠO"
        data["bases"] = [
            "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công"
            " tác văn thư",
            "Theo đề nghị của Chánh Văn phòng",
        ]
        data["recipients"] = [{"name": "Như Điều 3"}, *data["recipients"]]
    if family is Family.CONG_DIEN:
        data["enacting_authority"] = "BỘ TRƯỞNG BỘ GIÁO DỤC VÀ ĐÀO TẠO"
        data["addressees"] = ["Giám đốc các sở giáo dục và đào tạo"]
    if family is Family.BIEN_BAN:
        data["signature"] = {"authority": "CHỦ TỌA", "name": "Hoàng Minh Sơn"}
        data["co_signature"] = {"authority": "THƯ KÝ", "name": "Trần Quang Nam"}
    return load(data)


@pytest.mark.parametrize("doc_type", DOC_TYPES, ids=[t.id for t in DOC_TYPES])
def test_every_type_renders_conforming(doc_type):
    content = _seed_as(doc_type)
    found = check(render(content), draft=True)
    assert found == [], describe(found)
    found = check(render(content, 9, date(2022, 2, 3)))
    assert found == [], describe(found)


def test_marks_parent_agency_and_contact_conform():
    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    data.update(
        urgency="Hỏa tốc",
        secrecy="Mật",
        circulation="LƯU HÀNH NỘI BỘ",
        issuer={"name": "SỞ NỘI VỤ", "parent": "UBND TỈNH LÀO CAI", "code": "SNV"},
        place="Lào Cai",
        drafter_initials="NXT",
        archive_copies=2,
        contact="Địa chỉ: 35 Đại Cồ Việt, Hà Nội; ĐT: 024.38695144",
        appendices=[{"title": "Danh sách các đơn vị", "body": "1. Văn phòng\n\n2. Vụ Pháp chế"}],
    )
    content = load(data)
    found = check(render(content, 10, date(2022, 10, 10)))
    assert found == [], describe(found)


@pytest.fixture(scope="module")
def with_appendix() -> bytes:
    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    data["appendices"] = [{"title": "Danh sách các đơn vị", "body": "1. Văn phòng"}]
    data["contact"] = "Địa chỉ: 35 Đại Cồ Việt, Hà Nội"
    return render(load(data), 7, date(2022, 1, 5))


def test_appendix_must_restart_page_numbers(with_appendix):
    def continue_numbers(root):
        for pg in list(root.iter(w("pgNumType"))):
            pg.getparent().remove(pg)

    found = check(edit_part(with_appendix, "word/document.xml", continue_numbers))
    assert {v.rule for v in found} == {"PAGE.NUMBER"}, describe(found)
    assert found[0].where == "section 2"


def test_contact_details_size_and_rule(with_appendix):
    part = Docx(with_appendix).sections[0].footers["first"]

    def big_and_bare(root):
        for sz in root.iter(w("sz")):
            sz.set(w("val"), "28")
        for bdr in list(root.iter(w("pBdr"))):
            bdr.getparent().remove(bdr)

    found = check(edit_part(with_appendix, part, big_and_bare))
    assert {v.rule for v in found} == {"CONTACT.FORMAT"}, describe(found)
    assert {("14 pt" in v.message, "solid line" in v.message) for v in found} == {
        (True, False),
        (False, True),
    }


def test_rendered_number_without_leading_zero_is_caught():
    data = render(read(SEED), 7, date(2022, 1, 5))

    def strip_zero(root):
        for t in root.iter(w("t")):
            if t.text == "07":
                t.text = "7"

    found = check(edit_part(data, "word/document.xml", strip_zero))
    assert {v.rule for v in found} == {"NUMBER.LEADING_ZERO"}, describe(found)


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture_through_the_cli(path, tmp_path, capsys):
    from api.cli import main

    drafted = tmp_path / "draft.docx"
    drafted.write_bytes(render(read(path)))
    issued_file = tmp_path / "issued.docx"
    issued_file.write_bytes(render(read(path), 1, date(2022, 2, 1)))
    assert main(["check", "--draft", str(drafted)]) == 0
    assert main(["check", str(issued_file)]) == 0
    assert main(["check", str(drafted)]) == 1
    capsys.readouterr()
