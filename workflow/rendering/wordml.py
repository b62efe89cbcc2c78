"""Small WordprocessingML builders: runs, paragraphs, rules, frames and content controls.

Everything returns XML text with elements in schema order (Word rejects misordered properties).
Text is always escaped here, braces included, so no content can be read as markup or as a
template tag further down the docxtpl pipeline; only `tag_*` helpers take template tags.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from workflow.rendering.geometry import FONT, LANG

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

FONTS = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
LANGUAGE = f'<w:lang w:val="{LANG}" w:eastAsia="{LANG}" w:bidi="{LANG}"/>'
RULE_BORDER = 'w:val="single" w:sz="6" w:space="1" w:color="000000"'

# Characters XML 1.0 cannot hold (C0 controls but tab/newline/CR, lone surrogates, U+FFFE/F).
INVALID_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def esc(text: str) -> str:
    """Escape text for element content or attributes; braces become character references."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("{", "&#123;")
        .replace("}", "&#125;")
    )


def rpr(
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    color: str | None = None,
    superscript: bool = False,
    style: str | None = None,
    border: bool = False,
) -> str:
    """Run properties: Times New Roman in all four slots, vi-VN, explicit size."""
    half_points = round(size * 2)
    parts = ["<w:rPr>"]
    if style:
        parts.append(f'<w:rStyle w:val="{style}"/>')
    parts.append(FONTS)
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic:
        parts.append("<w:i/><w:iCs/>")
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    parts.append(f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>')
    if border:
        parts.append(f"<w:bdr {RULE_BORDER}/>")
    if superscript:
        parts.append('<w:vertAlign w:val="superscript"/>')
    parts.append(LANGUAGE)
    parts.append("</w:rPr>")
    return "".join(parts)


def run(text: str, size: float, **fmt: object) -> str:
    """A run of escaped text."""
    return f'<w:r>{rpr(size, **fmt)}<w:t xml:space="preserve">{esc(text)}</w:t></w:r>'  # type: ignore[arg-type]


def run_xml(xml_text: str, size: float, **fmt: object) -> str:
    """A run around text that is already XML (escaped text or a fill marker)."""
    return f'<w:r>{rpr(size, **fmt)}<w:t xml:space="preserve">{xml_text}</w:t></w:r>'  # type: ignore[arg-type]


def tag_run(tag_text: str, size: float, **fmt: object) -> str:
    """A run whose text holds docxtpl/Jinja tags (template build only): braces kept."""
    text = tag_text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<w:r>{rpr(size, **fmt)}<w:t xml:space="preserve">{text}</w:t></w:r>'  # type: ignore[arg-type]


def ppr(
    *,
    style: str | None = None,
    jc: str | None = None,
    before: int = 0,
    after: int = 0,
    line: int = 240,
    line_rule: str = "auto",
    left: int = 0,
    right: int = 0,
    first_line: int = 0,
    hanging: int = 0,
    keep_next: bool = False,
    borders: Iterable[str] = (),
    mark_size: float | None = None,
    extra: str = "",
) -> str:
    """Paragraph properties in schema order; `borders` names sides of a single-line border."""
    parts = ["<w:pPr>"]
    if style:
        parts.append(f'<w:pStyle w:val="{style}"/>')
    if keep_next:
        parts.append("<w:keepNext/>")
    sides = [s for s in ("top", "left", "bottom", "right") if s in set(borders)]
    if sides:
        parts.append("<w:pBdr>")
        parts.extend(f"<w:{side} {RULE_BORDER}/>" for side in sides)
        parts.append("</w:pBdr>")
    parts.append(
        f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line}"'
        f' w:lineRule="{line_rule}"/>'
    )
    ind = f'<w:ind w:left="{left}" w:right="{right}"'
    if first_line:
        ind += f' w:firstLine="{first_line}"'
    if hanging:
        ind += f' w:hanging="{hanging}"'
    parts.append(ind + "/>")
    if jc:
        parts.append(f'<w:jc w:val="{jc}"/>')
    if mark_size is not None:
        parts.append(rpr(mark_size))
    parts.append(extra)
    parts.append("</w:pPr>")
    return "".join(parts)


def paragraph(properties: str, *runs: str) -> str:
    return f"<w:p>{properties}{''.join(runs)}</w:p>"


def rule(length: int, available: int, *, before: int = 80, after: int = 0) -> str:
    """A solid rule under the paragraph above: an empty paragraph whose top border is the line.

    Centred in `available` twips (a cell's inner width or the text width), `length` long; its
    own indents set the length, so the text above keeps its full width.
    """
    length = max(1, min(length, available))
    left = (available - length) // 2
    right = available - length - left
    properties = ppr(
        jc="center",
        before=before,
        after=after,
        line=120,
        line_rule="exact",
        left=left,
        right=right,
        borders=("top",),
        mark_size=6,
    )
    return paragraph(properties)


def framed(text: str, size: float, left: int, right: int, *, color: str | None = None) -> str:
    """A boxed mark (urgency, secrecy, circulation): a paragraph with a four-sided border."""
    properties = ppr(
        jc="center",
        before=60,
        after=60,
        left=left,
        right=right,
        borders=("top", "left", "bottom", "right"),
        mark_size=size,
    )
    return paragraph(properties, run(text, size, bold=True, color=color))


def sdt_text(
    tag: str, alias: str, sdt_id: int, content_run: str, size: float, **fmt: object
) -> str:
    """An inline plain-text content control (w:sdt with w:text) around one run."""
    return (
        f"<w:sdt><w:sdtPr>{rpr(size, **fmt)}"  # type: ignore[arg-type]
        f'<w:alias w:val="{esc(alias)}"/><w:tag w:val="{tag}"/><w:id w:val="{sdt_id}"/>'
        f"<w:text/></w:sdtPr><w:sdtContent>{content_run}</w:sdtContent></w:sdt>"
    )


def footnote_reference(note_id: int, size: float) -> str:
    """The superscript reference mark in the text that points at footnote `note_id`."""
    props = rpr(size, style="FootnoteReference", superscript=True)
    return f'<w:r>{props}<w:footnoteReference w:id="{note_id}"/></w:r>'


def footnote_mark(size: float) -> str:
    """The footnote's own number at the start of its text (w:footnoteRef)."""
    props = rpr(size, style="FootnoteReference", superscript=True)
    return f"<w:r>{props}<w:footnoteRef/></w:r>"


def page_break_section(sect_pr: str) -> str:
    """An empty paragraph that ends a section with the given w:sectPr."""
    props = ppr(line=20, line_rule="exact", mark_size=1, extra=sect_pr)
    return paragraph(props)
