"""Shared setup for engine tests: a migrated database, the demo directory, walking a draft."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from workflow import content as content_module
from workflow import rendering as RENDERER
from workflow.demo import SIGNING_PATH, signed_documents
from workflow.dispatching import load_directory as load_receivers
from workflow.engine import Engine
from workflow.store import Database
from workflow.store.scratch import scratch_postgres
from workflow.users import Actor, read_directory

from .conftest import FIXTURES, SEED

USERS_YAML = FIXTURES / "users.yaml"
USERS, DELEGATIONS = read_directory(USERS_YAML)
BY_NAME = {u.username: u for u in USERS}
ACTORS = {u.username: u.actor for u in USERS}
SEED_CONTENT = content_module.read(SEED)


def actor(name: str) -> Actor:
    return ACTORS[name]


class Clock:
    """A settable clock: tests move time explicitly."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2021, 9, 20, 3, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def tick(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def sqlite_db(tmp_path, name: str = "vanthu.sqlite3") -> Database:
    db = Database(f"sqlite:///{tmp_path / name}")
    db.migrate()
    return db


@contextmanager
def pg_database(pg_url: str) -> Iterator[str]:
    """A fresh PostgreSQL database named engine_<random>, dropped afterwards."""
    with scratch_postgres(pg_url, "engine") as url:
        yield url


def make_engine(db: Database, clock: Clock | None = None, **kwargs) -> Engine:
    kwargs.setdefault("renderer", RENDERER)
    engine = Engine(db, clock=clock or Clock(), **kwargs)
    engine.load_directory(USERS, DELEGATIONS)
    load_receivers(db)  # fixtures/directory: the issue guard checks recipients against it
    return engine


def signed_document(engine: Engine, content=SEED_CONTENT):
    """Create the seed (or given) content and walk it to `signed` through the real table."""
    doc = engine.create(actor("drafter"), content, signer="signer")
    for who, action in SIGNING_PATH:
        doc = engine.act(actor(who), doc.id, action)
    return doc


def bulk_signed(engine: Engine, count: int, content=SEED_CONTENT) -> list[int]:
    """`count` signed documents decided by the real aggregate, stored in one transaction."""
    return signed_documents(engine, count, content)


def open_db(kind: str, tmp_path, request, *, migrate: bool = True) -> Database:
    """A migrated database of `kind` ('sqlite' or 'postgres'); PostgreSQL needs pg_url."""
    if kind == "sqlite":
        if not migrate:
            return Database(f"sqlite:///{tmp_path / 'unmigrated.sqlite3'}")
        return sqlite_db(tmp_path)
    pg_url = request.getfixturevalue("pg_url")
    ctx = pg_database(pg_url)
    url = ctx.__enter__()
    db = Database(url)
    if migrate:
        db.migrate()

    def cleanup():
        db.dispose()
        ctx.__exit__(None, None, None)

    request.addfinalizer(cleanup)
    return db
