"""The API's store on SQLite and PostgreSQL: idempotency claims (new, replay, reused, in
progress, abandoned and expired keys), the shared settings row, passwords, and that the light
bookkeeping transaction leaves the connection as durable as before."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import UTC, datetime, timedelta

import pytest

from workflow.store.api_repos import StoredResponse, bookkeeping, setup_lock

from .engine_support import open_db

T0 = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    return open_db(request.param, tmp_path, request)


def claim(db, key, *, body="a" * 64, path="/documents/1/actions/submit", now=T0, user="clerk"):
    with bookkeeping(db) as keys:
        return keys.claim(
            user,
            key,
            method="POST",
            path=path,
            body_sha256=body,
            now=now,
            abandoned_before=now - timedelta(minutes=2),
            expired_before=now - timedelta(hours=24),
        )


def test_claims_replays_and_refusals(db):
    assert claim(db, "k1").outcome == "new"
    assert claim(db, "k1").outcome == "in_progress"
    assert claim(db, "k1", user="drafter").outcome == "new"  # keys are per user
    reused = claim(db, "k1", body="b" * 64)
    assert (reused.outcome, reused.first) == ("reused", ("POST", "/documents/1/actions/submit"))
    assert claim(db, "k1", path="/documents/2/actions/submit").outcome == "reused"
    stored = StoredResponse(200, {"etag": '"1-2"', "content-type": "application/json"}, b"{}")
    with bookkeeping(db) as keys:
        keys.complete("clerk", "k1", stored, T0)
    replay = claim(db, "k1", now=T0 + timedelta(hours=1))
    assert (replay.outcome, replay.response) == ("replay", stored)
    # A day later the key is forgotten: the same request is new again.
    assert claim(db, "k1", now=T0 + timedelta(hours=25)).outcome == "new"


def test_abandoned_keys_are_taken_over_and_released_keys_forgotten(db):
    assert claim(db, "k2").outcome == "new"
    assert claim(db, "k2", now=T0 + timedelta(minutes=1)).outcome == "in_progress"
    assert claim(db, "k2", now=T0 + timedelta(minutes=3)).outcome == "new"  # its server died
    with bookkeeping(db) as keys:
        keys.release("clerk", "k2")
    assert claim(db, "k2", body="c" * 64).outcome == "new"
    with db.uow() as uow:
        uow.idempotency.complete("clerk", "k2", StoredResponse(201, {}, b"x"), T0)
        assert uow.idempotency.purge(T0 + timedelta(seconds=1)) == 1
        uow.commit()


def test_bookkeeping_keeps_the_pool_fully_durable(db, tmp_path):
    claim(db, "k3")
    # Every pooled connection (the one bookkeeping used among them) is back to full durability.
    with ExitStack() as stack:
        # DEFERRED: five read transactions side by side (writers would queue on one another).
        options = {"sqlite_begin": "DEFERRED"}
        conns = [
            stack.enter_context(db.engine.connect().execution_options(**options)) for _ in range(5)
        ]
        for conn in conns:
            if db.dialect == "sqlite":
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            else:
                assert conn.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"
    with pytest.raises(RuntimeError), bookkeeping(db) as keys:
        keys.claim(
            "clerk",
            "k4",
            method="POST",
            path="/x",
            body_sha256="d" * 64,
            now=T0,
            abandoned_before=T0,
            expired_before=T0,
        )
        raise RuntimeError("rolled back")
    assert claim(db, "k4").outcome == "new"  # the failed transaction left nothing


def test_settings_passwords_and_the_setup_lock(db):
    with setup_lock(db), db.uow() as uow:
        first = uow.settings.get_or_create("jwt_secret", lambda: "one", T0)
        again = uow.settings.get_or_create("jwt_secret", lambda: "two", T0)
        uow.commit()
    assert (first, again) == ("one", "one")
    from .engine_support import USERS

    with db.uow() as uow:
        uow.directory.put_user(USERS[0])
        assert uow.accounts.password_hash(USERS[0].username) is None
        assert uow.accounts.set_password_hash(USERS[0].username, "h1", only_if_missing=True)
        assert not uow.accounts.set_password_hash(USERS[0].username, "h2", only_if_missing=True)
        assert not uow.accounts.set_password_hash("nobody", "h3")
        assert uow.accounts.password_hash(USERS[0].username) == "h1"
        uow.commit()
