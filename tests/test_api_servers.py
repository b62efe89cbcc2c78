"""Several `vanthu serve` processes on one database work together: two servers issue documents
at once, through both, from many clients; the numbers are 1..N with no gap and no duplicate.
A token from one server is accepted by the other, and a retry sent to the other server with
the same Idempotency-Key replays the first answer instead of issuing again."""

from __future__ import annotations

import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import httpx
import pytest
import sqlalchemy as sa

from workflow import rendering
from workflow.demo import signed_documents
from workflow.engine import Engine
from workflow.store import Database
from workflow.store.tables import documents, number_ledger

from .api_support import VANTHU, token, vanthu_serve
from .engine_support import SEED_CONTENT, pg_database

CLIENTS_PER_SERVER = 8


def issue_through_two_servers(tmp_path, url: str, total: int) -> None:
    load = subprocess.run([VANTHU, "load-demo", "--database", url], capture_output=True, text=True)
    assert load.returncode == 0, load.stderr
    db = Database(url)
    ids = signed_documents(Engine(db, renderer=rendering), total, SEED_CONTENT)
    env = {"VANTHU_DATABASE_URL": url}
    with ExitStack() as stack:
        bases = [
            stack.enter_context(vanthu_serve(tmp_path / f"serve-{i}.log", env)) for i in (0, 1)
        ]
        clients = [stack.enter_context(httpx.Client(base_url=b, timeout=120)) for b in bases]
        auth = token(clients[0], "clerk")  # issued by server 0 …
        assert (
            clients[1].get("/auth/me", headers=auth).json()["username"] == "clerk"
        )  # … valid on 1
        version = clients[1].get(f"/documents/{ids[0]}", headers=auth).json()["version"]
        shares = [ids[i :: 2 * CLIENTS_PER_SERVER] for i in range(2 * CLIENTS_PER_SERVER)]

        def issue(k: int) -> list[tuple[int, int, str, dict]]:
            out = []
            with httpx.Client(base_url=bases[k % 2], timeout=120) as client:
                for doc_id in shares[k]:
                    key = str(uuid.uuid4())
                    headers = {**auth, "If-Match": f'"{doc_id}-{version}"', "Idempotency-Key": key}
                    r = client.post(f"/documents/{doc_id}/actions/issue", headers=headers)
                    assert r.status_code == 200, r.text
                    out.append((doc_id, r.json()["number"], key, headers))
            return out

        with ThreadPoolExecutor(2 * CLIENTS_PER_SERVER) as pool:
            issued = [
                row for rows in pool.map(issue, range(2 * CLIENTS_PER_SERVER)) for row in rows
            ]

        # Retries through the other server replay the first answer: same number, no new issue.
        for doc_id, number, _, headers in issued[:10]:
            for client in clients:
                r = client.post(f"/documents/{doc_id}/actions/issue", headers=headers)
                assert r.status_code == 200 and r.json()["number"] == number
                assert r.headers["idempotent-replayed"] == "true"

    numbers = sorted(n for _, n, _, _ in issued)
    assert numbers == list(range(1, total + 1))  # no gap, no duplicate
    assert sorted(d for d, _, _, _ in issued) == sorted(ids)
    with db.engine.connect() as conn:
        ledger = conn.execute(sa.select(number_ledger.c.document_id, number_ledger.c.number)).all()
        stored = conn.execute(
            sa.select(documents.c.id, documents.c.number).where(documents.c.number.is_not(None))
        ).all()
    db.dispose()
    assert sorted(ledger) == sorted(stored) == sorted((d, n) for d, n, _, _ in issued)
    report = subprocess.run(
        [VANTHU, "numbers", "--database", url], capture_output=True, text=True, check=False
    )
    assert report.returncode == 0, report.stdout + report.stderr


@pytest.mark.slow
@pytest.mark.postgres
def test_two_servers_on_postgresql_issue_500_documents(tmp_path, pg_url):
    with pg_database(pg_url) as url:
        issue_through_two_servers(tmp_path, url, 500)


@pytest.mark.slow
def test_two_servers_on_one_sqlite_file_issue_100_documents(tmp_path):
    issue_through_two_servers(tmp_path, f"sqlite:///{tmp_path / 'shared.sqlite3'}", 100)
