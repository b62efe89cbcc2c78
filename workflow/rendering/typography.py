"""Checks that hold for every printed run of the document — body, tables, text boxes, headers,
footers and notes: Times New Roman in all four font slots, Vietnamese language, black ink and
Unicode NFC text."""

from __future__ import annotations

import unicodedata

from workflow.rendering.docxread import Docx, Paragraph, RunProps
from workflow.rendering.layout import Layout
from workflow.rendering.violations import Violation

FONT = "Times New Roman"
LANG = "vi-VN"
BLACK = {None, "auto", "000000"}


def all_paragraphs(doc: Docx) -> list[Paragraph]:
    """Every paragraph that prints: the body, text boxes, headers, footers and notes."""
    out = list(doc.paragraphs) + list(doc.text_boxes)
    for name, _kind in doc.header_footer_names():
        out.extend(doc.part_paragraphs(name))
    out.extend(doc.notes())
    return out


def _font_fault(props: RunProps) -> str | None:
    by_face: dict[str, list[str]] = {}
    for slot, face in props.fonts:
        if (face or "").strip().casefold() != FONT.casefold():
            by_face.setdefault(face or "no font set (application default)", []).append(slot)
    if not by_face:
        return None
    found = "; ".join(f"{face} in {', '.join(slots)}" for face, slots in by_face.items())
    return f"{found}; the decree wants {FONT} in all four font slots (ascii, hAnsi, eastAsia, cs)"


def _reddish(color: str | None) -> bool:
    if not color or len(color) != 6:
        return False
    try:
        r, g, b = (int(color[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return False
    return r >= 0x99 and g <= 0x66 and b <= 0x66


def check_typography(doc: Docx, lay: Layout) -> list[Violation]:
    out: list[Violation] = []
    urgent = {id(c.paragraph) for c, kind in lay.marks if kind == "urgency"}
    for para in all_paragraphs(doc):
        for seg in para.printed():
            props = seg.props
            fault = _font_fault(props)
            if fault:
                out.append(Violation("FONT.FAMILY", fault, para.where))
            if (props.lang or "").casefold() != LANG.casefold():
                found = props.lang or "not set"
                out.append(
                    Violation(
                        "FONT.LANG",
                        f"language {found}; the decree's text is Vietnamese, marked {LANG}",
                        para.where,
                    )
                )
            if props.color not in BLACK and not (id(para) in urgent and _reddish(props.color)):
                out.append(
                    Violation(
                        "FONT.COLOR",
                        f"text colour #{props.color}; the decree prints text in black",
                        para.where,
                    )
                )
        if not unicodedata.is_normalized("NFC", para.raw):
            out.append(
                Violation(
                    "TEXT.NFC",
                    "text is not Unicode NFC (accents stored as separate combining marks);"
                    " TCVN 6909:2001 text is stored precomposed",
                    para.where,
                )
            )
    return out
