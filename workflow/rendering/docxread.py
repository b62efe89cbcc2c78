"""Reading a .docx back as Word lays it out: parts, sections, and every paragraph in document
order (table cells, nested tables and text boxes included) with the effective properties of
its runs — direct formatting → character style → paragraph style → table style → defaults,
theme fonts resolved through the theme part. Works on any .docx, not only vanthu's own.
"""

from __future__ import annotations

import io
import os
import posixpath
import threading
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from lxml import etree

from workflow.errors import VanthuError
from workflow.rendering.docxshapes import count_lines, text_boxes
from workflow.rendering.docxstyles import Numbering, Styles, Theme
from workflow.rendering.ooxml import (
    REL_ENDNOTES,
    REL_FOOTER,
    REL_FOOTNOTES,
    REL_HEADER,
    REL_NUMBERING,
    REL_OFFICE_DOCUMENT,
    REL_SETTINGS,
    REL_STYLES,
    REL_THEME,
    STRICT_W_NS,
    W_NS,
    half_points,
    on_off,
    qn,
    twips,
    w,
    wattr,
)


class UnreadableDocument(VanthuError):
    """The input is not a Word document that can be checked (not a zip, no main part…)."""

    code = "unreadable_document"


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)

FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
_THEME_ATTR = {"ascii": "asciiTheme", "hAnsi": "hAnsiTheme", "eastAsia": "eastAsiaTheme"}
_THEME_ATTR["cs"] = "cstheme"  # sic: the schema spells it in lower case


@dataclass(frozen=True)
class RunProps:
    """The effective character formatting of a run, as Word would apply it."""

    fonts: tuple[tuple[str, str | None], ...]  # (slot, typeface or None when nothing sets it)
    size: float | None  # points
    bold: bool
    italic: bool
    caps: bool
    color: str | None  # "auto", "000000", … (theme colours resolved), None when unset
    lang: str | None  # w:lang/@w:val, e.g. "vi-VN"
    hidden: bool

    def font(self, slot: str) -> str | None:
        return dict(self.fonts)[slot]


@dataclass(frozen=True)
class ParaProps:
    """The effective paragraph formatting Decree 30 cares about (lengths in twips)."""

    style: str | None
    jc: str | None  # "both", "center", "left", …
    first_line: int  # negative for a hanging indent
    left: int
    right: int
    before: int
    after: int
    before_auto: bool
    after_auto: bool
    line: int | None
    line_rule: str  # "auto" (line in 240ths), "exact" or "atLeast" (line in twips)
    contextual: bool
    border_top: str | None  # border style (w:val) when a visible border is set
    border_bottom: str | None
    tabs: tuple[tuple[str, int], ...]  # (alignment, position)
    first_line_chars: int | None = None

    @property
    def centred(self) -> bool:
        return self.jc == "center"

    @property
    def justified(self) -> bool:
        return self.jc in ("both", "distribute")


@dataclass(frozen=True)
class Segment:
    """A piece of printed text with the formatting it is printed in."""

    text: str
    props: RunProps


@dataclass(eq=False)
class Chunk:
    """One visual line of a paragraph (split at line breaks), further split at tabs."""

    paragraph: Paragraph
    line: int
    column: int  # which tab-separated part of its line (0 = before any tab)
    columns: int  # how many tab-separated parts its line has
    segments: list[Segment]

    @cached_property
    def raw(self) -> str:
        return "".join(s.text for s in self.segments)

    @cached_property
    def text(self) -> str:
        """NFC, spaces collapsed: what content is matched against."""
        return " ".join(unicodedata.normalize("NFC", self.raw).split())

    def printed(self) -> list[Segment]:
        """Segments that put ink on the page (not only spaces)."""
        return [s for s in self.segments if s.text.strip()]


@dataclass(frozen=True)
class Field:
    """A field (PAGE, NUMPAGES …) and the formatting its result is printed in."""

    instr: str
    props: tuple[RunProps, ...]

    @property
    def name(self) -> str:
        parts = self.instr.split()
        return parts[0].upper() if parts else ""


