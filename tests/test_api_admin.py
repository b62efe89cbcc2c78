"""Users and delegations over HTTP (in process, real SQLite file; one test on PostgreSQL):
only admin lists and changes them, passwords are hashed and work at login, delegation rules
reach the client as problems naming field and rule, and a revoked delegation signs nothing."""

from __future__ import annotations

import uuid

import pytest

from api.demo_world import DEMO_PASSWORD

from .api_support import (
    SEED_JSON,
    TO_SIGNATURE,
    AsgiClient,
    assert_problem,
    demo_app,
    token,
    tokens,
)
from .engine_support import pg_database

OTHERS = ("drafter", "unit_head", "format_checker", "signer", "clerk", "archivist")
DEPUTY = {
    "full_name": "Nguyễn  Văn Bình",  # stored collapsed and NFC, as ô 7 prints it
    "roles": ["signer"],
    "unit_code": "VP",
    "issuer_code": "BGDĐT",
    "position_title": "phó chánh văn phòng",  # stored in capitals
}
DEPUTY_SIGNS = {
    **SEED_JSON,
    "signature": {"authority": "TL. BỘ TRƯỞNG / PHÓ CHÁNH VĂN PHÒNG", "name": "Nguyễn Văn Bình"},
}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = demo_app(f"sqlite:///{tmp_path_factory.mktemp('admin') / 'admin.sqlite3'}")
    yield app
    app.state.services.db.dispose()


def put_user(client, auth, username, body, user="admin"):
    return client.put(f"/users/{username}", json=body, headers=auth[user])


def grant(client, auth, user="admin", **body):
    headers = {**auth[user], "Idempotency-Key": str(uuid.uuid4())}
    return client.post("/delegations", json=body, headers=headers)


def walk(client, auth, doc_id, etag, steps):
    for user, action in steps:
        r = client.post(
            f"/documents/{doc_id}/actions/{action}", headers={**auth[user], "If-Match": etag}
        )
        assert r.status_code == 200, r.text
        etag = r.headers["ETag"]
    return etag


def test_only_admin_lists_or_changes_users_and_delegations(client, auth):
    users = client.get("/users", headers=auth["admin"]).json()
    delegations = client.get("/delegations", headers=auth["admin"]).json()
    assert [d["grantee"] for d in delegations] == ["signer"]
    for user in OTHERS:
        for r in (
            client.get("/users", headers=auth[user]),
            put_user(client, auth, "intruder", {**DEPUTY, "roles": ["admin"]}, user),
            put_user(client, auth, user, {**DEPUTY, "roles": ["admin"]}, user),
            client.get("/delegations", headers=auth[user]),
            grant(
                client,
                auth,
                user,
                grantee=user,
                authority="TL. BỘ TRƯỞNG",
                valid_from="2021-01-01",
                granted_by="BỘ TRƯỞNG",
            ),
            client.post(f"/delegations/{delegations[0]['id']}/revoke", headers=auth[user]),
        ):
            body = assert_problem(r, 403, "forbidden")
            assert user in body["message_vi"] and "admin" in body["message_en"]
    # Nothing changed: the same users (no intruder, nobody promoted), the same delegations.
    assert client.get("/users", headers=auth["admin"]).json() == users
    assert client.get("/delegations", headers=auth["admin"]).json() == delegations
    assert client.get("/users").status_code == 401


def test_admin_creates_a_user_who_logs_in_and_resets_the_password(client, auth):
    r = put_user(client, auth, "deputy1", {**DEPUTY, "password": "mat-khau-1"})
    assert r.status_code == 201, r.text
    assert r.headers["Location"] == "/users/deputy1"
    assert r.json() == {
        "username": "deputy1",
        "full_name": "Nguyễn Văn Bình",
        "roles": ["signer"],
        "unit_code": "VP",
        "issuer_code": "BGDĐT",
        "position_title": "PHÓ CHÁNH VĂN PHÒNG",
    }
    me = client.get("/auth/me", headers=token(client, "deputy1", "mat-khau-1")).json()
    assert (me["username"], me["roles"]) == ("deputy1", ["signer"])
    # Updated without a password: 200, the password is kept; with one: the old one stops working.
    r = put_user(client, auth, "deputy1", {**DEPUTY, "roles": ["signer", "unit_head"]})
    assert r.status_code == 200 and r.json()["roles"] == ["signer", "unit_head"]
    assert "Location" not in r.headers
    token(client, "deputy1", "mat-khau-1")
    r = put_user(client, auth, "deputy1", {**DEPUTY, "password": "mat-khau-2"})
    assert r.status_code == 200
    refused = client.post("/auth/token", data={"username": "deputy1", "password": "mat-khau-1"})
    assert_problem(refused, 401, "invalid_credentials")
    me = client.get("/auth/me", headers=token(client, "deputy1", "mat-khau-2")).json()
    assert me["roles"] == ["signer"]
    listed = {u["username"]: u for u in client.get("/users", headers=auth["admin"]).json()}
    assert listed["deputy1"]["roles"] == ["signer"] and listed["signer"]["roles"] == ["signer"]
    assert "password_hash" not in listed["deputy1"]


