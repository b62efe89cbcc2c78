"""Retrieval of issued documents: words, the query language, index entries, highlights.

Plain values only; workflow/store/search_index.py turns a SearchQuery into SQL for SQLite (FTS5)
and PostgreSQL (tsvector + GIN) with the same meaning on both.

Words are the runs of [0-9a-z] in the folded text (fold: NFC → marks removed → đ→d → lower), so
"Kết luận … Hội nghị" holds the words "ket", "luan", "hoi", "nghi" and "ket luan hoi nghi" finds it.
A text query matches documents that contain every word of it (in subject, body, signer or
recipients). Relevance: documents with every word in the subject first, then the others; newest
first within each tier (issued date, then id). Without words: newest first.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from numbering import doctypes
from numbering.symbols import format_number
from workflow.vietnamese import fold, nfc

MAX_LIMIT = 200
MAX_TERMS = 12  # more words than this narrow nothing down further in practice
# States a document is searchable in: issued and everything after it.
SEARCHABLE_STATES: tuple[str, ...] = ("issued", "dispatched", "archived", "recalled")
# Index fields of the searchable text, in this order everywhere (FTS5 columns, tsvector weights).
FIELDS: tuple[str, ...] = ("subject", "body", "signer", "recipients")

_WORD = re.compile(r"[0-9a-z]+")


class _FoldTable(dict[int, str]):
    """str.translate table of fold() per character, filled on demand (highlighting)."""

    def __missing__(self, code: int) -> str:
        folded = fold(chr(code))
        self[code] = folded
        return folded


class _SingleTable(dict[int, str | None]):
    """Deletes the characters that do not fold to exactly one character."""

    def __missing__(self, code: int) -> str | None:
        kept = chr(code) if len(_FOLD[code]) == 1 else None
        self[code] = kept
        return kept


_FOLD = _FoldTable()
_SINGLE = _SingleTable()


def words(text: str) -> list[str]:
    """The words of a text as the index sees them, in order (repeats kept)."""
    return _WORD.findall(fold(text))


def distinct(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# -- keys ----------------------------------------------------------------------------------------


def sort_key(issued: date, document_id: int) -> int:
    """One integer ordering documents by (issued date, id): the FTS5 rowid and the listing key.

    Newest first is `sort_key DESC`; a date range is a key range, so dates need no other index.
    """
    return (issued.toordinal() << 32) | document_id


def day_range(first: date | None, last: date | None) -> tuple[int | None, int | None]:
    """The [low, high) sort-key range of the days first..last (either end open)."""
    low = first.toordinal() << 32 if first else None
    high = (last.toordinal() + 1) << 32 if last else None
    return low, high


def symbol_key(symbol: str) -> str:
    """A symbol as compared: folded, no spaces ("TB-BGDĐT", "tb - bgddt" → "tb-bgddt")."""
    return "".join(fold(symbol).split())


def name_key(name: str) -> str:
    """An issuer code or a name as compared: folded, one space between words."""
    return " ".join(fold(name).split())


# -- index entries -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One issued document's row in the search index, derived from its stored row and content."""

    document_id: int
    sort_key: int
    issued_date: date
    year: int
    number: int
    symbol: str
    symbol_key: str
    number_symbol: str
    doc_type: str
    issuer_code: str
    issuer_key: str
    signer_name: str
    subject: str
    content_sha256: str
    texts: dict[str, list[str]]  # FIELDS → distinct folded words

    def row(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "texts"}


def _recipient_text(content: Mapping[str, Any]) -> str:
    lines = [str(r.get("name", "")) for r in content.get("recipients") or ()]
    lines += [str(a) for a in content.get("addressees") or ()]
    return "\n".join(lines)


def entry(
    *,
    document_id: int,
    issued_date: date,
    number: int,
    symbol: str,
    doc_type: str,
    issuer_code: str,
    content_sha256: str,
    content: Mapping[str, Any],
) -> Entry:
    """The index entry of an issued document from its row values and its content as stored (JSON).

    Works on the stored JSON, not the validated model: reindexing a million documents must not
    pay for validation, and the engine validated the content before it was stored.
    """
    signature = content.get("signature") or {}
    signer_name = nfc(" ".join(str(signature.get("name", "")).split()))
    subject = nfc(" ".join(str(content.get("subject", "")).split()))
    texts = {
        "subject": distinct(words(subject)),
        "body": distinct(words(str(content.get("body", "")))),
        "signer": distinct(words(signer_name)),
        "recipients": distinct(words(_recipient_text(content))),
    }
    return Entry(
        document_id=document_id,
        sort_key=sort_key(issued_date, document_id),
        issued_date=issued_date,
        year=issued_date.year,
        number=number,
        symbol=symbol,
        symbol_key=symbol_key(symbol),
        number_symbol=f"{format_number(number)}/{symbol}",
        doc_type=doc_type,
        issuer_code=issuer_code,
        issuer_key=name_key(issuer_code),
        signer_name=signer_name,
        subject=subject,
        content_sha256=content_sha256,
        texts=texts,
    )


