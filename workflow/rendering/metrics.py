"""Estimated width of a line of Times New Roman text, for rules and frames sized to the text.

Advance widths are the Adobe Times-Roman / Times-Bold metrics (1/1000 em), which Times New Roman
matches closely. Vietnamese letters take their base letter's width; the horn of ư/ơ adds a little.
"""

from __future__ import annotations

import unicodedata

from workflow.rendering.geometry import TWIPS_PER_PT

_PUNCT = " !\"#$%&'()*+,-./0123456789:;<=>?@[\\]^_"
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER = "abcdefghijklmnopqrstuvwxyz"


def _table(punct: list[int], upper: list[int], lower: list[int]) -> dict[str, int]:
    widths = dict(zip(_PUNCT, punct, strict=True))
    widths.update(zip(_UPPER, upper, strict=True))
    widths.update(zip(_LOWER, lower, strict=True))
    return widths


# fmt: off
_REGULAR = _table(
    [250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278,
     500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921,
     333, 278, 333, 469, 500],
    [722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722,
     667, 556, 611, 722, 722, 944, 722, 722, 611],
    [444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500,
     333, 389, 278, 500, 500, 722, 500, 500, 444],
)
_BOLD = _table(
    [250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278,
     500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930,
     333, 278, 333, 581, 500],
    [722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778,
     722, 556, 667, 722, 722, 1000, 722, 722, 667],
    [500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556,
     444, 389, 333, 556, 500, 722, 500, 500, 444],
)
# fmt: on
_HORN = "\u031b"
_EXTRA = {"đ": "d", "Đ": "D", "–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'"}


def _units(char: str, table: dict[str, int]) -> int:
    char = _EXTRA.get(char, char)
    if char in table:
        return table[char]
    decomposed = unicodedata.normalize("NFD", char)
    base = decomposed[0]
    if base in table:
        return table[base] + (50 if _HORN in decomposed else 0)
    return table["n"]


def text_width(text: str, size_pt: float, *, bold: bool = False) -> int:
    """Width of `text` on one line at `size_pt`, in twips."""
    table = _BOLD if bold else _REGULAR
    units = sum(_units(c, table) for c in text)
    return round(units * size_pt / 1000 * TWIPS_PER_PT)


def line_count(text: str, size_pt: float, available: int, *, bold: bool = False) -> int:
    """How many lines `text` takes in `available` twips, wrapping at spaces as Word does."""
    lines, current = 1, 0
    space = text_width(" ", size_pt, bold=bold)
    for word in text.split():
        width = text_width(word, size_pt, bold=bold)
        if current and current + space + width > available:
            lines += 1
            current = width
        else:
            current += (space if current else 0) + width
    return lines


def line_height(size_pt: float) -> int:
    """Height of one single-spaced line of Times New Roman at `size_pt`, in twips."""
    return round(size_pt * 1.15 * TWIPS_PER_PT)