def test_user_bodies_are_checked_field_by_field(client, auth):
    cases = {
        "body.roles.0": {**DEPUTY, "roles": ["minister"]},
        "body.password": {**DEPUTY, "password": "short"},
        "body.unit_code": {**DEPUTY, "unit_code": ""},
        "body.extra": {**DEPUTY, "extra": 1},
    }
    for field, body in cases.items():
        problem = assert_problem(put_user(client, auth, "deputy9", body), 422, "request_invalid")
        assert field in [e["field"] for e in problem["errors"]], problem
    assert_problem(put_user(client, auth, "bad name", DEPUTY), 422, "request_invalid")
    assert "deputy9" not in [
        u["username"] for u in client.get("/users", headers=auth["admin"]).json()
    ]


def test_delegation_rules_reach_the_client_naming_field_and_rule(client, auth):
    put_user(client, auth, "deputy2", DEPUTY)
    put_user(client, auth, "stand_in2", {**DEPUTY, "full_name": "Hoàng Thị Lan"})
    before = client.get("/delegations", headers=auth["admin"]).json()
    r = grant(
        client,
        auth,
        grantee="deputy2",
        authority="tuq. bộ trưởng",
        valid_from="2021-01-01",
        valid_to="2021-12-31",
        granted_by="BỘ TRƯỞNG",
    )
    assert r.status_code == 201, r.text
    tuq = r.json()
    assert (tuq["prefix"], tuq["title"], tuq["authority"]) == ("TUQ", "BỘ TRƯỞNG", "TUQ. BỘ TRƯỞNG")
    assert (tuq["redelegable"], tuq["revoked_at"], tuq["valid_to"]) == (False, None, "2021-12-31")
    base = {"authority": "TUQ. BỘ TRƯỞNG", "valid_from": "2021-02-01", "granted_by": "deputy2"}
    refusals = {
        ("body.granted_by", "tuq_not_redelegable"): {**base, "grantee": "stand_in2"},
        ("body.redelegable", "tuq_not_redelegable"): {
            **base,
            "grantee": "deputy2",
            "granted_by": "BỘ TRƯỞNG",
            "redelegable": True,
        },
        ("body.valid_to", "period"): {**base, "grantee": "deputy2", "valid_to": "2021-01-01"},
        ("body.authority", "prefix"): {**base, "grantee": "deputy2", "authority": "BỘ TRƯỞNG"},
        ("body.authority", "authority_line"): {**base, "grantee": "deputy2", "authority": "XX. A"},
        ("body.grantee", "grantee_is_user"): {**base, "grantee": "nobody"},
    }
    for (field, rule), body in refusals.items():
        problem = assert_problem(grant(client, auth, **body), 422, "invalid_delegation")
        assert [(e["field"], e["rule"]) for e in problem["errors"]] == [(field, rule)], problem
        assert field in problem["message_vi"]
        if rule == "tuq_not_redelegable":
            assert "Điều 13.3" in problem["message_en"] and "TUQ." in problem["message_vi"]
    after = client.get("/delegations", headers=auth["admin"]).json()
    assert after == [*before, tuq]


def test_a_revoked_delegation_no_longer_lets_its_holder_sign(client, auth):
    put_user(client, auth, "deputy3", {**DEPUTY, "password": "mat-khau-3"})
    deputy = token(client, "deputy3", "mat-khau-3")
    r = grant(
        client,
        auth,
        grantee="deputy3",
        authority="TL. BỘ TRƯỞNG",
        valid_from="2020-01-01",
        granted_by="BỘ TRƯỞNG",
    )
    granted = r.json()
    documents = []
    for _ in range(2):
        r = client.post("/documents?signer=deputy3", json=DEPUTY_SIGNS, headers=auth["drafter"])
        assert r.status_code == 201, r.text
        etag = walk(client, auth, r.json()["id"], r.headers["ETag"], TO_SIGNATURE)
        documents.append((r.json()["id"], etag))
    (first, first_tag), (second, second_tag) = documents
    r = client.post(f"/documents/{first}/actions/sign", headers={**deputy, "If-Match": first_tag})
    assert r.status_code == 200 and r.json()["state"] == "signed", r.text

    r = client.post(f"/delegations/{granted['id']}/revoke", headers=auth["admin"])
    assert r.status_code == 200, r.text
    revoked = r.json()
    assert revoked["revoked_by"] == "admin" and revoked["revoked_at"] is not None
    assert {**revoked, "revoked_at": None, "revoked_by": None} == granted
    r = client.post(f"/documents/{second}/actions/sign", headers={**deputy, "If-Match": second_tag})
    problem = assert_problem(r, 422, "guard_failed")
    assert problem["errors"][0]["rule"] == "delegation" and "revoked" in problem["message_en"]
    assert (
        client.get(f"/documents/{second}", headers=deputy).json()["state"] == "awaiting_signature"
    )
    # Revoking again changes nothing; an unknown delegation is a 404.
    again = client.post(f"/delegations/{granted['id']}/revoke", headers=auth["admin"])
    assert again.json() == revoked
    assert_problem(
        client.post("/delegations/999999/revoke", headers=auth["admin"]), 404, "not_found"
    )


