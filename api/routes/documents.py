"""Drafts: POST /documents, GET /documents (?awaiting=me), GET and PATCH /documents/{id}."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import yaml
from fastapi import APIRouter, Body, Header, Query
from fastapi.responses import Response
from pydantic import ValidationError

from api.deps import (
    MAX_ID,
    CurrentActor,
    DatabaseDep,
    DocumentId,
    EngineDep,
    ExpectedVersion,
    IdempotencyKey,
    if_match_versions,
)
from api.inputs import no_nul
from api.models import DocumentOut, DocumentPage, DocumentPatch, DocumentSummary, etag
from api.problems import ProblemError, responses
from api.responses import document_response, json_response
from workflow import queries
from workflow.content import DocumentContent
from workflow.demo import SEED_YAML
from workflow.errors import InvalidContent
from workflow.states import State

router = APIRouter(prefix="/documents", tags=["documents"])


def _seed_example() -> list[dict[str, Any]]:
    """The seed notice as the example body, in the schema's own form (from a source checkout)."""
    try:
        seed = DocumentContent.model_validate(yaml.safe_load(SEED_YAML.read_text(encoding="utf-8")))
    except OSError:
        return []
    return [seed.model_dump(mode="json", exclude_none=True)]


SEED_EXAMPLE = _seed_example()


@router.post(
    "",
    status_code=201,
    response_model=DocumentOut,
    responses=responses(401, 403, 409, 422),
)
def create(
    content: Annotated[DocumentContent, Body(examples=SEED_EXAMPLE)],
    actor: CurrentActor,
    engine: EngineDep,
    _key: IdempotencyKey,
    signer: Annotated[
        str | None,
        Query(
            max_length=64,
            pattern=r"^[^\x00-\x1f\x7f]+$",
            description="Username of who signs; by default the signer whose name the"
            " signature block prints",
            examples=["signer"],
        ),
    ] = None,
) -> Response:
    """A new draft from document content (the JSON of fixtures/documents/*.yaml)."""
    no_nul(content.model_dump(mode="json"))
    who = signer or queries.default_signer(engine.db, content)
    doc = engine.create(actor, content, signer=who)
    return document_response(doc, 201, {"Location": f"/documents/{doc.id}"})


@router.get("", response_model=DocumentPage, responses=responses(401, 403, 404, 422))
def listing(
    actor: CurrentActor,
    db: DatabaseDep,
    state: Annotated[list[State] | None, Query(description="Only these states")] = None,
    awaiting: Annotated[
        Literal["me"] | None,
        Query(description="'me': documents on which I can take the next step now"),
    ] = None,
    before: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Only documents with a smaller id")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Response:
    """Documents, newest first; `?awaiting=me` is a signer's "awaiting my signature" list."""
    docs = queries.list_documents(
        db,
        actor,
        states=tuple(s.value for s in state or ()),
        awaiting_me=awaiting == "me",
        before_id=before,
        limit=limit + 1,
    )
    more = len(docs) > limit
    docs = docs[:limit]
    page = DocumentPage(
        items=[DocumentSummary.of(d) for d in docs],
        next_before=docs[-1].id if more and docs else None,
    )
    return json_response(page)


@router.get(
    "/{document_id:int}",
    response_model=DocumentOut,
    responses={
        304: {"description": "Not modified (If-None-Match names the current version)"},
        **responses(401, 403, 404, 422),
    },
)
def read(
    document_id: DocumentId,
    actor: CurrentActor,
    engine: EngineDep,
    if_none_match: Annotated[str | None, Header(alias="If-None-Match")] = None,
) -> Response:
    """The document with its ETag (send it back in If-Match to change the document), and the
    documents that replace or correct it (`linked_by`)."""
    doc, linked_by = queries.document_with_links(engine.db, actor, document_id)
    # A replacement or correction links to the original without changing its version, so a
    # document with any is always sent whole rather than answered 304.
    fresh = if_none_match and doc.version in if_match_versions(if_none_match, document_id)
    if fresh and not linked_by:
        return Response(status_code=304, headers={"ETag": etag(doc)})
    return document_response(doc, linked_by=linked_by)


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON merge patch: objects merge key by key, null removes, the rest replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


@router.patch(
    "/{document_id:int}",
    response_model=DocumentOut,
    responses=responses(401, 403, 404, 409, 412, 422, 428),
)
def patch(
    document_id: DocumentId,
    body: DocumentPatch,
    actor: CurrentActor,
    engine: EngineDep,
    version: ExpectedVersion,
) -> Response:
    """Change a draft: merge `content` into its content and/or assign `signer` (If-Match).

    The body is a JSON merge patch (RFC 7396; application/merge-patch+json or application/json).
    A signer and content in one request are two steps, two versions: signer first.
    """
    if body.content is None and body.signer is None:
        raise ProblemError(
            "request_invalid",
            "nothing to change: send 'content' (fields to merge) and/or 'signer'",
            "không có gì để sửa: gửi 'content' và/hoặc 'signer'",
        )
    no_nul(body.model_dump(mode="json"))
    content = None
    if body.content is not None:
        current = engine.get(actor, document_id)
        merged = merge_patch(current.content.model_dump(mode="json"), body.content)
        try:
            content = DocumentContent.model_validate(merged)
        except ValidationError as exc:
            raise InvalidContent.from_pydantic(exc) from exc
    doc = None
    if body.signer is not None:
        doc = engine.assign_signer(actor, document_id, body.signer, expected_version=version)
        version = doc.version
    if content is not None:
        doc = engine.edit(actor, document_id, content, expected_version=version)
    assert doc is not None
    return document_response(doc)
