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
