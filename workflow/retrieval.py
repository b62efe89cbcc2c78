"""Finding issued documents again: the search service and the index's upkeep.

The index is derived data, kept off the numbering lock. Issue's own transaction queues the
document (a row in search_pending, so nothing is lost if the process dies after the commit);
`drain` indexes the queue — the HTTP API runs it right after an issue response, and a search
that finds the queue non-empty runs it first. `catch_up` also indexes the issued documents with
ids above the highest id it has looked at (documents loaded in bulk, outside the engine);
`catch_up(full=True)` (`vanthu search --reindex`) re-derives every row whose content changed and
drops rows of documents that are not issued any more.
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
    from workflow.store import Database, UnitOfWork

log = logging.getLogger("vanthu.search")
BATCH = 1000


def drain(db: Database) -> int:
    """Index the documents issue queued; the count indexed. A failure is logged and the queue
    kept: the next search or drain tries again."""
    try:
        with db.uow() as uow:
            uow.search.lock()  # a second drain waits here, then finds the queue empty
            count = _drain(uow)
            uow.commit()
        return count
    except Exception:
        log.exception("search index: the queue of issued documents was not indexed now")
        return 0


def _drain(uow: UnitOfWork) -> int:
    count = 0
    for chunk in _chunks(uow.search.pending(), BATCH):
        count += uow.search.index_documents(chunk)
        uow.search.done(chunk)
    return count


def catch_up(db: Database, *, full: bool = False) -> int:
    """Index the queued and the bulk-loaded issued documents the index is missing (full: and
    re-derive changed ones)."""
    with db.uow() as uow:
        uow.search.lock()  # a second catch-up waits here, then finds nothing left to do
        count = _drain(uow)
        newest, seen, _ = uow.search.state()
        if not full and newest <= seen:
            uow.commit()
            return count
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
        newest, seen, queued = uow.search.state()
        rows = uow.search.find(query) if newest <= seen and not queued else None
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
