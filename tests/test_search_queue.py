"""Issue queues the document for the search index in its own transaction; the index takes it in
after the commit (drain), or on the next search — never under the numbering lock."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from workflow import retrieval
from workflow.search import parse
from workflow.states import Action
from workflow.store.tables import search, search_pending

from .engine_support import Clock, actor, bulk_signed, make_engine, open_db

CLERK, ARCHIVIST = actor("clerk"), actor("archivist")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    return open_db(request.param, tmp_path, request)


def rows(db) -> tuple[list[int], list[int]]:
    """(queued ids, indexed ids)"""
    with db.engine.connect() as conn:
        queued = conn.execute(sa.select(search_pending.c.document_id)).scalars().all()
        indexed = conn.execute(sa.select(search.c.document_id)).scalars().all()
    return sorted(queued), sorted(indexed)


def test_issue_queues_and_the_index_takes_the_document_in(db):
    engine = make_engine(db, Clock())
    first, second, third = bulk_signed(engine, 3)
    doc = engine.act(CLERK, first, Action.ISSUE)
    assert rows(db) == ([first], [])  # queued with the issue, not indexed under its lock
    # A search drains the queue before it answers: the document is found at once.
    page = retrieval.search(db, ARCHIVIST, parse(f"{doc.number:02d}/{doc.symbol}"))
    assert [h.id for h in page.hits] == [first]
    assert rows(db) == ([], [first])
    # drain (what the HTTP API runs after an issue response) indexes what is queued, once.
    engine.act(CLERK, second, Action.ISSUE)
    engine.act(CLERK, third, Action.ISSUE)
    assert rows(db) == ([second, third], [first])
    assert retrieval.drain(db) == 2
    assert rows(db) == ([], [first, second, third])
    assert retrieval.drain(db) == 0


def test_a_failed_issue_queues_nothing(db):
    def after_number(document_id, number):
        raise RuntimeError(f"disk full while storing number {number}")

    engine = make_engine(db, Clock(), after_number=after_number)
    (signed,) = bulk_signed(engine, 1)
    with pytest.raises(RuntimeError):
        engine.act(CLERK, signed, Action.ISSUE)
    assert rows(db) == ([], [])
