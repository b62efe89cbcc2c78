"""Replacement and correction (đính chính): new drafts linked to an issued document.

POST /documents/{id}/replace and POST /documents/{id}/correct take the new document's content
(the JSON of POST /documents) and answer 201 with the new draft; the original is unchanged and
lists the new one under `linked_by` (GET /documents/{id}). If-Match names the version of the
original that was read; Idempotency-Key replays the first answer as for every POST.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query
from fastapi.responses import Response

from api.deps import CurrentActor, DocumentId, EngineDep, ExpectedVersion, IdempotencyKey
from api.inputs import no_nul
from api.models import DocumentOut
from api.problems import responses
from api.responses import document_response
from api.routes.documents import SEED_EXAMPLE
from workflow import queries
from workflow.content import DocumentContent
from workflow.engine import Engine

router = APIRouter(prefix="/documents", tags=["actions"])

Signer = Annotated[
    str | None,
    Query(
        max_length=64,
        pattern=r"^[^\x00-\x1f\x7f]+$",
        description="Username of who signs the new document; by default the signer whose name"
        " its signature block prints",
        examples=["signer"],
    ),
]
ANSWERS = responses(401, 403, 404, 409, 412, 422, 428)


def _signer(engine: Engine, content: DocumentContent, signer: str | None) -> str | None:
    """The signer asked for, else the one the signature names (as POST /documents does)."""
    no_nul(content.model_dump(mode="json"))
    return signer or queries.default_signer(engine.db, content)


@router.post(
    "/{document_id:int}/replace", status_code=201, response_model=DocumentOut, responses=ANSWERS
)
def replace_document(
    document_id: DocumentId,
    content: Annotated[DocumentContent, Body(examples=SEED_EXAMPLE)],
    actor: CurrentActor,
    engine: EngineDep,
    version: ExpectedVersion,
    _key: IdempotencyKey,
    signer: Signer = None,
) -> Response:
    """A new draft of the same form replacing an issued document (Điều 18.3).

    403: the role may never replace; 409: the original is not issued, dispatched or archived;
    422 `same_form`: the new content is not of the original's type.
    """
    who = _signer(engine, content, signer)
    doc = engine.replace(actor, document_id, content, signer=who, expected_version=version)
    return document_response(doc, 201, {"Location": f"/documents/{doc.id}"})


@router.post(
    "/{document_id:int}/correct", status_code=201, response_model=DocumentOut, responses=ANSWERS
)
def correct_document(
    document_id: DocumentId,
    content: DocumentContent,
    actor: CurrentActor,
    engine: EngineDep,
    version: ExpectedVersion,
    _key: IdempotencyKey,
    signer: Signer = None,
) -> Response:
    """A new công văn đính chính (a correction) of an issued document.

    403: the role may never correct; 409: the original is not issued, dispatched or archived;
    422 `correction_form`: the content is not a công văn.
    """
    who = _signer(engine, content, signer)
    doc = engine.correct(actor, document_id, content, signer=who, expected_version=version)
    return document_response(doc, 201, {"Location": f"/documents/{doc.id}"})
