"""Shared test plumbing: where fixtures live, and the PostgreSQL switch.

PostgreSQL tests read VANTHU_TEST_PG_URL. Unset (a laptop without PostgreSQL): they are skipped
with the reason. Set (CI sets it): they run, and an unreachable server fails them loudly.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
DOCUMENTS = FIXTURES / "documents"
SEED = DOCUMENTS / "seed-conclusion-notice-2021.yaml"
SHARED_SEED = ROOT.parent / "shared" / "seeds" / "conclusion-notice-2021.txt"

PG_URL_VAR = "VANTHU_TEST_PG_URL"
PG_SKIP_REASON = (
    f"{PG_URL_VAR} is not set, so PostgreSQL tests are skipped; set it to run them, e.g. "
    f"{PG_URL_VAR}=postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The PostgreSQL URL for tests; skips when unset, fails when set but unreachable."""
    url = os.environ.get(PG_URL_VAR)
    if not url:
        pytest.skip(PG_SKIP_REASON)
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
    except Exception as exc:
        pytest.fail(f"{PG_URL_VAR}={url} is set but PostgreSQL is unreachable: {exc}")
    finally:
        engine.dispose()
    return url


@pytest.fixture
def smtp_server():
    """(inbox, port) of a real SMTP server on loopback; see tests/smtp_support.py."""
    from .smtp_support import start_server

    controller, inbox, port = start_server()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def client(app):
    """An in-process HTTP client of the module's `app` fixture (tests/api_support.py)."""
    from .api_support import AsgiClient

    c = AsgiClient(app)
    yield c
    c.close()


@pytest.fixture(scope="module")
def auth(client):
    """Authorization headers of every demo user, by username."""
    from .api_support import tokens

    return tokens(client)


def first_form(prepared: Any) -> bytes:
    """The vanthu-prepared/1 serialisation (chunks as they are), as renditions signed before
    /2 were stored."""
    index = []
    for name, data in prepared._entries:
        if isinstance(data, bytes):
            index.append([name, len(data)])
        else:
            index.append([name, [p if k % 2 else len(p) for k, p in enumerate(data)]])
    header = {"content_sha256": prepared.content_sha256, "draft_year": prepared.draft_year}
    line = json.dumps({**header, "entries": index}, sort_keys=True, separators=(",", ":"))
    return b"vanthu-prepared/1\n" + line.encode() + b"\n" + b"".join(prepared._chunks())
