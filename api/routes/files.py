"""GET /documents/{id}/file: the draft (rendered now) or the frozen issued .docx."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import CurrentActor, DocumentId, EngineDep
from api.downloads import DOCX, document_filename, file_response
from api.problems import responses
from workflow import queries
from workflow.states import State
from workflow.vietnamese import vietnam_date

router = APIRouter(prefix="/documents", tags=["files"])

ISSUED_STATES = (State.ISSUED, State.DISPATCHED, State.ARCHIVED, State.RECALLED)


@router.get(
    "/{document_id:int}/file",
    response_class=Response,
    responses={
        200: {"content": {DOCX: {"schema": {"type": "string", "format": "binary"}}}},
        **responses(401, 403, 404, 422),
    },
)
def download(
    document_id: DocumentId,
    actor: CurrentActor,
    engine: EngineDep,
    format: Annotated[Literal["docx"], Query(description="File format")] = "docx",
    kind: Annotated[
        Literal["draft", "issued"] | None,
        Query(description="draft (number and date blank) or issued; default: issued once issued"),
    ] = None,
) -> Response:
    """The .docx as Decree 30 lays it out, with a Vietnamese download name."""
    doc = engine.get(actor, document_id)
    if kind == "issued" or (kind is None and doc.state in ISSUED_STATES):
        doc, data, sha = queries.issued_file(engine.db, actor, document_id)
        return file_response(data, document_filename(doc, "issued"), DOCX, {"ETag": f'"{sha}"'})
    data = engine.renderer.render(doc.content, today=vietnam_date(engine.clock()))
    return file_response(data, document_filename(doc, "draft"), DOCX)
