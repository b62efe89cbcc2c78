"""Hypothesis drives random actions by random users on a few documents through the engine
(SQLite). After every step: the outcome is what the table and its guards predict, the
architecture's invariants hold, and every audit chain is intact."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import sqlalchemy as sa
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from workflow.audit import chain_problems
from workflow.errors import Forbidden, GuardFailed, WrongState
from workflow.states import TRANSITIONS, Action, Guard, Role, State
from workflow.store.tables import files, number_ledger
from workflow.users import User
from workflow.verify import verify

from .engine_support import BY_NAME, RENDERER, SEED_CONTENT, Clock, make_engine, sqlite_db

EXTRA = [
    User("drafter2", "Ngô Thị Lý", frozenset({"drafter"}), "VP", "BGDĐT", "CHUYÊN VIÊN"),
    User("signer2", "Đặng Văn Phúc", frozenset({"signer"}), "VP", "BGDĐT", "PHÓ CHÁNH VĂN PHÒNG"),
]
PEOPLE = {**BY_NAME, **{u.username: u for u in EXTRA}}
NAMES = sorted(PEOPLE)
NEXT = {
    State.DRAFT: ("drafter", Action.SUBMIT),
    State.IN_REVIEW: ("unit_head", Action.APPROVE),
    State.FORMAT_CHECK: ("format_checker", Action.PASS_FORMAT),
    State.AWAITING_SIGNATURE: ("signer", Action.SIGN),
    State.SIGNED: ("clerk", Action.ISSUE),
    State.ISSUED: ("clerk", Action.DISPATCH),
    State.DISPATCHED: ("clerk", Action.ARCHIVE),
}
PLAIN = [a for a in Action if a not in (Action.EDIT, Action.REPLACE, Action.CORRECT)]
NUMBERED = {State.ISSUED, State.DISPATCHED, State.ARCHIVED, State.RECALLED}


def predict(doc, action: Action, user: User, comment: str | None):
    """The oracle: an exception class (and guard) or the target state, from the table."""
    roles = {Role(r) for r in user.roles}
    anywhere = set().union(*(t.roles for (_, a), t in TRANSITIONS.items() if a is action))
    if not roles & anywhere:
        return Forbidden, None
    transition = TRANSITIONS.get((doc.state, action))
    if transition is None or not roles & transition.roles:
        return WrongState, None
    holds = {
        Guard.AUTHOR: user.username == doc.created_by or Role.UNIT_HEAD in roles,
        Guard.SIGNER_ASSIGNED: doc.signer is not None,
        Guard.COMMENT: bool(comment),
        Guard.REASON: bool(comment),
        Guard.FORMAT_PASSES: True,
        Guard.ASSIGNED_TO_ACTOR: doc.signer == user.username,
        Guard.SIGNATURE_MATCHES: user.full_name == doc.content.signature.name,
        Guard.DELEGATION: user.username == "signer",
        Guard.APPROVALS_CURRENT: True,
        Guard.SIGNED_CONTENT: True,
        Guard.RECIPIENTS: True,  # seed variants: every receiver is in the directory fixtures
    }
    for guard in transition.guards:
        if not holds[guard]:
            return GuardFailed, guard
    return None, transition.target


# Reads the facts the test checks: the clerk's desk sees every document, in every state.
READER = PEOPLE["clerk"].actor


class Workflow(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="engine-stateful-"))
        self.db = sqlite_db(self.dir)
        self.clock = Clock()
        self.engine = make_engine(self.db, self.clock)
        self.engine.load_directory(EXTRA, [])
        self.ids: list[int] = []
        self.frozen: dict[int, tuple] = {}  # issued facts that must never change

    def teardown(self) -> None:
        try:
            result = verify(self.db, RENDERER)  # full check incl. re-rendering issued files
            assert result.problems == [], result.problems
        finally:
            self.db.dispose()
            shutil.rmtree(self.dir, ignore_errors=True)

    @initialize()
    def documents(self):
        for who in ("drafter", "drafter2"):
            self.create(who, True)

    @rule(who=st.sampled_from(["drafter", "drafter2", "unit_head"]), assign=st.booleans())
    def create(self, who, assign):
        content = SEED_CONTENT.model_copy(
            update={"subject": f"{SEED_CONTENT.subject} {len(self.ids)}"}
        )
        doc = self.engine.create(PEOPLE[who].actor, content, signer="signer" if assign else None)
        assert (doc.state, doc.version, doc.created_by) == (State.DRAFT, 1, who)
        self.ids.append(doc.id)

    @precondition(lambda self: self.ids)
    @rule(
        data=st.data(),
        action=st.sampled_from(PLAIN),
        who=st.sampled_from(NAMES),
        comment=st.sampled_from([None, "Đề nghị bổ sung căn cứ"]),
    )
    def act(self, data, action, who, comment, doc_id=None):
        doc_id = doc_id if doc_id is not None else data.draw(st.sampled_from(self.ids))
        user = PEOPLE[who]
        before = self.engine.get(READER, doc_id) if user.roles else None
        history = self.engine.history(doc_id)
        error, target = predict(before, action, user, comment)
        self.clock.tick(minutes=7)
        try:
            after = self.engine.act(user.actor, doc_id, action, comment=comment)
        except (Forbidden, WrongState, GuardFailed) as exc:
            assert type(exc) is error, (action, who, before.state, exc)
            if error is GuardFailed:
                assert exc.guard == target, (exc.guard, target)
            now = self.engine.get(READER, doc_id)
            assert (now.state, now.version) == (before.state, before.version)
            assert self.engine.history(doc_id) == history
            return
        assert error is None, (action, who, before.state, "should have failed with", error)
        assert after.state is target and after.version == before.version + 1
        event(f"{action} -> {after.state}")
        if action is Action.ISSUE:
            self.frozen[doc_id] = (
                after.content_sha256,
                after.number,
                after.issued_date,
                after.issued_sha256,
            )

    @precondition(lambda self: self.ids)
    @rule(data=st.data())
    def advance(self, data):
        """The next step of the normal path by the right person (random walks rarely get far)."""
        doc_id = data.draw(st.sampled_from(self.ids))
        for _ in range(data.draw(st.integers(1, 4))):
            doc = self.engine.get(PEOPLE["clerk"].actor, doc_id)
            step = NEXT.get(doc.state)
            if step is None:
                return
            who, action = step
            if action is Action.SUBMIT:
                who = doc.created_by
            self.act(data, action, who, None, doc_id=doc_id)

    @precondition(lambda self: self.ids)
    @rule(data=st.data(), who=st.sampled_from(NAMES))
    def edit(self, data, who):
        doc_id = data.draw(st.sampled_from(self.ids))
        user = PEOPLE[who]
        before = self.engine.get(READER, doc_id)
        error, _ = predict(before, Action.EDIT, user, None)
        changed = before.content.model_copy(update={"subject": before.content.subject + " (sửa)"})
        try:
            after = self.engine.edit(user.actor, doc_id, changed)
        except (Forbidden, WrongState, GuardFailed) as exc:
            assert type(exc) is error, (who, before.state, exc)
            assert self.engine.get(READER, doc_id).version == before.version
            return
        assert error is None
        assert after.approvals == () and after.content_sha256 == changed.sha256()

    @invariant()
    def invariants_hold(self):
        with self.db.uow(write=False) as uow:
            docs = list(uow.documents.iter_all())
            report = uow.numbers.report()
            ledger = {r.document_id: r for r in uow.numbers.ledger()}
            issued_files = set(
                uow.conn.execute(
                    sa.select(files.c.document_id).where(files.c.kind == "issued")
                ).scalars()
            )
            chains = {d.id: uow.audit.for_document(d.id) for d in docs}
            ledger_count = uow.conn.execute(
                sa.select(sa.func.count()).select_from(number_ledger)
            ).scalar_one()
        # 1. Numbers only on issued documents, gap-free per series and year, all in the ledger.
        assert all(r.ok for r in report), report
        for d in docs:
            assert (d.number is not None) == (d.state in NUMBERED), d
            assert (d.id in ledger) == (d.number is not None) == (d.id in issued_files)
            if d.id in ledger:
                assert ledger[d.id].status == (
                    "recalled" if d.state is State.RECALLED else "issued"
                )
        assert ledger_count == len(ledger)
        # 2. Issued content, number, date and file never change afterwards.
        for d in docs:
            if d.id in self.frozen:
                assert (d.content_sha256, d.number, d.issued_date, d.issued_sha256) == self.frozen[
                    d.id
                ]
        # 4. What was approved is what was signed is what was issued.
        for d in docs:
            if d.state in NUMBERED or d.state is State.SIGNED:
                for role in (Role.UNIT_HEAD, Role.FORMAT_CHECKER, Role.SIGNER):
                    assert d.current_approval(role) is not None, (d.id, role)
        # The audit chain of every document is intact and ends where the document is.
        for d in docs:
            chain = chains[d.id]
            assert chain_problems(d.id, chain) == []
            assert chain[-1].hash == d.audit_hash and chain[-1].seq == d.version
            assert chain[-1].to_state == d.state and chain[-1].content_sha256 == d.content_sha256


TestWorkflow = Workflow.TestCase
TestWorkflow.settings = settings(
    max_examples=15,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
