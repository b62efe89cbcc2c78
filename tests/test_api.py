"""The HTTP API in process (httpx ASGITransport) on a real SQLite file: tokens, drafts, ETag
and If-Match, Idempotency-Key, problem+json in both languages, files and their download names,
history, registers, the signer's "awaiting me" list, deliveries, directory and case files."""

from __future__ import annotations

import hashlib
import io
import itertools
import uuid
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta

import jwt
import openpyxl
import pytest
from docx import Document as Docx

from api.flow import filename

from .api_support import SEED_JSON, assert_problem, demo_app
from .docx_text import all_texts
from .engine_support import pg_database


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def app(request, tmp_path_factory):
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'api.sqlite3'}"
        else:
            url = stack.enter_context(pg_database(request.getfixturevalue("pg_url")))
        app = demo_app(url)
        yield app
        app.state.services.db.dispose()


def create(client, auth, content=SEED_JSON, user="drafter", **headers):
    r = client.post("/documents", json=content, headers={**auth[user], **headers})
    assert r.status_code == 201, r.text
    return r.json(), r.headers["ETag"]


def act(client, auth, doc_id, action, etag, user, **kwargs):
    headers = {**auth[user], "If-Match": etag, **kwargs.pop("headers", {})}
    return client.post(f"/documents/{doc_id}/actions/{action}", headers=headers, **kwargs)


def walk(client, auth, doc, etag, steps):
    for user, action in steps:
        r = act(client, auth, doc["id"], action, etag, user)
        assert r.status_code == 200, r.text
        doc, etag = r.json(), r.headers["ETag"]
    return doc, etag


TO_SIGNED = [
    ("drafter", "submit"),
    ("unit_head", "approve"),
    ("format_checker", "pass-format"),
    ("signer", "sign"),
]


# -- authentication --------------------------------------------------------------------------


def test_token_and_me(client, auth):
    r = client.get("/auth/me", headers=auth["signer"])
    assert r.status_code == 200
    assert r.json() == {
        "username": "signer",
        "full_name": "Trần Quang Nam",
        "roles": ["signer"],
        "unit_code": "VP",
        "issuer_code": "BGDĐT",
        "position_title": "CHÁNH VĂN PHÒNG",
    }
    r = client.post("/auth/token", data={"username": "clerk", "password": "vanthu-demo"})
    body = r.json()
    assert (body["token_type"], body["username"], body["roles"]) == ("bearer", "clerk", ["clerk"])
    assert body["expires_in"] == 3600


def test_wrong_password_and_unknown_user_are_the_same_401(client):
    for username in ("clerk", "nobody"):
        r = client.post("/auth/token", data={"username": username, "password": "wrong"})
        assert_problem(r, 401, "invalid_credentials")
        assert r.headers["www-authenticate"] == "Bearer"


def test_missing_bad_and_expired_tokens(client, app):
    assert_problem(client.get("/documents"), 401, "not_authenticated")
    bad = {"Authorization": "Bearer not-a-token"}
    assert_problem(client.get("/documents", headers=bad), 401, "invalid_token")
    secret = app.state.services.tokens.secret
    past = datetime.now(UTC) - timedelta(hours=2)
    old = jwt.encode(
        {"iss": "vanthu", "sub": "clerk", "roles": ["clerk"], "iat": past, "exp": past},
        secret,
        algorithm="HS256",
    )
    body = assert_problem(
        client.get("/documents", headers={"Authorization": f"Bearer {old}"}), 401, "invalid_token"
    )
    assert "expired" in body["message_en"]
    forged = jwt.encode(
        {
            "iss": "vanthu",
            "sub": "admin",
            "roles": ["clerk"],
            "exp": datetime.now(UTC) + timedelta(hours=1),
        },
        "another secret, at least thirty-two bytes long",
        algorithm="HS256",
    )
    assert_problem(
        client.get("/documents", headers={"Authorization": f"Bearer {forged}"}),
        401,
        "invalid_token",
    )


# -- drafts, ETag, If-Match --------------------------------------------------------------------


