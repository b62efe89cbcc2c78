"""The demo accounts: fixtures/users.yaml with password `vanthu-demo`, and the demo directory.

Loading is idempotent: users are updated, missing delegations added, a password set only where
none is, and the directory of receivers loaded only into a database that has none.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from api.auth import hash_password
from workflow.demo import USERS_YAML
from workflow.directory import DEFAULT_PATH
from workflow.dispatching import load_directory as load_receivers
from workflow.store import Database
from workflow.users import read_directory

DEMO_PASSWORD = "vanthu-demo"


@dataclass(frozen=True)
class Loaded:
    users: int
    delegations_added: int
    passwords_set: int
    directory_loaded: bool


def load_demo(db: Database, password: str = DEMO_PASSWORD) -> Loaded:
    """Users, delegations and passwords of the demo world, and the receivers if none are stored."""
    users, delegations = read_directory(USERS_YAML)
    with db.uow(write=False) as uow:
        missing = [u.username for u in users if uow.accounts.password_hash(u.username) is None]
    hashes = {name: hash_password(password) for name in missing}  # slow on purpose: not locked
    added = passwords = 0
    with db.uow() as uow:
        for user in users:
            uow.directory.put_user(user)
        stored = {replace(d, id=None) for d in uow.directory.delegations()}
        for d in delegations:
            if replace(d, id=None) not in stored:
                uow.directory.add_delegation(d)
                added += 1
        for name, hashed in hashes.items():
            passwords += uow.accounts.set_password_hash(name, hashed, only_if_missing=True)
        has_directory = uow.entries.revision() > 0
        uow.commit()
    if not has_directory:
        load_receivers(db, DEFAULT_PATH)
    return Loaded(len(users), added, passwords, not has_directory)
