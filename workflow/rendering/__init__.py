"""Content → the regulated .docx of Decree 30/2020/NĐ-CP (Phụ lục I and III).

`render(content)` gives a draft (number and date left blank), `render(content, n, d)` the issued
file. Rendering is a pure function of (content, number, date, templates): the same inputs give
the same bytes. `prepare` does all the work that does not depend on number and date, so that
`fill`, which the workflow engine calls while it holds the numbering lock, only substitutes the
pre-placed number, day, month and year and assembles the zip. A prepared document serialises
(`to_bytes` / `load_prepared`): the engine stores the rendition the signer signed and fills it at
issue.
"""

from __future__ import annotations

import json
import re
import zlib
from datetime import date
from typing import Any

from workflow import deflate
from workflow.content import DocumentContent, draft_year
from workflow.rendering.context import MARKERS, Fill, build
from workflow.rendering.package import StoredZip
from workflow.rendering.templates import compiled, render_parts
from workflow.vietnamese import vietnam_date

__all__ = ["Prepared", "load_prepared", "prepare", "render", "template_version"]

_MARKER = re.compile(r"<\?vanthu (so_vb|ngay|thang|nam)\?>")
_FIELDS = frozenset(vars(MARKERS))
_MAGIC = b"vanthu-prepared/1\n"  # the literal chunks as they are
_MAGIC_2 = b"vanthu-prepared/2\n"  # the literal chunks as compressed segments

# An entry's data: its bytes, or literal bytes alternating with fill field names (odd items).
Entry = bytes | tuple[bytes | str, ...]


