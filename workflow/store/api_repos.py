"""Repositories the HTTP API needs: idempotency keys, shared settings, passwords, listings.

Plain values in and out; every method runs on the unit of work's connection, except
`setup_lock`, which serialises start-up work (migrations, demo loading) across processes.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from workflow.document import Document
from workflow.inbox import Criterion
from workflow.store.repositories import to_document, utc
from workflow.store.tables import counters, documents, idempotency_keys, series, settings, users

if TYPE_CHECKING:
    from workflow.store import Database

try:
    import fcntl
except ImportError:  # not on Windows: start-up then relies on the database's own locking
    fcntl = None  # type: ignore[assignment]

_SETUP_LOCK_KEY = 0x76616E7468  # "vanth": pg_advisory_lock key for start-up work


def _insert(conn: sa.Connection, table: sa.Table) -> Any:
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    return module.insert(table)


@contextlib.contextmanager
def setup_lock(db: Database) -> Iterator[None]:
    """Hold an exclusive start-up lock on the database (PostgreSQL advisory lock / a lock file).

    Several `vanthu serve` processes starting together migrate and seed one at a time.
    """
    if db.dialect == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.select(sa.func.pg_advisory_lock(_SETUP_LOCK_KEY)))
            try:
                yield
            finally:
                conn.execute(sa.select(sa.func.pg_advisory_unlock(_SETUP_LOCK_KEY)))
        return
    path = db.engine.url.database
    if fcntl is None or not path or path == ":memory:":
        yield
        return
    fd = os.open(f"{path}.setup-lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextlib.contextmanager
def bookkeeping(db: Database) -> Iterator[IdempotencyRepository]:
    """A write transaction for idempotency records whose commit does not wait for the disk.

    Losing the last of these records in a power cut only turns a replay into a re-run, which
    If-Match then refuses; the workflow's own commits keep full durability. PostgreSQL:
    synchronous_commit off for this transaction. SQLite: synchronous=NORMAL on the connection
    for this transaction only (WAL: a later FULL commit syncs these frames too).
    """
    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection if db.dialect == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA synchronous=NORMAL")  # before BEGIN: SQLite refuses it inside
        try:
            with conn.begin():
                if db.dialect == "postgresql":
                    conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
                yield IdempotencyRepository(conn)
        finally:
            if raw is not None:
                try:
                    raw.execute("PRAGMA synchronous=FULL")
                except Exception:
                    conn.invalidate()  # never hand a less durable connection back to the pool
                    raise


class SettingsRepository:
    """Named values every server process on the database shares."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def get(self, name: str) -> str | None:
        query = sa.select(settings.c.value).where(settings.c.name == name)
        return self.conn.execute(query).scalar_one_or_none()

    def get_or_create(self, name: str, make: Callable[[], str], now: datetime) -> str:
        """The stored value; the first caller's `make()` wins when several race."""
        found = self.get(name)
        if found is not None:
            return found
        insert = _insert(self.conn, settings).values(name=name, value=make(), created_at=utc(now))
        self.conn.execute(insert.on_conflict_do_nothing(index_elements=["name"]))
        value = self.get(name)
        assert value is not None
        return value


class AccountRepository:
    """Password hashes of users (the users table's password_hash column)."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def password_hash(self, username: str) -> str | None:
        query = sa.select(users.c.password_hash).where(users.c.username == username)
        return self.conn.execute(query).scalar_one_or_none()

    def set_password_hash(
        self, username: str, password_hash: str, *, only_if_missing: bool = False
    ) -> bool:
        """True when the user's hash was set (False: no such user, or one was already set)."""
        query = sa.update(users).where(users.c.username == username)
        if only_if_missing:
            query = query.where(users.c.password_hash.is_(None))
        done = self.conn.execute(query.values(password_hash=password_hash))
        return done.rowcount == 1

    def usernames(self) -> list[str]:
        return list(
            self.conn.execute(sa.select(users.c.username).order_by(users.c.username)).scalars()
        )


