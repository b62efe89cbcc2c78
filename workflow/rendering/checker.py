"""The Decree 30 format checker: reads a .docx back — vanthu's own or anyone's — and reports
every breach of Phụ lục I's format with a rule id and where to find it.

It is the product's definition of "correct format": the renderer's tests, the engine's
format_check step and `vanthu check` all call `check`.
"""

from __future__ import annotations

import os

from workflow.rendering.docxread import Docx, UnreadableDocument
from workflow.rendering.elements import check_elements
from workflow.rendering.layout import find_layout
from workflow.rendering.pagesetup import check_page
from workflow.rendering.typography import check_typography
from workflow.rendering.violations import RULES, Violation, merge


def check(source: bytes | str | os.PathLike[str], *, draft: bool = False) -> list[Violation]:
    """Every format violation in a .docx (bytes or a path); [] when it conforms.

    draft=True accepts a blank number and a blank day and month (a filled one too); without
    it they are NUMBER.MISSING / DATE.MISSING. Raises UnreadableDocument (a VanthuError) when
    the input is not a readable Word document.
    """
    doc = Docx(source)
    layout = find_layout(doc)
    found = [
        *check_page(doc),
        *check_typography(doc, layout),
        *check_elements(doc, layout, draft=draft),
    ]
    return merge(found)


__all__ = ["RULES", "UnreadableDocument", "Violation", "check"]
