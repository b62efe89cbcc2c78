"""What issue needs to know about a signed document, read without its content, and its decision.

Issue runs on every number of a series, so it reads only the columns it decides on: state,
version, signer's approvals, the content's SHA-256 (stored with the content, and vouched for by
the signed rendition, whose header names the SHA-256 of the content it was prepared from), the
series inputs and the audit chain's head. Guards that need the content itself are not decided
here: `decide_issue` then answers None and the engine checks the full Document instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from numbering.doctypes import lookup
from numbering.registers import RegisterConfig, SeriesKey
from numbering.symbols import symbol
from workflow.document import Approval, Event
from workflow.errors import GuardFailed, StaleVersion
from workflow.states import Action, Guard, Role, State, decide
from workflow.users import Actor


@dataclass(frozen=True)
class IssueFacts:
    """The stored columns of one document that issue decides and writes on."""

    id: int
    state: State
    version: int
    signer: str | None
    approvals: tuple[Approval, ...]
    content_sha256: str
    audit_hash: str | None
    issuer_code: str  # content.issuer.code
    doc_type: str  # content.doc_type
    drafting_unit: str  # content.drafting_unit.code
    secret: bool  # content.secrecy is not None
    advisory_body: str | None  # content.advisory_body

    @property
    def symbol(self) -> str:
        """content.symbol, from the columns stored with the content."""
        return symbol(lookup(self.doc_type), self.issuer_code, self.drafting_unit)

    def series_key(self, registers: RegisterConfig) -> SeriesKey:
        """Engine.series_key(content), from the columns stored with the content."""
        return registers.series_for(
            self.issuer_code,
            self.doc_type,
            lookup(self.doc_type).abbr,
            secret=self.secret,
            advisory_body=self.advisory_body,
        )

    def expect(self, version: int | None) -> None:
        """Document.expect: the same check and message."""
        if version is not None and version != self.version:
            raise StaleVersion(
                f"document {self.id} is at version {self.version}, the request expected {version}"
            )


def decide_issue(
    facts: IssueFacts, actor: Actor, *, recipients_hold: bool
) -> tuple[Role, State] | None:
    """Document.check(actor, ISSUE, …) on the facts: the acting role and the target state.

    Raises what Document.check raises (Forbidden, WrongState, GuardFailed). `recipients_hold`
    says the recipient guard is known to hold (the signed rendition's list resolved against the
    current directory revision). None: a guard needs the content; check the full Document.
    """
    transition, role = decide(facts.state, Action.ISSUE, actor.roles)
    for guard in transition.guards:
        if guard is Guard.SIGNED_CONTENT:
            if not any(
                a.role == Role.SIGNER and a.content_sha256 == facts.content_sha256
                for a in facts.approvals
            ):
                raise GuardFailed(guard, "the content is not the content the signer signed")
        elif not (guard is Guard.RECIPIENTS and recipients_hold):
            return None
    assert transition.target is not None
    return role, transition.target


@dataclass(frozen=True)
class Issued:
    """What issue stores: the document's new column values and the event for its audit entry."""

    document_id: int
    expected_version: int
    version: int
    state: State
    series_id: int
    year: int
    number: int
    symbol: str
    issued_date: date
    issued_at: datetime
    issued_sha256: str
    event: Event


def issued(
    facts: IssueFacts,
    actor: Actor,
    decision: tuple[Role, State],
    *,
    series_id: int,
    number: int,
    issued_date: date,
    file_sha256: str,
    at: datetime,
) -> Issued:
    """Document.issued on the facts: number, date and frozen file, one version further."""
    role, target = decision
    event = Event(Action.ISSUE, actor.username, role, facts.state, target, at, facts.content_sha256)
    return Issued(
        document_id=facts.id,
        expected_version=facts.version,
        version=facts.version + 1,
        state=target,
        series_id=series_id,
        year=issued_date.year,
        number=number,
        symbol=facts.symbol,
        issued_date=issued_date,
        issued_at=at,
        issued_sha256=file_sha256,
        event=event,
    )
