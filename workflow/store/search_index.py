"""The search index on SQLite (FTS5) and PostgreSQL (tsvector + GIN): writes, catch-up, queries.

One query language (workflow.search.SearchQuery), the same hits on both databases: the words of
each field are stored folded and already split (workflow.search.words), so neither database's
own parser decides what a word is. SQLite keeps them in the FTS5 table search_fts (a column per
field, rowid = sort_key); PostgreSQL in the tsvector `terms`, where each word carries one
position per field it occurs in, weighted A subject, B body, C signer, D recipients, so that
'word':A means "in the subject" as `subject : "word"` does in FTS5.

Every query walks sort_key downwards and stops at the page's end: FTS5 yields matches in rowid
order, PostgreSQL reads the (…, sort_key) indexes backwards or the GIN index, whichever its
planner finds cheaper. Nothing ranks the whole match set.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from workflow.search import FIELDS, SEARCHABLE_STATES, Entry, SearchQuery, entry
from workflow.store.tables import case_file_documents, documents, search, settings

WATERMARK = "search.watermark"  # settings row: the highest document id the catch-up has seen
_WEIGHTS = dict(zip(FIELDS, "ABCD", strict=True))
_POSITIONS = {name: i + 1 for i, name in enumerate(FIELDS)}

search_fts = sa.table("search_fts", sa.column("rowid", sa.BigInteger), *map(sa.column, FIELDS))


def tsvector_literal(texts: dict[str, list[str]]) -> str:
    """'word':1A,2B …: each word once, one weighted position per field it is in."""
    places: dict[str, list[str]] = {}
    for name in FIELDS:
        for word in texts.get(name, ()):
            places.setdefault(word, []).append(f"{_POSITIONS[name]}{_WEIGHTS[name]}")
    return " ".join(f"'{word}':{','.join(p)}" for word, p in places.items())


@dataclass(frozen=True)
class Row:
    """A hit as read from the index, with its state (and body, for text queries)."""

    tier: int
    sort_key: int
    document_id: int
    number: int
    symbol: str
    number_symbol: str
    issued_date: Any
    doc_type: str
    issuer_code: str
    signer_name: str
    subject: str
    state: str
    body: str | None


_SOURCE_COLUMNS = (
    documents.c.id,
    documents.c.issued_date,
    documents.c.number,
    documents.c.symbol,
    documents.c.doc_type,
    documents.c.issuer_code,
    documents.c.content_sha256,
    documents.c.content,
)
_INDEXABLE = sa.and_(
    documents.c.state.in_(SEARCHABLE_STATES),
    documents.c.number.is_not(None),
    documents.c.issued_date.is_not(None),
    documents.c.symbol.is_not(None),
)


def _entry(row: Any) -> Entry:
    return entry(
        document_id=row.id,
        issued_date=row.issued_date,
        number=row.number,
        symbol=row.symbol,
        doc_type=row.doc_type,
        issuer_code=row.issuer_code,
        content_sha256=row.content_sha256,
        content=row.content,
    )


class SearchIndex:
    """The search rows of the unit of work's connection."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"

    # -- writing ---------------------------------------------------------------------------------

    def put(self, entries: Sequence[Entry]) -> None:
        """Insert or replace the rows of these documents."""
        if not entries:
            return
        ids = [e.document_id for e in entries]
        self.remove(ids)
        rows = [e.row() for e in entries]
        if self.sqlite:
            self.conn.execute(sa.insert(search), [r | {"terms": None} for r in rows])
            self.conn.execute(
                sa.insert(search_fts),
                [
                    {"rowid": e.sort_key} | {f: " ".join(e.texts[f]) for f in FIELDS}
                    for e in entries
                ],
            )
            return
        terms = sa.cast(sa.bindparam("terms_text"), postgresql.TSVECTOR)
        statement = sa.insert(search).values(
            {c.name: (terms if c.name == "terms" else sa.bindparam(c.name)) for c in search.c}
        )
        self.conn.execute(
            statement,
            [
                r | {"terms_text": tsvector_literal(e.texts)}
                for r, e in zip(rows, entries, strict=True)
            ],
        )

    def remove(self, document_ids: Sequence[int]) -> None:
        if self.sqlite:
            keys = sa.select(search.c.sort_key).where(search.c.document_id.in_(document_ids))
            self.conn.execute(sa.delete(search_fts).where(search_fts.c.rowid.in_(keys)))
        self.conn.execute(sa.delete(search).where(search.c.document_id.in_(document_ids)))

    def index_documents(self, document_ids: Iterable[int]) -> int:
        """(Re)index these documents if they are issued or later; the count indexed."""
        query = sa.select(*_SOURCE_COLUMNS).where(
            documents.c.id.in_(list(document_ids)), _INDEXABLE
        )
        entries = [_entry(r) for r in self.conn.execute(query)]
        self.put(entries)
        return len(entries)

    # -- catching up -----------------------------------------------------------------------------

    def state(self) -> tuple[int, int]:
        """(highest document id, highest id the catch-up has seen): behind if the first is more."""
        newest = sa.select(sa.func.coalesce(sa.func.max(documents.c.id), 0)).scalar_subquery()
        seen = sa.select(settings.c.value).where(settings.c.name == WATERMARK).scalar_subquery()
        row = self.conn.execute(sa.select(newest, seen)).one()
        return int(row[0]), int(row[1] or 0)

    def set_watermark(self, document_id: int, now: Any) -> None:
        done = self.conn.execute(
            sa.update(settings).where(settings.c.name == WATERMARK).values(value=str(document_id))
        )
        if done.rowcount == 0:
            self.conn.execute(
                sa.insert(settings).values(name=WATERMARK, value=str(document_id), created_at=now)
            )

    def stale_ids(self, *, after_id: int = 0, upto_id: int | None = None) -> Iterator[int]:
        """Issued-or-later documents with an id in (after_id, upto_id] that are missing from the
        index or whose content changed since they were indexed, in id order."""
        query = (
            sa.select(documents.c.id)
            .outerjoin(search, search.c.document_id == documents.c.id)
            .where(_INDEXABLE, documents.c.id > after_id)
            .where(
                sa.or_(
                    search.c.document_id.is_(None),
                    search.c.content_sha256 != documents.c.content_sha256,
                )
            )
            .order_by(documents.c.id)
        )
        if upto_id is not None:
            query = query.where(documents.c.id <= upto_id)
        yield from self.conn.execute(query).scalars()

    def orphan_ids(self) -> list[int]:
        """Indexed documents that are no longer issued or later (never expected; healed anyway)."""
        query = (
            sa.select(search.c.document_id)
            .join(documents, documents.c.id == search.c.document_id)
            .where(documents.c.state.not_in(SEARCHABLE_STATES))
        )
        return list(self.conn.execute(query).scalars())

    # -- querying --------------------------------------------------------------------------------

    def find(self, query: SearchQuery) -> list[Row]:
        """Up to limit + 1 hits from the cursor on, in the query's order (tier, sort_key DESC)."""
        if query.empty():
            return []
        tiers = (1, 2) if query.ranked else (0,)
        found: list[Row] = []
        for tier in tiers:
            if query.cursor is not None and tier < query.cursor.tier:
                continue
            before = query.cursor.key if query.cursor and query.cursor.tier == tier else None
            wanted = query.limit + 1 - len(found)
            found += self._tier(query, tier, before, wanted)
            if len(found) > query.limit:
                break
        return found

    def _tier(self, query: SearchQuery, tier: int, before: int | None, limit: int) -> list[Row]:
        s, d = search, documents
        columns = [
            s.c.sort_key,
            s.c.document_id,
            s.c.number,
            s.c.symbol,
            s.c.number_symbol,
            s.c.issued_date,
            s.c.doc_type,
            s.c.issuer_code,
            s.c.signer_name,
            s.c.subject,
            d.c.state,
            d.c.content["body"].as_string() if query.ranked else sa.null(),
        ]
        select = sa.select(*columns)
        words = self._words(query, tier)
        if self.sqlite and words is not None:
            key = search_fts.c.rowid
            select = select.select_from(search_fts).join(s, s.c.sort_key == key)
            select = select.where(sa.literal_column("search_fts").op("MATCH")(words))
        else:
            key = s.c.sort_key
            select = select.select_from(s)
            if words is not None:
                select = select.where(
                    s.c.terms.op("@@")(sa.cast(sa.literal(words), postgresql.TSQUERY))
                )
        select = select.join(d, d.c.id == s.c.document_id)
        if query.case_file is not None:
            select = select.join(
                case_file_documents, case_file_documents.c.document_id == s.c.document_id
            ).where(case_file_documents.c.case_file_id == query.case_file)
        if query.number is not None:
            select = select.where(s.c.number == query.number)
        if query.symbol is not None:
            select = select.where(s.c.symbol_key == query.symbol)
        if query.doc_type is not None:
            select = select.where(s.c.doc_type == query.doc_type)
        if query.issuer is not None:
            select = select.where(s.c.issuer_key == query.issuer)
        low, high = query.key_range()
        if before is not None:
            high = before if high is None else min(high, before)
        if low is not None:
            select = select.where(key >= low)
        if high is not None:
            select = select.where(key < high)
        rows = self.conn.execute(select.order_by(key.desc()).limit(limit))
        return [Row(tier, *r) for r in rows]

    def _words(self, query: SearchQuery, tier: int) -> str | None:
        """The word condition of a tier: an FTS5 MATCH expression or a tsquery; None if none."""
        if self.sqlite:
            every = [f'"{t}"' for t in query.terms]
            subject = [f'subject : "{t}"' for t in query.terms]
            filters = [f'signer : "{w}"' for w in query.signer]
            filters += [f'recipients : "{w}"' for w in query.recipient]
            conj, neg = " AND ", " NOT "
        else:
            every = [f"'{t}'" for t in query.terms]
            subject = [f"'{t}':A" for t in query.terms]
            filters = [f"'{w}':C" for w in query.signer]
            filters += [f"'{w}':D" for w in query.recipient]
            conj, neg = " & ", " & !"
        if tier == 1:
            parts = subject + filters
        elif tier == 2:
            return f"({conj.join(every + filters)}){neg}({conj.join(subject)})"
        else:
            parts = filters
        return conj.join(parts) if parts else None


def source_rows(conn: sa.Connection, *, after_id: int, batch: int) -> list[Any]:
    """A batch of indexable document rows after `after_id`, for a full rebuild."""
    query = (
        sa.select(*_SOURCE_COLUMNS)
        .where(_INDEXABLE, documents.c.id > after_id)
        .order_by(documents.c.id)
        .limit(batch)
    )
    return list(conn.execute(query))
