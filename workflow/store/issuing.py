"""Issue's hot path on one pooled connection: the lean read, the counter, the writes.

Every issue in a series waits for the one holding the counter row, so these statements run on
the DBAPI cursor, compiled once (workflow/store/compiled.py), and read or write only what issue
needs. The read takes no content: the stored content SHA-256, vouched for by the signed
rendition, stands for it (workflow/issuing.py). On PostgreSQL each statement is a round trip
while the counter row is locked, so the five writes go as one: data-modifying CTEs whose
INSERTs read the row the UPDATE returned, so nothing is inserted unless the document was still
at the expected version (the count is then 0 and the caller gets StaleVersion). SQLite runs
in-process, where five plain statements cost no more. The fifth is a row in search_pending:
the search index takes the document in after the commit, off the lock (workflow/retrieval.py).
A constraint violation fails the transaction either way; the caller rolls everything back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa

from numbering import allocator
from workflow.audit import AuditEntry
from workflow.content import STORED, DocumentContent
from workflow.document import Document
from workflow.errors import NotFound
from workflow.issuing import Issued, IssueFacts
from workflow.states import State
from workflow.store.compiled import Compiled, dbapi
from workflow.store.repositories import (
    DEFLATE,
    IDENTITY,
    SIGNED,
    Rendition,
    approvals_of,
    chain_entry,
    decoded,
    stale,
    utc,
)
from workflow.store.tables import (
    audit,
    dir_revision,
    documents,
    files,
    number_ledger,
    search_pending,
    users,
)

# What issue changes on the document row (every other column stays as signing left it).
ISSUED_COLUMNS = (
    "state",
    "version",
    "series_id",
    "year",
    "number",
    "symbol",
    "issued_date",
    "issued_at",
    "issued_sha256",
    "audit_hash",
    "updated_at",
)

d = documents.c
# The one read: the columns issue decides on, the newest signed rendition (while signed; the
# (document_id, kind) index gives it newest first), the directory revision, and the content as
# text: parsed once, for the series inputs now and the returned Document after commit (cheaper
# than extracting fields with the database's JSON functions).
_READ = (
    sa.select(
        d.id,
        d.state,
        d.version,
        d.signer,
        d.approvals,
        d.content_sha256,
        d.audit_hash,
        d.issuer_code,
        d.doc_type,
        d.drafting_unit,
        files.c.bytes,
        files.c.encoding,
        files.c.sha256,
        files.c.directory_revision,
        sa.select(dir_revision.c.revision).scalar_subquery().label("revision"),
        sa.select(users.c.roles)
        .where(users.c.username == sa.bindparam("username"))
        .scalar_subquery()
        .label("actor_roles"),
        sa.cast(d.content, sa.Text).label("content"),
        d.created_by,
        d.links,
        d.created_at,
    )
    .select_from(
        documents.outerjoin(
            files,
            sa.and_(files.c.document_id == d.id, files.c.kind == SIGNED, d.state == SIGNED),
        )
    )
    .where(d.id == sa.bindparam("id"))
    .order_by(files.c.id.desc())
    .limit(1)
)

_UPDATE = (
    sa.update(documents)
    .where(d.id == sa.bindparam("b_id"))
    .where(d.version == sa.bindparam("b_expected"))
    .values({c: sa.bindparam(c) for c in ISSUED_COLUMNS})
)
_AUDIT = sa.insert(audit).values({c.name: sa.bindparam(c.name) for c in audit.c if c.name != "id"})
_LEDGER = sa.insert(number_ledger).values(
    {c.name: sa.bindparam("l_" + c.name) for c in number_ledger.c}
)
_FILE = sa.insert(files).values(
    {c.name: sa.bindparam("f_" + c.name) for c in files.c if c.name != "id"}
)
_PENDING = sa.insert(search_pending).values(document_id=sa.bindparam("b_id"))


def _insert_from(table: sa.Table, prefix: str, updated: sa.CTE) -> sa.CTE:
    columns = [c for c in table.c if c.name != "id"]
    values = [
        updated.c.id if c.name == "document_id" else sa.bindparam(prefix + c.name, type_=c.type)
        for c in columns
    ]
    select = sa.select(*values).select_from(updated)
    return sa.insert(table).from_select([c.name for c in columns], select).cte(prefix + "row")


def _one_statement() -> sa.Select[tuple[int]]:
    """WITH d AS (UPDATE documents … RETURNING id), INSERTs … FROM d: SELECT count(*) FROM d."""
    updated = _UPDATE.returning(d.id).cte("d")
    inserts = [
        _insert_from(table, prefix, updated)
        for table, prefix in (
            (audit, ""),
            (number_ledger, "l_"),
            (files, "f_"),
            (search_pending, "p_"),
        )
    ]
    return sa.select(sa.func.count()).select_from(updated).add_cte(*inserts)


@dataclass(frozen=True)
class _Statements:
    read: Compiled
    update: Compiled
    audit: Compiled
    ledger: Compiled
    file: Compiled
    pending: Compiled
    one: Compiled | None  # PostgreSQL: every write in one statement


@cache
def _statements(dialect_class: type[sa.Dialect]) -> _Statements:
    """Compiled once per dialect (engines come and go; their dialect classes do not)."""
    dialect = dialect_class(dbapi=dialect_class.import_dbapi())
    one = None
    if dialect.name == "postgresql":
        one = Compiled(_one_statement(), dialect, binary=["f_bytes"])
    return _Statements(
        read=Compiled(_READ, dialect),
        update=Compiled(_UPDATE, dialect),
        audit=Compiled(_AUDIT, dialect),
        ledger=Compiled(_LEDGER, dialect),
        file=Compiled(_FILE, dialect, binary=["f_bytes"]),
        pending=Compiled(_PENDING, dialect),
        one=one,
    )


@dataclass(frozen=True)
class IssueRead:
    """What the read returned: the facts, the signed rendition, the directory revision, what
    the returned Document needs besides (content, links, created_at), and the issuer's roles."""

    facts: IssueFacts
    rendition: Rendition | None
    directory_revision: int
    content: dict[str, Any]  # as stored (JSON), validated only for the returned Document
    created_by: str
    links: dict[str, int]
    created_at: datetime
    actor_roles: list[str] | None  # the issuing user's roles in the directory (None: no user)

    def document(self, issued: Issued, audit_hash: str) -> Document:
        """The issued Document as stored (built after commit: parsing content is not cheap)."""
        f = self.facts
        return Document(
            id=f.id,
            content=DocumentContent.model_validate(self.content, context=STORED),
            created_by=self.created_by,
            state=issued.state,
            version=issued.version,
            signer=f.signer,
            approvals=f.approvals,
            links=dict(self.links),
            series_id=issued.series_id,
            year=issued.year,
            number=issued.number,
            symbol=issued.symbol,
            issued_date=issued.issued_date,
            issued_at=utc(issued.issued_at),
            issued_sha256=issued.issued_sha256,
            audit_hash=audit_hash,
            created_at=utc(self.created_at),
        )


