"""Judging each element of the layout against Phụ lục I: text, case, size, weight, slant,
alignment and the rules under the headings — the checks of ô 1 to ô 12."""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterable

from pydantic import ValidationError

from workflow.rendering.docxread import Chunk, Docx, Paragraph, Segment
from workflow.rendering.layout import (
    BODY_HEADING,
    DATE_RE,
    NUMBER_RE,
    PREFIX_LIKE,
    Layout,
    Signature,
    is_capitals,
    key,
)
from workflow.rendering.ooxml import TWIPS_PER_CM
from workflow.rendering.violations import Violation
from workflow.vietnamese import NATIONAL_MOTTO, NATIONAL_NAME, canonical_tones, fold, nfc

SOLID = {"single", "thick", "double", "triple"}
SYMBOL_RE = re.compile(r"^[^\W_][\w&.]*(?:-[\w&.]+)+$")
_DEGREES = re.compile(r"^(GS|PGS|TS|ThS|TSKH|KS|BS|CN|Ths|Th\.S)\.?\s", re.I)
# Body first-line indent: 1–1.27 cm with the brief's ± 0.02 cm.
INDENT_MIN = round(0.98 * TWIPS_PER_CM)
INDENT_MAX = round(1.29 * TWIPS_PER_CM)


def pt(value: float | None) -> str:
    if value is None:
        return "unset"
    return f"{value:g} pt"


def _sizes(segments: Iterable[Segment]) -> list[float]:
    return sorted({s.props.size or 10.0 for s in segments if s.text.strip()})


def _size_fault(segments: Iterable[Segment], low: float, high: float) -> str | None:
    """'size 12 pt' when some printed text is outside [low, high] points, else None."""
    sizes = _sizes(segments)
    bad = [s for s in sizes if not low - 0.01 <= s <= high + 0.01]
    if not bad:
        return None
    found = ", ".join(pt(s) for s in sizes)
    wanted = pt(low) if low == high else f"{low:g}–{high:g} pt"
    return f"size {found}; the decree wants {wanted}"


def _printed(chunk: Chunk | Paragraph) -> list[Segment]:
    return chunk.printed()


def _all(segments: list[Segment], attr: str) -> bool:
    return bool(segments) and all(getattr(s.props, attr) for s in segments)


