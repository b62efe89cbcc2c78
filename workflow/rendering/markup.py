"""Body markup → WordprocessingML paragraphs and real Word footnotes.

The markup is deliberately small (markdown-it-py "zero" preset): paragraphs, **bold**, *italic*,
backslash escapes and footnotes `[^1]` with `[^1]: text` definitions. Everything else a clerk
types stays literal — "1.", "a)", "-", "#", ">" at a line start, indented lines, HTML, links —
because that is how official documents are written. A line that starts with a list marker
begins a new paragraph even without a blank line before it; other single newlines join lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from workflow.rendering import geometry as L
from workflow.rendering.wordml import footnote_mark, footnote_reference, paragraph, ppr, run

# "-", "+", "•", "–", "*", "1.", "1)", "1.2.", "a)", "đ)", "I.", "IV." … at a line start.
MARKER_LINE = re.compile(r"^[ \t]{0,3}(?:[-+•–*]|\d+(?:\.\d+)*[.)]|[a-zđ]\)|[IVXLC]+\.)(?=\s|$)")
ARTICLE = re.compile(r"^(Điều\s+\d+[a-zđ]?\.)")
UNDEFINED_REF = re.compile(r"\[\^([^\]\s]+)\]")

_MD = (
    MarkdownIt("zero")
    .enable(["emphasis", "newline", "escape"])
    .use(footnote_plugin, inline=False, move_to_end=True)
)


class MarkupError(ValueError):
    """Body markup that cannot become a Word document (the caller names the field)."""


def split_marker_lines(source: str) -> str:
    """Start a new paragraph at every line that begins with a list marker."""
    out: list[str] = []
    for line in source.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if MARKER_LINE.match(line) and out and out[-1].strip():
            out.append("")
        out.append(line)
    return "\n".join(out)


@dataclass
class _Span:
    text: str
    bold: bool
    italic: bool


@dataclass
class Notes:
    """Footnotes collected over the body and the appendices, numbered in order of reference."""

    items: list[str] = field(default_factory=list)  # paragraphs XML of note i+1

    def footnotes_markup(self) -> str:
        """What `{{p footnotes }}` in word/footnotes.xml expands to.

        The template's footnote 1 wraps the first note; every further note closes the previous
        w:footnote and opens its own. Without notes, footnote 1 stays an empty, unreferenced note.
        """
        if not self.items:
            return paragraph(ppr(style="FootnoteText", mark_size=L.FOOTNOTE_PT))
        parts = [self.items[0]]
        for index, xml in enumerate(self.items[1:], start=2):
            parts.append(f'</w:footnote><w:footnote w:id="{index}">{xml}')
        return "".join(parts)


def _inline_spans(token: Token, base_id: int, size: float) -> list[_Span | str]:
    """Spans of text, and footnote reference runs (as XML strings), of one inline token."""
    items: list[_Span | str] = []
    bold = italic = False
    for child in token.children or []:
        kind = child.type
        if kind == "text":
            missing = UNDEFINED_REF.search(child.content)
            if missing:
                raise MarkupError(f"footnote [^{missing.group(1)}] is used but never defined")
            items.append(_Span(child.content, bold, italic))
        elif kind in ("softbreak", "hardbreak"):
            items.append(_Span(" ", bold, italic))
        elif kind == "strong_open":
            bold = True
        elif kind == "strong_close":
            bold = False
        elif kind == "em_open":
            italic = True
        elif kind == "em_close":
            italic = False
        elif kind == "footnote_ref":
            if child.meta["subId"] > 0:
                raise MarkupError(
                    f"footnote [^{child.meta['label']}] is referenced twice; a Word footnote has"
                    " one reference"
                )
            items.append(footnote_reference(base_id + child.meta["id"] + 1, size))
        elif kind != "footnote_anchor":
            items.append(_Span(child.content, bold, italic))
    return items


def _runs(items: list[_Span | str], size: float, *, articles: bool) -> str:
    merged: list[_Span | str] = []
    for item in items:
        last = merged[-1] if merged else None
        if (
            isinstance(item, _Span)
            and isinstance(last, _Span)
            and (last.bold, last.italic) == (item.bold, item.italic)
        ):
            last.text += item.text
        else:
            merged.append(
                _Span(item.text, item.bold, item.italic) if isinstance(item, _Span) else item
            )
    if articles and merged and isinstance(merged[0], _Span) and not merged[0].bold:
        # "Điều 1." opens an article: its label is bold (Phụ lục I, II.6) even if not marked.
        first = merged[0]
        m = ARTICLE.match(first.text)
        if m:
            label = _Span(m.group(1), True, first.italic)
            first.text = first.text[m.end() :]
            merged.insert(0, label)
    out = []
    for item in merged:
        if isinstance(item, str):
            out.append(item)
        elif item.text:
            out.append(run(item.text, size, bold=item.bold, italic=item.italic))
    return "".join(out)


def body_properties() -> str:
    return ppr(
        style="VTBody",
        jc="both",
        after=L.BODY_AFTER,
        line=L.BODY_LINE,
        first_line=L.BODY_INDENT,
        mark_size=L.BODY_PT,
    )


def footnote_properties() -> str:
    return ppr(style="FootnoteText", jc="both", mark_size=L.FOOTNOTE_PT)


def render_markup(source: str, notes: Notes) -> str:
    """Body paragraphs XML for `source`; its footnotes are appended to `notes`."""
    env: dict = {}
    tokens = _MD.parse(split_marker_lines(source), env)
    footnotes = env.get("footnotes", {})
    unused = sorted(label[1:] for label, ident in footnotes.get("refs", {}).items() if ident < 0)
    if unused:
        raise MarkupError(
            "footnote " + ", ".join(f"[^{u}]" for u in unused) + " is defined but never referenced"
        )
    base = len(notes.items)
    body: list[str] = []
    note_paragraphs: dict[int, list[str]] = {}
    current_note: int | None = None
    for i, token in enumerate(tokens):
        if token.type == "footnote_open":
            current_note = token.meta["id"]
            note_paragraphs[current_note] = []
        elif token.type == "footnote_close":
            current_note = None
        elif token.type == "inline" and tokens[i - 1].type == "paragraph_open":
            if current_note is None:
                items = _inline_spans(token, base, L.BODY_PT)
                body.append(paragraph(body_properties(), _runs(items, L.BODY_PT, articles=True)))
            else:
                items = _inline_spans(token, base, L.FOOTNOTE_PT)
                runs = _runs(items, L.FOOTNOTE_PT, articles=False)
                if not note_paragraphs[current_note]:
                    runs = footnote_mark(L.FOOTNOTE_PT) + run(" ", L.FOOTNOTE_PT) + runs
                note_paragraphs[current_note].append(paragraph(footnote_properties(), runs))
    for ident in sorted(note_paragraphs):
        paragraphs = note_paragraphs[ident] or [
            paragraph(footnote_properties(), footnote_mark(L.FOOTNOTE_PT))
        ]
        notes.items.append("".join(paragraphs))
    return "".join(body)
