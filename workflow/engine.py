"""The workflow service: one command = one unit of work on one document.

Reads happen in a short read transaction, the aggregate decides in memory, and the write
transaction stores the change only if the document is still at the version that was read
(UPDATE … WHERE version = expected). `sign` stores the rendition the signer signed (everything but
number and date, prepared); `issue` loads it, takes the series' counter lock, and only fills in
number and date, stores and commits while holding it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol

from pydantic import ValidationError

from numbering.registers import RegisterConfig, SeriesKey
from workflow import issuing, visibility
from workflow.audit import AuditEntry
from workflow.content import DocumentContent, draft_year
from workflow.dispatching import (
    DirectoryCache,
    printed_problems,
    recipient_problems,
    record_deliveries,
)
from workflow.document import Document, GuardContext
from workflow.drafts import DraftKey, PreparedDrafts
from workflow.errors import (
    Forbidden,
    GuardFailed,
    InvalidContent,
    InvalidDelegation,
    LastAdmin,
    NotFound,
)
from workflow.signing import Delegation, redelegated_without_right
from workflow.states import Action, Guard, Role, State
from workflow.store import Database, IssueRead, IssueSession, Rendition
from workflow.users import Actor, User
from workflow.vietnamese import vietnam_date

Clock = Callable[[], datetime]


class Prepared(Protocol):
    def fill(self, number: int | None, issued: date | None) -> bytes: ...


class Renderer(Protocol):
    """workflow.rendering's contract: prepare once (slow), fill number and date (fast)."""

    def prepare(self, content: DocumentContent, *, today: date | None = None) -> Prepared: ...

    def render(
        self,
        content: DocumentContent,
        number: int | None = None,
        issued: date | None = None,
        *,
        today: date | None = None,
    ) -> bytes: ...


# A renderer may also serialise what it prepared: Prepared.to_bytes() and
# renderer.load_prepared(data) (workflow.rendering does). Without both, nothing is stored at sign
# and issue prepares from the content. A renderer with template_version(content) (workflow.rendering
# has it) lets sign reuse what pass-format prepared in this process for the same content.


def utc_now() -> datetime:
    return datetime.now(UTC)


def default_format_checker() -> Callable[[bytes], list[Any]] | None:
    """workflow.rendering.checker.check(…, draft=True) when that module exists, else None."""
    try:
        module = importlib.import_module("workflow.rendering.checker")
    except ImportError:
        return None
    return lambda data: list(module.check(data, draft=True))


