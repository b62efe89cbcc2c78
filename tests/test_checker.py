"""The format checker on documents built from scratch the way Word writes them: the seed notice
conforms in both modes, and each deliberately broken variant is caught with the right rule id
(and nothing unrelated)."""

from __future__ import annotations

import io
import unicodedata
import zipfile

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from tests.checker_docs import (
    build,
    cong_van,
    draft,
    edit_part,
    issued,
    paragraph_with,
    w,
)
from workflow.errors import VanthuError
from workflow.rendering.checker import RULES, UnreadableDocument, Violation, check


def rules(violations: list[Violation]) -> set[str]:
    assert all(v.rule in RULES for v in violations), violations
    return {v.rule for v in violations}


def only(violations: list[Violation], rule: str) -> list[Violation]:
    """Assert every violation is of `rule` (at least one) and return them."""
    assert rules(violations) == {rule}, "\n".join(
        f"{v.rule} | {v.where} | {v.message}" for v in violations
    )
    return violations


@pytest.fixture(scope="module")
def issued_docx() -> bytes:
    return build(issued())


@pytest.fixture(scope="module")
def draft_docx() -> bytes:
    return build(draft())


# -- conforming documents ---------------------------------------------------------------------


def test_issued_notice_conforms(issued_docx):
    assert check(issued_docx) == []


def test_issued_notice_also_conforms_in_draft_mode(issued_docx):
    assert check(issued_docx, draft=True) == []


def test_draft_notice_conforms_in_draft_mode(draft_docx):
    assert check(draft_docx, draft=True) == []


def test_draft_without_draft_mode_misses_number_and_date(draft_docx):
    found = check(draft_docx)
    assert rules(found) == {"NUMBER.MISSING", "DATE.MISSING"}
    number = next(v for v in found if v.rule == "NUMBER.MISSING")
    assert "table 1, row 1, cell 1" in number.where


def test_cong_van_conforms():
    assert check(build(cong_van())) == []


def test_path_and_bytes_give_the_same_answer(tmp_path, issued_docx):
    path = tmp_path / "notice.docx"
    path.write_bytes(issued_docx)
    assert check(path) == check(str(path)) == check(issued_docx) == []


# -- page -------------------------------------------------------------------------------------


def test_narrow_margins(issued_docx):
    found = only(check(build(issued(margins_mm=(10, 10, 10, 10)))), "PAGE.MARGINS")
    assert {v.message.split(" margin")[0] for v in found} == {"top", "bottom", "left", "right"}
    assert all(v.where == "section 1" for v in found)
    assert "10.0 mm" in found[0].message


def test_margins_at_the_edges_of_the_ranges_pass():
    assert check(build(issued(margins_mm=(25, 25, 35, 20)))) == []
    found = only(check(build(issued(margins_mm=(20, 20, 30, 21)))), "PAGE.MARGINS")
    assert "right margin 21.0 mm" in found[0].message


def test_us_letter():
    found = only(check(build(issued(page_mm=(215.9, 279.4)))), "PAGE.SIZE")
    assert "216 × 279 mm" in found[0].message


def test_landscape_first_section():
    only(check(build(issued(page_mm=(297, 210)))), "PAGE.SIZE")


def test_page_number_on_page_one():
    found = only(check(build(issued(number_on_page_1=True))), "PAGE.NUMBER")
    assert "titlePg" in found[0].message


def test_long_document_without_page_numbers():
    found = only(check(build(issued(page_number=False))), "PAGE.NUMBER")
    assert "no page number in the header" in found[0].message


def test_short_document_needs_no_page_number():
    spec = issued(page_number=False, body=[*issued().body[:2], "Đề nghị các đơn vị thực hiện./."])
    assert check(build(spec)) == []


def test_page_number_size_and_alignment(issued_docx):
    def small_left(root):
        for sz in root.iter(w("sz")):
            sz.set(w("val"), "20")
        for jc in root.iter(w("jc")):
            jc.set(w("val"), "left")

    found = only(check(edit_part(issued_docx, "word/header1.xml", small_left)), "PAGE.NUMBER")
    assert {("10 pt" in v.message) or ("aligned left" in v.message) for v in found} == {True}
    assert len(found) == 2
    assert found[0].where.startswith("header (page 2+), paragraph 1")