@dataclass(frozen=True)
class Cell:
    """Where a paragraph sits in a table: its cell and row, the outermost table's cell, row and
    table (for nested tables), and a readable path."""

    tc: Any
    tr: Any
    path: str  # "table 1, row 1, cell 2"
    outer_tc: Any
    outer_tr: Any
    outer_table: Any
    table: Any = None  # the innermost table
    column: int = 0  # first grid column the cell spans


@dataclass(eq=False)
class Paragraph:
    """A paragraph in document order with everything the checker reads from it."""

    ordinal: int
    label: str  # "body paragraph 3", "header (page 2+) of section 1, paragraph 1"
    element: Any
    props: ParaProps
    segments: list[Segment]
    cell: Cell | None
    section: int
    line_shapes: int = 0  # solid horizontal line shapes anchored here
    fields: list[Field] = field(default_factory=list)
    page_break: bool = False
    in_text_box: bool = False

    @cached_property
    def raw(self) -> str:
        return "".join(s.text for s in self.segments)

    @cached_property
    def text(self) -> str:
        return " ".join(unicodedata.normalize("NFC", self.raw).split())

    @property
    def empty(self) -> bool:
        return not self.text

    @property
    def top_level(self) -> bool:
        return self.cell is None and not self.in_text_box

    @cached_property
    def chunks(self) -> list[Chunk]:
        """Non-empty chunks: lines split at breaks, then at tabs."""
        lines: list[list[Segment]] = [[]]
        for seg in self.segments:
            parts = seg.text.split("\n")
            for i, part in enumerate(parts):
                if i:
                    lines.append([])
                if part:
                    lines[-1].append(Segment(part, seg.props))
        out: list[Chunk] = []
        for n, line in enumerate(lines):
            cols: list[list[Segment]] = [[]]
            for seg in line:
                parts = seg.text.split("\t")
                for i, part in enumerate(parts):
                    if i:
                        cols.append([])
                    if part:
                        cols[-1].append(Segment(part, seg.props))
            # Columns count the tab stops used, leading ones included: "\tĐộc lập …" is
            # placed by its tab, not by the paragraph's alignment.
            for m, col in enumerate(cols):
                if "".join(s.text for s in col).strip():
                    out.append(Chunk(self, n, m, len(cols), col))
        return out

    @property
    def where(self) -> str:
        snippet = self.text if len(self.text) <= 48 else self.text[:45].rstrip() + "…"
        place = f"{self.label} ('{snippet}')" if snippet else self.label
        if self.cell is not None:
            place += f", {self.cell.path}"
        return place

    def printed(self) -> list[Segment]:
        return [s for s in self.segments if s.text.strip()]


@dataclass(eq=False)
class Section:
    """A section of the document: page setup and the header/footer parts it uses."""

    index: int  # 1-based
    element: Any
    width: int | None
    height: int | None
    orient: str | None
    margins: dict[str, int]
    title_page: bool
    headers: dict[str, str]  # type ("default", "first", "even") → part name, inherited
    footers: dict[str, str]
    has_table: bool = False
    paragraphs: list[Paragraph] = field(default_factory=list)
    page_start: int | None = None  # w:pgNumType/@w:start: numbering restarts here

    @property
    def where(self) -> str:
        return f"section {self.index}"


_VISIBLE_BORDER_NONE = {"none", "nil"}

# Inline containers whose runs are printed (content controls, links, tracked insertions …).
_INLINE_CONTAINERS = {
    w("hyperlink"),
    w("ins"),
    w("moveTo"),
    w("smartTag"),
    w("customXml"),
    w("fldSimple"),
    w("dir"),
    w("bdo"),
    w("sdtContent"),
    w("sdt"),
}


@dataclass
class _Definitions:
    """What a package's styles, theme, numbering and settings parts define, and the effective
    run and paragraph properties resolved against them so far."""

    styles: Styles
    theme: Theme
    numbering: Numbering
    even_and_odd_headers: bool
    run_props: dict[Any, RunProps] = field(default_factory=dict)
    para_props: dict[Any, ParaProps] = field(default_factory=dict)


