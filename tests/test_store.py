"""Storage: the same migrations on SQLite and PostgreSQL build exactly the tables the code uses;
SQLite runs in WAL with full sync, foreign keys and BEGIN IMMEDIATE for writes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from workflow.store import Database, database_url, migrate
from workflow.store.migrate import alembic_config
from workflow.store.tables import metadata

from .engine_support import open_db


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    return open_db(request.param, tmp_path, request)


def test_migrations_build_the_schema_the_code_uses(db):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)
        version = conn.execute(sa.text("select version_num from alembic_version")).scalar_one()
    assert diff == []
    # The newest migration script is the one applied (0003 adds idempotency keys and settings).
    assert version == ScriptDirectory.from_config(alembic_config()).get_current_head() == "0003"
    db.migrate()  # running again is a no-op


def test_unique_number_per_series_and_year_is_in_the_schema(db):
    with db.engine.connect() as conn:
        inspector = sa.inspect(conn)
        pk = inspector.get_pk_constraint("number_ledger")["constrained_columns"]
        uniques = [u["column_names"] for u in inspector.get_unique_constraints("documents")]
    assert pk == ["series_id", "year", "number"]
    assert ["series_id", "year", "number"] in uniques


def test_sqlite_pragmas_and_immediate_writes(tmp_path):
    db = Database(f"sqlite:///{tmp_path}/a/b/vanthu.sqlite3")  # directories are created
    db.migrate()
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 60_000
    # A write unit of work holds the write lock from BEGIN: a second writer cannot start.
    other = sa.create_engine(
        f"sqlite:///{tmp_path}/a/b/vanthu.sqlite3", connect_args={"timeout": 0}
    )
    with db.uow() as uow:
        uow.conn.execute(sa.text("select 1"))
        with other.connect() as conn, pytest.raises(sa.exc.OperationalError, match="locked"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    # A read unit of work does not block writers.
    with db.uow(write=False) as uow:
        uow.conn.execute(sa.text("select count(*) from documents"))
        with other.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            conn.exec_driver_sql("ROLLBACK")
    other.dispose()
    db.dispose()


def test_database_url_from_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("VANTHU_DATABASE_URL", raising=False)
    assert database_url() == "sqlite:///var/vanthu.sqlite3"
    url = f"sqlite:///{tmp_path}/env.sqlite3"
    monkeypatch.setenv("VANTHU_DATABASE_URL", url)
    assert database_url() == url
    migrate()  # programmatic, from the environment
    assert (tmp_path / "env.sqlite3").exists()
    with pytest.raises(ValueError, match="sqlite or postgresql"):
        Database("mysql://localhost/x")


def test_sqlite_writers_queue_until_the_holder_commits(tmp_path):
    """A second writer waits on the lock file and starts the moment the first commits."""
    import threading

    db = Database(f"sqlite:///{tmp_path}/queue.sqlite3")
    db.migrate()
    order: list[str] = []
    started = threading.Event()

    def second_writer():
        started.set()
        with db.uow() as uow:
            order.append("second began")
            uow.conn.exec_driver_sql(
                "insert into series (issuer_code, register, name) values ('B', 'VB', 'B/VB')"
            )
            uow.commit()

    with db.uow() as uow:
        uow.conn.exec_driver_sql(
            "insert into series (issuer_code, register, name) values ('A', 'VB', 'A/VB')"
        )
        thread = threading.Thread(target=second_writer)
        thread.start()
        started.wait()
        thread.join(timeout=0.5)
        assert thread.is_alive() and order == []  # still queued behind us
        order.append("first commits")
        uow.commit()
    thread.join(timeout=10)
    assert order == ["first commits", "second began"]
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("select count(*) from series").scalar() == 2
    db.dispose()