def test_page_number_in_first_page_header(issued_docx):
    def copy_header(data: bytes) -> bytes:
        src = zipfile.ZipFile(io.BytesIO(data))
        header = src.read("word/header1.xml")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as dst:
            for item in src.infolist():
                content = src.read(item.filename)
                if item.filename == "word/_rels/document.xml.rels":
                    content = content.replace(
                        b"</Relationships>",
                        b'<Relationship Id="rIdFirst" Type="http://schemas.openxmlformats.org/'
                        b'officeDocument/2006/relationships/header" Target="header9.xml"/>'
                        b"</Relationships>",
                    )
                dst.writestr(item, content)
            dst.writestr("word/header9.xml", header)
        return out.getvalue()

    def add_first(root):
        sect = root.find(f"{w('body')}/{w('sectPr')}")
        ref = sect.makeelement(
            w("headerReference"),
            {
                w("type"): "first",
                "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id": (
                    "rIdFirst"
                ),
            },
        )
        sect.insert(0, ref)

    data = edit_part(copy_header(issued_docx), "word/document.xml", add_first)
    found = only(check(data), "PAGE.NUMBER")
    assert found[0].where == "header (page 1)"


# -- fonts, language, colour, NFC -------------------------------------------------------------


def test_arial_in_a_style():
    found = only(check(build(issued(body_font="Arial"))), "FONT.FAMILY")
    assert len(found) == 1  # one fault in the style, reported once with a count
    assert "Arial in ascii, hAnsi, eastAsia, cs" in found[0].message
    assert "more places" in found[0].where


def _run_fonts(data: bytes, text: str, **slots: str) -> bytes:
    def change(root):
        p = paragraph_with(root, text)
        r = p.find(w("r"))
        rpr = _rpr(r)
        fonts = rpr.makeelement(w("rFonts"), {w(k): v for k, v in slots.items()})
        rpr.insert(0, fonts)

    return edit_part(data, "word/document.xml", change)


def test_arial_directly_on_a_run(issued_docx):
    data = _run_fonts(issued_docx, "Sau khi nghe", ascii="Arial", hAnsi="Arial")
    found = only(check(data), "FONT.FAMILY")
    assert "Arial in ascii, hAnsi" in found[0].message
    assert "Sau khi nghe" in found[0].where


def test_arial_only_in_the_east_asian_slot(issued_docx):
    data = _run_fonts(issued_docx, "CỘNG HÒA", eastAsia="Arial")
    found = only(check(data), "FONT.FAMILY")
    assert "Arial in eastAsia;" in found[0].message
    assert "table 1, row 1, cell 2" in found[0].where


def _strip_normal_fonts(root):
    normal = next(s for s in root.iter(w("style")) if s.get(w("styleId")) == "Normal")
    rpr = normal.find(w("rPr"))
    rpr.remove(rpr.find(w("rFonts")))


def test_theme_fonts_are_resolved_through_the_theme(issued_docx):
    # Without Normal's explicit fonts the docDefaults' theme fonts apply: minorHAnsi is Cambria
    # in this theme, and minorEastAsia / minorBidi name no typeface at all.
    data = edit_part(issued_docx, "word/styles.xml", _strip_normal_fonts)
    found = only(check(data), "FONT.FAMILY")
    assert "Cambria in ascii, hAnsi" in found[0].message
    assert "eastAsia" in found[0].message and "cs" in found[0].message

    def theme_times(root):
        a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
        for font in root.iter(f"{a}minorFont"):
            for tag in ("latin", "ea", "cs"):
                font.find(f"{a}{tag}").set("typeface", "Times New Roman")

    assert check(edit_part(data, "word/theme/theme1.xml", theme_times)) == []


def test_language_not_vietnamese(issued_docx):
    def english(root):
        for lang in root.iter(w("lang")):
            lang.set(w("val"), "en-US")

    found = only(check(edit_part(issued_docx, "word/styles.xml", english)), "FONT.LANG")
    assert "language en-US" in found[0].message


def _rpr(r):
    rpr = r.find(w("rPr"))
    if rpr is None:
        rpr = r.makeelement(w("rPr"), {})
        r.insert(0, rpr)
    return rpr


def test_coloured_text(issued_docx):
    def blue(root):
        r = paragraph_with(root, "Sau khi nghe").find(w("r"))
        _rpr(r).append(r.makeelement(w("color"), {w("val"): "0000FF"}))

    found = only(check(edit_part(issued_docx, "word/document.xml", blue)), "FONT.COLOR")
    assert "#0000FF" in found[0].message


