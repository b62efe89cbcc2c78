"""The search index on SQLite (FTS5) and PostgreSQL (tsvector + GIN): writes, catch-up, queries.

One query language (workflow.search.SearchQuery), the same hits on both databases: the words of
each field are stored folded and already split (workflow.search.words), so neither database's
own parser decides what a word is. Both hold the same tokens per document (lexemes()): every
word of every field, and the words of subject, signer and recipients once more tagged with their
field ('s.word', 'n.word', 'r.word'). "Every word in the subject" is then a plain AND of small
token lists in the FTS5 table search_fts (rowid = sort_key) and in the tsvector `terms` (GIN),
answered by the index alone: no column filter over the long list of a common word (FTS5), no
weight recheck of every candidate row (PostgreSQL).

Every query walks sort_key downwards and stops at the page's end: FTS5 yields matches in rowid
order, PostgreSQL reads the (…, sort_key) indexes backwards or the GIN index, whichever its
planner finds cheaper. Nothing ranks the whole match set.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from workflow.search import FIELDS, SEARCHABLE_STATES, Entry, SearchQuery, entry
from workflow.store.tables import (
    case_file_documents,
    documents,
    search,
    search_pending,
    settings,
)

_LOCK_KEY = 0x7365617263  # "searc": pg_advisory_xact_lock key of index writers
WATERMARK = "search.watermark"  # settings row: the highest document id the catch-up has seen
TAGS = {"subject": "s.", "signer": "n.", "recipients": "r."}  # field-tagged words

search_fts = sa.table("search_fts", sa.column("rowid", sa.BigInteger), sa.column("terms"))


def lexemes(texts: dict[str, list[str]]) -> list[str]:
    """The tokens of a document: every word once, then the tagged words of the tagged fields."""
    found = dict.fromkeys(w for name in FIELDS for w in texts.get(name, ()))
    for name, tag in TAGS.items():
        found.update(dict.fromkeys(tag + w for w in texts.get(name, ())))
    return list(found)


def tsvector_literal(texts: dict[str, list[str]]) -> str:
    """ "'dao' 'tao' 's.dao' …": the tokens as a tsvector (no positions: nothing ranks on them)."""
    return " ".join(f"'{w}'" for w in lexemes(texts))


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


_STATE = sa.select(
    sa.select(sa.func.coalesce(sa.func.max(documents.c.id), 0)).scalar_subquery(),
    sa.select(settings.c.value).where(settings.c.name == WATERMARK).scalar_subquery(),
    sa.exists().where(search_pending.c.document_id.is_not(None)),
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

    def lock(self) -> None:
        """Serialise index writers (issue's write, catch-ups of several server processes) for
        this transaction. SQLite's write transactions are serial already (BEGIN IMMEDIATE)."""
        if not self.sqlite:
            self.conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_LOCK_KEY)))

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
                [{"rowid": e.sort_key, "terms": " ".join(lexemes(e.texts))} for e in entries],
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

    def insert_new(self, entries: Sequence[Entry]) -> None:
        """Rows of documents not indexed yet, in bulk: COPY on PostgreSQL, one executemany per
        table on SQLite (bulk loads; the rows are the ones put() writes)."""
        columns = [c.name for c in search.c if c.name != "terms"]
        rows = [tuple(e.row()[c] for c in columns) for e in entries]
        if self.sqlite:
            names = ", ".join(columns)
            marks = ", ".join("?" * len(columns))
            self.conn.exec_driver_sql(f"INSERT INTO search ({names}) VALUES ({marks})", rows)
            fts = [(e.sort_key, " ".join(lexemes(e.texts))) for e in entries]
            self.conn.exec_driver_sql("INSERT INTO search_fts (rowid, terms) VALUES (?, ?)", fts)
            return
        dbapi = self.conn.connection.dbapi_connection
        assert dbapi is not None
        with dbapi.cursor() as cursor:  # the unit of work's own transaction
            names = ", ".join([*columns, "terms"])
            with cursor.copy(f"COPY search ({names}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row, e in zip(rows, entries, strict=True):
                    copy.write_row((*row, tsvector_literal(e.texts)))

    def index_documents(self, document_ids: Iterable[int]) -> int:
        """(Re)index these documents if they are issued or later; the count indexed."""
        query = sa.select(*_SOURCE_COLUMNS).where(
            documents.c.id.in_(list(document_ids)), _INDEXABLE
        )
        entries = [_entry(r) for r in self.conn.execute(query)]
        self.put(entries)
        return len(entries)

    # -- catching up -----------------------------------------------------------------------------

    def state(self) -> tuple[int, int, bool]:
        """(highest document id, highest id the catch-up has seen, whether issued documents wait
        in the queue): the index is behind if the first is more or the last is true."""
        row = self.conn.execute(_STATE).one()
        return int(row[0]), int(row[1] or 0), bool(row[2])

    def pending(self) -> list[int]:
        """Issued documents waiting to be indexed (issue queued them), oldest first."""
        query = sa.select(search_pending.c.document_id).order_by(search_pending.c.document_id)
        return list(self.conn.execute(query).scalars())

    def done(self, document_ids: Sequence[int]) -> None:
        """Take indexed documents off the queue."""
        self.conn.execute(
            sa.delete(search_pending).where(search_pending.c.document_id.in_(document_ids))
        )

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
        words = self._words(query, tier)
        low, high = query.key_range()
        if before is not None:
            high = before if high is None else min(high, before)
        values = {
            "words": words,
            "case_file": query.case_file,
            "number": query.number,
            "symbol": query.symbol,
            "doc_type": query.doc_type,
            "issuer": query.issuer,
            "low": low,
            "high": high,
        }
        shape = tuple(v is not None for v in values.values())
        bound = {k: v for k, v in values.items() if v is not None} | {"limit": limit}
        if words is not None and not self.sqlite:
            return self._pg_words(query.ranked, shape, bound, tier)
        statement = _statement(self.sqlite, query.ranked, shape)
        return [Row(tier, *r) for r in self.conn.execute(statement, bound)]

    def _pg_words(
        self, ranked: bool, shape: tuple[bool, ...], bound: dict[str, Any], tier: int
    ) -> list[Row]:
        """Words on PostgreSQL, newest first, without sorting every match.

        The GIN index finds all documents holding the words, and the newest must then be sorted
        out of all of them: for words in 2% of a million documents, 20,000 rows (and the planner
        badly underestimates how many documents hold several common words at once). So the
        newest documents that pass the other filters are looked at first, in WINDOWS (backward
        index walks: about a millisecond per thousand rows); only if they hold less than a page
        does the GIN index search the older ones, below the last window. Same rows, same order
        as one query over everything.
        """
        found: list[Row] = []
        wanted = bound["limit"]
        for size in WINDOWS:
            bound = bound | {"window": size, "limit": wanted - len(found)}
            rows = self.conn.execute(_window_statement(ranked, shape), bound)
            found += [Row(tier, *r) for r in rows]
            if len(found) >= wanted:
                return found
            floor, count = self.conn.execute(_window_floor(shape), bound).one()
            if count < size:  # the window held every candidate
                return found
            high = bound.get("high")
            bound = bound | {"high": floor if high is None else min(high, floor)}
            shape = (*shape[:-1], True)
        bound["limit"] = wanted - len(found)
        rest = self.conn.execute(_statement(False, ranked, shape), bound)
        return found + [Row(tier, *r) for r in rest]

    def _words(self, query: SearchQuery, tier: int) -> str | None:
        """The word condition of a tier: an FTS5 MATCH expression or a tsquery; None if none."""
        quote = '"' if self.sqlite else "'"
        every = [f"{quote}{t}{quote}" for t in query.terms]
        subject = [f"{quote}s.{t}{quote}" for t in query.terms]
        filters = [f"{quote}n.{w}{quote}" for w in query.signer]
        filters += [f"{quote}r.{w}{quote}" for w in query.recipient]
        conj, neg = (" AND ", " NOT ") if self.sqlite else (" & ", " & !")
        if tier == 1:
            parts = subject + filters
        elif tier == 2:
            return f"({conj.join(every + filters)}){neg}({conj.join(subject)})"
        else:
            parts = filters
        return conj.join(parts) if parts else None


_NAMES = ("sort_key", "document_id", "number", "symbol", "number_symbol", "issued_date",
          "doc_type", "issuer_code", "signer_name", "subject")  # fmt: skip
# PostgreSQL first looks for the words among the newest documents that pass the other filters,
# this many, then this many more (see SearchIndex._pg_words).
WINDOWS = (1000, 4000)


def _filtered(select: sa.Select[Any], key: sa.ColumnElement[int], shape: tuple[bool, ...]) -> Any:
    """`select` with the filters present in `shape` (all but the words), values bound."""
    _words, case_file, number, symbol, doc_type, issuer, low, high = shape
    s = search
    if case_file:
        select = select.join(
            case_file_documents, case_file_documents.c.document_id == s.c.document_id
        ).where(case_file_documents.c.case_file_id == sa.bindparam("case_file"))
    conditions = (
        (number, s.c.number == sa.bindparam("number")),
        (symbol, s.c.symbol_key == sa.bindparam("symbol")),
        (doc_type, s.c.doc_type == sa.bindparam("doc_type")),
        (issuer, s.c.issuer_key == sa.bindparam("issuer")),
        (low, key >= sa.bindparam("low", type_=sa.BigInteger)),
        (high, key < sa.bindparam("high", type_=sa.BigInteger)),
    )
    return select.where(*(c for present, c in conditions if present))


def _tsquery() -> sa.ColumnElement[Any]:
    return sa.cast(sa.bindparam("words", type_=sa.Text), postgresql.TSQUERY)


def _with_documents(page: sa.Subquery, ranked: bool) -> sa.Select[Any]:
    """The page's rows joined to documents for the state (and the body of text queries)."""
    d = documents
    body = d.c.content["body"].as_string() if ranked else sa.null()
    return (
        sa.select(*(page.c[n] for n in _NAMES), d.c.state, body)
        .join_from(page, d, d.c.id == page.c.document_id)
        .order_by(page.c.sort_key.desc())
    )


@lru_cache(maxsize=512)
def _statement(sqlite: bool, ranked: bool, shape: tuple[bool, ...]) -> sa.Select[Any]:
    """The SELECT of one tier for the filters present (built once per shape; values bound).

    The page is cut on the search table alone (inner query, ORDER BY key DESC LIMIT n); only
    its rows are then joined to documents, so no document row outside the page is read.
    """
    words = shape[0]
    s = search
    select = sa.select(*(s.c[n] for n in _NAMES))
    if sqlite and words:
        key = search_fts.c.rowid
        select = select.select_from(search_fts).join(s, s.c.sort_key == key)
        select = select.where(sa.literal_column("search_fts").op("MATCH")(sa.bindparam("words")))
    else:
        key = s.c.sort_key
        select = select.select_from(s)
        if words:
            select = select.where(s.c.terms.op("@@")(_tsquery()))
    select = _filtered(select, key, shape)
    limit = sa.bindparam("limit", type_=sa.Integer)
    return _with_documents(select.order_by(key.desc()).limit(limit).subquery("page"), ranked)


def _window(shape: tuple[bool, ...], *columns: sa.ColumnElement[Any]) -> sa.Subquery:
    """The `window` newest rows passing the filters but the words (a LIMIT subquery, which
    PostgreSQL evaluates on its own: it walks a (…, sort_key) index backwards)."""
    s = search
    select = _filtered(sa.select(*columns).select_from(s), s.c.sort_key, shape)
    limit = sa.bindparam("window", type_=sa.Integer)
    return select.order_by(s.c.sort_key.desc()).limit(limit).subquery("window")


@lru_cache(maxsize=512)
def _window_statement(ranked: bool, shape: tuple[bool, ...]) -> sa.Select[Any]:
    """The tier's matches among the window's rows, newest first."""
    s = search
    window = _window(shape, *(s.c[n] for n in _NAMES), s.c.terms)
    select = sa.select(*(window.c[n] for n in _NAMES)).where(window.c.terms.op("@@")(_tsquery()))
    limit = sa.bindparam("limit", type_=sa.Integer)
    page = select.order_by(window.c.sort_key.desc()).limit(limit).subquery("page")
    return _with_documents(page, ranked)


@lru_cache(maxsize=512)
def _window_floor(shape: tuple[bool, ...]) -> sa.Select[Any]:
    """(lowest key, row count) of the window: where the rest of the search starts."""
    window = _window(shape, search.c.sort_key)
    return sa.select(sa.func.min(window.c.sort_key), sa.func.count())