class Checker:
    """Collects the violations of one document's elements."""

    def __init__(self, doc: Docx, lay: Layout, draft: bool) -> None:
        self.doc = doc
        self.lay = lay
        self.draft = draft
        self.out: list[Violation] = []

    def add(self, rule: str, message: str, where: str) -> None:
        self.out.append(Violation(rule, message, where))

    # -- shared judgements -----------------------------------------------------------------

    def style(
        self,
        rule: str,
        what: str,
        chunk: Chunk,
        *,
        size: tuple[float, float] | None = None,
        bold: bool | None = None,
        italic: bool | None = None,
        capitals: bool = False,
        centred: bool = False,
    ) -> None:
        """Judge one chunk's size, weight, slant, case and alignment."""
        segs = _printed(chunk)
        where = chunk.paragraph.where
        if size is not None:
            fault = _size_fault(segs, *size)
            if fault:
                self.add(rule, f"{what}: {fault}", where)
        if bold is True and not _all(segs, "bold"):
            self.add(rule, f"{what} is not bold; the decree wants bold", where)
        if bold is False and any(s.props.bold for s in segs):
            self.add(rule, f"{what} is bold; the decree wants it not bold", where)
        if italic is True and not _all(segs, "italic"):
            self.add(rule, f"{what} is not italic; the decree wants italic", where)
        if capitals and not is_capitals(chunk.text):
            extra = " (Word's All caps only changes how it looks)" if _all(segs, "caps") else ""
            self.add(
                rule,
                f"{what} '{chunk.text}' is not written in capitals{extra}; the decree wants"
                f" real capitals '{canonical_tones(chunk.text).upper()}'",
                where,
            )
        if centred and chunk.columns == 1 and not chunk.paragraph.props.centred:
            found = chunk.paragraph.props.jc or "left"
            self.add(rule, f"{what} is aligned {found}; the decree wants it centred", where)

    def has_rule_below(self, block: list[Paragraph]) -> bool:
        """A solid line under the block: a line shape anchored in it or next to it, a bottom
        border on its paragraph(s) or a top border on the paragraph that follows."""
        if any(p.line_shapes for p in block):
            return True
        if any(p.props.border_bottom in SOLID for p in block[-1:]):
            return True
        last = block[-1]
        following = [
            p for p in self.doc.paragraphs if p.ordinal > last.ordinal and _same_container(p, last)
        ]
        for i, p in enumerate(following):
            if i == 0 and p.props.border_top in SOLID:
                return True
            if p.line_shapes:
                return True
            if not p.empty:
                break
        return False

    # -- ô 1: Quốc hiệu and Tiêu ngữ ---------------------------------------------------------

    def heading(self) -> None:
        lay = self.lay
        if lay.national is None:
            self.add(
                "HEADING.NATIONAL",
                f"no Quốc hiệu found; the decree wants '{NATIONAL_NAME}' at the top of page 1",
                "page 1, top right",
            )
        else:
            c = lay.national
            text = nfc(c.raw).strip()
            if canonical_tones(text) != NATIONAL_NAME:
                self.add(
                    "HEADING.NATIONAL",
                    f"Quốc hiệu reads '{text}'; the decree wants '{NATIONAL_NAME}' exactly",
                    c.paragraph.where,
                )
            self.style("HEADING.NATIONAL", "Quốc hiệu", c, size=(12, 13), bold=True, centred=True)
        if lay.motto is None:
            self.add(
                "HEADING.MOTTO",
                f"no Tiêu ngữ found; the decree wants '{NATIONAL_MOTTO}' under the Quốc hiệu",
                lay.national.paragraph.where if lay.national else "page 1, top right",
            )
            return
        c = lay.motto
        text = nfc(c.raw).strip()
        if canonical_tones(text) != NATIONAL_MOTTO:
            self.add(
                "HEADING.MOTTO",
                f"Tiêu ngữ reads '{text}'; the decree wants '{NATIONAL_MOTTO}' exactly (spaced"
                " ASCII hyphens)",
                c.paragraph.where,
            )
        if lay.national is not None:
            i = lay.chunks.index(lay.national)
            if i + 1 >= len(lay.chunks) or lay.chunks[i + 1] is not c:
                self.add(
                    "HEADING.MOTTO",
                    "the Tiêu ngữ is not directly below the Quốc hiệu",
                    c.paragraph.where,
                )
        self.style("HEADING.MOTTO", "Tiêu ngữ", c, size=(13, 14), bold=True, centred=True)
        block = [c.paragraph]
        if lay.national is not None and lay.national.paragraph is not c.paragraph:
            block.insert(0, lay.national.paragraph)
        if not self.has_rule_below(block):
            self.add(
                "HEADING.RULE",
                "no solid line under the Tiêu ngữ; the decree wants a horizontal rule as long"
                " as the motto",
                c.paragraph.where,
            )

    # -- ô 2: issuer -------------------------------------------------------------------------

    def issuer(self) -> None:
        lay = self.lay
        if lay.number is None:
            return  # the issuer is found above 'Số:'; NUMBER.MISSING says what is wrong
        if not lay.issuer:
            self.add(
                "ISSUER.FORMAT",
                "no issuer name above 'Số:'; the decree wants the issuing agency in capitals,"
                " bold, above the number",
                lay.number.paragraph.where,
            )
            return
        for c in lay.parent:
            self.style(
                "ISSUER.FORMAT",
                "parent agency",
                c,
                size=(12, 13),
                capitals=True,
                centred=True,
            )
        for c in lay.issuer:
            self.style(
                "ISSUER.FORMAT",
                "issuer name",
                c,
                size=(12, 13),
                bold=True,
                capitals=True,
                centred=True,
            )
        block = list(dict.fromkeys(c.paragraph for c in lay.parent + lay.issuer))
        if not self.has_rule_below(block):
            self.add(
                "ISSUER.RULE",
                "no solid line under the issuer name; the decree wants a horizontal rule of"
                " 1/3 to 1/2 of the name's length",
                lay.issuer[-1].paragraph.where,
            )

    # -- ô 3: number and symbol --------------------------------------------------------------

    def number(self) -> None:
        lay = self.lay
        if lay.number is None:
            self.add(
                "NUMBER.MISSING",
                "no 'Số: <n>/<symbol>' line found; the decree wants it under the issuer",
                lay.issuer[-1].paragraph.where if lay.issuer else "page 1, under the issuer",
            )
            return
        c = lay.number
        where = c.paragraph.where
        raw = nfc(c.raw).strip()
        m = NUMBER_RE.match(raw)
        assert m is not None
        n, symbol = m["n"], m["symbol"]
        if not n:
            if not self.draft:
                self.add(
                    "NUMBER.MISSING",
                    f"the number is blank ('{raw}'); an issued document carries its number"
                    " (only a draft leaves it blank for the records clerk)",
                    where,
                )
            if not re.fullmatch(r"Số:\s+/\S+", raw):
                self.add(
                    "NUMBER.FORMAT",
                    f"'{raw}' is not written 'Số:      /{symbol}' (blank number, no space"
                    " after '/')",
                    where,
                )
        elif not n.isdigit():
            self.add(
                "NUMBER.FORMAT",
                f"number '{n}' is not a whole number; the decree wants 'Số: 15/{symbol}'",
                where,
            )
        else:
            value = int(n)
            expected = f"{value:02d}"
            if value == 0:
                self.add("NUMBER.FORMAT", "number 0; numbers start at 01 each year", where)
            elif n != expected:
                self.add(
                    "NUMBER.LEADING_ZERO",
                    f"number written '{n}'; the decree writes '{expected}' (a leading zero below"
                    " 10 only)",
                    where,
                )
            if raw != f"Số: {n}/{symbol}":
                self.add(
                    "NUMBER.FORMAT",
                    f"'{raw}' is not written 'Số: {n}/{symbol}' (no spaces inside '<n>/<symbol>')",
                    where,
                )
        if not SYMBOL_RE.match(symbol):
            self.add(
                "NUMBER.FORMAT",
                f"symbol '{symbol}' is not '<type>-<issuer>' (e.g. 'TB-BGDĐT') or"
                " '<issuer>-<unit>' (e.g. 'BGDĐT-VP')",
                where,
            )
        elif lay.doc_type is not None and symbol.split("-")[0] != lay.doc_type.abbr:
            self.add(
                "NUMBER.FORMAT",
                f"symbol '{symbol}' does not start with '{lay.doc_type.abbr}', the abbreviation"
                f" of the title {lay.doc_type.title}",
                where,
            )
        self.style("NUMBER.FORMAT", "'Số:' line", c, size=(13, 13), centred=True)

    # -- ô 4: place and date -----------------------------------------------------------------

    def date(self) -> None:
        lay = self.lay
        if lay.date is None:
            if lay.date_dmy is not None:
                self.add(
                    "DATE.FORMAT",
                    f"date written '{lay.date_dmy.text}'; the decree wants '<Place>, ngày"
                    " <d> tháng <m> năm <yyyy>', never dd/mm/yyyy",
                    lay.date_dmy.paragraph.where,
                )
            elif not lay.is_bien_ban:
                self.add(
                    "DATE.MISSING",
                    "no place-and-date line ('<Place>, ngày … tháng … năm …') found",
                    lay.national.paragraph.where if lay.national else "page 1, top right",
                )
            return
        c = lay.date
        where = c.paragraph.where
        raw = nfc(c.raw).strip()
        m = DATE_RE.match(raw)
        assert m is not None
        place, d, mo, y = m["place"].strip(), m["d"], m["m"], m["y"]
        if not place:
            self.add(
                "DATE.FORMAT",
                f"'{raw}' has no place; the decree wants '<Place>, ngày …'",
                where,
            )
        if not re.fullmatch(r"\d{4}", y):
            self.add(
                "DATE.MISSING",
                f"year '{y}' in '{raw}'; the year is printed, even on a draft",
                where,
            )
        if bool(d) != bool(mo):
            self.add(
                "DATE.FORMAT",
                f"'{raw}': day and month are both filled (issued) or both blank (draft)",
                where,
            )
        elif not d:
            if not self.draft:
                self.add(
                    "DATE.MISSING",
                    f"day and month are blank ('{raw}'); an issued document carries its date"
                    " (only a draft leaves them blank)",
                    where,
                )
            if not re.fullmatch(r".+, ngày\s+tháng\s+năm \S+", raw):
                self.add(
                    "DATE.FORMAT",
                    f"'{raw}' is not written '{place}, ngày      tháng      năm {y}'",
                    where,
                )
        elif not (d.isdigit() and mo.isdigit()):
            self.add(
                "DATE.FORMAT",
                f"day '{d}' and month '{mo}' must be written in digits",
                where,
            )
        else:
            self._date_values(raw, place, d, mo, y, where)
        self.style("DATE.STYLE", "place and date", c, size=(13, 14), italic=True)

    def _date_values(self, raw: str, place: str, d: str, mo: str, y: str, where: str) -> None:
        day, month = int(d), int(mo)
        if not 1 <= month <= 12 or not (y.isdigit() and 1 <= day <= monthrange(int(y), month)[1]):
            self.add("DATE.FORMAT", f"'{raw}' is not a real date", where)
            return
        want_d = f"{day:02d}"
        want_m = f"{month:02d}" if month <= 2 else str(month)
        if d != want_d:
            self.add(
                "DATE.LEADING_ZERO",
                f"day written '{d}'; the decree writes '{want_d}' (days below 10 take a"
                " leading zero)",
                where,
            )
        if mo != want_m:
            self.add(
                "DATE.LEADING_ZERO",
                f"month written '{mo}'; the decree writes '{want_m}' (a leading zero for"
                " months 1 and 2 only)",
                where,
            )
        if raw != f"{place}, ngày {d} tháng {mo} năm {y}":
            self.add(
                "DATE.FORMAT",
                f"'{raw}' is not written '{place}, ngày {d} tháng {mo} năm {y}'",
                where,
            )

    # -- ô 5: title, or V/v for a công văn ---------------------------------------------------

    def title(self) -> None:
        lay = self.lay
        if lay.title is not None and lay.doc_type is not None:
            c = lay.title
            if c.text != lay.doc_type.title:
                self.add(
                    "TITLE.FORMAT",
                    f"type name reads '{c.text}'; the decree wants '{lay.doc_type.title}' in"
                    " real capitals",
                    c.paragraph.where,
                )
            self.style("TITLE.FORMAT", "type name", c, size=(13, 14), bold=True, centred=True)
            if not lay.subject:
                self.add(
                    "TITLE.FORMAT",
                    "no subject (trích yếu) under the type name",
                    c.paragraph.where,
                )
            for s in lay.subject:
                self.style("TITLE.FORMAT", "subject", s, size=(13, 14), bold=True, centred=True)
            if not self.has_rule_below(lay.title_paragraphs):
                self.add(
                    "TITLE.RULE",
                    "no solid line under the title block; the decree wants a horizontal rule"
                    " under the subject",
                    lay.title_paragraphs[-1].where,
                )
        elif lay.vv:
            for c in lay.vv:
                self.style("TITLE.FORMAT", "V/v subject", c, size=(12, 13))
        else:
            self.add(
                "TITLE.FORMAT",
                "no type name (e.g. 'THÔNG BÁO') and no 'V/v …' subject under the number",
                lay.number.paragraph.where if lay.number else "page 1",
            )

    # -- ô 9a: Kính gửi; căn cứ ---------------------------------------------------------------

    def addressees(self) -> None:
        lines = self.lay.addressees
        if not lines:
            return
        first = lines[0]
        if not first.text.startswith("Kính gửi:"):
            self.add(
                "ADDRESSEES.FORMAT",
                f"'{first.text}' does not start 'Kính gửi:'",
                first.paragraph.where,
            )
        for c in lines:
            self.style("ADDRESSEES.FORMAT", "Kính gửi", c, size=(13, 14))
        listed = lines[1:]
        if len(listed) > 1:
            for c in listed[:-1]:
                if not (c.text.startswith("- ") and c.text.endswith(";")):
                    self.add(
                        "ADDRESSEES.FORMAT",
                        f"addressee '{c.text}' is not written '- …;'",
                        c.paragraph.where,
                    )
            last = listed[-1]
            if not (last.text.startswith("- ") and last.text.endswith(".")):
                self.add(
                    "ADDRESSEES.FORMAT",
                    f"last addressee '{last.text}' is not written '- ….'",
                    last.paragraph.where,
                )

    def bases(self) -> None:
        lines = self.lay.bases
        for i, c in enumerate(lines):
            self.style("BASES.FORMAT", "căn cứ line", c, size=(13, 14), italic=True)
            end = "." if i == len(lines) - 1 else ";"
            if not c.text.endswith(end):
                self.add(
                    "BASES.FORMAT",
                    f"căn cứ line ends '{c.text[-1:]}'; the decree ends each with ';' and the"
                    " last with '.'",
                    c.paragraph.where,
                )

    # -- ô 6: body ---------------------------------------------------------------------------

    def body(self) -> None:
        paras = self.lay.body
        texts = [p for p in paras if not p.empty]
        heading_titles: set[int] = set()
        for i, p in enumerate(texts):
            following = texts[i + 1] if i + 1 < len(texts) else None
            if following and BODY_HEADING.match(fold(p.text)) and is_capitals(following.text):
                heading_titles.add(following.ordinal)
        previous: Paragraph | None = None
        for p in paras:
            if p.empty:
                previous = None
                continue
            heading = BODY_HEADING.match(fold(p.text)) or (p.ordinal in heading_titles)
            props = p.props
            if not heading and not props.justified:
                self.add(
                    "BODY.ALIGN",
                    f"body paragraph aligned {props.jc or 'left'}; the decree wants justified",
                    p.where,
                )
            if not heading:
                first = props.first_line
                if props.first_line_chars:
                    size = max(_sizes(p.printed()) or [14.0])
                    first = round(props.first_line_chars / 100 * size * 20)
                if not INDENT_MIN <= first <= INDENT_MAX:
                    self.add(
                        "BODY.INDENT",
                        f"first-line indent {first / TWIPS_PER_CM:.2f} cm; the decree wants"
                        " 1–1.27 cm",
                        p.where,
                    )
            self._line_spacing(p)
            fault = _size_fault(p.printed(), 13, 14)
            if fault:
                self.add("BODY.SIZE", f"body text {fault}", p.where)
            if previous is not None:
                gap = _gap(previous, p)
                if gap < 120:
                    self.add(
                        "BODY.SPACING",
                        f"{gap / 20:g} pt between this paragraph and the one before; the decree"
                        " wants at least 6 pt",
                        p.where,
                    )
            previous = p
        if texts and not texts[-1].text.endswith("./."):
            self.add(
                "BODY.END",
                f"the body's last paragraph ends '{texts[-1].text[-8:]}'; the decree ends it"
                " with './.'",
                texts[-1].where,
            )
        if not texts:
            self.add(
                "BODY.END",
                "no body text found between the title and the signature",
                "body",
            )

    def _line_spacing(self, p: Paragraph) -> None:
        props = p.props
        if props.line is None:
            return
        if props.line_rule == "auto":
            ratio = props.line / 240
            if not 0.999 <= ratio <= 1.501:
                self.add(
                    "BODY.LINE_SPACING",
                    f"line spacing {ratio:g} lines; the decree wants single to 1.5 lines",
                    p.where,
                )
            return
        size = max(_sizes(p.printed()) or [14.0])
        single = size * 1.15  # Times New Roman's single line
        height = props.line / 20
        if height < single - 0.5 or height > 1.5 * single + 0.5:
            self.add(
                "BODY.LINE_SPACING",
                f"line spacing {props.line_rule} {height:g} pt for {pt(size)} text; the decree"
                f" wants single ({single:.1f} pt) to 1.5 lines ({1.5 * single:.1f} pt)",
                p.where,
            )

    # -- ô 7: signature ----------------------------------------------------------------------

    def signatures(self) -> None:
        if not self.lay.signatures:
            self.add(
                "SIGNATURE.FORMAT",
                "no signature block (authority lines in capitals and the signer's name) found",
                "after the body",
            )
            return
        for sig in self.lay.signatures:
            self._signature(sig)

    def _signature(self, sig: Signature) -> None:
        from workflow.content import Signature as SignatureModel

        where = sig.chunks[0].paragraph.where
        lines = _join_wrapped([c.text for c in sig.authority])
        odd = [
            c.text
            for c in sig.authority
            if (m := PREFIX_LIKE.match(c.text))
            and m.group(1).upper() not in ("TM", "KT", "TL", "TUQ", "Q")
        ]
        try:
            SignatureModel.model_validate({"authority": lines, "name": "-"})
        except ValidationError as exc:
            for err in exc.errors():
                if err["loc"] and err["loc"][0] == "authority":
                    msg = str(err["msg"]).removeprefix("Value error, ")
                    self.add("SIGNATURE.PREFIX", msg, where)
        else:
            for text in odd:
                self.add(
                    "SIGNATURE.PREFIX",
                    f"'{text}' starts with a prefix that is not TM., KT., TL., TUQ. or Q.",
                    where,
                )
        for c in sig.authority:
            self.style(
                "SIGNATURE.FORMAT",
                "authority line",
                c,
                size=(13, 14),
                bold=True,
                capitals=True,
                centred=True,
            )
        if sig.name is None:
            self.add("SIGNATURE.FORMAT", "no signer's name under the signature", where)
            return
        self.style(
            "SIGNATURE.FORMAT", "signer's name", sig.name, size=(13, 14), bold=True, centred=True
        )
        if _DEGREES.match(sig.name.text):
            self.add(
                "SIGNATURE.FORMAT",
                f"signer's name '{sig.name.text}' carries a degree or rank; the decree wants the"
                " name alone",
                sig.name.paragraph.where,
            )

    # -- ô 9b, 12: Nơi nhận ------------------------------------------------------------------

    def recipients(self) -> None:
        rec = self.lay.recipients
        if rec is None:
            self.add(
                "RECIPIENTS.LABEL",
                "no 'Nơi nhận:' block found; the decree wants it flush left under the body",
                "after the body",
            )
            return
        label = rec.label
        if label.text != "Nơi nhận:":
            self.add(
                "RECIPIENTS.LABEL",
                f"label reads '{label.text}'; the decree wants 'Nơi nhận:'",
                label.paragraph.where,
            )
        self.style(
            "RECIPIENTS.LABEL",
            "'Nơi nhận:'",
            label,
            size=(12, 12),
            bold=True,
            italic=True,
        )
        if not rec.items:
            self.add(
                "RECIPIENTS.ARCHIVE_LINE",
                "'Nơi nhận:' lists nothing; its last line is '- Lưu: VT, <unit>.'",
                label.paragraph.where,
            )
            return
        for item in rec.items:
            segs = [s for c in item for s in c.printed()]
            fault = _size_fault(segs, 11, 11)
            if fault:
                self.add("RECIPIENTS.ITEM_SIZE", f"Nơi nhận item {fault}", item[0].paragraph.where)
        for item in rec.items[:-1]:
            text = " ".join(c.text for c in item)
            where = item[-1].paragraph.where
            if key(text).startswith(("-luu", "luu")):
                self.add(
                    "RECIPIENTS.ARCHIVE_LINE",
                    f"'{text}' is not the last line; the '- Lưu:' line closes the list",
                    where,
                )
            elif not (text.startswith("- ") and text.endswith(";")):
                self.add(
                    "RECIPIENTS.ITEM_SEMICOLON",
                    f"item '{text}' is not written '- …;'",
                    where,
                )
        last = rec.items[-1]
        text = " ".join(c.text for c in last)
        if not (re.match(r"^- Lưu: VT\b", text) and text.endswith(".")):
            self.add(
                "RECIPIENTS.ARCHIVE_LINE",
                f"last line reads '{text}'; the decree wants '- Lưu: VT, <unit> ….' (starting"
                " '- Lưu: VT', ending '.')",
                last[-1].paragraph.where,
            )
        if rec.drafter is not None:
            fault = _size_fault(rec.drafter.printed(), 11, 11)
            if fault:
                self.add(
                    "DRAFTER.FORMAT",
                    f"drafter's initials and copies {fault}",
                    rec.drafter.paragraph.where,
                )

    # -- ô 10, 11: marks ---------------------------------------------------------------------

    def marks(self) -> None:
        names = {"urgency": "urgency mark", "secrecy": "secrecy mark", "circulation": "mark"}
        for c, kind in self.lay.marks:
            self.style("MARKS.FORMAT", names[kind], c, size=(13, 14), bold=True, capitals=True)

    def run(self) -> list[Violation]:
        self.heading()
        self.issuer()
        self.number()
        self.date()
        self.marks()
        self.title()
        self.addressees()
        self.bases()
        self.body()
        self.signatures()
        self.recipients()
        return self.out