def test_red_urgency_mark_is_allowed():
    data = build(issued(marks=["HỎA TỐC"]))

    def red(root):
        r = paragraph_with(root, "HỎA TỐC").find(w("r"))
        r.find(w("rPr")).append(r.makeelement(w("color"), {w("val"): "FF0000"}))

    assert check(edit_part(data, "word/document.xml", red)) == []


def test_decomposed_text(issued_docx):
    def nfd(root):
        p = paragraph_with(root, "Sau khi nghe")
        for t in p.iter(w("t")):
            t.text = unicodedata.normalize("NFD", t.text)

    found = only(check(edit_part(issued_docx, "word/document.xml", nfd)), "TEXT.NFC")
    assert "Sau khi nghe" in found[0].where


def test_deleted_and_hidden_text_is_not_judged(issued_docx):
    def arial_hidden(root):
        p = paragraph_with(root, "Sau khi nghe")
        run = p.find(w("r"))
        deleted = p.makeelement(w("del"), {w("id"): "1", w("author"): "x"})
        dr = p.makeelement(w("r"), {})
        rpr = dr.makeelement(w("rPr"), {})
        rpr.append(dr.makeelement(w("rFonts"), {w("ascii"): "Arial", w("hAnsi"): "Arial"}))
        dr.append(rpr)
        dt = dr.makeelement(w("delText"), {})
        dt.text = "xoá "
        dr.append(dt)
        deleted.append(dr)
        run.addprevious(deleted)
        hidden = p.makeelement(w("r"), {})
        hrpr = hidden.makeelement(w("rPr"), {})
        hrpr.append(hidden.makeelement(w("rFonts"), {w("ascii"): "Arial"}))
        hrpr.append(hidden.makeelement(w("vanish"), {}))
        hidden.append(hrpr)
        ht = hidden.makeelement(w("t"), {})
        ht.text = "ẩn"
        hidden.append(ht)
        run.addprevious(hidden)

    assert check(edit_part(issued_docx, "word/document.xml", arial_hidden)) == []


# -- Quốc hiệu, issuer, number, date, title ---------------------------------------------------


def test_missing_rule_under_the_motto():
    found = only(check(build(issued(motto_rule=False))), "HEADING.RULE")
    assert "Độc lập" in found[0].where


def test_missing_rule_under_the_issuer():
    only(check(build(issued(issuer_rule=False))), "ISSUER.RULE")


def test_missing_rule_under_the_title():
    only(check(build(issued(title_rule=False))), "TITLE.RULE")


def test_national_name_typo_and_all_caps(issued_docx):
    def typo(root):
        paragraph_with(root, "CỘNG HÒA").find(
            f".//{w('t')}"
        ).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIẾT NAM"

    found = only(check(edit_part(issued_docx, "word/document.xml", typo)), "HEADING.NATIONAL")
    assert "VIẾT NAM" in found[0].message

    def all_caps(root):
        p = paragraph_with(root, "CỘNG HÒA")
        p.find(f".//{w('t')}").text = "Cộng hòa xã hội chủ nghĩa Việt Nam"
        p.find(f".//{w('rPr')}").append(p.makeelement(w("caps"), {}))

    found = only(check(edit_part(issued_docx, "word/document.xml", all_caps)), "HEADING.NATIONAL")
    assert any("All caps" in v.message for v in found)


def test_motto_with_dashes(issued_docx):
    def dashes(root):
        paragraph_with(root, "Độc lập").find(f".//{w('t')}").text = "Độc lập – Tự do – Hạnh phúc"

    only(check(edit_part(issued_docx, "word/document.xml", dashes)), "HEADING.MOTTO")


def test_issuer_not_bold_and_parent_agency():
    assert check(build(issued(parent="ỦY BAN NHÂN DÂN TỈNH LÀO CAI", issuer="SỞ NỘI VỤ"))) == []
    data = build(issued(issuer="Bộ Giáo dục và Đào tạo"))
    found = only(check(data), "ISSUER.FORMAT")
    assert "capitals" in found[0].message


@pytest.mark.parametrize("number", ["Số: 7/TB-BGDĐT", "Số: 007/TB-BGDĐT", "Số: 010/TB-BGDĐT"])
def test_number_padding(number):
    found = only(check(build(issued(number=number))), "NUMBER.LEADING_ZERO")
    assert number in found[0].where
    assert "table 1, row 1, cell 1" in found[0].where


