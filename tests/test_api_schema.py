"""schemathesis against the app's own OpenAPI schema, over real HTTP (uvicorn in a thread):
generated requests, valid and invalid, to every operation, as a user holding every role, with
a few documents in place. No response may be a 5xx or break the schema (status code, content
type, body)."""

from __future__ import annotations

from contextlib import ExitStack

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from api.auth import set_password
from api.server import serving
from api.settings import Settings
from workflow.states import Role
from workflow.users import User

from .api_support import AsgiClient, demo_app, token
from .engine_support import ACTORS, SEED_CONTENT, bulk_signed, pg_database

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EVERY_ROLE = User(
    username="tester",
    full_name="Người Kiểm Thử",
    roles=frozenset(r.value for r in Role),
    unit_code="VP",
    issuer_code="BGDĐT",
    position_title="CHUYÊN VIÊN",
)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def server(request, tmp_path_factory):
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('schema') / 'schema.sqlite3'}"
        else:
            url = stack.enter_context(pg_database(request.getfixturevalue("pg_url")))
        yield from _serve(url)


def _serve(url: str):
    app = demo_app(url)
    engine = app.state.services.engine
    engine.load_directory([EVERY_ROLE], [])
    set_password(engine.db, "tester", "vanthu-test")
    # Documents 1–3 (a draft, an issued one, a dispatched one) for the operations that read them.
    engine.create(ACTORS["drafter"], SEED_CONTENT, signer="signer")
    for steps in (["issue"], ["issue", "dispatch"]):
        (doc_id,) = bulk_signed(engine, 1)
        for action in steps:
            engine.act(ACTORS["clerk"], doc_id, action)
    with serving(app) as base:
        client = AsgiClient(app)
        auth = token(client, "tester", "vanthu-test")
        client.close()
        yield base, auth
    app.state.services.db.dispose()


# The schema the app publishes, read at import without touching a database (no token secret
# lookup, no migration): schemathesis' lazy fixture loader does not run under pytest 9.
_SCHEMA_ONLY = create_app(
    Settings(database_url="sqlite:///:memory:", secret="schema only"), prepare=False
)
schema = schemathesis.openapi.from_dict(_SCHEMA_ONLY.openapi())


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_errors_and_no_schema_violations(case, server):
    base, auth = server
    case.call_and_validate(base_url=base, headers=auth, checks=CHECKS)
