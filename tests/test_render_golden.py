"""Golden test: the rendered seed notice says, paragraph for paragraph, what the canonical
example (../shared/seeds/conclusion-notice-2021.txt) says, and its footnotes are real ones.

The seed is text extracted from a printed file. Only the print artefacts that
../shared/README.md names are undone here, each where it is handled:
  (a) bold marks: `**…**` stand for bold;
  (b) the footnote page split: notes ¹ ² printed where page 1 ended, splitting one paragraph;
  (c) the dropped header: the issuer and the national motto are missing, so compare from "Số:";
and the print's column order of the two-column blocks (d): the signature lines, the Nơi nhận
lines and the main flow are compared as separate sequences.
"""

from __future__ import annotations

import re

import pytest

from workflow.content import read
from workflow.rendering import render
from workflow.vietnamese import NATIONAL_MOTTO, NATIONAL_NAME

from .conftest import SEED, SHARED_SEED
from .docx_text import collapse, footnotes, references, walk

MARKS = {"¹": 1, "²": 2}


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SHARED_SEED.exists():
        pytest.fail(f"the canonical seed is missing: {SHARED_SEED}")
    return SHARED_SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return render(read(SEED))


def seed_blocks(text: str) -> dict[str, object]:
    """The seed split into the main flow, signature lines, Nơi nhận lines and footnotes."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]

    # (a) Bold marks. Where "**" glues two words ("THÔNG BÁO**Kết luận"), the extraction also
    # lost the paragraph break before the bold subject: split there, then drop the marks.
    unbolded: list[str] = []
    for block in blocks:
        unbolded += [part.replace("**", "") for part in re.split(r"(?<=\S)\*\*(?=\S)", block)]
    blocks = unbolded

    # (b) The footnote page split: the notes stand between the two halves of one paragraph
    # ("… cần chủ động, sáng" / "tạo, linh hoạt, …"); take them out and join the halves.
    notes: dict[int, str] = {}
    joined: list[str] = []
    pending_join = False
    for block in blocks:
        if block[0] in MARKS:
            notes[MARKS[block[0]]] = collapse(block[1:])
            pending_join = True
            continue
        if pending_join:
            joined[-1] = joined[-1] + " " + block
            pending_join = False
        else:
            joined.append(block)
    blocks = joined

    # (d) Column order: the print has the authority lines, then "Nơi nhận:" and its lines,
    # then the signer's name last.
    label = blocks.index("Nơi nhận:")
    signature = [*blocks[label - 1].splitlines(), blocks[-1]]
    recipients = [blocks[label], *blocks[label + 1].splitlines()]
    main = blocks[: label - 1]
    return {
        "main": [collapse(b) for b in main],
        "signature": [collapse(s) for s in signature],
        "recipients": [collapse(r) for r in recipients],
        "notes": notes,
        "marked": [b for b in main if any(m in b for m in MARKS)],
    }


def rendered_blocks(data: bytes) -> dict[str, list[str]]:
    paragraphs = walk(data)
    label = next(p for p in paragraphs if p.text == "Nơi nhận:")
    sign_table = label.table
    in_sign = [p for p in paragraphs if p.table == sign_table and p.table is not None]
    recipients = [collapse(p.text) for p in in_sign if p.cell == label.cell and p.text.strip()]
    signature = [collapse(p.text) for p in in_sign if p.cell != label.cell and p.text.strip()]
    flow = [p for p in paragraphs if p.table != sign_table or p.table is None]
    start = next(i for i, p in enumerate(flow) if p.text.startswith("Số:"))
    # (c) The dropped header: the print lost the issuer (before "Số:") and the Quốc hiệu and
    # motto (right column of the header row, after "Số:" in document order).
    main = [
        collapse(p.text)
        for p in flow[start:]
        if p.text.strip() and p.text not in (NATIONAL_NAME, NATIONAL_MOTTO)
    ]
    return {"main": main, "signature": signature, "recipients": recipients}


def test_seed_text_paragraph_for_paragraph(seed_text, rendered):
    want = seed_blocks(seed_text)
    got = rendered_blocks(rendered)
    # The seed marks footnote references with ¹ ²; in the file they are reference runs.
    want_main = [re.sub("[¹²]", "", b) for b in want["main"]]
    assert got["main"] == want_main
    assert got["signature"] == want["signature"]
    assert got["recipients"] == want["recipients"]


def test_seed_footnotes_are_real_word_footnotes(seed_text, rendered):
    want = seed_blocks(seed_text)
    notes = footnotes(rendered)
    assert [notes[i] for i in sorted(want["notes"])] == [
        want["notes"][i] for i in sorted(want["notes"])
    ]
    assert set(notes) == {1, 2}

    # Each reference sits in the paragraph the seed marks, right after the words it marks.
    paragraphs = walk(rendered)
    for marked in want["marked"]:
        plain = collapse(re.sub("[¹²]", "", marked))
        para = next(p for p in paragraphs if collapse(p.text) == plain)
        ids = references(para.element)
        assert ids == [MARKS[c] for c in marked if c in MARKS]
        for mark in (c for c in marked if c in MARKS):
            before_mark = collapse(marked.split(mark)[0]).split()[-2:]
            W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
            ref = next(
                r
                for r in para.element.iter(f"{W}footnoteReference")
                if int(r.get(f"{W}id")) == MARKS[mark]
            )
            preceding = ref.getparent().getprevious()
            text = "".join(t.text for t in preceding.iter(f"{W}t"))
            assert collapse(text).split()[-2:] == before_mark
    referenced = [i for p in paragraphs for i in references(p.element)]
    assert sorted(referenced) == [1, 2]  # each note referenced exactly once


def test_seed_draft_lines_keep_their_blanks(rendered):
    texts = [p.text for p in walk(rendered)]
    assert "Số:      /TB-BGDĐT" in texts
    assert "Hà Nội, ngày      tháng      năm 2021" in texts
