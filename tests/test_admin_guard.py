"""The engine keeps at least one admin, on both databases: taking the role from the only admin
is refused and changes nothing."""

from __future__ import annotations

import dataclasses

import pytest

from workflow.errors import LastAdmin

from .engine_support import BY_NAME, actor, make_engine, open_db


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    return open_db(request.param, tmp_path, request)


def test_the_only_admin_keeps_the_role(db):
    engine = make_engine(db)
    admin = BY_NAME["admin"]
    with pytest.raises(LastAdmin, match="only admin"):
        engine.put_user(actor("admin"), dataclasses.replace(admin, roles=frozenset({"clerk"})))
    with db.uow(write=False) as uow:
        assert uow.directory.admins() == ["admin"]
    deputy = dataclasses.replace(
        BY_NAME["clerk"], username="deputy_admin", roles=frozenset({"admin"})
    )
    assert engine.put_user(actor("admin"), deputy) is True
    engine.put_user(actor("admin"), dataclasses.replace(admin, roles=frozenset({"clerk"})))
    with db.uow(write=False) as uow:
        assert uow.directory.admins() == ["deputy_admin"]
