"""Who may read a document before it is issued.

Issued (and later) documents are readable by anyone with a role, and only they are searchable.
Before issue, a document is read by the people of its workflow: a user whose only roles are
drafter and/or unit head reads the documents they drafted or must sign and those of their own
drafting unit of their own issuer — never another unit's drafts; an archivist reads nothing
before issue (the archive begins at the number). The reviewing desks (format checker, signer,
clerk) and the admin read every document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from workflow.document import Document
from workflow.errors import Forbidden
from workflow.inbox import Criterion
from workflow.search import SEARCHABLE_STATES
from workflow.states import Role, State
from workflow.users import Actor, User

PUBLIC_STATES: tuple[str, ...] = SEARCHABLE_STATES
PRIVATE_STATES: tuple[str, ...] = tuple(s.value for s in State if s.value not in PUBLIC_STATES)
DRAFTING_ROLES = frozenset({Role.DRAFTER.value, Role.UNIT_HEAD.value})
CONFINED_ROLES = DRAFTING_ROLES | {Role.ARCHIVIST.value}


def confined(actor: Actor) -> bool:
    """Whether the actor sees only some documents before issue: drafting roles see their own
    unit's, the archivist none."""
    return bool(actor.roles) and set(actor.roles) <= CONFINED_ROLES


def _drafts(actor: Actor) -> bool:
    return not DRAFTING_ROLES.isdisjoint(actor.roles)


def may_read(actor: Actor, user: User | None, doc: Document) -> bool:
    """Whether `actor` (`user` in the directory, if there) may read `doc`; a role is checked
    before this."""
    if not confined(actor) or doc.state.value in PUBLIC_STATES:
        return True
    if actor.username in (doc.created_by, doc.signer):
        return True
    return (
        user is not None
        and _drafts(actor)
        and user.issuer_code == doc.content.issuer.code
        and user.unit_code == doc.content.drafting_unit.code
    )


def require(actor: Actor, doc: Document, user: Callable[[], User | None]) -> None:
    """Forbidden unless `actor` may read `doc`, with the roles the directory gives them now
    (`user` looks the actor up): a role taken away reads no more, whatever the token says."""
    found = user()
    actor = actor.as_now(found.roles if found is not None else None)
    if not actor.roles:
        raise Forbidden(f"{actor.username} has no role and may not read documents")
    if may_read(actor, found, doc):
        return
    raise Forbidden(
        f"document {doc.id} is not issued yet ({doc.state}) and {actor.username} takes no part"
        " in its workflow (another drafting unit's draft, or an archivist before issue)"
    )


def readable(actor: Actor, user: User | None) -> list[Criterion]:
    """may_read as listing filters: a document is readable when one of them holds."""
    if not confined(actor):
        return [Criterion()]
    found = [
        Criterion(states=PUBLIC_STATES),
        Criterion(states=PRIVATE_STATES, created_by=actor.username),
        Criterion(states=PRIVATE_STATES, signer=actor.username),
    ]
    if user is not None and _drafts(actor):
        found.append(
            Criterion(
                states=PRIVATE_STATES, issuer_code=user.issuer_code, drafting_unit=user.unit_code
            )
        )
    return found


def _both(a: Criterion, b: Criterion) -> Criterion | None:
    """The criterion of documents meeting a and b, None if none can."""
    states = a.states or b.states
    if a.states and b.states:
        states = tuple(s for s in a.states if s in b.states)
        if not states:
            return None
    merged = {}
    for name in ("signer", "created_by", "drafting_unit", "issuer_code"):
        x, y = getattr(a, name), getattr(b, name)
        if x is not None and y is not None and x != y:
            return None
        merged[name] = x if x is not None else y
    return replace(a, states=states, **merged)


def restrict(criteria: list[Criterion], allowed: list[Criterion]) -> list[Criterion]:
    """Criteria for the documents that meet one of `criteria` and one of `allowed`."""
    found: list[Criterion] = []
    for a in criteria:
        for b in allowed:
            both = _both(a, b)
            if both is not None and both not in found:
                found.append(both)
    return found
