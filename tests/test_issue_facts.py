"""Issue decides on stored columns, not on the content: the same decisions as the full Document,
the same series and symbol, and a document changed under way is stale with nothing written."""

from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa

from workflow.document import Approval, GuardContext
from workflow.errors import StaleVersion
from workflow.issuing import decide_issue
from workflow.states import Action, Role, State
from workflow.store import IssueSession
from workflow.store.tables import audit, counters, documents, files, number_ledger

from .engine_support import SEED_CONTENT, actor, make_engine, open_db, signed_document

ACTORS = ("clerk", "drafter", "unit_head", "format_checker", "signer", "admin")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    return open_db(request.param, tmp_path, request)


def read(db, doc_id):
    with db.issuing() as session:
        return session.read(doc_id, "clerk")


def outcome(decide, *args, **kwargs):
    """('ok', acting role) or (exception class, message, guard)."""
    try:
        result = decide(*args, **kwargs)
        return ("ok", result[1] if decide is not decide_issue else result[0])
    except Exception as exc:
        return (type(exc).__name__, str(exc), getattr(exc, "guard", None))


def test_the_facts_decide_as_the_full_document(db):
    engine = make_engine(db)
    draft = engine.create(actor("drafter"), SEED_CONTENT, signer="signer")
    signed = signed_document(engine)
    issued = engine.act(actor("clerk"), signed_document(engine).id, Action.ISSUE)
    cases = []
    for stored in (draft, signed, issued):
        doc = engine.get(actor("clerk"), stored.id)
        facts = read(db, stored.id).facts
        assert (facts.state, facts.version, facts.approvals, facts.content_sha256) == (
            doc.state,
            doc.version,
            doc.approvals,
            doc.content_sha256,
        )
        cases.append((doc, facts))
        # The signer's approval for other content (or none at all): the guard must refuse.
        stale_sig = tuple(
            dataclasses.replace(a, content_sha256="0" * 64) if a.role == Role.SIGNER else a
            for a in doc.approvals
        )
        for approvals in (stale_sig, ()):
            cases.append(
                (
                    dataclasses.replace(doc, approvals=approvals),
                    dataclasses.replace(facts, approvals=approvals),
                )
            )
    seen = set()
    for doc, facts in cases:
        for name in ACTORS:
            who = actor(name)
            ctx = GuardContext(recipient_problems=lambda content: [])
            full = outcome(doc.check, who, Action.ISSUE, ctx, comment=None, on=None)
            lean = outcome(decide_issue, facts, who, recipients_hold=True)
            assert lean == full, (doc.state, name, len(doc.approvals))
            seen.add(full[0])
    assert seen == {"ok", "Forbidden", "WrongState", "GuardFailed"}  # every kind was met


def test_a_guard_that_needs_the_content_is_left_to_the_document(db):
    engine = make_engine(db)
    facts = read(db, signed_document(engine).id).facts
    assert decide_issue(facts, actor("clerk"), recipients_hold=False) is None
    assert decide_issue(facts, actor("clerk"), recipients_hold=True) == (
        Role.CLERK,
        State.ISSUED,
    )
    # Role and state are still refused before any guard.
    with pytest.raises(Exception, match="may never issue"):
        decide_issue(facts, actor("drafter"), recipients_hold=False)


@pytest.mark.parametrize(
    "update",
    [
        {},
        {"secrecy": "Mật"},
        {"advisory_body": "HĐKH"},
        {"doc_type": "cong_van"},
        {"doc_type": "quyet_dinh"},
    ],
)
def test_series_and_symbol_from_the_columns_match_the_content(db, update):
    engine = make_engine(db)
    content = SEED_CONTENT.model_copy(update=update)
    doc = engine.create(actor("drafter"), content, signer="signer")
    facts = read(db, doc.id).facts
    assert facts.symbol == content.symbol
    assert facts.series_key(engine.registers) == engine.series_key(content)


def table_counts(db):
    with db.engine.connect() as conn:
        return {
            t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in (documents, audit, files, number_ledger, counters)
        } | {"counter": conn.execute(sa.select(sa.func.max(counters.c.last_number))).scalar()}


def test_a_document_changed_after_the_read_is_stale_and_nothing_is_written(db, monkeypatch):
    engine = make_engine(db)
    doc = signed_document(engine)
    engine.act(actor("clerk"), signed_document(engine).id, Action.ISSUE)  # counter row exists
    before = table_counts(db)
    original = IssueSession.read

    def read_then_someone_else_writes(self, document_id, username):
        found = original(self, document_id, username)
        with db.engine.begin() as conn:  # another session moves the document on meanwhile
            conn.execute(
                sa.update(documents)
                .where(documents.c.id == document_id)
                .values(version=documents.c.version + 1)
            )
        return found

    monkeypatch.setattr(IssueSession, "read", read_then_someone_else_writes)
    with pytest.raises(StaleVersion):
        engine.act(actor("clerk"), doc.id, Action.ISSUE)
    monkeypatch.undo()
    assert table_counts(db) == before  # no file, ledger row, audit entry or counter move
    again = engine.get(actor("clerk"), doc.id)
    assert (again.state, again.version, again.number) == (State.SIGNED, doc.version + 1, None)


def test_the_returned_document_is_the_stored_one(db):
    engine = make_engine(db)
    doc = signed_document(engine)
    with pytest.raises(StaleVersion):
        engine.issue(actor("clerk"), doc.id, expected_version=doc.version - 1)
    issued = engine.issue(actor("clerk"), doc.id, expected_version=doc.version)
    stored = engine.get(actor("clerk"), doc.id)
    assert issued == stored and issued.content == SEED_CONTENT
    assert (issued.state, issued.version, issued.number) == (State.ISSUED, doc.version + 1, 1)
    assert issued.approvals and all(isinstance(a, Approval) for a in issued.approvals)
