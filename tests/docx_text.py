"""Reading rendered .docx files back for the rendering tests: python-docx for the package and
the body, lxml for what python-docx leaves out (content-control text, footnotes, headers)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import docx
from docx.oxml.ns import qn
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def text_of(p) -> str:
    """A paragraph's printed text, content controls included; w:br → newline, w:tab → tab."""
    out = []
    for el in p.iter(f"{W}t", f"{W}br", f"{W}tab"):
        if el.tag == f"{W}t":
            out.append(el.text or "")
        elif el.tag == f"{W}br":
            out.append("\n")
        elif el.tag == f"{W}tab" and el.getparent().tag == f"{W}r":
            out.append("\t")
    return "".join(out)


def collapse(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Para:
    text: str
    element: object
    table: int | None  # index of the top-level table holding it, None in the body flow
    row: int | None
    cell: int | None


def walk(data: bytes) -> list[Para]:
    """Every body paragraph in document order, table cells included (row by row, cell by cell)."""
    document = docx.Document(io.BytesIO(data))
    out: list[Para] = []
    tables = 0
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            out.append(Para(text_of(child), child, None, None, None))
        elif child.tag == qn("w:tbl"):
            for r, row in enumerate(child.iterchildren(qn("w:tr"))):
                for c, cell in enumerate(row.iterchildren(qn("w:tc"))):
                    for p in cell.iter(qn("w:p")):
                        out.append(Para(text_of(p), p, tables, r, c))
            tables += 1
    return out


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def part_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.namelist()


def footnotes(data: bytes) -> dict[int, str]:
    """Text of each real footnote (separators excluded) by id, from word/footnotes.xml."""
    root = part(data, "word/footnotes.xml")
    notes = {}
    for note in root.iter(f"{W}footnote"):
        if note.get(f"{W}type") in ("separator", "continuationSeparator"):
            continue
        notes[int(note.get(f"{W}id"))] = collapse(" ".join(text_of(p) for p in note.iter(f"{W}p")))
    return notes


def references(p) -> list[int]:
    """Ids of the footnote references in a paragraph, in order."""
    return [int(r.get(f"{W}id")) for r in p.iter(f"{W}footnoteReference")]


def sdt_values(data: bytes) -> dict[str, str]:
    """Text inside each plain-text content control of the body, by tag."""
    root = part(data, "word/document.xml")
    out = {}
    for sdt in root.iter(f"{W}sdt"):
        tag = sdt.find(f"{W}sdtPr/{W}tag").get(f"{W}val")
        assert sdt.find(f"{W}sdtPr/{W}text") is not None, f"content control {tag} is not w:text"
        content = sdt.find(f"{W}sdtContent")
        out[tag] = "".join(t.text or "" for t in content.iter(f"{W}t"))
    return out


def all_texts(data: bytes) -> list[str]:
    """The text of every paragraph of every XML part that prints (body, notes, headers…)."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                root = etree.fromstring(z.read(name))
                out += [text_of(p) for p in root.iter(f"{W}p")]
    return out