class IssueSession:
    """One connection for one issue: `read`, then `transaction()` → `take`, `write`, `commit`."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect
        self.sql = _statements(type(engine.dialect))
        self.conn: sa.Connection

    def __enter__(self) -> IssueSession:
        self.conn = self.engine.connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.close()  # rolls back whatever was not committed

    def _cursor(self) -> Any:
        if self.dialect.name == "postgresql":  # bytea as stored, not hex text (twice the size)
            return dbapi(self.conn).cursor(binary=True)
        return closing(dbapi(self.conn).cursor())

    def read(self, document_id: int, username: str) -> IssueRead:
        """One statement, with the roles the directory gives `username` now. On SQLite outside
        any transaction (a single SELECT is consistent on its own, and takes no write lock); on
        PostgreSQL in the open transaction."""
        sql = self.sql.read
        with self._cursor() as cursor:
            sql.execute(cursor, {"id": document_id, "username": username})
            raw = cursor.fetchone()
        if raw is None:
            raise NotFound(f"document {document_id} does not exist")
        (
            id_,
            state,
            version,
            signer,
            approvals,
            content_sha256,
            audit_hash,
            issuer_code,
            doc_type,
            drafting_unit,
            r_bytes,
            r_encoding,
            r_sha256,
            r_revision,
            revision,
            actor_roles,
            content_text,
            created_by,
            links,
            created_at,
        ) = sql.row(raw)
        content = json.loads(content_text)
        facts = IssueFacts(
            id=id_,
            state=State(state),
            version=version,
            signer=signer,
            approvals=approvals_of(approvals),
            content_sha256=content_sha256,
            audit_hash=audit_hash,
            issuer_code=issuer_code,
            doc_type=doc_type,
            drafting_unit=drafting_unit,
            secret=content.get("secrecy") is not None,
            advisory_body=content.get("advisory_body"),
        )
        rendition = None
        if r_bytes is not None:
            rendition = Rendition(decoded(r_bytes, r_encoding), r_sha256, r_revision)
        return IssueRead(
            facts,
            rendition,
            revision or 0,
            content,
            created_by,
            links or {},
            created_at,
            actor_roles,
        )

    @contextmanager
    def transaction(self) -> Iterator[Callable[[], None]]:
        """A write transaction (SQLite: BEGIN IMMEDIATE), yielding its commit; whatever is not
        committed when the block ends is rolled back (the number taken goes back)."""
        tx = self.conn.begin()
        try:
            yield tx.commit
        finally:
            if tx.is_active:
                tx.rollback()

    def take(self, series: int, year: int) -> int:
        """The next number of (series, year); its counter row stays locked until commit."""
        return allocator.take_dbapi(dbapi(self.conn), self.dialect, series, year)

    def write(
        self,
        issued: Issued,
        *,
        prev_hash: str | None,
        data: bytes,
        sha256: str,
        now: datetime,
        deflated: bool = False,
    ) -> str:
        """The document row, its audit entry, the ledger row, the issued file (`data`: the
        file, or when `deflated` the file as a raw DEFLATE stream; `sha256` of the file) and the
        search index's queue row; StaleVersion (nothing written) if the document is no longer
        at issued.expected_version. Returns the audit chain's new head."""
        entry = _chain(issued, prev_hash)
        columns = {
            "state": issued.state.value,
            "version": issued.version,
            "series_id": issued.series_id,
            "year": issued.year,
            "number": issued.number,
            "symbol": issued.symbol,
            "issued_date": issued.issued_date,
            "issued_at": utc(issued.issued_at),
            "issued_sha256": issued.issued_sha256,
            "audit_hash": entry.hash,
            "updated_at": utc(now),
            "b_id": issued.document_id,
            "b_expected": issued.expected_version,
        }
        ledger = {
            "l_series_id": issued.series_id,
            "l_year": issued.year,
            "l_number": issued.number,
            "l_document_id": issued.document_id,
            "l_symbol": issued.symbol,
            "l_status": allocator.ISSUED,
            "l_at": now,
            "l_reason": None,
        }
        file = {
            "f_document_id": issued.document_id,
            "f_kind": "issued",
            "f_bytes": data,
            "f_encoding": DEFLATE if deflated else IDENTITY,
            "f_sha256": sha256,
            "f_created_at": utc(now),
            "f_directory_revision": None,
        }
        row = entry.__dict__
        sql = self.sql
        with self._cursor() as cursor:
            if sql.one is not None:
                sql.one.execute(cursor, columns | row | ledger | file)
                if cursor.fetchone()[0] != 1:
                    raise stale(issued.document_id, issued.expected_version)
                return entry.hash
            sql.update.execute(cursor, columns)
            if cursor.rowcount != 1:
                raise stale(issued.document_id, issued.expected_version)
            sql.audit.execute(cursor, row)
            sql.ledger.execute(cursor, ledger)
            sql.file.execute(cursor, file)
            sql.pending.execute(cursor, {"b_id": issued.document_id})
        return entry.hash


def _chain(issued: Issued, prev_hash: str | None) -> AuditEntry:
    """The issue's audit entry as the next link of the document's chain (seq = new version)."""
    return chain_entry(issued.document_id, issued.version, issued.event, prev_hash)
