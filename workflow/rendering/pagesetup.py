"""Page checks of Phụ lục I, Part I: A4 portrait, margins in every section, and page numbers
centred in the header from page 2 on (none on page 1)."""

from __future__ import annotations

import math

from workflow.rendering.docxread import Docx, Paragraph, Section
from workflow.rendering.ooxml import TWIPS_PER_MM, mm, w
from workflow.rendering.violations import Violation

A4 = (11906, 16838)  # twips
SIZE_TOLERANCE = round(TWIPS_PER_MM)  # ± 1 mm
# Word stores "2.5 cm" as 1418 twips (25.01 mm): allow rounding, no more.
MARGIN_TOLERANCE = 3
MARGINS_MM = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
# A deliberately narrow estimate of Times New Roman's average character width (in em), so
# the length estimate errs short and only a document sure to run past page 1 must be numbered.
CHAR_WIDTH_EM = 0.40


def check_page(doc: Docx) -> list[Violation]:
    out: list[Violation] = []
    for section in doc.sections:
        landscape_ok = _size(section, out)
        if not landscape_ok:
            _margins(section, out)
    _page_numbers(doc, out)
    return out


def _size(section: Section, out: list[Violation]) -> bool:
    """Judge the page size; True when the section is an allowed landscape table section."""
    width, height = section.width, section.height
    if width is None or height is None:
        out.append(
            Violation(
                "PAGE.SIZE",
                "no page size set (Word then uses its own default, often US Letter); the decree"
                " wants A4 portrait 210 × 297 mm",
                section.where,
            )
        )
        return False
    near = lambda a, b: abs(a - b) <= SIZE_TOLERANCE  # noqa: E731
    if near(width, A4[0]) and near(height, A4[1]):
        return False
    if near(width, A4[1]) and near(height, A4[0]):
        if section.has_table and section.index > 1:
            return True
        out.append(
            Violation(
                "PAGE.SIZE",
                "A4 landscape; the decree wants portrait (landscape only for a section holding"
                " a wide table)",
                section.where,
            )
        )
        return False
    out.append(
        Violation(
            "PAGE.SIZE",
            f"page {width / TWIPS_PER_MM:.0f} × {height / TWIPS_PER_MM:.0f} mm; the decree"
            " wants A4 portrait 210 × 297 mm",
            section.where,
        )
    )
    return False


def _margins(section: Section, out: list[Violation]) -> None:
    for side, (low, high) in MARGINS_MM.items():
        value = section.margins.get(side)
        if value is None:
            out.append(
                Violation(
                    "PAGE.MARGINS",
                    f"{side} margin not set; the decree wants {low}–{high} mm",
                    section.where,
                )
            )
            continue
        if side == "left":
            value += section.margins.get("gutter", 0)  # the gutter widens the bound edge
        if (
            not low * TWIPS_PER_MM - MARGIN_TOLERANCE
            <= value
            <= high * TWIPS_PER_MM + MARGIN_TOLERANCE
        ):
            out.append(
                Violation(
                    "PAGE.MARGINS",
                    f"{side} margin {mm(value)}; the decree wants {low}–{high} mm",
                    section.where,
                )
            )


def estimate_pages(doc: Docx) -> float:
    """How many pages the body fills, estimated from text length, sizes and spacing."""
    if not doc.sections:
        return 0.0
    first = doc.sections[0]
    page_w = (
        (first.width or A4[0]) - first.margins.get("left", 1701) - first.margins.get("right", 1134)
    )
    page_h = (
        (first.height or A4[1]) - first.margins.get("top", 1134) - first.margins.get("bottom", 1134)
    )
    total = 0.0
    rows: dict[int, dict[int, float]] = {}
    for p in doc.paragraphs:
        if p.cell is None:
            total += _height(p, page_w / 20)
            continue
        cells = len(p.cell.outer_tr.findall(w("tc"))) or 1
        row = rows.setdefault(id(p.cell.outer_tr), {})
        cell = id(p.cell.outer_tc)
        row[cell] = row.get(cell, 0.0) + _height(p, page_w / 20 / cells)
    total += sum(max(r.values()) for r in rows.values() if r)
    return total / max(page_h / 20, 1)


