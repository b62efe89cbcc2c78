"""GET /documents/search over real HTTP (`vanthu serve`): an archivist finds an issued document
by words without accents and by its number, and downloads its issued .docx; drafts stay out of
search, and a drafter of another unit cannot read them; bad parameters are named problems."""

from __future__ import annotations

import hashlib
import time
from contextlib import ExitStack
from datetime import UTC, datetime

import httpx
import pytest
import sqlalchemy as sa

from api.auth import hash_password
from api.demo_world import DEMO_PASSWORD, load_demo
from workflow.demo import USERS_YAML
from workflow.search_corpus import generate
from workflow.store import Database
from workflow.store.bulk import load_issued
from workflow.store.tables import search, search_pending
from workflow.users import User, read_directory

from .api_support import SEED_JSON, AsgiClient, assert_problem, demo_app, token, vanthu_serve
from .engine_support import pg_database

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STEPS = (
    ("drafter", "submit"),
    ("unit_head", "approve"),
    ("format_checker", "pass-format"),
    ("signer", "sign"),
    ("clerk", "issue"),
)


def prepare(url: str) -> None:
    """The demo world, a drafter of another unit (Vụ Tổ chức cán bộ), 300 issued documents."""
    db = Database(url)
    try:
        db.migrate()
        other = User("drafter_tccb", "Lê Văn Tổ", frozenset({"drafter"}), "TCCB", "BGDĐT")
        users = [*read_directory(USERS_YAML)[0], other]
        hashed = hash_password(DEMO_PASSWORD)  # one slow hash for all, not one per user
        with db.uow() as uow:
            for user in users:
                uow.directory.put_user(user)
                uow.accounts.set_password_hash(user.username, hashed)
            load_issued(uow.conn, list(generate(300, seed=3)), now=datetime.now(UTC), index=False)
            uow.commit()
        load_demo(db)  # delegations and the directory of receivers
    finally:
        db.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request, tmp_path):
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / 'search.sqlite3'}"
        else:
            url = stack.enter_context(pg_database(request.getfixturevalue("pg_url")))
        prepare(url)
        base = stack.enter_context(
            vanthu_serve(tmp_path / "serve.log", {"VANTHU_DATABASE_URL": url})
        )
        yield stack.enter_context(httpx.Client(base_url=base, timeout=60)), url


def indexed_after_issue(url: str, document_id: int) -> bool:
    """Whether the server's drain (after the issue response) took the document into the index."""
    engine = sa.create_engine(url)
    try:
        for _ in range(100):
            with engine.connect() as conn:
                queued = conn.execute(sa.select(sa.func.count()).select_from(search_pending))
                row = conn.execute(
                    sa.select(search.c.number).where(search.c.document_id == document_id)
                )
                if queued.scalar_one() == 0 and row.first() is not None:
                    return True
            time.sleep(0.05)
        return False
    finally:
        engine.dispose()


