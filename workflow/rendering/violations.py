"""What the format checker reports: a violation of one rule of Decree 30's format, and the
table of every rule id the checker knows (shown by `vanthu check` and in the README)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    """One breach of the decree's format: which rule, what was found and wanted, and where."""

    rule: str  # e.g. "NUMBER.LEADING_ZERO"
    message: str  # names what was found and what the decree wants
    where: str  # e.g. "body paragraph 3 ('Số: 7/TB-BGDĐT'), table 1, row 1, cell 1"

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "message": self.message, "where": self.where}


RULES: dict[str, str] = {
    "PAGE.SIZE": "A4 portrait, 210 × 297 mm ± 1 mm; landscape only for a section holding a table"
    " (PL I, I.1)",
    "PAGE.MARGINS": "margins top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm, in every"
    " section (PL I, I.5)",
    "PAGE.NUMBER": "page number: a PAGE field centred in the header, 13–14 pt, from page 2 on and"
    " none on page 1 — required once the document runs past one page (PL I, I.6)",
    "FONT.FAMILY": "Times New Roman in all four font slots (ascii, hAnsi, eastAsia, cs) of every"
    " run with text, theme fonts resolved (PL I, I.3)",
    "FONT.LANG": "text language vi-VN (w:lang) on every run with text (PL I, I.3: Vietnamese"
    " alphabet, TCVN 6909:2001)",
    "FONT.COLOR": "text printed black; only an urgency mark may be red (PL I, I.3; III.2)",
    "TEXT.NFC": "all text in Unicode NFC (TCVN 6909:2001)",
    "HEADING.NATIONAL": "Quốc hiệu 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' exactly, capitals,"
    " 12–13 pt, bold, centred (PL I, II.1.a)",
    "HEADING.MOTTO": "Tiêu ngữ 'Độc lập - Tự do - Hạnh phúc' exactly, 13–14 pt, bold, centred,"
    " directly below the Quốc hiệu (PL I, II.1.b)",
    "HEADING.RULE": "a solid horizontal line under the Tiêu ngữ (PL I, II.1.b)",
    "ISSUER.FORMAT": "issuer name in capitals, 12–13 pt, bold, centred; a parent agency line"
    " above it in capitals, 12–13 pt (PL I, II.2)",
    "ISSUER.RULE": "a solid horizontal line under the issuer name (PL I, II.2.b)",
    "NUMBER.FORMAT": "'Số: <n>/<symbol>' with no spaces inside '<n>/<symbol>', the symbol"
    " '<type>-<issuer>' or '<issuer>-<unit>', 13 pt, centred under the issuer (PL I, II.3)",
    "NUMBER.LEADING_ZERO": "numbers 1–9 written 01–09, no padding from 10 on: 'Số: 7/' and"
    " 'Số: 007/' are wrong (PL I, II.3.c)",
    "NUMBER.MISSING": "the 'Số:' line is present and, once issued, carries the number (PL I, II.3)",
    "DATE.FORMAT": "'<Place>, ngày <d> tháng <m> năm <yyyy>', a real date; never dd/mm/yyyy"
    " (PL I, II.4)",
    "DATE.LEADING_ZERO": "days below 10 written 01–09; months 1 and 2 written 01 and 02, months"
    " 3–12 without a zero (PL I, II.4.b)",
    "DATE.STYLE": "place and date italic, 13–14 pt (PL I, II.4)",
    "DATE.MISSING": "the place-and-date line is present and, once issued, carries day and month"
    " (PL I, II.4)",
    "TITLE.FORMAT": "type name in capitals, bold, 13–14 pt, centred, subject below it bold 13–14"
    " pt centred; a công văn has no type name but a 'V/v …' subject of 12–13 pt under the"
    " number (PL I, II.5)",
    "TITLE.RULE": "a solid horizontal line under the title block of a typed document"
    " (PL I, II.5.a)",
    "ADDRESSEES.FORMAT": "'Kính gửi:' 13–14 pt; several addressees one per line '- …;', the last"
    " ending '.' (PL I, II.9.b)",
    "BASES.FORMAT": "căn cứ lines italic 13–14 pt, each ending ';', the last ending '.'"
    " (PL I, II.6.b)",
    "BODY.ALIGN": "body paragraphs justified (PL I, II.6.e)",
    "BODY.INDENT": "body first-line indent 1–1.27 cm (± 0.02 cm) (PL I, II.6.e)",
    "BODY.SPACING": "at least 6 pt between body paragraphs (PL I, II.6.e)",
    "BODY.LINE_SPACING": "body line spacing from single to 1.5 lines (PL I, II.6.e)",
    "BODY.SIZE": "body text 13–14 pt (PL I, II.6.e)",
    "BODY.END": "the body's last paragraph ends './.' (PL III templates)",
    "SIGNATURE.PREFIX": "authority lines start only with TM., KT., TL., TUQ. or Q., chained as"
    " Điều 13 allows (TM. first, KT. directly above the deputy's title, TUQ. never with KT.)",
    "SIGNATURE.FORMAT": "authority lines in capitals, bold, 13–14 pt, centred; the signer's name"
    " bold 13–14 pt, centred, without degrees (PL I, II.7)",
    "RECIPIENTS.LABEL": "a 'Nơi nhận:' block whose label is 12 pt, bold, italic (PL I, II.9.a)",
    "RECIPIENTS.ITEM_SIZE": "Nơi nhận items 11 pt (PL I, II.9.b)",
    "RECIPIENTS.ITEM_SEMICOLON": "every Nơi nhận item but the last written '- …;' (PL I, II.9.b)",
    "RECIPIENTS.ARCHIVE_LINE": "the last Nơi nhận item starts '- Lưu: VT' and ends '.'"
    " (PL I, II.9.b)",
    "DRAFTER.FORMAT": "drafter's initials and copies (ô 12) 11 pt, e.g. 'PL.(300)' (PL I, III.3)",
    "MARKS.FORMAT": "urgency (HỎA TỐC, THƯỢNG KHẨN, KHẨN), secrecy (MẬT, TỐI MẬT, TUYỆT MẬT) and"
    " circulation marks in capitals, bold, 13–14 pt (PL I, III.2)",
}
"""Every rule id the checker reports → one line with its decree reference."""


def merge(violations: list[Violation]) -> list[Violation]:
    """One entry per (rule, message): the same fault in many runs is reported once, where it
    first occurs, with a count of the other places (a style fault would otherwise flood)."""
    groups: dict[tuple[str, str], list[Violation]] = {}
    for v in violations:
        groups.setdefault((v.rule, v.message), []).append(v)
    out = []
    for (rule, message), items in groups.items():
        wheres = list(dict.fromkeys(v.where for v in items))
        where = wheres[0]
        if len(wheres) > 1:
            where += f" and {len(wheres) - 1} more place" + ("s" if len(wheres) > 2 else "")
        out.append(Violation(rule, message, where))
    return out
