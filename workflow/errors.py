"""The errors vanthu raises on purpose. Each names the field or rule it is about."""

from __future__ import annotations

from pydantic import ValidationError


class VanthuError(Exception):
    """Base of every deliberate error; `code` is stable and machine-readable."""

    code = "vanthu_error"


class InvalidContent(VanthuError):
    """Content that breaks a rule of the model or of the decree."""

    code = "invalid_content"

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems  # (field path, message)
        super().__init__("; ".join(f"{field}: {msg}" if field else msg for field, msg in problems))

    @classmethod
    def from_pydantic(cls, exc: ValidationError) -> InvalidContent:
        problems = []
        for err in exc.errors():
            field = ".".join(str(part) for part in err["loc"])
            message = err["msg"].removeprefix("Value error, ")
            problems.append((field, message))
        return cls(problems)


class Forbidden(VanthuError):
    """The actor's roles may never perform this action, in any state (HTTP 403 later)."""

    code = "forbidden"


class WrongState(VanthuError):
    """The action exists for the actor's role, but not from the document's current state (409)."""

    code = "wrong_state"


class NotFound(VanthuError):
    """No such document, user or series."""

    code = "not_found"


class StaleVersion(VanthuError):
    """The caller's expected version is not the document's current version (412 later)."""

    code = "stale_version"


class GuardFailed(VanthuError):
    """A named guard of a transition refused it; `guard` is the guard's stable name."""

    code = "guard_failed"

    def __init__(self, guard: str, reason: str) -> None:
        self.guard = guard
        self.reason = reason
        super().__init__(f"guard {guard} failed: {reason}")


class InvalidDelegation(VanthuError, ValueError):
    """A delegation that breaks a rule of Điều 13; `field` and `rule` name what refused it.

    A ValueError as well, so that code building delegations from files keeps catching it.
    """

    code = "invalid_delegation"

    def __init__(self, field: str, rule: str, reason: str) -> None:
        self.field = field
        self.rule = rule
        self.reason = reason
        super().__init__(f"delegation {field}: {reason} (rule {rule})")


class LastAdmin(VanthuError):
    """A change that would leave no user with the admin role: nobody could manage users again."""

    code = "last_admin"
