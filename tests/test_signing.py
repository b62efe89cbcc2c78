"""Signer guards through the engine: assignment, printed name and title, delegations."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from workflow.content import DocumentContent
from workflow.errors import Forbidden, GuardFailed, InvalidDelegation, NotFound
from workflow.signing import Delegation, authorise
from workflow.states import Action, State
from workflow.users import User

from .engine_support import SEED_CONTENT, Clock, actor, make_engine, sqlite_db

ADMIN = actor("admin")
DEPUTY = User(
    "deputy", "Nguyễn Văn Bình", frozenset({"signer"}), "VP", "BGDĐT", "PHÓ CHÁNH VĂN PHÒNG"
)
STAND_IN = User("stand_in", "Hoàng Thị Lan", frozenset({"signer"}), "VP", "BGDĐT", "TRƯỞNG PHÒNG")


def with_signature(authority: str, name: str) -> DocumentContent:
    data = SEED_CONTENT.model_dump()
    return DocumentContent.model_validate(
        {**data, "signature": {"authority": authority, "name": name}}
    )


@pytest.fixture
def engine(tmp_path):
    db = sqlite_db(tmp_path)
    eng = make_engine(db, Clock(datetime(2021, 9, 20, 3, 0, tzinfo=UTC)))
    eng.put_user(ADMIN, DEPUTY)
    eng.put_user(ADMIN, STAND_IN)
    yield eng
    db.dispose()


def to_signature(engine, content, signer):
    doc = engine.create(actor("drafter"), content, signer=signer)
    for who, action in (
        ("drafter", "submit"),
        ("unit_head", "approve"),
        ("format_checker", "pass-format"),
    ):
        doc = engine.act(actor(who), doc.id, action)
    assert doc.state is State.AWAITING_SIGNATURE
    return doc


def refused(engine, doc, who, guard):
    with pytest.raises(GuardFailed) as err:
        engine.act(who, doc.id, Action.SIGN)
    assert err.value.guard == guard, str(err.value)
    assert engine.get(who, doc.id).state is State.AWAITING_SIGNATURE
    return str(err.value)


def test_the_seed_signer_signs(engine):
    doc = to_signature(engine, SEED_CONTENT, "signer")
    assert engine.act(actor("signer"), doc.id, Action.SIGN).state is State.SIGNED


def test_only_the_assigned_signer(engine):
    doc = to_signature(engine, SEED_CONTENT, "signer")
    message = refused(engine, doc, DEPUTY.actor, "assigned_to_actor")
    assert "assigned to signer signer, not deputy" in message


def test_wrong_name_or_title(engine):
    doc = to_signature(
        engine, with_signature("TL. BỘ TRƯỞNG / CHÁNH VĂN PHÒNG", "Trần Văn Nam"), "signer"
    )
    assert "Trần Văn Nam" in refused(engine, doc, actor("signer"), "signature_matches")
    doc = to_signature(
        engine, with_signature("TL. BỘ TRƯỞNG / VỤ TRƯỞNG", "Trần Quang Nam"), "signer"
    )
    assert "VỤ TRƯỞNG" in refused(engine, doc, actor("signer"), "signature_matches")


def test_no_delegation_for_the_chain(engine):
    content = with_signature("KT. BỘ TRƯỞNG / CHÁNH VĂN PHÒNG", "Trần Quang Nam")
    doc = to_signature(engine, content, "signer")
    assert "no delegation to sign KT. BỘ TRƯỞNG" in refused(
        engine, doc, actor("signer"), "delegation"
    )


def test_expired_delegation(engine):
    engine.grant(
        ADMIN,
        Delegation.from_text(
            "deputy", "KT. CHÁNH VĂN PHÒNG", "2020-01-01", "2021-06-30", granted_by="signer"
        ),
    )
    engine.grant(
        ADMIN, Delegation.from_text("deputy", "TL. BỘ TRƯỞNG", "2020-01-01", granted_by="signer")
    )
    content = with_signature(
        "TL. BỘ TRƯỞNG / KT. CHÁNH VĂN PHÒNG / PHÓ CHÁNH VĂN PHÒNG", "Nguyễn Văn Bình"
    )
    doc = to_signature(engine, content, "deputy")
    message = refused(engine, doc, DEPUTY.actor, "delegation")
    assert "not valid on 2021-09-20" in message and "2020-01-01..2021-06-30" in message
    # Renewed for the rest of the year, the same document may be signed.
    engine.grant(
        ADMIN,
        Delegation.from_text(
            "deputy", "KT. CHÁNH VĂN PHÒNG", "2021-07-01", "2021-12-31", granted_by="signer"
        ),
    )
    assert engine.act(DEPUTY.actor, doc.id, Action.SIGN).state is State.SIGNED


def test_tuq_cannot_be_redelegated(engine):
    tuq = Delegation.from_text(
        "deputy", "TUQ. BỘ TRƯỞNG", "2021-01-01", "2021-12-31", granted_by="BỘ TRƯỞNG"
    )
    assert tuq.redelegable is False
    engine.grant(ADMIN, tuq)
    passed_on = Delegation.from_text(
        "stand_in", "TUQ. BỘ TRƯỞNG", "2021-01-01", "2021-12-31", granted_by="deputy"
    )
    with pytest.raises(InvalidDelegation, match=r"TUQ\. cannot be re-delegated") as err:
        engine.grant(ADMIN, passed_on)
    assert (err.value.field, err.value.rule) == ("granted_by", "tuq_not_redelegable")
    with pytest.raises(ValueError, match="cannot be re-delegated"):
        Delegation.from_text("x", "TUQ. BỘ TRƯỞNG", "2021-01-01", redelegable=True)
    # Even if such a row reached the database (e.g. an import), signing with it is refused.
    engine.load_directory([], [passed_on])
    doc = to_signature(
        engine, with_signature("TUQ. BỘ TRƯỞNG / TRƯỞNG PHÒNG", "Hoàng Thị Lan"), "stand_in"
    )
    assert "TUQ. cannot be re-delegated" in refused(engine, doc, STAND_IN.actor, "delegation")
    # The deputy, who holds the TUQ. directly, may sign with it.
    doc = to_signature(
        engine, with_signature("TUQ. BỘ TRƯỞNG / PHÓ CHÁNH VĂN PHÒNG", "Nguyễn Văn Bình"), "deputy"
    )
    assert engine.act(DEPUTY.actor, doc.id, Action.SIGN).state is State.SIGNED


def test_acting_head_needs_a_q_delegation():
    sig = with_signature("Q. CHÁNH VĂN PHÒNG", "Nguyễn Văn Bình").signature
    with pytest.raises(GuardFailed, match=r"Q\. CHÁNH VĂN PHÒNG"):
        authorise(sig, username="deputy", delegations=[], on=date(2021, 9, 20))
    q = Delegation.from_text("deputy", "Q. CHÁNH VĂN PHÒNG", "2021-09-01", granted_by="BỘ TRƯỞNG")
    assert authorise(sig, username="deputy", delegations=[q], on=date(2021, 9, 20)) == [q]


def test_only_admin_manages_the_directory(engine):
    from workflow.errors import Forbidden

    with pytest.raises(Forbidden, match="only admin"):
        engine.put_user(actor("clerk"), DEPUTY)
    with pytest.raises(Forbidden, match="only admin"):
        engine.grant(actor("signer"), Delegation.from_text("deputy", "TL. BỘ TRƯỞNG", "2021-01-01"))


def test_a_revoked_delegation_no_longer_lets_its_holder_sign(engine):
    granted = engine.grant(
        ADMIN, Delegation.from_text("deputy", "TL. BỘ TRƯỞNG", "2021-01-01", granted_by="signer")
    )
    content = with_signature("TL. BỘ TRƯỞNG / PHÓ CHÁNH VĂN PHÒNG", "Nguyễn Văn Bình")
    first = to_signature(engine, content, "deputy")
    second = to_signature(engine, content, "deputy")
    assert engine.act(DEPUTY.actor, first.id, Action.SIGN).state is State.SIGNED
    revoked = engine.revoke(ADMIN, granted)
    assert (revoked.id, revoked.revoked_by) == (granted, "admin")
    assert revoked.revoked_at == datetime(2021, 9, 20, 3, 0, tzinfo=UTC)
    message = refused(engine, second, DEPUTY.actor, "delegation")
    assert "was revoked (2021-09-20 by admin)" in message
    # Revoking again keeps the first revocation; the record stays in the list.
    assert engine.revoke(ADMIN, granted) == revoked
    assert [d for d in engine.delegations(ADMIN) if d.id == granted] == [revoked]
    # A fresh grant restores the right to sign.
    engine.grant(
        ADMIN, Delegation.from_text("deputy", "TL. BỘ TRƯỞNG", "2021-09-20", granted_by="signer")
    )
    assert engine.act(DEPUTY.actor, second.id, Action.SIGN).state is State.SIGNED


def test_a_revoked_tuq_still_cannot_be_passed_on(engine):
    tuq = engine.grant(
        ADMIN, Delegation.from_text("deputy", "TUQ. BỘ TRƯỞNG", "2021-01-01", granted_by="BT")
    )
    engine.revoke(ADMIN, tuq)
    with pytest.raises(InvalidDelegation, match=r"TUQ\. cannot be re-delegated"):
        engine.grant(
            ADMIN,
            Delegation.from_text("stand_in", "TUQ. BỘ TRƯỞNG", "2021-02-01", granted_by="deputy"),
        )


def test_delegation_rules_name_field_and_rule(engine):
    cases = {
        ("authority", "prefix"): lambda: Delegation.from_text("deputy", "BỘ TRƯỞNG", "2021-01-01"),
        ("valid_to", "period"): lambda: Delegation.from_text(
            "deputy", "TL. BỘ TRƯỞNG", "2021-02-01", "2021-01-01"
        ),
        ("redelegable", "tuq_not_redelegable"): lambda: Delegation.from_text(
            "deputy", "TUQ. BỘ TRƯỞNG", "2021-01-01", redelegable=True
        ),
        ("grantee", "grantee_is_user"): lambda: engine.grant(
            ADMIN, Delegation.from_text("nobody", "TL. BỘ TRƯỞNG", "2021-01-01")
        ),
    }
    for (field, rule), make in cases.items():
        with pytest.raises(InvalidDelegation) as err:
            make()
        assert (err.value.field, err.value.rule) == (field, rule)
    with pytest.raises(Forbidden):
        engine.revoke(actor("signer"), 1)
    with pytest.raises(NotFound):
        engine.revoke(ADMIN, 999)


def test_admin_lists_and_updates_users_in_one_step(engine):
    assert [u.username for u in engine.users(ADMIN)][:2] == ["admin", "archivist"]
    moved = User("deputy", "Nguyễn Văn Bình", frozenset({"signer"}), "TCCB", "BGDĐT", "VỤ TRƯỞNG")
    assert engine.put_user(ADMIN, moved, password_hash="hash-1") is False
    assert engine.put_user(ADMIN, User("new", "Lê Văn An", frozenset(), "VP", "BGDĐT"))
    assert {u.username: u for u in engine.users(ADMIN)}["deputy"] == moved
    with engine.db.uow(write=False) as uow:
        assert uow.accounts.password_hash("deputy") == "hash-1"
        assert uow.accounts.password_hash("new") is None
    with pytest.raises(Forbidden):
        engine.users(actor("clerk"))
