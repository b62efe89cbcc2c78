"""Storage: SQLAlchemy tables, repositories, unit of work and Alembic migrations.

`Database(url)` is what the engine takes; `migrate(url)` brings a database to the newest schema.
"""

from __future__ import annotations

import sqlalchemy as sa

from workflow.store.database import DEFAULT_URL, URL_VAR, database_url, make_engine
from workflow.store.issuing import IssueRead, IssueSession
from workflow.store.migrate import migrate
from workflow.store.repositories import Rendition
from workflow.store.uow import UnitOfWork

__all__ = [
    "DEFAULT_URL",
    "URL_VAR",
    "Database",
    "IssueRead",
    "IssueSession",
    "Rendition",
    "UnitOfWork",
    "database_url",
    "migrate",
]


class Database:
    """One database: its Engine and units of work on it."""

    def __init__(self, url: str | None = None, **engine_kwargs: object) -> None:
        self.url = database_url(url)
        self.engine: sa.Engine = make_engine(self.url, **engine_kwargs)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def write_locks_at_begin(self) -> bool:
        """Whether a write unit of work holds a lock from its start: SQLite's BEGIN IMMEDIATE
        takes the database write lock; PostgreSQL locks only the rows its statements touch."""
        return self.dialect == "sqlite"

    def uow(self, *, write: bool = True, snapshot: bool = True) -> UnitOfWork:
        return UnitOfWork(self.engine, write=write, snapshot=snapshot)

    def issuing(self) -> IssueSession:
        """issue's own session: its lean read, counter and writes on one connection."""
        return IssueSession(self.engine)

    def migrate(self) -> None:
        migrate(engine=self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