def test_create_assigns_the_signer_named_in_the_signature_and_returns_an_etag(client, auth):
    doc, etag = create(client, auth)
    assert etag == f'"{doc["id"]}-1"' == doc["etag"]
    assert (doc["state"], doc["version"], doc["signer"], doc["created_by"]) == (
        "draft",
        1,
        "signer",
        "drafter",
    )
    assert doc["symbol"] == "TB-BGDĐT" and doc["number"] is None
    assert doc["content"]["signature"]["authority"] == [
        {"prefix": "TL.", "title": "BỘ TRƯỞNG"},
        {"prefix": None, "title": "CHÁNH VĂN PHÒNG"},
    ]
    r = client.get(f"/documents/{doc['id']}", headers=auth["signer"])
    assert r.status_code == 200 and r.headers["ETag"] == etag and r.json() == doc
    r = client.get(f"/documents/{doc['id']}", headers={**auth["signer"], "If-None-Match": etag})
    assert r.status_code == 304 and r.headers["ETag"] == etag
    # The archive begins at the number: before issue the archivist does not see the draft.
    assert_problem(
        client.get(f"/documents/{doc['id']}", headers=auth["archivist"]), 403, "forbidden"
    )
    listed = client.get("/documents", headers=auth["archivist"]).json()["items"]
    assert doc["id"] not in [d["id"] for d in listed]


def test_invalid_content_names_the_fields(client, auth):
    content = {**SEED_JSON, "signature": {"authority": "GIÁM ĐỐC. X", "name": ""}}
    r = client.post("/documents", json=content, headers=auth["drafter"])
    body = assert_problem(r, 422, "request_invalid")
    fields = {e["field"] for e in body["errors"]}
    assert any(f.startswith("body.signature") for f in fields), fields
    assert "body.signature" in body["message_vi"] or "signature" in body["message_vi"]
    r = client.post(
        "/documents", json={**SEED_JSON, "doc_type": "no_such_type"}, headers=auth["drafter"]
    )
    body = assert_problem(r, 422, "request_invalid")
    assert [e["field"] for e in body["errors"]] == ["body.doc_type"]


def test_only_drafters_and_unit_heads_create(client, auth):
    before = client.get("/documents", headers=auth["admin"]).json()["items"]
    r = client.post("/documents", json=SEED_JSON, headers=auth["clerk"])
    body = assert_problem(r, 403, "forbidden")
    assert "clerk" in body["message_vi"]
    assert client.get("/documents", headers=auth["admin"]).json()["items"] == before


def test_patch_needs_if_match_and_refuses_a_stale_one(client, auth):
    doc, etag = create(client, auth)
    url = f"/documents/{doc['id']}"
    change = {"content": {"subject": "Kết luận của Thứ trưởng tại Hội nghị (sửa)"}}
    body = assert_problem(
        client.patch(url, json=change, headers=auth["drafter"]), 428, "precondition_required"
    )
    assert body["errors"][0]["field"] == "header.if-match"
    r = client.patch(url, json=change, headers={**auth["drafter"], "If-Match": etag})
    assert r.status_code == 200, r.text
    assert r.headers["ETag"] == f'"{doc["id"]}-2"'
    assert r.json()["content"]["subject"] == change["content"]["subject"]
    assert r.json()["content"]["body"] == doc["content"]["body"]  # merged, not replaced
    # The old ETag is stale now: 412, the current ETag in the answer, nothing changed.
    r = client.patch(
        url, json={"content": {"place": "Huế"}}, headers={**auth["drafter"], "If-Match": etag}
    )
    assert_problem(r, 412, "stale_version")
    assert r.headers["ETag"] == f'"{doc["id"]}-2"'
    assert client.get(url, headers=auth["drafter"]).json()["content"]["place"] == "Hà Nội"
    # An ETag of another document, or a weak one, never matches.
    for tag in ('"999-2"', f'W/"{doc["id"]}-2"', "garbage"):
        r = client.patch(url, json=change, headers={**auth["drafter"], "If-Match": tag})
        assert_problem(r, 412, "precondition_failed")
    assert_problem(
        client.patch(url, json=change, headers={**auth["drafter"], "If-Match": "*"}),
        428,
        "precondition_required",
    )


def test_patch_content_that_breaks_the_model_is_422_naming_the_field(client, auth):
    doc, etag = create(client, auth)
    r = client.patch(
        f"/documents/{doc['id']}",
        json={"content": {"urgency": "rất khẩn"}},
        headers={**auth["drafter"], "If-Match": etag},
    )
    body = assert_problem(r, 422, "invalid_content")
    assert [e["field"] for e in body["errors"]] == ["content.urgency"]
    assert "content.urgency" in body["message_vi"]
    r = client.patch(
        f"/documents/{doc['id']}",
        json={"signer": "clerk"},
        headers={**auth["drafter"], "If-Match": etag},
    )
    body = assert_problem(r, 422, "guard_failed")
    assert body["errors"][0]["rule"] == "signer_assigned"
    assert client.get(f"/documents/{doc['id']}", headers=auth["drafter"]).json()["version"] == 1