def _height(p: Paragraph, width_pt: float) -> float:
    sizes = [s.props.size or 10.0 for s in p.printed()]
    size = max(sizes) if sizes else 12.0
    single = size * 1.15
    props = p.props
    line_h = single
    if props.line:
        if props.line_rule == "auto":
            line_h = single * props.line / 240
        elif props.line_rule == "exact":
            line_h = props.line / 20
        else:
            line_h = max(single, props.line / 20)
    usable = max(width_pt - (props.left + props.right) / 20, 36)
    per_line = max(int(usable / (size * CHAR_WIDTH_EM)), 1)
    lines = sum(max(1, math.ceil(len(text) / per_line)) for text in p.raw.split("\n"))
    return lines * line_h + (props.before + props.after) / 20


def _page_numbers(doc: Docx, out: list[Violation]) -> None:
    headers_with_page = [
        name
        for name, kind in doc.header_footer_names()
        if kind == "header" and _page_fields(doc.part_paragraphs(name))
    ]
    for name, kind in doc.header_footer_names():
        if kind == "footer" and _page_fields(doc.part_paragraphs(name)):
            out.append(
                Violation(
                    "PAGE.NUMBER",
                    "page number in the footer; the decree puts it centred in the top margin",
                    doc.part_label(name),
                )
            )
    pages = estimate_pages(doc)
    long = pages > 1.0 or len(doc.sections) > 1 or any(p.page_break for p in doc.paragraphs)
    if not (long or headers_with_page):
        return
    why = (
        f"the document runs to about {math.ceil(pages)} pages"
        if long
        else "the header numbers pages"
    )
    for section in doc.sections:
        kinds = ["default"] + (["even"] if doc.even_and_odd_headers else [])
        for kind in kinds:
            name = section.headers.get(kind)
            label = doc.part_label(name) if name else f"header of {section.where}"
            fields = _page_fields(doc.part_paragraphs(name)) if name else []
            if not fields:
                out.append(
                    Violation(
                        "PAGE.NUMBER",
                        f"no page number in the header ({why}); the decree wants a PAGE field"
                        " centred in the top margin, 13–14 pt, from page 2 on",
                        label,
                    )
                )
                continue
            for para, props in fields:
                if not _centred(para):
                    out.append(
                        Violation(
                            "PAGE.NUMBER",
                            f"page number aligned {para.props.jc or 'left'}; the decree wants it"
                            " centred",
                            para.where,
                        )
                    )
                sizes = sorted({x.size or 10.0 for x in props})
                if any(not 13 <= s <= 14 for s in sizes):
                    found = ", ".join(f"{s:g} pt" for s in sizes)
                    out.append(
                        Violation(
                            "PAGE.NUMBER",
                            f"page number size {found}; the decree wants 13–14 pt",
                            para.where,
                        )
                    )
        if section.index != 1:
            continue
        if not section.title_page:
            out.append(
                Violation(
                    "PAGE.NUMBER",
                    "page 1 carries the page number: the section has no different first page"
                    " (titlePg); the decree numbers pages from page 2 on",
                    section.where,
                )
            )
        else:
            first = section.headers.get("first")
            if first and any(not p.empty or p.fields for p in doc.part_paragraphs(first)):
                out.append(
                    Violation(
                        "PAGE.NUMBER",
                        "the first-page header is not empty; the decree prints nothing there"
                        " (no page number on page 1)",
                        doc.part_label(first),
                    )
                )


def _page_fields(paragraphs: list[Paragraph]) -> list[tuple[Paragraph, tuple]]:
    return [(p, f.props) for p in paragraphs for f in p.fields if f.name == "PAGE"]


def _centred(p: Paragraph) -> bool:
    if p.props.centred:
        return True
    # Word's own header style centres with a centre tab stop: "\t{PAGE}".
    return (
        p.raw.startswith("\t")
        and not p.raw.strip("\t0123456789 ")
        and any(kind == "center" for kind, _ in p.props.tabs)
    )