@pytest.mark.parametrize("number", ["Số: 10/TB-BGDĐT", "Số: 123/TB-BGDĐT", "Số: 09/TB-BGDĐT"])
def test_numbers_written_right(number):
    assert check(build(issued(number=number))) == []


@pytest.mark.parametrize(
    "number",
    ["Số: 07 / TB-BGDĐT", "Số:07/TB-BGDĐT", "Số: 9389 /TB-BGDĐT", "Số 07/TB-BGDĐT"],
)
def test_number_spacing(number):
    found = only(check(build(issued(number=number))), "NUMBER.FORMAT")
    assert "no spaces inside" in found[0].message


def test_number_symbol_of_another_issuer_and_type():
    # Trap 14: tolerated on import — reported, not a crash.
    found = only(check(build(issued(number="Số: 9389 /BNNMT-BĐKH"))), "NUMBER.FORMAT")
    assert any("does not start with 'TB'" in v.message for v in found)


def test_number_symbol_malformed():
    found = only(check(build(issued(number="Số: 07/TBBGDĐT"))), "NUMBER.FORMAT")
    assert "symbol 'TBBGDĐT'" in found[0].message


def test_number_missing_altogether():
    found = check(build(issued(number="Ký hiệu TB-BGDĐT")))
    assert "NUMBER.MISSING" in rules(found)


@pytest.mark.parametrize(
    ("date", "wrong"),
    [
        ("Hà Nội, ngày 5 tháng 01 năm 2022", ["day written '5'"]),
        ("Hà Nội, ngày 05 tháng 1 năm 2022", ["month written '1'"]),
        ("Hà Nội, ngày 5 tháng 1 năm 2022", ["day written '5'", "month written '1'"]),
        ("Hà Nội, ngày 15 tháng 03 năm 2022", ["month written '03'"]),
        ("Hà Nội, ngày 15 tháng 2 năm 2022", ["month written '2'"]),
    ],
)
def test_date_padding(date, wrong):
    found = only(check(build(issued(date=date))), "DATE.LEADING_ZERO")
    assert sorted(v.message.split(";")[0] for v in found) == sorted(wrong)


@pytest.mark.parametrize(
    "date",
    [
        "Hà Nội, ngày 15 tháng 3 năm 2022",
        "Hà Nội, ngày 31 tháng 12 năm 2022",
        "Cam Đường, ngày 01 tháng 02 năm 2024",
    ],
)
def test_dates_written_right(date):
    assert check(build(issued(date=date))) == []


@pytest.mark.parametrize(
    "date",
    ["Hà Nội, 05/01/2022", "Hà Nội ngày 05 tháng 01 năm 2022", "Hà Nội, ngày 30 tháng 02 năm 2022"],
)
def test_date_format(date):
    only(check(build(issued(date=date))), "DATE.FORMAT")


def test_date_not_italic(issued_docx):
    def upright(root):
        for i in paragraph_with(root, "Hà Nội, ngày").iter(w("i")):
            i.getparent().remove(i)

    found = only(check(edit_part(issued_docx, "word/document.xml", upright)), "DATE.STYLE")
    assert "not italic" in found[0].message


def test_title_not_capitals_and_not_bold(issued_docx):
    def lower(root):
        p = paragraph_with(root, "THÔNG BÁO")
        p.find(f".//{w('t')}").text = "Thông báo"
        for b in p.iter(w("b")):
            b.getparent().remove(b)

    found = only(check(edit_part(issued_docx, "word/document.xml", lower)), "TITLE.FORMAT")
    assert len(found) == 2


# -- body ---------------------------------------------------------------------------------------


def test_left_aligned_body():
    found = only(check(build(issued(body_align=WD_ALIGN_PARAGRAPH.LEFT))), "BODY.ALIGN")
    assert "aligned left" in found[0].message


def _body_style(issued_docx, change):
    def edit(root):
        style = next(s for s in root.iter(w("style")) if s.get(w("styleId")) == "DecreeBody")
        change(style.find(w("pPr")), style)

    return check(edit_part(issued_docx, "word/styles.xml", edit))


def test_body_indent(issued_docx):
    def no_indent(ppr, style):
        ppr.find(w("ind")).set(w("firstLine"), "0")

    found = only(_body_style(issued_docx, no_indent), "BODY.INDENT")
    assert "0.00 cm" in found[0].message

    def one_cm(ppr, style):
        ppr.find(w("ind")).set(w("firstLine"), "567")

    assert _body_style(issued_docx, one_cm) == []


