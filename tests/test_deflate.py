"""Raw DEFLATE spliced from segments compressed ahead inflates to exactly the bytes it stands
for, whatever the split between compressed and stored pieces."""

from __future__ import annotations

import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.deflate import END, compress, inflate, segment, splice, stored


@settings(max_examples=150, deadline=None)
@given(
    pieces=st.lists(
        st.tuples(st.binary(max_size=3000) | st.text(max_size=800).map(str.encode), st.booleans()),
        max_size=12,
    )
)
def test_splice_inflates_to_the_data(pieces):
    data = b"".join(p for p, _ in pieces)
    known, at = [], 0
    for piece, ahead in pieces:
        if ahead:
            known.append((at, len(piece), segment(piece)))
        at += len(piece)
    stream = splice(data, known)
    assert inflate(stream) == data
    assert zlib.decompressobj(-zlib.MAX_WBITS).decompress(stream) == data  # one stream


def test_stored_blocks_split_at_their_limit():
    data = bytes(range(256)) * 600  # 153,600 bytes: three stored blocks
    assert inflate(stored(data) + END) == data
    assert len(stored(data)) == len(data) + 3 * 5


def test_whole_file_compression_round_trips():
    data = b"<w:t>Th\xc3\xb4ng b\xc3\xa1o</w:t>" * 2000
    assert inflate(compress(data)) == data and len(compress(data)) < len(data) / 20


def test_bad_splices_and_damaged_streams_are_refused():
    data = b"abcdefghij" * 10
    with pytest.raises(ValueError, match="overlap"):
        splice(data, [(10, 20, segment(data[10:30])), (5, 5, segment(data[5:10]))])
    with pytest.raises(ValueError, match="past the end"):
        splice(data, [(95, 10, segment(data[95:] + b"xxxxx"))])
    with pytest.raises(zlib.error):
        inflate(splice(data, [])[:-3])  # truncated: no final block
