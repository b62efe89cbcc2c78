"""Deterministic .docx (zip) assembly: fixed entry order, timestamps and attributes.

Entries are stored, not deflated: the bytes then depend on nothing but the parts themselves (no
zlib version or implementation), so an issued file re-rendered years later hashes the same.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

EPOCH = (1980, 1, 1, 0, 0, 0)


def write_zip(entries: Iterable[tuple[str, bytes]], *, deflate: bool = False) -> bytes:
    """A zip of `entries` in the given order; same entries → same bytes."""
    buffer = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.compress_type = method
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, data, compress_type=method, compresslevel=9 if deflate else None)
    return buffer.getvalue()


def read_zip(data: bytes) -> list[tuple[str, bytes]]:
    """Every entry of a zip, in archive order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]
