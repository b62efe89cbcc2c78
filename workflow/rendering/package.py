"""Deterministic .docx (zip) assembly: fixed entry order, timestamps and attributes.

Entries are stored, not deflated: the bytes then depend on nothing but the parts themselves (no
zlib version or implementation), so an issued file re-rendered years later hashes the same.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence

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


# -- write_zip(entries) byte for byte, faster when most entries never change -------------------
# The layout zipfile writes for a stored entry from a ZipInfo as write_zip makes it (seekable
# buffer, no data descriptor, no zip64, no extra field or comment): version 2.0, DOS time of
# EPOCH, and the ?rw------- permissions zipfile puts in place of external_attr 0.
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_OFFSET = struct.Struct("<L")
_VERSION = 20
_DOS_DATE = (EPOCH[0] - 1980) << 9 | EPOCH[1] << 5 | EPOCH[2]
_DOS_TIME = EPOCH[3] << 11 | EPOCH[4] << 5 | EPOCH[5] // 2
_PERMISSIONS = 0o600 << 16
_UTF8_NAME = 1 << 11
_SMALL = 0x7FFF_FFFF  # well under zip64's limits, which this layout does not write


class StoredZip:
    """write_zip for a fixed list of entry names, of which only some change between calls.

    The local records (and central directory records but for the offset) of the entries that
    never change are built once; `write` then only checksums the changing entries.
    """

    def __init__(self, names: Sequence[str], fixed: dict[int, bytes]) -> None:
        self._names: list[tuple[bytes, int]] = []
        for given in names:
            name = zipfile.ZipInfo(given).filename  # zipfile's own normalising of the name
            try:
                self._names.append((name.encode("ascii"), 0))
            except UnicodeEncodeError:
                self._names.append((name.encode("utf-8"), _UTF8_NAME))
        self._fixed = {i: self._entry(i, data) for i, data in fixed.items()}

    def _entry(self, i: int, data: bytes) -> tuple[bytes, bytes]:
        """(local header + name + data, central record up to its offset field)."""
        name, flags = self._names[i]
        crc, size = zlib.crc32(data), len(data)
        if size > _SMALL:
            raise ValueError(f"zip entry {name!r} too large for this layout")
        same = (flags, 0, _DOS_TIME, _DOS_DATE, crc, size, size, len(name))
        local = _LOCAL.pack(b"PK\003\004", _VERSION, 0, *same, 0)
        central = _CENTRAL.pack(
            b"PK\001\002", _VERSION, 0, _VERSION, 0, *same, 0, 0, 0, 0, _PERMISSIONS, 0
        )
        return local + name + data, central[:-4]

    def write(self, changing: dict[int, bytes]) -> bytes:
        """The zip with the fixed entries and `changing` (index → data for every other entry)."""
        return self.write_at(changing)[0]

    def write_at(self, changing: dict[int, bytes]) -> tuple[bytes, list[int]]:
        """`write(changing)` and where in it each entry's data starts."""
        records: list[bytes] = []
        central: list[bytes] = []
        starts: list[int] = []
        offset = 0
        for i, (name, _) in enumerate(self._names):
            record, head = self._fixed.get(i) or self._entry(i, changing[i])
            central += (head, _OFFSET.pack(offset), name)
            records.append(record)
            starts.append(offset + _LOCAL.size + len(name))
            offset += len(record)
        directory = b"".join(central)
        if offset + len(directory) > _SMALL:
            raise ValueError("zip too large for this layout")
        count = len(self._names)
        end = _END.pack(b"PK\005\006", 0, 0, count, count, len(directory), offset, 0)
        return b"".join(records) + directory + end, starts
