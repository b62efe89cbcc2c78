"""The authorisation matrix over HTTP: every role × every action × every state.

A role that may never take an action gets 403, an action the role may take but not from this
state gets 409, and neither changes the document (state, version, audit trail). Everything the
table allows succeeds and lands in the table's target state; replace and correct make a new
linked draft (201) and leave the original as it was. Documents in each state are built
once through the engine; the requests go through the app in process (httpx ASGITransport).
"""

from __future__ import annotations

from contextlib import ExitStack

import pytest

from workflow.states import TRANSITIONS, Action, Role, State

from .api_support import (
    CONG_VAN_JSON,
    SEED_JSON,
    USERS,
    AsgiClient,
    assert_problem,
    demo_app,
    tokens,
)
from .engine_support import ACTORS, SEED_CONTENT, bulk_signed, pg_database

ACTIONS = (
    "edit",  # PATCH /documents/{id}
    "submit",
    "approve",
    "return",
    "pass-format",
    "sign",
    "issue",
    "dispatch",
    "archive",
    "recall",
    "cancel",
    "replace",  # POST /documents/{id}/replace
    "correct",  # POST /documents/{id}/correct
)
DERIVED = {"replace": SEED_JSON, "correct": CONG_VAN_JSON}  # the new document's content
# How each state is reached from a new draft (or from a signed document).
PATHS: dict[State, tuple[tuple[str, str], ...]] = {
    State.DRAFT: (),
    State.IN_REVIEW: (("drafter", "submit"),),
    State.FORMAT_CHECK: (("drafter", "submit"), ("unit_head", "approve")),
    State.AWAITING_SIGNATURE: (
        ("drafter", "submit"),
        ("unit_head", "approve"),
        ("format_checker", "pass-format"),
    ),
    State.CANCELLED: (("drafter", "cancel"),),
}
FROM_SIGNED: dict[State, tuple[tuple[str, str], ...]] = {
    State.SIGNED: (),
    State.ISSUED: (("clerk", "issue"),),
    State.DISPATCHED: (("clerk", "issue"), ("clerk", "dispatch")),
    State.ARCHIVED: (("clerk", "issue"), ("clerk", "dispatch"), ("clerk", "archive")),
    State.RECALLED: (("clerk", "issue"), ("clerk", "recall")),
}


def expected(role: str, action: str, state: State) -> tuple[int, State | None]:
    """What the table says: (403 | 409 | 200, target state)."""
    a = Action(action)
    may_ever = {r for (_, act), t in TRANSITIONS.items() if act is a for r in t.roles}
    if Role(role) not in may_ever:
        return 403, None
    t = TRANSITIONS.get((state, a))
    if t is None or Role(role) not in t.roles:
        return 409, None
    return 200, t.target


def test_the_table_has_all_three_outcomes():
    outcomes = {expected(r, a, s)[0] for r in USERS for a in ACTIONS for s in State}
    assert outcomes == {200, 403, 409}
    # Spot checks written out by hand, independent of the table.
    assert expected("clerk", "approve", State.IN_REVIEW)[0] == 403
    assert expected("admin", "issue", State.SIGNED)[0] == 403
    assert expected("drafter", "submit", State.IN_REVIEW)[0] == 409
    assert expected("signer", "return", State.IN_REVIEW)[0] == 409
    assert expected("signer", "sign", State.AWAITING_SIGNATURE) == (200, State.SIGNED)
    assert expected("clerk", "recall", State.DISPATCHED) == (200, State.RECALLED)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(request, tmp_path_factory):
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'matrix.sqlite3'}"
        else:
            url = stack.enter_context(pg_database(request.getfixturevalue("pg_url")))
        app = demo_app(url)
        client = AsgiClient(app)
        yield app, client, tokens(client)
        client.close()
        app.state.services.db.dispose()


def build(engine, state: State) -> int:
    """A new document in `state`, through the engine and its table."""
    if state in FROM_SIGNED:
        (doc_id,) = bulk_signed(engine, 1)
        steps = FROM_SIGNED[state]
    else:
        doc_id = engine.create(ACTORS["drafter"], SEED_CONTENT, signer="signer").id
        steps = PATHS[state]
    for who, action in steps:
        comment = "Văn bản ban hành nhầm" if action == "recall" else None
        engine.act(ACTORS[who], doc_id, action, comment=comment)
    assert engine.get(ACTORS["admin"], doc_id).state is state
    return doc_id


def attempt(client, auth, doc_id: int, version: int, user: str, action: str):
    headers = {**auth[user], "If-Match": f'"{doc_id}-{version}"'}
    if action == "edit":
        body = {"content": {"subject": "Kết luận của Thứ trưởng (sửa)"}}
        return client.patch(f"/documents/{doc_id}", json=body, headers=headers)
    if action in DERIVED:
        return client.post(f"/documents/{doc_id}/{action}", json=DERIVED[action], headers=headers)
    return client.post(
        f"/documents/{doc_id}/actions/{action}",
        json={"comment": "Đề nghị xem lại"},
        headers=headers,
    )


def snapshot(engine, doc_id: int):
    doc = engine.get(ACTORS["admin"], doc_id)
    return doc.state, doc.version, [e.hash for e in engine.history(doc_id)]


def test_every_role_action_and_state(world):
    app, client, auth = world
    engine = app.state.services.engine
    refused = allowed = 0
    for state in State:
        base = build(engine, state)
        before = snapshot(engine, base)
        for user in USERS:
            for action in ACTIONS:
                status, target = expected(user, action, state)
                if status != 200:
                    r = attempt(client, auth, base, before[1], user, action)
                    code = "forbidden" if status == 403 else "wrong_state"
                    body = assert_problem(r, status, code)
                    assert user in body["message_vi"] or status == 409
                    assert snapshot(engine, base) == before, (user, action, state)
                    refused += 1
                    continue
                if action in DERIVED:  # the original stays as it is: no fresh document needed
                    r = attempt(client, auth, base, before[1], user, action)
                    assert r.status_code == 201, (user, action, state, r.text)
                    assert r.json()["links"] == {f"{action}s": base}
                    assert r.json()["state"] == "draft" and r.json()["created_by"] == user
                    assert snapshot(engine, base) == before
                    allowed += 1
                    continue
                doc_id = build(engine, state)
                version = engine.get(ACTORS["admin"], doc_id).version
                r = attempt(client, auth, doc_id, version, user, action)
                assert r.status_code == 200, (user, action, state, r.text)
                assert r.json()["state"] == (target or state).value
                assert r.json()["version"] == version + 1
                history = engine.history(doc_id)
                assert (history[-1].actor, history[-1].action) == (user, action)
                allowed += 1
    assert refused == len(USERS) * len(ACTIONS) * len(State) - allowed
    assert allowed == sum(len(t.roles) for (s, a), t in TRANSITIONS.items() if a.value in ACTIONS)
