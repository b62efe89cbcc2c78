"""Connecting to the database: SQLite by default (a file, WAL, BEGIN IMMEDIATE), PostgreSQL by URL.

SQLite runs with synchronous=FULL: in WAL mode that fsyncs the log on every commit, so an issued
number the clerk has seen survives a power cut; NORMAL would be faster but may lose the last
commits, and a lost issue could give the same number twice on paper.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

URL_VAR = "VANTHU_DATABASE_URL"
DEFAULT_URL = "sqlite:///var/vanthu.sqlite3"
BUSY_TIMEOUT_MS = 60_000


def database_url(url: str | None = None) -> str:
    """The URL to use: the argument, else VANTHU_DATABASE_URL, else ./var/vanthu.sqlite3."""
    return url or os.environ.get(URL_VAR) or DEFAULT_URL


def make_engine(url: str, **kwargs: Any) -> sa.Engine:
    """An Engine set up for vanthu's transactions on SQLite or PostgreSQL."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, **kwargs)
    if parsed.get_backend_name() == "postgresql":
        kwargs.setdefault("isolation_level", "READ COMMITTED")
        kwargs.setdefault("pool_pre_ping", False)
        return sa.create_engine(parsed, **kwargs)
    raise ValueError(f"{URL_VAR}: vanthu runs on sqlite or postgresql, got {parsed.drivername}")


def _sqlite_engine(url: sa.URL, **kwargs: Any) -> sa.Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, **kwargs)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # sqlite3 must not issue its own BEGIN: we emit BEGIN IMMEDIATE / DEFERRED ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        # Writers take the write lock up front, so they queue on busy_timeout instead of failing
        # with "database is locked" when a read lock would have to be upgraded mid-transaction.
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine
