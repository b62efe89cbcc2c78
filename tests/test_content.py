import unicodedata

import pytest
from pydantic import ValidationError

from numbering.doctypes import DOC_TYPES, Family, lookup
from workflow.content import DocumentContent, read
from workflow.errors import InvalidContent

from .conftest import SEED

BASE = {
    "doc_type": "thong_bao",
    "issuer": {"name": "Bộ Giáo dục và Đào tạo", "code": "BGDĐT"},
    "drafting_unit": {"name": "Văn phòng", "code": "VP"},
    "place": "Hà Nội",
    "subject": "Kết luận",
    "signature": {"authority": "TL. BỘ TRƯỞNG / CHÁNH VĂN PHÒNG", "name": "Trần Quang Nam"},
}


def make(**changes):
    return DocumentContent.model_validate({**BASE, **changes})


def test_seed_fixture_loads_with_the_seed_facts():
    doc = read(SEED)
    assert doc.issuer.name == "BỘ GIÁO DỤC VÀ ĐÀO TẠO"
    assert doc.symbol == "TB-BGDĐT"
    assert doc.subject.count("\n") == 2
    assert str(doc.signature) == "TL. BỘ TRƯỞNG / CHÁNH VĂN PHÒNG"
    assert doc.signature.name == "Trần Quang Nam"
    assert doc.recipient_lines() == [
        "- Bộ trưởng (để b/c);",
        "- Các Thứ trưởng (để b/c);",
        "- Các đơn vị thuộc Bộ (để t/h);",
        "- Các sở giáo dục và đào tạo (để t/h);",
        "- Lưu: VT, VP.",
    ]
    assert "[^1]" in doc.body and "[^2]" in doc.body


def test_there_are_29_types_each_with_a_family():
    assert len(DOC_TYPES) == 29
    assert len({t.id for t in DOC_TYPES}) == 29
    assert all(isinstance(t.family, Family) for t in DOC_TYPES)
    assert lookup("TB").id == "thong_bao"
    assert lookup("Thông báo").id == "thong_bao"
    assert lookup("QyĐ").id == "quy_dinh"
    assert lookup("QĐ").id == "quyet_dinh"
    assert lookup("Công văn").abbr is None


def test_unknown_type_names_the_choices():
    with pytest.raises(ValidationError, match="unknown document type 'XYZ'"):
        make(doc_type="XYZ")


def test_content_is_normalised_to_nfc_and_capitals():
    nfd = unicodedata.normalize("NFD", "Bộ Giáo dục và Đào tạo")
    doc = make(issuer={"name": nfd, "code": "BGDĐT"}, subject=unicodedata.normalize("NFD", "Đào"))
    assert doc.issuer.name == "BỘ GIÁO DỤC VÀ ĐÀO TẠO"
    assert unicodedata.is_normalized("NFC", doc.subject)


