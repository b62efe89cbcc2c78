"""A prepared document serialised and restored fills to the very bytes a fresh render gives, and
the fast zip writer lays out exactly what zipfile writes."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.content import read
from workflow.deflate import inflate
from workflow.rendering import Prepared, load_prepared, prepare, render
from workflow.rendering.package import StoredZip, read_zip, write_zip

from .conftest import DOCUMENTS, SEED, first_form

FIXTURES = sorted(DOCUMENTS.glob("*.yaml"))
FILLS = [(None, None), (1, date(2021, 1, 1)), (7, date(2022, 2, 5)), (1234, date(2024, 12, 31))]


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_restored_rendition_fills_to_a_fresh_render(path):
    content = read(path)
    prepared = prepare(content, today=date(2024, 6, 1))
    data = prepared.to_bytes()
    restored = load_prepared(data)
    assert restored.to_bytes() == data == prepare(content, today=date(2024, 6, 1)).to_bytes()
    assert restored.content_sha256 == content.sha256()
    for number, issued in FILLS:
        fresh = render(content, number, issued, today=date(2024, 6, 1))
        assert restored.fill(number, issued) == fresh == prepared.fill(number, issued)
    # The issued file is a .docx the standard library reads back.
    with zipfile.ZipFile(io.BytesIO(restored.fill(7, date(2022, 2, 5)))) as z:
        assert z.testzip() is None and "word/document.xml" in z.namelist()


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_the_deflated_file_inflates_to_the_file(path):
    """What issue stores (spliced from segments compressed ahead) is the file, smaller."""
    restored = load_prepared(prepare(read(path), today=date(2024, 6, 1)).to_bytes())
    for number, issued in FILLS:
        data, deflated = restored.fill_deflated(number, issued)
        assert data == restored.fill(number, issued)
        assert inflate(deflated) == data
        assert len(deflated) < len(data) / 3


def test_renditions_stored_in_the_first_form_still_load():
    content = read(SEED)
    prepared = prepare(content, today=date(2024, 6, 1))
    old = first_form(prepared)
    assert len(old) > 5 * len(prepared.to_bytes())  # /2 keeps its chunks compressed
    restored = load_prepared(old)
    assert restored.to_bytes() == prepared.to_bytes()
    data, deflated = restored.fill_deflated(7, date(2022, 2, 5))
    assert data == render(content, 7, date(2022, 2, 5), today=date(2024, 6, 1))
    assert inflate(deflated) == data


def test_restored_rendition_keeps_the_draft_year():
    content = read(SEED).model_copy(update={"year": None})
    restored = load_prepared(prepare(content, today=date(2030, 3, 1)).to_bytes())
    assert restored.draft_year == 2030
    assert restored.fill(None, None) == render(content, today=date(2030, 3, 1))


def _layout(data: bytes) -> tuple[bytes, dict, bytes]:
    magic, rest = data.split(b"\n", 1)
    header, payload = rest.split(b"\n", 1)
    return magic, json.loads(header), payload


def _join(magic: bytes, header: dict, payload: bytes) -> bytes:
    return magic + b"\n" + json.dumps(header).encode() + b"\n" + payload


def test_damaged_renditions_are_refused():
    data = prepare(read(SEED)).to_bytes()
    magic, header, payload = _layout(data)
    with pytest.raises(ValueError, match="header"):
        Prepared.from_bytes(b"PK\x03\x04" + data)
    with pytest.raises(ValueError, match="do not fit"):
        Prepared.from_bytes(data[:-10])  # truncated
    with pytest.raises(ValueError, match="do not fit"):
        Prepared.from_bytes(data + b"x")  # a byte too many
    damaged = bytearray(payload)
    damaged[40] ^= 0xFF
    with pytest.raises(ValueError, match="segments"):
        Prepared.from_bytes(_join(magic, header, bytes(damaged)))
    marked = next(e for e in header["entries"] if len(e[1]) > 1)
    marked[1][1] = "so_vb_or_anything"
    with pytest.raises(ValueError, match="unknown fill field"):
        Prepared.from_bytes(_join(magic, header, payload))
    with pytest.raises(ValueError, match="unreadable header"):
        Prepared.from_bytes(magic + b"\n{not json\n" + payload)
    with pytest.raises(ValueError, match="pairs"):
        Prepared.from_bytes(_join(magic, {**header, "entries": 5}, payload))


NAMES = st.lists(
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12),
    min_size=1,
    max_size=8,
    unique=True,
)


@settings(max_examples=60, deadline=None)
@given(
    names=NAMES,
    blobs=st.lists(st.binary(max_size=3000), min_size=8, max_size=8),
    fixed=st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_stored_zip_writes_what_zipfile_writes(names, blobs, fixed):
    entries = [(name, blobs[i]) for i, name in enumerate(names)]
    constant = {i: data for i, (_, data) in enumerate(entries) if fixed[i]}
    layout = StoredZip(names, constant)
    changing = {i: data for i, (_, data) in enumerate(entries) if not fixed[i]}
    assert layout.write(changing) == write_zip(entries)
    assert [data for _, data in read_zip(layout.write(changing))] == blobs[: len(names)]


def test_issued_bytes_are_unchanged_by_the_fast_zip_writer():
    """The fill path writes what zipfile wrote before it: issued files re-render the same."""
    content = read(SEED)
    data = render(content, 7, date(2022, 1, 5))
    assert write_zip(read_zip(data)) == data
