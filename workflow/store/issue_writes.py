"""Issue's writes — document row, audit entry, ledger row, issued file — as one statement.

On PostgreSQL every statement is a round trip to the server while the series' counter row is
locked, so the four writes go as one: data-modifying CTEs whose INSERTs read the row the UPDATE
returned, so nothing is inserted unless the document was still at the expected version (the
count then says 0 and the caller raises StaleVersion and rolls back). A constraint violation
fails the whole statement. SQLite runs in-process, where four plain statements cost no more.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa

from numbering.allocator import ISSUED
from workflow.audit import AuditEntry
from workflow.document import Document
from workflow.store.repositories import ISSUED_COLUMNS, row_values, utc
from workflow.store.tables import audit, documents, files, number_ledger

# (table, bind name prefix) of each INSERT; document_id always comes from the updated row.
_INSERTS = ((audit, "a_"), (number_ledger, "l_"), (files, "f_"))


def _insert(table: sa.Table, prefix: str, updated: sa.CTE) -> sa.CTE:
    columns = [c for c in table.c if c.name != "id"]
    values = [
        updated.c.id if c.name == "document_id" else sa.bindparam(prefix + c.name, type_=c.type)
        for c in columns
    ]
    select = sa.select(*values).select_from(updated)
    return sa.insert(table).from_select([c.name for c in columns], select).cte(prefix + "row")


@cache
def statement() -> sa.Select[tuple[int]]:
    """WITH d AS (UPDATE documents … RETURNING id), INSERTs … FROM d: SELECT count(*) FROM d."""
    updated = (
        sa.update(documents)
        .where(documents.c.id == sa.bindparam("b_id"))
        .where(documents.c.version == sa.bindparam("b_expected"))
        .values({c: sa.bindparam(c) for c in sorted(ISSUED_COLUMNS)})
        .returning(documents.c.id)
        .cte("d")
    )
    inserts = [_insert(table, prefix, updated) for table, prefix in _INSERTS]
    return sa.select(sa.func.count()).select_from(updated).add_cte(*inserts)


def params(
    doc: Document,
    entry: AuditEntry,
    *,
    expected_version: int,
    now: datetime,
    data: bytes,
    sha256: str,
) -> dict[str, Any]:
    """The statement's values for an issued document, its audit entry and its file."""
    values = {c: v for c, v in row_values(doc, now).items() if c in ISSUED_COLUMNS}
    values |= {"b_id": doc.id, "b_expected": expected_version}
    values |= {f"a_{k}": v for k, v in entry.__dict__.items() if k != "document_id"}
    ledger = {
        "series_id": doc.series_id,
        "year": doc.year,
        "number": doc.number,
        "symbol": doc.symbol,
        "status": ISSUED,
        "at": now,
        "reason": None,
    }
    values |= {f"l_{k}": v for k, v in ledger.items()}
    issued = {
        "kind": "issued",
        "bytes": data,
        "sha256": sha256,
        "created_at": utc(now),
        "directory_revision": None,
    }
    values |= {f"f_{k}": v for k, v in issued.items()}
    return values