def test_an_edit_after_approval_voids_it(client, auth):
    doc, etag = create(client, auth)
    doc, etag = walk(client, auth, doc, etag, TO_SIGNED[:2])
    assert [a["current"] for a in doc["approvals"]] == [True]
    r = act(
        client, auth, doc["id"], "return", etag, "format_checker", json={"comment": "Sửa trích yếu"}
    )
    assert r.status_code == 200 and r.json()["state"] == "draft"
    etag = r.headers["ETag"]
    r = client.patch(
        f"/documents/{doc['id']}",
        json={"content": {"subject": "Kết luận (đã sửa)"}},
        headers={**auth["drafter"], "If-Match": etag},
    )
    assert r.status_code == 200
    assert r.json()["approvals"] == []  # the approval was for the old content: void


# -- transitions -------------------------------------------------------------------------------


def test_guards_wrong_state_and_unknown_actions(client, auth):
    doc, etag = create(client, auth)
    body = assert_problem(
        act(client, auth, doc["id"], "approve", etag, "unit_head"), 409, "wrong_state"
    )
    assert "duyệt" in body["message_vi"]
    doc, etag = walk(client, auth, doc, etag, TO_SIGNED[:1])
    body = assert_problem(
        act(client, auth, doc["id"], "return", etag, "unit_head"), 422, "guard_failed"
    )
    assert body["errors"] == [
        {"field": "body.comment", "rule": "comment", "message": body["errors"][0]["message"]}
    ]
    assert "comment" in body["message_vi"] and "lý do" in body["message_vi"]
    body = assert_problem(
        act(client, auth, doc["id"], "publish", etag, "unit_head"), 422, "request_invalid"
    )
    assert body["errors"][0]["field"] == "path.action"
    r = client.get(f"/documents/{doc['id']}", headers=auth["unit_head"])
    assert (r.json()["state"], r.json()["version"]) == ("in_review", 2)
    assert_problem(
        act(client, auth, 987654, "approve", '"987654-1"', "unit_head"), 404, "not_found"
    )


def test_the_seed_goes_through_the_whole_workflow(client, auth):
    doc, etag = create(client, auth)
    doc, etag = walk(
        client,
        auth,
        doc,
        etag,
        [*TO_SIGNED, ("clerk", "issue"), ("clerk", "dispatch"), ("clerk", "archive")],
    )
    assert doc["state"] == "archived" and doc["version"] == 8
    assert doc["number_symbol"] == f"{doc['number']:02d}/TB-BGDĐT"
    history = client.get(f"/documents/{doc['id']}/history", headers=auth["archivist"]).json()
    assert [(h["seq"], h["action"], h["actor"], h["to_state"]) for h in history] == [
        (1, "create", "drafter", "draft"),
        (2, "submit", "drafter", "in_review"),
        (3, "approve", "unit_head", "format_check"),
        (4, "pass-format", "format_checker", "awaiting_signature"),
        (5, "sign", "signer", "signed"),
        (6, "issue", "clerk", "issued"),
        (7, "dispatch", "clerk", "dispatched"),
        (8, "archive", "clerk", "archived"),
    ]
    assert all(h["prev_hash"] == p["hash"] for p, h in itertools.pairwise(history))


def test_recall_needs_a_reason(client, auth):
    doc, etag = create(client, auth)
    doc, etag = walk(client, auth, doc, etag, [*TO_SIGNED, ("clerk", "issue")])
    body = assert_problem(
        act(client, auth, doc["id"], "recall", etag, "clerk"), 422, "guard_failed"
    )
    assert body["errors"][0]["rule"] == "reason"
    r = act(client, auth, doc["id"], "recall", etag, "clerk", json={"comment": "Sai nội dung"})
    assert r.status_code == 200 and r.json()["state"] == "recalled"
    history = client.get(f"/documents/{doc['id']}/history", headers=auth["clerk"]).json()
    assert history[-1]["comment"] == "Sai nội dung"


# -- Idempotency-Key -------------------------------------------------------------------------


