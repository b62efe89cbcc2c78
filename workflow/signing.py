"""Authority lines (TM./KT./TL./TUQ./Q.) against delegations: may this person sign this way today?

A signer signs in their own title; every prefixed line above it (and an acting "Q." title) must be
covered by a delegation to them that is valid on the signing day (Decree 30, Điều 13).
TUQ. is a written, time-limited authorisation that cannot be passed on (Điều 13.3).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from workflow.content import AuthorityLine, Signature
from workflow.errors import GuardFailed, InvalidDelegation
from workflow.states import Guard
from workflow.vietnamese import collapse_spaces, nfc

PREFIXES = ("TM", "KT", "TL", "TUQ", "Q")


@dataclass(frozen=True)
class Delegation:
    """A grant to `grantee` to sign "<prefix>. <title>" between valid_from and valid_to."""

    grantee: str
    prefix: str  # TL | KT | TUQ | Q (TM. is the collective's own line, not a delegation)
    title: str  # in capitals: "BỘ TRƯỞNG"
    valid_from: date
    valid_to: date | None
    granted_by: str  # the grantor's username, or the granting office when it is no user
    redelegable: bool
    id: int | None = None
    # Revoked delegations stay on record (who could sign what, when) but authorise nothing.
    revoked_at: datetime | None = None
    revoked_by: str | None = None

    def __post_init__(self) -> None:
        if self.prefix not in PREFIXES:
            raise InvalidDelegation(
                "prefix", "prefix", f"prefix must be one of {PREFIXES}, got {self.prefix!r}"
            )
        if self.prefix == "TUQ" and self.redelegable:
            raise InvalidDelegation(
                "redelegable",
                "tuq_not_redelegable",
                "a TUQ. delegation cannot be re-delegated (Điều 13.3)",
            )
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise InvalidDelegation(
                "valid_to", "period", f"valid_to {self.valid_to} is before {self.valid_from}"
            )

    @classmethod
    def from_text(
        cls,
        grantee: str,
        authority: str,
        valid_from: date | str,
        valid_to: date | str | None = None,
        granted_by: str = "",
        redelegable: bool | None = None,
        id: int | None = None,
        **_: Any,
    ) -> Delegation:
        """Build from "TL. BỘ TRƯỞNG" text; redelegable defaults to False for TUQ., else True."""
        try:
            line = AuthorityLine.model_validate(authority)
        except ValidationError as exc:
            reason = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
            raise InvalidDelegation("authority", "authority_line", reason) from None
        if line.prefix is None:
            raise InvalidDelegation(
                "authority", "prefix", f"authority {authority!r} needs a prefix: TL., KT., …"
            )
        prefix = line.prefix.rstrip(".")
        return cls(
            grantee=grantee,
            prefix=prefix,
            title=line.title,
            valid_from=_day(valid_from),
            valid_to=_day(valid_to) if valid_to is not None else None,
            granted_by=granted_by,
            redelegable=(prefix != "TUQ") if redelegable is None else redelegable,
            id=id,
        )

    @property
    def authority(self) -> str:
        return f"{self.prefix}. {self.title}"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def covers(self, line: AuthorityLine) -> bool:
        return line.prefix == f"{self.prefix}." and line.title == self.title


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def check_signature(
    signature: Signature, *, username: str, full_name: str, position_title: str
) -> None:
    """Ô 7 names this user: the printed name is theirs, the own title is theirs (or acting)."""
    if collapse_spaces(nfc(signature.name)) != collapse_spaces(nfc(full_name)):
        raise GuardFailed(
            Guard.SIGNATURE_MATCHES,
            f"signature.name {signature.name!r} is not the signer {username}'s name {full_name!r}",
        )
    own = signature.title
    if own.prefix is None and own.title != position_title:
        raise GuardFailed(
            Guard.SIGNATURE_MATCHES,
            f"signature title {own.title!r} is not {username}'s position {position_title!r}",
        )


def authorise(
    signature: Signature, *, username: str, delegations: Iterable[Delegation], on: date
) -> list[Delegation]:
    """The delegations that let `username` sign this chain on `on`; GuardFailed naming the line."""
    every = list(delegations)
    needed = [*signature.chain]
    if signature.title.prefix == "Q.":
        needed.append(signature.title)
    used = []
    for line in needed:
        mine = [d for d in every if d.grantee == username and d.covers(line)]
        if not mine:
            raise GuardFailed(
                Guard.DELEGATION, f"{username} holds no delegation to sign {line} (Điều 13)"
            )
        current = [d for d in mine if d.valid_on(on) and not d.revoked]
        if not current and any(d.valid_on(on) for d in mine):
            revoked = [d for d in mine if d.revoked_at is not None]
            when = "; ".join(f"{d.revoked_at:%Y-%m-%d} by {d.revoked_by}" for d in revoked)
            raise GuardFailed(
                Guard.DELEGATION,
                f"{username}'s delegation to sign {line} was revoked ({when})",
            )
        if not current:
            periods = "; ".join(f"{d.valid_from}..{d.valid_to or 'open'}" for d in mine)
            raise GuardFailed(
                Guard.DELEGATION,
                f"{username}'s delegation to sign {line} is not valid on {on} (valid {periods})",
            )
        lawful = [d for d in current if not redelegated_without_right(d, every, on)]
        if not lawful:
            raise GuardFailed(
                Guard.DELEGATION,
                f"{username}'s delegation to sign {line} was passed on by"
                f" {current[0].granted_by}, who holds it as TUQ.: TUQ. cannot be re-delegated"
                " (Điều 13.3)",
            )
        used.append(lawful[0])
    return used


def redelegated_without_right(d: Delegation, every: list[Delegation], on: date) -> bool:
    """True if d's grantor holds this same authority only by a delegation they may not pass on.

    Revoked grants count here: a revoked TUQ. does not turn its holder into the principal.
    """
    held = [g for g in every if g.grantee == d.granted_by and g.prefix == d.prefix]
    held = [g for g in held if g.title == d.title and g.valid_on(on)]
    return bool(held) and not any(g.redelegable for g in held)
