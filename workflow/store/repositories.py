"""Repositories: Documents, audit entries, files and the directory mapped to and from rows.

Domain objects stay plain; every method runs on the unit of work's connection.
"""

from __future__ import annotations

import zlib
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, lru_cache
from typing import Any

import sqlalchemy as sa
from psycopg.rows import namedtuple_row

from workflow import deflate
from workflow.audit import GENESIS, AuditEntry
from workflow.content import STORED, DocumentContent
from workflow.document import Approval, Document, Event
from workflow.errors import NotFound, StaleVersion
from workflow.signing import Delegation
from workflow.states import State
from workflow.store.tables import audit, delegations, documents, files, users
from workflow.users import User


def utc(moment: datetime) -> datetime:
    """Aware UTC (SQLite hands back naive UTC; PostgreSQL aware in the session's zone)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def approvals_of(stored: Iterable[dict[str, str]]) -> tuple[Approval, ...]:
    """Approvals as documents.approvals stores them (_approvals_json), back as values."""
    return tuple(
        Approval(a["role"], a["actor"], a["content_sha256"], datetime.fromisoformat(a["at"]))
        for a in stored
    )


def _approvals_json(approvals: Iterable[Approval]) -> list[dict[str, str]]:
    return [
        {
            "role": a.role,
            "actor": a.actor,
            "content_sha256": a.content_sha256,
            "at": utc(a.at).isoformat(),
        }
        for a in approvals
    ]


def _content_values(doc: Document) -> dict[str, Any]:
    content = doc.content
    return {
        "issuer_code": content.issuer.code,
        "doc_type": content.doc_type,
        "drafting_unit": content.drafting_unit.code,
        "content": content.model_dump(mode="json"),
        "content_sha256": doc.content_sha256,
    }


def row_values(doc: Document, now: datetime) -> dict[str, Any]:
    """Every column of the document row but the content ones."""
    return {
        "state": doc.state.value,
        "version": doc.version,
        "created_by": doc.created_by,
        "signer": doc.signer,
        "approvals": _approvals_json(doc.approvals),
        "links": doc.links,
        "series_id": doc.series_id,
        "year": doc.year,
        "number": doc.number,
        "symbol": doc.symbol,
        "issued_date": doc.issued_date,
        "issued_at": utc(doc.issued_at) if doc.issued_at else None,
        "issued_sha256": doc.issued_sha256,
        "audit_hash": doc.audit_hash,
        "updated_at": utc(now),
    }


def first_row(conn: sa.Connection, statement: sa.Select, params: dict[str, Any]) -> Any:
    """The first row of `statement`, or None.

    On PostgreSQL the row is read through a binary-format cursor of the same connection (and
    transaction): bytea then arrives as stored, where the text format would hex-encode it to
    twice its size — about 0.4 ms of encoding, transfer and decoding for an issued file.
    psycopg's own loaders give the same Python values (dicts for JSON, aware datetimes).
    """
    if conn.dialect.name != "postgresql":
        return conn.execute(statement, params).first()
    compiled = _compiled(statement, conn.dialect)
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    with dbapi.cursor(binary=True, row_factory=namedtuple_row) as cursor:  # type: ignore[call-arg]
        cursor.execute(compiled.string, compiled.construct_params(params))
        return cursor.fetchone()


@lru_cache(maxsize=64)  # per (statement, engine dialect); engines come and go in tests
def _compiled(statement: sa.Select, dialect: sa.Dialect) -> sa.Compiled:
    return statement.compile(dialect=dialect)


def to_document(row: Any) -> Document:
    """A Document from a documents row (any mapping with the table's columns)."""
    return Document(
        id=row.id,
        content=DocumentContent.model_validate(row.content, context=STORED),
        created_by=row.created_by,
        state=State(row.state),
        version=row.version,
        signer=row.signer,
        approvals=approvals_of(row.approvals),
        links=dict(row.links or {}),
        series_id=row.series_id,
        year=row.year,
        number=row.number,
        symbol=row.symbol,
        issued_date=row.issued_date,
        issued_at=utc(row.issued_at) if row.issued_at else None,
        issued_sha256=row.issued_sha256,
        audit_hash=row.audit_hash,
        created_at=utc(row.created_at),
    )


def stale(document_id: int | None, expected_version: int) -> StaleVersion:
    """The error for a write that found the document at another version than it read."""
    return StaleVersion(
        f"document {document_id} changed while this request ran (expected version"
        f" {expected_version}); reload it and try again"
    )


@cache
def _update(columns: tuple[str, ...]) -> sa.Update:
    """UPDATE documents SET <columns> WHERE id and version match, built once per column set."""
    return (
        sa.update(documents)
        .where(documents.c.id == sa.bindparam("b_id"))
        .where(documents.c.version == sa.bindparam("b_expected"))
        .values({c: sa.bindparam(c) for c in columns})
    )


_GET = sa.select(documents).where(documents.c.id == sa.bindparam("id"))


@dataclass(frozen=True)
class Rendition:
    """A stored signed rendition: its bytes, their SHA-256, and the directory revision its
    recipient list resolved against without a problem at signing (None: not known)."""

    data: bytes
    sha256: str
    directory_revision: int | None = None


SIGNED = "signed"


class DocumentRepository:
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def get(self, document_id: int) -> Document:
        row = self.conn.execute(_GET, {"id": document_id}).first()
        if row is None:
            raise NotFound(f"document {document_id} does not exist")
        return to_document(row)

    def add(self, doc: Document, now: datetime) -> int:
        values = row_values(doc, now) | _content_values(doc)
        values["created_at"] = utc(doc.created_at or now)
        doc.id = self.conn.execute(
            sa.insert(documents).values(values).returning(documents.c.id)
        ).scalar_one()
        return doc.id

    def save(
        self,
        doc: Document,
        *,
        expected_version: int,
        now: datetime,
        content: bool = True,
        only: Collection[str] | None = None,
    ) -> None:
        """Write the document if nobody changed it since `expected_version`, else StaleVersion.

        content=False leaves the content columns alone (every action but an edit keeps them);
        `only` writes just those columns.
        """
        values = row_values(doc, now)
        if content and only is None:
            values |= _content_values(doc)
        if only is not None:
            values = {c: values[c] for c in only}
        statement = _update(tuple(sorted(values)))
        values |= {"b_id": doc.id, "b_expected": expected_version}
        done = self.conn.execute(statement, values)
        if done.rowcount != 1:
            raise stale(doc.id, expected_version)
        self.saved(doc)

    def saved(self, doc: Document) -> None:
        """Every change of a document row through save() ends here: what must change with the
        row in the same transaction belongs here. Nothing yet. (Issue writes its columns in
        workflow/store/issuing.py, on its own hot path.)"""

    def ids(self, *, states: Iterable[str] | None = None) -> list[int]:
        query = sa.select(documents.c.id).order_by(documents.c.id)
        if states is not None:
            query = query.where(documents.c.state.in_(list(states)))
        return list(self.conn.execute(query).scalars())

    def iter_all(self, batch: int = 200) -> Iterator[Document]:
        last = 0
        while True:
            rows = self.conn.execute(
                sa.select(documents)
                .where(documents.c.id > last)
                .order_by(documents.c.id)
                .limit(batch)
            ).all()
            if not rows:
                return
            for row in rows:
                yield to_document(row)
            last = rows[-1].id


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        document_id=row.document_id,
        seq=row.seq,
        actor=row.actor,
        role=row.role,
        action=row.action,
        from_state=row.from_state,
        to_state=row.to_state,
        at=utc(row.at),
        content_sha256=row.content_sha256,
        comment=row.comment,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


_ADD_AUDIT = sa.insert(audit)


def chain_entry(document_id: int, seq: int, event: Event, prev_hash: str | None) -> AuditEntry:
    """`event` as entry `seq` of the document's chain, hashed onto `prev_hash`."""
    entry = AuditEntry(
        document_id=document_id,
        seq=seq,
        actor=event.actor,
        role=str(event.role),
        action=str(event.action),
        from_state=str(event.from_state) if event.from_state else None,
        to_state=str(event.to_state),
        at=utc(event.at),
        content_sha256=event.content_sha256,
        comment=event.comment,
        prev_hash=prev_hash or GENESIS,
    )
    return AuditEntry(**{**entry.__dict__, "hash": entry.computed_hash()})


class AuditRepository:
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    @staticmethod
    def chain(doc: Document, event: Event) -> AuditEntry:
        """The entry for `event` as the next link of doc's chain (seq = the new version)."""
        assert doc.id is not None
        return chain_entry(doc.id, doc.version, event, doc.audit_hash)

    def add(self, entries: Iterable[AuditEntry]) -> None:
        rows = [e.__dict__ for e in entries]
        if rows:
            self.conn.execute(_ADD_AUDIT, rows[0] if len(rows) == 1 else rows)

    def iter_all(self) -> Iterator[AuditEntry]:
        """Every entry, in (document, seq) order: one pass for `vanthu verify`."""
        query = sa.select(audit).order_by(audit.c.document_id, audit.c.seq)
        for row in self.conn.execution_options(yield_per=500).execute(query):
            yield _entry(row)

    def for_document(self, document_id: int) -> list[AuditEntry]:
        rows = self.conn.execute(
            sa.select(audit).where(audit.c.document_id == document_id).order_by(audit.c.seq)
        )
        return [_entry(r) for r in rows]


_ADD_FILE = sa.insert(files)
_LATEST_FILE = (
    sa.select(files.c.bytes, files.c.sha256, files.c.encoding)
    .where(files.c.document_id == sa.bindparam("document_id"), files.c.kind == sa.bindparam("kind"))
    .order_by(files.c.id.desc())
    .limit(1)
)


class FileRepository:
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def add(
        self,
        document_id: int,
        kind: str,
        data: bytes,
        sha256: str,
        now: datetime,
        *,
        directory_revision: int | None = None,
        compress: bool = True,
    ) -> None:
        """Store `data` (whose SHA-256 is `sha256`), deflated unless `compress` is False (data
        that is compressed already)."""
        values = {
            "document_id": document_id,
            "kind": kind,
            "bytes": deflate.compress(data) if compress else data,
            "encoding": DEFLATE if compress else IDENTITY,
            "sha256": sha256,
            "created_at": utc(now),
            "directory_revision": directory_revision,
        }
        self.conn.execute(_ADD_FILE, values)

    def add_signed(self, document_id: int, rendition: Rendition, now: datetime) -> None:
        """Store the rendition the signer signed (in the sign transaction)."""
        self.add(
            document_id,
            SIGNED,
            rendition.data,
            rendition.sha256,
            now,
            directory_revision=rendition.directory_revision,
            compress=False,  # a prepared rendition holds its chunks compressed
        )

    def latest(self, document_id: int, kind: str) -> tuple[bytes, str] | None:
        row = first_row(self.conn, _LATEST_FILE, {"document_id": document_id, "kind": kind})
        return (decoded(row.bytes, row.encoding), row.sha256) if row else None


IDENTITY, DEFLATE = "identity", "deflate"


def decoded(data: bytes | memoryview, encoding: str) -> bytes:
    """A stored file's bytes as they were stored (files.encoding)."""
    if encoding == DEFLATE:
        try:
            return deflate.inflate(bytes(data))
        except zlib.error as exc:
            raise ValueError(f"stored file is damaged: it does not inflate ({exc})") from None
    if encoding != IDENTITY:
        raise ValueError(f"files.encoding: unknown encoding {encoding!r}")
    return bytes(data)


class DirectoryRepository:
    """Users and delegations."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def user(self, username: str) -> User | None:
        row = self.conn.execute(sa.select(users).where(users.c.username == username)).first()
        return None if row is None else _user(row)

    def users(self) -> list[User]:
        """Every user, by username."""
        return [_user(r) for r in self.conn.execute(sa.select(users).order_by(users.c.username))]

    def put_user(self, user: User) -> bool:
        """Insert or update `user`; True if it was inserted."""
        values = {
            "full_name": user.full_name,
            "roles": sorted(user.roles),
            "unit_code": user.unit_code,
            "issuer_code": user.issuer_code,
            "position_title": user.position_title,
        }
        done = self.conn.execute(
            sa.update(users).where(users.c.username == user.username).values(values)
        )
        if done.rowcount == 0:
            self.conn.execute(sa.insert(users).values(username=user.username, **values))
            return True
        return False

    def admins(self, *, lock: bool = False) -> list[str]:
        """The usernames holding the admin role; `lock` keeps their rows from changing until
        the transaction ends (PostgreSQL; SQLite's writer holds the whole database already)."""
        query = sa.select(users.c.username, users.c.roles).order_by(users.c.username)
        if lock:
            query = query.with_for_update()
        return [r.username for r in self.conn.execute(query) if "admin" in r.roles]

    def delegations(self) -> list[Delegation]:
        rows = self.conn.execute(sa.select(delegations).order_by(delegations.c.id))
        return [_delegation(r) for r in rows]

    def delegation(self, delegation_id: int) -> Delegation | None:
        row = self.conn.execute(
            sa.select(delegations).where(delegations.c.id == delegation_id)
        ).first()
        return None if row is None else _delegation(row)

    def revoke_delegation(self, delegation_id: int, *, at: datetime, by: str) -> bool:
        """Mark a delegation revoked (once: a revoked one keeps its first revocation)."""
        done = self.conn.execute(
            sa.update(delegations)
            .where(delegations.c.id == delegation_id, delegations.c.revoked_at.is_(None))
            .values(revoked_at=utc(at), revoked_by=by)
        )
        return done.rowcount == 1

    def add_delegation(self, d: Delegation) -> int:
        return self.conn.execute(
            sa.insert(delegations)
            .values(
                grantee=d.grantee,
                authority=d.authority,
                prefix=d.prefix,
                title=d.title,
                valid_from=d.valid_from,
                valid_to=d.valid_to,
                granted_by=d.granted_by,
                redelegable=d.redelegable,
                revoked_at=utc(d.revoked_at) if d.revoked_at else None,
                revoked_by=d.revoked_by,
            )
            .returning(delegations.c.id)
        ).scalar_one()


def _user(row: Any) -> User:
    return User(
        username=row.username,
        full_name=row.full_name,
        roles=frozenset(row.roles),
        unit_code=row.unit_code,
        issuer_code=row.issuer_code,
        position_title=row.position_title,
    )


def _delegation(r: Any) -> Delegation:
    return Delegation(
        grantee=r.grantee,
        prefix=r.prefix,
        title=r.title,
        valid_from=r.valid_from,
        valid_to=r.valid_to,
        granted_by=r.granted_by,
        redelegable=r.redelegable,
        id=r.id,
        revoked_at=utc(r.revoked_at) if r.revoked_at else None,
        revoked_by=r.revoked_by,
    )
