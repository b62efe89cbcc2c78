"""Finding issued documents again: the search service and the index's upkeep.

The index is derived data. Engine.issue indexes a document right after its issue commits (its
own short transaction, never under the numbering lock); `catch_up` indexes the issued documents
with ids above the highest id it has looked at (documents loaded in bulk, or issued while an
index write failed) and runs by itself on a search when there are such ids. A failed index write
of a document at or below that watermark (a draft the catch-up saw before it was issued) waits
for `catch_up(full=True)` (`vanthu search --reindex`), which also re-derives rows whose content
changed and drops rows of documents that are not issued any more; the failure is logged saying so.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from itertools import islice
from typing import TYPE_CHECKING

from workflow.queries import require_reader
from workflow.search import Cursor, Hit, Page, SearchQuery, highlights, snippet
from workflow.users import Actor

if TYPE_CHECKING:
    from workflow.store import Database

log = logging.getLogger("vanthu.search")
BATCH = 1000


def index_issued(db: Database, document_id: int) -> None:
    """Index one document after its issue committed; a failure is logged and healed later."""
    try:
        with db.uow() as uow:
            uow.search.lock()
            uow.search.index_documents([document_id])
            uow.commit()
    except Exception:  # the issue stands; the index is derived and can be rebuilt
        log.exception(
            "search index: document %s not indexed now; `vanthu search --reindex` indexes it",
            document_id,
        )


def catch_up(db: Database, *, full: bool = False) -> int:
    """Index the issued documents the index is missing (full: and re-derive changed ones)."""
    count = 0
    with db.uow() as uow:
        uow.search.lock()  # a second catch-up waits here, then finds nothing left to do
        newest, seen = uow.search.state()
        if not full and newest <= seen:
            return 0
        stale = uow.search.stale_ids(after_id=0 if full else seen, upto_id=newest)
        ids = list(stale)
        for start in range(0, len(ids), BATCH):
            count += uow.search.index_documents(ids[start : start + BATCH])
        if full:
            orphans = uow.search.orphan_ids()
            for chunk in _chunks(orphans, BATCH):
                uow.search.remove(chunk)
        uow.search.set_watermark(max(newest, seen), datetime.now(UTC))
        uow.commit()
    return count


def _chunks(items: list[int], size: int) -> list[list[int]]:
    it = iter(items)
    return list(iter(lambda: list(islice(it, size)), []))


def search(db: Database, actor: Actor, query: SearchQuery) -> Page:
    """One page of issued documents matching `query`, with highlights and the next cursor."""
    require_reader(actor)
    with db.uow(write=False, snapshot=False) as uow:  # two statements, no BEGIN/ROLLBACK
        newest, seen = uow.search.state()
        rows = uow.search.find(query) if newest <= seen else None
    if rows is None:  # documents the index has not looked at yet: catch up, then search
        try:
            catch_up(db)
        except Exception:  # the search still answers from what is indexed
            log.exception("search index: catch-up failed")
        with db.uow(write=False, snapshot=False) as uow:
            rows = uow.search.find(query)
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    hits = []
    for r in rows:
        text, spans = snippet(r.body or "", query.terms) if query.terms else ("", [])
        hits.append(
            Hit(
                id=r.document_id,
                number=r.number,
                symbol=r.symbol,
                number_symbol=r.number_symbol,
                issued_date=r.issued_date,
                doc_type=r.doc_type,
                issuer_code=r.issuer_code,
                signer=r.signer_name,
                subject=r.subject,
                state=r.state,
                subject_highlights=tuple(highlights(r.subject, query.terms)),
                snippet=text,
                snippet_highlights=tuple(spans),
            )
        )
    cursor = Cursor(rows[-1].tier, rows[-1].sort_key).encode() if more and rows else None
    return Page(hits, cursor)