def test_body_spacing(issued_docx):
    def tight(ppr, style):
        ppr.find(w("spacing")).set(w("before"), "40")

    found = only(_body_style(issued_docx, tight), "BODY.SPACING")
    assert "2 pt" in found[0].message

    def after_instead(ppr, style):
        ppr.find(w("spacing")).set(w("before"), "0")
        ppr.find(w("spacing")).set(w("after"), "120")

    assert _body_style(issued_docx, after_instead) == []

    def contextual(ppr, style):
        ppr.append(ppr.makeelement(w("contextualSpacing"), {}))

    only(_body_style(issued_docx, contextual), "BODY.SPACING")


def test_body_line_spacing(issued_docx):
    def double(ppr, style):
        ppr.find(w("spacing")).set(w("line"), "480")

    found = only(_body_style(issued_docx, double), "BODY.LINE_SPACING")
    assert "2 lines" in found[0].message

    def one_and_half(ppr, style):
        ppr.find(w("spacing")).set(w("line"), "360")

    assert _body_style(issued_docx, one_and_half) == []


def test_body_size(issued_docx):
    def small(root):
        for r in paragraph_with(root, "Sau khi nghe").iter(w("r")):
            _rpr(r).append(r.makeelement(w("sz"), {w("val"): "24"}))

    found = only(check(edit_part(issued_docx, "word/document.xml", small)), "BODY.SIZE")
    assert "12 pt" in found[0].message


def test_body_end():
    body = issued().body
    found = only(check(build(issued(body=[*body[:-1], body[-1].removesuffix("/.")]))), "BODY.END")
    assert "./." in found[0].message


# -- signature, Nơi nhận, marks -------------------------------------------------------------------


def test_wrong_authority_prefix():
    found = only(
        check(build(issued(authority=["TT. BỘ TRƯỞNG", "CHÁNH VĂN PHÒNG"]))), "SIGNATURE.PREFIX"
    )
    assert "TT." in found[0].message


def test_tuq_then_kt_is_refused():
    spec = issued(authority=["TUQ. BỘ TRƯỞNG", "KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"])
    found = only(check(build(spec)), "SIGNATURE.PREFIX")
    assert "TUQ." in found[0].message


@pytest.mark.parametrize(
    "authority",
    [
        ["BỘ TRƯỞNG"],
        ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"],
        ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        ["TL. BỘ TRƯỞNG", "KT. VỤ TRƯỞNG VỤ PHÁP CHẾ", "PHÓ VỤ TRƯỞNG"],
        ["Q. BỘ TRƯỞNG"],
    ],
)
def test_authority_chains_the_decree_allows(authority):
    assert check(build(issued(authority=authority))) == []


def test_signer_with_a_degree():
    found = only(check(build(issued(name="TS. Trần Quang Nam"))), "SIGNATURE.FORMAT")
    assert "degree" in found[0].message


def test_recipient_without_semicolon():
    lines = issued().recipients
    lines[1] = lines[1].rstrip(";")
    found = only(check(build(issued(recipients=lines))), "RECIPIENTS.ITEM_SEMICOLON")
    assert "Các Thứ trưởng" in found[0].message
    assert "table 2, row 1, cell 1" in found[0].where


def test_no_archive_line():
    lines = issued().recipients[:-1]
    found = only(check(build(issued(recipients=lines))), "RECIPIENTS.ARCHIVE_LINE")
    assert "Lưu: VT" in found[0].message


def test_archive_line_not_last():
    lines = issued().recipients
    lines = [lines[-1].replace(".", ";"), *lines[:-1]]
    found = check(build(issued(recipients=lines)))
    assert rules(found) == {"RECIPIENTS.ARCHIVE_LINE"}
    assert len(found) == 2  # not last, and the last line is not a Lưu line


def test_archive_line_variants():
    with_copies = [*issued().recipients[:-1], "- Lưu: VT, VP NXT (2)."]
    assert check(build(issued(recipients=with_copies))) == []
    no_colon = [*issued().recipients[:-1], "- Lưu VT, VP."]
    only(check(build(issued(recipients=no_colon))), "RECIPIENTS.ARCHIVE_LINE")


def test_recipient_label_size(issued_docx):
    def big(root):
        for sz in paragraph_with(root, "Nơi nhận").iter(w("sz")):
            sz.set(w("val"), "28")

    found = only(check(edit_part(issued_docx, "word/document.xml", big)), "RECIPIENTS.LABEL")
    assert "14 pt" in found[0].message


