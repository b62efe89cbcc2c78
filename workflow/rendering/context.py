"""The template context of a document: every tag of templates/official/TAGS.md, filled.

Plain text goes in escaped (as Markup, so the autoescaping environment leaves it alone and no
brace can form a tag); the parts whose layout depends on the text — rules sized to the line above,
framed marks, body paragraphs, footnotes, appendices — go in as generated WordprocessingML.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from numbering.doctypes import Family
from numbering.symbols import format_number
from workflow.content import DocumentContent
from workflow.errors import InvalidContent
from workflow.rendering import geometry as L
from workflow.rendering.markup import MarkupError, Notes, render_markup
from workflow.rendering.metrics import line_count, line_height, text_width
from workflow.rendering.wordml import (
    INVALID_XML,
    esc,
    framed,
    page_break_section,
    paragraph,
    ppr,
    rule,
    run,
    run_xml,
)
from workflow.vietnamese import NATIONAL_MOTTO, format_day, format_month, upper

# Draft blanks: "Số:      /TB-BGDĐT" and "ngày      tháng      năm 2021" (six spaces each, one
# of them in the text around the content control).
DRAFT_NUMBER = " " * 5
DRAFT_DAY = " " * 4
DRAFT_MONTH = " " * 4

URGENCY_COLOR = "FF0000"  # urgency stamps are red (Phụ lục I, III.2)
MARK_PADDING = L.mm(4)


@dataclass(frozen=True)
class Fill:
    """What issue changes: the number, day, month and year, as XML-safe text."""

    so_vb: str
    ngay: str
    thang: str
    nam: str

    @classmethod
    def of(cls, number: int | None, issued: date | None, draft_year: int) -> Fill:
        """Draft blanks (both None) or the issued number and date; one alone is an error."""
        if (number is None) != (issued is None):
            raise ValueError("number and issued go together: give both (issued) or neither (draft)")
        if number is None or issued is None:
            return cls(DRAFT_NUMBER, DRAFT_DAY, DRAFT_MONTH, str(draft_year))
        return cls(
            format_number(number),
            format_day(issued.day),
            format_month(issued.month),
            str(issued.year),
        )


# Markers the fast path renders in place of the fill values and substitutes at fill(); a
# processing instruction can never come out of escaped content, which has no "<".
MARKERS = Fill(*(f"<?vanthu {name}?>" for name in ("so_vb", "ngay", "thang", "nam")))


@dataclass(frozen=True)
class Sections:
    """Section properties appendices need: the main section's and an appendix section's."""

    main: str
    appendix: str


_KINH_GUI_TYPES = ("to_trinh", "bao_cao")
_SUBJECT_OPTIONAL = (Family.GIAY_GIOI_THIEU, Family.GIAY_NGHI_PHEP)
_ENACTING = (Family.NGHI_QUYET, Family.QUYET_DINH, Family.CONG_DIEN)
_BASES = (Family.NGHI_QUYET, Family.QUYET_DINH)


def _layout_problems(content: DocumentContent) -> list[tuple[str, str]]:
    """Fields the type's layout (Mẫu of Phụ lục III) requires or has no place for."""
    t = content.type
    family = t.family
    mau = f"Mẫu {family.value}"
    problems: list[tuple[str, str]] = []
    if not content.subject and family not in _SUBJECT_OPTIONAL:
        problems.append(("subject", f"a {t.name.lower()} needs a subject (trích yếu, {mau})"))
    if family in _ENACTING and content.enacting_authority is None:
        what = "before 'điện:'" if family is Family.CONG_DIEN else "under the title"
        problems.append(
            ("enacting_authority", f"a {t.name.lower()} names its enacting authority {what}")
        )
    if family not in _ENACTING and content.enacting_authority is not None:
        problems.append(
            ("enacting_authority", f"{mau} ({t.name.lower()}) has no enacting-authority line")
        )
    if content.bases and family not in _BASES:
        problems.append(
            ("bases", f"only a quyết định or nghị quyết has căn cứ lines; {mau} has none")
        )
    kinh_gui = family is Family.CONG_VAN or t.id in _KINH_GUI_TYPES
    if family in (Family.CONG_VAN, Family.CONG_DIEN) and not content.addressees:
        what = "Kính gửi" if family is Family.CONG_VAN else "the addressees after 'điện:'"
        problems.append(("addressees", f"a {t.name.lower()} needs {what}"))
    if content.addressees and not kinh_gui and family is not Family.CONG_DIEN:
        problems.append(
            (
                "addressees",
                "Kính gửi is only for công văn, and tờ trình or báo cáo to a superior"
                " (Phụ lục I, II.9.b)",
            )
        )
    return problems


