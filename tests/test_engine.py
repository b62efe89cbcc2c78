"""The engine end to end on real databases: the seed through the whole workflow, issue with
numbers and files, the year boundary, rollbacks, edits voiding approvals, recall, replace."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from numbering import allocator
from workflow.errors import GuardFailed, InvalidContent, NotFound, StaleVersion, WrongState
from workflow.states import Action, State
from workflow.store.tables import audit, counters, documents, files, number_ledger, search_pending

from .engine_support import (
    RENDERER,
    SEED_CONTENT,
    Clock,
    actor,
    make_engine,
    open_db,
    signed_document,
)

VN = timedelta(hours=7)


def at_vietnam(*args) -> datetime:
    """An aware UTC datetime for a wall-clock time in Vietnam (UTC+7)."""
    return (datetime(*args) - VN).replace(tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    return open_db(request.param, tmp_path, request)


def counts(db):
    with db.engine.connect() as conn:
        return {
            t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in (documents, audit, files, number_ledger, counters, search_pending)
        }


def test_seed_goes_through_the_whole_workflow(db):
    clock = Clock(at_vietnam(2021, 9, 20, 9, 0))
    engine = make_engine(db, clock)
    doc = signed_document(engine)
    assert doc.state is State.SIGNED
    doc = engine.act(actor("clerk"), doc.id, Action.ISSUE, expected_version=doc.version)
    assert (doc.number, doc.issued_date, doc.symbol) == (1, date(2021, 9, 20), "TB-BGDĐT")
    for action, state in ((Action.DISPATCH, State.DISPATCHED), (Action.ARCHIVE, State.ARCHIVED)):
        doc = engine.act(actor("clerk"), doc.id, action)
        assert doc.state is state
    history = engine.history(doc.id)
    assert [e.action for e in history] == [
        "create", "submit", "approve", "pass-format", "sign", "issue", "dispatch", "archive",
    ]  # fmt: skip
    assert [e.seq for e in history] == list(range(1, 9)) and doc.version == 8
    # Invariant 4: what was approved is what was signed is what was issued.
    assert {e.content_sha256 for e in history} == {SEED_CONTENT.sha256()}
    with db.uow(write=False) as uow:
        data, sha = uow.files.latest(doc.id, "issued")
    assert hashlib.sha256(data).hexdigest() == sha == doc.issued_sha256
    assert data == RENDERER.render(SEED_CONTENT, 1, date(2021, 9, 20))


def test_numbers_run_per_series_and_ledger_matches(db):
    engine = make_engine(db, Clock(at_vietnam(2021, 10, 1, 8, 0)))
    secret = SEED_CONTENT.model_copy(update={"secrecy": "Mật"})
    issued = [
        engine.act(actor("clerk"), signed_document(engine, c).id, Action.ISSUE)
        for c in (SEED_CONTENT, secret, SEED_CONTENT, secret, SEED_CONTENT)
    ]
    assert [d.number for d in issued] == [1, 1, 2, 2, 3]
    assert [engine.series_key(d.content).register for d in issued] == ["VB", "MAT"] * 2 + ["VB"]
    with db.uow(write=False) as uow:
        report = {(r.series, r.year): r for r in uow.numbers.report()}
        ledger = list(uow.numbers.ledger())
    assert report[("BGDĐT/VB", 2021)].issued == 3 and report[("BGDĐT/MAT", 2021)].issued == 2
    assert all(r.ok for r in report.values())
    assert sorted((r.document_id, r.number) for r in ledger) == sorted(
        (d.id, d.number) for d in issued
    )


def test_year_boundary_in_vietnam_time(db):
    clock = Clock(at_vietnam(2021, 12, 31, 9, 0))
    engine = make_engine(db, clock)
    first, last, new = (signed_document(engine) for _ in range(3))
    engine.act(actor("clerk"), first.id, Action.ISSUE)
    clock.now = at_vietnam(2021, 12, 31, 23, 30)
    last = engine.act(actor("clerk"), last.id, Action.ISSUE)
    assert (last.number, last.year, last.issued_date) == (2, 2021, date(2021, 12, 31))
    clock.now = at_vietnam(2022, 1, 1, 0, 10)
    assert clock.now.year == 2021  # still 2021 in UTC
    new = engine.act(actor("clerk"), new.id, Action.ISSUE)
    assert (new.number, new.year, new.issued_date) == (1, 2022, date(2022, 1, 1))
    with db.uow(write=False) as uow:
        assert {(r.year, r.last_number) for r in uow.numbers.report()} == {(2021, 2), (2022, 1)}


def test_year_turning_while_waiting_for_the_lock_retries_in_the_new_year(db, monkeypatch):
    """Every clock read before the counter lock says 2021, every one after it 2022: roll back,
    retry in the new year."""
    clock = Clock(at_vietnam(2021, 12, 31, 12, 0))
    engine = make_engine(db, clock)
    doc = signed_document(engine)
    clock.now = at_vietnam(2021, 12, 31, 23, 59, 59)

    take = allocator.take_dbapi

    def turn_the_year(*args):  # the counter UPDATE: the clock moves on while it waits
        clock.now = at_vietnam(2022, 1, 1, 0, 0, 1)
        return take(*args)

    monkeypatch.setattr(allocator, "take_dbapi", turn_the_year)
    doc = engine.act(actor("clerk"), doc.id, Action.ISSUE)
    assert (doc.number, doc.issued_date) == (1, date(2022, 1, 1))
    with db.uow(write=False) as uow:
        report = {r.year: r for r in uow.numbers.report()}
    # The 2021 counter row the first attempt created was rolled back with it.
    assert set(report) == {2022} and report[2022].last_number == 1


def test_failure_after_taking_a_number_rolls_everything_back(db):
    failing = {"on": True}

    def after_number(doc, number):
        if failing["on"]:
            raise RuntimeError(f"disk full while storing number {number}")

    engine = make_engine(db, after_number=after_number)
    doc = signed_document(engine)
    before = counts(db)
    with pytest.raises(RuntimeError):
        engine.act(actor("clerk"), doc.id, Action.ISSUE)
    assert counts(db) == before  # no file, ledger row, audit entry or counter move
    again = engine.get(actor("clerk"), doc.id)
    assert (again.state, again.version, again.number) == (State.SIGNED, doc.version, None)
    failing["on"] = False
    assert engine.act(actor("clerk"), doc.id, Action.ISSUE).number == 1  # no gap


def test_constraint_violation_inside_issue_leaves_nothing_half_written(db):
    """A real database error after the counter moved (UNIQUE ledger) rolls all of it back."""
    engine = make_engine(db)
    victim, other = signed_document(engine), signed_document(engine)
    engine.act(actor("clerk"), other.id, Action.ISSUE)
    # Corrupt the counter by hand so the next number collides with the ledger's row 1.
    with db.engine.begin() as conn:
        conn.execute(sa.update(counters).values(last_number=0))
    before = counts(db)
    with pytest.raises(sa.exc.IntegrityError):
        engine.act(actor("clerk"), victim.id, Action.ISSUE)
    assert counts(db) == before
    with db.engine.connect() as conn:
        assert conn.execute(sa.select(counters.c.last_number)).scalar_one() == 0
    assert engine.get(actor("clerk"), victim.id).state is State.SIGNED


def test_edit_voids_approvals_and_sign_needs_them_again(db):
    engine = make_engine(db)
    doc = engine.create(actor("drafter"), SEED_CONTENT, signer="signer")
    for who, action in (
        ("drafter", "submit"),
        ("unit_head", "approve"),
        ("format_checker", "pass-format"),
    ):
        doc = engine.act(actor(who), doc.id, action)
    doc = engine.act(actor("signer"), doc.id, "return", comment="Bổ sung nội dung mục 3")
    assert doc.current_approval("unit_head") is not None  # no edit yet: still current
    body = SEED_CONTENT.body.replace("nghiêm túc triển khai", "khẩn trương, nghiêm túc triển khai")
    edited = SEED_CONTENT.model_copy(update={"body": body})
    doc = engine.edit(actor("drafter"), doc.id, edited, expected_version=doc.version)
    assert doc.current_approval("unit_head") is None and doc.approvals == ()
    history = engine.history(doc.id)
    assert history[-1].action == "edit" and history[-1].content_sha256 == edited.sha256()
    doc = engine.act(actor("drafter"), doc.id, "submit")
    doc = engine.act(actor("unit_head"), doc.id, "approve")
    doc = engine.act(actor("format_checker"), doc.id, "pass-format")
    doc = engine.act(actor("signer"), doc.id, "sign")
    assert doc.state is State.SIGNED
    assert {a.content_sha256 for a in doc.approvals} == {edited.sha256()}


def test_guards_named_in_errors_and_nothing_changes(db):
    engine = make_engine(db)
    no_signer = engine.create(actor("drafter"), SEED_CONTENT)
    with pytest.raises(GuardFailed) as err:
        engine.act(actor("drafter"), no_signer.id, "submit")
    assert err.value.guard == "signer_assigned" and err.value.code == "guard_failed"
    doc = engine.assign_signer(actor("drafter"), no_signer.id, "signer")
    doc = engine.act(actor("drafter"), doc.id, "submit")
    with pytest.raises(GuardFailed, match="comment"):
        engine.act(actor("unit_head"), doc.id, "return")
    with pytest.raises(StaleVersion):
        engine.act(actor("unit_head"), doc.id, "approve", expected_version=doc.version - 1)
    with pytest.raises(NotFound):
        engine.act(actor("unit_head"), doc.id, "publish")
    with pytest.raises(NotFound):
        engine.get(actor("clerk"), 999_999)
    with pytest.raises(InvalidContent, match="doc_type"):
        engine.create(actor("drafter"), {**SEED_CONTENT.model_dump(), "doc_type": "sắc lệnh"})
    assert engine.get(actor("clerk"), doc.id).version == doc.version


def test_recall_keeps_the_number_used(db):
    engine = make_engine(db)
    doc = engine.act(actor("clerk"), signed_document(engine).id, "issue")
    with pytest.raises(GuardFailed, match="needs a comment"):
        engine.act(actor("clerk"), doc.id, "recall")
    doc = engine.act(actor("clerk"), doc.id, "recall", comment="Ban hành sai thẩm quyền")
    assert doc.state is State.RECALLED and doc.number == 1
    nxt = engine.act(actor("clerk"), signed_document(engine).id, "issue")
    assert nxt.number == 2  # never reused
    with db.uow(write=False) as uow:
        (row,) = uow.numbers.report()
    assert (row.issued, row.recalled, row.gaps) == (1, 1, [])


def test_replace_and_correct_link_new_drafts(db):
    engine = make_engine(db)
    original = engine.act(actor("clerk"), signed_document(engine).id, "issue")
    with pytest.raises(GuardFailed) as err:
        engine.correct(actor("drafter"), original.id, SEED_CONTENT)  # not a công văn
    assert err.value.guard == "correction_form"
    replacement = engine.replace(actor("drafter"), original.id, SEED_CONTENT, signer="signer")
    assert replacement.links == {"replaces": original.id} and replacement.state is State.DRAFT
    assert engine.history(replacement.id)[0].comment == f"replaces document {original.id}"
    same = engine.get(actor("archivist"), original.id)
    assert (same.state, same.version, same.number) == (State.ISSUED, original.version, 1)
    # A draft cannot be replaced: only issued documents are.
    with pytest.raises(WrongState):
        engine.replace(actor("drafter"), replacement.id, SEED_CONTENT)


def test_pass_format_runs_the_format_checker_on_the_draft(db):
    """A draft whose body does not end with './.' fails the real checker: no pass, no change."""
    engine = make_engine(db)
    bad = SEED_CONTENT.model_copy(update={"body": SEED_CONTENT.body + "\n\nBổ sung sau cùng."})
    doc = engine.create(actor("drafter"), bad, signer="signer")
    doc = engine.act(actor("drafter"), doc.id, "submit")
    doc = engine.act(actor("unit_head"), doc.id, "approve")
    with pytest.raises(GuardFailed) as err:
        engine.act(actor("format_checker"), doc.id, "pass-format")
    assert err.value.guard == "format_passes" and "./." in str(err.value)
    assert engine.get(actor("clerk"), doc.id).state is State.FORMAT_CHECK
    doc = engine.act(actor("format_checker"), doc.id, "return", comment="Kết thúc bằng ./.")
    doc = engine.edit(actor("drafter"), doc.id, SEED_CONTENT)
    for who, action in (
        ("drafter", "submit"),
        ("unit_head", "approve"),
        ("format_checker", "pass-format"),
    ):
        doc = engine.act(actor(who), doc.id, action)
    assert doc.state is State.AWAITING_SIGNATURE
    with db.uow(write=False) as uow:
        data, _ = uow.files.latest(doc.id, "draft")  # the rendering the checker passed
    assert data == RENDERER.render(SEED_CONTENT, today=date(2021, 9, 20))
