"""Content → the regulated .docx of Decree 30/2020/NĐ-CP (Phụ lục I and III).

`render(content)` gives a draft (number and date left blank), `render(content, n, d)` the issued
file. Rendering is a pure function of (content, number, date, templates): the same inputs give
the same bytes. `prepare` does all the work that does not depend on number and date, so that
`fill`, which the workflow engine calls while it holds the numbering lock, only substitutes the
pre-placed number, day, month and year and assembles the zip.
"""

from __future__ import annotations

import re
from datetime import date

from workflow.content import DocumentContent, draft_year
from workflow.rendering.context import MARKERS, Fill, build
from workflow.rendering.package import write_zip
from workflow.rendering.templates import compiled, render_parts
from workflow.vietnamese import vietnam_date

__all__ = ["Prepared", "prepare", "render"]

_MARKER = re.compile(r"<\?vanthu (so_vb|ngay|thang|nam)\?>")


class Prepared:
    """A document rendered but for its number and date; `fill` finishes it in microseconds."""

    def __init__(self, entries: list[tuple[str, str | bytes]], draft_year: int) -> None:
        self.draft_year = draft_year
        # Each entry: its bytes, or the text split at fill markers (even items text, odd names).
        self._entries: list[tuple[str, bytes | list[str]]] = []
        for name, data in entries:
            if isinstance(data, str):
                pieces = _MARKER.split(data)
                self._entries.append((name, pieces if len(pieces) > 1 else data.encode("utf-8")))
            else:
                self._entries.append((name, data))

    def fill(self, number: int | None, issued: date | None) -> bytes:
        """The .docx bytes: a draft (both None) or issued with `number` and `issued`."""
        values = vars(Fill.of(number, issued, self.draft_year))
        out: list[tuple[str, bytes]] = []
        for name, data in self._entries:
            if isinstance(data, list):
                text = "".join(values[piece] if i % 2 else piece for i, piece in enumerate(data))
                data = text.encode("utf-8")
            out.append((name, data))
        return write_zip(out)


def prepare(content: DocumentContent, *, today: date | None = None) -> Prepared:
    """Render everything but the number and date (the slow part; no lock needed)."""
    template = compiled(content.type.family)
    context = build(content, MARKERS, template.sections)
    year = draft_year(content, None, today if today is not None else vietnam_date())
    return Prepared(render_parts(template, context), year)


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
