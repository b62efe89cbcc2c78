"""Over real HTTP: `vanthu serve` in demo mode (uvicorn on a free port, its own SQLite file)
takes the seed notice from draft to archived with a different user for each role; the issued
file passes `vanthu check`. Also `vanthu demo` and `vanthu load-demo` as a user runs them."""

from __future__ import annotations

import subprocess
import uuid

import httpx
import sqlalchemy as sa

from api.flow import filename
from workflow.store import Database

from .api_support import SEED_JSON, USERS, VANTHU, assert_problem, token, vanthu_serve
from .docx_text import all_texts

STEPS = [
    ("drafter", "submit", "in_review"),
    ("unit_head", "approve", "format_check"),
    ("format_checker", "pass-format", "awaiting_signature"),
    ("signer", "sign", "signed"),
    ("clerk", "issue", "issued"),
    ("clerk", "dispatch", "dispatched"),
    ("clerk", "archive", "archived"),
]


def test_full_flow_over_http_in_demo_mode(tmp_path):
    home = tmp_path / "home"
    with vanthu_serve(tmp_path / "serve.log", {"VANTHU_HOME": str(home)}) as base:
        assert (home / "demo.sqlite3").exists()  # created and migrated on first start
        with httpx.Client(base_url=base, timeout=60) as client:
            assert client.get("/health").json() == {
                "status": "ok",
                "database": "sqlite",
                "demo": True,
            }
            auth = {u: token(client, u) for u in USERS}
            r = client.post(
                "/documents",
                json=SEED_JSON,
                headers={**auth["drafter"], "Idempotency-Key": str(uuid.uuid4())},
            )
            assert r.status_code == 201, r.text
            doc, etag = r.json(), r.headers["ETag"]
            for user, action, state in STEPS:
                # Someone else trying this step is refused and changes nothing.
                other = "archivist"
                refused = client.post(
                    f"/documents/{doc['id']}/actions/{action}",
                    headers={**auth[other], "If-Match": etag},
                )
                assert_problem(refused, 403, "forbidden")
                r = client.post(
                    f"/documents/{doc['id']}/actions/{action}",
                    headers={**auth[user], "If-Match": etag, "Idempotency-Key": str(uuid.uuid4())},
                )
                assert r.status_code == 200, r.text
                doc, etag = r.json(), r.headers["ETag"]
                assert doc["state"] == state
            assert doc["number_symbol"] == "01/TB-BGDĐT"  # the first number of a fresh database
            history = client.get(
                f"/documents/{doc['id']}/history", headers=auth["archivist"]
            ).json()
            assert [(h["actor"], h["action"]) for h in history[1:]] == [(u, a) for u, a, _ in STEPS]
            r = client.get(f"/documents/{doc['id']}/file", headers=auth["archivist"])
            assert r.status_code == 200
    issued = tmp_path / filename(r.headers["content-disposition"])
    assert issued.name.startswith("Thông báo 01-TB-BGDĐT ngày ")
    issued.write_bytes(r.content)
    assert "Số: 01/TB-BGDĐT" in all_texts(r.content)
    check = subprocess.run([VANTHU, "check", str(issued)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_vanthu_demo_writes_both_files_and_prints_the_number(tmp_path):
    out = tmp_path / "out"
    run = subprocess.run(
        [VANTHU, "demo", "--out", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert lines[-1] == "Số: 01/TB-BGDĐT"
    for user, action, state in STEPS:
        assert any(user in line and action in line and state in line for line in lines), action
    names = sorted(p.name for p in out.iterdir())
    assert names[0] == "Dự thảo Thông báo TB-BGDĐT.docx"
    assert names[1].startswith("Thông báo 01-TB-BGDĐT ngày ")
    draft_texts = all_texts((out / names[0]).read_bytes())
    assert any(t.startswith("Số:") and t.endswith("/TB-BGDĐT") for t in draft_texts)
    assert "Số: 01/TB-BGDĐT" in all_texts((out / names[1]).read_bytes())


def test_load_demo_is_idempotent_and_only_fills_what_is_missing(tmp_path):
    url = f"sqlite:///{tmp_path / 'own.sqlite3'}"
    first = subprocess.run([VANTHU, "load-demo", "--database", url], capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "7 demo users" in first.stdout and "1 delegations added" in first.stdout
    assert "directory loaded" in first.stdout and "none was set: 7" in first.stdout
    again = subprocess.run([VANTHU, "load-demo", "--database", url], capture_output=True, text=True)
    assert "0 delegations added" in again.stdout and "none was set: 0" in again.stdout
    assert "directory already there" in again.stdout
    db = Database(url)
    with db.engine.connect() as conn:
        hashes = conn.execute(sa.text("select password_hash from users")).scalars().all()
        delegations = conn.execute(sa.text("select count(*) from delegations")).scalar_one()
    db.dispose()
    assert len(hashes) == 7 and len(set(hashes)) == 7  # salted one by one
    assert all(h.startswith("$argon2id$") for h in hashes) and delegations == 1


def test_a_configured_database_has_no_demo_accounts_until_load_demo(tmp_path):
    url = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    with vanthu_serve(tmp_path / "serve.log", {"VANTHU_DATABASE_URL": url}) as base:
        health = httpx.get(f"{base}/health").json()
        assert health == {"status": "ok", "database": "sqlite", "demo": False}
        r = httpx.post(f"{base}/auth/token", data={"username": "clerk", "password": "vanthu-demo"})
        assert_problem(r, 401, "invalid_credentials")
        subprocess.run([VANTHU, "load-demo", "--database", url], check=True, capture_output=True)
        r = httpx.post(f"{base}/auth/token", data={"username": "clerk", "password": "vanthu-demo"})
        assert r.status_code == 200