def _check(field: str, value: str) -> None:
    bad = INVALID_XML.search(value)
    if bad:
        raise InvalidContent(
            [(field, f"contains the control character U+{ord(bad.group()):04X}, not allowed")]
        )


# A line break inside a run, as docxtpl's resolve_listing writes one for "\n".
BREAK = '</w:t><w:br/><w:t xml:space="preserve">'


def _text(field: str, value: str | None) -> Markup:
    """Escaped text for a `{{ tag }}` inside a w:t; line breaks become w:br."""
    if value is None:
        return Markup("")
    _check(field, value)
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return Markup(BREAK.join(esc(line) for line in lines))


def _markup(field: str, source: str, notes: Notes) -> Markup:
    _check(field, source)
    try:
        return Markup(render_markup(source, notes))
    except MarkupError as exc:
        raise InvalidContent([(field, str(exc))]) from None


def _header_rules(content: DocumentContent) -> tuple[str, str]:
    """The rules under the issuer (0.4 of its line) and the motto (its length).

    Each rule paragraph also pads its column so that "Số:" (left) and the place and date
    (right) stand level, as ô 3 and ô 4 do, however many lines the agency names take.
    """
    available = L.HEADER_LEFT - 2 * L.CELL_MARGIN
    issuer = content.issuer.name
    parent = content.issuer.parent
    left = line_count(issuer, L.ISSUER_PT, available, bold=True) * line_height(L.ISSUER_PT)
    if parent:
        left += line_count(parent, L.PARENT_PT, available) * line_height(L.PARENT_PT)
    right = line_height(L.NATIONAL_NAME_PT) + line_height(L.MOTTO_PT)
    line = min(text_width(issuer, L.ISSUER_PT, bold=True), available)
    issuer_rule = rule(round(line * L.RULE_RATIO), available, after=max(0, right - left))
    motto = text_width(NATIONAL_MOTTO, L.MOTTO_PT, bold=True)
    motto_rule = rule(motto, L.HEADER_RIGHT - 2 * L.CELL_MARGIN, after=max(0, left - right))
    return issuer_rule, motto_rule


def _title_rule(type_name: str, subject: str) -> str:
    if subject:
        widest = max(text_width(line, L.SUBJECT_PT, bold=True) for line in subject.split("\n"))
    else:
        widest = text_width(type_name, L.TITLE_PT, bold=True)
    line = min(widest, L.TEXT_WIDTH)
    return rule(round(line * L.RULE_RATIO), L.TEXT_WIDTH, after=L.BODY_AFTER)


