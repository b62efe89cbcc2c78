"""FastAPI dependencies other routers reuse: services, settings, engine, the current actor,
and the If-Match precondition of document writes.

They are coroutines although they do no I/O: FastAPI runs a plain function dependency in the
thread pool, a hop per dependency per request for what is a lookup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Path, Request
from fastapi.security import OAuth2PasswordBearer
from starlette.concurrency import run_in_threadpool

from api.auth import Tokens, not_authenticated
from api.problems import FieldError, ProblemError
from api.settings import Settings
from workflow.engine import Engine
from workflow.store import Database
from workflow.users import Actor

MAX_ID = 2**31 - 1  # ids are 32-bit integers in both databases


@dataclass
class Services:
    """What one server process holds: settings, the database, the engine, the token issuer."""

    settings: Settings
    db: Database
    engine: Engine
    tokens: Tokens


async def get_services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


async def get_settings(services: Annotated[Services, Depends(get_services)]) -> Settings:
    return services.settings


async def get_engine(services: Annotated[Services, Depends(get_services)]) -> Engine:
    return services.engine


async def get_db(services: Annotated[Services, Depends(get_services)]) -> Database:
    return services.db


oauth2 = OAuth2PasswordBearer(tokenUrl="auth/token", auto_error=False)


async def current_actor(
    request: Request,
    services: Annotated[Services, Depends(get_services)],
    token: Annotated[str | None, Depends(oauth2)],
) -> Actor:
    """The Actor of the bearer token (401 problem without a valid one)."""
    if not token:
        raise not_authenticated()
    actor = services.tokens.actor(token)
    request.state.actor = actor  # problem messages name who was refused
    return actor


CurrentActor = Annotated[Actor, Depends(current_actor)]
EngineDep = Annotated[Engine, Depends(get_engine)]
DatabaseDep = Annotated[Database, Depends(get_db)]
DocumentId = Annotated[int, Path(ge=1, le=MAX_ID, description="Document id", examples=[1])]


_TAG = re.compile(r'\s*(W/)?"([^"]*)"\s*(?:,|$)')


def if_match_versions(value: str, document_id: int) -> list[int]:
    """The versions of this document an If-Match header names (weak tags never match)."""
    versions: list[int] = []
    pos = 0
    while pos < len(value):
        m = _TAG.match(value, pos)
        if m is None or m.end() == pos:
            break
        pos = m.end()
        if m.group(1):
            continue
        doc, _, version = m.group(2).partition("-")
        if doc == str(document_id) and version.isdigit():
            versions.append(int(version))
    return versions


async def expected_version(
    document_id: DocumentId,
    actor: CurrentActor,
    engine: EngineDep,
    if_match: Annotated[
        str | None,
        Header(
            alias="If-Match",
            description="The ETag of the version you read (GET); required for every change",
            examples=['"1-1"'],
        ),
    ] = None,
) -> int:
    """The document version the request was made against: 428 without If-Match, 412 if none."""
    if if_match is None or not if_match.strip() or if_match.strip() == "*":
        raise ProblemError(
            "precondition_required",
            "changing a document needs 'If-Match: <ETag>' with the ETag of the version you read"
            f" (GET /documents/{document_id} returns it)",
            f"cần gửi 'If-Match: <ETag>' của phiên bản đã đọc (GET /documents/{document_id})",
            errors=[FieldError(field="header.if-match", rule="required", message="missing")],
        )
    versions = if_match_versions(if_match, document_id)
    if len(versions) > 1:
        current = (await run_in_threadpool(engine.get, actor, document_id)).version
        versions = [v for v in versions if v == current] or versions[:1]
    if not versions:
        raise ProblemError(
            "precondition_failed",
            f"If-Match {if_match!r} names no version of document {document_id}: send the ETag"
            ' that GET returned, e.g. "12-5"',
            f"If-Match {if_match!r} không phải ETag của văn bản {document_id}",
            errors=[FieldError(field="header.if-match", rule="etag", message="no matching ETag")],
        )
    return versions[0]


ExpectedVersion = Annotated[int, Depends(expected_version)]


async def idempotency_key(
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="Any unique string (≤255 visible ASCII characters); a retry with the same"
            " key and body gets the first response again",
        ),
    ] = None,
) -> str | None:
    """Documents the header; IdempotencyMiddleware does the work before the route runs."""
    return key


IdempotencyKey = Annotated[str | None, Depends(idempotency_key)]
