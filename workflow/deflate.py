"""Raw DEFLATE (RFC 1951) streams spliced from pieces compressed ahead of time.

vanthu stores files compressed (an issued .docx is a stored zip of XML: 73 KB that deflates to
about 9 KB). Issue writes the file while it holds the numbering lock, where compressing it would
cost more than writing it. But all of the file except its number and date is known before the
lock: each such piece is compressed ahead as an independent *segment* (a fresh compressor ended
with a sync flush: byte-aligned, not final, no back-reference outside itself), and `splice`
then joins the segments with the few bytes that changed sent as stored blocks. Any inflater
reads the result as one stream; `inflate` gives back the exact bytes.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable

# Files are compressed on the request path (pass-format, sign): level 1 gets most of the size
# (the seed's parts: 72 KB → 13.1 KB, level 6 11.4 KB) for 60% of level 6's time.
LEVEL = 1
END = b"\x03\x00"  # a final, empty block (fixed Huffman codes): the stream's end
_STORED_MAX = 0xFFFF
_STORED = struct.Struct("<BHH")


def segment(data: bytes, level: int = LEVEL) -> bytes:
    """`data` compressed on its own, ending byte-aligned and not final (spliceable)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


def stored(data: bytes | memoryview) -> bytes:
    """`data` as non-final stored (uncompressed) blocks; starts and ends byte-aligned."""
    out = []
    for at in range(0, len(data), _STORED_MAX):
        chunk = data[at : at + _STORED_MAX]
        out += (_STORED.pack(0, len(chunk), len(chunk) ^ 0xFFFF), bytes(chunk))
    return b"".join(out)


def splice(data: bytes, known: Iterable[tuple[int, int, bytes]]) -> bytes:
    """`data` as one raw DEFLATE stream, reusing `known` = (offset, length, segment of
    data[offset:offset + length]) in ascending, non-overlapping order; the rest goes stored."""
    view = memoryview(data)
    out: list[bytes] = []
    at = 0
    for offset, length, compressed in known:
        if offset < at:
            raise ValueError(f"segments overlap or are out of order at offset {offset}")
        if offset > at:
            out.append(stored(view[at:offset]))
        out.append(compressed)
        at = offset + length
    if at > len(data):
        raise ValueError("a segment runs past the end of the data")
    out += (stored(view[at:]), END)
    return b"".join(out)


def compress(data: bytes, level: int = LEVEL) -> bytes:
    """`data` as a complete raw DEFLATE stream."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def inflate(stream: bytes) -> bytes:
    """The bytes of a complete raw DEFLATE stream; zlib.error if it is damaged or truncated."""
    return zlib.decompress(stream, -zlib.MAX_WBITS)
