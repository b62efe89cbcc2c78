"""The demo world: fixtures/users.yaml loaded into a database, and signed documents in bulk
(benchmarks and tests start from many signed documents without replaying each request)."""

from __future__ import annotations

from pathlib import Path

from workflow.content import DocumentContent
from workflow.document import Document, GuardContext
from workflow.engine import Engine
from workflow.states import Action
from workflow.users import User, read_directory
from workflow.vietnamese import vietnam_date

ROOT = Path(__file__).resolve().parents[1]
USERS_YAML = ROOT / "fixtures" / "users.yaml"
SEED_YAML = ROOT / "fixtures" / "documents" / "seed-conclusion-notice-2021.yaml"

SIGNING_PATH = (
    ("drafter", Action.SUBMIT),
    ("unit_head", Action.APPROVE),
    ("format_checker", Action.PASS_FORMAT),
    ("signer", Action.SIGN),
)


def load_directory(engine: Engine, path: Path = USERS_YAML) -> dict[str, User]:
    """Users and delegations of the demo world into the engine's database."""
    users, delegations = read_directory(path)
    engine.load_directory(users, delegations)
    return {u.username: u for u in users}


def signed_documents(engine: Engine, count: int, content: DocumentContent) -> list[int]:
    """`count` signed copies of `content` (subjects numbered), stored in one transaction.

    Each document is decided by the real aggregate — same table, same guards (the format check
    of the shared content is the caller's business) — and stored with its full hash-chained
    history and the rendition its signer signed, exactly as one request at a time would have
    left it.
    """
    with engine.db.uow(write=False) as uow:
        people = {name: uow.directory.user(name) for name, _ in SIGNING_PATH}
        delegations = uow.directory.delegations()
    missing = [name for name, user in people.items() if user is None]
    if missing:
        raise LookupError(f"load the demo directory first: no user {', '.join(missing)}")
    now = engine.clock()
    decided = []
    for i in range(count):
        body = content.model_copy(update={"subject": f"{content.subject} (bản {i + 1})"})
        drafter = people["drafter"]
        assert drafter is not None
        doc, first = Document.create(body, drafter.actor, at=now, signer="signer")
        events = [first]
        for name, action in SIGNING_PATH:
            user = people[name]
            assert user is not None
            ctx = GuardContext(user=user, delegations=delegations)
            events.append(doc.act(user.actor, action, ctx, at=now))
        decided.append((doc, events, engine.signed_rendition(body, today=vietnam_date(now))))
    ids = []
    with engine.db.uow() as uow:
        for doc, events, signed in decided:
            ids.append(uow.insert_with_history(doc, events, now=now))
            if signed is not None:
                uow.files.add_signed(ids[-1], signed, now)
        uow.commit()
    return ids