def test_a_retried_transition_replays_the_first_response(client, auth):
    doc, etag = create(client, auth)
    key = str(uuid.uuid4())
    first = act(
        client, auth, doc["id"], "submit", etag, "drafter", headers={"Idempotency-Key": key}
    )
    again = act(
        client, auth, doc["id"], "submit", etag, "drafter", headers={"Idempotency-Key": key}
    )
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    history = client.get(f"/documents/{doc['id']}/history", headers=auth["drafter"]).json()
    assert [h["action"] for h in history] == ["create", "submit"]
    # Without the key the same retry is a real second request: the ETag is stale now.
    assert_problem(act(client, auth, doc["id"], "submit", etag, "drafter"), 412, "stale_version")


def test_a_key_reused_with_another_body_or_path_is_refused(client, auth):
    key = str(uuid.uuid4())
    doc, _ = create(client, auth, **{"Idempotency-Key": key})
    replay = client.post(
        "/documents", json=SEED_JSON, headers={**auth["drafter"], "Idempotency-Key": key}
    )
    assert replay.status_code == 201 and replay.json()["id"] == doc["id"]
    assert replay.headers["location"] == f"/documents/{doc['id']}"
    other = {**SEED_JSON, "subject": "Một trích yếu khác"}
    r = client.post("/documents", json=other, headers={**auth["drafter"], "Idempotency-Key": key})
    body = assert_problem(r, 422, "idempotency_key_reused")
    assert body["errors"][0]["field"] == "header.idempotency-key"
    r = act(
        client, auth, doc["id"], "submit", doc["etag"], "drafter", headers={"Idempotency-Key": key}
    )
    assert_problem(r, 422, "idempotency_key_reused")
    # Keys belong to a user: the unit head may use the same key for their own request.
    r = client.post(
        "/documents", json=SEED_JSON, headers={**auth["unit_head"], "Idempotency-Key": key}
    )
    assert r.status_code == 201 and r.json()["id"] != doc["id"]
    bad = client.post(
        "/documents", json=SEED_JSON, headers={**auth["drafter"], "Idempotency-Key": "a b"}
    )
    assert_problem(bad, 422, "invalid_idempotency_key")


def test_keyed_requests_to_odd_paths_are_refused_cleanly(client, auth):
    # The key's fingerprint keeps the target as sent: a NUL or a long path never reaches SQL.
    headers = {**auth["clerk"], "Idempotency-Key": str(uuid.uuid4())}
    r = client.post("/casefiles/%00/documents", json={"document_id": 1}, headers=headers)
    assert_problem(r, 422, "request_invalid")
    headers = {**auth["clerk"], "Idempotency-Key": str(uuid.uuid4())}
    r = client.post("/documents?x=" + "é" * 3000, json=SEED_JSON, headers=headers)
    assert_problem(r, 403, "forbidden")


def test_a_retry_while_the_first_request_runs_is_409(client, auth, app):
    doc, etag = create(client, auth)
    key = str(uuid.uuid4())
    path = f"/documents/{doc['id']}/actions/submit"
    # The first request has claimed the key (as the middleware does before the route runs).
    db = app.state.services.db
    now = datetime.now(UTC)
    with db.uow() as uow:
        claim = uow.idempotency.claim(
            "drafter",
            key,
            method="POST",
            path=path,
            body_sha256=hashlib.sha256(b"").hexdigest(),
            now=now,
            abandoned_before=now - timedelta(minutes=2),
            expired_before=now - timedelta(hours=24),
        )
        uow.commit()
    assert claim.outcome == "new"
    r = act(client, auth, doc["id"], "submit", etag, "drafter", headers={"Idempotency-Key": key})
    assert_problem(r, 409, "idempotency_in_progress")
    assert client.get(f"/documents/{doc['id']}", headers=auth["drafter"]).json()["state"] == "draft"


# -- errors ----------------------------------------------------------------------------------


def test_unknown_routes_methods_and_unexpected_errors_are_problems(client, auth, app):
    assert_problem(client.get("/nowhere", headers=auth["clerk"]), 404, "not_found")
    assert_problem(client.get("/documents/nowhere", headers=auth["clerk"]), 404, "not_found")
    assert_problem(
        client.request("DELETE", "/documents/1", headers=auth["clerk"]), 405, "method_not_allowed"
    )

    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("internal detail that must not leak")

    r = client.get("/boom-for-test")
    body = assert_problem(r, 500, "internal_error")
    assert body["incident"] and body["incident"] in body["message_en"]
    assert "internal detail" not in r.text


