"""File responses: media types and Vietnamese download names (RFC 6266 / RFC 5987).

A name such as "Thông báo 07-TB-BGDĐT ngày 05-01-2022.docx" goes out as
`filename*=UTF-8''…` with an ASCII fallback ("Thong bao 07-TB-BGDDT ngay 05-01-2022.docx");
the slash of a number can't be in a file name, so "07/TB-BGDĐT" is written "07-TB-BGDĐT".
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from fastapi.responses import Response

from numbering.symbols import format_number
from workflow.document import Document
from workflow.vietnamese import nfc

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
ZIP = "application/zip"
MEDIA_TYPES = {"docx": DOCX, "xlsx": XLSX, "csv": CSV, "zip": ZIP}

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def safe_name(name: str) -> str:
    """NFC, no characters file systems refuse, no trailing dots or spaces."""
    return nfc(_UNSAFE.sub("-", name)).strip(" .")


def ascii_name(name: str) -> str:
    """The ASCII fallback: marks dropped, đ → d, anything else outside printable ASCII → '_'."""
    folded = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in plain)


def content_disposition(filename: str) -> str:
    return (
        f'attachment; filename="{ascii_name(filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )


def document_filename(doc: Document, kind: str) -> str:
    """ "Thông báo 07-TB-BGDĐT ngày 05-01-2022.docx" or "Dự thảo Thông báo TB-BGDĐT.docx"."""
    content = doc.content
    type_name = content.type.name
    symbol = doc.symbol or content.symbol
    if kind == "issued" and doc.number is not None and doc.issued_date is not None:
        day = doc.issued_date
        name = f"{type_name} {format_number(doc.number)}-{symbol} ngày {day:%d-%m-%Y}"
    else:
        name = f"Dự thảo {type_name} {symbol}"
    return safe_name(name) + ".docx"


def register_filename(slug: str, year: int, fmt: str) -> str:
    """ "Sổ đăng ký văn bản đi BGDĐT-VB 2021.xlsx"."""
    return safe_name(f"Sổ đăng ký văn bản đi {slug} {year}") + f".{fmt}"


def file_response(
    data: bytes, filename: str, media_type: str, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": content_disposition(filename), **(headers or {})},
    )