@pytest.mark.postgres
def test_the_admin_writes_on_postgresql(pg_url):
    with pg_database(pg_url) as url:
        app = demo_app(url)
        client = AsgiClient(app)
        try:
            auth = tokens(client, ("admin", "drafter"))
            r = put_user(client, auth, "deputy", {**DEPUTY, "password": "mat-khau-pg"})
            assert r.status_code == 201, r.text
            assert put_user(client, auth, "deputy", DEPUTY).status_code == 200
            token(client, "deputy", "mat-khau-pg")
            r = grant(
                client,
                auth,
                grantee="deputy",
                authority="TUQ. BỘ TRƯỞNG",
                valid_from="2021-01-01",
                granted_by="BỘ TRƯỞNG",
            )
            assert r.status_code == 201, r.text
            passed_on = grant(
                client,
                auth,
                grantee="signer",
                authority="TUQ. BỘ TRƯỞNG",
                valid_from="2021-01-01",
                granted_by="deputy",
            )
            assert_problem(passed_on, 422, "invalid_delegation")
            r = client.post(f"/delegations/{r.json()['id']}/revoke", headers=auth["admin"])
            assert r.json()["revoked_at"] is not None
            listed = client.get("/delegations", headers=auth["admin"]).json()
            assert [(d["grantee"], d["revoked_by"]) for d in listed] == [
                ("signer", None),
                ("deputy", "admin"),
            ]
            assert client.post(
                "/auth/token", data={"username": "signer", "password": DEMO_PASSWORD}
            ).is_success
        finally:
            client.close()
            app.state.services.db.dispose()


def test_the_last_admin_keeps_the_admin_role(client, auth):
    """Taking the admin role from the only admin is refused (409, nothing changed); once a second
    admin exists it can be taken, and the second one is then the last."""
    me = next(
        u for u in client.get("/users", headers=auth["admin"]).json() if u["username"] == "admin"
    )
    body = {k: me[k] for k in ("full_name", "unit_code", "issuer_code", "position_title")}
    r = put_user(client, auth, "admin", {**body, "roles": ["clerk"]})
    assert_problem(r, 409, "last_admin")
    assert r.json()["errors"][0]["field"] == "body.roles"
    assert client.get("/users", headers=auth["admin"]).status_code == 200  # still admin
    second = {**DEPUTY, "roles": ["admin"], "password": "another-admin-pass"}
    assert put_user(client, auth, "second_admin", second).status_code == 201
    assert put_user(client, auth, "admin", {**body, "roles": ["admin", "clerk"]}).status_code == 200
    assert put_user(client, auth, "admin", {**body, "roles": ["clerk"]}).status_code == 200
    other = token(client, "second_admin", "another-admin-pass")
    r = client.put("/users/second_admin", json={**DEPUTY, "roles": ["signer"]}, headers=other)
    assert_problem(r, 409, "last_admin")
    back = {**body, "roles": me["roles"]}
    assert client.put("/users/admin", json=back, headers=other).status_code == 200


def test_a_role_taken_away_stops_working_before_the_token_expires(client, auth):
    """Roles travel in the token, but the engine acts with the directory's: once the admin takes
    the drafter role away, the token that still names it creates nothing."""
    body = {**DEPUTY, "roles": ["drafter"], "unit_code": "VP", "password": "drafter-two-pass"}
    assert put_user(client, auth, "drafter_two", body).status_code == 201
    mine = token(client, "drafter_two", "drafter-two-pass")
    created = client.post("/documents", json=SEED_JSON, headers=mine)
    assert created.status_code == 201, created.text
    assert (
        put_user(client, auth, "drafter_two", {**body, "roles": ["archivist"]}).status_code == 200
    )
    before = len(client.get("/documents", headers=auth["admin"]).json())
    assert_problem(client.post("/documents", json=SEED_JSON, headers=mine), 403, "forbidden")
    r = client.post(
        f"/documents/{created.json()['id']}/actions/submit",
        headers={**mine, "If-Match": created.headers["ETag"]},
    )
    assert_problem(r, 403, "forbidden")
    assert len(client.get("/documents", headers=auth["admin"]).json()) == before
