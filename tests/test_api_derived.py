"""Replacement, correction and signer reassignment over HTTP (in process, real SQLite file;
one test on PostgreSQL): new drafts linked both ways, If-Match and Idempotency-Key as for the
other actions, the table's refusals as problems, and "awaiting me" following the signer."""

from __future__ import annotations

import uuid

import pytest

from .api_support import (
    CONG_VAN_JSON,
    SEED_JSON,
    TO_SIGNATURE,
    AsgiClient,
    assert_problem,
    demo_app,
    token,
    tokens,
)
from .engine_support import ACTORS, bulk_signed, pg_database

CONG_VAN = CONG_VAN_JSON
REPLACEMENT = {**SEED_JSON, "subject": "Kết luận của Thứ trưởng tại Hội nghị (thay thế)"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = demo_app(f"sqlite:///{tmp_path_factory.mktemp('derived') / 'derived.sqlite3'}")
    yield app
    app.state.services.db.dispose()


def issued(app, *then: str) -> tuple[int, str]:
    """A document issued (and then dispatched…) through the engine's table; id and ETag."""
    engine = app.state.services.engine
    (doc_id,) = bulk_signed(engine, 1)
    for action in ("issue", *then):
        doc = engine.act(ACTORS["clerk"], doc_id, action)
    return doc_id, f'"{doc_id}-{doc.version}"'


def derive(client, auth, doc_id, how, etag, content, user="drafter", **headers):
    headers = {**auth[user], "If-Match": etag, **headers}
    return client.post(f"/documents/{doc_id}/{how}", json=content, headers=headers)


def walk(client, auth, doc_id, etag, steps):
    for user, action in steps:
        comment = {"comment": "Đề nghị chuyển người ký"} if action == "return" else None
        r = client.post(
            f"/documents/{doc_id}/actions/{action}",
            json=comment,
            headers={**auth[user], "If-Match": etag},
        )
        assert r.status_code == 200, r.text
        etag = r.headers["ETag"]
    return etag


def test_replace_makes_a_linked_draft_and_leaves_the_original(client, auth, app):
    original, etag = issued(app)
    url = f"/documents/{original}"
    before = client.get(url, headers=auth["drafter"]).json()
    assert "linked_by" not in before  # left out while nothing links to it
    r = client.post(f"{url}/replace", json=REPLACEMENT, headers=auth["drafter"])
    assert_problem(r, 428, "precondition_required")
    assert_problem(
        derive(client, auth, original, "replace", f'"{original + 1}-1"', REPLACEMENT),
        412,
        "precondition_failed",
    )
    stale = f'"{original}-{before["version"] - 1}"'
    assert_problem(
        derive(client, auth, original, "replace", stale, REPLACEMENT), 412, "stale_version"
    )

    key = str(uuid.uuid4())
    r = derive(client, auth, original, "replace", etag, REPLACEMENT, **{"Idempotency-Key": key})
    assert r.status_code == 201, r.text
    new = r.json()
    assert r.headers["Location"] == f"/documents/{new['id']}"
    assert r.headers["ETag"] == f'"{new["id"]}-1"'
    assert (new["state"], new["links"], new["signer"]) == (
        "draft",
        {"replaces": original},
        "signer",
    )
    assert new["content"]["subject"] == REPLACEMENT["subject"]
    # A retry with the same key gets the same answer and makes no second document.
    again = derive(client, auth, original, "replace", etag, REPLACEMENT, **{"Idempotency-Key": key})
    assert again.headers["idempotent-replayed"] == "true" and again.json() == new
    other = {**REPLACEMENT, "subject": "Một trích yếu khác"}
    reused = derive(client, auth, original, "replace", etag, other, **{"Idempotency-Key": key})
    assert_problem(reused, 422, "idempotency_key_reused")

    after = client.get(url, headers={**auth["clerk"], "If-None-Match": etag})
    assert after.status_code == 200  # linked since it was read: sent whole, not 304
    after = after.json()
    assert after["linked_by"] == {"replaces": [new["id"]]}
    assert {k: v for k, v in after.items() if k != "linked_by"} == before  # untouched
    shown = client.get(f"/documents/{new['id']}", headers=auth["clerk"]).json()
    assert shown["links"] == {"replaces": original} and "linked_by" not in shown
    history = client.get(f"/documents/{new['id']}/history", headers=auth["clerk"]).json()
    assert history[0]["comment"] == f"replaces document {original}"


def test_correct_takes_a_cong_van_and_links_it(client, auth, app):
    original, etag = issued(app, "dispatch")
    r = derive(client, auth, original, "correct", etag, SEED_JSON, user="unit_head")
    problem = assert_problem(r, 422, "guard_failed")
    assert problem["errors"][0]["rule"] == "correction_form"
    assert "công văn" in problem["message_vi"] and "đính chính" in problem["message_vi"]
    r = derive(client, auth, original, "correct", etag, CONG_VAN, user="unit_head")
    assert r.status_code == 201, r.text
    correction = r.json()
    assert correction["links"] == {"corrects": original} and correction["created_by"] == "unit_head"
    assert correction["content"]["doc_type"] == "cong_van" and correction["signer"] is None
    r = derive(client, auth, original, "replace", etag, REPLACEMENT)
    assert r.status_code == 201, r.text
    shown = client.get(f"/documents/{original}", headers=auth["archivist"]).json()
    assert shown["state"] == "dispatched"
    assert shown["linked_by"] == {"corrects": [correction["id"]], "replaces": [r.json()["id"]]}


def test_the_table_refuses_replacing_drafts_by_clerks_or_in_another_form(client, auth, app):
    original, etag = issued(app)
    problem = assert_problem(
        derive(client, auth, original, "replace", etag, CONG_VAN), 422, "guard_failed"
    )
    assert problem["errors"][0]["rule"] == "same_form"
    problem = assert_problem(
        derive(client, auth, original, "replace", etag, REPLACEMENT, "clerk"), 403, "forbidden"
    )
    assert "clerk" in problem["message_vi"] and "thay thế" in problem["message_vi"]
    r = client.post("/documents", json=SEED_JSON, headers=auth["drafter"])
    draft, draft_tag = r.json()["id"], r.headers["ETag"]
    for how in ("replace", "correct"):
        content = REPLACEMENT if how == "replace" else CONG_VAN
        assert_problem(derive(client, auth, draft, how, draft_tag, content), 409, "wrong_state")
    assert_problem(
        derive(client, auth, 999999, "replace", '"999999-1"', REPLACEMENT), 404, "not_found"
    )
    bad = {**REPLACEMENT, "doc_type": "no_such_type"}
    problem = assert_problem(
        derive(client, auth, original, "replace", etag, bad), 422, "request_invalid"
    )
    assert [e["field"] for e in problem["errors"]] == ["body.doc_type"]
    shown = client.get(f"/documents/{original}", headers=auth["clerk"]).json()
    assert "linked_by" not in shown and shown["version"] == int(etag.strip('"').split("-")[1])


def test_awaiting_me_follows_a_reassigned_signer(client, auth):
    r = client.put(
        "/users/deputy",
        json={
            "full_name": "Nguyễn Văn Bình",
            "roles": ["signer"],
            "unit_code": "VP",
            "issuer_code": "BGDĐT",
            "position_title": "PHÓ CHÁNH VĂN PHÒNG",
            "password": "mat-khau-deputy",
        },
        headers=auth["admin"],
    )
    assert r.status_code in (200, 201), r.text
    deputy = token(client, "deputy", "mat-khau-deputy")

    def awaiting(headers):
        r = client.get("/documents", params={"awaiting": "me"}, headers=headers)
        return [d["id"] for d in r.json()["items"]]

    r = client.post("/documents", json=SEED_JSON, headers=auth["drafter"])
    doc_id, etag = r.json()["id"], r.headers["ETag"]
    assert r.json()["signer"] == "signer"
    etag = walk(client, auth, doc_id, etag, TO_SIGNATURE)
    assert doc_id in awaiting(auth["signer"]) and doc_id not in awaiting(deputy)
    # Awaiting signature it cannot be reassigned; returned to draft it can.
    url = f"/documents/{doc_id}"
    r = client.patch(url, json={"signer": "deputy"}, headers={**auth["drafter"], "If-Match": etag})
    assert_problem(r, 409, "wrong_state")
    etag = walk(client, auth, doc_id, etag, [("signer", "return")])
    r = client.patch(url, json={"signer": "deputy"}, headers={**auth["drafter"], "If-Match": etag})
    assert r.status_code == 200 and r.json()["signer"] == "deputy", r.text
    bad = client.patch(
        url, json={"signer": "clerk"}, headers={**auth["drafter"], "If-Match": r.headers["ETag"]}
    )
    assert_problem(bad, 422, "guard_failed")
    etag = walk(client, auth, doc_id, r.headers["ETag"], TO_SIGNATURE)
    assert doc_id in awaiting(deputy) and doc_id not in awaiting(auth["signer"])
    history = client.get(f"{url}/history", headers=deputy).json()
    assert [(h["action"], h["comment"]) for h in history if h["action"] == "assign"] == [
        ("assign", "deputy")
    ]


@pytest.mark.postgres
def test_replace_and_correct_on_postgresql(pg_url):
    with pg_database(pg_url) as url:
        app = demo_app(url)
        client = AsgiClient(app)
        try:
            auth = tokens(client, ("drafter", "clerk"))
            original, etag = issued(app)
            replaced = derive(client, auth, original, "replace", etag, REPLACEMENT)
            corrected = derive(client, auth, original, "correct", etag, CONG_VAN)
            assert replaced.status_code == corrected.status_code == 201, corrected.text
            shown = client.get(f"/documents/{original}", headers=auth["clerk"]).json()
            assert shown["linked_by"] == {
                "replaces": [replaced.json()["id"]],
                "corrects": [corrected.json()["id"]],
            }
            assert shown["state"] == "issued" and f'"{original}-{shown["version"]}"' == etag
        finally:
            client.close()
            app.state.services.db.dispose()