# -- the query -----------------------------------------------------------------------------------


class QueryError(ValueError):
    """A query parameter that cannot be used; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the tier (0 without words; 1 subject, 2 elsewhere) and the sort key."""

    tier: int
    key: int

    def encode(self) -> str:
        raw = f"{self.tier}.{self.key}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
            tier_text, key_text = raw.split(".")
            tier, key = int(tier_text), int(key_text)
        except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
            raise QueryError("cursor", "not a cursor this search returned") from exc
        if tier not in (0, 1, 2) or not 0 <= key < 2**63:
            raise QueryError("cursor", "not a cursor this search returned")
        return cls(tier, key)


@dataclass(frozen=True)
class SearchQuery:
    """What to look for. `terms` are folded words; `symbol` is a symbol key; `doc_type` an id."""

    terms: tuple[str, ...] = ()
    number: int | None = None
    symbol: str | None = None
    year: int | None = None
    doc_type: str | None = None
    issuer: str | None = None
    signer: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    recipient: tuple[str, ...] = ()
    case_file: int | None = None
    limit: int = 20
    cursor: Cursor | None = None

    @property
    def ranked(self) -> bool:
        """Text queries are ordered by relevance tier, the others newest first."""
        return bool(self.terms)

    def key_range(self) -> tuple[int | None, int | None]:
        """The [low, high) sort-key range the year and date filters allow."""
        first, last = self.date_from, self.date_to
        if self.year is not None:
            first = max(first, date(self.year, 1, 1)) if first else date(self.year, 1, 1)
            last = min(last, date(self.year, 12, 31)) if last else date(self.year, 12, 31)
        return day_range(first, last)

    def empty(self) -> bool:
        """No document can match (the year and the dates exclude each other)."""
        low, high = self.key_range()
        return low is not None and high is not None and low >= high


# "số 07/TB-BGDĐT", "so 7 tb-bgddt", "07/BGDĐT-VP", "30/2020/NĐ-CP" (number, [year,] symbol).
_SYMBOL = r"[^\W\d_][\w&.]*(?:-[^\W\d_][\w&.]*)+"
_NUMBER_SYMBOL = re.compile(
    rf"(?:(?<!\w)(?:số|so)\s*:?\s*)?(?<![\w/])(\d{{1,7}})\s*(?:/\s*(\d{{4}})\s*)?(?:/\s*|\s+)"
    rf"({_SYMBOL})(?!\w)",
    re.IGNORECASE,
)
_NUMBER_ONLY = re.compile(r"(?<!\w)(?:số|so)\s*:?\s*(\d{1,7})(?![\w/])", re.IGNORECASE)
_SYMBOL_ONLY = re.compile(rf"(?<![\w/-])({_SYMBOL})(?![\w/-])")
_LOWER_RUN = re.compile(r"[^\W\d_A-ZĐ]{2}")  # "tế" in "kinh tế-xã hội": words, not a symbol


def _looks_like_symbol(text: str) -> bool:
    """A lone symbol as printed: capitals, at most single small letters ("QyĐ", "CTr", "GDTrH")."""
    return text[0].isupper() and not any(
        _LOWER_RUN.search(c) and not c.isupper() for c in text.split("-")
    )


def _type_id(value: str) -> str:
    try:
        return doctypes.lookup(value).id
    except ValueError:
        try:  # accent-free spellings: "thong bao", "cong van", "TB" typed lower case
            folded = name_key(value)
            for t in doctypes.DOC_TYPES:
                if folded in (name_key(t.id.replace("_", " ")), name_key(t.name)):
                    return t.id
                if t.abbr and folded == name_key(t.abbr):
                    return t.id
        except ValueError:
            pass
    raise QueryError("type", f"unknown document type {value!r} (e.g. TB, QĐ, cong_van, Thông báo)")


