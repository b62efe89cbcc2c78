"""GET /documents/{id}/history: the audit trail, oldest first, with its hash chain."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import TypeAdapter

from api.deps import CurrentActor, DocumentId, EngineDep
from api.models import HistoryEntryOut
from api.problems import responses

router = APIRouter(prefix="/documents", tags=["history"])
_ENTRIES = TypeAdapter(list[HistoryEntryOut])


@router.get(
    "/{document_id:int}/history",
    response_model=list[HistoryEntryOut],
    responses=responses(401, 403, 404, 422),
)
def history(document_id: DocumentId, actor: CurrentActor, engine: EngineDep) -> Response:
    """Every change: who, in which role, from and to which state, when, on which content."""
    engine.get(actor, document_id)  # the engine's read rule (a role) and 404
    entries = [HistoryEntryOut.of(e) for e in engine.history(document_id)]
    return Response(_ENTRIES.dump_json(entries), media_type="application/json")