def test_nul_characters_are_refused_before_the_database(client, auth):
    content = {**SEED_JSON, "subject": "Kết luận\x00"}
    body = assert_problem(
        client.post("/documents", json=content, headers=auth["drafter"]), 422, "request_invalid"
    )
    assert body["errors"][0]["field"] == "body.subject"


# -- files -----------------------------------------------------------------------------------


def test_draft_and_issued_files_with_vietnamese_download_names(client, auth):
    doc, etag = create(client, auth)
    r = client.get(
        f"/documents/{doc['id']}/file", params={"format": "docx"}, headers=auth["drafter"]
    )
    assert r.status_code == 200
    assert r.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    disposition = r.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="Du thao Thong bao TB-BGDDT.docx"; ')
    assert filename(disposition) == "Dự thảo Thông báo TB-BGDĐT.docx"
    assert any(t.startswith("Số:") and t.endswith("/TB-BGDĐT") for t in all_texts(r.content))
    assert Docx(io.BytesIO(r.content)).paragraphs
    assert_problem(
        client.get(
            f"/documents/{doc['id']}/file", params={"kind": "issued"}, headers=auth["drafter"]
        ),
        404,
        "not_found",
    )
    doc, etag = walk(client, auth, doc, etag, [*TO_SIGNED, ("clerk", "issue")])
    r = client.get(f"/documents/{doc['id']}/file", headers=auth["archivist"])
    day = datetime.fromisoformat(doc["issued_date"])
    number = f"{doc['number']:02d}"
    assert filename(r.headers["content-disposition"]) == (
        f"Thông báo {number}-TB-BGDĐT ngày {day:%d-%m-%Y}.docx"
    )
    assert (
        f'filename="Thong bao {number}-TB-BGDDT ngay {day:%d-%m-%Y}.docx"'
        in r.headers["content-disposition"]
    )
    assert hashlib.sha256(r.content).hexdigest() == doc["issued_sha256"]
    assert r.headers["ETag"] == f'"{doc["issued_sha256"]}"'
    assert f"Số: {number}/TB-BGDĐT" in all_texts(r.content)
    assert Docx(io.BytesIO(r.content)).paragraphs
    assert_problem(
        client.get(
            f"/documents/{doc['id']}/file", params={"format": "pdf"}, headers=auth["archivist"]
        ),
        422,
        "request_invalid",
    )


# -- who waits for what --------------------------------------------------------------------------


def test_awaiting_me_lists_what_awaits_the_signer(client, auth):
    doc, etag = create(client, auth)
    doc, etag = walk(client, auth, doc, etag, TO_SIGNED[:3])
    mine = client.get("/documents", params={"awaiting": "me"}, headers=auth["signer"]).json()
    assert doc["id"] in [d["id"] for d in mine["items"]]
    assert {d["state"] for d in mine["items"]} == {"awaiting_signature"}
    clerk = client.get("/documents", params={"awaiting": "me"}, headers=auth["clerk"]).json()
    assert doc["id"] not in [d["id"] for d in clerk["items"]]
    doc, etag = walk(client, auth, doc, etag, TO_SIGNED[3:])
    mine = client.get("/documents", params={"awaiting": "me"}, headers=auth["signer"]).json()
    assert doc["id"] not in [d["id"] for d in mine["items"]]
    clerk = client.get("/documents", params={"awaiting": "me"}, headers=auth["clerk"]).json()
    assert doc["id"] in [d["id"] for d in clerk["items"] if d["state"] == "signed"]
    admin = client.get("/documents", params={"awaiting": "me"}, headers=auth["admin"]).json()
    assert admin["items"] == []


def test_listing_pages_newest_first(client, auth):
    ids = [create(client, auth)[0]["id"] for _ in range(3)]
    page = client.get(
        "/documents", params={"limit": 2, "state": "draft"}, headers=auth["clerk"]
    ).json()
    assert [d["id"] for d in page["items"]] == sorted(
        page_ids := [d["id"] for d in page["items"]], reverse=True
    )
    assert page_ids[0] == ids[-1] and page["next_before"] == page_ids[-1]
    rest = client.get(
        "/documents",
        params={"limit": 2, "state": "draft", "before": page["next_before"]},
        headers=auth["clerk"],
    ).json()
    assert all(d["id"] < page["next_before"] for d in rest["items"])


