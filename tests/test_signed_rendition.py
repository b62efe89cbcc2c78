"""The rendition the signer signs: stored at `sign`, filled in at `issue` (no preparing under
way to the lock), identical to a fresh render; documents without one (older data) or with a
damaged one still issue correctly; the recipient check made at signing stands only while the
directory is the one it was made against."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from workflow.directory import Directory
from workflow.errors import GuardFailed, InvalidContent
from workflow.states import Action, State
from workflow.store.repositories import decoded
from workflow.store.tables import files, number_ledger
from workflow.verify import verify

from .engine_support import (
    RENDERER,
    SEED_CONTENT,
    Clock,
    actor,
    bulk_signed,
    make_engine,
    open_db,
    signed_document,
)

SEPT = datetime(2021, 9, 20, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
ISSUE_DAY = date(2021, 9, 20)


class Counting:
    """The real renderer, counting how often a document is prepared (the slow part)."""

    def __init__(self) -> None:
        self.prepared = 0

    def prepare(self, content, *, today=None):
        self.prepared += 1
        return RENDERER.prepare(content, today=today)

    def render(self, content, number=None, issued=None, *, today=None):
        return RENDERER.render(content, number, issued, today=today)

    def load_prepared(self, data):
        return RENDERER.load_prepared(data)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    return open_db(request.param, tmp_path, request)


def stored(db, doc_id, kind):
    """The document's files of `kind` as rows, `data` the file itself (decoded)."""
    with db.engine.connect() as conn:
        rows = conn.execute(
            sa.select(
                files.c.id,
                files.c.bytes,
                files.c.encoding,
                files.c.sha256,
                files.c.directory_revision,
            )
            .where(files.c.document_id == doc_id, files.c.kind == kind)
            .order_by(files.c.id)
        ).all()
    return [SimpleNamespace(**r._asdict(), data=decoded(r.bytes, r.encoding)) for r in rows]


def test_sign_stores_the_rendition_and_issue_fills_it_without_preparing(db):
    renderer = Counting()
    engine = make_engine(db, Clock(SEPT), renderer=renderer)
    doc = signed_document(engine)
    (row,) = stored(db, doc.id, "signed")
    data = row.data
    assert row.encoding == "identity"  # a prepared rendition holds its chunks compressed
    assert hashlib.sha256(data).hexdigest() == row.sha256
    with db.uow(write=False) as uow:
        assert row.directory_revision == uow.entries.revision() >= 1  # recipients resolved
    restored = RENDERER.load_prepared(data)
    assert restored.content_sha256 == SEED_CONTENT.sha256() == doc.content_sha256
    assert restored.fill(None, None) == RENDERER.render(SEED_CONTENT, today=ISSUE_DAY)
    before = renderer.prepared
    issued = engine.act(actor("clerk"), doc.id, Action.ISSUE)
    assert renderer.prepared == before  # the stored rendition was filled, nothing prepared
    (file,) = stored(db, doc.id, "issued")
    assert file.encoding == "deflate" and len(file.bytes) < len(file.data) / 3
    assert file.data == restored.fill(1, ISSUE_DAY)
    assert file.data == RENDERER.render(SEED_CONTENT, 1, ISSUE_DAY)  # byte for byte
    assert hashlib.sha256(file.data).hexdigest() == issued.issued_sha256
    result = verify(db, RENDERER)
    assert result.problems == [] and result.renditions == 1


def test_a_signed_document_without_a_rendition_still_issues(db):
    renderer = Counting()
    engine = make_engine(db, Clock(SEPT), renderer=renderer)
    doc = signed_document(engine)
    with db.engine.begin() as conn:  # as a document signed before renditions were stored
        conn.execute(sa.delete(files).where(files.c.kind == "signed"))
    before = renderer.prepared
    issued = engine.act(actor("clerk"), doc.id, Action.ISSUE)
    assert renderer.prepared == before + 1  # prepared at issue, before the lock
    (file,) = stored(db, doc.id, "issued")
    assert file.data == RENDERER.render(SEED_CONTENT, 1, ISSUE_DAY)
    assert issued.number == 1
    result = verify(db, RENDERER)
    assert result.problems == [] and result.renditions == 0


