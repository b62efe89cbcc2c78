"""Which register (numbering series) a document belongs to, and how a series is keyed.

Decree 30, Điều 15: ordinary administrative documents of an issuer share one series; secret
documents, each legal-normative type, advisory bodies using the issuer's seal and copies (SY, SL,
TrS together) have their own. The head of the agency may split more (e.g. QĐ on its own):
that is configuration per issuer. Plain values in and out; nothing here knows the workflow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from numbering.doctypes import COPY_TYPES

ORDINARY = "VB"
SECRET = "MAT"
COPIES = "SAO"
ADVISORY_PREFIX = "HĐTV"
LEGAL_PREFIX = "QPPL"


@dataclass(frozen=True)
class SeriesKey:
    """A numbering series: one counter per calendar year (Asia/Ho_Chi_Minh) under this key."""

    issuer_code: str
    register: str

    def __str__(self) -> str:
        return f"{self.issuer_code}/{self.register}"

    @classmethod
    def parse(cls, text: str) -> SeriesKey:
        issuer, sep, register = text.partition("/")
        if not sep or not issuer or not register:
            raise ValueError(f"a series is written ISSUER/REGISTER, e.g. 'BGDĐT/VB', got {text!r}")
        return cls(issuer, register)


@dataclass(frozen=True)
class RegisterConfig:
    """Per-issuer overrides: {issuer_code: {type id or abbreviation: register}}."""

    overrides: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @classmethod
    def from_yaml(cls, path: str | Path) -> RegisterConfig:
        data: dict[str, Any] = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        return cls({str(k): dict(v) for k, v in (data.get("registers") or {}).items()})

    def register_for(
        self,
        issuer_code: str,
        doc_type_id: str,
        abbreviation: str | None,
        *,
        secret: bool = False,
        advisory_body: str | None = None,
        copy: bool = False,
        legal_normative: bool = False,
    ) -> str:
        """The register code: copies, then secret, legal-normative, advisory, override, ordinary."""
        if copy:
            if abbreviation not in COPY_TYPES:
                raise ValueError(f"a copy is one of {', '.join(COPY_TYPES)}, got {abbreviation!r}")
            return COPIES
        if secret:
            return SECRET
        if legal_normative:
            if not abbreviation:
                raise ValueError("a legal-normative type needs its abbreviation for its register")
            return f"{LEGAL_PREFIX}-{abbreviation}"
        if advisory_body:
            return f"{ADVISORY_PREFIX}-{advisory_body}"
        mine = self.overrides.get(issuer_code, {})
        for key in (doc_type_id, abbreviation):
            if key and key in mine:
                return mine[key]
        return ORDINARY

    def series_for(self, issuer_code: str, *args: Any, **kwargs: Any) -> SeriesKey:
        return SeriesKey(issuer_code, self.register_for(issuer_code, *args, **kwargs))