@pytest.mark.parametrize(
    ("authority", "lines"),
    [
        ("TL. BỘ TRƯỞNG / CHÁNH VĂN PHÒNG", ["TL. BỘ TRƯỞNG", "CHÁNH VĂN PHÒNG"]),
        ("KT. BỘ TRƯỞNG / THỨ TRƯỞNG", ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"]),
        (
            "TL. BỘ TRƯỞNG / KT. VỤ TRƯỞNG VỤ THI ĐUA - KHEN THƯỞNG / PHÓ VỤ TRƯỞNG",
            ["TL. BỘ TRƯỞNG", "KT. VỤ TRƯỞNG VỤ THI ĐUA - KHEN THƯỞNG", "PHÓ VỤ TRƯỞNG"],
        ),
        (
            "TM. Ủy ban nhân dân / KT. Chủ tịch / Phó Chủ tịch",
            ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        ),
        ("BỘ TRƯỞNG", ["BỘ TRƯỞNG"]),
        ("Q. GIÁM ĐỐC", ["Q. GIÁM ĐỐC"]),
        (["TUQ. BỘ TRƯỞNG", "CHÁNH VĂN PHÒNG"], ["TUQ. BỘ TRƯỞNG", "CHÁNH VĂN PHÒNG"]),
    ],
)
def test_signature_chains(authority, lines):
    doc = make(signature={"authority": authority, "name": "Nguyễn Văn A"})
    assert [str(line) for line in doc.signature.authority] == lines


@pytest.mark.parametrize(
    ("authority", "message"),
    [
        ("TT. BỘ TRƯỞNG / CHÁNH VĂN PHÒNG", "prefix TT. is not allowed"),
        ("TL. BỘ TRƯỞNG", "takes no prefix"),
        ("BỘ TRƯỞNG / CHÁNH VĂN PHÒNG", "must start with TM., KT., TL. or TUQ."),
        (
            "TUQ. BỘ TRƯỞNG / KT. CHÁNH VĂN PHÒNG / PHÓ CHÁNH VĂN PHÒNG",
            "TUQ. cannot be re-delegated",
        ),
        ("TL. BỘ TRƯỞNG / TM. ỦY BAN / CHỦ TỊCH", "TM. .* can only open"),
        ("KT. BỘ TRƯỞNG / TL. X / CHÁNH VĂN PHÒNG", "KT. .* directly above"),
    ],
)
def test_bad_signature_chains_are_refused_with_the_rule(authority, message):
    with pytest.raises(ValidationError, match=message):
        make(signature={"authority": authority, "name": "Nguyễn Văn A"})


def test_errors_name_the_field():
    with pytest.raises(ValidationError) as info:
        make(signature={"authority": "TT. X / Y", "name": "A"})
    problems = InvalidContent.from_pydantic(info.value).problems
    assert problems[0][0] == "signature.authority.0"


def test_as_above_only_where_there_is_a_kinh_gui():
    with pytest.raises(ValidationError, match="'Như trên' needs a Kính gửi"):
        make(recipients=["Như trên", "Bộ trưởng"])
    cv = make(
        doc_type="cong_van", addressees=["Các sở giáo dục và đào tạo"], recipients=["Như trên"]
    )
    assert cv.recipient_lines()[0] == "- Như trên;"
    with pytest.raises(ValidationError, match="Như Điều 3"):
        make(recipients=["Như Điều 3"])
    qd = make(doc_type="QĐ", recipients=["Như Điều 3"])
    assert qd.recipient_lines()[0] == "- Như Điều 3;"


def test_cong_van_symbol_and_vv_prefix():
    cv = make(doc_type="cong_van", subject="V/v tổ chức hội nghị")
    assert cv.symbol == "BGDĐT-VP"
    assert cv.subject == "tổ chức hội nghị"


def test_archive_line_is_derived():
    assert make().archive_line() == "- Lưu: VT, VP."
    assert make(drafter_initials="NXT", archive_copies=2).archive_line() == "- Lưu: VT, VP NXT (2)."
    bb = make(doc_type="bien_ban", co_signature={"authority": "THƯ KÝ", "name": "B"})
    assert bb.archive_line() == "- Lưu: VT, Hồ sơ."


def test_marks_accept_any_case_and_tone_placement():
    doc = make(urgency="hoả tốc", secrecy="MẬT")
    assert (doc.urgency, doc.secrecy) == ("Hỏa tốc", "Mật")
    with pytest.raises(ValidationError, match="urgency must be one of"):
        make(urgency="gấp")


def test_codes_are_checked():
    with pytest.raises(ValidationError, match="is not a code"):
        make(issuer={"name": "BỘ X", "code": "BG DĐT"})


def test_extra_fields_are_refused():
    with pytest.raises(ValidationError, match="Extra inputs"):
        make(numbr=7)


def test_hash_is_stable_and_content_sensitive():
    a, b = make(), make()
    assert a.sha256() == b.sha256()
    assert make(subject="Khác").sha256() != a.sha256()