def _same_container(a: Paragraph, b: Paragraph) -> bool:
    if a.in_text_box or b.in_text_box:
        return False
    if a.cell is None or b.cell is None:
        return a.cell is None and b.cell is None
    return a.cell.tc is b.cell.tc


def _gap(a: Paragraph, b: Paragraph) -> int:
    """Space between two adjacent paragraphs in twips, as Word lays it out (the larger of
    'after' and 'before'; contextual spacing drops both between paragraphs of one style)."""
    same_style = a.props.style == b.props.style
    after = 280 if a.props.after_auto else a.props.after
    before = 280 if b.props.before_auto else b.props.before
    if same_style and a.props.contextual:
        after = 0
    if same_style and b.props.contextual:
        before = 0
    return max(after, before)


def _join_wrapped(lines: list[str]) -> list[str]:
    """Authority lines with a title wrapped over two lines joined back ('CHỦ TỊCH' +
    'HỘI ĐỒNG …' after an unprefixed line)."""
    out: list[str] = []
    for line in lines:
        if out and not PREFIX_LIKE.match(line) and not PREFIX_LIKE.match(out[-1]):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def check_elements(doc: Docx, lay: Layout, *, draft: bool) -> list[Violation]:
    """Every element check of ô 1–12 on one document."""
    return Checker(doc, lay, draft).run()
