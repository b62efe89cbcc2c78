"""`vanthu directory load`, `vanthu register`, `vanthu deliveries`, `vanthu verify --package`."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from api.cli import main
from workflow import dispatching
from workflow.registers_export import COLUMNS, FIRST_ROW, HEADER_ROW
from workflow.states import Action
from workflow.store import Database

from .engine_support import Clock, actor, make_engine, signed_document

SEPT = datetime(2021, 9, 20, 2, 0, tzinfo=UTC)


def dispatched_db(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    db = Database(url)
    db.migrate()
    engine = make_engine(db, Clock(SEPT))
    doc = signed_document(engine)
    engine.act(actor("clerk"), doc.id, Action.ISSUE)
    dispatching.dispatch(engine, actor("clerk"), doc.id)
    return url, db, doc.id


def test_directory_load_into_a_new_database(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    assert main(["directory", "load", "--database", url]) == 0
    assert "64 organisations, 21 units, 7 positions, 4 groups" in capsys.readouterr().out
    db = Database(url)
    try:
        assert len(dispatching.stored_directory(db).members("cac-sgddt-2021")) == 63
    finally:
        db.dispose()


def test_register_writes_the_xlsx(tmp_path, capsys):
    url, db, _ = dispatched_db(tmp_path)
    db.dispose()
    out = tmp_path / "so-di-2021.xlsx"
    assert (
        main(
            ["register", "BGDĐT/VB", "2021", "--format", "xlsx", "-o", str(out), "--database", url]
        )
        == 0
    )
    assert "register BGDĐT/VB 2021, 1 documents (xlsx)" in capsys.readouterr().out
    ws = load_workbook(out).active
    assert [ws.cell(HEADER_ROW, c).value for c in range(1, 11)] == list(COLUMNS)
    assert ws.cell(FIRST_ROW, 1).value == "01/TB-BGDĐT"
    assert all(ws.cell(FIRST_ROW, c).value not in (None, "") for c in range(1, 11))
    assert main(["register", "BGDĐT", "2021", "-o", str(out), "--database", url]) == 2
    assert "ISSUER/REGISTER" in capsys.readouterr().err
    assert (
        main(["register", "BGDĐT/XX", "2021", "-o", str(tmp_path / "x.csv"), "--database", url])
        == 2
    )
    assert not (tmp_path / "x.csv").exists()


def test_deliveries_list_and_set(tmp_path, capsys):
    url, db, doc_id = dispatched_db(tmp_path)
    rows = dispatching.deliveries(db, doc_id)
    db.dispose()
    assert main(["deliveries", str(doc_id), "--database", url]) == 0
    out = capsys.readouterr().out
    assert "89 deliveries: 63 queued, 26 sent" in out
    assert "vanthu@sogddt-ha-noi.example" in out
    first = rows[0]
    assert (
        main(
            [
                "deliveries",
                str(doc_id),
                "--set",
                str(first.id),
                "received",
                "--as",
                "clerk",
                "--database",
                url,
            ]
        )
        == 0
    )
    assert "63 queued, 25 sent, 1 received" in capsys.readouterr().out
    assert (
        main(
            [
                "deliveries",
                str(doc_id),
                "--set",
                str(first.id),
                "queued",
                "--as",
                "clerk",
                "--database",
                url,
            ]
        )
        == 2
    )
    assert "cannot become queued" in capsys.readouterr().err
    assert (
        main(
            [
                "deliveries",
                str(doc_id),
                "--set",
                str(first.id),
                "returned",
                "--as",
                "drafter",
                "--database",
                url,
            ]
        )
        == 2
    )
    assert "only clerk or admin" in capsys.readouterr().err
    assert (
        main(["deliveries", str(doc_id), "--set", str(first.id), "returned", "--database", url])
        == 2
    )


def test_verify_package(tmp_path, capsys):
    _, db, doc_id = dispatched_db(tmp_path)
    case_id, _ = dispatching.create_case_file(
        db,
        actor("archivist"),
        issuer_code="BGDĐT",
        year=2021,
        heading="VP",
        title="Hồ sơ",
        retention=10,
        owner="VP",
    )
    dispatching.assign_document(db, actor("archivist"), case_id, doc_id)
    package = dispatching.handover_package(db, case_id)
    db.dispose()
    good = tmp_path / "01.VP.zip"
    good.write_bytes(package)
    assert main(["verify", "--package", str(good)]) == 0
    assert "OK" in capsys.readouterr().out
    bad = tmp_path / "bad.zip"
    at = len(package) - 200
    bad.write_bytes(package[:at] + bytes([package[at] ^ 1]) + package[at + 1 :])
    assert main(["verify", "--package", str(bad)]) == 1
    assert "PROBLEM:" in capsys.readouterr().out
    assert io.BytesIO(package).read(2) == b"PK"
