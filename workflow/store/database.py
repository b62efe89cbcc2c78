"""Connecting to the database: SQLite by default (a file, WAL, BEGIN IMMEDIATE), PostgreSQL by URL.

SQLite runs with synchronous=FULL: in WAL mode that fsyncs the log on every commit, so an issued
number the clerk has seen survives a power cut; NORMAL would be faster but may lose the last
commits, and a lost issue could give the same number twice on paper.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

try:
    import fcntl
except ImportError:  # not on Windows: writers then queue on SQLite's busy_timeout alone
    fcntl = None  # type: ignore[assignment]

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


class _WriterQueue(sqlite3.Connection):
    """A sqlite3 connection that queues writers on an OS file lock beside the database.

    SQLite's own busy handler polls with sleeps of up to 100 ms, so under contention the write
    lock often sits free while every waiter sleeps. Waiting on flock() instead wakes the next
    writer the moment the previous one commits. Other programs still meet busy_timeout.
    """

    lock_path: str | None = None
    _lock_fd: int | None = None
    _holding = False

    def hold_writer_lock(self) -> None:
        if fcntl is None or self.lock_path is None:
            return
        if self._lock_fd is None:
            self._lock_fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        self._holding = True

    def release_writer_lock(self) -> None:
        if self._holding and self._lock_fd is not None and fcntl is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            self._holding = False

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.release_writer_lock()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.release_writer_lock()

    def close(self) -> None:
        self.release_writer_lock()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None
        super().close()


def _sqlite_engine(url: sa.URL, **kwargs: Any) -> sa.Engine:
    lock_path = None
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        lock_path = f"{url.database}.writer-lock"
    connect_args = {"timeout": BUSY_TIMEOUT_MS / 1000, "factory": _WriterQueue}
    engine = sa.create_engine(url, connect_args=connect_args, **kwargs)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # sqlite3 must not issue its own BEGIN: we emit BEGIN IMMEDIATE / DEFERRED ourselves.
        dbapi_connection.isolation_level = None
        dbapi_connection.lock_path = lock_path
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
        dbapi = conn.connection.dbapi_connection
        if mode == "IMMEDIATE":
            dbapi.hold_writer_lock()  # type: ignore[union-attr]
        try:
            conn.exec_driver_sql(f"BEGIN {mode}")
        except BaseException:
            dbapi.release_writer_lock()  # type: ignore[union-attr]  # no transaction to end
            raise

    return engine
