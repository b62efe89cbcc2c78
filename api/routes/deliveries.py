"""GET /documents/{id}/deliveries and PATCH one delivery's status (clerk)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response
from pydantic import TypeAdapter

from api.deps import MAX_ID, CurrentActor, DocumentId, EngineDep
from api.inputs import no_nul
from api.models import DeliveryPatch
from api.problems import responses
from workflow import dispatching
from workflow.deliveries import Delivery

router = APIRouter(prefix="/documents", tags=["deliveries"])
_ONE = TypeAdapter(Delivery)
_LIST = TypeAdapter(list[Delivery])


@router.get(
    "/{document_id:int}/deliveries",
    response_model=list[Delivery],
    responses=responses(401, 403, 404, 422),
)
def deliveries(document_id: DocumentId, actor: CurrentActor, engine: EngineDep) -> Response:
    """One delivery per receiver that dispatch made (email, edXML, paper, internal)."""
    engine.get(actor, document_id)  # the engine's read rule (a role) and 404
    found = dispatching.deliveries(engine.db, document_id)
    return Response(_LIST.dump_json(found), media_type="application/json")


@router.patch(
    "/{document_id:int}/deliveries/{delivery_id:int}",
    response_model=Delivery,
    responses=responses(401, 403, 404, 422),
)
def set_status(
    document_id: DocumentId,
    delivery_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    body: DeliveryPatch,
    actor: CurrentActor,
    engine: EngineDep,
) -> Response:
    """Record what happened to one delivery: sent, received, failed (with the error), returned."""
    no_nul(body.model_dump(mode="json"))
    delivery = dispatching.set_delivery_status(
        engine.db,
        actor,
        delivery_id,
        body.status,
        document_id=document_id,
        error=body.error,
        clock=engine.clock,
    )
    return Response(_ONE.dump_json(delivery), media_type="application/json")
