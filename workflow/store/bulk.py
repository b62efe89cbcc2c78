"""Documents already issued, written in bulk: tests and bench/search.py start from thousands or
millions of them without replaying each request.

Each row is what issue leaves on a document row (state, number, symbol, date, content) and its
search entry is derived by the same code as after a real issue (workflow.search.entry). The audit
chain, number ledger and files are not written: nothing that reads these corpora needs them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa

from workflow.content import DocumentContent
from workflow.search import entry
from workflow.search_corpus import Generated
from workflow.store.repositories import utc
from workflow.store.search_index import SearchIndex
from workflow.store.tables import documents


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
    rows = []
    for g in batch:
        if validate:
            model = DocumentContent.model_validate(g.content)
            content, sha = model.model_dump(mode="json"), model.sha256()
        else:
            content = g.content
            text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            sha = hashlib.sha256(text.encode()).hexdigest()
        issued_at = utc(datetime(g.issued_date.year, g.issued_date.month, g.issued_date.day, 2))
        rows.append(
            {
                "issuer_code": g.issuer_code,
                "doc_type": g.doc_type,
                "drafting_unit": g.unit_code,
                "state": "issued",
                "version": 6,
                "content": content,
                "content_sha256": sha,
                "created_by": "drafter",
                "signer": None,
                "approvals": [],
                "links": {},
                "series_id": None,
                "year": g.issued_date.year,
                "number": g.number,
                "symbol": g.symbol,
                "issued_date": g.issued_date,
                "issued_at": issued_at,
                "issued_sha256": None,
                "audit_hash": None,
                "created_at": issued_at,
                "updated_at": utc(now),
            }
        )
    ids = list(
        conn.execute(
            sa.insert(documents).returning(documents.c.id, sort_by_parameter_order=True), rows
        ).scalars()
    )
    if index:
        SearchIndex(conn).put(
            [
                entry(
                    document_id=i,
                    issued_date=r["issued_date"],
                    number=r["number"],
                    symbol=r["symbol"],
                    doc_type=r["doc_type"],
                    issuer_code=r["issuer_code"],
                    content_sha256=r["content_sha256"],
                    content=r["content"],
                )
                for i, r in zip(ids, rows, strict=True)
            ]
        )
    return ids