def test_a_damaged_or_foreign_rendition_is_not_filled(db):
    renderer = Counting()
    engine = make_engine(db, Clock(SEPT), renderer=renderer)
    other = SEED_CONTENT.model_copy(update={"subject": SEED_CONTENT.subject + " (bản khác)"})
    damaged, foreign, source = (
        signed_document(engine),
        signed_document(engine),
        signed_document(engine, other),
    )
    (row,) = stored(db, damaged.id, "signed")
    (mine,) = stored(db, foreign.id, "signed")
    (theirs,) = stored(db, source.id, "signed")
    with db.engine.begin() as conn:
        # Bytes changed behind the store's back: no longer their SHA-256.
        data = row.data[:-50] + bytes([row.data[-50] ^ 1]) + row.data[-49:]
        conn.execute(sa.update(files).where(files.c.id == row.id).values(bytes=data))
        # Another document's rendition, consistent in itself, put in place of this one's.
        conn.execute(
            sa.update(files)
            .where(files.c.id == mine.id)
            .values(bytes=theirs.data, sha256=theirs.sha256)
        )
    before = renderer.prepared
    first = engine.act(actor("clerk"), damaged.id, Action.ISSUE)
    second = engine.act(actor("clerk"), foreign.id, Action.ISSUE)
    assert renderer.prepared == before + 2  # both prepared afresh from their content
    for doc, number in ((first, 1), (second, 2)):
        (file,) = stored(db, doc.id, "issued")
        assert file.data == RENDERER.render(SEED_CONTENT, number, ISSUE_DAY)
    problems = verify(db, RENDERER).problems
    assert problems == [
        f"document {damaged.id}: stored signed rendition does not match its SHA-256",
        f"document {foreign.id}: stored signed rendition is of other content than the document's",
    ]


def test_a_directory_changed_after_signing_is_checked_again_at_issue(db):
    engine = make_engine(db, Clock(SEPT))
    doc = signed_document(engine)
    data = Directory.load().data
    smaller = data.model_copy(
        update={"groups": [g for g in data.groups if g.id != "cac-sgddt-2021"]}
    )
    with db.uow() as uow:
        uow.entries.replace(smaller, SEPT)  # a new revision without the departments' group
        uow.commit()
    with pytest.raises(GuardFailed) as info:
        engine.act(actor("clerk"), doc.id, Action.ISSUE)
    assert info.value.guard == "recipients" and "cac-sgddt-2021" in str(info.value)
    with db.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(number_ledger)).scalar_one() == 0
    assert engine.get(actor("clerk"), doc.id).state is State.SIGNED
    with db.uow() as uow:
        uow.entries.replace(data, SEPT)  # back to the full directory: a newer revision again
        uow.commit()
    assert engine.act(actor("clerk"), doc.id, Action.ISSUE).number == 1


def test_content_that_cannot_be_rendered_is_signed_without_a_rendition(db):
    """pass-format renders every draft, so only a bulk load can sign such content: nothing is
    stored for it, and issue refuses it as it always did."""
    engine = make_engine(db, Clock(SEPT))
    broken = SEED_CONTENT.model_copy(update={"body": "Một[^1] hai./."})  # footnote undefined
    (doc_id,) = bulk_signed(engine, 1, broken)
    assert engine.get(actor("clerk"), doc_id).state is State.SIGNED
    assert stored(db, doc_id, "signed") == []
    with pytest.raises(InvalidContent, match="body"):
        engine.act(actor("clerk"), doc_id, Action.ISSUE)
    with db.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(number_ledger)).scalar_one() == 0
