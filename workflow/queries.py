"""Read-side services the API and the command line share: listings, files, series, signers.

Anyone with a role may read (as Engine.get); each function opens one read unit of work.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from workflow import visibility
from workflow.casefiles import CaseFile
from workflow.content import DocumentContent
from workflow.directory import name_key
from workflow.document import Document
from workflow.errors import Forbidden, NotFound
from workflow.inbox import Criterion, awaiting
from workflow.states import Role, State
from workflow.users import Actor, User

if TYPE_CHECKING:
    from workflow.store import Database
    from workflow.store.api_repos import SeriesInfo


def require_reader(actor: Actor) -> None:
    """Reading needs a role (the rule Engine.get applies, with workflow.visibility)."""
    if not actor.roles:
        raise Forbidden(f"{actor.username} has no role and may not read documents")


def user(db: Database, username: str) -> User | None:
    with db.uow(write=False) as uow:
        return uow.directory.user(username)


def list_documents(
    db: Database,
    actor: Actor,
    *,
    states: tuple[str, ...] = (),
    awaiting_me: bool = False,
    before_id: int | None = None,
    limit: int = 50,
) -> list[Document]:
    """Documents newest first; `awaiting_me`: only those the actor can move forward now."""
    require_reader(actor)
    with db.uow(write=False) as uow:
        me = uow.directory.user(actor.username)
        actor = actor.as_now(me.roles if me is not None else None)  # not a role taken away
        require_reader(actor)
        if awaiting_me:
            if me is None:
                raise NotFound(f"{actor.username} is not a user in the directory")
            criteria = awaiting(me)
            if states:
                criteria = [
                    replace(c, states=tuple(s for s in c.states if s in states))
                    for c in criteria
                    if set(c.states) & set(states)
                ]
        else:
            criteria = [Criterion(states=states)]
        criteria = visibility.restrict(criteria, visibility.readable(actor, me))
        return uow.listings.listing(criteria, before_id=before_id, limit=limit)


def document_with_links(
    db: Database, actor: Actor, document_id: int
) -> tuple[Document, dict[str, list[int]]]:
    """A document and the documents that replace or correct it ({"replaces": [ids], …})."""
    require_reader(actor)
    with db.uow(write=False) as uow:
        doc = uow.documents.get(document_id)
        visibility.require(actor, doc, lambda: uow.directory.user(actor.username))
        return doc, uow.links.linked_by(document_id)


def issued_file(db: Database, actor: Actor, document_id: int) -> tuple[Document, bytes, str]:
    """The frozen issued .docx of a document, with its SHA-256 (NotFound before issue)."""
    require_reader(actor)
    with db.uow(write=False) as uow:
        doc = uow.documents.get(document_id)
        found = uow.files.latest(document_id, "issued")
    if found is None or doc.state in (State.DRAFT, State.CANCELLED) or doc.number is None:
        raise NotFound(
            f"document {document_id} has not been issued (state {doc.state}): only its draft"
            " file exists (kind=draft)"
        )
    return doc, found[0], found[1]


def series(db: Database, actor: Actor) -> list[SeriesInfo]:
    """Every numbering series with the years it has numbers in."""
    require_reader(actor)
    with db.uow(write=False) as uow:
        return uow.series.all()


def default_signer(db: Database, content: DocumentContent) -> str | None:
    """The one signer of the issuer whose name is the one printed in the signature, if any."""
    wanted = name_key(content.signature.name)
    found = []
    with db.uow(write=False) as uow:
        for username in uow.accounts.usernames():
            person = uow.directory.user(username)
            if (
                person is not None
                and Role.SIGNER.value in person.roles
                and person.issuer_code == content.issuer.code
                and name_key(person.full_name) == wanted
            ):
                found.append(username)
    return found[0] if len(found) == 1 else None


def case_file(db: Database, actor: Actor, case_file_id: int) -> tuple[str, CaseFile]:
    """A case file and the issuer whose list it is in (NotFound if there is none)."""
    require_reader(actor)
    with db.uow(write=False) as uow:
        return uow.casefiles.get(case_file_id)
