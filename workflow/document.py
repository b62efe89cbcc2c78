"""The Document aggregate: content, state and version, deciding its own transitions.

Plain Python: the engine loads it from the store, asks it to act, and stores what changed
together with the Event it returns (one audit entry per change; version == audit length).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from numbering.doctypes import Family
from workflow.content import DocumentContent
from workflow.errors import Forbidden, GuardFailed, StaleVersion
from workflow.signing import Delegation, authorise, check_signature
from workflow.states import Action, Guard, Role, State, Transition, decide
from workflow.users import Actor, User
from workflow.vietnamese import vietnam_date


@dataclass(frozen=True)
class Approval:
    """Who answered for the document in which role, and for exactly which content."""

    role: str
    actor: str
    content_sha256: str
    at: datetime


@dataclass(frozen=True)
class Event:
    """One change, as the audit trail records it (the store adds seq and the hash chain)."""

    action: str
    actor: str
    role: str
    from_state: str | None
    to_state: str
    at: datetime
    content_sha256: str
    comment: str | None = None


@dataclass
class GuardContext:
    """What the guards need from outside the aggregate: the acting user, delegations, checks."""

    user: User | None = None
    delegations: Iterable[Delegation] = ()
    format_problems: Callable[[DocumentContent], list[str]] | None = None
    new_content: DocumentContent | None = None  # replace / correct: the new document's content
    # issue: workflow.dispatching.recipient_problems against the stored directory
    recipient_problems: Callable[[DocumentContent], list[str]] | None = None


@dataclass
class Document:
    """An outgoing document and everything decided about it so far."""

    content: DocumentContent
    created_by: str
    state: State = State.DRAFT
    version: int = 0
    id: int | None = None
    signer: str | None = None
    approvals: tuple[Approval, ...] = ()
    links: dict[str, int] = field(default_factory=dict)  # {"replaces": id} / {"corrects": id}
    series_id: int | None = None
    year: int | None = None
    number: int | None = None
    symbol: str | None = None
    issued_date: date | None = None
    issued_at: datetime | None = None
    issued_sha256: str | None = None
    audit_hash: str | None = None  # head of this document's audit chain
    created_at: datetime | None = None
    _sha: tuple[DocumentContent, str] | None = field(default=None, repr=False, compare=False)

    @property
    def content_sha256(self) -> str:
        """SHA-256 of the canonical content, computed once per content object (it is frozen)."""
        if self._sha is None or self._sha[0] is not self.content:
            self._sha = (self.content, self.content.sha256())
        return self._sha[1]

    @classmethod
    def create(
        cls,
        content: DocumentContent,
        actor: Actor,
        *,
        at: datetime,
        signer: str | None = None,
        links: dict[str, int] | None = None,
    ) -> tuple[Document, Event]:
        """A new draft; only drafters and unit heads draft (admin manages people, not papers)."""
        if not (actor.has(Role.DRAFTER) or actor.has(Role.UNIT_HEAD)):
            raise Forbidden(
                f"role {', '.join(sorted(actor.roles)) or 'no role'} may never create a document;"
                " allowed roles: drafter, unit_head"
            )
        role = Role.DRAFTER if actor.has(Role.DRAFTER) else Role.UNIT_HEAD
        doc = cls(content, actor.username, version=1, signer=signer, links=dict(links or {}))
        doc.created_at = at
        event = Event("create", actor.username, role, None, State.DRAFT, at, doc.content_sha256)
        return doc, event

    def expect(self, version: int | None) -> None:
        if version is not None and version != self.version:
            raise StaleVersion(
                f"document {self.id} is at version {self.version}, the request expected {version}"
            )

    def current_approval(self, role: Role) -> Approval | None:
        """The role's latest approval if it is for the current content, else None (void)."""
        sha = self.content_sha256
        found = [a for a in self.approvals if a.role == role and a.content_sha256 == sha]
        return found[-1] if found else None

    def check(
        self, actor: Actor, action: Action, ctx: GuardContext, *, comment: str | None, on: date
    ) -> tuple[Transition, Role]:
        """Table, role and guards for this action now; raises without changing anything."""
        transition, role = decide(self.state, action, actor.roles)
        for guard in transition.guards:
            self._guard(guard, actor, role, ctx, comment=comment, on=on)
        return transition, role

    def act(
        self,
        actor: Actor,
        action: Action,
        ctx: GuardContext,
        *,
        at: datetime,
        comment: str | None = None,
    ) -> Event:
        """Take an action that changes state (not issue, replace or correct: see the engine)."""
        if action in (Action.ISSUE, Action.REPLACE, Action.CORRECT, Action.EDIT):
            raise ValueError(f"{action} is not a plain state change; the engine runs it")
        transition, role = self.check(actor, action, ctx, comment=comment, on=vietnam_date(at))
        assert transition.target is not None
        before = self.state
        sha = self.content_sha256
        if action in (Action.APPROVE, Action.PASS_FORMAT, Action.SIGN):
            self.approvals = (*self.approvals, Approval(role, actor.username, sha, at))
        self.state = transition.target
        self.version += 1
        return Event(action, actor.username, role, before, self.state, at, sha, comment)

    def edit(
        self, actor: Actor, content: DocumentContent, ctx: GuardContext, *, at: datetime
    ) -> Event:
        """New content for a draft; approvals given for the old content become void."""
        _, role = self.check(actor, Action.EDIT, ctx, comment=None, on=vietnam_date(at))
        self.content = content
        sha = self.content_sha256
        self.approvals = tuple(a for a in self.approvals if a.content_sha256 == sha)
        self.version += 1
        return Event(Action.EDIT, actor.username, role, self.state, self.state, at, sha)

    def assign(self, actor: Actor, signer: str, ctx: GuardContext, *, at: datetime) -> Event:
        """Assign (or change) the signer while the document is a draft."""
        _, role = self.check(actor, Action.EDIT, ctx, comment=None, on=vietnam_date(at))
        self.signer = signer
        self.version += 1
        sha = self.content_sha256
        return Event("assign", actor.username, role, self.state, self.state, at, sha, signer)

    def issued(
        self,
        actor: Actor,
        *,
        series_id: int,
        number: int,
        issued_date: date,
        file_sha256: str,
        at: datetime,
    ) -> Event:
        """Record the number, date and frozen file given at issue (after check(ISSUE) passed)."""
        transition, role = decide(self.state, Action.ISSUE, actor.roles)
        assert transition.target is not None
        before = self.state
        self.series_id = series_id
        self.year = issued_date.year
        self.number = number
        self.issued_date = issued_date
        self.issued_at = at
        self.issued_sha256 = file_sha256
        self.symbol = self.content.symbol
        self.state = transition.target
        self.version += 1
        return Event(
            Action.ISSUE, actor.username, role, before, self.state, at, self.content_sha256
        )

    def copy(self) -> Document:
        return replace(self, links=dict(self.links))

    def _guard(
        self,
        guard: Guard,
        actor: Actor,
        role: Role,
        ctx: GuardContext,
        *,
        comment: str | None,
        on: date,
    ) -> None:
        content = self.content
        if guard is Guard.AUTHOR:
            if role is Role.DRAFTER and actor.username == self.created_by:
                return
            user = ctx.user
            if actor.has(Role.UNIT_HEAD) and user and user.unit_code == content.drafting_unit.code:
                return
            raise GuardFailed(
                guard,
                f"{actor.username} is neither the drafter who created document {self.id}"
                f" ({self.created_by}) nor a unit_head of its drafting unit"
                f" {content.drafting_unit.code}",
            )
        if guard is Guard.SIGNER_ASSIGNED:
            if not self.signer:
                raise GuardFailed(guard, f"document {self.id} has no signer assigned (signer)")
        elif guard in (Guard.COMMENT, Guard.REASON):
            if not (comment and comment.strip()):
                what = "a return" if guard is Guard.COMMENT else "a recall"
                raise GuardFailed(guard, f"{what} needs a comment saying why (comment)")
        elif guard is Guard.FORMAT_PASSES:
            if ctx.format_problems is not None:
                problems = ctx.format_problems(content)
                if problems:
                    raise GuardFailed(
                        guard, "the draft rendering fails the format check: " + "; ".join(problems)
                    )
        elif guard is Guard.ASSIGNED_TO_ACTOR:
            if self.signer != actor.username:
                raise GuardFailed(
                    guard,
                    f"document {self.id} is assigned to signer {self.signer}, not {actor.username}",
                )
        elif guard is Guard.SIGNATURE_MATCHES:
            if ctx.user is None:
                raise GuardFailed(guard, f"{actor.username} is not in the directory")
            check_signature(
                content.signature,
                username=actor.username,
                full_name=ctx.user.full_name,
                position_title=ctx.user.position_title,
            )
        elif guard is Guard.DELEGATION:
            authorise(
                content.signature, username=actor.username, delegations=ctx.delegations, on=on
            )
        elif guard is Guard.APPROVALS_CURRENT:
            for needed in (Role.UNIT_HEAD, Role.FORMAT_CHECKER):
                if self.current_approval(needed) is None:
                    raise GuardFailed(
                        guard,
                        f"no {needed} approval for the current content"
                        f" {self.content_sha256[:12]}…: an edit after approval voids it",
                    )
        elif guard is Guard.RECIPIENTS:
            if ctx.recipient_problems is not None:
                problems = ctx.recipient_problems(content)
                if problems:
                    raise GuardFailed(
                        guard,
                        "the recipient list, the symbol and the 'Lưu:' line must agree and"
                        " every receiver needs a dispatch channel: " + "; ".join(problems),
                    )
        elif guard is Guard.SIGNED_CONTENT:
            if self.current_approval(Role.SIGNER) is None:
                raise GuardFailed(guard, "the content is not the content the signer signed")
        elif guard is Guard.SAME_FORM:
            new = ctx.new_content
            if new is None or new.doc_type != content.doc_type:
                got = new.doc_type if new else None
                raise GuardFailed(
                    guard,
                    f"a replacement is a new {content.doc_type} (same form, Điều 18.3);"
                    f" got doc_type {got}",
                )
        elif guard is Guard.CORRECTION_FORM:
            new = ctx.new_content
            if new is None or new.type.family is not Family.CONG_VAN or new.type.abbr:
                got = new.doc_type if new else None
                raise GuardFailed(
                    guard, f"a correction (đính chính) is a cong_van; got doc_type {got}"
                )