def test_recipient_item_size(issued_docx):
    def big(root):
        for sz in paragraph_with(root, "- Bộ trưởng").iter(w("sz")):
            sz.set(w("val"), "28")

    only(check(edit_part(issued_docx, "word/document.xml", big)), "RECIPIENTS.ITEM_SIZE")


@pytest.mark.parametrize("mark", ["KHẨN", "THƯỢNG KHẨN", "MẬT", "TUYỆT MẬT"])
def test_marks_written_right(mark):
    assert check(build(issued(marks=[mark]))) == []


def test_mark_not_in_capitals():
    found = only(check(build(issued(marks=["Khẩn"]))), "MARKS.FORMAT")
    assert "KHẨN" in found[0].message


# -- unreadable input ---------------------------------------------------------------------------


def test_not_a_zip():
    with pytest.raises(UnreadableDocument, match=r"not a \.docx"):
        check(b"%PDF-1.7 not a word file")
    assert issubclass(UnreadableDocument, VanthuError)


def test_zip_without_a_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "xin chào")
    with pytest.raises(UnreadableDocument, match=r"word/document\.xml"):
        check(out.getvalue())


def test_missing_file(tmp_path):
    with pytest.raises(UnreadableDocument, match="no such file"):
        check(tmp_path / "absent.docx")


def test_broken_xml(issued_docx):
    src = zipfile.ZipFile(io.BytesIO(issued_docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "word/document.xml":
                content = content[: len(content) // 2]
            dst.writestr(item, content)
    with pytest.raises(UnreadableDocument, match="not well-formed"):
        check(out.getvalue())


def test_readme_lists_every_rule():
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule, text in RULES.items():
        assert f"| `{rule}` | {text} |" in readme, rule


# -- layouts other than vanthu's own --------------------------------------------------------------


@pytest.mark.parametrize(
    "layout",
    [
        {"header": "tabs"},
        {"closing": "paragraphs"},
        {"line_breaks": True},
        {"closing": "paragraphs", "line_breaks": True},
        {"page_field": "simple-tab"},
    ],
    ids=["tabbed-header", "closing-paragraphs", "line-breaks", "both", "fldsimple-tab"],
)
def test_other_layouts_conform(layout):
    assert check(build(issued(**layout))) == []
    found = check(build(draft(**layout)))
    assert rules(found) == {"NUMBER.MISSING", "DATE.MISSING"}


@pytest.mark.parametrize(
    "layout", [{"header": "tabs"}, {"closing": "paragraphs", "line_breaks": True}]
)
def test_other_layouts_still_caught(layout):
    lines = issued().recipients
    lines[0] = lines[0].rstrip(";")
    found = check(build(issued(number="Số: 7/TB-BGDĐT", recipients=lines, **layout)))
    assert rules(found) == {"NUMBER.LEADING_ZERO", "RECIPIENTS.ITEM_SEMICOLON"}
    found = check(build(issued(authority=["TT. BỘ TRƯỞNG", "CHÁNH VĂN PHÒNG"], **layout)))
    assert rules(found) == {"SIGNATURE.PREFIX"}


def test_rule_shape_anchored_in_the_paragraph_below_counts():
    from tests.checker_docs import _line_dml

    def line_on_date(root):
        from lxml import etree

        run = etree.fromstring(_line_dml(7, 2160000))
        paragraph_with(root, "Hà Nội, ngày").append(run)

    data = edit_part(build(issued(motto_rule=False)), "word/document.xml", line_on_date)
    assert check(data) == []


def test_subject_needed_except_for_giay_gioi_thieu():
    spec = issued(title="GIẤY GIỚI THIỆU", subject=[], number="Số: 07/GGT-BGDĐT")
    assert check(build(spec)) == []
    found = only(check(build(issued(subject=[]))), "TITLE.FORMAT")
    assert "no subject" in found[0].message


def test_recipient_without_dash_and_a_wrapped_item():
    lines = issued().recipients
    lines[1] = lines[1].removeprefix("- ")
    found = only(check(build(issued(recipients=lines))), "RECIPIENTS.ITEM_SEMICOLON")
    assert "'Các Thứ trưởng (để b/c);'" in found[0].message
    # An item wrapped onto a second line (no dash) continues the item above it.
    wrapped = issued().recipients
    wrapped[2:3] = ["- Các đơn vị thuộc Bộ", "(để t/h);"]
    assert check(build(issued(recipients=wrapped, line_breaks=True))) == []