class DocumentQueries:
    """Listings of documents, newest first, with keyset paging on the id."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def listing(
        self, criteria: Iterable[Criterion], *, before_id: int | None, limit: int
    ) -> list[Document]:
        alternatives = []
        for c in criteria:
            parts: list[sa.ColumnElement[bool]] = [sa.true()]
            if c.states:
                parts.append(documents.c.state.in_(c.states))
            if c.signer is not None:
                parts.append(documents.c.signer == c.signer)
            if c.created_by is not None:
                parts.append(documents.c.created_by == c.created_by)
            if c.drafting_unit is not None:
                parts.append(documents.c.drafting_unit == c.drafting_unit)
            if c.issuer_code is not None:
                parts.append(documents.c.issuer_code == c.issuer_code)
            alternatives.append(sa.and_(*parts))
        if not alternatives:
            return []
        query = sa.select(documents).where(sa.or_(*alternatives))
        if before_id is not None:
            query = query.where(documents.c.id < before_id)
        rows = self.conn.execute(query.order_by(documents.c.id.desc()).limit(limit))
        return [to_document(r) for r in rows]


@dataclass(frozen=True)
class SeriesInfo:
    """A numbering series and the years it has numbers in."""

    issuer_code: str
    register: str
    name: str
    years: tuple[int, ...]


class SeriesQueries:
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def all(self) -> list[SeriesInfo]:
        rows = self.conn.execute(
            sa.select(series).order_by(series.c.issuer_code, series.c.register)
        )
        years: dict[int, list[int]] = {}
        used = sa.select(counters.c.series_id, counters.c.year).where(counters.c.last_number > 0)
        for series_id, year in self.conn.execute(used.order_by(counters.c.year)):
            years.setdefault(series_id, []).append(year)
        return [
            SeriesInfo(r.issuer_code, r.register, r.name, tuple(years.get(r.id, ()))) for r in rows
        ]


@dataclass(frozen=True)
class StoredResponse:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Claim:
    """What a keyed request may do: run ("new"), replay, or be refused (reused / in_progress)."""

    outcome: str  # "new" | "replay" | "reused" | "in_progress"
    response: StoredResponse | None = None
    first: tuple[str, str] | None = None  # (method, path) of the first request, when reused


class IdempotencyRepository:
    """Idempotency keys per user: the first request's fingerprint and its final response."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def _row(self, username: str, key: str) -> Any:
        return self.conn.execute(
            sa.select(idempotency_keys).where(
                idempotency_keys.c.username == username, idempotency_keys.c.key == key
            )
        ).first()

    def claim(
        self,
        username: str,
        key: str,
        *,
        method: str,
        path: str,
        body_sha256: str,
        now: datetime,
        abandoned_before: datetime,
        expired_before: datetime,
    ) -> Claim:
        """Claim `key` for a request, or say why not. The caller commits right away.

        A key still in progress since before `abandoned_before` (its server died) and a key
        completed before `expired_before` may be claimed again.
        """
        fingerprint = {"method": method, "path": path, "body_sha256": body_sha256}
        # Insert first: a new key (the usual case) then costs one statement, not a read as well.
        insert = _insert(self.conn, idempotency_keys).values(
            username=username, key=key, created_at=utc(now), **fingerprint
        )
        # RETURNING, not rowcount: an INSERT's rowcount is not reliable on every driver.
        insert = insert.on_conflict_do_nothing(index_elements=["username", "key"]).returning(
            idempotency_keys.c.key
        )
        row = None
        while row is None:  # gone between the two statements (released): claim it again
            if self.conn.execute(insert).first() is not None:
                return Claim("new")
            row = self._row(username, key)
        created = utc(row.created_at)
        expired = row.status is not None and created < utc(expired_before)
        abandoned = row.status is None and created < utc(abandoned_before)
        if expired or abandoned:
            done = self.conn.execute(
                sa.update(idempotency_keys)
                .where(
                    idempotency_keys.c.username == username,
                    idempotency_keys.c.key == key,
                    idempotency_keys.c.created_at == row.created_at,
                )
                .values(
                    status=None,
                    headers=None,
                    body=None,
                    completed_at=None,
                    created_at=utc(now),
                    **fingerprint,
                )
            )
            return Claim("new") if done.rowcount == 1 else Claim("in_progress")
        if (row.method, row.path, row.body_sha256) != (method, path, body_sha256):
            return Claim("reused", first=(row.method, row.path))
        if row.status is None:
            return Claim("in_progress")
        stored = StoredResponse(row.status, dict(row.headers or {}), bytes(row.body or b""))
        return Claim("replay", stored)

    def complete(self, username: str, key: str, response: StoredResponse, now: datetime) -> None:
        self.conn.execute(
            sa.update(idempotency_keys)
            .where(idempotency_keys.c.username == username, idempotency_keys.c.key == key)
            .values(
                status=response.status,
                headers=response.headers,
                body=response.body,
                completed_at=utc(now),
            )
        )

    def release(self, username: str, key: str) -> None:
        """Forget a key whose request failed on the server side, so a retry runs again."""
        self.conn.execute(
            sa.delete(idempotency_keys).where(
                idempotency_keys.c.username == username,
                idempotency_keys.c.key == key,
                idempotency_keys.c.status.is_(None),
            )
        )

    def purge(self, before: datetime) -> int:
        """Drop completed keys older than `before` (retries that late are new requests)."""
        done = self.conn.execute(
            sa.delete(idempotency_keys).where(
                idempotency_keys.c.status.is_not(None), idempotency_keys.c.created_at < utc(before)
            )
        )
        return done.rowcount
