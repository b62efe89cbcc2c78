"""`vanthu verify` and `vanthu numbers`: an intact database passes; any tampering is found."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa

from api.cli import main
from workflow.states import Action
from workflow.store.tables import audit, counters, documents, files, number_ledger
from workflow.verify import verify

from .conftest import first_form
from .engine_support import RENDERER, actor, make_engine, signed_document, sqlite_db


@pytest.fixture
def world(tmp_path):
    """Three issued documents (one recalled, one dispatched), a draft and a signed one."""
    db = sqlite_db(tmp_path)
    engine = make_engine(db)
    issued = [
        engine.act(actor("clerk"), signed_document(engine).id, Action.ISSUE) for _ in range(3)
    ]
    engine.act(actor("clerk"), issued[0].id, Action.RECALL, comment="Sai thể thức")
    engine.act(actor("clerk"), issued[1].id, Action.DISPATCH)
    engine.create(actor("drafter"), issued[2].content)
    signed_document(engine)
    yield db, issued
    db.dispose()


def change(db, statement):
    with db.engine.begin() as conn:
        assert conn.execute(statement).rowcount >= 1


def test_intact_database_verifies(world):
    db, _ = world
    result = verify(db, RENDERER)
    assert result.problems == []
    assert (result.documents, result.rerendered, result.ledger_rows) == (5, 3, 3)
    assert result.renditions == 4  # three issued and one signed document's
    # recalled 7, dispatched 7, issued 6, draft 1, signed 5 entries
    assert result.audit_entries == 7 + 7 + 6 + 1 + 5


def test_one_altered_audit_row_fails(world):
    db, issued = world
    change(db, sa.update(audit).where(audit.c.document_id == issued[1].id, audit.c.seq == 3)
           .values(actor="format_checker"))  # fmt: skip
    problems = verify(db, RENDERER).problems
    assert problems == [
        f"document {issued[1].id} audit seq 3: hash does not match the entry's contents (altered)"
    ]


def test_dropped_last_audit_row_fails(world):
    db, issued = world
    change(db, sa.delete(audit).where(audit.c.document_id == issued[2].id, audit.c.seq == 6))
    problems = " ".join(verify(db, RENDERER).problems)
    assert "audit head" in problems and "version 6 but 5 audit entries" in problems


def test_content_edited_behind_the_workflow_fails(world):
    db, issued = world
    with db.engine.begin() as conn:
        content = conn.execute(
            sa.select(documents.c.content).where(documents.c.id == issued[2].id)
        ).scalar_one()
        content["subject"] = "Nội dung đã bị sửa"
        conn.execute(
            sa.update(documents).where(documents.c.id == issued[2].id).values(content=content)
        )
    problems = " ".join(verify(db, RENDERER).problems)
    assert "content changed outside the workflow" in problems
    assert "re-rendering gives a different file" in problems


@pytest.mark.parametrize("encoding", ["deflate", "identity"])
def test_altered_issued_file_fails(world, encoding):
    """Bytes that no longer inflate, or inflate (or read) to another file: both are caught."""
    db, issued = world
    change(
        db,
        sa.update(files)
        .where(files.c.document_id == issued[1].id, files.c.kind == "issued")
        .values(bytes=b"PK tampered", encoding=encoding),
    )
    assert any("does not match its SHA-256" in p for p in verify(db, RENDERER).problems)


def retouch_signed_rendition(db, document_id):
    """Change one word in a document's stored signed rendition, SHA-256 made to match."""
    with db.engine.connect() as conn:
        file_id, data = conn.execute(
            sa.select(files.c.id, files.c.bytes).where(
                files.c.document_id == document_id, files.c.kind == "signed"
            )
        ).one()
    # Stored as a prepared rendition's first form, whose chunks are plain text to edit.
    plain = first_form(RENDERER.load_prepared(bytes(data)))
    data = plain.replace("Giáo dục và".encode(), "Giáo dụk và".encode(), 1)
    assert data != plain
    sha = hashlib.sha256(data).hexdigest()
    change(db, sa.update(files).where(files.c.id == file_id).values(bytes=data, sha256=sha))


def test_retouched_signed_rendition_fails(world):
    db, issued = world
    retouch_signed_rendition(db, issued[1].id)
    with db.engine.connect() as conn:
        signed_only = conn.execute(
            sa.select(documents.c.id).where(documents.c.state == "signed")
        ).scalar_one()
    retouch_signed_rendition(db, signed_only)
    assert verify(db, RENDERER).problems == [
        f"document {issued[1].id}: stored signed rendition filled with number 2 and date"
        " 2021-09-20 is not the issued file",
        f"document {signed_only}: stored signed rendition differs from a fresh preparation of"
        " its content",
    ]


def test_ledger_gap_fails_verify_and_numbers(world, capsys):
    db, issued = world
    change(db, sa.delete(number_ledger).where(number_ledger.c.number == 2))
    problems = verify(db, RENDERER).problems
    assert f"document {issued[1].id} has a number but no ledger row" in problems
    assert "series BGDĐT/VB 2021: numbers 2..2 missing" in problems
    assert main(["numbers", "--database", str(db.url)]) == 1
    assert "BGDĐT/VB" in capsys.readouterr().out


def test_numbers_report_from_the_cli(world, capsys):
    db, _ = world
    assert main(["numbers", "--database", str(db.url), "--year", "2021"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("BGDĐT/VB"))
    assert line.split() == ["BGDĐT/VB", "2021", "3", "2", "1", "none"]
    assert main(["numbers", "--database", str(db.url), "--year", "2022"]) == 0
    assert "no numbers issued yet" in capsys.readouterr().out
    assert main(["numbers", "--database", str(db.url), "--series", "VB"]) == 2


def test_counter_ahead_of_ledger_is_a_gap(world, capsys):
    db, _ = world
    change(db, sa.update(counters).values(last_number=counters.c.last_number + 1))
    assert "series BGDĐT/VB 2021: numbers 4..4 missing" in verify(db, RENDERER).problems
    assert main(["numbers", "--database", str(db.url)]) == 1


def test_verify_from_the_cli(world, capsys, monkeypatch):
    db, issued = world
    monkeypatch.setenv("VANTHU_DATABASE_URL", str(db.url))  # the default source of the URL
    assert main(["verify"]) == 0
    out = capsys.readouterr().out
    assert "documents checked:        5" in out and "issued files re-rendered: 3" in out
    assert "signed renditions:        4" in out
    assert out.rstrip().endswith("verify: OK")
    change(db, sa.update(audit).where(audit.c.document_id == issued[0].id, audit.c.seq == 1)
           .values(comment="sửa lén"))  # fmt: skip
    assert main(["verify", "--database", str(db.url)]) == 1
    out = capsys.readouterr().out
    assert f"PROBLEM: document {issued[0].id} audit seq 1: hash does not match" in out
    assert out.rstrip().endswith("verify: 1 problem(s)")