_DEFINITION_RELS = (REL_STYLES, REL_THEME, REL_NUMBERING, REL_SETTINGS)
# Keyed by the parts' names and bytes; a handful of templates in practice, bounded all the same.
_DEFINITIONS: dict[tuple[tuple[str | None, bytes], ...], _Definitions] = {}
_DEFINITIONS_HELD = 8
_DEFINITIONS_LOCK = threading.Lock()
_PROPS_HELD = 4096  # resolved properties per set of definitions, before starting afresh


class Docx:
    """A .docx opened for checking. Construct with bytes, a path, or a path-like."""

    def __init__(self, source: bytes | str | os.PathLike[str]) -> None:
        self._zip = _open_zip(source)
        self._names = set(self._zip.namelist())
        self.main_name = self._main_part_name()
        main = self._xml(self.main_name)
        if main is None:
            raise UnreadableDocument(
                f"the package has no main document part ({self.main_name}); not a Word document"
            )
        if main.tag == f"{{{STRICT_W_NS}}}document":
            raise UnreadableDocument(
                "the file is saved as Strict Open XML; save it as a Word Document (.docx)"
                " to check it"
            )
        if main.tag != w("document"):
            raise UnreadableDocument(f"{self.main_name} is not a WordprocessingML document")
        self.root = main
        self.rels = self._rels(self.main_name)
        shared = self._definitions()
        self.styles, self.theme, self.numbering = shared.styles, shared.theme, shared.numbering
        self.even_and_odd_headers = shared.even_and_odd_headers
        # Effective properties depend on the definitions alone: shared by every file that
        # carries the very same parts (every file rendered from one template).
        self._rcache: dict[Any, RunProps] = shared.run_props
        self._parts: dict[str, list[Paragraph]] = {}
        self._pcache: dict[Any, ParaProps] = shared.para_props
        self.paragraphs: list[Paragraph] = []
        self.text_boxes: list[Paragraph] = []
        self.sections: list[Section] = []
        self._tables = 0
        self._read_body()

    # -- package ---------------------------------------------------------------------------

    def _xml(self, name: str) -> Any | None:
        if name not in self._names:
            return None
        try:
            return etree.fromstring(self._zip.read(name), _PARSER)
        except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError) as exc:
            raise UnreadableDocument(f"{name} is not well-formed XML: {exc}") from exc

    def _definitions(self) -> _Definitions:
        """Styles, theme, numbering and settings, parsed once per distinct set of parts."""
        parts = tuple(self._related_bytes(r) for r in _DEFINITION_RELS)
        found = _DEFINITIONS.get(parts)
        if found is None:
            roots = [self._xml(name) if name is not None else None for name, _ in parts]
            styles, theme, numbering, settings = roots
            found = _Definitions(
                Styles(styles),
                Theme(theme),
                Numbering(numbering),
                bool(settings is not None and on_off(settings.find(w("evenAndOddHeaders")))),
            )
            with _DEFINITIONS_LOCK:
                while len(_DEFINITIONS) >= _DEFINITIONS_HELD:
                    del _DEFINITIONS[next(iter(_DEFINITIONS))]  # the oldest: dicts keep order
                _DEFINITIONS[parts] = found
        return found

    def _related_bytes(self, rel_type: str) -> tuple[str | None, bytes]:
        """(part name, its bytes) of the first part of `rel_type`; (None, b"") without one."""
        for typ, target in self.rels.values():
            if typ.endswith(rel_type):
                if target not in self._names:
                    return (None, b"")
                try:
                    return (target, self._zip.read(target))
                except (zipfile.BadZipFile, OSError, ValueError) as exc:
                    raise UnreadableDocument(f"{target} cannot be read: {exc}") from exc
        return (None, b"")

    def _main_part_name(self) -> str:
        rels = self._xml("_rels/.rels")
        if rels is not None:
            for rel in rels.iter(qn("pr:Relationship")):
                if rel.get("Type", "").endswith(REL_OFFICE_DOCUMENT):
                    return rel.get("Target", "").lstrip("/")
        return "word/document.xml"

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        folder, base = posixpath.split(part)
        root = self._xml(posixpath.join(folder, "_rels", base + ".rels"))
        out: dict[str, tuple[str, str]] = {}
        if root is None:
            return out
        for rel in root.iter(qn("pr:Relationship")):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            out[rel.get("Id", "")] = (rel.get("Type", ""), posixpath.normpath(path))
        return out

    def part_names(self, rel_type: str) -> list[str]:
        return [target for typ, target in self.rels.values() if typ.endswith(rel_type)]

    # -- effective properties --------------------------------------------------------------

    def _style_layers(self, style_id: str | None, kind: str, tag: str) -> list[Any]:
        sid = style_id if style_id in self.styles.by_id else self.styles.default.get(kind)
        out = []
        for style in self.styles.chain(sid):
            el = style.find(w(tag))
            if el is not None:
                out.append(el)
        return out

    def run_props(self, rpr: Any | None, pstyle: str | None, tstyle: str | bool | None) -> RunProps:
        """Effective run properties: direct → character style → paragraph → table → defaults."""
        rstyle = wattr(rpr.find(w("rStyle")), "val") if rpr is not None else None
        key = (etree.tostring(rpr) if rpr is not None else None, pstyle, tstyle)
        cached = self._rcache.get(key)
        if cached is not None:
            return cached
        groups: list[list[Any]] = [
            [rpr] if rpr is not None else [],
            self._style_layers(rstyle, "character", "rPr"),
            self._style_layers(pstyle, "paragraph", "rPr"),
            self._style_layers(tstyle, "table", "rPr") if tstyle is not False else [],
            [self.styles.rpr_default] if self.styles.rpr_default is not None else [],
        ]
        flat = [el for group in groups for el in group]

        def first(tag: str, attr: str = "val") -> str | None:
            for el in flat:
                child = el.find(w(tag))
                if child is not None and child.get(w(attr)) is not None:
                    return child.get(w(attr))
            return None

        def toggle(tag: str) -> bool:
            direct = on_off(rpr.find(w(tag))) if rpr is not None else None
            if direct is not None:
                return direct
            value, styled = False, False
            for group in groups[1:4]:
                for el in group:
                    v = on_off(el.find(w(tag)))
                    if v is not None:
                        styled = True
                        value ^= v
                        break
            if not styled and groups[4]:
                value = bool(on_off(groups[4][0].find(w(tag))))
            return value

        fonts = []
        for slot in FONT_SLOTS:
            face: str | None = None
            for el in flat:
                rf = el.find(w("rFonts"))
                if rf is None:
                    continue
                theme = rf.get(w(_THEME_ATTR[slot]))
                if theme is not None:
                    face = self.theme.fonts.get(theme, "")
                    if not face:
                        face = f"theme {theme} (no typeface)"
                    break
                if rf.get(w(slot)) is not None:
                    face = rf.get(w(slot))
                    break
            fonts.append((slot, face))
        color = None
        for el in flat:
            c = el.find(w("color"))
            if c is None:
                continue
            theme_color = c.get(w("themeColor"))
            if theme_color:
                color = self.theme.color(theme_color) or c.get(w("val"))
            else:
                color = c.get(w("val"))
            if color is not None:
                color = color.upper() if color.lower() != "auto" else "auto"
                break
        size_hp = half_points(first("sz"))
        props = RunProps(
            fonts=tuple(fonts),
            size=size_hp / 2 if size_hp is not None else 10.0,
            bold=toggle("b"),
            italic=toggle("i"),
            caps=toggle("caps"),
            color=color,
            lang=first("lang"),
            hidden=toggle("vanish"),
        )
        if len(self._rcache) >= _PROPS_HELD:
            self._rcache.clear()
        self._rcache[key] = props
        return props

    def para_props(self, ppr: Any | None, tstyle: str | bool | None) -> ParaProps:
        """Effective paragraph properties: direct → list level → styles → table → defaults."""
        key = (etree.tostring(ppr) if ppr is not None else None, tstyle)
        cached = self._pcache.get(key)
        if cached is not None:
            return cached
        pstyle = wattr(ppr.find(w("pStyle")), "val") if ppr is not None else None
        style_layers = self._style_layers(pstyle, "paragraph", "pPr")
        direct = [ppr] if ppr is not None else []
        num_id = ilvl = None
        for el in direct + style_layers:
            num = el.find(w("numPr"))
            if num is not None:
                num_id = num_id or wattr(num.find(w("numId")), "val")
                ilvl = ilvl or wattr(num.find(w("ilvl")), "val")
        level = self.numbering.level_ppr(num_id, ilvl)
        flat = [
            *direct,
            *([level] if level is not None else []),
            *style_layers,
            *(self._style_layers(tstyle, "table", "pPr") if tstyle is not False else []),
            *([self.styles.ppr_default] if self.styles.ppr_default is not None else []),
        ]

        def attr(tag: str, *names: str) -> str | None:
            for el in flat:
                child = el.find(w(tag))
                if child is None:
                    continue
                for name in names:
                    if child.get(w(name)) is not None:
                        return child.get(w(name))
            return None

        first_line = 0
        first_line_chars = None
        for el in flat:
            ind = el.find(w("ind"))
            if ind is None:
                continue
            if ind.get(w("hangingChars")) is not None or ind.get(w("firstLineChars")) is not None:
                chars = ind.get(w("firstLineChars")) or ind.get(w("hangingChars"))
                sign = -1 if ind.get(w("firstLineChars")) is None else 1
                first_line_chars = sign * int(float(chars or 0))
                if first_line_chars:
                    break
            if ind.get(w("hanging")) is not None:
                first_line = -(twips(ind.get(w("hanging"))) or 0)
                break
            if ind.get(w("firstLine")) is not None:
                first_line = twips(ind.get(w("firstLine"))) or 0
                break
        jc = None
        contextual = False
        borders: dict[str, str | None] = {}
        for el in flat:
            if jc is None and el.find(w("jc")) is not None:
                jc = wattr(el.find(w("jc")), "val")
            bdr = el.find(w("pBdr"))
            if bdr is not None:
                for side in ("top", "bottom"):
                    b = bdr.find(w(side))
                    if side not in borders and b is not None:
                        val = b.get(w("val"), "none")
                        borders[side] = None if val in _VISIBLE_BORDER_NONE else val
        for el in flat:
            v = on_off(el.find(w("contextualSpacing")))
            if v is not None:
                contextual = v
                break
        tabs: dict[int, str] = {}
        for el in reversed(flat):
            t = el.find(w("tabs"))
            if t is None:
                continue
            for tab in t.iter(w("tab")):
                pos = twips(tab.get(w("pos")))
                if pos is None:
                    continue
                if tab.get(w("val")) == "clear":
                    tabs.pop(pos, None)
                else:
                    tabs[pos] = tab.get(w("val"), "left")
        rule = attr("spacing", "lineRule") or "auto"
        line = twips(attr("spacing", "line"))
        props = ParaProps(
            style=pstyle if pstyle in self.styles.by_id else self.styles.default.get("paragraph"),
            jc={"start": "left", "end": "right"}.get(jc or "", jc),
            first_line=first_line,
            left=twips(attr("ind", "left", "start")) or 0,
            right=twips(attr("ind", "right", "end")) or 0,
            before=self._spacing(flat, "before"),
            after=self._spacing(flat, "after"),
            before_auto=bool(on_off_attr(attr("spacing", "beforeAutospacing"))),
            after_auto=bool(on_off_attr(attr("spacing", "afterAutospacing"))),
            line=line,
            line_rule=rule,
            contextual=contextual,
            border_top=borders.get("top"),
            border_bottom=borders.get("bottom"),
            tabs=tuple(sorted((v, k) for k, v in tabs.items())),
            first_line_chars=first_line_chars,
        )
        if len(self._pcache) >= _PROPS_HELD:
            self._pcache.clear()
        self._pcache[key] = props
        return props

    @staticmethod
    def _spacing(flat: list[Any], side: str) -> int:
        # "beforeLines" (hundredths of a line) outranks "before" at the same level.
        for el in flat:
            sp = el.find(w("spacing"))
            if sp is None:
                continue
            lines = sp.get(w(side + "Lines"))
            if lines is not None:
                return round(int(float(lines)) * 240 / 100)
            if sp.get(w(side)) is not None:
                return twips(sp.get(w(side))) or 0
        return 0

    # -- walking ---------------------------------------------------------------------------

    def _read_body(self) -> None:
        body = self.root.find(w("body"))
        if body is None:
            raise UnreadableDocument(f"{self.main_name} has no w:body")
        counter = [0]
        self._section_index = 1
        self._pending: list[Paragraph] = []
        self._section_has_table = False
        for para in self.walk(body, counter, "body paragraph", None, False, top=True):
            self.paragraphs.append(para)
        final = body.find(w("sectPr"))
        self._close_section(final)

    def _close_section(self, sect_pr: Any | None) -> None:
        index = len(self.sections) + 1
        previous = self.sections[-1] if self.sections else None
        section = _section(index, sect_pr, previous, self.rels)
        section.has_table = self._section_has_table
        section.paragraphs = self._pending
        self.sections.append(section)
        self._pending = []
        self._section_has_table = False

    def walk(
        self,
        parent: Any,
        counter: list[int],
        label: str,
        cell: Cell | None,
        tstyle: str | bool | None,
        *,
        top: bool = False,
        in_box: bool = False,
    ) -> Iterator[Paragraph]:
        """Paragraphs under a block container (body, cell, header, text box), in order."""
        tables = 0
        for child in parent:
            tag = child.tag
            if tag == w("p"):
                counter[0] += 1
                para = self._paragraph(child, counter[0], label, cell, tstyle, in_box)
                yield para
                if top:
                    self._pending.append(para)
                    sect = child.find(f"{w('pPr')}/{w('sectPr')}")
                    if sect is not None:
                        self._close_section(sect)
            elif tag == w("tbl"):
                tables += 1
                if top:
                    self._tables += 1
                    self._section_has_table = True
                number = self._tables if top else tables
                prefix = f"{cell.path}, " if cell is not None else ""
                yield from self._table(
                    child, counter, label, f"{prefix}table {number}", in_box, cell
                )
            elif tag in (w("sdt"), w("customXml")):
                content = child.find(w("sdtContent")) if tag == w("sdt") else child
                if content is not None:
                    yield from self.walk(
                        content, counter, label, cell, tstyle, top=top, in_box=in_box
                    )

    def _table(
        self,
        tbl: Any,
        counter: list[int],
        label: str,
        path: str,
        in_box: bool,
        outer: Cell | None,
    ) -> Iterator[Paragraph]:
        tpr = tbl.find(w("tblPr"))
        tstyle = wattr(tpr.find(w("tblStyle")), "val") if tpr is not None else None
        rows = [tr for tr in tbl.iter(w("tr")) if _owner_table(tr) is tbl]
        for r, tr in enumerate(rows, start=1):
            cells = [tc for tc in tr.iter(w("tc")) if _owner_table(tc) is tbl]
            grid = 0
            for c, tc in enumerate(cells, start=1):
                span = tc.find(f"{w('tcPr')}/{w('gridSpan')}")
                column = grid
                grid += int(wattr(span, "val") or 1) if span is not None else 1
                cell = Cell(
                    tc,
                    tr,
                    f"{path}, row {r}, cell {c}",
                    outer.outer_tc if outer else tc,
                    outer.outer_tr if outer else tr,
                    outer.outer_table if outer else tbl,
                    tbl,
                    column,
                )
                yield from self.walk(tc, counter, label, cell, tstyle, in_box=in_box)

    def _paragraph(
        self,
        p: Any,
        ordinal: int,
        label: str,
        cell: Cell | None,
        tstyle: str | bool | None,
        in_box: bool,
    ) -> Paragraph:
        ppr = p.find(w("pPr"))
        props = self.para_props(ppr, tstyle if cell is not None else False)
        para = Paragraph(
            ordinal=ordinal,
            label=f"{label} {ordinal}",
            element=p,
            props=props,
            segments=[],
            cell=cell,
            section=len(self.sections) + 1,
            in_text_box=in_box,
        )
        if ppr is not None and on_off(ppr.find(w("pageBreakBefore"))):
            para.page_break = True
        boxes: list[Any] = []
        stack: list[dict[str, Any]] = []
        pstyle = props.style
        ts = tstyle if cell is not None else False
        self._inline(p, para, pstyle, ts, stack, boxes, None)
        for box in boxes:
            box_counter = [0]
            self.text_boxes.extend(
                self.walk(
                    box,
                    box_counter,
                    f"text box in {para.label}, paragraph",
                    None,
                    False,
                    in_box=True,
                )
            )
        return para

    def _inline(
        self,
        parent: Any,
        para: Paragraph,
        pstyle: str | None,
        tstyle: str | bool | None,
        stack: list[dict[str, Any]],
        boxes: list[Any],
        simple: list[RunProps] | None,
    ) -> None:
        for child in parent:
            tag = child.tag
            if tag == w("r"):
                self._run(child, para, pstyle, tstyle, stack, boxes, simple)
            elif tag == w("fldSimple"):
                collected: list[RunProps] = []
                self._inline(child, para, pstyle, tstyle, stack, boxes, collected)
                para.fields.append(Field(child.get(w("instr"), ""), tuple(collected)))
            elif tag in _INLINE_CONTAINERS:
                self._inline(child, para, pstyle, tstyle, stack, boxes, simple)
            elif tag == qn("mc:AlternateContent"):
                choice = child.find(qn("mc:Choice"))
                if choice is not None:
                    self._inline(choice, para, pstyle, tstyle, stack, boxes, simple)

    def _run(
        self,
        r: Any,
        para: Paragraph,
        pstyle: str | None,
        tstyle: str | bool | None,
        stack: list[dict[str, Any]],
        boxes: list[Any],
        simple: list[RunProps] | None,
    ) -> None:
        props = self.run_props(r.find(w("rPr")), pstyle, tstyle)
        for child in r:
            tag = child.tag
            text = None
            if tag == w("t"):
                text = child.text or ""
            elif tag in (w("tab"), w("ptab")):
                text = "\t"
            elif tag in (w("br"), w("cr")):
                text = "\n"
                if child.get(w("type")) == "page":
                    para.page_break = True
            elif tag == w("noBreakHyphen"):
                text = "-"
            elif tag == w("lastRenderedPageBreak"):
                para.page_break = True
            elif tag == w("fldChar"):
                kind = child.get(w("fldCharType"))
                if kind == "begin":
                    stack.append({"instr": "", "result": [], "begin": props, "in_result": False})
                elif kind == "separate" and stack:
                    stack[-1]["in_result"] = True
                elif kind == "end" and stack:
                    f = stack.pop()
                    para.fields.append(Field(f["instr"], tuple(f["result"]) or (f["begin"],)))
            elif tag == w("instrText"):
                if stack and not stack[-1]["in_result"]:
                    stack[-1]["instr"] += child.text or ""
            elif tag in (w("drawing"), w("pict"), qn("mc:AlternateContent"), w("object")):
                para.line_shapes += count_lines(child)
                boxes.extend(text_boxes(child))
            if text is None or props.hidden:
                continue
            if stack and text.strip() and stack[-1]["in_result"]:
                stack[-1]["result"].append(props)
            if simple is not None and text.strip():
                simple.append(props)
            para.segments.append(Segment(text, props))

    # -- other parts -----------------------------------------------------------------------

    def part_paragraphs(self, name: str) -> list[Paragraph]:
        """Paragraphs of a header or footer part (tables included), read once."""
        if name not in self._parts:
            root = self._xml(name)
            label = f"{self.part_label(name)}, paragraph"
            self._parts[name] = (
                [] if root is None else list(self.walk(root, [0], label, None, False))
            )
        return self._parts[name]

    def part_label(self, name: str) -> str:
        """How a clerk finds a header or footer: 'header (page 2+) of section 1'."""
        for section in self.sections:
            for kind, refs in (("header", section.headers), ("footer", section.footers)):
                for typ, target in refs.items():
                    if target != name:
                        continue
                    if typ == "first":
                        pages = "page 1" if section.title_page else "first page, unused"
                    elif typ == "even":
                        pages = "even pages"
                    elif section.title_page:
                        pages = "page 2+" if not self.even_and_odd_headers else "odd pages 3+"
                    else:
                        pages = "every page" if not self.even_and_odd_headers else "odd pages"
                    suffix = f" of section {section.index}" if len(self.sections) > 1 else ""
                    return f"{kind} ({pages}){suffix}"
        return name.rsplit("/", 1)[-1]

    def notes(self) -> list[Paragraph]:
        """Paragraphs of footnotes and endnotes (separators left out)."""
        out: list[Paragraph] = []
        for rel, tag, word in (
            (REL_FOOTNOTES, "footnote", "footnote"),
            (REL_ENDNOTES, "endnote", "endnote"),
        ):
            for name in self.part_names(rel):
                root = self._xml(name)
                if root is None:
                    continue
                for note in root.iter(w(tag)):
                    if note.get(w("type")) not in (None, "normal"):
                        continue
                    out.extend(
                        self.walk(note, [0], f"{word} {note.get(w('id'))}, paragraph", None, False)
                    )
        return out

    def header_footer_names(self) -> list[tuple[str, str]]:
        """(part name, kind) for every header and footer part the document relates to."""
        out = [(n, "header") for n in self.part_names(REL_HEADER)]
        return out + [(n, "footer") for n in self.part_names(REL_FOOTER)]


