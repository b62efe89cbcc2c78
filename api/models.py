"""The API's request and response bodies (pydantic), and how domain values become them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from numbering.symbols import format_number
from workflow.audit import AuditEntry
from workflow.content import DocumentContent
from workflow.document import Document
from workflow.signing import Delegation
from workflow.states import Role, State
from workflow.users import User


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- auth ------------------------------------------------------------------------------------


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds the token stays valid")
    username: str
    roles: list[str]


class UserOut(BaseModel):
    username: str
    full_name: str
    roles: list[str]
    unit_code: str
    issuer_code: str
    position_title: str

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            username=user.username,
            full_name=user.full_name,
            roles=sorted(user.roles),
            unit_code=user.unit_code,
            issuer_code=user.issuer_code,
            position_title=user.position_title,
        )


# -- documents -------------------------------------------------------------------------------


def etag(doc: Document) -> str:
    """Strong ETag of a document version: '"<id>-<version>"' (what If-Match sends back)."""
    return f'"{doc.id}-{doc.version}"'


class ApprovalOut(BaseModel):
    role: str
    actor: str
    content_sha256: str
    at: datetime
    current: bool = Field(description="Given for the current content (an edit voids it)")


class DocumentOut(BaseModel):
    """A document as stored, with its ETag and, once issued, its number and date."""

    id: int
    state: State
    version: int
    etag: str = Field(description="The value to send back in If-Match")
    content: DocumentContent
    content_sha256: str
    symbol: str = Field(description="Ký hiệu, e.g. 'TB-BGDĐT'")
    signer: str | None
    created_by: str
    created_at: datetime | None
    links: dict[str, int]
    approvals: list[ApprovalOut]
    number: int | None
    number_symbol: str | None = Field(description="'07/TB-BGDĐT' once issued")
    issued_date: date | None
    issued_at: datetime | None
    issued_sha256: str | None = Field(description="SHA-256 of the frozen issued .docx")
    # Left out unless there is one, so that a document reads the same from every route.
    linked_by: dict[str, list[int]] | None = Field(
        None,
        exclude_if=lambda links: not links,
        description="In GET /documents/{id}, when other documents link to this one:"
        " {'replaces': [12], 'corrects': [13]} (document 12 replaces it, 13 corrects it)",
    )

    @classmethod
    def of(cls, doc: Document, linked_by: dict[str, list[int]] | None = None) -> DocumentOut:
        assert doc.id is not None
        sha = doc.content_sha256
        return cls(
            id=doc.id,
            state=doc.state,
            version=doc.version,
            etag=etag(doc),
            content=doc.content,
            content_sha256=sha,
            symbol=doc.symbol or doc.content.symbol,
            signer=doc.signer,
            created_by=doc.created_by,
            created_at=doc.created_at,
            links=doc.links,
            approvals=[
                ApprovalOut(
                    role=a.role,
                    actor=a.actor,
                    content_sha256=a.content_sha256,
                    at=a.at,
                    current=a.content_sha256 == sha,
                )
                for a in doc.approvals
            ],
            number=doc.number,
            number_symbol=number_symbol(doc),
            issued_date=doc.issued_date,
            issued_at=doc.issued_at,
            issued_sha256=doc.issued_sha256,
            linked_by=linked_by,
        )


def number_symbol(doc: Document) -> str | None:
    if doc.number is None:
        return None
    return f"{format_number(doc.number)}/{doc.symbol or doc.content.symbol}"


class DocumentSummary(BaseModel):
    id: int
    state: State
    version: int
    doc_type: str
    type_name: str
    subject: str
    symbol: str
    number_symbol: str | None
    signer: str | None
    created_by: str
    created_at: datetime | None
    issued_date: date | None

    @classmethod
    def of(cls, doc: Document) -> DocumentSummary:
        assert doc.id is not None
        return cls(
            id=doc.id,
            state=doc.state,
            version=doc.version,
            doc_type=doc.content.doc_type,
            type_name=doc.content.type.name,
            subject=doc.content.subject,
            symbol=doc.symbol or doc.content.symbol,
            number_symbol=number_symbol(doc),
            signer=doc.signer,
            created_by=doc.created_by,
            created_at=doc.created_at,
            issued_date=doc.issued_date,
        )


class DocumentPage(BaseModel):
    items: list[DocumentSummary]
    next_before: int | None = Field(
        description="Pass as ?before= for the next (older) page; null on the last page"
    )


class DocumentPatch(Body):
    """A JSON merge patch (RFC 7396) of a draft: its content, its signer, or both."""

    content: dict[str, Any] | None = Field(
        None, description="Fields of the content to change; null removes an optional field"
    )
    signer: str | None = Field(None, max_length=64, description="Username of who signs")


# -- users and delegations (admin) ------------------------------------------------------------

USERNAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


class UserIn(Body):
    """A user as PUT /users/{username} stores it; `password` sets or resets the password."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "full_name": "Nguyễn Văn Bình",
                    "roles": ["signer"],
                    "unit_code": "VP",
                    "issuer_code": "BGDĐT",
                    "position_title": "PHÓ CHÁNH VĂN PHÒNG",
                    "password": "doi-mat-khau-ngay",
                }
            ]
        },
    )

    full_name: str = Field(min_length=1, max_length=200)
    roles: list[Role] = Field(max_length=len(Role), description="Replaces the user's roles")
    unit_code: str = Field(min_length=1, max_length=40)
    issuer_code: str = Field(min_length=1, max_length=40)
    position_title: str = Field("", max_length=200, description="Own title, as ô 7 prints it")
    password: str | None = Field(
        None, min_length=8, max_length=128, description="New password; absent: unchanged"
    )


