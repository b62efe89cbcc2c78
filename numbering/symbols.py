"""Ký hiệu (symbol) and the "Số:" line as Phụ lục I, II.3 and Phụ lục III prescribe."""

from __future__ import annotations

import re

from numbering.doctypes import DocType

# Codes are set by the head of each agency and are case-sensitive ("QyĐ", "GDTrH"): never re-case.
CODE = re.compile(r"^[^\W\d_][\w&]*(?:\.[\w&]+)*$")


def format_number(number: int) -> str:
    """Document number as printed: a leading zero below 10 only ("07", "10", "123")."""
    if number < 1:
        raise ValueError(f"a document number starts at 1, got {number}")
    return f"{number:02d}"


def symbol(doc_type: DocType, issuer_code: str, unit_code: str) -> str:
    """Ký hiệu: "TB-BGDĐT" for typed documents, "BGDĐT-VP" (issuer, drafting unit) for công văn."""
    if doc_type.abbr:
        return f"{doc_type.abbr}-{issuer_code}"
    return f"{issuer_code}-{unit_code}"


def number_line(symbol_text: str, number: int | None) -> str:
    """Ô 3: "Số: 07/TB-BGDĐT" issued, "Số:      /TB-BGDĐT" in a draft (the clerk fills it)."""
    if number is None:
        return f"Số:      /{symbol_text}"
    return f"Số: {format_number(number)}/{symbol_text}"
