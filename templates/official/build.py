"""Build the Word templates of templates/official/, one per layout family of Phụ lục III.

    .venv/bin/python templates/official/build.py

Each template is a real .docx that opens and can be edited in Word: page set-up, styles, the
header table, rules, title block, signature block and footnote part of Decree 30 (Phụ lục I),
with docxtpl tags (listed in TAGS.md) where content goes. Parts are written with lxml-checked
XML in a fixed order with fixed timestamps, so rebuilding gives the same bytes; each result is
opened back with python-docx and docxtpl before it is kept.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docxtpl import DocxTemplate
from lxml import etree

from numbering.doctypes import Family
from workflow.rendering import geometry as L
from workflow.rendering.metrics import text_width
from workflow.rendering.package import write_zip
from workflow.rendering.wordml import (
    FONTS,
    LANGUAGE,
    R_NS,
    W_NS,
    paragraph,
    ppr,
    rpr,
    rule,
    run,
    sdt_text,
    tag_run,
)
from workflow.vietnamese import NATIONAL_MOTTO, NATIONAL_NAME

HERE = Path(__file__).resolve().parent
NS = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Relationship ids of word/document.xml; appendix sections refer to the same headers/footers.
RIDS = {
    "styles": "rId1",
    "settings": "rId2",
    "fontTable": "rId3",
    "footnotes": "rId4",
    "header_default": "rId5",
    "header_first": "rId6",
    "footer_default": "rId7",
    "footer_first": "rId8",
}


def xml(text: str) -> bytes:
    """Check well-formedness with lxml and return UTF-8 bytes with the XML declaration."""
    etree.fromstring(text.encode("utf-8"))
    return (DECL + text).encode("utf-8")


def control(tag: str) -> str:
    """A paragraph holding only a docxtpl paragraph-level control tag ({%p … %})."""
    return paragraph(ppr(mark_size=L.BODY_PT), tag_run(tag, L.BODY_PT))


def placeholder(tag: str) -> str:
    """A paragraph that docxtpl replaces whole with generated XML ({{p … }})."""
    return paragraph(ppr(mark_size=L.BODY_PT), tag_run(f"{{{{p {tag} }}}}", L.BODY_PT))


def centred(*runs: str, size: float, before: int = 0, after: int = 0, keep: bool = False) -> str:
    return paragraph(
        ppr(jc="center", before=before, after=after, keep_next=keep, mark_size=size), *runs
    )


def cell(width: int, paragraphs: Iterable[str]) -> str:
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
        + "".join(paragraphs)
        + "</w:tc>"
    )


def table(widths: tuple[int, int], rows: Iterable[tuple[list[str], list[str]]]) -> str:
    """A borderless fixed two-column table (the header and signature blocks)."""
    none = "".join(
        f'<w:{side} w:val="none" w:sz="0" w:space="0" w:color="auto"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    props = (
        f'<w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>{none}</w:tblBorders>'
        '<w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{L.CELL_MARGIN}" w:type="dxa"/>'
        f'<w:right w:w="{L.CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0"'
        ' w:lastColumn="0" w:noHBand="0" w:noVBand="0"/></w:tblPr>'
    )
    grid = "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>"
    body = "".join(
        "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
        + cell(widths[0], left)
        + cell(widths[1], right)
        + "</w:tr>"
        for left, right in rows
    )
    return f"<w:tbl>{props}{grid}{body}</w:tbl>"


# ---------------------------------------------------------------- header block (ô 1–4)


def number_line() -> str:
    """Ô 3: "Số: " [so_vb] "/" symbol, centred under the issuer."""
    size = L.NUMBER_PT
    return centred(
        run("Số: ", size),
        sdt_text("so_vb", "Số văn bản", 101, tag_run("{{ so_vb }}", size), size),
        tag_run("/{{ symbol }}", size),
        size=size,
        before=60,
    )


def date_line() -> str:
    """Ô 4: place, ngày [ngay] tháng [thang] năm year — italic, centred under the motto."""
    size = L.PLACE_DATE_PT
    return centred(
        tag_run("{{ place }}, ngày ", size, italic=True),
        sdt_text("ngay", "Ngày", 102, tag_run("{{ ngay }}", size, italic=True), size, italic=True),
        run(" tháng ", size, italic=True),
        sdt_text(
            "thang", "Tháng", 103, tag_run("{{ thang }}", size, italic=True), size, italic=True
        ),
        tag_run(" năm {{ nam }}", size, italic=True),
        size=size,
        before=60,
    )


def header_block(family: Family) -> str:
    """Ô 1–4 in one borderless row: agency, rule, number (and V/v) left; Quốc hiệu, motto,
    rule, place and date right. The rules are generated: their length follows the text and
    they pad their column so the number and the date stand level."""
    left = [
        control("{%p if parent %}"),
        centred(tag_run("{{ parent }}", L.PARENT_PT), size=L.PARENT_PT),
        control("{%p endif %}"),
        centred(tag_run("{{ issuer }}", L.ISSUER_PT, bold=True), size=L.ISSUER_PT),
        placeholder("issuer_rule"),
        number_line(),
    ]
    if family is Family.CONG_VAN:
        # Ô 5b: "V/v" and the subject, 12 pt, 6 pt under the number.
        left.append(centred(tag_run("V/v {{ subject }}", L.VV_PT), size=L.VV_PT, before=120))
    right = [
        centred(run(NATIONAL_NAME, L.NATIONAL_NAME_PT, bold=True), size=L.NATIONAL_NAME_PT),
        centred(run(NATIONAL_MOTTO, L.MOTTO_PT, bold=True), size=L.MOTTO_PT),
        placeholder("motto_rule"),
    ]
    # Biên bản: no place-and-date line in ô 4 (Mẫu 1.9).
    if family is not Family.BIEN_BAN:
        right.append(date_line())
    return table((L.HEADER_LEFT, L.HEADER_RIGHT), [(left, right)])


# ---------------------------------------------------------------- title block and openings

STATIC_TITLES = {
    Family.NGHI_QUYET: "NGHỊ QUYẾT",
    Family.QUYET_DINH: "QUYẾT ĐỊNH",
    Family.CONG_DIEN: "CÔNG ĐIỆN",
    Family.GIAY_MOI: "GIẤY MỜI",
    Family.GIAY_GIOI_THIEU: "GIẤY GIỚI THIỆU",
    Family.BIEN_BAN: "BIÊN BẢN",
    Family.GIAY_NGHI_PHEP: "GIẤY NGHỈ PHÉP",
}
OPTIONAL_SUBJECT = (Family.GIAY_GIOI_THIEU, Family.GIAY_NGHI_PHEP)
RESOLVING = {Family.NGHI_QUYET: "QUYẾT NGHỊ:", Family.QUYET_DINH: "QUYẾT ĐỊNH:"}


def title_block(family: Family) -> list[str]:
    """Ô 5a: type name (capitals, bold 14) and subject (bold 14), a rule under them."""
    size = L.TITLE_PT
    name = STATIC_TITLES.get(family)
    title = run(name, size, bold=True) if name else tag_run("{{ type_name }}", size, bold=True)
    subject = centred(tag_run("{{ subject }}", L.SUBJECT_PT, bold=True), size=size, keep=True)
    out = [centred(title, size=size, before=360, keep=True)]
    if family in OPTIONAL_SUBJECT:
        out += [control("{%p if subject %}"), subject, control("{%p endif %}")]
    else:
        out.append(subject)
    out.append(placeholder("title_rule"))
    return out


def body_paragraph(*runs: str) -> str:
    return paragraph(
        ppr(
            style="VTBody",
            jc="both",
            after=L.BODY_AFTER,
            line=L.BODY_LINE,
            first_line=L.BODY_INDENT,
            mark_size=L.BODY_PT,
        ),
        *runs,
    )


def enacting_block(family: Family) -> list[str]:
    """Mẫu 1.1–1.3: enacting authority, căn cứ lines (italic), then QUYẾT NGHỊ:/QUYẾT ĐỊNH:."""
    size = L.BODY_PT
    return [
        centred(tag_run("{{ enacting_authority }}", size, bold=True), size=size, after=120),
        control("{%p for b in bases %}"),
        body_paragraph(tag_run("{{ b }}", size, italic=True)),
        control("{%p endfor %}"),
        centred(run(RESOLVING[family], size, bold=True), size=size, before=120, after=120),
    ]


def kinh_gui_block() -> list[str]:
    """Ô 9a: one addressee on the "Kính gửi:" line, several as "- …;" lines under the colon."""
    size = L.BODY_PT
    items_indent = L.KINH_GUI_INDENT + text_width("Kính gửi", size)
    return [
        control("{%p if addressee %}"),
        centred(
            run("Kính gửi: ", size),
            tag_run("{{ addressee }}", size),
            size=size,
            before=120,
            after=120,
        ),
        control("{%p else %}"),
        paragraph(
            ppr(left=L.KINH_GUI_INDENT, keep_next=True, mark_size=size), run("Kính gửi:", size)
        ),
        control("{%p for a in addressee_lines %}"),
        paragraph(ppr(left=items_indent, keep_next=True, mark_size=size), tag_run("{{ a }}", size)),
        control("{%p endfor %}"),
        paragraph(ppr(line=120, line_rule="exact", mark_size=6)),
        control("{%p endif %}"),
    ]


def telegram_block() -> list[str]:
    """Mẫu 1.6: "<ENACTING AUTHORITY> điện:" then the addressees, one "- …;" line each,
    set as body paragraphs."""
    size = L.BODY_PT
    return [
        body_paragraph(
            tag_run("{{ enacting_authority }}", size, bold=True), run(" điện:", size, bold=True)
        ),
        control("{%p for a in addressee_lines %}"),
        body_paragraph(tag_run("{{ a }}", size)),
        control("{%p endfor %}"),
    ]


# ---------------------------------------------------------------- signature and Nơi nhận


def recipients_block() -> list[str]:
    """Ô 9b: "Nơi nhận:" 12 pt bold italic, then the lines at 11 pt, the Lưu line last."""
    return [
        paragraph(
            ppr(before=120, mark_size=L.RECIPIENTS_LABEL_PT),
            run("Nơi nhận:", L.RECIPIENTS_LABEL_PT, bold=True, italic=True),
        ),
        control("{%p for r in recipients %}"),
        paragraph(ppr(mark_size=L.RECIPIENTS_PT), tag_run("{{ r }}", L.RECIPIENTS_PT)),
        control("{%p endfor %}"),
    ]


def signer_block(lines: str, name: str) -> list[str]:
    """Ô 7: authority lines (capitals, bold 14, centred), room to sign and seal, the name."""
    return [
        control(f"{{%p for a in {lines} %}}"),
        centred(tag_run("{{ a }}", L.AUTHORITY_PT, bold=True), size=L.AUTHORITY_PT, before=0),
        control("{%p endfor %}"),
        centred(
            tag_run(f"{{{{ {name} }}}}", L.SIGNER_PT, bold=True),
            size=L.SIGNER_PT,
            before=L.SIGNATURE_SPACE,
        ),
    ]


def signature_block(family: Family) -> list[str]:
    widths = (L.SIGN_LEFT, L.SIGN_RIGHT)
    if family is Family.BIEN_BAN:
        # Mẫu 1.9: THƯ KÝ left, CHỦ TỌA right, Nơi nhận under them.
        signers = table(
            widths,
            [(signer_block("co_authority", "co_signer"), signer_block("authority", "signer"))],
        )
        return [spacer(), signers, *recipients_block()]
    return [spacer(), table(widths, [(recipients_block(), signer_block("authority", "signer"))])]


def spacer() -> str:
    return paragraph(ppr(line=120, line_rule="exact", mark_size=6))


# ---------------------------------------------------------------- document


def section_properties() -> str:
    """The last section: A4 portrait, decree margins, page number from page 2 (titlePg).

    Marked continuous: with appendices it is a trailing empty section (see context.py);
    without, it is the only section and the type has no effect.
    """
    return (
        "<w:sectPr>"
        f'<w:headerReference w:type="default" r:id="{RIDS["header_default"]}"/>'
        f'<w:headerReference w:type="first" r:id="{RIDS["header_first"]}"/>'
        f'<w:footerReference w:type="default" r:id="{RIDS["footer_default"]}"/>'
        f'<w:footerReference w:type="first" r:id="{RIDS["footer_first"]}"/>'
        '<w:type w:val="continuous"/>'
        f'<w:pgSz w:w="{L.PAGE_WIDTH}" w:h="{L.PAGE_HEIGHT}"/>'
        f'<w:pgMar w:top="{L.MARGIN_TOP}" w:right="{L.MARGIN_RIGHT}"'
        f' w:bottom="{L.MARGIN_BOTTOM}" w:left="{L.MARGIN_LEFT}"'
        f' w:header="{L.HEADER_DISTANCE}" w:footer="{L.FOOTER_DISTANCE}" w:gutter="0"/>'
        '<w:cols w:space="720"/><w:titlePg/><w:docGrid w:linePitch="381"/>'
        "</w:sectPr>"
    )


def document(family: Family) -> str:
    blocks = [header_block(family), placeholder("marks")]
    if family is not Family.CONG_VAN:
        blocks += title_block(family)
    if family in RESOLVING:
        blocks += enacting_block(family)
    if family is Family.CONG_VAN:
        blocks += kinh_gui_block()
    if family is Family.TYPED:
        # Tờ trình and báo cáo to a superior carry a Kính gửi (Phụ lục I, II.9.b).
        blocks += [control("{%p if addressee or addressee_lines %}"), *kinh_gui_block()]
        blocks.append(control("{%p endif %}"))
    if family is Family.CONG_DIEN:
        blocks += telegram_block()
    blocks.append(placeholder("body"))
    blocks += signature_block(family)
    blocks.append(placeholder("appendices"))
    blocks.append(paragraph(ppr(line=20, line_rule="exact", mark_size=1)))
    return f"<w:document {NS}><w:body>{''.join(blocks)}{section_properties()}</w:body></w:document>"


# ---------------------------------------------------------------- other parts


def styles() -> str:
    def style(kind: str, ident: str, name: str, inner: str = "", default: bool = False) -> str:
        flag = ' w:default="1"' if default else ""
        return (
            f'<w:style w:type="{kind}"{flag} w:styleId="{ident}"><w:name w:val="{name}"/>'
            f"{inner}</w:style>"
        )

    def props(size: float, after_size: str = "") -> str:
        half = round(size * 2)
        return (
            f'<w:rPr>{FONTS}<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>{after_size}'
            f"{LANGUAGE}</w:rPr>"
        )

    defaults = (
        f"<w:docDefaults><w:rPrDefault>{props(L.BODY_PT)}</w:rPrDefault>"
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    body_ppr = (
        f'<w:pPr><w:spacing w:after="{L.BODY_AFTER}" w:line="{L.BODY_LINE}" w:lineRule="auto"/>'
        f'<w:ind w:firstLine="{L.BODY_INDENT}"/><w:jc w:val="both"/></w:pPr>'
    )
    table_ppr = (
        '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr>"
    )
    centre_ppr = (
        '<w:pPr><w:tabs><w:tab w:val="center" w:pos="4678"/><w:tab w:val="right" w:pos="9355"/>'
        "</w:tabs></w:pPr>"
    )
    all_styles = [
        style("paragraph", "Normal", "Normal", "<w:qFormat/>" + props(L.BODY_PT), default=True),
        style(
            "character",
            "DefaultParagraphFont",
            "Default Paragraph Font",
            '<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/>' + props(L.BODY_PT),
            default=True,
        ),
        style(
            "table",
            "TableNormal",
            "Normal Table",
            '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
            + props(L.BODY_PT)
            + table_ppr,
            default=True,
        ),
        style(
            "paragraph",
            "VTBody",
            "VT Body",
            '<w:basedOn w:val="Normal"/><w:qFormat/>' + body_ppr + props(L.BODY_PT),
        ),
        style(
            "paragraph",
            "Header",
            "header",
            '<w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
            + centre_ppr
            + props(L.PAGE_NUMBER_PT),
        ),
        style(
            "paragraph",
            "Footer",
            "footer",
            '<w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
            + centre_ppr
            + props(L.CONTACT_PT),
        ),
        style(
            "paragraph",
            "FootnoteText",
            "footnote text",
            '<w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
            '<w:pPr><w:jc w:val="both"/></w:pPr>' + props(L.FOOTNOTE_PT),
        ),
        style(
            "character",
            "FootnoteReference",
            "footnote reference",
            '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/>'
            "<w:unhideWhenUsed/>" + props(L.FOOTNOTE_PT, '<w:vertAlign w:val="superscript"/>'),
        ),
    ]
    return f"<w:styles {NS}>{defaults}{''.join(all_styles)}</w:styles>"


def settings() -> str:
    return (
        f"<w:settings {NS}>"
        '<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
        '<w:compat><w:compatSetting w:name="compatibilityMode"'
        ' w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        f'<w:themeFontLang w:val="{L.LANG}"/>'
        '<w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/>'
        "</w:settings>"
    )


def font_table() -> str:
    return (
        f"<w:fonts {NS}>"
        f'<w:font w:name="{L.FONT}"><w:panose1 w:val="02020603050405020304"/>'
        '<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/>'
        "</w:font></w:fonts>"
    )


def footnotes() -> str:
    """Separator, continuation separator, and footnote 1, which `{{p footnotes }}` fills."""
    mark = rpr(L.FOOTNOTE_PT)
    sep = ppr(mark_size=L.FOOTNOTE_PT)
    note = paragraph(
        ppr(style="FootnoteText", jc="both", mark_size=L.FOOTNOTE_PT),
        tag_run("{{p footnotes }}", L.FOOTNOTE_PT),
    )
    return (
        f"<w:footnotes {NS}>"
        f'<w:footnote w:type="separator" w:id="-1"><w:p>{sep}<w:r>{mark}<w:separator/></w:r>'
        "</w:p></w:footnote>"
        f'<w:footnote w:type="continuationSeparator" w:id="0"><w:p>{sep}<w:r>{mark}'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>"
        f'<w:footnote w:id="1">{note}</w:footnote>'
        "</w:footnotes>"
    )


def header_page_number() -> str:
    """Page number: a PAGE field centred in the header (13 pt); page 1 uses the empty header."""
    size = L.PAGE_NUMBER_PT
    props = rpr(size)

    def field(inner: str) -> str:
        return f"<w:r>{props}{inner}</w:r>"

    p = paragraph(
        ppr(style="Header", jc="center", mark_size=size),
        field('<w:fldChar w:fldCharType="begin"/>'),
        field('<w:instrText xml:space="preserve"> PAGE </w:instrText>'),
        field('<w:fldChar w:fldCharType="separate"/>'),
        field("<w:t>2</w:t>"),
        field('<w:fldChar w:fldCharType="end"/>'),
    )
    return f"<w:hdr {NS}>{p}</w:hdr>"


def empty_part(root: str, style: str, size: float) -> str:
    return f"<w:{root} {NS}>{paragraph(ppr(style=style, mark_size=size))}</w:{root}>"


def footer_contact() -> str:
    """Ô 13: contact details at the foot of page 1, 11 pt, under a full-width rule."""
    size = L.CONTACT_PT
    blocks = [
        control("{%p if contact %}"),
        rule(L.TEXT_WIDTH, L.TEXT_WIDTH),
        paragraph(ppr(style="Footer", mark_size=size), tag_run("{{ contact }}", size)),
        control("{%p endif %}"),
        paragraph(ppr(style="Footer", line=20, line_rule="exact", mark_size=1)),
    ]
    return f"<w:ftr {NS}>{''.join(blocks)}</w:ftr>"


def core_properties() -> str:
    return (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:dcterms="http://purl.org/dc/terms/">'
        "<dc:creator>vanthu</dc:creator><cp:lastModifiedBy>vanthu</cp:lastModifiedBy>"
        f"<cp:revision>1</cp:revision><dc:language>{L.LANG}</dc:language>"
        "</cp:coreProperties>"
    )


def app_properties() -> str:
    return (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>vanthu</Application><DocSecurity>0</DocSecurity>'
        "</Properties>"
    )


def content_types() -> str:
    overrides = {
        "/word/document.xml": CT.WML_DOCUMENT_MAIN,
        "/word/styles.xml": CT.WML_STYLES,
        "/word/settings.xml": CT.WML_SETTINGS,
        "/word/fontTable.xml": CT.WML_FONT_TABLE,
        "/word/footnotes.xml": CT.WML_FOOTNOTES,
        "/word/header1.xml": CT.WML_HEADER,
        "/word/header2.xml": CT.WML_HEADER,
        "/word/footer1.xml": CT.WML_FOOTER,
        "/word/footer2.xml": CT.WML_FOOTER,
        "/docProps/core.xml": CT.OPC_CORE_PROPERTIES,
        "/docProps/app.xml": CT.OFC_EXTENDED_PROPERTIES,
    }
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="{CT.OPC_RELATIONSHIPS}"/>'
        f'<Default Extension="xml" ContentType="{CT.XML}"/>'
        + "".join(
            f'<Override PartName="{name}" ContentType="{kind}"/>'
            for name, kind in overrides.items()
        )
        + "</Types>"
    )


def relationships(rels: list[tuple[str, str, str]]) -> str:
    return (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>'
            for rid, kind, target in rels
        )
        + "</Relationships>"
    )


def package(family: Family) -> bytes:
    document_rels = [
        (RIDS["styles"], RT.STYLES, "styles.xml"),
        (RIDS["settings"], RT.SETTINGS, "settings.xml"),
        (RIDS["fontTable"], RT.FONT_TABLE, "fontTable.xml"),
        (RIDS["footnotes"], RT.FOOTNOTES, "footnotes.xml"),
        (RIDS["header_default"], RT.HEADER, "header1.xml"),
        (RIDS["header_first"], RT.HEADER, "header2.xml"),
        (RIDS["footer_default"], RT.FOOTER, "footer1.xml"),
        (RIDS["footer_first"], RT.FOOTER, "footer2.xml"),
    ]
    package_rels = [
        ("rId1", RT.OFFICE_DOCUMENT, "word/document.xml"),
        ("rId2", RT.CORE_PROPERTIES, "docProps/core.xml"),
        ("rId3", RT.EXTENDED_PROPERTIES, "docProps/app.xml"),
    ]
    entries = [
        ("[Content_Types].xml", content_types()),
        ("_rels/.rels", relationships(package_rels)),
        ("docProps/core.xml", core_properties()),
        ("docProps/app.xml", app_properties()),
        ("word/document.xml", document(family)),
        ("word/_rels/document.xml.rels", relationships(document_rels)),
        ("word/styles.xml", styles()),
        ("word/settings.xml", settings()),
        ("word/fontTable.xml", font_table()),
        ("word/footnotes.xml", footnotes()),
        ("word/header1.xml", header_page_number()),
        ("word/header2.xml", empty_part("hdr", "Header", L.PAGE_NUMBER_PT)),
        ("word/footer1.xml", empty_part("ftr", "Footer", L.CONTACT_PT)),
        ("word/footer2.xml", footer_contact()),
    ]
    return write_zip([(name, xml(text)) for name, text in entries], deflate=True)


def build(directory: Path = HERE) -> list[Path]:
    """Write every family's template into `directory`; check each opens in python-docx/docxtpl."""
    written = []
    for family in Family:
        path = directory / L.TEMPLATE_NAMES[family]
        path.write_bytes(package(family))
        Document(str(path))
        DocxTemplate(str(path)).get_undeclared_template_variables()
        written.append(path)
    return written


if __name__ == "__main__":
    for built in build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(built)