def on_off_attr(value: str | None) -> bool | None:
    if value is None:
        return None
    return value.strip().lower() in ("1", "true", "on")


def _owner_table(el: Any) -> Any:
    node = el.getparent()
    while node is not None and node.tag != w("tbl"):
        node = node.getparent()
    return node


def _section(
    index: int, sect: Any | None, previous: Section | None, rels: dict[str, tuple[str, str]]
) -> Section:
    width = height = None
    orient = None
    margins: dict[str, int] = {}
    title_page = False
    headers = dict(previous.headers) if previous else {}
    footers = dict(previous.footers) if previous else {}
    if sect is not None:
        size = sect.find(w("pgSz"))
        if size is not None:
            width, height = twips(size.get(w("w"))), twips(size.get(w("h")))
            orient = size.get(w("orient"))
        mar = sect.find(w("pgMar"))
        if mar is not None:
            for side in ("top", "bottom", "left", "right", "gutter", "header", "footer"):
                value = twips(mar.get(w(side)))
                if value is not None:
                    margins[side] = abs(value) if side in ("top", "bottom") else value
        title_page = bool(on_off(sect.find(w("titlePg"))))
        for tag, refs in (("headerReference", headers), ("footerReference", footers)):
            for ref in sect.iter(w(tag)):
                rel = rels.get(ref.get(qn("r:id"), ""))
                if rel:
                    refs[ref.get(w("type"), "default")] = rel[1]
    section = Section(index, sect, width, height, orient, margins, title_page, headers, footers)
    if sect is not None:
        start = wattr(sect.find(w("pgNumType")), "start")
        section.page_start = int(start) if start and start.isdigit() else None
    return section


def _open_zip(source: bytes | str | os.PathLike[str]) -> zipfile.ZipFile:
    try:
        if isinstance(source, bytes | bytearray | memoryview):
            return zipfile.ZipFile(io.BytesIO(bytes(source)))
        path = os.fspath(source)
        with open(path, "rb") as fh:
            data = fh.read()
        return zipfile.ZipFile(io.BytesIO(data))
    except FileNotFoundError as exc:
        raise UnreadableDocument(f"{source}: no such file") from exc
    except IsADirectoryError as exc:
        raise UnreadableDocument(f"{source}: is a directory, not a .docx file") from exc
    except PermissionError as exc:
        raise UnreadableDocument(f"{source}: permission denied") from exc
    except zipfile.BadZipFile as exc:
        raise UnreadableDocument(
            "not a .docx file: the content is not a zip package (Word 97–2003 .doc, PDF or"
            " text files cannot be checked; save as Word Document .docx)"
        ) from exc


__all__ = [
    "FONT_SLOTS",
    "W_NS",
    "Cell",
    "Chunk",
    "Docx",
    "Field",
    "ParaProps",
    "Paragraph",
    "RunProps",
    "Section",
    "Segment",
    "UnreadableDocument",
]
