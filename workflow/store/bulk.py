"""Documents already issued, written in bulk: tests and bench/search.py start from thousands or
millions of them without replaying each request.

Each row is what issue leaves on a document row (state, number, symbol, date, content) and its
search entry is derived by the same code as after a real issue (workflow.search.entry). The audit
chain, number ledger and files are not written: nothing that reads these corpora needs them.
Rows go in with one executemany per table (SQLite) or COPY (PostgreSQL).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from workflow.content import DocumentContent
from workflow.search import entry
from workflow.search_corpus import Generated
from workflow.store.repositories import utc
from workflow.store.search_index import SearchIndex

COLUMNS = (
    "id", "issuer_code", "doc_type", "drafting_unit", "state", "version", "content",
    "content_sha256", "created_by", "approvals", "links", "year", "number", "symbol",
    "issued_date", "issued_at", "created_at", "updated_at",
)  # fmt: skip


def _new_ids(conn: sa.Connection, count: int) -> list[int]:
    """Ids for `count` new documents (the write transaction holds them: SQLite's lock, PG's
    sequence)."""
    if conn.dialect.name == "postgresql":
        query = "SELECT nextval('documents_id_seq') FROM generate_series(1, %(n)s)"
        return [r[0] for r in conn.exec_driver_sql(query, {"n": count})]
    top = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM documents").scalar_one()
    return list(range(top + 1, top + 1 + count))


def load_issued(
    conn: sa.Connection,
    batch: Sequence[Generated],
    *,
    now: datetime,
    validate: bool = True,
    index: bool = True,
) -> list[int]:
    """Insert a batch of issued documents (and their search rows unless index=False).

    validate=True stores the content as the engine would (validated, canonical SHA-256);
    validate=False stores the generated JSON with a SHA-256 of it (bench: a million documents).
    """
    ids = _new_ids(conn, len(batch))
    rows: list[tuple[Any, ...]] = []
    entries = []
    for doc_id, g in zip(ids, batch, strict=True):
        content = g.content
        if validate:
            model = DocumentContent.model_validate(content)
            content, sha = model.model_dump(mode="json"), model.sha256()
            text = json.dumps(content, ensure_ascii=False)
        else:
            text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            sha = hashlib.sha256(text.encode()).hexdigest()
        issued_at = utc(datetime(g.issued_date.year, g.issued_date.month, g.issued_date.day, 2))
        rows.append(
            (
                doc_id,
                g.issuer_code,
                g.doc_type,
                g.unit_code,
                "issued",
                6,
                text,
                sha,
                "drafter",
                "[]",
                "{}",
                g.issued_date.year,
                g.number,
                g.symbol,
                g.issued_date,
                issued_at,
                issued_at,
                utc(now),
            )
        )
        if index:
            entries.append(
                entry(
                    document_id=doc_id,
                    issued_date=g.issued_date,
                    number=g.number,
                    symbol=g.symbol,
                    doc_type=g.doc_type,
                    issuer_code=g.issuer_code,
                    content_sha256=sha,
                    content=content,
                )
            )
    names = ", ".join(COLUMNS)
    if conn.dialect.name == "postgresql":
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None
        with dbapi.cursor() as cursor, cursor.copy(f"COPY documents ({names}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" * len(COLUMNS))
        sqlite_rows = [
            (*r[:14], r[14].isoformat(), *(t.strftime("%Y-%m-%d %H:%M:%S.%f") for t in r[15:]))
            for r in rows
        ]
        conn.exec_driver_sql(f"INSERT INTO documents ({names}) VALUES ({marks})", sqlite_rows)
    if entries:
        SearchIndex(conn).insert_new(entries)
    return ids