# -- registers, deliveries, directory, case files ----------------------------------------------


@pytest.fixture(scope="module")
def issued(client, auth):
    doc, etag = create(client, auth)
    return walk(client, auth, doc, etag, [*TO_SIGNED, ("clerk", "issue"), ("clerk", "dispatch")])


def test_registers(client, auth, issued):
    doc, _ = issued
    year = datetime.fromisoformat(doc["issued_date"]).year
    series = client.get("/registers", headers=auth["archivist"]).json()
    assert {"slug": "BGDĐT-VB", "series": "BGDĐT/VB", "register_code": "VB"}.items() <= series[
        0
    ].items()
    assert year in series[0]["years"]
    r = client.get(f"/registers/BGDĐT-VB/{year}", headers=auth["archivist"])
    body = r.json()
    assert body["columns"][0] == "Số, ký hiệu văn bản" and len(body["columns"]) == 10
    row = next(row for row in body["rows"] if row["number_symbol"] == doc["number_symbol"])
    assert row["signer"] == "Trần Quang Nam" and row["archive"] == "VT, VP"
    expected = {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv": "text/csv; charset=utf-8",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    for fmt, media in expected.items():
        r = client.get(f"/registers/BGDĐT-VB/{year}", params={"format": fmt}, headers=auth["clerk"])
        assert r.status_code == 200 and r.headers["content-type"] == media
        assert (
            filename(r.headers["content-disposition"])
            == f"Sổ đăng ký văn bản đi BGDĐT-VB {year}.{fmt}"
        )
    r = client.get(f"/registers/BGDĐT-VB/{year}", params={"format": "xlsx"}, headers=auth["clerk"])
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert doc["number_symbol"] in [c.value for c in sheet["A"]]
    assert_problem(
        client.get(f"/registers/BGDĐT-XYZ/{year}", headers=auth["clerk"]), 404, "not_found"
    )
    assert_problem(
        client.get(f"/registers/VB/{year}", headers=auth["clerk"]), 422, "request_invalid"
    )


def test_deliveries(client, auth, issued):
    doc, _ = issued
    items = client.get(f"/documents/{doc['id']}/deliveries", headers=auth["archivist"]).json()
    assert len(items) > 60 and {d["document_id"] for d in items} == {doc["id"]}
    queued = next(d for d in items if d["status"] == "queued")
    url = f"/documents/{doc['id']}/deliveries/{queued['id']}"
    assert_problem(
        client.patch(url, json={"status": "sent"}, headers=auth["drafter"]), 403, "forbidden"
    )
    body = assert_problem(
        client.patch(url, json={"status": "failed"}, headers=auth["clerk"]),
        422,
        "invalid_delivery_status",
    )
    assert "error" in body["message_en"]
    r = client.patch(url, json={"status": "sent"}, headers=auth["clerk"])
    assert r.status_code == 200 and r.json()["status"] == "sent"
    r = client.patch(url, json={"status": "received"}, headers=auth["clerk"])
    assert r.json()["status"] == "received" and r.json()["received_at"]
    assert_problem(
        client.patch(url, json={"status": "queued"}, headers=auth["clerk"]),
        422,
        "invalid_delivery_status",
    )
    other = f"/documents/{doc['id'] + 100000}/deliveries/{queued['id']}"
    assert_problem(
        client.patch(other, json={"status": "sent"}, headers=auth["clerk"]), 404, "not_found"
    )


def test_directory_lookups_and_admin_reload(client, auth):
    counts = client.get("/directory", headers=auth["clerk"]).json()
    assert counts["organisations"] >= 64 and counts["groups"] >= 1
    orgs = client.get("/directory/organisations", headers=auth["clerk"]).json()
    bgddt = next(o for o in orgs if o["code"] == "BGDĐT")
    assert any(u["code"] == "VP" for u in bgddt["units"])
    units = client.get("/directory/units", headers=auth["clerk"]).json()
    assert any(u["organisation"] == bgddt["id"] and u["code"] == "VP" for u in units)
    positions = client.get("/directory/positions", headers=auth["clerk"]).json()
    assert any(p["id"] == "bgddt.bo-truong" for p in positions)
    groups = client.get("/directory/groups", headers=auth["clerk"]).json()
    sgddt = next(g for g in groups if g["id"] == "cac-sgddt-2021")
    assert len(sgddt["receivers"]) == 63
    entry = client.get("/directory/entries/bgddt.bo-truong", headers=auth["clerk"]).json()
    assert entry["kind"] == "position" and entry["organisation"] == bgddt["id"]
    found = client.get(
        "/directory/find", params={"name": "Bộ Giáo dục và Đào tạo"}, headers=auth["clerk"]
    )
    assert found.json()["id"] == bgddt["id"]
    assert_problem(
        client.get("/directory/entries/no.such", headers=auth["clerk"]),
        404,
        "unknown_directory_entry",
    )
    assert_problem(client.post("/directory/load", headers=auth["clerk"]), 403, "forbidden")
    r = client.post("/directory/load", headers=auth["admin"])
    assert r.status_code == 200 and r.json() == counts
    assert_problem(
        client.put(
            "/directory",
            json={"groups": [{"id": "g", "name": "G", "members": ["x"]}]},
            headers=auth["admin"],
        ),
        422,
        "invalid_directory",
    )
    assert client.get("/directory", headers=auth["clerk"]).json() == counts


def test_case_files(client, auth, issued):
    doc, _ = issued
    year = datetime.fromisoformat(doc["issued_date"]).year
    new = {
        "issuer_code": "BGDĐT",
        "year": year,
        "heading": "VP",
        "title": "Hồ sơ hội nghị công tác văn phòng",
        "retention": "Vĩnh viễn",
        "owner": "Vũ Thị Mai",
    }
    assert_problem(client.post("/casefiles", json=new, headers=auth["drafter"]), 403, "forbidden")
    r = client.post("/casefiles", json=new, headers=auth["archivist"])
    assert r.status_code == 201, r.text
    case_file = r.json()
    assert (
        case_file["code"].endswith(".VP")
        and r.headers["location"] == f"/casefiles/{case_file['id']}"
    )
    r = client.post(
        f"/casefiles/{case_file['id']}/documents",
        json={"document_id": doc["id"]},
        headers=auth["archivist"],
    )
    assert r.json() == {"case_file_id": case_file["id"], "document_id": doc["id"], "ordinal": 1}
    draft, _ = create(client, auth)
    r = client.post(
        f"/casefiles/{case_file['id']}/documents",
        json={"document_id": draft["id"]},
        headers=auth["archivist"],
    )
    assert_problem(r, 422, "case_file_error")
    listed = client.get(
        "/casefiles", params={"issuer": "BGDĐT", "year": year}, headers=auth["clerk"]
    ).json()
    assert case_file["id"] in [f["id"] for f in listed]
    r = client.get(f"/casefiles/{case_file['id']}/package", headers=auth["archivist"])
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert (
        filename(r.headers["content-disposition"]) == f"Hồ sơ {case_file['code']} BGDĐT {year}.zip"
    )
    from workflow.handover import verify_package

    assert verify_package(r.content) == []


def test_openapi_documents_problems_and_headers(client):
    schema = client.get("/openapi.json").json()
    act = schema["paths"]["/documents/{document_id}/actions/{action}"]["post"]
    names = {p["name"] for p in act["parameters"]}
    assert {"If-Match", "Idempotency-Key", "document_id", "action"} <= names
    assert set(act["responses"]["412"]["content"]) == {"application/problem+json"}
    assert set(act["responses"]["428"]["content"]) == {"application/problem+json"}
    assert "oauth2" in str(schema["components"]["securitySchemes"]).lower()


def test_a_verified_token_is_refused_once_it_expires():
    """Tokens are verified once per server process, but their expiry is checked every time."""
    import time

    from api.auth import Tokens
    from api.problems import ProblemError
    from workflow.users import User

    tokens = Tokens("a secret of at least thirty-two bytes for HS256", minutes=60)
    user = User("clerk", "Vũ Thị Mai", frozenset({"clerk"}), "VP", "BGDĐT", "văn thư")
    soon = datetime.now(UTC) - timedelta(minutes=60) + timedelta(seconds=1.5)
    token, _ = tokens.issue(user, now=soon)
    assert tokens.actor(token).username == "clerk"
    assert tokens.actor(token).username == "clerk"  # from what was verified
    exp = jwt.decode(token, options={"verify_signature": False})["exp"]
    time.sleep(max(0.0, exp - time.time()) + 0.05)
    with pytest.raises(ProblemError) as refused:
        tokens.actor(token)
    assert "expired" in refused.value.message_en
    assert Tokens(tokens.secret).username(f"Bearer {token}") is None
