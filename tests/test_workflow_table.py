"""Every (state, action, role) triple through the real engine on SQLite: what the brief allows
moves to the right state; everything else raises Forbidden / WrongState and changes nothing."""

from __future__ import annotations

import pytest

from workflow.errors import Forbidden, WrongState
from workflow.states import TRANSITIONS, Action, Role, State

from .engine_support import SEED_CONTENT, actor, make_engine, sqlite_db

S, A, R = State, Action, Role

# The issue's rules written out by hand (independent of workflow/states.py's table).
ALLOWED: dict[tuple[State, Action], tuple[set[Role], State | None]] = {
    (S.DRAFT, A.EDIT): ({R.DRAFTER, R.UNIT_HEAD}, S.DRAFT),
    (S.DRAFT, A.SUBMIT): ({R.DRAFTER}, S.IN_REVIEW),
    (S.IN_REVIEW, A.APPROVE): ({R.UNIT_HEAD}, S.FORMAT_CHECK),
    (S.IN_REVIEW, A.RETURN): ({R.UNIT_HEAD}, S.DRAFT),
    (S.FORMAT_CHECK, A.RETURN): ({R.FORMAT_CHECKER}, S.DRAFT),
    (S.AWAITING_SIGNATURE, A.RETURN): ({R.SIGNER}, S.DRAFT),
    (S.FORMAT_CHECK, A.PASS_FORMAT): ({R.FORMAT_CHECKER}, S.AWAITING_SIGNATURE),
    (S.AWAITING_SIGNATURE, A.SIGN): ({R.SIGNER}, S.SIGNED),
    (S.SIGNED, A.ISSUE): ({R.CLERK}, S.ISSUED),
    (S.ISSUED, A.DISPATCH): ({R.CLERK}, S.DISPATCHED),
    (S.DISPATCHED, A.ARCHIVE): ({R.CLERK}, S.ARCHIVED),
    (S.ISSUED, A.RECALL): ({R.CLERK}, S.RECALLED),
    (S.DISPATCHED, A.RECALL): ({R.CLERK}, S.RECALLED),
    (S.DRAFT, A.CANCEL): ({R.DRAFTER, R.UNIT_HEAD}, S.CANCELLED),
    (S.IN_REVIEW, A.CANCEL): ({R.DRAFTER, R.UNIT_HEAD}, S.CANCELLED),
    **{
        (s, A.REPLACE): ({R.DRAFTER, R.UNIT_HEAD}, None)
        for s in (S.ISSUED, S.DISPATCHED, S.ARCHIVED)
    },
    **{
        (s, A.CORRECT): ({R.DRAFTER, R.UNIT_HEAD}, None)
        for s in (S.ISSUED, S.DISPATCHED, S.ARCHIVED)
    },
}

CORRECTION = SEED_CONTENT.model_validate(
    {
        "doc_type": "cong_van",
        "issuer": {"name": "Bộ Giáo dục và Đào tạo", "code": "BGDĐT"},
        "drafting_unit": {"name": "Văn phòng", "code": "VP"},
        "place": "Hà Nội",
        "subject": "V/v đính chính Thông báo kết luận của Thứ trưởng Hoàng Minh Sơn",
        "addressees": ["Các sở giáo dục và đào tạo"],
        "body": "Văn phòng Bộ Giáo dục và Đào tạo đính chính như sau: …/.",
        "signature": {"authority": "TL. BỘ TRƯỞNG / CHÁNH VĂN PHÒNG", "name": "Trần Quang Nam"},
        "recipients": ["Như trên"],
    }
)

PATH = [
    (S.IN_REVIEW, "drafter", A.SUBMIT),
    (S.FORMAT_CHECK, "unit_head", A.APPROVE),
    (S.AWAITING_SIGNATURE, "format_checker", A.PASS_FORMAT),
    (S.SIGNED, "signer", A.SIGN),
    (S.ISSUED, "clerk", A.ISSUE),
    (S.DISPATCHED, "clerk", A.DISPATCH),
    (S.ARCHIVED, "clerk", A.ARCHIVE),
]


def in_state(engine, state: State):
    doc = engine.create(actor("drafter"), SEED_CONTENT, signer="signer")
    if state is S.CANCELLED:
        return engine.act(actor("drafter"), doc.id, A.CANCEL)
    if state is S.RECALLED:
        doc = in_state(engine, S.ISSUED)
        return engine.act(actor("clerk"), doc.id, A.RECALL, comment="Sai thẩm quyền ban hành")
    for reached, who, action in PATH:
        if doc.state is state:
            break
        doc = engine.act(actor(who), doc.id, action)
        assert doc.state is reached
    assert doc.state is state
    return doc


def attempt(engine, role: Role, doc, action: Action):
    who = actor(role.value)
    if action is A.EDIT:
        changed = SEED_CONTENT.model_copy(update={"subject": SEED_CONTENT.subject + " (sửa)"})
        return engine.edit(who, doc.id, changed)
    if action is A.REPLACE:
        return engine.replace(who, doc.id, SEED_CONTENT, signer="signer")
    if action is A.CORRECT:
        return engine.correct(who, doc.id, CORRECTION, signer="signer")
    return engine.act(who, doc.id, action, comment="Đề nghị chỉnh sửa nội dung")


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    db = sqlite_db(tmp_path_factory.mktemp("table"))
    yield make_engine(db)
    db.dispose()


def test_table_matches_the_issue():
    """The declarative table holds exactly the transitions the issue describes."""
    got = {key: (set(t.roles), t.target) for key, t in TRANSITIONS.items()}
    assert got == ALLOWED


@pytest.mark.parametrize("state", list(State))
def test_every_action_by_every_role(engine, state):
    shared = in_state(engine, state)
    for action in Action:
        allowed_roles, target = ALLOWED.get((state, action), (set(), None))
        anywhere = set().union(*(r for (s, a), (r, _) in ALLOWED.items() if a is action))
        for role in Role:
            label = f"{state}/{action}/{role}"
            if role in allowed_roles:
                doc = in_state(engine, state)
                result = attempt(engine, role, doc, action)
                if target is None:  # replace / correct: a new linked draft, original untouched
                    assert result.state is S.DRAFT and result.id != doc.id, label
                    link = "replaces" if action is A.REPLACE else "corrects"
                    assert result.links == {link: doc.id}, label
                    after = engine.get(actor("admin"), doc.id)
                    assert (after.state, after.version) == (doc.state, doc.version), label
                else:
                    assert result.state is target, label
                    assert result.version == doc.version + 1, label
                    assert len(engine.history(doc.id)) == result.version, label
                continue
            expected = Forbidden if role not in anywhere else WrongState
            before = engine.history(shared.id)
            with pytest.raises(expected) as err:
                attempt(engine, role, shared, action)
            message = str(err.value)
            assert str(state) in message and str(action) in message and role.value in message, (
                label,
                message,
            )
            after = engine.get(actor("admin"), shared.id)
            assert (after.state, after.version) == (shared.state, shared.version), label
            assert engine.history(shared.id) == before, label
