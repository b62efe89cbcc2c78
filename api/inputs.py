"""Edge checks on text the database can't store: PostgreSQL refuses NUL in text and JSON."""

from __future__ import annotations

from typing import Any

from api.problems import FieldError, ProblemError


def _nul_paths(value: Any, path: str) -> list[str]:
    if isinstance(value, str):
        return [path] if "\x00" in value else []
    if isinstance(value, dict):
        found = []
        for k, v in value.items():
            found += _nul_paths(k, path) + _nul_paths(v, f"{path}.{k}")
        return found
    if isinstance(value, list | tuple):
        return [p for i, v in enumerate(value) for p in _nul_paths(v, f"{path}.{i}")]
    return []


def no_nul(value: Any, path: str = "body") -> None:
    """Refuse (422 request_invalid) any string in `value` that holds U+0000."""
    found = _nul_paths(value, path)
    if found:
        raise ProblemError(
            "request_invalid",
            "text must not contain the NUL character U+0000: " + ", ".join(found),
            "văn bản không được chứa ký tự NUL (U+0000): " + ", ".join(found),
            errors=[FieldError(field=p, rule="no_nul", message="contains U+0000") for p in found],
        )
