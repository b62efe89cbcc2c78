"""Body markup: what becomes a paragraph, bold, italic or a footnote, and what stays literal."""

from __future__ import annotations

import pytest
from lxml import etree

from workflow.rendering.markup import MarkupError, Notes, render_markup, split_marker_lines
from workflow.rendering.wordml import W_NS

from .docx_text import W, text_of


def paragraphs(source: str, notes: Notes | None = None) -> list[etree._Element]:
    xml = render_markup(source, notes if notes is not None else Notes())
    root = etree.fromstring(f'<w:body xmlns:w="{W_NS}">{xml}</w:body>')
    return list(root.iter(f"{W}p"))


def texts(source: str) -> list[str]:
    return [text_of(p) for p in paragraphs(source)]


def runs(p: etree._Element) -> list[tuple[str, bool, bool]]:
    out = []
    for r in p.iter(f"{W}r"):
        t = "".join(x.text or "" for x in r.iter(f"{W}t"))
        if t:
            rpr = r.find(f"{W}rPr")
            out.append((t, rpr.find(f"{W}b") is not None, rpr.find(f"{W}i") is not None))
    return out


@pytest.mark.parametrize(
    "marker",
    ["-", "+", "•", "–", "1.", "12.", "1)", "2.3.", "a)", "đ)", "I.", "IV.", "XII."],
)
def test_a_list_marker_starts_its_own_paragraph_and_stays_literal(marker):
    source = f"Mở đầu đoạn văn\n{marker} mục thứ nhất\n{marker} mục thứ hai"
    assert texts(source) == [
        "Mở đầu đoạn văn",
        f"{marker} mục thứ nhất",
        f"{marker} mục thứ hai",
    ]


def test_other_single_newlines_join_lines_with_a_space():
    assert texts("dòng một\ndòng hai\n\ndoạn hai") == ["dòng một dòng hai", "doạn hai"]
    assert split_marker_lines("a\n- b") == "a\n\n- b"


@pytest.mark.parametrize(
    ("source", "want"),
    [
        ("# Không phải tiêu đề", "# Không phải tiêu đề"),
        ("> Không phải trích dẫn", "> Không phải trích dẫn"),
        ("<b>thẻ</b> & <w:p>", "<b>thẻ</b> & <w:p>"),
        ("[liên kết](http://example.vn)", "[liên kết](http://example.vn)"),
        ("`mã` ~~gạch~~ | a | b |", "`mã` ~~gạch~~ | a | b |"),
        ("{{ 7*7 }} {% for x in y %}", "{{ 7*7 }} {% for x in y %}"),
        ("Điều kiện \\*không\\* nghiêng", "Điều kiện *không* nghiêng"),
        ("    thụt lề bốn dấu cách", "thụt lề bốn dấu cách"),
        ("---", "---"),
    ],
)
def test_everything_else_stays_literal(source, want):
    assert texts(source) == [want]


def test_bold_and_italic_runs():
    (p,) = paragraphs("Văn bản **đậm** và *nghiêng* và ***cả hai***.")
    assert runs(p) == [
        ("Văn bản ", False, False),
        ("đậm", True, False),
        (" và ", False, False),
        ("nghiêng", False, True),
        (" và ", False, False),
        ("cả hai", True, True),
        (".", False, False),
    ]


def test_an_article_label_is_bold():
    (p,) = paragraphs("Điều 1. Phê duyệt kế hoạch.")
    assert runs(p)[0] == ("Điều 1.", True, False)
    (q,) = paragraphs("**Điều 2. Hiệu lực**")
    assert runs(q) == [("Điều 2. Hiệu lực", True, False)]


def test_footnotes_become_references_and_notes_in_order_of_reference():
    notes = Notes()
    ps = paragraphs("Một[^b] hai[^a].\n\n[^a]: Ghi chú A.\n[^b]: Ghi chú **B**.", notes)
    assert len(ps) == 1
    refs = [int(r.get(f"{W}id")) for r in ps[0].iter(f"{W}footnoteReference")]
    assert refs == [1, 2]
    ref_run = next(ps[0].iter(f"{W}footnoteReference")).getparent()
    assert ref_run.find(f"{W}rPr/{W}rStyle").get(f"{W}val") == "FootnoteReference"
    assert ref_run.find(f"{W}rPr/{W}vertAlign").get(f"{W}val") == "superscript"
    assert len(notes.items) == 2
    first = etree.fromstring(f'<w:x xmlns:w="{W_NS}">{notes.items[0]}</w:x>')
    assert " ".join(text_of(first).split()) == "Ghi chú B."
    assert first.find(f".//{W}footnoteRef") is not None


def test_footnote_ids_continue_over_several_bodies():
    notes = Notes()
    paragraphs("Một[^1].\n\n[^1]: A.", notes)
    (p,) = paragraphs("Hai[^1].\n\n[^1]: B.", notes)
    assert [int(r.get(f"{W}id")) for r in p.iter(f"{W}footnoteReference")] == [2]
    markup = notes.footnotes_markup()
    assert '</w:footnote><w:footnote w:id="2">' in markup


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("Một[^9] hai.", r"\[\^9\] is used but never defined"),
        ("Một.\n\n[^1]: thừa.", r"\[\^1\] is defined but never referenced"),
        ("Một[^1] hai[^1].\n\n[^1]: A.", "referenced twice"),
    ],
)
def test_footnote_mistakes_are_refused(source, message):
    with pytest.raises(MarkupError, match=message):
        render_markup(source, Notes())


def test_body_paragraph_format():
    (p,) = paragraphs("Nội dung.")
    ppr = p.find(f"{W}pPr")
    assert ppr.find(f"{W}pStyle").get(f"{W}val") == "VTBody"
    assert ppr.find(f"{W}jc").get(f"{W}val") == "both"
    assert ppr.find(f"{W}ind").get(f"{W}firstLine") == "720"
    assert ppr.find(f"{W}spacing").get(f"{W}after") == "120"