class Engine:
    """Create, edit and move documents through the table; issue them with gap-free numbers."""

    def __init__(
        self,
        db: Database,
        *,
        renderer: Renderer | None = None,
        clock: Clock = utc_now,
        registers: RegisterConfig | None = None,
        format_checker: Callable[[bytes], list[Any]] | str | None = "default",
        after_number: Callable[[int, int], None] | None = None,
    ) -> None:
        self.db = db
        self.renderer: Renderer = renderer or importlib.import_module("workflow.rendering")  # type: ignore[assignment]
        self.clock = clock
        self.registers = registers or RegisterConfig()
        self.format_checker = (
            default_format_checker() if format_checker == "default" else format_checker
        )
        # after_number(document_id, number) runs inside issue's transaction, after the number
        self.after_number = after_number
        self._series: dict[SeriesKey, int] = {}
        self.directory = DirectoryCache()  # receivers, re-read when a new directory is loaded
        self.drafts: PreparedDrafts[Prepared] = PreparedDrafts()  # pass-format's, for sign

    # -- reading -------------------------------------------------------------------------------

    def get(self, actor: Actor, document_id: int) -> Document:
        """A document as stored, to anyone with a role — but a drafter or unit head reads only
        their own unit's documents before issue (workflow.visibility)."""
        if not actor.roles:
            raise Forbidden(f"{actor.username} has no role and may not read documents")
        with self.db.uow(write=False) as uow:
            doc = uow.documents.get(document_id)
            visibility.require(actor, doc, lambda: uow.directory.user(actor.username))
            return doc

    def history(self, document_id: int) -> list[AuditEntry]:
        with self.db.uow(write=False) as uow:
            uow.documents.get(document_id)
            return uow.audit.for_document(document_id)

    # -- drafting ------------------------------------------------------------------------------

    def create(
        self,
        actor: Actor,
        content: DocumentContent | Mapping[str, Any],
        *,
        signer: str | None = None,
        links: Mapping[str, int] | None = None,
    ) -> Document:
        """A new draft by a drafter (or unit head), optionally with its signer assigned."""
        content = _content(content)
        now = self.clock()
        with self.db.uow(write=False) as uow:
            user = uow.directory.user(actor.username)
            assigned = uow.directory.user(signer) if signer is not None else None
        if signer is not None:
            self._check_signer(signer, assigned)
        actor = actor.as_now(user.roles if user is not None else None)
        comment = ", ".join(f"{k} document {v}" for k, v in (links or {}).items()) or None
        doc, event = Document.create(content, actor, at=now, signer=signer, links=dict(links or {}))
        if comment:
            event = dataclasses.replace(event, comment=comment)
        with self.db.uow() as uow:
            uow.insert(doc, event, now=now)
            assert doc.id is not None
            uow.links.add(doc.id, doc.links)  # the original's page lists what derives from it
            uow.commit()
        return doc

    def edit(
        self,
        actor: Actor,
        document_id: int,
        content: DocumentContent | Mapping[str, Any],
        expected_version: int | None = None,
    ) -> Document:
        """New content for a draft; approvals for the old content are void from now on."""
        content = _content(content)
        doc, ctx, actor = self._load(actor, document_id, expected_version)
        before, now = doc.version, self.clock()
        event = doc.edit(actor, content, ctx, at=now)
        self._store(doc, event, before, now)
        return doc

    def assign_signer(
        self, actor: Actor, document_id: int, signer: str, expected_version: int | None = None
    ) -> Document:
        """Assign (or change) who signs, while the document is a draft."""
        self._check_signer(signer)
        doc, ctx, actor = self._load(actor, document_id, expected_version)
        before, now = doc.version, self.clock()
        event = doc.assign(actor, signer, ctx, at=now)
        self._store(doc, event, before, now)
        return doc

    def replace(
        self,
        actor: Actor,
        document_id: int,
        content: DocumentContent | Mapping[str, Any],
        *,
        signer: str | None = None,
        expected_version: int | None = None,
    ) -> Document:
        """A new draft replacing an issued document (wrong content); the original is untouched."""
        return self._derive(
            actor, document_id, Action.REPLACE, content, signer, "replaces", expected_version
        )

    def correct(
        self,
        actor: Actor,
        document_id: int,
        content: DocumentContent | Mapping[str, Any],
        *,
        signer: str | None = None,
        expected_version: int | None = None,
    ) -> Document:
        """A new công văn đính chính of an issued document; the original is untouched."""
        return self._derive(
            actor, document_id, Action.CORRECT, content, signer, "corrects", expected_version
        )

    # -- transitions ---------------------------------------------------------------------------

    def act(
        self,
        actor: Actor,
        document_id: int,
        action: Action | str,
        expected_version: int | None = None,
        comment: str | None = None,
    ) -> Document:
        """Take `action` on the document as `actor`; one transaction, one audit entry."""
        action = _action(action)
        if action is Action.ISSUE:
            return self.issue(actor, document_id, expected_version)
        if action in (Action.EDIT, Action.REPLACE, Action.CORRECT):
            raise NotFound(f"action {action} takes new content: use edit / replace / correct")
        doc, ctx, actor = self._load(
            actor, document_id, expected_version, signing=action is Action.SIGN
        )
        draft: list[bytes] = []
        if action is Action.PASS_FORMAT:
            ctx.format_problems = lambda content: self._format_problems(
                content, draft, doc.content_sha256 if content is doc.content else None
            )
        before, now = doc.version, self.clock()
        event = doc.act(actor, action, ctx, at=now, comment=comment)
        signed = None
        if action is Action.SIGN:  # rendered before the write transaction, not inside it
            signed = self.signed_rendition(
                doc.content, today=vietnam_date(now), content_sha256=doc.content_sha256
            )
        with self.db.uow() as uow:
            uow.record(doc, event, expected_version=before, now=now)
            if signed is not None:  # what the signer signed, frozen with the signature
                uow.files.add_signed(document_id, signed, now)
            if action is Action.RECALL:
                uow.numbers.recall(document_id=document_id, reason=comment or "")
            if action is Action.DISPATCH:  # one delivery per target, in the same transaction
                record_deliveries(uow, doc, self.directory.get(uow), now)
            if draft:
                sha = hashlib.sha256(draft[0]).hexdigest()
                uow.files.add(document_id, "draft", draft[0], sha, now)
            uow.commit()
        return doc

    def issue(
        self, actor: Actor, document_id: int, expected_version: int | None = None
    ) -> Document:
        """Number, date, freeze and register a signed document in one transaction."""
        with self.db.issuing() as session:
            plan = None
            if self.db.write_locks_at_begin:  # SQLite: read apart; the write lock covers writes
                plan = self._plan_issue(session, actor, document_id, expected_version)
            while True:
                with session.transaction() as commit:
                    if plan is None:  # PostgreSQL: nothing is locked before take()
                        plan = self._plan_issue(session, actor, document_id, expected_version)
                    number = session.take(plan.series, plan.year)
                    now = self.clock()
                    day = vietnam_date(now)
                    if day.year != plan.year:
                        plan.year = day.year  # the year turned while we waited: retry
                        continue
                    if self.after_number is not None:
                        self.after_number(document_id, number)
                    data, stored = _issued_file(plan.prepared, number, day)
                    sha = hashlib.sha256(data).hexdigest()
                    facts = plan.read.facts
                    issued = issuing.issued(
                        facts,
                        plan.actor,
                        plan.decision,
                        series_id=plan.series,
                        number=number,
                        issued_date=day,
                        file_sha256=sha,
                        at=now,
                    )
                    head = session.write(
                        issued,
                        prev_hash=facts.audit_hash,
                        data=stored or data,
                        sha256=sha,
                        now=now,
                        deflated=stored is not None,
                    )
                    commit()
                    break
        return plan.read.document(issued, head)  # after commit: parsing content is not cheap

    def signed_rendition(
        self, content: DocumentContent, *, today: date, content_sha256: str | None = None
    ) -> Rendition | None:
        """The rendition a signer signs: prepared but for number and date, serialised, with the
        directory revision its recipient list resolves against without a problem (if any).

        None when the renderer cannot serialise it, or when the file would not print the
        recipient list exactly or cannot be rendered at all (issue then prepares afresh and
        reports why, as it did before renditions were stored).
        """
        key = self._draft_key(content, today, content_sha256)
        prepared = self.drafts.get(key) if key is not None else None
        try:
            if prepared is None:
                prepared = self.renderer.prepare(content, today=today)
        except InvalidContent:
            return None
        to_bytes = getattr(prepared, "to_bytes", None)
        if to_bytes is None or printed_problems(content, prepared.fill(None, None)):
            return None
        data: bytes = to_bytes()
        with self.db.uow(write=False) as uow:
            revision = uow.entries.revision()
            directory = self.directory.get(uow, revision)
        resolves = directory is not None and not recipient_problems(directory, content)
        return Rendition(data, hashlib.sha256(data).hexdigest(), revision if resolves else None)

    def series_key(self, content: DocumentContent) -> SeriesKey:
        """Which series the document is numbered in (numbering/registers.py decides)."""
        return self.registers.series_for(
            content.issuer.code,
            content.doc_type,
            content.type.abbr,
            secret=content.secrecy is not None,
            advisory_body=content.advisory_body,
        )

    # -- directory (admin) ---------------------------------------------------------------------

    def users(self, actor: Actor) -> list[User]:
        self._admin(actor, "list users")
        with self.db.uow(write=False) as uow:
            return uow.directory.users()

    def put_user(self, actor: Actor, user: User, *, password_hash: str | None = None) -> bool:
        """Insert or update a user (and set their password hash); True if the user is new."""
        self._admin(actor, "manage users")
        with self.db.uow() as uow:
            if Role.ADMIN.value not in user.roles and uow.directory.admins(lock=True) == [
                user.username
            ]:
                raise LastAdmin(
                    f"{user.username} is the only admin: give another user the admin role"
                    " before taking it from them"
                )
            created = uow.directory.put_user(user)
            if password_hash is not None:
                uow.accounts.set_password_hash(user.username, password_hash)
            uow.commit()
        return created

    def delegations(self, actor: Actor) -> list[Delegation]:
        self._admin(actor, "list delegations")
        with self.db.uow(write=False) as uow:
            return uow.directory.delegations()

    def grant(self, actor: Actor, delegation: Delegation) -> int:
        self._admin(actor, "grant delegations")
        with self.db.uow() as uow:
            if uow.directory.user(delegation.grantee) is None:
                raise InvalidDelegation(
                    "grantee", "grantee_is_user", f"{delegation.grantee!r} is not a user"
                )
            every = uow.directory.delegations()
            if redelegated_without_right(delegation, every, delegation.valid_from):
                raise InvalidDelegation(
                    "granted_by",
                    "tuq_not_redelegable",
                    f"{delegation.granted_by} holds {delegation.authority} as TUQ.: TUQ. cannot"
                    " be re-delegated (Điều 13.3)",
                )
            new_id = uow.directory.add_delegation(delegation)
            uow.commit()
        return new_id

    def revoke(self, actor: Actor, delegation_id: int) -> Delegation:
        """Revoke a delegation from now on; revoking it again changes nothing."""
        self._admin(actor, "revoke delegations")
        with self.db.uow() as uow:
            uow.directory.revoke_delegation(delegation_id, at=self.clock(), by=actor.username)
            found = uow.directory.delegation(delegation_id)
            if found is None:
                raise NotFound(f"no delegation {delegation_id}")
            uow.commit()
        return found

    def load_directory(self, users: Iterable[User], delegations: Iterable[Delegation]) -> None:
        """Insert or update users and add delegations (seeding; the API's admin uses put/grant)."""
        with self.db.uow() as uow:
            for user in users:
                uow.directory.put_user(user)
            for d in delegations:
                uow.directory.add_delegation(d)
            uow.commit()

    # -- internals -----------------------------------------------------------------------------

    def _admin(self, actor: Actor, what: str) -> None:
        if actor.has(Role.ADMIN):  # and the directory still says so
            with self.db.uow(write=False) as uow:
                user = uow.directory.user(actor.username)
            actor = actor.as_now(user.roles if user is not None else None)
        if not actor.has(Role.ADMIN):
            raise Forbidden(f"only admin may {what}; {actor.username} has {sorted(actor.roles)}")

    def _check_signer(self, signer: str, found: User | None = None) -> None:
        """GuardFailed unless `signer` is a user with role signer (`found`: read already)."""
        user = found
        if user is None:
            with self.db.uow(write=False) as uow:
                user = uow.directory.user(signer)
        if user is None or Role.SIGNER.value not in user.roles:
            raise GuardFailed(
                Guard.SIGNER_ASSIGNED, f"signer {signer!r} is not a user with role signer"
            )

    def _load(
        self, actor: Actor, document_id: int, expected: int | None, *, signing: bool = False
    ) -> tuple[Document, GuardContext, Actor]:
        """The document, its guard context, and `actor` with the roles the directory gives them
        now (a role taken away acts no more, whatever the caller's credentials say)."""
        with self.db.uow(write=False) as uow:
            doc = uow.documents.get(document_id)
            user = uow.directory.user(actor.username)
            delegations = uow.directory.delegations() if signing else []
        doc.expect(expected)
        now = actor.as_now(user.roles if user is not None else None)
        return doc, GuardContext(user=user, delegations=delegations), now

    def _store(self, doc: Document, event: Any, before: int, now: datetime) -> None:
        with self.db.uow() as uow:
            uow.record(doc, event, expected_version=before, now=now)
            uow.commit()

    def _derive(
        self,
        actor: Actor,
        document_id: int,
        action: Action,
        content: DocumentContent | Mapping[str, Any],
        signer: str | None,
        link: str,
        expected_version: int | None,
    ) -> Document:
        content = _content(content)
        original, ctx, actor = self._load(actor, document_id, expected_version)
        ctx.new_content = content
        original.check(actor, action, ctx, comment=None, on=vietnam_date(self.clock()))
        return self.create(actor, content, signer=signer, links={link: document_id})

    def _draft_key(
        self, content: DocumentContent, today: date, content_sha256: str | None = None
    ) -> DraftKey | None:
        """What decides a prepared draft, if the renderer names its template's version
        (`content_sha256`: the content's, when the caller already has it)."""
        version = getattr(self.renderer, "template_version", None)
        if version is None:
            return None
        sha = content_sha256 or content.sha256()
        return (sha, version(content), draft_year(content, None, today))

    def _format_problems(
        self, content: DocumentContent, keep: list[bytes], content_sha256: str | None
    ) -> list[str]:
        today = vietnam_date(self.clock())
        key = self._draft_key(content, today, content_sha256)
        if key is None:
            data = self.renderer.render(content, today=today)
        else:  # render() is prepare().fill(None, None): keep the prepared draft for sign
            prepared = self.renderer.prepare(content, today=today)
            data = prepared.fill(None, None)
            self.drafts.put(key, prepared)
        keep.append(data)
        if self.format_checker is None:
            return []
        return [str(p) for p in self.format_checker(data)]

    def _plan_issue(
        self, session: IssueSession, actor: Actor, document_id: int, expected: int | None
    ) -> _IssuePlan:
        """Everything issue decides before it takes a number: one read, guards, the rendition."""
        read = session.read(document_id, actor.username)
        facts = read.facts
        facts.expect(expected)
        actor = actor.as_now(read.actor_roles)  # a role taken away acts no more
        stored = read.rendition
        prepared = self._load_rendition(facts.content_sha256, stored)
        # The recipient guard depends on the content and the directory alone: when the signed
        # rendition's list resolved against this very directory revision, it still holds.
        known = (
            prepared is not None
            and stored is not None
            and stored.directory_revision == read.directory_revision
        )
        decision = issuing.decide_issue(facts, actor, recipients_hold=known)
        today = vietnam_date(self.clock())
        if decision is None or prepared is None:  # the content is needed: the full document
            decision, prepared = self._plan_with_content(
                actor, facts, read.directory_revision, prepared, today
            )
        series = self._series_id(facts.series_key(self.registers))
        return _IssuePlan(read, actor, decision, prepared, series, today.year)

    def _plan_with_content(
        self,
        actor: Actor,
        facts: issuing.IssueFacts,
        revision: int,
        prepared: Prepared | None,
        today: date,
    ) -> tuple[tuple[Role, State], Prepared]:
        """Document.check(ISSUE) with the recipient guard run against the directory, and the
        rendition prepared afresh unless the stored one is usable (older data, other renderer,
        or a directory loaded since signing)."""
        with self.db.uow(write=False) as uow:
            doc = uow.documents.get(facts.id)
            doc.expect(facts.version)  # changed since the read: StaleVersion

            def recipients(content: DocumentContent) -> list[str]:  # runs while uow is open
                return recipient_problems(self.directory.get(uow, revision), content)

            transition, role = doc.check(
                actor,
                Action.ISSUE,
                GuardContext(recipient_problems=recipients),
                comment=None,
                on=today,
            )
        if prepared is None:
            prepared = self._prepare_for_issue(doc.content, today)
        assert transition.target is not None
        return (role, transition.target), prepared

    def _load_rendition(self, content_sha256: str, stored: Rendition | None) -> Prepared | None:
        """The stored signed rendition if it is intact and of this very content, else None."""
        load = getattr(self.renderer, "load_prepared", None)
        if stored is None or load is None:
            return None
        if hashlib.sha256(stored.data).hexdigest() != stored.sha256:
            return None
        try:
            prepared = load(stored.data)
        except ValueError:
            return None
        if getattr(prepared, "content_sha256", None) != content_sha256:
            return None
        return prepared  # type: ignore[no-any-return]

    def _prepare_for_issue(self, content: DocumentContent, today: date) -> Prepared:
        prepared = self.renderer.prepare(content, today=today)
        # The file must print exactly the recipient list.
        printed = printed_problems(content, prepared.fill(None, None))
        if printed:
            raise GuardFailed(Guard.RECIPIENTS, "; ".join(printed))
        compress_ahead = getattr(prepared, "segments", None)
        if compress_ahead is not None:  # now, not under the numbering lock
            compress_ahead()
        return prepared

    def _series_id(self, key: SeriesKey) -> int:
        """The series' id, created on first use in a transaction of its own (and cached)."""
        found = self._series.get(key)
        if found is None:
            with self.db.uow() as uow:
                found = uow.numbers.series_id(key.issuer_code, key.register)
                uow.commit()
            self._series[key] = found
        return found


def _issued_file(prepared: Prepared, number: int, day: date) -> tuple[bytes, bytes | None]:
    """The issued file, and the same as a raw DEFLATE stream when the renderer splices one from
    pieces compressed before the lock (workflow/deflate.py); else None: stored as it is."""
    fill_deflated = getattr(prepared, "fill_deflated", None)
    if fill_deflated is None:
        return prepared.fill(number, day), None
    data, deflated = fill_deflated(number, day)
    return data, deflated


@dataclass
class _IssuePlan:
    """What issue settled before the lock: what it read and decided, the rendition, series and
    year."""

    read: IssueRead
    actor: Actor  # with the roles the directory gives them now
    decision: tuple[Role, State]
    prepared: Prepared
    series: int
    year: int


def _content(value: DocumentContent | Mapping[str, Any]) -> DocumentContent:
    if isinstance(value, DocumentContent):
        return value
    try:
        return DocumentContent.model_validate(dict(value))
    except ValidationError as exc:
        raise InvalidContent.from_pydantic(exc) from exc


def _action(value: Action | str) -> Action:
    try:
        return Action(value)
    except ValueError:
        raise NotFound(
            f"no action {value!r}; actions: {', '.join(a.value for a in Action)}"
        ) from None