class DelegationIn(Body):
    """A delegation to sign "<prefix>. <title>" (Điều 13): TL., KT., TUQ. or Q."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "grantee": "signer",
                    "authority": "TUQ. BỘ TRƯỞNG",
                    "valid_from": "2021-01-01",
                    "valid_to": "2021-12-31",
                    "granted_by": "BỘ TRƯỞNG",
                }
            ]
        },
    )

    grantee: str = Field(min_length=1, max_length=64, description="Username of who may sign")
    authority: str = Field(min_length=1, max_length=100, description="'TL. BỘ TRƯỞNG'")
    valid_from: date
    valid_to: date | None = Field(None, description="Last day it is valid; null: open-ended")
    granted_by: str = Field(
        min_length=1, max_length=200, description="Grantor's username, or the granting office"
    )
    redelegable: bool | None = Field(
        None, description="May the grantee pass it on; default false for TUQ. (never true)"
    )


class DelegationOut(BaseModel):
    id: int
    grantee: str
    authority: str
    prefix: str
    title: str
    valid_from: date
    valid_to: date | None
    granted_by: str
    redelegable: bool
    revoked_at: datetime | None = Field(description="Set once revoked: it authorises nothing")
    revoked_by: str | None

    @classmethod
    def of(cls, d: Delegation) -> DelegationOut:
        assert d.id is not None
        return cls.model_validate(d, from_attributes=True)  # `authority` is a property


class ActionBody(Body):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"comment": "Đề nghị sửa trích yếu"}]}
    )

    comment: str | None = Field(
        None, max_length=4000, description="Why (needed by return and recall)"
    )


class HistoryEntryOut(BaseModel):
    seq: int
    action: str
    actor: str
    role: str
    from_state: str | None
    to_state: str
    at: datetime
    content_sha256: str
    comment: str | None
    prev_hash: str
    hash: str

    @classmethod
    def of(cls, e: AuditEntry) -> HistoryEntryOut:
        return cls(
            seq=e.seq,
            action=e.action,
            actor=e.actor,
            role=e.role,
            from_state=e.from_state,
            to_state=e.to_state,
            at=e.at,
            content_sha256=e.content_sha256,
            comment=e.comment,
            prev_hash=e.prev_hash,
            hash=e.hash,
        )


# -- deliveries ------------------------------------------------------------------------------


class DeliveryPatch(Body):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"status": "received"}]}
    )

    status: Literal["queued", "sent", "received", "failed", "returned"]
    error: str | None = Field(None, max_length=4000, description="What went wrong (failed)")


# -- registers -------------------------------------------------------------------------------


class SeriesOut(BaseModel):
    slug: str = Field(description="The series in one URL segment: 'BGDĐT-VB'")
    series: str = Field(description="ISSUER/REGISTER, as the command line writes it")
    issuer_code: str
    register_code: str = Field(description="'VB', 'MAT', 'QPPL-TT' …")
    name: str
    years: list[int]


class RegisterRowOut(BaseModel):
    """The ten columns of Phụ lục IV, in order."""

    number_symbol: str
    date: date
    type_and_subject: str
    signer: str
    recipients: str
    archive: str
    copies: int
    transfer_date: date | None
    received: str
    note: str


class RegisterOut(BaseModel):
    series: str
    slug: str
    year: int
    columns: list[str] = Field(description="The decree's column titles (1)–(10)")
    rows: list[RegisterRowOut]


# -- case files ------------------------------------------------------------------------------


class CaseFileIn(Body):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "issuer_code": "BGDĐT",
                    "year": 2021,
                    "heading": "VP",
                    "title": "Hồ sơ Hội nghị công tác văn phòng năm 2021",
                    "retention": "Vĩnh viễn",
                    "owner": "Vũ Thị Mai",
                }
            ]
        },
    )

    issuer_code: str = Field(min_length=1, max_length=40)
    year: int = Field(ge=1945, le=2200)
    heading: str = Field(min_length=1, max_length=40)
    title: str = Field(min_length=1, max_length=2000)
    retention: str | int = Field(description="'Vĩnh viễn' or 'N năm' (or a number of years)")
    owner: str = Field(min_length=1, max_length=200)
    numbering: Literal["list", "heading"] = "list"
    rights: str | None = Field(None, max_length=30)
    note: str | None = Field(None, max_length=2000)


class CaseFileOut(BaseModel):
    id: int
    code: str = Field(description="'01.VP'")
    issuer_code: str
    year: int
    number: int
    heading: str
    title: str
    retention: str
    owner: str
    rights: str | None
    note: str | None


class CaseFileAssign(Body):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"document_id": 2}]})

    document_id: int = Field(ge=1, le=2**31 - 1)


class CaseFileAssigned(BaseModel):
    case_file_id: int
    document_id: int
    ordinal: int = Field(description="DocOrdinal: the document's place in the case file")