class Prepared:
    """A document rendered but for its number and date; `fill` finishes it in microseconds."""

    def __init__(
        self,
        entries: list[tuple[str, Entry]],
        draft_year: int,
        content_sha256: str,
        segments: list[bytes] | None = None,
    ) -> None:
        self.draft_year = draft_year
        self.content_sha256 = content_sha256  # of the content this was prepared from
        self._entries = entries
        fixed = {i: data for i, (_, data) in enumerate(entries) if isinstance(data, bytes)}
        self._zip = StoredZip([name for name, _ in entries], fixed)
        # Each literal chunk (see _chunks) compressed on its own, made when first needed: a
        # draft that is only checked never needs them.
        self._segments = segments

    @classmethod
    def of(
        cls, parts: list[tuple[str, str | bytes]], draft_year: int, content_sha256: str
    ) -> Prepared:
        """From rendered zip entries (XML parts as text holding the fill markers)."""
        entries: list[tuple[str, Entry]] = []
        for name, data in parts:
            if isinstance(data, str):
                pieces = _MARKER.split(data)
                if len(pieces) == 1:
                    data = data.encode("utf-8")
                else:  # UTF-8 is concatenative: encode the literal pieces once, here
                    data = tuple(p if i % 2 else p.encode("utf-8") for i, p in enumerate(pieces))
            entries.append((name, data))
        return cls(entries, draft_year, content_sha256)

    def _filled(self, number: int | None, issued: date | None) -> dict[int, list[bytes]]:
        """Each changing entry's pieces, fill values in place of the field names."""
        values = {
            k: v.encode("utf-8") for k, v in vars(Fill.of(number, issued, self.draft_year)).items()
        }
        return {
            i: [values[p] if k % 2 else p for k, p in enumerate(data)]  # type: ignore[misc]
            for i, (_, data) in enumerate(self._entries)
            if not isinstance(data, bytes)
        }

    def fill(self, number: int | None, issued: date | None) -> bytes:
        """The .docx bytes: a draft (both None) or issued with `number` and `issued`."""
        changing = {i: b"".join(pieces) for i, pieces in self._filled(number, issued).items()}
        return self._zip.write(changing)

    def fill_deflated(self, number: int | None, issued: date | None) -> tuple[bytes, bytes]:
        """`fill(number, issued)` and the same bytes as a raw DEFLATE stream, spliced from the
        segments compressed ahead: what issue stores, for no compressing under the lock."""
        filled = self._filled(number, issued)
        data, starts = self._zip.write_at({i: b"".join(p) for i, p in filled.items()})
        segments = iter(self.segments())
        known: list[tuple[int, int, bytes]] = []
        for i, (_, entry) in enumerate(self._entries):
            at = starts[i]
            for k, piece in enumerate(filled.get(i) or (entry,)):  # type: ignore[arg-type]
                if k % 2 == 0:  # a literal chunk: its segment
                    known.append((at, len(piece), next(segments)))
                at += len(piece)
        return data, deflate.splice(data, known)

    def _chunks(self) -> list[bytes]:
        """The literal chunks in order: each fixed entry's data, each changing entry's pieces
        between its fill fields."""
        chunks: list[bytes] = []
        for _, data in self._entries:
            if isinstance(data, bytes):
                chunks.append(data)
            else:
                chunks += data[::2]  # type: ignore[arg-type]
        return chunks

    def segments(self) -> list[bytes]:
        """Every literal chunk compressed on its own (deflate.segment); made once."""
        if self._segments is None:
            self._segments = [deflate.segment(chunk) for chunk in self._chunks()]
        return self._segments

    def to_bytes(self) -> bytes:
        """A self-describing serialisation: a JSON header line, then the literal chunks'
        compressed segments (vanthu-prepared/2)."""
        segments = iter(self.segments())
        chunks = iter(self._chunks())
        payload: list[bytes] = []

        def sizes() -> list[int]:
            chunk, segment = next(chunks), next(segments)
            payload.append(segment)
            return [len(chunk), len(segment)]

        index: list[list[object]] = []
        for name, data in self._entries:
            pieces = (data,) if isinstance(data, bytes) else data
            index.append([name, [p if k % 2 else sizes() for k, p in enumerate(pieces)]])
        header = {
            "content_sha256": self.content_sha256,
            "draft_year": self.draft_year,
            "entries": index,
        }
        line = json.dumps(header, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
        return _MAGIC_2 + line.encode("ascii") + b"\n" + b"".join(payload)

    @classmethod
    def from_bytes(cls, data: bytes) -> Prepared:
        """What `to_bytes` wrote (or its first, uncompressed form); ValueError for anything else
        (truncated, altered layout, damaged segments)."""
        magic = next((m for m in (_MAGIC_2, _MAGIC) if data.startswith(m)), None)
        if magic is None:
            raise ValueError("not a prepared vanthu rendition (no vanthu-prepared/2 header)")
        end = data.find(b"\n", len(magic))
        try:
            header = json.loads(data[len(magic) : end])
            sha, year, index = header["content_sha256"], header["draft_year"], header["entries"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"prepared rendition: unreadable header ({exc})") from None
        if not isinstance(index, list) or not all(
            isinstance(e, list) and len(e) == 2 and isinstance(e[0], str) for e in index
        ):
            raise ValueError("prepared rendition: entries are not [name, layout] pairs")
        payload = memoryview(data)[end + 1 :]
        segments = None
        if magic == _MAGIC_2:
            index, segments, payload = _inflated(index, payload)
        at = 0

        def take(length: object) -> bytes:
            nonlocal at
            if not isinstance(length, int) or length < 0 or at + length > len(payload):
                raise ValueError("prepared rendition: entry lengths do not fit the data")
            at += length
            return bytes(payload[at - length : at])

        entries: list[tuple[str, Entry]] = []
        for name, layout in index:
            if isinstance(layout, int):
                entries.append((name, take(layout)))
                continue
            if not isinstance(layout, list) or len(layout) % 2 == 0:
                raise ValueError(f"prepared rendition: bad layout for {name!r}")
            pieces: list[bytes | str] = []
            for k, item in enumerate(layout):
                if k % 2 and item not in _FIELDS:
                    raise ValueError(f"prepared rendition: unknown fill field {item!r}")
                pieces.append(item if k % 2 else take(item))
            entries.append((name, tuple(pieces)))
        if at != len(payload):
            raise ValueError("prepared rendition: data left over after the last entry")
        if not (isinstance(sha, str) and isinstance(year, int)):
            raise ValueError("prepared rendition: bad content_sha256 or draft_year")
        prepared = cls(entries, year, sha, segments)
        prepared.segments()  # a /1 rendition is compressed now, while loading: not under the lock
        return prepared


def _inflated(
    index: list[list[Any]], payload: memoryview
) -> tuple[list[list[Any]], list[bytes], memoryview]:
    """A /2 index and payload as /1 has them (chunk lengths; the chunks as they are), and the
    segments. The segments end to end, closed by deflate.END, are one stream: one inflate."""
    plain: list[list[Any]] = []
    sizes: list[tuple[int, int]] = []
    for name, layout in index:
        if not isinstance(layout, list) or len(layout) % 2 == 0:
            raise ValueError(f"prepared rendition: bad layout for {name!r}")
        items: list[Any] = []
        for k, item in enumerate(layout):
            if k % 2 == 0:
                if not (
                    isinstance(item, list)
                    and len(item) == 2
                    and all(isinstance(n, int) and n >= 0 for n in item)
                ):
                    raise ValueError(f"prepared rendition: bad chunk sizes for {name!r}")
                sizes.append((item[0], item[1]))
                item = item[0]
            items.append(item)
        plain.append([name, items[0] if len(items) == 1 else items])
    segments: list[bytes] = []
    at = 0
    for _, length in sizes:
        segments.append(bytes(payload[at : at + length]))
        at += length
    if at != len(payload):
        raise ValueError("prepared rendition: segment lengths do not fit the data")
    try:
        chunks = deflate.inflate(b"".join(segments) + deflate.END)
    except zlib.error as exc:
        raise ValueError(f"prepared rendition: damaged segments ({exc})") from None
    if len(chunks) != sum(raw for raw, _ in sizes):
        raise ValueError("prepared rendition: segments do not inflate to the chunk lengths")
    return plain, segments, memoryview(chunks)


def prepare(content: DocumentContent, *, today: date | None = None) -> Prepared:
    """Render everything but the number and date (the slow part; no lock needed)."""
    template = compiled(content.type.family)
    context = build(content, MARKERS, template.sections)
    year = draft_year(content, None, today if today is not None else vietnam_date())
    return Prepared.of(render_parts(template, context), year, content.sha256())


def template_version(content: DocumentContent) -> str:
    """The SHA-256 of the template `content` renders with: with the content's own SHA-256 and
    the draft year, what a prepared rendition depends on."""
    return compiled(content.type.family).version


def load_prepared(data: bytes) -> Prepared:
    """A prepared document back from `Prepared.to_bytes()`."""
    return Prepared.from_bytes(data)


def render(
    content: DocumentContent,
    number: int | None = None,
    issued: date | None = None,
    *,
    today: date | None = None,
) -> bytes:
    """The .docx of `content`: a draft without number and date, or issued with both.

    `today` only sets the draft's printed year when the content gives none (default: today in
    Vietnam). One of number/issued without the other is a ValueError.
    """
    Fill.of(number, issued, 0)  # reject a number without a date (or the reverse) up front
    return prepare(content, today=today).fill(number, issued)