def _marks(content: DocumentContent) -> str:
    """Ô 10a, 10b, 11: secrecy, urgency and circulation, boxed under the number."""
    marks = []
    if content.secrecy:
        marks.append((upper(content.secrecy), None))
    if content.urgency:
        marks.append((upper(content.urgency), URGENCY_COLOR))
    if content.circulation:
        marks.append((content.circulation, None))
    out = []
    for text, color in marks:
        width = min(text_width(text, L.MARK_PT, bold=True) + MARK_PADDING, L.TEXT_WIDTH)
        left = max(0, (L.HEADER_LEFT - width) // 2)
        out.append(framed(text, L.MARK_PT, left, L.TEXT_WIDTH - left - width, color=color))
    return "".join(out)


def _roman(n: int) -> str:
    numerals = (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )
    out = ""
    for value, letters in numerals:
        while n >= value:
            out += letters
            n -= value
    return out


def _centred(text: str, size: float, *, bold: bool = False, italic: bool = False) -> str:
    return paragraph(
        ppr(jc="center", keep_next=True, mark_size=size),
        run(text, size, bold=bold, italic=italic),
    )


def _appendices(content: DocumentContent, fill: Fill, sections: Sections, notes: Notes) -> str:
    """Each appendix on new pages in its own section, page numbers restarting (Phụ lục I, III.1)."""
    if not content.appendices:
        return ""
    many = len(content.appendices) > 1
    parts = [page_break_section(sections.main)]
    for i, appendix in enumerate(content.appendices):
        field = f"appendices.{i}"
        heading = f"Phụ lục {_roman(i + 1)}" if many else "Phụ lục"
        title = upper(appendix.title)
        _text(f"{field}.title", title)
        gap = " " * 6
        attached = f"(Kèm theo {content.type.name} số{gap}/{content.symbol} ngày{gap}tháng{gap}năm "
        attached_xml = paragraph(
            ppr(jc="center", keep_next=True, mark_size=L.BODY_PT),
            run(attached, L.BODY_PT, italic=True),
            # The year follows the date line's (draft year or issue year); number, day and month
            # stay blank: they are filled in on paper (Phụ lục I, III.1).
            run_xml(fill.nam, L.BODY_PT, italic=True),
            run(")", L.BODY_PT, italic=True),
        )
        width = text_width(attached + "2021)", L.BODY_PT)
        parts.append(_centred(heading, L.TITLE_PT, bold=True))
        parts.append(_centred(title, L.TITLE_PT, bold=True))
        parts.append(attached_xml)
        parts.append(rule(round(min(width, L.TEXT_WIDTH) * L.RULE_RATIO), L.TEXT_WIDTH, after=240))
        parts.append(_markup(f"{field}.body", appendix.body, notes))
        parts.append(page_break_section(sections.appendix))
    return "".join(parts)


def _addressee_lines(addressees: list[str]) -> list[Markup]:
    *rest, last = addressees
    return [_text("addressees", f"- {a};") for a in rest] + [_text("addressees", f"- {last}.")]


def build(content: DocumentContent, fill: Fill, sections: Sections) -> dict[str, Any]:
    """The context for the content's template; `fill` values are inserted as given (XML-safe)."""
    problems = _layout_problems(content)
    if problems:
        raise InvalidContent(problems)
    notes = Notes()
    issuer_rule, motto_rule = _header_rules(content)
    family = content.type.family
    one_addressee = len(content.addressees) == 1 and family is not Family.CONG_DIEN
    signature = content.signature
    co = content.co_signature
    context: dict[str, Any] = {
        "parent": _text("issuer.parent", content.issuer.parent),
        "issuer": _text("issuer.name", content.issuer.name),
        "issuer_rule": Markup(issuer_rule),
        "motto_rule": Markup(motto_rule),
        "symbol": _text("symbol", content.symbol),
        "so_vb": Markup(fill.so_vb),
        "place": _text("place", content.place),
        "ngay": Markup(fill.ngay),
        "thang": Markup(fill.thang),
        "nam": Markup(fill.nam),
        "marks": Markup(_marks(content)),
        "type_name": _text("doc_type", content.type.title),
        "subject": _text("subject", content.subject),
        "title_rule": Markup(_title_rule(content.type.title, content.subject)),
        "enacting_authority": _text("enacting_authority", content.enacting_authority),
        "bases": [
            _text(f"bases.{i}", f"{b}{'.' if i == len(content.bases) - 1 else ';'}")
            for i, b in enumerate(content.bases)
        ],
        "addressee": _text("addressees.0", content.addressees[0]) if one_addressee else "",
        "addressee_lines": []
        if one_addressee or not content.addressees
        else _addressee_lines(content.addressees),
        "body": _markup("body", content.body, notes),
        "authority": [_text("signature.authority", str(a)) for a in signature.authority],
        "signer": _text("signature.name", signature.name),
        "co_authority": [_text("co_signature.authority", str(a)) for a in co.authority]
        if co
        else [],
        "co_signer": _text("co_signature.name", co.name) if co else Markup(""),
        "recipients": [_text("recipients", line) for line in content.recipient_lines()],
        "contact": _text("contact", content.contact.strip() if content.contact else None),
    }
    context["appendices"] = Markup(_appendices(content, fill, sections, notes))
    context["footnotes"] = Markup(notes.footnotes_markup())
    return context
