"""Vietnamese text rules that Decree 30 depends on: NFC, tone placement, capitals,
dates and numbers as the decree writes them, Vietnam time, and accent folding for search."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng (NFD)
# Old-style tone placement ("hòa", "Ủy", "thúy"), as the decree's own Quốc hiệu "CỘNG HÒA":
# in a syllable ending in oa / oe / uy the tone sits on the first vowel. "qu" is a consonant,
# so "quý" keeps its tone on y; a following letter ("hoàn", "ngoài") means another rule applies.
_TONE_ON_SECOND = re.compile(
    rf"(?<![qQ])([oO])([aAeE])([{_TONES}])(?![^\W\d_])|"
    rf"(?<![qQ])([uU])([yY])([{_TONES}])(?![^\W\d_])"
)


def nfc(text: str) -> str:
    """Unicode NFC, the form TCVN 6909:2001 text is stored and compared in."""
    return unicodedata.normalize("NFC", text)


def canonical_tones(text: str) -> str:
    """NFC with old-style tone placement: "HOÀ" → "HÒA", "Uỷ" → "Ủy", "Hoả tốc" → "Hỏa tốc"."""

    def move(m: re.Match[str]) -> str:
        if m.group(1):
            return m.group(1) + m.group(3) + m.group(2)
        return m.group(4) + m.group(6) + m.group(5)

    return nfc(_TONE_ON_SECOND.sub(move, unicodedata.normalize("NFD", text)))


def upper(text: str) -> str:
    """Real capitals with diacritics (not Word's All caps), tones canonicalised."""
    return canonical_tones(text).upper()


# Every combining mark below U+3000 (Latin, Greek, Cyrillic … and all of Vietnamese's), deleted
# by one str.translate; text with anything higher takes the per-character path.
_FAST_BELOW = "\u3000"
_STRIP_MARKS = {c: None for c in range(ord(_FAST_BELOW)) if unicodedata.combining(chr(c))}


def fold(text: str) -> str:
    """Accent-folded lower case for search: NFC → strip marks → đ→d → lower."""
    decomposed = unicodedata.normalize("NFD", text)
    if not decomposed or max(decomposed) < _FAST_BELOW:
        stripped = decomposed.translate(_STRIP_MARKS)
    else:
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


def collapse_spaces(text: str) -> str:
    """One space between words, none at the ends."""
    return " ".join(text.split())


def format_day(day: int) -> str:
    """Day of month as printed: leading zero below 10 ("05", "15")."""
    return f"{day:02d}"


def format_month(month: int) -> str:
    """Month as printed: a leading zero for January and February only ("01", "02", "3", "12")."""
    return f"{month:02d}" if month <= 2 else str(month)


def date_words(day: date) -> str:
    """Date in words as ô 4 prints it: "ngày 05 tháng 01 năm 2022"."""
    return f"ngày {format_day(day.day)} tháng {format_month(day.month)} năm {day.year}"


def place_and_date(place: str, day: date) -> str:
    """Ô 4 as issued: "Hà Nội, ngày 05 tháng 01 năm 2022"."""
    return f"{place}, {date_words(day)}"


def vietnam_now(now: datetime | None = None) -> datetime:
    """The current time (or the given aware time) in Asia/Ho_Chi_Minh."""
    moment = now if now is not None else datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no time zone; pass an aware datetime")
    return moment.astimezone(VIETNAM)


def vietnam_date(now: datetime | None = None) -> date:
    """The calendar date in Vietnam: numbering years and document dates are taken here."""
    return vietnam_now(now).date()