def parse(
    text: str = "",
    *,
    year: int | None = None,
    doc_type: str | None = None,
    issuer: str | None = None,
    signer: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    recipient: str | None = None,
    case_file: int | None = None,
    limit: int = 20,
    cursor: str | None = None,
) -> SearchQuery:
    """A SearchQuery from what a person types plus filters; QueryError names a bad parameter.

    A number and symbol however written ("07/TB-BGDĐT", "số 7 TB-BGDĐT", "so 07/tb-bgddt",
    "07/BGDĐT-VP", "30/2020/NĐ-CP") becomes the number and symbol filters (and the year when it
    is written in); a lone symbol ("TB-BGDĐT") or "số 7" filters on that; the rest is words.
    """
    text = nfc(text or "")
    number = symbol = None
    found = _NUMBER_SYMBOL.search(text)
    if found:
        number, symbol = int(found.group(1)), symbol_key(found.group(3))
        if found.group(2):
            written = int(found.group(2))
            if year is not None and year != written:
                raise QueryError("year", f"year {year} but the number says {written}")
            year = written
        text = text[: found.start()] + " " + text[found.end() :]
    else:
        alone = _NUMBER_ONLY.search(text)
        if alone:
            number = int(alone.group(1))
            text = text[: alone.start()] + " " + text[alone.end() :]
        lone = next((m for m in _SYMBOL_ONLY.finditer(text) if _looks_like_symbol(m[1])), None)
        if lone:
            symbol = symbol_key(lone.group(1))
            text = text[: lone.start()] + " " + text[lone.end() :]
    if number is not None and number < 1:
        raise QueryError("q", "a document number starts at 1")
    terms = tuple(distinct(words(text)))
    if len(terms) > MAX_TERMS:
        raise QueryError("q", f"at most {MAX_TERMS} words")
    if year is not None and not 1900 <= year <= 2200:
        raise QueryError("year", "a year between 1900 and 2200")
    if date_from and date_to and date_from > date_to:
        raise QueryError("date_from", f"date_from {date_from} is after date_to {date_to}")
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError("limit", f"between 1 and {MAX_LIMIT}")
    signer_words = tuple(distinct(words(signer or "")))
    recipient_words = tuple(distinct(words(recipient or "")))
    if signer is not None and not signer_words:
        raise QueryError("signer", "a name with at least one letter or digit")
    if recipient is not None and not recipient_words:
        raise QueryError("recipient", "a name with at least one letter or digit")
    issuer_key = name_key(issuer) if issuer is not None else None
    if issuer is not None and not issuer_key:
        raise QueryError("issuer", "an issuer code such as BGDĐT")
    query = SearchQuery(
        terms=terms,
        number=number,
        symbol=symbol,
        year=year,
        doc_type=_type_id(doc_type) if doc_type else None,
        issuer=issuer_key,
        signer=signer_words,
        date_from=date_from,
        date_to=date_to,
        recipient=recipient_words,
        case_file=case_file,
        limit=limit,
        cursor=Cursor.decode(cursor) if cursor else None,
    )
    if query.cursor is not None and (query.cursor.tier == 0) == query.ranked:
        raise QueryError("cursor", "a cursor of another query")
    return query


# -- hits and highlights -------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """A found document as a list shows it; highlights are [start, end) spans of the text."""

    id: int
    number: int
    symbol: str
    number_symbol: str
    issued_date: date
    doc_type: str
    issuer_code: str
    signer: str
    subject: str
    state: str
    subject_highlights: tuple[tuple[int, int], ...] = ()
    snippet: str = ""
    snippet_highlights: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Page:
    hits: list[Hit] = field(default_factory=list)
    next_cursor: str | None = None


def highlights(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Spans of `text` (as given, accents and all) whose folded word is one of `terms`.

    Folding maps each NFC character to one character (or none), so a word found in the folded
    text is mapped back to the characters of the original it came from.
    """
    if not terms:
        return []
    wanted = set(terms)
    folded = text.translate(_FOLD)
    if len(text.translate(_SINGLE)) == len(text):  # each character folds to one: same offsets
        return [(m.start(), m.end()) for m in _WORD.finditer(folded) if m.group() in wanted]
    origin = [i for i, c in enumerate(text) for _ in _FOLD[ord(c)]]
    return [
        (origin[m.start()], origin[m.end() - 1] + 1)
        for m in _WORD.finditer(folded)
        if m.group() in wanted
    ]


def snippet(text: str, terms: Sequence[str], width: int = 160) -> tuple[str, list[tuple[int, int]]]:
    """A window of `text` around its first matched word, with the spans inside the window."""
    if not terms:
        return "", []
    flat = " ".join(text.split())
    first = _first_word(terms).search(flat.translate(_FOLD))
    if first is None:
        return "", []
    # Folding rarely changes lengths; where it did, the window may sit a few characters off
    # and simply shows what it shows: the spans are computed on the window itself.
    at = min(first.start(), len(flat))
    start = max(0, at - width // 4)
    if start:
        space = flat.find(" ", start)
        start = space + 1 if 0 <= space < at else start
    end = min(len(flat), start + width)
    if end < len(flat):
        space = flat.rfind(" ", start, end)
        end = space if space > at else end
    window = flat[start:end]
    return window, highlights(window, terms)


@lru_cache(maxsize=256)
def _first_word(terms: Sequence[str]) -> re.Pattern[str]:
    alternatives = "|".join(sorted(map(re.escape, terms), key=len, reverse=True))
    return re.compile(rf"(?<![0-9a-z])(?:{alternatives})(?![0-9a-z])")
