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
from datetime import date

from workflow.content import DocumentContent, draft_year
from workflow.rendering.context import MARKERS, Fill, build
from workflow.rendering.package import StoredZip
from workflow.rendering.templates import compiled, render_parts
from workflow.vietnamese import vietnam_date

__all__ = ["Prepared", "load_prepared", "prepare", "render", "template_version"]

_MARKER = re.compile(r"<\?vanthu (so_vb|ngay|thang|nam)\?>")
_FIELDS = frozenset(vars(MARKERS))
_MAGIC = b"vanthu-prepared/1\n"

# An entry's data: its bytes, or literal bytes alternating with fill field names (odd items).
Entry = bytes | tuple[bytes | str, ...]


class Prepared:
    """A document rendered but for its number and date; `fill` finishes it in microseconds."""

    def __init__(
        self, entries: list[tuple[str, Entry]], draft_year: int, content_sha256: str
    ) -> None:
        self.draft_year = draft_year
        self.content_sha256 = content_sha256  # of the content this was prepared from
        self._entries = entries
        fixed = {i: data for i, (_, data) in enumerate(entries) if isinstance(data, bytes)}
        self._zip = StoredZip([name for name, _ in entries], fixed)

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

    def fill(self, number: int | None, issued: date | None) -> bytes:
        """The .docx bytes: a draft (both None) or issued with `number` and `issued`."""
        values = {
            k: v.encode("utf-8") for k, v in vars(Fill.of(number, issued, self.draft_year)).items()
        }
        changing = {
            i: b"".join(values[p] if k % 2 else p for k, p in enumerate(data))  # type: ignore[misc]
            for i, (_, data) in enumerate(self._entries)
            if not isinstance(data, bytes)
        }
        return self._zip.write(changing)

    def to_bytes(self) -> bytes:
        """A self-describing serialisation: a JSON header line, then the literal bytes."""
        index: list[list[object]] = []
        chunks: list[bytes] = []
        for name, data in self._entries:
            if isinstance(data, bytes):
                index.append([name, len(data)])
                chunks.append(data)
                continue
            layout: list[object] = []
            for k, piece in enumerate(data):
                if k % 2:
                    layout.append(piece)
                else:
                    assert isinstance(piece, bytes)
                    layout.append(len(piece))
                    chunks.append(piece)
            index.append([name, layout])
        header = {
            "content_sha256": self.content_sha256,
            "draft_year": self.draft_year,
            "entries": index,
        }
        line = json.dumps(header, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
        return _MAGIC + line.encode("ascii") + b"\n" + b"".join(chunks)

    @classmethod
    def from_bytes(cls, data: bytes) -> Prepared:
        """What `to_bytes` wrote; ValueError for anything else (truncated, altered layout)."""
        if not data.startswith(_MAGIC):
            raise ValueError("not a prepared vanthu rendition (no vanthu-prepared/1 header)")
        end = data.find(b"\n", len(_MAGIC))
        try:
            header = json.loads(data[len(_MAGIC) : end])
            sha, year, index = header["content_sha256"], header["draft_year"], header["entries"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"prepared rendition: unreadable header ({exc})") from None
        payload = memoryview(data)[end + 1 :]
        at = 0

        def take(length: object) -> bytes:
            nonlocal at
            if not isinstance(length, int) or length < 0 or at + length > len(payload):
                raise ValueError("prepared rendition: entry lengths do not fit the data")
            at += length
            return bytes(payload[at - length : at])

        if not isinstance(index, list) or not all(
            isinstance(e, list) and len(e) == 2 and isinstance(e[0], str) for e in index
        ):
            raise ValueError("prepared rendition: entries are not [name, layout] pairs")
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
        return cls(entries, year, sha)


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