def test_search_download_and_draft_visibility(server):
    client, url = server
    auth = {
        u: token(client, u)
        for u in ("drafter", "unit_head", "format_checker", "signer", "clerk", "archivist")
    }
    auth["drafter_tccb"] = token(client, "drafter_tccb")
    r = client.post("/documents", json=SEED_JSON, headers=auth["drafter"])
    assert r.status_code == 201, r.text
    doc, etag = r.json(), r.headers["ETag"]
    for user, action in STEPS:
        r = client.post(
            f"/documents/{doc['id']}/actions/{action}", headers={**auth[user], "If-Match": etag}
        )
        assert r.status_code == 200, r.text
        etag = r.headers["ETag"]
    issued = r.json()
    # Issue queued the document; the server indexed it after answering, before any search.
    assert indexed_after_issue(url, doc["id"])
    draft = client.post(
        "/documents",
        json={**SEED_JSON, "subject": "Dự thảo kết luận hội nghị"},
        headers=auth["drafter"],
    ).json()

    # The archivist finds the issued notice by words typed without accents …
    r = client.get(
        "/documents/search", params={"q": "ket luan hoi nghi", "issuer": "BGDDT"},
        headers=auth["archivist"],
    )  # fmt: skip
    assert r.status_code == 200, r.text
    page = r.json()
    hit = next(h for h in page["items"] if h["id"] == doc["id"])
    number_symbol = f"{issued['number']:02d}/TB-BGDĐT"
    assert hit["number_symbol"] == number_symbol and hit["state"] == "issued"
    marked = [hit["subject"][s:e] for s, e in hit["subject_highlights"]]
    assert marked == ["Kết", "luận", "Hội", "nghị"]
    assert draft["id"] not in {h["id"] for h in page["items"]}
    # … and by its number written as people write it
    for q in (number_symbol, f"số {issued['number']} TB-BGDĐT", f"so {issued['number']}/tb-bgddt"):
        r = client.get("/documents/search", params={"q": q}, headers=auth["archivist"])
        assert doc["id"] in [h["id"] for h in r.json()["items"]], (q, r.text)
    # the bulk-loaded documents were caught up on by the first search
    r = client.get("/documents/search", params={"q": "dao tao"}, headers=auth["archivist"])
    assert len(r.json()["items"]) == 20 and r.json()["next_cursor"]

    # The issued .docx of the hit, as frozen at issue.
    r = client.get(hit["file"], headers=auth["archivist"])
    assert r.status_code == 200 and r.headers["content-type"] == DOCX
    assert (
        r.content[:2] == b"PK" and r.headers["ETag"] == f'"{hashlib.sha256(r.content).hexdigest()}"'
    )

    # A drafter of another unit sees neither the draft nor it in any list; the issued one, yes.
    r = client.get(f"/documents/{draft['id']}", headers=auth["drafter_tccb"])
    assert_problem(r, 403, "forbidden")
    r = client.get(f"/documents/{draft['id']}/file", headers=auth["drafter_tccb"])
    assert_problem(r, 403, "forbidden")
    listed = {
        d["id"] for d in client.get("/documents", headers=auth["drafter_tccb"]).json()["items"]
    }
    assert draft["id"] not in listed and doc["id"] in listed
    assert client.get(f"/documents/{doc['id']}", headers=auth["drafter_tccb"]).status_code == 200
    # the archive begins at the number: the archivist reads the issued one, not the draft
    assert client.get(f"/documents/{doc['id']}", headers=auth["archivist"]).status_code == 200
    r = client.get(f"/documents/{draft['id']}", headers=auth["archivist"])
    assert_problem(r, 403, "forbidden")
    assert_problem(
        client.get(f"/documents/{draft['id']}/history", headers=auth["archivist"]), 403, "forbidden"
    )
    listed = {d["id"] for d in client.get("/documents", headers=auth["archivist"]).json()["items"]}
    assert draft["id"] not in listed and doc["id"] in listed
    # its own drafter and the unit still read it; nobody finds it by search
    assert client.get(f"/documents/{draft['id']}", headers=auth["drafter"]).status_code == 200
    assert client.get(f"/documents/{draft['id']}", headers=auth["unit_head"]).status_code == 200
    r = client.get("/documents/search", params={"q": "du thao"}, headers=auth["drafter"])
    assert draft["id"] not in {h["id"] for h in r.json()["items"]}


@pytest.fixture(scope="module")
def asgi(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('params') / 'p.sqlite3'}"
    prepare(url)
    app = demo_app(url)
    client = AsgiClient(app)
    yield client, token(client, "archivist")
    client.close()
    app.state.services.db.dispose()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2022-02-01", "date_to": "2022-01-01"}, "query.date_from"),
        ({"cursor": "bm90IGEgY3Vyc29y"}, "query.cursor"),
        ({"limit": 0}, "query.limit"),
        ({"limit": 1000}, "query.limit"),
        ({"type": "XYZ"}, "query.type"),
        ({"date_from": "yesterday"}, "query.date_from"),
        ({"q": "a b c d e f g h i j k l m"}, "query.q"),
    ],
)
def test_bad_parameters_are_named_problems(asgi, params, field):
    client, auth = asgi
    r = client.get("/documents/search", params=params, headers=auth)
    body = assert_problem(r, 422, r.json()["code"])
    assert field in [e["field"] for e in body["errors"]], body
