"""Finding the elements of Decree 30's layout in a document by their content, whoever wrote it:
Quốc hiệu, Tiêu ngữ, issuer, 'Số:', place and date, title, Kính gửi, căn cứ, body, signature,
Nơi nhận and marks. Tables, tabs and line breaks are all tolerated; nothing here judges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from numbering.doctypes import DOC_TYPES, DocType, Family
from workflow.rendering.docxread import Chunk, Docx, Paragraph
from workflow.vietnamese import canonical_tones, fold, nfc

# "Số: 07/TB-BGDĐT", "Số:   4390     /UBND-NLN", "Số:      /TB-BGDĐT" (a draft).
NUMBER_RE = re.compile(r"^Số\s*(?P<colon>:?)\s*(?P<n>[^\s/]*)\s*/\s*(?P<symbol>\S+)$", re.I)
# "Hà Nội, ngày 05 tháng 01 năm 2022", "Hà Nội, ngày      tháng      năm 2021".
DATE_RE = re.compile(
    r"^(?P<place>.{0,60}?)\s*(?P<comma>,?)\s*(?P<ngay>ngày)\s*(?P<d>\S*?)\s*(?P<thang>tháng)"
    r"\s*(?P<m>\S*?)\s*(?P<nam>năm)\s*(?P<y>\S*)$",
    re.I,
)
# The form the decree forbids in ô 4: "Hà Nội, 05/01/2022".
DMY_RE = re.compile(
    r"^(?P<place>[^,\d]{1,60}),\s*(?:ngày\s*)?(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})"
    r"\s*[/.-]\s*(?P<y>\d{4})\.?$",
    re.I,
)
# Anything written like a capacity prefix: "TM.", "KT.", "TT." (wrong), "Q." …
PREFIX_LIKE = re.compile(r"^([^\W\d_]{1,4})\.\s*\S")
_DASHES = ("-", "–", "—", "+", "•")
# Headings inside the body that the decree centres: Phần, Chương, Mục, Tiểu mục.
BODY_HEADING = re.compile(r"^(phan|chuong|muc|tieu muc)\s+[\divxlc]+\b", re.I)

MARKS = {
    "hoa toc": "urgency",
    "thuong khan": "urgency",
    "khan": "urgency",
    "mat": "secrecy",
    "toi mat": "secrecy",
    "tuyet mat": "secrecy",
    "luu hanh noi bo": "circulation",
    "xem xong tra lai": "circulation",
}


# Every element recognised by its key is short, or recognised by how it starts: folding the
# first characters is enough and keeps long body paragraphs cheap.
_KEY_PREFIX = 80


def key(text: str) -> str:
    """Accent-folded, lower-case, without spaces: how elements are recognised."""
    return "".join(_folded_words(text[:_KEY_PREFIX]))


def spaced_key(text: str) -> str:
    return " ".join(_folded_words(text[:_KEY_PREFIX]))


@lru_cache(maxsize=2048)
def _folded_words(prefix: str) -> tuple[str, ...]:
    # The checker asks for the key of the same paragraph several times (one per element it
    # looks for): fold each prefix once.
    return tuple(fold(canonical_tones(nfc(prefix))).split())


def is_capitals(text: str) -> bool:
    """Real capitals (not Word's All caps): has letters and none of them is lower case."""
    return any(c.isalpha() for c in text) and text == text.upper()


_TITLES: dict[str, DocType] = {key(t.title): t for t in DOC_TYPES if t.typed}
_NATIONAL = key("CỘNG HÒA XÃ HỘI CHỦ NGHĨA")
_MOTTO = "doclaptudohanhphuc"


def doc_type_of(chunk: Chunk) -> DocType | None:
    return _TITLES.get(key(chunk.text))


def _letters(text: str) -> str:
    return "".join(c for c in key(text) if c.isalnum())


@dataclass
class Signature:
    """One signature block (ô 7): authority lines top to bottom and the signer's name."""

    authority: list[Chunk]
    name: Chunk | None
    chunks: list[Chunk]


@dataclass
class Recipients:
    """The Nơi nhận block (ô 9b): its label, items (each one or more chunks), ô 12."""

    label: Chunk
    items: list[list[Chunk]] = field(default_factory=list)
    drafter: Chunk | None = None


@dataclass
class Layout:
    """Where each element of the decree's layout was found (None when it is not there)."""

    chunks: list[Chunk]
    national: Chunk | None = None
    motto: Chunk | None = None
    number: Chunk | None = None
    date: Chunk | None = None
    date_dmy: Chunk | None = None
    issuer: list[Chunk] = field(default_factory=list)
    parent: list[Chunk] = field(default_factory=list)
    doc_type: DocType | None = None
    title: Chunk | None = None
    title_paragraphs: list[Paragraph] = field(default_factory=list)
    subject: list[Chunk] = field(default_factory=list)
    vv: list[Chunk] = field(default_factory=list)
    addressees: list[Chunk] = field(default_factory=list)
    bases: list[Chunk] = field(default_factory=list)
    body: list[Paragraph] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    recipients: Recipients | None = None
    marks: list[tuple[Chunk, str]] = field(default_factory=list)

    @property
    def is_cong_van(self) -> bool:
        return self.doc_type is None and bool(self.vv)

    @property
    def is_bien_ban(self) -> bool:
        return self.doc_type is not None and self.doc_type.family is Family.BIEN_BAN


def find_layout(doc: Docx) -> Layout:
    """Locate every element the checker judges, in document order."""
    paragraphs = doc.paragraphs
    chunks = [c for p in paragraphs for c in p.chunks]
    lay = Layout(chunks)
    zone_end = _header_zone_end(chunks)
    header = chunks[:zone_end]

    for i, c in enumerate(header):
        if key(c.text).startswith(_NATIONAL):
            lay.national = c
            for d in header[i + 1 :]:
                if _letters(d.text) == _MOTTO:
                    lay.motto = d
                    break
            break
    if lay.motto is None:
        lay.motto = next((c for c in header if _letters(c.text) == _MOTTO), None)
    lay.number = next((c for c in header if NUMBER_RE.match(nfc(c.raw).strip())), None)
    lay.date = next((c for c in header if DATE_RE.match(nfc(c.raw).strip())), None)
    if lay.date is None:
        lay.date_dmy = next((c for c in header if DMY_RE.match(c.text)), None)
    if zone_end < len(chunks) and doc_type_of(chunks[zone_end]):
        lay.title = chunks[zone_end]
        lay.doc_type = doc_type_of(lay.title)
    _find_issuer(lay, header)
    if lay.number is not None and lay.doc_type is None:
        start = header.index(lay.number) + 1
        for i, c in enumerate(header[start:], start):
            if key(c.text).startswith("v/v"):
                lay.vv = [c] + [
                    d
                    for d in header[i + 1 :]
                    if d.paragraph.cell is not None
                    and c.paragraph.cell is not None
                    and d.paragraph.cell.tc is c.paragraph.cell.tc
                ]
                break
    lay.marks = [
        (c, MARKS[spaced_key(c.text)])
        for c in chunks + [c for p in doc.text_boxes for c in p.chunks]
        if spaced_key(c.text) in MARKS
    ]

    cursor = _header_end(lay, paragraphs)
    if lay.title is not None:
        cursor = max(cursor, _title_block(lay, paragraphs))
    body_start = _preamble(lay, chunks, cursor)
    body_end = _closing(lay, paragraphs, chunks, body_start)
    lay.body = [p for p in paragraphs if p.top_level and body_start <= p.ordinal < body_end]
    return lay


def _header_zone_end(chunks: list[Chunk]) -> int:
    """Index of the first chunk past the header: the title, Kính gửi, căn cứ or prose."""
    for i, c in enumerate(chunks):
        k = key(c.text)
        if doc_type_of(c) or k.startswith(("kinhgui", "cancu", "noinhan")) or len(c.text) > 200:
            return i
    return len(chunks)


def same_container(a: Paragraph, b: Paragraph) -> bool:
    """Both in the same table cell, or both in the running text (text boxes apart)."""
    if a.in_text_box or b.in_text_box:
        return False
    if a.cell is None or b.cell is None:
        return a.cell is None and b.cell is None
    return a.cell.tc is b.cell.tc


def _same_column(a: Paragraph, b: Paragraph) -> bool:
    """Same cell, or the same grid column of the same table (a header drawn in two rows)."""
    if a.cell is None or b.cell is None:
        return same_container(a, b)
    return a.cell.tc is b.cell.tc or (
        a.cell.table is b.cell.table and a.cell.column == b.cell.column
    )


def _find_issuer(lay: Layout, header: list[Chunk]) -> None:
    """The issuer is what stands above 'Số:' in its column; bold lines are the issuer name,
    plain ones above them the parent agency."""
    anchor = lay.number
    if anchor is None:
        return
    skip = {id(c) for c in (lay.national, lay.motto, lay.date) if c is not None}
    skip |= {id(c) for c, _ in lay.marks}
    above = [
        c
        for c in header[: header.index(anchor)]
        if id(c) not in skip
        and _same_column(c.paragraph, anchor.paragraph)
        and spaced_key(c.text) not in MARKS
        and (anchor.paragraph.cell is not None or c.column == anchor.column)
    ]
    if anchor.paragraph.cell is None:
        above = above[-3:]
    if not above:
        return
    issuer: list[Chunk] = []
    for c in reversed(above):
        if all(s.props.bold for s in c.printed()):
            issuer.insert(0, c)
        else:
            break
    if not issuer:
        issuer = [above[-1]]
    lay.issuer = issuer
    lay.parent = above[: len(above) - len(issuer)]


def _header_end(lay: Layout, paragraphs: list[Paragraph]) -> int:
    """Ordinal of the last paragraph of the header (ô 1–4, 5b) including its tables."""
    parts = [lay.national, lay.motto, lay.number, lay.date, lay.date_dmy, *lay.issuer, *lay.vv]
    found = [c.paragraph for c in parts if c is not None]
    if not found:
        return 0
    end = max(p.ordinal for p in found)
    tables = {p.cell.outer_table for p in found if p.cell is not None}
    for p in paragraphs:
        if p.cell is not None and p.cell.outer_table in tables:
            end = max(end, p.ordinal)
    return end


def _title_block(lay: Layout, paragraphs: list[Paragraph]) -> int:
    """Collect the title paragraph and the subject lines under it; return the last ordinal."""
    assert lay.title is not None
    first = lay.title.paragraph
    block = [first]
    lay.subject = [c for c in first.chunks if c is not lay.title and c.line > lay.title.line]
    if first.props.border_bottom is None:
        following = [p for p in paragraphs if p.ordinal > first.ordinal]
        for p in following:
            if p.empty or not same_container(p, first) or not p.props.centred:
                break
            if key(p.text).startswith(("kinhgui", "cancu", "theodenghi", "xetdenghi")):
                break
            block.append(p)
            lay.subject.extend(p.chunks)
            if p.props.border_bottom is not None:
                break
    lay.title_paragraphs = block
    return block[-1].ordinal


def _preamble(lay: Layout, chunks: list[Chunk], cursor: int) -> int:
    """Walk Kính gửi, the enacting authority, căn cứ and a 'QUYẾT ĐỊNH:' line; return the
    ordinal of the first body paragraph."""
    rest = [c for c in chunks if c.paragraph.ordinal > cursor]
    i = 0
    enacting = lay.doc_type is not None and lay.doc_type.family in (
        Family.QUYET_DINH,
        Family.NGHI_QUYET,
        Family.CONG_DIEN,
    )
    while i < len(rest):
        c = rest[i]
        k = key(c.text)
        cong_dien = lay.doc_type is not None and lay.doc_type.family is Family.CONG_DIEN
        if k.startswith("kinhgui") or (cong_dien and k.endswith("dien:")):
            # Kính gửi (ô 9a), or a công điện's "<AUTHORITY> điện:" before its addressees.
            lay.addressees.append(c)
            i += 1
            inline = c.text.split(":", 1)[1].strip() if ":" in c.text else ""
            while i < len(rest) and (
                rest[i].text.startswith(_DASHES)
                or (
                    not inline
                    and len(lay.addressees) == 1
                    and rest[i].paragraph.cell is not None
                    and c.paragraph.cell is not None
                    and rest[i].paragraph.cell.tr is c.paragraph.cell.tr
                )
            ):
                lay.addressees.append(rest[i])
                i += 1
            continue
        if spaced_key(c.text) in MARKS or k == "duthao":
            i += 1  # a mark or a draft stamp between the header and the text
            continue
        if k.startswith(("cancu", "theodenghi", "xetdenghi")):
            lay.bases.append(c)
            i += 1
            continue
        if is_capitals(c.text) and c.text.endswith(":") and len(c.text) <= 40:
            i += 1  # "QUYẾT ĐỊNH:", "QUYẾT NGHỊ:" — the body follows
            break
        if enacting and not lay.bases and is_capitals(c.text) and c.paragraph.props.centred:
            i += 1  # thẩm quyền ban hành under a QĐ / NQ title
            continue
        break
    if i < len(rest):
        return rest[i].paragraph.ordinal
    return (chunks[-1].paragraph.ordinal + 1) if chunks else 0


def _closing(lay: Layout, paragraphs: list[Paragraph], chunks: list[Chunk], start: int) -> int:
    """Find Nơi nhận and the signature(s); return the ordinal where the body stops."""
    after = [c for c in chunks if c.paragraph.ordinal >= start]
    label = next((c for c in after if key(c.text).rstrip(":") == "noinhan"), None)
    end = label.paragraph.ordinal if label is not None else _last_ordinal(paragraphs) + 1
    if label is not None:
        lay.recipients = _recipients(label, after[after.index(label) + 1 :])

    if label is not None and label.paragraph.cell is not None:
        row = label.paragraph.cell.outer_tr
        own = label.paragraph.cell.outer_tc
        cells: dict[int, list[Chunk]] = {}
        for c in after:
            cell = c.paragraph.cell
            if cell is not None and cell.outer_tr is row and cell.outer_tc is not own:
                cells.setdefault(id(cell.outer_tc), []).append(c)
        sigs = [_signature(cs) for cs in cells.values()]
        sigs = [s for s in sigs if s.authority]
        if sigs:
            lay.signatures = sigs
            table = label.paragraph.cell.outer_table
            return min(p.ordinal for p in paragraphs if p.cell and p.cell.outer_table is table)

    # The signature in a table of its own before Nơi nhận (or at the end).
    tables: dict[int, list[Chunk]] = {}
    for c in after:
        if c.paragraph.ordinal >= end:
            break
        if c.paragraph.cell is not None:
            tables.setdefault(id(c.paragraph.cell.outer_table), []).append(c)
    for table_chunks in reversed(list(tables.values())):
        by_cell: dict[int, list[Chunk]] = {}
        for c in table_chunks:
            cell = c.paragraph.cell
            if cell is not None:
                by_cell.setdefault(id(cell.outer_tc), []).append(c)
        sigs = [_signature(cs) for cs in by_cell.values() if _looks_like_signature(cs)]
        if sigs:
            lay.signatures = sigs
            return table_chunks[0].paragraph.ordinal

    # Plain paragraphs: walk back from Nơi nhận (or the end) over the name, the signing space
    # and the capital authority lines.
    top = [c for c in after if c.paragraph.top_level and c.paragraph.ordinal < end]
    sig: list[Chunk] = []
    for c in reversed(top):
        if c.text.startswith("(") and c.text.endswith(")"):
            sig.insert(0, c)  # "(Đã ký)", "(Ký, đóng dấu)"
        elif is_capitals(c.text) and len(c.text) <= 120 and not c.text.endswith(("./.", ":")):
            sig.insert(0, c)
        elif not sig and len(c.text) <= 60 and not c.text.endswith("."):
            sig.insert(0, c)  # the signer's name under the signing space
        else:
            break
    signature = _signature(sig) if sig else None
    if signature is not None and signature.authority:
        lay.signatures = [signature]
        return sig[0].paragraph.ordinal
    return end


def _last_ordinal(paragraphs: list[Paragraph]) -> int:
    return paragraphs[-1].ordinal if paragraphs else 0


def _looks_like_signature(chunks: list[Chunk]) -> bool:
    first = chunks[0].text
    return is_capitals(first) and (
        bool(PREFIX_LIKE.match(first)) or (len(chunks) > 1 and not is_capitals(chunks[-1].text))
    )


def _signature(chunks: list[Chunk]) -> Signature:
    """Split a signature column into authority lines (the capitals at the top) and the name
    (the last line, usually after the signing space)."""
    authority: list[Chunk] = []
    for i, c in enumerate(chunks):
        if not is_capitals(c.text):
            break
        if i and _gap_between(chunks[i - 1].paragraph, c.paragraph):
            break  # the signing space: what follows is the name
        authority.append(c)
    rest = [
        c for c in chunks[len(authority) :] if not (c.text.startswith("(") and c.text.endswith(")"))
    ]
    return Signature(authority, rest[-1] if rest else None, chunks)


def _gap_between(a: Paragraph, b: Paragraph) -> bool:
    """Whether empty paragraphs (the signing space) separate two paragraphs."""
    return b.ordinal - a.ordinal > 1


def _recipients(label: Chunk, following: list[Chunk]) -> Recipients:
    """Items below the label in its column; lines without a dash continue the item above."""
    rec = Recipients(label)
    cell = label.paragraph.cell
    previous = label.paragraph
    for c in following:
        p = c.paragraph
        if cell is not None:
            if p.cell is None or p.cell.tc is not cell.tc:
                break
        else:
            if not p.top_level or (p is not previous and p.ordinal - previous.ordinal > 1):
                break
        dash = c.text.startswith(_DASHES)
        if rec.items and not dash:
            last = " ".join(x.text for x in rec.items[-1])
            if _is_drafter(c.text) and key(last).startswith("-luu"):
                rec.drafter = c
                previous = p
                continue
            finished = last.endswith((";", "."))
            if finished and cell is None and not c.text.endswith((";", ".")):
                break  # a finished list in running text: what follows is something else
            if finished:
                dash = True  # an item that lost its dash, not the rest of the one above
        previous = p
        if dash or not rec.items:
            rec.items.append([c])
        else:
            rec.items[-1].append(c)
    return rec


def _is_drafter(text: str) -> bool:
    return bool(re.fullmatch(r"[A-ZĐ]{1,10}\.?\s*\(\d+[a-z]?\)\.?", text))
