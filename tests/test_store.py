"""Storage: the same migrations on SQLite and PostgreSQL build exactly the tables the code uses;
SQLite runs in WAL with full sync, foreign keys and BEGIN IMMEDIATE for writes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
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
        # The FTS5 word index (search_fts and its shadow tables) is SQL the metadata can't hold.
        fts = {"include_name": lambda name, kind, _: not (name or "").startswith("search_fts")}
        context = MigrationContext.configure(conn, opts={"compare_type": True, **fts})
        diff = compare_metadata(context, metadata)
        version = conn.execute(sa.text("select version_num from alembic_version")).scalar_one()
    assert diff == []
    # The newest migration script is the one applied (0008 adds files.encoding).
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert version == head == "0008"
    db.migrate()  # running again is a no-op


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_0003_keeps_stored_files_and_admits_signed_renditions(kind, request, tmp_path):
    """Upgrading a 0002 database with files in it: they stay, kind 'signed' is allowed."""
    db = _database_at(kind, "0002", tmp_path, request)
    with db.engine.begin() as conn:
        _draft_with_file(conn, db)
    db.migrate()
    with db.engine.begin() as conn:
        rows = conn.exec_driver_sql("SELECT kind, bytes, sha256 FROM files").all()
        assert [(k, bytes(b), s) for k, b, s in rows] == [("draft", b"\x00\xff", "1" * 64)]
        conn.exec_driver_sql(
            "INSERT INTO files (document_id, kind, bytes, sha256, created_at,"
            f" directory_revision) VALUES (1, 'signed', {_blob(db)}, '{'2' * 64}', '{NOW}', 3)"
        )
        with pytest.raises(sa.exc.IntegrityError), conn.begin_nested():
            conn.exec_driver_sql(
                "INSERT INTO files (document_id, kind, bytes, sha256, created_at)"
                f" VALUES (1, 'final', {_blob(db)}, '{'3' * 64}', '{NOW}')"
            )
        if kind == "postgres":  # file bytes are stored uncompressed, out of line
            storage = conn.exec_driver_sql(
                "SELECT attstorage FROM pg_attribute"
                " WHERE attrelid = 'files'::regclass AND attname = 'bytes'"
            ).scalar_one()
            assert storage == "e"


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_0005_indexes_existing_replacements_by_their_original(kind, request, tmp_path):
    """Upgrading a 0004 database: links already in documents.links land in document_links."""
    db = _database_at(kind, "0004", tmp_path, request)
    with db.engine.begin() as conn:
        for doc_id, links in ((1, "{}"), (2, '{"replaces": 1}'), (3, '{"corrects": 1}')):
            _draft(conn, doc_id, links)
    db.migrate()
    with db.uow(write=False) as uow:
        assert uow.links.linked_by(1) == {"replaces": [2], "corrects": [3]}
        assert uow.links.linked_by(2) == {}


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_0008_keeps_stored_files_as_they_are_and_stores_new_ones_deflated(kind, request, tmp_path):
    """Upgrading a 0007 database: its files read back byte for byte (encoding identity); a file
    stored now is deflated and reads back as it was given."""
    db = _database_at(kind, "0007", tmp_path, request)
    with db.engine.begin() as conn:
        _draft_with_file(conn, db)
    db.migrate()
    with db.uow() as uow:
        assert uow.files.latest(1, "draft") == (b"\x00\xff", "1" * 64)
        docx = b"<w:document>" + b"<w:p><w:r><w:t>Th\xc3\xb4ng b\xc3\xa1o</w:t></w:r></w:p>" * 500
        uow.files.add(1, "draft", docx, "2" * 64, datetime(2021, 9, 21, tzinfo=UTC))
        uow.commit()
    with db.uow(write=False) as uow:
        assert uow.files.latest(1, "draft") == (docx, "2" * 64)
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT encoding, length(bytes) FROM files ORDER BY id").all()
        assert [r[0] for r in rows] == ["identity", "deflate"] and rows[1][1] < len(docx) / 10
        if kind == "postgres":  # still out of line, not compressed again
            storage = conn.exec_driver_sql(
                "SELECT attstorage FROM pg_attribute"
                " WHERE attrelid = 'files'::regclass AND attname = 'bytes'"
            ).scalar_one()
            assert storage == "e"


NOW = "2021-09-20 02:00:00"


def _draft(conn: sa.Connection, doc_id: int = 1, links: str = "{}") -> None:
    """A draft document row as the migrations of 0001–0007 keep it."""
    conn.exec_driver_sql(
        "INSERT INTO documents (id, issuer_code, doc_type, drafting_unit, state, version,"
        " content, content_sha256, created_by, approvals, links, created_at, updated_at)"
        f" VALUES ({doc_id}, 'BGDĐT', 'thong_bao', 'VP', 'draft', 1, '{{}}', '{'0' * 64}',"
        f" 'drafter', '[]', '{links}', '{NOW}', '{NOW}')"
    )


def _draft_with_file(conn: sa.Connection, db: Database) -> None:
    """Draft 1 with a stored draft file of two bytes, 00 ff."""
    _draft(conn)
    conn.exec_driver_sql(
        "INSERT INTO files (document_id, kind, bytes, sha256, created_at)"
        f" VALUES (1, 'draft', {_blob(db)}, '{'1' * 64}', '{NOW}')"
    )


def _blob(db: Database) -> str:
    return "X'00ff'" if db.dialect == "sqlite" else "'\\x00ff'::bytea"


def _database_at(kind: str, revision: str, tmp_path, request) -> Database:
    """A database of `kind` migrated to `revision` only."""
    db = open_db(kind, tmp_path, request, migrate=False)
    config = alembic_config()
    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        conn.commit()
    return db


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
