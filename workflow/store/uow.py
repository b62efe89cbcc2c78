"""Unit of work: one transaction, its repositories, rollback unless committed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from types import TracebackType

import sqlalchemy as sa

from numbering import allocator
from workflow.document import Document, Event
from workflow.store.api_repos import (
    AccountRepository,
    DocumentQueries,
    IdempotencyRepository,
    SeriesQueries,
    SettingsRepository,
)
from workflow.store.dispatch_repos import (
    CaseFileRepository,
    DeliveryRepository,
    DirectoryEntryRepository,
    RegisterQueries,
)
from workflow.store.link_repos import DocumentLinkRepository
from workflow.store.repositories import (
    AuditRepository,
    DirectoryRepository,
    DocumentRepository,
    FileRepository,
)
from workflow.store.search_index import SearchIndex


class NumberRepository:
    """numbering.allocator on this unit of work's connection."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def series_id(self, issuer_code: str, register: str) -> int:
        return allocator.series_id(self.conn, issuer_code, register)

    def take(self, series: int, year: int) -> int:
        return allocator.take(self.conn, series, year)

    def record(self, **kwargs: object) -> None:
        allocator.record(self.conn, **kwargs)  # type: ignore[arg-type]

    def recall(self, *, document_id: int, reason: str) -> None:
        allocator.recall(self.conn, document_id=document_id, reason=reason)

    def report(
        self, *, year: int | None = None, series: str | None = None
    ) -> list[allocator.SeriesYear]:
        return allocator.report(self.conn, year=year, series=series)

    def ledger(self) -> Iterator[allocator.LedgerRow]:
        return allocator.ledger(self.conn)


class UnitOfWork:
    """`with db.uow() as uow: …; uow.commit()` — anything not committed is rolled back.

    write=False starts a deferred transaction on SQLite (readers never queue behind writers).
    write=False, snapshot=False on PostgreSQL reads in autocommit: each statement sees what is
    committed when it starts (READ COMMITTED gives a transaction no more than that), without the
    BEGIN and ROLLBACK round trips — for short reads on a hot path, like a search.
    """

    def __init__(self, engine: sa.Engine, *, write: bool = True, snapshot: bool = True) -> None:
        self.engine = engine
        self.write = write
        self.snapshot = snapshot
        self.conn: sa.Connection

    def __enter__(self) -> UnitOfWork:
        conn = self.engine.connect()
        if not self.write and conn.dialect.name == "sqlite":
            conn = conn.execution_options(sqlite_begin="DEFERRED")
        elif not self.write and not self.snapshot:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        self.conn = conn
        self._tx = conn.begin()
        self.documents = DocumentRepository(conn)
        self.audit = AuditRepository(conn)
        self.files = FileRepository(conn)
        self.directory = DirectoryRepository(conn)
        self.numbers = NumberRepository(conn)
        self.entries = DirectoryEntryRepository(conn)  # receivers: organisations, units, groups
        self.deliveries = DeliveryRepository(conn)
        self.casefiles = CaseFileRepository(conn)
        self.registers = RegisterQueries(conn)
        self.accounts = AccountRepository(conn)  # the HTTP API's: passwords, settings, keys
        self.settings = SettingsRepository(conn)
        self.idempotency = IdempotencyRepository(conn)
        self.listings = DocumentQueries(conn)
        self.series = SeriesQueries(conn)
        self.links = DocumentLinkRepository(conn)  # replacement / correction, by original
        self.search = SearchIndex(conn)  # derived: rows of issued documents
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._tx.is_active:
                self._tx.rollback()
        finally:
            self.conn.close()

    def commit(self) -> None:
        self._tx.commit()

    def rollback(self) -> None:
        self._tx.rollback()

    def record(self, doc: Document, event: Event, *, expected_version: int, now: datetime) -> None:
        """Save a changed document and append its audit entry, chained to the previous head."""
        entry = self.audit.chain(doc, event)
        doc.audit_hash = entry.hash
        edited = event.action == "edit"  # create inserted it; no other action changes it
        self.documents.save(doc, expected_version=expected_version, now=now, content=edited)
        self.audit.add([entry])

    def insert_with_history(self, doc: Document, events: list[Event], *, now: datetime) -> int:
        """Insert a document whose history was decided in memory (bulk loads, imports).

        The events are the ones the aggregate returned, oldest first; doc.version must equal
        their count. The chain is built exactly as record() builds it one entry at a time.
        """
        if doc.version != len(events):
            raise ValueError(f"version {doc.version} but {len(events)} events")
        final_version, doc.audit_hash = doc.version, None
        self.documents.add(doc, now)
        entries = []
        for seq, event in enumerate(events, start=1):
            doc.version = seq
            entries.append(self.audit.chain(doc, event))
            doc.audit_hash = entries[-1].hash
        doc.version = final_version
        self.documents.save(doc, expected_version=final_version, now=now, content=False)
        self.audit.add(entries)
        assert doc.id is not None
        return doc.id

    def insert(self, doc: Document, event: Event, *, now: datetime) -> int:
        """Insert a new document with its first audit entry."""
        self.documents.add(doc, now)
        self.record(doc, event, expected_version=doc.version, now=now)
        assert doc.id is not None
        return doc.id
