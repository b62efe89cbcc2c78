"""INTERIM: stands in for workflow.rendering until branch `render` is merged; then deleted."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date


class _Prepared:
    def __init__(self, content) -> None:
        self.text = content.canonical_json()

    def fill(self, number, issued) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            info = zipfile.ZipInfo("doc.txt", (1980, 1, 1, 0, 0, 0))
            z.writestr(info, f"{number}|{issued}|{self.text}")
        return buf.getvalue()


def prepare(content, *, today: date | None = None) -> _Prepared:
    hashlib.sha256(content.canonical_json().encode()).hexdigest()
    return _Prepared(content)


def render(content, number=None, issued=None, *, today=None) -> bytes:
    return prepare(content, today=today).fill(number, issued)
