"""The engine acts with the roles the directory gives a user now, on both databases: a role
taken away (while a caller still holds credentials naming it, such as a sign-in token) acts no
more and changes nothing; the only admin keeps the admin role."""

from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa

from workflow import queries
from workflow.errors import Forbidden, LastAdmin
from workflow.states import Action, State
from workflow.store.tables import audit, counters
from workflow.users import Actor

from .engine_support import BY_NAME, SEED_CONTENT, actor, make_engine, open_db, signed_document


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    return open_db(request.param, tmp_path, request)


def with_roles(username: str, *roles: str):
    return dataclasses.replace(BY_NAME[username], roles=frozenset(roles))


def counts(db):
    with db.engine.connect() as conn:
        return (
            conn.execute(sa.select(sa.func.count()).select_from(audit)).scalar_one(),
            conn.execute(
                sa.select(sa.func.coalesce(sa.func.sum(counters.c.last_number), 0))
            ).scalar_one(),
        )


def test_a_role_taken_away_acts_no_more(db):
    engine = make_engine(db)
    doc = signed_document(engine)
    clerk = actor("clerk")  # credentials issued while the clerk was one
    engine.put_user(actor("admin"), with_roles("clerk", "archivist"))
    before = counts(db)
    with pytest.raises(Forbidden, match="clerk"):
        engine.act(clerk, doc.id, Action.ISSUE)
    assert counts(db) == before  # no number taken, no audit entry
    assert engine.get(actor("admin"), doc.id).state is State.SIGNED
    drafter = actor("drafter")
    engine.put_user(actor("admin"), with_roles("drafter", "archivist"))
    with pytest.raises(Forbidden):
        engine.create(drafter, SEED_CONTENT)
    engine.put_user(actor("admin"), BY_NAME["clerk"])  # given back: acts again
    assert engine.act(clerk, doc.id, Action.ISSUE).number == 1


def test_the_only_admin_keeps_the_role_and_a_former_admin_manages_nothing(db):
    engine = make_engine(db)
    admin = actor("admin")
    with pytest.raises(LastAdmin, match="only admin"):
        engine.put_user(admin, with_roles("admin", "clerk"))
    with db.uow(write=False) as uow:
        assert uow.directory.admins() == ["admin"]
    deputy = dataclasses.replace(
        BY_NAME["clerk"], username="deputy_admin", roles=frozenset({"admin"})
    )
    assert engine.put_user(admin, deputy) is True
    engine.put_user(admin, with_roles("admin", "clerk"))
    with db.uow(write=False) as uow:
        assert uow.directory.admins() == ["deputy_admin"]
    with pytest.raises(Forbidden, match="only admin"):
        engine.users(admin)  # the old credentials name admin; the directory no longer does


def test_a_role_taken_away_reads_no_more_drafts(db):
    """A clerk who also keeps the archive reads every draft at the clerk's desk; with the clerk
    role taken away, the same credentials read none before issue (one by one or in listings),
    and with no role left nothing at all."""
    engine = make_engine(db)
    draft = engine.create(actor("drafter"), SEED_CONTENT)
    engine.put_user(actor("admin"), with_roles("clerk", "clerk", "archivist"))
    clerk = Actor("clerk", frozenset({"clerk", "archivist"}))  # as signed in then
    assert engine.get(clerk, draft.id).id == draft.id
    assert draft.id in [d.id for d in queries.list_documents(db, clerk)]
    engine.put_user(actor("admin"), with_roles("clerk", "archivist"))
    with pytest.raises(Forbidden, match="not issued yet"):
        engine.get(clerk, draft.id)
    with pytest.raises(Forbidden, match="not issued yet"):
        queries.document_with_links(db, clerk, draft.id)
    assert draft.id not in [d.id for d in queries.list_documents(db, clerk)]
    engine.put_user(actor("admin"), with_roles("clerk", "drafter"))  # none of the token's
    with pytest.raises(Forbidden, match="no role"):
        queries.list_documents(db, clerk)
    with pytest.raises(Forbidden, match="no role"):
        engine.get(clerk, draft.id)
